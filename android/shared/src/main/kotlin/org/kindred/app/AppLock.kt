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

/**
 * Whose data a session shows: the person's [OWN] Kindred, or the empty
 * one the duress PIN opens ([DECOY]), with its own data folder and key.
 */
enum class Profile { OWN, DECOY }

/** What happened to a PIN typed on the lock screen. */
sealed interface PinResult {
    data object Unlocked : PinResult

    /**
     * The duress PIN: open the empty Kindred. [destroy] is the profile whose
     * key and data go first, as the person chose (null: nothing is deleted).
     */
    data class Duress(val destroy: Profile?) : PinResult
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
 * - after time in the background ([Relock]) the app locks again;
 * - an optional duress PIN (a salted PBKDF2 hash too, never the same as the
 *   PIN) opens an empty Kindred ([Profile.DECOY]), and, where the person
 *   chose so, deletes this device's key to their own data first. Every PIN
 *   typed is checked against both hashes (a made-up one where there is no
 *   duress PIN), and a duress PIN counts like the right PIN: neither the
 *   wrong-PIN count nor the time taken tells which PINs exist. While it is
 *   set the lock is the PIN alone (fingerprint, face or the device's lock
 *   would open the person's own data, and someone can make them use those).
 *
 * Inside the empty Kindred its settings look like any Kindred's: its "PIN"
 * is the duress PIN, and it can have a duress PIN of its own (which opens
 * it too, and deletes only its own data). [Profile] says whose view is asked.
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
        private const val DURESS_HASH = "lock_duress_hash"
        private const val DURESS_DESTROYS = "lock_duress_destroys"
        private const val DECOY_DURESS_HASH = "lock_decoy_duress_hash"
        private const val DECOY_DURESS_DESTROYS = "lock_decoy_duress_destroys"
        private const val ITERATIONS = 120_000
    }

    /** A salt for the made-up hash a PIN is checked against where there is no duress PIN (same work either way). */
    private val standInSalt: ByteArray by lazy { newSalt() }

    val method: LockMethod get() = LockMethod.of(prefs.get(METHOD))

    var relock: Relock
        get() = Relock.entries.firstOrNull { it.name == prefs.get(RELOCK) } ?: Relock.AFTER_1_MINUTE
        set(value) = prefs.put(RELOCK, value.name)

    val hasPin: Boolean get() = prefs.get(PIN_HASH) != null

    /** True when the person's own Kindred has a duress PIN (then nothing of it opens before the PIN). */
    val hasDuress: Boolean get() = hasPin && prefs.get(DURESS_HASH) != null

    /** Whether [profile] has a duress PIN of its own (for the empty Kindred: one set inside it). */
    fun duressSet(profile: Profile): Boolean = when (profile) {
        Profile.OWN -> hasDuress
        Profile.DECOY -> hasDuress && prefs.get(DECOY_DURESS_HASH) != null
    }

    /** Whether using [profile]'s duress PIN deletes that profile's key and data first. */
    fun duressDestroys(profile: Profile): Boolean = duressSet(profile) && prefs.get(destroysKey(profile)) == "true"

    /** The lock method [profile]'s settings show: the empty Kindred is always locked by its PIN (the duress PIN). */
    fun methodFor(profile: Profile): LockMethod = if (profile == Profile.DECOY) LockMethod.PIN else method

    /**
     * Sets or changes [profile]'s duress PIN. It needs a PIN lock, 4 to 8
     * digits, and a PIN that is not already one of the others. Turns
     * fingerprint and face off (see the class notes). Returns the words to
     * show when it cannot be used. Slow on purpose (PBKDF2): call it off the UI thread.
     */
    fun setDuressPin(pin: String, destroys: Boolean, profile: Profile = Profile.OWN): UiText? {
        if (!hasPin) return UiText(Keys.SETTINGS_DURESS_NEEDS_PIN)
        checkNewPin(pin)?.let { return it }
        if (takenElsewhere(pin, duressHashKey(profile))) return UiText(Keys.LOCK_PIN_TAKEN)
        prefs.put(duressHashKey(profile), hash(pin, newSalt()))
        prefs.put(destroysKey(profile), destroys.toString())
        if (method == LockMethod.BIOMETRIC_OR_PIN) prefs.put(METHOD, LockMethod.PIN.stored)
        return null
    }

    /** The person's choice: also delete [profile]'s key and data when its duress PIN is used. */
    fun setDuressDestroys(on: Boolean, profile: Profile = Profile.OWN) {
        if (duressSet(profile)) prefs.put(destroysKey(profile), on.toString())
    }

    /** No duress PIN for [profile] any more; for [Profile.OWN] the empty Kindred's own settings go too. */
    fun turnDuressOff(profile: Profile = Profile.OWN) {
        prefs.put(duressHashKey(profile), null)
        prefs.put(destroysKey(profile), null)
        if (profile == Profile.OWN) {
            prefs.put(DECOY_DURESS_HASH, null)
            prefs.put(DECOY_DURESS_DESTROYS, null)
        }
    }

    private fun duressHashKey(profile: Profile) = if (profile == Profile.OWN) DURESS_HASH else DECOY_DURESS_HASH

    private fun destroysKey(profile: Profile) = if (profile == Profile.OWN) DURESS_DESTROYS else DECOY_DURESS_DESTROYS

    /** Where each PIN there may be is kept: the PIN, the duress PIN, the empty Kindred's own duress PIN. */
    private fun pinKeys(): List<String> = listOf(PIN_HASH, DURESS_HASH, DECOY_DURESS_HASH)

    /** True when [pin] is already one of the PINs other than the one under [except]. */
    private fun takenElsewhere(pin: String, except: String): Boolean =
        pinKeys().filter { it != except }.any { k -> prefs.get(k)?.let { matches(pin, it) } == true }

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

    /**
     * Sets or changes the PIN of [profile]: the person's own PIN, or (inside
     * the empty Kindred) the one that opens it, which is the duress PIN.
     * Never one of the other PINs; no fingerprint or face while a duress PIN is set.
     */
    fun usePin(pin: String, withBiometrics: Boolean, profile: Profile = Profile.OWN): UiText? {
        checkNewPin(pin)?.let { return it }
        val key = if (profile == Profile.OWN) PIN_HASH else DURESS_HASH
        if (profile == Profile.DECOY && !hasDuress) return UiText(Keys.SETTINGS_DURESS_NEEDS_PIN)
        if (takenElsewhere(pin, key)) return UiText(Keys.LOCK_PIN_TAKEN)
        prefs.put(key, hash(pin, newSalt()))
        if (profile == Profile.OWN) {
            val biometrics = withBiometrics && !hasDuress
            prefs.put(METHOD, if (biometrics) LockMethod.BIOMETRIC_OR_PIN.stored else LockMethod.PIN.stored)
        }
        clearWrong()
        return null
    }

    /** The device's own lock; refused (with words) where the device has none. A duress PIN goes with the PIN. */
    fun useDeviceLock(): UiText? {
        if (!device.hasScreenLock()) return UiText(Keys.LOCK_DEVICE_NONE)
        prefs.put(METHOD, LockMethod.DEVICE.stored)
        prefs.put(PIN_HASH, null)
        turnDuressOff()
        return null
    }

    /** No lock; a duress PIN goes with the PIN. */
    fun turnOff() {
        prefs.put(METHOD, LockMethod.NONE.stored)
        prefs.put(PIN_HASH, null)
        turnDuressOff()
        clearWrong()
    }

    /** When the lock screen may take a PIN again; null when it may now. */
    fun waitingUntil(): Instant? =
        prefs.get(WAIT_UNTIL)?.let(Instant::parse)?.takeIf { it.isAfter(clock.instant()) }

    /**
     * Checks a PIN typed on the lock screen. The PIN and the duress PIN are
     * both checked every time (against a made-up hash where there is no
     * duress PIN), and the duress PIN clears the wrong-PIN count as the PIN
     * does: nothing about the answer, the count or the time taken says which
     * PINs exist.
     */
    fun enterPin(pin: String): PinResult {
        waitingUntil()?.let { return PinResult.Wait(it) }
        val stored = prefs.get(PIN_HASH) ?: return PinResult.Unlocked
        val own = matches(pin, stored)
        val duressHash = prefs.get(DURESS_HASH)
        val duress = if (duressHash != null) matches(pin, duressHash) else hash(pin, standInSalt).isEmpty()
        val decoyDuress = duressHash != null && prefs.get(DECOY_DURESS_HASH)?.let { matches(pin, it) } == true
        if (own) {
            clearWrong()
            return PinResult.Unlocked
        }
        if (duress || decoyDuress) {
            clearWrong()
            val profile = if (duress) Profile.OWN else Profile.DECOY
            return PinResult.Duress(if (prefs.get(destroysKey(profile)) == "true") profile else null)
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
