package org.kindred

import java.time.DayOfWeek
import java.time.Instant
import java.time.LocalTime
import java.time.ZoneId

/*
 * Reminders (issue 15): the person's check-in times, and the moments to
 * notify, computed by the core (time zones and daylight saving from its
 * bundled tz database, the same on every platform).
 */

@JvmInline value class ReminderRuleId(val value: String) { override fun toString() = value }

/** A check-in reminder time; [days] empty means every day. */
data class CheckInReminder(val id: ReminderRuleId, val at: LocalTime, val days: Set<DayOfWeek>)

enum class ReminderKind { CHECK_IN, GOAL_STEP, FOLLOW_UP }

/** One moment to notify; [title] is all a notification shows. */
data class Reminder(val at: Instant, val kind: ReminderKind, val key: String, val record: String?, val title: String)

private val dayWords = mapOf(
    DayOfWeek.MONDAY to "mon", DayOfWeek.TUESDAY to "tue", DayOfWeek.WEDNESDAY to "wed", DayOfWeek.THURSDAY to "thu",
    DayOfWeek.FRIDAY to "fri", DayOfWeek.SATURDAY to "sat", DayOfWeek.SUNDAY to "sun",
)

private fun org.kindred.ffi.CheckInReminderRecord.typed() = CheckInReminder(
    ReminderRuleId(id),
    LocalTime.parse(at),
    days.mapNotNull { d -> dayWords.entries.firstOrNull { it.value == d }?.key }.toSet(),
)

suspend fun KindredStore.checkInReminders(): List<CheckInReminder> = call { ffi.checkInReminders().map { it.typed() } }

/** Replaces the check-in reminder times; every time is checked before any is kept. */
suspend fun KindredStore.setCheckInReminders(times: List<Pair<LocalTime, Set<DayOfWeek>>>): List<CheckInReminder> = call {
    ffi.setCheckInReminders(
        times.map { (at, days) ->
            org.kindred.ffi.NewCheckInReminderRecord("%02d:%02d".format(at.hour, at.minute), days.sorted().map { dayWords.getValue(it) })
        },
    ).map { it.typed() }
}

/** Every moment to notify in the [days] after [now], in [zone], soonest first. */
suspend fun KindredStore.nextReminders(now: Instant, zone: ZoneId, days: Int): List<Reminder> = call {
    ffi.nextReminders(now.toString(), zone.id, days.toUInt()).map {
        Reminder(
            Instant.parse(it.at),
            when (it.kind) { "goal_step" -> ReminderKind.GOAL_STEP; "follow_up" -> ReminderKind.FOLLOW_UP; else -> ReminderKind.CHECK_IN },
            it.key,
            it.record,
            it.title,
        )
    }
}
