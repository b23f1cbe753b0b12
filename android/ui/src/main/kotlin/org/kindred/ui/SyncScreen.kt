package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.app.Keys
import org.kindred.app.SeenLine
import org.kindred.app.SyncAction
import org.kindred.app.SyncActions
import org.kindred.app.SyncModel
import org.kindred.app.SyncProblem
import org.kindred.app.SyncUi

object SyncTags {
    const val HEADLINE = "sync_headline"
    const val LAST = "sync_last"
    const val NOW = "sync_now"
    const val PROBLEM = "sync_problem"
    const val TRY_AGAIN = "sync_try_again"
    const val OPEN_SETTINGS = "sync_open_settings"
    fun seen(device: String) = "sync_seen_$device"
    const val ERASE_WAITING = "sync_erase_waiting"
    fun notice(i: Int) = "sync_notice_$i"
}

/** [openSettings] goes to Settings, for a problem that is fixed there. */
@Composable
fun SyncScreen(model: SyncModel, openSettings: () -> Unit = {}) {
    val state by model.state.collectAsState()
    // What changes while the person looks (a check-in on another screen's
    // sync, a device catching up) shows without leaving the tab.
    LaunchedEffect(model) { model.followChanges() }
    SyncContent(state, model, openSettings)
}

/**
 * Sync you can trust: that everything is kept here first, how many changes
 * wait, when the last sync was, who has the latest, a Sync now button, and
 * a problem in plain words next to the one thing that may help.
 */
@Composable
fun SyncContent(state: SyncUi, actions: SyncActions, openSettings: () -> Unit = {}) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Heading(words(Keys.SYNC_TITLE))
        Card(
            colors = CardDefaults.cardColors(
                containerColor = MaterialTheme.colorScheme.primaryContainer,
                contentColor = MaterialTheme.colorScheme.onPrimaryContainer,
            ),
            modifier = Modifier.fillMaxWidth(),
        ) {
            Column(
                Modifier.padding(16.dp).semantics { liveRegion = LiveRegionMode.Polite },
                verticalArrangement = Arrangement.spacedBy(6.dp),
            ) {
                Text(words(state.headline), style = MaterialTheme.typography.titleMedium, modifier = Modifier.testTag(SyncTags.HEADLINE))
                // The headline carries the count of changes waiting ("3 changes will sync ..."); no second line repeats it.
                if (!state.loading) {
                    Text(words(state.lastSyncedText), style = MaterialTheme.typography.bodyLarge, modifier = Modifier.testTag(SyncTags.LAST))
                }
                if (state.erasureWaiting) {
                    Text(words(Keys.SYNC_ERASE_WAITING), style = MaterialTheme.typography.bodyMedium, modifier = Modifier.testTag(SyncTags.ERASE_WAITING))
                }
            }
        }
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(12.dp)) {
            Button(
                onClick = { actions.syncNow() },
                enabled = !state.syncing,
                modifier = Modifier.heightIn(min = MinTouch).testTag(SyncTags.NOW),
            ) { Text(words(if (state.syncing) Keys.SYNC_SYNCING else Keys.SYNC_NOW)) }
            if (state.syncing) CircularProgressIndicator(Modifier.size(24.dp).clearAndSetSemantics {})
        }
        Note(state.message)
        // The core's own words about edits a fresh start could not keep, each shown once.
        state.notices.forEachIndexed { i, n ->
            Text(
                n,
                style = MaterialTheme.typography.bodyMedium,
                modifier = Modifier.fillMaxWidth().testTag(SyncTags.notice(i)).semantics { liveRegion = LiveRegionMode.Polite },
            )
        }
        state.problem?.let { ProblemWithAction(it, state.syncing, actions, openSettings) }
        Section(words(Keys.SYNC_SEEN_TITLE)) {
            if (state.seenBy.isEmpty()) {
                Text(words(Keys.SYNC_SEEN_NONE), style = MaterialTheme.typography.bodyMedium)
            }
            state.seenBy.forEach { SeenRow(it) }
        }
        Text(words(Keys.SYNC_EXPLAIN), style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
    }
}

@Composable
private fun ProblemWithAction(problem: SyncProblem, syncing: Boolean, actions: SyncActions, openSettings: () -> Unit) {
    Card(
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.tertiaryContainer,
            contentColor = MaterialTheme.colorScheme.onTertiaryContainer,
        ),
        modifier = Modifier.fillMaxWidth().testTag(SyncTags.PROBLEM),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(10.dp)) {
            Text(
                words(problem.text),
                style = MaterialTheme.typography.bodyLarge,
                modifier = Modifier.semantics { liveRegion = LiveRegionMode.Assertive },
            )
            when (problem.action) {
                SyncAction.TRY_AGAIN -> Button(
                    onClick = { actions.syncNow() },
                    enabled = !syncing,
                    colors = ButtonDefaults.buttonColors(
                        containerColor = MaterialTheme.colorScheme.tertiary,
                        contentColor = MaterialTheme.colorScheme.onTertiary,
                    ),
                    modifier = Modifier.heightIn(min = MinTouch).testTag(SyncTags.TRY_AGAIN),
                ) { Text(words(Keys.SYNC_TRY_AGAIN)) }
                SyncAction.OPEN_SETTINGS -> Button(
                    onClick = openSettings,
                    colors = ButtonDefaults.buttonColors(
                        containerColor = MaterialTheme.colorScheme.tertiary,
                        contentColor = MaterialTheme.colorScheme.onTertiary,
                    ),
                    modifier = Modifier.heightIn(min = MinTouch).testTag(SyncTags.OPEN_SETTINGS),
                ) { Text(words(Keys.SYNC_OPEN_SETTINGS)) }
                SyncAction.NONE -> {}
            }
        }
    }
}

@Composable
private fun SeenRow(line: SeenLine) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = 32.dp).semantics(mergeDescendants = true) {}.testTag(SyncTags.seen(line.device)),
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        // A filled dot for "has the latest", a ring for "not yet": the words say the same.
        Text(
            if (line.upToDate) "\u25CF" else "\u25CB",
            color = if (line.upToDate) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.onSurfaceVariant,
            modifier = Modifier.clearAndSetSemantics {},
        )
        Text(words(line.text), style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
    }
}
