//! The records that cross the FFI, and their conversions from the core's.
//!
//! Times are RFC 3339 text with their offset (`2026-03-01T21:30:00+01:00`),
//! dates `YYYY-MM-DD`, choices (status, life area, note type ...) their
//! stored words: a value written by a newer app version passes through
//! unchanged instead of failing to convert. The Kotlin wrapper turns them
//! into `OffsetDateTime`, `LocalDate` and enums.

use kindred_core::model::{self as m, format_date, format_time};

use crate::error::{FfiResult, KindredError};

pub(crate) fn time_of(s: &str) -> FfiResult<time::OffsetDateTime> {
    Ok(m::parse_time(s)?)
}

pub(crate) fn date_of(s: &str) -> FfiResult<time::Date> {
    Ok(m::parse_date(s)?)
}

pub(crate) fn opt_date(s: &Option<String>) -> FfiResult<Option<time::Date>> {
    s.as_deref().map(date_of).transpose()
}

pub(crate) fn id_of(s: &str) -> FfiResult<kindred_core::Id> {
    kindred_core::Id::parse(s).ok_or_else(|| KindredError::InvalidInput {
        message: "an id must be 32 hex digits".into(),
    })
}

/// This device.
#[derive(Debug, Clone, uniffi::Record)]
pub struct DeviceRecord {
    pub id: String,
    pub name: String,
    /// First 16 hex digits of its key, as other devices show it.
    pub fingerprint: String,
}

/// A goal to add.
#[derive(Debug, Clone, uniffi::Record)]
pub struct NewGoal {
    pub title: String,
    pub why: Option<String>,
    /// emotional, environmental, financial, intellectual, occupational,
    /// physical, social or spiritual.
    pub area: Option<String>,
    pub target_date: Option<String>,
}

/// Changes to a goal: `None` leaves a field as it is; a `clear_*` flag
/// empties an optional field.
#[derive(Debug, Clone, uniffi::Record)]
pub struct GoalChanges {
    pub title: Option<String>,
    pub why: Option<String>,
    pub clear_why: bool,
    pub area: Option<String>,
    pub clear_area: bool,
    pub target_date: Option<String>,
    pub clear_target_date: bool,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct StepRecord {
    pub id: String,
    pub text: String,
    pub due: Option<String>,
    pub done_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ProgressRecord {
    pub id: String,
    pub at: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GoalRecord {
    pub id: String,
    pub title: String,
    pub why: Option<String>,
    pub area: Option<String>,
    /// active, paused, achieved or let_go.
    pub status: String,
    pub target_date: Option<String>,
    pub steps: Vec<StepRecord>,
    pub progress: Vec<ProgressRecord>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<m::Goal> for GoalRecord {
    fn from(g: m::Goal) -> Self {
        GoalRecord {
            id: g.id.to_string(),
            title: g.title,
            why: g.why,
            area: g.area.map(|a| a.as_str().to_owned()),
            status: g.status.as_str().to_owned(),
            target_date: g.target_date.map(format_date),
            steps: g
                .steps
                .into_iter()
                .map(|s| StepRecord {
                    id: s.id.to_string(),
                    text: s.text,
                    due: s.due.map(format_date),
                    done_at: s.done_at.map(format_time),
                })
                .collect(),
            progress: g
                .progress
                .into_iter()
                .map(|p| ProgressRecord {
                    id: p.id.to_string(),
                    at: format_time(p.at),
                    note: p.note,
                })
                .collect(),
            created_at: format_time(g.created_at),
            updated_at: format_time(g.updated_at),
        }
    }
}

/// A check-in to record.
#[derive(Debug, Clone, uniffi::Record)]
pub struct NewCheckIn {
    /// When it happened (default: now).
    pub occurred_at: Option<String>,
    /// 1 (low) to 5 (high).
    pub mood: i64,
    pub energy: Option<i64>,
    pub tags: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckInRecord {
    pub id: String,
    pub occurred_at: String,
    pub mood: u8,
    pub energy: Option<u8>,
    pub tags: Vec<String>,
    pub note: Option<String>,
}

impl From<m::CheckIn> for CheckInRecord {
    fn from(c: m::CheckIn) -> Self {
        CheckInRecord {
            id: c.id.to_string(),
            occurred_at: format_time(c.occurred_at),
            mood: c.mood,
            energy: c.energy,
            tags: c.tags,
            note: c.note,
        }
    }
}

/// One week of check-ins, summarised.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WeekRecord {
    pub week_start: String,
    pub week_end: String,
    pub count: u64,
    pub mean_mood: Option<f64>,
    pub mean_energy: Option<f64>,
    /// Tags with how often each came up.
    pub tags: Vec<TagCount>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TagCount {
    pub tag: String,
    pub count: u64,
}

impl From<kindred_core::summary::WeekSummary> for WeekRecord {
    fn from(w: kindred_core::summary::WeekSummary) -> Self {
        WeekRecord {
            week_start: format_date(w.week_start),
            week_end: format_date(w.week_end),
            count: w.count as u64,
            mean_mood: w.mean_mood,
            mean_energy: w.mean_energy,
            tags: w
                .tags
                .into_iter()
                .map(|(tag, count)| TagCount {
                    tag,
                    count: count as u64,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ContactRecord {
    pub id: String,
    pub name: String,
    /// The share the worker linked this contact to (their preferences).
    pub share_space: Option<String>,
}

/// A contact note to add (always a draft).
#[derive(Debug, Clone, uniffi::Record)]
pub struct NewNote {
    pub contact_id: String,
    /// in_person, phone, video, text, group or attempted.
    pub contact_type: String,
    /// community, home, program, hospital, outreach or other.
    pub setting: String,
    pub start: String,
    pub end: String,
    pub goals_addressed: Vec<String>,
    pub peer_activities: Vec<String>,
    pub narrative: String,
    pub own_words: Option<String>,
    pub strengths: Option<String>,
    pub next_steps: Option<String>,
    pub next_contact: Option<String>,
    pub substance_use: bool,
}

/// Changes to a draft note: `None` leaves a field as it is; a `clear_*`
/// flag empties an optional field. Every field of a note can change.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct NoteChanges {
    /// in_person, phone, video, text, group or attempted.
    #[uniffi(default)]
    pub contact_type: Option<String>,
    /// community, home, program, hospital, outreach or other.
    #[uniffi(default)]
    pub setting: Option<String>,
    #[uniffi(default)]
    pub start: Option<String>,
    #[uniffi(default)]
    pub end: Option<String>,
    #[uniffi(default)]
    pub goals_addressed: Option<Vec<String>>,
    #[uniffi(default)]
    pub peer_activities: Option<Vec<String>>,
    #[uniffi(default)]
    pub narrative: Option<String>,
    #[uniffi(default)]
    pub own_words: Option<String>,
    #[uniffi(default)]
    pub clear_own_words: bool,
    #[uniffi(default)]
    pub strengths: Option<String>,
    #[uniffi(default)]
    pub clear_strengths: bool,
    #[uniffi(default)]
    pub next_steps: Option<String>,
    #[uniffi(default)]
    pub clear_next_steps: bool,
    /// YYYY-MM-DD.
    #[uniffi(default)]
    pub next_contact: Option<String>,
    #[uniffi(default)]
    pub clear_next_contact: bool,
    #[uniffi(default)]
    pub substance_use: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AddendumRecord {
    pub id: String,
    pub at: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CommentRecord {
    pub id: String,
    pub at: String,
    pub by: String,
    pub text: String,
    /// The words are as their author wrote them.
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NoteRecord {
    pub id: String,
    pub contact_id: String,
    pub contact_type: String,
    pub setting: String,
    pub start: String,
    pub end: String,
    pub goals_addressed: Vec<String>,
    pub peer_activities: Vec<String>,
    pub narrative: String,
    pub own_words: Option<String>,
    pub strengths: Option<String>,
    pub next_steps: Option<String>,
    pub next_contact: Option<String>,
    /// draft or signed.
    pub status: String,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    pub signature_ok: Option<bool>,
    pub substance_use: bool,
    pub addenda: Vec<AddendumRecord>,
    pub shared_in: Option<String>,
    pub comments: Vec<CommentRecord>,
    pub reviewed_at: Option<String>,
    pub reviewed_by: Option<String>,
}

impl From<m::ContactNote> for NoteRecord {
    fn from(n: m::ContactNote) -> Self {
        NoteRecord {
            id: n.id.to_string(),
            contact_id: n.contact_id.to_string(),
            contact_type: n.contact_type.as_str().to_owned(),
            setting: n.setting.as_str().to_owned(),
            start: format_time(n.start),
            end: format_time(n.end),
            goals_addressed: n.goals_addressed,
            peer_activities: n.peer_activities,
            narrative: n.narrative,
            own_words: n.own_words,
            strengths: n.strengths,
            next_steps: n.next_steps,
            next_contact: n.next_contact.map(format_date),
            status: n.status.as_str().to_owned(),
            signed_at: n.signed_at.map(format_time),
            signed_by: n.signed_by_name.or(n.signed_by),
            signature_ok: n.signature_ok,
            substance_use: n.substance_use,
            addenda: n
                .addenda
                .into_iter()
                .map(|a| AddendumRecord {
                    id: a.id.to_string(),
                    at: format_time(a.at),
                    text: a.text,
                })
                .collect(),
            shared_in: n.shared_in,
            comments: n
                .comments
                .into_iter()
                .map(|c| CommentRecord {
                    id: c.id.to_string(),
                    at: format_time(c.at),
                    by: c.by,
                    text: c.text,
                    verified: c.verified,
                })
                .collect(),
            reviewed_at: n.reviewed_at.map(format_time),
            reviewed_by: n.reviewed_by,
        }
    }
}

/// What changing the others' role in a share did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RoleChangeRecord {
    /// Who it was changed for, by name.
    pub name: String,
    /// Their role before: owner, writer or reader.
    pub before: String,
    /// Their role now.
    pub role: String,
    /// False if they already had it (nothing changed).
    pub changed: bool,
    /// What they can do now, to finish "They can now …".
    pub in_words: String,
}

/// What one sync pass did for one space: every space is reported, the
/// ones that failed with `problem` set (the others still synced).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SpaceSyncRecord {
    pub kind: String,
    pub space: String,
    /// Changes made here that the relay now holds.
    pub pushed: u64,
    /// Changes from other devices applied here.
    pub pulled: u64,
    pub quarantined: u64,
    pub removed: bool,
    /// Why this space did not sync this time, in words a person can read
    /// (`None`: it synced). Its changes are kept and tried again.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SeenByRecord {
    pub device: String,
    pub up_to_date: bool,
}

/// Sync status of one space.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncStatusRecord {
    pub space: String,
    pub kind: String,
    pub on_server: bool,
    pub pending: u64,
    pub last_push_at: Option<String>,
    pub last_pull_at: Option<String>,
    pub last_error: Option<String>,
    pub quarantined: u64,
    pub seen_by: Vec<SeenByRecord>,
}

impl From<kindred_core::sync::SyncStatus> for SyncStatusRecord {
    fn from(s: kindred_core::sync::SyncStatus) -> Self {
        SyncStatusRecord {
            space: s.space,
            kind: s.kind,
            on_server: s.on_server,
            pending: s.pending,
            last_push_at: s.last_push_at,
            last_pull_at: s.last_pull_at,
            last_error: s.last_error,
            quarantined: s.quarantined,
            seen_by: s
                .seen_by
                .into_iter()
                .map(|b| SeenByRecord {
                    device: b.device,
                    up_to_date: b.up_to_date,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DeviceInfoRecord {
    pub space: String,
    pub name: String,
    pub fingerprint: String,
    pub role: String,
    pub this_device: bool,
}

/// The device on the other side of a pairing or an invite.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PeerRecord {
    pub name: String,
    pub fingerprint: String,
    /// The shared space joined (invites only).
    pub space: Option<String>,
    pub role: Option<String>,
}

/// The short string both people compare.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SasRecord {
    /// Six digits, shown as `123 456` (19.9 bits).
    pub digits: String,
    /// Four emoji (24 bits more, from other bits of the session key):
    /// the two people compare both, 43.9 bits in all.
    pub emoji: Vec<String>,
}

impl From<kindred_core::sync::Sas> for SasRecord {
    fn from(s: kindred_core::sync::Sas) -> Self {
        SasRecord {
            digits: s.digits,
            emoji: s.emoji,
        }
    }
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ShareMemberRecord {
    pub name: String,
    pub fingerprint: String,
    pub role: String,
    pub mine: bool,
}

/// A range of days whose check-ins were shared, as the person chose it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SharedRangeRecord {
    /// YYYY-MM-DD.
    pub since: String,
    /// YYYY-MM-DD.
    pub until: String,
    /// How many shared check-ins fall in it.
    pub check_ins: u64,
}

/// One shared space: who it is with, who is in it, and what.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ShareRecord {
    pub space: String,
    /// Who it is shared with, by name ("with Sam"): the other people in
    /// it, or, once it has ended, who it was with.
    pub name: String,
    /// No one else is in it any more: the share has ended.
    pub ended: bool,
    pub members: Vec<ShareMemberRecord>,
    pub goal_ids: Vec<String>,
    pub goal_titles: Vec<String>,
    /// How many check-ins were shared into it.
    pub check_ins: u64,
    /// The days of check-ins shared, earliest first.
    pub check_in_ranges: Vec<SharedRangeRecord>,
    /// How many contact notes a worker shared into it.
    pub notes: u64,
}

impl From<kindred_core::Share> for ShareRecord {
    fn from(s: kindred_core::Share) -> Self {
        ShareRecord {
            space: s.space,
            name: s.name,
            ended: s.ended,
            members: s
                .members
                .into_iter()
                .map(|m| ShareMemberRecord {
                    name: m.name,
                    fingerprint: m.fingerprint,
                    role: m.role,
                    mine: m.mine,
                })
                .collect(),
            goal_ids: s.goals.iter().map(|g| g.id.to_string()).collect(),
            goal_titles: s.goals.into_iter().map(|g| g.title).collect(),
            check_ins: s.check_ins as u64,
            check_in_ranges: s
                .check_in_ranges
                .into_iter()
                .map(|r| SharedRangeRecord {
                    since: format_date(r.since),
                    until: format_date(r.until),
                    check_ins: r.check_ins as u64,
                })
                .collect(),
            notes: s.notes as u64,
        }
    }
}
