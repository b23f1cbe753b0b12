package org.kindred.app

/**
 * Words for a screen, as a key into the platform's string resources
 * (Android `strings.xml`, iOS `Localizable.strings`) plus arguments. The
 * logic here never holds English text itself: every word a person sees is
 * in the resource files, where it can be reviewed and translated.
 */
data class UiText(val key: String, val args: List<Any> = emptyList()) {
    constructor(key: String, vararg args: Any) : this(key, args.toList())
}

/** Every key the shared logic uses; each must exist in both apps' resources. */
object Keys {
    const val MOOD_1 = "mood_1"
    const val MOOD_2 = "mood_2"
    const val MOOD_3 = "mood_3"
    const val MOOD_4 = "mood_4"
    const val MOOD_5 = "mood_5"
    const val CHECKIN_SAVED = "checkin_saved"
    const val CHECKIN_PICK_MOOD = "checkin_pick_mood"
    const val GOAL_ACTIVE = "goal_status_active"
    const val GOAL_PAUSED = "goal_status_paused"
    const val GOAL_ACHIEVED = "goal_status_achieved"
    const val GOAL_LET_GO = "goal_status_let_go"
    const val GOAL_STEPS_PROGRESS = "goal_steps_progress"
    const val GOAL_NO_STEPS = "goal_no_steps"
    const val SYNC_ALL_SAVED = "sync_all_saved"
    const val SYNC_WAITING = "sync_waiting"
    const val SYNC_NOT_SET_UP = "sync_not_set_up"
    const val SYNC_SEEN_BY = "sync_seen_by"
    const val SYNC_NOT_YET_SEEN_BY = "sync_not_yet_seen_by"
    const val SYNC_PROBLEM = "sync_problem"
    const val SAS_COMPARE = "sas_compare"
    const val NOTE_DRAFT_SAVED = "note_draft_saved"
    const val NOTE_SIGNED_BY = "note_signed_by"
    const val NOTE_WORDS_CHANGED = "note_words_changed"
    const val SHARE_WITH = "share_with"
    const val SHARE_NOTHING = "share_nothing"

    val all: List<String> = listOf(
        MOOD_1, MOOD_2, MOOD_3, MOOD_4, MOOD_5, CHECKIN_SAVED, CHECKIN_PICK_MOOD,
        GOAL_ACTIVE, GOAL_PAUSED, GOAL_ACHIEVED, GOAL_LET_GO, GOAL_STEPS_PROGRESS, GOAL_NO_STEPS,
        SYNC_ALL_SAVED, SYNC_WAITING, SYNC_NOT_SET_UP, SYNC_SEEN_BY, SYNC_NOT_YET_SEEN_BY, SYNC_PROBLEM,
        SAS_COMPARE, NOTE_DRAFT_SAVED, NOTE_SIGNED_BY, NOTE_WORDS_CHANGED, SHARE_WITH, SHARE_NOTHING,
    )
}
