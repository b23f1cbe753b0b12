package org.kindred.app.platform

import java.io.File
import java.time.Clock
import java.time.LocalTime
import org.kindred.KindredStore

/**
 * What the screens need from the device, as interfaces: the Android app,
 * the desktop app and the tests each bring their own. Nothing here may
 * block the caller for long; anything slow is `suspend`.
 */

/** Calls or texts a number (Android: ACTION_DIAL / ACTION_SENDTO; desktop: shows the number). */
interface Dialer {
    /** False where this device cannot place calls (a laptop): the screen shows the number to dial instead. */
    val canCall: Boolean
    fun call(number: String)
    fun text(number: String)
}

/** Fingerprint or face, where the device has them. */
interface Biometrics {
    /** True only when enrolled and usable now. */
    val available: Boolean

    /** Asks; [BiometricResult.CANCELLED] never locks the person out (the PIN is still offered). */
    suspend fun authenticate(reason: String): BiometricResult
}

enum class BiometricResult { OK, CANCELLED, UNAVAILABLE }

/** Whether the device itself is protected (a screen lock is set up). */
fun interface DeviceSecurity {
    fun hasScreenLock(): Boolean
}

/** Local notifications for the gentle reminder. */
interface Notifications {
    /** Android 13+ asks the person; elsewhere true. */
    suspend fun requestPermission(): Boolean
    fun scheduleDaily(at: LocalTime, title: String, text: String)
    fun cancelDaily()

    /**
     * Replaces every reminder scheduled before by [fires] (from the core's
     * `nextReminders`): each shows at its instant with its title ("Kindred")
     * and nothing else, so a locked screen says nothing of what it is about.
     * Keys are stable: a platform may keep a pending one whose key is listed
     * again. Platforms that cannot schedule ignore it.
     */
    fun scheduleAll(fires: List<ScheduledReminder>) {}
}

/** One moment to notify: [key] from the core, [at] an instant, [title] all it shows. */
data class ScheduledReminder(val key: String, val at: java.time.Instant, val title: String)

/** Reads a QR code with the camera, where there is one. */
interface QrScanner {
    val available: Boolean

    /** The text in the code, or null when the person backed out. */
    suspend fun scan(): String?
}

/** Hands a file to the platform: the share sheet on a phone, a saved file on a laptop. */
interface ShareSheet {
    /** Returns where the file went, in words for the screen (a path on desktop), or null. */
    suspend fun share(fileName: String, mimeType: String, content: ByteArray): String?
}

/** Small settings kept outside the encrypted store (the app lock must work before it opens). */
interface Preferences {
    fun get(key: String): String?
    fun put(key: String, value: String?)
}

/** Makes or opens this device's store; knows where its data and key live. */
interface StoreFactory {
    /** True once a store was set up on this device. */
    fun exists(): Boolean

    suspend fun open(): KindredStore

    /** A new device ([joining] = false) or one that will join another by QR ([joining] = true). */
    suspend fun create(deviceName: String, joining: Boolean): KindredStore

    /** A name for this device to suggest on first run ("Sam's laptop"). */
    val suggestedDeviceName: String

    /**
     * Deletes this store's storage key from the key store and its data from
     * this device, for good: afterwards [exists] is false and nothing on this
     * device opens what was there (a copy on the sync server is untouched,
     * and the recovery kit can bring it back). Close any store opened from
     * here first. Deleting what is not there is no error.
     */
    suspend fun destroy()
}

/** Everything platform-specific, in one place for the app to hand around. */
class Platform(
    val stores: StoreFactory,
    val preferences: Preferences,
    val dialer: Dialer,
    val biometrics: Biometrics,
    val deviceSecurity: DeviceSecurity,
    val notifications: Notifications,
    val qrScanner: QrScanner,
    val shareSheet: ShareSheet,
    val clock: Clock = Clock.systemDefaultZone(),
    /** The person's region (for default crisis lines), e.g. "US". */
    val region: String = java.util.Locale.getDefault().country,
    /** The words for things the platform shows outside the screens (a reminder's text). */
    val strings: org.kindred.app.StringSet = org.kindred.app.Strings.englishSet,
    /**
     * The empty Kindred the duress PIN opens: a data folder and key of its
     * own, beside [stores]. Null where the platform has none (no duress PIN is offered).
     */
    val decoyStores: StoreFactory? = null,
)

/** Preferences in memory (tests, previews). */
class MemoryPreferences(initial: Map<String, String> = emptyMap()) : Preferences {
    private val values = java.util.concurrent.ConcurrentHashMap(initial)
    override fun get(key: String): String? = values[key]
    override fun put(key: String, value: String?) {
        if (value == null) values.remove(key) else values[key] = value
    }
}

/** Preferences in a properties file readable only by its owner (desktop). */
class FilePreferences(private val file: File) : Preferences {
    private val props = java.util.Properties().also { p -> if (file.exists()) file.inputStream().use(p::load) }

    @Synchronized override fun get(key: String): String? = props.getProperty(key)

    @Synchronized override fun put(key: String, value: String?) {
        if (value == null) props.remove(key) else props.setProperty(key, value)
        file.parentFile?.mkdirs()
        val tmp = File(file.path + ".tmp")
        tmp.outputStream().use { props.store(it, "Kindred settings on this device") }
        OwnerOnly.restrict(tmp)
        if (!tmp.renameTo(file)) { file.delete(); tmp.renameTo(file) }
    }
}

/** Makes a file readable and writable by its owner only (0600 where POSIX). */
object OwnerOnly {
    fun restrict(file: File) {
        try {
            java.nio.file.Files.setPosixFilePermissions(
                file.toPath(),
                java.nio.file.attribute.PosixFilePermissions.fromString(if (file.isDirectory) "rwx------" else "rw-------"),
            )
        } catch (_: UnsupportedOperationException) {
            file.setReadable(false, false); file.setReadable(true, true)
            file.setWritable(false, false); file.setWritable(true, true)
        }
    }
}
