//! Devices running the `kindred` binary, for the CLI tests that talk to a
//! real relay.
#![allow(clippy::unwrap_used, dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// One device: a data folder of its own.
pub struct Device {
    dir: tempfile::TempDir,
}

impl Device {
    /// A device set up with `init --name` and the relay at `url`.
    pub fn on(url: &str, name: &str) -> Device {
        let d = Device {
            dir: tempfile::tempdir().unwrap(),
        };
        d.ok(&["init", "--name", name]);
        d.ok(&["server", url]);
        d
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kindred"));
        c.env_remove("KINDRED_PASSPHRASE_ENV")
            .env("KINDRED_DATA_DIR", self.data())
            .args(args);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Starts a command with piped stdin, stdout and stderr.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }
}

/// Waits for a child to exit, at most `limit`; kills it after that.
pub fn wait_bounded(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Reads one line of a child's stdout (bounded by the child's own timeout).
pub fn line_of(reader: &mut BufReader<ChildStdout>) -> String {
    let mut l = String::new();
    reader.read_line(&mut l).unwrap();
    l.trim().to_owned()
}

/// What a child wrote to stderr (after it ended).
pub fn stderr_of(child: &mut Child) -> String {
    let mut err = String::new();
    if let Some(s) = child.stderr.as_mut() {
        s.read_to_string(&mut err).unwrap();
    }
    err
}

/// Words a person must never be shown.
pub fn assert_plain(text: &str) {
    for jargon in ["space", "Space", "Forbidden", "epoch"] {
        assert!(!text.contains(jargon), "{jargon:?} in: {text}");
    }
}

/// Words no person should meet in Kindred's output (the plan's tests
/// check every line the commands print).
pub const UNKIND: &[&str] = &[
    "space",
    "epoch",
    "Forbidden",
    "overdue",
    "failed",
    "missed",
    "must",
];

/// Panics if `text` holds one of [`UNKIND`] (any case).
pub fn assert_kind(text: &str) {
    for word in UNKIND {
        assert!(
            !text.to_lowercase().contains(&word.to_lowercase()),
            "{word:?} in: {text}"
        );
    }
}

/// The (section, text) of each entry of a `plan show --json`.
pub fn plan_texts(plan: &serde_json::Value) -> Vec<(String, String)> {
    plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["section"].as_str().unwrap().to_owned(),
                i["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
