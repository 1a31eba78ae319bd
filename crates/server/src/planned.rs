//! A scenario with a plan that has passed the independent checker.

use model::{Plan, Scenario};
use scenario::check::{Report, Violation};
use scenario::planfile::PlanFile;
use std::collections::BTreeMap;

/// A scenario, its plan, the plan's file form and the checker's report on it. Only
/// [`plan_checked`] makes one, so a `Planned` is always feasible.
#[derive(Debug)]
pub struct Planned {
    /// The lowered scenario.
    pub scenario: Scenario,
    /// The planner's plan.
    pub plan: Plan,
    /// The plan as `plan.json` writes it (what the checker read).
    pub file: PlanFile,
    /// The checker's verdict (feasible) and its recomputed figures.
    pub report: Report,
}

/// Why a scenario got no checked plan.
#[derive(Debug, thiserror::Error)]
pub enum PlanFailure {
    /// The planner found no plan.
    #[error("no plan: {0}")]
    NoPlan(#[from] planner::PlanError),
    /// The planner's plan breaks the rules: a planner bug, never shown as a plan.
    #[error("the plan fails the independent checker ({} violation(s), first: {})", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Unchecked(Vec<Violation>),
}

/// Plan `scenario` with the constructive planner and check the result; a plan that the
/// checker refuses is an error, never an answer.
pub fn plan_checked(scenario: Scenario) -> Result<Planned, PlanFailure> {
    let plan = planner::plan(&scenario, &planner::Config::default(), &mut |_, _| {})?;
    let mut meta = BTreeMap::new();
    meta.insert(
        "planner".to_string(),
        serde_json::json!("greedy-missions/1"),
    );
    let file = scenario::planfile::to_file(&scenario, &plan, meta);
    let report = scenario::check::verify(&scenario, &file);
    if !report.is_feasible() {
        return Err(PlanFailure::Unchecked(report.violations));
    }
    Ok(Planned {
        scenario,
        plan,
        file,
        report,
    })
}
