//! `xtask measure --phase PHASE FILE`: one phase on one scenario, timed, in this process.
//!
//! It prints one JSON object on stdout with the phase's figures and the process's peak
//! resident memory, and progress on stderr. `bench` runs it in a child process per phase,
//! so the peak memory is that of the phase (plus loading the scenario), not of the whole
//! benchmark.

use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Phase {
    /// Load (parse, validate, lower), plan with the constructive planner, check the plan.
    Plan,
    /// Load, then the LP lower bound (`planner::bound`).
    Bound,
    /// Load, then the integer model handed to HiGHS's MIP solver with a time limit.
    Mip,
    /// Load, plan with the CCRP-like baseline (`planner::Config::ccrp`), check the plan.
    Ccrp,
    /// Load, then what `drawdown plan` does with its defaults: the optimising planner
    /// (every run's plan checked) with the bound solved alongside, then the checker on the
    /// plan kept.
    Drawdown,
}

/// `xtask measure`.
#[derive(Debug, Args)]
pub struct MeasureArgs {
    /// The phase.
    #[arg(long, value_enum)]
    pub phase: Phase,
    /// Time limit handed to the MIP solver, seconds.
    #[arg(long, default_value_t = 60.0)]
    pub mip_limit: f64,
    /// Bound phase: force the LP's period length in plan periods (`BoundConfig::aggregate`).
    #[arg(long)]
    pub lp_periods: Option<u32>,
    /// Bound phase: force pooling fleets across homes, or not.
    #[arg(long)]
    pub pooled: Option<bool>,
    /// Bound phase: skip the hard-deadline LP.
    #[arg(long)]
    pub no_hard: bool,
    /// Bound phase: the hard-deadline LP's column budget.
    #[arg(long)]
    pub hard_max_columns: Option<usize>,
    /// Bound phase: the hard-deadline LP's period length around the last deadlines.
    #[arg(long)]
    pub hard_window: Option<u32>,
    /// Bound phase: skip the completion LP.
    #[arg(long)]
    pub no_completion: bool,
    /// Bound phase: also split the free LP's optimum by objective term (one more solve).
    #[arg(long)]
    pub breakdown: bool,
    /// Scenario file.
    pub file: PathBuf,
}

/// Peak resident memory of this process so far, in KiB (`VmHWM`), if the kernel says.
pub fn peak_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat` (fields 14
/// and 15, in clock ticks of 1/100 s, the Linux value on every common platform). On a
/// shared machine this is the fairer figure: wall time grows with the other load.
fn own_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces; the fields after it are space-separated.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

fn own_peak_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .as_deref()
        .and_then(peak_kib)
}

/// Run one phase and print its figures as JSON.
pub fn run(a: &MeasureArgs) -> Result<(), String> {
    let text = std::fs::read_to_string(&a.file)
        .map_err(|e| format!("cannot read {}: {e}", a.file.display()))?;
    let name = a.file.display().to_string();
    let t = Instant::now();
    let loaded = scenario::load_str(&name, &text).map_err(|e| format!("{name}: {e}"))?;
    let build_s = t.elapsed().as_secs_f64();
    let s = &loaded.scenario;
    let mut out = json!({
        "phase": format!("{:?}", a.phase).to_lowercase(),
        "build_s": build_s,
        "sites": s.sites.len(),
        "roads": s.roads.len(),
        "fleets": s.fleets.len(),
        "units": s.fleets.iter().map(|f| u64::from(f.count)).sum::<u64>(),
        "periods": s.horizon.periods,
    });
    let fields = match a.phase {
        Phase::Plan => plan(s, &planner::Config::default()),
        Phase::Bound => bound(s, a),
        Phase::Mip => mip(s, a.mip_limit),
        Phase::Ccrp => plan(
            s,
            &planner::Config {
                routes: planner::Routes::Quickest,
                ccrp: true,
                ..planner::Config::default()
            },
        ),
        Phase::Drawdown => drawdown(s),
    };
    if let (Value::Object(o), Value::Object(f)) = (&mut out, fields) {
        o.extend(f);
        o.insert("peak_kib".into(), json!(own_peak_kib()));
        o.insert("cpu_s".into(), json!(own_cpu_s()));
    }
    println!("{out}");
    Ok(())
}

/// A constructive planner's policy and the checker, as `drawdown plan` runs them.
fn plan(s: &model::Scenario, cfg: &planner::Config) -> Value {
    let t = Instant::now();
    let mut last = Instant::now();
    let result = planner::plan(s, cfg, &mut |done, total| {
        // Long runs say how far they are, every half minute.
        if last.elapsed() > Duration::from_secs(30) {
            last = Instant::now();
            eprintln!(
                "    plan: {done}/{total} items moved after {:.0} s",
                t.elapsed().as_secs_f64()
            );
        }
    });
    let plan_s = t.elapsed().as_secs_f64();
    let plan = match result {
        Ok(p) => p,
        Err(e) => return json!({ "plan_s": plan_s, "error": e.to_string() }),
    };
    let t = Instant::now();
    let file = scenario::planfile::to_file(s, &plan, Default::default());
    let report = scenario::check::verify(s, &file);
    let check_s = t.elapsed().as_secs_f64();
    let tot = &file.totals;
    json!({
        "plan_s": plan_s,
        "check_s": check_s,
        "feasible": report.is_feasible(),
        "violations": report.violations.len(),
        "first_violation": report.violations.first().map(ToString::to_string),
        "objective": tot.objective,
        "late_days": tot.late_days,
        "makespan_days": tot.makespan_days,
        "convoys": tot.convoys,
        "sorties": tot.sorties,
    })
}

/// `drawdown plan FILE` with its defaults, as the CLI runs it
/// ([`planner::optimize_and_bound`]), without the files it writes; then the checker on
/// the plan kept. `total_s` is the whole command's time.
fn drawdown(s: &model::Scenario) -> Value {
    let t = Instant::now();
    let (result, bound) = planner::optimize_and_bound(
        s,
        &planner::OptimizeConfig::default(),
        Some(&planner::BoundConfig::default()),
        &|_, _| {},
        &|p| scenario::check::accept(s, p),
    );
    let best = match result {
        Ok(b) => b,
        Err(e) => {
            return json!({ "total_s": t.elapsed().as_secs_f64(), "error": e.to_string() });
        }
    };
    let total_s = t.elapsed().as_secs_f64();
    let file = scenario::planfile::to_file(s, &best.plan, Default::default());
    let report = scenario::check::verify(s, &file);
    let tot = &file.totals;
    let bound = bound.and_then(Result::ok).map(|b| b.objective);
    json!({
        "total_s": total_s,
        "feasible": report.is_feasible(),
        "violations": report.violations.len(),
        "objective": tot.objective,
        "bound": bound,
        "gap": bound.map(|b| ((tot.objective - b) / tot.objective.abs().max(1e-9)).max(0.0)),
        "late_days": tot.late_days,
        "makespan_days": tot.makespan_days,
        "runs": best.tried,
        "policy": best.policy,
    })
}

/// The LP lower bound, as `drawdown plan` computes it.
fn bound(s: &model::Scenario, a: &MeasureArgs) -> Value {
    let t = Instant::now();
    let cfg = planner::BoundConfig {
        aggregate: a.lp_periods,
        pooled: a.pooled,
        hard: !a.no_hard,
        hard_window: a.hard_window,
        hard_max_columns: a.hard_max_columns.unwrap_or(60_000),
        completion: !a.no_completion,
        ..planner::BoundConfig::default()
    };
    let result = planner::bound(s, &cfg);
    let bound_s = t.elapsed().as_secs_f64();
    let terms = a.breakdown.then(|| match planner::breakdown(s, &cfg) {
        Ok(v) => json!(
            v.terms
                .iter()
                .map(|(t, x)| (format!("{t:?}"), json!(x)))
                .collect::<serde_json::Map<String, Value>>()
        ),
        Err(e) => json!(e.to_string()),
    });
    match result {
        Ok(b) => json!({
            "bound_s": bound_s,
            "terms": terms,
            "bound": b.objective,
            "lp": b.flow,
            "aggregate": b.aggregate,
            "pooled": b.pooled,
            "columns": b.columns,
            "rows": b.rows,
            "lp_build_s": b.build_seconds,
            "lp_solve_s": b.solve_seconds,
            "late_days": b.late_days,
            "makespan_days": b.makespan_days,
            "makespan_charged_days": b.makespan_charged_days,
            "hard_lp": b.hard.as_ref().map(hard_json),
            "hard_lp_late": b.hard_late.as_ref().map(hard_json),
            "hard_lp_later": b.hard_later.as_ref().map(hard_json),
            "windowed_lps": b.windowed.iter().map(hard_json).collect::<Vec<_>>(),
            "completion": b.completion.as_ref().map(|c| json!({
                "days": c.days,
                "aggregate": c.aggregate,
                "solves": c.solves,
                "seconds": c.seconds,
            })),
        }),
        Err(e) => json!({ "bound_s": bound_s, "error": e.to_string() }),
    }
}

/// A hard-deadline LP's figures.
fn hard_json(h: &planner::Hard) -> Value {
    json!({
        "lp": h.flow,
        "late_days": h.late_days,
        "slack_days": h.slack_days,
        "periods": h.periods,
        "periods_at_deadlines_only": h.at_deadlines_only,
        "columns": h.columns,
        "seconds": h.seconds,
    })
}

/// The bound's time-expanded model with integer unit and sortie counts, handed to HiGHS's
/// MIP solver with a time limit (`planner::mip`; what the model is and is not: see there
/// and `docs/benchmarks.md`).
fn mip(s: &model::Scenario, limit_s: f64) -> Value {
    let t = Instant::now();
    let cfg = planner::MipConfig {
        time_limit_s: limit_s,
        ..Default::default()
    };
    match planner::mip(s, &cfg) {
        Ok(m) => json!({
            "mip_s": t.elapsed().as_secs_f64(),
            "mip_objective": m.objective,
            "mip_bound": m.dual_bound,
            "mip_status": m.status,
            "mip_aggregate": m.aggregate,
            "mip_pooled": m.pooled,
            "mip_columns": m.columns,
            "mip_rows": m.rows,
        }),
        Err(e) => json!({ "mip_s": t.elapsed().as_secs_f64(), "error": e.to_string() }),
    }
}

#[cfg(test)]
mod unit {
    #[test]
    fn reads_the_peak_from_proc_status() {
        let status = "Name:\txtask\nVmPeak:\t  20000 kB\nVmHWM:\t   12345 kB\nVmRSS:\t 100 kB\n";
        assert_eq!(super::peak_kib(status), Some(12345));
        assert_eq!(super::peak_kib("Name:\tx\n"), None);
    }
}
