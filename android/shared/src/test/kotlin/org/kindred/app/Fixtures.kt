package org.kindred.app

import java.io.File
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.kindred.KindredStore
import org.kindred.StorageKeys

/** Stores in temporary folders, a real kindred-server, and a scope for state holders. */
class Fixtures : AutoCloseable {
    private val dirs = mutableListOf<File>()
    private val stores = mutableListOf<KindredStore>()
    private var server: Process? = null
    val key = StorageKeys { ByteArray(32) { 5 } }
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val io = Dispatchers.IO

    fun dir(): File = Files.createTempDirectory("kindred-app").toFile().also { dirs += it }

    fun store(name: String = "phone", url: String? = null): KindredStore = runBlocking {
        KindredStore.create(dir(), key, name).also { k ->
            stores += k
            if (url != null) k.setServer(url)
        }
    }

    fun joiningStore(name: String): KindredStore =
        runBlocking { KindredStore.createJoining(dir(), key, name) }.also { stores += it }

    /** Starts kindred-server on a free loopback port; returns its URL. */
    fun server(): String {
        val bin = System.getProperty("kindred.server.binary") ?: error("kindred.server.binary is not set")
        val data = dir()
        val p = ProcessBuilder(bin, "--listen", "127.0.0.1:0", "--data", data.path, "--removal-wait-secs", "0")
            // The whole suite shares one address: rate limits sized for people would refuse it.
            .apply { environment().putAll(TEST_LIMITS) }
            .redirectError(File(data, "server.log"))
            .start()
        server = p
        val first = p.inputStream.bufferedReader().readLine() ?: error("the server printed nothing")
        return first.removePrefix("listening on ").trim()
    }

    override fun close() {
        scope.cancel()
        stores.forEach { runCatching { it.close() } }
        server?.let {
            it.destroy()
            it.waitFor(10, TimeUnit.SECONDS)
        }
        dirs.forEach { it.deleteRecursively() }
    }
}

/** A clock a test moves by hand. */
class TestClock(var now: java.time.Instant, private val zone: java.time.ZoneId) : java.time.Clock() {
    override fun instant(): java.time.Instant = now
    override fun getZone(): java.time.ZoneId = zone
    override fun withZone(zone: java.time.ZoneId): java.time.Clock = TestClock(now, zone)
    fun advance(by: java.time.Duration) { now = now.plus(by) }
}

/** Waits for the work an intent started. */
fun Job.await() = runBlocking { join() }

/** Waits until the state shows what [ready] looks for (a latch on the flow, bounded so a bug cannot hang CI). */
fun <S> StateFlow<S>.awaitState(ready: (S) -> Boolean): S = runBlocking { withTimeout(120_000) { first(ready) } }

/**
 * A whole invite from [person] to [worker] with matching strings, both
 * saying yes (as in the bindings' tests); returns the share's space.
 */
suspend fun shareBetween(person: KindredStore, worker: KindredStore): org.kindred.SpaceId = kotlinx.coroutines.coroutineScope {
    val invite = person.invite()
    val joining = worker.join(invite.code)
    val a = async { invite.waitForSas() }
    val b = async { joining.waitForSas() }
    org.junit.jupiter.api.Assertions.assertEquals(a.await(), b.await())
    val added = async { invite.confirm() }
    val joined = joining.confirm()
    added.await()
    invite.close()
    joining.close()
    joined.space!!
}

/** Rate limits high enough for a test suite's many devices on one address. */
private val TEST_LIMITS = listOf(
    "KINDRED_LIMIT_CHALLENGES_PER_ADDRESS", "KINDRED_LIMIT_CHALLENGES_TOTAL",
    "KINDRED_LIMIT_SPACES_PER_ADDRESS", "KINDRED_LIMIT_SPACES_TOTAL",
    "KINDRED_LIMIT_RENDEZVOUS_PER_ADDRESS", "KINDRED_LIMIT_RENDEZVOUS_TOTAL",
).associateWith { "1000000" }
