//! The relay's part in removing one of the person's own devices: the
//! clock.
//!
//! Devices check everything a log entry says (who asked, who confirmed,
//! whether the kit signed) as they verify the log; what they cannot check
//! is when an entry arrived. A device that asks to remove another of the
//! person's devices names a time (`not_before`) and may carry the removal
//! out alone only after it, so that a stolen phone cannot remove the
//! person's other devices before they see the request and cancel it. The
//! relay holds both ends to its own clock: a request must wait at least
//! [`crate::Config::removal_wait`], and the removal is refused before
//! that time. A relay that colludes with a thief can skip the wait; the
//! threat model (docs/threat-model.md) says what then still holds.

use std::time::Duration;

use kindred_protocol::log::RemovedBy;
use kindred_protocol::messages::ErrorCode;
use kindred_protocol::{Action, LogEntry, Membership};

use crate::error::ApiError;

/// Three days: long enough for a person who opens Kindred now and then
/// to see the request on another device and cancel it.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(3 * 24 * 3600);

/// Clocks differ: a request may name a time this much earlier than the
/// relay's reckoning.
pub const CLOCK_SLACK_SECS: u64 = 300;

/// The longest wait a request may name (a removal that never comes due
/// would hold the device's slot for nothing).
pub const LONGEST_WAIT_SECS: u64 = 30 * 24 * 3600;

/// Refuses a removal request that waits less than `wait`, and a removal
/// the proposer alone carries out before its time. `m` is the membership
/// the entry follows.
pub fn check_time(
    m: &Membership,
    entry: &LogEntry,
    now: u64,
    wait: Duration,
) -> Result<(), ApiError> {
    match &entry.action {
        Action::ProposeRemoval { not_before, .. } => {
            let earliest = now.saturating_add(wait.as_secs());
            if not_before.saturating_add(CLOCK_SLACK_SECS) < earliest {
                return Err(ApiError::new(
                    ErrorCode::WaitNotOver,
                    format!(
                        "a request to remove one of the person's own devices waits at least {} hours on this server",
                        wait.as_secs() / 3600
                    ),
                ));
            }
            if *not_before > now.saturating_add(LONGEST_WAIT_SECS) {
                return Err(ApiError::new(
                    ErrorCode::InvalidEntry,
                    "a removal request may wait at most 30 days",
                ));
            }
            Ok(())
        }
        Action::RemoveDevice { device, lost, .. } => {
            match m.removal_allowed(&entry.author, device, *lost) {
                Ok(RemovedBy::Waited { not_before }) if now < not_before => Err(ApiError::new(
                    ErrorCode::WaitNotOver,
                    "the wait before this removal is not over yet; another of the person's devices may still cancel it",
                )),
                // Anything else the log check decides.
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}
