package org.kindred

import java.io.File
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue

/**
 * A real kindred-server process on a free loopback port, and devices on it
 * in temporary folders, all removed on [close].
 */
class Relay : AutoCloseable {
    private val dirs = mutableListOf<File>()
    private val stores = mutableListOf<KindredStore>()
    private val server: Process
    val url: String
    val key = StorageKeys { ByteArray(32) { 5 } }

    init {
        val bin = System.getProperty("kindred.server.binary")
        val data = dir()
        server = ProcessBuilder(bin, "--listen", "127.0.0.1:0", "--data", data.path, "--removal-wait-secs", "0")
            // The whole suite shares one address: rate limits sized for people would refuse it.
            .apply { environment().putAll(TEST_LIMITS) }
            .redirectError(File(data, "server.log"))
            .start()
        val first = server.inputStream.bufferedReader().readLine()
        url = first.removePrefix("listening on ").trim()
        assertTrue(url.startsWith("http://127.0.0.1:"), first)
    }

    fun dir(): File = Files.createTempDirectory("kindred").toFile().also { dirs += it }

    /** A new device on this relay, closed with it. */
    suspend fun device(name: String): KindredStore =
        KindredStore.create(dir(), key, name).also { it.setServer(url); stores += it }

    /** A whole invite with matching strings: the new share's space, as the joiner got it. */
    suspend fun share(person: KindredStore, worker: KindredStore, role: Role = Role.WRITER): SpaceId = coroutineScope {
        val invite = person.invite(role = role)
        val joining = worker.join(invite.code)
        val a = async { invite.waitForSas() }
        val b = async { joining.waitForSas() }
        assertEquals(a.await(), b.await())
        val added = async { invite.confirm() }
        val joined = joining.confirm()
        assertEquals(joined.space, added.await().space)
        invite.close()
        joining.close()
        joined.space!!
    }

    override fun close() {
        stores.forEach { it.close() }
        server.destroy()
        server.waitFor(10, TimeUnit.SECONDS)
        dirs.forEach { it.deleteRecursively() }
    }
}

/** Rate limits high enough for a test suite's many devices on one address (this module's relays). */
internal val TEST_LIMITS = listOf(
    "KINDRED_LIMIT_CHALLENGES_PER_ADDRESS", "KINDRED_LIMIT_CHALLENGES_TOTAL",
    "KINDRED_LIMIT_SPACES_PER_ADDRESS", "KINDRED_LIMIT_SPACES_TOTAL",
    "KINDRED_LIMIT_RENDEZVOUS_PER_ADDRESS", "KINDRED_LIMIT_RENDEZVOUS_TOTAL",
).associateWith { "1000000" }
