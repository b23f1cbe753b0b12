package org.kindred.ui

import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextInput
import java.nio.file.Files
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KindredStore
import org.kindred.StorageKeys
import org.kindred.app.AppPhase
import org.kindred.app.Destination
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.TestServer
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.showApp
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.type
import org.kindred.ui.harness.uiTest

/** First run on the real native library and a real kindred-server. */
class FirstRunUiTest {
    @Test
    fun aSecondDeviceJoinsByPastingTheOfferAndBothConverge() = uiTest {
        // The person's first phone, set up earlier, with a check-in on it.
        val phone = runBlocking {
            KindredStore.create(Files.createTempDirectory("kindred-phone").toFile(), StorageKeys { ByteArray(32) { 3 } }, "phone")
        }
        val offer = runBlocking {
            phone.setServer(TestServer.url)
            phone.addCheckIn(5, note = "from the phone")
            phone.sync()
            phone.pairOffer()
        }
        val waiting = kotlinx.coroutines.CoroutineScope(Dispatchers.IO).async { phone.pairWait(offer, java.time.Duration.ofMinutes(2)) }
        val textOf = { tag: String ->
            onNodeWithTag(tag, useUnmergedTree = true).fetchSemanticsNode().config
                .getOrNull(androidx.compose.ui.semantics.SemanticsProperties.Text)?.joinToString("").orEmpty()
        }

        val tablet = TestDevice()
        RunningApp(tablet).use { app ->
            showApp(app)
            awaitTag(FirstRunTags.OTHER_DEVICE).performClick()
            awaitTag(FirstRunTags.OFFER).performTextInput(offer)
            tap(FirstRunTags.JOIN)
            // The tablet shows its code; the phone shows the same one, and its person says yes.
            awaitTag(PairTags.CODE_DIGITS, timeoutMillis = 60_000)
            val asked = runBlocking { waiting.await() }
            assertEquals("test phone", asked.name)
            assertEquals(asked.code.digits, textOf(PairTags.CODE_DIGITS))
            assertEquals(asked.code.emoji.joinToString("  "), textOf(PairTags.CODE_EMOJI))
            awaitNode(hasText("Your other device should show this same code. Say yes there if it does."))
            runBlocking { phone.pairAnswer(offer, true) }
            awaitTag(FirstRunTags.NO_LOCK, timeoutMillis = 60_000).performClick()
            awaitThat { app.model.state.value.phase == AppPhase.Ready }

            // One gentle card suggests a recovery kit; she hides it, for good.
            awaitTag(KitTags.SUGGEST_HIDE)
            tap(KitTags.SUGGEST_HIDE)
            awaitThat { app.model.session!!.recoveryKit.state.value.let { !it.suggestOnToday && !it.suggestInSettings } }

            // The phone's check-in is on the tablet's Today.
            awaitNode(hasText("from the phone"))
            assertEquals(Destination.TODAY, app.model.state.value.destination)

            // And a check-in made on the tablet reaches the phone.
            tap(TodayTags.mood(3))
            type("checkin_note", "from the tablet")
            tap(TodayTags.SAVE)
            awaitNode(hasText("Saved. Thank you for checking in."))
            awaitNode(hasText("from the tablet"))
            val tabletStore = app.model.session!!.store
            runBlocking { tabletStore.sync() }
            runBlocking { phone.sync() }
            val onPhone = runBlocking { phone.checkIns() }.mapNotNull { it.note }.toSet()
            assertEquals(setOf("from the phone", "from the tablet"), onPhone)
            assertEquals(onPhone, runBlocking { tabletStore.checkIns() }.mapNotNull { it.note }.toSet())
            assertTrue(runBlocking { phone.devices() }.size >= 2, "the phone knows the tablet")
        }
        phone.close()
    }
}
