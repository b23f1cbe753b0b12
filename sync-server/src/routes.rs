//! One handler per endpoint (docs/protocol.md). Each decodes strictly,
//! checks what the server can check, and makes one storage call.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kindred_protocol::messages::*;
use kindred_protocol::{
    Action, DeviceKey, Membership, Message, PROTOCOL_VERSION, Salt, SpaceId, decode, encode,
    verify_ed25519,
};
use ring::rand::{SecureRandom, SystemRandom};
use serde::Deserialize;

use crate::error::ApiError;
use crate::{AppState, auth, unix_now};

pub(crate) fn cbor<T: Message>(m: &T) -> Response {
    ([("content-type", "application/cbor")], encode(m)).into_response()
}

/// The body, or a typed refusal when it is over the route's limit.
pub(crate) fn body(b: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    b.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(ErrorCode::TooLarge, "the request body is too large")
        } else {
            ApiError::new(ErrorCode::Malformed, "the request body could not be read")
        }
    })
}

pub(crate) fn space_id(hex: &str) -> Result<SpaceId, ApiError> {
    SpaceId::from_hex(hex).ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such space"))
}

fn random32() -> Result<[u8; 32], ApiError> {
    let mut b = [0u8; 32];
    SystemRandom::new()
        .fill(&mut b)
        .map_err(|_| ApiError::new(ErrorCode::Internal, "randomness failed"))?;
    Ok(b)
}

/// The space's membership, refusing removed devices and non-members.
pub(crate) async fn member(
    state: &Arc<AppState>,
    space: SpaceId,
    device: DeviceKey,
) -> Result<Membership, ApiError> {
    let m = state
        .store(move |s| s.membership(&space))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such space"))?;
    may_use(m, device)
}

/// Refuses removed devices and non-members.
pub(crate) fn may_use(m: Membership, device: DeviceKey) -> Result<Membership, ApiError> {
    if m.removed.contains(&device) {
        return Err(ApiError::new(
            ErrorCode::Removed,
            "this device was removed from the space",
        ));
    }
    if !m.members.contains_key(&device) {
        return Err(ApiError::new(
            ErrorCode::NotMember,
            "this device is not a member of the space",
        ));
    }
    Ok(m)
}

/// Refuses a device that may only read.
pub(crate) fn writer(m: Membership, device: DeviceKey) -> Result<Membership, ApiError> {
    if !m.role_of(&device).is_some_and(|r| r.can_write()) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "this device may read but not write",
        ));
    }
    Ok(m)
}

pub async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such endpoint")
}

pub async fn metrics(State(state): State<Arc<AppState>>) -> String {
    state.metrics.render()
}

/// `/metrics` on the public listener: only with the operator's bearer
/// token, and not there at all when none is set.
pub async fn metrics_with_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<String, ApiError> {
    let Some(want) = &state.config.metrics_token else {
        return Err(ApiError::new(ErrorCode::NotFound, "no such endpoint"));
    };
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    // Compared as hashes, so the time taken says nothing about the token.
    if auth::token_hash(given) != auth::token_hash(want) {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "the metrics need the operator's metrics token",
        ));
    }
    Ok(state.metrics.render())
}

/// The client's TCP peer, when the server was started with it.
pub type Peer = Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>;

fn peer_addr(p: &Peer) -> Option<std::net::SocketAddr> {
    p.as_ref().map(|c| c.0.0)
}

pub async fn challenge(
    State(state): State<Arc<AppState>>,
    peer: Peer,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(r) = state.take_limit(&state.challenges, peer_addr(&peer), &headers) {
        return r.into_response();
    }
    challenge_inner(state, b).await.into_response()
}

async fn challenge_inner(
    state: Arc<AppState>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req = decode::<ChallengeRequest>(&body(b)?)?;
    let nonce = Salt(random32()?);
    let now = unix_now();
    let expires = now + state.config.challenge_ttl_secs;
    let device = req.device;
    let most = state.config.max_open_challenges;
    state
        .store(move |s| s.put_challenge(&nonce, &device, now, expires, most))
        .await?;
    Ok(cbor(&Challenge {
        v: PROTOCOL_VERSION,
        nonce,
        expires_in_secs: state.config.challenge_ttl_secs,
    }))
}

pub async fn token(
    State(state): State<Arc<AppState>>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req = decode::<TokenRequest>(&body(b)?)?;
    // The origin is checked before the challenge is used up, so a
    // sign-in meant for another relay costs the device nothing here.
    let origin = kindred_protocol::origin::canonical_origin(&req.origin).map_err(|e| {
        ApiError::new(
            ErrorCode::Malformed,
            format!("the sign-in names no relay address: {e}"),
        )
    })?;
    if origin != req.origin || !state.config.origins.contains(&origin) {
        let ours = state
            .config
            .origins
            .first()
            .cloned()
            .unwrap_or_else(|| "unknown (its operator has not set --public-origin)".into());
        return Err(ApiError::new(
            ErrorCode::BadSignature,
            format!(
                "this sign-in was made for the relay at {origin}, but this relay is {ours}; check the relay address in the device's settings"
            ),
        ));
    }
    let nonce = req.nonce;
    let now = unix_now();
    let issued_to = state.store(move |s| s.take_challenge(&nonce, now)).await?;
    if issued_to != Some(req.device) {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "unknown or expired challenge",
        ));
    }
    verify_ed25519(
        &req.device,
        &TokenRequest::signing_bytes(&req.device, &req.nonce, &origin),
        &req.sig,
    )
    .map_err(|_| {
        ApiError::new(
            ErrorCode::BadSignature,
            "the challenge signature does not verify",
        )
    })?;
    let token = kindred_protocol::bytes::Hash(random32()?).to_hex();
    let hash = auth::token_hash(&token);
    let device = req.device;
    let expires = now + state.config.token_ttl_secs;
    state
        .store(move |s| s.put_token(&hash, &device, expires))
        .await?;
    Ok(cbor(&Token {
        v: PROTOCOL_VERSION,
        token,
        expires_in_secs: state.config.token_ttl_secs,
    }))
}

/// The spaces the device is a member of.
pub async fn list_spaces(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let spaces = state.store(move |s| s.spaces_of(&device)).await?;
    Ok(cbor(&SpaceList {
        v: PROTOCOL_VERSION,
        spaces,
    }))
}

pub async fn create_space(
    State(state): State<Arc<AppState>>,
    peer: Peer,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(r) = state.take_limit(&state.new_spaces, peer_addr(&peer), &headers) {
        return r.into_response();
    }
    create_space_inner(state, headers, b).await.into_response()
}

async fn create_space_inner(
    state: Arc<AppState>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let req = decode::<AppendLog>(&body(b)?)?;
    if req.entry.author != device {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "a space is created by the device that signs its genesis",
        ));
    }
    if !matches!(req.entry.action, Action::Genesis { .. }) {
        return Err(ApiError::new(
            ErrorCode::InvalidEntry,
            "a new space starts with a genesis entry",
        ));
    }
    let entry = req.entry;
    let m = state.store(move |s| s.create_space(&entry)).await?;
    tracing::info!(space = %m.space.to_hex(), "space created");
    Ok((
        StatusCode::CREATED,
        cbor(&LogHead {
            v: PROTOCOL_VERSION,
            len: m.len,
            head: m.head,
        }),
    )
        .into_response())
}

pub async fn append_log(
    State(state): State<Arc<AppState>>,
    Path(space): Path<String>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let space = space_id(&space)?;
    let req = decode::<AppendLog>(&body(b)?)?;
    let m = member(&state, space, device).await?;
    if req.entry.space != space {
        return Err(ApiError::new(
            ErrorCode::InvalidEntry,
            "the entry names another space",
        ));
    }
    if req.entry.author != device {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "entries are appended by the device that signs them",
        ));
    }
    if matches!(req.entry.action, kindred_protocol::Action::Erase { .. }) {
        return Err(ApiError::new(
            ErrorCode::InvalidEntry,
            "an erasure is stored with its snapshot: POST it to /v1/spaces/{id}/erase",
        ));
    }
    // The wait before a removal is checked against the membership the
    // entry follows: the store appends it only on that same head.
    if req.entry.seq != m.len || req.entry.prev != m.head {
        return Err(ApiError::new(
            ErrorCode::StaleHead,
            "the log has moved on; pull and try again",
        ));
    }
    crate::removal::check_time(
        &m,
        &req.entry,
        crate::storage::unix_now(),
        state.config.removal_wait,
    )?;
    let entry = req.entry;
    let m = state.store(move |s| s.append_log(&entry)).await?;
    tracing::info!(space = %space.to_hex(), len = m.len, "log entry appended");
    Ok(cbor(&LogHead {
        v: PROTOCOL_VERSION,
        len: m.len,
        head: m.head,
    }))
}

/// An erasure: the `Erase` entry and the history-free snapshot, stored
/// together while every earlier change of the space is deleted (see
/// `Storage::erase`). Checked like an append (author, space, the log's
/// rules) and like a snapshot (signature), and then in the transaction.
pub async fn erase(
    State(state): State<Arc<AppState>>,
    Path(space): Path<String>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let space = space_id(&space)?;
    let req = decode::<EraseSpace>(&body(b)?)?;
    member(&state, space, device).await?;
    if req.entry.space != space || req.snapshot.space != space {
        return Err(ApiError::new(
            ErrorCode::InvalidEntry,
            "the erasure names another space",
        ));
    }
    if req.entry.author != device || req.snapshot.device != device {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "an erasure is sent by the device that signs it",
        ));
    }
    req.snapshot.verify_signature().map_err(|_| {
        ApiError::new(
            ErrorCode::BadSignature,
            "the snapshot's signature does not verify",
        )
    })?;
    let EraseSpace {
        entry, snapshot, ..
    } = req;
    let m = state.store(move |s| s.erase(&entry, &snapshot)).await?;
    let head = state.store(move |s| s.head_seq(&space)).await?;
    let _ = state.hints.send(Hint {
        v: PROTOCOL_VERSION,
        space,
        seq: head,
    });
    // That an erasure happened is the log's (sealed) business; the relay's
    // own log says only where and how long the log is now.
    tracing::info!(space = %space.to_hex(), len = m.len, "space erased and started afresh");
    Ok(cbor(&LogHead {
        v: PROTOCOL_VERSION,
        len: m.len,
        head: m.head,
    }))
}

pub async fn put_snapshot(
    State(state): State<Arc<AppState>>,
    Path(space): Path<String>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let space = space_id(&space)?;
    let req = decode::<PutSnapshot>(&body(b)?)?;
    let m = member(&state, space, device).await?;
    let snap = req.snapshot;
    if snap.space != space || snap.device != device {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "the snapshot names another space or device",
        ));
    }
    // Devices take snapshots only from the owner's devices (issue 13);
    // the relay refuses the rest so an honest relay never serves one.
    if !m.may_snapshot(&device, m.epoch) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "only the space owner's devices may upload a snapshot",
        ));
    }
    snap.verify_signature().map_err(|_| {
        ApiError::new(
            ErrorCode::BadSignature,
            "the snapshot's signature does not verify",
        )
    })?;
    if snap.epoch != m.epoch {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "snapshots must be sealed under the current epoch",
        ));
    }
    let size = snap.ciphertext.0.len();
    state.store(move |s| s.put_snapshot(&snap)).await?;
    tracing::info!(space = %space.to_hex(), bytes = size, "snapshot stored");
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize)]
pub struct LogQuery {
    #[serde(default)]
    after: u64,
}

/// The log alone, for members and for devices that were removed (they
/// verify their removal from it before wiping their copy).
pub async fn log(
    State(state): State<Arc<AppState>>,
    Path(space): Path<String>,
    query: Result<Query<LogQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    let space = space_id(&space)?;
    let Query(q) = query.map_err(|_| ApiError::new(ErrorCode::Malformed, "bad log parameters"))?;
    let m = state
        .store(move |s| s.membership(&space))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such space"))?;
    if !m.members.contains_key(&device) && !m.removed.contains(&device) {
        return Err(ApiError::new(
            ErrorCode::NotMember,
            "this device is not a member of the space",
        ));
    }
    let entries = state.store(move |s| s.log_from(&space, q.after)).await?;
    Ok(cbor(&LogPage {
        v: PROTOCOL_VERSION,
        entries,
    }))
}

fn mailbox(id: &str) -> Result<[u8; 16], ApiError> {
    SpaceId::from_hex(id)
        .map(|s| s.0)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such mailbox"))
}

pub async fn rendezvous_post(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    peer: Peer,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(r) = state.take_limit(&state.rendezvous, peer_addr(&peer), &headers) {
        return r.into_response();
    }
    rendezvous_post_inner(state, id, b).await.into_response()
}

async fn rendezvous_post_inner(
    state: Arc<AppState>,
    id: String,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = mailbox(&id)?;
    let req = decode::<RendezvousPost>(&body(b)?)?;
    let now = unix_now();
    let ttl = state.config.rendezvous_ttl_secs;
    state
        .store(move |s| s.rendezvous_put(&id, &req.payload.0, now, ttl))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn rendezvous_take(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = mailbox(&id)?;
    let now = unix_now();
    let messages = state.store(move |s| s.rendezvous_take(&id, now)).await?;
    Ok(cbor(&RendezvousMessages {
        v: PROTOCOL_VERSION,
        messages: messages.into_iter().map(kindred_protocol::Bytes).collect(),
    }))
}
