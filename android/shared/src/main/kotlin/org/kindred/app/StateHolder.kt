package org.kindred.app

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.kindred.ffi.KindredException

/**
 * The shape of every screen's state holder: plain Kotlin, one [StateFlow]
 * of an immutable state, actions as methods. Work on the core runs on [io]
 * (never the UI thread); an error becomes words in the state, never an
 * exception thrown into composition.
 */
abstract class StateHolder<S>(
    initial: S,
    protected val scope: CoroutineScope,
    protected val io: CoroutineContext,
) {
    private val mutable = MutableStateFlow(initial)
    val state: StateFlow<S> = mutable.asStateFlow()

    protected fun update(change: (S) -> S) = mutable.update(change)

    /** Called with the words for a failure; the screen shows them. */
    protected abstract fun failed(message: UiText)

    /** Runs [block] on [io]; a failure lands in the state through [failed]. */
    protected fun work(block: suspend CoroutineScope.() -> Unit): Job = scope.launch {
        try {
            withContext(io, block)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            failed(errorText(e))
        }
    }
}

/** Words for what went wrong, for a person: never a stack trace, never their data. */
fun errorText(e: Throwable): UiText = when (e) {
    is KindredException.InvalidInput -> UiText(Keys.ERROR_CHECK_THIS, e.message ?: "")
    is KindredException.Offline -> UiText(Keys.ERROR_OFFLINE)
    is KindredException.NotAllowed -> UiText(Keys.ERROR_NOT_ALLOWED)
    is KindredException.NotFound -> UiText(Keys.ERROR_NOT_FOUND)
    is KindredException.Pairing -> UiText(Keys.ERROR_PAIRING)
    is KindredException.Sync -> UiText(Keys.ERROR_SYNC)
    is KindredException.KeyUnavailable -> UiText(Keys.ERROR_KEY)
    is KindredException.Setup -> UiText(Keys.ERROR_CANNOT_OPEN)
    is KindredException -> UiText(Keys.ERROR_SOMETHING)
    is IllegalArgumentException -> UiText(Keys.ERROR_CHECK_THIS, e.message ?: "")
    else -> UiText(Keys.ERROR_SOMETHING)
}
