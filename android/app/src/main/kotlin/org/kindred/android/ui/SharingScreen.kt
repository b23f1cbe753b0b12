package org.kindred.android.ui

import android.graphics.Bitmap
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import com.google.zxing.BarcodeFormat
import com.google.zxing.qrcode.QRCodeWriter
import com.journeyapps.barcodescanner.ScanContract
import com.journeyapps.barcodescanner.ScanOptions
import androidx.activity.compose.rememberLauncherForActivityResult
import kotlinx.coroutines.launch
import org.kindred.Invite
import org.kindred.Joining
import org.kindred.KindredStore
import org.kindred.android.R
import org.kindred.app.sasLines
import org.kindred.app.sasPrompt
import org.kindred.app.shareLines
import org.kindred.ffi.KindredException
import org.kindred.ffi.SasRecord

private fun qr(text: String): Bitmap {
    val m = QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 512, 512)
    return Bitmap.createBitmap(512, 512, Bitmap.Config.RGB_565).apply {
        for (x in 0 until 512) for (y in 0 until 512) setPixel(x, y, if (m[x, y]) 0xFF000000.toInt() else -1)
    }
}

/**
 * Sharing and devices: show a QR code for another of my devices, scan one,
 * invite a worker with a short code and compare the string, see and end
 * what is shared, remove a lost device.
 */
@Composable
fun SharingScreen(store: KindredStore, modifier: Modifier = Modifier) {
    val scope = rememberCoroutineScope()
    var version by remember { mutableIntStateOf(0) }
    var offer by remember { mutableStateOf<String?>(null) }
    var invite by remember { mutableStateOf<Invite?>(null) }
    var joining by remember { mutableStateOf<Joining?>(null) }
    var sas by remember { mutableStateOf<SasRecord?>(null) }
    var code by remember { mutableStateOf("") }
    var problem by remember { mutableStateOf<String?>(null) }
    val shares = remember(version) { store.shares() }
    val devices = remember(version) { store.devices().filter { !it.thisDevice }.distinctBy { it.fingerprint } }
    val scan = rememberLauncherForActivityResult(ScanContract()) { result ->
        result.contents?.let { text -> scope.launch { runCatching { store.pairJoin(text, 600) }; version++ } }
    }

    Column(modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.sharing_title))
        Button(onClick = {
            val o = store.pairOffer()
            offer = o
            scope.launch { runCatching { store.pairWait(o, 600) }; offer = null; version++ }
        }) { Text(stringResource(R.string.pair_show_qr)) }
        offer?.let {
            Image(qr(it).asImageBitmap(), contentDescription = stringResource(R.string.pair_qr_description), modifier = Modifier.size(240.dp))
        }
        TextButton(onClick = { scan.launch(ScanOptions().setDesiredBarcodeFormats(ScanOptions.QR_CODE)) }) {
            Text(stringResource(R.string.pair_scan_qr))
        }

        Button(onClick = {
            scope.launch {
                try {
                    val i = store.invite()
                    invite = i
                    sas = i.waitForSas()
                } catch (e: KindredException) {
                    problem = e.message
                }
            }
        }) { Text(stringResource(R.string.invite_create)) }
        invite?.let { Text(it.code) }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedTextField(code, { code = it }, label = { Text(stringResource(R.string.invite_code_hint)) })
            TextButton(onClick = {
                scope.launch {
                    try {
                        val j = store.join(code)
                        joining = j
                        sas = j.waitForSas()
                    } catch (e: KindredException) {
                        problem = e.message
                    }
                }
            }) { Text(stringResource(R.string.invite_join)) }
        }
        sas?.let { s ->
            val (digits, pictures) = sasLines(s)
            Text(text(sasPrompt("")))
            Text(digits)
            Text(pictures)
            Row {
                Button(onClick = {
                    scope.launch {
                        try {
                            invite?.confirm() ?: joining?.confirm()
                        } catch (e: KindredException) {
                            problem = e.message
                        }
                        sas = null; invite = null; joining = null; version++
                    }
                }) { Text(stringResource(R.string.sas_match)) }
                TextButton(onClick = {
                    scope.launch {
                        runCatching { invite?.decline() ?: joining?.decline() }
                        sas = null; invite = null; joining = null
                    }
                }) { Text(stringResource(R.string.sas_differ)) }
            }
        }
        problem?.let { Text(it) }

        shareLines(shares).forEach { Text(text(it)) }
        shares.forEach { s ->
            TextButton(onClick = { scope.launch { runCatching { store.endShare(s.space) }; version++ } }) {
                Text(stringResource(R.string.share_end) + " — " + (s.name ?: s.space.take(8)))
            }
        }
        devices.forEach { d ->
            Row {
                Text("${d.name} (${d.role})")
                TextButton(onClick = { scope.launch { runCatching { store.removeDevice(d.fingerprint) }; version++ } }) {
                    Text(stringResource(R.string.device_remove))
                }
            }
        }
    }
}
