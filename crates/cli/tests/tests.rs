//! End-to-end tests of the `drawdown` binary: exit codes, files written, messages.
//! Every plan the binary writes here is read back and judged by the checker.

mod e2e;
mod explain;
mod generate;
mod serve;
mod track;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn drawdown(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drawdown"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh directory under the target dir for one test's output.
fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn verify(scenario: &str, plan: &Path) -> Output {
    drawdown(&["verify", scenario, plan.to_str().unwrap()])
}

#[test]
fn check_accepts_every_shipped_scenario() {
    let mut files = vec!["scenarios/minusma-2023.toml".to_string()];
    for e in std::fs::read_dir(root().join("scenarios/examples")).unwrap() {
        files.push(format!(
            "scenarios/examples/{}",
            e.unwrap().file_name().to_string_lossy()
        ));
    }
    let args: Vec<&str> = std::iter::once("check")
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = drawdown(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).matches(": valid (").count(), files.len());
}

#[test]
fn check_reports_every_problem_and_exits_2() {
    let out = drawdown(&[
        "check",
        "crates/scenario/tests/data/invalid/many-problems.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    // Each problem on its own line with code and location, then a count.
    let problems = err.lines().filter(|l| l.starts_with("error[E")).count();
    assert!(problems >= 5, "expected all problems at once:\n{err}");
    assert!(err.contains("many-problems.toml:"), "{err}");
    assert!(err.contains("  fix: "), "{err}");
}

#[test]
fn missing_file_and_bad_flags_exit_2() {
    let out = drawdown(&["check", "no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/file.toml"));
    let out = drawdown(&["plan", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn plan_writes_checked_files_and_is_deterministic() {
    let dir = scratch("plan-minusma");
    let a = dir.join("a");
    let b = dir.join("b");
    let out = drawdown(&[
        "plan",
        "scenarios/minusma-2023.toml",
        "--out",
        a.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    for site in ["kidal", "gao", "bamako", "ogossagou"] {
        assert!(table.contains(site), "summary lacks {site}:\n{table}");
    }
    assert!(table.contains("convoy legs") && table.contains("flight hours"));
    for f in ["plan.json", "convoys.csv", "flights.csv", "sites.csv"] {
        assert!(a.join(f).is_file(), "{f} not written");
    }
    // The written plan passes the checker as a separate process reading the file.
    let v = verify("scenarios/minusma-2023.toml", &a.join("plan.json"));
    assert_eq!(v.status.code(), Some(0), "{}", text(&v.stdout));

    let out = drawdown(&[
        "plan",
        "scenarios/minusma-2023.toml",
        "--out",
        b.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    for f in ["plan.json", "convoys.csv", "flights.csv", "sites.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between two runs"
        );
    }
}

#[test]
fn plan_json_format_prints_the_plan_file() {
    let dir = scratch("plan-json");
    let out = drawdown(&[
        "plan",
        "scenarios/examples/road-shuttle.toml",
        "--format",
        "json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(v["format"], "drawdown-plan/1");
    assert_eq!(
        text(&out.stdout),
        std::fs::read_to_string(dir.join("plan.json")).unwrap()
    );
}

#[test]
fn verify_rejects_a_broken_plan_with_exit_1() {
    let dir = scratch("verify-broken");
    let out = drawdown(&[
        "plan",
        "scenarios/examples/road-shuttle.toml",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    // Overload the first loaded convoy by 1,000 TEU.
    let path = dir.join("plan.json");
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let convoy = plan["convoys"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["teu"].as_u64().unwrap() > 0)
        .expect("a loaded convoy");
    convoy["teu"] = serde_json::json!(convoy["teu"].as_u64().unwrap() + 1000);
    let broken = dir.join("broken.json");
    std::fs::write(&broken, serde_json::to_string(&plan).unwrap()).unwrap();
    let v = verify("scenarios/examples/road-shuttle.toml", &broken);
    assert_eq!(v.status.code(), Some(1));
    let report = text(&v.stdout);
    assert!(report.contains("V051"), "{report}");
    assert!(report.contains("V020"), "{report}");

    // A file that is not a plan at all is bad input.
    std::fs::write(&broken, "{ not json").unwrap();
    let v = verify("scenarios/examples/road-shuttle.toml", &broken);
    assert_eq!(v.status.code(), Some(2));
    assert!(
        text(&v.stderr).contains("broken.json:1:"),
        "{}",
        text(&v.stderr)
    );
}
