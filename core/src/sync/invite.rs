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

use kindred_protocol::invite::{
    Bundle, InviteCode, InviteMessage, InviteStep, NONCE_LEN, Sas, commitment, confirm_bytes, sas,
    transcript, welcome_bytes,
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

/// How long an invite lasts (the relay keeps a mailbox message 600 s).
pub const INVITE_TTL_SECS: u64 = 600;

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
    /// The shared space the joiner will be added to.
    pub space: String,
    role: Role,
    bundle: Bundle,
    nonce: [u8; NONCE_LEN],
    expires_at: u64,
    joiner: Option<(Bundle, Hash)>,
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

    /// The string to compare, once the other device has answered.
    pub fn sas(&self) -> Option<Sas> {
        self.joiner.as_ref().map(|(_, t)| sas(t))
    }

    /// The other device's name, once it has answered.
    pub fn joiner_name(&self) -> Option<&str> {
        self.joiner.as_ref().map(|(b, _)| b.name.as_str())
    }
}

/// The joining side of one invite.
pub struct JoinInvite {
    code: InviteCode,
    bundle: Bundle,
    nonce: [u8; NONCE_LEN],
    commitment: Hash,
    expires_at: u64,
    inviter: Option<(Bundle, Hash)>,
    confirmed: bool,
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
        self.inviter.as_ref().map(|(b, _)| b.name.as_str())
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
            name: self.device.name.clone(),
        }
    }

    /// Starts an invite into `space` (a shared space this device owns), or
    /// into a new shared space when `space` is `None`. Syncs the space so
    /// it exists on the relay, and leaves the commitment in the mailbox.
    pub fn invite_create(
        &mut self,
        t: &dyn Transport,
        space: Option<&str>,
        role: Role,
    ) -> Result<Invite> {
        let mut random = [0u8; 10];
        fill_random(&mut random)?;
        self.invite_create_with_code(t, space, role, &InviteCode::from_random(&random).display())
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
        let code = InviteCode::parse(code).map_err(|_| Error::OutOfRange {
            field: "invite code",
            expected: "10 characters",
        })?;
        let space = match space {
            Some(s) => {
                let info =
                    self.spaces
                        .iter()
                        .find(|x| x.id == s)
                        .ok_or_else(|| Error::NotFound {
                            kind: crate::model::RecordKind::Space,
                            id: s.to_owned(),
                        })?;
                if info.kind != SpaceKind::Shared {
                    return Err(Error::OutOfRange {
                        field: "space",
                        expected: "a shared space (personal and caseload spaces are never shared)",
                    });
                }
                s.to_owned()
            }
            None => self.create_space(SpaceKind::Shared, None)?,
        };
        self.sync_space(t, &space)?;
        let m = self.membership_of(&space)?.ok_or(Error::Sync {
            what: "a space has no membership log yet",
        })?;
        if m.role_of(&self.keys.device_key()) != Some(Role::Owner) {
            return Err(Error::NotOwner {
                space: "shared".into(),
            });
        }
        self.add_own_devices(t, &space)?;
        let bundle = self.my_bundle();
        let n = nonce()?;
        let b = boxes(&code);
        post(
            t,
            &b.to_joiner,
            &b.seal_joiner,
            InviteStep::Commit {
                commitment: commitment(&bundle, &n),
            },
        )?;
        Ok(Invite {
            code,
            space,
            role,
            bundle,
            nonce: n,
            expires_at: unix_now() + INVITE_TTL_SECS,
            joiner: None,
        })
    }

    /// Checks once for the joiner's answer; once it came, opens the
    /// commitment to it and returns the string to compare.
    pub fn invite_poll(&mut self, t: &dyn Transport, inv: &mut Invite) -> Result<Option<Sas>> {
        if let Some(s) = inv.sas() {
            return Ok(Some(s));
        }
        if unix_now() > inv.expires_at {
            return Err(Error::InviteExpired);
        }
        let b = boxes(&inv.code);
        for step in take(t, &b.to_inviter, &b.seal_inviter)? {
            match step {
                InviteStep::Reveal { bundle, nonce } if inv.joiner.is_none() => {
                    let tr = transcript(&inv.code, &inv.bundle, &bundle, &inv.nonce, &nonce.0);
                    post(
                        t,
                        &b.to_joiner,
                        &b.seal_joiner,
                        InviteStep::Open {
                            bundle: inv.bundle.clone(),
                            nonce: Bytes(inv.nonce.to_vec()),
                        },
                    )?;
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
    /// there adds the joiner to the space and welcomes it. `None` while
    /// the other person has not confirmed yet.
    pub fn invite_confirm(
        &mut self,
        t: &dyn Transport,
        inv: &Invite,
    ) -> Result<Option<JoinedShare>> {
        let (joiner, tr) = inv.joiner.clone().ok_or(Error::InviteNotReady)?;
        if unix_now() > inv.expires_at {
            return Err(Error::InviteExpired);
        }
        let b = boxes(&inv.code);
        let mut confirmed = false;
        for step in take(t, &b.to_inviter, &b.seal_inviter)? {
            match step {
                InviteStep::Confirm { sig }
                    if verify_ed25519(&joiner.device, &confirm_bytes(&tr), &sig).is_ok() =>
                {
                    confirmed = true;
                }
                InviteStep::Decline => return Err(Error::InviteDeclined),
                _ => {}
            }
        }
        if !confirmed {
            return Ok(None);
        }
        let space = inv.space.clone();
        let sid = space_id(&space)?;
        let role = inv.role;
        self.add_device(
            t,
            &space,
            joiner.device,
            joiner.wrap_key,
            role,
            &joiner.name,
        )?;
        let sig = self.keys.sign(&welcome_bytes(&tr, &sid, role_name(role)));
        post(
            t,
            &b.to_joiner,
            &b.seal_joiner,
            InviteStep::Welcome {
                space: sid,
                kind: SpaceKind::Shared.as_str().to_owned(),
                role: role_name(role).to_owned(),
                sig,
            },
        )?;
        self.name_space_if_unnamed(&space, &format!("with {}", joiner.name))?;
        Ok(Some(JoinedShare {
            space,
            name: joiner.name,
            fingerprint: fingerprint(&joiner.device),
            role: role_name(role).to_owned(),
        }))
    }

    /// This device's person said the strings differ, or cancelled: tell
    /// the other side. Nothing was added.
    pub fn invite_decline(&mut self, t: &dyn Transport, inv: &Invite) -> Result<()> {
        let b = boxes(&inv.code);
        post(t, &b.to_joiner, &b.seal_joiner, InviteStep::Decline)
    }

    /// Joins with a code: reads the inviter's commitment and answers with
    /// this device's bundle.
    pub fn invite_join(&mut self, t: &dyn Transport, code: &str) -> Result<JoinInvite> {
        let code = InviteCode::parse(code).map_err(|_| Error::OutOfRange {
            field: "invite code",
            expected: "the 10-character code from the other person, like 7KQ2M-XW9PD",
        })?;
        let b = boxes(&code);
        let commitment = take(t, &b.to_joiner, &b.seal_joiner)?
            .into_iter()
            .find_map(|s| match s {
                InviteStep::Commit { commitment } => Some(commitment),
                _ => None,
            })
            .ok_or(Error::InviteUnknown)?;
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
            bundle,
            nonce: n,
            commitment,
            expires_at: unix_now() + INVITE_TTL_SECS,
            inviter: None,
            confirmed: false,
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
        if unix_now() > j.expires_at {
            return Err(Error::InviteExpired);
        }
        let b = boxes(&j.code);
        for step in take(t, &b.to_joiner, &b.seal_joiner)? {
            match step {
                InviteStep::Open { bundle, nonce } if j.inviter.is_none() => {
                    if commitment(&bundle, &nonce.0) != j.commitment {
                        return Err(Error::InviteTampered);
                    }
                    let tr = transcript(&j.code, &bundle, &j.bundle, &nonce.0, &j.nonce);
                    j.inviter = Some((bundle, tr));
                }
                InviteStep::Decline => return Err(Error::InviteDeclined),
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
            return Err(Error::InviteExpired);
        }
        let b = boxes(&j.code);
        for step in take(t, &b.to_joiner, &b.seal_joiner)? {
            match step {
                InviteStep::Welcome {
                    space,
                    kind,
                    role,
                    sig,
                } => {
                    if kind != SpaceKind::Shared.as_str()
                        || verify_ed25519(&inviter.device, &welcome_bytes(&tr, &space, &role), &sig)
                            .is_err()
                    {
                        return Err(Error::InviteTampered);
                    }
                    let id = space.to_hex();
                    let name = format!("with {}", inviter.name);
                    if self.spaces.iter().any(|s| s.id == id) {
                        self.name_space_if_unnamed(&id, &name)?;
                    } else {
                        self.add_joined_space(&id, SpaceKind::Shared, Some(name))?;
                    }
                    self.sync_space(t, &id)?;
                    return Ok(Some(JoinedShare {
                        space: id,
                        name: inviter.name,
                        fingerprint: fingerprint(&inviter.device),
                        role,
                    }));
                }
                InviteStep::Decline => return Err(Error::InviteDeclined),
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
