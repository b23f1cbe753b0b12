//! The routes that move changes: push, pull, acknowledge, and the
//! exchange that does all three in one round trip for a device in step
//! (issue 17). Each checks what its own route checks; the membership and
//! decoding helpers are `routes.rs`'s.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kindred_protocol::messages::*;
use kindred_protocol::{DeviceKey, Membership, PROTOCOL_VERSION, SpaceId, decode, limits};
use serde::Deserialize;

use crate::error::ApiError;
use crate::routes::{body, cbor, may_use, member, space_id, writer};
use crate::{AppState, auth};

pub async fn push(
    State(state): State<Arc<AppState>>,
    Path(space): Path<String>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let space = space_id(&space)?;
    let bytes = body(b)?;
    let size = bytes.len();
    let req = decode::<Push>(&bytes)?;
    let acks = store_envelopes(&state, space, device, req.envelopes, size).await?;
    Ok(cbor(&PushResult {
        v: PROTOCOL_VERSION,
        acks,
    }))
}

/// Checks and stores a push's envelopes (from `device`, a writer of
/// `space`), and hints the other members.
async fn store_envelopes(
    state: &Arc<AppState>,
    space: SpaceId,
    device: DeviceKey,
    envelopes: Vec<kindred_protocol::ChangeEnvelope>,
    size: usize,
) -> Result<Vec<Ack>, ApiError> {
    let seen = state
        .storage
        .membership_seen(&space)
        .and_then(|m| may_use(m, device).ok())
        .and_then(|m| writer(m, device).ok());
    let (m, seen) = match seen {
        Some(m) => (m, true),
        None => (writer(member(state, space, device).await?, device)?, false),
    };
    for e in &envelopes {
        if e.space != space {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "an envelope names another space",
            ));
        }
        if e.device != device {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "an envelope names another device",
            ));
        }
        e.verify_signature().map_err(|_| {
            ApiError::new(
                ErrorCode::BadSignature,
                "an envelope's signature does not verify",
            )
        })?;
    }
    let count = envelopes.len();
    let envelopes = Arc::new(envelopes);
    // The epoch is checked inside the storing transaction, against the log
    // as it is then: a rotation that lands between this handler's read and
    // the write cannot let an old-epoch envelope in. That check also makes
    // the membership this process last saw good enough to start from
    // (no database round trip): if it was behind, the push is refused as
    // stale and tried once more against the membership read afresh.
    let store = |m: Membership| {
        let envelopes = envelopes.clone();
        let (log_len, epoch) = (m.len, m.epoch);
        state.store(move |s| s.push(&space, &device, log_len, epoch, &envelopes))
    };
    let acks = match store(m).await {
        Err(e) if e.code == ErrorCode::StaleEpoch && seen => {
            let m = writer(member(state, space, device).await?, device)?;
            store(m).await?
        }
        r => r?,
    };
    if let Some(top) = acks.iter().map(|a| a.server_seq).max() {
        let _ = state.hints.send(Hint {
            v: PROTOCOL_VERSION,
            space,
            seq: top,
        });
    }
    state
        .metrics
        .stored_changes
        .fetch_add(count as u64, std::sync::atomic::Ordering::Relaxed);
    tracing::info!(space = %space.to_hex(), envelopes = count, bytes = size, "push stored");
    Ok(acks)
}

/// One round trip for a device in step (issue 17): its envelopes stored
/// (when it has any), its cursor acknowledged, the page after it answered.
/// Each part is checked as its own route would check it; a refused push
/// answers nothing else, so the device can fall back to the three.
pub async fn exchange(
    State(state): State<Arc<AppState>>,
    Path(space): Path<String>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let space = space_id(&space)?;
    let bytes = body(b)?;
    let size = bytes.len();
    let req = decode::<Exchange>(&bytes)?;
    let acks = if req.envelopes.is_empty() {
        let seen = state
            .storage
            .membership_seen(&space)
            .and_then(|m| may_use(m, device).ok());
        if seen.is_none() {
            member(&state, space, device).await?;
        }
        Vec::new()
    } else {
        store_envelopes(&state, space, device, req.envelopes, size).await?
    };
    let limit = req.limit.clamp(1, limits::MAX_PULL_CHANGES as u32);
    let (after, log_after) = (req.after, req.log_after);
    let page = state
        .store(move |s| s.pull(&space, after, log_after, limit))
        .await?;
    // What the device applied before this page; never past what is held.
    if after > 0 && after <= page.head_seq {
        state.store(move |s| s.ack(&space, &device, after)).await?;
    }
    Ok(cbor(&ExchangeResult {
        v: PROTOCOL_VERSION,
        acks,
        page: pull_page(page),
    }))
}

#[derive(Debug, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    after: u64,
    #[serde(default)]
    log_after: u64,
    limit: Option<u32>,
}

pub async fn pull(
    State(state): State<Arc<AppState>>,
    Path(space): Path<String>,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let space = space_id(&space)?;
    let Query(q) = query.map_err(|_| ApiError::new(ErrorCode::Malformed, "bad pull parameters"))?;
    member(&state, space, device).await?;
    let limit = q
        .limit
        .unwrap_or(limits::MAX_PULL_CHANGES as u32)
        .clamp(1, limits::MAX_PULL_CHANGES as u32);
    let page = state
        .store(move |s| s.pull(&space, q.after, q.log_after, limit))
        .await?;
    Ok(cbor(&pull_page(page)))
}

pub async fn ack(
    State(state): State<Arc<AppState>>,
    Path(space): Path<String>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let space = space_id(&space)?;
    let req = decode::<AckCursor>(&body(b)?)?;
    member(&state, space, device).await?;
    let head = state.store(move |s| s.head_seq(&space)).await?;
    if req.server_seq > head {
        return Err(ApiError::new(
            ErrorCode::InvalidEntry,
            "cannot acknowledge changes the server does not have",
        ));
    }
    state
        .store(move |s| s.ack(&space, &device, req.server_seq))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A stored page as the wire's `PullPage`.
fn pull_page(page: crate::storage::Page) -> PullPage {
    PullPage {
        v: PROTOCOL_VERSION,
        log: page.log,
        snapshot: page.snapshot,
        changes: page.changes,
        head_seq: page.head_seq,
        more: page.more,
        cursors: page.cursors,
    }
}
