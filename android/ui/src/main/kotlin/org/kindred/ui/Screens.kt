package org.kindred.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import org.kindred.app.Destination
import org.kindred.app.Session

/**
 * The screen for each top-level destination. A destination shows as a tab
 * only when this build has its screen ([withScreens]); add a screen here
 * and to [withScreens] together.
 */
val withScreens: Set<Destination> = setOf(
    Destination.TODAY,
    Destination.GOALS,
    Destination.WORK,
    Destination.SHARING,
    Destination.SYNC,
    Destination.SETTINGS,
)

@Composable
fun DestinationScreen(destination: Destination, session: Session) {
    when (destination) {
        Destination.TODAY -> {
            val kit by session.recoveryKit.state.collectAsState()
            TodayScreen(session.today, card = if (kit.suggestOnToday) ({ KitSuggestionCard(session.recoveryKit) }) else null)
        }
        Destination.SETTINGS -> SettingsScreen(session.settings, session.recoveryKit)
        Destination.GOALS -> GoalsScreen(session.goals)
        Destination.WORK -> WorkScreen(session.work, session.noteEditor, session.workDay, session.sharedPlans, session.resources)
        Destination.SHARING -> SharingScreen(session.sharing, session.contactPrefs)
        Destination.SYNC -> SyncScreen(session.sync, openSettings = { session.app.go(Destination.SETTINGS) })
    }
}
