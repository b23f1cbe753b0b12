package org.kindred.app

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.kindred.ffi.KindredException

/**
 * What every screen's state holder shares: one [StateFlow] the screen
 * draws, work that runs off the UI thread, and errors that land in the
 * state as words (never thrown into composition).
 *
 * Every intent returns the [Job] doing it, so a test can wait for exactly
 * that work (no sleeps), and a screen can ignore it.
 */
abstract class StateHolder<S>(
    initial: S,
    protected val scope: CoroutineScope,
    protected val io: CoroutineDispatcher = Dispatchers.IO,
) {
    private val mutable = MutableStateFlow(initial)
    val state: StateFlow<S> = mutable.asStateFlow()

    protected val current: S get() = mutable.value

    protected fun update(change: (S) -> S) = mutable.update(change)

    /** Puts the words for [error] into the state. */
    protected abstract fun showError(error: UiText)

    /** Runs [block] on the screen's scope; a core error becomes words in the state. */
    protected fun work(block: suspend () -> Unit): Job = scope.launch {
        try {
            block()
        } catch (e: CancellationException) {
            throw e
        } catch (e: KindredException) {
            showError(errorText(e))
        } catch (e: IllegalArgumentException) {
            showError(errorText(e))
        }
    }

    /** Calls the core off the UI thread. */
    protected suspend fun <T> core(call: suspend () -> T): T = withContext(io) { call() }
}
