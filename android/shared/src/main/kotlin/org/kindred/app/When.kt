package org.kindred.app

import java.time.Clock
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.format.DateTimeFormatter
import java.util.Locale

/** When something happened, in words on [clock]'s day and zone: "Today, 09:30", "Yesterday, 21:10", "Mon 2 Mar, 19:00". */
fun whenText(at: OffsetDateTime, clock: Clock): UiText {
    val local = at.atZoneSameInstant(clock.zone)
    val time = local.toLocalTime().format(DateTimeFormatter.ofPattern("HH:mm"))
    val today = LocalDate.now(clock)
    return when (local.toLocalDate()) {
        today -> UiText(Keys.WHEN_TODAY_AT, time)
        today.minusDays(1) -> UiText(Keys.WHEN_YESTERDAY_AT, time)
        else -> UiText(Keys.WHEN_DATE_AT, local.format(DateTimeFormatter.ofPattern("EEE d MMM", Locale.getDefault())), time)
    }
}

/** A day in words ("4 Jun 2026"), for target dates. */
fun dayText(day: LocalDate): String = day.format(DateTimeFormatter.ofPattern("d MMM yyyy", Locale.getDefault()))
