//! Attacks on and through the relay's HTTP surface (issue 13, item 8), each
//! against a real `kindred-server` process: floods before sign-in, a
//! sign-in replayed from one relay at another, metrics read by strangers,
//! a removed device listening for hints, and devices talking plain HTTP.
#![allow(clippy::unwrap_used)]

use std::net::IpAddr;
use std::time::{Duration, Instant};

use kindred_core::sync::{HttpTransport, LiveEvent, LiveHints, RelayAddressError, TransportError};
use kindred_protocol::messages::*;
use kindred_protocol::origin::canonical_origin;
use kindred_protocol::*;
use kindred_tests::api::{RawApi, Resp, path, push};
use kindred_tests::server::{METRICS_TOKEN, ServerProcess};
use kindred_tests::signer::{Dev, wrapped};

/// A raw client whose connections come from `local` (any 127.x address
/// reaches a relay on 127.0.0.1, each as its own client address).
fn client_from(url: &str, local: &str) -> RawApi {
    let mut api = RawApi::new(url);
    api.http = reqwest::blocking::Client::builder()
        .local_address(local.parse::<IpAddr>().unwrap())
        .build()
        .unwrap();
    api
}

fn challenge(api: &RawApi, d: &Dev) -> Resp {
    api.post(
        "/v1/auth/challenge",
        None,
        encode(&ChallengeRequest {
            v: PROTOCOL_VERSION,
            device: d.key(),
        }),
    )
}

fn retry_after(r: &reqwest::blocking::Response) -> u64 {
    r.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a 429 says when to try again: {:?}", r.headers()))
}

#[test]
fn a_flood_of_challenges_gets_429_and_the_relay_still_serves_others_and_later() {
    let server = ServerProcess::start_with(&[
        ("KINDRED_LIMIT_CHALLENGES_PER_ADDRESS", "3"),
        ("KINDRED_LIMIT_WINDOW_SECS", "2"),
    ]);
    let flooder = client_from(&server.url, "127.0.0.1");
    let d = Dev::new();
    for _ in 0..3 {
        challenge(&flooder, &d).ok::<Challenge>();
    }
    let r = flooder
        .http
        .post(format!("{}/v1/auth/challenge", server.url))
        .body(encode(&ChallengeRequest {
            v: PROTOCOL_VERSION,
            device: d.key(),
        }))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    let wait = retry_after(&r);
    assert!((1..=2).contains(&wait), "{wait}");
    let body = decode::<ErrorBody>(&r.bytes().unwrap()).unwrap();
    assert_eq!(body.code, ErrorCode::RateLimited);
    assert!(
        body.message.contains("sign-in requests from this address")
            && body.message.contains("try again in"),
        "{}",
        body.message
    );
    // The flood wrote nothing past its share: one device keeps at most a
    // few open challenges whatever it asks.
    let rows: i64 = server
        .db()
        .query_row("SELECT COUNT(*) FROM challenges", [], |r| r.get(0))
        .unwrap();
    assert!(rows <= 3, "{rows} challenge rows");
    // Another address is served at once, and signs in.
    let other = client_from(&server.url, "127.0.0.2");
    let tok = other.token(&Dev::new());
    assert!(!tok.is_empty());
    // After the window the flooder's address is served again.
    std::thread::sleep(Duration::from_secs(wait));
    challenge(&flooder, &d).ok::<Challenge>();
}

#[test]
fn rendezvous_posts_and_new_spaces_are_limited_per_address_and_overall() {
    let server = ServerProcess::start_with(&[
        ("KINDRED_LIMIT_RENDEZVOUS_PER_ADDRESS", "2"),
        ("KINDRED_LIMIT_RENDEZVOUS_TOTAL", "3"),
        ("KINDRED_LIMIT_SPACES_PER_ADDRESS", "1"),
        ("KINDRED_LIMIT_WINDOW_SECS", "600"),
    ]);
    let a = client_from(&server.url, "127.0.0.1");
    let b = client_from(&server.url, "127.0.0.3");
    let post = |api: &RawApi, n: u8| {
        api.post(
            &format!("/v1/rendezvous/{}", SpaceId([n; 16]).to_hex()),
            None,
            encode(&RendezvousPost {
                v: PROTOCOL_VERSION,
                payload: Bytes(vec![n; 8]),
            }),
        )
    };
    assert_eq!(post(&a, 1).status, 204);
    assert_eq!(post(&a, 2).status, 204);
    post(&a, 3).err(429, ErrorCode::RateLimited);
    // Another address has its own share, until everyone's together is used.
    assert_eq!(post(&b, 4).status, 204);
    let over = post(&b, 5);
    over.err(429, ErrorCode::RateLimited);
    let words = decode::<ErrorBody>(&over.body).unwrap().message;
    assert!(words.contains("reaching this relay"), "{words}");
    let held: i64 = server
        .db()
        .query_row("SELECT COUNT(*) FROM rendezvous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(held, 3, "refused posts stored nothing");

    // Space creation: one per address in this window.
    let (d, e) = (Dev::new(), Dev::new());
    let (td, te) = (a.token(&d), b.token(&e));
    let create = |api: &RawApi, tok: &str, dev: &Dev| {
        api.post(
            "/v1/spaces",
            Some(tok),
            encode(&AppendLog {
                v: PROTOCOL_VERSION,
                entry: dev.genesis(dev.new_space()),
            }),
        )
    };
    assert_eq!(create(&a, &td, &d).status, 201);
    let before = server.counts();
    create(&a, &td, &d).err(429, ErrorCode::RateLimited);
    assert_eq!(server.counts(), before, "a refused creation wrote nothing");
    assert_eq!(create(&b, &te, &e).status, 201);
}

#[test]
fn forwarded_for_is_not_trusted_unless_the_operator_says_so() {
    let server = ServerProcess::start_with(&[
        ("KINDRED_LIMIT_CHALLENGES_PER_ADDRESS", "2"),
        ("KINDRED_LIMIT_WINDOW_SECS", "600"),
    ]);
    let api = RawApi::new(&server.url);
    let d = Dev::new();
    // Each request claims another address: all count as the peer's.
    for (i, expect) in [(1, 200), (2, 200), (3, 429)] {
        let r = api.send(
            api.http
                .post(format!("{}/v1/auth/challenge", server.url))
                .header("x-forwarded-for", format!("198.51.100.{i}"))
                .body(encode(&ChallengeRequest {
                    v: PROTOCOL_VERSION,
                    device: d.key(),
                })),
        );
        assert_eq!(r.status, expect, "request {i}");
    }
    // Behind a proxy the operator trusts the header's last entry.
    let proxied = ServerProcess::start_with(&[
        ("KINDRED_LIMIT_CHALLENGES_PER_ADDRESS", "1"),
        ("KINDRED_LIMIT_WINDOW_SECS", "600"),
        ("KINDRED_TRUST_FORWARDED_FOR", "true"),
    ]);
    let api = RawApi::new(&proxied.url);
    let via = |client: &str| {
        api.send(
            api.http
                .post(format!("{}/v1/auth/challenge", proxied.url))
                .header("x-forwarded-for", format!("203.0.113.250, {client}"))
                .body(encode(&ChallengeRequest {
                    v: PROTOCOL_VERSION,
                    device: d.key(),
                })),
        )
        .status
    };
    assert_eq!(via("198.51.100.1"), 200);
    assert_eq!(via("198.51.100.1"), 429);
    assert_eq!(via("198.51.100.2"), 200);
}

/// A sign-in as a malicious relay would replay it: it asks relay B for a
/// challenge for the victim's key, hands the nonce to the victim as its
/// own, and forwards the victim's answer (signed for relay A) to B.
#[test]
fn a_sign_in_made_for_one_relay_is_refused_at_another() {
    let (a, b) = (ServerProcess::start(), ServerProcess::start());
    let api_b = RawApi::new(&b.url);
    let victim = Dev::new();
    let sign_in = |origin: &str, signed_for: &str| {
        let ch: Challenge = challenge(&api_b, &victim).ok();
        let sig = victim.sign(&TokenRequest::signing_bytes(
            &victim.key(),
            &ch.nonce,
            signed_for,
        ));
        api_b.post(
            "/v1/auth/token",
            None,
            encode(&TokenRequest {
                v: PROTOCOL_VERSION,
                device: victim.key(),
                nonce: ch.nonce,
                origin: origin.to_owned(),
                sig,
            }),
        )
    };
    let origin_a = canonical_origin(&a.url).unwrap();
    let origin_b = canonical_origin(&b.url).unwrap();
    let before = b.counts();
    // Forwarded as it is: B says whom it was meant for.
    let r = sign_in(&origin_a, &origin_a);
    r.err(403, ErrorCode::BadSignature);
    let words = decode::<ErrorBody>(&r.body).unwrap().message;
    assert!(
        words.contains(&origin_a) && words.contains(&origin_b),
        "{words}"
    );
    // With B's origin written over A's, the signature no longer verifies.
    sign_in(&origin_b, &origin_a).err(403, ErrorCode::BadSignature);
    assert_eq!(b.counts(), before, "no token was issued");
    // Signed for B itself, it works; and a device on this computer may
    // call B localhost as well.
    let ok: Token = sign_in(&origin_b, &origin_b).ok();
    assert!(!ok.token.is_empty());
    let port = b.addr.rsplit(':').next().unwrap();
    let local = canonical_origin(&format!("http://localhost:{port}")).unwrap();
    let ok: Token = sign_in(&local, &local).ok();
    assert!(!ok.token.is_empty());
}

#[test]
fn a_relay_told_its_public_origin_refuses_sign_ins_for_its_listen_address() {
    let server =
        ServerProcess::start_with(&[("KINDRED_PUBLIC_ORIGIN", "https://relay.example.org")]);
    let api = RawApi::new(&server.url);
    let d = Dev::new();
    let ch: Challenge = challenge(&api, &d).ok();
    let origin = canonical_origin(&server.url).unwrap();
    let sig = d.sign(&TokenRequest::signing_bytes(&d.key(), &ch.nonce, &origin));
    let r = api.post(
        "/v1/auth/token",
        None,
        encode(&TokenRequest {
            v: PROTOCOL_VERSION,
            device: d.key(),
            nonce: ch.nonce,
            origin,
            sig,
        }),
    );
    r.err(403, ErrorCode::BadSignature);
    let words = decode::<ErrorBody>(&r.body).unwrap().message;
    assert!(words.contains("https://relay.example.org"), "{words}");
    // The signed-for origin is what counts.
    let ch: Challenge = challenge(&api, &d).ok();
    let origin = "https://relay.example.org".to_owned();
    let sig = d.sign(&TokenRequest::signing_bytes(&d.key(), &ch.nonce, &origin));
    let t: Token = api
        .post(
            "/v1/auth/token",
            None,
            encode(&TokenRequest {
                v: PROTOCOL_VERSION,
                device: d.key(),
                nonce: ch.nonce,
                origin,
                sig,
            }),
        )
        .ok();
    assert!(!t.token.is_empty());
}

#[test]
fn metrics_are_not_on_the_public_port_without_the_token() {
    // No token set: not there at all.
    let bare = ServerProcess::start_with(&[("KINDRED_METRICS_TOKEN", "")]);
    RawApi::new(&bare.url)
        .get("/metrics", None)
        .err(404, ErrorCode::NotFound);
    // With one: refused without it or with another, served with it.
    let server = ServerProcess::start();
    let api = RawApi::new(&server.url);
    api.get("/metrics", None)
        .err(401, ErrorCode::Unauthenticated);
    api.get("/metrics", Some("not-the-token"))
        .err(401, ErrorCode::Unauthenticated);
    let r = api.get("/metrics", Some(METRICS_TOKEN));
    assert_eq!(r.status, 200);
    assert!(String::from_utf8(r.body).unwrap().contains("kindred_"));
    // On a separate listen address: there, and still not on the public one.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let listen = format!("127.0.0.1:{port}");
    let split = ServerProcess::start_with(&[
        ("KINDRED_METRICS_TOKEN", ""),
        ("KINDRED_METRICS_LISTEN", &listen),
    ]);
    RawApi::new(&split.url)
        .get("/metrics", None)
        .err(404, ErrorCode::NotFound);
    let r = RawApi::new(&format!("http://{listen}")).get("/metrics", None);
    assert_eq!(r.status, 200);
    assert!(String::from_utf8(r.body).unwrap().contains("kindred_"));
}

/// Waits for a hint for `space`, up to `within`.
fn hinted(live: &mut LiveHints, space: SpaceId, within: Duration) -> bool {
    let until = Instant::now() + within;
    while Instant::now() < until {
        match live.next(Duration::from_millis(300)).unwrap() {
            LiveEvent::Changed { space: s, .. } if s == space.to_hex() => return true,
            _ => {}
        }
    }
    false
}

#[test]
fn a_removed_device_hears_no_more_hints() {
    let server = ServerProcess::start();
    let api = RawApi::new(&server.url);
    let (a, b, c) = (Dev::new(), Dev::new(), Dev::new());
    let (ta, tb, tc) = (api.token(&a), api.token(&b), api.token(&c));
    let space = api.space(&a, &ta, &[&b, &c]);
    let mut live_b = LiveHints::connect(&server.url, &tb).unwrap();
    let mut live_c = LiveHints::connect(&server.url, &tc).unwrap();
    let r = api.post(
        &path(space, "changes"),
        Some(&ta),
        push(vec![a.envelope(space, 1, vec![1])]),
    );
    assert_eq!(r.status, 200);
    assert!(hinted(&mut live_b, space, Duration::from_secs(5)));
    assert!(hinted(&mut live_c, space, Duration::from_secs(5)));
    // A removes B (rotating the key for A and C).
    let page: PullPage = api.get(&path(space, "pull"), Some(&ta)).ok();
    let head = page.log.last().unwrap().hash();
    let (seq, head) = api.ask_removal(&a, &ta, space, page.log.len() as u64, head, &b);
    let keys = [&a, &c]
        .iter()
        .map(|d| KeyFor {
            device: d.key(),
            key: wrapped(),
            sealed_label: Bytes(vec![]),
        })
        .collect();
    let remove = a.entry(
        space,
        seq,
        head,
        Action::RemoveDevice {
            device: b.key(),
            epoch: 2,
            keys,
            bounds: [&a, &b, &c].iter().flat_map(|d| d.bounds(space)).collect(),
            confirm: Hash([0; 32]),
            lost: false,
            at: 0,
        },
    );
    let _: LogHead = api
        .post(
            &path(space, "log"),
            Some(&ta),
            encode(&AppendLog {
                v: PROTOCOL_VERSION,
                entry: remove,
            }),
        )
        .ok();
    // The next change: C hears of it, B (still connected) does not.
    let r = api.post(
        &path(space, "changes"),
        Some(&ta),
        push(vec![a.envelope_in(space, 2, 2, vec![2])]),
    );
    assert_eq!(r.status, 200, "{:?}", decode::<ErrorBody>(&r.body));
    assert!(hinted(&mut live_c, space, Duration::from_secs(5)));
    assert!(
        !hinted(&mut live_b, space, Duration::from_secs(2)),
        "a removed device was told of a change"
    );
    live_b.close();
    live_c.close();
}

#[test]
fn devices_refuse_plain_http_except_on_loopback() {
    for plain in ["http://relay.example.org", "http://192.168.1.20:8787"] {
        let e = HttpTransport::new(plain).unwrap_err();
        assert!(
            matches!(e, TransportError::Address(RelayAddressError::PlainHttp)),
            "{plain}: {e}"
        );
        assert!(e.to_string().contains("https://"), "{e}");
        assert!(HttpTransport::with_policy(plain, true).is_ok(), "{plain}");
    }
    let server = ServerProcess::start();
    let port = server.addr.rsplit(':').next().unwrap();
    // A real sync over loopback, under each of its names.
    for url in [server.url.clone(), format!("http://localhost:{port}")] {
        let t = HttpTransport::new(&url).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut k = kindred_tests::devices::device(dir.path(), "phone");
        k.set_server(&url).unwrap();
        let report = k.sync(&t).unwrap();
        assert!(report.all_synced(), "{url}: {:?}", report.failed);
        assert!(!report.spaces.is_empty(), "{url}");
    }
}
