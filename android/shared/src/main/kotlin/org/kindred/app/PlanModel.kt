package org.kindred.app

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import org.kindred.KindredStore
import org.kindred.PlanItemId
import org.kindred.PlanPart
import org.kindred.PlanSection
import org.kindred.SpaceId
import org.kindred.SuggestionId
import org.kindred.addPlanItem
import org.kindred.answerSuggestion
import org.kindred.deletePlanItem
import org.kindred.plan
import org.kindred.planText
import org.kindred.sharePlan
import org.kindred.unsharePlan
import org.kindred.updatePlanItem
import org.kindred.app.platform.ShareSheet

/** What the plan screen draws. */
data class PlanUi(
    val loading: Boolean = true,
    /** "My wellness plan", section by section. */
    val wellness: List<PlanSectionView> = emptyList(),
    /** "My safety plan", in its seven steps. */
    val safety: List<PlanSectionView> = emptyList(),
    /** The entry being written (new, or new words); null when none is. */
    val draft: EntryDraft? = null,
    /** The entry whose "Take it out" waits for a second tap. */
    val confirmDelete: String? = null,
    /** The share panel is open: which share and which sections. */
    val sharing: ShareDraft? = null,
    /** The shares the plan can go to, with what each holds. */
    val shares: List<PlanShareChoice> = emptyList(),
    val message: UiText? = null,
    /** What went wrong; shown next to the draft when one is open. */
    val error: UiText? = null,
) {
    val sections: List<PlanSectionView> get() = wellness + safety
    fun section(stored: String): PlanSectionView? = sections.firstOrNull { it.stored == stored }
}

/** What the plan screen can ask of its state holder (no-ops by default, for the catalog). */
interface PlanActions {
    fun refresh(): Job? = null
    fun startAdding(section: String) {}
    fun startEditing(entryId: String) {}
    fun editDraft(text: String? = null, helps: String? = null) {}
    fun saveDraft(): Job? = null
    fun cancelDraft() {}
    fun askDelete(entryId: String) {}
    fun keepEntry() {}
    fun confirmDelete(): Job? = null
    /** Takes a suggestion: its words go into the plan as the person's own. */
    fun take(suggestionId: String): Job? = null
    /** Leaves a suggestion: nothing in the plan changes. */
    fun leave(suggestionId: String): Job? = null
    fun startSharing() {}
    fun chooseShare(space: SpaceId) {}
    /** Ticks a section to share, or unticks it; none ticked is the whole plan. */
    fun toggleSection(stored: String) {}
    fun chooseWholePlan() {}
    fun confirmShare(): Job? = null
    fun cancelSharing() {}
    fun stopSharing(space: SpaceId, section: String): Job? = null
    /** The plan as text, to the platform's share sheet (save, print, send). */
    fun saveOrPrint(): Job? = null
    fun dismissMessage() {}
}

/**
 * The person's wellness and safety plan: every entry in their own words,
 * a worker's suggestions beside the part they belong to (nothing changes
 * until the person chooses), sharing sections with a share, and the plan
 * as text to save or print.
 */
class PlanModel(
    private val store: KindredStore,
    private val shareSheet: ShareSheet,
    scope: CoroutineScope,
    io: CoroutineContext,
) : StateHolder<PlanUi>(PlanUi(), scope, io), PlanActions {

    override fun failed(message: UiText) = update { it.copy(error = message, message = null, confirmDelete = null) }

    override fun refresh(): Job = work { reload() }

    private suspend fun reload(message: UiText? = state.value.message) {
        val plan = store.plan()
        val shares = planShareChoices(store.shares(), plan)
        update {
            it.copy(
                loading = false,
                wellness = planSections(plan, PlanPart.WELLNESS),
                safety = planSections(plan, PlanPart.SAFETY),
                shares = shares,
                message = message,
            )
        }
    }

    override fun startAdding(section: String) =
        update { it.copy(draft = EntryDraft(section), confirmDelete = null, error = null, message = null) }

    override fun startEditing(entryId: String) = update { s ->
        val (section, entry) = s.sections.firstNotNullOfOrNull { v -> v.entries.firstOrNull { it.id == entryId }?.let { v to it } }
            ?: return@update s
        s.copy(draft = EntryDraft(section.stored, entry.id, entry.text, entry.helps.orEmpty()), confirmDelete = null, error = null, message = null)
    }

    override fun editDraft(text: String?, helps: String?) = update { s ->
        val d = s.draft ?: return@update s
        s.copy(draft = d.copy(text = text ?: d.text, helps = helps ?: d.helps), error = null)
    }

    /** Saves the entry being written; the core's refusal shows beside it and nothing is written. */
    override fun saveDraft(): Job = work {
        val d = state.value.draft ?: return@work
        if (d.text.isBlank()) {
            failed(UiText(Keys.PLAN_TEXT_NEEDED))
            return@work
        }
        val helps = d.helps.trim().ifEmpty { null }
        if (d.id == null) store.addPlanItem(PlanSection.of(d.section), d.text.trim(), helps)
        else store.updatePlanItem(PlanItemId(d.id), d.text.trim(), helps)
        update { it.copy(draft = null, error = null) }
        reload(UiText(if (d.id == null) Keys.PLAN_ADDED else Keys.PLAN_CHANGED))
    }

    override fun cancelDraft() = update { it.copy(draft = null, error = null) }

    override fun askDelete(entryId: String) = update { it.copy(confirmDelete = entryId, draft = null, error = null, message = null) }

    override fun keepEntry() = update { it.copy(confirmDelete = null) }

    override fun confirmDelete(): Job = work {
        val id = state.value.confirmDelete ?: return@work
        store.deletePlanItem(PlanItemId(id))
        update { it.copy(confirmDelete = null, error = null) }
        reload(UiText(Keys.PLAN_TAKEN_OUT))
    }

    override fun take(suggestionId: String): Job = answer(suggestionId, true)

    override fun leave(suggestionId: String): Job = answer(suggestionId, false)

    private fun answer(id: String, accept: Boolean) = work {
        store.answerSuggestion(SuggestionId(id), accept)
        update { it.copy(error = null) }
        reload(UiText(if (accept) Keys.PLAN_SUGGESTION_TAKEN else Keys.PLAN_SUGGESTION_LEFT))
    }

    override fun startSharing() = update {
        it.copy(sharing = ShareDraft(space = it.shares.singleOrNull()?.space), draft = null, confirmDelete = null, error = null, message = null)
    }

    override fun chooseShare(space: SpaceId) = update { s -> s.copy(sharing = s.sharing?.copy(space = space), error = null) }

    override fun toggleSection(stored: String) = update { s ->
        val d = s.sharing ?: return@update s
        s.copy(sharing = d.copy(sections = if (stored in d.sections) d.sections - stored else d.sections + stored), error = null)
    }

    override fun chooseWholePlan() = update { s -> s.copy(sharing = s.sharing?.copy(sections = emptySet()), error = null) }

    override fun confirmShare(): Job = work {
        val d = state.value.sharing ?: return@work
        val space = d.space ?: run {
            failed(UiText(Keys.PLAN_SHARE_PICK))
            return@work
        }
        val name = state.value.shares.firstOrNull { it.space == space }?.name.orEmpty()
        // In the plan's order, so the share lists them the way the plan does.
        val sections = PlanSection.all.filter { it.stored in d.sections }
        store.sharePlan(space, sections)
        update { it.copy(sharing = null, error = null) }
        reload(UiText(if (sections.isEmpty()) Keys.PLAN_SHARED_ALL else Keys.PLAN_SHARED_SOME, name))
    }

    override fun cancelSharing() = update { it.copy(sharing = null, error = null) }

    override fun stopSharing(space: SpaceId, section: String): Job = work {
        val name = state.value.shares.firstOrNull { it.space == space }?.name.orEmpty()
        store.unsharePlan(space, listOf(PlanSection.of(section)))
        update { it.copy(error = null) }
        reload(UiText(Keys.PLAN_UNSHARED, sectionTitle(PlanSection.of(section)), name))
    }

    override fun saveOrPrint(): Job = work {
        val text = store.planText()
        shareSheet.share(FILE_NAME, "text/plain", text.encodeToByteArray())
        update { it.copy(error = null) }
        reload(UiText(Keys.PLAN_SAVED_TEXT))
    }

    override fun dismissMessage() = update { it.copy(message = null, error = null) }

    companion object {
        const val FILE_NAME = "my-plan.txt"
    }
}
