//! Goals, their steps and progress notes.

use kindred_core::Kindred;
use kindred_core::model::*;

use crate::CliError;
use crate::args::*;
use crate::output;

use super::{date, id};

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
            goals.iter().for_each(output::goal_line);
        }
        GoalCmd::Show { id: i, json } => {
            let g = k.goal(&id(&i)?)?;
            if json {
                return output::json(&g);
            }
            output::goal(&g);
        }
        GoalCmd::Edit {
            id: i,
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
            k.update_goal(&id(&i)?, &changes)?;
        }
        GoalCmd::Status { id: i, status } => {
            let s = GoalStatus::parse(&status)?;
            k.set_goal_status(&id(&i)?, &s)?;
        }
        GoalCmd::Step(StepCmd::Add { goal_id, text, due }) => {
            println!("{}", k.add_step(&id(&goal_id)?, &text, date(&due)?)?);
        }
        GoalCmd::Step(StepCmd::Done { goal_id, step_id }) => {
            k.set_step_done(&id(&goal_id)?, &id(&step_id)?, true)?
        }
        GoalCmd::Step(StepCmd::Undo { goal_id, step_id }) => {
            k.set_step_done(&id(&goal_id)?, &id(&step_id)?, false)?
        }
        GoalCmd::Progress { goal_id, note } => {
            println!("{}", k.add_progress(&id(&goal_id)?, &note)?)
        }
    }
    Ok(())
}
