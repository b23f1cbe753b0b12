package org.kindred.android

import android.annotation.SuppressLint
import android.app.Application
import android.app.KeyguardManager
import android.content.ActivityNotFoundException
import android.content.ClipData
import android.content.Context
import android.content.Intent
import android.content.SharedPreferences
import android.content.pm.PackageManager
import android.content.res.Resources
import android.net.Uri
import android.os.Build
import android.provider.Settings
import androidx.annotation.MainThread
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_WEAK
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.biometric.BiometricPrompt
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.FileProvider
import com.journeyapps.barcodescanner.ScanOptions
import java.io.File
import java.time.Clock
import java.time.LocalTime
import java.util.Locale
import java.util.concurrent.ConcurrentHashMap
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.kindred.KindredStore
import org.kindred.app.AppLock
import org.kindred.app.Keys
import org.kindred.app.LockMethod
import org.kindred.app.StringSet
import org.kindred.app.platform.BiometricResult
import org.kindred.app.platform.Biometrics
import org.kindred.app.platform.DeviceSecurity
import org.kindred.app.platform.Dialer
import org.kindred.app.platform.Notifications
import org.kindred.app.platform.Platform
import org.kindred.app.platform.Preferences
import org.kindred.app.platform.QrScanner
import org.kindred.app.platform.ShareSheet
import org.kindred.app.platform.StoreFactory

/**
 * The platform services of android/shared's [Platform], over Android.
 *
 * The app model lives in a ViewModel and outlives any one activity (a
 * rotation makes a new one), so the services that need an activity (the
 * fingerprint prompt, the camera, the permission request, the share sheet)
 * reach it through [ActivityHost]: the activity on screen registers its
 * prompt and result launchers there in onCreate, and their answers complete
 * whatever call is waiting, whichever activity instance delivers them.
 */
fun androidPlatform(app: Application, host: ActivityHost): Platform {
    val words = ResourceWords(app.resources, app.packageName)
    val prefs = AndroidPreferences(app.getSharedPreferences("kindred_settings", Context.MODE_PRIVATE))
    val clock = Clock.systemDefaultZone()
    val keyguard = app.getSystemService(KeyguardManager::class.java)
    val deviceSecurity = DeviceSecurity { keyguard?.isDeviceSecure == true }
    // The same rules over the same preferences: only read here, to know which prompt to show.
    val lockRules = AppLock(prefs, clock, deviceSecurity)
    return Platform(
        stores = AndroidStores(app),
        // The empty Kindred a duress PIN opens: a folder and Keystore key of its own.
        decoyStores = AndroidStores(app, "kindred-2", KeystoreKeys(app, "kindred-storage-key-2", "storage-2.key.sealed")),
        preferences = prefs,
        dialer = AndroidDialer(app, host),
        biometrics = AndroidBiometrics(app, host, words) { lockRules.method == LockMethod.DEVICE },
        deviceSecurity = deviceSecurity,
        notifications = AndroidNotifications(app, host, words),
        qrScanner = AndroidQrScanner(app, host, words),
        shareSheet = AndroidShareSheet(app, host, words),
        clock = clock,
        region = app.resources.configuration.locales[0]?.country?.takeIf { it.isNotEmpty() } ?: Locale.getDefault().country,
        strings = words,
    )
}

/**
 * The activity on screen now and the answers its prompts owe. Touched on
 * the main thread only (the prompt's executor is the main one, activity
 * results arrive there, and every caller switches to it first).
 */
class ActivityHost {
    @Volatile var activity: MainActivity? = null

    private var biometric: CompletableDeferred<BiometricResult>? = null
    private var biometricForDeviceLock = false
    private var scan: CompletableDeferred<String?>? = null
    private var permission: CompletableDeferred<Boolean>? = null

    /** Registered by each activity's BiometricPrompt (made in onCreate, so it survives a rotation). */
    val biometricCallback = object : BiometricPrompt.AuthenticationCallback() {
        override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
            biometric?.complete(BiometricResult.OK)
        }

        override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
            biometric?.complete(biometricError(errorCode, biometricForDeviceLock))
        }
        // onAuthenticationFailed (a finger not recognised) is not the end: the prompt stays up.
    }

    @MainThread
    internal fun startBiometric(forDeviceLock: Boolean): CompletableDeferred<BiometricResult> {
        biometric?.complete(BiometricResult.CANCELLED)
        biometricForDeviceLock = forDeviceLock
        return CompletableDeferred<BiometricResult>().also { biometric = it }
    }

    @MainThread
    internal fun startScan(): CompletableDeferred<String?> {
        scan?.complete(null)
        return CompletableDeferred<String?>().also { scan = it }
    }

    @MainThread
    internal fun startPermission(): CompletableDeferred<Boolean> {
        permission?.complete(false)
        return CompletableDeferred<Boolean>().also { permission = it }
    }

    @MainThread fun scanned(contents: String?) { scan?.complete(contents) }

    @MainThread fun notificationsAnswered(granted: Boolean) { permission?.complete(granted) }

    @MainThread
    internal fun done(answer: CompletableDeferred<*>) {
        if (biometric === answer) biometric = null
        if (scan === answer) scan = null
        if (permission === answer) permission = null
    }
}

/**
 * What a prompt error means for the lock screen. Every error leaves the lock
 * screen showing (the PIN pad, or the device-lock button): CANCELLED says
 * "use your PIN, or try again"; UNAVAILABLE hides the fingerprint button
 * (and, where the device lock was chosen but the device has none any more,
 * lets the person in: never a lock-out).
 */
internal fun biometricError(errorCode: Int, forDeviceLock: Boolean): BiometricResult = when {
    forDeviceLock ->
        if (errorCode == BiometricPrompt.ERROR_NO_DEVICE_CREDENTIAL) BiometricResult.UNAVAILABLE else BiometricResult.CANCELLED
    errorCode in setOf(
        BiometricPrompt.ERROR_HW_UNAVAILABLE, BiometricPrompt.ERROR_HW_NOT_PRESENT, BiometricPrompt.ERROR_NO_BIOMETRICS,
        BiometricPrompt.ERROR_LOCKOUT, BiometricPrompt.ERROR_LOCKOUT_PERMANENT,
        BiometricPrompt.ERROR_SECURITY_UPDATE_REQUIRED, BiometricPrompt.ERROR_NO_DEVICE_CREDENTIAL,
    ) -> BiometricResult.UNAVAILABLE
    else -> BiometricResult.CANCELLED // user cancel, "Not now", timeout, the app left: the PIN pad stays
}

/** The app's own strings.xml (translated where Android has a translation), by the shared keys. */
class ResourceWords(private val resources: Resources, private val packageName: String) : StringSet {
    private val ids = ConcurrentHashMap<String, Int>()

    @SuppressLint("DiscouragedApi") // looked up by the shared keys; res/raw/keep.xml keeps every string
    override fun raw(key: String): String? {
        val id = ids.getOrPut(key) { resources.getIdentifier(key, "string", packageName) }
        return if (id == 0) null else resources.getString(id)
    }
}

/** SharedPreferences, committed at once (a wrong-PIN count must survive the app being killed right after). */
class AndroidPreferences(private val prefs: SharedPreferences) : Preferences {
    override fun get(key: String): String? = prefs.getString(key, null)

    @SuppressLint("ApplySharedPref")
    override fun put(key: String, value: String?) {
        val edit = prefs.edit()
        if (value == null) edit.remove(key) else edit.putString(key, value)
        edit.commit()
    }
}

/**
 * The data in the app's no-backup folder, opened with the storage key the
 * Android Keystore seals ([KeystoreKeys]).
 */
class AndroidStores(
    private val context: Context,
    dirName: String = "kindred",
    private val keys: KeystoreKeys = KeystoreKeys(context),
) : StoreFactory {
    val dataDir = File(context.noBackupFilesDir, dirName)

    override fun exists(): Boolean = KindredStore.exists(dataDir)

    /** The key first (Keystore entry and sealed copy), then the data folder. */
    override suspend fun destroy() {
        withContext(Dispatchers.IO) {
            keys.destroy()
            if (dataDir.exists()) check(dataDir.deleteRecursively()) { "could not delete the data" }
        }
    }

    override suspend fun open(): KindredStore = KindredStore.open(dataDir, keys)

    override suspend fun create(deviceName: String, joining: Boolean): KindredStore {
        withContext(Dispatchers.IO) { dataDir.mkdirs() }
        return if (joining) KindredStore.createJoining(dataDir, keys, deviceName)
        else KindredStore.create(dataDir, keys, deviceName)
    }

    /** The name the person gave the phone in its settings ("Sam's Pixel"), else its model. */
    override val suggestedDeviceName: String =
        Settings.Global.getString(context.contentResolver, Settings.Global.DEVICE_NAME)?.takeIf { it.isNotBlank() }
            ?: Build.MODEL?.takeIf { it.isNotBlank() }
            ?: "Android"
}

/** The phone app with the number filled in (ACTION_DIAL: nothing is called without the person's tap), or a text. */
class AndroidDialer(private val context: Context, private val host: ActivityHost) : Dialer {
    override val canCall: Boolean = context.packageManager.hasSystemFeature(PackageManager.FEATURE_TELEPHONY)

    override fun call(number: String) = open(Intent(Intent.ACTION_DIAL, Uri.fromParts("tel", number, null)))

    override fun text(number: String) = open(Intent(Intent.ACTION_SENDTO, Uri.fromParts("smsto", number, null)))

    private fun open(intent: Intent) {
        val activity = host.activity
        try {
            if (activity != null) activity.startActivity(intent)
            else context.startActivity(intent.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        } catch (_: ActivityNotFoundException) {
            // No phone or messages app: the help screen still shows the number.
        }
    }
}

/**
 * BiometricPrompt. With the PIN lock: fingerprint or face only, "Not now"
 * back to the PIN pad. With the device lock: fingerprint, face or the
 * device's own PIN, pattern or password (no negative button is allowed then).
 */
class AndroidBiometrics(
    context: Context,
    private val host: ActivityHost,
    private val words: StringSet,
    private val deviceLockChosen: () -> Boolean,
) : Biometrics {
    private val manager = BiometricManager.from(context)

    override val available: Boolean
        get() = manager.canAuthenticate(BIOMETRIC_WEAK) == BiometricManager.BIOMETRIC_SUCCESS

    override suspend fun authenticate(reason: String): BiometricResult = withContext(Dispatchers.Main) {
        val device = deviceLockChosen()
        // BIOMETRIC_WEAK | DEVICE_CREDENTIAL is the combination every API level supports.
        val allowed = if (device) BIOMETRIC_WEAK or DEVICE_CREDENTIAL else BIOMETRIC_WEAK
        if (manager.canAuthenticate(allowed) != BiometricManager.BIOMETRIC_SUCCESS) return@withContext BiometricResult.UNAVAILABLE
        val activity = host.activity ?: return@withContext BiometricResult.CANCELLED
        val info = BiometricPrompt.PromptInfo.Builder()
            .setTitle(reason)
            .setAllowedAuthenticators(allowed)
            .setConfirmationRequired(false)
            .apply { if (!device) setNegativeButtonText(words.format(Keys.LOCK_NOT_NOW)) }
            .build()
        val answer = host.startBiometric(device)
        try {
            activity.biometricPrompt.authenticate(info)
            answer.await()
        } finally {
            if (!answer.isCompleted) activity.biometricPrompt.cancelAuthentication()
            host.done(answer)
        }
    }
}

/**
 * The daily reminder through WorkManager ([ReminderWorker]), on a channel
 * of its own; on Android 13+ the POST_NOTIFICATIONS permission is asked for
 * through the activity. False (the screen says notifications are blocked)
 * when the person says no or turned Kindred's notifications off.
 */
class AndroidNotifications(
    private val context: Context,
    private val host: ActivityHost,
    private val words: StringSet,
) : Notifications {
    override suspend fun requestPermission(): Boolean {
        val enabled = { NotificationManagerCompat.from(context).areNotificationsEnabled() }
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU || ReminderWorker.mayNotify(context)) return enabled()
        val granted = withContext(Dispatchers.Main) {
            val activity = host.activity ?: return@withContext false
            val answer = host.startPermission()
            try {
                activity.askForNotifications()
                answer.await()
            } finally {
                host.done(answer)
            }
        }
        return granted && enabled()
    }

    override fun scheduleDaily(at: LocalTime, title: String, text: String) {
        ReminderWorker.ensureChannel(context, words.format(Keys.SETTINGS_REMINDERS))
        ReminderWorker.schedule(context, at, title, text)
    }

    override fun cancelDaily() = ReminderWorker.cancel(context)

    override fun scheduleAll(fires: List<org.kindred.app.platform.ScheduledReminder>) {
        ReminderWorker.ensureChannel(context, words.format(Keys.SETTINGS_REMINDERS))
        ReminderWorker.scheduleFires(context, fires)
    }
}

/** The camera through zxing-android-embedded's CaptureActivity (it asks for the camera itself). */
class AndroidQrScanner(context: Context, private val host: ActivityHost, private val words: StringSet) : QrScanner {
    override val available: Boolean = context.packageManager.hasSystemFeature(PackageManager.FEATURE_CAMERA_ANY)

    override suspend fun scan(): String? = withContext(Dispatchers.Main) {
        val activity = host.activity ?: return@withContext null
        val options = ScanOptions()
            .setDesiredBarcodeFormats(ScanOptions.QR_CODE)
            .setPrompt(words.format(Keys.FIRST_SCAN))
            .setBeepEnabled(false)
            .setOrientationLocked(false)
        val answer = host.startScan()
        try {
            activity.scanQr(options)
            answer.await()
        } finally {
            host.done(answer)
        }
    }
}

/**
 * The share sheet (ACTION_SEND with a FileProvider URI). The file waits in
 * the app's private cache for the app the person picks; the previous one
 * is deleted first, and what is left is deleted the next time Kindred starts.
 */
class AndroidShareSheet(private val context: Context, private val host: ActivityHost, private val words: StringSet) : ShareSheet {
    override suspend fun share(fileName: String, mimeType: String, content: ByteArray): String? {
        val file = withContext(Dispatchers.IO) {
            clear(context)
            val dir = exportDir(context).apply { mkdirs() }
            File(dir, File(fileName).name).apply { writeBytes(content) }
        }
        withContext(Dispatchers.Main) {
            val uri = FileProvider.getUriForFile(context, "${context.packageName}.files", file)
            val send = Intent(Intent.ACTION_SEND)
                .setType(mimeType)
                .putExtra(Intent.EXTRA_STREAM, uri)
                .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
            send.clipData = ClipData.newRawUri(file.name, uri)
            val chooser = Intent.createChooser(send, words.format(Keys.SETTINGS_EXPORT_TITLE))
            val activity = host.activity
            if (activity != null) activity.startActivity(chooser)
            else context.startActivity(chooser.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        }
        return null // the share sheet took it: there is no path to show
    }

    companion object {
        /** Must match res/xml/file_paths.xml. */
        fun exportDir(context: Context) = File(context.cacheDir, "exports")

        fun clear(context: Context) {
            exportDir(context).listFiles()?.forEach { it.delete() }
        }
    }
}
