//! How a sync pass reaches the core: in short locked steps.
//!
//! A pass never holds the core while it waits for the relay. It gathers
//! what to send under the lock, lets go, talks to the relay, then takes
//! the lock again to apply the answer in one short transaction, reading
//! the state afresh (local writes may have happened meanwhile). Local
//! reads and writes therefore wait at most for one such step, never for
//! the network.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, MutexGuard};

use super::engine::{PullProgress, SpaceSync, SyncReport};
use super::transport::Transport;
use crate::error::{Error, Result};
use crate::kindred::Kindred;

/// Somewhere a sync pass can take the core for one short step.
pub trait CoreAccess {
    /// Runs `f` with the core held; [`Error::Closed`] if it was closed.
    fn with<T>(&self, f: impl FnOnce(&mut Kindred) -> Result<T>) -> Result<T>;
}

/// A pass over a core the caller already holds (`&mut Kindred`: the CLI,
/// and core operations that sync as one of their steps).
pub(crate) struct Exclusive<'a>(RefCell<&'a mut Kindred>);

impl<'a> Exclusive<'a> {
    pub(crate) fn new(k: &'a mut Kindred) -> Self {
        Exclusive(RefCell::new(k))
    }
}

impl CoreAccess for Exclusive<'_> {
    fn with<T>(&self, f: impl FnOnce(&mut Kindred) -> Result<T>) -> Result<T> {
        let mut k = self.0.try_borrow_mut().map_err(|_| Error::Sync {
            what: "a sync step reached the data while another step held it",
        })?;
        f(&mut k)
    }
}

/// One device's data shared between threads (an app's UI, its background
/// sync, a live-hint watch). Local calls take the core's lock for as long
/// as they take; a sync pass takes it only for its short local steps, so a
/// stuck network never holds up a screen. One pass runs at a time.
#[derive(Clone)]
pub struct SharedKindred {
    core: Arc<Mutex<Option<Kindred>>>,
    passes: Arc<Mutex<()>>,
}

impl std::fmt::Debug for SharedKindred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedKindred")
    }
}

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SharedKindred {
    pub fn new(k: Kindred) -> SharedKindred {
        SharedKindred {
            core: Arc::new(Mutex::new(Some(k))),
            passes: Arc::new(Mutex::new(())),
        }
    }

    /// Closes the data: later calls get [`Error::Closed`]. Waits for a
    /// local step in progress, never for the network.
    pub fn close(&self) {
        relock(&self.core).take();
    }

    /// True until [`SharedKindred::close`].
    pub fn is_open(&self) -> bool {
        relock(&self.core).is_some()
    }

    /// One sync pass over every space; see the module docs.
    pub fn sync(&self, t: &dyn Transport) -> Result<SyncReport> {
        self.sync_with_progress(t, &mut |_| {})
    }

    /// [`SharedKindred::sync`] with progress after each pulled page.
    pub fn sync_with_progress(
        &self,
        t: &dyn Transport,
        progress: &mut dyn FnMut(&PullProgress),
    ) -> Result<SyncReport> {
        let _one_pass = relock(&self.passes);
        super::engine::Pass::new(self, t).sync_all(progress)
    }

    /// Syncs the spaces with changes waiting to go, one round trip each
    /// (see `Kindred::sync_pending`).
    pub fn sync_pending(&self, t: &dyn Transport) -> Result<SyncReport> {
        let _one_pass = relock(&self.passes);
        super::engine::Pass::new(self, t).sync_pending()
    }

    /// Syncs one space (the one a live hint named).
    pub fn sync_space(&self, t: &dyn Transport, space: &str) -> Result<SpaceSync> {
        let _one_pass = relock(&self.passes);
        super::engine::Pass::new(self, t).sync_space(space)
    }

    /// A bearer token for the relay (for a live-hint connection), fetched
    /// without holding the core while the relay answers.
    pub fn relay_token(&self, t: &dyn Transport) -> Result<String> {
        super::engine::Pass::new(self, t).token()
    }

    /// Runs `f` with the core held and no sync pass running: for the
    /// operations that change who is in a space (they sync as one of
    /// their steps and must not interleave with a pass).
    pub fn exclusive<T>(&self, f: impl FnOnce(&mut Kindred) -> Result<T>) -> Result<T> {
        let _one_pass = relock(&self.passes);
        self.with(f)
    }
}

impl SharedKindred {
    /// Runs `f` with the core held (a local read or write);
    /// [`Error::Closed`] once closed.
    pub fn with<T>(&self, f: impl FnOnce(&mut Kindred) -> Result<T>) -> Result<T> {
        let mut guard = relock(&self.core);
        let k = guard.as_mut().ok_or(Error::Closed)?;
        f(k)
    }
}

impl CoreAccess for SharedKindred {
    fn with<T>(&self, f: impl FnOnce(&mut Kindred) -> Result<T>) -> Result<T> {
        SharedKindred::with(self, f)
    }
}
