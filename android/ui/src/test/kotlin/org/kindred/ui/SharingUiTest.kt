package org.kindred.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.util.concurrent.TimeUnit
import org.kindred.app.AppPhase
import org.kindred.app.Destination
import org.kindred.ui.harness.Dressed
import org.kindred.ui.harness.Look
import org.kindred.ui.harness.PHONE_HEIGHT
import org.kindred.ui.harness.PHONE_WIDTH
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.uiTest

/**
 * A person and their worker, each with their own device and store, side by
 * side in one window, on the real native library and a real kindred-server:
 * the invite by code, the short string on both screens, the share on both
 * sides, and ending it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SharingUiTest {
    private val person = "person"
    private val worker = "worker"

    private fun ready(device: TestDevice, name: String) = runBlocking { device.stores.create(name, joining = false) }.close()

    /** Two phones side by side: [a] on the left (tagged [person]), [b] on the right (tagged [worker]). */
    private fun ComposeUiTest.showBoth(a: RunningApp, b: RunningApp) = setContent {
        Dressed(Look(false, 1f)) {
            Row {
                Box(Modifier.weight(1f).fillMaxHeight().testTag(person)) { KindredApp(a.model) }
                Box(Modifier.weight(1f).fillMaxHeight().testTag(worker)) { KindredApp(b.model) }
            }
        }
    }

    private fun on(side: String, m: SemanticsMatcher) = m and hasAnyAncestor(hasTestTag(side))

    private fun ComposeUiTest.awaitOn(side: String, m: SemanticsMatcher, timeoutMillis: Long = 60_000) =
        awaitNode(on(side, m), timeoutMillis)

    private fun ComposeUiTest.tapOn(side: String, tag: String) {
        val node = onNode(on(side, hasTestTag(tag)))
        runCatching { node.performScrollTo() }
        node.performClick()
    }

    private fun ComposeUiTest.textOf(side: String, tag: String): String =
        awaitOn(side, hasTestTag(tag)).fetchSemanticsNode().config.getOrNull(SemanticsProperties.Text)?.joinToString("").orEmpty()

    /** Both apps open on Sharing and devices; the invite made, typed and compared through the screens. */
    private fun ComposeUiTest.inviteAndCompare(a: RunningApp, b: RunningApp) {
        showBoth(a, b)
        awaitThat { a.model.state.value.phase == AppPhase.Ready && b.model.state.value.phase == AppPhase.Ready }
        tapOn(person, Tags.tab(Destination.SHARING))
        tapOn(worker, Tags.tab(Destination.SHARING))
        awaitOn(person, hasText("You are not sharing anything."))
        awaitOn(worker, hasText("You are not sharing anything."))
        assertAccessible("sharing, nothing shared yet")

        // The person chooses what the worker will be able to do before any code exists.
        tapOn(person, SharingTags.INVITE)
        awaitOn(person, hasText("What will they be able to do?"))
        awaitOn(person, hasText("Read what you share, add steps, progress and notes, and change the goals you share."))
        assertAccessible("sharing, choosing a role")
        tapOn(person, SharingTags.MAKE_CODE)
        val code = textOf(person, SharingTags.CODE)
        assertTrue(code.isNotBlank())
        awaitOn(person, hasText("Once you both agree, they will be able to:"))
        assertAccessible("sharing, the code to give")

        // The worker types the code they were given.
        tapOn(worker, SharingTags.JOIN)
        val field = onNode(on(worker, hasTestTag(SharingTags.CODE_FIELD)))
        field.performTextInput(code)
        assertAccessible("sharing, typing a code")
        tapOn(worker, SharingTags.CONNECT)

        // Both screens show the same digits and the same pictures.
        awaitOn(person, hasTestTag(SharingTags.SAS_DIGITS))
        awaitOn(worker, hasTestTag(SharingTags.SAS_DIGITS))
        val digits = textOf(person, SharingTags.SAS_DIGITS)
        assertTrue(Regex("\\d{3} \\d{3}").matches(digits), digits)
        assertEquals(digits, textOf(worker, SharingTags.SAS_DIGITS))
        val pictures = textOf(person, SharingTags.SAS_EMOJI)
        assertEquals(4, pictures.split("  ").size, pictures)
        assertEquals(pictures, textOf(worker, SharingTags.SAS_EMOJI))
        // Both screens ask for the numbers and the pictures to be compared, not the numbers alone.
        for (side in listOf(person, worker)) {
            assertEquals("Check the numbers and the pictures: together they show it is really the other person's device.", textOf(side, SharingTags.SAS_BOTH))
        }
        awaitOn(person, hasText("Check with Jo's laptop", substring = true))
        awaitOn(worker, hasText("Check with Sam's phone", substring = true))
        awaitOn(worker, hasText("Once you both agree, you will be able to:"))
        awaitOn(worker, hasText("Read what they share, add steps, progress and notes, and change the goals they share."))
        assertAccessible("sharing, comparing the short string")
    }

    @Test
    fun aPersonInvitesTheirWorkerBothSeeTheShareThenThePersonEndsIt() = uiTest(width = 2 * PHONE_WIDTH, height = PHONE_HEIGHT) {
        val sam = TestDevice().also { ready(it, "Sam's phone") }
        val jo = TestDevice().also { ready(it, "Jo's laptop") }
        RunningApp(sam).use { a ->
            RunningApp(jo).use { b ->
                inviteAndCompare(a, b)
                tapOn(person, SharingTags.MATCH)
                tapOn(worker, SharingTags.MATCH)

                // The share is on both sides, with the other person's name.
                awaitOn(person, hasText("You are now sharing with Jo's laptop."))
                awaitOn(worker, hasText("You are now sharing with Sam's phone."))
                awaitOn(person, hasText("Jo's laptop sees 0 of your goals"))
                awaitOn(worker, hasText("Sam's phone shares with you"))
                awaitOn(person, hasText("Can add notes and comments"))
                assertAccessible("sharing, shared on both sides")
                val space = runBlocking { a.model.session!!.store.shares() }.single().space.value
                assertEquals(space, runBlocking { b.model.session!!.store.shares() }.single().space.value)

                // Ending is asked once more, saying what happens; then it shows as ended.
                tapOn(person, SharingTags.CLOSE)
                tapOn(person, SharingTags.endShare(space))
                awaitOn(person, hasText("Stop sharing with Jo's laptop? They will no longer get anything new from you", substring = true))
                assertAccessible("sharing, asked before ending")
                tapOn(person, SharingTags.END_NO)
                awaitThat { a.model.session!!.sharing.state.value.confirmEnd == null }
                assertTrue(runBlocking { a.model.session!!.store.shares() }.none { it.ended }, "nothing ended on Keep sharing")
                tapOn(person, SharingTags.endShare(space))
                tapOn(person, SharingTags.END_YES)
                awaitOn(person, hasText("You stopped sharing with Jo's laptop."))
                awaitOn(person, hasText("Ended. Nothing new goes to Jo's laptop."))
                onNode(on(person, hasTestTag(SharingTags.endShare(space)))).assertDoesNotExist()
                assertTrue(runBlocking { a.model.session!!.store.shares() }.single().ended)
                assertAccessible("sharing, the share ended")
            }
        }
    }

    @Test
    fun differentStringsAreSaidKindlyAndNothingIsShared() = uiTest(width = 2 * PHONE_WIDTH, height = PHONE_HEIGHT) {
        val sam = TestDevice().also { ready(it, "Sam's phone") }
        val jo = TestDevice().also { ready(it, "Jo's laptop") }
        RunningApp(sam).use { a ->
            RunningApp(jo).use { b ->
                inviteAndCompare(a, b)
                tapOn(person, SharingTags.DIFFER)
                tapOn(worker, SharingTags.MATCH)
                awaitOn(person, hasText("Thank you for checking. No one was added."))
                awaitOn(worker, hasText("Nothing was shared. You can start again whenever you like."))
                assertAccessible("sharing, the strings were different")
                awaitOn(person, hasText("You are not sharing anything."))
                awaitOn(worker, hasText("You are not sharing anything."))
                assertTrue(runBlocking { a.model.session!!.store.shares() }.isEmpty())
                assertTrue(runBlocking { b.model.session!!.store.shares() }.isEmpty())

                // Starting again is one tap.
                tapOn(person, SharingTags.AGAIN)
                awaitOn(person, hasTestTag(SharingTags.INVITE))
            }
        }
    }
}
