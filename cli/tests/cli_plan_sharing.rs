//! The plan between two devices and a real relay, through the `kindred`
//! command line: the person shares a section, the worker sees only that
//! and suggests, the person answers and the worker sees the answers; a
//! resource left in the share and kept; and the person's own hours and
//! ways, set by her, flagging the worker's planned call outside them.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufReader, Write};
use std::time::Duration;

use common::{Device, assert_kind, line_of, plan_texts, wait_bounded};
use kindred_tests::server::ServerProcess;
use serde_json::Value;

const LIMIT: Duration = Duration::from_secs(60);

/// Runs a command on a device in UTC (the person's hours are in their own
/// time); returns stdout, checked for unkind words.
fn run(d: &Device, args: &[&str]) -> String {
    let out = d.cmd(args).env("TZ", "UTC").output().unwrap();
    let (o, e) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(out.status.success(), "{args:?} failed: {e}");
    if !args.contains(&"--json") {
        assert_kind(&o);
    }
    assert_kind(&e);
    o
}

fn json_of(d: &Device, args: &[&str]) -> Value {
    serde_json::from_str(&run(d, args)).unwrap()
}

/// The person invites the worker and both say yes.
fn invite_and_join(person: &Device, worker: &Device) {
    let mut create = person.spawn(&["invite", "create", "--timeout", "60"]);
    let mut create_out = BufReader::new(create.stdout.take().unwrap());
    let code = line_of(&mut create_out);
    let mut join = worker.spawn(&["invite", "join", &code, "--timeout", "60"]);
    let mut join_out = BufReader::new(join.stdout.take().unwrap());
    assert_eq!(line_of(&mut create_out), line_of(&mut join_out));
    create.stdin.take().unwrap().write_all(b"y\n").unwrap();
    join.stdin.take().unwrap().write_all(b"y\n").unwrap();
    assert!(wait_bounded(&mut create, LIMIT).unwrap().success());
    assert!(wait_bounded(&mut join, LIMIT).unwrap().success());
}

#[test]
fn a_shared_section_takes_suggestions_and_a_planned_call_meets_the_persons_hours() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let person = Device::on(&url, "person phone");
    let worker = Device::on(&url, "worker laptop");
    invite_and_join(&person, &worker);

    let payday = run(
        &person,
        &[
            "plan",
            "add",
            "triggers",
            "payday",
            "--helps",
            "give my card to Jo",
        ],
    );
    run(&person, &["plan", "add", "reasons", "my niece"]);
    assert_eq!(
        run(
            &person,
            &["plan", "share", "triggers", "--with", "worker laptop"]
        )
        .trim(),
        "1"
    );
    let shown = run(&person, &["plan", "show", "--section", "triggers"]);
    assert!(shown.contains("  shared with worker laptop\n"), "{shown}");

    // The worker sees the shared section only, and suggests twice.
    run(&worker, &["sync"]);
    let plans = json_of(&worker, &["plan", "shared", "--json"]);
    assert_eq!(plans.as_array().unwrap().len(), 1, "{plans}");
    assert_eq!(plans[0]["sections"], serde_json::json!(["triggers"]));
    assert_eq!(
        plan_texts(&plans[0]),
        [("triggers".into(), "payday".into())]
    );
    let add = run(
        &worker,
        &[
            "plan",
            "suggest",
            "--in",
            "person phone",
            "triggers",
            "loud rooms",
            "--helps",
            "step outside",
            "--why",
            "you said crowds are hard",
        ],
    );
    let change = run(
        &worker,
        &[
            "plan",
            "suggest",
            "--in",
            "person phone",
            "triggers",
            "payday weekends",
            "--instead-of",
            &payday[..6],
        ],
    );
    let out = worker
        .cmd(&["plan", "suggest", "--in", "person phone", "reasons", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not shared with you"));
    let out = worker
        .cmd(&["plan", "share", "all", "--with", "person phone"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("you can suggest a change, and they decide")
    );

    // The person sees both beside her plan, and answers.
    run(&person, &["sync"]);
    let shown = run(&person, &["plan", "show", "--section", "triggers"]);
    assert!(
        shown.contains(&format!(
            "{}  suggested by worker laptop: loud rooms\n",
            &add[..8]
        )),
        "{shown}"
    );
    assert!(shown.contains("why: you said crowds are hard"), "{shown}");
    assert!(
        shown.contains(&format!(
            "suggested by worker laptop, new words for {}: payday weekends",
            &payday[..8]
        )),
        "{shown}"
    );
    assert!(
        shown.contains("2 suggestions are waiting for you"),
        "{shown}"
    );
    run(&person, &["plan", "accept", &add[..6]]);
    run(&person, &["plan", "decline", &change[..6]]);
    let plan = json_of(&person, &["plan", "show", "--json"]);
    assert!(plan["suggestions"].as_array().unwrap().is_empty());
    assert_eq!(
        plan_texts(&plan),
        [
            ("triggers".into(), "payday".into()),
            ("triggers".into(), "loud rooms".into()),
            ("reasons".into(), "my niece".into())
        ]
    );

    // The worker sees the answers, and the entry taken in.
    run(&worker, &["sync"]);
    let plans = json_of(&worker, &["plan", "shared", "--json"]);
    let answers: Vec<&str> = plans[0]["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["answer"].as_str().unwrap())
        .collect();
    assert_eq!(answers, ["accepted", "declined"]);
    assert_eq!(plans[0]["items"].as_array().unwrap().len(), 2);
    let shown = run(&worker, &["plan", "shared"]);
    assert!(shown.contains("The plan of person phone"), "{shown}");
    assert!(
        shown.contains("you suggested: loud rooms  (taken into their plan"),
        "{shown}"
    );
    assert!(
        shown.contains("payday weekends  (left out of their plan"),
        "{shown}"
    );

    // A resource the worker leaves with her; she keeps a copy.
    let walk = run(
        &worker,
        &[
            "resource",
            "add",
            "--in",
            "person phone",
            "--kind",
            "group",
            "Tuesday walking group",
        ],
    );
    run(&person, &["sync"]);
    let shown = run(&person, &["resource", "list"]);
    assert!(
        shown.contains("Tuesday walking group  (in the share with worker laptop)"),
        "{shown}"
    );
    let copy = run(&person, &["resource", "keep", &walk[..6]]);
    assert_ne!(copy.trim(), walk.trim());
    assert!(run(&person, &["resource", "list"]).contains("Tuesday walking group  (your own copy)"));

    // Her hours; a call planned outside them says so.
    run(
        &person,
        &[
            "prefs",
            "set",
            "--in",
            "worker laptop",
            "--ways",
            "text",
            "--best",
            "mon-fri 10:00-14:00",
            "--no-voicemail",
        ],
    );
    run(
        &person,
        &[
            "prefs",
            "set",
            "--in",
            "worker laptop",
            "--note",
            "I work nights",
        ],
    );
    let prefs = json_of(
        &person,
        &["prefs", "show", "--in", "worker laptop", "--json"],
    );
    assert_eq!(
        prefs["ways"],
        serde_json::json!(["text"]),
        "set keeps the rest: {prefs}"
    );
    assert_eq!(prefs["no_voicemail"], true);
    assert_eq!(prefs["note"], "I work nights");
    let out = worker
        .cmd(&["prefs", "set", "--in", "person phone", "--note", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));

    run(&worker, &["sync"]);
    let shown = run(&worker, &["prefs", "show"]);
    assert!(
        shown.contains("best times: 10:00–14:00 on weekdays"),
        "{shown}"
    );
    run(&worker, &["contact", "add", "Sam"]);
    run(
        &worker,
        &["contact", "link", "Sam", "--share", "person phone"],
    );
    let early = run(
        &worker,
        &[
            "followups",
            "plan",
            "Sam",
            "--at",
            "2026-12-07T08:00:00+00:00",
            "--way",
            "call",
        ],
    );
    let fine = run(
        &worker,
        &[
            "followups",
            "plan",
            "Sam",
            "--at",
            "2026-12-08T11:00:00+00:00",
            "--way",
            "text",
        ],
    );
    let week = run(&worker, &["followups", "--week", "--today", "2026-12-03"]);
    let expected = format!(
        "  {}  Sam  Mon 2026-12-07 08:00, a call\n              Sam prefers 10:00–14:00 on weekdays; this is outside that\n              Sam prefers a text\n              no voicemail please\n              Sam says: I work nights\n  {}  Sam  Tue 2026-12-08 11:00, a text\n              Sam says: I work nights\n",
        &early[..8],
        &fine[..8]
    );
    assert!(week.contains(&expected), "{week}");
}
