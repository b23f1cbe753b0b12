package org.kindred.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.PlanItem
import org.kindred.PlanSection
import org.kindred.SharedPlan
import org.kindred.Suggestion
import org.kindred.app.Keys
import org.kindred.app.SharedPlansActions
import org.kindred.app.SharedPlansUi
import org.kindred.app.SuggestDraft
import org.kindred.app.sharedSectionKey
import org.kindred.app.suggestionState

/** Test tags of the shared plans (never shown). */
object SharedPlanTags {
    const val LIST = "plans_list"
    const val PLAN = "plans_plan"
    const val BACK = "plans_back"
    const val SUGGEST_TEXT = "plans_suggest_text"
    const val SUGGEST_HELPS = "plans_suggest_helps"
    const val SUGGEST_WHY = "plans_suggest_why"
    const val SUGGEST_SEND = "plans_suggest_send"
    const val SUGGEST_CANCEL = "plans_suggest_cancel"
    fun open(space: String) = "plans_open_$space"
    fun suggestIn(section: String) = "plans_suggest_in_$section"
    fun suggestFor(item: String) = "plans_suggest_for_$item"
    fun suggestion(id: String) = "plans_suggestion_$id"
}

/** Plans shared with this device: the list, or one plan read-only with suggestions. There is no edit control. */
@Composable
fun SharedPlansContent(state: SharedPlansUi, actions: SharedPlansActions) {
    val open = state.plans.firstOrNull { it.space.value == state.open }
    if (open == null) PlanList(state, actions) else PlanView(open, state, actions)
}

@Composable
private fun PlanList(state: SharedPlansUi, actions: SharedPlansActions) {
    LazyColumn(
        Modifier.fillMaxSize().testTag(SharedPlanTags.LIST),
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        item { Heading(words(Keys.PLANS_TITLE)) }
        if (!state.loading && state.plans.isEmpty()) item { Text(words(Keys.PLANS_EMPTY), style = MaterialTheme.typography.bodyLarge) }
        items(state.plans, key = { it.space.value }) { p ->
            val label = words(Keys.PLANS_OPEN, p.name)
            Card(
                modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch)
                    .clickable(onClickLabel = label, role = Role.Button) { actions.openPlan(p.space.value) }
                    .semantics(mergeDescendants = true) { contentDescription = label }
                    .testTag(SharedPlanTags.open(p.space.value)),
            ) {
                Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    Text(words(Keys.PLAN_OF, p.name), style = MaterialTheme.typography.titleMedium)
                    Text(words(Keys.PLANS_SECTIONS, p.sections.size), style = MaterialTheme.typography.bodyMedium)
                    val waiting = p.suggestions.count { it.answer == null }
                    if (waiting > 0) Text(words(Keys.SUGGEST_WAITING, p.name), style = MaterialTheme.typography.bodyMedium)
                }
            }
        }
    }
}

@Composable
private fun PlanView(plan: SharedPlan, state: SharedPlansUi, actions: SharedPlansActions) {
    LazyColumn(
        Modifier.fillMaxSize().testTag(SharedPlanTags.PLAN),
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        item {
            TextButton(onClick = { actions.openPlan(null) }, modifier = Modifier.heightIn(min = MinTouch).testTag(SharedPlanTags.BACK)) {
                Text(words(Keys.SHARED_PLAN_BACK))
            }
        }
        item { Heading(words(Keys.PLAN_OF, plan.name)) }
        item { Text(words(Keys.PLAN_READ_ONLY, plan.name), style = MaterialTheme.typography.bodyMedium) }
        item {
            Note(state.message)
            if (state.suggesting == null) Problem(state.error)
        }
        items(plan.sections, key = { it.stored }) { s -> PlanSectionCard(plan, s, state, actions) }
    }
}

@Composable
private fun PlanSectionCard(plan: SharedPlan, section: PlanSection, state: SharedPlansUi, actions: SharedPlansActions) {
    val title = words(sharedSectionKey(section))
    val items = plan.items.filter { it.section.stored == section.stored }
    val suggestions = plan.suggestions.filter { it.section.stored == section.stored }
    Section(title) {
        if (items.isEmpty()) Text(words(Keys.PLAN_SECTION_EMPTY), style = MaterialTheme.typography.bodyMedium)
        items.forEach { item -> Entry(plan, item, state, actions) }
        suggestions.filter { it.item == null }.forEach { SuggestionLine(it, plan.name) }
        val d = state.suggesting
        if (d != null && d.space == plan.space.value && d.section == section.stored && d.instead == null) {
            SuggestForm(d, plan.name, section.hasHelps, state, actions)
        } else {
            val label = words(Keys.SUGGEST_ENTRY_IN, title)
            OutlinedButton(
                onClick = { actions.startSuggest(plan.space.value, section.stored) },
                modifier = Modifier.heightIn(min = MinTouch).testTag(SharedPlanTags.suggestIn(section.stored)).semantics { contentDescription = label },
            ) { Text(words(Keys.SUGGEST_ENTRY)) }
        }
    }
}

@Composable
private fun Entry(plan: SharedPlan, item: PlanItem, state: SharedPlansUi, actions: SharedPlansActions) {
    Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surface), modifier = Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(item.text, style = MaterialTheme.typography.bodyLarge)
            item.helps?.let { Text(words(Keys.SHARED_PLAN_HELPS, it), style = MaterialTheme.typography.bodyMedium) }
            plan.suggestions.filter { it.item == item.id }.forEach { SuggestionLine(it, plan.name) }
            val d = state.suggesting
            if (d != null && d.instead == item.id.value) {
                SuggestForm(d, plan.name, item.section.hasHelps, state, actions)
            } else {
                val label = words(Keys.SUGGEST_WORDS_FOR, item.text)
                TextButton(
                    onClick = { actions.startSuggest(plan.space.value, item.section.stored, item.id.value) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(SharedPlanTags.suggestFor(item.id.value)).semantics { contentDescription = label },
                ) { Text(words(Keys.SUGGEST_WORDS)) }
            }
        }
    }
}

/** A suggestion and where it stands: "Waiting for Sam", "Sam added this", "Sam kept their own words". */
@Composable
private fun SuggestionLine(s: Suggestion, person: String) {
    Column(Modifier.fillMaxWidth().testTag(SharedPlanTags.suggestion(s.id.value)).semantics(mergeDescendants = true) {}) {
        Text(
            if (s.byName == "you") words(Keys.SUGGEST_FROM_YOU, s.text) else words(Keys.SUGGEST_FROM, s.byName, s.text),
            style = MaterialTheme.typography.bodyMedium,
        )
        Text(words(suggestionState(s, person)), style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
    }
}

@Composable
private fun SuggestForm(d: SuggestDraft, person: String, hasHelps: Boolean, state: SharedPlansUi, actions: SharedPlansActions) {
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Problem(state.error)
        OutlinedTextField(
            value = d.text, onValueChange = { t -> actions.editSuggest { it.copy(text = t) } },
            label = { Text(words(Keys.SUGGEST_TEXT)) }, modifier = Modifier.fillMaxWidth().testTag(SharedPlanTags.SUGGEST_TEXT),
        )
        if (hasHelps) OutlinedTextField(
            value = d.helps, onValueChange = { t -> actions.editSuggest { it.copy(helps = t) } },
            label = { Text(words(Keys.SUGGEST_HELPS)) }, modifier = Modifier.fillMaxWidth().testTag(SharedPlanTags.SUGGEST_HELPS),
        )
        OutlinedTextField(
            value = d.note, onValueChange = { t -> actions.editSuggest { it.copy(note = t) } },
            label = { Text(words(Keys.SUGGEST_WHY)) }, modifier = Modifier.fillMaxWidth().testTag(SharedPlanTags.SUGGEST_WHY),
        )
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { actions.sendSuggest() }, modifier = Modifier.heightIn(min = MinTouch).testTag(SharedPlanTags.SUGGEST_SEND)) {
                Text(words(Keys.SUGGEST_SEND, person))
            }
            OutlinedButton(onClick = actions::cancelSuggest, modifier = Modifier.heightIn(min = MinTouch).testTag(SharedPlanTags.SUGGEST_CANCEL)) {
                Text(words(Keys.CANCEL))
            }
        }
    }
}
