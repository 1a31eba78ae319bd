//! The explanation of a plan as JSON (`drawdown explain --format json`, and the dashboard)
//! and the plain names of resources, shared by every reader of an explanation.
//!
//! The fields are documented in `docs/explain.md`. Output is deterministic: the
//! explanation's order is kept, maps are ordered and figures rounded.

use crate::planfile::round;
use model::explain::*;
use model::*;
use serde_json::{Value, json};

/// Format tag written into every explanation.
pub const FORMAT: &str = "drawdown-explain/1";

/// The kind and id of a resource, e.g. `("fleet", "escort-gao")`.
pub fn resource_key(s: &Scenario, r: Resource) -> (&'static str, String) {
    match r {
        Resource::Fleet(f) => ("fleet", s.fleets[f.idx()].id.clone()),
        Resource::Aircraft(a) => ("aircraft", s.aircraft[a.idx()].id.clone()),
        Resource::Road(x) => ("road", s.roads[x.idx()].id.clone()),
        Resource::Handling(x) => ("handling", s.site(x).id.clone()),
        Resource::Intake(x, _) => ("exit", s.site(x).id.clone()),
        Resource::Slots(x) => ("slots", s.site(x).id.clone()),
    }
}

fn commodity(c: Commodity) -> &'static str {
    match c {
        Commodity::Personnel => "personnel",
        Commodity::Teu => "teu",
        Commodity::Vehicles => "vehicles",
    }
}

/// A resource in plain words: "the escorts at Gao (fleet escort-gao, 40 units)".
pub fn resource_label(s: &Scenario, r: Resource) -> String {
    match r {
        Resource::Fleet(f) => {
            let f = &s.fleets[f.idx()];
            let kind = match f.kind {
                FleetKind::Truck => "trucks",
                FleetKind::Carrier => "personnel carriers",
                FleetKind::Escort => "escort units",
            };
            format!(
                "the {kind} at {} (fleet {}, {} unit{})",
                s.site(f.home).name,
                f.id,
                f.count,
                if f.count == 1 { "" } else { "s" }
            )
        }
        Resource::Aircraft(a) => {
            let a = &s.aircraft[a.idx()];
            format!(
                "the {} aircraft ({} airframes, {} sorties each per period)",
                a.id, a.count, a.sorties_per_period
            )
        }
        Resource::Road(x) => {
            let road = &s.roads[x.idx()];
            format!(
                "road {} {} - {} ({} vehicles per period)",
                road.id,
                s.site(road.a).name,
                s.site(road.b).name,
                road.vehicles_per_period.unwrap_or(0)
            )
        }
        Resource::Handling(x) => format!(
            "container handling at {} ({} TEU per period)",
            s.site(x).name,
            s.site(x).handling_teu_per_period.unwrap_or(0)
        ),
        Resource::Intake(x, c) => {
            let e = s.site(x).exit.as_ref();
            let cap = e.and_then(|e| match c {
                Commodity::Personnel => e.personnel_per_period,
                Commodity::Teu => e.teu_per_period,
                Commodity::Vehicles => e.vehicles_per_period,
            });
            format!(
                "{} intake at {} ({} per period)",
                commodity(c),
                s.site(x).name,
                cap.unwrap_or(0)
            )
        }
        Resource::Slots(x) => format!(
            "airfield slots at {} ({} per period)",
            s.site(x).name,
            s.site(x)
                .airfield
                .as_ref()
                .and_then(|a| a.slots_per_period)
                .unwrap_or(0)
        ),
    }
}

/// What one more unit of a change is, in plain words: "1 more unit", "5 more per period".
pub fn change_label(s: &Scenario, c: Change) -> String {
    let what = match c.resource {
        Resource::Fleet(f) => {
            let f = &s.fleets[f.idx()];
            let kind = match f.kind {
                FleetKind::Truck => "truck",
                FleetKind::Carrier => "personnel carrier",
                FleetKind::Escort => "escort unit",
            };
            return format!(
                "{} more {kind}{} at {} (fleet {})",
                c.amount,
                if c.amount == 1 { "" } else { "s" },
                s.site(f.home).name,
                f.id
            );
        }
        Resource::Aircraft(a) => {
            return format!(
                "{} more {} airframe{}",
                c.amount,
                s.aircraft[a.idx()].id,
                if c.amount == 1 { "" } else { "s" }
            );
        }
        Resource::Road(x) => format!("vehicles per period on road {}", s.roads[x.idx()].id),
        Resource::Handling(x) => format!("TEU handled per period at {}", s.site(x).name),
        Resource::Intake(x, k) => {
            format!("{} per period into {}", commodity(k), s.site(x).name)
        }
        Resource::Slots(x) => format!("airfield slots per period at {}", s.site(x).name),
    };
    format!("{} more {what}", c.amount)
}

fn resource_json(s: &Scenario, r: Resource) -> Value {
    let (kind, id) = resource_key(s, r);
    let mut v = json!({ "kind": kind, "id": id, "label": resource_label(s, r) });
    if let Resource::Intake(_, c) = r {
        v["commodity"] = json!(commodity(c));
    }
    v
}

fn change_json(s: &Scenario, c: Change) -> Value {
    json!({
        "resource": resource_json(s, c.resource),
        "amount": c.amount,
        "label": change_label(s, c),
    })
}

/// The JSON form of an explanation of a plan for `s` (see `docs/explain.md`).
pub fn to_json(s: &Scenario, e: &Explanation) -> Value {
    let h = &s.horizon;
    let date = |p: Period| h.date(p).to_string();
    let opt_date = |p: Option<Period>| p.map(date);
    let site = |x: SiteId| s.site(x).id.clone();
    let critical = e.critical.as_ref().map(|c| {
        json!({
            "site": site(c.site),
            "closure": date(c.closure),
            "deadline": date(c.deadline),
            "slack_days": c.slack_days,
            "last_movements": c.last.iter().map(|m| json!({
                "id": m.id,
                "depart": date(m.depart),
                "to": site(m.to),
                "resources": m.resources.iter().map(|&r| resource_json(s, r)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "waited_for": c.waited_for.iter().map(|&(r, n)| json!({
                "resource": resource_json(s, r),
                "saturated_days": n * h.period_days,
            })).collect::<Vec<_>>(),
        })
    });
    let binding: Vec<Value> = e
        .binding
        .iter()
        .enumerate()
        .map(|(i, b)| {
            json!({
                "rank": i + 1,
                "resource": resource_json(s, b.resource),
                "saturated": b.saturated.iter().map(|&(a, z)| json!({
                    "from": date(a), "until": date(z),
                })).collect::<Vec<_>>(),
                "saturated_days": b.saturated_periods * h.period_days,
                "shadow_price": round(b.shadow, 3),
                "shadow_from": opt_date(b.shadow_when.map(|w| w.0)),
                "shadow_until": opt_date(b.shadow_when.map(|w| w.1)),
                "critical": b.critical,
                "score": round(b.score, 6),
            })
        })
        .collect();
    let one_more: Vec<Value> = e
        .extras
        .iter()
        .map(|x| {
            json!({
                "change": change_json(s, x.change),
                "in_use_from": opt_date(x.in_use_from),
                "objective_before": round(x.objective_before, 3),
                "objective_after": round(x.objective_after, 3),
                "objective_change": round(x.objective_after - x.objective_before, 3),
                "closures": x.closures.iter().map(|&(i, d)| json!({
                    "site": site(i), "days_earlier": d,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let latest: Vec<Value> = e
        .latest_starts
        .iter()
        .map(|l| {
            json!({
                "site": site(l.site),
                "deadline": date(l.deadline),
                "not_before": date(l.not_before),
                "planned_start": opt_date(l.planned_start),
                "latest_start": opt_date(l.latest),
                "closure_at_latest": opt_date(l.closure_at_latest),
                "margin_days": match (l.latest, l.planned_start) {
                    (Some(a), Some(b)) => Some((i64::from(a.0) - i64::from(b.0)) * i64::from(h.period_days)),
                    _ => None,
                },
                "next_start_late_days": l.next_late_days,
                "replans": l.replans,
            })
        })
        .collect();
    let fix = |f: &Fix| {
        json!({
            "changes": f.changes.iter().map(|&c| change_json(s, c)).collect::<Vec<_>>(),
            "abandon_teu": f.abandon_teu,
            "abandon_vehicles": f.abandon_vehicles,
            "closure": date(f.closure),
            "objective": round(f.objective, 3),
        })
    };
    let late: Vec<Value> = e
        .late
        .iter()
        .map(|l| {
            json!({
                "site": site(l.site),
                "deadline": date(l.deadline),
                "closure": date(l.closure),
                "late_days": l.late_days,
                "move_deadline_to": date(l.closure),
                "resources": l.resources.as_ref().map(fix),
                "abandon": l.abandon.as_ref().map(fix),
            })
        })
        .collect();
    let gap = e.gap.as_ref().map(|g| {
        let (plan, lp) = g
            .parts
            .iter()
            .fold((0.0, 0.0), |(p, l), x| (p + x.plan, l + x.lp));
        json!({
            "against": match g.against {
                GapLp::Deadlines => "deadlines",
                GapLp::Free => "free",
            },
            // Adding 0 turns the LP's -0 into 0.
            "parts": g.parts.iter().map(|x| json!({
                "part": part_name(x.part),
                "plan": round(x.plan, 3) + 0.0,
                "lp": round(x.lp, 3) + 0.0,
                "difference": round(x.plan - x.lp, 3) + 0.0,
            })).collect::<Vec<_>>(),
            "plan": round(plan, 3) + 0.0,
            "lp": round(lp, 3) + 0.0,
            "roads": g.roads.iter().map(|x| json!({
                "road": s.roads[x.road.idx()].id,
                "part": part_name(x.part),
                "plan": round(x.plan, 3) + 0.0,
                "lp": round(x.lp, 3) + 0.0,
                "difference": round(x.plan - x.lp, 3) + 0.0,
            })).collect::<Vec<_>>(),
            "lateness": round(g.lateness, 3),
            "makespan": round(g.makespan, 3),
        })
    });
    json!({
        "format": FORMAT,
        "scenario": s.name,
        "objective": round(e.objective, 3),
        "replans": e.replans,
        "critical": critical,
        "binding": binding,
        "one_more": one_more,
        "latest_start": latest,
        "late": late,
        "gap": gap,
    })
}

/// The name of a part of the objective, in JSON and in tables.
pub fn part_name(p: Part) -> &'static str {
    match p {
        Part::StockVehicles => "stock vehicles",
        Part::Units(FleetKind::Truck) => "trucks",
        Part::Units(FleetKind::Carrier) => "carriers",
        Part::Units(FleetKind::Escort) => "escorts",
        Part::Flights => "flights",
        Part::AbandonedTeu => "containers abandoned",
        Part::AbandonedVehicles => "vehicles abandoned",
    }
}
