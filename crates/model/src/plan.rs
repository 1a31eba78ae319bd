//! A plan: the list of movements. Everything else (closures, exposure, cost, objective)
//! is recomputed from the movements by whoever needs it; the plan's own summary is a claim
//! that the checker verifies.

use crate::scenario::{AircraftId, ContingentId, FleetId, RoadId, SiteId};
use crate::time::Period;

/// Personnel by contingent, containers and vehicles carried by one movement.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Load {
    /// Personnel per contingent (sparse: only non-zero entries).
    pub personnel: Vec<(ContingentId, u32)>,
    /// Containers.
    pub teu: u32,
    /// Self-propelled vehicles driving in the convoy (always 0 on flights).
    pub vehicles: u32,
}

impl Load {
    /// Total personnel.
    pub fn people(&self) -> u32 {
        self.personnel.iter().map(|&(_, n)| n).sum()
    }

    /// Whether nothing is carried.
    pub fn is_empty(&self) -> bool {
        self.teu == 0 && self.vehicles == 0 && self.people() == 0
    }
}

/// One road leg driven by a group of fleet units together.
#[derive(Clone, Debug, PartialEq)]
pub struct Convoy {
    /// Stable id within the plan (e.g. `C0001`).
    pub id: String,
    /// The road driven.
    pub road: RoadId,
    /// Where the leg starts (an end of `road`).
    pub from: SiteId,
    /// Where the leg ends (the other end).
    pub to: SiteId,
    /// Period of departure.
    pub depart: Period,
    /// Period of arrival: `depart + road.periods`.
    pub arrive: Period,
    /// Fleet units in the convoy (trucks, carriers, escorts), by fleet.
    pub units: Vec<(FleetId, u32)>,
    /// What the convoy carries, including self-propelled stock vehicles.
    pub load: Load,
}

/// Identical sorties of one aircraft type between two airfields in one period.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    /// Stable id within the plan (e.g. `F0001`).
    pub id: String,
    /// The aircraft type.
    pub aircraft: AircraftId,
    /// Number of sorties flown (airframe departures).
    pub sorties: u32,
    /// Departure airfield.
    pub from: SiteId,
    /// Arrival airfield.
    pub to: SiteId,
    /// Period of departure.
    pub depart: Period,
    /// Period from which the load is at `to`.
    pub arrive: Period,
    /// Total load of all sorties.
    pub load: Load,
}

/// Stock left behind at a site (containers and vehicles only).
#[derive(Clone, Debug, PartialEq)]
pub struct Abandonment {
    /// Where.
    pub site: SiteId,
    /// When (the stock is gone from the end of this period).
    pub period: Period,
    /// Containers left.
    pub teu: u32,
    /// Vehicles left.
    pub vehicles: u32,
}

/// Per-site outcome claimed by a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteOutcome {
    /// The site.
    pub site: SiteId,
    /// Last period in which stock departs the site; `None` if it never holds stock.
    pub closure: Option<Period>,
}

/// Aggregate figures of a plan.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Totals {
    /// Number of convoy legs.
    pub convoys: u32,
    /// Number of sorties.
    pub sorties: u32,
    /// Fleet unit kilometres driven (trucks, carriers and escorts).
    pub unit_km: f64,
    /// Flight hours (sorties x hours).
    pub flight_hours: f64,
    /// Hazard-weighted vehicle-kilometres: (fleet units + stock vehicles) x km x hazard.
    pub exposure: f64,
    /// Fleet and aircraft cost.
    pub cost: f64,
    /// Sum over sites of days past the deadline.
    pub late_days: u32,
    /// Days from the horizon start to the end of the period of the last arrival at an exit.
    pub makespan_days: u32,
    /// Abandonment penalties.
    pub abandon_penalty: f64,
    /// The weighted objective.
    pub objective: f64,
}

/// A movement plan.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Plan {
    /// Convoy legs, sorted by departure then id.
    pub convoys: Vec<Convoy>,
    /// Flights, sorted by departure then id.
    pub flights: Vec<Flight>,
    /// Stock left behind.
    pub abandoned: Vec<Abandonment>,
    /// Claimed per-site closures.
    pub sites: Vec<SiteOutcome>,
    /// Claimed totals.
    pub totals: Totals,
}

impl Plan {
    /// The movements that leave before `day`, and the stock abandoned before it, with no
    /// closures or totals: the past that a re-plan from `day` keeps as recorded.
    pub fn before(&self, day: Period) -> Plan {
        Plan {
            convoys: self
                .convoys
                .iter()
                .filter(|c| c.depart < day)
                .cloned()
                .collect(),
            flights: self
                .flights
                .iter()
                .filter(|f| f.depart < day)
                .cloned()
                .collect(),
            abandoned: self
                .abandoned
                .iter()
                .filter(|a| a.period < day)
                .cloned()
                .collect(),
            ..Plan::default()
        }
    }
}
