//! The bound's time-expanded model handed to HiGHS's MIP solver, for comparison with the
//! constructive planner (issue 3, point 5: "the solver a user would otherwise pick").
//!
//! The model is [`crate::bound`]'s free LP, at the same periods (on large scenarios the
//! static model, one period over the horizon, and the same pooling of fleets across
//! homes), with the fleet units on every road arc and the
//! sorties on every flight arc made integer. Its optimum is therefore an integer flow of
//! the relaxation, not a plan the checker would accept: rear guards, `after`, convoy size,
//! round trips of teams and, with coarse periods, exact travel times are not in it. What
//! it gives is a second lower bound (HiGHS's dual bound on the integer model, never below
//! the LP's) and an incumbent whose objective shows what a general solver reaches on this
//! model in the time allowed. Both carry the bound's lateness term and its shortest-path
//! makespan term (not the completion LP's, which would take several more solves), so the
//! figures compare with the plan objective directly.
//!
//! ```
//! let text = std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../../scenarios/examples/road-shuttle.toml"
//! ))
//! .unwrap();
//! let s = scenario::load_str("road-shuttle.toml", &text).unwrap().scenario;
//! let cfg = planner::MipConfig { time_limit_s: 10.0, ..Default::default() };
//! let m = planner::mip(&s, &cfg).unwrap();
//! let b = planner::bound(&s, &planner::BoundConfig::default()).unwrap();
//! // The MIP adds the same lateness and (shortest-path) makespan terms as the bound.
//! let w = &s.objective;
//! let extra = w.lateness * f64::from(b.late_days) + w.makespan * f64::from(b.makespan_paths_days);
//! assert!(m.dual_bound >= b.flow + extra - 1e-6);
//! assert!(m.objective.is_some_and(|o| o >= m.dual_bound - 1e-6));
//! ```

use crate::bound::{
    BoundConfig, BoundError, Lp, Mode, granularity, lateness_bound, makespan_bound,
};
use highs::{HighsModelStatus, Sense};
use model::Scenario;
use std::time::Instant;

/// Settings of the MIP run.
#[derive(Clone, Debug)]
pub struct MipConfig {
    /// Wall-clock limit handed to HiGHS, seconds.
    pub time_limit_s: f64,
    /// Periods and pooling as for the bound (the same model at the same granularity).
    pub bound: BoundConfig,
}

impl Default for MipConfig {
    fn default() -> Self {
        MipConfig {
            time_limit_s: 60.0,
            bound: BoundConfig::default(),
        }
    }
}

/// What HiGHS's MIP solver reached.
#[derive(Clone, Debug, PartialEq)]
pub struct MipResult {
    /// Objective of the best integer solution found (with the bound's lateness and
    /// makespan terms), if any was found in time.
    pub objective: Option<f64>,
    /// HiGHS's dual bound on the integer model (same terms added): a valid lower bound
    /// on every plan's objective.
    pub dual_bound: f64,
    /// HiGHS's final status, e.g. `Optimal` or `ReachedTimeLimit`.
    pub status: String,
    /// Days per period of the model.
    pub aggregate: u32,
    /// Whether fleets were pooled across homes.
    pub pooled: bool,
    /// Model size.
    pub columns: usize,
    /// Model size.
    pub rows: usize,
    /// Seconds to build and solve.
    pub seconds: f64,
}

/// Build the integer model of `s` and solve it with HiGHS's MIP solver under the time
/// limit (one thread, for comparison with the single-threaded planner).
pub fn mip(s: &Scenario, cfg: &MipConfig) -> Result<MipResult, BoundError> {
    let t0 = Instant::now();
    let (k, pooled) = granularity(s, &cfg.bound);
    let pp = crate::periods::Periods::uniform(s.horizon.periods, k);
    let lp = Lp::build(s, &pp, Mode::Objective, pooled, true);
    let (columns, rows) = (lp.pb.num_cols(), lp.pb.num_rows());
    let mut model = lp.pb.optimise(Sense::Minimise);
    model.make_quiet();
    model.set_option("threads", 1);
    model.set_option("time_limit", cfg.time_limit_s.max(0.0));
    let solved = model.solve();
    let status = solved.status();
    if status == HighsModelStatus::Infeasible {
        return Err(BoundError::Infeasible);
    }
    let w = &s.objective;
    let extra =
        w.lateness * f64::from(lateness_bound(s)) + w.makespan * f64::from(makespan_bound(s));
    let dual = solved
        .double_info_value(c"mip_dual_bound")
        .map_err(|e| BoundError::Solver(format!("no MIP dual bound ({e:?})")))?;
    // HiGHS reports an infinite objective when it found no integer solution.
    let incumbent = solved.objective_value();
    let has_incumbent = incumbent.is_finite()
        && solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    Ok(MipResult {
        objective: has_incumbent.then_some(incumbent + extra),
        dual_bound: if dual.is_finite() {
            dual + extra
        } else {
            extra
        },
        status: format!("{status:?}"),
        aggregate: k,
        pooled,
        columns,
        rows,
        seconds: t0.elapsed().as_secs_f64(),
    })
}
