package org.kindred.app

import java.time.Duration
import java.time.Instant

/**
 * Autosave for the note editor: every keystroke marks the draft changed;
 * it is written [quiet] after the last keystroke, or at once when the
 * editor closes, so nothing typed on a visit is lost.
 */
class NoteDraft(
    private val quiet: Duration = Duration.ofSeconds(2),
    private val clock: () -> Instant = Instant::now,
) {
    var text: String = ""
        private set
    private var changedAt: Instant? = null
    var savedText: String = ""
        private set

    fun edit(newText: String) {
        if (newText == text) return
        text = newText
        changedAt = clock()
    }

    val dirty: Boolean get() = text != savedText

    /** True when a save is due now (a pause in typing, with unsaved words). */
    fun saveDue(): Boolean {
        val at = changedAt ?: return false
        return dirty && Duration.between(at, clock()) >= quiet
    }

    /** Saves through `write` if anything changed; `force` ignores the pause. */
    fun saveIfDue(force: Boolean = false, write: (String) -> Unit): UiText? {
        if (!dirty || (!force && !saveDue())) return null
        write(text)
        savedText = text
        return UiText(Keys.NOTE_DRAFT_SAVED)
    }
}
