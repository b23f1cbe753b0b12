package org.kindred.android

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.WorkerParameters
import kotlinx.coroutines.CancellationException
import org.kindred.KindredStore
import org.kindred.app.Profile
import org.kindred.ffi.KindredException

/**
 * One sync pass in the background (WorkManager decides when). Uses the
 * store the app has open, if it has one; otherwise opens the data itself
 * (the Keystore key needs no unlock) and closes it again. The core lets two
 * stores over one folder work side by side (a write catches up with what
 * the other stored), so this never waits for the app.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val kindred = applicationContext as KindredApplication
        // The store the app has open, when it is the person's own (not the empty one a duress PIN opens).
        val live: KindredStore? = kindred.live?.session?.takeIf { it.profile == Profile.OWN }?.store
        val stores = kindred.platform.stores
        if (live == null && !stores.exists()) return Result.success() // first run not done yet
        var own: KindredStore? = null
        return try {
            val store = live ?: stores.open().also { own = it }
            if (store.server() == null) return Result.success() // sync not set up: nothing to do
            store.sync()
            Result.success()
        } catch (e: CancellationException) {
            throw e
        } catch (e: KindredException.Offline) {
            Result.retry() // kept on the phone; try again later
        } catch (e: KindredException.Closed) {
            Result.retry() // the app closed its store meanwhile
        } catch (e: KindredException) {
            Result.failure() // this run only: the next period tries again
        } finally {
            own?.close()
        }
    }
}
