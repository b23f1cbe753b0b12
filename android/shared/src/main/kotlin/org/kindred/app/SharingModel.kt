package org.kindred.app

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import org.kindred.Invite
import org.kindred.Joining
import org.kindred.KindredStore
import org.kindred.Role
import java.time.Duration
import org.kindred.Peer
import org.kindred.Sas
import org.kindred.SpaceId

/** Where an invite (or the joining side of one) stands. */
sealed interface InviteStep {
    data object Idle : InviteStep
    /** The inviting side: read this code to the other person. */
    data class ShowCode(val code: String) : InviteStep
    /** Both sides: do these match what the other person sees? */
    data class Compare(val digits: String, val emoji: String) : InviteStep
    /** "They match" was tapped; waiting for the other side to say so too. */
    data object Confirming : InviteStep
    data class Done(val peer: String) : InviteStep
    /** The strings differed (or the other person stopped): no one was added. */
    data object Stopped : InviteStep
}

/** A device of the person's own (or of someone they share with). */
data class DeviceLine(val name: String, val fingerprint: String, val thisDevice: Boolean)

/** One share: with whom, what, and how to end it. */
data class ShareLine(
    val space: String,
    val with: List<String>,
    /** What they may do, in words ("Can add notes and comments"). */
    val role: UiText?,
    val goals: List<String>,
    val checkIns: Long,
    val text: UiText,
)

/** The words for a member's role. */
fun roleKey(stored: String): String = "share_role_$stored"

/** What the Sharing and devices screen draws. */
data class SharingUi(
    val loading: Boolean = true,
    /** The one-time offer shown as a QR code (and as text to paste). */
    val offer: String? = null,
    val offerQr: QrCode? = null,
    val invite: InviteStep = InviteStep.Idle,
    val shares: List<ShareLine> = emptyList(),
    val devices: List<DeviceLine> = emptyList(),
    /** Asked before anything ends: the share or device about to go. */
    val confirmEnd: ShareLine? = null,
    val confirmRemove: DeviceLine? = null,
    val message: UiText? = null,
    val error: UiText? = null,
)

/** What the Sharing and devices screen can ask of its state holder (no-ops by default, for the screen catalog and previews). */
interface SharingActions {
    fun showOffer(ttlSeconds: Long = 600): Job? = null
    fun hideOffer() {}
    fun startInvite(role: Role = Role.WRITER): Job? = null
    fun joinWithCode(code: String): Job? = null
    fun theyMatch(): Job? = null
    fun theyDiffer(): Job? = null
    fun resetInvite() {}
    fun askEndShare(line: ShareLine) {}
    fun askRemoveDevice(line: DeviceLine) {}
    fun cancelEnding() {}
    fun confirmEndShare(): Job? = null
    fun confirmRemoveDevice(): Job? = null
    fun dismissMessage() {}
}

/**
 * The Sharing and devices screen: add one's own device by QR, invite a
 * worker by code and compare the short string (digits and pictures), see
 * what is shared with whom, end a share, remove a lost device. Nothing is
 * shared or removed without the person's explicit tap, and ending is asked
 * once more before it happens.
 */
class SharingModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
) : StateHolder<SharingUi>(SharingUi(), scope, io), SharingActions {
    private var inviting: Invite? = null
    private var joining: Joining? = null
    private var pairing: Job? = null

    override fun failed(message: UiText) = update { it.copy(error = message, message = null) }

    fun refresh(): Job = work {
        val shares = store.shares()
        val devices = store.devices()
        val personal = devices.filter { it.space == devices.firstOrNull { d -> d.thisDevice }?.space }
        update {
            it.copy(
                loading = false,
                shares = shares.filter { s -> s.members.any { m -> !m.mine } }.map { s ->
                    val others = s.members.filter { m -> !m.mine }
                    ShareLine(
                        s.space.value, others.map { m -> m.name }, others.firstOrNull()?.role?.let { r -> UiText(roleKey(r.stored)) },
                        s.goals.map { g -> g.title }, s.checkIns,
                        UiText(Keys.SHARE_WITH, others.joinToString(", ") { m -> m.name }, s.goals.size),
                    )
                },
                devices = personal.distinctBy { d -> d.fingerprint }
                    .map { d -> DeviceLine(d.name, d.fingerprint, d.thisDevice) }
                    .sortedWith(compareBy({ d -> !d.thisDevice }, { d -> d.name.lowercase() })),
            )
        }
    }

    // ----- one's own devices (QR) ------------------------------------------

    /** Shows a one-time offer and waits for the new device to answer it. */
    override fun showOffer(ttlSeconds: Long): Job = work {
        val offer = store.pairOffer(Duration.ofSeconds(ttlSeconds))
        update { it.copy(offer = offer, offerQr = QrCode.of(offer), error = null, message = null) }
        pairing = work {
            val peer = store.pairWait(offer, Duration.ofSeconds(ttlSeconds))
            update { it.copy(offer = null, offerQr = null, message = UiText(Keys.PAIR_ADDED, peer.name)) }
            refresh().join()
        }
    }

    override fun hideOffer() {
        pairing?.cancel()
        update { it.copy(offer = null, offerQr = null) }
    }

    // ----- invites -----------------------------------------------------------

    /** The person invites a worker: a code to read out, then the short string. */
    override fun startInvite(role: Role): Job = work {
        val invite = store.invite(role = role)
        inviting = invite
        update { it.copy(invite = InviteStep.ShowCode(invite.code), error = null, message = null) }
        compare(invite.waitForSas())
    }

    /** The worker types the code they were given. */
    override fun joinWithCode(code: String): Job = work {
        if (code.isBlank()) {
            failed(UiText(Keys.INVITE_CODE_NEEDED))
            return@work
        }
        val j = store.join(code.trim())
        joining = j
        update { it.copy(error = null, message = null) }
        compare(j.waitForSas())
    }

    private fun compare(sas: Sas) {
        val (digits, emoji) = sasLines(sas)
        update { it.copy(invite = InviteStep.Compare(digits, emoji)) }
    }

    /** "They match": this side agrees; done once the other side agrees too. */
    override fun theyMatch(): Job = work {
        update { it.copy(invite = InviteStep.Confirming) }
        val peer: Peer = try {
            inviting?.let { it.confirm() } ?: joining?.let { it.confirm() } ?: return@work
        } catch (e: org.kindred.ffi.KindredException.Pairing) {
            endInvite()
            update { it.copy(invite = InviteStep.Stopped, error = null, message = UiText(Keys.INVITE_STOPPED)) }
            return@work
        }
        endInvite()
        update { it.copy(invite = InviteStep.Done(peer.name), message = UiText(Keys.INVITE_DONE, peer.name)) }
        refresh().join()
    }

    /** "They are different": no one is added, and the other side is told. */
    override fun theyDiffer(): Job = work {
        inviting?.let { it.decline() } ?: joining?.let { it.decline() }
        endInvite()
        update { it.copy(invite = InviteStep.Stopped, message = UiText(Keys.INVITE_DIFFERENT)) }
    }

    override fun resetInvite() {
        endInvite()
        update { it.copy(invite = InviteStep.Idle) }
    }

    private fun endInvite() {
        inviting?.close()
        joining?.close()
        inviting = null
        joining = null
    }

    // ----- ending ------------------------------------------------------------

    override fun askEndShare(line: ShareLine) = update { it.copy(confirmEnd = line, confirmRemove = null) }

    override fun askRemoveDevice(line: DeviceLine) = update { it.copy(confirmRemove = line, confirmEnd = null) }

    override fun cancelEnding() = update { it.copy(confirmEnd = null, confirmRemove = null) }

    /** Ends the share asked about: the other people's devices leave it, keys rotate. */
    override fun confirmEndShare(): Job = work {
        val line = state.value.confirmEnd ?: return@work
        store.endShare(SpaceId(line.space))
        update { it.copy(confirmEnd = null, message = UiText(Keys.SHARE_ENDED, line.with.joinToString(", "))) }
        refresh().join()
    }

    /** Removes the lost device asked about from every space. */
    override fun confirmRemoveDevice(): Job = work {
        val line = state.value.confirmRemove ?: return@work
        if (line.thisDevice) {
            update { it.copy(confirmRemove = null) }
            return@work
        }
        val removed = store.removeDevice(line.fingerprint)
        update { it.copy(confirmRemove = null, message = UiText(Keys.DEVICE_REMOVED, removed.name)) }
        refresh().join()
    }

    override fun dismissMessage() = update { it.copy(message = null, error = null) }
}
