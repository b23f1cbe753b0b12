//! One relay per data folder: a second `kindred-server` on a folder a
//! running one holds refuses to start, says why, and leaves the first one
//! serving; once the first is gone, the folder can be used again.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use kindred_tests::server::{ServerProcess, binary};

/// Starts a second relay on `data`; returns its exit code and stderr, or
/// panics (after stopping it) if it started serving. Reading its first
/// line needs no clock: a relay that serves prints "listening on", one
/// that refuses exits and closes stdout.
fn second_relay_on(data: &std::path::Path) -> (Option<i32>, String) {
    let mut child = Command::new(binary())
        .arg("--listen")
        .arg("127.0.0.1:0")
        .arg("--data")
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    if line.contains("listening on") {
        let _ = child.kill();
        let _ = child.wait();
        panic!("a second relay started on a folder in use: {line}");
    }
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code(), err)
}

fn healthy(url: &str) -> bool {
    kindred_core::sync::install_tls_provider();
    reqwest::blocking::get(format!("{url}/healthz"))
        .map(|r| r.status().is_success())
        .unwrap_or(false)
}

#[test]
fn a_second_relay_on_a_folder_in_use_refuses_to_start() {
    let mut first = ServerProcess::start();
    let (code, err) = second_relay_on(&first.data);
    assert_eq!(code, Some(1), "the second relay must exit 1: {err}");
    assert!(
        err.contains("another kindred-server is already using the data folder"),
        "{err}"
    );
    assert!(err.contains(&first.data.display().to_string()), "{err}");

    // The first one is untouched and still answers.
    assert!(healthy(&first.url));

    // Its lock goes with it: after a kill, the folder is free again.
    first.restart();
    assert!(healthy(&first.url));
}

#[test]
fn admin_commands_read_a_folder_a_relay_is_using() {
    let first = ServerProcess::start();
    let out = Command::new(binary())
        .arg("--data")
        .arg(&first.data)
        .args(["admin", "usage"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
