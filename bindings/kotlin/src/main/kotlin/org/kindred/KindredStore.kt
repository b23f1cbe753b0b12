package org.kindred

import java.io.File
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.format.DateTimeFormatter
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.callbackFlow
import org.kindred.ffi.ChangeListener
import org.kindred.ffi.CheckInRecord
import org.kindred.ffi.ContactRecord
import org.kindred.ffi.DeviceInfoRecord
import org.kindred.ffi.DeviceRecord
import org.kindred.ffi.GoalChanges
import org.kindred.ffi.GoalRecord
import org.kindred.ffi.KeyProvider
import org.kindred.ffi.Kindred
import org.kindred.ffi.KindredException
import org.kindred.ffi.NewCheckIn
import org.kindred.ffi.NewGoal
import org.kindred.ffi.NewNote
import org.kindred.ffi.NoteRecord
import org.kindred.ffi.PeerRecord
import org.kindred.ffi.SasRecord
import org.kindred.ffi.ShareRecord
import org.kindred.ffi.SpaceSyncRecord
import org.kindred.ffi.SyncStatusRecord
import org.kindred.ffi.WeekRecord

/** Where a goal stands. Every status can move to every other: no failure states. */
enum class GoalStatus(val stored: String) {
    ACTIVE("active"), PAUSED("paused"), ACHIEVED("achieved"), LET_GO("let_go");

    companion object {
        /** The status for a stored word; null for a word from a newer version. */
        fun of(stored: String): GoalStatus? = entries.firstOrNull { it.stored == stored }
    }
}

/** The part of life a goal belongs to (the eight dimensions of wellness). */
enum class LifeArea(val stored: String) {
    EMOTIONAL("emotional"), ENVIRONMENTAL("environmental"), FINANCIAL("financial"),
    INTELLECTUAL("intellectual"), OCCUPATIONAL("occupational"), PHYSICAL("physical"),
    SOCIAL("social"), SPIRITUAL("spiritual");

    companion object {
        fun of(stored: String): LifeArea? = entries.firstOrNull { it.stored == stored }
    }
}

/** Who may do what in a shared space. */
enum class Role(val stored: String) { OWNER("owner"), WRITER("writer"), READER("reader") }

val GoalRecord.goalStatus: GoalStatus? get() = GoalStatus.of(status)
val GoalRecord.lifeArea: LifeArea? get() = area?.let { LifeArea.of(it) }
val GoalRecord.target: LocalDate? get() = targetDate?.let(LocalDate::parse)
val GoalRecord.created: OffsetDateTime get() = OffsetDateTime.parse(createdAt)
val CheckInRecord.occurred: OffsetDateTime get() = OffsetDateTime.parse(occurredAt)
val NoteRecord.startTime: OffsetDateTime get() = OffsetDateTime.parse(start)
val NoteRecord.isSigned: Boolean get() = status == "signed"

/** RFC 3339 with seconds, as the core reads times (`toString()` drops zero seconds). */
internal fun OffsetDateTime.rfc3339(): String = format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)

/** Supplies the 32-byte storage key: Android Keystore, iOS Keychain, or a test key. */
fun interface StorageKeys {
    fun storageKey(): ByteArray
}

private class Keys(private val keys: StorageKeys) : KeyProvider {
    override fun storageKey(): ByteArray = keys.storageKey()
}

/**
 * One device's Kindred data, for Kotlin.
 *
 * Everything runs in the Rust core; this class only makes it feel like
 * Kotlin: default arguments, `java.time` values, enums, `suspend` for
 * network work, a [Flow] of changes, and [AutoCloseable] (after [close],
 * every call throws [KindredException.Closed]).
 *
 * Errors arrive as the sealed [KindredException]: `InvalidInput` (show the
 * message next to the field), `NotFound`, `NotAllowed`, `Offline` (kept
 * here, syncs later), `Sync`, `Pairing`, `Storage`, `KeyUnavailable`, `Setup`,
 * `Closed`. Messages are written for people and hold no personal data.
 */
class KindredStore private constructor(private val ffi: Kindred) : AutoCloseable {
    companion object {
        /** Sets up a new device: identity, keys, personal and caseload spaces. */
        fun init(dataDir: File, keys: StorageKeys, deviceName: String) =
            KindredStore(Kindred.init(dataDir.path, Keys(keys), deviceName))

        /** Sets up a device that will join another of the person's devices by QR pairing. */
        fun initJoining(dataDir: File, keys: StorageKeys, deviceName: String) =
            KindredStore(Kindred.initJoining(dataDir.path, Keys(keys), deviceName))

        /** Opens existing data. */
        fun open(dataDir: File, keys: StorageKeys) = KindredStore(Kindred.open(dataDir.path, Keys(keys)))
    }

    val device: DeviceRecord get() = ffi.device()

    // ----- goals -------------------------------------------------------------

    fun addGoal(title: String, why: String? = null, area: LifeArea? = null, targetDate: LocalDate? = null): String =
        ffi.addGoal(NewGoal(title, why, area?.stored, targetDate?.toString()))

    fun goal(id: String): GoalRecord = ffi.goal(id)

    fun goals(status: GoalStatus? = null): List<GoalRecord> = ffi.goals(status?.stored)

    fun updateGoal(
        id: String,
        title: String? = null,
        why: String? = null,
        area: LifeArea? = null,
        targetDate: LocalDate? = null,
        clearWhy: Boolean = false,
        clearArea: Boolean = false,
        clearTargetDate: Boolean = false,
    ) = ffi.updateGoal(
        id,
        GoalChanges(title, why, clearWhy, area?.stored, clearArea, targetDate?.toString(), clearTargetDate),
    )

    fun setGoalStatus(id: String, status: GoalStatus) = ffi.setGoalStatus(id, status.stored)

    fun addStep(goalId: String, text: String, due: LocalDate? = null): String =
        ffi.addStep(goalId, text, due?.toString())

    fun setStepDone(goalId: String, stepId: String, done: Boolean = true) = ffi.setStepDone(goalId, stepId, done)

    fun addProgress(goalId: String, note: String): String = ffi.addProgress(goalId, note)

    // ----- check-ins ---------------------------------------------------------

    fun addCheckIn(
        mood: Int,
        energy: Int? = null,
        tags: List<String> = emptyList(),
        note: String? = null,
        at: OffsetDateTime? = null,
    ): String = ffi.addCheckIn(NewCheckIn(at?.rfc3339(), mood.toLong(), energy?.toLong(), tags, note))

    fun checkIns(since: LocalDate? = null, until: LocalDate? = null): List<CheckInRecord> =
        ffi.checkIns(since?.toString(), until?.toString())

    fun weeklySummary(weeks: Int, today: LocalDate = LocalDate.now()): List<WeekRecord> =
        ffi.weeklySummary(weeks.toUInt(), today.toString())

    // ----- contacts and notes ------------------------------------------------

    fun addContact(name: String): String = ffi.addContact(name)

    fun contacts(): List<ContactRecord> = ffi.contacts()

    fun addNote(
        contactId: String,
        start: OffsetDateTime,
        end: OffsetDateTime,
        narrative: String,
        contactType: String = "in_person",
        setting: String = "community",
        ownWords: String? = null,
        substanceUse: Boolean = false,
    ): String = ffi.addNote(
        NewNote(
            contactId, contactType, setting, start.rfc3339(), end.rfc3339(), emptyList(), emptyList(),
            narrative, ownWords, null, null, null, substanceUse,
        ),
    )

    fun note(id: String): NoteRecord = ffi.note(id)

    fun notes(contactId: String? = null): List<NoteRecord> = ffi.notes(contactId)

    /** Changes a draft (the editor's autosave); `null` leaves a field as it is. */
    fun updateNote(
        id: String,
        narrative: String? = null,
        ownWords: String? = null,
        end: OffsetDateTime? = null,
        substanceUse: Boolean? = null,
    ) = ffi.updateNote(id, org.kindred.ffi.NoteChanges(narrative, ownWords, null, null, end?.rfc3339(), substanceUse))

    fun signNote(id: String) = ffi.signNote(id)

    fun addAddendum(id: String, text: String): String = ffi.addAddendum(id, text)

    fun commentNote(id: String, text: String): String = ffi.commentNote(id, text)

    fun reviewNote(id: String) = ffi.reviewNote(id)

    fun shareNote(id: String, space: String, personAgreed: Boolean = false) = ffi.shareNote(id, space, personAgreed)

    fun exportJson(includeSensitive: Boolean = false): String = ffi.exportJson(includeSensitive)

    // ----- sync ----------------------------------------------------------------

    var server: String?
        get() = ffi.server()
        set(value) = ffi.setServer(requireNotNull(value) { "a server address is required" })

    suspend fun sync(): List<SpaceSyncRecord> = ffi.sync()

    fun syncStatus(): List<SyncStatusRecord> = ffi.syncStatus()

    fun devices(): List<DeviceInfoRecord> = ffi.devices()

    suspend fun removeDevice(fingerprint: String): PeerRecord = ffi.removeDevice(fingerprint)

    /**
     * Changes that sync brings in, as they arrive: a watch holds the relay's live
     * connection (and polls every [pollSeconds] as a fallback). Collecting starts
     * it; cancelling the collector stops it.
     */
    fun changes(pollSeconds: Long = 60): Flow<Long> = callbackFlow {
        ffi.setChangeListener(object : ChangeListener {
            override fun onChange(changes: ULong) {
                trySend(changes.toLong())
            }
        })
        val watch = ffi.watch(pollSeconds.toULong())
        awaitClose {
            watch.cancel()
            watch.close()
            ffi.setChangeListener(null)
        }
    }

    /** Registers a plain listener (for callers without coroutines). */
    fun onChange(listener: ((Long) -> Unit)?) = ffi.setChangeListener(
        listener?.let { l -> object : ChangeListener { override fun onChange(changes: ULong) = l(changes.toLong()) } },
    )

    // ----- pairing a person's own devices (QR) -----------------------------------

    /** The text to show as a QR code on the existing device. */
    fun pairOffer(ttlSeconds: Long = 600): String = ffi.pairOffer(ttlSeconds.toULong())

    suspend fun pairWait(offer: String, timeoutSeconds: Long = 600): PeerRecord =
        ffi.pairWait(offer, timeoutSeconds.toULong())

    /** On a device made with [initJoining]: join with the scanned offer text. */
    suspend fun pairJoin(offer: String, timeoutSeconds: Long = 600): PeerRecord =
        ffi.pairJoin(offer, timeoutSeconds.toULong())

    // ----- sharing with a worker ---------------------------------------------------

    /** Starts an invite: show [Invite.code], then compare [Invite.waitForSas]. */
    suspend fun invite(space: String? = null, role: Role = Role.WRITER): Invite =
        Invite(ffi.inviteCreate(space, role.stored))

    suspend fun join(code: String): Joining = Joining(ffi.inviteJoin(code))

    fun shareGoal(goalId: String, space: String) = ffi.shareGoal(goalId, space)

    fun unshareGoal(goalId: String) = ffi.unshareGoal(goalId)

    fun shareCheckIns(space: String, since: LocalDate, until: LocalDate): Long =
        ffi.shareCheckIns(space, since.toString(), until.toString()).toLong()

    fun shares(): List<ShareRecord> = ffi.shares()

    suspend fun endShare(space: String, member: String? = null): PeerRecord = ffi.endShare(space, member)

    /**
     * Closes the data (the database, the keys in memory). Later calls throw
     * [KindredException.Closed]; the small native handle itself is freed when
     * this object is collected.
     */
    override fun close() = ffi.closeData()
}

/** The inviting side of an invite. */
class Invite internal constructor(private val handle: org.kindred.ffi.InviteHandle) : AutoCloseable {
    val code: String get() = handle.code()
    suspend fun waitForSas(timeoutSeconds: Long = 600): SasRecord = handle.waitForSas(timeoutSeconds.toULong())
    suspend fun confirm(timeoutSeconds: Long = 600): PeerRecord = handle.confirm(timeoutSeconds.toULong())
    suspend fun decline() = handle.decline()
    override fun close() = handle.close()
}

/** The joining side of an invite. */
class Joining internal constructor(private val handle: org.kindred.ffi.JoinHandle) : AutoCloseable {
    suspend fun waitForSas(timeoutSeconds: Long = 600): SasRecord = handle.waitForSas(timeoutSeconds.toULong())
    suspend fun confirm(timeoutSeconds: Long = 600): PeerRecord = handle.confirm(timeoutSeconds.toULong())
    suspend fun decline() = handle.decline()
    override fun close() = handle.close()
}
