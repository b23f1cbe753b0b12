package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import org.kindred.PairCode
import org.kindred.PairRequest
import org.kindred.app.Keys
import org.kindred.app.SharingActions

/** Test tags of the pairing question (never shown). */
object PairTags {
    const val CODE_DIGITS = "pair_code_digits"
    const val CODE_EMOJI = "pair_code_emoji"
    const val ASK = "pair_ask"
    const val YES = "pair_yes"
    const val NOT_MINE = "pair_not_mine"
}

/**
 * The code both screens show while pairing a person's own devices: six
 * digits, then four pictures, large enough to compare across a table.
 */
@Composable
fun PairCodeCard(code: PairCode) {
    val description = words(Keys.PAIR_CODE_DESCRIPTION, code.digits, code.emoji.joinToString(" "))
    Surface(
        shape = RoundedCornerShape(12.dp),
        color = MaterialTheme.colorScheme.primaryContainer,
        contentColor = MaterialTheme.colorScheme.onPrimaryContainer,
        modifier = Modifier.fillMaxWidth().semantics(mergeDescendants = true) { contentDescription = description },
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(
                code.digits,
                style = MaterialTheme.typography.displaySmall.copy(fontFamily = FontFamily.Monospace, fontWeight = FontWeight.SemiBold),
                modifier = Modifier.testTag(PairTags.CODE_DIGITS),
            )
            Text(code.emoji.joinToString("  "), style = MaterialTheme.typography.displaySmall, modifier = Modifier.testTag(PairTags.CODE_EMOJI))
        }
    }
}

/**
 * On the existing device: a new device asked to join. Nobody is added
 * until the person, having compared the codes, says yes; a stranger who
 * photographed the QR code gets "Not my device".
 */
@Composable
fun PairAskPanel(ask: PairRequest, actions: SharingActions) {
    Column(Modifier.fillMaxWidth().testTag(PairTags.ASK), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(words(Keys.PAIR_ASKS, ask.name), style = MaterialTheme.typography.titleMedium)
        Text(words(Keys.PAIR_CODE_CHECK), style = MaterialTheme.typography.bodyLarge)
        PairCodeCard(ask.code)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { actions.pairYes() }, modifier = Modifier.heightIn(min = MinTouch).testTag(PairTags.YES)) {
                Text(words(Keys.PAIR_YES))
            }
            OutlinedButton(onClick = { actions.pairNotMine() }, modifier = Modifier.heightIn(min = MinTouch).testTag(PairTags.NOT_MINE)) {
                Text(words(Keys.PAIR_NOT_MINE))
            }
        }
    }
}
