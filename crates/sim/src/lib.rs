//! Monte Carlo simulation of a drawdown plan under sampled hazards.
//!
//! A plan made on paper meets roadside bombs, sandstorms, broken trucks and refused
//! permissions. This crate executes a [`model::Plan`] day by day, many times over, under the
//! hazards of the scenario ([`model::Hazards`]: attacks per road, breakdowns, seasons,
//! host-state permission, closures, early departures), with a recovery [`Policy`], and
//! reports how likely each site is to close on time, the fan of the personnel and
//! container curves, what is left behind at the deadline, the incidents, and which hazards
//! make sites late ([`Summary`]).
//!
//! The simulation is a pure function of (scenario, plan, policy, seed): it does no IO and
//! reads no clock. Campaign `i` draws only from ChaCha8 streams keyed by (seed, `i`), one
//! stream per hazard source, so the result is the same on any number of threads and two
//! what-ifs run with the same seed share their random numbers. The rules are in
//! `docs/simulation.md`.
//!
//! ```
//! let text = std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../../scenarios/examples/road-shuttle.toml"
//! ))
//! .unwrap();
//! let s = scenario::load_str("road-shuttle.toml", &text).unwrap().scenario;
//! let plan = planner::plan(&s, &planner::Config::default(), &mut |_, _| {}).unwrap();
//! let cfg = sim::Config { runs: 20, seed: 7, policy: sim::Policy::Hold };
//! let summary = sim::simulate(&s, &plan, &cfg, &|_, _| {}).unwrap();
//! // The example has no hazards, so every campaign closes every site as planned.
//! for site in &summary.sites {
//!     assert_eq!(site.closure[1], site.planned);
//!     assert_eq!(site.on_time.mean, if site.late_in_plan { 0.0 } else { 1.0 });
//! }
//! ```

mod compile;
mod replan;
mod rng;
mod run;
mod stats;

pub use stats::{
    CauseRow, Estimate, Events, FanRow, Left, SiteDiff, SiteSummary, Summary, compare,
};

use compile::{Program, Tables};
use model::{AircraftId, FleetId, Plan, Scenario};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the simulation does when the plan falls behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Hold and retry: a movement that cannot leave waits and tries again the next day (or
    /// when its permission is answered), and the site's later movements wait behind it.
    Hold,
    /// Hold and retry, and when some site's oldest waiting movement is `after_days`
    /// periods late, plan the remaining work again from the simulated state with the
    /// planner, at most `max_replans` times per campaign.
    Replan {
        /// Periods of lateness that trigger a re-plan.
        after_days: u32,
        /// Re-plans allowed per campaign.
        max_replans: u32,
    },
}

impl Policy {
    /// A short name for reports: `hold` or `replan`.
    pub fn name(&self) -> &'static str {
        match self {
            Policy::Hold => "hold",
            Policy::Replan { .. } => "replan",
        }
    }
}

/// Simulation settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Number of campaigns (Monte Carlo runs).
    pub runs: u64,
    /// Master seed; campaign `i` is keyed by (seed, `i`).
    pub seed: u64,
    /// Recovery policy.
    pub policy: Policy,
}

/// Why a simulation could not run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SimError {
    /// Zero campaigns were asked for.
    #[error("no campaigns to run; ask for at least one")]
    NoRuns,
    /// The plan does not fit the scenario (check it with the checker first).
    #[error("the plan does not fit the scenario: {0}")]
    Plan(String),
}

/// What happened in one campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOutcome {
    /// Closure period per site (`u32::MAX`: still holding stock at the horizon's end;
    /// exits: `u32::MAX`, meaningless).
    pub closure: Vec<u32>,
    /// Per site, the hazard source that made it later than both its deadline and its
    /// planned closure (an index into the hazard sources of the simulation, whose names
    /// [`Summary::causes`] reports; 0 when none).
    pub cause: Vec<u16>,
    /// Per site, personnel, containers and vehicles still there at the end of its deadline.
    pub held_at_deadline: Vec<u32>,
    /// Cumulative personnel out through exits at the end of each period.
    pub people_out: Vec<u32>,
    /// Cumulative containers out through exits at the end of each period.
    pub teu_out: Vec<u32>,
    /// At the end of the mission deadline: personnel, TEU and vehicles still at a base or
    /// hub; TEU and vehicles destroyed; TEU and vehicles abandoned.
    pub at_deadline: [u32; 7],
    /// Incidents (attacks, roadside bombs).
    pub incidents: u32,
    /// Personnel aboard convoys hit by an incident.
    pub persons_hit: u32,
    /// Expected injured: personnel aboard hit convoys x the road's injured share.
    pub casualties: f64,
    /// Casualty exposure: personnel on every traverse x incident chance x injured share.
    pub casualty_exposure: f64,
    /// Fleet units destroyed (replaced from reserve).
    pub units_destroyed: u32,
    /// Containers destroyed with their trucks.
    pub teu_destroyed: u32,
    /// Stock vehicles destroyed.
    pub vehicles_destroyed: u32,
    /// Containers abandoned by the plan.
    pub teu_abandoned: u32,
    /// Vehicles abandoned by the plan.
    pub vehicles_abandoned: u32,
    /// Units that broke down.
    pub breakdowns: u32,
    /// Permission requests refused.
    pub refusals: u32,
    /// Re-plans made because a movement fell too far behind.
    pub replans: u32,
    /// Re-plans made on the day stock left out of an earlier re-plan (a site's own stock
    /// before its `not_before`) may leave; not limited.
    pub releases: u32,
    /// Re-plans that found no plan (the campaign went on holding).
    pub replan_failures: u32,
    /// Movements cancelled because they never could leave (their fleet or aircraft type
    /// left, or its availability window was over).
    pub cancelled: u32,
}

impl RunOutcome {
    fn empty(sites: usize, periods: usize) -> Self {
        RunOutcome {
            closure: vec![u32::MAX; sites],
            cause: vec![0; sites],
            held_at_deadline: vec![0; sites],
            people_out: vec![0; periods],
            teu_out: vec![0; periods],
            at_deadline: [0; 7],
            incidents: 0,
            persons_hit: 0,
            casualties: 0.0,
            casualty_exposure: 0.0,
            units_destroyed: 0,
            teu_destroyed: 0,
            vehicles_destroyed: 0,
            teu_abandoned: 0,
            vehicles_abandoned: 0,
            breakdowns: 0,
            refusals: 0,
            replans: 0,
            releases: 0,
            replan_failures: 0,
            cancelled: 0,
        }
    }
}

/// The plan compiled for the scenario.
fn prepare(s: &Scenario, plan: &Plan) -> Result<(Tables, Program), SimError> {
    let tables = Tables::new(s);
    let fleets: Vec<FleetId> = (0..s.fleets.len() as u32).map(FleetId).collect();
    let aircraft: Vec<AircraftId> = (0..s.aircraft.len() as u32).map(AircraftId).collect();
    let mut program = Program::default();
    program.extend(s, plan, 0, &fleets, &aircraft)?;
    Ok((tables, program))
}

/// Campaign `run` of master seed `seed` alone (what [`simulate`] runs for each index).
pub fn campaign(
    s: &Scenario,
    plan: &Plan,
    policy: Policy,
    seed: u64,
    run: u64,
) -> Result<RunOutcome, SimError> {
    let (tables, program) = prepare(s, plan)?;
    Ok(run::Campaign::new(s, &tables, &program, policy).run(seed, run))
}

/// Run `cfg.runs` campaigns of `plan` in parallel (on the current rayon pool) and
/// summarise them. `progress(done, total)` is called from the worker threads after each
/// campaign.
pub fn simulate(
    s: &Scenario,
    plan: &Plan,
    cfg: &Config,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Summary, SimError> {
    if cfg.runs == 0 {
        return Err(SimError::NoRuns);
    }
    let (tables, program) = prepare(s, plan)?;
    let done = AtomicU64::new(0);
    let outcomes: Vec<RunOutcome> = (0..cfg.runs)
        .into_par_iter()
        .map_init(
            || run::Campaign::new(s, &tables, &program, cfg.policy),
            |c, i| {
                let o = c.run(cfg.seed, i);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, cfg.runs);
                o
            },
        )
        .collect();
    Ok(stats::summarize(s, &tables, &program, cfg, &outcomes))
}
