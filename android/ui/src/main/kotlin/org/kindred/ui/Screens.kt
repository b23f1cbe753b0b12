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
            // A removal of this very device waits: a gentle card above the check-in.
            val removal by session.removal.state.collectAsState()
            TodayScreen(
                session.today,
                banner = if (removal.here != null || removal.keptHere) ({ RemovalBannerContent(removal, session.removal) }) else null,
                card = if (kit.suggestOnToday) ({ KitSuggestionCard(session.recoveryKit) }) else null,
            )
        }
        Destination.SETTINGS -> SettingsScreen(session.settings, session.recoveryKit)
        Destination.GOALS -> GoalsScreen(session.goals)
        Destination.WORK -> WorkScreen(session.work, session.noteEditor, session.workDay, session.sharedPlans, session.resources)
        Destination.SHARING -> SharingScreen(session.sharing, session.contactPrefs, session.removal)
        Destination.SYNC -> SyncScreen(session.sync, openSettings = { session.app.go(Destination.SETTINGS) })
    }
}
