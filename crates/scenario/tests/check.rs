//! Tests of the plan checker.
//!
//! `data/plans/scenario.toml` is a miniature northern Mali with every feature the plan
//! rules talk about, and `data/plans/feasible.json` a plan for it written and summed by
//! hand. The feasible plan must pass with zero violations and with the recomputed figures
//! equal to the hand-computed ones. Every rule of `docs/plan-semantics.md` is then broken
//! by one small edit of the plan (or, for capacities, of the scenario), and the exact set
//! of codes reported is asserted: the intended code plus any consequence the edit cannot
//! avoid, each explained.

use scenario::check::{self, ReadError, Report};
use scenario::planfile::{AbandonRow, ConvoyRow, FlightRow, PlanFile};
use std::collections::{BTreeMap, BTreeSet};

const SCENARIO: &str = include_str!("data/plans/scenario.toml");
const FEASIBLE: &str = include_str!("data/plans/feasible.json");
const SPEC: &str = include_str!("../../../docs/plan-semantics.md");

/// The fixture scenario with each `(from, to)` text replacement applied once.
fn scenario(edits: &[(&str, &str)]) -> model::Scenario {
    let mut text = SCENARIO.to_string();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "scenario edit `{from}` must match exactly once"
        );
        text = text.replacen(from, to, 1);
    }
    match scenario::load_str("scenario.toml", &text) {
        Ok(loaded) => loaded.scenario,
        Err(scenario::LoadError::Invalid(diags)) => {
            let all: Vec<String> = diags.iter().map(ToString::to_string).collect();
            panic!("fixture scenario is invalid:\n{}", all.join("\n"))
        }
        Err(e) => panic!("{e}"),
    }
}

fn feasible() -> PlanFile {
    check::parse_plan("feasible.json", FEASIBLE).expect("the fixture plan parses")
}

fn convoy<'a>(p: &'a mut PlanFile, id: &str) -> &'a mut ConvoyRow {
    p.convoys
        .iter_mut()
        .find(|c| c.id == id)
        .expect("fixture convoy")
}

fn flight<'a>(p: &'a mut PlanFile, id: &str) -> &'a mut FlightRow {
    p.flights
        .iter_mut()
        .find(|f| f.id == id)
        .expect("fixture flight")
}

fn counts(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
    pairs.iter().map(|&(k, n)| (k.to_string(), n)).collect()
}

/// Change a movement's departure and arrival dates.
fn dates(depart: &mut String, arrive: &mut String, d: &str, a: &str) {
    *depart = d.to_string();
    *arrive = a.to_string();
}

fn show(r: &Report) -> String {
    r.violations
        .iter()
        .map(|v| format!("  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn feasible_plan_passes_with_hand_computed_figures() {
    let loaded = scenario::load_str("scenario.toml", SCENARIO).expect("fixture loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let s = loaded.scenario;
    let r = check::verify(&s, &feasible());
    assert!(r.is_feasible(), "violations:\n{}", show(&r));

    // Closures: tessalit empties on 07-05 (P2), kidal on 07-07 (P3), gao when the last
    // TEU are abandoned on 07-15 (P7), one two-day period after its 07-13 deadline.
    let closure = |id: &str| r.sites[s.site_by_id(id).unwrap().idx()].clone();
    assert_eq!(closure("tessalit").closure, Some(model::Period(2)));
    assert_eq!(closure("kidal").closure, Some(model::Period(3)));
    assert_eq!(closure("gao").closure, Some(model::Period(7)));
    assert_eq!(closure("gao").late_days, 2);
    assert_eq!(closure("niamey").closure, None);

    let t = &r.totals;
    assert_eq!((t.convoys, t.sorties), (5, 2));
    // Unit-km: 3 x 180 + 3 x 180 + 3 x 300 + 4 x 450 + 1 x 450.
    assert!((t.unit_km - 4230.0).abs() < 1e-9, "{}", t.unit_km);
    // Exposure: 3 x 180 x 3 + (3 + 2) x 180 x 3 + (3 + 2) x 300 x 1; the Niamey road has
    // hazard 0.
    assert!((t.exposure - 5820.0).abs() < 1e-9, "{}", t.exposure);
    // Great-circle Kidal-Bamako 1196.22 km and Gao-Bamako 947.19 km at 500 km/h.
    assert!((t.flight_hours - 4.2868).abs() < 1e-3, "{}", t.flight_hours);
    // Trucks 2970 km x 1, escorts 360 km x 2, buses 900 km x 0.5, flights x 3000.
    assert!((t.cost - 17000.468).abs() < 1e-2, "{}", t.cost);
    assert_eq!(t.late_days, 2);
    // The abandonment on 07-15 (P7) ends the withdrawal: (7 + 1) x 2 days.
    assert_eq!(t.makespan_days, 16);
    assert!((t.abandon_penalty - 1000.0).abs() < 1e-9);
    // 1000 x 2 + 10 x 16 + 0.001 x 5820 + 0.01 x 17000.468 + 1000.
    assert!((t.objective - 3335.8247).abs() < 1e-3, "{}", t.objective);

    let json = r.to_json();
    assert_eq!(json["feasible"], true);
    assert_eq!(json["sites"][2]["site"], "gao");
    assert_eq!(json["sites"][2]["closure"], "2023-07-15");
    assert_eq!(json["totals"]["makespan_days"], 16);
}

/// One hand-broken variant of the feasible plan.
struct Case {
    /// The rule the edit breaks; it must be among the codes reported.
    code: &'static str,
    /// Other codes the edit cannot help triggering (explained in `why`).
    also: &'static [&'static str],
    /// What is broken, and why the other codes follow.
    why: &'static str,
    /// Text replacements in the scenario (for capacities the plan already fills).
    edits: &'static [(&'static str, &'static str)],
    /// The edit of the plan.
    mutate: fn(&mut PlanFile),
}

const CASES: &[Case] = &[
    Case {
        code: "V001",
        also: &[],
        why: "a departure on the second day of a period",
        edits: &[],
        mutate: |p| convoy(p, "C0001").depart = "2023-07-04".into(),
    },
    Case {
        code: "V001",
        also: &["V040", "V070"],
        why: "an unreadable date drops the convoy, so the units it took to Tessalit are \
              missing there (V040) and its kilometres from the figures (V070)",
        edits: &[],
        mutate: |p| convoy(p, "C0001").depart = "3 July 2023".into(),
    },
    Case {
        code: "V002",
        also: &["V070"],
        why: "an arrival after the horizon drops the convoy and its kilometres",
        edits: &[],
        mutate: |p| convoy(p, "C0005").arrive = "2023-08-02".into(),
    },
    Case {
        code: "V003",
        also: &[],
        why: "a plan file of another format",
        edits: &[],
        mutate: |p| p.format = "drawdown-plan/0".into(),
    },
    Case {
        code: "V004",
        also: &[],
        why: "personnel of a contingent the scenario does not have",
        edits: &[],
        mutate: |p| convoy(p, "C0005").personnel = counts(&[("fra", 0)]),
    },
    Case {
        code: "V005",
        also: &[],
        why: "a flight with the id of a convoy",
        edits: &[],
        mutate: |p| flight(p, "F0002").id = "C0001".into(),
    },
    Case {
        code: "V010",
        also: &[],
        why: "a two-period road driven in one period",
        edits: &[],
        mutate: |p| convoy(p, "C0003").arrive = "2023-07-09".into(),
    },
    Case {
        code: "V011",
        also: &[],
        why: "a 2.4-hour flight that lands two periods later",
        edits: &[],
        mutate: |p| flight(p, "F0001").arrive = "2023-07-11".into(),
    },
    Case {
        code: "V020",
        also: &[],
        why: "31 Bangladeshi personnel fly out of Kidal, which has 30",
        edits: &[],
        mutate: |p| flight(p, "F0001").personnel = counts(&[("tcd", 20), ("bgd", 31)]),
    },
    Case {
        code: "V021",
        // A site that never empties never closes: the claimed closure (V031) and the
        // lateness it implied (V070) are wrong too.
        also: &["V031", "V070"],
        why: "one Bangladeshi stays behind in Gao",
        edits: &[],
        mutate: |p| flight(p, "F0002").personnel = counts(&[("bgd", 9)]),
    },
    Case {
        code: "V022",
        also: &["V021", "V031", "V070"],
        why: "the returning bus brings a person back from Niamey, who then stays in Gao",
        edits: &[],
        mutate: |p| convoy(p, "C0005").personnel = counts(&[("tcd", 1)]),
    },
    Case {
        code: "V023",
        also: &[],
        why: "Bangladeshi personnel reach Niamey, which takes only the Chadian contingent \
              (the Chadians fly instead, so every balance still holds)",
        edits: &[],
        mutate: |p| {
            flight(p, "F0001").personnel = counts(&[("tcd", 30), ("bgd", 20)]);
            convoy(p, "C0003").personnel = counts(&[("bgd", 10)]);
            convoy(p, "C0004").personnel = counts(&[("bgd", 10)]);
        },
    },
    Case {
        code: "V024",
        also: &[],
        why: "Niamey takes 8 personnel per period; the convoy brings 10",
        edits: &[("personnel_per_day = 5", "personnel_per_day = 4")],
        mutate: |_| {},
    },
    Case {
        code: "V025",
        also: &[],
        why: "abandonment when the scenario forbids it",
        edits: &[("allowed = true", "allowed = false")],
        mutate: |_| {},
    },
    Case {
        code: "V025",
        also: &[],
        why: "abandonment at an exit, which holds nothing (left out of the figures)",
        edits: &[],
        mutate: |p| {
            p.abandoned.push(AbandonRow {
                site: "bamako".into(),
                date: "2023-07-15".into(),
                teu: 1,
                vehicles: 0,
            });
        },
    },
    Case {
        code: "V026",
        also: &[],
        why: "Gao's own personnel fly out a period before its not_before (the transit \
              convoy leaving the same period is allowed)",
        edits: &[],
        mutate: |p| {
            let f = flight(p, "F0002");
            dates(&mut f.depart, &mut f.arrive, "2023-07-11", "2023-07-13");
        },
    },
    Case {
        code: "V027",
        also: &[],
        why: "Kidal's personnel fly out while its containers are still there",
        edits: &[],
        mutate: |p| {
            let f = flight(p, "F0001");
            dates(&mut f.depart, &mut f.arrive, "2023-07-03", "2023-07-05");
        },
    },
    Case {
        code: "V028",
        also: &[],
        why: "the empty bus leaves Niamey while the border is closed",
        edits: &[],
        mutate: |p| {
            let c = convoy(p, "C0005");
            dates(&mut c.depart, &mut c.arrive, "2023-07-17", "2023-07-19");
        },
    },
    Case {
        code: "V029",
        also: &["V070"],
        why: "half of Tessalit's troops fly to Kidal, landing in the period Kidal's last \
              stock leaves (they ride on with it), so after Kidal has closed; the flight's \
              hours are missing from the figures (V070)",
        edits: &[(
            "close_by = 2023-07-05",
            "close_by = 2023-07-05\nairfield = { runway_m = 1800, paved = false }",
        )],
        mutate: |p| {
            convoy(p, "C0002").personnel = counts(&[("tcd", 5)]);
            p.flights.push(FlightRow {
                id: "F0003".into(),
                aircraft: "c130".into(),
                sorties: 1,
                from: "tessalit".into(),
                to: "kidal".into(),
                depart: "2023-07-05".into(),
                arrive: "2023-07-07".into(),
                personnel: counts(&[("tcd", 5)]),
                teu: 0,
            });
        },
    },
    Case {
        code: "V032",
        also: &["V070"],
        why: "Gao may send its own stock from 9 July: its personnel fly out then and its \
              containers are abandoned, so it closes on 9 July; half of Chad's troops \
              passing through by road on 11 July then fly out of it. The new flight's \
              hours and the earlier closure (no longer late) are missing from the \
              figures (V070)",
        edits: &[(
            "not_before = 2023-07-13\nclose_by = 2023-07-13",
            "not_before = 2023-07-09\nclose_by = 2023-07-13",
        )],
        mutate: |p| {
            let f = flight(p, "F0002");
            dates(&mut f.depart, &mut f.arrive, "2023-07-09", "2023-07-11");
            p.abandoned[0].date = "2023-07-09".into();
            convoy(p, "C0004").personnel = counts(&[("tcd", 5)]);
            p.flights.push(FlightRow {
                id: "F0003".into(),
                aircraft: "c130".into(),
                sorties: 1,
                from: "gao".into(),
                to: "bamako".into(),
                depart: "2023-07-11".into(),
                arrive: "2023-07-13".into(),
                personnel: counts(&[("tcd", 5)]),
                teu: 0,
            });
            let gao = p.sites.iter_mut().find(|r| r.site == "gao").unwrap();
            gao.closure = Some("2023-07-09".into());
            gao.late_days = 0;
        },
    },
    Case {
        code: "V030",
        also: &[],
        why: "Kidal must close after Gao, which closes later",
        edits: &[(r#"after = ["tessalit"]"#, r#"after = ["gao"]"#)],
        mutate: |_| {},
    },
    Case {
        code: "V031",
        also: &[],
        why: "a wrong claimed closure",
        edits: &[],
        mutate: |p| p.sites[0].closure = Some("2023-07-07".into()),
    },
    Case {
        code: "V031",
        also: &[],
        why: "a site with a closure is not listed",
        edits: &[],
        mutate: |p| p.sites.retain(|s| s.site != "gao"),
    },
    Case {
        code: "V031",
        also: &[],
        why: "a wrong claimed lateness",
        edits: &[],
        mutate: |p| p.sites[1].late_days = 2,
    },
    Case {
        code: "V040",
        also: &[],
        why: "the bus leaves Niamey a period before it gets there",
        edits: &[],
        mutate: |p| {
            let c = convoy(p, "C0005");
            dates(&mut c.depart, &mut c.arrive, "2023-07-11", "2023-07-13");
        },
    },
    Case {
        code: "V041",
        also: &[],
        why: "an escort moves before its fleet is available",
        edits: &[],
        mutate: |p| {
            let c = convoy(p, "C0001");
            dates(&mut c.depart, &mut c.arrive, "2023-07-01", "2023-07-03");
        },
    },
    Case {
        code: "V042",
        also: &["V070"],
        why: "a truck instead of the bus drives back to Gao, not its home; trucks cost \
              more per km than buses",
        edits: &[],
        mutate: |p| convoy(p, "C0005").units = counts(&[("trucks", 1)]),
    },
    Case {
        code: "V043",
        also: &[],
        why: "a fleet the scenario does not have",
        edits: &[],
        mutate: |p| {
            convoy(p, "C0005").units.insert("tanks".into(), 0);
        },
    },
    Case {
        code: "V050",
        also: &[],
        why: "a convoy from Niamey to Niamey on the Gao-Niamey road",
        edits: &[],
        mutate: |p| convoy(p, "C0005").to = "niamey".into(),
    },
    Case {
        code: "V051",
        also: &[],
        why: "Kidal's containers go to Tessalit and come back with Tessalit's, 6 TEU on 2 \
              trucks of 2 TEU",
        edits: &[],
        mutate: |p| {
            convoy(p, "C0001").teu = 2;
            convoy(p, "C0002").teu = 6;
        },
    },
    Case {
        code: "V052",
        also: &[],
        why: "11 personnel in a convoy with 10 seats (one fewer flies from Kidal, and the \
              extra one flies on from Gao)",
        edits: &[],
        mutate: |p| {
            flight(p, "F0001").personnel = counts(&[("tcd", 19), ("bgd", 30)]);
            convoy(p, "C0003").personnel = counts(&[("tcd", 11)]);
            flight(p, "F0002").personnel = counts(&[("tcd", 1), ("bgd", 10)]);
        },
    },
    Case {
        code: "V053",
        also: &[],
        why: "one escort covers 3 vehicles; the loaded convoy has 4",
        edits: &[("cover = 4", "cover = 3")],
        mutate: |_| {},
    },
    Case {
        code: "V053",
        also: &["V052", "V070"],
        why: "no escort at all on the escorted road; the escort's 4 seats are missing for \
              Tessalit's personnel too (V052), and its unit-km from the figures",
        edits: &[],
        mutate: |p| {
            convoy(p, "C0001").units.remove("escorts");
            convoy(p, "C0002").units.remove("escorts");
        },
    },
    Case {
        code: "V054",
        also: &["V070"],
        why: "7 vehicles in one convoy where 6 are allowed (and more unit-km)",
        edits: &[],
        mutate: |p| {
            convoy(p, "C0001").units = counts(&[("trucks", 3), ("escorts", 2)]);
            convoy(p, "C0002").units = counts(&[("trucks", 3), ("escorts", 2)]);
        },
    },
    Case {
        code: "V055",
        also: &[],
        why: "the road takes 4 vehicles per period; the loaded convoy has 5",
        edits: &[("vehicles_per_day = 4", "vehicles_per_day = 2")],
        mutate: |_| {},
    },
    Case {
        code: "V056",
        also: &[],
        why: "the bus drives while the road is closed",
        edits: &[],
        mutate: |p| {
            let c = convoy(p, "C0005");
            dates(&mut c.depart, &mut c.arrive, "2023-07-21", "2023-07-23");
        },
    },
    Case {
        code: "V056",
        also: &[],
        why: "a restriction on the Kidal-Gao road while the convoy is on it",
        edits: &[("from = 2023-07-11", "from = 2023-07-09")],
        mutate: |_| {},
    },
    Case {
        code: "V057",
        also: &[],
        why: "Gao loads 4 TEU per period; the convoy takes 6",
        edits: &[("handling_teu_per_day = 3", "handling_teu_per_day = 2")],
        mutate: |_| {},
    },
    Case {
        code: "V058",
        also: &["V070"],
        why: "a convoy of nothing (and fewer unit-km)",
        edits: &[],
        mutate: |p| convoy(p, "C0005").units = counts(&[("buses", 0)]),
    },
    Case {
        code: "V060",
        also: &[],
        why: "Kidal's runway is too short for the C-130",
        edits: &[("runway_m = 1800", "runway_m = 1200")],
        mutate: |_| {},
    },
    Case {
        code: "V060",
        also: &["V021", "V031", "V070"],
        why: "an unknown aircraft type drops the flight, so Kidal's personnel stay and its \
              flight hours are missing",
        edits: &[],
        mutate: |p| flight(p, "F0001").aircraft = "an124".into(),
    },
    Case {
        code: "V061",
        also: &[],
        why: "50 personnel on one sortie of 45 seats",
        edits: &[("seats = 60", "seats = 45")],
        mutate: |_| {},
    },
    Case {
        code: "V062",
        also: &["V070"],
        why: "5 sorties where two airframes fly 4 per period (and more flight hours)",
        edits: &[],
        mutate: |p| flight(p, "F0001").sorties = 5,
    },
    Case {
        code: "V062",
        also: &[],
        why: "a flight after the type's availability window",
        edits: &[(
            "available_until = 2023-07-16",
            "available_until = 2023-07-12",
        )],
        mutate: |_| {},
    },
    Case {
        code: "V063",
        also: &["V070"],
        why: "3 sorties from Gao, which has 2 slots per period (and more flight hours)",
        edits: &[],
        mutate: |p| flight(p, "F0002").sorties = 3,
    },
    Case {
        code: "V064",
        also: &[],
        why: "a flight leaves Gao while its airfield is closed (a flight in the last \
              period of the type's window is fine)",
        edits: &[],
        mutate: |p| {
            let f = flight(p, "F0002");
            dates(&mut f.depart, &mut f.arrive, "2023-07-15", "2023-07-17");
        },
    },
    Case {
        code: "V070",
        also: &[],
        why: "unit-km off by 25, beyond 0.5% of 4230",
        edits: &[],
        mutate: |p| p.totals.unit_km += 25.0,
    },
    Case {
        code: "V070",
        also: &[],
        why: "a wrong convoy count",
        edits: &[],
        mutate: |p| p.totals.convoys = 6,
    },
];

#[test]
fn each_broken_plan_reports_exactly_its_codes() {
    let base = scenario(&[]);
    let mut failures = Vec::new();
    for (i, case) in CASES.iter().enumerate() {
        let edited;
        let s = if case.edits.is_empty() {
            &base
        } else {
            edited = scenario(case.edits);
            &edited
        };
        let mut plan = feasible();
        (case.mutate)(&mut plan);
        let report = check::verify(s, &plan);
        let want: BTreeSet<&str> = case.also.iter().copied().chain([case.code]).collect();
        // `CHECK_SHOW=1 cargo test ... -- --nocapture` prints every report, to review
        // the messages by eye.
        if std::env::var_os("CHECK_SHOW").is_some() {
            eprintln!("case {i} {}: {}\n{}", case.code, case.why, show(&report));
        }
        if report.codes() != want {
            failures.push(format!(
                "case {i} ({}: {}): expected {want:?}, got {:?}\n{}",
                case.code,
                case.why,
                report.codes(),
                show(&report)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn every_rule_of_the_spec_has_a_case() {
    let mut spec: BTreeSet<&str> = BTreeSet::new();
    for (i, _) in SPEC.match_indices("`V") {
        let code = &SPEC[i + 1..(i + 5).min(SPEC.len())];
        if code[1..].chars().all(|c| c.is_ascii_digit()) && SPEC[i + 5..].starts_with('`') {
            spec.insert(code);
        }
    }
    assert!(spec.len() >= 30, "found only {spec:?} in the spec");
    let tested: BTreeSet<&str> = CASES.iter().map(|c| c.code).collect();
    let missing: Vec<_> = spec.difference(&tested).collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

#[test]
fn messages_name_the_movement_and_the_numbers() {
    let s = scenario(&[]);
    let mut plan = feasible();
    convoy(&mut plan, "C0001").teu = 2;
    convoy(&mut plan, "C0002").teu = 6;
    let r = check::verify(&s, &plan);
    let v = &r.violations[0];
    assert_eq!((v.code, v.subject.as_str()), ("V051", "C0002"));
    assert_eq!(v.period, Some(model::Period(2)));
    assert_eq!(
        v.message,
        "convoy C0002 carries 6 TEU but its 2 trucks hold 4"
    );
}

#[test]
fn violations_are_all_collected_and_sorted() {
    let s = scenario(&[]);
    let mut plan = feasible();
    // Three independent faults in one plan.
    plan.format = "x".into();
    flight(&mut plan, "F0002").personnel = counts(&[("bgd", 9)]);
    plan.totals.convoys = 9;
    let r = check::verify(&s, &plan);
    let codes: Vec<&str> = r.violations.iter().map(|v| v.code).collect();
    // Gao never empties, so its claimed closure and lateness are wrong as well.
    assert_eq!(
        codes,
        ["V003", "V021", "V031", "V031", "V070", "V070", "V070"],
        "\n{}",
        show(&r)
    );
    assert!(!r.is_feasible());
}

#[test]
fn a_plan_of_nonsense_is_judged_without_panicking() {
    let s = scenario(&[]);
    let text = r#"{
        "format": "?", "scenario": "?", "start": "someday", "period_days": 0,
        "convoys": [{ "id": "X", "road": "r", "from": "a", "to": "b", "depart": "d",
                      "arrive": "2030-01-01", "units": { "u": 4294967295 },
                      "personnel": { "c": 4294967295 }, "teu": 4294967295 },
                    { "id": "Y", "road": "tessalit-kidal", "from": "kidal", "to": "tessalit",
                      "depart": "2023-07-29", "arrive": "2023-07-29",
                      "units": { "trucks": 4294967295, "escorts": 4294967295,
                                 "buses": 4294967295 },
                      "personnel": { "tcd": 4294967295, "bgd": 4294967295 },
                      "teu": 4294967295, "vehicles": 4294967295 }],
        "flights": [{ "id": "X", "aircraft": "c130", "sorties": 4294967295, "from": "kidal",
                      "to": "kidal", "depart": "2023-07-29", "arrive": "2023-07-29",
                      "teu": 4294967295 }],
        "abandoned": [{ "site": "nowhere", "date": "1999-01-01", "vehicles": 1 }],
        "sites": [{ "site": "atlantis", "closure": "2023-07-01" },
                  { "site": "kidal", "closure": "2023-07-02" },
                  { "site": "kidal", "closure": null }],
        "totals": { "convoys": 0, "sorties": 0, "unit_km": -1, "flight_hours": 0,
                    "exposure": 0, "cost": 0, "late_days": 0, "makespan_days": 0,
                    "abandon_penalty": 0, "objective": 0 }
    }"#;
    let plan = check::parse_plan("nonsense.json", text).expect("well-formed JSON");
    let r = check::verify(&s, &plan);
    for code in [
        "V001", "V002", "V003", "V004", "V005", "V025", "V031", "V043", "V050", "V060",
    ] {
        assert!(r.codes().contains(code), "{code} missing:\n{}", show(&r));
    }
}

#[test]
fn malformed_plan_files_name_file_line_and_column() {
    let err = check::parse_plan("p.json", "{\n  \"format\": \"drawdown-plan/1\",\n  oops\n}")
        .unwrap_err();
    match &err {
        ReadError::Json {
            path, line, column, ..
        } => {
            assert_eq!((path.as_str(), *line, *column), ("p.json", 3, 3));
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().starts_with("p.json:3:3: "), "{err}");

    let err = check::parse_plan("p.json", r#"{"format": 1}"#).unwrap_err();
    assert!(err.to_string().contains("p.json:1:"), "{err}");

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/plans");
    let plan = check::read_plan(&dir.join("feasible.json")).expect("fixture reads");
    assert_eq!(plan.convoys.len(), 5);
    let err = check::read_plan(&dir.join("missing.json")).unwrap_err();
    assert!(matches!(err, ReadError::Io { .. }), "{err}");
    assert!(err.to_string().contains("missing.json"), "{err}");
}
