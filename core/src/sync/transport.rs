//! How a device reaches the relay: a trait, so tests can swap the network
//! for something in memory, and the HTTP implementation.

use kindred_protocol::messages::*;
use kindred_protocol::{DecodeError, SpaceId};

/// Why a request did not get the answer asked for.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// No answer: offline, server down, timeout. Worth retrying later.
    #[error("the server could not be reached")]
    Unreachable,
    /// The server refused the request with a typed error.
    #[error("the server refused the request ({code:?}): {message}")]
    Rejected {
        status: u16,
        code: ErrorCode,
        message: String,
    },
    /// The server's answer did not decode.
    #[error("the server's answer could not be read: {0}")]
    BadAnswer(#[from] DecodeError),
    /// The address is not one this device will use (nothing was sent).
    #[error("{0}")]
    Address(#[from] super::RelayAddressError),
}

impl TransportError {
    /// The server's error code, if it refused the request.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            TransportError::Rejected { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// The relay's API (docs/protocol.md), one method per endpoint.
pub trait Transport {
    /// The relay's canonical origin as this device knows it
    /// (`kindred_protocol::origin`): what sign-ins are bound to.
    fn origin(&self) -> String;
    fn challenge(&self, req: &ChallengeRequest) -> Result<Challenge, TransportError>;
    fn token(&self, req: &TokenRequest) -> Result<Token, TransportError>;
    /// The spaces this device is a member of.
    fn spaces(&self, token: &str) -> Result<SpaceList, TransportError>;
    fn create_space(&self, token: &str, body: &AppendLog) -> Result<LogHead, TransportError>;
    fn append_log(
        &self,
        token: &str,
        space: &SpaceId,
        body: &AppendLog,
    ) -> Result<LogHead, TransportError>;
    fn push(&self, token: &str, space: &SpaceId, body: &Push)
    -> Result<PushResult, TransportError>;
    fn pull(
        &self,
        token: &str,
        space: &SpaceId,
        after: u64,
        log_after: u64,
        limit: u32,
    ) -> Result<PullPage, TransportError>;
    /// The membership log from position `after` (also for removed devices).
    fn log(&self, token: &str, space: &SpaceId, after: u64) -> Result<LogPage, TransportError>;
    fn put_snapshot(
        &self,
        token: &str,
        space: &SpaceId,
        body: &PutSnapshot,
    ) -> Result<(), TransportError>;
    fn ack(&self, token: &str, space: &SpaceId, body: &AckCursor) -> Result<(), TransportError>;
    /// Push, acknowledge and pull in one round trip (issue 17). Relays
    /// (and test doubles) without the endpoint get the three requests.
    fn exchange(
        &self,
        token: &str,
        space: &SpaceId,
        body: &Exchange,
    ) -> Result<ExchangeResult, TransportError> {
        let acks = if body.envelopes.is_empty() {
            Vec::new()
        } else {
            self.push(
                token,
                space,
                &Push {
                    v: body.v,
                    envelopes: body.envelopes.clone(),
                },
            )?
            .acks
        };
        let page = self.pull(token, space, body.after, body.log_after, body.limit)?;
        if body.after > 0 && body.after <= page.head_seq {
            self.ack(
                token,
                space,
                &AckCursor {
                    v: body.v,
                    server_seq: body.after,
                },
            )?;
        }
        Ok(ExchangeResult {
            v: body.v,
            acks,
            page,
        })
    }
    /// An erasure: the `Erase` entry with its history-free snapshot.
    fn erase(
        &self,
        token: &str,
        space: &SpaceId,
        body: &EraseSpace,
    ) -> Result<LogHead, TransportError>;
    fn rendezvous_post(&self, id: &[u8; 16], body: &RendezvousPost) -> Result<(), TransportError>;
    fn rendezvous_take(&self, id: &[u8; 16]) -> Result<RendezvousMessages, TransportError>;
}
