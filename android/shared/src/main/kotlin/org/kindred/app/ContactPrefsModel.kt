package org.kindred.app

import java.time.Clock
import java.time.DayOfWeek
import java.time.ZoneOffset
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import org.kindred.ContactPrefs
import org.kindred.ContactWay
import org.kindred.KindredStore
import org.kindred.SpaceId
import org.kindred.checkTimeWindow
import org.kindred.contactPrefs
import org.kindred.ffi.KindredException
import org.kindred.setContactPrefs

/** Which days a best time holds: every day, weekdays, weekends, or the days she picks. */
enum class DaysChoice { EVERY_DAY, WEEKDAYS, WEEKENDS, CHOSEN }

/** One best time being written: days, and from/to as "HH:MM"; [problem] is the core's word on it, shown beside it. */
data class WindowDraft(
    val days: DaysChoice = DaysChoice.WEEKDAYS,
    val chosen: Set<DayOfWeek> = emptySet(),
    val from: String = "10:00",
    val to: String = "14:00",
    val problem: UiText? = null,
)

private val dayCodes = DayOfWeek.entries.associateWith { it.name.lowercase().take(3) }
private val weekdays = DayOfWeek.entries.take(5).toSet()
private val weekend = setOf(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY)

/** The window as the core reads it: "mon-fri 10:00-14:00", "sat,sun 09:00-12:00", "18:00-21:00" (every day). */
fun WindowDraft.text(): String {
    val hours = "${from.trim()}-${to.trim()}"
    return when (days) {
        DaysChoice.EVERY_DAY -> hours
        DaysChoice.WEEKDAYS -> "mon-fri $hours"
        DaysChoice.WEEKENDS -> "sat,sun $hours"
        DaysChoice.CHOSEN -> DayOfWeek.entries.filter { it in chosen }.joinToString(",") { dayCodes.getValue(it) } + " $hours"
    }
}

/** A saved window ("mon,tue,wed,thu,fri 10:00-14:00") back into the form's pieces. */
fun windowDraftOf(saved: String): WindowDraft {
    val s = saved.trim()
    val space = s.lastIndexOf(' ')
    val hours = if (space < 0) s else s.substring(space + 1)
    val days = mutableSetOf<DayOfWeek>()
    if (space > 0) {
        for (piece in s.substring(0, space).split(',').map { it.trim() }.filter { it.isNotEmpty() }) {
            val ends = piece.split('-').mapNotNull { p -> DayOfWeek.entries.firstOrNull { dayCodes.getValue(it) == p.trim().lowercase().take(3) } }
            if (ends.size == 2) {
                var d = ends[0]
                while (true) { days += d; if (d == ends[1]) break; d = d.plus(1) }
            } else {
                days += ends
            }
        }
    }
    val (from, to) = hours.split('-', limit = 2).let { it.getOrElse(0) { "" } to it.getOrElse(1) { "" } }
    val choice = when {
        days.isEmpty() || days.size == 7 -> DaysChoice.EVERY_DAY
        days == weekdays -> DaysChoice.WEEKDAYS
        days == weekend -> DaysChoice.WEEKENDS
        else -> DaysChoice.CHOSEN
    }
    return WindowDraft(choice, if (choice == DaysChoice.CHOSEN) days else emptySet(), from, to)
}

/** The "How I like to be contacted" form for one share she started. [space] null: the form is closed. */
data class ContactPrefsUi(
    val space: String? = null,
    /** Who is in the share ("Ana"): the one who sees this. */
    val withName: String = "",
    val loading: Boolean = false,
    val ways: Set<ContactWay> = emptySet(),
    val windows: List<WindowDraft> = emptyList(),
    val noVoicemail: Boolean = false,
    val callWord: String = "",
    val note: String = "",
    val message: UiText? = null,
    val error: UiText? = null,
)

interface ContactPrefsActions {
    fun open(space: String, withName: String): Job? = null
    fun close() {}
    fun toggleWay(way: ContactWay) {}
    fun addWindow() {}
    fun removeWindow(index: Int) {}
    fun editWindow(index: Int, change: (WindowDraft) -> WindowDraft) {}
    fun setNoVoicemail(on: Boolean) {}
    fun editCallWord(text: String) {}
    fun editNote(text: String) {}
    fun save(): Job? = null
}

/**
 * How the person likes to be contacted, per share she started: the ways
 * that suit her, her best times, no voicemail, a word to use, a note. Her
 * times are in her own local time ([clock]'s zone), said to the core with
 * the offset and, when known, the zone. Every time is checked by the core
 * before anything is saved; a bad one is said beside it and nothing changes.
 */
class ContactPrefsModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val clock: Clock,
) : StateHolder<ContactPrefsUi>(ContactPrefsUi(), scope, io), ContactPrefsActions {
    override fun failed(message: UiText) = update { it.copy(loading = false, error = message, message = null) }

    override fun open(space: String, withName: String): Job {
        update { ContactPrefsUi(space = space, withName = withName, loading = true) }
        return work { load(space) }
    }

    private suspend fun load(space: String) {
        val p = store.contactPrefs(SpaceId(space))
        update {
            if (it.space != space) it else it.copy(
                loading = false,
                ways = p.ways.toSet(),
                windows = p.bestTimes.map(::windowDraftOf),
                noVoicemail = p.noVoicemail,
                callWord = p.callWord.orEmpty(),
                note = p.note.orEmpty(),
            )
        }
    }

    override fun close() = update { ContactPrefsUi() }

    private fun edit(change: (ContactPrefsUi) -> ContactPrefsUi) = update { change(it).copy(message = null, error = null) }

    override fun toggleWay(way: ContactWay) = edit { it.copy(ways = if (way in it.ways) it.ways - way else it.ways + way) }

    override fun addWindow() = edit { it.copy(windows = it.windows + WindowDraft()) }

    override fun removeWindow(index: Int) = edit { it.copy(windows = it.windows.filterIndexed { i, _ -> i != index }) }

    override fun editWindow(index: Int, change: (WindowDraft) -> WindowDraft) = edit {
        it.copy(windows = it.windows.mapIndexed { i, w -> if (i == index) change(w).copy(problem = null) else w })
    }

    override fun setNoVoicemail(on: Boolean) = edit { it.copy(noVoicemail = on) }

    override fun editCallWord(text: String) = edit { it.copy(callWord = text) }

    override fun editNote(text: String) = edit { it.copy(note = text) }

    /** The core's word on one window, or null when it reads well. */
    private fun problemOf(w: WindowDraft): UiText? {
        if (w.days == DaysChoice.CHOSEN && w.chosen.isEmpty()) return UiText(Keys.CONTACT_PREFS_PICK_DAY)
        return try {
            checkTimeWindow(w.text())
            null
        } catch (e: KindredException.InvalidInput) {
            UiText(Keys.ERROR_CHECK_THIS, e.message ?: "")
        }
    }

    override fun save(): Job = work {
        val s = state.value
        val space = s.space ?: return@work
        val checked = s.windows.map { it.copy(problem = problemOf(it)) }
        if (checked.any { it.problem != null }) {
            update { it.copy(windows = checked, error = UiText(Keys.CONTACT_PREFS_CHECK_TIMES), message = null) }
            return@work
        }
        val zone = clock.zone
        store.setContactPrefs(
            SpaceId(space),
            ContactPrefs(
                ways = ContactWay.entries.filter { it in s.ways },
                bestTimes = checked.map { checkTimeWindow(it.text()) },
                noVoicemail = s.noVoicemail,
                callWord = s.callWord.trim().ifEmpty { null },
                note = s.note.trim().ifEmpty { null },
                utcOffsetSeconds = zone.rules.getOffset(clock.instant()).totalSeconds,
                // A region ("Europe/London") follows daylight saving; a bare offset is said by the offset alone.
                zone = zone.id.takeIf { zone !is ZoneOffset && '/' in it },
            ),
        )
        load(space)
        update { it.copy(error = null, message = UiText(Keys.CONTACT_PREFS_SAVED, s.withName)) }
    }
}
