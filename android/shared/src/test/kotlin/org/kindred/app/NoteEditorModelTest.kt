package org.kindred.app

import kotlinx.coroutines.runBlocking
import java.time.Duration
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KindredStore

/** The note editor's state holder against the real library, without UI. */
class NoteEditorModelTest {
    private val f = Fixtures()
    private val clock = TestClock(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.ofHours(1))
    private val visit = OffsetDateTime.of(2026, 3, 2, 10, 0, 0, 0, ZoneOffset.ofHours(1))

    @AfterEach
    fun close() = f.close()

    private fun editor(k: KindredStore) =
        NoteEditorModel(k, f.scope, f.io, clock, quiet = Duration.ofSeconds(2)).also { it.load().await() }

    @Test
    fun aNewNoteChoosesNoOneAndStartIsNotEnd(): Unit = runBlocking {
        val k = f.store("worker laptop")
        k.addContact("Jo")
        val e = editor(k)
        val form = e.state.value.form
        assertNull(form.contactId, "the worker chooses who a note is about")
        assertNotEquals(form.start, form.end)
        assertTrue(form.end.isAfter(form.start))
        assertEquals(listOf("Jo"), e.state.value.contacts.map { it.name })
        // Nothing can be signed before a contact is chosen.
        e.edit { it.copy(narrative = "Met at the library") }
        e.requestSign().await()
        assertEquals(UiText(Keys.NOTE_CHOOSE_CONTACT), e.state.value.error)
        assertEquals(EditorStage.WRITING, e.state.value.stage)
        e.leave().await()
        assertTrue(k.notes().isEmpty(), "no draft without a contact")
    }

    @Test
    fun aFlagTickedAfterTheLastAutosaveIsInTheSignedNote(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val jo = k.addContact("Jo").value
        val e = editor(k)
        e.edit { it.copy(contactId = jo, narrative = "Talked about the week") }
        e.autosave().await()
        assertTrue(k.notes().isEmpty(), "still typing: not saved yet")
        clock.advance(Duration.ofSeconds(3))
        e.autosave().await()
        assertEquals(UiText(Keys.NOTE_DRAFT_SAVED), e.state.value.message)
        val id = e.state.value.noteId!!
        assertFalse(k.note(org.kindred.NoteId(id)).substanceUse)

        // The box is ticked a moment before Sign: no autosave ran since.
        e.edit { it.copy(substanceUse = true) }
        e.requestSign().await()
        val shown = e.state.value.toSign
        assertEquals(EditorStage.CONFIRMING, e.state.value.stage)
        assertEquals(SignLine(Keys.NOTE_SUBSTANCE_USE, UiText(Keys.YES)), shown.last(), "the confirmation shows it")
        assertTrue(shown.contains(SignLine(Keys.NOTE_CONTACT, null, "Jo")))
        assertTrue(shown.contains(SignLine(Keys.NOTE_NARRATIVE, null, "Talked about the week")))
        assertFalse(k.note(org.kindred.NoteId(id)).isSignedNote(), "nothing signed before confirming")
        e.confirmSign().await()

        val signed = k.note(org.kindred.NoteId(id))
        assertTrue(signed.isSignedNote())
        assertTrue(signed.substanceUse, "the signed note carries the flag")
        assertEquals(EditorStage.SIGNED, e.state.value.stage)
        assertEquals(true, e.state.value.signed!!.signatureOk)
    }

    @Test
    fun signingWritesEveryFieldTheFormHolds(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val jo = k.addContact("Jo").value
        val e = editor(k)
        e.edit {
            it.copy(
                contactId = jo, narrative = "Walked to the food bank", ownWords = "I feel lighter",
                end = visit.plusMinutes(45), substanceUse = true,
            )
        }
        e.leave().await()
        val id = e.state.value.noteId!!
        // Changed back after the save, then signed at once.
        e.edit { it.copy(narrative = "Walked to the food bank together", ownWords = "", substanceUse = false, end = visit.plusHours(1)) }
        e.requestSign().await()
        e.confirmSign().await()
        val n = k.note(org.kindred.NoteId(id))
        assertEquals("Walked to the food bank together", n.narrative)
        assertNull(n.ownWords, "a cleared field is cleared")
        assertFalse(n.substanceUse)
        assertEquals(visit.plusHours(1), n.end)
        assertEquals(visit, n.start)
    }

    @Test
    fun everyFieldOfTheFormIsInTheSignedNote(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val jo = k.addContact("Jo").value
        val e = editor(k)
        e.edit { it.copy(contactId = jo, narrative = "First words") }
        e.leave().await() // a draft exists; everything below changes it
        val id = org.kindred.NoteId(e.state.value.noteId!!)
        val next = java.time.LocalDate.of(2026, 3, 9)
        e.edit {
            it.copy(
                start = visit.minusMinutes(15), end = visit.plusMinutes(45),
                contactType = "phone", setting = "home",
                goalsAddressed = listOf("Housing", "Work"), peerActivities = listOf("Called the housing office"),
                narrative = "Phoned about the flat", ownWords = "I can do this", strengths = "Kept every appointment",
                nextSteps = "Visit the office", nextContact = next, substanceUse = true,
            )
        }
        e.requestSign().await()
        e.confirmSign().await()
        val n = k.note(id)
        assertTrue(n.isSignedNote())
        assertEquals(visit.minusMinutes(15).toInstant(), n.start.toInstant())
        assertEquals(visit.plusMinutes(45).toInstant(), n.end.toInstant())
        assertEquals(org.kindred.ContactType.PHONE, n.contactType)
        assertEquals(org.kindred.Setting.HOME, n.setting)
        assertEquals(listOf("Housing", "Work"), n.goalsAddressed)
        assertEquals(listOf("Called the housing office"), n.peerActivities)
        assertEquals("Phoned about the flat", n.narrative)
        assertEquals("I can do this", n.ownWords)
        assertEquals("Kept every appointment", n.strengths)
        assertEquals("Visit the office", n.nextSteps)
        assertEquals(next, n.nextContact)
        assertTrue(n.substanceUse)
    }

    @Test
    fun aDraftLeftOnASwitchIsReopenedFromTheListAndSigned(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val sam = k.addContact("Sam").value
        val first = editor(k)
        first.edit { it.copy(contactId = sam, narrative = "Phoned about the course", contactType = "phone") }
        first.leave().await() // the worker switches to another screen
        assertEquals(UiText(Keys.NOTE_DRAFT_SAVED), first.state.value.message)

        val work = WorkModel(k, f.scope, f.io, clock)
        work.refresh().await()
        val draft = work.state.value.drafts.single()
        assertEquals("Sam", draft.contactName)
        assertEquals("Phoned about the course", draft.preview)

        val again = editor(k)
        again.open(draft.noteId).await()
        assertEquals("Phoned about the course", again.state.value.form.narrative)
        assertEquals(sam, again.state.value.form.contactId)
        assertEquals("phone", again.state.value.form.contactType)
        again.edit { it.copy(narrative = it.narrative + ", and booked a visit") }
        again.requestSign().await()
        again.confirmSign().await()
        val n = k.note(org.kindred.NoteId(draft.noteId))
        assertTrue(n.isSignedNote())
        assertEquals("Phoned about the course, and booked a visit", n.narrative)
        work.refresh().await()
        assertTrue(work.state.value.drafts.isEmpty())
        assertEquals(1, k.notes().size, "the same note, not a copy")
    }

    @Test
    fun aSignedNoteTakesAddendaOnly(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val jo = k.addContact("Jo").value
        val e = editor(k)
        e.edit { it.copy(contactId = jo, narrative = "Met for coffee") }
        e.requestSign().await()
        e.cancelSign()
        assertEquals(EditorStage.WRITING, e.state.value.stage)
        e.requestSign().await()
        e.confirmSign().await()
        val id = e.state.value.noteId!!
        e.edit { it.copy(narrative = "changed after signing") }
        assertEquals("Met for coffee", e.state.value.form.narrative, "a signed note is not edited")
        e.addAddendum("  ").await()
        assertEquals(UiText(Keys.ADDENDUM_TEXT_NEEDED), e.state.value.error)
        e.addAddendum("Jo called later to say thanks").await()
        assertEquals(listOf("Jo called later to say thanks"), e.state.value.signed!!.addenda.map { it.text })
        assertEquals("Met for coffee", k.note(org.kindred.NoteId(id)).narrative)

        // Reopened later: still signed, still takes addenda.
        val later = editor(k)
        later.open(id).await()
        assertEquals(EditorStage.SIGNED, later.state.value.stage)
        assertNotNull(later.state.value.signed)
    }

    @Test
    fun endBeforeStartIsCaughtBeforeSigning(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val jo = k.addContact("Jo").value
        val e = editor(k)
        e.edit { it.copy(contactId = jo, narrative = "Visit", end = it.start.minusMinutes(5)) }
        e.requestSign().await()
        assertEquals(UiText(Keys.NOTE_END_BEFORE_START), e.state.value.error)
        e.leave().await()
        assertTrue(k.notes().isEmpty())
    }

    @Test
    fun someoneAddedAfterTheEditorLoadedCanBeChosenInTheNextNote(): Unit = runBlocking {
        val k = f.store("worker laptop")
        k.addContact("Jo")
        val e = editor(k)
        assertEquals(listOf("Jo"), e.state.value.contacts.map { it.name })
        val work = WorkModel(k, f.scope, f.io, clock)
        work.editNewName("Ari")
        assertEquals("Ari", work.state.value.newName)
        work.addContact(work.state.value.newName).await()
        assertEquals("", work.state.value.newName, "the name field is empty again once added")
        e.startNew().await()
        assertEquals(listOf("Ari", "Jo"), e.state.value.contacts.map { it.name })
        assertNull(e.state.value.form.contactId, "still no one chosen for the worker")
    }

    @Test
    fun theAddendumBeingTypedIsHeldAndClearedOnceAdded(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val jo = k.addContact("Jo").value
        val e = editor(k)
        e.edit { it.copy(contactId = jo, narrative = "Met for coffee") }
        e.requestSign().await()
        e.confirmSign().await()
        e.editAddendum("Jo called to say thanks")
        assertEquals("Jo called to say thanks", e.state.value.addendum)
        e.addAddendum(e.state.value.addendum).await()
        assertEquals("", e.state.value.addendum)
        assertEquals(listOf("Jo called to say thanks"), e.state.value.signed!!.addenda.map { it.text })
        e.editAddendum("half typed")
        e.startNew().await()
        assertEquals("", e.state.value.addendum, "a new note starts with no addendum")
    }

    @Test
    fun goalsAndActivitiesAreTypedWithCommasAndKeptAsLists(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val jo = k.addContact("Jo").value
        val e = editor(k)
        e.edit { it.copy(contactId = jo, narrative = "Visit") }
        e.editGoals("Housing, ")
        assertEquals("Housing, ", e.state.value.goalsText, "what was typed stays as typed")
        assertEquals(listOf("Housing"), e.state.value.form.goalsAddressed)
        e.editGoals("Housing, Work ,, ")
        e.editActivities("Walked to the office")
        assertEquals(listOf("Housing", "Work"), e.state.value.form.goalsAddressed)
        e.leave().await()
        val id = e.state.value.noteId!!
        assertEquals(listOf("Housing", "Work"), k.note(org.kindred.NoteId(id)).goalsAddressed)
        assertEquals(listOf("Walked to the office"), k.note(org.kindred.NoteId(id)).peerActivities)

        val again = editor(k)
        again.open(id).await()
        assertEquals("Housing, Work", again.state.value.goalsText)
        assertEquals("Walked to the office", again.state.value.activitiesText)
        again.startNew().await()
        assertEquals("", again.state.value.goalsText)
    }

    @Test
    fun leavingAtTheConfirmationKeepsTheDraftUnsigned(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val jo = k.addContact("Jo").value
        val e = editor(k)
        e.edit { it.copy(contactId = jo, narrative = "Met for coffee", substanceUse = true) }
        e.requestSign().await()
        assertEquals(EditorStage.CONFIRMING, e.state.value.stage)
        e.leave().await() // another tab, or the app to the background, before saying yes
        val n = k.notes().single()
        assertEquals(org.kindred.NoteStatus.DRAFT, n.status, "nothing signed without the yes")
        assertTrue(n.substanceUse)
        assertEquals(EditorStage.CONFIRMING, e.state.value.stage, "the confirmation is still there to answer")
        e.confirmSign().await()
        assertEquals(1, k.notes().size)
        assertTrue(k.notes().single().isSignedNote())
    }

    private fun org.kindred.ContactNote.isSignedNote() = status == org.kindred.NoteStatus.SIGNED
}
