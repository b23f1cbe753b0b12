package org.kindred.android.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.AssistChip
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import org.kindred.GoalStatus
import org.kindred.KindredStore
import org.kindred.android.R
import org.kindred.app.goalCards

/** Goals: the person's own words, steps and progress; pause or let go without judgement. */
@Composable
fun GoalsScreen(store: KindredStore, modifier: Modifier = Modifier) {
    var version by remember { mutableIntStateOf(0) }
    var title by remember { mutableStateOf("") }
    var why by remember { mutableStateOf("") }
    var step by remember { mutableStateOf("") }
    val shared = remember(version) { store.shares().flatMap { it.goalIds }.toSet() }
    val cards = remember(version) { goalCards(store.goals(), shared) }

    Column(modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.goals_title))
        OutlinedTextField(title, { title = it }, label = { Text(stringResource(R.string.goal_title_hint)) }, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(why, { why = it }, label = { Text(stringResource(R.string.goal_why_hint)) }, modifier = Modifier.fillMaxWidth())
        Button(onClick = {
            store.addGoal(title, why.ifBlank { null })
            title = ""; why = ""; version++
        }, enabled = title.isNotBlank()) { Text(stringResource(R.string.goal_add)) }
        LazyColumn(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            items(cards, key = { it.id }) { g ->
                Card(Modifier.fillMaxWidth()) {
                    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                        Text(g.title)
                        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                            AssistChip(onClick = {}, label = { Text(text(g.status)) })
                            if (g.shared) AssistChip(onClick = {}, label = { Text(stringResource(R.string.goal_shared_badge)) })
                        }
                        Text(text(g.steps))
                        g.fraction?.let { LinearProgressIndicator(progress = { it.toFloat() }, modifier = Modifier.fillMaxWidth()) }
                        OutlinedTextField(step, { step = it }, label = { Text(stringResource(R.string.goal_add_step)) })
                        Row {
                            TextButton(onClick = { if (step.isNotBlank()) { store.addStep(g.id, step); step = ""; version++ } }) {
                                Text(stringResource(R.string.goal_add_step))
                            }
                            TextButton(onClick = { store.setGoalStatus(g.id, GoalStatus.PAUSED); version++ }) {
                                Text(stringResource(R.string.goal_pause))
                            }
                            TextButton(onClick = { store.setGoalStatus(g.id, GoalStatus.LET_GO); version++ }) {
                                Text(stringResource(R.string.goal_let_go))
                            }
                            TextButton(onClick = { store.setGoalStatus(g.id, GoalStatus.ACTIVE); version++ }) {
                                Text(stringResource(R.string.goal_resume))
                            }
                        }
                    }
                }
            }
        }
    }
}
