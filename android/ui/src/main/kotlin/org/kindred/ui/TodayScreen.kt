package org.kindred.ui

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
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
import androidx.compose.ui.geometry.CornerRadius
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import org.kindred.app.CheckInRow
import org.kindred.app.Keys
import org.kindred.app.PartOfDay
import org.kindred.app.TodayActions
import org.kindred.app.TodayModel
import org.kindred.app.TodayState
import org.kindred.app.WeekBar

object TodayTags {
    fun mood(m: Int) = "mood_$m"
    const val SAVE = "checkin_save"
    const val LIST = "checkin_list"
    const val CHART = "mood_chart"
    fun row(id: String) = "checkin_$id"
    fun erase(id: String) = "erase_$id"
    const val ERASE_YES = "erase_yes"
    const val ERASE_NO = "erase_no"
}

@Composable
fun TodayScreen(model: TodayModel, banner: (@Composable () -> Unit)? = null, card: (@Composable () -> Unit)? = null) {
    val state by model.state.collectAsState()
    TodayContent(state, model, banner, card)
}

/**
 * Today: a check-in in two taps, the recent ones, and the last weeks' moods;
 * [banner], a gentle card above them when there is one (a removal of this
 * device that waits); [card], one gentle card under the check-in (a
 * recovery kit's suggestion).
 */
@Composable
fun TodayContent(
    state: TodayState,
    actions: TodayActions,
    banner: (@Composable () -> Unit)? = null,
    card: (@Composable () -> Unit)? = null,
) {
    LazyColumn(
        Modifier.fillMaxSize().testTag(TodayTags.LIST),
        contentPadding = androidx.compose.foundation.layout.PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        if (banner != null) item { banner() }
        item { Heading(words(if (state.editingId != null) Keys.CHECKIN_CHANGE_TITLE else Keys.TODAY_TITLE)) }
        item { MoodPicker(state.mood, actions::pickMood) }
        // Tap two is right under tap one; everything else is optional, below it.
        if (state.open) item { SaveRow(state, actions) }
        if (state.open) item { CheckInDetails(state, actions) }
        item {
            Note(state.message)
            Problem(state.error)
        }
        if (card != null) item { card() }
        item { MoodChart(state.weeks) }
        item { Text(words(Keys.TODAY_RECENT), style = MaterialTheme.typography.titleMedium) }
        if (state.loaded && state.recent.isEmpty()) {
            item { Text(words(Keys.TODAY_EMPTY), style = MaterialTheme.typography.bodyLarge) }
        }
        items(state.recent, key = { it.id }) { row -> CheckInCard(row, state.confirmDelete == row.id, state.confirmErase == row.id, actions) }
    }
}

@Composable
private fun MoodPicker(selected: Int?, pick: (Int) -> Unit) {
    FlowRow(
        Modifier.fillMaxWidth().selectableGroup(),
        horizontalArrangement = Arrangement.spacedBy(8.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        (1..5).forEach { m ->
            val chosen = selected == m
            Surface(
                shape = RoundedCornerShape(12.dp),
                color = if (chosen) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.secondaryContainer,
                contentColor = if (chosen) MaterialTheme.colorScheme.onPrimary else MaterialTheme.colorScheme.onSecondaryContainer,
                modifier = Modifier
                    .heightIn(min = MinTouch).widthIn(min = 64.dp)
                    .selectable(selected = chosen, role = Role.RadioButton, onClick = { pick(m) })
                    .testTag(TodayTags.mood(m)),
            ) {
                Text(
                    words("mood_$m"),
                    style = MaterialTheme.typography.titleSmall,
                    textAlign = TextAlign.Center,
                    modifier = Modifier.padding(horizontal = 14.dp, vertical = 14.dp),
                )
            }
        }
    }
}

@Composable
private fun CheckInDetails(state: TodayState, actions: TodayActions) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(10.dp)) {
            Text(words(Keys.CHECKIN_ENERGY), style = MaterialTheme.typography.titleSmall)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                (1..5).forEach { e ->
                    FilterChip(
                        selected = state.energy == e,
                        onClick = { actions.pickEnergy(if (state.energy == e) null else e) },
                        label = { Text(words("energy_$e")) },
                        modifier = Modifier.heightIn(min = MinTouch),
                    )
                }
            }
            Text(words(Keys.CHECKIN_TAGS), style = MaterialTheme.typography.titleSmall)
            val tags = (state.suggestedTags + state.tags).distinct()
            if (tags.isNotEmpty()) {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    tags.forEach { t ->
                        FilterChip(
                            selected = t in state.tags,
                            onClick = { actions.toggleTag(t) },
                            label = { Text(t) },
                            modifier = Modifier.heightIn(min = MinTouch),
                        )
                    }
                }
            }
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedTextField(
                    value = state.newTag,
                    onValueChange = actions::editNewTag,
                    label = { Text(words(Keys.CHECKIN_NEW_TAG)) },
                    singleLine = true,
                    modifier = Modifier.weight(1f).testTag("checkin_new_tag"),
                )
                OutlinedButton(onClick = actions::addNewTag, modifier = Modifier.heightIn(min = MinTouch).testTag("checkin_add_tag")) {
                    Text(words(Keys.CHECKIN_ADD_TAG))
                }
            }
            OutlinedTextField(
                value = state.note,
                onValueChange = actions::editNote,
                label = { Text(words(Keys.CHECKIN_NOTE)) },
                modifier = Modifier.fillMaxWidth().testTag("checkin_note"),
            )
            Text(words(Keys.CHECKIN_WHEN), style = MaterialTheme.typography.titleSmall)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                (0..TodayModel.DAYS_BACK).forEach { d ->
                    FilterChip(
                        selected = state.daysBack == d,
                        onClick = { actions.pickDay(d) },
                        label = {
                            Text(
                                when (d) {
                                    0 -> words(Keys.WHEN_DAY_TODAY)
                                    1 -> words(Keys.WHEN_DAY_YESTERDAY)
                                    else -> words(Keys.WHEN_DAYS_AGO, d)
                                },
                            )
                        },
                        modifier = Modifier.heightIn(min = MinTouch).testTag("checkin_day_$d"),
                    )
                }
            }
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                if (state.daysBack == 0) {
                    FilterChip(
                        selected = state.partOfDay == null,
                        onClick = { actions.pickPartOfDay(null) },
                        label = { Text(words(Keys.WHEN_NOW)) },
                        modifier = Modifier.heightIn(min = MinTouch),
                    )
                }
                PartOfDay.entries.forEach { p ->
                    FilterChip(
                        selected = state.partOfDay == p,
                        onClick = { actions.pickPartOfDay(p) },
                        label = { Text(words(p.key)) },
                        modifier = Modifier.heightIn(min = MinTouch).testTag("checkin_part_${p.name.lowercase()}"),
                    )
                }
            }
        }
    }
}

@Composable
private fun SaveRow(state: TodayState, actions: TodayActions) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(
            onClick = actions::save,
            enabled = !state.saving,
            modifier = Modifier.heightIn(min = MinTouch).testTag(TodayTags.SAVE),
        ) { Text(words(if (state.editingId != null) Keys.CHECKIN_SAVE_CHANGES else Keys.CHECKIN_SAVE)) }
        if (state.editingId != null) {
            TextButton(onClick = actions::cancelEdit, modifier = Modifier.heightIn(min = MinTouch)) {
                Text(words(Keys.CHECKIN_CANCEL_CHANGE))
            }
        }
    }
}

/** The last weeks' average moods as bars, with the same in words for screen readers. */
@Composable
private fun MoodChart(weeks: List<WeekBar>) {
    if (weeks.isEmpty()) return
    val set = LocalWords.current
    val described = weeks.joinToString("; ") { w ->
        val mean = w.meanMood
        if (mean == null) set.format(Keys.CHART_WEEK_NONE, listOf(w.label))
        else set.format(Keys.CHART_WEEK, listOf(w.label, set.format("mood_${Math.round(mean).toInt().coerceIn(1, 5)}"), w.count))
    }
    Section(words(Keys.CHART_TITLE, weeks.size)) {
        val bar = MaterialTheme.colorScheme.primary
        val track = MaterialTheme.colorScheme.surfaceVariant
        Canvas(
            Modifier.fillMaxWidth().height(120.dp).testTag(TodayTags.CHART)
                .semantics { contentDescription = described },
        ) {
            val gap = 8.dp.toPx()
            val w = (size.width - gap * (weeks.size - 1)) / weeks.size
            weeks.forEachIndexed { i, week ->
                val x = i * (w + gap)
                drawRoundRect(track, Offset(x, 0f), Size(w, size.height), CornerRadius(6.dp.toPx()))
                val mean = week.meanMood ?: return@forEachIndexed
                val h = size.height * (mean / 5.0).toFloat()
                drawRoundRect(bar, Offset(x, size.height - h), Size(w, h), CornerRadius(6.dp.toPx()))
            }
        }
        Row(Modifier.fillMaxWidth()) {
            weeks.forEachIndexed { i, w ->
                if (i == 0 || i == weeks.size - 1) {
                    Text(
                        w.label,
                        style = MaterialTheme.typography.labelSmall,
                        textAlign = if (i == 0) TextAlign.Start else TextAlign.End,
                        modifier = Modifier.weight(1f),
                    )
                }
            }
        }
    }
}

@Composable
private fun CheckInCard(row: CheckInRow, confirming: Boolean, erasing: Boolean, actions: TodayActions) {
    Card(Modifier.fillMaxWidth().testTag(TodayTags.row(row.id))) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(words("mood_${row.mood}"), style = MaterialTheme.typography.titleMedium)
            Text(words(row.at), style = MaterialTheme.typography.bodyMedium)
            row.energy?.let { Text(words(Keys.CHECKIN_ENERGY_WAS, words("energy_$it")), style = MaterialTheme.typography.bodyMedium) }
            if (row.tags.isNotEmpty()) Text(row.tags.joinToString(", "), style = MaterialTheme.typography.bodyMedium)
            row.note?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
            if (confirming) {
                Text(words(Keys.CHECKIN_DELETE_ASK), style = MaterialTheme.typography.bodyMedium)
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = actions::confirmDelete, modifier = Modifier.heightIn(min = MinTouch).testTag("delete_yes")) {
                        Text(words(Keys.CHECKIN_DELETE_YES))
                    }
                    OutlinedButton(onClick = actions::keep, modifier = Modifier.heightIn(min = MinTouch)) {
                        Text(words(Keys.CHECKIN_DELETE_KEEP))
                    }
                }
            } else if (erasing) {
                Text(words(Keys.CHECKIN_ERASE_ASK), style = MaterialTheme.typography.bodyMedium)
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = actions::confirmErase, modifier = Modifier.heightIn(min = MinTouch).testTag(TodayTags.ERASE_YES)) {
                        Text(words(Keys.ERASE_FOREVER))
                    }
                    OutlinedButton(onClick = actions::keep, modifier = Modifier.heightIn(min = MinTouch).testTag(TodayTags.ERASE_NO)) {
                        Text(words(Keys.ERASE_KEEP))
                    }
                }
            } else {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    TextButton(onClick = { actions.edit(row.id) }, modifier = Modifier.heightIn(min = MinTouch).testTag("edit_${row.id}")) {
                        Text(words(Keys.CHECKIN_CHANGE))
                    }
                    TextButton(onClick = { actions.askDelete(row.id) }, modifier = Modifier.heightIn(min = MinTouch).testTag("delete_${row.id}")) {
                        Text(words(Keys.CHECKIN_DELETE))
                    }
                    TextButton(onClick = { actions.askErase(row.id) }, modifier = Modifier.heightIn(min = MinTouch).testTag(TodayTags.erase(row.id))) {
                        Text(words(Keys.ERASE_FOREVER))
                    }
                }
            }
        }
    }
}
