//! "Need help now": the crisis lines and people a person keeps; and the
//! resources kept with them (services, groups, food, housing).

use kindred_core::Kindred;
use kindred_core::model::*;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::plan::who;
use super::{find, find_share, sync_quietly};

/// The country part of a locale ("en_US.UTF-8" gives "US").
fn country_of(locale: &str) -> Option<String> {
    let base = locale.split(['.', '@']).next()?;
    let cc = base.split(['_', '-']).nth(1)?;
    (cc.len() == 2 && cc.chars().all(|c| c.is_ascii_alphabetic())).then(|| cc.to_ascii_uppercase())
}

fn check_region(cc: &str, from: &str) -> Result<String, CliError> {
    let cc = cc.trim();
    if cc.len() == 2 && cc.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(cc.to_ascii_uppercase())
    } else {
        Err(CliError::Usage(format!(
            "{from} is a two-letter country code, such as US or GB"
        )))
    }
}

/// Where the person lives: `--region`, else `KINDRED_REGION`, else the
/// country of the language setting (`LC_ALL`, then `LANG`); empty if none
/// of them says (the core then gives the number most phones connect
/// anywhere).
fn region(given: Option<String>) -> Result<String, CliError> {
    if let Some(r) = given {
        return check_region(&r, "--region");
    }
    if let Ok(r) = std::env::var("KINDRED_REGION")
        && !r.trim().is_empty()
    {
        return check_region(&r, "KINDRED_REGION");
    }
    for var in ["LC_ALL", "LANG"] {
        if let Ok(v) = std::env::var(var)
            && !v.trim().is_empty()
        {
            return Ok(country_of(&v).unwrap_or_default());
        }
    }
    Ok(String::new())
}

fn ways(call: bool, text: bool) -> &'static str {
    match (call, text) {
        (true, true) => "call or text",
        (false, true) => "text",
        _ => "call",
    }
}

fn line(l: &CrisisLine) {
    let id =
        l.id.as_ref()
            .map(|i| format!("{}  ", output::short(i.as_str())))
            .unwrap_or_default();
    let when = l
        .when_to_use
        .as_deref()
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    println!(
        "  {id}{}: {}, {}{when}",
        l.name,
        l.number,
        ways(l.can_call, l.can_text)
    );
}

/// True if the list is the region's defaults (nothing of the person's own).
fn only_defaults(lines: &[CrisisLine]) -> bool {
    lines.iter().all(|l| l.id.is_none())
}

pub(super) fn run(k: &mut Kindred, c: CrisisCmd) -> Result<(), CliError> {
    match c {
        CrisisCmd::List { region: r, json } => {
            let r = region(r)?;
            let lines = k.crisis_lines(&r)?;
            if json {
                return output::json(&lines);
            }
            if !only_defaults(&lines) {
                println!("Your lines and people to call or text:");
            } else if r.is_empty() {
                println!(
                    "Where you live is not known here, so this is the emergency number most phones connect anywhere (`--region US`, or KINDRED_REGION, gives the lines where you live):"
                );
            } else {
                println!("The usual lines for {r}:");
            }
            lines.iter().for_each(line);
            if only_defaults(&lines) {
                println!(
                    "Add your own (a friend, a sponsor, a line you trust) with `kindred crisis add NAME NUMBER`."
                );
            }
        }
        CrisisCmd::Add {
            name,
            number,
            call,
            text,
            when,
            region: r,
        } => {
            let r = region(r)?;
            let new = NewCrisisLine {
                name,
                number,
                can_call: call || !text,
                can_text: text,
                when_to_use: when,
            };
            let had_own = !only_defaults(&k.crisis_lines(&r)?);
            println!("{}", k.add_crisis_line(&r, &new)?);
            eprintln!("Added {} to your list.", new.name.trim());
            if !had_own {
                eprintln!(
                    "The usual lines for where you live stay in it, as your own: remove any you do not want."
                );
            }
        }
        CrisisCmd::Remove { id } => {
            let id = find(k, RecordKind::CrisisLine, &id)?;
            let name = k
                .crisis_lines("")?
                .into_iter()
                .find(|l| l.id.as_ref() == Some(&id))
                .map(|l| l.name)
                .unwrap_or_else(|| "the line".to_owned());
            k.remove_crisis_line(&id)?;
            eprintln!("Removed {name} from your list.");
            if only_defaults(&k.crisis_lines("")?) {
                eprintln!("Your list is empty now, so the usual lines for where you live show.");
            }
        }
    }
    Ok(())
}

fn resource_lines(r: &Resource, place: &str) {
    println!(
        "{}  {:<11}  {}  ({place})",
        output::short(r.id.as_str()),
        output::status_word(r.kind.as_str()),
        r.name
    );
    for (label, v) in [
        ("reach:  ", &r.reach),
        ("hours:  ", &r.hours),
        ("address:", &r.address),
        ("notes:  ", &r.notes),
    ] {
        if let Some(v) = v {
            println!("{:8}  {label} {v}", "");
        }
    }
}

pub(super) fn resource(k: &mut Kindred, c: ResourceCmd) -> Result<(), CliError> {
    match c {
        ResourceCmd::Add {
            share,
            kind,
            name,
            reach,
            hours,
            address,
            notes,
        } => {
            let r = NewResource {
                kind: ResourceKind::parse(&kind)?,
                name,
                reach,
                hours,
                address,
                notes,
            };
            let space = share.as_deref().map(|s| find_share(k, s)).transpose()?;
            println!("{}", k.add_resource(space.as_deref(), &r)?);
            match &space {
                Some(sp) => {
                    sync_quietly(k);
                    let name = share_name(k, sp);
                    eprintln!(
                        "Added {}, kept in the share {name}: they have it too.",
                        r.name.trim()
                    );
                }
                None => eprintln!("Added {} to your own resources.", r.name.trim()),
            }
        }
        ResourceCmd::List { json } => {
            let list = k.resources()?;
            if json {
                return output::json(&list);
            }
            if list.is_empty() {
                println!("No resources yet.");
            }
            let personal = personal_space(k);
            for r in &list {
                let place = if Some(&r.space) == personal.as_ref() {
                    if r.kept_from.is_some() {
                        "your own copy".to_owned()
                    } else {
                        "your own".to_owned()
                    }
                } else {
                    format!("in the share {}", share_name(k, &r.space))
                };
                resource_lines(r, &place);
            }
        }
        ResourceCmd::Keep { id } => {
            let id = find(k, RecordKind::Resource, &id)?;
            let copy = k.keep_resource(&id)?;
            println!("{copy}");
            if copy == id {
                eprintln!("This one is already your own.");
            } else {
                eprintln!("Kept your own copy: it stays with you even if the share ends.");
            }
        }
        ResourceCmd::Delete { id } => {
            let id = find(k, RecordKind::Resource, &id)?;
            let r = k.resources()?.into_iter().find(|r| r.id == id);
            k.delete_resource(&id)?;
            if let Some(r) = &r
                && Some(&r.space) != personal_space(k).as_ref()
            {
                sync_quietly(k);
            }
            let name = r.map(|r| r.name).unwrap_or_else(|| "it".to_owned());
            eprintln!("Deleted {name}.");
        }
    }
    Ok(())
}

fn personal_space(k: &Kindred) -> Option<String> {
    k.spaces()
        .iter()
        .find(|s| s.kind == kindred_core::SpaceKind::Personal)
        .map(|s| s.id.clone())
}

/// "with Sam", for a share's id.
fn share_name(k: &mut Kindred, space: &str) -> String {
    let name = k
        .shares()
        .unwrap_or_default()
        .into_iter()
        .find(|s| s.space == space)
        .map(|s| s.name)
        .unwrap_or_default();
    format!("with {}", who(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_is_read_from_a_locale() {
        assert_eq!(country_of("en_US.UTF-8").as_deref(), Some("US"));
        assert_eq!(country_of("en_GB").as_deref(), Some("GB"));
        assert_eq!(country_of("de_DE@euro").as_deref(), Some("DE"));
        assert_eq!(country_of("C.UTF-8"), None);
        assert_eq!(country_of("POSIX"), None);
        assert_eq!(country_of("en_"), None);
    }
}
