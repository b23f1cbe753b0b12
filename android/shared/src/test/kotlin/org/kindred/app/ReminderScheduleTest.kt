package org.kindred.app

import kotlinx.coroutines.runBlocking
import java.time.Clock
import java.time.DayOfWeek
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import java.time.ZoneId
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.kindred.setCheckInReminders
import org.kindred.app.platform.Notifications
import org.kindred.app.platform.ScheduledReminder

/** Reminders from the core reach the platform as moments with only "Kindred" to show. */
class ReminderScheduleTest {
    private val f = Fixtures()

    @AfterEach
    fun close() = f.close()

    private class Recorder : Notifications {
        var fires: List<ScheduledReminder> = emptyList()
        override suspend fun requestPermission() = true
        override fun scheduleDaily(at: LocalTime, title: String, text: String) {}
        override fun cancelDaily() {}
        override fun scheduleAll(fires: List<ScheduledReminder>) { this.fires = fires }
    }

    @Test
    fun checkInTimesAndADueStepAreScheduledWithNoContent(): Unit = runBlocking {
        val k = f.store()
        val zone = ZoneId.of("America/New_York")
        // Thursday 2026-03-05, noon in New York; DST starts on Sunday the 8th.
        val clock = Clock.fixed(Instant.parse("2026-03-05T17:00:00Z"), zone)
        k.setCheckInReminders(listOf(LocalTime.of(21, 0) to setOf(DayOfWeek.SUNDAY)))
        val goal = k.addGoal("Call the housing office about the flat")
        k.addStep(goal, "Find the letter from the council", LocalDate.of(2026, 3, 9))
        val rec = Recorder()
        val fires = ReminderSchedule(k, rec, clock).refresh()
        assertEquals(fires, rec.fires)
        assertEquals(
            listOf(Instant.parse("2026-03-09T01:00:00Z"), Instant.parse("2026-03-09T13:00:00Z")),
            fires.map { it.at },
            "Sunday 21:00 EDT (after the change), Monday 09:00 EDT",
        )
        assertTrue(fires.all { it.title == "Kindred" })
        for (f in fires) {
            for (private in listOf("housing", "letter", "council", "flat")) {
                assertTrue(private !in f.toString(), "nothing of what she wrote: $f")
            }
        }
        // A new time replaces the old schedule.
        k.setCheckInReminders(emptyList())
        assertEquals(1, ReminderSchedule(k, rec, clock).refresh().size)
        assertEquals(1, rec.fires.size)
    }

    @Test
    fun fixedOffsetsAreNamedTheWayTheCoreKnowsThem() {
        assertEquals("UTC", ReminderSchedule.ianaName(java.time.ZoneOffset.UTC))
        assertEquals("Etc/GMT-2", ReminderSchedule.ianaName(java.time.ZoneOffset.ofHours(2)))
        assertEquals("Etc/GMT+5", ReminderSchedule.ianaName(java.time.ZoneOffset.ofHours(-5)))
        assertEquals("Europe/London", ReminderSchedule.ianaName(ZoneId.of("Europe/London")))
    }
}
