//! The relay this device syncs with, and the devices in its spaces.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::kindred::Kindred;

/// A device in one of this device's spaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    /// The space's kind (personal, caseload, shared).
    pub space: String,
    /// The device's name, as it chose it.
    pub name: String,
    /// First 16 hex digits of its key.
    pub fingerprint: String,
    /// owner, writer or reader.
    pub role: String,
    /// This is the device you are using.
    pub this_device: bool,
}

impl Kindred {
    /// Sets the relay's URL: `https://`, or `http://` only for a relay on
    /// this computer ([`crate::sync::check_relay_url`]).
    pub fn set_server(&mut self, url: &str) -> Result<()> {
        self.set_server_with(url, false)
    }

    /// Sets the relay's URL; `allow_insecure_http` lets it be plain
    /// `http://` to another computer (the person's explicit choice, for a
    /// test network: the CLI's `--insecure-http`). The choice is kept
    /// with the address, so later syncs honour it too. A refused address
    /// changes nothing.
    pub fn set_server_with(&mut self, url: &str, allow_insecure_http: bool) -> Result<()> {
        let url = url.trim();
        if url.contains(char::is_whitespace) {
            return Err(Error::OutOfRange {
                field: "server",
                expected: "an address without spaces, starting with https://",
            });
        }
        crate::sync::check_relay_url(url, allow_insecure_http)?;
        let tx = self.store.begin()?;
        tx.put_meta("server", url.trim_end_matches('/').as_bytes())?;
        tx.put_meta(
            "server_insecure_http",
            if allow_insecure_http { b"1" } else { b"0" },
        )?;
        tx.commit()
    }

    /// True if the person allowed plain `http://` for the relay set.
    pub fn server_allows_insecure_http(&self) -> Result<bool> {
        Ok(self
            .store
            .meta("server_insecure_http")?
            .is_some_and(|b| b.as_slice() == b"1"))
    }

    /// The relay's URL, if one was set.
    pub fn server(&self) -> Result<Option<String>> {
        Ok(self
            .store
            .meta("server")?
            .map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// Every device in every space that is on the relay.
    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        let me = self.keys.device_key();
        let mine = self.own_devices()?;
        let mut out = Vec::new();
        for s in &self.spaces {
            let Some(m) = self.membership_of(&s.id)? else {
                continue;
            };
            let sid = kindred_protocol::SpaceId::from_hex(&s.id).ok_or(Error::Sync {
                what: "a space id is not in the form the relay expects",
            })?;
            for (device, member) in &m.members {
                let label = self
                    .member_label(&s.id, &sid, device, &member.sealed_label, m.epoch)
                    .unwrap_or_else(|| "another device".into());
                // One's own devices by their names; other people's devices
                // by the person and the device.
                let name = match crate::names::label_parts(&label) {
                    _ if member.role == kindred_protocol::Role::Recovery => {
                        crate::recovery::KIT_NAME.to_owned()
                    }
                    (Some(person), device_name) if !mine.contains(device) => {
                        format!("{device_name} ({person})")
                    }
                    (_, device_name) => device_name.to_owned(),
                };
                out.push(DeviceInfo {
                    space: s.kind.as_str().to_owned(),
                    name,
                    fingerprint: device.to_hex().chars().take(16).collect(),
                    role: format!("{:?}", member.role).to_lowercase(),
                    this_device: *device == me,
                });
            }
        }
        Ok(out)
    }
}
