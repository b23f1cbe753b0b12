package org.kindred.app

import java.time.LocalDate
import java.time.OffsetDateTime
import org.kindred.GoalStatus
import org.kindred.LifeArea
import org.kindred.ffi.GoalRecord

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
fun goalCards(goals: List<GoalRecord>, sharedIds: Set<String> = emptySet()): List<GoalCard> {
    val order = listOf(GoalStatus.ACTIVE, GoalStatus.PAUSED, GoalStatus.ACHIEVED, GoalStatus.LET_GO)
    return goals
        .sortedWith(
            compareBy<GoalRecord> { g -> GoalStatus.of(g.status)?.let(order::indexOf) ?: order.size }
                .thenByDescending { it.createdAt },
        )
        .map { g ->
            GoalCard(
                id = g.id,
                title = g.title,
                status = UiText(statusKey(g.status)),
                steps = stepsText(g),
                fraction = fraction(g),
                shared = g.id in sharedIds,
                area = g.area?.let { LifeArea.of(it) }?.let { UiText(areaKey(it)) },
                target = g.targetDate?.let(LocalDate::parse),
            )
        }
}

private fun stepsText(g: GoalRecord): UiText {
    val done = g.steps.count { it.doneAt != null }
    return if (g.steps.isEmpty()) UiText(Keys.GOAL_NO_STEPS) else UiText(Keys.GOAL_STEPS_PROGRESS, done, g.steps.size)
}

private fun fraction(g: GoalRecord): Double? =
    if (g.steps.isEmpty()) null else g.steps.count { it.doneAt != null }.toDouble() / g.steps.size

/** The words for a stored status (an unknown one reads as active). */
fun statusKey(stored: String): String = when (GoalStatus.of(stored)) {
    GoalStatus.PAUSED -> Keys.GOAL_PAUSED
    GoalStatus.ACHIEVED -> Keys.GOAL_ACHIEVED
    GoalStatus.LET_GO -> Keys.GOAL_LET_GO
    else -> Keys.GOAL_ACTIVE
}

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

internal fun detailOf(g: GoalRecord): GoalDetail {
    val status = GoalStatus.of(g.status) ?: GoalStatus.ACTIVE
    return GoalDetail(
        id = g.id,
        title = g.title,
        why = g.why,
        area = g.area?.let { LifeArea.of(it) },
        target = g.targetDate?.let(LocalDate::parse),
        status = status,
        statusText = UiText(statusKey(g.status)),
        steps = g.steps.map { StepLine(it.id, it.text, it.doneAt != null, it.due?.let(LocalDate::parse)) },
        stepsText = stepsText(g),
        fraction = fraction(g),
        progress = g.progress.map { ProgressLine(it.id, OffsetDateTime.parse(it.at), it.note) }
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
