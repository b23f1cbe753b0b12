//! `kindred-server [--listen ADDR] [--data DIR] [--database-url URL]`: the
//! relay on its embedded default (SQLite in DIR), or on PostgreSQL. Prints `listening on http://ADDR`
//! once it accepts connections; stops cleanly on SIGTERM or ctrl-c.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use kindred_server::storage::postgres::PostgresStorage;
use kindred_server::storage::sqlite::SqliteStorage;
use kindred_server::storage::{Storage, StoreError, unix_now};
use kindred_server::{AppState, Config, router};

#[derive(Debug, Parser)]
#[command(
    name = "kindred-server",
    version,
    about = "Kindred's relay: stores sealed envelopes it cannot read."
)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "KINDRED_SERVER_LISTEN", default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// Folder for the database.
    #[arg(
        long,
        global = true,
        env = "KINDRED_SERVER_DATA",
        default_value = "./kindred-server-data"
    )]
    data: PathBuf,
    /// PostgreSQL instead of the embedded SQLite (several instances can
    /// share one database), e.g. postgres://user:pass@host/db.
    #[arg(long, global = true, env = "KINDRED_DATABASE_URL")]
    database_url: Option<String>,
    /// Log as JSON lines.
    #[arg(long, env = "KINDRED_SERVER_JSON_LOGS")]
    json_logs: bool,
    #[command(subcommand)]
    command: Option<Command>,
    /// Retention: delete the changes a snapshot covers once that snapshot
    /// has been held this many days (0: at once). Unset: keep every change.
    /// Devices keep their own full copies either way.
    #[arg(long, env = "KINDRED_PRUNE_AFTER_DAYS")]
    prune_after_days: Option<u64>,
    /// How often retention runs, in seconds (tests shorten it).
    #[arg(
        long,
        env = "KINDRED_PRUNE_EVERY_SECS",
        default_value_t = 3600,
        hide = true
    )]
    prune_every_secs: u64,
    /// Token lifetime in seconds (tests shorten it).
    #[arg(long, env = "KINDRED_SERVER_TOKEN_TTL_SECS", hide = true)]
    token_ttl_secs: Option<u64>,
    /// The address devices use to reach this relay, e.g.
    /// https://relay.example.org (repeat it, or separate with commas, for
    /// several). Sign-ins are bound to it: one signed for another relay is
    /// refused. Needed unless --listen is a loopback address, where it is
    /// http://127.0.0.1:PORT and http://localhost:PORT.
    #[arg(long, env = "KINDRED_PUBLIC_ORIGIN", value_delimiter = ',')]
    public_origin: Vec<String>,
    /// Serve /metrics on this separate address (e.g. 127.0.0.1:9187) and
    /// not on the public one.
    #[arg(long, env = "KINDRED_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// Serve /metrics on the public address too, to requests that carry
    /// this bearer token. Without it (and without --metrics-listen) there
    /// are no metrics.
    #[arg(long, env = "KINDRED_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Behind a reverse proxy: take the client's address from the last
    /// X-Forwarded-For entry (the one the proxy adds). Off by default,
    /// since anyone can send that header; without a proxy leave it off.
    #[arg(long, env = "KINDRED_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
    /// Sign-in challenges allowed per client address per window.
    #[arg(
        long,
        env = "KINDRED_LIMIT_CHALLENGES_PER_ADDRESS",
        default_value_t = 60
    )]
    challenges_per_address: u32,
    /// Sign-in challenges allowed from everyone together per window.
    #[arg(long, env = "KINDRED_LIMIT_CHALLENGES_TOTAL", default_value_t = 1200)]
    challenges_total: u32,
    /// Pairing and invite (rendezvous) posts per client address per window.
    #[arg(
        long,
        env = "KINDRED_LIMIT_RENDEZVOUS_PER_ADDRESS",
        default_value_t = 30
    )]
    rendezvous_per_address: u32,
    /// Rendezvous posts from everyone together per window.
    #[arg(long, env = "KINDRED_LIMIT_RENDEZVOUS_TOTAL", default_value_t = 600)]
    rendezvous_total: u32,
    /// New spaces per client address per window.
    #[arg(long, env = "KINDRED_LIMIT_SPACES_PER_ADDRESS", default_value_t = 20)]
    spaces_per_address: u32,
    /// New spaces from everyone together per window.
    #[arg(long, env = "KINDRED_LIMIT_SPACES_TOTAL", default_value_t = 200)]
    spaces_total: u32,
    /// The rate limits' window in seconds (buckets refill over it).
    #[arg(long, env = "KINDRED_LIMIT_WINDOW_SECS", default_value_t = 60)]
    limit_window_secs: u64,
    /// Most open sign-in challenges held at once.
    #[arg(long, env = "KINDRED_MAX_OPEN_CHALLENGES", default_value_t = 10_000)]
    max_open_challenges: u64,
    /// Seconds a request to remove one of the person's own devices waits
    /// before the device that asked may carry it out alone (3 days; tests
    /// shorten it).
    #[arg(long, env = "KINDRED_REMOVAL_WAIT_SECS", default_value_t = 259_200)]
    removal_wait_secs: u64,
}

/// The origins sign-ins are accepted for: the ones given, or on a
/// loopback listen address the ones a device on this computer would use.
fn origins(given: &[String], bound: SocketAddr) -> Result<Vec<String>, String> {
    use kindred_protocol::origin::canonical_origin;
    if !given.is_empty() {
        return given
            .iter()
            .filter(|g| !g.trim().is_empty())
            .map(|g| {
                canonical_origin(g).map_err(|e| format!("--public-origin {g} is not usable: {e}"))
            })
            .collect();
    }
    if !bound.ip().is_loopback() {
        return Err(format!(
            "listening on {bound}, which is not loopback: set --public-origin (or KINDRED_PUBLIC_ORIGIN) to the address devices use, e.g. https://relay.example.org"
        ));
    }
    let port = bound.port();
    let ip = match bound.ip() {
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        v4 => v4.to_string(),
    };
    let mut out = vec![
        format!("http://{ip}:{port}"),
        format!("http://localhost:{port}"),
    ];
    out.iter_mut().for_each(|o| {
        if let Ok(c) = canonical_origin(o) {
            *o = c;
        }
    });
    Ok(out)
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// For operators: what is stored (sizes and counts only; the relay
    /// holds nothing else it could show).
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Debug, clap::Subcommand)]
enum Admin {
    /// Storage use per space.
    Usage {
        #[arg(long)]
        json: bool,
    },
    /// Retention once: delete the changes each space's snapshot covers,
    /// where that snapshot has been held at least this many days.
    Prune {
        #[arg(long)]
        after_days: u64,
    },
}

/// `admin usage`: one line per space, then the totals.
fn print_usage(storage: &dyn Storage, json: bool) -> Result<(), StoreError> {
    let rows = storage.usage()?;
    if json {
        let list: Vec<String> = rows
            .iter()
            .map(|(id, u)| {
                format!(
                    "{{\"space\":\"{}\",\"log_entries\":{},\"changes\":{},\"change_bytes\":{},\"snapshot_bytes\":{}}}",
                    id.to_hex(),
                    u.log_entries,
                    u.changes,
                    u.change_bytes,
                    u.snapshot_bytes
                )
            })
            .collect();
        println!("[{}]", list.join(","));
        return Ok(());
    }
    println!("space                             log  changes  change_bytes  snapshot_bytes");
    let (mut c, mut cb, mut sb) = (0u64, 0u64, 0u64);
    for (id, u) in &rows {
        println!(
            "{}  {:>3}  {:>7}  {:>12}  {:>14}",
            id.to_hex(),
            u.log_entries,
            u.changes,
            u.change_bytes,
            u.snapshot_bytes
        );
        c += u.changes;
        cb += u.change_bytes;
        sb += u.snapshot_bytes;
    }
    println!(
        "{} spaces, {c} changes, {cb} bytes of changes, {sb} bytes of snapshots",
        rows.len()
    );
    Ok(())
}

/// The file that marks a data folder as in use.
const LOCK_FILE: &str = "kindred-server.lock";

/// Claims the SQLite data folder for this process: one relay per folder,
/// since two would each believe they alone hand out sequence numbers and
/// tokens. The lock is the operating system's (released when the process
/// ends, however it ends), held by the returned file for the process's life.
fn claim_data_folder(dir: &std::path::Path) -> Result<std::fs::File, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("could not create the data folder {}: {e}", dir.display()))?;
    let path = dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("could not open {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "another kindred-server is already using the data folder {}; stop it first, or give this one its own --data folder",
            dir.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(format!("could not lock {}: {e}", path.display()))
        }
    }
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KINDRED_SERVER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    init_logs(args.json_logs);
    // Serving from SQLite: this process alone, for as long as it runs.
    let _folder_lock = if args.command.is_none() && args.database_url.is_none() {
        match claim_data_folder(&args.data) {
            Ok(f) => Some(f),
            Err(m) => {
                eprintln!("kindred-server: {m}");
                return std::process::ExitCode::from(1);
            }
        }
    } else {
        None
    };
    let opened: Result<Arc<dyn Storage>, StoreError> = match args.database_url.clone() {
        // Its own runtime drives the connections: build it off this one.
        Some(url) => tokio::task::spawn_blocking(move || PostgresStorage::connect(&url))
            .await
            .map_err(|_| StoreError::Backend("could not start the database pool".into()))
            .and_then(|r| r.map(|s| Arc::new(s) as Arc<dyn Storage>)),
        None => SqliteStorage::open(&args.data).map(|s| Arc::new(s) as Arc<dyn Storage>),
    };
    let storage = match opened {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kindred-server: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    if let Some(Command::Admin(admin)) = args.command {
        let s = storage.clone();
        let done = tokio::task::spawn_blocking(move || match admin {
            Admin::Usage { json } => print_usage(s.as_ref(), json),
            Admin::Prune { after_days } => {
                let before = unix_now().saturating_sub(after_days.saturating_mul(86_400));
                let p = s.prune(before)?;
                println!(
                    "pruned {} changes ({} bytes) covered by snapshots held at least {after_days} days",
                    p.changes, p.bytes
                );
                Ok(())
            }
        })
        .await;
        return match done {
            Ok(Ok(())) => std::process::ExitCode::SUCCESS,
            Ok(Err(e)) => {
                eprintln!("kindred-server: {e}");
                std::process::ExitCode::from(1)
            }
            Err(_) => std::process::ExitCode::from(1),
        };
    }
    let mut config = Config::default();
    if let Some(t) = args.token_ttl_secs {
        config.token_ttl_secs = t;
    }
    config.prune_after = args
        .prune_after_days
        .map(|d| std::time::Duration::from_secs(d.saturating_mul(86_400)));
    config.prune_every = std::time::Duration::from_secs(args.prune_every_secs.max(1));
    config.challenge_limit = kindred_server::limit::Limit {
        per_address: args.challenges_per_address,
        total: args.challenges_total,
    };
    config.rendezvous_limit = kindred_server::limit::Limit {
        per_address: args.rendezvous_per_address,
        total: args.rendezvous_total,
    };
    config.space_limit = kindred_server::limit::Limit {
        per_address: args.spaces_per_address,
        total: args.spaces_total,
    };
    config.limit_window = std::time::Duration::from_secs(args.limit_window_secs.max(1));
    config.trust_forwarded_for = args.trust_forwarded_for;
    config.max_open_challenges = args.max_open_challenges.max(1);
    config.removal_wait = std::time::Duration::from_secs(args.removal_wait_secs);
    config.metrics_token = args.metrics_token.clone().filter(|t| !t.is_empty());
    let backend = if args.database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("kindred-server: could not listen on {}: {e}", args.listen);
            return std::process::ExitCode::from(1);
        }
    };
    let bound = listener.local_addr().unwrap_or(args.listen);
    config.origins = match origins(&args.public_origin, bound) {
        Ok(o) => o,
        Err(m) => {
            eprintln!("kindred-server: {m}");
            return std::process::ExitCode::from(1);
        }
    };
    let metrics_listener = match args.metrics_listen {
        Some(a) => match tokio::net::TcpListener::bind(a).await {
            Ok(l) => Some(l),
            Err(e) => {
                eprintln!("kindred-server: could not listen for metrics on {a}: {e}");
                return std::process::ExitCode::from(1);
            }
        },
        None => None,
    };
    let origins_text = config.origins.join(", ");
    let state = AppState::new(storage, config);
    state.spawn_retention();
    let addr = bound.to_string();
    println!("listening on http://{addr}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    tracing::info!(%addr, backend, origins = %origins_text, "kindred-server started");
    if let Some(ml) = metrics_listener {
        if let Ok(a) = ml.local_addr() {
            // Not println!: whoever started us may have stopped reading
            // after the first line, and a closed stdout must not stop us.
            let mut out = std::io::stdout();
            let _ = writeln!(out, "metrics on http://{a}/metrics");
            let _ = out.flush();
        }
        let app = kindred_server::metrics_router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(ml, app).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    // Requests and answers are small: without TCP_NODELAY, Nagle's
    // algorithm and delayed ACKs add ~40 ms to a round trip.
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
    {
        eprintln!("kindred-server: {e}");
        return std::process::ExitCode::from(1);
    }
    std::process::ExitCode::SUCCESS
}
