package org.kindred.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import org.kindred.KeptRecordReason
import org.kindred.app.CaseloadRow
import org.kindred.app.DraftRow
import org.kindred.app.Keys
import org.kindred.app.WorkActions
import org.kindred.app.WorkUi

/**
 * The caseload: a new note one tap away, who is due this week, the drafts
 * left open (each reopens in the editor), and everyone, searchable, with
 * their last and next contact.
 */
@Composable
fun CaseloadContent(state: WorkUi, actions: WorkActions, nav: WorkNavigation) {
    LazyColumn(
        Modifier.fillMaxSize().testTag(WorkTags.CASELOAD),
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        item { Heading(words(Keys.WORK_TITLE)) }
        item {
            Button(onClick = nav::newNote, modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.NEW_NOTE)) {
                Text(words(Keys.NOTE_NEW))
            }
        }
        if (!aboutAdding(state) && (state.message != null || state.error != null)) {
            item {
                Note(state.message)
                Problem(state.error)
            }
        }
        item { DueThisWeek(state) }
        item { Drafts(state.drafts, nav) }
        if (state.signed.isNotEmpty()) item { SignedNotes(state.signed, nav) }
        item { SubHeading(words(Keys.WORK_EVERYONE)) }
        // No search box until there is someone to search for.
        if (state.caseload.isNotEmpty() || state.search.isNotBlank()) item {
            OutlinedTextField(
                value = state.search,
                onValueChange = actions::search,
                label = { Text(words(Keys.WORK_SEARCH)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth().testTag(WorkTags.SEARCH),
            )
        }
        if (!state.loading && state.caseload.isEmpty()) {
            item {
                Text(
                    words(if (state.search.isBlank()) Keys.WORK_EMPTY else Keys.WORK_NO_MATCH),
                    style = MaterialTheme.typography.bodyLarge,
                )
            }
        }
        items(state.caseload, key = { it.id }) { PersonCard(it, state, actions) }
        item { AddSomeone(state, actions) }
    }
}

@Composable
private fun SubHeading(text: String) {
    Text(text, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
}

@Composable
private fun DueThisWeek(state: WorkUi) {
    Section(words(Keys.WORK_DUE_THIS_WEEK)) {
        if (!state.loading && state.dueThisWeek.isEmpty()) {
            Text(words(Keys.WORK_NOBODY_DUE), style = MaterialTheme.typography.bodyMedium)
        }
        state.dueThisWeek.forEach { row ->
            Column(Modifier.fillMaxWidth().testTag(WorkTags.due(row.id)).semantics(mergeDescendants = true) {}) {
                Text(row.name, style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.SemiBold)
                row.nextContact?.let { Text(words(Keys.WORK_NEXT_CONTACT, noteDay(it)), style = MaterialTheme.typography.bodyMedium) }
            }
        }
    }
}

@Composable
private fun Drafts(drafts: List<DraftRow>, nav: WorkNavigation) {
    Section(words(Keys.WORK_DRAFTS)) {
        if (drafts.isEmpty()) Text(words(Keys.WORK_NO_DRAFTS), style = MaterialTheme.typography.bodyMedium)
        drafts.forEach { d -> NoteRow(d, words(Keys.WORK_OPEN_DRAFT, d.contactName), WorkTags.draft(d.noteId), nav) }
    }
}

/** The latest signed notes: one tap to read one again or add an addendum. */
@Composable
private fun SignedNotes(notes: List<DraftRow>, nav: WorkNavigation) {
    Section(words(Keys.WORK_SIGNED)) {
        notes.forEach { d -> NoteRow(d, words(Keys.WORK_OPEN_SIGNED, d.contactName), WorkTags.signed(d.noteId), nav) }
    }
}

@Composable
private fun NoteRow(d: DraftRow, label: String, tag: String, nav: WorkNavigation) {
    Card(
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surface),
        modifier = Modifier
            .fillMaxWidth()
            .heightIn(min = MinTouch)
            .clickable(onClickLabel = label, role = Role.Button) { nav.openNote(d.noteId) }
            .semantics(mergeDescendants = true) { contentDescription = label }
            .testTag(tag),
    ) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(2.dp)) {
            Text(d.contactName, style = MaterialTheme.typography.titleSmall)
            Text(noteMoment(d.start), style = MaterialTheme.typography.bodyMedium)
            if (d.preview.isNotBlank()) Text(d.preview, style = MaterialTheme.typography.bodyMedium)
        }
    }
}

@Composable
private fun PersonCard(row: CaseloadRow, state: WorkUi, actions: WorkActions) {
    Card(Modifier.fillMaxWidth().testTag(WorkTags.person(row.id))) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Column(Modifier.fillMaxWidth().semantics(mergeDescendants = true) {}, verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(row.name, style = MaterialTheme.typography.titleMedium)
                Text(
                    row.lastContact?.let { words(Keys.WORK_LAST_CONTACT, noteDay(it)) } ?: words(Keys.WORK_NO_CONTACT_YET),
                    style = MaterialTheme.typography.bodyMedium,
                )
                row.nextContact?.let { Text(words(Keys.WORK_NEXT_CONTACT, noteDay(it)), style = MaterialTheme.typography.bodyMedium) }
                if (state.shares.isNotEmpty() || row.share != null) LinkShare(row, state, actions)
                if (row.dueThisWeek) {
                    Text(
                        words(Keys.WORK_DUE_THIS_WEEK),
                        style = MaterialTheme.typography.labelLarge,
                        color = MaterialTheme.colorScheme.primary,
                    )
                }
            }
            if (state.confirmErase?.id == row.id) {
                EraseContact(row, state.eraseBecause, actions)
            } else {
                val label = words(Keys.CONTACT_ERASE_NAMED, row.name)
                TextButton(
                    onClick = { actions.askErase(row) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.erase(row.id)).semantics { contentDescription = label },
                ) { Text(words(Keys.ERASE_FOREVER)) }
            }
        }
    }
}

/**
 * What deleting someone forever takes, said before it happens; with signed
 * notes, the worker chooses why they may go (the person asked, or the time
 * for keeping them has ended) before the button does anything.
 */
@Composable
private fun EraseContact(row: CaseloadRow, because: KeptRecordReason?, actions: WorkActions) {
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(words(Keys.CONTACT_ERASE_ASK, row.name), style = MaterialTheme.typography.bodyLarge)
        if (row.signedNotes > 0) {
            Text(words(Keys.CONTACT_ERASE_SIGNED, row.signedNotes), style = MaterialTheme.typography.bodyMedium)
            Column(Modifier.selectableGroup(), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                ReasonChoice(words(Keys.CONTACT_ERASE_BECAUSE_ASKED, row.name), because == KeptRecordReason.PERSON_ASKED, WorkTags.because(KeptRecordReason.PERSON_ASKED)) {
                    actions.pickBecause(KeptRecordReason.PERSON_ASKED)
                }
                ReasonChoice(words(Keys.CONTACT_ERASE_BECAUSE_RETENTION), because == KeptRecordReason.RETENTION_ENDED, WorkTags.because(KeptRecordReason.RETENTION_ENDED)) {
                    actions.pickBecause(KeptRecordReason.RETENTION_ENDED)
                }
            }
        }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(
                onClick = { actions.confirmErase() },
                enabled = row.signedNotes == 0 || because != null,
                modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.ERASE_YES),
            ) { Text(words(Keys.ERASE_FOREVER)) }
            OutlinedButton(onClick = actions::cancelErase, modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.ERASE_NO)) {
                Text(words(Keys.ERASE_KEEP))
            }
        }
    }
}

/** One reason, as a radio button whose whole row is the touch target. */
@Composable
private fun ReasonChoice(label: String, selected: Boolean, tag: String, onClick: () -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = MinTouch)
            .selectable(selected = selected, role = Role.RadioButton, onClick = onClick)
            .testTag(tag),
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        RadioButton(selected = selected, onClick = null)
        Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
    }
}

/** Which share the person's own preferences come from (so the worker's day shows them). */
@Composable
private fun LinkShare(row: CaseloadRow, state: WorkUi, actions: WorkActions) {
    Text(words(Keys.LINK_HEADING), style = MaterialTheme.typography.labelLarge)
    NoteChoices(
        state.shares.map { it.space as String? } + listOf(null), row.share,
        { s -> if (s == null) words(Keys.LINK_NONE) else words(Keys.LINK_WITH, state.shares.firstOrNull { it.space == s }?.name ?: "") },
        { s -> WorkTags.link(row.id, s) },
    ) { s -> actions.link(row.id, s) }
}

/** Words about adding someone show by the name field, where the worker is looking. */
private fun aboutAdding(state: WorkUi): Boolean =
    (state.message ?: state.error)?.key in setOf(Keys.CONTACT_ADDED, Keys.CONTACT_NAME_NEEDED)

@Composable
private fun AddSomeone(state: WorkUi, actions: WorkActions) {
    Section(words(Keys.WORK_ADD_CONTACT)) {
        if (aboutAdding(state)) {
            Note(state.message)
            Problem(state.error)
        }
        OutlinedTextField(
            value = state.newName,
            onValueChange = actions::editNewName,
            label = { Text(words(Keys.WORK_CONTACT_NAME_HINT)) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth().testTag(WorkTags.NEW_NAME),
        )
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(
                onClick = { actions.addContact(state.newName) },
                modifier = Modifier.heightIn(min = MinTouch).testTag(WorkTags.ADD),
            ) { Text(words(Keys.WORK_ADD_CONTACT)) }
        }
    }
}
