//! kindred-server: a relay that stores and forwards sealed envelopes.
//!
//! It checks what it can without reading anything: signatures, membership
//! (from the signed log it keeps), sequence numbers, sizes and rates. It
//! never holds a key that opens content, and its logs carry ids, sizes
//! and codes only.
//!
//! Layout: `routes` (a handler per endpoint), `auth` (challenge, token),
//! `live` (WebSocket hints), `storage` (the `Storage` trait and SQLite),
//! `error` (typed refusals), `limit` (rate limits before sign-in),
//! `metrics`.

pub mod auth;
pub mod changes;
pub mod error;
pub mod limit;
pub mod live;
pub mod metrics;
pub mod removal;
pub mod routes;
pub mod storage;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, put};
use kindred_protocol::messages::{ErrorCode, Hint};
use kindred_protocol::{DeviceKey, limits};
use tokio::sync::broadcast;
use tower_http::trace::TraceLayer;

use storage::Storage;

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Settings an operator (or a test) may change.
#[derive(Debug, Clone)]
pub struct Config {
    pub token_ttl_secs: u64,
    pub challenge_ttl_secs: u64,
    pub rendezvous_ttl_secs: u64,
    /// Requests per second allowed per device, and the burst above it.
    pub rate_per_sec: f64,
    pub rate_burst: f64,
    /// Retention: changes a snapshot covers are deleted once that snapshot
    /// has been held this long (`None`: keep every change).
    pub prune_after: Option<Duration>,
    /// How often retention runs.
    pub prune_every: Duration,
    /// The canonical origins (`kindred_protocol::origin`) devices reach
    /// this relay by; a sign-in signed for any other is refused. Empty:
    /// every sign-in is refused.
    pub origins: Vec<String>,
    /// Rate limits per client address and overall, per `limit_window`.
    pub challenge_limit: limit::Limit,
    pub rendezvous_limit: limit::Limit,
    pub space_limit: limit::Limit,
    pub limit_window: Duration,
    /// Take the client address from `X-Forwarded-For` (behind a proxy).
    pub trust_forwarded_for: bool,
    /// Most open (unanswered, unexpired) challenges held at once; a device
    /// holds at most `limits::MAX_OPEN_CHALLENGES_PER_DEVICE` of them.
    pub max_open_challenges: u64,
    /// `/metrics` on the public listener only with this bearer token
    /// (`None`: not there at all; see `metrics_router`).
    pub metrics_token: Option<String>,
    /// How long a request to remove one of the person's own devices waits
    /// before the device that asked may carry it out alone (issue 16).
    pub removal_wait: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            token_ttl_secs: limits::TOKEN_TTL_SECS,
            challenge_ttl_secs: limits::CHALLENGE_TTL_SECS,
            rendezvous_ttl_secs: limits::RENDEZVOUS_TTL_SECS,
            rate_per_sec: 200.0,
            rate_burst: 1000.0,
            prune_after: None,
            prune_every: Duration::from_secs(3600),
            origins: Vec::new(),
            challenge_limit: limit::Limit {
                per_address: 60,
                total: 1200,
            },
            rendezvous_limit: limit::Limit {
                per_address: 30,
                total: 600,
            },
            space_limit: limit::Limit {
                per_address: 20,
                total: 200,
            },
            limit_window: Duration::from_secs(60),
            trust_forwarded_for: false,
            max_open_challenges: 10_000,
            removal_wait: removal::DEFAULT_WAIT,
            metrics_token: None,
        }
    }
}

/// Everything the handlers share.
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub config: Config,
    pub hints: broadcast::Sender<Hint>,
    pub metrics: metrics::Metrics,
    buckets: Mutex<HashMap<DeviceKey, (f64, Instant)>>,
    pub challenges: limit::Limiter,
    pub rendezvous: limit::Limiter,
    pub new_spaces: limit::Limiter,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(storage: Arc<dyn Storage>, config: Config) -> Arc<AppState> {
        let (hints, _) = broadcast::channel(1024);
        storage.forward_hints(hints.clone());
        let w = config.limit_window;
        Arc::new(AppState {
            storage,
            challenges: limit::Limiter::new(limit::Kind::Challenge, config.challenge_limit, w),
            rendezvous: limit::Limiter::new(limit::Kind::Rendezvous, config.rendezvous_limit, w),
            new_spaces: limit::Limiter::new(limit::Kind::CreateSpace, config.space_limit, w),
            config,
            hints,
            metrics: metrics::Metrics::default(),
            buckets: Mutex::new(HashMap::new()),
        })
    }

    /// Retention, if configured: prunes now and then every `prune_every`,
    /// until the runtime stops.
    pub fn spawn_retention(self: &Arc<Self>) {
        let Some(after) = self.config.prune_after else {
            return;
        };
        let state = self.clone();
        tokio::spawn(async move {
            loop {
                let before = storage::unix_now().saturating_sub(after.as_secs());
                match state.store(move |s| s.prune(before)).await {
                    Ok(p) => {
                        state
                            .metrics
                            .pruned_changes
                            .fetch_add(p.changes, std::sync::atomic::Ordering::Relaxed);
                        state
                            .metrics
                            .pruned_bytes
                            .fetch_add(p.bytes, std::sync::atomic::Ordering::Relaxed);
                        tracing::info!(changes = p.changes, bytes = p.bytes, "retention pruned");
                    }
                    Err(e) => tracing::warn!(code = ?e.code, "retention failed"),
                }
                tokio::time::sleep(state.config.prune_every).await;
            }
        });
    }

    /// Token bucket per device; refuses with `rate_limited` when empty.
    pub fn take_rate(&self, device: &DeviceKey) -> Result<(), error::ApiError> {
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let (tokens, at) = b.entry(*device).or_insert((self.config.rate_burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.config.rate_per_sec)
            .min(self.config.rate_burst);
        *at = now;
        if *tokens < 1.0 {
            return Err(error::ApiError::new(
                ErrorCode::RateLimited,
                "too many requests; slow down",
            ));
        }
        *tokens -= 1.0;
        Ok(())
    }

    /// Takes one request of `limiter`'s kind for the client behind
    /// `peer`/`headers`, or says why not (answered as a 429).
    pub fn take_limit(
        &self,
        limiter: &limit::Limiter,
        peer: Option<std::net::SocketAddr>,
        headers: &axum::http::HeaderMap,
    ) -> Result<(), limit::Refused> {
        let addr = limit::client_address(peer, headers, self.config.trust_forwarded_for);
        limiter.take(addr, Instant::now())
    }

    /// Runs a storage call on the blocking pool.
    pub async fn store<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&dyn Storage) -> storage::StoreResult<T> + Send + 'static,
    ) -> Result<T, error::ApiError> {
        let storage = self.storage.clone();
        let started = Instant::now();
        let r = tokio::task::spawn_blocking(move || f(storage.as_ref()))
            .await
            .map_err(|_| error::ApiError::new(ErrorCode::Internal, "a storage task failed"))?
            .map_err(error::ApiError::from);
        self.metrics.storage(started.elapsed().as_secs_f64());
        r
    }
}

async fn observe(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let started = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    state
        .metrics
        .request(&route, status, started.elapsed().as_secs_f64());
    if let Some(code) = resp.extensions().get::<ErrorCode>() {
        let code = format!("{code:?}");
        state.metrics.refusal(&code);
        tracing::info!(route = %route, status, code = %code, "refused");
    }
    resp
}

/// The router with every route, limit and layer.
pub fn router(state: Arc<AppState>) -> Router {
    let snapshot_routes = Router::new()
        .route("/v1/spaces/{space}/snapshot", put(routes::put_snapshot))
        .route("/v1/spaces/{space}/erase", post(routes::erase))
        .layer(DefaultBodyLimit::max(limits::MAX_SNAPSHOT_BODY));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(routes::metrics_with_token))
        .route("/v1/auth/challenge", post(routes::challenge))
        .route("/v1/auth/token", post(routes::token))
        .route(
            "/v1/spaces",
            post(routes::create_space).get(routes::list_spaces),
        )
        .route(
            "/v1/spaces/{space}/log",
            post(routes::append_log).get(routes::log),
        )
        .route("/v1/spaces/{space}/changes", post(changes::push))
        .route("/v1/spaces/{space}/exchange", post(changes::exchange))
        .route("/v1/spaces/{space}/pull", get(changes::pull))
        .route("/v1/spaces/{space}/ack", post(changes::ack))
        .route(
            "/v1/rendezvous/{id}",
            post(routes::rendezvous_post).get(routes::rendezvous_take),
        )
        .route("/v1/live", get(live::live))
        .layer(DefaultBodyLimit::max(limits::MAX_BODY))
        .merge(snapshot_routes)
        .fallback(routes::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// `/metrics` alone, for its own listen address (`--metrics-listen`):
/// reachable only where the operator put it, so no token is asked.
pub fn metrics_router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/metrics", get(routes::metrics))
        .fallback(routes::not_found)
        .with_state(state)
}

/// Keeps the hints channel from lagging forever when nobody listens.
pub fn hint_timeout() -> Duration {
    Duration::from_secs(30)
}
