package org.kindred

import java.nio.file.Files
import java.time.OffsetDateTime
import java.time.ZoneOffset
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.kindred.ffi.KindredException

/** Changing and deleting a check-in through the wrapper, on the real library. */
class CheckInEditsTest {
    @Test
    fun aCheckInIsChangedThenDeletedAndBadChangesChangeNothing(): Unit = runBlocking {
        val dir = Files.createTempDirectory("kindred-edits").toFile().also { it.deleteOnExit() }
        KindredStore.create(dir, StorageKeys { ByteArray(32) { 6 } }, "phone").use { k ->
            val at = OffsetDateTime.of(2026, 3, 2, 21, 0, 0, 0, ZoneOffset.UTC)
            val id = k.addCheckIn(2, energy = 4, tags = listOf("work"), note = "long day", at = at)
            k.updateCheckIn(id, mood = 4, tags = listOf("walk"), at = at.minusDays(1), clearEnergy = true, clearNote = true)
            val c = k.checkIns().single()
            assertEquals(4, c.mood)
            assertNull(c.energy)
            assertNull(c.note)
            assertEquals(listOf("walk"), c.tags)
            assertEquals(at.minusDays(1), c.occurredAt)
            k.updateCheckIn(id, note = "a better word")
            assertEquals("a better word", k.checkIns().single().note)
            assertEquals(4, k.checkIns().single().mood, "a null leaves a field as it is")

            assertThrows<KindredException.InvalidInput> { k.updateCheckIn(id, mood = 0) }
            assertEquals(4, k.checkIns().single().mood, "unchanged")

            k.deleteCheckIn(id)
            assertTrue(k.checkIns().isEmpty())
            assertThrows<KindredException.NotFound> { k.deleteCheckIn(id) }
        }
    }
}
