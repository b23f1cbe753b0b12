//! `/v1/live`: a WebSocket that tells a device "space S has changes up to
//! seq N" so it pulls at once instead of polling. Hints carry no content.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use kindred_protocol::{DeviceKey, SpaceId, encode};
use tokio::sync::broadcast::error::RecvError;

use crate::error::ApiError;
use crate::{AppState, auth};

pub async fn live(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let device = auth::device(&state, &headers).await?;
    // Hints are tiny: small buffers keep an idle connection cheap.
    Ok(ws
        .read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024)
        .max_message_size(64 * 1024)
        .max_frame_size(64 * 1024)
        .on_upgrade(move |socket| serve(state, device, socket)))
}

/// True while `device` is a member of `space` and not removed from it.
async fn still_member(state: &Arc<AppState>, space: SpaceId, device: DeviceKey) -> bool {
    let m = state
        .store(move |s| s.membership(&space))
        .await
        .ok()
        .flatten();
    m.is_some_and(|m| !m.removed.contains(&device) && m.members.contains_key(&device))
}

async fn serve(state: Arc<AppState>, device: DeviceKey, mut socket: WebSocket) {
    let mut hints = state.hints.subscribe();
    state
        .metrics
        .live_connections
        .fetch_add(1, Ordering::Relaxed);
    let mut spaces = state
        .store(move |s| s.spaces_of(&device))
        .await
        .unwrap_or_default();
    loop {
        tokio::select! {
            hint = hints.recv() => match hint {
                Ok(h) => {
                    if !spaces.contains(&h.space) {
                        // Maybe added since we connected: look again.
                        spaces = state.store(move |s| s.spaces_of(&device)).await.unwrap_or_default();
                        if !spaces.contains(&h.space) {
                            continue;
                        }
                    }
                    // Maybe removed since: a removed device hears nothing
                    // more of the space. Read afresh (another instance may
                    // have appended the removal); SQLite answers from its
                    // cache, which its own appends keep current.
                    if !still_member(&state, h.space, device).await {
                        spaces.retain(|s| *s != h.space);
                        continue;
                    }
                    if socket.send(Message::Binary(encode(&h).into())).await.is_err() {
                        break;
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
        }
    }
    state
        .metrics
        .live_connections
        .fetch_sub(1, Ordering::Relaxed);
}
