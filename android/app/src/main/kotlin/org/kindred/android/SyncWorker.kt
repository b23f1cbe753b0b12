package org.kindred.android

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.WorkerParameters
import org.kindred.ffi.KindredException

/** One sync pass in the background (WorkManager decides when). */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val store = (applicationContext as KindredApplication).store()
        if (store.server() == null) return Result.success()
        return try {
            store.sync()
            Result.success()
        } catch (e: KindredException.Offline) {
            Result.retry() // kept on the phone; try again later
        } catch (e: KindredException) {
            Result.failure()
        }
    }
}
