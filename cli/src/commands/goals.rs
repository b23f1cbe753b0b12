//! Goals, their steps and progress notes.

use kindred_core::Kindred;
use kindred_core::model::*;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::{date, find, find_step};

fn goal_id(k: &mut Kindred, typed: &str) -> Result<kindred_core::Id, CliError> {
    find(k, RecordKind::Goal, typed)
}

pub(super) fn run(k: &mut Kindred, c: GoalCmd) -> Result<(), CliError> {
    match c {
        GoalCmd::Add {
            title,
            why,
            area,
            target,
        } => {
            let g = NewGoal {
                title,
                why,
                area: area.as_deref().map(LifeArea::parse).transpose()?,
                target_date: date(&target)?,
            };
            println!("{}", k.add_goal(&g)?);
            eprintln!("Added your goal.");
        }
        GoalCmd::List { status, json } => {
            let status = status.as_deref().map(GoalStatus::parse).transpose()?;
            let goals = k.goals(status.as_ref())?;
            if json {
                return output::json(&goals);
            }
            if goals.is_empty() {
                println!("No goals yet.");
            }
            let names = output::Names::of(k);
            goals.iter().for_each(|g| output::goal_line(g, &names));
        }
        GoalCmd::Show { id, json } => {
            let id = goal_id(k, &id)?;
            let g = k.goal(&id)?;
            if json {
                return output::json(&g);
            }
            output::goal(&g, &output::Names::of(k));
        }
        GoalCmd::Edit {
            id,
            title,
            why,
            area,
            target,
        } => {
            let changes = GoalChanges {
                title,
                why: why.map(Some),
                area: area.as_deref().map(LifeArea::parse).transpose()?.map(Some),
                target_date: date(&target)?.map(Some),
            };
            let id = goal_id(k, &id)?;
            if changes.title.is_none()
                && changes.why.is_none()
                && changes.area.is_none()
                && changes.target_date.is_none()
            {
                return Err(CliError::Usage(
                    "say what to change: --title, --why, --area or --target".into(),
                ));
            }
            k.update_goal(&id, &changes)?;
            eprintln!("Changed the goal.");
        }
        GoalCmd::Status { id, status } => {
            let s = GoalStatus::parse(&status)?;
            let id = goal_id(k, &id)?;
            k.set_goal_status(&id, &s)?;
            eprintln!("The goal is now {}.", output::status_word(s.as_str()));
        }
        GoalCmd::Delete { id, forever } => {
            let id = goal_id(k, &id)?;
            if forever {
                let title = k.goal(&id)?.title;
                let e = k.delete_goal_forever(&id)?;
                super::erase::report(k, &format!("the goal \"{title}\""), e);
            } else {
                let g = k.delete_goal(&id)?;
                eprintln!("Deleted the goal \"{}\".", g.title);
            }
        }
        GoalCmd::Step(StepCmd::Add {
            goal_id: g,
            text,
            due,
        }) => {
            let g = goal_id(k, &g)?;
            println!("{}", k.add_step(&g, &text, date(&due)?)?);
            eprintln!("Added the step.");
        }
        GoalCmd::Step(StepCmd::Done {
            goal_id: g,
            step_id,
        }) => {
            let g = goal_id(k, &g)?;
            let step = find_step(k, &g, &step_id)?;
            k.set_step_done(&g, &step, true)?;
            eprintln!("Marked the step done.");
        }
        GoalCmd::Step(StepCmd::Undo {
            goal_id: g,
            step_id,
        }) => {
            let g = goal_id(k, &g)?;
            let step = find_step(k, &g, &step_id)?;
            k.set_step_done(&g, &step, false)?;
            eprintln!("Marked the step not done yet.");
        }
        GoalCmd::Progress { goal_id: g, note } => {
            let g = goal_id(k, &g)?;
            println!("{}", k.add_progress(&g, &note)?);
            eprintln!("Added your note on how it is going.");
        }
    }
    Ok(())
}
