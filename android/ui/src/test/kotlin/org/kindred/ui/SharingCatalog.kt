package org.kindred.ui

import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.ScrollState
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import org.kindred.Role
import org.kindred.app.DeviceLine
import org.kindred.app.InviteStep
import org.kindred.app.Keys
import org.kindred.app.QrCode
import org.kindred.app.ShareLine
import org.kindred.app.SharingActions
import org.kindred.app.SharingUi
import org.kindred.app.UiText
import org.kindred.app.roleKey

/** The sharing screen in the states a reader should see (part of [Catalog]). */
object SharingCatalog {
    private val none = object : SharingActions {}
    private val devices = listOf(
        DeviceLine("Sam's phone", "aa11", thisDevice = true),
        DeviceLine("Sam's laptop", "bb22", thisDevice = false),
    )
    private val jo = ShareLine(
        "sp1", listOf("Jo's laptop"), UiText(roleKey("writer")), listOf("Get my own flat", "Walk every day"), 6,
        UiText(Keys.SHARE_WITH, "Jo's laptop", 2),
    )
    private val ended = ShareLine(
        "sp2", listOf("Alex's phone"), null, emptyList(), 0,
        UiText(Keys.SHARE_ENDED_LINE, "Alex's phone"), ended = true,
    )
    private const val OFFER = "kindred-pair:v1:http://127.0.0.1:8080:7f3a9c2e41d84b0f9a6e3c51d2b7e8f0:9c2e41d84b0f"
    private val base = SharingUi(loading = false, devices = devices)

    /** Scrolled to the end (the devices, the offer), where the state worth seeing is. */
    @Composable
    internal fun atTheEnd(): ScrollState {
        val s = rememberScrollState(Int.MAX_VALUE)
        // The end moves when the font scale changes: follow it.
        LaunchedEffect(s.maxValue) { s.scrollTo(s.maxValue) }
        return s
    }

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("sharing-nothing-yet") { SharingContent(base.copy(devices = devices.take(1)), none) },
        CatalogScreen("sharing-offer") {
            SharingContent(base.copy(devices = devices.take(1), offer = OFFER, offerQr = QrCode.of(OFFER)), none, atTheEnd())
        },
        CatalogScreen("sharing-pair-ask") {
            val ask = org.kindred.PairRequest(
                "Sam's tablet", "bb22cc33dd44ee55",
                org.kindred.PairCode("305 718", listOf("🐢", "🌵", "🔑", "🚲")),
            )
            SharingContent(base.copy(devices = devices.take(1), offer = OFFER, pairAsk = ask), none, atTheEnd())
        },
        CatalogScreen("sharing-choose-role") { SharingContent(base.copy(invite = InviteStep.ChooseRole), none) },
        CatalogScreen("sharing-invite-code") {
            SharingContent(base.copy(invite = InviteStep.ShowCode("7KQ2M-XW9PD", Role.WRITER)), none)
        },
        CatalogScreen("sharing-enter-code") {
            SharingContent(base.copy(invite = InviteStep.EnterCode, code = "7KQ2M-XW", error = UiText(Keys.INVITE_CODE_EXPIRED)), none)
        },
        CatalogScreen("sharing-compare") {
            SharingContent(
                base.copy(invite = InviteStep.Compare("482 917", "🐶  🌳  🔑  🚲", Role.WRITER, inviting = false, otherName = "Sam's phone")),
                none,
            )
        },
        CatalogScreen("sharing-code-wrong") {
            SharingContent(base.copy(invite = InviteStep.Stopped, message = UiText(Keys.INVITE_CODE_WRONG)), none)
        },
        CatalogScreen("sharing-different") {
            SharingContent(base.copy(invite = InviteStep.Stopped, message = UiText(Keys.INVITE_DIFFERENT)), none)
        },
        CatalogScreen("sharing-shares") {
            SharingContent(
                base.copy(invite = InviteStep.Done("Jo's laptop"), message = UiText(Keys.INVITE_DONE, "Jo's laptop"), shares = listOf(jo, ended)),
                none,
            )
        },
        CatalogScreen("sharing-confirm-end") {
            SharingContent(base.copy(shares = listOf(jo, ended), confirmEnd = jo), none)
        },
        CatalogScreen("sharing-confirm-erase") {
            SharingContent(base.copy(shares = listOf(jo, ended), confirmErase = jo), none)
        },
        CatalogScreen("sharing-erased") {
            SharingContent(
                base.copy(
                    shares = listOf(jo.copy(goals = emptyList(), checkIns = 0, ended = true, text = UiText(Keys.SHARE_ENDED_LINE, "Jo's laptop"))),
                    message = UiText(Keys.ERASE_DONE_EVERYWHERE, UiText(Keys.ERASE_WHAT_SHARE, "Jo's laptop")),
                ),
                none,
            )
        },
        CatalogScreen("sharing-confirm-remove-device") {
            SharingContent(base.copy(shares = listOf(jo), confirmRemove = devices[1]), none, atTheEnd())
        },
        // Removing her own devices: lost or not, waits, the card on every device, the locked copy.
    ) + RemovalCatalog.screens
}
