//! Resources a worker leaves with a person: a service, a group or meeting,
//! food, housing, a crisis line. Kept in the space they share, so both
//! have them offline; the person can keep a copy in their own space, which
//! stays when the share ends.

use serde::Serialize;
use time::OffsetDateTime;

use super::{check_optional_text, check_text, limits, stored_enum};
use crate::{Id, Result};

stored_enum!(
    /// What kind of help a resource is.
    ResourceKind, "resource kind" {
        Service => "service",
        Group => "group",
        Food => "food",
        Housing => "housing",
        CrisisLine => "crisis_line",
        Other => "other",
    }
);

/// A resource as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resource {
    pub id: Id,
    /// The space it is kept in (a shared space, or the person's own).
    pub space: String,
    pub kind: ResourceKind,
    pub name: String,
    /// How to reach it: a phone number, a web address, "walk in".
    pub reach: Option<String>,
    pub hours: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    /// For a copy the person kept: the resource it was copied from.
    pub kept_from: Option<Id>,
    /// True if this device wrote it (or the person's own copy).
    pub mine: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub created_by: String,
}

/// A resource about to be added.
#[derive(Clone, Debug)]
pub struct NewResource {
    pub kind: ResourceKind,
    pub name: String,
    pub reach: Option<String>,
    pub hours: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

impl NewResource {
    /// Checks every rule; returns the cleaned-up resource.
    pub fn validate(&self) -> Result<NewResource> {
        if let ResourceKind::Unknown(_) = self.kind {
            ResourceKind::parse(self.kind.as_str())?;
        }
        Ok(NewResource {
            kind: self.kind.clone(),
            name: check_text("name", &self.name, limits::SHORT)?,
            reach: check_optional_text("how to reach", self.reach.as_deref(), limits::SHORT)?,
            hours: check_optional_text("hours", self.hours.as_deref(), limits::SHORT)?,
            address: check_optional_text("address", self.address.as_deref(), limits::SHORT)?,
            notes: check_optional_text("notes", self.notes.as_deref(), limits::MEDIUM)?,
        })
    }
}
