package org.kindred.ui

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.text.selection.SelectionContainer
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.foundation.Canvas
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalClipboardManager
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.AnnotatedString
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.unit.dp
import org.kindred.app.InviteStep
import org.kindred.app.Keys
import org.kindred.app.QrCode
import org.kindred.app.SharingActions
import org.kindred.app.SharingUi
import org.kindred.app.inviteRoleKey
import org.kindred.app.inviteRoles
import org.kindred.app.joinRoleKey

/** Inviting (or joining) by code, one step at a time; nothing is shared before both people say the strings match. */
@Composable
fun InviteSection(state: SharingUi, actions: SharingActions) {
    Section(words(Keys.INVITE_TITLE)) {
        when (val step = state.invite) {
            InviteStep.Idle -> {
                Text(words(Keys.INVITE_INTRO), style = MaterialTheme.typography.bodyMedium)
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = actions::openInvite, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.INVITE)) {
                        Text(words(Keys.INVITE_CREATE))
                    }
                    OutlinedButton(onClick = actions::openJoin, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.JOIN)) {
                        Text(words(Keys.INVITE_JOIN))
                    }
                }
            }
            InviteStep.ChooseRole -> ChooseRole(state, actions)
            InviteStep.EnterCode -> EnterCode(state, actions)
            is InviteStep.ShowCode -> ShowCode(step, actions)
            is InviteStep.Connecting -> {
                Waiting(words(Keys.INVITE_CONNECTING))
                step.role?.let { RoleSaid(words(Keys.JOIN_YOU_WILL), words(joinRoleKey(it))) }
                TextButton(onClick = actions::resetInvite, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.STOP)) {
                    Text(words(Keys.INVITE_STOP))
                }
            }
            is InviteStep.Compare -> Compare(step, actions)
            InviteStep.Confirming -> Box(Modifier.testTag(SharingTags.CONFIRMING)) { Waiting(words(Keys.INVITE_CONFIRMING)) }
            is InviteStep.Done -> {
                Note(state.message ?: org.kindred.app.UiText(Keys.INVITE_DONE, step.peer))
                Button(onClick = actions::resetInvite, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.CLOSE)) {
                    Text(words(Keys.INVITE_CLOSE))
                }
            }
            InviteStep.Stopped -> {
                // Why, kindly: the strings were different, the other person stopped, or the code ran out.
                Note(state.message ?: org.kindred.app.UiText(Keys.INVITE_STOPPED))
                OutlinedButton(onClick = actions::resetInvite, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.AGAIN)) {
                    Text(words(Keys.INVITE_AGAIN))
                }
            }
        }
    }
}

@Composable
private fun ChooseRole(state: SharingUi, actions: SharingActions) {
    Text(words(Keys.INVITE_ROLE_TITLE), style = MaterialTheme.typography.titleSmall)
    Column(Modifier.fillMaxWidth().selectableGroup(), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        inviteRoles.forEach { r ->
            val chosen = state.inviteRole == r
            Row(
                Modifier.fillMaxWidth().heightIn(min = MinTouch)
                    .selectable(selected = chosen, role = Role.RadioButton, onClick = { actions.pickRole(r) })
                    .testTag(SharingTags.role(r.stored))
                    .padding(vertical = 4.dp),
                verticalAlignment = Alignment.CenterVertically,
                horizontalArrangement = Arrangement.spacedBy(12.dp),
            ) {
                RadioButton(selected = chosen, onClick = null)
                Column(Modifier.weight(1f)) {
                    Text(words("invite_role_name_${r.stored}"), style = MaterialTheme.typography.titleSmall)
                    Text(words(inviteRoleKey(r)), style = MaterialTheme.typography.bodyMedium)
                }
            }
        }
    }
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(onClick = { actions.startInvite(state.inviteRole) }, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.MAKE_CODE)) {
            Text(words(Keys.INVITE_MAKE_CODE))
        }
        TextButton(onClick = actions::resetInvite, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.CANCEL)) {
            Text(words(Keys.CANCEL))
        }
    }
}

@Composable
private fun EnterCode(state: SharingUi, actions: SharingActions) {
    OutlinedTextField(
        value = state.code,
        onValueChange = actions::editCode,
        label = { Text(words(Keys.INVITE_CODE_HINT)) },
        singleLine = true,
        keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.Characters, imeAction = ImeAction.Go),
        keyboardActions = KeyboardActions(onGo = { actions.joinWithCode(state.code) }),
        modifier = Modifier.fillMaxWidth().testTag(SharingTags.CODE_FIELD),
    )
    Problem(state.error)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(onClick = { actions.joinWithCode(state.code) }, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.CONNECT)) {
            Text(words(Keys.INVITE_CONNECT))
        }
        TextButton(onClick = actions::resetInvite, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.CANCEL)) {
            Text(words(Keys.CANCEL))
        }
    }
}

@Composable
private fun ShowCode(step: InviteStep.ShowCode, actions: SharingActions) {
    Text(words(Keys.INVITE_CODE_LABEL), style = MaterialTheme.typography.bodyLarge)
    SelectionContainer {
        Text(
            step.code,
            style = MaterialTheme.typography.headlineMedium.copy(fontFamily = FontFamily.Monospace, fontWeight = FontWeight.SemiBold),
            modifier = Modifier.testTag(SharingTags.CODE),
        )
    }
    CopyButton(step.code, words(Keys.INVITE_CODE_COPY), SharingTags.COPY_CODE)
    RoleSaid(words(Keys.INVITE_THEY_WILL), words(inviteRoleKey(step.role)))
    Waiting(words(Keys.INVITE_WAITING))
    TextButton(onClick = actions::resetInvite, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.STOP)) {
        Text(words(Keys.INVITE_STOP))
    }
}

@Composable
private fun Compare(step: InviteStep.Compare, actions: SharingActions) {
    Text(
        step.otherName?.let { words(Keys.SAS_COMPARE, it) } ?: words(Keys.INVITE_COMPARE_TITLE),
        style = MaterialTheme.typography.bodyLarge,
    )
    Surface(
        shape = RoundedCornerShape(12.dp),
        color = MaterialTheme.colorScheme.primaryContainer,
        contentColor = MaterialTheme.colorScheme.onPrimaryContainer,
        modifier = Modifier.fillMaxWidth(),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(words(Keys.SAS_DIGITS), style = MaterialTheme.typography.labelLarge)
            Text(
                step.digits,
                style = MaterialTheme.typography.displaySmall.copy(fontFamily = FontFamily.Monospace, fontWeight = FontWeight.SemiBold),
                modifier = Modifier.testTag(SharingTags.SAS_DIGITS),
            )
            Text(words(Keys.SAS_PICTURES), style = MaterialTheme.typography.labelLarge)
            Text(step.emoji, style = MaterialTheme.typography.displaySmall, modifier = Modifier.testTag(SharingTags.SAS_EMOJI))
        }
    }
    // Digits and pictures come from different bits: both are compared (43.9 bits together).
    Text(words(Keys.SAS_BOTH), style = MaterialTheme.typography.bodyMedium, modifier = Modifier.testTag(SharingTags.SAS_BOTH))
    step.role?.let {
        if (step.inviting) RoleSaid(words(Keys.INVITE_THEY_WILL), words(inviteRoleKey(it)))
        else RoleSaid(words(Keys.JOIN_YOU_WILL), words(joinRoleKey(it)))
    }
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(onClick = { actions.theyMatch() }, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.MATCH)) {
            Text(words(Keys.SAS_MATCH))
        }
        OutlinedButton(onClick = { actions.theyDiffer() }, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.DIFFER)) {
            Text(words(Keys.SAS_DIFFER))
        }
    }
}

/** What the person joining will be able to do, said before anyone agrees. */
@Composable
private fun RoleSaid(lead: String, what: String) {
    Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
        Text(lead, style = MaterialTheme.typography.titleSmall)
        Text(what, style = MaterialTheme.typography.bodyLarge)
    }
}

@Composable
private fun Waiting(text: String) {
    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(12.dp)) {
        CircularProgressIndicator(Modifier.size(24.dp), strokeWidth = 3.dp)
        Text(text, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.weight(1f))
    }
}

/** Copies [text]; says "Copied." once it is (where the platform has no clipboard, the text can still be selected). */
@Composable
fun CopyButton(text: String, label: String, tag: String) {
    val clipboard = LocalClipboardManager.current
    var copied by remember(text) { mutableStateOf(false) }
    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(12.dp)) {
        OutlinedButton(
            onClick = { copied = runCatching { clipboard.setText(AnnotatedString(text)) }.isSuccess },
            modifier = Modifier.heightIn(min = MinTouch).testTag(tag),
        ) { Text(label) }
        if (copied) Note(org.kindred.app.UiText(Keys.COPIED), Modifier.weight(1f))
    }
}

/** This device's one-time offer: a QR code to scan, the same text to copy, and a way to hide it. */
@Composable
fun OfferPanel(offer: String, qr: QrCode?, actions: SharingActions) {
    Text(words(Keys.PAIR_SCAN_HINT), style = MaterialTheme.typography.bodyLarge)
    if (qr != null) QrImage(qr, words(Keys.PAIR_QR_DESCRIPTION), Modifier.testTag(SharingTags.OFFER_QR))
    Waiting(words(Keys.PAIR_WAITING))
    Text(words(Keys.PAIR_OFFER_TEXT), style = MaterialTheme.typography.titleSmall)
    SelectionContainer {
        Text(
            offer,
            style = MaterialTheme.typography.bodySmall.copy(fontFamily = FontFamily.Monospace),
            modifier = Modifier.fillMaxWidth().testTag(SharingTags.OFFER_TEXT),
        )
    }
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        CopyButton(offer, words(Keys.PAIR_COPY), SharingTags.COPY_OFFER)
        TextButton(onClick = actions::hideOffer, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.HIDE_OFFER)) {
            Text(words(Keys.PAIR_HIDE))
        }
    }
}

/**
 * A QR code drawn module by module: always dark on white with a quiet zone
 * of four modules (scanners need that contrast, in the dark theme too).
 */
@Composable
fun QrImage(qr: QrCode, description: String, modifier: Modifier = Modifier) {
    Box(
        modifier.widthIn(max = 280.dp).fillMaxWidth().aspectRatio(1f)
            .background(Color.White, RoundedCornerShape(8.dp))
            .semantics { contentDescription = description },
    ) {
        Canvas(Modifier.fillMaxWidth().aspectRatio(1f)) {
            val quiet = 4
            val cells = qr.size + 2 * quiet
            val cell = size.minDimension / cells
            for (y in 0 until qr.size) for (x in 0 until qr.size) {
                if (qr[x, y]) {
                    drawRect(
                        Color.Black,
                        topLeft = Offset((x + quiet) * cell, (y + quiet) * cell),
                        // A hair wider, so neighbouring modules leave no seams.
                        size = Size(cell + 0.5f, cell + 0.5f),
                    )
                }
            }
        }
    }
}
