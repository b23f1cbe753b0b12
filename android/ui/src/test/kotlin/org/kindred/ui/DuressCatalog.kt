package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.kindred.app.Keys
import org.kindred.app.LockMethod
import org.kindred.app.SettingsActions
import org.kindred.app.SettingsState
import org.kindred.app.UiText

/** Settings' duress PIN section, on its own so every state shows whole (part of [Catalog]). */
object DuressCatalog {
    private val none = object : SettingsActions {}
    private val pinLock = SettingsState(lockMethod = LockMethod.PIN, duressAvailable = true)

    @Composable
    private fun Alone(state: SettingsState, scroll: ScrollState = rememberScrollState()) {
        Column(Modifier.fillMaxSize().verticalScroll(scroll).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            DuressSection(state, none)
        }
    }

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("settings-duress-off") { Alone(pinLock) },
        CatalogScreen("settings-duress-form") {
            Alone(
                pinLock.copy(
                    choosingDuress = true, duressPin = "2468", duressPinAgain = "2468", duressDestroysDraft = true,
                    duressMessage = UiText(Keys.LOCK_PIN_TAKEN),
                ),
            )
        },
        CatalogScreen("settings-duress-form-end") {
            Alone(pinLock.copy(choosingDuress = true, duressPin = "1357", duressPinAgain = "13"), SharingCatalog.atTheEnd())
        },
        CatalogScreen("settings-duress-on") {
            Alone(pinLock.copy(pinOnly = true, duressOn = true, duressDestroys = true, duressMessage = UiText(Keys.SETTINGS_DURESS_SAVED)))
        },
        CatalogScreen("settings-duress-needs-pin") { Alone(SettingsState(lockMethod = LockMethod.NONE, duressAvailable = true)) },
    )
}
