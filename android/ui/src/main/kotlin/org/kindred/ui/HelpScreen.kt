package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
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
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.ui.unit.dp
import org.kindred.app.CrisisLine
import org.kindred.app.HelpActions
import org.kindred.app.HelpModel
import org.kindred.app.HelpState
import org.kindred.app.Keys

object HelpTags {
    const val EDIT = "help_edit"
    const val FORM = "help_form"
    const val WHEN = "help_new_when"
    const val CAN_CALL = "help_new_can_call"
    const val CAN_TEXT = "help_new_can_text"
    const val ADD = "help_add"
    const val PROBLEM = "help_problem"
    fun change(id: String) = "help_change_$id"
    fun remove(id: String) = "help_remove_$id"
}

@Composable
fun HelpScreen(model: HelpModel, onClose: () -> Unit) {
    val state by model.state.collectAsState()
    HelpContent(state, model, onClose)
}

/** "Need help now": the person's crisis lines, a call or a text one tap away. */
@Composable
fun HelpContent(state: HelpState, actions: HelpActions, onClose: () -> Unit) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag(Tags.HELP_SCREEN),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        TextButton(onClick = onClose, modifier = Modifier.heightIn(min = MinTouch)) { Text(words(Keys.HELP_BACK)) }
        Text(words(Keys.HELP_INTRO), style = MaterialTheme.typography.bodyLarge)
        state.lines.forEach { line -> LineCard(line, state, actions) }
        Note(state.done)
        Text(words(Keys.HELP_DANGER), style = MaterialTheme.typography.bodyMedium)
        if (!state.editing) {
            OutlinedButton(onClick = actions::startEditing, modifier = Modifier.heightIn(min = MinTouch).testTag(HelpTags.EDIT)) {
                Text(words(Keys.HELP_EDIT))
            }
        } else {
            EditLines(state, actions)
        }
    }
}

@Composable
private fun lineName(line: CrisisLine): String = line.name.ifBlank { words(Keys.HELP_EMERGENCY_SERVICES) }

@Composable
private fun LineCard(line: CrisisLine, state: HelpState, actions: HelpActions) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(lineName(line), style = MaterialTheme.typography.titleMedium)
            Text(line.number, style = MaterialTheme.typography.headlineMedium)
            line.whenToUse?.let { Text(words(Keys.HELP_WHEN_LABEL, it), style = MaterialTheme.typography.bodyMedium) }
            if (!state.canCall) Text(words(Keys.HELP_CALL_FROM_PHONE), style = MaterialTheme.typography.bodyMedium)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                if (state.canCall && line.canCall) {
                    Button(onClick = { actions.call(line) }, modifier = Modifier.heightIn(min = MinTouch)) {
                        Text(words(Keys.HELP_CALL, line.number))
                    }
                }
                if (state.canCall && line.canText) {
                    OutlinedButton(onClick = { actions.text(line) }, modifier = Modifier.heightIn(min = MinTouch)) {
                        Text(words(Keys.HELP_TEXT, line.number))
                    }
                }
                // Her own list: any line can be changed or removed (a regional default is kept as hers first).
                if (state.editing && state.own) {
                    val changeLabel = words(Keys.HELP_CHANGE_NAMED, lineName(line))
                    OutlinedButton(
                        onClick = { actions.startChanging(line) },
                        modifier = Modifier.heightIn(min = MinTouch).testTag(HelpTags.change(line.id ?: line.number))
                            .semantics { contentDescription = changeLabel },
                    ) { Text(words(Keys.HELP_CHANGE)) }
                }
                // A lone default not yet kept is not offered for removal: the list would show it again (never empty).
                if (state.editing && (!state.own || line.id != null || state.lines.size > 1)) {
                    // A short word on screen (large text stays tidy), the line's name for screen readers.
                    val removeLabel = words(Keys.HELP_REMOVE, lineName(line))
                    TextButton(
                        onClick = { actions.remove(line) },
                        modifier = Modifier.heightIn(min = MinTouch).testTag(HelpTags.remove(line.id ?: line.number))
                            .semantics { contentDescription = removeLabel },
                    ) {
                        Text(words(Keys.HELP_REMOVE_SHORT))
                    }
                }
            }
        }
    }
}

@Composable
private fun EditLines(state: HelpState, actions: HelpActions) {
    Section(words(if (state.changing != null) Keys.HELP_CHANGE_TITLE else Keys.HELP_ADD_TITLE), Modifier.testTag(HelpTags.FORM)) {
        if (state.own) Text(words(Keys.HELP_OWN_LIST), style = MaterialTheme.typography.bodyMedium)
        OutlinedTextField(
            value = state.newName,
            onValueChange = { actions.editNew(name = it) },
            label = { Text(words(Keys.HELP_NAME)) },
            modifier = Modifier.fillMaxWidth().testTag("help_new_name"),
        )
        OutlinedTextField(
            value = state.newNumber,
            onValueChange = { actions.editNew(number = it) },
            label = { Text(words(Keys.HELP_NUMBER)) },
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Phone),
            isError = state.message != null,
            modifier = Modifier.fillMaxWidth().testTag("help_new_number"),
        )
        Problem(state.message, Modifier.testTag(HelpTags.PROBLEM))
        if (state.own) {
            OutlinedTextField(
                value = state.newWhen,
                onValueChange = { actions.editMore(whenToUse = it) },
                label = { Text(words(Keys.HELP_WHEN)) },
                modifier = Modifier.fillMaxWidth().testTag(HelpTags.WHEN),
            )
            Row(
                Modifier.fillMaxWidth().heightIn(min = MinTouch)
                    .toggleable(value = state.newCanCall, role = Role.Checkbox, onValueChange = { actions.editMore(canCall = it) })
                    .testTag(HelpTags.CAN_CALL),
                verticalAlignment = Alignment.CenterVertically,
            ) {
                Checkbox(checked = state.newCanCall, onCheckedChange = null)
                Text(words(Keys.HELP_TAKES_CALLS), modifier = Modifier.padding(start = 8.dp))
            }
        }
        Row(
            Modifier.fillMaxWidth().heightIn(min = MinTouch)
                .toggleable(value = state.newCanText, role = Role.Checkbox, onValueChange = { actions.editNew(canText = it) })
                .testTag(HelpTags.CAN_TEXT),
            verticalAlignment = Alignment.CenterVertically,
        ) {
            Checkbox(checked = state.newCanText, onCheckedChange = null)
            Text(words(Keys.HELP_TAKES_TEXTS), modifier = Modifier.padding(start = 8.dp))
        }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = actions::add, modifier = Modifier.heightIn(min = MinTouch).testTag(HelpTags.ADD)) {
                Text(words(if (state.changing != null) Keys.HELP_SAVE_CHANGE else Keys.HELP_ADD))
            }
            OutlinedButton(onClick = actions::restoreDefaults, modifier = Modifier.heightIn(min = MinTouch)) {
                Text(words(Keys.HELP_RESTORE))
            }
            TextButton(onClick = actions::doneEditing, modifier = Modifier.heightIn(min = MinTouch)) { Text(words(Keys.HELP_DONE)) }
        }
    }
}
