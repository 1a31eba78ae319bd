//! The commands. Each is one function from parsed flags to an exit code.

use crate::table::{Table, thousands};
use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use model::Scenario;
use scenario::{LoadError, Loaded};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Output format of a command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable tables.
    #[default]
    Table,
    /// JSON for machines.
    Json,
}

/// `drawdown check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// `drawdown plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Directory for plan.json, convoys.csv, flights.csv and sites.csv.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Summary format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Skip the LP lower bound (faster; no gap is reported).
    #[arg(long)]
    pub no_bound: bool,
    /// Length in days of the periods of the bound's LP (default: chosen from the size of
    /// the scenario; longer periods give a faster, weaker bound).
    #[arg(long, value_name = "DAYS")]
    pub lp_days: Option<u32>,
    /// Length in days of the periods of the bound's hard-deadline LP from the last
    /// `not_before` of a site with a deadline to shortly after the last deadline (default:
    /// 7, longer if that LP would be too large). Shorter is usually stronger and slower,
    /// but the lengths do not nest, so neither is sure: on MINUSMA 7 days prove more than
    /// 8 to 12, and as much as 5 or 6 in less time.
    #[arg(long, value_name = "DAYS")]
    pub lp_window_days: Option<u32>,
    /// How many times the bound's makespan search solves a case of the hard-deadline LP
    /// again over periods of a day, in the case and in the days of the longest road route
    /// to an exit before it (two at a time; 0: none). Each is an LP somewhat larger than
    /// the first: on MINUSMA 4 lift the bound from 24,406 to 24,439 (the plan's gap from
    /// 1.98% to 1.85%) in about 2.9 s instead of 0.7 s.
    #[arg(long, value_name = "N", default_value_t = planner::BoundConfig::default().makespan_refinements)]
    pub lp_makespan_refinements: u32,
    /// The optimising planner's search.
    #[command(flatten)]
    pub search: SearchArgs,
}

/// The optimising planner's search, as `drawdown plan` and `drawdown track replan` take it.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// How many planning runs to make (the best plan is kept; 1 = the first policy
    /// alone). Beyond the fixed list of policies, rounds of 8 (see `--seed`): 4 splices,
    /// each keeping the best plan's movements before a random day and planning the rest
    /// again from that day under a random policy of the list, and 4 random neighbours of
    /// the best policy's settings. The best plan's fleets are then routed again; with an
    /// effort above 1 on scenarios of at most 150 sites, the next 3 best plans' too, and
    /// when a policy alone made the cheapest routed plan, 3 to 7 variants of it that cap
    /// the containers its camps drive where they also fly some, so that the rest wait for
    /// aircraft, and then up to 2 with caps halfway between the best and its neighbours,
    /// each routed again. Runs in parallel; the result does not depend on the
    /// thread count. Every policy's plan goes through the checker: one it
    /// rejects (a planner bug) is reported on stderr and in `meta.policies` (`rejected`),
    /// and the best plan it accepts is kept.
    #[arg(long, value_name = "N", default_value_t = planner::OptimizeConfig::default().effort)]
    pub effort: usize,
    /// Seed of the splices and random neighbours tried when `--effort` exceeds the fixed
    /// list: the same seed and effort give the same plan.
    #[arg(long, value_name = "N", default_value_t = planner::OptimizeConfig::default().seed)]
    pub seed: u64,
    /// Start no new round of splices and neighbours after this many seconds. The plan
    /// then depends on the machine's speed; `meta.policies` in the JSON output lists what
    /// was tried.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
}

impl SearchArgs {
    /// The planner's settings.
    pub fn config(&self) -> planner::OptimizeConfig {
        planner::OptimizeConfig {
            effort: self.effort,
            seed: self.seed,
            time_limit: self.time_limit.map(std::time::Duration::from_secs_f64),
        }
    }
}

/// `drawdown verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Plan file (plan.json).
    pub plan: PathBuf,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Load a scenario, printing diagnostics; `Err(code)` when it cannot be used.
pub(crate) fn load(path: &Path) -> Result<Loaded, ExitCode> {
    match scenario::load_file(path) {
        Ok(l) => {
            for w in &l.warnings {
                eprintln!("{w}");
            }
            Ok(l)
        }
        Err(LoadError::Invalid(diags)) => {
            for d in &diags {
                eprintln!("{d}");
            }
            let errors = diags
                .iter()
                .filter(|d| d.severity == scenario::Severity::Error)
                .count();
            eprintln!("{}: {errors} error(s)", path.display());
            Err(ExitCode::from(2))
        }
        Err(e @ LoadError::Io { .. }) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(2))
        }
    }
}

/// `drawdown check FILE...`.
pub fn check(a: &CheckArgs) -> anyhow::Result<ExitCode> {
    let mut bad = false;
    for f in &a.files {
        match load(f) {
            Ok(l) => {
                let s = &l.scenario;
                println!(
                    "{}: valid ({} sites, {} roads, {} fleets, {} aircraft types, {} periods of {} day(s); {} warning(s))",
                    f.display(),
                    s.sites.len(),
                    s.roads.len(),
                    s.fleets.len(),
                    s.aircraft.len(),
                    s.horizon.periods,
                    s.horizon.period_days,
                    l.warnings.len()
                );
            }
            Err(_) => bad = true,
        }
    }
    Ok(ExitCode::from(if bad { 2 } else { 0 }))
}

/// A progress bar that shows itself only once the work has taken more than a second.
struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: bool,
    quiet: bool,
}

impl Progress {
    fn new(quiet: bool, msg: &'static str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({eta} left)")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(msg);
        Progress {
            bar,
            start: Instant::now(),
            shown: false,
            quiet,
        }
    }

    fn update(&mut self, done: u64, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(done);
        if !self.shown && !self.quiet && self.start.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// `drawdown plan FILE`.
pub fn plan(a: &PlanArgs) -> anyhow::Result<ExitCode> {
    let loaded = match load(&a.file) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let s = &loaded.scenario;
    let progress = std::sync::Mutex::new(Progress::new(a.quiet, "planning"));
    let cfg = a.search.config();
    let bound_cfg = planner::BoundConfig {
        aggregate: a.lp_days.map(|d| d.div_ceil(s.horizon.period_days).max(1)),
        hard_window: a
            .lp_window_days
            .map(|d| d.div_ceil(s.horizon.period_days).max(1)),
        makespan_refinements: a.lp_makespan_refinements,
        ..planner::BoundConfig::default()
    };
    // The bound beside the planning where it needs nothing from the plan.
    let (result, bound) = planner::optimize_and_bound(
        s,
        &cfg,
        (!a.no_bound).then_some(&bound_cfg),
        &|d, t| progress.lock().expect("progress lock").update(d, t),
        &|p| scenario::check::accept(s, p),
    );
    progress.into_inner().expect("progress lock").finish();
    let (plan, policy, tried) = match result {
        Ok(o) => {
            warn_rejected(&o);
            let tried = tried_json(&o);
            (o.plan, o.policy, tried)
        }
        Err(e) => {
            eprintln!("error: no plan for {}: {e}", a.file.display());
            return Ok(ExitCode::from(1));
        }
    };
    let mut meta = BTreeMap::new();
    meta.insert(
        "planner".to_string(),
        serde_json::json!("greedy-missions/2"),
    );
    meta.insert("policy".to_string(), serde_json::json!(policy));
    meta.insert("policies".to_string(), serde_json::json!(tried));
    let bound = match bound {
        Some(Ok(b)) => Some(b),
        Some(Err(e)) => {
            eprintln!("warning: no lower bound: {e}");
            None
        }
        None => None,
    };
    if let Some(b) = &bound {
        let gap = gap(plan.totals.objective, b.objective);
        meta.insert(
            "bound".to_string(),
            serde_json::json!({
                "objective": scenario::planfile::round(b.objective, 3),
                "lp": scenario::planfile::round(b.flow, 3),
                "late_days": b.late_days,
                "makespan_days": b.makespan_days,
                "makespan_charged_days": b.makespan_charged_days,
                "lp_hard_deadlines": b.hard.as_ref().map(hard_json),
                "lp_late_deadlines": b.hard_late.as_ref().map(hard_json),
                "lp_later_deadlines": b.hard_later.as_ref().map(hard_json),
                "lp_windowed": b.windowed.iter().map(hard_json).collect::<Vec<_>>(),
                "makespan_paths_days": b.makespan_paths_days,
                "makespan_lp_days": b.completion.as_ref().map(|c| c.days),
                "makespan_lp_period_days": b.completion.as_ref().map(|c| c.aggregate * s.horizon.period_days),
                "lp_period_days": b.aggregate * s.horizon.period_days,
                "gap": scenario::planfile::round(gap, 6),
            }),
        );
    }
    let file = scenario::planfile::to_file(s, &plan, meta);
    // The planner is never trusted on its own word: the independent checker judges every
    // plan before it is written.
    let report = scenario::check::verify(s, &file);
    if !report.is_feasible() {
        for v in &report.violations {
            eprintln!("{v}");
        }
        eprintln!(
            "error: the plan for {} fails the checker ({} violation(s)); this is a planner bug, please report it",
            a.file.display(),
            report.violations.len()
        );
        return Ok(ExitCode::from(1));
    }
    scenario::planfile::write_dir(&a.out, s, &file)
        .with_context(|| format!("writing the plan to {}", a.out.display()))?;
    match a.format {
        Format::Json => print!("{}", scenario::planfile::to_json(&file)),
        Format::Table => {
            print!("{}", summary(s, &file));
            if let Some(b) = &bound {
                println!(
                    "lower bound {} (LP over {}-day periods, {} columns: exposure, cost, abandonment {}; late days >= {}; makespan >= {} days, {} charged: finishing sooner costs more than it saves), gap {:.1}%",
                    thousands(b.objective),
                    b.aggregate * s.horizon.period_days,
                    b.columns,
                    thousands(b.flow),
                    b.late_days,
                    b.makespan_days,
                    b.makespan_charged_days,
                    100.0 * gap(file.totals.objective, b.objective)
                );
                for h in [&b.hard, &b.hard_late, &b.hard_later].into_iter().flatten() {
                    println!("{}", hard_line(h));
                }
                for h in &b.windowed {
                    println!("{}", windowed_line(h));
                }
                println!("{}", completion_line(s, b));
            }
            println!(
                "\nWrote {0}/plan.json, {0}/convoys.csv, {0}/flights.csv, {0}/sites.csv (checked: feasible).",
                a.out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What the hard-deadline LP proved, in one line.
fn hard_line(h: &planner::Hard) -> String {
    let flow = h.flow.map_or("infeasible".to_string(), thousands);
    let deadlines = match h.late_days {
        0 => "hard deadlines".to_string(),
        1 => "deadlines 1 day later".to_string(),
        d => format!("deadlines {d} days later"),
    };
    let priced = h.by_makespan.as_ref().map_or(String::new(), |by| {
        // The refinements are slow, so off by default; say how to ask for them.
        let stronger = match by.refinements {
            0 => "; --lp-makespan-refinements N may prove more, more slowly",
            _ => "",
        };
        format!(
            "; with the makespan priced in {} (finishing on day {} or later; {} more solves, {} over daily periods{stronger})",
            thousands(by.objective),
            by.days,
            by.solves,
            by.refinements
        )
    });
    let periods = if h.at_deadlines_only {
        "periods cut at the deadlines"
    } else {
        "aligned periods"
    };
    format!(
        "plans late by at most {} site-days in all: LP with {deadlines} {} ({} {periods}, {} columns, {:.2} s){priced}",
        h.slack_days, flow, h.periods, h.columns, h.seconds
    )
}

/// What a windowed LP proved, in one line.
fn windowed_line(h: &planner::Hard) -> String {
    let flow = h.flow.map_or("infeasible".to_string(), thousands);
    let until = match h.late_days {
        0 => "their deadlines".to_string(),
        1 => "1 day after their deadlines".to_string(),
        d => format!("{d} days after their deadlines"),
    };
    format!(
        "plans late by at most {} site-days in all: LP with the camps' airfields at work until {until} {} (the free LP's periods, {} columns, {:.2} s)",
        h.slack_days, flow, h.columns, h.seconds
    )
}

/// A hard-deadline LP in `plan.json`'s `meta.bound`.
fn hard_json(h: &planner::Hard) -> serde_json::Value {
    serde_json::json!({
        "lp": h.flow.map(|f| scenario::planfile::round(f, 3)),
        "late_days": h.late_days,
        "slack_days": h.slack_days,
        "periods": h.periods,
        "periods_at_deadlines_only": h.at_deadlines_only,
        "with_makespan": h.by_makespan.as_ref().map(|by| serde_json::json!({
            "objective": scenario::planfile::round(by.objective, 3),
            "makespan_days": by.days,
            "solves": by.solves,
            "refinements": by.refinements,
        })),
    })
}

/// How the makespan bound was obtained, in one line.
fn completion_line(s: &Scenario, b: &planner::Bound) -> String {
    let paths = format!("shortest routes to an exit {} days", b.makespan_paths_days);
    match &b.completion {
        Some(c) => format!(
            "earliest completion >= {} days (completion LP over {}-day periods, {} solves in {:.2} s: {} days; {paths})",
            b.makespan_days,
            c.aggregate * s.horizon.period_days,
            c.solves,
            c.seconds,
            c.days
        ),
        None => format!(
            "earliest completion >= {} days ({paths}; completion LP skipped)",
            b.makespan_days
        ),
    }
}

/// The per-site table and totals of a plan file.
fn summary(s: &Scenario, f: &scenario::planfile::PlanFile) -> String {
    let mut t = Table::new(&[
        "site", "name", "kind", "deadline", "closure", "slack", "late",
    ]);
    let mut late_sites = 0;
    for row in &f.sites {
        let site = s.site(
            s.site_by_id(&row.site)
                .expect("plan sites come from the scenario"),
        );
        let slack = match (&row.close_by, &row.closure) {
            (Some(d), Some(c)) => days(c, d).map_or(String::new(), |x| x.to_string()),
            _ => String::new(),
        };
        if row.late_days > 0 {
            late_sites += 1;
        }
        t.row(vec![
            row.site.clone(),
            site.name.clone(),
            format!("{:?}", site.kind).to_lowercase(),
            row.close_by.clone().unwrap_or_else(|| "-".into()),
            row.closure.clone().unwrap_or_else(|| "-".into()),
            slack,
            if row.late_days > 0 {
                row.late_days.to_string()
            } else {
                String::new()
            },
        ]);
    }
    let tot = &f.totals;
    let abandoned_teu: u32 = f.abandoned.iter().map(|a| a.teu).sum();
    let abandoned_veh: u32 = f.abandoned.iter().map(|a| a.vehicles).sum();
    let mut out = format!(
        "Plan for {} ({} to the end of {})\n\n",
        f.scenario,
        f.start,
        s.horizon.date(s.horizon.last())
    );
    out.push_str(&t.render());
    out.push_str(&format!(
        "\n{} convoy legs, {} sorties, {} unit-km, {} flight hours\n\
         exposure {} hazard-weighted vehicle-km, cost {}\n\
         {} of {} sites late ({} site-days), everything out after {} days\n\
         abandoned: {} TEU, {} vehicles\n\
         objective {}\n",
        tot.convoys,
        tot.sorties,
        thousands(tot.unit_km),
        thousands(tot.flight_hours),
        thousands(tot.exposure),
        thousands(tot.cost),
        late_sites,
        f.sites.len(),
        tot.late_days,
        tot.makespan_days,
        abandoned_teu,
        abandoned_veh,
        thousands(tot.objective),
    ));
    out
}

/// Relative gap between a plan's objective and a lower bound on it.
fn gap(objective: f64, bound: f64) -> f64 {
    if objective.abs() < 1e-9 {
        0.0
    } else {
        ((objective - bound) / objective.abs()).max(0.0)
    }
}

fn days(a: &str, b: &str) -> Option<i64> {
    let a: jiff::civil::Date = a.parse().ok()?;
    let b: jiff::civil::Date = b.parse().ok()?;
    Some(a.until(b).ok()?.get_days().into())
}

/// `drawdown verify SCENARIO PLAN`.
pub fn verify(a: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let loaded = match load(&a.scenario) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let file = match scenario::check::read_plan(&a.plan) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let report = scenario::check::verify(&loaded.scenario, &file);
    match a.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).expect("json")
        ),
        Format::Table => {
            for v in &report.violations {
                println!("{v}");
            }
            if report.is_feasible() {
                println!("{}: feasible", a.plan.display());
            } else {
                println!(
                    "{}: {} violation(s)",
                    a.plan.display(),
                    report.violations.len()
                );
            }
        }
    }
    Ok(ExitCode::from(if report.is_feasible() { 0 } else { 1 }))
}

/// The optimising planner as every command runs it (`plan`, `explain`, `report`,
/// `simulate`, `track`), so that they all show the same plan: every policy's plan goes
/// through the independent checker, a plan it rejects (a planner bug) is reported on
/// stderr and not kept, and the best plan it accepts wins.
pub fn optimize(
    s: &Scenario,
    cfg: &planner::OptimizeConfig,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<planner::Optimized, planner::PlanError> {
    let best = planner::optimize_checked(s, cfg, progress, &|p| scenario::check::accept(s, p))?;
    warn_rejected(&best);
    Ok(best)
}

/// Say on stderr which policies made plans that the check rejected (planner bugs).
pub fn warn_rejected(o: &planner::Optimized) {
    for (name, why) in &o.rejected {
        eprintln!(
            "warning: the policy \"{name}\" made a plan that fails the checker, so it was not kept; this is a planner bug, please report it: {why}"
        );
    }
}

/// Every run of the search, for `meta.policies`: its policy, its objective, and why the
/// check rejected its plan where it did.
pub fn tried_json(o: &planner::Optimized) -> Vec<serde_json::Value> {
    o.objectives
        .iter()
        .map(|(name, obj)| {
            let why = o.rejected.iter().find(|(n, _)| n == name).map(|(_, w)| w);
            let mut v = serde_json::json!({
                "policy": name,
                "objective": obj.map(|x| scenario::planfile::round(x, 3)),
            });
            if let Some(why) = why {
                v["rejected"] = serde_json::json!(why);
            }
            v
        })
        .collect()
}
