package org.kindred.app

import org.kindred.SyncStatus

/**
 * One line for the top of a screen about where the person's words are:
 * all saved, some waiting (always "kept on this phone" first: nothing is
 * lost offline), or a problem worth a look. Then who has seen the latest.
 */
fun syncSummary(statuses: List<SyncStatus>): List<UiText> {
    if (statuses.isEmpty() || statuses.none { it.onServer }) return listOf(UiText(Keys.SYNC_NOT_SET_UP))
    val out = mutableListOf<UiText>()
    val pending = statuses.sumOf { it.pending }
    out += if (pending == 0L) UiText(Keys.SYNC_ALL_SAVED) else UiText(Keys.SYNC_WAITING, pending)
    if (statuses.any { it.lastError != null || it.quarantined > 0L }) out += UiText(Keys.SYNC_PROBLEM)
    val seen = statuses.flatMap { it.seenBy }.groupBy { it.device }
    for ((device, entries) in seen.toSortedMap()) {
        out += if (entries.all { it.upToDate }) UiText(Keys.SYNC_SEEN_BY, device) else UiText(Keys.SYNC_NOT_YET_SEEN_BY, device)
    }
    return out
}
