//! One error type for the core, with messages a person can read.
//!
//! Messages never carry what a person wrote, nor any key material: only the
//! name of the field, the rule that was broken, and random record ids.
//! Shells (the CLI, the FFI) show `to_string()` as it is.

use crate::model::RecordKind;

/// What a relay served in place of a space this device joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinMismatch {
    /// The log's genesis does not make the space's id: another space.
    OtherSpace,
    /// The log does not add this device.
    NotAdded,
    /// This device was added by a device other than the one it paired
    /// with (or whose invite it accepted).
    AddedByAnother,
    /// The log does not hold the head the inviting device saw.
    OtherHistory,
}

impl JoinMismatch {
    fn words(self) -> &'static str {
        match self {
            JoinMismatch::OtherSpace => {
                "The sync server sent a different space than the one you joined"
            }
            JoinMismatch::NotAdded => {
                "The sync server sent this space without the step that added this device"
            }
            JoinMismatch::AddedByAnother => {
                "The sync server sent this space with this device added by another device than the one you joined with"
            }
            JoinMismatch::OtherHistory => {
                "The sync server sent an older or different copy of this space than the one you joined"
            }
        }
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A required piece of text is empty or only spaces.
    #[error("{field} can't be empty")]
    Empty { field: &'static str },

    /// A piece of text is longer than Kindred keeps.
    #[error("{field} is too long: at most {max} characters")]
    TooLong { field: &'static str, max: usize },

    /// A list (tags, activities, ...) has more entries than Kindred keeps.
    #[error("{field} has too many entries: at most {max}")]
    TooMany { field: &'static str, max: usize },

    /// A number or choice outside what the field accepts.
    #[error("{field} should be {expected}")]
    OutOfRange {
        field: &'static str,
        expected: &'static str,
    },

    /// A time range whose end comes before its start.
    #[error("the end time can't be before the start time")]
    EndBeforeStart,

    /// A check-in dated more than a day from now: almost always a typo.
    #[error(
        "that time is more than a day from now; check the date (a check-in can be from any time up to now)"
    )]
    TooFarAhead,

    /// A date range whose `until` comes before its `since`.
    #[error("the end date can't be before the start date")]
    RangeReversed,

    /// No record of that kind has that id.
    #[error("no {kind} with id {id}")]
    NotFound { kind: RecordKind, id: String },

    /// Too little of an id to stand for it.
    #[error("give at least 4 characters of the {kind}'s id")]
    PrefixTooShort { kind: RecordKind },

    /// Nothing of that kind has that name (the name stays out of the message).
    #[error("no {kind} has that name or id")]
    NoneNamed { kind: RecordKind },

    /// What was typed fits more than one record.
    #[error("{count} of your {kind}s fit that; give more of the id")]
    Ambiguous { kind: RecordKind, count: usize },

    /// A record someone else shared with this device: theirs to change.
    #[error("this {kind} was shared with you; only the person who wrote it can change it")]
    NotYours { kind: RecordKind },

    /// Signed notes keep their words; later words go in an addendum.
    #[error("note {id} is signed and can't be changed; add an addendum instead")]
    NoteSigned { id: String },

    /// Addenda follow a signature; a draft is simply edited.
    #[error("note {id} is still a draft: edit it, or sign it before adding an addendum")]
    NoteNotSigned { id: String },

    /// The space was last written by a newer version of Kindred.
    #[error(
        "{} were written by a newer version of Kindred; they are open to read only, so nothing in them is lost. Update Kindred to make changes",
        capitalised(space_words(space))
    )]
    ReadOnly { space: String },

    /// No Kindred data in this folder yet.
    #[error("no Kindred data here yet: run `init` first")]
    NotInitialised,

    /// `init` on a folder that already holds Kindred data.
    #[error("Kindred data already exists here; nothing was changed")]
    AlreadyInitialised,

    /// The storage key given does not open this store.
    #[error("this key does not open the Kindred data here; nothing was changed")]
    WrongKey,

    /// The platform could not hand over the storage key.
    #[error("the storage key is not available: {0}")]
    KeyUnavailable(String),

    /// A sealed blob failed its integrity check or could not be decoded.
    #[error(
        "stored data for {} is damaged ({what}); nothing was changed",
        space_words(space)
    )]
    Damaged { space: String, what: String },

    /// The database file itself is damaged or is not a Kindred database.
    #[error("the Kindred database file is damaged or is not a Kindred database")]
    DatabaseDamaged,

    /// The database was written by a newer version of Kindred.
    #[error(
        "this Kindred data was written by a newer version (store version {found}); update Kindred to open it"
    )]
    StoreTooNew { found: i64 },

    /// Any other storage failure (disk full, permissions, locked).
    #[error("storage failed while {context}: {source}")]
    Storage {
        context: &'static str,
        #[source]
        source: rusqlite::Error,
    },

    /// A file outside the database (export target, key file) failed.
    #[error("could not {context}: {source}")]
    Io {
        context: &'static str,
        #[source]
        source: std::io::Error,
    },

    /// A raw document export would carry notes flagged as substance-use content.
    #[error(
        "the caseload holds notes marked as substance-use content, and a raw automerge export carries every note; export as JSON or CSV to leave them out, or ask to include them"
    )]
    SensitiveInRawExport,

    /// An automerge operation failed while applying an edit; nothing was saved.
    #[error("the change could not be applied to the document; nothing was saved")]
    Document,

    /// A relay address this device will not use (see `sync::address`).
    #[error("{0}")]
    RelayAddress(#[from] crate::sync::RelayAddressError),

    /// The relay could not be reached (offline, or the server is down).
    #[error("the sync server could not be reached; your changes are kept here and will sync later")]
    Unreachable,

    /// The relay refused a request with a typed error. Shown by its code
    /// in plain words ([`refusal_words`]), never by the relay's own text:
    /// the relay is not trusted to write what a person reads.
    #[error("{}", refusal_words(code))]
    Refused { code: String, message: String },

    /// This device's store is behind what the device already sent: it was
    /// restored from a backup or copied (the relay holds envelopes under
    /// this device's key that the store never sealed, or says a new one
    /// was stored long ago). Nothing is deleted; the unsent changes stay.
    #[error(
        "this device's saved data for {} is older than what it already sent (it was restored from a backup, or copied), so it stopped syncing there to keep your newer changes. They are still here. To sync again, set this device up as a new device and pair it with one of your other devices; before that, export anything only this device has",
        space_words(space)
    )]
    RestoredFromBackup { space: String },

    /// A pairing offer's time ran out.
    #[error("this pairing code has expired; make a new one on the other device")]
    PairingExpired,

    /// A pairing offer was already used by another device.
    #[error("this pairing code was already used; make a new one on the other device")]
    PairingUsed,

    /// The other device's person said the request was not from their
    /// device (on the new device).
    #[error(
        "the other device said no to this pairing, so nothing was added. If this is your device, make a new code there and try again"
    )]
    PairingDeclined,

    /// A confirmation given when no pairing request is waiting for one.
    #[error("no new device is waiting for a yes on this pairing code")]
    PairingNotAsked,

    /// The first sync of a space joined by pairing or an invite did not
    /// serve the log the inviting device saw: a relay that substitutes
    /// or cuts the space. Nothing from it was saved.
    #[error("{}. Nothing from it was saved; ask the person whose device added you to add you again", what.words())]
    JoinMismatch { what: JoinMismatch },

    /// A space made by version 1 of Kindred: its id is random, so no
    /// other device could check it, and it is not sent to a relay.
    #[error(
        "this space was made by an older Kindred and cannot sync with this version; see \"Spaces from version 1\" in docs/protocol.md"
    )]
    OldSpace,

    /// A space joined by pairing has not finished its first sync.
    #[error(
        "{} have not finished their first sync yet; sync, then try again",
        capitalised(space_words(space))
    )]
    NotReady { space: String },

    /// An invite's time is up (on the inviting device).
    #[error(
        "this invite's time is up and no one was added; start a new one when you are both ready"
    )]
    InviteExpired,

    /// The code a joiner typed belongs to an invite whose time is up.
    #[error("this invite code has expired; ask the other person for a new one")]
    InviteCodeExpired,

    /// The other person said the strings differ, or cancelled.
    #[error("the invite was declined or cancelled on the other device; no one was added")]
    InviteDeclined,

    /// A step of an invite was taken before the one it needs.
    #[error("the invite is not at that step yet")]
    InviteNotReady,

    /// No invite is waiting under a code.
    #[error("no invite is waiting under this code: check it, or ask for a new one")]
    InviteUnknown,

    /// An invite message did not match what the other side committed to.
    #[error(
        "the invite's messages do not fit together (possibly interfered with); no one was added. Start again"
    )]
    InviteTampered,

    /// The invite's key exchange failed: the other side used another code
    /// (or someone tried to guess it). The invite is burnt.
    #[error(
        "the other device did not have the right invite code, so no one was added and this code no longer works; start a new invite and read the code out again"
    )]
    InviteCodeWrong,

    /// A step that adds someone (or says yes for this side) was asked for
    /// before this device's person said the strings match.
    #[error(
        "no one was added: first compare the numbers and pictures with the other person, and say yes only if they match"
    )]
    InviteNotConfirmed,

    /// A note with substance-use details is shared only by the person's choice.
    #[error(
        "note {id} holds substance-use details, so it is shared only if the person chooses: ask them, and if they agree, share it saying so"
    )]
    SubstanceUseNotShared { id: String },

    /// A share is ended by the person who started it: what is in it came
    /// from her records, and ending it brings that home.
    #[error(
        "this share was started by the other person, so only they can end it; ask them if you want it ended"
    )]
    NotYourShare,

    /// Only the person whose records these are deletes them forever (her
    /// own devices, as owners of the space).
    #[error("only the person these records belong to can delete them forever; you can ask them to")]
    CannotErase,

    /// A signed contact note is a record a program keeps: it is deleted
    /// forever only when the person asks, or when its keeping has ended.
    #[error(
        "this contact has signed notes, which are kept as records: delete them forever only if the person asked you to, or their keeping period has ended, and say which"
    )]
    SignedNotesKept,

    /// Only an owner device of a space changes who is in it.
    #[error(
        "only the person who owns {} can add or remove devices there",
        space_words(space)
    )]
    NotOwner { space: String },

    /// Only an owner of a share (the person who shared it, and her own
    /// devices) changes what the others in it may do.
    #[error(
        "only the person who shared this can change what others may do in it; nothing was changed"
    )]
    CannotChangeRoles,

    /// The plan and contact preferences in a share are the person's own:
    /// others in it suggest, and the person decides.
    #[error("this is the other person's to write; you can suggest a change, and they decide")]
    PersonOnly,

    /// "What helps" belongs with some sections of the plan only.
    #[error(
        "\"what helps\" goes with triggers, early signs and breaking down; for this section, write it all as the entry"
    )]
    NoHelpsHere,

    /// Words or a code typed as a recovery kit that are not one.
    #[error("{}", kit_words(*.0))]
    RecoveryKit(crate::recovery::KitProblem),

    /// A suggestion answered before keeps its first answer.
    #[error("this suggestion was already answered; nothing was changed")]
    AlreadyAnswered,

    /// Suggestions go to a plan someone shared with you.
    #[error("this part of the plan is not shared with you, so there is nothing to suggest into")]
    PlanNotShared,

    /// A device does not remove itself (it would lock itself out mid-way).
    #[error("this is the device you are using; remove it from another of your devices")]
    CannotRemoveSelf,

    /// Removing one of the person's own devices (or her recovery kit)
    /// waits: for its time, or for another of her devices to confirm it.
    #[error(
        "this removal waits: another of your devices can confirm it, or it happens when the wait is over"
    )]
    RemovalWaits,

    /// This device was removed from the person's data and keeps its copy
    /// locked: it can be exported or erased, not changed.
    #[error("this device was removed, so its copy is kept locked: you can export it or erase it")]
    CopyLocked,

    /// The recovery kit given is not a member where it is needed (an old,
    /// replaced kit, or another person's).
    #[error("this recovery kit does not open {what}: it may be an old kit that was replaced")]
    KitNotHere { what: String },

    /// A device id prefix that names more than one device.
    #[error("more than one device starts with {prefix}; give more of its id")]
    AmbiguousDevice { prefix: String },

    /// Syncing failed; `what` says how, without personal data.
    #[error("sync failed: {what}")]
    Sync { what: &'static str },

    /// An epoch key this device unwrapped is not the one the entry that
    /// started its epoch confirmed: the owner (or its device) handed
    /// different members different keys. The key is not used and nothing
    /// of the page was applied.
    #[error(
        "the key for period {epoch} of a space does not match what its owner confirmed; nothing was applied. Ask the space's owner to start a new key period (rotate its key)"
    )]
    KeyMismatch { epoch: u32 },

    /// A snapshot of a space was refused: not from one of the owner's
    /// devices, or its record of what it includes does not match what
    /// this device holds. Nothing of it was applied.
    #[error("a saved copy of a space was refused: {why}; nothing was applied")]
    SnapshotRefused { why: &'static str },

    /// The data was closed (an app's `close_data`); open it again.
    #[error("this Kindred data was closed; open it again")]
    Closed,

    /// This device may read what is shared here but not change it.
    #[error(
        "this was shared with you to read, not to change; nothing was changed. If you would like to add to it, ask the person who shared it"
    )]
    ReadOnlyShare,

    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Random,
}

/// What people call the records of a space of this kind ("personal",
/// "caseload", "shared"): the word "space" is not theirs.
pub fn records_of(kind: &str) -> &'static str {
    space_words(kind)
}

fn space_words(kind: &str) -> &'static str {
    match kind {
        "personal" => "your own records",
        "caseload" => "your caseload",
        "shared" => "the shared records",
        _ => "some of your records",
    }
}

fn capitalised(words: &str) -> String {
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl From<automerge::AutomergeError> for Error {
    fn from(_: automerge::AutomergeError) -> Error {
        // automerge's messages can quote values; keep them out of errors.
        Error::Document
    }
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps a SQLite error, recognising a damaged database file.
    pub(crate) fn storage(context: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
        move |source| {
            if let rusqlite::Error::SqliteFailure(e, _) = &source
                && matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
                )
            {
                return Error::DatabaseDamaged;
            }
            Error::Storage { context, source }
        }
    }

    /// True for input that breaks a rule of its own (empty, too long, out
    /// of range, end before start): the shells report these as usage
    /// errors. Unknown ids and refused edits are not in this group: the
    /// input was well formed but the data does not allow it.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Error::Empty { .. }
                | Error::TooLong { .. }
                | Error::TooMany { .. }
                | Error::OutOfRange { .. }
                | Error::RelayAddress(_)
                | Error::EndBeforeStart
                | Error::RangeReversed
                | Error::TooFarAhead
                | Error::PrefixTooShort { .. }
                | Error::NoHelpsHere
                | Error::RecoveryKit(_)
        )
    }
}

fn kit_words(p: crate::recovery::KitProblem) -> String {
    use crate::recovery::KitProblem as K;
    match p {
        K::WordCount { found } => format!(
            "a recovery kit has {} words; these are {found}",
            crate::recovery::KIT_WORDS
        ),
        K::UnknownWord { position } => format!(
            "word {position} is not one of the recovery kit's words; check its spelling on your kit"
        ),
        K::Checksum => "these words do not make a recovery kit: one of them is probably not quite right; check each one against your kit".to_owned(),
        K::NotAKit => "this is not a Kindred recovery kit".to_owned(),
        K::ShareNumber => "each share starts with its number, 1, 2 or 3, as printed on it".to_owned(),
        K::SameShareTwice => "the same share was given twice; two different shares are needed".to_owned(),
        K::NotEnoughShares { needed } => format!("{needed} different shares are needed to bring the kit back"),
    }
}

/// Plain words for a relay's refusal, by its error code (an unknown code
/// gets general words; the relay's message is never shown).
pub fn refusal_words(code: &str) -> &'static str {
    match code {
        "Forbidden" => {
            "the sync server says this device may read here but not add or change anything"
        }
        "Removed" | "NotMember" => "the sync server says this device is no longer in it",
        "RateLimited" => "the sync server is busy; try again in a little while",
        "WaitNotOver" => "this removal waits a little longer; it happens when the wait is over",
        "TooLarge" => "a change was too large for the sync server",
        "Internal" => "the sync server had a problem",
        "TokenExpired" | "Unauthenticated" => "the sync server asked this device to sign in again",
        _ => "the sync server refused it",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_said_by_its_code_never_by_the_relays_text() {
        let e = Error::Refused {
            code: "Forbidden".into(),
            message: "call 555 0100 now, your data is gone".into(),
        };
        let words = e.to_string();
        assert!(!words.contains("555"), "{words}");
        assert!(
            words.contains("may read here but not add or change"),
            "{words}"
        );
        let odd = Error::Refused {
            code: "Whatever\nyou like".into(),
            message: "anything".into(),
        };
        assert_eq!(odd.to_string(), "the sync server refused it");
    }
}
