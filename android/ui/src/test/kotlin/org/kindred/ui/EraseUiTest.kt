package org.kindred.ui

import androidx.compose.ui.test.assertIsEnabled
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.assertIsSelected
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KeptRecordReason
import org.kindred.app.AppModel
import org.kindred.app.Destination
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.TestServer
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.showApp
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.uiTest

/** Delete forever on the real native library: asked in plain words first, then said where it is gone from. */
class EraseUiTest {
    @Test
    fun aSyncedCheckInIsDeletedForeverFromThisPhoneAndTheSyncServer() = uiTest {
        val device = TestDevice(server = TestServer.url)
        runBlocking {
            device.stores.create("phone", joining = false).use { k ->
                k.addCheckIn(2, note = "Rough night")
                k.addCheckIn(4)
                k.sync()
            }
        }
        RunningApp(device).use { app ->
            showApp(app)
            val store = app.model.session!!.store
            val rough = runBlocking { store.checkIns() }.first { it.mood == 2 }.id.value
            awaitTag(TodayTags.erase(rough))
            tap(TodayTags.erase(rough))
            awaitNode(hasText("This check-in will be deleted from this device, your other devices and the sync server", substring = true))
            assertAccessible("today, delete forever asked")
            // "Keep it" keeps it.
            tap(TodayTags.ERASE_NO)
            awaitTag(TodayTags.erase(rough))
            assertEquals(2, runBlocking { store.checkIns() }.size)

            tap(TodayTags.erase(rough))
            awaitTag(TodayTags.ERASE_YES)
            tap(TodayTags.ERASE_YES)
            awaitNode(hasText("Deleted forever: this check-in. It is gone from this device and the sync server now", substring = true))
            awaitThat { runCatching { onNodeWithTag(TodayTags.row(rough)).assertDoesNotExist() }.isSuccess }
            assertEquals(listOf(4), runBlocking { store.checkIns() }.map { it.mood })
            assertEquals(0, runBlocking { store.erasuresWaiting() })
        }
    }

    @Test
    fun aGoalOnlyOnThisDeviceIsDeletedForeverFromItsPage() = uiTest {
        val device = TestDevice(server = null)
        runBlocking { device.stores.create("phone", joining = false).use { it.addGoal("Go back to the choir") } }
        RunningApp(device).use { app ->
            showApp(app)
            tap(Tags.tab(Destination.GOALS))
            val store = app.model.session!!.store
            val id = runBlocking { store.goals() }.single().id.value
            awaitTag(GoalsTags.card(id))
            tap(GoalsTags.card(id))
            awaitTag(GoalsTags.ERASE)
            tap(GoalsTags.ERASE)
            awaitTag(GoalsTags.ERASE_ASK)
            awaitNode(hasText("“Go back to the choir” will be deleted, with its steps and progress notes", substring = true))
            assertAccessible("goals, delete forever asked")
            tap(GoalsTags.ERASE_YES)
            awaitNode(hasText("It was only on this device, and nothing of it is left here.", substring = true))
            awaitTag(GoalsTags.LIST)
            assertTrue(runBlocking { store.goals() }.isEmpty())
        }
    }

    @Test
    fun aContactWithASignedNoteGoesOnlyOnceTheWorkerSaysWhy() = uiTest {
        val device = TestDevice(server = null)
        runBlocking {
            device.stores.create("worker phone", joining = false).use { k ->
                val sam = k.addContact("Sam")
                val n = k.addNote(sam, java.time.OffsetDateTime.parse("2026-03-02T10:00:00Z"), java.time.OffsetDateTime.parse("2026-03-02T11:00:00Z"), "Visit at home")
                k.signNote(n)
            }
        }
        device.prefs.put(AppModel.WORK_AREA, "true")
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(Tags.tab(Destination.WORK))
            tap(Tags.tab(Destination.WORK))
            awaitTag(WorkTags.view(org.kindred.app.WorkView.CASELOAD))
            tap(WorkTags.view(org.kindred.app.WorkView.CASELOAD))
            awaitTag(WorkTags.CASELOAD)
            val store = app.model.session!!.store
            val sam = runBlocking { store.contacts() }.single().id.value
            awaitTag(WorkTags.erase(sam))
            tap(WorkTags.erase(sam))
            awaitNode(hasText("1 of these notes is signed", substring = true))
            onNodeWithTag(WorkTags.ERASE_YES).assertIsNotEnabled()
            assertAccessible("caseload, delete forever asked, a reason needed")
            tap(WorkTags.because(KeptRecordReason.RETENTION_ENDED))
            onNodeWithTag(WorkTags.because(KeptRecordReason.RETENTION_ENDED)).assertIsSelected()
            onNodeWithTag(WorkTags.ERASE_YES).assertIsEnabled()
            tap(WorkTags.ERASE_YES)
            awaitNode(hasText("Deleted forever: Sam and every note about them.", substring = true))
            assertTrue(runBlocking { store.contacts() }.isEmpty())
            assertTrue(runBlocking { store.notes() }.isEmpty())
        }
    }

    @Test
    fun eraseEverythingTakesTwoClearStepsAndKeepEverythingIsAlwaysThere() = uiTest {
        val device = TestDevice(server = null)
        runBlocking {
            device.stores.create("phone", joining = false).use { k ->
                k.addGoal("One")
                k.addCheckIn(3)
            }
        }
        RunningApp(device).use { app ->
            showApp(app)
            tap(Tags.tab(Destination.SETTINGS))
            val store = app.model.session!!.store
            awaitTag(SettingsTags.ERASE)
            tap(SettingsTags.ERASE)
            awaitTag(SettingsTags.ERASE_GO_ON)
            tap(SettingsTags.ERASE_KEEP)
            awaitTag(SettingsTags.ERASE)
            assertEquals(1, runBlocking { store.goals() }.size)

            tap(SettingsTags.ERASE)
            tap(SettingsTags.ERASE_GO_ON)
            awaitNode(hasText("This is the last step.", substring = true))
            assertAccessible("settings, erase everything, the last step")
            tap(SettingsTags.ERASE_NOW)
            awaitNode(hasText("Deleted forever: everything you have written.", substring = true))
            assertTrue(runBlocking { store.goals() }.isEmpty())
            assertTrue(runBlocking { store.checkIns() }.isEmpty())
            // Today shows nothing, kindly, and the app goes on.
            tap(Tags.tab(Destination.TODAY))
            awaitNode(hasText("Nothing here yet", substring = true))
        }
    }
}
