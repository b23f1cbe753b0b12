//! Challenge → signature → bearer token. Only SHA-256 of a token is kept,
//! so a copy of the database does not hand out live tokens.

use std::sync::Arc;

use axum::http::HeaderMap;
use kindred_protocol::DeviceKey;
use kindred_protocol::messages::ErrorCode;
use ring::digest::{SHA256, digest};

use crate::AppState;
use crate::error::ApiError;

/// SHA-256 of a token's text.
pub fn token_hash(token: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, token.as_bytes()).as_ref());
    out
}

/// The device behind the request's bearer token.
pub async fn device(state: &Arc<AppState>, headers: &HeaderMap) -> Result<DeviceKey, ApiError> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "sign in first: no bearer token"))?
        .to_owned();
    let hash = token_hash(&token);
    let found = state.store(move |s| s.token(&hash)).await?;
    match found {
        None => Err(ApiError::new(ErrorCode::Unauthenticated, "unknown token")),
        Some((_, expires)) if expires < crate::unix_now() => Err(ApiError::new(
            ErrorCode::TokenExpired,
            "the token has expired; sign in again",
        )),
        Some((device, _)) => {
            state.take_rate(&device)?;
            Ok(device)
        }
    }
}
