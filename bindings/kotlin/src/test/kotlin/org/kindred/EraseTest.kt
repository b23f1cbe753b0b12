package org.kindred

import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.assertThrows
import org.kindred.ffi.KindredException

/**
 * Delete forever against a real kindred-server: the erasure reaches the
 * relay in the same call, or waits for the next sync when it cannot; a
 * worker cannot erase the person's words; a share ends and its contents go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EraseTest {
    private val relay = Relay()

    @AfterAll
    fun stop() = relay.close()

    @Test
    fun aDeleteForeverReachesTheRelayAtOnceOrAtTheNextSync(): Unit = runBlocking {
        val phone = relay.device("phone")
        val c = phone.addCheckIn(2, note = "a hard night")
        val g = phone.addGoal("Walk to the park")
        phone.sync()

        val e = phone.deleteCheckInForever(c)
        assertEquals(mapOf("check-in" to 1L), e.records)
        assertTrue(e.onRelay, "it had synced")
        assertFalse(e.waitingForSync, "the call synced: erased on the relay now")
        assertEquals(0, phone.erasuresWaiting())
        assertTrue(phone.checkIns().isEmpty())

        // The relay out of reach: deleted here, the relay at the next sync.
        phone.setServer("http://127.0.0.1:9")
        val w = phone.deleteGoalForever(g)
        assertTrue(w.onRelay && w.waitingForSync, "$w")
        assertTrue(phone.erasuresWaiting() > 0)
        assertTrue(phone.goals().isEmpty())
        phone.setServer(relay.url)
        phone.sync()
        assertEquals(0, phone.erasuresWaiting())
        assertTrue(phone.takeErasureNotices().isEmpty(), "nothing of hers was dropped")

        // The log says who, when, what kind and why; never what it said. (The
        // earlier erasure's note was sealed under a key the later one deleted,
        // so only the latest reads in full: see the report on the core.)
        val personal = phone.syncStatus().first { it.kind == SpaceKind.PERSONAL }.space
        val log = phone.erasures(personal)
        assertEquals(2, log.size, "$log")
        val latest = log.last()
        assertEquals(mapOf("goal" to 1L), latest.records)
        assertEquals("asked", latest.reason)
        assertTrue(latest.at != null && latest.by == "phone", "$latest")
        assertFalse(log.toString().contains("hard night") || log.toString().contains("park"))
    }

    @Test
    fun aWorkerCannotEraseThePersonsWordsAndAnErasedShareEndsWithItsCopiesGone(): Unit = runBlocking {
        val person = relay.device("person phone")
        val worker = relay.device("worker laptop")
        val space = relay.share(person, worker)
        val goal = person.addGoal("Get my own flat")
        person.shareGoal(goal, space)
        val today = java.time.LocalDate.now()
        person.addCheckIn(3, note = "shared day")
        assertEquals(1L, person.shareCheckIns(space, today.minusDays(1), today.plusDays(1)))
        person.sync()
        worker.sync()
        assertEquals(listOf("Get my own flat"), worker.goals().map { it.title })

        // Her words are hers: the worker's device is refused, and nothing changes.
        assertThrows<KindredException.NotAllowed> { worker.deleteGoalForever(goal) }
        assertEquals(1, worker.goals().size)
        // A worker's signed note goes only for a reason.
        val sam = worker.addContact("Sam")
        val n = worker.addNote(sam, java.time.OffsetDateTime.now().minusHours(1), java.time.OffsetDateTime.now(), "Visit")
        worker.signNote(n)
        assertThrows<KindredException.NotAllowed> { worker.deleteContactForever(sam) }
        val gone = worker.deleteContactForever(sam, KeptRecordReason.PERSON_ASKED)
        assertEquals(1L, gone.records["signed contact note"])
        assertTrue(worker.contacts().isEmpty())

        // The worker cannot end-and-delete a share they did not start.
        assertThrows<KindredException.NotAllowed> { worker.eraseShare(space) }

        val e = person.eraseShare(space)
        // The shared copy of the check-in is deleted; the goal is not: it came home.
        assertEquals(mapOf("check-in" to 1L), e.records)
        assertEquals(1, person.checkIns().size, "her own check-in stays")
        assertTrue(e.onRelay)
        assertFalse(e.waitingForSync, "$e")
        // Her goal came home; the share has ended and holds nothing.
        assertEquals(listOf("Get my own flat"), person.goals().map { it.title })
        val share = person.shares().single { it.space == space }
        assertTrue(share.ended && share.goals.isEmpty(), "$share")
        // The worker is no longer in it: what their device had synced stays with them (the screens say so).
        worker.sync()
        assertTrue(worker.shares().none { !it.ended && it.space == space })
    }

    @Test
    fun eraseEverythingLeavesTheDeviceAndItsSharesButNoWords(): Unit = runBlocking {
        val phone = relay.device("phone")
        phone.addGoal("One")
        phone.addCheckIn(4)
        phone.sync()
        val e = phone.eraseEverything()
        assertEquals(mapOf("goal" to 1L, "check-in" to 1L), e.records)
        assertTrue(e.onRelay && !e.waitingForSync, "$e")
        assertTrue(phone.goals().isEmpty() && phone.checkIns().isEmpty())
        assertEquals("phone", phone.device().name)
        phone.addCheckIn(3)
        phone.sync()
        assertEquals(1, phone.checkIns().size)
    }
}
