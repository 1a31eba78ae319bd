//! Rules on single movements and the per-period capacity sums over movements.
//!
//! Per-movement rules are checked as each movement is read; capacities that bind a sum of
//! movements (exit throughput, road capacity, handling, sorties, slots) are accumulated in
//! hash maps keyed by what they bind and checked afterwards, so the cost is linear in the
//! number of movements.

use super::Findings;
use super::resolve::{Move, Resolved, Via};
use model::{AircraftId, FleetId, FleetKind, Period, RoadId, Scenario, SiteId, SiteKind, Window};
use std::collections::HashMap;

/// Per-period sums of movements against the capacities that bind them.
#[derive(Default)]
struct Sums {
    /// Personnel, TEU and vehicles arriving per exit and arrival period (V024).
    exit_in: HashMap<(SiteId, Period), [u64; 3]>,
    /// Vehicles departing per road, departure site and period (V055).
    road: HashMap<(RoadId, SiteId, Period), u128>,
    /// TEU departing per site and period, by road and air (V057).
    handling: HashMap<(SiteId, Period), u64>,
    /// Sorties per aircraft type and departure period (V062).
    sorties: HashMap<(AircraftId, Period), u64>,
    /// Sorties departing plus arriving per airfield and period (V063).
    slots: HashMap<(SiteId, Period), u64>,
}

/// Check every movement and every capacity sum.
pub(super) fn check(s: &Scenario, plan: &Resolved<'_>, out: &mut Findings<'_>) {
    let mut sums = Sums::default();
    for m in &plan.moves {
        ends(s, m, out);
        match m.via {
            Via::Road { road, ref units } => convoy(s, m, road, units, &mut sums, out),
            Via::Air { aircraft, sorties } => flight(s, m, aircraft, sorties, &mut sums, out),
        }
        if s.site(m.to).kind == SiteKind::Exit {
            let e = sums.exit_in.entry((m.to, m.arrive)).or_default();
            e[0] += m.people;
            e[1] += u64::from(m.teu);
            e[2] += u64::from(m.vehicles);
        }
        if m.teu > 0 && s.site(m.from).handling_teu_per_period.is_some() {
            *sums.handling.entry((m.from, m.depart)).or_default() += u64::from(m.teu);
        }
    }
    capacities(s, &sums, out);
}

/// Rules on where a movement starts and ends: site restrictions (V028), nothing leaves an
/// exit (V022), exits take only what they accept (V023).
fn ends(s: &Scenario, m: &Move<'_>, out: &mut Findings<'_>) {
    for (site, p, verb) in [
        (m.from, m.depart, "departs from"),
        (m.to, m.arrive, "arrives at"),
    ] {
        if let Some(r) = s
            .restrictions
            .iter()
            .find(|r| r.window.contains(p) && r.sites.contains(&site))
        {
            out.add(
                "V028",
                m.id,
                Some(p),
                format!(
                    "{} {} {verb} {} on {}, inside restriction {} ({})",
                    m.what,
                    m.id,
                    s.site(site).id,
                    out.day(p),
                    r.id,
                    window(out, r.window)
                ),
            );
        }
    }
    if s.site(m.from).kind == SiteKind::Exit && m.carries_stock() {
        out.add(
            "V022",
            m.id,
            Some(m.depart),
            format!(
                "{} {} carries {} out of exit {}; stock that reached an exit has left the theatre",
                m.what,
                m.id,
                load(m),
                s.site(m.from).id
            ),
        );
    }
    let Some(exit) = &s.site(m.to).exit else {
        return;
    };
    let to = &s.site(m.to).id;
    let mut refuse = |what: String| {
        out.add(
            "V023",
            m.id,
            Some(m.arrive),
            format!(
                "{} {} brings {what} to exit {to}, which does not accept them",
                m.what, m.id
            ),
        );
    };
    if m.teu > 0 && !exit.teu {
        refuse(format!("{} TEU", m.teu));
    }
    if m.vehicles > 0 && !exit.vehicles {
        refuse(format!("{} vehicles", m.vehicles));
    }
    for &(c, n) in &m.personnel {
        if !exit.accepts_contingent(c) {
            refuse(format!("{n} personnel of {}", s.contingents[c.idx()].id));
        }
    }
}

fn convoy(
    s: &Scenario,
    m: &Move<'_>,
    road_id: RoadId,
    units: &[(FleetId, u32)],
    sums: &mut Sums,
    out: &mut Findings<'_>,
) {
    let road = &s.roads[road_id.idx()];
    let (id, from, to) = (m.id, &s.site(m.from).id, &s.site(m.to).id);
    if m.from == m.to || road.other(m.from) != Some(m.to) {
        out.add(
            "V050",
            id,
            None,
            format!(
                "convoy {id} drives from {from} to {to} on road {}, which joins {} and {}",
                road.id,
                s.site(road.a).id,
                s.site(road.b).id
            ),
        );
    }
    let expected = u64::from(m.depart.0) + u64::from(road.periods);
    if u64::from(m.arrive.0) != expected {
        out.add(
            "V010",
            id,
            Some(m.depart),
            format!(
                "convoy {id} departs on {} and arrives on {}, but road {} takes {} period(s), so it arrives on {}",
                out.day(m.depart),
                out.day(m.arrive),
                road.id,
                road.periods,
                day_or_after(s, out, expected)
            ),
        );
    }

    // Sums over the convoy's units, by what each kind of unit contributes; u128 because
    // a plan file may claim any u32 number of units and the checker must not overflow.
    let (mut all_units, mut trucks, mut truck_teu, mut seats, mut escorts, mut cover) =
        (0u128, 0u128, 0u128, 0u128, 0u128, 0u128);
    for &(f, n) in units {
        let fl = &s.fleets[f.idx()];
        let n128 = u128::from(n);
        all_units += n128;
        seats += n128 * u128::from(fl.seats);
        match fl.kind {
            FleetKind::Truck => {
                trucks += n128;
                truck_teu += n128 * u128::from(fl.teu);
            }
            FleetKind::Escort => {
                escorts += n128;
                cover += n128 * u128::from(fl.cover);
            }
            FleetKind::Carrier => {}
        }
        if m.depart < fl.available.from || m.last_occupied() > fl.available.until {
            out.add(
                "V041",
                id,
                Some(m.depart),
                format!(
                    "convoy {id} is under way from {} until {} with {n} units of fleet {}, available only {}",
                    out.day(m.depart),
                    last_day(out, m.last_occupied()),
                    fl.id,
                    window(out, fl.available)
                ),
            );
        }
    }
    let vehicles = u128::from(m.vehicles);
    let vehicle_seats = vehicles * u128::from(s.vehicle_seats);

    if u128::from(m.teu) > truck_teu {
        out.add(
            "V051",
            id,
            Some(m.depart),
            format!(
                "convoy {id} carries {} TEU but its {trucks} trucks hold {truck_teu}",
                m.teu
            ),
        );
    }
    if u128::from(m.people) > seats + vehicle_seats {
        out.add(
            "V052",
            id,
            Some(m.depart),
            format!(
                "convoy {id} carries {} personnel but has {seats} seats in its units and {vehicle_seats} in its {vehicles} stock vehicles",
                m.people
            ),
        );
    }
    let escorted = all_units - escorts + vehicles;
    if road.escort && escorted > cover {
        out.add(
            "V053",
            id,
            Some(m.depart),
            format!(
                "convoy {id} on road {} (escort required) has {escorted} vehicles but its {escorts} escort units cover {cover}",
                road.id
            ),
        );
    }
    if let Some(max) = road.max_convoy
        && all_units + vehicles > u128::from(max)
    {
        out.add(
            "V054",
            id,
            Some(m.depart),
            format!(
                "convoy {id} has {} vehicles ({all_units} units, {vehicles} stock vehicles) but road {} allows {max} in one convoy",
                all_units + vehicles,
                road.id
            ),
        );
    }
    if let Some(w) = road.closed.iter().find(|w| w.overlaps(m.depart, m.arrive)) {
        blocked(out, m, &road.id, format!("closed {}", window(out, *w)));
    } else if let Some(r) = s
        .restrictions
        .iter()
        .find(|r| r.roads.contains(&road_id) && r.window.overlaps(m.depart, m.arrive))
    {
        blocked(
            out,
            m,
            &road.id,
            format!("under restriction {} ({})", r.id, window(out, r.window)),
        );
    }
    if all_units + vehicles == 0 {
        out.add(
            "V058",
            id,
            Some(m.depart),
            format!("convoy {id} has no fleet unit and no stock vehicle"),
        );
    }
    if road.vehicles_per_period.is_some() {
        *sums.road.entry((road_id, m.from, m.depart)).or_default() += all_units + vehicles;
    }
}

/// V056, for a convoy that is on a road while it is closed.
fn blocked(out: &mut Findings<'_>, m: &Move<'_>, road: &str, why: String) {
    out.add(
        "V056",
        m.id,
        Some(m.depart),
        format!(
            "convoy {} is on road {road} from {} until {}, but the road is {why}",
            m.id,
            out.day(m.depart),
            last_day(out, m.last_occupied())
        ),
    );
}

fn flight(
    s: &Scenario,
    m: &Move<'_>,
    aircraft: AircraftId,
    sorties: u32,
    sums: &mut Sums,
    out: &mut Findings<'_>,
) {
    let t = &s.aircraft[aircraft.idx()];
    let id = m.id;
    let n = u64::from(sorties);
    if m.from == m.to {
        out.add(
            "V060",
            id,
            None,
            format!(
                "flight {id} departs from and arrives at {}",
                s.site(m.from).id
            ),
        );
    }
    for (site, p) in [(m.from, m.depart), (m.to, m.arrive)] {
        let sid = &s.site(site).id;
        match &s.site(site).airfield {
            None => out.add(
                "V060",
                id,
                None,
                format!("flight {id} uses {sid}, which has no airfield"),
            ),
            Some(a) if !t.can_use(a) => out.add(
                "V060",
                id,
                None,
                format!(
                    "flight {id}: {} needs {} m of {} runway, but {sid} has {} m {}",
                    t.id,
                    t.min_runway_m,
                    if t.paved_only { "paved" } else { "any" },
                    a.runway_m,
                    if a.paved { "paved" } else { "unpaved" }
                ),
            ),
            Some(a) => {
                if a.slots_per_period.is_some() {
                    *sums.slots.entry((site, p)).or_default() += n;
                }
            }
        }
    }
    let expected = u64::from(m.depart.0) + u64::from(s.flight_periods(aircraft, m.from, m.to));
    if u64::from(m.arrive.0) != expected {
        out.add(
            "V011",
            id,
            Some(m.depart),
            format!(
                "flight {id} departs on {} and arrives on {}, but {} takes {:.1} h from {} to {}, so it arrives on {}",
                out.day(m.depart),
                out.day(m.arrive),
                t.id,
                s.flight_hours(aircraft, m.from, m.to),
                s.site(m.from).id,
                s.site(m.to).id,
                day_or_after(s, out, expected)
            ),
        );
    }
    let seats = n * u64::from(t.seats);
    if m.people > seats {
        out.add(
            "V061",
            id,
            Some(m.depart),
            format!(
                "flight {id} carries {} personnel but {sorties} sorties of {} seat {seats}",
                m.people, t.id
            ),
        );
    }
    let payload = n * u64::from(t.payload_teu);
    if u64::from(m.teu) > payload {
        out.add(
            "V061",
            id,
            Some(m.depart),
            format!(
                "flight {id} carries {} TEU but {sorties} sorties of {} carry {payload}",
                m.teu, t.id
            ),
        );
    }
    if n > 0 && (m.depart < t.available.from || m.last_occupied() > t.available.until) {
        out.add(
            "V062",
            id,
            Some(m.depart),
            format!(
                "flight {id} is flown from {} until {}, but {} flies only {}",
                out.day(m.depart),
                last_day(out, m.last_occupied()),
                t.id,
                window(out, t.available)
            ),
        );
    }
    *sums.sorties.entry((aircraft, m.depart)).or_default() += n;
    for (site, p, verb) in [
        (m.from, m.depart, "departs from"),
        (m.to, m.arrive, "arrives at"),
    ] {
        if let Some(r) = s
            .restrictions
            .iter()
            .find(|r| r.window.contains(p) && r.airfields.contains(&site))
        {
            out.add(
                "V064",
                id,
                Some(p),
                format!(
                    "flight {id} {verb} airfield {} on {}, inside restriction {} ({})",
                    s.site(site).id,
                    out.day(p),
                    r.id,
                    window(out, r.window)
                ),
            );
        }
    }
}

/// The capacity sums: exit throughput (V024), road capacity (V055), handling (V057),
/// sorties (V062) and slots (V063).
fn capacities(s: &Scenario, sums: &Sums, out: &mut Findings<'_>) {
    for (&(site, p), got) in &sums.exit_in {
        let Some(exit) = &s.site(site).exit else {
            continue;
        };
        let caps = [
            ("personnel", exit.personnel_per_period),
            ("TEU", exit.teu_per_period),
            ("vehicles", exit.vehicles_per_period),
        ];
        for (&n, (what, cap)) in got.iter().zip(caps) {
            if let Some(cap) = cap
                && n > u64::from(cap)
            {
                out.add(
                    "V024",
                    &s.site(site).id,
                    Some(p),
                    format!(
                        "{n} {what} arrive at exit {} on {}, but it takes {cap} per period",
                        s.site(site).id,
                        out.day(p)
                    ),
                );
            }
        }
    }
    for (&(r, from, p), &n) in &sums.road {
        let road = &s.roads[r.idx()];
        let cap = road.vehicles_per_period.unwrap_or(u32::MAX);
        if n > u128::from(cap) {
            let to = road.other(from).map_or("?", |t| s.site(t).id.as_str());
            out.add(
                "V055",
                &road.id,
                Some(p),
                format!(
                    "{n} vehicles depart on road {} from {} towards {to} on {}, but it takes {cap} per period and direction",
                    road.id,
                    s.site(from).id,
                    out.day(p)
                ),
            );
        }
    }
    for (&(site, p), &n) in &sums.handling {
        let cap = s.site(site).handling_teu_per_period.unwrap_or(u32::MAX);
        if n > u64::from(cap) {
            out.add(
                "V057",
                &s.site(site).id,
                Some(p),
                format!(
                    "{n} TEU depart from {} on {}, but it handles {cap} per period",
                    s.site(site).id,
                    out.day(p)
                ),
            );
        }
    }
    for (&(t, p), &n) in &sums.sorties {
        let a = &s.aircraft[t.idx()];
        let cap = u64::from(a.count) * u64::from(a.sorties_per_period);
        if n > cap {
            out.add(
                "V062",
                &a.id,
                Some(p),
                format!(
                    "{n} sorties of {} depart on {}, but {} airframes fly {cap} per period",
                    a.id,
                    out.day(p),
                    a.count
                ),
            );
        }
    }
    for (&(site, p), &n) in &sums.slots {
        let cap = s
            .site(site)
            .airfield
            .as_ref()
            .and_then(|a| a.slots_per_period)
            .unwrap_or(u32::MAX);
        if n > u64::from(cap) {
            out.add(
                "V063",
                &s.site(site).id,
                Some(p),
                format!(
                    "{n} sorties depart from or arrive at {} on {}, but it has {cap} slots per period",
                    s.site(site).id,
                    out.day(p)
                ),
            );
        }
    }
}

/// A window as `first day..last day`.
fn window(out: &Findings<'_>, w: Window) -> String {
    format!("{}..{}", out.day(w.from), last_day(out, w.until))
}

/// The last day of period `p`.
fn last_day(out: &Findings<'_>, p: Period) -> String {
    let h = out.horizon;
    h.date(p.plus(1))
        .yesterday()
        .map_or_else(|_| out.day(p), |d| d.to_string())
}

/// The first day of period `p`, which may lie after the horizon.
fn day_or_after(s: &Scenario, out: &Findings<'_>, p: u64) -> String {
    match u32::try_from(p) {
        Ok(p) if p <= s.horizon.periods => out.day(Period(p)),
        _ => format!("period {p} (after the horizon)"),
    }
}

/// What a movement carries, for messages.
fn load(m: &Move<'_>) -> String {
    format!(
        "{} personnel, {} TEU and {} vehicles",
        m.people, m.teu, m.vehicles
    )
}
