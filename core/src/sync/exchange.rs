//! One round trip per sync of a space in step with its log (issue 17).
//!
//! A device that has joined a space, seeded it and holds its log sends
//! what is pending, its cursor (which acknowledges everything before it)
//! and asks for what is new, in one `POST /v1/spaces/{id}/exchange`. The
//! three-request path (`push_pending`, `pull_all`, `acknowledge`) stays for
//! everything out of the ordinary: any refusal of the exchange (a stale
//! epoch, this device removed, a relay without the endpoint) falls back to
//! it, and it sorts the case out as before. Nothing is lost by falling
//! back: a push the relay stored is acknowledged again when repeated, and
//! the page is applied only after the push was recorded.

use kindred_protocol::PROTOCOL_VERSION;
use kindred_protocol::messages::Exchange;

use super::access::CoreAccess;
use super::engine::{Pass, PullProgress, space_id, transport_error};
use super::pull::{ExchangeDone, PULL_PAGE, Pulled};
use crate::error::{Error, Result};

/// What one exchange did.
#[derive(Debug, Default)]
pub(super) struct Exchanged {
    /// Outbox changes the relay acknowledged.
    pub changes: u64,
    /// Envelopes acknowledged.
    pub acked: u64,
    pub pulled: Pulled,
    /// The outbox held more than one batch: push the rest as usual.
    pub rest_pending: bool,
}

impl<A: CoreAccess + ?Sized> Pass<'_, A> {
    /// Pushes, acknowledges and pulls `space` in one request, then pulls
    /// the rest of a long page run and pushes the rest of a long outbox as
    /// usual. `None`: the relay refused it; take the three-request path.
    pub(super) fn exchange(
        &self,
        token: &str,
        space: &str,
        kind: &str,
        progress: &mut dyn FnMut(&PullProgress),
    ) -> Result<Option<Exchanged>> {
        let sid = space_id(space)?;
        self.core.with(|k| k.check_not_restored(space))?;
        if self.core.with(|k| k.push_set_aside(space))? {
            return Ok(None);
        }
        let st = self.state(space)?;
        let (envelopes, offered_before) = self.core.with(|k| k.gather_push(space))?;
        let body = Exchange {
            v: PROTOCOL_VERSION,
            envelopes,
            after: st.cursor,
            log_after: st.log_len,
            limit: PULL_PAGE,
        };
        let res = match self.t.exchange(token, &sid, &body) {
            Ok(r) => r,
            Err(e) if e.code().is_some() => return Ok(None),
            Err(e) => return Err(transport_error(e)),
        };
        let mut out = Exchanged::default();
        if !body.envelopes.is_empty() {
            if res.acks.is_empty() {
                return Err(Error::Sync {
                    what: "the relay acknowledged nothing",
                });
            }
            out.acked = res.acks.len() as u64;
            self.core
                .with(|k| k.check_acks(space, &res.acks, offered_before))?;
        }
        // What the push and the acknowledgement did is recorded with the
        // page, in one local commit; if the page fails, on its own before
        // the error goes back.
        let done = ExchangeDone {
            acks: &res.acks,
            sent: &body.envelopes,
            acked: (body.after > 0 && body.after <= res.page.head_seq).then_some(body.after),
        };
        let p = match self
            .core
            .with(|k| k.apply_page_with(space, &res.page, Some(&done)))
        {
            Ok(p) => p,
            Err(e) => {
                self.core.with(|k| {
                    if !done.acks.is_empty() {
                        k.record_acks(space, done.acks, offered_before, done.sent)?;
                    }
                    if let Some(a) = done.acked {
                        k.update_sync_state(space, |now| {
                            now.acked = Some(now.acked.map_or(a, |b| b.max(a)));
                        })?;
                    }
                    Ok(())
                })?;
                return Err(e);
            }
        };
        out.changes = p.acked_changes;
        if p.fresh_start {
            // An erasure to follow: the three-request path does that.
            return Ok(None);
        }
        out.pulled = p;
        if res.page.more && !out.pulled.removed {
            let more = self.pull_all(token, space, kind, progress)?;
            out.pulled.applied += more.applied;
            out.pulled.quarantined += more.quarantined;
            out.pulled.removed |= more.removed;
        }
        // More waiting than one envelope batch holds: the rest as pushes.
        out.rest_pending =
            !out.pulled.removed && self.core.with(|k| Ok(k.store.pending(space)?.0 > 0))?;
        Ok(Some(out))
    }
}
