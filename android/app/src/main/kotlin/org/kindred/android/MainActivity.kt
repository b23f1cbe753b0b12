package org.kindred.android

import android.os.Bundle
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Flag
import androidx.compose.material.icons.filled.Group
import androidx.compose.material.icons.filled.EditNote
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material.icons.filled.WbSunny
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.res.stringResource
import androidx.fragment.app.FragmentActivity
import org.kindred.android.ui.GoalsScreen
import org.kindred.android.ui.NotesScreen
import org.kindred.android.ui.SettingsScreen
import org.kindred.android.ui.SharingScreen
import org.kindred.android.ui.TodayScreen

private enum class Tab(val label: Int, val icon: ImageVector) {
    Today(R.string.tab_today, Icons.Filled.WbSunny),
    Goals(R.string.tab_goals, Icons.Filled.Flag),
    Notes(R.string.tab_notes, Icons.Filled.EditNote),
    Sharing(R.string.tab_sharing, Icons.Filled.Group),
    Settings(R.string.tab_settings, Icons.Filled.Settings),
}

/** The one activity: the app lock first (if on), then five tabs. */
class MainActivity : FragmentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val store = (application as KindredApplication).store
        val prefs = getSharedPreferences("settings", MODE_PRIVATE)
        setContent {
            var unlocked by remember { mutableStateOf(!prefs.getBoolean("app_lock", false)) }
            if (!unlocked) {
                AppLock.unlock(this) { unlocked = true }
                return@setContent
            }
            MaterialTheme {
                var tab by remember { mutableStateOf(Tab.Today) }
                Scaffold(
                    bottomBar = {
                        NavigationBar {
                            Tab.entries.forEach { t ->
                                NavigationBarItem(
                                    selected = tab == t,
                                    onClick = { tab = t },
                                    icon = { Icon(t.icon, contentDescription = stringResource(t.label)) },
                                    label = { Text(stringResource(t.label)) },
                                )
                            }
                        }
                    },
                ) { padding ->
                    Screen(tab, Modifier.padding(padding), store, prefs)
                }
            }
        }
    }
}

@Composable
private fun Screen(tab: Tab, modifier: Modifier, store: org.kindred.KindredStore, prefs: android.content.SharedPreferences) {
    when (tab) {
        Tab.Today -> TodayScreen(store, modifier)
        Tab.Goals -> GoalsScreen(store, modifier)
        Tab.Notes -> NotesScreen(store, modifier)
        Tab.Sharing -> SharingScreen(store, modifier)
        Tab.Settings -> SettingsScreen(store, prefs, modifier)
    }
}
