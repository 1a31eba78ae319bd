//! From a scenario and a plan to the flat tables a campaign walks.
//!
//! [`Tables`] hold what depends on the scenario alone (travel times under seasons, the
//! days restrictions close roads, sites and airfields, the hazard sources and their names);
//! a [`Program`] holds what depends on the plan (its movements as flat records, one
//! queue of movements per departure site, the planned closures). Both are built once and
//! shared read-only by every campaign.

use crate::SimError;
use model::*;

/// "No such index".
pub(crate) const NONE: u32 = u32::MAX;
/// Commodity class of containers; vehicles are class 1 and contingent `c` is class `2 + c`.
pub(crate) const TEU: usize = 0;
/// Commodity class of self-propelled vehicles.
pub(crate) const VEH: usize = 1;
/// First personnel class.
pub(crate) const P0: usize = 2;

/// What a movement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Convoy,
    Flight,
    Abandon,
}

/// One movement of a plan, flattened.
#[derive(Clone, Debug)]
pub(crate) struct Move {
    pub kind: Kind,
    pub from: u32,
    /// Destination site (`NONE` for an abandonment).
    pub to: u32,
    /// Planned departure period (absolute).
    pub depart: u32,
    /// Planned travel periods.
    pub travel: u32,
    /// Road of a convoy, else `NONE`.
    pub road: u32,
    /// Aircraft type of a flight, else `NONE`.
    pub aircraft: u32,
    /// `(fleet, units)` entries in [`Program::units`].
    pub units: (u32, u32),
    /// `(class, amount)` entries in [`Program::loads`].
    pub load: (u32, u32),
    /// Personnel aboard.
    pub people: u32,
    /// Fleet units of the convoy that are trucks, and all vehicles (units and stock).
    pub trucks: u32,
    pub vehicles: u32,
    /// Whether the movement waits for the sites its origin must close after.
    pub gated: bool,
}

/// A plan as the simulation walks it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Program {
    pub moves: Vec<Move>,
    pub units: Vec<(u32, u32)>,
    pub loads: Vec<(u32, u32)>,
    /// Per site, its departures (and abandonments) in plan order.
    pub queues: Vec<Vec<u32>>,
    /// Per site, how many queue entries must be done for the site to be closed as planned.
    pub closing: Vec<u32>,
    /// Per site, the planned closure period.
    pub closure: Vec<Option<u32>>,
}

impl Program {
    /// Compile `plan`, made for `s`, whose periods start at absolute period `offset` and
    /// whose fleet and aircraft indices map to the simulated scenario's through `fleets`
    /// and `aircraft`. The movements are appended to `self`, and the queues, closures and
    /// closing counts are replaced by the new plan's.
    pub fn extend(
        &mut self,
        s: &Scenario,
        plan: &Plan,
        offset: u32,
        fleets: &[FleetId],
        aircraft: &[AircraftId],
    ) -> Result<(), SimError> {
        let bad = |what: String| Err(SimError::Plan(what));
        let n = s.sites.len();
        let ncls = P0 + s.contingents.len();
        let first = self.moves.len();
        let periods = s.horizon.periods;
        let site_ok = |x: SiteId| x.idx() < n;
        let push_load = |loads: &mut Vec<(u32, u32)>, l: &Load| -> Result<(u32, u32), SimError> {
            let start = loads.len() as u32;
            if l.teu > 0 {
                loads.push((TEU as u32, l.teu));
            }
            if l.vehicles > 0 {
                loads.push((VEH as u32, l.vehicles));
            }
            for &(c, q) in &l.personnel {
                if c.idx() + P0 >= ncls {
                    return Err(SimError::Plan(format!("unknown contingent index {}", c.0)));
                }
                if q > 0 {
                    loads.push(((P0 + c.idx()) as u32, q));
                }
            }
            merge(loads, start as usize);
            Ok((start, loads.len() as u32))
        };
        for c in &plan.convoys {
            let Some(road) = s.roads.get(c.road.idx()) else {
                return bad(format!("convoy {} names an unknown road", c.id));
            };
            if !site_ok(c.from) || !site_ok(c.to) || road.other(c.from) != Some(c.to) {
                return bad(format!("convoy {} does not drive along its road", c.id));
            }
            if c.arrive <= c.depart || c.arrive.0 > periods {
                return bad(format!("convoy {} does not arrive after it departs", c.id));
            }
            let ustart = self.units.len() as u32;
            let mut trucks = 0;
            let mut units = 0;
            for &(f, k) in &c.units {
                let Some(fleet) = s.fleets.get(f.idx()) else {
                    return bad(format!("convoy {} names an unknown fleet", c.id));
                };
                if k > 0 {
                    self.units.push((fleets[f.idx()].0, k));
                    units += k;
                    if fleet.kind == FleetKind::Truck {
                        trucks += k;
                    }
                }
            }
            merge(&mut self.units, ustart as usize);
            let load = push_load(&mut self.loads, &c.load)?;
            self.moves.push(Move {
                kind: Kind::Convoy,
                from: c.from.0,
                to: c.to.0,
                depart: c.depart.0 + offset,
                travel: c.arrive.0 - c.depart.0,
                road: c.road.0,
                aircraft: NONE,
                units: (ustart, self.units.len() as u32),
                load,
                people: c.load.people(),
                trucks,
                vehicles: units + c.load.vehicles,
                gated: false,
            });
        }
        for f in &plan.flights {
            if f.aircraft.idx() >= s.aircraft.len() || !site_ok(f.from) || !site_ok(f.to) {
                return bad(format!("flight {} names an unknown type or site", f.id));
            }
            if f.arrive <= f.depart || f.arrive.0 > periods {
                return bad(format!("flight {} does not arrive after it departs", f.id));
            }
            let load = push_load(&mut self.loads, &f.load)?;
            self.moves.push(Move {
                kind: Kind::Flight,
                from: f.from.0,
                to: f.to.0,
                depart: f.depart.0 + offset,
                travel: f.arrive.0 - f.depart.0,
                road: NONE,
                aircraft: aircraft[f.aircraft.idx()].0,
                units: (0, 0),
                load,
                people: f.load.people(),
                trucks: 0,
                vehicles: 0,
                gated: false,
            });
        }
        for a in &plan.abandoned {
            if !site_ok(a.site) || a.period.0 >= periods {
                return bad("an abandonment names an unknown site or period".to_string());
            }
            let load = push_load(
                &mut self.loads,
                &Load {
                    personnel: Vec::new(),
                    teu: a.teu,
                    vehicles: a.vehicles,
                },
            )?;
            self.moves.push(Move {
                kind: Kind::Abandon,
                from: a.site.0,
                to: NONE,
                depart: a.period.0 + offset,
                travel: 0,
                road: NONE,
                aircraft: NONE,
                units: (0, 0),
                load,
                people: 0,
                trucks: 0,
                vehicles: 0,
                gated: false,
            });
        }

        // Closures as docs/plan-semantics.md defines them, from the new movements only.
        let t = (periods + offset) as usize;
        let mut delta = vec![0i64; n * (t + 1)];
        for m in &self.moves[first..] {
            let q: i64 = (m.load.0..m.load.1)
                .map(|i| i64::from(self.loads[i as usize].1))
                .sum();
            if q == 0 {
                continue;
            }
            delta[m.from as usize * (t + 1) + m.depart as usize] -= q;
            if m.to != NONE {
                delta[m.to as usize * (t + 1) + (m.depart + m.travel) as usize] += q;
            }
        }
        self.closure = (0..n)
            .map(|i| {
                let site = &s.sites[i];
                if site.kind == SiteKind::Exit {
                    return None;
                }
                let mut held =
                    i64::from(site.initial.people() + site.initial.teu + site.initial.vehicles);
                let ever = held > 0;
                let mut last = None;
                let mut any = ever;
                for p in offset as usize..t {
                    held += delta[i * (t + 1) + p];
                    if held > 0 {
                        last = Some(p as u32);
                        any = true;
                    }
                }
                match last {
                    Some(p) => Some(p + 1),
                    None if any => Some(offset),
                    None => None,
                }
            })
            .collect();

        // Queues in plan order: by departure, movements before abandonments, then as listed.
        let mut queues: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (k, m) in self.moves.iter().enumerate().skip(first) {
            queues[m.from as usize].push(k as u32);
        }
        for q in &mut queues {
            q.sort_by_key(|&k| {
                let m = &self.moves[k as usize];
                (m.depart, m.kind == Kind::Abandon, k)
            });
        }
        self.closing = (0..n)
            .map(|j| match self.closure[j] {
                Some(c) => queues[j]
                    .iter()
                    .take_while(|&&k| self.moves[k as usize].depart <= c)
                    .count() as u32,
                None => 0,
            })
            .collect();
        // A site that closes after others holds back the movements that empty it.
        for (i, site) in s.sites.iter().enumerate() {
            if let (false, Some(c)) = (site.after.is_empty(), self.closure[i]) {
                for &k in &queues[i] {
                    let m = &mut self.moves[k as usize];
                    m.gated = m.depart >= c;
                }
            }
        }
        self.queues = queues;
        Ok(())
    }
}

/// Sort the `(key, amount)` entries of `v` from `start` by key and merge equal keys, so
/// that a plan means the same whatever order its file lists fleets and contingents in.
fn merge(v: &mut Vec<(u32, u32)>, start: usize) {
    v[start..].sort_unstable();
    let mut out = start;
    for i in start..v.len() {
        if out > start && v[out - 1].0 == v[i].0 {
            v[out - 1].1 += v[i].1;
        } else {
            v[out] = v[i];
            out += 1;
        }
    }
    v.truncate(out);
}

/// A hazard source: its stream name and its display name (for the causes of lateness).
#[derive(Clone, Debug)]
pub(crate) struct Source {
    pub stream: String,
    pub name: String,
}

/// Scenario-wide tables, shared by every campaign.
#[derive(Debug)]
pub(crate) struct Tables {
    /// Periods of the horizon.
    pub t: u32,
    /// Commodity classes.
    pub ncls: usize,
    /// Convoy travel periods by road and departure period, seasons included.
    pub travel: Vec<u32>,
    /// The season slowing a road on a departure period (a cause index), or 0.
    pub season: Vec<u16>,
    /// Per road, the most periods a season adds to its travel time.
    pub max_extra: Vec<u32>,
    /// Per road, prefix counts of periods closed by its windows or restrictions.
    pub road_closed: Vec<u32>,
    /// Per site and period, whether a restriction forbids movements there.
    pub site_restricted: Vec<bool>,
    /// Per site and period, whether a restriction forbids flights there.
    pub airfield_restricted: Vec<bool>,
    /// Per site, the `not_before` period and its own initial stock by class.
    pub not_before: Vec<u32>,
    pub own: Vec<i64>,
    /// Hazard sources; index 0 is "no hazard traced".
    pub sources: Vec<Source>,
    /// Source indices per hazard: convoy and flight permission by site, incidents by
    /// road, breakdowns by fleet, closures and departures by entry.
    pub convoy_permit: Vec<u16>,
    pub flight_permit: Vec<u16>,
    pub incident: Vec<u16>,
    pub breakdown: Vec<u16>,
    pub closure: Vec<u16>,
    pub departure: Vec<u16>,
    /// Chance that one unit of a fleet breaks down on one traverse of a road.
    pub breakdown_p: Vec<f64>,
    /// The last period of every site's deadline (the mission deadline).
    pub deadline: u32,
}

impl Tables {
    pub fn new(s: &Scenario) -> Self {
        let t = s.horizon.periods;
        let tu = t as usize;
        let n = s.sites.len();
        let hz = &s.hazards;
        let mut sources = vec![Source {
            stream: String::new(),
            name: "no hazard traced (knock-on of the plan)".to_string(),
        }];
        let mut add = |stream: String, name: String| -> u16 {
            sources.push(Source { stream, name });
            (sources.len() - 1) as u16
        };
        let convoy_permit = s
            .sites
            .iter()
            .map(|x| {
                add(
                    format!("convoy-permission:{}", x.id),
                    format!("convoy permission at {}", x.id),
                )
            })
            .collect();
        let flight_permit = s
            .sites
            .iter()
            .map(|x| {
                add(
                    format!("flight-permission:{}", x.id),
                    format!("flight clearance at {}", x.id),
                )
            })
            .collect();
        let incident = s
            .roads
            .iter()
            .map(|r| add(format!("incident:{}", r.id), format!("attacks on {}", r.id)))
            .collect();
        let breakdown = s
            .fleets
            .iter()
            .map(|f| {
                add(
                    format!("breakdown:{}", f.id),
                    format!("breakdowns of {}", f.id),
                )
            })
            .collect();
        let closure = hz
            .closures
            .iter()
            .map(|c| add(format!("closure:{}", c.id), format!("closure {}", c.id)))
            .collect();
        let departure = hz
            .departures
            .iter()
            .map(|d| {
                add(
                    format!("departure:{}", d.id),
                    format!("early departure {}", d.id),
                )
            })
            .collect();
        let season_ids: Vec<u16> = hz
            .seasons
            .iter()
            .map(|x| add(format!("season:{}", x.id), format!("season {}", x.id)))
            .collect();

        let mut travel = vec![0u32; s.roads.len() * tu];
        let mut season = vec![0u16; s.roads.len() * tu];
        for (r, road) in s.roads.iter().enumerate() {
            for p in 0..tu {
                // The slowest season covering the departure sets the travel time.
                let mut periods = road.periods;
                for (k, x) in hz.seasons.iter().enumerate() {
                    if x.window.contains(Period(p as u32)) && x.roads.contains(&RoadId(r as u32)) {
                        let slow = (f64::from(road.periods) / x.speed - 1e-9).ceil() as u32;
                        if slow > periods {
                            periods = slow;
                            season[r * tu + p] = season_ids[k];
                        }
                    }
                }
                travel[r * tu + p] = periods;
            }
        }
        let max_extra = s
            .roads
            .iter()
            .enumerate()
            .map(|(r, road)| {
                (0..tu)
                    .map(|p| travel[r * tu + p] - road.periods)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut road_closed = vec![0u32; s.roads.len() * (tu + 1)];
        for r in 0..s.roads.len() {
            for p in 0..tu {
                let closed =
                    s.road_blocked(RoadId(r as u32), Period(p as u32), Period(p as u32 + 1));
                road_closed[r * (tu + 1) + p + 1] =
                    road_closed[r * (tu + 1) + p] + u32::from(closed);
            }
        }
        let mut site_restricted = vec![false; n * tu];
        let mut airfield_restricted = vec![false; n * tu];
        for i in 0..n {
            for p in 0..tu {
                site_restricted[i * tu + p] = s.site_restricted(SiteId(i as u32), Period(p as u32));
                airfield_restricted[i * tu + p] =
                    s.airfield_restricted(SiteId(i as u32), Period(p as u32));
            }
        }
        let ncls = P0 + s.contingents.len();
        let mut own = vec![0i64; n * ncls];
        for (i, x) in s.sites.iter().enumerate() {
            own[i * ncls + TEU] = i64::from(x.initial.teu);
            own[i * ncls + VEH] = i64::from(x.initial.vehicles);
            for (c, &q) in x.initial.personnel.iter().enumerate() {
                own[i * ncls + P0 + c] = i64::from(q);
            }
        }
        let mut breakdown_p = vec![0.0; s.fleets.len() * s.roads.len()];
        for f in 0..s.fleets.len() {
            if let Some(b) = hz.breakdown(FleetId(f as u32)) {
                for (r, road) in s.roads.iter().enumerate() {
                    breakdown_p[f * s.roads.len() + r] =
                        1.0 - (-b.per_1000_km * road.km / 1000.0).exp();
                }
            }
        }
        let deadline = s
            .sites
            .iter()
            .filter_map(|x| x.close_by)
            .max()
            .unwrap_or(s.horizon.last())
            .0;
        Tables {
            t,
            ncls,
            travel,
            season,
            max_extra,
            road_closed,
            site_restricted,
            airfield_restricted,
            not_before: s.sites.iter().map(|x| x.not_before.0).collect(),
            own,
            sources,
            convoy_permit,
            flight_permit,
            incident,
            breakdown,
            closure,
            departure,
            breakdown_p,
            deadline,
        }
    }

    /// Whether a road's own windows or a restriction close it in some period of
    /// `[depart, arrive)` (periods past the horizon are open).
    pub fn road_closed(&self, road: u32, depart: u32, arrive: u32) -> bool {
        let w = self.t as usize + 1;
        let a = depart.min(self.t) as usize;
        let b = arrive.min(self.t) as usize;
        let base = road as usize * w;
        self.road_closed[base + b] > self.road_closed[base + a]
    }

    /// Whether a restriction forbids movements at `site` in period `p`.
    pub fn site_restricted(&self, site: u32, p: u32) -> bool {
        p < self.t && self.site_restricted[site as usize * self.t as usize + p as usize]
    }

    /// Whether a restriction forbids flights at `site` in period `p`.
    pub fn airfield_restricted(&self, site: u32, p: u32) -> bool {
        p < self.t && self.airfield_restricted[site as usize * self.t as usize + p as usize]
    }
}
