//! The people a worker supports.

use kindred_core::Kindred;
use kindred_core::model::*;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::{find, find_share};

pub(super) fn run(k: &mut Kindred, c: ContactCmd) -> Result<(), CliError> {
    match c {
        ContactCmd::Add { name } => {
            println!("{}", k.add_contact(&NewContact { name })?);
            eprintln!("Added the contact.");
        }
        ContactCmd::List { json } => {
            let list = k.contact_overviews()?;
            if json {
                return output::json(&list);
            }
            if list.is_empty() {
                println!("No contacts yet.");
            }
            list.iter().for_each(output::contact_line);
        }
        ContactCmd::Show { id, json } => {
            let id = find(k, RecordKind::Contact, &id)?;
            let c = k
                .contact_overviews()?
                .into_iter()
                .find(|c| c.contact.id == id)
                .ok_or(kindred_core::Error::NotFound {
                    kind: RecordKind::Contact,
                    id: id.to_string(),
                })?;
            if json {
                return output::json(&c);
            }
            output::contact_line(&c);
        }
        ContactCmd::Link { id, share, none } => {
            if share.is_none() && !none {
                return Err(CliError::Usage(
                    "say which share: --share SHARE, or --none to unlink".into(),
                ));
            }
            let space = share.as_deref().map(|s| find_share(k, s)).transpose()?;
            let id = find(k, RecordKind::Contact, &id)?;
            k.link_contact(&id, space.as_deref())?;
            let name = k.contact(&id)?.name;
            if space.is_some() {
                eprintln!(
                    "Linked {name} to your share: what they set for being reached shows beside them in `kindred followups`."
                );
            } else {
                eprintln!("{name} is no longer linked to a share.");
            }
        }
        ContactCmd::Search { query, json } => {
            let found = k.search_caseload(&query)?;
            if json {
                return output::json(&found);
            }
            if found.is_empty() {
                println!("No contact or note holds those words.");
            }
            found.iter().for_each(output::contact_line);
        }
        ContactCmd::Delete {
            id,
            forever,
            because,
        } => {
            if !forever {
                return Err(CliError::Usage(
                    "a contact is only deleted forever, with every note about them: add --forever if that is what you mean".into(),
                ));
            }
            let because = match because.as_deref().map(str::trim) {
                None => None,
                Some("person-asked") => Some(kindred_core::KeptRecordReason::PersonAsked),
                Some("retention-ended") => Some(kindred_core::KeptRecordReason::RetentionEnded),
                Some(_) => {
                    return Err(CliError::Usage(
                        "--because is person-asked or retention-ended".into(),
                    ));
                }
            };
            let id = find(k, RecordKind::Contact, &id)?;
            let name = k.contact(&id)?.name;
            let e = k.delete_contact_forever(&id, because)?;
            super::erase::report(k, &format!("{name} and the notes about them"), e);
        }
    }
    Ok(())
}
