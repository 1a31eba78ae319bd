//! With every hazard off, the simulation reproduces the plan exactly: every campaign closes
//! every site in the plan's period, the exit curves are the plan's, and nothing happens.

use crate::{load_file, plan_checked};
use model::{Hazards, Leaver, Permission, Scenario, Spread};
use sim::{Config, Policy, Summary};

/// The hazards of `s` with every chance set to "never" and every season to full speed:
/// the same sources and streams, none of which can hit.
fn zeroed(s: &Scenario) -> Hazards {
    let mut h = s.hazards.clone();
    let sure = |p: &mut Permission| p.grant = 1.0;
    h.convoy_permission.iter_mut().for_each(sure);
    h.flight_permission.iter_mut().for_each(sure);
    for r in h.roads.iter_mut().flatten() {
        r.incident = 0.0;
    }
    for b in h.breakdowns.iter_mut().flatten() {
        b.per_1000_km = 0.0;
        b.repair_days = Spread::fixed(3.0);
    }
    h.seasons.iter_mut().for_each(|x| x.speed = 1.0);
    h.closures.iter_mut().for_each(|c| c.probability = 0.0);
    h.departures.iter_mut().for_each(|d| {
        d.probability = 0.0;
        assert!(matches!(d.leaver, Leaver::Fleet(_) | Leaver::Aircraft(_)));
    });
    h
}

/// Simulate `file` with hazards removed or zeroed, under `policy`, and compare with its plan.
fn check(file: &str, hazards: fn(&Scenario) -> Hazards, policy: Policy) {
    let mut s = load_file(file);
    s.hazards = hazards(&s);
    let plan = plan_checked(file, &s);
    let cfg = Config {
        runs: 8,
        seed: 11,
        policy,
    };
    let sum: Summary = sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates");
    let claimed: Vec<_> = plan.sites.iter().filter(|o| o.closure.is_some()).collect();
    assert_eq!(
        sum.sites.len(),
        claimed.len(),
        "{file}: sites with a closure"
    );
    for (x, o) in sum.sites.iter().zip(&claimed) {
        let id = &s.site(x.site).id;
        assert_eq!(x.site, o.site, "{file}");
        assert_eq!(x.planned, o.closure, "{file}: planned closure of {id}");
        assert_eq!(
            x.closure, [o.closure; 3],
            "{file}: simulated closures of {id}"
        );
        let on_time = if x.late_in_plan { 0.0 } else { 1.0 };
        assert_eq!(x.on_time.mean, on_time, "{file}: {id}");
        assert_eq!(x.on_time.se, 0.0, "{file}: {id}");
        assert!(x.top_cause.is_none(), "{file}: {id}");
    }
    for row in &sum.fan {
        assert_eq!(
            row.people, [row.planned_people; 3],
            "{file}: period {}",
            row.period.0
        );
        assert_eq!(
            row.teu, [row.planned_teu; 3],
            "{file}: period {}",
            row.period.0
        );
    }
    let e = &sum.events;
    for (what, est) in [
        ("incidents", e.incidents),
        ("breakdowns", e.breakdowns),
        ("refusals", e.refusals),
        ("replans", e.replans),
        ("casualty exposure", e.casualty_exposure),
    ] {
        assert_eq!(est.mean, 0.0, "{file}: {what}");
    }
    assert!(sum.causes.is_empty(), "{file}: {:?}", sum.causes);
}

fn none(_: &Scenario) -> Hazards {
    Hazards::default()
}

const FILES: &[&str] = &[
    "scenarios/examples/road-shuttle.toml",
    "scenarios/examples/after-order.toml",
    "scenarios/examples/airlift-runway.toml",
    "scenarios/examples/escort-bottleneck.toml",
    "scenarios/examples/rear-guard.toml",
    "scenarios/examples/restriction-window.toml",
    "scenarios/minusma-2023.toml",
];

#[test]
fn without_hazards_every_campaign_is_the_plan() {
    for file in FILES {
        check(file, none, Policy::Hold);
    }
}

#[test]
fn with_hazards_that_cannot_hit_every_campaign_is_the_plan() {
    let replan = Policy::Replan {
        after_days: 1,
        max_replans: 3,
    };
    for file in FILES {
        check(file, zeroed, Policy::Hold);
        check(file, zeroed, replan);
    }
}
