//! Sizes and counts the protocol allows. Both sides enforce them: the
//! server rejects larger requests with a typed error, devices never build
//! them, and every decoder checks them.

/// Largest ciphertext in one change envelope.
pub const MAX_ENVELOPE_CIPHERTEXT: usize = 256 * 1024;
/// Most envelopes in one push.
pub const MAX_PUSH_ENVELOPES: usize = 256;
/// Largest request or response body, except snapshots.
pub const MAX_BODY: usize = 8 * 1024 * 1024;
/// Largest snapshot ciphertext.
pub const MAX_SNAPSHOT_CIPHERTEXT: usize = 32 * 1024 * 1024;
/// Largest body carrying a snapshot (upload or a pull page).
pub const MAX_SNAPSHOT_BODY: usize = MAX_SNAPSHOT_CIPHERTEXT + 64 * 1024;
/// Most members (devices) in one space.
pub const MAX_MEMBERS: usize = 64;
/// Largest wrapped key (HPKE encapsulation plus sealed key).
pub const MAX_WRAPPED_KEY: usize = 2048;
/// Largest sealed device label in a log entry.
pub const MAX_SEALED_LABEL: usize = 512;
/// Largest sealed erasure note (`Action::Erase::note`): when, which kinds
/// of record, why; never what they said.
pub const MAX_ERASE_NOTE: usize = 1024;
/// Most changes in one pull page.
pub const MAX_PULL_CHANGES: usize = 2000;
/// Largest rendezvous message.
pub const MAX_RENDEZVOUS_PAYLOAD: usize = 4 * 1024;
/// Most messages waiting in one rendezvous mailbox.
pub const MAX_RENDEZVOUS_MESSAGES: usize = 8;
/// Seconds a rendezvous mailbox lives.
pub const RENDEZVOUS_TTL_SECS: u64 = 600;
/// Seconds a bearer token lives.
pub const TOKEN_TTL_SECS: u64 = 900;
/// Seconds an auth challenge lives.
pub const CHALLENGE_TTL_SECS: u64 = 120;
/// Most open challenges one device may hold on a relay (older ones are
/// dropped when it asks for another).
pub const MAX_OPEN_CHALLENGES_PER_DEVICE: u64 = 4;
/// Device chain heads a snapshot lists (every device that ever wrote).
pub const MAX_SNAPSHOT_HEADS: usize = 4096;
