package org.kindred.app

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import org.kindred.KindredStore
import org.kindred.app.platform.Platform
import org.kindred.ffi.KindredException
import org.kindred.restoreFromKit

enum class FirstRunStep { CHOOSE, JOIN, RESTORE, LOCK }

/**
 * Bringing everything back with a recovery kit: the sync server's
 * address, and the kit's 12 words or two of its shares, each checked as
 * typed; whether her other devices are lost (they are taken out and wipe
 * what they hold if they come back), or kept.
 */
data class RestoreForm(
    val server: String = "",
    val serverMessage: UiText? = null,
    /** Two shares of a split kit instead of the 12 words. */
    val withShares: Boolean = false,
    val words: String = "",
    val wordsCheck: KitCheck = KitCheck(),
    val shares: List<String> = listOf("", ""),
    val shareChecks: List<KitCheck> = listOf(KitCheck(), KitCheck()),
    /** The two shares are the same one. */
    val sharesMessage: UiText? = null,
    /** Her other devices are lost (the default): they are taken out of her Kindred. */
    val othersLost: Boolean = true,
    val restoring: Boolean = false,
)

/** The three ways in. */
enum class StartAs { FIRST_DEVICE, OTHER_DEVICE, WORKER }

data class FirstRunState(
    val step: FirstRunStep = FirstRunStep.CHOOSE,
    val deviceName: String = "",
    /** The pairing text from the other device (pasted, or read from its QR code). */
    val offer: String = "",
    val canScan: Boolean = false,
    /** Offer "Use my device's lock" only where the device has one. */
    val deviceLockAvailable: Boolean = false,
    val biometricsAvailable: Boolean = false,
    val pin: String = "",
    val pinAgain: String = "",
    val busy: Boolean = false,
    /** Shown while joining: the other device should show its code. */
    val waitingForOtherDevice: Boolean = false,
    /** The code this device shows while joining; the other device shows the same one. */
    val pairCode: org.kindred.PairCode? = null,
    val message: UiText? = null,
    val restore: RestoreForm = RestoreForm(),
    /** After a restore, on the lock step: what came back, in her words. */
    val restored: List<UiText> = emptyList(),
)

/**
 * First run: a new person's first device, another of their devices
 * (joined with the offer from the first one: `initJoining`, then
 * `pairJoinRequest` shows the code both screens show and `pairJoinWait` waits for the
 * other device's yes, so both share one personal space), or a peer support worker
 * (the work area turns on). Then an app lock, or none.
 */
/** What the screen can ask of its state holder (no-ops by default, for previews and screenshots). */
interface FirstRunActions {
    fun editDeviceName(name: String) {}
    fun editOffer(text: String) {}
    fun editPin(pin: String) {}
    fun editPinAgain(pin: String) {}
    fun start(way: StartAs) {}
    fun scan() {}
    fun join() {}
    fun back() {}
    fun choosePin(withBiometrics: Boolean) {}
    fun chooseDeviceLock() {}
    fun chooseNoLock() {}
    /** "I have a recovery kit": the restore form. */
    fun startRestore() {}
    fun editRestoreServer(text: String) {}
    fun useShares(on: Boolean) {}
    fun editKitWords(text: String) {}
    fun editKitShare(index: Int, text: String) {}
    fun setOthersLost(lost: Boolean) {}
    fun scanKit() {}
    fun restore() {}
}

class FirstRunModel(
    private val platform: Platform,
    private val lock: AppLock,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val onDone: (KindredStore, worker: Boolean) -> Unit,
) : StateHolder<FirstRunState>(
    FirstRunState(
        deviceName = platform.stores.suggestedDeviceName,
        canScan = platform.qrScanner.available,
        deviceLockAvailable = platform.deviceSecurity.hasScreenLock(),
        biometricsAvailable = platform.biometrics.available,
    ),
    scope, io,
), FirstRunActions {
    private var store: KindredStore? = null
    private var worker = false
    /** The store was made to join another device or for a restore: going back throws it away. */
    private var joiningStore = false
    private var restoredFromKit = false

    override fun failed(message: UiText) = update {
        it.copy(busy = false, waitingForOtherDevice = false, pairCode = null, message = message, restore = it.restore.copy(restoring = false))
    }

    override fun editDeviceName(name: String) = update { it.copy(deviceName = name.take(60), message = null) }

    override fun editOffer(text: String) = update { it.copy(offer = text, message = null) }

    override fun editPin(pin: String) = update { it.copy(pin = pin.filter(Char::isDigit).take(8), message = null) }

    override fun editPinAgain(pin: String) = update { it.copy(pinAgain = pin.filter(Char::isDigit).take(8), message = null) }

    override fun start(way: StartAs) {
        val name = state.value.deviceName.trim()
        if (name.isEmpty()) {
            update { it.copy(message = UiText(Keys.FIRST_NAME_NEEDED)) }
            return
        }
        worker = way == StartAs.WORKER
        update { it.copy(busy = true, message = null) }
        work {
            if (store == null) {
                store = platform.stores.create(name, joining = way == StartAs.OTHER_DEVICE)
                joiningStore = way == StartAs.OTHER_DEVICE
            }
            update {
                it.copy(busy = false, step = if (way == StartAs.OTHER_DEVICE) FirstRunStep.JOIN else FirstRunStep.LOCK)
            }
        }
    }

    /** Reads the other device's QR code with the camera. */
    override fun scan() {
        work {
            val text = platform.qrScanner.scan() ?: return@work
            update { it.copy(offer = text) }
            join()
        }
    }

    /** Joins the other device with the offer text; both then hold the same data. */
    override fun join() {
        val offer = state.value.offer.trim()
        if (offer.isEmpty()) {
            update { it.copy(message = UiText(Keys.FIRST_OFFER_NEEDED)) }
            return
        }
        val joining = store ?: return
        update { it.copy(busy = true, waitingForOtherDevice = true, message = null) }
        work {
            val code = joining.pairJoinRequest(offer)
            update { it.copy(pairCode = code) }
            // The other device's person compares the code and says yes there.
            joining.pairJoinWait(offer, java.time.Duration.ofMinutes(5))
            update { it.copy(busy = false, waitingForOtherDevice = false, pairCode = null, step = FirstRunStep.LOCK) }
        }
    }

    override fun back() {
        if (state.value.busy) return
        update { it.copy(step = FirstRunStep.CHOOSE, message = null, restore = RestoreForm()) }
        // A store made to join another device is of no use to a first device: nothing half-made stays.
        if (joiningStore) work { discard() }
    }

    /** Closes a store made to join or restore and deletes its key and data, so first run starts clean. */
    private suspend fun discard() {
        val made = store ?: return
        store = null
        joiningStore = false
        withContext(NonCancellable) {
            runCatching { made.close() }
            runCatching { platform.stores.destroy() }
        }
    }

    // ----- restoring from a recovery kit -------------------------------------------

    override fun startRestore() {
        if (state.value.deviceName.isBlank()) return update { it.copy(message = UiText(Keys.FIRST_NAME_NEEDED)) }
        update { it.copy(step = FirstRunStep.RESTORE, message = null) }
    }

    /** Changes the form (not while it is being used to restore). */
    private fun form(change: (RestoreForm) -> RestoreForm) = update { if (it.busy) it else it.copy(restore = change(it.restore), message = null) }

    override fun editRestoreServer(text: String) = form { it.copy(server = text.take(512), serverMessage = null) }

    override fun useShares(on: Boolean) = form { it.copy(withShares = on, sharesMessage = null) }

    override fun editKitWords(text: String) = form { it.copy(words = text.take(400), wordsCheck = KitWords.check(text)) }

    override fun editKitShare(index: Int, text: String) = form { r ->
        if (index !in r.shares.indices) return@form r
        val shares = r.shares.toMutableList().also { it[index] = text.take(400) }
        val checks = r.shareChecks.toMutableList().also { it[index] = KitWords.checkShare(text) }
        r.copy(shares = shares, shareChecks = checks, sharesMessage = sameShare(checks))
    }

    private fun sameShare(checks: List<KitCheck>): UiText? =
        if (checks.all { it.ok } && checks.map { it.share }.distinct().size < checks.size) UiText(Keys.KIT_RESTORE_SAME_SHARE) else null

    override fun setOthersLost(lost: Boolean) = form { it.copy(othersLost = lost) }

    /** Reads the kit's QR code (on its paper) with the camera. */
    override fun scanKit() {
        work {
            val text = platform.qrScanner.scan() ?: return@work
            if (!KitWords.isQr(text)) return@work update { it.copy(message = UiText(Keys.KIT_NOT_A_KIT_CODE)) }
            val words = KitWords.normalize(text)
            form { it.copy(withShares = false, words = words, wordsCheck = KitWords.check(words, typing = false)) }
        }
    }

    /**
     * Makes a store that joins (as for pairing), and the kit brings her
     * records back into it from the relay. If anything goes wrong the store
     * is closed and its key and data deleted, and the form stays with kind
     * words: nothing half-made is left, and first run can start clean.
     */
    override fun restore() {
        val s = state.value
        val r = s.restore
        if (s.busy) return
        val name = s.deviceName.trim()
        if (name.isEmpty()) return update { it.copy(message = UiText(Keys.FIRST_NAME_NEEDED)) }
        val server = r.server.trim()
        val plain = server.startsWith("http://", ignoreCase = true)
        val shaped = (server.startsWith("https://", ignoreCase = true) || plain) &&
            server.substringAfter("://").isNotEmpty() && server.none(Char::isWhitespace)
        if (!shaped) return form { it.copy(serverMessage = UiText(Keys.SETTINGS_SERVER_RULE)) }
        var words: String? = null
        var shares: List<String> = emptyList()
        if (!r.withShares) {
            val check = KitWords.check(r.words, typing = false)
            if (!check.ok) return form { it.copy(wordsCheck = check.copy(problem = check.problem ?: UiText(Keys.KIT_RESTORE_NEEDS_WORDS))) }
            words = KitWords.normalize(r.words)
        } else {
            val checks = r.shares.map { KitWords.checkShare(it, typing = false) }
            if (checks.any { !it.ok }) {
                return form {
                    it.copy(shareChecks = checks.map { c -> if (c.ok || c.problem != null) c else c.copy(problem = UiText(Keys.KIT_RESTORE_NEEDS_SHARES)) })
                }
            }
            sameShare(checks)?.let { same -> return form { it.copy(shareChecks = checks, sharesMessage = same) } }
            shares = r.shares.map { KitWords.normalizeShare(it) ?: it.trim() }
        }
        update { it.copy(busy = true, message = null, restore = it.restore.copy(restoring = true)) }
        work {
            discard()
            val made = try {
                platform.stores.create(name, joining = true)
            } catch (e: Exception) {
                // Whatever the platform made before it stopped goes too.
                withContext(NonCancellable) { runCatching { platform.stores.destroy() } }
                throw e
            }
            store = made
            joiningStore = true
            val back = try {
                made.restoreFromKit(server, words, shares, keepOldDevices = !r.othersLost)
            } catch (e: CancellationException) {
                discard()
                throw e
            } catch (e: Exception) {
                discard()
                val problem = when (e) {
                    is KindredException.Offline -> UiText(Keys.KIT_RESTORE_OFFLINE)
                    is KindredException.NotAllowed -> UiText(Keys.KIT_RESTORE_NOT_HERE)
                    is KindredException.InvalidInput -> {
                        val key = if (plain) Keys.SETTINGS_SERVER_PLAIN_HTTP else Keys.SETTINGS_SERVER_RULE
                        return@work update { it.copy(busy = false, restore = it.restore.copy(restoring = false, serverMessage = UiText(key))) }
                    }
                    else -> UiText(Keys.KIT_RESTORE_SOMETHING)
                }
                return@work update { it.copy(busy = false, message = problem, restore = it.restore.copy(restoring = false)) }
            }
            worker = runCatching { made.contacts().isNotEmpty() }.getOrDefault(false)
            restoredFromKit = true
            joiningStore = false
            val said = listOfNotNull(
                kitKinds(back.spaces, withCaseload = worker)?.let { UiText(Keys.KIT_RESTORED, it) },
                if (back.removedDevices > 0) UiText(Keys.KIT_RESTORED_REMOVED) else null,
            )
            // The words leave the state: the form is emptied.
            update { it.copy(busy = false, step = FirstRunStep.LOCK, restore = RestoreForm(), restored = said) }
        }
    }

    override fun choosePin(withBiometrics: Boolean) {
        val s = state.value
        if (s.pin != s.pinAgain) {
            update { it.copy(message = UiText(Keys.LOCK_PINS_DIFFER)) }
            return
        }
        lock.usePin(s.pin, withBiometrics && s.biometricsAvailable)?.let { msg -> update { it.copy(message = msg) }; return }
        finish()
    }

    override fun chooseDeviceLock() {
        lock.useDeviceLock()?.let { msg -> update { it.copy(message = msg) }; return }
        finish()
    }

    override fun chooseNoLock() {
        lock.turnOff()
        finish()
    }

    private fun finish() {
        val s = store ?: return
        if (worker) platform.preferences.put(AppModel.WORK_AREA, "true")
        // A gentle word on Today about a recovery kit (she just used hers, after a restore).
        if (!restoredFromKit) KitSuggestion.offer(platform.preferences)
        onDone(s, worker)
    }
}
