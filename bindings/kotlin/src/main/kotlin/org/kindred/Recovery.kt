package org.kindred

import java.time.Instant

/*
 * The recovery kit and removing the person's own devices (issue 16). The
 * rules are the core's (kindred_core::recovery, sync::removal); here they
 * are typed for Kotlin. Kit words are shown once and typed back; nothing of
 * them is kept.
 */

/** A new kit, to show once: its 12 [words], its QR text, and its 3 [shares] when split. */
data class NewKit(val words: String, val qrText: String, val shares: List<String>, val spaces: List<String>, val oldKitWaits: Boolean)

/** Whether the person has a kit; [missing] are kinds of records it does not bring back yet. */
data class KitStatus(val hasKit: Boolean, val spaces: List<String>, val missing: List<String>, val oldKitWaits: Boolean)

/** What asking to remove a device did: [removed], or it waits until [waitsUntil]. */
data class Removal(val name: String, val fingerprint: String, val removed: Boolean, val waitsUntil: Instant?, val lost: Boolean)

/** A removal that waits. [thisDevice]: the one to remove is this device; [askedHere]: this device asked. */
data class PendingRemoval(
    val name: String,
    val fingerprint: String,
    val askedBy: String,
    val askedHere: Boolean,
    val thisDevice: Boolean,
    val kit: Boolean,
    val lost: Boolean,
    val notBefore: Instant,
)

enum class RemovedHow { KIT, CONFIRMED, WAITED, OTHER }

/** One removal of the person's devices, as the log shows it; [at] by the remover's clock, when it said. */
data class RemovalHistory(
    val name: String,
    val fingerprint: String,
    val by: String,
    val how: RemovedHow,
    val lost: Boolean,
    val waitedUntil: Instant?,
    val at: Instant? = null,
)

/** This device was removed (not as lost) and keeps a locked copy. */
data class LockedCopy(val spaces: List<String>, val removedBy: String)

/** What restoring brought back. */
data class Restored(val spaces: List<String>, val removedDevices: Int)

/** Checks words typed as a kit: throws [KindredException.InvalidInput] saying which word, or the checksum. */
fun checkKitWords(words: String) = org.kindred.ffi.checkKitWords(words)

/** Checks one typed share ("2: word …"); returns its number. */
fun checkKitShare(share: String): Int = org.kindred.ffi.checkKitShare(share).toInt()

private fun org.kindred.ffi.RemovalRecord.typed() =
    Removal(name, fingerprint, removed, waitsUntil?.let(Instant::parse), lost)

suspend fun KindredStore.createRecoveryKit(oldWords: String? = null, split: Boolean = false): NewKit =
    ffi.createRecoveryKit(oldWords, split).let { NewKit(it.words, it.qrText, it.shares, it.spaces, it.oldKitWaits) }

suspend fun KindredStore.recoveryKitStatus(): KitStatus =
    call { ffi.recoveryKitStatus().let { KitStatus(it.hasKit, it.spaces, it.missing, it.oldKitWaits) } }

/** On a store made with [KindredStore.createJoining]: everything back from the kit's [words] or two [shares]. */
suspend fun KindredStore.restoreFromKit(server: String, words: String?, shares: List<String> = emptyList(), keepOldDevices: Boolean = false): Restored =
    ffi.restoreFromKit(server, words, shares, keepOldDevices).let { Restored(it.spaces, it.removedDevices.toInt()) }

/** Removes a device: someone else's at once; one of hers when another of her devices confirms, or after the wait. */
suspend fun KindredStore.removeDevice(fingerprint: String, lost: Boolean): Removal = ffi.removeDevice(fingerprint, lost).typed()

/** Removes a device at once with the kit's [words]. */
suspend fun KindredStore.removeDeviceWithKit(words: String, fingerprint: String, lost: Boolean): Removal =
    ffi.removeDeviceWithKit(words, fingerprint, lost).typed()

suspend fun KindredStore.pendingRemovals(): List<PendingRemoval> = call {
    ffi.pendingRemovals().map {
        PendingRemoval(it.name, it.fingerprint, it.askedBy, it.askedHere, it.thisDevice, it.kit, it.lost, Instant.parse(it.notBefore))
    }
}

suspend fun KindredStore.cancelRemoval(fingerprint: String) = ffi.cancelRemoval(fingerprint)

suspend fun KindredStore.removalHistory(): List<RemovalHistory> = call {
    ffi.removalHistory().map {
        val how = when (it.how) { "kit" -> RemovedHow.KIT; "confirmed" -> RemovedHow.CONFIRMED; "waited" -> RemovedHow.WAITED; else -> RemovedHow.OTHER }
        RemovalHistory(it.name, it.fingerprint, it.by, how, it.lost, it.waitedUntil?.let(Instant::parse), it.at?.let(Instant::parse))
    }
}

suspend fun KindredStore.lockedCopy(): LockedCopy? = call { ffi.lockedCopy()?.let { LockedCopy(it.spaces, it.removedBy) } }

suspend fun KindredStore.eraseLockedCopy(): Int = call { ffi.eraseLockedCopy().toInt() }

/** Sends what waits, one round trip per space with something to send (after a local write). */
suspend fun KindredStore.syncPending(): List<SpaceSync> = ffi.syncPending().map { it.typed() }

/** How long this device's requests to remove one of her devices wait (the relay refuses less than its own). */
suspend fun KindredStore.setRemovalWait(seconds: Long) = call { ffi.setRemovalWait(seconds.toULong()) }
