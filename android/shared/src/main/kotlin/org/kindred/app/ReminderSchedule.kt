package org.kindred.app

import java.time.Clock
import java.time.ZoneId
import org.kindred.KindredStore
import org.kindred.nextReminders
import org.kindred.app.platform.Notifications
import org.kindred.app.platform.ScheduledReminder

/**
 * Keeps the platform's scheduled reminders in step with the core: check-in
 * times, goal steps due, a worker's follow-ups. The core computes the
 * moments (time zones and daylight saving right); this hands the next ones
 * to the platform, which shows each as "Kindred" and nothing else.
 *
 * Called when the store opens, after the person changes their reminder
 * times or anything with a date, after a sync, and once a day; each call
 * replaces what was scheduled, so a reminder for a deleted step or a
 * finished follow-up never fires.
 */
class ReminderSchedule(
    private val store: KindredStore,
    private val notifications: Notifications,
    private val clock: Clock,
    private val zone: () -> ZoneId = { clock.zone },
) {
    /** Schedules the reminders of the next [DAYS] days (at most [MAX_PENDING]); returns them. */
    suspend fun refresh(): List<ScheduledReminder> {
        val fires = store.nextReminders(clock.instant(), ZoneId.of(ianaName(zone())), DAYS)
            .take(MAX_PENDING)
            .map { ScheduledReminder(it.key, it.at, it.title) }
        notifications.scheduleAll(fires)
        return fires
    }

    companion object {
        /**
         * The IANA name the core knows for [zone]: a region as it is, a fixed
         * offset ("Z", "+02:00", which a JVM may report) as UTC or Etc/GMT∓h.
         */
        fun ianaName(zone: ZoneId): String {
            val z = zone.normalized()
            if (z !is java.time.ZoneOffset) return z.id
            val seconds = z.totalSeconds
            return when {
                seconds == 0 -> "UTC"
                seconds % 3600 == 0 -> "Etc/GMT" + (if (seconds > 0) "-" else "+") + Math.abs(seconds / 3600)
                else -> "UTC"
            }
        }

        /** How far ahead to schedule (refreshed daily, so a week is plenty). */
        const val DAYS = 8

        /** iOS keeps at most 64 pending notifications; stay well under. */
        const val MAX_PENDING = 48
    }
}
