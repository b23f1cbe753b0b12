package org.kindred.ui.harness

import java.io.File
import java.nio.file.Files
import java.util.concurrent.TimeUnit

/**
 * One real kindred-server process on a free loopback port for the whole
 * test run (as bindings/kotlin's suite starts it), stopped when the JVM exits.
 */
object TestServer {
    val url: String by lazy {
        val bin = System.getProperty("kindred.server.binary") ?: error("kindred.server.binary is not set")
        val data = Files.createTempDirectory("kindred-ui-server").toFile()
        val process = ProcessBuilder(bin, "--listen", "127.0.0.1:0", "--data", data.path, "--removal-wait-secs", "0")
            // The whole suite shares one address: rate limits sized for people would refuse it.
            .apply { environment().putAll(TEST_LIMITS) }
            .redirectError(File(data, "server.log"))
            .start()
        Runtime.getRuntime().addShutdownHook(Thread {
            process.destroy()
            process.waitFor(10, TimeUnit.SECONDS)
            data.deleteRecursively()
        })
        val first = process.inputStream.bufferedReader().readLine() ?: error("kindred-server did not start")
        first.removePrefix("listening on ").trim().also { check(it.startsWith("http://127.0.0.1:")) { first } }
    }
}

/** Rate limits high enough for a test suite's many devices on one address. */
private val TEST_LIMITS = listOf(
    "KINDRED_LIMIT_CHALLENGES_PER_ADDRESS", "KINDRED_LIMIT_CHALLENGES_TOTAL",
    "KINDRED_LIMIT_SPACES_PER_ADDRESS", "KINDRED_LIMIT_SPACES_TOTAL",
    "KINDRED_LIMIT_RENDEZVOUS_PER_ADDRESS", "KINDRED_LIMIT_RENDEZVOUS_TOTAL",
).associateWith { "1000000" }
