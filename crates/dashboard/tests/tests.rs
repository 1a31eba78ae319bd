//! Integration tests of the dashboard crate. Every plan made here passes the independent
//! checker of the `scenario` crate before anything is asserted about its view.

mod build;
mod report;

use model::{Plan, Scenario};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Load a scenario file of the repository, panicking on any diagnostic.
pub fn load(rel: &str) -> Scenario {
    let path = root().join(rel);
    match scenario::load_file(&path) {
        Ok(l) => l.scenario,
        Err(scenario::LoadError::Invalid(d)) => {
            let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
            panic!("{rel} is invalid:\n{}", msgs.join("\n"))
        }
        Err(e) => panic!("{rel}: {e}"),
    }
}

/// Plan `s` and assert that the checker accepts the plan.
pub fn plan_checked(s: &Scenario) -> Plan {
    let plan = planner::plan(s, &planner::Config::default(), &mut |_, _| {})
        .unwrap_or_else(|e| panic!("{}: no plan: {e}", s.name));
    let file = scenario::planfile::to_file(s, &plan, Default::default());
    let report = scenario::check::verify(s, &file);
    assert!(
        report.is_feasible(),
        "{}: the plan fails the checker: {:?}",
        s.name,
        report.violations
    );
    plan
}

/// The MINUSMA scenario and its checked plan, made once for all tests.
pub fn minusma() -> &'static (Scenario, Plan) {
    static CELL: OnceLock<(Scenario, Plan)> = OnceLock::new();
    CELL.get_or_init(|| {
        let s = load("scenarios/minusma-2023.toml");
        let p = plan_checked(&s);
        (s, p)
    })
}
