//! Sharing with someone: goals and days of check-ins into a shared space,
//! the list of shares, ending one; and invites with a short
//! authentication string, as handles the app keeps while two people
//! compare their screens.
//!
//! Both handles say, from the start, what the other person will be able
//! to do ([`InviteHandle::role_in_words`], [`JoinHandle::role_in_words`]),
//! so the app shows it before anyone says yes. An inviter that stops
//! waiting (its wait timed out, failed, or the person withdrew) posts
//! `Expired` for the joiner, as the CLI does, so whoever types the code
//! later hears at once that it has expired; the handle then refuses to go
//! on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use kindred_core::model::format_time;
use kindred_core::sync::{Invite, JoinInvite, Role, parse_role};

use crate::error::{FfiResult, KindredError};
use crate::kindred::{Kindred, Shared, exclusive, transport};
use crate::records::{PeerRecord, RoleChangeRecord, SasRecord, ShareRecord, date_of, id_of};
use crate::runtime::{blocking, poll, poll_until};

const NO_ANSWER: &str = "the other person did not answer in time; no one was added";
const STOPPED: &str = "this invite was stopped, so no one was added; start a new one to try again";

fn role_word(r: Role) -> &'static str {
    match r {
        Role::Owner => "owner",
        Role::Writer => "writer",
        Role::Reader => "reader",
        Role::Recovery => "recovery",
    }
}

fn unix_time(secs: u64) -> String {
    let secs = i64::try_from(secs).unwrap_or(i64::MAX);
    time::OffsetDateTime::from_unix_timestamp(secs)
        .map(format_time)
        .unwrap_or_default()
}

/// What someone with `role` (owner, writer or reader) in a share can do,
/// in plain words, to finish "Sam will be able to …".
#[uniffi::export]
pub fn role_in_words(role: String) -> FfiResult<String> {
    Ok(kindred_core::sync::role_in_words(parse_role(&role)?).to_owned())
}

#[uniffi::export]
impl Kindred {
    /// Shares one of this person's goals into a shared space (moves it).
    pub fn share_goal(&self, goal_id: String, space: String) -> FfiResult<()> {
        self.write(|k| Ok(k.share_goal(&id_of(&goal_id)?, &space)?))
    }

    /// Makes a shared goal this person's alone again.
    pub fn unshare_goal(&self, goal_id: String) -> FfiResult<()> {
        self.write(|k| Ok(k.unshare_goal(&id_of(&goal_id)?)?))
    }

    /// Shares copies of the check-ins from `since` to `until` (dates);
    /// returns how many were newly shared.
    pub fn share_check_ins(&self, space: String, since: String, until: String) -> FfiResult<u64> {
        self.write(|k| Ok(k.share_check_ins(&space, date_of(&since)?, date_of(&until)?)? as u64))
    }

    /// Stops sharing the check-ins of the days `since..=until`: the shared
    /// copies from those days are deleted (the person's own stay) and the
    /// shared ranges are cut to what is left. Returns how many went.
    pub fn unshare_check_ins(&self, space: String, since: String, until: String) -> FfiResult<u64> {
        self.write(|k| Ok(k.unshare_check_ins(&space, date_of(&since)?, date_of(&until)?)? as u64))
    }

    /// Every share, ended ones too: who it is with, what is in it.
    pub fn shares(&self) -> FfiResult<Vec<ShareRecord>> {
        self.with(|k| Ok(k.shares()?.into_iter().map(Into::into).collect()))
    }

    /// Ends a share: the others' devices (or only `member`) are removed.
    pub async fn end_share(&self, space: String, member: Option<String>) -> FfiResult<PeerRecord> {
        self.run(move |k| {
            let t = transport(k)?;
            let r = k.end_share(&t, &space, member.as_deref())?;
            Ok(PeerRecord {
                name: r.name,
                fingerprint: r.fingerprint,
                space: Some(space),
                role: None,
            })
        })
        .await
    }

    /// Changes what the others in a share (or only `member`, by the start
    /// of its device id) may do: `role` is reader, writer or owner. Only
    /// the person who shared it may (`InvalidInput`-free: a reader gets a
    /// `Sync`-free typed refusal in words, and nothing changes).
    pub async fn set_share_role(
        &self,
        space: String,
        role: String,
        member: Option<String>,
    ) -> FfiResult<RoleChangeRecord> {
        let role = parse_role(&role)?;
        self.run(move |k| {
            let t = transport(k)?;
            let r = k.set_share_role(&t, &space, role, member.as_deref())?;
            Ok(RoleChangeRecord {
                name: r.name,
                before: role_word(r.before).to_owned(),
                role: role_word(r.role).to_owned(),
                changed: r.changed,
                in_words: kindred_core::sync::role_in_words(r.role).to_owned(),
            })
        })
        .await
    }

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
                exclusive(&inner, |k| {
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
            stopped: Arc::new(AtomicBool::new(false)),
        }))
    }

    /// Joins with the code the other person gave. A code whose time is up
    /// fails here at once.
    pub async fn invite_join(&self, code: String) -> FfiResult<Arc<JoinHandle>> {
        let inner = self.inner.clone();
        let join = blocking({
            let inner = inner.clone();
            move || {
                exclusive(&inner, |k| {
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

/// The inviting side: show `code()` and `role_in_words()`, then
/// `wait_for_sas()`; when both people say the strings match, `confirm()`;
/// otherwise `decline()`. `withdraw()` when the person stops inviting.
#[derive(uniffi::Object)]
pub struct InviteHandle {
    inner: Shared,
    invite: Arc<Mutex<Invite>>,
    /// `Expired` was posted: this invite goes no further.
    stopped: Arc<AtomicBool>,
}

impl InviteHandle {
    fn check_going(&self) -> FfiResult<()> {
        if self.stopped.load(Ordering::SeqCst) {
            return Err(KindredError::Pairing {
                message: STOPPED.into(),
            });
        }
        Ok(())
    }

    /// Posts `Expired` for the joiner and stops this handle.
    async fn post_expired(&self) -> FfiResult<()> {
        self.stopped.store(true, Ordering::SeqCst);
        let (inner, invite) = (self.inner.clone(), self.invite.clone());
        blocking(move || {
            exclusive(&inner, |k| {
                let t = transport(k)?;
                let inv = invite.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_withdraw(&t, &inv)?)
            })
        })
        .await
    }

    /// [`Self::post_expired`], best effort: the joiner also checks the
    /// code's time itself.
    async fn stop(&self) {
        let _ = self.post_expired().await;
    }

    fn inv<T>(&self, f: impl FnOnce(&Invite) -> T) -> T {
        f(&self.invite.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[uniffi::export]
impl InviteHandle {
    /// The code to give the other person, e.g. `7KQ2M-XW9PD`.
    pub fn code(&self) -> String {
        self.inv(|i| i.code())
    }

    /// The role the other person will have: owner, writer or reader.
    pub fn role(&self) -> String {
        self.inv(|i| role_word(i.role())).to_owned()
    }

    /// What the other person will be able to do once both say yes, to
    /// finish "They will be able to …".
    pub fn role_in_words(&self) -> String {
        kindred_core::sync::role_in_words(self.inv(|i| i.role())).to_owned()
    }

    /// When the code stops working (RFC 3339).
    pub fn expires_at(&self) -> String {
        unix_time(self.inv(|i| i.expires_at()))
    }

    /// The other device's name, once it has answered.
    pub fn joiner_name(&self) -> Option<String> {
        self.inv(|i| i.joiner_name().map(str::to_owned))
    }

    /// The role the other device already has in the share (owner, writer
    /// or reader), once it has answered; `None` if it is not in it.
    pub fn already(&self) -> Option<String> {
        self.inv(|i| i.already().map(|r| role_word(r).to_owned()))
    }

    /// For someone already in the share, once they answered: what they can
    /// do now and what saying yes changes, in plain words, to show before
    /// anyone says yes.
    pub fn change_in_words(&self) -> Option<String> {
        self.inv(|i| i.change_in_words())
    }

    /// Waits for the other device; returns the string to compare. If it
    /// does not come in time (or the wait fails), whoever types the code
    /// later is told it has expired, and this invite is over.
    pub async fn wait_for_sas(&self, timeout_secs: u64) -> FfiResult<SasRecord> {
        self.check_going()?;
        let (inner, invite) = (self.inner.clone(), self.invite.clone());
        let got = poll(timeout_secs, NO_ANSWER, move || {
            exclusive(&inner, |k| {
                let t = transport(k)?;
                let mut inv = invite.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_poll(&t, &mut inv)?.map(Into::into))
            })
        })
        .await;
        if got.is_err() {
            self.stop().await;
        }
        got
    }

    /// This person compared the digits and the emoji and said they match
    /// (recorded in the store before anything else): waits for the other's
    /// confirmation, then adds them. If the other's answer does not come
    /// in time, the joiner is told the invite expired, and it is over.
    pub async fn confirm(&self, timeout_secs: u64) -> FfiResult<PeerRecord> {
        self.check_going()?;
        let (inner, invite) = (self.inner.clone(), self.invite.clone());
        // The person's yes goes into the store first: the core adds no
        // one without it.
        blocking({
            let (inner, invite) = (inner.clone(), invite.clone());
            move || {
                exclusive(&inner, |k| {
                    let inv = invite.lock().unwrap_or_else(|p| p.into_inner());
                    Ok(k.invite_yes(&inv)?)
                })
            }
        })
        .await?;
        let got = poll_until(timeout_secs, move || {
            exclusive(&inner, |k| {
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
        .await?;
        match got {
            Some(peer) => Ok(peer),
            None => {
                self.stop().await;
                Err(KindredError::Pairing {
                    message: NO_ANSWER.into(),
                })
            }
        }
    }

    /// The strings differ, or the person cancelled: no one is added.
    pub async fn decline(&self) -> FfiResult<()> {
        let (inner, invite) = (self.inner.clone(), self.invite.clone());
        blocking(move || {
            exclusive(&inner, |k| {
                let t = transport(k)?;
                let inv = invite.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_decline(&t, &inv)?)
            })
        })
        .await
    }

    /// The person stopped inviting before the other answered: the code
    /// stops working and whoever types it later hears it has expired.
    /// Nothing was added.
    pub async fn withdraw(&self) -> FfiResult<()> {
        self.post_expired().await
    }
}

/// The joining side: show `role_in_words()`, `wait_for_sas()`, then
/// `confirm()` or `decline()`.
#[derive(uniffi::Object)]
pub struct JoinHandle {
    inner: Shared,
    join: Arc<Mutex<JoinInvite>>,
}

impl JoinHandle {
    fn j<T>(&self, f: impl FnOnce(&JoinInvite) -> T) -> T {
        f(&self.join.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[uniffi::export]
impl JoinHandle {
    /// The role this device will have in the share: owner, writer or
    /// reader (known from the code's terms, before anyone says yes).
    pub fn role(&self) -> String {
        self.j(|j| role_word(j.role())).to_owned()
    }

    /// What this person will be able to do once both say yes, to finish
    /// "You will be able to …".
    pub fn role_in_words(&self) -> String {
        kindred_core::sync::role_in_words(self.j(|j| j.role())).to_owned()
    }

    /// When the code stops working (RFC 3339, the inviter's clock).
    pub fn expires_at(&self) -> String {
        unix_time(self.j(|j| j.expires_at()))
    }

    /// The inviting device's name, once its string arrived.
    pub fn inviter_name(&self) -> Option<String> {
        self.j(|j| j.inviter_name().map(str::to_owned))
    }

    /// This device's role in the one share it is already in with the
    /// inviter (owner, writer or reader), once the inviter's string
    /// arrived; `None` if there is none (or several).
    pub fn already(&self) -> Option<String> {
        self.j(|j| j.already().map(|r| role_word(r).to_owned()))
    }

    /// For someone already in a share with the inviter: what they can do
    /// there now and what this invite would change, in plain words.
    pub fn change_in_words(&self) -> Option<String> {
        self.j(|j| j.change_in_words())
    }

    /// Waits for the inviter's opened commitment; returns the string.
    pub async fn wait_for_sas(&self, timeout_secs: u64) -> FfiResult<SasRecord> {
        let (inner, join) = (self.inner.clone(), self.join.clone());
        poll(timeout_secs, NO_ANSWER, move || {
            exclusive(&inner, |k| {
                let t = transport(k)?;
                let mut j = join.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_join_poll(&t, &mut j)?.map(Into::into))
            })
        })
        .await
    }

    /// This person compared the digits and the emoji and said they match
    /// (recorded in the store first): tells the inviter and waits to be
    /// welcomed into the space.
    pub async fn confirm(&self, timeout_secs: u64) -> FfiResult<PeerRecord> {
        let (inner, join) = (self.inner.clone(), self.join.clone());
        blocking({
            let (inner, join) = (inner.clone(), join.clone());
            move || {
                exclusive(&inner, |k| {
                    let t = transport(k)?;
                    let mut j = join.lock().unwrap_or_else(|p| p.into_inner());
                    // The person's yes goes into the store before it is sent.
                    k.invite_join_yes(&j)?;
                    Ok(k.invite_join_confirm(&t, &mut j)?)
                })
            }
        })
        .await?;
        poll(timeout_secs, NO_ANSWER, move || {
            exclusive(&inner, |k| {
                let t = transport(k)?;
                let mut j = join.lock().unwrap_or_else(|p| p.into_inner());
                Ok(k.invite_join_finish(&t, &mut j)?.map(|s| PeerRecord {
                    name: s.name,
                    fingerprint: s.fingerprint,
                    space: Some(s.space),
                    role: Some(s.role),
                }))
            })
        })
        .await
    }

    /// The strings differ, or the person cancelled: the inviter is told.
    pub async fn decline(&self) -> FfiResult<()> {
        let (inner, join) = (self.inner.clone(), self.join.clone());
        blocking(move || {
            exclusive(&inner, |k| {
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
