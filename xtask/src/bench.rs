//! `xtask bench`: the scaling benchmark (issue 3).
//!
//! For each size: generate a scenario (written to `target/bench/`), run each phase in a
//! child process (`xtask measure`) under a time limit, and print a table row as soon as
//! the size is done; at the end, the whole table in Markdown (for `docs/benchmarks.md`),
//! how time grows with size, and the raw figures as JSON in `target/bench/`.

use crate::measure::peak_kib;
use clap::Args;
use serde_json::{Value, json};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `xtask bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Scenario sizes (bases and hubs), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10,30,100,300,1000")]
    pub sizes: Vec<usize>,
    /// Withdrawal days of every scenario (the horizon is about 1.3 times longer).
    #[arg(long, default_value_t = 180)]
    pub days: u32,
    /// Seed of the generated scenarios.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Phases to measure, comma-separated: plan (the default policy alone), drawdown
    /// (`drawdown plan` with its defaults: the optimising planner and the bound beside
    /// it), bound, mip, ccrp (the CCRP-like baseline).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "plan,drawdown,bound,mip,ccrp"
    )]
    pub phases: Vec<String>,
    /// Wall-clock limit of each phase of each size, seconds; a phase over it is stopped
    /// and reported as such. The MIP phase is stopped after at most twice `--mip-limit`
    /// plus 60 s, since HiGHS does not always honour its own limit.
    #[arg(long, default_value_t = 1800)]
    pub timeout: u64,
    /// Time limit handed to the MIP solver, seconds.
    #[arg(long, default_value_t = 60.0)]
    pub mip_limit: f64,
}

/// What became of one phase.
struct Outcome {
    /// The child's JSON, when it finished.
    figures: Option<Value>,
    /// Wall-clock seconds of the child.
    wall_s: f64,
    /// Peak memory in KiB: the child's own figure, or the last sample when stopped.
    peak_kib: Option<u64>,
    /// Why there are no figures.
    failure: Option<String>,
}

/// The directory for generated scenarios and results.
fn bench_dir() -> PathBuf {
    // The workspace root is the parent of this crate's directory.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.parent().unwrap_or(here);
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    target.join("bench")
}

/// Run `xtask measure` for one phase, with a time limit; sample the child's peak memory
/// while it runs so that a stopped child still has a figure.
fn measure(file: &Path, phase: &str, a: &BenchArgs) -> Result<Outcome, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let start = Instant::now();
    let mut child = Command::new(exe)
        .args(["measure", "--phase", phase, "--mip-limit"])
        .arg(a.mip_limit.to_string())
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the {phase} child: {e}"))?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut sampled = None;
    // HiGHS's MIP solver does not always stop at its own time limit (the static model of
    // 30 generated sites ran past 300 s with a 60 s limit), so the MIP child gets twice
    // its limit plus a minute, not the whole phase timeout.
    let limit_s = if phase == "mip" {
        a.timeout.min((2.0 * a.mip_limit.max(0.0)) as u64 + 60)
    } else {
        a.timeout
    };
    let limit = Duration::from_secs(limit_s);
    let status = loop {
        if let Some(st) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(st);
        }
        if let Some(kib) = std::fs::read_to_string(&status_path)
            .ok()
            .as_deref()
            .and_then(peak_kib)
        {
            sampled = Some(kib);
        }
        if start.elapsed() > limit {
            // The child is ours and runs only this phase: stop it and say so.
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let wall_s = start.elapsed().as_secs_f64();
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut stdout);
    }
    let Some(status) = status else {
        return Ok(Outcome {
            figures: None,
            wall_s,
            peak_kib: sampled,
            failure: Some(format!("stopped after {limit_s} s")),
        });
    };
    let figures: Option<Value> = stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok());
    let failure = match (&figures, status.success()) {
        (Some(_), true) => None,
        _ => Some(format!("exited with {status}")),
    };
    let peak = figures
        .as_ref()
        .and_then(|f| f["peak_kib"].as_u64())
        .or(sampled);
    Ok(Outcome {
        figures,
        wall_s,
        peak_kib: peak,
        failure,
    })
}

/// Seconds to three significant figures.
fn secs(x: Option<f64>) -> String {
    match x {
        None => "n/a".into(),
        Some(x) if x >= 100.0 => format!("{x:.0}"),
        Some(x) if x >= 10.0 => format!("{x:.1}"),
        Some(x) if x >= 1.0 => format!("{x:.2}"),
        Some(x) => format!("{x:.3}"),
    }
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".into(), |k| format!("{:.0}", k as f64 / 1024.0))
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".into(), |x| format!("{x:.0}"))
}

/// One line of the table for one size.
struct Row {
    sites: usize,
    days: u32,
    cells: Vec<String>,
    plan_s: Option<f64>,
    /// The whole `drawdown plan` command's time.
    drawdown_s: Option<f64>,
    json: Value,
}

const HEADER: [&str; 22] = [
    "sites",
    "days",
    "build s",
    "bound s",
    "bound LP",
    "plan s",
    "plan CPU s",
    "MIP s",
    "plan peak MiB",
    "bound peak MiB",
    "policy objective",
    "bound",
    "policy gap",
    "drawdown plan s",
    "drawdown plan peak MiB",
    "drawdown plan objective",
    "drawdown plan gap",
    "MIP objective",
    "MIP bound",
    "CCRP s",
    "CCRP objective",
    "checker (policy / drawdown plan)",
];

fn markdown_row(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

/// A phase's cell: the figure, or why there is none.
fn cell(o: Option<&Outcome>, key: &str, f: fn(Option<f64>) -> String) -> String {
    match o {
        None => "-".into(),
        Some(o) => match (&o.figures, &o.failure) {
            (Some(v), _) if v.get("pending").is_some() => "pending".into(),
            (Some(v), None) if v.get("error").is_none() => f(v[key].as_f64()),
            (Some(v), _) if v.get("error").is_some() => "error".into(),
            (_, Some(why)) if why.starts_with("stopped") => format!(">{}", secs(Some(o.wall_s))),
            _ => "failed".into(),
        },
    }
}

fn bench_one(n: usize, a: &BenchArgs, dir: &Path) -> Result<Row, String> {
    let params = generate::Params {
        sites: n,
        days: a.days,
        seed: a.seed,
    };
    let text = generate::generate(&params).map_err(|e| e.to_string())?;
    let file = dir.join(format!("generated-{n}-{}-{}.toml", a.days, a.seed));
    std::fs::write(&file, &text).map_err(|e| format!("writing {}: {e}", file.display()))?;
    let mut outcomes: Vec<(String, Outcome)> = Vec::new();
    for phase in ["plan", "drawdown", "bound", "mip", "ccrp"] {
        if a.phases.iter().any(|p| p == phase) {
            eprintln!("  {n} sites: {phase}...");
            let o = measure(&file, phase, a)?;
            if let Some(why) = &o.failure {
                eprintln!("  {n} sites: {phase} {why}");
            }
            outcomes.push((phase.to_string(), o));
        }
    }
    let get = |p: &str| outcomes.iter().find(|(q, _)| q == p).map(|(_, o)| o);
    let fig = |p: &str, k: &str| -> Option<f64> {
        get(p)
            .filter(|o| o.failure.is_none())
            .and_then(|o| o.figures.as_ref())
            .and_then(|v| v[k].as_f64())
    };
    let (plan, bnd) = (get("plan"), get("bound"));
    let objective = fig("plan", "objective");
    let bound = fig("bound", "bound");
    let gap = match (objective, bound) {
        (Some(o), Some(b)) if o.abs() > 1e-9 => Some(((o - b) / o.abs()).max(0.0)),
        _ => None,
    };
    // The checker's verdict on each plan made: the default policy's, then `drawdown plan`'s.
    let verdicts: Vec<String> = [plan, get("drawdown")]
        .into_iter()
        .flatten()
        .map(|o| match o.figures.as_ref() {
            None => "n/a".to_string(),
            Some(v) if v.get("error").is_some() => "no plan".to_string(),
            Some(v) if v["feasible"].as_bool() == Some(true) => "feasible".to_string(),
            Some(v) => format!("{} violation(s)", v["violations"]),
        })
        .collect();
    let verdict = if verdicts.is_empty() {
        "n/a".to_string()
    } else {
        verdicts.join(" / ")
    };
    let build = fig("plan", "build_s").or_else(|| fig("bound", "build_s"));
    // The free LP's periods: "static" for one period over the horizon, and whether fleets
    // were pooled across their homes.
    let lp = match bnd.and_then(|o| o.figures.as_ref()) {
        Some(v) if v.get("aggregate").is_some() => {
            let k = v["aggregate"].as_u64().unwrap_or(0);
            let periods = v["periods"].as_u64().unwrap_or(0);
            let len = if k >= periods {
                "static".to_string()
            } else {
                format!("{k}-period")
            };
            let pooled = if v["pooled"].as_bool() == Some(true) {
                ", pooled"
            } else {
                ""
            };
            format!("{len}{pooled}")
        }
        _ => "-".into(),
    };
    let cells = vec![
        n.to_string(),
        a.days.to_string(),
        secs(build),
        cell(bnd, "bound_s", secs),
        lp,
        cell(plan, "plan_s", secs),
        cell(plan, "cpu_s", secs),
        cell(get("mip"), "mip_s", secs),
        mib(plan.and_then(|o| o.peak_kib)),
        mib(bnd.and_then(|o| o.peak_kib)),
        cell(plan, "objective", num),
        cell(bnd, "bound", num),
        gap.map_or_else(|| "n/a".into(), |g| format!("{:.1}%", 100.0 * g)),
        cell(get("drawdown"), "total_s", secs),
        mib(get("drawdown").and_then(|o| o.peak_kib)),
        cell(get("drawdown"), "objective", num),
        cell(get("drawdown"), "gap", |g| {
            g.map_or_else(|| "n/a".into(), |g| format!("{:.1}%", 100.0 * g))
        }),
        cell(get("mip"), "mip_objective", num),
        cell(get("mip"), "mip_bound", num),
        cell(get("ccrp"), "plan_s", secs),
        cell(get("ccrp"), "objective", num),
        verdict,
    ];
    let json = json!({
        "sites": n,
        "days": a.days,
        "seed": a.seed,
        "scenario_bytes": text.len(),
        "phases": outcomes.iter().map(|(p, o)| (p.clone(), json!({
            "wall_s": o.wall_s,
            "peak_kib": o.peak_kib,
            "failure": o.failure,
            "figures": o.figures,
        }))).collect::<serde_json::Map<String, Value>>(),
    });
    Ok(Row {
        sites: n,
        days: a.days,
        cells,
        plan_s: fig("plan", "plan_s"),
        drawdown_s: fig("drawdown", "total_s"),
        json,
    })
}

/// The machine, for the record.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or_else(|| "?".into(), |k| format!("{:.0}", k / 1024.0 / 1024.0));
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores ({cpu}), {mem_gib} GiB")
}

/// Run the benchmark.
pub fn run(a: &BenchArgs) -> Result<(), String> {
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let sizes: Vec<String> = a.sizes.iter().map(ToString::to_string).collect();
    println!(
        "cargo xtask bench --sizes {} --days {} --seed {} --phases {} --timeout {}",
        sizes.join(","),
        a.days,
        a.seed,
        a.phases.join(","),
        a.timeout
    );
    println!("machine: {}\n", machine());
    println!("{}", markdown_row(&HEADER.map(String::from)));
    println!("{}", markdown_row(&HEADER.map(|_| "---".to_string())));
    let mut rows = Vec::new();
    for &n in &a.sizes {
        let row = bench_one(n, a, &dir)?;
        println!("{}", markdown_row(&row.cells));
        rows.push(row);
    }
    // How time grows: the exponent k in time ~ sites^k between successive sizes, for the
    // default policy alone and for the whole `drawdown plan`.
    println!();
    for (what, time) in [
        ("plan", (|r: &Row| r.plan_s) as fn(&Row) -> Option<f64>),
        ("drawdown plan", |r: &Row| r.drawdown_s),
    ] {
        for w in rows.windows(2) {
            if let (Some(t0), Some(t1)) = (time(&w[0]), time(&w[1]))
                && t0 > 0.0
                && w[1].sites > w[0].sites
            {
                let k = (t1 / t0).ln() / (w[1].sites as f64 / w[0].sites as f64).ln();
                println!(
                    "{what} time {} -> {} sites ({} days): x{:.1}, ~ sites^{k:.1}",
                    w[0].sites,
                    w[1].sites,
                    w[1].days,
                    t1 / t0
                );
            }
        }
    }
    let out = dir.join(format!(
        "results-{}-{}-{}.json",
        sizes.join("_"),
        a.days,
        a.seed
    ));
    let all: Vec<&Value> = rows.iter().map(|r| &r.json).collect();
    let text = serde_json::to_string_pretty(&json!({ "machine": machine(), "rows": all }))
        .map_err(|e| e.to_string())?;
    std::fs::write(&out, text).map_err(|e| format!("writing {}: {e}", out.display()))?;
    println!("\nraw figures: {}", out.display());
    Ok(())
}
