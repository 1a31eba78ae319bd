//! `drawdown explain FILE`: plan the scenario, then explain the plan in plain words (what
//! binds and when, the critical chain, one more unit measured, latest safe starts, what
//! would meet a missed deadline). Every plan behind a claim goes through the checker.

use crate::cmd::{Format, load};
use crate::table::{Table, thousands};
use clap::Args;
use model::explain::{Explanation, GapLp, WhatIf};
use model::{Period, Scenario};
use scenario::explainfile::{change_label, resource_label};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// `drawdown explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// How many candidate resources to measure with one more unit (each is a re-plan).
    #[arg(long, default_value_t = 6)]
    pub measure: usize,
    /// Skip the search for each site's latest safe start (the costliest part).
    #[arg(long)]
    pub no_latest_start: bool,
    /// How many planner policies to try for the plan explained (as `drawdown plan`).
    #[arg(long, value_name = "N", default_value_t = planner::OptimizeConfig::default().effort)]
    pub effort: usize,
}

/// Run `drawdown explain`.
pub fn explain(a: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let loaded = match load(&a.file) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let s = &loaded.scenario;
    let t0 = Instant::now();
    // The plan explained is the one `drawdown plan` makes (the best of the policies); the
    // what-ifs re-plan with the policy that made it, so that they compare like with like.
    let cfg = planner::OptimizeConfig {
        effort: a.effort,
        ..Default::default()
    };
    let best = match crate::cmd::optimize(s, &cfg, &|_, _| {}) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: no plan for {}: {e}", a.file.display());
            return Ok(ExitCode::from(1));
        }
    };
    let policy = best.config.clone();
    let cfg = planner::ExplainConfig {
        planner: policy,
        measure: a.measure,
        latest_start: !a.no_latest_start,
        reroute: best.rerouted,
        sooner: best.finished_sooner,
        ..planner::ExplainConfig::default()
    };
    let base = best.plan;
    let e = planner::explain(s, &base, &cfg);
    // Every claim rests on a re-plan; none is shown unless the checker accepts that plan.
    let mut checked = 0;
    let mut all: Vec<(&str, &WhatIf)> = Vec::new();
    all.extend(e.extras.iter().map(|x| ("one more unit", &x.what_if)));
    all.extend(
        e.latest_starts
            .iter()
            .filter_map(|l| l.what_if.as_ref().map(|w| ("latest start", w))),
    );
    for l in &e.late {
        for f in l.resources.iter().chain(&l.abandon) {
            all.push(("deadline fix", &f.what_if));
        }
    }
    for file in std::iter::once(("plan", &base, s))
        .chain(all.iter().map(|(what, w)| (*what, &w.plan, &w.scenario)))
    {
        let (what, plan, sc) = file;
        let pf = scenario::planfile::to_file(sc, plan, Default::default());
        let report = scenario::check::verify(sc, &pf);
        if !report.is_feasible() {
            for v in &report.violations {
                eprintln!("{v}");
            }
            eprintln!(
                "error: a plan behind the explanation ({what}) fails the checker; this is a planner bug, please report it"
            );
            return Ok(ExitCode::from(1));
        }
        checked += 1;
    }
    let seconds = t0.elapsed().as_secs_f64();
    match a.format {
        Format::Json => {
            let mut v = scenario::explainfile::to_json(s, &e);
            v["checked_plans"] = serde_json::json!(checked);
            println!("{}", serde_json::to_string_pretty(&v).expect("json"));
        }
        Format::Table => print!("{}", briefing(s, &e, checked, seconds)),
    }
    Ok(ExitCode::SUCCESS)
}

/// Roads the briefing lists where the plan and the bound's LP pay most differently (the
/// JSON lists every road).
const ROAD_ROWS: usize = 8;

/// The explanation as a ranked briefing.
fn briefing(s: &Scenario, e: &Explanation, checked: usize, seconds: f64) -> String {
    let h = &s.horizon;
    let date = |p: Period| h.date(p).to_string();
    let name = |x: model::SiteId| s.site(x).name.clone();
    let mut out = format!(
        "Explanation of the plan for {} (objective {})\n\n",
        s.name,
        thousands(e.objective)
    );
    if let Some(c) = &e.critical {
        let how = if c.slack_days < 0 {
            format!("{} days after its deadline", -c.slack_days)
        } else {
            format!("{} days before its deadline", c.slack_days)
        };
        out.push_str(&format!(
            "Critical chain: {} closes on {}, {how} ({}), the least slack of any site.\n",
            name(c.site),
            date(c.closure),
            date(c.deadline)
        ));
        if let Some(m) = c.last.first() {
            out.push_str(&format!(
                "  Its last stock leaves on {} ({} movement{}, e.g. {} to {}).\n",
                date(m.depart),
                c.last.len(),
                if c.last.len() == 1 { "" } else { "s" },
                m.id,
                name(m.to)
            ));
        }
        if c.waited_for.is_empty() {
            out.push_str("  None of the resources they used was fully busy before they left.\n");
        } else {
            out.push_str("  Before they left, they waited for:\n");
            for (r, n) in c.waited_for.iter().take(4) {
                out.push_str(&format!(
                    "  - {}: fully busy {} days since the site could start\n",
                    resource_label(s, *r),
                    n * h.period_days
                ));
            }
        }
        out.push('\n');
    }
    out.push_str("What binds, most binding first:\n");
    if e.binding.is_empty() {
        out.push_str("  nothing: no capacity is ever fully used.\n");
    }
    for (i, b) in e.binding.iter().take(8).enumerate() {
        let mut when: Vec<String> = b
            .saturated
            .iter()
            .take(3)
            .map(|&(a, z)| {
                if a == z {
                    date(a)
                } else {
                    format!("{} to {}", date(a), date(z))
                }
            })
            .collect();
        if b.saturated.len() > 3 {
            when.push(format!("and {} more spells", b.saturated.len() - 3));
        }
        let busy = if b.saturated_periods > 0 {
            format!(
                "fully used {} days ({})",
                b.saturated_periods * h.period_days,
                when.join(", ")
            )
        } else {
            "never fully used in the plan".to_string()
        };
        let lp = match b.shadow_when {
            Some((a, z)) if b.shadow > 0.0 => format!(
                "; the deadline LP prices it at {} stock-days late per unit ({} to {})",
                thousands(b.shadow),
                date(a),
                date(z)
            ),
            _ => String::new(),
        };
        let crit = if b.critical {
            "; the critical chain waited for it"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:>3}. {}: {busy}{lp}{crit}\n",
            i + 1,
            resource_label(s, b.resource)
        ));
    }
    out.push_str("\nOne more unit, measured by re-planning:\n");
    let mut extras: Vec<_> = e.extras.iter().collect();
    extras.sort_by(|a, b| {
        (a.objective_after - a.objective_before)
            .total_cmp(&(b.objective_after - b.objective_before))
    });
    for x in &extras {
        let from = x
            .in_use_from
            .map_or(String::from(" (never needed beyond today's)"), |p| {
                format!(" (in use from {})", date(p))
            });
        let mut moved: Vec<String> = x
            .closures
            .iter()
            .take(3)
            .map(|&(site, d)| {
                let n = d.unsigned_abs();
                let unit = if n == 1 { "day" } else { "days" };
                let way = if d > 0 { "earlier" } else { "later" };
                format!("{} closes {n} {unit} {way}", name(site))
            })
            .collect();
        if x.closures.len() > 3 {
            moved.push(format!("{} more sites move", x.closures.len() - 3));
        }
        let moved = if moved.is_empty() {
            "no closure moves".to_string()
        } else {
            moved.join(", ")
        };
        out.push_str(&format!(
            "  - {}{from}: {moved}; objective {} ({} -> {})\n",
            change_label(s, x.change),
            signed(x.objective_after - x.objective_before),
            thousands(x.objective_before),
            thousands(x.objective_after)
        ));
    }
    if !e.latest_starts.is_empty() {
        out.push_str("\nLatest safe start (the last day each withdrawal can begin and still meet its deadline):\n");
        let mut t = Table::new(&[
            "site",
            "deadline",
            "planned start",
            "latest start",
            "margin",
            "a day later",
        ]);
        for l in &e.latest_starts {
            t.row(vec![
                s.site(l.site).id.clone(),
                date(l.deadline),
                l.planned_start.map(date).unwrap_or_default(),
                l.latest.map_or("none (late already)".into(), date),
                match (l.latest, l.planned_start) {
                    (Some(a), Some(b)) => {
                        ((i64::from(a.0) - i64::from(b.0)) * i64::from(h.period_days)).to_string()
                    }
                    _ => String::new(),
                },
                l.next_late_days
                    .map_or(String::new(), |d| format!("{d} days late")),
            ]);
        }
        out.push_str(&t.render());
    }
    if !e.late.is_empty() {
        out.push_str(
            "\nMissed deadlines and what would meet them (each checked by re-planning):\n",
        );
        for l in &e.late {
            out.push_str(&format!(
                "  {} closes {} days late ({}, deadline {}):\n",
                name(l.site),
                l.late_days,
                date(l.closure),
                date(l.deadline)
            ));
            match &l.resources {
                Some(f) => out.push_str(&format!(
                    "  - add {}: closes {} (objective {})\n",
                    f.changes
                        .iter()
                        .map(|&c| change_label(s, c))
                        .collect::<Vec<_>>()
                        .join(" and "),
                    date(f.closure),
                    thousands(f.objective)
                )),
                None => out.push_str("  - no set of up to three extra units found meets it\n"),
            }
            if let Some(f) = &l.abandon {
                out.push_str(&format!(
                    "  - or leave {} TEU and {} vehicles behind: closes {} (objective {})\n",
                    f.abandon_teu,
                    f.abandon_vehicles,
                    date(f.closure),
                    thousands(f.objective)
                ));
            }
            out.push_str(&format!(
                "  - or move the deadline to {}\n",
                date(l.closure)
            ));
        }
    }
    if let Some(g) = &e.gap {
        out.push_str(match g.against {
            GapLp::Deadlines => {
                "\nWhere the plan pays more than the bound's LP of plans that meet every deadline (at the objective's weights):\n"
            }
            GapLp::Free => {
                "\nWhere the plan pays more than the bound's free LP, which prices no deadline (the bound builds no LP of plans that meet every deadline here: too large, or no deadline; at the objective's weights):\n"
            }
        });
        let mut t = Table::new(&["part", "plan", "LP", "difference"]);
        let (mut plan, mut lp) = (0.0, 0.0);
        for x in g.parts.iter().filter(|x| x.plan != 0.0 || x.lp != 0.0) {
            t.row(vec![
                scenario::explainfile::part_name(x.part).to_string(),
                thousands(x.plan),
                thousands(x.lp),
                difference(x.plan - x.lp),
            ]);
            (plan, lp) = (plan + x.plan, lp + x.lp);
        }
        t.row(vec![
            "all".to_string(),
            thousands(plan),
            thousands(lp),
            difference(plan - lp),
        ]);
        out.push_str(&t.render());
        out.push_str(&format!(
            "The plan also pays {} for late days and {} for its makespan, which that LP leaves out (the bound of `drawdown plan` adds what any plan must pay for them).\n",
            thousands(g.lateness),
            thousands(g.makespan)
        ));
        // The roads where the two differ most, largest excess of the plan first.
        let mut big: Vec<_> = g
            .roads
            .iter()
            .filter(|x| (x.plan - x.lp).abs() >= 0.5)
            .collect();
        big.sort_by(|a, b| (b.plan - b.lp).abs().total_cmp(&(a.plan - a.lp).abs()));
        big.truncate(ROAD_ROWS);
        big.sort_by(|a, b| (b.plan - b.lp).total_cmp(&(a.plan - a.lp)));
        if !big.is_empty() {
            out.push_str(&format!(
                "Road by road (both directions; the {} largest differences of {}):\n",
                big.len(),
                g.roads.len()
            ));
            let mut t = Table::new(&["road", "part", "plan", "LP", "difference"]);
            for x in big {
                t.row(vec![
                    s.roads[x.road.idx()].id.clone(),
                    scenario::explainfile::part_name(x.part).to_string(),
                    thousands(x.plan),
                    thousands(x.lp),
                    difference(x.plan - x.lp),
                ]);
            }
            out.push_str(&t.render());
        }
    }
    out.push_str(&format!(
        "\n{} re-plans, every plan checked by the independent checker ({checked} plans), {seconds:.1} s.\n",
        e.replans
    ));
    out
}

/// A difference as [`signed`] shows it, rounding noise shown as 0.
fn difference(x: f64) -> String {
    if x.abs() < 0.5 {
        "0".to_string()
    } else {
        signed(x)
    }
}

/// A number with its sign, for changes.
fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", thousands(x))
    } else if x < 0.0 {
        format!("-{}", thousands(-x))
    } else {
        "unchanged".to_string()
    }
}
