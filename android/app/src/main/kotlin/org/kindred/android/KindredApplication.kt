package org.kindred.android

import android.app.Application
import androidx.work.Constraints
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.NetworkType
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import java.util.concurrent.TimeUnit
import org.kindred.app.AppModel
import org.kindred.app.platform.Platform

/**
 * The process: the platform services (made once), the activity host they
 * reach the screen through, and the app model the ViewModel keeps while
 * there is one (so background sync can use the store the app has open).
 */
class KindredApplication : Application() {
    val host = ActivityHost()
    val platform: Platform by lazy { androidPlatform(this, host) }

    /** Set by [KindredViewModel] while it lives. */
    @Volatile var live: AppModel? = null

    override fun onCreate() {
        super.onCreate()
        // An export handed to the share sheet last time has had its chance: delete it.
        AndroidShareSheet.clear(this)
        // Background sync when there is a network.
        val request = PeriodicWorkRequestBuilder<SyncWorker>(30, TimeUnit.MINUTES)
            .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
            .build()
        WorkManager.getInstance(this)
            .enqueueUniquePeriodicWork("kindred-sync", ExistingPeriodicWorkPolicy.KEEP, request)
    }
}
