package org.kindred.ui.harness

import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SemanticsNodeInteractionsProvider
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.text.TextLayoutResult
import org.junit.jupiter.api.Assertions.fail

/** The smallest touch target allowed, in dp. */
const val MIN_TOUCH_DP = 48f

/**
 * The accessibility rules every screen must keep, checked on what is on
 * screen now (run it at font scale 1 and 2, light and dark):
 *
 * - every clickable thing has a label a screen reader can say (its text or a content description);
 * - every clickable thing is at least 48 × 48 dp to touch;
 * - no text is cut off (its layout overflows its box) and no two texts overlap;
 * - choices that can be picked (radio buttons, tabs) say whether they are picked.
 *
 * Fails with every problem found, named by [where].
 */
fun SemanticsNodeInteractionsProvider.assertAccessible(where: String, density: Float = 1f) {
    val problems = accessibilityProblems(density)
    if (problems.isNotEmpty()) fail<Unit>("$where: ${problems.size} accessibility problem(s):\n  " + problems.joinToString("\n  "))
}

fun SemanticsNodeInteractionsProvider.accessibilityProblems(density: Float = 1f): List<String> {
    val problems = mutableListOf<String>()
    val clickables = onAllNodes(hasClickAction()).fetchSemanticsNodes()
    for (n in clickables) {
        val name = describe(n)
        if (label(n).isBlank()) problems += "a clickable thing has no label (${n.boundsInRoot})"
        // The laid-out size, not the touch area Compose widens small targets to
        // (widened areas overlap their neighbours).
        val w = n.size.width / density
        val h = n.size.height / density
        if (w + 0.5f < MIN_TOUCH_DP || h + 0.5f < MIN_TOUCH_DP) {
            problems += "\"$name\" is ${w.toInt()}×${h.toInt()} dp to touch (at least 48×48)"
        }
        val role = n.config.getOrNull(SemanticsProperties.Role)
        if ((role == Role.RadioButton || role == Role.Tab) && SemanticsProperties.Selected !in n.config) {
            problems += "\"$name\" can be picked but does not say whether it is"
        }
    }
    val texts = onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsProperties.Text), useUnmergedTree = true)
        .fetchSemanticsNodes()
        .filter { SemanticsProperties.EditableText !in it.config }
    for (n in texts) {
        val layouts = mutableListOf<TextLayoutResult>()
        n.config.getOrNull(SemanticsActions.GetTextLayoutResult)?.action?.invoke(layouts)
        val layout = layouts.firstOrNull() ?: continue
        if (clipped(layout)) problems += "\"${describe(n)}\" is cut off"
    }
    val visible = texts.filter { it.boundsInRoot.width > 1f && it.boundsInRoot.height > 1f }
    for (i in visible.indices) for (j in i + 1 until visible.size) {
        val a = visible[i]
        val b = visible[j]
        if (related(a, b)) continue
        val overlap = a.boundsInRoot.intersect(b.boundsInRoot)
        if (overlap.width > 2f && overlap.height > 2f) problems += "\"${describe(a)}\" overlaps \"${describe(b)}\""
    }
    return problems
}

/**
 * Text cut off: taller than its box, more lines than allowed, or a line wider
 * than its box. (Skia's paragraph reports the constraint as its width, so
 * `hasVisualOverflow` is true for any text narrower than its parent; the
 * widths of the laid-out lines are what count.)
 */
private fun clipped(layout: TextLayoutResult): Boolean =
    layout.didOverflowHeight || layout.multiParagraph.didExceedMaxLines ||
        (0 until layout.lineCount).any { layout.multiParagraph.getLineWidth(it) > layout.size.width + 1f }

private fun label(n: SemanticsNode): String {
    val c = n.config
    return listOfNotNull(
        c.getOrNull(SemanticsProperties.ContentDescription)?.joinToString(" "),
        c.getOrNull(SemanticsProperties.Text)?.joinToString(" ") { it.text },
        c.getOrNull(SemanticsProperties.EditableText)?.text,
    ).joinToString(" ").trim()
}

private fun describe(n: SemanticsNode): String = label(n).take(40).ifBlank { "node ${n.id}" }

private fun related(a: SemanticsNode, b: SemanticsNode): Boolean = isAncestor(a, b) || isAncestor(b, a)

private fun isAncestor(up: SemanticsNode, n: SemanticsNode): Boolean {
    var p = n.parent
    while (p != null) {
        if (p.id == up.id) return true
        p = p.parent
    }
    return false
}
