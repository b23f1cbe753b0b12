package org.kindred.app

import org.kindred.ContactNote
import org.kindred.NoteStatus
import org.kindred.Sas
import org.kindred.Share

/** The short string, as both screens show it: digits in two groups, then the pictures. */
fun sasLines(sas: Sas): Pair<String, String> =
    sas.digits.filter(Char::isDigit).chunked(3).joinToString(" ") to sas.emoji.joinToString("  ")

fun sasPrompt(otherName: String): UiText = UiText(Keys.SAS_COMPARE, otherName)

/** "Jo sees 2 of your goals" lines for the Sharing screen. */
fun shareLines(shares: List<Share>): List<UiText> {
    val lines = shares.flatMap { s ->
        s.members.filter { !it.mine }.map { UiText(Keys.SHARE_WITH, it.name, s.goals.size) }
    }
    return lines.ifEmpty { listOf(UiText(Keys.SHARE_NOTHING)) }
}

/** Who signed a note and whether its words are as signed. */
fun signatureLine(n: ContactNote): UiText? = when {
    n.status == NoteStatus.DRAFT -> null
    n.signatureOk == false -> UiText(Keys.NOTE_WORDS_CHANGED)
    else -> UiText(Keys.NOTE_SIGNED_BY, n.signedBy ?: "", n.signedAt ?: "")
}
