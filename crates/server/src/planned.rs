//! A scenario with a plan that has passed the independent checker.

use model::{Plan, Scenario};
use scenario::check::{Report, Violation};
use scenario::planfile::PlanFile;
use std::collections::BTreeMap;

/// How to plan a scenario.
#[derive(Clone, Debug)]
pub enum Planner {
    /// The optimising planner (`planner::optimize_checked` with the plan checker, as
    /// `drawdown plan` runs it): the best checked plan of the first `effort` policies.
    /// Used for the base plan.
    Best {
        /// Policies to try.
        effort: usize,
    },
    /// One policy of the constructive planner, its fleets then routed again when the base
    /// plan's were. What-ifs re-plan with the policy that made the base plan: as fast as
    /// one run, and a what-if without changes gives the base plan back, so that the diff
    /// shows the changes and not a change of planner.
    Policy {
        /// The policy's name (`planner::policies`).
        name: String,
        /// Its settings.
        config: planner::Config,
        /// Whether its plan's fleets are routed again (`planner::reroute`), as the base
        /// plan's were (`planner::Optimized::rerouted`).
        reroute: bool,
        /// Whether its plan is then finished sooner (`planner::finish_sooner`), as the
        /// base plan was (`planner::Optimized::finished_sooner`).
        sooner: bool,
    },
}

/// A scenario, its plan, the plan's file form and the checker's report on it. Only
/// [`plan_checked`] makes one, so a `Planned` is always feasible.
#[derive(Debug)]
pub struct Planned {
    /// The lowered scenario.
    pub scenario: Scenario,
    /// The planner's plan.
    pub plan: Plan,
    /// The policy that made the plan, to re-plan what-ifs with.
    pub policy: Planner,
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

/// Plan `scenario` as `how` says and check the result; a plan that the checker refuses
/// is an error, never an answer.
pub fn plan_checked(scenario: Scenario, how: &Planner) -> Result<Planned, PlanFailure> {
    let (plan, name, config, reroute, sooner) = match how {
        Planner::Best { effort } => {
            let cfg = planner::OptimizeConfig {
                effort: *effort,
                ..Default::default()
            };
            // As `drawdown plan` plans: every policy's plan checked, the best accepted kept.
            let best = planner::optimize_checked(&scenario, &cfg, &|_, _| {}, &|p| {
                scenario::check::accept(&scenario, p)
            })?;
            (
                best.plan,
                best.policy,
                best.config,
                best.rerouted,
                best.finished_sooner,
            )
        }
        Planner::Policy {
            name,
            config,
            reroute,
            sooner,
        } => {
            let plan = planner::plan(&scenario, config, &mut |_, _| {})?;
            let plan = planner::as_optimized(&scenario, plan, (*reroute, *sooner), &|p| {
                scenario::check::accept(&scenario, p)
            });
            (plan, name.clone(), config.clone(), *reroute, *sooner)
        }
    };
    let mut meta = BTreeMap::new();
    meta.insert(
        "planner".to_string(),
        serde_json::json!("greedy-missions/2"),
    );
    meta.insert("policy".to_string(), serde_json::json!(name));
    let file = scenario::planfile::to_file(&scenario, &plan, meta);
    let report = scenario::check::verify(&scenario, &file);
    if !report.is_feasible() {
        return Err(PlanFailure::Unchecked(report.violations));
    }
    Ok(Planned {
        scenario,
        plan,
        policy: Planner::Policy {
            name,
            config,
            reroute,
            sooner,
        },
        file,
        report,
    })
}
