//! Remote invites into a shared space, over SPAKE2 and confirmed by a
//! short authentication string (messages in `kindred_protocol::invite`,
//! keys in `kindred_protocol::invite_pake`, the argument in docs/crypto.md,
//! "Invite PAKE and SAS (issue 13)"). This file is the inviting side and
//! what both sides share; `invite_join.rs` is the joining side.
//!
//! The person's device (inviter) and the worker's device (joiner) meet in
//! two mailboxes found by the code's first group, run SPAKE2 with the
//! whole code as the password (the inviter committed to its message
//! first), and each shows the same six digits and four emoji derived from
//! the session key. Everything after the PAKE is sealed under it.
//!
//! **The person's yes is recorded first.** Nothing is added (no AddDevice,
//! no role change, no key wrapped) and no confirmation is sent until the
//! local person's yes for this very transcript is in the store
//! ([`Kindred::invite_yes`], [`Kindred::invite_join_yes`]); otherwise
//! [`Error::InviteNotConfirmed`].
//!
//! **One run per code.** The inviter answers the first SPAKE2 message
//! only. If what comes back does not open under the session key (the
//! other side had another code, or someone guessed), the invite is burnt:
//! the joiner is told the code no longer works, and both sides get
//! [`Error::InviteCodeWrong`]. So each guess of the code costs a live run
//! that the two people see fail.
//!
//! **Nothing is made before an invite completes.** An invite into a new
//! share creates the shared space (here and on the relay) only once both
//! people confirmed, so a decline, a closed terminal, a wrong string or an
//! expired code leaves no empty share behind. The new space is named by
//! the person it is shared with ("with Sam").
//!
//! **Expiry.** The code works until the time in the invite's terms (the
//! inviter's clock; a joiner allows [`CLOCK_SLACK_SECS`] for clocks that
//! differ). An inviter whose time ran out, or who gave up, posts `Expired`
//! in the joiner's mailbox, so a joiner who comes late hears it at once
//! instead of waiting in silence; a joiner never waits past the code's
//! expiry either.

use kindred_protocol::invite::{
    Bundle, InviteCode, InviteMessage, InviteStep, SessionMessage, SessionStep, Terms,
    confirm_bytes, welcome_bytes,
};
use kindred_protocol::invite_pake::{Pake, Sas, Session, Side, pake_commitment};
use kindred_protocol::messages::RendezvousPost;
use kindred_protocol::{Bytes, Hash, PROTOCOL_VERSION, Role, decode, encode, verify_ed25519};

use super::engine::space_id;
use super::invite_words::role_name;
use super::pairing::{fingerprint, transport, unix_now};
use super::transport::Transport;
use crate::error::{Error, Result};
use crate::ids::fill_random;
use crate::kindred::Kindred;
use crate::space::SpaceKind;

/// How long an invite lasts at most (the relay keeps a mailbox message
/// 600 s).
pub const INVITE_TTL_SECS: u64 = 600;

/// How far apart two devices' clocks may be before a joiner takes a code
/// for expired early (or waits this much past its end).
pub const CLOCK_SLACK_SECS: u64 = 30;

pub(super) fn post_step(t: &dyn Transport, id: &[u8; 16], step: InviteStep) -> Result<()> {
    let msg = InviteMessage {
        v: PROTOCOL_VERSION,
        step,
    };
    t.rendezvous_post(
        id,
        &RendezvousPost {
            v: PROTOCOL_VERSION,
            payload: Bytes(encode(&msg)),
        },
    )
    .map_err(transport)
}

/// Seals `step` under the session for `to` and posts it in `id`.
pub(super) fn post_sealed(
    t: &dyn Transport,
    id: &[u8; 16],
    s: &Session,
    to: Side,
    step: SessionStep,
) -> Result<()> {
    let sealed = seal(s, to, step)?;
    post_step(t, id, InviteStep::Sealed { sealed })
}

pub(super) fn seal(s: &Session, to: Side, step: SessionStep) -> Result<Bytes> {
    let mut nonce = [0u8; 12];
    fill_random(&mut nonce)?;
    let msg = SessionMessage {
        v: PROTOCOL_VERSION,
        step,
    };
    Ok(Bytes(s.seal(to, nonce, &encode(&msg))))
}

/// Opens a sealed step: `None` when it was not sealed under this session
/// for `to` (another code, another run, or changed on the way).
pub(super) fn open_sealed(s: &Session, to: Side, sealed: &Bytes) -> Result<Option<SessionStep>> {
    let Some(plain) = s.open(to, &sealed.0) else {
        return Ok(None);
    };
    decode::<SessionMessage>(&plain)
        .map(|m| Some(m.step))
        .map_err(|_| Error::InviteTampered)
}

/// Every message in a mailbox. One that does not decode is refused: the
/// mailbox is found only by someone who knows the code's first group.
pub(super) fn take(t: &dyn Transport, id: &[u8; 16]) -> Result<Vec<InviteStep>> {
    let got = t.rendezvous_take(id).map_err(transport)?;
    got.messages
        .iter()
        .map(|m| {
            decode::<InviteMessage>(&m.0)
                .map(|m| m.step)
                .map_err(|_| Error::InviteTampered)
        })
        .collect()
}

fn burnt_error(wrong_code: bool) -> Error {
    if wrong_code {
        Error::InviteCodeWrong
    } else {
        Error::InviteTampered
    }
}

/// The store's name for this device's person having said yes to the
/// string of the exchange with transcript `t`.
pub(super) fn yes_name(t: &Hash) -> String {
    format!("invite-yes/{}", t.to_hex())
}

/// The inviting side of one invite.
pub struct Invite {
    pub(super) code: InviteCode,
    /// The shared space the joiner is added to: the one named when the
    /// invite began, or a new one made once both people confirmed.
    space: Option<String>,
    role: Role,
    terms: Terms,
    bundle: Bundle,
    commit: Hash,
    /// This side's SPAKE2 state, until the first answer (used once).
    pake: Option<Pake>,
    session: Option<Session>,
    joiner: Option<(Bundle, Hash)>,
    /// The joiner's signed confirmation arrived.
    confirmed: bool,
    /// `Expired` was posted for the joiner.
    withdrawn: bool,
    /// The run failed (true: a wrong code; false: interference): this
    /// invite goes no further.
    burnt: Option<bool>,
    /// The joiner's role in the share already, when its device is in it.
    already: Option<Role>,
    done: Option<JoinedShare>,
}

impl std::fmt::Debug for Invite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invite")
            .field("space", &self.space)
            .finish_non_exhaustive()
    }
}

impl Invite {
    /// The code to read to the other person, e.g. `7KQ2M-XW9PD`.
    pub fn code(&self) -> String {
        self.code.display()
    }

    /// The shared space the joiner goes into: `None` for a new share
    /// until the invite completes (nothing is made before).
    pub fn space(&self) -> Option<&str> {
        self.space.as_deref()
    }

    /// The role the other person will have.
    pub fn role(&self) -> Role {
        self.role
    }

    /// When the code stops working (Unix seconds).
    pub fn expires_at(&self) -> u64 {
        self.terms.expires_at
    }

    /// The string to compare, once the other device has answered and its
    /// answer opened under the session key.
    pub fn sas(&self) -> Option<Sas> {
        match (&self.session, &self.joiner) {
            (Some(s), Some(_)) => Some(s.sas()),
            _ => None,
        }
    }

    /// The other device's name, once it has answered.
    pub fn joiner_name(&self) -> Option<&str> {
        self.joiner
            .as_ref()
            .map(|(b, _)| crate::names::display_name(&b.name, false))
    }

    /// The role the other device has in the share already, once it has
    /// answered (`None`: it is not in it, or this is a new share).
    pub fn already(&self) -> Option<Role> {
        self.already
    }

    /// For someone already in the share: what they can do now and what
    /// saying yes changes, in plain words ("Alex can already read what is
    /// shared, …; this will let them add steps, …"). Shown before anyone
    /// says yes.
    pub fn change_in_words(&self) -> Option<String> {
        let before = self.already?;
        let name = self.joiner_name().unwrap_or("The other person");
        Some(format!(
            "{name} can already {}; this will {}",
            super::invite_words::role_in_words(before),
            super::invite_words::role_change_in_words(before, self.role, false)
        ))
    }
}

/// Who joined a shared space.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JoinedShare {
    /// The shared space's id.
    pub space: String,
    /// The other device's name.
    pub name: String,
    pub fingerprint: String,
    pub role: String,
}

impl Kindred {
    pub(super) fn my_bundle(&self) -> Bundle {
        Bundle {
            device: self.keys.device_key(),
            wrap_key: self.keys.wrap_key(),
            name: self.label(),
        }
    }

    /// Whether this device's person said yes to the string of `t`.
    pub(super) fn said_yes(&self, t: &Hash) -> Result<bool> {
        Ok(self.store.meta(&yes_name(t))?.is_some())
    }

    /// Records that this device's person said yes to the string of `t`.
    pub(super) fn record_yes(&mut self, t: &Hash) -> Result<()> {
        let tx = self.store.begin()?;
        tx.put_meta(&yes_name(t), &unix_now().to_be_bytes())?;
        tx.commit()
    }

    /// Forgets a recorded yes once its invite is over.
    pub(super) fn forget_yes(&mut self, t: &Hash) -> Result<()> {
        let tx = self.store.begin()?;
        tx.delete_meta(&yes_name(t))?;
        tx.commit()
    }

    /// Starts an invite into `space` (a shared space this device owns), or
    /// into a new shared space when `space` is `None` (made only once the
    /// invite completes). Leaves the commitment and the terms in the
    /// mailbox. The code works for [`INVITE_TTL_SECS`].
    pub fn invite_create(
        &mut self,
        t: &dyn Transport,
        space: Option<&str>,
        role: Role,
    ) -> Result<Invite> {
        self.invite_create_lasting(t, space, role, INVITE_TTL_SECS)
    }

    /// [`Kindred::invite_create`] with a code that works for `secs`
    /// seconds (at most [`INVITE_TTL_SECS`]).
    pub fn invite_create_lasting(
        &mut self,
        t: &dyn Transport,
        space: Option<&str>,
        role: Role,
        secs: u64,
    ) -> Result<Invite> {
        let mut random = [0u8; 10];
        fill_random(&mut random)?;
        let code = InviteCode::from_random(&random).display();
        let until = unix_now() + secs.min(INVITE_TTL_SECS);
        self.invite_create_expiring(t, space, role, &code, until)
    }

    /// [`Kindred::invite_create`] under a given code. For tests that play
    /// a man in the middle, who must reuse the code he overheard; a real
    /// invite always takes a fresh random code.
    #[doc(hidden)]
    pub fn invite_create_with_code(
        &mut self,
        t: &dyn Transport,
        space: Option<&str>,
        role: Role,
        code: &str,
    ) -> Result<Invite> {
        let until = unix_now() + INVITE_TTL_SECS;
        self.invite_create_expiring(t, space, role, code, until)
    }

    /// An invite under a given code whose terms end at `expires_at` (Unix
    /// seconds, possibly already past). For tests of expiry.
    #[doc(hidden)]
    pub fn invite_create_expiring(
        &mut self,
        t: &dyn Transport,
        space: Option<&str>,
        role: Role,
        code: &str,
        expires_at: u64,
    ) -> Result<Invite> {
        let code = InviteCode::parse(code).map_err(|_| Error::OutOfRange {
            field: "invite code",
            expected: "10 characters",
        })?;
        if let Some(s) = space {
            self.check_own_share(t, s)?;
            self.add_own_devices(t, s)?;
        }
        let terms = Terms {
            role: role_name(role).to_owned(),
            expires_at,
        };
        let pake = Pake::start(Side::Inviter, &code);
        let commit = pake_commitment(pake.message());
        let (_, to_joiner) = code.mailboxes();
        post_step(
            t,
            &to_joiner,
            InviteStep::Commit {
                commitment: commit,
                terms: terms.clone(),
            },
        )?;
        Ok(Invite {
            code,
            space: space.map(str::to_owned),
            role,
            terms,
            bundle: self.my_bundle(),
            commit,
            pake: Some(pake),
            session: None,
            joiner: None,
            confirmed: false,
            withdrawn: false,
            burnt: None,
            already: None,
            done: None,
        })
    }

    /// Checks `space` is a shared space, on the relay, that this device
    /// owns (an invite into it adds someone).
    fn check_own_share(&mut self, t: &dyn Transport, space: &str) -> Result<()> {
        let info = self
            .spaces
            .iter()
            .find(|x| x.id == space)
            .ok_or_else(|| Error::NotFound {
                kind: crate::model::RecordKind::Space,
                id: space.to_owned(),
            })?;
        if info.kind != SpaceKind::Shared {
            return Err(Error::OutOfRange {
                field: "space",
                expected: "a shared space (personal and caseload spaces are never shared)",
            });
        }
        self.sync_space(t, space)?;
        let m = self.membership_of(space)?.ok_or(Error::Sync {
            what: "a space has no membership log yet",
        })?;
        if m.role_of(&self.keys.device_key()) != Some(Role::Owner) {
            return Err(Error::NotOwner {
                space: "shared".into(),
            });
        }
        Ok(())
    }

    /// The invite's time is up: tells the joiner (once, best effort: the
    /// joiner also checks the terms itself) and says so.
    fn expire(&mut self, t: &dyn Transport, inv: &mut Invite) -> Error {
        if !inv.withdrawn {
            inv.withdrawn = true;
            let _ = self.invite_withdraw(t, inv);
        }
        Error::InviteExpired
    }

    /// This device's person gave up waiting (or its time ran out): the
    /// code stops working, and a joiner who comes later is told it has
    /// expired. Nothing was added.
    pub fn invite_withdraw(&mut self, t: &dyn Transport, inv: &Invite) -> Result<()> {
        let (_, to_joiner) = inv.code.mailboxes();
        if let Some(s) = &inv.session {
            post_sealed(t, &to_joiner, s, Side::Joiner, SessionStep::Expired)?;
        }
        post_step(t, &to_joiner, InviteStep::Expired)
    }

    /// The run failed (a wrong code, or interference): the invite is
    /// burnt, the joiner is told, and `e` is what every later call says.
    fn burn(&mut self, t: &dyn Transport, inv: &mut Invite, e: Error) -> Error {
        inv.burnt = Some(matches!(e, Error::InviteCodeWrong));
        inv.pake = None;
        if !inv.withdrawn {
            inv.withdrawn = true;
            let (_, to_joiner) = inv.code.mailboxes();
            let _ = post_step(t, &to_joiner, InviteStep::Expired);
        }
        e
    }

    /// Reads the inviter's mailbox once and moves the exchange on: answers
    /// the first SPAKE2 message, opens the joiner's hello, notes its
    /// signed confirmation.
    fn invite_read(&mut self, t: &dyn Transport, inv: &mut Invite) -> Result<()> {
        if let Some(wrong_code) = inv.burnt {
            return Err(burnt_error(wrong_code));
        }
        let (to_inviter, to_joiner) = inv.code.mailboxes();
        let steps = match take(t, &to_inviter) {
            Err(Error::InviteTampered) => return Err(self.burn(t, inv, Error::InviteTampered)),
            other => other?,
        };
        for step in steps {
            if let Err(e) = self.invite_step(t, inv, &to_joiner, step) {
                return Err(match e {
                    Error::InviteCodeWrong | Error::InviteTampered => self.burn(t, inv, e),
                    e => e,
                });
            }
        }
        Ok(())
    }

    fn invite_step(
        &mut self,
        t: &dyn Transport,
        inv: &mut Invite,
        to_joiner: &[u8; 16],
        step: InviteStep,
    ) -> Result<()> {
        match step {
            // The one run this invite has: the first answer takes it.
            InviteStep::Pake { msg } if inv.session.is_none() => {
                let pake = inv.pake.take().ok_or(Error::InviteTampered)?;
                let x = pake.message().to_vec();
                let session = pake
                    .finish(&msg.0, &inv.commit, &inv.terms)
                    .map_err(|_| Error::InviteTampered)?;
                let hello = seal(
                    &session,
                    Side::Joiner,
                    SessionStep::Hello {
                        bundle: inv.bundle.clone(),
                        terms: inv.terms.clone(),
                    },
                )?;
                inv.session = Some(session);
                post_step(
                    t,
                    to_joiner,
                    InviteStep::Open {
                        msg: Bytes(x),
                        sealed: hello,
                    },
                )
            }
            // Another device trying the code after the run was taken gets
            // no run of its own (its side fails: nothing opens for it).
            InviteStep::Pake { .. } => Ok(()),
            InviteStep::Sealed { sealed } => {
                let session = inv.session.as_ref().ok_or(Error::InviteTampered)?;
                let Some(step) = open_sealed(session, Side::Inviter, &sealed)? else {
                    // The first sealed answer not opening means the other
                    // side's key differs: it had another code.
                    return Err(if inv.joiner.is_none() {
                        Error::InviteCodeWrong
                    } else {
                        Error::InviteTampered
                    });
                };
                match step {
                    SessionStep::Hello { bundle, terms } if inv.joiner.is_none() => {
                        if terms != inv.terms {
                            return Err(Error::InviteTampered);
                        }
                        let tr = session.transcript(&inv.bundle, &bundle);
                        inv.already = match &inv.space {
                            Some(space) => self
                                .membership_of(space)?
                                .and_then(|m| m.role_of(&bundle.device)),
                            None => None,
                        };
                        inv.joiner = Some((bundle, tr));
                        Ok(())
                    }
                    SessionStep::Confirm { sig } => {
                        let (joiner, tr) = inv.joiner.as_ref().ok_or(Error::InviteTampered)?;
                        verify_ed25519(&joiner.device, &confirm_bytes(tr), &sig)
                            .map_err(|_| Error::InviteTampered)?;
                        inv.confirmed = true;
                        Ok(())
                    }
                    SessionStep::Decline => Err(Error::InviteDeclined),
                    _ => Err(Error::InviteTampered),
                }
            }
            // Steps only an inviter sends, found in the inviter's own
            // mailbox: replayed or reflected.
            InviteStep::Commit { .. } | InviteStep::Open { .. } | InviteStep::Expired => {
                Err(Error::InviteTampered)
            }
        }
    }

    /// Checks once for the joiner's answer; once it came and opened under
    /// the session key, returns the string to compare.
    pub fn invite_poll(&mut self, t: &dyn Transport, inv: &mut Invite) -> Result<Option<Sas>> {
        if let Some(s) = inv.sas() {
            return Ok(Some(s));
        }
        if unix_now() >= inv.terms.expires_at {
            return Err(self.expire(t, inv));
        }
        self.invite_read(t, inv)?;
        Ok(inv.sas())
    }

    /// This device's person compared the strings and said they match:
    /// records it in the store (what [`Kindred::invite_confirm`] requires
    /// before it adds anyone).
    pub fn invite_yes(&mut self, inv: &Invite) -> Result<()> {
        let (_, tr) = inv.joiner.as_ref().ok_or(Error::InviteNotReady)?;
        self.record_yes(tr)
    }

    /// After this device's person's yes was recorded
    /// ([`Kindred::invite_yes`]): checks once for the joiner's signed
    /// confirmation, and when it is there makes the shared space (for a
    /// new share), adds the joiner and welcomes it. `None` while the other
    /// person has not confirmed yet. Without a recorded yes, adds no one:
    /// [`Error::InviteNotConfirmed`]. Called again after a failure
    /// part-way (the relay out of reach), it carries on where it stopped.
    pub fn invite_confirm(
        &mut self,
        t: &dyn Transport,
        inv: &mut Invite,
    ) -> Result<Option<JoinedShare>> {
        if let Some(done) = &inv.done {
            return Ok(Some(done.clone()));
        }
        let (joiner, tr) = inv.joiner.clone().ok_or(Error::InviteNotReady)?;
        if !self.said_yes(&tr)? {
            return Err(Error::InviteNotConfirmed);
        }
        if !inv.confirmed {
            if unix_now() >= inv.terms.expires_at {
                return Err(self.expire(t, inv));
            }
            self.invite_read(t, inv)?;
            if !inv.confirmed {
                return Ok(None);
            }
        }
        // Both people said yes: only now is a new share made.
        let existing = inv.space.is_some();
        let space = match &inv.space {
            Some(s) => s.clone(),
            None => {
                let s = self.create_space(
                    SpaceKind::Shared,
                    Some(format!(
                        "with {}",
                        crate::names::display_name(&joiner.name, false)
                    )),
                )?;
                inv.space = Some(s.clone());
                self.sync_space(t, &s)?;
                s
            }
        };
        self.add_own_devices(t, &space)?;
        let sid = space_id(&space)?;
        let role = inv.role;
        let already = self
            .membership_of(&space)?
            .and_then(|m| m.role_of(&joiner.device));
        match already {
            // Already in the share: the invite changes what they may do.
            Some(r) if r != role => {
                self.set_role_of(t, &space, joiner.device, role)?;
            }
            Some(_) => {}
            None => {
                // Someone new joins a share that already holds history (a
                // goal shared and unshared before, notes of an earlier
                // worker): the share starts afresh first, so they get its
                // records as they are now under a new key, never the
                // history or an older key.
                if existing {
                    self.fresh_start_for_joiner(t, &space)?;
                }
                self.add_device(
                    t,
                    &space,
                    joiner.device,
                    joiner.wrap_key,
                    role,
                    &joiner.name,
                )?
            }
        }
        // The log as this device saw it after the add: the joiner pins it.
        let head = self.membership_of(&space)?.ok_or(Error::Sync {
            what: "a space has no membership log yet",
        })?;
        let sig = self.keys.sign(&welcome_bytes(
            &tr,
            &sid,
            role_name(role),
            head.len,
            &head.head,
        ));
        let (_, to_joiner) = inv.code.mailboxes();
        let session = inv.session.as_ref().ok_or(Error::InviteNotReady)?;
        post_sealed(
            t,
            &to_joiner,
            session,
            Side::Joiner,
            SessionStep::Welcome {
                space: sid,
                kind: SpaceKind::Shared.as_str().to_owned(),
                role: role_name(role).to_owned(),
                log_len: head.len,
                head: head.head,
                sig,
            },
        )?;
        self.name_space_if_unnamed(
            &space,
            &format!("with {}", crate::names::display_name(&joiner.name, false)),
        )?;
        self.forget_yes(&tr)?;
        let joined = JoinedShare {
            space,
            name: crate::names::display_name(&joiner.name, false).to_owned(),
            fingerprint: fingerprint(&joiner.device),
            role: role_name(role).to_owned(),
        };
        inv.done = Some(joined.clone());
        Ok(Some(joined))
    }

    /// This device's person said the strings differ, or cancelled: tell
    /// the other side. Nothing was added (and for a new share, nothing
    /// was made).
    pub fn invite_decline(&mut self, t: &dyn Transport, inv: &Invite) -> Result<()> {
        let (_, to_joiner) = inv.code.mailboxes();
        match &inv.session {
            Some(s) => post_sealed(t, &to_joiner, s, Side::Joiner, SessionStep::Decline),
            None => post_step(t, &to_joiner, InviteStep::Expired),
        }
    }

    /// Adds this person's other devices (the members of the personal
    /// space) to a shared space as owners, so a share started on the phone
    /// is on the tablet too.
    fn add_own_devices(&mut self, t: &dyn Transport, space: &str) -> Result<()> {
        let Some(personal) = self
            .spaces
            .iter()
            .find(|s| s.kind == SpaceKind::Personal)
            .map(|s| s.id.clone())
        else {
            return Ok(());
        };
        let Some(pm) = self.membership_of(&personal)? else {
            return Ok(());
        };
        let psid = space_id(&personal)?;
        let me = self.keys.device_key();
        for member in pm.members.values().filter(|m| m.device != me) {
            let name = self
                .member_label(
                    &personal,
                    &psid,
                    &member.device,
                    &member.sealed_label,
                    pm.epoch,
                )
                .unwrap_or_else(|| "another device".into());
            // A device removed from this space earlier stays out.
            let removed = self
                .membership_of(space)?
                .is_some_and(|m| m.removed.contains(&member.device));
            if !removed {
                // Her recovery kit goes into her shares as what it is,
                // named by the space's kind (`recovery/member.rs`).
                if member.role == Role::Recovery {
                    self.add_device(
                        t,
                        space,
                        member.device,
                        member.wrap_key,
                        Role::Recovery,
                        "shared",
                    )?;
                } else {
                    self.add_device(t, space, member.device, member.wrap_key, Role::Owner, &name)?;
                }
            }
        }
        Ok(())
    }

    /// This device's role in the one shared space it is in with `other`
    /// (`None` when there is none, or several).
    pub(super) fn role_beside(&self, other: &kindred_protocol::DeviceKey) -> Result<Option<Role>> {
        let me = self.keys.device_key();
        let mut found = Vec::new();
        for s in self.spaces.iter().filter(|s| s.kind == SpaceKind::Shared) {
            if let Some(m) = self.membership_of(&s.id)?
                && m.members.contains_key(other)
                && let Some(r) = m.role_of(&me)
            {
                found.push(r);
            }
        }
        Ok(match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        })
    }

    /// Names a space locally if it has no name yet.
    pub(crate) fn name_space_if_unnamed(&mut self, space: &str, name: &str) -> Result<()> {
        let Some(info) = self.spaces.iter_mut().find(|s| s.id == space) else {
            return Ok(());
        };
        if info.name.is_some() {
            return Ok(());
        }
        info.name = Some(name.to_owned());
        let desc = crate::kindred::SpaceDescriptor {
            kind: info.kind.as_str().to_owned(),
            name: Some(name.to_owned()),
        };
        let tx = self.store.begin()?;
        tx.update_space(
            space,
            &serde_json::to_vec(&desc).map_err(|_| Error::Document)?,
        )?;
        tx.commit()
    }
}
