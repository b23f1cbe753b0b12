package org.kindred.app

import java.security.MessageDigest
import java.security.SecureRandom
import java.time.Clock
import java.time.Duration
import java.time.Instant
import javax.crypto.SecretKeyFactory
import javax.crypto.spec.PBEKeySpec
import org.kindred.app.platform.DeviceSecurity
import org.kindred.app.platform.Preferences

/** How the app is locked. */
enum class LockMethod(val stored: String) {
    /** No app lock (the person's choice). */
    NONE("none"),

    /** A PIN for Kindred only. */
    PIN("pin"),

    /** Fingerprint or face first, the PIN always there as the way back in. */
    BIOMETRIC_OR_PIN("biometric_pin"),

    /** The device's own screen lock (fingerprint, face or its code), nothing else to remember. */
    DEVICE("device");

    companion object {
        fun of(stored: String?): LockMethod = entries.firstOrNull { it.stored == stored } ?: NONE
    }
}

/** How long Kindred may sit in the background before it asks again. */
enum class Relock(val after: Duration) {
    AT_ONCE(Duration.ZERO), AFTER_1_MINUTE(Duration.ofMinutes(1)), AFTER_5_MINUTES(Duration.ofMinutes(5)),
    AFTER_15_MINUTES(Duration.ofMinutes(15))
}

/** What happened to a PIN typed on the lock screen. */
sealed interface PinResult {
    data object Unlocked : PinResult
    data class Wrong(val attemptsBeforeWait: Int) : PinResult
    data class Wait(val until: Instant) : PinResult
}

/**
 * The app lock's rules, in one place and without UI:
 *
 * - the PIN is kept only as a salted PBKDF2 hash;
 * - after [FREE_TRIES] wrong PINs each further wrong one makes the screen wait,
 *   30 seconds, then twice as long each time up to 15 minutes, counted on the
 *   injected [clock] and remembered across restarts (never a lock-out for good);
 * - [LockMethod.DEVICE] on a device without a screen lock, or a lock method
 *   whose PIN is missing, does not lock at all: nobody is ever locked out of
 *   their own notes by a lock they could not have set up;
 * - after time in the background ([Relock]) the app locks again.
 */
class AppLock(
    private val prefs: Preferences,
    private val clock: Clock,
    private val device: DeviceSecurity,
) {
    companion object {
        const val FREE_TRIES = 5
        val FIRST_WAIT: Duration = Duration.ofSeconds(30)
        val LONGEST_WAIT: Duration = Duration.ofMinutes(15)
        private const val METHOD = "lock_method"
        private const val PIN_HASH = "lock_pin_hash"
        private const val WRONG = "lock_wrong_count"
        private const val WAIT_UNTIL = "lock_wait_until"
        private const val RELOCK = "lock_relock"
        private const val ITERATIONS = 120_000
    }

    val method: LockMethod get() = LockMethod.of(prefs.get(METHOD))

    var relock: Relock
        get() = Relock.entries.firstOrNull { it.name == prefs.get(RELOCK) } ?: Relock.AFTER_1_MINUTE
        set(value) = prefs.put(RELOCK, value.name)

    val hasPin: Boolean get() = prefs.get(PIN_HASH) != null

    /**
     * Whether opening the app asks for anything. False when no lock is set up,
     * and false (rather than a lock-out) when the chosen lock cannot work here.
     */
    val locksOnOpen: Boolean get() = when (method) {
        LockMethod.NONE -> false
        LockMethod.PIN, LockMethod.BIOMETRIC_OR_PIN -> hasPin
        LockMethod.DEVICE -> device.hasScreenLock()
    }

    /** True when the device lock was chosen but this device has no screen lock (Settings says so). */
    val deviceLockMissing: Boolean get() = method == LockMethod.DEVICE && !device.hasScreenLock()

    /** A PIN is 4 to 8 digits. Returns the words to show when it is not acceptable. */
    fun checkNewPin(pin: String): UiText? =
        if (pin.length in 4..8 && pin.all(Char::isDigit)) null else UiText(Keys.LOCK_PIN_RULE)

    fun usePin(pin: String, withBiometrics: Boolean): UiText? {
        checkNewPin(pin)?.let { return it }
        prefs.put(PIN_HASH, hash(pin, newSalt()))
        prefs.put(METHOD, if (withBiometrics) LockMethod.BIOMETRIC_OR_PIN.stored else LockMethod.PIN.stored)
        clearWrong()
        return null
    }

    /** The device's own lock; refused (with words) where the device has none. */
    fun useDeviceLock(): UiText? {
        if (!device.hasScreenLock()) return UiText(Keys.LOCK_DEVICE_NONE)
        prefs.put(METHOD, LockMethod.DEVICE.stored)
        prefs.put(PIN_HASH, null)
        return null
    }

    fun turnOff() {
        prefs.put(METHOD, LockMethod.NONE.stored)
        prefs.put(PIN_HASH, null)
        clearWrong()
    }

    /** When the lock screen may take a PIN again; null when it may now. */
    fun waitingUntil(): Instant? =
        prefs.get(WAIT_UNTIL)?.let(Instant::parse)?.takeIf { it.isAfter(clock.instant()) }

    fun enterPin(pin: String): PinResult {
        waitingUntil()?.let { return PinResult.Wait(it) }
        val stored = prefs.get(PIN_HASH) ?: return PinResult.Unlocked
        if (matches(pin, stored)) {
            clearWrong()
            return PinResult.Unlocked
        }
        val wrong = (prefs.get(WRONG)?.toIntOrNull() ?: 0) + 1
        prefs.put(WRONG, wrong.toString())
        if (wrong < FREE_TRIES) return PinResult.Wrong(FREE_TRIES - wrong)
        val doublings = (wrong - FREE_TRIES).coerceAtMost(10)
        val wait = FIRST_WAIT.multipliedBy(1L shl doublings).coerceAtMost(LONGEST_WAIT)
        val until = clock.instant().plus(wait)
        prefs.put(WAIT_UNTIL, until.toString())
        return PinResult.Wait(until)
    }

    /** Whether coming back after [since] in the background should lock. */
    fun shouldRelock(since: Instant): Boolean =
        locksOnOpen && Duration.between(since, clock.instant()) >= relock.after

    private fun clearWrong() {
        prefs.put(WRONG, null)
        prefs.put(WAIT_UNTIL, null)
    }

    private fun newSalt(): ByteArray = ByteArray(16).also(SecureRandom()::nextBytes)

    private fun hash(pin: String, salt: ByteArray): String {
        val spec = PBEKeySpec(pin.toCharArray(), salt, ITERATIONS, 256)
        val bytes = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).encoded
        val enc = java.util.Base64.getEncoder()
        return enc.encodeToString(salt) + ":" + enc.encodeToString(bytes)
    }

    private fun matches(pin: String, stored: String): Boolean {
        val salt = java.util.Base64.getDecoder().decode(stored.substringBefore(':'))
        return MessageDigest.isEqual(hash(pin, salt).toByteArray(), stored.toByteArray())
    }
}
