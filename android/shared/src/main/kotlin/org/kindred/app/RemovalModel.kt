package org.kindred.app

import java.time.Clock
import java.time.Instant
import java.time.LocalDate
import java.time.format.DateTimeFormatter
import java.util.Locale
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.conflate
import org.kindred.KindredStore
import org.kindred.PendingRemoval
import org.kindred.Removal
import org.kindred.RemovalHistory
import org.kindred.RemovedHow
import org.kindred.app.platform.ShareSheet
import org.kindred.cancelRemoval
import org.kindred.eraseLockedCopy
import org.kindred.lockedCopy
import org.kindred.pendingRemovals
import org.kindred.removalHistory
import org.kindred.removeDevice

/** A moment in words for a removal ("Tue 7 Mar at 10:00"), in the device's time zone. */
fun removalAt(at: Instant, clock: Clock): UiText {
    val local = at.atZone(clock.zone)
    return UiText(
        Keys.REMOVAL_AT,
        local.format(DateTimeFormatter.ofPattern("EEE d MMM", Locale.getDefault())),
        local.format(DateTimeFormatter.ofPattern("HH:mm")),
    )
}

/** What asking to remove a device did, in words: removed (and what it does with its copy), or waiting until when. */
fun removalText(r: Removal, kit: Boolean, clock: Clock): UiText = when {
    r.removed && kit -> UiText(Keys.REMOVAL_DONE_KIT)
    r.removed && r.lost -> UiText(Keys.REMOVAL_DONE_LOST, r.name)
    r.removed -> UiText(Keys.REMOVAL_DONE_KEPT, r.name)
    kit -> UiText(Keys.REMOVAL_PENDING_KIT_HERE, r.waitsUntil?.let { removalAt(it, clock) } ?: "")
    else -> UiText(Keys.REMOVAL_WAITS, r.name, r.waitsUntil?.let { removalAt(it, clock) } ?: "")
}

/**
 * A removal of one of her devices (or her recovery kit) that waits, as the
 * card shows it on every one of her devices.
 */
data class PendingLine(
    val fingerprint: String,
    val name: String,
    val askedBy: String,
    /** The device to remove is this one. */
    val thisDevice: Boolean,
    /** This device asked (it carries the removal out after the wait). */
    val askedHere: Boolean,
    val kit: Boolean,
    val lost: Boolean,
    /** When it goes ahead unless one of her devices keeps it, in words. */
    val until: UiText,
) {
    /** What is asked, by whom, and until when. */
    val text: UiText get() = when {
        kit && askedHere -> UiText(Keys.REMOVAL_PENDING_KIT_HERE, until)
        kit -> UiText(Keys.REMOVAL_PENDING_KIT, askedBy, until)
        thisDevice -> UiText(Keys.REMOVAL_PENDING_THIS, askedBy, until)
        askedHere -> UiText(Keys.REMOVAL_PENDING_HERE, name, until)
        else -> UiText(Keys.REMOVAL_PENDING_OTHER, askedBy, name, until)
    }

    /** What happens to the device's copy if it goes ahead (none for the kit, which holds nothing). */
    val outcome: UiText? get() = when {
        kit -> null
        thisDevice -> UiText(if (lost) Keys.REMOVAL_OUTCOME_THIS_LOST else Keys.REMOVAL_OUTCOME_THIS_KEPT)
        else -> UiText(if (lost) Keys.REMOVAL_PENDING_LOST else Keys.REMOVAL_PENDING_NOT_LOST)
    }

    /** The gentle question under it, where there is one. */
    val hint: UiText? get() = when {
        askedHere -> null
        kit -> UiText(Keys.REMOVAL_PENDING_KIT_HINT)
        thisDevice -> UiText(Keys.REMOVAL_PENDING_THIS_HINT)
        else -> UiText(Keys.REMOVAL_PENDING_OTHER_ASK)
    }

    /**
     * A yes here removes it at once: another device asked about another of
     * her devices. Never the kit (it goes only after its wait) and never
     * this device (it cannot remove itself).
     */
    val canConfirm: Boolean get() = !kit && !thisDevice && !askedHere
}

/** One removal of her devices, from the log: who removed which, how, and when if known. */
data class HistoryLine(val fingerprint: String, val text: UiText, val copy: UiText)

/** This device was removed (not as lost): its copy is kept, locked. */
data class LockedLine(val removedBy: String)

/** What the removal card, the Today banner and the locked-copy screen draw. */
data class RemovalUi(
    val loaded: Boolean = false,
    /** Removals that wait, this device's first. */
    val pending: List<PendingLine> = emptyList(),
    val history: List<HistoryLine> = emptyList(),
    /** Not null: this device was removed and keeps a locked copy; the app shows only that. */
    val locked: LockedLine? = null,
    /**
     * Nothing of her Kindred is on this device any more (it was removed as
     * lost and wiped what it held): the app offers only to set it up again.
     */
    val gone: Boolean = false,
    val includeSensitive: Boolean = false,
    /** "Erase this copy" waits for a second tap. */
    val confirmErase: Boolean = false,
    val exportedTo: String? = null,
    /** This device's removal was just cancelled here (Today says so once). */
    val keptHere: Boolean = false,
    val busy: Boolean = false,
    val message: UiText? = null,
    val error: UiText? = null,
) {
    /** A removal of this very device waits. */
    val here: PendingLine? get() = pending.firstOrNull { it.thisDevice }
}

/** What the removal card, the Today banner and the locked-copy screen can ask (no-ops by default, for the catalog). */
interface RemovalActions {
    /** Cancels a waiting removal: "Keep this device", "No, keep it", "Keep my recovery kit". */
    fun keep(line: PendingLine): Job? = null
    /** Says yes to another device's request: it is removed at once, as the request said (lost or not). */
    fun confirm(line: PendingLine): Job? = null
    fun setIncludeSensitive(on: Boolean) {}
    fun exportLocked(): Job? = null
    fun askEraseLocked() {}
    fun keepLocked() {}
    fun eraseLocked(): Job? = null
    /** Nothing of hers is left here: start afresh (first run). */
    fun startAgain() {}
}

/**
 * Removing the person's own devices, as every one of her devices sees it:
 * the removals that wait (keep this device; say yes or no to another's
 * request; keep her kit), the devices removed before, and, when this device
 * was itself removed without being called lost, its locked copy (export,
 * erase; nothing else). [followChanges] reads it all again after each sync.
 */
class RemovalModel(
    private val store: KindredStore,
    private val shareSheet: ShareSheet,
    private val clock: Clock,
    scope: CoroutineScope,
    io: CoroutineContext,
    /** Something changed that the device list shows (a device went). */
    private val onChanged: () -> Unit = {},
    /** The locked copy was erased: nothing of hers is left on this device. */
    private val onErased: () -> Unit = {},
) : StateHolder<RemovalUi>(RemovalUi(), scope, io), RemovalActions {

    override fun failed(message: UiText) = update { it.copy(loaded = true, busy = false, confirmErase = false, error = message, message = null) }

    fun refresh(): Job = work { load() }

    /** While the app is open: every change (a local write, every sync pass) reads the removals afresh. */
    suspend fun followChanges() {
        store.changes().conflate().collect { refresh().join() }
    }

    private suspend fun load() {
        val locked = store.lockedCopy()
        val pending = if (locked == null) store.pendingRemovals() else emptyList()
        val history = store.removalHistory()
        // A device that wiped its copy holds none of her Kindred any more (a new one, not yet synced, holds its own).
        val gone = locked == null && store.syncStatus().isEmpty()
        update {
            it.copy(
                loaded = true,
                locked = locked?.let { l -> LockedLine(l.removedBy) },
                gone = gone,
                pending = pending.map(::line).sortedWith(compareBy({ p -> !p.thisDevice }, { p -> p.kit }, { p -> p.name.lowercase() })),
                history = history.map(::historyLine),
                keptHere = it.keptHere && pending.none { p -> p.thisDevice },
            )
        }
    }

    private fun line(p: PendingRemoval) = PendingLine(
        fingerprint = p.fingerprint,
        name = p.name,
        askedBy = p.askedBy,
        thisDevice = p.thisDevice,
        askedHere = p.askedHere,
        kit = p.kit,
        lost = p.lost,
        until = removalAt(p.notBefore, clock),
    )

    private fun historyLine(h: RemovalHistory) = HistoryLine(
        fingerprint = h.fingerprint,
        text = when (h.how) {
            RemovedHow.KIT -> UiText(Keys.REMOVAL_HISTORY_KIT, h.name)
            RemovedHow.CONFIRMED -> UiText(Keys.REMOVAL_HISTORY_CONFIRMED, h.name, h.by)
            RemovedHow.WAITED -> h.waitedUntil?.let { UiText(Keys.REMOVAL_HISTORY_WAITED, h.name, h.by, removalAt(it, clock)) }
                ?: UiText(Keys.REMOVAL_HISTORY_OTHER, h.name, h.by)
            RemovedHow.OTHER -> UiText(Keys.REMOVAL_HISTORY_OTHER, h.name, h.by)
        },
        copy = UiText(if (h.lost) Keys.REMOVAL_HISTORY_LOST else Keys.REMOVAL_HISTORY_KEPT),
    )

    override fun keep(line: PendingLine): Job = work {
        update { it.copy(busy = true, message = null, error = null) }
        store.cancelRemoval(line.fingerprint)
        val said = when {
            line.thisDevice -> UiText(Keys.REMOVAL_KEPT_THIS)
            line.kit -> UiText(Keys.REMOVAL_KEPT_KIT)
            else -> UiText(Keys.REMOVAL_KEPT, line.name)
        }
        update { it.copy(busy = false, message = said, keptHere = line.thisDevice) }
        load()
        onChanged()
    }

    override fun confirm(line: PendingLine): Job = work {
        if (!line.canConfirm) return@work
        update { it.copy(busy = true, message = null, error = null) }
        val r = store.removeDevice(line.fingerprint, line.lost)
        update { it.copy(busy = false, message = removalText(r, kit = false, clock = clock)) }
        load()
        onChanged()
    }

    // ----- the locked copy -------------------------------------------------------

    /** Today was shown again: "This device stays one of yours" has been seen. */
    fun seen() = update { it.copy(keptHere = false) }

    override fun setIncludeSensitive(on: Boolean) = update { it.copy(includeSensitive = on) }

    /** Her words from the locked copy, as a JSON file through the share sheet (as in Settings). */
    override fun exportLocked(): Job = work {
        update { it.copy(busy = true, error = null, exportedTo = null, confirmErase = false) }
        val json = store.exportJson(includeSensitive = state.value.includeSensitive)
        val where = shareSheet.share("kindred-${LocalDate.now(clock)}.json", "application/json", json.encodeToByteArray())
        update { it.copy(busy = false, exportedTo = where, message = UiText(Keys.EXPORT_DONE)) }
    }

    override fun askEraseLocked() = update { it.copy(confirmErase = true, message = null, error = null) }

    override fun keepLocked() = update { it.copy(confirmErase = false) }

    /** The second tap: deletes the locked copy for good; the app then starts afresh ([onErased]). */
    override fun startAgain() = onErased()

    override fun eraseLocked(): Job = work {
        if (!state.value.confirmErase) return@work
        update { it.copy(busy = true) }
        store.eraseLockedCopy()
        update { it.copy(busy = false, confirmErase = false, locked = null, exportedTo = null, message = null) }
        onErased()
    }
}
