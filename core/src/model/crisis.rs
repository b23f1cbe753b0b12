//! The crisis lines and people a person keeps for "Need help now".
//!
//! Kept in the personal space (so every one of the person's devices has
//! them, sealed like everything else), with a default for where the
//! person lives so the list is never empty: until the person adds a line
//! of their own, the defaults for their region show; the person can keep,
//! change or remove them like any other.

use serde::Serialize;
use time::OffsetDateTime;

use super::{check_optional_text, check_text, limits};
use crate::{Error, Id, Result};

/// A line or a person to call or text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrisisLine {
    /// `None` for a regional default the person has not kept yet.
    pub id: Option<Id>,
    pub name: String,
    pub number: String,
    pub can_call: bool,
    pub can_text: bool,
    /// When to use it, in the person's words ("at night", "if I'm using").
    pub when_to_use: Option<String>,
    /// True for a line from the regional defaults.
    pub from_defaults: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_at: Option<OffsetDateTime>,
}

/// A line about to be added, or the new details of one.
#[derive(Clone, Debug)]
pub struct NewCrisisLine {
    pub name: String,
    pub number: String,
    pub can_call: bool,
    pub can_text: bool,
    pub when_to_use: Option<String>,
}

/// The characters a phone number may hold besides digits.
const NUMBER_MARKS: &[char] = &['+', ' ', '-', '(', ')', '.', '*', '#'];

/// Checks a number to call or text: digits with the usual marks, at least
/// one digit, at most 32 characters.
pub(crate) fn check_number(number: &str) -> Result<String> {
    let n = check_text("number", number, 32)?;
    if !n.chars().any(|c| c.is_ascii_digit())
        || !n
            .chars()
            .all(|c| c.is_ascii_digit() || NUMBER_MARKS.contains(&c))
    {
        return Err(Error::OutOfRange {
            field: "number",
            expected: "a phone number: digits, spaces and + - ( ) . * #",
        });
    }
    Ok(n)
}

impl NewCrisisLine {
    /// Checks every rule; returns the cleaned-up line.
    pub fn validate(&self) -> Result<NewCrisisLine> {
        if !self.can_call && !self.can_text {
            return Err(Error::OutOfRange {
                field: "how to reach",
                expected: "call, text, or both",
            });
        }
        Ok(NewCrisisLine {
            name: check_text("name", &self.name, limits::SHORT)?,
            number: check_number(&self.number)?,
            can_call: self.can_call,
            can_text: self.can_text,
            when_to_use: check_optional_text(
                "when to use",
                self.when_to_use.as_deref(),
                limits::SHORT,
            )?,
        })
    }
}

fn default_line(name: &str, number: &str, can_text: bool, when: &str) -> CrisisLine {
    CrisisLine {
        id: None,
        name: name.to_owned(),
        number: number.to_owned(),
        can_call: true,
        can_text,
        when_to_use: Some(when.to_owned()).filter(|w| !w.is_empty()),
        from_defaults: true,
        created_at: None,
    }
}

/// The lines for a region (ISO 3166 code, e.g. "US"): free, around the
/// clock, for anyone. Elsewhere, the emergency number most phones
/// connect anywhere (112).
pub fn default_crisis_lines(region: &str) -> Vec<CrisisLine> {
    match region.trim().to_ascii_uppercase().as_str() {
        "US" => vec![default_line(
            "988 Suicide & Crisis Lifeline",
            "988",
            true,
            "any time, call or text",
        )],
        "CA" => vec![default_line(
            "9-8-8 Suicide Crisis Helpline",
            "988",
            true,
            "any time, call or text",
        )],
        "GB" | "UK" | "IE" => vec![default_line("Samaritans", "116 123", false, "any time")],
        "AU" => vec![default_line("Lifeline", "13 11 14", false, "any time")],
        "NZ" => vec![default_line("Need to talk?", "1737", true, "any time")],
        _ => vec![default_line("Emergency", "112", false, "")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_have_their_own_lines() {
        assert_eq!(default_crisis_lines("us")[0].number, "988");
        assert!(default_crisis_lines("US")[0].can_text);
        assert_eq!(default_crisis_lines("IE")[0].number, "116 123");
        assert_eq!(default_crisis_lines("GB")[0].number, "116 123");
        assert_eq!(default_crisis_lines("CA")[0].number, "988");
        assert_eq!(default_crisis_lines("ZZ")[0].number, "112");
        assert!(
            default_crisis_lines("ZZ")
                .iter()
                .all(|l| l.from_defaults && l.id.is_none())
        );
    }

    #[test]
    fn numbers_and_ways_are_checked() {
        let line = |number: &str, call: bool, text: bool| NewCrisisLine {
            name: "Sponsor".into(),
            number: number.into(),
            can_call: call,
            can_text: text,
            when_to_use: None,
        };
        assert_eq!(
            line(" +44 7700 900123 ", true, true)
                .validate()
                .unwrap()
                .number,
            "+44 7700 900123"
        );
        assert!(line("1-833-456-4566", true, false).validate().is_ok());
        assert!(line("call me", true, false).validate().is_err());
        assert!(line("+-", true, false).validate().is_err());
        assert!(line("988", false, false).validate().is_err());
        assert!(line(&"1".repeat(33), true, false).validate().is_err());
    }
}
