package org.kindred.app

import java.nio.file.Files
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.LocalTime
import java.time.ZoneId
import java.time.ZoneOffset
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.advanceUntilIdle
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.KindredStore
import org.kindred.checkInReminders
import org.kindred.StorageKeys
import org.kindred.app.platform.BiometricResult
import org.kindred.app.platform.Biometrics
import org.kindred.app.platform.Dialer
import org.kindred.app.platform.MemoryPreferences
import org.kindred.app.platform.Notifications
import org.kindred.app.platform.Platform
import org.kindred.app.platform.QrScanner
import org.kindred.app.platform.ShareSheet
import org.kindred.app.platform.StoreFactory

class MovableClock(private var now: Instant = Instant.parse("2026-03-04T10:00:00Z")) : Clock() {
    override fun getZone(): ZoneId = ZoneOffset.UTC
    override fun withZone(zone: ZoneId): Clock = this
    override fun instant(): Instant = now
    fun advance(d: Duration) { now = now.plus(d) }
}

/** A device for state-holder tests: real store in a temp folder, platform services as plain fakes. */
class Bench(val screenLock: Boolean = false, val notificationsAllowed: Boolean = true, val region: String = "US") {
    val clock = MovableClock()
    val prefs = MemoryPreferences()
    val calls = mutableListOf<String>()
    val shared = mutableListOf<String>()
    var scheduled: LocalTime? = null
    /** What the core's reminders handed the platform last. */
    var fires: List<org.kindred.app.platform.ScheduledReminder> = emptyList()
    /** The person's own data, and the empty Kindred's, each in a folder with a key of its own. */
    val stores = DirStores("kindred-holders")
    val decoys = DirStores("kindred-holders-2")
    val platform = Platform(
        stores, prefs,
        object : Dialer {
            override val canCall = true
            override fun call(number: String) { calls += "call $number" }
            override fun text(number: String) { calls += "text $number" }
        },
        object : Biometrics {
            override val available = false
            override suspend fun authenticate(reason: String) = BiometricResult.UNAVAILABLE
        },
        { screenLock },
        object : Notifications {
            override suspend fun requestPermission() = notificationsAllowed
            override fun scheduleDaily(at: LocalTime, title: String, text: String) { scheduled = at }
            override fun cancelDaily() { scheduled = null }
            override fun scheduleAll(fires: List<org.kindred.app.platform.ScheduledReminder>) { this@Bench.fires = fires }
        },
        object : QrScanner {
            override val available = false
            override suspend fun scan(): String? = null
        },
        object : ShareSheet {
            override suspend fun share(fileName: String, mimeType: String, content: ByteArray): String {
                shared += fileName
                return "/exports/$fileName"
            }
        },
        clock, region,
        decoyStores = decoys,
    )
}

/**
 * A data folder and its key store, as a platform keeps them: a key made
 * with the data, and [destroy] deletes the key for good, then the data.
 */
class DirStores(prefix: String, override val suggestedDeviceName: String = "my phone") : StoreFactory {
    val dir: java.io.File = Files.createTempDirectory(prefix).toFile().also { it.deleteOnExit() }

    /** What the key store holds (null: no key, or deleted). */
    @Volatile var key: ByteArray? = null
    var destroyed = 0
    val keys = StorageKeys { key?.copyOf() ?: error("no key in the key store") }

    override fun exists() = java.io.File(dir, "kindred.db").exists()

    // Unconfined: every core call runs at once on the test's thread, so
    // advanceUntilIdle() has nothing left running elsewhere.
    override suspend fun open(): KindredStore {
        opened++
        return KindredStore.open(dir, keys, Dispatchers.Unconfined)
    }

    /** How many times [open] was asked. */
    var opened = 0

    override suspend fun create(deviceName: String, joining: Boolean): KindredStore {
        if (key == null) key = ByteArray(32).also(java.security.SecureRandom()::nextBytes)
        return if (joining) KindredStore.createJoining(dir, keys, deviceName, Dispatchers.Unconfined)
        else KindredStore.create(dir, keys, deviceName, Dispatchers.Unconfined)
    }

    override suspend fun destroy() {
        key?.fill(0)
        key = null
        dir.listFiles()?.forEach { it.deleteRecursively() }
        destroyed++
    }
}

@OptIn(ExperimentalCoroutinesApi::class)
class StateHoldersTest {
    private fun TestScope.app(bench: Bench) = AppModel(bench.platform, this, StandardTestDispatcher(testScheduler))

    @Test
    fun firstRunThenTodayTwoTapsBackDatingEditAndDelete() = runTest {
        val bench = Bench()
        val app = app(bench)
        app.start(); advanceUntilIdle()
        assertEquals(AppPhase.FirstRun, app.state.value.phase)

        val first = app.firstRun
        first.editDeviceName("  ")
        first.start(StartAs.FIRST_DEVICE)
        assertEquals(UiText(Keys.FIRST_NAME_NEEDED), first.state.value.message, "a name is needed, nothing made")
        assertFalse(bench.stores.exists())
        first.editDeviceName("Sam's phone")
        first.start(StartAs.FIRST_DEVICE); advanceUntilIdle()
        assertEquals(FirstRunStep.LOCK, first.state.value.step)
        first.chooseNoLock(); advanceUntilIdle()
        assertEquals(AppPhase.Ready, app.state.value.phase)
        assertFalse(app.state.value.workArea)

        val today = app.session!!.today
        advanceUntilIdle()
        assertTrue(today.state.value.loaded && today.state.value.recent.isEmpty())
        today.save()
        assertEquals(UiText(Keys.CHECKIN_PICK_MOOD), today.state.value.message)
        today.pickMood(4) // tap one
        assertTrue(today.state.value.open)
        today.save(); advanceUntilIdle() // tap two
        assertEquals(UiText(Keys.CHECKIN_SAVED), today.state.value.message)
        val row = today.state.value.recent.single()
        assertEquals(4, row.mood)
        assertEquals(UiText(Keys.WHEN_TODAY_AT, "10:00"), row.at)
        assertEquals(1, today.state.value.weeks.last().count)
        assertNull(today.state.value.mood, "fresh for the next one")

        // Back-dated to yesterday night, with a tag and a note.
        today.pickMood(2); today.toggleTag("sleep"); today.editNote(" rough night ")
        today.pickDay(1)
        assertEquals(PartOfDay.EVENING, today.state.value.partOfDay, "a past day needs a time of day")
        today.pickPartOfDay(PartOfDay.NIGHT)
        today.save(); advanceUntilIdle()
        val back = today.state.value.recent.first { it.mood == 2 }
        assertEquals(UiText(Keys.WHEN_YESTERDAY_AT, "22:00"), back.at)
        assertEquals("rough night", back.note)
        assertEquals(listOf("sleep"), today.state.value.suggestedTags)

        // A time later today than now is kept at now.
        today.pickDay(0); today.pickPartOfDay(PartOfDay.NIGHT)
        assertEquals(bench.clock.instant(), today.occurredAt().toInstant())
        today.cancelEdit()

        today.edit(back.id); advanceUntilIdle()
        assertEquals(back.id, today.state.value.editingId)
        assertEquals(1, today.state.value.daysBack)
        today.pickMood(3); today.save(); advanceUntilIdle()
        assertEquals(UiText(Keys.CHECKIN_CHANGED), today.state.value.message)
        assertEquals(3, today.state.value.recent.first { it.id == back.id }.mood)
        assertEquals(2, today.state.value.recent.size, "changed, not added")

        today.askDelete(back.id)
        today.keep()
        assertNull(today.state.value.confirmDelete)
        today.askDelete(back.id); today.confirmDelete(); advanceUntilIdle()
        assertEquals(listOf(row.id), today.state.value.recent.map { it.id })

        // An error becomes words in the state, never a crash.
        app.session!!.store.close()
        today.pickMood(5); today.save(); advanceUntilIdle()
        assertEquals(UiText(Keys.ERROR_SOMETHING), today.state.value.error)
        assertFalse(today.state.value.saving)
        app.close()
    }

    @Test
    fun aWorkerStartsWithTheWorkAreaAndReopensLockedByPin() = runTest {
        val bench = Bench()
        val app = app(bench)
        app.start(); advanceUntilIdle()
        app.firstRun.start(StartAs.WORKER); advanceUntilIdle()
        app.firstRun.editPin("12"); app.firstRun.editPinAgain("12")
        app.firstRun.choosePin(withBiometrics = false)
        assertEquals(UiText(Keys.LOCK_PIN_RULE), app.firstRun.state.value.message)
        app.firstRun.editPin("1234"); app.firstRun.editPinAgain("1243")
        app.firstRun.choosePin(withBiometrics = false)
        assertEquals(UiText(Keys.LOCK_PINS_DIFFER), app.firstRun.state.value.message)
        app.firstRun.editPinAgain("1234")
        app.firstRun.choosePin(withBiometrics = false); advanceUntilIdle()
        assertEquals(AppPhase.Ready, app.state.value.phase, "no PIN asked right after choosing it")
        assertTrue(app.state.value.workArea)
        app.close()

        val again = app(bench)
        again.start(); advanceUntilIdle()
        assertEquals(AppPhase.Locked, again.state.value.phase)
        "1234".forEach(again.lockScreen::digit)
        again.lockScreen.submit(); advanceUntilIdle()
        assertEquals(AppPhase.Ready, again.state.value.phase)
        assertTrue(again.state.value.workArea)
        again.close()
    }

    @Test
    fun wrongPinsWaitLongerEachTimeAndTheWaitSurvivesARestart() {
        val bench = Bench()
        val lock = AppLock(bench.prefs, bench.clock, bench.platform.deviceSecurity)
        assertFalse(lock.locksOnOpen)
        assertEquals(UiText(Keys.LOCK_PIN_RULE), lock.usePin("12a4", withBiometrics = false))
        assertNull(lock.usePin("8642", withBiometrics = false))
        assertTrue(lock.locksOnOpen)
        repeat(AppLock.FREE_TRIES - 1) { assertTrue(lock.enterPin("0000") is PinResult.Wrong) }
        val first = lock.enterPin("0000") as PinResult.Wait
        assertEquals(bench.clock.instant().plus(AppLock.FIRST_WAIT), first.until)
        assertTrue(lock.enterPin("8642") is PinResult.Wait, "the right PIN waits too")
        val restarted = AppLock(bench.prefs, bench.clock, bench.platform.deviceSecurity)
        assertEquals(first.until, restarted.waitingUntil())
        bench.clock.advance(AppLock.FIRST_WAIT)
        val second = restarted.enterPin("0000") as PinResult.Wait
        assertEquals(bench.clock.instant().plus(AppLock.FIRST_WAIT.multipliedBy(2)), second.until)
        repeat(12) { bench.clock.advance(Duration.ofHours(1)); restarted.enterPin("0000") }
        assertEquals(bench.clock.instant().plus(AppLock.LONGEST_WAIT), restarted.waitingUntil(), "never longer than 15 minutes")
        bench.clock.advance(AppLock.LONGEST_WAIT)
        assertEquals(PinResult.Unlocked, restarted.enterPin("8642"))
        assertNull(restarted.waitingUntil())
        assertEquals(PinResult.Wrong(AppLock.FREE_TRIES - 1), restarted.enterPin("0000"), "the count starts again")
    }

    @Test
    fun theDeviceLockNeverLocksOutADeviceWithoutOne() {
        var hasLock = true
        val prefs = MemoryPreferences()
        val lock = AppLock(prefs, MovableClock()) { hasLock }
        assertNull(lock.useDeviceLock())
        assertTrue(lock.locksOnOpen)
        hasLock = false
        assertFalse(lock.locksOnOpen, "the screen lock was removed: open without asking")
        assertTrue(lock.deviceLockMissing)
        assertEquals(UiText(Keys.LOCK_DEVICE_NONE), AppLock(MemoryPreferences(), MovableClock()) { false }.useDeviceLock())
    }

    @Test
    fun relocksOnlyAfterTheChosenTimeInTheBackground() = runTest {
        val bench = Bench()
        bench.stores.create("phone", false).close()
        AppLock(bench.prefs, bench.clock, bench.platform.deviceSecurity).usePin("1234", false)
        val app = app(bench)
        app.start(); advanceUntilIdle()
        "1234".forEach(app.lockScreen::digit); app.lockScreen.submit(); advanceUntilIdle()
        assertEquals(AppPhase.Ready, app.state.value.phase)
        app.lock.relock = Relock.AFTER_5_MINUTES
        app.backgrounded(); bench.clock.advance(Duration.ofMinutes(4)); app.foregrounded()
        assertEquals(AppPhase.Ready, app.state.value.phase)
        app.backgrounded(); bench.clock.advance(Duration.ofMinutes(5)); app.foregrounded()
        assertEquals(AppPhase.Locked, app.state.value.phase)
        app.close()
    }

    @Test
    fun helpHasTheRegionsLinesAndTheyCanBeChanged() {
        val bench = Bench(region = "GB")
        val lines = CrisisLines(bench.prefs, "GB")
        val help = HelpModel(lines, bench.platform.dialer)
        assertEquals("116 123", help.state.value.lines.single().number)
        help.call(help.state.value.lines.single())
        assertEquals(listOf("call 116 123"), bench.calls)
        help.startEditing()
        help.editNew(name = "Sponsor", number = "call me")
        help.add()
        assertEquals(UiText(Keys.HELP_NUMBER_RULE), help.state.value.message)
        assertEquals(1, help.state.value.lines.size, "nothing added")
        help.editNew(number = "+44 7700 900123", canText = true)
        help.add()
        assertEquals(2, help.state.value.lines.size)
        help.remove(help.state.value.lines.first())
        val kept = CrisisLines(bench.prefs, "GB").lines()
        assertEquals(listOf(CrisisLine("Sponsor", "+44 7700 900123", canCall = true, canText = true)), kept, "kept across restarts")
        help.restoreDefaults()
        assertEquals(CrisisLines.defaultsFor("GB"), help.state.value.lines)
        assertEquals("988", CrisisLines.defaultsFor("US").single().number)
        assertTrue(CrisisLines.defaultsFor("US").single().canText)
        assertEquals("112", CrisisLines.defaultsFor("ZZ").single().number)
    }

    @Test
    fun theSyncServerAddressIsCheckedThenSavedAndAWrongOneChangesNothing() = runTest {
        val bench = Bench()
        bench.stores.create("phone", false).close()
        val app = app(bench)
        app.start(); advanceUntilIdle()
        val settings = app.session!!.settings
        advanceUntilIdle()
        assertNull(settings.state.value.server)
        for (wrong in listOf("sync.example.org", "https://", "ftp://sync.example.org", "https://sync example.org")) {
            settings.editServer(wrong)
            settings.saveServer(); advanceUntilIdle()
            assertEquals(UiText(Keys.SETTINGS_SERVER_RULE), settings.state.value.serverMessage, wrong)
            assertNull(app.session!!.store.server(), "nothing saved for $wrong")
        }
        // Plain http:// to another computer: said in plain words, nothing saved.
        for (plain in listOf("http://sync.example.org", "http://192.168.1.20:8787", "HTTP://10.0.2.2:8787")) {
            settings.editServer(plain)
            settings.saveServer(); advanceUntilIdle()
            val said = settings.state.value.serverMessage
            assertEquals(UiText(Keys.SETTINGS_SERVER_PLAIN_HTTP), said, plain)
            assertTrue(Strings.englishSet.format(said!!).contains("https://"), plain)
            assertNull(app.session!!.store.server(), "nothing saved for $plain")
        }
        // The core refuses it too, in the same words, if the first look misses it.
        val refused = runCatching { app.session!!.store.setServer("http://sync.example.org") }.exceptionOrNull()
        assertTrue(refused is org.kindred.ffi.KindredException.InvalidInput, "$refused")
        assertTrue(refused!!.message!!.contains("https://"), refused.message)
        // On this device, plain http:// is fine.
        settings.editServer("http://127.0.0.1:8787")
        settings.saveServer(); advanceUntilIdle()
        assertEquals(UiText(Keys.SETTINGS_SERVER_SAVED), settings.state.value.serverMessage)
        assertEquals("http://127.0.0.1:8787", app.session!!.store.server())
        settings.editServer("  https://sync.example.org/  ")
        assertNull(settings.state.value.serverMessage, "typing clears the rule")
        settings.saveServer(); advanceUntilIdle()
        assertEquals(UiText(Keys.SETTINGS_SERVER_SAVED), settings.state.value.serverMessage)
        assertEquals("https://sync.example.org", settings.state.value.server)
        assertEquals("https://sync.example.org", app.session!!.store.server())
        app.close()
    }

    @Test
    fun aCountOfOneReadsAsOne() {
        val words = Strings.englishSet
        assertEquals("Everything is saved on this phone. 1 change will sync when you are online.", words.format(UiText(Keys.SYNC_WAITING, 1L)))
        assertEquals("Everything is saved on this phone. 3 changes will sync when you are online.", words.format(UiText(Keys.SYNC_WAITING, 3L)))
        assertEquals("That PIN did not match. 1 more try before a short wait.", words.format(UiText(Keys.LOCK_PIN_WRONG, 1)))
        assertEquals("That PIN did not match. 4 more tries before a short wait.", words.format(UiText(Keys.LOCK_PIN_WRONG, 4)))
    }

    @Test
    fun settingsRemindersNeedPermissionAndExportGoesToTheShareSheet() = runTest {
        val bench = Bench(notificationsAllowed = false)
        bench.stores.create("phone", false).close()
        val app = app(bench)
        app.start(); advanceUntilIdle()
        val settings = app.session!!.settings
        settings.setReminders(true); advanceUntilIdle()
        assertFalse(settings.state.value.remindersOn)
        assertTrue(settings.state.value.notificationsBlocked)
        assertTrue(bench.fires.isEmpty())

        val allowed = Bench()
        allowed.stores.create("phone", false).close()
        val app2 = app(allowed)
        app2.start(); advanceUntilIdle()
        val s2 = app2.session!!.settings
        s2.moveReminder(-90)
        s2.setReminders(true); advanceUntilIdle()
        assertTrue(s2.state.value.remindersOn)
        // The clock reads 2026-03-04 10:00 UTC: the next 18:30 is today's.
        assertEquals(java.time.Instant.parse("2026-03-04T18:30:00Z"), allowed.fires.first().at)
        assertEquals(8, allowed.fires.size, "one a day for the next 8 days")
        assertTrue(allowed.fires.all { it.title == "Kindred" })
        s2.moveReminder(30); advanceUntilIdle()
        assertEquals(java.time.Instant.parse("2026-03-04T19:00:00Z"), allowed.fires.first().at)
        assertEquals(LocalTime.of(19, 0), app2.session!!.store.checkInReminders().single().at, "kept in the core")
        s2.setReminders(false); advanceUntilIdle()
        assertTrue(allowed.fires.isEmpty())

        s2.openPinForm(); s2.editPin("2468"); s2.editPinAgain("2468"); s2.savePin()
        assertEquals(LockMethod.PIN, s2.state.value.lockMethod)
        s2.useDeviceLock()
        assertEquals(UiText(Keys.LOCK_DEVICE_NONE), s2.state.value.message, "no screen lock here")
        assertEquals(LockMethod.PIN, s2.state.value.lockMethod)
        s2.turnLockOff()
        assertEquals(LockMethod.NONE, s2.state.value.lockMethod)

        s2.setWorkArea(true)
        assertTrue(app2.state.value.workArea)
        s2.export(); advanceUntilIdle()
        assertEquals(listOf("kindred-2026-03-04.json"), allowed.shared)
        assertEquals("/exports/kindred-2026-03-04.json", s2.state.value.exportedTo)
        assertNotNull(s2.state.value.message)
        app.close(); app2.close()
    }

    @Test
    fun aReminderTimeKeptOnThisDeviceByAnEarlierVersionMovesIntoTheCore() = runTest {
        val bench = Bench()
        bench.stores.create("phone", false).close()
        bench.prefs.put("reminder_on", "true")
        bench.prefs.put("reminder_at", "07:30")
        bench.scheduled = LocalTime.of(7, 30)
        val app = app(bench)
        app.start(); advanceUntilIdle()
        val settings = app.session!!.settings
        advanceUntilIdle()
        assertTrue(settings.state.value.remindersOn)
        assertEquals(LocalTime.of(7, 30), settings.state.value.reminderAt)
        assertEquals(LocalTime.of(7, 30), app.session!!.store.checkInReminders().single().at)
        assertNull(bench.prefs.get("reminder_on"), "moved, not copied")
        assertNull(bench.scheduled, "the old daily schedule is gone")
        assertEquals(java.time.Instant.parse("2026-03-05T07:30:00Z"), bench.fires.first().at)
        app.close()
    }
}
