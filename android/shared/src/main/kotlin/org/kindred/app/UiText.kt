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

    // Errors from the core, as words (errorText in StateHolder.kt)
    const val ERROR_CHECK_THIS = "error_check_this"
    const val ERROR_NOT_FOUND = "error_not_found"
    const val ERROR_NOT_ALLOWED = "error_not_allowed"
    const val ERROR_OFFLINE = "error_offline"
    const val ERROR_SYNC = "error_sync"
    const val ERROR_PAIRING = "error_pairing"
    const val ERROR_KEY = "error_key"
    const val ERROR_SOMETHING = "error_something"

    // Goals
    const val GOAL_TITLE_NEEDED = "goal_title_needed"
    const val GOAL_ADDED = "goal_added"
    const val STEP_TEXT_NEEDED = "step_text_needed"
    const val STEP_ADDED = "step_added"
    const val STEP_DONE = "step_done"
    const val PROGRESS_TEXT_NEEDED = "progress_text_needed"
    const val PROGRESS_ADDED = "progress_added"
    const val GOAL_RESUME = "goal_resume"
    const val GOAL_PAUSE = "goal_pause"
    const val GOAL_MARK_ACHIEVED = "goal_mark_achieved"
    const val GOAL_LET_GO_ACTION = "goal_let_go"
    const val GOAL_MOVED_ACTIVE = "goal_moved_active"
    const val GOAL_MOVED_PAUSED = "goal_moved_paused"
    const val GOAL_MOVED_ACHIEVED = "goal_moved_achieved"
    const val GOAL_MOVED_LET_GO = "goal_moved_let_go"

    // Work area: caseload and the note editor
    const val CONTACT_NAME_NEEDED = "contact_name_needed"
    const val CONTACT_ADDED = "contact_added"
    const val NOTE_CONTACT = "note_contact"
    const val NOTE_WHEN = "note_when"
    const val NOTE_WHEN_VALUE = "note_when_value"
    const val NOTE_TYPE = "note_type"
    const val NOTE_SETTING = "note_setting"
    const val NOTE_GOALS = "note_goals"
    const val NOTE_ACTIVITIES = "note_activities"
    const val NOTE_NARRATIVE = "note_narrative"
    const val NOTE_OWN_WORDS = "note_own_words"
    const val NOTE_STRENGTHS = "note_strengths"
    const val NOTE_NEXT_STEPS = "note_next_steps"
    const val NOTE_NEXT_CONTACT = "note_next_contact"
    const val NOTE_SUBSTANCE_USE = "note_substance_use"
    const val NOTE_CHOOSE_CONTACT = "note_choose_contact"
    const val NOTE_NARRATIVE_NEEDED = "note_narrative_needed"
    const val NOTE_END_BEFORE_START = "note_end_before_start"
    const val NOTE_SIGNED = "note_signed"
    const val ADDENDUM_TEXT_NEEDED = "addendum_text_needed"
    const val ADDENDUM_ADDED = "addendum_added"
    const val DATE_VALUE = "date_value"
    const val YES = "yes"
    const val NO = "no"

    // Sharing and devices
    const val PAIR_ADDED = "pair_added"
    const val INVITE_CODE_NEEDED = "invite_code_needed"
    const val INVITE_STOPPED = "invite_stopped"
    const val INVITE_DONE = "invite_done"
    const val INVITE_DIFFERENT = "invite_different"
    const val SHARE_ENDED = "share_ended"
    const val DEVICE_REMOVED = "device_removed"

    // Sync you can trust
    const val SYNC_SEEN_OWN = "sync_seen_own"
    const val SYNC_NOT_YET_SEEN_OWN = "sync_not_yet_seen_own"
    const val SYNC_SEEN_SHARED = "sync_seen_shared"
    const val SYNC_NOT_YET_SEEN_SHARED = "sync_not_yet_seen_shared"
    const val SYNC_QUARANTINED = "sync_quarantined"
    const val SYNC_LAST_UNFINISHED = "sync_last_unfinished"
    const val SYNC_OFFLINE = "sync_offline"
    const val SYNC_NOT_ALLOWED = "sync_not_allowed"
    const val SYNC_CHECK_SERVER = "sync_check_server"
    const val SYNC_SERVER_TROUBLE = "sync_server_trouble"
    const val SYNC_ADD_SERVER = "sync_add_server"
    const val SYNC_DONE = "sync_done"
    const val SYNC_DONE_NEW = "sync_done_new"
    const val SYNC_FIRST_TIME = "sync_first_time"

    // Labels of the goals, work, sharing and sync screens
    const val CANCEL = "cancel"
    const val DEVICES_TITLE = "devices_title"
    const val DEVICE_REMOVE = "device_remove"
    const val DEVICE_REMOVE_CONFIRM = "device_remove_confirm"
    const val DEVICE_THIS = "device_this"
    const val GOALS_EMPTY = "goals_empty"
    const val GOALS_TITLE = "goals_title"
    const val GOAL_ADD = "goal_add"
    const val GOAL_ADD_PROGRESS = "goal_add_progress"
    const val GOAL_ADD_STEP = "goal_add_step"
    const val GOAL_AREA = "goal_area"
    const val GOAL_BACK = "goal_back"
    const val GOAL_NO_TARGET = "goal_no_target"
    const val GOAL_PROGRESS = "goal_progress"
    const val GOAL_PROGRESS_HINT = "goal_progress_hint"
    const val GOAL_SHARED_BADGE = "goal_shared_badge"
    const val GOAL_STEPS = "goal_steps"
    const val GOAL_STEP_HINT = "goal_step_hint"
    const val GOAL_TARGET = "goal_target"
    const val GOAL_TARGET_3_MONTHS = "goal_target_3_months"
    const val GOAL_TARGET_6_MONTHS = "goal_target_6_months"
    const val GOAL_TARGET_MONTH = "goal_target_month"
    const val GOAL_TARGET_VALUE = "goal_target_value"
    const val GOAL_TARGET_YEAR = "goal_target_year"
    const val GOAL_TITLE_HINT = "goal_title_hint"
    const val GOAL_WHY_HINT = "goal_why_hint"
    const val GOAL_WHY_LABEL = "goal_why_label"
    const val INVITE_AGAIN = "invite_again"
    const val INVITE_CODE_HINT = "invite_code_hint"
    const val INVITE_CODE_LABEL = "invite_code_label"
    const val INVITE_COMPARE_TITLE = "invite_compare_title"
    const val INVITE_CONFIRMING = "invite_confirming"
    const val INVITE_CREATE = "invite_create"
    const val INVITE_JOIN = "invite_join"
    const val NOTE_ADDENDA = "note_addenda"
    const val NOTE_ADDENDUM_HINT = "note_addendum_hint"
    const val NOTE_ADD_ADDENDUM = "note_add_addendum"
    const val NOTE_BACK = "note_back"
    const val NOTE_CHOOSE_CONTACT_FIRST = "note_choose_contact_first"
    const val NOTE_CONFIRM_DETAIL = "note_confirm_detail"
    const val NOTE_CONFIRM_SIGN = "note_confirm_sign"
    const val NOTE_CONFIRM_TITLE = "note_confirm_title"
    const val NOTE_KEEP_WRITING = "note_keep_writing"
    const val NOTE_LENGTH = "note_length"
    const val NOTE_LIST_HINT = "note_list_hint"
    const val NOTE_MINUTES = "note_minutes"
    const val NOTE_NEW = "note_new"
    const val NOTE_NEXT_MONTH = "note_next_month"
    const val NOTE_NEXT_NONE = "note_next_none"
    const val NOTE_NEXT_TWO_WEEKS = "note_next_two_weeks"
    const val NOTE_NEXT_WEEK = "note_next_week"
    const val NOTE_SAVE_HINT = "note_save_hint"
    const val NOTE_SIGN = "note_sign"
    const val NOTE_START_EARLIER = "note_start_earlier"
    const val NOTE_START_LATER = "note_start_later"
    const val PAIR_HIDE = "pair_hide"
    const val PAIR_OFFER_TEXT = "pair_offer_text"
    const val PAIR_QR_DESCRIPTION = "pair_qr_description"
    const val PAIR_SHOW_OFFER = "pair_show_offer"
    const val PAIR_WAITING = "pair_waiting"
    const val SAS_DIFFER = "sas_differ"
    const val SAS_MATCH = "sas_match"
    const val SHARE_END = "share_end"
    const val SHARE_END_CONFIRM = "share_end_confirm"
    const val SHARE_GOALS_LIST = "share_goals_list"
    const val SHARE_TITLE = "share_title"
    const val SHARING_TITLE = "sharing_title"
    const val SYNC_LAST = "sync_last"
    const val SYNC_NEVER = "sync_never"
    const val SYNC_NOW = "sync_now"
    const val SYNC_OPEN_SETTINGS = "sync_open_settings"
    const val SYNC_PENDING = "sync_pending"
    const val SYNC_SYNCING = "sync_syncing"
    const val SYNC_TITLE = "sync_title"
    const val SYNC_TRY_AGAIN = "sync_try_again"
    const val WORK_ADD_CONTACT = "work_add_contact"
    const val WORK_CONTACT_NAME_HINT = "work_contact_name_hint"
    const val WORK_DRAFTS = "work_drafts"
    const val WORK_DUE_THIS_WEEK = "work_due_this_week"
    const val WORK_EMPTY = "work_empty"
    const val WORK_LAST_CONTACT = "work_last_contact"
    const val WORK_NEXT_CONTACT = "work_next_contact"
    const val WORK_NOBODY_DUE = "work_nobody_due"
    const val WORK_NO_CONTACT_YET = "work_no_contact_yet"
    const val WORK_NO_DRAFTS = "work_no_drafts"
    const val WORK_OPEN_DRAFT = "work_open_draft"
    const val WORK_SEARCH = "work_search"
    const val WORK_TITLE = "work_title"

    val all: List<String> = listOf(
        MOOD_1, MOOD_2, MOOD_3, MOOD_4, MOOD_5, CHECKIN_SAVED, CHECKIN_PICK_MOOD,
        GOAL_ACTIVE, GOAL_PAUSED, GOAL_ACHIEVED, GOAL_LET_GO, GOAL_STEPS_PROGRESS, GOAL_NO_STEPS,
        SYNC_ALL_SAVED, SYNC_WAITING, SYNC_NOT_SET_UP, SYNC_SEEN_BY, SYNC_NOT_YET_SEEN_BY, SYNC_PROBLEM,
        SAS_COMPARE, NOTE_DRAFT_SAVED, NOTE_SIGNED_BY, NOTE_WORDS_CHANGED, SHARE_WITH, SHARE_NOTHING,
    ) + workKeys

    /** The keys of the goals, work, sharing and sync screens (and their families). */
    private val workKeys: List<String>
        get() = listOf(
            ERROR_CHECK_THIS, ERROR_NOT_FOUND, ERROR_NOT_ALLOWED, ERROR_OFFLINE, ERROR_SYNC, ERROR_PAIRING,
            ERROR_KEY, ERROR_SOMETHING,
            GOAL_TITLE_NEEDED, GOAL_ADDED, STEP_TEXT_NEEDED, STEP_ADDED, STEP_DONE, PROGRESS_TEXT_NEEDED,
            PROGRESS_ADDED, GOAL_RESUME, GOAL_PAUSE, GOAL_MARK_ACHIEVED, GOAL_LET_GO_ACTION, GOAL_MOVED_ACTIVE,
            GOAL_MOVED_PAUSED, GOAL_MOVED_ACHIEVED, GOAL_MOVED_LET_GO,
            CONTACT_NAME_NEEDED, CONTACT_ADDED, NOTE_CONTACT, NOTE_WHEN, NOTE_WHEN_VALUE, NOTE_TYPE, NOTE_SETTING,
            NOTE_GOALS, NOTE_ACTIVITIES, NOTE_NARRATIVE, NOTE_OWN_WORDS, NOTE_STRENGTHS, NOTE_NEXT_STEPS,
            NOTE_NEXT_CONTACT, NOTE_SUBSTANCE_USE, NOTE_CHOOSE_CONTACT, NOTE_NARRATIVE_NEEDED, NOTE_END_BEFORE_START,
            NOTE_SIGNED, ADDENDUM_TEXT_NEEDED, ADDENDUM_ADDED, DATE_VALUE, YES, NO,
            PAIR_ADDED, INVITE_CODE_NEEDED, INVITE_STOPPED, INVITE_DONE, INVITE_DIFFERENT, SHARE_ENDED, DEVICE_REMOVED,
            SYNC_SEEN_OWN, SYNC_NOT_YET_SEEN_OWN, SYNC_SEEN_SHARED, SYNC_NOT_YET_SEEN_SHARED, SYNC_QUARANTINED,
            SYNC_LAST_UNFINISHED, SYNC_OFFLINE, SYNC_NOT_ALLOWED, SYNC_CHECK_SERVER, SYNC_SERVER_TROUBLE,
            SYNC_ADD_SERVER, SYNC_DONE, SYNC_DONE_NEW, SYNC_FIRST_TIME,
            CANCEL, DEVICES_TITLE, DEVICE_REMOVE, DEVICE_REMOVE_CONFIRM, DEVICE_THIS, GOALS_EMPTY, GOALS_TITLE, GOAL_ADD, GOAL_ADD_PROGRESS, GOAL_ADD_STEP, GOAL_AREA, GOAL_BACK, GOAL_NO_TARGET, GOAL_PROGRESS, GOAL_PROGRESS_HINT, GOAL_SHARED_BADGE, GOAL_STEPS, GOAL_STEP_HINT, GOAL_TARGET, GOAL_TARGET_3_MONTHS, GOAL_TARGET_6_MONTHS, GOAL_TARGET_MONTH, GOAL_TARGET_VALUE, GOAL_TARGET_YEAR, GOAL_TITLE_HINT, GOAL_WHY_HINT, GOAL_WHY_LABEL, INVITE_AGAIN, INVITE_CODE_HINT, INVITE_CODE_LABEL, INVITE_COMPARE_TITLE, INVITE_CONFIRMING, INVITE_CREATE, INVITE_JOIN, NOTE_ADDENDA, NOTE_ADDENDUM_HINT, NOTE_ADD_ADDENDUM, NOTE_BACK, NOTE_CHOOSE_CONTACT_FIRST, NOTE_CONFIRM_DETAIL, NOTE_CONFIRM_SIGN, NOTE_CONFIRM_TITLE, NOTE_KEEP_WRITING, NOTE_LENGTH, NOTE_LIST_HINT, NOTE_MINUTES, NOTE_NEW, NOTE_NEXT_MONTH, NOTE_NEXT_NONE, NOTE_NEXT_TWO_WEEKS, NOTE_NEXT_WEEK, NOTE_SAVE_HINT, NOTE_SIGN, NOTE_START_EARLIER, NOTE_START_LATER, PAIR_HIDE, PAIR_OFFER_TEXT, PAIR_QR_DESCRIPTION, PAIR_SHOW_OFFER, PAIR_WAITING, SAS_DIFFER, SAS_MATCH, SHARE_END, SHARE_END_CONFIRM, SHARE_GOALS_LIST, SHARE_TITLE, SHARING_TITLE, SYNC_LAST, SYNC_NEVER, SYNC_NOW, SYNC_OPEN_SETTINGS, SYNC_PENDING, SYNC_SYNCING, SYNC_TITLE, SYNC_TRY_AGAIN, WORK_ADD_CONTACT, WORK_CONTACT_NAME_HINT, WORK_DRAFTS, WORK_DUE_THIS_WEEK, WORK_EMPTY, WORK_LAST_CONTACT, WORK_NEXT_CONTACT, WORK_NOBODY_DUE, WORK_NO_CONTACT_YET, WORK_NO_DRAFTS, WORK_OPEN_DRAFT, WORK_SEARCH, WORK_TITLE,
        ) + org.kindred.LifeArea.entries.map { areaKey(it) } +
            CONTACT_TYPES.map(::contactTypeKey) + SETTINGS.map(::settingKey) +
            listOf("owner", "writer", "reader").map(::roleKey)
}
