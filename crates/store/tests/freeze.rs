//! The frozen plan prefix: recorded movements become plan movements that the independent
//! checker accepts as the beginning of a plan, under names that never change, and recorded
//! hazards become restrictions for planning the rest.

use crate::{DAY_ONE, log, scenario};
use model::{Period, Window};
use std::collections::BTreeMap;
use store::track::freeze;
use store::track::replay::FUTURE_RULES;

fn frozen(
    text: &str,
) -> (
    model::Scenario,
    Vec<(i64, store::track::Event)>,
    freeze::Frozen,
) {
    let s = scenario();
    let log = log(&s, text);
    let refs: Vec<_> = log.iter().map(|(i, e)| (*i, e)).collect();
    let f = freeze::freeze(&s, &refs);
    (s, log, f)
}

#[test]
fn recorded_movements_freeze_into_a_plan_prefix_the_checker_accepts() {
    let (s, _, f) = frozen(DAY_ONE);
    let names: Vec<&str> = f.plan.convoys.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(names, ["K1@2023-09-01", "K2@2023-09-03"]);
    let k2 = &f.plan.convoys[1];
    assert_eq!((k2.depart, k2.arrive), (Period(2), Period(4)));
    assert_eq!(k2.load.teu, 6);
    assert_eq!(f.plan.flights[0].id, "UN-01@2023-09-05");
    assert_eq!(f.plan.flights[0].load.people(), 26);
    assert_eq!(f.plan.abandoned.len(), 1);
    assert_eq!(f.origin["K2@2023-09-03"], 3);
    assert_eq!(f.last, Some("2023-09-07".parse().unwrap()));
    let file = scenario::planfile::to_file(&s, &f.plan, BTreeMap::new());
    let report = scenario::check::verify(&s, &file);
    let broken: Vec<_> = report
        .violations
        .iter()
        .filter(|v| !FUTURE_RULES.contains(&v.code))
        .map(ToString::to_string)
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn frozen_names_do_not_depend_on_later_or_late_events() {
    let (_, _, before) = frozen(DAY_ONE);
    // A convoy reported late (dated before everything else) and a later leg.
    let more = format!(
        r#"{{"kind": "flight-flown", "date": "2023-09-01", "aircraft": "c130", "from": "kidal", "to": "bamako", "personnel": {{"td": 10}}}}
{DAY_ONE}
{{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K1", "from": "gao", "to": "dakar", "units": {{"trucks": 3}}, "teu": 6}}"#
    );
    let (_, _, after) = frozen(&more);
    for c in &before.plan.convoys {
        assert!(after.plan.convoys.contains(c), "{} changed", c.id);
    }
    for fl in &before.plan.flights {
        assert!(after.plan.flights.contains(fl), "{} changed", fl.id);
    }
    assert!(after.plan.convoys.iter().any(|c| c.id == "K1@2023-09-08"));
    assert!(after.plan.flights.iter().any(|f| f.id == "#1@2023-09-01"));
}

#[test]
fn a_replan_starts_after_the_last_event() {
    let (s, _, f) = frozen(DAY_ONE);
    let d = |t: &str| Some(t.parse().unwrap());
    // (now given, first period of the re-plan)
    let cases = [
        (None, Some(Period(7))),
        (d("2023-09-08"), Some(Period(7))),
        (d("2023-09-12"), Some(Period(11))),
        (d("2023-09-07"), None),
        (d("2024-01-01"), None),
    ];
    for (now, want) in cases {
        assert_eq!(freeze::start_period(&s, &f, now), want, "now {now:?}");
    }
    assert_eq!(
        freeze::start_period(&s, &freeze::Frozen::default(), None),
        Some(Period(0))
    );
}

#[test]
fn recorded_hazards_restrict_the_rest_but_never_the_frozen_past() {
    // gao-dakar closed 09-07 to 09-09; kidal refused from 09-08 to 09-20 while a convoy is
    // on its way there (due 09-10); an incident restricts nothing.
    let text = format!(
        r#"{DAY_ONE}
{{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "gao", "to": "kidal", "units": {{"trucks": 1, "escorts": 1}}}}
{{"kind": "hazard", "date": "2023-09-08", "hazard": "permission-refused", "site": "kidal", "until": "2023-09-20"}}
{{"kind": "hazard", "date": "2023-09-08", "hazard": "incident", "site": "gao"}}"#
    );
    let (s, log, f) = frozen(&text);
    let refs: Vec<_> = log.iter().map(|(i, e)| (*i, e)).collect();
    let now = freeze::start_period(&s, &f, None).unwrap();
    assert_eq!(now, Period(8));
    let amended = freeze::amend(&s, &refs, &f.plan, now);
    let added = &amended.restrictions[s.restrictions.len()..];
    let got: Vec<(Window, Vec<&str>, Vec<&str>)> = added
        .iter()
        .map(|r| {
            (
                r.window,
                r.roads
                    .iter()
                    .map(|x| s.roads[x.idx()].id.as_str())
                    .collect(),
                r.sites.iter().map(|x| s.site(*x).id.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Window {
                    from: Period(8),
                    until: Period(8)
                },
                vec!["gao-dakar"],
                vec![],
            ),
            // K3 arrives at kidal in period 9, so the refusal starts in period 10.
            (
                Window {
                    from: Period(10),
                    until: Period(19)
                },
                vec![],
                vec!["kidal"],
            ),
        ]
    );
    // The frozen past passes the amended scenario's rules as well as the original's.
    let file = scenario::planfile::to_file(&amended, &f.plan, BTreeMap::new());
    let report = scenario::check::verify(&amended, &file);
    assert!(
        report
            .violations
            .iter()
            .all(|v| FUTURE_RULES.contains(&v.code)),
        "{:#?}",
        report.violations
    );
}
