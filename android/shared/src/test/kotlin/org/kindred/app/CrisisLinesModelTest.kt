package org.kindred.app

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.crisisLines
import org.kindred.app.platform.Dialer
import org.kindred.app.platform.MemoryPreferences

/** "Need help now" on her own list in the core once unlocked, and the lines she saved before moved there once. */
class CrisisLinesModelTest {
    private val f = Fixtures()

    @AfterEach
    fun close() = f.close()

    private val dialer = object : Dialer {
        override val canCall = true
        override fun call(number: String) {}
        override fun text(number: String) {}
    }

    @Test
    fun linesSavedInPreferencesMoveIntoTheCoreOnceAndNothingIsLost(): Unit = runBlocking {
        val prefs = MemoryPreferences()
        val lines = CrisisLines(prefs, "GB")
        // Before this version: she took out the default and kept her sponsor.
        lines.save(listOf(CrisisLine("Sponsor", "+44 7700 900123", canCall = true, canText = true)))
        val k = f.store()
        val help = HelpModel(lines, dialer, "GB", f.scope, f.io)
        assertEquals("Sponsor", help.state.value.lines.single().name, "on the lock screen: what she saved")
        help.attach(k)!!.join()
        val s = help.state.value
        assertTrue(s.own)
        assertEquals(listOf("Sponsor" to "+44 7700 900123"), s.lines.map { it.name to it.number })
        assertTrue(s.lines.single().canText)
        assertEquals(listOf("+44 7700 900123"), k.crisisLines("GB").map { it.number }, "in the core")
        assertNull(lines.saved(), "the preference is cleared")

        help.detach()
        assertFalse(help.state.value.own)
        assertEquals(CrisisLines.defaultsFor("GB"), help.state.value.lines, "locked: the region's lines, nothing of hers")
        help.attach(k)!!.join()
        assertEquals(1, help.state.value.lines.size, "moved once, never twice")
    }

    @Test
    fun herListIsAddedToChangedAndRemovedInTheCoreAndRefusalsShowTheirWords(): Unit = runBlocking {
        val k = f.store()
        val lines = CrisisLines(MemoryPreferences(), "US")
        val help = HelpModel(lines, dialer, "US", f.scope, f.io)
        help.attach(k)!!.join()
        assertEquals(listOf("988"), help.state.value.lines.map { it.number }, "the region's line until she keeps her own")
        assertNull(help.state.value.lines.single().id)

        help.startEditing()
        help.editNew(name = "Jo (sponsor)", number = "555 01", canText = true)
        help.editMore(whenToUse = "Evenings")
        help.add()
        help.state.awaitState { it.done == UiText(Keys.HELP_LINE_SAVED) }
        assertEquals(2, help.state.value.lines.size, "the list shows it by the time it says so")
        val jo = help.state.value.lines.single { it.name == "Jo (sponsor)" }
        assertEquals("Evenings", jo.whenToUse)
        assertEquals(2, k.crisisLines("US").size)

        help.startChanging(jo)
        assertEquals("Jo (sponsor)", help.state.value.newName)
        help.editNew(name = "x".repeat(5_000))
        help.add()
        val refused = help.state.awaitState { it.message != null }
        assertEquals(Keys.ERROR_CHECK_THIS, refused.message!!.key)
        assertEquals("Jo (sponsor)", k.crisisLines("US").single { it.id?.value == jo.id }.name, "nothing changed")
        help.editNew(name = "Jo")
        help.add()
        help.state.awaitState { s -> s.lines.any { it.name == "Jo" } && s.changing == null }

        help.remove(help.state.value.lines.single { it.name == "Jo" })
        help.state.awaitState { it.done == UiText(Keys.HELP_LINE_REMOVED) }
        assertEquals(listOf("988"), help.state.value.lines.map { it.number }, "never empty")
    }
}
