package org.kindred.ui

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.unit.dp
import org.kindred.app.FirstRunActions
import org.kindred.app.FirstRunState
import org.kindred.app.KitActions
import org.kindred.app.KitAsk
import org.kindred.app.KitCheck
import org.kindred.app.KitState
import org.kindred.app.KitStep
import org.kindred.app.Keys
import org.kindred.app.RecoveryKitModel
import org.kindred.app.UiText

/** Test tags of the recovery kit's screens (never shown). */
object KitTags {
    const val SECTION = "kit_section"
    const val MAKE = "kit_make"
    const val SPLIT = "kit_split"
    const val OLD_WORDS = "kit_old_words"
    const val MAKE_NOW = "kit_make_now"
    const val NOT_NOW = "kit_not_now"
    const val WORDS = "kit_words"
    fun word(n: Int) = "kit_word_$n"
    const val QR = "kit_qr"
    fun share(n: Int) = "kit_share_$n"
    const val SAVE = "kit_save"
    const val WROTE_IT = "kit_wrote_it"
    fun answer(i: Int) = "kit_answer_$i"
    const val CHECK = "kit_check"
    const val CHECK_MESSAGE = "kit_check_message"
    const val LOOK_AGAIN = "kit_look_again"
    const val MESSAGE = "kit_message"
    const val SUGGEST = "kit_suggest"
    const val SUGGEST_MAKE = "kit_suggest_make"
    const val SUGGEST_HIDE = "kit_suggest_hide"
    const val HAVE_KIT = "kit_have"
    const val RESTORE_SERVER = "kit_restore_server"
    const val WITH_WORDS = "kit_with_words"
    const val WITH_SHARES = "kit_with_shares"
    const val RESTORE_WORDS = "kit_restore_words"
    fun restoreShare(i: Int) = "kit_restore_share_$i"
    const val LOST = "kit_lost"
    const val RESTORE = "kit_restore"
    const val RESTORE_BACK = "kit_restore_back"
    const val RESTORE_SCAN = "kit_restore_scan"
    const val RESTORED = "kit_restored"
}

/**
 * The "Recovery kit" section of Settings: what a kit is, whether she has
 * one and what it brings back, and the button that makes one (or a new
 * one). Without a sync server it says what comes first.
 */
@Composable
fun KitSection(state: KitState, actions: KitActions) {
    Section(words(Keys.KIT_TITLE), Modifier.testTag(KitTags.SECTION)) {
        Text(words(Keys.KIT_WHAT), style = MaterialTheme.typography.bodyMedium)
        Note(state.message, Modifier.testTag(KitTags.MESSAGE))
        Problem(state.error)
        if (!state.loaded) return@Section
        if (state.hasKit) {
            val what = state.bringsBack ?: UiText(Keys.KIT_WHAT_PERSONAL)
            Text(words(Keys.KIT_HAS, what), style = MaterialTheme.typography.bodyLarge)
            state.missing?.let { Text(words(Keys.KIT_MISSING, it), style = MaterialTheme.typography.bodyMedium) }
            if (state.oldKitWaits) Text(words(Keys.KIT_OLD_WAITS), style = MaterialTheme.typography.bodyMedium)
            Text(words(Keys.KIT_LOST_WORDS), style = MaterialTheme.typography.bodyMedium)
        } else {
            Text(words(Keys.KIT_NONE), style = MaterialTheme.typography.bodyLarge)
        }
        if (!state.serverSet) {
            Text(words(Keys.KIT_NEEDS_SERVER), style = MaterialTheme.typography.bodyMedium)
            return@Section
        }
        val label = words(if (state.hasKit) Keys.KIT_MAKE_NEW else Keys.KIT_MAKE)
        if (state.hasKit) {
            OutlinedButton(onClick = actions::openMaker, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.MAKE)) { Text(label) }
        } else {
            Button(onClick = actions::openMaker, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.MAKE)) { Text(label) }
        }
    }
}

/** The one gentle card that suggests a kit (Today after first run or pairing; Settings while she has none): make one, or hide it for good. */
@Composable
fun KitSuggestionCard(actions: KitActions, inSettings: Boolean = false) {
    Card(
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.secondaryContainer,
            contentColor = MaterialTheme.colorScheme.onSecondaryContainer,
        ),
        modifier = Modifier.fillMaxWidth().testTag(KitTags.SUGGEST),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(words(Keys.KIT_SUGGEST_TITLE), style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
            Text(words(if (inSettings) Keys.KIT_SUGGEST_TEXT_HERE else Keys.KIT_SUGGEST_TEXT), style = MaterialTheme.typography.bodyMedium)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = actions::makeFromSuggestion, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.SUGGEST_MAKE)) {
                    Text(words(Keys.KIT_MAKE))
                }
                TextButton(onClick = actions::hideSuggestion, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.SUGGEST_HIDE)) {
                    Text(words(Keys.KIT_SUGGEST_HIDE))
                }
            }
        }
    }
}

/** Making a kit, one step at a time, in its own scrolling column. [scroll] lets the catalog show the end. */
@Composable
fun RecoveryKitContent(state: KitState, actions: KitActions, scroll: ScrollState = rememberScrollState()) {
    Column(
        Modifier.fillMaxSize().verticalScroll(scroll).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        when (state.step) {
            KitStep.STATUS -> KitSection(state, actions)
            KitStep.MAKE -> MakeKit(state, actions)
            KitStep.SHOW -> ShowKit(state, actions)
            KitStep.CHECK -> CheckKit(state, actions)
        }
    }
}

@Composable
private fun MakeKit(state: KitState, actions: KitActions) {
    Heading(words(Keys.KIT_MAKE_TITLE))
    Text(words(Keys.KIT_WHAT), style = MaterialTheme.typography.bodyLarge)
    Text(words(Keys.KIT_MAKE_NEED), style = MaterialTheme.typography.bodyMedium)
    Toggle(words(Keys.KIT_SPLIT), state.split, actions::setSplit, KitTags.SPLIT)
    Text(words(Keys.KIT_SPLIT_WHAT), style = MaterialTheme.typography.bodyMedium)
    if (state.hasKit) {
        Text(words(Keys.KIT_OLD_TITLE), style = MaterialTheme.typography.titleSmall, modifier = Modifier.padding(top = 4.dp).semantics { heading() })
        Text(words(Keys.KIT_OLD_WORDS_WHAT), style = MaterialTheme.typography.bodyMedium)
        OutlinedTextField(
            value = state.oldWords,
            onValueChange = actions::editOldWords,
            label = { Text(words(Keys.KIT_OLD_WORDS)) },
            minLines = 2,
            isError = state.oldWordsMessage != null,
            supportingText = state.oldWordsMessage?.let { m -> { Text(words(m)) } },
            keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.None, autoCorrectEnabled = false),
            modifier = Modifier.fillMaxWidth().testTag(KitTags.OLD_WORDS),
        )
    }
    if (!state.serverSet && state.loaded) Text(words(Keys.KIT_NEEDS_SERVER), style = MaterialTheme.typography.bodyMedium)
    Problem(state.error)
    if (state.busy) KitWaiting(words(Keys.KIT_MAKING))
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(
            onClick = actions::make,
            enabled = !state.busy && state.serverSet,
            modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.MAKE_NOW),
        ) { Text(words(Keys.KIT_MAKE_NOW)) }
        TextButton(onClick = actions::closeMaker, enabled = !state.busy, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.NOT_NOW)) {
            Text(words(Keys.LOCK_NOT_NOW))
        }
    }
}

/** The words, large and numbered, shown once; the QR code (the whole kit only); save or print; "I wrote them down". */
@Composable
private fun ShowKit(state: KitState, actions: KitActions) {
    Heading(words(Keys.KIT_SHOW_TITLE))
    Important(words(Keys.KIT_SHOWN_ONCE))
    if (state.shares.isEmpty()) {
        WordGrid(state.words, Modifier.testTag(KitTags.WORDS))
        state.qr?.let { qr ->
            Box(Modifier.fillMaxWidth(), contentAlignment = Alignment.Center) {
                QrImage(qr, words(Keys.KIT_QR_DESCRIPTION), Modifier.testTag(KitTags.QR))
            }
            Text(words(Keys.KIT_QR_WHAT), style = MaterialTheme.typography.bodyMedium)
        }
    } else {
        Text(words(Keys.KIT_SHARES_WHAT), style = MaterialTheme.typography.bodyLarge)
        for (share in state.shares) {
            Section(words(Keys.KIT_SHARE_TITLE, share.number, UiText(RecoveryKitModel.shareFor(share.number))), Modifier.testTag(KitTags.share(share.number))) {
                WordGrid(share.words)
            }
        }
    }
    Note(state.message, Modifier.testTag(KitTags.MESSAGE))
    Problem(state.error)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(onClick = actions::wroteItDown, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.WROTE_IT)) {
            Text(words(Keys.KIT_WROTE_IT))
        }
        OutlinedButton(onClick = actions::saveOrPrint, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.SAVE)) {
            Text(words(Keys.KIT_SAVE))
        }
    }
}

/** Two words asked by position; wrong gives kind words and another try, and the words can be looked at again. */
@Composable
private fun CheckKit(state: KitState, actions: KitActions) {
    Heading(words(Keys.KIT_CHECK_TITLE))
    Text(words(Keys.KIT_CHECK_WHY), style = MaterialTheme.typography.bodyLarge)
    state.asks.forEachIndexed { i, ask ->
        OutlinedTextField(
            value = state.answers.getOrElse(i) { "" },
            onValueChange = { actions.editAnswer(i, it) },
            label = { Text(askLabel(ask)) },
            singleLine = true,
            keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.None, autoCorrectEnabled = false),
            modifier = Modifier.fillMaxWidth().testTag(KitTags.answer(i)),
        )
    }
    Problem(state.checkMessage, Modifier.testTag(KitTags.CHECK_MESSAGE))
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(onClick = actions::checkAnswers, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.CHECK)) {
            Text(words(Keys.KIT_CHECK))
        }
        OutlinedButton(onClick = actions::lookAgain, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.LOOK_AGAIN)) {
            Text(words(Keys.KIT_LOOK_AGAIN))
        }
    }
}

@Composable
private fun askLabel(ask: KitAsk): String =
    if (ask.share == null) words(Keys.KIT_CHECK_WORD, ask.position) else words(Keys.KIT_CHECK_SHARE_WORD, ask.position, ask.share!!)

/**
 * Twelve words, large and numbered, in reading order: two to a row, one
 * to a row with large text. Each is read out as "Word 3: apple".
 */
@Composable
private fun WordGrid(list: List<String>, modifier: Modifier = Modifier) {
    val columns = if (LocalDensity.current.fontScale > 1.3f) 1 else 2
    Column(modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        list.chunked(columns).forEachIndexed { row, chunk ->
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                chunk.forEachIndexed { j, word -> WordBox(row * columns + j + 1, word, Modifier.weight(1f)) }
                repeat(columns - chunk.size) { Spacer(Modifier.weight(1f)) }
            }
        }
    }
}

@Composable
private fun WordBox(n: Int, word: String, modifier: Modifier) {
    val description = words(Keys.KIT_WORD_DESCRIPTION, n, word)
    Surface(
        shape = RoundedCornerShape(8.dp),
        color = MaterialTheme.colorScheme.surfaceVariant,
        contentColor = MaterialTheme.colorScheme.onSurfaceVariant,
        modifier = modifier.testTag(KitTags.word(n)).clearAndSetSemantics { contentDescription = description },
    ) {
        Row(
            Modifier.padding(horizontal = 12.dp, vertical = 10.dp),
            verticalAlignment = Alignment.CenterVertically,
            horizontalArrangement = Arrangement.spacedBy(10.dp),
        ) {
            Text("$n", style = MaterialTheme.typography.titleMedium, modifier = Modifier.widthIn(min = 20.dp))
            Text(
                word,
                style = MaterialTheme.typography.headlineSmall.copy(fontWeight = FontWeight.SemiBold),
                color = MaterialTheme.colorScheme.onSurface,
            )
        }
    }
}

/** Words to take in before going on (not an error): on a card of their own. */
@Composable
private fun Important(text: String) {
    Card(
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.tertiaryContainer,
            contentColor = MaterialTheme.colorScheme.onTertiaryContainer,
        ),
        modifier = Modifier.fillMaxWidth(),
    ) {
        Text(text, modifier = Modifier.padding(12.dp), style = MaterialTheme.typography.bodyLarge)
    }
}

@Composable
private fun KitWaiting(text: String) {
    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(12.dp)) {
        CircularProgressIndicator(Modifier.size(24.dp), strokeWidth = 3.dp)
        Text(text, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.weight(1f))
    }
}

/** What is under a kit field as she types: how many words so far, that they look right, or what to look at again. */
@Composable
private fun checkWords(check: KitCheck, share: Boolean): String? = when {
    check.problem != null -> words(check.problem!!)
    check.ok && share && check.share != null -> words(Keys.KIT_RESTORE_SHARE_LOOKS_RIGHT, check.share!!)
    check.ok -> words(Keys.KIT_RESTORE_LOOKS_RIGHT)
    check.count > 0 -> words(Keys.KIT_RESTORE_COUNT, check.count)
    share -> words(Keys.KIT_RESTORE_SHARE_HINT)
    else -> null
}

/**
 * First run, "I have a recovery kit": the sync server's address, the 12
 * words (or two shares), each checked as typed with the words right
 * under the field; whether her other devices are lost; then "Bring
 * everything back", with progress while it works.
 */
@Composable
internal fun RestoreFromKit(state: FirstRunState, actions: FirstRunActions) {
    val r = state.restore
    val busy = state.busy
    Heading(words(Keys.KIT_RESTORE_TITLE))
    Text(words(Keys.KIT_RESTORE_INTRO), style = MaterialTheme.typography.bodyLarge)
    OutlinedTextField(
        value = r.server,
        onValueChange = actions::editRestoreServer,
        label = { Text(words(Keys.KIT_RESTORE_SERVER)) },
        placeholder = { Text("https://") },
        singleLine = true,
        enabled = !busy,
        isError = r.serverMessage != null,
        supportingText = r.serverMessage?.let { m -> { Text(words(m)) } },
        keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.None, autoCorrectEnabled = false),
        modifier = Modifier.fillMaxWidth().testTag(KitTags.RESTORE_SERVER),
    )
    FlowRow(
        Modifier.selectableGroup(),
        horizontalArrangement = Arrangement.spacedBy(8.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        ChoiceChip(words(Keys.KIT_RESTORE_WITH_WORDS), !r.withShares, KitTags.WITH_WORDS) { actions.useShares(false) }
        ChoiceChip(words(Keys.KIT_RESTORE_WITH_SHARES), r.withShares, KitTags.WITH_SHARES) { actions.useShares(true) }
    }
    if (!r.withShares) {
        if (state.canScan) {
            OutlinedButton(
                onClick = actions::scanKit,
                enabled = !busy,
                modifier = Modifier.fillMaxWidth().heightIn(min = MinTouch).testTag(KitTags.RESTORE_SCAN),
            ) { Text(words(Keys.KIT_SCAN)) }
        }
        val under = checkWords(r.wordsCheck, share = false)
        OutlinedTextField(
            value = r.words,
            onValueChange = actions::editKitWords,
            label = { Text(words(Keys.KIT_RESTORE_WORDS)) },
            minLines = 3,
            enabled = !busy,
            isError = r.wordsCheck.problem != null,
            supportingText = under?.let { t -> { Text(t) } },
            keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.None, autoCorrectEnabled = false),
            modifier = Modifier.fillMaxWidth().testTag(KitTags.RESTORE_WORDS),
        )
    } else {
        listOf(Keys.KIT_RESTORE_SHARE_FIRST, Keys.KIT_RESTORE_SHARE_SECOND).forEachIndexed { i, label ->
            val check = r.shareChecks.getOrElse(i) { KitCheck() }
            val under = checkWords(check, share = true)
            OutlinedTextField(
                value = r.shares.getOrElse(i) { "" },
                onValueChange = { actions.editKitShare(i, it) },
                label = { Text(words(label)) },
                minLines = 2,
                enabled = !busy,
                isError = check.problem != null,
                supportingText = under?.let { t -> { Text(t) } },
                keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.None, autoCorrectEnabled = false),
                modifier = Modifier.fillMaxWidth().testTag(KitTags.restoreShare(i)),
            )
        }
        Problem(r.sharesMessage)
    }
    Toggle(words(Keys.KIT_RESTORE_LOST), r.othersLost, { if (!busy) actions.setOthersLost(it) }, KitTags.LOST)
    Text(words(if (r.othersLost) Keys.KIT_RESTORE_LOST_YES else Keys.KIT_RESTORE_LOST_NO), style = MaterialTheme.typography.bodyMedium)
    if (r.restoring) KitWaiting(words(Keys.KIT_RESTORING))
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(onClick = actions::restore, enabled = !busy, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.RESTORE)) {
            Text(words(Keys.KIT_RESTORE))
        }
        TextButton(onClick = actions::back, enabled = !busy, modifier = Modifier.heightIn(min = MinTouch).testTag(KitTags.RESTORE_BACK)) {
            Text(words(Keys.FIRST_BACK))
        }
    }
}

/** After a restore, above the lock's choice: "Welcome back", and what came back. */
@Composable
internal fun WelcomeBack(said: List<UiText>) {
    Card(
        colors = CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.primaryContainer,
            contentColor = MaterialTheme.colorScheme.onPrimaryContainer,
        ),
        modifier = Modifier.fillMaxWidth().testTag(KitTags.RESTORED),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(words(Keys.KIT_WELCOME_BACK), style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { heading() })
            said.forEach { Text(words(it), style = MaterialTheme.typography.bodyLarge) }
        }
    }
}
