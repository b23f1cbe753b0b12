package org.kindred.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.selection.selectable
import androidx.compose.material3.Text
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.role
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.ui.harness.Dressed
import org.kindred.ui.harness.Look
import org.kindred.ui.harness.accessibilityProblems
import org.kindred.ui.harness.uiTest

/** The accessibility check itself finds each kind of problem (so a pass means something). */
class AccessibilityCheckTest {
    @Test
    fun eachKindOfProblemIsFound() = uiTest {
        setContent {
            Dressed(Look(dark = false, fontScale = 2f)) {
                Column {
                    Box(Modifier.size(20.dp).clickable {}) // no label, too small
                    Text("A long line cut off at one line", maxLines = 1, overflow = TextOverflow.Ellipsis, modifier = Modifier.width(60.dp))
                    Box {
                        Text("first words")
                        Text("second words") // drawn over the first
                    }
                    Box(Modifier.size(160.dp).semantics { role = Role.RadioButton }.clickable {}) { Text("a choice") }
                    Box(Modifier.size(160.dp).selectable(selected = true, role = Role.RadioButton) {}) { Text("picked") }
                }
            }
        }
        val problems = accessibilityProblems()
        assertTrue(problems.any { it.startsWith("a clickable thing has no label") }, "$problems")
        assertTrue(problems.any { it.contains("20×20 dp") }, "$problems")
        assertTrue(problems.any { it.contains("is cut off") }, "$problems")
        assertTrue(problems.any { it.contains("overlaps") }, "$problems")
        assertEquals(1, problems.count { it.contains("does not say whether it is") }, "$problems")
    }
}
