//! Invites with a short authentication string, as handles the app keeps
//! while two people compare their screens.

use std::sync::{Arc, Mutex};

use kindred_core::sync::{Invite, JoinInvite, parse_role};

use crate::error::FfiResult;
use crate::kindred::{Kindred, Shared, transport, with};
use crate::records::{PeerRecord, SasRecord};
use crate::runtime::{blocking, poll};

const NO_ANSWER: &str = "the other person did not answer in time; no one was added";

/// The inviting side: show `code()`, then `wait_for_sas()`; when both
/// people say the strings match, `confirm()`; otherwise `decline()`.
#[derive(uniffi::Object)]
pub struct InviteHandle {
    inner: Shared,
    invite: Arc<Mutex<Invite>>,
}

/// The joining side: `wait_for_sas()`, then `confirm()` or `decline()`.
#[derive(uniffi::Object)]
pub struct JoinHandle {
    inner: Shared,
    join: Arc<Mutex<JoinInvite>>,
}

#[uniffi::export]
impl Kindred {
    /// Starts an invite into `space` (or a new shared space) for someone
    /// with `role` (writer, reader or owner).
    pub async fn invite_create(
        &self,
        space: Option<String>,
        role: String,
    ) -> FfiResult<Arc<InviteHandle>> {
        let inner = self.inner.clone();
        let invite = blocking({
            let inner = inner.clone();
            move || {
                with(&inner, |k| {
                    let role = parse_role(&role)?;
                    let t = transport(k)?;
                    Ok(k.invite_create(&t, space.as_deref(), role)?)
                })
            }
        })
        .await?;
        Ok(Arc::new(InviteHandle {
            inner,
            invite: Arc::new(Mutex::new(invite)),
        }))
    }

    /// Joins with the code the other person gave.
    pub async fn invite_join(&self, code: String) -> FfiResult<Arc<JoinHandle>> {
        let inner = self.inner.clone();
        let join = blocking({
            let inner = inner.clone();
            move || {
                with(&inner, |k| {
                    let t = transport(k)?;
                    Ok(k.invite_join(&t, &code)?)
                })
            }
        })
        .await?;
        Ok(Arc::new(JoinHandle {
            inner,
            join: Arc::new(Mutex::new(join)),
        }))
    }
}

#[uniffi::export]
impl InviteHandle {
    /// The code to give the other person, e.g. `7KQ2M-XW9PD`.
    pub fn code(&self) -> String {
        self.invite.lock().unwrap_or_else(|p| p.into_inner()).code()
    }

    /// Waits for the other device; returns the string to compare.
    pub async fn wait_for_sas(&self, timeout_secs: u64) -> FfiResult<SasRecord> {
        let (inner, invite) = (self.inner.clone(), self.invite.clone());
        poll(timeout_secs, NO_ANSWER, move || {
            with(&inner, |k| {
                let t = transport(k)?;
                let mut inv = invite.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_poll(&t, &mut inv)?.map(Into::into))
            })
        })
        .await
    }

    /// This person confirmed the strings match: waits for the other's
    /// confirmation, then adds them.
    pub async fn confirm(&self, timeout_secs: u64) -> FfiResult<PeerRecord> {
        let (inner, invite) = (self.inner.clone(), self.invite.clone());
        poll(timeout_secs, NO_ANSWER, move || {
            with(&inner, |k| {
                let t = transport(k)?;
                let mut inv = invite.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_confirm(&t, &mut inv)?.map(|j| PeerRecord {
                    name: j.name,
                    fingerprint: j.fingerprint,
                    space: Some(j.space),
                    role: Some(j.role),
                }))
            })
        })
        .await
    }

    /// The strings differ, or the person cancelled: no one is added.
    pub async fn decline(&self) -> FfiResult<()> {
        let (inner, invite) = (self.inner.clone(), self.invite.clone());
        blocking(move || {
            with(&inner, |k| {
                let t = transport(k)?;
                let inv = invite.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_decline(&t, &inv)?)
            })
        })
        .await
    }
}

#[uniffi::export]
impl JoinHandle {
    /// Waits for the inviter's opened commitment; returns the string.
    pub async fn wait_for_sas(&self, timeout_secs: u64) -> FfiResult<SasRecord> {
        let (inner, join) = (self.inner.clone(), self.join.clone());
        poll(timeout_secs, NO_ANSWER, move || {
            with(&inner, |k| {
                let t = transport(k)?;
                let mut j = join.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_join_poll(&t, &mut j)?.map(Into::into))
            })
        })
        .await
    }

    /// This person confirmed the strings match: tells the inviter and
    /// waits to be welcomed into the space.
    pub async fn confirm(&self, timeout_secs: u64) -> FfiResult<PeerRecord> {
        let (inner, join) = (self.inner.clone(), self.join.clone());
        blocking({
            let (inner, join) = (inner.clone(), join.clone());
            move || {
                with(&inner, |k| {
                    let t = transport(k)?;
                    let mut j = join.lock().unwrap_or_else(|p| p.into_inner());
                    Ok(k.invite_join_confirm(&t, &mut j)?)
                })
            }
        })
        .await?;
        poll(timeout_secs, NO_ANSWER, move || {
            with(&inner, |k| {
                let t = transport(k)?;
                let j = join.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_join_finish(&t, &j)?.map(|s| PeerRecord {
                    name: s.name,
                    fingerprint: s.fingerprint,
                    space: Some(s.space),
                    role: Some(s.role),
                }))
            })
        })
        .await
    }

    pub async fn decline(&self) -> FfiResult<()> {
        let (inner, join) = (self.inner.clone(), self.join.clone());
        blocking(move || {
            with(&inner, |k| {
                let t = transport(k)?;
                let j = join.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_join_decline(&t, &j)?)
            })
        })
        .await
    }
}

impl std::fmt::Debug for InviteHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InviteHandle")
    }
}

impl std::fmt::Debug for JoinHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JoinHandle")
    }
}
