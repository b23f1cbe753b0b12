package org.kindred.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performScrollToNode
import androidx.compose.ui.test.performTextClearance
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.kindred.KindredStore
import org.kindred.StorageKeys
import org.kindred.app.AppPhase
import org.kindred.app.Destination
import org.kindred.app.KitState
import org.kindred.app.KitStep
import org.kindred.createRecoveryKit
import org.kindred.ui.harness.Look
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

/**
 * The recovery kit through the real screens, on the real native library
 * and a real kindred-server (issue 16): the suggestion after first run,
 * making a kit in Settings (the words shown once, saved, checked by two
 * words), and bringing everything back on a new device from first run,
 * with its errors in kind words. Every step is checked for accessibility,
 * at font scale 1 and 2.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RecoveryKitUiTest {
    private fun ComposeUiTest.clearAndType(tag: String, text: String) {
        val node = onNodeWithTag(tag)
        runCatching { node.performScrollTo() }
        node.performTextClearance()
        type(tag, text)
    }

    private fun KitState.expected(i: Int): String {
        val ask = asks[i]
        return (if (ask.share == null) words else shares.first { it.number == ask.share }.words)[ask.position - 1]
    }

    /** First run, "This is my first device", no lock, then the kit from Today's card to done. */
    private fun makeAKitFromTheSuggestion(look: Look) = uiTest {
        val device = TestDevice()
        RunningApp(device).use { app ->
            showApp(app, look)
            awaitTag(FirstRunTags.FIRST_DEVICE)
            tap(FirstRunTags.FIRST_DEVICE)
            awaitTag(FirstRunTags.NO_LOCK)
            tap(FirstRunTags.NO_LOCK)
            awaitThat { app.model.state.value.phase == AppPhase.Ready }

            // One gentle card on Today (under the check-in: scrolled to with large text).
            awaitThat { app.model.session?.recoveryKit?.state?.value?.suggestOnToday == true }
            awaitTag(TodayTags.LIST).performScrollToNode(hasTestTag(KitTags.SUGGEST))
            awaitNode(hasText("If this phone is ever lost, a recovery kit brings everything back on a new one.", substring = true))
            assertAccessible("today, the kit suggestion (${look.label})")
            tap(KitTags.SUGGEST_MAKE)

            // Settings, the form.
            awaitTag(KitTags.MAKE_NOW)
            assertEquals(Destination.SETTINGS, app.model.state.value.destination)
            awaitNode(hasText("Split it into 3 shares"))
            assertAccessible("settings, making a kit (${look.label})")
            tap(KitTags.MAKE_NOW)

            // The words, shown once, large and numbered, with the QR code.
            awaitTag(KitTags.WORDS, timeoutMillis = 60_000)
            val kit = app.model.session!!.recoveryKit
            val shown = kit.state.value
            assertEquals(12, shown.words.size)
            shown.words.forEachIndexed { i, w -> awaitNode(hasContentDescription("Word ${i + 1}: $w")) }
            awaitNode(hasText("These words are shown only now", substring = true))
            awaitTag(KitTags.QR)
            assertAccessible("settings, the kit's words (${look.label})")

            // Save or print: plain text to the share sheet.
            tap(KitTags.SAVE)
            awaitNode(hasText("Saved to /tmp/kindred-recovery-kit.txt", substring = true))
            val (name, bytes) = device.share.files.single()
            assertEquals("kindred-recovery-kit.txt", name)
            val text = bytes.decodeToString()
            assertTrue(shown.words.all { it in text }, text)
            onNodeWithTag(KitTags.SAVE).performScrollTo()
            assertAccessible("settings, the kit's words at the end (${look.label})")

            // The check: a wrong word is said kindly; she looks again, then gets it right.
            tap(KitTags.WROTE_IT)
            awaitTag(KitTags.answer(0))
            val asks = kit.state.value.asks
            awaitNode(hasText("Word ${asks[0].position}"))
            type(KitTags.answer(0), shown.expected(0))
            type(KitTags.answer(1), if (shown.expected(1) == "zoo") "zone" else "zoo")
            tap(KitTags.CHECK)
            awaitNode(hasText("Word ${asks[1].position} is not quite what your kit says.", substring = true))
            assertAccessible("settings, the check with a wrong word (${look.label})")
            tap(KitTags.LOOK_AGAIN)
            awaitTag(KitTags.WORDS)
            tap(KitTags.WROTE_IT)
            awaitTag(KitTags.answer(1))
            clearAndType(KitTags.answer(1), shown.expected(1))
            tap(KitTags.CHECK)

            // Done: the words are gone from the screen and the state; Settings says she has a kit.
            awaitNode(hasText("Your recovery kit is ready.", substring = true))
            awaitNode(hasText("You have a recovery kit. It brings back your own records.", substring = true), timeoutMillis = 30_000)
            assertEquals(KitStep.STATUS, kit.state.value.step)
            assertTrue(kit.state.value.words.isEmpty())
            assertTrue(onAllNodesTagged(KitTags.WORDS).isEmpty())
            onNodeWithTag(KitTags.SECTION).performScrollTo()
            assertAccessible("settings, the kit section with a kit (${look.label})")
            assertTrue(onAllNodesTagged(KitTags.SUGGEST).isEmpty(), "no suggestion once she has a kit")
            tap(Tags.tab(Destination.TODAY))
            awaitTag(TodayTags.LIST)
            assertFalse(kit.state.value.suggestOnToday, "nor on Today")
            assertTrue(onAllNodesTagged(KitTags.SUGGEST).isEmpty())
        }
    }

    private fun ComposeUiTest.onAllNodesTagged(tag: String) = onAllNodes(hasTestTag(tag), useUnmergedTree = true).fetchSemanticsNodes()

    @Test
    fun aKitMadeFromTheSuggestionIsShownOnceSavedAndCheckedAtFontScale1() = makeAKitFromTheSuggestion(Look(dark = false, fontScale = 1f))

    @Test
    fun aKitMadeFromTheSuggestionIsShownOnceSavedAndCheckedAtFontScale2() = makeAKitFromTheSuggestion(Look(dark = true, fontScale = 2f))

    /** Her old phone, with a goal on the relay and a kit; returns it and the kit's words (or shares). */
    private fun oldPhone(goal: String, split: Boolean = false): Pair<KindredStore, org.kindred.NewKit> = runBlocking {
        val phone = KindredStore.create(Files.createTempDirectory("kindred-old-phone").toFile(), StorageKeys { ByteArray(32) { 6 } }, "Sam's old phone")
        phone.setServer(TestServer.url)
        phone.addGoal(goal)
        phone.sync()
        phone to phone.createRecoveryKit(split = split)
    }

    @Test
    fun aNewPhoneBringsEverythingBackWithTheWordsAfterAWrongWordAndBeingOffline() = uiTest {
        val (phone, kit) = oldPhone("Walk to the allotment")
        val device = TestDevice(server = null)
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(KitTags.HAVE_KIT)
            tap(KitTags.HAVE_KIT)
            awaitTag(KitTags.RESTORE_WORDS)
            type(KitTags.RESTORE_SERVER, "http://127.0.0.1:9")
            // A wrong third word is named as she types, under the field.
            val typo = kit.words.split(' ').toMutableList().also { it[2] = it[2] + "q" }
            type(KitTags.RESTORE_WORDS, typo.take(4).joinToString(" ") + " ")
            awaitNode(hasText("Have another look: word 3 is not one of the recovery kit's words", substring = true))
            assertAccessible("first run, restore, a wrong word")
            clearAndType(KitTags.RESTORE_WORDS, kit.words)
            awaitNode(hasText("These 12 words look right."))

            // Offline: kind words, and nothing half-made stays.
            tap(KitTags.RESTORE)
            awaitNode(hasText("Kindred could not reach that sync server.", substring = true), timeoutMillis = 60_000)
            assertFalse(device.stores.exists(), "nothing set up")
            assertTrue(device.stores.dir.listFiles().isNullOrEmpty(), "nothing left in the data folder")
            assertAccessible("first run, restore, offline")

            // The right address: everything comes back.
            clearAndType(KitTags.RESTORE_SERVER, TestServer.url)
            tap(KitTags.RESTORE)
            awaitTag(KitTags.RESTORED, timeoutMillis = 60_000)
            awaitNode(hasText("Welcome back"))
            awaitNode(hasText("On this device again: your own records."))
            awaitNode(hasText("Your other devices were taken out of your Kindred.", substring = true))
            assertAccessible("first run, restored")
            tap(FirstRunTags.NO_LOCK)
            awaitThat { app.model.state.value.phase == AppPhase.Ready }
            assertTrue(onAllNodes(hasTestTag(KitTags.SUGGEST), useUnmergedTree = true).fetchSemanticsNodes().isEmpty(), "no suggestion: she has her kit")
            tap(Tags.tab(Destination.GOALS))
            awaitNode(hasText("Walk to the allotment"), timeoutMillis = 30_000)

            // The old phone is out, and wipes what it holds when it comes back online.
            val report = runBlocking { phone.sync() }
            assertTrue(report.all { it.removed }, "$report")
        }
        phone.close()
    }

    @Test
    fun twoSharesBringEverythingBackAtFontScale2AndHerOtherDevicesCanStay() = uiTest {
        val (phone, kit) = oldPhone("Cook with my daughter", split = true)
        val device = TestDevice(server = null)
        RunningApp(device).use { app ->
            showApp(app, Look(dark = false, fontScale = 2f))
            awaitTag(KitTags.HAVE_KIT)
            tap(KitTags.HAVE_KIT)
            awaitTag(KitTags.RESTORE_SERVER)
            type(KitTags.RESTORE_SERVER, TestServer.url)
            tap(KitTags.WITH_SHARES)
            awaitTag(KitTags.restoreShare(1))
            type(KitTags.restoreShare(0), kit.shares[1])
            type(KitTags.restoreShare(1), kit.shares[1])
            awaitNode(hasText("These are the same share. Two different ones are needed."))
            assertAccessible("first run, restore with shares, the same one twice, font scale 2")
            clearAndType(KitTags.restoreShare(1), kit.shares[2])
            awaitNode(hasText("Share 3 looks right."))
            tap(KitTags.LOST)
            awaitNode(hasText("They stay as they are.", substring = true))
            assertAccessible("first run, restore with shares, font scale 2")
            tap(KitTags.RESTORE)
            awaitTag(KitTags.RESTORED, timeoutMillis = 60_000)
            assertAccessible("first run, restored with shares, font scale 2")
            assertTrue(onAllNodes(hasText("Your other devices were taken out", substring = true)).fetchSemanticsNodes().isEmpty())
            tap(FirstRunTags.NO_LOCK)
            awaitThat { app.model.state.value.phase == AppPhase.Ready }
            tap(Tags.tab(Destination.GOALS))
            awaitNode(hasText("Cook with my daughter"), timeoutMillis = 30_000)
            val report = runBlocking { phone.sync() }
            assertTrue(report.none { it.removed }, "the old phone stays: $report")
        }
        phone.close()
    }
}
