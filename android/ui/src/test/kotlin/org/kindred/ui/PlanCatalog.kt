package org.kindred.ui

import org.kindred.PlanPart
import org.kindred.PlanSection
import org.kindred.SpaceId
import org.kindred.app.EntryDraft
import org.kindred.app.Keys
import org.kindred.app.PlanActions
import org.kindred.app.PlanEntry
import org.kindred.app.PlanSectionView
import org.kindred.app.PlanShareChoice
import org.kindred.app.PlanUi
import org.kindred.app.ShareDraft
import org.kindred.app.SuggestionCard
import org.kindred.app.UiText

/** The plan in the states a reader should see (part of [Catalog]). */
object PlanCatalog {
    private val none = object : PlanActions {}

    private fun empty(part: PlanPart) = PlanSection.all.filter { it.part == part }.map { PlanSectionView(it) }

    private val emptyPlan = PlanUi(loading = false, wellness = empty(PlanPart.WELLNESS), safety = empty(PlanPart.SAFETY))

    private fun PlanUi.with(stored: String, change: (PlanSectionView) -> PlanSectionView) = copy(
        wellness = wellness.map { if (it.stored == stored) change(it) else it },
        safety = safety.map { if (it.stored == stored) change(it) else it },
    )

    private val written = emptyPlan
        .with("when_well") { it.copy(
                entries = listOf(PlanEntry("e1", "I laugh easily and I cook for friends", null)),
                suggestions = listOf(SuggestionCard("s0", "Ana", "I sing in the kitchen", null, "You said this on Tuesday")),
            )
        }
        .with("triggers") {
            it.copy(
                entries = listOf(
                    PlanEntry(
                        "e2", "Payday", "Plan the money on Friday with Ana",
                        suggestions = listOf(SuggestionCard("s1", "Ana", "Payday weekends", "Plan the money on Friday", null)),
                    ),
                ),
                sharedWith = listOf("Ana"),
            )
        }
        .with("on_my_own") {
            it.copy(
                entries = listOf(PlanEntry("e3", "A hot shower, then music", null)),
                suggestions = listOf(SuggestionCard("s2", "Ana", "Walk round the block twice", null, "You said walking helped last time")),
            )
        }

    private val shares = listOf(
        PlanShareChoice(SpaceId("sp1"), "Ana", listOf(PlanSection.of("triggers"), PlanSection.of("reasons"))),
        PlanShareChoice(SpaceId("sp2"), "Jo"),
    )

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("plan-empty") { PlanContent(emptyPlan, none, onClose = {}) },
        CatalogScreen("plan") { PlanContent(written, none, onClose = {}) },
        CatalogScreen("plan-adding") {
            PlanContent(
                written.copy(draft = EntryDraft("when_well", text = ""), error = UiText(Keys.PLAN_TEXT_NEEDED)),
                none, onClose = {},
            )
        },
        CatalogScreen("plan-take-out") { PlanContent(written.copy(confirmDelete = "e1"), none, onClose = {}) },
        CatalogScreen("plan-share") {
            PlanContent(
                written.copy(shares = shares, sharing = ShareDraft(SpaceId("sp1"), setOf("triggers", "reasons"))),
                none, onClose = {},
            )
        },
        CatalogScreen("plan-share-none") { PlanContent(written.copy(sharing = ShareDraft()), none, onClose = {}) },
    )
}
