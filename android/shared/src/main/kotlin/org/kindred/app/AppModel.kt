package org.kindred.app

import java.time.Instant
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.drop
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import org.kindred.KindredStore
import org.kindred.app.platform.Platform

/** The app's top-level screens, in tab order. [WORK] shows only for peer support workers. */
enum class Destination(val titleKey: String) {
    TODAY(Keys.TAB_TODAY),
    GOALS(Keys.TAB_GOALS),
    WORK(Keys.TAB_WORK),
    SHARING(Keys.TAB_SHARING),
    SYNC(Keys.TAB_SYNC),
    SETTINGS(Keys.TAB_SETTINGS),
}

/** Where the app as a whole is. */
sealed interface AppPhase {
    data object Starting : AppPhase
    data object FirstRun : AppPhase
    data object Locked : AppPhase
    data object Ready : AppPhase

    /** The data could not be opened: words for the person, and the app stays up. */
    data class CannotOpen(val message: UiText) : AppPhase
}

data class AppState(
    val phase: AppPhase = AppPhase.Starting,
    val destination: Destination = Destination.TODAY,
    /** The tabs to show, in order (the work area only for workers). */
    val destinations: List<Destination> = listOf(Destination.TODAY, Destination.SETTINGS),
    /** "Need help now" is open over whatever screen is showing. */
    val helpOpen: Boolean = false,
    /** "My plan" is open over the tabs (one tap from anywhere once unlocked). */
    val planOpen: Boolean = false,
    /** Her resources, opened from "My plan" (back goes to the plan). */
    val resourcesOpen: Boolean = false,
    val workArea: Boolean = false,
)

/**
 * The app shell's state: first run or locked or ready, which tab, and
 * "Need help now" (open from anywhere, even the lock screen and first run).
 * [screens] are the destinations that have a screen on this build.
 *
 * With a duress PIN set ([AppLock.hasDuress]) nothing is opened before a
 * PIN: the PIN opens the person's own data (or first run, where its key was
 * deleted), the duress PIN the empty Kindred ([Platform.decoyStores]),
 * deleting the own data's key first where the person chose so; and a relock
 * closes whatever was open. The empty Kindred is an ordinary session: the
 * same tabs, the same words, nothing in the state says which one is open
 * (only [Session.profile], which no screen reads).
 */
class AppModel(
    val platform: Platform,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val screens: Set<Destination> = Destination.entries.toSet(),
) : StateHolder<AppState>(AppState(), scope, io) {
    val lock = AppLock(platform.preferences, platform.clock, platform.deviceSecurity)
    val crisisLines = CrisisLines(platform.preferences, platform.region)
    val help = HelpModel(crisisLines, platform.dialer, platform.region, scope, io)
    val lockScreen = LockModel(lock, platform.biometrics, platform.clock, scope, io, onUnlocked = { unlocked() }, onDuress = { duress(it) })

    /** The open data and its screens' state holders; null until first run or opening is done. */
    var session: Session? = null
        private set

    private var backgroundSince: Instant? = null

    override fun failed(message: UiText) = update { it.copy(phase = AppPhase.CannotOpen(message)) }

    /** Opens the data if there is some, else starts first run; with a duress PIN, only the lock screen. */
    fun start() = work {
        if (lock.hasDuress && lock.locksOnOpen) {
            // Whose Kindred opens is for the PIN to say: nothing is opened before it.
            lockScreen.reset()
            val work = platform.preferences.get(WORK_AREA) == "true"
            update { it.copy(phase = AppPhase.Locked, workArea = work, destinations = tabs(work), destination = Destination.TODAY) }
            return@work
        }
        if (!platform.stores.exists()) {
            update { it.copy(phase = AppPhase.FirstRun) }
            return@work
        }
        val store = platform.stores.open()
        begin(store)
    }

    private var firstRunHolder: FirstRunModel? = null

    /** The first-run screen's holder, while there is no data yet (a new one each time first run starts again). */
    val firstRun: FirstRunModel
        get() = firstRunHolder ?: FirstRunModel(platform, lock, scope, io) { store, _ -> begin(store, askLock = false) }
            .also { firstRunHolder = it }

    private fun tabs(work: Boolean) = Destination.entries.filter { d -> d in screens && (d != Destination.WORK || work) }

    private fun begin(store: KindredStore, askLock: Boolean = true, profile: Profile = Profile.OWN) {
        session?.close()
        session = Session(store, this, scope, io, profile).also { it.scheduleReminders() }
        if (profile == Profile.OWN) tidyDecoy()
        val work = platform.preferences.get(WORK_AREA) == "true"
        update {
            it.copy(
                phase = if (askLock && lock.locksOnOpen) AppPhase.Locked.also { lockScreen.reset() } else AppPhase.Ready,
                workArea = work,
                destinations = tabs(work),
                destination = Destination.TODAY,
            )
        }
        if (state.value.phase == AppPhase.Ready) help.attach(store)
    }

    private fun closeSession() {
        help.detach()
        session?.close()
        session = null
    }

    /** The person's own data after the PIN, where it is not open yet (a duress PIN is set): or first run, where it is gone. */
    private fun openOwn() {
        update { it.copy(phase = AppPhase.Starting, planOpen = false, resourcesOpen = false) }
        work {
            closeSession()
            if (!platform.stores.exists()) {
                firstRunHolder = null
                update { it.copy(phase = AppPhase.FirstRun) }
                return@work
            }
            begin(platform.stores.open(), askLock = false)
        }
    }

    /**
     * The duress PIN: closes what is open, deletes [destroy]'s key and data
     * where the person chose so (quietly: nothing on screen may say it
     * happened, and a failure shows nothing either), and opens the empty
     * Kindred, made the first time as a fresh one.
     */
    private fun duress(destroy: Profile?) {
        update { it.copy(phase = AppPhase.Starting, planOpen = false, resourcesOpen = false, helpOpen = false) }
        work {
            closeSession()
            val decoys = platform.decoyStores
            when (destroy) {
                Profile.OWN -> quietly { platform.stores.destroy() }
                Profile.DECOY -> quietly { decoys?.destroy() }
                null -> {}
            }
            if (decoys == null) {
                update { it.copy(phase = AppPhase.CannotOpen(UiText(Keys.ERROR_CANNOT_OPEN))) }
                return@work
            }
            val store = try {
                if (decoys.exists()) decoys.open() else decoys.create(decoys.suggestedDeviceName, joining = false)
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                // Whatever was there cannot open: an empty one again.
                decoys.destroy()
                decoys.create(decoys.suggestedDeviceName, joining = false)
            }
            begin(store, askLock = false, profile = Profile.DECOY)
        }
    }

    private suspend fun quietly(block: suspend () -> Unit) {
        try {
            block()
        } catch (e: CancellationException) {
            throw e
        } catch (_: Exception) {
        }
    }

    /** With no duress PIN, nothing of an empty Kindred from an earlier one is left on this device. */
    private fun tidyDecoy() {
        if (lock.hasDuress) return
        val decoys = platform.decoyStores ?: return
        if (session?.profile == Profile.DECOY) return
        scope.launch(io) { quietly { if (decoys.exists()) decoys.destroy() } }
    }

    fun setWorkArea(on: Boolean) {
        platform.preferences.put(WORK_AREA, on.toString())
        update {
            it.copy(
                workArea = on,
                destinations = tabs(on),
                destination = if (!on && it.destination == Destination.WORK) Destination.TODAY else it.destination,
            )
        }
    }

    fun go(to: Destination) {
        update { if (to in it.destinations) it.copy(destination = to, helpOpen = false, planOpen = false, resourcesOpen = false) else it }
        session?.shown(to)
    }

    fun openHelp() = update { it.copy(helpOpen = true) }

    fun closeHelp() = update { it.copy(helpOpen = false) }

    /** Opens the person's plan over whatever tab is showing (only once the data is open and unlocked). */
    fun openPlan() {
        val s = session ?: return
        if (state.value.phase != AppPhase.Ready) return
        s.plan.refresh()
        update { it.copy(planOpen = true, helpOpen = false) }
    }

    fun closePlan() = update { it.copy(planOpen = false, resourcesOpen = false) }

    /** From "My plan": the resources shared with her, and her own (the second tap from anywhere). */
    fun openResources() {
        val s = session ?: return
        if (!state.value.planOpen) return
        s.myResources.refresh()
        update { it.copy(resourcesOpen = true, helpOpen = false) }
    }

    fun closeResources() = update { it.copy(resourcesOpen = false) }

    /** A removed device's locked copy was erased: nothing of hers is left here, so first run, to set it up afresh. */
    fun lockedCopyErased() = work {
        closeSession()
        platform.stores.destroy()
        firstRunHolder = null
        update { it.copy(phase = AppPhase.FirstRun, planOpen = false, resourcesOpen = false) }
    }

    /** The right PIN (or fingerprint, face, the device's lock): the person's own Kindred. */
    fun unlocked() {
        if (session?.profile != Profile.OWN) return openOwn()
        update { if (it.phase == AppPhase.Locked) it.copy(phase = AppPhase.Ready) else it }
        session?.let { if (state.value.phase == AppPhase.Ready) help.attach(it.store) }
    }

    /** Settings turned a lock or the duress PIN on or off: nothing to do until the next open (an unused empty Kindred goes). */
    fun lockChanged() {
        lockScreen.reset()
        tidyDecoy()
    }

    /** The app went to the background (Android onStop, a minimised window). */
    fun backgrounded() {
        backgroundSince = platform.clock.instant()
        session?.backgrounded()
    }

    /** The app is back: locks again when it was away long enough. */
    fun foregrounded() {
        val since = backgroundSince ?: return
        backgroundSince = null
        session?.removal?.refresh()
        if (state.value.phase == AppPhase.Ready && lock.shouldRelock(since)) {
            lockScreen.reset()
            help.detach()
            update { it.copy(phase = AppPhase.Locked, planOpen = false, resourcesOpen = false) }
            // With a duress PIN the next PIN says whose Kindred opens: nothing stays open behind the lock.
            if (lock.hasDuress) closeSession()
        }
    }

    fun close() {
        help.detach()
        session?.close()
        session = null
    }

    companion object {
        const val WORK_AREA = "work_area"
    }
}

/**
 * One open store and the state holders of its screens, made when first
 * shown and kept while the app runs (a half-written check-in or draft
 * survives a tab switch).
 */
class Session(
    val store: KindredStore,
    val app: AppModel,
    private val scope: CoroutineScope,
    private val io: CoroutineContext,
    /** The person's own data or the empty Kindred; no screen shows it. */
    val profile: Profile = Profile.OWN,
) : AutoCloseable {
    val today: TodayModel by lazy { TodayModel(store, scope, io, app.platform.clock).also { it.refresh() } }
    val settings: SettingsModel by lazy { SettingsModel(store, app, scope, io, profile).also { it.refresh() } }
    val goals: GoalsModel by lazy { GoalsModel(store, scope, io, app.platform.clock).also { it.refresh() } }
    val work: WorkModel by lazy { WorkModel(store, scope, io, app.platform.clock).also { it.refresh() } }
    private val editorHolder = lazy { NoteEditorModel(store, scope, io, app.platform.clock).also { it.load() } }
    val noteEditor: NoteEditorModel by editorHolder
    val workDay: WorkDayModel by lazy { WorkDayModel(store, scope, io, app.platform.clock).also { it.refresh() } }
    val sharedPlans: SharedPlansModel by lazy { SharedPlansModel(store, scope, io).also { it.refresh() } }
    val resources: ResourcesModel by lazy { ResourcesModel(store, scope, io).also { it.refresh() } }
    private val sharingHolder = lazy { SharingModel(store, scope, io, app.platform.clock, onRemovals = { removal.refresh() }).also { it.refresh(); watchPairing(it) } }
    val sharing: SharingModel by sharingHolder

    /**
     * Removals of her devices that wait, those done, and this device's
     * locked copy (the app then shows only that): read when the data
     * opens and again after every sync.
     */
    val removal: RemovalModel = RemovalModel(
        store, app.platform.shareSheet, app.platform.clock, scope, io,
        onChanged = { if (sharingHolder.isInitialized()) sharing.refresh() },
        onErased = { app.lockedCopyErased() },
    ).also { it.refresh() }
    /** What this session follows while it is open (cancelled on close). */
    private val following = CoroutineScope(scope.coroutineContext + SupervisorJob(scope.coroutineContext[Job]))

    init {
        following.launch(io) { runCatching { removal.followChanges() } }
    }
    val contactPrefs: ContactPrefsModel by lazy { ContactPrefsModel(store, scope, io, app.platform.clock) }
    /** Her own resources, from My plan: what was shared with her, and ones she adds for herself. */
    val myResources: ResourcesModel by lazy { ResourcesModel(store, scope, io, ownList = true).also { it.refresh() } }
    val plan: PlanModel by lazy { PlanModel(store, app.platform.shareSheet, scope, io) }
    val sync: SyncModel by lazy {
        SyncModel(store, scope, io, app.platform.clock).also { s ->
            s.refresh()
            // After every "Sync now", even one that did not get through (a removed device's may not).
            following.launch { s.state.map { it.syncing }.distinctUntilChanged().drop(1).filter { !it }.collect { removal.refresh() } }
        }
    }

    /** The recovery kit (Settings) and the gentle suggestion to make one (Today and Settings). */
    val recoveryKit: RecoveryKitModel by lazy {
        RecoveryKitModel(
            store, app.platform, scope, io, profile,
            workArea = { app.state.value.workArea },
            openSettings = { app.go(Destination.SETTINGS) },
        ).also { it.refresh() }
    }

    private var pairingWatch: kotlinx.coroutines.Job? = null

    /** After one of her devices is added by pairing, the kit is suggested (once; she can hide it). */
    private fun watchPairing(sharing: SharingModel) {
        pairingWatch = scope.launch {
            var seen = sharing.state.value.message
            sharing.state.collect { s ->
                if (s.message != seen && s.message?.key == Keys.PAIR_ADDED) recoveryKit.offerSuggestion()
                seen = s.message
            }
        }
    }

    private val reminders = ReminderSchedule(store, app.platform.notifications, app.platform.clock)

    /**
     * Hands the platform the next reminders (check-in times, steps due,
     * follow-ups): when the data opens and whenever a tab is shown, so a
     * changed date or a finished step is never reminded of. Never in the way:
     * a failure leaves what was scheduled.
     */
    fun scheduleReminders() {
        scope.launch(io) { runCatching { reminders.refresh() } }
    }

    /** A tab came into view: its holder reloads what may have changed elsewhere. */
    fun shown(destination: Destination) {
        scheduleReminders()
        // A sync elsewhere (in the background) may have brought a removal, or removed this device.
        removal.refresh()
        when (destination) {
            Destination.TODAY -> {
                today.refresh()
                recoveryKit.refresh()
                removal.seen()
            }
            Destination.SETTINGS -> {
                settings.refresh()
                recoveryKit.refresh()
            }
            Destination.GOALS -> goals.refresh()
            Destination.WORK -> {
                work.refresh()
                workDay.refresh()
            }
            Destination.SHARING -> sharing.refresh()
            Destination.SYNC -> sync.refresh()
        }
    }

    /** The app went to the background (it may be ended there): a note being written is saved now. */
    fun backgrounded() {
        if (editorHolder.isInitialized()) noteEditor.leave()
    }

    override fun close() {
        pairingWatch?.cancel()
        following.cancel()
        store.close()
    }
}
