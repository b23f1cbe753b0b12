package org.kindred.ui

import androidx.compose.runtime.Composable
import org.kindred.app.WorkModel

/** Placeholder until the work screen lands; not listed in [withScreens]. */
@Composable
fun WorkScreen(model: WorkModel, editor: org.kindred.app.NoteEditorModel) {
}
