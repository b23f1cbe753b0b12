package org.kindred.app

import java.time.LocalDate
import java.time.OffsetDateTime
import org.kindred.GoalStatus
import org.kindred.LifeArea
import org.kindred.Goal

/** One goal as the Goals list shows it. */
data class GoalCard(
    val id: String,
    val title: String,
    val status: UiText,
    /** Steps done out of all steps, as words ("2 of 5 steps done"). */
    val steps: UiText,
    /** 0.0 to 1.0, for a progress bar; null when there are no steps. */
    val fraction: Double?,
    val shared: Boolean,
    val area: UiText? = null,
    val target: LocalDate? = null,
)

/**
 * Goals in the order the screen lists them: active first, then paused,
 * achieved and let go (a choice, never a failure), newest first within
 * each. No streaks and no "overdue": a goal is where the person put it.
 */
fun goalCards(goals: List<Goal>, sharedIds: Set<String> = emptySet()): List<GoalCard> {
    val order = listOf(GoalStatus.ACTIVE, GoalStatus.PAUSED, GoalStatus.ACHIEVED, GoalStatus.LET_GO)
    return goals
        .sortedWith(
            compareBy<Goal> { g -> GoalStatus.of(g.storedStatus)?.let(order::indexOf) ?: order.size }
                .thenByDescending { it.createdAt },
        )
        .map { g ->
            GoalCard(
                id = g.id.value,
                title = g.title,
                status = UiText(statusKey(g.status)),
                steps = stepsText(g),
                fraction = fraction(g),
                shared = g.id.value in sharedIds,
                area = g.area?.let { UiText(areaKey(it)) },
                target = g.targetDate,
            )
        }
}

private fun stepsText(g: Goal): UiText {
    val done = g.stepsDone
    return if (g.steps.isEmpty()) UiText(Keys.GOAL_NO_STEPS) else UiText(Keys.GOAL_STEPS_PROGRESS, done, g.steps.size)
}

private fun fraction(g: Goal): Double? =
    if (g.steps.isEmpty()) null else g.stepsDone.toDouble() / g.steps.size

/** The words for a status. */
fun statusKey(status: GoalStatus): String = when (status) {
    GoalStatus.PAUSED -> Keys.GOAL_PAUSED
    GoalStatus.ACHIEVED -> Keys.GOAL_ACHIEVED
    GoalStatus.LET_GO -> Keys.GOAL_LET_GO
    GoalStatus.ACTIVE -> Keys.GOAL_ACTIVE
}

/** The words for a stored status word (one from a newer version reads as active). */
fun statusKey(stored: String): String = statusKey(GoalStatus.of(stored) ?: GoalStatus.ACTIVE)

/** The words for a life area ("Work and learning" for occupational ...). */
fun areaKey(area: LifeArea): String = "area_" + area.stored

/** A step as the goal's page shows it: a box to tick. */
data class StepLine(val id: String, val text: String, val done: Boolean, val due: LocalDate?)

/** A progress note, newest first. */
data class ProgressLine(val id: String, val at: OffsetDateTime, val note: String)

/** One goal opened: everything the person wrote, and what they can do with it. */
data class GoalDetail(
    val id: String,
    val title: String,
    val why: String?,
    val area: LifeArea?,
    val target: LocalDate?,
    val status: GoalStatus,
    val statusText: UiText,
    val steps: List<StepLine>,
    val stepsText: UiText,
    val fraction: Double?,
    val progress: List<ProgressLine>,
    /** The status changes offered, each a choice (never "failed"). */
    val moves: List<GoalStatus>,
)

internal fun detailOf(g: Goal): GoalDetail {
    val status = g.status
    return GoalDetail(
        id = g.id.value,
        title = g.title,
        why = g.why,
        area = g.area,
        target = g.targetDate,
        status = status,
        statusText = UiText(statusKey(g.status)),
        steps = g.steps.map { StepLine(it.id.value, it.text, it.done, it.due) },
        stepsText = stepsText(g),
        fraction = fraction(g),
        progress = g.progress.map { ProgressLine(it.id.value, it.at, it.note) }
            .sortedByDescending { it.at },
        moves = GoalStatus.entries.filter { it != status },
    )
}

/** The words for moving a goal to [status]: a button's label. */
fun moveKey(status: GoalStatus): String = when (status) {
    GoalStatus.ACTIVE -> Keys.GOAL_RESUME
    GoalStatus.PAUSED -> Keys.GOAL_PAUSE
    GoalStatus.ACHIEVED -> Keys.GOAL_MARK_ACHIEVED
    GoalStatus.LET_GO -> Keys.GOAL_LET_GO_ACTION
}

/** The kind words after a move. */
fun movedKey(status: GoalStatus): String = when (status) {
    GoalStatus.ACTIVE -> Keys.GOAL_MOVED_ACTIVE
    GoalStatus.PAUSED -> Keys.GOAL_MOVED_PAUSED
    GoalStatus.ACHIEVED -> Keys.GOAL_MOVED_ACHIEVED
    GoalStatus.LET_GO -> Keys.GOAL_MOVED_LET_GO
}
