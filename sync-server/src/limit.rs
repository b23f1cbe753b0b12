//! Rate limits for what anyone may ask before signing in: challenges,
//! rendezvous posts, and (just after sign-in, but each one writes a space)
//! space creation. Each kind has token buckets per client address and one
//! for everyone together, so one address cannot fill the database and many
//! addresses together cannot either. A refusal is a 429 with `Retry-After`
//! and a plain message.
//!
//! The client address is the TCP peer's. Behind a reverse proxy every peer
//! is the proxy, so an operator who runs one says so
//! (`--trust-forwarded-for`) and the address is then the last entry of
//! `X-Forwarded-For` (the one the proxy itself appended); without the flag
//! the header is ignored, since anyone can write it. IPv6 addresses are
//! counted per /64, the block one subscriber usually holds.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use axum::http::header::RETRY_AFTER;
use axum::response::{IntoResponse, Response};
use kindred_protocol::messages::ErrorCode;

use crate::error::ApiError;

/// Most addresses tracked per kind; past it, addresses whose buckets are
/// full again are forgotten, and if that is not enough, new addresses are
/// refused until some are (the overall bucket bounds them anyway).
const MAX_TRACKED: usize = 50_000;

/// How many requests of one kind are allowed per window, per address and
/// in total. A bucket holds one window's worth and refills evenly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub per_address: u32,
    pub total: u32,
}

/// What is limited, for the message and the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Challenge,
    Rendezvous,
    CreateSpace,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Challenge => "sign-in requests",
            Kind::Rendezvous => "pairing and invite messages",
            Kind::CreateSpace => "new spaces",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(cap: f64, now: Instant) -> Bucket {
        Bucket {
            tokens: cap,
            at: now,
        }
    }

    fn refill(&mut self, cap: f64, per_sec: f64, now: Instant) {
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * per_sec).min(cap);
        self.at = now;
    }

    /// Seconds until one token is there.
    fn wait(&self, per_sec: f64) -> u64 {
        if per_sec <= 0.0 {
            return u64::MAX;
        }
        ((1.0 - self.tokens).max(0.0) / per_sec).ceil().max(1.0) as u64
    }
}

/// The buckets of one kind.
#[derive(Debug)]
pub struct Limiter {
    kind: Kind,
    limit: Limit,
    window: Duration,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    total: Bucket,
    by_address: HashMap<IpAddr, Bucket>,
}

/// A refused request: what, and how long to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub kind: Kind,
    pub retry_after_secs: u64,
    /// This address's share was used up (else everyone's together).
    pub this_address: bool,
}

impl Limiter {
    pub fn new(kind: Kind, limit: Limit, window: Duration) -> Limiter {
        let now = Instant::now();
        Limiter {
            kind,
            limit,
            window,
            inner: Mutex::new(Inner {
                total: Bucket::full(f64::from(limit.total), now),
                by_address: HashMap::new(),
            }),
        }
    }

    fn rate(&self, cap: u32) -> f64 {
        f64::from(cap) / self.window.as_secs_f64().max(0.001)
    }

    /// Takes one request's worth from `addr`'s bucket and the overall one
    /// (both or neither).
    pub fn take(&self, addr: IpAddr, now: Instant) -> Result<(), Refused> {
        let (cap_a, cap_t) = (
            f64::from(self.limit.per_address),
            f64::from(self.limit.total),
        );
        let (rate_a, rate_t) = (
            self.rate(self.limit.per_address),
            self.rate(self.limit.total),
        );
        let key = bucket_key(addr);
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if !inner.by_address.contains_key(&key) && inner.by_address.len() >= MAX_TRACKED {
            inner.by_address.retain(|_, b| {
                b.refill(cap_a, rate_a, now);
                b.tokens < cap_a
            });
            if inner.by_address.len() >= MAX_TRACKED {
                return Err(Refused {
                    kind: self.kind,
                    retry_after_secs: self.window.as_secs().max(1),
                    this_address: false,
                });
            }
        }
        inner.total.refill(cap_t, rate_t, now);
        let mine = inner
            .by_address
            .entry(key)
            .or_insert_with(|| Bucket::full(cap_a, now));
        mine.refill(cap_a, rate_a, now);
        if mine.tokens < 1.0 {
            return Err(Refused {
                kind: self.kind,
                retry_after_secs: mine.wait(rate_a),
                this_address: true,
            });
        }
        let mine_tokens = mine.tokens;
        if inner.total.tokens < 1.0 {
            return Err(Refused {
                kind: self.kind,
                retry_after_secs: inner.total.wait(rate_t),
                this_address: false,
            });
        }
        inner.total.tokens -= 1.0;
        if let Some(b) = inner.by_address.get_mut(&key) {
            b.tokens = mine_tokens - 1.0;
        }
        Ok(())
    }
}

/// IPv4 addresses as they are; IPv6 by their /64.
fn bucket_key(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V4(_) => addr,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The client's address: the TCP peer, or with `trust_forwarded_for` the
/// last `X-Forwarded-For` entry (the one the proxy appended). A request
/// with neither (only in-process tests) counts as the unspecified address.
pub fn client_address(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trust_forwarded_for: bool,
) -> IpAddr {
    if trust_forwarded_for {
        // The last entry of the last header: the one the proxy appended.
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|s| s.trim().parse::<IpAddr>().ok());
        if let Some(ip) = last {
            return ip;
        }
    }
    peer.map(|p| p.ip())
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let whose = if self.this_address {
            "from this address"
        } else {
            "reaching this relay"
        };
        let message = format!(
            "too many {} {whose} just now; try again in {} seconds",
            self.kind.what(),
            self.retry_after_secs
        );
        let mut resp = ApiError::new(ErrorCode::RateLimited, message).into_response();
        if let Ok(v) = self.retry_after_secs.to_string().parse() {
            resp.headers_mut().insert(RETRY_AFTER, v);
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_address_over_its_share_waits_and_others_go_on() {
        let l = Limiter::new(
            Kind::Challenge,
            Limit {
                per_address: 3,
                total: 100,
            },
            Duration::from_secs(60),
        );
        let t0 = Instant::now();
        for _ in 0..3 {
            l.take(ip("192.0.2.1"), t0).unwrap();
        }
        let r = l.take(ip("192.0.2.1"), t0).unwrap_err();
        assert!(r.this_address);
        assert_eq!(r.retry_after_secs, 20, "one request per 20 s refills");
        l.take(ip("192.0.2.2"), t0).unwrap();
        // A third of the window later, one more is allowed, then not.
        let later = t0 + Duration::from_secs(20);
        l.take(ip("192.0.2.1"), later).unwrap();
        assert!(l.take(ip("192.0.2.1"), later).is_err());
    }

    #[test]
    fn everyone_together_is_limited_too() {
        let l = Limiter::new(
            Kind::Rendezvous,
            Limit {
                per_address: 10,
                total: 4,
            },
            Duration::from_secs(60),
        );
        let t0 = Instant::now();
        for i in 1..=4 {
            l.take(ip(&format!("198.51.100.{i}")), t0).unwrap();
        }
        let r = l.take(ip("198.51.100.9"), t0).unwrap_err();
        assert!(!r.this_address);
        assert!(r.retry_after_secs >= 1);
    }

    #[test]
    fn ipv6_counts_per_64() {
        let l = Limiter::new(
            Kind::Challenge,
            Limit {
                per_address: 1,
                total: 100,
            },
            Duration::from_secs(60),
        );
        let t0 = Instant::now();
        l.take(ip("2001:db8:1:2::1"), t0).unwrap();
        assert!(l.take(ip("2001:db8:1:2::ffff"), t0).is_err());
        l.take(ip("2001:db8:1:3::1"), t0).unwrap();
    }

    #[test]
    fn forwarded_for_is_read_only_when_trusted() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.7, 198.51.100.3".parse().unwrap(),
        );
        let peer = Some("127.0.0.1:5000".parse().unwrap());
        assert_eq!(client_address(peer, &h, false), ip("127.0.0.1"));
        assert_eq!(client_address(peer, &h, true), ip("198.51.100.3"));
        assert_eq!(
            client_address(peer, &HeaderMap::new(), true),
            ip("127.0.0.1")
        );
    }
}
