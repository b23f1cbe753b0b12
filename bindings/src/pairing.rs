//! Pairing a person's own devices in the same room (QR code), in the
//! steps the two screens show: the existing device makes an offer and
//! waits for a request; both screens then show the same short code, and
//! the existing device adds the new one only after its person says yes
//! (`pair_answer`). A photo of the QR code is therefore not enough to
//! join: the stranger's request shows a code the person's own new device
//! does not, and she says "Not my device".

use std::time::Duration;

use kindred_core::sync::{AcceptOutcome, PairCode, parse_offer};

use crate::error::{FfiResult, KindredError};
use crate::kindred::{Kindred, exclusive, transport};
use crate::records::PeerRecord;
use crate::runtime::poll;

/// The code both screens show while pairing.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PairCodeRecord {
    /// Six digits, shown as `123 456`.
    pub digits: String,
    /// Four emoji.
    pub emoji: Vec<String>,
}

impl From<PairCode> for PairCodeRecord {
    fn from(c: PairCode) -> Self {
        PairCodeRecord {
            digits: c.digits,
            emoji: c.emoji,
        }
    }
}

/// A new device asking to join: shown with its code, waiting for a yes.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PairRequestRecord {
    pub name: String,
    pub fingerprint: String,
    pub code: PairCodeRecord,
}

#[uniffi::export]
impl Kindred {
    /// Makes a one-time offer for the QR code; valid for `ttl_secs`.
    pub fn pair_offer(&self, ttl_secs: u64) -> FfiResult<String> {
        self.with(|k| {
            let server = k.server()?.ok_or_else(|| KindredError::Sync {
                message: "set a sync server before pairing".into(),
            })?;
            Ok(k.pair_offer(&server, Duration::from_secs(ttl_secs))?
                .to_text())
        })
    }

    /// Waits (up to `timeout_secs`) for a new device to ask to join with
    /// an offer. Adds no one: show the request's code and ask the person,
    /// then call [`Kindred::pair_answer`].
    pub async fn pair_wait(
        &self,
        offer: String,
        timeout_secs: u64,
    ) -> FfiResult<PairRequestRecord> {
        let offer = parse_offer(&offer)?;
        let inner = self.inner.clone();
        poll(
            timeout_secs,
            "no device asked to join in time; no one was added",
            move || {
                exclusive(&inner, |k| {
                    let t = transport(k)?;
                    Ok(match k.pair_accept(&t, &offer)? {
                        AcceptOutcome::Asking(r) => Some(PairRequestRecord {
                            name: r.name,
                            fingerprint: r.fingerprint,
                            code: r.code.into(),
                        }),
                        _ => None,
                    })
                })
            },
        )
        .await
    }

    /// The person's answer to the request [`Kindred::pair_wait`] showed:
    /// `yes` adds the device to every space and returns it; no (the
    /// person said "Not my device") adds no one, tells the new device so,
    /// and returns nothing.
    pub async fn pair_answer(&self, offer: String, yes: bool) -> FfiResult<Option<PeerRecord>> {
        let offer = parse_offer(&offer)?;
        self.run(move |k| {
            let t = transport(k)?;
            Ok(match k.pair_confirm(&t, &offer, yes)? {
                AcceptOutcome::Joined(d) => Some(PeerRecord {
                    name: d.name,
                    fingerprint: d.fingerprint,
                    space: None,
                    role: None,
                }),
                _ => None,
            })
        })
        .await
    }

    /// On a device made with `init_joining`: asks to join with the offer
    /// text (from the QR code) and returns the code this screen shows;
    /// the other device shows the same one. Then [`Kindred::pair_join_wait`].
    pub async fn pair_join_request(&self, offer: String) -> FfiResult<PairCodeRecord> {
        let server = kindred_core::sync::offer_server(&offer)?;
        self.run(move |k| {
            k.set_server(&server)?;
            let t = transport(k)?;
            let seen = k.pair_join_request(&t, &offer)?;
            Ok(k.pair_code(&seen).into())
        })
        .await
    }

    /// After [`Kindred::pair_join_request`]: waits up to `timeout_secs`
    /// for the other device's person to say yes, then syncs. Fails if she
    /// said no, or if the sync server served other spaces than the ones
    /// the other device added this one to.
    pub async fn pair_join_wait(&self, offer: String, timeout_secs: u64) -> FfiResult<PeerRecord> {
        let seen = parse_offer(&offer)?;
        let inner = self.inner.clone();
        let joined = poll(
            timeout_secs,
            "the other device did not answer in time",
            move || {
                exclusive(&inner, |k| {
                    let t = transport(k)?;
                    Ok(k.pair_join_finish(&t, &seen)?.map(|d| PeerRecord {
                        name: d.name,
                        fingerprint: d.fingerprint,
                        space: None,
                        role: None,
                    }))
                })
            },
        )
        .await?;
        Self::notify_synced(&self.listeners, 1);
        Ok(joined)
    }
}
