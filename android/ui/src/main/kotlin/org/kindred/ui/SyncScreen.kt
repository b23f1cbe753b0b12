package org.kindred.ui

import androidx.compose.runtime.Composable
import org.kindred.app.SyncModel

/** Placeholder until the sync screen lands; not listed in [withScreens]. */
@Composable
fun SyncScreen(model: SyncModel) {
}
