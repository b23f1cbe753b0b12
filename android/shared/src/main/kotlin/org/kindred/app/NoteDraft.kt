package org.kindred.app

import java.time.Duration
import java.time.Instant

/**
 * Autosave for an editor whose whole form is one value [T]: every change
 * marks the draft changed; it is written [quiet] after the last change,
 * or at once when the editor closes, so nothing typed on a visit is lost.
 *
 * The whole form is compared, not only its text: a box ticked after the
 * last autosave is a change like any other. Before signing, [saveEverything]
 * writes every field whether or not it looks changed.
 */
class NoteDraft<T>(
    initial: T,
    private val quiet: Duration = Duration.ofSeconds(2),
    private val clock: () -> Instant = Instant::now,
) {
    var value: T = initial
        private set
    private var changedAt: Instant? = null

    /** What was last written; null before the first save. */
    var saved: T? = null
        private set

    fun edit(newValue: T) {
        if (newValue == value) return
        value = newValue
        changedAt = clock()
    }

    /** Takes [loaded] as already saved (a draft reopened from the store). */
    fun reset(loaded: T) {
        value = loaded
        saved = loaded
        changedAt = null
    }

    val dirty: Boolean get() = value != saved

    /** True when a save is due now (a pause in typing, with unsaved changes). */
    fun saveDue(): Boolean {
        val at = changedAt ?: return false
        return dirty && Duration.between(at, clock()) >= quiet
    }

    /** Saves through `write` if anything changed; `force` ignores the pause. */
    suspend fun saveIfDue(force: Boolean = false, write: suspend (T) -> Unit): UiText? {
        if (!dirty || (!force && !saveDue())) return null
        return saveEverything(write)
    }

    /** Writes every field now, changed or not (what signing needs). */
    suspend fun saveEverything(write: suspend (T) -> Unit): UiText {
        val v = value
        write(v)
        saved = v
        return UiText(Keys.NOTE_DRAFT_SAVED)
    }
}
