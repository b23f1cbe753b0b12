package org.kindred.ui

import androidx.compose.runtime.Composable
import org.kindred.app.CheckInRow
import org.kindred.app.CrisisLine
import org.kindred.app.CrisisLines
import org.kindred.app.FirstRunActions
import org.kindred.app.FirstRunState
import org.kindred.app.FirstRunStep
import org.kindred.app.HelpActions
import org.kindred.app.HelpState
import org.kindred.app.Keys
import org.kindred.app.LockActions
import org.kindred.app.LockMethod
import org.kindred.app.LockState
import org.kindred.app.SettingsActions
import org.kindred.app.SettingsState
import org.kindred.app.TodayActions
import org.kindred.app.TodayState
import org.kindred.app.UiText
import org.kindred.app.WeekBar

/** One screen in a state worth seeing, drawn from its stateless composable. */
class CatalogScreen(val name: String, val content: @Composable () -> Unit)

/**
 * Every screen of the app in the states a reader should see. The
 * accessibility test checks each one (light and dark, font scale 1 and 2)
 * and scripts/screenshots.sh renders each to PNG and the contact sheet.
 * A new screen is added here.
 */
object Catalog {
    private val sampleRows = listOf(
        CheckInRow("c1", 4, UiText(Keys.WHEN_TODAY_AT, "09:30"), 3, listOf("walk", "friends"), "Coffee with Sam helped."),
        CheckInRow("c2", 2, UiText(Keys.WHEN_YESTERDAY_AT, "21:10"), null, listOf("sleep"), null),
        CheckInRow("c3", 3, UiText(Keys.WHEN_DATE_AT, "Mon 2 Mar", "19:00"), 2, emptyList(), null),
    )
    private val sampleWeeks = listOf(
        WeekBar("12 Jan", 2.5, 3), WeekBar("19 Jan", 3.0, 4), WeekBar("26 Jan", null, 0), WeekBar("2 Feb", 3.5, 5),
        WeekBar("9 Feb", 3.2, 6), WeekBar("16 Feb", 4.0, 4), WeekBar("23 Feb", 3.8, 5), WeekBar("2 Mar", 4.2, 3),
    )

    val screens: List<CatalogScreen> get() = core + GoalsCatalog.screens + WorkCatalog.screens + SharingCatalog.screens + SyncCatalog.screens +
        PlanCatalog.screens + PrefsCatalog.screens + DuressCatalog.screens + KitCatalog.screens

    private val core: List<CatalogScreen> = listOf(
        CatalogScreen("help") {
            HelpContent(HelpState(CrisisLines.defaultsFor("US"), canCall = true), object : HelpActions {}, onClose = {})
        },
        CatalogScreen("help-editing") {
            HelpContent(
                HelpState(
                    CrisisLines.defaultsFor("US") + CrisisLine("My sponsor", "555 0100", canText = true),
                    canCall = false, editing = true, newName = "Jo", newNumber = "55",
                    message = UiText(Keys.HELP_NUMBER_RULE),
                ),
                object : HelpActions {}, onClose = {},
            )
        },
        CatalogScreen("help-own-list") {
            HelpContent(
                HelpState(
                    listOf(
                        CrisisLine("988 Suicide & Crisis Lifeline", "988", canText = true, fromDefaults = true, id = "l1"),
                        CrisisLine("Jo (sponsor)", "555 0100", canText = true, id = "l2", whenToUse = "Evenings, when I want a drink"),
                    ),
                    canCall = true, editing = true, own = true, changing = "l2", newName = "Jo (sponsor)", newNumber = "555 0100",
                    newCanText = true, newWhen = "Evenings, when I want a drink", done = UiText(Keys.HELP_LINE_SAVED),
                ),
                object : HelpActions {}, onClose = {},
            )
        },
        CatalogScreen("first-run") {
            FirstRunContent(FirstRunState(deviceName = "Sam's laptop"), object : FirstRunActions {})
        },
        CatalogScreen("first-run-join") {
            FirstRunContent(
                FirstRunState(
                    step = FirstRunStep.JOIN, offer = "kindred-pair:…", canScan = true, waitingForOtherDevice = true, busy = true,
                    pairCode = org.kindred.PairCode("305 718", listOf("🐢", "🌵", "🔑", "🚲")),
                ),
                object : FirstRunActions {},
            )
        },
        CatalogScreen("first-run-lock") {
            FirstRunContent(
                FirstRunState(step = FirstRunStep.LOCK, deviceLockAvailable = true, biometricsAvailable = true, pin = "12"),
                object : FirstRunActions {},
            )
        },
        CatalogScreen("lock") { LockContent(LockState(pin = "12", biometrics = true), object : LockActions {}) },
        CatalogScreen("lock-waiting") {
            LockContent(LockState(waiting = true, message = UiText(Keys.LOCK_WAIT_UNTIL, "10:31:00")), object : LockActions {})
        },
        CatalogScreen("today-empty") { TodayContent(TodayState(loaded = true), object : TodayActions {}) },
        CatalogScreen("today") {
            TodayContent(TodayState(loaded = true, recent = sampleRows, weeks = sampleWeeks), object : TodayActions {})
        },
        CatalogScreen("today-checking-in") {
            TodayContent(
                TodayState(
                    loaded = true, mood = 4, energy = 3, tags = listOf("walk"), suggestedTags = listOf("walk", "sleep", "friends"),
                    note = "A good walk", daysBack = 1, partOfDay = org.kindred.app.PartOfDay.EVENING,
                    recent = sampleRows, weeks = sampleWeeks,
                ),
                object : TodayActions {},
            )
        },
        CatalogScreen("today-delete-forever") {
            TodayContent(TodayState(loaded = true, recent = sampleRows, confirmErase = "c1"), object : TodayActions {})
        },
        CatalogScreen("today-deleted-forever") {
            TodayContent(
                TodayState(
                    loaded = true, recent = sampleRows.drop(1), weeks = sampleWeeks,
                    message = UiText(Keys.ERASE_DONE_EVERYWHERE, UiText(Keys.ERASE_WHAT_CHECK_IN)),
                ),
                object : TodayActions {},
            )
        },
        CatalogScreen("settings") {
            SettingsContent(
                SettingsState(
                    lockMethod = LockMethod.BIOMETRIC_OR_PIN, biometricsAvailable = true, deviceLockAvailable = true, remindersOn = true,
                    server = "https://sync.example.org", serverDraft = "https://sync.example.org", duressAvailable = true,
                ),
                object : SettingsActions {},
            )
        },
        CatalogScreen("settings-erase-everything") {
            SettingsContent(
                SettingsState(lockMethod = LockMethod.PIN, server = "https://sync.example.org", serverDraft = "https://sync.example.org", eraseStep = 1),
                object : SettingsActions {}, SharingCatalog.atTheEnd(),
            )
        },
        CatalogScreen("settings-erase-last-step") {
            SettingsContent(
                SettingsState(lockMethod = LockMethod.PIN, server = "https://sync.example.org", serverDraft = "https://sync.example.org", eraseStep = 2),
                object : SettingsActions {}, SharingCatalog.atTheEnd(),
            )
        },
        CatalogScreen("settings-erased") {
            SettingsContent(
                SettingsState(
                    lockMethod = LockMethod.PIN, server = "https://sync.example.org", serverDraft = "https://sync.example.org",
                    eraseMessage = UiText(Keys.ERASE_WAITING, UiText(Keys.ERASE_WHAT_EVERYTHING)),
                ),
                object : SettingsActions {}, SharingCatalog.atTheEnd(),
            )
        },
        CatalogScreen("settings-plain-http") {
            SettingsContent(
                SettingsState(
                    lockMethod = LockMethod.NONE,
                    serverDraft = "http://sync.example.org", serverMessage = UiText(Keys.SETTINGS_SERVER_PLAIN_HTTP),
                ),
                object : SettingsActions {},
            )
        },
        CatalogScreen("settings-no-screen-lock") {
            SettingsContent(
                SettingsState(
                    lockMethod = LockMethod.DEVICE, deviceLockMissing = true, notificationsBlocked = true, workArea = true,
                    serverDraft = "sync.example.org", serverMessage = UiText(Keys.SETTINGS_SERVER_RULE),
                ),
                object : SettingsActions {},
            )
        },
    )
}
