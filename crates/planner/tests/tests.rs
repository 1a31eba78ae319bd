//! Integration tests of the planner. Every plan made here goes through the independent
//! checker of the `scenario` crate before anything else is asserted about it.

mod examples;
mod random;

use model::{Plan, Scenario};
use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Load a scenario from text, panicking with every diagnostic when it is invalid.
pub fn load(name: &str, text: &str) -> Scenario {
    match scenario::load_str(name, text) {
        Ok(l) => l.scenario,
        Err(scenario::LoadError::Invalid(d)) => {
            let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
            panic!("{name} is invalid:\n{}\n---\n{text}", msgs.join("\n"))
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

/// Plan `s` and assert that the checker accepts the plan; returns the plan file form too.
pub fn plan_checked(name: &str, s: &Scenario) -> (Plan, scenario::planfile::PlanFile) {
    let plan = planner::plan(s, &planner::Config::default(), &mut |_, _| {})
        .unwrap_or_else(|e| panic!("{name}: no plan: {e}"));
    let file = scenario::planfile::to_file(s, &plan, Default::default());
    let report = scenario::check::verify(s, &file);
    assert!(
        report.is_feasible(),
        "{name}: the plan fails the checker:\n{}\n",
        report
            .violations
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    (plan, file)
}

#[test]
fn minusma_plan_passes_the_checker() {
    let path = root().join("scenarios/minusma-2023.toml");
    let text = std::fs::read_to_string(&path).expect("the MINUSMA scenario ships");
    let s = load("minusma-2023.toml", &text);
    let (_, file) = plan_checked("minusma-2023", &s);
    // Every base with stock gets a closure date.
    for site in s.sites.iter().filter(|x| !x.initial.is_empty()) {
        assert!(
            file.sites
                .iter()
                .any(|r| r.site == site.id && r.closure.is_some()),
            "{} has no closure",
            site.id
        );
    }
}

#[test]
fn same_input_same_plan_bytes() {
    let text = std::fs::read_to_string(root().join("scenarios/minusma-2023.toml")).unwrap();
    let s = load("minusma-2023.toml", &text);
    let a = plan_checked("minusma-2023", &s).1;
    let b = plan_checked("minusma-2023", &s).1;
    assert_eq!(
        scenario::planfile::to_json(&a),
        scenario::planfile::to_json(&b)
    );
}
