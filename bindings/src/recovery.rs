//! The recovery kit and removing the person's own devices (issue 16) for
//! the apps: thin conversions over `kindred_core::recovery` and
//! `kindred_core::sync::removal`.
//!
//! Kit words cross the FFI as plain strings (the screen shows them once,
//! or the person types them); the core wipes its copies when done.

use kindred_core::recovery::{KitShare, RecoveryKit};

use crate::error::FfiResult;
use crate::kindred::{Kindred, transport};

/// A new kit, to show once: its words, the QR text, and (when split) the
/// three shares as printed.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NewKitRecord {
    /// The 12 words, separated by spaces.
    pub words: String,
    /// What the QR code holds.
    pub qr_text: String,
    /// "share 1 of 3: …", when split; else empty.
    pub shares: Vec<String>,
    /// The kinds of the spaces it brings back.
    pub spaces: Vec<String>,
    /// An old kit stops working only after the wait (replaced without its words).
    pub old_kit_waits: bool,
}

/// Whether the person has a kit, and where.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct KitStatusRecord {
    pub has_kit: bool,
    pub spaces: Vec<String>,
    pub missing: Vec<String>,
    pub old_kit_waits: bool,
}

/// What asking to remove a device did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RemovalRecord {
    pub name: String,
    pub fingerprint: String,
    /// False while it waits for the wait or a second device.
    pub removed: bool,
    /// RFC 3339, when it happens unless cancelled.
    pub waits_until: Option<String>,
    pub lost: bool,
}

/// A removal that waits.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PendingRemovalRecord {
    pub name: String,
    pub fingerprint: String,
    pub asked_by: String,
    pub asked_here: bool,
    pub this_device: bool,
    pub kit: bool,
    pub lost: bool,
    /// RFC 3339.
    pub not_before: String,
}

/// One removal of the person's devices, as the log shows it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RemovalHistoryRecord {
    pub name: String,
    pub fingerprint: String,
    pub by: String,
    /// kit, confirmed, waited.
    pub how: String,
    pub lost: bool,
    pub waited_until: Option<String>,
    /// RFC 3339, by the remover's clock, when it said.
    pub at: Option<String>,
}

/// This device was removed and keeps a locked copy.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LockedCopyRecord {
    pub spaces: Vec<String>,
    pub removed_by: String,
}

/// What restoring brought back.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RestoredRecord {
    pub spaces: Vec<String>,
    pub removed_devices: u32,
}

fn rfc3339(unix: u64) -> String {
    let secs = i64::try_from(unix).unwrap_or(i64::MAX);
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// A kit from its words, or from shares ("2: word …"), one per entry.
fn kit_of(words: Option<String>, shares: Vec<String>) -> FfiResult<RecoveryKit> {
    match words {
        Some(w) => Ok(RecoveryKit::from_words(&w)?),
        None => {
            let parsed = shares
                .iter()
                .map(|s| KitShare::from_text(s))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(RecoveryKit::from_shares(&parsed)?)
        }
    }
}

/// Checks words typed as a kit, without using them: a typed error that
/// says which word (by position) or that the checksum failed.
#[uniffi::export]
pub fn check_kit_words(words: String) -> FfiResult<()> {
    RecoveryKit::from_words(&words)?;
    Ok(())
}

/// Checks one typed share ("2: word …").
#[uniffi::export]
pub fn check_kit_share(share: String) -> FfiResult<u8> {
    Ok(KitShare::from_text(&share)?.number())
}

fn removal(r: kindred_core::sync::RemovedDevice) -> RemovalRecord {
    RemovalRecord {
        name: r.name,
        fingerprint: r.fingerprint,
        removed: r.removed,
        waits_until: r.waits_until.map(rfc3339),
        lost: r.lost,
    }
}

#[uniffi::export]
impl Kindred {
    /// Makes a recovery kit (replacing an older one: at once with its
    /// words, else after the wait). `split`: also the 2-of-3 shares.
    pub async fn create_recovery_kit(
        &self,
        old_words: Option<String>,
        split: bool,
    ) -> FfiResult<NewKitRecord> {
        self.run(move |k| {
            let old = old_words.map(|w| RecoveryKit::from_words(&w)).transpose()?;
            let t = transport(k)?;
            let kit = k.create_recovery_kit(&t, old.as_ref())?;
            let status = k.recovery_kit_status()?;
            let shares = if split {
                kit.split()?
                    .iter()
                    .map(|s| s.text().as_str().to_owned())
                    .collect()
            } else {
                Vec::new()
            };
            Ok(NewKitRecord {
                words: kit.words().as_str().to_owned(),
                qr_text: kit.qr_text().as_str().to_owned(),
                shares,
                spaces: status.spaces,
                old_kit_waits: status.old_kit_waits,
            })
        })
        .await
    }

    pub fn recovery_kit_status(&self) -> FfiResult<KitStatusRecord> {
        self.with(|k| {
            let s = k.recovery_kit_status()?;
            Ok(KitStatusRecord {
                has_kit: s.has_kit,
                spaces: s.spaces,
                missing: s.missing,
                old_kit_waits: s.old_kit_waits,
            })
        })
    }

    /// On a device made with `create_joining` and given a server: brings
    /// everything back with the kit (its words, or two shares), removing
    /// the old devices as lost unless `keep_old_devices`.
    pub async fn restore_from_kit(
        &self,
        server: String,
        words: Option<String>,
        shares: Vec<String>,
        keep_old_devices: bool,
    ) -> FfiResult<RestoredRecord> {
        let kit = kit_of(words, shares)?;
        let r = self
            .run(move |k| {
                k.set_server(&server)?;
                let t = transport(k)?;
                Ok(k.restore_from_kit(&t, &kit, !keep_old_devices)?)
            })
            .await?;
        Self::notify_synced(&self.listeners, 1);
        Ok(RestoredRecord {
            spaces: r.spaces,
            removed_devices: u32::try_from(r.removed_devices).unwrap_or(u32::MAX),
        })
    }

    /// Removes a device (a lost phone): at once for someone else's; for
    /// one of the person's own, when another of hers confirms it or after
    /// the wait (`removed` false, `waits_until`). `lost`: it wipes its
    /// copy when it next connects.
    pub async fn remove_device(&self, fingerprint: String, lost: bool) -> FfiResult<RemovalRecord> {
        self.run(move |k| {
            let t = transport(k)?;
            Ok(removal(k.remove_device(&t, &fingerprint, lost)?))
        })
        .await
    }

    /// Removes a device at once, signed by the recovery kit.
    pub async fn remove_device_with_kit(
        &self,
        words: String,
        fingerprint: String,
        lost: bool,
    ) -> FfiResult<RemovalRecord> {
        let kit = RecoveryKit::from_words(&words)?;
        self.run(move |k| {
            let t = transport(k)?;
            Ok(removal(k.remove_with_kit(&t, &kit, &fingerprint, lost)?))
        })
        .await
    }

    pub fn pending_removals(&self) -> FfiResult<Vec<PendingRemovalRecord>> {
        self.with(|k| {
            Ok(k.pending_removals()?
                .into_iter()
                .map(|p| PendingRemovalRecord {
                    name: p.name,
                    fingerprint: p.fingerprint,
                    asked_by: p.asked_by,
                    asked_here: p.asked_here,
                    this_device: p.this_device,
                    kit: p.kit,
                    lost: p.lost,
                    not_before: rfc3339(p.not_before),
                })
                .collect())
        })
    }

    /// Cancels a waiting removal of `fingerprint`.
    pub async fn cancel_removal(&self, fingerprint: String) -> FfiResult<()> {
        self.run(move |k| {
            let t = transport(k)?;
            k.cancel_removal(&t, &fingerprint)?;
            Ok(())
        })
        .await
    }

    pub fn removal_history(&self) -> FfiResult<Vec<RemovalHistoryRecord>> {
        self.with(|k| {
            Ok(k.removal_history()?
                .into_iter()
                .map(|r| RemovalHistoryRecord {
                    name: r.name,
                    fingerprint: r.fingerprint,
                    by: r.by,
                    how: r.how,
                    lost: r.lost,
                    waited_until: r.waited_until.map(rfc3339),
                    at: r.at.map(rfc3339),
                })
                .collect())
        })
    }

    /// This device's copy, kept locked after it was removed (not as lost).
    pub fn locked_copy(&self) -> FfiResult<Option<LockedCopyRecord>> {
        self.with(|k| {
            Ok(k.locked_copy()?.map(|l| LockedCopyRecord {
                spaces: l.spaces,
                removed_by: l.removed_by,
            }))
        })
    }

    /// How long this device's requests to remove one of the person's
    /// devices wait, in seconds (3 days unless a relay's policy differs;
    /// the relay refuses less than its own).
    pub fn set_removal_wait(&self, secs: u64) -> FfiResult<()> {
        self.with(|k| {
            k.set_removal_wait(std::time::Duration::from_secs(secs));
            Ok(())
        })
    }

    /// Deletes the locked copy for good.
    pub fn erase_locked_copy(&self) -> FfiResult<u32> {
        self.with(|k| Ok(u32::try_from(k.erase_locked_copy()?).unwrap_or(u32::MAX)))
    }
}
