package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.app.Keys
import org.kindred.app.LockActions
import org.kindred.app.LockModel
import org.kindred.app.LockState

object LockTags {
    fun digit(d: Char) = "pin_digit_$d"
    const val ENTER = "pin_enter"
    const val ERASE = "pin_erase"
    const val BIOMETRIC = "pin_biometric"
    const val DOTS = "pin_dots"
}

@Composable
fun LockScreen(model: LockModel) {
    val state by model.state.collectAsState()
    LockContent(state, model)
}

/** The lock screen: never blank; the PIN pad stays whatever the fingerprint prompt did. */
@Composable
fun LockContent(state: LockState, actions: LockActions) {
    val reason = words(Keys.LOCK_PROMPT_TITLE)
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        horizontalAlignment = Alignment.CenterHorizontally,
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Heading(reason)
        if (state.deviceLock) {
            Button(onClick = { actions.useBiometrics(reason) }, modifier = Modifier.heightIn(min = MinTouch).testTag(LockTags.BIOMETRIC)) {
                Text(words(Keys.LOCK_UNLOCK_DEVICE))
            }
        } else {
            val dots = "●".repeat(state.pin.length).ifEmpty { " " }
            val typed = words(Keys.LOCK_DIGITS_TYPED, state.pin.length)
            Text(
                dots,
                style = MaterialTheme.typography.headlineMedium,
                modifier = Modifier.testTag(LockTags.DOTS).semantics { contentDescription = typed },
            )
            listOf("123", "456", "789").forEach { row ->
                Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) { row.forEach { d -> Digit(d, actions) } }
            }
            Row(horizontalArrangement = Arrangement.spacedBy(12.dp), verticalAlignment = Alignment.CenterVertically) {
                TextButton(onClick = actions::erase, modifier = Modifier.heightIn(min = MinTouch).widthIn(min = 72.dp).testTag(LockTags.ERASE)) {
                    Text(words(Keys.LOCK_ERASE))
                }
                Digit('0', actions)
                Button(
                    onClick = actions::submit,
                    enabled = !state.busy,
                    modifier = Modifier.heightIn(min = MinTouch).widthIn(min = 72.dp).testTag(LockTags.ENTER),
                ) { Text(words(Keys.LOCK_ENTER)) }
            }
            if (state.biometrics) {
                OutlinedButton(onClick = { actions.useBiometrics(reason) }, modifier = Modifier.heightIn(min = MinTouch).testTag(LockTags.BIOMETRIC)) {
                    Text(words(Keys.LOCK_USE_BIOMETRICS))
                }
            }
        }
        if (state.waiting) Problem(state.message) else Note(state.message)
    }
}

@Composable
private fun Digit(d: Char, actions: LockActions) {
    FilledTonalButton(
        onClick = { actions.digit(d) },
        modifier = Modifier.heightIn(min = 56.dp).widthIn(min = 72.dp).testTag(LockTags.digit(d)),
    ) { Text(d.toString(), style = MaterialTheme.typography.titleLarge) }
}
