package org.kindred.ui

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.app.Keys
import org.kindred.app.PlanActions
import org.kindred.app.PlanEntry
import org.kindred.app.PlanModel
import org.kindred.app.PlanSectionView
import org.kindred.app.PlanUi
import org.kindred.app.SuggestionCard
import org.kindred.app.sectionTitle

object PlanTags {
    const val SCREEN = "plan_screen"
    const val BACK = "plan_back"
    const val SHARE = "plan_share"
    const val PRINT = "plan_print"
    const val RESOURCES = "plan_resources"
    const val MESSAGE = "plan_message"
    fun section(stored: String) = "plan_section_$stored"
    fun add(stored: String) = "plan_add_$stored"
    fun entry(id: String) = "plan_entry_$id"
    fun edit(id: String) = "plan_edit_$id"
    fun delete(id: String) = "plan_delete_$id"
    const val DELETE_YES = "plan_delete_yes"
    const val DELETE_NO = "plan_delete_no"
    const val TEXT = "plan_text"
    const val HELPS = "plan_helps"
    const val SAVE = "plan_save"
    const val CANCEL = "plan_cancel"
    const val DRAFT_PROBLEM = "plan_draft_problem"
    fun suggestion(id: String) = "plan_suggestion_$id"
    fun take(id: String) = "plan_take_$id"
    fun leave(id: String) = "plan_leave_$id"
}

@Composable
fun PlanScreen(model: PlanModel, onClose: () -> Unit, onResources: (() -> Unit)? = null) {
    val state by model.state.collectAsState()
    PlanContent(state, model, onClose, onResources = onResources)
}

/**
 * "My plan": the wellness plan and the safety plan, section by section,
 * in the person's own words; suggestions beside what they belong to;
 * sharing parts of it and saving it as text.
 */
@Composable
fun PlanContent(
    state: PlanUi,
    actions: PlanActions,
    onClose: () -> Unit,
    scroll: ScrollState = rememberScrollState(),
    onResources: (() -> Unit)? = null,
) {
    Column(Modifier.fillMaxSize().testTag(PlanTags.SCREEN)) {
        Column(
            Modifier.weight(1f).fillMaxWidth().verticalScroll(scroll).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            TextButton(onClick = onClose, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.BACK)) {
                Text(words(Keys.PLAN_BACK))
            }
            // Sharing comes first while it is open, so what the other person sees and Share are on the first screen.
            if (state.sharing != null) SharePlanPanel(state, actions)
            Text(words(Keys.PLAN_INTRO), style = MaterialTheme.typography.bodyLarge)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = actions::startSharing, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.SHARE)) {
                    Text(words(Keys.PLAN_SHARE))
                }
                OutlinedButton(onClick = { actions.saveOrPrint() }, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.PRINT)) {
                    Text(words(Keys.PLAN_SAVE_TEXT))
                }
            }
            // Near the top, so her resources are the second tap from anywhere.
            if (onResources != null) {
                TextButton(onClick = onResources, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.RESOURCES)) {
                    Text(words(Keys.PLAN_RESOURCES))
                }
            }
            Part(words(Keys.PLAN_WELLNESS), words(Keys.PLAN_WELLNESS_INTRO))
            state.wellness.forEach { SectionCard(it, state, actions) }
            Part(words(Keys.PLAN_SAFETY), words(Keys.PLAN_SAFETY_INTRO))
            state.safety.forEach { SectionCard(it, state, actions) }
        }
        // What just happened stays in view at the foot of the screen, whatever is scrolled.
        val footError = state.error.takeIf { state.draft == null && state.sharing == null }
        if (state.message != null || footError != null) {
            Surface(color = MaterialTheme.colorScheme.surfaceVariant, modifier = Modifier.fillMaxWidth().testTag(PlanTags.MESSAGE)) {
                Column(Modifier.padding(horizontal = 16.dp, vertical = 8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Problem(footError)
                    Note(state.message)
                }
            }
        }
    }
}

@Composable
private fun Part(title: String, intro: String) {
    Column(Modifier.padding(top = 8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Heading(title)
        Text(intro, style = MaterialTheme.typography.bodyMedium)
    }
}

@Composable
private fun SectionCard(view: PlanSectionView, state: PlanUi, actions: PlanActions) {
    val title = words(sectionTitle(view.section))
    Card(Modifier.fillMaxWidth().testTag(PlanTags.section(view.stored))) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
            if (view.sharedWith.isNotEmpty()) {
                Text(
                    words(Keys.PLAN_SHARED_WITH, view.sharedWith.joinToString(", ")),
                    style = MaterialTheme.typography.labelLarge,
                    color = MaterialTheme.colorScheme.primary,
                )
            }
            if (view.entries.isEmpty() && view.suggestions.isEmpty() && state.draft?.section != view.stored) {
                Text(words(Keys.PLAN_EMPTY), style = MaterialTheme.typography.bodyMedium)
            }
            view.entries.forEachIndexed { i, entry ->
                if (i > 0) HorizontalDivider()
                EntryRow(entry, view, state, actions)
            }
            view.suggestions.forEach { SuggestionView(it, newEntry = true, actions) }
            val draft = state.draft
            if (draft != null && draft.section == view.stored && draft.id == null) {
                DraftForm(view, state, actions)
            } else {
                val addLabel = words(Keys.PLAN_ADD_TO, title)
                OutlinedButton(
                    onClick = { actions.startAdding(view.stored) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.add(view.stored))
                        .semantics { contentDescription = addLabel },
                ) { Text(words(Keys.PLAN_ADD)) }
            }
        }
    }
}

@Composable
private fun EntryRow(entry: PlanEntry, view: PlanSectionView, state: PlanUi, actions: PlanActions) {
    val draft = state.draft
    if (draft != null && draft.id == entry.id) {
        DraftForm(view, state, actions)
        return
    }
    Column(Modifier.fillMaxWidth().testTag(PlanTags.entry(entry.id)), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text(entry.text, style = MaterialTheme.typography.bodyLarge)
        entry.helps?.let { Text(words(Keys.PLAN_HELPS_LABEL, it), style = MaterialTheme.typography.bodyMedium) }
        if (state.confirmDelete == entry.id) {
            Text(words(Keys.PLAN_DELETE_ASK), style = MaterialTheme.typography.bodyMedium)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { actions.confirmDelete() }, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.DELETE_YES)) {
                    Text(words(Keys.PLAN_DELETE_YES))
                }
                OutlinedButton(onClick = actions::keepEntry, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.DELETE_NO)) {
                    Text(words(Keys.PLAN_DELETE_NO))
                }
            }
        } else {
            val editLabel = words(Keys.PLAN_EDIT_NAMED, entry.text)
            val deleteLabel = words(Keys.PLAN_DELETE_NAMED, entry.text)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                TextButton(
                    onClick = { actions.startEditing(entry.id) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.edit(entry.id)).semantics { contentDescription = editLabel },
                ) { Text(words(Keys.PLAN_EDIT)) }
                TextButton(
                    onClick = { actions.askDelete(entry.id) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.delete(entry.id)).semantics { contentDescription = deleteLabel },
                ) { Text(words(Keys.PLAN_DELETE)) }
            }
        }
        entry.suggestions.forEach { SuggestionView(it, newEntry = false, actions) }
    }
}

@Composable
private fun DraftForm(view: PlanSectionView, state: PlanUi, actions: PlanActions) {
    val draft = state.draft ?: return
    Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(
            value = draft.text,
            onValueChange = { actions.editDraft(text = it) },
            label = { Text(words(Keys.PLAN_ENTRY)) },
            isError = state.error != null,
            modifier = Modifier.fillMaxWidth().testTag(PlanTags.TEXT),
        )
        if (view.section.hasHelps) {
            OutlinedTextField(
                value = draft.helps,
                onValueChange = { actions.editDraft(helps = it) },
                label = { Text(words(Keys.PLAN_HELPS)) },
                modifier = Modifier.fillMaxWidth().testTag(PlanTags.HELPS),
            )
        }
        Problem(state.error, Modifier.testTag(PlanTags.DRAFT_PROBLEM))
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { actions.saveDraft() }, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.SAVE)) {
                Text(words(Keys.PLAN_SAVE))
            }
            TextButton(onClick = actions::cancelDraft, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.CANCEL)) {
                Text(words(Keys.PLAN_CANCEL))
            }
        }
    }
}

/** A worker's suggestion, marked as theirs, with the person's two choices; nothing changes until she picks one. */
@Composable
private fun SuggestionView(s: SuggestionCard, newEntry: Boolean, actions: PlanActions) {
    Card(
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.secondaryContainer,
            contentColor = MaterialTheme.colorScheme.onSecondaryContainer,
        ),
        modifier = Modifier.fillMaxWidth().testTag(PlanTags.suggestion(s.id)),
    ) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(
                words(if (newEntry) Keys.PLAN_SUGGESTED_BY else Keys.PLAN_SUGGESTED_WORDS_BY, s.by),
                style = MaterialTheme.typography.labelLarge,
            )
            Text(s.text, style = MaterialTheme.typography.bodyLarge)
            s.helps?.let { Text(words(Keys.PLAN_HELPS_LABEL, it), style = MaterialTheme.typography.bodyMedium) }
            s.note?.let { Text(words(Keys.PLAN_SUGGESTION_NOTE, s.by, it), style = MaterialTheme.typography.bodyMedium) }
            Text(words(Keys.PLAN_SUGGESTION_WAIT), style = MaterialTheme.typography.bodySmall)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { actions.take(s.id) }, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.take(s.id))) {
                    Text(words(if (newEntry) Keys.PLAN_SUGGESTION_ADD else Keys.PLAN_SUGGESTION_USE))
                }
                OutlinedButton(onClick = { actions.leave(s.id) }, modifier = Modifier.heightIn(min = MinTouch).testTag(PlanTags.leave(s.id))) {
                    Text(words(Keys.PLAN_SUGGESTION_LEAVE))
                }
            }
        }
    }
}
