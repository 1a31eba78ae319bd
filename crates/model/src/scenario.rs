//! The lowered scenario: sites, roads, fleets, aircraft, exits and restrictions.
//!
//! Every cross reference is a dense index into the owning vector of [`Scenario`]; the
//! `scenario` crate guarantees on lowering that every index is in range and every value
//! has passed validation, so consumers may index without checks.

use crate::time::{Horizon, Period, Window};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            /// The index as a `usize`, for vector indexing.
            pub fn idx(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index into [`Scenario::sites`].
    SiteId
);
id_type!(
    /// Index into [`Scenario::roads`].
    RoadId
);
id_type!(
    /// Index into [`Scenario::fleets`].
    FleetId
);
id_type!(
    /// Index into [`Scenario::aircraft`].
    AircraftId
);
id_type!(
    /// Index into [`Scenario::contingents`].
    ContingentId
);

/// What a site is in the withdrawal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// A camp to be emptied and closed.
    Base,
    /// A logistics hub: it holds stock of its own and stock passes through it.
    Hub,
    /// An exit point (sea port, border crossing, strategic airport): stock arriving leaves
    /// the theatre.
    Exit,
}

/// A quantity of the three commodities: personnel by contingent, containers, vehicles.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Stock {
    /// Personnel per contingent, indexed by [`ContingentId`].
    pub personnel: Vec<u32>,
    /// Containers, in twenty-foot equivalent units.
    pub teu: u32,
    /// Self-propelled vehicles that drive themselves out (not transport fleets).
    pub vehicles: u32,
}

impl Stock {
    /// An empty stock for `contingents` contingents.
    pub fn zero(contingents: usize) -> Self {
        Stock {
            personnel: vec![0; contingents],
            teu: 0,
            vehicles: 0,
        }
    }

    /// Total personnel of all contingents.
    pub fn people(&self) -> u32 {
        self.personnel.iter().sum()
    }

    /// Whether nothing at all is held.
    pub fn is_empty(&self) -> bool {
        self.teu == 0 && self.vehicles == 0 && self.people() == 0
    }
}

/// An airfield at a site.
#[derive(Clone, Debug, PartialEq)]
pub struct Airfield {
    /// Usable runway length in metres.
    pub runway_m: u32,
    /// Whether the runway is paved.
    pub paved: bool,
    /// Aircraft movements (sorties departing or arriving) the airfield handles per period.
    pub slots_per_period: Option<u32>,
}

/// What an exit accepts and how fast.
#[derive(Clone, Debug, PartialEq)]
pub struct Exit {
    /// Whether personnel may leave here.
    pub personnel: bool,
    /// Whether containers may leave here.
    pub teu: bool,
    /// Whether vehicles may leave here.
    pub vehicles: bool,
    /// If set, only these contingents' personnel may leave here (routing by owner).
    pub contingents: Option<Vec<ContingentId>>,
    /// Personnel the exit absorbs per period (`None`: unlimited).
    pub personnel_per_period: Option<u32>,
    /// Containers the exit absorbs per period (`None`: unlimited).
    pub teu_per_period: Option<u32>,
    /// Vehicles the exit absorbs per period (`None`: unlimited).
    pub vehicles_per_period: Option<u32>,
}

impl Exit {
    /// Whether personnel of contingent `c` may leave through this exit.
    pub fn accepts_contingent(&self, c: ContingentId) -> bool {
        self.personnel && self.contingents.as_ref().is_none_or(|cs| cs.contains(&c))
    }
}

/// A base, hub or exit.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    /// Stable textual id from the scenario file.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role in the withdrawal.
    pub kind: SiteKind,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Optional region name (for restrictions and display).
    pub region: Option<String>,
    /// Stock present at the start of the horizon.
    pub initial: Stock,
    /// Earliest period in which the site's own stock may leave.
    pub not_before: Period,
    /// Deadline: the site should be empty at the end of this period.
    pub close_by: Option<Period>,
    /// The site may close only once these sites have closed.
    pub after: Vec<SiteId>,
    /// Personnel who stay while the site still holds containers or vehicles.
    pub rear_guard: u32,
    /// Containers that may depart the site per period (loading capacity).
    pub handling_teu_per_period: Option<u32>,
    /// Airfield, if aircraft can use the site.
    pub airfield: Option<Airfield>,
    /// Exit properties; `Some` exactly when `kind` is [`SiteKind::Exit`].
    pub exit: Option<Exit>,
}

/// An undirected road between two sites; convoys may use it in both directions.
#[derive(Clone, Debug, PartialEq)]
pub struct Road {
    /// Stable textual id (`from-to` unless the file names it).
    pub id: String,
    /// One end.
    pub a: SiteId,
    /// The other end.
    pub b: SiteId,
    /// Length in kilometres.
    pub km: f64,
    /// Travel time of a convoy in periods (at least 1).
    pub periods: u32,
    /// Hazard level 0 (none) to 3 (high).
    pub hazard: u8,
    /// Whether convoys on this road need escort cover.
    pub escort: bool,
    /// Vehicles that may depart onto the road per period in each direction.
    pub vehicles_per_period: Option<u32>,
    /// Most vehicles in one convoy.
    pub max_convoy: Option<u32>,
    /// Windows in which no convoy may be on the road.
    pub closed: Vec<Window>,
}

impl Road {
    /// The other end of the road seen from `s`, if `s` is an end.
    pub fn other(&self, s: SiteId) -> Option<SiteId> {
        if s == self.a {
            Some(self.b)
        } else if s == self.b {
            Some(self.a)
        } else {
            None
        }
    }

    /// Whether a convoy occupying the road during periods `[depart, arrive)` meets a
    /// closed window.
    pub fn closed_during(&self, depart: Period, arrive: Period) -> bool {
        self.closed.iter().any(|w| w.overlaps(depart, arrive))
    }
}

/// What a ground fleet does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FleetKind {
    /// Cargo trucks carrying containers.
    Truck,
    /// Personnel carriers (buses, armoured personnel carriers).
    Carrier,
    /// Escort units protecting convoys on hazardous roads.
    Escort,
}

/// A fleet of identical ground units based at a home site.
#[derive(Clone, Debug, PartialEq)]
pub struct Fleet {
    /// Stable textual id.
    pub id: String,
    /// What the units do.
    pub kind: FleetKind,
    /// Site where the units start and must end.
    pub home: SiteId,
    /// Number of units.
    pub count: u32,
    /// Containers one unit carries.
    pub teu: u32,
    /// Passenger seats of one unit.
    pub seats: u32,
    /// Vehicles one escort unit covers (escorts only).
    pub cover: u32,
    /// Cost of one unit driving one kilometre.
    pub cost_per_km: f64,
    /// Periods in which the units may move.
    pub available: Window,
}

/// A type of aircraft, operated as a pool of sorties from its home base.
#[derive(Clone, Debug, PartialEq)]
pub struct Aircraft {
    /// Stable textual id.
    pub id: String,
    /// Home airfield.
    pub home: SiteId,
    /// Number of airframes.
    pub count: u32,
    /// Passenger seats per sortie.
    pub seats: u32,
    /// Containers per sortie.
    pub payload_teu: u32,
    /// Shortest runway the type can use, in metres.
    pub min_runway_m: u32,
    /// Whether the type needs a paved runway.
    pub paved_only: bool,
    /// Cruise speed in km/h.
    pub speed_kmh: f64,
    /// Sorties one airframe flies per period.
    pub sorties_per_period: u32,
    /// Cost of one flight hour.
    pub cost_per_hour: f64,
    /// Periods in which the type may fly.
    pub available: Window,
}

impl Aircraft {
    /// Whether this type may use the airfield `a`.
    pub fn can_use(&self, a: &Airfield) -> bool {
        a.runway_m >= self.min_runway_m && (a.paved || !self.paved_only)
    }
}

/// A window in which roads, sites or airfields may not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct Restriction {
    /// Stable textual id.
    pub id: String,
    /// Why (host-state permission, border closure, ...).
    pub reason: String,
    /// When it applies.
    pub window: Window,
    /// Roads on which no convoy may be during the window.
    pub roads: Vec<RoadId>,
    /// Sites no convoy or flight may leave or reach during the window.
    pub sites: Vec<SiteId>,
    /// Airfields no flight may leave or reach during the window.
    pub airfields: Vec<SiteId>,
}

/// Weights of the plan objective; the objective is minimised.
#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    /// Per site and day past its deadline.
    pub lateness: f64,
    /// Per day from the horizon start until the last stock reaches an exit.
    pub makespan: f64,
    /// Per hazard-weighted vehicle-kilometre (vehicles x km x hazard level).
    pub exposure: f64,
    /// Per unit of fleet and aircraft cost.
    pub cost: f64,
}

/// Whether and at what price stock may be left behind.
#[derive(Clone, Debug, PartialEq)]
pub struct Abandon {
    /// Whether the plan may abandon containers and vehicles (never personnel).
    pub allowed: bool,
    /// Penalty per container abandoned.
    pub teu_penalty: f64,
    /// Penalty per vehicle abandoned.
    pub vehicle_penalty: f64,
}

/// A contingent: a group of personnel with one owner (a country, or civilian staff).
#[derive(Clone, Debug, PartialEq)]
pub struct Contingent {
    /// Stable textual id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A validated scenario, ready for planning.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Display name.
    pub name: String,
    /// The calendar.
    pub horizon: Horizon,
    /// Personnel seats in each self-propelled vehicle that drives out.
    pub vehicle_seats: u32,
    /// Contingents, indexed by [`ContingentId`].
    pub contingents: Vec<Contingent>,
    /// Sites, indexed by [`SiteId`].
    pub sites: Vec<Site>,
    /// Roads, indexed by [`RoadId`].
    pub roads: Vec<Road>,
    /// Ground fleets, indexed by [`FleetId`].
    pub fleets: Vec<Fleet>,
    /// Aircraft types, indexed by [`AircraftId`].
    pub aircraft: Vec<Aircraft>,
    /// Restriction windows.
    pub restrictions: Vec<Restriction>,
    /// Objective weights.
    pub objective: Objective,
    /// Abandonment policy.
    pub abandon: Abandon,
    /// What can go wrong, for the simulation (`drawdown simulate`); planners ignore it.
    pub hazards: Hazards,
}

impl Scenario {
    /// The site with textual id `id`.
    pub fn site_by_id(&self, id: &str) -> Option<SiteId> {
        find(self.sites.iter().map(|s| s.id.as_str()), id).map(SiteId)
    }

    /// The road with textual id `id`.
    pub fn road_by_id(&self, id: &str) -> Option<RoadId> {
        find(self.roads.iter().map(|r| r.id.as_str()), id).map(RoadId)
    }

    /// The fleet with textual id `id`.
    pub fn fleet_by_id(&self, id: &str) -> Option<FleetId> {
        find(self.fleets.iter().map(|f| f.id.as_str()), id).map(FleetId)
    }

    /// The aircraft type with textual id `id`.
    pub fn aircraft_by_id(&self, id: &str) -> Option<AircraftId> {
        find(self.aircraft.iter().map(|a| a.id.as_str()), id).map(AircraftId)
    }

    /// The contingent with textual id `id`.
    pub fn contingent_by_id(&self, id: &str) -> Option<ContingentId> {
        find(self.contingents.iter().map(|c| c.id.as_str()), id).map(ContingentId)
    }

    /// The site record for `id`.
    pub fn site(&self, id: SiteId) -> &Site {
        &self.sites[id.idx()]
    }

    /// Roads touching site `s`, with the far end.
    pub fn roads_at(&self, s: SiteId) -> impl Iterator<Item = (RoadId, SiteId)> + '_ {
        self.roads
            .iter()
            .enumerate()
            .filter_map(move |(i, r)| r.other(s).map(|o| (RoadId(i as u32), o)))
    }

    /// The road joining `a` and `b`, if any (the first one when several do).
    pub fn road_between(&self, a: SiteId, b: SiteId) -> Option<RoadId> {
        self.roads_at(a).find(|&(_, o)| o == b).map(|(r, _)| r)
    }

    /// Great-circle distance between two sites in kilometres.
    pub fn air_km(&self, a: SiteId, b: SiteId) -> f64 {
        let (s, t) = (self.site(a), self.site(b));
        great_circle_km(s.lat, s.lon, t.lat, t.lon)
    }

    /// Flight time of aircraft type `t` from `a` to `b`, in hours.
    pub fn flight_hours(&self, t: AircraftId, a: SiteId, b: SiteId) -> f64 {
        self.air_km(a, b) / self.aircraft[t.idx()].speed_kmh
    }

    /// Periods a flight of type `t` from `a` to `b` takes: the load is available at `b`
    /// from the period after departure at the earliest.
    pub fn flight_periods(&self, t: AircraftId, a: SiteId, b: SiteId) -> u32 {
        self.horizon
            .periods_for_days(self.flight_hours(t, a, b) / 24.0)
    }

    /// Whether any restriction forbids movements at site `s` in period `p`.
    pub fn site_restricted(&self, s: SiteId, p: Period) -> bool {
        self.restrictions
            .iter()
            .any(|r| r.window.contains(p) && r.sites.contains(&s))
    }

    /// Whether any restriction forbids flights at airfield `s` in period `p` (including
    /// restrictions on the whole site).
    pub fn airfield_restricted(&self, s: SiteId, p: Period) -> bool {
        self.site_restricted(s, p)
            || self
                .restrictions
                .iter()
                .any(|r| r.window.contains(p) && r.airfields.contains(&s))
    }

    /// Whether a convoy on road `r` during `[depart, arrive)` meets a closure of the road
    /// itself or a restriction naming it.
    pub fn road_blocked(&self, r: RoadId, depart: Period, arrive: Period) -> bool {
        self.roads[r.idx()].closed_during(depart, arrive)
            || self
                .restrictions
                .iter()
                .any(|x| x.roads.contains(&r) && x.window.overlaps(depart, arrive))
    }
}

fn find<'a>(mut ids: impl Iterator<Item = &'a str>, id: &str) -> Option<u32> {
    ids.position(|x| x == id).map(|i| i as u32)
}

/// Great-circle (haversine) distance in kilometres on a sphere of radius 6,371 km.
pub fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

// ---------------------------------------------------------------------------------------
// Hazards: what the simulation samples. Planners plan as if none of this happens.
// ---------------------------------------------------------------------------------------

/// A spread of values (days or counts): uniform on `[min, max]`, or triangular with its
/// peak at `mode` when one is given. `min == max` is a fixed value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// Smallest value.
    pub min: f64,
    /// Most likely value, if the spread is triangular.
    pub mode: Option<f64>,
    /// Largest value.
    pub max: f64,
}

impl Spread {
    /// A spread that always gives `x`.
    pub fn fixed(x: f64) -> Self {
        Spread {
            min: x,
            mode: None,
            max: x,
        }
    }

    /// The value at quantile `u` in `[0, 1)` (the inverse distribution function), so that a
    /// uniform random `u` gives a draw from the spread.
    pub fn at(&self, u: f64) -> f64 {
        let (a, b) = (self.min, self.max);
        if b <= a {
            return a;
        }
        match self.mode {
            None => a + u * (b - a),
            Some(c) => {
                let split = (c - a) / (b - a);
                if u < split {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            }
        }
    }

    /// The mean of the spread.
    pub fn mean(&self) -> f64 {
        match self.mode {
            None => (self.min + self.max) / 2.0,
            Some(c) => (self.min + c + self.max) / 3.0,
        }
    }
}

/// Host-state permission for the movements leaving one site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Permission {
    /// Chance that a request to move is granted.
    pub grant: f64,
    /// Periods between a refusal and the next answer (at least 1).
    pub lead_periods: u32,
}

impl Default for Permission {
    fn default() -> Self {
        Permission {
            grant: 1.0,
            lead_periods: 1,
        }
    }
}

/// Attacks and roadside bombs on one road.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadHazard {
    /// Id of the `[[hazards.road]]` entry that applies.
    pub id: String,
    /// Chance that one traverse of the road (one convoy leg) meets an incident.
    pub incident: f64,
    /// Delay an incident causes, in days.
    pub delay_days: Spread,
    /// Vehicles an incident destroys (with what they carry).
    pub destroyed: Spread,
    /// Share of the personnel aboard a convoy that an incident injures.
    pub injured: f64,
}

/// Breakdowns of a fleet's units.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakdown {
    /// Id of the `[[hazards.breakdown]]` entry that applies.
    pub id: String,
    /// Breakdowns per unit and 1,000 km driven.
    pub per_1000_km: f64,
    /// Days a broken unit is out of service after its leg.
    pub repair_days: Spread,
}

/// A season in which convoys on some roads drive slower (the rainy season).
#[derive(Clone, Debug, PartialEq)]
pub struct Season {
    /// Stable id.
    pub id: String,
    /// Convoys departing in these periods are slowed.
    pub window: Window,
    /// The roads it slows.
    pub roads: Vec<RoadId>,
    /// Speed as a share of the usual speed (0 to 1): travel time is divided by it.
    pub speed: f64,
}

/// A closure that may happen, at an uncertain time and for an uncertain length: a border
/// closure or a blanket refusal of permission.
#[derive(Clone, Debug, PartialEq)]
pub struct Closure {
    /// Stable id.
    pub id: String,
    /// Why.
    pub reason: String,
    /// Chance that it happens at all in one campaign.
    pub probability: f64,
    /// It starts in a period drawn uniformly from this window.
    pub start: Window,
    /// Its length in days.
    pub days: Spread,
    /// Roads on which no convoy may be while it lasts.
    pub roads: Vec<RoadId>,
    /// Sites no convoy or flight may leave or reach while it lasts.
    pub sites: Vec<SiteId>,
    /// Airfields no flight may leave or reach while it lasts.
    pub airfields: Vec<SiteId>,
}

/// What leaves the theatre early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leaver {
    /// A ground fleet (an escort battalion, a truck contract).
    Fleet(FleetId),
    /// An aircraft type (a charter).
    Aircraft(AircraftId),
}

/// A fleet or aircraft type that may leave on an uncertain date.
#[derive(Clone, Debug, PartialEq)]
pub struct Departure {
    /// Stable id.
    pub id: String,
    /// What leaves.
    pub leaver: Leaver,
    /// Chance that it leaves early at all in one campaign.
    pub probability: f64,
    /// It leaves at the start of a period drawn uniformly from this window; from then on
    /// its units depart on no new movement.
    pub window: Window,
}

/// Everything the simulation samples. The default is a world without hazards.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Hazards {
    /// Permission for convoys, by departure site (empty: always granted).
    pub convoy_permission: Vec<Permission>,
    /// Permission for flights, by departure site (empty: always granted).
    pub flight_permission: Vec<Permission>,
    /// Attacks and roadside bombs, by road (empty or `None`: none).
    pub roads: Vec<Option<RoadHazard>>,
    /// Breakdowns, by fleet (empty or `None`: none).
    pub breakdowns: Vec<Option<Breakdown>>,
    /// Seasonal slowdowns.
    pub seasons: Vec<Season>,
    /// Closures that may happen.
    pub closures: Vec<Closure>,
    /// Fleets and aircraft types that may leave early.
    pub departures: Vec<Departure>,
}

impl Hazards {
    /// Permission for a convoy leaving `s`.
    pub fn convoy_permission(&self, s: SiteId) -> Permission {
        self.convoy_permission
            .get(s.idx())
            .copied()
            .unwrap_or_default()
    }

    /// Permission for a flight leaving `s`.
    pub fn flight_permission(&self, s: SiteId) -> Permission {
        self.flight_permission
            .get(s.idx())
            .copied()
            .unwrap_or_default()
    }

    /// Attacks and roadside bombs on road `r`, if any.
    pub fn road(&self, r: RoadId) -> Option<&RoadHazard> {
        self.roads.get(r.idx()).and_then(Option::as_ref)
    }

    /// Breakdowns of fleet `f`, if any.
    pub fn breakdown(&self, f: FleetId) -> Option<&Breakdown> {
        self.breakdowns.get(f.idx()).and_then(Option::as_ref)
    }
}
