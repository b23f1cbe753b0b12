//! Which relay addresses a device will talk to. Everything a device sends
//! is sealed end to end, but its sign-in, its bearer token and the sizes
//! and timing of its changes are not, and a relay reached over plain
//! `http://` can be impersonated by anyone on the path. So a device talks
//! `https://` only, except to a relay on this computer (`localhost`,
//! 127.0.0.0/8, `::1`), unless the person said otherwise in so many words
//! (the CLI's `--insecure-http`, an app setting) for a test network.

use kindred_protocol::origin::{Origin, OriginError};

/// Why a relay address is refused. The words say what to do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RelayAddressError {
    /// Not a relay address at all.
    #[error("that is not a sync server address: {0}")]
    Invalid(#[from] OriginError),
    /// Plain `http://` to another computer.
    #[error(
        "that address starts with http://, so anyone on the network could read the sign-in and pretend to be the sync server; use its https:// address (plain http:// is only for a sync server on this computer: localhost or 127.0.0.1)"
    )]
    PlainHttp,
}

/// The relay's origin if this device may use `url`: `https://`, or
/// `http://` on loopback, or any `http://` when `allow_http` (the
/// person's explicit choice).
pub fn check_relay_url(url: &str, allow_http: bool) -> Result<Origin, RelayAddressError> {
    let o = Origin::parse(url)?;
    if !o.is_https() && !o.is_loopback() && !allow_http {
        return Err(RelayAddressError::PlainHttp);
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_on_loopback_or_when_allowed() {
        for ok in [
            "https://relay.example.org",
            "http://127.0.0.1:8787",
            "http://127.9.9.9",
            "http://localhost:8787/",
            "http://[::1]:8787",
        ] {
            assert!(check_relay_url(ok, false).is_ok(), "{ok}");
        }
        for plain in [
            "http://relay.example.org",
            "http://192.168.1.20:8787",
            "http://10.0.2.2:8787",
            "HTTP://Relay.Example.org",
        ] {
            assert_eq!(
                check_relay_url(plain, false),
                Err(RelayAddressError::PlainHttp),
                "{plain}"
            );
            assert!(check_relay_url(plain, true).is_ok(), "{plain}");
        }
        assert!(matches!(
            check_relay_url("relay.example.org", true),
            Err(RelayAddressError::Invalid(_))
        ));
    }

    #[test]
    fn the_refusal_says_what_to_use_instead() {
        let words = RelayAddressError::PlainHttp.to_string();
        assert!(words.contains("https://"), "{words}");
        assert!(words.contains("localhost"), "{words}");
    }
}
