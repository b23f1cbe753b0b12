package org.kindred.ui.harness

import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.onRoot
import java.awt.Color
import java.awt.Font
import java.awt.RenderingHints
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO

/**
 * PNGs of screens, written only when the run asks for them
 * (`-Dkindred.screenshots=DIR`, as scripts/screenshots.sh does).
 */
object Screenshots {
    val dir: File? = System.getProperty("kindred.screenshots")?.takeIf { it.isNotBlank() }?.let { File(it).absoluteFile }

    fun take(test: ComposeUiTest, name: String) {
        val d = dir ?: return
        d.mkdirs()
        test.waitForIdle()
        val image = test.onRoot().captureToImage().toAwtImage()
        ImageIO.write(image, "png", File(d, "$name.png"))
    }

    /** Every PNG in [dir] (but the sheet) as small tiles with their names: one picture of the whole app. */
    fun contactSheet(out: File, columns: Int = 8, tileWidth: Int = 150) {
        val d = dir ?: return
        val shots = d.listFiles { f -> f.name.endsWith(".png") && f.name != out.name }?.sortedBy { it.name } ?: return
        if (shots.isEmpty()) return
        val first = ImageIO.read(shots.first())
        val tileHeight = first.height * tileWidth / first.width
        val caption = 16
        val rows = (shots.size + columns - 1) / columns
        val sheet = BufferedImage(columns * tileWidth, rows * (tileHeight + caption), BufferedImage.TYPE_INT_RGB)
        val g = sheet.createGraphics()
        g.color = Color(0xEE, 0xEE, 0xEE)
        g.fillRect(0, 0, sheet.width, sheet.height)
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC)
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON)
        g.font = Font(Font.SANS_SERIF, Font.PLAIN, 11)
        shots.forEachIndexed { i, f ->
            val img = ImageIO.read(f)
            val x = (i % columns) * tileWidth
            val y = (i / columns) * (tileHeight + caption)
            g.drawImage(img, x, y + caption, tileWidth, tileHeight, null)
            g.color = Color.DARK_GRAY
            g.drawString(f.nameWithoutExtension, x + 4, y + 12)
        }
        g.dispose()
        out.parentFile.mkdirs()
        ImageIO.write(sheet, "png", out)
    }
}
