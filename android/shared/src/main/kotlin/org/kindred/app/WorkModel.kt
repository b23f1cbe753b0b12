package org.kindred.app

import java.time.Clock
import java.time.DayOfWeek
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.temporal.TemporalAdjusters
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import org.kindred.Contact
import org.kindred.ContactNote
import org.kindred.ContactId
import org.kindred.KeptRecordReason
import org.kindred.KindredStore
import org.kindred.NoteStatus
import org.kindred.linkContact

/** One person on the caseload. */
data class CaseloadRow(
    val id: String,
    val name: String,
    /** The day of the latest note, signed or draft. */
    val lastContact: LocalDate?,
    /** The next contact date the latest note that set one asked for. */
    val nextContact: LocalDate?,
    /** The next contact falls in this week (or has come already, with no note since). */
    val dueThisWeek: Boolean,
    /** Signed notes about them: a delete-forever needs a reason for these. */
    val signedNotes: Int = 0,
    /** The share they are linked to, where their own preferences come from. */
    val share: String? = null,
)

/** The views of the work area: the worker's day comes first. */
enum class WorkView { DAY, CASELOAD, PLANS, RESOURCES }

/** A draft the worker can go back into. */
data class DraftRow(val noteId: String, val contactName: String, val start: OffsetDateTime, val preview: String)

/** What the work area draws. */
data class WorkUi(
    val loading: Boolean = true,
    val search: String = "",
    /** The name being typed for someone new (kept across a tab switch). */
    val newName: String = "",
    /** The caseload, filtered by [search], by name. */
    val caseload: List<CaseloadRow> = emptyList(),
    /** Who is due this week, soonest first (never called "late"). */
    val dueThisWeek: List<CaseloadRow> = emptyList(),
    /** Autosaved drafts, newest first: each can be reopened and signed. */
    val drafts: List<DraftRow> = emptyList(),
    /** The latest signed notes, newest first: each reopens to read and to add an addendum. */
    val signed: List<DraftRow> = emptyList(),
    /** The note editor is showing (a new note or one reopened) instead of the caseload. */
    val editorOpen: Boolean = false,
    /** The person whose delete-forever waits for a second tap (and, with signed notes, a reason). */
    val confirmErase: CaseloadRow? = null,
    /** Why their signed notes may go; null until the worker chooses. */
    val eraseBecause: KeptRecordReason? = null,
    /** Which view of the work area shows (the note editor covers them all). */
    val view: WorkView = WorkView.DAY,
    /** The shares a contact can be linked to. */
    val shares: List<ShareChoice> = emptyList(),
    val message: UiText? = null,
    val error: UiText? = null,
)

/** Builds the caseload rows from contacts and notes, for the week around [today]. */
fun caseloadRows(contacts: List<Contact>, notes: List<ContactNote>, today: LocalDate): List<CaseloadRow> {
    val weekEnd = today.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY))
    val byContact = notes.groupBy { it.contactId }
    return contacts.map { c ->
        val mine = byContact[c.id].orEmpty().sortedByDescending { it.start }
        val last = mine.firstOrNull()?.start?.toLocalDate()
        val next = mine.firstNotNullOfOrNull { it.nextContact }
        val contactedSince = next != null && last != null && last.isAfter(next)
        CaseloadRow(
            id = c.id.value,
            name = c.name,
            lastContact = last,
            nextContact = next,
            dueThisWeek = next != null && !next.isAfter(weekEnd) && !contactedSince,
            signedNotes = mine.count { it.status != NoteStatus.DRAFT },
            share = c.share?.value,
        )
    }.sortedBy { it.name.lowercase() }
}

/** What the caseload can ask of its state holder (no-ops by default, for the screen catalog and previews). */
interface WorkActions {
    fun search(text: String) {}
    fun editNewName(text: String) {}
    fun addContact(name: String): Job? = null
    fun dismissMessage() {}
    /** First tap on "Delete forever" for someone asks; [confirmErase] does it. */
    fun askErase(row: CaseloadRow) {}
    fun pickBecause(reason: KeptRecordReason) {}
    fun cancelErase() {}
    fun confirmErase(): Job? = null
    /** Links someone to the share they are in, so their own preferences show on the worker's day (null unlinks). */
    fun link(id: String, space: String?): Job? = null
    fun showView(view: WorkView) {}
}

/**
 * The worker's caseload: search, last and next contact, who is due this
 * week, and the drafts left open (a tab switched mid-note is one tap away).
 */
class WorkModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val clock: Clock = Clock.systemDefaultZone(),
) : StateHolder<WorkUi>(WorkUi(), scope, io), WorkActions {
    private var all: List<CaseloadRow> = emptyList()

    override fun failed(message: UiText) = update { it.copy(error = message, message = null) }

    fun refresh(): Job = work {
        val contacts = store.contacts()
        val notes = store.notes()
        all = caseloadRows(contacts, notes, LocalDate.now(clock))
        val shares = store.shares().filter { !it.ended }.map { ShareChoice(it.space.value, it.name) }
        val names = contacts.associate { it.id to it.name }
        fun row(n: ContactNote) = DraftRow(n.id.value, names[n.contactId] ?: "", n.start, n.narrative.take(80))
        val drafts = notes.filter { it.status == NoteStatus.DRAFT }.sortedByDescending { it.start }.map(::row)
        val signed = notes.filter { it.status != NoteStatus.DRAFT }.sortedByDescending { it.start }.take(RECENT_SIGNED).map(::row)
        update {
            it.copy(
                loading = false,
                caseload = filter(it.search),
                dueThisWeek = all.filter(CaseloadRow::dueThisWeek).sortedBy { r -> r.nextContact },
                drafts = drafts,
                signed = signed,
                shares = shares,
            )
        }
    }

    override fun search(text: String) = update { it.copy(search = text, caseload = filter(text)) }

    override fun editNewName(text: String) = update { it.copy(newName = text, error = null, message = null) }

    private fun filter(text: String): List<CaseloadRow> {
        val q = text.trim().lowercase()
        return if (q.isEmpty()) all else all.filter { q in it.name.lowercase() }
    }

    /** Adds someone to the caseload, by the name or alias the worker chooses. */
    override fun addContact(name: String): Job = work {
        if (name.isBlank()) {
            failed(UiText(Keys.CONTACT_NAME_NEEDED))
            return@work
        }
        store.addContact(name.trim())
        update { it.copy(newName = "", error = null, message = UiText(Keys.CONTACT_ADDED)) }
        refresh().join()
    }

    /** Shows the note editor over the caseload (its own model holds the note). */
    fun showEditor() = update { it.copy(editorOpen = true, message = null, error = null) }

    /** Back to the caseload, read again (a draft just saved shows in the list). */
    fun showCaseload(): Job {
        update { it.copy(editorOpen = false) }
        return refresh()
    }

    override fun dismissMessage() = update { it.copy(message = null, error = null) }

    override fun showView(view: WorkView) = update { it.copy(view = view, message = null, error = null) }

    override fun link(id: String, space: String?): Job = work {
        store.linkContact(ContactId(id), space?.let { org.kindred.SpaceId(it) })
        refresh().join()
    }

    override fun askErase(row: CaseloadRow) = update { it.copy(confirmErase = row, eraseBecause = null, message = null, error = null) }

    override fun pickBecause(reason: KeptRecordReason) = update { it.copy(eraseBecause = reason) }

    override fun cancelErase() = update { it.copy(confirmErase = null, eraseBecause = null) }

    /**
     * Deletes the person asked about forever, with every note about them.
     * Signed notes are the program's records: they go only with the reason
     * the worker chose (the button waits for it).
     */
    override fun confirmErase(): Job = work {
        val s = state.value
        val row = s.confirmErase ?: return@work
        if (row.signedNotes > 0 && s.eraseBecause == null) return@work
        val e = store.deleteContactForever(ContactId(row.id), s.eraseBecause.takeIf { row.signedNotes > 0 })
        update { it.copy(confirmErase = null, eraseBecause = null, error = null, message = erasedText(e, UiText(Keys.ERASE_WHAT_CONTACT, row.name))) }
        refresh().join()
    }

    companion object {
        /** How many signed notes the caseload lists (older ones stay in the store and in exports). */
        const val RECENT_SIGNED = 5
    }
}
