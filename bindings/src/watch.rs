//! Watching for changes: a background thread holds the relay's live-hint
//! connection and syncs the space a hint names, polling as a fallback,
//! and tells the app's listener; a local write is sent at once, one round
//! trip per space it touched (`sync_pending`). The handle stops both when
//! closed or dropped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kindred_core::sync::{LiveEvent, LiveHints};

use crate::error::FfiResult;
use crate::kindred::{Kindred, Shared, transport_of, with};

/// A running watch; `cancel()` (or freeing the handle) stops it within a
/// second.
#[derive(uniffi::Object)]
pub struct WatchHandle {
    stop: Arc<AtomicBool>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// The listener that sends local writes at once.
    on_write: Mutex<Option<Arc<crate::changes::ListenerHandle>>>,
}

/// Sends what a local write left waiting, at once, on a thread of its own
/// (one at a time: writes while it runs are sent when it is done).
struct SendOnWrite {
    inner: Shared,
    stop: Arc<AtomicBool>,
    busy: Arc<AtomicBool>,
    again: Arc<AtomicBool>,
}

impl crate::changes::ChangeListener for SendOnWrite {
    fn on_change(&self, event: crate::changes::ChangeEvent) {
        if !event.local || self.stop.load(Ordering::SeqCst) {
            return;
        }
        self.again.store(true, Ordering::SeqCst);
        if self.busy.swap(true, Ordering::SeqCst) {
            return;
        }
        let (inner, busy, again, stop) = (
            self.inner.clone(),
            self.busy.clone(),
            self.again.clone(),
            self.stop.clone(),
        );
        let spawned = std::thread::Builder::new()
            .name("kindred-send".into())
            .spawn(move || {
                // Bounded: each round needs another write while it ran.
                for _ in 0..64 {
                    if !again.swap(false, Ordering::SeqCst) || stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(t) = transport_of(&inner) {
                        // Unreachable: it goes with the next pass.
                        let _ = inner.sync_pending(&t);
                    }
                }
                busy.store(false, Ordering::SeqCst);
            });
        if spawned.is_err() {
            self.busy.store(false, Ordering::SeqCst);
        }
    }
}

impl WatchHandle {
    fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self
            .on_write
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            h.cancel();
        }
        if let Some(t) = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = t.join();
        }
    }
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

#[uniffi::export]
impl WatchHandle {
    /// Stops watching (waits for the background thread to finish).
    pub fn cancel(&self) {
        self.stop();
    }

    /// True until closed.
    pub fn is_running(&self) -> bool {
        !self.stop.load(Ordering::SeqCst)
    }
}

/// One pass of syncing (a space, or everything), telling the listener.
fn sync_once(
    inner: &Shared,
    listeners: &crate::changes::Listeners,
    space: Option<&str>,
) -> FfiResult<()> {
    // The pass holds the core only for its local steps, never while it
    // waits for the relay: the app's local calls go on meanwhile.
    let t = transport_of(inner)?;
    let known = match space {
        Some(s) => with(inner, |k| Ok(k.spaces().iter().any(|x| x.id == s)))?,
        None => false,
    };
    let pulled = match space {
        Some(s) if known => inner.sync_space(&t, s)?.pulled,
        _ => inner.sync(&t)?.spaces.iter().map(|s| s.pulled).sum(),
    };
    Kindred::notify_synced(listeners, pulled);
    Ok(())
}

#[uniffi::export]
impl Kindred {
    /// Syncs whenever the relay says there is something new (and every
    /// `poll_secs` regardless), telling the change listener. Runs until the
    /// handle is closed or dropped, or this object is closed.
    pub fn watch(&self, poll_secs: u64) -> Arc<WatchHandle> {
        let stop = Arc::new(AtomicBool::new(false));
        let (inner, listeners, flag) = (self.inner.clone(), self.listeners.clone(), stop.clone());
        let poll = Duration::from_secs(poll_secs.max(1));
        let thread = std::thread::Builder::new()
            .name("kindred-watch".into())
            .spawn(move || {
                let mut live: Option<LiveHints> = None;
                let mut next_poll = Instant::now();
                while !flag.load(Ordering::SeqCst) {
                    if Instant::now() >= next_poll {
                        if let Err(crate::KindredError::Closed) =
                            sync_once(&inner, &listeners, None)
                        {
                            break;
                        }
                        next_poll = Instant::now() + poll;
                    }
                    if live.is_none() {
                        live = (|| {
                            let (url, allow) = with(&inner, |k| {
                                Ok((
                                    k.server()?.unwrap_or_default(),
                                    k.server_allows_insecure_http()?,
                                ))
                            })?;
                            let t = transport_of(&inner)?;
                            let token = inner.relay_token(&t)?;
                            Ok::<_, crate::KindredError>(
                                LiveHints::connect_with_policy(&url, &token, allow).ok(),
                            )
                        })()
                        .ok()
                        .flatten();
                    }
                    // Short waits, so a close is noticed within a second.
                    match live.as_mut().map(|l| l.next(Duration::from_millis(500))) {
                        Some(Ok(LiveEvent::Changed { space, .. })) => {
                            let _ = sync_once(&inner, &listeners, Some(&space));
                        }
                        Some(Ok(LiveEvent::Quiet)) => {}
                        Some(Err(_)) => live = None,
                        None => std::thread::sleep(Duration::from_millis(500)),
                    }
                }
                if let Some(l) = live {
                    l.close();
                }
            })
            .ok();
        let on_write = crate::changes::add(
            &self.listeners,
            Arc::new(SendOnWrite {
                inner: self.inner.clone(),
                stop: stop.clone(),
                busy: Arc::new(AtomicBool::new(false)),
                again: Arc::new(AtomicBool::new(false)),
            }),
        );
        Arc::new(WatchHandle {
            stop,
            thread: Mutex::new(thread),
            on_write: Mutex::new(Some(on_write)),
        })
    }
}

impl std::fmt::Debug for WatchHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchHandle")
            .field("running", &self.is_running())
            .finish()
    }
}
