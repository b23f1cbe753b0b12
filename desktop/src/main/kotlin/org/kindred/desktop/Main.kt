package org.kindred.desktop

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.snapshotFlow
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Window
import androidx.compose.ui.window.application
import androidx.compose.ui.window.rememberWindowState
import java.io.File
import kotlin.system.exitProcess
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.delay
import org.kindred.app.AppModel
import org.kindred.app.AppPhase
import org.kindred.app.platform.FilePreferences
import org.kindred.app.platform.Platform
import org.kindred.ui.KindredApp
import org.kindred.ui.KindredTheme
import org.kindred.ui.withScreens

/** What the command line asked for. */
data class Options(val dataDir: File, val passphrase: Boolean, val smoke: Boolean)

fun parse(args: Array<String>): Options {
    var data = System.getenv("KINDRED_DATA")?.takeIf { it.isNotBlank() }?.let(::File) ?: defaultDataDir()
    var passphrase = false
    var smoke = false
    var i = 0
    while (i < args.size) {
        when (args[i]) {
            "--data" -> data = File(args.getOrNull(++i) ?: usage())
            "--passphrase" -> passphrase = true
            "--smoke" -> smoke = true
            "--help", "-h" -> usage(0)
            else -> usage()
        }
        i++
    }
    return Options(data, passphrase, smoke)
}

private fun usage(code: Int = 2): Nothing {
    System.err.println(
        """
        Kindred for laptops
          java -jar kindred-desktop.jar [--data DIR] [--passphrase] [--smoke]
          --data DIR     where the data lives (default: ${defaultDataDir()})
          --passphrase   derive the key from a passphrase typed at start (for a shared computer)
                         instead of a key file readable only by you
          --smoke        open the window, wait for the first screen, print one line and quit
        The native core is found through -Djna.library.path (default: ./target/debug).
        """.trimIndent(),
    )
    exitProcess(code)
}

/** The passphrase: KINDRED_PASSPHRASE, or typed at the console without echo. */
private fun askPassphrase(): CharArray =
    System.getenv("KINDRED_PASSPHRASE")?.toCharArray()
        ?: System.console()?.readPassword("Kindred passphrase: ")
        ?: error("no console to ask for the passphrase; set KINDRED_PASSPHRASE")

fun platformFor(o: Options): Platform {
    val keys = if (o.passphrase) PassphraseKey(File(o.dataDir, "passphrase.salt"), ::askPassphrase)
    else KeyFile(File(o.dataDir, "storage.key"))
    // The empty Kindred a duress PIN opens: a folder and key file of its own.
    val decoyDir = File(o.dataDir, "profile-2")
    return Platform(
        stores = DesktopStores(o.dataDir, keys),
        decoyStores = DesktopStores(decoyDir, KeyFile(File(decoyDir, "storage.key"))),
        preferences = FilePreferences(File(o.dataDir, "settings.properties")),
        dialer = DesktopDialer,
        biometrics = NoBiometrics,
        deviceSecurity = { false },
        notifications = TrayReminders(),
        qrScanner = NoCamera,
        shareSheet = SaveToDocuments(),
    )
}

fun main(args: Array<String>) {
    val options = parse(args)
    if (System.getProperty("jna.library.path") == null) {
        System.setProperty("jna.library.path", File("target/debug").absolutePath)
    }
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val app = AppModel(platformFor(options), scope, Dispatchers.IO, withScreens)
    app.start()
    application {
        val window = rememberWindowState(width = 460.dp, height = 860.dp)
        Window(
            onCloseRequest = {
                app.close()
                exitApplication()
            },
            state = window,
            title = "Kindred",
        ) {
            KindredTheme(dark = isSystemInDarkTheme()) { KindredApp(app) }
            // Minimised counts as the background: the lock comes back after the chosen time.
            LaunchedEffect(Unit) {
                snapshotFlow { window.isMinimized }.collect { minimised ->
                    if (minimised) app.backgrounded() else app.foregrounded()
                }
            }
            if (options.smoke) {
                LaunchedEffect(Unit) {
                    // Bounded: up to 60 s for the data to open, then report what showed.
                    var waited = 0
                    while (app.state.value.phase == AppPhase.Starting && waited < 600) { delay(100); waited++ }
                    println("kindred desktop started: ${app.state.value.phase::class.simpleName}")
                    app.close()
                    exitApplication()
                }
            }
        }
    }
}
