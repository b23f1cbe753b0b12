package org.kindred.ui

import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performTextReplacement
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.crisisLines
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

/** Her own crisis lines, changed from "Need help now" once unlocked, kept in the core. */
class CrisisLinesUiTest {
    @Test
    fun sheAddsChangesAndRemovesALineFromNeedHelpNow() = uiTest {
        val device = TestDevice(server = null, region = "US")
        runBlocking { device.stores.create("phone", joining = false) }.close()
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(Tags.PLAN_BUTTON)
            tap(Tags.HELP_BUTTON)
            awaitTag(HelpTags.EDIT)
            tap(HelpTags.EDIT)
            awaitTag(HelpTags.FORM)
            awaitNode(hasText("Your own list", substring = true))
            type("help_new_name", "Jo (sponsor)")
            type("help_new_number", "call me")
            tap(HelpTags.ADD)
            awaitNode(hasText("Please type a phone number in digits (a + and gaps are fine)."))
            onNodeWithTag("help_new_number").performTextReplacement("555 0100")
            type(HelpTags.WHEN, "Evenings")
            tap(HelpTags.ADD)
            awaitNode(hasText("Saved in your list."))
            awaitNode(hasText("When: Evenings"))
            val store = app.model.session!!.store
            val jo = runBlocking { store.crisisLines("US") }.single { it.name == "Jo (sponsor)" }
            assertEquals("555 0100", jo.number)
            assertAccessible("help, her own list")

            tap(HelpTags.change(jo.id!!.value))
            awaitNode(hasText("Change this number"))
            tap(HelpTags.CAN_TEXT)
            tap(HelpTags.CAN_CALL) // texts only
            tap(HelpTags.ADD)
            awaitThat { runBlocking { store.crisisLines("US") }.single { it.id == jo.id }.canCall.not() }

            tap(HelpTags.remove(jo.id!!.value))
            awaitNode(hasText("Taken off your list."))
            awaitThat { runBlocking { store.crisisLines("US") }.none { it.id == jo.id } }
            onNodeWithText("Call 988").performClick()
            assertEquals(listOf("988"), device.dialer.calls)
        }
    }

    @Test
    fun sheChangesARegionalDefaultLine() = uiTest {
        val device = TestDevice(server = null, region = "US")
        runBlocking { device.stores.create("phone", joining = false) }.close()
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(Tags.PLAN_BUTTON)
            val store = app.model.session!!.store
            val defaults = runBlocking { store.crisisLines("US") }
            assertTrue(defaults.isNotEmpty() && defaults.all { it.id == null }, "the region's defaults, none kept yet: $defaults")
            tap(Tags.HELP_BUTTON)
            tap(HelpTags.EDIT)
            awaitTag(HelpTags.FORM)
            val first = defaults[0]
            // The only line, not yet hers: it can be changed; taking it away would only bring it back.
            if (defaults.size == 1) assertTrue(runCatching { onNodeWithTag(HelpTags.remove(first.number)).assertExists() }.isFailure)
            tap(HelpTags.change(first.number))
            awaitNode(hasText("Change this number"))
            onNodeWithTag(HelpTags.WHEN).performTextReplacement("When nights are long")
            tap(HelpTags.ADD)
            awaitNode(hasText("Saved in your list."))
            awaitThat {
                val now = runBlocking { store.crisisLines("US") }
                now.size == defaults.size && now.all { it.id != null } && now[0].whenToUse == "When nights are long" && now[0].number == first.number
            }
            awaitNode(hasText("When: When nights are long"))
            assertAccessible("help, a default changed")
        }
    }
}
