package org.kindred.ui.harness

import java.io.File
import java.nio.file.Files
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.LocalTime
import java.time.ZoneId
import java.time.ZoneOffset
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.CompletableDeferred
import org.kindred.KindredStore
import org.kindred.StorageKeys
import org.kindred.app.platform.BiometricResult
import org.kindred.app.platform.Biometrics
import org.kindred.app.platform.DeviceSecurity
import org.kindred.app.platform.Dialer
import org.kindred.app.platform.MemoryPreferences
import org.kindred.app.platform.Notifications
import org.kindred.app.platform.Platform
import org.kindred.app.platform.QrScanner
import org.kindred.app.platform.ShareSheet
import org.kindred.app.platform.StoreFactory

/** A clock the test moves by hand: waits are tested without sleeping. */
class TestClock(
    private var now: Instant = Instant.parse("2026-03-04T10:00:00Z"),
    private val zone: ZoneId = ZoneOffset.UTC,
) : Clock() {
    override fun getZone(): ZoneId = zone
    override fun withZone(zone: ZoneId): Clock = TestClock(now, zone)
    @Synchronized override fun instant(): Instant = now
    @Synchronized fun advance(by: Duration) { now = now.plus(by) }
}

class FakeDialer(override val canCall: Boolean = true) : Dialer {
    val calls = CopyOnWriteArrayList<String>()
    val texts = CopyOnWriteArrayList<String>()
    override fun call(number: String) { calls += number }
    override fun text(number: String) { texts += number }
}

class FakeBiometrics(override var available: Boolean = false, var answer: BiometricResult = BiometricResult.OK) : Biometrics {
    var asked = 0
    override suspend fun authenticate(reason: String): BiometricResult { asked++; return answer }
}

class FakeDeviceSecurity(var screenLock: Boolean = false) : DeviceSecurity {
    override fun hasScreenLock() = screenLock
}

class FakeNotifications(var allow: Boolean = true) : Notifications {
    var scheduled: LocalTime? = null
    override suspend fun requestPermission() = allow
    override fun scheduleDaily(at: LocalTime, title: String, text: String) { scheduled = at }
    override fun cancelDaily() { scheduled = null }
}

class FakeQr(override val available: Boolean = false, private val text: String? = null) : QrScanner {
    override suspend fun scan(): String? = text
}

class FakeShareSheet : ShareSheet {
    val files = CopyOnWriteArrayList<Pair<String, ByteArray>>()
    override suspend fun share(fileName: String, mimeType: String, content: ByteArray): String {
        files += fileName to content
        return "/tmp/$fileName"
    }
}

/**
 * A device's data in a temporary folder, with a test key in a pretend key
 * store; [server] is set on every new store. [destroy] deletes the key for
 * good (a new one is made with the next new data), then the data.
 */
class TestStores(private val server: String?, override val suggestedDeviceName: String = "test phone") : StoreFactory {
    val dir: File = Files.createTempDirectory("kindred-ui").toFile().also { it.deleteOnExit() }

    /** What the key store holds (null: deleted). */
    @Volatile var key: ByteArray? = ByteArray(32) { 9 }
    val keys = StorageKeys { key?.copyOf() ?: error("no key in the key store") }
    val made = CompletableDeferred<KindredStore>()
    override fun exists() = File(dir, "kindred.db").exists()
    override suspend fun open(): KindredStore = KindredStore.open(dir, keys)
    override suspend fun create(deviceName: String, joining: Boolean): KindredStore {
        if (key == null) key = ByteArray(32).also(java.security.SecureRandom()::nextBytes)
        val s = if (joining) KindredStore.createJoining(dir, keys, deviceName) else KindredStore.create(dir, keys, deviceName)
        if (!joining && server != null) s.setServer(server)
        made.complete(s)
        return s
    }
    override suspend fun destroy() {
        key = null
        dir.listFiles()?.forEach { it.deleteRecursively() }
    }
}

/** One pretend device: every platform service a fake the test can look into. */
class TestDevice(
    server: String? = TestServer.url,
    val clock: TestClock = TestClock(),
    screenLock: Boolean = false,
    biometrics: Boolean = false,
    region: String = "US",
) {
    val stores = TestStores(server)

    /** The empty Kindred the duress PIN opens: a folder and key of its own, no sync server (a fresh Kindred). */
    val decoys = TestStores(null)
    val prefs = MemoryPreferences()
    val dialer = FakeDialer()
    val biometrics = FakeBiometrics(biometrics)
    val security = FakeDeviceSecurity(screenLock)
    val notifications = FakeNotifications()
    val share = FakeShareSheet()
    val platform = Platform(stores, prefs, dialer, this.biometrics, security, notifications, FakeQr(), share, clock, region, decoyStores = decoys)
}
