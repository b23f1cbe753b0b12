package org.kindred.app

import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KeptRecordReason
import org.kindred.SpaceId

/**
 * Delete forever through the screens' state holders: asked first, then
 * done, with words that say where it is gone from (only here, here and the
 * sync server, or the server at the next sync). The real library, and a
 * real kindred-server where the words depend on it.
 */
class EraseModelTest {
    private val f = Fixtures()

    @AfterEach
    fun close() = f.close()

    @Test
    fun aCheckInIsAskedAboutThenDeletedForeverFromAPhoneThatNeverSynced(): Unit = runBlocking {
        val k = f.store()
        k.addCheckIn(2, note = "a hard night")
        k.addCheckIn(4)
        val today = TodayModel(k, f.scope, f.io, java.time.Clock.systemDefaultZone())
        today.refresh().await()
        val row = today.state.value.recent.first { it.mood == 2 }

        today.askErase(row.id)
        assertEquals(row.id, today.state.value.confirmErase)
        assertNull(today.state.value.confirmDelete, "one question at a time")
        today.keep()
        assertNull(today.state.value.confirmErase)
        assertEquals(2, k.checkIns().size, "keeping it keeps it")

        today.askErase(row.id)
        today.confirmErase()
        val s = today.state.awaitState { it.message?.key == Keys.ERASE_DONE_HERE }
        assertEquals(UiText(Keys.ERASE_DONE_HERE, UiText(Keys.ERASE_WHAT_CHECK_IN)), s.message)
        today.state.awaitState { it.recent.size == 1 }
        assertNull(today.state.value.confirmErase)
        assertEquals(listOf(4), k.checkIns().map { it.mood })
    }

    @Test
    fun aGoalGoesFromTheServerAtOnceOrAtTheNextSyncAndSyncSaysWhatWaits(): Unit = runBlocking {
        val url = f.server()
        val k = f.store("phone", url)
        val walk = k.addGoal("Walk to the park")
        val swim = k.addGoal("Swim on Sundays")
        k.sync()
        val goals = GoalsModel(k, f.scope, f.io)
        val sync = SyncModel(k, f.scope, f.io)
        goals.refresh().await()

        // Nothing to ask about with no goal open.
        goals.askErase()
        assertFalse(goals.state.value.confirmErase)
        goals.open(walk.value).await()
        goals.askErase()
        assertTrue(goals.state.value.confirmErase)
        goals.keepGoal()
        assertFalse(goals.state.value.confirmErase)
        goals.askErase()
        goals.confirmErase().await()
        assertEquals(
            UiText(Keys.ERASE_DONE_EVERYWHERE, UiText(Keys.ERASE_WHAT_GOAL, "Walk to the park")),
            goals.state.value.message,
        )
        assertNull(goals.state.value.open, "back to the list")
        assertEquals(listOf("Swim on Sundays"), goals.state.value.goals.map { it.title })

        // The server out of reach: deleted here, and said honestly that the rest waits.
        k.setServer("http://127.0.0.1:9")
        goals.open(swim.value).await()
        goals.askErase()
        goals.confirmErase().await()
        assertEquals(
            UiText(Keys.ERASE_WAITING, UiText(Keys.ERASE_WHAT_GOAL, "Swim on Sundays")),
            goals.state.value.message,
        )
        sync.refresh().await()
        assertTrue(sync.state.value.erasureWaiting)
        k.setServer(url)
        sync.syncNow().await()
        assertFalse(sync.state.value.erasureWaiting, "the sync took it to the server")
        assertTrue(sync.state.value.notices.isEmpty(), "nothing of hers was dropped")
        assertTrue(k.goals().isEmpty())
    }

    @Test
    fun aContactWithSignedNotesGoesOnlyOnceTheWorkerSaysWhy(): Unit = runBlocking {
        val k = f.store("laptop")
        val sam = k.addContact("Sam")
        val n = k.addNote(sam, java.time.OffsetDateTime.now().minusHours(2), java.time.OffsetDateTime.now().minusHours(1), "Visit at home")
        k.signNote(n)
        k.addContact("Alex")
        val work = WorkModel(k, f.scope, f.io)
        work.refresh().await()
        val row = work.state.value.caseload.first { it.name == "Sam" }
        assertEquals(1, row.signedNotes)

        work.askErase(row)
        assertEquals(row, work.state.value.confirmErase)
        // Without a reason the button does nothing, and nothing goes.
        work.confirmErase().await()
        assertEquals(2, k.contacts().size)
        assertEquals(row, work.state.value.confirmErase, "still asking")
        work.cancelErase()
        assertNull(work.state.value.confirmErase)

        work.askErase(row)
        assertNull(work.state.value.eraseBecause, "a reason is chosen afresh each time")
        work.pickBecause(KeptRecordReason.PERSON_ASKED)
        work.confirmErase().await()
        assertEquals(UiText(Keys.ERASE_DONE_HERE, UiText(Keys.ERASE_WHAT_CONTACT, "Sam")), work.state.value.message)
        assertEquals(listOf("Alex"), work.state.value.caseload.map { it.name })
        assertTrue(k.notes().isEmpty())

        // No signed notes: no reason asked.
        val alex = work.state.value.caseload.single()
        assertEquals(0, alex.signedNotes)
        work.askErase(alex)
        work.confirmErase().await()
        assertTrue(work.state.value.caseload.isEmpty())
    }

    @Test
    fun endingAShareAndDeletingEverythingInItBringsHerGoalHome(): Unit = runBlocking {
        val url = f.server()
        val person = f.store("person phone", url)
        val worker = f.store("worker laptop", url)
        val goal = person.addGoal("Get my own flat")
        val mine = SharingModel(person, f.scope, f.io)
        val theirs = SharingModel(worker, f.scope, f.io)
        val inviting = mine.startInvite()
        val code = (mine.state.awaitState { it.invite is InviteStep.ShowCode }.invite as InviteStep.ShowCode).code
        theirs.joinWithCode(code).await()
        inviting.await()
        val x = async { mine.theyMatch().join() }
        val y = async { theirs.theyMatch().join() }
        x.await(); y.await()
        val line = mine.state.value.shares.single()
        person.shareGoal(goal, SpaceId(line.space))
        person.sync()
        mine.refresh().await()

        mine.askEraseShare(mine.state.value.shares.single())
        assertEquals(line.space, mine.state.value.confirmErase?.space)
        assertNull(mine.state.value.confirmEnd)
        mine.cancelEnding()
        assertNull(mine.state.value.confirmErase)
        assertEquals(1, person.shares().single().goals.size, "nothing changed on cancel")

        mine.askEraseShare(mine.state.value.shares.single())
        mine.confirmEraseShare().await()
        assertEquals(
            UiText(Keys.ERASE_DONE_EVERYWHERE, UiText(Keys.ERASE_WHAT_SHARE, "worker laptop")),
            mine.state.value.message,
            "${mine.state.value}",
        )
        val ended = mine.state.value.shares.single()
        assertTrue(ended.ended && ended.goals.isEmpty(), "$ended")
        assertEquals(listOf("Get my own flat"), person.goals().map { it.title }, "her goal came home")

        // The worker's side cannot delete the share it was invited into.
        theirs.refresh().await()
        theirs.state.value.shares.forEach { theirs.askEraseShare(it); theirs.confirmEraseShare().await() }
        assertEquals(listOf("Get my own flat"), person.goals().map { it.title })
    }

    @Test
    fun eraseEverythingAsksTwiceAndKeepsEverythingUntilTheLastStep(): Unit = runBlocking {
        val bench = Bench()
        bench.stores.create("Sam's phone", joining = false).close()
        val app = AppModel(bench.platform, f.scope, f.io)
        app.start().await()
        app.state.awaitState { it.phase == AppPhase.Ready }
        val store = app.session!!.store
        store.addGoal("One")
        store.addCheckIn(3)
        val settings = app.session!!.settings

        // The last step's action does nothing before the person got there.
        settings.eraseEverything()
        settings.startErase()
        assertEquals(1, settings.state.value.eraseStep)
        settings.eraseEverything()
        assertEquals(1, store.goals().size, "one tap is not enough")
        settings.keepEverything()
        assertEquals(0, settings.state.value.eraseStep)

        settings.startErase()
        settings.goOnErase()
        assertEquals(2, settings.state.value.eraseStep)
        settings.eraseEverything()
        val s = settings.state.awaitState { it.eraseMessage != null }
        assertEquals(UiText(Keys.ERASE_DONE_HERE, UiText(Keys.ERASE_WHAT_EVERYTHING)), s.eraseMessage)
        assertEquals(0, s.eraseStep)
        assertFalse(s.busy)
        assertTrue(store.goals().isEmpty() && store.checkIns().isEmpty())
        // Today, shown again, has nothing and goes on.
        app.session!!.today.refresh().await()
        assertTrue(app.session!!.today.state.value.recent.isEmpty())
        app.close()
    }
}
