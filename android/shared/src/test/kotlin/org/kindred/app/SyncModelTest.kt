package org.kindred.app

import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.SeenBy
import org.kindred.SpaceId
import org.kindred.SpaceKind
import org.kindred.SyncStatus

/** Sync you can trust: counts, times, who has seen the latest, and problems in words. */
class SyncModelTest {
    private val f = Fixtures()

    @AfterEach
    fun close() = f.close()

    @Test
    fun withNoServerItSaysWhereToSetOneUp(): Unit = runBlocking {
        val k = f.store()
        k.addGoal("Kept here")
        val sync = SyncModel(k, f.scope, f.io)
        sync.refresh().await()
        val s = sync.state.value
        assertFalse(s.setUp)
        assertEquals(UiText(Keys.SYNC_NOT_SET_UP), s.headline)
        assertEquals(SyncProblem(UiText(Keys.SYNC_ADD_SERVER), SyncAction.OPEN_SETTINGS), s.problem)
        assertEquals(UiText(Keys.SYNC_NEVER), s.lastSyncedText)
        sync.syncNow().await()
        assertEquals(SyncAction.OPEN_SETTINGS, sync.state.value.problem!!.action)
        assertFalse(sync.state.value.syncing)
    }

    @Test
    fun offlineKeepsEverythingAndOffersToTryAgain(): Unit = runBlocking {
        val k = f.store(url = "http://127.0.0.1:9")
        k.addCheckIn(4)
        val sync = SyncModel(k, f.scope, f.io)
        sync.syncNow().await()
        val s = sync.state.value
        assertEquals(SyncProblem(UiText(Keys.SYNC_OFFLINE), SyncAction.TRY_AGAIN), s.problem)
        assertFalse(s.syncing)
        assertEquals(1, k.checkIns().size, "nothing lost")
    }

    @Test
    fun syncNowThenSeenByTheTablet() = runBlocking {
        val url = f.server()
        val phone = f.store("phone", url)
        phone.addGoal("Cook at home")
        val sync = SyncModel(phone, f.scope, f.io)
        sync.refresh().await()
        assertEquals(UiText(Keys.SYNC_FIRST_TIME), sync.state.value.headline, "${sync.state.value}")
        assertFalse(sync.state.value.setUp)
        sync.syncNow().await()
        var s = sync.state.value
        assertNull(s.problem, "$s")
        assertTrue(s.setUp)
        assertEquals(0L, s.pending)
        assertEquals(UiText(Keys.SYNC_ALL_SAVED), s.headline)
        assertNotNull(s.lastSynced)
        assertEquals(Keys.SYNC_LAST, s.lastSyncedText.key, "last synced, in words")
        assertTrue(Strings.englishSet.format(s.lastSyncedText).startsWith("Last synced "), Strings.englishSet.format(s.lastSyncedText))
        assertEquals(UiText(Keys.SYNC_DONE), s.message)

        val tablet = f.joiningStore("tablet")
        val offer = phone.pairOffer()
        coroutineScope {
            tablet.pairJoinRequest(offer)
            phone.pairWait(offer, java.time.Duration.ofSeconds(60))
            val joining = async { tablet.pairJoinWait(offer, java.time.Duration.ofSeconds(60)) }
            phone.pairAnswer(offer, true)
            joining.await()
        }
        phone.addCheckIn(3)
        sync.syncNow().await()
        tablet.sync()
        sync.syncNow().await()
        s = sync.state.value
        assertEquals(listOf(SeenLine("tablet", own = true, upToDate = true)), s.seenBy, "$s")
        assertEquals(UiText(Keys.SYNC_SEEN_OWN, "tablet"), s.seenBy.single().text)
    }

    @Test
    fun ownDevicesComeFirstAndProblemsInTheStatusShow(): Unit = runBlocking {
        fun status(kind: String, seen: List<SeenBy>, error: String? = null, quarantined: Long = 0L) =
            SyncStatus(
                SpaceId("s$kind"), SpaceKind.of(kind), true, 0L, java.time.OffsetDateTime.parse("2026-03-01T10:00:00Z"),
                java.time.OffsetDateTime.parse("2026-03-02T09:00:00+01:00"), error, quarantined, seen,
            )
        val statuses = listOf(
            status("shared", listOf(SeenBy("Jo's phone", false))),
            status("personal", listOf(SeenBy("tablet", true))),
            status("caseload", listOf(SeenBy("tablet", false))),
        )
        assertEquals(
            listOf(SeenLine("tablet", true, false), SeenLine("Jo's phone", false, false)),
            seenLines(statuses),
        )
        assertEquals(UiText(Keys.SYNC_NOT_YET_SEEN_SHARED, "Jo's phone"), seenLines(statuses)[1].text)
        assertEquals(UiText(Keys.SYNC_NOT_YET_SEEN_OWN, "tablet"), seenLines(statuses)[0].text)
        assertEquals(java.time.OffsetDateTime.parse("2026-03-02T09:00:00+01:00"), lastSynced(statuses))
        assertNull(statusProblem(statuses))
        assertEquals(SyncAction.TRY_AGAIN, statusProblem(listOf(status("personal", emptyList(), error = "offline")))!!.action)
        assertEquals(
            SyncProblem(UiText(Keys.SYNC_QUARANTINED, 2L), SyncAction.NONE),
            statusProblem(listOf(status("personal", emptyList(), quarantined = 2L))),
        )
    }

    @Test
    fun lastSyncedIsInWordsOnTheClocksDay() {
        val clock = TestClock(java.time.Instant.parse("2026-03-04T10:00:00Z"), java.time.ZoneOffset.UTC)
        val words = Strings.englishSet
        assertEquals("Last synced Today, 09:30", words.format(UiText(Keys.SYNC_LAST, whenText(java.time.OffsetDateTime.parse("2026-03-04T09:30:00Z"), clock))))
        assertEquals("Last synced Yesterday, 21:10", words.format(UiText(Keys.SYNC_LAST, whenText(java.time.OffsetDateTime.parse("2026-03-03T22:10:00+01:00"), clock))))
    }

    @Test
    fun aPassWhereSomeSpacesDidNotSyncSaysSoAndOffersToTryAgain() {
        fun space(problem: String? = null) = org.kindred.SpaceSync(SpaceKind.PERSONAL, 1L, 0L, 0L, false, SpaceId("s"), problem)
        assertNull(reportProblem(listOf(space(), space())))
        assertNull(reportProblem(emptyList()))
        assertEquals(SyncProblem(UiText(Keys.SYNC_PARTLY), SyncAction.TRY_AGAIN), reportProblem(listOf(space(), space("the relay did not answer"))))
        assertEquals(SyncProblem(UiText(Keys.SYNC_SERVER_TROUBLE), SyncAction.TRY_AGAIN), reportProblem(listOf(space("the relay did not answer"))))
    }
}
