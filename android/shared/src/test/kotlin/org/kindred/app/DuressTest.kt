package org.kindred.app

import java.time.Duration
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
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
import org.kindred.ContactWay
import org.kindred.KindredStore
import org.kindred.ReminderKind
import org.kindred.ffi.KindredException
import org.kindred.nextReminders
import org.kindred.planContact
import org.kindred.setCheckInReminders
import org.kindred.app.platform.MemoryPreferences
import org.kindred.app.platform.Preferences

/**
 * The duress PIN (issue 16): a second PIN that opens an empty Kindred and,
 * where the person chose so, deletes this device's key to their own data.
 * On the real core, with stores in temporary folders.
 */
@OptIn(ExperimentalCoroutinesApi::class)
class DuressTest {
    private fun TestScope.app(bench: Bench) = AppModel(bench.platform, this, StandardTestDispatcher(testScheduler))

    /** Preferences that can be read whole (to see that no PIN is kept as it was typed). */
    private class SeenPreferences : Preferences {
        val values = mutableMapOf<String, String>()
        override fun get(key: String) = values[key]
        override fun put(key: String, value: String?) {
            if (value == null) values.remove(key) else values[key] = value
        }
    }

    private fun AppModel.typePin(pin: String) {
        pin.forEach(lockScreen::digit)
        lockScreen.submit()
    }

    /** The person's own data: a check-in with a note and a goal; a PIN, and a duress PIN. */
    private suspend fun ownDataLockedWithADuressPin(bench: Bench, destroys: Boolean) {
        bench.stores.create("Sam's phone", false).use { k ->
            k.addCheckIn(2, note = "Rough night after the meeting")
            k.addGoal("Go back to the choir")
        }
        val lock = AppLock(bench.prefs, bench.clock, bench.platform.deviceSecurity)
        assertNull(lock.usePin("2468", withBiometrics = false))
        assertNull(lock.setDuressPin("1357", destroys))
    }

    @Test
    fun aDuressPinIsKeptHashedFollowsThePinRulesAndNeverMatchesAnotherPin() {
        val prefs = SeenPreferences()
        val lock = AppLock(prefs, MovableClock()) { true }
        assertEquals(UiText(Keys.SETTINGS_DURESS_NEEDS_PIN), lock.setDuressPin("1357", false), "a duress PIN needs a PIN lock")
        assertNull(lock.usePin("2468", withBiometrics = true))
        assertEquals(LockMethod.BIOMETRIC_OR_PIN, lock.method)

        assertEquals(UiText(Keys.LOCK_PIN_TAKEN), lock.setDuressPin("2468", false), "never the same as the PIN")
        for (bad in listOf("12", "12a4", "123456789", "", "    ")) {
            assertEquals(UiText(Keys.LOCK_PIN_RULE), lock.setDuressPin(bad, false), "\"$bad\" is not 4 to 8 digits")
        }
        assertFalse(lock.hasDuress)
        assertNull(lock.setDuressPin("1357", destroys = false))
        assertTrue(lock.hasDuress)
        assertEquals(LockMethod.PIN, lock.method, "fingerprint and face are off while a duress PIN is set")
        assertTrue(prefs.values.values.none { "1357" in it || "2468" in it }, "only salted hashes are kept: ${prefs.values}")

        assertEquals(PinResult.Unlocked, lock.enterPin("2468"))
        assertEquals(PinResult.Duress(destroy = null), lock.enterPin("1357"))
        lock.setDuressDestroys(true)
        assertEquals(PinResult.Duress(destroy = Profile.OWN), lock.enterPin("1357"))
        assertTrue(lock.duressDestroys(Profile.OWN))

        // The PIN cannot become the duress PIN either, and stays PIN-only.
        assertEquals(UiText(Keys.LOCK_PIN_TAKEN), lock.usePin("1357", withBiometrics = false))
        assertNull(lock.usePin("8642", withBiometrics = true))
        assertEquals(LockMethod.PIN, lock.method)
        assertEquals(PinResult.Unlocked, lock.enterPin("8642"))
        assertTrue(lock.enterPin("2468") is PinResult.Wrong, "the old PIN is gone")

        lock.turnDuressOff()
        assertFalse(lock.hasDuress)
        assertFalse(lock.duressDestroys(Profile.OWN))
        assertTrue(lock.enterPin("1357") is PinResult.Wrong, "turned off: just a wrong PIN")

        // Turning the lock off (or to the device's lock) takes the duress PIN with it.
        assertNull(lock.setDuressPin("1357", false))
        lock.turnOff()
        assertFalse(lock.hasDuress)
        assertTrue(prefs.values.keys.none { it.contains("duress") }, "nothing of it left: ${prefs.values.keys}")
        assertNull(lock.usePin("2468", false)); assertNull(lock.setDuressPin("1357", false))
        assertNull(lock.useDeviceLock())
        assertFalse(lock.hasDuress)
    }

    @Test
    fun wrongPinsCountTheSameWhetherOrNotADuressPinExists() {
        val plain = AppLock(MemoryPreferences(), MovableClock()) { false }
        val duress = AppLock(MemoryPreferences(), MovableClock()) { false }
        plain.usePin("2468", false)
        duress.usePin("2468", false)
        duress.setDuressPin("1357", destroys = true)
        val tries = listOf("0000", "1111", "9999", "1234")
        assertEquals(tries.map(plain::enterPin), tries.map(duress::enterPin))
        // The duress PIN ends the count as the PIN does: the next wrong one reads the same on both.
        assertEquals(PinResult.Unlocked, plain.enterPin("2468"))
        assertTrue(duress.enterPin("1357") is PinResult.Duress)
        assertEquals(PinResult.Wrong(AppLock.FREE_TRIES - 1), plain.enterPin("0000"))
        assertEquals(PinResult.Wrong(AppLock.FREE_TRIES - 1), duress.enterPin("0000"))
        // And it waits like the PIN after too many wrong ones.
        repeat(AppLock.FREE_TRIES) { plain.enterPin("0000"); duress.enterPin("0000") }
        assertTrue(duress.enterPin("1357") is PinResult.Wait)
        assertTrue(plain.enterPin("2468") is PinResult.Wait)
    }

    @Test
    fun theDuressPinOpensAnEmptyKindredAndThePinStillOpensTheOwnData() = runTest {
        val bench = Bench()
        ownDataLockedWithADuressPin(bench, destroys = false)
        val app = app(bench)
        app.start(); advanceUntilIdle()
        assertEquals(AppPhase.Locked, app.state.value.phase)
        assertNull(app.session, "nothing is opened before a PIN")
        assertEquals(0, bench.stores.opened)
        val tabs = app.state.value.destinations

        app.typePin("1357"); advanceUntilIdle()
        assertEquals(AppPhase.Ready, app.state.value.phase)
        val empty = app.session!!
        assertEquals(Profile.DECOY, empty.profile)
        assertEquals(0, bench.stores.opened, "the own data was never opened")
        assertTrue(empty.store.checkIns().isEmpty())
        assertTrue(empty.store.goals().isEmpty())
        assertEquals("my phone", empty.store.device().name)
        assertEquals(tabs, app.state.value.destinations, "the same tabs")
        assertEquals(Destination.TODAY, app.state.value.destination)
        assertTrue(bench.stores.exists(), "nothing deleted: the person did not choose it")
        assertEquals(0, bench.stores.destroyed)
        // Her reminders are not shown from inside the empty one (it has none of its own).
        assertTrue(bench.fires.isEmpty())
        empty.store.addCheckIn(3) // what someone does inside it stays there

        // Back from the background: locked again, and nothing stays open behind the lock.
        app.backgrounded(); bench.clock.advance(Duration.ofMinutes(2)); app.foregrounded()
        assertEquals(AppPhase.Locked, app.state.value.phase)
        assertNull(app.session)

        app.typePin("2468"); advanceUntilIdle()
        assertEquals(AppPhase.Ready, app.state.value.phase)
        val own = app.session!!
        assertEquals(Profile.OWN, own.profile)
        assertEquals(listOf("Rough night after the meeting"), own.store.checkIns().map { it.note })
        assertEquals(1, own.store.goals().size)
        app.close()

        // A restart asks first, and the duress PIN finds the same empty Kindred.
        val again = app(bench)
        again.start(); advanceUntilIdle()
        assertEquals(AppPhase.Locked, again.state.value.phase)
        again.typePin("1357"); advanceUntilIdle()
        assertEquals(Profile.DECOY, again.session!!.profile)
        assertEquals(listOf(3), again.session!!.store.checkIns().map { it.mood })
        again.close()
    }

    @Test
    fun withDeletionChosenTheKeyAndDataAreGoneAndThePinFindsFirstRun() = runTest {
        val bench = Bench()
        ownDataLockedWithADuressPin(bench, destroys = true)
        // Someone copied the data folder beforehand (or the flash still holds it).
        val copy = java.nio.file.Files.createTempDirectory("kindred-copy").toFile().also { it.deleteOnExit() }
        bench.stores.dir.copyRecursively(copy, overwrite = true)

        val app = app(bench)
        app.start(); advanceUntilIdle()
        app.typePin("1357"); advanceUntilIdle()
        assertEquals(AppPhase.Ready, app.state.value.phase, "opens like any Kindred")
        assertEquals(Profile.DECOY, app.session!!.profile)
        assertTrue(app.session!!.store.checkIns().isEmpty())
        assertEquals(1, bench.stores.destroyed)
        assertNull(bench.stores.key, "the key is gone from the key store")
        assertFalse(bench.stores.exists(), "and the data from this device")
        val reopen = runCatching { KindredStore.open(copy, bench.stores.keys) }
        assertTrue(reopen.exceptionOrNull() is KindredException.KeyUnavailable, "a copy of the files opens no more: ${reopen.exceptionOrNull()}")

        // The PIN now finds no data: first run, where the person can start again.
        app.backgrounded(); bench.clock.advance(Duration.ofMinutes(2)); app.foregrounded()
        assertEquals(AppPhase.Locked, app.state.value.phase)
        app.typePin("2468"); advanceUntilIdle()
        assertEquals(AppPhase.FirstRun, app.state.value.phase)
        assertNull(app.session)
        app.close()

        // After a restart it still asks for a PIN first (no sign of what happened).
        val again = app(bench)
        again.start(); advanceUntilIdle()
        assertEquals(AppPhase.Locked, again.state.value.phase)
        again.typePin("1357"); advanceUntilIdle()
        assertEquals(Profile.DECOY, again.session!!.profile)
        assertFalse(bench.stores.exists())
        again.backgrounded(); bench.clock.advance(Duration.ofMinutes(2)); again.foregrounded()
        again.typePin("2468"); advanceUntilIdle()
        assertEquals(AppPhase.FirstRun, again.state.value.phase)
        val first = again.firstRun
        first.start(StartAs.FIRST_DEVICE); advanceUntilIdle()
        assertEquals(FirstRunStep.LOCK, first.state.value.step)
        first.editPin("1357"); first.editPinAgain("1357"); first.choosePin(false)
        assertEquals(UiText(Keys.LOCK_PIN_TAKEN), first.state.value.message, "the duress PIN is still the duress PIN")
        first.editPin("2468"); first.editPinAgain("2468"); first.choosePin(false); advanceUntilIdle()
        assertEquals(AppPhase.Ready, again.state.value.phase)
        assertEquals(Profile.OWN, again.session!!.profile)
        assertTrue(again.session!!.store.checkIns().isEmpty(), "a fresh start: nothing of the old data")
        again.close()
    }

    @Test
    fun settingsSetChangeAndTurnOffTheDuressPinWithTheDeletionChoice() = runTest {
        val bench = Bench()
        bench.stores.create("phone", false).close()
        val app = app(bench)
        app.start(); advanceUntilIdle()
        val s = app.session!!.settings
        advanceUntilIdle()
        assertTrue(s.state.value.duressAvailable)
        assertFalse(s.state.value.duressOn)

        // No PIN lock yet: it says what it needs.
        s.openDuressForm(); s.editDuressPin("1357"); s.editDuressPinAgain("1357"); s.saveDuressPin(); advanceUntilIdle()
        assertEquals(UiText(Keys.SETTINGS_DURESS_NEEDS_PIN), s.state.value.duressMessage)
        s.openPinForm(); s.editPin("2468"); s.editPinAgain("2468"); s.savePin()
        assertEquals(LockMethod.PIN, s.state.value.lockMethod)

        s.openDuressForm()
        assertFalse(s.state.value.duressDestroysDraft, "deleting the key is off unless chosen")
        s.editDuressPin("13a5"); assertEquals("135", s.state.value.duressPin, "digits only")
        s.editDuressPin("1357"); s.editDuressPinAgain("1375"); s.saveDuressPin(); advanceUntilIdle()
        assertEquals(UiText(Keys.LOCK_PINS_DIFFER), s.state.value.duressMessage)
        s.editDuressPin("2468"); s.editDuressPinAgain("2468"); s.saveDuressPin(); advanceUntilIdle()
        assertEquals(UiText(Keys.LOCK_PIN_TAKEN), s.state.value.duressMessage, "not the PIN itself")
        s.editDuressPin("12"); s.editDuressPinAgain("12"); s.saveDuressPin(); advanceUntilIdle()
        assertEquals(UiText(Keys.LOCK_PIN_RULE), s.state.value.duressMessage)
        assertFalse(app.lock.hasDuress)
        assertTrue(s.state.value.choosingDuress, "the form stays open to try again")

        s.editDuressPin("1357"); s.editDuressPinAgain("1357"); s.setDuressDestroysDraft(true); s.saveDuressPin(); advanceUntilIdle()
        with(s.state.value) {
            assertEquals(UiText(Keys.SETTINGS_DURESS_SAVED), duressMessage)
            assertFalse(choosingDuress)
            assertTrue(duressOn)
            assertTrue(duressDestroys)
            assertTrue(pinOnly, "the PIN alone while a duress PIN is set")
            assertFalse(deviceLockAvailable)
        }
        assertEquals(PinResult.Duress(Profile.OWN), app.lock.enterPin("1357"))
        s.setDuressDestroys(false)
        assertFalse(s.state.value.duressDestroys)
        assertEquals(PinResult.Duress(null), app.lock.enterPin("1357"))
        s.turnLockOff()
        assertEquals(LockMethod.PIN, app.lock.method, "the lock stays while a duress PIN is set")

        // Change it.
        s.openDuressForm(); s.editDuressPin("8642"); s.editDuressPinAgain("8642"); s.saveDuressPin(); advanceUntilIdle()
        assertTrue(app.lock.enterPin("1357") is PinResult.Wrong)
        assertEquals(PinResult.Duress(null), app.lock.enterPin("8642"))

        // Turn it off: the empty Kindred it opened is deleted from this device too.
        bench.decoys.create("my phone", false).close()
        s.turnDuressOff(); advanceUntilIdle()
        assertEquals(UiText(Keys.SETTINGS_DURESS_OFF_SAVED), s.state.value.duressMessage)
        assertFalse(s.state.value.duressOn)
        assertFalse(s.state.value.pinOnly)
        assertFalse(bench.decoys.exists())
        assertTrue(app.lock.enterPin("8642") is PinResult.Wrong)
        app.close()
    }

    @Test
    fun insideTheEmptyKindredTheLockSettingsAreItsOwn() = runTest {
        val bench = Bench()
        ownDataLockedWithADuressPin(bench, destroys = false)
        val app = app(bench)
        app.start(); advanceUntilIdle()
        app.typePin("1357"); advanceUntilIdle()
        val s = app.session!!.settings
        advanceUntilIdle()
        with(s.state.value) {
            assertEquals(LockMethod.PIN, lockMethod, "locked by a PIN, like any Kindred opened with one")
            assertFalse(duressOn, "no duress PIN here yet")
            assertTrue(duressAvailable)
            assertTrue(pinOnly)
        }
        // Its "PIN" is the duress PIN; it can never become the person's own PIN.
        s.openPinForm(); s.editPin("2468"); s.editPinAgain("2468"); s.savePin()
        assertEquals(UiText(Keys.LOCK_PIN_TAKEN), s.state.value.message)
        s.editPin("1111"); s.editPinAgain("1111"); s.savePin()
        assertEquals(UiText(Keys.LOCK_PIN_SAVED), s.state.value.message)
        assertEquals(PinResult.Duress(null), app.lock.enterPin("1111"))
        assertTrue(app.lock.enterPin("1357") is PinResult.Wrong)
        assertEquals(PinResult.Unlocked, app.lock.enterPin("2468"), "the person's own PIN is untouched")

        // A duress PIN of its own opens it too, and deletes only its own data.
        s.openDuressForm(); s.editDuressPin("2222"); s.editDuressPinAgain("2222"); s.setDuressDestroysDraft(true); s.saveDuressPin()
        advanceUntilIdle()
        assertTrue(s.state.value.duressOn)
        assertEquals(PinResult.Duress(Profile.DECOY), app.lock.enterPin("2222"))
        s.turnLockOff(); s.useDeviceLock()
        assertEquals(LockMethod.PIN, app.lock.method, "the lock cannot be turned off from inside it")
        app.session!!.store.addCheckIn(5)

        app.backgrounded(); bench.clock.advance(Duration.ofMinutes(2)); app.foregrounded()
        app.typePin("2222"); advanceUntilIdle()
        assertEquals(Profile.DECOY, app.session!!.profile)
        assertTrue(app.session!!.store.checkIns().isEmpty(), "its own data went, as chosen inside it")
        assertEquals(0, bench.stores.destroyed)
        assertTrue(bench.stores.exists())

        app.backgrounded(); bench.clock.advance(Duration.ofMinutes(2)); app.foregrounded()
        app.typePin("2468"); advanceUntilIdle()
        assertEquals(Profile.OWN, app.session!!.profile)
        assertEquals(1, app.session!!.store.checkIns().size)
        app.close()
    }

    @Test
    fun noRecordTextReachesANotification() = runTest {
        val bench = Bench()
        bench.stores.create("phone", false).use { k ->
            k.setCheckInReminders(listOf(java.time.LocalTime.of(21, 0) to emptySet()))
            k.addCheckIn(1, note = "Drank again after the court letter")
            val goal = k.addGoal("Stay away from Jamie's flat")
            k.addStep(goal, "Tell my sponsor about the relapse worries", LocalDate.of(2026, 3, 6))
            val contact = k.addContact("Jamie Ortega")
            k.planContact(contact, OffsetDateTime.of(2026, 3, 5, 15, 0, 0, 0, ZoneOffset.UTC), ContactWay.CALL, "Ask about the methadone clinic")
        }
        val app = app(bench)
        app.start(); advanceUntilIdle()
        val kinds = app.session!!.store.nextReminders(bench.clock.instant(), java.time.ZoneId.of("UTC"), ReminderSchedule.DAYS).map { it.kind }.toSet()
        assertEquals(ReminderKind.entries.toSet(), kinds, "every kind of reminder is there to check")
        assertTrue(bench.fires.isNotEmpty())
        for (f in bench.fires) {
            assertEquals("Kindred", f.title)
            for (private in listOf("Drank", "court", "Jamie", "flat", "sponsor", "relapse", "methadone", "Ortega", "clinic")) {
                assertFalse(f.toString().contains(private, ignoreCase = true), "nothing of what was written reaches a notification: $f")
            }
        }
        assertNull(bench.scheduled, "no daily reminder with words of its own")
        app.close()
    }
}
