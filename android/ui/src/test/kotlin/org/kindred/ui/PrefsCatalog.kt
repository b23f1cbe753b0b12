package org.kindred.ui

import java.time.DayOfWeek
import org.kindred.ContactWay
import org.kindred.PlanPart
import org.kindred.PlanSection
import org.kindred.Resource
import org.kindred.ResourceId
import org.kindred.ResourceKind
import org.kindred.SpaceId
import org.kindred.app.ContactPrefsActions
import org.kindred.app.ContactPrefsUi
import org.kindred.app.DaysChoice
import org.kindred.app.Keys
import org.kindred.app.PlanActions
import org.kindred.app.PlanSectionView
import org.kindred.app.PlanShareChoice
import org.kindred.app.PlanUi
import org.kindred.app.ResourceDraft
import org.kindred.app.ResourcesActions
import org.kindred.app.ResourcesUi
import org.kindred.app.ShareChoice
import org.kindred.app.ShareDraft
import org.kindred.app.UiText
import org.kindred.app.WindowDraft

/** Her contact preferences, her resources and the folded plan share panel (part of [Catalog]). */
object PrefsCatalog {
    private val none = object : ContactPrefsActions {}
    private val empty = ContactPrefsUi(space = "sp1", withName = "Ana")
    private val filled = empty.copy(
        ways = setOf(ContactWay.TEXT, ContactWay.IN_PERSON),
        windows = listOf(
            WindowDraft(DaysChoice.WEEKDAYS, from = "10:00", to = "14:00"),
            WindowDraft(DaysChoice.CHOSEN, setOf(DayOfWeek.SATURDAY, DayOfWeek.TUESDAY), "09:00", "12:00"),
        ),
        noVoicemail = true,
        callWord = "blue",
        note = "Mornings are hard. A text first is kind.",
        message = UiText(Keys.CONTACT_PREFS_SAVED, "Ana"),
    )
    private val bad = empty.copy(
        ways = setOf(ContactWay.CALL),
        windows = listOf(
            WindowDraft(DaysChoice.WEEKENDS, from = "14:00", to = "09:00", problem = UiText(Keys.ERROR_CHECK_THIS, "the end time can't be before the start time")),
        ),
        error = UiText(Keys.CONTACT_PREFS_CHECK_TIMES),
    )

    private val space = SpaceId("sp1")
    private val resources = listOf(
        Resource(ResourceId("r1"), space, ResourceKind.FOOD, "Eastside food bank", "555 0101", "Tue, Thu 10:00–16:00", "12 Mill Road", "Bring a bag", kept = false, mine = false),
        Resource(ResourceId("r2"), space, ResourceKind.GROUP, "Tuesday peer group", "eastside.example/group", "Tue 18:00", null, null, kept = true, mine = true),
        Resource(ResourceId("r3"), SpaceId("own"), ResourceKind.OTHER, "The library's quiet room", null, "Every day 09:00–20:00", "Market Street", null, kept = false, mine = true),
    )
    private val shares = listOf(ShareChoice("sp1", "Ana"))

    private val plan = PlanUi(
        loading = false,
        wellness = PlanSection.all.filter { it.part == PlanPart.WELLNESS }.map { PlanSectionView(it) },
        safety = PlanSection.all.filter { it.part == PlanPart.SAFETY }.map { PlanSectionView(it) },
        shares = listOf(PlanShareChoice(SpaceId("sp1"), "Ana")),
        sharing = ShareDraft(SpaceId("sp1")),
    )

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("contact-prefs-empty") { ContactPrefsContent(empty, none) },
        CatalogScreen("contact-prefs-filled") { ContactPrefsContent(filled, none) },
        CatalogScreen("contact-prefs-bad-time") { ContactPrefsContent(bad, none) },
        CatalogScreen("my-resources") {
            ResourcesContent(ResourcesUi(loading = false, resources = resources, shares = shares), object : ResourcesActions {}, ownList = true, onClose = {})
        },
        CatalogScreen("my-resources-adding") {
            ResourcesContent(
                ResourcesUi(loading = false, resources = resources, shares = shares, adding = ResourceDraft(null, ResourceKind.OTHER, "The library's quiet room")),
                object : ResourcesActions {}, ownList = true, onClose = {},
            )
        },
        CatalogScreen("plan-share-whole") { PlanContent(plan, object : PlanActions {}, onClose = {}, onResources = {}) },
    )
}
