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
//!
//! An effort beyond the fixed list buys a local search, in rounds of [`ROUND`] runs drawn
//! from a ChaCha8 stream of the user's seed before the round runs, so the same seed and
//! effort give the same plan on any number of threads. Half of a round are splices: the
//! best plan's movements before a random day are kept and the rest is planned again from
//! that day under a random policy of the list ([`crate::plan_from`], as a re-plan
//! does), so a plan can take its first months from one policy and its end from
//! another. The other half are random neighbours of the best policy's settings (one or
//! two changed). A time limit stops the search between rounds; the result then depends
//! on the machine's speed, which the output says (it records every run).

use crate::greedy::{Config, PlanError, Routes, plan, plan_from};
use model::{Period, Plan, Scenario, SiteId, SiteKind};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Runs per round of the local search, half of them splices (a constant, not the thread
/// count, so that the rounds and the result do not depend on the machine).
pub const ROUND: usize = 8;

/// Settings of the optimising planner.
#[derive(Clone, Debug)]
pub struct OptimizeConfig {
    /// How many runs in all (at least 1): first the policies of the fixed list (it is
    /// ordered by how often each policy wins, so a small effort keeps the most useful
    /// ones), then splices of the best plan and random neighbours of its policy.
    pub effort: usize,
    /// Seed of the local search's random neighbours.
    pub seed: u64,
    /// Start no round of the local search after this long (`None`: run every round the
    /// effort allows, the reproducible choice).
    pub time_limit: Option<Duration>,
}

impl Default for OptimizeConfig {
    fn default() -> Self {
        OptimizeConfig {
            effort: 10,
            seed: 1,
            time_limit: None,
        }
    }
}

/// The best plan found and how.
#[derive(Clone, Debug)]
pub struct Optimized {
    /// The plan with the lowest objective.
    pub plan: Plan,
    /// The policy that made it, in words (a splice names the plan it kept the start of,
    /// the day, and the policy that planned the rest).
    pub policy: String,
    /// Its settings, to re-plan what-ifs the same way (then routing the fleets again with
    /// [`crate::reroute`] when [`Optimized::rerouted`] says so). For a splice, those of the
    /// policy that planned its end: a what-if planned from scratch with them may cost more
    /// than the splice, so against a splice what-ifs err on the side of less gain.
    pub config: Config,
    /// Runs made.
    pub tried: usize,
    /// Each run, in order, with its objective (`None` when it found no plan).
    pub objectives: Vec<(String, Option<f64>)>,
    /// Policies whose plan the caller's check rejected ([`optimize_checked`]), with the
    /// reason: planner bugs, reported rather than returned.
    pub rejected: Vec<(String, String)>,
    /// Whether the plan's fleets were routed again ([`crate::reroute`]); re-plans of
    /// what-ifs should be routed again too, to compare like with like.
    pub rerouted: bool,
    /// Whether the plan was then finished sooner ([`crate::finish_sooner`], after the
    /// routing); re-plans of what-ifs should be too.
    pub finished_sooner: bool,
}

/// A caller's independent check of a plan: `Err` with the reason when it rejects it.
pub type Accept<'a> = &'a (dyn Fn(&Plan) -> Result<(), String> + Sync);

/// The policies, most useful first. The constructive planner reacts sharply to its settings
/// (a mission chosen for lower exposure can delay a hub by days), so the list spans the
/// settings that won on the MINUSMA scenario and on generated ones (the first ten are the
/// default effort): containers from the hub holding the most stock (its trucks are what
/// limits it) on the quickest or the safest roads mission by mission, their trucks home
/// empty on the safest, then on the quickest only, everything else on the safest; the
/// quickest roads everywhere (the default); containers on the quickest or safest roads
/// everywhere, empty trucks on the safest; the safest roads everywhere with the quickest
/// offered, patient teams from the 8 nearest homes, and escorts leaving stock vehicles
/// where their roads need no more; the quickest roads with escorts joining en route;
/// everything on the quickest or safest roads, empty trucks on the safest; the quickest
/// roads for containers with escorts joining en route, vehicles and personnel offered the
/// safest roads too, teams from the 4 nearest homes; the same with patience 1 and margin
/// 20; the second with margin 10 and teams from the 4 nearest homes. All but the quickest
/// and the safest roads send rear guards on early where nothing waits for them
/// (`Config::early_reserves`: MINUSMA 26,942 -> 26,831, generated 30 sites 78,258 ->
/// 67,779; the two without it keep the generated 100 and 300 sites' best). Then the top
/// hub's containers on the quickest roads with a long patience, and with escorts joining en
/// route; the quickest roads from the top hub for everything; from every hub with stock due
/// well before the hubs' deadlines; the safest roads with stock due early at hubs; and the
/// quickest roads from each other hub. (`drawdown plan --format json` records every
/// policy's objective in `meta.policies`; the settings come from a grid search over routes,
/// patience, margins and clearance on MINUSMA, and for the safest roads from a random local
/// search on MINUSMA, both recorded in `docs/benchmarks.md`.)
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
    // The top hub's containers with a long patience (also the first policy's settings).
    let patient = top.as_ref().map(|(_, from)| Config {
        tolerance: 5,
        margin: 40,
        clearance: 3,
        hop_margin: 0,
        ..from.clone()
    });
    if let (Some((h, from)), Some(patient)) = (&top, &patient) {
        push(
            format!("containers on the quickest or safest roads from {h}, rear guards early"),
            Config {
                both_roads: true,
                safe_returns: true,
                early_reserves: true,
                ..patient.clone()
            },
        );
        push(
            format!("containers on the quickest roads from {h}, rear guards early"),
            Config {
                tolerance: 0,
                margin: 40,
                clearance: 0,
                hop_margin: 5,
                early_reserves: true,
                ..from.clone()
            },
        );
    }
    push("quickest roads".to_string(), base.clone());
    push(
        "containers on the quickest or safest roads, rear guards early".to_string(),
        Config {
            quick_containers_only: true,
            both_roads: true,
            safe_returns: true,
            tolerance: 5,
            margin: 40,
            clearance: 6,
            hop_margin: 5,
            early_reserves: true,
            ..base.clone()
        },
    );
    // The safest roads with the quickest offered mission by mission, patient, empty
    // trucks home on the safest, teams from the 8 nearest homes, and the escorts of stock
    // vehicles driving alone only on the roads that need them
    // (`Config::escorts_leave_stock`). A random local search on MINUSMA found it, from
    // the former settings of this policy (teams that set off a quarter full, patience 6,
    // margin 20, clearance 9, hop margin 3: 25,748, the best then) with the escorts
    // leaving: 25,583, no site late (25,443 since flights count the container capacity
    // of their sorties). It also wins the generated 10-site scenario (5,243 -> 5,181),
    // and the former settings won nowhere else (`docs/benchmarks.md`).
    push(
        "safest or quickest roads, patient, teams from the 8 nearest homes, escorts only \
         where needed"
            .to_string(),
        Config {
            both_roads: true,
            safe_returns: true,
            tolerance: 11,
            margin: 30,
            clearance: 4,
            hop_margin: 1,
            team_homes: 8,
            escorts_leave_stock: true,
            ..safest.clone()
        },
    );
    push(
        "quickest roads, escorts join en route, rear guards early".to_string(),
        Config {
            escorts_join: true,
            early_reserves: true,
            ..base.clone()
        },
    );
    // Everything races on the quickest roads with the safest offered mission by mission,
    // stock vehicles and personnel as well as containers. On MINUSMA it sends 663
    // containers from Gao on the direct road to Bamako instead of 1,008, uses Sevare's
    // handling to the full on most days from 16 November to 17 December, and its trucks
    // drive 11.5 M hazard-weighted km instead of 12.0 M: 26,729 -> 26,232. Clearance and
    // hop margin come from a local search around the fourth policy, and the point is a
    // sharp minimum (its random neighbours, one or two settings changed, score 26,383 to
    // 30,574). The generated 10- to 300-site scenarios keep their best policies.
    push(
        "everything on the quickest or safest roads, rear guards early".to_string(),
        Config {
            both_roads: true,
            safe_returns: true,
            tolerance: 5,
            margin: 40,
            clearance: 4,
            hop_margin: 7,
            early_reserves: true,
            ..base.clone()
        },
    );
    // The fifth policy with the camps' vehicles and people offered the safest roads
    // mission by mission while the containers race (`both_roads_except_containers`): on
    // the generated 1,000-site scenario, where only the quickest roads keep the trucks in
    // pace, 1,271,229 -> 1,195,080 with no site late. It loses at 30 and 300 sites, so it
    // is a policy of its own. Its teams come from the 4 nearest homes, not 6: fewer long
    // drives out to far camps, and after the relays of `finish::carry_on` the generated
    // 1,000-site scenarios of seeds 1 and 3 fall from 1,140,764 to 1,092,268 and from
    // 1,170,071 to 1,145,307 (3 and 5 homes win on one seed and lose on the other).
    let racing_containers = Config {
        escorts_join: true,
        early_reserves: true,
        both_roads_except_containers: true,
        team_homes: 4,
        ..base.clone()
    };
    push(
        "quickest roads for containers, quickest or safest for the rest, escorts join en route, \
         rear guards early"
            .to_string(),
        racing_containers.clone(),
    );
    // The same with patience 1 and margin 20: missions may finish a period later when
    // they expose less, and only those leaving 20 periods before the deadline are chosen
    // for exposure alone. It wins on the generated 30-site scenario (67,763 with the other
    // policies -> 62,910, no site late), 300 sites (255,488 -> 251,955) and 1,000 sites of
    // seed 3 (1,145,307 -> 1,109,335), and nowhere else.
    push(
        "quickest roads for containers, quickest or safest for the rest, escorts join en route, \
         rear guards early, patience 1, margin 20"
            .to_string(),
        Config {
            tolerance: 1,
            margin: 20,
            ..racing_containers
        },
    );
    // The second policy with a margin of 10 (only missions leaving 10 periods before the
    // deadline are chosen for exposure alone), stock due at hubs 2 periods early, hops
    // landing 18 periods before the airfield's due period, and teams from the 4 nearest
    // homes. Found by a random local search from the second policy on the generated
    // 300-site scenario (seed 1: 211,776 -> 183,274), it also wins seed 2's (209,158 ->
    // 200,551) and nowhere else among MINUSMA and the generated 10- to 1,000-site
    // scenarios of seeds 1 to 3 (`docs/benchmarks.md`).
    if let Some((h, from)) = &top {
        push(
            format!(
                "containers on the quickest roads from {h}, margin 10, teams from the 4 \
                 nearest homes, rear guards early"
            ),
            Config {
                tolerance: 0,
                margin: 10,
                clearance: 2,
                hop_margin: 18,
                team_homes: 4,
                early_reserves: true,
                ..from.clone()
            },
        );
    }
    if let (Some((h, from)), Some(patient)) = (&top, &patient) {
        push(
            format!("containers on the quickest roads from {h}, long patience"),
            patient.clone(),
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

/// Run the first `cfg.effort` policies of the fixed list, then (effort left) rounds of
/// random neighbours of the best, and keep the best plan; `progress(done, total)` is
/// called as policies finish (from any thread). Fails only when no policy finds a plan
/// (with the first policy's error).
pub fn optimize(
    s: &Scenario,
    cfg: &OptimizeConfig,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Optimized, PlanError> {
    optimize_checked(s, cfg, progress, &|_| Ok(()))
}

/// [`optimize`], keeping only plans that `accept` takes: the caller's independent check
/// (the planner never judges its own plans; the CLI passes the plan checker). A rejected
/// plan is a planner bug: it is listed in [`Optimized::rejected`] and the best accepted
/// plan wins, so one policy's bug does not cost the user a plan. When every plan is
/// rejected the best of them is returned all the same, for the caller's check to report.
pub fn optimize_checked(
    s: &Scenario,
    cfg: &OptimizeConfig,
    progress: &(dyn Fn(u64, u64) + Sync),
    accept: Accept<'_>,
) -> Result<Optimized, PlanError> {
    search(s, None, cfg, progress, accept)
}

/// The optimising planner ([`optimize_checked`]) and the lower bound of the same scenario
/// (`bound_cfg`; `None`: no bound), as `drawdown plan` runs them. Unless its completion
/// search can use the plan's makespan ([`crate::uses_makespan_hint`]), the bound needs
/// nothing from the plan and is solved alongside the planning (on MINUSMA its LPs are most
/// of the CPU once the planner is fast); otherwise it is solved after a plan is found,
/// with the plan's makespan as its search limit. No plan, no bound after it.
pub fn optimize_and_bound(
    s: &Scenario,
    cfg: &OptimizeConfig,
    bound_cfg: Option<&crate::BoundConfig>,
    progress: &(dyn Fn(u64, u64) + Sync),
    accept: Accept<'_>,
) -> (
    Result<Optimized, PlanError>,
    Option<Result<crate::Bound, crate::BoundError>>,
) {
    let early = bound_cfg.filter(|b| !crate::uses_makespan_hint(s, b));
    let (best, bound) = rayon::join(
        || optimize_checked(s, cfg, progress, accept),
        || early.map(|b| crate::bound(s, b)),
    );
    let bound = match (bound, bound_cfg, &best) {
        (Some(b), _, _) => Some(b),
        // A plan's makespan is achievable, so the completion search stops there.
        (None, Some(b), Ok(o)) => Some(crate::bound(
            s,
            &crate::BoundConfig {
                makespan_hint_days: Some(o.plan.totals.makespan_days),
                ..b.clone()
            },
        )),
        (None, _, _) => None,
    };
    (best, bound)
}

/// Where a re-plan starts ([`replan_checked`]).
#[derive(Clone, Copy, Debug)]
pub struct Replan<'a> {
    /// The recorded movements, kept unchanged.
    pub frozen: &'a Plan,
    /// The first period in which new movements may depart.
    pub now: Period,
    /// The plan being replaced, when there is one: its movements from `now` on, after the
    /// recorded ones, are the first candidate (see [`replan_checked`]).
    pub current: Option<&'a Plan>,
}

/// [`optimize_checked`] for a re-plan: every policy plans the rest of the withdrawal from
/// `now` after the recorded movements of `frozen` ([`crate::plan_from`], which keeps them
/// unchanged), splices keep the best re-plan's movements before a random day after `now`,
/// and the best plan that `accept` takes wins. A re-plan from a recorded state is then as
/// good as a plan from scratch: the default policy alone, which `track replan` used
/// before, plans MINUSMA with nothing recorded at 29,289, 15% above the best policy's
/// 25,443 (and 17% above the routed 25,008).
///
/// The plan being replaced ([`Replan::current`]), carried on from `now` after the
/// recorded movements, runs first, beyond the effort: where the record kept to it, it is
/// still feasible, and since ties go to the earlier run, a re-plan keeps it unless a
/// policy or a splice of it does better (its [`Optimized::config`] is then the default
/// policy's). Where what happened left it behind, `accept` rejects it, which is no
/// planner bug: it is listed in [`Optimized::objectives`] without an objective, not in
/// [`Optimized::rejected`]. The best plan's fleets are then routed again from `now`
/// ([`crate::reroute_from`]: the recorded movements keep their units, and the units start
/// where those leave them).
pub fn replan_checked(
    s: &Scenario,
    start: Replan<'_>,
    cfg: &OptimizeConfig,
    progress: &(dyn Fn(u64, u64) + Sync),
    accept: Accept<'_>,
) -> Result<Optimized, PlanError> {
    search(s, Some(start), cfg, progress, accept)
}

/// The search behind [`optimize_checked`] (`start`: `None`) and [`replan_checked`].
fn search(
    s: &Scenario,
    start: Option<Replan<'_>>,
    cfg: &OptimizeConfig,
    progress: &(dyn Fn(u64, u64) + Sync),
    accept: Accept<'_>,
) -> Result<Optimized, PlanError> {
    let t0 = Instant::now();
    let effort = cfg.effort.max(1);
    let fixed = policies(s);
    let carried = start.and_then(|r| {
        let current = r.current?;
        let name = format!(
            "the current plan, carried on from {}",
            s.horizon.date(r.now)
        );
        Some((name, Job::Carry(carry_on(r.frozen, current, r.now))))
    });
    // The carried-on plan is a run beyond the effort.
    let effort = effort + usize::from(carried.is_some());
    let mut todo: Vec<(String, Job)> = carried
        .into_iter()
        .chain(
            fixed
                .iter()
                .map(|(n, c)| (n.clone(), Job::Whole(c.clone()))),
        )
        .take(effort)
        .collect();
    let total = effort as u64;
    let done = AtomicU64::new(0);
    // Each run's plan, and the check's verdict on it (checked in parallel too).
    type Run = Result<(Plan, Result<(), String>), PlanError>;
    let run = |batch: &[(String, Job)], best: Option<&Plan>| -> Vec<Run> {
        batch
            .par_iter()
            .map(|(_, job)| {
                let r = match (job, start) {
                    (Job::Whole(c), None) => plan(s, c, &mut |_, _| {}),
                    (Job::Whole(c), Some(r)) => plan_from(s, r.frozen, r.now, c, &mut |_, _| {}),
                    (Job::Carry(p), _) => {
                        let mut p = p.clone();
                        crate::summary::summarize(s, &mut p);
                        Ok(p)
                    }
                    (Job::Splice { day, policy }, _) => {
                        let kept = best.expect("splices follow a plan").before(*day);
                        plan_from(s, &kept, *day, &fixed[*policy].1, &mut |_, _| {})
                    }
                };
                let r = r.map(|p| {
                    let verdict = accept(&p);
                    (p, verdict)
                });
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                r
            })
            .collect()
    };
    // Each run: its name and the settings of the policy that planned it (or its end).
    let mut tried: Vec<(String, Config)> = Vec::new();
    // Whether each run planned under its policy alone (not a splice, nor a plan carried
    // on), so that its settings re-make it.
    let mut whole: Vec<bool> = Vec::new();
    // The splices run, as (the plan spliced, day, policy), so that none runs twice.
    let mut spliced: Vec<(usize, Period, usize)> = Vec::new();
    let mut objectives: Vec<Option<f64>> = Vec::new();
    let mut rejected: Vec<(String, String)> = Vec::new();
    let mut best: Option<(usize, Plan)> = None;
    // On small scenarios, the next best accepted plans after `best`, cheapest first (at
    // most `ROUTED - 1`): routed again at the end too, since routing changes their order.
    let small = effort > 1 && s.sites.len() <= SMALL_MAX_SITES;
    let mut runners: Vec<(usize, Plan)> = Vec::new();
    // The best rejected plan, returned only when no plan is accepted.
    let mut best_rejected: Option<(usize, Plan)> = None;
    let mut first_err: Option<PlanError> = None;
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    // Strictly better only: ties go to the earlier run.
    let keep = |slot: &mut Option<(usize, Plan)>, i: usize, p: Plan| {
        if slot
            .as_ref()
            .is_none_or(|(_, b)| p.totals.objective < b.totals.objective)
        {
            *slot = Some((i, p));
        }
    };
    loop {
        let results = run(&todo, best.as_ref().map(|(_, p)| p));
        for ((name, job), r) in todo.drain(..).zip(results) {
            // A plan carried on that the check rejects is no bug: what happened left it
            // behind. It counts as a run without a plan.
            let left_behind = matches!((&job, &r), (Job::Carry(_), Ok((_, Err(_)))));
            let obj = r
                .as_ref()
                .ok()
                .filter(|_| !left_behind)
                .map(|(p, _)| p.totals.objective);
            objectives.push(obj);
            whole.push(matches!(job, Job::Whole(_)));
            let c = match job {
                Job::Whole(c) => c,
                Job::Carry(_) => Config::default(),
                Job::Splice { policy, .. } => fixed[policy].1.clone(),
            };
            tried.push((name.clone(), c));
            let i = tried.len() - 1;
            match r {
                _ if left_behind => {}
                Ok((p, Ok(()))) if small => rank(&mut best, &mut runners, i, p),
                Ok((p, Ok(()))) => keep(&mut best, i, p),
                Ok((p, Err(why))) => {
                    rejected.push((name, why));
                    keep(&mut best_rejected, i, p);
                }
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        let left = effort.saturating_sub(tried.len());
        let timed_out = cfg.time_limit.is_some_and(|l| t0.elapsed() >= l);
        let Some((b, best_plan)) = &best else { break };
        if left == 0 || timed_out {
            break;
        }
        let (base_name, base) = tried[*b].clone();
        let round = left.min(ROUND);
        // Splices first (half the round, rounded up): a day on which the best plan still
        // moves something (after the start of a re-plan, whose past is fixed), and a
        // policy of the list. A bounded number of draws, so that a plan with few days and
        // policies to splice ends the search instead of looping.
        let first = start.map_or(1, |r| r.now.0 + 1);
        let last = best_plan
            .convoys
            .iter()
            .map(|c| c.depart.0)
            .chain(best_plan.flights.iter().map(|f| f.depart.0))
            .max()
            .unwrap_or(0);
        for _ in 0..64 * ROUND {
            if todo.len() == round.div_ceil(2) || last < first {
                break;
            }
            let day = Period(rng.random_range(first..=last));
            let policy = rng.random_range(0..fixed.len());
            if !spliced.contains(&(*b, day, policy)) {
                spliced.push((*b, day, policy));
                let name = format!(
                    "{base_name} until {} (day {}); from then on {}",
                    s.horizon.date(day),
                    day.0,
                    fixed[policy].0
                );
                todo.push((name, Job::Splice { day, policy }));
            }
        }
        // Then distinct neighbours of the best policy, none tried before.
        for _ in 0..64 * ROUND {
            if todo.len() == round {
                break;
            }
            let (what, c) = neighbour(&base, &mut rng);
            let seen = tried.iter().any(|(_, t)| *t == c)
                || todo
                    .iter()
                    .any(|(_, j)| matches!(j, Job::Whole(t) if *t == c));
            if !seen {
                todo.push((format!("{base_name}; {what}"), Job::Whole(c)));
            }
        }
        if todo.is_empty() {
            break;
        }
    }
    let now = start.map_or(Period(0), |r| r.now);
    // When a policy alone made the best plan (not a splice, nor a plan carried on), its
    // variants that fly more of the camps' containers (`fly_more`; an effort above 1, and
    // small scenarios only) follow, each plan with its fleets routed again: they are
    // compared with the best plan routed again, since routing is what pays for their
    // longer waits (MINUSMA: Kidal's containers capped at 320 plan at 25,591, above the
    // best policy's 25,443, and routed at 24,926 against 25,008; `docs/benchmarks.md`).
    // The best plan's fleets routed again as a whole (`circulation`), and on small
    // scenarios the runners-up's too, since routing changes their order (the generated
    // 100-site scenario of seed 2: the fourth policy, 77,830 against the ninth's 77,620,
    // routes to 70,024 against 73,501). A routed plan is kept when it costs less than the
    // best so far and the check takes it; a rejection is a planner bug, reported like any
    // other.
    let mut rerouted = false;
    let candidates: Vec<&(usize, Plan)> = best.iter().chain(&runners).collect();
    let routed: Vec<(usize, Option<Plan>)> = candidates
        .into_par_iter()
        .map(|(i, p)| (*i, crate::circulation::reroute_from(s, p, now)))
        .collect();
    for (i, q) in routed {
        let Some(q) = q else { continue };
        let better = best
            .as_ref()
            .is_some_and(|(_, b)| q.totals.objective < b.totals.objective);
        if better {
            match accept(&q) {
                Ok(()) => {
                    best = Some((i, q));
                    rerouted = true;
                }
                Err(why) => rejected.push((format!("{}; fleets re-routed", tried[i].0), why)),
            }
        }
    }
    let base = match &best {
        Some((b, p)) if whole[*b] && small => {
            let unrouted = objectives[*b].unwrap_or(p.totals.objective);
            Some((tried[*b].clone(), flying_camps(s, p, now), unrouted))
        }
        _ => None,
    };
    if let Some((policy, camps, unrouted)) = base
        && !camps.is_empty()
    {
        // Each batch of variants is planned in parallel, then kept in order like the runs
        // above; returns the share that made the best plan, if one did.
        let mut batch = |shares: &[(u32, u32)]| -> Option<(u32, u32)> {
            let variants = fly_more(s, &policy, &camps, shares);
            // Each variant's plan, whether its fleets were routed again, and the check's
            // verdict.
            type Flown = Result<(Plan, bool, Result<(), String>), PlanError>;
            let flown: Vec<Flown> = variants
                .par_iter()
                .map(|(_, c)| {
                    let p = match start {
                        None => plan(s, c, &mut |_, _| {}),
                        Some(r) => plan_from(s, r.frozen, r.now, c, &mut |_, _| {}),
                    }?;
                    // Routing gains at most about a tenth (MINUSMA 1.7% to 2.6%, the
                    // generated 100-site scenarios up to 10%), so a variant further above
                    // the best plan (one that made a site late) is not routed.
                    let hopeless = p.totals.objective > unrouted * (1.0 + FLY_MORE_ROUTING_GAIN);
                    let routed = match hopeless {
                        true => None,
                        false => crate::circulation::reroute_from(s, &p, now),
                    };
                    let (p, routed) = match routed {
                        Some(q) => (q, true),
                        None => (p, false),
                    };
                    let verdict = accept(&p);
                    Ok((p, routed, verdict))
                })
                .collect();
            let mut won = None;
            for (k, ((name, c), r)) in variants.into_iter().zip(flown).enumerate() {
                tried.push((name.clone(), c));
                let i = tried.len() - 1;
                match r {
                    Ok((p, routed, Ok(()))) => {
                        objectives.push(Some(p.totals.objective));
                        if best
                            .as_ref()
                            .is_some_and(|(_, b)| p.totals.objective < b.totals.objective)
                        {
                            best = Some((i, p));
                            rerouted = routed;
                            won = Some(shares[k]);
                        }
                    }
                    Ok((_, _, Err(why))) => {
                        objectives.push(None);
                        rejected.push((name, why));
                    }
                    Err(_) => objectives.push(None),
                }
            }
            won
        };
        // The shares tried, the policy's own (all it drives) among them, and the best.
        let mut shares: Vec<(u32, u32)> = vec![(1, 1)];
        let mut at = (1, 1);
        for b in FLY_MORE {
            shares.extend_from_slice(b);
            let won = batch(b);
            at = won.unwrap_or(at);
            // Smaller shares only while the smallest so far wins.
            if won != b.last().copied() {
                break;
            }
        }
        // Then halve the gaps around the best share: the objective is erratic in the
        // share (MINUSMA: 13/16 of Kidal's 418 containers 24,955, 3/4 makes Bamako late,
        // 25/32 24,930), so a coarse grid misses the good caps.
        for _ in 0..FLY_MORE_BISECTIONS {
            let mids = halfway(&shares, at);
            if mids.is_empty() {
                break;
            }
            shares.extend_from_slice(&mids);
            let Some(won) = batch(&mids) else { break };
            at = won;
        }
    }
    // The best plan's last arrivals brought forward where nothing stops them (`tail`):
    // checked again, and kept only when the check accepts it.
    let mut sooner = false;
    let best = best.map(|(i, p)| match sooner_checked(s, start, &p, accept) {
        Some(q) => {
            sooner = true;
            (i, q)
        }
        None => (i, p),
    });
    match best.or(best_rejected) {
        Some((i, plan)) => Ok(Optimized {
            plan,
            policy: match (rerouted, sooner) {
                (false, false) => tried[i].0.clone(),
                (true, false) => format!("{}; fleets re-routed", tried[i].0),
                (false, true) => format!("{}; finished sooner", tried[i].0),
                (true, true) => format!("{}; fleets re-routed; finished sooner", tried[i].0),
            },
            config: tried[i].1.clone(),
            tried: tried.len(),
            objectives: tried
                .iter()
                .map(|(n, _)| n.clone())
                .zip(objectives)
                .collect(),
            rejected,
            rerouted,
            finished_sooner: sooner,
        }),
        None => Err(first_err.expect("no run succeeded, so one failed")),
    }
}

/// A policy's `plan` given the steps the search gave its best plan, as
/// [`Optimized::rerouted`] and [`Optimized::finished_sooner`] say: its fleets routed again
/// ([`crate::reroute`]), then its last arrivals brought forward ([`crate::finish_sooner`],
/// kept only when `accept` takes it, as in the search). What-ifs and explanations re-plan
/// this way, so that a change is compared like with like.
pub fn as_optimized(
    s: &Scenario,
    plan: Plan,
    (rerouted, sooner): (bool, bool),
    accept: Accept<'_>,
) -> Plan {
    let plan = match rerouted {
        true => crate::reroute(s, &plan).unwrap_or(plan),
        false => plan,
    };
    match sooner {
        true => crate::finish_sooner(s, &plan)
            .filter(|q| accept(q).is_ok())
            .unwrap_or(plan),
        false => plan,
    }
}

/// `plan` with its last arrivals brought forward ([`crate::finish_sooner`]), when that
/// lowers its objective and `accept` takes it; `None` otherwise. When re-planning
/// (`start`), the recorded movements stay as they are, with their ids, and nothing moves
/// to leave before the present.
fn sooner_checked(
    s: &Scenario,
    start: Option<Replan<'_>>,
    plan: &Plan,
    accept: Accept<'_>,
) -> Option<Plan> {
    let frozen: std::collections::HashSet<&str> = start
        .iter()
        .flat_map(|r| r.frozen.convoys.iter().map(|c| c.id.as_str()))
        .collect();
    let floor = start.map_or(Period(0), |r| r.now);
    let editable = |c: &model::Convoy| !frozen.contains(c.id.as_str());
    crate::tail::sooner(s, plan, floor, &editable, start.is_none()).filter(|q| accept(q).is_ok())
}

/// How many of the search's best plans are routed again on small scenarios.
const ROUTED: usize = 4;

/// `p` (run `i`) into `best` or among the `runners` (see [`search`]), keeping the
/// [`ROUTED`] cheapest, ties to the earlier run.
fn rank(best: &mut Option<(usize, Plan)>, runners: &mut Vec<(usize, Plan)>, i: usize, p: Plan) {
    let o = p.totals.objective;
    let demoted = match best {
        Some((_, b)) if o >= b.totals.objective => Some((i, p)),
        _ => best.replace((i, p)),
    };
    if let Some((j, q)) = demoted {
        let at = runners.partition_point(|(_, r)| r.totals.objective <= q.totals.objective);
        runners.insert(at, (j, q));
        runners.truncate(ROUTED - 1);
    }
}

/// Largest scenario (sites, exits included) on which the optimising planner routes its
/// [`ROUTED`] best plans again, not only the best, and tries [`fly_more`]'s variants.
/// The variants are three to seven more planner runs after all the others, and one or
/// two halfway between ([`FLY_MORE_BISECTIONS`]): about 0.5 s of CPU on MINUSMA (17
/// sites; 25,008 -> 24,955 -> 24,930 with the halfway shares); about a second on the generated
/// 100-site scenarios (105 sites; seed 2 73,501 -> 73,005 before the runners-up were
/// routed, seed 1 no better), 8 s on the 300-site one (14.1 s -> 22.4 s without the
/// bound) for nothing.
const SMALL_MAX_SITES: usize = 150;

/// Share of its objective beyond which a [`fly_more`] variant is not routed again: more
/// than routing has gained on any plan measured (up to 10%, on the generated 100-site
/// scenario of seed 2); MINUSMA's variants that make Bamako late are 20% above.
const FLY_MORE_ROUTING_GAIN: f64 = 0.15;

/// How many times [`search`] halves the gaps between the best [`fly_more`] share and the
/// shares next to it ([`halfway`]), each time one or two more runs, side by side. Once: on
/// MINUSMA a second time found 49/64 of Kidal's containers (24,926 against 24,930), but
/// took `drawdown plan` from 0.84-0.90 s to 0.91 s, too near the second it must stay under.
const FLY_MORE_BISECTIONS: usize = 1;

/// The shares halfway between `at` and the nearest shares tried below and above it, where
/// those exist; shares are fractions with power-of-two denominators.
fn halfway(tried: &[(u32, u32)], at: (u32, u32)) -> Vec<(u32, u32)> {
    // Compared as fractions of a common power of two.
    let den = tried.iter().map(|s| s.1).max().unwrap_or(1).max(at.1) * 2;
    let of = |(n, d): (u32, u32)| n * (den / d);
    let x = of(at);
    let below = tried.iter().map(|&s| of(s)).filter(|&y| y < x).max();
    let above = tried.iter().map(|&s| of(s)).filter(|&y| y > x).min();
    [below, above]
        .into_iter()
        .flatten()
        .map(|y| {
            // Lowest terms, so that names stay short.
            let (mut n, mut d) = ((x + y) / 2, den);
            while n % 2 == 0 && d > 1 {
                (n, d) = (n / 2, d / 2);
            }
            (n, d)
        })
        .collect()
}

/// Shares of the containers a camp drives in the best plan that [`fly_more`]'s variants
/// let it drive, as (numerator, denominator), in batches: the next batch runs only when
/// the last share of the one before made the best plan.
const FLY_MORE: [&[(u32, u32)]; 3] = [
    &[(7, 8), (13, 16), (3, 4)],
    &[(5, 8), (1, 2)],
    &[(3, 8), (1, 4)],
];

/// The camps from which `p` both drives and flies containers from `now` on, with the
/// containers each drives: where [`fly_more`]'s variants cap the road. The constructive
/// planner gives the aircraft to whichever camp asks first and drives a camp's containers
/// rather than wait for sorties later, while the hard-deadline LP sends them by air where
/// their roads are the most dangerous: on MINUSMA it flies 542 TEU from Kidal and drives
/// 278, where the best policy flies 342 and drives 418 down the Kidal-Gao road.
fn flying_camps(s: &Scenario, p: &Plan, now: Period) -> Vec<(SiteId, u32)> {
    let mut driven = vec![0u32; s.sites.len()];
    for c in p.convoys.iter().filter(|c| c.depart >= now) {
        driven[c.from.idx()] += c.load.teu;
    }
    let mut flown = vec![0u32; s.sites.len()];
    for f in p.flights.iter().filter(|f| f.depart >= now) {
        flown[f.from.idx()] += f.load.teu;
    }
    (0..s.sites.len())
        .filter(|&i| s.sites[i].kind == SiteKind::Base && driven[i] > 0 && flown[i] > 0)
        .map(|i| (SiteId(i as u32), driven[i]))
        .collect()
}

/// Variants of the best plan's policy (`best` is its name and settings) that cap the
/// containers leaving each of `camps` by road ([`flying_camps`]) at each share of what
/// the best plan drives there ([`Config::drive_caps`]), so that they wait for aircraft
/// instead; the shares are the same for every camp in a variant.
fn fly_more(
    s: &Scenario,
    best: &(String, Config),
    camps: &[(SiteId, u32)],
    shares: &[(u32, u32)],
) -> Vec<(String, Config)> {
    let names: Vec<&str> = camps.iter().map(|&(x, _)| s.site(x).id.as_str()).collect();
    shares
        .iter()
        .map(|&(num, den)| {
            let caps = camps
                .iter()
                .map(|&(x, driven)| (x, driven * num / den))
                .collect();
            (
                format!(
                    "{}; at most {num}/{den} of the containers by road from {}",
                    best.0,
                    names.join(", ")
                ),
                Config {
                    drive_caps: caps,
                    ..best.1.clone()
                },
            )
        })
        .collect()
}

/// `frozen`, then the movements of `current` that leave in `now` or later.
fn carry_on(frozen: &Plan, current: &Plan, now: Period) -> Plan {
    let mut p = frozen.clone();
    p.convoys
        .extend(current.convoys.iter().filter(|c| c.depart >= now).cloned());
    p.flights
        .extend(current.flights.iter().filter(|f| f.depart >= now).cloned());
    p.abandoned.extend(
        current
            .abandoned
            .iter()
            .filter(|a| a.period >= now)
            .cloned(),
    );
    p
}

/// A run of the optimising planner.
enum Job {
    /// A re-plan's current plan carried on ([`Replan::current`]).
    Carry(Plan),
    /// A whole plan under a policy.
    Whole(Config),
    /// The best plan's movements before `day` kept, the rest planned again from that day
    /// under the fixed list's policy `policy`.
    Splice { day: Period, policy: usize },
}

/// A random neighbour of `c`: one or two of its settings changed, and what changed in words.
fn neighbour(c: &Config, rng: &mut ChaCha8Rng) -> (String, Config) {
    let mut n = c.clone();
    let mut what: Vec<String> = Vec::new();
    let first = rng.random_range(0..12u8);
    let second = rng.random_range(0..13u8);
    // One setting, or two different ones.
    let which: Vec<u8> = if second == first || second == 12 {
        vec![first]
    } else {
        vec![first, second]
    };
    for k in which {
        match k {
            0 => {
                n.tolerance = rng.random_range(0..=12);
                what.push(format!("patience {}", n.tolerance));
            }
            1 => {
                n.margin = 10 * rng.random_range(1..=6);
                what.push(format!("margin {}", n.margin));
            }
            2 => {
                n.clearance = rng.random_range(0..=10);
                what.push(format!("clearance {}", n.clearance));
            }
            3 => {
                n.hop_margin = rng.random_range(0..=20);
                what.push(format!("hop margin {}", n.hop_margin));
            }
            4 => {
                n.min_fill = f64::from(rng.random_range(1..=4u8)) / 4.0;
                what.push(format!("fill {}", n.min_fill));
            }
            5 => {
                n.quick_containers_only = !n.quick_containers_only;
                what.push(format!(
                    "containers-only quick roads {}",
                    n.quick_containers_only
                ));
            }
            6 => {
                n.both_roads = !n.both_roads;
                what.push(format!("both roads {}", n.both_roads));
            }
            7 => {
                n.escorts_join = !n.escorts_join;
                what.push(format!("escorts join {}", n.escorts_join));
            }
            8 => {
                n.safe_returns = !n.safe_returns;
                what.push(format!("safe returns {}", n.safe_returns));
            }
            // Rear guards and the teams' homes: in the search that found the tenth
            // policy, they moved the generated 300-site scenario most.
            9 => {
                n.early_reserves = !n.early_reserves;
                what.push(format!("rear guards early {}", n.early_reserves));
            }
            10 => {
                n.escorts_leave_stock = !n.escorts_leave_stock;
                what.push(format!(
                    "escorts only where needed {}",
                    n.escorts_leave_stock
                ));
            }
            _ => {
                n.team_homes = rng.random_range(2..=8);
                what.push(format!("teams from the {} nearest homes", n.team_homes));
            }
        }
    }
    (what.join(", "), n)
}

#[cfg(test)]
mod tests {
    use super::halfway;

    /// The shares halfway between the best share and its nearest neighbours tried, in
    /// lowest terms: MINUSMA's first batch (7/8, 13/16, 3/4) won at 13/16, then at 25/32.
    #[test]
    fn halfway_between_the_best_share_and_its_neighbours() {
        let check = |tried: &[(u32, u32)], at, expect: &[(u32, u32)]| {
            assert_eq!(halfway(tried, at), expect, "{tried:?} at {at:?}");
        };
        let first = [(1, 1), (7, 8), (13, 16), (3, 4)];
        check(&first, (13, 16), &[(25, 32), (27, 32)]);
        let second = [(1, 1), (7, 8), (13, 16), (3, 4), (25, 32), (27, 32)];
        check(&second, (25, 32), &[(49, 64), (51, 64)]);
        // The policy's own share, when no variant won: only below it.
        check(&first, (1, 1), &[(15, 16)]);
        // The smallest share tried: only above it.
        check(&first, (3, 4), &[(25, 32)]);
        // Nothing tried but the best: nothing to halve.
        check(&[(1, 1)], (1, 1), &[]);
    }
}
