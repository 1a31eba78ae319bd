//! Integration tests of the generator: one test binary, one module per concern.
//!
//! - `valid`: every generated file passes validation without a warning, for many seeds
//!   and sizes, and the same parameters give the same bytes;
//! - `plans`: the constructive planner makes a plan for generated scenarios that passes
//!   the independent checker (a property test over seeds and sizes 5 to 60), and the LP
//!   bound and the MIP's dual bound stay below the checked objective.

mod plans;
mod valid;

use model::Scenario;

/// Generate and load a scenario, panicking with every diagnostic when it is invalid.
pub fn load(sites: usize, days: u32, seed: u64) -> (String, scenario::Loaded) {
    let text = generate::generate(&generate::Params { sites, days, seed })
        .unwrap_or_else(|e| panic!("sites {sites}, days {days}: {e}"));
    let name = format!("generated-{sites}-{days}-{seed}.toml");
    match scenario::load_str(&name, &text) {
        Ok(l) => (text, l),
        Err(scenario::LoadError::Invalid(d)) => {
            let msgs: Vec<String> = d.iter().map(ToString::to_string).collect();
            panic!(
                "{name} is invalid (reproduce: drawdown generate --sites {sites} --days {days} \
                 --seed {seed}):\n{}",
                msgs.join("\n")
            )
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

/// Plan `s` and judge the plan with the checker; the checker's objective, or `Err` saying
/// what went wrong.
pub fn plan_and_check(s: &Scenario) -> Result<f64, String> {
    let plan = planner::plan(s, &planner::Config::default(), &mut |_, _| {})
        .map_err(|e| format!("no plan: {e}"))?;
    let file = scenario::planfile::to_file(s, &plan, Default::default());
    let report = scenario::check::verify(s, &file);
    if report.is_feasible() {
        Ok(report.totals.objective)
    } else {
        Err(format!(
            "the plan fails the checker:\n{}",
            report
                .violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ))
    }
}
