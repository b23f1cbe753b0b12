//! Sharing through the `kindred` command line against a real
//! `kindred-server` process: what an invite says before anyone says yes,
//! failed invites that leave nothing behind, an expired code that says so
//! at once, check-in ranges listed and taken back, and a worker's signed
//! note that outlives the share.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufReader, Write};
use std::time::Duration;

use common::{Device, assert_plain, line_of, stderr_of, wait_bounded};
use kindred_tests::server::ServerProcess;

const LIMIT: Duration = Duration::from_secs(60);

/// How many spaces the relay holds.
fn spaces_on(server: &ServerProcess) -> i64 {
    server
        .counts()
        .into_iter()
        .find(|(t, _)| t == "spaces")
        .map(|(_, n)| n)
        .unwrap()
}

/// The person invites the worker and both say yes; returns the share's id
/// and what each side was told on stderr.
fn invite_and_join(person: &Device, worker: &Device) -> (String, String, String) {
    let mut create = person.spawn(&["invite", "create", "--timeout", "60"]);
    let mut create_out = BufReader::new(create.stdout.take().unwrap());
    let code = line_of(&mut create_out);
    let mut join = worker.spawn(&["invite", "join", &code, "--timeout", "60"]);
    let mut join_out = BufReader::new(join.stdout.take().unwrap());
    let sas_person = line_of(&mut create_out);
    let sas_worker = line_of(&mut join_out);
    assert_eq!(sas_person, sas_worker);
    create.stdin.take().unwrap().write_all(b"y\n").unwrap();
    join.stdin.take().unwrap().write_all(b"y\n").unwrap();
    let done_person = line_of(&mut create_out);
    let done_worker = line_of(&mut join_out);
    assert!(wait_bounded(&mut create, LIMIT).unwrap().success());
    assert!(wait_bounded(&mut join, LIMIT).unwrap().success());
    let told_person = format!("{}\n{done_person}", stderr_of(&mut create));
    let told_worker = format!("{}\n{done_worker}", stderr_of(&mut join));
    // Each side is told the share by the other's name, never by a hex id.
    assert!(
        done_person.ends_with("name this share \"worker laptop\"."),
        "{done_person}"
    );
    assert!(
        done_worker.ends_with("name this share \"person phone\"."),
        "{done_worker}"
    );
    let id = open_share_id(person);
    assert_eq!(open_share_id(worker), id);
    (id, told_person, told_worker)
}

/// The id of the one open share on `device` (from `share list --json`).
fn open_share_id(device: &Device) -> String {
    let list: serde_json::Value =
        serde_json::from_str(&device.ok(&["share", "list", "--json"])).unwrap();
    let open: Vec<&serde_json::Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["ended"] == serde_json::Value::Bool(false))
        .collect();
    assert_eq!(open.len(), 1, "{list}");
    open[0]["space"].as_str().unwrap().to_owned()
}

#[test]
fn an_invite_says_what_the_other_person_can_do_before_anyone_says_yes() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let person = Device::on(&url, "person phone");
    let worker = Device::on(&url, "worker laptop");
    let (_, told_person, told_worker) = invite_and_join(&person, &worker);
    // Before the question, each side read what the worker will be able
    // to do (a writer, the default).
    let ask = told_person.find("Do they match?").unwrap();
    let said = told_person[..ask].find("will be able to read what is shared, add steps");
    assert!(said.is_some(), "{told_person}");
    let ask = told_worker.find("Do they match?").unwrap();
    assert!(
        told_worker[..ask].contains(
            "person phone invites you to share. If you both say yes, you will be able to read"
        ),
        "{told_worker}"
    );
    assert!(
        told_person.contains("Now sharing with worker laptop"),
        "{told_person}"
    );
    assert_plain(&told_person);
    assert_plain(&told_worker);

    // A reader is told they will only read.
    let reader = Device::on(&url, "volunteer tablet");
    let mut create = person.spawn(&["invite", "create", "--role", "reader", "--timeout", "60"]);
    let mut create_out = BufReader::new(create.stdout.take().unwrap());
    let code = line_of(&mut create_out);
    let mut join = reader.spawn(&["invite", "join", &code, "--timeout", "60"]);
    let mut join_out = BufReader::new(join.stdout.take().unwrap());
    line_of(&mut create_out);
    line_of(&mut join_out);
    create.stdin.take().unwrap().write_all(b"n\n").unwrap();
    join.stdin.take().unwrap().write_all(b"n\n").unwrap();
    assert!(!wait_bounded(&mut create, LIMIT).unwrap().success());
    assert!(!wait_bounded(&mut join, LIMIT).unwrap().success());
    let told = stderr_of(&mut join);
    assert!(
        told.contains("you will be able to read what is shared, but not change or add anything"),
        "{told}"
    );
    assert_plain(&told);
}

#[test]
fn failed_invites_leave_nothing_in_the_share_list_or_on_the_relay() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let person = Device::on(&url, "person phone");
    let worker = Device::on(&url, "worker laptop");
    person.ok(&["sync"]);
    worker.ok(&["sync"]);
    let before = spaces_on(&server);

    // The strings differ (the worker's side declines).
    let mut create = person.spawn(&["invite", "create", "--timeout", "60"]);
    let mut create_out = BufReader::new(create.stdout.take().unwrap());
    let code = line_of(&mut create_out);
    let out = worker.run(&[
        "invite",
        "join",
        &code,
        "--yes-if-sas",
        "000 000x",
        "--timeout",
        "60",
    ]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(said.contains("nothing is shared"), "{said}");
    assert_plain(&said);
    // The person said yes (or had already heard the decline).
    let _ = create.stdin.take().unwrap().write_all(b"y\n");
    assert!(!wait_bounded(&mut create, LIMIT).unwrap().success());
    let said = stderr_of(&mut create);
    assert!(said.contains("no one was added"), "{said}");

    // The person's terminal is closed mid-invite.
    let mut create = person.spawn(&["invite", "create", "--timeout", "60"]);
    let mut create_out = BufReader::new(create.stdout.take().unwrap());
    line_of(&mut create_out);
    create.kill().unwrap();
    create.wait().unwrap();

    for d in [&person, &worker] {
        d.ok(&["sync"]);
        let list = d.ok(&["share", "list"]);
        assert_eq!(list.trim(), "Nothing is shared.");
        assert!(
            d.json(&["share", "list", "--json"])
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
    assert_eq!(spaces_on(&server), before, "no share was made on the relay");
}

#[test]
fn an_expired_code_says_so_at_once() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let person = Device::on(&url, "person phone");
    let worker = Device::on(&url, "worker laptop");
    person.ok(&["sync"]);
    worker.ok(&["sync"]);
    let before = spaces_on(&server);
    // A code that works for one second; no one answers in that time.
    let mut create = person.spawn(&["invite", "create", "--timeout", "1"]);
    let mut create_out = BufReader::new(create.stdout.take().unwrap());
    let code = line_of(&mut create_out);
    assert!(!wait_bounded(&mut create, LIMIT).unwrap().success());
    let said = stderr_of(&mut create);
    assert!(said.contains("no one was added"), "{said}");

    // The worker types it afterwards (allowing a minute to wait): told at
    // once that it expired and to ask for a new one, not "no answer".
    let out = worker.run(&["invite", "join", &code, "--timeout", "60"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        said.contains("this invite code has expired; ask the other person for a new one"),
        "{said}"
    );
    assert!(!said.contains("did not answer"), "{said}");
    assert_plain(&said);
    assert_eq!(person.ok(&["share", "list"]).trim(), "Nothing is shared.");
    assert_eq!(spaces_on(&server), before);
}

#[test]
fn check_in_days_are_listed_and_taken_back_and_a_signed_note_outlives_the_share() {
    let mut server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let person = Device::on(&url, "person phone");
    let worker = Device::on(&url, "worker laptop");
    for (at, note) in [
        ("2026-03-02T20:00:00Z", "MARKER-DAY-2"),
        ("2026-03-05T20:00:00Z", "MARKER-DAY-5"),
    ] {
        person.ok(&["checkin", "add", "--mood", "4", "--at", at, "--note", note]);
    }
    let (share, _, _) = invite_and_join(&person, &worker);

    // Check-ins of 1 to 6 March; the list says which days.
    let n = person.ok(&[
        "checkin",
        "share",
        "--with",
        &share,
        "--since",
        "2026-03-01",
        "--until",
        "2026-03-06",
    ]);
    assert_eq!(n.trim(), "2");
    let list = person.ok(&["share", "list"]);
    assert!(list.contains("with worker laptop"), "{list}");
    assert!(
        list.contains("check-ins from 2026-03-01 to 2026-03-06 (2 check-ins)"),
        "{list}"
    );
    assert!(
        list.contains("worker laptop can read what is shared"),
        "{list}"
    );
    assert_plain(&list.replace(&share, ""));

    // She takes back 4 to 6 March: the worker keeps only day 2.
    let out = person.run(&[
        "checkin",
        "unshare",
        "--with",
        &share,
        "--since",
        "2026-03-04",
        "--until",
        "2026-03-06",
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(said.contains("Stopped sharing 1 check-in"), "{said}");
    assert_plain(&said);
    worker.ok(&["sync"]);
    let cs = worker.json(&["checkin", "list", "--json"]);
    let notes: Vec<&str> = cs
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["note"].as_str().unwrap())
        .collect();
    assert_eq!(notes, vec!["MARKER-DAY-2"]);
    assert_eq!(
        person
            .json(&["checkin", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2,
        "her own check-ins stay"
    );
    let list = person.ok(&["share", "list"]);
    assert!(
        list.contains("check-ins from 2026-03-01 to 2026-03-03 (1 check-in)"),
        "{list}"
    );

    // The worker's signed note, shared and then the share ended.
    let jo = worker.ok(&["contact", "add", "Jo"]).trim().to_owned();
    let n = worker
        .ok(&[
            "note",
            "add",
            "--contact",
            &jo,
            "--type",
            "in_person",
            "--setting",
            "community",
            "--start",
            "2026-03-01T10:00:00Z",
            "--end",
            "2026-03-01T11:00:00Z",
            "--narrative",
            "MARKER-NOTE walked to the library",
        ])
        .trim()
        .to_owned();
    worker.ok(&["note", "sign", &n]);
    worker.ok(&["note", "share", &n, "--with", &share]);
    person.ok(&["sync"]);
    assert_eq!(
        worker
            .json(&["note", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1,
        "one note, not two"
    );
    let ended = person.ok(&["share", "end", &share]);
    assert!(ended.contains("worker laptop"), "{ended}");
    let list = person.ok(&["share", "list"]);
    assert!(list.contains("with worker laptop (ended"), "{list}");
    worker.ok(&["sync"]);
    assert_eq!(worker.ok(&["share", "list"]).trim(), "Nothing is shared.");
    let shown = worker.json(&["note", "show", &n, "--json"]);
    assert_eq!(shown["narrative"], "MARKER-NOTE walked to the library");
    assert_eq!(shown["status"], "signed");
    assert_eq!(shown["signature_ok"], true);
    assert!(shown["shared_in"].is_null());
    let text = worker.ok(&["note", "show", &n]);
    assert!(text.contains("MARKER-NOTE walked to the library"), "{text}");
    let export = worker.ok(&["export", "--format", "json"]);
    assert!(
        export.contains("MARKER-NOTE walked to the library"),
        "{export}"
    );
    // The shared check-ins went with the share.
    assert!(
        worker
            .json(&["checkin", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );

    server.kill9();
    server.assert_never_saw(&["MARKER-NOTE", "MARKER-DAY", "worker laptop", "person phone"]);
}
