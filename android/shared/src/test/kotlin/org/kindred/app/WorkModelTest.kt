package org.kindred.app

import kotlinx.coroutines.runBlocking
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.Contact
import org.kindred.ContactId
import org.kindred.ContactNote
import org.kindred.ContactType
import org.kindred.NoteId
import org.kindred.NoteStatus
import org.kindred.Setting

/** The caseload: search, last and next contact, who is due this week. */
class WorkModelTest {
    private val f = Fixtures()

    @AfterEach
    fun close() = f.close()

    private fun note(contact: String, start: String, next: String?) = OffsetDateTime.parse(start).let { at ->
        ContactNote(
            NoteId("n$contact$start"), ContactId(contact), ContactType.IN_PERSON, Setting.COMMUNITY, at, at,
            emptyList(), emptyList(), "x", null, null, null, next?.let(LocalDate::parse), NoteStatus.SIGNED,
            null, null, null, false, emptyList(), null, emptyList(), null, null, "in_person", "community",
        )
    }

    @Test
    fun dueThisWeekUsesTheLatestNextContact(): Unit = runBlocking {
        // Wednesday 4 March 2026: the week ends on Sunday 8 March.
        val today = LocalDate.of(2026, 3, 4)
        val rows = caseloadRows(
            listOf(Contact(ContactId("a"), "Ana"), Contact(ContactId("b"), "Ben"), Contact(ContactId("c"), "Cy"), Contact(ContactId("d"), "Dee")),
            listOf(
                note("a", "2026-02-20T10:00:00Z", "2026-03-06"), // due Friday
                note("b", "2026-02-01T10:00:00Z", "2026-03-06"),
                note("b", "2026-02-25T10:00:00Z", "2026-03-20"), // the newer note moved it on
                note("c", "2026-02-10T10:00:00Z", "2026-02-27"), // came and went: still due, never "late"
                note("c", "2026-02-01T10:00:00Z", null),
            ),
            today,
        )
        assertEquals(listOf("Ana", "Ben", "Cy", "Dee"), rows.map { it.name })
        val byName = rows.associateBy { it.name }
        assertTrue(byName["Ana"]!!.dueThisWeek)
        assertEquals(LocalDate.of(2026, 2, 20), byName["Ana"]!!.lastContact)
        assertEquals(LocalDate.of(2026, 3, 20), byName["Ben"]!!.nextContact)
        assertEquals(false, byName["Ben"]!!.dueThisWeek)
        assertTrue(byName["Cy"]!!.dueThisWeek)
        assertNull(byName["Dee"]!!.lastContact)
        assertEquals(false, byName["Dee"]!!.dueThisWeek)
    }

    @Test
    fun theCaseloadSearchesAndAddsFromTheRealStore(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val work = WorkModel(k, f.scope, f.io, TestClock(java.time.Instant.parse("2026-03-04T12:00:00Z"), ZoneOffset.UTC))
        work.addContact("  ").await()
        assertEquals(UiText(Keys.CONTACT_NAME_NEEDED), work.state.value.error)
        assertTrue(k.contacts().isEmpty())
        work.addContact("Jo Smith").await()
        work.addContact("Sam").await()
        assertEquals(UiText(Keys.CONTACT_ADDED), work.state.value.message)
        val jo = k.contacts().first { it.name == "Jo Smith" }.id
        val at = OffsetDateTime.of(2026, 3, 2, 10, 0, 0, 0, ZoneOffset.UTC)
        k.addNote(jo, at, at.plusHours(1), "Met at the library")
        work.refresh().await()
        assertEquals(listOf("Jo Smith", "Sam"), work.state.value.caseload.map { it.name })
        assertEquals(LocalDate.of(2026, 3, 2), work.state.value.caseload.first().lastContact)
        work.search("jo")
        assertEquals(listOf("Jo Smith"), work.state.value.caseload.map { it.name })
        work.search("nobody")
        assertTrue(work.state.value.caseload.isEmpty())
        work.search("")
        assertEquals(2, work.state.value.caseload.size)
        assertEquals(1, work.state.value.drafts.size)
        assertTrue(work.state.value.signed.isEmpty())
    }

    @Test
    fun signedNotesAreListedNewestFirstToReopenForAnAddendum(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val work = WorkModel(k, f.scope, f.io, TestClock(java.time.Instant.parse("2026-03-04T12:00:00Z"), ZoneOffset.UTC))
        val jo = k.addContact("Jo")
        val at = OffsetDateTime.of(2026, 3, 2, 10, 0, 0, 0, ZoneOffset.UTC)
        val older = k.addNote(jo, at, at.plusHours(1), "Met at the library")
        val newer = k.addNote(jo, at.plusDays(1), at.plusDays(1).plusHours(1), "Phoned about the flat")
        k.addNote(jo, at.plusDays(2), at.plusDays(2).plusHours(1), "Still a draft")
        k.signNote(older)
        k.signNote(newer)
        work.refresh().await()
        assertEquals(listOf(newer.value, older.value), work.state.value.signed.map { it.noteId })
        assertEquals("Jo", work.state.value.signed.first().contactName)
        assertEquals(listOf("Still a draft"), work.state.value.drafts.map { it.preview })
    }
}
