package org.kindred.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.ReadOnlyComposable
import androidx.compose.runtime.staticCompositionLocalOf
import org.kindred.app.StringSet
import org.kindred.app.Strings
import org.kindred.app.UiText

/**
 * The string set the screens read every word from. Desktop and tests use
 * the English set read from the Android app's strings.xml; the Android app
 * provides one backed by its own (translated) resources, with the same keys.
 */
val LocalWords = staticCompositionLocalOf<StringSet> { Strings.englishSet }

@Composable
@ReadOnlyComposable
fun words(key: String, vararg args: Any): String = LocalWords.current.format(key, args.toList())

@Composable
@ReadOnlyComposable
fun words(text: UiText): String = LocalWords.current.format(text)
