package org.kindred.ui

import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.verticalScroll
import androidx.compose.ui.unit.dp
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import org.kindred.ContactId
import org.kindred.ContactPrefs
import org.kindred.ContactWay
import org.kindred.Period
import org.kindred.PlanItem
import org.kindred.PlanItemId
import org.kindred.PlanSection
import org.kindred.PrefsNote
import org.kindred.Resource
import org.kindred.ResourceId
import org.kindred.ResourceKind
import org.kindred.SharedPlan
import org.kindred.SpaceId
import org.kindred.Suggestion
import org.kindred.SuggestionAnswer
import org.kindred.SuggestionId
import org.kindred.app.AWhileRow
import org.kindred.app.DayRow
import org.kindred.app.Keys
import org.kindred.app.PlanDraft
import org.kindred.app.ResourceDraft
import org.kindred.app.ResourcesActions
import org.kindred.app.ResourcesUi
import org.kindred.app.ShareChoice
import org.kindred.app.SharedPlansActions
import org.kindred.app.SharedPlansUi
import org.kindred.app.SuggestDraft
import org.kindred.app.UiText
import org.kindred.app.WorkDayActions
import org.kindred.app.WorkDayUi
import org.kindred.app.flagWords
import org.kindred.app.prefsWords

/** The worker's day, a shared plan and resources in the states a reader should see (part of [WorkCatalog]). */
object WorkDayCatalog {
    private val today = LocalDate.of(2026, 3, 4)
    private val at = OffsetDateTime.of(2026, 3, 4, 10, 0, 0, 0, ZoneOffset.UTC)
    private val samPrefs = ContactPrefs(listOf(ContactWay.TEXT), listOf("mon,tue,wed,thu,fri 10:00-14:00"), noVoicemail = true, callWord = "blue")
    private val rows = listOf(
        DayRow("a", "Ana", LocalDate.of(2026, 3, 2)),
        DayRow(
            "s", "Sam", today, "08:00", ContactWay.CALL, "p1", prefsWords(samPrefs),
            listOf(PrefsNote.OutsideBestTimes(samPrefs.bestTimes), PrefsNote.NotPreferredWay(samPrefs.ways), PrefsNote.NoVoicemail).map { flagWords(it, "Sam") },
        ),
    )
    private val week = listOf(DayRow("b", "Ben Okafor", LocalDate.of(2026, 3, 6), "14:30", ContactWay.IN_PERSON, "p2"))
    private val weeks = (0 until 8).map { Period(LocalDate.of(2026, 3, 2).minusWeeks(it.toLong()), listOf(150L, 240, 45, 0, 300, 180, 95, 60)[it], listOf(3, 4, 1, 0, 5, 3, 2, 1)[it]) }
    private val months = (0 until 6).map { Period(LocalDate.of(2026, 3, 1).minusMonths(it.toLong()), listOf(150L, 820, 760, 905, 640, 700)[it], listOf(3, 14, 12, 15, 10, 11)[it]) }
    private val day = WorkDayUi(
        loading = false, today = today, todayRows = rows, weekRows = week,
        aWhile = listOf(AWhileRow("c", "Cy", LocalDate.of(2026, 1, 10))), weeks = weeks, months = months,
    )

    private val space = SpaceId("sp1")
    private val daily = PlanSection.of("daily")
    private val triggers = PlanSection.of("triggers")
    private val plan = SharedPlan(
        space, "Sam", listOf(daily, triggers),
        listOf(
            PlanItem(PlanItemId("i1"), daily, "Walk the dog before breakfast", null, at),
            PlanItem(PlanItemId("i2"), triggers, "Crowded buses", "Getting off a stop early and walking", at),
        ),
        listOf(
            Suggestion(SuggestionId("g1"), space, daily, null, "Ten minutes outside at lunch", null, "You said the sun helps", "you", at, null),
            Suggestion(SuggestionId("g2"), space, daily, null, "Text a friend on Sundays", null, null, "you", at, SuggestionAnswer.ACCEPTED),
            Suggestion(SuggestionId("g3"), space, triggers, PlanItemId("i2"), "Busy buses at rush hour", null, null, "you", at, SuggestionAnswer.DECLINED),
        ),
    )
    private val shares = listOf(ShareChoice("sp1", "Sam"), ShareChoice("sp2", "Ben Okafor"))
    private val resources = listOf(
        Resource(ResourceId("r1"), space, ResourceKind.FOOD, "Eastside food bank", "555 0101", "Tue, Thu 10:00–16:00", "12 Mill Road", "Bring a bag", kept = false, mine = true),
        Resource(ResourceId("r2"), space, ResourceKind.GROUP, "Tuesday peer group", "eastside.example/group", "Tue 18:00", null, null, kept = false, mine = false),
    )

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("work-day") { WorkDayContent(day, object : WorkDayActions {}) },
        CatalogScreen("work-day-empty") { WorkDayContent(WorkDayUi(loading = false, today = today, weeks = weeks.map { it.copy(minutes = 0, contacts = 0) }.take(1), months = months.take(1).map { it.copy(minutes = 0, contacts = 0) }), object : WorkDayActions {}) },
        CatalogScreen("work-day-planning") {
            WorkDayContent(
                day.copy(
                    contacts = listOf(org.kindred.Contact(ContactId("s"), "Sam"), org.kindred.Contact(ContactId("b"), "Ben Okafor")),
                    planning = PlanDraft("s", today, "half ten", ContactWay.CALL), error = UiText(Keys.PLAN_TIME_RULE),
                ),
                object : WorkDayActions {},
            )
        },
        CatalogScreen("work-day-time") {
            androidx.compose.foundation.layout.Column(
                androidx.compose.ui.Modifier.verticalScroll(androidx.compose.foundation.rememberScrollState())
                    .padding(16.dp),
            ) { TimeWithPeople(weeks, months) }
        },
        CatalogScreen("work-shared-plan") {
            SharedPlansContent(SharedPlansUi(loading = false, plans = listOf(plan), open = "sp1"), object : SharedPlansActions {})
        },
        CatalogScreen("work-shared-plan-suggesting") {
            SharedPlansContent(
                SharedPlansUi(loading = false, plans = listOf(plan), open = "sp1", suggesting = SuggestDraft("sp1", "triggers", "i2", "Crowded buses and shops", "Going early in the day")),
                object : SharedPlansActions {},
            )
        },
        CatalogScreen("work-shared-plans") { SharedPlansContent(SharedPlansUi(loading = false, plans = listOf(plan)), object : SharedPlansActions {}) },
        CatalogScreen("work-resources") {
            ResourcesContent(ResourcesUi(loading = false, resources = resources, shares = shares, message = UiText(Keys.RESOURCE_ADDED, "Eastside food bank")), object : ResourcesActions {})
        },
        CatalogScreen("work-resources-adding") {
            ResourcesContent(
                ResourcesUi(loading = false, resources = resources, shares = shares, adding = ResourceDraft("sp1", ResourceKind.HOUSING, "Housing advice line")),
                object : ResourcesActions {},
            )
        },
    )
}
