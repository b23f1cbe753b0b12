package org.kindred.app

import java.time.Clock
import java.time.OffsetDateTime
import kotlinx.coroutines.CancellationException
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.conflate
import kotlinx.coroutines.launch
import org.kindred.KindredStore
import org.kindred.ffi.KindredException
import org.kindred.SpaceKind
import org.kindred.SpaceSync
import org.kindred.SyncStatus

/** Another device that has (or has not yet) got this device's latest changes. */
data class SeenLine(
    val device: String,
    /** True for the person's own devices (personal and caseload spaces), false for someone they share with. */
    val own: Boolean,
    val upToDate: Boolean,
) {
    val text: UiText get() = UiText(
        when {
            own && upToDate -> Keys.SYNC_SEEN_OWN
            own -> Keys.SYNC_NOT_YET_SEEN_OWN
            upToDate -> Keys.SYNC_SEEN_SHARED
            else -> Keys.SYNC_NOT_YET_SEEN_SHARED
        },
        device,
    )
}

/** A problem with sync, in words, and the one thing that may help. */
data class SyncProblem(val text: UiText, val action: SyncAction)

/** What a person can do about a [SyncProblem]. */
enum class SyncAction { TRY_AGAIN, OPEN_SETTINGS, NONE }

/** What the Sync screen draws. */
data class SyncUi(
    val loading: Boolean = true,
    val setUp: Boolean = false,
    /** Changes kept here that have not reached the relay yet. */
    val pending: Long = 0,
    val lastSynced: OffsetDateTime? = null,
    /** [lastSynced] in words ("Last synced Today, 09:30"), or "Not synced yet". */
    val lastSyncedText: UiText = UiText(Keys.SYNC_NEVER),
    /** The headline: everything saved, waiting to sync, or not set up. */
    val headline: UiText = UiText(Keys.SYNC_NOT_SET_UP),
    val seenBy: List<SeenLine> = emptyList(),
    val syncing: Boolean = false,
    val problem: SyncProblem? = null,
    val message: UiText? = null,
    /** Something deleted forever still has to reach the sync server (the next sync takes it). */
    val erasureWaiting: Boolean = false,
    /** The core's words about edits a fresh start could not keep ("1 change to a check-in you deleted was not kept"), each shown once. */
    val notices: List<String> = emptyList(),
)

/** The newest push or pull time over every space. */
fun lastSynced(statuses: List<SyncStatus>): OffsetDateTime? =
    statuses.flatMap { listOfNotNull(it.lastPushAt, it.lastPullAt) }.maxOrNull()

/** Who has seen this device's latest: own devices first, then people shared with, by name. */
fun seenLines(statuses: List<SyncStatus>): List<SeenLine> =
    statuses.flatMap { s -> s.seenBy.map { Triple(it.device, s.kind != SpaceKind.SHARED, it.upToDate) } }
        .groupBy { it.first to it.second }
        .map { (k, v) -> SeenLine(k.first, k.second, v.all { it.third }) }
        .sortedWith(compareBy({ !it.own }, { it.device.lowercase() }))

/** A problem the status itself shows (from the last sync, on this or an earlier run). */
fun statusProblem(statuses: List<SyncStatus>): SyncProblem? {
    val quarantined = statuses.sumOf { it.quarantined }
    return when {
        quarantined > 0 -> SyncProblem(UiText(Keys.SYNC_QUARANTINED, quarantined), SyncAction.NONE)
        statuses.any { it.lastError != null } -> SyncProblem(UiText(Keys.SYNC_LAST_UNFINISHED), SyncAction.TRY_AGAIN)
        else -> null
    }
}

/** The problem a failed "Sync now" leaves, with what may help. */
fun syncProblem(e: KindredException): SyncProblem = when (e) {
    is KindredException.Offline -> SyncProblem(UiText(Keys.SYNC_OFFLINE), SyncAction.TRY_AGAIN)
    is KindredException.NotAllowed -> SyncProblem(UiText(Keys.SYNC_NOT_ALLOWED), SyncAction.NONE)
    is KindredException.InvalidInput -> SyncProblem(UiText(Keys.SYNC_CHECK_SERVER), SyncAction.OPEN_SETTINGS)
    is KindredException.Sync -> SyncProblem(UiText(Keys.SYNC_SERVER_TROUBLE), SyncAction.TRY_AGAIN)
    else -> SyncProblem(errorText(e), SyncAction.TRY_AGAIN)
}

/**
 * A pass reports every space; one with a problem did not sync this time
 * (its changes are kept and tried again). Some synced: say so, and that the
 * rest waits; none did: the relay's trouble, with Try again.
 */
fun reportProblem(report: List<SpaceSync>): SyncProblem? {
    val notSynced = report.count { !it.synced }
    return when {
        notSynced == 0 -> null
        notSynced < report.size -> SyncProblem(UiText(Keys.SYNC_PARTLY), SyncAction.TRY_AGAIN)
        else -> SyncProblem(UiText(Keys.SYNC_SERVER_TROUBLE), SyncAction.TRY_AGAIN)
    }
}

/** What the Sync screen can ask of its state holder (no-ops by default, for the screen catalog and previews). */
interface SyncActions {
    fun syncNow(): Job? = null
}

/**
 * Sync you can trust: how many changes wait, when the last sync was, which
 * devices have the latest ("seen by your tablet"), a Sync now button, and
 * problems in words that say what is kept and what may help.
 */
class SyncModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val clock: Clock = Clock.systemDefaultZone(),
) : StateHolder<SyncUi>(SyncUi(), scope, io), SyncActions {

    override fun failed(message: UiText) = update { it.copy(problem = SyncProblem(message, SyncAction.TRY_AGAIN), syncing = false) }

    fun refresh(): Job = work { reload(keepProblem = state.value.problem) }

    /**
     * While the screen shows (the screen runs this in its own effect): every
     * change, a local write or a sync that brought something, reads the
     * status afresh; a burst of changes is one read.
     */
    suspend fun followChanges() {
        store.changes().conflate().collect { refresh().join() }
    }

    private suspend fun reload(keepProblem: SyncProblem?) {
        val statuses = store.syncStatus()
        val server = store.server()
        val setUp = server != null && statuses.any { it.onServer }
        val pending = statuses.sumOf { it.pending }
        val last = lastSynced(statuses)
        val waiting = store.erasuresWaiting() > 0
        // A sync (this screen's, or one in the background) may have left words about edits it could not keep.
        val notices = store.takeErasureNotices()
        update {
            it.copy(
                loading = false,
                setUp = setUp,
                pending = pending,
                lastSynced = last,
                lastSyncedText = last?.let { t -> UiText(Keys.SYNC_LAST, whenText(t, clock)) } ?: UiText(Keys.SYNC_NEVER),
                headline = when {
                    server == null -> UiText(Keys.SYNC_NOT_SET_UP)
                    pending > 0L -> UiText(Keys.SYNC_WAITING, pending)
                    !setUp -> UiText(Keys.SYNC_FIRST_TIME)
                    else -> UiText(Keys.SYNC_ALL_SAVED)
                },
                seenBy = seenLines(statuses),
                erasureWaiting = waiting,
                notices = (it.notices + notices).distinct(),
                problem = keepProblem ?: statusProblem(statuses)
                    ?: if (server == null) SyncProblem(UiText(Keys.SYNC_ADD_SERVER), SyncAction.OPEN_SETTINGS) else null,
            )
        }
    }

    /** One sync pass now; what went wrong stays on the screen in words. */
    override fun syncNow(): Job = scope.launch(io) {
        if (state.value.syncing) return@launch
        update { it.copy(syncing = true, problem = null, message = null, notices = emptyList()) }
        var problem: SyncProblem? = null
        try {
            if (store.server() == null) {
                problem = SyncProblem(UiText(Keys.SYNC_ADD_SERVER), SyncAction.OPEN_SETTINGS)
            } else {
                val report = store.sync()
                problem = reportProblem(report)
                val pulled = report.sumOf { it.pulled }
                if (problem == null) {
                    update { it.copy(message = if (pulled > 0) UiText(Keys.SYNC_DONE_NEW, pulled) else UiText(Keys.SYNC_DONE)) }
                }
            }
        } catch (e: CancellationException) {
            throw e
        } catch (e: KindredException) {
            problem = syncProblem(e)
        }
        try {
            reload(keepProblem = problem)
        } catch (e: KindredException) {
            update { it.copy(problem = problem ?: SyncProblem(errorText(e), SyncAction.TRY_AGAIN)) }
        } finally {
            update { it.copy(syncing = false) }
        }
    }
}
