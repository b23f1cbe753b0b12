package org.kindred.android.ui

import androidx.compose.runtime.Composable
import androidx.compose.ui.platform.LocalContext
import org.kindred.app.UiText

/**
 * Looks up a shared-logic key in strings.xml. Every key the shared module
 * uses is checked to exist there by its Maven test.
 */
@Composable
fun text(t: UiText): String {
    val ctx = LocalContext.current
    val id = ctx.resources.getIdentifier(t.key, "string", ctx.packageName)
    return if (id == 0) t.key else ctx.getString(id, *t.args.toTypedArray())
}
