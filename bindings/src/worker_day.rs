//! The worker's day and the person's contact preferences (issue 15) for
//! the apps: thin conversions over `kindred_core::worker_day`.

use kindred_core::model as m;

use crate::error::{FfiResult, KindredError};
use crate::kindred::Kindred;
use crate::records::{date_of, id_of, time_of};

/// How a person wants to be reached.
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct ContactPrefsRecord {
    /// call, text, in_person, video; best first.
    pub ways: Vec<String>,
    /// "mon,tue 10:00-14:00" or "18:00-21:00" (every day).
    pub best_times: Vec<String>,
    pub no_voicemail: bool,
    pub call_word: Option<String>,
    pub note: Option<String>,
    /// The person's UTC offset when they set the times, in seconds.
    pub utc_offset: i32,
    pub updated_at: Option<String>,
    /// The person's IANA time zone when their device knew it (their hours
    /// then follow daylight saving).
    pub zone: Option<String>,
}

/// Something the worker should know about a follow-up.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PrefsNoteRecord {
    /// outside_best_times, day_outside_best_times, not_preferred_way, no_voicemail.
    pub kind: String,
    /// The person's best times, for the first two kinds.
    pub best_times: Vec<String>,
    /// The person's ways, for not_preferred_way.
    pub preferred: Vec<String>,
}

/// One person to follow up with.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FollowUpRecord {
    pub contact_id: String,
    pub name: String,
    pub due: String,
    pub at: Option<String>,
    pub way: Option<String>,
    /// The planned contact it came from (not from a note's next date).
    pub planned: Option<String>,
    pub last_contact: Option<String>,
    pub prefs: Option<ContactPrefsRecord>,
    pub notes: Vec<PrefsNoteRecord>,
}

/// Someone it has been a while since.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AWhileRecord {
    pub contact_id: String,
    pub name: String,
    pub last_contact: Option<String>,
}

/// The worker's lists.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FollowUpsRecord {
    pub today: Vec<FollowUpRecord>,
    pub this_week: Vec<FollowUpRecord>,
    pub a_while: Vec<AWhileRecord>,
}

/// Minutes with people in one week or month.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PeriodRecord {
    pub start: String,
    pub minutes: i64,
    pub contacts: u32,
}

/// Time with people: the last 8 weeks and 6 months, newest first.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TimeWithPeopleRecord {
    pub weeks: Vec<PeriodRecord>,
    pub months: Vec<PeriodRecord>,
}

/// A caseload search hit.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ContactHitRecord {
    pub contact_id: String,
    pub name: String,
    pub last_contact: Option<String>,
    pub next_contact: Option<String>,
    pub notes: u32,
    /// The share the contact is linked to, if any.
    pub share_space: Option<String>,
}

fn prefs_record(p: m::ContactPrefs) -> ContactPrefsRecord {
    ContactPrefsRecord {
        ways: p.ways.iter().map(|w| w.as_str().to_owned()).collect(),
        best_times: p.best_times.iter().map(|w| w.to_string()).collect(),
        no_voicemail: p.no_voicemail,
        call_word: p.call_word,
        note: p.note,
        utc_offset: p.utc_offset,
        updated_at: p.updated_at.map(m::format_time),
        zone: p.zone,
    }
}

fn note_record(n: kindred_core::PrefsNote) -> PrefsNoteRecord {
    use kindred_core::PrefsNote as N;
    let (kind, best_times, preferred) = match n {
        N::OutsideBestTimes { best_times } => ("outside_best_times", best_times, vec![]),
        N::DayOutsideBestTimes { best_times } => ("day_outside_best_times", best_times, vec![]),
        N::NotPreferredWay { preferred } => (
            "not_preferred_way",
            vec![],
            preferred.iter().map(|w| w.as_str().to_owned()).collect(),
        ),
        N::NoVoicemail => ("no_voicemail", vec![], vec![]),
    };
    PrefsNoteRecord {
        kind: kind.to_owned(),
        best_times,
        preferred,
    }
}

fn follow_up_record(f: kindred_core::FollowUp) -> FollowUpRecord {
    FollowUpRecord {
        contact_id: f.contact_id.to_string(),
        name: f.name,
        due: m::format_date(f.due),
        at: f.at.map(m::format_time),
        way: f.way.map(|w| w.as_str().to_owned()),
        planned: f.planned.map(|p| p.to_string()),
        last_contact: f.last_contact.map(m::format_time),
        prefs: f.prefs.map(prefs_record),
        notes: f.notes.into_iter().map(note_record).collect(),
    }
}

fn period(p: kindred_core::PeriodMinutes) -> PeriodRecord {
    PeriodRecord {
        start: m::format_date(p.start),
        minutes: p.minutes,
        contacts: p.contacts as u32,
    }
}

fn core_prefs(p: ContactPrefsRecord) -> FfiResult<m::ContactPrefs> {
    Ok(m::ContactPrefs {
        ways: p
            .ways
            .iter()
            .map(|w| m::ContactWay::parse(w))
            .collect::<kindred_core::Result<Vec<_>>>()?,
        best_times: p
            .best_times
            .iter()
            .map(|w| m::TimeWindow::parse(w))
            .collect::<kindred_core::Result<Vec<_>>>()?,
        no_voicemail: p.no_voicemail,
        call_word: p.call_word,
        note: p.note,
        utc_offset: p.utc_offset,
        zone: p.zone,
        updated_at: None,
    })
}

#[uniffi::export]
impl Kindred {
    /// The preferences the person set in a share (empty if none yet).
    pub fn contact_prefs(&self, space: String) -> FfiResult<ContactPrefsRecord> {
        self.with(|k| Ok(prefs_record(k.contact_prefs(&space)?)))
    }

    /// Sets the person's preferences in a share (the person only).
    pub fn set_contact_prefs(&self, space: String, prefs: ContactPrefsRecord) -> FfiResult<()> {
        self.write(|k| Ok(k.set_contact_prefs(&space, &core_prefs(prefs)?)?))
    }

    /// Links a contact to the share with them (`None` unlinks).
    pub fn link_contact(&self, contact_id: String, space: Option<String>) -> FfiResult<()> {
        self.write(|k| Ok(k.link_contact(&id_of(&contact_id)?, space.as_deref())?))
    }

    /// Plans a visit or call; returns its id.
    pub fn plan_contact(
        &self,
        contact_id: String,
        at: String,
        way: String,
        note: Option<String>,
    ) -> FfiResult<String> {
        self.write(|k| {
            let p = m::NewPlannedContact {
                contact_id: id_of(&contact_id)?,
                at: time_of(&at)?,
                way: m::ContactWay::parse(&way)?,
                note,
            };
            Ok(k.plan_contact(&p)?.to_string())
        })
    }

    /// Marks a planned contact done (`done`) or cancels it.
    pub fn finish_planned_contact(&self, id: String, done: bool) -> FfiResult<()> {
        self.write(|k| Ok(k.finish_planned_contact(&id_of(&id)?, done)?))
    }

    /// Today's list, the coming week, and "it has been a while";
    /// `today` is the worker's local date (YYYY-MM-DD).
    pub fn follow_ups(&self, today: String) -> FfiResult<FollowUpsRecord> {
        let today = date_of(&today)?;
        self.with(|k| {
            let f = k.follow_ups(today)?;
            Ok(FollowUpsRecord {
                today: f.today.into_iter().map(follow_up_record).collect(),
                this_week: f.this_week.into_iter().map(follow_up_record).collect(),
                a_while: f
                    .a_while
                    .into_iter()
                    .map(|o| AWhileRecord {
                        contact_id: o.contact.id.to_string(),
                        name: o.contact.name,
                        last_contact: o.last_contact.map(m::format_time),
                    })
                    .collect(),
            })
        })
    }

    /// Contacts whose name or notes hold `query`.
    pub fn search_caseload(&self, query: String) -> FfiResult<Vec<ContactHitRecord>> {
        self.with(|k| {
            Ok(k.search_caseload(&query)?
                .into_iter()
                .map(|o| ContactHitRecord {
                    contact_id: o.contact.id.to_string(),
                    name: o.contact.name,
                    last_contact: o.last_contact.map(m::format_time),
                    next_contact: o.next_contact.map(m::format_date),
                    notes: o.notes as u32,
                    share_space: o.contact.share_space,
                })
                .collect())
        })
    }

    /// Minutes with people by week and month, up to `today` (YYYY-MM-DD).
    pub fn time_with_people(&self, today: String) -> FfiResult<TimeWithPeopleRecord> {
        let today = date_of(&today)?;
        self.with(|k| {
            let t = k.time_with_people(today)?;
            Ok(TimeWithPeopleRecord {
                weeks: t.weeks.into_iter().map(period).collect(),
                months: t.months.into_iter().map(period).collect(),
            })
        })
    }
}

/// Checks a window as the core will ("mon-fri 10:00-14:00"), so a form
/// can say what is wrong before saving; returns it as it will be kept.
#[uniffi::export]
pub fn check_time_window(window: String) -> FfiResult<String> {
    m::TimeWindow::parse(&window)
        .map(|w| w.to_string())
        .map_err(|e| KindredError::InvalidInput {
            message: e.to_string(),
        })
}
