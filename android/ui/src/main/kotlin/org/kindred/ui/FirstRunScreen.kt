package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import org.kindred.app.FirstRunActions
import org.kindred.app.FirstRunModel
import org.kindred.app.FirstRunState
import org.kindred.app.FirstRunStep
import org.kindred.app.Keys
import org.kindred.app.StartAs

object FirstRunTags {
    const val FIRST_DEVICE = "first_device"
    const val OTHER_DEVICE = "other_device"
    const val WORKER = "worker"
    const val OFFER = "offer_text"
    const val JOIN = "join"
    const val PIN = "first_pin"
    const val PIN_AGAIN = "first_pin_again"
    const val USE_PIN = "use_pin"
    const val USE_DEVICE_LOCK = "use_device_lock"
    const val NO_LOCK = "no_lock"
}

@Composable
fun FirstRunScreen(model: FirstRunModel) {
    val state by model.state.collectAsState()
    FirstRunContent(state, model)
}

/** First run: which kind of start, joining another device or bringing everything back with a recovery kit, then a lock (or none). [scroll] lets the catalog show the end. */
@Composable
fun FirstRunContent(state: FirstRunState, actions: FirstRunActions, scroll: ScrollState = rememberScrollState()) {
    Column(
        Modifier.fillMaxSize().verticalScroll(scroll).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        when (state.step) {
            FirstRunStep.CHOOSE -> Choose(state, actions)
            FirstRunStep.JOIN -> Join(state, actions)
            FirstRunStep.RESTORE -> RestoreFromKit(state, actions)
            FirstRunStep.LOCK -> ChooseLock(state, actions)
        }
        // Restoring says what it is doing beside its own progress.
        if (state.busy && state.step != FirstRunStep.RESTORE) CircularProgressIndicator()
        Problem(state.message)
    }
}

@Composable
private fun Choose(state: FirstRunState, actions: FirstRunActions) {
    Heading(words(Keys.FIRST_WELCOME))
    Text(words(Keys.FIRST_INTRO), style = MaterialTheme.typography.bodyLarge)
    OutlinedTextField(
        value = state.deviceName,
        onValueChange = actions::editDeviceName,
        label = { Text(words(Keys.FIRST_DEVICE_NAME)) },
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
    Button(
        onClick = { actions.start(StartAs.FIRST_DEVICE) },
        enabled = !state.busy,
        modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch).testTag(FirstRunTags.FIRST_DEVICE),
    ) { Text(words(Keys.FIRST_THIS_IS_FIRST)) }
    OutlinedButton(
        onClick = { actions.start(StartAs.OTHER_DEVICE) },
        enabled = !state.busy,
        modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch).testTag(FirstRunTags.OTHER_DEVICE),
    ) { Text(words(Keys.FIRST_OTHER_DEVICE)) }
    OutlinedButton(
        onClick = { actions.start(StartAs.WORKER) },
        enabled = !state.busy,
        modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch).testTag(FirstRunTags.WORKER),
    ) { Text(words(Keys.FIRST_WORKER)) }
    OutlinedButton(
        onClick = actions::startRestore,
        enabled = !state.busy,
        modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch).testTag(KitTags.HAVE_KIT),
    ) { Text(words(Keys.KIT_FIRST_HAVE)) }
}

@Composable
private fun Join(state: FirstRunState, actions: FirstRunActions) {
    Heading(words(Keys.FIRST_JOIN_TITLE))
    Text(words(Keys.FIRST_JOIN_HOW), style = MaterialTheme.typography.bodyLarge)
    if (state.canScan) {
        Button(
            onClick = actions::scan,
            enabled = !state.busy,
            modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch),
        ) { Text(words(Keys.FIRST_SCAN)) }
    }
    OutlinedTextField(
        value = state.offer,
        onValueChange = actions::editOffer,
        label = { Text(words(Keys.FIRST_PASTE)) },
        minLines = 2,
        modifier = Modifier.fillMaxWidth().testTag(FirstRunTags.OFFER),
    )
    if (state.waitingForOtherDevice) Note(org.kindred.app.UiText(Keys.FIRST_JOINING))
    state.pairCode?.let { code ->
        Text(words(Keys.FIRST_PAIR_CODE), style = MaterialTheme.typography.bodyLarge)
        PairCodeCard(code)
    }
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(
            onClick = actions::join,
            enabled = !state.busy,
            modifier = Modifier.heightIn(min = MinTouch).testTag(FirstRunTags.JOIN),
        ) { Text(words(Keys.FIRST_JOIN)) }
        TextButton(onClick = actions::back, enabled = !state.busy, modifier = Modifier.heightIn(min = MinTouch)) {
            Text(words(Keys.FIRST_BACK))
        }
    }
}

@Composable
private fun ChooseLock(state: FirstRunState, actions: FirstRunActions) {
    // After a restore: what came back, first.
    if (state.restored.isNotEmpty()) WelcomeBack(state.restored)
    Heading(words(Keys.FIRST_LOCK_TITLE))
    Text(words(Keys.FIRST_LOCK_WHY), style = MaterialTheme.typography.bodyLarge)
    if (state.deviceLockAvailable) {
        Button(
            onClick = actions::chooseDeviceLock,
            modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch).testTag(FirstRunTags.USE_DEVICE_LOCK),
        ) { Text(words(Keys.LOCK_USE_DEVICE)) }
    }
    Section(words(Keys.LOCK_A_PIN)) {
        PinFields(state.pin, state.pinAgain, actions::editPin, actions::editPinAgain, FirstRunTags.PIN, FirstRunTags.PIN_AGAIN)
        Button(
            onClick = { actions.choosePin(withBiometrics = state.biometricsAvailable) },
            modifier = Modifier.heightIn(min = MinTouch).testTag(FirstRunTags.USE_PIN),
        ) { Text(words(if (state.biometricsAvailable) Keys.LOCK_USE_PIN_AND_BIOMETRICS else Keys.LOCK_USE_THIS_PIN)) }
    }
    OutlinedButton(
        onClick = actions::chooseNoLock,
        modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch).testTag(FirstRunTags.NO_LOCK),
    ) { Text(words(Keys.LOCK_NONE)) }
}

/** A new PIN, typed twice; digits only, shown as dots. */
@Composable
fun PinFields(
    pin: String,
    pinAgain: String,
    onPin: (String) -> Unit,
    onPinAgain: (String) -> Unit,
    pinTag: String,
    againTag: String,
    pinLabel: String = Keys.LOCK_NEW_PIN,
    againLabel: String = Keys.LOCK_NEW_PIN_AGAIN,
) {
    OutlinedTextField(
        value = pin,
        onValueChange = onPin,
        label = { Text(words(pinLabel)) },
        singleLine = true,
        visualTransformation = PasswordVisualTransformation(),
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
        modifier = Modifier.fillMaxWidth().testTag(pinTag),
    )
    OutlinedTextField(
        value = pinAgain,
        onValueChange = onPinAgain,
        label = { Text(words(againLabel)) },
        singleLine = true,
        visualTransformation = PasswordVisualTransformation(),
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
        modifier = Modifier.fillMaxWidth().testTag(againTag),
    )
}
