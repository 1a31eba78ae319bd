//! `drawdown generate`: deterministic output, a file `check` accepts and `plan` plans,
//! bad parameters refused as bad input.

use crate::{drawdown, scratch, text};

#[test]
fn generated_scenarios_are_deterministic_valid_and_plannable() {
    let args = ["generate", "--sites", "8", "--days", "90", "--seed", "4"];
    let a = drawdown(&args);
    assert_eq!(a.status.code(), Some(0), "{}", text(&a.stderr));
    assert_eq!(a.stdout, drawdown(&args).stdout, "same flags, same bytes");
    assert!(text(&a.stdout).contains("[[site]]"));

    let dir = scratch("generate");
    let file = dir.join("g.toml");
    let f = file.to_str().unwrap();
    let out = drawdown(&[&args[..], &["--out", f]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&file).unwrap(), a.stdout);
    let check = drawdown(&["check", f]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("0 warning(s)"));
    let plan_dir = dir.join("out");
    let plan = drawdown(&[
        "plan",
        f,
        "--out",
        plan_dir.to_str().unwrap(),
        "--quiet",
        "--no-bound",
    ]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stderr));
    assert!(plan_dir.join("plan.json").exists());
}

#[test]
fn out_of_range_parameters_are_bad_input() {
    let out = drawdown(&["generate", "--sites", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("sites must be"),
        "{}",
        text(&out.stderr)
    );
}
