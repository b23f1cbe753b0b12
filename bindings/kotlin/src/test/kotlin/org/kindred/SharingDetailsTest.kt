package org.kindred

import java.time.Duration
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.assertThrows
import org.kindred.ffi.KindredException

/**
 * What a share holds and says (check-in days, notes, ended shares, taking
 * days back), what an invite says before anyone agrees, invites that stop,
 * check-in edits and deletes, goal deletes and the finders: the real
 * library, a real kindred-server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SharingDetailsTest {
    private val relay = Relay()

    @AfterAll
    fun stop() = relay.close()

    private fun day(d: Int, hour: Int = 20): OffsetDateTime = OffsetDateTime.of(2026, 3, d, hour, 0, 0, 0, ZoneOffset.UTC)

    private fun march(d: Int): LocalDate = LocalDate.of(2026, 3, d)

    @Test
    fun anInviteSaysWhatTheOtherWillBeAbleToDoBeforeAnyoneSaysYes(): Unit = runBlocking {
        val person = relay.device("person phone")
        val worker = relay.device("worker laptop")
        val before = OffsetDateTime.now()
        val invite = person.invite(role = Role.READER)
        assertEquals(Role.READER, invite.role)
        assertEquals(Role.READER.inWords, invite.roleInWords)
        assertTrue(invite.roleInWords.contains("not change"), invite.roleInWords)
        assertTrue(invite.expiresAt.isAfter(before.plusMinutes(9)), "${invite.expiresAt}")
        assertTrue(invite.expiresAt.isBefore(before.plusMinutes(11)), "${invite.expiresAt}")
        assertNull(invite.joinerName)

        // The worker knows what they will be able to do from the code alone.
        val joining = worker.join(invite.code)
        assertEquals(Role.READER, joining.role)
        assertEquals(invite.roleInWords, joining.roleInWords)
        assertEquals(invite.expiresAt, joining.expiresAt)
        assertNull(joining.inviterName)
        coroutineScope {
            launch { invite.waitForSas(Duration.ofSeconds(60)) }
            joining.waitForSas(Duration.ofSeconds(60))
        }
        assertEquals("person phone", joining.inviterName)
        assertEquals("worker laptop", invite.joinerName)
        joining.decline()
        assertThrows<KindredException.Pairing> { invite.confirm(Duration.ofSeconds(30)) }
        assertTrue(person.shares().isEmpty())

        // Each role has its own words.
        assertEquals(3, Role.entries.map { it.inWords }.toSet().size)
        assertTrue(Role.OWNER.inWords.contains("invite"), Role.OWNER.inWords)
    }

    @Test
    fun theOtherPersonsRoleChangesAndAnInviteIntoTheShareSaysWhatItChanges(): Unit = runBlocking {
        val person = relay.device("person phone")
        val worker = relay.device("worker laptop")
        val goal = person.addGoal("Walk to the shop")
        val space = relay.share(person, worker, Role.READER)
        person.shareGoal(goal, space)
        person.sync()
        worker.sync()

        // The reader cannot change roles, and cannot write.
        val refused = assertThrows<KindredException.NotAllowed> { worker.setShareRole(space, Role.WRITER) }
        assertTrue(refused.message!!.contains("only the person who shared this"), refused.message)
        assertThrows<KindredException.NotAllowed> { worker.addStep(goal, "Find my shoes") }

        // The person lets them add steps: they can, and it syncs.
        val change = person.setShareRole(space, Role.WRITER)
        assertEquals(RoleChange("worker laptop", Role.READER, Role.WRITER, true, Role.WRITER.inWords), change)
        assertFalse(person.setShareRole(space, Role.WRITER).changed)
        worker.sync()
        worker.addStep(goal, "Find my shoes")
        val sent = worker.sync()
        assertTrue(sent.all { it.synced }, "$sent")
        assertEquals(1L, sent.single { it.space == space }.pushed)
        person.sync()
        assertEquals(listOf("Find my shoes"), person.goal(goal).steps.map { it.text })

        // An invite into the same share says what it changes, on both sides, before anyone says yes.
        val invite = person.invite(space, Role.READER)
        val joining = worker.join(invite.code)
        coroutineScope {
            launch { invite.waitForSas(Duration.ofSeconds(60)) }
            joining.waitForSas(Duration.ofSeconds(60))
        }
        assertEquals(Role.WRITER, invite.already)
        assertEquals(
            "worker laptop can already ${Role.WRITER.inWords}; this will let them only read it from now on, not change or add anything",
            invite.changeInWords,
        )
        assertEquals(Role.WRITER, joining.already)
        assertTrue(joining.changeInWords!!.startsWith("You are already in a share with person phone"), joining.changeInWords)
        coroutineScope {
            val added = async { invite.confirm(Duration.ofSeconds(60)) }
            joining.confirm(Duration.ofSeconds(60))
            added.await()
        }
        worker.sync()
        assertThrows<KindredException.NotAllowed> { worker.addStep(goal, "Buy bread") }
        assertEquals(Role.READER, person.shares().single().others.single().role)
    }

    @Test
    fun anInviterWhoStopsWaitingTellsALateJoinerAtOnce(): Unit = runBlocking {
        val person = relay.device("person phone")
        val worker = relay.device("worker laptop")

        // The wait runs out before anyone answers.
        val late = person.invite()
        assertThrows<KindredException.Pairing> { late.waitForSas(Duration.ZERO) }
        val e = assertThrows<KindredException.Pairing> { worker.join(late.code) }
        assertTrue(e.message!!.contains("expired"), e.message)
        // ... and this invite goes no further.
        assertThrows<KindredException.Pairing> { late.waitForSas(Duration.ofSeconds(30)) }
        assertThrows<KindredException.Pairing> { late.confirm(Duration.ofSeconds(30)) }

        // The person stops inviting.
        val stopped = person.invite()
        stopped.withdraw()
        assertTrue(assertThrows<KindredException.Pairing> { worker.join(stopped.code) }.message!!.contains("expired"))

        // The person leaves the screen while waiting (the wait is cancelled).
        val left = person.invite()
        val waiting = launch(start = CoroutineStart.UNDISPATCHED) { left.waitForSas(Duration.ofSeconds(60)) }
        waiting.cancelAndJoin()
        assertTrue(assertThrows<KindredException.Pairing> { worker.join(left.code) }.message!!.contains("expired"))

        person.sync()
        worker.sync()
        assertTrue(person.shares().isEmpty(), "nothing is made by an invite that stopped")
        assertTrue(worker.shares().isEmpty())
    }

    @Test
    fun theShareListShowsTheDaysNotesAndEndedSharesAndDaysCanBeTakenBack(): Unit = runBlocking {
        val person = relay.device("person phone")
        val worker = relay.device("worker laptop")
        val space = relay.share(person, worker)
        for (d in listOf(2, 3, 4)) person.addCheckIn(3, note = "day $d", at = day(d))
        person.addCheckIn(4, note = "not shared", at = day(10))
        assertEquals(3L, person.shareCheckIns(space, march(1), march(7)))
        val start = OffsetDateTime.now()
        val n = worker.addNote(worker.addContact("Jo"), start, start, "Looked at flats together")
        worker.signNote(n)
        worker.shareNote(n, space)
        worker.sync()
        person.sync()

        val share = person.shares().single()
        assertEquals(space, share.space)
        assertEquals("with worker laptop", share.name)
        assertFalse(share.ended)
        assertEquals(listOf("worker laptop"), share.others.map { it.name })
        assertEquals(3L, share.checkIns)
        assertEquals(listOf(SharedDays(march(1), march(7), 3)), share.checkInDays)
        assertEquals(1L, share.notes)
        assertEquals(space, person.findShare("worker laptop"))

        // A shared copy is hers to change, not the worker's.
        worker.sync()
        val copy = worker.checkIns().first { it.note == "day 2" }
        assertThrows<KindredException.NotAllowed> { worker.updateCheckIn(copy.id, mood = 1) }
        assertThrows<KindredException.NotAllowed> { worker.deleteCheckIn(copy.id) }

        // She takes one day back: the days either side stay shared.
        assertEquals(1L, person.unshareCheckIns(space, march(3), march(3)))
        assertEquals(
            listOf(SharedDays(march(1), march(2), 1), SharedDays(march(4), march(7), 1)),
            person.shares().single().checkInDays,
        )
        assertEquals(4, person.checkIns().size, "her own check-ins all stay")
        assertThrows<KindredException.InvalidInput> { person.unshareCheckIns(space, march(7), march(1)) }
        // Deleting her own check-in takes its shared copy too.
        person.deleteCheckIn(person.checkIns().first { it.note == "day 4" }.id)
        person.sync()
        worker.sync()
        assertEquals(listOf("day 2"), worker.checkIns().map { it.note })
        assertEquals(1L, person.shares().single().checkIns)

        person.endShare(space)
        val ended = person.shares().single()
        assertTrue(ended.ended)
        assertTrue(ended.others.isEmpty())
        assertEquals("with worker laptop", ended.name, "who it was with stays")
    }

    @Test
    fun checkInsChangeAndGoUnderTheSameRules(): Unit = runBlocking {
        val k = relay.device("phone")
        val id = k.addCheckIn(2, energy = 1, tags = listOf("tired"), note = "long day", at = day(2))
        k.updateCheckIn(id, mood = 4, tags = listOf("walk"), at = day(2, hour = 9), clearEnergy = true, clearNote = true)
        val changed = k.checkIns().single()
        assertEquals(4, changed.mood)
        assertNull(changed.energy)
        assertNull(changed.note)
        assertEquals(listOf("walk"), changed.tags)
        assertEquals(day(2, hour = 9), changed.occurredAt)
        // Refused: out of range, or far ahead. Nothing changes.
        assertThrows<KindredException.InvalidInput> { k.updateCheckIn(id, mood = 0, note = "not kept") }
        assertThrows<KindredException.InvalidInput> { k.updateCheckIn(id, at = OffsetDateTime.now().plusDays(3)) }
        assertEquals(changed, k.checkIns().single())

        val changes = async(start = CoroutineStart.UNDISPATCHED) { k.changes().first() }
        k.deleteCheckIn(id)
        assertTrue(changes.await().local, "a delete is heard like any write")
        assertTrue(k.checkIns().isEmpty())
        assertThrows<KindredException.NotFound> { k.deleteCheckIn(id) }

        val g = k.addGoal("Walk to the park")
        k.addStep(g, "Find my shoes")
        val kept = k.addGoal("Cook at home")
        val gone = k.deleteGoal(g)
        assertEquals("Walk to the park", gone.title)
        assertEquals(1, gone.steps.size)
        assertEquals(listOf(kept), k.goals().map { it.id })
        assertThrows<KindredException.NotFound> { k.deleteGoal(g) }
    }

    @Test
    fun findersTakeTheStartOfAnIdOrAName(): Unit = runBlocking {
        val k = relay.device("worker phone")
        val g = k.addGoal("Walk")
        val step = k.addStep(g, "Find my shoes")
        val jo = k.addContact("Jo Smith")
        val c = k.addCheckIn(3, at = day(5))
        assertEquals(g, k.findGoal(g.value.take(6)))
        assertEquals(c, k.findCheckIn(c.value.take(6)))
        assertEquals(jo, k.findContact("jo smith"))
        assertEquals(step, k.findStep(g, "Find my shoes"))
        assertThrows<KindredException.InvalidInput> { k.findGoal(g.value.take(2)) }
        val none = assertThrows<KindredException.NotFound> { k.findContact("Alex") }
        assertFalse(none.message!!.contains("Alex"), none.message)
        assertThrows<KindredException.NotFound> { k.findShare("Sam") }

        val otherJo = k.addContact("Jo Smith")
        assertThrows<KindredException.InvalidInput> { k.findContact("Jo Smith") }
        val both = k.matches(RecordKind.CONTACT, "Jo Smith")
        assertEquals(setOf(jo.value, otherJo.value), both.map { it.id }.toSet())
        assertTrue(both.all { it.label == "Jo Smith" })
        assertEquals(listOf(Match(g.value, "Walk")), k.matches(RecordKind.GOAL, g.value.take(5)))
    }
}
