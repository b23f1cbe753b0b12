//! Check-ins a person shares, by the days she chose: sharing a range of
//! days, seeing which ranges are shared, and stopping sharing one.
//!
//! Check-ins are **copied** into the shared space (her journal stays
//! hers) as they are at the time of sharing. Each choice is kept in the
//! shared space as a range record (`check_in_ranges`: since, until), so
//! the share list can say "check-ins from 1 to 3 March" rather than only
//! a count, and so a range can be taken back: stopping sharing a range
//! deletes the copies whose day falls in it (never her own check-ins)
//! and cuts the range records to what is still shared. As with goals,
//! what the other side already received stays in their copy of the
//! document's history; from then on it is gone from their lists.

use serde::Serialize;
use time::Date;

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::date_format::iso_date;
use crate::space::fields::put_str;
use crate::space::records::{CHECK_IN_RANGES, CHECK_INS, View, read_check_in_range};

/// A range of days whose check-ins were shared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharedRange {
    #[serde(with = "iso_date")]
    pub since: Date,
    #[serde(with = "iso_date")]
    pub until: Date,
    /// How many shared check-ins fall in it.
    pub check_ins: usize,
}

fn day(d: Date) -> String {
    d.to_string()
}

impl Kindred {
    /// The ranges of days shared into `space`, earliest first, each with
    /// the number of shared check-ins in it.
    pub(crate) fn shared_ranges(&mut self, space: &str) -> Result<Vec<SharedRange>> {
        let sp = self.space_by_id(space)?;
        let mut out: Vec<SharedRange> = sp
            .unindexed_records(CHECK_IN_RANGES)
            .iter()
            .filter_map(|(id, m)| read_check_in_range(id, View(m)))
            .map(|(_, since, until)| SharedRange {
                since,
                until,
                check_ins: sp
                    .index
                    .check_ins
                    .values()
                    .filter(|c| (since..=until).contains(&c.occurred_at.date()))
                    .count(),
            })
            .collect();
        out.sort_by_key(|r| (r.since, r.until));
        out.dedup_by_key(|r| (r.since, r.until));
        Ok(out)
    }

    /// Shares copies of the check-ins whose own date falls in
    /// `since..=until` (both given: a range the person chose, never "all
    /// of them" by default), and keeps the range in the shared space.
    /// Returns how many check-ins were newly shared.
    pub fn share_check_ins(&mut self, space: &str, since: Date, until: Date) -> Result<usize> {
        if until < since {
            return Err(Error::RangeReversed);
        }
        self.shared_space(space)?;
        let personal = self.personal_space()?;
        let already: Vec<Id> = self
            .space_by_id(space)?
            .index
            .check_ins
            .keys()
            .cloned()
            .collect();
        let mut values = Vec::new();
        {
            let own = self.space_by_id(&personal)?;
            for c in own.index.check_ins.values() {
                if (since..=until).contains(&c.occurred_at.date())
                    && !already.contains(&c.id)
                    && let Some(v) = own.record_value(CHECK_INS, &c.id)
                {
                    values.push((c.id.clone(), v));
                }
            }
        }
        let n = values.len();
        let covered = self
            .shared_ranges(space)?
            .iter()
            .any(|r| r.since <= since && until <= r.until);
        if n == 0 && covered {
            return Ok(0);
        }
        self.edit_in(space, |_, e| {
            for (id, v) in &values {
                e.copy_record(CHECK_INS, id, v)?;
            }
            if !covered {
                let (_, range) = e.create(CHECK_IN_RANGES)?;
                put_str(e.tx, &range, "since", &day(since))?;
                put_str(e.tx, &range, "until", &day(until))?;
            }
            Ok(())
        })?;
        Ok(n)
    }

    /// Stops sharing the check-ins of the days `since..=until` in `space`:
    /// deletes the shared copies from those days (the person's own
    /// check-ins stay) and cuts the shared ranges to what is left. Returns
    /// how many shared check-ins were taken back.
    pub fn unshare_check_ins(&mut self, space: &str, since: Date, until: Date) -> Result<usize> {
        if until < since {
            return Err(Error::RangeReversed);
        }
        self.shared_space(space)?;
        let sp = self.space_by_id(space)?;
        let gone: Vec<Id> = sp
            .index
            .check_ins
            .values()
            .filter(|c| (since..=until).contains(&c.occurred_at.date()))
            .map(|c| c.id.clone())
            .collect();
        let ranges: Vec<(Id, Date, Date)> = sp
            .unindexed_records(CHECK_IN_RANGES)
            .iter()
            .filter_map(|(id, m)| read_check_in_range(id, View(m)))
            .filter(|(_, a, b)| *a <= until && *b >= since)
            .collect();
        if gone.is_empty() && ranges.is_empty() {
            return Ok(0);
        }
        self.edit_in(space, |_, e| {
            for id in &gone {
                e.delete(CHECK_INS, id)?;
            }
            for (id, a, b) in &ranges {
                e.delete(CHECK_IN_RANGES, id)?;
                // What is left of the range on either side stays shared.
                let left = since.previous_day().filter(|d| *a <= *d).map(|d| (*a, d));
                let right = until.next_day().filter(|d| *d <= *b).map(|d| (d, *b));
                for (s, u) in left.into_iter().chain(right) {
                    let (_, r) = e.create(CHECK_IN_RANGES)?;
                    put_str(e.tx, &r, "since", &day(s))?;
                    put_str(e.tx, &r, "until", &day(u))?;
                }
            }
            Ok(())
        })?;
        Ok(gone.len())
    }
}
