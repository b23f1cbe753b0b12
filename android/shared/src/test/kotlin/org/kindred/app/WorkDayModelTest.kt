package org.kindred.app

import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.ContactPrefs
import org.kindred.ContactWay
import org.kindred.KindredStore
import org.kindred.PlanSection
import org.kindred.ResourceKind
import org.kindred.SpaceId
import org.kindred.SuggestionAnswer
import org.kindred.addPlanItem
import org.kindred.answerSuggestion
import org.kindred.plan
import org.kindred.resources
import org.kindred.setContactPrefs
import org.kindred.sharePlan
import org.kindred.sharedPlans

/** The worker's day, shared plans and resources, on the real native library. Today is Wed 4 Mar 2026 (UTC). */
class WorkDayModelTest {
    private val f = Fixtures()
    private val clock = TestClock(Instant.parse("2026-03-04T12:00:00Z"), ZoneOffset.UTC)
    private fun at(d: Int, h: Int) = OffsetDateTime.of(2026, 3, d, h, 0, 0, 0, ZoneOffset.UTC)
    private val words = Strings.englishSet

    @AfterEach
    fun close() = f.close()


    @Test
    fun theDayListsFromNotesAndPlansAndABadTimeChangesNothing(): Unit = runBlocking {
        val k = f.store("worker laptop")
        val ana = k.addContact("Ana")
        val ben = k.addContact("Ben")
        val cy = k.addContact("Cy")
        // Ana's next contact was Monday: it stays in Today, said as planned for Monday.
        k.addNote(ana, OffsetDateTime.parse("2026-02-20T10:00:00Z"), OffsetDateTime.parse("2026-02-20T11:00:00Z"), "Coffee", nextContact = LocalDate.of(2026, 3, 2))
        // Cy was last seen in January, with nothing planned since.
        k.addNote(cy, OffsetDateTime.parse("2026-01-10T10:00:00Z"), OffsetDateTime.parse("2026-01-10T10:45:00Z"), "Walk")
        // This week: 90 minutes with Ben.
        k.addNote(ben, at(2, 10), at(2, 11).plusMinutes(30), "Library")
        val day = WorkDayModel(k, f.scope, f.io, clock)
        day.refresh().await()
        var s = day.state.value
        assertEquals(LocalDate.of(2026, 3, 4), s.today)
        assertEquals(listOf("Ana"), s.todayRows.map { it.name })
        assertEquals(LocalDate.of(2026, 3, 2), s.todayRows.single().due)
        assertNull(s.todayRows.single().planned)
        assertEquals(listOf("Cy"), s.aWhile.map { it.name })
        assertEquals(90L, s.weeks.first().minutes)
        assertEquals("1 h 30 min", words.format(durationWords(s.weeks.first().minutes)))
        assertEquals(8, s.weeks.size)
        assertEquals(6, s.months.size)

        // A time that cannot be read is said, and nothing is planned.
        day.startPlan(ben.value)
        day.editPlan { it.copy(day = LocalDate.of(2026, 3, 6), time = "half ten", way = ContactWay.IN_PERSON) }
        day.savePlan().await()
        assertEquals(UiText(Keys.PLAN_TIME_RULE), day.state.value.error)
        day.refresh().await()
        assertTrue(day.state.value.weekRows.isEmpty())
        assertTrue(day.state.value.planning != null, "the form stays open to fix")

        day.editPlan { it.copy(time = "10:30") }
        day.savePlan().await()
        s = day.state.value
        assertEquals(UiText(Keys.PLAN_SAVED), s.message)
        val planned = s.weekRows.single()
        assertEquals("Ben", planned.name)
        assertEquals("10:30", planned.time)
        assertEquals(ContactWay.IN_PERSON, planned.way)

        // Search by a word in the notes.
        day.search("library").await()
        assertEquals(listOf("Ben"), day.state.value.hits!!.map { it.name })
        day.search("").await()
        assertNull(day.state.value.hits)

        day.markDone(planned.planned!!).await()
        assertEquals(UiText(Keys.PLAN_MARKED_DONE), day.state.value.message)
        assertTrue(day.state.value.weekRows.isEmpty())
        day.startPlan(cy.value)
        day.savePlan().await()
        assertEquals(listOf("Ana", "Cy"), day.state.value.todayRows.map { it.name })
        assertTrue(day.state.value.aWhile.isEmpty(), "someone with a plan is not in \"a while\"")
        day.cancelPlanned(day.state.value.todayRows.first { it.name == "Cy" }.planned!!).await()
        assertEquals(listOf("Cy"), day.state.value.aWhile.map { it.name })
    }

    @Test
    fun preferencesShowAndAFlagAndASuggestionAnsweredAfterSync(): Unit = runBlocking {
        val url = f.server()
        val sam = f.store("Sam", url)
        val worker = f.store("worker laptop", url)
        val space = shareBetween(sam, worker)
        sam.addPlanItem(PlanSection.of("daily"), "Walk the dog before breakfast")
        sam.sharePlan(space, listOf(PlanSection.of("daily")))
        sam.setContactPrefs(space, ContactPrefs(ways = listOf(ContactWay.TEXT), bestTimes = listOf("mon-fri 10:00-14:00"), noVoicemail = true, callWord = "blue"))
        sam.sync()
        worker.sync()

        val contact = worker.addContact("Sam")
        val work = WorkModel(worker, f.scope, f.io, clock)
        work.refresh().await()
        work.link(contact.value, space.value).await()
        assertEquals(space.value, work.state.value.caseload.single().share)

        val day = WorkDayModel(worker, f.scope, f.io, clock)
        day.refresh().await()
        day.startPlan(contact.value)
        day.editPlan { it.copy(day = LocalDate.of(2026, 3, 5), time = "08:00", way = ContactWay.CALL) }
        day.savePlan().await()
        val row = day.state.value.weekRows.single()
        val said = row.prefs.map(words::format)
        assertEquals(listOf("Prefers text", "Best times: weekdays 10:00–14:00", "No voicemail, please", "Say: blue"), said)
        val flags = row.flags.map(words::format)
        assertTrue("This is outside the times Sam prefers" in flags, "$flags")
        assertTrue("Not the way Sam prefers (text)" in flags, "$flags")

        // The shared plan, read-only, and a suggestion that waits, then is answered.
        val plans = SharedPlansModel(worker, f.scope, f.io)
        plans.refresh().await()
        val plan = plans.state.value.plans.single()
        assertEquals(listOf("Walk the dog before breakfast"), plan.items.map { it.text })
        plans.openPlan(plan.space.value)
        plans.startSuggest(plan.space.value, "daily")
        plans.sendSuggest().await()
        assertEquals(UiText(Keys.SUGGEST_TEXT_NEEDED), plans.state.value.error)
        plans.editSuggest { it.copy(text = "Ten minutes outside at lunch", note = "You said the sun helps") }
        plans.sendSuggest().await()
        val mine = plans.state.value.plans.single().suggestions.single()
        assertEquals("Waiting for ${plan.name}", words.format(suggestionState(mine, plan.name)))

        worker.sync()
        sam.sync()
        val waiting = sam.plan().suggestions.single()
        assertEquals("Ten minutes outside at lunch", waiting.text)
        sam.answerSuggestion(waiting.id, accept = true)
        sam.sync()
        worker.sync()
        plans.refresh().await()
        val answered = plans.state.value.plans.single().suggestions.single()
        assertEquals(SuggestionAnswer.ACCEPTED, answered.answer)
        assertEquals("${plan.name} added this", words.format(suggestionState(answered, plan.name)))

        // A resource for Sam: it syncs to them, they keep a copy; only the writer deletes.
        val res = ResourcesModel(worker, f.scope, f.io)
        res.refresh().await()
        res.startAdd()
        assertEquals(space.value, res.state.value.adding!!.space, "the only share is chosen")
        res.saveAdd().await()
        assertEquals(UiText(Keys.RESOURCE_NAME_NEEDED), res.state.value.error)
        assertTrue(worker.resources().isEmpty())
        res.editAdd { it.copy(kind = ResourceKind.FOOD, name = "Eastside food bank", reach = "555 0101", hours = "Tue, Thu 10:00–16:00") }
        res.saveAdd().await()
        val added = res.state.value.resources.single()
        assertTrue(added.mine)
        worker.sync()
        sam.sync()
        val samRes = ResourcesModel(sam, f.scope, f.io, ownList = true)
        samRes.refresh().await()
        val given = samRes.state.value.resources.single()
        assertTrue(!given.mine)
        samRes.keep(given.id.value).await()
        assertEquals(UiText(Keys.RESOURCE_KEPT), samRes.state.value.message)
        assertTrue(samRes.state.value.resources.any { it.kept && it.name == "Eastside food bank" })
        res.askDelete(added.id.value)
        res.confirmDelete().await()
        assertEquals(UiText(Keys.RESOURCE_DELETED), res.state.value.message)
        assertTrue(res.state.value.resources.isEmpty())
    }
}
