//! Live hints: a WebSocket to the relay's `/v1/live` that says "space S
//! has changes up to seq N", so a watching device pulls at once instead of
//! waiting for its next poll. A hint carries no content and is only a
//! nudge: the pull that follows is verified as always, and a missed hint
//! costs one poll interval, nothing more.
//!
//! Blocking, like the HTTP transport: one socket, read with a timeout.
//! TLS (for `https://` relays) is rustls on ring with the platform's
//! certificate verifier, the same stack as the HTTP transport.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use kindred_protocol::decode;
use kindred_protocol::messages::Hint;
use rustls_platform_verifier::ConfigVerifierExt;

use super::transport::TransportError;

/// A byte stream to the relay: plain TCP on loopback and test setups, TLS
/// everywhere else.
trait Stream: Read + Write + Send {
    fn set_timeout(&self, t: Option<Duration>) -> std::io::Result<()>;
}

impl Stream for TcpStream {
    fn set_timeout(&self, t: Option<Duration>) -> std::io::Result<()> {
        self.set_read_timeout(t)
    }
}

impl Stream for rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    fn set_timeout(&self, t: Option<Duration>) -> std::io::Result<()> {
        self.sock.set_read_timeout(t)
    }
}

/// An open live-hint connection.
pub struct LiveHints {
    socket: tungstenite::WebSocket<Box<dyn Stream>>,
}

impl std::fmt::Debug for LiveHints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LiveHints")
    }
}

/// What waiting for a hint gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// The relay has changes for this space (hex id) up to `seq`.
    Changed { space: String, seq: u64 },
    /// Nothing within the wait.
    Quiet,
}

impl LiveHints {
    /// Opens `/v1/live` on the relay at `base` (`http://` or `https://`),
    /// authenticated with a bearer token from [`crate::Kindred::relay_token`].
    /// Plain `http://` only on loopback ([`super::check_relay_url`]).
    pub fn connect(base: &str, token: &str) -> Result<LiveHints, TransportError> {
        Self::connect_with_policy(base, token, false)
    }

    /// Same, allowing plain `http://` anywhere when `allow_insecure_http`
    /// (the person's explicit choice, kept with the relay address).
    pub fn connect_with_policy(
        base: &str,
        token: &str,
        allow_insecure_http: bool,
    ) -> Result<LiveHints, TransportError> {
        if !base.contains("://") {
            return Err(TransportError::Unreachable);
        }
        super::check_relay_url(base, allow_insecure_http)?;
        super::http::install_provider();
        let base = base.trim_end_matches('/');
        let (tls, rest) = if let Some(r) = base.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = base.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(TransportError::Unreachable);
        };
        let authority = rest.split('/').next().unwrap_or(rest);
        let host = host_of(authority);
        let addr = if authority.contains(':') && !authority.ends_with(']') {
            authority.to_owned()
        } else {
            format!("{authority}:{}", if tls { 443 } else { 80 })
        };
        let sock_addr = addr
            .to_socket_addrs()
            .map_err(|_| TransportError::Unreachable)?
            .next()
            .ok_or(TransportError::Unreachable)?;
        let tcp = TcpStream::connect_timeout(&sock_addr, Duration::from_secs(10))
            .map_err(|_| TransportError::Unreachable)?;
        let _ = tcp.set_nodelay(true);
        tcp.set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|_| TransportError::Unreachable)?;
        let stream: Box<dyn Stream> = if tls {
            let config = rustls::ClientConfig::with_platform_verifier()
                .map_err(|_| TransportError::Unreachable)?;
            let name = rustls::pki_types::ServerName::try_from(host.to_owned())
                .map_err(|_| TransportError::Unreachable)?;
            let conn = rustls::ClientConnection::new(Arc::new(config), name)
                .map_err(|_| TransportError::Unreachable)?;
            Box::new(rustls::StreamOwned::new(conn, tcp))
        } else {
            Box::new(tcp)
        };
        let url = format!("{}://{rest}/v1/live", if tls { "wss" } else { "ws" });
        let mut req = tungstenite::client::IntoClientRequest::into_client_request(url.as_str())
            .map_err(|_| TransportError::Unreachable)?;
        let auth = format!("Bearer {token}")
            .parse()
            .map_err(|_| TransportError::Unreachable)?;
        req.headers_mut().insert("authorization", auth);
        match tungstenite::client::client(req, stream) {
            Ok((socket, _)) => Ok(LiveHints { socket }),
            Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(resp))) => {
                let status = resp.status().as_u16();
                let body = resp.body().as_deref().unwrap_or_default();
                Err(
                    match decode::<kindred_protocol::messages::ErrorBody>(body) {
                        Ok(e) => TransportError::Rejected {
                            status,
                            code: e.code,
                            message: e.message,
                        },
                        Err(_) => TransportError::Unreachable,
                    },
                )
            }
            Err(_) => Err(TransportError::Unreachable),
        }
    }

    /// Waits up to `wait` for the next hint. An error means the connection
    /// is gone: reconnect (with a fresh token) or fall back to polling.
    pub fn next(&mut self, wait: Duration) -> Result<LiveEvent, TransportError> {
        self.socket
            .get_ref()
            .set_timeout(Some(wait.max(Duration::from_millis(1))))
            .map_err(|_| TransportError::Unreachable)?;
        loop {
            match self.socket.read() {
                Ok(tungstenite::Message::Binary(bytes)) => {
                    // A hint that does not decode is ignored, not trusted:
                    // the worst a bad hint can do is cause a pull.
                    if let Ok(h) = decode::<Hint>(&bytes) {
                        return Ok(LiveEvent::Changed {
                            space: h.space.to_hex(),
                            seq: h.seq,
                        });
                    }
                }
                Ok(tungstenite::Message::Close(_)) => return Err(TransportError::Unreachable),
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return Ok(LiveEvent::Quiet);
                }
                Err(_) => return Err(TransportError::Unreachable),
            }
        }
    }

    /// Closes the connection politely.
    pub fn close(mut self) {
        let _ = self.socket.close(None);
        let _ = self.socket.flush();
    }
}

/// The host part of `host:port`, `[v6]:port`, `host` or `[v6]`.
fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    authority.split(':').next().unwrap_or(authority)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_taken_from_authorities() {
        assert_eq!(host_of("relay.example:8443"), "relay.example");
        assert_eq!(host_of("relay.example"), "relay.example");
        assert_eq!(host_of("[::1]:8787"), "::1");
        assert_eq!(host_of("127.0.0.1:8787"), "127.0.0.1");
    }

    #[test]
    fn a_url_without_a_scheme_is_refused() {
        assert!(matches!(
            LiveHints::connect("relay.example", "t"),
            Err(TransportError::Unreachable)
        ));
    }

    #[test]
    fn plain_http_elsewhere_is_refused_before_connecting() {
        assert!(matches!(
            LiveHints::connect("http://relay.example.org", "t"),
            Err(TransportError::Address(
                super::super::RelayAddressError::PlainHttp
            ))
        ));
    }

    #[test]
    fn nothing_listening_is_unreachable() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        drop(l);
        assert!(matches!(
            LiveHints::connect(&format!("http://{addr}"), "t"),
            Err(TransportError::Unreachable)
        ));
    }
}
