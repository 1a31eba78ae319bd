//! Replaying the log: where every person, container, vehicle and fleet unit is on a given
//! day, and whether a new batch of events is possible given everything recorded.
//!
//! The replay orders events by date and, within a day, as `docs/plan-semantics.md` orders
//! a period: arrivals (convoys arriving, flights landing) first, then departures, then
//! stock left behind, then closures. It starts from the scenario's initial stock, with
//! every fleet's units at its home. Stock a convoy carries reaches its destination on the
//! recorded arrival; a flight's load lands after the flight time of the scenario (flights
//! have no arrival event). An event that takes more than is there, names something the
//! scenario does not have, or is dated before the state it needs is reported with a code.
//!
//! Once the replay is clean, [`check`] also runs the independent checker
//! (`scenario::check::verify`) over the movements recorded so far (`freeze.rs`): what
//! movement control records must keep the past a valid beginning of a plan, so that a
//! re-plan that keeps it can pass the checker. Rules that only the future can satisfy
//! (delivery, fleets back home, `after` orders, claimed figures) are left out.

use super::event::{Cargo, Event, What};
use super::freeze;
use super::problem::{Loc, Problem};
use jiff::civil::Date;
use model::{AircraftId, FleetId, Period, RoadId, Scenario, SiteId};
use std::collections::{BTreeMap, BTreeSet};

/// Commodity index: 0 containers, 1 vehicles, 2 + c personnel of contingent c.
const TEU: usize = 0;
const VEH: usize = 1;
const P0: usize = 2;

/// Checker rules that a beginning of a plan cannot satisfy yet: delivery (V021), fleets
/// back home (V042), `after` orders (V030, closures are not final) and the claimed
/// closures and figures (V031, V070), which a log does not claim.
pub const FUTURE_RULES: [&str; 5] = ["V021", "V030", "V031", "V042", "V070"];

/// An event with its identity: its id in the log (new events get the ids they will
/// have) and where it came from.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    /// Event id (append order).
    pub id: i64,
    /// Where it came from (`log` for recorded events).
    pub loc: Loc,
    /// The event.
    pub event: &'a Event,
}

/// A convoy on the road.
#[derive(Clone, Debug, PartialEq)]
pub struct Leg {
    /// Id of the departure event.
    pub event: i64,
    /// The road.
    pub road: RoadId,
    /// Departure site.
    pub from: SiteId,
    /// Destination site.
    pub to: SiteId,
    /// Day of departure.
    pub depart: Date,
    /// Period the scenario's travel time brings it to `to`.
    pub due: Period,
    /// Fleet units.
    pub units: Vec<(FleetId, u32)>,
    /// Cargo by commodity index (containers, vehicles, personnel by contingent).
    pub cargo: Vec<i64>,
}

/// Where everything is after the events replayed.
#[derive(Clone, Debug)]
pub struct State {
    /// Stock held at each site, by commodity index (`[teu, vehicles, personnel...]`);
    /// exits hold nothing.
    pub held: Vec<Vec<i64>>,
    /// Stock that reached each exit (and so left the theatre), by commodity index.
    pub delivered: Vec<Vec<i64>>,
    /// Stock left behind (abandoned or handed over) at each site: containers, vehicles.
    pub left: Vec<[i64; 2]>,
    /// Fleet units standing at each site, per fleet (`units[fleet][site]`).
    pub units: Vec<Vec<i64>>,
    /// Convoys under way, by reference.
    pub under_way: BTreeMap<String, Leg>,
    /// Flights whose load has not landed yet: (event id, destination, landing period).
    pub in_flight: Vec<(i64, SiteId, Period)>,
    /// Day each site was declared closed.
    pub closed: Vec<Option<Date>>,
    /// Latest event date replayed.
    pub last: Option<Date>,
}

impl State {
    fn new(s: &Scenario) -> Self {
        let n = s.sites.len();
        let held = s
            .sites
            .iter()
            .map(|site| {
                let mut q = vec![
                    i64::from(site.initial.teu),
                    i64::from(site.initial.vehicles),
                ];
                q.extend(site.initial.personnel.iter().map(|&p| i64::from(p)));
                q
            })
            .collect();
        let units = s
            .fleets
            .iter()
            .map(|f| {
                let mut at = vec![0; n];
                at[f.home.idx()] = i64::from(f.count);
                at
            })
            .collect();
        State {
            held,
            delivered: vec![vec![0; P0 + s.contingents.len()]; n],
            left: vec![[0, 0]; n],
            units,
            under_way: BTreeMap::new(),
            in_flight: Vec::new(),
            closed: vec![None; n],
            last: None,
        }
    }

    fn add(&mut self, s: &Scenario, site: SiteId, q: &[i64]) {
        let to = if s.site(site).exit.is_some() {
            &mut self.delivered[site.idx()]
        } else {
            &mut self.held[site.idx()]
        };
        for (h, x) in to.iter_mut().zip(q) {
            *h += x;
        }
    }
}

/// An event resolved against the scenario.
#[derive(Clone, Debug)]
enum Resolved {
    Depart {
        convoy: String,
        road: RoadId,
        from: SiteId,
        to: SiteId,
        units: Vec<(FleetId, u32)>,
        cargo: Vec<i64>,
    },
    Arrive {
        convoy: String,
    },
    Fly {
        from: SiteId,
        to: SiteId,
        cargo: Vec<i64>,
        periods: u32,
    },
    Leave {
        site: SiteId,
        teu: u32,
        vehicles: u32,
    },
    Close {
        site: SiteId,
    },
    Note,
}

fn commodity_name(s: &Scenario, k: usize) -> String {
    match k {
        TEU => "TEU".to_string(),
        VEH => "vehicles".to_string(),
        k => format!("personnel of {}", s.contingents[k - P0].id),
    }
}

fn commodity_field(s: &Scenario, k: usize) -> String {
    match k {
        TEU => "teu".to_string(),
        VEH => "vehicles".to_string(),
        k => format!("personnel:{}", s.contingents[k - P0].id),
    }
}

/// Resolve the ids of `e`, filling in the road of a convoy that names none. Returns the
/// resolved event and the event as it will be stored, or the problems.
fn resolve(s: &Scenario, e: &Event, loc: &Loc) -> Result<(Resolved, Event), Vec<Problem>> {
    let mut p = Vec::new();
    let h = &s.horizon;
    let span = || format!("{} to {}", h.start, h.date(h.last()));
    if h.period_of(e.date).is_none() {
        p.push(Problem::new(
            "T108",
            loc,
            "date",
            format!("{} is outside the scenario's horizon ({})", e.date, span()),
            "check the date; events can only be recorded inside the horizon",
        ));
    }
    let site = |field: &str, id: &str, p: &mut Vec<Problem>| -> Option<SiteId> {
        let r = s.site_by_id(id);
        if r.is_none() {
            p.push(Problem::new(
                "T101",
                loc,
                field,
                format!("unknown site `{id}`"),
                format!(
                    "use a site id of the scenario ({})",
                    ids(s.sites.iter().map(|x| &x.id))
                ),
            ));
        }
        r
    };
    let cargo = |c: &Cargo, p: &mut Vec<Problem>| -> Vec<i64> {
        let mut q = vec![0; P0 + s.contingents.len()];
        q[TEU] = i64::from(c.teu);
        q[VEH] = i64::from(c.vehicles);
        for (id, &n) in &c.personnel {
            match s.contingent_by_id(id) {
                Some(k) => q[P0 + k.idx()] += i64::from(n),
                None => p.push(Problem::new(
                    "T106",
                    loc,
                    format!("personnel:{id}"),
                    format!("unknown contingent `{id}`"),
                    format!(
                        "use a contingent id of the scenario ({})",
                        ids(s.contingents.iter().map(|x| &x.id))
                    ),
                )),
            }
        }
        q
    };
    let mut stored = e.clone();
    let r = match &e.what {
        What::ConvoyDeparted {
            convoy,
            road,
            from,
            to,
            units,
            cargo: c,
        } => {
            let a = site("from", from, &mut p);
            let b = site("to", to, &mut p);
            let road_id = match (road, a, b) {
                (Some(r), _, _) => match s.road_by_id(r) {
                    Some(rid) => {
                        let rr = &s.roads[rid.idx()];
                        if let (Some(a), Some(b)) = (a, b)
                            && rr.other(a) != Some(b)
                        {
                            p.push(Problem::new(
                                "T103",
                                loc,
                                "road",
                                format!("road `{r}` joins {} and {}, not {from} and {to}", s.site(rr.a).id, s.site(rr.b).id),
                                "give the road the convoy drove between `from` and `to`, or leave `road` out when one road joins them",
                            ));
                        }
                        Some(rid)
                    }
                    None => {
                        p.push(Problem::new(
                            "T102",
                            loc,
                            "road",
                            format!("unknown road `{r}`"),
                            "use a road id of the scenario (FROM-TO unless the file names it)",
                        ));
                        None
                    }
                },
                (None, Some(a), Some(b)) => {
                    let r = s.road_between(a, b);
                    if r.is_none() {
                        p.push(Problem::new(
                            "T102",
                            loc,
                            "to",
                            format!("no road of the scenario joins {from} and {to}"),
                            "record each road leg as its own convoy-departed event (a convoy that drives several roads has one leg per road)",
                        ));
                    }
                    r
                }
                _ => None,
            };
            let mut us = Vec::new();
            for (f, &n) in units {
                match s.fleet_by_id(f) {
                    Some(fid) => us.push((fid, n)),
                    None => p.push(Problem::new(
                        "T104",
                        loc,
                        format!("units:{f}"),
                        format!("unknown fleet `{f}`"),
                        format!(
                            "use a fleet id of the scenario ({})",
                            ids(s.fleets.iter().map(|x| &x.id))
                        ),
                    )),
                }
            }
            let q = cargo(c, &mut p);
            if let What::ConvoyDeparted { road, .. } = &mut stored.what {
                *road = road_id.map(|r| s.roads[r.idx()].id.clone());
            }
            match (road_id, a, b) {
                (Some(road), Some(from), Some(to)) => Some(Resolved::Depart {
                    convoy: convoy.clone(),
                    road,
                    from,
                    to,
                    units: us,
                    cargo: q,
                }),
                _ => None,
            }
        }
        What::ConvoyArrived { convoy } => Some(Resolved::Arrive {
            convoy: convoy.clone(),
        }),
        What::FlightFlown {
            aircraft,
            from,
            to,
            cargo: c,
            ..
        } => {
            let a = site("from", from, &mut p);
            let b = site("to", to, &mut p);
            let t: Option<AircraftId> = s.aircraft_by_id(aircraft);
            if t.is_none() {
                p.push(Problem::new(
                    "T105",
                    loc,
                    "aircraft",
                    format!("unknown aircraft type `{aircraft}`"),
                    format!(
                        "use an aircraft id of the scenario ({})",
                        ids(s.aircraft.iter().map(|x| &x.id))
                    ),
                ));
            }
            let q = cargo(c, &mut p);
            match (t, a, b) {
                (Some(t), Some(from), Some(to)) => Some(Resolved::Fly {
                    from,
                    to,
                    cargo: q,
                    periods: s.flight_periods(t, from, to),
                }),
                _ => None,
            }
        }
        What::StockLeft {
            site: id,
            teu,
            vehicles,
            ..
        } => site("site", id, &mut p).map(|site| Resolved::Leave {
            site,
            teu: *teu,
            vehicles: *vehicles,
        }),
        What::SiteClosed { site: id } => {
            site("site", id, &mut p).map(|site| Resolved::Close { site })
        }
        What::Hazard { road, site: at, .. } => {
            if let Some(id) = at {
                site("site", id, &mut p);
            }
            if let Some(r) = road
                && s.road_by_id(r).is_none()
            {
                p.push(Problem::new(
                    "T102",
                    loc,
                    "road",
                    format!("unknown road `{r}`"),
                    "use a road id of the scenario (FROM-TO unless the file names it)",
                ));
            }
            Some(Resolved::Note)
        }
    };
    match r {
        Some(r) if p.is_empty() => Ok((r, stored)),
        _ => Err(p),
    }
}

fn ids<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<&str> = it.map(String::as_str).collect();
    if v.len() > 12 {
        format!("{}, ... ({} in all)", v[..12].join(", "), v.len())
    } else {
        v.join(", ")
    }
}

/// One step of the replay timeline.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// The event itself.
    Event(usize),
    /// A flight's load landing (index of the flight event).
    Land(usize),
}

/// Replay `entries` up to and including day `until` (all when `None`), starting from the
/// scenario's initial state. Returns the state and the problems found; entries must all
/// resolve (as every recorded event does).
pub fn replay(s: &Scenario, entries: &[Entry<'_>], until: Option<Date>) -> (State, Vec<Problem>) {
    let resolved: Vec<Option<Resolved>> = entries
        .iter()
        .map(|e| resolve(s, e.event, &e.loc).ok().map(|(r, _)| r))
        .collect();
    run(s, entries, &resolved, until)
}

fn rank(r: &Resolved) -> u8 {
    match r {
        Resolved::Arrive { .. } => 0,
        Resolved::Depart { .. } | Resolved::Fly { .. } => 1,
        Resolved::Leave { .. } => 2,
        Resolved::Close { .. } => 3,
        Resolved::Note => 4,
    }
}

fn run(
    s: &Scenario,
    entries: &[Entry<'_>],
    resolved: &[Option<Resolved>],
    until: Option<Date>,
) -> (State, Vec<Problem>) {
    let h = &s.horizon;
    let mut timeline: Vec<(Date, u8, i64, Step)> = Vec::new();
    for (i, (e, r)) in entries.iter().zip(resolved).enumerate() {
        let Some(r) = r else { continue };
        timeline.push((e.event.date, rank(r), e.id, Step::Event(i)));
        if let Resolved::Fly { periods, .. } = r
            && let Some(p) = h.period_of(e.event.date)
        {
            timeline.push((h.date(p.plus(*periods)), 0, e.id, Step::Land(i)));
        }
    }
    timeline.sort_by_key(|&(d, r, id, step)| (d, r, id, matches!(step, Step::Event(_))));
    let mut st = State::new(s);
    let mut problems = Vec::new();
    for (ti, &(date, _, _, step)) in timeline.iter().enumerate() {
        if until.is_some_and(|u| date > u) {
            break;
        }
        let later = &timeline[ti + 1..];
        match step {
            Step::Land(i) => {
                let Some(Resolved::Fly { to, cargo, .. }) = &resolved[i] else {
                    continue;
                };
                st.in_flight.retain(|&(id, _, _)| id != entries[i].id);
                if let Some(c) = st.closed[to.idx()]
                    && cargo.iter().any(|&x| x > 0)
                {
                    problems.push(Problem::new(
                        "T205",
                        &entries[i].loc,
                        "to",
                        format!(
                            "the flight's load lands at {} on {date}, but the site was declared closed on {c}",
                            s.site(*to).id
                        ),
                        "check the dates: stock cannot reach a closed site",
                    ));
                }
                st.add(s, *to, cargo);
            }
            Step::Event(i) => {
                let e = &entries[i];
                st.last = Some(st.last.map_or(date, |l| l.max(date)));
                let Some(r) = &resolved[i] else { continue };
                apply(s, &mut st, e, r, entries, resolved, later, &mut problems);
            }
        }
    }
    (st, problems)
}

/// Whether an arrival (of a convoy or a landing flight) at `site` of something in `what`
/// comes later in the timeline.
fn arrives_later(
    later: &[(Date, u8, i64, Step)],
    entries: &[Entry<'_>],
    resolved: &[Option<Resolved>],
    under_way: &BTreeMap<String, Leg>,
    site: SiteId,
    what: impl Fn(&[i64], &[(FleetId, u32)]) -> bool,
) -> Option<(Date, i64)> {
    later.iter().find_map(|&(d, _, _, step)| match step {
        Step::Land(i) => match &resolved[i] {
            Some(Resolved::Fly { to, cargo, .. }) if *to == site && what(cargo, &[]) => {
                Some((d, entries[i].id))
            }
            _ => None,
        },
        Step::Event(i) => match &resolved[i] {
            Some(Resolved::Arrive { convoy }) => {
                // The leg under way now or one departing later in the timeline.
                let leg = under_way.get(convoy);
                match leg {
                    Some(l) if l.to == site && what(&l.cargo, &l.units) => Some((d, entries[i].id)),
                    _ => None,
                }
            }
            _ => None,
        },
    })
}

#[allow(clippy::too_many_arguments)]
fn apply(
    s: &Scenario,
    st: &mut State,
    e: &Entry<'_>,
    r: &Resolved,
    entries: &[Entry<'_>],
    resolved: &[Option<Resolved>],
    later: &[(Date, u8, i64, Step)],
    problems: &mut Vec<Problem>,
) {
    let h = &s.horizon;
    let date = e.event.date;
    let loc = &e.loc;
    // Take `q` from `site`'s holdings, reporting any shortfall in one problem.
    let take = |st: &mut State, site: SiteId, q: &[i64], problems: &mut Vec<Problem>| {
        let sid = &s.site(site).id;
        if s.site(site).exit.is_some() {
            if q.iter().any(|&x| x > 0) {
                problems.push(Problem::new(
                    "T207",
                    loc,
                    "from",
                    format!("{sid} is an exit: stock that reaches an exit has left the theatre, so none departs from it"),
                    "check `from`; trucks and aircraft may leave an exit empty",
                ));
            }
            return;
        }
        let have = &st.held[site.idx()];
        let short: Vec<usize> = (0..q.len()).filter(|&k| q[k] > have[k]).collect();
        if !short.is_empty() {
            let takes: Vec<String> = short
                .iter()
                .map(|&k| format!("{} {}", q[k], commodity_name(s, k)))
                .collect();
            let there: Vec<String> = short
                .iter()
                .map(|&k| format!("{} {}", have[k].max(0), commodity_name(s, k)))
                .collect();
            let soon = arrives_later(later, entries, resolved, &st.under_way, site, |c, _| {
                short.iter().any(|&k| c[k] > 0)
            });
            let (code, fix) = match soon {
                Some((d, id)) => (
                    "T203",
                    format!(
                        "the event is dated before the stock it takes is there: more arrives at {sid} on {d} (event #{id}); check the date"
                    ),
                ),
                None => (
                    "T201",
                    format!(
                        "record what actually left; if more is at {sid}, record the movements that brought it there first"
                    ),
                ),
            };
            problems.push(Problem::new(
                code,
                loc,
                commodity_field(s, short[0]),
                format!(
                    "takes {} from {sid} on {date}, but {sid} holds only {} then",
                    takes.join(", "),
                    there.join(", ")
                ),
                fix,
            ));
        }
        // A shortfall is reported once: only what is there is taken, so that later
        // events are not reported for the same missing stock.
        for (hk, x) in st.held[site.idx()].iter_mut().zip(q) {
            *hk -= (*x).min((*hk).max(0));
        }
    };
    match r {
        Resolved::Depart {
            convoy,
            road,
            from,
            to,
            units,
            cargo,
        } => {
            if let Some(l) = st.under_way.get(convoy) {
                problems.push(Problem::new(
                    "T204",
                    loc,
                    "convoy",
                    format!(
                        "convoy {convoy} is still under way on {date}: it departed {} for {} on {} (event #{}) and has not arrived",
                        s.site(l.from).id,
                        s.site(l.to).id,
                        l.depart,
                        l.event
                    ),
                    "record its arrival first (with its true date), or give this convoy a new reference",
                ));
            }
            take(st, *from, cargo, problems);
            let mut short = Vec::new();
            for &(f, n) in units {
                let have = st.units[f.idx()][from.idx()];
                if i64::from(n) > have {
                    short.push((f, n, have));
                }
            }
            if !short.is_empty() {
                let sid = &s.site(*from).id;
                let soon = arrives_later(later, entries, resolved, &st.under_way, *from, |_, u| {
                    u.iter().any(|(f, _)| short.iter().any(|(g, _, _)| g == f))
                });
                let text: Vec<String> = short
                    .iter()
                    .map(|&(f, n, have)| {
                        let fl = &s.fleets[f.idx()];
                        format!(
                            "{n} of fleet {} but only {} stand there (home {})",
                            fl.id,
                            have.max(0),
                            s.site(fl.home).id
                        )
                    })
                    .collect();
                let (code, fix) = match soon {
                    Some((d, id)) => (
                        "T203",
                        format!(
                            "the event is dated before the units are there: more reach {sid} on {d} (event #{id}); check the date"
                        ),
                    ),
                    None => (
                        "T202",
                        "record the units that actually drove; units move only in recorded convoys, starting at their fleet's home".to_string(),
                    ),
                };
                problems.push(Problem::new(
                    code,
                    loc,
                    format!("units:{}", s.fleets[short[0].0.idx()].id),
                    format!("takes units from {sid} on {date}: {}", text.join("; ")),
                    fix,
                ));
            }
            for &(f, n) in units {
                let at = &mut st.units[f.idx()][from.idx()];
                *at -= i64::from(n).min((*at).max(0));
            }
            let p = h.period_of(date).unwrap_or_default();
            let due = p.plus(s.roads[road.idx()].periods);
            if due > h.last() {
                problems.push(Problem::new(
                    "T108",
                    loc,
                    "date",
                    format!(
                        "the convoy would arrive on {} at the earliest, after the horizon ends ({})",
                        h.date(due),
                        h.date(h.last())
                    ),
                    "check the date; the scenario's horizon must cover every arrival",
                ));
            }
            st.under_way.insert(
                convoy.clone(),
                Leg {
                    event: e.id,
                    road: *road,
                    from: *from,
                    to: *to,
                    depart: date,
                    due,
                    units: units.clone(),
                    cargo: cargo.clone(),
                },
            );
        }
        Resolved::Arrive { convoy } => {
            let Some(leg) = st.under_way.remove(convoy) else {
                let departs_later = later.iter().any(|&(_, _, _, step)| {
                    matches!(step, Step::Event(j) if matches!(&resolved[j], Some(Resolved::Depart { convoy: c, .. }) if c == convoy))
                });
                let (code, cause, fix) = if departs_later {
                    (
                        "T203",
                        format!("convoy {convoy} arrives on {date}, before its recorded departure"),
                        "check both dates: a convoy arrives after it departs",
                    )
                } else {
                    (
                        "T107",
                        format!(
                            "convoy {convoy} is not under way on {date}: no departure of it is recorded, or its last leg has already arrived"
                        ),
                        "record its departure first, or check the convoy reference",
                    )
                };
                problems.push(Problem::new(code, loc, "convoy", cause, fix));
                return;
            };
            let p = h.period_of(date).unwrap_or_default();
            if p < leg.due {
                let road = &s.roads[leg.road.idx()];
                problems.push(Problem::new(
                    "T203",
                    loc,
                    "date",
                    format!(
                        "convoy {convoy} departed {} on {} and road {} takes {} period(s) of {} day(s), so it cannot arrive before {}; the arrival is dated {date}",
                        s.site(leg.from).id,
                        leg.depart,
                        road.id,
                        road.periods,
                        h.period_days,
                        h.date(leg.due)
                    ),
                    "check both dates; if convoys really drive the road faster, correct the road's `days` in the scenario",
                ));
            }
            if let Some(c) = st.closed[leg.to.idx()]
                && leg.cargo.iter().any(|&x| x > 0)
            {
                problems.push(Problem::new(
                    "T205",
                    loc,
                    "convoy",
                    format!(
                        "convoy {convoy} brings stock to {} on {date}, but the site was declared closed on {c}",
                        s.site(leg.to).id
                    ),
                    "check the dates: stock cannot reach a closed site",
                ));
            }
            st.add(s, leg.to, &leg.cargo);
            for &(f, n) in &leg.units {
                st.units[f.idx()][leg.to.idx()] += i64::from(n);
            }
        }
        Resolved::Fly {
            from,
            to,
            cargo,
            periods,
        } => {
            take(st, *from, cargo, problems);
            let p = h.period_of(date).unwrap_or_default();
            let lands = p.plus(*periods);
            if lands > h.last() {
                problems.push(Problem::new(
                    "T108",
                    loc,
                    "date",
                    format!(
                        "the flight's load would land on {}, after the horizon ends ({})",
                        h.date(lands),
                        h.date(h.last())
                    ),
                    "check the date; the scenario's horizon must cover every arrival",
                ));
            }
            st.in_flight.push((e.id, *to, lands));
        }
        Resolved::Leave {
            site,
            teu,
            vehicles,
        } => {
            let mut q = vec![0; P0 + s.contingents.len()];
            q[TEU] = i64::from(*teu);
            q[VEH] = i64::from(*vehicles);
            if s.site(*site).exit.is_some() {
                problems.push(Problem::new(
                    "T207",
                    loc,
                    "site",
                    format!(
                        "{} is an exit: it holds no stock to leave behind",
                        s.site(*site).id
                    ),
                    "name the base or hub where the stock was left",
                ));
                return;
            }
            take(st, *site, &q, problems);
            st.left[site.idx()][0] += i64::from(*teu);
            st.left[site.idx()][1] += i64::from(*vehicles);
        }
        Resolved::Close { site } => {
            let sid = &s.site(*site).id;
            if s.site(*site).exit.is_some() {
                problems.push(Problem::new(
                    "T209",
                    loc,
                    "site",
                    format!("{sid} is an exit; exits do not close"),
                    "name the base or hub that closed",
                ));
                return;
            }
            if let Some(c) = st.closed[site.idx()] {
                problems.push(Problem::new(
                    "T205",
                    loc,
                    "site",
                    format!("{sid} was already declared closed on {c}"),
                    "record a closure once",
                ));
                return;
            }
            let held = &st.held[site.idx()];
            let rest: Vec<String> = (0..held.len())
                .filter(|&k| held[k] > 0)
                .map(|k| format!("{} {}", held[k], commodity_name(s, k)))
                .collect();
            if !rest.is_empty() {
                problems.push(Problem::new(
                    "T206",
                    loc,
                    "site",
                    format!(
                        "{sid} still holds {} on {date}, by the log",
                        rest.join(", ")
                    ),
                    "record the movements, abandonments or handovers that emptied it first",
                ));
            }
            st.closed[site.idx()] = Some(date);
        }
        Resolved::Note => {}
    }
}

/// Check a batch of new events against the scenario and the log: every problem of the
/// batch at once, or the new events as they will be stored (a convoy's road filled in
/// when the event named none).
pub fn check(
    s: &Scenario,
    log: &[(i64, &Event)],
    new: &[(Loc, Event)],
) -> Result<Vec<Event>, Vec<Problem>> {
    let first = log.iter().map(|&(id, _)| id).max().unwrap_or(0) + 1;
    let mut problems = Vec::new();
    let mut stored = Vec::new();
    let mut resolved_new = Vec::new();
    for (loc, e) in new {
        match resolve(s, e, loc) {
            Ok((r, st)) => {
                resolved_new.push(Some(r));
                stored.push(st);
            }
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let entries: Vec<Entry<'_>> = log
        .iter()
        .map(|&(id, e)| Entry {
            id,
            loc: Loc::log(id),
            event: e,
        })
        .chain(
            stored
                .iter()
                .zip(new)
                .enumerate()
                .map(|(i, (e, (loc, _)))| Entry {
                    id: first + i as i64,
                    loc: loc.clone(),
                    event: e,
                }),
        )
        .collect();
    let resolved: Vec<Option<Resolved>> = entries[..log.len()]
        .iter()
        .map(|e| resolve(s, e.event, &e.loc).ok().map(|(r, _)| r))
        .chain(resolved_new)
        .collect();
    let (_, mut problems) = run(s, &entries, &resolved, None);
    if problems.iter().any(|p| p.loc.source == "log") {
        // A new event dated early can change the state that recorded events relied on.
        // Problems the log had on its own are not the batch's doing.
        let (_, before) = run(s, &entries[..log.len()], &resolved[..log.len()], None);
        let old: BTreeSet<(&str, usize, &str)> = before
            .iter()
            .map(|p| (p.code, p.loc.row, p.field.as_str()))
            .collect();
        problems.retain(|p| {
            p.loc.source != "log" || !old.contains(&(p.code, p.loc.row, p.field.as_str()))
        });
        for p in problems.iter_mut().filter(|p| p.loc.source == "log") {
            p.cause = format!(
                "with the new events, already recorded event #{} no longer holds: {}",
                p.loc.row, p.cause
            );
            p.fix = "check the new events' dates: an event dated earlier changes the state that later recorded events relied on".to_string();
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let problems = rule_problems(s, &entries, log.len());
    if problems.is_empty() {
        Ok(stored)
    } else {
        Err(problems)
    }
}

/// Scenario rules broken by the new events (entries from `old` on), found by the
/// independent checker on the movements recorded so far.
fn rule_problems(s: &Scenario, entries: &[Entry<'_>], old: usize) -> Vec<Problem> {
    let key = |v: &scenario::check::Violation| (v.code, v.subject.clone(), v.period);
    let judge = |entries: &[Entry<'_>]| {
        let events: Vec<(i64, &Event)> = entries.iter().map(|e| (e.id, e.event)).collect();
        let frozen = freeze::freeze(s, &events);
        let file = scenario::planfile::to_file(s, &frozen.plan, BTreeMap::new());
        let report = scenario::check::verify(s, &file);
        (frozen, report)
    };
    let (_, before) = judge(&entries[..old]);
    let known: BTreeSet<_> = before.violations.iter().map(key).collect();
    let (frozen, after) = judge(entries);
    let new = &entries[old..];
    let mut out = Vec::new();
    for v in after
        .violations
        .iter()
        .filter(|v| !FUTURE_RULES.contains(&v.code) && !known.contains(&key(v)))
    {
        // The movement the violation names, else the first new event that names the
        // site, road, fleet or aircraft concerned, else the first new event.
        let by_movement = frozen
            .origin
            .get(&v.subject)
            .and_then(|id| new.iter().find(|e| e.id == *id));
        let by_subject = || {
            new.iter().find(|e| {
                let j = e.event.to_json();
                e.event.sites().contains(&v.subject.as_str())
                    || ["road", "aircraft"]
                        .iter()
                        .any(|k| j[k] == v.subject.as_str())
                    || j["units"].get(&v.subject).is_some()
            })
        };
        let Some(entry) = by_movement.or_else(by_subject).or(new.first()) else {
            continue;
        };
        out.push(Problem::new(
            "T400",
            &entry.loc,
            "",
            format!(
                "breaks scenario rule {} ({}): {}",
                v.code, v.subject, v.message
            ),
            rule_fix(v.code),
        ));
    }
    out
}

/// What to do when recorded movements break a scenario rule.
fn rule_fix(code: &str) -> String {
    let what = match code {
        "V023" => "check the destination: the exit does not accept this stock or contingent",
        "V024" | "V055" | "V057" | "V062" | "V063" => {
            "check the dates and amounts: together with what is already recorded this exceeds a per-day capacity of the scenario"
        }
        "V025" => {
            "stock may be left only where the scenario's [abandon] allows it, and never at an exit"
        }
        "V026" => "check the date: the site's own stock may not leave before its `not_before`",
        "V027" => "check the personnel: the rear guard stays while containers or vehicles remain",
        "V028" | "V056" | "V064" => {
            "check the date: the scenario forbids this road, site or airfield then (a closure or restriction window)"
        }
        "V041" => "check the date: the fleet or aircraft is not available then",
        "V051" | "V052" | "V053" | "V054" | "V058" | "V061" => {
            "check the units and the load: record the trucks, carriers, escorts and sorties that actually went"
        }
        "V060" => "check the airfields: the aircraft type cannot use one of them",
        _ => "check the event against docs/plan-semantics.md",
    };
    format!(
        "{what}. If it really happened this way, the scenario misstates the rule: correct the scenario and track it in a new database (docs/tracking.md)"
    )
}
