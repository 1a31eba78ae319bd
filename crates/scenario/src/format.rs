//! The scenario file format: serde types mirroring the TOML file, kept apart from the
//! model so that the file can evolve (and report locations) without touching planners.
//!
//! Every value that a semantic rule may reject is wrapped in [`Spanned`] so that its
//! diagnostic can point at the exact line and column. Field-by-field documentation lives
//! in `docs/scenario-format.md`; keep the two in step.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;
use toml::value::Datetime;

/// A spanned string.
pub type S<T> = Spanned<T>;

/// The whole file.
#[derive(Debug, Deserialize)]
pub struct RawScenario {
    /// `[scenario]`: name and description.
    pub scenario: S<RawMeta>,
    /// `[horizon]`: calendar.
    pub horizon: S<RawHorizon>,
    /// `[defaults]`: values used where a road or vehicle does not say.
    #[serde(default)]
    pub defaults: Option<S<RawDefaults>>,
    /// `[objective]`: weights.
    #[serde(default)]
    pub objective: Option<S<RawObjective>>,
    /// `[abandon]`: whether stock may be left behind.
    #[serde(default)]
    pub abandon: Option<S<RawAbandon>>,
    /// `[[contingent]]`.
    #[serde(default)]
    pub contingent: Vec<S<RawContingent>>,
    /// `[[site]]`.
    #[serde(default)]
    pub site: Vec<S<RawSite>>,
    /// `[[road]]`.
    #[serde(default)]
    pub road: Vec<S<RawRoad>>,
    /// `[[fleet]]`.
    #[serde(default)]
    pub fleet: Vec<S<RawFleet>>,
    /// `[[aircraft]]`.
    #[serde(default)]
    pub aircraft: Vec<S<RawAircraft>>,
    /// `[[restriction]]`.
    #[serde(default)]
    pub restriction: Vec<S<RawRestriction>>,
    /// `[hazards]`: what the simulation samples (see the hazards section below).
    #[serde(default)]
    pub hazards: Option<S<RawHazards>>,
}

/// `[scenario]`.
#[derive(Debug, Deserialize)]
pub struct RawMeta {
    /// Display name.
    pub name: S<String>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
}

/// `[horizon]`.
#[derive(Debug, Deserialize)]
pub struct RawHorizon {
    /// First day of the plan (a TOML date, unquoted: `2023-07-01`).
    pub start: S<Datetime>,
    /// Last day the plan may run to (inclusive).
    pub end: S<Datetime>,
    /// Length of one planning period in days (default 1).
    #[serde(default)]
    pub period_days: Option<S<i64>>,
}

/// `[defaults]`.
#[derive(Debug, Deserialize)]
pub struct RawDefaults {
    /// Kilometres a convoy covers per day where a road gives no `days` (default 150).
    #[serde(default)]
    pub convoy_km_per_day: Option<S<f64>>,
    /// Hazard level from which roads need escorts unless they say (default 2).
    #[serde(default)]
    pub escort_from_hazard: Option<S<i64>>,
    /// Personnel seats in each self-propelled stock vehicle (default 2).
    #[serde(default)]
    pub vehicle_seats: Option<S<i64>>,
    /// Tonnes in one TEU, to convert aircraft payloads given in tonnes (default 10).
    #[serde(default)]
    pub teu_tonnes: Option<S<f64>>,
}

/// `[objective]`.
#[derive(Debug, Deserialize)]
pub struct RawObjective {
    /// Weight per site-day past a deadline (default 1000).
    #[serde(default)]
    pub lateness: Option<S<f64>>,
    /// Weight per day of makespan (default 10).
    #[serde(default)]
    pub makespan: Option<S<f64>>,
    /// Weight per hazard-weighted vehicle-km (default 0.001).
    #[serde(default)]
    pub exposure: Option<S<f64>>,
    /// Weight per cost unit (default 0).
    #[serde(default)]
    pub cost: Option<S<f64>>,
}

/// `[abandon]`.
#[derive(Debug, Deserialize)]
pub struct RawAbandon {
    /// Whether containers and vehicles may be left behind (default false).
    #[serde(default)]
    pub allowed: Option<bool>,
    /// Penalty per TEU left (default 10000).
    #[serde(default)]
    pub teu_penalty: Option<S<f64>>,
    /// Penalty per vehicle left (default 10000).
    #[serde(default)]
    pub vehicle_penalty: Option<S<f64>>,
}

/// `[[contingent]]`.
#[derive(Debug, Deserialize)]
pub struct RawContingent {
    /// Stable id, used as key in site `personnel` tables.
    pub id: S<String>,
    /// Display name (default: the id).
    #[serde(default)]
    pub name: Option<String>,
}

/// `[[site]]`.
#[derive(Debug, Deserialize)]
pub struct RawSite {
    /// Stable id.
    pub id: S<String>,
    /// Display name (default: the id).
    #[serde(default)]
    pub name: Option<String>,
    /// `base`, `hub` or `exit`.
    pub kind: S<String>,
    /// Latitude, degrees.
    pub lat: S<f64>,
    /// Longitude, degrees.
    pub lon: S<f64>,
    /// Region name.
    #[serde(default)]
    pub region: Option<String>,
    /// Personnel by contingent id.
    #[serde(default)]
    pub personnel: Option<S<BTreeMap<String, S<i64>>>>,
    /// Containers (TEU) to move out.
    #[serde(default)]
    pub teu: Option<S<i64>>,
    /// Self-propelled vehicles to move out.
    #[serde(default)]
    pub vehicles: Option<S<i64>>,
    /// Earliest day the site's own stock may leave.
    #[serde(default)]
    pub not_before: Option<S<Datetime>>,
    /// Deadline for closure.
    #[serde(default)]
    pub close_by: Option<S<Datetime>>,
    /// Sites that must close first.
    #[serde(default)]
    pub after: Option<S<Vec<S<String>>>>,
    /// Personnel who stay until the containers and vehicles have gone.
    #[serde(default)]
    pub rear_guard: Option<S<i64>>,
    /// TEU that can be loaded out per day.
    #[serde(default)]
    pub handling_teu_per_day: Option<S<i64>>,
    /// `[site.airfield]`.
    #[serde(default)]
    pub airfield: Option<S<RawAirfield>>,
    /// `[site.exit]` (exits only).
    #[serde(default)]
    pub exit: Option<S<RawExit>>,
}

/// `[site.airfield]`.
#[derive(Debug, Deserialize)]
pub struct RawAirfield {
    /// ICAO code, for reference.
    #[serde(default)]
    pub icao: Option<String>,
    /// Usable runway length in metres.
    pub runway_m: S<i64>,
    /// Paved runway.
    pub paved: bool,
    /// Sorties (departures plus arrivals) per day.
    #[serde(default)]
    pub slots_per_day: Option<S<i64>>,
}

/// `[site.exit]`.
#[derive(Debug, Deserialize)]
pub struct RawExit {
    /// Any of `personnel`, `teu`, `vehicles`.
    pub accepts: S<Vec<S<String>>>,
    /// Personnel absorbed per day.
    #[serde(default)]
    pub personnel_per_day: Option<S<i64>>,
    /// TEU absorbed per day.
    #[serde(default)]
    pub teu_per_day: Option<S<i64>>,
    /// Vehicles absorbed per day.
    #[serde(default)]
    pub vehicles_per_day: Option<S<i64>>,
    /// Only these contingents' personnel may use the exit.
    #[serde(default)]
    pub contingents: Option<S<Vec<S<String>>>>,
}

/// `[[road]]`.
#[derive(Debug, Deserialize)]
pub struct RawRoad {
    /// Stable id (default `FROM-TO`).
    #[serde(default)]
    pub id: Option<S<String>>,
    /// One end.
    pub from: S<String>,
    /// Other end.
    pub to: S<String>,
    /// Length in km.
    pub km: S<f64>,
    /// Convoy travel time in days (default `km / convoy_km_per_day`, rounded up).
    #[serde(default)]
    pub days: Option<S<f64>>,
    /// Hazard level 0..=3.
    #[serde(default)]
    pub hazard: Option<S<i64>>,
    /// Whether convoys need escorts (default: `hazard >= escort_from_hazard`).
    #[serde(default)]
    pub escort: Option<bool>,
    /// Vehicles departing per day per direction.
    #[serde(default)]
    pub vehicles_per_day: Option<S<i64>>,
    /// Most vehicles in one convoy.
    #[serde(default)]
    pub max_convoy: Option<S<i64>>,
    /// Closed windows.
    #[serde(default)]
    pub closed: Vec<S<RawWindow>>,
}

/// A date window `{ from = ..., until = ... }`, both inclusive.
#[derive(Debug, Deserialize)]
pub struct RawWindow {
    /// First day.
    pub from: S<Datetime>,
    /// Last day.
    pub until: S<Datetime>,
}

/// `[[fleet]]`.
#[derive(Debug, Deserialize)]
pub struct RawFleet {
    /// Stable id.
    pub id: S<String>,
    /// `truck`, `carrier` or `escort`.
    pub kind: S<String>,
    /// Home site.
    pub home: S<String>,
    /// Number of units.
    pub count: S<i64>,
    /// TEU per truck.
    #[serde(default)]
    pub teu: Option<S<i64>>,
    /// Seats per unit.
    #[serde(default)]
    pub seats: Option<S<i64>>,
    /// Vehicles one escort unit covers.
    #[serde(default)]
    pub cover: Option<S<i64>>,
    /// Cost per unit-km.
    #[serde(default)]
    pub cost_per_km: Option<S<f64>>,
    /// First day the fleet may move.
    #[serde(default)]
    pub available_from: Option<S<Datetime>>,
    /// Last day the fleet may move.
    #[serde(default)]
    pub available_until: Option<S<Datetime>>,
}

/// `[[aircraft]]`.
#[derive(Debug, Deserialize)]
pub struct RawAircraft {
    /// Stable id.
    pub id: S<String>,
    /// Home airfield.
    pub home: S<String>,
    /// Number of airframes.
    pub count: S<i64>,
    /// Seats per sortie.
    #[serde(default)]
    pub seats: Option<S<i64>>,
    /// Payload per sortie in TEU.
    #[serde(default)]
    pub payload_teu: Option<S<i64>>,
    /// Payload per sortie in tonnes (converted with `teu_tonnes`).
    #[serde(default)]
    pub payload_t: Option<S<f64>>,
    /// Shortest usable runway, metres.
    pub min_runway_m: S<i64>,
    /// Needs a paved runway (default false).
    #[serde(default)]
    pub paved_only: Option<bool>,
    /// Cruise speed, km/h.
    pub speed_kmh: S<f64>,
    /// Sorties per airframe per day.
    #[serde(default)]
    pub sorties_per_day: Option<S<i64>>,
    /// Cost per flight hour.
    #[serde(default)]
    pub cost_per_hour: Option<S<f64>>,
    /// First day the type may fly.
    #[serde(default)]
    pub available_from: Option<S<Datetime>>,
    /// Last day the type may fly.
    #[serde(default)]
    pub available_until: Option<S<Datetime>>,
}

/// `[[restriction]]`.
#[derive(Debug, Deserialize)]
pub struct RawRestriction {
    /// Stable id.
    pub id: S<String>,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
    /// First day.
    pub from: S<Datetime>,
    /// Last day.
    pub until: S<Datetime>,
    /// Road ids closed.
    #[serde(default)]
    pub roads: Option<S<Vec<S<String>>>>,
    /// Site ids with no movement in or out.
    #[serde(default)]
    pub sites: Option<S<Vec<S<String>>>>,
    /// Airfield (site) ids with no flights.
    #[serde(default)]
    pub airfields: Option<S<Vec<S<String>>>>,
}

// ---------------------------------------------------------------------------------------
// Hazards: `[hazards]` and its arrays of tables, read by `drawdown simulate` only.
// ---------------------------------------------------------------------------------------

/// `[hazards]`.
#[derive(Debug, Deserialize)]
pub struct RawHazards {
    /// Chance that a convoy's request to move is granted (default 1).
    #[serde(default)]
    pub convoy_grant: Option<S<f64>>,
    /// Chance that a flight's clearance is granted (default 1).
    #[serde(default)]
    pub flight_grant: Option<S<f64>>,
    /// Days between a refused convoy request and the next answer (default 1).
    #[serde(default)]
    pub convoy_lead_days: Option<S<i64>>,
    /// Days between a refused flight clearance and the next answer (default 1).
    #[serde(default)]
    pub flight_lead_days: Option<S<i64>>,
    /// `[[hazards.permission]]`: permission for movements leaving some sites.
    #[serde(default)]
    pub permission: Vec<S<RawPermission>>,
    /// `[[hazards.road]]`: attacks and roadside bombs.
    #[serde(default)]
    pub road: Vec<S<RawRoadHazard>>,
    /// `[[hazards.breakdown]]`: breakdowns of fleet units.
    #[serde(default)]
    pub breakdown: Vec<S<RawBreakdown>>,
    /// `[[hazards.season]]`: seasonal slowdowns.
    #[serde(default)]
    pub season: Vec<S<RawSeason>>,
    /// `[[hazards.closure]]`: closures that may happen.
    #[serde(default)]
    pub closure: Vec<S<RawClosure>>,
    /// `[[hazards.departure]]`: fleets and aircraft that may leave early.
    #[serde(default)]
    pub departure: Vec<S<RawDeparture>>,
}

/// A spread `{ min = 1, mode = 2, max = 5 }` (`mode` optional: uniform without it).
#[derive(Debug, Deserialize)]
pub struct RawSpread {
    /// Smallest value.
    pub min: S<f64>,
    /// Most likely value (triangular spread).
    #[serde(default)]
    pub mode: Option<S<f64>>,
    /// Largest value.
    pub max: S<f64>,
}

/// `[[hazards.permission]]`.
#[derive(Debug, Deserialize)]
pub struct RawPermission {
    /// Stable id.
    pub id: S<String>,
    /// Departure sites it applies to.
    pub sites: S<Vec<S<String>>>,
    /// Chance that a convoy's request is granted (default: `[hazards]`'s).
    #[serde(default)]
    pub convoy_grant: Option<S<f64>>,
    /// Chance that a flight's clearance is granted (default: `[hazards]`'s).
    #[serde(default)]
    pub flight_grant: Option<S<f64>>,
    /// Days between a refused convoy request and the next answer.
    #[serde(default)]
    pub convoy_lead_days: Option<S<i64>>,
    /// Days between a refused flight clearance and the next answer.
    #[serde(default)]
    pub flight_lead_days: Option<S<i64>>,
}

/// `[[hazards.road]]`.
#[derive(Debug, Deserialize)]
pub struct RawRoadHazard {
    /// Stable id.
    pub id: S<String>,
    /// Roads it applies to (or `levels`).
    #[serde(default)]
    pub roads: Option<S<Vec<S<String>>>>,
    /// Hazard levels of the roads it applies to (or `roads`).
    #[serde(default)]
    pub levels: Option<S<Vec<S<i64>>>>,
    /// Chance per traverse of an incident.
    pub incident: S<f64>,
    /// Delay an incident causes, days (default none).
    #[serde(default)]
    pub delay_days: Option<S<RawSpread>>,
    /// Vehicles an incident destroys (default none).
    #[serde(default)]
    pub destroyed: Option<S<RawSpread>>,
    /// Share of the personnel aboard injured (default 0).
    #[serde(default)]
    pub injured: Option<S<f64>>,
}

/// `[[hazards.breakdown]]`.
#[derive(Debug, Deserialize)]
pub struct RawBreakdown {
    /// Stable id.
    pub id: S<String>,
    /// Fleets it applies to (default: every fleet).
    #[serde(default)]
    pub fleets: Option<S<Vec<S<String>>>>,
    /// Breakdowns per unit and 1,000 km.
    pub per_1000_km: S<f64>,
    /// Days out of service.
    pub repair_days: S<RawSpread>,
}

/// `[[hazards.season]]`.
#[derive(Debug, Deserialize)]
pub struct RawSeason {
    /// Stable id.
    pub id: S<String>,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
    /// First day.
    pub from: S<Datetime>,
    /// Last day.
    pub until: S<Datetime>,
    /// Roads it slows (default: every road).
    #[serde(default)]
    pub roads: Option<S<Vec<S<String>>>>,
    /// Share of the usual speed.
    pub speed: S<f64>,
}

/// `[[hazards.closure]]`.
#[derive(Debug, Deserialize)]
pub struct RawClosure {
    /// Stable id.
    pub id: S<String>,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
    /// Chance that it happens (default 1).
    #[serde(default)]
    pub probability: Option<S<f64>>,
    /// First day (or earliest first day with `start_by`).
    pub from: S<Datetime>,
    /// Latest first day (default `from`).
    #[serde(default)]
    pub start_by: Option<S<Datetime>>,
    /// Last day of a closure of known length (or `days`).
    #[serde(default)]
    pub until: Option<S<Datetime>>,
    /// Length in days (or `until`).
    #[serde(default)]
    pub days: Option<S<RawSpread>>,
    /// Road ids closed.
    #[serde(default)]
    pub roads: Option<S<Vec<S<String>>>>,
    /// Site ids with no movement in or out.
    #[serde(default)]
    pub sites: Option<S<Vec<S<String>>>>,
    /// Airfield (site) ids with no flights.
    #[serde(default)]
    pub airfields: Option<S<Vec<S<String>>>>,
}

/// `[[hazards.departure]]`.
#[derive(Debug, Deserialize)]
pub struct RawDeparture {
    /// Stable id.
    pub id: S<String>,
    /// The fleet that may leave (or `aircraft`).
    #[serde(default)]
    pub fleet: Option<S<String>>,
    /// The aircraft type that may leave (or `fleet`).
    #[serde(default)]
    pub aircraft: Option<S<String>>,
    /// Chance that it leaves early (default 1).
    #[serde(default)]
    pub probability: Option<S<f64>>,
    /// Earliest day it leaves.
    pub from: S<Datetime>,
    /// Latest day it leaves.
    pub until: S<Datetime>,
}
