package org.kindred

import java.time.LocalDate
import java.time.OffsetDateTime

/*
 * The person's plan, a worker's suggestions, crisis lines, resources and the
 * worker's day (issue 15), typed for Kotlin. Same rules as the rest of
 * [KindredStore]: every call is `suspend` and runs off the UI thread; errors
 * arrive as KindredException with messages written for people.
 */

@JvmInline value class PlanItemId(val value: String) { override fun toString() = value }
@JvmInline value class SuggestionId(val value: String) { override fun toString() = value }
@JvmInline value class CrisisLineId(val value: String) { override fun toString() = value }
@JvmInline value class ResourceId(val value: String) { override fun toString() = value }
@JvmInline value class PlannedId(val value: String) { override fun toString() = value }

/** Which of the two plans a section belongs to. */
enum class PlanPart { WELLNESS, SAFETY }

/** A section of the plan; [stored] is the core's word, kept as is for sections from a newer version. */
data class PlanSection(val stored: String, val part: PlanPart, val hasHelps: Boolean) {
    companion object {
        /** Every section, in the order the plan shows them. */
        val all: List<PlanSection> by lazy {
            org.kindred.ffi.planSections().map {
                PlanSection(it.section, if (it.part == "safety") PlanPart.SAFETY else PlanPart.WELLNESS, it.hasHelps)
            }
        }

        fun of(stored: String): PlanSection = all.firstOrNull { it.stored == stored } ?: PlanSection(stored, PlanPart.WELLNESS, false)
    }
}

data class PlanItem(
    val id: PlanItemId,
    val section: PlanSection,
    val text: String,
    val helps: String?,
    val updatedAt: OffsetDateTime,
)

enum class SuggestionAnswer { ACCEPTED, DECLINED }

data class Suggestion(
    val id: SuggestionId,
    val space: SpaceId,
    val section: PlanSection,
    /** The entry it would change; null for a new entry. */
    val item: PlanItemId?,
    val text: String,
    val helps: String?,
    val note: String?,
    /** "you", or who suggested it. */
    val byName: String,
    val createdAt: OffsetDateTime,
    /** Null while it waits for the person. */
    val answer: SuggestionAnswer?,
)

data class PlanShare(val space: SpaceId, val name: String, val sections: List<PlanSection>)

/** The person's plan: entries, suggestions waiting for them, what each share holds. */
data class Plan(val items: List<PlanItem>, val suggestions: List<Suggestion>, val shared: List<PlanShare>)

/** A plan someone shared with this device (a worker's view). */
data class SharedPlan(
    val space: SpaceId,
    val name: String,
    val sections: List<PlanSection>,
    val items: List<PlanItem>,
    val suggestions: List<Suggestion>,
)

/** A crisis line or person; [id] is null for a regional default not yet kept. */
data class KeptCrisisLine(
    val id: CrisisLineId?,
    val name: String,
    val number: String,
    val canCall: Boolean,
    val canText: Boolean,
    val whenToUse: String?,
    val fromDefaults: Boolean,
)

enum class ResourceKind(val stored: String) {
    SERVICE("service"), GROUP("group"), FOOD("food"), HOUSING("housing"), CRISIS_LINE("crisis_line"), OTHER("other");
    companion object { fun of(s: String) = entries.firstOrNull { it.stored == s } ?: OTHER }
}

data class Resource(
    val id: ResourceId,
    val space: SpaceId,
    val kind: ResourceKind,
    val name: String,
    val reach: String?,
    val hours: String?,
    val address: String?,
    val notes: String?,
    /** A copy the person kept in their own space. */
    val kept: Boolean,
    /** Written by this device (it may delete it). */
    val mine: Boolean,
)

enum class ContactWay(val stored: String) {
    CALL("call"), TEXT("text"), IN_PERSON("in_person"), VIDEO("video");
    companion object { fun of(s: String) = entries.firstOrNull { it.stored == s } }
}

/** How a person wants to be reached; [bestTimes] as "mon,tue 10:00-14:00". */
data class ContactPrefs(
    val ways: List<ContactWay> = emptyList(),
    val bestTimes: List<String> = emptyList(),
    val noVoicemail: Boolean = false,
    val callWord: String? = null,
    val note: String? = null,
    /** The person's UTC offset when they set the times, in seconds. */
    val utcOffsetSeconds: Int = 0,
    /** Their IANA time zone ("Europe/London"), so their hours follow daylight saving. */
    val zone: String? = null,
) {
    val isEmpty get() = ways.isEmpty() && bestTimes.isEmpty() && !noVoicemail && callWord == null && note == null
}

/** Something the worker should know about a follow-up, from the person's own rules. */
sealed interface PrefsNote {
    data class OutsideBestTimes(val bestTimes: List<String>) : PrefsNote
    data class DayOutsideBestTimes(val bestTimes: List<String>) : PrefsNote
    data class NotPreferredWay(val preferred: List<ContactWay>) : PrefsNote
    data object NoVoicemail : PrefsNote
}

data class FollowUp(
    val contact: ContactId,
    val name: String,
    val due: LocalDate,
    val at: OffsetDateTime?,
    val way: ContactWay?,
    val planned: PlannedId?,
    val lastContact: OffsetDateTime?,
    val prefs: ContactPrefs?,
    val notes: List<PrefsNote>,
)

data class AWhile(val contact: ContactId, val name: String, val lastContact: OffsetDateTime?)

/** Today (and days passed), the coming week, and "it has been a while". */
data class FollowUps(val today: List<FollowUp>, val thisWeek: List<FollowUp>, val aWhile: List<AWhile>)

data class Period(val start: LocalDate, val minutes: Long, val contacts: Int)

/** The last 8 weeks and 6 months, newest first. */
data class TimeWithPeople(val weeks: List<Period>, val months: List<Period>)

data class ContactHit(
    val contact: ContactId,
    val name: String,
    val lastContact: OffsetDateTime?,
    val nextContact: LocalDate?,
    val notes: Int,
    val share: SpaceId?,
)

private fun org.kindred.ffi.PlanItemRecord.typed() =
    PlanItem(PlanItemId(id), PlanSection.of(section), text, helps, OffsetDateTime.parse(updatedAt))

private fun org.kindred.ffi.SuggestionRecord.typed() = Suggestion(
    SuggestionId(id), SpaceId(space), PlanSection.of(section), item?.let(::PlanItemId), text, helps, note, byName,
    OffsetDateTime.parse(createdAt),
    when (answer) { "accepted" -> SuggestionAnswer.ACCEPTED; "declined" -> SuggestionAnswer.DECLINED; else -> null },
)

private fun org.kindred.ffi.CrisisLineRecord.typed() =
    KeptCrisisLine(id?.let(::CrisisLineId), name, number, canCall, canText, whenToUse, fromDefaults)

private fun org.kindred.ffi.ResourceRecord.typed() = Resource(
    ResourceId(id), SpaceId(space), ResourceKind.of(kind), name, reach, hours, address, notes, kept, mine,
)

private fun org.kindred.ffi.ContactPrefsRecord.typed() = ContactPrefs(
    ways.mapNotNull(ContactWay::of), bestTimes, noVoicemail, callWord, note, utcOffset, zone,
)

private fun ContactPrefs.record() = org.kindred.ffi.ContactPrefsRecord(
    ways.map { it.stored }, bestTimes, noVoicemail, callWord, note, utcOffsetSeconds, null, zone,
)

private fun org.kindred.ffi.PrefsNoteRecord.typed(): PrefsNote? = when (kind) {
    "outside_best_times" -> PrefsNote.OutsideBestTimes(bestTimes)
    "day_outside_best_times" -> PrefsNote.DayOutsideBestTimes(bestTimes)
    "not_preferred_way" -> PrefsNote.NotPreferredWay(preferred.mapNotNull(ContactWay::of))
    "no_voicemail" -> PrefsNote.NoVoicemail
    else -> null
}

private fun org.kindred.ffi.FollowUpRecord.typed() = FollowUp(
    ContactId(contactId), name, LocalDate.parse(due), at?.let(OffsetDateTime::parse), way?.let(ContactWay::of),
    planned?.let(::PlannedId), lastContact?.let(OffsetDateTime::parse), prefs?.typed(), notes.mapNotNull { it.typed() },
)

private fun org.kindred.ffi.PeriodRecord.typed() = Period(LocalDate.parse(start), minutes, contacts.toInt())

// ----- the plan ---------------------------------------------------------------

suspend fun KindredStore.plan(): Plan = call {
    val p = ffi.plan()
    Plan(
        p.items.map { it.typed() },
        p.suggestions.map { it.typed() },
        p.shared.map { s -> PlanShare(SpaceId(s.space), s.name, s.sections.map(PlanSection::of)) },
    )
}

/** The plan as plain text, to print or save. */
suspend fun KindredStore.planText(): String = call { ffi.planText() }

suspend fun KindredStore.addPlanItem(section: PlanSection, text: String, helps: String? = null): PlanItemId =
    call { PlanItemId(ffi.addPlanItem(section.stored, text, helps)) }

suspend fun KindredStore.updatePlanItem(id: PlanItemId, text: String, helps: String? = null) =
    call { ffi.updatePlanItem(id.value, text, helps) }

suspend fun KindredStore.deletePlanItem(id: PlanItemId) = call { ffi.deletePlanItem(id.value) }

/** Shares [sections] (all if empty) with a share; returns how many entries went. */
suspend fun KindredStore.sharePlan(space: SpaceId, sections: List<PlanSection> = emptyList()): Int =
    call { ffi.sharePlan(space.value, sections.map { it.stored }).toInt() }

suspend fun KindredStore.unsharePlan(space: SpaceId, sections: List<PlanSection> = emptyList()): Int =
    call { ffi.unsharePlan(space.value, sections.map { it.stored }).toInt() }

suspend fun KindredStore.sharedPlans(): List<SharedPlan> = call {
    ffi.sharedPlans().map { p ->
        SharedPlan(SpaceId(p.space), p.name, p.sections.map(PlanSection::of), p.items.map { it.typed() }, p.suggestions.map { it.typed() })
    }
}

/** A worker suggests an entry (or new words for [instead]) in a plan shared with them. */
suspend fun KindredStore.suggestPlan(
    space: SpaceId,
    section: PlanSection,
    text: String,
    helps: String? = null,
    instead: PlanItemId? = null,
    note: String? = null,
): SuggestionId = call { SuggestionId(ffi.suggestPlan(space.value, section.stored, instead?.value, text, helps, note)) }

suspend fun KindredStore.answerSuggestion(id: SuggestionId, accept: Boolean) = call { ffi.answerSuggestion(id.value, accept) }

// ----- crisis lines and resources --------------------------------------------

suspend fun KindredStore.crisisLines(region: String): List<KeptCrisisLine> = call { ffi.crisisLines(region).map { it.typed() } }

suspend fun KindredStore.addCrisisLine(
    region: String,
    name: String,
    number: String,
    canCall: Boolean = true,
    canText: Boolean = false,
    whenToUse: String? = null,
): CrisisLineId = call {
    CrisisLineId(ffi.addCrisisLine(region, org.kindred.ffi.NewCrisisLine(name, number, canCall, canText, whenToUse)))
}

/** Keeps the region's default lines as her own (when she keeps none yet), so one can be changed or removed. */
suspend fun KindredStore.keepDefaultCrisisLines(region: String): List<KeptCrisisLine> =
    call { ffi.keepDefaultCrisisLines(region).map { it.typed() } }

suspend fun KindredStore.updateCrisisLine(
    id: CrisisLineId,
    name: String,
    number: String,
    canCall: Boolean,
    canText: Boolean,
    whenToUse: String?,
) = call { ffi.updateCrisisLine(id.value, org.kindred.ffi.NewCrisisLine(name, number, canCall, canText, whenToUse)) }

suspend fun KindredStore.removeCrisisLine(id: CrisisLineId) = call { ffi.removeCrisisLine(id.value) }

suspend fun KindredStore.resources(): List<Resource> = call { ffi.resources().map { it.typed() } }

/** Adds a resource to a share, or to the person's own space ([space] null). */
suspend fun KindredStore.addResource(
    space: SpaceId?,
    kind: ResourceKind,
    name: String,
    reach: String? = null,
    hours: String? = null,
    address: String? = null,
    notes: String? = null,
): ResourceId = call {
    ResourceId(ffi.addResource(space?.value, org.kindred.ffi.NewResource(kind.stored, name, reach, hours, address, notes)))
}

suspend fun KindredStore.keepResource(id: ResourceId): ResourceId = call { ResourceId(ffi.keepResource(id.value)) }

suspend fun KindredStore.deleteResource(id: ResourceId) = call { ffi.deleteResource(id.value) }

// ----- the worker's day ----------------------------------------------------------

suspend fun KindredStore.contactPrefs(space: SpaceId): ContactPrefs = call { ffi.contactPrefs(space.value).typed() }

/** The person sets how they want to be reached, in a share. */
suspend fun KindredStore.setContactPrefs(space: SpaceId, prefs: ContactPrefs) = call { ffi.setContactPrefs(space.value, prefs.record()) }

suspend fun KindredStore.linkContact(contact: ContactId, space: SpaceId?) = call { ffi.linkContact(contact.value, space?.value) }

suspend fun KindredStore.planContact(contact: ContactId, at: OffsetDateTime, way: ContactWay, note: String? = null): PlannedId =
    call { PlannedId(ffi.planContact(contact.value, at.rfc3339(), way.stored, note)) }

suspend fun KindredStore.finishPlannedContact(id: PlannedId, done: Boolean) = call { ffi.finishPlannedContact(id.value, done) }

suspend fun KindredStore.followUps(today: LocalDate): FollowUps = call {
    val f = ffi.followUps(today.toString())
    FollowUps(
        f.today.map { it.typed() },
        f.thisWeek.map { it.typed() },
        f.aWhile.map { AWhile(ContactId(it.contactId), it.name, it.lastContact?.let(OffsetDateTime::parse)) },
    )
}

suspend fun KindredStore.searchCaseload(query: String): List<ContactHit> = call {
    ffi.searchCaseload(query).map {
        ContactHit(
            ContactId(it.contactId), it.name, it.lastContact?.let(OffsetDateTime::parse),
            it.nextContact?.let(LocalDate::parse), it.notes.toInt(), it.shareSpace?.let(::SpaceId),
        )
    }
}

suspend fun KindredStore.timeWithPeople(today: LocalDate): TimeWithPeople = call {
    val t = ffi.timeWithPeople(today.toString())
    TimeWithPeople(t.weeks.map { it.typed() }, t.months.map { it.typed() })
}

/** Checks a "mon-fri 10:00-14:00" window as the core will; returns it as kept, or throws InvalidInput. */
fun checkTimeWindow(window: String): String = org.kindred.ffi.checkTimeWindow(window)
