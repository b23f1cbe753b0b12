//! A malicious-relay double for the attack tests: it forwards every call to
//! a real relay (the memory relay or a real one over HTTP) and lets a test
//! rewrite what pulls and log reads return, or watch mailbox posts. The
//! forwarding is written once here, so each attack writes only what it
//! changes.

use kindred_core::sync::{Transport, TransportError};
use kindred_protocol::SpaceId;
use kindred_protocol::messages::*;

/// What an attack changes; every hook defaults to honest.
pub trait Tamper {
    /// Rewrite a page of changes before the device sees it.
    fn pull(&self, _space: &SpaceId, page: PullPage) -> PullPage {
        page
    }
    /// Rewrite a page of the membership log before the device sees it.
    fn log(&self, _space: &SpaceId, page: LogPage) -> LogPage {
        page
    }
    /// See a mailbox message as it is posted (it is still delivered).
    fn rendezvous_post(&self, _id: &[u8; 16], _body: &RendezvousPost) {}
    /// Runs just before an erasure is forwarded (another device's write
    /// racing it, say).
    fn before_erase(&self, _space: &SpaceId) {}
}

/// `relay` with `tamper`'s changes: a [`Transport`] a device syncs through.
pub struct Tampered<'a, H> {
    pub relay: &'a dyn Transport,
    pub tamper: H,
}

impl<'a, H: Tamper> Tampered<'a, H> {
    pub fn new(relay: &'a dyn Transport, tamper: H) -> Self {
        Tampered { relay, tamper }
    }
}

impl<H> std::fmt::Debug for Tampered<'_, H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tampered")
    }
}

impl<H: Tamper> Transport for Tampered<'_, H> {
    fn origin(&self) -> String {
        self.relay.origin()
    }
    fn challenge(&self, req: &ChallengeRequest) -> Result<Challenge, TransportError> {
        self.relay.challenge(req)
    }
    fn token(&self, req: &TokenRequest) -> Result<Token, TransportError> {
        self.relay.token(req)
    }
    fn spaces(&self, token: &str) -> Result<SpaceList, TransportError> {
        self.relay.spaces(token)
    }
    fn create_space(&self, token: &str, body: &AppendLog) -> Result<LogHead, TransportError> {
        self.relay.create_space(token, body)
    }
    fn append_log(
        &self,
        token: &str,
        space: &SpaceId,
        body: &AppendLog,
    ) -> Result<LogHead, TransportError> {
        self.relay.append_log(token, space, body)
    }
    fn push(
        &self,
        token: &str,
        space: &SpaceId,
        body: &Push,
    ) -> Result<PushResult, TransportError> {
        self.relay.push(token, space, body)
    }
    fn pull(
        &self,
        token: &str,
        space: &SpaceId,
        after: u64,
        log_after: u64,
        limit: u32,
    ) -> Result<PullPage, TransportError> {
        let page = self.relay.pull(token, space, after, log_after, limit)?;
        Ok(self.tamper.pull(space, page))
    }
    fn log(&self, token: &str, space: &SpaceId, after: u64) -> Result<LogPage, TransportError> {
        let page = self.relay.log(token, space, after)?;
        Ok(self.tamper.log(space, page))
    }
    fn put_snapshot(
        &self,
        token: &str,
        space: &SpaceId,
        body: &PutSnapshot,
    ) -> Result<(), TransportError> {
        self.relay.put_snapshot(token, space, body)
    }
    fn ack(&self, token: &str, space: &SpaceId, body: &AckCursor) -> Result<(), TransportError> {
        self.relay.ack(token, space, body)
    }
    fn erase(
        &self,
        token: &str,
        space: &SpaceId,
        body: &EraseSpace,
    ) -> Result<LogHead, TransportError> {
        self.tamper.before_erase(space);
        self.relay.erase(token, space, body)
    }
    fn rendezvous_post(&self, id: &[u8; 16], body: &RendezvousPost) -> Result<(), TransportError> {
        self.tamper.rendezvous_post(id, body);
        self.relay.rendezvous_post(id, body)
    }
    fn rendezvous_take(&self, id: &[u8; 16]) -> Result<RendezvousMessages, TransportError> {
        self.relay.rendezvous_take(id)
    }
}
