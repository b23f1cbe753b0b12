package org.kindred.app

import java.util.Locale

/**
 * The one set of words every screen shows, keyed like Android's
 * `strings.xml` and iOS's `Localizable.strings`. On the JVM (desktop, tests,
 * and the shared Compose screens) the English set is read from the very
 * `strings.xml` the Android app ships (Maven packs it into this module's jar),
 * so there is one file to review and translate; a test keeps the iOS file's
 * keys and words the same.
 */
fun interface StringSet {
    /** The text for [key], or null when the set lacks it. */
    fun raw(key: String): String?

    /**
     * The words for [key] with its arguments (Android's `%1$s` / `%1$d`); an
     * argument that is itself [UiText] is put in words first. Where the first
     * number among the arguments is 1 and the set has `<key>_one`, that is
     * used ("1 change will sync", not "1 changes").
     */
    fun format(key: String, args: List<Any> = emptyList()): String {
        val count = args.firstOrNull { it is Int || it is Long }?.let { (it as Number).toLong() }
        val text = (if (count == 1L) raw(key + ONE) else null) ?: raw(key) ?: return key
        if (args.isEmpty()) return text.replace("%%", "%")
        val words = args.map { if (it is UiText) format(it) else it }
        return String.format(Locale.getDefault(), text, *words.toTypedArray())
    }

    fun format(text: UiText): String = format(text.key, text.args)

    companion object {
        /** The ending of a key's words for a count of exactly one. */
        const val ONE = "_one"
    }
}

object Strings {
    /** Where Maven puts a copy of `android/app/src/main/res/values/strings.xml`. */
    const val RESOURCE = "/org/kindred/app/strings.xml"

    /** Every key and its English words, in the file's order. */
    val english: Map<String, String> by lazy {
        val xml = Strings::class.java.getResourceAsStream(RESOURCE)?.use { it.readBytes().decodeToString() }
            ?: error("$RESOURCE is not on the classpath")
        parseAndroidStrings(xml)
    }

    val englishSet: StringSet = StringSet { english[it] }

    /** Reads `<string name="key">words</string>` entries, undoing Android's escapes. */
    fun parseAndroidStrings(xml: String): LinkedHashMap<String, String> {
        val out = LinkedHashMap<String, String>()
        val entry = Regex("<string name=\"([^\"]+)\"[^>]*>(.*?)</string>", RegexOption.DOT_MATCHES_ALL)
        for (m in entry.findAll(xml.replace(Regex("<!--.*?-->", RegexOption.DOT_MATCHES_ALL), ""))) {
            out[m.groupValues[1]] = unescape(m.groupValues[2])
        }
        return out
    }

    private fun unescape(s: String): String = s
        .replace("\\'", "'").replace("\\\"", "\"").replace("\\n", "\n")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}
