//! `drawdown report`: the self-contained briefing (HTML, optionally PDF).

use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// `drawdown report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// The HTML file to write (one self-contained file).
    #[arg(long, default_value = "report.html")]
    pub out: PathBuf,
    /// Also print the report to this PDF file with headless Chromium.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Tracking database (`drawdown track`): show what actually happened next to the plan.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Simulate this many campaigns and show the P10-P90 fan of the burn-down.
    #[arg(long, value_name = "N")]
    pub runs: Option<u64>,
    /// Seed of the simulation.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Skip the LP lower bound (faster; no gap is shown).
    #[arg(long)]
    pub no_bound: bool,
}

/// `drawdown report FILE`.
pub fn report(a: &ReportArgs) -> anyhow::Result<ExitCode> {
    let loaded = match crate::cmd::load(&a.file) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let s = &loaded.scenario;
    // The same planner as `drawdown plan`, so the briefing shows the plan the user made.
    let plan = match crate::cmd::optimize(s, &planner::OptimizeConfig::default(), &|_, _| {}) {
        Ok(o) => o.plan,
        Err(e) => {
            eprintln!("error: no plan for {}: {e}", a.file.display());
            return Ok(ExitCode::from(1));
        }
    };
    // The briefing shows only a plan that the independent checker accepts.
    let report = scenario::check::verify(
        s,
        &scenario::planfile::to_file(s, &plan, Default::default()),
    );
    if !report.is_feasible() {
        for v in &report.violations {
            eprintln!("{v}");
        }
        eprintln!(
            "error: the plan for {} fails the checker; this is a planner bug, please report it",
            a.file.display()
        );
        return Ok(ExitCode::from(1));
    }
    let sources = crate::extras::Sources {
        bound: !a.no_bound,
        db: a.db.as_deref(),
        runs: a.runs,
        seed: a.seed,
    };
    let extras = match crate::extras::gather(s, &plan, sources)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let view = dashboard::build(s, &plan, &extras);
    let html = dashboard::report::render(&view);
    if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    scenario::planfile::write_atomic(&a.out, html.as_bytes())?;
    println!("Wrote {} (plan checked: feasible).", a.out.display());
    if let Some(pdf) = &a.pdf {
        if let Err(e) = print_pdf(&a.out, pdf) {
            eprintln!("error: no PDF: {e}");
            return Ok(ExitCode::from(2));
        }
        println!("Wrote {}.", pdf.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The headless browser, if one is installed.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
    .find(|p| p.is_file())
}

/// The flags every headless Chromium run needs here: no sandbox (containers), no GPU, and
/// no background network traffic (which a closed network answers by refusing).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

fn print_pdf(html: &Path, pdf: &Path) -> anyhow::Result<()> {
    let browser = chromium().context(
        "headless Chromium is not installed (looked for chromium, chromium-browser and google-chrome on PATH)\n  fix: install it (Debian: apt-get install chromium) or leave out --pdf and print the HTML from a browser",
    )?;
    let html = std::fs::canonicalize(html)?;
    let profile = std::env::temp_dir().join(format!("drawdown-pdf-{}", std::process::id()));
    let pdf_abs = std::env::current_dir()?.join(pdf);
    let out = Command::new(&browser)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        // Let the page's scripts and the Gantt's animations finish before printing.
        .arg("--virtual-time-budget=5000")
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf_abs.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .with_context(|| format!("running {}", browser.display()))?;
    let _ = std::fs::remove_dir_all(&profile);
    if !out.status.success() || !pdf_abs.is_file() {
        anyhow::bail!(
            "{} failed ({}): {}",
            browser.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
