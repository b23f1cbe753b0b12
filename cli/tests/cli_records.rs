//! The `kindred` command line as a person meets it: records by the start
//! of their id or by name, dates as people write them, editing and
//! deleting, a worker's caseload, and the words every command prints.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
}

/// Words no person should meet in Kindred's output.
const JARGON: &[&str] = &[
    "space",
    "epoch",
    "Forbidden",
    "personal",
    "caseload:",
    "device id",
];

fn assert_plain(text: &str) {
    for word in JARGON {
        assert!(
            !text.to_lowercase().contains(&word.to_lowercase()),
            "{word:?} in: {text}"
        );
    }
}

struct Out {
    stdout: String,
    stderr: String,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        env.ok(&["init", "--name", "Sam's phone"]);
        env
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("kindred").unwrap();
        c.env_remove("KINDRED_PASSPHRASE_ENV")
            .env("KINDRED_DATA_DIR", self.dir.path().join("data"))
            .env("TZ", "UTC")
            .args(args);
        c
    }

    /// Runs a command that must succeed; both streams, checked for jargon.
    fn run(&self, args: &[&str]) -> Out {
        let out = self.cmd(args).output().unwrap();
        let o = Out {
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        assert!(out.status.success(), "{args:?} failed: {}", o.stderr);
        if !args.contains(&"--json") {
            assert_plain(&o.stdout);
        }
        assert_plain(&o.stderr);
        o
    }

    fn ok(&self, args: &[&str]) -> String {
        self.run(args).stdout
    }

    fn id(&self, args: &[&str]) -> String {
        let out = self.ok(args);
        assert_eq!(out.trim().len(), 32, "not an id: {out:?}");
        out.trim().to_owned()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Runs a command that must fail with `code`; returns stderr.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert_plain(&err);
        err
    }
}

#[test]
fn records_are_found_by_the_start_of_their_id() {
    let env = Env::new();
    let g = env.id(&["goal", "add", "Walk to the park"]);
    let s = env.id(&["goal", "step", "add", &g[..4], "Find shoes"]);
    let out = env.run(&["goal", "step", "done", &g[..6], &s[..5]]);
    assert!(
        out.stderr.contains("Marked the step done"),
        "{}",
        out.stderr
    );
    let shown = env.json(&["goal", "show", &g[..8], "--json"]);
    assert!(shown["steps"][0]["done_at"].is_string());
    // By the step's words too.
    env.ok(&["goal", "step", "undo", &g[..4], "find shoes"]);
    assert!(env.json(&["goal", "show", &g, "--json"])["steps"][0]["done_at"].is_null());

    // Lists show the short id that commands take back.
    let list = env.ok(&["goal", "list"]);
    assert!(list.starts_with(&g[..8]), "{list}");
    assert!(
        !list.contains(&g),
        "a full id where a short one will do: {list}"
    );

    // Fewer than four characters: said plainly.
    let err = env.fails(&["goal", "show", &g[..3]], 2);
    assert!(err.contains("at least 4 characters"), "{err}");
    let err = env.fails(&["goal", "show", "ffffffff"], 1);
    assert!(err.contains("no goal with id ffffffff"), "{err}");
}

#[test]
fn an_ambiguous_name_or_start_lists_the_matches() {
    // Two contacts may share a name; ids sharing their first four digits
    // are rare, so the prefix case is covered by the core's unit tests
    // (resolve.rs) and this one checks what a person sees.
    let env = Env::new();
    let c1 = env.id(&["contact", "add", "Jo"]);
    let c2 = env.id(&["contact", "add", "jo"]);
    env.id(&["contact", "add", "Sam"]);
    let err = env.fails(&["contact", "show", "Jo"], 2);
    assert!(err.contains("2 of your contacts fit that"), "{err}");
    assert!(err.contains(&c1[..8]) && err.contains(&c2[..8]), "{err}");
    assert!(!err.contains("Sam"), "{err}");
    // Each line gives a start of an id that then works.
    let err = env.fails(&["note", "list", "--contact", "jo"], 2);
    assert_eq!(err.lines().count(), 3, "{err}");
    env.ok(&["contact", "show", &c2[..8]]);
}

#[test]
fn contacts_are_found_by_name_everywhere() {
    let env = Env::new();
    let jo = env.id(&["contact", "add", "Jo Bloggs"]);
    env.id(&["contact", "add", "Sam Smith"]);
    let n = env.id(&[
        "note",
        "add",
        "--contact",
        "jo bloggs",
        "--type",
        "phone",
        "--setting",
        "home",
        "--start",
        "2026-11-20 10:00",
        "--end",
        "2026-11-20 10:30",
        "--narrative",
        "Talked about the new flat.",
        "--next-contact",
        "2026-12-04",
    ]);
    let shown = env.json(&["note", "show", &n[..5], "--json"]);
    assert_eq!(shown["contact_id"], jo.as_str());
    assert_eq!(shown["start"], "2026-11-20T10:00:00Z");
    let theirs = env.json(&["note", "list", "--contact", "Jo Bloggs", "--json"]);
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_eq!(
        env.json(&["contact", "show", "JO BLOGGS", "--json"])["id"],
        jo.as_str()
    );
    // A name that matches no one stays out of the message.
    let err = env.fails(&["contact", "show", "Kim Lee"], 1);
    assert!(err.contains("no contact has that name or id"), "{err}");
    assert!(!err.contains("Kim"), "{err}");
}

#[test]
fn the_caseload_shows_last_and_next_contact_and_who_each_note_is_with() {
    let env = Env::new();
    env.id(&["contact", "add", "Jo"]);
    env.id(&["contact", "add", "Alex"]);
    let note = |start: &str, kind: &str, next: Option<&str>| {
        let mut args = vec![
            "note",
            "add",
            "--contact",
            "Jo",
            "--type",
            kind,
            "--setting",
            "community",
            "--start",
            start,
            "--end",
            start,
            "--narrative",
            "Coffee and a plan for the week.",
        ];
        if let Some(n) = next {
            args.extend(["--next-contact", n]);
        }
        env.id(&args)
    };
    note("2026-11-10 10:00", "in_person", Some("2026-11-17"));
    note("2026-11-18 10:00", "in_person", Some("2026-11-25"));
    // A call that did not connect is not "seen".
    note("2026-11-26 10:00", "attempted", None);

    let list = env.ok(&["contact", "list"]);
    let jo = list.lines().find(|l| l.contains("Jo")).unwrap();
    assert!(jo.contains("last seen 2026-11-18"), "{jo}");
    assert!(jo.contains("next 2026-11-25"), "{jo}");
    assert!(jo.contains("3 notes"), "{jo}");
    let alex = list.lines().find(|l| l.contains("Alex")).unwrap();
    assert!(
        alex.contains("not seen yet") && alex.contains("0 notes"),
        "{alex}"
    );
    let json = env.json(&["contact", "list", "--json"]);
    let jo = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Jo")
        .unwrap();
    assert_eq!(jo["next_contact"], "2026-11-25");
    assert_eq!(jo["notes"], 3);

    let notes = env.ok(&["note", "list"]);
    assert_eq!(
        notes.lines().filter(|l| l.contains("  Jo  ")).count(),
        3,
        "{notes}"
    );
    assert!(notes.contains("2026-11-18 10:00"), "{notes}");
    assert!(notes.contains("in person"), "{notes}");
    let shown = env.ok(&["note", "show", &notes[..8]]);
    assert!(shown.contains("with:        Jo"), "{shown}");
}

#[test]
fn check_in_times_take_the_forms_people_write() {
    let env = Env::new();
    let at = |when: &str| {
        let id = env.id(&["checkin", "add", "--mood", "3", "--at", when]);
        let list = env.json(&["checkin", "list", "--json"]);
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id.as_str())
            .unwrap()["occurred_at"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(at("2026-11-28 09:00"), "2026-11-28T09:00:00Z");
    assert_eq!(at("2026-11-28T21:30"), "2026-11-28T21:30:00Z");
    assert!(at("2026-11-27").starts_with("2026-11-27T"));
    assert_eq!(at("2026-03-01T21:30:00-05:00"), "2026-03-01T21:30:00-05:00");
    let today = time::OffsetDateTime::now_utc().date();
    let yesterday = today.previous_day().unwrap();
    assert!(at("today").starts_with(&today.to_string()));
    assert!(at("yesterday").starts_with(&yesterday.to_string()));

    // Shown to the minute in local time, never with nanoseconds.
    let list = env.ok(&["checkin", "list"]);
    assert!(list.contains("2026-11-28 09:00  mood 3"), "{list}");
    assert!(list.contains("2026-03-01 21:30 (UTC-05:00)"), "{list}");
    assert!(!list.contains('T') || !list.contains("Z "), "{list}");

    // The days lists filter by take the same words.
    let y = env.json(&[
        "checkin",
        "list",
        "--since",
        "yesterday",
        "--until",
        "today",
        "--json",
    ]);
    assert_eq!(y.as_array().unwrap().len(), 2);

    // More than a day ahead: refused, nothing written.
    let before = env
        .json(&["checkin", "list", "--json"])
        .as_array()
        .unwrap()
        .len();
    let far = (today + time::Duration::days(3)).to_string();
    let err = env.fails(&["checkin", "add", "--mood", "3", "--at", &far], 2);
    assert!(err.contains("more than a day from now"), "{err}");
    let err = env.fails(
        &["checkin", "add", "--mood", "3", "--at", "next tuesday"],
        2,
    );
    assert!(err.contains("2026-11-28 09:00"), "{err}");
    let after = env
        .json(&["checkin", "list", "--json"])
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after);
}

#[test]
fn check_ins_and_goals_can_be_changed_and_deleted() {
    let env = Env::new();
    let c = env.id(&[
        "checkin",
        "add",
        "--mood",
        "2",
        "--energy",
        "2",
        "--tag",
        "sleep",
        "--note",
        "Rough night",
        "--at",
        "2026-11-20 22:00",
    ]);
    let out = env.run(&[
        "checkin",
        "edit",
        &c[..6],
        "--mood",
        "3",
        "--no-energy",
        "--tag",
        "rest",
    ]);
    assert!(
        out.stderr.contains("Changed the check-in"),
        "{}",
        out.stderr
    );
    let list = env.json(&["checkin", "list", "--json"]);
    assert_eq!(list[0]["mood"], 3);
    assert!(list[0]["energy"].is_null());
    assert_eq!(list[0]["tags"], serde_json::json!(["rest"]));
    assert_eq!(list[0]["note"], "Rough night");
    env.ok(&[
        "checkin",
        "edit",
        &c,
        "--at",
        "2026-11-21 07:00",
        "--no-note",
    ]);
    let list = env.json(&["checkin", "list", "--json"]);
    assert_eq!(list[0]["occurred_at"], "2026-11-21T07:00:00Z");
    assert!(list[0]["note"].is_null());

    // Rejected edits change nothing.
    env.fails(&["checkin", "edit", &c, "--mood", "7"], 2);
    let far = (time::OffsetDateTime::now_utc().date() + time::Duration::days(5)).to_string();
    env.fails(&["checkin", "edit", &c, "--at", &far], 2);
    env.fails(&["checkin", "edit", &c], 2);
    assert_eq!(env.json(&["checkin", "list", "--json"])[0]["mood"], 3);

    let out = env.run(&["checkin", "delete", &c[..4]]);
    assert!(
        out.stderr
            .contains("Deleted the check-in from 2026-11-21 07:00"),
        "{}",
        out.stderr
    );
    assert_eq!(
        env.json(&["checkin", "list", "--json"]),
        serde_json::json!([])
    );
    env.fails(&["checkin", "delete", &c], 1);

    let g = env.id(&["goal", "add", "Walk to the park"]);
    env.id(&["goal", "step", "add", &g, "Find shoes"]);
    let keep = env.id(&["goal", "add", "Call my sister"]);
    let out = env.run(&["goal", "edit", &g[..4], "--title", "Walk to the big park"]);
    assert!(out.stderr.contains("Changed the goal"), "{}", out.stderr);
    let out = env.run(&["goal", "delete", &g[..4]]);
    assert!(
        out.stderr
            .contains("Deleted the goal \"Walk to the big park\""),
        "{}",
        out.stderr
    );
    let goals = env.json(&["goal", "list", "--json"]);
    assert_eq!(goals.as_array().unwrap().len(), 1);
    assert_eq!(goals[0]["id"], keep.as_str());
    env.fails(&["goal", "show", &g], 1);
}

#[test]
fn every_success_says_what_happened_and_counts_read_right() {
    let env = Env::new();
    let out = env.run(&["goal", "add", "Walk"]);
    assert!(out.stderr.contains("Added your goal"), "{}", out.stderr);
    let g = out.stdout.trim().to_owned();
    let out = env.run(&["goal", "status", &g, "paused"]);
    assert!(
        out.stderr.contains("The goal is now paused"),
        "{}",
        out.stderr
    );
    env.id(&["goal", "step", "add", &g, "Shoes"]);
    assert!(env.ok(&["goal", "list"]).contains("(0 of 1 step done)"));
    let out = env.run(&["checkin", "add", "--mood", "4"]);
    assert!(out.stderr.contains("Saved your check-in"), "{}", out.stderr);
    let summary = env.ok(&["checkin", "summary", "--weeks", "1"]);
    assert!(summary.contains(": 1 check-in, mood 4.0"), "{summary}");
    let out = env.run(&["contact", "add", "Jo"]);
    assert!(out.stderr.contains("Added the contact"), "{}", out.stderr);
}

#[test]
fn a_missing_required_flag_is_named_with_all_the_others() {
    let env = Env::new();
    env.id(&["contact", "add", "Jo"]);
    let err = env.fails(&["note", "add", "--contact", "Jo", "--type", "phone"], 2);
    for flag in ["--setting", "--start", "--end", "--narrative"] {
        assert!(err.contains(flag), "{flag} not named: {err}");
    }
    let help = env.ok(&["note", "add", "--help"]);
    assert!(help.contains("(required) Who it is with"), "{help}");
}

#[test]
fn a_failed_sync_still_says_where_everything_stands() {
    let env = Env::new();
    env.id(&["goal", "add", "Walk"]);
    // Nothing listens on this loopback port.
    env.ok(&["server", "http://127.0.0.1:9"]);
    let out = env.cmd(&["sync"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.contains("Your own records: not synced yet"),
        "{stdout}"
    );
    // A person with no caseload is not shown one.
    assert_plain(&stdout);
    assert!(stderr.contains("could not be reached"), "{stderr}");
    assert!(stderr.contains("kept here"), "{stderr}");
}
