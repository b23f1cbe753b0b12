package org.kindred.app

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import org.kindred.KindredStore
import org.kindred.PlanItemId
import org.kindred.PlanSection
import org.kindred.SharedPlan
import org.kindred.SpaceId
import org.kindred.Suggestion
import org.kindred.SuggestionAnswer
import org.kindred.sharedPlans
import org.kindred.suggestPlan

/** A suggestion being written: a new entry in [section], or new words for [instead]. */
data class SuggestDraft(
    val space: String,
    val section: String,
    val instead: String? = null,
    val text: String = "",
    val helps: String = "",
    val note: String = "",
)

/** What the shared plans draw. The plan itself is only ever read here. */
data class SharedPlansUi(
    val loading: Boolean = true,
    val plans: List<SharedPlan> = emptyList(),
    /** The plan open, by its share; null lists them all. */
    val open: String? = null,
    val suggesting: SuggestDraft? = null,
    val message: UiText? = null,
    val error: UiText? = null,
)

interface SharedPlansActions {
    fun openPlan(space: String?) {}
    fun startSuggest(space: String, section: String, instead: String? = null) {}
    fun editSuggest(change: (SuggestDraft) -> SuggestDraft) {}
    fun cancelSuggest() {}
    fun sendSuggest(): Job? = null
}

/** Where a suggestion stands, in kind words: "Waiting for Sam", "Sam added this", "Sam kept their own words". */
fun suggestionState(s: Suggestion, person: String): UiText = when (s.answer) {
    null -> UiText(Keys.SUGGEST_WAITING, person)
    SuggestionAnswer.ACCEPTED -> UiText(if (s.item == null) Keys.SUGGEST_ADDED else Keys.SUGGEST_TOOK_WORDS, person)
    SuggestionAnswer.DECLINED -> UiText(if (s.item == null) Keys.SUGGEST_NOT_ADDED else Keys.SUGGEST_KEPT_OWN, person)
}

/** The key for a plan section's heading ("shared_plan_section_daily"). */
fun sharedSectionKey(section: PlanSection): String =
    "shared_plan_section_${section.stored}".takeIf { k -> Keys.all.contains(k) } ?: Keys.SHARED_PLAN_SECTION_OTHER

/**
 * Plans people shared with this device, read-only: the worker reads the
 * sections and entries, and suggests (a new entry, or new words for one,
 * with an optional why). Only the person changes their plan; there is no
 * way to here.
 */
class SharedPlansModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
) : StateHolder<SharedPlansUi>(SharedPlansUi(), scope, io), SharedPlansActions {
    override fun failed(message: UiText) = update { it.copy(error = message, message = null) }

    fun refresh(): Job = work {
        val plans = store.sharedPlans()
        update { s -> s.copy(loading = false, plans = plans, open = s.open?.takeIf { o -> plans.any { it.space.value == o } }) }
    }

    override fun openPlan(space: String?) = update { it.copy(open = space, suggesting = null, message = null, error = null) }

    override fun startSuggest(space: String, section: String, instead: String?) {
        val item = instead?.let { id -> state.value.plans.flatMap { it.items }.firstOrNull { it.id.value == id } }
        update {
            it.copy(
                suggesting = SuggestDraft(space, section, instead, text = item?.text.orEmpty(), helps = item?.helps.orEmpty()),
                message = null, error = null,
            )
        }
    }

    override fun editSuggest(change: (SuggestDraft) -> SuggestDraft) = update { s -> s.copy(suggesting = s.suggesting?.let(change), error = null) }

    override fun cancelSuggest() = update { it.copy(suggesting = null, error = null) }

    override fun sendSuggest(): Job = work {
        val d = state.value.suggesting ?: return@work
        if (d.text.isBlank()) return@work failed(UiText(Keys.SUGGEST_TEXT_NEEDED))
        store.suggestPlan(
            SpaceId(d.space), PlanSection.of(d.section), d.text.trim(), d.helps.trim().ifEmpty { null },
            d.instead?.let(::PlanItemId), d.note.trim().ifEmpty { null },
        )
        val name = state.value.plans.firstOrNull { it.space.value == d.space }?.name ?: ""
        update { it.copy(suggesting = null, error = null, message = UiText(Keys.SUGGEST_SENT, name)) }
        refresh().join()
    }
}
