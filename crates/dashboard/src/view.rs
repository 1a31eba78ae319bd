//! The page model: everything the dashboard and the report show, as plain serialisable
//! data. Dates are `YYYY-MM-DD` text; day-by-day series are indexed by *step* `k`, the
//! morning of `dates[k]` (the start of period `k`), from `k = 0` (the initial stock) to
//! `k = periods` (the end of the horizon).

use model::{FleetKind, Horizon, Load, Period, Plan, Scenario, SiteId, SiteKind, Window};
use serde::Serialize;
use std::collections::BTreeMap;

/// Optional inputs that do not come from the scenario and the plan.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// The proven lower bound on the objective (from `planner::bound`).
    pub bound: Option<f64>,
    /// What actually happened so far (from the tracking store), remaining in theatre by
    /// step; shorter than the plan's series when the record stops before the horizon ends.
    pub actual: Option<Series>,
    /// The simulated fan of the remaining stock (from `sim`).
    pub fan: Option<Fan>,
    /// The bottleneck explanation (from `drawdown explain`), shown as given.
    pub explanation: Option<serde_json::Value>,
}

/// The whole page model.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    /// The scenario as the map and the tables need it.
    pub scenario: ScenarioView,
    /// The plan: figures, per-site outcomes and movements.
    pub plan: PlanView,
    /// Remaining stock by step.
    pub burndown: Burndown,
    /// The bottleneck explanation, when one was made.
    pub explanation: Option<serde_json::Value>,
}

/// The scenario.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioView {
    /// Display name.
    pub name: String,
    /// First day of the horizon.
    pub start: String,
    /// Last day of the horizon.
    pub end: String,
    /// Days per period.
    pub period_days: u32,
    /// Number of periods.
    pub periods: u32,
    /// Sites (bases, hubs and exits) in scenario order.
    pub sites: Vec<SiteView>,
    /// Roads in scenario order.
    pub roads: Vec<RoadView>,
    /// Ids of the exit sites.
    pub exits: Vec<String>,
    /// Ground fleets.
    pub fleets: Vec<FleetView>,
    /// Aircraft types.
    pub aircraft: Vec<AircraftView>,
    /// Restriction windows.
    pub restrictions: Vec<RestrictionView>,
}

/// Stock held at a site.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Holdings {
    /// Personnel of all contingents.
    pub personnel: u32,
    /// Containers.
    pub teu: u32,
    /// Self-propelled vehicles.
    pub vehicles: u32,
}

/// One site.
#[derive(Clone, Debug, Serialize)]
pub struct SiteView {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `base`, `hub` or `exit`.
    pub kind: &'static str,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Region, when the scenario names one.
    pub region: Option<String>,
    /// Withdrawal phase: 1 for the earliest deadline, 2 for the next, ...; `None` for
    /// sites without a deadline.
    pub phase: Option<u32>,
    /// Deadline (the site should be empty at the end of this day's period).
    pub deadline: Option<String>,
    /// Earliest day its own stock may leave, when later than the start.
    pub not_before: Option<String>,
    /// Sites that must close before this one.
    pub after: Vec<String>,
    /// Initial stock.
    pub holdings: Holdings,
    /// Whether aircraft can use the site.
    pub airfield: bool,
    /// Runway length in metres, when there is an airfield.
    pub runway_m: Option<u32>,
}

/// A date range, both ends inclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DateRange {
    /// First day.
    pub from: String,
    /// Last day.
    pub until: String,
}

/// One road.
#[derive(Clone, Debug, Serialize)]
pub struct RoadView {
    /// Stable id.
    pub id: String,
    /// One end (site id).
    pub from: String,
    /// The other end (site id).
    pub to: String,
    /// Length in kilometres.
    pub km: f64,
    /// Hazard 0 (none) to 3 (high).
    pub hazard: u8,
    /// Whether convoys need escort cover.
    pub escort: bool,
    /// Convoy travel time in days.
    pub days: u32,
    /// Windows in which the road is closed (its own and restrictions naming it).
    pub closed: Vec<DateRange>,
}

/// One ground fleet.
#[derive(Clone, Debug, Serialize)]
pub struct FleetView {
    /// Stable id.
    pub id: String,
    /// `truck`, `carrier` or `escort`.
    pub kind: &'static str,
    /// Home site id.
    pub home: String,
    /// Number of units.
    pub count: u32,
}

/// One aircraft type.
#[derive(Clone, Debug, Serialize)]
pub struct AircraftView {
    /// Stable id.
    pub id: String,
    /// Home airfield id.
    pub home: String,
    /// Number of airframes.
    pub count: u32,
    /// Seats per sortie.
    pub seats: u32,
    /// Containers per sortie.
    pub payload_teu: u32,
}

/// One restriction window.
#[derive(Clone, Debug, Serialize)]
pub struct RestrictionView {
    /// Stable id.
    pub id: String,
    /// Why.
    pub reason: String,
    /// When.
    pub dates: DateRange,
    /// Road ids closed.
    pub roads: Vec<String>,
    /// Site ids closed to every movement.
    pub sites: Vec<String>,
    /// Airfield (site) ids closed to flights.
    pub airfields: Vec<String>,
}

/// The plan.
#[derive(Clone, Debug, Serialize)]
pub struct PlanView {
    /// The weighted objective (lower is better).
    pub objective: f64,
    /// The proven lower bound, when computed.
    pub bound: Option<f64>,
    /// Relative gap between objective and bound, when the bound is known.
    pub gap: Option<f64>,
    /// The plan's figures.
    pub totals: TotalsView,
    /// Per-site outcomes, bases and hubs in scenario order.
    pub sites: Vec<SitePlan>,
    /// Convoy legs, by departure then id.
    pub convoys: Vec<ConvoyView>,
    /// Flights, by departure then id.
    pub flights: Vec<FlightView>,
    /// Stock left behind.
    pub abandoned: Vec<AbandonView>,
}

/// The plan's figures.
#[derive(Clone, Debug, Serialize)]
pub struct TotalsView {
    /// Convoy legs.
    pub convoys: u32,
    /// Sorties flown.
    pub sorties: u32,
    /// Fleet unit kilometres.
    pub unit_km: f64,
    /// Flight hours.
    pub flight_hours: f64,
    /// Hazard-weighted vehicle-kilometres.
    pub exposure: f64,
    /// Fleet and aircraft cost.
    pub cost: f64,
    /// Days past deadlines, summed over sites.
    pub late_days: u32,
    /// Days until the last stock reaches an exit.
    pub makespan_days: u32,
    /// Abandonment penalties.
    pub abandon_penalty: f64,
}

/// What the plan does with one base or hub.
#[derive(Clone, Debug, Serialize)]
pub struct SitePlan {
    /// Site id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `base` or `hub`.
    pub kind: &'static str,
    /// Withdrawal phase (see [`SiteView::phase`]).
    pub phase: Option<u32>,
    /// Deadline date.
    pub deadline: Option<String>,
    /// Deadline as a period index.
    pub deadline_period: Option<u32>,
    /// The day the last stock leaves (see `docs/plan-semantics.md`).
    pub closure: Option<String>,
    /// Closure as a period index.
    pub closure_period: Option<u32>,
    /// Days past the deadline.
    pub late_days: u32,
    /// The day the first stock leaves.
    pub first_departure: Option<String>,
    /// First departure as a period index.
    pub first_departure_period: Option<u32>,
}

/// One convoy leg.
#[derive(Clone, Debug, Serialize)]
pub struct ConvoyView {
    /// Movement id.
    pub id: String,
    /// Road id.
    pub road: String,
    /// Departure site id.
    pub from: String,
    /// Arrival site id.
    pub to: String,
    /// Departure date.
    pub depart: String,
    /// Arrival date.
    pub arrive: String,
    /// Departure period.
    pub depart_period: u32,
    /// Arrival period.
    pub arrive_period: u32,
    /// `loaded` when it carries stock, `empty` when units drive back or reposition.
    pub kind: &'static str,
    /// Fleet units by fleet id.
    pub units: BTreeMap<String, u32>,
    /// Personnel carried.
    pub personnel: u32,
    /// Containers carried.
    pub teu: u32,
    /// Stock vehicles driving in the convoy.
    pub vehicles: u32,
}

/// One flight record (identical sorties).
#[derive(Clone, Debug, Serialize)]
pub struct FlightView {
    /// Movement id.
    pub id: String,
    /// Aircraft type id.
    pub aircraft: String,
    /// Sorties flown.
    pub sorties: u32,
    /// Departure airfield id.
    pub from: String,
    /// Arrival airfield id.
    pub to: String,
    /// Departure date.
    pub depart: String,
    /// Arrival date.
    pub arrive: String,
    /// Departure period.
    pub depart_period: u32,
    /// Arrival period.
    pub arrive_period: u32,
    /// Personnel carried.
    pub personnel: u32,
    /// Containers carried.
    pub teu: u32,
}

/// Stock left behind.
#[derive(Clone, Debug, Serialize)]
pub struct AbandonView {
    /// Site id.
    pub site: String,
    /// Date.
    pub date: String,
    /// Containers.
    pub teu: u32,
    /// Vehicles.
    pub vehicles: u32,
}

/// Stock remaining in theatre (not yet at an exit, not abandoned) by step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Series {
    /// Personnel.
    pub personnel: Vec<u32>,
    /// Containers.
    pub teu: Vec<u32>,
    /// Vehicles.
    pub vehicles: Vec<u32>,
}

/// A band of simulated values by step: 10th, 50th and 90th percentile over campaigns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Band {
    /// 10th percentile.
    pub p10: Vec<u32>,
    /// Median.
    pub p50: Vec<u32>,
    /// 90th percentile.
    pub p90: Vec<u32>,
}

/// The simulated fan of remaining stock.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Fan {
    /// Campaigns simulated.
    pub runs: u64,
    /// The seed of the simulation.
    pub seed: u64,
    /// Remaining personnel.
    pub personnel: Band,
    /// Remaining containers.
    pub teu: Band,
}

/// Stock held at one site by step (for the map's day slider).
#[derive(Clone, Debug, Serialize)]
pub struct SiteSeries {
    /// Site id.
    pub id: String,
    /// Personnel held.
    pub personnel: Vec<u32>,
    /// Containers held.
    pub teu: Vec<u32>,
    /// Vehicles held.
    pub vehicles: Vec<u32>,
}

/// Burn-down curves.
#[derive(Clone, Debug, Serialize)]
pub struct Burndown {
    /// `dates[k]`: the morning of step `k` (`periods + 1` entries).
    pub dates: Vec<String>,
    /// Remaining in theatre according to the plan.
    pub plan: Series,
    /// Remaining in theatre according to the record, when tracked.
    pub actual: Option<Series>,
    /// The simulated fan, when simulated.
    pub fan: Option<Fan>,
    /// Holdings of each base and hub by step, in scenario order.
    pub sites: Vec<SiteSeries>,
}

/// Build the page model of `plan` for `scenario`.
///
/// The plan should have passed the checker: closures are taken from the plan's claims
/// (which the checker verified), and the series assume that movements conserve stock.
pub fn build(scenario: &Scenario, plan: &Plan, extras: &Extras) -> View {
    let phases = phases(scenario);
    View {
        scenario: scenario_view(scenario, &phases),
        plan: plan_view(scenario, plan, extras, &phases),
        burndown: burndown(scenario, plan, extras),
        explanation: extras.explanation.clone(),
    }
}

fn date(h: &Horizon, p: Period) -> String {
    h.date(p).to_string()
}

/// The last day of period `p`.
fn last_day(h: &Horizon, p: Period) -> String {
    h.date(p.plus(1))
        .yesterday()
        .expect("horizon dates stay inside the calendar")
        .to_string()
}

fn range(h: &Horizon, w: Window) -> DateRange {
    DateRange {
        from: date(h, w.from),
        until: last_day(h, w.until),
    }
}

fn kind(k: SiteKind) -> &'static str {
    match k {
        SiteKind::Base => "base",
        SiteKind::Hub => "hub",
        SiteKind::Exit => "exit",
    }
}

fn holdings(s: &model::Stock) -> Holdings {
    Holdings {
        personnel: s.people(),
        teu: s.teu,
        vehicles: s.vehicles,
    }
}

/// Phase of each site: the rank of its deadline among the distinct deadlines.
fn phases(s: &Scenario) -> Vec<Option<u32>> {
    let mut deadlines: Vec<Period> = s.sites.iter().filter_map(|x| x.close_by).collect();
    deadlines.sort_unstable();
    deadlines.dedup();
    s.sites
        .iter()
        .map(|x| {
            let d = x.close_by?;
            let rank = deadlines.binary_search(&d).expect("collected above");
            Some(rank as u32 + 1)
        })
        .collect()
}

fn scenario_view(s: &Scenario, phases: &[Option<u32>]) -> ScenarioView {
    let h = &s.horizon;
    let id = |x: SiteId| s.site(x).id.clone();
    let sites = s
        .sites
        .iter()
        .zip(phases)
        .map(|(x, &phase)| SiteView {
            id: x.id.clone(),
            name: x.name.clone(),
            kind: kind(x.kind),
            lat: x.lat,
            lon: x.lon,
            region: x.region.clone(),
            phase,
            deadline: x.close_by.map(|p| date(h, p)),
            not_before: (x.not_before > Period(0)).then(|| date(h, x.not_before)),
            after: x.after.iter().map(|&a| id(a)).collect(),
            holdings: holdings(&x.initial),
            airfield: x.airfield.is_some(),
            runway_m: x.airfield.as_ref().map(|a| a.runway_m),
        })
        .collect();
    let roads = s
        .roads
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let rid = model::RoadId(i as u32);
            let restricted = s
                .restrictions
                .iter()
                .filter(|x| x.roads.contains(&rid))
                .map(|x| x.window);
            RoadView {
                id: r.id.clone(),
                from: id(r.a),
                to: id(r.b),
                km: r.km,
                hazard: r.hazard,
                escort: r.escort,
                days: r.periods * h.period_days,
                closed: r
                    .closed
                    .iter()
                    .copied()
                    .chain(restricted)
                    .map(|w| range(h, w))
                    .collect(),
            }
        })
        .collect();
    ScenarioView {
        name: s.name.clone(),
        start: date(h, Period(0)),
        end: last_day(h, h.last()),
        period_days: h.period_days,
        periods: h.periods,
        sites,
        roads,
        exits: s
            .sites
            .iter()
            .filter(|x| x.kind == SiteKind::Exit)
            .map(|x| x.id.clone())
            .collect(),
        fleets: s
            .fleets
            .iter()
            .map(|f| FleetView {
                id: f.id.clone(),
                kind: match f.kind {
                    FleetKind::Truck => "truck",
                    FleetKind::Carrier => "carrier",
                    FleetKind::Escort => "escort",
                },
                home: id(f.home),
                count: f.count,
            })
            .collect(),
        aircraft: s
            .aircraft
            .iter()
            .map(|a| AircraftView {
                id: a.id.clone(),
                home: id(a.home),
                count: a.count,
                seats: a.seats,
                payload_teu: a.payload_teu,
            })
            .collect(),
        restrictions: s
            .restrictions
            .iter()
            .map(|r| RestrictionView {
                id: r.id.clone(),
                reason: r.reason.clone(),
                dates: range(h, r.window),
                roads: r
                    .roads
                    .iter()
                    .map(|x| s.roads[x.idx()].id.clone())
                    .collect(),
                sites: r.sites.iter().map(|&x| id(x)).collect(),
                airfields: r.airfields.iter().map(|&x| id(x)).collect(),
            })
            .collect(),
    }
}

fn gap(objective: f64, bound: f64) -> f64 {
    if objective.abs() < 1e-9 {
        0.0
    } else {
        ((objective - bound) / objective.abs()).max(0.0)
    }
}

fn plan_view(s: &Scenario, plan: &Plan, extras: &Extras, phases: &[Option<u32>]) -> PlanView {
    let h = &s.horizon;
    let id = |x: SiteId| s.site(x).id.clone();
    // The first period in which stock leaves each site, by road or air.
    let mut first: Vec<Option<Period>> = vec![None; s.sites.len()];
    let departures = plan
        .convoys
        .iter()
        .map(|c| (c.from, c.depart, &c.load))
        .chain(plan.flights.iter().map(|f| (f.from, f.depart, &f.load)));
    for (from, depart, load) in departures {
        if !load.is_empty() {
            let f = &mut first[from.idx()];
            *f = Some(f.map_or(depart, |p| p.min(depart)));
        }
    }
    let claimed: BTreeMap<SiteId, Option<Period>> =
        plan.sites.iter().map(|o| (o.site, o.closure)).collect();
    let sites = s
        .sites
        .iter()
        .enumerate()
        .filter(|(_, x)| x.kind != SiteKind::Exit)
        .map(|(i, x)| {
            let closure = claimed.get(&SiteId(i as u32)).copied().flatten();
            let late = match (closure, x.close_by) {
                (Some(c), Some(d)) if c > d => (c.0 - d.0) * h.period_days,
                _ => 0,
            };
            SitePlan {
                id: x.id.clone(),
                name: x.name.clone(),
                kind: kind(x.kind),
                phase: phases[i],
                deadline: x.close_by.map(|p| date(h, p)),
                deadline_period: x.close_by.map(|p| p.0),
                closure: closure.map(|p| date(h, p)),
                closure_period: closure.map(|p| p.0),
                late_days: late,
                first_departure: first[i].map(|p| date(h, p)),
                first_departure_period: first[i].map(|p| p.0),
            }
        })
        .collect();
    let t = &plan.totals;
    PlanView {
        objective: t.objective,
        bound: extras.bound,
        gap: extras.bound.map(|b| gap(t.objective, b)),
        totals: TotalsView {
            convoys: t.convoys,
            sorties: t.sorties,
            unit_km: t.unit_km,
            flight_hours: t.flight_hours,
            exposure: t.exposure,
            cost: t.cost,
            late_days: t.late_days,
            makespan_days: t.makespan_days,
            abandon_penalty: t.abandon_penalty,
        },
        sites,
        convoys: plan
            .convoys
            .iter()
            .map(|c| ConvoyView {
                id: c.id.clone(),
                road: s.roads[c.road.idx()].id.clone(),
                from: id(c.from),
                to: id(c.to),
                depart: date(h, c.depart),
                arrive: date(h, c.arrive),
                depart_period: c.depart.0,
                arrive_period: c.arrive.0,
                kind: if c.load.is_empty() { "empty" } else { "loaded" },
                units: c
                    .units
                    .iter()
                    .map(|&(f, n)| (s.fleets[f.idx()].id.clone(), n))
                    .collect(),
                personnel: c.load.people(),
                teu: c.load.teu,
                vehicles: c.load.vehicles,
            })
            .collect(),
        flights: plan
            .flights
            .iter()
            .map(|f| FlightView {
                id: f.id.clone(),
                aircraft: s.aircraft[f.aircraft.idx()].id.clone(),
                sorties: f.sorties,
                from: id(f.from),
                to: id(f.to),
                depart: date(h, f.depart),
                arrive: date(h, f.arrive),
                depart_period: f.depart.0,
                arrive_period: f.arrive.0,
                personnel: f.load.people(),
                teu: f.load.teu,
            })
            .collect(),
        abandoned: plan
            .abandoned
            .iter()
            .map(|a| AbandonView {
                site: id(a.site),
                date: date(h, a.period),
                teu: a.teu,
                vehicles: a.vehicles,
            })
            .collect(),
    }
}

/// Per-period changes of one commodity triple, accumulated into a series.
#[derive(Clone)]
struct Deltas(Vec<[i64; 3]>);

impl Deltas {
    fn new(periods: u32) -> Self {
        Deltas(vec![[0; 3]; periods as usize])
    }

    /// Add `sign * (personnel, teu, vehicles)` in period `p` (ignored past the horizon,
    /// which a checked plan never has).
    fn add(&mut self, p: Period, sign: i64, x: Holdings) {
        if let Some(d) = self.0.get_mut(p.idx()) {
            d[0] += sign * i64::from(x.personnel);
            d[1] += sign * i64::from(x.teu);
            d[2] += sign * i64::from(x.vehicles);
        }
    }

    /// The series from `start`: entry `k` is `start` plus the changes of periods `< k`.
    fn series(&self, start: Holdings) -> Series {
        let mut cur = [start.personnel, start.teu, start.vehicles].map(i64::from);
        let mut out = Series::default();
        let push = |c: &[i64; 3], out: &mut Series| {
            // A checked plan never holds a negative amount; clamp rather than wrap if an
            // unchecked one does.
            let v = c.map(|x| u32::try_from(x.max(0)).unwrap_or(u32::MAX));
            out.personnel.push(v[0]);
            out.teu.push(v[1]);
            out.vehicles.push(v[2]);
        };
        push(&cur, &mut out);
        for d in &self.0 {
            for (c, x) in cur.iter_mut().zip(d) {
                *c += x;
            }
            push(&cur, &mut out);
        }
        out
    }
}

fn load(l: &Load) -> Holdings {
    Holdings {
        personnel: l.people(),
        teu: l.teu,
        vehicles: l.vehicles,
    }
}

/// The initial stock of all bases and hubs.
fn theatre_total(s: &Scenario) -> Holdings {
    s.sites
        .iter()
        .filter(|x| x.kind != SiteKind::Exit)
        .map(|x| holdings(&x.initial))
        .fold(Holdings::default(), |a, b| Holdings {
            personnel: a.personnel + b.personnel,
            teu: a.teu + b.teu,
            vehicles: a.vehicles + b.vehicles,
        })
}

/// Changes of the stock at each site and in the whole theatre, by period.
fn deltas(s: &Scenario, plan: &Plan) -> (Vec<Deltas>, Deltas) {
    let h = &s.horizon;
    let mut sites = vec![Deltas::new(h.periods); s.sites.len()];
    let mut theatre = Deltas::new(h.periods);
    let moves = plan
        .convoys
        .iter()
        .map(|c| (c.from, c.to, c.depart, c.arrive, load(&c.load)))
        .chain(
            plan.flights
                .iter()
                .map(|f| (f.from, f.to, f.depart, f.arrive, load(&f.load))),
        );
    for (from, to, depart, arrive, x) in moves {
        sites[from.idx()].add(depart, -1, x);
        sites[to.idx()].add(arrive, 1, x);
        if s.site(to).kind == SiteKind::Exit {
            theatre.add(arrive, -1, x);
        }
    }
    for a in &plan.abandoned {
        let x = Holdings {
            personnel: 0,
            teu: a.teu,
            vehicles: a.vehicles,
        };
        sites[a.site.idx()].add(a.period, -1, x);
        theatre.add(a.period, -1, x);
    }
    (sites, theatre)
}

fn burndown(s: &Scenario, plan: &Plan, extras: &Extras) -> Burndown {
    let h = &s.horizon;
    let (sites, theatre) = deltas(s, plan);
    let total = theatre_total(s);
    Burndown {
        dates: (0..=h.periods).map(|k| date(h, Period(k))).collect(),
        plan: theatre.series(total),
        actual: extras.actual.clone(),
        fan: extras.fan.clone(),
        sites: s
            .sites
            .iter()
            .zip(&sites)
            .filter(|(x, _)| x.kind != SiteKind::Exit)
            .map(|(x, d)| {
                let series = d.series(holdings(&x.initial));
                SiteSeries {
                    id: x.id.clone(),
                    personnel: series.personnel,
                    teu: series.teu,
                    vehicles: series.vehicles,
                }
            })
            .collect(),
    }
}

/// The remaining stock by step as recorded: `recorded` holds the movements that actually
/// happened (from the tracking store), and the series stops at step `through + 1`, the
/// morning after the last recorded day.
pub fn actual(s: &Scenario, recorded: &Plan, through: Period) -> Series {
    let (_, theatre) = deltas(s, recorded);
    let mut series = theatre.series(theatre_total(s));
    let steps = (through.idx() + 2).min(series.personnel.len());
    series.personnel.truncate(steps);
    series.teu.truncate(steps);
    series.vehicles.truncate(steps);
    series
}

impl Fan {
    /// The fan of remaining stock from a simulation's cumulative arrivals at exits:
    /// `people_out[p]` and `teu_out[p]` hold the (P10, P50, P90) over campaigns of the
    /// personnel and containers that reached an exit by the end of period `p`. What
    /// remains is the initial stock minus what is out, so the high percentile of what is
    /// out gives the low one of what remains.
    pub fn from_exits(
        s: &Scenario,
        runs: u64,
        seed: u64,
        people_out: &[[u32; 3]],
        teu_out: &[[u32; 3]],
    ) -> Fan {
        let total = theatre_total(s);
        let band = |total: u32, out: &[[u32; 3]]| {
            let mut b = Band::default();
            for q in std::iter::once(&[0; 3]).chain(out) {
                b.p10.push(total.saturating_sub(q[2]));
                b.p50.push(total.saturating_sub(q[1]));
                b.p90.push(total.saturating_sub(q[0]));
            }
            b
        };
        Fan {
            runs,
            seed,
            personnel: band(total.personnel, people_out),
            teu: band(total.teu, teu_out),
        }
    }
}
