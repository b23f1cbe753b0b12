//! Remote invites into a shared space, confirmed by a short
//! authentication string (protocol in `kindred_protocol::invite`, the
//! argument in docs/crypto.md).
//!
//! The person's device (inviter) and the worker's device (joiner) meet in
//! two mailboxes found by the short code, exchange a commitment, their
//! bundles and nonces, and each shows the same six digits and four emoji.
//! Nothing is added until the inviter's person confirmed the string and
//! the joiner's signed confirmation arrived; a decline from either side,
//! a broken commitment or a timeout adds no one.
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
    Bundle, InviteCode, InviteMessage, InviteStep, NONCE_LEN, Sas, Terms, commitment,
    confirm_bytes, sas, transcript, welcome_bytes,
};
use kindred_protocol::messages::RendezvousPost;
use kindred_protocol::{
    Bytes, Hash, PROTOCOL_VERSION, Role, Signature, decode, encode, verify_ed25519,
};
use ring::aead::{CHACHA20_POLY1305, LessSafeKey, UnboundKey};
use ring::hkdf;

use super::engine::space_id;
use super::pairing::{Len, fingerprint, open, seal, transport, unix_now};
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

/// Keys and mailboxes derived from a code.
struct Boxes {
    to_inviter: [u8; 16],
    to_joiner: [u8; 16],
    seal_inviter: LessSafeKey,
    seal_joiner: LessSafeKey,
}

fn boxes(code: &InviteCode) -> Boxes {
    let prk =
        hkdf::Salt::new(hkdf::HKDF_SHA256, b"kindred/v1/invite").extract(code.as_str().as_bytes());
    let id = |info: &[u8]| {
        let mut out = [0u8; 16];
        let parts = [info];
        prk.expand(&parts, Len(16))
            .and_then(|okm| okm.fill(&mut out))
            .expect("16 bytes is a valid HKDF-SHA256 output length");
        out
    };
    let key = |info: &[u8]| {
        let parts = [info];
        let okm = prk
            .expand(&parts, &CHACHA20_POLY1305)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        LessSafeKey::new(UnboundKey::from(okm))
    };
    Boxes {
        to_inviter: id(b"box/to-inviter"),
        to_joiner: id(b"box/to-joiner"),
        seal_inviter: key(b"seal/to-inviter"),
        seal_joiner: key(b"seal/to-joiner"),
    }
}

fn post(t: &dyn Transport, id: &[u8; 16], key: &LessSafeKey, step: InviteStep) -> Result<()> {
    let msg = InviteMessage {
        v: PROTOCOL_VERSION,
        step,
    };
    t.rendezvous_post(
        id,
        &RendezvousPost {
            v: PROTOCOL_VERSION,
            payload: Bytes(seal(key, &encode(&msg))?),
        },
    )
    .map_err(transport)
}

/// Every message that opens in a mailbox (others are dropped: noise, or
/// someone without the code).
fn take(t: &dyn Transport, id: &[u8; 16], key: &LessSafeKey) -> Result<Vec<InviteStep>> {
    let got = t.rendezvous_take(id).map_err(transport)?;
    Ok(got
        .messages
        .iter()
        .filter_map(|m| open(key, &m.0))
        .filter_map(|b| decode::<InviteMessage>(&b).ok())
        .map(|m| m.step)
        .collect())
}

fn nonce() -> Result<[u8; NONCE_LEN]> {
    let mut n = [0u8; NONCE_LEN];
    fill_random(&mut n)?;
    Ok(n)
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "owner",
        Role::Writer => "writer",
        Role::Reader => "reader",
    }
}

/// What someone with `role` in a share can do, in plain words, to finish
/// "Sam will be able to …" or "You will be able to …". Shown before anyone
/// says yes to an invite.
pub fn role_in_words(role: Role) -> &'static str {
    match role {
        Role::Reader => "read what is shared, but not change or add anything",
        Role::Writer => {
            "read what is shared, add steps, progress and notes, and change the shared goals"
        }
        Role::Owner => "read and change everything that is shared, and invite or remove people",
    }
}

/// What changing someone's role from `before` to `after` does, in plain
/// words, to finish "this will …": about "them" (the other person), or
/// about "you" when `you`.
pub fn role_change_in_words(before: Role, after: Role, you: bool) -> String {
    let (them, they) = if you {
        ("you", "you")
    } else {
        ("them", "they")
    };
    match (before, after) {
        (a, b) if a == b => format!("change nothing: {they} keep what {they} can do now"),
        (Role::Reader, Role::Writer) => {
            format!("let {them} add steps, progress and notes, and change the shared goals too")
        }
        (Role::Reader, Role::Owner) => {
            format!("let {them} change everything that is shared, and invite or remove people too")
        }
        (Role::Writer, Role::Owner) => format!("let {them} invite or remove people too"),
        (Role::Writer, Role::Reader) => {
            format!("let {them} only read it from now on, not change or add anything")
        }
        (Role::Owner, Role::Writer) => format!(
            "stop {them} inviting or removing people; {they} can still add and change things"
        ),
        (Role::Owner, Role::Reader) => format!(
            "let {them} only read it from now on, not change or add anything, nor invite or remove people"
        ),
        _ => format!("let {them} {}", role_in_words(after)),
    }
}

/// Reads a role as typed: owner, writer or reader.
pub fn parse_role(s: &str) -> Result<Role> {
    match s.trim().to_ascii_lowercase().as_str() {
        "owner" => Ok(Role::Owner),
        "writer" => Ok(Role::Writer),
        "reader" => Ok(Role::Reader),
        _ => Err(Error::OutOfRange {
            field: "role",
            expected: "owner, writer or reader",
        }),
    }
}

/// The inviting side of one invite.
pub struct Invite {
    code: InviteCode,
    /// The shared space the joiner is added to: the one named when the
    /// invite began, or a new one made once both people confirmed.
    space: Option<String>,
    role: Role,
    terms: Terms,
    bundle: Bundle,
    nonce: [u8; NONCE_LEN],
    joiner: Option<(Bundle, Hash)>,
    /// The joiner's signed confirmation arrived.
    confirmed: bool,
    /// `Expired` was posted for the joiner.
    withdrawn: bool,
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

    /// The string to compare, once the other device has answered.
    pub fn sas(&self) -> Option<Sas> {
        self.joiner.as_ref().map(|(_, t)| sas(t))
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
            role_in_words(before),
            role_change_in_words(before, self.role, false)
        ))
    }
}

/// The joining side of one invite.
pub struct JoinInvite {
    code: InviteCode,
    terms: Terms,
    role: Role,
    bundle: Bundle,
    nonce: [u8; NONCE_LEN],
    commitment: Hash,
    expires_at: u64,
    inviter: Option<(Bundle, Hash)>,
    confirmed: bool,
    /// This device's role in the one share it is already in with the
    /// inviting device, if there is exactly one (the invite may be for it:
    /// its terms do not say which share).
    already: Option<Role>,
}

impl std::fmt::Debug for JoinInvite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JoinInvite")
    }
}

impl JoinInvite {
    /// The string to compare, once the inviter has opened its commitment.
    pub fn sas(&self) -> Option<Sas> {
        self.inviter.as_ref().map(|(_, t)| sas(t))
    }

    /// The inviting device's name, once known.
    pub fn inviter_name(&self) -> Option<&str> {
        self.inviter
            .as_ref()
            .map(|(b, _)| crate::names::display_name(&b.name, false))
    }

    /// The role this device will have in the share.
    pub fn role(&self) -> Role {
        self.role
    }

    /// This device's role in the share it is already in with the inviting
    /// device (when there is exactly one), once the inviter has answered.
    pub fn already(&self) -> Option<Role> {
        self.already
    }

    /// For someone already in a share with the inviter: what they can do
    /// there now and what this invite would change, in plain words.
    pub fn change_in_words(&self) -> Option<String> {
        let before = self.already?;
        let name = self.inviter_name().unwrap_or("the other person");
        Some(format!(
            "You are already in a share with {name}, where you can {}. If this invite is for that share, it will {}",
            role_in_words(before),
            role_change_in_words(before, self.role, true)
        ))
    }

    /// When the code stops working (Unix seconds, the inviter's clock).
    pub fn expires_at(&self) -> u64 {
        self.terms.expires_at
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
    fn my_bundle(&self) -> Bundle {
        Bundle {
            device: self.keys.device_key(),
            wrap_key: self.keys.wrap_key(),
            name: self.label(),
        }
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
        let bundle = self.my_bundle();
        let n = nonce()?;
        let terms = Terms {
            role: role_name(role).to_owned(),
            expires_at,
        };
        let b = boxes(&code);
        post(
            t,
            &b.to_joiner,
            &b.seal_joiner,
            InviteStep::Commit {
                commitment: commitment(&bundle, &n),
                terms: terms.clone(),
            },
        )?;
        Ok(Invite {
            code,
            space: space.map(str::to_owned),
            role,
            terms,
            bundle,
            nonce: n,
            joiner: None,
            confirmed: false,
            withdrawn: false,
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
        let b = boxes(&inv.code);
        post(t, &b.to_joiner, &b.seal_joiner, InviteStep::Expired)
    }

    /// Checks once for the joiner's answer; once it came, opens the
    /// commitment to it and returns the string to compare.
    pub fn invite_poll(&mut self, t: &dyn Transport, inv: &mut Invite) -> Result<Option<Sas>> {
        if let Some(s) = inv.sas() {
            return Ok(Some(s));
        }
        if unix_now() >= inv.terms.expires_at {
            return Err(self.expire(t, inv));
        }
        let b = boxes(&inv.code);
        for step in take(t, &b.to_inviter, &b.seal_inviter)? {
            match step {
                InviteStep::Reveal { bundle, nonce } if inv.joiner.is_none() => {
                    let tr = transcript(
                        &inv.code,
                        &inv.terms,
                        &inv.bundle,
                        &bundle,
                        &inv.nonce,
                        &nonce.0,
                    );
                    post(
                        t,
                        &b.to_joiner,
                        &b.seal_joiner,
                        InviteStep::Open {
                            bundle: inv.bundle.clone(),
                            nonce: Bytes(inv.nonce.to_vec()),
                        },
                    )?;
                    inv.already = match &inv.space {
                        Some(space) => self
                            .membership_of(space)?
                            .and_then(|m| m.role_of(&bundle.device)),
                        None => None,
                    };
                    inv.joiner = Some((bundle, tr));
                }
                InviteStep::Decline => return Err(Error::InviteDeclined),
                _ => {}
            }
        }
        Ok(inv.sas())
    }

    /// After this device's person confirmed that both strings match:
    /// checks once for the joiner's signed confirmation, and when it is
    /// there makes the shared space (for a new share), adds the joiner
    /// and welcomes it. `None` while the other person has not confirmed
    /// yet. Called again after a failure part-way (the relay out of
    /// reach), it carries on where it stopped.
    pub fn invite_confirm(
        &mut self,
        t: &dyn Transport,
        inv: &mut Invite,
    ) -> Result<Option<JoinedShare>> {
        if let Some(done) = &inv.done {
            return Ok(Some(done.clone()));
        }
        let (joiner, tr) = inv.joiner.clone().ok_or(Error::InviteNotReady)?;
        if !inv.confirmed {
            if unix_now() >= inv.terms.expires_at {
                return Err(self.expire(t, inv));
            }
            let b = boxes(&inv.code);
            for step in take(t, &b.to_inviter, &b.seal_inviter)? {
                match step {
                    InviteStep::Confirm { sig }
                        if verify_ed25519(&joiner.device, &confirm_bytes(&tr), &sig).is_ok() =>
                    {
                        inv.confirmed = true;
                    }
                    InviteStep::Decline => return Err(Error::InviteDeclined),
                    _ => {}
                }
            }
            if !inv.confirmed {
                return Ok(None);
            }
        }
        // Both people said yes: only now is a new share made.
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
            None => self.add_device(
                t,
                &space,
                joiner.device,
                joiner.wrap_key,
                role,
                &joiner.name,
            )?,
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
        let b = boxes(&inv.code);
        post(
            t,
            &b.to_joiner,
            &b.seal_joiner,
            InviteStep::Welcome {
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
        let b = boxes(&inv.code);
        post(t, &b.to_joiner, &b.seal_joiner, InviteStep::Decline)
    }

    /// Joins with a code: reads the inviter's commitment and terms and
    /// answers with this device's bundle. A code whose time is up fails
    /// here at once with [`Error::InviteCodeExpired`].
    pub fn invite_join(&mut self, t: &dyn Transport, code: &str) -> Result<JoinInvite> {
        let code = InviteCode::parse(code).map_err(|_| Error::OutOfRange {
            field: "invite code",
            expected: "the 10-character code from the other person, like 7KQ2M-XW9PD",
        })?;
        let b = boxes(&code);
        let steps = take(t, &b.to_joiner, &b.seal_joiner)?;
        if steps.iter().any(|s| matches!(s, InviteStep::Expired)) {
            return Err(Error::InviteCodeExpired);
        }
        let (commitment, terms) = steps
            .into_iter()
            .find_map(|s| match s {
                InviteStep::Commit { commitment, terms } => Some((commitment, terms)),
                _ => None,
            })
            .ok_or(Error::InviteUnknown)?;
        let until = terms.expires_at.saturating_add(CLOCK_SLACK_SECS);
        if unix_now() >= until {
            return Err(Error::InviteCodeExpired);
        }
        let role = parse_role(&terms.role).map_err(|_| Error::InviteTampered)?;
        let bundle = self.my_bundle();
        let n = nonce()?;
        post(
            t,
            &b.to_inviter,
            &b.seal_inviter,
            InviteStep::Reveal {
                bundle: bundle.clone(),
                nonce: Bytes(n.to_vec()),
            },
        )?;
        Ok(JoinInvite {
            code,
            terms,
            role,
            bundle,
            nonce: n,
            commitment,
            expires_at: until.min(unix_now() + INVITE_TTL_SECS),
            inviter: None,
            confirmed: false,
            already: None,
        })
    }

    /// Checks once for the inviter's opened commitment; returns the
    /// string to compare once it came and checked out.
    pub fn invite_join_poll(
        &mut self,
        t: &dyn Transport,
        j: &mut JoinInvite,
    ) -> Result<Option<Sas>> {
        if let Some(s) = j.sas() {
            return Ok(Some(s));
        }
        if unix_now() >= j.expires_at {
            return Err(Error::InviteCodeExpired);
        }
        let b = boxes(&j.code);
        for step in take(t, &b.to_joiner, &b.seal_joiner)? {
            match step {
                InviteStep::Open { bundle, nonce } if j.inviter.is_none() => {
                    if commitment(&bundle, &nonce.0) != j.commitment {
                        return Err(Error::InviteTampered);
                    }
                    let tr = transcript(&j.code, &j.terms, &bundle, &j.bundle, &nonce.0, &j.nonce);
                    j.already = self.role_beside(&bundle.device)?;
                    j.inviter = Some((bundle, tr));
                }
                InviteStep::Decline => return Err(Error::InviteDeclined),
                InviteStep::Expired => return Err(Error::InviteCodeExpired),
                _ => {}
            }
        }
        Ok(j.sas())
    }

    /// This device's person confirmed the strings match: tell the inviter
    /// (signed, over the whole transcript).
    pub fn invite_join_confirm(&mut self, t: &dyn Transport, j: &mut JoinInvite) -> Result<()> {
        let (_, tr) = j.inviter.as_ref().ok_or(Error::InviteNotReady)?;
        let sig: Signature = self.keys.sign(&confirm_bytes(tr));
        let b = boxes(&j.code);
        post(
            t,
            &b.to_inviter,
            &b.seal_inviter,
            InviteStep::Confirm { sig },
        )?;
        j.confirmed = true;
        Ok(())
    }

    /// Declines (the strings differ, or the person cancelled).
    pub fn invite_join_decline(&mut self, t: &dyn Transport, j: &JoinInvite) -> Result<()> {
        let b = boxes(&j.code);
        post(t, &b.to_inviter, &b.seal_inviter, InviteStep::Decline)
    }

    /// After confirming: checks once for the welcome; when it came (signed
    /// by the device whose string we compared), takes the space here and
    /// syncs it.
    pub fn invite_join_finish(
        &mut self,
        t: &dyn Transport,
        j: &JoinInvite,
    ) -> Result<Option<JoinedShare>> {
        if !j.confirmed {
            return Err(Error::InviteNotReady);
        }
        let (inviter, tr) = j.inviter.clone().ok_or(Error::InviteNotReady)?;
        if unix_now() > j.expires_at {
            return Err(Error::InviteCodeExpired);
        }
        let b = boxes(&j.code);
        for step in take(t, &b.to_joiner, &b.seal_joiner)? {
            match step {
                InviteStep::Welcome {
                    space,
                    kind,
                    role,
                    log_len,
                    head,
                    sig,
                } => {
                    if kind != SpaceKind::Shared.as_str()
                        || role != j.terms.role
                        || verify_ed25519(
                            &inviter.device,
                            &welcome_bytes(&tr, &space, &role, log_len, &head),
                            &sig,
                        )
                        .is_err()
                    {
                        return Err(Error::InviteTampered);
                    }
                    let pin = super::JoinPin {
                        len: log_len,
                        head,
                        by: inviter.device,
                    };
                    let id = space.to_hex();
                    let name = format!("with {}", crate::names::display_name(&inviter.name, false));
                    if self.spaces.iter().any(|s| s.id == id) {
                        self.name_space_if_unnamed(&id, &name)?;
                    } else {
                        self.add_joined_space(&id, SpaceKind::Shared, Some(name), pin)?;
                    }
                    self.sync_space(t, &id)?;
                    return Ok(Some(JoinedShare {
                        space: id,
                        name: crate::names::display_name(&inviter.name, false).to_owned(),
                        fingerprint: fingerprint(&inviter.device),
                        role,
                    }));
                }
                InviteStep::Decline => return Err(Error::InviteDeclined),
                InviteStep::Expired => return Err(Error::InviteCodeExpired),
                _ => {}
            }
        }
        Ok(None)
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
                self.add_device(t, space, member.device, member.wrap_key, Role::Owner, &name)?;
            }
        }
        Ok(())
    }

    /// This device's role in the one shared space it is in with `other`
    /// (`None` when there is none, or several).
    fn role_beside(&self, other: &kindred_protocol::DeviceKey) -> Result<Option<Role>> {
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
