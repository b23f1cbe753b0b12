package org.kindred.app

import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.advanceUntilIdle
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.app.platform.BiometricResult
import org.kindred.app.platform.Biometrics
import org.kindred.app.platform.MemoryPreferences

/** The lock screen's holder, without UI: a cancelled prompt keeps the lock up and says what to do next. */
@OptIn(ExperimentalCoroutinesApi::class)
class LockModelTest {
    private class Prompt(var answer: BiometricResult) : Biometrics {
        override val available = true
        var asked = 0
        override suspend fun authenticate(reason: String): BiometricResult { asked++; return answer }
    }

    private fun TestScope.model(lock: AppLock, prompt: Prompt, onUnlocked: () -> Unit) =
        LockModel(lock, prompt, MovableClock(), this, StandardTestDispatcher(testScheduler), onUnlocked).also { it.reset() }

    @Test
    fun aCancelledFingerprintLeavesThePinPadAndThePinStillWorks() = runTest {
        val lock = AppLock(MemoryPreferences(), MovableClock()) { true }
        lock.usePin("2468", withBiometrics = true)
        var unlocked = 0
        val prompt = Prompt(BiometricResult.CANCELLED)
        val m = model(lock, prompt) { unlocked++ }
        assertTrue(m.state.value.biometrics)
        m.useBiometrics("open Kindred"); advanceUntilIdle()
        assertEquals(1, prompt.asked)
        assertEquals(0, unlocked, "a cancel never opens the app")
        assertEquals(UiText(Keys.LOCK_BIOMETRIC_CANCELLED), m.state.value.message)
        assertFalse(m.state.value.deviceLock, "the PIN pad is still the way in")
        "2468".forEach(m::digit)
        m.submit(); advanceUntilIdle()
        assertEquals(1, unlocked)
    }

    @Test
    fun aCancelledDeviceLockOffersToTryAgainNotAPinItDoesNotHave() = runTest {
        val lock = AppLock(MemoryPreferences(), MovableClock()) { true }
        lock.useDeviceLock()
        var unlocked = 0
        val prompt = Prompt(BiometricResult.CANCELLED)
        val m = model(lock, prompt) { unlocked++ }
        assertTrue(m.state.value.deviceLock)
        m.useBiometrics("open Kindred"); advanceUntilIdle()
        assertEquals(0, unlocked)
        assertEquals(UiText(Keys.LOCK_DEVICE_CANCELLED), m.state.value.message)
        prompt.answer = BiometricResult.OK
        m.useBiometrics("open Kindred"); advanceUntilIdle()
        assertEquals(1, unlocked, "trying again works")
    }

    @Test
    fun aDeviceLockThatWentAwayOpensRatherThanLockingOut() = runTest {
        var hasLock = true
        val lock = AppLock(MemoryPreferences(), MovableClock()) { hasLock }
        lock.useDeviceLock()
        var unlocked = 0
        val m = model(lock, Prompt(BiometricResult.UNAVAILABLE)) { unlocked++ }
        hasLock = false
        m.useBiometrics("open Kindred"); advanceUntilIdle()
        assertEquals(1, unlocked)
    }
}
