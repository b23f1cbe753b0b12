package org.kindred.app

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.kindred.CrisisLineId
import org.kindred.KindredStore
import org.kindred.addCrisisLine
import org.kindred.crisisLines
import org.kindred.keepDefaultCrisisLines
import org.kindred.removeCrisisLine
import org.kindred.updateCrisisLine
import org.kindred.app.platform.Dialer

data class HelpState(
    val lines: List<CrisisLine> = emptyList(),
    /** Where this device cannot call (a laptop): the screen shows the number large instead. */
    val canCall: Boolean = true,
    val editing: Boolean = false,
    val newName: String = "",
    val newNumber: String = "",
    val newCanText: Boolean = false,
    val message: UiText? = null,
    /** The line being changed (its id); null while adding a new one. */
    val changing: String? = null,
    val newCanCall: Boolean = true,
    val newWhen: String = "",
    /** Her own list from her data (unlocked); false on the lock screen and first run, which show the region's lines. */
    val own: Boolean = false,
    /** Kind words after a change ("Saved"). */
    val done: UiText? = null,
)

/** What the screen can ask of its state holder (no-ops by default, for previews and screenshots). */
interface HelpActions {
    fun call(line: CrisisLine) {}
    fun text(line: CrisisLine) {}
    fun startEditing() {}
    fun doneEditing() {}
    fun editNew(name: String? = null, number: String? = null, canText: Boolean? = null) {}
    fun editMore(canCall: Boolean? = null, whenToUse: String? = null) {}
    /** Fills the form with a line she keeps, to change it. */
    fun startChanging(line: CrisisLine) {}
    fun add() {}
    fun remove(line: CrisisLine) {}
    fun restoreDefaults() {}
}

/**
 * "Need help now": the person's crisis lines, a call or a text one tap
 * away, and editing the list. Needs no open store, so it works on the lock
 * screen and during first run (the region's lines, or ones she saved here
 * before); once the app is unlocked ([attach]) the list is her own, kept
 * in her data by the core, and lines saved here before move there once.
 */
class HelpModel(
    private val lines: CrisisLines,
    private val dialer: Dialer,
    private val region: String = "",
    private val scope: CoroutineScope? = null,
    private val io: CoroutineContext = Dispatchers.IO,
) : HelpActions {
    private val mutable = MutableStateFlow(HelpState(lines.lines(), dialer.canCall))
    val state: StateFlow<HelpState> = mutable.asStateFlow()

    @Volatile private var store: KindredStore? = null

    /** The app is unlocked: moves lines saved in preferences into the core (once), then shows her own list. */
    fun attach(store: KindredStore): Job? {
        this.store = store
        return core { moveSavedLines(it); reload(it) }
    }

    /** Locked again (or closed): the region's lines, nothing of hers on show. */
    fun detach() {
        store = null
        mutable.update { HelpState(lines.lines(), dialer.canCall) }
    }

    private suspend fun reload(k: KindredStore) {
        val list = k.crisisLines(region).map {
            CrisisLine(it.name, it.number, it.canCall, it.canText, it.fromDefaults, it.id?.value, it.whenToUse)
        }
        mutable.update { it.copy(lines = list, own = true) }
    }

    /**
     * Lines she wrote before they lived in the core: each added to it
     * (unless it is there already), defaults she had removed removed, and
     * the preference cleared only once every one of them is safely in.
     */
    private suspend fun moveSavedLines(k: KindredStore) {
        val saved = lines.saved() ?: return
        val have = k.crisisLines(region)
        var allIn = true
        for (l in saved.filter { !it.fromDefaults }) {
            if (have.any { it.number == l.number && it.name == l.name }) continue
            try {
                k.addCrisisLine(region, l.name, l.number, l.canCall, l.canText, null)
            } catch (e: org.kindred.ffi.KindredException) {
                allIn = false
            }
        }
        if (saved.any { !it.fromDefaults }) {
            val keep = saved.map { it.number }.toSet()
            k.crisisLines(region).filter { it.fromDefaults && it.number !in keep }.forEach { d -> d.id?.let { k.removeCrisisLine(it) } }
        }
        if (allIn) lines.reset()
    }

    private fun core(block: suspend (KindredStore) -> Unit): Job? {
        val k = store ?: return null
        val s = scope ?: return null
        return s.launch {
            try {
                withContext(io) { block(k) }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                mutable.update { it.copy(message = errorText(e), done = null) }
            }
        }
    }

    override fun call(line: CrisisLine) = dialer.call(line.number)

    override fun text(line: CrisisLine) = dialer.text(line.number)

    override fun startEditing() = mutable.update { it.copy(editing = true, message = null, done = null) }

    override fun doneEditing() = mutable.update { clearForm(it).copy(editing = false, done = null) }

    private fun clearForm(s: HelpState) =
        s.copy(newName = "", newNumber = "", newCanText = false, newCanCall = true, newWhen = "", changing = null, message = null)

    override fun editNew(name: String?, number: String?, canText: Boolean?) = mutable.update {
        it.copy(newName = name ?: it.newName, newNumber = number ?: it.newNumber, newCanText = canText ?: it.newCanText, message = null)
    }

    override fun editMore(canCall: Boolean?, whenToUse: String?) = mutable.update {
        it.copy(newCanCall = canCall ?: it.newCanCall, newWhen = whenToUse ?: it.newWhen, message = null)
    }

    override fun startChanging(line: CrisisLine) {
        if (line.id == null) {
            // A regional default: kept as her own first, then the same line (same place in the list) is changed.
            if (store != null) core { k -> keptAs(k, line)?.let { kept -> fillForm(kept) } }
            return
        }
        fillForm(line)
    }

    private fun fillForm(line: CrisisLine) = mutable.update {
        it.copy(
            editing = true, changing = line.id, newName = line.name, newNumber = line.number,
            newCanCall = line.canCall, newCanText = line.canText, newWhen = line.whenToUse.orEmpty(), message = null, done = null,
        )
    }

    /**
     * The region's defaults kept as her own lines ([keepDefaultCrisisLines]);
     * returns the kept line at [line]'s place in the list, with its id, and shows the kept list.
     */
    private suspend fun keptAs(k: KindredStore, line: CrisisLine): CrisisLine? {
        val at = mutable.value.lines.indexOf(line)
        val kept = k.keepDefaultCrisisLines(region)
        reload(k)
        val l = kept.getOrNull(at)?.takeIf { it.id != null && it.number == line.number } ?: return null
        return CrisisLine(l.name, l.number, l.canCall, l.canText, l.fromDefaults, l.id?.value, l.whenToUse)
    }

    /** Adds the line being typed (or saves the one being changed); a number needs at least two digits. */
    override fun add() {
        val s = mutable.value
        val number = s.newNumber.trim()
        if (number.count(Char::isDigit) < 2 || number.any { !(it.isDigit() || it in " +-()") }) {
            mutable.update { it.copy(message = UiText(Keys.HELP_NUMBER_RULE)) }
            return
        }
        if (store != null) {
            core { k ->
                val whenToUse = s.newWhen.trim().ifEmpty { null }
                val id = s.changing
                if (id == null) k.addCrisisLine(region, s.newName.trim(), number, s.newCanCall, s.newCanText, whenToUse)
                else k.updateCrisisLine(CrisisLineId(id), s.newName.trim(), number, s.newCanCall, s.newCanText, whenToUse)
                reload(k)
                // The kind words only once the list on screen shows the change.
                mutable.update { clearForm(it).copy(done = UiText(Keys.HELP_LINE_SAVED)) }
            }
            return
        }
        val line = CrisisLine(s.newName.trim(), number, canCall = true, canText = s.newCanText)
        save(s.lines + line)
        mutable.update { it.copy(newName = "", newNumber = "", newCanText = false, message = null) }
    }

    override fun remove(line: CrisisLine) {
        if (store != null) {
            core { k ->
                val id = line.id ?: keptAs(k, line)?.id ?: return@core
                k.removeCrisisLine(CrisisLineId(id))
                reload(k)
                mutable.update { clearForm(it).copy(done = UiText(Keys.HELP_LINE_REMOVED)) }
            }
            return
        }
        save(mutable.value.lines - line)
    }

    /** Back to the region's default lines. */
    override fun restoreDefaults() {
        if (store != null) {
            core { k ->
                k.crisisLines(region).forEach { l -> l.id?.let { k.removeCrisisLine(it) } }
                mutable.update { clearForm(it).copy(done = null) }
                reload(k)
            }
            return
        }
        lines.reset()
        mutable.update { it.copy(lines = lines.lines()) }
    }

    private fun save(list: List<CrisisLine>) {
        lines.save(list)
        mutable.update { it.copy(lines = list) }
    }
}
