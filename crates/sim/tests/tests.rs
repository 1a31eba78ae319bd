//! Integration tests of the simulation: one test binary, one module per concern. Every
//! plan simulated here first passes the independent checker of the `scenario` crate.

mod determinism;
mod exact;
mod hand;
mod replan;

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
            panic!("{name} is invalid:\n{}", msgs.join("\n"))
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

/// Load a file of the repository.
pub fn load_file(rel: &str) -> Scenario {
    let text = std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    load(rel, &text)
}

/// Assert that the checker accepts `plan` for `s`.
pub fn assert_feasible(name: &str, s: &Scenario, plan: &Plan) {
    let file = scenario::planfile::to_file(s, plan, Default::default());
    let report = scenario::check::verify(s, &file);
    assert!(
        report.is_feasible(),
        "{name}: the plan fails the checker:\n{}",
        report
            .violations
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Plan `s` with the planner and check the plan.
pub fn plan_checked(name: &str, s: &Scenario) -> Plan {
    let plan = planner::plan(s, &planner::Config::default(), &mut |_, _| {})
        .unwrap_or_else(|e| panic!("{name}: no plan: {e}"));
    assert_feasible(name, s, &plan);
    plan
}
