//! Encoding and strict decoding of wire messages (CBOR).
//!
//! `decode` refuses bodies over the message's size limit before parsing,
//! bytes left over after the message, versions other than
//! [`crate::PROTOCOL_VERSION`], and fields over their limits.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::PROTOCOL_VERSION;
use crate::error::DecodeError;
use crate::limits::*;
use crate::log::{Action, LogEntry};
use crate::messages::*;
use crate::{ChangeEnvelope, SnapshotEnvelope};

/// A message that travels on the wire.
pub trait Message: Serialize + DeserializeOwned {
    /// Largest encoded size accepted.
    const MAX_BYTES: usize = MAX_BODY;
    /// The version field.
    fn version(&self) -> u16;
    /// Field limits beyond what the types guarantee.
    fn check(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// Encodes a message.
pub fn encode<T: Message>(m: &T) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail for these types.
    let _ = ciborium::ser::into_writer(m, &mut out);
    out
}

/// Decodes a message strictly.
pub fn decode<T: Message>(bytes: &[u8]) -> Result<T, DecodeError> {
    if bytes.len() > T::MAX_BYTES {
        return Err(DecodeError::TooLarge {
            got: bytes.len(),
            max: T::MAX_BYTES,
        });
    }
    let mut rest = bytes;
    let m: T = ciborium::de::from_reader(&mut rest).map_err(|_| DecodeError::Malformed)?;
    if !rest.is_empty() {
        return Err(DecodeError::TrailingBytes);
    }
    if m.version() != PROTOCOL_VERSION {
        return Err(DecodeError::UnsupportedVersion(m.version()));
    }
    m.check()?;
    Ok(m)
}

fn limit(field: &'static str, len: usize, max: usize) -> Result<(), DecodeError> {
    if len > max {
        return Err(DecodeError::FieldTooLarge { field, max });
    }
    Ok(())
}

pub(crate) fn check_envelope(e: &ChangeEnvelope) -> Result<(), DecodeError> {
    if e.v != PROTOCOL_VERSION {
        return Err(DecodeError::UnsupportedVersion(e.v));
    }
    limit("ciphertext", e.ciphertext.0.len(), MAX_ENVELOPE_CIPHERTEXT)
}

pub(crate) fn check_snapshot(s: &SnapshotEnvelope) -> Result<(), DecodeError> {
    if s.v != PROTOCOL_VERSION {
        return Err(DecodeError::UnsupportedVersion(s.v));
    }
    limit("snapshot", s.ciphertext.0.len(), MAX_SNAPSHOT_CIPHERTEXT)?;
    limit("heads", s.heads.len(), crate::limits::MAX_SNAPSHOT_HEADS)
}

pub(crate) fn check_entry(e: &LogEntry) -> Result<(), DecodeError> {
    if e.v != PROTOCOL_VERSION {
        return Err(DecodeError::UnsupportedVersion(e.v));
    }
    let wrapped = |k: &crate::log::WrappedKey| {
        limit(
            "wrapped key",
            k.enc.0.len() + k.ciphertext.0.len(),
            MAX_WRAPPED_KEY,
        )
    };
    if let Action::Erase { note, .. } = &e.action {
        limit("note", note.0.len(), crate::limits::MAX_ERASE_NOTE)?;
    }
    match &e.action {
        Action::RotateWrapKey { .. }
        | Action::ProposeRemoval { .. }
        | Action::CancelRemoval { .. } => Ok(()),
        Action::Genesis {
            nonce, owner, key, ..
        } => {
            if nonce.0.len() != crate::log::SPACE_NONCE_LEN {
                return Err(DecodeError::FieldTooLarge {
                    field: "nonce",
                    max: crate::log::SPACE_NONCE_LEN,
                });
            }
            limit("label", owner.sealed_label.0.len(), MAX_SEALED_LABEL)?;
            wrapped(key)
        }
        Action::AddDevice { member, key, .. } => {
            limit("label", member.sealed_label.0.len(), MAX_SEALED_LABEL)?;
            wrapped(key)
        }
        Action::RemoveDevice { keys, bounds, .. }
        | Action::Rotate { keys, bounds, .. }
        | Action::Erase { keys, bounds, .. }
        | Action::SetRole { keys, bounds, .. } => {
            limit("keys", keys.len(), MAX_MEMBERS)?;
            limit("bounds", bounds.len(), MAX_MEMBERS)?;
            keys.iter().try_for_each(|k| {
                limit("label", k.sealed_label.0.len(), MAX_SEALED_LABEL)?;
                wrapped(&k.key)
            })
        }
    }
}

macro_rules! message {
    ($t:ty) => {
        impl Message for $t {
            fn version(&self) -> u16 {
                self.v
            }
        }
    };
    ($t:ty, max = $max:expr, check = |$m:ident| $body:expr) => {
        impl Message for $t {
            const MAX_BYTES: usize = $max;
            fn version(&self) -> u16 {
                self.v
            }
            fn check(&self) -> Result<(), DecodeError> {
                let $m = self;
                $body
            }
        }
    };
}

message!(ChallengeRequest);
message!(Challenge);
message!(
    TokenRequest,
    max = 4096,
    check = |m| limit("origin", m.origin.len(), crate::origin::MAX_URL)
);
message!(Token);
message!(LogHead);
message!(PushResult);
message!(AckCursor);
message!(Hint);
message!(ErrorBody);
message!(
    AppendLog,
    max = 64 * 1024,
    check = |m| check_entry(&m.entry)
);
message!(
    Push,
    max = MAX_BODY,
    check = |m| {
        limit("envelopes", m.envelopes.len(), MAX_PUSH_ENVELOPES)?;
        m.envelopes.iter().try_for_each(check_envelope)
    }
);
message!(
    Exchange,
    max = MAX_BODY,
    check = |m| {
        limit("envelopes", m.envelopes.len(), MAX_PUSH_ENVELOPES)?;
        limit("limit", m.limit as usize, MAX_PULL_CHANGES)?;
        m.envelopes.iter().try_for_each(check_envelope)
    }
);
message!(
    ExchangeResult,
    max = MAX_SNAPSHOT_BODY + 2 * MAX_BODY,
    check = |m| {
        limit("acks", m.acks.len(), MAX_PUSH_ENVELOPES)?;
        m.page.check()
    }
);
message!(
    PutSnapshot,
    max = MAX_SNAPSHOT_BODY,
    check = |m| check_snapshot(&m.snapshot)
);
message!(
    EraseSpace,
    max = MAX_SNAPSHOT_BODY + 64 * 1024,
    check = |m| {
        check_entry(&m.entry)?;
        check_snapshot(&m.snapshot)
    }
);
message!(
    PullPage,
    max = MAX_SNAPSHOT_BODY + MAX_BODY,
    check = |m| {
        limit("changes", m.changes.len(), MAX_PULL_CHANGES)?;
        m.log.iter().try_for_each(check_entry)?;
        if let Some(s) = &m.snapshot {
            check_snapshot(s)?;
        }
        m.changes
            .iter()
            .try_for_each(|c| check_envelope(&c.envelope))
    }
);
message!(
    SpaceList,
    max = MAX_BODY,
    check = |m| limit("spaces", m.spaces.len(), 4096)
);
message!(
    LogPage,
    max = MAX_BODY,
    check = |m| m.entries.iter().try_for_each(check_entry)
);
message!(
    RendezvousPost,
    max = MAX_RENDEZVOUS_PAYLOAD + 64,
    check = |m| limit("payload", m.payload.0.len(), MAX_RENDEZVOUS_PAYLOAD)
);
message!(
    RendezvousMessages,
    max = (MAX_RENDEZVOUS_PAYLOAD + 16) * MAX_RENDEZVOUS_MESSAGES + 64,
    check = |m| {
        limit("messages", m.messages.len(), MAX_RENDEZVOUS_MESSAGES)?;
        m.messages
            .iter()
            .try_for_each(|p| limit("payload", p.0.len(), MAX_RENDEZVOUS_PAYLOAD))
    }
);

impl Message for LogEntry {
    const MAX_BYTES: usize = 64 * 1024;
    fn version(&self) -> u16 {
        self.v
    }
    fn check(&self) -> Result<(), DecodeError> {
        check_entry(self)
    }
}

impl Message for ChangeEnvelope {
    const MAX_BYTES: usize = MAX_ENVELOPE_CIPHERTEXT + 1024;
    fn version(&self) -> u16 {
        self.v
    }
    fn check(&self) -> Result<(), DecodeError> {
        check_envelope(self)
    }
}

impl Message for SnapshotEnvelope {
    const MAX_BYTES: usize = MAX_SNAPSHOT_BODY;
    fn version(&self) -> u16 {
        self.v
    }
    fn check(&self) -> Result<(), DecodeError> {
        check_snapshot(self)
    }
}
