package org.kindred.app

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import org.kindred.KindredStore
import org.kindred.app.platform.Platform

enum class FirstRunStep { CHOOSE, JOIN, LOCK }

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

    override fun failed(message: UiText) =
        update { it.copy(busy = false, waitingForOtherDevice = false, pairCode = null, message = message) }

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
            if (store == null) store = platform.stores.create(name, joining = way == StartAs.OTHER_DEVICE)
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

    override fun back() = update { it.copy(step = FirstRunStep.CHOOSE, message = null) }

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
        onDone(s, worker)
    }
}
