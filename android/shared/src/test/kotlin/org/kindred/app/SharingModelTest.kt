package org.kindred.app

import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.setRemovalWait

/** Sharing and devices against the real library and a real kindred-server. */
class SharingModelTest {
    private val f = Fixtures()

    @AfterEach
    fun close() = f.close()

    @Test
    fun anInviteWithAMatchingStringThenTheShareEnds(): Unit = runBlocking {
        val url = f.server()
        val person = f.store("person phone", url)
        val worker = f.store("worker laptop", url)
        val goal = person.addGoal("Get my own flat")
        val mine = SharingModel(person, f.scope, f.io)
        val theirs = SharingModel(worker, f.scope, f.io)
        mine.refresh().await()
        assertTrue(mine.state.value.shares.isEmpty())

        val inviting = mine.startInvite()
        val code = (mine.state.awaitState { it.invite is InviteStep.ShowCode }.invite as InviteStep.ShowCode).code
        val joining = theirs.joinWithCode(code)
        inviting.await()
        joining.await()
        val a = mine.state.value.invite as InviteStep.Compare
        val b = theirs.state.value.invite as InviteStep.Compare
        assertEquals(a.digits to a.emoji, b.digits to b.emoji, "both people see the same digits and pictures")
        // Each side says, before anyone agrees, what the one joining will be able to do.
        assertEquals(org.kindred.Role.WRITER, a.role)
        assertEquals(org.kindred.Role.WRITER, b.role)
        assertTrue(a.inviting)
        assertTrue(!b.inviting)
        assertEquals("worker laptop", a.otherName)
        assertEquals("person phone", b.otherName)
        assertEquals(7, a.digits.length) // "123 456"
        assertEquals(4, a.emoji.split("  ").size)

        runBlocking {
            val x = async { mine.theyMatch().join() }
            val y = async { theirs.theyMatch().join() }
            x.await()
            y.await()
        }
        assertEquals(InviteStep.Done("worker laptop"), mine.state.value.invite)
        assertEquals(InviteStep.Done("person phone"), theirs.state.value.invite)
        val share = mine.state.value.shares.single()
        assertEquals(listOf("worker laptop"), share.with)
        assertEquals(UiText("share_role_writer"), share.role)
        assertEquals(UiText(Keys.SHARE_WITH, "worker laptop", 0), share.text)
        assertTrue(!share.sharedWithMe)
        theirs.refresh().await()
        val seen = theirs.state.value.shares.single()
        assertEquals(listOf("person phone"), seen.with)
        assertTrue(seen.sharedWithMe)
        assertEquals(UiText(Keys.SHARE_FROM, "person phone"), seen.text)

        person.shareGoal(goal, org.kindred.SpaceId(share.space))
        mine.refresh().await()
        assertEquals(listOf("Get my own flat"), mine.state.value.shares.single().goals)

        // Ending is asked once more; then the worker's devices leave it.
        mine.askEndShare(mine.state.value.shares.single())
        assertNotNull(mine.state.value.confirmEnd)
        mine.cancelEnding()
        assertNull(mine.state.value.confirmEnd)
        assertEquals(1, mine.state.value.shares.size, "nothing ended on cancel")
        mine.askEndShare(mine.state.value.shares.single())
        mine.confirmEndShare().await()
        assertEquals(UiText(Keys.SHARE_ENDED, "worker laptop"), mine.state.value.message)
        // An ended share stays in the list, said to be ended, with who it was with.
        val ended = mine.state.value.shares.single()
        assertTrue(ended.ended)
        assertEquals(listOf("worker laptop"), ended.with)
        assertEquals(UiText(Keys.SHARE_ENDED_LINE, "worker laptop"), ended.text)
        runBlocking { worker.sync() }
        theirs.refresh().await()
        assertTrue(theirs.state.value.shares.all { it.ended }, "${theirs.state.value.shares}")
        assertTrue(worker.goals().isEmpty())
    }

    @Test
    fun differentStringsAddNoOne(): Unit = runBlocking {
        val url = f.server()
        val person = f.store("person phone", url)
        val worker = f.store("worker laptop", url)
        val mine = SharingModel(person, f.scope, f.io)
        val theirs = SharingModel(worker, f.scope, f.io)
        theirs.joinWithCode(" ").await()
        assertEquals(UiText(Keys.INVITE_CODE_NEEDED), theirs.state.value.error)
        val inviting = mine.startInvite()
        val code = (mine.state.awaitState { it.invite is InviteStep.ShowCode }.invite as InviteStep.ShowCode).code
        theirs.joinWithCode(code).await()
        inviting.await()
        mine.theyDiffer().await()
        assertEquals(InviteStep.Stopped, mine.state.value.invite)
        assertEquals(UiText(Keys.INVITE_DIFFERENT), mine.state.value.message)
        theirs.theyMatch().await()
        assertEquals(InviteStep.Stopped, theirs.state.value.invite, "the other side is told, kindly")
        theirs.refresh().await()
        assertTrue(theirs.state.value.shares.isEmpty())
        theirs.joinWithCode("00000-00000").await()
        assertEquals(UiText(Keys.ERROR_PAIRING), theirs.state.value.error)
        assertEquals(InviteStep.EnterCode, theirs.state.value.invite, "the code can be typed again")
    }

    @Test
    fun aCodeWrongInItsSecondHalfStopsBothSidesKindlyAndAddsNoOne(): Unit = runBlocking {
        val url = f.server()
        val person = f.store("person phone", url)
        val worker = f.store("worker laptop", url)
        val mine = SharingModel(person, f.scope, f.io)
        val theirs = SharingModel(worker, f.scope, f.io)
        val inviting = mine.startInvite()
        val code = (mine.state.awaitState { it.invite is InviteStep.ShowCode }.invite as InviteStep.ShowCode).code
        // The first half finds the invite; the second half is the secret the
        // key exchange checks (a misheard character, or someone guessing).
        val misheard = code.take(6) + if (code.endsWith("00000")) "11111" else "00000"
        theirs.joinWithCode(misheard).await()
        inviting.await()
        assertEquals(InviteStep.Stopped, theirs.state.value.invite)
        assertEquals(UiText(Keys.INVITE_CODE_WRONG), theirs.state.value.message)
        assertEquals(InviteStep.Stopped, mine.state.value.invite, "no string is shown on either side")
        assertEquals(UiText(Keys.INVITE_CODE_WRONG), mine.state.value.message)
        // The code is burnt: typed right afterwards, it no longer works.
        theirs.openJoin()
        theirs.joinWithCode(code).await()
        assertEquals(UiText(Keys.INVITE_CODE_EXPIRED), theirs.state.value.error)
        mine.refresh().await()
        theirs.refresh().await()
        assertTrue(mine.state.value.shares.isEmpty())
        assertTrue(theirs.state.value.shares.isEmpty())
    }

    @Test
    fun aStoppedInviteTellsALateJoinerKindlyAndEveryRoleHasWords(): Unit = runBlocking {
        val url = f.server()
        val person = f.store("person phone", url)
        val worker = f.store("worker laptop", url)
        val mine = SharingModel(person, f.scope, f.io)
        val theirs = SharingModel(worker, f.scope, f.io)
        mine.openInvite()
        assertEquals(InviteStep.ChooseRole, mine.state.value.invite)
        mine.pickRole(org.kindred.Role.READER)
        assertEquals(org.kindred.Role.READER, mine.state.value.inviteRole)
        mine.startInvite(mine.state.value.inviteRole)
        val shown = mine.state.awaitState { it.invite is InviteStep.ShowCode }.invite as InviteStep.ShowCode
        assertEquals(org.kindred.Role.READER, shown.role)
        // The person stops before anyone typed the code: it stops working.
        val withdrawn = mine.resetInvite()
        assertEquals(InviteStep.Idle, mine.state.value.invite)
        assertNotNull(withdrawn, "a waiting invite is withdrawn")
        withdrawn!!.await()
        theirs.openJoin()
        theirs.editCode(shown.code)
        assertEquals(shown.code, theirs.state.value.code)
        theirs.joinWithCode(shown.code).await()
        assertEquals(UiText(Keys.INVITE_CODE_EXPIRED), theirs.state.value.error)
        assertEquals(InviteStep.EnterCode, theirs.state.value.invite)
        theirs.refresh().await()
        assertTrue(theirs.state.value.shares.isEmpty())

        for (r in org.kindred.Role.entries) {
            for (k in listOf(roleKey(r.stored), inviteRoleKey(r), joinRoleKey(r), "invite_role_name_${r.stored}")) {
                assertTrue(k in Strings.english, "$k has words")
            }
        }
    }

    @Test
    fun aStrangersRequestShowsItsCodeAndNotMyDeviceAddsNoOne(): Unit = runBlocking {
        val url = f.server()
        val phone = f.store("phone", url)
        runBlocking { phone.sync() }
        val stranger = f.joiningStore("stranger")
        val sharing = SharingModel(phone, f.scope, f.io)
        sharing.showOffer().await()
        val offer = sharing.state.value.offer!!
        val code = runBlocking { stranger.pairJoinRequest(offer) }
        val asked = sharing.state.awaitState { it.pairAsk != null }
        assertEquals(code, asked.pairAsk!!.code)
        sharing.pairNotMine().await()
        val after = sharing.state.value
        assertEquals(UiText(Keys.PAIR_NOT_ADDED), after.message)
        assertNull(after.pairAsk)
        assertNull(after.offer)
        val refused = runCatching { stranger.pairJoinWait(offer, java.time.Duration.ofSeconds(30)) }.exceptionOrNull()
        assertTrue(refused is org.kindred.ffi.KindredException.Pairing, "$refused")
        assertTrue(runBlocking { phone.devices() }.none { it.name == "stranger" })
        // Yes and no are kind words, and every new key has them.
        for (k in listOf(Keys.PAIR_NOT_ADDED, Keys.PAIR_ASKS, Keys.PAIR_CODE_CHECK, Keys.PAIR_YES, Keys.PAIR_NOT_MINE, Keys.FIRST_PAIR_CODE)) {
            assertTrue(k in Strings.english, "$k has words")
        }
    }

    @Test
    fun aTabletPairsByTheOfferAndALostOneIsRemoved(): Unit = runBlocking {
        val url = f.server()
        val phone = f.store("phone", url)
        runBlocking { phone.sync() }
        val tablet = f.joiningStore("tablet")
        val sharing = SharingModel(phone, f.scope, f.io)
        sharing.showOffer().await()
        val offer = sharing.state.value.offer!!
        val qr = sharing.state.value.offerQr!!
        assertTrue(qr.size >= 21, "a real QR code")
        val code = runBlocking { tablet.pairJoinRequest(offer) }
        // Nobody is added yet: the phone shows the tablet's code and waits for its person.
        val asked = sharing.state.awaitState { it.pairAsk != null }
        assertEquals("tablet", asked.pairAsk!!.name)
        assertEquals(code, asked.pairAsk!!.code)
        assertNull(asked.offerQr, "the QR code goes once a device asked")
        assertEquals(1, runBlocking { phone.devices() }.map { it.fingerprint }.distinct().size)
        val joining = f.scope.async(f.io) { tablet.pairJoinWait(offer, java.time.Duration.ofSeconds(60)) }
        sharing.pairYes().await()
        assertEquals("phone", joining.await().name)
        val added = sharing.state.awaitState { it.message == UiText(Keys.PAIR_ADDED, "tablet") }
        assertNull(added.pairAsk)
        assertNull(added.offer, "the offer is gone once used")
        val devices = sharing.state.awaitState { it.devices.size == 2 }.devices
        assertEquals(listOf("phone", "tablet"), devices.map { it.name })
        assertTrue(devices.first().thisDevice)

        sharing.askRemoveDevice(devices.first())
        sharing.confirmRemoveDevice().await()
        assertEquals(2, sharing.state.value.devices.size, "this device is never removed from itself")
        // A removal meant to happen at once: no wait on this device (the test relay has none either).
        runBlocking { phone.setRemovalWait(0) }
        sharing.askRemoveDevice(devices.last())
        sharing.chooseLost(true)
        sharing.confirmRemoveDevice().await()
        assertEquals(UiText(Keys.REMOVAL_DONE_LOST, "tablet"), sharing.state.value.message)
        assertEquals(listOf("phone"), sharing.state.value.devices.map { it.name })
    }
}
