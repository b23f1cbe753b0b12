package org.kindred.ui.harness

import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.runDesktopComposeUiTest
import androidx.compose.ui.unit.Density
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import org.kindred.app.AppModel
import org.kindred.ui.KindredApp
import org.kindred.ui.KindredTheme
import org.kindred.ui.withScreens

/** A phone-sized window (dp at density 1). */
const val PHONE_WIDTH = 420
const val PHONE_HEIGHT = 900

/** How a screen is shown: light or dark, at a font scale. */
data class Look(val dark: Boolean, val fontScale: Float) {
    val label: String get() = (if (dark) "dark" else "light") + "-" + (if (fontScale >= 2f) "2x" else "1x")

    companion object {
        val all = listOf(Look(false, 1f), Look(true, 1f), Look(false, 2f), Look(true, 2f))
    }
}

/** The theme and the font scale around a screen, as the apps wrap it. */
@Composable
fun Dressed(look: Look, content: @Composable () -> Unit) {
    val base = LocalDensity.current
    CompositionLocalProvider(LocalDensity provides Density(base.density, look.fontScale)) {
        KindredTheme(dark = look.dark) {
            Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background, content = content)
        }
    }
}

/** A Compose UI test in a phone-sized window, headless. */
fun uiTest(width: Int = PHONE_WIDTH, height: Int = PHONE_HEIGHT, block: ComposeUiTest.() -> Unit) =
    runDesktopComposeUiTest(width, height) { block() }

/** The app as a person would use it, on [device], with real IO threads under the state holders. */
class RunningApp(val device: TestDevice, io: CoroutineContext = Dispatchers.IO) : AutoCloseable {
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val model = AppModel(device.platform, scope, io, withScreens).also { it.start() }

    override fun close() {
        scope.cancel()
        model.close()
    }
}

/** Shows the whole app (with "Need help now" and the tabs). */
fun ComposeUiTest.showApp(app: RunningApp, look: Look = Look(false, 1f)) =
    setContent { Dressed(look) { KindredApp(app.model) } }

/** Waits (bounded, no fixed sleep) until a node matching [matcher] exists. */
fun ComposeUiTest.awaitNode(matcher: SemanticsMatcher, timeoutMillis: Long = 20_000): SemanticsNodeInteraction {
    waitUntil(timeoutMillis = timeoutMillis) { onAllNodes(matcher, useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty() }
    return onNode(matcher, useUnmergedTree = true)
}

fun ComposeUiTest.awaitTag(tag: String, timeoutMillis: Long = 20_000) = awaitNode(hasTestTag(tag), timeoutMillis)

/** Waits (bounded) until [condition] holds, letting composition catch up. */
fun ComposeUiTest.awaitThat(timeoutMillis: Long = 20_000, condition: () -> Boolean) {
    waitUntil(timeoutMillis = timeoutMillis) { condition() }
    waitForIdle()
}

/** Taps the node tagged [tag], scrolling it into view first when it is in a scrolling list. */
fun ComposeUiTest.tap(tag: String) {
    val node = onNodeWithTag(tag, useUnmergedTree = false)
    runCatching { node.performScrollTo() }
    node.performClick()
}

/** Types into the field tagged [tag], scrolling it into view first. */
fun ComposeUiTest.type(tag: String, text: String) {
    val node = onNodeWithTag(tag)
    runCatching { node.performScrollTo() }
    node.performTextInput(text)
}
