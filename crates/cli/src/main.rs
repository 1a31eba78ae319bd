//! `drawdown`: plan, check and verify the phased withdrawal of a force.
//!
//! The binary is glue: every command parses its flags, calls the library crates and prints.
//! Exit codes: 0 success, 1 a plan that fails the checker (or cannot be made), 2 bad input
//! (an invalid scenario or plan file, or bad flags).

mod cmd;
mod explain;
mod extras;
mod generate;
mod report;
mod serve;
mod simulate;
mod table;
mod track;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Plan, stress-test and track the withdrawal of a force from its bases before a deadline.
#[derive(Debug, Parser)]
#[command(name = "drawdown", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate scenario files and report every problem at once (exit 2 if any is invalid).
    Check(cmd::CheckArgs),
    /// Make a day-by-day movement plan for a scenario and write it as files.
    Plan(cmd::PlanArgs),
    /// Check a plan file against a scenario with the independent checker.
    Verify(cmd::VerifyArgs),
    /// Explain a plan: what binds and when, one more unit measured, latest safe starts.
    Explain(explain::ExplainArgs),
    /// Monte Carlo of the plan under the scenario's hazards: how likely each deadline holds.
    Simulate(simulate::SimulateArgs),
    /// Record what actually happened, compare it with the plan, re-plan the rest.
    Track(track::TrackArgs),
    /// Serve the dashboard and its JSON API (map, Gantt, burn-down, tables, what-if).
    Serve(serve::ServeArgs),
    /// Write a self-contained briefing (HTML with map, Gantt, burn-down and tables; PDF too).
    Report(report::ReportArgs),
    /// Write a synthetic scenario of any size from a seed (for tests and benchmarks).
    Generate(generate::GenerateArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are not errors; bad flags are bad input (exit 2).
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(a) => cmd::check(&a),
        Command::Plan(a) => cmd::plan(&a),
        Command::Verify(a) => cmd::verify(&a),
        Command::Explain(a) => explain::explain(&a),
        Command::Simulate(a) => simulate::simulate(&a),
        Command::Track(a) => track::run(&a),
        Command::Generate(a) => generate::generate(&a),
        Command::Serve(a) => serve::serve(&a),
        Command::Report(a) => report::report(&a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
