//! A transport that counts what crosses the wire, for the benchmarks.

use std::sync::atomic::{AtomicU64, Ordering};

use kindred_core::sync::{Transport, TransportError};
use kindred_protocol::messages::*;
use kindred_protocol::{Message, SpaceId, encode};

/// Counts bytes of every request and response body (the CBOR on the
/// wire), sent and received apart, and the requests made.
pub struct Counting<'a> {
    inner: &'a dyn Transport,
    sent: AtomicU64,
    received: AtomicU64,
    requests: AtomicU64,
}

impl std::fmt::Debug for Counting<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counting")
            .field("sent", &self.sent())
            .field("received", &self.received())
            .field("requests", &self.requests())
            .finish()
    }
}

impl<'a> Counting<'a> {
    pub fn new(inner: &'a dyn Transport) -> Self {
        Counting {
            inner,
            sent: AtomicU64::new(0),
            received: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        }
    }
    /// Bytes of requests and answers so far.
    pub fn bytes(&self) -> u64 {
        self.sent() + self.received()
    }
    /// Bytes of request bodies so far.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }
    /// Bytes of answers so far.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }
    /// Requests so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }
    /// Starts counting again from zero.
    pub fn reset(&self) {
        for c in [&self.sent, &self.received, &self.requests] {
            c.store(0, Ordering::Relaxed);
        }
    }
    fn get(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }
    fn add<T: Message>(&self, m: &T) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.sent
            .fetch_add(encode(m).len() as u64, Ordering::Relaxed);
    }
    fn seen<T: Message>(&self, r: Result<T, TransportError>) -> Result<T, TransportError> {
        if let Ok(m) = &r {
            self.received
                .fetch_add(encode(m).len() as u64, Ordering::Relaxed);
        }
        r
    }
}

impl Transport for Counting<'_> {
    fn origin(&self) -> String {
        self.inner.origin()
    }
    fn challenge(&self, req: &ChallengeRequest) -> Result<Challenge, TransportError> {
        self.add(req);
        self.seen(self.inner.challenge(req))
    }
    fn token(&self, req: &TokenRequest) -> Result<Token, TransportError> {
        self.add(req);
        self.seen(self.inner.token(req))
    }
    fn create_space(&self, t: &str, b: &AppendLog) -> Result<LogHead, TransportError> {
        self.add(b);
        self.seen(self.inner.create_space(t, b))
    }
    fn append_log(&self, t: &str, s: &SpaceId, b: &AppendLog) -> Result<LogHead, TransportError> {
        self.add(b);
        self.seen(self.inner.append_log(t, s, b))
    }
    fn push(&self, t: &str, s: &SpaceId, b: &Push) -> Result<PushResult, TransportError> {
        self.add(b);
        self.seen(self.inner.push(t, s, b))
    }
    fn pull(
        &self,
        t: &str,
        s: &SpaceId,
        a: u64,
        l: u64,
        n: u32,
    ) -> Result<PullPage, TransportError> {
        self.get();
        self.seen(self.inner.pull(t, s, a, l, n))
    }
    fn spaces(&self, t: &str) -> Result<SpaceList, TransportError> {
        self.get();
        self.seen(self.inner.spaces(t))
    }
    fn log(&self, t: &str, s: &SpaceId, a: u64) -> Result<LogPage, TransportError> {
        self.get();
        self.seen(self.inner.log(t, s, a))
    }
    fn put_snapshot(&self, t: &str, s: &SpaceId, b: &PutSnapshot) -> Result<(), TransportError> {
        self.add(b);
        self.inner.put_snapshot(t, s, b)
    }
    fn exchange(
        &self,
        token: &str,
        space: &SpaceId,
        body: &Exchange,
    ) -> Result<ExchangeResult, TransportError> {
        self.add(body);
        self.seen(self.inner.exchange(token, space, body))
    }
    fn ack(&self, t: &str, s: &SpaceId, b: &AckCursor) -> Result<(), TransportError> {
        self.add(b);
        self.inner.ack(t, s, b)
    }
    fn erase(&self, t: &str, s: &SpaceId, b: &EraseSpace) -> Result<LogHead, TransportError> {
        self.add(b);
        self.seen(self.inner.erase(t, s, b))
    }
    fn rendezvous_post(&self, id: &[u8; 16], b: &RendezvousPost) -> Result<(), TransportError> {
        self.add(b);
        self.inner.rendezvous_post(id, b)
    }
    fn rendezvous_take(&self, id: &[u8; 16]) -> Result<RendezvousMessages, TransportError> {
        self.get();
        self.seen(self.inner.rendezvous_take(id))
    }
}
