//! The person's wellness and safety plan: writing it, sharing sections,
//! printing it; a worker's suggestions and the person's answers.

use kindred_core::model::*;
use kindred_core::{Id, Kindred, Match, Plan, SharedPlan};

use crate::CliError;
use crate::args::*;
use crate::output;

use super::{find, find_share, one, sync_quietly};

/// "worker laptop" from a share's name ("with worker laptop").
pub(super) fn who(name: &str) -> &str {
    name.strip_prefix("with ").unwrap_or(name)
}

/// The sections a person typed: `all` (alone or among others) is every one.
fn sections(typed: &[String]) -> Result<Vec<PlanSection>, CliError> {
    if typed.iter().any(|s| s.trim().eq_ignore_ascii_case("all")) {
        return Ok(Vec::new());
    }
    typed
        .iter()
        .map(|s| PlanSection::parse(s).map_err(CliError::from))
        .collect()
}

/// `"Triggers" and "Reasons"`, or `your whole plan`.
fn sections_in_words(sections: &[PlanSection]) -> String {
    if sections.is_empty() {
        return "your whole plan".to_owned();
    }
    let titles: Vec<String> = sections
        .iter()
        .map(|s| format!("\"{}\"", s.title()))
        .collect();
    match titles.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => titles.join(""),
    }
}

/// True if some share holds this section of the person's plan.
fn is_shared(k: &mut Kindred, section: &PlanSection) -> bool {
    k.plan()
        .is_ok_and(|p| p.shared.iter().any(|s| s.sections.contains(section)))
}

pub(super) fn run(k: &mut Kindred, c: PlanCmd) -> Result<(), CliError> {
    match c {
        PlanCmd::Show { section, json } => {
            let only = section.as_deref().map(PlanSection::parse).transpose()?;
            let mut plan = k.plan()?;
            if let Some(s) = &only {
                plan.items.retain(|i| &i.section == s);
                plan.suggestions.retain(|i| &i.section == s);
                plan.shared.retain(|sh| sh.sections.contains(s));
                plan.shared
                    .iter_mut()
                    .for_each(|sh| sh.sections = vec![s.clone()]);
            }
            if json {
                return output::json(&plan);
            }
            show(&plan, only.as_ref());
        }
        PlanCmd::Add {
            section,
            text,
            helps,
        } => {
            let item = NewPlanItem {
                section: PlanSection::parse(&section)?,
                text,
                helps,
            };
            println!("{}", k.add_plan_item(&item)?);
            eprintln!("Added to \"{}\".", item.section.title());
            if is_shared(k, &item.section) {
                sync_quietly(k);
                eprintln!("This section is shared, so the copy there has it too.");
            }
        }
        PlanCmd::Edit {
            id,
            text,
            helps,
            no_helps,
        } => {
            if let Ok(s) = PlanSection::parse(&id) {
                return Err(CliError::Usage(format!(
                    "\"{}\" is a section; pick the entry to change from `kindred plan show --section {}` and give its id: `kindred plan edit ID NEW-WORDS`",
                    s.title(),
                    s.as_str()
                )));
            }
            if text.is_none() && helps.is_none() && !no_helps {
                return Err(CliError::Usage(
                    "say what to change: the new words, --helps or --no-helps".into(),
                ));
            }
            let id = find(k, RecordKind::PlanItem, &id)?;
            let current = own_item(k, &id)?;
            let helps = if no_helps {
                None
            } else {
                helps.or(current.helps)
            };
            let text = text.unwrap_or(current.text);
            k.update_plan_item(&id, &text, helps.as_deref())?;
            eprintln!("Changed the entry in \"{}\".", current.section.title());
            if is_shared(k, &current.section) {
                sync_quietly(k);
            }
        }
        PlanCmd::Delete { id } => {
            let id = find(k, RecordKind::PlanItem, &id)?;
            let current = own_item(k, &id)?;
            let shared = is_shared(k, &current.section);
            k.delete_plan_item(&id)?;
            eprintln!(
                "Deleted \"{}\" from \"{}\".",
                current.text,
                current.section.title()
            );
            if shared {
                sync_quietly(k);
            }
        }
        PlanCmd::Share { sections: s, with } => {
            let chosen = sections(&s)?;
            let space = find_share(k, &with)?;
            let n = k.share_plan(&space, &chosen)?;
            let name = share_name(k, &space);
            sync_quietly(k);
            println!("{n}");
            eprintln!(
                "Shared {} with {} ({}). They see a copy that follows your changes; they can suggest, and you decide.",
                sections_in_words(&chosen),
                who(&name),
                output::count(n, "entry", "entries")
            );
        }
        PlanCmd::Unshare { sections: s, with } => {
            let chosen = sections(&s)?;
            let space = find_share(k, &with)?;
            let n = k.unshare_plan(&space, &chosen)?;
            let name = share_name(k, &space);
            sync_quietly(k);
            println!("{n}");
            eprintln!(
                "Stopped sharing {} with {}: {} left the share. Your own plan is as it was.",
                sections_in_words(&chosen),
                who(&name),
                output::count(n, "copy of an entry", "copies of entries")
            );
        }
        PlanCmd::Print { out } => {
            let text = k.plan_text()?;
            match out {
                Some(path) => {
                    super::export::write_private(&path, text.as_bytes())?;
                    eprintln!(
                        "Wrote your plan to {} (only you can read it).",
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
        }
        PlanCmd::Suggest {
            share,
            section,
            text,
            helps,
            instead_of,
            why,
        } => {
            let section = PlanSection::parse(&section)?;
            let space = find_share(k, &share)?;
            let item = match instead_of {
                Some(typed) => {
                    let plans = k.shared_plans()?;
                    Some(shared_item(&plans, &space, &typed)?)
                }
                None => None,
            };
            let s = NewSuggestion {
                section,
                item,
                text,
                helps,
                note: why,
            };
            println!("{}", k.suggest_plan(&space, &s)?);
            let name = share_name(k, &space);
            sync_quietly(k);
            eprintln!(
                "Suggested for \"{}\". {} decides whether to take it into their plan.",
                s.section.title(),
                who(&name)
            );
        }
        PlanCmd::Shared { json } => {
            let plans = k.shared_plans()?;
            if json {
                return output::json(&plans);
            }
            if plans.is_empty() {
                println!("No one has shared their plan with you.");
            }
            plans.iter().for_each(shared_plan);
        }
        PlanCmd::Accept { id } => answer(k, &id, SuggestionAnswer::Accepted)?,
        PlanCmd::Decline { id } => answer(k, &id, SuggestionAnswer::Declined)?,
    }
    Ok(())
}

/// An entry of the person's own plan.
fn own_item(k: &mut Kindred, id: &Id) -> Result<PlanItem, CliError> {
    k.plan()?
        .items
        .into_iter()
        .find(|i| &i.id == id)
        .ok_or_else(|| {
            kindred_core::Error::NotFound {
                kind: RecordKind::PlanItem,
                id: id.to_string(),
            }
            .into()
        })
}

/// The name of a share ("with Sam"), for messages.
fn share_name(k: &mut Kindred, space: &str) -> String {
    k.shares()
        .unwrap_or_default()
        .into_iter()
        .find(|s| s.space == space)
        .map(|s| s.name)
        .unwrap_or_else(|| "the other person".to_owned())
}

/// An entry of a plan shared with this device, by the start of its id.
fn shared_item(plans: &[SharedPlan], space: &str, typed: &str) -> Result<Id, CliError> {
    let t = typed.trim().to_lowercase();
    let items = plans
        .iter()
        .filter(|p| p.space == space)
        .flat_map(|p| p.items.iter());
    let found: Vec<Match> = match items.clone().find(|i| i.id.as_str() == t) {
        Some(i) => vec![Match {
            id: i.id.to_string(),
            label: i.text.clone(),
        }],
        None => items
            .filter(|i| {
                t.chars().count() >= kindred_core::MIN_PREFIX && i.id.as_str().starts_with(&t)
            })
            .map(|i| Match {
                id: i.id.to_string(),
                label: i.text.clone(),
            })
            .collect(),
    };
    let lines: Vec<String> = found
        .iter()
        .map(|m| format!("  {}  {}", output::short(&m.id), m.label))
        .collect();
    one(RecordKind::PlanItem, typed, found).map_err(|e| match e {
        kindred_core::Error::Ambiguous { .. } => {
            CliError::Usage(format!("{e}:\n{}", lines.join("\n")))
        }
        e => e.into(),
    })
}

fn answer(k: &mut Kindred, typed: &str, a: SuggestionAnswer) -> Result<(), CliError> {
    let id = find(k, RecordKind::Suggestion, typed)?;
    let waiting = k.plan()?.suggestions.into_iter().find(|s| s.id == id);
    k.answer_suggestion(&id, &a)?;
    sync_quietly(k);
    let by = waiting
        .as_ref()
        .map(|s| who(&s.by_name).to_owned())
        .unwrap_or_else(|| "The other person".to_owned());
    match (a, waiting) {
        (SuggestionAnswer::Accepted, Some(s)) => eprintln!(
            "Took it into \"{}\", as your own words. {by} will see your answer.",
            s.section.title()
        ),
        (SuggestionAnswer::Accepted, None) => eprintln!("Took it into your plan."),
        _ => eprintln!("Left it out of your plan. {by} will see your answer."),
    }
    Ok(())
}

/// One entry, with "what helps" under it.
fn item_lines(first: &str, text: &str, helps: Option<&str>) {
    println!("  {first}  {text}");
    if let Some(h) = helps {
        println!("  {:8}  what helps: {h}", "");
    }
}

/// One section of the person's plan: who it is shared with, its entries,
/// the suggestions waiting in it.
fn section(plan: &Plan, s: &PlanSection) {
    println!("{} ({})", s.title(), s.as_str());
    for sh in plan.shared.iter().filter(|sh| sh.sections.contains(s)) {
        println!("  shared with {}", who(&sh.name));
    }
    let items: Vec<&PlanItem> = plan.items.iter().filter(|i| &i.section == s).collect();
    let waiting: Vec<&PlanSuggestion> = plan
        .suggestions
        .iter()
        .filter(|i| &i.section == s)
        .collect();
    if items.is_empty() && waiting.is_empty() {
        println!("  nothing written yet");
    }
    for i in items {
        item_lines(output::short(i.id.as_str()), &i.text, i.helps.as_deref());
    }
    for g in waiting {
        let instead = g
            .item
            .as_ref()
            .map(|i| format!(", new words for {}", output::short(i.as_str())))
            .unwrap_or_default();
        println!(
            "  {}  suggested by {}{instead}: {}",
            output::short(g.id.as_str()),
            who(&g.by_name),
            g.text
        );
        if let Some(h) = &g.helps {
            println!("  {:8}  what helps: {h}", "");
        }
        if let Some(w) = &g.note {
            println!("  {:8}  why: {w}", "");
        }
    }
}

fn show(plan: &Plan, only: Option<&PlanSection>) {
    if let Some(s) = only {
        section(plan, s);
    } else {
        // Sections from a newer version of Kindred show with the wellness plan.
        let mut wellness: Vec<PlanSection> = PlanSection::all()
            .into_iter()
            .filter(|s| s.part() == PlanPart::Wellness)
            .collect();
        for i in &plan.items {
            if let PlanSection::Unknown(_) = i.section
                && !wellness.contains(&i.section)
            {
                wellness.push(i.section.clone());
            }
        }
        println!("My wellness plan");
        println!();
        wellness.iter().for_each(|s| section(plan, s));
        println!();
        println!("My safety plan");
        println!();
        PlanSection::all()
            .into_iter()
            .filter(|s| s.part() == PlanPart::Safety)
            .for_each(|s| section(plan, &s));
    }
    if !plan.suggestions.is_empty() {
        println!();
        println!(
            "{} waiting for you: `kindred plan accept ID` takes one into your plan as your own words; `kindred plan decline ID` leaves it out.",
            output::count(plan.suggestions.len(), "suggestion is", "suggestions are")
        );
    }
}

/// What the person said to a suggestion, in plain words.
fn answer_words(s: &PlanSuggestion) -> String {
    match (&s.answer, s.answered_at) {
        (Some(SuggestionAnswer::Accepted), Some(at)) => {
            format!("taken into their plan on {}", output::when(at))
        }
        (Some(SuggestionAnswer::Declined), Some(at)) => {
            format!("left out of their plan on {}", output::when(at))
        }
        (Some(_), _) => "answered".to_owned(),
        (None, _) => "waiting for their answer".to_owned(),
    }
}

/// A plan someone shared with this device, section by section.
fn shared_plan(p: &SharedPlan) {
    println!(
        "The plan of {} (share {})",
        who(&p.name),
        output::short(&p.space)
    );
    for s in &p.sections {
        println!("{} ({})", s.title(), s.as_str());
        let items: Vec<&PlanItem> = p.items.iter().filter(|i| &i.section == s).collect();
        if items.is_empty() {
            println!("  nothing written yet");
        }
        for i in items {
            item_lines(output::short(i.id.as_str()), &i.text, i.helps.as_deref());
        }
        for g in p.suggestions.iter().filter(|g| &g.section == s) {
            let by = if g.by_name == "you" {
                "you suggested".to_owned()
            } else {
                format!("suggested by {}", who(&g.by_name))
            };
            let instead = g
                .item
                .as_ref()
                .map(|i| format!(", new words for {}", output::short(i.as_str())))
                .unwrap_or_default();
            println!(
                "  {}  {by}{instead}: {}  ({})",
                output::short(g.id.as_str()),
                g.text,
                answer_words(g)
            );
        }
    }
    println!();
}
