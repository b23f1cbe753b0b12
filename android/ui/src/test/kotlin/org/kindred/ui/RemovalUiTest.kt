package org.kindred.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import java.time.Duration
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.kindred.KindredStore
import org.kindred.app.AppPhase
import org.kindred.app.Destination
import org.kindred.createRecoveryKit
import org.kindred.lockedCopy
import org.kindred.pendingRemovals
import org.kindred.removeDevice
import org.kindred.setRemovalWait
import org.kindred.ui.harness.Dressed
import org.kindred.ui.harness.Look
import org.kindred.ui.harness.PHONE_HEIGHT
import org.kindred.ui.harness.PHONE_WIDTH
import org.kindred.ui.harness.RunningApp
import org.kindred.ui.harness.TestDevice
import org.kindred.ui.harness.assertAccessible
import org.kindred.ui.harness.awaitNode
import org.kindred.ui.harness.awaitTag
import org.kindred.ui.harness.awaitThat
import org.kindred.ui.harness.tap
import org.kindred.ui.harness.uiTest

/**
 * Removing one of her own devices through the real screens, on the real
 * native library and a real kindred-server: "Is it lost or stolen?", a
 * removal that waits, the card and the Today banner on the device to be
 * removed ("Keep this device"), a yes from another of her devices, her
 * kit's words, and the locked copy (export, erase) or nothing left (wiped);
 * every screen accessible at font scale 1 and 2.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RemovalUiTest {
    private val left = "phone"
    private val right = "tablet"
    private var look by mutableStateOf(Look(false, 1f))

    /** Sam's phone and Sam's tablet, paired (and [more] devices of hers, as stores the test drives itself). */
    private class Devices(val phone: TestDevice, val tablet: TestDevice, val more: List<KindredStore>) : AutoCloseable {
        override fun close() = more.forEach { it.close() }
    }

    private suspend fun pair(phone: KindredStore, joiner: KindredStore) = kotlinx.coroutines.coroutineScope {
        val offer = phone.pairOffer()
        joiner.pairJoinRequest(offer)
        phone.pairWait(offer)
        val joined = async(Dispatchers.IO) { joiner.pairJoinWait(offer, Duration.ofSeconds(60)) }
        phone.pairAnswer(offer, true)
        joined.await()
    }

    private fun devices(laptop: Boolean = false, kit: Boolean = false): Pair<Devices, String?> = runBlocking {
        val phone = TestDevice()
        val tablet = TestDevice()
        val p = phone.stores.create("Sam's phone", joining = false)
        p.addGoal("Walk every day")
        p.sync()
        val t = tablet.stores.create("Sam's tablet", joining = true)
        pair(p, t)
        val more = mutableListOf<KindredStore>()
        if (laptop) {
            val l = KindredStore.createJoining(java.nio.file.Files.createTempDirectory("kindred-laptop").toFile(), org.kindred.StorageKeys { ByteArray(32) { 3 } }, "Sam's laptop")
            pair(p, l)
            more += l
        }
        val words = if (kit) p.createRecoveryKit().words else null
        for (s in listOf(p, t) + more) s.sync()
        p.close()
        t.close()
        Devices(phone, tablet, more) to words
    }

    private fun ComposeUiTest.showBoth(a: RunningApp, b: RunningApp) = setContent {
        Dressed(look) {
            Row {
                Box(Modifier.weight(1f).fillMaxHeight().testTag(left)) { KindredApp(a.model) }
                Box(Modifier.weight(1f).fillMaxHeight().testTag(right)) { KindredApp(b.model) }
            }
        }
    }

    private val whole = "whole"

    private fun ComposeUiTest.showOne(a: RunningApp) = setContent { Dressed(look) { Box(Modifier.testTag(whole)) { KindredApp(a.model) } } }

    private fun on(side: String, m: SemanticsMatcher) = m and hasAnyAncestor(hasTestTag(side))

    private fun ComposeUiTest.awaitOn(side: String, m: SemanticsMatcher, timeoutMillis: Long = 60_000) = awaitNode(on(side, m), timeoutMillis)

    private fun ComposeUiTest.tapOn(side: String, tag: String) {
        val node = onNode(on(side, hasTestTag(tag)))
        runCatching { node.performScrollTo() }
        node.performClick()
    }

    /** The accessibility rules at font scale 1 and then 2 (and back to 1). */
    private fun ComposeUiTest.accessibleAtBothScales(where: String) {
        look = Look(false, 1f)
        waitForIdle()
        assertAccessible("$where (font scale 1)")
        look = Look(false, 2f)
        waitForIdle()
        assertAccessible("$where (font scale 2)")
        look = Look(false, 1f)
        waitForIdle()
    }

    private fun store(app: RunningApp) = app.model.session!!.store

    /** "Sync now" on the Sync tab of the app on [side], as the person does it. */
    private fun ComposeUiTest.syncNow(side: String, app: RunningApp) {
        tapOn(side, Tags.tab(Destination.SYNC))
        awaitOn(side, hasTestTag(SyncTags.NOW))
        tapOn(side, SyncTags.NOW)
        awaitThat(timeoutMillis = 60_000) { !app.model.session!!.sync.state.value.syncing }
    }

    private fun fingerprintOf(app: RunningApp, name: String) = runBlocking { store(app).devices() }.first { it.name == name }.fingerprint

    /** The tablet's app shown and ready; the phone removes it at once (no wait on that store), as [lost] or not; the tablet syncs. */
    private fun ComposeUiTest.removedByThePhone(d: Devices, b: RunningApp, lost: Boolean) {
        showOne(b)
        awaitThat { b.model.state.value.phase == AppPhase.Ready }
        awaitTag(Tags.tab(Destination.TODAY))
        runBlocking {
            d.phone.stores.open().use { p ->
                p.setRemovalWait(0)
                assertTrue(p.removeDevice(fingerprintOf(b, "Sam's tablet"), lost = lost).removed)
            }
        }
        syncNow(whole, b)
    }

    @Test
    fun removingHerTabletWaitsAndTheTabletKeepsItselfFromToday() = uiTest(width = 2 * PHONE_WIDTH, height = PHONE_HEIGHT) {
        val (d, _) = devices()
        d.use {
            RunningApp(d.phone).use { a ->
                RunningApp(d.tablet).use { b ->
                    showBoth(a, b)
                    awaitThat { a.model.state.value.phase == AppPhase.Ready && b.model.state.value.phase == AppPhase.Ready }
                    tapOn(left, Tags.tab(Destination.SHARING))
                    val tabletFp = fingerprintOf(a, "Sam's tablet")
                    awaitOn(left, hasTestTag(SharingTags.removeDevice(tabletFp)))
                    tapOn(left, SharingTags.removeDevice(tabletFp))

                    // Is it lost or stolen? Two clear choices, each saying what it does.
                    awaitOn(left, hasText("Is Sam's tablet lost or stolen?"))
                    awaitOn(left, hasText("It deletes what it holds the next time it connects."))
                    awaitOn(left, hasText("It keeps a locked copy of what was written on it", substring = true))
                    awaitOn(left, hasTestTag(RemovalTags.USE_KIT))
                    accessibleAtBothScales("the lost-or-not choice")
                    // Nothing happens before a choice.
                    tapOn(left, SharingTags.REMOVE_YES)
                    awaitOn(left, hasText("Choose one of the two first."))
                    tapOn(left, RemovalTags.LOST_NO)
                    tapOn(left, SharingTags.REMOVE_YES)

                    // It waits (3 days here): the words say until when, and how to do it now.
                    awaitOn(left, hasText("Sam's tablet will be removed on", substring = true))
                    awaitOn(left, hasText("say yes on another of your devices, or use your recovery kit", substring = true))
                    awaitOn(left, hasTestTag(RemovalTags.pending(tabletFp)))
                    awaitOn(left, hasTestTag(RemovalTags.waiting(tabletFp)))
                    val waiting = runBlocking { store(a).pendingRemovals() }.single()
                    assertTrue(waiting.askedHere && !waiting.lost)
                    assertTrue(runBlocking { store(a).devices() }.any { it.name == "Sam's tablet" }, "nothing removed yet")
                    accessibleAtBothScales("a removal that waits")

                    // The tablet learns of it at its next sync: a gentle card on Today.
                    syncNow(right, b)
                    tapOn(right, Tags.tab(Destination.TODAY))
                    awaitOn(right, hasTestTag(RemovalTags.BANNER))
                    awaitOn(right, hasText("Sam's phone asked to remove this device.", substring = true))
                    awaitOn(right, hasText("If this is you and it is not lost, keep it."))
                    accessibleAtBothScales("the banner on the device to be removed")
                    // And the card on its Sharing and devices screen.
                    tapOn(right, Tags.tab(Destination.SHARING))
                    awaitOn(right, hasTestTag(RemovalTags.PENDING))
                    tapOn(right, Tags.tab(Destination.TODAY))
                    tapOn(right, RemovalTags.KEEP_THIS)
                    awaitOn(right, hasText("This device stays one of yours."))
                    assertTrue(runBlocking { store(b).pendingRemovals() }.isEmpty())

                    // The phone sees it was kept after its next sync.
                    syncNow(left, a)
                    awaitThat { a.model.session!!.removal.state.value.pending.isEmpty() }
                    tapOn(left, Tags.tab(Destination.SHARING))
                    onNode(on(left, hasTestTag(RemovalTags.PENDING))).assertDoesNotExist()
                    assertTrue(runBlocking { store(a).devices() }.any { it.name == "Sam's tablet" })
                }
            }
        }
    }

    @Test
    fun anotherOfHerDevicesAsksAndThePhoneSaysYesThenHerKitRemovesTheLaptopAtOnce() = uiTest {
        val (d, words) = devices(laptop = true, kit = true)
        d.use {
            val laptop = d.more.single()
            RunningApp(d.phone).use { a ->
                showOne(a)
                awaitThat { a.model.state.value.phase == AppPhase.Ready }
                val tabletFp = fingerprintOf(a, "Sam's tablet")
                val laptopFp = fingerprintOf(a, "Sam's laptop")
                // The laptop asks to remove the tablet; the phone hears of it at its next sync.
                val asked = runBlocking { laptop.removeDevice(tabletFp, lost = false) }
                assertTrue(!asked.removed)
                syncNow(whole, a)
                tap(Tags.tab(Destination.SHARING))
                awaitTag(RemovalTags.confirm(tabletFp), timeoutMillis = 60_000)
                awaitNode(hasText("Sam's laptop asked to remove Sam's tablet.", substring = true))
                awaitNode(hasText("Not lost: it keeps a locked copy."))
                accessibleAtBothScales("another device's request")
                tap(RemovalTags.confirm(tabletFp))
                awaitNode(hasText("Sam's tablet was removed. It keeps a locked copy of what was written on it."), timeoutMillis = 60_000)
                awaitNode(hasText("Sam's tablet was removed by Sam's phone, after another of your devices asked."))
                assertTrue(runBlocking { store(a).devices() }.none { it.name == "Sam's tablet" })

                // Her kit's words remove the laptop at once; words typed wrong are said kindly.
                tap(SharingTags.removeDevice(laptopFp))
                tap(RemovalTags.LOST_YES)
                tap(RemovalTags.USE_KIT)
                awaitTag(RemovalTags.KIT_WORDS)
                onNode(hasTestTag(RemovalTags.KIT_WORDS)).performTextInput("apple banana")
                tap(RemovalTags.KIT_REMOVE)
                awaitNode(hasText("Please check the words:", substring = true))
                accessibleAtBothScales("the recovery kit's words")
                onNode(hasTestTag(RemovalTags.KIT_WORDS)).performTextReplacement(words!!)
                tap(RemovalTags.KIT_REMOVE)
                awaitNode(hasText("Sam's laptop was removed. It deletes what it holds the next time it connects."), timeoutMillis = 60_000)
                awaitNode(hasText("Sam's laptop was removed with the recovery kit."))
                awaitNode(hasText("It was said to be lost or stolen."))
                assertTrue(runBlocking { store(a).devices() }.none { it.name == "Sam's laptop" })
                accessibleAtBothScales("removed devices")
            }
        }
    }

    @Test
    fun aTabletRemovedNotAsLostShowsItsLockedCopyExportsAndErases() = uiTest {
        val (d, _) = devices()
        d.use {
            RunningApp(d.tablet).use { b ->
                // The phone removes it at once (no wait on that store), not as lost.
                removedByThePhone(d, b, lost = false)
                awaitTag(RemovalTags.LOCKED, timeoutMillis = 60_000)
                awaitNode(hasText("This device was removed from your Kindred by Sam's phone.", substring = true))
                awaitNode(hasText("nothing new is added and it no longer syncs", substring = true))
                onNode(hasTestTag(Tags.tab(Destination.TODAY))).assertDoesNotExist()
                onNode(hasTestTag(Tags.PLAN_BUTTON)).assertDoesNotExist()
                accessibleAtBothScales("the locked copy")

                // "Need help now" is still one tap away.
                tap(Tags.HELP_BUTTON)
                awaitTag(Tags.HELP_SCREEN)
                b.model.closeHelp()
                awaitTag(RemovalTags.LOCKED)

                tap(RemovalTags.EXPORT)
                awaitNode(hasText("Your copy is ready."))
                val file = b.device.share.files.single()
                assertTrue(file.second.decodeToString().contains("Walk every day"))
                tap(RemovalTags.ERASE)
                awaitNode(hasText("Erase this copy? What is on this device is deleted for good.", substring = true))
                accessibleAtBothScales("erasing the locked copy")
                tap(RemovalTags.ERASE_NO)
                awaitTag(RemovalTags.ERASE)
                assertTrue(runBlocking { store(b).lockedCopy() } != null, "kept on Keep this copy")
                tap(RemovalTags.ERASE)
                tap(RemovalTags.ERASE_YES)
                awaitThat(timeoutMillis = 60_000) { b.model.state.value.phase == AppPhase.FirstRun }
                awaitTag(FirstRunTags.FIRST_DEVICE)
                assertTrue(!d.tablet.stores.exists(), "nothing of hers is left on the tablet")
            }
        }
    }

    @Test
    fun aTabletRemovedAsLostHasNothingLeftAndCanBeSetUpAgain() = uiTest {
        val (d, _) = devices()
        d.use {
            RunningApp(d.tablet).use { b ->
                removedByThePhone(d, b, lost = true)
                awaitTag(RemovalTags.GONE, timeoutMillis = 60_000)
                awaitNode(hasText("If it was removed as lost or stolen, what it held was deleted.", substring = true))
                assertEquals(null, runBlocking { store(b).lockedCopy() })
                accessibleAtBothScales("nothing left")
                tap(RemovalTags.START_AGAIN)
                awaitThat(timeoutMillis = 60_000) { b.model.state.value.phase == AppPhase.FirstRun }
                awaitTag(FirstRunTags.FIRST_DEVICE)
            }
        }
    }
}
