//! The `kindred` command line: every command, the shape of every `--json`
//! output, and every error exit code.
#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        env.ok(&["init", "--name", "test phone"]);
        env
    }

    fn bare() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("kindred").unwrap();
        c.env_remove("KINDRED_PASSPHRASE_ENV")
            .env("KINDRED_DATA_DIR", self.data())
            .args(args);
        c
    }

    /// Runs a command that must succeed; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must print one id.
    fn id(&self, args: &[&str]) -> String {
        let out = self.ok(args);
        let id = out.trim().to_owned();
        assert_eq!(id.len(), 32, "not an id: {out:?}");
        assert_eq!(out.lines().count(), 1);
        id
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Runs a command that must fail with `code` and one line on stderr.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8(out.stderr).unwrap();
        if code == 1 {
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(err.starts_with("kindred: "), "{err}");
        }
        err
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn init_creates_a_private_key_file_and_refuses_twice() {
    let env = Env::bare();
    let out = env.ok(&["init", "--name", "my phone"]);
    assert!(out.starts_with("Kindred is ready on my phone."), "{out}");
    assert!(out.contains("fingerprint, to check when you pair or share: "));
    assert_eq!(mode(&env.data().join("storage.key")), 0o600);
    assert_eq!(mode(&env.data()), 0o700);
    assert_eq!(
        std::fs::read(env.data().join("storage.key")).unwrap().len(),
        32
    );
    let err = env.fails(&["init", "--name", "again"], 1);
    assert!(err.contains("already exists"));
    env.fails(&["init"], 2);

    // A rejected name leaves nothing behind.
    let fresh = Env::bare();
    fresh.fails(&["init", "--name", " "], 2);
    assert!(!fresh.data().join("storage.key").exists());
    fresh.ok(&["init", "--name", "ok"]);
}

#[test]
fn commands_before_init_fail_clearly() {
    let env = Env::bare();
    let err = env.fails(&["goal", "list"], 1);
    assert!(err.contains("init"), "{err}");
}

#[test]
fn a_key_file_others_can_read_is_refused() {
    let env = Env::new();
    let key = env.data().join("storage.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = env.fails(&["goal", "list"], 1);
    assert!(err.contains("chmod 600"), "{err}");
}

#[test]
fn a_wrong_key_file_is_refused() {
    let env = Env::new();
    let key = env.data().join("storage.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(&key, [9u8; 32]).unwrap();
    let err = env.fails(&["goal", "list"], 1);
    assert!(err.contains("does not open"), "{err}");
}

#[test]
fn passphrase_init_keeps_no_key_file_and_needs_the_passphrase() {
    let env = Env::bare();
    let mut c = env.cmd(&[
        "init",
        "--name",
        "laptop",
        "--passphrase-env",
        "KINDRED_TEST_PASS",
    ]);
    c.env("KINDRED_TEST_PASS", "correct horse battery staple");
    assert!(c.output().unwrap().status.success());
    assert!(!env.data().join("storage.key").exists());
    assert_eq!(mode(&env.data().join("passphrase.json")), 0o600);
    let params = std::fs::read_to_string(env.data().join("passphrase.json")).unwrap();
    assert!(params.contains("argon2id") && !params.contains("horse"));

    let mut c = env.cmd(&[
        "goal",
        "add",
        "Sleep by eleven",
        "--passphrase-env",
        "KINDRED_TEST_PASS",
    ]);
    c.env("KINDRED_TEST_PASS", "correct horse battery staple");
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Wrong passphrase, missing variable, no flag: exit 1, nothing changed.
    let mut c = env.cmd(&["goal", "list", "--passphrase-env", "KINDRED_TEST_PASS"]);
    c.env("KINDRED_TEST_PASS", "wrong");
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not open"));
    let err = env.fails(
        &["goal", "list", "--passphrase-env", "KINDRED_UNSET_VAR_XYZ"],
        1,
    );
    assert!(err.contains("not set"), "{err}");
    let err = env.fails(&["goal", "list"], 1);
    assert!(err.contains("passphrase"), "{err}");
    let mut c = env.cmd(&["goal", "list", "--json"]);
    c.env("KINDRED_PASSPHRASE_ENV", "KINDRED_TEST_PASS")
        .env("KINDRED_TEST_PASS", "correct horse battery staple");
    let out = c.output().unwrap();
    let goals: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(goals[0]["title"], "Sleep by eleven");
}

#[test]
fn goals_steps_progress_and_status() {
    let env = Env::new();
    let g = env.id(&[
        "goal",
        "add",
        "Walk to the park",
        "--why",
        "Fresh air",
        "--area",
        "physical",
        "--target",
        "2026-06-01",
    ]);
    let s = env.id(&[
        "goal",
        "step",
        "add",
        &g,
        "Find shoes",
        "--due",
        "2026-03-01",
    ]);
    env.id(&["goal", "step", "add", &g, "Walk to the corner"]);
    env.ok(&["goal", "step", "done", &g, &s]);
    let p = env.id(&["goal", "progress", &g, "Halfway there"]);
    env.ok(&["goal", "edit", &g, "--title", "Walk to the big park"]);

    let shown = env.json(&["goal", "show", &g, "--json"]);
    assert!(shown.is_object());
    assert_eq!(shown["id"], g.as_str());
    assert_eq!(shown["title"], "Walk to the big park");
    assert_eq!(shown["why"], "Fresh air");
    assert_eq!(shown["area"], "physical");
    assert_eq!(shown["target_date"], "2026-06-01");
    assert_eq!(shown["status"], "active");
    assert_eq!(shown["steps"][0]["id"], s.as_str());
    assert_eq!(shown["steps"][0]["due"], "2026-03-01");
    assert!(shown["steps"][0]["done_at"].is_string());
    assert!(shown["steps"][1]["done_at"].is_null());
    assert_eq!(shown["progress"][0]["id"], p.as_str());
    env.ok(&["goal", "step", "undo", &g, &s]);
    assert!(env.json(&["goal", "show", &g, "--json"])["steps"][0]["done_at"].is_null());

    let human = env.ok(&["goal", "show", &g]);
    assert!(human.contains("Walk to the big park") && human.contains("Find shoes"));

    let other = env.id(&["goal", "add", "Call my sister"]);
    env.ok(&["goal", "status", &other, "let go"]);
    let all = env.json(&["goal", "list", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let let_go = env.json(&["goal", "list", "--status", "let_go", "--json"]);
    assert_eq!(let_go.as_array().unwrap().len(), 1);
    assert_eq!(let_go[0]["id"], other.as_str());
    assert_eq!(let_go[0]["status"], "let_go");
    let list = env.ok(&["goal", "list"]);
    assert!(list.contains("0 of 2 steps done"), "{list}");

    // Errors.
    env.fails(&["goal", "add", "  "], 2);
    env.fails(&["goal", "add", "x", "--area", "cosmic"], 2);
    env.fails(&["goal", "add", "x", "--target", "next week"], 2);
    env.fails(&["goal", "status", &g, "failed"], 2);
    env.fails(&["goal", "list", "--status", "done"], 2);
    env.fails(&["goal", "show", "0123456789abcdef0123456789abcdef"], 1);
    let err = env.fails(&["goal", "show", "not an id!"], 1);
    assert!(err.contains("no goal has that name or id"), "{err}");
    env.fails(
        &[
            "goal",
            "step",
            "done",
            &g,
            "0123456789abcdef0123456789abcdef",
        ],
        1,
    );
    env.fails(
        &["goal", "progress", "0123456789abcdef0123456789abcdef", "x"],
        1,
    );
    env.fails(&["goal", "frobnicate"], 2);
    env.fails(&["goal", "add"], 2);
}

#[test]
fn check_ins_list_filter_and_summarise() {
    let env = Env::new();
    let a = env.id(&[
        "checkin",
        "add",
        "--mood",
        "2",
        "--tag",
        "sleep",
        "--note",
        "Rough night",
        "--at",
        "2026-03-01T21:30:00-05:00",
    ]);
    env.id(&[
        "checkin",
        "add",
        "--mood",
        "4",
        "--energy",
        "3",
        "--tag",
        "walk",
        "--tag",
        "friends",
        "--at",
        "2026-03-03T09:00:00+00:00",
    ]);
    env.id(&["checkin", "add", "--mood", "5"]);
    let list = env.json(&["checkin", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[0]["id"], a.as_str());
    assert_eq!(list[0]["occurred_at"], "2026-03-01T21:30:00-05:00");
    assert_eq!(list[0]["mood"], 2);
    assert_eq!(list[0]["tags"][0], "sleep");
    assert_eq!(list[0]["note"], "Rough night");
    assert!(list[0]["energy"].is_null());
    assert_eq!(list[1]["energy"], 3);
    let march = env.json(&[
        "checkin",
        "list",
        "--since",
        "2026-03-01",
        "--until",
        "2026-03-02",
        "--json",
    ]);
    assert_eq!(march.as_array().unwrap().len(), 1);
    assert!(
        env.ok(&["checkin", "list", "--since", "2030-01-01"])
            .contains("No check-ins")
    );

    let summary = env.json(&["checkin", "summary", "--weeks", "3", "--json"]);
    let weeks = summary.as_array().unwrap();
    assert_eq!(weeks.len(), 3);
    assert_eq!(weeks[2]["count"], 1);
    assert_eq!(weeks[2]["mean_mood"], 5.0);
    assert!(weeks[0]["week_start"].is_string());
    let human = env.ok(&["checkin", "summary", "--weeks", "2"]);
    assert!(human.contains("mood 5.0"), "{human}");
    assert!(human.contains("no check-ins"), "{human}");

    for bad in ["0", "6", "-1"] {
        env.fails(&["checkin", "add", "--mood", bad], 2);
        env.fails(&["checkin", "add", "--mood", "3", "--energy", bad], 2);
    }
    env.fails(&["checkin", "add", "--mood", "abc"], 2);
    env.fails(&["checkin", "add"], 2);
    env.fails(&["checkin", "add", "--mood", "3", "--at", "soon"], 2);
    env.fails(&["checkin", "add", "--mood", "3", "--bogus"], 2);
    env.fails(
        &[
            "checkin",
            "list",
            "--since",
            "2026-03-05",
            "--until",
            "2026-03-01",
        ],
        2,
    );
    env.fails(&["checkin", "summary", "--weeks", "0"], 2);
    assert_eq!(
        env.json(&["checkin", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

fn add_note(env: &Env, contact: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "note",
        "add",
        "--contact",
        contact,
        "--type",
        "in_person",
        "--setting",
        "community",
        "--start",
        "2026-03-01T10:00:00+00:00",
        "--end",
        "2026-03-01T10:45:00+00:00",
        "--narrative",
        "Met at the library.",
    ];
    args.extend_from_slice(extra);
    env.id(&args)
}

#[test]
fn contacts_and_notes_sign_and_addenda() {
    let env = Env::new();
    let c = env.id(&["contact", "add", "Jordan"]);
    let c2 = env.id(&["contact", "add", "Alex"]);
    let contacts = env.json(&["contact", "list", "--json"]);
    assert_eq!(contacts.as_array().unwrap().len(), 2);
    assert_eq!(contacts[0]["name"], "Alex");
    let one = env.json(&["contact", "show", &c, "--json"]);
    assert_eq!(one["id"], c.as_str());
    assert_eq!(one["name"], "Jordan");
    assert!(env.ok(&["contact", "list"]).contains("Jordan"));

    let n = add_note(
        &env,
        &c,
        &[
            "--own-words",
            "I feel better with a plan",
            "--goal",
            "housing",
            "--activity",
            "forms",
            "--next-contact",
            "2026-03-08",
        ],
    );
    add_note(&env, &c2, &[]);
    env.ok(&["note", "edit", &n, "--strengths", "Kept the appointment"]);
    let shown = env.json(&["note", "show", &n, "--json"]);
    assert_eq!(shown["id"], n.as_str());
    assert_eq!(shown["contact_id"], c.as_str());
    assert_eq!(shown["contact_type"], "in_person");
    assert_eq!(shown["own_words"], "I feel better with a plan");
    assert_eq!(shown["strengths"], "Kept the appointment");
    assert_eq!(shown["goals_addressed"][0], "housing");
    assert_eq!(shown["next_contact"], "2026-03-08");
    assert_eq!(shown["status"], "draft");
    env.fails(&["note", "addendum", &n, "too soon"], 1);

    env.ok(&["note", "sign", &n]);
    let a = env.id(&["note", "addendum", &n, "Jordan called back."]);
    let shown = env.json(&["note", "show", &n, "--json"]);
    assert_eq!(shown["status"], "signed");
    assert!(shown["signed_at"].is_string());
    assert_eq!(shown["addenda"][0]["id"], a.as_str());
    assert!(env.ok(&["note", "show", &n]).contains("Jordan"));
    let err = env.fails(&["note", "edit", &n, "--narrative", "rewritten"], 1);
    assert!(err.contains("signed"), "{err}");
    env.fails(&["note", "sign", &n], 1);

    let all = env.json(&["note", "list", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let theirs = env.json(&["note", "list", "--contact", &c, "--json"]);
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_eq!(theirs[0]["id"], n.as_str());
    assert_eq!(
        env.json(&["note", "list", "--since", "2026-03-02", "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert!(env.ok(&["note", "list"]).contains("signed"));

    // Errors.
    let base = [
        "note",
        "add",
        "--contact",
        c.as_str(),
        "--type",
        "in_person",
        "--setting",
        "home",
        "--narrative",
        "x",
    ];
    let mut before_start = base.to_vec();
    before_start.extend([
        "--start",
        "2026-03-01T11:00:00Z",
        "--end",
        "2026-03-01T10:00:00Z",
    ]);
    env.fails(&before_start, 2);
    let mut missing_end = base.to_vec();
    missing_end.extend(["--start", "2026-03-01T11:00:00Z"]);
    env.fails(&missing_end, 2);
    let mut bad_type = vec![
        "note",
        "add",
        "--contact",
        c.as_str(),
        "--type",
        "telepathy",
        "--setting",
        "home",
        "--narrative",
        "x",
    ];
    bad_type.extend([
        "--start",
        "2026-03-01T10:00:00Z",
        "--end",
        "2026-03-01T11:00:00Z",
    ]);
    env.fails(&bad_type, 2);
    let mut unknown_contact = vec![
        "note",
        "add",
        "--contact",
        "0123456789abcdef0123456789abcdef",
        "--type",
        "phone",
        "--setting",
        "home",
        "--narrative",
        "x",
    ];
    unknown_contact.extend([
        "--start",
        "2026-03-01T10:00:00Z",
        "--end",
        "2026-03-01T11:00:00Z",
    ]);
    env.fails(&unknown_contact, 1);
    env.fails(&["note", "show", "0123456789abcdef0123456789abcdef"], 1);
    env.fails(&["contact", "show", "0123456789abcdef0123456789abcdef"], 1);
    env.fails(&["contact", "add", ""], 2);
    env.fails(
        &[
            "note",
            "list",
            "--contact",
            "0123456789abcdef0123456789abcdef",
        ],
        1,
    );
}

#[test]
fn exports_in_every_format_respect_substance_use_notes() {
    let env = Env::new();
    env.id(&["goal", "add", "Walk"]);
    env.id(&["checkin", "add", "--mood", "3", "--note", "ok day"]);
    let c = env.id(&["contact", "add", "Jordan"]);
    add_note(&env, &c, &[]);
    let flagged = add_note(&env, &c, &["--substance-use"]);

    let out = env.cmd(&["export", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["format"], "kindred-export");
    assert_eq!(e["goals"].as_array().unwrap().len(), 1);
    assert_eq!(e["check_ins"].as_array().unwrap().len(), 1);
    assert_eq!(e["contacts"].as_array().unwrap().len(), 1);
    assert_eq!(e["contact_notes"].as_array().unwrap().len(), 1);
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&flagged));
    assert!(String::from_utf8_lossy(&out.stderr).contains("left out"));
    let all = env.json(&["export", "--format", "json", "--include-sensitive"]);
    assert_eq!(all["contact_notes"].as_array().unwrap().len(), 2);

    let file = env.dir.path().join("export.json");
    env.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(mode(&file), 0o600);
    let e: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(e["goals"][0]["title"], "Walk");

    let csv = env.dir.path().join("csv");
    env.ok(&["export", "--format", "csv", "--out", csv.to_str().unwrap()]);
    let check_ins = std::fs::read_to_string(csv.join("check_ins.csv")).unwrap();
    assert!(check_ins.starts_with("id,occurred_at"));
    assert!(check_ins.contains("ok day"));
    for f in [
        "goals.csv",
        "goal_steps.csv",
        "goal_progress.csv",
        "contacts.csv",
        "contact_notes.csv",
        "note_addenda.csv",
    ] {
        assert!(csv.join(f).exists(), "{f}");
        assert_eq!(mode(&csv.join(f)), 0o600);
    }
    assert!(
        !std::fs::read_to_string(csv.join("contact_notes.csv"))
            .unwrap()
            .contains(&flagged)
    );
    env.fails(&["export", "--format", "csv"], 2);
    env.fails(&["export", "--format", "pdf"], 2);

    let raw = env.dir.path().join("raw");
    let err = env.fails(
        &[
            "export",
            "--format",
            "automerge",
            "--out",
            raw.to_str().unwrap(),
        ],
        1,
    );
    assert!(err.contains("substance-use"), "{err}");
    env.ok(&[
        "export",
        "--format",
        "automerge",
        "--out",
        raw.to_str().unwrap(),
        "--include-sensitive",
    ]);
    for f in ["personal.automerge", "caseload.automerge"] {
        assert!(std::fs::metadata(raw.join(f)).unwrap().len() > 0, "{f}");
    }
}

#[test]
fn device_compact_server_and_status_without_a_server() {
    let env = Env::new();
    let d = env.json(&["device", "--json"]);
    assert!(d.is_object());
    assert_eq!(d["name"], "test phone");
    assert_eq!(d["id"].as_str().unwrap().len(), 32);
    assert_eq!(d["spaces"].as_array().unwrap().len(), 2);
    assert!(env.ok(&["device"]).contains("fingerprint"));
    env.id(&["checkin", "add", "--mood", "3"]);
    env.ok(&["compact"]);
    assert_eq!(
        env.json(&["checkin", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let status = env.json(&["status", "--json"]);
    assert_eq!(status.as_array().unwrap().len(), 2);
    assert_eq!(status[0]["on_server"], false);
    assert!(env.ok(&["status"]).contains("not synced yet"));
    assert!(env.ok(&["devices"]).contains("Nothing synced yet"));
    assert_eq!(env.json(&["devices", "--json"]), Value::Array(vec![]));

    let err = env.fails(&["sync"], 1);
    assert!(err.contains("kindred server"), "{err}");
    env.fails(&["server", "ftp://example"], 2);
    env.fails(&["server", "not a url"], 2);
    // Nothing listens on this loopback port: unreachable, exit 1.
    env.ok(&["server", "http://127.0.0.1:9"]);
    assert_eq!(
        env.json(&["device", "--json"])["server"],
        "http://127.0.0.1:9"
    );
    let err = env.fails(&["sync"], 1);
    assert!(err.contains("could not be reached"), "{err}");
    env.fails(
        &[
            "pair",
            "join",
            "KINDRED1:GARBAGE",
            "--name",
            "x",
            "--data-dir",
            env.dir.path().join("new").to_str().unwrap(),
        ],
        2,
    );
}

/// Plain http:// is refused for a server on another computer (a usage
/// error, in words that say what to use instead, the address kept as it
/// was), allowed on loopback, and allowed anywhere with --insecure-http.
#[test]
fn plain_http_servers_are_refused_except_on_loopback_or_when_asked() {
    let env = Env::new();
    env.ok(&["server", "https://relay.example.org"]);
    for plain in ["http://relay.example.org", "http://192.168.1.20:8787"] {
        let err = env.fails(&["server", plain], 2);
        assert!(
            err.contains("https://") && err.contains("localhost"),
            "{err}"
        );
        assert_eq!(
            env.json(&["device", "--json"])["server"],
            "https://relay.example.org",
            "a refused address changes nothing"
        );
    }
    for local in [
        "http://127.0.0.1:8787",
        "http://localhost:8787",
        "http://[::1]:8787",
    ] {
        env.ok(&["server", local]);
    }
    env.ok(&["server", "http://192.168.1.20:8787", "--insecure-http"]);
    assert_eq!(
        env.json(&["device", "--json"])["server"],
        "http://192.168.1.20:8787"
    );
}

#[test]
fn help_and_version_exit_zero() {
    let env = Env::bare();
    assert!(env.cmd(&["--help"]).output().unwrap().status.success());
    assert!(env.cmd(&["--version"]).output().unwrap().status.success());
    env.fails(&[], 2);
}
