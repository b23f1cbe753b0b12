package org.kindred.app

import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KindredStore
import org.kindred.PlanPart
import org.kindred.PlanSection
import org.kindred.Role
import org.kindred.SpaceId
import org.kindred.plan
import org.kindred.sharedPlans
import org.kindred.suggestPlan
import org.kindred.app.platform.ShareSheet

/** The plan's state holder against the real library, without UI. */
class PlanModelTest {
    private val f = Fixtures()

    @AfterEach
    fun close() = f.close()

    private class Sheet : ShareSheet {
        val files = CopyOnWriteArrayList<Pair<String, String>>()
        override suspend fun share(fileName: String, mimeType: String, content: ByteArray): String {
            files += fileName to content.decodeToString()
            return "/tmp/$fileName"
        }
    }

    private val triggers = PlanSection.of("triggers")
    private val reasons = PlanSection.of("reasons")

    @Test
    fun bothPlansShowEverySectionInOrderWithKindEmptyWords(): Unit = runBlocking {
        val plan = PlanModel(f.store(), Sheet(), f.scope, f.io)
        plan.refresh().join()
        val s = plan.state.value
        assertEquals(11, s.wellness.size)
        assertEquals(7, s.safety.size)
        assertEquals(PlanSection.all, s.sections.map { it.section })
        assertTrue(s.safety.all { it.section.part == PlanPart.SAFETY })
        assertTrue(s.sections.all { it.entries.isEmpty() && it.suggestions.isEmpty() })
        for (v in s.sections) assertTrue(sectionKey(v.section) in Keys.all, "${v.stored} has words")
        // A trademark: the plans are "My wellness plan" and "My safety plan".
        assertTrue(Strings.english.values.none { it.contains("WRAP") })
    }

    @Test
    fun anEntryIsAddedChangedAndTakenOutAfterOneQuestion(): Unit = runBlocking {
        val k = f.store()
        val plan = PlanModel(k, Sheet(), f.scope, f.io)
        plan.refresh().join()
        plan.startAdding(triggers.stored)
        plan.editDraft(text = "  Loud crowds ", helps = "Headphones and a walk")
        plan.saveDraft().join()
        var s = plan.state.value
        assertEquals(UiText(Keys.PLAN_ADDED), s.message)
        assertNull(s.draft)
        val entry = s.section("triggers")!!.entries.single()
        assertEquals("Loud crowds", entry.text)
        assertEquals("Headphones and a walk", entry.helps)
        assertEquals("Loud crowds", k.plan().items.single().text, "stored in the core")

        plan.startEditing(entry.id)
        assertEquals(EntryDraft("triggers", entry.id, "Loud crowds", "Headphones and a walk"), plan.state.value.draft)
        plan.editDraft(text = "Loud, busy places", helps = "")
        plan.saveDraft().join()
        s = plan.state.value
        assertEquals(UiText(Keys.PLAN_CHANGED), s.message)
        assertEquals("Loud, busy places", k.plan().items.single().text)
        assertNull(k.plan().items.single().helps, "a cleared 'what helps' is cleared")

        plan.askDelete(entry.id)
        assertEquals(entry.id, plan.state.value.confirmDelete)
        plan.keepEntry()
        plan.confirmDelete().join()
        assertEquals(1, k.plan().items.size, "keeping it keeps it")
        plan.askDelete(entry.id)
        plan.confirmDelete().join()
        assertEquals(UiText(Keys.PLAN_TAKEN_OUT), plan.state.value.message)
        assertTrue(k.plan().items.isEmpty())
        assertTrue(plan.state.value.section("triggers")!!.entries.isEmpty())
    }

    @Test
    fun refusalsShowTheirWordsBesideTheEntryAndChangeNothing(): Unit = runBlocking {
        val k = f.store()
        val plan = PlanModel(k, Sheet(), f.scope, f.io)
        plan.refresh().join()
        plan.startAdding(reasons.stored)
        plan.editDraft(text = "   ")
        plan.saveDraft().join()
        assertEquals(UiText(Keys.PLAN_TEXT_NEEDED), plan.state.value.error)
        assertEquals(reasons.stored, plan.state.value.draft?.section, "the form stays open")

        plan.editDraft(text = "x".repeat(5_000))
        assertNull(plan.state.value.error, "typing again clears the words")
        plan.saveDraft().join()
        val error = plan.state.value.error!!
        assertEquals(Keys.ERROR_CHECK_THIS, error.key)
        assertTrue(error.args.single().toString().isNotBlank(), "the core's own words: $error")
        assertTrue(k.plan().items.isEmpty(), "nothing written")
        assertEquals("x".repeat(5_000), plan.state.value.draft?.text, "what she typed is still there")
    }

    @Test
    fun thePlanIsHandedToTheShareSheetAsText(): Unit = runBlocking {
        val k = f.store()
        val sheet = Sheet()
        val plan = PlanModel(k, sheet, f.scope, f.io)
        plan.startAdding(reasons.stored)
        plan.editDraft(text = "My niece's laugh")
        plan.saveDraft().join()
        plan.saveOrPrint().join()
        val (name, text) = sheet.files.single()
        assertEquals("my-plan.txt", name)
        assertTrue(text.contains("My niece's laugh"), text)
        assertEquals(UiText(Keys.PLAN_SAVED_TEXT), plan.state.value.message)
    }


    @Test
    fun aWorkersSuggestionShowsBesideItsSectionAndTakingItWritesItIntoHerPlan(): Unit = runBlocking {
        val url = f.server()
        val person = f.store("person phone", url)
        val worker = f.store("worker laptop", url)
        person.sync()
        worker.sync()
        val space = shareBetween(person, worker)
        val plan = PlanModel(person, Sheet(), f.scope, f.io)
        plan.startAdding(triggers.stored)
        plan.editDraft(text = "Payday")
        plan.saveDraft().join()

        // She shares two sections, and sees plainly what the share holds.
        plan.refresh().join()
        plan.startSharing()
        assertEquals(space, plan.state.value.sharing?.space, "her only share is chosen for her")
        plan.toggleSection(reasons.stored)
        plan.toggleSection(triggers.stored)
        plan.toggleSection("daily")
        plan.toggleSection("daily")
        plan.confirmShare().join()
        var s = plan.state.value
        assertNull(s.sharing)
        assertEquals(UiText(Keys.PLAN_SHARED_SOME, "worker laptop"), s.message)
        assertEquals(listOf(triggers, reasons), s.shares.single().sections)
        assertEquals(1, s.section("triggers")!!.sharedWith.size)
        person.sync()

        worker.sync()
        val shared = worker.sharedPlans().single()
        val item = shared.items.single()
        worker.suggestPlan(space, triggers, "Payday weekends", helps = "Plan the money on Friday", instead = item.id)
        worker.suggestPlan(space, reasons, "Getting back to the allotment", note = "You lit up talking about it")
        worker.sync()
        person.sync()

        plan.refresh().join()
        s = plan.state.value
        val words = s.section("triggers")!!.entries.single().suggestions.single()
        assertEquals("Payday weekends", words.text)
        assertEquals("worker laptop", words.by)
        val newOne = s.section("reasons")!!.suggestions.single()
        assertEquals("You lit up talking about it", newOne.note)
        assertEquals(listOf("Payday"), person.plan().items.map { it.text }, "nothing applied before she chooses")

        plan.take(words.id).join()
        assertEquals(UiText(Keys.PLAN_SUGGESTION_TAKEN), plan.state.value.message)
        plan.leave(newOne.id).join()
        assertEquals(UiText(Keys.PLAN_SUGGESTION_LEFT), plan.state.value.message)
        val items = person.plan().items
        assertEquals(listOf("Payday weekends"), items.map { it.text })
        assertEquals("Plan the money on Friday", items.single().helps)
        s = plan.state.value
        assertTrue(s.sections.all { v -> v.suggestions.isEmpty() && v.entries.all { it.suggestions.isEmpty() } })

        plan.stopSharing(space, triggers.stored).join()
        assertEquals(listOf(reasons), plan.state.value.shares.single().sections)
        assertEquals(UiText(Keys.PLAN_UNSHARED, UiText(sectionKey(triggers)), "worker laptop"), plan.state.value.message)
    }
}
