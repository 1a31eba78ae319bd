//! `planner::explain`: every claim is re-measured here by re-planning the changed scenario
//! independently and putting the plan through the checker, so the tests hold for any
//! correct planner (no figure is hard-coded except those worked out by hand below).

use crate::{assert_checked, load, plan_checked, root};
use model::explain::{Explanation, Resource};
use model::{Period, Plan, Scenario};

/// The escort-bottleneck example with its deadline moved to `close_by`.
///
/// Hand-worked (see the example file): one escort unit covering 4 vehicles shuttles 10
/// vehicles over a 1-day road, so the camp's last convoy leaves 4 days after its first at
/// the earliest, and a plan reaches that. With the camp's `not_before` at day `d`, its
/// closure is therefore `d + 4` in an optimal plan and no earlier in any plan.
fn escort(close_by: &str) -> Scenario {
    let text =
        std::fs::read_to_string(root().join("scenarios/examples/escort-bottleneck.toml")).unwrap();
    let text = text.replace("close_by = 2023-07-05", &format!("close_by = {close_by}"));
    load("escort-bottleneck (moved deadline)", &text)
}

fn explain(s: &Scenario) -> (Plan, Explanation) {
    let (base, _) = plan_checked("base", s);
    let e = planner::explain(s, &base, &planner::ExplainConfig::default());
    (base, e)
}

/// Every "one more unit" claim, re-measured: the change applied to the scenario from
/// scratch, a fresh plan (its fleets routed again with `reroute`), the checker, then the
/// claimed objective and closures.
fn assert_extras_hold(s: &Scenario, base: &Plan, e: &Explanation, reroute: bool) {
    for x in &e.extras {
        let what = format!("one more {:?}", x.change);
        let changed = planner::apply(s, x.change);
        assert_eq!(changed, x.what_if.scenario, "{what}: the what-if scenario");
        let p = planner::plan(&changed, &planner::Config::default(), &mut |_, _| {})
            .unwrap_or_else(|e| panic!("{what}: no plan: {e}"));
        let p = match reroute {
            true => planner::reroute(&changed, &p).unwrap_or(p),
            false => p,
        };
        assert_checked(&what, &changed, &p);
        assert!(
            (p.totals.objective - x.objective_after).abs() < 1e-6,
            "{what}: claimed objective {} but re-planning gives {}",
            x.objective_after,
            p.totals.objective
        );
        assert_eq!(x.objective_before, base.totals.objective);
        for &(site, days) in &x.closures {
            let before = base.sites.iter().find(|o| o.site == site).unwrap().closure;
            let after = p.sites.iter().find(|o| o.site == site).unwrap().closure;
            let moved = i64::from(before.unwrap().0) - i64::from(after.unwrap().0);
            assert_eq!(moved, days, "{what}: closure of site {site:?}");
        }
    }
}

#[test]
fn one_more_unit_claims_hold_when_replanned() {
    // Late by design: the deadline (day 2) is before the earliest possible closure (day 4).
    let s = escort("2023-07-03");
    let (base, e) = explain(&s);
    assert_extras_hold(&s, &base, &e, false);
    // The single escort unit is what binds, and the critical chain waited for it.
    let escort = Resource::Fleet(s.fleet_by_id("escort").unwrap());
    assert_eq!(e.binding.first().map(|b| b.resource), Some(escort));
    let c = e.critical.as_ref().expect("a site with a deadline");
    assert!(c.slack_days < 0);
    assert!(c.waited_for.iter().any(|w| w.0 == escort));
    // The measured claim for it is an improvement, and it holds (checked above).
    let x = e
        .extras
        .iter()
        .find(|x| x.change.resource == escort)
        .expect("one more escort unit is measured");
    assert!(x.objective_after < x.objective_before);
}

#[test]
fn a_missed_deadline_gets_a_verified_fix() {
    let s = escort("2023-07-03");
    let (base, e) = explain(&s);
    let late = e.late.first().expect("the camp is late");
    let camp = s.site_by_id("camp").unwrap();
    assert_eq!(late.site, camp);
    assert_eq!(
        Some(late.closure),
        base.sites.iter().find(|o| o.site == camp).unwrap().closure
    );
    let fix = late
        .resources
        .as_ref()
        .expect("extra escorts meet the deadline");
    // Re-plan the fix from scratch, through the checker, and check the claim.
    let mut changed = s.clone();
    for &c in &fix.changes {
        changed = planner::apply(&changed, c);
    }
    assert_eq!(changed, fix.what_if.scenario);
    let p = planner::plan(&changed, &planner::Config::default(), &mut |_, _| {}).unwrap();
    assert_checked("deadline fix", &changed, &p);
    let closure = p.sites.iter().find(|o| o.site == camp).unwrap().closure;
    assert_eq!(closure, Some(fix.closure));
    assert!(fix.closure <= late.deadline);
}

#[test]
fn latest_safe_start_matches_the_hand_worked_example() {
    // Deadline day 7 (2023-07-08): the camp closes 4 days after it may start, so the
    // latest safe start is day 3 (2023-07-04); from day 4 it closes on day 8, late.
    let s = escort("2023-07-08");
    let (_, e) = explain(&s);
    let camp = s.site_by_id("camp").unwrap();
    let l = e
        .latest_starts
        .iter()
        .find(|l| l.site == camp)
        .expect("the camp has a deadline");
    assert_eq!(l.latest, Some(Period(3)));
    assert_eq!(l.closure_at_latest, Some(Period(7)));
    assert_eq!(l.next_late_days, Some(1));
    // The plan behind the answer starts there, passes the checker and meets the deadline.
    let w = l.what_if.as_ref().unwrap();
    assert_eq!(w.scenario.site(camp).not_before, Period(3));
    assert_checked("latest start", &w.scenario, &w.plan);
    let first = w.plan.convoys.iter().map(|c| c.depart).min().unwrap();
    assert!(first >= Period(3));
}

#[test]
fn minusma_claims_hold_and_do_not_depend_on_threads() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let (base, _) = plan_checked("minusma-2023", &s);
    let cfg = planner::ExplainConfig {
        measure: 3,
        latest_start: false,
        ..planner::ExplainConfig::default()
    };
    let e = planner::explain(&s, &base, &cfg);
    assert_extras_hold(&s, &base, &e, false);
    for l in &e.late {
        for f in l.resources.iter().chain(&l.abandon) {
            assert_checked("deadline fix", &f.what_if.scenario, &f.what_if.plan);
            let c = f.what_if.plan.sites.iter().find(|o| o.site == l.site);
            assert!(c.and_then(|o| o.closure).is_some_and(|c| c <= l.deadline));
        }
    }
    // Same answer on one thread.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| planner::explain(&s, &base, &cfg));
    assert_eq!(one, e);
}

/// Explaining a plan whose fleets were routed again (as `optimize` leaves its best plan),
/// the re-plans are routed again too: each claim holds against a re-plan routed the same
/// way, and the gain is measured against the routed plan.
#[test]
fn claims_on_a_rerouted_plan_compare_rerouted_plans() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let (plan, _) = plan_checked("minusma-2023", &s);
    let base = planner::reroute(&s, &plan).expect("MINUSMA's round trips leave room");
    assert_checked("rerouted", &s, &base);
    let cfg = planner::ExplainConfig {
        measure: 2,
        latest_start: false,
        reroute: true,
        ..planner::ExplainConfig::default()
    };
    let e = planner::explain(&s, &base, &cfg);
    assert!(!e.extras.is_empty());
    assert_extras_hold(&s, &base, &e, true);
}

/// Units parked at an exit after their last trip (`V042`) are not in use: in the road
/// shuttle with 18 TEU all three trucks take the last wave (day 8, at the port on day 10)
/// and stay there, and the trucks count as fully used only while they drive, never for
/// the weeks they stand at the port until the end of the horizon.
#[test]
fn units_parked_at_an_exit_are_not_busy() {
    let text =
        std::fs::read_to_string(root().join("scenarios/examples/road-shuttle.toml")).unwrap();
    let s = load(
        "road-shuttle, 18 TEU",
        &text.replace("teu = 15", "teu = 18"),
    );
    let (base, e) = explain(&s);
    let last_arrival = base.convoys.iter().map(|c| c.arrive).max().unwrap();
    assert!(
        base.convoys
            .iter()
            .all(|c| s.site(c.to).exit.is_some() || c.arrive < last_arrival),
        "the trucks end at the port"
    );
    let trucks = e
        .binding
        .iter()
        .find(|b| matches!(b.resource, Resource::Fleet(_)))
        .expect("the trucks bind");
    for &(from, to) in &trucks.saturated {
        assert!(
            to <= last_arrival && from <= to,
            "trucks counted busy over {from:?}..{to:?}, after the last arrival {last_arrival:?}"
        );
    }
}

/// The gap, part by part: the plan's parts with its lateness and makespan make up its
/// objective, the LP's parts make up the value of the bound's LP of plans that meet every
/// deadline (`Bound::hard`), and on MINUSMA the plan pays no less than that LP in all.
#[test]
fn the_gap_splits_the_objective_and_the_hard_lp() {
    let (g, b) = minusma_gap(planner::BoundConfig::default());
    assert_eq!(g.against, model::explain::GapLp::Deadlines);
    let hard = b.hard.and_then(|h| h.flow).expect("the hard LP's value");
    let excess = check_gap(&g, hard);
    // The plan drives trucks on roads the LP leaves to others (on MINUSMA the direct road
    // from Gao to Bamako), so some road shows an excess larger than the trucks' in all.
    let trucks = g
        .parts
        .iter()
        .find(|x| x.part == model::explain::Part::Units(model::FleetKind::Truck))
        .unwrap();
    assert!(
        excess[0] > 0.0 && excess[0] >= trucks.plan - trucks.lp,
        "{excess:?}"
    );
}

/// Where the bound builds no LP of deadlines (here turned off, as it is on scenarios too
/// large for it), the gap sets the plan against the free LP, whose parts make up
/// `Bound::flow`.
#[test]
fn without_the_lp_of_deadlines_the_gap_is_to_the_free_lp() {
    let (g, b) = minusma_gap(planner::BoundConfig {
        hard: false,
        ..planner::BoundConfig::default()
    });
    assert_eq!(g.against, model::explain::GapLp::Free);
    check_gap(&g, b.flow);
}

/// MINUSMA's plan explained with the bound's settings `bound` (no measured claims): its
/// gap, and the bound with the same settings. The gap's lateness and makespan have been
/// checked to make up the plan's objective with its parts.
fn minusma_gap(bound: planner::BoundConfig) -> (model::explain::Gap, planner::Bound) {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let (base, _) = plan_checked("minusma-2023", &s);
    let cfg = planner::ExplainConfig {
        measure: 0,
        latest_start: false,
        bound,
        ..planner::ExplainConfig::default()
    };
    let g = planner::explain(&s, &base, &cfg)
        .gap
        .expect("an LP is solved");
    let plan: f64 = g.parts.iter().map(|x| x.plan).sum();
    let objective = plan + g.lateness + g.makespan;
    assert!(
        (objective - base.totals.objective).abs() <= 1e-6 * base.totals.objective,
        "{plan} + {} + {} against {}",
        g.lateness,
        g.makespan,
        base.totals.objective
    );
    (g, planner::bound(&s, &cfg.bound).unwrap())
}

/// The checks every gap passes: the LP's parts make up `lp`, at most the plan's; road by
/// road the parts paid on roads add up to their totals on both sides, each road and part
/// once, the largest excess of the plan first. Returns the excesses in that order.
fn check_gap(g: &model::explain::Gap, lp: f64) -> Vec<f64> {
    use model::explain::Part;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
    let plan: f64 = g.parts.iter().map(|x| x.plan).sum();
    assert!(g.parts.iter().all(|x| x.plan >= 0.0 && x.lp >= -1e-6));
    let parts_lp: f64 = g.parts.iter().map(|x| x.lp).sum();
    assert!(close(parts_lp, lp), "{parts_lp} against {lp}");
    assert!(plan >= parts_lp);
    for part in [
        Part::StockVehicles,
        Part::Units(model::FleetKind::Truck),
        Part::Units(model::FleetKind::Carrier),
        Part::Units(model::FleetKind::Escort),
    ] {
        let total = g.parts.iter().find(|x| x.part == part).unwrap();
        let on = g.roads.iter().filter(|x| x.part == part);
        let (p, l) = on.fold((0.0, 0.0), |(p, l), x| (p + x.plan, l + x.lp));
        assert!(
            close(p, total.plan),
            "{part:?}: plan {p} against {}",
            total.plan
        );
        assert!(close(l, total.lp), "{part:?}: LP {l} against {}", total.lp);
    }
    assert!(g.roads.iter().all(|x| !matches!(x.part, Part::Flights)));
    for (i, x) in g.roads.iter().enumerate() {
        assert!(
            !g.roads[..i]
                .iter()
                .any(|y| y.road == x.road && y.part == x.part)
        );
    }
    let excess: Vec<f64> = g.roads.iter().map(|x| x.plan - x.lp).collect();
    assert!(excess.windows(2).all(|w| w[0] >= w[1]), "{excess:?}");
    excess
}
