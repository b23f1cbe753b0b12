package org.kindred.app

import java.time.LocalDate
import java.time.OffsetDateTime
import org.kindred.ContactNote

/** How the worker and the person met, as stored, in the order the editor offers them. */
val CONTACT_TYPES = listOf("in_person", "phone", "video", "text", "group", "attempted")

/** Where the contact took place, as stored. */
val SETTINGS = listOf("community", "home", "program", "hospital", "outreach", "other")

fun contactTypeKey(stored: String): String = "note_type_$stored"

fun settingKey(stored: String): String = "note_setting_$stored"

/**
 * Everything the note editor holds, as one value: the autosave compares
 * the whole of it, so no field can be changed without being saved.
 * [contactId] starts empty: the worker always chooses who a note is about.
 */
data class NoteForm(
    val contactId: String? = null,
    val start: OffsetDateTime,
    val end: OffsetDateTime,
    val contactType: String = CONTACT_TYPES.first(),
    val setting: String = SETTINGS.first(),
    val goalsAddressed: List<String> = emptyList(),
    val peerActivities: List<String> = emptyList(),
    val narrative: String = "",
    val ownWords: String = "",
    val strengths: String = "",
    val nextSteps: String = "",
    val nextContact: LocalDate? = null,
    val substanceUse: Boolean = false,
) {
    /** A draft can be kept once it says who it is about and what happened. */
    val savable: Boolean get() = contactId != null && narrative.isNotBlank() && !end.isBefore(start)

    companion object {
        /** A fresh form: starting now, half an hour long (start and end differ). */
        fun fresh(now: OffsetDateTime, length: java.time.Duration = java.time.Duration.ofMinutes(30)): NoteForm {
            val start = now.withSecond(0).withNano(0)
            return NoteForm(start = start, end = start.plus(length))
        }

        fun of(n: ContactNote): NoteForm = NoteForm(
            contactId = n.contactId.value,
            start = n.start,
            end = n.end,
            contactType = n.storedContactType,
            setting = n.storedSetting,
            goalsAddressed = n.goalsAddressed,
            peerActivities = n.peerActivities,
            narrative = n.narrative,
            ownWords = n.ownWords ?: "",
            strengths = n.strengths ?: "",
            nextSteps = n.nextSteps ?: "",
            nextContact = n.nextContact,
            substanceUse = n.substanceUse,
        )
    }
}

/** "Housing, work ," as a list: each part trimmed, empty parts left out. */
fun commaList(text: String): List<String> = text.split(',').map(String::trim).filter(String::isNotEmpty)

/** One line of what will be signed: a label and what the note says. */
data class SignLine(val label: String, val value: UiText?, val text: String? = null)

/** Everything that will be signed, field by field, for the confirmation. */
fun signSummary(form: NoteForm, contactName: String): List<SignLine> = buildList {
    add(SignLine(Keys.NOTE_CONTACT, null, contactName))
    add(SignLine(Keys.NOTE_WHEN, UiText(Keys.NOTE_WHEN_VALUE, form.start, form.end)))
    add(SignLine(Keys.NOTE_TYPE, UiText(contactTypeKey(form.contactType))))
    add(SignLine(Keys.NOTE_SETTING, UiText(settingKey(form.setting))))
    if (form.goalsAddressed.isNotEmpty()) add(SignLine(Keys.NOTE_GOALS, null, form.goalsAddressed.joinToString(", ")))
    if (form.peerActivities.isNotEmpty()) add(SignLine(Keys.NOTE_ACTIVITIES, null, form.peerActivities.joinToString(", ")))
    add(SignLine(Keys.NOTE_NARRATIVE, null, form.narrative.trim()))
    if (form.ownWords.isNotBlank()) add(SignLine(Keys.NOTE_OWN_WORDS, null, form.ownWords.trim()))
    if (form.strengths.isNotBlank()) add(SignLine(Keys.NOTE_STRENGTHS, null, form.strengths.trim()))
    if (form.nextSteps.isNotBlank()) add(SignLine(Keys.NOTE_NEXT_STEPS, null, form.nextSteps.trim()))
    form.nextContact?.let { add(SignLine(Keys.NOTE_NEXT_CONTACT, UiText(Keys.DATE_VALUE, it))) }
    add(SignLine(Keys.NOTE_SUBSTANCE_USE, UiText(if (form.substanceUse) Keys.YES else Keys.NO)))
}
