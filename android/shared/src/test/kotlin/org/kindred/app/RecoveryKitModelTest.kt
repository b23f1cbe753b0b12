package org.kindred.app

import kotlin.random.Random
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KindredStore

/**
 * The recovery kit's state holders without UI (issue 16), on the real
 * native library and a real relay: making a kit in Settings (shown once,
 * checked by two words), and first run bringing everything back with it.
 */
class RecoveryKitModelTest {
    private val f = Fixtures()

    @AfterEach
    fun close() = f.close()

    /** The BIP39 test vector: 12 words that are a kit (nobody's). */
    private val vector = (List(11) { "abandon" } + "about").joinToString(" ")

    private fun kitModel(store: KindredStore, bench: Bench = Bench(), seed: Int = 7) =
        RecoveryKitModel(store, bench.platform, f.scope, f.io, random = Random(seed))

    /** Makes a kit through the holder and returns it as shown (the words, or the shares). */
    private fun RecoveryKitModel.makeKit(split: Boolean = false, oldWords: String = ""): KitState {
        refresh().await()
        openMaker()
        setSplit(split)
        if (oldWords.isNotEmpty()) editOldWords(oldWords)
        make()
        val shown = state.awaitState { it.step == KitStep.SHOW || it.error != null || it.oldWordsMessage != null }
        assertNull(shown.error, "$shown")
        assertNull(shown.oldWordsMessage, "$shown")
        return shown
    }

    private fun KitState.expected(ask: KitAsk): String =
        (if (ask.share == null) words else shares.first { it.number == ask.share }.words)[ask.position - 1]

    /** Types back the two words asked for, rightly, and finishes. */
    private fun RecoveryKitModel.passCheck() {
        wroteItDown()
        val s = state.value
        assertEquals(KitStep.CHECK, s.step)
        s.asks.forEachIndexed { i, a -> editAnswer(i, " " + s.expected(a).uppercase() + " ") }
        checkAnswers()
        assertEquals(KitStep.STATUS, state.value.step)
        assertEquals(UiText(Keys.KIT_READY), state.value.message)
        assertTrue(state.value.words.isEmpty() && state.value.shares.isEmpty(), "the words leave the state when she is done")
        state.awaitState { it.hasKit }
    }

    /** First run on a fresh device, "I have a recovery kit". */
    private class FreshDevice(f: Fixtures) {
        val bench = Bench()
        var done: KindredStore? = null
        val first = FirstRunModel(bench.platform, AppLock(bench.prefs, bench.clock, bench.platform.deviceSecurity), f.scope, f.io) { s, _ -> done = s }

        init {
            first.editDeviceName("new phone")
            first.startRestore()
            assertEquals(FirstRunStep.RESTORE, first.state.value.step)
        }

        fun restore(): FirstRunState {
            first.restore()
            return first.state.awaitState { !it.busy && (it.step == FirstRunStep.LOCK || it.message != null || it.restore.serverMessage != null) }
        }

        /** Nothing is left on this device: no data, no key. */
        fun assertClean() {
            assertFalse(bench.stores.exists(), "no data")
            assertTrue(bench.stores.dir.listFiles().isNullOrEmpty(), "nothing in the data folder: ${bench.stores.dir.list()?.toList()}")
            assertNull(bench.stores.key, "no key")
            assertNull(done)
        }
    }

    @Test
    fun aKitMadeInSettingsBringsTheSameGoalsAndCheckInsBackOnAFreshDevice(): Unit = runBlocking {
        val url = f.server()
        val phone = f.store("phone", url)
        phone.addGoal("Cook at home")
        phone.addCheckIn(4, note = "A walk by the river")
        phone.sync()

        val bench = Bench()
        val kit = kitModel(phone, bench)
        kit.refresh().await()
        kit.state.value.let {
            assertTrue(it.loaded && it.serverSet && !it.hasKit, "$it")
            assertTrue(it.suggestInSettings, "no kit yet: the suggestion shows in Settings")
            assertFalse(it.suggestOnToday, "Today's card only after first run or pairing")
        }
        val shown = kit.makeKit()
        assertEquals(12, shown.words.size)
        assertNotNull(shown.qr)
        assertTrue(shown.shares.isEmpty())
        assertEquals(2, shown.asks.map { it.position }.distinct().size, "two different words are asked")
        val words = shown.words.joinToString(" ")

        // Save or print: plain text to the share sheet.
        kit.saveOrPrint()
        kit.state.awaitState { it.message != null }
        assertEquals(listOf("kindred-recovery-kit.txt"), bench.shared)
        assertEquals(UiText(Keys.KIT_SAVED_WHERE, "/exports/kindred-recovery-kit.txt"), kit.state.value.message)

        kit.passCheck()
        kit.state.value.let {
            assertEquals(UiText(Keys.KIT_WHAT_PERSONAL), it.bringsBack, "in her words: her own records (no work area)")
            assertFalse(it.suggestInSettings, "no suggestion once she has a kit")
        }

        // Every phone is lost: a fresh one, first run, the 12 words.
        val fresh = FreshDevice(f)
        fresh.first.editRestoreServer(url)
        fresh.first.editKitWords(words)
        assertTrue(fresh.first.state.value.restore.wordsCheck.ok)
        assertTrue(fresh.first.state.value.restore.othersLost, "her other devices are lost unless she says not")
        val after = fresh.restore()
        assertEquals(FirstRunStep.LOCK, after.step, "$after")
        assertEquals(
            listOf(UiText(Keys.KIT_RESTORED, UiText(Keys.KIT_WHAT_PERSONAL)), UiText(Keys.KIT_RESTORED_REMOVED)),
            after.restored,
        )
        assertEquals("", after.restore.words, "the words leave the state")
        fresh.first.chooseNoLock()
        val back = fresh.done!!
        assertEquals(listOf("Cook at home"), back.goals().map { it.title })
        assertEquals(phone.checkIns().map { it.mood to it.note }, back.checkIns().map { it.mood to it.note })
        assertTrue(fresh.bench.prefs.get("kit_suggestion") == null, "no suggestion after a restore: she has her kit")

        // The lost phone, if it comes back online, is out and wipes what it holds.
        val report = phone.sync()
        assertTrue(report.all { it.removed }, "$report")
        back.close()
    }

    @Test
    fun aWrongWordIsRefusedByItsPositionAndNothingIsMade() {
        val typo = vector.split(' ').toMutableList().also { it[2] = "abandn" }.joinToString(" ")
        val whole = KitWords.check(typo)
        assertFalse(whole.ok)
        val said = Strings.englishSet.format(whole.problem!!)
        assertTrue(said.startsWith("Have another look: word 3 is not one of the recovery kit's words"), said)

        // While typing: a finished word off the list is named at once; the word being typed is left alone.
        assertEquals(3, KitWords.check("abandon abandon abandn ").count)
        assertTrue(Strings.englishSet.format(KitWords.check("abandon abandon abandn ").problem!!).contains("word 3"))
        assertEquals(KitCheck(count = 3), KitWords.check("abandon abandon aban"))
        // All on the list but not a kit together: the checksum, in kind words.
        val notAKit = KitWords.check(List(12) { "abandon" }.joinToString(" "))
        assertTrue(Strings.englishSet.format(notAKit.problem!!).contains("one of them is probably not quite right"))
        // The right words, however she wrote them: numbered, in capitals, on lines, or the QR code's text.
        assertTrue(KitWords.check("1. ABANDON 2. abandon\n" + List(9) { "abandon" }.joinToString(" ") + " 12. about").ok)
        assertTrue(KitWords.check("kindred-kit:1:" + vector.replace(' ', '-')).ok)

        val fresh = FreshDevice(f)
        fresh.first.editRestoreServer("https://sync.example.org")
        fresh.first.editKitWords(typo)
        assertTrue(Strings.englishSet.format(fresh.first.state.value.restore.wordsCheck.problem!!).contains("word 3"))
        fresh.first.restore()
        assertEquals(FirstRunStep.RESTORE, fresh.first.state.value.step)
        assertFalse(fresh.first.state.value.busy)
        fresh.assertClean()
        // Too few words: asked for all 12, nothing made.
        fresh.first.editKitWords("abandon abandon")
        fresh.first.restore()
        assertEquals(UiText(Keys.KIT_RESTORE_NEEDS_WORDS), fresh.first.state.value.restore.wordsCheck.problem)
        fresh.assertClean()
    }

    @Test
    fun theWriteDownCheckRefusesAWrongWordKindlyAndSheMayLookAgain(): Unit = runBlocking {
        val url = f.server()
        val phone = f.store("phone", url)
        val kit = kitModel(phone, seed = 11)
        val shown = kit.makeKit()
        kit.wroteItDown()
        val asks = kit.state.value.asks
        kit.checkAnswers()
        assertEquals(UiText(Keys.KIT_CHECK_EMPTY), kit.state.value.checkMessage)

        kit.editAnswer(0, shown.expected(asks[0]))
        kit.editAnswer(1, if (shown.expected(asks[1]) == "zoo") "zone" else "zoo")
        kit.checkAnswers()
        kit.state.value.let {
            assertEquals(KitStep.CHECK, it.step, "a wrong word: she tries again")
            assertEquals(UiText(Keys.KIT_CHECK_WRONG, asks[1].position), it.checkMessage)
            assertEquals(shown.words, it.words, "the words are still there to look at")
        }
        assertTrue(Strings.englishSet.format(kit.state.value.checkMessage!!).startsWith("Word ${asks[1].position} is not quite what your kit says."))

        kit.lookAgain()
        assertEquals(KitStep.SHOW, kit.state.value.step)
        assertEquals(shown.words, kit.state.value.words)
        kit.passCheck()
    }

    @Test
    fun twoSharesOfASplitKitBringEverythingBack(): Unit = runBlocking {
        val url = f.server()
        val phone = f.store("phone", url)
        phone.addGoal("Call my sister on Sundays")
        phone.sync()
        val kit = kitModel(phone, seed = 3)
        val shown = kit.makeKit(split = true)
        assertEquals(listOf(1, 2, 3), shown.shares.map { it.number })
        assertTrue(shown.words.isEmpty() && shown.qr == null, "a split kit shows its shares only")
        assertTrue(shown.shares.all { it.words.size == 12 && it.text.startsWith("share ${it.number} of 3: ") })
        assertTrue(shown.asks.all { it.share != null }, "the check asks for words of a share")
        kit.passCheck()

        val fresh = FreshDevice(f)
        fresh.first.editRestoreServer(url)
        fresh.first.useShares(true)
        // The same share twice is not enough.
        fresh.first.editKitShare(0, shown.shares[0].text)
        fresh.first.editKitShare(1, "1: " + shown.shares[0].words.mapIndexed { i, w -> "${i + 1}. $w" }.joinToString(" "))
        assertEquals(UiText(Keys.KIT_RESTORE_SAME_SHARE), fresh.first.state.value.restore.sharesMessage)
        fresh.first.restore()
        fresh.assertClean()
        // Her worker's share and the one on paper; her other devices kept.
        fresh.first.editKitShare(1, shown.shares[2].text)
        assertNull(fresh.first.state.value.restore.sharesMessage)
        assertEquals(listOf(1, 3), fresh.first.state.value.restore.shareChecks.map { it.share })
        fresh.first.setOthersLost(false)
        val after = fresh.restore()
        assertEquals(FirstRunStep.LOCK, after.step, "$after")
        assertEquals(listOf(UiText(Keys.KIT_RESTORED, UiText(Keys.KIT_WHAT_PERSONAL))), after.restored, "no device taken out")
        fresh.first.chooseNoLock()
        val back = fresh.done!!
        assertEquals(listOf("Call my sister on Sundays"), back.goals().map { it.title })

        // The phone is still hers; a new kit without the old one's words: the old one stops after the wait.
        phone.sync()
        val next = kitModel(phone, seed = 5)
        next.makeKit()
        next.passCheck()
        assertTrue(next.state.awaitState { it.hasKit && it.oldKitWaits }.oldKitWaits)
        back.close()
    }

    @Test
    fun theOldKitAfterAReplacementIsRefusedInWordsAndLeavesNothing(): Unit = runBlocking {
        val url = f.server()
        val phone = f.store("phone", url)
        phone.addCheckIn(3, note = "Slept a bit better")
        phone.sync()
        val first = kitModel(phone, seed = 1)
        val old = first.makeKit().words.joinToString(" ")
        first.passCheck()

        // A new kit, with the old one's words: the old one stops at once.
        first.openMaker()
        assertTrue(first.state.value.hasKit)
        val replaced = first.makeKit(oldWords = old)
        val new = replaced.words.joinToString(" ")
        first.passCheck()
        assertFalse(first.state.awaitState { it.hasKit }.oldKitWaits, "replaced with its words: nothing waits")

        val fresh = FreshDevice(f)
        fresh.first.editRestoreServer(url)
        fresh.first.editKitWords(old)
        val refused = fresh.restore()
        assertEquals(FirstRunStep.RESTORE, refused.step)
        assertEquals(UiText(Keys.KIT_RESTORE_NOT_HERE), refused.message, "$refused")
        assertTrue(Strings.englishSet.format(refused.message!!).contains("older kit that was replaced"))
        assertFalse(refused.restore.restoring)
        fresh.assertClean()

        // Offline: said kindly, nothing left either.
        fresh.first.editRestoreServer("http://127.0.0.1:9")
        fresh.first.editKitWords(new)
        assertEquals(UiText(Keys.KIT_RESTORE_OFFLINE), fresh.restore().message)
        fresh.assertClean()

        // First run starts clean: the new kit works on the same device.
        fresh.first.editRestoreServer(url)
        val after = fresh.restore()
        assertEquals(FirstRunStep.LOCK, after.step, "$after")
        fresh.first.chooseNoLock()
        val back = fresh.done!!
        assertEquals(listOf("Slept a bit better"), back.checkIns().map { it.note })
        back.close()
    }

    @Test
    fun addingOneOfHerDevicesByPairingBringsTheSuggestionToToday(): Unit = runBlocking {
        val url = f.server()
        val bench = Bench()
        bench.stores.create("phone", joining = false).use { it.setServer(url); it.sync() }
        val app = AppModel(bench.platform, f.scope, f.io)
        app.start().await()
        assertEquals(AppPhase.Ready, app.state.value.phase)
        val session = app.session!!
        val kit = session.recoveryKit
        assertFalse(kit.state.awaitState { it.loaded }.suggestOnToday, "set up before kits: no card on Today yet")

        val tablet = f.joiningStore("tablet")
        val sharing = session.sharing
        sharing.showOffer().await()
        val offer = sharing.state.value.offer!!
        tablet.pairJoinRequest(offer)
        sharing.state.awaitState { it.pairAsk != null }
        val joined = kotlinx.coroutines.CoroutineScope(f.io).async { tablet.pairJoinWait(offer, java.time.Duration.ofSeconds(60)) }
        sharing.pairYes().await()
        joined.await()
        assertEquals(Keys.PAIR_ADDED, sharing.state.value.message?.key)
        assertTrue(kit.state.awaitState { it.suggestOnToday }.suggestOnToday, "after pairing: the card on Today")
        app.close()
    }

    @Test
    fun theSuggestionComesAfterFirstRunOrPairingAndHidesForGood(): Unit = runBlocking {
        val bench = Bench()
        var made: KindredStore? = null
        val first = FirstRunModel(bench.platform, AppLock(bench.prefs, bench.clock, bench.platform.deviceSecurity), f.scope, f.io) { s, _ -> made = s }
        first.editDeviceName("phone")
        first.start(StartAs.FIRST_DEVICE)
        first.state.awaitState { it.step == FirstRunStep.LOCK }
        first.chooseNoLock()
        val store = made!!
        val kit = kitModel(store, bench)
        kit.refresh().await()
        kit.state.value.let {
            assertTrue(it.suggestOnToday, "after first run: one gentle card on Today")
            assertTrue(it.suggestInSettings)
            assertFalse(it.serverSet, "no sync server yet: Settings says what comes first")
        }
        kit.openMaker()
        assertEquals(KitStep.STATUS, kit.state.value.step, "no form without a sync server: Settings says to add one first")
        kit.make()
        assertEquals(KitStep.STATUS, kit.state.value.step)
        kit.hideSuggestion()
        assertFalse(kit.state.value.suggestOnToday || kit.state.value.suggestInSettings)
        kit.offerSuggestion()
        kit.refresh().await()
        assertFalse(kit.state.value.suggestOnToday || kit.state.value.suggestInSettings, "hidden for good, even after pairing")
        store.close()
    }
}
