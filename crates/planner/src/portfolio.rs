//! The optimising planner: the constructive planner run under several policies, keeping
//! the plan with the lowest objective.
//!
//! The constructive planner makes one decision after another and never revisits them;
//! which policy suits a scenario depends on where it is tight. The safest roads cut
//! exposure, which dominates most objectives, but a hub that must clear thousands of
//! items between its `not_before` and its deadline may need its trucks on the quickest
//! roads to cycle fast enough; how long a mission may wait for a safer option and how early
//! stock must reach a hub are the other levers. Each policy is an independent run, so the
//! runs go in parallel and the result does not depend on the number of threads: the best
//! objective wins, ties going to the earlier policy in the fixed list.

use crate::greedy::{Config, PlanError, Routes, plan};
use model::{Plan, Scenario, SiteId, SiteKind};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// Settings of the optimising planner.
#[derive(Clone, Debug)]
pub struct OptimizeConfig {
    /// How many policies of the fixed list to try (at least 1; the list is ordered by how
    /// often each policy wins, so a small effort keeps the most useful ones).
    pub effort: usize,
}

impl Default for OptimizeConfig {
    fn default() -> Self {
        OptimizeConfig { effort: 6 }
    }
}

/// The best plan found and how.
#[derive(Clone, Debug)]
pub struct Optimized {
    /// The plan with the lowest objective.
    pub plan: Plan,
    /// The policy that made it, in words.
    pub policy: String,
    /// Policies tried.
    pub tried: usize,
    /// Objective of each policy tried, in list order (`None` when it found no plan).
    pub objectives: Vec<Option<f64>>,
}

/// The policies, most useful first. The constructive planner reacts sharply to its
/// settings (a mission chosen for lower exposure can delay a hub by days), so the list
/// spans the settings that won on the MINUSMA scenario and on generated ones: containers
/// on the quickest roads from the hub holding the most stock (its trucks are what limits
/// it), everything else on the safest, with no patience and then with a long one; the
/// quickest roads everywhere (the default); the same hub with everything on its quickest
/// roads; containers on the quickest roads everywhere; the safest roads everywhere; the
/// quickest roads from every hub with stock due well before the hubs' deadlines; then the
/// safest roads with stock due early at hubs, and the quickest roads from each other hub.
/// (`drawdown plan --format json` records every policy's objective in `meta.policies`;
/// the settings come from a grid search over routes, patience, margins and clearance on
/// MINUSMA, recorded in `docs/benchmarks.md`.)
pub fn policies(s: &Scenario) -> Vec<(String, Config)> {
    let base = Config::default();
    // Routes, containers only on the quick ones, patience, margin, clearance, hop margin.
    let with =
        |routes: Routes, cargo: bool, tolerance: u32, margin: u32, clearance: u32, hop: u32| {
            Config {
                routes,
                quick_containers_only: cargo,
                tolerance,
                margin,
                clearance,
                hop_margin: hop,
                ..base.clone()
            }
        };
    let mut hubs: Vec<SiteId> = (0..s.sites.len())
        .map(|i| SiteId(i as u32))
        .filter(|&i| s.site(i).kind == SiteKind::Hub)
        .collect();
    // Most stock first; ties by id so the list is deterministic.
    hubs.sort_by_key(|&h| {
        let x = &s.site(h).initial;
        (
            std::cmp::Reverse(x.teu + x.vehicles + x.people()),
            s.site(h).id.clone(),
        )
    });
    let name = |h: SiteId| s.site(h).id.clone();
    let top = hubs.first().copied();
    let mut out = Vec::new();
    if let Some(h) = top {
        let from = || Routes::QuickestFrom(vec![h]);
        out.push((
            format!("containers on the quickest roads from {}", name(h)),
            with(from(), true, 0, 40, 0, 5),
        ));
        out.push((
            format!(
                "containers on the quickest roads from {}, long patience",
                name(h)
            ),
            with(from(), true, 5, 40, 3, 0),
        ));
    }
    out.push(("quickest roads".to_string(), base.clone()));
    if let Some(h) = top {
        out.push((
            format!("quickest roads from {}", name(h)),
            with(Routes::QuickestFrom(vec![h]), false, 5, 40, 3, 0),
        ));
    }
    out.push((
        "containers on the quickest roads".to_string(),
        with(Routes::Quickest, true, 2, 40, 0, 5),
    ));
    out.push((
        "safest roads".to_string(),
        with(Routes::Safest, false, 2, 40, 0, 0),
    ));
    if hubs.len() > 1 {
        out.push((
            "quickest roads from every hub, early at hubs".to_string(),
            with(Routes::QuickestFrom(hubs.clone()), false, 5, 20, 10, 0),
        ));
    }
    out.push((
        "safest roads, early at hubs".to_string(),
        with(Routes::Safest, false, 2, 20, 10, 5),
    ));
    for &h in hubs.iter().skip(1) {
        out.push((
            format!("quickest roads from {}", name(h)),
            with(Routes::QuickestFrom(vec![h]), false, 0, 40, 0, 5),
        ));
    }
    out
}

/// Run the first `cfg.effort` policies and keep the best plan; `progress(done, total)` is
/// called as policies finish (from any thread). Fails only when no policy finds a plan
/// (with the first policy's error).
pub fn optimize(
    s: &Scenario,
    cfg: &OptimizeConfig,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Optimized, PlanError> {
    let all = policies(s);
    let n = cfg.effort.clamp(1, all.len());
    let done = AtomicU64::new(0);
    let runs: Vec<Result<Plan, PlanError>> = all[..n]
        .par_iter()
        .map(|(_, c)| {
            let r = plan(s, c, &mut |_, _| {});
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, n as u64);
            r
        })
        .collect();
    let objectives: Vec<Option<f64>> = runs
        .iter()
        .map(|r| r.as_ref().ok().map(|p| p.totals.objective))
        .collect();
    let best = (0..n).filter(|&i| runs[i].is_ok()).min_by(|&i, &j| {
        let (a, b) = (
            objectives[i].unwrap_or(f64::MAX),
            objectives[j].unwrap_or(f64::MAX),
        );
        a.total_cmp(&b).then(i.cmp(&j))
    });
    let mut runs = runs;
    match best {
        Some(i) => Ok(Optimized {
            plan: runs.swap_remove(i).expect("checked ok"),
            policy: all[i].0.clone(),
            tried: n,
            objectives,
        }),
        None => Err(runs.swap_remove(0).expect_err("no run succeeded")),
    }
}
