package org.kindred.ui

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.assertIsOff
import androidx.compose.ui.test.assertIsOn
import androidx.compose.ui.test.assertIsSelected
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import kotlinx.coroutines.runBlocking
import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.GoalStatus
import org.kindred.KindredStore
import org.kindred.LifeArea
import org.kindred.app.Destination
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

/** Goals on the real native library: added, stepped through, rested and picked up again. */
class GoalsUiTest {
    private fun ready(device: TestDevice): KindredStore = runBlocking { device.stores.create("phone", joining = false) }

    /** The goal page's progress: its words and the bar's value, as a screen reader gets them. */
    private fun ComposeUiTest.progress(): Pair<String, Float?> {
        val node = onNodeWithTag(GoalsTags.PROGRESS).fetchSemanticsNode()
        val words = node.config.getOrNull(SemanticsProperties.Text)?.joinToString { it.text }.orEmpty()
        val bar = onNodeWithTag(GoalsTags.PROGRESS_BAR).fetchSemanticsNode()
        return words to bar.config.getOrNull(SemanticsProperties.ProgressBarRangeInfo)?.current
    }

    @Test
    fun aGoalIsAddedWithItsWhyAreaAndDateThenStepsMoveItsProgress() = uiTest {
        val device = TestDevice(server = null) // the clock says 2026-03-04
        ready(device).close()
        RunningApp(device).use { app ->
            showApp(app)
            tap(Tags.tab(Destination.GOALS))
            awaitNode(hasText("No goals yet", substring = true))
            assertAccessible("goals, empty")

            tap(GoalsTags.ADD)
            awaitTag(GoalsTags.TITLE)
            type(GoalsTags.TITLE, "Walk to the park")
            type(GoalsTags.WHY, "Fresh air clears my head")
            tap(GoalsTags.area(LifeArea.PHYSICAL))
            tap(GoalsTags.target(3))
            onNodeWithTag(GoalsTags.area(LifeArea.PHYSICAL)).assertIsSelected()
            onNodeWithTag(GoalsTags.target(3)).assertIsSelected()
            awaitNode(hasText("Aiming for 4 Jun 2026"))
            assertAccessible("goals, adding")
            tap(GoalsTags.SAVE)

            awaitTag(GoalsTags.PAGE)
            awaitNode(hasText("Goal added."))
            val store = app.model.session!!.store
            val goal = runBlocking { store.goals() }.single()
            assertEquals("Walk to the park", goal.title)
            assertEquals("Fresh air clears my head", goal.why)
            assertEquals(LifeArea.PHYSICAL, goal.area)
            assertEquals(LocalDate.of(2026, 6, 4), goal.targetDate)
            onNodeWithText("Fresh air clears my head").assertExists()
            onNodeWithText("Body and health").assertExists()

            type(GoalsTags.STEP_TEXT, "Find my trainers")
            tap(GoalsTags.ADD_STEP)
            awaitNode(hasText("Step added."))
            awaitThat { runBlocking { store.goal(goal.id) }.steps.size == 1 }
            type(GoalsTags.STEP_TEXT, "Walk there on Saturday")
            tap(GoalsTags.ADD_STEP)
            awaitThat { runBlocking { store.goal(goal.id) }.steps.size == 2 }
            val steps = runBlocking { store.goal(goal.id) }.steps
            awaitTag(GoalsTags.step(steps[1].id.value))
            assertEquals("0 of 2 steps done" to 0f, progress())
            assertEquals("", onNodeWithTag(GoalsTags.STEP_TEXT).fetchSemanticsNode().config[SemanticsProperties.EditableText].text, "the field is ready for the next step")

            tap(GoalsTags.step(steps[0].id.value))
            awaitNode(hasText("Step done. Nice."))
            awaitThat { progress().first == "1 of 2 steps done" }
            assertEquals(0.5f, progress().second)
            onNodeWithTag(GoalsTags.step(steps[0].id.value)).assertIsOn()
            onNodeWithTag(GoalsTags.step(steps[1].id.value)).assertIsOff()
            assertTrue(runBlocking { store.goal(goal.id) }.steps.single { it.id == steps[0].id }.done, "the store has the step done")
            assertAccessible("goals, one open with a step done")

            tap(GoalsTags.step(steps[0].id.value)) // and back again: a tick can be undone
            awaitThat { progress().first == "0 of 2 steps done" }
            assertNull(runBlocking { store.goal(goal.id) }.steps.single { it.id == steps[0].id }.doneAt)
            tap(GoalsTags.step(steps[0].id.value))
            awaitThat { progress().first == "1 of 2 steps done" }

            type(GoalsTags.NOTE_TEXT, "Went halfway, sat on a bench")
            tap(GoalsTags.ADD_NOTE)
            awaitNode(hasText("Note added."))
            awaitNode(hasText("Went halfway, sat on a bench"))
            assertEquals(listOf("Went halfway, sat on a bench"), runBlocking { store.goal(goal.id) }.progress.map { it.note })

            tap(GoalsTags.BACK)
            awaitTag(GoalsTags.card(goal.id.value))
            awaitNode(hasText("1 of 2 steps done"))
            assertAccessible("goals, list")
        }
    }

    @Test
    fun aGoalRestsAndIsPickedUpAgainWithoutJudgement() = uiTest {
        val device = TestDevice(server = null)
        val seed = ready(device)
        runBlocking { seed.addGoal("Go back to the choir") }
        seed.close()
        RunningApp(device).use { app ->
            showApp(app)
            tap(Tags.tab(Destination.GOALS))
            val store = app.model.session!!.store
            val id = runBlocking { store.goals() }.single().id
            awaitTag(GoalsTags.card(id.value))
            tap(GoalsTags.card(id.value))
            awaitTag(GoalsTags.PAGE)
            awaitNode(hasTestTag(GoalsTags.STATUS) and hasText("Working on it"))
            onNodeWithTag(GoalsTags.move(GoalStatus.ACTIVE)).assertDoesNotExist()

            tap(GoalsTags.move(GoalStatus.PAUSED))
            awaitNode(hasText("Resting this goal. It will be here when you are ready."))
            awaitNode(hasTestTag(GoalsTags.STATUS) and hasText("Resting for now"))
            assertEquals(GoalStatus.PAUSED, runBlocking { store.goal(id) }.status)
            onNodeWithTag(GoalsTags.move(GoalStatus.PAUSED)).assertDoesNotExist()
            assertAccessible("goals, resting")

            tap(GoalsTags.move(GoalStatus.ACTIVE))
            awaitNode(hasText("Back on it. Good to have you here."))
            awaitNode(hasTestTag(GoalsTags.STATUS) and hasText("Working on it"))
            assertEquals(GoalStatus.ACTIVE, runBlocking { store.goal(id) }.status)

            // Every word on offer is a choice, never a verdict.
            val offered = listOf(GoalStatus.PAUSED, GoalStatus.ACHIEVED, GoalStatus.LET_GO).map {
                onNodeWithTag(GoalsTags.move(it)).fetchSemanticsNode().config[SemanticsProperties.Text].joinToString { t -> t.text }
            }
            assertEquals(listOf("Rest this goal", "Mark as done", "Let this goal go"), offered)
            assertFalse(offered.any { it.contains("fail", ignoreCase = true) })
        }
    }

    @Test
    fun aGoalWithoutANameIsAskedForKindlyAndTheFormIsKept() = uiTest {
        val device = TestDevice(server = null)
        ready(device).close()
        RunningApp(device).use { app ->
            showApp(app)
            tap(Tags.tab(Destination.GOALS))
            awaitTag(GoalsTags.ADD)
            tap(GoalsTags.ADD)
            type(GoalsTags.WHY, "For me")
            tap(GoalsTags.SAVE)
            awaitNode(hasText("Give your goal a name, in your own words."))
            assertAccessible("goals, no name yet")
            // A tab switch keeps the half-written form.
            tap(Tags.tab(Destination.TODAY))
            tap(Tags.tab(Destination.GOALS))
            awaitTag(GoalsTags.WHY)
            onNodeWithText("For me").assertExists()
            assertTrue(runBlocking { app.model.session!!.store.goals() }.isEmpty())
        }
    }
}
