package org.kindred.ui

import org.kindred.app.Keys
import org.kindred.app.SeenLine
import org.kindred.app.SyncAction
import org.kindred.app.SyncActions
import org.kindred.app.SyncProblem
import org.kindred.app.SyncUi
import org.kindred.app.UiText

/** The sync screen in the states a reader should see (part of [Catalog]). */
object SyncCatalog {
    private val none = object : SyncActions {}
    private val last = UiText(Keys.SYNC_LAST, UiText(Keys.WHEN_TODAY_AT, "09:30"))

    val screens: List<CatalogScreen> = listOf(
        CatalogScreen("sync-caught-up") {
            SyncContent(
                SyncUi(
                    loading = false, setUp = true, pending = 0, lastSyncedText = last, headline = UiText(Keys.SYNC_ALL_SAVED),
                    seenBy = listOf(SeenLine("tablet", own = true, upToDate = true), SeenLine("Jo's phone", own = false, upToDate = true)),
                    message = UiText(Keys.SYNC_DONE),
                ),
                none,
            )
        },
        CatalogScreen("sync-erase-waiting") {
            SyncContent(
                SyncUi(
                    loading = false, setUp = true, pending = 1, lastSyncedText = last, headline = UiText(Keys.SYNC_WAITING, 1),
                    erasureWaiting = true,
                    seenBy = listOf(SeenLine("tablet", own = true, upToDate = false)),
                ),
                none,
            )
        },
        CatalogScreen("sync-erase-notice") {
            SyncContent(
                SyncUi(
                    loading = false, setUp = true, pending = 0, lastSyncedText = last, headline = UiText(Keys.SYNC_ALL_SAVED),
                    message = UiText(Keys.SYNC_DONE),
                    notices = listOf("1 change to a check-in you deleted was not kept"),
                    seenBy = listOf(SeenLine("tablet", own = true, upToDate = true)),
                ),
                none,
            )
        },
        CatalogScreen("sync-waiting") {
            SyncContent(
                SyncUi(
                    loading = false, setUp = true, pending = 3, lastSyncedText = UiText(Keys.SYNC_LAST, UiText(Keys.WHEN_YESTERDAY_AT, "21:10")),
                    headline = UiText(Keys.SYNC_WAITING, 3L),
                    seenBy = listOf(SeenLine("tablet", own = true, upToDate = false), SeenLine("Jo's phone", own = false, upToDate = true)),
                    syncing = true,
                ),
                none,
            )
        },
        CatalogScreen("sync-offline") {
            SyncContent(
                SyncUi(
                    loading = false, setUp = true, pending = 2, lastSyncedText = last, headline = UiText(Keys.SYNC_WAITING, 2L),
                    problem = SyncProblem(UiText(Keys.SYNC_OFFLINE), SyncAction.TRY_AGAIN),
                    seenBy = listOf(SeenLine("tablet", own = true, upToDate = false)),
                ),
                none,
            )
        },
        CatalogScreen("sync-not-set-up") {
            SyncContent(
                SyncUi(
                    loading = false, pending = 5, headline = UiText(Keys.SYNC_NOT_SET_UP),
                    problem = SyncProblem(UiText(Keys.SYNC_ADD_SERVER), SyncAction.OPEN_SETTINGS),
                ),
                none,
            )
        },
    )
}
