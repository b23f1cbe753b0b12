//! One error type for every refusal, answered as a CBOR `ErrorBody` with
//! the status code docs/protocol.md gives for its code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kindred_protocol::messages::{ErrorBody, ErrorCode};
use kindred_protocol::{DecodeError, PROTOCOL_VERSION, encode};

use crate::storage::StoreError;

/// A refused or failed request.
#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// The HTTP status for the code.
    pub fn status(&self) -> StatusCode {
        use ErrorCode::*;
        match self.code {
            Malformed | UnsupportedVersion | InvalidEntry | SequenceGap => StatusCode::BAD_REQUEST,
            Unauthenticated | TokenExpired => StatusCode::UNAUTHORIZED,
            Forbidden | NotMember | Removed | BadSignature => StatusCode::FORBIDDEN,
            NotFound => StatusCode::NOT_FOUND,
            SequenceConflict | StaleHead | StaleEpoch | SpaceExists => StatusCode::CONFLICT,
            TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            MailboxFull | RateLimited => StatusCode::TOO_MANY_REQUESTS,
            WaitNotOver => StatusCode::CONFLICT,
            Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<DecodeError> for ApiError {
    fn from(e: DecodeError) -> ApiError {
        let code = match e {
            DecodeError::TooLarge { .. } | DecodeError::FieldTooLarge { .. } => ErrorCode::TooLarge,
            DecodeError::UnsupportedVersion(_) => ErrorCode::UnsupportedVersion,
            DecodeError::Malformed | DecodeError::TrailingBytes => ErrorCode::Malformed,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Refused { code, message } => ApiError::new(code, message),
            StoreError::Backend(m) => {
                tracing::error!(error = %m, "storage failed");
                ApiError::new(
                    ErrorCode::Internal,
                    "the server could not store or read data",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = encode(&ErrorBody {
            v: PROTOCOL_VERSION,
            code: self.code,
            message: self.message,
        });
        let mut resp = (status, [("content-type", "application/cbor")], body).into_response();
        resp.extensions_mut().insert(self.code);
        resp
    }
}
