package org.kindred.android

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import java.time.Duration
import java.time.LocalDateTime
import java.time.LocalTime
import java.util.concurrent.TimeUnit

/**
 * A reminder, if the person turned them on (Settings). No counts, no
 * streaks, nothing of their data in the notification: its title ("Kindred")
 * and nothing else, even for a daily reminder scheduled by an earlier
 * version with words of its own (someone else may see the screen).
 */
class ReminderWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val ctx = applicationContext
        if (!mayNotify(ctx)) return Result.success() // permission withdrawn: nothing to show, nothing to nag about
        ensureChannel(ctx, ctx.getString(R.string.settings_reminders))
        val open = PendingIntent.getActivity(
            ctx, 0,
            Intent(ctx, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val title = inputData.getString(TITLE) ?: ctx.getString(R.string.app_name)
        // A locked screen shows this public version: the app's name, nothing else.
        val public = NotificationCompat.Builder(ctx, CHANNEL)
            .setSmallIcon(android.R.drawable.ic_popup_reminder)
            .setContentTitle(ctx.getString(R.string.app_name))
            .build()
        val builder = NotificationCompat.Builder(ctx, CHANNEL)
            .setSmallIcon(android.R.drawable.ic_popup_reminder)
            .setContentTitle(title)
            .setContentIntent(open)
            .setAutoCancel(true)
            .setVisibility(NotificationCompat.VISIBILITY_PRIVATE)
            .setPublicVersion(public)
        // A title only ("Kindred"): no text, whatever an earlier version scheduled.
        val id = inputData.getString(KEY)?.hashCode() ?: NOTIFICATION_ID
        try {
            NotificationManagerCompat.from(ctx).notify(id, builder.build())
        } catch (_: SecurityException) {
            // The permission went away between the check and now.
        }
        return Result.success()
    }

    companion object {
        const val CHANNEL = "reminders"
        private const val WORK = "kindred-reminder"
        private const val TITLE = "title"
        private const val TEXT = "text"
        private const val NOTIFICATION_ID = 1

        /** Android 13+ needs POST_NOTIFICATIONS granted; before that an app may post (unless the person turned it off). */
        fun mayNotify(context: Context): Boolean =
            Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
                ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED

        fun ensureChannel(context: Context, name: String) {
            context.getSystemService(NotificationManager::class.java)
                ?.createNotificationChannel(NotificationChannel(CHANNEL, name, NotificationManager.IMPORTANCE_LOW))
        }

        /** Once a day from the next [at]; a new time replaces the old schedule. */
        fun schedule(context: Context, at: LocalTime, title: String, text: String, now: LocalDateTime = LocalDateTime.now()) {
            var next = now.toLocalDate().atTime(at)
            if (!next.isAfter(now)) next = next.plusDays(1)
            val request = PeriodicWorkRequestBuilder<ReminderWorker>(1, TimeUnit.DAYS)
                .setInitialDelay(Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS)
                .setInputData(workDataOf(TITLE to title, TEXT to text))
                .build()
            WorkManager.getInstance(context)
                .enqueueUniquePeriodicWork(WORK, ExistingPeriodicWorkPolicy.CANCEL_AND_REENQUEUE, request)
        }

        fun cancel(context: Context) {
            WorkManager.getInstance(context).cancelUniqueWork(WORK)
        }

        private const val KEY = "key"
        private const val FIRES = "kindred-fire"

        /**
         * The core's reminders (check-ins, goal steps, follow-ups): one
         * piece of work per moment, tagged, replacing every one before.
         * WorkManager may run a little late when the phone dozes; a gentle
         * reminder does not need the exact minute (no alarm permission).
         */
        fun scheduleFires(context: Context, fires: List<org.kindred.app.platform.ScheduledReminder>, now: java.time.Instant = java.time.Instant.now()) {
            val work = WorkManager.getInstance(context)
            work.cancelAllWorkByTag(FIRES)
            for (f in fires) {
                val delay = Duration.between(now, f.at).toMillis()
                if (delay <= 0) continue
                val request = androidx.work.OneTimeWorkRequestBuilder<ReminderWorker>()
                    .setInitialDelay(delay, TimeUnit.MILLISECONDS)
                    .setInputData(workDataOf(TITLE to f.title, KEY to f.key))
                    .addTag(FIRES)
                    .build()
                work.enqueueUniqueWork("$FIRES/${f.key}", androidx.work.ExistingWorkPolicy.REPLACE, request)
            }
        }
    }
}
