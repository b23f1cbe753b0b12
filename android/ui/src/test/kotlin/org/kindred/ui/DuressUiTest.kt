package org.kindred.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performScrollTo
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.app.AppLock
import org.kindred.app.AppPhase
import org.kindred.app.Destination
import org.kindred.app.Profile
import org.kindred.ui.harness.Look
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

/**
 * The duress PIN through the real Settings section and lock screen, on the
 * real native library: it opens an empty Kindred that looks like any
 * other, and (where chosen) leaves nothing of her own data to open.
 */
class DuressUiTest {
    private fun ComposeUiTest.typePin(pin: String) {
        awaitTag(LockTags.ENTER)
        pin.forEach { tap(LockTags.digit(it)) }
        tap(LockTags.ENTER)
    }

    private fun ComposeUiTest.relock(app: RunningApp) {
        app.model.backgrounded()
        app.device.clock.advance(Duration.ofMinutes(2))
        app.model.foregrounded()
        awaitThat { app.model.state.value.phase == AppPhase.Locked }
    }

    /** Her own data: a check-in with words of hers; a PIN. */
    private fun TestDevice.withOwnData(): TestDevice {
        runBlocking { stores.create("phone", joining = false).use { it.addCheckIn(2, note = "Rough night after the meeting") } }
        AppLock(prefs, clock, security).usePin("2468", withBiometrics = false)
        return this
    }

    private fun ComposeUiTest.openSettingsDuress() {
        tap(Tags.tab(Destination.SETTINGS))
        awaitTag(SettingsTags.DURESS)
        onNodeWithTag(SettingsTags.DURESS).performScrollTo()
    }

    private fun ComposeUiTest.setDuressPin(pin: String, again: String = pin) {
        tap(SettingsTags.DURESS_SET)
        awaitTag(SettingsTags.DURESS_PIN)
        type(SettingsTags.DURESS_PIN, pin)
        type(SettingsTags.DURESS_PIN_AGAIN, again)
    }

    @Test
    fun settingsSetsADuressPinThatOpensAnEmptyKindredAndThePinStillOpensHers() = uiTest {
        val device = TestDevice().withOwnData()
        RunningApp(device).use { app ->
            showApp(app)
            typePin("2468")
            awaitNode(hasText("Rough night after the meeting", substring = true))
            val ownTabs = app.model.state.value.destinations
            openSettingsDuress()
            awaitNode(hasText("If someone makes you open Kindred, this PIN opens an empty Kindred", substring = true))
            awaitNode(hasText("No duress PIN is set."))
            assertAccessible("settings, duress PIN off")

            // Her own PIN cannot be the duress PIN: said in words, nothing saved.
            setDuressPin("2468")
            assertAccessible("settings, duress PIN form")
            tap(SettingsTags.DURESS_SAVE)
            awaitNode(hasText("That PIN is already in use. Please choose a different one."))
            assertFalse(app.model.lock.hasDuress)
            tap(SettingsTags.DURESS_NOT_NOW)

            setDuressPin("1357", again = "1375")
            tap(SettingsTags.DURESS_SAVE)
            awaitNode(hasText("The two PINs are not the same", substring = true))
            tap(SettingsTags.DURESS_NOT_NOW)

            setDuressPin("1357")
            tap(SettingsTags.DURESS_SAVE)
            awaitNode(hasText("Your duress PIN is set."))
            awaitNode(hasText("A duress PIN is set."))
            assertTrue(app.model.lock.hasDuress)
            assertFalse(app.model.lock.duressDestroys(Profile.OWN), "deleting the key is off unless she turns it on")
            awaitTag(SettingsTags.DURESS_OFF)
            assertAccessible("settings, duress PIN on")

            relock(app)
            assertNull(app.model.session, "nothing stays open behind the lock")
            typePin("1357")
            awaitThat { app.model.state.value.phase == AppPhase.Ready }
            awaitTag(Tags.screen(Destination.TODAY))
            awaitNode(hasText("Nothing here yet", substring = true))
            assertEquals(Profile.DECOY, app.model.session!!.profile)
            assertTrue(onAllNodesWithText("Rough night", substring = true).fetchSemanticsNodes().isEmpty(), "nothing of hers")
            assertEquals(ownTabs, app.model.state.value.destinations, "the same tabs")
            assertAccessible("the empty Kindred, today")
            // Its Settings look like any Kindred's with a PIN: no duress PIN here.
            openSettingsDuress()
            awaitNode(hasText("No duress PIN is set."))
            onNodeWithTag(SettingsTags.LOCK_OFF).assertDoesNotExist()

            relock(app)
            typePin("2468")
            awaitThat { app.model.session?.profile == Profile.OWN && app.model.state.value.phase == AppPhase.Ready }
            tap(Tags.tab(Destination.TODAY))
            awaitNode(hasText("Rough night after the meeting", substring = true))
            assertTrue(device.stores.exists())
        }
    }

    @Test
    fun withDeletionChosenTheDuressPinLeavesNothingOfHersAndThePinFindsFirstRun() = uiTest {
        val device = TestDevice().withOwnData()
        RunningApp(device).use { app ->
            // Large text: the section, its switch and what it means all fit.
            showApp(app, Look(dark = false, fontScale = 2f))
            typePin("2468")
            awaitThat { app.model.state.value.phase == AppPhase.Ready }
            openSettingsDuress()
            setDuressPin("1357")
            tap(SettingsTags.DURESS_DESTROY)
            awaitNode(hasText("your own Kindred cannot be opened on this device any more", substring = true))
            assertAccessible("settings, duress PIN form with deletion, font scale 2")
            tap(SettingsTags.DURESS_SAVE)
            awaitNode(hasText("Your duress PIN is set."))
            assertTrue(app.model.lock.duressDestroys(Profile.OWN))
            onNodeWithTag(SettingsTags.DURESS_DESTROY).performScrollTo()
            assertAccessible("settings, duress PIN on with deletion, font scale 2")

            relock(app)
            typePin("1357")
            awaitThat { app.model.state.value.phase == AppPhase.Ready }
            awaitTag(Tags.screen(Destination.TODAY))
            assertEquals(Profile.DECOY, app.model.session!!.profile)
            assertTrue(runBlocking { app.model.session!!.store.checkIns() }.isEmpty())
            assertNull(device.stores.key, "the key to her data is gone from the key store")
            assertFalse(device.stores.exists(), "and her data from this device")

            relock(app)
            typePin("2468")
            awaitTag(FirstRunTags.FIRST_DEVICE)
            assertEquals(AppPhase.FirstRun, app.model.state.value.phase)
            assertAccessible("first run after the key was deleted, font scale 2")
        }
    }
}
