package org.kindred.ui

import androidx.compose.ui.test.assert
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.kindred.ContactWay
import org.kindred.KindredStore
import org.kindred.ResourceKind
import org.kindred.SpaceId
import org.kindred.StorageKeys
import org.kindred.addResource
import org.kindred.contactPrefs
import org.kindred.resources
import org.kindred.app.DaysChoice
import org.kindred.app.Destination
import org.kindred.ui.harness.Look
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.Screenshots
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

/** Her contact preferences from Sharing, and her resources from My plan, on the real native library and server. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ContactPrefsUiTest {
    private fun RunningApp.store(): KindredStore = model.session!!.store


    private fun <T> withWorker(block: (device: TestDevice, worker: KindredStore, space: SpaceId) -> T): T {
        val device = TestDevice(server = TestServer.url)
        val dir = Files.createTempDirectory("kindred-worker").toFile()
        val worker = runBlocking { KindredStore.create(dir, StorageKeys { ByteArray(32) { 3 } }, "Ana") }
        try {
            val space = runBlocking {
                worker.setServer(TestServer.url)
                device.stores.create("person phone", joining = false).use { person -> shareBetween(person, worker) }
            }
            return block(device, worker, space)
        } finally {
            worker.close()
            dir.deleteRecursively()
        }
    }

    @Test
    fun sheSaysHowSheLikesToBeContactedABadTimeIsSaidAndReopeningShowsIt() = uiTest {
        withWorker { device, worker, space ->
            RunningApp(device).use { app ->
                showApp(app)
                awaitTag(Tags.tab(Destination.SHARING))
                tap(Tags.tab(Destination.SHARING))
                awaitTag(PrefsTags.open(space.value))
                tap(PrefsTags.open(space.value))
                awaitTag(PrefsTags.FORM)
                awaitNode(hasText("Ana sees this, so your worker knows when and how to reach you."))
                awaitNode(hasText("No times yet", substring = true))
                assertAccessible("contact prefs, empty")

                tap(PrefsTags.way(ContactWay.TEXT))
                tap(PrefsTags.ADD_TIME)
                awaitTag(PrefsTags.window(0))
                tap(PrefsTags.days(0, DaysChoice.WEEKENDS))
                onNodeWithTag(PrefsTags.from(0)).performTextReplacement("14:00")
                onNodeWithTag(PrefsTags.to(0)).performTextReplacement("09:00")
                tap(PrefsTags.NO_VOICEMAIL)
                type(PrefsTags.CALL_WORD, "blue")
                tap(PrefsTags.SAVE)
                awaitTag(PrefsTags.problem(0))
                awaitNode(hasText("Please check this: the end time can't be before the start time"))
                awaitNode(hasText("One of the times needs another look. Nothing was saved yet."))
                assertTrue(runBlocking { app.store().contactPrefs(space) }.isEmpty, "nothing saved")
                assertAccessible("contact prefs, a bad time")

                onNodeWithTag(PrefsTags.to(0)).performTextReplacement("18:00")
                tap(PrefsTags.SAVE)
                awaitNode(hasText("Saved. Ana will see it the next time your devices sync."))
                val saved = runBlocking { app.store().contactPrefs(space) }
                assertEquals(listOf("sat,sun 14:00-18:00"), saved.bestTimes)
                assertEquals(listOf(ContactWay.TEXT), saved.ways)
                assertTrue(saved.noVoicemail)

                tap(PrefsTags.BACK)
                awaitTag(PrefsTags.open(space.value))
                tap(PrefsTags.open(space.value))
                awaitTag(PrefsTags.window(0))
                onNodeWithTag(PrefsTags.from(0)).assert(hasText("14:00"))
                onNodeWithTag(PrefsTags.CALL_WORD).assert(hasText("blue"))
                onNodeWithTag(PrefsTags.days(0, DaysChoice.WEEKENDS)).assert(androidx.compose.ui.test.isSelected())

                runBlocking { app.store().sync(); worker.sync() }
                assertEquals(listOf("sat,sun 14:00-18:00"), runBlocking { worker.contactPrefs(space) }.bestTimes)
            }
        }
    }

    @Test
    fun herResourcesAreTwoTapsAwayAndSheKeepsACopy() = uiTest {
        withWorker { device, worker, space ->
            runBlocking {
                worker.addResource(space, ResourceKind.FOOD, "Eastside food bank", "555 0101", "Tue 10:00–16:00")
                worker.sync()
            }
            RunningApp(device).use { app ->
                showApp(app, Look(false, 2f))
                awaitTag(Tags.PLAN_BUTTON)
                runBlocking { app.store().sync() }
                tap(Tags.PLAN_BUTTON)
                awaitTag(PlanTags.RESOURCES)
                onNodeWithTag(PlanTags.RESOURCES).assertIsDisplayed() // near the top, no scrolling
                tap(PlanTags.RESOURCES) // the second tap
                awaitNode(hasText("Eastside food bank"))
                Screenshots.take(this, "my-resources-from-plan-large")
                assertAccessible("her resources (large text)", density = 1f)
                val given = runBlocking { app.store().resources() }.single()
                tap(ResourceTags.keep(given.id.value))
                awaitNode(hasText("Kept a copy on your own list."))
                awaitThat { runBlocking { app.store().resources() }.any { it.kept && it.name == "Eastside food bank" } }

                tap(ResourceTags.ADD)
                awaitTag(ResourceTags.NAME)
                type(ResourceTags.NAME, "The library's quiet room")
                tap(ResourceTags.SAVE)
                awaitNode(hasText("The library's quiet room"))
                awaitThat { runBlocking { app.store().resources() }.any { it.mine && it.name == "The library's quiet room" } }

                tap(ResourceTags.BACK)
                awaitTag(PlanTags.SCREEN)
            }
        }
    }
}
