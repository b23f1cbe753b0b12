package org.kindred.android

import android.Manifest
import android.app.Application
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.result.ActivityResultLauncher
import androidx.activity.result.contract.ActivityResultContracts
import androidx.biometric.BiometricPrompt
import androidx.compose.foundation.background
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.displayCutoutPadding
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.systemBarsPadding
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.Modifier
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.ViewModelProvider
import androidx.lifecycle.viewModelScope
import com.journeyapps.barcodescanner.ScanContract
import com.journeyapps.barcodescanner.ScanOptions
import kotlinx.coroutines.Dispatchers
import org.kindred.app.AppModel
import org.kindred.ui.KindredApp
import org.kindred.ui.KindredTheme
import org.kindred.ui.LocalWords
import org.kindred.ui.withScreens

/** Keeps the app model (and its open store and screen state) across rotations and other configuration changes. */
class KindredViewModel(application: Application) : AndroidViewModel(application) {
    private val kindred = application as KindredApplication

    val app: AppModel = AppModel(kindred.platform, viewModelScope, Dispatchers.IO, withScreens).also {
        kindred.live = it
        it.start()
    }

    override fun onCleared() {
        if (kindred.live === app) kindred.live = null
        app.close()
    }
}

/**
 * The one activity: the shared screens (android/ui's KindredApp) in the
 * shared theme, words from this app's resources. Nothing on screen shows
 * in screenshots or the app switcher (FLAG_SECURE); the content stays
 * clear of the system bars and of the keyboard (edge to edge, imePadding,
 * adjustResize). Leaving for the background and coming back tell the
 * model, which asks for the lock again after the chosen time.
 */
class MainActivity : FragmentActivity() {
    /** Made in onCreate, as BiometricPrompt requires, so a prompt survives a rotation. */
    lateinit var biometricPrompt: BiometricPrompt
        private set
    private lateinit var scanLauncher: ActivityResultLauncher<ScanOptions>
    private lateinit var notificationLauncher: ActivityResultLauncher<String>
    private lateinit var model: KindredViewModel

    private val kindred get() = application as KindredApplication

    override fun onCreate(savedInstanceState: Bundle?) {
        enableEdgeToEdge()
        super.onCreate(savedInstanceState)
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)

        val host = kindred.host
        biometricPrompt = BiometricPrompt(this, ContextCompat.getMainExecutor(this), host.biometricCallback)
        scanLauncher = registerForActivityResult(ScanContract()) { result -> host.scanned(result.contents) }
        notificationLauncher = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
            host.notificationsAnswered(granted)
        }
        host.activity = this

        model = ViewModelProvider(this)[KindredViewModel::class.java]
        val words = ResourceWords(resources, packageName)
        setContent {
            CompositionLocalProvider(LocalWords provides words) {
                KindredTheme(dark = isSystemInDarkTheme()) {
                    Box(
                        Modifier
                            .fillMaxSize()
                            .background(MaterialTheme.colorScheme.background)
                            .systemBarsPadding()
                            .displayCutoutPadding()
                            .imePadding(),
                    ) {
                        KindredApp(model.app)
                    }
                }
            }
        }
    }

    override fun onStart() {
        super.onStart()
        model.app.foregrounded()
    }

    override fun onStop() {
        super.onStop()
        // A rotation stops this activity too; that is not the app going away.
        if (!isChangingConfigurations) model.app.backgrounded()
    }

    override fun onDestroy() {
        if (kindred.host.activity === this) kindred.host.activity = null
        super.onDestroy()
    }

    fun scanQr(options: ScanOptions) = scanLauncher.launch(options)

    /** Android 13+ only (the caller checks). */
    fun askForNotifications() = notificationLauncher.launch(Manifest.permission.POST_NOTIFICATIONS)
}
