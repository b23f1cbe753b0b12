package org.kindred.ui

import androidx.compose.runtime.Composable
import org.kindred.app.SharingModel

/** Placeholder until the sharing screen lands; not listed in [withScreens]. */
@Composable
fun SharingScreen(model: SharingModel) {
}
