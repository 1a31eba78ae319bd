//! What the dashboard and the report show besides the plan: the lower bound, the record
//! from a tracking database and the simulated fan (shared by `serve` and `report`).

use anyhow::Context;
use model::{Plan, Scenario};
use std::path::Path;
use std::process::ExitCode;

/// Where the extras come from.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// Compute the LP lower bound.
    pub bound: bool,
    /// Tracking database with the record.
    pub db: Option<&'a Path>,
    /// Campaigns to simulate for the fan.
    pub runs: Option<u64>,
    /// Seed of the simulation.
    pub seed: u64,
}

/// The extras of `plan` (which has passed the checker); `Err` with the exit code after
/// printing the problem.
pub fn gather(
    s: &Scenario,
    plan: &Plan,
    from: Sources<'_>,
) -> anyhow::Result<Result<dashboard::Extras, ExitCode>> {
    let mut extras = dashboard::Extras::default();
    if from.bound {
        match planner::bound(s, &planner::BoundConfig::default()) {
            Ok(b) => extras.bound = Some(b.objective),
            Err(e) => eprintln!("warning: no lower bound: {e}"),
        }
    }
    if let Some(db) = from.db {
        match actual(s, db) {
            Ok(series) => extras.actual = series,
            Err(code) => return Ok(Err(code)),
        }
    }
    if let Some(runs) = from.runs {
        extras.fan = Some(fan(s, plan, runs, from.seed)?);
    }
    Ok(Ok(extras))
}

/// The recorded burn-down from the tracking database, if anything is recorded.
fn actual(s: &Scenario, db: &Path) -> Result<Option<dashboard::Series>, ExitCode> {
    let (store, tracked) = crate::track::open(db)?;
    if tracked.name != s.name {
        eprintln!(
            "error: {} tracks the scenario \"{}\", not \"{}\"\n  fix: give the scenario file the database was created with",
            db.display(),
            tracked.name,
            s.name
        );
        return Err(ExitCode::from(2));
    }
    let log = store.events().map_err(|e| {
        eprintln!("error[{}]: {e}\n  fix: {}", e.code(), e.fix());
        ExitCode::from(2)
    })?;
    let refs: Vec<_> = log.iter().map(|e| (e.id, &e.event)).collect();
    let frozen = store::track::freeze::freeze(s, &refs);
    let Some(last) = frozen.last else {
        return Ok(None);
    };
    let through = s.horizon.period_of(last).unwrap_or(s.horizon.last());
    Ok(Some(dashboard::actual(s, &frozen.plan, through)))
}

/// The simulated fan of the remaining stock.
fn fan(s: &Scenario, plan: &Plan, runs: u64, seed: u64) -> anyhow::Result<dashboard::Fan> {
    let cfg = sim::Config {
        runs,
        seed,
        policy: sim::Policy::Hold,
    };
    let summary = sim::simulate(s, plan, &cfg, &|_, _| {}).context("simulating the plan")?;
    // One row per period, in order (the simulation reports every period of the horizon).
    let people: Vec<[u32; 3]> = summary.fan.iter().map(|r| r.people).collect();
    let teu: Vec<[u32; 3]> = summary.fan.iter().map(|r| r.teu).collect();
    Ok(dashboard::Fan::from_exits(s, runs, seed, &people, &teu))
}
