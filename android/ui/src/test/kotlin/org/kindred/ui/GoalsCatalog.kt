package org.kindred.ui

import java.time.LocalDate
import java.time.OffsetDateTime
import org.kindred.GoalStatus
import org.kindred.LifeArea
import org.kindred.app.GoalCard
import org.kindred.app.GoalDetail
import org.kindred.app.GoalDraft
import org.kindred.app.GoalsActions
import org.kindred.app.GoalsUi
import org.kindred.app.Keys
import org.kindred.app.ProgressLine
import org.kindred.app.StepLine
import org.kindred.app.UiText
import org.kindred.app.areaKey
import org.kindred.app.statusKey

/** The goals screen in the states a reader should see (part of [Catalog]). */
object GoalsCatalog {
    private val none = object : GoalsActions {}

    private val cards = listOf(
        GoalCard(
            "g1", "Cook at home three nights a week", UiText(Keys.GOAL_ACTIVE), UiText(Keys.GOAL_STEPS_PROGRESS, 2, 3), 2.0 / 3,
            shared = true, area = UiText(areaKey(LifeArea.PHYSICAL)), target = LocalDate.of(2026, 6, 1),
        ),
        GoalCard("g2", "Call my sister on Sundays", UiText(Keys.GOAL_ACTIVE), UiText(Keys.GOAL_NO_STEPS), null, shared = false),
        GoalCard(
            "g3", "Go back to the choir", UiText(Keys.GOAL_PAUSED), UiText(Keys.GOAL_STEPS_PROGRESS, 1, 2), 0.5,
            shared = false, area = UiText(areaKey(LifeArea.SOCIAL)),
        ),
        GoalCard("g4", "Pay off the phone bill", UiText(Keys.GOAL_ACHIEVED), UiText(Keys.GOAL_STEPS_PROGRESS, 2, 2), 1.0, shared = false),
    )

    private val open = GoalDetail(
        id = "g1",
        title = "Cook at home three nights a week",
        why = "I feel better when I eat well, and it saves money.",
        area = LifeArea.PHYSICAL,
        target = LocalDate.of(2026, 6, 1),
        status = GoalStatus.ACTIVE,
        statusText = UiText(statusKey(GoalStatus.ACTIVE)),
        steps = listOf(
            StepLine("s1", "Buy rice, beans and onions", true, null),
            StepLine("s2", "Find two easy recipes", true, LocalDate.of(2026, 3, 10)),
            StepLine("s3", "Cook with Sam on Friday", false, null),
        ),
        stepsText = UiText(Keys.GOAL_STEPS_PROGRESS, 2, 3),
        fraction = 2.0 / 3,
        progress = listOf(
            ProgressLine("p2", OffsetDateTime.parse("2026-03-03T19:00:00Z"), "Made soup. It was good!"),
            ProgressLine("p1", OffsetDateTime.parse("2026-02-27T18:00:00Z"), "Hard week, only cooked once. That still counts."),
        ),
        moves = listOf(GoalStatus.PAUSED, GoalStatus.ACHIEVED, GoalStatus.LET_GO),
    )

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("goals-empty") { GoalsContent(GoalsUi(loading = false), none) },
        CatalogScreen("goals") { GoalsContent(GoalsUi(loading = false, goals = cards), none) },
        CatalogScreen("goals-open") {
            GoalsContent(
                GoalsUi(loading = false, goals = cards, open = open, message = UiText(Keys.STEP_DONE), stepText = "Invite Jo"),
                none,
            )
        },
        CatalogScreen("goals-open-resting") {
            GoalsContent(
                GoalsUi(
                    loading = false, goals = cards,
                    open = open.copy(
                        id = "g3", title = "Go back to the choir", why = null, area = LifeArea.SOCIAL, target = null,
                        status = GoalStatus.PAUSED, statusText = UiText(statusKey(GoalStatus.PAUSED)),
                        steps = emptyList(), stepsText = UiText(Keys.GOAL_NO_STEPS), fraction = null, progress = emptyList(),
                        moves = listOf(GoalStatus.ACTIVE, GoalStatus.ACHIEVED, GoalStatus.LET_GO),
                    ),
                    message = UiText(Keys.GOAL_MOVED_PAUSED),
                ),
                none,
            )
        },
        CatalogScreen("goals-open-delete-forever") {
            GoalsContent(GoalsUi(loading = false, goals = cards, open = open, confirmErase = true), none, SharingCatalog.atTheEnd())
        },
        CatalogScreen("goals-deleted-forever") {
            GoalsContent(
                GoalsUi(
                    loading = false, goals = cards.drop(1),
                    message = UiText(Keys.ERASE_WAITING, UiText(Keys.ERASE_WHAT_GOAL, cards.first().title)),
                ),
                none,
            )
        },
        CatalogScreen("goals-adding") {
            GoalsContent(
                GoalsUi(
                    loading = false, goals = cards, adding = true,
                    draft = GoalDraft("Walk to the park", "Fresh air clears my head", LifeArea.PHYSICAL, 3),
                    draftTarget = LocalDate.of(2026, 6, 4),
                ),
                none,
            )
        },
        CatalogScreen("goals-adding-no-title") {
            GoalsContent(
                GoalsUi(loading = false, adding = true, draft = GoalDraft(why = "For me"), error = UiText(Keys.GOAL_TITLE_NEEDED)),
                none,
            )
        },
    )
}
