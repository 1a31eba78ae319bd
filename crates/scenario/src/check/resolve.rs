//! Resolving the plan file's textual ids and dates against the scenario.
//!
//! A movement whose road, aircraft type, sites or dates cannot be resolved is reported and
//! then left out of every ledger: there is no sound way to guess what it meant. A single
//! unknown fleet or contingent entry is reported and only that entry is left out, so that
//! the rest of the movement is still checked.

use super::Findings;
use crate::planfile::{self, PlanFile};
use jiff::ToSpan;
use jiff::civil::Date;
use model::{AircraftId, ContingentId, FleetId, Period, RoadId, Scenario, SiteId, SiteKind};
use std::collections::{BTreeMap, HashMap};

/// How a movement travels.
pub(super) enum Via {
    /// A convoy on a road, with its fleet units (known fleets only, no zero counts).
    Road {
        /// The road.
        road: RoadId,
        /// Units by fleet.
        units: Vec<(FleetId, u32)>,
    },
    /// Identical sorties of one aircraft type.
    Air {
        /// The type.
        aircraft: AircraftId,
        /// Sorties flown.
        sorties: u32,
    },
}

/// A convoy or flight with its ids and dates resolved.
pub(super) struct Move<'p> {
    /// The plan's id for the movement.
    pub id: &'p str,
    /// `convoy` or `flight`, for messages.
    pub what: &'static str,
    /// Road or air.
    pub via: Via,
    /// Departure site.
    pub from: SiteId,
    /// Arrival site.
    pub to: SiteId,
    /// Departure period.
    pub depart: Period,
    /// Arrival period.
    pub arrive: Period,
    /// Personnel of known contingents (no zero counts); these move between ledgers.
    pub personnel: Vec<(ContingentId, u32)>,
    /// All personnel on board, including entries of unknown contingents, because they
    /// still take seats.
    pub people: u64,
    /// Containers.
    pub teu: u32,
    /// Self-propelled stock vehicles.
    pub vehicles: u32,
}

impl Move<'_> {
    /// Whether the movement carries any stock (as opposed to empty fleet units).
    pub fn carries_stock(&self) -> bool {
        self.people > 0 || self.teu > 0 || self.vehicles > 0
    }

    /// The fleet units of a convoy; none for a flight.
    pub fn units(&self) -> &[(FleetId, u32)] {
        match &self.via {
            Via::Road { units, .. } => units,
            Via::Air { .. } => &[],
        }
    }

    /// The last period the movement occupies: it is under way during `[depart, arrive)`.
    /// A movement whose arrival is not after its departure (a V010/V011 violation)
    /// occupies its departure period only.
    pub fn last_occupied(&self) -> Period {
        Period(self.arrive.0.saturating_sub(1).max(self.depart.0))
    }
}

/// Stock left behind, resolved.
pub(super) struct Left {
    /// Where (never an exit).
    pub site: SiteId,
    /// When.
    pub period: Period,
    /// Containers.
    pub teu: u32,
    /// Vehicles.
    pub vehicles: u32,
}

/// The plan's movements and abandonments that could be resolved.
pub(super) struct Resolved<'p> {
    /// Convoys then flights, in file order.
    pub moves: Vec<Move<'p>>,
    /// Abandonments, in file order.
    pub left: Vec<Left>,
}

/// Lookup tables from textual id to index, built once so that resolving twenty thousand
/// movements does not scan the scenario's vectors each time.
struct Ids<'s> {
    sites: HashMap<&'s str, SiteId>,
    roads: HashMap<&'s str, RoadId>,
    fleets: HashMap<&'s str, FleetId>,
    aircraft: HashMap<&'s str, AircraftId>,
    contingents: HashMap<&'s str, ContingentId>,
}

impl<'s> Ids<'s> {
    fn new(s: &'s Scenario) -> Self {
        // When a scenario repeats an id, the first one wins, as in `Scenario::site_by_id`.
        fn table<'a, T>(
            ids: impl Iterator<Item = &'a str>,
            make: fn(u32) -> T,
        ) -> HashMap<&'a str, T> {
            let mut map = HashMap::new();
            for (i, id) in ids.enumerate() {
                map.entry(id).or_insert_with(|| make(i as u32));
            }
            map
        }
        Ids {
            sites: table(s.sites.iter().map(|x| x.id.as_str()), SiteId),
            roads: table(s.roads.iter().map(|x| x.id.as_str()), RoadId),
            fleets: table(s.fleets.iter().map(|x| x.id.as_str()), FleetId),
            aircraft: table(s.aircraft.iter().map(|x| x.id.as_str()), AircraftId),
            contingents: table(s.contingents.iter().map(|x| x.id.as_str()), ContingentId),
        }
    }
}

/// Parse a plan date: exactly `YYYY-MM-DD`.
pub(super) fn parse_date(text: &str) -> Option<Date> {
    // Round-tripping rejects every other spelling jiff would accept (times, week dates),
    // so that the file says exactly one thing.
    text.parse::<Date>().ok().filter(|d| d.to_string() == text)
}

/// The period a plan date names, reporting a date that is malformed or not the first day
/// of a period (V001) or outside the horizon (V002). A date inside a period but not on its
/// first day still resolves to that period, so that the rest of the movement is checked.
pub(super) fn period(
    s: &Scenario,
    out: &mut Findings<'_>,
    subject: &str,
    what: &str,
    text: &str,
) -> Option<Period> {
    let h = &s.horizon;
    let Some(date) = parse_date(text) else {
        out.add(
            "V001",
            subject,
            None,
            format!("{what} `{text}` is not a date written YYYY-MM-DD"),
        );
        return None;
    };
    let Some(p) = h.period_of(date) else {
        let last_day = h
            .date(h.last())
            .checked_add(i64::from(h.period_days - 1).days())
            .map_or_else(|_| "?".to_string(), |d| d.to_string());
        out.add(
            "V002",
            subject,
            None,
            format!(
                "{what} {date} is outside the horizon, which runs from {} to {last_day}",
                h.start
            ),
        );
        return None;
    };
    if h.date(p) != date {
        out.add(
            "V001",
            subject,
            Some(p),
            format!(
                "{what} {date} is not the first day of a period (its period starts on {})",
                h.date(p)
            ),
        );
    }
    Some(p)
}

/// Resolve the whole plan, reporting the header (V003), duplicate movement ids (V005) and
/// every id or date that does not resolve.
pub(super) fn resolve<'p>(
    s: &Scenario,
    plan: &'p PlanFile,
    out: &mut Findings<'_>,
) -> Resolved<'p> {
    header(s, plan, out);
    duplicates(plan, out);
    let ids = Ids::new(s);
    let mut moves = Vec::with_capacity(plan.convoys.len() + plan.flights.len());
    for c in &plan.convoys {
        if let Some(m) = convoy(s, &ids, c, out) {
            moves.push(m);
        }
    }
    for f in &plan.flights {
        if let Some(m) = flight(s, &ids, f, out) {
            moves.push(m);
        }
    }
    let left = plan
        .abandoned
        .iter()
        .filter_map(|a| abandonment(s, &ids, a, out))
        .collect();
    Resolved { moves, left }
}

/// V003: the header must describe this scenario's calendar, or every date means
/// something else than the planner meant.
fn header(s: &Scenario, plan: &PlanFile, out: &mut Findings<'_>) {
    let h = &s.horizon;
    if plan.format != planfile::FORMAT {
        out.add(
            "V003",
            "plan",
            None,
            format!(
                "format is `{}`, expected `{}`",
                plan.format,
                planfile::FORMAT
            ),
        );
    }
    if plan.scenario != s.name {
        out.add(
            "V003",
            "plan",
            None,
            format!(
                "the plan is for scenario `{}`, but the scenario is `{}`",
                plan.scenario, s.name
            ),
        );
    }
    if plan.start != h.start.to_string() {
        out.add(
            "V003",
            "plan",
            None,
            format!(
                "the plan starts on `{}`, but the scenario's horizon starts on {}",
                plan.start, h.start
            ),
        );
    }
    if plan.period_days != h.period_days {
        out.add(
            "V003",
            "plan",
            None,
            format!(
                "the plan has {}-day periods, but the scenario has {}-day periods",
                plan.period_days, h.period_days
            ),
        );
    }
}

/// V005: movement ids are unique across convoys and flights, since violations name
/// movements by id.
fn duplicates(plan: &PlanFile, out: &mut Findings<'_>) {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    let ids = plan.convoys.iter().map(|c| c.id.as_str());
    for id in ids.chain(plan.flights.iter().map(|f| f.id.as_str())) {
        *count.entry(id).or_default() += 1;
    }
    for (id, n) in count.into_iter().filter(|&(_, n)| n > 1) {
        out.add(
            "V005",
            id,
            None,
            format!("{n} movements have the id `{id}`"),
        );
    }
}

/// Known personnel entries (V004 for the others) and the total on board.
fn personnel(
    ids: &Ids<'_>,
    subject: &str,
    map: &BTreeMap<String, u32>,
    out: &mut Findings<'_>,
) -> (Vec<(ContingentId, u32)>, u64) {
    let mut known = Vec::new();
    let mut people = 0u64;
    for (c, &n) in map {
        people += u64::from(n);
        match ids.contingents.get(c.as_str()) {
            Some(&id) if n > 0 => known.push((id, n)),
            Some(_) => {}
            None => out.add(
                "V004",
                subject,
                None,
                format!("carries personnel of `{c}`, which is not a contingent of the scenario"),
            ),
        }
    }
    (known, people)
}

fn convoy<'p>(
    s: &Scenario,
    ids: &Ids<'_>,
    c: &'p planfile::ConvoyRow,
    out: &mut Findings<'_>,
) -> Option<Move<'p>> {
    let subject = c.id.as_str();
    let road = ids.roads.get(c.road.as_str()).copied();
    if road.is_none() {
        out.add(
            "V050",
            subject,
            None,
            format!("road `{}` is not a road of the scenario", c.road),
        );
    }
    let mut site = |end: &str, id: &str| {
        let found = ids.sites.get(id).copied();
        if found.is_none() {
            out.add(
                "V050",
                subject,
                None,
                format!("{end} `{id}` is not a site of the scenario"),
            );
        }
        found
    };
    let from = site("from", &c.from);
    let to = site("to", &c.to);
    let depart = period(s, out, subject, "departure", &c.depart);
    let arrive = period(s, out, subject, "arrival", &c.arrive);
    let mut units = Vec::new();
    for (f, &n) in &c.units {
        match ids.fleets.get(f.as_str()) {
            Some(&id) if n > 0 => units.push((id, n)),
            Some(_) => {}
            None => out.add(
                "V043",
                subject,
                None,
                format!("takes units of `{f}`, which is not a fleet of the scenario"),
            ),
        }
    }
    let (personnel, people) = personnel(ids, subject, &c.personnel, out);
    Some(Move {
        id: subject,
        what: "convoy",
        via: Via::Road { road: road?, units },
        from: from?,
        to: to?,
        depart: depart?,
        arrive: arrive?,
        personnel,
        people,
        teu: c.teu,
        vehicles: c.vehicles,
    })
}

fn flight<'p>(
    s: &Scenario,
    ids: &Ids<'_>,
    f: &'p planfile::FlightRow,
    out: &mut Findings<'_>,
) -> Option<Move<'p>> {
    let subject = f.id.as_str();
    let aircraft = ids.aircraft.get(f.aircraft.as_str()).copied();
    if aircraft.is_none() {
        out.add(
            "V060",
            subject,
            None,
            format!(
                "aircraft `{}` is not an aircraft type of the scenario",
                f.aircraft
            ),
        );
    }
    let mut site = |end: &str, id: &str| {
        let found = ids.sites.get(id).copied();
        if found.is_none() {
            out.add(
                "V060",
                subject,
                None,
                format!("{end} `{id}` is not a site of the scenario"),
            );
        }
        found
    };
    let from = site("from", &f.from);
    let to = site("to", &f.to);
    let depart = period(s, out, subject, "departure", &f.depart);
    let arrive = period(s, out, subject, "arrival", &f.arrive);
    let (personnel, people) = personnel(ids, subject, &f.personnel, out);
    Some(Move {
        id: subject,
        what: "flight",
        via: Via::Air {
            aircraft: aircraft?,
            sorties: f.sorties,
        },
        from: from?,
        to: to?,
        depart: depart?,
        arrive: arrive?,
        personnel,
        people,
        teu: f.teu,
        vehicles: 0,
    })
}

/// An abandonment at an unknown site or at an exit cannot be applied to any holding, so
/// it is reported under the abandonment rule (V025) and left out.
fn abandonment(
    s: &Scenario,
    ids: &Ids<'_>,
    a: &planfile::AbandonRow,
    out: &mut Findings<'_>,
) -> Option<Left> {
    let subject = a.site.as_str();
    let site = ids.sites.get(subject).copied();
    match site {
        None => out.add(
            "V025",
            subject,
            None,
            format!("abandonment at `{subject}`, which is not a site of the scenario"),
        ),
        Some(id) if s.site(id).kind == SiteKind::Exit => out.add(
            "V025",
            subject,
            None,
            format!("abandonment at exit {subject}: exits hold no stock to leave behind"),
        ),
        Some(_) => {}
    }
    let when = period(s, out, subject, "abandonment date", &a.date);
    let site = site.filter(|&id| s.site(id).kind != SiteKind::Exit)?;
    Some(Left {
        site,
        period: when?,
        teu: a.teu,
        vehicles: a.vehicles,
    })
}
