//! Integration tests of the planner. Every plan made here goes through the independent
//! checker of the `scenario` crate before anything else is asserted about it.

mod bound;
mod examples;
mod explain;
mod random;

use model::{Plan, Scenario};
use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Load a scenario from text, panicking with every diagnostic when it is invalid.
pub fn load(name: &str, text: &str) -> Scenario {
    match scenario::load_str(name, text) {
        Ok(l) => l.scenario,
        Err(scenario::LoadError::Invalid(d)) => {
            let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
            panic!("{name} is invalid:\n{}\n---\n{text}", msgs.join("\n"))
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

/// Assert that the proven lower bound of `s` does not exceed the objective of `plan`, nor
/// its earliest-completion part the plan's makespan. The bound is computed as `drawdown
/// plan` does, with the plan's makespan as the search limit of the completion LP (a limit
/// only: the bound never relies on it).
pub fn assert_bound_below(name: &str, s: &Scenario, plan: &Plan) -> planner::Bound {
    let m = plan.totals.makespan_days;
    let cfg = planner::BoundConfig {
        makespan_hint_days: Some(m),
        ..planner::BoundConfig::default()
    };
    let b = planner::bound(s, &cfg).unwrap_or_else(|e| panic!("{name}: no bound: {e}"));
    let objective = plan.totals.objective;
    assert!(
        b.objective <= objective + 1e-6 * objective.abs().max(1.0),
        "{name}: bound {} above the plan's objective {objective}",
        b.objective
    );
    assert!(
        b.makespan_days <= m,
        "{name}: makespan bound {} above the plan's makespan {m}",
        b.makespan_days
    );
    assert_eq!(
        b.makespan_days,
        b.makespan_paths_days
            .max(b.completion.as_ref().map_or(0, |c| c.days)),
        "{name}: the makespan bound is the larger of its parts"
    );
    b
}

/// Plan `s` and assert that the checker accepts the plan; returns the plan file form too.
pub fn plan_checked(name: &str, s: &Scenario) -> (Plan, scenario::planfile::PlanFile) {
    let plan = planner::plan(s, &planner::Config::default(), &mut |_, _| {})
        .unwrap_or_else(|e| panic!("{name}: no plan: {e}"));
    let file = assert_checked(name, s, &plan);
    (plan, file)
}

/// Assert that the checker accepts `plan` for `s`; returns the plan file form.
pub fn assert_checked(name: &str, s: &Scenario, plan: &Plan) -> scenario::planfile::PlanFile {
    let file = scenario::planfile::to_file(s, plan, Default::default());
    let report = scenario::check::verify(s, &file);
    assert!(
        report.is_feasible(),
        "{name}: the plan fails the checker:\n{}\n",
        report
            .violations
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    file
}

#[test]
fn minusma_plan_passes_the_checker() {
    let path = root().join("scenarios/minusma-2023.toml");
    let text = std::fs::read_to_string(&path).expect("the MINUSMA scenario ships");
    let s = load("minusma-2023.toml", &text);
    let (plan, file) = plan_checked("minusma-2023", &s);
    assert_bound_below("minusma-2023", &s, &plan);
    // Every base with stock gets a closure date.
    for site in s.sites.iter().filter(|x| !x.initial.is_empty()) {
        assert!(
            file.sites
                .iter()
                .any(|r| r.site == site.id && r.closure.is_some()),
            "{} has no closure",
            site.id
        );
    }
}

#[test]
fn same_input_same_plan_bytes() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let a = plan_checked("minusma-2023", &s).1;
    let b = plan_checked("minusma-2023", &s).1;
    assert_eq!(
        scenario::planfile::to_json(&a),
        scenario::planfile::to_json(&b)
    );
}

/// Re-plan `s` from the past of its own plan at `now`, and check the whole result: the
/// frozen movements come back unchanged and the checker accepts past and future together.
pub fn check_replan(name: &str, s: &Scenario, plan: &Plan, now: model::Period) {
    // The cut may fall inside a mission: a convoy under way that lands stock at a camp
    // whose rear guard has gone carries on (`plan_from`).
    let frozen = plan.before(now);
    let full = planner::plan_from(s, &frozen, now, &planner::Config::default(), &mut |_, _| {})
        .unwrap_or_else(|e| panic!("{name} from {now:?}: no plan: {e}"));
    for c in &frozen.convoys {
        assert!(
            full.convoys.contains(c),
            "{name}: frozen convoy {} changed or lost",
            c.id
        );
    }
    for f in &frozen.flights {
        assert!(
            full.flights.contains(f),
            "{name}: frozen flight {} changed or lost",
            f.id
        );
    }
    for c in full.convoys.iter().filter(|c| !frozen.convoys.contains(c)) {
        assert!(
            c.depart >= now,
            "{name}: new convoy {} departs before {now:?}",
            c.id
        );
    }
    let file = scenario::planfile::to_file(s, &full, Default::default());
    let report = scenario::check::verify(s, &file);
    assert!(
        report.is_feasible(),
        "{name}: the re-plan from {now:?} fails the checker:\n{}",
        report
            .violations
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn replanning_minusma_keeps_the_past_and_passes_the_checker() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let (plan, _) = plan_checked("minusma-2023", &s);
    // Days inside missions too: the cut is not moved to fall between them.
    for day in [10, 45, 90, 120, 150, 160, 175] {
        check_replan("minusma-2023", &s, &plan, model::Period(day));
    }
}

/// Every policy of the optimising planner makes a plan the checker accepts; `optimize`
/// keeps the best of them, then searches splices of the best plan and random neighbours
/// of its policy (one round here, every plan checked), and finds the same plan whatever
/// the number of threads.
#[test]
fn every_policy_is_checked_and_optimize_keeps_the_best() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let policies = planner::policies(&s);
    let mut objectives = Vec::new();
    for (name, cfg) in &policies {
        let plan = planner::plan(&s, cfg, &mut |_, _| {})
            .unwrap_or_else(|e| panic!("{name}: no plan: {e}"));
        assert_checked(&format!("policy {name}"), &s, &plan);
        objectives.push(plan.totals.objective);
    }
    let cfg = planner::OptimizeConfig {
        effort: policies.len() + planner::ROUND,
        seed: 7,
        ..Default::default()
    };
    let check = |p: &Plan| check(p, &s);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| planner::optimize_checked(&s, &cfg, &|_, _| {}, &check).unwrap())
    };
    let (one, two) = (run(1), run(2));
    assert!(one.rejected.is_empty(), "rejected: {:?}", one.rejected);
    let splices = one.objectives[policies.len()..]
        .iter()
        .filter(|(name, _)| name.contains("; from then on "))
        .count();
    assert_eq!(splices, planner::ROUND / 2, "{:?}", one.objectives);
    // Then the variants of the best policy that fly more of the camps' containers.
    let flown = one.objectives[policies.len() + planner::ROUND..]
        .iter()
        .filter(|(name, _)| name.contains(" of the containers by road from "))
        .count();
    assert_eq!(one.plan, two.plan, "the thread count changed the plan");
    assert_eq!(one.objectives, two.objectives);
    assert_checked("optimize", &s, &one.plan);
    let best = objectives.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(one.plan.totals.objective <= best);
    assert!(flown <= 11, "{:?}", one.objectives);
    assert_eq!(one.tried, policies.len() + planner::ROUND + flown);
    assert_eq!(
        one.objectives[..policies.len()],
        policies
            .iter()
            .zip(&objectives)
            .map(|((name, _), &x)| (name.clone(), Some(x)))
            .collect::<Vec<_>>()
    );
    // The winner's settings re-make its plan (a splice's would make only its end), with
    // its fleets routed again when the name says so.
    if !one.policy.contains("; from then on ") {
        let again = planner::plan(&s, &one.config, &mut |_, _| {}).unwrap();
        let again = match one.policy.contains("; fleets re-routed") {
            true => planner::reroute(&s, &again).expect("it was re-routed"),
            false => again,
        };
        let again = match one.policy.ends_with("; finished sooner") {
            true => planner::finish_sooner(&s, &again).expect("it was finished sooner"),
            false => again,
        };
        assert_eq!(again, one.plan);
    }
}

/// The independent checker as `optimize_checked`'s check.
fn check(p: &Plan, s: &Scenario) -> Result<(), String> {
    let file = scenario::planfile::to_file(s, p, Default::default());
    let report = scenario::check::verify(s, &file);
    match report.violations.first() {
        Some(v) if !report.is_feasible() => Err(v.to_string()),
        _ => Ok(()),
    }
}

/// A splice (a plan's first months kept, the rest planned again from a day under another
/// policy, as the optimising planner's local search does) can beat both policies it
/// comes from: on MINUSMA, everything on the quickest or safest roads until 1 December,
/// then Gao's containers on the quickest or safest roads (25,909 against 26,014 and
/// 26,501). The default effort's best plan, by the safest roads with escorts only where
/// needed (25,443), is below both; `--effort 41` under seeds 1 to 6 finds nothing
/// better, and among the splices of it on every day under every policy of the fixed
/// list one does, by 5 (`docs/benchmarks.md`).
#[test]
fn a_splice_beats_both_of_its_policies_on_minusma() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let fixed = planner::policies(&s);
    let by = |name: &str| {
        fixed
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no policy {name}"))
            .1
            .clone()
    };
    let first = by("everything on the quickest or safest roads, rear guards early");
    let then = by("containers on the quickest or safest roads from gao, rear guards early");
    let whole = |c: &planner::Config| planner::plan(&s, c, &mut |_, _| {}).unwrap();
    let (a, b) = (whole(&first), whole(&then));
    let day = s.horizon.period_of(jiff::civil::date(2023, 12, 1)).unwrap();
    let spliced = planner::plan_from(&s, &a.before(day), day, &then, &mut |_, _| {}).unwrap();
    assert_checked("splice", &s, &spliced);
    let o = spliced.totals.objective;
    assert!(
        o < a.totals.objective && o < b.totals.objective,
        "splice {o} against {} and {}",
        a.totals.objective,
        b.totals.objective
    );
}

/// A re-plan searches like a plan: `replan_checked` from the past of MINUSMA's best plan
/// on 1 October keeps every recorded movement, passes the checker, moves nothing new
/// before the day, and costs no more than the re-plan of any policy it tries (here the
/// default policy's, which is the third of the list, and the best policy's), the same on
/// one thread. Offered the plan it replaces, it keeps it.
#[test]
fn replan_checked_keeps_the_past_and_beats_every_policy_it_tries() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let cfg = planner::OptimizeConfig::default();
    let best = planner::optimize(&s, &cfg, &|_, _| {}).unwrap();
    let now = s.horizon.period_of(jiff::civil::date(2023, 10, 1)).unwrap();
    let frozen = best.plan.before(now);
    let accept = |p: &Plan| scenario::check::accept(&s, p);
    let start = planner::Replan {
        frozen: &frozen,
        now,
        current: None,
    };
    let re = planner::replan_checked(&s, start, &cfg, &|_, _| {}, &accept).unwrap();
    assert_checked("re-plan", &s, &re.plan);
    // The same re-plan on one thread.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| planner::replan_checked(&s, start, &cfg, &|_, _| {}, &accept));
    assert_eq!(one.unwrap().plan, re.plan);
    assert!(re.rejected.is_empty(), "{:?}", re.rejected);
    for c in &frozen.convoys {
        assert!(
            re.plan.convoys.contains(c),
            "frozen convoy {} changed",
            c.id
        );
    }
    for f in &frozen.flights {
        assert!(
            re.plan.flights.contains(f),
            "frozen flight {} changed",
            f.id
        );
    }
    for c in re
        .plan
        .convoys
        .iter()
        .filter(|c| !frozen.convoys.contains(c))
    {
        assert!(c.depart >= now, "new convoy {} leaves before the day", c.id);
    }
    // The policies, then the variants of the best that fly more.
    let flown = |re: &planner::Optimized| {
        let n = re
            .objectives
            .iter()
            .filter(|(name, _)| name.contains(" of the containers by road from "))
            .count();
        assert!(n <= 11, "{:?}", re.objectives);
        n
    };
    assert_eq!(re.tried, cfg.effort + flown(&re));
    let one = |c: &planner::Config| {
        planner::plan_from(&s, &frozen, now, c, &mut |_, _| {})
            .unwrap()
            .totals
            .objective
    };
    let o = re.plan.totals.objective;
    for c in [&planner::Config::default(), &best.config] {
        assert!(o <= one(c), "re-plan {o} against one policy's {}", one(c));
    }
    // Offered the plan it replaces (everything went as planned), a re-plan runs it first,
    // beyond the effort, and it is still feasible, so the re-plan costs no more than it
    // (today the policies' re-plans all cost more than the routed plan, so it wins).
    let kept = best.plan.totals.objective;
    let start = planner::Replan {
        current: Some(&best.plan),
        ..start
    };
    let re = planner::replan_checked(&s, start, &cfg, &|_, _| {}, &accept).unwrap();
    assert_checked("carried on", &s, &re.plan);
    assert_eq!(re.tried, cfg.effort + 1 + flown(&re));
    assert_eq!(re.objectives[0].1, Some(kept));
    assert!(re.plan.totals.objective <= kept.min(o));
    if o > kept {
        assert_eq!(re.plan.totals.objective, kept);
        assert!(
            re.policy.starts_with("the current plan, carried on"),
            "{}",
            re.policy
        );
    }
}

/// A re-plan's fleets are routed again from where the past left them: the best policy's
/// plan for MINUSMA, unrouted, recorded as it went until 1 October and offered as the plan
/// being replaced, comes back with the units of its remaining convoys routed, cheaper
/// (`reroute_from`), the recorded convoys as they were and with their ids.
#[test]
fn a_replan_routes_the_fleets_from_where_the_past_left_them() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let cfg = planner::OptimizeConfig::default();
    let best = planner::optimize(&s, &cfg, &|_, _| {}).unwrap();
    assert!(best.rerouted);
    let unrouted = planner::plan(&s, &best.config, &mut |_, _| {}).unwrap();
    let now = s.horizon.period_of(jiff::civil::date(2023, 10, 1)).unwrap();
    let mut frozen = unrouted.before(now);
    for c in &mut frozen.convoys {
        c.id = format!("{}@record", c.id);
    }
    let mut current = frozen.clone();
    current
        .convoys
        .extend(unrouted.convoys.iter().filter(|c| c.depart >= now).cloned());
    current
        .flights
        .extend(unrouted.flights.iter().filter(|f| f.depart >= now).cloned());
    let start = planner::Replan {
        frozen: &frozen,
        now,
        current: Some(&current),
    };
    let accept = |p: &Plan| scenario::check::accept(&s, p);
    let re = planner::replan_checked(&s, start, &cfg, &|_, _| {}, &accept).unwrap();
    assert_checked("routed re-plan", &s, &re.plan);
    assert!(re.rerouted, "{}", re.policy);
    let (o, was) = (re.plan.totals.objective, unrouted.totals.objective);
    assert!(o < was, "routed re-plan {o} against {was}");
    for c in &frozen.convoys {
        assert!(
            re.plan.convoys.contains(c),
            "recorded convoy {} changed",
            c.id
        );
    }
    let recorded = re.plan.convoys.iter().filter(|c| c.depart < now);
    assert_eq!(recorded.count(), frozen.convoys.len());
}

/// `optimize_checked` keeps only plans the caller's check accepts: rejecting the best
/// policy's plan (as the CLI's checker would a planner bug) hands the win to the next best
/// (its fleets routed again, which only lowers it) and lists the rejection; rejecting
/// every plan still returns the best, for the caller's own check to report.
#[test]
fn optimize_checked_skips_plans_the_check_rejects() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let cfg = planner::OptimizeConfig {
        effort: 3,
        ..Default::default()
    };
    let all = planner::optimize(&s, &cfg, &|_, _| {}).unwrap();
    assert!(all.rejected.is_empty());
    // The policies' runs (after them come the variants of the best that fly more, whose
    // plans are routed).
    let objectives: Vec<f64> = all.objectives[..cfg.effort]
        .iter()
        .filter_map(|(_, o)| *o)
        .collect();
    let best = objectives.iter().copied().fold(f64::INFINITY, f64::min);
    let second = objectives
        .iter()
        .copied()
        .filter(|&o| o > best)
        .fold(f64::INFINITY, f64::min);
    assert!(
        second.is_finite(),
        "the policies should differ: {objectives:?}"
    );
    let reject_best = |p: &model::Plan| {
        if p.totals.objective == best {
            Err("V999 made up".to_string())
        } else {
            Ok(())
        }
    };
    let kept = planner::optimize_checked(&s, &cfg, &|_, _| {}, &reject_best).unwrap();
    let (name, _) = all
        .objectives
        .iter()
        .find(|(_, o)| *o == Some(second))
        .unwrap();
    assert!(kept.policy.starts_with(name.as_str()), "{}", kept.policy);
    assert!(kept.plan.totals.objective <= second);
    assert_checked("optimize_checked", &s, &kept.plan);
    let winners = objectives.iter().filter(|&&o| o == best).count();
    assert_eq!(kept.rejected.len(), winners);
    assert!(kept.rejected.iter().all(|(_, why)| why == "V999 made up"));
    let none = planner::optimize_checked(&s, &cfg, &|_, _| {}, &|_| Err("no".into())).unwrap();
    assert_eq!(none.plan.totals.objective, best);
    assert_eq!(none.rejected.len(), objectives.len());
}

/// The default effort tries the safest roads with patient teams whose escorts leave stock
/// vehicles where their roads need no more cover, and on MINUSMA that policy makes the
/// kept plan, below every other policy's (see `planner::policies`): its trucks and
/// escorts expose less (23.5 million hazard-weighted vehicle-km against 24.1 million for
/// the next best policy); with Gao's escorts back from Sevare sooner, its trucks drive
/// 137 thousand of them on the direct road to Bamako, where the former settings drove 674.
#[test]
fn the_default_effort_tries_the_safest_roads_with_escorts_only_where_needed() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let best = planner::optimize(&s, &planner::OptimizeConfig::default(), &|_, _| {}).unwrap();
    assert_checked("optimize", &s, &best.plan);
    assert!(
        best.config.routes == planner::Routes::Safest && best.config.escorts_leave_stock,
        "kept {} ({:?})",
        best.policy,
        best.objectives
    );
    // Every other run (not the kept plan's policy, nor the variant of it that was kept).
    let others = best
        .objectives
        .iter()
        .filter(|(n, _)| !best.policy.starts_with(n.as_str()))
        .filter_map(|(_, o)| *o)
        .fold(f64::INFINITY, f64::min);
    assert!(best.plan.totals.objective < others, "{:?}", best.objectives);
}

/// The hard-deadline LP flies more of Kidal's containers than the best policy, which
/// drives them down the Kidal-Gao road (hazard 3, 352 km): the optimising planner's
/// variants that cap what a camp drives (`Config::drive_caps`) follow it, and the one
/// kept, routed again, beats the policy it varies routed again (on MINUSMA 24,930 with
/// Kidal's road containers capped at 25/32 of 418, 326, against 25,008). A cap of nothing
/// still makes a plan the checker accepts: what aircraft cannot take by the due period
/// drives.
#[test]
fn capping_what_kidal_drives_flies_more_of_it_and_pays() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let kidal = s.sites.iter().position(|x| x.id == "kidal").unwrap();
    let road_air = |p: &Plan| {
        let road: u32 = p
            .convoys
            .iter()
            .filter(|c| c.from.idx() == kidal)
            .map(|c| c.load.teu)
            .sum();
        let air: u32 = p
            .flights
            .iter()
            .filter(|f| f.from.idx() == kidal)
            .map(|f| f.load.teu)
            .sum();
        (road, air)
    };
    let lp = planner::teu_split(&s, &planner::BoundConfig::default())
        .unwrap()
        .expect("MINUSMA has deadlines");
    let best = planner::optimize(&s, &planner::OptimizeConfig::default(), &|_, _| {}).unwrap();
    assert_checked("optimize", &s, &best.plan);
    assert!(!best.config.drive_caps.is_empty(), "kept {}", best.policy);
    let base = planner::Config {
        drive_caps: Vec::new(),
        ..best.config.clone()
    };
    let uncapped = planner::plan(&s, &base, &mut |_, _| {}).unwrap();
    let (road, air) = road_air(&uncapped);
    let (kept_road, kept_air) = road_air(&best.plan);
    assert!(
        lp[kidal][0] < f64::from(road) && lp[kidal][1] > f64::from(air),
        "LP {:?}",
        lp[kidal]
    );
    assert!(
        kept_road < road && kept_air > air,
        "{road}/{air} -> {kept_road}/{kept_air}"
    );
    let routed = planner::reroute(&s, &uncapped).unwrap_or(uncapped);
    assert_checked("the policy varied, routed", &s, &routed);
    assert!(
        best.plan.totals.objective < routed.totals.objective,
        "{} against {}",
        best.plan.totals.objective,
        routed.totals.objective
    );
    let none = planner::Config {
        drive_caps: vec![(model::SiteId(kidal as u32), 0)],
        ..base
    };
    let flown = planner::plan(&s, &none, &mut |_, _| {}).unwrap();
    assert_checked("Kidal capped at nothing", &s, &flown);
    assert!(road_air(&flown).1 > air, "{:?}", road_air(&flown));
}

/// Routing changes the order of the policies, so the optimising planner routes its few
/// best plans again, not only the best: on the generated 10-site scenario of seed 2 the
/// best policy plans at 6,491 and routes to 6,371, while the next (6,501) routes to
/// 6,368. The plan kept is no dearer than any of the four best policies' plans routed.
#[test]
fn the_few_best_plans_are_routed_and_the_cheapest_kept() {
    let params = generate::Params {
        sites: 10,
        days: 180,
        seed: 2,
    };
    let text = generate::generate(&params).unwrap();
    let s = load("generated-10-180-2.toml", &text);
    let cfg = planner::OptimizeConfig::default();
    let best = planner::optimize(&s, &cfg, &|_, _| {}).unwrap();
    assert_checked("optimize", &s, &best.plan);
    let policies = planner::policies(&s);
    let mut runs: Vec<(f64, f64)> = policies[..cfg.effort]
        .iter()
        .map(|(_, c)| {
            let p = planner::plan(&s, c, &mut |_, _| {}).unwrap();
            let routed = planner::reroute(&s, &p).unwrap_or_else(|| p.clone());
            (p.totals.objective, routed.totals.objective)
        })
        .collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let cheapest = runs[..4].iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
    assert!(
        cheapest < runs[0].1,
        "no runner-up routes below the best here: {runs:?}"
    );
    assert!(
        best.plan.totals.objective <= cheapest,
        "{} against {cheapest}",
        best.plan.totals.objective
    );
}

/// The CCRP-like baseline (`Config::ccrp`: among every site's quickest mission, the one
/// that reaches an exit first, with no regard to deadlines or exposure) makes a plan the
/// checker accepts, and the optimising planner beats it on MINUSMA.
#[test]
fn the_optimising_planner_beats_the_ccrp_baseline() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let cfg = planner::Config {
        routes: planner::Routes::Quickest,
        ccrp: true,
        ..planner::Config::default()
    };
    let ccrp = planner::plan(&s, &cfg, &mut |_, _| {}).unwrap();
    assert_checked("ccrp", &s, &ccrp);
    let best = planner::optimize(&s, &planner::OptimizeConfig::default(), &|_, _| {}).unwrap();
    assert!(
        best.plan.totals.objective < ccrp.totals.objective,
        "optimised {} against CCRP {}",
        best.plan.totals.objective,
        ccrp.totals.objective
    );
}

/// A hub whose road toward a farther exit drives through a base, and which is that base's
/// next stop toward the nearer exit (`west` -- `hub` -- `camp` -- `depot` -- `east`; the
/// hub's road west takes 2 vehicles a day). Phase 2 used to order the hub before the camp:
/// the hub's edge through the camp was entered first, and the camp's edge into the hub
/// would then have closed a cycle. So the hub's rear guard left on 2 July, filling the road
/// west, and the camp's 2 vehicles, which reached the hub that day, waited there overnight
/// with the camp's 4 personnel against the hub's rear guard of 5 (V027).
#[test]
fn a_hub_waits_for_the_cargo_of_a_base_its_own_roads_drive_through() {
    let text = r#"
[scenario]
name = "rear guard and pass-through"
description = "The camp's vehicles go west through the hub, the hub's road east drives through the camp."

[horizon]
start = 2023-07-01
end = 2023-07-31
period_days = 1

[objective]
lateness = 1000
makespan = 10
exposure = 1.0

[[contingent]]
id = "troops"

[[site]]
id = "west"
kind = "exit"
lat = 15.00
lon = -4.00
exit = { accepts = ["personnel", "vehicles"] }

[[site]]
id = "hub"
kind = "hub"
lat = 15.00
lon = -3.00
personnel = { troops = 6 }
vehicles = 3
rear_guard = 5
close_by = 2023-07-10

[[site]]
id = "camp"
kind = "base"
lat = 15.00
lon = -2.50
personnel = { troops = 4 }
vehicles = 2
rear_guard = 4
close_by = 2023-07-10

[[site]]
id = "depot"
kind = "hub"
lat = 15.00
lon = -1.00
close_by = 2023-07-10

[[site]]
id = "east"
kind = "exit"
lat = 15.00
lon = -0.50
exit = { accepts = ["personnel", "vehicles"] }

[[road]]
from = "hub"
to = "west"
km = 150
hazard = 1
vehicles_per_day = 2

[[road]]
from = "hub"
to = "camp"
km = 75
hazard = 1

[[road]]
from = "camp"
to = "depot"
km = 225
hazard = 1

[[road]]
from = "depot"
to = "east"
km = 75
hazard = 1

[[fleet]]
id = "bus"
kind = "carrier"
home = "hub"
count = 1
seats = 10
"#;
    let s = load("pass-through.toml", text);
    let site = |id: &str| s.sites.iter().position(|x| x.id == id).unwrap();
    let (hub, camp) = (site("hub"), site("camp"));
    for (name, cfg) in planner::policies(&s) {
        let plan = planner::plan(&s, &cfg, &mut |_, _| {})
            .unwrap_or_else(|e| panic!("{name}: no plan: {e}"));
        assert_checked(&format!("policy {name}"), &s, &plan);
        // The case under test: the camp's vehicles are unloaded at the hub.
        assert!(
            plan.convoys
                .iter()
                .any(|c| c.from.idx() == camp && c.to.idx() == hub && c.load.vehicles > 0),
            "{name}: the camp's vehicles no longer go through the hub; the test needs another scenario"
        );
    }
}
