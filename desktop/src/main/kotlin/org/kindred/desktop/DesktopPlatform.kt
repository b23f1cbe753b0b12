package org.kindred.desktop

import java.awt.SystemTray
import java.awt.Toolkit
import java.awt.TrayIcon
import java.io.File
import java.security.SecureRandom
import java.time.Duration
import java.time.LocalDateTime
import java.time.LocalTime
import java.util.Timer
import java.util.TimerTask
import javax.crypto.SecretKeyFactory
import javax.crypto.spec.PBEKeySpec
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.kindred.KindredStore
import org.kindred.StorageKeys
import org.kindred.app.platform.BiometricResult
import org.kindred.app.platform.Biometrics
import org.kindred.app.platform.Dialer
import org.kindred.app.platform.Notifications
import org.kindred.app.platform.OwnerOnly
import org.kindred.app.platform.QrScanner
import org.kindred.app.platform.ShareSheet
import org.kindred.app.platform.StoreFactory

/** Where Kindred keeps its data on this computer (the platform's data folder). */
fun defaultDataDir(): File {
    val os = System.getProperty("os.name").lowercase()
    val home = File(System.getProperty("user.home"))
    return when {
        os.contains("mac") -> File(home, "Library/Application Support/Kindred")
        os.contains("win") -> File(System.getenv("APPDATA") ?: home.path, "Kindred")
        else -> File(System.getenv("XDG_DATA_HOME")?.takeIf { it.isNotBlank() } ?: File(home, ".local/share").path, "kindred")
    }
}

/** A storage key that can be deleted for good (the duress PIN's choice): then nothing opens its data. */
interface DeletableKey : StorageKeys {
    fun destroy()
}

/** Overwrites a small file with zeros, then deletes it (the zeros are a courtesy: an SSD may keep the old blocks). */
internal fun wipe(file: File) {
    if (!file.exists()) return
    runCatching { file.writeBytes(ByteArray(file.length().toInt())) }
    check(file.delete() || !file.exists()) { "could not delete ${file.name}" }
}

/**
 * The 32-byte storage key in a file only this user can read (0600), made
 * on first use. Anyone who can read the file can open the data: a shared
 * computer should use [PassphraseKey] instead.
 */
class KeyFile(private val file: File) : DeletableKey {
    override fun destroy() = wipe(file)

    override fun storageKey(): ByteArray {
        if (!file.exists()) {
            file.parentFile.mkdirs()
            OwnerOnly.restrict(file.parentFile)
            val key = ByteArray(32).also(SecureRandom()::nextBytes)
            val tmp = File(file.path + ".tmp")
            tmp.writeBytes(byteArrayOf())
            OwnerOnly.restrict(tmp)
            tmp.writeBytes(key)
            check(tmp.renameTo(file)) { "could not save the key" }
        }
        val key = file.readBytes()
        check(key.size == 32) { "the key file is damaged" }
        return key
    }
}

/**
 * The key from a passphrase the person types (PBKDF2-SHA256, 600 000 rounds,
 * with a random salt kept beside the data): nothing on disk opens the data.
 */
class PassphraseKey(private val salt: File, private val passphrase: () -> CharArray) : DeletableKey {
    /** Without the salt, the passphrase no longer gives the key. */
    override fun destroy() = wipe(salt)

    override fun storageKey(): ByteArray {
        if (!salt.exists()) {
            salt.parentFile.mkdirs()
            salt.writeBytes(ByteArray(16).also(SecureRandom()::nextBytes))
            OwnerOnly.restrict(salt)
        }
        val chars = passphrase()
        try {
            val spec = PBEKeySpec(chars, salt.readBytes(), 600_000, 256)
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).encoded
        } finally {
            chars.fill('\u0000')
        }
    }
}

/**
 * The data in [dataDir] (the core's kindred.db and its -wal and -shm files)
 * with [keys]. [destroy] deletes the key first, then those files, and
 * leaves anything else in the folder (the settings, the empty Kindred's own folder).
 */
class DesktopStores(private val dataDir: File, private val keys: DeletableKey) : StoreFactory {
    override fun exists() = File(dataDir, "kindred.db").exists()
    override suspend fun destroy() {
        withContext(Dispatchers.IO) {
            keys.destroy()
            dataDir.listFiles { f -> f.isFile && f.name.startsWith("kindred.db") }?.forEach { check(it.delete()) { "could not delete ${it.name}" } }
        }
    }
    override suspend fun open(): KindredStore = KindredStore.open(dataDir, keys)
    override suspend fun create(deviceName: String, joining: Boolean): KindredStore {
        dataDir.mkdirs()
        OwnerOnly.restrict(dataDir)
        return if (joining) KindredStore.createJoining(dataDir, keys, deviceName) else KindredStore.create(dataDir, keys, deviceName)
    }
    override val suggestedDeviceName: String =
        (System.getProperty("user.name")?.let { "$it's computer" } ?: "My computer")
}

/** A laptop places no calls: the help screen shows the number to dial from a phone. */
object DesktopDialer : Dialer {
    override val canCall = false
    override fun call(number: String) {}
    override fun text(number: String) {}
}

object NoBiometrics : Biometrics {
    override val available = false
    override suspend fun authenticate(reason: String) = BiometricResult.UNAVAILABLE
}

object NoCamera : QrScanner {
    override val available = false
    override suspend fun scan(): String? = null
}

/** Exports go to the person's Documents folder (or home); the screen says where. */
class SaveToDocuments(private val home: File = File(System.getProperty("user.home"))) : ShareSheet {
    override suspend fun share(fileName: String, mimeType: String, content: ByteArray): String {
        val dir = File(home, "Documents").takeIf { it.isDirectory } ?: home
        val out = File(dir, fileName)
        out.writeBytes(content)
        OwnerOnly.restrict(out)
        return out.path
    }
}

/**
 * Reminders while the app runs, in the system tray where there is one.
 * Each shows its title ("Kindred") and nothing else: no words of the
 * person's, not even the daily reminder's own text. [display] is the tray
 * (tests look at what would show).
 */
class TrayReminders(private val display: (title: String, text: String) -> Unit = ::trayMessage) : Notifications {
    private var timer: Timer? = null
    override suspend fun requestPermission() = true

    override fun scheduleDaily(at: LocalTime, title: String, text: String) {
        cancelDaily()
        val now = LocalDateTime.now()
        var next = now.toLocalDate().atTime(at)
        if (!next.isAfter(now)) next = next.plusDays(1)
        val delay = Duration.between(now, next).toMillis()
        timer = Timer("kindred-reminder", true).also {
            it.scheduleAtFixedRate(object : TimerTask() {
                override fun run() = show(title)
            }, delay, Duration.ofDays(1).toMillis())
        }
    }

    override fun cancelDaily() {
        timer?.cancel()
        timer = null
    }

    private val fireTimer = Timer("kindred-reminders", true)
    private val pending = mutableMapOf<String, TimerTask>()

    /** Timers while the app runs; a reminder shows its title ("Kindred") only. */
    @Synchronized
    override fun scheduleAll(fires: List<org.kindred.app.platform.ScheduledReminder>) {
        val keys = fires.map { it.key }.toSet()
        pending.keys.filter { it !in keys }.forEach { pending.remove(it)?.cancel() }
        val now = java.time.Instant.now()
        for (f in fires) {
            if (f.key in pending || !f.at.isAfter(now)) continue
            val task = object : TimerTask() {
                override fun run() {
                    synchronized(this@TrayReminders) { pending.remove(f.key) }
                    show(f.title)
                }
            }
            pending[f.key] = task
            fireTimer.schedule(task, java.util.Date.from(f.at))
        }
    }

    /** The keys scheduled now (for tests). */
    @Synchronized
    fun scheduledKeys(): Set<String> = pending.keys.toSet()

    private fun show(title: String) = display(title, "")
}

private fun trayMessage(title: String, text: String) {
    if (!SystemTray.isSupported()) return
    val icon = TrayIcon(Toolkit.getDefaultToolkit().createImage(ByteArray(0)), title)
    SystemTray.getSystemTray().add(icon)
    icon.displayMessage(title, text, TrayIcon.MessageType.INFO)
}
