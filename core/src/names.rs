//! People's names beside device names.
//!
//! A device has a name ("Sam's phone"), and may also know the name of the
//! person who uses it ("Sam"). Other people should meet the person, not
//! the device: "reviewed by Sam", "shared with Sam". Both names travel
//! together as one label, `Sam · Sam's phone`, wherever a device's name
//! went before (invites, pairing, the sealed labels in a space's log,
//! signatures on notes), so nothing in the protocol changes and a label
//! from a device that knows no person's name is simply its device name. A
//! label shown without being read apart still reads well.

use crate::error::{Error, Result};
use crate::kindred::Kindred;

/// Between the person's name and the device's in a label.
pub const SEPARATOR: &str = " · ";

/// A label's two names: the person's (if the device knows it) and the
/// device's.
pub fn label_parts(label: &str) -> (Option<&str>, &str) {
    match label.split_once(SEPARATOR) {
        Some((person, device)) if !person.trim().is_empty() && !device.trim().is_empty() => {
            (Some(person), device)
        }
        _ => (None, label),
    }
}

/// The name to show for a label: the device's for one of this person's
/// own devices (they tell their phone from their tablet), otherwise the
/// person's when it is known.
pub fn display_name(label: &str, own_device: bool) -> &str {
    match label_parts(label) {
        (Some(person), _) if !own_device => person,
        (_, device) => device,
    }
}

/// Checks a person's name as [`Kindred::set_person_name`] will (so a
/// shell can check it before it creates anything).
pub fn check_person_name(name: &str) -> Result<String> {
    let name = crate::model::check_text("your name", name, crate::model::limits::SHORT)?;
    if name.contains(SEPARATOR.trim()) {
        return Err(Error::OutOfRange {
            field: "your name",
            expected: "a name without the · character",
        });
    }
    Ok(name)
}

impl Kindred {
    /// The name of the person who uses this device, if they gave one.
    pub fn person_name(&self) -> Option<&str> {
        self.device.person.as_deref()
    }

    /// Keeps the name of the person who uses this device (what the people
    /// they share with will see). Changes nothing already sent: new
    /// invites, pairings, signatures and comments carry it.
    pub fn set_person_name(&mut self, name: &str) -> Result<()> {
        let name = check_person_name(name)?;
        let mut device = self.device.clone();
        device.person = Some(name);
        let tx = self.store.begin()?;
        tx.put_meta(
            "device",
            &serde_json::to_vec(&device).map_err(|_| Error::Document)?,
        )?;
        tx.commit()?;
        self.device = device;
        Ok(())
    }

    /// This device's label: the person's name and the device's, as other
    /// devices will see them.
    pub(crate) fn label(&self) -> String {
        match &self.device.person {
            Some(p) => format!("{p}{SEPARATOR}{}", self.device.name),
            None => self.device.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_apart_into_person_and_device() {
        assert_eq!(
            label_parts("Sam · Sam's phone"),
            (Some("Sam"), "Sam's phone")
        );
        assert_eq!(label_parts("Sam's phone"), (None, "Sam's phone"));
        // Half a label is a device name.
        assert_eq!(label_parts(" · phone"), (None, " · phone"));
        assert_eq!(display_name("Sam · Sam's phone", false), "Sam");
        assert_eq!(display_name("Sam · Sam's phone", true), "Sam's phone");
        assert_eq!(display_name("Jo's laptop", false), "Jo's laptop");
    }
}
