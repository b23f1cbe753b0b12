package org.kindred.ui

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.kindred.app.FirstRunActions
import org.kindred.app.FirstRunState
import org.kindred.app.FirstRunStep
import org.kindred.app.KitActions
import org.kindred.app.KitAsk
import org.kindred.app.KitCheck
import org.kindred.app.KitShareView
import org.kindred.app.KitState
import org.kindred.app.KitStep
import org.kindred.app.LockMethod
import org.kindred.app.SettingsActions
import org.kindred.app.SettingsState
import org.kindred.app.Keys
import org.kindred.app.QrCode
import org.kindred.app.RestoreForm
import org.kindred.app.TodayActions
import org.kindred.app.TodayState
import org.kindred.app.UiText

/** The recovery kit's screens (issue 16) in the states worth seeing (part of [Catalog]). */
object KitCatalog {
    private val none = object : KitActions {}
    private val firstRun = object : FirstRunActions {}

    /** Sample words (display only: not anybody's kit). */
    private val sample = "river candle orbit gentle maple velvet honey pilot artwork soft tunnel brisk".split(' ')
    private val status = KitState(loaded = true, serverSet = true)
    private val all = UiText(
        Keys.KIT_COMMA, UiText(Keys.KIT_WHAT_PERSONAL),
        UiText(Keys.KIT_AND_TWO, UiText(Keys.KIT_WHAT_CASELOAD), UiText(Keys.KIT_WHAT_SHARED)),
    )
    private val shown = status.copy(
        hasKit = true, step = KitStep.SHOW, words = sample,
        qr = QrCode.of("kindred-kit:1:" + sample.joinToString("-")),
        asks = listOf(KitAsk(null, 3), KitAsk(null, 9)),
    )
    private val shares = (1..3).map { n ->
        val words = sample.drop(n).plus(sample.take(n))
        KitShareView(n, words, "share $n of 3: " + words.joinToString(" "))
    }
    private val typed = "river candle orbt gentle maple velvet"
    private val restoring = FirstRunState(
        step = FirstRunStep.RESTORE, deviceName = "Sam's new phone", canScan = true,
        restore = RestoreForm(
            server = "https://sync.example.org", words = typed,
            wordsCheck = KitCheck(count = 6, problem = UiText(Keys.KIT_WORDS_PROBLEM, "word 3 is not one of the recovery kit's words; check its spelling on your kit")),
        ),
    )

    /** Scrolled to the end, where the state worth seeing is (the end moves with the font scale: follow it). */
    @Composable
    private fun atTheEnd(): ScrollState {
        val s = rememberScrollState(Int.MAX_VALUE)
        LaunchedEffect(s.maxValue) { s.scrollTo(s.maxValue) }
        return s
    }

    /** Settings' section on its own, so every state shows whole. */
    @Composable
    private fun InSettings(state: KitState) {
        Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            KitSection(state, none)
        }
    }

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("settings-kit-suggestion") {
            SettingsContent(
                SettingsState(lockMethod = LockMethod.PIN, remindersOn = true, server = "https://sync.example.org", serverDraft = "https://sync.example.org"),
                object : SettingsActions {},
                kitSection = { KitSection(status, none) },
                suggestion = { KitSuggestionCard(none, inSettings = true) },
            )
        },
        CatalogScreen("settings-kit-none") { InSettings(status) },
        CatalogScreen("settings-kit-has") {
            InSettings(status.copy(hasKit = true, bringsBack = all, oldKitWaits = true, message = UiText(Keys.KIT_READY)))
        },
        CatalogScreen("settings-kit-needs-server") { InSettings(KitState(loaded = true)) },
        CatalogScreen("kit-make") { RecoveryKitContent(status.copy(hasKit = true, step = KitStep.MAKE, split = true, oldWords = "river candle"), none) },
        CatalogScreen("kit-making") { RecoveryKitContent(status.copy(step = KitStep.MAKE, busy = true), none, atTheEnd()) },
        CatalogScreen("kit-words") { RecoveryKitContent(shown, none) },
        CatalogScreen("kit-words-end") { RecoveryKitContent(shown.copy(message = UiText(Keys.KIT_SAVED)), none, atTheEnd()) },
        CatalogScreen("kit-shares") {
            RecoveryKitContent(shown.copy(words = emptyList(), qr = null, shares = shares, asks = listOf(KitAsk(2, 4), KitAsk(2, 11))), none)
        },
        CatalogScreen("kit-check") {
            RecoveryKitContent(
                shown.copy(step = KitStep.CHECK, answers = listOf("orbit", "pliot"), checkMessage = UiText(Keys.KIT_CHECK_WRONG, 9)),
                none,
            )
        },
        CatalogScreen("today-kit-suggestion") {
            TodayContent(TodayState(loaded = true), object : TodayActions {}, card = { KitSuggestionCard(none) })
        },
        CatalogScreen("first-run-restore-word") { FirstRunContent(restoring, firstRun, atTheEnd()) },
        CatalogScreen("first-run-restore-not-here") {
            FirstRunContent(
                restoring.copy(
                    restore = restoring.restore.copy(words = sample.joinToString(" "), wordsCheck = KitCheck(ok = true, count = 12)),
                    message = UiText(Keys.KIT_RESTORE_NOT_HERE),
                ),
                firstRun, atTheEnd(),
            )
        },
        CatalogScreen("first-run-restore-shares") {
            FirstRunContent(
                restoring.copy(
                    busy = true,
                    restore = RestoreForm(
                        server = "https://sync.example.org", withShares = true, othersLost = false, restoring = true,
                        shares = listOf(shares[0].text, shares[2].text),
                        shareChecks = listOf(KitCheck(ok = true, count = 12, share = 1), KitCheck(ok = true, count = 12, share = 3)),
                    ),
                ),
                firstRun, atTheEnd(),
            )
        },
        CatalogScreen("first-run-restored") {
            FirstRunContent(
                FirstRunState(
                    step = FirstRunStep.LOCK, deviceLockAvailable = true,
                    restored = listOf(
                        UiText(Keys.KIT_RESTORED, UiText(Keys.KIT_AND_TWO, UiText(Keys.KIT_WHAT_PERSONAL), UiText(Keys.KIT_WHAT_SHARED))),
                        UiText(Keys.KIT_RESTORED_REMOVED),
                    ),
                ),
                firstRun,
            )
        },
    )
}
