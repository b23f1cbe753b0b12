package org.kindred.app

import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KindredStore
import org.kindred.RemovedHow
import org.kindred.app.platform.ShareSheet
import org.kindred.createRecoveryKit
import org.kindred.ffi.KindredException
import org.kindred.lockedCopy
import org.kindred.pendingRemovals
import org.kindred.removalHistory
import org.kindred.setRemovalWait

/**
 * Removing one of her own devices, through the state holders, on the real
 * library and a real kindred-server (its own wait is 0; each device's wait
 * is set here): a request waits and any of her other devices keeps it or
 * says yes; her kit does it at once; a removed device keeps a locked copy
 * (export, erase, nothing new) unless it was called lost, when it wipes.
 */
class RemovalModelTest {
    private val f = Fixtures()
    private val clock = java.time.Clock.systemUTC()

    @AfterEach
    fun close() = f.close()

    private class Sheet : ShareSheet {
        val files = CopyOnWriteArrayList<Pair<String, ByteArray>>()
        override suspend fun share(fileName: String, mimeType: String, content: ByteArray): String {
            files += fileName to content
            return "/tmp/$fileName"
        }
    }

    /** A new device of hers, added to [phone] by the offer (as the Sharing screen does it, both saying yes). */
    private fun pair(phone: KindredStore, name: String): KindredStore = pair(phone, f.joiningStore(name))

    private fun pair(phone: KindredStore, joiner: KindredStore): KindredStore = runBlocking {
        val offer = phone.pairOffer()
        joiner.pairJoinRequest(offer)
        phone.pairWait(offer)
        val joined = f.scope.async(f.io) { joiner.pairJoinWait(offer, Duration.ofSeconds(60)) }
        phone.pairAnswer(offer, true)
        joined.await()
        joiner
    }

    /** Her phone, tablet and laptop, each knowing the others. */
    private fun threeDevices(): Triple<KindredStore, KindredStore, KindredStore> = runBlocking {
        val url = f.server()
        val phone = f.store("phone", url)
        phone.addGoal("Walk every day")
        phone.sync()
        val tablet = pair(phone, "tablet")
        val laptop = pair(phone, "laptop")
        for (s in listOf(phone, tablet, laptop)) s.sync()
        Triple(phone, tablet, laptop)
    }

    private fun removals(store: KindredStore, sheet: ShareSheet = Sheet(), erased: () -> Unit = {}) =
        RemovalModel(store, sheet, clock, f.scope, f.io, onErased = erased)

    private fun sharing(store: KindredStore) = SharingModel(store, f.scope, f.io, clock)

    /** Asks, through the device list, to remove the device named [name] with the answer [lost]; returns the holder. */
    private fun ask(store: KindredStore, name: String, lost: Boolean): SharingModel {
        val s = sharing(store)
        s.refresh().await()
        s.askRemoveDevice(s.state.value.devices.single { it.name == name })
        s.chooseLost(lost)
        s.confirmRemoveDevice().await()
        return s
    }

    @Test
    fun withAnHoursWaitRemovingHerTabletOnlyWaitsAndTheTabletKeepsItself(): Unit = runBlocking {
        val (phone, tablet, _) = threeDevices()
        phone.setRemovalWait(3600)
        val before = Instant.now()
        val s = sharing(phone)
        s.refresh().await()
        val line = s.state.value.devices.single { it.name == "tablet" }
        s.askRemoveDevice(line)
        // Nothing happens before she says whether it is lost.
        s.confirmRemoveDevice().await()
        assertEquals(UiText(Keys.REMOVAL_CHOOSE_FIRST), s.state.value.removeProblem)
        assertNotNull(s.state.value.confirmRemove)
        s.chooseLost(false)
        assertEquals(false, s.state.value.removeLost)
        s.confirmRemoveDevice().await()
        val said = s.state.value.message!!
        assertEquals(Keys.REMOVAL_WAITS, said.key, "$said")
        assertEquals("tablet", said.args[0])
        assertNull(s.state.value.confirmRemove)
        assertEquals(listOf("phone", "laptop", "tablet").sorted(), s.state.value.devices.map { it.name }.sorted(), "nothing removed yet")
        val waitsUntil = phone.pendingRemovals().single().notBefore
        assertTrue(waitsUntil >= before.plusSeconds(3500) && waitsUntil <= Instant.now().plusSeconds(3700), "$waitsUntil")
        assertEquals(removalAt(waitsUntil, clock), said.args[1], "the words say until when")

        // On the phone: its own request, with "Keep it after all".
        val mine = removals(phone)
        mine.refresh().await()
        val asked = mine.state.value.pending.single()
        assertTrue(asked.askedHere && !asked.thisDevice && !asked.canConfirm)
        assertEquals(UiText(Keys.REMOVAL_PENDING_HERE, "tablet", removalAt(waitsUntil, clock)), asked.text)
        assertNull(mine.state.value.here)

        // The tablet learns of it at its next sync and keeps itself.
        tablet.sync()
        val theirs = removals(tablet)
        theirs.refresh().await()
        val here = theirs.state.value.here!!
        assertEquals("phone", here.askedBy)
        assertFalse(here.lost)
        assertEquals(UiText(Keys.REMOVAL_PENDING_THIS, "phone", removalAt(waitsUntil, clock)), here.text)
        assertEquals(UiText(Keys.REMOVAL_OUTCOME_THIS_KEPT), here.outcome)
        assertEquals(UiText(Keys.REMOVAL_PENDING_THIS_HINT), here.hint)
        theirs.keep(here).await()
        assertNull(theirs.state.value.here)
        assertTrue(theirs.state.value.pending.isEmpty())
        assertEquals(UiText(Keys.REMOVAL_KEPT_THIS), theirs.state.value.message)
        assertTrue(theirs.state.value.keptHere)
        theirs.seen()
        assertFalse(theirs.state.value.keptHere)

        // The phone sees it was kept; nothing carries it out later.
        phone.sync()
        mine.refresh().await()
        assertTrue(mine.state.value.pending.isEmpty())
        assertTrue(phone.devices().any { it.name == "tablet" })
        assertTrue(mine.state.value.history.isEmpty())
    }

    @Test
    fun aThirdDeviceSaysYesAndTheTabletGoesAtOnce(): Unit = runBlocking {
        val (phone, tablet, laptop) = threeDevices()
        phone.setRemovalWait(3600)
        ask(phone, "tablet", lost = false)
        laptop.sync()
        var changed = 0
        val onLaptop = RemovalModel(laptop, Sheet(), clock, f.scope, f.io, onChanged = { changed++ })
        onLaptop.refresh().await()
        val line = onLaptop.state.value.pending.single()
        assertTrue(line.canConfirm)
        assertEquals("tablet", line.name)
        assertEquals("phone", line.askedBy)
        assertEquals(UiText(Keys.REMOVAL_PENDING_NOT_LOST), line.outcome)
        assertEquals(UiText(Keys.REMOVAL_PENDING_OTHER_ASK), line.hint)
        onLaptop.confirm(line).await()
        assertEquals(UiText(Keys.REMOVAL_DONE_KEPT, "tablet"), onLaptop.state.value.message)
        assertTrue(onLaptop.state.value.pending.isEmpty())
        assertEquals(1, changed, "the device list is read again")
        assertTrue(laptop.devices().none { it.name == "tablet" })
        val history = onLaptop.state.value.history.single()
        assertEquals(UiText(Keys.REMOVAL_HISTORY_CONFIRMED, "tablet", "laptop"), history.text)
        assertEquals(UiText(Keys.REMOVAL_HISTORY_KEPT), history.copy)
        assertEquals(RemovedHow.CONFIRMED, laptop.removalHistory().single().how)

        // The phone sees the same history once it syncs.
        phone.sync()
        val onPhone = removals(phone)
        onPhone.refresh().await()
        assertFalse(onPhone.state.value.gone)
        assertTrue(onPhone.state.value.pending.isEmpty())
        assertEquals(history.text, onPhone.state.value.history.single().text)
        // The tablet, not called lost, keeps a locked copy.
        runCatching { tablet.sync() }
        assertNotNull(tablet.lockedCopy())
    }

    @Test
    fun theKitsWordsRemoveAtOnceAndWrongWordsAreSaidKindly(): Unit = runBlocking {
        val (phone, tablet, _) = threeDevices()
        phone.setRemovalWait(3600)
        val kit = phone.createRecoveryKit()
        val s = sharing(phone)
        s.refresh().await()
        // Her kit is listed with her devices, after them, and is not asked "lost or stolen".
        assertTrue(s.state.value.devices.last().kit, "${s.state.value.devices}")
        assertEquals(1, s.state.value.devices.count { it.kit })
        s.askRemoveDevice(s.state.value.devices.single { it.name == "tablet" })
        s.openKitWords()
        assertTrue(s.state.value.removeKitOpen)
        s.chooseLost(true)
        s.editKitWords("these are not the words")
        s.removeWithKit().await()
        val problem = s.state.value.removeProblem!!
        assertEquals(Keys.REMOVAL_KIT_CHECK, problem.key)
        assertTrue(problem.args.single().toString().isNotBlank())
        assertNotNull(s.state.value.confirmRemove, "still asking")
        s.editKitWords(kit.words)
        assertNull(s.state.value.removeProblem)
        s.removeWithKit().await()
        assertEquals(UiText(Keys.REMOVAL_DONE_LOST, "tablet"), s.state.value.message)
        assertEquals("", s.state.value.kitWords, "the words are not kept")
        assertTrue(s.state.value.devices.none { it.name == "tablet" })
        assertTrue(phone.pendingRemovals().isEmpty())
        val onPhone = removals(phone)
        onPhone.refresh().await()
        assertEquals(UiText(Keys.REMOVAL_HISTORY_KIT, "tablet"), onPhone.state.value.history.single().text)
        assertEquals(UiText(Keys.REMOVAL_HISTORY_LOST), onPhone.state.value.history.single().copy)
        // Called lost: the tablet wipes what it holds when it learns of it.
        runCatching { tablet.sync() }
        assertNull(tablet.lockedCopy())
    }

    @Test
    fun aDeviceRemovedNotAsLostKeepsALockedCopyThatExportsRefusesWritesAndErases(): Unit = runBlocking {
        val (phone, tablet, _) = threeDevices()
        tablet.addCheckIn(4, note = "A good walk with Jo")
        tablet.sync()
        phone.sync()
        phone.setRemovalWait(0)
        val s = ask(phone, "tablet", lost = false)
        assertEquals(UiText(Keys.REMOVAL_DONE_KEPT, "tablet"), s.state.value.message)

        runCatching { tablet.sync() }
        val sheet = Sheet()
        var erased = 0
        val onTablet = removals(tablet, sheet) { erased++ }
        onTablet.refresh().await()
        val locked = onTablet.state.value.locked!!
        assertEquals("phone", locked.removedBy)
        assertTrue(onTablet.state.value.pending.isEmpty())

        // Her words come out in the export, as in Settings.
        onTablet.exportLocked().await()
        assertEquals(UiText(Keys.EXPORT_DONE), onTablet.state.value.message)
        val (name, bytes) = sheet.files.single()
        assertTrue(name.startsWith("kindred-") && name.endsWith(".json"), name)
        assertTrue(bytes.decodeToString().contains("A good walk with Jo"))
        assertEquals("/tmp/$name", onTablet.state.value.exportedTo)

        // Nothing new is added.
        assertThrows(KindredException.NotAllowed::class.java) { runBlocking { tablet.addCheckIn(3) } }
        val today = TodayModel(tablet, f.scope, f.io, clock)
        today.pickMood(3)
        today.save()
        val refused = today.state.awaitState { it.error != null || it.message != null }
        assertEquals(UiText(Keys.ERROR_NOT_ALLOWED), refused.error)

        // Erasing asks once more; then the copy is gone and the app starts afresh.
        onTablet.eraseLocked().await()
        assertNotNull(tablet.lockedCopy(), "not without the second tap")
        onTablet.askEraseLocked()
        assertTrue(onTablet.state.value.confirmErase)
        onTablet.keepLocked()
        assertFalse(onTablet.state.value.confirmErase)
        onTablet.askEraseLocked()
        onTablet.eraseLocked().await()
        assertEquals(1, erased)
        assertNull(onTablet.state.value.locked)
        assertNull(tablet.lockedCopy())
        assertTrue(runCatching { tablet.checkIns() }.getOrDefault(emptyList()).isEmpty(), "nothing of hers is left")
    }

    @Test
    fun aDeviceRemovedAsLostWipesWhatItHolds(): Unit = runBlocking {
        val (phone, tablet, _) = threeDevices()
        assertEquals(listOf("Walk every day"), tablet.goals().map { it.title })
        phone.setRemovalWait(0)
        val s = ask(phone, "tablet", lost = true)
        assertEquals(UiText(Keys.REMOVAL_DONE_LOST, "tablet"), s.state.value.message)
        assertTrue(s.state.value.devices.none { it.name == "tablet" })

        runCatching { tablet.sync() }
        val onTablet = removals(tablet)
        onTablet.refresh().await()
        assertNull(onTablet.state.value.locked, "no locked copy")
        assertNull(tablet.lockedCopy())
        assertTrue(onTablet.state.value.gone, "the app offers only to set it up again")
        assertTrue(runCatching { tablet.goals() }.getOrDefault(emptyList()).isEmpty(), "what it held is gone")
        var again = 0
        removals(tablet) { again++ }.startAgain()
        assertEquals(1, again)
        // Her phone still has it all.
        assertEquals(listOf("Walk every day"), phone.goals().map { it.title })
    }

    @Test
    fun aRequestToRemoveHerKitHasItsOwnWordsAndOnlyWaits(): Unit = runBlocking {
        val (phone, tablet, _) = threeDevices()
        phone.setRemovalWait(3600)
        phone.createRecoveryKit()
        phone.sync()
        val s = sharing(phone)
        s.refresh().await()
        val kit = s.state.value.devices.single { it.kit }
        s.askRemoveDevice(kit)
        // No "lost or stolen" for a kit: it holds nothing.
        s.confirmRemoveDevice().await()
        assertEquals(Keys.REMOVAL_PENDING_KIT_HERE, s.state.value.message?.key, "${s.state.value.message}")

        tablet.sync()
        val onTablet = removals(tablet)
        onTablet.refresh().await()
        val line = onTablet.state.value.pending.single()
        assertTrue(line.kit)
        assertFalse(line.canConfirm, "no one can hurry the kit")
        assertNull(line.outcome)
        assertEquals(UiText(Keys.REMOVAL_PENDING_KIT, "phone", line.until), line.text)
        assertEquals(UiText(Keys.REMOVAL_PENDING_KIT_HINT), line.hint)
        onTablet.keep(line).await()
        assertEquals(UiText(Keys.REMOVAL_KEPT_KIT), onTablet.state.value.message)
        assertTrue(onTablet.state.value.pending.isEmpty())
    }

    @Test
    fun theAppReadsRemovalsWhenItOpensAndAfterEverySyncAndShowsTheLockedCopy(): Unit = runBlocking {
        val url = f.server()
        val phone = f.store("phone", url)
        phone.sync()
        // The tablet as the app keeps it: its own folder and key store.
        val bench = Bench()
        pair(phone, bench.stores.create("tablet", joining = true)).close()
        phone.setRemovalWait(3600)
        ask(phone, "tablet", lost = false)

        val app = AppModel(bench.platform, f.scope, f.io)
        app.start().await()
        app.state.awaitState { it.phase == AppPhase.Ready }
        val session = app.session!!
        val opened = session.removal.state.awaitState { it.loaded }
        assertNull(opened.here, "not synced since the phone asked")
        assertNull(opened.locked)
        // "Sync now" brings the request: the Today banner's line.
        session.sync.syncNow().await()
        val here = session.removal.state.awaitState { it.here != null }.here!!
        assertEquals("phone", here.askedBy)
        session.removal.keep(here).await()
        assertNull(session.removal.state.value.here)

        // Removed at once (no wait on the phone this time), not as lost: after the next sync, the locked copy.
        phone.sync()
        phone.setRemovalWait(0)
        ask(phone, "tablet", lost = false)
        session.sync.syncNow().await()
        val locked = session.removal.state.awaitState { it.locked != null }.locked!!
        assertEquals("phone", locked.removedBy)
        // Erasing it starts afresh: first run, nothing left in the tablet's folder.
        session.removal.askEraseLocked()
        session.removal.eraseLocked().await()
        app.state.awaitState { it.phase == AppPhase.FirstRun }
        assertFalse(bench.stores.exists())
        assertNull(app.session)
        app.close()
    }

    @Test
    fun everyRemovalWordIsKind() {
        val removal = Keys.all.filter { it.startsWith("removal_") }
        assertTrue(removal.size > 40, "${removal.size}")
        for (k in removal) {
            val t = Strings.english[k] ?: error("$k has no words")
            for (word in listOf("fail", "must", "error", "wrong", "invalid", "denied", "space")) {
                assertFalse(t.lowercase().contains(word), "\"$t\" uses \"$word\"")
            }
        }
    }
}
