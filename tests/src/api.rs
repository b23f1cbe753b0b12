//! A hand-written relay client for tests that check the wire itself.
#![allow(clippy::unwrap_used)]

use kindred_protocol::messages::*;
use kindred_protocol::*;
use ring::rand::SystemRandom;

use crate::signer::{Dev, wrapped};

/// A relay client that speaks the wire format by hand, as a test device
/// (or an attacker) would: raw requests, raw answers.
#[derive(Debug)]
pub struct RawApi {
    pub url: String,
    pub http: reqwest::blocking::Client,
}

/// A status and body.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Resp {
    /// The decoded body of a 2xx answer.
    pub fn ok<T: Message>(&self) -> T {
        assert!(
            (200..300).contains(&self.status),
            "status {}: {:?}",
            self.status,
            decode::<ErrorBody>(&self.body)
        );
        decode(&self.body).unwrap()
    }
    /// Asserts a typed refusal.
    pub fn err(&self, status: u16, code: ErrorCode) {
        let e = decode::<ErrorBody>(&self.body)
            .unwrap_or_else(|_| panic!("status {} untyped body", self.status));
        assert_eq!((self.status, e.code), (status, code), "{}", e.message);
    }
}

impl RawApi {
    /// A client of the relay at `url`.
    pub fn new(url: &str) -> RawApi {
        kindred_core::sync::install_tls_provider();
        RawApi {
            url: url.to_owned(),
            http: reqwest::blocking::Client::new(),
        }
    }
    pub fn send(&self, r: reqwest::blocking::RequestBuilder) -> Resp {
        let r = r.send().unwrap();
        Resp {
            status: r.status().as_u16(),
            body: r.bytes().unwrap().to_vec(),
        }
    }
    pub fn post(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> Resp {
        let mut r = self.http.post(format!("{}{path}", self.url)).body(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        self.send(r)
    }
    pub fn get(&self, path: &str, token: Option<&str>) -> Resp {
        let mut r = self.http.get(format!("{}{path}", self.url));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        self.send(r)
    }
    /// Uploads a snapshot of its space.
    pub fn put_snapshot(&self, token: &str, snap: &SnapshotEnvelope) -> Resp {
        self.send(
            self.http
                .put(format!("{}{}", self.url, path(snap.space, "snapshot")))
                .bearer_auth(token)
                .body(encode(&PutSnapshot {
                    v: PROTOCOL_VERSION,
                    snapshot: snap.clone(),
                })),
        )
    }

    /// A bearer token for `d`.
    pub fn token(&self, d: &Dev) -> String {
        let ch: Challenge = self
            .post(
                "/v1/auth/challenge",
                None,
                encode(&ChallengeRequest {
                    v: PROTOCOL_VERSION,
                    device: d.key(),
                }),
            )
            .ok();
        let origin = origin::canonical_origin(&self.url).unwrap();
        let sig = d.sign(&TokenRequest::signing_bytes(&d.key(), &ch.nonce, &origin));
        let t: Token = self
            .post(
                "/v1/auth/token",
                None,
                encode(&TokenRequest {
                    v: PROTOCOL_VERSION,
                    device: d.key(),
                    nonce: ch.nonce,
                    origin,
                    sig,
                }),
            )
            .ok();
        t.token
    }
    /// `by` asks to remove `device` (one of the person's own devices: the
    /// relay under test waits no time) at log position `seq` after `head`;
    /// returns the next position and head.
    #[allow(clippy::too_many_arguments)]
    pub fn ask_removal(
        &self,
        by: &Dev,
        tok: &str,
        space: SpaceId,
        seq: u64,
        head: Hash,
        device: &Dev,
    ) -> (u64, Hash) {
        let e = by.entry(
            space,
            seq,
            head,
            Action::ProposeRemoval {
                device: device.key(),
                lost: false,
                not_before: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0),
            },
        );
        let next = e.hash();
        let _: LogHead = self
            .post(
                &path(space, "log"),
                Some(tok),
                encode(&AppendLog {
                    v: PROTOCOL_VERSION,
                    entry: e,
                }),
            )
            .ok();
        (seq + 1, next)
    }

    /// A space owned by `d` (with `others` added), returning its id.
    pub fn space(&self, d: &Dev, tok: &str, others: &[&Dev]) -> SpaceId {
        let space = d.new_space();
        let g = d.genesis(space);
        let mut head = g.hash();
        let _: LogHead = self
            .post(
                "/v1/spaces",
                Some(tok),
                encode(&AppendLog {
                    v: PROTOCOL_VERSION,
                    entry: g,
                }),
            )
            .ok();
        for (i, o) in others.iter().enumerate() {
            let e = d.entry(
                space,
                i as u64 + 1,
                head,
                Action::AddDevice {
                    member: o.member(),
                    epoch: 1,
                    key: wrapped(),
                },
            );
            head = e.hash();
            let _: LogHead = self
                .post(
                    &path(space, "log"),
                    Some(tok),
                    encode(&AppendLog {
                        v: PROTOCOL_VERSION,
                        entry: e,
                    }),
                )
                .ok();
        }
        space
    }
}

/// A random space id: relays on PostgreSQL keep the spaces of earlier
/// runs, so ids must not repeat.
pub fn random_id() -> [u8; 16] {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 16];
    SystemRandom::new().fill(&mut b).unwrap();
    b
}

/// `/v1/spaces/{id}/{what}`.
pub fn path(space: SpaceId, what: &str) -> String {
    format!("/v1/spaces/{}/{what}", space.to_hex())
}

/// A push body.
pub fn push(envelopes: Vec<ChangeEnvelope>) -> Vec<u8> {
    encode(&Push {
        v: PROTOCOL_VERSION,
        envelopes,
    })
}
