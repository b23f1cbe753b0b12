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
    fun destroyingDeletesTheKeyThenTheDataAndLeavesTheRestOfTheFolder(): Unit = runBlocking {
        val dir = tmp()
        val key = File(dir, "storage.key")
        val stores = DesktopStores(dir, KeyFile(key))
        stores.create("laptop", joining = false).use { it.addCheckIn(2, note = "Rough night") }
        File(dir, "settings.properties").writeText("lock_method=pin\n")
        val decoyDir = File(dir, "profile-2")
        val decoys = DesktopStores(decoyDir, KeyFile(File(decoyDir, "storage.key")))
        decoys.create("laptop", joining = false).close()
        val copy = tmp()
        dir.listFiles { f -> f.name.startsWith("kindred.db") }!!.forEach { it.copyTo(File(copy, it.name)) }

        stores.destroy()
        assertFalse(stores.exists())
        assertFalse(key.exists(), "the key is gone")
        assertTrue(dir.listFiles()!!.none { it.name.startsWith("kindred.db") }, "and the data")
        assertTrue(File(dir, "settings.properties").exists(), "the settings stay (the lock still asks)")
        assertTrue(decoys.exists(), "the empty Kindred stays")
        assertTrue(runCatching { DesktopStores(copy, KeyFile(key)).open() }.isFailure, "a copy of the files opens no more")
        stores.destroy() // nothing there: no error

        val salt = File(dir, "passphrase.salt")
        val withPassphrase = DesktopStores(tmp(), PassphraseKey(salt) { "quiet river".toCharArray() })
        withPassphrase.create("laptop", joining = false).close()
        withPassphrase.destroy()
        assertFalse(salt.exists(), "without its salt the passphrase gives the key no more")
        assertFalse(withPassphrase.exists())
    }

    @Test
    fun trayRemindersShowTheTitleAndNothingElse() {
        val shown = java.util.concurrent.CopyOnWriteArrayList<Pair<String, String>>()
        val tray = TrayReminders { title, text -> shown += title to text }
        tray.scheduleAll(listOf(org.kindred.app.platform.ScheduledReminder("goal-step/g/s/2026-12-05", java.time.Instant.now().plusMillis(200), "Kindred")))
        val soon = java.time.LocalTime.now().plusSeconds(2)
        val crossesMidnight = soon.isBefore(java.time.LocalTime.now())
        if (!crossesMidnight) tray.scheduleDaily(soon, "Kindred", "Call Jamie about the court letter")
        val until = System.nanoTime() + 10_000_000_000L
        while (shown.size < (if (crossesMidnight) 1 else 2) && System.nanoTime() < until) Thread.sleep(50)
        tray.cancelDaily()
        assertTrue(shown.isNotEmpty(), "the reminders showed")
        assertTrue(shown.all { it == ("Kindred" to "") }, "only \"Kindred\": $shown")
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
