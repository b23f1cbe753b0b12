package org.kindred.desktop

import java.io.File
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class DesktopPlatformTest {
    private fun tmp(): File = Files.createTempDirectory("kindred-desktop").toFile().also { it.deleteOnExit() }

    private fun mode(f: File) = PosixFilePermissions.toString(Files.getPosixFilePermissions(f.toPath()))

    @Test
    fun theKeyFileIsMadeOnceAndOnlyItsOwnerCanReadIt() {
        val dir = tmp()
        val file = File(dir, "data/storage.key")
        val first = KeyFile(file).storageKey()
        assertEquals(32, first.size)
        assertEquals("rw-------", mode(file))
        assertEquals("rwx------", mode(file.parentFile))
        assertArrayEquals(first, KeyFile(file).storageKey(), "the same key next time")
        file.writeBytes(ByteArray(5))
        assertThrows<IllegalStateException> { KeyFile(file).storageKey() }
    }

    @Test
    fun aPassphraseGivesTheSameKeyEachTimeAndADifferentOneForAnotherPassphrase() {
        val salt = File(tmp(), "passphrase.salt")
        val a = PassphraseKey(salt) { "quiet river".toCharArray() }.storageKey()
        val again = PassphraseKey(salt) { "quiet river".toCharArray() }.storageKey()
        val other = PassphraseKey(salt) { "loud river".toCharArray() }.storageKey()
        assertArrayEquals(a, again)
        assertFalse(a.contentEquals(other))
        assertEquals(32, a.size)
        assertEquals("rw-------", mode(salt))
    }

    @Test
    fun theDataOpensOnTheRealCoreWithThePassphraseAndNotWithAnother(): Unit = runBlocking {
        val dir = tmp()
        val stores = DesktopStores(dir, PassphraseKey(File(dir, "passphrase.salt")) { "quiet river".toCharArray() })
        assertFalse(stores.exists())
        stores.create("laptop", joining = false).use { it.addCheckIn(4) }
        assertTrue(stores.exists())
        assertEquals(1, stores.open().use { it.checkIns().size })
        val wrong = DesktopStores(dir, PassphraseKey(File(dir, "passphrase.salt")) { "something else".toCharArray() })
        assertTrue(runCatching { wrong.open() }.isFailure, "a wrong passphrase does not open the data")
    }

    @Test
    fun exportsAreSavedForTheOwnerOnly(): Unit = runBlocking {
        val home = tmp()
        File(home, "Documents").mkdirs()
        val where = SaveToDocuments(home).share("kindred-2026-03-04.json", "application/json", "{}".toByteArray())
        assertEquals(File(home, "Documents/kindred-2026-03-04.json").path, where)
        assertEquals("rw-------", mode(File(where)))
    }

    @Test
    fun theCommandLine() {
        val o = parse(arrayOf("--data", "/tmp/k", "--passphrase", "--smoke"))
        assertEquals(Options(File("/tmp/k"), passphrase = true, smoke = true), o)
        assertFalse(parse(emptyArray()).smoke)
    }

    @Test
    fun trayRemindersKeepExactlyTheListedFutureMomentsUnderTheirKeys() {
        val tray = TrayReminders()
        val soon = java.time.Instant.now().plusSeconds(3600)
        val past = java.time.Instant.now().minusSeconds(60)
        tray.scheduleAll(
            listOf(
                org.kindred.app.platform.ScheduledReminder("check-in/a/2026-12-04", soon, "Kindred"),
                org.kindred.app.platform.ScheduledReminder("goal-step/g/s/2026-12-05", soon.plusSeconds(60), "Kindred"),
                org.kindred.app.platform.ScheduledReminder("check-in/a/2026-12-01", past, "Kindred"),
            ),
        )
        assertEquals(setOf("check-in/a/2026-12-04", "goal-step/g/s/2026-12-05"), tray.scheduledKeys(), "a moment passed is not scheduled")
        tray.scheduleAll(listOf(org.kindred.app.platform.ScheduledReminder("check-in/a/2026-12-04", soon, "Kindred")))
        assertEquals(setOf("check-in/a/2026-12-04"), tray.scheduledKeys(), "what is no longer listed is cancelled")
        tray.scheduleAll(emptyList())
        assertTrue(tray.scheduledKeys().isEmpty())
    }
}
