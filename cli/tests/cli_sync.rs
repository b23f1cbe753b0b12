//! The `kindred` command line against a real `kindred-server` process on
//! loopback: pairing two devices with `pair offer` / `pair join`, `status`,
//! `devices`, and `sync --watch` woken by a live hint.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kindred_protocol::pairing::Offer;
use kindred_tests::server::ServerProcess;
use serde_json::Value;

struct Device {
    dir: tempfile::TempDir,
}

impl Device {
    fn new() -> Device {
        Device {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kindred"));
        c.env_remove("KINDRED_PASSPHRASE_ENV")
            .env("KINDRED_DATA_DIR", self.data())
            .args(args);
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn spawn(&self, args: &[&str]) -> Child {
        self.cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }
}

/// Waits for a child to exit, at most `limit`; kills it after that.
fn wait_bounded(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
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

fn rest_of(child: &mut Child) -> (String, String) {
    let mut out = String::new();
    let mut err = String::new();
    if let Some(s) = child.stdout.as_mut() {
        s.read_to_string(&mut out).unwrap();
    }
    if let Some(s) = child.stderr.as_mut() {
        s.read_to_string(&mut err).unwrap();
    }
    (out, err)
}

/// The code a pairing command showed (its `Code: ...` line on stderr).
fn code_line(err: &str) -> String {
    err.lines()
        .find_map(|l| l.strip_prefix("Code: "))
        .unwrap_or_else(|| panic!("no code in {err:?}"))
        .trim()
        .to_owned()
}

/// Pairs a fresh `tablet` with `phone` through the CLI (`--yes` stands
/// for the person's yes); returns it.
fn pair(phone: &Device) -> Device {
    let mut offer = phone.spawn(&["pair", "offer", "--timeout", "60", "--yes"]);
    let mut first = String::new();
    BufReader::new(offer.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let payload = first.trim().to_owned();
    assert!(payload.starts_with("KINDRED1:"), "{payload:?}");

    let tablet = Device::new();
    let joined = tablet
        .cmd(&[
            "pair",
            "join",
            &payload,
            "--name",
            "tablet",
            "--timeout",
            "60",
        ])
        .output()
        .unwrap();
    let (jout, jerr) = (
        String::from_utf8_lossy(&joined.stdout).into_owned(),
        String::from_utf8_lossy(&joined.stderr).into_owned(),
    );
    assert!(joined.status.success(), "{jout} {jerr}");
    assert!(jout.contains("phone"), "{jout}");

    let status = wait_bounded(&mut offer, Duration::from_secs(60)).expect("offer ends");
    let (out, err) = rest_of(&mut offer);
    assert!(status.success(), "offer: {out} {err}");
    assert!(out.contains("Paired with tablet"), "{out}");
    // Both screens showed the same code: six digits and four emoji.
    let code = code_line(&jerr);
    assert_eq!(code, code_line(&err), "{jerr}\n{err}");
    assert_eq!(code.split(' ').count(), 6, "{code}");
    // The QR code goes to stderr, so stdout stays one payload line and a
    // result line.
    assert!(err.contains('█') || err.contains('▀'), "no QR code: {err}");
    tablet
}

/// `pair offer` without `--yes` asks, and adds the new device only after
/// a yes on stdin: "n" (or nothing) adds no one and tells the new device.
#[test]
fn pair_offer_asks_before_adding_and_no_adds_no_one() {
    use std::io::Write;
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let phone = Device::new();
    phone.ok(&["init", "--name", "phone"]);
    phone.ok(&["server", &url]);
    for (answer, added) in [("n\n", false), ("y\n", true)] {
        let mut offer = phone
            .cmd(&["pair", "offer", "--timeout", "60"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(offer.stdout.as_mut().unwrap())
            .read_line(&mut first)
            .unwrap();
        offer
            .stdin
            .take()
            .unwrap()
            .write_all(answer.as_bytes())
            .unwrap();
        let name = if added { "tablet" } else { "stranger" };
        let joiner = Device::new();
        let joined = joiner
            .cmd(&[
                "pair",
                "join",
                first.trim(),
                "--name",
                name,
                "--timeout",
                "60",
            ])
            .output()
            .unwrap();
        let jerr = String::from_utf8_lossy(&joined.stderr).into_owned();
        let status = wait_bounded(&mut offer, Duration::from_secs(60)).expect("offer ends");
        let (_, err) = rest_of(&mut offer);
        assert!(err.contains("asks to join"), "{err}");
        assert!(err.contains("[y/N]"), "{err}");
        assert_eq!(code_line(&jerr), code_line(&err));
        assert_eq!(status.success(), added, "{err}");
        assert_eq!(joined.status.success(), added, "{jerr}");
        let devices = phone.json(&["devices", "--json"]).to_string();
        assert_eq!(devices.contains(name), added, "{devices}");
        if !added {
            assert!(err.contains("no one was added"), "{err}");
            assert!(jerr.contains("said no"), "{jerr}");
        }
    }
}

#[test]
fn two_cli_devices_pair_sync_and_watch_for_live_hints() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let phone = Device::new();
    phone.ok(&["init", "--name", "phone"]);
    phone.ok(&["server", &url]);
    let goal = phone.ok(&["goal", "add", "Call my sister on Sundays"]);
    let goal = goal.trim();
    let first = phone.ok(&["sync"]);
    // What it really sent: everything so far, the first time.
    assert_eq!(
        first.trim(),
        "Your own records: sent everything in it for the first time, now up to date"
    );
    assert_eq!(phone.ok(&["sync"]).trim(), "Your own records: up to date");

    let tablet = pair(&phone);
    let goals = tablet.json(&["goal", "list", "--json"]);
    assert_eq!(goals[0]["id"], goal, "{goals}");
    assert_eq!(goals[0]["title"], "Call my sister on Sundays");

    // Both devices listed on both sides.
    let devices = phone.json(&["devices", "--json"]);
    let text = devices.to_string();
    assert!(text.contains("phone") && text.contains("tablet"), "{text}");

    // Watching with a one-hour poll interval: only a live hint can wake the
    // tablet for its second pass within the bound below.
    let mut watch = tablet.spawn(&["sync", "--watch", "--interval", "3600", "--passes", "2"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut written = 0;
    let status = loop {
        if let Some(s) = watch.try_wait().unwrap() {
            break Some(s);
        }
        if Instant::now() > deadline {
            let _ = watch.kill();
            let _ = watch.wait();
            break None;
        }
        // The watcher may connect after a write: keep writing until a hint
        // finds it (each write is a real check-in, counted below).
        phone.ok(&["checkin", "add", "--mood", "4", "--note", "hinted"]);
        phone.ok(&["sync"]);
        written += 1;
        std::thread::sleep(Duration::from_millis(300));
    };
    let (out, err) = rest_of(&mut watch);
    let status = status.unwrap_or_else(|| panic!("watch never woke: {out} {err}"));
    assert!(status.success(), "{out} {err}");
    assert!(out.contains("received"), "{out}");

    // A last plain sync, then both sides hold the same check-ins.
    let said = tablet.ok(&["sync"]);
    assert!(said.starts_with("Your own records: "), "{said}");
    // A person's own devices: no caseload, no jargon, in any of the
    // lines about syncing.
    let human = format!(
        "{said}{}{}{}",
        tablet.ok(&["status"]),
        tablet.ok(&["devices"]),
        tablet.ok(&["device"])
    );
    for word in ["space", "caseload", "personal", "epoch", "Forbidden"] {
        assert!(
            !human.to_lowercase().contains(&word.to_lowercase()),
            "{word}: {human}"
        );
    }
    assert!(
        human.contains("tablet (this device): your own records"),
        "{human}"
    );
    let on_tablet = tablet.json(&["checkin", "list", "--json"]);
    let on_phone = phone.json(&["checkin", "list", "--json"]);
    assert_eq!(on_tablet.as_array().unwrap().len(), written);
    assert_eq!(on_tablet, on_phone);

    let status = tablet.json(&["status", "--json"]);
    for s in status.as_array().unwrap() {
        assert_eq!(s["pending"], 0, "{s}");
    }
}

#[test]
fn a_wrong_pairing_code_adds_no_one() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let phone = Device::new();
    phone.ok(&["init", "--name", "phone"]);
    phone.ok(&["server", &url]);
    let mut offer = phone.spawn(&["pair", "offer", "--timeout", "3"]);
    let mut first = String::new();
    BufReader::new(offer.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The same offer with one bit of its secret wrong.
    let mut offer_data = Offer::from_text(first.trim()).unwrap();
    offer_data.secret.0[0] ^= 1;
    let bad = offer_data.to_text();

    let stranger = Device::new();
    let out = stranger
        .cmd(&["pair", "join", &bad, "--name", "stranger", "--timeout", "3"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let status = wait_bounded(&mut offer, Duration::from_secs(30)).expect("offer ends");
    let (_, err) = rest_of(&mut offer);
    assert!(!status.success());
    assert!(err.contains("no one was added"), "{err}");
    let devices = phone.json(&["devices", "--json"]).to_string();
    assert!(!devices.contains("stranger"), "{devices}");
}

/// Reads one line of a child's stdout (bounded by the child's own timeout).
fn line_of(reader: &mut BufReader<std::process::ChildStdout>) -> String {
    let mut l = String::new();
    reader.read_line(&mut l).unwrap();
    l.trim().to_owned()
}

#[test]
fn a_person_and_a_worker_share_one_goal_remotely_and_end_the_share() {
    let mut server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let person = Device::new();
    // Each with a person's name beside the device's: people are named.
    person.ok(&["init", "--name", "person phone", "--person", "Sam"]);
    person.ok(&["server", &url]);
    let shared = person.ok(&["goal", "add", "MARKER-SHARED flat of my own"]);
    let shared = shared.trim().to_owned();
    person.ok(&["goal", "add", "MARKER-PRIVATE goal"]);
    person.ok(&[
        "checkin",
        "add",
        "--mood",
        "2",
        "--note",
        "MARKER-PRIVATE check-in",
    ]);
    person.ok(&["sync"]);
    let worker = Device::new();
    worker.ok(&["init", "--name", "worker laptop", "--person", "Alex"]);
    worker.ok(&["server", &url]);

    // The person starts an invite and reads out the code.
    let mut create = person.cmd(&["invite", "create", "--timeout", "60"]);
    let mut create = create
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut create_out = BufReader::new(create.stdout.take().unwrap());
    let code = line_of(&mut create_out);
    assert_eq!(code.len(), 11, "{code:?}");

    let mut join = worker.cmd(&["invite", "join", &code, "--timeout", "60"]);
    let mut join = join
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut join_out = BufReader::new(join.stdout.take().unwrap());
    // Both screens show the same string; both people say yes.
    let sas_person = line_of(&mut create_out);
    let sas_worker = line_of(&mut join_out);
    assert_eq!(sas_person, sas_worker);
    assert_eq!(sas_person.chars().filter(char::is_ascii_digit).count(), 6);
    create.stdin.take().unwrap().write_all(b"y\n").unwrap();
    join.stdin.take().unwrap().write_all(b"y\n").unwrap();
    let done_person = line_of(&mut create_out);
    let done_worker = line_of(&mut join_out);
    assert!(
        wait_bounded(&mut create, Duration::from_secs(60))
            .unwrap()
            .success()
    );
    assert!(
        wait_bounded(&mut join, Duration::from_secs(60))
            .unwrap()
            .success()
    );
    assert!(
        done_person.starts_with("Now sharing with Alex"),
        "{done_person}"
    );
    assert!(
        done_worker.starts_with("Now sharing with Sam"),
        "{done_worker}"
    );

    // Everything from here on names the share by the other person and
    // records by the start of their ids.
    person.ok(&["share", "goal", &shared[..6], "--with", "Alex"]);
    worker.ok(&["sync"]);
    let goals = worker.json(&["goal", "list", "--json"]);
    let goals = goals.as_array().unwrap();
    assert_eq!(goals.len(), 1, "{goals:?}");
    assert_eq!(goals[0]["id"], shared.as_str());
    assert!(
        worker
            .json(&["checkin", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let list = person.json(&["share", "list", "--json"]);
    assert_eq!(list[0]["goals"][0]["id"], shared.as_str());
    let roles: Vec<String> = list[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}:{}",
                m["name"].as_str().unwrap(),
                m["role"].as_str().unwrap()
            )
        })
        .collect();
    assert!(roles.contains(&"Alex:writer".to_owned()), "{roles:?}");
    // The worker sees who shared the goal.
    let list = worker.ok(&["goal", "list"]);
    assert!(list.contains("(shared by Sam)"), "{list}");
    assert!(
        !list.contains(&shared),
        "a full id where a short one will do: {list}"
    );

    // The worker adds a step; the person sees it.
    worker.ok(&["goal", "step", "add", &shared, "Bring ID"]);
    worker.ok(&["sync"]);
    person.ok(&["sync"]);
    let g = person.json(&["goal", "show", &shared, "--json"]);
    assert_eq!(g["steps"][0]["text"], "Bring ID");

    // The worker writes a note, signs it and shares it; the person adds her
    // own words and marks it reviewed; the worker sees both, verified.
    worker.ok(&["contact", "add", "Jo"]);
    let n = worker
        .ok(&[
            "note",
            "add",
            "--contact",
            "Jo",
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
    worker.ok(&["note", "share", &n[..6], "--with", "Sam"]);
    person.ok(&["sync"]);
    person.ok(&["note", "comment", &n, "MARKER-COMMENT it helped"]);
    person.ok(&["note", "review", &n]);
    worker.ok(&["sync"]);
    let shown = worker.json(&["note", "show", &n, "--json"]);
    assert_eq!(shown["comments"][0]["text"], "MARKER-COMMENT it helped");
    assert_eq!(shown["comments"][0]["verified"], true);
    assert_eq!(shown["reviewed_by"], "Sam");
    assert_eq!(shown["signed_by_name"], "Alex");
    assert_eq!(shown["signature_ok"], true);
    let text = worker.ok(&["note", "show", &n[..6]]);
    assert!(
        text.contains("reviewed:") && text.contains("by Sam"),
        "{text}"
    );
    let text = person.ok(&["note", "show", &n]);
    assert!(text.contains("Sam wrote"), "{text}");
    assert!(
        text.contains("signed:") && text.contains("by Alex"),
        "{text}"
    );
    for word in ["person phone", "worker laptop", "space"] {
        assert!(!text.contains(word), "{word} in: {text}");
    }

    // Check-ins only in a chosen range.
    person.ok(&[
        "checkin",
        "add",
        "--mood",
        "4",
        "--at",
        "2026-03-02T20:00:00Z",
        "--note",
        "MARKER-RANGE in",
    ]);
    let shared_count = person.ok(&[
        "checkin",
        "share",
        "--with",
        "alex",
        "--since",
        "2026-03-01",
        "--until",
        "2026-03-03",
    ]);
    assert_eq!(shared_count.trim(), "1");
    worker.ok(&["sync"]);
    let cs = worker.json(&["checkin", "list", "--json"]);
    assert_eq!(cs.as_array().unwrap().len(), 1, "{cs}");
    assert_eq!(cs[0]["note"], "MARKER-RANGE in");

    // The person ends the share; the worker is told and wipes it.
    let ended = person.ok(&["share", "end", "Alex"]);
    assert!(ended.contains("Alex"), "{ended}");
    let out = worker.ok(&["sync"]);
    assert!(out.contains("removed"), "{out}");
    assert!(
        worker
            .json(&["goal", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        person
            .json(&["goal", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2,
        "the goal came home"
    );

    server.kill9();
    server.assert_never_saw(&[
        "MARKER-SHARED",
        "MARKER-PRIVATE",
        "MARKER-NOTE",
        "MARKER-COMMENT",
        "MARKER-RANGE",
        "Bring ID",
        "worker laptop",
        "person phone",
    ]);
}
