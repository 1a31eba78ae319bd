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
/// spans the settings that won on the MINUSMA scenario and on generated ones (the first
/// six are the default effort): containers from the hub holding the most stock (its trucks
/// are what limits it) on the quickest or the safest roads mission by mission, then on the
/// quickest only, everything else on the safest; the quickest roads everywhere (the
/// default); containers on the quickest or safest roads everywhere; the safest roads
/// everywhere; the quickest roads with escorts joining en route. Then the top hub's
/// containers on the quickest roads with a long patience, and with escorts joining en
/// route; the quickest roads from the top hub for everything; from every hub with stock
/// due well before the hubs' deadlines; the safest roads with stock due early at hubs; and
/// the quickest roads from each other hub. (`drawdown plan --format json` records every
/// policy's objective in `meta.policies`; the settings come from a grid search over
/// routes, patience, margins and clearance on MINUSMA, recorded in `docs/benchmarks.md`.)
pub fn policies(s: &Scenario) -> Vec<(String, Config)> {
    let base = Config::default();
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
    // The top hub's containers on its quickest roads, everything else on the safest.
    let top = hubs.first().map(|&h| {
        let cfg = Config {
            routes: Routes::QuickestFrom(vec![h]),
            quick_containers_only: true,
            ..base.clone()
        };
        (name(h), cfg)
    });
    let safest = Config {
        routes: Routes::Safest,
        tolerance: 2,
        ..base.clone()
    };
    let mut out = Vec::new();
    let mut push = |name: String, cfg: Config| out.push((name, cfg));
    if let Some((h, from)) = &top {
        push(
            format!("containers on the quickest or safest roads from {h}"),
            Config {
                both_roads: true,
                tolerance: 5,
                margin: 40,
                clearance: 3,
                hop_margin: 0,
                ..from.clone()
            },
        );
        push(
            format!("containers on the quickest roads from {h}"),
            Config {
                tolerance: 0,
                margin: 40,
                clearance: 0,
                hop_margin: 5,
                ..from.clone()
            },
        );
    }
    push("quickest roads".to_string(), base.clone());
    push(
        "containers on the quickest or safest roads".to_string(),
        Config {
            quick_containers_only: true,
            both_roads: true,
            tolerance: 5,
            margin: 40,
            clearance: 6,
            hop_margin: 5,
            ..base.clone()
        },
    );
    push(
        "safest roads".to_string(),
        Config {
            margin: 40,
            clearance: 0,
            hop_margin: 0,
            ..safest.clone()
        },
    );
    push(
        "quickest roads, escorts join en route".to_string(),
        Config {
            escorts_join: true,
            ..base.clone()
        },
    );
    if let Some((h, from)) = &top {
        push(
            format!("containers on the quickest roads from {h}, long patience"),
            Config {
                tolerance: 5,
                margin: 40,
                clearance: 3,
                hop_margin: 0,
                ..from.clone()
            },
        );
        push(
            format!("containers on the quickest roads from {h}, escorts join en route"),
            Config {
                escorts_join: true,
                tolerance: 8,
                margin: 40,
                clearance: 3,
                hop_margin: 0,
                ..from.clone()
            },
        );
        push(
            format!("quickest roads from {h}"),
            Config {
                quick_containers_only: false,
                tolerance: 5,
                margin: 40,
                clearance: 3,
                hop_margin: 0,
                ..from.clone()
            },
        );
    }
    if hubs.len() > 1 {
        push(
            "quickest roads from every hub, early at hubs".to_string(),
            Config {
                routes: Routes::QuickestFrom(hubs.clone()),
                tolerance: 5,
                margin: 20,
                clearance: 10,
                hop_margin: 0,
                ..base.clone()
            },
        );
    }
    push(
        "safest roads, early at hubs".to_string(),
        Config {
            margin: 20,
            clearance: 10,
            hop_margin: 5,
            ..safest
        },
    );
    for &h in hubs.iter().skip(1) {
        push(
            format!("quickest roads from {}", name(h)),
            Config {
                routes: Routes::QuickestFrom(vec![h]),
                tolerance: 0,
                margin: 40,
                clearance: 0,
                hop_margin: 5,
                ..base.clone()
            },
        );
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
