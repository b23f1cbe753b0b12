package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.format.DateTimeFormatter
import java.util.Locale
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch
import org.kindred.app.Keys
import org.kindred.app.NoteEditorModel
import org.kindred.app.UiText
import org.kindred.app.WorkModel
import org.kindred.app.WorkDayModel
import org.kindred.app.SharedPlansModel
import org.kindred.app.ResourcesModel
import org.kindred.app.WorkView
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.runtime.LaunchedEffect

/** Test tags of the caseload and the note editor (never shown). */
object WorkTags {
    const val CASELOAD = "work_caseload"
    const val SEARCH = "work_search"
    const val NEW_NAME = "work_new_name"
    const val ADD = "work_add"
    const val NEW_NOTE = "work_new_note"
    fun view(v: WorkView) = "work_view_${v.name.lowercase()}"
    fun link(id: String, space: String?) = "caseload_link_${id}_${space ?: "none"}"
    fun person(id: String) = "caseload_$id"
    fun due(id: String) = "due_$id"
    fun draft(noteId: String) = "draft_$noteId"
    fun signed(noteId: String) = "signed_$noteId"
    fun erase(id: String) = "caseload_erase_$id"
    fun because(r: org.kindred.KeptRecordReason) = "caseload_erase_because_${r.stored}"
    const val ERASE_YES = "caseload_erase_yes"
    const val ERASE_NO = "caseload_erase_no"

    const val EDITOR = "note_editor"
    const val CONFIRMING = "note_confirming"
    const val SIGNED = "note_signed_view"
    fun contact(id: String) = "note_contact_$id"
    fun type(stored: String) = "note_type_$stored"
    fun setting(stored: String) = "note_setting_$stored"
    fun length(minutes: Int) = "note_length_$minutes"
    fun next(weeks: Int) = "note_next_$weeks"
    const val START_EARLIER = "note_start_earlier"
    const val START_LATER = "note_start_later"
    const val DAY_EARLIER = "note_day_earlier"
    const val DAY_LATER = "note_day_later"
    const val GOALS = "note_goals"
    const val ACTIVITIES = "note_activities"
    const val NARRATIVE = "note_narrative"
    const val OWN_WORDS = "note_own_words"
    const val STRENGTHS = "note_strengths"
    const val NEXT_STEPS = "note_next_steps"
    const val SUBSTANCE_USE = "note_substance_use"
    const val SIGN = "note_sign"
    const val CONFIRM_SIGN = "note_confirm_sign"
    const val KEEP_WRITING = "note_keep_writing"
    const val BACK = "note_back"
    const val ADDENDUM = "note_addendum"
    const val ADD_ADDENDUM = "note_add_addendum"
    const val ANOTHER_NOTE = "note_another"
}

/** Moving between the caseload and the note editor (no-ops by default, for the catalog). */
interface WorkNavigation {
    fun newNote() {}
    fun openNote(noteId: String) {}
    fun backToCaseload() {}
}

/**
 * The work area: the caseload, or the note editor over it. The editor's
 * holder lives in the session, so a note half-written when the worker
 * switches tabs is saved ([NoteEditorModel.leave]) and still open when
 * they come back; it is also in the drafts list.
 */
@Composable
fun WorkScreen(
    model: WorkModel,
    editor: NoteEditorModel,
    day: WorkDayModel? = null,
    plans: SharedPlansModel? = null,
    resources: ResourcesModel? = null,
) {
    val state by model.state.collectAsState()
    val scope = rememberCoroutineScope()
    val nav = remember(model, editor) { SessionNavigation(model, editor, scope) }
    // Another tab, or the app closing this screen: whatever is typed is saved now.
    DisposableEffect(model, editor) {
        onDispose { if (model.state.value.editorOpen) editor.leave() }
    }
    if (state.editorOpen) {
        NoteEditorScreen(editor, nav)
        return
    }
    if (day == null) {
        CaseloadContent(state, model, nav)
        return
    }
    Column(Modifier.fillMaxSize()) {
        WorkViews(state.view, model::showView)
        Box(Modifier.weight(1f).fillMaxWidth()) {
            when (state.view) {
                WorkView.DAY -> {
                    val s by day.state.collectAsState()
                    LaunchedEffect(day) { day.refresh() }
                    WorkDayContent(s, day)
                }
                WorkView.CASELOAD -> CaseloadContent(state, model, nav)
                WorkView.PLANS -> if (plans != null) {
                    val s by plans.state.collectAsState()
                    LaunchedEffect(plans) { plans.refresh() }
                    SharedPlansContent(s, plans)
                }
                WorkView.RESOURCES -> if (resources != null) ResourcesScreen(resources)
            }
        }
    }
}

/** The views of the work area, as picked chips above them. */
@Composable
fun WorkViews(view: WorkView, show: (WorkView) -> Unit) {
    FlowRow(
        Modifier.fillMaxWidth().padding(start = 16.dp, end = 16.dp, top = 8.dp).selectableGroup(),
        horizontalArrangement = Arrangement.spacedBy(8.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        WorkView.entries.forEach { v ->
            val key = when (v) {
                WorkView.DAY -> Keys.WORK_VIEW_DAY
                WorkView.CASELOAD -> Keys.WORK_VIEW_CASELOAD
                WorkView.PLANS -> Keys.WORK_VIEW_PLANS
                WorkView.RESOURCES -> Keys.WORK_VIEW_RESOURCES
            }
            ChoiceChip(words(key), v == view, WorkTags.view(v)) { show(v) }
        }
    }
}

/** Each move waits for the editor's save, so the caseload read next shows the draft. */
private class SessionNavigation(
    private val work: WorkModel,
    private val editor: NoteEditorModel,
    private val scope: CoroutineScope,
) : WorkNavigation {
    override fun newNote() {
        scope.launch {
            editor.startNew().join()
            work.showEditor()
        }
    }

    override fun openNote(noteId: String) {
        scope.launch {
            editor.open(noteId).join()
            work.showEditor()
        }
    }

    override fun backToCaseload() {
        scope.launch {
            editor.leave().join()
            work.showCaseload()
        }
    }
}

private val dayFormat = DateTimeFormatter.ofPattern("EEE d MMM", Locale.getDefault())
private val timeFormat = DateTimeFormatter.ofPattern("HH:mm", Locale.getDefault())

/** A day as the work area shows it ("Wed 4 Mar"). */
fun noteDay(d: LocalDate): String = d.format(dayFormat)

/** A moment as the work area shows it ("Wed 4 Mar, 10:00"). */
fun noteMoment(t: OffsetDateTime): String = "${t.format(dayFormat)}, ${t.format(timeFormat)}"

fun noteTime(t: OffsetDateTime): String = t.format(timeFormat)

/** [text] in words, its dates and times written for a reader (not as stored). */
@Composable
fun readableNoteText(text: UiText): String {
    if (text.key == Keys.NOTE_WHEN_VALUE && text.args.size == 2) {
        val start = text.args[0] as? OffsetDateTime
        val end = text.args[1] as? OffsetDateTime
        if (start != null && end != null) {
            val endText = if (end.toLocalDate() == start.toLocalDate()) noteTime(end) else noteMoment(end)
            return words(Keys.NOTE_WHEN_VALUE, noteMoment(start), endText)
        }
    }
    val args = text.args.map {
        when (it) {
            is OffsetDateTime -> noteMoment(it)
            is LocalDate -> noteDay(it)
            else -> it
        }
    }
    return words(UiText(text.key, args))
}

/** A group of [ChoiceChip]s, one of which is picked. */
@Composable
fun <T> NoteChoices(options: List<T>, chosen: T?, label: @Composable (T) -> String, tag: (T) -> String, pick: (T) -> Unit) {
    FlowRow(
        Modifier.fillMaxWidth().selectableGroup(),
        horizontalArrangement = Arrangement.spacedBy(8.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        options.forEach { o -> ChoiceChip(label(o), o == chosen, tag(o)) { pick(o) } }
    }
}
