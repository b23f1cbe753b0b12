package org.kindred.app

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch
import org.kindred.Invite
import org.kindred.Joining
import org.kindred.KindredStore
import org.kindred.Role
import java.time.Clock
import java.time.Duration
import org.kindred.Peer
import org.kindred.checkKitWords
import org.kindred.removeDevice
import org.kindred.removeDeviceWithKit
import org.kindred.Sas
import org.kindred.Share
import org.kindred.SpaceId
import org.kindred.ffi.KindredException

/** Where an invite (or the joining side of one) stands. */
sealed interface InviteStep {
    data object Idle : InviteStep
    /** The inviting side, before a code exists: choose what the other person will be able to do ([SharingUi.inviteRole]). */
    data object ChooseRole : InviteStep
    /** The joining side, before connecting: type the code ([SharingUi.code]). */
    data object EnterCode : InviteStep
    /** The inviting side: read this code to the other person; they will have [role]. */
    data class ShowCode(val code: String, val role: Role = Role.WRITER) : InviteStep
    /** The joining side: the code was typed; waiting for the other device ([role] once the code was read). */
    data class Connecting(val role: Role? = null) : InviteStep
    /**
     * Both sides: do these match what the other person sees? [role] is what
     * the joining person will be able to do, said before anyone agrees;
     * [inviting] says which side this is; [otherName] is the other device, once known.
     */
    data class Compare(
        val digits: String,
        val emoji: String,
        val role: Role? = null,
        val inviting: Boolean = true,
        val otherName: String? = null,
    ) : InviteStep
    /** "They match" was tapped; waiting for the other side to say so too. */
    data object Confirming : InviteStep
    data class Done(val peer: String) : InviteStep
    /** The strings differed (or the other person stopped, or the code ran out): no one was added. */
    data object Stopped : InviteStep
}

/** The roles a person can give when inviting, in the order offered (a worker usually adds notes). */
val inviteRoles: List<Role> = listOf(Role.WRITER, Role.READER)

/** What someone invited with [role] will be able to do, said to the inviter before anyone agrees. */
fun inviteRoleKey(role: Role): String = "invite_role_${role.stored}"

/** What this person will be able to do once they join with [role], said to the joiner before anyone agrees. */
fun joinRoleKey(role: Role): String = "join_role_${role.stored}"

/** A device of the person's own (or of someone they share with); [kit]: her recovery kit, listed with her devices. */
data class DeviceLine(val name: String, val fingerprint: String, val thisDevice: Boolean, val kit: Boolean = false)

/** One share: with whom, what, and how to end it. */
data class ShareLine(
    val space: String,
    val with: List<String>,
    /** What they may do, in words ("Can add notes and comments"). */
    val role: UiText?,
    val goals: List<String>,
    val checkIns: Long,
    val text: UiText,
    /** No one else is in it any more: nothing new reaches them. Shown as ended, never hidden. */
    val ended: Boolean = false,
    /** Someone else shares with this person (a worker's view), rather than this person sharing. */
    val sharedWithMe: Boolean = false,
)

/** The words for a member's role. */
fun roleKey(stored: String): String = "share_role_$stored"

/** What the Sharing and devices screen draws. */
data class SharingUi(
    val loading: Boolean = true,
    /** The one-time offer shown as a QR code (and as text to paste). */
    val offer: String? = null,
    val offerQr: QrCode? = null,
    /** A new device asked to join with the offer: its code, waiting for the person's yes or "Not my device". */
    val pairAsk: org.kindred.PairRequest? = null,
    val invite: InviteStep = InviteStep.Idle,
    /** The role chosen for the next invite. */
    val inviteRole: Role = Role.WRITER,
    /** The code being typed on the joining side. */
    val code: String = "",
    val shares: List<ShareLine> = emptyList(),
    val devices: List<DeviceLine> = emptyList(),
    /** Asked before anything ends: the share or device about to go. */
    val confirmEnd: ShareLine? = null,
    val confirmRemove: DeviceLine? = null,
    /** For one of her own devices: her answer to "Is it lost or stolen?" (null until she picks one). */
    val removeLost: Boolean? = null,
    /** "Use my recovery kit to do it now" is open: the words field shows. */
    val removeKitOpen: Boolean = false,
    /** The kit's words being typed (never kept once used). */
    val kitWords: String = "",
    /** Words beside the removal: choose first, or what to check in the kit's words. */
    val removeProblem: UiText? = null,
    val removing: Boolean = false,
    /** The share whose "End and delete everything shared" waits for a second tap. */
    val confirmErase: ShareLine? = null,
    val message: UiText? = null,
    val error: UiText? = null,
)

/** What the Sharing and devices screen can ask of its state holder (no-ops by default, for the screen catalog and previews). */
interface SharingActions {
    fun showOffer(ttlSeconds: Long = 600): Job? = null
    fun hideOffer() {}
    /** The new device shows the same code: add it. */
    fun pairYes(): Job? = null
    /** The code differs, or the person did not ask for this: add no one. */
    fun pairNotMine(): Job? = null
    fun openInvite() {}
    fun pickRole(role: Role) {}
    fun startInvite(role: Role = Role.WRITER): Job? = null
    fun openJoin() {}
    fun editCode(code: String) {}
    fun joinWithCode(code: String): Job? = null
    fun theyMatch(): Job? = null
    fun theyDiffer(): Job? = null
    /** Back to the start; the job is the withdrawal of an invite still waiting, if there was one. */
    fun resetInvite(): Job? = null
    fun askEndShare(line: ShareLine) {}
    fun askRemoveDevice(line: DeviceLine) {}
    fun cancelEnding() {}
    fun confirmEndShare(): Job? = null
    fun confirmRemoveDevice(): Job? = null
    /** "Is it lost or stolen?": yes (it wipes its copy) or no (it keeps a locked copy). */
    fun chooseLost(lost: Boolean) {}
    fun openKitWords() {}
    fun editKitWords(words: String) {}
    /** Removes the device asked about at once with the kit's words. */
    fun removeWithKit(): Job? = null
    fun dismissMessage() {}
    fun askEraseShare(line: ShareLine) {}
    fun confirmEraseShare(): Job? = null
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
    private val clock: Clock = Clock.systemDefaultZone(),
    /** A removal was asked for or done: the removals card reads them again. */
    private val onRemovals: () -> Unit = {},
) : StateHolder<SharingUi>(SharingUi(), scope, io), SharingActions {
    private var inviting: Invite? = null
    private var joining: Joining? = null
    private var pairing: Job? = null
    /** The invite or join under way (waiting for the other side's short string). */
    private var inviteJob: Job? = null

    override fun failed(message: UiText) = update {
        // While a device's removal is asked about, what went wrong is said beside it (offline: nothing was removed).
        if (it.confirmRemove != null) it.copy(loading = false, removing = false, removeProblem = message)
        else it.copy(loading = false, error = message, message = null, confirmErase = null, removing = false)
    }

    fun refresh(): Job = work {
        val shares = store.shares()
        val devices = store.devices()
        val personal = devices.filter { it.space == devices.firstOrNull { d -> d.thisDevice }?.space }
        update {
            it.copy(
                loading = false,
                // Ended shares stay in the list, marked as ended, after the ones still going.
                shares = shares.filter { s -> s.ended || s.others.isNotEmpty() }.map(::shareLine).sortedBy { l -> l.ended },
                devices = personal.distinctBy { d -> d.fingerprint }
                    // Her own devices own her data; the one member there that does not is her recovery kit.
                    .map { d -> DeviceLine(d.name, d.fingerprint, d.thisDevice, kit = d.role != Role.OWNER) }
                    .sortedWith(compareBy({ d -> !d.thisDevice }, { d -> d.kit }, { d -> d.name.lowercase() })),
            )
        }
    }

    private fun shareLine(s: Share): ShareLine {
        val others = s.others
        // Once ended, only the share's name still says who it was with ("with Sam").
        val with = if (others.isEmpty()) listOf(s.name.removePrefix("with ")) else others.map { m -> m.name }.distinct()
        val myRole = s.members.firstOrNull { m -> m.mine }?.role
        val sharedWithMe = myRole != null && myRole != Role.OWNER
        val names = with.joinToString(", ")
        return ShareLine(
            space = s.space.value,
            with = with,
            role = others.firstOrNull()?.role?.let { r -> UiText(roleKey(r.stored)) },
            goals = s.goals.map { g -> g.title },
            checkIns = s.checkIns,
            text = when {
                s.ended -> UiText(Keys.SHARE_ENDED_LINE, names)
                sharedWithMe -> UiText(Keys.SHARE_FROM, names)
                else -> UiText(Keys.SHARE_WITH, names, s.goals.size)
            },
            ended = s.ended,
            sharedWithMe = sharedWithMe,
        )
    }

    // ----- one's own devices (QR) ------------------------------------------

    /**
     * Shows a one-time offer and waits for a new device to ask. Nobody is added then: the screen
     * shows the request's code, and the person says whether her new device shows the same one.
     */
    override fun showOffer(ttlSeconds: Long): Job = work {
        val offer = store.pairOffer(Duration.ofSeconds(ttlSeconds))
        update { it.copy(offer = offer, offerQr = QrCode.of(offer), pairAsk = null, error = null, message = null) }
        pairing = work {
            val ask = store.pairWait(offer, Duration.ofSeconds(ttlSeconds))
            // The offer is used up; the QR code goes, the question stays.
            update { it.copy(offerQr = null, pairAsk = ask) }
        }
    }

    override fun pairYes(): Job = work {
        val offer = state.value.offer ?: return@work
        state.value.pairAsk ?: return@work
        val peer = store.pairAnswer(offer, true)
        update { it.copy(offer = null, offerQr = null, pairAsk = null, message = peer?.let { p -> UiText(Keys.PAIR_ADDED, p.name) }) }
        refresh().join()
    }

    override fun pairNotMine(): Job = work {
        val offer = state.value.offer ?: return@work
        state.value.pairAsk ?: return@work
        store.pairAnswer(offer, false)
        update { it.copy(offer = null, offerQr = null, pairAsk = null, message = UiText(Keys.PAIR_NOT_ADDED)) }
    }

    override fun hideOffer() {
        pairing?.cancel()
        val asked = state.value.offer?.takeIf { state.value.pairAsk != null }
        update { it.copy(offer = null, offerQr = null, pairAsk = null) }
        // Stopping while a device asks is a no: tell it, so it does not wait in vain.
        if (asked != null) work { store.pairAnswer(asked, false) }
    }

    // ----- invites -----------------------------------------------------------

    /** The person chooses to invite: first, what the other person will be able to do. */
    override fun openInvite() = update { it.copy(invite = InviteStep.ChooseRole, error = null, message = null) }

    override fun pickRole(role: Role) = update { it.copy(inviteRole = role) }

    /** The person invites a worker: a code to read out, then the short string. */
    override fun startInvite(role: Role): Job {
        inviteJob?.cancel()
        return work {
            val invite = store.invite(role = role)
            inviting = invite
            update { it.copy(invite = InviteStep.ShowCode(invite.code, invite.role), inviteRole = role, error = null, message = null) }
            val sas = try {
                invite.waitForSas()
            } catch (e: KindredException.Pairing) {
                // No one typed the code in time (or it was stopped), or the
                // other device had another code: nothing was made.
                endInvite()
                update { it.copy(invite = InviteStep.Stopped, message = UiText(stoppedKey(e))) }
                return@work
            }
            compare(sas, invite.role, inviting = true, otherName = invite.joinerName)
        }.also { inviteJob = it }
    }

    /** The person was given a code: a field to type it in. */
    override fun openJoin() = update { it.copy(invite = InviteStep.EnterCode, code = "", error = null, message = null) }

    override fun editCode(code: String) = update { it.copy(code = code, error = null) }

    /** The worker types the code they were given. */
    override fun joinWithCode(code: String): Job {
        inviteJob?.cancel()
        return work {
            if (code.isBlank()) {
                failed(UiText(Keys.INVITE_CODE_NEEDED))
                return@work
            }
            update { it.copy(invite = InviteStep.Connecting(), error = null, message = null) }
            val j = try {
                store.join(code.trim())
            } catch (e: Exception) {
                val expired = e is KindredException.Pairing && e.message.orEmpty().contains("expired")
                update { it.copy(invite = InviteStep.EnterCode) }
                if (expired) {
                    failed(UiText(Keys.INVITE_CODE_EXPIRED))
                    return@work
                }
                throw e
            }
            joining = j
            update { it.copy(invite = InviteStep.Connecting(j.role)) }
            val sas = try {
                j.waitForSas()
            } catch (e: KindredException.Pairing) {
                endInvite()
                update { it.copy(invite = InviteStep.Stopped, message = UiText(stoppedKey(e))) }
                return@work
            }
            compare(sas, j.role, inviting = false, otherName = j.inviterName)
        }.also { inviteJob = it }
    }

    /**
     * Why an invite stopped before the string showed: the other device had
     * another code (the key exchange did not agree, and the code is burnt),
     * or the time ran out.
     */
    private fun stoppedKey(e: KindredException.Pairing): String =
        if (e.message.orEmpty().contains("right invite code")) Keys.INVITE_CODE_WRONG else Keys.INVITE_EXPIRED

    private fun compare(sas: Sas, role: Role?, inviting: Boolean, otherName: String?) {
        val (digits, emoji) = sasLines(sas)
        update { it.copy(invite = InviteStep.Compare(digits, emoji, role, inviting, otherName)) }
    }

    /** "They match": this side agrees; done once the other side agrees too. */
    override fun theyMatch(): Job = work {
        update { it.copy(invite = InviteStep.Confirming) }
        val peer: Peer = try {
            inviting?.let { it.confirm() } ?: joining?.let { it.confirm() } ?: return@work
        } catch (e: KindredException.Pairing) {
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

    /** Back to the start; an invite still waiting is withdrawn (its code stops working). */
    override fun resetInvite(): Job? {
        val waiting = inviteJob
        inviteJob = null
        update { it.copy(invite = InviteStep.Idle, code = "", error = null, message = null) }
        return if (waiting != null && waiting.isActive) {
            // Cancelling the wait withdraws the invite; the handles close once it has stopped.
            waiting.cancel()
            scope.launch { waiting.join(); endInvite() }
        } else {
            endInvite()
            null
        }
    }

    @Synchronized
    private fun endInvite() {
        inviting?.close()
        joining?.close()
        inviting = null
        joining = null
    }

    // ----- ending ------------------------------------------------------------

    override fun askEndShare(line: ShareLine) = update { it.copy(confirmEnd = line, confirmRemove = null, confirmErase = null) }

    override fun askRemoveDevice(line: DeviceLine) = update {
        it.copy(confirmRemove = line, confirmEnd = null, confirmErase = null, removeLost = null, removeKitOpen = false, kitWords = "", removeProblem = null)
    }

    override fun chooseLost(lost: Boolean) = update { it.copy(removeLost = lost, removeProblem = null) }

    override fun openKitWords() = update { it.copy(removeKitOpen = true, removeProblem = null) }

    override fun editKitWords(words: String) = update { it.copy(kitWords = words, removeProblem = null) }

    override fun askEraseShare(line: ShareLine) = update { it.copy(confirmErase = line, confirmEnd = null, confirmRemove = null, message = null, error = null) }

    override fun cancelEnding() = update {
        it.copy(confirmEnd = null, confirmRemove = null, confirmErase = null, removeLost = null, removeKitOpen = false, kitWords = "", removeProblem = null)
    }

    /**
     * Ends the share asked about and deletes forever everything in it: the
     * other side leaves, her goals in it come home, its copies and history go
     * from her devices and the sync server. What the other side's devices
     * already had stays with them (the words before said so).
     */
    override fun confirmEraseShare(): Job = work {
        val line = state.value.confirmErase ?: return@work
        val e = store.eraseShare(SpaceId(line.space))
        update { it.copy(confirmErase = null, message = erasedText(e, UiText(Keys.ERASE_WHAT_SHARE, line.with.joinToString(", ")))) }
        refresh().join()
    }

    /** Ends the share asked about: the other people's devices leave it, keys rotate. */
    override fun confirmEndShare(): Job = work {
        val line = state.value.confirmEnd ?: return@work
        store.endShare(SpaceId(line.space))
        update { it.copy(confirmEnd = null, message = UiText(Keys.SHARE_ENDED, line.with.joinToString(", "))) }
        refresh().join()
    }

    /**
     * Removes the device asked about, as she answered "Is it lost or
     * stolen?". One of her own goes at once only where another of her
     * devices asked already (this is the yes); otherwise it waits, and the
     * words say until when and how to do it sooner.
     */
    override fun confirmRemoveDevice(): Job = work {
        val line = state.value.confirmRemove ?: return@work
        if (line.thisDevice) {
            update { it.copy(confirmRemove = null) }
            return@work
        }
        // A kit holds no copy: nothing to wipe or keep.
        val lost = if (line.kit) false else state.value.removeLost
        if (lost == null) {
            update { it.copy(removeProblem = UiText(Keys.REMOVAL_CHOOSE_FIRST)) }
            return@work
        }
        update { it.copy(removing = true, removeProblem = null, message = null, error = null) }
        done(store.removeDevice(line.fingerprint, lost), line)
    }

    /** "Use my recovery kit to do it now": the typed words are checked first, then the device goes at once. */
    override fun removeWithKit(): Job = work {
        val line = state.value.confirmRemove ?: return@work
        if (line.thisDevice || line.kit) return@work
        val lost = state.value.removeLost
        if (lost == null) {
            update { it.copy(removeProblem = UiText(Keys.REMOVAL_CHOOSE_FIRST)) }
            return@work
        }
        val words = state.value.kitWords.trim()
        val wrong = try {
            checkKitWords(words)
            null
        } catch (e: KindredException.InvalidInput) {
            UiText(Keys.REMOVAL_KIT_CHECK, e.message.orEmpty())
        }
        if (wrong != null) {
            update { it.copy(removeProblem = wrong) }
            return@work
        }
        update { it.copy(removing = true, removeProblem = null, message = null, error = null) }
        val removal = try {
            store.removeDeviceWithKit(words, line.fingerprint, lost)
        } catch (e: KindredException.InvalidInput) {
            update { it.copy(removing = false, removeProblem = UiText(Keys.REMOVAL_KIT_CHECK, e.message.orEmpty())) }
            return@work
        } catch (e: KindredException.NotAllowed) {
            update { it.copy(removing = false, removeProblem = UiText(Keys.REMOVAL_KIT_NOT_HERE)) }
            return@work
        }
        done(removal, line)
    }

    private suspend fun done(removal: org.kindred.Removal, line: DeviceLine) {
        update {
            it.copy(
                confirmRemove = null, removeLost = null, removeKitOpen = false, kitWords = "", removing = false,
                message = removalText(removal, line.kit, clock),
            )
        }
        refresh().join()
        onRemovals()
    }

    override fun dismissMessage() = update { it.copy(message = null, error = null) }
}
