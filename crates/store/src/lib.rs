//! Tracking what actually happened during a withdrawal: the SQLite database (`db`) and
//! the pure logic of the event log (`track`).
//!
//! A tracking database holds one scenario (its exact text and SHA-256), the plans made for
//! it, and an append-only log of events: convoys departed and arrived, flights flown,
//! stock abandoned or handed over, sites closed, hazards observed. Before a batch of
//! events is written, [`track::replay::check`] replays the whole log against the scenario
//! and refuses, with every problem at once, an event that names something unknown, takes
//! more than is at a site, is dated before the state it needs, or makes the recorded past
//! break a rule of `docs/plan-semantics.md`. The database then writes the batch in one
//! transaction. [`track::freeze`] turns the log into the beginning of a plan for
//! re-planning, and [`track::status`] compares the plan with reality.
//!
//! `db` is the only module with SQL; `track` reads no clock and no database, so its rules
//! can be tested on plain values.
//!
//! ```
//! use store::db::{Stamp, Store};
//! use store::track::{Loc, read, replay};
//!
//! let text = r#"
//! [scenario]
//! name = "one road"
//! [horizon]
//! start = 2023-07-01
//! end = 2023-07-10
//! [[contingent]]
//! id = "a"
//! [[site]]
//! id = "camp"
//! kind = "base"
//! lat = 16.0
//! lon = 0.0
//! personnel = { a = 10 }
//! [[site]]
//! id = "port"
//! kind = "exit"
//! lat = 15.0
//! lon = 0.0
//! exit = { accepts = ["personnel"] }
//! [[road]]
//! from = "camp"
//! to = "port"
//! km = 120
//! [[fleet]]
//! id = "bus"
//! kind = "carrier"
//! home = "camp"
//! count = 1
//! seats = 10
//! "#;
//! let s = scenario::load_str("one-road.toml", text).unwrap().scenario;
//! let dir = std::env::temp_dir().join(format!("store-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("drawdown.db");
//! let _ = std::fs::remove_file(&path);
//! let mut db = Store::create(&path).unwrap();
//! let stamp = Stamp { at: "2023-07-01T08:00:00Z".parse().unwrap(), by: "movcon".into() };
//! db.add_scenario(&s.name, "one-road.toml", text, &stamp).unwrap();
//!
//! // The bus takes everybody to the port; a second departure of 10 is refused (T201).
//! let lines = r#"{"kind": "convoy-departed", "date": "2023-07-01", "convoy": "K1", "from": "camp", "to": "port", "units": {"bus": 1}, "personnel": {"a": 10}}
//! {"kind": "convoy-arrived", "date": "2023-07-02", "convoy": "K1"}"#;
//! let batch = read::read("day1.jsonl", lines, read::Format::Jsonl).unwrap();
//! let check = |log: &[store::db::StoredEvent], batch: &[(Loc, _)]| {
//!     let log: Vec<_> = log.iter().map(|e| (e.id, &e.event)).collect();
//!     replay::check(&s, &log, batch)
//! };
//! db.append(None, &stamp, |log| check(log, &batch)).unwrap();
//! let again = read::read("oops.jsonl", &lines.replace("K1", "K2"), read::Format::Jsonl).unwrap();
//! let err = db.append(None, &stamp, |log| check(log, &again)).unwrap_err();
//! let store::db::AppendError::Rejected(problems) = err else { panic!() };
//! assert_eq!(problems[0].code, "T201");
//! assert_eq!(db.events().unwrap().len(), 2);
//! # drop(db);
//! # std::fs::remove_dir_all(&dir).ok();
//! ```

pub mod db;
pub mod track;
