//! The residual problem for the re-planning policy.
//!
//! When a site falls too far behind, the remaining work is planned afresh from the
//! simulated state at period `t0` with the same planner that made the plan. The residual
//! scenario is the original one seen from `t0`:
//!
//! - the horizon starts at `t0`; every window (road closures, restrictions, fleet and
//!   aircraft availability) is shifted and clipped, and those already over are dropped;
//! - each site's initial stock is what it holds now plus what is on its way to it, and its
//!   `not_before` is the arrival of the last load on its way, so stock already at a site
//!   waits for the loads still coming (pessimistic by at most one leg);
//! - a site's own stock that may not leave yet (before its `not_before`) is left out, and
//!   the campaign re-plans again on that day to take it in (such re-plans do not count
//!   against the limit): a hub's transit stock is not held back by the hub's own date;
//! - every serviceable fleet unit stands at its home (optimistic: repositioning is free),
//!   units in repair are left out, and fleets and aircraft types that have left are gone;
//! - deadlines are shifted (a deadline already past becomes `t0`: the site is late);
//! - the planner does not know the hazards still to come (closures not yet over, future
//!   departures, seasons): it plans as if none happened, as the first plan did.

use crate::compile::{P0, TEU, Tables, VEH};
use model::*;

/// The simulated state a re-plan starts from.
pub(crate) struct Snapshot<'a> {
    /// First period of the new plan.
    pub t0: u32,
    /// Real holdings by site and class.
    pub held: &'a [i64],
    /// Real loads on their way, by destination and class.
    pub inflight: &'a [i64],
    /// Per site, the last period in which a load on its way arrives (0 for none).
    pub latest: &'a [u32],
    /// Serviceable units per fleet.
    pub serviceable: &'a [u32],
    /// Per site and class, the site's own stock that may not leave before `not_before`.
    pub locked: &'a [i64],
    /// Fleets and aircraft types that have left.
    pub fleet_gone: Vec<bool>,
    pub aircraft_gone: Vec<bool>,
}

/// `w` seen from `t0`, or `None` when it is over.
fn shift(w: Window, t0: u32) -> Option<Window> {
    (w.until.0 >= t0).then(|| Window {
        from: Period(w.from.0.saturating_sub(t0)),
        until: Period(w.until.0 - t0),
    })
}

/// The residual scenario, with the original index of each of its fleets and aircraft
/// types; `None` when there is no time left to plan in.
pub(crate) fn residual(
    s: &Scenario,
    tb: &Tables,
    snap: &Snapshot<'_>,
) -> Option<(Scenario, Vec<FleetId>, Vec<AircraftId>)> {
    let t0 = snap.t0;
    let h = &s.horizon;
    if t0 >= h.periods {
        return None;
    }
    let ncls = tb.ncls;
    let horizon = Horizon::new(h.date(Period(t0)), h.period_days, h.periods - t0);
    let sites = s
        .sites
        .iter()
        .enumerate()
        .map(|(i, site)| {
            let mut x = site.clone();
            let mut initial = Stock::zero(s.contingents.len());
            if site.kind != SiteKind::Exit {
                let q = |c: usize| -> u32 {
                    let at = i * ncls + c;
                    let free = snap.held[at] - snap.locked[at] + snap.inflight[at];
                    u32::try_from(free.max(0)).unwrap_or(u32::MAX)
                };
                initial.teu = q(TEU);
                initial.vehicles = q(VEH);
                for (c, p) in initial.personnel.iter_mut().enumerate() {
                    *p = q(P0 + c);
                }
            }
            x.not_before = Period(snap.latest[i].saturating_sub(t0));
            x.close_by = site.close_by.map(|d| Period(d.0.saturating_sub(t0)));
            // While its own personnel stay locked in, they are the rear guard.
            let locked = snap.locked[i * ncls..(i + 1) * ncls].iter().any(|&q| q > 0);
            x.rear_guard = if locked {
                0
            } else {
                site.rear_guard.min(initial.people())
            };
            x.initial = initial;
            x
        })
        .collect();
    let roads = s
        .roads
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.closed = r.closed.iter().filter_map(|w| shift(*w, t0)).collect();
            r
        })
        .collect();
    let mut fleet_map = Vec::new();
    let fleets = s
        .fleets
        .iter()
        .enumerate()
        .filter_map(|(f, fleet)| {
            let count = snap.serviceable[f];
            if snap.fleet_gone[f] || count == 0 {
                return None;
            }
            let available = shift(fleet.available, t0)?;
            fleet_map.push(FleetId(f as u32));
            Some(Fleet {
                count,
                available,
                ..fleet.clone()
            })
        })
        .collect();
    let mut aircraft_map = Vec::new();
    let aircraft = s
        .aircraft
        .iter()
        .enumerate()
        .filter_map(|(a, t)| {
            if snap.aircraft_gone[a] {
                return None;
            }
            let available = shift(t.available, t0)?;
            aircraft_map.push(AircraftId(a as u32));
            Some(Aircraft {
                available,
                ..t.clone()
            })
        })
        .collect();
    let restrictions = s
        .restrictions
        .iter()
        .filter_map(|r| {
            Some(Restriction {
                window: shift(r.window, t0)?,
                ..r.clone()
            })
        })
        .collect();
    let residual = Scenario {
        name: s.name.clone(),
        horizon,
        vehicle_seats: s.vehicle_seats,
        contingents: s.contingents.clone(),
        sites,
        roads,
        fleets,
        aircraft,
        restrictions,
        objective: s.objective.clone(),
        abandon: s.abandon.clone(),
        hazards: Hazards::default(),
    };
    Some((residual, fleet_map, aircraft_map))
}
