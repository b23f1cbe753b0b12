package org.kindred.ui

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
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
import androidx.compose.ui.unit.dp
import java.time.DayOfWeek
import java.time.format.TextStyle
import java.util.Locale
import org.kindred.ContactWay
import org.kindred.app.ContactPrefsActions
import org.kindred.app.ContactPrefsUi
import org.kindred.app.DaysChoice
import org.kindred.app.Keys
import org.kindred.app.WindowDraft

/** Test tags of the contact preferences form (never shown). */
object PrefsTags {
    const val FORM = "prefs_form"
    const val BACK = "prefs_back"
    fun way(w: ContactWay) = "prefs_way_${w.stored}"
    const val ADD_TIME = "prefs_add_time"
    fun window(i: Int) = "prefs_window_$i"
    fun days(i: Int, d: DaysChoice) = "prefs_window_${i}_${d.name.lowercase()}"
    fun day(i: Int, d: DayOfWeek) = "prefs_window_${i}_day_${d.name.lowercase().take(3)}"
    fun from(i: Int) = "prefs_window_${i}_from"
    fun to(i: Int) = "prefs_window_${i}_to"
    fun problem(i: Int) = "prefs_window_${i}_problem"
    fun remove(i: Int) = "prefs_window_${i}_remove"
    const val NO_VOICEMAIL = "prefs_no_voicemail"
    const val CALL_WORD = "prefs_call_word"
    const val NOTE = "prefs_note"
    const val SAVE = "prefs_save"
    fun open(space: String) = "prefs_open_$space"
}

private fun wayKey(w: ContactWay) = when (w) {
    ContactWay.CALL -> Keys.CONTACT_PREFS_WAY_CALL
    ContactWay.TEXT -> Keys.CONTACT_PREFS_WAY_TEXT
    ContactWay.IN_PERSON -> Keys.CONTACT_PREFS_WAY_IN_PERSON
    ContactWay.VIDEO -> Keys.CONTACT_PREFS_WAY_VIDEO
}

private fun daysKey(d: DaysChoice) = when (d) {
    DaysChoice.EVERY_DAY -> Keys.CONTACT_PREFS_DAYS_EVERY
    DaysChoice.WEEKDAYS -> Keys.CONTACT_PREFS_DAYS_WEEKDAYS
    DaysChoice.WEEKENDS -> Keys.CONTACT_PREFS_DAYS_WEEKENDS
    DaysChoice.CHOSEN -> Keys.CONTACT_PREFS_DAYS_CHOSEN
}

/**
 * "How I like to be contacted", for one share she started: the ways that
 * suit her, her best times (each checked by the core, a problem said beside
 * it), no voicemail, a word to use when calling, a note. Says who sees it
 * and why it helps. [scroll] lets the catalog show the end of the form.
 */
@Composable
fun ContactPrefsContent(state: ContactPrefsUi, actions: ContactPrefsActions, scroll: ScrollState = rememberScrollState()) {
    Column(
        Modifier.fillMaxSize().verticalScroll(scroll).padding(16.dp).testTag(PrefsTags.FORM),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        TextButton(onClick = actions::close, modifier = Modifier.heightIn(min = MinTouch).testTag(PrefsTags.BACK)) {
            Text(words(Keys.CONTACT_PREFS_BACK))
        }
        Heading(words(Keys.CONTACT_PREFS_TITLE))
        Text(words(Keys.CONTACT_PREFS_WHO_SEES, state.withName), style = MaterialTheme.typography.bodyLarge)
        if (state.loading) return@Column

        Label(words(Keys.CONTACT_PREFS_WAYS))
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            ContactWay.entries.forEach { w -> Tick(words(wayKey(w)), w in state.ways, PrefsTags.way(w)) { actions.toggleWay(w) } }
        }

        Label(words(Keys.CONTACT_PREFS_TIMES))
        if (state.windows.isEmpty()) Text(words(Keys.CONTACT_PREFS_TIMES_NONE), style = MaterialTheme.typography.bodyMedium)
        state.windows.forEachIndexed { i, w -> WindowCard(i, w, actions) }
        OutlinedButton(onClick = actions::addWindow, modifier = Modifier.heightIn(min = MinTouch).testTag(PrefsTags.ADD_TIME)) {
            Text(words(Keys.CONTACT_PREFS_ADD_TIME))
        }

        Tick(words(Keys.CONTACT_PREFS_NO_VOICEMAIL), state.noVoicemail, PrefsTags.NO_VOICEMAIL) { actions.setNoVoicemail(!state.noVoicemail) }
        OutlinedTextField(
            value = state.callWord,
            onValueChange = actions::editCallWord,
            label = { Text(words(Keys.CONTACT_PREFS_CALL_WORD)) },
            supportingText = { Text(words(Keys.CONTACT_PREFS_CALL_WORD_HINT)) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth().testTag(PrefsTags.CALL_WORD),
        )
        OutlinedTextField(
            value = state.note,
            onValueChange = actions::editNote,
            label = { Text(words(Keys.CONTACT_PREFS_NOTE)) },
            minLines = 2,
            modifier = Modifier.fillMaxWidth().testTag(PrefsTags.NOTE),
        )
        Problem(state.error)
        Note(state.message)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { actions.save() }, modifier = Modifier.heightIn(min = MinTouch).testTag(PrefsTags.SAVE)) {
                Text(words(Keys.CONTACT_PREFS_SAVE))
            }
            TextButton(onClick = actions::close, modifier = Modifier.heightIn(min = MinTouch)) {
                Text(words(Keys.CONTACT_PREFS_BACK))
            }
        }
    }
}

@Composable
private fun Label(text: String) {
    Text(text, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
}

@Composable
private fun WindowCard(i: Int, w: WindowDraft, actions: ContactPrefsActions) {
    Card(
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surfaceVariant, contentColor = MaterialTheme.colorScheme.onSurfaceVariant),
        modifier = Modifier.fillMaxWidth().testTag(PrefsTags.window(i)),
    ) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(words(Keys.CONTACT_PREFS_WINDOW, i + 1), style = MaterialTheme.typography.titleSmall)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                DaysChoice.entries.forEach { d ->
                    ChoiceChip(words(daysKey(d)), w.days == d, PrefsTags.days(i, d)) { actions.editWindow(i) { it.copy(days = d) } }
                }
            }
            if (w.days == DaysChoice.CHOSEN) {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    DayOfWeek.entries.forEach { d ->
                        val on = d in w.chosen
                        Tick(d.getDisplayName(TextStyle.SHORT, Locale.getDefault()), on, PrefsTags.day(i, d)) {
                            actions.editWindow(i) { it.copy(chosen = if (on) it.chosen - d else it.chosen + d) }
                        }
                    }
                }
            }
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                TimeField(w.from, Keys.CONTACT_PREFS_FROM, PrefsTags.from(i)) { t -> actions.editWindow(i) { it.copy(from = t) } }
                TimeField(w.to, Keys.CONTACT_PREFS_TO, PrefsTags.to(i)) { t -> actions.editWindow(i) { it.copy(to = t) } }
            }
            Problem(w.problem, Modifier.testTag(PrefsTags.problem(i)))
            val label = words(Keys.CONTACT_PREFS_REMOVE_TIME_NAMED, i + 1)
            TextButton(
                onClick = { actions.removeWindow(i) },
                modifier = Modifier.heightIn(min = MinTouch).testTag(PrefsTags.remove(i)).semantics { contentDescription = label },
            ) { Text(words(Keys.CONTACT_PREFS_REMOVE_TIME)) }
        }
    }
}

@Composable
private fun TimeField(value: String, label: String, tag: String, change: (String) -> Unit) {
    OutlinedTextField(
        value = value,
        onValueChange = change,
        label = { Text(words(label)) },
        supportingText = { Text(words(Keys.CONTACT_PREFS_TIME_HINT)) },
        singleLine = true,
        modifier = Modifier.widthIn(min = 120.dp, max = 180.dp).testTag(tag),
    )
}

@Composable
private fun Tick(label: String, on: Boolean, tag: String, onChange: () -> Unit) {
    Row(
        Modifier.heightIn(min = MinTouch).toggleable(value = on, role = Role.Checkbox, onValueChange = { onChange() }).testTag(tag)
            .padding(end = 8.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Checkbox(checked = on, onCheckedChange = null)
        Text(label, modifier = Modifier.padding(start = 8.dp), style = MaterialTheme.typography.bodyLarge)
    }
}
