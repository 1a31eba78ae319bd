//! Plan against reality on a given day: per site the stock the plan expected and the
//! stock the log says is there, planned and actual closures, personnel out of the
//! theatre, and what is late.
//!
//! The planned side replays the current plan's movements (the plan file) up to the end of
//! the day's period; the actual side replays the log up to the end of the day
//! (`replay.rs`). A planned movement counts as done when an event carries its id as the
//! convoy or flight reference, or when it is a frozen movement (`REF@DATE`) of a re-plan.

use super::event::Event;
use super::problem::Loc;
use super::replay::{self, Entry};
use jiff::civil::Date;
use model::{Period, Scenario, SiteKind};
use scenario::planfile::PlanFile;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Personnel, containers and vehicles.
pub type Amounts = [i64; 3];

/// One site's row.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteStatus {
    /// Site id.
    pub site: String,
    /// `base`, `hub` or `exit`.
    pub kind: &'static str,
    /// Planned holdings at the end of the day (for exits: planned to have reached it).
    pub planned: Amounts,
    /// Actual holdings (for exits: actually reached it).
    pub actual: Amounts,
    /// The plan's closure date.
    pub planned_closure: Option<Date>,
    /// The recorded closure date.
    pub closed: Option<Date>,
    /// The scenario's deadline.
    pub close_by: Option<Date>,
    /// `closed` (recorded), `empty` (holds nothing, closure not recorded), `open`, or
    /// `exit`.
    pub state: &'static str,
}

/// Something that should have happened by the day and has not.
#[derive(Clone, Debug, PartialEq)]
pub struct Late {
    /// `site`, `convoy` (under way past its due day) or `movement` (planned, not recorded).
    pub what: &'static str,
    /// Site id, convoy reference or planned movement id.
    pub id: String,
    /// The day it was due.
    pub due: Date,
    /// Days late on the status day.
    pub days: i64,
    /// Plain-English account.
    pub detail: String,
}

/// The status of the withdrawal on one day.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// The day.
    pub as_of: Date,
    /// Events replayed (dated up to the day).
    pub events: usize,
    /// Every site, in scenario order.
    pub sites: Vec<SiteStatus>,
    /// Personnel out of the theatre by contingent id: planned, actual.
    pub personnel_out: Vec<(String, i64, i64)>,
    /// Convoys under way at the end of the day.
    pub under_way: usize,
    /// What is late, sites first, then convoys, then planned movements, by due day.
    pub late: Vec<Late>,
}

fn days(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |s| i64::from(s.get_days()))
}

fn amounts(q: &[i64]) -> Amounts {
    [q[2..].iter().sum(), q[0], q[1]]
}

/// The status on day `as_of` of the scenario `s` planned by `plan`, with the log
/// `events` (id and event).
pub fn status(s: &Scenario, plan: &PlanFile, events: &[(i64, &Event)], as_of: Date) -> Status {
    let h = &s.horizon;
    let n = s.sites.len();
    let c = s.contingents.len();
    let p_end: Period = h
        .period_of(as_of)
        .unwrap_or_else(|| if as_of < h.start { Period(0) } else { h.last() });
    let period = |d: &str| d.parse::<Date>().ok().and_then(|d| h.period_of(d));
    // Planned: initial stock plus the plan's movements up to the end of the day's period.
    let mut planned: Vec<Vec<i64>> = s
        .sites
        .iter()
        .map(|x| {
            let mut q = vec![i64::from(x.initial.teu), i64::from(x.initial.vehicles)];
            q.extend(x.initial.personnel.iter().map(|&p| i64::from(p)));
            q
        })
        .collect();
    let mut out_planned = vec![vec![0i64; 2 + c]; n];
    let mut apply = |site: &str,
                     when: Option<Period>,
                     sign: i64,
                     teu: u32,
                     veh: u32,
                     pers: &std::collections::BTreeMap<String, u32>| {
        let (Some(i), Some(p)) = (s.site_by_id(site), when) else {
            return;
        };
        if p > p_end {
            return;
        }
        let q = if s.site(i).exit.is_some() {
            &mut out_planned[i.idx()]
        } else {
            &mut planned[i.idx()]
        };
        q[0] += sign * i64::from(teu);
        q[1] += sign * i64::from(veh);
        for (k, &x) in pers {
            if let Some(ci) = s.contingent_by_id(k) {
                q[2 + ci.idx()] += sign * i64::from(x);
            }
        }
    };
    let none = std::collections::BTreeMap::new();
    for m in &plan.convoys {
        apply(
            &m.from,
            period(&m.depart),
            -1,
            m.teu,
            m.vehicles,
            &m.personnel,
        );
        apply(&m.to, period(&m.arrive), 1, m.teu, m.vehicles, &m.personnel);
    }
    for m in &plan.flights {
        apply(&m.from, period(&m.depart), -1, m.teu, 0, &m.personnel);
        apply(&m.to, period(&m.arrive), 1, m.teu, 0, &m.personnel);
    }
    for a in &plan.abandoned {
        apply(&a.site, period(&a.date), -1, a.teu, a.vehicles, &none);
    }
    // Actual: the log up to the end of the day.
    let entries: Vec<Entry<'_>> = events
        .iter()
        .map(|&(id, e)| Entry {
            id,
            loc: Loc::log(id),
            event: e,
        })
        .collect();
    let (st, _) = replay::replay(s, &entries, Some(as_of));
    let closure_of = |id: &str| {
        plan.sites
            .iter()
            .find(|r| r.site == id)
            .and_then(|r| r.closure.as_deref())
            .and_then(|d| d.parse::<Date>().ok())
    };
    let mut sites = Vec::new();
    let mut late = Vec::new();
    for (i, x) in s.sites.iter().enumerate() {
        let exit = x.kind == SiteKind::Exit;
        let (pl, ac) = if exit {
            (amounts(&out_planned[i]), amounts(&st.delivered[i]))
        } else {
            (amounts(&planned[i]), amounts(&st.held[i]))
        };
        let close_by = x.close_by.map(|p| h.date(p));
        let planned_closure = closure_of(&x.id);
        let state = if exit {
            "exit"
        } else if st.closed[i].is_some() {
            "closed"
        } else if ac.iter().all(|&a| a == 0) {
            "empty"
        } else {
            "open"
        };
        if state == "open" {
            let held = format!(
                "{} personnel, {} TEU, {} vehicles still there",
                ac[0], ac[1], ac[2]
            );
            let due = [
                planned_closure.map(|d| (d, "planned to close")),
                close_by.map(|d| (d, "deadline")),
            ]
            .into_iter()
            .flatten()
            .filter(|&(d, _)| d < as_of)
            .min_by_key(|&(d, _)| d);
            if let Some((d, why)) = due {
                late.push(Late {
                    what: "site",
                    id: x.id.clone(),
                    due: d,
                    days: days(d, as_of),
                    detail: format!("{} {why} {d}; {held}", x.id),
                });
            }
        }
        sites.push(SiteStatus {
            site: x.id.clone(),
            kind: match x.kind {
                SiteKind::Base => "base",
                SiteKind::Hub => "hub",
                SiteKind::Exit => "exit",
            },
            planned: pl,
            actual: ac,
            planned_closure,
            closed: st.closed[i],
            close_by,
            state,
        });
    }
    for (convoy, leg) in &st.under_way {
        let due = h.date(leg.due);
        if due < as_of {
            late.push(Late {
                what: "convoy",
                id: convoy.clone(),
                due,
                days: days(due, as_of),
                detail: format!(
                    "convoy {convoy} departed {} on {} for {}, due {due}, not arrived",
                    s.site(leg.from).id,
                    leg.depart,
                    s.site(leg.to).id
                ),
            });
        }
    }
    let done: BTreeSet<&str> = events.iter().filter_map(|(_, e)| e.reference()).collect();
    let planned_moves = plan
        .convoys
        .iter()
        .map(|m| (&m.id, &m.depart, &m.from, &m.to, "convoy"))
        .chain(
            plan.flights
                .iter()
                .map(|m| (&m.id, &m.depart, &m.from, &m.to, "flight")),
        );
    for (id, depart, from, to, what) in planned_moves {
        let Ok(d) = depart.parse::<Date>() else {
            continue;
        };
        if d < as_of && !id.contains('@') && !done.contains(id.as_str()) {
            late.push(Late {
                what: "movement",
                id: id.clone(),
                due: d,
                days: days(d, as_of),
                detail: format!("planned {what} {id} {from} -> {to} on {d} not recorded"),
            });
        }
    }
    let rank = |w: &str| ["site", "convoy", "movement"].iter().position(|x| *x == w);
    late.sort_by(|a, b| (rank(a.what), a.due, &a.id).cmp(&(rank(b.what), b.due, &b.id)));
    let personnel_out = s
        .contingents
        .iter()
        .enumerate()
        .map(|(k, ct)| {
            let pl: i64 = out_planned.iter().map(|q| q[2 + k]).sum();
            let ac: i64 = st.delivered.iter().map(|q| q[2 + k]).sum();
            (ct.id.clone(), pl, ac)
        })
        .collect();
    Status {
        as_of,
        events: events.iter().filter(|(_, e)| e.date <= as_of).count(),
        sites,
        personnel_out,
        under_way: st.under_way.len(),
        late,
    }
}

fn opt(d: Option<Date>) -> Value {
    d.map_or(Value::Null, |d| json!(d.to_string()))
}

impl Status {
    /// Total personnel out: planned, actual.
    pub fn personnel_out_total(&self) -> (i64, i64) {
        self.personnel_out
            .iter()
            .fold((0, 0), |(a, b), (_, p, x)| (a + p, b + x))
    }

    /// The status as JSON, for dashboards (`track status --format json`).
    pub fn to_json(&self) -> Value {
        let (pp, pa) = self.personnel_out_total();
        json!({
            "as_of": self.as_of.to_string(),
            "events": self.events,
            "under_way": self.under_way,
            "personnel_out": {
                "planned": pp,
                "actual": pa,
                "by_contingent": self.personnel_out.iter().map(|(c, p, a)| json!({
                    "contingent": c, "planned": p, "actual": a,
                })).collect::<Vec<_>>(),
            },
            "sites": self.sites.iter().map(|r| json!({
                "site": r.site,
                "kind": r.kind,
                "state": r.state,
                "planned": { "personnel": r.planned[0], "teu": r.planned[1], "vehicles": r.planned[2] },
                "actual": { "personnel": r.actual[0], "teu": r.actual[1], "vehicles": r.actual[2] },
                "planned_closure": opt(r.planned_closure),
                "closed": opt(r.closed),
                "close_by": opt(r.close_by),
            })).collect::<Vec<_>>(),
            "late": self.late.iter().map(|l| json!({
                "what": l.what, "id": l.id, "due": l.due.to_string(), "days": l.days,
                "detail": l.detail,
            })).collect::<Vec<_>>(),
        })
    }

    /// The plan-vs-actual table as CSV: one row per site (exits count what reached them).
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "as_of",
            "site",
            "kind",
            "state",
            "planned_personnel",
            "actual_personnel",
            "planned_teu",
            "actual_teu",
            "planned_vehicles",
            "actual_vehicles",
            "planned_closure",
            "closed",
            "close_by",
            "late_days",
        ])
        .expect("writing to a Vec");
        for r in &self.sites {
            let late = self
                .late
                .iter()
                .find(|l| l.what == "site" && l.id == r.site)
                .map_or(String::new(), |l| l.days.to_string());
            let d = |x: Option<Date>| x.map_or(String::new(), |d| d.to_string());
            w.write_record([
                self.as_of.to_string(),
                r.site.clone(),
                r.kind.to_string(),
                r.state.to_string(),
                r.planned[0].to_string(),
                r.actual[0].to_string(),
                r.planned[1].to_string(),
                r.actual[1].to_string(),
                r.planned[2].to_string(),
                r.actual[2].to_string(),
                d(r.planned_closure),
                d(r.closed),
                d(r.close_by),
                late,
            ])
            .expect("writing to a Vec");
        }
        String::from_utf8(w.into_inner().expect("a Vec never fails to flush")).expect("CSV of text")
    }
}
