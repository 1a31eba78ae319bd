//! The planner's own account of a plan: closures and totals, as `docs/plan-semantics.md`
//! defines them. The checker recomputes the same figures independently; a disagreement
//! between the two is a bug in one of them.

use model::{Plan, Scenario, SiteOutcome, Totals};

/// Fill in `plan.sites` and `plan.totals` from the movements.
pub fn summarize(s: &Scenario, plan: &mut Plan) {
    let h = &s.horizon;
    let mut closure: Vec<Option<u32>> = vec![None; s.sites.len()];
    let mut bump = |site: usize, p: u32| {
        closure[site] = Some(closure[site].map_or(p, |c| c.max(p)));
    };
    let mut t = Totals::default();
    let mut last_out: u32 = 0;
    for c in &plan.convoys {
        let road = &s.roads[c.road.idx()];
        if !c.load.is_empty() {
            bump(c.from.idx(), c.depart.0);
            if s.site(c.to).exit.is_some() {
                last_out = last_out.max(c.arrive.0 * h.period_days);
            }
        }
        let units: u32 = c.units.iter().map(|&(_, n)| n).sum();
        t.convoys += 1;
        t.unit_km += f64::from(units) * road.km;
        t.exposure += f64::from(units + c.load.vehicles) * road.km * f64::from(road.hazard);
        t.cost += c
            .units
            .iter()
            .map(|&(f, n)| f64::from(n) * road.km * s.fleets[f.idx()].cost_per_km)
            .sum::<f64>();
    }
    for f in &plan.flights {
        if !f.load.is_empty() {
            bump(f.from.idx(), f.depart.0);
            if s.site(f.to).exit.is_some() {
                last_out = last_out.max(f.arrive.0 * h.period_days);
            }
        }
        let hours = f64::from(f.sorties) * s.flight_hours(f.aircraft, f.from, f.to);
        t.sorties += f.sorties;
        t.flight_hours += hours;
        t.cost += hours * s.aircraft[f.aircraft.idx()].cost_per_hour;
    }
    for a in &plan.abandoned {
        bump(a.site.idx(), a.period.0);
        last_out = last_out.max((a.period.0 + 1) * h.period_days);
        t.abandon_penalty += f64::from(a.teu) * s.abandon.teu_penalty
            + f64::from(a.vehicles) * s.abandon.vehicle_penalty;
    }
    plan.sites = closure
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            c.map(|p| SiteOutcome {
                site: model::SiteId(i as u32),
                closure: Some(model::Period(p)),
            })
        })
        .collect();
    t.late_days = plan
        .sites
        .iter()
        .map(|o| match (o.closure, s.site(o.site).close_by) {
            (Some(c), Some(d)) if c > d => (c.0 - d.0) * h.period_days,
            _ => 0,
        })
        .sum();
    t.makespan_days = last_out;
    let w = &s.objective;
    t.objective = w.lateness * f64::from(t.late_days)
        + w.makespan * f64::from(t.makespan_days)
        + w.exposure * t.exposure
        + w.cost * t.cost
        + t.abandon_penalty;
    plan.totals = t;
}
