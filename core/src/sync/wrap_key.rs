//! Rotating this device's own wrapping key (issue 13).
//!
//! A device's X25519 wrapping key receives every later epoch key. If it
//! may have leaked (a backup restored somewhere, a worry), the device makes
//! a new one and appends `RotateWrapKey` (signed by itself) to every space
//! it is in: from then on owners wrap new epoch keys to the new key. The
//! new seed is stored, and the old one kept as retired, before anything is
//! sent, so an epoch key wrapped to either still opens and a crash between
//! the two steps loses nothing; rotating again finishes what was left.

use kindred_protocol::Action;
use serde::Serialize;

use super::membership::Step;
use super::transport::Transport;
use crate::crypto::DeviceKeys;
use crate::error::{Error, Result};
use crate::kindred::{Kindred, RETIRED_WRAP_SEEDS, SIGNING_KEY, WRAP_SEED};

/// What rotating the wrapping key did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RotatedWrapKey {
    /// The new wrapping key's first 16 hex digits.
    pub fingerprint: String,
    /// Kinds of the spaces told of it.
    pub spaces: Vec<String>,
}

impl Kindred {
    /// Replaces this device's wrapping key and tells every space it is in
    /// (one signed log entry each). Later epoch keys are wrapped to the new
    /// key; the old one is kept only to open what was wrapped to it.
    pub fn rotate_wrap_key(&mut self, t: &dyn Transport) -> Result<RotatedWrapKey> {
        let signing = self.store.key(SIGNING_KEY)?.ok_or(Error::DatabaseDamaged)?;
        let old = self.store.key(WRAP_SEED)?.ok_or(Error::DatabaseDamaged)?;
        let mut retired = self.store.key(RETIRED_WRAP_SEEDS)?.unwrap_or_default();
        retired.extend_from_slice(&old);
        let seed = DeviceKeys::new_wrap_seed()?;
        let keys = DeviceKeys::load(&signing, &seed)?.with_retired(&retired)?;
        let tx = self.store.begin()?;
        tx.put_key(RETIRED_WRAP_SEEDS, &retired)?;
        tx.put_key(WRAP_SEED, &seed)?;
        tx.commit()?;
        self.keys = keys;
        self.announce_wrap_key(t)
    }

    /// Appends this device's current wrapping key to every space whose log
    /// still names another one for it.
    pub(crate) fn announce_wrap_key(&mut self, t: &dyn Transport) -> Result<RotatedWrapKey> {
        let me = self.keys.device_key();
        let wrap_key = self.keys.wrap_key();
        let ids: Vec<(String, String)> = self
            .spaces
            .iter()
            .map(|s| (s.id.clone(), s.kind.as_str().to_owned()))
            .collect();
        let mut spaces = Vec::new();
        for (space, kind) in ids {
            if !self
                .membership_of(&space)?
                .is_some_and(|m| m.members.contains_key(&me))
            {
                continue;
            }
            let appended = self.append_to_log(t, &space, |_, m| {
                Ok(match m.members.get(&me) {
                    Some(x) if x.wrap_key != wrap_key => {
                        Step::Append(Action::RotateWrapKey { wrap_key })
                    }
                    _ => Step::Done,
                })
            })?;
            if appended {
                spaces.push(kind);
            }
        }
        Ok(RotatedWrapKey {
            fingerprint: wrap_key.to_hex().chars().take(16).collect(),
            spaces,
        })
    }
}
