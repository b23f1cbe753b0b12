package org.kindred.app

import java.time.DayOfWeek
import java.time.format.TextStyle
import java.util.Locale
import org.kindred.ContactPrefs
import org.kindred.ContactWay
import org.kindred.PrefsNote

/*
 * A person's own preferences, and what a plan asks of them, in plain words
 * for the worker: "Prefers text", "Best times: weekdays 10:00–14:00",
 * "No voicemail, please", "Say: blue". Nothing here judges: a plan outside
 * them is said as it is ("This is outside the times Sam prefers").
 */

/** A way to reach someone, as in "Prefers text". */
fun wayWords(way: ContactWay): UiText = UiText(
    when (way) {
        ContactWay.CALL -> Keys.WAY_CALL
        ContactWay.TEXT -> Keys.WAY_TEXT
        ContactWay.IN_PERSON -> Keys.WAY_IN_PERSON
        ContactWay.VIDEO -> Keys.WAY_VIDEO
    },
)

/** A planned way, as a row's first word: "Call", "Text", "Visit", "Video call". */
fun plannedWayWords(way: ContactWay): UiText = UiText(
    when (way) {
        ContactWay.CALL -> Keys.PLANNED_CALL
        ContactWay.TEXT -> Keys.PLANNED_TEXT
        ContactWay.IN_PERSON -> Keys.PLANNED_VISIT
        ContactWay.VIDEO -> Keys.PLANNED_VIDEO
    },
)

/** "text", "text or a call", "text, a call or a video call". */
fun orWords(items: List<UiText>): UiText? = when (items.size) {
    0 -> null
    1 -> items[0]
    else -> UiText(Keys.WORDS_OR, items.dropLast(1).reduce { a, b -> UiText(Keys.WORDS_LIST, a, b) }, items.last())
}

private val weekdays = DayOfWeek.entries.take(5).toSet()
private val weekend = setOf(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY)

private fun dayOf(stored: String): DayOfWeek? = DayOfWeek.entries.firstOrNull { it.name.lowercase().startsWith(stored.trim().lowercase().take(3)) }

private fun short(d: DayOfWeek): String = d.getDisplayName(TextStyle.SHORT, Locale.getDefault())

/** The days of a window: "weekdays", "weekends", "every day", "Mon–Wed", "Mon, Thu". */
private fun daysWords(days: Set<DayOfWeek>): Any = when {
    days.isEmpty() || days.size == 7 -> UiText(Keys.DAYS_EVERY)
    days == weekdays -> UiText(Keys.DAYS_WEEKDAYS)
    days == weekend -> UiText(Keys.DAYS_WEEKENDS)
    else -> {
        val sorted = days.sorted()
        val run = sorted.size >= 3 && sorted.last().value - sorted.first().value == sorted.size - 1
        if (run) "${short(sorted.first())}–${short(sorted.last())}" else sorted.joinToString(", ") { short(it) }
    }
}

/** One best-times window as the core keeps it ("mon,tue 10:00-14:00") in words. */
fun windowWords(window: String): UiText {
    val parts = window.trim().split(Regex("\\s+"))
    val times = parts.lastOrNull { it.contains(':') }?.replace("-", "–")
    val days = parts.filter { !it.contains(':') }.flatMap { it.split(',') }.flatMap { d ->
        if ('-' in d) {
            val (a, b) = d.split('-', limit = 2).map(::dayOf)
            if (a == null || b == null) emptyList() else generateSequence(a) { if (it == b) null else it.plus(1) }.toList()
        } else listOfNotNull(dayOf(d))
    }.toSet()
    return if (times == null) UiText(Keys.BEST_WINDOW_DAYS, daysWords(days)) else UiText(Keys.BEST_WINDOW, daysWords(days), times)
}

/** The person's preferences, one line each, in their order of importance to a caller. */
fun prefsWords(p: ContactPrefs?): List<UiText> {
    if (p == null || p.isEmpty) return emptyList()
    val out = mutableListOf<UiText>()
    orWords(p.ways.map(::wayWords))?.let { out += UiText(Keys.PREFS_WAYS, it) }
    if (p.bestTimes.isNotEmpty()) {
        out += UiText(Keys.PREFS_BEST_TIMES, p.bestTimes.map(::windowWords).reduce { a, b -> UiText(Keys.WORDS_LIST, a, b) })
    }
    if (p.noVoicemail) out += UiText(Keys.PREFS_NO_VOICEMAIL)
    p.callWord?.takeIf { it.isNotBlank() }?.let { out += UiText(Keys.PREFS_CALL_WORD, it) }
    p.note?.takeIf { it.isNotBlank() }?.let { out += UiText(Keys.PREFS_NOTE, it) }
    return out
}

/** What a plan asks that the person did not: said plainly, never as a warning. */
fun flagWords(note: PrefsNote, name: String): UiText = when (note) {
    is PrefsNote.OutsideBestTimes -> UiText(Keys.FLAG_OUTSIDE_TIMES, name)
    is PrefsNote.DayOutsideBestTimes -> UiText(Keys.FLAG_OUTSIDE_DAYS, name)
    is PrefsNote.NotPreferredWay -> orWords(note.preferred.map(::wayWords))
        ?.let { UiText(Keys.FLAG_OTHER_WAY, name, it) } ?: UiText(Keys.FLAG_OTHER_WAY_PLAIN, name)
    PrefsNote.NoVoicemail -> UiText(Keys.FLAG_NO_VOICEMAIL, name)
}

/** Minutes as hours and minutes: "2 h 30 min", "45 min". */
fun durationWords(minutes: Long): UiText =
    if (minutes >= 60 && minutes % 60 == 0L) UiText(Keys.DURATION_HOURS, (minutes / 60).toString())
    else if (minutes >= 60) UiText(Keys.DURATION_HOURS_MINUTES, (minutes / 60).toString(), (minutes % 60).toString())
    else UiText(Keys.DURATION_MINUTES, minutes.toString())
