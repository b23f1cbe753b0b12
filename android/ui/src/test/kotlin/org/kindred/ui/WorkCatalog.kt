package org.kindred.ui

import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import org.kindred.Addendum
import org.kindred.AddendumId
import org.kindred.Contact
import org.kindred.ContactId
import org.kindred.ContactNote
import org.kindred.ContactType
import org.kindred.NoteId
import org.kindred.NoteStatus
import org.kindred.Setting
import org.kindred.app.CaseloadRow
import org.kindred.app.DraftRow
import org.kindred.app.EditorStage
import org.kindred.app.Keys
import org.kindred.app.NoteEditorActions
import org.kindred.app.NoteEditorUi
import org.kindred.app.NoteForm
import org.kindred.app.UiText
import org.kindred.app.WorkActions
import org.kindred.app.WorkUi
import org.kindred.app.signSummary

/** The work screen in the states a reader should see (part of [Catalog]). */
object WorkCatalog {
    private val visit = OffsetDateTime.of(2026, 3, 4, 10, 0, 0, 0, ZoneOffset.UTC)
    private val contacts = listOf(
        Contact(ContactId("a"), "Ana"), Contact(ContactId("b"), "Ben Okafor"), Contact(ContactId("c"), "Cy"),
    )
    private val rows = listOf(
        CaseloadRow("a", "Ana", LocalDate.of(2026, 2, 20), LocalDate.of(2026, 3, 6), dueThisWeek = true),
        CaseloadRow("b", "Ben Okafor", LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 16), dueThisWeek = false),
        CaseloadRow("c", "Cy", LocalDate.of(2026, 2, 10), LocalDate.of(2026, 2, 27), dueThisWeek = true),
        CaseloadRow("d", "Dee", null, null, dueThisWeek = false),
    )
    private val drafts = listOf(
        DraftRow("n1", "Ben Okafor", visit.minusDays(2), "Phoned about the course; Ben wants to look at the evening classes"),
    )

    private val writing = NoteForm.fresh(visit).copy(
        contactId = "b", contactType = "phone", setting = "home",
        goalsAddressed = listOf("Housing", "Work"), narrative = "Talked through the letter from the housing office.",
        ownWords = "I can do this one step at a time.", nextContact = visit.toLocalDate().plusWeeks(1), substanceUse = true,
    )

    private val signedNote = ContactNote(
        NoteId("n2"), ContactId("b"), ContactType.PHONE, Setting.HOME, writing.start, writing.end,
        writing.goalsAddressed, emptyList(), writing.narrative, writing.ownWords, "Kept every appointment", null,
        writing.nextContact, NoteStatus.SIGNED, visit.plusHours(1), "Sam's laptop", true, true,
        listOf(Addendum(AddendumId("x1"), visit.plusDays(1), "Ben called to say the letter was sorted.")),
        null, emptyList(), null, null, "phone", "home",
    )

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("work-caseload") {
            CaseloadContent(
                WorkUi(
                    loading = false, caseload = rows, dueThisWeek = rows.filter { it.dueThisWeek }, drafts = drafts,
                    signed = listOf(DraftRow("n2", "Ben Okafor", visit, "Talked through the letter from the housing office.")),
                ),
                object : WorkActions {}, object : WorkNavigation {},
            )
        },
        CatalogScreen("work-caseload-delete-forever") {
            val ben = rows[1].copy(signedNotes = 3)
            CaseloadContent(
                WorkUi(loading = false, caseload = listOf(ben), confirmErase = ben, eraseBecause = org.kindred.KeptRecordReason.PERSON_ASKED),
                object : WorkActions {}, object : WorkNavigation {},
            )
        },
        CatalogScreen("work-caseload-deleted-forever") {
            CaseloadContent(
                WorkUi(
                    loading = false, caseload = rows.drop(1),
                    message = UiText(Keys.ERASE_DONE_EVERYWHERE, UiText(Keys.ERASE_WHAT_CONTACT, "Ana")),
                ),
                object : WorkActions {}, object : WorkNavigation {},
            )
        },
        CatalogScreen("work-caseload-searching") {
            CaseloadContent(
                WorkUi(loading = false, search = "zed", caseload = emptyList(), dueThisWeek = rows.filter { it.dueThisWeek }),
                object : WorkActions {}, object : WorkNavigation {},
            )
        },
        CatalogScreen("work-caseload-empty") {
            CaseloadContent(
                WorkUi(loading = false, newName = "J", error = UiText(Keys.CONTACT_NAME_NEEDED)),
                object : WorkActions {}, object : WorkNavigation {},
            )
        },
        CatalogScreen("work-note-new") {
            NoteEditorContent(
                NoteEditorUi(NoteForm.fresh(visit), contacts = contacts, error = UiText(Keys.NOTE_CHOOSE_CONTACT)),
                object : NoteEditorActions {}, object : WorkNavigation {},
            )
        },
        CatalogScreen("work-note-writing") {
            NoteEditorContent(
                NoteEditorUi(
                    writing, contacts = contacts, noteId = "n1", goalsText = "Housing, Work", unsaved = true,
                ),
                object : NoteEditorActions {}, object : WorkNavigation {},
            )
        },
        CatalogScreen("work-note-confirming") {
            NoteEditorContent(
                NoteEditorUi(writing, contacts = contacts, noteId = "n1", stage = EditorStage.CONFIRMING, toSign = signSummary(writing, "Ben Okafor")),
                object : NoteEditorActions {}, object : WorkNavigation {},
            )
        },
        CatalogScreen("work-note-signed") {
            NoteEditorContent(
                NoteEditorUi(
                    NoteForm.of(signedNote), contacts = contacts, noteId = "n2", stage = EditorStage.SIGNED,
                    signed = signedNote, addendum = "Dropped the form", message = UiText(Keys.ADDENDUM_ADDED),
                ),
                object : NoteEditorActions {}, object : WorkNavigation {},
            )
        },
    ) + WorkDayCatalog.screens
}
