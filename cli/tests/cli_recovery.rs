//! Lost phone, start to finish, through the `kindred` command line and a
//! real relay (issue 16): a recovery kit made, everything restored on a
//! new device from its words, a removal of the old phone asked, seen and
//! cancelled there, then done at once with the kit; the phone wiping its
//! copy when it syncs; the kit split 2-of-3 and restored from two shares;
//! and every bad input refused in words, changing nothing.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{Device, assert_kind};
use kindred_tests::server::ServerProcess;
use serde_json::Value;

/// A data folder not made with `init` (for `recovery restore`).
fn bare(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kindred"));
    c.env_remove("KINDRED_PASSPHRASE_ENV")
        .env_remove("KINDRED_REMOVAL_WAIT_SECS")
        .env("KINDRED_DATA_DIR", dir);
    c
}

/// Runs `c` with `stdin` typed in; returns the output.
fn with_stdin(mut c: Command, stdin: &str) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn ok(o: Output) -> String {
    let (out, err) = text(&o);
    assert!(o.status.success(), "failed: {out} {err}");
    assert_kind(&out);
    assert_kind(&err);
    out
}

fn usage(o: Output, says: &str) {
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out} {err}");
    assert!(err.contains(says), "{err}");
    assert_kind(&err);
}

fn restore(dir: &Path, url: &str, name: &str, extra: &[&str]) -> Command {
    let mut c = bare(dir);
    c.args([
        "recovery",
        "restore",
        "--server",
        url,
        "--name",
        name,
        "--insecure-http",
    ])
    .args(extra);
    c
}

fn fingerprint_of(d: &Value, name: &str) -> String {
    d.as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {d}"))["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn goal_titles(c: Command) -> Vec<String> {
    let mut c = c;
    let out = c.args(["goal", "list", "--json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|g| g["title"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_lost_phone_from_the_kit_to_a_new_device_and_back_again() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let phone = Device::on(&url, "phone");
    phone.ok(&["goal", "add", "Walk every morning"]);
    phone.ok(&["sync"]);

    // The kit: 12 words on the second line.
    let made = phone.ok(&["recovery", "create"]);
    let words = made.lines().nth(1).unwrap().trim().to_owned();
    assert_eq!(words.split(' ').count(), 12, "{made}");
    let status = phone.json(&["recovery", "status", "--json"]);
    assert_eq!(status["has_kit"], true);

    // A new device, its old one kept in for now.
    let tmp = tempfile::tempdir().unwrap();
    let new: PathBuf = tmp.path().join("new");
    let out = ok(with_stdin(
        restore(
            &new,
            &url,
            "new phone",
            &["--words", "-", "--keep-old-devices"],
        ),
        &format!("{words}\n"),
    ));
    assert!(out.contains("Everything is back"), "{out}");
    assert_eq!(goal_titles(bare(&new)), vec!["Walk every morning"]);

    // The new device asks to remove the old phone: it only waits.
    let devices: Value = serde_json::from_slice(
        &bare(&new)
            .args(["devices", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let old = fingerprint_of(&devices, "phone");
    let asked = ok(bare(&new)
        .args(["devices", "remove", &old, "--lost"])
        .output()
        .unwrap());
    assert!(asked.contains("Asked to remove phone"), "{asked}");
    // The phone (still hers) sees it and cancels.
    let pending = phone.json(&["devices", "pending-removals", "--json"]);
    let p = &pending.as_array().unwrap()[0];
    assert_eq!(p["this_device"], true);
    assert_eq!(p["asked_by"], "new phone");
    assert_eq!(p["lost"], true);
    assert!(
        phone
            .ok(&["devices", "cancel-removal", &old])
            .contains("Cancelled")
    );
    assert!(
        phone
            .ok(&["devices", "pending-removals"])
            .contains("No removals wait")
    );

    // With the kit, the removal happens at once.
    let done = ok(with_stdin(
        {
            let mut c = bare(&new);
            c.args(["devices", "remove", &old, "--lost", "--kit-words", "-"]);
            c
        },
        &format!("{words}\n"),
    ));
    assert!(done.contains("Removed phone"), "{done}");
    assert!(done.contains("wipes its copy"), "{done}");
    let history = ok(bare(&new).args(["devices", "history"]).output().unwrap());
    assert!(
        history.contains("with the recovery kit, as lost"),
        "{history}"
    );
    // The old phone syncs, learns it was removed as lost, and wipes.
    phone.ok(&["sync"]);
    assert!(goal_titles(phone.cmd(&[])).is_empty());

    // A kit split 2-of-3 replaces the first (its words make it go at once).
    let split = ok(with_stdin(
        {
            let mut c = bare(&new);
            c.args([
                "recovery",
                "create",
                "--split",
                "2-of-3",
                "--old-words",
                "-",
            ]);
            c
        },
        &format!("{words}\n"),
    ));
    let shares: Vec<String> = split
        .lines()
        .filter(|l| l.starts_with("share "))
        .map(str::to_owned)
        .collect();
    assert_eq!(shares.len(), 3, "{split}");
    // The old words no longer restore anything.
    let stale = tmp.path().join("stale");
    let o = with_stdin(
        restore(&stale, &url, "stale", &["--words", "-"]),
        &format!("{words}\n"),
    );
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    assert!(!stale.join("kindred.db").exists());
    // Shares 1 and 3 do.
    let third = tmp.path().join("third");
    let out = ok(
        restore(&third, &url, "third", &["--shares", &shares[0], &shares[2]])
            .output()
            .unwrap(),
    );
    assert!(out.contains("Everything is back"), "{out}");
    assert_eq!(goal_titles(bare(&third)), vec!["Walk every morning"]);

    // The kit's words and shares never reach the relay's files or log.
    let mut server = server;
    server.kill9();
    let mut secrets: Vec<&str> = vec![words.as_str()];
    secrets.extend(shares.iter().map(|s| s.split_once(": ").unwrap().1.trim()));
    server.assert_never_saw(&secrets);
}

#[test]
fn bad_kit_input_is_refused_in_words_and_makes_nothing() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let phone = Device::on(&url, "phone");
    phone.ok(&["sync"]);
    let made = phone.ok(&["recovery", "create"]);
    let words = made.lines().nth(1).unwrap().trim().to_owned();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");

    let mut w: Vec<&str> = words.split(' ').collect();
    w[11] = "kindredx";
    usage(
        restore(&dir, &url, "x", &["--words", &w.join(" ")])
            .output()
            .unwrap(),
        "word 12 is not one of the recovery kit's words",
    );
    usage(
        restore(&dir, &url, "x", &["--words", "only three words"])
            .output()
            .unwrap(),
        "has 12 words; these are 3",
    );
    let phone_split = phone.ok(&["recovery", "create", "--split", "2-of-3"]);
    let one = phone_split
        .lines()
        .find(|l| l.starts_with("share 1"))
        .unwrap()
        .to_owned();
    usage(
        restore(&dir, &url, "x", &["--shares", &one])
            .output()
            .unwrap(),
        "2 different shares are needed",
    );
    usage(
        restore(&dir, &url, "x", &["--shares", &one, &one])
            .output()
            .unwrap(),
        "twice",
    );
    usage(
        restore(&dir, &url, "x", &[]).output().unwrap(),
        "give your kit's words",
    );
    assert!(
        !dir.exists() || !dir.join("kindred.db").exists(),
        "nothing made"
    );
    usage(
        phone.run(&["recovery", "create", "--split", "3-of-5"]),
        "--split takes 2-of-3",
    );
    usage(
        phone.run(&["devices", "cancel-removal", "zz"]),
        "at least 8 hex digits",
    );
    let o = phone.run(&["devices", "cancel-removal", "0123456789abcdef"]);
    assert_eq!(o.status.code(), Some(1));
}
