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
    /// Sets the relay's URL (http:// or https://).
    pub fn set_server(&mut self, url: &str) -> Result<()> {
        let url = url.trim();
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= 512
            && !url.contains(char::is_whitespace)
            && url.split("://").nth(1).is_some_and(|rest| !rest.is_empty());
        if !ok {
            return Err(Error::OutOfRange {
                field: "server",
                expected: "an address starting with https:// or http://",
            });
        }
        let tx = self.store.begin()?;
        tx.put_meta("server", url.trim_end_matches('/').as_bytes())?;
        tx.commit()
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
