package org.kindred.app

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
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
)

/**
 * "Need help now": the person's crisis lines (a default for their region
 * until they change it), a call or a text one tap away, and editing the list.
 * Needs no open store, so it works on the lock screen and during first run.
 */
/** What the screen can ask of its state holder (no-ops by default, for previews and screenshots). */
interface HelpActions {
    fun call(line: CrisisLine) {}
    fun text(line: CrisisLine) {}
    fun startEditing() {}
    fun doneEditing() {}
    fun editNew(name: String? = null, number: String? = null, canText: Boolean? = null) {}
    fun add() {}
    fun remove(line: CrisisLine) {}
    fun restoreDefaults() {}
}

class HelpModel(private val lines: CrisisLines, private val dialer: Dialer) : HelpActions {
    private val mutable = MutableStateFlow(HelpState(lines.lines(), dialer.canCall))
    val state: StateFlow<HelpState> = mutable.asStateFlow()

    override fun call(line: CrisisLine) = dialer.call(line.number)

    override fun text(line: CrisisLine) = dialer.text(line.number)

    override fun startEditing() = mutable.update { it.copy(editing = true, message = null) }

    override fun doneEditing() = mutable.update { it.copy(editing = false, newName = "", newNumber = "", newCanText = false, message = null) }

    override fun editNew(name: String?, number: String?, canText: Boolean?) = mutable.update {
        it.copy(newName = name ?: it.newName, newNumber = number ?: it.newNumber, newCanText = canText ?: it.newCanText, message = null)
    }

    /** Adds the line being typed; a number needs at least two digits. */
    override fun add() {
        val s = mutable.value
        val number = s.newNumber.trim()
        if (number.count(Char::isDigit) < 2 || number.any { !(it.isDigit() || it in " +-()") }) {
            mutable.update { it.copy(message = UiText(Keys.HELP_NUMBER_RULE)) }
            return
        }
        val line = CrisisLine(s.newName.trim(), number, canCall = true, canText = s.newCanText)
        save(s.lines + line)
        mutable.update { it.copy(newName = "", newNumber = "", newCanText = false, message = null) }
    }

    override fun remove(line: CrisisLine) = save(mutable.value.lines - line)

    /** Back to the region's default lines. */
    override fun restoreDefaults() {
        lines.reset()
        mutable.update { it.copy(lines = lines.lines()) }
    }

    private fun save(list: List<CrisisLine>) {
        lines.save(list)
        mutable.update { it.copy(lines = list) }
    }
}
