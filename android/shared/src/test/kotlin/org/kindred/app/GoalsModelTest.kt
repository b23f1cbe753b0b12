package org.kindred.app

import kotlinx.coroutines.runBlocking
import java.time.LocalDate
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.GoalStatus
import org.kindred.LifeArea

/** The Goals screen's state holder against the real library, without UI. */
class GoalsModelTest {
    private val f = Fixtures()

    @AfterEach
    fun close() = f.close()

    @Test
    fun aGoalIsAddedWithItsWhyAreaAndDate(): Unit = runBlocking {
        val k = f.store()
        val goals = GoalsModel(k, f.scope, f.io)
        goals.add("Walk to the park", why = "Fresh air", area = LifeArea.PHYSICAL, target = LocalDate.of(2026, 6, 1)).await()
        val s = goals.state.value
        assertEquals(UiText(Keys.GOAL_ADDED), s.message)
        val open = s.open!!
        assertEquals("Walk to the park", open.title)
        assertEquals("Fresh air", open.why)
        assertEquals(LifeArea.PHYSICAL, open.area)
        assertEquals(LocalDate.of(2026, 6, 1), open.target)
        assertEquals(GoalStatus.ACTIVE, open.status)
        assertEquals(UiText("area_physical"), s.goals.single().area)
        assertEquals("Fresh air", k.goals().single().why, "stored in the core")
    }

    @Test
    fun aBlankTitleIsAskedForAndNothingIsWritten(): Unit = runBlocking {
        val k = f.store()
        val goals = GoalsModel(k, f.scope, f.io)
        goals.add("   ", why = "because").await()
        assertEquals(UiText(Keys.GOAL_TITLE_NEEDED), goals.state.value.error)
        assertTrue(k.goals().isEmpty())
        goals.dismissMessage()
        assertNull(goals.state.value.error)
    }

    @Test
    fun tickingAStepMovesTheGoalsProgress(): Unit = runBlocking {
        val k = f.store()
        val goals = GoalsModel(k, f.scope, f.io)
        goals.add("Cook at home").await()
        val id = goals.state.value.open!!.id
        goals.addStep(id, "Buy rice").await()
        goals.addStep(id, "Find a recipe").await()
        goals.addStep(id, " ").await()
        assertEquals(UiText(Keys.STEP_TEXT_NEEDED), goals.state.value.error)
        var open = goals.state.value.open!!
        assertEquals(2, open.steps.size)
        assertEquals(0.0, open.fraction)
        assertEquals(UiText(Keys.GOAL_STEPS_PROGRESS, 0, 2), open.stepsText)

        goals.tickStep(id, open.steps.first().id, true).await()
        open = goals.state.value.open!!
        assertEquals(0.5, open.fraction)
        assertTrue(open.steps.first().done)
        assertEquals(UiText(Keys.GOAL_STEPS_PROGRESS, 1, 2), goals.state.value.goals.single().steps)
        assertEquals(0.5, goals.state.value.goals.single().fraction, "the list moves too")
        assertEquals(UiText(Keys.STEP_DONE), goals.state.value.message)

        goals.tickStep(id, open.steps.first().id, false).await()
        assertEquals(0.0, goals.state.value.open!!.fraction)
        assertNull(k.goal(org.kindred.GoalId(id)).steps.first().doneAt, "unticked in the core")
    }

    @Test
    fun progressNotesAndEveryStatusWithoutJudgement(): Unit = runBlocking {
        val k = f.store()
        val goals = GoalsModel(k, f.scope, f.io)
        goals.add("Call my sister").await()
        val id = goals.state.value.open!!.id
        goals.addProgress(id, "Sent her a message").await()
        goals.addProgress(id, "").await()
        assertEquals(UiText(Keys.PROGRESS_TEXT_NEEDED), goals.state.value.error)
        assertEquals(listOf("Sent her a message"), goals.state.value.open!!.progress.map { it.note })

        for (status in listOf(GoalStatus.PAUSED, GoalStatus.LET_GO, GoalStatus.ACTIVE, GoalStatus.ACHIEVED)) {
            goals.setStatus(id, status).await()
            val open = goals.state.value.open!!
            assertEquals(status, open.status)
            assertEquals(UiText(movedKey(status)), goals.state.value.message)
            assertFalse(status in open.moves, "offers the other choices")
            assertEquals(3, open.moves.size)
        }
        assertEquals(GoalStatus.ACHIEVED, k.goal(org.kindred.GoalId(id)).status)
    }

    @Test
    fun aGoalGoneFromTheCoreIsAnErrorInTheStateNotACrash(): Unit = runBlocking {
        val goals = GoalsModel(f.store(), f.scope, f.io)
        goals.open("0".repeat(32)).await()
        assertEquals(UiText(Keys.ERROR_NOT_FOUND), goals.state.value.error)
        goals.tickStep("not an id!", "x", true).await()
        assertEquals(Keys.ERROR_CHECK_THIS, goals.state.value.error?.key)
        goals.refresh().await()
        assertFalse(goals.state.value.loading)
        assertTrue(goals.state.value.goals.isEmpty())
    }

    @Test
    fun theFormIsKeptUntilTheGoalIsAddedAndItsDateCountsFromToday(): Unit = runBlocking {
        val k = f.store()
        val clock = TestClock(java.time.Instant.parse("2026-03-04T10:00:00Z"), java.time.ZoneOffset.UTC)
        val goals = GoalsModel(k, f.scope, f.io, clock)
        goals.startAdding()
        goals.editDraft(GoalDraft(title = "Walk to the park", why = "Fresh air", area = LifeArea.PHYSICAL, targetMonths = 3))
        var s = goals.state.value
        assertTrue(s.adding)
        assertEquals(LocalDate.of(2026, 6, 4), s.draftTarget)
        goals.editDraft(s.draft.copy(targetMonths = null))
        assertNull(goals.state.value.draftTarget, "no date is a choice too")
        goals.editDraft(goals.state.value.draft.copy(targetMonths = 12))
        goals.cancelAdding()
        goals.startAdding()
        assertEquals("Fresh air", goals.state.value.draft.why, "what was written is still there")

        goals.saveDraft().await()
        s = goals.state.value
        assertFalse(s.adding)
        assertEquals(GoalDraft(), s.draft, "the form is fresh for the next goal")
        assertEquals(LocalDate.of(2027, 3, 4), s.open!!.target)
        val g = k.goals().single()
        assertEquals(LifeArea.PHYSICAL, g.area)
        assertEquals(LocalDate.of(2027, 3, 4), g.targetDate)

        goals.editStep("Find my trainers")
        goals.addStep(s.open!!.id, goals.state.value.stepText).await()
        assertEquals("", goals.state.value.stepText, "the step field is ready for the next")
        goals.editStep(" ")
        goals.addStep(s.open!!.id, goals.state.value.stepText).await()
        assertEquals(UiText(Keys.STEP_TEXT_NEEDED), goals.state.value.error)
        assertEquals(" ", goals.state.value.stepText, "kept when it is asked for again")
        goals.editProgress("First walk done")
        goals.addProgress(s.open!!.id, goals.state.value.progressText).await()
        assertEquals("", goals.state.value.progressText)
        assertEquals(listOf("First walk done"), goals.state.value.open!!.progress.map { it.note })
    }

    @Test
    fun aDraftWithoutATitleIsAskedForAndTheFormStays(): Unit = runBlocking {
        val k = f.store()
        val goals = GoalsModel(k, f.scope, f.io)
        goals.startAdding()
        goals.editDraft(GoalDraft(why = "For me"))
        goals.saveDraft().await()
        val s = goals.state.value
        assertEquals(UiText(Keys.GOAL_TITLE_NEEDED), s.error)
        assertTrue(s.adding)
        assertEquals("For me", s.draft.why)
        assertTrue(k.goals().isEmpty())
    }
}
