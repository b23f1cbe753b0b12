//! The HTTP transport: reqwest (blocking) over rustls with ring's
//! provider, installed once, so the device links one crypto library.

use std::sync::Once;
use std::time::Duration;

use kindred_protocol::messages::*;
use kindred_protocol::{Message, SpaceId, decode, encode};

use super::transport::{Transport, TransportError};

static PROVIDER: Once = Once::new();

/// Installs ring as rustls's crypto provider, once per process. Anything
/// else in the process that builds a TLS client must call this first.
pub fn install_provider() {
    PROVIDER.call_once(|| {
        // Fails only if another provider was installed first; either way
        // a provider is installed afterwards.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Talks to one relay over HTTP(S).
#[derive(Debug, Clone)]
pub struct HttpTransport {
    base: String,
    origin: String,
    client: reqwest::blocking::Client,
}

const CBOR: &str = "application/cbor";

impl HttpTransport {
    /// A transport for the relay at `base` (e.g. `https://relay.example`);
    /// plain `http://` only on loopback ([`super::check_relay_url`]).
    pub fn new(base: &str) -> Result<HttpTransport, TransportError> {
        Self::with_policy(base, false)
    }

    /// Same, allowing plain `http://` anywhere when `allow_insecure_http`
    /// (the person's explicit choice).
    pub fn with_policy(
        base: &str,
        allow_insecure_http: bool,
    ) -> Result<HttpTransport, TransportError> {
        let origin = super::check_relay_url(base, allow_insecure_http)?.to_string();
        install_provider();
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|_| TransportError::Unreachable)?;
        Ok(HttpTransport {
            base: base.trim().trim_end_matches('/').to_owned(),
            origin,
            client,
        })
    }

    fn send<T: Message>(
        &self,
        req: reqwest::blocking::RequestBuilder,
    ) -> Result<T, TransportError> {
        let bytes = self.send_raw(req)?;
        Ok(decode::<T>(&bytes)?)
    }

    fn send_raw(&self, req: reqwest::blocking::RequestBuilder) -> Result<Vec<u8>, TransportError> {
        let resp = req.send().map_err(|_| TransportError::Unreachable)?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .map_err(|_| TransportError::Unreachable)?
            .to_vec();
        if status.is_success() {
            return Ok(bytes);
        }
        match decode::<ErrorBody>(&bytes) {
            Ok(e) => Err(TransportError::Rejected {
                status: status.as_u16(),
                code: e.code,
                message: e.message,
            }),
            Err(_) if status.is_server_error() => Err(TransportError::Unreachable),
            Err(_) => Err(TransportError::Rejected {
                status: status.as_u16(),
                code: ErrorCode::Malformed,
                message: format!("HTTP {status}"),
            }),
        }
    }

    fn post<B: Message>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &B,
    ) -> reqwest::blocking::RequestBuilder {
        let mut r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", CBOR)
            .body(encode(body));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r
    }
}

impl Transport for HttpTransport {
    fn origin(&self) -> String {
        self.origin.clone()
    }

    fn challenge(&self, req: &ChallengeRequest) -> Result<Challenge, TransportError> {
        self.send(self.post("/v1/auth/challenge", None, req))
    }

    fn token(&self, req: &TokenRequest) -> Result<Token, TransportError> {
        self.send(self.post("/v1/auth/token", None, req))
    }

    fn create_space(&self, token: &str, body: &AppendLog) -> Result<LogHead, TransportError> {
        self.send(self.post("/v1/spaces", Some(token), body))
    }

    fn append_log(
        &self,
        token: &str,
        space: &SpaceId,
        body: &AppendLog,
    ) -> Result<LogHead, TransportError> {
        self.send(self.post(
            &format!("/v1/spaces/{}/log", space.to_hex()),
            Some(token),
            body,
        ))
    }

    fn erase(
        &self,
        token: &str,
        space: &SpaceId,
        body: &EraseSpace,
    ) -> Result<LogHead, TransportError> {
        self.send(self.post(
            &format!("/v1/spaces/{}/erase", space.to_hex()),
            Some(token),
            body,
        ))
    }

    fn push(
        &self,
        token: &str,
        space: &SpaceId,
        body: &Push,
    ) -> Result<PushResult, TransportError> {
        self.send(self.post(
            &format!("/v1/spaces/{}/changes", space.to_hex()),
            Some(token),
            body,
        ))
    }

    fn pull(
        &self,
        token: &str,
        space: &SpaceId,
        after: u64,
        log_after: u64,
        limit: u32,
    ) -> Result<PullPage, TransportError> {
        let url = format!(
            "{}/v1/spaces/{}/pull?after={after}&log_after={log_after}&limit={limit}",
            self.base,
            space.to_hex()
        );
        self.send(self.client.get(url).bearer_auth(token))
    }

    fn exchange(
        &self,
        token: &str,
        space: &SpaceId,
        body: &Exchange,
    ) -> Result<ExchangeResult, TransportError> {
        self.send(self.post(
            &format!("/v1/spaces/{}/exchange", space.to_hex()),
            Some(token),
            body,
        ))
    }

    fn spaces(&self, token: &str) -> Result<SpaceList, TransportError> {
        let url = format!("{}/v1/spaces", self.base);
        self.send(self.client.get(url).bearer_auth(token))
    }

    fn log(&self, token: &str, space: &SpaceId, after: u64) -> Result<LogPage, TransportError> {
        let url = format!(
            "{}/v1/spaces/{}/log?after={after}",
            self.base,
            space.to_hex()
        );
        self.send(self.client.get(url).bearer_auth(token))
    }

    fn put_snapshot(
        &self,
        token: &str,
        space: &SpaceId,
        body: &PutSnapshot,
    ) -> Result<(), TransportError> {
        let req = self
            .client
            .put(format!(
                "{}/v1/spaces/{}/snapshot",
                self.base,
                space.to_hex()
            ))
            .header("content-type", CBOR)
            .bearer_auth(token)
            .body(encode(body));
        self.send_raw(req).map(|_| ())
    }

    fn ack(&self, token: &str, space: &SpaceId, body: &AckCursor) -> Result<(), TransportError> {
        self.send_raw(self.post(
            &format!("/v1/spaces/{}/ack", space.to_hex()),
            Some(token),
            body,
        ))
        .map(|_| ())
    }

    fn rendezvous_post(&self, id: &[u8; 16], body: &RendezvousPost) -> Result<(), TransportError> {
        let hex = kindred_protocol::SpaceId(*id).to_hex();
        self.send_raw(self.post(&format!("/v1/rendezvous/{hex}"), None, body))
            .map(|_| ())
    }

    fn rendezvous_take(&self, id: &[u8; 16]) -> Result<RendezvousMessages, TransportError> {
        let hex = kindred_protocol::SpaceId(*id).to_hex();
        self.send(
            self.client
                .get(format!("{}/v1/rendezvous/{hex}", self.base)),
        )
    }
}
