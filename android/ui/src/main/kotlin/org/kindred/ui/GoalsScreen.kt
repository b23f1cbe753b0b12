package org.kindred.ui

import androidx.compose.runtime.Composable
import org.kindred.app.GoalsModel

/** Placeholder until the goals screen lands; not listed in [withScreens]. */
@Composable
fun GoalsScreen(model: GoalsModel) {
}
