//! Time to converge, side by side: N clients each make K small changes to
//! shared data, timed from the first change until every client holds every
//! change — through `kindred-server` (end-to-end encrypted, every change
//! signed, sealed and stored durably before it is acknowledged) and through
//! automerge-repo's Node sync server (`bench/automerge-repo`, its WebSocket
//! and nodefs adapters, no encryption), in one run, on the same machine.
//!
//! ```text
//! cargo run --release -p kindred-tests --bin converge_bench -- [--clients 10] [--changes 100] [--runs 3] [--skip-automerge]
//! ```
//!
//! Prints a Markdown table with the median of `--runs` runs of each and the
//! ratio. Everything stays on 127.0.0.1; every wait is bounded.
//!
//! The Kindred clients are N devices of one person (paired, so they share
//! her personal space); each change is a check-in (its own automerge change
//! of a few fields). A device makes its K changes, syncs (the changes go in
//! as few sealed envelopes as the size limit allows), and wakes on the
//! relay's live hint to pull what the others wrote. The automerge-repo
//! clients are N repos, each in its own Node process (`client.mjs`: its own
//! event loop, as each Kindred device is its own thread), each setting one
//! key per change on one shared document, yielding to the event loop
//! between changes; its sync protocol likewise sends what accumulated since
//! the last message (every 100 ms). All N in one Node process
//! (`clients.mjs`) is measured too, for reference: there the shared event
//! loop, not the server, sets the pace.
//! A second Kindred row has each device sync after every change (K syncs
//! per device, each waiting for the relay's durable commit) — the slowest
//! way a device could send the same work.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use kindred_core::model::NewCheckIn;
use kindred_core::sync::{HttpTransport, LiveEvent, LiveHints};
use kindred_core::{Kindred, SpaceKind};
use kindred_tests::devices::pair;
use kindred_tests::server::ServerProcess;
use kindred_tests::test_key;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// No run may take longer than this.
const RUN_LIMIT: Duration = Duration::from_secs(180);

fn main() -> Result<(), Failure> {
    let clients = arg("--clients", 10)?;
    let changes = arg("--changes", 100)?;
    let runs = arg("--runs", 3)?;
    if clients < 2 || changes < 1 || runs < 1 {
        return Err("need --clients >= 2, --changes >= 1, --runs >= 1".into());
    }
    let folder = bench_folder();
    let skip_automerge = std::env::args().any(|a| a == "--skip-automerge");
    let (mut automerge, mut one_process) = (Vec::new(), Vec::new());

    let data = tempfile::tempdir()?;
    let node_server = if skip_automerge {
        None
    } else {
        eprintln!("automerge-repo: npm ci in {} ...", folder.display());
        npm_ci(&folder)?;
        Some(NodeServer::start(&folder, data.path())?)
    };
    for run in (1..=runs).filter(|_| node_server.is_some()) {
        let Some(node_server) = &node_server else {
            break;
        };
        let ms = automerge_processes(&folder, &node_server.url, clients, changes)?;
        eprintln!("automerge-repo run {run}, a process per client: {ms:.1} ms");
        automerge.push(ms);
        match automerge_run(&folder, &node_server.url, clients, changes) {
            Ok(ms) => {
                eprintln!("automerge-repo run {run}, one process: {ms:.1} ms");
                one_process.push(ms);
            }
            Err(e) => eprintln!("automerge-repo run {run}, one process: {e}"),
        }
    }
    drop(node_server);

    eprintln!("kindred: pairing {clients} devices ...");
    let server = ServerProcess::start_with(&kindred_tests::server::BENCH_LIMITS);
    let dirs: Vec<tempfile::TempDir> = (0..clients)
        .map(|_| tempfile::tempdir())
        .collect::<Result<_, _>>()?;
    let mut devices = devices(&server.url, &dirs)?;
    let (mut kindred, mut each) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        let ms = kindred_run(&server.url, &mut devices, changes, 2 * run, false)?;
        eprintln!("kindred run {run}: {ms:.1} ms");
        kindred.push(ms);
        let ms = kindred_run(&server.url, &mut devices, changes, 2 * run + 1, true)?;
        eprintln!("kindred run {run}, a sync after each change: {ms:.1} ms");
        each.push(ms);
    }

    let (k, e) = (median(&mut kindred), median(&mut each));
    let total = clients * changes;
    println!(
        "| {clients} clients x {changes} changes ({total} in all), median of {runs} runs | time to converge | automerge-repo / this |"
    );
    println!("|---|---|---|");
    let a = (!automerge.is_empty()).then(|| median(&mut automerge));
    let ratio = |x: f64| a.map_or("-".to_owned(), |a| format!("{:.2}x", a / x));
    if let Some(a) = a {
        println!(
            "| automerge-repo {} sync server (Node {}), a Node process per client | {a:.1} ms | 1.00x |",
            automerge_version(&folder),
            node_version()
        );
        let one = if one_process.is_empty() {
            "did not converge".to_owned()
        } else {
            let n = one_process.len();
            format!(
                "{:.1} ms ({n} of {runs} converged)",
                median(&mut one_process)
            )
        };
        println!("| automerge-repo, all clients in one Node process | {one} | |");
    }
    println!(
        "| kindred-server (SQLite, end-to-end encrypted): changes, then a sync | {k:.1} ms | {} |",
        ratio(k)
    );
    println!(
        "| kindred-server: a sync after every change | {e:.1} ms | {} |",
        ratio(e)
    );
    Ok(())
}

/// `--name N` from the command line; a present but unreadable value is an error.
fn arg(name: &str, default: usize) -> Result<usize, Failure> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a whole number").into()),
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn bench_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/automerge-repo")
}

/// Installs the pinned packages (from package-lock.json) unless present.
fn npm_ci(folder: &Path) -> Result<(), Failure> {
    if folder
        .join("node_modules/@automerge/automerge-repo")
        .is_dir()
    {
        return Ok(());
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(folder)
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        return Err("npm ci failed in bench/automerge-repo".into());
    }
    Ok(())
}

fn node_version() -> String {
    Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "?".into())
}

fn automerge_version(folder: &Path) -> String {
    std::fs::read_to_string(folder.join("node_modules/@automerge/automerge-repo/package.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

/// automerge-repo's sync server as its own process, stopped on drop.
struct NodeServer {
    child: Child,
    url: String,
}

impl NodeServer {
    fn start(folder: &Path, data: &Path) -> Result<NodeServer, Failure> {
        let mut child = Command::new("node")
            .arg("server.mjs")
            .args(["--port", "0", "--data"])
            .arg(data)
            .current_dir(folder)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let out = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(out).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let mut server = NodeServer {
            child,
            url: String::new(),
        };
        let port: u16 = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|p| p.parse().ok())
            .ok_or("the automerge-repo server did not start")?;
        server.url = format!("ws://127.0.0.1:{port}");
        Ok(server)
    }
}

impl Drop for NodeServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One run with each automerge-repo client in its own Node process (its
/// own event loop, as each device has its own CPU): every client reports
/// `ready`, all get `go` at once, and the run ends with the last `done`.
fn automerge_processes(
    folder: &Path,
    url: &str,
    clients: usize,
    changes: usize,
) -> Result<f64, Failure> {
    let limit = RUN_LIMIT.as_millis().to_string();
    let spawn = |index: usize, doc: Option<&str>| -> Result<Child, Failure> {
        let mut c = Command::new("node");
        c.arg("client.mjs")
            .args(["--url", url])
            .args(["--index", &index.to_string()])
            .args(["--clients", &clients.to_string()])
            .args(["--changes", &changes.to_string()])
            .args(["--timeout-ms", &limit]);
        if let Some(d) = doc {
            c.args(["--doc", d]);
        }
        Ok(c.current_dir(folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?)
    };
    // Every line any client prints, with the client's index and when it
    // was read.
    let (tx, rx) = std::sync::mpsc::channel::<(usize, String, Instant)>();
    let mut children = Vec::new();
    let listen = |i: usize, child: &mut Child| -> Result<(), Failure> {
        let out = child.stdout.take().ok_or("no stdout")?;
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send((i, line, Instant::now())).is_err() {
                    break;
                }
            }
        });
        Ok(())
    };
    let guard = Children(&mut children);
    let mut first = spawn(0, None)?;
    listen(0, &mut first)?;
    guard.0.push(first);
    let deadline = Instant::now() + RUN_LIMIT;
    let next = |want: &str| -> Result<(usize, String, Instant), Failure> {
        let wait = deadline.saturating_duration_since(Instant::now());
        let (i, line, at) = rx
            .recv_timeout(wait)
            .map_err(|_| format!("no {want} from the automerge-repo clients in time"))?;
        Ok((i, line, at))
    };
    let doc = loop {
        let (_, line, _) = next("doc")?;
        if let Some(d) = line.strip_prefix("doc ") {
            break d.to_owned();
        }
        if line != "ready" {
            return Err(format!("unexpected line from client 0: {line}").into());
        }
    };
    for i in 1..clients {
        let mut c = spawn(i, Some(&doc))?;
        listen(i, &mut c)?;
        guard.0.push(c);
    }
    let mut ready = 0;
    // Client 0 may have said `ready` already, before the others started.
    while ready < clients {
        let (_, line, _) = next("ready")?;
        match line.as_str() {
            "ready" => ready += 1,
            l if l.starts_with("doc ") => {}
            other => return Err(format!("unexpected line: {other}").into()),
        }
    }
    let go = Instant::now();
    for c in guard.0.iter_mut() {
        use std::io::Write;
        let stdin = c.stdin.as_mut().ok_or("no stdin")?;
        stdin.write_all(b"go\n")?;
        stdin.flush()?;
    }
    let mut done = vec![None; clients];
    while done.iter().any(Option::is_none) {
        let (i, line, at) = next("done")?;
        if line.starts_with("done ") {
            done[i] = Some(at);
        } else {
            return Err(format!("unexpected line from client {i}: {line}").into());
        }
    }
    for c in guard.0.iter_mut() {
        use std::io::Write;
        if let Some(stdin) = c.stdin.as_mut() {
            let _ = stdin.write_all(b"stop\n");
        }
    }
    let last = done.into_iter().flatten().max().ok_or("no clients")?;
    Ok((last - go).as_secs_f64() * 1e3)
}

/// Child processes, killed if a run stops early.
struct Children<'a>(&'a mut Vec<Child>);

impl Drop for Children<'_> {
    fn drop(&mut self) {
        let limit = Instant::now() + Duration::from_secs(5);
        for c in self.0.iter_mut() {
            // Those told to stop get a moment to close their repos.
            while Instant::now() < limit && matches!(c.try_wait(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// One run of the Node clients in one process; their own measured time to
/// converge.
fn automerge_run(folder: &Path, url: &str, clients: usize, changes: usize) -> Result<f64, Failure> {
    let out = Command::new("node")
        .arg("clients.mjs")
        .args(["--url", url])
        .args(["--clients", &clients.to_string()])
        .args(["--changes", &changes.to_string()])
        .args(["--timeout-ms", &RUN_LIMIT.as_millis().to_string()])
        .current_dir(folder)
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err("the automerge-repo clients did not converge".into());
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    if v["total_changes"].as_u64() != Some((clients * changes) as u64) {
        return Err("the automerge-repo clients ran another workload".into());
    }
    v["converge_ms"]
        .as_f64()
        .ok_or_else(|| "no converge_ms from the automerge-repo clients".into())
}

/// A person's first device and `dirs.len() - 1` more paired with it, all
/// synced.
fn devices(url: &str, dirs: &[tempfile::TempDir]) -> Result<Vec<Kindred>, Failure> {
    let t = HttpTransport::new(url)?;
    let mut first = Kindred::init(dirs[0].path(), &test_key(), "device 0")?;
    first.sync(&t)?;
    let mut out = Vec::new();
    for (i, d) in dirs.iter().enumerate().skip(1) {
        out.push(pair(&t, &mut first, d.path(), &format!("device {i}")));
    }
    out.insert(0, first);
    for d in &mut out {
        d.sync(&t)?;
    }
    Ok(out)
}

fn check_in(device: usize, n: usize) -> NewCheckIn {
    NewCheckIn {
        occurred_at: time::OffsetDateTime::now_utc(),
        mood: (n % 5 + 1) as i64,
        energy: None,
        tags: vec![],
        note: Some(format!("{device}-{n}")),
    }
}

/// One run: every device makes `changes` check-ins, syncing after each,
/// then wakes on hints until it holds every device's; the time from the
/// common start to the last device holding everything.
fn kindred_run(
    url: &str,
    devices: &mut [Kindred],
    changes: usize,
    run: usize,
    sync_each: bool,
) -> Result<f64, Failure> {
    let n = devices.len();
    let space = devices[0]
        .spaces()
        .iter()
        .find(|s| s.kind == SpaceKind::Personal)
        .map(|s| s.id.clone())
        .ok_or("no personal space")?;
    let target = devices[0].check_ins(None, None)?.len() + n * changes;
    let barrier = Barrier::new(n);
    let (space, barrier) = (&space, &barrier);
    let finished: Vec<Result<(Instant, Instant), Failure>> = std::thread::scope(|scope| {
        let handles: Vec<_> = devices
            .iter_mut()
            .enumerate()
            .map(|(i, k)| {
                scope.spawn(move || -> Result<(Instant, Instant), Failure> {
                    let t = HttpTransport::new(url)?;
                    let token = k.relay_token(&t)?;
                    let mut hints = LiveHints::connect(url, &token)?;
                    barrier.wait();
                    let started = Instant::now();
                    let (mut t_add, mut t_sync) = (Duration::ZERO, Duration::ZERO);
                    for c in 0..changes {
                        let t0 = Instant::now();
                        k.add_check_in(&check_in(i, run * changes + c))?;
                        let t1 = Instant::now();
                        if sync_each {
                            k.sync_space(&t, space)?;
                        }
                        t_add += t1 - t0;
                        t_sync += t1.elapsed();
                    }
                    if !sync_each {
                        let t1 = Instant::now();
                        k.sync_space(&t, space)?;
                        t_sync += t1.elapsed();
                    }
                    let t0 = Instant::now();
                    let mut have = k.check_ins(None, None)?.len();
                    if i == 0 && std::env::var_os("KINDRED_BENCH_PHASES").is_some() {
                        eprintln!(
                            "device 0: add {t_add:?} sync {t_sync:?} count {:?} (have {have})",
                            t0.elapsed()
                        );
                    }
                    while have < target {
                        if started.elapsed() > RUN_LIMIT {
                            return Err(format!("device {i} holds {have} of {target}").into());
                        }
                        if let LiveEvent::Changed { .. } = hints.next(Duration::from_millis(200))? {
                            // Several hints may be waiting; one pull takes them all.
                            while let LiveEvent::Changed { .. } =
                                hints.next(Duration::from_millis(1))?
                            {}
                        }
                        if k.sync_space(&t, space)?.pulled > 0 {
                            have = k.check_ins(None, None)?.len();
                        }
                    }
                    hints.close();
                    Ok((started, Instant::now()))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a device thread panicked".into()))
            })
            .collect()
    });
    // The clock starts with the first device past the barrier and stops
    // with the last one to hold everything.
    let spans = finished.into_iter().collect::<Result<Vec<_>, _>>()?;
    let start = spans.iter().map(|s| s.0).min().ok_or("no devices")?;
    let end = spans.iter().map(|s| s.1).max().ok_or("no devices")?;
    Ok((end - start).as_secs_f64() * 1e3)
}
