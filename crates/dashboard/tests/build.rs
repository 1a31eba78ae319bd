//! `dashboard::build`: the page model against the scenario and the checked plan.

use crate::{load, minusma, plan_checked};
use dashboard::{Extras, View, build};
use model::{Scenario, SiteKind};

/// Total initial stock of the bases and hubs, added up here independently of the crate.
fn totals(s: &Scenario) -> [u32; 3] {
    let mut t = [0; 3];
    for x in s.sites.iter().filter(|x| x.kind != SiteKind::Exit) {
        t[0] += x.initial.personnel.iter().sum::<u32>();
        t[1] += x.initial.teu;
        t[2] += x.initial.vehicles;
    }
    t
}

fn check_burndown(s: &Scenario, v: &View) {
    let b = &v.burndown;
    let steps = s.horizon.periods as usize + 1;
    assert_eq!(b.dates.len(), steps);
    assert_eq!(b.dates[0], v.scenario.start);
    let t = totals(s);
    for (name, series, total) in [
        ("personnel", &b.plan.personnel, t[0]),
        ("teu", &b.plan.teu, t[1]),
        ("vehicles", &b.plan.vehicles, t[2]),
    ] {
        assert_eq!(series.len(), steps, "{name}");
        assert_eq!(series[0], total, "{name} starts at the scenario total");
        assert_eq!(series[steps - 1], 0, "{name} ends at zero");
        // Stock leaves the theatre and never comes back.
        assert!(
            series.windows(2).all(|w| w[0] >= w[1]),
            "{name} never rises"
        );
    }
}

#[test]
fn minusma_burndown_starts_at_the_totals_and_ends_at_zero() {
    let (s, plan) = minusma();
    let v = build(s, plan, &Extras::default());
    check_burndown(s, &v);
}

#[test]
fn examples_burndown_starts_at_the_totals_and_ends_at_zero() {
    for name in [
        "road-shuttle",
        "airlift-runway",
        "rear-guard",
        "after-order",
    ] {
        let s = load(&format!("scenarios/examples/{name}.toml"));
        let plan = plan_checked(&s);
        check_burndown(&s, &build(&s, &plan, &Extras::default()));
    }
}

/// The holdings series of each site agrees with the closure the checker verified: the
/// site still holds stock on the morning of its closure period and nothing afterwards.
#[test]
fn site_series_agree_with_checked_closures() {
    let (s, plan) = minusma();
    let v = build(s, plan, &Extras::default());
    assert_eq!(v.burndown.sites.len(), v.plan.sites.len());
    let mut late = 0;
    for (series, site) in v.burndown.sites.iter().zip(&v.plan.sites) {
        assert_eq!(series.id, site.id);
        let held = |k: usize| series.personnel[k] + series.teu[k] + series.vehicles[k] > 0;
        let c = site.closure_period.expect("every MINUSMA camp closes") as usize;
        assert!(held(c), "{} holds stock on its closure morning", site.id);
        assert!(
            (c + 1..series.personnel.len()).all(|k| !held(k)),
            "{} holds nothing after closing",
            site.id
        );
        late += site.late_days;
        let first = site.first_departure_period.expect("stock leaves") as usize;
        assert!(first <= c, "{} departs before closing", site.id);
    }
    assert_eq!(late, plan.totals.late_days);
}

#[test]
fn the_view_serialises_with_the_contract_fields() {
    let (s, plan) = minusma();
    let extras = Extras {
        bound: Some(plan.totals.objective * 0.5),
        explanation: Some(serde_json::json!({"bottleneck": "test"})),
        ..Extras::default()
    };
    let v = serde_json::to_value(build(s, plan, &extras)).unwrap();
    for path in [
        "/scenario/name",
        "/scenario/start",
        "/scenario/end",
        "/scenario/sites/0/lat",
        "/scenario/sites/0/lon",
        "/scenario/sites/0/deadline",
        "/scenario/sites/0/holdings/personnel",
        "/scenario/sites/0/airfield",
        "/scenario/roads/0/hazard",
        "/scenario/roads/0/km",
        "/scenario/exits/0",
        "/plan/objective",
        "/plan/bound",
        "/plan/gap",
        "/plan/sites/0/closure",
        "/plan/sites/0/late_days",
        "/plan/sites/0/first_departure",
        "/plan/convoys/0/depart",
        "/plan/flights/0/sorties",
        "/burndown/plan/personnel/0",
        "/burndown/plan/teu/0",
        "/burndown/plan/vehicles/0",
        "/explanation/bottleneck",
    ] {
        assert!(v.pointer(path).is_some(), "missing {path}");
    }
    assert!((v["plan"]["gap"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    let kidal = v["scenario"]["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "kidal")
        .expect("kidal is a MINUSMA site");
    // Kidal lies in the north-east of Mali.
    assert!((18.0..19.0).contains(&kidal["lat"].as_f64().unwrap()));
    assert!((1.0..2.0).contains(&kidal["lon"].as_f64().unwrap()));
}

/// The record is the plan's own burn-down when the plan happened as written, cut the
/// morning after the last recorded day.
#[test]
fn the_record_follows_the_recorded_movements_and_stops_after_the_last_day() {
    let (s, plan) = minusma();
    let v = build(s, plan, &Extras::default());
    let actual = dashboard::actual(s, plan, model::Period(40));
    assert_eq!(actual.personnel.len(), 42);
    assert_eq!(actual.personnel[..], v.burndown.plan.personnel[..42]);
    assert_eq!(actual.teu[..], v.burndown.plan.teu[..42]);
    // Nothing recorded: everything still in theatre.
    let none = dashboard::actual(s, &model::Plan::default(), model::Period(3));
    assert_eq!(none.personnel, vec![totals(s)[0]; 5]);
}

/// What is out at exits turns into what remains, with the percentiles swapped.
#[test]
fn the_fan_is_what_remains() {
    let (s, _) = minusma();
    let [people, teu, _] = totals(s);
    let fan = dashboard::Fan::from_exits(
        s,
        10,
        7,
        &[[0, 100, 200], [1000, 1500, 2000]],
        &[[0, 0, 10], [50, 60, 70]],
    );
    assert_eq!(fan.personnel.p50, [people, people - 100, people - 1500]);
    assert_eq!(fan.personnel.p10, [people, people - 200, people - 2000]);
    assert_eq!(fan.personnel.p90, [people, people, people - 1000]);
    assert_eq!(fan.teu.p10, [teu, teu - 10, teu - 70]);
    assert_eq!((fan.runs, fan.seed), (10, 7));
}
