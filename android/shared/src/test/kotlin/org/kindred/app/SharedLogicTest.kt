package org.kindred.app

import java.io.File
import java.nio.file.Files
import java.time.Duration
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import kotlinx.coroutines.runBlocking
import org.kindred.Goal
import org.kindred.GoalId
import org.kindred.GoalStatus
import org.kindred.KindredStore
import org.kindred.Role
import org.kindred.Sas
import org.kindred.SeenBy
import org.kindred.Share
import org.kindred.ShareMember
import org.kindred.SharedGoal
import org.kindred.SpaceId
import org.kindred.SpaceKind
import org.kindred.StorageKeys
import org.kindred.Step
import org.kindred.StepId
import org.kindred.SyncStatus

class SharedLogicTest {
    private suspend fun store(): KindredStore {
        val dir = Files.createTempDirectory("kindred-app").toFile()
        dir.deleteOnExit()
        return KindredStore.create(dir, StorageKeys { ByteArray(32) { 5 } }, "phone")
    }

    @Test
    fun aQuickCheckInTakesTwoTapsAndStartsFreshAfter(): Unit = runBlocking {
        val at = OffsetDateTime.of(2026, 3, 1, 9, 0, 0, 0, ZoneOffset.UTC)
        val q = QuickCheckIn { at }
        store().use { k ->
            assertFalse(q.canSave)
            assertEquals(UiText(Keys.CHECKIN_PICK_MOOD), q.save(k))
            assertTrue(k.checkIns().isEmpty(), "nothing saved without a mood")
            q.pickMood(4) // tap one
            q.toggleTag("walk")
            q.toggleTag(" walk ") // a second tap takes it off again
            q.toggleTag("friends")
            assertEquals(UiText(Keys.CHECKIN_SAVED), q.save(k)) // tap two
            val saved = k.checkIns().single()
            assertEquals(4, saved.mood)
            assertEquals(listOf("friends"), saved.tags)
            assertNull(saved.note)
            assertFalse(q.canSave, "fresh for the next one")
            assertThrows<IllegalArgumentException> { q.pickMood(6) }
            assertEquals(5, q.moods.size)
        }
    }

    private fun goal(id: String, status: String, done: Int, total: Int, created: String) = OffsetDateTime.parse(created).let { at ->
        Goal(
            GoalId(id), "goal $id", null, null, GoalStatus.of(status) ?: GoalStatus.ACTIVE, null,
            (0 until total).map { Step(StepId("s$it"), "step", null, if (it < done) at else null) },
            emptyList(), at, at, status,
        )
    }

    @Test
    fun goalsListActiveFirstWithoutJudgement(): Unit = runBlocking {
        val cards = goalCards(
            listOf(
                goal("a", "let_go", 0, 0, "2026-01-01T00:00:00Z"),
                goal("b", "active", 1, 4, "2026-01-02T00:00:00Z"),
                goal("c", "paused", 0, 2, "2026-01-03T00:00:00Z"),
                goal("d", "active", 0, 0, "2026-01-04T00:00:00Z"),
                goal("e", "from_a_newer_app", 0, 0, "2026-01-05T00:00:00Z"),
            ),
            sharedIds = setOf("b"),
        )
        assertEquals(listOf("d", "b", "c", "a", "e"), cards.map { it.id })
        val b = cards.first { it.id == "b" }
        assertEquals(UiText(Keys.GOAL_STEPS_PROGRESS, 1, 4), b.steps)
        assertEquals(0.25, b.fraction)
        assertTrue(b.shared)
        assertEquals(UiText(Keys.GOAL_NO_STEPS), cards.first { it.id == "d" }.steps)
        assertNull(cards.first { it.id == "d" }.fraction)
        assertEquals(UiText(Keys.GOAL_LET_GO), cards.first { it.id == "a" }.status)
        assertEquals(UiText(Keys.GOAL_ACTIVE), cards.first { it.id == "e" }.status)
        assertEquals(Keys.GOAL_PAUSED, statusKey(GoalStatus.PAUSED))
    }

    private fun status(onServer: Boolean, pending: Long, seen: List<SeenBy> = emptyList(), error: String? = null) =
        SyncStatus(SpaceId("s"), SpaceKind.PERSONAL, onServer, pending, null, null, error, 0L, seen)

    @Test
    fun syncWordsSayEverythingIsKeptFirst(): Unit = runBlocking {
        assertEquals(listOf(UiText(Keys.SYNC_NOT_SET_UP)), syncSummary(listOf(status(false, 3))))
        assertEquals(listOf(UiText(Keys.SYNC_ALL_SAVED)), syncSummary(listOf(status(true, 0))))
        val lines = syncSummary(
            listOf(
                status(true, 2, listOf(SeenBy("tablet", true), SeenBy("laptop", false))),
                status(true, 1, listOf(SeenBy("tablet", true)), error = "offline"),
            ),
        )
        assertEquals(
            listOf(
                UiText(Keys.SYNC_WAITING, 3L),
                UiText(Keys.SYNC_PROBLEM),
                UiText(Keys.SYNC_NOT_YET_SEEN_BY, "laptop"),
                UiText(Keys.SYNC_SEEN_BY, "tablet"),
            ),
            lines,
        )
    }

    @Test
    fun noteDraftsAutosaveAfterAPauseAndOnClose() = kotlinx.coroutines.runBlocking {
        var now = Instant.parse("2026-03-01T10:00:00Z")
        val d = NoteDraft("", Duration.ofSeconds(2)) { now }
        val written = mutableListOf<String>()
        d.edit("We met at")
        assertNull(d.saveIfDue { written += it }, "still typing")
        now = now.plusSeconds(3)
        assertEquals(UiText(Keys.NOTE_DRAFT_SAVED), d.saveIfDue { written += it })
        assertNull(d.saveIfDue { written += it }, "nothing new")
        d.edit("We met at the library")
        assertEquals(UiText(Keys.NOTE_DRAFT_SAVED), d.saveIfDue(force = true) { written += it })
        assertEquals(listOf("We met at", "We met at the library"), written)
        assertFalse(d.dirty)
        // Before signing every field is written, even when nothing looks changed.
        d.saveEverything { written += it }
        assertEquals(3, written.size)
    }

    /** The defect this replaced: a flag ticked after the last autosave was not "changed text". */
    @Test
    fun aDraftComparesTheWholeFormNotOnlyItsText() = kotlinx.coroutines.runBlocking {
        val start = OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC)
        val d = NoteDraft(NoteForm.fresh(start).copy(contactId = "c", narrative = "Visit"), Duration.ZERO) { Instant.EPOCH }
        val written = mutableListOf<NoteForm>()
        d.saveIfDue(force = true) { written += it }
        d.edit(d.value.copy(substanceUse = true))
        assertTrue(d.dirty)
        d.saveIfDue { written += it }
        assertTrue(written.last().substanceUse)
    }

    @Test
    fun sharingLinesAndTheShortString(): Unit = runBlocking {
        val (digits, pictures) = sasLines(Sas("123 456", listOf("🐶", "🌳", "🔑", "🚲")))
        assertEquals("123 456", digits)
        assertEquals("🐶  🌳  🔑  🚲", pictures)
        assertEquals(UiText(Keys.SAS_COMPARE, "Jo"), sasPrompt("Jo"))
        assertEquals(listOf(UiText(Keys.SHARE_NOTHING)), shareLines(emptyList()))
        val s = Share(
            SpaceId("sp"), "with Jo",
            listOf(ShareMember("my phone", "aa", Role.OWNER, true), ShareMember("Jo's laptop", "bb", Role.WRITER, false)),
            listOf(SharedGoal(GoalId("g1"), "one"), SharedGoal(GoalId("g2"), "two")), 0L,
        )
        assertEquals(listOf(UiText(Keys.SHARE_WITH, "Jo's laptop", 2)), shareLines(listOf(s)))
    }

    /** The resource files sit beside this module in the repository. */
    private fun repoFile(path: String): File {
        var dir: File? = File(System.getProperty("user.dir")).absoluteFile
        while (dir != null && !File(dir, path).exists()) dir = dir.parentFile
        return File(dir ?: error("no $path above ${System.getProperty("user.dir")}"), path)
    }

    @Test
    fun everyKeyIsInBothAppsAndNoWordScolds(): Unit = runBlocking {
        val android = repoFile("android/app/src/main/res/values/strings.xml").readText()
        val ios = repoFile("ios/Kindred/Resources/en.lproj/Localizable.strings").readText()
        val androidWords = Strings.parseAndroidStrings(android)
        val iosWords = Regex("^\"([^\"]+)\" = \"((?:[^\"\\\\]|\\\\.)*)\";", RegexOption.MULTILINE).findAll(ios)
            .associate { it.groupValues[1] to it.groupValues[2].replace("\\\"", "\"").replace("\\\\", "\\") }
        assertTrue(Keys.all.size > 100, "the keys are found: ${Keys.all.size}")
        for (k in Keys.all) {
            assertTrue(k in androidWords, "$k missing from strings.xml")
            assertTrue(k in iosWords, "$k missing from Localizable.strings")
        }
        // Keys the screens build from a value.
        for (k in (1..5).flatMap { listOf("mood_$it", "energy_$it") } + Relock.entries.map { "relock_${it.name.lowercase()}" }) {
            assertTrue(k in androidWords, "$k missing from strings.xml")
        }
        assertEquals(androidWords.keys, iosWords.keys, "both apps say the same things")
        for ((k, v) in androidWords) {
            val asIos = v.replace(Regex("%(\\d+)\\\$s"), "%\$1\\\$@").replace(Regex("%(\\d+)\\\$d"), "%\$1\\\$ld")
            assertEquals(asIos, iosWords[k], "$k says something else on iOS (run scripts/strings-ios.py)")
        }
        // The screens on the JVM read the very same file.
        assertEquals(androidWords, Strings.english)
        assertEquals("Call 988", Strings.englishSet.format(Keys.HELP_CALL, listOf("988")))
        assertEquals("5 more tries", Strings.englishSet.format(Keys.LOCK_PIN_WRONG, listOf(5)).substringAfter(". ").substringBefore(" before"))
        for (t in androidWords.values) {
            for (word in listOf("fail", "streak", "missed", "overdue", "should have", "relapse", "forbidden", "epoch", "space")) {
                assertFalse(t.lowercase().contains(word), "\"$t\" uses \"$word\"")
            }
        }
    }
}
