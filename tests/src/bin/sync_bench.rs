//! The sync benchmark, through a real `kindred-server` (SQLite) on loopback.
//!
//! `cargo run --release -p kindred-tests --bin sync_bench [-- --devices 50 --seconds 5 --sockets 2000]`
//!
//! 1. First sync of the five-year dataset to a newly paired device: time,
//!    and bytes on the wire against the plaintext automerge `save()`.
//! 2. 10,000 separate small changes (one envelope each) from A, pulled by B.
//! 3. One check-in on A visible on B, woken by the live hint (median of 20).
//! 4. Server appends per second from N concurrent devices, with latencies.
//! 5. Server memory per idle WebSocket.
//!
//! Prints a Markdown table for docs/BENCHMARKS.md. Bounded in time and
//! count; loopback only.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use kindred_core::model::NewCheckIn;
use kindred_core::sync::{AcceptOutcome, HttpTransport, Transport};
use kindred_core::{Kindred, OpenOptions, SpaceKind};
use kindred_protocol::messages::*;
use kindred_protocol::*;
use kindred_tests::counting::Counting;
use kindred_tests::server::ServerProcess;
use kindred_tests::test_key;
use ring::signature::{Ed25519KeyPair, KeyPair};

/// `--database-url URL`, or `KINDRED_TEST_DATABASE_URL`.
fn database_url() -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--database-url")
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| std::env::var("KINDRED_TEST_DATABASE_URL").ok())
        .filter(|u| !u.is_empty())
}

/// Measures appends/s and push latency from `devices` concurrent devices
/// against the relay at `url`; adds the rows.
fn load_rows(
    rows: &mut Vec<(String, String, String)>,
    backend: &str,
    target: &str,
    url: &str,
    devices: usize,
    seconds: u64,
) {
    let latencies = Mutex::new(Vec::new());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    std::thread::scope(|s| {
        for d in 0..devices {
            let latencies = &latencies;
            s.spawn(move || {
                let _ = push_loop(url, d, deadline, latencies);
            });
        }
    });
    let elapsed = started.elapsed();
    let mut lat = latencies.into_inner().unwrap_or_default();
    let n = lat.len();
    if n == 0 {
        return;
    }
    rows.push((
        format!("server appends/s on {backend}, {devices} devices, one envelope per push"),
        format!("{:.0}/s", n as f64 / elapsed.as_secs_f64()),
        target.into(),
    ));
    let (p50, p95, p99) = (pct(&mut lat, 0.5), pct(&mut lat, 0.95), pct(&mut lat, 0.99));
    rows.push((
        format!("push latency p50 / p95 / p99 on {backend}"),
        format!("{} / {} / {}", ms(p50), ms(p95), ms(p99)),
        "p99 <= 50 ms".into(),
    ));
}

use kindred_tests::bench_arg as arg;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn check_in(n: u64) -> NewCheckIn {
    NewCheckIn {
        occurred_at: time::OffsetDateTime::now_utc(),
        mood: (n % 5 + 1) as i64,
        energy: None,
        tags: vec![],
        note: Some(format!("change {n}")),
    }
}

/// Pairs a fresh device in `dir` with `a`; returns it and the time of its
/// first full sync (the join's pull), with the bytes it moved.
fn pair(
    t: &dyn Transport,
    a: &mut Kindred,
    dir: &std::path::Path,
    options: OpenOptions,
) -> Result<(Kindred, Duration, u64), Box<dyn std::error::Error>> {
    let offer = a.pair_offer("bench", Duration::from_secs(600))?;
    let b = Kindred::init_joining(dir, &test_key(), "tablet")?;
    drop(b);
    let mut b = Kindred::open_with(dir, &test_key(), options)?;
    let seen = b.pair_join_request(t, &offer.to_text())?;
    match a.pair_accept(t, &offer)? {
        AcceptOutcome::Asking(_) => {}
        _ => return Err("the new device's request did not arrive".into()),
    }
    match a.pair_confirm(t, &offer, true)? {
        AcceptOutcome::Joined(_) => {}
        _ => return Err("pairing did not complete".into()),
    }
    let counting = Counting::new(t);
    let started = Instant::now();
    b.pair_join_finish(&counting, &seen)?.ok_or("no reply")?;
    Ok((b, started.elapsed(), counting.bytes()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let devices = arg("--devices", 50) as usize;
    let seconds = arg("--seconds", 5);
    let sockets = arg("--sockets", 2000) as usize;
    let mut rows: Vec<(String, String, String)> = Vec::new();

    // 1. First sync of the five-year dataset.
    eprintln!("1. five-year dataset, first sync to a new device ...");
    let server = ServerProcess::start_with(&kindred_tests::server::BENCH_LIMITS);
    let http = HttpTransport::new(&server.url)?;
    let tmp = tempfile::tempdir()?;
    let mut a = Kindred::init(&tmp.path().join("a"), &test_key(), "phone")?;
    kindred_tests::dataset::five_years(&mut a)?;
    a.sync(&http)?;
    let plain: u64 = [SpaceKind::Personal, SpaceKind::Caseload]
        .iter()
        .map(|k| a.document_bytes(k).map(|b| b.len() as u64))
        .sum::<Result<u64, _>>()?;
    let (mut b, first, wire) = pair(&http, &mut a, &tmp.path().join("b"), OpenOptions::default())?;
    assert_eq!(b.check_ins(None, None)?.len(), 2_000);
    assert_eq!(b.notes(None, None, None)?.len(), 3_000);
    rows.push((
        "first sync of the 5-year dataset to a new device".into(),
        ms(first),
        "<= 1 s".into(),
    ));
    rows.push((
        "bytes on the wire / plaintext automerge save()".into(),
        format!(
            "{:.2}x ({:.2} MB / {:.2} MB)",
            wire as f64 / plain as f64,
            wire as f64 / 1e6,
            plain as f64 / 1e6
        ),
        "<= 1.5x".into(),
    ));
    drop((a, b));
    drop(server);

    // 2. 10,000 separate small changes.
    eprintln!("2. 10,000 separate changes ...");
    let server = ServerProcess::start_with(&kindred_tests::server::BENCH_LIMITS);
    let http = HttpTransport::new(&server.url)?;
    let tmp = tempfile::tempdir()?;
    let one_each = OpenOptions {
        max_changes_per_envelope: Some(1),
        ..Default::default()
    };
    let a_dir = tmp.path().join("a");
    drop(Kindred::init(&a_dir, &test_key(), "phone")?);
    let mut a = Kindred::open_with(&a_dir, &test_key(), one_each.clone())?;
    a.sync(&http)?;
    let (mut b, _, _) = pair(&http, &mut a, &tmp.path().join("b"), OpenOptions::default())?;
    for n in 0..10_000 {
        a.add_check_in(&check_in(n))?;
    }
    let pushed = a.sync(&http)?;
    let envelopes: u64 = pushed.spaces.iter().map(|s| s.envelopes).sum();
    let counting = Counting::new(&http);
    let started = Instant::now();
    b.sync(&counting)?;
    let pull = started.elapsed();
    assert_eq!(b.check_ins(None, None)?.len(), 10_000);
    rows.push((
        format!("B pulls {envelopes} separate changes from A"),
        ms(pull),
        "<= 1 s (secsync: 1,162 ms)".into(),
    ));
    rows.push((
        "bytes on the wire for them".into(),
        format!("{:.2} MB", counting.bytes() as f64 / 1e6),
        "<= 2 MB (secsync: 5.4 MB)".into(),
    ));

    // 3. Live hint: A writes, B is woken and pulls; on a space of 10,000
    // records and on an empty one (the cost of applying one change should
    // not grow with the document).
    eprintln!("3. live hint latency ...");
    let full = live_hint(&server, &mut a, &mut b)?;
    drop((a, b));
    let tmp_empty = tempfile::tempdir()?;
    let mut a = Kindred::init(&tmp_empty.path().join("a"), &test_key(), "phone")?;
    a.sync(&http)?;
    let (mut b, _, _) = pair(
        &http,
        &mut a,
        &tmp_empty.path().join("b"),
        OpenOptions::default(),
    )?;
    let empty = live_hint(&server, &mut a, &mut b)?;
    drop((a, b));
    rows.push((
        "check-in on A visible on B via live hint on SQLite, 10,000 records (median of 20)".into(),
        ms(full.median),
        "<= 10 ms".into(),
    ));
    rows.push((
        "the same on an empty space (median of 20)".into(),
        ms(empty.median),
        "<= 10 ms".into(),
    ));
    rows.push((
        "applying one change: 10,000 records / empty (B's sync, median of 20)".into(),
        format!(
            "{:.2}x ({} / {})",
            full.apply.as_secs_f64() / empty.apply.as_secs_f64().max(1e-9),
            ms(full.apply),
            ms(empty.apply)
        ),
        "about 1x".into(),
    ));
    rows.push((
        "requests per check-in synced, live (A's write + B's copy)".into(),
        format!("{:.1} + {:.1}", full.requests_a, full.requests_b),
        "1 + 1".into(),
    ));
    rows.push((
        "bytes on the wire per check-in synced, live (A + B)".into(),
        format!("{:.0} + {:.0} B", full.bytes_a, full.bytes_b),
        "-".into(),
    ));

    // 4. Appends per second from concurrent devices (and on PostgreSQL
    // too when a database is given).
    eprintln!("4. {devices} devices pushing for {seconds} s ...");
    kindred_core::sync::install_tls_provider();
    load_rows(
        &mut rows,
        "SQLite",
        ">= 2,000/s",
        &server.url,
        devices,
        seconds,
    );
    let pg = database_url().map(|db| {
        eprintln!("4b. the same on PostgreSQL ...");
        let pg = ServerProcess::start_with(
            &[
                &kindred_tests::server::BENCH_LIMITS[..],
                &[("KINDRED_DATABASE_URL", db.as_str())],
            ]
            .concat(),
        );
        load_rows(
            &mut rows,
            "PostgreSQL",
            ">= 1,000/s",
            &pg.url,
            devices,
            seconds,
        );
        pg
    });
    if let Some(pg) = &pg {
        eprintln!("4c. live hint latency on PostgreSQL ...");
        let http = HttpTransport::new(&pg.url)?;
        let tmp = tempfile::tempdir()?;
        let mut a = Kindred::init(&tmp.path().join("a"), &test_key(), "phone")?;
        a.sync(&http)?;
        let (mut b, _, _) = pair(&http, &mut a, &tmp.path().join("b"), OpenOptions::default())?;
        let live = live_hint(pg, &mut a, &mut b)?;
        rows.push((
            "check-in on A visible on B via live hint on PostgreSQL (median of 20)".into(),
            ms(live.median),
            "<= 10 ms".into(),
        ));
        rows.push((
            "requests per check-in synced, live, PostgreSQL (A + B)".into(),
            format!("{:.1} + {:.1}", live.requests_a, live.requests_b),
            "1 + 1".into(),
        ));
    }

    // 5. Memory per idle WebSocket (on PostgreSQL too).
    eprintln!("5. {sockets} idle WebSockets ...");
    rows.push(idle_sockets(&server, sockets, "SQLite")?);
    if let Some(pg) = &pg {
        rows.push(idle_sockets(pg, sockets, "PostgreSQL")?);
    }

    println!("| measure | result | target |");
    println!("|---|---|---|");
    for (m, r, t) in rows {
        println!("| {m} | {r} | {t} |");
    }
    Ok(())
}

/// A writes a check-in and syncs; B, woken by the live hint, pulls it:
/// the median time from A's write to B holding it.
/// What one check-in costs on the live path, medians and means of 20.
struct Live {
    /// From A's write to the check-in readable on B.
    median: Duration,
    /// B's sync of the hinted space (pull and apply).
    apply: Duration,
    requests_a: f64,
    requests_b: f64,
    bytes_a: f64,
    bytes_b: f64,
}

fn live_hint(
    server: &ServerProcess,
    a: &mut Kindred,
    b: &mut Kindred,
) -> Result<Live, Box<dyn std::error::Error>> {
    let http = HttpTransport::new(&server.url)?;
    let (ca, cb) = (Counting::new(&http), Counting::new(&http));
    let token = b.relay_token(&http)?;
    // Signed in before the clock starts (a token lasts).
    a.relay_token(&http)?;
    let ws_url = format!("ws://{}/v1/live", server.addr);
    let mut req = tungstenite::client::IntoClientRequest::into_client_request(ws_url.as_str())?;
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse()?);
    let stream = std::net::TcpStream::connect(&server.addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let (mut ws, _) = tungstenite::client::client(req, stream).map_err(|e| e.to_string())?;
    let (mut visible, mut apply) = (Vec::new(), Vec::new());
    const N: u64 = 20;
    for n in 0..N {
        let before = b.check_ins(None, None)?.len();
        let started = Instant::now();
        a.add_check_in(&check_in(n))?;
        let t_write = started.elapsed();
        // The live path after a write: only what waits, one round trip.
        a.sync_pending(&ca)?;
        let t_sync = started.elapsed();
        let hint = loop {
            match ws.read().map_err(|e| e.to_string())? {
                tungstenite::Message::Binary(bytes) => break decode::<Hint>(&bytes)?,
                _ => continue,
            }
        };
        // Woken by the hint, B syncs the space it names.
        let t_hint = started.elapsed();
        b.sync_space(&cb, &hint.space.to_hex())?;
        apply.push(started.elapsed() - t_hint);
        if std::env::var_os("KINDRED_BENCH_PHASES").is_some() {
            eprintln!(
                "write {t_write:?} a-sync {t_sync:?} hint {t_hint:?} b-sync {:?}",
                started.elapsed()
            );
        }
        if b.check_ins(None, None)?.len() != before + 1 {
            return Err("the check-in did not arrive".into());
        }
        visible.push(started.elapsed());
    }
    drop(ws);
    let n = N as f64;
    Ok(Live {
        median: pct(&mut visible, 0.5),
        apply: pct(&mut apply, 0.5),
        requests_a: ca.requests() as f64 / n,
        requests_b: cb.requests() as f64 / n,
        bytes_a: ca.bytes() as f64 / n,
        bytes_b: cb.bytes() as f64 / n,
    })
}

/// Opens `sockets` live connections, each its own device, and measures the
/// server's resident memory per connection.
fn idle_sockets(
    server: &ServerProcess,
    sockets: usize,
    backend: &str,
) -> Result<(String, String, String), Box<dyn std::error::Error>> {
    let ws_url = format!("ws://{}/v1/live", server.addr);
    // Each socket belongs to its own device (one device's many sockets
    // would meet its rate limit, as they should).
    let tokens: Vec<String> = (0..sockets)
        .map(|_| raw_token(&server.url))
        .collect::<Result<_, _>>()?;
    std::thread::sleep(Duration::from_millis(300));
    let before = server.rss_kib();
    let mut open = Vec::with_capacity(sockets);
    for token in &tokens {
        let mut req = tungstenite::client::IntoClientRequest::into_client_request(ws_url.as_str())?;
        req.headers_mut()
            .insert("authorization", format!("Bearer {token}").parse()?);
        let stream = std::net::TcpStream::connect(&server.addr)?;
        match tungstenite::client::client(req, stream) {
            Ok((ws, _)) => open.push(ws),
            Err(e) => {
                eprintln!("socket {} failed: {e}", open.len());
                break;
            }
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    let after = server.rss_kib();
    let opened = open.len();
    let per = (after.saturating_sub(before)) as f64 * 1024.0 / open.len().max(1) as f64;
    drop(open);
    Ok((
        format!(
            "server memory per idle WebSocket on {backend} ({} open)",
            opened
        ),
        format!(
            "{:.1} KB (server RSS {:.0} MB with them open)",
            per / 1000.0,
            after as f64 / 1024.0
        ),
        "<= 50 KB".into(),
    ))
}

/// The relay's canonical origin, which sign-ins are bound to.
fn origin(url: &str) -> String {
    kindred_protocol::origin::canonical_origin(url).unwrap_or_default()
}

/// A bearer token for a fresh raw device key.
fn raw_token(url: &str) -> Result<String, Box<dyn std::error::Error>> {
    let rng = ring::rand::SystemRandom::new();
    let pair = Ed25519KeyPair::from_pkcs8(
        Ed25519KeyPair::generate_pkcs8(&rng)
            .map_err(|_| "keygen")?
            .as_ref(),
    )
    .map_err(|_| "key")?;
    let me = DeviceKey::from_slice(pair.public_key().as_ref()).ok_or("key")?;
    let http = reqwest::blocking::Client::new();
    let post = |path: &str, body: Vec<u8>| -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        Ok(http
            .post(format!("{url}{path}"))
            .body(body)
            .send()?
            .bytes()?
            .to_vec())
    };
    let ch: Challenge = decode(&post(
        "/v1/auth/challenge",
        encode(&ChallengeRequest {
            v: kindred_protocol::PROTOCOL_VERSION,
            device: me,
        }),
    )?)?;
    let sig = Signature::from_slice(
        pair.sign(&TokenRequest::signing_bytes(&me, &ch.nonce, &origin(url)))
            .as_ref(),
    )
    .ok_or("sig")?;
    let tok: Token = decode(&post(
        "/v1/auth/token",
        encode(&TokenRequest {
            v: kindred_protocol::PROTOCOL_VERSION,
            device: me,
            nonce: ch.nonce,
            origin: origin(url),
            sig,
        }),
    )?)?;
    Ok(tok.token)
}

/// One simulated device: its own key, a space, pushes until the deadline.
fn push_loop(
    url: &str,
    d: usize,
    deadline: Instant,
    latencies: &Mutex<Vec<Duration>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let rng = ring::rand::SystemRandom::new();
    let pair = Ed25519KeyPair::from_pkcs8(
        Ed25519KeyPair::generate_pkcs8(&rng)
            .map_err(|_| "keygen")?
            .as_ref(),
    )
    .map_err(|_| "key")?;
    let me = DeviceKey::from_slice(pair.public_key().as_ref()).ok_or("key")?;
    let sign =
        |m: &[u8]| Signature::from_slice(pair.sign(m).as_ref()).unwrap_or(Signature([0; 64]));
    let http = reqwest::blocking::Client::new();
    let post = |path: &str,
                token: Option<&str>,
                body: Vec<u8>|
     -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut r = http.post(format!("{url}{path}")).body(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let resp = r.send()?;
        if !resp.status().is_success() {
            return Err(format!("HTTP {}", resp.status()).into());
        }
        Ok(resp.bytes()?.to_vec())
    };
    let ch: Challenge = decode(&post(
        "/v1/auth/challenge",
        None,
        encode(&ChallengeRequest {
            v: kindred_protocol::PROTOCOL_VERSION,
            device: me,
        }),
    )?)?;
    let sig = sign(&TokenRequest::signing_bytes(&me, &ch.nonce, &origin(url)));
    let tok: Token = decode(&post(
        "/v1/auth/token",
        None,
        encode(&TokenRequest {
            v: kindred_protocol::PROTOCOL_VERSION,
            device: me,
            nonce: ch.nonce,
            origin: origin(url),
            sig,
        }),
    )?)?;
    let mut nonce = [0u8; SPACE_NONCE_LEN];
    nonce[..8].copy_from_slice(&(d as u64).to_be_bytes());
    nonce[8..].copy_from_slice(&me.0[..8]);
    let space = space_id_for(&nonce, &me);
    let mut g = LogEntry {
        v: kindred_protocol::PROTOCOL_VERSION,
        space,
        seq: 0,
        prev: Hash([0; 32]),
        author: me,
        action: Action::Genesis {
            nonce: Bytes(nonce.to_vec()),
            owner: Member {
                device: me,
                wrap_key: WrapKey([1; 32]),
                role: Role::Owner,
                sealed_label: Bytes(vec![0; 32]),
            },
            key: WrappedKey {
                suite: 1,
                enc: Bytes(vec![0; 32]),
                ciphertext: Bytes(vec![0; 48]),
            },
            confirm: Hash([0; 32]),
        },
        sig: Signature([0; 64]),
    };
    g.sig = sign(&g.signing_bytes());
    post(
        "/v1/spaces",
        Some(&tok.token),
        encode(&AppendLog {
            v: kindred_protocol::PROTOCOL_VERSION,
            entry: g,
        }),
    )?;
    let path = format!("/v1/spaces/{}/changes", space.to_hex());
    let mut seq = 1u64;
    let mut prev = Hash([0; 32]);
    let mut mine = Vec::new();
    while Instant::now() < deadline {
        let mut e = ChangeEnvelope {
            v: kindred_protocol::PROTOCOL_VERSION,
            space,
            epoch: 1,
            device: me,
            seq,
            prev,
            salt: Salt([seq as u8; 32]),
            ciphertext: Bytes(vec![7; 256]),
            sig: Signature([0; 64]),
        };
        e.sig = sign(&e.signing_bytes());
        prev = e.hash();
        let t = Instant::now();
        post(
            &path,
            Some(&tok.token),
            encode(&Push {
                v: kindred_protocol::PROTOCOL_VERSION,
                envelopes: vec![e],
            }),
        )?;
        mine.push(t.elapsed());
        seq += 1;
    }
    latencies.lock().map_err(|_| "lock")?.extend(mine);
    Ok(())
}
