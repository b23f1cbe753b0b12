package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.GoalStatus
import org.kindred.LifeArea
import org.kindred.app.GoalCard
import org.kindred.app.GoalDetail
import org.kindred.app.GoalsActions
import org.kindred.app.GoalsModel
import org.kindred.app.GoalsUi
import org.kindred.app.Keys
import org.kindred.app.StepLine
import org.kindred.app.TARGET_MONTHS
import org.kindred.app.areaKey
import org.kindred.app.dayText
import org.kindred.app.moveKey
import org.kindred.app.targetKey

object GoalsTags {
    const val LIST = "goals_list"
    const val ADD = "goals_add"
    const val TITLE = "goal_title"
    const val WHY = "goal_why"
    fun area(a: LifeArea?) = "goal_area_${a?.stored ?: "none"}"
    fun target(months: Int?) = "goal_target_${months ?: 0}"
    const val SAVE = "goal_save"
    const val CANCEL = "goal_cancel"
    fun card(id: String) = "goal_$id"
    const val PAGE = "goal_page"
    const val BACK = "goal_back"
    const val PROGRESS = "goal_progress"
    const val PROGRESS_BAR = "goal_progress_bar"
    const val STATUS = "goal_status"
    fun step(id: String) = "step_$id"
    const val STEP_TEXT = "goal_step_text"
    const val ADD_STEP = "goal_add_step"
    const val NOTE_TEXT = "goal_note_text"
    const val ADD_NOTE = "goal_add_note"
    fun move(s: GoalStatus) = "goal_move_${s.stored}"
    const val MESSAGE = "goals_message"
    const val ERASE = "goal_erase"
    const val ERASE_ASK = "goal_erase_ask"
    const val ERASE_YES = "goal_erase_yes"
    const val ERASE_NO = "goal_erase_no"
}

@Composable
fun GoalsScreen(model: GoalsModel) {
    val state by model.state.collectAsState()
    GoalsContent(state, model)
}

/**
 * Goals: the person's own goals with how far along each is; adding one in
 * their own words; one goal's page with steps to tick, notes, and where the
 * goal is now (working on it, resting, done, let go: each a choice).
 */
@Composable
fun GoalsContent(state: GoalsUi, actions: GoalsActions, scroll: ScrollState = rememberScrollState()) {
    Column(Modifier.fillMaxSize()) {
        Column(
            Modifier.weight(1f).fillMaxWidth().verticalScroll(scroll).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            val open = state.open
            when {
                open != null -> GoalPage(open, state, actions)
                state.adding -> AddGoal(state, actions)
                else -> GoalList(state, actions)
            }
        }
        // What just happened stays in view at the foot of the screen, whatever is scrolled.
        if (state.message != null || state.error != null) {
            Surface(color = MaterialTheme.colorScheme.surfaceVariant, modifier = Modifier.fillMaxWidth().testTag(GoalsTags.MESSAGE)) {
                Column(Modifier.padding(horizontal = 16.dp, vertical = 8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Problem(state.error)
                    Note(state.message)
                }
            }
        }
    }
}

@Composable
private fun GoalList(state: GoalsUi, actions: GoalsActions) {
    Heading(words(Keys.GOALS_TITLE))
    Button(onClick = actions::startAdding, modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.ADD)) {
        Text(words(Keys.GOAL_ADD))
    }
    if (!state.loading && state.goals.isEmpty()) {
        Text(words(Keys.GOALS_EMPTY), style = MaterialTheme.typography.bodyLarge)
    }
    Column(Modifier.testTag(GoalsTags.LIST), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        state.goals.forEach { GoalCardView(it, actions) }
    }
}

@Composable
private fun GoalCardView(card: GoalCard, actions: GoalsActions) {
    Card(
        onClick = { actions.open(card.id) },
        modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch).testTag(GoalsTags.card(card.id)),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(card.title, style = MaterialTheme.typography.titleMedium)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(words(card.status), style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.primary)
                card.area?.let { Text(words(it), style = MaterialTheme.typography.bodyMedium) }
                if (card.shared) {
                    Surface(
                        shape = RoundedCornerShape(6.dp),
                        color = MaterialTheme.colorScheme.secondaryContainer,
                        contentColor = MaterialTheme.colorScheme.onSecondaryContainer,
                    ) {
                        Text(words(Keys.GOAL_SHARED_BADGE), style = MaterialTheme.typography.labelLarge, modifier = Modifier.padding(horizontal = 8.dp, vertical = 2.dp))
                    }
                }
            }
            card.target?.let { Text(words(Keys.GOAL_TARGET_VALUE, dayText(it)), style = MaterialTheme.typography.bodyMedium) }
            Progress(words(card.steps), card.fraction, tag = null)
        }
    }
}

/** How many steps are done: in words, and as a bar when there are steps. Read out as one. */
@Composable
private fun Progress(text: String, fraction: Double?, tag: String?) {
    Column(
        Modifier.fillMaxWidth().semantics(mergeDescendants = true) {}.let { if (tag != null) it.testTag(tag) else it },
        verticalArrangement = Arrangement.spacedBy(6.dp),
    ) {
        Text(text, style = MaterialTheme.typography.bodyMedium)
        if (fraction != null) {
            LinearProgressIndicator(
                progress = { fraction.toFloat() },
                modifier = Modifier.fillMaxWidth().let { if (tag != null) it.testTag(tag + "_bar") else it },
                trackColor = MaterialTheme.colorScheme.surfaceVariant,
            )
        }
    }
}

@Composable
private fun AddGoal(state: GoalsUi, actions: GoalsActions) {
    val d = state.draft
    Heading(words(Keys.GOAL_ADD))
    OutlinedTextField(
        value = d.title,
        onValueChange = { actions.editDraft(d.copy(title = it)) },
        label = { Text(words(Keys.GOAL_TITLE_LABEL)) },
        placeholder = { Text(words(Keys.GOAL_TITLE_HINT)) },
        modifier = Modifier.fillMaxWidth().testTag(GoalsTags.TITLE),
    )
    // A long label sits above its field (floated into the border it would wrap at a large font).
    val whyLabel = words(Keys.GOAL_WHY_HINT)
    Text(whyLabel, style = MaterialTheme.typography.titleSmall, modifier = Modifier.clearAndSetSemantics {})
    OutlinedTextField(
        value = d.why,
        onValueChange = { actions.editDraft(d.copy(why = it)) },
        minLines = 2,
        modifier = Modifier.fillMaxWidth().semantics { contentDescription = whyLabel }.testTag(GoalsTags.WHY),
    )
    Text(words(Keys.GOAL_AREA), style = MaterialTheme.typography.titleSmall)
    FlowRow(
        Modifier.fillMaxWidth().selectableGroup(),
        horizontalArrangement = Arrangement.spacedBy(8.dp),
        verticalArrangement = Arrangement.spacedBy(4.dp),
    ) {
        LifeArea.entries.forEach { a ->
            ChoiceChip(words(areaKey(a)), d.area == a, GoalsTags.area(a)) { actions.editDraft(d.copy(area = if (d.area == a) null else a)) }
        }
    }
    Text(words(Keys.GOAL_TARGET), style = MaterialTheme.typography.titleSmall)
    FlowRow(
        Modifier.fillMaxWidth().selectableGroup(),
        horizontalArrangement = Arrangement.spacedBy(8.dp),
        verticalArrangement = Arrangement.spacedBy(4.dp),
    ) {
        ChoiceChip(words(Keys.GOAL_NO_TARGET), d.targetMonths == null, GoalsTags.target(null)) { actions.editDraft(d.copy(targetMonths = null)) }
        TARGET_MONTHS.forEach { m ->
            ChoiceChip(words(targetKey(m)), d.targetMonths == m, GoalsTags.target(m)) { actions.editDraft(d.copy(targetMonths = m)) }
        }
    }
    state.draftTarget?.let { Text(words(Keys.GOAL_TARGET_VALUE, dayText(it)), style = MaterialTheme.typography.bodyMedium) }
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(onClick = { actions.saveDraft() }, modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.SAVE)) {
            Text(words(Keys.GOAL_SAVE))
        }
        TextButton(onClick = actions::cancelAdding, modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.CANCEL)) {
            Text(words(Keys.CANCEL))
        }
    }
}

@Composable
private fun GoalPage(goal: GoalDetail, state: GoalsUi, actions: GoalsActions) {
    Column(Modifier.testTag(GoalsTags.PAGE), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        TextButton(onClick = actions::close, modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.BACK)) {
            Text(words(Keys.GOAL_BACK))
        }
        Heading(goal.title)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(
                words(goal.statusText),
                style = MaterialTheme.typography.titleSmall,
                color = MaterialTheme.colorScheme.primary,
                modifier = Modifier.testTag(GoalsTags.STATUS),
            )
            goal.area?.let { Text(words(areaKey(it)), style = MaterialTheme.typography.bodyMedium) }
            goal.target?.let { Text(words(Keys.GOAL_TARGET_VALUE, dayText(it)), style = MaterialTheme.typography.bodyMedium) }
        }
        goal.why?.let {
            Column(Modifier.semantics(mergeDescendants = true) {}, verticalArrangement = Arrangement.spacedBy(2.dp)) {
                Text(words(Keys.GOAL_WHY_LABEL), style = MaterialTheme.typography.titleSmall)
                Text(it, style = MaterialTheme.typography.bodyLarge)
            }
        }
        Section(words(Keys.GOAL_STEPS)) {
            if (goal.steps.isEmpty()) {
                Text(words(Keys.GOAL_STEPS_NONE), style = MaterialTheme.typography.bodyMedium)
            } else {
                Progress(words(goal.stepsText), goal.fraction, GoalsTags.PROGRESS)
                goal.steps.forEach { StepRow(goal.id, it, actions) }
            }
            OutlinedTextField(
                value = state.stepText,
                onValueChange = actions::editStep,
                label = { Text(words(Keys.GOAL_STEP_HINT)) },
                modifier = Modifier.fillMaxWidth().testTag(GoalsTags.STEP_TEXT),
            )
            OutlinedButton(
                onClick = { actions.addStep(goal.id, state.stepText) },
                modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.ADD_STEP),
            ) { Text(words(Keys.GOAL_ADD_STEP)) }
        }
        Section(words(Keys.GOAL_PROGRESS)) {
            OutlinedTextField(
                value = state.progressText,
                onValueChange = actions::editProgress,
                label = { Text(words(Keys.GOAL_PROGRESS_HINT)) },
                minLines = 2,
                modifier = Modifier.fillMaxWidth().testTag(GoalsTags.NOTE_TEXT),
            )
            OutlinedButton(
                onClick = { actions.addProgress(goal.id, state.progressText) },
                modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.ADD_NOTE),
            ) { Text(words(Keys.GOAL_ADD_PROGRESS)) }
            if (goal.progress.isEmpty()) {
                Text(words(Keys.GOAL_NOTES_NONE), style = MaterialTheme.typography.bodyMedium)
            }
            goal.progress.forEach { p ->
                Column(Modifier.fillMaxWidth().semantics(mergeDescendants = true) {}, verticalArrangement = Arrangement.spacedBy(2.dp)) {
                    Text(dayText(p.at.toLocalDate()), style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.onSurfaceVariant)
                    Text(p.note, style = MaterialTheme.typography.bodyLarge)
                }
            }
        }
        Section(words(Keys.GOAL_CHOICES)) {
            Text(words(Keys.GOAL_CHOICES_HINT), style = MaterialTheme.typography.bodyMedium)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                goal.moves.forEach { s ->
                    OutlinedButton(
                        onClick = { actions.setStatus(goal.id, s) },
                        modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.move(s)),
                    ) { Text(words(moveKey(s))) }
                }
            }
        }
        EraseGoal(goal, state.confirmErase, actions)
    }
}

/** "Delete forever", quietly at the foot of the page; the second tap follows words that say where it goes from. */
@Composable
private fun EraseGoal(goal: GoalDetail, confirming: Boolean, actions: GoalsActions) {
    if (confirming) {
        Card(Modifier.fillMaxWidth().testTag(GoalsTags.ERASE_ASK)) {
            Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(words(Keys.GOAL_ERASE_ASK, goal.title), style = MaterialTheme.typography.bodyLarge)
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { actions.confirmErase() }, modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.ERASE_YES)) {
                        Text(words(Keys.ERASE_FOREVER))
                    }
                    OutlinedButton(onClick = actions::keepGoal, modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.ERASE_NO)) {
                        Text(words(Keys.ERASE_KEEP))
                    }
                }
            }
        }
    } else {
        val label = words(Keys.GOAL_ERASE_NAMED, goal.title)
        TextButton(
            onClick = actions::askErase,
            modifier = Modifier.heightIn(min = MinTouch).testTag(GoalsTags.ERASE).semantics { contentDescription = label },
        ) { Text(words(Keys.ERASE_FOREVER)) }
    }
}

/** A step as a box to tick: the whole row is the target, and its state is announced. */
@Composable
private fun StepRow(goalId: String, step: StepLine, actions: GoalsActions) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = MinTouch)
            .toggleable(value = step.done, role = Role.Checkbox, onValueChange = { actions.tickStep(goalId, step.id, it) })
            .testTag(GoalsTags.step(step.id)),
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Checkbox(checked = step.done, onCheckedChange = null)
        Column(Modifier.weight(1f)) {
            Text(step.text, style = MaterialTheme.typography.bodyLarge)
            step.due?.let { Text(dayText(it), style = MaterialTheme.typography.bodySmall) }
        }
    }
}
