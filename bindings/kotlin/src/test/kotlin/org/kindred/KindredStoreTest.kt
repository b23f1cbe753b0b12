package org.kindred

import java.io.File
import java.net.InetAddress
import java.net.ServerSocket
import java.util.concurrent.CountDownLatch
import java.nio.file.Files
import java.time.Duration
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.assertThrows
import org.kindred.ffi.KindredException

/**
 * The generated Kotlin and the wrapper against the real native library
 * (loaded through JNA from the host build) and a real kindred-server
 * process on a free loopback port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang fails the suite instead of stalling it
class KindredStoreTest {
    private lateinit var server: Process
    private lateinit var url: String
    private val dirs = mutableListOf<File>()
    private val key = StorageKeys { ByteArray(32) { 7 } }

    @BeforeAll
    fun startServer() {
        val bin = System.getProperty("kindred.server.binary")
        val data = Files.createTempDirectory("kindred-server").toFile().also { dirs += it }
        server = ProcessBuilder(bin, "--listen", "127.0.0.1:0", "--data", data.path, "--removal-wait-secs", "0")
            // The whole suite shares one address: rate limits sized for people would refuse it.
            .apply { environment().putAll(TEST_LIMITS) }
            .redirectError(File(data, "server.log"))
            .start()
        val first = server.inputStream.bufferedReader().readLine()
        url = first.removePrefix("listening on ").trim()
        assertTrue(url.startsWith("http://127.0.0.1:"), first)
    }

    @AfterAll
    fun stopServer() {
        server.destroy()
        server.waitFor(10, TimeUnit.SECONDS)
        dirs.forEach { it.deleteRecursively() }
    }

    private fun dir(): File = Files.createTempDirectory("kindred").toFile().also { dirs += it }

    private suspend fun device(name: String): KindredStore =
        KindredStore.create(dir(), key, name).also { it.setServer(url) }

    @Test
    fun goalsStepsProgressAndStatusesRoundTrip(): Unit = runBlocking {
        device("phone").use { k ->
            val id = k.addGoal("Walk to the park", why = "Fresh air", area = LifeArea.PHYSICAL,
                targetDate = LocalDate.of(2026, 6, 1))
            val step = k.addStep(id, "Find my shoes", due = LocalDate.of(2026, 3, 1))
            k.setStepDone(id, step)
            k.addProgress(id, "Went twice this week")
            k.updateGoal(id, title = "Walk to the big park", clearWhy = true)
            k.setGoalStatus(id, GoalStatus.PAUSED)
            val g = k.goal(id)
            assertEquals("Walk to the big park", g.title)
            assertNull(g.why)
            assertEquals(LifeArea.PHYSICAL, g.area)
            assertEquals(GoalStatus.PAUSED, g.status)
            assertEquals(LocalDate.of(2026, 6, 1), g.targetDate)
            assertTrue(g.steps.single().done)
            assertEquals(1, g.stepsDone)
            assertEquals("Went twice this week", g.progress.single().note)
            assertEquals(listOf(id), k.goals(GoalStatus.PAUSED).map { it.id })
            assertTrue(k.goals(GoalStatus.ACTIVE).isEmpty())
            assertTrue(g.createdAt.isBefore(OffsetDateTime.now().plusMinutes(1)))
            assertEquals(16, k.device().fingerprint.length)
            assertEquals("phone", k.device().name)
        }
    }

    @Test
    fun checkInsAndTheWeeklySummary(): Unit = runBlocking {
        device("phone").use { k ->
            val at = OffsetDateTime.of(2026, 3, 2, 21, 30, 0, 0, ZoneOffset.ofHours(1))
            k.addCheckIn(4, energy = 3, tags = listOf("walk"), note = "Good day", at = at)
            k.addCheckIn(2, at = at.plusDays(1))
            val all = k.checkIns()
            assertEquals(2, all.size)
            assertEquals(at, all[0].occurredAt)
            assertEquals(1, k.checkIns(since = LocalDate.of(2026, 3, 3)).size)
            val weeks = k.weeklySummary(2, LocalDate.of(2026, 3, 8))
            assertEquals(2, weeks.size)
            assertEquals(2, weeks.last().count)
            assertEquals(3.0, weeks.last().meanMood)
            assertEquals("walk" to 1, weeks.last().tags.single())
        }
    }

    @Test
    fun contactsNotesSignaturesAddendaAndExport(): Unit = runBlocking {
        device("worker laptop").use { k ->
            val jo = k.addContact("Jo")
            assertEquals("Jo", k.contacts().single().name)
            val start = OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC)
            val n = k.addNote(jo, start, start.plusHours(1), "Met at the library", ownWords = "It helped")
            val flagged = k.addNote(jo, start, start.plusHours(1), "Talked about cutting down", substanceUse = true)
            k.updateNote(n, narrative = "Met at the library and talked", substanceUse = false)
            assertEquals("Met at the library and talked", k.note(n).narrative)
            k.signNote(n)
            assertThrows<KindredException.NotAllowed> { k.updateNote(n, narrative = "changed after signing") }
            val signed = k.note(n)
            assertTrue(signed.isSigned)
            assertEquals("worker laptop", signed.signedBy)
            assertEquals(true, signed.signatureOk)
            k.addAddendum(n, "Later words")
            assertEquals(1, k.note(n).addenda.size)
            assertEquals(2, k.notes(jo).size)
            assertEquals(start, k.notes().first().start)
            // Substance-use notes stay out of exports unless asked.
            assertFalse(k.exportJson().contains("cutting down"))
            assertTrue(k.exportJson(includeSensitive = true).contains("cutting down"))
            assertTrue(k.note(flagged).substanceUse)
        }
    }

    @Test
    fun errorsArriveAsTheRightKotlinExceptions(): Unit = runBlocking {
        val d = dir()
        KindredStore.create(d, key, "phone").use { k ->
            assertThrows<KindredException.InvalidInput> { k.addCheckIn(6) }
            assertThrows<KindredException.InvalidInput> { k.addGoal("  ") }
            assertThrows<KindredException.InvalidInput> { k.goal(GoalId("not an id!")) }
            assertThrows<KindredException.NotFound> { k.goal(GoalId("0".repeat(32))) }
            val n = k.addNote(k.addContact("Sam"), OffsetDateTime.now(), OffsetDateTime.now(), "x")
            k.signNote(n)
            assertThrows<KindredException.NotAllowed> { k.signNote(n) }
            // No server answers on this port: the work is kept, sync says offline.
            k.setServer("http://127.0.0.1:9")
            val offline = assertThrows<KindredException.Offline> { k.sync() }
            assertTrue(offline.message!!.contains("kept"), offline.message)
            assertThrows<KindredException.InvalidInput> { k.setServer("ftp://nope") }
        }
        // A wrong key, and data that already exists.
        assertThrows<KindredException.Setup> { KindredStore.open(d, StorageKeys { ByteArray(32) { 9 } }) }
        assertThrows<KindredException.Setup> { KindredStore.create(d, key, "again") }
        assertThrows<KindredException.KeyUnavailable> { KindredStore.open(d, StorageKeys { ByteArray(3) }) }
        assertThrows<KindredException.Setup> { KindredStore.open(dir(), key) }
    }

    @Test
    fun aClosedStoreGivesATypedErrorNotACrash(): Unit = runBlocking {
        val k = device("phone")
        k.addGoal("Before closing")
        k.close()
        assertThrows<KindredException.Closed> { k.goals() }
        assertThrows<KindredException.Closed> { k.addGoal("After closing") }
        // The raw generated object, freed, refuses politely too.
        val raw = org.kindred.ffi.Kindred.create(dir().path, object : org.kindred.ffi.KeyProvider {
            override fun storageKey() = ByteArray(32) { 1 }
        }, "raw")
        raw.close()
        assertThrows<IllegalStateException> { raw.goals(null) }
    }

    @Test
    fun notMyDeviceAddsNoOneAndTheNewDeviceIsToldSo(): Unit = runBlocking {
        val phone = device("phone")
        val stranger = KindredStore.createJoining(dir(), key, "stranger")
        phone.use {
            stranger.use {
                phone.sync()
                val offer = phone.pairOffer()
                stranger.pairJoinRequest(offer)
                assertEquals("stranger", phone.pairWait(offer, Duration.ofSeconds(60)).name)
                assertEquals(null, phone.pairAnswer(offer, false))
                val refused = assertThrows<KindredException.Pairing> {
                    runBlocking { stranger.pairJoinWait(offer, Duration.ofSeconds(30)) }
                }
                assertTrue(refused.message!!.contains("nothing was added"))
                assertTrue(phone.devices().none { it.name == "stranger" })
            }
        }
    }

    @Test
    fun twoDevicesPairSyncAndTheListenerHearsOfChanges(): Unit = runBlocking {
        val phone = device("phone")
        val tablet = KindredStore.createJoining(dir(), key, "tablet")
        phone.use {
            tablet.use {
                val g = phone.addGoal("Cook at home")
                phone.sync()
                val offer = phone.pairOffer()
                coroutineScope {
                    // Both screens show the same code; the phone adds the tablet only on a yes.
                    val code = tablet.pairJoinRequest(offer)
                    val request = phone.pairWait(offer, Duration.ofSeconds(60))
                    assertEquals("tablet", request.name)
                    assertEquals(code, request.code)
                    assertEquals(6, code.display.split(" ").size)
                    val joining = async { tablet.pairJoinWait(offer, Duration.ofSeconds(60)) }
                    assertEquals("tablet", phone.pairAnswer(offer, true)?.name)
                    assertEquals("phone", joining.await().name)
                }
                assertEquals("Cook at home", tablet.goal(g).title)
                assertEquals(url, tablet.server())

                // Every collector hears of what a sync brings, each on its own.
                val first = async(start = CoroutineStart.UNDISPATCHED) {
                    tablet.changes().first { !it.local }
                }
                val second = async(start = CoroutineStart.UNDISPATCHED) {
                    tablet.changes().first { !it.local }
                }
                phone.addCheckIn(4, note = "from the phone")
                phone.sync()
                tablet.sync()
                assertTrue(first.await().count >= 1)
                assertTrue(second.await().count >= 1)

                // A watch syncs on the relay's live hint; a collector hears of it.
                val watch = tablet.watch(Duration.ofHours(1))
                val hinted = async(start = CoroutineStart.UNDISPATCHED) {
                    withTimeout(30_000) { tablet.changes().first { !it.local } }
                }
                launch {
                    // The hint only reaches a watch that is connected: keep
                    // writing until it has heard one (bounded).
                    repeat(40) {
                        if (hinted.isCompleted) return@launch
                        phone.addCheckIn(3)
                        phone.sync()
                        kotlinx.coroutines.yield()
                        if (!hinted.isCompleted) kotlinx.coroutines.delay(250)
                    }
                }
                assertTrue(hinted.await().count >= 1)
                watch.close()

                // Both watching: a write on the phone reaches the tablet with
                // no sync called at all (the phone's watch sends it at once,
                // one round trip; the tablet's wakes on the hint).
                val phoneWatch = phone.watch(Duration.ofHours(1))
                val tabletWatch = tablet.watch(Duration.ofHours(1))
                val arrived = async(start = CoroutineStart.UNDISPATCHED) {
                    withTimeout(30_000) { tablet.changes().first { !it.local } }
                }
                launch {
                    // Until the tablet's live connection is up (bounded).
                    repeat(40) {
                        if (arrived.isCompleted) return@launch
                        phone.addCheckIn(2, note = "no sync called")
                        if (!arrived.isCompleted) kotlinx.coroutines.delay(500)
                    }
                }
                assertTrue(arrived.await().count >= 1)
                phoneWatch.close()
                tabletWatch.close()

                val status = phone.syncStatus()
                assertTrue(status.all { it.onServer }, "$status")
                val names = phone.devices().map { it.name }.toSet()
                assertEquals(setOf("phone", "tablet"), names)

                // The tablet is lost: the phone removes it (this test relay
                // and device wait no time), keys rotate, the tablet wipes.
                phone.setRemovalWait(0)
                val removed = phone.removeDevice(tablet.device().fingerprint, lost = true)
                assertEquals("tablet", removed.name)
                assertTrue(removed.removed)
                val report = tablet.sync()
                assertTrue(report.all { it.removed }, "$report")
                assertThrows<KindredException.NotFound> { tablet.goal(g) }
            }
        }
    }

    @Test
    fun aPersonAndAWorkerShareWithAMatchingString(): Unit = runBlocking {
        val person = device("person phone")
        val worker = device("worker laptop")
        person.use {
            worker.use {
                val g = person.addGoal("Get my own flat")
                person.addGoal("Stays private")
                val invite = person.invite(role = Role.WRITER)
                val joining = worker.join(invite.code)
                val (a, b) = coroutineScope {
                    val a = async { invite.waitForSas(Duration.ofSeconds(60)) }
                    val b = async { joining.waitForSas(Duration.ofSeconds(60)) }
                    a.await() to b.await()
                }
                assertEquals(a, b)
                assertEquals(6, a.digits.count { it.isDigit() })
                assertEquals(4, a.emoji.size)
                val (added, joined) = coroutineScope {
                    val x = async { invite.confirm(Duration.ofSeconds(60)) }
                    val y = async { joining.confirm(Duration.ofSeconds(60)) }
                    x.await() to y.await()
                }
                assertEquals("worker laptop", added.name)
                assertEquals(Role.WRITER, joined.role)
                val space = joined.space!!
                person.shareGoal(g, space)
                val day = OffsetDateTime.of(2026, 3, 4, 20, 0, 0, 0, ZoneOffset.UTC)
                person.addCheckIn(3, note = "shared day", at = day)
                person.addCheckIn(2, note = "not shared", at = day.plusDays(5))
                val shared = person.shareCheckIns(space, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 7))
                assertEquals(1L, shared)
                person.sync()
                worker.sync()
                assertEquals(listOf("Get my own flat"), worker.goals().map { it.title })
                assertEquals("shared day", worker.checkIns().single().note)

                // A note shared with the person; her words come back, verified.
                val start = OffsetDateTime.now()
                val n = worker.addNote(worker.addContact("Jo"), start, start, "Viewed two flats")
                worker.signNote(n)
                worker.shareNote(n, space)
                worker.sync()
                person.sync()
                person.commentNote(n, "The second one felt like home")
                person.reviewNote(n)
                person.sync()
                worker.sync()
                val seen = worker.note(n)
                assertTrue(seen.comments.single().verified)
                assertEquals("person phone", seen.reviewedBy)
                assertEquals(space, seen.sharedIn)

                val share = person.shares().single()
                assertEquals(listOf(g), share.goals.map { it.id })
                assertTrue(share.members.any { it.name == "worker laptop" && it.role == Role.WRITER && !it.mine })

                person.unshareGoal(g)
                person.shareGoal(g, space)
                val ended = person.endShare(space)
                assertEquals("worker laptop", ended.name)
                worker.sync()
                assertTrue(worker.goals().isEmpty())
                assertTrue(worker.shares().isEmpty())
                invite.close()
                joining.close()
            }
        }
    }

    @Test
    fun aDeclinedInviteAddsNoOne(): Unit = runBlocking {
        device("person phone").use { person ->
            device("worker laptop").use { worker ->
                val invite = person.invite()
                val joining = worker.join(invite.code)
                coroutineScope {
                    launch { invite.waitForSas(Duration.ofSeconds(60)) }
                    joining.waitForSas(Duration.ofSeconds(60))
                }
                joining.decline()
                assertThrows<KindredException.Pairing> { invite.confirm(Duration.ofSeconds(30)) }
                person.sync()
                assertTrue(person.shares().isEmpty(), "a declined invite makes no share")
                assertThrows<KindredException.Pairing> { worker.join("00000-00000") }

                // This time the person sees different strings and says so.
                val second = person.invite()
                val joining2 = worker.join(second.code)
                coroutineScope {
                    launch { second.waitForSas(Duration.ofSeconds(60)) }
                    joining2.waitForSas(Duration.ofSeconds(60))
                }
                second.decline()
                assertThrows<KindredException.Pairing> { joining2.confirm(Duration.ofSeconds(30)) }
                assertTrue(worker.shares().isEmpty())
            }
        }
    }

    @Test
    fun aWatchHandleRunsUntilCancelled(): Unit = runBlocking {
        val raw = org.kindred.ffi.Kindred.create(dir().path, object : org.kindred.ffi.KeyProvider {
            override fun storageKey() = ByteArray(32) { 2 }
        }, "raw")
        raw.setServer(url)
        val watch = raw.watch(3600uL)
        assertTrue(watch.isRunning())
        watch.cancel()
        assertFalse(watch.isRunning())
        watch.close()
        raw.closeData()
        raw.close()
    }

    @Test
    fun reopeningKeepsEverything(): Unit = runBlocking {
        val d = dir()
        KindredStore.create(d, key, "phone").use { it.addGoal("Kept") }
        KindredStore.open(d, key).use { k ->
            assertEquals(listOf("Kept"), k.goals().map { it.title })
            assertNotEquals("", k.device().id)
        }
    }

    @Test
    fun aKeyStoreThatThrowsArrivesAsKeyUnavailable(): Unit = runBlocking {
        val d = dir()
        val locked = StorageKeys { throw IllegalStateException("user not authenticated") }
        val e = assertThrows<KindredException.KeyUnavailable> { KindredStore.create(d, locked, "phone") }
        assertFalse(e.message!!.contains("authenticated"), e.message)
        KindredStore.create(d, key, "phone").close()
        assertThrows<KindredException.KeyUnavailable> { KindredStore.open(d, locked) }
        // The raw generated interface: its own exception, and any other one.
        val typed = object : org.kindred.ffi.KeyProvider {
            override fun storageKey(): ByteArray = throw org.kindred.ffi.KeyProviderException.Unavailable()
        }
        val other = object : org.kindred.ffi.KeyProvider {
            override fun storageKey(): ByteArray = throw RuntimeException("keystore exploded")
        }
        assertThrows<KindredException.KeyUnavailable> { org.kindred.ffi.Kindred.open(d.path, typed) }
        assertThrows<KindredException.KeyUnavailable> { org.kindred.ffi.Kindred.open(d.path, other) }
        // Nothing was harmed: the right key still opens it.
        KindredStore.open(d, key).use { assertEquals("phone", it.device().name) }
    }

    @Test
    fun everyNoteFieldIsTypedSettableAndUpdatable(): Unit = runBlocking {
        device("worker phone").use { k ->
            val jo = k.addContact("Jo")
            val start = OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.ofHours(1))
            val n = k.addNote(
                jo, start, start.plusMinutes(45), "Walked to the food bank",
                contactType = ContactType.PHONE, setting = Setting.HOME,
                goalsAddressed = listOf("housing"), peerActivities = listOf("shared my story"),
                ownWords = "I can do this", strengths = "Keeps showing up", nextSteps = "Call the council",
                nextContact = LocalDate.of(2026, 3, 8),
            )
            val made = k.note(n)
            assertEquals(ContactType.PHONE, made.contactType)
            assertEquals(Setting.HOME, made.setting)
            assertEquals(Duration.ofMinutes(45), made.duration)
            assertEquals(NoteStatus.DRAFT, made.status)
            assertEquals(jo, made.contactId)
            k.updateNote(
                n, contactType = ContactType.IN_PERSON, setting = Setting.COMMUNITY,
                start = start.plusHours(1), end = start.plusHours(2),
                goalsAddressed = listOf("housing", "work"), peerActivities = listOf("role modelling"),
                narrative = "Met at the library", ownWords = "It felt good", strengths = "Humour",
                nextSteps = "Visit the job centre", nextContact = LocalDate.of(2026, 3, 15), substanceUse = true,
            )
            val u = k.note(n)
            assertEquals(ContactType.IN_PERSON, u.contactType)
            assertEquals(Setting.COMMUNITY, u.setting)
            assertEquals(start.plusHours(1), u.start)
            assertEquals(Duration.ofHours(1), u.duration)
            assertEquals(listOf("housing", "work"), u.goalsAddressed)
            assertEquals(listOf("role modelling"), u.peerActivities)
            assertEquals("Met at the library", u.narrative)
            assertEquals("It felt good", u.ownWords)
            assertEquals("Humour", u.strengths)
            assertEquals("Visit the job centre", u.nextSteps)
            assertEquals(LocalDate.of(2026, 3, 15), u.nextContact)
            assertTrue(u.substanceUse)
            k.updateNote(n, clearOwnWords = true, clearNextContact = true)
            assertNull(k.note(n).ownWords)
            assertNull(k.note(n).nextContact)
            // End before start: a typed error, nothing changed.
            assertThrows<KindredException.InvalidInput> { k.updateNote(n, end = start, narrative = "not kept") }
            assertEquals("Met at the library", k.note(n).narrative)
            k.signNote(n)
            assertEquals(NoteStatus.SIGNED, k.note(n).status)
        }
    }

    @Test
    fun severalCollectorsEachHearLocalWritesAndStopOnTheirOwn(): Unit = runBlocking {
        device("phone").use { k ->
            val a = Channel<Change>(Channel.UNLIMITED)
            val b = Channel<Change>(Channel.UNLIMITED)
            val ja = launch(start = CoroutineStart.UNDISPATCHED) { k.changes().collect { a.send(it) } }
            val jb = launch(start = CoroutineStart.UNDISPATCHED) { k.changes().collect { b.send(it) } }
            val g = k.addGoal("Sleep better")
            assertEquals(Change(local = true, count = 1), a.receive())
            assertEquals(Change(local = true, count = 1), b.receive())
            ja.cancelAndJoin()
            k.addStep(g, "No phone after ten")
            assertEquals(Change(local = true, count = 1), b.receive())
            assertTrue(a.tryReceive().isFailure, "a stopped collecting and hears nothing more")
            // A refused write tells no one.
            assertThrows<KindredException.InvalidInput> { k.addStep(g, " ") }
            k.addProgress(g, "Two good nights")
            assertEquals(Change(local = true, count = 1), b.receive())
            assertTrue(b.tryReceive().isFailure)
            jb.cancelAndJoin()
        }
    }

    @Test
    fun localCallsCompleteWhileASyncWaitsOnARelayThatDoesNotAnswer(): Unit = runBlocking {
        // A relay that takes the connection and never answers (one bar of signal).
        ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")).use { silent ->
            val connected = CountDownLatch(1)
            val held = mutableListOf<java.net.Socket>()
            val acceptor = Thread {
                runCatching {
                    while (true) {
                        held += silent.accept()
                        connected.countDown()
                    }
                }
            }.apply { isDaemon = true; start() }
            device("phone").use { k ->
                val before = k.addGoal("Written before")
                k.setServer("http://127.0.0.1:${silent.localPort}")
                val stuck = async(Dispatchers.IO) { runCatching { k.sync() } }
                assertTrue(connected.await(30, TimeUnit.SECONDS), "the sync reached the silent relay")
                // The sync is waiting on the network now. Local calls go on.
                val during = k.addGoal("Written while the sync waits")
                k.addCheckIn(4, note = "still here")
                assertEquals(listOf(before, during), k.goals().map { it.id })
                assertEquals(1, k.checkIns().size)
                assertTrue(k.syncStatus().isNotEmpty())
                assertFalse(stuck.isCompleted, "the sync is still waiting")
                // The relay hangs up: the sync fails as offline, and nothing is lost.
                silent.close()
                held.forEach { it.close() }
                acceptor.join()
                assertTrue(stuck.await().exceptionOrNull() is KindredException.Offline)
                assertEquals(2, k.goals().size)
            }
        }
    }
}
