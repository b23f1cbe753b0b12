package org.kindred.app

import org.kindred.GoalStatus
import org.kindred.ffi.GoalRecord

/** One goal as the Goals screen shows it. */
data class GoalCard(
    val id: String,
    val title: String,
    val status: UiText,
    /** Steps done out of all steps, as words ("2 of 5 steps done"). */
    val steps: UiText,
    /** 0.0 to 1.0, for a progress bar; null when there are no steps. */
    val fraction: Double?,
    val shared: Boolean,
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
            val done = g.steps.count { it.doneAt != null }
            val total = g.steps.size
            GoalCard(
                id = g.id,
                title = g.title,
                status = UiText(statusKey(g.status)),
                steps = if (total == 0) UiText(Keys.GOAL_NO_STEPS) else UiText(Keys.GOAL_STEPS_PROGRESS, done, total),
                fraction = if (total == 0) null else done.toDouble() / total,
                shared = g.id in sharedIds,
            )
        }
}

/** The words for a stored status (an unknown one reads as active). */
fun statusKey(stored: String): String = when (GoalStatus.of(stored)) {
    GoalStatus.PAUSED -> Keys.GOAL_PAUSED
    GoalStatus.ACHIEVED -> Keys.GOAL_ACHIEVED
    GoalStatus.LET_GO -> Keys.GOAL_LET_GO
    else -> Keys.GOAL_ACTIVE
}
