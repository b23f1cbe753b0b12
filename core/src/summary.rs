//! Weekly mood summaries: a gentle look back, not a score.
//!
//! Weeks run Monday to Sunday by the check-in's own local date. A week
//! with no check-ins is shown as such, never as a failure.

use std::collections::BTreeMap;

use serde::Serialize;
use time::{Date, Duration, Weekday};

use crate::error::{Error, Result};
use crate::model::{CheckIn, date_format::iso_date};

/// The most weeks one summary covers (about five years).
pub const MAX_WEEKS: u32 = 260;

/// One week's check-ins, summarised.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeekSummary {
    /// The Monday the week starts on.
    #[serde(with = "iso_date")]
    pub week_start: Date,
    /// The Sunday it ends on.
    #[serde(with = "iso_date")]
    pub week_end: Date,
    /// How many check-ins fell in the week.
    pub count: usize,
    /// Mean mood (1-5), if there were check-ins.
    pub mean_mood: Option<f64>,
    /// Mean energy over the check-ins that gave one.
    pub mean_energy: Option<f64>,
    /// How often each tag was used.
    pub tags: BTreeMap<String, usize>,
}

/// The Monday..=Sunday ranges of the `weeks` weeks ending with `today`'s.
pub(crate) fn week_ranges(weeks: u32, today: Date) -> Result<Vec<(Date, Date)>> {
    if weeks == 0 || weeks > MAX_WEEKS {
        return Err(Error::OutOfRange {
            field: "weeks",
            expected: "a whole number from 1 to 260",
        });
    }
    let monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let mut out = Vec::with_capacity(weeks as usize);
    for back in (0..weeks).rev() {
        let start = monday - Duration::weeks(i64::from(back));
        out.push((start, start + Duration::days(6)));
    }
    debug_assert!(out.iter().all(|(s, _)| s.weekday() == Weekday::Monday));
    Ok(out)
}

fn mean(values: impl Iterator<Item = u8>) -> Option<f64> {
    let (sum, n) = values.fold((0u64, 0u64), |(s, n), v| (s + u64::from(v), n + 1));
    (n > 0).then(|| (sum as f64 / n as f64 * 100.0).round() / 100.0)
}

/// Summarises `check_ins` (any order) into the given week ranges.
pub(crate) fn summarise(ranges: &[(Date, Date)], check_ins: &[CheckIn]) -> Vec<WeekSummary> {
    ranges
        .iter()
        .map(|&(start, end)| {
            let week: Vec<&CheckIn> = check_ins
                .iter()
                .filter(|c| (start..=end).contains(&c.occurred_at.date()))
                .collect();
            let mut tags = BTreeMap::new();
            for c in &week {
                for t in &c.tags {
                    *tags.entry(t.clone()).or_insert(0) += 1;
                }
            }
            WeekSummary {
                week_start: start,
                week_end: end,
                count: week.len(),
                mean_mood: mean(week.iter().map(|c| c.mood)),
                mean_energy: mean(week.iter().filter_map(|c| c.energy)),
                tags,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Id;
    use time::macros::{date, datetime};

    fn check_in(at: time::OffsetDateTime, mood: u8, energy: Option<u8>, tags: &[&str]) -> CheckIn {
        CheckIn {
            id: Id::random().unwrap(),
            occurred_at: at,
            mood,
            energy,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            note: None,
            created_at: at,
            created_by: "d".into(),
        }
    }

    #[test]
    fn weeks_run_monday_to_sunday_ending_with_this_week() {
        // 2026-11-22 is a Sunday.
        let r = week_ranges(2, date!(2026 - 11 - 22)).unwrap();
        assert_eq!(
            r,
            vec![
                (date!(2026 - 11 - 09), date!(2026 - 11 - 15)),
                (date!(2026 - 11 - 16), date!(2026 - 11 - 22)),
            ]
        );
        let r = week_ranges(1, date!(2026 - 11 - 16)).unwrap();
        assert_eq!(r, vec![(date!(2026 - 11 - 16), date!(2026 - 11 - 22))]);
    }

    #[test]
    fn weeks_must_be_within_bounds() {
        assert!(week_ranges(0, date!(2026 - 01 - 01)).is_err());
        assert!(week_ranges(MAX_WEEKS + 1, date!(2026 - 01 - 01)).is_err());
        assert_eq!(
            week_ranges(MAX_WEEKS, date!(2026 - 01 - 01)).unwrap().len(),
            260
        );
    }

    #[test]
    fn means_counts_and_tags_per_week() {
        let ranges = week_ranges(2, date!(2026 - 11 - 22)).unwrap();
        let cs = vec![
            check_in(
                datetime!(2026-11-16 08:00 +00:00),
                2,
                Some(4),
                &["sleep", "walk"],
            ),
            check_in(datetime!(2026-11-22 23:30 +00:00), 5, None, &["walk"]),
            // Sunday night in UTC-5 is still that Sunday for the person.
            check_in(datetime!(2026-11-15 22:00 -05:00), 3, Some(2), &[]),
            // Outside both weeks.
            check_in(datetime!(2026-11-08 12:00 +00:00), 1, None, &["x"]),
        ];
        let s = summarise(&ranges, &cs);
        assert_eq!(s[0].count, 1);
        assert_eq!(s[0].mean_mood, Some(3.0));
        assert_eq!(s[0].mean_energy, Some(2.0));
        assert_eq!(s[1].count, 2);
        assert_eq!(s[1].mean_mood, Some(3.5));
        assert_eq!(s[1].mean_energy, Some(4.0));
        assert_eq!(s[1].tags.get("walk"), Some(&2));
        assert_eq!(s[1].tags.get("sleep"), Some(&1));
        assert!(!s[1].tags.contains_key("x"));
    }

    #[test]
    fn an_empty_week_has_no_mean() {
        let ranges = week_ranges(1, date!(2026 - 11 - 22)).unwrap();
        let s = summarise(&ranges, &[]);
        assert_eq!(s[0].count, 0);
        assert_eq!(s[0].mean_mood, None);
        assert!(s[0].tags.is_empty());
    }
}
