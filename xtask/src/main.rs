//! Developer tasks for drawdown, run as `cargo xtask TASK` (an alias in
//! `.cargo/config.toml` for `cargo run --release --package xtask --`).
//!
//! The one task so far is the scaling benchmark:
//!
//! ```text
//! cargo xtask bench [--sizes 10,30,100,300,1000] [--days 180] [--seed 1]
//!                   [--phases plan,drawdown,bound,mip,ccrp] [--timeout 1800]
//! ```
//!
//! For each size it generates a synthetic scenario (the `generate` crate), then measures
//! each phase in a child process of its own: the plan (build = load, validate and lower;
//! the constructive planner's default policy; the independent checker), `drawdown plan`
//! as a user runs it (the optimising planner with the bound beside it), the LP lower
//! bound, the MIP, and the CCRP-like baseline of the evacuation-planning literature.
//! A child per phase gives each phase its own peak memory (`VmHWM` of the child, read from
//! `/proc/self/status`) and its own time limit, so a slow bound cannot hide the planner's
//! figures. Every figure is printed; nothing is asserted about speed.
//!
//! The children are this same binary (`xtask measure`, hidden), calling the same library
//! functions as `drawdown plan`, so the user-facing CLI needs no benchmark flags.

mod bench;
mod measure;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// drawdown developer tasks.
#[derive(Debug, Parser)]
#[command(name = "xtask", about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Scaling benchmark over generated scenarios: times, peak memory, objective, bound.
    Bench(bench::BenchArgs),
    /// One phase on one scenario file, in this process (used by `bench`); prints JSON.
    #[command(hide = true)]
    Measure(measure::MeasureArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Bench(a) => bench::run(&a),
        Task::Measure(a) => measure::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
