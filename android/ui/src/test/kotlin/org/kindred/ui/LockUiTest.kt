package org.kindred.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextInput
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.kindred.app.AppLock
import org.kindred.app.AppPhase
import org.kindred.app.LockMethod
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.showApp
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.type
import org.kindred.ui.harness.uiTest

/** The app lock through the UI; time moves on an injected clock, never by sleeping. */
class LockUiTest {
    private fun ComposeUiTest.typePin(pin: String) {
        pin.forEach { tap(LockTags.digit(it)) }
        tap(LockTags.ENTER)
    }

    @Test
    fun wrongPinsMakeItWaitAndTheRightPinWorksAfterTheWait() = uiTest {
        val device = TestDevice()
        runBlocking { device.stores.create("phone", joining = false) }.close()
        AppLock(device.prefs, device.clock, device.security).usePin("2468", withBiometrics = false)
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(LockTags.ENTER)
            repeat(AppLock.FREE_TRIES - 1) { i ->
                typePin("1111")
                val left = AppLock.FREE_TRIES - 1 - i
                awaitNode(hasText(if (left == 1) "1 more try before" else "$left more tries", substring = true))
            }
            typePin("1111")
            awaitNode(hasText("please wait a little", substring = true))
            // Even the right PIN waits now.
            typePin("2468")
            awaitNode(hasText("You can try again at 10:00:30", substring = true))
            assertEquals(AppPhase.Locked, app.model.state.value.phase)

            device.clock.advance(Duration.ofSeconds(31))
            typePin("2468")
            awaitThat { app.model.state.value.phase == AppPhase.Ready }
            awaitTag(Tags.screen(org.kindred.app.Destination.TODAY))
        }
    }

    @Test
    fun aDeviceWithoutAScreenLockIsNeverLockedOut() = uiTest {
        // The device lock was chosen while the phone had one; then the screen lock was removed.
        val device = TestDevice(screenLock = true)
        runBlocking { device.stores.create("phone", joining = false) }.close()
        AppLock(device.prefs, device.clock, device.security).useDeviceLock()
        device.security.screenLock = false
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(Tags.screen(org.kindred.app.Destination.TODAY))
            assertEquals(AppPhase.Ready, app.model.state.value.phase, "opens without asking")
            tap(Tags.tab(org.kindred.app.Destination.SETTINGS))
            awaitNode(hasText("has no screen lock now", substring = true))
        }
    }

    @Test
    fun firstRunOffersNoDeviceLockWhereThereIsNoneAndAPinLocksOnReturn() = uiTest {
        val device = TestDevice(screenLock = false)
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(FirstRunTags.FIRST_DEVICE).performClick()
            awaitTag(FirstRunTags.NO_LOCK)
            onNodeWithTag(FirstRunTags.USE_DEVICE_LOCK).assertDoesNotExist()
            type(FirstRunTags.PIN, "1357")
            type(FirstRunTags.PIN_AGAIN, "1357")
            tap(FirstRunTags.USE_PIN)
            awaitThat { app.model.state.value.phase == AppPhase.Ready }
            assertEquals(LockMethod.PIN, app.model.lock.method)

            // A minute in the background locks again (the default); the PIN opens it.
            app.model.backgrounded()
            device.clock.advance(Duration.ofMinutes(2))
            app.model.foregrounded()
            awaitTag(LockTags.ENTER)
            typePin("1357")
            awaitThat { app.model.state.value.phase == AppPhase.Ready }
        }
    }
}
