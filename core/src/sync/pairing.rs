//! Pairing a person's own devices in the same room (QR code).
//!
//! 1. The existing device makes an [`Offer`]: relay URL, rendezvous id, a
//!    128-bit one-time secret, its key, an expiry. It shows the offer as
//!    text or a QR code and polls the mailbox.
//! 2. The new device reads the offer and leaves a [`JoinRequest`] (its
//!    keys and name) in the mailbox, sealed under a key derived from the
//!    secret: only someone who saw the offer can write a request that
//!    opens. It shows the request's [`PairCode`].
//! 3. The existing device opens it and holds it: it shows the same code
//!    (computed from the request) and asks its person whether the new
//!    device shows it too. Anyone who photographed the offer can write a
//!    request that opens, so the secret alone adds no one.
//! 4. Only after the person's yes ([`Kindred::pair_confirm`]) does it
//!    append `AddDevice` to every space's log with the space's key wrapped
//!    for the new device, and leave a sealed [`JoinReply`] listing the
//!    spaces, each with the log head it saw after the add. A "no" leaves a
//!    reply that says so and adds no one.
//! 5. The new device reads the reply, keeps each space's pinned head and
//!    syncs: its first sync of each space requires that log (genesis
//!    making the id, its own `AddDevice` by the offering device, the
//!    pinned head), unwraps its key and pulls everything.
//!
//! A request that does not open (wrong secret) adds no one; an expired
//! offer is refused on both sides; an offer is used once.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kindred_protocol::messages::{ErrorCode, RendezvousPost};
use kindred_protocol::pairing::{JoinReply, JoinRequest, JoinedSpace, Offer, PairCode, pair_code};
use kindred_protocol::{Bytes, PROTOCOL_VERSION, Role, SpaceId, decode, encode};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf;

use super::transport::Transport;
use crate::error::{Error, Result};
use crate::ids::fill_random;
use crate::kindred::Kindred;
use crate::space::SpaceKind;

/// The device on the other side of a pairing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PairedDevice {
    pub name: String,
    /// First 16 hex digits of its key.
    pub fingerprint: String,
}

/// A new device asking to join, held until the person answers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PairRequest {
    /// The name the new device gave itself.
    pub name: String,
    /// First 16 hex digits of its key.
    pub fingerprint: String,
    /// The code the new device should be showing too.
    pub code: PairCode,
}

/// What the offering device saw while waiting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AcceptOutcome {
    /// A device asks to join: show its code and ask the person
    /// ([`Kindred::pair_confirm`]). Nobody is added yet.
    Asking(PairRequest),
    /// The person said yes: the device was added to every space.
    Joined(PairedDevice),
    /// The person said it is not their device: nobody was added.
    Declined,
    /// Nothing valid yet; `rejected` messages did not open (wrong code).
    Waiting { rejected: usize },
}

/// A join request that opened, waiting for the person's answer.
#[derive(Clone, Debug)]
pub(crate) struct PendingPair {
    rendezvous: SpaceId,
    request: JoinRequest,
}

fn asking(offer: &Offer, req: &JoinRequest) -> AcceptOutcome {
    AcceptOutcome::Asking(PairRequest {
        name: crate::names::display_name(&req.name, true).to_owned(),
        fingerprint: fingerprint(&req.device),
        code: pair_code(offer, &req.device, &req.wrap_key),
    })
}

struct PairKeys {
    join: LessSafeKey,
    reply: LessSafeKey,
    reply_box: [u8; 16],
}

pub(crate) struct Len(pub usize);
impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn pair_keys(offer: &Offer) -> PairKeys {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &offer.rendezvous.0).extract(&offer.secret.0);
    let key = |info: &[u8]| {
        let parts = [info];
        let okm = prk
            .expand(&parts, &CHACHA20_POLY1305)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        LessSafeKey::new(UnboundKey::from(okm))
    };
    let mut reply_box = [0u8; 16];
    let parts = [b"kindred/v1/pair/reply-box".as_slice()];
    prk.expand(&parts, Len(16))
        .and_then(|okm| okm.fill(&mut reply_box))
        .expect("16 bytes is a valid HKDF-SHA256 output length");
    PairKeys {
        join: key(b"kindred/v1/pair/join"),
        reply: key(b"kindred/v1/pair/reply"),
        reply_box,
    }
}

pub(crate) fn seal(key: &LessSafeKey, plain: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    let mut buf = plain.to_vec();
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut buf)
        .map_err(|_| Error::Random)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&buf);
    Ok(out)
}

pub(crate) fn open(key: &LessSafeKey, sealed: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < NONCE_LEN + 16 {
        return None;
    }
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&sealed[..NONCE_LEN]);
    let mut buf = sealed[NONCE_LEN..].to_vec();
    let n = key
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut buf)
        .ok()?
        .len();
    buf.truncate(n);
    Some(buf)
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub(crate) fn transport(e: super::transport::TransportError) -> Error {
    super::engine::transport_error(e)
}

pub(crate) fn fingerprint(key: &kindred_protocol::DeviceKey) -> String {
    key.to_hex().chars().take(16).collect()
}

/// Reads an offer's text (from a QR code) strictly.
pub fn parse_offer(offer_text: &str) -> Result<Offer> {
    Offer::from_text(offer_text).map_err(|_| Error::OutOfRange {
        field: "pairing code",
        expected: "the text shown by the other device, starting KINDRED1:",
    })
}

/// The relay address inside an offer's text, so a new device knows where
/// to meet before it has any other settings.
pub fn offer_server(offer_text: &str) -> Result<String> {
    Offer::from_text(offer_text)
        .map(|o| o.server)
        .map_err(|_| Error::OutOfRange {
            field: "pairing code",
            expected: "the text shown by the other device, starting KINDRED1:",
        })
}

impl Kindred {
    /// Makes a one-time pairing offer for the relay at `server`, valid for `ttl`.
    pub fn pair_offer(&mut self, server: &str, ttl: Duration) -> Result<Offer> {
        let mut rendezvous = [0u8; 16];
        let mut secret = vec![0u8; 16];
        fill_random(&mut rendezvous)?;
        fill_random(&mut secret)?;
        Ok(Offer {
            v: PROTOCOL_VERSION,
            server: server.to_owned(),
            rendezvous: SpaceId(rendezvous),
            secret: Bytes(secret),
            device: self.keys.device_key(),
            expires_at: unix_now() + ttl.as_secs(),
        })
    }

    /// Checks the mailbox once. A valid join request is held (and kept
    /// on later calls) and shown as [`AcceptOutcome::Asking`]: nobody is
    /// added until the person answers with [`Kindred::pair_confirm`].
    pub fn pair_accept(&mut self, t: &dyn Transport, offer: &Offer) -> Result<AcceptOutcome> {
        if unix_now() > offer.expires_at {
            self.pending_pair = None;
            return Err(Error::PairingExpired);
        }
        if let Some(p) = &self.pending_pair
            && p.rendezvous == offer.rendezvous
        {
            return Ok(asking(offer, &p.request));
        }
        let keys = pair_keys(offer);
        let messages = t.rendezvous_take(&offer.rendezvous.0).map_err(transport)?;
        let mut rejected = 0;
        let mut request = None;
        for m in &messages.messages {
            match open(&keys.join, &m.0).and_then(|b| decode::<JoinRequest>(&b).ok()) {
                Some(r) if request.is_none() => request = Some(r),
                Some(_) => rejected += 1,
                None => rejected += 1,
            }
        }
        let Some(req) = request else {
            return Ok(AcceptOutcome::Waiting { rejected });
        };
        let out = asking(offer, &req);
        self.pending_pair = Some(PendingPair {
            rendezvous: offer.rendezvous,
            request: req,
        });
        Ok(out)
    }

    /// The person's answer to the request [`Kindred::pair_accept`] showed:
    /// `yes` adds the device to every space this device owns (syncing
    /// first so each space exists on the relay) and answers it with each
    /// space's log head; `no` tells it nobody was added.
    pub fn pair_confirm(
        &mut self,
        t: &dyn Transport,
        offer: &Offer,
        yes: bool,
    ) -> Result<AcceptOutcome> {
        let req = match &self.pending_pair {
            Some(p) if p.rendezvous == offer.rendezvous => p.request.clone(),
            _ => return Err(Error::PairingNotAsked),
        };
        if unix_now() > offer.expires_at {
            self.pending_pair = None;
            return Err(Error::PairingExpired);
        }
        let keys = pair_keys(offer);
        if !yes {
            self.pending_pair = None;
            self.pair_reply(t, &keys, Vec::new(), true)?;
            return Ok(AcceptOutcome::Declined);
        }
        self.sync(t)?;
        let me = self.keys.device_key();
        let mut joined = Vec::new();
        let ids: Vec<(String, SpaceKind)> = self
            .spaces
            .iter()
            .map(|s| (s.id.clone(), s.kind.clone()))
            .collect();
        for (space, kind) in ids {
            let sid = SpaceId::from_hex(&space).ok_or(Error::Sync {
                what: "a space id is not in the form the relay expects",
            })?;
            // A space this device only writes in (another person's share)
            // is not ours to add devices to.
            let owner = self
                .membership_of(&space)?
                .is_some_and(|m| m.role_of(&me) == Some(Role::Owner));
            if !owner {
                continue;
            }
            self.add_device(t, &space, req.device, req.wrap_key, Role::Owner, &req.name)?;
            let m = self.membership_of(&space)?.ok_or(Error::Sync {
                what: "a space has no membership log yet",
            })?;
            joined.push(JoinedSpace {
                space: sid,
                kind: kind.as_str().to_owned(),
                log_len: m.len,
                head: m.head,
            });
        }
        self.pair_reply(t, &keys, joined, false)?;
        self.pending_pair = None;
        Ok(AcceptOutcome::Joined(PairedDevice {
            name: crate::names::display_name(&req.name, true).to_owned(),
            fingerprint: fingerprint(&req.device),
        }))
    }

    fn pair_reply(
        &self,
        t: &dyn Transport,
        keys: &PairKeys,
        spaces: Vec<JoinedSpace>,
        declined: bool,
    ) -> Result<()> {
        let reply = JoinReply {
            v: PROTOCOL_VERSION,
            name: self.label(),
            spaces,
            declined,
        };
        t.rendezvous_post(
            &keys.reply_box,
            &RendezvousPost {
                v: PROTOCOL_VERSION,
                payload: Bytes(seal(&keys.reply, &encode(&reply))?),
            },
        )
        .map_err(transport)
    }

    /// On a new device: the code its screen shows for `offer`, the same
    /// one the offering device shows once this device's request reached it.
    pub fn pair_code(&self, offer: &Offer) -> PairCode {
        pair_code(offer, &self.keys.device_key(), &self.keys.wrap_key())
    }

    /// On a new device: reads an offer's text and leaves this device's join
    /// request in its mailbox. Returns the offer to wait on.
    pub fn pair_join_request(&mut self, t: &dyn Transport, offer_text: &str) -> Result<Offer> {
        let offer = Offer::from_text(offer_text).map_err(|_| Error::OutOfRange {
            field: "pairing code",
            expected: "the text shown by the other device, starting KINDRED1:",
        })?;
        if unix_now() > offer.expires_at {
            return Err(Error::PairingExpired);
        }
        let keys = pair_keys(&offer);
        let req = JoinRequest {
            v: PROTOCOL_VERSION,
            device: self.keys.device_key(),
            wrap_key: self.keys.wrap_key(),
            name: self.label(),
        };
        t.rendezvous_post(
            &offer.rendezvous.0,
            &RendezvousPost {
                v: PROTOCOL_VERSION,
                payload: Bytes(seal(&keys.join, &encode(&req))?),
            },
        )
        .map_err(|e| match e.code() {
            Some(ErrorCode::MailboxFull) => Error::PairingUsed,
            _ => transport(e),
        })?;
        Ok(offer)
    }

    /// On a new device: checks once for the answer. When it has come,
    /// creates the spaces here and syncs them.
    pub fn pair_join_finish(
        &mut self,
        t: &dyn Transport,
        offer: &Offer,
    ) -> Result<Option<PairedDevice>> {
        if unix_now() > offer.expires_at {
            return Err(Error::PairingExpired);
        }
        let keys = pair_keys(offer);
        let messages = t.rendezvous_take(&keys.reply_box).map_err(transport)?;
        let Some(reply) = messages
            .messages
            .iter()
            .find_map(|m| open(&keys.reply, &m.0).and_then(|b| decode::<JoinReply>(&b).ok()))
        else {
            return Ok(None);
        };
        if reply.declined {
            return Err(Error::PairingDeclined);
        }
        for s in &reply.spaces {
            let id = s.space.to_hex();
            if self.spaces.iter().any(|x| x.id == id) {
                continue;
            }
            let pin = super::JoinPin {
                len: s.log_len,
                head: s.head,
                by: offer.device,
            };
            self.add_joined_space(&id, SpaceKind::from_stored(&s.kind), None, pin)?;
        }
        // A space the relay served otherwise than pinned is refused (and
        // nothing of it kept): the person must hear of it, not only the
        // status screen. The others have synced by now.
        let report = self.sync(t)?;
        if let Some(f) = report
            .failed
            .into_iter()
            .find(|f| matches!(f.error, Error::JoinMismatch { .. }))
        {
            return Err(f.error);
        }
        Ok(Some(PairedDevice {
            name: crate::names::display_name(&reply.name, true).to_owned(),
            fingerprint: fingerprint(&offer.device),
        }))
    }
}
