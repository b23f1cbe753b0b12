//! What a worker's lists show beside each record: when they last saw a
//! contact and when they plan to next, and who shared a record with them.

use std::collections::HashMap;

use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::error::Result;
use crate::ids::Id;
use crate::kindred::Kindred;
use crate::model::{Contact, ContactType};
use crate::space::SpaceKind;

/// A contact with the dates a caseload list shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContactOverview {
    #[serde(flatten)]
    pub contact: Contact,
    /// The start of the latest note of a contact that happened (attempts
    /// to reach the person are not counted).
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_contact: Option<OffsetDateTime>,
    /// The next contact planned in the latest note that plans one.
    #[serde(with = "crate::model::date_format::iso_date::option")]
    pub next_contact: Option<Date>,
    /// How many notes there are about this contact.
    pub notes: usize,
}

/// Where a record in a list came from, when it is not simply this
/// person's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "names")]
pub enum Origin {
    /// Someone shared it with this person (their names).
    SharedBy(String),
    /// This person shared it with someone (their names).
    SharedWith(String),
}

impl Kindred {
    /// Contacts by name, each with its last and next contact dates.
    pub fn contact_overviews(&mut self) -> Result<Vec<ContactOverview>> {
        let contacts = self.contacts()?;
        let notes = self.notes(None, None, None)?;
        Ok(contacts
            .into_iter()
            .map(|c| {
                let mine: Vec<_> = notes.iter().filter(|n| n.contact_id == c.id).collect();
                let last_contact = mine
                    .iter()
                    .filter(|n| n.contact_type != ContactType::Attempted)
                    .map(|n| n.start)
                    .max();
                // Notes come by start time: the latest plan wins.
                let next_contact = mine.iter().rev().find_map(|n| n.next_contact);
                ContactOverview {
                    notes: mine.len(),
                    contact: c,
                    last_contact,
                    next_contact,
                }
            })
            .collect())
    }

    /// For every goal, check-in and note in a shared space: who shared it
    /// with this person, or whom this person shared it with. A space this
    /// person owns holds what they shared (or their devices wrote); in a
    /// space someone else owns, what this device did not write was shared
    /// by the owner.
    pub fn origins(&mut self) -> Result<HashMap<Id, Origin>> {
        let me = self.device.id.clone();
        let mut out = HashMap::new();
        for share in self.shares()? {
            let mine_owner = share.members.iter().any(|m| m.mine && m.role == "owner");
            let others: Vec<&crate::ShareMember> =
                share.members.iter().filter(|m| !m.mine).collect();
            let names = |owners_only: bool| {
                let mut n: Vec<String> = others
                    .iter()
                    .filter(|m| !owners_only || m.role == "owner")
                    .map(|m| m.name.clone())
                    .collect();
                if n.is_empty() {
                    n = others.iter().map(|m| m.name.clone()).collect();
                }
                n.dedup();
                if n.is_empty() {
                    "no one else yet".to_owned()
                } else {
                    n.join(" and ")
                }
            };
            let with = Origin::SharedWith(names(false));
            let by = Origin::SharedBy(names(true));
            if !self
                .ready_spaces(&[SpaceKind::Shared])?
                .contains(&share.space)
            {
                continue;
            }
            let index = &self.space_by_id(&share.space)?.index;
            let written: Vec<(Id, bool)> = index
                .goals
                .values()
                .map(|g| (g.id.clone(), g.created_by == me))
                .chain(
                    index
                        .check_ins
                        .values()
                        .map(|c| (c.id.clone(), c.created_by == me)),
                )
                .chain(
                    index
                        .notes
                        .values()
                        .map(|n| (n.id.clone(), n.created_by == me)),
                )
                .collect();
            for (id, by_me) in written {
                let origin = if by_me || mine_owner {
                    with.clone()
                } else {
                    by.clone()
                };
                out.insert(id, origin);
            }
        }
        Ok(out)
    }
}
