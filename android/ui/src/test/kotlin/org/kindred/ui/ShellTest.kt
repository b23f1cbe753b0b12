package org.kindred.ui

import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.kindred.app.AppPhase
import org.kindred.app.Destination
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.showApp
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.type
import org.kindred.ui.harness.uiTest

/** The app shell on the real native library: "Need help now" from everywhere. */
class ShellTest {
    @Test
    fun needHelpNowIsOneTapFromEveryTopLevelScreen() = uiTest {
        val device = TestDevice(region = "US")
        RunningApp(device).use { app ->
            showApp(app)
            // First run, before any data exists.
            awaitTag(FirstRunTags.FIRST_DEVICE)
            tap(Tags.HELP_BUTTON)
            awaitTag(Tags.HELP_SCREEN)
            onNodeWithText("Call 988").performClick()
            assertEquals(listOf("988"), device.dialer.calls)
            onNodeWithText("Text 988").performClick()
            assertEquals(listOf("988"), device.dialer.texts)
            onNodeWithText("Back").performClick()

            // Set up as a worker (every tab there is), no lock.
            awaitTag(FirstRunTags.WORKER).performClick()
            awaitTag(FirstRunTags.NO_LOCK).performClick()
            awaitThat { app.model.state.value.phase == AppPhase.Ready }

            val tabs = app.model.state.value.destinations
            assertEquals(Destination.entries.toList(), withScreens.sorted(), "every destination has its screen")
            assertEquals(withScreens.sorted(), tabs.sorted(), "every screen this build has is a tab")
            for (d in tabs) {
                tap(Tags.tab(d))
                awaitTag(Tags.screen(d))
                onNodeWithTag(Tags.HELP_BUTTON).assertIsDisplayed().performClick()
                awaitTag(Tags.HELP_SCREEN)
                assertAccessible("help over ${d.name}")
                onNodeWithText("Back").performClick()
                awaitTag(Tags.screen(d))
                assertEquals(d, app.model.state.value.destination, "back where the person was")
            }
            assertEquals(listOf("988"), device.dialer.calls, "opening help never calls by itself")
        }
    }

    @Test
    fun helpOnTheLockScreenToo() = uiTest {
        val device = TestDevice()
        runBlocking { device.stores.create("phone", joining = false) }.close()
        org.kindred.app.AppLock(device.prefs, device.clock, device.security).usePin("2468", withBiometrics = false)
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(LockTags.ENTER)
            tap(Tags.HELP_BUTTON)
            awaitTag(Tags.HELP_SCREEN)
            onNodeWithText("Call 988").performClick()
            assertEquals(listOf("988"), device.dialer.calls)
            onNodeWithText("Back").performClick()
            awaitTag(LockTags.ENTER)
            assertEquals(AppPhase.Locked, app.model.state.value.phase, "help does not unlock")
        }
    }
}

private fun List<Destination>.sorted() = sortedBy { it.ordinal }
