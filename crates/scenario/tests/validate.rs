//! Tests of scenario validation: every malformed file under `tests/data/invalid/` reports
//! exactly the expected diagnostic codes, a valid file loads cleanly, and no file, however
//! broken, makes loading panic.

use proptest::prelude::*;
use scenario::{Diagnostic, LoadError, Severity, load_file, load_str};
use std::path::PathBuf;

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// Every diagnostic of loading `tests/data/<rel>`, whether it loaded or not.
fn diagnostics(rel: &str) -> Vec<Diagnostic> {
    match load_file(&data(rel)) {
        Ok(loaded) => loaded.warnings,
        Err(LoadError::Invalid(diags)) => diags,
        Err(e) => panic!("{rel}: {e}"),
    }
}

/// Load `invalid/<file>` and assert that the codes reported are exactly `expected`, counted
/// with repetition and in any order.
fn check(file: &str, expected: &[&str]) {
    let diags = diagnostics(&format!("invalid/{file}"));
    let mut got: Vec<&str> = diags.iter().map(|d| d.code).collect();
    got.sort_unstable();
    let mut want = expected.to_vec();
    want.sort_unstable();
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        want,
        "{file}: unexpected diagnostics:\n{}",
        shown.join("\n")
    );
}

/// Each malformed file and the codes it must report. Each file starts with a comment saying
/// how it is broken.
const CASES: &[(&str, &[&str])] = &[
    // E00xx: the file cannot be typed.
    ("syntax-error.toml", &["E0001", "E0001"]),
    ("unknown-fields.toml", &["E0003", "E0003"]),
    ("type-error.toml", &["E0002"]),
    ("fractional-teu.toml", &["E0002"]),
    ("quoted-date.toml", &["E0002"]),
    ("missing-field.toml", &["E0004"]),
    // E10xx: dates, numbers, horizon, defaults, scenario.
    ("date-with-time.toml", &["E1001", "E1001"]),
    ("period-days-zero.toml", &["E1002"]),
    ("horizon-reversed.toml", &["E1003"]),
    ("dates-outside-horizon.toml", &["E1004", "E1004", "E1004"]),
    (
        "negative-values.toml",
        &["E1005", "E1005", "E1005", "E1005"],
    ),
    (
        "zero-capacities.toml",
        &["E1006", "E1006", "E1006", "E1006", "E1006", "E1006"],
    ),
    ("out-of-range.toml", &["E1007", "E1007", "E1007"]),
    ("escort-from-hazard.toml", &["E1008"]),
    ("windows-reversed.toml", &["E1009", "E1009", "E1009"]),
    ("empty-name.toml", &["E1010"]),
    // E11xx: ids and references.
    (
        "unknown-ids.toml",
        &["E1101", "E1101", "E1101", "E1101", "E1101"],
    ),
    (
        "duplicate-ids.toml",
        &["E1102", "E1102", "E1102", "E1102", "E1102"],
    ),
    ("malformed-ids.toml", &["E1103", "E1103"]),
    // E12xx: sites, exits, airfields.
    ("site-kind.toml", &["E1201"]),
    ("coordinates.toml", &["E1202", "E1202"]),
    ("exit-tables.toml", &["E1203", "E1204"]),
    ("stock-on-exit.toml", &["E1205", "E1205"]),
    ("exit-accepts.toml", &["E1206", "E1207"]),
    ("not-before-after-close-by.toml", &["E1208"]),
    ("after-self.toml", &["E1209"]),
    ("after-cycle.toml", &["E1210"]),
    ("rear-guard.toml", &["E1211"]),
    ("exit-contingents-empty.toml", &["E1212"]),
    // E13xx: roads.
    ("hazard.toml", &["E1301", "E1301"]),
    ("road-loop.toml", &["E1302"]),
    // E14xx: fleets. Escorts without cover leave the hazardous road unusable (W1301).
    ("fleet-kind.toml", &["E1401"]),
    ("fleet-capacity.toml", &["E1402", "E1402", "E1402", "W1301"]),
    ("fleet-fields.toml", &["E1403", "E1403"]),
    // E15xx: aircraft.
    ("aircraft-capacity.toml", &["E1501", "E1502"]),
    ("aircraft-airfields.toml", &["E1503", "E1504"]),
    // E16xx: restrictions.
    ("restrictions.toml", &["E1601", "E1602"]),
    // E17xx: whole scenario.
    (
        "unreachable.toml",
        &["E1701", "E1701", "E1702", "E1702", "E1703", "E1703"],
    ),
    ("no-trucks.toml", &["E1702"]),
    ("no-exit-accepts.toml", &["E1704", "E1704"]),
    ("horizon-too-short.toml", &["E1705", "E1705", "E1705"]),
    ("no-exit.toml", &["E1706"]),
    // E18xx: hazards.
    ("hazards-probabilities.toml", &["E1801", "E1801", "E1801"]),
    ("hazards-spreads.toml", &["E1802", "E1802", "E1802"]),
    (
        "hazards-unknown-ids.toml",
        &["E1803", "E1803", "E1803", "E1803"],
    ),
    ("hazards-dates.toml", &["E1804", "E1804", "E1804"]),
    ("hazards-windows.toml", &["E1805", "E1805"]),
    ("hazards-road-selector.toml", &["E1806", "E1806", "E1806"]),
    ("hazards-overlaps.toml", &["E1807", "E1807", "E1807"]),
    ("hazards-closure-length.toml", &["E1808", "E1808"]),
    ("hazards-targets.toml", &["E1809", "E1809", "E1809"]),
    ("hazards-numbers.toml", &["E1810", "E1810", "E1810"]),
    ("hazards-ids.toml", &["E1811", "E1811"]),
    // Several independent problems in one file are all reported.
    (
        "many-problems.toml",
        &[
            "E1005", "E1101", "E1208", "E1211", "E1301", "E1403", "E1502",
        ],
    ),
    // Loads, with one warning per doubtful choice.
    (
        "warnings-only.toml",
        &[
            "W1001", "W1101", "W1201", "W1202", "W1203", "W1204", "W1401", "W1501", "W1701",
        ],
    ),
];

#[test]
fn each_invalid_file_reports_exactly_its_codes() {
    for (file, codes) in CASES {
        check(file, codes);
    }
}

#[test]
fn every_invalid_file_has_a_case() {
    let mut on_disk: Vec<String> = std::fs::read_dir(data("invalid"))
        .expect("tests/data/invalid exists")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "tests/data/invalid and CASES differ");
    assert!(CASES.len() >= 30);
}

#[test]
fn a_diagnostic_renders_location_field_cause_and_fix() {
    let text = std::fs::read_to_string(data("invalid/rear-guard.toml")).expect("readable");
    let Err(LoadError::Invalid(diags)) = load_str("rear-guard.toml", &text) else {
        panic!("rear-guard.toml must not load");
    };
    assert_eq!(diags.len(), 1);
    assert_eq!(
        diags[0].to_string(),
        "error[E1211]: rear-guard.toml:34:14: site[tessalit].rear_guard: rear_guard 600 is \
         larger than the 450 personnel at the site\n  fix: lower rear_guard to at most 450 or \
         add personnel"
    );
}

#[test]
fn messages_name_what_is_wrong() {
    let cause = |file: &str, code: &str| -> String {
        diagnostics(&format!("invalid/{file}"))
            .into_iter()
            .find(|d| d.code == code)
            .map(|d| format!("{} | {} | {}", d.field, d.cause, d.fix))
            .unwrap_or_default()
    };
    assert!(
        cause("after-cycle.toml", "E1210").contains("kidal -> gao -> tessalit -> kidal"),
        "the cycle path is shown"
    );
    assert!(
        cause("unknown-ids.toml", "E1101").contains("personnel.fr"),
        "the field path names the table by its id"
    );
    let unknown: Vec<String> = diagnostics("invalid/unknown-ids.toml")
        .iter()
        .map(|d| d.fix.clone())
        .collect();
    assert!(unknown.iter().any(|f| f.contains("did you mean `gao`?")));
    assert!(
        unknown
            .iter()
            .any(|f| f.contains("did you mean `gao-dakar`?"))
    );
    assert!(cause("quoted-date.toml", "E0002").contains("without quotes"));
    assert!(cause("missing-field.toml", "E0004").starts_with("site[gao].lat |"));
    assert!(cause("unknown-fields.toml", "E0003").starts_with("road[kidal-gao].hazzard |"));
}

#[test]
fn warnings_do_not_stop_loading() {
    let loaded = load_file(&data("invalid/warnings-only.toml")).expect("warnings only");
    assert!(
        loaded
            .warnings
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
}

#[test]
fn a_valid_scenario_loads_without_diagnostics() {
    let loaded = load_file(&data("valid/minusma-north.toml")).expect("valid scenario");
    let shown: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
    let s = &loaded.scenario;
    assert_eq!(s.sites.len(), 7);
    assert_eq!(s.horizon.periods, 184);
    // 350 km at the default 150 km a day is 2.33 days: 3 daily periods.
    let kidal_gao = s.road_by_id("kidal-gao").expect("named road");
    assert_eq!(s.roads[kidal_gao.idx()].periods, 3);
    assert!(s.roads[kidal_gao.idx()].escort);
    // An unnamed road is FROM-TO.
    assert!(s.road_by_id("tessalit-kidal").is_some());
    // 19 t at 10 t per TEU is one whole container.
    assert_eq!(s.aircraft[0].payload_teu, 1);
}

#[test]
fn hazards_lower_as_documented() {
    let loaded = load_file(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/minusma-2023.toml"),
    )
    .expect("the MINUSMA scenario is valid");
    let s = &loaded.scenario;
    let h = &s.hazards;
    let site = |id: &str| s.site_by_id(id).expect("a site");
    let road = |id: &str| s.road_by_id(id).expect("a road");
    // Defaults from [hazards], overridden per departure site by [[hazards.permission]].
    assert_eq!(h.convoy_permission(site("gao")).grant, 0.95);
    assert_eq!(h.convoy_permission(site("gao")).lead_periods, 2);
    assert_eq!(h.flight_permission(site("gao")).grant, 0.9);
    assert_eq!(h.flight_permission(site("kidal")).grant, 0.67);
    assert_eq!(h.flight_permission(site("kidal")).lead_periods, 3);
    assert_eq!(h.convoy_permission(site("kidal")).grant, 0.95);
    // A road named by id takes its own entry, before the entry for its hazard level.
    assert_eq!(
        h.road(road("kidal-gao")).expect("level 3").id,
        "north-and-east"
    );
    assert_eq!(
        h.road(road("timbuktu-goundam")).expect("named").id,
        "goundam"
    );
    assert_eq!(h.road(road("gao-sevare")).expect("level 2").id, "centre");
    assert!(
        h.road(road("bamako-dakar")).is_none(),
        "no entry for level 1"
    );
    let ied = h.road(road("kidal-gao")).expect("level 3");
    assert_eq!(ied.delay_days.mode, Some(2.0));
    // A breakdown entry without fleets covers every fleet.
    assert!(
        s.fleets
            .iter()
            .enumerate()
            .all(|(f, _)| h.breakdown(model::FleetId(f as u32)).is_some())
    );
    // Dates are periods: the closure starts between 1 Sep and 30 Nov (days 62 to 152).
    let border = &h.closures[0];
    assert_eq!((border.start.from.0, border.start.until.0), (62, 152));
    assert_eq!(border.days.max, 42.0);
    assert_eq!(h.seasons[0].roads.len(), 7);
    assert!(matches!(h.departures[0].leaver, model::Leaver::Fleet(_)));
    // Without [hazards], nothing can go wrong.
    let plain = load_file(&data("valid/minusma-north.toml")).expect("valid");
    assert_eq!(plain.scenario.hazards, model::Hazards::default());
}

fn repo_file(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `E1234`/`W1234` code quoted in `text` (`"E1234"` in code, `` `E1234` `` in docs).
fn codes_in(text: &str, quote: char) -> std::collections::BTreeSet<String> {
    text.split(quote)
        .filter(|w| {
            w.len() == 5
                && (w.starts_with('E') || w.starts_with('W'))
                && w[1..].bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_documented_codes_are_the_reported_codes() {
    let docs = repo_file("docs/scenario-format.md");
    let documented: std::collections::BTreeSet<String> = docs
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| codes_in(l, '`'))
        .collect();
    let mut reported = codes_in(&repo_file("crates/scenario/src/validate.rs"), '"');
    reported.extend(codes_in(&repo_file("crates/scenario/src/load.rs"), '"'));
    assert_eq!(documented, reported);
}

#[test]
fn the_documented_example_loads_cleanly() {
    let docs = repo_file("docs/scenario-format.md");
    let example = docs
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/scenario-format.md opens with a TOML example");
    match load_str("scenario-format.md", example) {
        Ok(loaded) => assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings),
        Err(e) => panic!("the example does not load: {e:?}"),
    }
}

#[test]
fn the_documented_hazards_load_with_the_example() {
    let docs = repo_file("docs/scenario-format.md");
    let block = |text: &str| -> String {
        text.split("```toml\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("a TOML block")
            .to_string()
    };
    let example = block(&docs);
    let hazards = block(docs.split("## Hazards").nth(1).expect("a Hazards section"));
    match load_str("scenario-format.md", &format!("{example}\n{hazards}")) {
        Ok(loaded) => {
            assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
            assert_eq!(loaded.scenario.hazards.closures.len(), 1);
        }
        Err(e) => panic!("the hazards example does not load: {e:?}"),
    }
}

/// Draws choices from a byte string (which proptest generates and shrinks).
struct Gen<'a>(std::slice::Iter<'a, u8>);

impl Gen<'_> {
    fn byte(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }

    fn one<T: Copy>(&mut self, pool: &[T]) -> T {
        pool[usize::from(self.byte()) % pool.len()]
    }

    /// Mostly one of `good`, about once in 85 draws one of `bad`, so that a fair share of
    /// the scenarios is valid (and gets lowered) and the rest break in few places.
    fn val<T: Copy>(&mut self, good: &[T], bad: &[T]) -> T {
        if self.byte() < 3 {
            self.one(bad)
        } else {
            self.one(good)
        }
    }

    fn chance(&mut self, per_256: u8) -> bool {
        self.byte() < per_256
    }
}

/// A well-typed scenario of a few sites whose ids, numbers and dates are mostly sensible
/// and now and then any kind of wrong.
fn arbitrary_scenario(bytes: &[u8]) -> String {
    const SITES: [&str; 5] = ["a", "b", "c", "d", "e"];
    const BAD_INTS: [&str; 5] = ["-1", "0", "4000000", "9223372036854775807", "-40"];
    const BAD_FLOATS: [&str; 6] = ["-1.0", "0.0", "1e300", "nan", "inf", "-inf"];
    const DATES: [&str; 4] = ["2023-07-01", "2023-07-04", "2023-07-10", "2023-07-20"];
    const BAD_DATES: [&str; 4] = [
        "2023-06-30",
        "2024-01-01",
        "2023-07-02T10:00:00",
        "10:00:00",
    ];
    let g = &mut Gen(bytes.iter());
    let n = g.one(&[2, 3, 4, 5]);
    let site_ids: Vec<&str> = SITES[..n].to_vec();
    let site = |g: &mut Gen<'_>| g.val(&site_ids, &["x", ""]);
    let mut t = String::from("[scenario]\nname = \"arbitrary\"\n");
    t += &format!(
        "[horizon]\nstart = 2023-07-01\nend = {}\nperiod_days = {}\n",
        g.val(&["2023-07-31", "2023-08-31"], &BAD_DATES),
        g.val(&["1", "2", "7"], &["0", "-3", "400"]),
    );
    t += &format!(
        "[defaults]\nconvoy_km_per_day = {}\nescort_from_hazard = {}\nvehicle_seats = {}\n\
         teu_tonnes = {}\n",
        g.val(&["150", "300"], &BAD_FLOATS),
        g.val(&["2", "3", "4"], &["-1", "7"]),
        g.val(&["0", "2"], &BAD_INTS),
        g.val(&["10", "20"], &BAD_FLOATS),
    );
    t += &format!(
        "[abandon]\nallowed = {}\n[[contingent]]\nid = \"p\"\n[[contingent]]\nid = \"{}\"\n",
        g.one(&["true", "false"]),
        g.val(&["q"], &["p", "", "q r"]),
    );
    let mut airfields: Vec<&str> = Vec::new();
    for (i, id) in site_ids.iter().enumerate() {
        // The last site is mostly an exit, so that most scenarios have somewhere to go.
        let kind = if i + 1 == n {
            g.val(&["exit"], &["hub", "camp"])
        } else {
            g.val(&["base", "base", "hub", "exit"], &["camp"])
        };
        t += &format!(
            "[[site]]\nid = \"{}\"\nkind = \"{kind}\"\nlat = {}\nlon = {}\n",
            g.val(&[*id], &["a", ""]),
            g.val(&["12.5", "16.25", "18.4"], &["95.0", "nan"]),
            g.val(&["-8.0", "0.5", "1.4"], &["-200.0", "inf"]),
        );
        if kind != "exit" || g.chance(6) {
            t += &format!(
                "personnel = {{ {} = {} }}\nteu = {}\nvehicles = {}\nrear_guard = {}\n",
                g.val(&["p", "q"], &["x"]),
                g.val(&["10", "500"], &BAD_INTS),
                g.val(&["0", "20"], &BAD_INTS),
                g.val(&["0", "8"], &BAD_INTS),
                g.val(&["0", "0", "5"], &["1000", "-2"]),
            );
        }
        if g.chance(128) {
            t += &format!(
                "handling_teu_per_day = {}\n",
                g.val(&["10", "50"], &BAD_INTS)
            );
        }
        if g.chance(64) {
            t += &format!("not_before = {}\n", g.val(&DATES[..2], &BAD_DATES));
        }
        if g.chance(128) {
            t += &format!("close_by = {}\n", g.val(&DATES[1..], &BAD_DATES));
        }
        if g.chance(64) {
            let earlier = site_ids[(i + n - 1) % n];
            t += &format!("after = [\"{}\"]\n", g.val(&[earlier], &[id, "x"]));
        }
        if g.chance(160) {
            airfields.push(id);
            t += &format!(
                "airfield = {{ runway_m = {}, paved = {}, slots_per_day = {} }}\n",
                g.val(&["1200", "2500"], &BAD_INTS),
                g.one(&["true", "false"]),
                g.val(&["4", "20"], &BAD_INTS),
            );
        }
        if kind == "exit" || g.chance(6) {
            t += &format!(
                "exit = {{ accepts = [{}], teu_per_day = {}{} }}\n",
                g.val(
                    &["\"personnel\", \"teu\", \"vehicles\"", "\"personnel\""],
                    &["", "\"fuel\""]
                ),
                g.val(&["5", "100"], &BAD_INTS),
                g.val(
                    &["", ", contingents = [\"p\", \"q\"]"],
                    &[", contingents = []"]
                ),
            );
        }
    }
    // Roads a-b, b-c, ... (and back to a) have distinct FROM-TO ids.
    for k in 0..g.one(&[1, 2, 3, 4, 5]).min(n) {
        t += &format!(
            "[[road]]\nfrom = \"{}\"\nto = \"{}\"\nkm = {}\nhazard = {}\n",
            g.val(&[site_ids[k % n]], &["x"]),
            g.val(&[site_ids[(k + 1) % n]], &[site_ids[k % n]]),
            g.val(&["100", "350", "1200"], &BAD_FLOATS),
            g.val(&["0", "1", "2", "3"], &["4", "-1"]),
        );
        if g.chance(32) {
            t += &format!("days = {}\n", g.val(&["0.5", "3"], &BAD_FLOATS));
        }
        if g.chance(32) {
            t += &format!(
                "closed = [{{ from = {}, until = {} }}]\n",
                g.val(&DATES[..2], &BAD_DATES),
                g.val(&DATES[2..], &BAD_DATES),
            );
        }
    }
    for k in 0..g.one(&[0, 1, 2, 3]) {
        let (kind, key) = g.val(
            &[("truck", "teu"), ("carrier", "seats"), ("escort", "cover")],
            &[("bus", "teu"), ("truck", "cover"), ("escort", "seats")],
        );
        t += &format!(
            "[[fleet]]\nid = \"{}\"\nkind = \"{kind}\"\nhome = \"{}\"\ncount = {}\n{key} = {}\n",
            g.val(&[format!("f{k}").as_str()], &["", "f0"]),
            site(g),
            g.val(&["1", "40"], &BAD_INTS),
            g.val(&["1", "10"], &BAD_INTS),
        );
        if g.chance(32) {
            t += &format!("available_from = {}\n", g.val(&DATES, &BAD_DATES));
        }
    }
    let types = if airfields.is_empty() {
        0
    } else {
        g.one(&[0, 1, 2])
    };
    for k in 0..types {
        t += &format!(
            "[[aircraft]]\nid = \"{}\"\nhome = \"{}\"\ncount = {}\n{} = {}\nmin_runway_m = {}\n\
             speed_kmh = {}\nsorties_per_day = {}\n",
            g.val(&[format!("t{k}").as_str()], &["", "t0"]),
            g.val(&airfields, &site_ids),
            g.val(&["1", "3"], &BAD_INTS),
            g.one(&["seats", "payload_teu"]),
            g.val(&["2", "90"], &BAD_INTS),
            g.val(&["0", "1200"], &["2400", "-1", "4000000"]),
            g.val(&["300", "540"], &BAD_FLOATS),
            g.val(&["1", "2"], &BAD_INTS),
        );
        if g.chance(16) {
            t += &format!("payload_t = {}\n", g.val(&["19", "5"], &BAD_FLOATS));
        }
    }
    if g.chance(64) {
        t += &format!(
            "[[restriction]]\nid = \"r\"\nfrom = {}\nuntil = {}\nsites = [\"{}\"]\n",
            g.val(&DATES[..2], &BAD_DATES),
            g.val(&DATES[2..], &BAD_DATES),
            site(g),
        );
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Validation guards lowering: whatever the values, loading reports diagnostics or
    /// returns a scenario whose references are all in range, and never panics.
    #[test]
    fn loading_never_panics(bytes in prop::collection::vec(any::<u8>(), 400)) {
        let text = arbitrary_scenario(&bytes);
        match load_str("arbitrary.toml", &text) {
            Ok(loaded) => {
                prop_assert!(loaded.warnings.iter().all(|d| d.severity == Severity::Warning));
                let s = &loaded.scenario;
                for r in &s.roads {
                    prop_assert!(r.a.idx() < s.sites.len() && r.b.idx() < s.sites.len());
                }
            }
            Err(LoadError::Invalid(diags)) => prop_assert!(!diags.is_empty()),
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}
