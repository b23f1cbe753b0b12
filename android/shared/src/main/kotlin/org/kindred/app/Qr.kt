package org.kindred.app

import com.google.zxing.BarcodeFormat
import com.google.zxing.EncodeHintType
import com.google.zxing.qrcode.QRCodeWriter
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel

/** A QR code as a square of dark and light modules, for any screen to draw. */
class QrCode(val size: Int, private val dark: BooleanArray) {
    operator fun get(x: Int, y: Int): Boolean = dark[y * size + x]

    companion object {
        /** Encodes [text] (a pairing offer) with medium error correction and no quiet zone. */
        fun of(text: String): QrCode {
            val hints = mapOf(EncodeHintType.ERROR_CORRECTION to ErrorCorrectionLevel.M, EncodeHintType.MARGIN to 0)
            val m = QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints)
            val n = m.width
            return QrCode(n, BooleanArray(n * n) { m.get(it % n, it / n) })
        }
    }
}
