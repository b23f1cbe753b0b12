package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.ScrollableTabRow
import androidx.compose.material3.Surface
import androidx.compose.material3.Tab
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.key
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import org.kindred.app.AppModel
import org.kindred.app.AppPhase
import org.kindred.app.Destination
import org.kindred.app.Keys

/** Test tags the UI tests find things by (never shown). */
object Tags {
    const val HELP_BUTTON = "help_button"
    const val HELP_SCREEN = "help_screen"
    const val PLAN_BUTTON = "plan_button"
    fun tab(d: Destination) = "tab_${d.name.lowercase()}"
    fun screen(d: Destination) = "screen_${d.name.lowercase()}"
}

/**
 * The whole app: first run, the lock screen, or the tabs; "Need help now"
 * is in the top bar of every one of them, one tap away.
 */
@Composable
fun KindredApp(app: AppModel) {
    val state by app.state.collectAsState()
    Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) {
        Column(Modifier.fillMaxSize()) {
            // A removed device keeping a locked copy shows only that (and "Need help now").
            val removal = app.session?.let { s -> key(s) { s.removal.state.collectAsState().value } }
            val lockedCopy = removal?.locked != null || removal?.gone == true
            val title = when (state.phase) {
                AppPhase.Ready -> if (lockedCopy) words(Keys.APP_NAME) else words(state.destination.titleKey)
                else -> words(Keys.APP_NAME)
            }
            val ready = state.phase == AppPhase.Ready && app.session != null && !lockedCopy
            TopBar(
                when {
                    state.helpOpen -> words(Keys.HELP_TITLE)
                    state.planOpen && state.resourcesOpen && ready -> words(Keys.RESOURCES_TITLE)
                    state.planOpen && ready -> words(Keys.PLAN_TITLE)
                    else -> title
                },
                helpOpen = state.helpOpen,
                onHelp = app::openHelp,
                onPlan = if (ready && !state.planOpen && !state.helpOpen) app::openPlan else null,
            )
            Box(Modifier.fillMaxSize()) {
                val session = app.session
                if (state.helpOpen) {
                    HelpScreen(app.help, onClose = app::closeHelp)
                } else if (state.planOpen && state.resourcesOpen && ready && session != null) {
                    ResourcesScreen(session.myResources, ownList = true, onClose = app::closeResources)
                } else if (state.planOpen && ready && session != null) {
                    PlanScreen(session.plan, onClose = app::closePlan, onResources = app::openResources)
                } else {
                    when (val phase = state.phase) {
                        AppPhase.Starting -> Waiting()
                        AppPhase.FirstRun -> FirstRunScreen(app.firstRun)
                        AppPhase.Locked -> LockScreen(app.lockScreen)
                        is AppPhase.CannotOpen -> CannotOpen(words(phase.message))
                        AppPhase.Ready -> {
                            // Until the removals are read (a moment) the tabs show; a removed device then shows only its copy.
                            if (session != null && removal?.gone == true) {
                                NothingHereContent(session.removal)
                            } else if (session != null && lockedCopy) {
                                LockedCopyScreen(session.removal, workArea = state.workArea)
                            } else if (session != null) {
                                Column(Modifier.fillMaxSize()) {
                                    Tabs(state.destinations, state.destination, app::go)
                                    Box(Modifier.fillMaxSize().testTag(Tags.screen(state.destination))) {
                                        DestinationScreen(state.destination, session)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/**
 * The title, "My plan" (once unlocked) and "Need help now". With large
 * text the buttons go on a line of their own under the title, so neither
 * is ever squeezed out.
 */
@Composable
private fun TopBar(title: String, helpOpen: Boolean, onHelp: () -> Unit, onPlan: (() -> Unit)?) {
    val large = LocalDensity.current.fontScale > 1.3f
    Surface(color = MaterialTheme.colorScheme.surfaceVariant, modifier = Modifier.fillMaxWidth()) {
        // Large text: the buttons on their own line, so a long title ("Resources") is never squeezed letter by letter.
        if (large && (onPlan != null || !helpOpen)) {
            Column(Modifier.padding(horizontal = 16.dp, vertical = 8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { heading() })
                FlowRow(
                    Modifier.fillMaxWidth(),
                    horizontalArrangement = Arrangement.spacedBy(12.dp, Alignment.End),
                    verticalArrangement = Arrangement.spacedBy(8.dp),
                ) {
                    if (onPlan != null) PlanButton(onPlan)
                    if (!helpOpen) HelpButton(onHelp)
                }
            }
            return@Surface
        }
        Row(
            Modifier.padding(horizontal = 16.dp, vertical = 8.dp).heightIn(min = MinTouch),
            verticalAlignment = Alignment.CenterVertically,
            horizontalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Text(
                title,
                style = MaterialTheme.typography.titleLarge,
                modifier = Modifier.weight(1f).semantics { heading() },
            )
            if (onPlan != null) PlanButton(onPlan)
            if (!helpOpen) HelpButton(onHelp)
        }
    }
}

@Composable
private fun HelpButton(onHelp: () -> Unit) {
    Button(
        onClick = onHelp,
        colors = ButtonDefaults.buttonColors(
            containerColor = MaterialTheme.colorScheme.tertiary,
            contentColor = MaterialTheme.colorScheme.onTertiary,
        ),
        modifier = Modifier.heightIn(min = MinTouch).testTag(Tags.HELP_BUTTON),
    ) { Text(words(Keys.HELP_NOW)) }
}

@Composable
private fun PlanButton(onPlan: () -> Unit) {
    OutlinedButton(
        onClick = onPlan,
        contentPadding = PaddingValues(horizontal = 12.dp),
        modifier = Modifier.heightIn(min = MinTouch).testTag(Tags.PLAN_BUTTON),
    ) { Text(words(Keys.PLAN_OPEN)) }
}

@Composable
private fun Tabs(destinations: List<Destination>, current: Destination, go: (Destination) -> Unit) {
    if (destinations.size < 2) return
    // A new row when the tabs change (the work area turned on or off): the row
    // keeps its tabs' measured positions, and a new tab would be out of range.
    key(destinations) { TabsOf(destinations, current, go) }
}

@Composable
private fun TabsOf(destinations: List<Destination>, current: Destination, go: (Destination) -> Unit) {
    ScrollableTabRow(selectedTabIndex = destinations.indexOf(current).coerceAtLeast(0), edgePadding = 8.dp) {
        destinations.forEach { d ->
            Tab(
                selected = d == current,
                onClick = { go(d) },
                text = { Text(words(d.titleKey)) },
                modifier = Modifier.heightIn(min = MinTouch).testTag(Tags.tab(d)),
            )
        }
    }
}

@Composable
private fun Waiting() {
    Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) {
        CircularProgressIndicator()
    }
}

@Composable
private fun CannotOpen(message: String) {
    Box(Modifier.fillMaxSize().padding(24.dp), contentAlignment = Alignment.Center) {
        Text(message, textAlign = TextAlign.Center, style = MaterialTheme.typography.bodyLarge)
    }
}
