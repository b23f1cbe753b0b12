package org.kindred.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performScrollToNode
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.performTextReplacement
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.ContactWay
import org.kindred.app.AppModel
import org.kindred.app.Destination
import org.kindred.app.WorkView
import org.kindred.followUps
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.showApp
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.type
import org.kindred.ui.harness.uiTest

/** The worker's day on the real native library. The test clock says Wed 4 Mar 2026, 10:00 UTC. */
class WorkDayUiTest {
    private fun ComposeUiTest.scrollTo(tag: String) {
        awaitThat { runCatching { onNodeWithTag(DayTags.DAY).performScrollToNode(hasTestTag(tag)) }.isSuccess }
    }

    @Test
    fun planACallMarkItDoneSearchAndSeeTheTime() = uiTest {
        val device = TestDevice(server = null)
        runBlocking {
            device.stores.create("worker phone", joining = false).use { k ->
                val jo = k.addContact("Jo")
                k.addContact("Cy")
                k.addNote(jo, OffsetDateTime.of(2026, 3, 2, 10, 0, 0, 0, ZoneOffset.UTC), OffsetDateTime.of(2026, 3, 2, 11, 15, 0, 0, ZoneOffset.UTC), "Walked to the library", nextContact = LocalDate.of(2026, 3, 3))
            }
        }
        device.prefs.put(AppModel.WORK_AREA, "true")
        RunningApp(device).use { app ->
            showApp(app)
            awaitTag(Tags.tab(Destination.WORK))
            tap(Tags.tab(Destination.WORK))
            // The worker's day shows first: Jo's next contact, planned for yesterday, is in Today with no judging word.
            awaitTag(DayTags.DAY)
            awaitNode(hasText("Next contact planned for Tue 3 Mar"))
            assertAccessible("the worker's day")

            tap(DayTags.PLAN)
            awaitTag(DayTags.PLAN_FORM)
            val jo = runBlocking { app.model.session!!.store.contacts() }.first { it.name == "Jo" }.id.value
            tap(DayTags.who(jo))
            tap(DayTags.way(ContactWay.CALL))
            onNodeWithTag(DayTags.PLAN_TIME).performTextReplacement("half ten")
            tap(DayTags.PLAN_SAVE)
            awaitNode(hasText("Write the time as hours and minutes, like 14:30."))
            assertAccessible("planning, with a time to fix")
            onNodeWithTag(DayTags.PLAN_TIME).performTextReplacement("16:00")
            tap(DayTags.PLAN_SAVE)
            awaitNode(hasText("Planned."))
            awaitNode(hasText("Call, planned for today at 16:00"))
            val planned = runBlocking { app.model.session!!.store.followUps(LocalDate.of(2026, 3, 4)) }.today.first { it.planned != null }.planned!!.value
            tap(DayTags.done(planned))
            awaitNode(hasText("Marked done."))
            awaitThat { onAllNodes(hasText("Call, planned for today at 16:00")).fetchSemanticsNodes().isEmpty() }

            scrollTo(DayTags.SEARCH)
            type(DayTags.SEARCH, "library")
            scrollTo(DayTags.hit(jo))
            awaitTag(DayTags.hit(jo))
            scrollTo(DayTags.TIME)
            awaitNode(hasText("This week: 1 h 15 min"))
            assertAccessible("search and time with people")

            // The caseload and the other views are one tap away.
            tap(WorkTags.view(WorkView.RESOURCES))
            awaitTag(ResourceTags.LIST)
            awaitNode(hasText("To add a resource for someone, share with them first (Sharing)."))
            tap(WorkTags.view(WorkView.PLANS))
            awaitNode(hasText("No one has shared a plan with you yet."))
            assertAccessible("shared plans, none yet")
            tap(WorkTags.view(WorkView.CASELOAD))
            awaitTag(WorkTags.CASELOAD)
        }
    }
}
