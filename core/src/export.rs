//! Exports: the person's data in forms other tools read.
//!
//! - JSON: every record kind in one document.
//! - CSV: one file per record kind (steps, progress entries and addenda in
//!   files of their own, linked by id), RFC 4180 quoting.
//! - automerge: each space's raw document, so any automerge implementation
//!   can read the data without Kindred.
//!
//! Notes flagged as substance-use content are left out of JSON and CSV
//! unless the caller asks for them. A raw automerge document cannot leave
//! one note out (its history holds every note), so it is refused while such
//! notes exist unless the caller asks for them.

use serde::Serialize;
use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::kindred::{Device, Kindred};
use crate::model::{CheckIn, Contact, ContactNote, Goal, format_date, format_time};
use crate::space::SpaceKind;

/// Everything in one JSON document.
#[derive(Debug, Serialize)]
pub struct JsonExport {
    pub format: &'static str,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub exported_at: OffsetDateTime,
    pub device: Device,
    pub goals: Vec<Goal>,
    pub check_ins: Vec<CheckIn>,
    pub contacts: Vec<Contact>,
    pub contact_notes: Vec<ContactNote>,
    /// How many substance-use notes were left out (0 when included).
    pub substance_use_notes_left_out: usize,
    /// The person's plan entries (both plans), in order.
    pub plan: Vec<crate::model::PlanItem>,
    /// The crisis lines and people the person keeps (none: the defaults
    /// for their region showed).
    pub crisis_lines: Vec<crate::model::CrisisLine>,
    /// Resources: shared with this device and kept copies.
    pub resources: Vec<crate::model::Resource>,
    /// The person's check-in reminder times.
    pub check_in_reminders: Vec<crate::reminders::CheckInReminder>,
    /// Visits and calls planned (a worker's).
    pub planned_contacts: Vec<crate::model::PlannedContact>,
}

/// One CSV file of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvFile {
    pub name: &'static str,
    pub contents: String,
}

/// Writes one CSV field. A field that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
/// gets a leading `'`, so opening an export never runs what someone typed
/// (OWASP's advice for CSV injection); the JSON export keeps words exactly.
fn csv_field(out: &mut String, v: &str) {
    let guarded;
    let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{v}");
        guarded.as_str()
    } else {
        v
    };
    if v.contains([',', '"', '\n', '\r']) || v.starts_with(' ') || v.ends_with(' ') {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

fn csv_table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    let mut line = |fields: &mut dyn Iterator<Item = &str>| {
        for (i, f) in fields.enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, f);
        }
        out.push_str("\r\n");
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

fn opt_date(v: &Option<time::Date>) -> String {
    v.map(format_date).unwrap_or_default()
}

fn opt_time(v: &Option<OffsetDateTime>) -> String {
    v.map(format_time).unwrap_or_default()
}

impl Kindred {
    fn notes_for_export(&mut self, include_sensitive: bool) -> Result<(Vec<ContactNote>, usize)> {
        let all = self.notes(None, None, None)?;
        let total = all.len();
        let kept: Vec<ContactNote> = all
            .into_iter()
            .filter(|n| include_sensitive || !n.substance_use)
            .collect();
        let left_out = total - kept.len();
        Ok((kept, left_out))
    }

    /// Every record in one JSON document.
    pub fn export_json(&mut self, include_sensitive: bool) -> Result<JsonExport> {
        let (contact_notes, left_out) = self.notes_for_export(include_sensitive)?;
        Ok(JsonExport {
            format: "kindred-export",
            version: 1,
            exported_at: OffsetDateTime::now_utc(),
            device: self.device().clone(),
            goals: self.goals(None)?,
            check_ins: self.check_ins(None, None)?,
            contacts: self.contacts()?,
            contact_notes,
            substance_use_notes_left_out: left_out,
            plan: self.plan()?.items,
            crisis_lines: self
                .crisis_lines("")?
                .into_iter()
                .filter(|l| !l.from_defaults || l.id.is_some())
                .collect(),
            resources: self.resources()?,
            check_in_reminders: self.check_in_reminders()?,
            planned_contacts: self.planned_contacts()?,
        })
    }

    /// Every record kind as CSV files.
    pub fn export_csv(&mut self, include_sensitive: bool) -> Result<Vec<CsvFile>> {
        let goals = self.goals(None)?;
        let check_ins = self.check_ins(None, None)?;
        let contacts = self.contacts()?;
        let (notes, _) = self.notes_for_export(include_sensitive)?;
        let mut files = vec![
            CsvFile {
                name: "goals.csv",
                contents: csv_table(
                    &[
                        "id",
                        "title",
                        "why",
                        "area",
                        "status",
                        "target_date",
                        "created_at",
                        "updated_at",
                    ],
                    goals.iter().map(|g| {
                        vec![
                            g.id.to_string(),
                            g.title.clone(),
                            opt(&g.why),
                            opt(&g.area),
                            g.status.to_string(),
                            opt_date(&g.target_date),
                            format_time(g.created_at),
                            format_time(g.updated_at),
                        ]
                    }),
                ),
            },
            CsvFile {
                name: "goal_steps.csv",
                contents: csv_table(
                    &["goal_id", "position", "id", "text", "due", "done_at"],
                    goals.iter().flat_map(|g| {
                        g.steps.iter().enumerate().map(|(i, s)| {
                            vec![
                                g.id.to_string(),
                                (i + 1).to_string(),
                                s.id.to_string(),
                                s.text.clone(),
                                opt_date(&s.due),
                                opt_time(&s.done_at),
                            ]
                        })
                    }),
                ),
            },
            CsvFile {
                name: "goal_progress.csv",
                contents: csv_table(
                    &["goal_id", "id", "at", "note"],
                    goals.iter().flat_map(|g| {
                        g.progress.iter().map(|p| {
                            vec![
                                g.id.to_string(),
                                p.id.to_string(),
                                format_time(p.at),
                                p.note.clone(),
                            ]
                        })
                    }),
                ),
            },
            CsvFile {
                name: "check_ins.csv",
                contents: csv_table(
                    &[
                        "id",
                        "occurred_at",
                        "date",
                        "mood",
                        "energy",
                        "tags",
                        "note",
                        "created_at",
                    ],
                    check_ins.iter().map(|c| {
                        vec![
                            c.id.to_string(),
                            format_time(c.occurred_at),
                            format_date(c.occurred_at.date()),
                            c.mood.to_string(),
                            opt(&c.energy),
                            c.tags.join(" | "),
                            opt(&c.note),
                            format_time(c.created_at),
                        ]
                    }),
                ),
            },
            CsvFile {
                name: "contacts.csv",
                contents: csv_table(
                    &["id", "name", "created_at"],
                    contacts
                        .iter()
                        .map(|c| vec![c.id.to_string(), c.name.clone(), format_time(c.created_at)]),
                ),
            },
        ];
        files.push(CsvFile {
            name: "contact_notes.csv",
            contents: csv_table(
                &[
                    "id",
                    "contact_id",
                    "type",
                    "setting",
                    "start",
                    "end",
                    "goals_addressed",
                    "peer_activities",
                    "narrative",
                    "own_words",
                    "strengths",
                    "next_steps",
                    "next_contact",
                    "status",
                    "signed_at",
                    "substance_use",
                ],
                notes.iter().map(|n| {
                    vec![
                        n.id.to_string(),
                        n.contact_id.to_string(),
                        n.contact_type.to_string(),
                        n.setting.to_string(),
                        format_time(n.start),
                        format_time(n.end),
                        n.goals_addressed.join(" | "),
                        n.peer_activities.join(" | "),
                        n.narrative.clone(),
                        opt(&n.own_words),
                        opt(&n.strengths),
                        opt(&n.next_steps),
                        opt_date(&n.next_contact),
                        n.status.to_string(),
                        opt_time(&n.signed_at),
                        n.substance_use.to_string(),
                    ]
                }),
            ),
        });
        files.push(CsvFile {
            name: "note_addenda.csv",
            contents: csv_table(
                &["note_id", "id", "at", "by", "text"],
                notes.iter().flat_map(|n| {
                    n.addenda.iter().map(|a| {
                        vec![
                            n.id.to_string(),
                            a.id.to_string(),
                            format_time(a.at),
                            a.by.clone(),
                            a.text.clone(),
                        ]
                    })
                }),
            ),
        });
        Ok(files)
    }

    /// Each space's raw automerge document, with a file name for it.
    pub fn export_automerge(&mut self, include_sensitive: bool) -> Result<Vec<(String, Vec<u8>)>> {
        if !include_sensitive && self.has_sensitive_notes()? {
            return Err(Error::SensitiveInRawExport);
        }
        let kinds: Vec<SpaceKind> = self.spaces().iter().map(|s| s.kind.clone()).collect();
        let mut out = Vec::new();
        for kind in kinds {
            out.push((
                format!("{}.automerge", kind.as_str()),
                self.document_bytes(&kind)?,
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let t = csv_table(
            &["a", "b"],
            vec![
                vec!["x,y".into(), "say \"hi\"\nthen".into()],
                vec![" pad".into(), "plain".into()],
            ],
        );
        assert_eq!(
            t,
            "a,b\r\n\"x,y\",\"say \"\"hi\"\"\nthen\"\r\n\" pad\",plain\r\n"
        );
    }

    #[test]
    fn csv_never_hands_a_spreadsheet_a_formula() {
        let t = csv_table(
            &["note"],
            vec![
                vec!["=HYPERLINK(\"http://x\",\"click\")".into()],
                vec!["+1".into()],
                vec!["-2".into()],
                vec!["@SUM(A1)".into()],
                vec!["fine = ok".into()],
            ],
        );
        let lines: Vec<&str> = t.split("\r\n").collect();
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"");
        assert_eq!(lines[2], "'+1");
        assert_eq!(lines[3], "'-2");
        assert_eq!(lines[4], "'@SUM(A1)");
        assert_eq!(lines[5], "fine = ok");
    }
}
