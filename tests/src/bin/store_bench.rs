//! The store benchmark: a five-year dataset, then open, list and write.
//!
//! `cargo run --release -p kindred-tests --bin store_bench [-- --writes N --opens N]`
//!
//! Builds, through the public API (every record a durable write), 2,000
//! check-ins, 100 goals of 10 steps, 300 contacts and 3,000 contact notes
//! of about 1 KB, then measures in one run:
//! - open + first goals list + check-in list, each in a fresh process
//!   (median over `--opens`), with that process's peak RSS;
//! - one durable check-in write on that store (median and p95);
//! - the same fields inserted with raw rusqlite (same pragmas, one
//!   transaction per row), and the ratio of the two medians.
//!
//! Prints a Markdown table for docs/BENCHMARKS.md. `--save-dataset DIR`
//! keeps a copy of the dataset; `store_bench open-probe DIR` (with
//! `KINDRED_BENCH_PHASES=1`) then times one open of it by phase.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use kindred_core::Kindred;
use kindred_core::model::*;
use kindred_tests::dataset::words;
use kindred_tests::{Rng, test_key};
use time::OffsetDateTime;

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn build_dataset(dir: &Path) -> Result<Duration, kindred_core::Error> {
    let started = Instant::now();
    let mut k = Kindred::init(dir, &test_key(), "bench phone")?;
    kindred_tests::dataset::five_years(&mut k)?;
    Ok(started.elapsed())
}

/// Child process: open, list goals, list check-ins; print micros and peak RSS.
fn open_probe(dir: &Path) -> Result<(), kindred_core::Error> {
    let started = Instant::now();
    let mut k = Kindred::open(dir, &test_key())?;
    let t_open = started.elapsed();
    let goals = k.goals(None)?;
    let t_goals = started.elapsed();
    let check_ins = k.check_ins(None, None)?;
    let elapsed = started.elapsed();
    if std::env::var_os("KINDRED_BENCH_PHASES").is_some() {
        eprintln!("open {t_open:?} goals {t_goals:?} check-ins {elapsed:?}");
    }
    assert_eq!(goals.len(), 100);
    assert!(check_ins.len() >= 2_000);
    println!("{} {}", elapsed.as_micros(), peak_rss_kb());
    Ok(())
}

fn raw_inserts(dir: &Path, n: usize) -> rusqlite::Result<Vec<Duration>> {
    let conn = rusqlite::Connection::open(dir.join("raw.db"))?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         CREATE TABLE check_ins (id TEXT PRIMARY KEY, occurred_at TEXT, mood INTEGER,
             energy INTEGER, tags TEXT, note TEXT, created_at TEXT, created_by TEXT);",
    )?;
    let mut rng = Rng::new(5);
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let note = words(&mut rng, 100);
        let t = Instant::now();
        let tx = conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO check_ins VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                format!("{i:032x}"),
                "2026-11-22T09:30:00+01:00",
                3,
                4,
                "sleep|walk",
                note,
                "2026-11-22T08:30:00Z",
                "device"
            ],
        )?;
        tx.commit()?;
        times.push(t.elapsed());
    }
    Ok(times)
}

fn arg(name: &str, default: usize) -> usize {
    kindred_tests::bench_arg(name, default as u64) as usize
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("open-probe") {
        let dir = args.get(2).ok_or("open-probe needs a directory")?;
        open_probe(Path::new(dir))?;
        return Ok(());
    }
    let writes = arg("--writes", 201);
    let opens = arg("--opens", 11);
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    eprintln!("building the five-year dataset ...");
    let build = build_dataset(&data)?;
    if let Some(i) = args.iter().position(|a| a == "--save-dataset") {
        let to = args.get(i + 1).ok_or("--save-dataset needs a directory")?;
        std::fs::create_dir_all(to)?;
        std::fs::copy(
            Kindred::database_path(&data),
            Kindred::database_path(Path::new(to)),
        )?;
    }
    let db_size = std::fs::metadata(Kindred::database_path(&data))?.len();

    eprintln!("opening in {opens} fresh processes ...");
    let exe = std::env::current_exe()?;
    let mut open_times = Vec::new();
    let mut peak_rss = 0u64;
    for _ in 0..opens {
        let out = Command::new(&exe).arg("open-probe").arg(&data).output()?;
        if !out.status.success() {
            return Err(format!(
                "open-probe failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        let text = String::from_utf8(out.stdout)?;
        let mut parts = text.split_whitespace();
        let us: u64 = parts.next().ok_or("no time")?.parse()?;
        let rss: u64 = parts.next().ok_or("no rss")?.parse()?;
        open_times.push(Duration::from_micros(us));
        peak_rss = peak_rss.max(rss);
    }

    eprintln!("timing {writes} durable check-in writes, then raw rusqlite ...");
    let mut k = Kindred::open(&data, &test_key())?;
    k.check_ins(None, None)?; // load the space first: we time the write alone
    let mut rng = Rng::new(9);
    let mut write_times = Vec::with_capacity(writes);
    for _ in 0..writes {
        let c = NewCheckIn {
            occurred_at: OffsetDateTime::now_utc(),
            mood: 3,
            energy: Some(4),
            tags: vec!["sleep".into(), "walk".into()],
            note: Some(words(&mut rng, 100)),
        };
        let t = Instant::now();
        k.add_check_in(&c)?;
        write_times.push(t.elapsed());
    }
    drop(k);
    let mut raw = raw_inserts(tmp.path(), writes)?;

    let open_med = median(&mut open_times);
    let write_med = median(&mut write_times);
    let write_p95 = pct(&mut write_times, 0.95);
    let raw_med = median(&mut raw);
    let ratio = write_med.as_secs_f64() / raw_med.as_secs_f64();
    println!("| measure | result | target |");
    println!("|---|---|---|");
    println!(
        "| dataset build (6,400 durable API writes) | {:.1} s | - |",
        build.as_secs_f64()
    );
    println!(
        "| database file after build | {:.1} MB | - |",
        db_size as f64 / 1e6
    );
    println!(
        "| open + goals list + check-in list, median of {opens} fresh processes | {} | <= 150 ms |",
        ms(open_med)
    );
    println!(
        "| peak RSS of those processes (max) | {:.1} MB | <= 150 MB |",
        peak_rss as f64 / 1024.0
    );
    println!(
        "| durable check-in write, median of {writes} | {} | <= 2 ms |",
        ms(write_med)
    );
    println!("| durable check-in write, p95 | {} | - |", ms(write_p95));
    println!(
        "| raw rusqlite insert of the same fields, median | {} | - |",
        ms(raw_med)
    );
    println!("| ratio kindred write / raw insert (medians) | {ratio:.2}x | - |");
    Ok(())
}
