//! A relay's origin: the scheme, host and port a device believes it talks
//! to, in one canonical spelling. The auth signature covers it
//! ([`crate::messages::TokenRequest::signing_bytes`]) so a signature a
//! device made for one relay cannot be replayed at another; devices also
//! use it to refuse plain `http://` anywhere but on loopback.
//!
//! Canonical form: lower-case scheme (`http` or `https`) and host, the
//! port only when it is not the scheme's default, IPv6 addresses in their
//! shortest form in brackets, no user, path, query or trailing dot. So
//! `HTTPS://Relay.Example.org:443/kindred/` is `https://relay.example.org`.
//! A path is not part of it: two relays behind one host name share an
//! operator, and the operator is who the binding is about.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest relay address accepted.
pub const MAX_URL: usize = 512;

/// A parsed, canonical relay origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    https: bool,
    host: Host,
    port: Option<u16>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Host {
    Name(String),
    V4(Ipv4Addr),
    V6(Ipv6Addr),
}

/// Why an address is not a relay origin.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    #[error("the address must start with https:// (or http:// for this computer itself)")]
    Scheme,
    #[error("the address has no host name after the ://")]
    NoHost,
    #[error("the address's host name has characters a host name cannot have")]
    BadHost,
    #[error("the address's port is not a number from 1 to 65535")]
    BadPort,
    #[error("the address must not carry a user name or password")]
    UserInfo,
    #[error("the address is longer than 512 characters")]
    TooLong,
}

impl Origin {
    /// Parses a relay address (`https://host[:port][/path]`).
    pub fn parse(url: &str) -> Result<Origin, OriginError> {
        let url = url.trim();
        if url.len() > MAX_URL {
            return Err(OriginError::TooLong);
        }
        let (scheme, rest) = url.split_once("://").ok_or(OriginError::Scheme)?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(OriginError::Scheme),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            return Err(OriginError::UserInfo);
        }
        if authority.is_empty() {
            return Err(OriginError::NoHost);
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (addr, after) = v6.split_once(']').ok_or(OriginError::BadHost)?;
            let ip: Ipv6Addr = addr.parse().map_err(|_| OriginError::BadHost)?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or(OriginError::BadPort)?),
            };
            (Host::V6(ip), port)
        } else {
            let (name, port) = match authority.rsplit_once(':') {
                Some((n, p)) => (n, Some(p)),
                None => (authority, None),
            };
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name.is_empty() {
                return Err(OriginError::NoHost);
            }
            let host = match name.parse::<Ipv4Addr>() {
                Ok(ip) => Host::V4(ip),
                Err(_) => {
                    let ok = name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
                        && !name.starts_with(['-', '.'])
                        && !name.contains("..");
                    if !ok {
                        return Err(OriginError::BadHost);
                    }
                    Host::Name(name)
                }
            };
            (host, port)
        };
        let port = match port {
            None => None,
            Some(p) => {
                let n: u16 = p
                    .parse()
                    .ok()
                    .filter(|&n| n != 0 && !p.starts_with('+'))
                    .ok_or(OriginError::BadPort)?;
                let default = if https { 443 } else { 80 };
                (n != default).then_some(n)
            }
        };
        Ok(Origin { https, host, port })
    }

    /// True for `https://`.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// True if the host is this computer: `localhost`, 127.0.0.0/8, `::1`.
    pub fn is_loopback(&self) -> bool {
        match &self.host {
            Host::Name(n) => n == "localhost",
            Host::V4(ip) => ip.is_loopback(),
            Host::V6(ip) => ip.is_loopback(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.https { "https://" } else { "http://" })?;
        match &self.host {
            Host::Name(n) => f.write_str(n)?,
            Host::V4(ip) => write!(f, "{ip}")?,
            Host::V6(ip) => write!(f, "[{ip}]")?,
        }
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        Ok(())
    }
}

/// The canonical origin of a relay address, or why it is not one.
pub fn canonical_origin(url: &str) -> Result<String, OriginError> {
    Origin::parse(url).map(|o| o.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_relay_have_one_origin() {
        for url in [
            "https://relay.example.org",
            "HTTPS://Relay.Example.org:443/kindred/",
            "https://relay.example.org./?x=1",
            " https://relay.example.org#top ",
        ] {
            assert_eq!(
                canonical_origin(url).unwrap(),
                "https://relay.example.org",
                "{url}"
            );
        }
        assert_eq!(
            canonical_origin("http://127.0.0.1:8787/").unwrap(),
            "http://127.0.0.1:8787"
        );
        assert_eq!(
            canonical_origin("http://[0:0:0:0:0:0:0:1]:80").unwrap(),
            "http://[::1]"
        );
        assert_eq!(
            canonical_origin("https://relay.example.org:8443").unwrap(),
            "https://relay.example.org:8443"
        );
    }

    #[test]
    fn different_relays_have_different_origins() {
        let a = canonical_origin("https://a.example.org").unwrap();
        assert_ne!(a, canonical_origin("https://b.example.org").unwrap());
        assert_ne!(a, canonical_origin("http://a.example.org").unwrap());
        assert_ne!(a, canonical_origin("https://a.example.org:8443").unwrap());
    }

    #[test]
    fn what_is_not_a_relay_address_is_refused() {
        use OriginError::*;
        for (url, e) in [
            ("relay.example.org", Scheme),
            ("ftp://relay.example.org", Scheme),
            ("https://", NoHost),
            ("https:///path", NoHost),
            ("https://user:pw@relay.example.org", UserInfo),
            ("https://relay example.org", BadHost),
            ("https://relay.example.org:0", BadPort),
            ("https://relay.example.org:99999", BadPort),
            ("https://relay.example.org:+80", BadPort),
            ("https://[::1", BadHost),
            ("https://[::1]x", BadPort),
        ] {
            assert_eq!(Origin::parse(url), Err(e), "{url}");
        }
        assert_eq!(
            Origin::parse(&format!("https://{}", "a".repeat(600))),
            Err(TooLong)
        );
    }

    #[test]
    fn loopback_is_localhost_127_and_v6_one() {
        for url in [
            "http://localhost:8787",
            "http://LOCALHOST",
            "http://127.0.0.1:1",
            "http://127.5.6.7",
            "http://[::1]:9",
        ] {
            assert!(Origin::parse(url).unwrap().is_loopback(), "{url}");
        }
        for url in [
            "http://10.0.0.1",
            "http://192.168.1.5:8787",
            "http://localhost.example.org",
            "http://128.0.0.1",
            "http://[::2]",
            "http://relay.example.org",
        ] {
            assert!(!Origin::parse(url).unwrap().is_loopback(), "{url}");
        }
    }
}
