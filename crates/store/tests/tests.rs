//! Tests of the tracking store: the event rules (`events`), the database (`db`), the
//! frozen plan prefix (`freeze`) and plan against reality (`status`).
//!
//! Everything runs on `data/track.toml`, a base, a hub and two exits with one-day
//! periods, and on logs written as JSON lines, the same form an import file has.

mod db;
mod events;
mod freeze;
mod status;

use model::Scenario;
use store::track::{Event, Loc, Problem, read, replay};

/// The fixture scenario's text.
pub const SCENARIO: &str = include_str!("data/track.toml");

/// A log every test may start from (valid, as `events::the_day_one_log_is_valid` checks):
/// trucks and an escort drive from gao to kidal, bring 6 TEU and 6 personnel back, a C-130
/// flies 26 personnel from gao to bamako, gao hands 4 TEU over, and the gao-dakar road is
/// closed for three days.
pub const DAY_ONE: &str = r#"
{"kind": "convoy-departed", "date": "2023-09-01", "convoy": "K1", "from": "gao", "to": "kidal", "units": {"trucks": 3, "escorts": 1}}
{"kind": "convoy-arrived", "date": "2023-09-03", "convoy": "K1"}
{"kind": "convoy-departed", "date": "2023-09-03", "convoy": "K2", "from": "kidal", "to": "gao", "units": {"trucks": 3, "escorts": 1}, "teu": 6, "personnel": {"td": 6}}
{"kind": "convoy-arrived", "date": "2023-09-05", "convoy": "K2"}
{"kind": "flight-flown", "date": "2023-09-05", "flight": "UN-01", "aircraft": "c130", "from": "gao", "to": "bamako", "personnel": {"td": 6, "bd": 20}}
{"kind": "stock-handed-over", "date": "2023-09-06", "site": "gao", "teu": 4, "note": "to the Malian army"}
{"kind": "hazard", "date": "2023-09-07", "hazard": "road-closed", "road": "gao-dakar", "until": "2023-09-09", "note": "flooding"}
"#;

/// The fixture, lowered.
pub fn scenario() -> Scenario {
    scenario::load_str("track.toml", SCENARIO)
        .expect("the fixture scenario loads")
        .scenario
}

/// Events of a JSON-lines text, named `source` in problems.
pub fn events(source: &str, text: &str) -> Vec<(Loc, Event)> {
    match read::read(source, text, read::Format::Jsonl) {
        Ok(e) => e,
        Err(p) => panic!("{source} does not read:\n{}", show(&p)),
    }
}

/// A valid log from JSON lines: ids 1, 2, ... and the events as they are stored.
pub fn log(s: &Scenario, text: &str) -> Vec<(i64, Event)> {
    let stored = match replay::check(s, &[], &events("log.jsonl", text)) {
        Ok(e) => e,
        Err(p) => panic!("the log is not valid:\n{}", show(&p)),
    };
    stored
        .into_iter()
        .enumerate()
        .map(|(i, e)| (i as i64 + 1, e))
        .collect()
}

/// Check the batch `batch` (JSON lines) against the log `log` (JSON lines).
pub fn check(log_text: &str, batch: &str) -> Result<Vec<Event>, Vec<Problem>> {
    let s = scenario();
    let log = log(&s, log_text);
    let refs: Vec<(i64, &Event)> = log.iter().map(|(i, e)| (*i, e)).collect();
    match read::read("batch.jsonl", batch, read::Format::Jsonl) {
        Ok(batch) => replay::check(&s, &refs, &batch),
        Err(p) => Err(p),
    }
}

/// Problems, one per line, for assertion messages.
pub fn show(p: &[Problem]) -> String {
    p.iter().map(|p| format!("{p}\n")).collect()
}

/// A fresh directory for one test's files.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("store")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
