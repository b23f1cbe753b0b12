//! A relay double that holds one request open until the test lets it go:
//! it wraps another transport, and the next pull (or push) it is told to
//! hold signals that it has arrived, then waits for the release. Latches
//! (channels), never sleeps, so a test says exactly what happens while a
//! sync is stuck on the network.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

use kindred_core::sync::{Transport, TransportError};
use kindred_protocol::SpaceId;
use kindred_protocol::messages::*;

/// Which request to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    Pull,
    Push,
}

struct Armed {
    what: Hold,
    arrived: Sender<()>,
    release: Receiver<()>,
}

/// Wraps `T`; see the module docs.
pub struct HeldRelay<'a, T: Transport> {
    inner: &'a T,
    armed: Mutex<Option<Armed>>,
}

impl<T: Transport> std::fmt::Debug for HeldRelay<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeldRelay")
    }
}

/// The test's side of a held request.
#[derive(Debug)]
pub struct Latch {
    arrived: Receiver<()>,
    release: Sender<()>,
}

impl Latch {
    /// Waits until the held request has reached the relay.
    pub fn wait_arrived(&self) {
        self.arrived.recv().expect("the held request arrives");
    }

    /// Lets the held request go on to the relay.
    pub fn release(&self) {
        self.release.send(()).expect("the held request is waiting");
    }
}

impl<'a, T: Transport> HeldRelay<'a, T> {
    pub fn new(inner: &'a T) -> Self {
        HeldRelay {
            inner,
            armed: Mutex::new(None),
        }
    }

    /// Holds the next request of kind `what`.
    pub fn hold_next(&self, what: Hold) -> Latch {
        let (arrived_tx, arrived_rx) = channel();
        let (release_tx, release_rx) = channel();
        *self.armed.lock().unwrap_or_else(|p| p.into_inner()) = Some(Armed {
            what,
            arrived: arrived_tx,
            release: release_rx,
        });
        Latch {
            arrived: arrived_rx,
            release: release_tx,
        }
    }

    fn maybe_hold(&self, what: Hold) {
        let armed = {
            let mut a = self.armed.lock().unwrap_or_else(|p| p.into_inner());
            match a.as_ref() {
                Some(x) if x.what == what => a.take(),
                _ => None,
            }
        };
        if let Some(a) = armed {
            let _ = a.arrived.send(());
            let _ = a.release.recv();
        }
    }
}

impl<T: Transport> Transport for HeldRelay<'_, T> {
    fn origin(&self) -> String {
        self.inner.origin()
    }
    fn challenge(&self, req: &ChallengeRequest) -> Result<Challenge, TransportError> {
        self.inner.challenge(req)
    }
    fn token(&self, req: &TokenRequest) -> Result<Token, TransportError> {
        self.inner.token(req)
    }
    fn spaces(&self, token: &str) -> Result<SpaceList, TransportError> {
        self.inner.spaces(token)
    }
    fn create_space(&self, token: &str, body: &AppendLog) -> Result<LogHead, TransportError> {
        self.inner.create_space(token, body)
    }
    fn append_log(
        &self,
        token: &str,
        space: &SpaceId,
        body: &AppendLog,
    ) -> Result<LogHead, TransportError> {
        self.inner.append_log(token, space, body)
    }
    fn push(
        &self,
        token: &str,
        space: &SpaceId,
        body: &Push,
    ) -> Result<PushResult, TransportError> {
        self.maybe_hold(Hold::Push);
        self.inner.push(token, space, body)
    }
    fn pull(
        &self,
        token: &str,
        space: &SpaceId,
        after: u64,
        log_after: u64,
        limit: u32,
    ) -> Result<PullPage, TransportError> {
        self.maybe_hold(Hold::Pull);
        self.inner.pull(token, space, after, log_after, limit)
    }
    fn log(&self, token: &str, space: &SpaceId, after: u64) -> Result<LogPage, TransportError> {
        self.inner.log(token, space, after)
    }
    fn put_snapshot(
        &self,
        token: &str,
        space: &SpaceId,
        body: &PutSnapshot,
    ) -> Result<(), TransportError> {
        self.inner.put_snapshot(token, space, body)
    }
    fn ack(&self, token: &str, space: &SpaceId, body: &AckCursor) -> Result<(), TransportError> {
        self.inner.ack(token, space, body)
    }
    fn erase(
        &self,
        token: &str,
        space: &SpaceId,
        body: &EraseSpace,
    ) -> Result<LogHead, TransportError> {
        self.inner.erase(token, space, body)
    }
    fn rendezvous_post(&self, id: &[u8; 16], body: &RendezvousPost) -> Result<(), TransportError> {
        self.inner.rendezvous_post(id, body)
    }
    fn rendezvous_take(&self, id: &[u8; 16]) -> Result<RendezvousMessages, TransportError> {
        self.inner.rendezvous_take(id)
    }
}
