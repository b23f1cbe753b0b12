package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
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
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import java.time.LocalDate
import java.time.format.DateTimeFormatter
import java.util.Locale
import org.kindred.ContactWay
import org.kindred.Period
import org.kindred.app.AWhileRow
import org.kindred.app.DayRow
import org.kindred.app.HitRow
import org.kindred.app.Keys
import org.kindred.app.PlanDraft
import org.kindred.app.UiText
import org.kindred.app.WorkDayActions
import org.kindred.app.WorkDayUi
import org.kindred.app.durationWords
import org.kindred.app.plannedWayWords

/** Test tags of the worker's day (never shown). */
object DayTags {
    const val DAY = "day_list"
    const val PLAN = "day_plan"
    const val SEARCH = "day_search"
    const val PLAN_FORM = "day_plan_form"
    const val PLAN_TIME = "day_plan_time"
    const val PLAN_NOTE = "day_plan_note"
    const val PLAN_SAVE = "day_plan_save"
    const val PLAN_CANCEL = "day_plan_cancel"
    const val PLAN_DAY_EARLIER = "day_plan_earlier"
    const val PLAN_DAY_LATER = "day_plan_later"
    const val TIME = "day_time"
    fun who(id: String) = "day_plan_who_$id"
    fun way(w: ContactWay) = "day_plan_way_${w.stored}"
    fun row(id: String, planned: String?) = "day_row_${planned ?: id}"
    fun done(planned: String) = "day_done_$planned"
    fun cancel(planned: String) = "day_cancel_$planned"
    fun aWhile(id: String) = "day_a_while_$id"
    fun hit(id: String) = "day_hit_$id"
}

private val monthFormat = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.getDefault())

/**
 * The worker's day: today (and days passed, said as "planned for
 * Monday"), this week, and people it has been a while since; each with the
 * person's own preferences in their words and a plain note where a plan is
 * outside them. Plan a visit or call, mark it done or cancel it; search the
 * caseload; the time spent with people.
 */
@Composable
fun WorkDayContent(state: WorkDayUi, actions: WorkDayActions) {
    LazyColumn(
        Modifier.fillMaxSize().testTag(DayTags.DAY),
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        item { Heading(words(Keys.DAY_TITLE)) }
        val planning = state.planning
        if (planning != null) {
            item { PlanForm(planning, state, actions) }
        } else {
            item {
                Button(onClick = { actions.startPlan() }, modifier = Modifier.heightIn(min = MinTouch).testTag(DayTags.PLAN)) {
                    Text(words(Keys.DAY_PLAN))
                }
            }
            if (state.message != null || state.error != null) item {
                Note(state.message)
                Problem(state.error)
            }
        }
        item { DayList(words(Keys.DAY_TODAY), state.todayRows, Keys.DAY_NOTHING_TODAY, state, actions) }
        item { DayList(words(Keys.DAY_THIS_WEEK), state.weekRows, Keys.DAY_NOTHING_WEEK, state, actions) }
        item { AWhileList(state.aWhile, state, actions) }
        item { Search(state, actions) }
        item { TimeWithPeople(state.weeks, state.months) }
    }
}

@Composable
private fun DayList(title: String, rows: List<DayRow>, empty: String, state: WorkDayUi, actions: WorkDayActions) {
    Section(title) {
        if (!state.loading && rows.isEmpty()) Text(words(empty), style = MaterialTheme.typography.bodyMedium)
        rows.forEach { DayCard(it, state.today, actions) }
    }
}

/** When it is planned, in words that never judge: "Call, planned for Mon 2 Mar at 08:00". */
@Composable
private fun whenWords(row: DayRow, today: LocalDate): String {
    val way = row.way
    val time = row.time
    return when {
    way != null && time != null && row.due == today -> words(Keys.DAY_PLANNED_TODAY, plannedWayWords(way), time)
    way != null && time != null -> words(UiText(Keys.DAY_PLANNED_AT, plannedWayWords(way), noteDay(row.due), time))
    row.due == today -> words(Keys.DAY_NEXT_TODAY)
    else -> words(Keys.DAY_NEXT_ON, noteDay(row.due))
    }
}

@Composable
private fun DayCard(row: DayRow, today: LocalDate, actions: WorkDayActions) {
    Card(
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surface),
        modifier = Modifier.fillMaxWidth().testTag(DayTags.row(row.contactId, row.planned)),
    ) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Column(Modifier.fillMaxWidth().semantics(mergeDescendants = true) {}, verticalArrangement = Arrangement.spacedBy(2.dp)) {
                Text(row.name, style = MaterialTheme.typography.titleMedium)
                Text(whenWords(row, today), style = MaterialTheme.typography.bodyMedium)
                row.prefs.forEach { Text(words(it), style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant) }
            }
            row.flags.forEach { Flag(it) }
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                val planned = row.planned
                if (planned != null) {
                    val what = words(plannedWayWords(row.way ?: ContactWay.CALL))
                    val done = words(Keys.DAY_DONE_NAMED, what, row.name)
                    OutlinedButton(
                        onClick = { actions.markDone(planned) },
                        modifier = Modifier.heightIn(min = MinTouch).testTag(DayTags.done(planned)).semantics { contentDescription = done },
                    ) { Text(words(Keys.DAY_DONE)) }
                    val cancel = words(Keys.DAY_CANCEL_NAMED, row.name)
                    TextButton(
                        onClick = { actions.cancelPlanned(planned) },
                        modifier = Modifier.heightIn(min = MinTouch).testTag(DayTags.cancel(planned)).semantics { contentDescription = cancel },
                    ) { Text(words(Keys.DAY_CANCEL)) }
                } else {
                    PlanWith(row.contactId, row.name, actions)
                }
            }
        }
    }
}

/** A plan outside what the person asked for, said plainly on a soft card (not a warning). */
@Composable
private fun Flag(text: UiText) {
    Card(
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.secondaryContainer,
            contentColor = MaterialTheme.colorScheme.onSecondaryContainer,
        ),
        modifier = Modifier.fillMaxWidth(),
    ) {
        Text(words(text), style = MaterialTheme.typography.bodyMedium, modifier = Modifier.padding(horizontal = 12.dp, vertical = 8.dp))
    }
}

@Composable
private fun PlanWith(contactId: String, name: String, actions: WorkDayActions) {
    val label = words(Keys.DAY_PLAN_WITH, name)
    TextButton(
        onClick = { actions.startPlan(contactId) },
        modifier = Modifier.heightIn(min = MinTouch).testTag("day_plan_with_$contactId").semantics { contentDescription = label },
    ) { Text(words(Keys.DAY_PLAN)) }
}

@Composable
private fun AWhileList(rows: List<AWhileRow>, state: WorkDayUi, actions: WorkDayActions) {
    Section(words(Keys.DAY_A_WHILE)) {
        if (!state.loading && rows.isEmpty()) Text(words(Keys.DAY_NOBODY_A_WHILE), style = MaterialTheme.typography.bodyMedium)
        if (rows.isNotEmpty()) Text(words(Keys.DAY_A_WHILE_HINT), style = MaterialTheme.typography.bodyMedium)
        rows.forEach { r ->
            Column(Modifier.fillMaxWidth().testTag(DayTags.aWhile(r.contactId))) {
                Column(Modifier.semantics(mergeDescendants = true) {}) {
                    Text(r.name, style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.SemiBold)
                    Text(
                        r.lastContact?.let { words(Keys.WORK_LAST_CONTACT, noteDay(it)) } ?: words(Keys.WORK_NO_CONTACT_YET),
                        style = MaterialTheme.typography.bodyMedium,
                    )
                }
                PlanWith(r.contactId, r.name, actions)
            }
        }
    }
}

@Composable
private fun PlanForm(d: PlanDraft, state: WorkDayUi, actions: WorkDayActions) {
    Section(words(Keys.WORK_PLAN_TITLE), Modifier.testTag(DayTags.PLAN_FORM)) {
        Problem(state.error)
        Text(words(Keys.PLAN_WHO), style = MaterialTheme.typography.labelLarge)
        NoteChoices(state.contacts.map { it.id.value }, d.contactId, { id -> state.contacts.first { it.id.value == id }.name }, DayTags::who) { id ->
            actions.editPlan { it.copy(contactId = id) }
        }
        Text(words(Keys.PLAN_DAY, noteDay(d.day)), style = MaterialTheme.typography.bodyLarge)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(
                onClick = { actions.editPlan { it.copy(day = it.day.minusDays(1)) } },
                modifier = Modifier.heightIn(min = MinTouch).testTag(DayTags.PLAN_DAY_EARLIER),
            ) { Text(words(Keys.NOTE_DAY_EARLIER)) }
            OutlinedButton(
                onClick = { actions.editPlan { it.copy(day = it.day.plusDays(1)) } },
                modifier = Modifier.heightIn(min = MinTouch).testTag(DayTags.PLAN_DAY_LATER),
            ) { Text(words(Keys.NOTE_DAY_LATER)) }
        }
        OutlinedTextField(
            value = d.time,
            onValueChange = { t -> actions.editPlan { it.copy(time = t) } },
            label = { Text(words(Keys.PLAN_TIME)) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth().testTag(DayTags.PLAN_TIME),
        )
        Text(words(Keys.PLAN_WAY), style = MaterialTheme.typography.labelLarge)
        NoteChoices(ContactWay.entries, d.way, { words(plannedWayWords(it)) }, DayTags::way) { w -> actions.editPlan { it.copy(way = w) } }
        OutlinedTextField(
            value = d.note,
            onValueChange = { t -> actions.editPlan { it.copy(note = t) } },
            label = { Text(words(Keys.PLAN_NOTE)) },
            modifier = Modifier.fillMaxWidth().testTag(DayTags.PLAN_NOTE),
        )
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { actions.savePlan() }, modifier = Modifier.heightIn(min = MinTouch).testTag(DayTags.PLAN_SAVE)) {
                Text(words(Keys.WORK_PLAN_SAVE))
            }
            OutlinedButton(onClick = actions::cancelPlan, modifier = Modifier.heightIn(min = MinTouch).testTag(DayTags.PLAN_CANCEL)) {
                Text(words(Keys.CANCEL))
            }
        }
    }
}

@Composable
private fun Search(state: WorkDayUi, actions: WorkDayActions) {
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(
            value = state.search,
            onValueChange = { actions.search(it) },
            label = { Text(words(Keys.DAY_SEARCH)) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth().testTag(DayTags.SEARCH),
        )
        val hits = state.hits
        if (hits != null && hits.isEmpty()) Text(words(Keys.DAY_SEARCH_NONE), style = MaterialTheme.typography.bodyMedium)
        hits?.forEach { Hit(it) }
    }
}

@Composable
private fun Hit(h: HitRow) {
    Column(Modifier.fillMaxWidth().testTag(DayTags.hit(h.contactId)).semantics(mergeDescendants = true) {}) {
        Text(h.name, style = MaterialTheme.typography.bodyLarge, fontWeight = FontWeight.SemiBold)
        Text(h.lastContact?.let { words(Keys.WORK_LAST_CONTACT, noteDay(it)) } ?: words(Keys.WORK_NO_CONTACT_YET), style = MaterialTheme.typography.bodyMedium)
        h.nextContact?.let { Text(words(Keys.WORK_NEXT_CONTACT, noteDay(it)), style = MaterialTheme.typography.bodyMedium) }
        if (h.notes > 0) Text(words(Keys.DAY_HIT_NOTES, h.notes), style = MaterialTheme.typography.bodyMedium)
    }
}

/** Time with people: this week and month, then the recent weeks and months, in hours and minutes. */
@Composable
fun TimeWithPeople(weeks: List<Period>, months: List<Period>) {
    Section(words(Keys.TIME_TITLE), Modifier.testTag(DayTags.TIME)) {
        weeks.firstOrNull()?.let { Text(words(Keys.TIME_THIS_WEEK, durationWords(it.minutes)), style = MaterialTheme.typography.bodyLarge) }
        months.firstOrNull()?.let { Text(words(Keys.TIME_THIS_MONTH, durationWords(it.minutes)), style = MaterialTheme.typography.bodyLarge) }
        if (weeks.size > 1) {
            Text(words(Keys.TIME_WEEKS), style = MaterialTheme.typography.labelLarge)
            weeks.drop(1).forEach { p -> PeriodLine(words(Keys.TIME_WEEK_OF, noteDay(p.start)), p) }
        }
        if (months.size > 1) {
            Text(words(Keys.TIME_MONTHS), style = MaterialTheme.typography.labelLarge)
            months.drop(1).forEach { p -> PeriodLine(p.start.format(monthFormat), p) }
        }
    }
}

@Composable
private fun PeriodLine(label: String, p: Period) {
    Column(Modifier.fillMaxWidth().semantics(mergeDescendants = true) {}) {
        Text(label, style = MaterialTheme.typography.bodyMedium, fontWeight = FontWeight.SemiBold)
        Text(if (p.contacts == 0 && p.minutes == 0L) words(Keys.TIME_PERIOD_NONE) else words(Keys.TIME_PERIOD, durationWords(p.minutes), p.contacts), style = MaterialTheme.typography.bodyMedium)
    }
}
