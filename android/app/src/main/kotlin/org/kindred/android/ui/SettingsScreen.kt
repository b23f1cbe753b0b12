package org.kindred.android.ui

import android.content.SharedPreferences
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import java.util.concurrent.TimeUnit
import org.kindred.KindredStore
import org.kindred.android.R
import org.kindred.android.ReminderWorker
import org.kindred.ffi.KindredException

/** Settings: app lock, a gentle reminder, the sync server. */
@Composable
fun SettingsScreen(store: KindredStore, prefs: SharedPreferences, modifier: Modifier = Modifier) {
    val ctx = LocalContext.current
    var lock by remember { mutableStateOf(prefs.getBoolean("app_lock", false)) }
    var reminders by remember { mutableStateOf(prefs.getBoolean("reminders", false)) }
    var server by remember { mutableStateOf(store.server ?: "") }
    var problem by remember { mutableStateOf<String?>(null) }

    Column(modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(R.string.settings_title))
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Column(Modifier.weight(1f)) {
                Text(stringResource(R.string.settings_app_lock))
                Text(stringResource(R.string.settings_app_lock_detail))
            }
            Switch(checked = lock, onCheckedChange = { lock = it; prefs.edit().putBoolean("app_lock", it).apply() })
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(stringResource(R.string.settings_reminders), Modifier.weight(1f))
            Switch(checked = reminders, onCheckedChange = {
                reminders = it
                prefs.edit().putBoolean("reminders", it).apply()
                val wm = WorkManager.getInstance(ctx)
                if (it) {
                    wm.enqueueUniquePeriodicWork(
                        "kindred-reminder", ExistingPeriodicWorkPolicy.UPDATE,
                        PeriodicWorkRequestBuilder<ReminderWorker>(1, TimeUnit.DAYS).build(),
                    )
                } else {
                    wm.cancelUniqueWork("kindred-reminder")
                }
            })
        }
        OutlinedTextField(server, { server = it }, label = { Text(stringResource(R.string.settings_server)) })
        Button(onClick = {
            problem = try {
                store.server = server.trim(); null
            } catch (e: KindredException) {
                e.message
            }
        }) { Text(stringResource(R.string.settings_server)) }
        problem?.let { Text(it) }
    }
}
