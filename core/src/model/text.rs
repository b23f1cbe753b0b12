//! Size rules for text a person types.
//!
//! The limits are generous for people and small for abuse: they keep one
//! record well below what one sync envelope carries.

use crate::error::{Error, Result};

/// The stated limits, in characters (Unicode scalar values).
pub mod limits {
    /// Goal titles, step texts, contact names, tags, activities.
    pub const SHORT: usize = 200;
    /// Check-in notes, the "why" of a goal, progress notes, strengths, next steps.
    pub const MEDIUM: usize = 4_000;
    /// Note narratives, the person's own words, addenda.
    pub const LONG: usize = 20_000;
    /// Tags on a check-in; goals addressed and activities on a note.
    pub const LIST_ENTRIES: usize = 32;
}

/// A required text: trimmed, not empty, at most `max` characters.
pub(crate) fn check_text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::Empty { field });
    }
    if trimmed.chars().count() > max {
        return Err(Error::TooLong { field, max });
    }
    Ok(trimmed.to_owned())
}

/// An optional text: empty becomes `None`.
pub(crate) fn check_optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => check_text(field, v, max).map(Some),
    }
}

/// A list of short texts: each entry trimmed and non-empty, duplicates
/// dropped, at most [`limits::LIST_ENTRIES`] entries.
pub(crate) fn check_list(field: &'static str, values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let v = check_text(field, v, limits::SHORT)?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if out.len() > limits::LIST_ENTRIES {
        return Err(Error::TooMany {
            field,
            max: limits::LIST_ENTRIES,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_must_not_be_empty() {
        assert_eq!(check_text("title", "  walk  ", 10).unwrap(), "walk");
        assert!(matches!(
            check_text("title", "   ", 10),
            Err(Error::Empty { field: "title" })
        ));
    }

    #[test]
    fn text_limit_counts_characters_not_bytes() {
        assert!(check_text("title", &"é".repeat(10), 10).is_ok());
        assert!(matches!(
            check_text("title", &"é".repeat(11), 10),
            Err(Error::TooLong { max: 10, .. })
        ));
    }

    #[test]
    fn optional_text_treats_blank_as_absent() {
        assert_eq!(check_optional_text("why", Some("  "), 5).unwrap(), None);
        assert_eq!(check_optional_text("why", None, 5).unwrap(), None);
        assert!(check_optional_text("why", Some("toolong"), 5).is_err());
    }

    #[test]
    fn lists_drop_duplicates_and_cap_entries() {
        let l = check_list("tags", &["a".into(), " a ".into(), "b".into()]).unwrap();
        assert_eq!(l, vec!["a", "b"]);
        let many: Vec<String> = (0..=limits::LIST_ENTRIES).map(|i| i.to_string()).collect();
        assert!(matches!(
            check_list("tags", &many),
            Err(Error::TooMany { .. })
        ));
        assert!(matches!(
            check_list("tags", &["".into()]),
            Err(Error::Empty { .. })
        ));
    }
}
