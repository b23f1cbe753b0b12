package org.kindred.app

import java.time.Duration
import java.time.Clock
import java.time.OffsetDateTime
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import org.kindred.Contact
import org.kindred.ContactId
import org.kindred.ContactNote
import org.kindred.ContactType
import org.kindred.KindredStore
import org.kindred.NoteId
import org.kindred.NoteStatus
import org.kindred.Setting

/** Where the editor is: writing, checking what will be signed, or done. */
enum class EditorStage { WRITING, CONFIRMING, SIGNED }

/** What the note editor draws. */
data class NoteEditorUi(
    val form: NoteForm,
    val contacts: List<Contact> = emptyList(),
    /** The stored draft's id, once it has been saved. */
    val noteId: String? = null,
    val stage: EditorStage = EditorStage.WRITING,
    /** On [EditorStage.CONFIRMING]: every field that will be signed. */
    val toSign: List<SignLine> = emptyList(),
    /** On [EditorStage.SIGNED]: the note as signed, with its addenda. */
    val signed: ContactNote? = null,
    val unsaved: Boolean = false,
    /** The goals and activities as typed (commas and all); the form holds them as lists. */
    val goalsText: String = "",
    val activitiesText: String = "",
    /** The addendum being typed on a signed note. */
    val addendum: String = "",
    val message: UiText? = null,
    val error: UiText? = null,
)

/** What the note editor can ask of its state holder (no-ops by default, for the screen catalog and previews). */
interface NoteEditorActions {
    fun edit(change: (NoteForm) -> NoteForm) {}
    fun editGoals(text: String) {}
    fun editActivities(text: String) {}
    fun requestSign(): Job? = null
    fun cancelSign() {}
    fun confirmSign(): Job? = null
    fun editAddendum(text: String) {}
    fun addAddendum(text: String): Job? = null
}

/**
 * The contact-note editor: a new note or a draft reopened from the list,
 * autosaved after a pause, saved at once when the worker leaves, signed
 * only after a confirmation that shows every field. Signing writes every
 * field first, changed or not, so a box ticked a moment before Sign is in
 * the signed note. A signed note takes addenda only.
 */
class NoteEditorModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val clock: Clock = Clock.systemDefaultZone(),
    quiet: Duration = Duration.ofSeconds(2),
) : StateHolder<NoteEditorUi>(NoteEditorUi(NoteForm.fresh(OffsetDateTime.now(clock))), scope, io), NoteEditorActions {
    private val draft = NoteDraft(state.value.form, quiet, clock::instant)

    override fun failed(message: UiText) = update { it.copy(error = message, message = null) }

    /** Loads the contacts to choose from (none is chosen for the worker). */
    fun load(): Job = work { loadContacts() }

    private suspend fun loadContacts() {
        val contacts = store.contacts().sortedBy { it.name.lowercase() }
        update { it.copy(contacts = contacts) }
    }

    /** Starts a fresh note (after saving whatever was open). */
    fun startNew(): Job = work {
        saveNow()
        loadContacts() // someone added to the caseload since can be chosen
        val fresh = NoteForm.fresh(OffsetDateTime.now(clock))
        draft.reset(fresh)
        draft.edit(fresh)
        update { it.copy(form = fresh, noteId = null, stage = EditorStage.WRITING, toSign = emptyList(), signed = null, unsaved = false, goalsText = "", activitiesText = "", addendum = "", message = null, error = null) }
    }

    /** Reopens a stored note: a draft to go on writing, or a signed note to read and add to. */
    fun open(noteId: String): Job = work {
        saveNow()
        loadContacts()
        val n = store.note(NoteId(noteId))
        val form = NoteForm.of(n)
        draft.reset(form)
        val signed = n.status != NoteStatus.DRAFT
        update {
            it.copy(
                form = form, noteId = n.id.value,
                stage = if (signed) EditorStage.SIGNED else EditorStage.WRITING,
                signed = if (signed) n else null,
                goalsText = form.goalsAddressed.joinToString(", "), activitiesText = form.peerActivities.joinToString(", "),
                toSign = emptyList(), unsaved = false, addendum = "", message = null, error = null,
            )
        }
    }

    /** Any change to the form; saved after a pause by [autosave]. */
    override fun edit(change: (NoteForm) -> NoteForm) {
        if (state.value.stage != EditorStage.WRITING) return
        val form = change(state.value.form)
        draft.edit(form)
        update { it.copy(form = form, unsaved = draft.dirty, error = null, message = null) }
    }

    /** The goals worked on, typed with commas between them. */
    override fun editGoals(text: String) {
        if (state.value.stage != EditorStage.WRITING) return
        update { it.copy(goalsText = text) }
        edit { it.copy(goalsAddressed = commaList(text)) }
    }

    /** What the worker and the person did together, typed with commas between. */
    override fun editActivities(text: String) {
        if (state.value.stage != EditorStage.WRITING) return
        update { it.copy(activitiesText = text) }
        edit { it.copy(peerActivities = commaList(text)) }
    }

    /** Called every second or so while the editor is open: saves after a pause. */
    fun autosave(): Job = work {
        if (state.value.stage != EditorStage.WRITING || !state.value.form.savable) return@work
        val saved = draft.saveIfDue { persist(it) }
        if (saved != null) update { it.copy(unsaved = draft.dirty, message = saved) }
    }

    /** The worker leaves the editor (another screen, the app to the background): save now. */
    fun leave(): Job = work { saveNow() }

    private suspend fun saveNow() {
        // Also while the confirmation shows: the worker may leave before saying yes.
        if (state.value.stage == EditorStage.SIGNED || !state.value.form.savable) return
        val saved = draft.saveIfDue(force = true) { persist(it) }
        if (saved != null) update { it.copy(unsaved = draft.dirty, message = saved) }
    }

    /** Shows everything that will be signed; nothing is signed yet. */
    override fun requestSign(): Job = work {
        val f = state.value.form
        val problem = when {
            f.contactId == null -> Keys.NOTE_CHOOSE_CONTACT
            f.narrative.isBlank() -> Keys.NOTE_NARRATIVE_NEEDED
            f.end.isBefore(f.start) -> Keys.NOTE_END_BEFORE_START
            else -> null
        }
        if (problem != null) {
            failed(UiText(problem))
            return@work
        }
        val name = state.value.contacts.firstOrNull { it.id.value == f.contactId }?.name
            ?: store.contacts().firstOrNull { it.id.value == f.contactId }?.name ?: ""
        update { it.copy(stage = EditorStage.CONFIRMING, toSign = signSummary(f, name), error = null, message = null) }
    }

    /** Back from the confirmation to writing; nothing was signed. */
    override fun cancelSign() = update { it.copy(stage = EditorStage.WRITING, toSign = emptyList()) }

    /** Signs what the confirmation showed: every field is written first, then signed. */
    override fun confirmSign(): Job = work {
        if (state.value.stage != EditorStage.CONFIRMING) return@work
        draft.saveEverything { persist(it) }
        val id = NoteId(requireNotNull(state.value.noteId))
        store.signNote(id)
        val signed = store.note(id)
        update { it.copy(stage = EditorStage.SIGNED, signed = signed, toSign = emptyList(), unsaved = false, message = UiText(Keys.NOTE_SIGNED), error = null) }
    }

    override fun editAddendum(text: String) = update { it.copy(addendum = text, error = null, message = null) }

    /** Later words on a signed note. */
    override fun addAddendum(text: String): Job = work {
        val id = state.value.signed?.id ?: return@work
        if (text.isBlank()) {
            failed(UiText(Keys.ADDENDUM_TEXT_NEEDED))
            return@work
        }
        store.addAddendum(id, text.trim())
        val n = store.note(id)
        update { it.copy(signed = n, addendum = "", message = UiText(Keys.ADDENDUM_ADDED), error = null) }
    }

    /** Writes every field of [f]: the first time as a new draft, then as changes to it. */
    private suspend fun persist(f: NoteForm) {
        val contact = ContactId(requireNotNull(f.contactId))
        val id = state.value.noteId
        val ownWords = f.ownWords.trim().ifEmpty { null }
        val strengths = f.strengths.trim().ifEmpty { null }
        val nextSteps = f.nextSteps.trim().ifEmpty { null }
        if (id == null) {
            val created = store.addNote(
                contact, f.start, f.end, f.narrative.trim(),
                contactType = ContactType.of(f.contactType) ?: ContactType.IN_PERSON,
                setting = Setting.of(f.setting) ?: Setting.COMMUNITY,
                goalsAddressed = f.goalsAddressed, peerActivities = f.peerActivities,
                ownWords = ownWords, strengths = strengths, nextSteps = nextSteps,
                nextContact = f.nextContact, substanceUse = f.substanceUse,
            )
            update { it.copy(noteId = created.value) }
        } else {
            // Every field, changed or not (a word from a newer version is left as it is).
            store.updateNote(
                NoteId(id),
                contactType = ContactType.of(f.contactType), setting = Setting.of(f.setting),
                start = f.start, end = f.end,
                goalsAddressed = f.goalsAddressed, peerActivities = f.peerActivities,
                narrative = f.narrative.trim(),
                ownWords = ownWords, clearOwnWords = ownWords == null,
                strengths = strengths, clearStrengths = strengths == null,
                nextSteps = nextSteps, clearNextSteps = nextSteps == null,
                nextContact = f.nextContact, clearNextContact = f.nextContact == null,
                substanceUse = f.substanceUse,
            )
        }
    }
}
