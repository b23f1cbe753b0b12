//! The one tokio runtime this library owns. Core sync work is blocking
//! (each request must be recorded before the next), so async FFI calls
//! run it on this runtime's blocking pool and await the result; the
//! caller's thread (a phone's UI thread) is never blocked.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::error::{FfiResult, KindredError};

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(8)
            .thread_name("kindred-ffi")
            .enable_all()
            .build()
            .expect("the FFI's tokio runtime starts")
    })
}

/// Runs blocking work on the runtime's blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> FfiResult<T> + Send + 'static,
) -> FfiResult<T> {
    runtime()
        .spawn_blocking(f)
        .await
        .map_err(|_| KindredError::Storage {
            message: "a background task stopped unexpectedly".into(),
        })?
}

/// Polls `f` on the FFI runtime every 300 ms until it gives a value or
/// `timeout_secs` pass (then a pairing error with `timeout_message`).
pub(crate) async fn poll<T: Send + 'static>(
    timeout_secs: u64,
    timeout_message: &'static str,
    f: impl Fn() -> FfiResult<Option<T>> + Send + Sync + 'static,
) -> FfiResult<T> {
    poll_until(timeout_secs, f)
        .await?
        .ok_or_else(|| KindredError::Pairing {
            message: timeout_message.into(),
        })
}

/// [`poll`], saying `None` when the time ran out (so a caller can act on
/// a timeout apart from other failures).
pub(crate) async fn poll_until<T: Send + 'static>(
    timeout_secs: u64,
    f: impl Fn() -> FfiResult<Option<T>> + Send + Sync + 'static,
) -> FfiResult<Option<T>> {
    let f = Arc::new(f);
    let deadline = Instant::now() + Duration::from_secs(timeout_secs);
    loop {
        let g = f.clone();
        if let Some(v) = blocking(move || g()).await? {
            return Ok(Some(v));
        }
        if Instant::now() > deadline {
            return Ok(None);
        }
        blocking(|| {
            std::thread::sleep(Duration::from_millis(300));
            Ok(())
        })
        .await?;
    }
}
