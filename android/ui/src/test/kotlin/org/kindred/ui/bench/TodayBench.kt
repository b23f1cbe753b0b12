package org.kindred.ui.bench

import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.unit.Density
import java.io.File
import java.net.ServerSocket
import java.net.Socket
import java.nio.file.Files
import java.time.Clock
import java.time.OffsetDateTime
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.concurrent.thread
import kotlin.random.Random
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.kindred.KindredStore
import org.kindred.StorageKeys
import org.kindred.app.TodayModel
import org.kindred.ui.KindredTheme
import org.kindred.ui.TodayScreen

/**
 * Issue 12's benchmark (a bench, not a test; scripts/ui-bench.sh runs it):
 *
 * - from opening the store holding the five-year dataset to Today's first
 *   frame that shows the check-ins and the chart (fresh store object each run);
 * - a check-in from the tap on Save to the frame that shows it in the list;
 *
 * both while a sync is stuck on a relay that accepts the connection and
 * never answers (started right after opening, as the app does).
 * Prints a table of medians.
 */
fun main(args: Array<String>) {
    val runs = args.firstOrNull()?.toIntOrNull() ?: 11
    val taps = args.getOrNull(1)?.toIntOrNull() ?: 51
    val dir = Files.createTempDirectory("kindred-ui-bench").toFile()
    val keys = StorageKeys { ByteArray(32) { 11 } }
    val relay = SilentRelay()
    try {
        val built = System.nanoTime()
        runBlocking { buildFiveYears(dir, keys) }
        val buildMs = (System.nanoTime() - built) / 1e6
        System.err.println("dataset built in %.1f s".format(buildMs / 1000))
        runBlocking { KindredStore.open(dir, keys).use { it.setServer(relay.url) } }

        println()
        println("| measure | result | target |")
        println("|---|---|---|")
        println("| five-year dataset build through KindredStore (6,400 durable writes) | %.1f s | - |".format(buildMs / 1000))
        for (stuckSync in listOf(false, true)) {
            val r = measure(dir, keys, relay, stuckSync, if (stuckSync) 1 else runs, if (stuckSync) 21 else taps)
            val during = if (stuckSync) "while a sync is stuck on a silent relay" else "no sync running"
            println("| open store -> Today's first frame with its data, median of ${r.opens.size} ($during) | %.1f ms | <= 500 ms |".format(median(r.opens)))
            println("| check-in: tap Save -> shown in the list, median of ${r.taps.size} ($during) | %.1f ms | <= 50 ms |".format(median(r.taps)))
            println("| same, p95 / slowest | %.1f / %.1f ms | - |".format(p95(r.taps), r.taps.max()))
            if (stuckSync) {
                println("| the sync still stuck when Today's first frame showed / after the last check-in | ${yes(r.stuckAtFrame)} / ${yes(r.stuckAtEnd)} | yes / yes |")
                println("| connections the silent relay held open | ${relay.connections.size} | - |")
            }
            println("| check-ins on Today's list (last 28 days) | ${r.listed} | - |")
        }
    } finally {
        relay.close()
        dir.deleteRecursively()
    }
    kotlin.system.exitProcess(0)
}

private class Result(val opens: List<Double>, val taps: List<Double>, val listed: Int, val stuckAtFrame: Boolean, val stuckAtEnd: Boolean)

private fun yes(b: Boolean) = if (b) "yes" else "no"

/** [runs] fresh opens to Today's first frame, then [taps] check-ins on the last one. */
private fun measure(dir: File, keys: StorageKeys, relay: SilentRelay, stuckSync: Boolean, runs: Int, taps: Int): Result {
    val opens = mutableListOf<Double>()
    val tapTimes = mutableListOf<Double>()
    var listed = 0
    var stuckAtFrame = false
    var stuckAtEnd = false
    repeat(runs) { run ->
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        val t0 = System.nanoTime()
        val store = runBlocking { KindredStore.open(dir, keys) }
        val sync: Job? = if (stuckSync) scope.launch(Dispatchers.IO) { runCatching { store.sync() } } else null
        val today = TodayModel(store, scope, Dispatchers.IO, Clock.systemDefaultZone())
        today.refresh()
        val scene = ImageComposeScene(420, 900, Density(1f)) { KindredTheme(dark = false) { TodayScreen(today) } }
        renderUntil(scene) { today.state.value.loaded }
        scene.render().close() // the frame that shows what loaded
        opens += (System.nanoTime() - t0) / 1e6
        System.err.println("open -> first frame: %.1f ms".format(opens.last()))
        listed = today.state.value.recent.size
        stuckAtFrame = sync?.isActive == true
        if (run == runs - 1) {
            repeat(taps) { i ->
                val before = today.state.value.recent.size
                today.pickMood(1 + i % 5) // tap one (not timed: the tap measured is Save)
                scene.render().close()
                val t1 = System.nanoTime()
                today.save() // tap two
                renderUntil(scene) { today.state.value.recent.size > before }
                scene.render().close()
                tapTimes += (System.nanoTime() - t1) / 1e6
            }
            stuckAtEnd = sync?.isActive == true
        }
        scene.close()
        scope.cancel()
        store.close()
    }
    return Result(opens, tapTimes, listed, stuckAtFrame, stuckAtEnd)
}

/** Renders frames until [done] holds (bounded: 90 s, then the time so far counts), as a display would while waiting. */
private fun renderUntil(scene: ImageComposeScene, done: () -> Boolean) {
    val until = System.nanoTime() + 90_000_000_000L
    while (!done()) {
        if (System.nanoTime() > until) {
            System.err.println("still waiting after 90 s: gave up")
            return
        }
        // Each frame is a native image: closed at once, and a short pause so
        // the loop polls rather than spins.
        scene.render().close()
        Thread.sleep(0, 200_000)
    }
}

private fun median(xs: List<Double>) = xs.sorted()[xs.size / 2]

private fun p95(xs: List<Double>) = xs.sorted()[((xs.size - 1) * 0.95).toInt()]

/** A relay that takes every connection on 127.0.0.1 and never says a word. */
private class SilentRelay : AutoCloseable {
    private val server = ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())
    val connections = CopyOnWriteArrayList<Socket>()
    val url = "http://127.0.0.1:${server.localPort}"
    private val acceptor = thread(isDaemon = true, name = "silent-relay") {
        while (!server.isClosed) {
            val s = runCatching { server.accept() }.getOrNull() ?: break
            connections += s
        }
    }

    override fun close() {
        server.close()
        connections.forEach { runCatching { it.close() } }
        acceptor.join(1000)
    }
}

private val WORDS = listOf(
    "talked", "about", "the", "week", "walked", "library", "group", "plans", "housing", "shared", "story",
    "strengths", "called", "sister", "coffee", "park", "felt", "hopeful", "tired", "work", "bus", "garden",
)

private fun words(r: Random, bytes: Int) = buildString {
    while (length < bytes) append(WORDS[r.nextInt(WORDS.size)]).append(' ')
}.trim()

/** The five-year dataset of docs/BENCHMARKS.md (as tests/src/dataset.rs), through the Kotlin API. */
private suspend fun buildFiveYears(dir: File, keys: StorageKeys) {
    val r = Random(20_261_122)
    val start = OffsetDateTime.now().minusDays(5 * 365L)
    val tags = listOf("sleep", "walk", "friends", "work", "family", "music")
    KindredStore.create(dir, keys, "phone").use { k ->
        for (i in 0 until 2_000) {
            k.addCheckIn(1 + r.nextInt(5), 1 + r.nextInt(5), tags.take(r.nextInt(3)), words(r, 100), start.plusMinutes(i * 1314L))
        }
        for (g in 0 until 100) {
            val id = k.addGoal("Goal $g: ${words(r, 30)}", why = words(r, 120))
            repeat(10) { s -> k.addStep(id, "Step $s: ${words(r, 40)}") }
        }
        val contacts = (0 until 300).map { k.addContact("Person $it") }
        for (i in 0 until 3_000) {
            val at = start.plusHours(i * 14L)
            k.addNote(
                contacts[i % 300], at, at.plusMinutes(45), words(r, 700),
                goalsAddressed = listOf("housing"), peerActivities = listOf("walked to the library"),
                ownWords = words(r, 150), strengths = words(r, 80), nextSteps = words(r, 80),
                substanceUse = i % 10 == 0,
            )
        }
    }
}
