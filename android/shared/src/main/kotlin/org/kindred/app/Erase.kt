package org.kindred.app

import org.kindred.Erasure

/**
 * Where a delete-forever's words are gone from, honestly: only this
 * device (nothing of it was ever synced), this device and the sync server
 * (other devices as they sync), or this device now and the rest at the
 * next sync (the server could not be reached). [what] names the thing
 * ("this check-in", "Sam and every note about them").
 */
fun erasedText(e: Erasure, what: UiText): UiText = UiText(
    when {
        !e.onRelay -> Keys.ERASE_DONE_HERE
        e.waitingForSync -> Keys.ERASE_WAITING
        else -> Keys.ERASE_DONE_EVERYWHERE
    },
    what,
)
