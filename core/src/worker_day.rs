//! The worker's day: who is due, how each person wants to be reached, and
//! the time spent with people.
//!
//! Follow-ups come from two places: the next contact date the latest note
//! about someone plans, and visits or calls the worker plans with a time.
//! Each is checked against the person's own preferences, which the person
//! sets in the space they share with the worker (a contact is linked to
//! that space, by hand or when the worker first shares a note into it):
//! a call planned outside the person's hours, or a way they did not ask
//! for, carries a plain note saying so. Nothing here judges anyone: the
//! third list is "it has been a while", never "overdue".

use serde::Serialize;
use time::{Date, Duration, OffsetDateTime, UtcOffset};

use crate::caseload::ContactOverview;
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{
    ContactPrefs, ContactType, ContactWay, NewPlannedContact, PlannedContact, RecordKind,
    check_search,
};
use crate::space::SpaceKind;
use crate::space::fields::{put_opt_str, put_str, put_str_list, put_time};
use crate::space::plan_records::{read_planned, read_prefs};
use crate::space::records::{CONTACT_PREFS, CONTACTS, PLANNED_CONTACTS, View};

/// After this many days without a contact, someone shows in "it has been
/// a while" (when nothing is planned with them).
pub const A_WHILE_DAYS: i64 = 28;

/// Something the worker should know about a follow-up, from the person's
/// own preferences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PrefsNote {
    /// Planned at a time outside the person's best times (their local time).
    OutsideBestTimes { best_times: Vec<String> },
    /// Planned on a day none of the person's best times fall on.
    DayOutsideBestTimes { best_times: Vec<String> },
    /// Planned in a way the person did not list.
    NotPreferredWay { preferred: Vec<ContactWay> },
    /// The person asked for no voicemail (a call is planned).
    NoVoicemail,
}

/// One person to follow up with.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FollowUp {
    pub contact_id: Id,
    pub name: String,
    /// The day it is planned for.
    #[serde(with = "crate::model::date_format::iso_date")]
    pub due: Date,
    /// The time, when a visit or call was planned with one.
    #[serde(with = "time::serde::rfc3339::option")]
    pub at: Option<OffsetDateTime>,
    pub way: Option<ContactWay>,
    /// The planned contact, when it came from one (not from a note).
    pub planned: Option<Id>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_contact: Option<OffsetDateTime>,
    /// The person's preferences, once linked to a share where they set them.
    pub prefs: Option<ContactPrefs>,
    pub notes: Vec<PrefsNote>,
}

/// The worker's lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FollowUps {
    /// Planned for today, or for a day that has passed.
    pub today: Vec<FollowUp>,
    /// Planned for the next seven days after today.
    pub this_week: Vec<FollowUp>,
    /// No contact for a while and nothing planned: a gentle nudge.
    pub a_while: Vec<ContactOverview>,
}

/// Minutes spent with people in one week or month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodMinutes {
    #[serde(with = "crate::model::date_format::iso_date")]
    pub start: Date,
    pub minutes: i64,
    /// How many contacts (notes) it holds.
    pub contacts: usize,
}

/// Time with people, for the worker's own reporting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeWithPeople {
    /// The last 8 weeks (Monday first), newest first.
    pub weeks: Vec<PeriodMinutes>,
    /// The last 6 months, newest first.
    pub months: Vec<PeriodMinutes>,
}

fn week_start(d: Date) -> Date {
    d - Duration::days(i64::from(d.weekday().number_days_from_monday()))
}

fn month_start(d: Date) -> Date {
    d.replace_day(1).unwrap_or(d)
}

fn months_back(d: Date, n: i32) -> Date {
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 - n;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    Date::from_calendar_date(
        y,
        time::Month::try_from(m as u8).unwrap_or(time::Month::January),
        1,
    )
    .unwrap_or(d)
}

/// What the worker should know about contacting someone `at` (or on
/// `day`, when no time was planned) in `way`.
pub fn prefs_notes(
    prefs: &ContactPrefs,
    day: Date,
    at: Option<OffsetDateTime>,
    way: Option<&ContactWay>,
) -> Vec<PrefsNote> {
    let mut out = Vec::new();
    let times: Vec<String> = prefs.best_times.iter().map(|w| w.to_string()).collect();
    if !prefs.best_times.is_empty() {
        match at {
            Some(at) => {
                // Her wall clock at that moment: by her zone when known
                // (daylight saving included), else by her offset.
                let wall = prefs
                    .zone
                    .as_deref()
                    .and_then(|z| crate::reminders::zone(z).ok())
                    .and_then(|z| z.wall_at(at))
                    .unwrap_or_else(|| {
                        let offset = UtcOffset::from_whole_seconds(prefs.utc_offset)
                            .unwrap_or(UtcOffset::UTC);
                        let l = at.to_offset(offset);
                        time::PrimitiveDateTime::new(l.date(), l.time())
                    });
                if !prefs
                    .best_times
                    .iter()
                    .any(|w| w.holds(wall.weekday(), wall.time()))
                {
                    out.push(PrefsNote::OutsideBestTimes { best_times: times });
                }
            }
            None => {
                if !prefs.best_times.iter().any(|w| w.on_day(day.weekday())) {
                    out.push(PrefsNote::DayOutsideBestTimes { best_times: times });
                }
            }
        }
    }
    if let Some(way) = way {
        if !prefs.ways.is_empty() && !prefs.ways.contains(way) {
            out.push(PrefsNote::NotPreferredWay {
                preferred: prefs.ways.clone(),
            });
        }
        if prefs.no_voicemail && *way == ContactWay::Call {
            out.push(PrefsNote::NoVoicemail);
        }
    }
    out
}

impl Kindred {
    // ----- the person's preferences ---------------------------------------

    /// The preferences the person set in a shared space (empty if none).
    pub fn contact_prefs(&mut self, space: &str) -> Result<ContactPrefs> {
        let sp = self.space_by_id(space)?;
        if sp.kind != SpaceKind::Shared {
            return Err(Error::NotFound {
                kind: RecordKind::Space,
                id: space.to_owned(),
            });
        }
        let Some(obj) = sp.collection(CONTACT_PREFS) else {
            return Ok(ContactPrefs::default());
        };
        Ok(match automerge::ReadDoc::hydrate(&sp.doc, &obj, None) {
            Ok(automerge::hydrate::Value::Map(m)) => read_prefs(&m),
            _ => ContactPrefs::default(),
        })
    }

    /// Sets how the person wants to be reached, in a space they share
    /// (only the person's own devices may).
    pub fn set_contact_prefs(&mut self, space: &str, prefs: &ContactPrefs) -> Result<()> {
        let p = prefs.validate()?;
        if !self
            .ready_spaces(&[SpaceKind::Shared])?
            .iter()
            .any(|s| s == space)
        {
            return Err(Error::NotFound {
                kind: RecordKind::Space,
                id: space.to_owned(),
            });
        }
        if !self.is_person_of(space)? {
            return Err(Error::PersonOnly);
        }
        self.edit_in(space, |_, e| {
            let obj = e.collection_obj(CONTACT_PREFS)?;
            let ways: Vec<String> = p.ways.iter().map(|w| w.as_str().to_owned()).collect();
            put_str_list(e.tx, &obj, "ways", &ways)?;
            let times: Vec<String> = p.best_times.iter().map(|w| w.to_string()).collect();
            put_str_list(e.tx, &obj, "best_times", &times)?;
            automerge::transaction::Transactable::put(e.tx, &obj, "no_voicemail", p.no_voicemail)?;
            put_opt_str(e.tx, &obj, "call_word", p.call_word.as_deref())?;
            put_opt_str(e.tx, &obj, "note", p.note.as_deref())?;
            automerge::transaction::Transactable::put(
                e.tx,
                &obj,
                "utc_offset",
                i64::from(p.utc_offset),
            )?;
            put_opt_str(e.tx, &obj, "zone", p.zone.as_deref())?;
            put_time(e.tx, &obj, "updated_at", e.stamp.at)?;
            put_str(e.tx, &obj, "updated_by", e.stamp.device)?;
            Ok(())
        })
    }

    /// Links a caseload contact to the space the worker shares with them
    /// (`None` unlinks), so their preferences show beside them.
    pub fn link_contact(&mut self, contact: &Id, space: Option<&str>) -> Result<()> {
        if let Some(s) = space
            && !self
                .ready_spaces(&[SpaceKind::Shared])?
                .iter()
                .any(|sp| sp == s)
        {
            return Err(Error::NotFound {
                kind: RecordKind::Space,
                id: s.to_owned(),
            });
        }
        self.edit(&SpaceKind::Caseload, |index, e| {
            if !index.contacts.contains_key(contact) {
                return Err(Error::NotFound {
                    kind: RecordKind::Contact,
                    id: contact.to_string(),
                });
            }
            let obj = e.update(CONTACTS, contact)?;
            put_opt_str(e.tx, &obj, "share_space", space)?;
            Ok(())
        })
    }

    // ----- planned contacts -----------------------------------------------

    /// Plans a visit or call; returns its id.
    pub fn plan_contact(&mut self, plan: &NewPlannedContact) -> Result<Id> {
        let p = plan.validate()?;
        self.edit(&SpaceKind::Caseload, |index, e| {
            if !index.contacts.contains_key(&p.contact_id) {
                return Err(Error::NotFound {
                    kind: RecordKind::Contact,
                    id: p.contact_id.to_string(),
                });
            }
            let (id, obj) = e.create(PLANNED_CONTACTS)?;
            put_str(e.tx, &obj, "contact_id", p.contact_id.as_str())?;
            put_time(e.tx, &obj, "at", p.at)?;
            put_str(e.tx, &obj, "way", p.way.as_str())?;
            put_opt_str(e.tx, &obj, "note", p.note.as_deref())?;
            Ok(id)
        })
    }

    /// Visits and calls planned and not yet done, soonest first.
    pub fn planned_contacts(&mut self) -> Result<Vec<PlannedContact>> {
        let caseload = self.space_id(&SpaceKind::Caseload)?;
        let mut out: Vec<PlannedContact> = self
            .space_by_id(&caseload)?
            .unindexed_records(PLANNED_CONTACTS)
            .iter()
            .filter_map(|(id, m)| read_planned(id, View(m)))
            .filter(|p| p.done_at.is_none())
            .collect();
        out.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        Ok(out)
    }

    /// Marks a planned contact done (`done`), or cancels it (`!done`).
    pub fn finish_planned_contact(&mut self, id: &Id, done: bool) -> Result<()> {
        if !self.planned_contacts()?.iter().any(|p| &p.id == id) {
            return Err(Error::NotFound {
                kind: RecordKind::PlannedContact,
                id: id.to_string(),
            });
        }
        self.edit(&SpaceKind::Caseload, |_, e| {
            if done {
                let obj = e.update(PLANNED_CONTACTS, id)?;
                put_time(e.tx, &obj, "done_at", e.stamp.at)?;
                Ok(())
            } else {
                e.delete(PLANNED_CONTACTS, id)
            }
        })
    }

    // ----- the lists --------------------------------------------------------

    fn prefs_for(&mut self, space: Option<&str>) -> Option<ContactPrefs> {
        let space = space?;
        self.contact_prefs(space).ok().filter(|p| !p.is_empty())
    }

    /// Who is due: today (and days passed), the coming week, and those it
    /// has been a while since. `today` is the worker's local date.
    pub fn follow_ups(&mut self, today: Date) -> Result<FollowUps> {
        let overviews = self.contact_overviews()?;
        let planned = self.planned_contacts()?;
        let mut all: Vec<FollowUp> = Vec::new();
        for o in &overviews {
            let prefs = self.prefs_for(o.contact.share_space.as_deref());
            if let Some(due) = o.next_contact
                && o.last_contact.is_none_or(|l| l.date() <= due)
            {
                let notes = prefs
                    .as_ref()
                    .map(|p| prefs_notes(p, due, None, None))
                    .unwrap_or_default();
                all.push(FollowUp {
                    contact_id: o.contact.id.clone(),
                    name: o.contact.name.clone(),
                    due,
                    at: None,
                    way: None,
                    planned: None,
                    last_contact: o.last_contact,
                    prefs: prefs.clone(),
                    notes,
                });
            }
            for p in planned.iter().filter(|p| p.contact_id == o.contact.id) {
                let notes = prefs
                    .as_ref()
                    .map(|pr| prefs_notes(pr, p.at.date(), Some(p.at), Some(&p.way)))
                    .unwrap_or_default();
                all.push(FollowUp {
                    contact_id: o.contact.id.clone(),
                    name: o.contact.name.clone(),
                    due: p.at.date(),
                    at: Some(p.at),
                    way: Some(p.way.clone()),
                    planned: Some(p.id.clone()),
                    last_contact: o.last_contact,
                    prefs: prefs.clone(),
                    notes,
                });
            }
        }
        all.sort_by(|a, b| (a.due, a.at, &a.name).cmp(&(b.due, b.at, &b.name)));
        let week_end = today + Duration::days(7);
        let (today_list, rest): (Vec<_>, Vec<_>) = all.into_iter().partition(|f| f.due <= today);
        let this_week: Vec<FollowUp> = rest.into_iter().filter(|f| f.due <= week_end).collect();
        let planned_ahead = |id: &Id| {
            today_list
                .iter()
                .chain(this_week.iter())
                .any(|f| &f.contact_id == id)
                || overviews
                    .iter()
                    .any(|o| &o.contact.id == id && o.next_contact.is_some_and(|d| d >= today))
                || planned.iter().any(|p| &p.contact_id == id)
        };
        let a_while: Vec<ContactOverview> = overviews
            .iter()
            .filter(|o| {
                let since = o
                    .last_contact
                    .map(|l| l.date())
                    .unwrap_or_else(|| o.contact.created_at.date());
                (today - since).whole_days() >= A_WHILE_DAYS && !planned_ahead(&o.contact.id)
            })
            .cloned()
            .collect();
        Ok(FollowUps {
            today: today_list,
            this_week,
            a_while,
        })
    }

    /// Contacts whose name, or whose notes' words, hold `query` (case
    /// does not matter), by name.
    pub fn search_caseload(&mut self, query: &str) -> Result<Vec<ContactOverview>> {
        let q = check_search(query)?;
        let notes = self.notes(None, None, None)?;
        Ok(self
            .contact_overviews()?
            .into_iter()
            .filter(|o| {
                o.contact.name.to_lowercase().contains(&q)
                    || notes.iter().any(|n| {
                        n.contact_id == o.contact.id
                            && [
                                Some(&n.narrative),
                                n.next_steps.as_ref(),
                                n.strengths.as_ref(),
                            ]
                            .into_iter()
                            .flatten()
                            .any(|t| t.to_lowercase().contains(&q))
                    })
            })
            .collect())
    }

    /// Minutes spent with people (contacts that happened, not attempts),
    /// by week and by month, up to the week and month of `today`.
    pub fn time_with_people(&mut self, today: Date) -> Result<TimeWithPeople> {
        let notes = self.notes(None, None, None)?;
        let this_week = week_start(today);
        let weeks: Vec<Date> = (0..8).map(|i| this_week - Duration::weeks(i)).collect();
        let months: Vec<Date> = (0..6).map(|i| months_back(month_start(today), i)).collect();
        let mut w: Vec<PeriodMinutes> = weeks
            .iter()
            .map(|d| PeriodMinutes {
                start: *d,
                minutes: 0,
                contacts: 0,
            })
            .collect();
        let mut m: Vec<PeriodMinutes> = months
            .iter()
            .map(|d| PeriodMinutes {
                start: *d,
                minutes: 0,
                contacts: 0,
            })
            .collect();
        for n in notes
            .iter()
            .filter(|n| n.contact_type != ContactType::Attempted)
        {
            let day = n.start.date();
            let minutes = (n.end - n.start).whole_minutes().max(0);
            if let Some(p) = w.iter_mut().find(|p| p.start == week_start(day)) {
                p.minutes += minutes;
                p.contacts += 1;
            }
            if let Some(p) = m.iter_mut().find(|p| p.start == month_start(day)) {
                p.minutes += minutes;
                p.contacts += 1;
            }
        }
        Ok(TimeWithPeople {
            weeks: w,
            months: m,
        })
    }
}
