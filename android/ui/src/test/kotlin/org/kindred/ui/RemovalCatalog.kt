package org.kindred.ui

import org.kindred.app.CheckInRow
import org.kindred.app.DeviceLine
import org.kindred.app.HistoryLine
import org.kindred.app.Keys
import org.kindred.app.LockedLine
import org.kindred.app.PendingLine
import org.kindred.app.RemovalActions
import org.kindred.app.RemovalUi
import org.kindred.app.SharingActions
import org.kindred.app.SharingUi
import org.kindred.app.TodayActions
import org.kindred.app.TodayState
import org.kindred.app.UiText

/** Removing her own devices in the states a reader should see (part of [Catalog], through [SharingCatalog]). */
object RemovalCatalog {
    private val none = object : SharingActions {}
    private val nothing = object : RemovalActions {}
    private val phone = DeviceLine("Sam's phone", "aa11", thisDevice = true)
    private val laptop = DeviceLine("Sam's laptop", "bb22", thisDevice = false)
    private val tablet = DeviceLine("Sam's tablet", "cc33", thisDevice = false)
    private val kit = DeviceLine("Recovery kit", "dd44", thisDevice = false, kit = true)
    private val devices = listOf(phone, laptop, tablet, kit)
    private val base = SharingUi(loading = false, devices = devices)
    private val until = UiText(Keys.REMOVAL_AT, "Sat 7 Mar", "10:00")

    private fun pending(d: DeviceLine, askedBy: String, thisDevice: Boolean = false, askedHere: Boolean = false, lost: Boolean = false) =
        PendingLine(d.fingerprint, d.name, askedBy, thisDevice, askedHere, d.kit, lost, until)

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("removal-lost-or-not") {
            SharingContent(base.copy(confirmRemove = laptop), none, SharingCatalog.atTheEnd())
        },
        CatalogScreen("removal-with-kit") {
            SharingContent(
                base.copy(
                    confirmRemove = laptop, removeLost = true, removeKitOpen = true, kitWords = "maple river candle otter",
                    removeProblem = UiText(Keys.REMOVAL_KIT_CHECK, "a recovery kit has 12 words; these are 4"),
                ),
                none, SharingCatalog.atTheEnd(),
            )
        },
        CatalogScreen("removal-waiting") {
            SharingContent(
                base.copy(message = UiText(Keys.REMOVAL_WAITS, "Sam's laptop", until)), none,
                removal = RemovalUi(loaded = true, pending = listOf(pending(laptop, "Sam's phone", askedHere = true))),
                removalActions = nothing,
            )
        },
        CatalogScreen("removal-this-device") {
            SharingContent(
                SharingUi(loading = false, devices = listOf(laptop.copy(thisDevice = true), phone.copy(thisDevice = false), tablet)), none,
                removal = RemovalUi(loaded = true, pending = listOf(pending(laptop, "Sam's phone", thisDevice = true))),
                removalActions = nothing,
            )
        },
        CatalogScreen("removal-today-banner") {
            val removal = RemovalUi(loaded = true, pending = listOf(pending(laptop, "Sam's phone", thisDevice = true, lost = true)))
            TodayContent(
                TodayState(loaded = true, recent = listOf(CheckInRow("c1", 4, UiText(Keys.WHEN_TODAY_AT, "09:30"), 3, listOf("walk"), null))),
                object : TodayActions {},
                banner = { RemovalBannerContent(removal, nothing) },
            )
        },
        CatalogScreen("removal-another-asks") {
            SharingContent(
                base, none,
                removal = RemovalUi(
                    loaded = true,
                    pending = listOf(pending(tablet, "Sam's laptop", lost = true), pending(kit, "Sam's laptop")),
                ),
                removalActions = nothing,
            )
        },
        CatalogScreen("removal-kit") {
            SharingContent(base.copy(confirmRemove = kit), none, SharingCatalog.atTheEnd())
        },
        CatalogScreen("removal-history") {
            SharingContent(
                SharingUi(loading = false, devices = listOf(phone, laptop)), none, SharingCatalog.atTheEnd(),
                removal = RemovalUi(
                    loaded = true,
                    message = UiText(Keys.REMOVAL_DONE_KEPT, "Sam's tablet"),
                    history = listOf(
                        HistoryLine("cc33", UiText(Keys.REMOVAL_HISTORY_CONFIRMED, "Sam's tablet", "Sam's phone"), UiText(Keys.REMOVAL_HISTORY_KEPT)),
                        HistoryLine("ee55", UiText(Keys.REMOVAL_HISTORY_KIT, "Old phone"), UiText(Keys.REMOVAL_HISTORY_LOST)),
                        HistoryLine("ff66", UiText(Keys.REMOVAL_HISTORY_WAITED, "Work laptop", "Sam's phone", until), UiText(Keys.REMOVAL_HISTORY_KEPT)),
                    ),
                ),
                removalActions = nothing,
            )
        },
        CatalogScreen("removal-locked-copy") {
            LockedCopyContent(RemovalUi(loaded = true, locked = LockedLine("Sam's phone")), nothing)
        },
        CatalogScreen("removal-locked-erase") {
            LockedCopyContent(
                RemovalUi(
                    loaded = true, locked = LockedLine("Sam's phone"), confirmErase = true,
                    message = UiText(Keys.EXPORT_DONE), exportedTo = "/home/sam/kindred-2026-03-04.json",
                ),
                nothing, workArea = true, SharingCatalog.atTheEnd(),
            )
        },
        CatalogScreen("removal-nothing-left") { NothingHereContent(nothing) },
    )
}
