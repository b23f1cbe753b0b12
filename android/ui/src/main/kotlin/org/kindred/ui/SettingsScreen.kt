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
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import org.kindred.app.Keys
import org.kindred.app.LockMethod
import org.kindred.app.Relock
import org.kindred.app.SettingsActions
import org.kindred.app.SettingsModel
import org.kindred.app.SettingsState

object SettingsTags {
    const val SET_PIN = "settings_set_pin"
    const val PIN = "settings_pin"
    const val PIN_AGAIN = "settings_pin_again"
    const val SAVE_PIN = "settings_save_pin"
    const val DEVICE_LOCK = "settings_device_lock"
    const val LOCK_OFF = "settings_lock_off"
    const val REMINDERS = "settings_reminders"
    const val EARLIER = "settings_reminder_earlier"
    const val LATER = "settings_reminder_later"
    const val WORK_AREA = "settings_work_area"
    const val EXPORT = "settings_export"
    const val SERVER = "settings_server"
    const val SAVE_SERVER = "settings_save_server"
    const val ERASE = "settings_erase"
    const val ERASE_GO_ON = "settings_erase_go_on"
    const val ERASE_NOW = "settings_erase_now"
    const val ERASE_KEEP = "settings_erase_keep"
    const val ERASE_MESSAGE = "settings_erase_message"
    const val DURESS = "settings_duress"
    const val DURESS_SET = "settings_duress_set"
    const val DURESS_PIN = "settings_duress_pin"
    const val DURESS_PIN_AGAIN = "settings_duress_pin_again"
    const val DURESS_SAVE = "settings_duress_save"
    const val DURESS_NOT_NOW = "settings_duress_not_now"
    const val DURESS_OFF = "settings_duress_off"
    const val DURESS_DESTROY = "settings_duress_destroy"
    const val DURESS_MESSAGE = "settings_duress_message"
}

@Composable
fun SettingsScreen(model: SettingsModel, kit: org.kindred.app.RecoveryKitModel? = null) {
    val state by model.state.collectAsState()
    if (kit == null) return SettingsContent(state, model)
    val kitState by kit.state.collectAsState()
    // Making a kit takes the whole screen, one step at a time.
    if (kitState.step != org.kindred.app.KitStep.STATUS) return RecoveryKitContent(kitState, kit)
    SettingsContent(
        state, model,
        kitSection = { KitSection(kitState, kit) },
        suggestion = if (kitState.suggestInSettings) ({ KitSuggestionCard(kit, inSettings = true) }) else null,
    )
}

/**
 * Settings: the app lock, a gentle reminder, the work area, a copy of
 * everything, erasing everything; the recovery kit's section
 * ([kitSection]) and, at the top, the suggestion to make one
 * ([suggestion]). [scroll] lets the catalog show the end.
 */
@Composable
fun SettingsContent(
    state: SettingsState,
    actions: SettingsActions,
    scroll: ScrollState = rememberScrollState(),
    kitSection: (@Composable () -> Unit)? = null,
    suggestion: (@Composable () -> Unit)? = null,
) {
    Column(
        Modifier.fillMaxSize().verticalScroll(scroll).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Note(state.message)
        Problem(state.error)
        suggestion?.invoke()
        // With no sync server yet, its address comes first ("Open Settings" from Sync leads here).
        if (state.server == null) ServerSection(state, actions)
        LockSection(state, actions)
        if (state.duressAvailable) DuressSection(state, actions)
        kitSection?.invoke()
        ReminderSection(state, actions)
        if (state.server != null) ServerSection(state, actions)
        Section(words(Keys.SETTINGS_WORK_TITLE)) {
            Toggle(words(Keys.SETTINGS_WORK_AREA), state.workArea, actions::setWorkArea, SettingsTags.WORK_AREA)
        }
        Section(words(Keys.SETTINGS_EXPORT_TITLE)) {
            Text(words(Keys.SETTINGS_EXPORT_WHAT), style = MaterialTheme.typography.bodyMedium)
            if (state.workArea) {
                Toggle(words(Keys.SETTINGS_EXPORT_SENSITIVE), state.includeSensitiveInExport, actions::setIncludeSensitive, "settings_export_sensitive")
            }
            Button(onClick = actions::export, enabled = !state.busy, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.EXPORT)) {
                Text(words(Keys.SETTINGS_EXPORT))
            }
            state.exportedTo?.let { Text(words(Keys.EXPORT_WHERE, it), style = MaterialTheme.typography.bodyMedium) }
        }
        EraseSection(state, actions)
    }
}

@Composable
private fun LockSection(state: SettingsState, actions: SettingsActions) {
    Section(words(Keys.SETTINGS_APP_LOCK)) {
        val now = when (state.lockMethod) {
            LockMethod.NONE -> Keys.LOCK_NOW_NONE
            LockMethod.PIN -> Keys.LOCK_NOW_PIN
            LockMethod.BIOMETRIC_OR_PIN -> Keys.LOCK_NOW_BIOMETRIC_PIN
            LockMethod.DEVICE -> Keys.LOCK_NOW_DEVICE
        }
        Text(words(now), style = MaterialTheme.typography.bodyLarge)
        if (state.deviceLockMissing) Problem(org.kindred.app.UiText(Keys.LOCK_DEVICE_MISSING))
        if (state.choosingPin) {
            PinFields(state.pin, state.pinAgain, actions::editPin, actions::editPinAgain, SettingsTags.PIN, SettingsTags.PIN_AGAIN)
            if (state.biometricsAvailable) {
                Toggle(words(Keys.LOCK_ALSO_BIOMETRICS), state.pinWithBiometrics, actions::setPinWithBiometrics, "settings_pin_biometrics")
            }
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = actions::savePin, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.SAVE_PIN)) {
                    Text(words(Keys.LOCK_USE_THIS_PIN))
                }
                TextButton(onClick = actions::closePinForm, modifier = Modifier.heightIn(min = MinTouch)) { Text(words(Keys.LOCK_NOT_NOW)) }
            }
        } else {
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = actions::openPinForm, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.SET_PIN)) {
                    Text(words(if (state.lockMethod == LockMethod.PIN || state.lockMethod == LockMethod.BIOMETRIC_OR_PIN) Keys.LOCK_CHANGE_PIN else Keys.LOCK_A_PIN))
                }
                if (state.deviceLockAvailable && state.lockMethod != LockMethod.DEVICE) {
                    OutlinedButton(onClick = actions::useDeviceLock, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.DEVICE_LOCK)) {
                        Text(words(Keys.LOCK_USE_DEVICE))
                    }
                }
                if (state.lockMethod != LockMethod.NONE && !state.pinOnly) {
                    TextButton(onClick = actions::turnLockOff, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.LOCK_OFF)) {
                        Text(words(Keys.LOCK_TURN_OFF))
                    }
                }
            }
        }
        if (state.lockMethod != LockMethod.NONE) {
            Text(words(Keys.LOCK_RELOCK), style = MaterialTheme.typography.titleSmall)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Relock.entries.forEach { r ->
                    FilterChip(
                        selected = state.relock == r,
                        onClick = { actions.pickRelock(r) },
                        label = { Text(words("relock_${r.name.lowercase()}")) },
                        modifier = Modifier.heightIn(min = MinTouch),
                    )
                }
            }
        }
    }
}

/** Words beside the duress PIN that ask for another try (the rest say it was saved). */
private val duressProblems = setOf(Keys.LOCK_PINS_DIFFER, Keys.LOCK_PIN_TAKEN, Keys.LOCK_PIN_RULE, Keys.SETTINGS_DURESS_NEEDS_PIN)

/**
 * The duress PIN: what it does, in plain words; set, change or turn it off;
 * and the choice to delete the key to her own Kindred when it is used
 * (off unless she turns it on), with what that means.
 */
@Composable
internal fun DuressSection(state: SettingsState, actions: SettingsActions) {
    Section(words(Keys.SETTINGS_DURESS_TITLE), Modifier.testTag(SettingsTags.DURESS)) {
        Text(words(Keys.SETTINGS_DURESS_WHAT), style = MaterialTheme.typography.bodyMedium)
        val message = state.duressMessage
        if (message != null && message.key in duressProblems) Problem(message, Modifier.testTag(SettingsTags.DURESS_MESSAGE))
        else Note(message, Modifier.testTag(SettingsTags.DURESS_MESSAGE))
        val pinLock = state.lockMethod == LockMethod.PIN || state.lockMethod == LockMethod.BIOMETRIC_OR_PIN
        if (!pinLock) {
            Text(words(Keys.SETTINGS_DURESS_NEEDS_PIN), style = MaterialTheme.typography.bodyLarge)
            return@Section
        }
        Text(words(if (state.duressOn) Keys.SETTINGS_DURESS_NOW_ON else Keys.SETTINGS_DURESS_NOW_OFF), style = MaterialTheme.typography.bodyLarge)
        // Said before it is set too: fingerprint, face or the device's lock stop opening Kindred.
        if (state.duressOn || state.choosingDuress) Text(words(Keys.SETTINGS_DURESS_PIN_ONLY), style = MaterialTheme.typography.bodyMedium)
        if (state.choosingDuress) {
            PinFields(
                state.duressPin, state.duressPinAgain, actions::editDuressPin, actions::editDuressPinAgain,
                SettingsTags.DURESS_PIN, SettingsTags.DURESS_PIN_AGAIN, Keys.SETTINGS_DURESS_NEW, Keys.SETTINGS_DURESS_AGAIN,
            )
            // Chosen with the PIN the first time; once set, the switch below changes it at once.
            if (!state.duressOn) DestroyChoice(state.duressDestroysDraft, actions::setDuressDestroysDraft)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(
                    onClick = actions::saveDuressPin,
                    enabled = !state.busy,
                    modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.DURESS_SAVE),
                ) { Text(words(Keys.SETTINGS_DURESS_USE)) }
                TextButton(onClick = actions::closeDuressForm, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.DURESS_NOT_NOW)) {
                    Text(words(Keys.LOCK_NOT_NOW))
                }
            }
        } else {
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = actions::openDuressForm, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.DURESS_SET)) {
                    Text(words(if (state.duressOn) Keys.SETTINGS_DURESS_CHANGE else Keys.SETTINGS_DURESS_SET))
                }
                if (state.duressOn) {
                    TextButton(onClick = actions::turnDuressOff, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.DURESS_OFF)) {
                        Text(words(Keys.SETTINGS_DURESS_TURN_OFF))
                    }
                }
            }
        }
        if (state.duressOn) DestroyChoice(state.duressDestroys, actions::setDuressDestroys)
    }
}

/** "Also delete the key to my own Kindred", with what that means right under it. */
@Composable
private fun DestroyChoice(on: Boolean, set: (Boolean) -> Unit) {
    Toggle(words(Keys.SETTINGS_DURESS_DESTROY), on, set, SettingsTags.DURESS_DESTROY)
    Text(words(Keys.SETTINGS_DURESS_DESTROY_WHAT), style = MaterialTheme.typography.bodyMedium)
}

@Composable
private fun ServerSection(state: SettingsState, actions: SettingsActions) {
    Section(words(Keys.SETTINGS_SERVER)) {
        Text(words(Keys.SETTINGS_SERVER_WHAT), style = MaterialTheme.typography.bodyMedium)
        OutlinedTextField(
            value = state.serverDraft,
            onValueChange = actions::editServer,
            label = { Text(words(Keys.SETTINGS_SERVER_ADDRESS)) },
            placeholder = { Text("https://") },
            singleLine = true,
            isError = state.serverMessage?.key in setOf(Keys.SETTINGS_SERVER_RULE, Keys.SETTINGS_SERVER_PLAIN_HTTP),
            supportingText = state.serverMessage?.let { m -> { Text(words(m)) } },
            modifier = Modifier.fillMaxWidth().testTag(SettingsTags.SERVER),
        )
        Button(
            onClick = actions::saveServer,
            enabled = !state.busy && state.serverDraft.trim() != state.server.orEmpty(),
            modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.SAVE_SERVER),
        ) { Text(words(Keys.SETTINGS_SERVER_SAVE)) }
    }
}

@Composable
private fun ReminderSection(state: SettingsState, actions: SettingsActions) {
    Section(words(Keys.SETTINGS_REMINDERS)) {
        Toggle(words(Keys.SETTINGS_REMINDER_DAILY), state.remindersOn, actions::setReminders, SettingsTags.REMINDERS)
        if (state.notificationsBlocked) Problem(org.kindred.app.UiText(Keys.REMINDER_BLOCKED))
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(onClick = { actions.moveReminder(-30) }, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.EARLIER)) {
                Text(words(Keys.REMINDER_EARLIER))
            }
            Text(words(Keys.REMINDER_AT, state.reminderAt.toString()), style = MaterialTheme.typography.titleMedium, modifier = Modifier.weight(1f))
            OutlinedButton(onClick = { actions.moveReminder(30) }, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.LATER)) {
                Text(words(Keys.REMINDER_LATER))
            }
        }
    }
}

/**
 * "Erase everything": what it takes, said plainly; then a first "Go on"
 * (with a reminder that a copy can be saved first) and a last, clear
 * "Erase everything now". "Keep everything" is there at every step.
 */
@Composable
private fun EraseSection(state: SettingsState, actions: SettingsActions) {
    Section(words(Keys.SETTINGS_ERASE_TITLE)) {
        Text(words(Keys.SETTINGS_ERASE_WHAT), style = MaterialTheme.typography.bodyMedium)
        state.eraseMessage?.let { Note(it, Modifier.testTag(SettingsTags.ERASE_MESSAGE)) }
        when (state.eraseStep) {
            0 -> OutlinedButton(onClick = actions::startErase, enabled = !state.busy, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.ERASE)) {
                Text(words(Keys.SETTINGS_ERASE))
            }
            else -> {
                val last = state.eraseStep >= 2
                Text(words(if (last) Keys.SETTINGS_ERASE_LAST else Keys.SETTINGS_ERASE_ASK), style = MaterialTheme.typography.bodyLarge)
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    if (last) {
                        Button(onClick = actions::eraseEverything, enabled = !state.busy, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.ERASE_NOW)) {
                            Text(words(Keys.SETTINGS_ERASE_NOW))
                        }
                    } else {
                        OutlinedButton(onClick = actions::goOnErase, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.ERASE_GO_ON)) {
                            Text(words(Keys.SETTINGS_ERASE_GO_ON))
                        }
                    }
                    TextButton(onClick = actions::keepEverything, modifier = Modifier.heightIn(min = MinTouch).testTag(SettingsTags.ERASE_KEEP)) {
                        Text(words(Keys.SETTINGS_ERASE_KEEP))
                    }
                }
            }
        }
    }
}

/** A whole row that toggles (the label is part of the touch target). */
@Composable
fun Toggle(label: String, on: Boolean, set: (Boolean) -> Unit, tag: String) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = MinTouch).toggleable(value = on, role = Role.Switch, onValueChange = set).testTag(tag),
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
        Switch(checked = on, onCheckedChange = null)
    }
}
