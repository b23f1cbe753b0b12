//! Delete forever (issue 14): a check-in, a goal, a comment, a contact
//! with their notes, everything shared with someone, everything.
//!
//! Each call deletes here at once and marks the spaces that start afresh
//! (`kindred_core::erase`); then, like the CLI, it syncs once so the
//! erasure reaches the relay now if it can. The record it returns says
//! where the words are gone from: only this device (nothing was ever
//! synced), this device and the relay (other devices follow as they
//! sync), or this device, with the relay and the other devices at the
//! next sync (the relay could not be reached just now).

use std::collections::HashMap;

use kindred_core::KeptRecordReason;

use crate::error::{FfiResult, KindredError};
use crate::kindred::{Kindred, Shared, transport, transport_of, with};
use crate::records::id_of;
use crate::runtime::blocking;

/// What a delete-forever did, and where it still has to go.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErasureRecord {
    /// Kinds of the spaces that started afresh ("personal", "shared", ...).
    pub spaces: Vec<String>,
    /// Records deleted, by kind ("check-in", "goal", "contact note", ...).
    pub records: HashMap<String, u64>,
    /// Some of it had reached the relay (and so maybe other devices).
    pub on_relay: bool,
    /// The relay still has to be told: the next sync erases it there and
    /// then on the other devices. False once it is erased there (or when
    /// it never was on the relay).
    pub waiting_for_sync: bool,
}

/// One erasure a space's log records: who, when, what kinds, why; never
/// what the records said.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErasureLogRecord {
    /// The device that made it, by name.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
    pub records: HashMap<String, u64>,
    /// "asked", "retention" or "fresh-start".
    pub reason: String,
}

impl From<kindred_core::ErasureRecord> for ErasureLogRecord {
    fn from(r: kindred_core::ErasureRecord) -> Self {
        ErasureLogRecord {
            by: r.by,
            at: r.at,
            records: r.records.into_iter().collect(),
            reason: r.reason,
        }
    }
}

/// "person-asked" or "retention-ended" (the core's stored words).
fn reason_of(s: &str) -> FfiResult<KeptRecordReason> {
    match s {
        "person-asked" => Ok(KeptRecordReason::PersonAsked),
        "retention-ended" => Ok(KeptRecordReason::RetentionEnded),
        other => Err(KindredError::InvalidInput {
            message: format!(
                "\"{other}\" is not a reason to delete signed notes (person-asked or retention-ended)"
            ),
        }),
    }
}

/// After a local delete-forever: one sync so the erasure reaches the
/// relay now if it can (as the CLI does). A relay out of reach is not an
/// error: the erasure waits for the next sync, and the record says so.
fn reach_relay(inner: &Shared, e: kindred_core::Erasure) -> (ErasureRecord, u64) {
    let mut waiting = e.waiting_for_sync;
    let mut pulled = 0;
    if waiting {
        if let Ok(t) = transport_of(inner)
            && let Ok(report) = inner.sync(&t)
        {
            pulled = report.spaces.iter().map(|s| s.pulled).sum();
        }
        waiting = with(inner, |k| Ok(k.erasures_waiting()?))
            .map(|n| n > 0)
            .unwrap_or(true);
    }
    let out = ErasureRecord {
        spaces: e.spaces,
        records: e.records.into_iter().collect(),
        on_relay: e.waiting_for_sync,
        waiting_for_sync: waiting,
    };
    (out, pulled)
}

/// Tells every listener of the local delete.
fn notify_local(listeners: &crate::changes::Listeners) {
    crate::changes::notify(
        listeners,
        crate::changes::ChangeEvent {
            local: true,
            changes: 1,
        },
    );
}

impl Kindred {
    /// Runs a local delete-forever (listeners hear of it), then tries to
    /// reach the relay off the caller's thread.
    async fn erase(
        &self,
        f: impl FnOnce(&mut kindred_core::Kindred) -> kindred_core::Result<kindred_core::Erasure>
        + Send
        + 'static,
    ) -> FfiResult<ErasureRecord> {
        let inner = self.inner.clone();
        let listeners = self.listeners.clone();
        let e = blocking({
            let inner = inner.clone();
            move || with(&inner, |k| Ok(f(k)?))
        })
        .await?;
        notify_local(&listeners);
        let (out, pulled) = blocking(move || Ok(reach_relay(&inner, e))).await?;
        Self::notify_synced(&listeners, pulled);
        Ok(out)
    }
}

#[uniffi::export]
impl Kindred {
    /// Deletes one of the person's check-ins forever, with the copies she
    /// shared: here now, on the relay and her other devices as they sync.
    /// Only her own devices may (`NotAllowed` elsewhere).
    pub async fn delete_check_in_forever(&self, id: String) -> FfiResult<ErasureRecord> {
        let id = id_of(&id)?;
        self.erase(move |k| k.delete_check_in_forever(&id)).await
    }

    /// Deletes a goal forever, with its steps and progress notes, wherever
    /// it is or was (her own space, the shares she started).
    pub async fn delete_goal_forever(&self, id: String) -> FfiResult<ErasureRecord> {
        let id = id_of(&id)?;
        self.erase(move |k| k.delete_goal_forever(&id)).await
    }

    /// Deletes one of the person's own comments on a shared note forever.
    pub async fn delete_comment_forever(
        &self,
        note_id: String,
        comment_id: String,
    ) -> FfiResult<ErasureRecord> {
        let (note, comment) = (id_of(&note_id)?, id_of(&comment_id)?);
        self.erase(move |k| k.delete_comment_forever(&note, &comment))
            .await
    }

    /// Deletes a contact forever from this worker's caseload, with every
    /// note about them. Signed notes go only `because` "person-asked" or
    /// "retention-ended" (`NotAllowed` without a reason).
    pub async fn delete_contact_forever(
        &self,
        id: String,
        because: Option<String>,
    ) -> FfiResult<ErasureRecord> {
        let id = id_of(&id)?;
        let because = because.as_deref().map(reason_of).transpose()?;
        self.erase(move |k| k.delete_contact_forever(&id, because))
            .await
    }

    /// Ends a share and deletes forever everything in it: the other side's
    /// devices leave it, the goals in it come home to the person's own
    /// space, its copies and history go from her devices and the relay.
    /// (What the other side's devices already synced stays with them.)
    /// Only the person who started it.
    pub async fn erase_share(&self, space: String) -> FfiResult<ErasureRecord> {
        let listeners = self.listeners.clone();
        // The core syncs the share itself (it ends it on the relay first).
        let e = self
            .run(move |k| {
                let t = transport(k)?;
                Ok(k.erase_share(&t, &space)?)
            })
            .await?;
        notify_local(&listeners);
        Ok(ErasureRecord {
            spaces: e.spaces,
            records: e.records.into_iter().collect(),
            on_relay: true,
            waiting_for_sync: e.waiting_for_sync,
        })
    }

    /// Deletes everything this person's devices hold, forever, with its
    /// history: here now, on the relay and her other devices as they
    /// sync. Her devices stay paired and her shares stay open, empty.
    pub async fn erase_everything(&self) -> FfiResult<ErasureRecord> {
        self.erase(|k| k.erase_everything()).await
    }

    /// Words about edits a fresh start could not keep ("1 change to a
    /// check-in you deleted was not kept"), each given once.
    pub fn take_erasure_notices(&self) -> FfiResult<Vec<String>> {
        self.with(|k| Ok(k.take_erasure_notices()?))
    }

    /// The erasures a space's log records, oldest first.
    pub fn erasures(&self, space: String) -> FfiResult<Vec<ErasureLogRecord>> {
        self.with(|k| Ok(k.erasures(&space)?.into_iter().map(Into::into).collect()))
    }

    /// How many spaces still wait for their erasure to reach the relay
    /// (the next sync makes it).
    pub fn erasures_waiting(&self) -> FfiResult<u64> {
        self.with(|k| Ok(k.erasures_waiting()? as u64))
    }
}
