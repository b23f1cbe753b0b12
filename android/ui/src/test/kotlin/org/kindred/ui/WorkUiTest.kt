package org.kindred.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.assertIsNotSelected
import androidx.compose.ui.test.assertIsOff
import androidx.compose.ui.test.assertIsOn
import androidx.compose.ui.test.assertIsSelected
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performScrollToNode
import androidx.compose.ui.test.performTextClearance
import androidx.compose.ui.test.performTextReplacement
import java.time.Duration
import java.time.LocalDate
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KindredStore
import org.kindred.NoteStatus
import org.kindred.app.AppModel
import org.kindred.app.Destination
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.showApp
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.type
import org.kindred.ui.harness.uiTest

/** The work area (caseload and contact notes) on the real native library. The test clock says Wed 4 Mar 2026, 10:00 UTC. */
class WorkUiTest {
    /** A worker's device with [people] on the caseload and the work area on. */
    private fun worker(vararg people: String, workArea: Boolean = true): TestDevice {
        val device = TestDevice(server = null)
        runBlocking {
            device.stores.create("worker phone", joining = false).use { k -> people.forEach { k.addContact(it) } }
        }
        if (workArea) device.prefs.put(AppModel.WORK_AREA, "true")
        return device
    }

    private fun RunningApp.store(): KindredStore = model.session!!.store

    private fun RunningApp.contactId(name: String): String = runBlocking { store().contacts() }.first { it.name == name }.id.value

    private fun ComposeUiTest.openWork() {
        awaitTag(Tags.tab(Destination.WORK))
        tap(Tags.tab(Destination.WORK))
        // The worker's day shows first; the caseload is one tap away.
        awaitTag(WorkTags.view(org.kindred.app.WorkView.CASELOAD))
        tap(WorkTags.view(org.kindred.app.WorkView.CASELOAD))
        awaitTag(WorkTags.CASELOAD)
    }

    @Test
    fun aFlagTickedJustBeforeSigningIsInTheSignedNote() = uiTest {
        val device = worker(workArea = false)
        RunningApp(device).use { app ->
            showApp(app)
            // The work area is off until the worker turns it on.
            awaitTag(Tags.tab(Destination.SETTINGS))
            onNodeWithTag(Tags.tab(Destination.WORK)).assertDoesNotExist()
            tap(Tags.tab(Destination.SETTINGS))
            tap(SettingsTags.WORK_AREA)
            openWork()
            awaitNode(hasText("No one on your caseload yet."))
            assertAccessible("caseload, empty")

            type(WorkTags.NEW_NAME, "Jo")
            tap(WorkTags.ADD)
            awaitNode(hasText("Added to your caseload."))
            val jo = app.contactId("Jo")
            awaitTag(WorkTags.person(jo))

            tap(WorkTags.NEW_NOTE)
            awaitTag(WorkTags.EDITOR)
            tap(WorkTags.contact(jo))
            type(WorkTags.NARRATIVE, "Walked to the food bank together")
            // A pause in typing: the draft is autosaved (without the flag).
            device.clock.advance(Duration.ofSeconds(5))
            awaitNode(hasText("Draft saved"))
            val id = runBlocking { app.store().notes() }.single().id
            assertFalse(runBlocking { app.store().note(id) }.substanceUse)

            // Ticked a moment before Sign: no pause, no autosave since.
            onNodeWithTag(WorkTags.SUBSTANCE_USE).assertIsOff()
            tap(WorkTags.SUBSTANCE_USE)
            onNodeWithTag(WorkTags.SUBSTANCE_USE).assertIsOn()
            tap(WorkTags.SIGN)
            awaitTag(WorkTags.CONFIRMING)
            // The confirmation shows exactly what will be signed, the flag too.
            awaitNode(hasText("Mentions substance use", substring = true))
            awaitNode(hasAnyAncestor(hasTestTag(WorkTags.CONFIRMING)) and hasText("Yes"))
            awaitNode(hasText("Walked to the food bank together"))
            awaitNode(hasText("Wed 4 Mar, 10:00 to 10:30"))
            assertAccessible("confirming the signature")
            assertEquals(NoteStatus.DRAFT, runBlocking { app.store().note(id) }.status, "nothing signed before confirming")
            tap(WorkTags.CONFIRM_SIGN)

            awaitTag(WorkTags.SIGNED)
            awaitNode(hasText("Signed.", substring = true))
            val signed = runBlocking { app.store().note(id) }
            assertEquals(NoteStatus.SIGNED, signed.status)
            assertTrue(signed.substanceUse, "the signed note carries the flag")
            assertEquals(1, runBlocking { app.store().notes() }.size)
            assertAccessible("signed note")

            // A signed note is read-only and takes addenda.
            onNodeWithTag(WorkTags.NARRATIVE).assertDoesNotExist()
            type(WorkTags.ADDENDUM, "Jo called later to say thanks")
            tap(WorkTags.ADD_ADDENDUM)
            awaitNode(hasText("Addendum added."))
            awaitNode(hasText("Jo called later to say thanks"))
            assertEquals(listOf("Jo called later to say thanks"), runBlocking { app.store().note(id) }.addenda.map { it.text })
        }
    }

    @Test
    fun aDraftLeftOnATabSwitchIsStillThereAndIsReopenedFromTheListAndSigned() = uiTest {
        val device = worker("Sam")
        RunningApp(device).use { app ->
            showApp(app)
            openWork()
            val sam = app.contactId("Sam")
            awaitNode(hasText("No drafts. Every note is signed."))
            tap(WorkTags.NEW_NOTE)
            awaitTag(WorkTags.EDITOR)
            tap(WorkTags.contact(sam))
            tap(WorkTags.type("phone"))
            type(WorkTags.NARRATIVE, "Phoned about the course")

            // Off to Today mid-note: leaving saves the draft, no pause needed.
            tap(Tags.tab(Destination.TODAY))
            awaitThat { runBlocking { app.store().notes() }.size == 1 }
            val id = runBlocking { app.store().notes() }.single().id.value
            assertEquals("Phoned about the course", runBlocking { app.store().notes() }.single().narrative)

            // Back on Work: the note is still open, as it was.
            tap(Tags.tab(Destination.WORK))
            awaitTag(WorkTags.EDITOR)
            awaitNode(hasText("Phoned about the course"))
            onNodeWithTag(WorkTags.contact(sam)).assertIsSelected()
            onNodeWithTag(WorkTags.type("phone")).assertIsSelected()

            // And it is in the drafts list, where it reopens.
            tap(WorkTags.BACK)
            awaitTag(WorkTags.draft(id))
            assertAccessible("caseload with a draft")
            tap(WorkTags.draft(id))
            awaitTag(WorkTags.EDITOR)
            awaitNode(hasText("Your draft note"))
            onNodeWithTag(WorkTags.NARRATIVE).performTextReplacement("Phoned about the course, and booked a visit")
            tap(WorkTags.SIGN)
            awaitTag(WorkTags.CONFIRMING)
            tap(WorkTags.CONFIRM_SIGN)
            awaitTag(WorkTags.SIGNED)

            val notes = runBlocking { app.store().notes() }
            assertEquals(1, notes.size, "the same note, not a copy")
            assertEquals(NoteStatus.SIGNED, notes.single().status)
            assertEquals("Phoned about the course, and booked a visit", notes.single().narrative)
            assertEquals("phone", notes.single().storedContactType)

            tap(WorkTags.BACK)
            awaitNode(hasText("No drafts. Every note is signed."))

            // Later: the signed note reopens from the caseload, read-only, and takes an addendum.
            tap(WorkTags.signed(id))
            awaitTag(WorkTags.SIGNED)
            onNodeWithTag(WorkTags.NARRATIVE).assertDoesNotExist()
            awaitNode(hasText("Phoned about the course, and booked a visit"))
            type(WorkTags.ADDENDUM, "Sam booked the course")
            tap(WorkTags.ADD_ADDENDUM)
            awaitNode(hasText("Addendum added."))
            assertEquals(listOf("Sam booked the course"), runBlocking { app.store().notes() }.single().addenda.map { it.text })
            assertEquals("Phoned about the course, and booked a visit", runBlocking { app.store().notes() }.single().narrative)
        }
    }

    @Test
    fun theEditorChoosesNoOneAndKindlyAsksBeforeSigningWithoutAContact() = uiTest {
        val device = worker("Jo", "Sam")
        RunningApp(device).use { app ->
            showApp(app)
            openWork()
            val jo = app.contactId("Jo")
            val sam = app.contactId("Sam")
            tap(WorkTags.NEW_NOTE)
            awaitTag(WorkTags.contact(jo))
            onNodeWithTag(WorkTags.contact(jo)).assertIsNotSelected()
            onNodeWithTag(WorkTags.contact(sam)).assertIsNotSelected()
            awaitNode(hasText("Choose who this note is about"))
            // Start and end differ from the first.
            awaitNode(hasText("Wed 4 Mar, 10:00"))
            awaitNode(hasText("10:30"))
            onNodeWithTag(WorkTags.length(30)).assertIsSelected()
            assertAccessible("a new note")

            type(WorkTags.NARRATIVE, "Met at the library")
            tap(WorkTags.SIGN)
            awaitNode(hasText("Choose who this note is about before signing."))
            onNodeWithTag(WorkTags.CONFIRMING).assertDoesNotExist()
            assertAccessible("asked to choose who the note is about")
            // Leaving keeps nothing that says who it is about.
            tap(WorkTags.BACK)
            awaitTag(WorkTags.CASELOAD)
            assertTrue(runBlocking { app.store().notes() }.isEmpty())

            tap(WorkTags.NEW_NOTE)
            awaitTag(WorkTags.EDITOR)
            onNodeWithTag(WorkTags.contact(jo)).assertIsNotSelected()
            tap(WorkTags.contact(sam))
            onNodeWithTag(WorkTags.contact(sam)).assertIsSelected()
            type(WorkTags.NARRATIVE, "Met at the library")
            tap(WorkTags.SIGN)
            awaitTag(WorkTags.CONFIRMING)
            awaitNode(hasAnyAncestor(hasTestTag(WorkTags.CONFIRMING)) and hasText("Sam"))
            // Not yet: back to writing, nothing signed.
            tap(WorkTags.KEEP_WRITING)
            awaitTag(WorkTags.EDITOR)
            assertTrue(runBlocking { app.store().notes() }.none { it.status == NoteStatus.SIGNED })
        }
    }

    @Test
    fun theCaseloadShowsLastAndNextContactAndWhoIsDueAndSearchFilters() = uiTest {
        val device = worker("Jo Smith", "Sam")
        RunningApp(device).use { app ->
            showApp(app)
            openWork()
            val jo = app.contactId("Jo Smith")
            val sam = app.contactId("Sam")
            awaitNode(hasText("No one is due this week."))
            awaitNode(hasAnyAncestor(hasTestTag(WorkTags.person(jo))) and hasText("No notes yet"))

            // A visit six days ago, written up today, with the next contact a week after it.
            tap(WorkTags.NEW_NOTE)
            awaitTag(WorkTags.EDITOR)
            tap(WorkTags.contact(jo))
            repeat(6) { tap(WorkTags.DAY_EARLIER) }
            awaitNode(hasText("Thu 26 Feb, 10:00"))
            tap(WorkTags.length(60))
            type(WorkTags.GOALS, "Housing, Work")
            type(WorkTags.NARRATIVE, "Looked at flats together")
            type(WorkTags.OWN_WORDS, "This one feels like home")
            tap(WorkTags.next(1))
            awaitNode(hasText("Next contact Thu 5 Mar"))
            tap(WorkTags.SIGN)
            awaitTag(WorkTags.CONFIRMING)
            awaitNode(hasText("Thu 26 Feb, 10:00 to 11:00"))
            awaitNode(hasText("Housing, Work"))
            tap(WorkTags.CONFIRM_SIGN)
            awaitTag(WorkTags.SIGNED)
            val n = runBlocking { app.store().notes() }.single()
            assertEquals(LocalDate.of(2026, 3, 5), n.nextContact)
            assertEquals(listOf("Housing", "Work"), n.goalsAddressed)
            assertEquals("This one feels like home", n.ownWords)
            assertEquals(Duration.ofHours(1), n.duration)

            tap(WorkTags.BACK)
            awaitNode(hasAnyAncestor(hasTestTag(WorkTags.person(jo))) and hasText("Last contact Thu 26 Feb"))
            awaitNode(hasAnyAncestor(hasTestTag(WorkTags.person(jo))) and hasText("Next contact Thu 5 Mar"))
            awaitTag(WorkTags.due(jo))
            onNodeWithTag(WorkTags.due(sam)).assertDoesNotExist()
            assertAccessible("caseload with someone due")

            type(WorkTags.SEARCH, "sa")
            awaitThat { onAllNodesWithTagCount(WorkTags.person(jo)) == 0 }
            awaitTag(WorkTags.person(sam))
            onNodeWithTag(WorkTags.SEARCH).performTextClearance()
            type(WorkTags.SEARCH, "nobody")
            awaitNode(hasText("No one by that name on your caseload."))
            onNodeWithTag(WorkTags.person(sam)).assertDoesNotExist()
            onNodeWithTag(WorkTags.SEARCH).performTextClearance()
            // Each card has its own "Delete forever" now: scroll to each person rather than expect both in view.
            for (id in listOf(jo, sam)) {
                awaitThat { runCatching { onNodeWithTag(WorkTags.CASELOAD).performScrollToNode(hasTestTag(WorkTags.person(id))) }.isSuccess }
                awaitTag(WorkTags.person(id))
            }
        }
    }

    @Test
    fun aNoteBeingWrittenIsSavedWhenTheAppGoesToTheBackground() = uiTest {
        val device = worker("Ana")
        RunningApp(device).use { app ->
            showApp(app)
            openWork()
            tap(WorkTags.NEW_NOTE)
            awaitTag(WorkTags.EDITOR)
            tap(WorkTags.contact(app.contactId("Ana")))
            type(WorkTags.NARRATIVE, "Met at the bus stop")
            app.model.backgrounded() // Android's onStop: the system may end the app now
            awaitThat { runBlocking { app.store().notes() }.size == 1 }
            assertEquals("Met at the bus stop", runBlocking { app.store().notes() }.single().narrative)
            app.model.foregrounded()
            awaitTag(WorkTags.EDITOR)
            awaitNode(hasText("Met at the bus stop"))
        }
    }

    private fun ComposeUiTest.onAllNodesWithTagCount(tag: String) =
        onAllNodes(hasTestTag(tag)).fetchSemanticsNodes().size
}
