//! The synthetic world, built stage by stage from the parameters and the seed.
//!
//! Each stage draws from its own random stream ([`Rng::stream`]) and works on the plain
//! types below; [`crate::write`] turns the result into TOML. Sizing (fleets, capacities,
//! dates) is derived from the generator's own shortest routes, so that every scenario is
//! valid and the constructive planner can move everything within the horizon.

use crate::Params;
use crate::geo::{self, BORDERS, PORTS, Point};
use crate::network::{self, Nearest, Road, RoadKind, Routes};
use crate::rng::Rng;

/// A contingent.
pub struct Contingent {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// The role of a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A logistics hub (sector headquarters).
    Hub,
    /// A camp.
    Base,
    /// An exit.
    Exit,
}

/// An airfield.
pub struct Airfield {
    /// Runway length, m.
    pub runway_m: u32,
    /// Paved or not.
    pub paved: bool,
    /// Movements per day, if limited.
    pub slots_per_day: Option<u32>,
}

/// What an exit takes.
#[derive(Default)]
pub struct ExitSpec {
    /// Accepts personnel.
    pub personnel: bool,
    /// Accepts containers.
    pub teu: bool,
    /// Accepts vehicles.
    pub vehicles: bool,
    /// Only these contingents' personnel (indices), if restricted.
    pub contingents: Option<Vec<usize>>,
    /// Personnel per day.
    pub personnel_per_day: Option<u32>,
    /// TEU per day.
    pub teu_per_day: Option<u32>,
    /// Vehicles per day.
    pub vehicles_per_day: Option<u32>,
}

/// A base, hub or exit.
pub struct Site {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub kind: Kind,
    /// Position.
    pub at: Point,
    /// Region (the hub whose sector it is in).
    pub region: Option<String>,
    /// Personnel by contingent index.
    pub personnel: Vec<(usize, u32)>,
    /// Containers.
    pub teu: u32,
    /// Vehicles.
    pub vehicles: u32,
    /// Withdrawal phase (1, 2; 3 for hubs; 0 for exits).
    pub phase: u8,
    /// Day offset of `not_before`.
    pub not_before: Option<u32>,
    /// Day offset of `close_by`.
    pub close_by: Option<u32>,
    /// Sites (indices) that must close first.
    pub after: Vec<usize>,
    /// Rear guard.
    pub rear_guard: u32,
    /// Handling TEU per day.
    pub handling: Option<u32>,
    /// Airfield.
    pub airfield: Option<Airfield>,
    /// Exit table.
    pub exit: Option<ExitSpec>,
}

impl Site {
    fn new(id: String, name: String, kind: Kind, at: Point) -> Self {
        Site {
            id,
            name,
            kind,
            at,
            region: None,
            personnel: Vec::new(),
            teu: 0,
            vehicles: 0,
            phase: 0,
            not_before: None,
            close_by: None,
            after: Vec::new(),
            rear_guard: 0,
            handling: None,
            airfield: None,
            exit: None,
        }
    }

    /// Total personnel.
    pub fn people(&self) -> u32 {
        self.personnel.iter().map(|&(_, n)| n).sum()
    }
}

/// What a fleet's units do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FleetKind {
    /// Trucks.
    Truck,
    /// Personnel carriers.
    Carrier,
    /// Escorts.
    Escort,
}

/// A ground fleet.
pub struct Fleet {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: FleetKind,
    /// Home site index.
    pub home: usize,
    /// Units.
    pub count: u32,
    /// TEU per truck.
    pub teu: Option<u32>,
    /// Seats per unit.
    pub seats: u32,
    /// Vehicles covered per escort.
    pub cover: Option<u32>,
    /// Cost per unit-km.
    pub cost_per_km: f64,
    /// Availability window (day offsets), if not the whole horizon.
    pub available: Option<(u32, u32)>,
}

/// An aircraft type.
pub struct AircraftType {
    /// Id.
    pub id: String,
    /// What it stands for, for the file's comment.
    pub note: &'static str,
    /// Home site index.
    pub home: usize,
    /// Airframes.
    pub count: u32,
    /// Seats per sortie.
    pub seats: Option<u32>,
    /// Payload in tonnes.
    pub payload_t: Option<f64>,
    /// Payload in TEU.
    pub payload_teu: Option<u32>,
    /// Shortest usable runway.
    pub min_runway_m: u32,
    /// Needs a paved runway.
    pub paved_only: bool,
    /// Cruise speed.
    pub speed_kmh: f64,
    /// Sorties per airframe per day.
    pub sorties_per_day: u32,
    /// Cost per flight hour.
    pub cost_per_hour: f64,
    /// Availability window (day offsets), if not the whole horizon.
    pub available: Option<(u32, u32)>,
}

/// A restriction window.
pub struct Restriction {
    /// Id.
    pub id: String,
    /// Why.
    pub reason: String,
    /// First day offset.
    pub from: u32,
    /// Last day offset (included).
    pub until: u32,
    /// Road indices.
    pub roads: Vec<usize>,
    /// Site indices.
    pub sites: Vec<usize>,
    /// Airfield site indices.
    pub airfields: Vec<usize>,
}

/// Tonnes per TEU written to `[defaults]`: the mission's mixed containers average about
/// 9 t, so a C-130's 19 t count as two TEU of palletised cargo (as in the MINUSMA file).
pub const TEU_TONNES: f64 = 9.0;

/// Seats in each stock vehicle (the format's default).
const VEHICLE_SEATS: u32 = 2;

/// The whole synthetic scenario.
pub struct World {
    /// What it was made from.
    pub params: Params,
    /// Days in the horizon (about 1.3 times the withdrawal days).
    pub horizon_days: u32,
    /// Contingents.
    pub contingents: Vec<Contingent>,
    /// Sites: hubs, then bases, then exits.
    pub sites: Vec<Site>,
    /// Roads.
    pub roads: Vec<Road>,
    /// Ground fleets.
    pub fleets: Vec<Fleet>,
    /// Aircraft types.
    pub aircraft: Vec<AircraftType>,
    /// Restrictions.
    pub restrictions: Vec<Restriction>,
    /// Whether containers and vehicles may be abandoned.
    pub abandon: bool,
    /// Number of hubs (sites `0..hubs`).
    pub hubs: usize,
}

/// Day offset `f` of the way through `days` (rounded).
fn frac(days: u32, f: f64) -> u32 {
    (f64::from(days) * f).round() as u32
}

fn ceil_to(x: f64, step: u32) -> u32 {
    let s = f64::from(step);
    ((x / s).ceil() * s).max(s) as u32
}

/// Troop contributors (the MINUSMA ones and a few more); the civilian staff are added as
/// one more contingent.
const COUNTRIES: [(&str, &str); 19] = [
    ("chad", "Chad"),
    ("bangladesh", "Bangladesh"),
    ("egypt", "Egypt"),
    ("germany", "Germany"),
    ("senegal", "Senegal"),
    ("togo", "Togo"),
    ("niger", "Niger"),
    ("cote-divoire", "Cote d'Ivoire"),
    ("burkina-faso", "Burkina Faso"),
    ("guinea", "Guinea"),
    ("nepal", "Nepal"),
    ("el-salvador", "El Salvador"),
    ("sri-lanka", "Sri Lanka"),
    ("jordan", "Jordan"),
    ("cambodia", "Cambodia"),
    ("china", "China"),
    ("ghana", "Ghana"),
    ("benin", "Benin"),
    ("nigeria", "Nigeria"),
];

impl World {
    /// Build the world for `p` (already checked by [`crate::generate`]).
    pub fn build(p: &Params) -> World {
        let mut w = World::geography(p);
        w.people_and_stock();
        let routes = w.routes();
        w.timeline(&routes);
        w.airfields_and_exits();
        w.handling(&routes);
        w.fleets_and_aircraft(&routes);
        w.restrictions();
        w
    }

    /// Sites and roads.
    fn geography(p: &Params) -> World {
        let mut r = Rng::stream(p.seed, "geography");
        let n = p.sites;
        // About one hub per 15 to 25 bases, at least one, and at least one base.
        let ratio = r.range(15.0, 25.0);
        let hubs = ((n as f64 / (ratio + 1.0)).round() as usize).clamp(1, n - 1);
        let hub_pts = geo::place_hubs(&mut r, hubs);
        let base_pts = geo::place_bases(&mut r, n - hubs, &hub_pts);
        let hw = digits(hubs);
        let bw = digits(n - hubs);
        let mut sites: Vec<Site> = Vec::with_capacity(n + 6);
        for (i, &at) in hub_pts.iter().enumerate() {
            let name = if i == 0 {
                "Capital (mission HQ and logistics base)".to_string()
            } else {
                format!("Sector hub {}", i + 1)
            };
            sites.push(Site::new(
                format!("hub-{:0hw$}", i + 1),
                name,
                Kind::Hub,
                at,
            ));
        }
        for (i, &at) in base_pts.iter().enumerate() {
            sites.push(Site::new(
                format!("b{:0bw$}", i + 1),
                format!("Camp {}", i + 1),
                Kind::Base,
                at,
            ));
        }
        // Exits: the strategic airport by the capital, one to four sea ports, and up to
        // three border crossings; two to six in all.
        let exits = r.int(2, 6) as usize;
        let borders = if exits >= 3 {
            r.int(0, (exits as u64 - 2).min(3)) as usize
        } else {
            0
        };
        let ports = exits - 1 - borders;
        let capital = sites[0].at;
        sites.push(Site::new(
            "airport".into(),
            "International airport (strategic flights out)".into(),
            Kind::Exit,
            Point::new(capital.lat - 0.08, capital.lon + 0.03),
        ));
        let mut port_idx: Vec<usize> = (0..PORTS.len()).collect();
        r.shuffle(&mut port_idx);
        for &k in port_idx.iter().take(ports) {
            let pt = &PORTS[k];
            sites.push(Site::new(
                format!("port-{}", pt.id),
                pt.name.into(),
                Kind::Exit,
                pt.at,
            ));
        }
        let mut border_idx: Vec<usize> = (0..BORDERS.len()).collect();
        r.shuffle(&mut border_idx);
        for &k in border_idx.iter().take(borders) {
            let b = &BORDERS[k];
            sites.push(Site::new(
                format!("border-{}", b.id),
                b.name.into(),
                Kind::Exit,
                b.at,
            ));
        }
        let pts: Vec<Point> = sites.iter().map(|s| s.at).collect();
        let mut roads: Vec<Road> = network::local_pairs(&mut r, &pts[..n], hubs)
            .into_iter()
            .map(|(a, b, kind)| network::road(&mut r, &pts, a, b, kind))
            .collect();
        // Exits hang off the hubs: the airport off the capital, a port off its one or two
        // nearest hubs, a border town off its nearest hub.
        roads.push(network::road(&mut r, &pts, 0, n, RoadKind::Access));
        let hubs_by_distance = |x: Point| -> Vec<usize> {
            let mut h: Vec<usize> = (0..hubs).collect();
            h.sort_by(|&a, &b| pts[a].km(x).total_cmp(&pts[b].km(x)).then(a.cmp(&b)));
            h
        };
        for x in n + 1..sites.len() {
            let near = hubs_by_distance(pts[x]);
            let links = if sites[x].id.starts_with("port-") && hubs >= 2 && r.chance(0.5) {
                2
            } else {
                1
            };
            for &h in near.iter().take(links) {
                roads.push(network::road(&mut r, &pts, h, x, RoadKind::Corridor));
            }
        }
        let abandon = r.chance(0.5);
        World {
            params: p.clone(),
            horizon_days: 0,
            contingents: Vec::new(),
            sites,
            roads,
            fleets: Vec::new(),
            aircraft: Vec::new(),
            restrictions: Vec::new(),
            abandon,
            hubs,
        }
    }

    /// Number of bases and hubs (the sites with stock).
    fn n(&self) -> usize {
        self.params.sites
    }

    /// Contingents, personnel, containers and vehicles at MINUSMA's magnitudes per camp.
    fn people_and_stock(&mut self) {
        let mut r = Rng::stream(self.params.seed, "stock");
        let n = self.n();
        let max_countries = (4 + n / 4).min(COUNTRIES.len());
        let countries = r.int(4, max_countries as u64) as usize;
        let mut order: Vec<usize> = (0..COUNTRIES.len()).collect();
        r.shuffle(&mut order);
        for &k in order.iter().take(countries) {
            self.contingents.push(Contingent {
                id: COUNTRIES[k].0.into(),
                name: COUNTRIES[k].1.into(),
            });
        }
        let civ = self.contingents.len();
        self.contingents.push(Contingent {
            id: "civilian".into(),
            name: "Civilian staff".into(),
        });
        // Each sector is held mostly by one or two contributors, as in MINUSMA.
        let sector_main: Vec<(usize, usize)> = (0..self.hubs)
            .map(|_| (r.index(countries), r.index(countries)))
            .collect();
        let region = {
            let routes = self.routes();
            let hubs: Vec<usize> = (0..self.hubs).collect();
            routes.nearest(&hubs).source
        };
        for (i, &nearest_hub) in region[..n].iter().enumerate() {
            let hub = nearest_hub.min(self.hubs - 1);
            let (main, second) = sector_main[hub];
            let s = &mut self.sites[i];
            s.region = Some(format!("sector {}", hub + 1));
            let total = match s.kind {
                Kind::Hub => r.log_range(1_200.0, 3_600.0),
                _ => r.log_range(120.0, 2_400.0),
            };
            let civ_share = match s.kind {
                Kind::Hub => r.range(0.06, 0.3),
                _ => r.range(0.0, 0.06),
            };
            let civilians = (total * civ_share).round() as u32;
            let uniformed = (total.round() as u32).saturating_sub(civilians).max(20);
            let mut parts: Vec<(usize, u32)> = Vec::new();
            // A camp is held by the sector's main contributor, often with a second unit;
            // a hub hosts several.
            let first = if r.chance(0.7) {
                main
            } else {
                r.index(countries)
            };
            let share = if s.kind == Kind::Hub {
                r.range(0.3, 0.6)
            } else if r.chance(0.6) {
                1.0
            } else {
                r.range(0.55, 0.9)
            };
            let a = ((f64::from(uniformed) * share).round() as u32).max(1);
            parts.push((first, a));
            let mut rest = uniformed - a.min(uniformed);
            if rest > 0 {
                let other = if r.chance(0.5) && second != first {
                    second
                } else {
                    r.index(countries)
                };
                if s.kind == Kind::Hub && rest > 200 {
                    let third = r.index(countries);
                    let b = rest / 2;
                    parts.push((third, b));
                    rest -= b;
                }
                parts.push((other, rest));
            }
            if civilians > 0 {
                parts.push((civ, civilians));
            }
            s.personnel = merge(parts);
            // MINUSMA: about 1/3 TEU and 1/4 vehicle per person at the camps, a little
            // more at the hubs (stores, workshops).
            let people = f64::from(s.people());
            let (teu_rate, veh_rate) = match s.kind {
                Kind::Hub => (r.range(0.33, 0.45), r.range(0.22, 0.32)),
                _ => (r.range(0.25, 0.4), r.range(0.18, 0.28)),
            };
            s.teu = (people * teu_rate).round() as u32;
            s.vehicles = (people * veh_rate).round() as u32;
        }
        // Every contingent serves somewhere: a contributor not drawn for any site gets
        // staff officers at a hub (the format warns about a contingent with nobody).
        for c in 0..self.contingents.len() {
            if !self.sites[..n]
                .iter()
                .any(|s| s.personnel.iter().any(|&(k, _)| k == c))
            {
                let at = r.index(self.hubs);
                let staff = r.int(20, 60) as u32;
                let s = &mut self.sites[at];
                let mut parts = std::mem::take(&mut s.personnel);
                parts.push((c, staff));
                s.personnel = merge(parts);
            }
        }
    }

    fn routes(&self) -> Routes {
        let exit = self.sites.iter().map(|s| s.kind == Kind::Exit).collect();
        Routes::new(self.sites.len(), &self.roads, exit)
    }

    /// Exits that surely accept personnel of every contingent, containers, and vehicles,
    /// before the exit tables are drawn: the airport takes everybody, ports take
    /// containers and vehicles. Other exits may take more, so routes to these are an
    /// upper bound of the fastest route, which is what dates must allow for.
    fn exit_sets(&self) -> [Vec<usize>; 3] {
        let n = self.n();
        let ports: Vec<usize> = (n..self.sites.len())
            .filter(|&i| self.sites[i].id.starts_with("port-"))
            .collect();
        [vec![n], ports.clone(), ports]
    }

    /// Phases, `not_before`, `close_by`, `after`, rear guards, handling and the horizon.
    fn timeline(&mut self, routes: &Routes) {
        let mut r = Rng::stream(self.params.seed, "timeline");
        let d = self.params.days;
        let n = self.n();
        let hubs: Vec<usize> = (0..self.hubs).collect();
        let Nearest {
            dist: to_hub,
            source: region,
            ..
        } = routes.nearest(&hubs);
        let sets = self.exit_sets();
        let per: Vec<_> = sets.iter().map(|x| routes.nearest(x)).collect();
        let fastest: Vec<[u32; 3]> = (0..n)
            .map(|i| [per[0].dist[i], per[1].dist[i], per[2].dist[i]])
            .collect();
        // Remote camps go first (phase 1), as MINUSMA's four outposts did: the 30% of
        // bases furthest from their hub.
        let mut bases: Vec<usize> = (self.hubs..n).collect();
        bases.sort_by_key(|&i| (std::cmp::Reverse(to_hub[i]), i));
        let phase1 = if bases.len() >= 3 {
            (bases.len() as f64 * 0.3).round() as usize
        } else {
            0
        };
        for (k, &i) in bases.iter().enumerate() {
            self.sites[i].phase = if k < phase1 { 1 } else { 2 };
        }
        for i in 0..self.hubs {
            self.sites[i].phase = 3;
        }
        // The horizon runs about 30% past the withdrawal, so that lateness is measured
        // rather than forced into abandonment. A short withdrawal over long routes gets
        // more: after the last deadline there is time for the slowest route to an exit,
        // and two weeks.
        let slowest = (0..n).map(|i| self.need(i, &fastest[i])).max().unwrap_or(0);
        self.horizon_days = frac(d, 1.3).max(d + slowest + 14);
        let hd = self.horizon_days;
        let jitter = (f64::from(d) * 0.03).round() as i64;
        for (i, fast) in fastest.iter().enumerate() {
            let phase = self.sites[i].phase;
            let (nb, cb) = match phase {
                1 => (r.range(0.0, 0.08), 0.35),
                2 => (r.range(0.1, 0.3), 0.8),
                _ => (r.range(0.45, 0.6), 1.0),
            };
            let mut not_before = frac(d, nb);
            let mut close_by = if phase == 3 {
                d - 1
            } else {
                let j = if jitter > 0 {
                    r.int(0, 2 * jitter as u64) as i64 - jitter
                } else {
                    0
                };
                (i64::from(frac(d, cb)) + j).clamp(0, i64::from(d) - 1) as u32
            };
            // Every stock must be able to reach an exit inside the horizon from its
            // not_before, with a day to spare (validation rule E1705).
            let latest = hd.saturating_sub(self.need(i, fast) + 2);
            not_before = not_before.min(latest);
            close_by = close_by.max(not_before);
            let s = &mut self.sites[i];
            s.not_before = (not_before > 0).then_some(not_before);
            s.close_by = Some(close_by);
            let people = s.people();
            let rg_share = match s.kind {
                Kind::Hub => Some(r.range(0.06, 0.1)),
                _ if r.chance(0.8) => Some(r.range(0.08, 0.2)),
                _ => None,
            };
            s.rear_guard = rg_share.map_or(0, |x| (f64::from(people) * x).round() as u32);
        }
        // `after`: a hub closes after a few camps of its sector whose stock passes it; a
        // few phase-2 camps close after a neighbouring phase-1 outpost whose road they
        // secure. Edges only go from later phases to earlier ones, so there is no cycle.
        for h in 0..self.hubs {
            if !r.chance(0.6) {
                continue;
            }
            let mut sector: Vec<usize> = (self.hubs..n).filter(|&i| region[i] == h).collect();
            r.shuffle(&mut sector);
            let k = r.int(1, 3) as usize;
            let mut after: Vec<usize> = sector.into_iter().take(k).collect();
            after.sort_unstable();
            self.sites[h].after = after;
        }
        for ro in &self.roads {
            let (a, b) = (ro.a, ro.b);
            if a >= n || b >= n || a < self.hubs || b < self.hubs {
                continue;
            }
            let (pa, pb) = (self.sites[a].phase, self.sites[b].phase);
            let (later, earlier) = match (pa, pb) {
                (2, 1) => (a, b),
                (1, 2) => (b, a),
                _ => continue,
            };
            if r.chance(0.15) && !self.sites[later].after.contains(&earlier) {
                self.sites[later].after.push(earlier);
            }
        }
    }

    /// Handling limits (containers loaded out per day), which count every container
    /// departing a site, its own and those passing through (plan-semantics V057).
    ///
    /// A camp that lies on a shortest route from some site to some exit taking containers
    /// may see any amount pass, so only camps off every such route get a limit: one that
    /// loads their own containers in about a third of their window (small camps have a
    /// crane or two). Hubs get a limit sized to load their own containers and everything
    /// whose shortest route may pass them in about a sixth of the withdrawal.
    fn handling(&mut self, routes: &Routes) {
        let mut r = Rng::stream(self.params.seed, "handling");
        let n = self.n();
        let d = f64::from(self.params.days);
        let exits: Vec<usize> = (n..self.sites.len())
            .filter(|&i| self.sites[i].exit.as_ref().is_some_and(|e| e.teu))
            .collect();
        let to_exit: Vec<Vec<u32>> = exits.iter().map(|&e| routes.nearest(&[e]).dist).collect();
        // `x` is on a shortest route to exit `e` when a neighbour's best route may go via it.
        let on_route = |x: usize| {
            to_exit.iter().any(|de| {
                de[x] != u32::MAX
                    && routes.roads_at(x).iter().any(|&(u, p, _)| {
                        !routes.is_exit(u) && de[u] != u32::MAX && de[u] == de[x] + p
                    })
            })
        };
        for i in self.hubs..n {
            let s = &self.sites[i];
            if s.teu == 0 || on_route(i) || !r.chance(0.85) {
                continue;
            }
            let window = s
                .close_by
                .unwrap_or(0)
                .saturating_sub(s.not_before.unwrap_or(0));
            let own = 3.0 * f64::from(s.teu) / f64::from(window.max(5));
            self.sites[i].handling = Some(ceil_to(own.max(10.0), 5));
        }
        for h in 0..self.hubs {
            let from_hub = routes.nearest(&[h]).dist;
            let passing: u64 = (0..n)
                .filter(|&s| {
                    s != h
                        && from_hub[s] != u32::MAX
                        && to_exit
                            .iter()
                            .any(|de| de[h] != u32::MAX && de[s] == from_hub[s] + de[h])
                })
                .map(|s| u64::from(self.sites[s].teu))
                .sum();
            let load = (u64::from(self.sites[h].teu) + passing) as f64;
            if r.chance(0.7) {
                self.sites[h].handling = Some(ceil_to((6.0 * load / d).max(60.0), 10));
            }
        }
    }

    /// Days the slowest of site `i`'s commodities needs to reach an accepting exit by road.
    fn need(&self, i: usize, fastest: &[u32; 3]) -> u32 {
        let s = &self.sites[i];
        let mut need = 0;
        if s.people() > 0 {
            need = need.max(fastest[0]);
        }
        if s.teu > 0 {
            need = need.max(fastest[1]);
        }
        if s.vehicles > 0 {
            need = need.max(fastest[2]);
        }
        need
    }

    /// Airfields at the hubs, some camps and the airport; what each exit takes and how fast.
    fn airfields_and_exits(&mut self) {
        let mut r = Rng::stream(self.params.seed, "exits");
        let n = self.n();
        let d = f64::from(self.params.days);
        for i in 0..n {
            let hub = self.sites[i].kind == Kind::Hub;
            if hub {
                let paved = i == 0 || r.chance(0.9);
                let runway = if i == 0 {
                    r.int(2_600, 3_200)
                } else {
                    r.int(2_000, 3_200)
                };
                self.sites[i].airfield = Some(Airfield {
                    runway_m: (runway / 10 * 10) as u32,
                    paved,
                    slots_per_day: Some(r.int(12, 30) as u32),
                });
            } else if r.chance(0.35) {
                let runway = r.log_range(900.0, 2_600.0).round() as u32 / 10 * 10;
                self.sites[i].airfield = Some(Airfield {
                    runway_m: runway,
                    paved: r.chance(0.35),
                    slots_per_day: r.chance(0.8).then(|| r.int(4, 12) as u32),
                });
            }
        }
        let total_people: f64 = self.sites[..n].iter().map(|s| f64::from(s.people())).sum();
        let total_teu: f64 = self.sites[..n].iter().map(|s| f64::from(s.teu)).sum();
        let total_veh: f64 = self.sites[..n].iter().map(|s| f64::from(s.vehicles)).sum();
        let countries = self.contingents.len() - 1;
        let some_countries = |r: &mut Rng, k: u64| -> Vec<usize> {
            let mut all: Vec<usize> = (0..countries).collect();
            r.shuffle(&mut all);
            let mut v: Vec<usize> = all.into_iter().take(k as usize).collect();
            v.sort_unstable();
            v
        };
        for i in n..self.sites.len() {
            let id = self.sites[i].id.clone();
            let mut e = ExitSpec::default();
            if id == "airport" {
                // Strategic charters: everybody may fly home from here.
                e.personnel = true;
                e.personnel_per_day = Some(ceil_to((total_people / (0.25 * d)).max(500.0), 100));
                self.sites[i].airfield = Some(Airfield {
                    runway_m: 3_200,
                    paved: true,
                    slots_per_day: Some((40 + n / 4).min(400) as u32),
                });
                if r.chance(0.4) {
                    // Sensitive equipment leaves by strategic airlift.
                    e.teu = true;
                    e.teu_per_day = Some(ceil_to((0.1 * total_teu / (0.5 * d)).max(20.0), 10));
                }
            } else if id.starts_with("port-") {
                e.personnel = true;
                e.teu = true;
                e.vehicles = true;
                // Ports clear a share of the mission's containers and vehicles a day; each
                // can take all of it within about 40% of the withdrawal.
                e.teu_per_day = Some(ceil_to(total_teu / (0.4 * d) * r.range(1.0, 1.5), 10));
                e.vehicles_per_day = Some(ceil_to(total_veh / (0.4 * d) * r.range(1.0, 1.5), 10));
                e.personnel_per_day = Some(r.int(3, 10) as u32 * 100);
                // Personnel drive home through a port only when their country is its
                // corridor (routing by owner).
                if r.chance(0.6) {
                    let k = r.int(1, 2.min(countries as u64));
                    e.contingents = Some(some_countries(&mut r, k));
                }
            } else {
                e.personnel = true;
                e.personnel_per_day = Some(r.int(2, 8) as u32 * 100);
                if r.chance(0.4) {
                    e.vehicles = true;
                    e.vehicles_per_day =
                        Some(ceil_to(total_veh / (0.5 * d) * r.range(0.5, 1.0), 10));
                }
                if r.chance(0.7) {
                    let k = r.int(1, 3.min(countries as u64));
                    e.contingents = Some(some_countries(&mut r, k));
                }
            }
            self.sites[i].exit = Some(e);
        }
    }

    /// Trucks, carriers and escorts at every hub, sized from the work of their sector
    /// (containers and personnel times round-trip days to an exit), and the aircraft.
    fn fleets_and_aircraft(&mut self, routes: &Routes) {
        let mut r = Rng::stream(self.params.seed, "fleets");
        let n = self.n();
        let d = f64::from(self.params.days);
        let hubs: Vec<usize> = (0..self.hubs).collect();
        let region = routes.nearest(&hubs).source;
        // Work is measured leg by leg along the routes to the nearest exit that takes
        // each commodity, and charged to the hub nearest the leg's start: a hub's own
        // fleets drive the legs out of its sector and out of the hub itself, including
        // everything passing through it.
        let taking = |f: &dyn Fn(&ExitSpec) -> bool| -> Vec<usize> {
            (n..self.sites.len())
                .filter(|&i| self.sites[i].exit.as_ref().is_some_and(f))
                .collect()
        };
        let to_p = routes.nearest(&taking(&|e| e.personnel));
        let to_t = routes.nearest(&taking(&|e| e.teu));
        let to_v = routes.nearest(&taking(&|e| e.vehicles));
        // Unit-days a hub can give: most of the withdrawal, at the part utilisation a
        // constructive plan reaches (waiting for loads, escorts, deadlines, phases). A
        // withdrawal shorter than four months loses a larger share of its days to the
        // fixed length of the routes, so its fleets are sized for proportionally fewer.
        let supply = 0.85 * d * 0.4 * (d / 120.0).min(1.0);
        let truck_teu = 2u32;
        let seats = r.int(20, 40) as u32;
        let cover = r.int(12, 24) as u32;
        // Round trips plus positioning between hubs.
        let overhead = 1.3;
        let mut work = vec![[0f64; 3]; self.hubs];
        let hub_of = |u: usize| region[u].min(self.hubs - 1);
        for i in 0..n {
            let s = &self.sites[i];
            let people = f64::from(s.people());
            let veh = f64::from(s.vehicles);
            // About a third flies out; stock vehicles carry two each.
            let by_road = (0.7 * people - f64::from(VEHICLE_SEATS) * veh).max(0.3 * people);
            let loads = [
                (&to_t, f64::from(s.teu) / f64::from(truck_teu), 0),
                (&to_p, by_road / f64::from(seats), 1),
                (&to_v, veh, 2),
            ];
            for (tree, vehicles, kind) in loads {
                if vehicles == 0.0 {
                    continue;
                }
                // Escorts ride a team's whole round trip when any leg of it needs them,
                // and every team needs at least one however few vehicles it has, so they
                // are sized per vehicle covered plus per team (about a dozen vehicles).
                let escorted = tree.legs(i).any(|(_, k, _)| self.roads[k].hazard >= 2);
                for (u, _, p) in tree.legs(i) {
                    let days = vehicles * 2.0 * f64::from(p) * overhead;
                    if kind < 2 {
                        work[hub_of(u)][kind] += days;
                    }
                    if escorted {
                        work[hub_of(u)][2] += days * (1.0 / f64::from(cover) + 1.0 / 12.0);
                    }
                }
            }
        }
        let hw = digits(self.hubs);
        for (h, &[tw, cw, ew]) in work.iter().enumerate() {
            let id = format!("hub-{:0hw$}", h + 1);
            let trucks = ((tw / supply).ceil() as u32).max(6);
            let carriers = ((cw / supply).ceil() as u32).max(3);
            let escorts = ((ew / supply).ceil() as u32).max(2);
            self.fleets.push(Fleet {
                id: format!("{id}-trucks"),
                kind: FleetKind::Truck,
                home: h,
                count: trucks,
                teu: Some(truck_teu),
                seats: 2,
                cover: None,
                cost_per_km: 2.5,
                available: None,
            });
            self.fleets.push(Fleet {
                id: format!("{id}-carriers"),
                kind: FleetKind::Carrier,
                home: h,
                count: carriers,
                teu: None,
                seats,
                cover: None,
                cost_per_km: 1.8,
                available: None,
            });
            self.fleets.push(Fleet {
                id: format!("{id}-escorts"),
                kind: FleetKind::Escort,
                home: h,
                count: escorts,
                teu: None,
                seats: 4,
                cover: Some(cover),
                cost_per_km: 4.0,
                available: None,
            });
        }
        // A contracted truck company reinforces one hub for the middle of the withdrawal.
        if r.chance(0.5) {
            let h = r.index(self.hubs);
            let base = self.fleets[3 * h].count;
            self.fleets.push(Fleet {
                id: format!("hub-{:0hw$}-contractor", h + 1),
                kind: FleetKind::Truck,
                home: h,
                count: (base / 3).max(5),
                teu: Some(truck_teu),
                seats: 2,
                cover: None,
                cost_per_km: 3.5,
                available: Some((frac(self.params.days, 0.15), frac(self.params.days, 0.7))),
            });
        }
        // Aircraft fly from the capital, whose runway every type can use.
        self.aircraft.push(AircraftType {
            id: "c130".into(),
            note: "C-130 tactical transport: short, unpaved runways",
            home: 0,
            count: (n.div_ceil(30) as u32).clamp(2, 60),
            seats: Some(90),
            payload_t: Some(19.0),
            payload_teu: None,
            min_runway_m: 1_100,
            paved_only: false,
            speed_kmh: 540.0,
            sorties_per_day: 2,
            cost_per_hour: 6_500.0,
            available: None,
        });
        self.aircraft.push(AircraftType {
            id: "charter-jet".into(),
            note: "chartered airliner: long, paved runways, contracted from day 10%",
            home: 0,
            count: (n.div_ceil(60) as u32).clamp(1, 30),
            seats: Some(180),
            payload_t: None,
            payload_teu: None,
            min_runway_m: 1_800,
            paved_only: true,
            speed_kmh: 780.0,
            sorties_per_day: 2,
            cost_per_hour: 9_000.0,
            available: Some((frac(self.params.days, 0.1), self.horizon_days - 1)),
        });
        if self.sites[n].exit.as_ref().is_some_and(|e| e.teu) {
            self.aircraft.push(AircraftType {
                id: "il76".into(),
                note: "heavy freighter for strategic airlift of containers",
                home: 0,
                count: (n.div_ceil(100) as u32).clamp(1, 10),
                seats: None,
                payload_t: None,
                payload_teu: Some(4),
                min_runway_m: 1_700,
                paved_only: false,
                speed_kmh: 750.0,
                sorties_per_day: 1,
                cost_per_hour: 12_000.0,
                available: None,
            });
        }
    }

    /// Road closures (rainy season), refused airfields, a border closure, refused
    /// movement permissions at camps, and election-day road bans.
    fn restrictions(&mut self) {
        let mut r = Rng::stream(self.params.seed, "restrictions");
        let d = self.params.days;
        let n = self.n();
        let last = self.horizon_days - 1;
        // A window starting `from` of the way through the withdrawal, inside the horizon.
        let window = |r: &mut Rng, from: (f64, f64), len: (u64, u64)| -> (u32, u32) {
            let a = frac(d, r.range(from.0, from.1)).min(last);
            let b = (a + r.int(len.0, len.1) as u32 - 1).min(last);
            (a, b)
        };
        // Rainy season: a few roads are cut for some days.
        for k in 0..self.roads.len() {
            if matches!(self.roads[k].kind, RoadKind::Track | RoadKind::Trunk) && r.chance(0.06) {
                let w = window(&mut r, (0.15, 0.55), (2, 8));
                self.roads[k].closed.push(w);
            }
        }
        // A border closure: the border town itself when there is one, else the corridor to
        // a port (its border post).
        let border = (n..self.sites.len()).find(|&i| self.sites[i].id.starts_with("border-"));
        let (from, until) = window(&mut r, (0.2, 0.5), (7, 21));
        match border {
            Some(b) => self.restrictions.push(Restriction {
                id: "border-closure".into(),
                reason: "The neighbouring state closes the border during its elections.".into(),
                from,
                until,
                roads: Vec::new(),
                sites: vec![b],
                airfields: Vec::new(),
            }),
            None => {
                let corridor = (0..self.roads.len())
                    .filter(|&k| self.roads[k].kind == RoadKind::Corridor)
                    .collect::<Vec<_>>();
                let k = corridor[r.index(corridor.len())];
                self.restrictions.push(Restriction {
                    id: "border-closure".into(),
                    reason: "The border post on the corridor is closed after an attack.".into(),
                    from,
                    until,
                    roads: vec![k],
                    sites: Vec::new(),
                    airfields: Vec::new(),
                });
            }
        }
        // Landing permissions refused at a few airfields (never the capital's).
        let fields: Vec<usize> = (1..n)
            .filter(|&i| self.sites[i].airfield.is_some())
            .collect();
        if !fields.is_empty() {
            let mut pick = fields.clone();
            r.shuffle(&mut pick);
            let k = r.int(1, 3.min(pick.len() as u64)) as usize;
            let mut airfields: Vec<usize> = pick.into_iter().take(k).collect();
            airfields.sort_unstable();
            let (from, until) = window(&mut r, (0.05, 0.6), (5, 20));
            self.restrictions.push(Restriction {
                id: "airfields-refused".into(),
                reason: "The host state refuses landing permissions for mission aircraft.".into(),
                from,
                until,
                roads: Vec::new(),
                sites: Vec::new(),
                airfields,
            });
        }
        // Movement permission refused at a few camps for some days.
        let camps = (1 + n / 150).min(10);
        for c in 0..camps {
            let site = self.hubs + r.index(n - self.hubs);
            let (from, until) = window(&mut r, (0.05, 0.7), (3, 10));
            self.restrictions.push(Restriction {
                id: format!("permission-refused-{}", c + 1),
                reason: "The host state withholds movement permission for the camp.".into(),
                from,
                until,
                roads: Vec::new(),
                sites: vec![site],
                airfields: Vec::new(),
            });
        }
        // Election day: no movement on a few roads.
        let tracks: Vec<usize> = (0..self.roads.len())
            .filter(|&k| self.roads[k].kind == RoadKind::Track)
            .collect();
        if !tracks.is_empty() {
            let mut pick = tracks;
            r.shuffle(&mut pick);
            let k = r.int(1, 4.min(pick.len() as u64)) as usize;
            let mut roads: Vec<usize> = pick.into_iter().take(k).collect();
            roads.sort_unstable();
            let (from, until) = window(&mut r, (0.1, 0.7), (1, 3));
            self.restrictions.push(Restriction {
                id: "election-day".into(),
                reason: "Election day: the host state bans convoys on these roads.".into(),
                from,
                until,
                roads,
                sites: Vec::new(),
                airfields: Vec::new(),
            });
        }
    }
}

/// Digits needed to write `n` (for zero-padded ids that sort in order).
fn digits(n: usize) -> usize {
    n.max(1).to_string().len()
}

/// Personnel parts with one entry per contingent, in contingent order.
fn merge(parts: Vec<(usize, u32)>) -> Vec<(usize, u32)> {
    let mut m = std::collections::BTreeMap::new();
    for (c, k) in parts {
        if k > 0 {
            *m.entry(c).or_insert(0) += k;
        }
    }
    m.into_iter().collect()
}
