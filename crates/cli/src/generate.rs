//! `drawdown generate`: write a synthetic scenario of any size from a seed.
//!
//! Glue only: the `generate` crate makes the text; this module writes it to stdout or to
//! a file (atomically, so a half-written scenario never lies around).

use anyhow::Context;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `drawdown generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Sites to withdraw from: hubs and bases (2 to 6 exits come on top).
    #[arg(long, default_value_t = 30)]
    pub sites: usize,
    /// Days of the withdrawal; the horizon runs about 30% longer.
    #[arg(long, default_value_t = 180)]
    pub days: u32,
    /// Seed of every random choice: the same flags always give the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the scenario here instead of to stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `drawdown generate --sites N --days D --seed S [--out FILE]`.
pub fn generate(a: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let params = ::generate::Params {
        sites: a.sites,
        days: a.days,
        seed: a.seed,
    };
    let text = match ::generate::generate(&params) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    match &a.out {
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .context("writing the scenario to stdout")?,
        Some(path) => {
            // Write beside the target and rename, so readers never see half a file.
            let tmp = path.with_extension("toml.tmp");
            std::fs::write(&tmp, &text).with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))?;
            eprintln!(
                "wrote {} ({} sites, {} days, seed {})",
                path.display(),
                a.sites,
                a.days,
                a.seed
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
