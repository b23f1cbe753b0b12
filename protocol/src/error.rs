//! Typed errors: decoding and verification.

/// Why bytes did not decode into a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("message too large: {got} bytes, at most {max}")]
    TooLarge { got: usize, max: usize },
    #[error("message is not valid CBOR for this type")]
    Malformed,
    #[error("message has trailing bytes after its end")]
    TrailingBytes,
    #[error("unsupported protocol version {0}")]
    UnsupportedVersion(u16),
    #[error("field {field} too large: at most {max}")]
    FieldTooLarge { field: &'static str, max: usize },
}

/// Why a signed thing or a log chain did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("signature does not verify")]
    BadSignature,
    #[error("entry belongs to another space")]
    WrongSpace,
    #[error("log entry {got} does not follow entry {expected_prev}")]
    OutOfOrder { got: u64, expected_prev: u64 },
    #[error("log entry does not chain to the current head")]
    BrokenChain,
    #[error("the first log entry must be a genesis by its owner")]
    BadGenesis,
    #[error("the signer is not a member of the space")]
    NotMember,
    #[error("the signer's role does not allow this")]
    NotAllowed,
    #[error("unexpected epoch {got}, expected {expected}")]
    WrongEpoch { got: u32, expected: u32 },
    #[error("the new keys must be wrapped for exactly the remaining members")]
    KeysDoNotMatchMembers,
    #[error("the device is already a member")]
    AlreadyMember,
    #[error("the device was removed and cannot rejoin with the same key")]
    WasRemoved,
    #[error("the space must keep at least one owner")]
    LastOwner,
    #[error("the member already has that role")]
    SameRole,
    #[error("too many members: at most {0}")]
    TooManyMembers(usize),
    #[error("unsupported protocol version {0}")]
    UnsupportedVersion(u16),
    #[error("the space id is not the one its genesis entry makes")]
    SpaceIdMismatch,
    #[error(
        "the entry's removal bounds name a device twice, a device not in the space, or sequence 0"
    )]
    BadBounds,
    #[error("the device already uses that wrapping key")]
    SameWrapKey,
    #[error("removing one of the person's own devices needs a request first (or the recovery kit)")]
    RemovalNotAsked,
    #[error("a removal of that device is already waiting")]
    RemovalPending,
}
