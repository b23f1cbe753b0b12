package org.kindred.app

import java.time.OffsetDateTime
import org.kindred.KindredStore

/**
 * The Today screen's quick check-in: tap a mood, tap save (two taps), with
 * optional tags and a note. Holds what the person picked until it is
 * saved; nothing is lost if the screen is rebuilt (the platform keeps this
 * object across rotations).
 */
class QuickCheckIn(private val now: () -> OffsetDateTime = OffsetDateTime::now) {
    var mood: Int? = null
        private set
    var energy: Int? = null
    var note: String = ""
    private val chosenTags = linkedSetOf<String>()
    val tags: List<String> get() = chosenTags.toList()

    /** The five moods, low to high, with the words for each. */
    val moods: List<Pair<Int, UiText>> =
        (1..5).map { it to UiText("mood_$it") }

    fun pickMood(value: Int) {
        require(value in 1..5) { "a mood is 1 to 5" }
        mood = value
    }

    fun toggleTag(tag: String) {
        val t = tag.trim()
        if (t.isEmpty()) return
        if (!chosenTags.remove(t)) chosenTags += t
    }

    val canSave: Boolean get() = mood != null

    /** Saves through the core; on success the holder is fresh again. */
    suspend fun save(store: KindredStore): UiText {
        val m = mood ?: return UiText(Keys.CHECKIN_PICK_MOOD)
        store.addCheckIn(m, energy, tags, note.trim().ifEmpty { null }, now())
        mood = null
        energy = null
        note = ""
        chosenTags.clear()
        return UiText(Keys.CHECKIN_SAVED)
    }
}
