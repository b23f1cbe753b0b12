package org.kindred.app

import org.kindred.app.platform.Preferences

/** A number to call or text when things are hard right now. */
data class CrisisLine(
    val name: String,
    val number: String,
    val canCall: Boolean = true,
    val canText: Boolean = false,
    /** False for a line the person added (they may remove it); the locale's default can be edited too. */
    val fromDefaults: Boolean = false,
    /** The core's id for a line the person keeps in her own data; null for a default not yet kept (or one kept in preferences). */
    val id: String? = null,
    /** When to use it ("nights and weekends"), in her words. */
    val whenToUse: String? = null,
)

/**
 * The crisis lines "Need help now" shows: the person's own list once they
 * changed it, otherwise a default for their region. Kept in [Preferences]
 * (not in the encrypted store) so they work before the app is unlocked.
 */
class CrisisLines(private val prefs: Preferences, private val region: String) {
    fun lines(): List<CrisisLine> = prefs.get(KEY)?.let(::decode) ?: defaultsFor(region)

    fun save(lines: List<CrisisLine>) = prefs.put(KEY, encode(lines))

    fun reset() = prefs.put(KEY, null)

    /** The lines she saved here, or null when she never changed the defaults (or they moved into the core). */
    fun saved(): List<CrisisLine>? = prefs.get(KEY)?.let(::decode)

    companion object {
        private const val KEY = "crisis_lines"

        /** Lines checked against the services' own pages; everywhere else: the local emergency number. */
        fun defaultsFor(region: String): List<CrisisLine> = when (region.uppercase()) {
            "US" -> listOf(CrisisLine("988 Suicide & Crisis Lifeline", "988", canCall = true, canText = true, fromDefaults = true))
            "CA" -> listOf(CrisisLine("9-8-8 Suicide Crisis Helpline", "988", canCall = true, canText = true, fromDefaults = true))
            "GB", "UK", "IE" -> listOf(CrisisLine("Samaritans", "116 123", fromDefaults = true))
            "AU" -> listOf(CrisisLine("Lifeline", "13 11 14", canCall = true, canText = false, fromDefaults = true))
            "NZ" -> listOf(CrisisLine("Need to talk? 1737", "1737", canCall = true, canText = true, fromDefaults = true))
            // A blank name reads as "Emergency services" on screen (from the string set).
            else -> listOf(CrisisLine("", "112", fromDefaults = true))
        }

        // One line per entry, fields separated by a unit separator: no JSON library needed.
        private const val SEP = '\u001f'

        internal fun encode(lines: List<CrisisLine>): String = lines.joinToString("\n") {
            listOf(it.name, it.number, it.canCall, it.canText, it.fromDefaults).joinToString(SEP.toString())
        }

        internal fun decode(s: String): List<CrisisLine> = s.lines().filter { it.isNotBlank() }.mapNotNull { line ->
            val f = line.split(SEP)
            if (f.size < 5) null else CrisisLine(f[0], f[1], f[2].toBoolean(), f[3].toBoolean(), f[4].toBoolean())
        }
    }
}
