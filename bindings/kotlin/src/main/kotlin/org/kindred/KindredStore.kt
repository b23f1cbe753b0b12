package org.kindred

import java.io.File
import java.time.Duration
import java.time.LocalDate
import java.time.OffsetDateTime
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withContext
import org.kindred.ffi.ChangeEvent
import org.kindred.ffi.ChangeListener
import org.kindred.ffi.GoalChanges
import org.kindred.ffi.KeyProvider
import org.kindred.ffi.KeyProviderException
import org.kindred.ffi.Kindred
import org.kindred.ffi.KindredException
import org.kindred.ffi.NewCheckIn
import org.kindred.ffi.NewGoal
import org.kindred.ffi.NewNote
import org.kindred.ffi.NoteChanges

/** Supplies the 32-byte storage key: Android Keystore, iOS Keychain, or a test key. */
fun interface StorageKeys {
    /** Throw anything if the key store cannot give the key: it arrives as [KindredException.KeyUnavailable]. */
    fun storageKey(): ByteArray
}

private class Keys(private val keys: StorageKeys) : KeyProvider {
    override fun storageKey(): ByteArray = try {
        keys.storageKey()
    } catch (e: Exception) {
        // A key store's own exception (locked, user not authenticated, ...)
        // becomes the typed error; its text is not carried on.
        throw KeyProviderException.Unavailable()
    }
}

/**
 * One device's Kindred data, for Kotlin.
 *
 * Everything runs in the Rust core; this class makes it feel like Kotlin:
 * typed records ([Goal], [ContactNote] ...), typed ids ([GoalId] ...), enums,
 * `java.time`, default arguments, a [Flow] of [changes], and [AutoCloseable]
 * (after [close], every call throws [KindredException.Closed]).
 *
 * Every call is `suspend` and runs on [io] (Dispatchers.IO unless given), so no
 * screen calls the core on the UI thread. Local reads and writes never wait
 * for the network: a sync talks to the relay without holding what they need.
 *
 * Errors arrive as the sealed [KindredException]: `InvalidInput` (show the
 * message next to the field), `NotFound`, `NotAllowed`, `Offline` (kept
 * here, syncs later), `Sync`, `Pairing`, `Storage`, `KeyUnavailable`, `Setup`,
 * `Closed`. Messages are written for people and hold no personal data.
 */
class KindredStore private constructor(
    internal val ffi: Kindred,
    private val io: CoroutineDispatcher,
) : AutoCloseable {
    companion object {
        /** Sets up a new device: identity, keys, personal and caseload spaces. */
        suspend fun create(
            dataDir: File,
            keys: StorageKeys,
            deviceName: String,
            io: CoroutineDispatcher = Dispatchers.IO,
        ): KindredStore = withContext(io) { KindredStore(Kindred.create(dataDir.path, Keys(keys), deviceName), io) }

        /** Sets up a device that will join another of the person's devices by QR pairing ([pairJoinRequest], then [pairJoinWait]). */
        suspend fun createJoining(
            dataDir: File,
            keys: StorageKeys,
            deviceName: String,
            io: CoroutineDispatcher = Dispatchers.IO,
        ): KindredStore = withContext(io) {
            KindredStore(Kindred.createJoining(dataDir.path, Keys(keys), deviceName), io)
        }

        /** Opens existing data. */
        suspend fun open(dataDir: File, keys: StorageKeys, io: CoroutineDispatcher = Dispatchers.IO): KindredStore =
            withContext(io) { KindredStore(Kindred.open(dataDir.path, Keys(keys)), io) }

        /** True if [dataDir] holds Kindred data (open it) rather than nothing yet (create it). */
        fun exists(dataDir: File): Boolean = File(dataDir, "kindred.db").exists()
    }

    internal suspend fun <T> call(block: () -> T): T = withContext(io) { block() }

    suspend fun device(): Device = call { ffi.device().typed() }

    // ----- goals -------------------------------------------------------------

    suspend fun addGoal(title: String, why: String? = null, area: LifeArea? = null, targetDate: LocalDate? = null): GoalId =
        call { GoalId(ffi.addGoal(NewGoal(title, why, area?.stored, targetDate?.toString()))) }

    suspend fun goal(id: GoalId): Goal = call { ffi.goal(id.value).typed() }

    suspend fun goals(status: GoalStatus? = null): List<Goal> = call { ffi.goals(status?.stored).map { it.typed() } }

    /** Changes a goal; `null` leaves a field as it is, a `clear*` flag empties it. */
    suspend fun updateGoal(
        id: GoalId,
        title: String? = null,
        why: String? = null,
        area: LifeArea? = null,
        targetDate: LocalDate? = null,
        clearWhy: Boolean = false,
        clearArea: Boolean = false,
        clearTargetDate: Boolean = false,
    ) = call {
        ffi.updateGoal(
            id.value,
            GoalChanges(title, why, clearWhy, area?.stored, clearArea, targetDate?.toString(), clearTargetDate),
        )
    }

    suspend fun setGoalStatus(id: GoalId, status: GoalStatus) = call { ffi.setGoalStatus(id.value, status.stored) }

    suspend fun addStep(goal: GoalId, text: String, due: LocalDate? = null): StepId =
        call { StepId(ffi.addStep(goal.value, text, due?.toString())) }

    /** Ticks a step (or un-ticks it with `done = false`). */
    suspend fun setStepDone(goal: GoalId, step: StepId, done: Boolean = true) =
        call { ffi.setStepDone(goal.value, step.value, done) }

    suspend fun addProgress(goal: GoalId, note: String): ProgressId = call { ProgressId(ffi.addProgress(goal.value, note)) }

    /**
     * Deletes a goal with its steps and progress (from a share too, for
     * everyone in it); returns it as it was, so the screen can say what went.
     */
    suspend fun deleteGoal(id: GoalId): Goal = call { ffi.deleteGoal(id.value).typed() }

    // ----- check-ins ---------------------------------------------------------

    /** Records a check-in; [at] may be in the past (back-dating), default now. */
    suspend fun addCheckIn(
        mood: Int,
        energy: Int? = null,
        tags: List<String> = emptyList(),
        note: String? = null,
        at: OffsetDateTime? = null,
    ): CheckInId = call { CheckInId(ffi.addCheckIn(NewCheckIn(at?.rfc3339(), mood.toLong(), energy?.toLong(), tags, note))) }

    /**
     * Changes one of the person's check-ins (Today's edit); a null leaves a
     * field as it is, [clearEnergy] and [clearNote] take those off.
     */
    suspend fun updateCheckIn(
        id: CheckInId,
        mood: Int? = null,
        energy: Int? = null,
        tags: List<String>? = null,
        note: String? = null,
        at: OffsetDateTime? = null,
        clearEnergy: Boolean = false,
        clearNote: Boolean = false,
    ) = call {
        ffi.updateCheckIn(
            id.value,
            org.kindred.ffi.CheckInChanges(at?.rfc3339(), mood?.toLong(), energy?.toLong(), clearEnergy, tags, note, clearNote),
        )
    }

    /** Deletes one of the person's check-ins, and the copies of it they shared. */
    suspend fun deleteCheckIn(id: CheckInId) = call { ffi.deleteCheckIn(id.value) }

    suspend fun checkIns(since: LocalDate? = null, until: LocalDate? = null): List<CheckIn> =
        call { ffi.checkIns(since?.toString(), until?.toString()).map { it.typed() } }

    /** Week by week (Monday to Sunday) over [weeks] weeks up to [today], oldest first. */
    suspend fun weeklySummary(weeks: Int, today: LocalDate = LocalDate.now()): List<Week> =
        call { ffi.weeklySummary(weeks.toUInt(), today.toString()).map { it.typed() } }

    // ----- contacts and notes ------------------------------------------------

    suspend fun addContact(name: String): ContactId = call { ContactId(ffi.addContact(name)) }

    suspend fun contacts(): List<Contact> = call { ffi.contacts().map { Contact(ContactId(it.id), it.name, it.shareSpace?.let(::SpaceId)) } }

    /** Adds a draft note about a contact; every field of a note can be given here. */
    suspend fun addNote(
        contact: ContactId,
        start: OffsetDateTime,
        end: OffsetDateTime,
        narrative: String,
        contactType: ContactType = ContactType.IN_PERSON,
        setting: Setting = Setting.COMMUNITY,
        goalsAddressed: List<String> = emptyList(),
        peerActivities: List<String> = emptyList(),
        ownWords: String? = null,
        strengths: String? = null,
        nextSteps: String? = null,
        nextContact: LocalDate? = null,
        substanceUse: Boolean = false,
    ): NoteId = call {
        NoteId(
            ffi.addNote(
                NewNote(
                    contact.value, contactType.stored, setting.stored, start.rfc3339(), end.rfc3339(),
                    goalsAddressed, peerActivities, narrative, ownWords, strengths, nextSteps,
                    nextContact?.toString(), substanceUse,
                ),
            ),
        )
    }

    suspend fun note(id: NoteId): ContactNote = call { ffi.note(id.value).typed() }

    suspend fun notes(contact: ContactId? = null): List<ContactNote> = call { ffi.notes(contact?.value).map { it.typed() } }

    /**
     * Changes a draft (the editor's autosave). `null` leaves a field as it is;
     * a `clear*` flag empties an optional field. A signed note is never changed
     * ([KindredException.NotAllowed]): add an addendum instead.
     */
    suspend fun updateNote(
        id: NoteId,
        contactType: ContactType? = null,
        setting: Setting? = null,
        start: OffsetDateTime? = null,
        end: OffsetDateTime? = null,
        goalsAddressed: List<String>? = null,
        peerActivities: List<String>? = null,
        narrative: String? = null,
        ownWords: String? = null,
        strengths: String? = null,
        nextSteps: String? = null,
        nextContact: LocalDate? = null,
        substanceUse: Boolean? = null,
        clearOwnWords: Boolean = false,
        clearStrengths: Boolean = false,
        clearNextSteps: Boolean = false,
        clearNextContact: Boolean = false,
    ) = call {
        ffi.updateNote(
            id.value,
            NoteChanges(
                contactType = contactType?.stored,
                setting = setting?.stored,
                start = start?.rfc3339(),
                end = end?.rfc3339(),
                goalsAddressed = goalsAddressed,
                peerActivities = peerActivities,
                narrative = narrative,
                ownWords = ownWords,
                clearOwnWords = clearOwnWords,
                strengths = strengths,
                clearStrengths = clearStrengths,
                nextSteps = nextSteps,
                clearNextSteps = clearNextSteps,
                nextContact = nextContact?.toString(),
                clearNextContact = clearNextContact,
                substanceUse = substanceUse,
            ),
        )
    }

    suspend fun signNote(id: NoteId) = call { ffi.signNote(id.value) }

    suspend fun addAddendum(id: NoteId, text: String): AddendumId = call { AddendumId(ffi.addAddendum(id.value, text)) }

    /** The person's own words on a note shared with them. */
    suspend fun commentNote(id: NoteId, text: String): CommentId = call { CommentId(ffi.commentNote(id.value, text)) }

    suspend fun reviewNote(id: NoteId) = call { ffi.reviewNote(id.value) }

    /** Shares a note with the person; a substance-use note only when [personAgreed]. */
    suspend fun shareNote(id: NoteId, space: SpaceId, personAgreed: Boolean = false) =
        call { ffi.shareNote(id.value, space.value, personAgreed) }

    suspend fun exportJson(includeSensitive: Boolean = false): String = call { ffi.exportJson(includeSensitive) }

    // ----- sync ----------------------------------------------------------------

    suspend fun server(): String? = call { ffi.server() }

    suspend fun setServer(url: String) = call { ffi.setServer(url) }

    /** One sync pass. Local calls go on meanwhile; they never wait for the network. */
    suspend fun sync(): List<SpaceSync> = ffi.sync().map { it.typed() }

    suspend fun syncStatus(): List<SyncStatus> = call { ffi.syncStatus().map { it.typed() } }

    suspend fun devices(): List<DeviceInfo> = call { ffi.devices().map { it.typed() } }


    /**
     * Every change, as it happens: local writes through this object and what
     * syncs bring in. Any number of collectors; each has its own listener,
     * removed when that collector stops. Collecting does not sync: [watch] does.
     */
    fun changes(): Flow<Change> = flow {
        // The listener is registered as soon as collecting starts (in the
        // collector's own coroutine), so no change after that is missed.
        val arrived = Channel<Change>(Channel.UNLIMITED)
        val handle = ffi.addChangeListener(object : ChangeListener {
            override fun onChange(event: ChangeEvent) {
                arrived.trySend(Change(event.local, event.changes.toLong()))
            }
        })
        try {
            for (change in arrived) emit(change)
        } finally {
            handle.cancel()
            handle.close()
        }
    }

    /**
     * Keeps syncing in the background: whenever the relay says something is new,
     * and every [poll] regardless. Close the returned handle to stop.
     */
    suspend fun watch(poll: Duration = Duration.ofMinutes(1)): AutoCloseable = call {
        val handle = ffi.watch(poll.seconds.coerceAtLeast(1).toULong())
        AutoCloseable {
            handle.cancel()
            handle.close()
        }
    }

    // ----- pairing a person's own devices (QR) -----------------------------------

    /** The text to show as a QR code on the existing device. */
    suspend fun pairOffer(ttl: Duration = Duration.ofMinutes(10)): String = call { ffi.pairOffer(ttl.seconds.toULong()) }

    /**
     * Waits for a new device to ask to join with [offer]. Adds no one: show the request's
     * [PairRequest.code] and ask the person whether her new device shows it too, then [pairAnswer].
     */
    suspend fun pairWait(offer: String, timeout: Duration = Duration.ofMinutes(10)): PairRequest =
        ffi.pairWait(offer, timeout.seconds.toULong()).typed()

    /** The person's answer: yes adds the device (returned); no ("Not my device") adds no one (null). */
    suspend fun pairAnswer(offer: String, yes: Boolean): Peer? = ffi.pairAnswer(offer, yes)?.typed()

    /**
     * On a device made with [createJoining]: asks to join with the scanned (or pasted) offer text.
     * Returns the code to show; the other device shows the same one. Then [pairJoinWait].
     */
    suspend fun pairJoinRequest(offer: String): PairCode = ffi.pairJoinRequest(offer).typed()

    /** After [pairJoinRequest]: waits for the other device's person to say yes, then syncs. */
    suspend fun pairJoinWait(offer: String, timeout: Duration = Duration.ofMinutes(10)): Peer =
        ffi.pairJoinWait(offer, timeout.seconds.toULong()).typed()

    // ----- sharing with a worker ---------------------------------------------------

    /** Starts an invite: show [Invite.code], then compare [Invite.waitForSas]. */
    suspend fun invite(space: SpaceId? = null, role: Role = Role.WRITER): Invite =
        Invite(ffi.inviteCreate(space?.value, role.stored))

    suspend fun join(code: String): Joining = Joining(ffi.inviteJoin(code))

    suspend fun shareGoal(goal: GoalId, space: SpaceId) = call { ffi.shareGoal(goal.value, space.value) }

    suspend fun unshareGoal(goal: GoalId) = call { ffi.unshareGoal(goal.value) }

    /** Shares copies of the check-ins from [since] to [until]; returns how many. */
    suspend fun shareCheckIns(space: SpaceId, since: LocalDate, until: LocalDate): Long =
        call { ffi.shareCheckIns(space.value, since.toString(), until.toString()).toLong() }

    /**
     * Stops sharing the check-ins of the days from [since] to [until]: their
     * shared copies go (her own check-ins stay), and the shared days are cut
     * to what is left. Returns how many went.
     */
    suspend fun unshareCheckIns(space: SpaceId, since: LocalDate, until: LocalDate): Long =
        call { ffi.unshareCheckIns(space.value, since.toString(), until.toString()).toLong() }

    /** Every share, ended ones too ([Share.ended]): who it is with, what is in it. */
    suspend fun shares(): List<Share> = call { ffi.shares().map { it.typed() } }

    /**
     * Changes what the other people in a share (or only [member], by the start of its device
     * id) may do from now on. Only the person who shared it may: anyone else gets
     * [KindredException.NotAllowed] in plain words, and nothing changes.
     */
    suspend fun setShareRole(space: SpaceId, role: Role, member: String? = null): RoleChange =
        ffi.setShareRole(space.value, role.stored, member).typed()

    /** Ends a share: the other side's devices (or only [member]) are removed. */
    suspend fun endShare(space: SpaceId, member: String? = null): Peer = ffi.endShare(space.value, member).typed()

    // ----- delete forever ---------------------------------------------------------

    /**
     * Deletes one of the person's check-ins forever, with the copies she shared:
     * here at once, then (a sync runs straight after) on the sync server and her
     * other devices. The [Erasure] says where it is gone from. Only her own
     * devices may ([KindredException.NotAllowed] elsewhere).
     */
    suspend fun deleteCheckInForever(id: CheckInId): Erasure = ffi.deleteCheckInForever(id.value).typed()

    /** Deletes a goal forever, with its steps and progress, wherever it is or was. */
    suspend fun deleteGoalForever(id: GoalId): Erasure = ffi.deleteGoalForever(id.value).typed()

    /** Deletes one of the person's own comments on a shared note forever. */
    suspend fun deleteCommentForever(note: NoteId, comment: CommentId): Erasure =
        ffi.deleteCommentForever(note.value, comment.value).typed()

    /**
     * Deletes a contact forever, with every note about them. Signed notes go only
     * [because] of a [KeptRecordReason] ([KindredException.NotAllowed] without one).
     */
    suspend fun deleteContactForever(id: ContactId, because: KeptRecordReason? = null): Erasure =
        ffi.deleteContactForever(id.value, because?.stored).typed()

    /**
     * Ends a share and deletes forever everything in it: the other side leaves, her
     * goals in it come home, its copies and history go (what the other side's devices
     * already synced stays with them). Only the person who started it.
     */
    suspend fun eraseShare(space: SpaceId): Erasure = ffi.eraseShare(space.value).typed()

    /** Deletes everything this person's devices hold, forever; devices stay paired, shares open and empty. */
    suspend fun eraseEverything(): Erasure = ffi.eraseEverything().typed()

    /** Words about edits a fresh start could not keep ("1 change to a check-in you deleted was not kept"), each given once. */
    suspend fun takeErasureNotices(): List<String> = call { ffi.takeErasureNotices() }

    /** The erasures [space]'s log records, oldest first. */
    suspend fun erasures(space: SpaceId): List<ErasureEntry> = call { ffi.erasures(space.value).map { it.typed() } }

    /** How many spaces still wait for their erasure to reach the sync server (the next sync makes it). */
    suspend fun erasuresWaiting(): Int = call { ffi.erasuresWaiting().toInt() }

    // ----- finding a record from what a person typed ------------------------------

    /**
     * The goal [typed] names: its id or the start of it (4 characters or more).
     * None: [KindredException.NotFound]; several: [KindredException.InvalidInput]
     * (then [matches] lists them). The same rule for every finder below.
     */
    suspend fun findGoal(typed: String): GoalId = call { GoalId(ffi.resolve(RecordKind.GOAL.lookup, typed)) }

    suspend fun findCheckIn(typed: String): CheckInId = call { CheckInId(ffi.resolve(RecordKind.CHECK_IN.lookup, typed)) }

    /** A contact by the start of its id or by name (any case). */
    suspend fun findContact(typed: String): ContactId = call { ContactId(ffi.resolve(RecordKind.CONTACT.lookup, typed)) }

    suspend fun findNote(typed: String): NoteId = call { NoteId(ffi.resolve(RecordKind.NOTE.lookup, typed)) }

    /** A share by the name of someone in it or the start of its id; one still going wins over an ended one. */
    suspend fun findShare(typed: String): SpaceId = call { SpaceId(ffi.resolve(RecordKind.SHARE.lookup, typed)) }

    /** One step of [goal], by the start of its id or its exact words. */
    suspend fun findStep(goal: GoalId, typed: String): StepId = call { StepId(ffi.resolveStep(goal.value, typed)) }

    /** Every record of [kind] that fits [typed], to show the choices. */
    suspend fun matches(kind: RecordKind, typed: String): List<Match> =
        call { ffi.matches(kind.lookup, typed).map { Match(it.id, it.label) } }

    /**
     * Closes the data (the database, the keys in memory). Later calls throw
     * [KindredException.Closed]; the small native handle itself is freed when
     * this object is collected.
     */
    override fun close() = ffi.closeData()
}

/**
 * The inviting side of an invite. Show [code] and, before anyone says yes,
 * what the other person will be able to do ([roleInWords]). If the wait for
 * the other device times out, fails or is cancelled (the person left the
 * screen), or the person stops ([withdraw]), whoever types the code later is
 * told at once that it has expired, and this invite goes no further.
 */
class Invite internal constructor(private val handle: org.kindred.ffi.InviteHandle) : AutoCloseable {
    val code: String get() = handle.code()

    /** The role the other person will have. */
    val role: Role get() = Role.of(handle.role()) ?: Role.READER

    /** What the other person will be able to do, to finish "They will be able to …". */
    val roleInWords: String get() = handle.roleInWords()

    /** When the code stops working. */
    val expiresAt: OffsetDateTime get() = time(handle.expiresAt())

    /** The other device's name, once it has answered. */
    val joinerName: String? get() = handle.joinerName()

    /** The role the other device already has in the share, once it answered; null if it is not in it. */
    val already: Role? get() = handle.already()?.let { Role.of(it) ?: Role.READER }

    /**
     * For someone already in the share, once they answered: what they can do now and what
     * saying yes changes, in plain words ("Alex can already read …; this will let them …").
     */
    val changeInWords: String? get() = handle.changeInWords()

    suspend fun waitForSas(timeout: Duration = Duration.ofMinutes(10)): Sas = try {
        handle.waitForSas(timeout.seconds.toULong()).typed()
    } catch (e: kotlinx.coroutines.CancellationException) {
        withContext(NonCancellable) { runCatching { handle.withdraw() } }
        throw e
    }

    suspend fun confirm(timeout: Duration = Duration.ofMinutes(10)): Peer = handle.confirm(timeout.seconds.toULong()).typed()

    /** The strings differ: no one is added, and the other side is told. */
    suspend fun decline() = handle.decline()

    /** The person stopped inviting: the code stops working; nothing was added. */
    suspend fun withdraw() = handle.withdraw()

    override fun close() = handle.close()
}

/** The joining side of an invite: what this person will be able to do is known from the code, before anyone says yes. */
class Joining internal constructor(private val handle: org.kindred.ffi.JoinHandle) : AutoCloseable {
    /** The role this person will have in the share. */
    val role: Role get() = Role.of(handle.role()) ?: Role.READER

    /** What this person will be able to do, to finish "You will be able to …". */
    val roleInWords: String get() = handle.roleInWords()

    /** When the code stops working (by the inviter's clock). */
    val expiresAt: OffsetDateTime get() = time(handle.expiresAt())

    /** The inviting device's name, once its string arrived. */
    val inviterName: String? get() = handle.inviterName()

    /** This person's role in the one share they are already in with the inviter; null if none. */
    val already: Role? get() = handle.already()?.let { Role.of(it) ?: Role.READER }

    /** For someone already in a share with the inviter: what they can do there now, and what this invite would change. */
    val changeInWords: String? get() = handle.changeInWords()

    suspend fun waitForSas(timeout: Duration = Duration.ofMinutes(10)): Sas = handle.waitForSas(timeout.seconds.toULong()).typed()
    suspend fun confirm(timeout: Duration = Duration.ofMinutes(10)): Peer = handle.confirm(timeout.seconds.toULong()).typed()
    suspend fun decline() = handle.decline()
    override fun close() = handle.close()
}
