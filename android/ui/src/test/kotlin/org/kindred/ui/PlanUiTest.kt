package org.kindred.ui

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.assert
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.kindred.KindredStore
import org.kindred.PlanSection
import org.kindred.StorageKeys
import org.kindred.app.AppModel
import org.kindred.app.Destination
import org.kindred.plan
import org.kindred.sharedPlans
import org.kindred.suggestPlan
import org.kindred.ui.harness.Dressed
import org.kindred.ui.harness.Look
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.TestServer
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.showApp
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.type
import org.kindred.ui.harness.shareBetween
import org.kindred.ui.harness.uiTest

/** "My plan" on the real native library: one tap from everywhere, written, changed, shared, and a worker's suggestions. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PlanUiTest {
    private fun RunningApp.store(): KindredStore = model.session!!.store

    @Test
    fun thePlanIsOneTapFromEveryTabAtBothTextSizes() = uiTest {
        val device = TestDevice(server = null)
        runBlocking { device.stores.create("phone", joining = false) }.close()
        device.prefs.put(AppModel.WORK_AREA, "true") // every tab there is
        RunningApp(device).use { app ->
            var look by mutableStateOf(Look(false, 1f))
            setContent { Dressed(look) { KindredApp(app.model) } }
            for (l in listOf(Look(false, 1f), Look(true, 2f))) {
                look = l
                awaitTag(Tags.tab(Destination.TODAY))
                for (d in app.model.state.value.destinations) {
                    tap(Tags.tab(d))
                    awaitTag(Tags.screen(d))
                    onNodeWithTag(Tags.HELP_BUTTON).assertIsDisplayed()
                    onNodeWithTag(Tags.PLAN_BUTTON).assertIsDisplayed()
                    if (d == Destination.TODAY) org.kindred.ui.harness.Screenshots.take(this, "shell-top-bar-${l.label}")
                    tap(Tags.PLAN_BUTTON) // the second tap at most (the first was the tab)
                    awaitTag(PlanTags.SCREEN)
                    awaitNode(hasText("My safety plan"))
                    onNodeWithTag(Tags.HELP_BUTTON).assertIsDisplayed() // help stays one tap away over the plan
                    if (d == Destination.TODAY) assertAccessible("plan over ${d.name} (${l.label})")
                    tap(PlanTags.BACK)
                    awaitTag(Tags.screen(d))
                    assertEquals(d, app.model.state.value.destination, "back where she was")
                }
            }
            assertTrue(onNodeWithText("WRAP", substring = true).let { runCatching { it.assertExists() }.isFailure })
        }
    }

    @Test
    fun anEntryIsAddedChangedAndTakenOutOnThePlanScreen() = uiTest {
        val device = TestDevice(server = null)
        runBlocking { device.stores.create("phone", joining = false) }.close()
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(Tags.PLAN_BUTTON)
            tap(Tags.PLAN_BUTTON)
            awaitTag(PlanTags.add("triggers"))
            awaitNode(hasText("Nothing here yet. Add something when you're ready."))
            assertAccessible("plan, empty")

            tap(PlanTags.add("triggers"))
            awaitTag(PlanTags.TEXT)
            tap(PlanTags.SAVE)
            awaitNode(hasTestTag(PlanTags.DRAFT_PROBLEM))
            awaitNode(hasText("Write a few words first, then save."))
            type(PlanTags.TEXT, "Loud crowds")
            type(PlanTags.HELPS, "Headphones and a walk")
            tap(PlanTags.SAVE)
            awaitNode(hasText("Added to your plan."))
            awaitNode(hasText("What helps: Headphones and a walk"))
            val id = runBlocking { app.store().plan() }.items.single().id.value
            assertAccessible("plan, one entry")

            tap(PlanTags.edit(id))
            awaitTag(PlanTags.TEXT)
            onNodeWithTag(PlanTags.TEXT).assert(hasText("Loud crowds")).performTextReplacement("Loud crowds and busy shops")
            tap(PlanTags.SAVE)
            awaitNode(hasText("Your words are saved."))
            awaitThat { runBlocking { app.store().plan() }.items.single().text == "Loud crowds and busy shops" }

            tap(PlanTags.delete(id))
            awaitNode(hasText("Take this out of your plan? You can always add it again."))
            tap(PlanTags.DELETE_NO)
            awaitTag(PlanTags.delete(id))
            assertEquals(1, runBlocking { app.store().plan() }.items.size)
            tap(PlanTags.delete(id))
            tap(PlanTags.DELETE_YES)
            awaitNode(hasText("Taken out of your plan."))
            awaitThat { runBlocking { app.store().plan() }.items.isEmpty() }

            tap(PlanTags.PRINT)
            awaitThat { device.share.files.isNotEmpty() }
            assertEquals("my-plan.txt", device.share.files.single().first)
        }
    }


    @Test
    fun sheSharesASectionAndTakesOneSuggestionAndLeavesAnother() = uiTest {
        val device = TestDevice(server = TestServer.url)
        val dir = Files.createTempDirectory("kindred-worker").toFile()
        val worker = runBlocking { KindredStore.create(dir, StorageKeys { ByteArray(32) { 3 } }, "Ana") }
        try {
            val space = runBlocking {
                worker.setServer(TestServer.url)
                device.stores.create("person phone", joining = false).use { person -> shareBetween(person, worker) }
            }
            RunningApp(device).use { app ->
                showApp(app)
                awaitTag(Tags.PLAN_BUTTON)
                tap(Tags.PLAN_BUTTON)
                awaitTag(PlanTags.add("reasons"))
                tap(PlanTags.add("reasons"))
                type(PlanTags.TEXT, "My niece")
                tap(PlanTags.SAVE)
                awaitNode(hasText("Added to your plan."))

                tap(PlanTags.SHARE)
                awaitTag(PlanShareTags.PANEL)
                awaitNode(hasText("Ana will see your whole plan", substring = true))
                // The whole plan: the parts are folded away, what Ana sees and Share are on the first screen.
                onNodeWithTag(PlanShareTags.SEES).assertIsDisplayed()
                onNodeWithTag(PlanShareTags.GO).assertIsDisplayed()
                assertTrue(runCatching { onNodeWithTag(PlanShareTags.section("reasons")).assertExists() }.isFailure, "parts folded")
                org.kindred.ui.harness.Screenshots.take(this, "plan-share-whole-folded")
                tap(PlanShareTags.PARTS)
                tap(PlanShareTags.section("reasons"))
                awaitNode(hasText("Ana will see what you have written in the parts you choose", substring = true))
                assertAccessible("plan, share panel")
                tap(PlanShareTags.GO)
                awaitNode(hasText("Shared with Ana."))
                awaitNode(hasText("Shared with Ana"))
                assertEquals(listOf(PlanSection.of("reasons")), runBlocking { app.store().plan() }.shared.single().sections)

                runBlocking {
                    app.store().sync()
                    worker.sync()
                    val item = worker.sharedPlans().single().items.single()
                    worker.suggestPlan(space, PlanSection.of("reasons"), "My niece and her laugh", instead = item.id)
                    worker.suggestPlan(space, PlanSection.of("reasons"), "Seeing the sea again", note = "You told me about the trip")
                    worker.sync()
                    app.store().sync()
                }
                tap(PlanTags.BACK)
                tap(Tags.PLAN_BUTTON)
                awaitNode(hasText("New words suggested by Ana"))
                awaitNode(hasText("A suggestion from Ana"))
                awaitNode(hasText("Ana says: You told me about the trip"))
                assertAccessible("plan, two suggestions")
                val waiting = runBlocking { app.store().plan() }.suggestions
                assertEquals(listOf("My niece"), runBlocking { app.store().plan() }.items.map { it.text }, "nothing applied yet")
                val words = waiting.single { it.item != null }.id.value
                val sea = waiting.single { it.item == null }.id.value

                tap(PlanTags.take(words))
                awaitNode(hasText("Added to your plan, in your plan's own words now."))
                awaitThat { runBlocking { app.store().plan() }.items.map { it.text } == listOf("My niece and her laugh") }
                tap(PlanTags.leave(sea))
                awaitNode(hasText("Left out. Your plan is just as it was."))
                awaitThat { runBlocking { app.store().plan() }.suggestions.isEmpty() }
                assertEquals(1, runBlocking { app.store().plan() }.items.size)

                tap(PlanTags.SHARE)
                tap(PlanShareTags.stop(space.value, "reasons"))
                awaitThat { runBlocking { app.store().plan() }.shared.all { it.sections.isEmpty() } }
            }
        } finally {
            worker.close()
            dir.deleteRecursively()
        }
    }
}
