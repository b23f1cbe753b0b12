package org.kindred.android

import android.app.Application
import androidx.work.Constraints
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.NetworkType
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import java.io.File
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import org.kindred.KindredStore

/** Opens (or, the first time, sets up) this phone's Kindred data once per process. */
class KindredApplication : Application() {
    private val opening = Mutex()
    private var opened: KindredStore? = null

    /** The store, opened off the main thread on first use. */
    suspend fun store(): KindredStore = opening.withLock {
        opened ?: run {
            val dir = File(filesDir, "kindred")
            val keys = KeystoreKeys(this)
            if (KindredStore.exists(dir)) {
                KindredStore.open(dir, keys)
            } else {
                KindredStore.create(dir, keys, android.os.Build.MODEL ?: "Android phone")
            }
        }.also { opened = it }
    }

    override fun onCreate() {
        super.onCreate()
        // Background sync when there is a network; the live connection
        // takes over while the app is open.
        val request = PeriodicWorkRequestBuilder<SyncWorker>(30, TimeUnit.MINUTES)
            .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
            .build()
        WorkManager.getInstance(this)
            .enqueueUniquePeriodicWork("kindred-sync", ExistingPeriodicWorkPolicy.KEEP, request)
    }
}
