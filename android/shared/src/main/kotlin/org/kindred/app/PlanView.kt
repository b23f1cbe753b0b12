package org.kindred.app

import org.kindred.Plan
import org.kindred.PlanPart
import org.kindred.PlanSection
import org.kindred.Share
import org.kindred.SpaceId
import org.kindred.Suggestion

/** A worker's suggestion, shown beside what it belongs to until the person answers. */
data class SuggestionCard(
    val id: String,
    /** Who suggested it, by name. */
    val by: String,
    val text: String,
    val helps: String?,
    val note: String?,
)

/** One entry of the plan, in the person's own words; [suggestions] offer new words for it. */
data class PlanEntry(
    val id: String,
    val text: String,
    val helps: String?,
    val suggestions: List<SuggestionCard> = emptyList(),
)

/** One section as the plan shows it: its entries, suggested new entries, and who it is shared with. */
data class PlanSectionView(
    val section: PlanSection,
    val entries: List<PlanEntry> = emptyList(),
    val suggestions: List<SuggestionCard> = emptyList(),
    val sharedWith: List<String> = emptyList(),
) {
    val stored: String get() = section.stored
}

/** An entry being written: a new one in [section] ([id] null) or new words for entry [id]. */
data class EntryDraft(val section: String, val id: String? = null, val text: String = "", val helps: String = "")

/** A share the plan can go to, and which sections it already holds. */
data class PlanShareChoice(val space: SpaceId, val name: String, val sections: List<PlanSection> = emptyList())

/** The share panel: which share, and which sections (none chosen means the whole plan). */
data class ShareDraft(val space: SpaceId? = null, val sections: Set<String> = emptySet())

/** The words for a section's title ("What I'm like when I'm well"). */
fun sectionKey(section: PlanSection): String = "plan_section_" + section.stored

/** The words for a section's title, or a plain word for one from a newer version. */
fun sectionTitle(section: PlanSection): UiText =
    if (section in PlanSection.all) UiText(sectionKey(section)) else UiText(Keys.PLAN_SECTION_OTHER)

/** The sections of the plan, each with its entries and the suggestions that belong beside them. */
fun planSections(plan: Plan, part: PlanPart): List<PlanSectionView> {
    val waiting = plan.suggestions.filter { it.answer == null }
    val known = PlanSection.all.filter { it.part == part }
    val extra = (plan.items.map { it.section } + waiting.map { it.section })
        .filter { it !in PlanSection.all && part == PlanPart.WELLNESS }.distinct()
    return (known + extra).map { section ->
        val items = plan.items.filter { it.section == section }
        val itemIds = items.map { it.id }.toSet()
        PlanSectionView(
            section = section,
            entries = items.map { i ->
                PlanEntry(i.id.value, i.text, i.helps, waiting.filter { it.item == i.id }.map(::card))
            },
            // A suggestion for an entry that has gone shows as a new entry: nothing is lost.
            suggestions = waiting.filter { it.section == section && (it.item == null || it.item !in itemIds) }.map(::card),
            sharedWith = plan.shared.filter { section in it.sections }.map { it.name.removePrefix("with ") },
        )
    }
}

// The core names who suggested it as the share is named ("with Sam"): the screen says the name alone.
private fun card(s: Suggestion) = SuggestionCard(s.id.value, s.byName.removePrefix("with "), s.text, s.helps, s.note)

/** The shares the plan can go to: those still open, with what each holds. */
fun planShareChoices(shares: List<Share>, plan: Plan): List<PlanShareChoice> =
    shares.filter { !it.ended }.map { s ->
        PlanShareChoice(s.space, shareName(s), plan.shared.firstOrNull { it.space == s.space }?.sections.orEmpty())
    }

/** Who a share is with, by name ("Sam"), as the Sharing screen says it. */
fun shareName(s: Share): String =
    s.others.map { it.name }.distinct().joinToString(", ").ifEmpty { s.name.removePrefix("with ") }
