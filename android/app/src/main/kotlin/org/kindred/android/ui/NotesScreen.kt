package org.kindred.android.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import java.time.OffsetDateTime
import kotlinx.coroutines.delay
import org.kindred.KindredStore
import org.kindred.android.R
import org.kindred.app.NoteDraft
import org.kindred.app.signatureLine

/**
 * Notes, for workers: contacts, a note editor that saves its draft as you
 * type (nothing is lost on a visit with no signal), signing; and, for the
 * person, notes shared with them, with room for their own words.
 */
@Composable
fun NotesScreen(store: KindredStore, modifier: Modifier = Modifier) {
    var version by remember { mutableIntStateOf(0) }
    val contacts = remember(version) { store.contacts() }
    val notes = remember(version) { store.notes().reversed() }
    var contactName by remember { mutableStateOf("") }
    var contactId by remember { mutableStateOf(contacts.firstOrNull()?.id) }
    var noteId by remember { mutableStateOf<String?>(null) }
    var substanceUse by remember { mutableStateOf(false) }
    var narrative by remember { mutableStateOf("") }
    val draft = remember { NoteDraft() }
    var comment by remember { mutableStateOf("") }

    // The draft is written after a pause in typing, and when the editor goes.
    fun persist(force: Boolean) {
        val c = contactId ?: return
        draft.saveIfDue(force) { words ->
            val now = OffsetDateTime.now()
            val id = noteId
            if (id == null) {
                noteId = store.addNote(c, now, now, words, substanceUse = substanceUse)
            } else {
                store.updateNote(id, narrative = words, substanceUse = substanceUse)
            }
            version++
        }
    }
    LaunchedEffect(narrative) {
        delay(2_100)
        persist(force = false)
    }
    DisposableEffect(Unit) { onDispose { persist(force = true) } }

    Column(modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.notes_title))
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedTextField(contactName, { contactName = it }, label = { Text(stringResource(R.string.note_contact)) })
            Button(onClick = { contactId = store.addContact(contactName); contactName = ""; version++ }, enabled = contactName.isNotBlank()) {
                Text(stringResource(R.string.note_new))
            }
        }
        contacts.forEach { c ->
            TextButton(onClick = { contactId = c.id }) { Text(if (c.id == contactId) "• ${c.name}" else c.name) }
        }
        OutlinedTextField(
            value = narrative,
            onValueChange = { narrative = it; draft.edit(it) },
            label = { Text(stringResource(R.string.note_narrative)) },
            modifier = Modifier.fillMaxWidth(),
            minLines = 4,
        )
        Row {
            Checkbox(checked = substanceUse, onCheckedChange = { substanceUse = it })
            Text(stringResource(R.string.note_substance_use))
        }
        Button(onClick = {
            persist(force = true)
            noteId?.let { store.signNote(it) }
            noteId = null; narrative = ""; version++
        }, enabled = narrative.isNotBlank() && contactId != null) { Text(stringResource(R.string.note_sign)) }

        LazyColumn(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            items(notes, key = { it.id }) { n ->
                Card(Modifier.fillMaxWidth()) {
                    Column(Modifier.padding(12.dp)) {
                        Text(n.narrative)
                        signatureLine(n)?.let { Text(text(it)) }
                        n.comments.forEach { c -> Text("${c.by}: ${c.text}") }
                        if (n.sharedIn != null) {
                            OutlinedTextField(comment, { comment = it }, label = { Text(stringResource(R.string.note_comment_hint)) })
                            Row {
                                TextButton(onClick = { store.commentNote(n.id, comment); comment = ""; version++ }, enabled = comment.isNotBlank()) {
                                    Text(stringResource(R.string.note_comment_hint))
                                }
                                TextButton(onClick = { store.reviewNote(n.id); version++ }) { Text(stringResource(R.string.note_review)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
