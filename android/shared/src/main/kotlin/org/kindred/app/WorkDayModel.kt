package org.kindred.app

import java.time.Clock
import java.time.LocalDate
import java.time.LocalTime
import java.time.OffsetDateTime
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import org.kindred.Contact
import org.kindred.ContactId
import org.kindred.ContactWay
import org.kindred.FollowUp
import org.kindred.KindredStore
import org.kindred.Period
import org.kindred.PlannedId
import org.kindred.SpaceId
import org.kindred.finishPlannedContact
import org.kindred.followUps
import org.kindred.linkContact
import org.kindred.planContact
import org.kindred.searchCaseload
import org.kindred.timeWithPeople

/** Someone to follow up with, ready to draw: the plan, and the person's own preferences in words. */
data class DayRow(
    val contactId: String,
    val name: String,
    val due: LocalDate,
    /** The time in the worker's zone ("08:00"), for a planned visit or call. */
    val time: String? = null,
    val way: ContactWay? = null,
    /** The planned contact's id: it can be marked done or cancelled. */
    val planned: String? = null,
    /** "Prefers text", "Best times: weekdays 10:00–14:00", "No voicemail, please", "Say: blue". */
    val prefs: List<UiText> = emptyList(),
    /** Where the plan is outside those preferences ("This is outside the times Sam prefers"). */
    val flags: List<UiText> = emptyList(),
)

/** Someone not seen for a while, with nothing planned. */
data class AWhileRow(val contactId: String, val name: String, val lastContact: LocalDate?)

/** Someone a caseload search found. */
data class HitRow(val contactId: String, val name: String, val lastContact: LocalDate?, val nextContact: LocalDate?, val notes: Int)

/** A visit or call being planned. [time] is as typed ("14:30"). */
data class PlanDraft(
    val contactId: String? = null,
    val day: LocalDate,
    val time: String = "10:00",
    val way: ContactWay = ContactWay.CALL,
    val note: String = "",
)

/** What the worker's day draws. */
data class WorkDayUi(
    val loading: Boolean = true,
    val today: LocalDate = LocalDate.of(2026, 1, 1),
    /** Planned for today, and days that have passed (said as "planned for Monday"). */
    val todayRows: List<DayRow> = emptyList(),
    val weekRows: List<DayRow> = emptyList(),
    val aWhile: List<AWhileRow> = emptyList(),
    val contacts: List<Contact> = emptyList(),
    val search: String = "",
    /** Null until something is searched for. */
    val hits: List<HitRow>? = null,
    /** The last 8 weeks and 6 months, newest first. */
    val weeks: List<Period> = emptyList(),
    val months: List<Period> = emptyList(),
    val planning: PlanDraft? = null,
    val message: UiText? = null,
    val error: UiText? = null,
)

/** What the worker's day can ask of its state holder (no-ops by default, for the catalog). */
interface WorkDayActions {
    fun startPlan(contactId: String? = null) {}
    fun editPlan(change: (PlanDraft) -> PlanDraft) {}
    fun cancelPlan() {}
    fun savePlan(): Job? = null
    fun markDone(planned: String): Job? = null
    fun cancelPlanned(planned: String): Job? = null
    fun search(text: String): Job? = null
    fun dismissMessage() {}
}

private val hhmm = DateTimeFormatter.ofPattern("HH:mm")

/** Rows from the core's follow-ups, times in [clock]'s zone. */
fun dayRows(list: List<FollowUp>, clock: Clock): List<DayRow> = list.map { f ->
    DayRow(
        contactId = f.contact.value,
        name = f.name,
        due = f.at?.atZoneSameInstant(clock.zone)?.toLocalDate() ?: f.due,
        time = f.at?.atZoneSameInstant(clock.zone)?.format(hhmm),
        way = f.way,
        planned = f.planned?.value,
        prefs = prefsWords(f.prefs),
        flags = f.notes.map { flagWords(it, f.name) },
    )
}

/**
 * The worker's day: who is planned for today (and days passed), the coming
 * week, and people it has been a while since; planning a visit or call,
 * marking it done or cancelling it; searching the caseload by name or by
 * the words in notes; and the time spent with people. "Today" comes from
 * [clock] (a test passes its own).
 */
class WorkDayModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val clock: Clock = Clock.systemDefaultZone(),
) : StateHolder<WorkDayUi>(WorkDayUi(today = LocalDate.now(clock)), scope, io), WorkDayActions {
    private var searching: Job? = null

    override fun failed(message: UiText) = update { it.copy(error = message, message = null) }

    fun refresh(): Job = work {
        val today = LocalDate.now(clock)
        val f = store.followUps(today)
        val time = store.timeWithPeople(today)
        val contacts = store.contacts().sortedBy { it.name.lowercase() }
        update {
            it.copy(
                loading = false, today = today,
                todayRows = dayRows(f.today, clock), weekRows = dayRows(f.thisWeek, clock),
                aWhile = f.aWhile.map { a -> AWhileRow(a.contact.value, a.name, a.lastContact?.toLocalDate()) },
                contacts = contacts, weeks = time.weeks, months = time.months,
            )
        }
    }

    override fun startPlan(contactId: String?) =
        update { it.copy(planning = PlanDraft(contactId = contactId, day = it.today), message = null, error = null) }

    override fun editPlan(change: (PlanDraft) -> PlanDraft) = update { s -> s.copy(planning = s.planning?.let(change), error = null) }

    override fun cancelPlan() = update { it.copy(planning = null, error = null) }

    /** Plans the visit or call being drafted; a time that cannot be read is said, and nothing is stored. */
    override fun savePlan(): Job = work {
        val d = state.value.planning ?: return@work
        val contact = d.contactId ?: return@work failed(UiText(Keys.PLAN_CHOOSE_CONTACT))
        val time = try {
            LocalTime.parse(d.time.trim().let { if (it.length == 4 && it[1] == ':') "0$it" else it }, hhmm)
        } catch (e: DateTimeParseException) {
            return@work failed(UiText(Keys.PLAN_TIME_RULE))
        }
        val at: OffsetDateTime = d.day.atTime(time).atZone(clock.zone).toOffsetDateTime()
        store.planContact(ContactId(contact), at, d.way, d.note.trim().ifEmpty { null })
        update { it.copy(planning = null, error = null, message = UiText(Keys.PLAN_SAVED)) }
        refresh().join()
    }

    override fun markDone(planned: String): Job = finish(planned, true)

    override fun cancelPlanned(planned: String): Job = finish(planned, false)

    private fun finish(planned: String, done: Boolean) = work {
        store.finishPlannedContact(PlannedId(planned), done)
        update { it.copy(error = null, message = UiText(if (done) Keys.PLAN_MARKED_DONE else Keys.PLAN_CANCELLED)) }
        refresh().join()
    }

    /** Searches names and the words in notes; an empty box shows no results. */
    override fun search(text: String): Job {
        update { it.copy(search = text) }
        searching?.cancel()
        return work {
            val q = text.trim()
            val hits = if (q.isEmpty()) null else store.searchCaseload(q).map {
                HitRow(it.contact.value, it.name, it.lastContact?.toLocalDate(), it.nextContact, it.notes)
            }
            update { if (it.search == text) it.copy(hits = hits) else it }
        }.also { searching = it }
    }

    /** Links someone on the caseload to the share they are in, so their preferences show (null unlinks). */
    fun link(contactId: String, space: String?): Job = work {
        store.linkContact(ContactId(contactId), space?.let(::SpaceId))
        refresh().join()
    }

    override fun dismissMessage() = update { it.copy(message = null, error = null) }
}
