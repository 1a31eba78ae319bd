//! The planner's own account of a plan: closures and totals, as `docs/plan-semantics.md`
//! defines them. The checker recomputes the same figures independently; a disagreement
//! between the two is a bug in one of them.

use crate::bound::Term;
use model::{FleetKind, Period, Plan, RoadId, Scenario, SiteId, SiteOutcome, Totals};

/// Fill in `plan.sites` and `plan.totals` from the movements.
pub fn summarize(s: &Scenario, plan: &mut Plan) {
    let h = &s.horizon;
    let n = s.sites.len();
    let periods = h.periods as usize;
    // Net change of each site's total holdings per period; a site's closure is the period
    // in which its holdings fall to zero for the last time.
    let mut delta = vec![0i64; n * periods];
    let mut add = |site: SiteId, p: Period, x: i64| delta[site.idx() * periods + p.idx()] += x;
    let mut t = Totals::default();
    let mut last_out: u32 = 0;
    for c in &plan.convoys {
        let road = &s.roads[c.road.idx()];
        if !c.load.is_empty() {
            let q = i64::from(c.load.people() + c.load.teu + c.load.vehicles);
            add(c.from, c.depart, -q);
            add(c.to, c.arrive, q);
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
            let q = i64::from(f.load.people() + f.load.teu);
            add(f.from, f.depart, -q);
            add(f.to, f.arrive, q);
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
        add(a.site, a.period, -i64::from(a.teu + a.vehicles));
        last_out = last_out.max((a.period.0 + 1) * h.period_days);
        t.abandon_penalty += f64::from(a.teu) * s.abandon.teu_penalty
            + f64::from(a.vehicles) * s.abandon.vehicle_penalty;
    }
    plan.sites = (0..n)
        .filter(|&i| s.sites[i].exit.is_none())
        .filter_map(|i| {
            let mut held = i64::from(
                s.sites[i].initial.people() + s.sites[i].initial.teu + s.sites[i].initial.vehicles,
            );
            let mut last_held: Option<usize> = None;
            let mut ever = held > 0;
            for p in 0..periods {
                held += delta[i * periods + p];
                if held > 0 {
                    last_held = Some(p);
                    ever = true;
                }
            }
            let closure = match last_held {
                Some(p) => Period(p as u32 + 1),
                None if ever => Period(0),
                None => return None,
            };
            Some(SiteOutcome {
                site: SiteId(i as u32),
                closure: Some(closure),
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

/// The parts of `plan`'s objective that the bound's LP prices as well, by the LP's
/// [`Term`] and at the objective's weights, every term of a cost in that order: stock
/// vehicles' exposure, each kind of fleet unit's exposure and cost, flights' cost, and the
/// penalties of what is abandoned. With the lateness and the makespan they make up
/// `plan.totals.objective`.
pub fn parts(s: &Scenario, plan: &Plan) -> Vec<(Term, f64)> {
    let roads = road_parts(s, plan);
    let on_roads = |t: Term| roads.iter().filter(|x| x.1 == t).map(|x| x.2).sum();
    let kinds = [FleetKind::Truck, FleetKind::Carrier, FleetKind::Escort];
    let mut out: Vec<(Term, f64)> = std::iter::once(Term::StockVehicles)
        .chain(kinds.map(Term::Units))
        .map(|t| (t, on_roads(t)))
        .chain([Term::Flights, Term::AbandonTeu, Term::AbandonVehicles].map(|t| (t, 0.0)))
        .collect();
    let w = &s.objective;
    let mut add = |t: Term, x: f64| {
        if let Some((_, v)) = out.iter_mut().find(|(u, _)| *u == t) {
            *v += x;
        }
    };
    for f in &plan.flights {
        let hours = f64::from(f.sorties) * s.flight_hours(f.aircraft, f.from, f.to);
        add(
            Term::Flights,
            w.cost * hours * s.aircraft[f.aircraft.idx()].cost_per_hour,
        );
    }
    for a in &plan.abandoned {
        add(Term::AbandonTeu, f64::from(a.teu) * s.abandon.teu_penalty);
        add(
            Term::AbandonVehicles,
            f64::from(a.vehicles) * s.abandon.vehicle_penalty,
        );
    }
    out
}

/// The parts of `plan`'s objective paid on roads ([`Term::StockVehicles`] and
/// [`Term::Units`]), road by road, at the objective's weights, in the order of roads and
/// terms, only those the plan pays on: the plan's side of [`crate::Split::roads`].
pub fn road_parts(s: &Scenario, plan: &Plan) -> Vec<(RoadId, Term, f64)> {
    let w = &s.objective;
    let mut out: std::collections::BTreeMap<(RoadId, Term), f64> = Default::default();
    for c in &plan.convoys {
        let r = &s.roads[c.road.idx()];
        let hk = r.km * f64::from(r.hazard);
        if c.load.vehicles > 0 {
            *out.entry((c.road, Term::StockVehicles)).or_default() +=
                f64::from(c.load.vehicles) * w.exposure * hk;
        }
        for &(f, n) in &c.units {
            let f = &s.fleets[f.idx()];
            let per = w.exposure * hk + w.cost * r.km * f.cost_per_km;
            *out.entry((c.road, Term::Units(f.kind))).or_default() += f64::from(n) * per;
        }
    }
    out.into_iter().map(|((r, t), v)| (r, t, v)).collect()
}
