//! `drawdown track` end to end: recording, importing, status and export through the
//! binary; bad input refused with its code and nothing written; imports that stay whole
//! when the process is killed; concurrent writers; and re-planning.
//!
//! Every test tracks `scenarios/examples/road-shuttle.toml` (camp -> port over a 2-day road,
//! 3 trucks of 2 TEU at camp; 15 TEU, 3 vehicles and 6 personnel to move) in its own
//! database under the target dir, and reads the database back through the `store` crate.

use crate::{drawdown, root, scratch, text};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use store::db::Store;

const SHUTTLE: &str = "scenarios/examples/road-shuttle.toml";

/// A fresh database tracking the road shuttle; returns its path.
pub(crate) fn init(name: &str) -> PathBuf {
    let db = scratch(name).join("drawdown.db");
    let out = track(&db, &["init", SHUTTLE]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    db
}

/// `drawdown track --db DB ARGS...`.
fn track(db: &Path, args: &[&str]) -> Output {
    let mut all = vec!["track", "--db", db.to_str().unwrap(), "--by", "tester"];
    all.extend_from_slice(args);
    drawdown(&all)
}

/// The events in the database, as JSON objects.
fn logged(db: &Path) -> Vec<serde_json::Value> {
    Store::open(db)
        .unwrap()
        .events()
        .unwrap()
        .iter()
        .map(|e| e.event.to_json())
        .collect()
}

/// The first wave of the hand-worked optimum: 3 trucks, 6 TEU, 3 vehicles with the 6
/// personnel, camp -> port on day 0, arriving day 2.
pub(crate) const WAVE_ONE: [&str; 2] = [
    "convoy-departed --date 2023-07-01 --convoy W1 --from camp --to port --units trucks=3 --teu 6 --vehicles 3 --personnel troops=6",
    "convoy-arrived --date 2023-07-03 --convoy W1",
];

pub(crate) fn record(db: &Path, line: &str) -> Output {
    let mut args = vec!["record"];
    args.extend(line.split(' '));
    track(db, &args)
}

#[test]
fn record_import_status_and_export() {
    let db = init("track-flow");
    for line in WAVE_ONE {
        let out = record(&db, line);
        assert_eq!(out.status.code(), Some(0), "{line}: {}", text(&out.stderr));
    }
    // The trucks drive back and a second wave goes, from a CSV file.
    let dir = db.parent().unwrap();
    let csv = dir.join("wave2.csv");
    std::fs::write(
        &csv,
        "kind,date,convoy,from,to,teu,units:trucks,note\n\
         convoy-departed,2023-07-03,W1,port,camp,,3,back empty\n\
         convoy-arrived,2023-07-05,W1,,,,,\n\
         convoy-departed,2023-07-05,W2,camp,port,6,3,\n",
    )
    .unwrap();
    let out = track(&db, &["import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("imported 3 event(s)"));
    assert_eq!(logged(&db).len(), 5);

    // Status as JSON: camp holds 3 TEU, the port has the 6 personnel, W2 is under way.
    let out = track(
        &db,
        &["status", "--as-of", "2023-07-06", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let st: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(st["as_of"], "2023-07-06");
    assert_eq!(st["sites"][0]["site"], "camp");
    assert_eq!(st["sites"][0]["actual"]["teu"], 3);
    assert_eq!(st["sites"][1]["actual"]["personnel"], 6);
    assert_eq!(st["personnel_out"]["actual"], 6);
    assert_eq!(st["under_way"], 1);
    assert_eq!(st["plan"]["kind"], "baseline");
    // The table and the CSV say the same.
    let out = track(&db, &["status", "--as-of", "2023-07-06"]);
    assert!(text(&out.stdout).contains("personnel out of the theatre: 6 actual"));
    let out = track(&db, &["status", "--as-of", "2023-07-06", "--format", "csv"]);
    let table = text(&out.stdout);
    assert!(table.starts_with("as_of,site,kind,state,planned_personnel,actual_personnel"));
    assert!(table.contains("\n2023-07-06,camp,base,open,"), "{table}");

    // The exported log imports whole into a fresh database and exports the same events.
    for (format, ext) in [("csv", "csv"), ("jsonl", "jsonl")] {
        let file = dir.join(format!("log.{ext}"));
        let out = track(
            &db,
            &[
                "export",
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let copy = init(&format!("track-flow-copy-{format}"));
        let out = track(&copy, &["import", file.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            text(&out.stderr)
        );
        assert_eq!(logged(&copy), logged(&db), "{format} round trip");
    }
    let out = track(&db, &["export"]);
    let csv = text(&out.stdout);
    assert_eq!(csv.lines().count(), 6);
    assert!(csv.contains(",tester,"), "who recorded is exported:\n{csv}");
}

#[test]
fn bad_input_is_refused_with_its_code_and_nothing_is_written() {
    let db = init("track-bad");
    for line in WAVE_ONE {
        assert_eq!(record(&db, line).status.code(), Some(0));
    }
    // (what is wrong, the event, the code)
    let cases = [
        (
            "unknown site",
            "site-closed --date 2023-07-04 --site kamp",
            "T101",
        ),
        (
            "more than is at the site",
            "stock-abandoned --date 2023-07-04 --site camp --teu 10",
            "T201",
        ),
        (
            "a road that does not exist",
            "convoy-departed --date 2023-07-04 --convoy W2 --from camp --to camp --units trucks=1",
            "T102",
        ),
        (
            "dated before the convoy could arrive",
            "convoy-departed --date 2023-07-01 --convoy W0 --from port --to camp --units trucks=3",
            "T203",
        ),
        (
            "a flag that does not apply",
            "convoy-arrived --date 2023-07-04 --convoy W1 --teu 3",
            "T004",
        ),
        ("an unknown kind", "convoy-lost --date 2023-07-04", "T006"),
        (
            "a bad pair",
            "convoy-departed --date 2023-07-04 --convoy W2 --from port --to camp --units trucks",
            "T005",
        ),
    ];
    for (what, line, code) in cases {
        let out = record(&db, line);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(
            err.contains(&format!("error[{code}]: command line")),
            "{what}: {err}"
        );
        assert!(err.contains("  fix: "), "{what}: {err}");
        assert!(err.contains("nothing was written"), "{what}: {err}");
    }
    assert_eq!(logged(&db).len(), 2);

    // An import with one bad row among good ones writes no row; the error names its line.
    let dir = db.parent().unwrap();
    let file = dir.join("mixed.jsonl");
    std::fs::write(
        &file,
        r#"{"kind": "hazard", "date": "2023-07-04", "hazard": "incident", "site": "camp"}
{"kind": "stock-abandoned", "date": "2023-07-04", "site": "camp", "teu": 2}
{"kind": "stock-abandoned", "date": "2023-07-04", "site": "camp", "teu": 9}
{"kind": "hazard", "date": "2023-07-04", "hazard": "incident", "site": "port"}
"#,
    )
    .unwrap();
    let out = track(&db, &["import", file.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("error[T201]: "), "{err}");
    assert!(err.contains("mixed.jsonl:3: row 3: teu:"), "{err}");
    assert_eq!(logged(&db).len(), 2);
}

#[test]
fn missing_or_foreign_databases_are_bad_input() {
    let dir = scratch("track-foreign");
    let missing = dir.join("none.db");
    let out = track(&missing, &["status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error[T501]"),
        "{}",
        text(&out.stderr)
    );
    assert!(!missing.exists());
    let notes = dir.join("notes.db");
    std::fs::write(&notes, "not a database at all, just text\n".repeat(200)).unwrap();
    let out = track(
        &notes,
        &[
            "record",
            "site-closed",
            "--date",
            "2023-07-04",
            "--site",
            "camp",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error[T502]"),
        "{}",
        text(&out.stderr)
    );
    // A second init with another scenario is refused; the same one changes nothing.
    let db = init("track-foreign-init");
    let out = track(&db, &["init", "scenarios/examples/rear-guard.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error[T506]"),
        "{}",
        text(&out.stderr)
    );
    let out = track(&db, &["init", SHUTTLE]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("nothing changed"));
}

/// A small seeded generator (xorshift64*), so that the kill points repeat run to run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Events per import in the kill test: enough that the transaction takes a visible part
/// of the process's life.
const KILL_ROWS: usize = 400;

/// Events of iteration `i` in the kill test, as CSV (incidents, which are always valid,
/// each naming its iteration and row).
fn kill_file(dir: &Path, i: usize) -> PathBuf {
    let mut s = String::from("kind,date,hazard,site,note\n");
    for r in 0..KILL_ROWS {
        s.push_str(&format!("hazard,2023-07-04,incident,camp,i{i}-r{r}\n"));
    }
    let p = dir.join(format!("import-{i}.csv"));
    std::fs::write(&p, s).unwrap();
    p
}

/// Per iteration, how many of its events the database holds.
fn per_iteration(db: &Path, n: usize) -> Vec<usize> {
    let mut count = vec![0; n];
    for e in Store::open(db).unwrap().events().unwrap() {
        let j = e.event.to_json();
        if let Some(i) = j["note"]
            .as_str()
            .and_then(|t| t.strip_prefix('i'))
            .and_then(|t| t.split('-').next())
            .and_then(|t| t.parse::<usize>().ok())
        {
            count[i] += 1;
        }
    }
    count
}

#[test]
fn imports_stay_whole_when_the_process_is_killed() {
    const ITERATIONS: usize = 220;
    let db = init("track-kill");
    let dir = db.parent().unwrap().to_path_buf();
    let mut rng = Rng(0x5eed_d0d0_2023_0704);
    let started = Instant::now();
    // Kill delays are drawn up to a bit more than a whole import takes, so kills land
    // before, inside and after the write transaction. Every eighth import is left to
    // finish, to measure how long a whole import takes now (the log grows).
    let mut full = Duration::from_millis(60);
    let mut finished = vec![false; ITERATIONS];
    let (mut completed, mut killed) = (0, 0);
    for i in 0..ITERATIONS {
        let file = kill_file(&dir, i);
        let delay = full.mul_f64(1.3 * rng.unit());
        let t0 = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_drawdown"))
            .args([
                "track",
                "--db",
                db.to_str().unwrap(),
                "--by",
                "killer",
                "import",
            ])
            .arg(&file)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let measure = i % 8 == 0;
        if !measure {
            std::thread::sleep(delay);
            // Child::kill sends SIGKILL on Unix.
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        if status.success() {
            finished[i] = true;
            completed += 1;
            if measure {
                full = t0.elapsed();
            }
        } else {
            killed += 1;
        }
        std::fs::remove_file(&file).unwrap();
        if i % 20 == 19 || i + 1 == ITERATIONS {
            let count = per_iteration(&db, ITERATIONS);
            for (j, &n) in count.iter().enumerate().take(i + 1) {
                assert!(
                    n == 0 || n == KILL_ROWS,
                    "import {j} is partly visible: {n} of {KILL_ROWS} events"
                );
                if finished[j] {
                    assert_eq!(
                        n, KILL_ROWS,
                        "import {j} reported success but is not all there"
                    );
                }
            }
        }
    }
    let count = per_iteration(&db, ITERATIONS);
    let whole = count.iter().filter(|&&n| n == KILL_ROWS).count();
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.events().unwrap().len(), whole * KILL_ROWS);
    eprintln!(
        "kill test: {ITERATIONS} imports of {KILL_ROWS} events, {completed} completed, {killed} killed ({} of them after their commit), in {:.1} s",
        whole - completed,
        started.elapsed().as_secs_f64()
    );
    // Kills before the commit must have happened, or the delays missed the window.
    let lost = ITERATIONS - whole;
    assert!(
        lost >= ITERATIONS / 5,
        "only {lost} imports were killed before their commit"
    );
}

#[test]
fn concurrent_recorders_all_succeed_or_are_told_the_database_is_busy() {
    let db = init("track-concurrent");
    let dir = db.parent().unwrap().to_path_buf();
    // Eight processes at once: four record one event each, four import 200 events each.
    let mut children = Vec::new();
    for k in 0..8 {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_drawdown"));
        cmd.args([
            "track",
            "--db",
            db.to_str().unwrap(),
            "--by",
            &format!("p{k}"),
        ])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        if k % 2 == 0 {
            cmd.args([
                "record",
                "hazard",
                "--date",
                "2023-07-02",
                "--hazard",
                "incident",
                "--site",
                "camp",
                "--note",
            ])
            .arg(format!("p{k}"));
        } else {
            let mut s = String::from("kind,date,hazard,site,note\n");
            for r in 0..200 {
                s.push_str(&format!("hazard,2023-07-02,incident,port,p{k}-r{r}\n"));
            }
            let f = dir.join(format!("p{k}.csv"));
            std::fs::write(&f, s).unwrap();
            cmd.arg("import").arg(f);
        }
        children.push((k, cmd.spawn().unwrap()));
    }
    let mut expected = 0;
    for (k, child) in children {
        let out = child.wait_with_output().unwrap();
        match out.status.code() {
            Some(0) => expected += if k % 2 == 0 { 1 } else { 200 },
            Some(3) => assert!(
                text(&out.stderr).contains("error[T504]") && text(&out.stderr).contains("busy"),
                "{}",
                text(&out.stderr)
            ),
            other => panic!("process {k} exited {other:?}: {}", text(&out.stderr)),
        }
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.events().unwrap().len(), expected);
}

#[test]
fn replan_keeps_the_past_and_passes_the_checker() {
    let db = init("track-replan");
    for line in WAVE_ONE {
        assert_eq!(record(&db, line).status.code(), Some(0));
    }
    // The trucks are late back: they leave the port on day 3 instead of day 2.
    for line in [
        "convoy-departed --date 2023-07-04 --convoy W1 --from port --to camp --units trucks=3",
        "convoy-arrived --date 2023-07-06 --convoy W1",
    ] {
        assert_eq!(record(&db, line).status.code(), Some(0), "{line}");
    }
    let out_dir = db.parent().unwrap().join("out");
    let out = track(
        &db,
        &[
            "replan",
            "--effort",
            "2",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The written plan passes the checker against the original scenario ...
    let v = drawdown(&[
        "verify",
        SHUTTLE,
        out_dir.join("plan.json").to_str().unwrap(),
    ]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v.stdout));
    // ... keeps the recorded legs exactly, and schedules nothing new before day 6.
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("plan.json")).unwrap()).unwrap();
    // ... is the best of the runs of the optimising planner that `--effort` asks for,
    // after the baseline carried on, which the late trucks left behind (no objective, and
    // no warning of a planner bug) ...
    let tried = plan["meta"]["policies"].as_array().unwrap();
    assert_eq!(tried.len(), 3, "{tried:?}");
    assert_eq!(
        (&tried[0]["policy"], &tried[0]["objective"]),
        (
            &serde_json::json!("the current plan, carried on from 2023-07-07"),
            &serde_json::Value::Null
        )
    );
    assert!(
        !text(&out.stderr).contains("warning"),
        "{}",
        text(&out.stderr)
    );
    let best = tried
        .iter()
        .filter_map(|t| t["objective"].as_f64())
        .fold(f64::INFINITY, f64::min);
    assert_eq!(plan["totals"]["objective"].as_f64(), Some(best));
    assert!(tried.iter().any(|t| t["policy"] == plan["meta"]["policy"]));
    let convoys = plan["convoys"].as_array().unwrap();
    let w1 = convoys.iter().find(|c| c["id"] == "W1@2023-07-01").unwrap();
    assert_eq!(
        (
            &w1["depart"],
            &w1["arrive"],
            &w1["teu"],
            &w1["units"]["trucks"]
        ),
        (
            &serde_json::json!("2023-07-01"),
            &serde_json::json!("2023-07-03"),
            &serde_json::json!(6),
            &serde_json::json!(3)
        )
    );
    assert!(convoys.iter().any(|c| c["id"] == "W1@2023-07-04"));
    for c in convoys
        .iter()
        .filter(|c| !c["id"].as_str().unwrap().contains('@'))
    {
        assert!(c["depart"].as_str().unwrap() >= "2023-07-06", "{c}");
    }
    let store = Store::open(&db).unwrap();
    let plans = store.plans().unwrap();
    assert_eq!(plans.len(), 2);
    assert_eq!(
        (plans[1].kind.as_str(), plans[1].parent),
        ("replan", Some(plans[0].id))
    );
    // Status now compares with the re-plan, whose frozen legs count as done.
    let out = track(
        &db,
        &["status", "--as-of", "2023-07-06", "--format", "json"],
    );
    let st: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(st["plan"]["kind"], "replan");
    assert!(st["late"].as_array().unwrap().is_empty(), "{}", st["late"]);
}

/// A re-plan keeps the plan it replaces where what happened kept to it, but never over a
/// recorded closure: the shuttle goes as planned until its trucks head back on day 2, so
/// the baseline carried on is kept; then the road is reported closed from day 3 to day 5,
/// which the baseline's second wave (day 4) would drive, and the re-plan plans around it.
#[test]
fn replan_carries_the_plan_on_only_where_the_record_allows() {
    let db = init("track-replan-carry");
    let out_dir = db.parent().unwrap().join("out");
    let replan = |db: &Path| -> serde_json::Value {
        let out = track(db, &["replan", "--out", out_dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            !text(&out.stderr).contains("warning"),
            "{}",
            text(&out.stderr)
        );
        let v = drawdown(&[
            "verify",
            SHUTTLE,
            out_dir.join("plan.json").to_str().unwrap(),
        ]);
        assert_eq!(v.status.code(), Some(0), "{}", text(&v.stdout));
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("plan.json")).unwrap()).unwrap()
    };
    for line in WAVE_ONE.iter().copied().chain([
        "convoy-departed --date 2023-07-03 --convoy W1 --from port --to camp --units trucks=3",
    ]) {
        assert_eq!(record(&db, line).status.code(), Some(0), "{line}");
    }
    let kept = replan(&db);
    assert!(
        kept["meta"]["policy"]
            .as_str()
            .unwrap()
            .starts_with("the current plan, carried on from 2023-07-04"),
        "{}",
        kept["meta"]["policy"]
    );
    let hazard =
        "hazard --date 2023-07-04 --hazard road-closed --road camp-port --until 2023-07-06";
    assert_eq!(record(&db, hazard).status.code(), Some(0));
    let around = replan(&db);
    let tried = around["meta"]["policies"].as_array().unwrap();
    assert_eq!(
        (&tried[0]["policy"], &tried[0]["objective"]),
        (
            &serde_json::json!("the current plan, carried on from 2023-07-05"),
            &serde_json::Value::Null
        )
    );
    for c in around["convoys"].as_array().unwrap() {
        let depart = c["depart"].as_str().unwrap();
        assert!(
            c["id"].as_str().unwrap().contains('@') || depart > "2023-07-06",
            "{c} drives the closed road"
        );
    }
}
