package org.kindred.app

import org.kindred.ffi.KindredException

/**
 * The words for an error from the core, as a key into the string set. The
 * core's own messages are English and not keyed, so a screen shows these
 * instead; each says what is kept and what the person can do next.
 */
fun errorText(e: Throwable): UiText = when (e) {
    is KindredException.InvalidInput -> UiText(Keys.ERROR_INVALID_INPUT)
    is KindredException.NotFound -> UiText(Keys.ERROR_NOT_FOUND)
    is KindredException.NotAllowed -> UiText(Keys.ERROR_NOT_ALLOWED)
    is KindredException.Offline -> UiText(Keys.ERROR_OFFLINE)
    is KindredException.Sync -> UiText(Keys.ERROR_SYNC)
    is KindredException.Pairing -> UiText(Keys.ERROR_PAIRING)
    is KindredException.Storage -> UiText(Keys.ERROR_STORAGE)
    is KindredException.KeyUnavailable -> UiText(Keys.ERROR_KEY)
    is KindredException.Closed -> UiText(Keys.ERROR_CLOSED)
    is IllegalArgumentException -> UiText(Keys.ERROR_INVALID_INPUT)
    else -> UiText(Keys.ERROR_SOMETHING)
}
