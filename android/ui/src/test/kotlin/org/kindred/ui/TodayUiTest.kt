package org.kindred.ui

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.assertIsNotSelected
import androidx.compose.ui.test.assertIsSelected
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextInput
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KindredStore
import org.kindred.app.AppPhase
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

/** Today on the real native library. */
class TodayUiTest {
    private fun ready(device: TestDevice): KindredStore = runBlocking { device.stores.create("phone", joining = false) }

    @Test
    fun aCheckInInTwoTapsShowsInTheListAndInTheChart() = uiTest {
        val device = TestDevice()
        ready(device).close()
        RunningApp(device).use { app ->
            showApp(app)
            awaitNode(hasText("Nothing here yet", substring = true))
            assertAccessible("today, empty")

            tap(TodayTags.mood(4)) // tap one
            onNodeWithTag(TodayTags.mood(4)).assertIsSelected()
            onNodeWithTag(TodayTags.mood(2)).assertIsNotSelected()
            assertAccessible("today, mood picked")
            tap(TodayTags.SAVE) // tap two

            awaitNode(hasText("Saved. Thank you for checking in."))
            val store = app.model.session!!.store
            val saved = runBlocking { store.checkIns() }.single()
            assertEquals(4, saved.mood.toInt())
            awaitTag(TodayTags.row(saved.id.value))
            onNodeWithText("Nothing here yet", substring = true).assertDoesNotExist()
            // The chart's words (what a screen reader says) now count this week's check-in.
            awaitThat {
                val chart = onNodeWithTag(TodayTags.CHART).fetchSemanticsNode()
                chart.config.getOrNull(SemanticsProperties.ContentDescription)?.joinToString().orEmpty()
                    .contains("mostly Good, 1 check-ins")
            }
            onNodeWithTag(TodayTags.mood(4)).assertIsNotSelected()
        }
    }

    @Test
    fun aCheckInWithDetailsIsBackDatedThenChangedThenDeleted() = uiTest {
        val device = TestDevice() // the clock says 2026-03-04 10:00 UTC
        ready(device).close()
        RunningApp(device).use { app ->
            showApp(app)
            awaitNode(hasText("Nothing here yet", substring = true))
            tap(TodayTags.mood(2))
            type("checkin_new_tag", "sleep")
            tap("checkin_add_tag")
            type("checkin_note", "Rough night")
            tap("checkin_day_1")
            tap("checkin_part_night")
            tap(TodayTags.SAVE)
            awaitNode(hasText("Yesterday, 22:00"))
            val store = app.model.session!!.store
            val c = runBlocking { store.checkIns() }.single()
            assertEquals(listOf("sleep"), c.tags)
            assertEquals("Rough night", c.note)
            assertTrue(c.occurredAt.toString().startsWith("2026-03-03T22:00"), c.occurredAt.toString())

            tap("edit_${c.id}")
            awaitNode(hasText("Change this check-in"))
            tap(TodayTags.mood(3))
            tap(TodayTags.SAVE)
            awaitNode(hasText("Changed."))
            assertEquals(3, runBlocking { store.checkIns() }.single().mood.toInt())

            tap("delete_${c.id}")
            awaitNode(hasText("Delete this check-in?", substring = true))
            tap("delete_yes")
            awaitNode(hasText("Nothing here yet", substring = true))
            assertTrue(runBlocking { store.checkIns() }.isEmpty())
            assertEquals(AppPhase.Ready, app.model.state.value.phase)
        }
    }
}
