//! A real `kindred-server` process for end-to-end tests: started on a free
//! loopback port with its own data folder, killed (SIGKILL) and restarted
//! on demand, stopped when dropped. Its log goes to a file the tests can
//! search.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server binary next to the test binaries, built (or brought up to
/// date: a stale binary would test old code) once per test process.
pub fn binary() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let exe = std::env::current_exe().expect("test binary path");
            let dir = exe
                .parent()
                .and_then(|d| {
                    if d.ends_with("deps") {
                        d.parent()
                    } else {
                        Some(d)
                    }
                })
                .expect("target dir")
                .to_path_buf();
            let mut args = vec!["build", "-q", "--locked", "-p", "kindred-server"];
            if dir.ends_with("release") {
                args.push("--release");
            }
            let status = Command::new(env!("CARGO"))
                .args(&args)
                .status()
                .expect("cargo build");
            assert!(status.success(), "building kindred-server failed");
            dir.join("kindred-server")
        })
        .clone()
}

/// The metrics token every test server is started with (`/metrics` is
/// served on the public port only with it).
pub const METRICS_TOKEN: &str = "test-metrics-token";

/// Rate limits high enough for a benchmark's many devices on one address
/// (the defaults are sized for people, not for a load generator).
pub const BENCH_LIMITS: [(&str, &str); 7] = [
    ("KINDRED_LIMIT_CHALLENGES_PER_ADDRESS", "1000000"),
    ("KINDRED_LIMIT_CHALLENGES_TOTAL", "1000000"),
    ("KINDRED_LIMIT_SPACES_PER_ADDRESS", "1000000"),
    ("KINDRED_LIMIT_SPACES_TOTAL", "1000000"),
    ("KINDRED_LIMIT_RENDEZVOUS_PER_ADDRESS", "1000000"),
    ("KINDRED_LIMIT_RENDEZVOUS_TOTAL", "1000000"),
    ("KINDRED_MAX_OPEN_CHALLENGES", "1000000"),
];

/// A running server.
#[derive(Debug)]
pub struct ServerProcess {
    child: Option<Child>,
    pub url: String,
    pub addr: String,
    pub data: PathBuf,
    pub log: PathBuf,
    env: Vec<(String, String)>,
    _dir: tempfile::TempDir,
}

fn spawn(data: &Path, log: &Path, listen: &str, env: &[(String, String)]) -> (Child, String) {
    let log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("server log file");
    let mut cmd = Command::new(binary());
    cmd.arg("--listen")
        .arg(listen)
        .arg("--data")
        .arg(data)
        .env("KINDRED_SERVER_LOG", "debug")
        .env("KINDRED_METRICS_TOKEN", METRICS_TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log_file));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start kindred-server");
    let stdout = child.stdout.take().expect("server stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("server announces its address");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line from server: {line:?}"))
        .to_owned();
    (child, addr)
}

impl ServerProcess {
    /// Starts a server on a free loopback port with a fresh data folder.
    pub fn start() -> ServerProcess {
        Self::start_with(&[])
    }

    /// Same, with extra environment variables.
    pub fn start_with(env: &[(&str, &str)]) -> ServerProcess {
        let dir = tempfile::tempdir().expect("server dir");
        let data = dir.path().join("data");
        let log = dir.path().join("server.log");
        // Test devices ask to remove one another with no wait (see
        // `devices::device`); a test of the wait passes its own.
        let env: Vec<(String, String)> = std::iter::once(("KINDRED_REMOVAL_WAIT_SECS", "0"))
            .chain(env.iter().copied())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (child, addr) = spawn(&data, &log, "127.0.0.1:0", &env);
        ServerProcess {
            child: Some(child),
            url: format!("http://{addr}"),
            addr,
            data,
            log,
            env,
            _dir: dir,
        }
    }

    /// Asserts that no file of the server's data folder and no line of its
    /// log holds any of `markers`, as UTF-8 or UTF-16. Stop the server
    /// first (kill -9 is fine) so its WAL is in the files scanned.
    pub fn assert_never_saw(&self, markers: &[&str]) {
        let mut files = files_under(&self.data);
        files.push(self.log.clone());
        assert!(files.len() >= 2, "the server wrote files: {files:?}");
        for marker in markers {
            let utf16: Vec<u8> = marker
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes())
                .collect();
            for f in &files {
                let bytes = std::fs::read(f).expect("read a server file");
                for form in [marker.as_bytes(), utf16.as_slice()] {
                    assert!(
                        !bytes.windows(form.len()).any(|w| w == form),
                        "{} holds a marker",
                        f.display()
                    );
                }
            }
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    /// The server's resident memory (VmRSS), in KiB.
    pub fn rss_kib(&self) -> u64 {
        let Some(pid) = self.pid() else { return 0 };
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
            })
            .unwrap_or(0)
    }

    /// Kills the server with SIGKILL (no chance to flush anything).
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts the server again on the same port and data folder.
    pub fn restart(&mut self) {
        self.kill9();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            // The port may linger for a moment after a kill.
            let attempt =
                std::panic::catch_unwind(|| spawn(&self.data, &self.log, &self.addr, &self.env));
            match attempt {
                Ok((child, addr)) => {
                    assert_eq!(addr, self.addr);
                    self.child = Some(child);
                    return;
                }
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100))
                }
                Err(e) => std::panic::resume_unwind(e),
            }
        }
    }

    /// The server's database, read-only, for counting rows.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(
            self.data.join("kindred-server.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("server database")
    }

    /// The server's database, writable: an insider writing rows the
    /// relay's own checks would have refused (the attack tests).
    pub fn db_writable(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(self.data.join("kindred-server.db"))
            .expect("server database");
        c.busy_timeout(std::time::Duration::from_secs(10))
            .expect("busy timeout");
        c
    }

    /// Breaks one space's stored log on the server (its genesis entry no
    /// longer decodes), restarting it so nothing of it is cached: from then
    /// on the relay fails every request for that space, and only that one.
    pub fn break_space(&mut self, space_hex: &str) {
        self.kill9();
        let id: Vec<u8> = (0..space_hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&space_hex[i..i + 2], 16).expect("hex space id"))
            .collect();
        let db = rusqlite::Connection::open(self.data.join("kindred-server.db")).expect("db");
        let n = db
            .execute(
                "UPDATE log_entries SET body = x'00' WHERE space = ?1 AND seq = 0",
                [id.as_slice()],
            )
            .expect("break the log");
        assert_eq!(n, 1, "no such space on the server");
        drop(db);
        self.restart();
    }

    /// Overwrites one stored log entry of a space while the relay runs (an
    /// operator editing its database): the relay keeps its verified
    /// membership in memory and serves the stored bytes as they now are.
    pub fn overwrite_log_entry(&self, space_hex: &str, seq: u64, body: &[u8]) {
        let id: Vec<u8> = (0..space_hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&space_hex[i..i + 2], 16).expect("hex space id"))
            .collect();
        let db = rusqlite::Connection::open(self.data.join("kindred-server.db")).expect("db");
        db.busy_timeout(std::time::Duration::from_secs(10))
            .expect("busy timeout");
        let n = db
            .execute(
                "UPDATE log_entries SET body = ?3 WHERE space = ?1 AND seq = ?2",
                rusqlite::params![id.as_slice(), seq as i64, body],
            )
            .expect("overwrite a log entry");
        assert_eq!(n, 1, "no such log entry on the server");
    }

    /// Row counts of every table: what a refused request must not change.
    pub fn counts(&self) -> Vec<(String, i64)> {
        let db = self.db();
        let tables = [
            "spaces",
            "log_entries",
            "changes",
            "snapshots",
            "cursors",
            "tokens",
            "rendezvous",
        ];
        tables
            .iter()
            .map(|t| {
                let n: i64 = db
                    .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
                    .expect("count");
                (t.to_string(), n)
            })
            .collect()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The PostgreSQL database the tests may use (`KINDRED_TEST_DATABASE_URL`);
/// under CI (`CI=true`) a missing one fails instead of skipping.
pub fn test_database_url() -> Option<String> {
    match std::env::var("KINDRED_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("KINDRED_TEST_DATABASE_URL is not set: CI runs the relay on PostgreSQL too")
        }
        _ => None,
    }
}

/// One SQL answer from psql, trimmed.
pub fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .arg(url)
        .args(["-X", "-q", "-A", "-t", "-c", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "psql failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("psql prints text")
        .trim()
        .to_owned()
}

/// A relay on PostgreSQL in a schema of its own (so the pages scanned are
/// this test's), with `env` too; returns it and the schema.
pub fn postgres_relay(url: &str, tag: &str, env: &[(&str, &str)]) -> (ServerProcess, String) {
    let schema = format!("{tag}_{}", std::process::id());
    psql(
        url,
        &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"),
    );
    let sep = if url.contains('?') { '&' } else { '?' };
    let in_schema = format!("{url}{sep}options=-c%20search_path%3D{schema}");
    let mut all = vec![("KINDRED_DATABASE_URL", in_schema.as_str())];
    all.extend_from_slice(env);
    let server = ServerProcess::start_with(&all);
    (server, schema)
}
