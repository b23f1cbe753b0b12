package org.kindred.app

import java.time.Clock
import java.time.LocalDate
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import org.kindred.GoalId
import org.kindred.GoalStatus
import org.kindred.KindredStore
import org.kindred.LifeArea
import org.kindred.StepId

/** What the Goals screen draws. */
data class GoalsUi(
    val loading: Boolean = true,
    val goals: List<GoalCard> = emptyList(),
    /** The goal opened, with its steps and progress notes; null on the list. */
    val open: GoalDetail? = null,
    /** Kind words after something was done ("Step added"). */
    val message: UiText? = null,
    /** What went wrong, in words, next to what caused it. */
    val error: UiText? = null,
    /** The add-a-goal form is showing (kept across a tab switch, like everything here). */
    val adding: Boolean = false,
    val draft: GoalDraft = GoalDraft(),
    /** The date [GoalDraft.targetMonths] aims for, counted from today; null for no date. */
    val draftTarget: LocalDate? = null,
    /** The next step being written on the open goal's page. */
    val stepText: String = "",
    /** The progress note being written on the open goal's page. */
    val progressText: String = "",
    /** The open goal's delete-forever waits for a second tap. */
    val confirmErase: Boolean = false,
)

/** A goal being written, before it is added: only the title is needed. */
data class GoalDraft(
    val title: String = "",
    val why: String = "",
    val area: LifeArea? = null,
    /** How far ahead to aim, in months (one of [TARGET_MONTHS]), or null for no date. */
    val targetMonths: Int? = null,
)

/** The aims the form offers: a month, three, six, a year. */
val TARGET_MONTHS = listOf(1, 3, 6, 12)

/** The words for an aim of [months] ahead ("In three months"). */
fun targetKey(months: Int): String = when (months) {
    1 -> Keys.GOAL_TARGET_MONTH
    3 -> Keys.GOAL_TARGET_3_MONTHS
    6 -> Keys.GOAL_TARGET_6_MONTHS
    else -> Keys.GOAL_TARGET_YEAR
}

/** What the Goals screen can ask of its state holder (no-ops by default, for the screen catalog and previews). */
interface GoalsActions {
    fun add(title: String, why: String = "", area: LifeArea? = null, target: LocalDate? = null): Job? = null
    fun open(id: String): Job? = null
    fun close() {}
    fun addStep(goalId: String, text: String, due: LocalDate? = null): Job? = null
    fun tickStep(goalId: String, stepId: String, done: Boolean): Job? = null
    fun addProgress(goalId: String, note: String): Job? = null
    fun setStatus(goalId: String, status: GoalStatus): Job? = null
    fun dismissMessage() {}

    /** Opens the add-a-goal form (what was written before is still there). */
    fun startAdding() {}
    fun cancelAdding() {}
    fun editDraft(draft: GoalDraft) {}
    /** Adds the goal the form holds; the form closes and the new goal opens. */
    fun saveDraft(): Job? = null
    fun editStep(text: String) {}
    fun editProgress(text: String) {}

    /** First tap on "Delete forever" on the open goal asks; [confirmErase] does it. */
    fun askErase() {}
    fun keepGoal() {}
    fun confirmErase(): Job? = null
}

/**
 * The Goals screen's state: the list, one goal opened, and every change a
 * person makes to a goal. Every status is a choice the person makes
 * (resting, done, let go); none of them is a failure.
 */
class GoalsModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val clock: Clock = Clock.systemDefaultZone(),
) : StateHolder<GoalsUi>(GoalsUi(), scope, io), GoalsActions {

    override fun failed(message: UiText) = update { it.copy(error = message, message = null, confirmErase = false) }

    /** Reads the goals (and the open one) again. */
    fun refresh(): Job = work { reload() }

    private suspend fun reload(message: UiText? = state.value.message) {
        val goals = store.goals()
        val shared = store.shares().flatMap { s -> s.goals.map { it.id.value } }.toSet()
        val openId = state.value.open?.id
        update {
            it.copy(
                loading = false,
                goals = goalCards(goals, shared),
                open = openId?.let { id -> goals.firstOrNull { g -> g.id.value == id } }?.let(::detailOf),
                message = message,
            )
        }
    }

    /** Adds a goal in the person's own words; the title is the only thing needed. */
    override fun add(title: String, why: String, area: LifeArea?, target: LocalDate?): Job = work {
        if (title.isBlank()) {
            failed(UiText(Keys.GOAL_TITLE_NEEDED))
            return@work
        }
        val id = store.addGoal(title.trim(), why.trim().ifEmpty { null }, area, target)
        update { it.copy(error = null) }
        val g = store.goal(id)
        update { it.copy(open = detailOf(g), adding = false, draft = GoalDraft(), draftTarget = null, stepText = "", progressText = "") }
        reload(UiText(Keys.GOAL_ADDED))
    }

    override fun open(id: String): Job = work {
        val g = store.goal(GoalId(id))
        update { it.copy(open = detailOf(g), adding = false, error = null, message = null, stepText = "", progressText = "", confirmErase = false) }
    }

    override fun close() = update { it.copy(open = null, error = null, message = null, stepText = "", progressText = "", confirmErase = false) }

    override fun addStep(goalId: String, text: String, due: LocalDate?): Job = work {
        if (text.isBlank()) {
            failed(UiText(Keys.STEP_TEXT_NEEDED))
            return@work
        }
        store.addStep(GoalId(goalId), text.trim(), due)
        update { it.copy(error = null, stepText = "") }
        reload(UiText(Keys.STEP_ADDED))
    }

    /** Ticks a step (or unticks it): the goal's progress moves with it. */
    override fun tickStep(goalId: String, stepId: String, done: Boolean): Job = work {
        store.setStepDone(GoalId(goalId), StepId(stepId), done)
        update { it.copy(error = null) }
        reload(if (done) UiText(Keys.STEP_DONE) else null)
    }

    override fun addProgress(goalId: String, note: String): Job = work {
        if (note.isBlank()) {
            failed(UiText(Keys.PROGRESS_TEXT_NEEDED))
            return@work
        }
        store.addProgress(GoalId(goalId), note.trim())
        update { it.copy(error = null, progressText = "") }
        reload(UiText(Keys.PROGRESS_ADDED))
    }

    override fun setStatus(goalId: String, status: GoalStatus): Job = work {
        store.setGoalStatus(GoalId(goalId), status)
        update { it.copy(error = null) }
        reload(UiText(movedKey(status)))
    }

    override fun dismissMessage() = update { it.copy(message = null, error = null) }

    override fun startAdding() = update { it.copy(adding = true, open = null, error = null, message = null) }

    override fun cancelAdding() = update { it.copy(adding = false, error = null) }

    override fun editDraft(draft: GoalDraft) = update {
        it.copy(
            draft = draft.copy(title = draft.title.take(MAX_TITLE)),
            draftTarget = draft.targetMonths?.let { m -> LocalDate.now(clock).plusMonths(m.toLong()) },
            error = null,
        )
    }

    override fun saveDraft(): Job {
        val s = state.value
        return add(s.draft.title, s.draft.why, s.draft.area, s.draftTarget)
    }

    override fun editStep(text: String) = update { it.copy(stepText = text, error = null) }

    override fun editProgress(text: String) = update { it.copy(progressText = text, error = null) }

    override fun askErase() = update { if (it.open == null) it else it.copy(confirmErase = true, message = null, error = null) }

    override fun keepGoal() = update { it.copy(confirmErase = false) }

    /**
     * Deletes the open goal forever, with its steps and progress, wherever it
     * is or was (a share too); back to the list, with words that say where
     * it is gone from.
     */
    override fun confirmErase(): Job = work {
        val goal = state.value.open?.takeIf { state.value.confirmErase } ?: return@work
        val e = store.deleteGoalForever(GoalId(goal.id))
        update { it.copy(open = null, confirmErase = false, stepText = "", progressText = "") }
        reload(erasedText(e, UiText(Keys.ERASE_WHAT_GOAL, goal.title)))
    }

    companion object {
        /** A goal's name is a line, not a page. */
        const val MAX_TITLE = 200
    }
}
