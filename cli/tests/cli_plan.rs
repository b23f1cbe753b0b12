//! The plan, crisis lines, resources and a worker's day through the
//! `kindred` command line on one device: written, shown, changed, printed;
//! every refusal said plainly, with nothing changed. Between two devices
//! and a relay: cli_plan_sharing.rs.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use serde_json::Value;

mod common;

use common::{assert_kind, plan_texts};

/// One device on its own: a temp data folder, UTC, no region set.
struct Env {
    dir: tempfile::TempDir,
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
        let mut c = Command::new(env!("CARGO_BIN_EXE_kindred"));
        c.env_remove("KINDRED_PASSPHRASE_ENV")
            .env_remove("KINDRED_REGION")
            .env_remove("LC_ALL")
            .env("LANG", "C.UTF-8")
            .env("KINDRED_DATA_DIR", self.dir.path().join("data"))
            .env("TZ", "UTC")
            .args(args);
        c
    }

    /// Runs a command that succeeds; returns stdout (both streams checked).
    fn ok(&self, args: &[&str]) -> String {
        self.ok_with(args, &[]).0
    }

    fn ok_with(&self, args: &[&str], env: &[(&str, &str)]) -> (String, String) {
        let mut c = self.cmd(args);
        c.envs(env.iter().copied());
        let out = c.output().unwrap();
        let (o, e) = (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        );
        assert!(out.status.success(), "{args:?} failed: {e}");
        if !args.contains(&"--json") {
            assert_kind(&o);
        }
        assert_kind(&e);
        (o, e)
    }

    fn id(&self, args: &[&str]) -> String {
        let out = self.ok(args);
        assert_eq!(out.trim().len(), 32, "not an id: {out:?}");
        out.trim().to_owned()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Runs a command that fails with `code`; returns what it said.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} printed on a refusal");
        // The core's words, or clap's for a flag or value it refuses.
        assert!(
            err.starts_with("kindred: ") || err.starts_with("error: "),
            "{err}"
        );
        err
    }
}

#[test]
fn the_plan_is_written_shown_changed_and_printed() {
    let env = Env::new();
    let reasons = env.id(&["plan", "add", "reasons", "my niece"]);
    let t = env.id(&[
        "plan",
        "add",
        "triggers",
        "payday",
        "--helps",
        "give my card to Jo",
    ]);
    env.id(&["plan", "add", "daily", "a walk before work"]);
    let plan = env.json(&["plan", "show", "--json"]);
    assert_eq!(
        plan_texts(&plan),
        [
            ("daily".into(), "a walk before work".into()),
            ("triggers".into(), "payday".into()),
            ("reasons".into(), "my niece".into())
        ]
    );
    assert_eq!(plan["items"][1]["helps"], "give my card to Jo");

    // Both plans, every section in order by its title, entries by short id.
    let shown = env.ok(&["plan", "show"]);
    let at = |s: &str| shown.find(s).unwrap_or_else(|| panic!("{s:?} in {shown}"));
    assert!(at("My wellness plan") < at("What I do every day to stay well (daily)"));
    assert!(at("Things that can set me off, and what helps (triggers)") < at("My safety plan"));
    assert!(at("My safety plan") < at("My reasons for living (reasons)"));
    assert!(shown.contains(&format!("{}  payday\n", &t[..8])), "{shown}");
    assert!(shown.contains("what helps: give my card to Jo"), "{shown}");
    assert!(!shown.contains(&t), "a full id where a short one will do");
    let one = env.ok(&["plan", "show", "--section", "early signs"]);
    assert!(
        one.contains("nothing written yet") && !one.contains("payday"),
        "{one}"
    );

    // New words keep "what helps" unless it is changed or taken off.
    env.ok(&["plan", "edit", &t[..6], "payday weekends"]);
    let plan = env.json(&["plan", "show", "--section", "triggers", "--json"]);
    assert_eq!(plan["items"][0]["text"], "payday weekends");
    assert_eq!(plan["items"][0]["helps"], "give my card to Jo");
    env.ok(&["plan", "edit", &t, "--helps", "text Jo first"]);
    let plan = env.json(&["plan", "show", "--json"]);
    assert_eq!(plan["items"][1]["text"], "payday weekends");
    assert_eq!(plan["items"][1]["helps"], "text Jo first");

    let (_, said) = env.ok_with(&["plan", "delete", &reasons[..4]], &[]);
    assert!(said.contains("Deleted \"my niece\""), "{said}");
    assert_eq!(
        env.json(&["plan", "show", "--json"])["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let printed = env.ok(&["plan", "print"]);
    assert!(printed.starts_with("My wellness plan"), "{printed}");
    assert!(printed.contains("  - payday weekends\n    What helps: text Jo first"));
    assert!(printed.contains("My reasons for living\n  (nothing written yet)"));
    let file = env.dir.path().join("plan.txt");
    std::fs::write(&file, "old").unwrap();
    let (out, said) = env.ok_with(&["plan", "print", "--out", file.to_str().unwrap()], &[]);
    assert!(
        out.is_empty() && said.contains("only you can read it"),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), printed);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

#[test]
fn every_refusal_says_why_and_changes_nothing() {
    let env = Env::new();
    let t = env.id(&["plan", "add", "triggers", "payday", "--helps", "walk"]);
    env.id(&["crisis", "add", "Sponsor", "555 0100", "--region", "GB"]);
    env.id(&["contact", "add", "Jo"]);
    let state = || {
        (
            env.json(&["plan", "show", "--json"]),
            env.json(&["crisis", "list", "--json"]),
            env.json(&["followups", "--today", "2026-12-03", "--json"]),
            env.json(&["resource", "list", "--json"]),
        )
    };
    let before = state();
    // What was typed, the exit code, words the message holds.
    #[rustfmt::skip]
    let cases: &[(&[&str], i32, &str)] = &[
        (&["plan", "add", "diary", "x"], 2, "plan section"),
        (&["plan", "show", "--section", "diary"], 2, "plan section"),
        (&["plan", "add", "daily", "   "], 2, "plan entry can't be empty"),
        (&["plan", "add", "reasons", "my dog", "--helps", "x"], 2, "what helps"),
        (&["plan", "edit", &t, "payday", "--helps", "x", "--no-helps"], 2, "--no-helps"),
        (&["plan", "edit", &t], 2, "say what to change"),
        (&["plan", "edit", &t, "  "], 2, "can't be empty"),
        (&["plan", "edit", "ffff0000", "x"], 1, "no plan entry with id ffff0000"),
        (&["plan", "delete", "ffff0000"], 1, "no plan entry"),
        (&["plan", "delete", "ff"], 2, "at least 4 characters"),
        (&["plan", "accept", "ffff0000"], 1, "no suggestion"),
        (&["plan", "share", "diary", "--with", "Jo"], 2, "plan section"),
        (&["plan", "share", "all", "--with", "Jo"], 1, "no share has that name"),
        (&["plan", "suggest", "--in", "Jo", "daily", "x"], 1, "no share has that name"),
        (&["prefs", "set", "--in", "Jo", "--best", "14:00-10:00"], 2, "end time"),
        (&["prefs", "set", "--in", "Jo", "--best", "funday 10:00-11:00"], 2, "a day"),
        (&["prefs", "set", "--in", "Jo", "--ways", "text,pigeon"], 2, "way of contact"),
        (&["prefs", "set", "--in", "Jo", "--no-voicemail", "--voicemail-ok"], 2, "--voicemail-ok"),
        (&["prefs", "set", "--in", "Jo"], 2, "say what to set"),
        (&["followups", "plan", "Jo", "--at", "2026-12-07T15:00:00+00:00", "--way", "pigeon"], 2, "way of contact"),
        (&["followups", "plan", "Jo", "--at", "next tuesday", "--way", "call"], 2, "time"),
        (&["followups", "plan", "Jo", "--way", "call"], 2, "--at"),
        (&["followups", "plan", "Kim", "--at", "2026-12-07 15:00", "--way", "call"], 1, "no contact has that name"),
        (&["followups", "done", "ffff0000"], 1, "no planned contact"),
        (&["followups", "--today", "someday"], 2, "date"),
        (&["time", "--today", "2026-13-01"], 2, "date"),
        (&["crisis", "add", "Sponsor", "call me"], 2, "number"),
        (&["crisis", "add", "  ", "555 0101"], 2, "name can't be empty"),
        (&["crisis", "list", "--region", "usa"], 2, "two-letter country code"),
        (&["crisis", "remove", "ffff0000"], 1, "no crisis line"),
        (&["resource", "add", "--kind", "spaceship", "Bus pass"], 2, "resource kind"),
        (&["resource", "add", "Bus pass"], 2, "--kind"),
        (&["resource", "add", "--kind", "food", "Pantry", "--in", "Kim"], 1, "no share"),
        (&["resource", "keep", "ffff0000"], 1, "no resource"),
        (&["contact", "link", "Jo"], 2, "--none"),
        (&["contact", "link", "Jo", "--share", "Kim", "--none"], 2, "--none"),
        (&["contact", "search", " "], 2, "search can't be empty"),
    ];
    for (args, code, words) in cases {
        let err = env.fails(args, *code);
        assert!(err.contains(words), "{args:?}: {err}");
    }
    let said = env.fails(&["plan", "edit", "early_signs"], 2);
    assert!(
        said.contains(
            "is a section; pick the entry to change from `kindred plan show --section early_signs`"
        ),
        "{said}"
    );
    assert_eq!(state(), before, "a refusal changed something");
}

#[test]
fn crisis_lines_follow_where_you_live_and_become_your_own() {
    let env = Env::new();
    let numbers = |env_vars: &[(&str, &str)]| -> Vec<String> {
        let (out, _) = env.ok_with(&["crisis", "list", "--json"], env_vars);
        let v: Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|l| l["number"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(numbers(&[]), ["112"], "no country known");
    assert_eq!(numbers(&[("LANG", "en_US.UTF-8")]), ["988"]);
    assert_eq!(numbers(&[("KINDRED_REGION", "gb")]), ["116 123"]);
    assert_eq!(
        numbers(&[("LANG", "en_US.UTF-8"), ("LC_ALL", "en_GB.UTF-8")]),
        ["116 123"],
        "LC_ALL is read before LANG"
    );
    assert_eq!(
        numbers(&[("LANG", "en_GB.UTF-8"), ("KINDRED_REGION", "US")]),
        ["988"],
        "KINDRED_REGION first"
    );
    let (shown, _) = env.ok_with(&["crisis", "list"], &[("LANG", "en_US.UTF-8")]);
    assert!(
        shown.contains(
            "The usual lines for US:\n  988 Suicide & Crisis Lifeline: 988, call or text"
        ),
        "{shown}"
    );

    // Her first line keeps the usual ones beside it, as her own.
    let (id, said) = env.ok_with(
        &[
            "crisis",
            "add",
            "My sponsor",
            "+44 7700 900123",
            "--text",
            "--when",
            "at night",
        ],
        &[("LANG", "en_GB.UTF-8")],
    );
    assert!(said.contains("stay in it, as your own"), "{said}");
    let list = env.json(&["crisis", "list", "--json"]);
    assert_eq!(list[0]["number"], "116 123");
    assert_eq!(list[1]["name"], "My sponsor");
    assert_eq!(
        (list[1]["can_call"].clone(), list[1]["can_text"].clone()),
        (false.into(), true.into())
    );
    assert!(list.as_array().unwrap().iter().all(|l| l["id"].is_string()));
    let shown = env.ok(&["crisis", "list", "--region", "US"]);
    assert!(
        shown.contains(&format!(
            "{}  My sponsor: +44 7700 900123, text (at night)",
            &id.trim()[..8]
        )),
        "{shown}"
    );
    // Neither --call nor --text: a line to call.
    env.id(&["crisis", "add", "Mum", "01632 960002"]);
    assert_eq!(env.json(&["crisis", "list", "--json"])[2]["can_call"], true);

    env.ok(&["crisis", "remove", "Samaritans"]);
    env.ok(&["crisis", "remove", "my sponsor"]);
    let (_, said) = env.ok_with(&["crisis", "remove", "Mum"], &[]);
    assert!(
        said.contains("the usual lines for where you live show"),
        "{said}"
    );
    assert_eq!(numbers(&[("LANG", "en_US.UTF-8")]), ["988"], "never empty");
}

#[test]
fn resources_are_added_listed_kept_and_deleted() {
    let env = Env::new();
    let id = env.id(&[
        "resource",
        "add",
        "--kind",
        "food",
        "Eastside food bank",
        "--reach",
        "01632 960001",
        "--hours",
        "Tue and Thu 10-2",
    ]);
    let list = env.json(&["resource", "list", "--json"]);
    assert_eq!(list[0]["kind"], "food");
    assert_eq!(list[0]["hours"], "Tue and Thu 10-2");
    let shown = env.ok(&["resource", "list"]);
    assert!(
        shown.contains(&format!(
            "{}  food         Eastside food bank  (your own)",
            &id[..8]
        )),
        "{shown}"
    );
    assert!(shown.contains("reach:   01632 960001"), "{shown}");
    // Her own already: keeping it is the same one.
    assert_eq!(env.ok(&["resource", "keep", &id[..5]]).trim(), id);
    env.ok(&["resource", "delete", "eastside food bank"]);
    assert_eq!(env.ok(&["resource", "list"]).trim(), "No resources yet.");
}

#[test]
fn the_workers_day_lists_who_is_due_and_the_time_spent() {
    let env = Env::new();
    env.id(&["contact", "add", "Sam"]);
    env.id(&["contact", "add", "Ali"]);
    let note = |who: &str, start: &str, end: &str, next: Option<&str>| {
        let mut args = vec![
            "note",
            "add",
            "--contact",
            who,
            "--type",
            "in_person",
            "--setting",
            "community",
            "--start",
            start,
            "--end",
            end,
            "--narrative",
            "Walked to the housing office",
        ];
        if let Some(n) = next {
            args.extend(["--next-contact", n]);
        }
        env.id(&args);
    };
    note(
        "Sam",
        "2026-11-30T10:00:00Z",
        "2026-11-30T11:30:00Z",
        Some("2026-12-03"),
    );
    note("Ali", "2026-10-01T09:00:00Z", "2026-10-01T09:45:00Z", None);
    let call = env.id(&[
        "followups",
        "plan",
        "Sam",
        "--at",
        "2026-12-07T15:00:00+00:00",
        "--way",
        "call",
        "--note",
        "ask about the flat",
    ]);

    let today = env.ok(&["followups", "--today", "2026-12-03"]);
    assert_eq!(
        today,
        "Today, Thu 2026-12-03\n            Sam  Thu 2026-12-03, as your last note planned\nIt has been a while\n            Ali  (last seen Thu 2026-10-01)\n"
    );
    let week = env.ok(&["followups", "--week", "--today", "2026-12-03"]);
    assert!(
        week.contains(&format!(
            "The coming week\n  {}  Sam  Mon 2026-12-07 15:00, a call\n              your note: ask about the flat\n",
            &call[..8]
        )),
        "{week}"
    );
    let lists = env.json(&["followups", "--today", "2026-12-03", "--json"]);
    assert_eq!(lists["this_week"][0]["planned"], call.as_str());
    assert_eq!(lists["a_while"][0]["name"], "Ali");

    let time = env.ok(&["time", "--today", "2026-12-03"]);
    assert!(
        time.contains("  2026-11-30  1 hour 30 minutes  (1 contact)"),
        "{time}"
    );
    assert!(
        time.contains("  October 2026    45 minutes  (1 contact)"),
        "{time}"
    );
    let t = env.json(&["time", "--today", "2026-12-03", "--json"]);
    assert_eq!(t["weeks"][0]["minutes"], 90);

    let found = env.json(&["contact", "search", "HOUSING", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 2);
    assert_eq!(
        env.json(&["contact", "search", "ali", "--json"])[0]["name"],
        "Ali"
    );

    let (_, said) = env.ok_with(&["followups", "done", &call[..6]], &[]);
    assert_eq!(said.trim(), "Marked the call with Sam done.");
    let again = env.id(&[
        "followups",
        "plan",
        "Sam",
        "--at",
        "2026-12-08 09:00",
        "--way",
        "in_person",
    ]);
    let (_, said) = env.ok_with(&["followups", "cancel", &again], &[]);
    assert_eq!(said.trim(), "Took the visit with Sam off the list.");
    let lists = env.json(&["followups", "--today", "2026-12-03", "--json"]);
    assert!(lists["this_week"].as_array().unwrap().is_empty(), "{lists}");
}

#[test]
fn reminders_are_set_listed_and_come_next_in_the_zone_given() {
    let env = Env::new();
    assert!(
        env.ok(&["reminders", "list"])
            .contains("No check-in reminders")
    );
    env.ok(&["reminders", "set", "20:30", "--days", "mon,fri"]);
    let rules = env.json(&["reminders", "list", "--json"]);
    assert_eq!(rules[0]["at"], "20:30");
    assert_eq!(rules[0]["days"], serde_json::json!(["mon", "fri"]));
    let g = env.id(&["goal", "add", "Find the council letter"]);
    env.ok(&[
        "goal",
        "step",
        "add",
        &g,
        "Look in the kitchen drawer",
        "--due",
        "2026-12-07",
    ]);
    // From Thursday noon in London: Friday 20:30, then the step on Monday
    // at 09:00, then Monday 20:30.
    let next = env.json(&[
        "reminders",
        "next",
        "--from",
        "2026-12-03T12:00:00Z",
        "--zone",
        "Europe/London",
        "--json",
    ]);
    let at: Vec<&str> = next
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["at"].as_str().unwrap())
        .collect();
    assert_eq!(
        at,
        [
            "2026-12-04T20:30:00Z",
            "2026-12-07T09:00:00Z",
            "2026-12-07T20:30:00Z"
        ]
    );
    assert!(
        next.as_array()
            .unwrap()
            .iter()
            .all(|r| r["notification_title"] == "Kindred")
    );
    let shown = env.ok(&[
        "reminders",
        "next",
        "--from",
        "2026-12-03T12:00:00Z",
        "--zone",
        "Europe/London",
    ]);
    assert!(shown.contains("a step of a goal"), "{shown}");
    assert!(
        !shown.contains("drawer") && !shown.contains("council"),
        "no words of hers: {shown}"
    );

    let before = env.json(&["reminders", "list", "--json"]);
    for (args, says) in [
        (vec!["reminders", "set", "25:00"], "reminder time"),
        (vec!["reminders", "set", "09:00", "--days", "funday"], "day"),
        (vec!["reminders", "set"], "at least one time"),
        (vec!["reminders", "set", "09:00", "--none"], "not both"),
        (
            vec!["reminders", "next", "--zone", "Mars/Olympus"],
            "time zone",
        ),
        (vec!["reminders", "next", "--days", "0"], "days"),
    ] {
        let err = env.fails(&args, 2);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(
        env.json(&["reminders", "list", "--json"]),
        before,
        "nothing changed"
    );
    env.ok(&["reminders", "set", "--none"]);
    assert_eq!(
        env.json(&["reminders", "list", "--json"]),
        serde_json::json!([])
    );
}
