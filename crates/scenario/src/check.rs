//! The independent plan checker: judges a plan file against `docs/plan-semantics.md`.
//!
//! The checker reads only the scenario and the plan file. It resolves the plan's textual
//! ids and dates itself, recomputes every stock, fleet and capacity ledger from the
//! movements, and reports every broken rule with its stable `V…` code. It shares no code
//! with any planner, so that a planner bug cannot hide behind a shared helper; it uses only
//! the `model` crate's definitions (periods, windows, distances, airfield compatibility).
//!
//! The work is split by ledger:
//! - `resolve`: the plan header, ids and dates (V001 to V005 and the unknown-id parts of
//!   V025, V043, V050 and V060);
//! - `moves`: rules on one movement and the per-period capacity sums (V010, V011, V022 to
//!   V024, V028, V041, V050 to V058, V060 to V064);
//! - `stock`: per-site holdings and closures (V020, V021, V026, V027, V029, V032);
//! - `fleet`: fleet units per site (V040, V042);
//! - `figures`: closures, orders and figures against the plan's claims (V030, V031, V070).
//!
//! ```
//! let scenario = scenario::load_str("one-road.toml", r#"
//! [scenario]
//! name = "one road"
//! [horizon]
//! start = 2023-07-01
//! end = 2023-07-10
//! [[contingent]]
//! id = "a"
//! [[site]]
//! id = "camp"
//! kind = "base"
//! lat = 16.0
//! lon = 0.0
//! personnel = { a = 10 }
//! close_by = 2023-07-05
//! [[site]]
//! id = "port"
//! kind = "exit"
//! lat = 15.0
//! lon = 0.0
//! exit = { accepts = ["personnel"] }
//! [[road]]
//! from = "camp"
//! to = "port"
//! km = 120
//! [[fleet]]
//! id = "bus"
//! kind = "carrier"
//! home = "camp"
//! count = 1
//! seats = 10
//! "#).unwrap().scenario;
//! // One bus takes everybody to the port on day 0 and stays there (it left with the force).
//! let plan = scenario::check::parse_plan("plan.json", r#"{
//!   "format": "drawdown-plan/1", "scenario": "one road", "start": "2023-07-01",
//!   "period_days": 1,
//!   "convoys": [{ "id": "C0001", "road": "camp-port", "from": "camp", "to": "port",
//!                 "depart": "2023-07-01", "arrive": "2023-07-02", "units": { "bus": 1 },
//!                 "personnel": { "a": 10 } }],
//!   "flights": [],
//!   "sites": [{ "site": "camp", "close_by": "2023-07-05", "closure": "2023-07-01" }],
//!   "totals": { "convoys": 1, "sorties": 0, "unit_km": 120, "flight_hours": 0,
//!               "exposure": 0, "cost": 0, "late_days": 0, "makespan_days": 1,
//!               "abandon_penalty": 0, "objective": 10 }
//! }"#).unwrap();
//! let report = scenario::check::verify(&scenario, &plan);
//! assert!(report.is_feasible(), "{:?}", report.violations);
//! assert_eq!(report.totals.makespan_days, 1);
//! ```

use crate::planfile::PlanFile;
use model::{Horizon, Period, Scenario, SiteId, Totals};
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

mod figures;
mod fleet;
mod moves;
mod resolve;
mod stock;

/// One broken rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// Stable rule code from `docs/plan-semantics.md` (`V051`).
    pub code: &'static str,
    /// What the violation concerns: a movement id (`C0012`), a site, road, aircraft type
    /// or fleet id, or `plan` for the file header.
    pub subject: String,
    /// The period concerned, when the rule is about one.
    pub period: Option<Period>,
    /// The first day of `period`, as the plan file writes it.
    pub date: Option<String>,
    /// Plain-English explanation with the numbers involved.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.code, self.subject, self.message)
    }
}

/// Recomputed outcome of one site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFigures {
    /// The site.
    pub site: SiteId,
    /// The site's textual id.
    pub id: String,
    /// Last period in which stock departs the site or is abandoned there; `None` for
    /// exits and for sites from which no stock ever leaves.
    pub closure: Option<Period>,
    /// The first day of the closure period, as the plan file writes it.
    pub closure_date: Option<String>,
    /// Days by which the closure misses the site's `close_by` (0 when on time).
    pub late_days: u32,
}

/// The checker's verdict on a plan, with the figures it recomputed.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Every broken rule, sorted by code, subject and period.
    pub violations: Vec<Violation>,
    /// Recomputed outcome of every scenario site, indexed by [`SiteId`].
    pub sites: Vec<SiteFigures>,
    /// Recomputed totals (movements the checker could not resolve are left out, except
    /// in the `convoys` and `sorties` counts, which count the plan's records).
    pub totals: Totals,
}

impl Report {
    /// Whether the plan breaks no rule.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }

    /// The distinct codes of the violations found.
    pub fn codes(&self) -> BTreeSet<&'static str> {
        self.violations.iter().map(|v| v.code).collect()
    }

    /// The report as JSON, for `drawdown verify --format json`: the verdict, the
    /// violations, the recomputed site outcomes and the recomputed totals (named as in
    /// the plan file's `totals`).
    pub fn to_json(&self) -> serde_json::Value {
        let t = &self.totals;
        serde_json::json!({
            "feasible": self.is_feasible(),
            "violations": self.violations.iter().map(|v| serde_json::json!({
                "code": v.code,
                "subject": v.subject,
                "date": v.date,
                "message": v.message,
            })).collect::<Vec<_>>(),
            "sites": self.sites.iter().map(|f| serde_json::json!({
                "site": f.id,
                "closure": f.closure_date,
                "late_days": f.late_days,
            })).collect::<Vec<_>>(),
            "totals": {
                "convoys": t.convoys,
                "sorties": t.sorties,
                "unit_km": t.unit_km,
                "flight_hours": t.flight_hours,
                "exposure": t.exposure,
                "cost": t.cost,
                "late_days": t.late_days,
                "makespan_days": t.makespan_days,
                "abandon_penalty": t.abandon_penalty,
                "objective": t.objective,
            },
        })
    }
}

/// The checker's verdict on a planner's plan, as the optimising planner's `accept`
/// callback takes it (`planner::optimize_checked`): `Err` with the first violation and
/// how many there are in all when the plan breaks a rule.
pub fn accept(s: &Scenario, plan: &model::Plan) -> Result<(), String> {
    let report = verify(
        s,
        &crate::planfile::to_file(s, plan, std::collections::BTreeMap::new()),
    );
    match report.violations.first() {
        Some(v) if !report.is_feasible() => Err(format!(
            "{v} ({} violation(s) in all)",
            report.violations.len()
        )),
        _ => Ok(()),
    }
}

/// Check `plan` against every rule of `docs/plan-semantics.md` for scenario `s`.
///
/// Never panics on bad input: unknown ids and malformed dates are violations. All
/// violations are collected; a rule broken over several consecutive periods is reported
/// once, at the period where it starts.
pub fn verify(s: &Scenario, plan: &PlanFile) -> Report {
    let mut out = Findings {
        horizon: &s.horizon,
        list: Vec::new(),
    };
    let resolved = resolve::resolve(s, plan, &mut out);
    moves::check(s, &resolved, &mut out);
    let closures = stock::check(s, &resolved, &mut out);
    fleet::check(s, &resolved, &mut out);
    let (sites, totals) = figures::check(s, plan, &resolved, &closures, &mut out);
    let mut violations = out.list;
    violations.sort_by(|a, b| {
        (a.code, &a.subject, a.period, &a.message).cmp(&(b.code, &b.subject, b.period, &b.message))
    });
    Report {
        violations,
        sites,
        totals,
    }
}

/// The violations found so far, with what the messages need to print dates.
struct Findings<'s> {
    horizon: &'s Horizon,
    list: Vec<Violation>,
}

impl Findings<'_> {
    /// Record a violation.
    fn add(&mut self, code: &'static str, subject: &str, period: Option<Period>, message: String) {
        self.list.push(Violation {
            code,
            subject: subject.to_string(),
            period,
            date: period.map(|p| self.day(p)),
            message,
        });
    }

    /// The first day of period `p`, for messages (plans speak in dates, not indices).
    fn day(&self, p: Period) -> String {
        self.horizon.date(p).to_string()
    }
}

/// A plan file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid JSON or not a plan file.
    #[error("{path}:{line}:{column}: not a valid plan file: {message}")]
    Json {
        /// The file.
        path: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// Read a `plan.json` file.
pub fn read_plan(path: &Path) -> Result<PlanFile, ReadError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: name.clone(),
        source,
    })?;
    parse_plan(&name, &text)
}

/// Parse the text of a `plan.json` file; `path` names it in the error.
pub fn parse_plan(path: &str, text: &str) -> Result<PlanFile, ReadError> {
    serde_json::from_str(text).map_err(|e| {
        // serde_json appends " at line L column C" to its message; the error carries the
        // location in its own fields, so the suffix is dropped to avoid saying it twice.
        let full = e.to_string();
        let message = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(m, _)| m)
            .to_string();
        ReadError::Json {
            path: path.to_string(),
            line: e.line(),
            column: e.column(),
            message,
        }
    })
}
