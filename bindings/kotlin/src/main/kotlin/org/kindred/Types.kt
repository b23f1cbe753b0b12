package org.kindred

import java.time.Duration
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.format.DateTimeFormatter

// Typed Kotlin values for what the generated records carry as text. Every
// choice is an enum; `of(stored)` gives null for a word written by a newer
// version of Kindred. Records never fail on such a word: a field is null
// where "not known here" can be shown (area, contact type, setting, space
// kind), or falls back to the safe choice where it cannot (a goal status
// reads as active, a note status as signed so it is never edited, a role
// as reader); the stored word is kept beside it where it matters.

/** A choice the core stores as a word. */
interface StoredWord {
    val stored: String
}

private inline fun <reified E> wordOf(stored: String?): E? where E : Enum<E>, E : StoredWord =
    enumValues<E>().firstOrNull { it.stored == stored }

/** Where a goal stands. Every status can move to every other: no failure states. */
enum class GoalStatus(override val stored: String) : StoredWord {
    ACTIVE("active"), PAUSED("paused"), ACHIEVED("achieved"), LET_GO("let_go");

    companion object {
        fun of(stored: String): GoalStatus? = wordOf(stored)
    }
}

/** The part of life a goal belongs to (the eight dimensions of wellness). */
enum class LifeArea(override val stored: String) : StoredWord {
    EMOTIONAL("emotional"), ENVIRONMENTAL("environmental"), FINANCIAL("financial"),
    INTELLECTUAL("intellectual"), OCCUPATIONAL("occupational"), PHYSICAL("physical"),
    SOCIAL("social"), SPIRITUAL("spiritual");

    companion object {
        fun of(stored: String): LifeArea? = wordOf(stored)
    }
}

/** How a worker and the person met. */
enum class ContactType(override val stored: String) : StoredWord {
    IN_PERSON("in_person"), PHONE("phone"), VIDEO("video"), TEXT("text"), GROUP("group"),
    ATTEMPTED("attempted");

    companion object {
        fun of(stored: String): ContactType? = wordOf(stored)
    }
}

/** Where a contact took place. */
enum class Setting(override val stored: String) : StoredWord {
    COMMUNITY("community"), HOME("home"), PROGRAM("program"), HOSPITAL("hospital"),
    OUTREACH("outreach"), OTHER("other");

    companion object {
        fun of(stored: String): Setting? = wordOf(stored)
    }
}

/** A draft is edited freely; a signed note takes addenda only. */
enum class NoteStatus(override val stored: String) : StoredWord {
    DRAFT("draft"), SIGNED("signed");

    companion object {
        fun of(stored: String): NoteStatus? = wordOf(stored)
    }
}

/** Who may do what in a shared space. */
enum class Role(override val stored: String) : StoredWord {
    OWNER("owner"), WRITER("writer"), READER("reader");

    /** What someone with this role can do, in plain words, to finish "Sam will be able to …" (the core's words). */
    val inWords: String get() = org.kindred.ffi.roleInWords(stored)

    companion object {
        fun of(stored: String): Role? = wordOf(stored)
    }
}

/** The kinds of record a person can name by typing (see [KindredStore.matches]). */
enum class RecordKind(internal val lookup: org.kindred.ffi.Lookup) {
    GOAL(org.kindred.ffi.Lookup.GOAL),
    CHECK_IN(org.kindred.ffi.Lookup.CHECK_IN),
    CONTACT(org.kindred.ffi.Lookup.CONTACT),
    NOTE(org.kindred.ffi.Lookup.NOTE),
    /** A share, by the name of someone in it or the start of its id. */
    SHARE(org.kindred.ffi.Lookup.SHARE),
}

/** Whose data a space holds: the person's own, a worker's caseload, or shared between them. */
enum class SpaceKind(override val stored: String) : StoredWord {
    PERSONAL("personal"), CASELOAD("caseload"), SHARED("shared");

    companion object {
        fun of(stored: String): SpaceKind? = wordOf(stored)
    }
}

// ----- ids: one type per kind of record, so a goal id never goes where a note id belongs

@JvmInline value class GoalId(val value: String) { override fun toString() = value }
@JvmInline value class StepId(val value: String) { override fun toString() = value }
@JvmInline value class ProgressId(val value: String) { override fun toString() = value }
@JvmInline value class CheckInId(val value: String) { override fun toString() = value }
@JvmInline value class ContactId(val value: String) { override fun toString() = value }
@JvmInline value class NoteId(val value: String) { override fun toString() = value }
@JvmInline value class AddendumId(val value: String) { override fun toString() = value }
@JvmInline value class CommentId(val value: String) { override fun toString() = value }

/** A shared space (a share between a person and a worker). */
@JvmInline value class SpaceId(val value: String) { override fun toString() = value }

// ----- records

data class Device(val id: String, val name: String, val fingerprint: String)

data class Step(val id: StepId, val text: String, val due: LocalDate?, val doneAt: OffsetDateTime?) {
    val done: Boolean get() = doneAt != null
}

data class ProgressNote(val id: ProgressId, val at: OffsetDateTime, val note: String)

data class Goal(
    val id: GoalId,
    val title: String,
    val why: String?,
    /** null when none was chosen (or a newer version's area). */
    val area: LifeArea?,
    /** A status from a newer version reads as active; [storedStatus] keeps its word. */
    val status: GoalStatus,
    val targetDate: LocalDate?,
    val steps: List<Step>,
    val progress: List<ProgressNote>,
    val createdAt: OffsetDateTime,
    val updatedAt: OffsetDateTime,
    /** The status word as stored. */
    val storedStatus: String,
) {
    val stepsDone: Int get() = steps.count { it.done }
}

data class CheckIn(
    val id: CheckInId,
    val occurredAt: OffsetDateTime,
    /** 1 (low) to 5 (high). */
    val mood: Int,
    val energy: Int?,
    val tags: List<String>,
    val note: String?,
)

data class Week(
    val start: LocalDate,
    val end: LocalDate,
    val count: Int,
    val meanMood: Double?,
    val meanEnergy: Double?,
    /** Tags with how often each came up, most frequent first. */
    val tags: List<Pair<String, Int>>,
)

/** Someone on a worker's caseload; [share] is the space shared with them, once linked. */
data class Contact(val id: ContactId, val name: String, val share: SpaceId? = null)

data class Addendum(val id: AddendumId, val at: OffsetDateTime, val text: String)

/** The person's own words on a note shared with them. */
data class NoteComment(
    val id: CommentId,
    val at: OffsetDateTime,
    val by: String,
    val text: String,
    /** The words are as their author wrote them. */
    val verified: Boolean,
)

data class ContactNote(
    val id: NoteId,
    val contactId: ContactId,
    /** null for a newer version's word (kept in [storedContactType]). */
    val contactType: ContactType?,
    /** null for a newer version's word (kept in [storedSetting]). */
    val setting: Setting?,
    val start: OffsetDateTime,
    val end: OffsetDateTime,
    val goalsAddressed: List<String>,
    val peerActivities: List<String>,
    val narrative: String,
    /** The person's own words. */
    val ownWords: String?,
    val strengths: String?,
    val nextSteps: String?,
    val nextContact: LocalDate?,
    /** A newer version's status reads as signed: such a note is never edited here. */
    val status: NoteStatus,
    val signedAt: OffsetDateTime?,
    val signedBy: String?,
    /** null for drafts; false if the words differ from what was signed. */
    val signatureOk: Boolean?,
    val substanceUse: Boolean,
    val addenda: List<Addendum>,
    val sharedIn: SpaceId?,
    val comments: List<NoteComment>,
    val reviewedAt: OffsetDateTime?,
    val reviewedBy: String?,
    val storedContactType: String,
    val storedSetting: String,
) {
    val duration: Duration get() = Duration.between(start, end)
    val isSigned: Boolean get() = status == NoteStatus.SIGNED
}

/**
 * What one sync pass did for one space. Every space is reported: one whose [problem] is set did
 * not sync this time (its changes are kept and tried again), and the others still synced.
 */
data class SpaceSync(
    val kind: SpaceKind?,
    /** Changes made here that the relay now holds. */
    val pushed: Long,
    /** Changes from other devices applied here. */
    val pulled: Long,
    val quarantined: Long,
    val removed: Boolean,
    val space: SpaceId? = null,
    /** Why this space did not sync this time, in words a person can read; null when it synced. */
    val problem: String? = null,
) {
    val synced: Boolean get() = problem == null
}

/** What changing the others' role in a share did: who, what they had [before], what they have now. */
data class RoleChange(
    val name: String,
    val before: Role,
    val role: Role,
    /** False if they already had [role]: nothing changed. */
    val changed: Boolean,
    /** What they can do now, to finish "They can now …". */
    val inWords: String,
)

data class SeenBy(val device: String, val upToDate: Boolean)

data class SyncStatus(
    val space: SpaceId,
    val kind: SpaceKind?,
    val onServer: Boolean,
    /** Changes made here the relay has not acknowledged yet (kept here meanwhile). */
    val pending: Long,
    val lastPushAt: OffsetDateTime?,
    val lastPullAt: OffsetDateTime?,
    /** The last sync problem, in words a person can read. */
    val lastError: String?,
    val quarantined: Long,
    val seenBy: List<SeenBy>,
)

data class DeviceInfo(val space: SpaceId, val name: String, val fingerprint: String, val role: Role, val thisDevice: Boolean)

/** The device (and person) on the other side of a pairing or an invite. */
data class Peer(val name: String, val fingerprint: String, val space: SpaceId?, val role: Role?)

/** The short string both people compare: six digits (shown as `123 456`) and four pictures. */
data class Sas(val digits: String, val emoji: List<String>)

/** The code both screens show while pairing a person's own devices: six digits and four emoji. */
data class PairCode(val digits: String, val emoji: List<String>) {
    /** The code as one line, as both screens show it. */
    val display: String get() = (listOf(digits) + emoji).joinToString(" ")
}

/** A new device asking to join, waiting for the person's yes or "Not my device". */
data class PairRequest(val name: String, val fingerprint: String, val code: PairCode)

data class ShareMember(val name: String, val fingerprint: String, val role: Role, val mine: Boolean)

data class SharedGoal(val id: GoalId, val title: String)

/** Days of check-ins shared, as the person chose them, with how many check-ins fall in them. */
data class SharedDays(val since: LocalDate, val until: LocalDate, val checkIns: Int)

data class Share(
    val space: SpaceId,
    /** Who it is shared with, by name ("with Sam"): the others in it, or, once ended, who it was with. */
    val name: String,
    val members: List<ShareMember>,
    val goals: List<SharedGoal>,
    /** How many check-ins were shared into it. */
    val checkIns: Long,
    /** No one else is in it any more: nothing written from now on reaches them. */
    val ended: Boolean = false,
    /** The days of check-ins shared, earliest first. */
    val checkInDays: List<SharedDays> = emptyList(),
    /** How many contact notes a worker shared into it. */
    val notes: Long = 0,
) {
    /** The other people's devices in it (none once it has ended). */
    val others: List<ShareMember> get() = members.filter { !it.mine }
}

/** A record that fits what a person typed: its id and what they know it by (a title, a name, a time). */
data class Match(val id: String, val label: String)

/** Something changed: a write made here ([local]) or [count] changes a sync brought. */
data class Change(val local: Boolean, val count: Long)

// ----- conversions from the generated records

/** RFC 3339 with seconds, as the core reads times (`toString()` drops zero seconds). */
internal fun OffsetDateTime.rfc3339(): String = format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)

internal fun time(s: String): OffsetDateTime = OffsetDateTime.parse(s)
internal fun timeOrNull(s: String?): OffsetDateTime? = s?.let(OffsetDateTime::parse)
internal fun dateOrNull(s: String?): LocalDate? = s?.let(LocalDate::parse)

internal fun org.kindred.ffi.DeviceRecord.typed() = Device(id, name, fingerprint)

internal fun org.kindred.ffi.GoalRecord.typed() = Goal(
    id = GoalId(id),
    title = title,
    why = why,
    area = area?.let(LifeArea::of),
    status = GoalStatus.of(status) ?: GoalStatus.ACTIVE,
    targetDate = dateOrNull(targetDate),
    steps = steps.map { Step(StepId(it.id), it.text, dateOrNull(it.due), timeOrNull(it.doneAt)) },
    progress = progress.map { ProgressNote(ProgressId(it.id), time(it.at), it.note) },
    createdAt = time(createdAt),
    updatedAt = time(updatedAt),
    storedStatus = status,
)

internal fun org.kindred.ffi.CheckInRecord.typed() = CheckIn(
    CheckInId(id), time(occurredAt), mood.toInt(), energy?.toInt(), tags, note,
)

internal fun org.kindred.ffi.WeekRecord.typed() = Week(
    LocalDate.parse(weekStart), LocalDate.parse(weekEnd), count.toInt(), meanMood, meanEnergy,
    tags.map { it.tag to it.count.toInt() },
)

internal fun org.kindred.ffi.NoteRecord.typed() = ContactNote(
    id = NoteId(id),
    contactId = ContactId(contactId),
    contactType = ContactType.of(contactType),
    setting = Setting.of(setting),
    start = time(start),
    end = time(end),
    goalsAddressed = goalsAddressed,
    peerActivities = peerActivities,
    narrative = narrative,
    ownWords = ownWords,
    strengths = strengths,
    nextSteps = nextSteps,
    nextContact = dateOrNull(nextContact),
    status = NoteStatus.of(status) ?: NoteStatus.SIGNED,
    signedAt = timeOrNull(signedAt),
    signedBy = signedBy,
    signatureOk = signatureOk,
    substanceUse = substanceUse,
    addenda = addenda.map { Addendum(AddendumId(it.id), time(it.at), it.text) },
    sharedIn = sharedIn?.let(::SpaceId),
    comments = comments.map { NoteComment(CommentId(it.id), time(it.at), it.by, it.text, it.verified) },
    reviewedAt = timeOrNull(reviewedAt),
    reviewedBy = reviewedBy,
    storedContactType = contactType,
    storedSetting = setting,
)

internal fun org.kindred.ffi.SpaceSyncRecord.typed() =
    SpaceSync(SpaceKind.of(kind), pushed.toLong(), pulled.toLong(), quarantined.toLong(), removed, SpaceId(space), problem)

internal fun org.kindred.ffi.RoleChangeRecord.typed() =
    RoleChange(name, Role.of(before) ?: Role.READER, Role.of(role) ?: Role.READER, changed, inWords)

internal fun org.kindred.ffi.SyncStatusRecord.typed() = SyncStatus(
    space = SpaceId(space),
    kind = SpaceKind.of(kind),
    onServer = onServer,
    pending = pending.toLong(),
    lastPushAt = timeOrNull(lastPushAt),
    lastPullAt = timeOrNull(lastPullAt),
    lastError = lastError,
    quarantined = quarantined.toLong(),
    seenBy = seenBy.map { SeenBy(it.device, it.upToDate) },
)

internal fun org.kindred.ffi.DeviceInfoRecord.typed() =
    DeviceInfo(SpaceId(space), name, fingerprint, Role.of(role) ?: Role.READER, thisDevice)

internal fun org.kindred.ffi.PeerRecord.typed() = Peer(name, fingerprint, space?.let(::SpaceId), role?.let { Role.of(it) ?: Role.READER })

internal fun org.kindred.ffi.SasRecord.typed() = Sas(digits, emoji)

internal fun org.kindred.ffi.PairCodeRecord.typed() = PairCode(digits, emoji)

internal fun org.kindred.ffi.PairRequestRecord.typed() = PairRequest(name, fingerprint, code.typed())

internal fun org.kindred.ffi.ShareRecord.typed() = Share(
    space = SpaceId(space),
    name = name,
    members = members.map { ShareMember(it.name, it.fingerprint, Role.of(it.role) ?: Role.READER, it.mine) },
    goals = goalIds.zip(goalTitles) { id, title -> SharedGoal(GoalId(id), title) },
    checkIns = checkIns.toLong(),
    ended = ended,
    checkInDays = checkInRanges.map { SharedDays(LocalDate.parse(it.since), LocalDate.parse(it.until), it.checkIns.toInt()) },
    notes = notes.toLong(),
)

/** Why a contact's signed notes may be deleted forever: the person asked, or the program's keeping period ended. */
enum class KeptRecordReason(override val stored: String) : StoredWord {
    PERSON_ASKED("person-asked"), RETENTION_ENDED("retention-ended");

    companion object {
        fun of(stored: String): KeptRecordReason? = wordOf(stored)
    }
}

/**
 * What a delete-forever did and where the words are gone from: only this
 * device ([onRelay] false: nothing of it was ever synced); this device and
 * the sync server, other devices as they sync ([onRelay], not
 * [waitingForSync]); or this device now, the server and other devices at
 * the next sync ([waitingForSync]: the server could not be reached).
 */
data class Erasure(
    /** Kinds of the spaces that started afresh ("personal", "shared", ...). */
    val spaces: List<String>,
    /** Records deleted, by kind ("check-in", "goal", "contact note", ...). */
    val records: Map<String, Long>,
    val onRelay: Boolean,
    val waitingForSync: Boolean,
)

/**
 * One erasure a space's log records: who, when, what kinds, why (never what they said).
 * [at] is null and [reason] "unreadable" when this device can no longer open the entry's note.
 */
data class ErasureEntry(val by: String, val at: OffsetDateTime?, val records: Map<String, Long>, val reason: String)

internal fun org.kindred.ffi.ErasureRecord.typed() =
    Erasure(spaces, records.mapValues { it.value.toLong() }, onRelay, waitingForSync)

internal fun org.kindred.ffi.ErasureLogRecord.typed() =
    ErasureEntry(by, at.takeIf { it.isNotBlank() }?.let(OffsetDateTime::parse), records.mapValues { it.value.toLong() }, reason)
