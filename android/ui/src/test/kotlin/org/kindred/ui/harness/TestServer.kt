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
