package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.PlanSection
import org.kindred.app.Keys
import org.kindred.app.PlanActions
import org.kindred.app.PlanShareChoice
import org.kindred.app.PlanUi
import org.kindred.app.sectionTitle

object PlanShareTags {
    const val PANEL = "plan_share_panel"
    fun share(space: String) = "plan_share_to_$space"
    const val WHOLE = "plan_share_whole"
    const val PARTS = "plan_share_parts"
    fun section(stored: String) = "plan_share_section_$stored"
    const val GO = "plan_share_go"
    const val CANCEL = "plan_share_cancel"
    const val SEES = "plan_share_sees"
    fun stop(space: String, stored: String) = "plan_unshare_${space}_$stored"
}

/**
 * Sharing the plan: which share, which parts (or all of it), what the other
 * person will see, in plain words; and what each share holds now, with a
 * way to stop sharing any part of it.
 */
@Composable
fun SharePlanPanel(state: PlanUi, actions: PlanActions) {
    val draft = state.sharing ?: return
    Section(words(Keys.PLAN_SHARE_TITLE), Modifier.testTag(PlanShareTags.PANEL)) {
        if (state.shares.isEmpty()) {
            Text(words(Keys.PLAN_SHARE_NONE), style = MaterialTheme.typography.bodyMedium)
            TextButton(onClick = actions::cancelSharing, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanShareTags.CANCEL)) {
                Text(words(Keys.PLAN_BACK))
            }
            return@Section
        }
        Text(words(Keys.PLAN_SHARE_WITH), style = MaterialTheme.typography.titleSmall)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            state.shares.forEach { s ->
                ChoiceChip(s.name, selected = s.space == draft.space, tag = PlanShareTags.share(s.space.value)) { actions.chooseShare(s.space) }
            }
        }
        Text(words(Keys.PLAN_SHARE_WHAT), style = MaterialTheme.typography.titleSmall)
        // With the whole plan chosen, the 18 parts fold away: what they will see and Share stay on the first screen.
        var choosingParts by remember { mutableStateOf(draft.sections.isNotEmpty()) }
        Tick(words(Keys.PLAN_SHARE_WHOLE), draft.sections.isEmpty(), PlanShareTags.WHOLE) {
            choosingParts = false
            actions.chooseWholePlan()
        }
        if (choosingParts || draft.sections.isNotEmpty()) {
            PlanSection.all.forEach { section ->
                Tick(words(sectionTitle(section)), section.stored in draft.sections, PlanShareTags.section(section.stored)) {
                    actions.toggleSection(section.stored)
                }
            }
        } else {
            TextButton(onClick = { choosingParts = true }, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanShareTags.PARTS)) {
                Text(words(Keys.PLAN_SHARE_CHOOSE_PARTS))
            }
        }
        val chosen = state.shares.firstOrNull { it.space == draft.space }
        if (chosen != null) {
            Text(
                words(if (draft.sections.isEmpty()) Keys.PLAN_SHARE_SEES_WHOLE else Keys.PLAN_SHARE_SEES, chosen.name),
                style = MaterialTheme.typography.bodyMedium,
                modifier = Modifier.testTag(PlanShareTags.SEES),
            )
        }
        Problem(state.error)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { actions.confirmShare() }, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanShareTags.GO)) {
                Text(words(Keys.PLAN_SHARE_GO))
            }
            TextButton(onClick = actions::cancelSharing, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanShareTags.CANCEL)) {
                Text(words(Keys.PLAN_CANCEL))
            }
        }
        state.shares.forEach { Holds(it, actions) }
    }
}

@Composable
private fun Tick(label: String, on: Boolean, tag: String, onChange: () -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = MinTouch)
            .toggleable(value = on, role = Role.Checkbox, onValueChange = { onChange() })
            .testTag(tag),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Checkbox(checked = on, onCheckedChange = null)
        Text(label, modifier = Modifier.padding(start = 8.dp), style = MaterialTheme.typography.bodyMedium)
    }
}

/** What one share holds of the plan now, each part with "Stop sharing". */
@Composable
private fun Holds(share: PlanShareChoice, actions: PlanActions) {
    Column(Modifier.fillMaxWidth().padding(top = 8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text(words(Keys.PLAN_SHARE_HOLDS, share.name), style = MaterialTheme.typography.titleSmall)
        if (share.sections.isEmpty()) Text(words(Keys.PLAN_SHARE_HOLDS_NOTHING), style = MaterialTheme.typography.bodyMedium)
        share.sections.forEach { section ->
            val title = words(sectionTitle(section))
            val stopLabel = words(Keys.PLAN_SHARE_STOP_NAMED, title, share.name)
            Column(Modifier.fillMaxWidth()) {
                Text(title, style = MaterialTheme.typography.bodyMedium)
                TextButton(
                    onClick = { actions.stopSharing(share.space, section.stored) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(PlanShareTags.stop(share.space.value, section.stored))
                        .semantics { contentDescription = stopLabel },
                ) { Text(words(Keys.PLAN_SHARE_STOP)) }
            }
        }
    }
}
