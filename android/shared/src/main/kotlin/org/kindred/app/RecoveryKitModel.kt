package org.kindred.app

import java.time.LocalDate
import kotlin.coroutines.CoroutineContext
import kotlin.random.Random
import kotlinx.coroutines.CoroutineScope
import org.kindred.KindredStore
import org.kindred.app.platform.Platform
import org.kindred.app.platform.Preferences
import org.kindred.checkKitShare
import org.kindred.checkKitWords
import org.kindred.createRecoveryKit
import org.kindred.ffi.KindredException
import org.kindred.recoveryKitStatus

/** Where making a kit is: Settings' section, the form, the words shown once, the check that she wrote them down. */
enum class KitStep { STATUS, MAKE, SHOW, CHECK }

/** One word to type back from what she wrote: [share] is null for the whole kit, else that share's number; [position] counts from 1. */
data class KitAsk(val share: Int?, val position: Int)

/** One share of a split kit, as shown: its number, its 12 words, and the line as the core writes it ("share 1 of 3: …"). */
data class KitShareView(val number: Int, val words: List<String>, val text: String)

data class KitState(
    val loaded: Boolean = false,
    val hasKit: Boolean = false,
    /** What the kit brings back, in her words ("your own records and your caseload"). */
    val bringsBack: UiText? = null,
    /** What a new kit would bring back too (a share begun after the kit was made). */
    val missing: UiText? = null,
    /** A kit replaced without its words stops working after the wait. */
    val oldKitWaits: Boolean = false,
    /** A sync server is set: a kit can be made (it is kept with the relay). */
    val serverSet: Boolean = false,
    val step: KitStep = KitStep.STATUS,
    /** The form's choice: 3 shares, any 2 of which bring everything back. */
    val split: Boolean = false,
    /** The old kit's words, when replacing one (optional: without them it waits). */
    val oldWords: String = "",
    val oldWordsMessage: UiText? = null,
    val busy: Boolean = false,
    /** The kit's 12 words, only while shown (empty for a split kit: its shares are shown). */
    val words: List<String> = emptyList(),
    val qr: QrCode? = null,
    val shares: List<KitShareView> = emptyList(),
    /** The two words the check asks for. */
    val asks: List<KitAsk> = emptyList(),
    val answers: List<String> = listOf("", ""),
    val checkMessage: UiText? = null,
    /** Words beside the kit: it is ready, it was handed on to save or print. */
    val message: UiText? = null,
    val error: UiText? = null,
    /** The gentle card on Today (after first run or pairing, until a kit is made or she hides it). */
    val suggestOnToday: Boolean = false,
    /** The same card at the top of Settings while she has no kit (until she hides it). */
    val suggestInSettings: Boolean = false,
)

/** What the kit screens can ask of their state holder (no-ops by default, for previews and screenshots). */
interface KitActions {
    fun openMaker() {}
    fun closeMaker() {}
    fun setSplit(on: Boolean) {}
    fun editOldWords(text: String) {}
    fun make() {}
    fun saveOrPrint() {}
    fun wroteItDown() {}
    fun editAnswer(index: Int, text: String) {}
    fun checkAnswers() {}
    fun lookAgain() {}
    /** From the suggestion card: Settings, with the form open. */
    fun makeFromSuggestion() {}
    /** Hides the suggestion card for good (it never comes back by itself). */
    fun hideSuggestion() {}
}

/**
 * The gentle suggestion to make a kit: offered after first run and after
 * pairing, hidden for good with one tap ("Hide this"), never shown once a
 * kit exists. Kept per profile, so the empty Kindred is like any fresh one.
 */
object KitSuggestion {
    private const val OFFERED = "offered"
    private const val HIDDEN = "hidden"

    private fun key(profile: Profile) = if (profile == Profile.OWN) "kit_suggestion" else "kit_suggestion_2"

    /** After first run or pairing: the card may show (unless she hid it before). */
    fun offer(prefs: Preferences, profile: Profile = Profile.OWN) {
        if (prefs.get(key(profile)) != HIDDEN) prefs.put(key(profile), OFFERED)
    }

    fun hide(prefs: Preferences, profile: Profile = Profile.OWN) = prefs.put(key(profile), HIDDEN)

    fun offered(prefs: Preferences, profile: Profile) = prefs.get(key(profile)) == OFFERED

    fun hidden(prefs: Preferences, profile: Profile) = prefs.get(key(profile)) == HIDDEN
}

/** A live look at typed kit words or a typed share: fine, not finished yet ([count] words so far), or words for what is wrong. */
data class KitCheck(val ok: Boolean = false, val count: Int = 0, val problem: UiText? = null, val share: Int? = null)

/**
 * Kit words as a person types, pastes or scans them, read the way the
 * core reads them; checked live without keeping them anywhere.
 */
object KitWords {
    const val COUNT = 12
    private const val QR_PREFIX = "kindred-kit:1:"
    private val numbering = Regex("\\d+[.):]?")
    private val separators = Regex("[\\s,;]+")

    /** True for the text of a kit's QR code. */
    fun isQr(text: String) = text.trim().startsWith(QR_PREFIX, ignoreCase = true)

    /**
     * The words alone, separated by single spaces: from a QR code's text
     * (words joined by dashes), and without the numbers she may have
     * written before each word ("1. apple 2. bird").
     */
    fun normalize(text: String): String {
        val t = text.trim()
        val body = if (isQr(t)) t.substring(QR_PREFIX.length).replace('-', ' ') else t
        return body.split(separators).filter { it.isNotEmpty() && !numbering.matches(it) }.joinToString(" ").lowercase()
    }

    /** The core's words for 12 words that are all on the list but are not a kit together. */
    private val checksumWords: String? by lazy { problemOf(List(COUNT) { "abandon" }.joinToString(" ")) }

    private fun problemOf(words: String): String? = try {
        checkKitWords(words)
        null
    } catch (e: KindredException.InvalidInput) {
        e.message.orEmpty()
    }

    /**
     * The words so far. Fewer than 12: the finished ones (all but one still
     * being typed, unless [typing] is false) are looked at for a word not on
     * the kit's list, named by its position. Twelve or more: the core's check.
     */
    fun check(text: String, typing: Boolean = true): KitCheck {
        val words = normalize(text).split(' ').filter { it.isNotEmpty() }
        val n = words.size
        if (n == 0) return KitCheck()
        if (n >= COUNT) {
            val problem = problemOf(words.joinToString(" "))
            return if (problem == null) KitCheck(ok = true, count = n) else KitCheck(count = n, problem = UiText(Keys.KIT_WORDS_PROBLEM, problem))
        }
        val stillTyping = typing && text.isNotEmpty() && !text.last().isWhitespace()
        val done = if (stillTyping) words.dropLast(1) else words
        if (done.isNotEmpty()) {
            // The rest filled with a word on the list: only a word of hers off the list can be named.
            val problem = problemOf((done + List(COUNT - done.size) { "abandon" }).joinToString(" "))
            if (problem != null && problem != checksumWords) return KitCheck(count = n, problem = UiText(Keys.KIT_WORDS_PROBLEM, problem))
        }
        return KitCheck(count = n)
    }

    private val shareStart = Regex("^\\s*(?:share)?\\s*(\\d+)\\s*(?:of\\s*3)?\\s*[:.)]?\\s*", RegexOption.IGNORE_CASE)

    /** A share as written ("share 2 of 3: …", "2: …"): its number and its words (null without a number at the start). */
    private fun splitShare(text: String): Pair<Int, String>? {
        val m = shareStart.find(text) ?: return null
        val number = m.groupValues[1].toIntOrNull() ?: return null
        return number to text.substring(m.range.last + 1)
    }

    /** A share as the core reads it ("2: word …"), its words as [normalize] reads them; null without a number at the start. */
    fun normalizeShare(text: String): String? = splitShare(text)?.let { (number, rest) -> "$number: ${normalize(rest)}" }

    /** The same for one share: its number first, then 12 words. */
    fun checkShare(text: String, typing: Boolean = true): KitCheck {
        if (text.isBlank()) return KitCheck()
        val parts = splitShare(text)
        if (parts == null) {
            // Only words so far: the number is asked for once there is more than a word.
            return if (text.trim().contains(' ') || !typing) KitCheck(problem = UiText(Keys.KIT_WORDS_PROBLEM, shareProblem(text))) else KitCheck()
        }
        val (number, rest) = parts
        val words = check(rest, typing)
        if (!words.ok && words.count < COUNT) return words.copy(share = number)
        return try {
            KitCheck(ok = true, count = words.count, share = checkKitShare(normalizeShare(text) ?: text.trim()))
        } catch (e: KindredException.InvalidInput) {
            KitCheck(count = words.count, problem = UiText(Keys.KIT_WORDS_PROBLEM, e.message.orEmpty()), share = number)
        }
    }

    private fun shareProblem(text: String): String = try {
        checkKitShare(text)
        ""
    } catch (e: KindredException.InvalidInput) {
        e.message.orEmpty()
    }
}

/** The kinds of records (the core's space kinds) in her words, each once: "your own records, your caseload and your shares". */
fun kitKinds(kinds: List<String>, withCaseload: Boolean): UiText? {
    val parts = kinds.mapNotNull {
        when (it) {
            "personal" -> Keys.KIT_WHAT_PERSONAL
            "caseload" -> if (withCaseload) Keys.KIT_WHAT_CASELOAD else null
            "shared" -> Keys.KIT_WHAT_SHARED
            else -> Keys.KIT_WHAT_OTHER
        }
    }.distinct().map { UiText(it) }
    return joined(parts)
}

private fun joined(parts: List<UiText>): UiText? = when (parts.size) {
    0 -> null
    1 -> parts[0]
    2 -> UiText(Keys.KIT_AND_TWO, parts[0], parts[1])
    else -> UiText(Keys.KIT_COMMA, parts[0], joined(parts.drop(1))!!)
}

/**
 * The recovery kit in Settings: whether she has one and what it brings
 * back; making one (or a new one, with the old one's words if she has
 * them), split into 3 shares if she likes; the words shown once, large and
 * numbered, with the QR code and a way to save or print; and a check that
 * she wrote them down (two words asked by position) before it is done.
 * Nothing of the words is kept: they leave the state when she is done.
 */
class RecoveryKitModel(
    private val store: KindredStore,
    private val platform: Platform,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val profile: Profile = Profile.OWN,
    /** The work area is on: "your caseload" is one of the things the kit brings back. */
    private val workArea: () -> Boolean = { false },
    /** Shows Settings (from the suggestion card on Today). */
    private val openSettings: () -> Unit = {},
    private val random: Random = Random.Default,
) : StateHolder<KitState>(KitState(), scope, io), KitActions {
    private val prefs = platform.preferences

    override fun failed(message: UiText) = update { it.copy(busy = false, error = message) }

    /** Reads whether she has a kit (and what it brings back) and whether a sync server is set. */
    fun refresh() = work {
        val status = store.recoveryKitStatus()
        val server = store.server()
        val caseload = workArea()
        update {
            val has = status.hasKit
            it.copy(
                loaded = true,
                hasKit = has,
                bringsBack = kitKinds(status.spaces, caseload),
                missing = kitKinds(status.missing, caseload),
                oldKitWaits = status.oldKitWaits,
                serverSet = server != null,
                suggestOnToday = !has && KitSuggestion.offered(prefs, profile),
                suggestInSettings = !has && !KitSuggestion.hidden(prefs, profile),
            )
        }
    }

    /** After pairing: the card may show on Today. */
    fun offerSuggestion() {
        KitSuggestion.offer(prefs, profile)
        refresh()
    }

    override fun hideSuggestion() {
        KitSuggestion.hide(prefs, profile)
        update { it.copy(suggestOnToday = false, suggestInSettings = false) }
    }

    override fun makeFromSuggestion() {
        openMaker()
        openSettings()
    }

    /** The form; without a sync server Settings stays, where its section says to add one first. */
    override fun openMaker() = update {
        if (it.step != KitStep.STATUS || !it.serverSet) it
        else it.copy(step = KitStep.MAKE, split = false, oldWords = "", oldWordsMessage = null, error = null, message = null)
    }

    override fun closeMaker() = update {
        if (it.step != KitStep.MAKE || it.busy) it else it.copy(step = KitStep.STATUS, oldWords = "", oldWordsMessage = null, error = null)
    }

    override fun setSplit(on: Boolean) = update { it.copy(split = on) }

    override fun editOldWords(text: String) = update {
        val check = KitWords.check(text)
        it.copy(oldWords = text.take(400), oldWordsMessage = check.problem)
    }

    /** Makes the kit with the relay (it becomes a member of her records there) and shows it, once. */
    override fun make() {
        val s = state.value
        if (s.busy || s.step != KitStep.MAKE) return
        if (!s.serverSet) return update { it.copy(error = UiText(Keys.KIT_NEEDS_SERVER)) }
        val old = KitWords.normalize(s.oldWords).takeIf { it.isNotBlank() }
        if (old != null) {
            val check = KitWords.check(old, typing = false)
            if (!check.ok) return update { it.copy(oldWordsMessage = check.problem ?: UiText(Keys.KIT_RESTORE_NEEDS_WORDS)) }
        }
        update { it.copy(busy = true, error = null, message = null) }
        work {
            // Her records reach the relay first: a kit joins them there (a device that never synced has
            // nothing there yet), and a restore then finds everything made on this device so far.
            syncQuietly()
            val kit = try {
                store.createRecoveryKit(old, s.split)
            } catch (e: KindredException.Offline) {
                return@work update { it.copy(busy = false, error = UiText(Keys.KIT_MAKE_OFFLINE)) }
            } catch (e: KindredException.InvalidInput) {
                return@work update { it.copy(busy = false, oldWordsMessage = UiText(Keys.KIT_WORDS_PROBLEM, e.message.orEmpty())) }
            }
            val shares = kit.shares.mapIndexed { i, text ->
                KitShareView(i + 1, text.substringAfter(':').trim().split(' ').filter(String::isNotEmpty), text)
            }
            update {
                it.copy(
                    busy = false,
                    step = KitStep.SHOW,
                    words = if (shares.isEmpty()) kit.words.split(' ').filter(String::isNotEmpty) else emptyList(),
                    qr = if (shares.isEmpty()) QrCode.of(kit.qrText) else null,
                    shares = shares,
                    asks = asks(shares),
                    answers = listOf("", ""),
                    checkMessage = null,
                    oldWords = "",
                    oldWordsMessage = null,
                )
            }
            refresh()
        }
    }

    private suspend fun syncQuietly() {
        try {
            store.sync()
        } catch (e: kotlinx.coroutines.CancellationException) {
            throw e
        } catch (_: Exception) {
            // Offline or refused: making the kit says so in its own words.
        }
    }

    /** Two different positions to ask for, of the kit or of one of its shares. */
    private fun asks(shares: List<KitShareView>): List<KitAsk> {
        val share = if (shares.isEmpty()) null else shares[random.nextInt(shares.size)].number
        val first = random.nextInt(KitWords.COUNT) + 1
        var second = random.nextInt(KitWords.COUNT - 1) + 1
        if (second >= first) second++
        return listOf(KitAsk(share, minOf(first, second)), KitAsk(share, maxOf(first, second)))
    }

    /** The word the check expects for [ask]. */
    private fun expected(s: KitState, ask: KitAsk): String? {
        val list = if (ask.share == null) s.words else s.shares.firstOrNull { it.number == ask.share }?.words
        return list?.getOrNull(ask.position - 1)
    }

    /** The kit as plain text, for the platform's share sheet (save, print, send to herself). */
    override fun saveOrPrint() {
        val s = state.value
        if (s.step != KitStep.SHOW && s.step != KitStep.CHECK) return
        work {
            val w = platform.strings
            val text = buildString {
                appendLine(w.format(Keys.KIT_FILE_TITLE))
                appendLine()
                appendLine(w.format(Keys.KIT_WHAT))
                appendLine(w.format(Keys.KIT_FILE_MADE, listOf(LocalDate.now(platform.clock).toString())))
                appendLine()
                if (s.shares.isEmpty()) {
                    s.words.forEachIndexed { i, word -> appendLine("${(i + 1).toString().padStart(2)}. $word") }
                } else {
                    appendLine(w.format(Keys.KIT_SPLIT_WHAT))
                    for (share in s.shares) {
                        appendLine()
                        appendLine(w.format(Keys.KIT_SHARE_TITLE, listOf(share.number, UiText(shareFor(share.number)))))
                        appendLine(share.text)
                        share.words.forEachIndexed { i, word -> appendLine("${(i + 1).toString().padStart(2)}. $word") }
                    }
                }
                appendLine()
                appendLine(w.format(Keys.KIT_FILE_TYPE_BACK))
            }
            val where = platform.shareSheet.share("kindred-recovery-kit.txt", "text/plain", text.encodeToByteArray())
            update { it.copy(message = if (where != null) UiText(Keys.KIT_SAVED_WHERE, where) else UiText(Keys.KIT_SAVED)) }
        }
    }

    override fun wroteItDown() = update {
        if (it.step != KitStep.SHOW) it else it.copy(step = KitStep.CHECK, checkMessage = null, message = null)
    }

    override fun lookAgain() = update { if (it.step != KitStep.CHECK) it else it.copy(step = KitStep.SHOW, checkMessage = null) }

    override fun editAnswer(index: Int, text: String) = update {
        if (index !in it.answers.indices) it
        else it.copy(answers = it.answers.toMutableList().also { a -> a[index] = text.take(40) }, checkMessage = null)
    }

    /** Both words right: the kit is done and its words leave the screen; one wrong: kind words, and she tries again. */
    override fun checkAnswers() {
        val s = state.value
        if (s.step != KitStep.CHECK) return
        if (s.answers.any { it.isBlank() }) return update { it.copy(checkMessage = UiText(Keys.KIT_CHECK_EMPTY)) }
        val wrong = s.asks.indices.firstOrNull { i -> s.answers[i].trim().lowercase() != expected(s, s.asks[i]) }
        if (wrong != null) return update { it.copy(checkMessage = UiText(Keys.KIT_CHECK_WRONG, s.asks[wrong].position)) }
        update {
            it.copy(
                step = KitStep.STATUS, words = emptyList(), qr = null, shares = emptyList(), asks = emptyList(),
                answers = listOf("", ""), checkMessage = null, split = false, message = UiText(Keys.KIT_READY),
            )
        }
        refresh()
    }

    companion object {
        /** Who each share is for, by its number. */
        fun shareFor(number: Int): String = when (number) {
            1 -> Keys.KIT_SHARE_FOR_1
            2 -> Keys.KIT_SHARE_FOR_2
            else -> Keys.KIT_SHARE_FOR_3
        }
    }
}
