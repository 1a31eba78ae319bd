//! The event rules: every kind is accepted and moves what it says, and every kind of bad
//! input is refused with its code, with all problems of a batch reported at once.

use crate::{DAY_ONE, check, log, scenario, show};
use store::track::replay::{self, Entry};
use store::track::{Loc, What};

/// Accept `batch` after the day-one log, or fail with the problems.
fn accepted(batch: &str) -> Vec<store::track::Event> {
    match check(DAY_ONE, batch) {
        Ok(e) => e,
        Err(p) => panic!("refused:\n{}", show(&p)),
    }
}

/// The codes with which `batch` is refused after the day-one log.
fn refused(batch: &str) -> Vec<&'static str> {
    match check(DAY_ONE, batch) {
        Ok(_) => panic!("accepted, but should be refused:\n{batch}"),
        Err(p) => {
            let mut c: Vec<&str> = p.iter().map(|p| p.code).collect();
            c.sort();
            c.dedup();
            c
        }
    }
}

#[test]
fn the_day_one_log_is_valid_and_moves_what_it_says() {
    let s = scenario();
    let log = log(&s, DAY_ONE);
    assert_eq!(log.len(), 7);
    let entries: Vec<Entry<'_>> = log
        .iter()
        .map(|(id, e)| Entry {
            id: *id,
            loc: Loc::log(*id),
            event: e,
        })
        .collect();
    let (st, problems) = replay::replay(&s, &entries, None);
    assert!(problems.is_empty(), "{}", show(&problems));
    let site = |id: &str| s.site_by_id(id).unwrap().idx();
    let fleet = |id: &str| s.fleet_by_id(id).unwrap().idx();
    // Holdings are [teu, vehicles, td, bd].
    assert_eq!(st.held[site("kidal")], vec![0, 4, 34, 0]);
    assert_eq!(st.held[site("gao")], vec![6, 0, 0, 0]);
    assert_eq!(st.delivered[site("bamako")], vec![0, 0, 6, 20]);
    assert_eq!(st.left[site("gao")], [4, 0]);
    assert_eq!(st.units[fleet("trucks")][site("gao")], 4);
    assert_eq!(st.units[fleet("escorts")][site("gao")], 2);
    assert!(st.under_way.is_empty());
    // The convoy's road was filled in when the event named none.
    let What::ConvoyDeparted { road, .. } = &log[0].1.what else {
        panic!()
    };
    assert_eq!(road.as_deref(), Some("kidal-gao"));
    // Half-way, K2 is under way and its load is on the road.
    let (mid, _) = replay::replay(&s, &entries, Some("2023-09-04".parse().unwrap()));
    assert_eq!(mid.held[site("kidal")], vec![0, 4, 34, 0]);
    assert_eq!(mid.held[site("gao")], vec![4, 0, 0, 20]);
    assert_eq!(mid.under_way.len(), 1);
}

#[test]
fn every_event_kind_is_accepted() {
    // (kind, events after the day-one log)
    let cases = [
        (
            "convoy-departed and convoy-arrived, road given",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "road": "gao-dakar", "from": "gao", "to": "dakar", "units": {"trucks": 3}, "teu": 6}
               {"kind": "convoy-arrived", "date": "2023-09-12", "convoy": "K3"}"#,
        ),
        (
            "a convoy's second leg keeps its reference",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K1", "from": "gao", "to": "kidal", "units": {"buses": 1, "escorts": 1}}"#,
        ),
        (
            "flight-flown from a base, without a flight number",
            r#"{"kind": "flight-flown", "date": "2023-09-08", "aircraft": "c130", "sorties": 1, "from": "kidal", "to": "bamako", "personnel": {"td": 20}}"#,
        ),
        (
            "stock-abandoned",
            r#"{"kind": "stock-abandoned", "date": "2023-09-08", "site": "kidal", "vehicles": 2}"#,
        ),
        (
            "stock-handed-over",
            r#"{"kind": "stock-handed-over", "date": "2023-09-08", "site": "gao", "teu": 6}"#,
        ),
        (
            "site-closed once empty",
            r#"{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": 6}
               {"kind": "site-closed", "date": "2023-09-08", "site": "gao"}"#,
        ),
        (
            "hazard: permission refused for a site",
            r#"{"kind": "hazard", "date": "2023-09-08", "hazard": "permission-refused", "site": "kidal", "until": "2023-09-12"}"#,
        ),
        (
            "hazard: incident",
            r#"{"kind": "hazard", "date": "2023-09-08", "hazard": "incident", "road": "kidal-gao", "note": "IED, no casualties"}"#,
        ),
        (
            "an event reported late, dated before recorded ones",
            r#"{"kind": "hazard", "date": "2023-09-02", "hazard": "incident", "site": "gao"}"#,
        ),
    ];
    for (name, batch) in cases {
        let stored = match check(DAY_ONE, batch) {
            Ok(e) => e,
            Err(p) => panic!("{name}: refused:\n{}", show(&p)),
        };
        assert!(!stored.is_empty(), "{name}");
    }
}

#[test]
fn bad_events_are_refused_with_their_codes() {
    // (what is wrong, events after the day-one log, the codes reported)
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "unknown site",
            r#"{"kind": "site-closed", "date": "2023-09-08", "site": "timbuktu"}"#,
            &["T101"],
        ),
        (
            "no road joins the two sites",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "kidal", "to": "dakar", "units": {"trucks": 1}}"#,
            &["T102"],
        ),
        (
            "unknown road",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "road": "kidal-dakar", "from": "kidal", "to": "dakar", "units": {"trucks": 1}}"#,
            &["T102"],
        ),
        (
            "the road does not join the sites",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "road": "kidal-gao", "from": "gao", "to": "dakar", "units": {"trucks": 1}}"#,
            &["T103"],
        ),
        (
            "unknown fleet",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "gao", "to": "dakar", "units": {"tanks": 1}}"#,
            &["T104"],
        ),
        (
            "unknown aircraft type",
            r#"{"kind": "flight-flown", "date": "2023-09-08", "aircraft": "an26", "from": "gao", "to": "bamako"}"#,
            &["T105"],
        ),
        (
            "unknown contingent",
            r#"{"kind": "flight-flown", "date": "2023-09-08", "aircraft": "c130", "from": "kidal", "to": "bamako", "personnel": {"fr": 3}}"#,
            &["T106"],
        ),
        (
            "arrival of a convoy never departed",
            r#"{"kind": "convoy-arrived", "date": "2023-09-08", "convoy": "K9"}"#,
            &["T107"],
        ),
        (
            "a second arrival of the same leg",
            r#"{"kind": "convoy-arrived", "date": "2023-09-08", "convoy": "K2"}"#,
            &["T107"],
        ),
        (
            "date after the horizon",
            r#"{"kind": "hazard", "date": "2023-11-02", "hazard": "incident", "site": "gao"}"#,
            &["T108"],
        ),
        (
            "date before the horizon",
            r#"{"kind": "hazard", "date": "2023-08-31", "hazard": "incident", "site": "gao"}"#,
            &["T108"],
        ),
        (
            "an arrival after the horizon",
            r#"{"kind": "convoy-departed", "date": "2023-10-30", "convoy": "K3", "from": "gao", "to": "dakar", "units": {"trucks": 1}}"#,
            &["T108"],
        ),
        (
            "more containers than the site holds",
            r#"{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": 7}"#,
            &["T201"],
        ),
        (
            "more personnel than the site holds",
            r#"{"kind": "flight-flown", "date": "2023-09-08", "aircraft": "c130", "from": "kidal", "to": "bamako", "personnel": {"td": 35}}"#,
            &["T201"],
        ),
        (
            "fleet units that are not at the site",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "kidal", "to": "gao", "units": {"trucks": 1, "escorts": 1}}"#,
            &["T202"],
        ),
        (
            "more units than the fleet has there",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "gao", "to": "dakar", "units": {"trucks": 5}}"#,
            &["T202"],
        ),
        (
            "an arrival sooner than the road allows",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "gao", "to": "kidal", "units": {"trucks": 1, "escorts": 1}}
               {"kind": "convoy-arrived", "date": "2023-09-09", "convoy": "K3"}"#,
            &["T203"],
        ),
        (
            "an arrival dated before the departure",
            r#"{"kind": "convoy-arrived", "date": "2023-09-08", "convoy": "K3"}
               {"kind": "convoy-departed", "date": "2023-09-09", "convoy": "K3", "from": "gao", "to": "dakar", "units": {"trucks": 1}}"#,
            &["T203"],
        ),
        (
            "a departure dated before its stock arrived",
            r#"{"kind": "convoy-departed", "date": "2023-09-04", "convoy": "K3", "from": "gao", "to": "dakar", "units": {"buses": 1}, "personnel": {"td": 6}}"#,
            &["T203"],
        ),
        (
            "a departure dated before its units arrived",
            r#"{"kind": "convoy-departed", "date": "2023-09-02", "convoy": "K3", "from": "kidal", "to": "gao", "units": {"trucks": 1, "escorts": 1}}"#,
            &["T203"],
        ),
        (
            "a convoy that departs again while under way",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "gao", "to": "kidal", "units": {"trucks": 1, "escorts": 1}}
               {"kind": "convoy-departed", "date": "2023-09-09", "convoy": "K3", "from": "gao", "to": "dakar", "units": {"trucks": 1}}"#,
            &["T204"],
        ),
        (
            "stock landing at a closed site",
            r#"{"kind": "stock-abandoned", "date": "2023-09-07", "site": "gao", "teu": 6}
               {"kind": "site-closed", "date": "2023-09-07", "site": "gao"}
               {"kind": "flight-flown", "date": "2023-09-08", "aircraft": "c130", "from": "kidal", "to": "gao", "personnel": {"td": 5}}"#,
            &["T205"],
        ),
        (
            "a site closed twice",
            r#"{"kind": "stock-abandoned", "date": "2023-09-07", "site": "gao", "teu": 6}
               {"kind": "site-closed", "date": "2023-09-07", "site": "gao"}
               {"kind": "site-closed", "date": "2023-09-08", "site": "gao"}"#,
            &["T205"],
        ),
        (
            "closing a site that still holds stock",
            r#"{"kind": "site-closed", "date": "2023-09-08", "site": "kidal"}"#,
            &["T206"],
        ),
        (
            "stock departing from an exit",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "dakar", "to": "gao", "teu": 1}"#,
            &["T207"],
        ),
        (
            "stock left at an exit",
            r#"{"kind": "stock-abandoned", "date": "2023-09-08", "site": "dakar", "teu": 1}"#,
            &["T207"],
        ),
        (
            "closing an exit",
            r#"{"kind": "site-closed", "date": "2023-09-08", "site": "dakar"}"#,
            &["T209"],
        ),
        (
            "no escort on an escorted road (V053)",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "gao", "to": "kidal", "units": {"trucks": 1}}"#,
            &["T400"],
        ),
        (
            "more containers than the trucks carry (V051)",
            r#"{"kind": "convoy-departed", "date": "2023-09-10", "convoy": "K3", "from": "gao", "to": "dakar", "units": {"trucks": 1}, "teu": 3}"#,
            &["T400"],
        ),
        (
            "arriving during a curfew (V028)",
            r#"{"kind": "convoy-departed", "date": "2023-09-24", "convoy": "K3", "from": "gao", "to": "kidal", "units": {"trucks": 1, "escorts": 1}}"#,
            &["T400"],
        ),
        (
            "the rear guard leaving before the vehicles (V027)",
            r#"{"kind": "flight-flown", "date": "2023-09-08", "aircraft": "c130", "from": "kidal", "to": "bamako", "personnel": {"td": 34}}"#,
            &["T400"],
        ),
        (
            "containers to an exit that takes only personnel (V023)",
            r#"{"kind": "flight-flown", "date": "2023-09-10", "aircraft": "c130", "from": "gao", "to": "bamako", "teu": 2}"#,
            &["T400"],
        ),
        (
            "an unknown kind",
            r#"{"kind": "convoy-exploded", "date": "2023-09-08"}"#,
            &["T006"],
        ),
        (
            "no kind",
            r#"{"date": "2023-09-08", "site": "gao"}"#,
            &["T003"],
        ),
        (
            "a missing field",
            r#"{"kind": "convoy-departed", "date": "2023-09-08", "from": "gao", "to": "dakar", "units": {"trucks": 1}}"#,
            &["T003"],
        ),
        (
            "a field that does not apply",
            r#"{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": 1, "personnel": {"bd": 1}}"#,
            &["T004"],
        ),
        (
            "vehicles on a flight",
            r#"{"kind": "flight-flown", "date": "2023-09-08", "aircraft": "c130", "from": "kidal", "to": "bamako", "vehicles": 1}"#,
            &["T004"],
        ),
        (
            "an unknown field",
            r#"{"kind": "site-closed", "date": "2023-09-08", "site": "gao", "colour": "red"}"#,
            &["T002"],
        ),
        (
            "a count that is not a number",
            r#"{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": "many"}"#,
            &["T005"],
        ),
        (
            "a negative count",
            r#"{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": -1}"#,
            &["T005"],
        ),
        (
            "a date that is not a date",
            r#"{"kind": "site-closed", "date": "8 Sept 2023", "site": "gao"}"#,
            &["T005"],
        ),
        (
            "a hazard that ends before it starts",
            r#"{"kind": "hazard", "date": "2023-09-08", "hazard": "road-closed", "road": "gao-dakar", "until": "2023-09-07"}"#,
            &["T005"],
        ),
        (
            "a convoy reference with a space",
            r#"{"kind": "convoy-arrived", "date": "2023-09-08", "convoy": "K 3"}"#,
            &["T005"],
        ),
        (
            "a line that is not JSON",
            r#"{"kind": "site-closed", "date": "2023-09-08", "site": "gao""#,
            &["T001"],
        ),
    ];
    let mut failures = Vec::new();
    for (name, batch, want) in cases {
        let got = refused(batch);
        if got != *want {
            let detail = check(DAY_ONE, batch)
                .err()
                .map(|p| show(&p))
                .unwrap_or_default();
            failures.push(format!("{name}: want {want:?}, got {got:?}\n{detail}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_problem_of_a_batch_is_reported_at_once_with_line_and_row() {
    let batch = r#"{"kind": "site-closed", "date": "2023-09-08", "site": "timbuktu"}

{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": 1, "personnel": {"bd": 1}}
{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": "x"}"#;
    let problems = check(DAY_ONE, batch).unwrap_err();
    let got: Vec<(&str, usize, usize)> = problems
        .iter()
        .map(|p| (p.code, p.loc.line, p.loc.row))
        .collect();
    // Reading problems come first (the unknown site needs the scenario, so it is reported
    // once the file reads).
    assert_eq!(
        got,
        vec![("T004", 3, 2), ("T005", 4, 3)],
        "{}",
        show(&problems)
    );
    let text = problems[0].to_string();
    assert!(
        text.starts_with("error[T004]: batch.jsonl:3: row 2: personnel:"),
        "{text}"
    );
    assert!(text.contains("\n  fix: "), "{text}");

    // With the file readable, every replay problem is reported together.
    let batch = r#"{"kind": "site-closed", "date": "2023-09-08", "site": "timbuktu"}
{"kind": "convoy-arrived", "date": "2023-09-08", "convoy": "K9"}
{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": 7}
{"kind": "site-closed", "date": "2023-09-08", "site": "dakar"}"#;
    let problems = check(DAY_ONE, batch).unwrap_err();
    assert_eq!(
        problems.len(),
        1,
        "unknown ids stop the batch first: {}",
        show(&problems)
    );
    let batch = batch.lines().skip(1).collect::<Vec<_>>().join("\n");
    let problems = check(DAY_ONE, &batch).unwrap_err();
    let mut got: Vec<(&str, usize)> = problems.iter().map(|p| (p.code, p.loc.line)).collect();
    got.sort();
    assert_eq!(
        got,
        vec![("T107", 1), ("T201", 2), ("T209", 3)],
        "{}",
        show(&problems)
    );
}

#[test]
fn a_new_event_that_breaks_a_recorded_one_is_refused() {
    // A flight of gao's 20 Bangladeshis on 09-04 is possible by itself, but the recorded
    // flight of 09-05 took those same 20.
    let batch = r#"{"kind": "flight-flown", "date": "2023-09-04", "aircraft": "c130", "from": "gao", "to": "bamako", "personnel": {"bd": 20}}"#;
    let problems = check(DAY_ONE, batch).unwrap_err();
    assert_eq!(problems.len(), 1, "{}", show(&problems));
    let p = &problems[0];
    assert_eq!(
        (p.code, p.loc.source.as_str(), p.loc.row),
        ("T201", "log", 5)
    );
    assert!(p.cause.contains("already recorded event #5"), "{p}");
}

#[test]
fn the_stored_form_round_trips() {
    let s = scenario();
    for (_, e) in log(&s, DAY_ONE) {
        let j = e.to_json();
        let obj = j.as_object().unwrap();
        let (raw, p) = store::track::RawEvent::from_json(obj, &Loc::default());
        assert!(p.is_empty());
        assert_eq!(
            store::track::event::parse(&raw, &Loc::default()).unwrap(),
            e
        );
    }
    // Accepted events are stored with the road filled in.
    let stored = accepted(
        r#"{"kind": "convoy-departed", "date": "2023-09-08", "convoy": "K3", "from": "gao", "to": "dakar", "units": {"trucks": 1}}"#,
    );
    assert_eq!(stored[0].to_json()["road"], "gao-dakar");
}

#[test]
fn csv_files_read_like_json_lines() {
    let csv = "kind,date,convoy,from,to,teu,units:trucks,units:escorts,personnel:td,note\n\
               convoy-departed,2023-09-01,K1,gao,kidal,,3,1,,\n\
               convoy-arrived,2023-09-03,K1,,,,,,,\"arrived, all well\"\n";
    let rows = store::track::read::read("day.csv", csv, store::track::read::Format::Csv).unwrap();
    let jsonl = crate::events(
        "day.jsonl",
        r#"{"kind": "convoy-departed", "date": "2023-09-01", "convoy": "K1", "from": "gao", "to": "kidal", "units": {"trucks": 3, "escorts": 1}}
{"kind": "convoy-arrived", "date": "2023-09-03", "convoy": "K1", "note": "arrived, all well"}"#,
    );
    let a: Vec<_> = rows.iter().map(|(_, e)| e).collect();
    let b: Vec<_> = jsonl.iter().map(|(_, e)| e).collect();
    assert_eq!(a, b);
    assert_eq!((rows[1].0.line, rows[1].0.row), (3, 2));

    // Unknown columns are reported on the header line; short rows on their own line.
    let bad = "kind,date,colour\nsite-closed,2023-09-08\n";
    let p = store::track::read::read("bad.csv", bad, store::track::read::Format::Csv).unwrap_err();
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].code, p[0].loc.line), ("T002", 1));
    let bad = "kind,date,site\nsite-closed,2023-09-08\n";
    let p = store::track::read::read("bad.csv", bad, store::track::read::Format::Csv).unwrap_err();
    assert_eq!((p[0].code, p[0].loc.line), ("T001", 2), "{}", show(&p));
}
