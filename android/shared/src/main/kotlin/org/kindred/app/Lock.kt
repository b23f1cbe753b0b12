package org.kindred.app

import java.time.Clock
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import org.kindred.app.platform.BiometricResult
import org.kindred.app.platform.Biometrics

data class LockState(
    val pin: String = "",
    /** Offer "Use fingerprint or face" (the PIN pad is always there too). */
    val biometrics: Boolean = false,
    /** The device's own lock is the lock: one button, no PIN pad. */
    val deviceLock: Boolean = false,
    val message: UiText? = null,
    /** True while the screen waits after wrong PINs: the keypad takes no PIN. */
    val waiting: Boolean = false,
    val busy: Boolean = false,
)

/**
 * The lock screen. A cancelled fingerprint prompt leaves the PIN pad
 * showing (never a blank screen); wrong PINs make it wait (see [AppLock]).
 * The duress PIN looks exactly like the right PIN here (the screen clears
 * and the app opens); [onDuress] is told which profile to delete first, if any.
 */
/** What the screen can ask of its state holder (no-ops by default, for previews and screenshots). */
interface LockActions {
    fun digit(d: Char) {}
    fun erase() {}
    fun submit() {}
    fun useBiometrics(reason: String) {}
}

class LockModel(
    private val lock: AppLock,
    private val biometrics: Biometrics,
    private val clock: Clock,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val onUnlocked: () -> Unit,
    private val onDuress: (destroy: Profile?) -> Unit = {},
) : StateHolder<LockState>(LockState(), scope, io), LockActions {
    override fun failed(message: UiText) = update { it.copy(message = message, busy = false) }

    /** Fresh for the next time the lock shows. */
    fun reset() = update {
        LockState(
            biometrics = lock.method == LockMethod.BIOMETRIC_OR_PIN && biometrics.available,
            deviceLock = lock.method == LockMethod.DEVICE,
        ).withWait()
    }

    private fun LockState.withWait(): LockState {
        val until = lock.waitingUntil() ?: return copy(waiting = false)
        return copy(waiting = true, message = UiText(Keys.LOCK_WAIT_UNTIL, timeOfDay(until)))
    }

    private fun timeOfDay(at: java.time.Instant): String =
        DateTimeFormatter.ofPattern("HH:mm:ss").format(at.atZone(clock.zone ?: ZoneId.systemDefault()))

    override fun digit(d: Char) {
        if (!d.isDigit()) return
        update { s -> if (s.pin.length >= 8) s else s.copy(pin = s.pin + d, message = if (s.waiting) s.message else null) }
    }

    override fun erase() = update { it.copy(pin = it.pin.dropLast(1)) }

    /** Checks the typed PIN (on [io]: the hash is slow on purpose). */
    override fun submit() {
        val pin = state.value.pin
        if (pin.isEmpty()) return
        update { it.copy(busy = true) }
        work {
            when (val r = lock.enterPin(pin)) {
                PinResult.Unlocked -> {
                    update { LockState() }
                    onUnlocked()
                }
                is PinResult.Duress -> {
                    update { LockState() }
                    onDuress(r.destroy)
                }
                is PinResult.Wrong -> update {
                    it.copy(pin = "", busy = false, waiting = false, message = UiText(Keys.LOCK_PIN_WRONG, r.attemptsBeforeWait))
                }
                is PinResult.Wait -> update {
                    it.copy(pin = "", busy = false, waiting = true, message = UiText(Keys.LOCK_WAIT_UNTIL, timeOfDay(r.until)))
                }
            }
        }
    }

    /** Fingerprint, face or the device's lock; a cancel just leaves the lock screen as it was. */
    override fun useBiometrics(reason: String) {
        work {
            when (biometrics.authenticate(reason)) {
                BiometricResult.OK -> {
                    update { LockState() }
                    onUnlocked()
                }
                BiometricResult.CANCELLED -> update {
                    // The device-lock screen has no PIN pad: it only offers to try again.
                    it.copy(message = UiText(if (it.deviceLock) Keys.LOCK_DEVICE_CANCELLED else Keys.LOCK_BIOMETRIC_CANCELLED))
                }
                BiometricResult.UNAVAILABLE -> {
                    // The device lock went away (or never was): never a lock-out.
                    if (!lock.locksOnOpen) {
                        update { LockState() }
                        onUnlocked()
                    } else {
                        update { it.copy(biometrics = false, message = UiText(Keys.LOCK_USE_PIN)) }
                    }
                }
            }
        }
    }
}
