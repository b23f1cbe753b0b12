package org.kindred.ui

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.assertTextEquals
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performTextClearance
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KindredStore
import org.kindred.app.Destination
import org.kindred.app.Keys
import org.kindred.app.SyncAction
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.TestServer
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.showApp
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.type
import org.kindred.ui.harness.uiTest

/** Sync you can trust, on the real native library and a real relay (or one that is down). */
class SyncUiTest {
    private fun ready(device: TestDevice): KindredStore = runBlocking { device.stores.create("phone", joining = false) }

    private fun ComposeUiTest.text(tag: String): String =
        onNodeWithTag(tag, useUnmergedTree = true).fetchSemanticsNode().config.getOrNull(SemanticsProperties.Text)?.joinToString { it.text }.orEmpty()

    @Test
    fun syncNowSendsWhatWaitsAndSaysWhen() = uiTest {
        val device = TestDevice(server = TestServer.url)
        val seed = ready(device)
        runBlocking { seed.addGoal("Cook at home") }
        seed.close()
        RunningApp(device).use { app ->
            showApp(app)
            tap(Tags.tab(Destination.SYNC))
            awaitNode(hasText("It will sync for the first time when you are online", substring = true))
            assertEquals("Not synced yet", text(SyncTags.LAST))
            assertAccessible("sync, never synced")

            tap(SyncTags.NOW)
            awaitNode(hasText("Synced. Everything is up to date."))
            awaitThat { text(SyncTags.LAST).startsWith("Last synced ") }
            assertEquals("Everything is saved on this phone and synced.", text(SyncTags.HEADLINE))

            // A check-in on Today waits for the next sync; the Sync tab says how many changes.
            tap(Tags.tab(Destination.TODAY))
            tap(TodayTags.mood(4))
            tap(TodayTags.SAVE)
            awaitNode(hasText("Saved. Thank you for checking in."))
            tap(Tags.tab(Destination.SYNC))
            val store = app.model.session!!.store
            val waiting = runBlocking { store.syncStatus() }.sumOf { it.pending }
            assertTrue(waiting > 0, "the check-in waits")
            val changes = if (waiting == 1L) "1 change" else "$waiting changes"
            awaitThat { text(SyncTags.HEADLINE) == "Everything is saved on this phone. $changes will sync when you are online." }
            assertAccessible("sync, changes waiting")

            tap(SyncTags.NOW)
            awaitThat { text(SyncTags.HEADLINE) == "Everything is saved on this phone and synced." }
            awaitNode(hasText("Synced. Everything is up to date."))
            assertTrue(text(SyncTags.LAST).startsWith("Last synced "), text(SyncTags.LAST))
            onNodeWithTag(SyncTags.PROBLEM).assertDoesNotExist()
            assertEquals(0L, runBlocking { store.syncStatus() }.sumOf { it.pending }, "the store has sent everything")
            assertAccessible("sync, all caught up")

            // A change made while the Sync tab shows (here straight through the store) shows at once, no tab switch.
            runBlocking { store.addCheckIn(2, note = "while looking") }
            val now = runBlocking { store.syncStatus() }.sumOf { it.pending }
            assertTrue(now > 0)
            val more = if (now == 1L) "1 change" else "$now changes"
            awaitThat { text(SyncTags.HEADLINE) == "Everything is saved on this phone. $more will sync when you are online." }
        }
    }

    @Test
    fun aRelayThatIsDownIsAProblemInPlainWordsWithTryAgain() = uiTest {
        val device = TestDevice(server = "http://127.0.0.1:9") // nothing listens there
        val seed = ready(device)
        runBlocking { seed.addCheckIn(3) }
        seed.close()
        RunningApp(device).use { app ->
            showApp(app)
            tap(Tags.tab(Destination.SYNC))
            awaitTag(SyncTags.NOW)
            tap(SyncTags.NOW)
            awaitTag(SyncTags.PROBLEM)
            val sync = app.model.session!!.sync
            awaitThat { !sync.state.value.syncing }
            assertEquals(SyncAction.TRY_AGAIN, sync.state.value.problem?.action, "${sync.state.value}")
            assertEquals(Keys.SYNC_OFFLINE, sync.state.value.problem?.text?.key, "${sync.state.value}")
            awaitNode(hasText("You seem to be offline. Everything is kept on this device; it will sync when you are back online."))
            awaitTag(SyncTags.TRY_AGAIN)
            onNodeWithTag(SyncTags.TRY_AGAIN).assertTextEquals("Try again")
            assertAccessible("sync, relay down")

            tap(SyncTags.TRY_AGAIN)
            awaitThat { !app.model.session!!.sync.state.value.syncing }
            awaitNode(hasText("You seem to be offline", substring = true))
            val store = app.model.session!!.store
            assertEquals(1, runBlocking { store.checkIns() }.size, "nothing is lost")
            assertTrue(text(SyncTags.HEADLINE).startsWith("Everything is saved on this"), "the headline says what is kept: ${text(SyncTags.HEADLINE)}")
        }
    }

    @Test
    fun withNoRelayTheProblemOpensSettings() = uiTest {
        val device = TestDevice(server = null)
        ready(device).close()
        RunningApp(device).use { app ->
            showApp(app)
            tap(Tags.tab(Destination.SYNC))
            awaitNode(hasText("Add a sync server in Settings", substring = true))
            awaitTag(SyncTags.OPEN_SETTINGS)
            assertAccessible("sync, not set up")
            tap(SyncTags.OPEN_SETTINGS)
            awaitThat { app.model.state.value.destination == Destination.SETTINGS }
            awaitTag(Tags.screen(Destination.SETTINGS))

            // The address is the first thing there; a wrong shape is said beside it and nothing is saved.
            awaitTag(SettingsTags.SERVER)
            type(SettingsTags.SERVER, "sync.example.org")
            tap(SettingsTags.SAVE_SERVER)
            awaitNode(hasText("The address starts with https://", substring = true))
            assertEquals(null, runBlocking { app.model.session!!.store.server() })
            assertAccessible("settings, a server address with the wrong shape")

            // Plain http:// to another computer: the words say why, and what to use instead.
            onNodeWithTag(SettingsTags.SERVER).performTextClearance()
            type(SettingsTags.SERVER, "http://sync.example.org")
            tap(SettingsTags.SAVE_SERVER)
            awaitNode(hasText("This address starts with http://", substring = true))
            awaitNode(hasText("Use its https:// address", substring = true))
            assertEquals(null, runBlocking { app.model.session!!.store.server() })
            assertAccessible("settings, a plain http server address")

            onNodeWithTag(SettingsTags.SERVER).performTextClearance()
            type(SettingsTags.SERVER, TestServer.url)
            tap(SettingsTags.SAVE_SERVER)
            awaitNode(hasText("Saved. Kindred will sync through this address."))
            assertEquals(TestServer.url.trimEnd('/'), runBlocking { app.model.session!!.store.server() })

            // Back on Sync, it syncs.
            tap(Tags.tab(Destination.SYNC))
            tap(SyncTags.NOW)
            awaitNode(hasText("Synced. Everything is up to date."))
        }
    }
}
