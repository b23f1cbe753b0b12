package org.kindred.ui

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import java.io.File
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import org.kindred.ui.harness.Dressed
import org.kindred.ui.harness.Look
import org.kindred.ui.harness.Screenshots
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.uiTest

/**
 * Every screen in the catalog, light and dark, at font scale 1 and 2:
 * the accessibility rules hold, and (when asked) a PNG of each is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogTest {
    @TestFactory
    fun everyScreenIsAccessibleInEveryLook(): List<DynamicTest> = Catalog.screens.filter(::chosen).map { screen ->
        DynamicTest.dynamicTest(screen.name) {
            uiTest {
                var look by mutableStateOf(Look.all.first())
                setContent { Dressed(look) { screen.content() } }
                for (l in Look.all) {
                    look = l
                    waitForIdle()
                    assertAccessible("${screen.name} (${l.label})")
                    Screenshots.take(this, "${screen.name}-${l.label}")
                }
            }
        }
    }

    /** `-Dkindred.catalog=kit-,settings-kit` renders only the screens whose names start so (all unless set). */
    private fun chosen(screen: CatalogScreen): Boolean {
        val only = System.getProperty("kindred.catalog")?.takeIf { it.isNotBlank() } ?: return true
        return only.split(',').any { screen.name.startsWith(it.trim()) }
    }

    @AfterAll
    fun contactSheet() {
        val out = System.getProperty("kindred.contactSheet")?.takeIf { it.isNotBlank() } ?: return
        Screenshots.contactSheet(File(out))
    }
}
