//! `drawdown serve`: the dashboard and its JSON API on a local address.

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// `drawdown serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Scenario file (TOML).
    #[arg(long)]
    pub scenario: PathBuf,
    /// Tracking database (`drawdown track`): show what actually happened next to the plan.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Simulate this many campaigns and show the P10-P90 fan of the burn-down.
    #[arg(long, value_name = "N")]
    pub runs: Option<u64>,
    /// Seed of the simulation.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Policies of the optimising planner to try for the base plan (as `drawdown plan
    /// --effort`); what-ifs re-plan with the policy that wins.
    #[arg(long, value_name = "N", default_value_t = planner::OptimizeConfig::default().effort)]
    pub effort: usize,
}

/// `drawdown serve --scenario FILE`.
pub fn serve(a: &ServeArgs) -> anyhow::Result<ExitCode> {
    // Validation (and its printed diagnostics) is the same as every other command's.
    if let Err(code) = crate::cmd::load(&a.scenario) {
        return Ok(code);
    }
    let file = a.scenario.display().to_string();
    let text = std::fs::read_to_string(&a.scenario)?;
    let mut base = match server::Base::load(&file, &text, a.effort, dashboard::Extras::default()) {
        Ok(b) => b,
        Err(server::BaseError::Load(e)) => {
            eprintln!("error: {file}: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(server::BaseError::Plan(e)) => {
            eprintln!("error: {file}: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let sources = crate::extras::Sources {
        bound: true,
        db: a.db.as_deref(),
        runs: a.runs,
        seed: a.seed,
    };
    base.extras = match crate::extras::gather(&base.planned.scenario, &base.planned.plan, sources)?
    {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let state = server::AppState::new(base);
    server::serve(a.addr, state, |at| {
        println!("drawdown serve: http://{at}/ (Ctrl-C to stop)");
    })?;
    Ok(ExitCode::SUCCESS)
}
