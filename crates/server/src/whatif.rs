//! What-if: change the scenario, re-plan, check, and compare with the base plan.
//!
//! Changes are applied to the scenario **file** (the `scenario` crate's format types), not
//! to the lowered model, so that a what-if is checked by exactly the rules and codes of a
//! scenario file: closing a road adds a `[[restriction]]` naming it, a new fleet size
//! replaces the fleet's `count`, a new deadline replaces the site's `close_by`.
//!
//! Diagnostics must name the request's fields (`changes[0].road`), not the file's. Every
//! value a change puts into the file is given a span on a line of its own in an appendix
//! to the scenario text, and that line reads the field's path; a diagnostic whose line
//! falls in the appendix is reported at the path written there.

use crate::error::Problem;
use crate::planned::{PlanFailure, Planned, plan_checked};
use scenario::format::{RawRestriction, RawScenario};
use scenario::{Diagnostic, LoadError, Severity};
use serde::Serialize;
use serde_json::{Map, Value};
use std::ops::Range;
use toml::Spanned;
use toml::value::Datetime;

/// One requested change to the scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// No convoy on `road` from `from` to `until` (both included).
    CloseRoad {
        /// Road id.
        road: String,
        /// First day.
        from: Datetime,
        /// Last day.
        until: Datetime,
    },
    /// No convoy or flight leaves or reaches `site` (a camp, a border, a port).
    CloseSite {
        /// Site id.
        site: String,
        /// First day.
        from: Datetime,
        /// Last day.
        until: Datetime,
    },
    /// No flight leaves or reaches `airfield`.
    RefuseFlights {
        /// Site id of the airfield.
        airfield: String,
        /// First day.
        from: Datetime,
        /// Last day.
        until: Datetime,
    },
    /// The fleet (or aircraft type) `fleet` has `units` units.
    FleetSize {
        /// Fleet or aircraft type id (fleets first when both have it).
        fleet: String,
        /// New number of units.
        units: i64,
    },
    /// The site's deadline (`close_by`) becomes `date`.
    Deadline {
        /// Site id.
        site: String,
        /// New deadline.
        date: Datetime,
    },
}

/// The change kinds, as the request writes them.
pub const KINDS: [&str; 5] = [
    "close_road",
    "close_site",
    "refuse_flights",
    "fleet_size",
    "deadline",
];

/// Read a what-if request body (`{"changes": [...]}`), reporting every problem at once
/// with the scenario file's reading codes: `E0001` (not JSON), `E0002` (wrong type or
/// unknown kind), `E0003` (unknown field), `E0004` (missing field).
pub fn parse_changes(body: &[u8]) -> Result<Vec<Change>, Vec<Problem>> {
    let root: Value = serde_json::from_slice(body).map_err(|e| {
        vec![Problem::new(
            "E0001",
            None,
            format!("the body is not valid JSON: {e}"),
            "send a JSON object like {\"changes\": [{\"kind\": \"close_road\", ...}]}",
        )]
    })?;
    let mut problems = Vec::new();
    let Some(obj) = object(&root, "(body)", &mut problems) else {
        return Err(problems);
    };
    let mut top = Fields::new(obj, "", &mut problems);
    let list = top.value("changes");
    top.finish();
    let mut changes = Vec::new();
    if let Some(list) = list {
        match list.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(c) = change(item, &format!("changes[{i}]"), &mut problems) {
                        changes.push(c);
                    }
                }
            }
            None => problems.push(wrong_type("changes", "a list of changes", list)),
        }
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

fn change(item: &Value, path: &str, problems: &mut Vec<Problem>) -> Option<Change> {
    let obj = object(item, path, problems)?;
    let mut f = Fields::new(obj, path, problems);
    let kind = f.string("kind");
    let change =
        match kind.as_deref() {
            Some("close_road") => window(&mut f, "road")
                .map(|(road, from, until)| Change::CloseRoad { road, from, until }),
            Some("close_site") => window(&mut f, "site")
                .map(|(site, from, until)| Change::CloseSite { site, from, until }),
            Some("refuse_flights") => {
                window(&mut f, "airfield").map(|(airfield, from, until)| Change::RefuseFlights {
                    airfield,
                    from,
                    until,
                })
            }
            Some("fleet_size") => {
                let (fleet, units) = (f.string("fleet"), f.int("units"));
                Some(Change::FleetSize {
                    fleet: fleet?,
                    units: units?,
                })
            }
            Some("deadline") => {
                let (site, date) = (f.string("site"), f.date("date"));
                Some(Change::Deadline {
                    site: site?,
                    date: date?,
                })
            }
            Some(other) => {
                f.problems.push(Problem::new(
                    "E0002",
                    Some(format!("{path}.kind")),
                    format!("unknown change kind `{other}`"),
                    format!("use one of: {}", KINDS.join(", ")),
                ));
                // The other fields cannot be judged without a kind.
                f.ignore_rest();
                None
            }
            None => {
                f.ignore_rest();
                None
            }
        };
    f.finish();
    change
}

/// The id field `key`, `from` and `until` of a window change; all are read so that every
/// missing one is reported.
fn window(f: &mut Fields<'_, '_>, key: &'static str) -> Option<(String, Datetime, Datetime)> {
    let (id, from, until) = (f.string(key), f.date("from"), f.date("until"));
    Some((id?, from?, until?))
}

fn object<'v>(
    v: &'v Value,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<&'v Map<String, Value>> {
    let o = v.as_object();
    if o.is_none() {
        problems.push(wrong_type(path, "an object", v));
    }
    o
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(path: &str, expected: &str, found: &Value) -> Problem {
    Problem::new(
        "E0002",
        Some(path.to_string()),
        format!("expected {expected}, found {}", type_name(found)),
        "give the field a value of the expected type (docs/server.md lists the fields of each change)",
    )
}

/// The fields of one JSON object, read one by one; what was never read is unknown.
struct Fields<'v, 'p> {
    obj: &'v Map<String, Value>,
    path: String,
    read: Vec<&'static str>,
    all_read: bool,
    problems: &'p mut Vec<Problem>,
}

impl<'v, 'p> Fields<'v, 'p> {
    fn new(obj: &'v Map<String, Value>, path: &str, problems: &'p mut Vec<Problem>) -> Self {
        Fields {
            obj,
            path: path.to_string(),
            read: Vec::new(),
            all_read: false,
            problems,
        }
    }

    fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value of required field `key`, or a missing-field problem.
    fn value(&mut self, key: &'static str) -> Option<&'v Value> {
        self.read.push(key);
        let v = self.obj.get(key);
        if v.is_none() {
            self.problems.push(Problem::new(
                "E0004",
                Some(self.field(key)),
                format!("missing field `{key}`"),
                "add the field; docs/server.md lists the fields of each change",
            ));
        }
        v
    }

    /// Required field `key` read by `read`, or a wrong-type problem naming `expected`.
    fn typed<T>(
        &mut self,
        key: &'static str,
        expected: &str,
        read: impl Fn(&'v Value) -> Option<T>,
    ) -> Option<T> {
        let v = self.value(key)?;
        let got = read(v);
        if got.is_none() {
            let p = wrong_type(&self.field(key), expected, v);
            self.problems.push(p);
        }
        got
    }

    fn string(&mut self, key: &'static str) -> Option<String> {
        self.typed(key, "a string", |v| v.as_str().map(str::to_string))
    }

    fn int(&mut self, key: &'static str) -> Option<i64> {
        self.typed(key, "a whole number", Value::as_i64)
    }

    fn date(&mut self, key: &'static str) -> Option<Datetime> {
        let text = self.string(key)?;
        match text.parse::<Datetime>() {
            Ok(d) => Some(d),
            Err(_) => {
                self.problems.push(Problem::new(
                    "E0002",
                    Some(self.field(key)),
                    format!("expected a date, found \"{text}\""),
                    "write the date as YYYY-MM-DD, like \"2023-10-01\"",
                ));
                None
            }
        }
    }

    fn ignore_rest(&mut self) {
        self.all_read = true;
    }

    /// Report every field that was not read.
    fn finish(self) {
        if self.all_read {
            return;
        }
        for key in self.obj.keys() {
            if !self.read.contains(&key.as_str()) {
                self.problems.push(Problem::new(
                    "E0003",
                    Some(self.field(key)),
                    format!("unknown field `{key}`"),
                    "remove it or correct its spelling; docs/server.md lists the fields of each change",
                ));
            }
        }
    }
}

/// The scenario text with an appendix of one line per changed value, each line reading
/// the request path of that value.
struct Appendix {
    text: String,
    /// Lines of the original text (the appendix starts on the next one).
    base_lines: usize,
}

impl Appendix {
    fn new(base: &str) -> Self {
        let mut text = base.to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let base_lines = text.matches('\n').count();
        Appendix { text, base_lines }
    }

    /// A fresh span on a line of its own that reads `path`.
    fn span(&mut self, path: &str) -> Range<usize> {
        let at = self.text.len();
        self.text.push_str(path);
        self.text.push('\n');
        at..at + path.len().max(1)
    }

    fn spanned<T>(&mut self, path: &str, value: T) -> Spanned<T> {
        Spanned::new(self.span(path), value)
    }

    /// The request path of a diagnostic, if it points into the appendix.
    fn path_of(&self, d: &Diagnostic) -> Option<String> {
        let k = d.line.checked_sub(self.base_lines + 1)?;
        self.text
            .lines()
            .nth(self.base_lines + k)
            .map(str::to_string)
    }
}

/// Problems and warnings of a what-if that could not be applied.
#[derive(Debug)]
pub struct Refused {
    /// Errors: what must change in the request.
    pub problems: Vec<Problem>,
}

/// The scenario with the changes applied, checked by the scenario rules and lowered.
#[derive(Debug)]
pub struct Applied {
    /// The lowered scenario.
    pub scenario: model::Scenario,
    /// Warnings the changes caused (the base scenario's own are left out).
    pub warnings: Vec<Problem>,
}

/// Apply `changes` to the scenario `text` (read from `file`) and load the result with the
/// scenario rules; every problem is reported, at the request's field paths.
pub fn apply(file: &str, text: &str, changes: &[Change]) -> Result<Applied, Refused> {
    let mut raw = scenario::parse_str(file, text).map_err(|e| Refused {
        problems: vec![Problem::new(
            "H500",
            None,
            format!("the base scenario no longer parses: {e}"),
            "restart the server with a valid scenario",
        )],
    })?;
    let mut ap = Appendix::new(text);
    let mut problems = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        edit(&mut raw, &mut ap, i, c, &mut problems);
    }
    match scenario::load_raw(file, &ap.text, &raw) {
        Ok(loaded) if problems.is_empty() => {
            return Ok(Applied {
                warnings: request_diags(&ap, &loaded.warnings, Severity::Warning),
                scenario: loaded.scenario,
            });
        }
        // The edits refused above (unknown ids) left the file valid; report those alone.
        Ok(_) => {}
        Err(LoadError::Invalid(diags)) => {
            problems.extend(request_diags(&ap, &diags, Severity::Error));
        }
        Err(e @ LoadError::Io { .. }) => {
            problems.push(Problem::new("H500", None, e.to_string(), "report this bug"));
        }
    }
    Err(Refused { problems })
}

/// The diagnostics of `severity`, at request paths where they concern a change.
fn request_diags(ap: &Appendix, diags: &[Diagnostic], severity: Severity) -> Vec<Problem> {
    diags
        .iter()
        .filter(|d| d.severity == severity)
        .filter(|d| severity == Severity::Error || ap.path_of(d).is_some())
        .map(|d| {
            let field = ap.path_of(d).unwrap_or_else(|| d.field.clone());
            Problem::new(d.code, Some(field), d.cause.clone(), d.fix.clone())
        })
        .collect()
}

/// Apply change `i` to the file value.
fn edit(
    raw: &mut RawScenario,
    ap: &mut Appendix,
    i: usize,
    c: &Change,
    problems: &mut Vec<Problem>,
) {
    let path = format!("changes[{i}]");
    let at = |key: &str| format!("{path}.{key}");
    let (key, id, from, until, list) = match c {
        Change::CloseRoad { road, from, until } => ("road", road, from, until, 0),
        Change::CloseSite { site, from, until } => ("site", site, from, until, 1),
        Change::RefuseFlights {
            airfield,
            from,
            until,
        } => ("airfield", airfield, from, until, 2),
        Change::FleetSize { fleet, units } => {
            let units = ap.spanned(&at("units"), *units);
            if let Some(f) = raw
                .fleet
                .iter_mut()
                .find(|f| f.get_ref().id.get_ref() == fleet)
            {
                f.get_mut().count = units;
            } else if let Some(a) = raw
                .aircraft
                .iter_mut()
                .find(|a| a.get_ref().id.get_ref() == fleet)
            {
                a.get_mut().count = units;
            } else {
                let mut known: Vec<&str> = raw
                    .fleet
                    .iter()
                    .map(|f| f.get_ref().id.get_ref().as_str())
                    .collect();
                known.extend(
                    raw.aircraft
                        .iter()
                        .map(|a| a.get_ref().id.get_ref().as_str()),
                );
                problems.push(unknown("fleet or aircraft", at("fleet"), fleet, &known));
            }
            return;
        }
        Change::Deadline { site, date } => {
            let date = ap.spanned(&at("date"), *date);
            if let Some(s) = raw
                .site
                .iter_mut()
                .find(|s| s.get_ref().id.get_ref() == site)
            {
                s.get_mut().close_by = Some(date);
            } else {
                let known: Vec<&str> = raw
                    .site
                    .iter()
                    .map(|s| s.get_ref().id.get_ref().as_str())
                    .collect();
                problems.push(unknown("site", at("site"), site, &known));
            }
            return;
        }
    };
    let mut id_text = format!("whatif-{i}");
    while raw
        .restriction
        .iter()
        .any(|r| r.get_ref().id.get_ref() == &id_text)
    {
        id_text.push('x');
    }
    let whole = ap.span(&path);
    let item = ap.spanned(&at(key), id.clone());
    let target = Some(Spanned::new(item.span(), vec![item]));
    let mut r = RawRestriction {
        id: Spanned::new(whole.clone(), id_text),
        reason: Some(format!("what-if {path}")),
        from: ap.spanned(&at("from"), *from),
        until: ap.spanned(&at("until"), *until),
        roads: None,
        sites: None,
        airfields: None,
    };
    match list {
        0 => r.roads = target,
        1 => r.sites = target,
        _ => r.airfields = target,
    }
    raw.restriction.push(Spanned::new(whole, r));
}

/// `E1101` for an id the request names that the scenario does not define.
fn unknown(what: &str, field: String, id: &str, known: &[&str]) -> Problem {
    Problem::new(
        "E1101",
        Some(field),
        format!("unknown {what} id `{id}`"),
        format!("use one of: {}", known.join(", ")),
    )
}

/// Site-by-site comparison of a what-if plan with the base plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    /// The base plan's objective (as the checker recomputes it).
    pub objective_before: f64,
    /// The what-if plan's objective.
    pub objective_after: f64,
    /// Every base and hub, in scenario order.
    pub sites: Vec<SiteDiff>,
}

/// One site in a [`Diff`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteDiff {
    /// Site id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Deadline in the what-if (first day of its period), if any.
    pub deadline: Option<String>,
    /// Deadline in the base scenario, if any.
    pub deadline_before: Option<String>,
    /// Closure day in the base plan (`null`: the site never holds stock).
    pub closure_before: Option<String>,
    /// Closure day in the what-if plan.
    pub closure_after: Option<String>,
    /// `closure_after - closure_before` in days (positive: later), when both exist.
    pub delta_days: Option<i64>,
    /// Days late in the base plan.
    pub late_days_before: u32,
    /// Days late in the what-if plan.
    pub late_days_after: u32,
}

/// Compare `after` (a what-if of the same sites) with `before`, from the checker's figures.
pub fn diff(before: &Planned, after: &Planned) -> Diff {
    let h = &after.scenario.horizon;
    let deadline = |p: &Planned, i: usize| {
        p.scenario.sites[i]
            .close_by
            .map(|d| p.scenario.horizon.date(d).to_string())
    };
    let sites = before
        .scenario
        .sites
        .iter()
        .enumerate()
        .filter(|(_, s)| s.exit.is_none())
        .map(|(i, s)| {
            let (b, a) = (&before.report.sites[i], &after.report.sites[i]);
            let delta_days = match (b.closure, a.closure) {
                (Some(b), Some(a)) => {
                    Some((i64::from(a.0) - i64::from(b.0)) * i64::from(h.period_days))
                }
                _ => None,
            };
            SiteDiff {
                id: s.id.clone(),
                name: s.name.clone(),
                deadline: deadline(after, i),
                deadline_before: deadline(before, i),
                closure_before: b.closure_date.clone(),
                closure_after: a.closure_date.clone(),
                delta_days,
                late_days_before: b.late_days,
                late_days_after: a.late_days,
            }
        })
        .collect();
    Diff {
        objective_before: scenario::planfile::round(before.report.totals.objective, 3),
        objective_after: scenario::planfile::round(after.report.totals.objective, 3),
        sites,
    }
}

/// Why a what-if has no answer.
#[derive(Debug)]
pub enum WhatIfError {
    /// The changes break scenario rules.
    Refused(Refused),
    /// The changed scenario got no checked plan.
    Plan(PlanFailure),
}

/// A what-if plan with its comparison to the base plan.
#[derive(Debug)]
pub struct Outcome {
    /// The changed scenario and its checked plan.
    pub planned: Planned,
    /// Site by site against the base.
    pub diff: Diff,
    /// Warnings the changes caused.
    pub warnings: Vec<Problem>,
}

/// Apply `changes` to the base scenario `text`, re-plan with the policy that made the
/// base plan, check and compare with `base`. Synchronous and CPU-bound (the planner): run
/// it off the async runtime.
pub fn run(
    file: &str,
    text: &str,
    base: &Planned,
    changes: &[Change],
) -> Result<Outcome, WhatIfError> {
    let applied = apply(file, text, changes).map_err(WhatIfError::Refused)?;
    let planned = plan_checked(applied.scenario, &base.policy).map_err(WhatIfError::Plan)?;
    let diff = diff(base, &planned);
    Ok(Outcome {
        planned,
        diff,
        warnings: applied.warnings,
    })
}
