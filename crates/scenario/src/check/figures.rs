//! Closures, closure order and figures, recomputed and compared with the plan's claims.

use super::resolve::{self, Resolved, Via};
use super::{Findings, SiteFigures};
use crate::planfile::{PlanFile, TotalsRow};
use model::{Period, Scenario, SiteId, SiteKind, Totals};
use std::collections::HashSet;

/// Check closure order (V030), claimed site rows (V031) and claimed totals (V070);
/// return the recomputed per-site figures and totals.
pub(super) fn check(
    s: &Scenario,
    plan: &PlanFile,
    resolved: &Resolved<'_>,
    closures: &[Option<Period>],
    out: &mut Findings<'_>,
) -> (Vec<SiteFigures>, Totals) {
    let sites: Vec<SiteFigures> = closures
        .iter()
        .enumerate()
        .map(|(i, &closure)| SiteFigures {
            site: SiteId(i as u32),
            id: s.sites[i].id.clone(),
            closure,
            closure_date: closure.map(|p| out.day(p)),
            late_days: late_days(s, SiteId(i as u32), closure),
        })
        .collect();
    order(s, closures, out);
    claimed_sites(s, plan, &sites, out);
    let totals = totals(s, plan, resolved, &sites);
    claimed_totals(&plan.totals, &totals, out);
    (sites, totals)
}

/// Days by which `closure` misses the site's deadline.
fn late_days(s: &Scenario, site: SiteId, closure: Option<Period>) -> u32 {
    match (closure, s.site(site).close_by) {
        (Some(c), Some(d)) if c > d => (c.0 - d.0) * s.horizon.period_days,
        _ => 0,
    }
}

/// V030: a site closes no earlier than the sites it must close after. A site without a
/// closure (it never gives up stock) takes part in no order: if it holds stock forever the
/// delivery rule already says so.
fn order(s: &Scenario, closures: &[Option<Period>], out: &mut Findings<'_>) {
    for (i, site) in s.sites.iter().enumerate() {
        let Some(mine) = closures[i] else { continue };
        for &j in &site.after {
            if let Some(theirs) = closures[j.idx()]
                && mine < theirs
            {
                out.add(
                    "V030",
                    &site.id,
                    Some(mine),
                    format!(
                        "{} closes on {}, before {} closes on {}, but it must close after it",
                        site.id,
                        out.day(mine),
                        s.site(j).id,
                        out.day(theirs)
                    ),
                );
            }
        }
    }
}

/// V031: every site row tells the truth, and every site with a closure has a row.
fn claimed_sites(s: &Scenario, plan: &PlanFile, sites: &[SiteFigures], out: &mut Findings<'_>) {
    let mut seen = HashSet::new();
    for row in &plan.sites {
        let id = row.site.as_str();
        let Some(site) = s.site_by_id(id) else {
            out.add(
                "V031",
                id,
                None,
                format!("the plan lists `{id}`, which is not a site of the scenario"),
            );
            continue;
        };
        if !seen.insert(site) {
            out.add(
                "V031",
                id,
                None,
                format!("the plan lists {id} more than once"),
            );
            continue;
        }
        let fig = &sites[site.idx()];
        let claimed = match &row.closure {
            None => Some(None),
            // An unreadable date is already a V001/V002 violation; it cannot be compared.
            Some(text) => resolve::period(s, out, id, "claimed closure", text).map(Some),
        };
        if let Some(claimed) = claimed
            && claimed != fig.closure
        {
            out.add(
                "V031",
                id,
                fig.closure,
                format!(
                    "the plan says {id} closes {}, but it closes {}",
                    closing(out, claimed),
                    closing(out, fig.closure)
                ),
            );
        }
        let close_by = s.site(site).close_by.map(|p| out.day(p));
        if row.close_by != close_by {
            out.add(
                "V031",
                id,
                None,
                format!(
                    "the plan gives {id} the deadline {}, but the scenario says {}",
                    row.close_by.as_deref().unwrap_or("none"),
                    close_by.as_deref().unwrap_or("none")
                ),
            );
        }
        if row.late_days != fig.late_days {
            out.add(
                "V031",
                id,
                fig.closure,
                format!(
                    "the plan says {id} is {} days late, but it is {} days late",
                    row.late_days, fig.late_days
                ),
            );
        }
    }
    for fig in sites {
        if let Some(c) = fig.closure
            && !seen.contains(&fig.site)
        {
            let id = &s.site(fig.site).id;
            out.add(
                "V031",
                id,
                Some(c),
                format!(
                    "{id} closes on {} but the plan does not list it",
                    out.day(c)
                ),
            );
        }
    }
}

fn closing(out: &Findings<'_>, p: Option<Period>) -> String {
    p.map_or_else(|| "never".to_string(), |p| format!("on {}", out.day(p)))
}

/// The figures of `docs/plan-semantics.md`, from the resolved movements.
fn totals(s: &Scenario, plan: &PlanFile, resolved: &Resolved<'_>, sites: &[SiteFigures]) -> Totals {
    let pd = s.horizon.period_days;
    let mut t = Totals {
        convoys: u32::try_from(plan.convoys.len()).unwrap_or(u32::MAX),
        sorties: plan
            .flights
            .iter()
            .fold(0u32, |n, f| n.saturating_add(f.sorties)),
        ..Totals::default()
    };
    let mut fleet_cost = 0.0;
    let mut air_cost = 0.0;
    let mut makespan = 0u32;
    for m in &resolved.moves {
        match m.via {
            Via::Road { road, ref units } => {
                let road = &s.roads[road.idx()];
                let mut n_units = 0.0;
                for &(f, n) in units {
                    let km = f64::from(n) * road.km;
                    n_units += f64::from(n);
                    t.unit_km += km;
                    fleet_cost += km * s.fleets[f.idx()].cost_per_km;
                }
                t.exposure += (n_units + f64::from(m.vehicles)) * road.km * f64::from(road.hazard);
            }
            Via::Air { aircraft, sorties } => {
                let hours = f64::from(sorties) * s.flight_hours(aircraft, m.from, m.to);
                t.flight_hours += hours;
                air_cost += hours * s.aircraft[aircraft.idx()].cost_per_hour;
            }
        }
        if m.carries_stock() && s.site(m.to).kind == SiteKind::Exit {
            makespan = makespan.max(m.arrive.0 * pd);
        }
    }
    for a in &resolved.left {
        t.abandon_penalty += f64::from(a.teu) * s.abandon.teu_penalty
            + f64::from(a.vehicles) * s.abandon.vehicle_penalty;
        if a.teu > 0 || a.vehicles > 0 {
            makespan = makespan.max((a.period.0 + 1) * pd);
        }
    }
    t.cost = fleet_cost + air_cost;
    t.late_days = sites.iter().map(|f| f.late_days).sum();
    t.makespan_days = makespan;
    let w = &s.objective;
    t.objective = w.lateness * f64::from(t.late_days)
        + w.makespan * f64::from(t.makespan_days)
        + w.exposure * t.exposure
        + w.cost * t.cost
        + t.abandon_penalty;
    t
}

/// V070: claimed totals equal the recomputed ones; counts exactly, amounts within 0.5%
/// or 0.1, whichever is larger (plan files round unit-km and exposure to one decimal).
fn claimed_totals(claim: &TotalsRow, t: &Totals, out: &mut Findings<'_>) {
    let counts = [
        ("convoys", claim.convoys, t.convoys),
        ("sorties", claim.sorties, t.sorties),
        ("late_days", claim.late_days, t.late_days),
        ("makespan_days", claim.makespan_days, t.makespan_days),
    ];
    for (name, said, is) in counts {
        if said != is {
            out.add(
                "V070",
                "totals",
                None,
                format!("the plan claims {name} = {said}, but it is {is}"),
            );
        }
    }
    let amounts = [
        ("unit_km", claim.unit_km, t.unit_km),
        ("flight_hours", claim.flight_hours, t.flight_hours),
        ("exposure", claim.exposure, t.exposure),
        ("cost", claim.cost, t.cost),
        ("abandon_penalty", claim.abandon_penalty, t.abandon_penalty),
        ("objective", claim.objective, t.objective),
    ];
    for (name, said, is) in amounts {
        let tolerance = (0.005 * is.abs()).max(0.1);
        // A NaN claim is never within tolerance.
        let within = (said - is).abs() <= tolerance;
        if !within {
            out.add(
                "V070",
                "totals",
                None,
                format!("the plan claims {name} = {said}, but it is {is:.3}"),
            );
        }
    }
}
