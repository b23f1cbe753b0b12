package org.kindred.ui

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color

// Calm, high-contrast colours (text on every surface meets WCAG AA).
private val Light = lightColorScheme(
    primary = Color(0xFF1F6F63),
    onPrimary = Color.White,
    primaryContainer = Color(0xFFB8EDE2),
    onPrimaryContainer = Color(0xFF00201B),
    secondary = Color(0xFF4A635E),
    onSecondary = Color.White,
    secondaryContainer = Color(0xFFCCE8E1),
    onSecondaryContainer = Color(0xFF06201C),
    tertiary = Color(0xFF8A4B2F),
    onTertiary = Color.White,
    tertiaryContainer = Color(0xFFFFDBCD),
    onTertiaryContainer = Color(0xFF351000),
    background = Color(0xFFF8FAF8),
    onBackground = Color(0xFF191C1B),
    surface = Color(0xFFF8FAF8),
    onSurface = Color(0xFF191C1B),
    surfaceVariant = Color(0xFFDBE5E1),
    onSurfaceVariant = Color(0xFF3F4946),
)

private val Dark = darkColorScheme(
    primary = Color(0xFF8BD3C5),
    onPrimary = Color(0xFF003730),
    primaryContainer = Color(0xFF005047),
    onPrimaryContainer = Color(0xFFA7F2E3),
    secondary = Color(0xFFB1CCC5),
    onSecondary = Color(0xFF1C3530),
    secondaryContainer = Color(0xFF334B46),
    onSecondaryContainer = Color(0xFFCCE8E1),
    tertiary = Color(0xFFFFB596),
    onTertiary = Color(0xFF532206),
    tertiaryContainer = Color(0xFF6E361A),
    onTertiaryContainer = Color(0xFFFFDBCD),
    background = Color(0xFF111413),
    onBackground = Color(0xFFE0E3E1),
    surface = Color(0xFF111413),
    onSurface = Color(0xFFE0E3E1),
    surfaceVariant = Color(0xFF3F4946),
    onSurfaceVariant = Color(0xFFBFC9C5),
)

@Composable
fun KindredTheme(dark: Boolean, content: @Composable () -> Unit) {
    MaterialTheme(colorScheme = if (dark) Dark else Light, content = content)
}
