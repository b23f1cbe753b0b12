package org.kindred.app

import java.time.LocalDate
import java.time.LocalTime
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import org.kindred.KindredStore
import org.kindred.checkInReminders
import org.kindred.setCheckInReminders

data class SettingsState(
    val lockMethod: LockMethod = LockMethod.NONE,
    val relock: Relock = Relock.AFTER_1_MINUTE,
    val biometricsAvailable: Boolean = false,
    val deviceLockAvailable: Boolean = false,
    /** The device lock was chosen, but this device has none now: the app opens without asking. */
    val deviceLockMissing: Boolean = false,
    /** The PIN form is open (set or change the PIN). */
    val choosingPin: Boolean = false,
    val pin: String = "",
    val pinAgain: String = "",
    val pinWithBiometrics: Boolean = false,
    /**
     * The lock is the PIN alone and stays one (a duress PIN is set, or this
     * is the empty Kindred): "Change my PIN" only, no fingerprint or face.
     */
    val pinOnly: Boolean = false,
    /** This platform has a place for an empty Kindred: the duress PIN section shows. */
    val duressAvailable: Boolean = false,
    /** A duress PIN is set. */
    val duressOn: Boolean = false,
    /** Using it also deletes this device's key to the person's own data. */
    val duressDestroys: Boolean = false,
    /** The duress PIN form is open (set or change it). */
    val choosingDuress: Boolean = false,
    val duressPin: String = "",
    val duressPinAgain: String = "",
    /** In the form: the choice to delete the key, for a duress PIN set for the first time. */
    val duressDestroysDraft: Boolean = false,
    /** Words beside the duress PIN: a rule it broke, or that it was saved. */
    val duressMessage: UiText? = null,
    val remindersOn: Boolean = false,
    val reminderAt: LocalTime = LocalTime.of(20, 0),
    /** Notifications are not allowed on this device: reminders cannot show. */
    val notificationsBlocked: Boolean = false,
    val workArea: Boolean = false,
    val includeSensitiveInExport: Boolean = false,
    val exportedTo: String? = null,
    /** The sync server this device uses (null: none yet), and the address being typed. */
    val server: String? = null,
    val serverDraft: String = "",
    /** Words beside the address field: a rule it broke, or that it was saved. */
    val serverMessage: UiText? = null,
    val busy: Boolean = false,
    /** "Erase everything": 0 not asked, 1 asked once ("Go on"), 2 the last step ("Erase everything now"). */
    val eraseStep: Int = 0,
    /** Words beside "Erase everything": what it did, or what went wrong. */
    val eraseMessage: UiText? = null,
    val message: UiText? = null,
    val error: UiText? = null,
)

/**
 * Settings: the app lock (a PIN, fingerprint or face with the PIN as the
 * way back, the device's own lock where there is one, or none; how soon it
 * locks again), a gentle reminder at a chosen time, the work area, and a
 * copy of everything (export).
 */
/** What the screen can ask of its state holder (no-ops by default, for previews and screenshots). */
interface SettingsActions {
    fun openPinForm() {}
    fun closePinForm() {}
    fun editPin(pin: String) {}
    fun editPinAgain(pin: String) {}
    fun setPinWithBiometrics(on: Boolean) {}
    fun savePin() {}
    fun useDeviceLock() {}
    fun turnLockOff() {}
    fun pickRelock(r: Relock) {}
    fun openDuressForm() {}
    fun closeDuressForm() {}
    fun editDuressPin(pin: String) {}
    fun editDuressPinAgain(pin: String) {}
    fun setDuressDestroysDraft(on: Boolean) {}
    fun saveDuressPin() {}
    fun setDuressDestroys(on: Boolean) {}
    fun turnDuressOff() {}
    fun setReminders(on: Boolean) {}
    fun moveReminder(minutes: Long) {}
    fun setWorkArea(on: Boolean) {}
    fun setIncludeSensitive(on: Boolean) {}
    fun export() {}
    fun editServer(text: String) {}
    fun saveServer() {}
    /** "Erase everything" asks twice: [startErase], [goOnErase], then [eraseEverything]. */
    fun startErase() {}
    fun goOnErase() {}
    fun keepEverything() {}
    fun eraseEverything() {}
}

class SettingsModel(
    private val store: KindredStore,
    private val app: AppModel,
    scope: CoroutineScope,
    io: CoroutineContext,
    /** Whose Kindred this is: inside the empty one, the lock's settings are its own (see [AppLock]). */
    private val profile: Profile = Profile.OWN,
) : StateHolder<SettingsState>(SettingsState(), scope, io), SettingsActions {
    private val platform = app.platform
    private val lock = app.lock
    private val prefs = platform.preferences

    companion object {
        private const val REMINDER_ON = "reminder_on"
        private const val REMINDER_AT = "reminder_at"
    }

    override fun failed(message: UiText) = update { it.copy(busy = false, error = message) }

    fun refresh() = update {
        val pinOnly = profile == Profile.DECOY || lock.hasDuress
        it.copy(
            lockMethod = lock.methodFor(profile),
            relock = lock.relock,
            biometricsAvailable = platform.biometrics.available && !pinOnly,
            deviceLockAvailable = platform.deviceSecurity.hasScreenLock() && !pinOnly,
            deviceLockMissing = profile == Profile.OWN && lock.deviceLockMissing,
            pinOnly = pinOnly,
            duressAvailable = platform.decoyStores != null,
            duressOn = lock.duressSet(profile),
            duressDestroys = lock.duressDestroys(profile),
            workArea = app.state.value.workArea,
        )
    }.also { loadServer(); loadReminders() }

    /**
     * The check-in reminder times are the person's, kept in the core (they
     * follow her to her other devices); this screen shows the first. A time
     * kept on this device by an earlier version moves into the core once.
     */
    private fun loadReminders() = work {
        var rules = store.checkInReminders()
        if (rules.isEmpty() && prefs.get(REMINDER_ON) == "true") {
            val at = prefs.get(REMINDER_AT)?.let(LocalTime::parse) ?: LocalTime.of(20, 0)
            rules = store.setCheckInReminders(listOf(at to emptySet()))
            platform.notifications.cancelDaily()
            prefs.put(REMINDER_ON, null)
            prefs.put(REMINDER_AT, null)
            reschedule()
        }
        update {
            it.copy(
                remindersOn = rules.isNotEmpty(),
                reminderAt = rules.firstOrNull()?.at ?: it.reminderAt,
            )
        }
    }

    /** Hands the platform the next reminders (check-ins, steps due, follow-ups). */
    private suspend fun reschedule() {
        // Scheduling never stands in the way of the setting itself.
        runCatching { ReminderSchedule(store, platform.notifications, platform.clock).refresh() }
    }

    private fun loadServer() = work {
        val url = store.server()
        update { it.copy(server = url, serverDraft = if (it.serverDraft.isBlank()) url.orEmpty() else it.serverDraft) }
    }

    // ----- sync server ----------------------------------------------------------

    override fun editServer(text: String) = update { it.copy(serverDraft = text.take(512), serverMessage = null) }

    /**
     * Saves the address after a first look at its shape. Plain http:// is
     * refused unless the sync server is on this device (the core checks
     * both again, and its refusal reads the same beside the field).
     */
    override fun saveServer() {
        val url = state.value.serverDraft.trim()
        val plain = url.startsWith("http://", ignoreCase = true)
        val shaped = (url.startsWith("https://", ignoreCase = true) || plain) &&
            url.substringAfter("://").isNotEmpty() && url.none(Char::isWhitespace)
        if (!shaped) return update { it.copy(serverMessage = UiText(Keys.SETTINGS_SERVER_RULE)) }
        if (plain && !onThisDevice(url)) {
            return update { it.copy(serverMessage = UiText(Keys.SETTINGS_SERVER_PLAIN_HTTP)) }
        }
        work {
            try {
                store.setServer(url)
            } catch (e: org.kindred.ffi.KindredException.InvalidInput) {
                val key = if (plain) Keys.SETTINGS_SERVER_PLAIN_HTTP else Keys.SETTINGS_SERVER_RULE
                return@work update { it.copy(serverMessage = UiText(key)) }
            }
            val saved = store.server()
            update { it.copy(server = saved, serverDraft = saved.orEmpty(), serverMessage = UiText(Keys.SETTINGS_SERVER_SAVED)) }
        }
    }

    /** True for a sync server on this device: localhost, 127.x.x.x or [::1]. */
    private fun onThisDevice(url: String): Boolean {
        val authority = url.substringAfter("://").substringBefore('/').substringBefore('?').substringBefore('#')
        val host = if (authority.startsWith("[")) authority.substringBefore(']') + "]" else authority.substringBeforeLast(':', authority)
        val h = host.lowercase().trimEnd('.')
        if (h == "localhost" || h == "[::1]") return true
        val parts = h.split('.')
        return parts.size == 4 && parts[0] == "127" && parts.all { p -> p.toIntOrNull()?.let { it in 0..255 } == true }
    }

    // ----- app lock -----------------------------------------------------------

    override fun openPinForm() = update { it.copy(choosingPin = true, pin = "", pinAgain = "", pinWithBiometrics = it.biometricsAvailable, message = null) }

    override fun closePinForm() = update { it.copy(choosingPin = false, pin = "", pinAgain = "", message = null) }

    override fun editPin(pin: String) = update { it.copy(pin = pin.filter(Char::isDigit).take(8), message = null) }

    override fun editPinAgain(pin: String) = update { it.copy(pinAgain = pin.filter(Char::isDigit).take(8), message = null) }

    override fun setPinWithBiometrics(on: Boolean) = update { it.copy(pinWithBiometrics = on && it.biometricsAvailable) }

    override fun savePin() {
        val s = state.value
        if (s.pin != s.pinAgain) return update { it.copy(message = UiText(Keys.LOCK_PINS_DIFFER)) }
        lock.usePin(s.pin, s.pinWithBiometrics && s.biometricsAvailable, profile)?.let { msg -> return update { it.copy(message = msg) } }
        app.lockChanged()
        update { it.copy(choosingPin = false, pin = "", pinAgain = "", message = UiText(Keys.LOCK_PIN_SAVED)) }
        refresh()
    }

    override fun useDeviceLock() {
        if (state.value.pinOnly) return
        lock.useDeviceLock()?.let { msg -> return update { it.copy(message = msg) } }
        app.lockChanged()
        update { it.copy(message = UiText(Keys.LOCK_DEVICE_SAVED)) }
        refresh()
    }

    override fun turnLockOff() {
        if (state.value.pinOnly) return
        lock.turnOff()
        app.lockChanged()
        update { it.copy(choosingPin = false, message = UiText(Keys.LOCK_OFF_SAVED)) }
        refresh()
    }

    override fun pickRelock(r: Relock) {
        lock.relock = r
        refresh()
    }

    // ----- duress PIN -----------------------------------------------------------

    override fun openDuressForm() = update {
        it.copy(choosingDuress = true, duressPin = "", duressPinAgain = "", duressDestroysDraft = it.duressDestroys, duressMessage = null)
    }

    override fun closeDuressForm() = update { it.copy(choosingDuress = false, duressPin = "", duressPinAgain = "", duressMessage = null) }

    override fun editDuressPin(pin: String) = update { it.copy(duressPin = pin.filter(Char::isDigit).take(8), duressMessage = null) }

    override fun editDuressPinAgain(pin: String) =
        update { it.copy(duressPinAgain = pin.filter(Char::isDigit).take(8), duressMessage = null) }

    override fun setDuressDestroysDraft(on: Boolean) = update { it.copy(duressDestroysDraft = on) }

    /** Sets or changes the duress PIN (on [io]: the checks against the other PINs are slow on purpose). */
    override fun saveDuressPin() {
        val s = state.value
        if (s.duressPin != s.duressPinAgain) return update { it.copy(duressMessage = UiText(Keys.LOCK_PINS_DIFFER)) }
        update { it.copy(busy = true) }
        work {
            val problem = lock.setDuressPin(s.duressPin, s.duressDestroysDraft, profile)
            if (problem != null) return@work update { it.copy(busy = false, duressMessage = problem) }
            app.lockChanged()
            update {
                it.copy(busy = false, choosingDuress = false, duressPin = "", duressPinAgain = "", duressMessage = UiText(Keys.SETTINGS_DURESS_SAVED))
            }
            refresh()
        }
    }

    override fun setDuressDestroys(on: Boolean) {
        lock.setDuressDestroys(on, profile)
        refresh()
    }

    /** No duress PIN any more; the empty Kindred's data is deleted from this device (unless it is the one open). */
    override fun turnDuressOff() {
        lock.turnDuressOff(profile)
        app.lockChanged()
        update { it.copy(choosingDuress = false, duressMessage = UiText(Keys.SETTINGS_DURESS_OFF_SAVED)) }
        refresh()
    }

    // ----- reminders ----------------------------------------------------------

    /** Turns the check-in reminder on (asking for notifications where the platform needs it) or off. */
    override fun setReminders(on: Boolean) {
        work {
            if (!on) {
                store.setCheckInReminders(emptyList())
                reschedule()
                update { it.copy(remindersOn = false, notificationsBlocked = false) }
                return@work
            }
            val allowed = platform.notifications.requestPermission()
            if (!allowed) {
                update { it.copy(remindersOn = false, notificationsBlocked = true) }
                return@work
            }
            store.setCheckInReminders(listOf(state.value.reminderAt to emptySet()))
            reschedule()
            update { it.copy(remindersOn = true, notificationsBlocked = false) }
        }
    }

    /** Moves the reminder by [minutes] (the screen's earlier / later buttons), wrapping around midnight. */
    override fun moveReminder(minutes: Long) {
        val at = state.value.reminderAt.plusMinutes(minutes)
        update { it.copy(reminderAt = at) }
        if (state.value.remindersOn) {
            work {
                store.setCheckInReminders(listOf(at to emptySet()))
                reschedule()
            }
        }
    }

    // ----- work area and export -------------------------------------------------

    override fun setWorkArea(on: Boolean) {
        app.setWorkArea(on)
        update { it.copy(workArea = on) }
    }

    override fun setIncludeSensitive(on: Boolean) = update { it.copy(includeSensitiveInExport = on) }

    /** A copy of everything on this device, as a JSON file through the share sheet. */
    override fun export() {
        val sensitive = state.value.includeSensitiveInExport
        update { it.copy(busy = true, error = null, exportedTo = null) }
        work {
            val json = store.exportJson(includeSensitive = sensitive)
            val name = "kindred-${LocalDate.now(platform.clock)}.json"
            val where = platform.shareSheet.share(name, "application/json", json.encodeToByteArray())
            update { it.copy(busy = false, exportedTo = where, message = UiText(Keys.EXPORT_DONE)) }
        }
    }

    // ----- erase everything ------------------------------------------------------

    override fun startErase() = update { it.copy(eraseStep = 1, eraseMessage = null) }

    override fun goOnErase() = update { if (it.eraseStep == 1) it.copy(eraseStep = 2) else it }

    override fun keepEverything() = update { it.copy(eraseStep = 0) }

    /**
     * The last step: deletes everything this person's devices hold, forever
     * (here at once, then the sync server and the other devices); the words
     * say where it is gone from. Only from the last step.
     */
    override fun eraseEverything() {
        if (state.value.eraseStep != 2) return
        update { it.copy(busy = true, eraseMessage = null) }
        work {
            val text = try {
                erasedText(store.eraseEverything(), UiText(Keys.ERASE_WHAT_EVERYTHING))
            } catch (e: org.kindred.ffi.KindredException) {
                errorText(e)
            }
            update { it.copy(busy = false, eraseStep = 0, eraseMessage = text) }
        }
    }
}
