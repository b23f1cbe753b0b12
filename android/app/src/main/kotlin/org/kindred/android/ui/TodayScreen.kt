package org.kindred.android.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.KindredStore
import org.kindred.android.R
import org.kindred.app.QuickCheckIn
import org.kindred.app.UiText
import org.kindred.app.syncSummary

/** Today: a check-in in two taps (a mood, then save), and the last few check-ins. */
@Composable
fun TodayScreen(store: KindredStore, modifier: Modifier = Modifier) {
    val q = remember { QuickCheckIn() }
    var version by remember { mutableIntStateOf(0) }
    var mood by remember { mutableStateOf<Int?>(null) }
    var note by remember { mutableStateOf("") }
    var message by remember { mutableStateOf<UiText?>(null) }
    val recent = remember(version) { store.checkIns().takeLast(7).reversed() }
    val status = remember(version) { syncSummary(store.syncStatus()) }

    Column(modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        status.forEach { Text(text(it)) }
        Text(stringResource(R.string.today_title))
        Row(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
            q.moods.forEach { (value, label) ->
                val words = text(label)
                val description = stringResource(R.string.mood_button_description, words)
                FilterChip(
                    selected = mood == value,
                    onClick = { q.pickMood(value); mood = value },
                    label = { Text(words) },
                    modifier = Modifier.semantics { contentDescription = description },
                )
            }
        }
        OutlinedTextField(
            value = note,
            onValueChange = { note = it; q.note = it },
            label = { Text(stringResource(R.string.checkin_note)) },
            modifier = Modifier.fillMaxWidth(),
        )
        Button(onClick = {
            message = q.save(store)
            mood = q.mood
            note = q.note
            version++
        }, enabled = mood != null) { Text(stringResource(R.string.checkin_save)) }
        message?.let { Text(text(it)) }
        Text(stringResource(R.string.today_recent))
        LazyColumn {
            items(recent, key = { it.id }) { c ->
                Text("${c.occurredAt.take(16).replace('T', ' ')}  ${text(UiText("mood_${c.mood}"))}  ${c.note ?: ""}")
            }
        }
    }
}
