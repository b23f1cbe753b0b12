package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import java.time.Duration
import kotlinx.coroutines.delay
import kotlinx.coroutines.isActive
import org.kindred.app.CONTACT_TYPES
import org.kindred.app.EditorStage
import org.kindred.app.Keys
import org.kindred.app.NoteEditorActions
import org.kindred.app.NoteEditorModel
import org.kindred.app.NoteEditorUi
import org.kindred.app.NoteForm
import org.kindred.app.SETTINGS
import org.kindred.app.SignLine
import org.kindred.app.UiText
import org.kindred.app.contactTypeKey
import org.kindred.app.settingKey
import org.kindred.app.signSummary

/** How long a contact can be, in minutes, as the editor offers it. */
private val LENGTHS = listOf(15, 30, 45, 60, 90, 120)

/** The next contact, in weeks from the day of this one (0: not yet). */
private val NEXT_WEEKS = listOf(0, 1, 2, 4)

@Composable
fun NoteEditorScreen(editor: NoteEditorModel, nav: WorkNavigation) {
    val state by editor.state.collectAsState()
    // The holder saves after a quiet pause in typing; this asks it every second.
    LaunchedEffect(editor) {
        while (isActive) {
            delay(1_000)
            editor.autosave()
        }
    }
    NoteEditorContent(state, editor, nav)
}

/** The note being written, the check of what will be signed, or the signed note with its addenda. */
@Composable
fun NoteEditorContent(state: NoteEditorUi, actions: NoteEditorActions, nav: WorkNavigation) {
    when (state.stage) {
        EditorStage.WRITING -> Writing(state, actions, nav)
        EditorStage.CONFIRMING -> Confirming(state, actions)
        EditorStage.SIGNED -> SignedNote(state, actions, nav)
    }
}

@Composable
private fun Page(tag: String, content: @Composable ColumnScope.() -> Unit) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag(tag),
        verticalArrangement = Arrangement.spacedBy(12.dp),
        content = content,
    )
}

@Composable
private fun BackToCaseload(nav: WorkNavigation) {
    TextButton(onClick = nav::backToCaseload, modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.BACK)) {
        Text(words(Keys.NOTE_BACK))
    }
}

@Composable
private fun Writing(state: NoteEditorUi, actions: NoteEditorActions, nav: WorkNavigation) {
    val form = state.form
    Page(WorkTags.EDITOR) {
        BackToCaseload(nav)
        Heading(words(if (state.noteId == null) Keys.NOTE_NEW else Keys.NOTE_EDITING_TITLE))
        Section(words(Keys.NOTE_CONTACT)) {
            when {
                state.contacts.isEmpty() -> Text(words(Keys.NOTE_NO_CONTACTS), style = MaterialTheme.typography.bodyMedium)
                form.contactId == null -> Text(words(Keys.NOTE_CHOOSE_CONTACT_FIRST), style = MaterialTheme.typography.bodyMedium)
            }
            NoteChoices(
                options = state.contacts.map { it.id.value },
                chosen = form.contactId,
                label = { id -> state.contacts.first { it.id.value == id }.name },
                tag = WorkTags::contact,
            ) { id -> actions.edit { it.copy(contactId = id) } }
        }
        WhenSection(form, actions)
        Section(words(Keys.NOTE_TYPE)) {
            NoteChoices(CONTACT_TYPES, form.contactType, { words(contactTypeKey(it)) }, WorkTags::type) { t ->
                actions.edit { it.copy(contactType = t) }
            }
        }
        Section(words(Keys.NOTE_SETTING)) {
            NoteChoices(SETTINGS, form.setting, { words(settingKey(it)) }, WorkTags::setting) { s ->
                actions.edit { it.copy(setting = s) }
            }
        }
        ListField(state.goalsText, Keys.NOTE_GOALS, WorkTags.GOALS, actions::editGoals)
        ListField(state.activitiesText, Keys.NOTE_ACTIVITIES, WorkTags.ACTIVITIES, actions::editActivities)
        Field(form.narrative, Keys.NOTE_NARRATIVE, WorkTags.NARRATIVE, lines = 4) { t -> actions.edit { it.copy(narrative = t) } }
        Field(form.ownWords, Keys.NOTE_OWN_WORDS, WorkTags.OWN_WORDS, lines = 2) { t -> actions.edit { it.copy(ownWords = t) } }
        Field(form.strengths, Keys.NOTE_STRENGTHS, WorkTags.STRENGTHS, lines = 2) { t -> actions.edit { it.copy(strengths = t) } }
        Field(form.nextSteps, Keys.NOTE_NEXT_STEPS, WorkTags.NEXT_STEPS, lines = 2) { t -> actions.edit { it.copy(nextSteps = t) } }
        NextContactSection(form, actions)
        CheckRow(words(Keys.NOTE_SUBSTANCE_USE), form.substanceUse, WorkTags.SUBSTANCE_USE) { on ->
            actions.edit { it.copy(substanceUse = on) }
        }
        when {
            !form.savable -> Text(words(Keys.NOTE_SAVE_HINT), style = MaterialTheme.typography.bodyMedium)
            state.unsaved -> Text(words(Keys.NOTE_UNSAVED), style = MaterialTheme.typography.bodyMedium)
        }
        Note(state.message)
        Problem(state.error)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { actions.requestSign() }, modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.SIGN)) {
                Text(words(Keys.NOTE_SIGN))
            }
        }
    }
}

@Composable
private fun WhenSection(form: NoteForm, actions: NoteEditorActions) {
    Section(words(Keys.NOTE_WHEN)) {
        LabelledValue(words(Keys.NOTE_START), noteMoment(form.start))
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            MoveStart(Keys.NOTE_START_EARLIER, WorkTags.START_EARLIER, Duration.ofMinutes(-15), actions)
            MoveStart(Keys.NOTE_START_LATER, WorkTags.START_LATER, Duration.ofMinutes(15), actions)
            MoveStart(Keys.NOTE_DAY_EARLIER, WorkTags.DAY_EARLIER, Duration.ofDays(-1), actions)
            MoveStart(Keys.NOTE_DAY_LATER, WorkTags.DAY_LATER, Duration.ofDays(1), actions)
        }
        Text(words(Keys.NOTE_LENGTH), style = MaterialTheme.typography.titleSmall)
        val minutes = Duration.between(form.start, form.end).toMinutes().toInt()
        NoteChoices(LENGTHS, minutes.takeIf { it in LENGTHS }, { words(Keys.NOTE_MINUTES, it) }, WorkTags::length) { m ->
            actions.edit { it.copy(end = it.start.plusMinutes(m.toLong())) }
        }
        LabelledValue(
            words(Keys.NOTE_END),
            if (form.end.toLocalDate() == form.start.toLocalDate()) noteTime(form.end) else noteMoment(form.end),
        )
    }
}

/** Moves the start, and the end with it (the length stays). */
@Composable
private fun MoveStart(key: String, tag: String, by: Duration, actions: NoteEditorActions) {
    OutlinedButton(
        onClick = { actions.edit { it.copy(start = it.start.plus(by), end = it.end.plus(by)) } },
        modifier = Modifier.heightIn(min = MinTouch).testTag(tag),
    ) { Text(words(key)) }
}

@Composable
private fun NextContactSection(form: NoteForm, actions: NoteEditorActions) {
    Section(words(Keys.NOTE_NEXT_CONTACT)) {
        val day = form.start.toLocalDate()
        val chosen = when (val next = form.nextContact) {
            null -> 0
            else -> NEXT_WEEKS.firstOrNull { it > 0 && day.plusWeeks(it.toLong()) == next }
        }
        NoteChoices(
            NEXT_WEEKS, chosen,
            label = {
                when (it) {
                    0 -> words(Keys.NOTE_NEXT_NONE)
                    1 -> words(Keys.NOTE_NEXT_WEEK)
                    2 -> words(Keys.NOTE_NEXT_TWO_WEEKS)
                    else -> words(Keys.NOTE_NEXT_MONTH)
                }
            },
            tag = WorkTags::next,
        ) { w -> actions.edit { it.copy(nextContact = if (w == 0) null else it.start.toLocalDate().plusWeeks(w.toLong())) } }
        form.nextContact?.let { Text(words(Keys.WORK_NEXT_CONTACT, noteDay(it)), style = MaterialTheme.typography.bodyLarge) }
    }
}

@Composable
private fun Field(value: String, key: String, tag: String, lines: Int, hint: String? = null, change: (String) -> Unit) {
    OutlinedTextField(
        value = value,
        onValueChange = change,
        label = { Text(words(key)) },
        supportingText = hint?.let { { Text(it) } },
        minLines = lines,
        modifier = Modifier.fillMaxWidth().testTag(tag),
    )
}

@Composable
private fun ListField(value: String, key: String, tag: String, change: (String) -> Unit) {
    OutlinedTextField(
        value = value,
        onValueChange = change,
        label = { Text(words(key)) },
        supportingText = { Text(words(Keys.NOTE_LIST_HINT)) },
        singleLine = true,
        modifier = Modifier.fillMaxWidth().testTag(tag),
    )
}

/** A whole row that ticks on and off; a screen reader hears it is a checkbox, and whether it is ticked. */
@Composable
private fun CheckRow(label: String, on: Boolean, tag: String, set: (Boolean) -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = MinTouch).toggleable(value = on, role = Role.Checkbox, onValueChange = set).testTag(tag),
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        Checkbox(checked = on, onCheckedChange = null)
        Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
    }
}

@Composable
private fun LabelledValue(label: String, value: String) {
    Column(Modifier.fillMaxWidth().semantics(mergeDescendants = true) {}) {
        Text(label, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.onSurfaceVariant)
        Text(value, style = MaterialTheme.typography.bodyLarge)
    }
}

/** Every field of a note, label over value, on one card. */
@Composable
private fun Lines(lines: List<SignLine>, after: @Composable ColumnScope.() -> Unit = {}) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            lines.forEach { line ->
                LabelledValue(words(line.label), line.text ?: line.value?.let { readableNoteText(it) } ?: "")
            }
            after()
        }
    }
}

@Composable
private fun Confirming(state: NoteEditorUi, actions: NoteEditorActions) {
    Page(WorkTags.CONFIRMING) {
        Heading(words(Keys.NOTE_CONFIRM_TITLE))
        Text(words(Keys.NOTE_CONFIRM_DETAIL), style = MaterialTheme.typography.bodyLarge)
        Lines(state.toSign)
        Problem(state.error)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { actions.confirmSign() }, modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.CONFIRM_SIGN)) {
                Text(words(Keys.NOTE_CONFIRM_SIGN))
            }
            OutlinedButton(onClick = actions::cancelSign, modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.KEEP_WRITING)) {
                Text(words(Keys.NOTE_KEEP_WRITING))
            }
        }
    }
}

@Composable
private fun SignedNote(state: NoteEditorUi, actions: NoteEditorActions, nav: WorkNavigation) {
    val note = state.signed ?: return
    val name = state.contacts.firstOrNull { it.id == note.contactId }?.name ?: ""
    Page(WorkTags.SIGNED) {
        BackToCaseload(nav)
        Heading(words(Keys.NOTE_SIGNED_TITLE))
        val aboutAddendum = state.message?.key == Keys.ADDENDUM_ADDED
        if (!aboutAddendum) Note(state.message)
        if (note.signatureOk == false) Problem(UiText(Keys.NOTE_WORDS_CHANGED))
        Lines(signSummary(NoteForm.of(note), name)) {
            if (note.signedBy != null && note.signedAt != null) {
                Text(
                    words(Keys.NOTE_SIGNED_BY, note.signedBy!!, noteMoment(note.signedAt!!)),
                    style = MaterialTheme.typography.bodyMedium,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
            }
        }
        if (note.addenda.isNotEmpty()) {
            Section(words(Keys.NOTE_ADDENDA)) {
                note.addenda.forEach { a -> LabelledValue(noteMoment(a.at), a.text) }
            }
        }
        Section(words(Keys.NOTE_ADD_ADDENDUM)) {
            Field(state.addendum, Keys.NOTE_ADDENDUM_HINT, WorkTags.ADDENDUM, lines = 2, change = actions::editAddendum)
            if (aboutAddendum) Note(state.message)
            Problem(state.error)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(
                    onClick = { actions.addAddendum(state.addendum) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.ADD_ADDENDUM),
                ) { Text(words(Keys.NOTE_ADD_ADDENDUM)) }
            }
        }
        OutlinedButton(onClick = nav::newNote, modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.ANOTHER_NOTE)) {
            Text(words(Keys.NOTE_NEW))
        }
    }
}
