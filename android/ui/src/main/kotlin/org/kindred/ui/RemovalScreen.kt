package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Surface
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
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.app.DeviceLine
import org.kindred.app.Keys
import org.kindred.app.PendingLine
import org.kindred.app.RemovalActions
import org.kindred.app.RemovalModel
import org.kindred.app.RemovalUi
import org.kindred.app.SharingActions
import org.kindred.app.SharingUi
import org.kindred.app.UiText

/** Test tags the UI tests find things by (never shown). */
object RemovalTags {
    const val LOST_YES = "removal_lost_yes"
    const val LOST_NO = "removal_lost_no"
    const val USE_KIT = "removal_use_kit"
    const val KIT_WORDS = "removal_kit_words"
    const val KIT_REMOVE = "removal_kit_remove"
    const val PENDING = "removal_pending"
    fun pending(fingerprint: String) = "removal_pending_$fingerprint"
    fun keep(fingerprint: String) = "removal_keep_$fingerprint"
    fun confirm(fingerprint: String) = "removal_confirm_$fingerprint"
    fun waiting(fingerprint: String) = "removal_waiting_$fingerprint"
    const val BANNER = "removal_banner"
    const val KEEP_THIS = "removal_keep_this"
    const val HISTORY = "removal_history"
    const val LOCKED = "removal_locked"
    const val EXPORT = "removal_export"
    const val ERASE = "removal_erase"
    const val ERASE_YES = "removal_erase_yes"
    const val ERASE_NO = "removal_erase_no"
    const val GONE = "removal_gone"
    const val START_AGAIN = "removal_start_again"
}

// ----- the device list: removing one of her own devices -----------------------

/**
 * Under one of her own devices in the list, once "Remove" was tapped:
 * "Is it lost or stolen?" with the two choices and what each does, why it
 * waits, and the recovery kit to do it now. Her kit gets its own words.
 */
@Composable
internal fun RemoveOwnDevicePanel(d: DeviceLine, state: SharingUi, actions: SharingActions) {
    Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        if (d.kit) {
            Text(words(Keys.REMOVAL_KIT_ASK), style = MaterialTheme.typography.bodyLarge)
        } else {
            Text(
                words(Keys.REMOVAL_LOST_ASK, d.name),
                style = MaterialTheme.typography.titleSmall,
                modifier = Modifier.semantics { heading() },
            )
            Column(Modifier.fillMaxWidth().selectableGroup(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                LostChoice(Keys.REMOVAL_LOST_YES, Keys.REMOVAL_LOST_YES_WHAT, state.removeLost == true, RemovalTags.LOST_YES) { actions.chooseLost(true) }
                LostChoice(Keys.REMOVAL_LOST_NO, Keys.REMOVAL_LOST_NO_WHAT, state.removeLost == false, RemovalTags.LOST_NO) { actions.chooseLost(false) }
            }
            Text(words(Keys.REMOVAL_WHY_WAIT), style = MaterialTheme.typography.bodyMedium)
        }
        Problem(state.removeProblem)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            val remove = if (d.kit) words(Keys.REMOVAL_KIT_REMOVE_BUTTON) else words(Keys.DEVICE_REMOVE_NAMED, d.name)
            Button(
                onClick = { actions.confirmRemoveDevice() },
                enabled = !state.removing,
                modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.REMOVE_YES).semantics { contentDescription = remove },
            ) { Text(words(Keys.DEVICE_REMOVE_YES)) }
            val keep = words(Keys.REMOVAL_KEEP_NAMED, d.name)
            TextButton(
                onClick = actions::cancelEnding,
                modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.REMOVE_NO).semantics { contentDescription = keep },
            ) { Text(words(Keys.DEVICE_KEEP)) }
        }
        if (!d.kit) {
            if (!state.removeKitOpen) {
                val label = words(Keys.REMOVAL_USE_KIT)
                OutlinedButton(
                    onClick = actions::openKitWords,
                    modifier = Modifier.heightIn(min = MinTouch).testTag(RemovalTags.USE_KIT).semantics { contentDescription = label },
                ) { Text(label) }
            } else {
                OutlinedTextField(
                    value = state.kitWords,
                    onValueChange = actions::editKitWords,
                    label = { Text(words(Keys.REMOVAL_KIT_WORDS)) },
                    supportingText = { Text(words(Keys.REMOVAL_KIT_HINT)) },
                    minLines = 2,
                    modifier = Modifier.fillMaxWidth().testTag(RemovalTags.KIT_WORDS),
                )
                val label = words(Keys.REMOVAL_KIT_REMOVE_NAMED, d.name)
                Button(
                    onClick = { actions.removeWithKit() },
                    enabled = !state.removing,
                    modifier = Modifier.heightIn(min = MinTouch).testTag(RemovalTags.KIT_REMOVE).semantics { contentDescription = label },
                ) { Text(words(Keys.REMOVAL_KIT_REMOVE)) }
            }
        }
    }
}

/** One of the two answers to "Is it lost or stolen?": a radio choice with what it does, said under it. */
@Composable
private fun LostChoice(titleKey: String, whatKey: String, selected: Boolean, tag: String, onClick: () -> Unit) {
    Surface(
        shape = RoundedCornerShape(12.dp),
        color = if (selected) MaterialTheme.colorScheme.secondaryContainer else MaterialTheme.colorScheme.surface,
        contentColor = if (selected) MaterialTheme.colorScheme.onSecondaryContainer else MaterialTheme.colorScheme.onSurface,
        border = androidx.compose.foundation.BorderStroke(1.dp, if (selected) MaterialTheme.colorScheme.secondary else MaterialTheme.colorScheme.outline),
        modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch)
            .selectable(selected = selected, role = Role.RadioButton, onClick = onClick)
            .testTag(tag),
    ) {
        Row(Modifier.padding(12.dp), horizontalArrangement = Arrangement.spacedBy(12.dp), verticalAlignment = Alignment.Top) {
            RadioButton(selected = selected, onClick = null)
            Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(words(titleKey), style = MaterialTheme.typography.titleSmall)
                Text(words(whatKey), style = MaterialTheme.typography.bodyMedium)
            }
        }
    }
}

/** Under a device in the list whose removal waits: until when (the card at the top has the choices). */
@Composable
internal fun RemovalWaitingLine(line: PendingLine) {
    Text(
        words(Keys.REMOVAL_ROW_WAITING, line.until),
        style = MaterialTheme.typography.bodyMedium,
        modifier = Modifier.testTag(RemovalTags.waiting(line.fingerprint)),
    )
}

// ----- removals that wait, on every one of her devices ------------------------

/** At the top of Sharing and devices: every removal that waits, each with its choices; and what the last choice did. */
@Composable
fun PendingRemovalsCard(state: RemovalUi, actions: RemovalActions) {
    Note(state.message)
    Problem(state.error)
    if (state.pending.isEmpty()) return
    Card(
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.secondaryContainer,
            contentColor = MaterialTheme.colorScheme.onSecondaryContainer,
        ),
        modifier = Modifier.fillMaxWidth().testTag(RemovalTags.PENDING),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(16.dp)) {
            Text(words(Keys.REMOVAL_PENDING_TITLE), style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
            state.pending.forEach { line -> PendingItem(line, state.busy, actions) }
        }
    }
}

@Composable
private fun PendingItem(line: PendingLine, busy: Boolean, actions: RemovalActions) {
    Column(Modifier.fillMaxWidth().testTag(RemovalTags.pending(line.fingerprint)), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        Text(words(line.text), style = MaterialTheme.typography.bodyLarge)
        line.outcome?.let { Text(words(it), style = MaterialTheme.typography.bodyMedium) }
        line.hint?.let { Text(words(it), style = MaterialTheme.typography.bodyMedium) }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            when {
                line.thisDevice -> KeepButton(Keys.REMOVAL_KEEP_THIS, words(Keys.REMOVAL_KEEP_THIS), RemovalTags.keep(line.fingerprint), busy, filled = true) {
                    actions.keep(line)
                }
                line.canConfirm -> {
                    val yes = words(Keys.REMOVAL_CONFIRM_NAMED, line.name)
                    Button(
                        onClick = { actions.confirm(line) },
                        enabled = !busy,
                        modifier = Modifier.heightIn(min = MinTouch).testTag(RemovalTags.confirm(line.fingerprint)).semantics { contentDescription = yes },
                    ) { Text(words(Keys.REMOVAL_CONFIRM)) }
                    KeepButton(Keys.REMOVAL_CANCEL, words(Keys.REMOVAL_CANCEL_NAMED, line.name), RemovalTags.keep(line.fingerprint), busy, filled = false) {
                        actions.keep(line)
                    }
                }
                line.kit -> KeepButton(Keys.REMOVAL_KEEP_KIT, words(Keys.REMOVAL_KEEP_KIT), RemovalTags.keep(line.fingerprint), busy, filled = !line.askedHere) {
                    actions.keep(line)
                }
                else -> KeepButton(Keys.REMOVAL_STOP, words(Keys.REMOVAL_STOP_NAMED, line.name), RemovalTags.keep(line.fingerprint), busy, filled = false) {
                    actions.keep(line)
                }
            }
        }
    }
}

@Composable
private fun KeepButton(key: String, label: String, tag: String, busy: Boolean, filled: Boolean, onClick: () -> Unit) {
    val modifier = Modifier.heightIn(min = MinTouch).testTag(tag).semantics { contentDescription = label }
    if (filled) {
        Button(onClick = onClick, enabled = !busy, modifier = modifier) { Text(words(key)) }
    } else {
        OutlinedButton(onClick = onClick, enabled = !busy, modifier = modifier) { Text(words(key)) }
    }
}

/** On Today, when a removal of this very device waits: a gentle card with "Keep this device". */
@Composable
fun RemovalBanner(model: RemovalModel) {
    val state by model.state.collectAsState()
    RemovalBannerContent(state, model)
}

@Composable
fun RemovalBannerContent(state: RemovalUi, actions: RemovalActions) {
    val here = state.here
    if (here == null) {
        if (state.keptHere) Note(UiText(Keys.REMOVAL_KEPT_THIS))
        return
    }
    Card(
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.secondaryContainer,
            contentColor = MaterialTheme.colorScheme.onSecondaryContainer,
        ),
        modifier = Modifier.fillMaxWidth().testTag(RemovalTags.BANNER),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(words(here.text), style = MaterialTheme.typography.bodyLarge)
            here.outcome?.let { Text(words(it), style = MaterialTheme.typography.bodyMedium) }
            here.hint?.let { Text(words(it), style = MaterialTheme.typography.bodyMedium) }
            Problem(state.error)
            KeepButton(Keys.REMOVAL_KEEP_THIS, words(Keys.REMOVAL_KEEP_THIS), RemovalTags.KEEP_THIS, state.busy, filled = true) { actions.keep(here) }
        }
    }
}

/** A small list under the devices: who removed which device, how, and when where known. */
@Composable
fun RemovedDevicesSection(state: RemovalUi) {
    if (state.history.isEmpty()) return
    Section(words(Keys.REMOVAL_HISTORY_TITLE), Modifier.testTag(RemovalTags.HISTORY)) {
        state.history.forEach { h ->
            Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
                Text(words(h.text), style = MaterialTheme.typography.bodyLarge)
                Text(words(h.copy), style = MaterialTheme.typography.bodyMedium)
            }
        }
    }
}

// ----- the locked copy ---------------------------------------------------------

/** Instead of the tabs, when this device was removed without being called lost. */
@Composable
fun LockedCopyScreen(model: RemovalModel, workArea: Boolean = false) {
    val state by model.state.collectAsState()
    LockedCopyContent(state, model, workArea)
}

/**
 * Calm words: who removed this device, that her words are kept, locked;
 * "Export my words" and "Erase this copy" (asked once more). "Need help
 * now" stays in the top bar.
 */
@Composable
fun LockedCopyContent(state: RemovalUi, actions: RemovalActions, workArea: Boolean = false, scroll: ScrollState = rememberScrollState()) {
    val locked = state.locked ?: return
    Column(
        Modifier.fillMaxSize().verticalScroll(scroll).padding(16.dp).testTag(RemovalTags.LOCKED),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Heading(words(Keys.REMOVAL_LOCKED_TITLE))
        Text(words(Keys.REMOVAL_LOCKED_BY, locked.removedBy), style = MaterialTheme.typography.bodyLarge)
        Text(words(Keys.REMOVAL_LOCKED_WHAT), style = MaterialTheme.typography.bodyMedium)
        Note(state.message)
        state.exportedTo?.let { Text(words(Keys.EXPORT_WHERE, it), style = MaterialTheme.typography.bodyMedium) }
        Problem(state.error)
        if (workArea) {
            Toggle(words(Keys.SETTINGS_EXPORT_SENSITIVE), state.includeSensitive, actions::setIncludeSensitive, "removal_export_sensitive")
        }
        val export = words(Keys.REMOVAL_EXPORT)
        Button(
            onClick = { actions.exportLocked() },
            enabled = !state.busy,
            modifier = Modifier.heightIn(min = MinTouch).testTag(RemovalTags.EXPORT).semantics { contentDescription = export },
        ) { Text(export) }
        if (!state.confirmErase) {
            val erase = words(Keys.REMOVAL_ERASE)
            OutlinedButton(
                onClick = actions::askEraseLocked,
                enabled = !state.busy,
                modifier = Modifier.heightIn(min = MinTouch).testTag(RemovalTags.ERASE).semantics { contentDescription = erase },
            ) { Text(erase) }
        } else {
            Text(words(Keys.REMOVAL_ERASE_ASK), style = MaterialTheme.typography.bodyLarge)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                val yes = words(Keys.REMOVAL_ERASE_YES)
                Button(
                    onClick = { actions.eraseLocked() },
                    enabled = !state.busy,
                    modifier = Modifier.heightIn(min = MinTouch).testTag(RemovalTags.ERASE_YES).semantics { contentDescription = yes },
                ) { Text(yes) }
                val no = words(Keys.REMOVAL_ERASE_KEEP)
                TextButton(
                    onClick = actions::keepLocked,
                    modifier = Modifier.heightIn(min = MinTouch).testTag(RemovalTags.ERASE_NO).semantics { contentDescription = no },
                ) { Text(no) }
            }
        }
    }
}

/** Instead of the tabs, when this device was removed as lost and wiped what it held: only "Set up this device again". */
@Composable
fun NothingHereContent(actions: RemovalActions) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag(RemovalTags.GONE),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Heading(words(Keys.REMOVAL_GONE_TITLE))
        Text(words(Keys.REMOVAL_GONE_WHAT), style = MaterialTheme.typography.bodyLarge)
        val again = words(Keys.REMOVAL_START_AGAIN)
        Button(
            onClick = actions::startAgain,
            modifier = Modifier.heightIn(min = MinTouch).testTag(RemovalTags.START_AGAIN).semantics { contentDescription = again },
        ) { Text(again) }
    }
}
