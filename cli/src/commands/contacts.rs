//! The people a worker supports.

use kindred_core::Kindred;
use kindred_core::model::*;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::id;

pub(super) fn run(k: &mut Kindred, c: ContactCmd) -> Result<(), CliError> {
    match c {
        ContactCmd::Add { name } => println!("{}", k.add_contact(&NewContact { name })?),
        ContactCmd::List { json } => {
            let list = k.contacts()?;
            if json {
                return output::json(&list);
            }
            if list.is_empty() {
                println!("No contacts yet.");
            }
            list.iter().for_each(output::contact_line);
        }
        ContactCmd::Show { id: i, json } => {
            let c = k.contact(&id(&i)?)?;
            if json {
                return output::json(&c);
            }
            output::contact_line(&c);
        }
    }
    Ok(())
}
