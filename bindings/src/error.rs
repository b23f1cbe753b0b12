//! The one public error type, and the one place core errors map onto it.
//! Messages are the core's: written for people, free of personal data and
//! key material.

/// What went wrong, in a few kinds a screen can act on. Flat across the
/// FFI: each kind arrives as its own exception class whose message is the
/// text below.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum KindredError {
    /// Input that breaks a rule (empty, too long, out of range).
    #[error("{message}")]
    InvalidInput { message: String },
    /// No record, space or device with that id.
    #[error("{message}")]
    NotFound { message: String },
    /// The data does not allow it (a signed note, a read-only space ...).
    #[error("{message}")]
    NotAllowed { message: String },
    /// No Kindred data here, or it already exists, or the key does not open it.
    #[error("{message}")]
    Setup { message: String },
    /// The relay could not be reached: work is kept and syncs later.
    #[error("{message}")]
    Offline { message: String },
    /// The relay refused, or sync found something that does not check out.
    #[error("{message}")]
    Sync { message: String },
    /// Pairing or an invite did not go through; no one was added.
    #[error("{message}")]
    Pairing { message: String },
    /// The device's storage failed or is damaged.
    #[error("{message}")]
    Storage { message: String },
    /// The platform could not supply the storage key.
    #[error("{message}")]
    KeyUnavailable { message: String },
    /// This object was closed; open a new one.
    #[error("this Kindred object was closed")]
    Closed,
}

impl From<kindred_core::Error> for KindredError {
    fn from(e: kindred_core::Error) -> Self {
        use kindred_core::Error as E;
        let message = e.to_string();
        if e.is_invalid_input() {
            return KindredError::InvalidInput { message };
        }
        match e {
            // A name that fits nothing reads like an id that fits nothing.
            E::NotFound { .. } | E::NoneNamed { .. } => KindredError::NotFound { message },
            // Fits several: the person gives more of it.
            E::Ambiguous { .. } => KindredError::InvalidInput { message },
            E::NoteSigned { .. }
            | E::NoteNotSigned { .. }
            | E::ReadOnly { .. }
            | E::ReadOnlyShare
            | E::NotReady { .. }
            | E::NotOwner { .. }
            | E::CannotRemoveSelf
            | E::AmbiguousDevice { .. }
            | E::SensitiveInRawExport
            | E::SubstanceUseNotShared { .. }
            | E::NotYourShare
            | E::CannotErase
            | E::SignedNotesKept
            | E::CannotChangeRoles
            | E::PersonOnly
            | E::AlreadyAnswered
            | E::PlanNotShared
            | E::RemovalWaits
            | E::CopyLocked
            | E::KitNotHere { .. }
            | E::NotYours { .. } => KindredError::NotAllowed { message },
            E::NotInitialised | E::AlreadyInitialised | E::WrongKey | E::StoreTooNew { .. } => {
                KindredError::Setup { message }
            }
            E::KeyUnavailable(_) => KindredError::KeyUnavailable { message },
            E::Closed => KindredError::Closed,
            E::Unreachable => KindredError::Offline { message },
            E::Refused { .. }
            | E::Sync { .. }
            | E::JoinMismatch { .. }
            | E::OldSpace
            | E::RestoredFromBackup { .. } => KindredError::Sync { message },
            E::PairingExpired
            | E::PairingUsed
            | E::PairingDeclined
            | E::PairingNotAsked
            | E::InviteExpired
            | E::InviteCodeExpired
            | E::InviteDeclined
            | E::InviteNotReady
            | E::InviteUnknown
            | E::InviteTampered
            | E::InviteCodeWrong
            | E::InviteNotConfirmed => KindredError::Pairing { message },
            _ => KindredError::Storage { message },
        }
    }
}

impl From<kindred_core::sync::TransportError> for KindredError {
    fn from(e: kindred_core::sync::TransportError) -> Self {
        match e {
            kindred_core::sync::TransportError::Unreachable => KindredError::Offline {
                message: kindred_core::Error::Unreachable.to_string(),
            },
            kindred_core::sync::TransportError::Address(a) => KindredError::InvalidInput {
                message: a.to_string(),
            },
            other => KindredError::Sync {
                message: format!("the sync server: {other}"),
            },
        }
    }
}

/// Why the platform's key store could not give the storage key, as the
/// app's [`crate::KeyProvider`] reports it. Not flat, so uniffi can carry
/// it from Kotlin or Swift into Rust; any other exception the provider
/// throws arrives as `Unavailable` too (`From<UnexpectedUniFFICallbackError>`),
/// never as a panic. The app sees it as `KindredError::KeyUnavailable`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum KeyProviderError {
    /// The key store is locked, missing, or failed.
    #[error("the device's key store could not give the storage key")]
    Unavailable,
}

impl From<uniffi::UnexpectedUniFFICallbackError> for KeyProviderError {
    fn from(_: uniffi::UnexpectedUniFFICallbackError) -> Self {
        // The foreign exception's text is not carried on: it may name
        // platform details that have no place in an error a person sees.
        KeyProviderError::Unavailable
    }
}

/// Results across the FFI.
pub type FfiResult<T> = Result<T, KindredError>;
