package org.kindred.ui

import androidx.compose.foundation.BorderStroke
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material3.Surface
import androidx.compose.ui.Alignment
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.platform.testTag
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.app.UiText

/** The smallest touch target on every screen (Android's and Apple's guidance: 48 dp). */
val MinTouch = 48.dp

/** A screen's heading (a heading for screen readers too). */
@Composable
fun Heading(text: String, modifier: Modifier = Modifier) {
    Text(text, style = MaterialTheme.typography.headlineSmall, modifier = modifier.semantics { heading() })
}

/** A titled group of controls on a card. */
@Composable
fun Section(title: String, modifier: Modifier = Modifier, content: @Composable ColumnScope.() -> Unit) {
    Card(modifier = modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
            content()
        }
    }
}

/** Words that confirm something ("Saved"), read out when they appear. */
@Composable
fun Note(text: UiText?, modifier: Modifier = Modifier) {
    if (text == null) return
    Text(
        words(text),
        style = MaterialTheme.typography.bodyMedium,
        color = MaterialTheme.colorScheme.primary,
        modifier = modifier.fillMaxWidth().semantics { liveRegion = LiveRegionMode.Polite },
    )
}

/** Something went wrong: kind words, on a card that stands out, read out at once. */
@Composable
fun Problem(text: UiText?, modifier: Modifier = Modifier) {
    if (text == null) return
    Card(
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.tertiaryContainer,
            contentColor = MaterialTheme.colorScheme.onTertiaryContainer,
        ),
        modifier = modifier.fillMaxWidth().heightIn(min = MinTouch).semantics { liveRegion = LiveRegionMode.Assertive },
    ) {
        Text(words(text), modifier = Modifier.padding(12.dp), style = MaterialTheme.typography.bodyMedium)
    }
}

/**
 * One choice among a few (a life area, a date to aim for, how a visit
 * happened), drawn as a chip: a screen reader hears "selected" or not, and
 * the eye sees a tick as well as the colour.
 */
@Composable
fun ChoiceChip(label: String, selected: Boolean, tag: String, onClick: () -> Unit) {
    Surface(
        shape = RoundedCornerShape(8.dp),
        color = if (selected) MaterialTheme.colorScheme.secondaryContainer else MaterialTheme.colorScheme.surface,
        contentColor = if (selected) MaterialTheme.colorScheme.onSecondaryContainer else MaterialTheme.colorScheme.onSurface,
        border = BorderStroke(1.dp, if (selected) MaterialTheme.colorScheme.secondary else MaterialTheme.colorScheme.outline),
        modifier = Modifier.heightIn(min = MinTouch).widthIn(min = MinTouch)
            .selectable(selected = selected, role = Role.RadioButton, onClick = onClick)
            .testTag(tag),
    ) {
        Row(Modifier.padding(horizontal = 12.dp, vertical = 12.dp), verticalAlignment = Alignment.CenterVertically) {
            if (selected) {
                // A tick for the eye; a screen reader already says "selected".
                Text("\u2713 ", style = MaterialTheme.typography.labelLarge, modifier = Modifier.clearAndSetSemantics {})
            }
            Text(label, style = MaterialTheme.typography.labelLarge)
        }
    }
}
