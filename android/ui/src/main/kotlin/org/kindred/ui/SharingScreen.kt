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
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import org.kindred.app.ContactPrefsModel
import org.kindred.app.DeviceLine
import org.kindred.app.InviteStep
import org.kindred.app.Keys
import org.kindred.app.PendingLine
import org.kindred.app.RemovalActions
import org.kindred.app.RemovalModel
import org.kindred.app.RemovalUi
import org.kindred.app.ShareLine
import org.kindred.app.SharingActions
import org.kindred.app.SharingModel
import org.kindred.app.SharingUi

/** Test tags the UI tests find things by (never shown). */
object SharingTags {
    const val SHOW_OFFER = "pair_show_offer"
    const val OFFER_QR = "pair_qr"
    const val OFFER_TEXT = "pair_offer_text"
    const val COPY_OFFER = "pair_copy"
    const val HIDE_OFFER = "pair_hide"
    const val INVITE = "invite_create"
    const val JOIN = "invite_join"
    fun role(stored: String) = "invite_role_$stored"
    const val MAKE_CODE = "invite_make_code"
    const val CODE = "invite_code"
    const val COPY_CODE = "invite_code_copy"
    const val CODE_FIELD = "invite_code_field"
    const val CONNECT = "invite_connect"
    const val STOP = "invite_stop"
    const val CANCEL = "invite_cancel"
    const val SAS_DIGITS = "sas_digits"
    const val SAS_EMOJI = "sas_emoji"
    const val SAS_BOTH = "sas_both"
    const val MATCH = "sas_match"
    const val DIFFER = "sas_differ"
    const val CONFIRMING = "invite_confirming"
    const val AGAIN = "invite_again"
    const val CLOSE = "invite_close"
    fun share(space: String) = "share_$space"
    fun endShare(space: String) = "share_end_$space"
    const val END_YES = "share_end_yes"
    const val END_NO = "share_end_no"
    fun eraseShare(space: String) = "share_erase_$space"
    const val ERASE_YES = "share_erase_yes"
    const val ERASE_NO = "share_erase_no"
    fun device(fingerprint: String) = "device_$fingerprint"
    fun removeDevice(fingerprint: String) = "device_remove_$fingerprint"
    const val REMOVE_YES = "device_remove_yes"
    const val REMOVE_NO = "device_remove_no"
}

@Composable
fun SharingScreen(model: SharingModel, prefs: ContactPrefsModel? = null, removal: RemovalModel? = null) {
    val state by model.state.collectAsState()
    val removals = removal?.state?.collectAsState()?.value ?: RemovalUi()
    // Afresh on every visit: a sync may have brought a share, or its end, from the other side.
    LaunchedEffect(model) {
        model.refresh()
        removal?.refresh()
    }
    if (prefs != null) {
        val open by prefs.state.collectAsState()
        if (open.space != null) {
            ContactPrefsContent(open, prefs)
            return
        }
    }
    SharingContent(
        state, model,
        onPrefs = prefs?.let { p -> { line: ShareLine -> p.open(line.space, line.with.joinToString(", ")) } },
        removal = removals, removalActions = removal ?: object : RemovalActions {},
    )
}

/**
 * Sharing and devices: invite (or join) by code and compare the short
 * string; what is shared with whom, and ending it; this person's own
 * devices, adding one by QR and removing a lost one. [scroll] lets the
 * catalog show the end of a long screen.
 */
@Composable
fun SharingContent(
    state: SharingUi,
    actions: SharingActions,
    scroll: ScrollState = rememberScrollState(),
    onPrefs: ((ShareLine) -> Unit)? = null,
    /** Removals of her devices that wait (a card at the top), and those done (under the devices). */
    removal: RemovalUi = RemovalUi(),
    removalActions: RemovalActions = object : RemovalActions {},
) {
    Column(
        Modifier.fillMaxSize().verticalScroll(scroll).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Heading(words(Keys.SHARING_TITLE))
        // An invite's outcome is said in its own section.
        if (state.invite !is InviteStep.Done && state.invite != InviteStep.Stopped) Note(state.message)
        // A code that did not work is said beside its field.
        if (state.invite != InviteStep.EnterCode) Problem(state.error)
        // A removal of one of her devices that waits comes before the rest: any of her devices can keep it.
        PendingRemovalsCard(removal, removalActions)
        // Who sees what comes first; then sharing by code; then this person's own devices.
        SharesSection(state, actions, onPrefs)
        InviteSection(state, actions)
        DevicesSection(state, actions, removal.pending)
        RemovedDevicesSection(removal)
    }
}

@Composable
private fun SharesSection(state: SharingUi, actions: SharingActions, onPrefs: ((ShareLine) -> Unit)?) {
    Section(words(Keys.SHARE_TITLE)) {
        // Nothing drawn while the list loads (a moment): no spinner that never settles.
        if (!state.loading && state.shares.isEmpty()) {
            Text(words(Keys.SHARE_NOTHING), style = MaterialTheme.typography.bodyLarge)
        }
        state.shares.forEach { line ->
            ShareCard(line, confirming = state.confirmEnd?.space == line.space, erasing = state.confirmErase?.space == line.space, actions, onPrefs)
        }
    }
}

@Composable
private fun ShareCard(line: ShareLine, confirming: Boolean, erasing: Boolean, actions: SharingActions, onPrefs: ((ShareLine) -> Unit)?) {
    val names = line.with.joinToString(", ")
    Card(
        colors = if (line.ended) {
            CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surfaceVariant, contentColor = MaterialTheme.colorScheme.onSurfaceVariant)
        } else {
            CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.secondaryContainer, contentColor = MaterialTheme.colorScheme.onSecondaryContainer)
        },
        modifier = Modifier.fillMaxWidth().testTag(SharingTags.share(line.space)),
    ) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(words(line.text), style = MaterialTheme.typography.titleMedium)
            if (!line.ended) {
                line.role?.let { Text(words(it), style = MaterialTheme.typography.bodyMedium) }
            }
            if (line.goals.isNotEmpty()) {
                Text(words(Keys.SHARE_GOALS_LIST, line.goals.joinToString(", ")), style = MaterialTheme.typography.bodyMedium)
            }
            if (line.checkIns > 0) Text(words(Keys.SHARE_CHECK_INS, line.checkIns), style = MaterialTheme.typography.bodyMedium)
            // A share she started: how she likes to be contacted, for the one she shares with.
            if (onPrefs != null && !line.ended && !line.sharedWithMe && !confirming && !erasing) {
                val label = words(Keys.CONTACT_PREFS_OPEN_NAMED, names)
                OutlinedButton(
                    onClick = { onPrefs(line) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(PrefsTags.open(line.space)).semantics { contentDescription = label },
                ) { Text(words(Keys.CONTACT_PREFS_OPEN)) }
            }
            if (erasing) {
                Text(words(Keys.SHARE_ERASE_ASK, names), style = MaterialTheme.typography.bodyLarge)
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { actions.confirmEraseShare() }, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.ERASE_YES)) {
                        Text(words(if (line.ended) Keys.ERASE_FOREVER else Keys.SHARE_ERASE_YES))
                    }
                    TextButton(onClick = actions::cancelEnding, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.ERASE_NO)) {
                        Text(words(if (line.ended) Keys.ERASE_KEEP else Keys.SHARE_KEEP))
                    }
                }
            } else if (!line.ended && !line.sharedWithMe) {
                if (confirming) {
                    Text(words(Keys.SHARE_END_CONFIRM, names), style = MaterialTheme.typography.bodyLarge)
                    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                        Button(onClick = { actions.confirmEndShare() }, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.END_YES)) {
                            Text(words(Keys.SHARE_END))
                        }
                        TextButton(onClick = actions::cancelEnding, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.END_NO)) {
                            Text(words(Keys.SHARE_KEEP))
                        }
                    }
                } else {
                    val label = words(Keys.SHARE_END_NAMED, names)
                    OutlinedButton(
                        onClick = { actions.askEndShare(line) },
                        modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.endShare(line.space)).semantics { contentDescription = label },
                    ) { Text(words(Keys.SHARE_END)) }
                }
            }
            if (!line.sharedWithMe && !confirming && !erasing) {
                val label = words(Keys.SHARE_ERASE_NAMED, names)
                TextButton(
                    onClick = { actions.askEraseShare(line) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.eraseShare(line.space)).semantics { contentDescription = label },
                ) { Text(words(if (line.ended) Keys.SHARE_ERASE_ENDED else Keys.SHARE_ERASE)) }
            }
        }
    }
}

@Composable
private fun DevicesSection(state: SharingUi, actions: SharingActions, pending: List<PendingLine>) {
    Section(words(Keys.DEVICES_TITLE)) {
        state.devices.forEach { d ->
            DeviceRow(d, state, confirming = state.confirmRemove?.fingerprint == d.fingerprint, pending.firstOrNull { p -> p.fingerprint == d.fingerprint }, actions)
        }
        Text(words(Keys.PAIR_INTRO), style = MaterialTheme.typography.bodyMedium)
        val offer = state.offer
        val ask = state.pairAsk
        if (ask != null) {
            PairAskPanel(ask, actions)
        } else if (offer == null) {
            OutlinedButton(onClick = { actions.showOffer() }, modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.SHOW_OFFER)) {
                Text(words(Keys.PAIR_SHOW_OFFER))
            }
        } else {
            OfferPanel(offer, state.offerQr, actions)
        }
    }
}

@Composable
private fun DeviceRow(d: DeviceLine, state: SharingUi, confirming: Boolean, waiting: PendingLine?, actions: SharingActions) {
    Column(Modifier.fillMaxWidth().testTag(SharingTags.device(d.fingerprint)), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text(
            if (d.thisDevice) words(Keys.DEVICE_THIS, d.name) else d.name,
            style = MaterialTheme.typography.bodyLarge,
            fontWeight = if (d.thisDevice) FontWeight.Medium else null,
        )
        if (waiting != null) {
            // Its removal waits: the card at the top says by whom and holds the choices.
            RemovalWaitingLine(waiting)
            return@Column
        }
        if (d.thisDevice) return@Column
        if (confirming) {
            RemoveOwnDevicePanel(d, state, actions)
        } else {
            val label = if (d.kit) words(Keys.REMOVAL_KIT_REMOVE_BUTTON) else words(Keys.DEVICE_REMOVE_NAMED, d.name)
            TextButton(
                onClick = { actions.askRemoveDevice(d) },
                modifier = Modifier.heightIn(min = MinTouch).testTag(SharingTags.removeDevice(d.fingerprint)).semantics { contentDescription = label },
            ) { Text(if (d.kit) label else words(Keys.DEVICE_REMOVE)) }
        }
    }
}
