//! The joining side of a remote invite (the exchange and its argument are
//! in `invite.rs` and docs/crypto.md): read the inviter's commitment and
//! terms, answer with a SPAKE2 message, check the opened message against
//! the commitment, and take the space only after this device's person's
//! recorded yes and the inviter's signed welcome.

use kindred_protocol::invite::welcome_bytes;
use kindred_protocol::invite::{Bundle, InviteCode, InviteStep, SessionStep, Terms, confirm_bytes};
use kindred_protocol::invite_pake::{Pake, Sas, Session, Side, pake_commitment};
use kindred_protocol::{Hash, Role, Signature, SpaceId, verify_ed25519};

use super::invite::{
    CLOCK_SLACK_SECS, INVITE_TTL_SECS, JoinedShare, open_sealed, post_sealed, post_step, take,
};
use super::invite_words::{parse_role, role_change_in_words, role_in_words};
use super::pairing::{fingerprint, unix_now};
use super::transport::Transport;
use crate::error::{Error, Result};
use crate::kindred::Kindred;
use crate::space::SpaceKind;

/// A welcome that came, kept until this side's person's yes was sent.
#[derive(Clone)]
struct Welcome {
    space: SpaceId,
    kind: String,
    role: String,
    log_len: u64,
    head: Hash,
    sig: Signature,
}

/// The joining side of one invite.
pub struct JoinInvite {
    code: InviteCode,
    terms: Terms,
    role: Role,
    bundle: Bundle,
    commit: Hash,
    expires_at: u64,
    pake: Option<Pake>,
    session: Option<Session>,
    inviter: Option<(Bundle, Hash)>,
    welcome: Option<Welcome>,
    /// This side's signed confirmation was sent.
    confirmed: bool,
    /// This device's role in the one share it is already in with the
    /// inviting device, if there is exactly one (the invite may be for it:
    /// its terms do not say which share).
    already: Option<Role>,
}

impl std::fmt::Debug for JoinInvite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JoinInvite")
    }
}

impl JoinInvite {
    /// The string to compare, once the inviter's message checked out.
    pub fn sas(&self) -> Option<Sas> {
        match (&self.session, &self.inviter) {
            (Some(s), Some(_)) => Some(s.sas()),
            _ => None,
        }
    }

    /// The inviting device's name, once known.
    pub fn inviter_name(&self) -> Option<&str> {
        self.inviter
            .as_ref()
            .map(|(b, _)| crate::names::display_name(&b.name, false))
    }

    /// The role this device will have in the share.
    pub fn role(&self) -> Role {
        self.role
    }

    /// This device's role in the share it is already in with the inviting
    /// device (when there is exactly one), once the inviter has answered.
    pub fn already(&self) -> Option<Role> {
        self.already
    }

    /// For someone already in a share with the inviter: what they can do
    /// there now and what this invite would change, in plain words.
    pub fn change_in_words(&self) -> Option<String> {
        let before = self.already?;
        let name = self.inviter_name().unwrap_or("the other person");
        Some(format!(
            "You are already in a share with {name}, where you can {}. If this invite is for that share, it will {}",
            role_in_words(before),
            role_change_in_words(before, self.role, true)
        ))
    }

    /// When the code stops working (Unix seconds, the inviter's clock).
    pub fn expires_at(&self) -> u64 {
        self.terms.expires_at
    }
}

impl Kindred {
    /// Joins with a code: reads the inviter's commitment and terms and
    /// answers with this side's SPAKE2 message. A code whose time is up
    /// fails here at once with [`Error::InviteCodeExpired`]; two
    /// commitments in the mailbox (one replayed) with
    /// [`Error::InviteTampered`].
    pub fn invite_join(&mut self, t: &dyn Transport, code: &str) -> Result<JoinInvite> {
        let code = InviteCode::parse(code).map_err(|_| Error::OutOfRange {
            field: "invite code",
            expected: "the 10-character code from the other person, like 7KQ2M-XW9PD",
        })?;
        let (to_inviter, to_joiner) = code.mailboxes();
        let steps = take(t, &to_joiner)?;
        if steps.iter().any(|s| matches!(s, InviteStep::Expired)) {
            return Err(Error::InviteCodeExpired);
        }
        let mut commits = steps.into_iter().filter_map(|s| match s {
            InviteStep::Commit { commitment, terms } => Some((commitment, terms)),
            _ => None,
        });
        let (commit, terms) = commits.next().ok_or(Error::InviteUnknown)?;
        if commits.next().is_some() {
            return Err(Error::InviteTampered);
        }
        let until = terms.expires_at.saturating_add(CLOCK_SLACK_SECS);
        if unix_now() >= until {
            return Err(Error::InviteCodeExpired);
        }
        let role = parse_role(&terms.role).map_err(|_| Error::InviteTampered)?;
        let pake = Pake::start(Side::Joiner, &code);
        post_step(
            t,
            &to_inviter,
            InviteStep::Pake {
                msg: kindred_protocol::Bytes(pake.message().to_vec()),
            },
        )?;
        Ok(JoinInvite {
            code,
            terms,
            role,
            bundle: self.my_bundle(),
            commit,
            expires_at: until.min(unix_now() + INVITE_TTL_SECS),
            pake: Some(pake),
            session: None,
            inviter: None,
            welcome: None,
            confirmed: false,
            already: None,
        })
    }

    /// Reads the joiner's mailbox once and moves the exchange on.
    fn join_read(&mut self, t: &dyn Transport, j: &mut JoinInvite) -> Result<()> {
        let (to_inviter, to_joiner) = j.code.mailboxes();
        for step in take(t, &to_joiner)? {
            match step {
                InviteStep::Open { msg, sealed } if j.session.is_none() => {
                    if pake_commitment(&msg.0) != j.commit {
                        return Err(Error::InviteTampered);
                    }
                    let pake = j.pake.take().ok_or(Error::InviteTampered)?;
                    let session = pake
                        .finish(&msg.0, &j.commit, &j.terms)
                        .map_err(|_| Error::InviteTampered)?;
                    let Some(hello) = open_sealed(&session, Side::Joiner, &sealed)? else {
                        // Another key: the code was not the inviter's. Say
                        // so under ours (it does not open there either, so
                        // the inviter burns the invite too).
                        let _ = post_sealed(
                            t,
                            &to_inviter,
                            &session,
                            Side::Inviter,
                            SessionStep::Decline,
                        );
                        return Err(Error::InviteCodeWrong);
                    };
                    let SessionStep::Hello { bundle, terms } = hello else {
                        return Err(Error::InviteTampered);
                    };
                    if terms != j.terms {
                        return Err(Error::InviteTampered);
                    }
                    post_sealed(
                        t,
                        &to_inviter,
                        &session,
                        Side::Inviter,
                        SessionStep::Hello {
                            bundle: j.bundle.clone(),
                            terms: j.terms.clone(),
                        },
                    )?;
                    let tr = session.transcript(&bundle, &j.bundle);
                    j.already = self.role_beside(&bundle.device)?;
                    j.inviter = Some((bundle, tr));
                    j.session = Some(session);
                }
                InviteStep::Sealed { sealed } => {
                    let session = j.session.as_ref().ok_or(Error::InviteTampered)?;
                    match open_sealed(session, Side::Joiner, &sealed)? {
                        Some(SessionStep::Welcome {
                            space,
                            kind,
                            role,
                            log_len,
                            head,
                            sig,
                        }) if j.confirmed => {
                            j.welcome = Some(Welcome {
                                space,
                                kind,
                                role,
                                log_len,
                                head,
                                sig,
                            });
                        }
                        Some(SessionStep::Decline) => return Err(Error::InviteDeclined),
                        Some(SessionStep::Expired) => return Err(Error::InviteCodeExpired),
                        _ => return Err(Error::InviteTampered),
                    }
                }
                // Before the key exchange: the inviter's time ran out, it
                // gave up, or it burnt the invite.
                InviteStep::Expired if j.session.is_none() => {
                    return Err(Error::InviteCodeExpired);
                }
                // After it, the inviter says so sealed; a bare `Expired` now
                // means the inviter burnt the invite because something did
                // not fit (or the relay posted it).
                InviteStep::Expired => return Err(Error::InviteTampered),
                // A second commitment or opening (replayed), or a joiner's
                // step in the joiner's mailbox (reflected).
                InviteStep::Commit { .. } | InviteStep::Open { .. } | InviteStep::Pake { .. } => {
                    return Err(Error::InviteTampered);
                }
            }
        }
        Ok(())
    }

    /// Checks once for the inviter's opened commitment; returns the
    /// string to compare once it came and checked out.
    pub fn invite_join_poll(
        &mut self,
        t: &dyn Transport,
        j: &mut JoinInvite,
    ) -> Result<Option<Sas>> {
        if let Some(s) = j.sas() {
            return Ok(Some(s));
        }
        if unix_now() >= j.expires_at {
            return Err(Error::InviteCodeExpired);
        }
        self.join_read(t, j)?;
        Ok(j.sas())
    }

    /// This device's person compared the strings and said they match:
    /// records it in the store (what [`Kindred::invite_join_confirm`]
    /// requires before it says yes to the inviter).
    pub fn invite_join_yes(&mut self, j: &JoinInvite) -> Result<()> {
        let (_, tr) = j.inviter.as_ref().ok_or(Error::InviteNotReady)?;
        self.record_yes(tr)
    }

    /// Tells the inviter (signed, over the whole transcript) that this
    /// device's person confirmed; refuses with
    /// [`Error::InviteNotConfirmed`] unless that yes was recorded.
    pub fn invite_join_confirm(&mut self, t: &dyn Transport, j: &mut JoinInvite) -> Result<()> {
        let (_, tr) = j.inviter.as_ref().ok_or(Error::InviteNotReady)?;
        if !self.said_yes(tr)? {
            return Err(Error::InviteNotConfirmed);
        }
        let sig: Signature = self.keys.sign(&confirm_bytes(tr));
        let session = j.session.as_ref().ok_or(Error::InviteNotReady)?;
        let (to_inviter, _) = j.code.mailboxes();
        post_sealed(
            t,
            &to_inviter,
            session,
            Side::Inviter,
            SessionStep::Confirm { sig },
        )?;
        j.confirmed = true;
        Ok(())
    }

    /// Declines (the strings differ, or the person cancelled).
    pub fn invite_join_decline(&mut self, t: &dyn Transport, j: &JoinInvite) -> Result<()> {
        let (to_inviter, _) = j.code.mailboxes();
        match &j.session {
            Some(s) => post_sealed(t, &to_inviter, s, Side::Inviter, SessionStep::Decline),
            // Before the PAKE finished there is nothing to decline under:
            // the inviter's run was taken by this side and goes unanswered.
            None => Ok(()),
        }
    }

    /// After confirming: checks once for the welcome; when it came (signed
    /// by the device whose string we compared), takes the space here and
    /// syncs it.
    pub fn invite_join_finish(
        &mut self,
        t: &dyn Transport,
        j: &mut JoinInvite,
    ) -> Result<Option<JoinedShare>> {
        let (inviter, tr) = j.inviter.clone().ok_or(Error::InviteNotReady)?;
        if !j.confirmed || !self.said_yes(&tr)? {
            return Err(Error::InviteNotConfirmed);
        }
        if unix_now() > j.expires_at {
            return Err(Error::InviteCodeExpired);
        }
        if j.welcome.is_none() {
            self.join_read(t, j)?;
        }
        let Some(w) = j.welcome.clone() else {
            return Ok(None);
        };
        if w.kind != SpaceKind::Shared.as_str()
            || w.role != j.terms.role
            || verify_ed25519(
                &inviter.device,
                &welcome_bytes(&tr, &w.space, &w.role, w.log_len, &w.head),
                &w.sig,
            )
            .is_err()
        {
            return Err(Error::InviteTampered);
        }
        // The joiner's first sync must serve the log the inviter saw.
        let pin = super::JoinPin {
            len: w.log_len,
            head: w.head,
            by: inviter.device,
        };
        let id = w.space.to_hex();
        let name = format!("with {}", crate::names::display_name(&inviter.name, false));
        if self.spaces.iter().any(|s| s.id == id) {
            self.name_space_if_unnamed(&id, &name)?;
        } else {
            self.add_joined_space(&id, SpaceKind::Shared, Some(name), pin)?;
        }
        self.sync_space(t, &id)?;
        self.forget_yes(&tr)?;
        Ok(Some(JoinedShare {
            space: id,
            name: crate::names::display_name(&inviter.name, false).to_owned(),
            fingerprint: fingerprint(&inviter.device),
            role: w.role,
        }))
    }
}
