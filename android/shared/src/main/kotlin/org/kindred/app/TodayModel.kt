package org.kindred.app

import java.time.Clock
import java.time.LocalDate
import java.time.LocalTime
import java.time.OffsetDateTime
import java.time.format.DateTimeFormatter
import java.util.Locale
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import org.kindred.KindredStore
import org.kindred.CheckIn
import org.kindred.CheckInId
import org.kindred.Week

/** A time of day for a check-in made later ("this morning I felt..."). */
enum class PartOfDay(val key: String, val at: LocalTime) {
    MORNING(Keys.WHEN_MORNING, LocalTime.of(9, 0)),
    AFTERNOON(Keys.WHEN_AFTERNOON, LocalTime.of(14, 0)),
    EVENING(Keys.WHEN_EVENING, LocalTime.of(19, 0)),
    NIGHT(Keys.WHEN_NIGHT, LocalTime.of(22, 0)),
}

/** One check-in in the list. */
data class CheckInRow(
    val id: String,
    val mood: Int,
    val at: UiText,
    val energy: Int?,
    val tags: List<String>,
    val note: String?,
)

/** One week in the chart: its average mood (1 to 5), or null for a week without check-ins. */
data class WeekBar(val label: String, val meanMood: Double?, val count: Int)

data class TodayState(
    val mood: Int? = null,
    val energy: Int? = null,
    val tags: List<String> = emptyList(),
    val newTag: String = "",
    val note: String = "",
    /** 0 = today, 1 = yesterday, ... up to [TodayModel.DAYS_BACK]. */
    val daysBack: Int = 0,
    /** Null means "now" (only for today). */
    val partOfDay: PartOfDay? = null,
    /** The check-in being changed, or null for a new one. */
    val editingId: String? = null,
    /** Tags the person used before, most used first. */
    val suggestedTags: List<String> = emptyList(),
    val recent: List<CheckInRow> = emptyList(),
    val weeks: List<WeekBar> = emptyList(),
    /** The check-in whose delete waits for a second tap ("Delete this check-in?"). */
    val confirmDelete: String? = null,
    /** The check-in whose delete-forever waits for a second tap (it says where it will be gone from). */
    val confirmErase: String? = null,
    val loaded: Boolean = false,
    val saving: Boolean = false,
    val message: UiText? = null,
    val error: UiText? = null,
) {
    /** After the first tap (a mood) the rest of the form opens. */
    val open: Boolean get() = mood != null || editingId != null
}

/**
 * Today: a check-in in two taps (a mood, then Save), with optional energy,
 * tags, a note and an earlier time; the recent check-ins with edit and
 * delete; the last weeks' moods from the core's weekly summary.
 */
/** What the screen can ask of its state holder (no-ops by default, for previews and screenshots). */
interface TodayActions {
    fun pickMood(mood: Int) {}
    fun pickEnergy(energy: Int?) {}
    fun toggleTag(tag: String) {}
    fun editNewTag(text: String) {}
    fun addNewTag() {}
    fun editNote(text: String) {}
    fun pickDay(daysBack: Int) {}
    fun pickPartOfDay(part: PartOfDay?) {}
    fun save() {}
    fun edit(id: String) {}
    fun cancelEdit() {}
    fun askDelete(id: String) {}
    fun keep() {}
    fun confirmDelete() {}
    /** First tap on "Delete forever" asks; [confirmErase] does it. */
    fun askErase(id: String) {}
    fun confirmErase() {}
}

class TodayModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val clock: Clock,
) : StateHolder<TodayState>(TodayState(), scope, io), TodayActions {
    companion object {
        const val WEEKS = 8
        const val DAYS_BACK = 6
        const val RECENT_DAYS = 28L
    }

    override fun failed(message: UiText) = update { it.copy(saving = false, confirmErase = null, error = message) }

    fun refresh() = work { load() }

    private suspend fun load() {
        val today = LocalDate.now(clock)
        val recent = store.checkIns(since = today.minusDays(RECENT_DAYS)).sortedByDescending { it.occurredAt }
        val weeks = store.weeklySummary(WEEKS, today)
        val tagCounts = weeks.flatMap { w -> w.tags.map { (tag, n) -> tag to n.toLong() } }
            .groupBy({ it.first }, { it.second }).mapValues { it.value.sum() }
        update {
            it.copy(
                recent = recent.map(::row),
                weeks = weeks.map(::bar),
                suggestedTags = tagCounts.entries.sortedByDescending { e -> e.value }.map { e -> e.key }.take(8),
                loaded = true,
            )
        }
    }

    private fun row(c: CheckIn): CheckInRow =
        CheckInRow(c.id.value, c.mood, whenText(c.occurredAt), c.energy, c.tags, c.note)

    private fun bar(w: Week): WeekBar =
        WeekBar(w.start.format(DateTimeFormatter.ofPattern("d MMM", Locale.getDefault())), w.meanMood, w.count)

    private fun whenText(at: OffsetDateTime): UiText = whenText(at, clock)

    // ----- the form ---------------------------------------------------------

    /** Tap one. */
    override fun pickMood(mood: Int) {
        if (mood !in 1..5) return
        update { it.copy(mood = mood, message = null, error = null) }
    }

    override fun pickEnergy(energy: Int?) = update { it.copy(energy = energy?.takeIf { e -> e in 1..5 }) }

    override fun toggleTag(tag: String) = update {
        val t = tag.trim()
        if (t.isEmpty()) it else it.copy(tags = if (t in it.tags) it.tags - t else it.tags + t)
    }

    override fun editNewTag(text: String) = update { it.copy(newTag = text.take(40)) }

    override fun addNewTag() {
        val t = state.value.newTag.trim()
        if (t.isEmpty()) return
        update { it.copy(tags = if (t in it.tags) it.tags else it.tags + t, newTag = "") }
    }

    override fun editNote(text: String) = update { it.copy(note = text) }

    override fun pickDay(daysBack: Int) = update {
        val d = daysBack.coerceIn(0, DAYS_BACK)
        it.copy(daysBack = d, partOfDay = if (d > 0 && it.partOfDay == null) PartOfDay.EVENING else it.partOfDay)
    }

    /** Null is "now" (today only). */
    override fun pickPartOfDay(part: PartOfDay?) = update { it.copy(partOfDay = if (it.daysBack > 0 && part == null) PartOfDay.EVENING else part) }

    /** When the check-in happened: now, or the chosen day and part of day (never later than now). */
    fun occurredAt(s: TodayState = state.value): OffsetDateTime {
        val now = OffsetDateTime.now(clock)
        val part = s.partOfDay ?: return now
        val at = LocalDate.now(clock).minusDays(s.daysBack.toLong()).atTime(part.at).atZone(clock.zone).toOffsetDateTime()
        return if (at.isAfter(now)) now else at
    }

    /** Tap two. */
    override fun save() {
        val s = state.value
        val mood = s.mood ?: run {
            update { it.copy(message = UiText(Keys.CHECKIN_PICK_MOOD)) }
            return
        }
        val tags = (s.tags + s.newTag.trim()).filter { it.isNotEmpty() }.distinct()
        val note = s.note.trim().ifEmpty { null }
        val at = occurredAt(s)
        update { it.copy(saving = true, error = null) }
        work {
            val editing = s.editingId
            if (editing == null) {
                store.addCheckIn(mood, s.energy, tags, note, at)
            } else {
                store.updateCheckIn(
                    CheckInId(editing), mood = mood, energy = s.energy, tags = tags, note = note, at = at,
                    clearEnergy = s.energy == null, clearNote = note == null,
                )
            }
            update {
                TodayState(
                    message = UiText(if (editing == null) Keys.CHECKIN_SAVED else Keys.CHECKIN_CHANGED),
                    recent = it.recent, weeks = it.weeks, suggestedTags = it.suggestedTags, loaded = it.loaded,
                )
            }
            load()
        }
    }

    /** Opens a check-in from the list in the form, to change it. */
    override fun edit(id: String) {
        val row = state.value.recent.firstOrNull { it.id == id } ?: return
        work {
            val c = store.checkIns(since = LocalDate.now(clock).minusDays(RECENT_DAYS)).firstOrNull { it.id.value == id }
                ?: return@work update { s -> s.copy(error = UiText(Keys.ERROR_NOT_FOUND)) }
            val local = c.occurredAt.atZoneSameInstant(clock.zone)
            val days = java.time.temporal.ChronoUnit.DAYS.between(local.toLocalDate(), LocalDate.now(clock)).toInt()
            update {
                it.copy(
                    editingId = id, mood = row.mood, energy = row.energy, tags = row.tags, note = row.note ?: "",
                    daysBack = days.coerceIn(0, DAYS_BACK),
                    partOfDay = PartOfDay.entries.minByOrNull { p -> kotlin.math.abs(p.at.toSecondOfDay() - local.toLocalTime().toSecondOfDay()) },
                    message = null, error = null,
                )
            }
        }
    }

    /** Leaves the form as it was before (a new, empty check-in). */
    override fun cancelEdit() = update {
        TodayState(recent = it.recent, weeks = it.weeks, suggestedTags = it.suggestedTags, loaded = it.loaded)
    }

    /** First tap on delete asks; [confirmDelete] does it. */
    override fun askDelete(id: String) = update { it.copy(confirmDelete = id, confirmErase = null) }

    override fun keep() = update { it.copy(confirmDelete = null, confirmErase = null) }

    override fun askErase(id: String) = update { it.copy(confirmErase = id, confirmDelete = null, message = null) }

    /**
     * Deletes the check-in asked about forever: here at once, then (a sync
     * runs straight after) on the sync server and the other devices; the
     * words say where it is gone from.
     */
    override fun confirmErase() {
        val id = state.value.confirmErase ?: return
        work {
            val e = store.deleteCheckInForever(CheckInId(id))
            update {
                val base = if (it.editingId == id) TodayState(recent = it.recent, weeks = it.weeks, suggestedTags = it.suggestedTags, loaded = it.loaded) else it
                base.copy(confirmErase = null, message = erasedText(e, UiText(Keys.ERASE_WHAT_CHECK_IN)))
            }
            load()
        }
    }

    override fun confirmDelete() {
        val id = state.value.confirmDelete ?: return
        work {
            store.deleteCheckIn(CheckInId(id))
            update {
                val base = if (it.editingId == id) TodayState(recent = it.recent, weeks = it.weeks, suggestedTags = it.suggestedTags, loaded = it.loaded) else it
                base.copy(confirmDelete = null, message = UiText(Keys.CHECKIN_DELETED))
            }
            load()
        }
    }
}
