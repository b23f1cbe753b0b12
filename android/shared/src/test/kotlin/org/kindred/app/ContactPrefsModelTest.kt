package org.kindred.app

import java.time.DayOfWeek
import java.time.Instant
import java.time.ZoneId
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.ContactWay
import org.kindred.KindredStore
import org.kindred.SpaceId
import org.kindred.contactPrefs

/** "How I like to be contacted" on the real native library, through a real kindred-server to her worker. */
class ContactPrefsModelTest {
    private val f = Fixtures()
    private val clock = TestClock(Instant.parse("2026-07-01T12:00:00Z"), ZoneId.of("Europe/London"))
    private val words = Strings.englishSet

    @AfterEach
    fun close() = f.close()


    @Test
    fun windowsReadBackIntoTheForm() {
        assertEquals("mon-fri 10:00-14:00", WindowDraft().text())
        assertEquals(WindowDraft(DaysChoice.WEEKDAYS, emptySet(), "10:00", "14:00"), windowDraftOf("mon,tue,wed,thu,fri 10:00-14:00"))
        assertEquals(DaysChoice.WEEKENDS, windowDraftOf("sat,sun 09:00-12:00").days)
        assertEquals(DaysChoice.EVERY_DAY, windowDraftOf("18:00-21:00").days)
        val chosen = windowDraftOf("mon,wed 08:30-09:00")
        assertEquals(setOf(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY), chosen.chosen)
        assertEquals("mon,wed 08:30-09:00", chosen.text())
    }

    @Test
    fun sheSavesHerPrefsABadTimeIsRefusedAndHerWorkerSeesThem(): Unit = runBlocking {
        val url = f.server()
        val sam = f.store("Sam", url)
        val worker = f.store("worker laptop", url)
        val space = shareBetween(sam, worker)
        val prefs = ContactPrefsModel(sam, f.scope, f.io, clock)
        prefs.open(space.value, "Ana").await()
        var s = prefs.state.value
        assertEquals(space.value, s.space)
        assertTrue(s.ways.isEmpty() && s.windows.isEmpty(), "nothing said yet")

        prefs.toggleWay(ContactWay.TEXT)
        prefs.toggleWay(ContactWay.CALL)
        prefs.addWindow()
        prefs.addWindow()
        prefs.editWindow(1) { it.copy(days = DaysChoice.WEEKENDS, from = "14:00", to = "09:00") }
        prefs.setNoVoicemail(true)
        prefs.editCallWord("  blue ")
        prefs.editNote("Mornings are hard")
        prefs.save().await()
        s = prefs.state.value
        assertNull(s.windows[0].problem)
        assertEquals("Please check this: the end time can't be before the start time", words.format(s.windows[1].problem!!))
        assertEquals(UiText(Keys.CONTACT_PREFS_CHECK_TIMES), s.error)
        assertTrue(sam.contactPrefs(space).isEmpty, "nothing saved")

        // Chosen days with none picked is said too.
        prefs.editWindow(1) { it.copy(days = DaysChoice.CHOSEN, from = "09:00", to = "12:00") }
        assertNull(prefs.state.value.windows[1].problem, "the word goes once she changes it")
        prefs.save().await()
        assertEquals(UiText(Keys.CONTACT_PREFS_PICK_DAY), prefs.state.value.windows[1].problem)
        prefs.editWindow(1) { it.copy(chosen = setOf(DayOfWeek.SATURDAY, DayOfWeek.TUESDAY)) }
        prefs.save().await()
        s = prefs.state.value
        assertEquals(UiText(Keys.CONTACT_PREFS_SAVED, "Ana"), s.message)
        assertNull(s.error)

        val saved = sam.contactPrefs(space)
        assertEquals(listOf(ContactWay.CALL, ContactWay.TEXT), saved.ways)
        assertEquals(listOf("mon,tue,wed,thu,fri 10:00-14:00", "tue,sat 09:00-12:00"), saved.bestTimes)
        assertEquals("blue", saved.callWord)
        assertEquals(3600, saved.utcOffsetSeconds, "summer time in London")
        assertEquals("Europe/London", saved.zone)

        // Reopened (a new holder, as after a restart): what is saved shows.
        val again = ContactPrefsModel(sam, f.scope, f.io, clock)
        again.open(space.value, "Ana").await()
        s = again.state.value
        assertEquals(setOf(ContactWay.CALL, ContactWay.TEXT), s.ways)
        assertEquals(listOf(DaysChoice.WEEKDAYS, DaysChoice.CHOSEN), s.windows.map { it.days })
        assertEquals(setOf(DayOfWeek.TUESDAY, DayOfWeek.SATURDAY), s.windows[1].chosen)
        assertEquals(true, s.noVoicemail)
        assertEquals("blue", s.callWord)
        assertEquals("Mornings are hard", s.note)

        sam.sync()
        worker.sync()
        val seen = worker.contactPrefs(space)
        assertEquals(saved.bestTimes, seen.bestTimes)
        assertEquals(saved.ways, seen.ways)
        assertTrue(seen.noVoicemail)
        assertEquals("Mornings are hard", seen.note)

        // A window taken away, and the form closed.
        again.removeWindow(0)
        again.save().await()
        assertEquals(listOf("tue,sat 09:00-12:00"), sam.contactPrefs(space).bestTimes)
        again.close()
        assertNull(again.state.value.space)
    }
}
