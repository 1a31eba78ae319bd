//! The database: creation and migration (from an empty file and from schema v1), refusal
//! of files it did not make, the append-only log, and all-or-nothing batches.

use crate::{DAY_ONE, SCENARIO, events, scenario, scratch, show};
use store::db::{AppendError, ImportFile, LATEST, Stamp, Store, StoreError, sha256_hex};
use store::track::replay;

fn stamp() -> Stamp {
    Stamp {
        at: "2023-09-08T18:00:00Z".parse().unwrap(),
        by: "movcon-gao".to_string(),
    }
}

/// A database tracking the fixture, with the day-one log when `day_one`.
fn tracked(name: &str, day_one: bool) -> (std::path::PathBuf, Store) {
    let path = scratch(name).join("drawdown.db");
    let mut db = Store::create(&path).unwrap();
    db.add_scenario("track-fixture", "track.toml", SCENARIO, &stamp())
        .unwrap();
    if day_one {
        append(&mut db, None, DAY_ONE).unwrap();
    }
    (path, db)
}

/// Append the JSON-lines `batch`, checked against the log, as the CLI does.
fn append(
    db: &mut Store,
    import: Option<&ImportFile>,
    batch: &str,
) -> Result<Vec<i64>, AppendError> {
    let s = scenario();
    let batch = events("batch.jsonl", batch);
    db.append(import, &stamp(), |log| {
        let log: Vec<_> = log.iter().map(|e| (e.id, &e.event)).collect();
        replay::check(&s, &log, &batch)
    })
    .map(|a| a.ids)
}

#[test]
fn a_new_file_gets_the_latest_schema_in_wal_mode() {
    let (path, db) = tracked("new-file", true);
    assert_eq!(db.schema_version().unwrap(), LATEST);
    assert_eq!(db.integrity_check().unwrap(), "ok");
    let raw = rusqlite::Connection::open(&path).unwrap();
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let stored = db.scenario().unwrap();
    assert_eq!(stored.text, SCENARIO, "the scenario's exact text is kept");
    assert_eq!(stored.sha256, sha256_hex(SCENARIO.as_bytes()));
    assert_eq!(db.events().unwrap().len(), 7);
}

#[test]
fn an_empty_file_is_migrated_to_the_latest_schema() {
    let path = scratch("empty-file").join("drawdown.db");
    std::fs::write(&path, b"").unwrap();
    let db = Store::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), LATEST);
    assert!(matches!(db.scenario(), Err(StoreError::NoScenario { .. })));
}

#[test]
fn a_v1_file_is_migrated_and_keeps_its_events() {
    let path = scratch("v1-file").join("drawdown.db");
    // A file as drawdown with schema v1 left it: a scenario, a plan and two events
    // written by v1's statements (no import column then).
    drop(Store::open_at_version(&path, true, 1).unwrap());
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        let v: u32 = raw
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
        raw.execute(
            "INSERT INTO scenarios (name, source, text, sha256, added_at, added_by)
             VALUES ('track-fixture', 'track.toml', ?1, ?2, '2023-09-01T00:00:00Z', 'v1')",
            rusqlite::params![SCENARIO, sha256_hex(SCENARIO.as_bytes())],
        )
        .unwrap();
        raw.execute(
            "INSERT INTO plans (scenario_id, kind, made_at, made_by, plan_json)
             VALUES (1, 'baseline', '2023-09-01T00:00:00Z', 'v1', '{}')",
            [],
        )
        .unwrap();
        for (kind, data) in [
            (
                "convoy-departed",
                r#"{"kind":"convoy-departed","date":"2023-09-01","convoy":"K1","road":"kidal-gao","from":"gao","to":"kidal","units":{"escorts":1,"trucks":3}}"#,
            ),
            (
                "convoy-arrived",
                r#"{"kind":"convoy-arrived","date":"2023-09-03","convoy":"K1"}"#,
            ),
        ] {
            raw.execute(
                "INSERT INTO events (scenario_id, kind, date, ref, data, recorded_at, recorded_by)
                 VALUES (1, ?1, '2023-09-03', 'K1', ?2, '2023-09-03T00:00:00Z', 'v1')",
                rusqlite::params![kind, data],
            )
            .unwrap();
        }
        let has_imports: i64 = raw
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'imports'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(has_imports, 0);
    }
    let mut db = Store::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), 2);
    let log = db.events().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].recorded_by, "v1");
    assert_eq!(log[0].import, None);
    assert_eq!(db.current_plan().unwrap().unwrap().kind, "baseline");
    // The migrated file takes new events, and an import is recorded as such.
    let file = ImportFile {
        source: "day3.jsonl".to_string(),
        sha256: "abc".to_string(),
    };
    let ids = append(
        &mut db,
        Some(&file),
        r#"{"kind": "convoy-departed", "date": "2023-09-03", "convoy": "K2", "from": "kidal", "to": "gao", "units": {"trucks": 3, "escorts": 1}, "teu": 6}"#,
    )
    .unwrap();
    assert_eq!(ids, vec![3]);
    assert_eq!(db.events().unwrap()[2].import, Some(1));
    assert_eq!(db.integrity_check().unwrap(), "ok");
    // Opening again migrates nothing more.
    drop(db);
    assert_eq!(Store::open(&path).unwrap().schema_version().unwrap(), 2);
}

#[test]
fn files_drawdown_did_not_make_are_refused() {
    let dir = scratch("foreign");
    // (what the file is, how it is made, the code)
    let missing = dir.join("missing.db");
    let text = dir.join("notes.txt");
    std::fs::write(&text, "movement control notes\n".repeat(100)).unwrap();
    let other = dir.join("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let newer = dir.join("newer.db");
    drop(Store::create(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    for (path, code) in [
        (&missing, "T501"),
        (&text, "T502"),
        (&other, "T502"),
        (&newer, "T503"),
    ] {
        let e = Store::open(path).unwrap_err();
        assert_eq!(e.code(), code, "{}: {e}", path.display());
        assert!(!e.fix().is_empty());
    }
    assert!(!missing.exists(), "opening does not create");
}

#[test]
fn the_log_is_append_only() {
    let (path, db) = tracked("append-only", true);
    drop(db);
    let raw = rusqlite::Connection::open(&path).unwrap();
    for stmt in [
        "UPDATE events SET date = '2023-09-02' WHERE id = 1",
        "DELETE FROM events WHERE id = 1",
    ] {
        let e = raw.execute(stmt, []).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{stmt}: {e}");
    }
}

#[test]
fn a_refused_batch_writes_nothing() {
    let (_, mut db) = tracked("refused", true);
    // Two good events and one that takes more than gao holds.
    let batch = r#"{"kind": "hazard", "date": "2023-09-08", "hazard": "incident", "site": "gao"}
{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": 2}
{"kind": "stock-abandoned", "date": "2023-09-08", "site": "gao", "teu": 5}"#;
    let file = ImportFile {
        source: "batch.jsonl".to_string(),
        sha256: sha256_hex(batch.as_bytes()),
    };
    match append(&mut db, Some(&file), batch) {
        Err(AppendError::Rejected(p)) => {
            assert_eq!(p.len(), 1, "{}", show(&p));
            assert_eq!((p[0].code, p[0].loc.line), ("T201", 3));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(db.events().unwrap().len(), 7);
    // The same file corrected goes in whole; importing it again is refused.
    let good = batch.replace("\"teu\": 5", "\"teu\": 4");
    let file = ImportFile {
        source: "batch.jsonl".to_string(),
        sha256: sha256_hex(good.as_bytes()),
    };
    assert_eq!(append(&mut db, Some(&file), &good).unwrap(), vec![8, 9, 10]);
    match append(&mut db, Some(&file), &good) {
        Err(AppendError::Rejected(p)) => assert_eq!(p[0].code, "T210"),
        other => panic!("{other:?}"),
    }
    assert_eq!(db.events().unwrap().len(), 10);
}

#[test]
fn one_scenario_per_database_and_plans_in_order() {
    let (_, mut db) = tracked("scenario-and-plans", false);
    let (_, created) = db
        .add_scenario("track-fixture", "again.toml", SCENARIO, &stamp())
        .unwrap();
    assert!(!created, "the same text is already there");
    let other = SCENARIO.replace("teu = 6", "teu = 7");
    let e = db
        .add_scenario("track-fixture", "other.toml", &other, &stamp())
        .unwrap_err();
    assert_eq!(e.code(), "T506");
    assert!(db.current_plan().unwrap().is_none());
    let a = db
        .add_plan("baseline", None, None, "{\"a\":1}", &stamp())
        .unwrap();
    let b = db
        .add_plan(
            "replan",
            Some("2023-09-08".parse().unwrap()),
            Some(a),
            "{\"b\":2}",
            &stamp(),
        )
        .unwrap();
    let cur = db.current_plan().unwrap().unwrap();
    assert_eq!(
        (cur.id, cur.parent, cur.kind.as_str()),
        (b, Some(a), "replan")
    );
    assert_eq!(cur.as_of, Some("2023-09-08".parse().unwrap()));
    assert_eq!(cur.made_at, "2023-09-08T18:00:00Z");
}
