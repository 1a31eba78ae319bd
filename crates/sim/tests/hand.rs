//! Hazards whose effect can be worked out by hand: the estimate must fall inside the
//! confidence interval of the exact value, and the reported standard error must be the
//! binomial one.
//!
//! The scenario: `camp` holds 4 TEU and one truck of 2 TEU; the road to the exit `port`
//! takes one day. The plan (written by hand, checked by the checker): C1 leaves camp on day
//! 0 with 2 TEU, C2 drives the truck back on day 1, C3 leaves with the last 2 TEU on day 2.
//! So camp closes on day 2, its deadline, and every day the truck loses on C1 or C2 makes
//! it one day late (C3's own trip does not matter: closure is when the stock leaves).

use crate::{assert_feasible, load};
use model::{Convoy, FleetId, Load, Period, Plan, RoadId, SiteId};
use sim::{Config, Policy};

const BASE: &str = r#"
[scenario]
name = "one truck, two loads"
[horizon]
start = 2023-07-01
end = 2023-07-31
[[site]]
id = "camp"
kind = "base"
lat = 14.5
lon = -4.0
teu = 4
close_by = 2023-07-03
[[site]]
id = "port"
kind = "exit"
lat = 14.0
lon = -4.0
exit = { accepts = ["teu"] }
[[road]]
from = "camp"
to = "port"
km = 100
[[fleet]]
id = "truck"
kind = "truck"
home = "camp"
count = 1
teu = 2
"#;

/// The hand-written plan of the module documentation.
fn plan() -> Plan {
    let (camp, port) = (SiteId(0), SiteId(1));
    let leg = |id: &str, from, to, day: u32, teu| Convoy {
        id: id.to_string(),
        road: RoadId(0),
        from,
        to,
        depart: Period(day),
        arrive: Period(day + 1),
        units: vec![(FleetId(0), 1)],
        load: Load {
            personnel: Vec::new(),
            teu,
            vehicles: 0,
        },
    };
    Plan {
        convoys: vec![
            leg("C1", camp, port, 0, 2),
            leg("C2", port, camp, 1, 0),
            leg("C3", camp, port, 2, 2),
        ],
        ..Plan::default()
    }
}

const RUNS: u64 = 4000;

/// Simulate the scenario with `hazards` (TOML) and compare with the exact probability of
/// closing on time and the exact mean lateness in days.
fn check(name: &str, hazards: &str, on_time: f64, late_days: f64) {
    let s = load(name, &format!("{BASE}\n{hazards}"));
    let mut plan = plan();
    planner::summarize(&s, &mut plan);
    assert_feasible(name, &s, &plan);
    assert_eq!(
        plan.sites[0].closure,
        Some(Period(2)),
        "{name}: the plan closes on day 2"
    );
    let cfg = Config {
        runs: RUNS,
        seed: 2023,
        policy: Policy::Hold,
    };
    let sum = sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates");
    let camp = &sum.sites[0];
    let p = camp.on_time;
    // The binomial standard error of the exact value; the estimate must lie within four
    // of them (a false alarm once in ~16,000 seeds, and the seed is fixed).
    let exact_se = (on_time * (1.0 - on_time) / RUNS as f64).sqrt();
    assert!(
        (p.mean - on_time).abs() <= 4.0 * exact_se,
        "{name}: P(on time) {:.4} ± {:.4}, exact {on_time:.4}",
        p.mean,
        p.se
    );
    // Convergence: the reported standard error is the binomial one of the estimate.
    let binomial = (p.mean * (1.0 - p.mean) / RUNS as f64).sqrt();
    assert!(
        (p.se - binomial).abs() < 1e-12,
        "{name}: se {} vs {binomial}",
        p.se
    );
    let l = camp.late_days;
    let tolerance = if l.se > 0.0 { 4.0 * l.se } else { 1e-9 };
    assert!(
        (l.mean - late_days).abs() <= tolerance,
        "{name}: late days {:.4} ± {:.4}, exact {late_days:.4}",
        l.mean,
        l.se
    );
}

#[test]
fn estimates_fall_inside_the_confidence_interval_of_the_exact_values() {
    // No hazard: always on time.
    check("none", "", 1.0, 0.0);
    // Each traverse of the road is delayed exactly one day with probability 0.3: the site
    // is on time when neither C1 nor C2 is hit, (0.7)^2; each hit costs one day.
    check(
        "road delay",
        "[[hazards.road]]\nid = \"r\"\nroads = [\"camp-port\"]\nincident = 0.3\n\
         delay_days = { min = 1, max = 1 }",
        0.49,
        0.6,
    );
    // Convoys leaving camp are refused with probability 0.4 and asked again the next day
    // (the port grants all): C1 and C3 each wait a geometric number of days, mean 0.4/0.6.
    check(
        "permission",
        "[[hazards.permission]]\nid = \"p\"\nsites = [\"camp\"]\nconvoy_grant = 0.6\n\
         convoy_lead_days = 1",
        0.36,
        2.0 * 0.4 / 0.6,
    );
    // The truck breaks down with probability 1 - exp(-2.2314355 x 100 / 1000) = 0.2 on each
    // traverse and is out for two days at the end of it: on time when C1 and C2 do not
    // break, (0.8)^2, and each breakdown costs two days.
    check(
        "breakdown",
        "[[hazards.breakdown]]\nid = \"b\"\nper_1000_km = 2.2314355\n\
         repair_days = { min = 2, max = 2 }",
        0.64,
        0.8,
    );
    // With probability 0.25 the road is closed on days 0 to 2: C1 waits to day 3 and the
    // site closes three days late.
    check(
        "closure",
        "[[hazards.closure]]\nid = \"c\"\nprobability = 0.25\nfrom = 2023-07-01\n\
         until = 2023-07-03\nroads = [\"camp-port\"]",
        0.75,
        0.75,
    );
    // The rainy season halves the speed: every leg takes two days, the site is two days
    // late in every campaign.
    check(
        "season",
        "[[hazards.season]]\nid = \"s\"\nfrom = 2023-07-01\nuntil = 2023-07-31\nspeed = 0.5",
        0.0,
        2.0,
    );
}

#[test]
fn an_early_departure_strands_what_its_units_were_to_carry() {
    // With probability 0.5 the truck contract ends on day 1: C2 and C3 are cancelled and
    // the last 2 TEU never leave camp (the site is late by the days to the horizon's end).
    let s = load(
        "departure",
        &format!(
            "{BASE}\n[[hazards.departure]]\nid = \"d\"\nfleet = \"truck\"\nprobability = 0.5\n\
             from = 2023-07-02\nuntil = 2023-07-02"
        ),
    );
    let mut plan = plan();
    planner::summarize(&s, &mut plan);
    let cfg = Config {
        runs: RUNS,
        seed: 9,
        policy: Policy::Hold,
    };
    let sum = sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates");
    let camp = &sum.sites[0];
    assert_eq!(camp.on_time.mean + camp.not_closed.mean, 1.0);
    let se = (0.25 / RUNS as f64).sqrt();
    assert!(
        (camp.not_closed.mean - 0.5).abs() <= 4.0 * se,
        "{:?}",
        camp.not_closed
    );
    assert!(
        (sum.events.cancelled.mean - 2.0 * camp.not_closed.mean).abs() < 1e-9,
        "{:?}",
        sum.events
    );
    assert!((sum.left.teu.0.mean - 2.0 * camp.not_closed.mean).abs() < 1e-9);
}

#[test]
fn incidents_destroy_what_the_hit_trucks_carry() {
    // Each of the three traverses is hit with probability 0.3, and a hit destroys the
    // convoy's only vehicle, its truck (replaced from reserve), with its 2 TEU when loaded
    // (C1 and C3). Per campaign: 0.9 incidents, 0.9 units destroyed, 1.2 TEU destroyed, all
    // of them left behind; the timing does not change.
    let s = load(
        "destroyed",
        &format!(
            "{BASE}\n[[hazards.road]]\nid = \"r\"\nroads = [\"camp-port\"]\nincident = 0.3\n\
             destroyed = {{ min = 1, max = 1 }}"
        ),
    );
    let mut plan = plan();
    planner::summarize(&s, &mut plan);
    let cfg = Config {
        runs: RUNS,
        seed: 4,
        policy: Policy::Hold,
    };
    let sum = sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates");
    let e = &sum.events;
    for (what, est, exact) in [
        ("incidents", e.incidents, 0.9),
        ("units destroyed", e.units_destroyed, 0.9),
        ("TEU destroyed", sum.left.teu_destroyed, 1.2),
        ("TEU left behind", sum.left.teu.0, 1.2),
    ] {
        assert!(
            (est.mean - exact).abs() <= 4.0 * est.se,
            "{what}: {:.4} ± {:.4}, exact {exact}",
            est.mean,
            est.se
        );
    }
    assert_eq!(sum.sites[0].on_time.mean, 1.0);
}
