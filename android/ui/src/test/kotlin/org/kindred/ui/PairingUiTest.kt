package org.kindred.ui

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.kindred.KindredStore
import org.kindred.StorageKeys
import org.kindred.app.AppPhase
import org.kindred.app.Destination
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.showApp
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.uiTest

/**
 * Adding one's own device by QR, on the real native library and a real
 * kindred-server: when a device asks, the phone shows its code with
 * "Yes, add it" and "Not my device"; nobody is added before the yes.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PairingUiTest {
    private fun ComposeUiTest.textOf(tag: String): String =
        onNodeWithTag(tag, useUnmergedTree = true).fetchSemanticsNode().config.getOrNull(SemanticsProperties.Text)?.joinToString("").orEmpty()

    private fun joiner(name: String) = runBlocking {
        KindredStore.createJoining(Files.createTempDirectory("kindred-joiner").toFile(), StorageKeys { ByteArray(32) { 4 } }, name)
    }

    /** Shows an offer on the phone's screen and has [who] ask with it; returns the offer and the code [who] shows. */
    private fun ComposeUiTest.ask(who: KindredStore): Pair<String, org.kindred.PairCode> {
        tap(SharingTags.SHOW_OFFER)
        awaitTag(SharingTags.OFFER_TEXT, timeoutMillis = 30_000)
        val offer = textOf(SharingTags.OFFER_TEXT)
        val code = runBlocking { who.pairJoinRequest(offer) }
        awaitTag(PairTags.ASK, timeoutMillis = 30_000)
        return offer to code
    }

    @Test
    fun thePhoneShowsTheNewDevicesCodeAndAddsItOnlyOnAYes() = uiTest {
        val sam = TestDevice()
        runBlocking { sam.stores.create("Sam's phone", joining = false).sync() }
        RunningApp(sam).use { app ->
            showApp(app)
            awaitThat { app.model.state.value.phase == AppPhase.Ready }
            tap(Tags.tab(Destination.SHARING))

            // A stranger with a photo of the QR code asks: the phone shows its code and asks.
            val stranger = joiner("Sam's tablet")
            val (offer, theirs) = ask(stranger)
            assertEquals(theirs.digits, textOf(PairTags.CODE_DIGITS))
            assertEquals(theirs.emoji.joinToString("  "), textOf(PairTags.CODE_EMOJI))
            awaitNode(hasText("A device called Sam's tablet asks to be one of your devices."))
            awaitNode(hasText("Does your new device show this same code? Add it only if it does."))
            assertAccessible("sharing, a device asks to join")
            tap(PairTags.NOT_MINE)
            awaitNode(hasText("Thank you for checking. No one was added."))
            val refused = runCatching { runBlocking { stranger.pairJoinWait(offer, java.time.Duration.ofSeconds(30)) } }
            assertTrue(refused.isFailure, "the stranger is told no")
            val store = app.model.session!!.store
            assertTrue(runBlocking { store.devices() }.none { !it.thisDevice }, "nobody was added")

            // Sam's own tablet asks; the codes match and Sam says yes.
            val tablet = joiner("Sam's tablet")
            val (offer2, mine) = ask(tablet)
            assertEquals(mine.digits, textOf(PairTags.CODE_DIGITS))
            val joining = kotlinx.coroutines.CoroutineScope(kotlinx.coroutines.Dispatchers.IO).async {
                tablet.pairJoinWait(offer2, java.time.Duration.ofSeconds(60))
            }
            tap(PairTags.YES)
            awaitNode(hasText("Sam's tablet is now one of your devices."), timeoutMillis = 60_000)
            assertEquals("Sam's phone", runBlocking { joining.await() }.name)
            assertTrue(runBlocking { store.devices() }.any { it.name == "Sam's tablet" })
            stranger.close()
            tablet.close()
        }
    }
}
