//! Delete forever from the command line, against a real relay on
//! loopback: `checkin delete --forever`, `goal delete --forever`,
//! `contact delete --forever [--because]`, `erase-everything` (asks
//! first), `erasures`; with the words they print, and their refusals.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;

use common::{Device, assert_plain, wait_bounded};
use kindred_tests::server::ServerProcess;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn deleting_forever_from_the_command_line_says_where_it_is_gone_from() {
    let mut server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let phone = Device::on(&url, "phone");
    let c = phone
        .ok(&[
            "checkin",
            "add",
            "--mood",
            "2",
            "--note",
            "MARKER-cli night",
        ])
        .trim()
        .to_owned();
    let g = phone
        .ok(&["goal", "add", "MARKER-cli goal"])
        .trim()
        .to_owned();
    phone.ok(&["checkin", "add", "--mood", "4", "--note", "kept"]);
    phone.ok(&["sync"]);

    let out = phone.run(&["checkin", "delete", &c[..8], "--forever"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let words = stderr(&out);
    assert!(
        words.contains("forever: from this device and the relay now"),
        "{words}"
    );
    assert_plain(&words);
    let out = phone.run(&["goal", "delete", &g[..8], "--forever"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("the goal \"MARKER-cli goal\""));
    let list = phone.ok(&["checkin", "list"]);
    assert!(list.contains("kept") && !list.contains("MARKER"), "{list}");
    let log = phone.ok(&["erasures"]);
    assert!(log.contains("1 check-in deleted forever by phone"), "{log}");
    assert!(log.contains("1 goal deleted forever by phone"), "{log}");
    assert!(!log.contains("MARKER"));

    // With the relay out of reach the words say when it will happen.
    let id = phone
        .ok(&["checkin", "add", "--mood", "3", "--note", "later"])
        .trim()
        .to_owned();
    phone.ok(&["sync"]);
    server.kill9();
    let out = phone.run(&["checkin", "delete", &id[..8], "--forever"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the next time this device syncs"),
        "{}",
        stderr(&out)
    );
    server.restart();
    let url = format!("http://{}", server.addr);
    phone.ok(&["server", &url]);
    phone.ok(&["sync"]);
    assert!(phone.ok(&["erasures"]).lines().count() >= 3);
}

#[test]
fn a_contact_is_deleted_only_forever_and_signed_notes_need_a_reason() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let worker = Device::on(&url, "laptop");
    let c = worker.ok(&["contact", "add", "Ali"]).trim().to_owned();
    let out = worker.run(&["contact", "delete", "Ali"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--forever"));
    let n = worker
        .ok(&[
            "note",
            "add",
            "--contact",
            &c[..8],
            "--type",
            "in_person",
            "--setting",
            "community",
            "--start",
            "today",
            "--end",
            "today",
            "--narrative",
            "walked to the library",
        ])
        .trim()
        .to_owned();
    worker.ok(&["note", "sign", &n[..8]]);
    let out = worker.run(&["contact", "delete", "Ali", "--forever"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("signed notes"), "{}", stderr(&out));
    let out = worker.run(&[
        "contact",
        "delete",
        "Ali",
        "--forever",
        "--because",
        "tired",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        worker.ok(&["contact", "list"]).lines().count(),
        1,
        "nothing went"
    );
    let out = worker.run(&[
        "contact",
        "delete",
        "Ali",
        "--forever",
        "--because",
        "person-asked",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(worker.ok(&["contact", "list"]).contains("No contacts"));
    let log = worker.ok(&["erasures"]);
    assert!(log.contains("1 signed contact note"), "{log}");
    assert!(log.contains("asked for"), "{log}");
}

#[test]
fn erase_everything_asks_first_and_then_leaves_nothing() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let phone = Device::on(&url, "phone");
    phone.ok(&["checkin", "add", "--mood", "2", "--note", "MARKER-all"]);
    phone.ok(&["goal", "add", "a goal"]);
    phone.ok(&["sync"]);
    // Anything but "erase" is no.
    let mut child = phone.spawn(&["erase-everything"]);
    child.stdin.take().unwrap().write_all(b"yes\n").unwrap();
    assert!(
        wait_bounded(&mut child, std::time::Duration::from_secs(30))
            .unwrap()
            .success()
    );
    assert!(phone.ok(&["checkin", "list"]).contains("MARKER-all"));
    let mut child = phone.spawn(&["erase-everything"]);
    child.stdin.take().unwrap().write_all(b"erase\n").unwrap();
    assert!(
        wait_bounded(&mut child, std::time::Duration::from_secs(60))
            .unwrap()
            .success()
    );
    assert!(phone.ok(&["checkin", "list"]).contains("No check-ins"));
    assert!(phone.ok(&["goal", "list"]).contains("No goals"));
}
