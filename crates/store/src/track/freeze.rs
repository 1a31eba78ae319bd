//! Freezing the past: the recorded movements as the beginning of a [`model::Plan`], and
//! the recorded hazards as restrictions for planning the rest.
//!
//! Each convoy leg becomes a plan convoy named `REF@DATE` (the convoy's reference and its
//! departure day), each flight `FLIGHT@DATE` (or `#EVENT@DATE` when it has no flight
//! number), each abandonment or handover a plan abandonment. Names depend only on the
//! event, never on its position in the log, so a leg keeps its name from one re-plan to
//! the next, and `@` keeps them apart from any planner's own ids. Travel times are the
//! scenario's (`docs/plan-semantics.md` makes them exact): a convoy that arrived late is
//! frozen as if on time, which only makes its stock available earlier in the plan than
//! in reality, at a day that lies in the past anyway.

use super::event::{Event, HazardKind, What};
use jiff::civil::Date;
use model::{
    Abandonment, Convoy, Flight, Load, Period, Plan, Restriction, RoadId, Scenario, SiteId, Window,
};
use std::collections::BTreeMap;

/// The recorded movements as a plan prefix.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Frozen {
    /// Convoys, flights and abandonments recorded (no claimed sites or totals).
    pub plan: Plan,
    /// For each frozen movement id, the id of the event it comes from.
    pub origin: BTreeMap<String, i64>,
    /// The latest event date, if any event is recorded.
    pub last: Option<Date>,
}

fn load(s: &Scenario, personnel: &BTreeMap<String, u32>, teu: u32, vehicles: u32) -> Load {
    let mut p: Vec<(model::ContingentId, u32)> = personnel
        .iter()
        .filter_map(|(id, &n)| s.contingent_by_id(id).map(|c| (c, n)))
        .filter(|&(_, n)| n > 0)
        .collect();
    p.sort_by_key(|&(c, _)| c);
    Load {
        personnel: p,
        teu,
        vehicles,
    }
}

/// The movements of `events` (id and event; valid events, as the log holds) as a plan
/// prefix. Events whose ids the scenario does not know are skipped.
pub fn freeze(s: &Scenario, events: &[(i64, &Event)]) -> Frozen {
    let h = &s.horizon;
    let mut f = Frozen::default();
    for &(id, e) in events {
        f.last = Some(f.last.map_or(e.date, |l: Date| l.max(e.date)));
        let Some(p) = h.period_of(e.date) else {
            continue;
        };
        match &e.what {
            What::ConvoyDeparted {
                convoy,
                road,
                from,
                to,
                units,
                cargo,
            } => {
                let (Some(road), Some(a), Some(b)) = (
                    road.as_deref().and_then(|r| s.road_by_id(r)),
                    s.site_by_id(from),
                    s.site_by_id(to),
                ) else {
                    continue;
                };
                let name = format!("{convoy}@{}", e.date);
                let mut us: Vec<_> = units
                    .iter()
                    .filter_map(|(k, &n)| s.fleet_by_id(k).map(|fl| (fl, n)))
                    .collect();
                us.sort_by_key(|&(fl, _)| fl);
                f.origin.insert(name.clone(), id);
                f.plan.convoys.push(Convoy {
                    id: name,
                    road,
                    from: a,
                    to: b,
                    depart: p,
                    arrive: p.plus(s.roads[road.idx()].periods),
                    units: us,
                    load: load(s, &cargo.personnel, cargo.teu, cargo.vehicles),
                });
            }
            What::FlightFlown {
                flight,
                aircraft,
                sorties,
                from,
                to,
                cargo,
            } => {
                let (Some(t), Some(a), Some(b)) = (
                    s.aircraft_by_id(aircraft),
                    s.site_by_id(from),
                    s.site_by_id(to),
                ) else {
                    continue;
                };
                let name = match flight {
                    Some(n) => format!("{n}@{}", e.date),
                    None => format!("#{id}@{}", e.date),
                };
                f.origin.insert(name.clone(), id);
                f.plan.flights.push(Flight {
                    id: name,
                    aircraft: t,
                    sorties: *sorties,
                    from: a,
                    to: b,
                    depart: p,
                    arrive: p.plus(s.flight_periods(t, a, b)),
                    load: load(s, &cargo.personnel, cargo.teu, 0),
                });
            }
            What::StockLeft {
                site,
                teu,
                vehicles,
                ..
            } => {
                if let Some(site) = s.site_by_id(site) {
                    f.plan.abandoned.push(Abandonment {
                        site,
                        period: p,
                        teu: *teu,
                        vehicles: *vehicles,
                    });
                }
            }
            What::ConvoyArrived { .. } | What::SiteClosed { .. } | What::Hazard { .. } => {}
        }
    }
    f.plan
        .convoys
        .sort_by(|a, b| (a.depart, &a.id).cmp(&(b.depart, &b.id)));
    f.plan
        .flights
        .sort_by(|a, b| (a.depart, &a.id).cmp(&(b.depart, &b.id)));
    f.plan.abandoned.sort_by_key(|a| (a.period, a.site));
    f
}

/// The first period a re-plan may schedule new movements in: the period after the
/// latest recorded event (period 0 for an empty log), or the period of `now` when given
/// (which must not be earlier; `None` when it is or when it lies outside the horizon).
pub fn start_period(s: &Scenario, frozen: &Frozen, now: Option<Date>) -> Option<Period> {
    let h = &s.horizon;
    let after_log = match frozen.last {
        Some(d) => h.period_of(d)?.plus(1),
        None => Period(0),
    };
    match now {
        None => (after_log <= h.last()).then_some(after_log),
        Some(d) => {
            let p = h.period_of(d)?;
            (p >= after_log).then_some(p)
        }
    }
}

/// The scenario to plan the rest with: `s` plus a restriction for every recorded
/// road closure and refused permission that still applies from period `now` on.
///
/// A window is cut to begin at `now`, and after every frozen movement that still uses the
/// road or site (a convoy under way keeps its road and its arrival), so that the frozen
/// past never breaks the added restrictions. A plan that respects the amended scenario
/// respects the original one, since restrictions only take options away.
pub fn amend(s: &Scenario, events: &[(i64, &Event)], frozen: &Plan, now: Period) -> Scenario {
    let h = &s.horizon;
    let mut out = s.clone();
    for &(id, e) in events {
        let What::Hazard {
            hazard,
            road,
            site,
            until,
        } = &e.what
        else {
            continue;
        };
        if *hazard == HazardKind::Incident {
            continue;
        }
        let (Some(from), Some(end)) = (
            h.period_of(e.date),
            h.period_of(until.unwrap_or(e.date))
                .or_else(|| (until.is_some()).then(|| h.last())),
        ) else {
            continue;
        };
        let road: Option<RoadId> = road.as_deref().and_then(|r| s.road_by_id(r));
        let site: Option<SiteId> = site.as_deref().and_then(|x| s.site_by_id(x));
        let mut start = from.max(now);
        for c in &frozen.convoys {
            if Some(c.road) == road || Some(c.to) == site || Some(c.from) == site {
                start = start.max(
                    c.arrive
                        .plus(u32::from(Some(c.to) == site || Some(c.from) == site)),
                );
            }
        }
        for fl in &frozen.flights {
            if Some(fl.to) == site || Some(fl.from) == site {
                start = start.max(fl.arrive.plus(1));
            }
        }
        if start > end {
            continue;
        }
        out.restrictions.push(Restriction {
            id: format!("event-{id}"),
            reason: format!(
                "recorded {} on {}{}",
                hazard.name(),
                e.date,
                e.note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ),
            window: Window {
                from: start,
                until: end,
            },
            roads: road.into_iter().collect(),
            sites: site.into_iter().collect(),
            airfields: Vec::new(),
        });
    }
    out
}
