//! `drawdown simulate`: Monte Carlo of the plan under the scenario's hazards.
//!
//! Glue only: `--set` edits the scenario's TOML text (so the edited file is validated with
//! the same rules and codes), the plan comes from the planner or from `--plan`, the `sim`
//! crate runs the campaigns, and this module prints the table and writes
//! `simulation.json`, `sites.csv`, `fan.csv` and `causes.csv`. `--compare A B` prints the
//! change in on-time probability per site between two results (files) or two `--set` sets.

use crate::table::{Table, thousands};
use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use model::{Period, Plan, Scenario};
use scenario::LoadError;
use scenario::planfile::round;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Format tag of `simulation.json`.
const FORMAT: &str = "drawdown-simulation/1";

/// The recovery policy on the command line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Hold and retry: late movements wait and try again the next day.
    #[default]
    Hold,
    /// Hold and retry, and re-plan the remaining work with the planner when a site falls
    /// `--replan-after` days behind.
    Replan,
}

/// `drawdown simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Scenario file (TOML); not needed when `--compare` names two result files.
    pub file: Option<PathBuf>,
    /// Number of campaigns (Monte Carlo runs).
    #[arg(long, default_value_t = 1000)]
    pub runs: u64,
    /// Master seed: the same seed gives the same result on any number of threads.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Recovery policy.
    #[arg(long, value_enum, default_value_t)]
    pub policy: PolicyArg,
    /// Days a movement may be late before the replan policy re-plans.
    #[arg(long, default_value_t = 7)]
    pub replan_after: u32,
    /// Re-plans allowed per campaign.
    #[arg(long, default_value_t = 3)]
    pub max_replans: u32,
    /// Simulate this plan file instead of a fresh plan (it must pass the checker).
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// Change the scenario before loading, e.g. `--set aircraft.c130.sorties_per_day=1`,
    /// `--set site.kidal.close_by=2023-12-01`, `--set hazards.flight_grant=0.5` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Compare two results: each a `simulation.json` file or a `;`-separated set of
    /// `KEY=VALUE` changes (`-` for none), applied on top of FILE and `--set`.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub compare: Option<Vec<String>>,
    /// Directory for simulation.json, sites.csv, fan.csv and causes.csv.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores); the result does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `drawdown simulate`.
pub fn simulate(a: &SimulateArgs) -> anyhow::Result<ExitCode> {
    if a.runs == 0 {
        eprintln!("error: --runs must be at least 1");
        return Ok(ExitCode::from(2));
    }
    let pool = {
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(n) = a.threads {
            b = b.num_threads(n.max(1));
        }
        b.build().context("starting the worker threads")?
    };
    pool.install(|| match &a.compare {
        Some(pair) => compare(a, &pair[0], &pair[1]),
        None => single(a),
    })
}

/// One simulation: table, and files with `--out`.
fn single(a: &SimulateArgs) -> anyhow::Result<ExitCode> {
    let Some(file) = &a.file else {
        eprintln!("error: give a scenario file (or --compare with two result files)");
        return Ok(ExitCode::from(2));
    };
    let run = match Run::prepare(a, file, &a.sets) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let sum = match run.simulate(a) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let s = &run.scenario;
    print!("{}", report(s, &sum, &run.plan_source, &run.sets));
    if let Some(dir) = &a.out {
        write_results(dir, s, &sum, &run)?;
        println!(
            "\nWrote {0}/simulation.json, {0}/sites.csv, {0}/fan.csv, {0}/causes.csv.",
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A scenario with its `--set` changes, and the plan to simulate.
struct Run {
    scenario: Scenario,
    plan: Plan,
    plan_source: String,
    sets: Vec<String>,
}

impl Run {
    /// Load `file` with `sets` applied, and plan it (or read `--plan`).
    fn prepare(a: &SimulateArgs, file: &Path, sets: &[String]) -> Result<Run, ExitCode> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            eprintln!("error: cannot read {}: {e}", file.display());
            ExitCode::from(2)
        })?;
        let text = apply_sets(&text, sets).map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })?;
        let name = if sets.is_empty() {
            file.display().to_string()
        } else {
            format!("{} (with --set)", file.display())
        };
        let scenario = match scenario::load_str(&name, &text) {
            Ok(l) => {
                for w in &l.warnings {
                    eprintln!("{w}");
                }
                l.scenario
            }
            Err(LoadError::Invalid(diags)) => {
                for d in &diags {
                    eprintln!("{d}");
                }
                eprintln!("{name}: {} problem(s)", diags.len());
                return Err(ExitCode::from(2));
            }
            Err(e) => {
                eprintln!("error: {e}");
                return Err(ExitCode::from(2));
            }
        };
        let (plan, plan_source) = match &a.plan {
            Some(path) => (read_plan(&scenario, path)?, path.display().to_string()),
            None => {
                let bar = progress(a.quiet, "planning");
                // The same planner as `drawdown plan`.
                let plan = crate::cmd::optimize(
                    &scenario,
                    &planner::OptimizeConfig::default(),
                    &|d, t| bar.update(d, t),
                )
                .map(|o| o.plan);
                bar.finish();
                match plan {
                    Ok(p) => (p, "the planner".to_string()),
                    Err(e) => {
                        eprintln!("error: no plan for {name}: {e}");
                        return Err(ExitCode::from(1));
                    }
                }
            }
        };
        Ok(Run {
            scenario,
            plan,
            plan_source,
            sets: sets.to_vec(),
        })
    }

    fn simulate(&self, a: &SimulateArgs) -> Result<sim::Summary, ExitCode> {
        let cfg = sim::Config {
            runs: a.runs,
            seed: a.seed,
            policy: match a.policy {
                PolicyArg::Hold => sim::Policy::Hold,
                PolicyArg::Replan => sim::Policy::Replan {
                    after_days: a
                        .replan_after
                        .div_ceil(self.scenario.horizon.period_days)
                        .max(1),
                    max_replans: a.max_replans,
                },
            },
        };
        let bar = progress(a.quiet, "simulating");
        let result = sim::simulate(&self.scenario, &self.plan, &cfg, &|d, t| bar.update(d, t));
        bar.finish();
        result.map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(1)
        })
    }
}

/// A progress bar that shows itself only once the work has taken more than a second;
/// safe to update from the worker threads.
struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: AtomicBool,
    quiet: bool,
}

fn progress(quiet: bool, msg: &'static str) -> Progress {
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
        shown: AtomicBool::new(false),
        quiet,
    }
}

impl Progress {
    fn update(&self, done: u64, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(done);
        if !self.quiet
            && self.start.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(self) {
        self.bar.finish_and_clear();
    }
}

// ---------------------------------------------------------------------------------------
// --set: edits of the TOML text.
// ---------------------------------------------------------------------------------------

/// Apply `KEY=VALUE` changes to scenario text, keeping its layout and comments.
///
/// A key is a dotted path: `table.key` for a plain table (`hazards.flight_grant`,
/// `horizon.end`) and `table.ID.key` for an array of tables, where ID is the entry's `id`
/// (a road without one is `FROM-TO`): `aircraft.c130.sorties_per_day`,
/// `site.kidal.close_by`, `fleet.trucks-gao.count`, `hazards.road.north-and-east.incident`.
/// Paths go on into inline tables (`site.gao.airfield.slots_per_day`). A VALUE is TOML
/// (`1`, `0.5`, `2023-12-01`, `"text"`, `["a", "b"]`); a bare word is taken as a string.
/// A missing key or plain table is added.
pub fn apply_sets(text: &str, sets: &[String]) -> Result<String, String> {
    if sets.is_empty() {
        return Ok(text.to_string());
    }
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| format!("the scenario is not valid TOML, so --set cannot edit it: {e}"))?;
    for set in sets {
        let (path, raw) = set
            .split_once('=')
            .ok_or_else(|| format!("--set {set}: write KEY=VALUE"))?;
        let path: Vec<&str> = path.trim().split('.').collect();
        if path.iter().any(|p| p.is_empty()) {
            return Err(format!("--set {set}: the key has an empty part"));
        }
        let raw = raw.trim();
        let value: toml_edit::Value = raw.parse().unwrap_or_else(|_| toml_edit::Value::from(raw));
        set_path(doc.as_item_mut(), &path, value).map_err(|e| format!("--set {set}: {e}"))?;
    }
    Ok(doc.to_string())
}

/// Set `path` under the table-like `item` to `value`, adding missing keys and plain
/// tables.
fn set_path(
    item: &mut toml_edit::Item,
    path: &[&str],
    value: toml_edit::Value,
) -> Result<(), String> {
    let (first, rest) = path
        .split_first()
        .ok_or("the key names a table, not a value")?;
    let inline = item.as_inline_table().is_some();
    let table = item
        .as_table_like_mut()
        .ok_or_else(|| format!("`{first}` is under a value, not a table"))?;
    if rest.is_empty() {
        match table.get_mut(first) {
            Some(old) if old.is_value() => {
                let mut value = value;
                // Keep the comment that followed the old value.
                let decor = old.as_value().expect("a value").decor().clone();
                *value.decor_mut() = decor;
                *old = toml_edit::Item::Value(value);
            }
            Some(_) => return Err(format!("`{first}` is a table; name one of its keys")),
            None => {
                table.insert(first, toml_edit::value(value));
                if inline {
                    // A key added to `{ ... }` takes the table's spacing.
                    table.fmt();
                }
            }
        }
        return Ok(());
    }
    if table.get(first).is_none() {
        let mut t = toml_edit::Table::new();
        t.set_implicit(true);
        table.insert(first, toml_edit::Item::Table(t));
    }
    let next = table.get_mut(first).expect("present or just inserted");
    match next.as_array_of_tables_mut() {
        Some(aot) => set_in_entry(first, aot, rest, value),
        None => set_path(next, rest, value),
    }
}

/// Set `path` (an entry's id, then a key path) in the array of tables `name`.
fn set_in_entry(
    name: &str,
    aot: &mut toml_edit::ArrayOfTables,
    path: &[&str],
    value: toml_edit::Value,
) -> Result<(), String> {
    // Ids may contain dots, so try the longest id first.
    for take in (1..path.len()).rev() {
        let id = path[..take].join(".");
        if let Some(entry) = aot.iter_mut().find(|t| entry_id(t).as_deref() == Some(&id)) {
            let mut item = toml_edit::Item::Table(std::mem::take(entry));
            let result = set_path(&mut item, &path[take..], value);
            *entry = item.into_table().expect("a table stays a table");
            return result;
        }
    }
    let ids: Vec<String> = aot.iter().filter_map(entry_id).collect();
    Err(format!(
        "no [[{name}]] has the id `{}`; its ids: {}",
        path[0],
        ids.join(", ")
    ))
}

/// The id of an array-of-tables entry: its `id`, or `FROM-TO` (roads).
fn entry_id(t: &toml_edit::Table) -> Option<String> {
    if let Some(id) = t.get("id").and_then(|v| v.as_str()) {
        return Some(id.to_string());
    }
    let from = t.get("from")?.as_str()?;
    let to = t.get("to")?.as_str()?;
    Some(format!("{from}-{to}"))
}

// ---------------------------------------------------------------------------------------
// --plan: a plan file, checked and resolved.
// ---------------------------------------------------------------------------------------

/// Read and check a plan file, and resolve it against the scenario.
fn read_plan(s: &Scenario, path: &Path) -> Result<Plan, ExitCode> {
    let file = scenario::check::read_plan(path).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let report = scenario::check::verify(s, &file);
    // Claimed figures (V031, V070) may differ after --set changes a deadline or a weight;
    // only the movements' feasibility matters to the simulation.
    let broken: Vec<_> = report
        .violations
        .iter()
        .filter(|v| !matches!(v.code, "V031" | "V070"))
        .collect();
    if !broken.is_empty() {
        for v in &broken {
            eprintln!("{v}");
        }
        eprintln!(
            "error: {} fails the checker ({} violation(s)); simulate only feasible plans",
            path.display(),
            broken.len()
        );
        return Err(ExitCode::from(1));
    }
    plan_from_file(s, &file).map_err(|e| {
        eprintln!("error: {}: {e}", path.display());
        ExitCode::from(2)
    })
}

/// The model form of a checked plan file, with its totals.
fn plan_from_file(s: &Scenario, f: &scenario::planfile::PlanFile) -> Result<Plan, String> {
    let mut plan = scenario::planfile::to_plan(s, f)?;
    planner::summarize(s, &mut plan);
    Ok(plan)
}

// ---------------------------------------------------------------------------------------
// Reports: the table on stdout, simulation.json and the CSV files.
// ---------------------------------------------------------------------------------------

fn date(s: &Scenario, p: Option<Period>) -> String {
    p.map_or_else(
        || "not closed".to_string(),
        |p| s.horizon.date(p).to_string(),
    )
}

fn pm(e: sim::Estimate, d: usize) -> String {
    format!("{:.d$} ± {:.d$}", e.mean, e.se)
}

fn policy_text(p: &sim::Policy) -> String {
    match p {
        sim::Policy::Hold => "hold and retry".to_string(),
        sim::Policy::Replan {
            after_days,
            max_replans,
        } => format!("re-plan after {after_days} periods late (at most {max_replans} times)"),
    }
}

/// The table printed on stdout.
fn report(s: &Scenario, sum: &sim::Summary, plan_source: &str, sets: &[String]) -> String {
    let mut out = format!(
        "Simulation of {}: {} campaigns, seed {}, policy {}, plan from {}\n",
        s.name,
        sum.runs,
        sum.seed,
        policy_text(&sum.policy),
        plan_source
    );
    for set in sets {
        out.push_str(&format!("  --set {set}\n"));
    }
    out.push('\n');
    let mut t = Table::new(&[
        "site",
        "deadline",
        "planned",
        "P10",
        "P50",
        "P90",
        "on time",
        "late days",
        "top cause",
    ]);
    for x in &sum.sites {
        t.row(vec![
            s.site(x.site).id.clone(),
            x.close_by.map_or("-".to_string(), |d| date(s, Some(d))),
            date(s, x.planned),
            date(s, x.closure[0]),
            date(s, x.closure[1]),
            date(s, x.closure[2]),
            pm(x.on_time, 3),
            format!("{:.1}", x.late_days.mean),
            x.top_cause.as_ref().map_or(String::new(), |(c, share)| {
                format!("{c} ({:.0}%)", 100.0 * share)
            }),
        ]);
    }
    out.push_str(&t.render());
    let l = &sum.left;
    out.push_str(&format!(
        "\nLeft behind at the deadline {} (still at a base or hub, destroyed or abandoned; \
         mean ± SE, P90): personnel {} ({}), TEU {} ({}), vehicles {} ({})\n  of which \
         destroyed: {:.1} TEU, {:.1} vehicles; abandoned: {:.1} TEU, {:.1} vehicles\n",
        date(s, Some(l.deadline)),
        pm(l.people.0, 1),
        l.people.1,
        pm(l.teu.0, 1),
        l.teu.1,
        pm(l.vehicles.0, 1),
        l.vehicles.1,
        l.teu_destroyed.mean,
        l.vehicles_destroyed.mean,
        l.teu_abandoned.mean,
        l.vehicles_abandoned.mean,
    ));
    let e = &sum.events;
    out.push_str(&format!(
        "Per campaign: incidents {}, personnel in hit convoys {}, expected casualties {} \
         (exposure {:.2}), units destroyed {}, breakdowns {}, refused requests {}, \
         cancelled movements {}, re-plans {} (and {} to take in released stock)\n",
        pm(e.incidents, 2),
        pm(e.persons_hit, 1),
        pm(e.casualties, 2),
        e.casualty_exposure.mean,
        pm(e.units_destroyed, 2),
        pm(e.breakdowns, 1),
        pm(e.refusals, 1),
        pm(e.cancelled, 2),
        pm(e.replans, 2),
        pm(e.releases, 2),
    ));
    if !sum.causes.is_empty() {
        out.push_str("\nHazards that most often made a site late (site-campaigns):\n");
        let mut t = Table::new(&["cause", "late", "share"]);
        for c in sum.causes.iter().take(8) {
            t.row(vec![
                c.cause.clone(),
                c.late.to_string(),
                format!("{:.1}%", 100.0 * c.share),
            ]);
        }
        out.push_str(&t.render());
    }
    out.push_str("\nOut through the exits, weekly (P10 / P50 / P90, and the plan):\n");
    let mut t = Table::new(&["date", "personnel", "plan", "TEU", "plan"]);
    let step = (7 / s.horizon.period_days).max(1) as usize;
    // Rows after the curves have stopped moving say nothing new.
    let key = |r: &sim::FanRow| (r.people, r.teu, r.planned_people, r.planned_teu);
    let last = sum
        .fan
        .windows(2)
        .rposition(|w| key(&w[0]) != key(&w[1]))
        .map_or(0, |i| i + 1);
    for (i, row) in sum.fan.iter().enumerate().step_by(step) {
        t.row(vec![
            date(s, Some(row.period)),
            format!("{} / {} / {}", row.people[0], row.people[1], row.people[2]),
            thousands(f64::from(row.planned_people)),
            format!("{} / {} / {}", row.teu[0], row.teu[1], row.teu[2]),
            thousands(f64::from(row.planned_teu)),
        ]);
        if i >= last {
            break;
        }
    }
    out.push_str(&t.render());
    out
}

fn est(e: sim::Estimate) -> Value {
    json!({ "mean": round(e.mean, 4), "se": round(e.se, 4) })
}

/// `simulation.json`.
fn to_json(s: &Scenario, sum: &sim::Summary, run: &Run) -> Value {
    let d = |p: Option<Period>| p.map(|p| s.horizon.date(p).to_string());
    let policy = match sum.policy {
        sim::Policy::Hold => json!({ "name": "hold" }),
        sim::Policy::Replan {
            after_days,
            max_replans,
        } => json!({ "name": "replan", "after_periods": after_days, "max_replans": max_replans }),
    };
    let sites: Vec<Value> = sum
        .sites
        .iter()
        .map(|x| {
            json!({
                "site": s.site(x.site).id,
                "close_by": d(x.close_by),
                "planned": d(x.planned),
                "closure_p10": d(x.closure[0]),
                "closure_p50": d(x.closure[1]),
                "closure_p90": d(x.closure[2]),
                "on_time": round(x.on_time.mean, 4),
                "on_time_se": round(x.on_time.se, 4),
                "late_days": est(x.late_days),
                "not_closed": round(x.not_closed.mean, 4),
                "held_at_deadline": est(x.held_at_deadline),
                "top_cause": x.top_cause.as_ref().map(|(c, share)| json!({ "cause": c, "share": round(*share, 4) })),
            })
        })
        .collect();
    let fan: Vec<Value> = sum
        .fan
        .iter()
        .map(|r| {
            json!({
                "date": s.horizon.date(r.period).to_string(),
                "personnel": r.people,
                "personnel_plan": r.planned_people,
                "teu": r.teu,
                "teu_plan": r.planned_teu,
            })
        })
        .collect();
    let l = &sum.left;
    let e = &sum.events;
    json!({
        "format": FORMAT,
        "scenario": s.name,
        "start": s.horizon.start.to_string(),
        "period_days": s.horizon.period_days,
        "runs": sum.runs,
        "seed": sum.seed,
        "policy": policy,
        "plan": run.plan_source,
        "set": run.sets,
        "totals": { "personnel": sum.totals[0], "teu": sum.totals[1], "vehicles": sum.totals[2] },
        "sites": sites,
        "left_behind_at_deadline": {
            "deadline": d(Some(l.deadline)),
            "personnel": est(l.people.0), "personnel_p90": l.people.1,
            "teu": est(l.teu.0), "teu_p90": l.teu.1,
            "vehicles": est(l.vehicles.0), "vehicles_p90": l.vehicles.1,
            "teu_destroyed": est(l.teu_destroyed), "vehicles_destroyed": est(l.vehicles_destroyed),
            "teu_abandoned": est(l.teu_abandoned), "vehicles_abandoned": est(l.vehicles_abandoned),
        },
        "events": {
            "incidents": est(e.incidents), "persons_hit": est(e.persons_hit),
            "casualties": est(e.casualties), "casualty_exposure": est(e.casualty_exposure),
            "units_destroyed": est(e.units_destroyed), "breakdowns": est(e.breakdowns),
            "refusals": est(e.refusals), "cancelled": est(e.cancelled),
            "replans": est(e.replans), "releases": est(e.releases),
            "replan_failures": est(e.replan_failures),
        },
        "causes": sum.causes.iter().map(|c| json!({ "cause": c.cause, "late": c.late, "share": round(c.share, 4) })).collect::<Vec<_>>(),
        "fan": fan,
    })
}

fn write_results(dir: &Path, s: &Scenario, sum: &sim::Summary, run: &Run) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let write = |name: &str, text: String| -> anyhow::Result<()> {
        let path = dir.join(name);
        scenario::planfile::write_atomic(&path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))
    };
    let json = serde_json::to_string_pretty(&to_json(s, sum, run)).expect("json") + "\n";
    write("simulation.json", json)?;
    let opt = |p: Option<Period>| p.map_or(String::new(), |p| s.horizon.date(p).to_string());
    let mut sites = String::from(
        "site,close_by,planned,closure_p10,closure_p50,closure_p90,on_time,on_time_se,\
         late_days,late_days_se,not_closed,held_at_deadline,top_cause,top_cause_share\n",
    );
    for x in &sum.sites {
        let (cause, share) = x
            .top_cause
            .as_ref()
            .map_or((String::new(), String::new()), |(c, sh)| {
                (c.clone(), format!("{:.4}", sh))
            });
        sites.push_str(&format!(
            "{},{},{},{},{},{},{:.4},{:.4},{:.4},{:.4},{:.4},{:.4},{},{}\n",
            s.site(x.site).id,
            opt(x.close_by),
            opt(x.planned),
            x.closure[0].map_or("not closed".into(), |p| opt(Some(p))),
            x.closure[1].map_or("not closed".into(), |p| opt(Some(p))),
            x.closure[2].map_or("not closed".into(), |p| opt(Some(p))),
            x.on_time.mean,
            x.on_time.se,
            x.late_days.mean,
            x.late_days.se,
            x.not_closed.mean,
            x.held_at_deadline.mean,
            cause,
            share
        ));
    }
    write("sites.csv", sites)?;
    let mut fan = String::from(
        "date,personnel_p10,personnel_p50,personnel_p90,personnel_plan,teu_p10,teu_p50,teu_p90,teu_plan\n",
    );
    for r in &sum.fan {
        fan.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            s.horizon.date(r.period),
            r.people[0],
            r.people[1],
            r.people[2],
            r.planned_people,
            r.teu[0],
            r.teu[1],
            r.teu[2],
            r.planned_teu
        ));
    }
    write("fan.csv", fan)?;
    let mut causes = String::from("cause,late,share\n");
    for c in &sum.causes {
        causes.push_str(&format!("{},{},{:.4}\n", c.cause, c.late, c.share));
    }
    write("causes.csv", causes)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// --compare A B.
// ---------------------------------------------------------------------------------------

/// On-time probabilities per site of one side of a comparison.
struct Side {
    label: String,
    sites: Vec<(String, sim::Estimate)>,
}

/// Whether `arg` names a result file rather than a set of changes.
fn is_result_file(arg: &str) -> bool {
    arg.ends_with(".json") && Path::new(arg).is_file()
}

fn read_side(path: &str) -> Result<Side, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: not JSON: {e}"))?;
    if v["format"] != FORMAT {
        return Err(format!("{path}: not a {FORMAT} file"));
    }
    let sites = v["sites"]
        .as_array()
        .ok_or_else(|| format!("{path}: no sites"))?
        .iter()
        .map(|x| {
            let id = x["site"]
                .as_str()
                .ok_or_else(|| format!("{path}: a site has no id"))?;
            let mean = x["on_time"]
                .as_f64()
                .ok_or_else(|| format!("{path}: no on_time"))?;
            let se = x["on_time_se"].as_f64().unwrap_or(0.0);
            Ok((id.to_string(), sim::Estimate { mean, se }))
        })
        .collect::<Result<_, String>>()?;
    Ok(Side {
        label: path.to_string(),
        sites,
    })
}

/// `--compare A B`: per site, the change in on-time probability from A to B.
fn compare(a: &SimulateArgs, left: &str, right: &str) -> anyhow::Result<ExitCode> {
    let files = (is_result_file(left), is_result_file(right));
    let (rows, paired) = match files {
        (true, true) => {
            let (x, y) = match (read_side(left), read_side(right)) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(e), _) | (_, Err(e)) => {
                    eprintln!("error: {e}");
                    return Ok(ExitCode::from(2));
                }
            };
            let rows: Vec<_> = x
                .sites
                .iter()
                .filter_map(|(id, p)| {
                    let (_, q) = y.sites.iter().find(|(j, _)| j == id)?;
                    let diff = sim::Estimate {
                        mean: q.mean - p.mean,
                        se: p.se.hypot(q.se),
                    };
                    Some((id.clone(), *p, *q, diff))
                })
                .collect();
            println!("Comparing {} (A) with {} (B)\n", x.label, y.label);
            (rows, false)
        }
        (false, false) => {
            let Some(file) = &a.file else {
                eprintln!("error: comparing two sets of changes needs the scenario file");
                return Ok(ExitCode::from(2));
            };
            let split = |arg: &str| -> Vec<String> {
                arg.split(';')
                    .map(str::trim)
                    .filter(|x| !x.is_empty() && *x != "-")
                    .map(str::to_string)
                    .collect()
            };
            let mut sums = Vec::new();
            let mut scenario = None;
            for arg in [left, right] {
                let mut sets = a.sets.clone();
                sets.extend(split(arg));
                let run = match Run::prepare(a, file, &sets) {
                    Ok(r) => r,
                    Err(code) => return Ok(code),
                };
                match run.simulate(a) {
                    Ok(s) => sums.push(s),
                    Err(code) => return Ok(code),
                }
                scenario.get_or_insert(run.scenario);
            }
            let s = scenario.expect("two runs");
            let rows = sim::compare(&sums[0], &sums[1])
                .into_iter()
                .map(|d| (s.site(d.site).id.clone(), d.a, d.b, d.diff))
                .collect();
            println!(
                "Comparing A = [{left}] with B = [{right}] on {}: {} campaigns each, seed {} \
                 (common random numbers: the standard error is of the paired difference)\n",
                file.display(),
                a.runs,
                a.seed
            );
            (rows, true)
        }
        _ => {
            eprintln!(
                "error: --compare takes two result files (simulation.json) or two sets of changes, not one of each"
            );
            return Ok(ExitCode::from(2));
        }
    };
    let mut t = Table::new(&[
        "site",
        "on time A",
        "on time B",
        "B - A",
        "SE",
        "significant",
    ]);
    let mut csv = String::from("site,on_time_a,on_time_b,difference,se\n");
    for (id, p, q, d) in &rows {
        let sig = d.se > 0.0 && d.mean.abs() > 2.0 * d.se || d.se == 0.0 && d.mean != 0.0;
        t.row(vec![
            id.clone(),
            format!("{:.3}", p.mean),
            format!("{:.3}", q.mean),
            format!("{:+.3}", d.mean),
            format!("{:.3}", d.se),
            if sig { "yes".into() } else { String::new() },
        ]);
        csv.push_str(&format!(
            "{id},{:.4},{:.4},{:.4},{:.4}\n",
            p.mean, q.mean, d.mean, d.se
        ));
    }
    print!("{}", t.render());
    println!(
        "\n`significant`: the difference exceeds twice its standard error ({}).",
        if paired { "paired" } else { "independent runs" }
    );
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join("compare.csv");
        scenario::planfile::write_atomic(&path, csv.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        println!("Wrote {}.", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"# a scenario
[horizon]
start = 2023-07-01 # first day

[[site]]
id = "kidal"
close_by = 2023-12-15
airfield = { runway_m = 1900, paved = false }

[[road]]
from = "kidal"
to = "gao"
km = 352

[[aircraft]]
id = "c130"
sorties_per_day = 2 # positioning included
"#;

    /// Apply `sets` to `TEXT` and compare with the expected text or error.
    fn check(sets: &[&str], want: Result<&str, &str>) {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        match (apply_sets(TEXT, &sets), want) {
            (Ok(got), Ok(w)) => assert_eq!(got, w, "{sets:?}"),
            (Err(e), Err(w)) => assert!(e.contains(w), "{sets:?}: {e}"),
            (got, w) => panic!("{sets:?}: got {got:?}, want {w:?}"),
        }
    }

    #[test]
    fn sets_edit_the_text_in_place() {
        let replace = |a: &str, b: &str| TEXT.replacen(a, b, 1);
        check(&[], Ok(TEXT));
        check(
            &["aircraft.c130.sorties_per_day=1"],
            Ok(&replace("sorties_per_day = 2", "sorties_per_day = 1")),
        );
        check(
            &["site.kidal.close_by=2023-12-01"],
            Ok(&replace("close_by = 2023-12-15", "close_by = 2023-12-01")),
        );
        check(
            &["site.kidal.airfield.slots_per_day=4"],
            Ok(&replace(
                "paved = false }",
                "paved = false, slots_per_day = 4 }",
            )),
        );
        check(
            &["road.kidal-gao.km=400"],
            Ok(&replace("km = 352", "km = 400")),
        );
        check(
            &["hazards.flight_grant=0.5"],
            Ok(&(TEXT.to_string() + "\n[hazards]\nflight_grant = 0.5\n")),
        );
        check(
            &["site.kidal.kind=hub"],
            Ok(&replace(
                "paved = false }\n",
                "paved = false }\nkind = \"hub\"\n",
            )),
        );
        check(
            &["site.timbuktu.close_by=2023-12-01"],
            Err("no [[site]] has the id `timbuktu`"),
        );
        check(&["horizon"], Err("write KEY=VALUE"));
        check(&["horizon=1"], Err("is a table"));
    }

    #[test]
    fn a_plan_file_resolves_to_the_same_plan() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let text =
            std::fs::read_to_string(root.join("scenarios/examples/road-shuttle.toml")).unwrap();
        let s = scenario::load_str("road-shuttle.toml", &text)
            .unwrap()
            .scenario;
        let plan = planner::plan(&s, &planner::Config::default(), &mut |_, _| {}).unwrap();
        let file = scenario::planfile::to_file(&s, &plan, Default::default());
        let back = plan_from_file(&s, &file).unwrap();
        assert_eq!(back.convoys, plan.convoys);
        assert_eq!(back.flights, plan.flights);
        assert_eq!(back.sites, plan.sites);
    }
}
