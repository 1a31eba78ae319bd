//! The constructive planner: earliest-deadline-first list scheduling of missions.
//!
//! A *road mission* is a round trip of one team: vehicles (trucks and carriers of one home
//! `H`) and, where a road needs it, escorts (of one home `E`) drive `E -> H -> A -> D -> H ->
//! E`, loading at origin `A` and unloading at destination `D` (the next hub on the safest,
//! or for a racing site the quickest, route to an exit, or the exit itself). Stock vehicles
//! drive `A -> D` with the team. With [`Config::escorts_join`], escorts instead meet the
//! team where its first escorted road begins and leave it after the last; with
//! [`Config::escorts_leave_stock`], so do those of a team of stock vehicles alone. An
//! *air mission* is a number of sorties of one aircraft type from `A` straight to an
//! exit, or, for containers, a hop to an airfield nearer the exits that is still open,
//! which then sends them on like its own stock (the air bridge of the MINUSMA plan:
//! C-130s from the northern camps and Gao to Sevare).
//!
//! Sites are served earliest *due* first: a site's due period is its deadline, or earlier
//! when its stock passes through a hub that must send it on before its own deadline.
//! Among the candidate missions of a site, the quickest sets the pace and the one with the
//! least exposure per item moved among those that keep pace (or leave well before the
//! due period) is committed.
//!
//! Every capacity of `docs/plan-semantics.md` is kept in a calendar (road departures,
//! handling, exit intake, airfield slots, sorties), and so is every fleet's count of units
//! away from home, so a mission is only committed when it fits everything; the plan is
//! feasible by construction and the checker confirms it.
//!
//! Units of a fleet are interchangeable and a plan names only how many of each fleet drive
//! a convoy, so the planner keeps counts, not unit identities: `n` more units can leave
//! home for `[from, to)` when the fleet's units away never exceed `count - n` in that
//! window. Busy intervals form an interval graph, so some assignment of concrete units
//! always exists; counting is exact and costs nothing per unit (fleets of thousands).
//!
//! Scheduling runs in two phases. Phase 1 moves all containers, vehicles and personnel
//! except each site's *reserve* (its rear guard, or one item for a site with `after`
//! constraints), earliest deadline first. Phase 2 moves the reserves in an order that
//! respects `after` and pass-through, each no earlier than the last cargo of its site and
//! the closure of the sites it must follow; what a site holds beyond its reserve by its
//! turn (the reserves of sites behind it) leaves first, as in phase 1. Where cargo goes
//! both ways between two sites (one's containers stop at the other, whose vehicles stop
//! at the first), the site the order puts first sends its reserve only after the other's,
//! on roads that avoid it, so its rear guard is still there when those vehicles come. With
//! [`Config::early_reserves`], a site that follows no other and where no other site's
//! stock stops moves its reserve in phase 1, right after the rest of its stock.

use crate::graph::{Graph, Key, Leg, Path, PathsTo};
use model::*;

/// Why no plan could be made.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlanError {
    /// Stock at a site cannot be moved within the horizon and may not be abandoned.
    #[error(
        "cannot move {what} out of {site} within the horizon ({detail}); \
         lengthen the horizon, add fleets or aircraft, or allow abandonment"
    )]
    Stuck {
        /// Site id.
        site: String,
        /// What is stuck.
        what: String,
        /// Why, as far as the planner can tell.
        detail: String,
    },
}

/// Which roads missions drive.
#[derive(Clone, Debug, PartialEq)]
pub enum Routes {
    /// The safest path (least hazard-weighted km, then quickest) from every site.
    Safest,
    /// The quickest path (fewest periods, then safest) from every site.
    Quickest,
    /// The quickest path from these sites (they race a deadline), the safest elsewhere.
    QuickestFrom(Vec<SiteId>),
}

/// Planner settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Route choice.
    pub routes: Routes,
    /// A road mission waits for at most this fraction of its team to be free before it
    /// sets off with fewer vehicles (0 to 1).
    pub min_fill: f64,
    /// A mission may finish this many periods later than the quickest candidate when it
    /// exposes fewer vehicles per item moved.
    pub tolerance: u32,
    /// A mission that leaves at least this many periods before its site's deadline may be
    /// chosen for exposure alone.
    pub margin: u32,
    /// Containers are flown to an intermediate airfield only when they land at least this
    /// many periods (and at least one) before its due period, which leaves it that long to
    /// send them on.
    pub hop_margin: u32,
    /// Periods a hub needs to send on stock that passes through it: stock bound through a
    /// hub is due there this long before the hub's deadline.
    pub clearance: u32,
    /// The quickest roads of `routes` are taken by containers only: vehicles and personnel
    /// take the safest roads everywhere. Trucks are what a quicker road saves (they turn
    /// round sooner), while stock vehicles drive themselves and gain only a day.
    pub quick_containers_only: bool,
    /// Stock that `routes` puts on the quickest roads is offered the safest roads too:
    /// each mission takes whichever keeps pace at the lower exposure (see `choose`), so
    /// the safe road is driven while the fleets keep up and the quick one when they do not.
    pub both_roads: bool,
    /// As `both_roads`, for vehicles and personnel only: containers keep the roads of
    /// `routes`. The trucks' turnaround is what the quickest roads buy, and a truck's
    /// longer trip delays every later trip of it; a camp's vehicles and people take the
    /// safest road whenever they still keep pace (on the generated 1,000-site scenario the
    /// winning policy's exposure falls by 8% with no site late, where offering both roads
    /// to containers too left 152 site-days late).
    pub both_roads_except_containers: bool,
    /// Escorts join a road mission where its first escorted road begins and leave where
    /// its last one ends, instead of riding the whole round trip from the team's home:
    /// less escort exposure and shorter escort duty, but teams then depend on escorts
    /// meeting them on the way, which can cost a hub its pace.
    pub escorts_join: bool,
    /// A team without vehicles of its own (stock vehicles, with the personnel they seat,
    /// driving themselves to the next stop) has its escorts only as far as its roads
    /// need them: they leave it after its last escorted road and drive home from there,
    /// rather than ride on to the next stop and home from it. On MINUSMA the escorts of
    /// Gao's 820 vehicles rode on from Sevare to Bamako and home, 14 days, while Gao's
    /// trucks waited at home for escorts; the escorted road ends at Sevare, 3 days out.
    /// The team then drives its last roads without escorts, which it may (they need none).
    pub escorts_leave_stock: bool,
    /// Teams drive home empty on the safest roads even when their stock took the
    /// quickest: a day or two longer before the trucks are free again, for a drive that
    /// exposes them with nothing to show for it.
    pub safe_returns: bool,
    /// The evacuation-planning baseline instead of this planner's choices: a CCRP-like
    /// greedy (Lu, George and Shekhar's Capacity Constrained Route Planner) that commits,
    /// among every site's quickest mission, the one that reaches an exit first, with no
    /// regard to deadlines or exposure. For comparison only (`cargo xtask` and the
    /// benchmarks), never in the portfolio.
    pub ccrp: bool,
    /// A road mission draws its vehicles from at most this many homes nearest its origin,
    /// and its escorts from at most this many nearest the vehicles' home.
    pub team_homes: usize,
    /// When no team from the `team_homes` nearest homes leaves by the site's due period,
    /// vehicles from up to this many nearest homes are tried too (with escorts as above).
    pub fallback_homes: usize,
    /// A site that follows no other (`after`) and where no other site's stock stops sends
    /// its reserve (its rear guard) on in phase 1, right after the rest of its stock, and
    /// not once every other site's stock is on its way: in phase 2 the escorts and
    /// carriers are taken until late (a rear guard of the generated 30-site scenario left
    /// 14 days late behind other sites' phase 1 missions). Reserves then compete with the
    /// stock of sites due later, which some scenarios pay for in exposure, so the
    /// portfolio tries both.
    pub early_reserves: bool,
    /// At most this many containers leave each listed site by road in phase 1: the rest
    /// wait for aircraft, as long as a flight or a mission of the nearest teams still
    /// leaves by the site's due period (else they drive all the same). Flying spares a
    /// camp's most dangerous roads, but the constructive planner gives the aircraft to
    /// whichever site asks first and then drives a site's containers rather than wait;
    /// the optimising planner tries caps where its best plan both drives and flies
    /// containers out of a camp (see `portfolio.rs`). Empty: no cap.
    pub drive_caps: Vec<(SiteId, u32)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            // The quickest roads fit the most into a short horizon; the optimising planner
            // tries the safer policies too. Patience and margin: measured on the MINUSMA
            // scenario (see `portfolio.rs`).
            routes: Routes::Quickest,
            min_fill: 0.5,
            tolerance: 0,
            margin: 40,
            hop_margin: 5,
            clearance: 3,
            quick_containers_only: false,
            both_roads: false,
            both_roads_except_containers: false,
            escorts_join: false,
            escorts_leave_stock: false,
            safe_returns: false,
            ccrp: false,
            team_homes: 6,
            // Measured on the generated 300-site scenario: 6 (no fallback) leaves 18 late
            // days with the safest roads, 12 leaves 6 and 20 no fewer; MINUSMA and the
            // generated 10-, 30- and 100-site scenarios plan the same with any of them.
            fallback_homes: 12,
            early_reserves: false,
            drive_caps: Vec::new(),
        }
    }
}

/// Commodity classes: 0 = TEU, 1 = vehicles, 2 + c = personnel of contingent c.
const TEU: usize = 0;
const VEH: usize = 1;
const P0: usize = 2;

#[derive(Clone, Debug)]
struct Lot {
    from: Period,
    qty: Vec<u32>,
}

/// Per-period counters with optional limits.
struct Cal {
    used: Vec<u32>,
    periods: usize,
    /// With `Cal::with_max`, a sparse table of range maxima per key:
    /// `top[(key * levels + l) * periods + p]` is the largest counter of `key` over
    /// `[p, p + 2^l)`. It answers `max` in two look-ups, for the fleet calendar, whose
    /// windows every mission search scans while it changes only when a mission is
    /// committed.
    top: Vec<u32>,
    levels: usize,
}

impl Cal {
    fn new(keys: usize, periods: usize) -> Self {
        Cal {
            used: vec![0; keys * periods],
            periods,
            top: Vec::new(),
            levels: 0,
        }
    }
    /// A calendar that also answers `max` quickly.
    fn with_max(keys: usize, periods: usize) -> Self {
        let levels = (usize::BITS - periods.leading_zeros()) as usize;
        Cal {
            used: vec![0; keys * periods],
            periods,
            top: vec![0; keys * levels * periods],
            levels,
        }
    }
    /// Rebuild the range maxima of `key` after its counters changed.
    fn remax(&mut self, key: usize) {
        if self.levels == 0 {
            return;
        }
        let (n, levels) = (self.periods, self.levels);
        let base = key * levels * n;
        self.top[base..base + n].copy_from_slice(&self.used[key * n..(key + 1) * n]);
        for l in 1..levels {
            let half = 1 << (l - 1);
            let (below, here) = self.top[base + (l - 1) * n..base + (l + 1) * n].split_at_mut(n);
            for p in 0..=(n - 2 * half) {
                here[p] = below[p].max(below[p + half]);
            }
        }
    }
    /// The largest counter of `key` over `[from, to)`, clipped to the horizon (0 when that
    /// is empty); only for a calendar made by `with_max`.
    fn max(&self, key: usize, from: u32, to: u32) -> u32 {
        let r = self.span(key, from, to);
        if r.is_empty() {
            return 0;
        }
        let (a, b) = (r.start - key * self.periods, r.end - key * self.periods);
        let l = (usize::BITS - 1 - (b - a).leading_zeros()) as usize;
        let row = &self.top[(key * self.levels + l) * self.periods..];
        row[a].max(row[b - (1 << l)])
    }
    fn left(&self, key: usize, p: Period, limit: Option<u32>) -> u32 {
        match limit {
            None => u32::MAX,
            Some(l) => l.saturating_sub(self.used[key * self.periods + p.idx()]),
        }
    }
    fn add(&mut self, key: usize, p: Period, n: u32) {
        self.used[key * self.periods + p.idx()] += n;
        self.remax(key);
    }
    /// Indices of the counters of `key` over `[from, to)`, clipped to the horizon.
    fn span(&self, key: usize, from: u32, to: u32) -> std::ops::Range<usize> {
        let base = key * self.periods;
        let a = (from as usize).min(self.periods);
        let b = (to as usize).min(self.periods).max(a);
        base + a..base + b
    }
    /// Add `n` to every period of `[from, to)` (clipped to the horizon).
    fn add_range(&mut self, key: usize, from: u32, to: u32, n: u32) {
        let r = self.span(key, from, to);
        self.used[r].iter_mut().for_each(|x| *x += n);
        self.remax(key);
    }
    /// Subtract `n` from every period of `[from, to)` (clipped to the horizon).
    fn sub_range(&mut self, key: usize, from: u32, to: u32, n: u32) {
        let r = self.span(key, from, to);
        self.used[r].iter_mut().for_each(|x| *x -= n);
        self.remax(key);
    }
}

/// A timed leg of a mission with which groups drive it.
#[derive(Clone, Copy, Debug)]
struct TLeg {
    leg: Leg,
    depart: Period,
    vehicles: bool,
    escorts: bool,
    stock: bool,
}

/// A fully specified mission ready to commit.
#[derive(Debug)]
struct Mission {
    origin: SiteId,
    dest: SiteId,
    depart: Period,
    arrive: Period,
    /// Road legs, or empty for air.
    legs: Vec<TLeg>,
    /// Units per fleet of the vehicle group and of the escort group.
    vehicles: Vec<(FleetId, u32)>,
    escorts: Vec<(FleetId, u32)>,
    veh_window: (Period, Period),
    esc_window: (Period, Period),
    /// Air: type and sorties.
    air: Option<(AircraftId, u32)>,
    load: Vec<u32>,
    est_final: u32,
}

struct State<'a> {
    s: &'a Scenario,
    /// Safest paths.
    g: Graph,
    /// Quickest paths.
    gq: Graph,
    /// Sites whose missions drive the quickest paths (they race a deadline).
    quick: Vec<bool>,
    /// `unit_cost[class][site]`: hazard-weighted km one item of the class still costs by
    /// road from the site to its safest exit (a container's share of a truck's round
    /// trip, a vehicle driving itself, a person's share of a carrier's round trip).
    unit_cost: Vec<Vec<f64>>,
    /// `due[site]`: the period by which the site's stock should have left: its deadline,
    /// or earlier when its stock travels on through a site that must close by then (the
    /// stock must reach that site and be sent on before its deadline).
    due: Vec<u32>,
    cfg: Config,
    t: usize,
    ncls: usize,
    /// Containers each site may still send by road in phase 1 (`Config::drive_caps`;
    /// `u32::MAX` for no cap).
    drive_left: Vec<u32>,
    /// `lots[site]`: stock at the site by the period it arrived, in order of that period
    /// (one lot per period). Lots change only through `add_lot`, `take` and
    /// `take_recorded`, which keep `arrived` in step.
    lots: Vec<Vec<Lot>>,
    /// `arrived[site]`: running totals of the site's lots, `ncls` counters per lot: what
    /// has arrived by that lot's period. `available_at` runs for every period a mission
    /// search tries, far more often than lots change.
    arrived: Vec<Vec<u32>>,
    reserve: Vec<Vec<u32>>,
    /// `busy[fleet][period]`: units of the fleet away from home (or held) in the period.
    busy: Cal,
    /// `home_fleets[site]`: the fleets based at the site, by index (`idle_units` runs for
    /// every departure a search tries, and a scenario has fleets at dozens of homes).
    home_fleets: Vec<Vec<usize>>,
    road_cal: Cal,
    /// Convoys (indices into `plan.convoys`) whose escorts wait rather than ride along,
    /// and those escorts: they leave the convoys when the plan is done.
    waiting: Vec<(usize, Vec<(FleetId, u32)>)>,
    handling: Cal,
    exit_cal: Cal,
    slots: Cal,
    sorties: Cal,
    last_cargo: Vec<Option<Period>>,
    /// The last period in which a flight lands stock at each site: its reserve leaves
    /// after it, so that the site is still open when the stock lands (`V029`).
    last_landing: Vec<Option<Period>>,
    closure: Vec<Option<Period>>,
    /// `next_stop[class][site]`: where stock of the class may go next, with the path: the
    /// first hub (or the exit) on the shortest route to each accepting exit, nearest first.
    next_stop: Vec<Vec<Vec<(SiteId, Path)>>>,
    /// `detour[class][site]`: next stops along paths that drive on no road with a
    /// capacity limit (and, for containers, through no base with a handling limit), and
    /// for containers every exit that takes them by the route straight to it, where those
    /// differ from `next_stop` (see `State::new`). They are offered to missions only when
    /// nothing leaves by the due period otherwise; due periods and the order of phase 2
    /// follow `next_stop`, the routes stock is meant to take.
    detour: Vec<Vec<Vec<(SiteId, Path)>>>,
    /// `alone[site]`: the site waits for no other to close (`after`) and no stock of
    /// another site stops there, so its reserve may leave as soon as its own stock has
    /// (see `run`).
    alone: Vec<bool>,
    /// `to_exit[class][site]`: periods to the nearest accepting exit by road.
    to_exit: Vec<Vec<u32>>,
    plan: Plan,
    /// Units left away from home by frozen movements: fleet, unit, where, free from when.
    stranded: Vec<(FleetId, usize, SiteId, Period)>,
    /// No new movement departs before this period (the present, when re-planning).
    floor: Period,
    /// Sites other than exits, earliest deadline first (ties: lowest index).
    by_deadline: Vec<usize>,
    /// `road_closed[road * t + p]`: a convoy leaving on the road in period `p` meets one of
    /// its closures or a restriction naming it (`Scenario::road_blocked`, tabulated once:
    /// mission searches ask for every leg of every departure they try).
    road_closed: Vec<bool>,
    /// `site_closed[site * t + p]`: a restriction forbids movements at the site in `p`
    /// (`Scenario::site_restricted`, tabulated likewise).
    site_closed: Vec<bool>,
    /// `air_closed[site * t + p]`: a restriction forbids flights at the site's airfield in
    /// `p` (`Scenario::airfield_restricted`, tabulated likewise: an air search tries every
    /// period up to the end of the horizon while the sorties are taken).
    air_closed: Vec<bool>,
    /// `airfield_ix[site]`: the site's rank among the sites with an airfield (`u32::MAX`
    /// without one), and `fly[(type * n + i) * n + j]` with `n` airfields: the periods a
    /// flight of the type takes from the `i`-th to the `j`-th (`Scenario::flight_periods`,
    /// tabulated: every mission search of a site with an airfield lists a flight to each
    /// airfield, and the distance takes trigonometry).
    airfield_ix: Vec<u32>,
    fly: Vec<u32>,
    /// How many sites have an airfield (`n` above).
    airfields: usize,
    /// Sites that road missions neither go to nor drive through: in phase 2, those whose
    /// reserves a site's reserve waited for (see `run`); empty otherwise.
    avoid: Vec<usize>,
}

/// Make a plan; see the module documentation.
pub fn plan(
    s: &Scenario,
    cfg: &Config,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Plan, PlanError> {
    let st = State::new(s, cfg.clone());
    let mut plan = run(st, progress)?;
    if crate::finish::finish(s, &mut plan, Period(0), &|_| true) > 0 {
        renumber(&mut plan);
        crate::summary::summarize(s, &mut plan);
    }
    Ok(plan)
}

/// Re-plan from a recorded state: `frozen` holds the movements that have happened (and
/// those under way), `now` is the first period in which new movements may depart. The
/// result is the whole plan, the frozen movements unchanged (same ids) plus new ones, so
/// that the checker judges the past and the future together. Fleet units that the frozen
/// movements left away from home first drive back (escorted where the road needs it).
pub fn plan_from(
    s: &Scenario,
    frozen: &Plan,
    now: Period,
    cfg: &Config,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Plan, PlanError> {
    // Convoys under way that land stock at a camp carry on to its next stop (see
    // `under_way`); their new legs join the recorded movements as the state's past.
    let carried = under_way(s, frozen, now, cfg);
    let past = carried.as_ref().unwrap_or(frozen);
    let mut st = State::new(s, cfg.clone());
    st.floor = now;
    st.apply_frozen(past);
    st.restore_reserves();
    st.return_stranded()?;
    let mut plan = run(st, progress)?;
    // Keep the frozen movements as they were recorded; new ones get fresh ids that no
    // frozen movement uses.
    let used: std::collections::HashSet<String> = frozen
        .convoys
        .iter()
        .map(|c| c.id.clone())
        .chain(frozen.flights.iter().map(|f| f.id.clone()))
        .collect();
    let mut n = 0;
    let mut fresh = |prefix: char| loop {
        n += 1;
        let id = format!("{prefix}{n:04}");
        if !used.contains(&id) {
            break id;
        }
    };
    for c in &mut plan.convoys {
        c.id = fresh('C');
    }
    for f in &mut plan.flights {
        f.id = fresh('F');
    }
    plan.convoys.extend(past.convoys.iter().cloned());
    plan.flights.extend(frozen.flights.iter().cloned());
    plan.abandoned.extend(frozen.abandoned.iter().cloned());
    // New legs may leave no earlier than `now`, like everything the re-plan moves.
    crate::finish::finish(s, &mut plan, now, &|c| !used.contains(&c.id));
    for c in plan.convoys.iter_mut().filter(|c| c.id.is_empty()) {
        c.id = fresh('C');
    }
    plan.convoys
        .sort_by(|a, b| (a.depart, &a.id).cmp(&(b.depart, &b.id)));
    plan.flights
        .sort_by(|a, b| (a.depart, &a.id).cmp(&(b.depart, &b.id)));
    plan.abandoned.sort_by_key(|a| (a.period, a.site));
    crate::summary::summarize(s, &mut plan);
    Ok(plan)
}

/// The recorded movements with the convoys under way carried on: a convoy recorded before
/// `now` that lands containers, vehicles or personnel at a camp (a base) on or after `now`
/// drives on with the same units and load, without stopping, to one of the load's next
/// stops (a route every class of the load takes from there), as it was sent to: the first
/// it can reach, else another hub or exit it can reach, else the first it can drive
/// towards. This planner's missions stop only at hubs and exits and pass camps on the way.
/// Held at the camp overnight instead, the stock could stay after the camp's rear guard
/// left (`V027`), keep open a camp that others had to close after (`V030`), or make it
/// late, which no later mission can mend. Escorts that the record left standing at the camp
/// join where the convoy's own do not cover a road ahead that needs them. It carries on as
/// far as the roads are open and have room, the sites it leaves and reaches are
/// unrestricted, the camps it leaves can handle its containers, its escorts cover it where
/// the road needs them, and its fleets' windows and the horizon allow, and to an exit only
/// if the exit can take it in (where it stops short at another camp, that camp is looked at
/// in turn). The new legs have empty ids. `None` when no convoy carries on.
fn under_way(s: &Scenario, frozen: &Plan, now: Period, cfg: &Config) -> Option<Plan> {
    // Stock stops only at hubs and exits; a camp on the way is passed through.
    let at_camp = |x: SiteId| s.site(x).kind == SiteKind::Base;
    let mut todo: Vec<Convoy> = frozen
        .convoys
        .iter()
        .filter(|c| c.arrive >= now && !c.load.is_empty() && at_camp(c.to))
        .cloned()
        .collect();
    if todo.is_empty() {
        return None;
    }
    let mut probe = State::new(s, cfg.clone());
    probe.floor = now;
    probe.apply_frozen(frozen);
    let mut past = frozen.clone();
    let mut carried = false;
    // Earliest arrival first, so that the units a convoy brings are counted out of the camp
    // before a later convoy looks for escorts standing there.
    let by_arrival = |todo: &mut Vec<Convoy>| todo.sort_by_key(|c| std::cmp::Reverse(c.arrive));
    by_arrival(&mut todo);
    while let Some(c) = todo.pop() {
        let x = c.to;
        if !at_camp(x) {
            continue;
        }
        let q = probe.load_vec(&c.load);
        let classes: Vec<usize> = (0..probe.ncls).filter(|&k| q[k] > 0).collect();
        let shared = |d: SiteId, p: &Path| {
            classes.iter().all(|&k| {
                probe.next_stop[k][x.idx()]
                    .iter()
                    .any(|(e, r)| *e == d && r == p)
            })
        };
        // The units of the convoys arriving at the camp by then that have yet to carry on
        // (this one among them) stand there in the record, but are not waiting there.
        let taken: Vec<(FleetId, u32)> = todo
            .iter()
            .chain(std::iter::once(&c))
            .filter(|o| o.to == x && o.arrive <= c.arrive)
            .flat_map(|o| o.units.iter().copied())
            .collect();
        // Where it drives on to: the first of the load's next stops that it can reach
        // without stopping; failing that, the first other hub, or exit that takes the
        // whole load, that it can so reach by the safest or the quickest roads, nearest
        // first (it was sent by a policy whose next stops need not be this one's); failing
        // that, the first next stop it can drive towards, or else the first other. A road
        // on the way may be too narrow for the convoy, or closed, or a camp on it unable
        // to handle its containers in a day, where another way is open.
        let drive = |path: &[Leg]| {
            // Escorts standing at the camp (stranded there by the recorded past) join where
            // the convoy's own do not cover it on a road ahead that needs them.
            let c = probe.with_waiting_escorts(c.clone(), path, &taken);
            let legs = probe.carry_on_legs(&c, path, &q)?;
            Some((legs.len() == path.len(), c, legs))
        };
        let stops: Vec<_> = probe.next_stop[classes[0]][x.idx()]
            .iter()
            .filter(|(d, p)| shared(*d, p))
            .filter_map(|(_, p)| drive(p))
            .collect();
        let whole = |o: &&(bool, Convoy, Vec<Convoy>)| o.0;
        let chosen = match stops.iter().find(whole) {
            Some(o) => Some(o.clone()),
            None => {
                let other: Vec<_> = probe
                    .other_stops(x, &classes)
                    .iter()
                    .filter_map(|p| drive(p))
                    .collect();
                other
                    .iter()
                    .find(whole)
                    .or(stops.first())
                    .or(other.first())
                    .cloned()
            }
        };
        let Some((_, c, legs)) = chosen else {
            continue;
        };
        // Its units, and the escorts that joined, leave the camp with it: they no longer
        // stand there for a later convoy to take.
        for &(f, n) in &legs[0].units {
            let mut left = n;
            probe.stranded.retain(|&(g, _, at, free)| {
                let goes = left > 0 && g == f && at == x && free <= c.arrive;
                left -= u32::from(goes);
                !goes
            });
        }
        for l in &legs {
            probe.book_carried(l, &q);
        }
        // Only where the load lands is looked at again: it passes the camps on the way.
        todo.extend(legs.last().cloned());
        by_arrival(&mut todo);
        past.convoys.extend(legs);
        carried = true;
    }
    carried.then_some(past)
}

/// Schedule everything left in `st` and return the plan of the new movements.
fn run(mut st: State<'_>, progress: &mut dyn FnMut(u64, u64)) -> Result<Plan, PlanError> {
    let s = st.s;
    let total: u64 = st
        .lots
        .iter()
        .flatten()
        .map(|l| l.qty.iter().map(|&x| u64::from(x)).sum::<u64>())
        .sum();
    // Counting what is left walks every lot of every site, so large scenarios report every
    // few dozen missions rather than after each one.
    let mut calls = 0u64;
    let mut report = |st: &State<'_>| {
        calls += 1;
        if calls % 32 != 1 {
            return;
        }
        let left: u64 = st
            .lots
            .iter()
            .flatten()
            .map(|l| l.qty.iter().map(|&x| u64::from(x)).sum::<u64>())
            .sum();
        progress(total.saturating_sub(left), total);
    };
    // Phase 1: everything but the reserves, earliest deadline first (or, for the CCRP
    // baseline, earliest arrival first).
    while let Some(site) = st.pick_phase1() {
        match st.cfg.ccrp.then(|| st.earliest_mission()).flatten() {
            Some(m) => st.commit(m),
            None => st.advance(site, false)?,
        }
        // With `early_reserves`, a site that waits for nothing sends its reserve on as
        // soon as the rest of its stock has gone (see `Config::early_reserves`).
        if st.cfg.early_reserves && !st.cfg.ccrp && st.alone[site] && !st.has_free(site) {
            while st.has_stock(site) {
                st.advance(site, true)?;
                report(&st);
            }
        }
        report(&st);
    }
    // Phase 2: reserves, in `after` and pass-through order.
    // Stock that reaches a site after its turn (possible only when pass-through order had
    // to break a cycle) is picked up by another sweep.
    loop {
        let mut moved = false;
        let (order, mut behind) = st.phase2_order();
        // `turned[k]`: the reserve of `k` has had its turn in this sweep. Sites whose reserve
        // waits for the reserves of the sites behind them, in the order they came.
        let mut turned = vec![false; s.sites.len()];
        let mut waiting: Vec<usize> = Vec::new();
        for site in order {
            // What a site holds beyond its reserve (other sites' reserves, unloaded there on
            // their way out) leaves first, as in phase 1: only the reserve waits for the
            // site's last cargo. Sent on with the reserve, the rear guards and vehicles of
            // the sites behind a hub queued at it until its last container had left, then
            // for the exits' intake of vehicles (MINUSMA's last hub closed on 29 December
            // instead of 24 December; the generated 300-site scenario had 6 late days
            // instead of 1). A site whose reserve has gone already keeps the rules of
            // phase 2 for whatever still reaches it.
            if st.reserve[site].iter().any(|&r| r > 0) {
                while st.has_free(site) {
                    st.advance(site, false)?;
                    moved = true;
                    report(&st);
                }
            }
            // A site that the order put before a site whose containers or vehicles it
            // still receives (a cycle: hub-11 of the generated 1,000-site scenario sends
            // its containers to hub-40, whose rear guard drives its vehicles out by way
            // of hub-11) keeps its reserve until that site's reserve has been sent:
            // its rear guard then sees those vehicles arrive and stays until they leave
            // (see `trim_rear_guard`), where it once left three days before they came
            // (`V027`). Its reserve then keeps off the roads to or through those sites,
            // whose rear guards have gone by then; a site whose containers or vehicles have
            // no other way out does not wait.
            if st.waits_for(site, &behind[site]) {
                waiting.push(site);
                continue;
            }
            moved |= st.send_reserve(site, &mut report)?;
            turned[site] = true;
            while let Some(i) = waiting
                .iter()
                .position(|&w| behind[w].iter().all(|&k| turned[k]))
            {
                let w = waiting.remove(i);
                st.avoid = std::mem::take(&mut behind[w]);
                moved |= st.send_reserve(w, &mut report)?;
                st.avoid.clear();
                turned[w] = true;
            }
        }
        // The sites behind a waiting site come after it in the order, so none is left
        // waiting here; this is only a safeguard.
        for w in waiting {
            st.avoid = std::mem::take(&mut behind[w]);
            moved |= st.send_reserve(w, &mut report)?;
            st.avoid.clear();
        }
        if !moved {
            break;
        }
    }
    // The last word: everything is moved (or abandoned).
    progress(total, total);
    let mut plan = std::mem::take(&mut st.plan);
    // Escorts that may wait instead of riding along step out of those legs only now, so
    // that the plan is built exactly as if they rode (see `escorts_wait`).
    for (i, escorts) in std::mem::take(&mut st.waiting) {
        for &(f, n) in &escorts {
            crate::finish::add_units(&mut plan.convoys[i], f, -i64::from(n));
        }
    }
    plan.convoys
        .retain(|c| !c.units.is_empty() || !c.load.is_empty());
    plan.convoys
        .sort_by(|a, b| (a.depart, &a.id).cmp(&(b.depart, &b.id)));
    plan.flights
        .sort_by(|a, b| (a.depart, &a.id).cmp(&(b.depart, &b.id)));
    renumber(&mut plan);
    crate::summary::summarize(s, &mut plan);
    Ok(plan)
}

/// Give movements ids in departure order so the plan reads chronologically.
pub(crate) fn renumber(plan: &mut Plan) {
    for (i, c) in plan.convoys.iter_mut().enumerate() {
        c.id = format!("C{:04}", i + 1);
    }
    for (i, f) in plan.flights.iter_mut().enumerate() {
        f.id = format!("F{:04}", i + 1);
    }
}

impl<'a> State<'a> {
    fn new(s: &'a Scenario, cfg: Config) -> Self {
        let mut drive_left = vec![u32::MAX; s.sites.len()];
        for &(x, cap) in &cfg.drive_caps {
            drive_left[x.idx()] = cap;
        }
        let t = s.horizon.periods as usize;
        let n = s.sites.len();
        let ncls = P0 + s.contingents.len();
        let g = Graph::new(s);
        let gq = Graph::quickest(s);
        let quick: Vec<bool> = (0..n)
            .map(|i| match &cfg.routes {
                Routes::Safest => false,
                Routes::Quickest => true,
                Routes::QuickestFrom(q) => q.contains(&SiteId(i as u32)),
            })
            .collect();
        let mut lots = vec![Vec::new(); n];
        let mut reserve = vec![vec![0; ncls]; n];
        for (i, site) in s.sites.iter().enumerate() {
            let mut qty = vec![0; ncls];
            qty[TEU] = site.initial.teu;
            qty[VEH] = site.initial.vehicles;
            for (c, &p) in site.initial.personnel.iter().enumerate() {
                qty[P0 + c] = p;
            }
            // The reserve stays for phase 2: the rear guard, or, for a site that must close
            // after others, one item so that its last departure can wait for them.
            let mut want = site.rear_guard.min(site.initial.people());
            if want == 0 && !site.after.is_empty() {
                want = u32::from(site.initial.people() > 0);
                if want == 0 {
                    if qty[TEU] > 0 {
                        reserve[i][TEU] = 1;
                    } else if qty[VEH] > 0 {
                        reserve[i][VEH] = 1;
                    }
                }
            }
            // The reserve keeps its own vehicles to drive out in, when the site has any:
            // a rear guard must not be stranded without seats once the trucks have gone.
            if want > 0 && s.vehicle_seats > 0 {
                reserve[i][VEH] = qty[VEH].min(want.div_ceil(s.vehicle_seats));
                // Fill the seats of those vehicles, so the rest of the personnel is not left
                // with too few seats.
                want = want.max((reserve[i][VEH] * s.vehicle_seats).min(site.initial.people()));
            }
            for c in P0..ncls {
                let take = want.min(qty[c]);
                reserve[i][c] = take;
                want -= take;
            }
            if qty.iter().any(|&x| x > 0) {
                lots[i].push(Lot {
                    from: site.not_before,
                    qty,
                });
            }
        }
        // Routing by class toward every accepting exit, along the safest paths. A next stop
        // must bring the stock strictly nearer (safer, then sooner) to its nearest exit, so
        // stock never circles between hubs.
        let mut next_stop = vec![vec![Vec::new(); n]; ncls];
        let mut to_exit = vec![vec![u32::MAX; n]; ncls];
        let mut detour: Vec<Vec<Vec<(SiteId, Path)>>> = vec![vec![Vec::new(); n]; ncls];
        let avoid: Vec<bool> = s
            .sites
            .iter()
            .map(|x| x.kind == SiteKind::Base && x.handling_teu_per_period.is_some())
            .collect();
        // Roads that may be full or shut: a capacity limit, closures, restrictions.
        let avoid_roads: Vec<bool> = (0..s.roads.len())
            .map(|ri| {
                let r = &s.roads[ri];
                r.vehicles_per_period.is_some()
                    || !r.closed.is_empty()
                    || s.restrictions
                        .iter()
                        .any(|x| x.roads.contains(&RoadId(ri as u32)))
            })
            .collect();
        for cls in 0..ncls {
            let exits: Vec<SiteId> = (0..n)
                .map(|x| SiteId(x as u32))
                .filter(|&x| accepts(s, x, cls))
                .collect();
            let nearest_in = |g: &Graph| -> Vec<Option<Key>> {
                (0..n)
                    .map(|a| {
                        exits
                            .iter()
                            .filter_map(|&x| g.key(SiteId(a as u32), x))
                            .min()
                    })
                    .collect()
            };
            let (near_safe, near_quick) = (nearest_in(&g), nearest_in(&gq));
            for (a, d) in to_exit[cls].iter_mut().enumerate() {
                *d = exits
                    .iter()
                    .filter_map(|&x| gq.dist(SiteId(a as u32), x))
                    .min()
                    .unwrap_or(u32::MAX);
            }
            // Containers are also offered paths through no base with a handling limit, and
            // the other classes paths on no road with a capacity limit, closures or
            // restrictions: containers passing
            // through a site count against its handling, and a small camp handling 10
            // containers a day on the one road out of a sector held back every container
            // behind it (on the generated 30- and 300-site scenarios, for months, until
            // policies ran out of horizon); a road taking 86 vehicles a day, booked to the
            // end of the horizon, held a rear guard's vehicles at 1,000 sites. They drive
            // farther, so missions take them only when nothing leaves by the due period
            // along `next_stop`, and the other classes' only when nothing leaves at all
            // (see `best_mission`).
            let (no_sites, no_roads) = (vec![false; n], vec![false; s.roads.len()]);
            let (sites, roads) = if cls == TEU {
                (&avoid, &no_roads)
            } else {
                (&no_sites, &avoid_roads)
            };
            let bypass = |safe: bool| -> Vec<(SiteId, PathsTo)> {
                if !sites.iter().chain(roads).any(|&x| x) {
                    return Vec::new();
                }
                exits
                    .iter()
                    .map(|&x| (x, PathsTo::new(s, x, safe, sites, roads)))
                    .collect()
            };
            let (bypass_safe, bypass_quick) = (bypass(true), bypass(false));
            for a in 0..n {
                let a_id = SiteId(a as u32);
                let quick_here = quick[a] && !(cfg.quick_containers_only && cls != TEU);
                type Paths<'g> = (&'g Graph, &'g Vec<Option<Key>>, &'g [(SiteId, PathsTo)]);
                let both = cfg.both_roads || cfg.both_roads_except_containers && cls != TEU;
                let graphs: &[Paths<'_>] = match (quick_here, both) {
                    (true, true) => &[
                        (&gq, &near_quick, &bypass_quick),
                        (&g, &near_safe, &bypass_safe),
                    ],
                    (true, false) => &[(&gq, &near_quick, &bypass_quick)],
                    (false, _) => &[(&g, &near_safe, &bypass_safe)],
                };
                for &(g, nearest, bypass) in graphs {
                    // The graph's best path to each exit, then (containers) the best that
                    // avoids the bases with a handling limit.
                    let mut direct: Vec<(Key, SiteId, Path)> = exits
                        .iter()
                        .filter(|&&x| x != a_id)
                        .filter_map(|&x| Some((g.key(a_id, x)?, x, g.path(a_id, x)?)))
                        .collect();
                    let mut around: Vec<(Key, SiteId, Path)> = bypass
                        .iter()
                        .filter(|(x, _)| *x != a_id)
                        .filter_map(|(x, p)| Some((p.key(a_id)?, *x, p.path(a_id)?)))
                        .collect();
                    for (detours, by_dist) in [(false, &mut direct), (true, &mut around)] {
                        by_dist.sort_by_key(|&(k, x, _)| (k, x));
                        // One path per graph and next stop.
                        let mut seen: Vec<SiteId> = Vec::new();
                        for (_, _, path) in by_dist.iter() {
                            // Stop at the first hub on the way: stock is consolidated there.
                            let cut = path
                                .iter()
                                .position(|l| s.site(l.to).kind == SiteKind::Hub)
                                .map_or(path.len(), |i| i + 1);
                            let legs: Path = path[..cut].to_vec();
                            let dest = legs.last().expect("non-empty path").to;
                            let closer = nearest[dest.idx()] < nearest[a];
                            if closer
                                && !seen.contains(&dest)
                                && !next_stop[cls][a]
                                    .iter()
                                    .chain(&detour[cls][a])
                                    .any(|(d, p)| *d == dest && *p == legs)
                            {
                                seen.push(dest);
                                if detours {
                                    detour[cls][a].push((dest, legs));
                                } else {
                                    next_stop[cls][a].push((dest, legs));
                                }
                            }
                        }
                    }
                }
                // Containers may also drive straight on to any exit that takes them,
                // through the hubs on the way: the first hub or exit of each route is
                // the one nearest an exit, and when that exit's intake is taken to the
                // end of the horizon (a hub 1 day from an airport that takes 180
                // containers a day, on the generated 600-site scenario) the rest could
                // otherwise go nowhere. A fallback like the other detours.
                if cls == TEU && s.sites[a].exit.is_none() {
                    let g = graphs[0].0;
                    for &x in &exits {
                        let Some(path) = g.path(a_id, x).filter(|p| !p.is_empty()) else {
                            continue;
                        };
                        let known = next_stop[cls][a]
                            .iter()
                            .chain(&detour[cls][a])
                            .any(|(d, p)| *d == x && *p == path);
                        if !known {
                            detour[cls][a].push((x, path));
                        }
                    }
                }
            }
        }
        let busy = Cal::with_max(s.fleets.len(), t);
        let mut home_fleets = vec![Vec::new(); n];
        for (fi, f) in s.fleets.iter().enumerate() {
            home_fleets[f.home.idx()].push(fi);
        }
        let teu_per_truck = s.fleets.iter().map(|f| f.teu).max().unwrap_or(1).max(1);
        let unit_cost: Vec<Vec<f64>> = (0..ncls)
            .map(|cls| {
                (0..n)
                    .map(|a| {
                        let hk = (0..n)
                            .filter(|&x| accepts(s, SiteId(x as u32), cls))
                            .filter_map(|x| g.key(SiteId(a as u32), SiteId(x as u32)))
                            .min()
                            .map_or(0.0, |k| k.0 as f64 / 1000.0);
                        match cls {
                            TEU => 2.0 * hk / f64::from(teu_per_truck),
                            VEH => hk,
                            _ => 2.0 * hk / 25.0,
                        }
                    })
                    .collect()
            })
            .collect();
        let due = due_periods(s, &next_stop, cfg.clearance);
        // A site where another's stock may stop (a next stop or a detour's end) keeps its
        // reserve for phase 2, when that stock has come; stock passing through is never
        // held, so it does not count.
        let mut alone: Vec<bool> = s
            .sites
            .iter()
            .map(|x| x.kind != SiteKind::Exit && x.after.is_empty())
            .collect();
        for (d, _) in next_stop
            .iter()
            .flatten()
            .flatten()
            .chain(detour.iter().flatten().flatten())
        {
            alone[d.idx()] = false;
        }
        // Phase 1 takes sites by due period (ties: lowest index).
        let mut by_deadline: Vec<usize> = (0..n)
            .filter(|&i| s.sites[i].kind != SiteKind::Exit)
            .collect();
        by_deadline.sort_by_key(|&i| (due[i], i));
        // Closures and restrictions by period, window by window, with the model's own
        // tests of a window against a period or a stay on the road.
        let mut road_closed = vec![false; s.roads.len() * t];
        for (ri, r) in s.roads.iter().enumerate() {
            let windows = r.closed.iter().chain(
                s.restrictions
                    .iter()
                    .filter(|x| x.roads.contains(&RoadId(ri as u32)))
                    .map(|x| &x.window),
            );
            for w in windows {
                for (p, c) in road_closed[ri * t..(ri + 1) * t].iter_mut().enumerate() {
                    let depart = Period(p as u32);
                    *c |= w.overlaps(depart, depart.plus(r.periods));
                }
            }
        }
        let mut site_closed = vec![false; n * t];
        let mut air_closed = vec![false; n * t];
        for x in &s.restrictions {
            for (sites, closed) in [
                (&x.sites, &mut site_closed),
                (&x.airfields, &mut air_closed),
            ] {
                for site in sites {
                    let row = &mut closed[site.idx() * t..(site.idx() + 1) * t];
                    for (p, c) in row.iter_mut().enumerate() {
                        *c |= x.window.contains(Period(p as u32));
                    }
                }
            }
        }
        // A restriction of a whole site grounds its airfield too.
        for (a, c) in air_closed.iter_mut().zip(&site_closed) {
            *a |= c;
        }
        let airfields: Vec<SiteId> = (0..n)
            .map(|i| SiteId(i as u32))
            .filter(|&i| s.site(i).airfield.is_some())
            .collect();
        let mut airfield_ix = vec![u32::MAX; n];
        for (k, x) in airfields.iter().enumerate() {
            airfield_ix[x.idx()] = k as u32;
        }
        let fly: Vec<u32> = (0..s.aircraft.len())
            .flat_map(|ti| {
                let airfields = &airfields;
                airfields.iter().flat_map(move |&a| {
                    airfields
                        .iter()
                        .map(move |&b| s.flight_periods(AircraftId(ti as u32), a, b))
                })
            })
            .collect();
        let mut st = State {
            s,
            g,
            gq,
            quick,
            unit_cost,
            due,
            cfg,
            t,
            ncls,
            lots,
            arrived: vec![Vec::new(); n],
            reserve,
            busy,
            home_fleets,
            road_cal: Cal::new(s.roads.len() * 2, t),
            waiting: Vec::new(),
            handling: Cal::new(n, t),
            drive_left,
            exit_cal: Cal::new(n * 3, t),
            slots: Cal::new(n, t),
            sorties: Cal::new(s.aircraft.len(), t),
            last_cargo: vec![None; n],
            last_landing: vec![None; n],
            closure: vec![None; n],
            next_stop,
            detour,
            alone,
            to_exit,
            plan: Plan::default(),
            floor: Period(0),
            stranded: Vec::new(),
            by_deadline,
            road_closed,
            site_closed,
            air_closed,
            airfield_ix,
            fly,
            airfields: airfields.len(),
            avoid: Vec::new(),
        };
        for site in 0..n {
            st.count_arrived(site);
        }
        st
    }

    /// `Scenario::flight_periods` between two airfields, from the table.
    fn flight_periods(&self, ty: AircraftId, a: SiteId, x: SiteId) -> u32 {
        let n = self.airfields;
        let (i, j) = (self.airfield_ix[a.idx()], self.airfield_ix[x.idx()]);
        debug_assert!(i != u32::MAX && j != u32::MAX, "flights join airfields");
        self.fly[(ty.idx() * n + i as usize) * n + j as usize]
    }

    /// Whether a convoy leg leaving in `depart` meets a closure or restriction of its road,
    /// or a restriction at its start when it leaves or at its end when it arrives.
    fn leg_blocked(&self, leg: &Leg, depart: Period) -> bool {
        let s = self.s;
        let arr = depart.plus(leg.periods);
        let t = self.t;
        // The tables cover legs within the horizon that take their road's time.
        if arr.idx() < t && leg.periods == s.roads[leg.road.idx()].periods {
            self.road_closed[leg.road.idx() * t + depart.idx()]
                || self.site_closed[leg.from.idx() * t + depart.idx()]
                || self.site_closed[leg.to.idx() * t + arr.idx()]
        } else {
            s.road_blocked(leg.road, depart, arr)
                || s.site_restricted(leg.from, depart)
                || s.site_restricted(leg.to, arr)
        }
    }

    /// Recompute the running totals of `site`'s lots after they changed.
    fn count_arrived(&mut self, site: usize) {
        let lots = &self.lots[site];
        debug_assert!(
            lots.windows(2).all(|w| w[0].from < w[1].from),
            "lots in order of arrival, one per period"
        );
        let sums = &mut self.arrived[site];
        sums.clear();
        let mut run = vec![0u32; self.ncls];
        for l in lots {
            for (r, q) in run.iter_mut().zip(&l.qty) {
                *r += q;
            }
            sums.extend_from_slice(&run);
        }
    }

    /// Everything `site` holds, by class: the last running total of its lots (empty when
    /// it has none). Phase 1 asks every site in turn for free stock before each mission,
    /// so this is read far more often than lots change.
    fn held(&self, site: usize) -> &[u32] {
        let sums = &self.arrived[site];
        &sums[sums.len().saturating_sub(self.ncls)..]
    }

    fn has_stock(&self, site: usize) -> bool {
        self.held(site).iter().any(|&x| x > 0)
    }

    /// Stock of `site` free to move in phase 1 (total minus reserve), by class.
    fn free_total(&self, site: usize) -> Vec<u32> {
        let held = self.held(site);
        (0..self.ncls)
            .map(|c| {
                held.get(c)
                    .map_or(0, |h| h.saturating_sub(self.reserve[site][c]))
            })
            .collect()
    }

    /// The site with free stock and the earliest deadline (ties: lowest index).
    fn pick_phase1(&self) -> Option<usize> {
        self.by_deadline.iter().copied().find(|&i| self.has_free(i))
    }

    /// Whether `site` holds more of some class than its reserve (stock for phase 1).
    fn has_free(&self, site: usize) -> bool {
        let held = self.held(site);
        held.iter().zip(&self.reserve[site]).any(|(h, r)| h > r)
    }

    /// The first period in which stock of `site` may leave: its earliest non-empty lot,
    /// and never before the present.
    fn earliest_lot(&self, site: usize) -> Period {
        self.lots[site]
            .iter()
            .filter(|l| l.qty.iter().any(|&x| x > 0))
            .map(|l| l.from)
            .min()
            .unwrap_or(Period(0))
            .max(self.floor)
    }

    /// Sites in the order phase 2 handles them: Kahn's algorithm over `after` plus
    /// "a site whose reserve passes through j goes before j", earliest deadline first;
    /// and, for each site, the sites after it in that order whose containers or vehicles
    /// stop at it all the same (their edge would have closed a cycle).
    fn phase2_order(&self) -> (Vec<usize>, Vec<Vec<usize>>) {
        let n = self.s.sites.len();
        let mut before: Vec<Vec<usize>> = vec![Vec::new(); n]; // before[i]: must precede i
        for (i, site) in self.s.sites.iter().enumerate() {
            before[i].extend(site.after.iter().map(|j| j.idx()));
        }
        // The classes each site will send on in phase 2: what it holds now, plus what
        // reaches it from upstream (a fixpoint along the next stops). Every one of them
        // counts, not only personnel: a reserve also holds vehicles (the rear guard's
        // seats) and whatever phase 1 could not move, and a hub whose rear guard left
        // before such stock arrived would hold it unguarded (V027).
        let mut holds: Vec<Vec<bool>> = (0..n)
            .map(|k| {
                let mut h = vec![false; self.ncls];
                for l in &self.lots[k] {
                    for (x, &q) in h.iter_mut().zip(&l.qty) {
                        *x |= q > 0;
                    }
                }
                h
            })
            .collect();
        let mut changed = true;
        while changed {
            changed = false;
            for (k, cls) in (0..n).flat_map(|k| (0..self.ncls).map(move |c| (k, c))) {
                if holds[k][cls] && self.s.sites[k].kind != SiteKind::Exit {
                    for (d, _) in &self.next_stop[cls][k] {
                        if !holds[d.idx()][cls] && self.s.site(*d).kind != SiteKind::Exit {
                            holds[d.idx()][cls] = true;
                            changed = true;
                        }
                    }
                }
            }
        }
        // Whether the edge "k before j" was added; it is refused when `j` must already
        // precede `k` (the edge would close a cycle).
        let edge = |before: &mut [Vec<usize>], k: usize, j: usize| {
            let add = j != k && !reaches(before, k, j);
            if add {
                before[j].push(k);
            }
            add
        };
        // Containers and vehicles unloaded at a hub first: cargo that reaches a hub after
        // its rear guard has gone breaks a hard rule (V027), while stock that only drives
        // through a site on its way (never held there) and personnel passing through a
        // closed site only reopen it. So the next stops of cargo get their edges before
        // any other edge can block them: a hub whose containers drove through a base on
        // their way to another hub, and which was the next stop of that base's vehicles,
        // once went first, and its rear guard left before the base's vehicles came. When
        // the other kinds of edge would form a cycle, cargo wins. A refused cargo edge is
        // a cycle of cargo itself: `k`'s containers or vehicles are still unloaded at `j`
        // after `j`'s turn, so `j`'s reserve waits for `k`'s (see `run`).
        let mut behind: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (cls, (k, held)) in [TEU, VEH]
            .into_iter()
            .flat_map(|c| holds.iter().enumerate().map(move |x| (c, x)))
        {
            if held[cls] {
                for (d, _) in &self.next_stop[cls][k] {
                    let j = d.idx();
                    if !edge(&mut before, k, j)
                        && j != k
                        && self.s.sites[j].kind != SiteKind::Exit
                        && !behind[j].contains(&k)
                    {
                        behind[j].push(k);
                    }
                }
            }
        }
        let classes = [TEU, VEH].into_iter().chain(P0..self.ncls);
        for (cls, (k, held)) in classes.flat_map(|c| holds.iter().enumerate().map(move |x| (c, x)))
        {
            if held[cls] {
                for (_, path) in &self.next_stop[cls][k] {
                    for leg in path {
                        edge(&mut before, k, leg.to.idx());
                    }
                }
            }
        }
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            let next = (0..n)
                .filter(|&i| !done[i] && before[i].iter().all(|&j| done[j] || j == i))
                .min_by_key(|&i| (self.due[i], i))
                // A cycle can only come from pass-through edges; break it by deadline.
                .or_else(|| {
                    (0..n)
                        .filter(|&i| !done[i])
                        .min_by_key(|&i| (self.due[i], i))
                })
                .expect("some site is left");
            done[next] = true;
            order.push(next);
        }
        (order, behind)
    }

    /// Whether the reserve of `site` waits, in phase 2, for the reserves of the sites
    /// `behind` it (see `phase2_order`): when there are any and its containers and
    /// vehicles each have a next stop (or a detour) whose road neither ends at nor drives
    /// through one of them.
    fn waits_for(&self, site: usize, behind: &[usize]) -> bool {
        if behind.is_empty() || !self.has_stock(site) {
            return false;
        }
        let held = self.held(site);
        [TEU, VEH].into_iter().all(|cls| {
            held[cls] == 0
                || self.next_stop[cls][site]
                    .iter()
                    .chain(&self.detour[cls][site])
                    .any(|(_, path)| !through(path, behind))
        })
    }

    /// Phase 2's turn of `site`'s reserve: everything it holds leaves; whether anything
    /// moved.
    fn send_reserve(
        &mut self,
        site: usize,
        report: &mut dyn FnMut(&State<'_>),
    ) -> Result<bool, PlanError> {
        let mut moved = false;
        while self.has_stock(site) {
            self.advance(site, true)?;
            moved = true;
            report(self);
        }
        Ok(moved)
    }

    /// Among the quickest missions of every site with stock to move in phase 1, the one
    /// that reaches its destination's exit first (ties: lowest site index): CCRP's step.
    fn earliest_mission(&self) -> Option<Mission> {
        self.by_deadline
            .iter()
            .copied()
            .filter(|&i| self.has_free(i))
            .filter_map(|i| {
                let free = self.free_total(i);
                self.best_mission(i, &free, self.earliest_lot(i), false)
                    .map(|m| (m.est_final, i, m))
            })
            .min_by_key(|&(t, i, _)| (t, i))
            .map(|(_, _, m)| m)
    }

    /// Schedule one mission out of `site`, or abandon what cannot move.
    fn advance(&mut self, site: usize, phase2: bool) -> Result<(), PlanError> {
        if phase2 {
            // The reserve's turn has come: everything left may move now.
            self.reserve[site].iter_mut().for_each(|r| *r = 0);
        }
        let free = self.free_total(site);
        let mut t_min = self.earliest_lot(site);
        if phase2 {
            let sd = self.s.site(SiteId(site as u32));
            if let Some(p) = self.last_cargo[site] {
                t_min = t_min.max(p);
            }
            if let Some(p) = self.last_landing[site] {
                t_min = t_min.max(p.plus(1));
            }
            for dep in &sd.after {
                if let Some(p) = self.closure[dep.idx()] {
                    t_min = t_min.max(p);
                }
            }
        }
        let mut best = self.best_mission(site, &free, t_min, phase2);
        if best.is_none() && !self.avoid.is_empty() {
            // Stock with no way out but through the sites to avoid still goes that way,
            // rather than being abandoned or reported stuck.
            let avoid = std::mem::take(&mut self.avoid);
            best = self.best_mission(site, &free, t_min, phase2);
            self.avoid = avoid;
        }
        match best {
            Some(m) => {
                self.commit(m);
                Ok(())
            }
            // What cannot move now may move with the reserve in phase 2, when every vehicle
            // of the site can carry it; only then is it abandoned or reported.
            None if !phase2 => {
                for (r, f) in self.reserve[site].iter_mut().zip(&free) {
                    *r += f;
                }
                Ok(())
            }
            None => self.abandon_or_fail(site, &free, t_min),
        }
    }

    fn abandon_or_fail(
        &mut self,
        site: usize,
        free: &[u32],
        t_min: Period,
    ) -> Result<(), PlanError> {
        let s = self.s;
        let sd = s.site(SiteId(site as u32));
        let people: u32 = free[P0..].iter().sum();
        if people > 0 || !s.abandon.allowed {
            let what = if people > 0 {
                format!("{people} personnel")
            } else {
                format!("{} TEU and {} vehicles", free[TEU], free[VEH])
            };
            return Err(PlanError::Stuck {
                site: sd.id.clone(),
                what,
                detail: format!(
                    "no road or air mission fits from {} on",
                    s.horizon.date(t_min)
                ),
            });
        }
        // Abandon the cargo where it stands, as late as the deadline allows.
        let latest_lot = self.lots[site]
            .iter()
            .map(|l| l.from)
            .max()
            .unwrap_or(t_min);
        let p = sd
            .close_by
            .unwrap_or(s.horizon.last())
            .max(t_min)
            .max(latest_lot)
            .min(s.horizon.last());
        let (teu, veh) = (free[TEU], free[VEH]);
        self.take(
            site,
            &{
                let mut q = vec![0; self.ncls];
                q[TEU] = teu;
                q[VEH] = veh;
                q
            },
            s.horizon.last(),
        );
        self.plan.abandoned.push(Abandonment {
            site: SiteId(site as u32),
            period: p,
            teu,
            vehicles: veh,
        });
        bump(&mut self.last_cargo[site], p);
        bump(&mut self.closure[site], p);
        Ok(())
    }

    /// Amount of each class that may depart `site` in period `t`: what has arrived by `t`
    /// and is still unscheduled, less the reserve. Subtracting the reserve from the stock
    /// present *by `t`* (not from the total) keeps the rear guard in place at every period
    /// from `t` on, whatever order missions are scheduled in.
    fn available_at(&self, site: usize, t: Period) -> Vec<u32> {
        // The lots are in order of arrival: those present by `t` are a prefix, whose
        // totals are kept in `arrived`.
        let k = self.lots[site].partition_point(|l| l.from <= t);
        if k == 0 {
            return vec![0u32; self.ncls];
        }
        let ncls = self.ncls;
        self.arrived[site][(k - 1) * ncls..k * ncls]
            .iter()
            .zip(&self.reserve[site])
            .map(|(a, r)| a.saturating_sub(*r))
            .collect()
    }

    /// Whether `available_at(site, t)` holds some class that `carry` allows (containers
    /// only with `teu`), without building the amounts.
    fn has_available(&self, site: usize, t: Period, carry: &[bool], teu: bool) -> bool {
        let k = self.lots[site].partition_point(|l| l.from <= t);
        if k == 0 {
            return false;
        }
        let ncls = self.ncls;
        let arrived = &self.arrived[site][(k - 1) * ncls..k * ncls];
        let reserve = &self.reserve[site];
        (0..ncls).any(|c| carry[c] && (c != TEU || teu) && arrived[c] > reserve[c])
    }

    /// Whether a flight leaving `site` in `t` with `load` leaves an open camp (`V032`: no
    /// later than its closure, the period its last stock leaves): whether the site surely
    /// ends period `t - 1` holding stock, so that its closure is `t` or later whatever else
    /// the plan does. Its own stock cannot leave before its `not_before`; and stock that
    /// arrived before `t` is taken first (`take`), so a load with an item of a class
    /// present then holds that item overnight. Otherwise the load is stock that arrived in
    /// `t` itself, which could be flying out of a camp that has already closed.
    fn held_overnight(&self, site: usize, t: Period, load: &[u32]) -> bool {
        let sd = &self.s.sites[site];
        if t <= sd.not_before && !sd.initial.is_empty() {
            return true;
        }
        let k = self.lots[site].partition_point(|l| l.from < t);
        if k == 0 {
            return false;
        }
        let ncls = self.ncls;
        let before = &self.arrived[site][(k - 1) * ncls..k * ncls];
        load.iter().zip(before).any(|(&q, &b)| q > 0 && b > 0)
    }

    /// In phase 2, personnel may leave a site that still holds cargo only down to its rear
    /// guard: unless `load` takes the last containers and vehicles, trim its personnel.
    fn trim_rear_guard(&self, site: usize, t: Period, load: &mut [u32]) {
        let sd = &self.s.sites[site];
        let rg = sd.rear_guard.min(sd.initial.people());
        let cargo_left: u32 = self.lots[site]
            .iter()
            .map(|l| l.qty[TEU] + l.qty[VEH])
            .sum();
        if rg == 0 || load[TEU] + load[VEH] >= cargo_left {
            return;
        }
        let present: u32 = self.lots[site]
            .iter()
            .filter(|l| l.from <= t)
            .map(|l| l.qty[P0..].iter().sum::<u32>())
            .sum();
        let mut room = present.saturating_sub(rg);
        for x in load[P0..].iter_mut() {
            *x = (*x).min(room);
            room -= *x;
        }
    }

    /// Remove `qty` from the lots of `site` available by `t`, earliest lots first.
    fn take(&mut self, site: usize, qty: &[u32], t: Period) {
        let mut need = qty.to_vec();
        let mut lots: Vec<&mut Lot> = self.lots[site].iter_mut().filter(|l| l.from <= t).collect();
        lots.sort_by_key(|l| l.from);
        for l in lots {
            for (n, q) in need.iter_mut().zip(l.qty.iter_mut()) {
                let x = (*n).min(*q);
                *n -= x;
                *q -= x;
            }
        }
        debug_assert!(need.iter().all(|&x| x == 0), "took more than available");
        self.lots[site].retain(|l| l.qty.iter().any(|&x| x > 0));
        self.count_arrived(site);
    }

    fn best_mission(
        &self,
        site: usize,
        free: &[u32],
        t_min: Period,
        phase2: bool,
    ) -> Option<Mission> {
        let s = self.s;
        let a = SiteId(site as u32);
        // Destinations for road missions: the next stops of the classes present, each with
        // its path (classes may reach the same stop by different roads), and their
        // detours (`State::detour`), marked.
        let mut dests: Vec<(SiteId, &Path)> = Vec::new();
        // (0: a next stop; 1: a container's detour, 2: another class's; the lowest wins)
        let mut detours: Vec<u8> = Vec::new();
        for (cls, &f) in free.iter().enumerate() {
            if f > 0 {
                let around = &self.detour[cls][site];
                let tier = if cls == TEU { 1 } else { 2 };
                let stops = self.next_stop[cls][site].iter().map(|x| (x, 0));
                for ((d, p), detour) in stops.chain(around.iter().map(|x| (x, tier))) {
                    if through(p, &self.avoid) {
                        continue;
                    }
                    match dests.iter().position(|&(x, q)| x == *d && q == p) {
                        Some(k) => detours[k] = detours[k].min(detour),
                        None => {
                            dests.push((*d, p));
                            detours.push(detour);
                        }
                    }
                }
            }
        }
        let mut order: Vec<usize> = (0..dests.len()).collect();
        order.sort_by_key(|&k| dests[k].0);
        let (dests, detours): (Vec<(SiteId, &Path)>, Vec<u8>) =
            order.into_iter().map(|k| (dests[k], detours[k])).unzip();
        let homes = |kind: &dyn Fn(FleetKind) -> bool| -> Vec<Option<SiteId>> {
            let mut h: Vec<Option<SiteId>> = s
                .fleets
                .iter()
                .filter(|f| kind(f.kind))
                .map(|f| Some(f.home))
                .collect();
            h.sort();
            h.dedup();
            h
        };
        let vhomes = {
            let mut v = homes(&|k| k != FleetKind::Escort);
            v.insert(0, None);
            v
        };
        let ehomes = {
            let mut v = homes(&|k| k == FleetKind::Escort);
            v.insert(0, None);
            v
        };
        // Teams come from the `team_homes` nearest homes: vehicles from those nearest the
        // origin, escorts from those nearest the vehicles' home (or the origin). Farther
        // homes could only start later, and on scenarios with dozens of homes trying every
        // pair of them for every mission dominates the planning time. "No group" stays an
        // option, and the enumeration order (by home id) is kept.
        let nearest = |list: &[Option<SiteId>], to: SiteId, k: usize| -> Vec<Option<SiteId>> {
            let mut near: Vec<(u32, SiteId)> = list
                .iter()
                .flatten()
                .filter_map(|&x| self.g.dist(x, to).map(|d| (d, x)))
                .collect();
            near.sort();
            near.truncate(k);
            list.iter()
                .copied()
                .filter(|x| x.is_none_or(|x| near.iter().any(|&(_, y)| y == x)))
                .collect()
        };
        // Homes beyond the `team_homes` nearest are a fallback, searched like the detours
        // (below): idle trucks of a farther hub serve a site that would otherwise be late,
        // while a site that can keep its due period is not served from far (the drive
        // costs exposure).
        let near_v = nearest(&vhomes, a, self.cfg.team_homes);
        let vhomes = nearest(&vhomes, a, self.cfg.fallback_homes.max(self.cfg.team_homes));
        let ehomes: Vec<Vec<Option<SiteId>>> = vhomes
            .iter()
            .map(|h| nearest(&ehomes, h.unwrap_or(a), self.cfg.team_homes))
            .collect();
        // Every candidate search gets a lower bound on the `est_final` it can reach: its
        // departure is no earlier than `t_min` nor than the team's drive from home (from the
        // present), and the stock still has the route to drive; searches run in order of
        // that bound, so the quickest candidates are known early (see below).
        let floor = self.floor.0;
        // (lower bound on `est_final`, on the departure, enumeration index, search)
        let mut jobs: Vec<(u32, u32, usize, Job)> = Vec::new();
        // Per destination: periods of the route and to an exit beyond it, and the classes
        // it takes.
        let mut route: Vec<u32> = Vec::new();
        let mut carries: Vec<Vec<bool>> = Vec::with_capacity(dests.len());
        for (di, &(d, path)) in dests.iter().enumerate() {
            let len: u32 = path.iter().map(|l| l.periods).sum();
            carries.push(self.classes_to(site, d, path, detours[di] == 2));
            let carry = &carries[di];
            let tail = if s.site(d).exit.is_some() {
                0
            } else {
                (0..self.ncls)
                    .filter(|&c| carry[c] && free[c] > 0)
                    .map(|c| self.to_exit[c][d.idx()])
                    .min()
                    .unwrap_or(0)
            };
            route.push(len.saturating_add(tail));
            for (&h, ehomes) in vhomes.iter().zip(&ehomes) {
                let t_ha = match h {
                    Some(h) => match self.g.dist(h, a) {
                        Some(x) => x,
                        None => continue,
                    },
                    None => 0,
                };
                for &e in ehomes {
                    let t_e = match (h, e) {
                        (Some(h), Some(e)) => self.g.dist(e, h),
                        (None, Some(e)) => self.g.dist(e, a),
                        _ => Some(0),
                    };
                    let Some(t_e) = t_e else { continue };
                    let depart = t_min.0.max(floor.saturating_add(t_ha).saturating_add(t_e));
                    let lb = depart.saturating_add(len).saturating_add(tail);
                    jobs.push((lb, depart, jobs.len(), Job::Road(di, h, e)));
                }
            }
        }
        if s.site(a).airfield.is_some() {
            for (ti, ac) in s.aircraft.iter().enumerate() {
                for (xi, x) in s.sites.iter().enumerate() {
                    // Straight to an exit, or (containers, in phase 1) a hop to an airfield
                    // nearer the exits, which spares the most dangerous roads.
                    let hop = x.exit.is_none() && !phase2 && free[TEU] > 0;
                    if (x.exit.is_some() || hop) && x.airfield.is_some() && xi != site {
                        let (ty, xs) = (AircraftId(ti as u32), SiteId(xi as u32));
                        let start = t_min.0.max(ac.available.from.0).max(floor);
                        let lb = start.saturating_add(self.flight_periods(ty, a, xs));
                        jobs.push((lb, start, jobs.len(), Job::Air(ty, xs)));
                    }
                }
            }
        }
        // `choose` takes the quickest candidate's pace (plus `tolerance`) or any candidate
        // leaving by `safe_until`: a search that can do neither is skipped, and a road
        // search stops at the last departure that could still do one of them. Candidates
        // are then handed to `choose` in enumeration order, as a full scan would.
        jobs.sort_by_key(|&(lb, _, i, _)| (lb, i));
        // No departure is "well before" a deadline nearer than the margin.
        let safe_until = self.due[site].checked_sub(self.cfg.margin);
        let mut fastest: Option<u32> = None;
        let mut cands: Vec<(usize, Mission)> = Vec::new();
        // Searches by tier: the next stops with the nearest teams, then containers'
        // detours and farther teams, then the other classes' detours.
        let tier = |job: &Job| match *job {
            Job::Road(di, h, _) => detours[di].max(u8::from(!near_v.contains(&h))),
            Job::Air(..) => 0,
        };
        let (rescue, jobs): (Vec<_>, Vec<_>) = jobs.into_iter().partition(|j| tier(&j.3) == 2);
        let (around, jobs): (Vec<_>, Vec<_>) = jobs.into_iter().partition(|j| tier(&j.3) == 1);
        // A capped site's road missions carry no more containers than its cap leaves
        // (`Config::drive_caps`); when no candidate leaves by the due period, the road
        // missions (detours too) are searched again without the cap, so that a cap holds
        // containers back only while an aircraft can still take them in time.
        let capped = !phase2 && self.drive_left[site] < free[TEU];
        let uncapped: Vec<_> = if capped {
            jobs.iter()
                .chain(&around)
                .filter(|j| matches!(j.3, Job::Road(..)))
                .copied()
                .collect()
        } else {
            Vec::new()
        };
        let mut search =
            |jobs: Vec<(u32, u32, usize, Job)>, cands: &mut Vec<(usize, Mission)>, capped: bool| {
                for (lb, dep, i, job) in jobs {
                    let limit = fastest.map(|f| f.saturating_add(self.cfg.tolerance));
                    if limit.is_some_and(|l| lb > l) && safe_until.is_none_or(|u| dep > u) {
                        continue;
                    }
                    let m = match job {
                        Job::Road(di, h, e) => {
                            let latest = limit.map_or(u32::MAX, |l| {
                                l.saturating_sub(route[di]).max(safe_until.unwrap_or(0))
                            });
                            let (d, path) = dests[di];
                            let carry = &carries[di];
                            self.search_road(
                                a, d, path, h, e, free, carry, t_min, latest, phase2, capped,
                            )
                        }
                        Job::Air(ty, x) => self.search_air(a, x, ty, free, t_min, phase2),
                    };
                    let Some(m) = m else { continue };
                    fastest = Some(fastest.map_or(m.est_final, |f| f.min(m.est_final)));
                    cands.push((i, m));
                }
            };
        search(jobs, &mut cands, capped);
        // Detours drive farther (around bases with a handling limit, or on to a farther
        // exit), and so do teams from farther homes, so they are searched only when the
        // routes meant for the stock and the nearest teams leave nothing by its due
        // period: when a base or an exit on them is saturated (see `State::detour`), or
        // the nearest fleets are busy.
        if !cands.iter().any(|(_, m)| m.depart.0 <= self.due[site]) {
            search(around, &mut cands, capped);
        }
        if capped && !cands.iter().any(|(_, m)| m.depart.0 <= self.due[site]) {
            search(uncapped, &mut cands, false);
        }
        // The other classes' detours avoid the roads that may be full or shut; vehicles
        // and personnel gain little from them while those roads are open, so they are a last
        // resort: in phase 2, when nothing leaves at all (in phase 1 such stock waits
        // for phase 2, with the reserve).
        if cands.is_empty() && phase2 {
            search(rescue, &mut cands, false);
        }
        cands.sort_by_key(|(i, _)| *i);
        self.choose(site, cands.into_iter().map(|(_, m)| m).collect())
    }

    /// The candidate to commit. The quickest (earliest estimated completion, then most
    /// moved) sets the pace; any candidate that finishes within `tolerance` of it, or that
    /// leaves early enough to keep well clear of the site's deadline, may be taken instead
    /// when it moves its load at a lower exposure per item: what it drives itself plus
    /// what its load still has to drive from where it leaves it (a flight: the container
    /// capacity of its sorties), against what that load would cost from here.
    fn choose(&self, site: usize, cands: Vec<Mission>) -> Option<Mission> {
        let quickest = |m: &Mission| {
            let moved: u64 = m.load.iter().map(|&x| u64::from(x)).sum();
            (m.est_final, std::cmp::Reverse(moved), m.air.is_none())
        };
        if self.cfg.ccrp {
            return cands.into_iter().min_by_key(|m| quickest(m));
        }
        let fastest = cands.iter().min_by_key(|m| quickest(m))?;
        let limit = fastest.est_final + self.cfg.tolerance;
        let safe_until = self.due[site].checked_sub(self.cfg.margin);
        let ok = |m: &Mission| m.est_final <= limit || safe_until.is_some_and(|u| m.depart.0 <= u);
        let ratio = |m: &Mission| {
            let base: f64 = (0..self.ncls)
                .map(|c| f64::from(m.load[c]) * self.unit_cost[c][site])
                .sum();
            let rest: f64 = if self.s.site(m.dest).exit.is_some() {
                0.0
            } else {
                (0..self.ncls)
                    .map(|c| f64::from(m.load[c]) * self.unit_cost[c][m.dest.idx()])
                    .sum()
            };
            let moved: f64 = m.load.iter().map(|&x| f64::from(x)).sum();
            // Per item moved, so that fuller teams win; the base keeps the figure relative
            // to how far the load had to go. An air mission also counts the container
            // capacity of its sorties (one per TEU of payload): it exposes no one, so
            // among flights this is what decides, and sorties that could carry containers
            // are the scarcest (MINUSMA's C-130s are full from August to December), so
            // personnel take the aircraft that cannot, and fuller sorties win.
            let air = m.air.map_or(0.0, |(ty, n)| {
                f64::from(n) * f64::from(self.s.aircraft[ty.idx()].payload_teu)
            });
            (self.exposure(m) + rest + air + 1.0) / (base + moved)
        };
        cands.into_iter().filter(|m| ok(m)).min_by(|x, y| {
            ratio(x)
                .total_cmp(&ratio(y))
                .then_with(|| quickest(x).cmp(&quickest(y)))
        })
    }

    /// Hazard-weighted vehicle-km the mission drives (fleet units and stock vehicles).
    fn exposure(&self, m: &Mission) -> f64 {
        let nveh: u32 = m.vehicles.iter().map(|&(_, n)| n).sum();
        let nesc: u32 = m.escorts.iter().map(|&(_, n)| n).sum();
        m.legs
            .iter()
            .map(|tl| {
                let r = &self.s.roads[tl.leg.road.idx()];
                let n = u32::from(tl.vehicles) * nveh
                    + u32::from(tl.escorts) * nesc
                    + u32::from(tl.stock) * m.load[VEH];
                f64::from(n) * r.km * f64::from(r.hazard)
            })
            .sum()
    }

    /// Classes that a road mission from `site` to `d` along `path` may carry: along their
    /// next stops, containers' detours, and with `rescue` the other classes' detours too.
    fn classes_to(&self, site: usize, d: SiteId, path: &Path, rescue: bool) -> Vec<bool> {
        (0..self.ncls)
            .map(|cls| {
                let detours = if cls == TEU || rescue {
                    &self.detour[cls][site][..]
                } else {
                    &[]
                };
                self.next_stop[cls][site]
                    .iter()
                    .chain(detours)
                    .any(|(x, p)| *x == d && p == path)
            })
            .collect()
    }

    /// Units of fleets at `home` matching `kind` that are idle during `[from, to)` and whose
    /// availability covers it, as (fleet, how many); with `all`, every unit of those fleets.
    fn idle_units(
        &self,
        home: SiteId,
        kind: &dyn Fn(FleetKind) -> bool,
        from: Period,
        to: Period,
        all: bool,
    ) -> Vec<(FleetId, u32)> {
        let mut out = Vec::new();
        for &fi in &self.home_fleets[home.idx()] {
            if !kind(self.s.fleets[fi].kind) {
                continue;
            }
            let idle = self.idle_of(fi, from, to, all);
            if idle > 0 {
                out.push((FleetId(fi as u32), idle));
            }
        }
        out
    }

    /// Units of fleet `fi` idle during `[from, to)` (with `all`, every unit), or 0 when
    /// its availability does not cover that window.
    fn idle_of(&self, fi: usize, from: Period, to: Period, all: bool) -> u32 {
        let f = &self.s.fleets[fi];
        if from < f.available.from || to.0 == 0 || Period(to.0 - 1) > f.available.until {
            return 0;
        }
        let away = if all {
            0
        } else {
            self.busy.max(fi, from.0, to.0)
        };
        f.count.saturating_sub(away)
    }

    /// Whether some fleet at `home` (escorts, or the others) has a unit idle during
    /// `[from, to)`: `idle_units` is not empty.
    fn any_idle(&self, home: SiteId, escorts: bool, from: Period, to: Period) -> bool {
        self.home_fleets[home.idx()].iter().any(|&fi| {
            (self.s.fleets[fi].kind == FleetKind::Escort) == escorts
                && self.idle_of(fi, from, to, false) > 0
        })
    }

    /// The timing of a road mission relative to its departure (see [`Shape`]), or `None`
    /// when no departure can time it (`try_road` would refuse every one).
    fn shape(
        &self,
        a: SiteId,
        path: &[Leg],
        p_ha: Option<&[Leg]>,
        p_dh: Option<&[Leg]>,
        h: Option<SiteId>,
        e: Option<SiteId>,
    ) -> Option<Shape> {
        let s = self.s;
        let sum = |p: &[Leg]| p.iter().map(|l| i64::from(l.periods)).sum::<i64>();
        let (p_ha, p_dh) = (p_ha.unwrap_or(&[]), p_dh.unwrap_or(&[]));
        // As `try_road` times them: the group leaves home `ha` before the departure and is
        // home `back` after it (without a group, `back` is the stock's arrival).
        let ha = sum(p_ha);
        let back = sum(path) + sum(p_dh);
        let (mut start, mut end) = (-ha, back);
        let esc = match e {
            Some(e) => {
                // The escorts' drives, as `try_road` finds them: to where the first leg
                // they cover begins and from where the last one ends.
                let g = if self.quick[a.idx()] {
                    &self.gq
                } else {
                    &self.g
                };
                let mut at = -ha;
                let legs: Vec<(Leg, i64)> = p_ha
                    .iter()
                    .chain(path)
                    .chain(p_dh)
                    .map(|l| {
                        let x = (*l, at);
                        at += i64::from(l.periods);
                        x
                    })
                    .collect();
                // A team of stock vehicles alone has no drive home to cover, so with
                // `escorts_leave_stock` its escorts ride only its escorted roads.
                let join = self.cfg.escorts_join || (h.is_none() && self.cfg.escorts_leave_stock);
                let needs = |(l, _): &(Leg, i64)| !join || s.roads[l.road.idx()].escort;
                let i0 = legs.iter().position(needs)?;
                let i1 = legs.iter().rposition(needs)?;
                let ((first, t_x), (last, t_y)) = (legs[i0], legs[i1]);
                let p_ex = g.path(e, first.from)?;
                let p_ye = g.path(last.to, e)?;
                start = t_x - sum(&p_ex);
                // The escorts are busy until they are home, the trip until everyone is.
                let home = t_y + i64::from(last.periods) + sum(&p_ye);
                end = end.max(home);
                Some((e, start, home, p_ex, p_ye, (i0, i1)))
            }
            None => None,
        };
        // Departures whose drives start before period 0 or the present, or whose trip
        // ends beyond the horizon, are refused.
        let floor = i64::from(self.floor.0);
        let first = floor.max(floor + ha).max(floor - start);
        let last = (self.t as i64 - end).max(0);
        Some(Shape {
            first: u32::try_from(first).unwrap_or(u32::MAX),
            last: u32::try_from(last).unwrap_or(u32::MAX),
            veh: h.map(|h| (h, ha, back)),
            esc: esc.map(|(e, start, home, p_ex, p_ye, span)| Escorts {
                home: e,
                from: start,
                to: home,
                p_ex,
                p_ye,
                span,
            }),
        })
    }

    /// Whether a departure in `t` may fit at all: the loaded legs have room, there is
    /// stock to carry, and the team's fleets have units at home for its windows. A
    /// departure that fails this is one that `try_road` refuses, found without timing the
    /// mission (most departures of a search, once fleets and roads are booked for weeks).
    fn may_fit(&self, shape: &Shape, a: SiteId, path: &[Leg], carry: &[bool], t: u32) -> bool {
        let at = |off: i64| Period((i64::from(t) + off) as u32);
        // A loaded leg without room for one more vehicle leaves `fit` nothing to move (what
        // moves needs a truck or drives itself), the most common refusal when a road with
        // a capacity limit is booked for weeks.
        let mut clock = t;
        let room = path.iter().all(|l| {
            let depart = Period(clock);
            clock += l.periods;
            self.room(l, depart) > 0
        });
        room && self.has_available(a.idx(), Period(t), carry, shape.veh.is_some())
            && shape
                .veh
                .is_none_or(|(h, ha, back)| self.any_idle(h, false, at(-ha), at(back)))
            && shape
                .esc
                .as_ref()
                .is_none_or(|x| self.any_idle(x.home, true, at(x.from), at(x.to)))
    }

    /// Vehicles that may still set off on `leg` in `depart`: the road's capacity left in
    /// that direction, and its largest convoy.
    fn room(&self, leg: &Leg, depart: Period) -> u32 {
        let r = &self.s.roads[leg.road.idx()];
        let dir = usize::from(leg.from != r.a);
        let left = self
            .road_cal
            .left(leg.road.idx() * 2 + dir, depart, r.vehicles_per_period);
        left.min(r.max_convoy.unwrap_or(u32::MAX))
    }

    /// The stock a road mission from `a` to `d` along `path` leaving in `t_d` may take, by
    /// class: what is available and carried (containers only with a vehicle group), cut
    /// to the handling left where the loaded legs leave and to the exit's intake on
    /// arrival; `None` when that is nothing.
    fn want_at(
        &self,
        a: SiteId,
        d: SiteId,
        path: &[Leg],
        carry: &[bool],
        has_h: bool,
        t_d: Period,
    ) -> Option<Vec<u32>> {
        let s = self.s;
        let mut want = self.available_at(a.idx(), t_d);
        for (w, &c) in want.iter_mut().zip(carry) {
            if !c {
                *w = 0;
            }
        }
        if !has_h {
            want[TEU] = 0;
        }
        let mut teu_cap = u32::MAX;
        let mut clock = t_d.0;
        for l in path {
            let lim = s.site(l.from).handling_teu_per_period;
            teu_cap = teu_cap.min(self.handling.left(l.from.idx(), Period(clock), lim));
            clock += l.periods;
        }
        want[TEU] = want[TEU].min(teu_cap);
        if let Some(x) = &s.site(d).exit {
            let p = Period(clock);
            want[TEU] = want[TEU].min(self.exit_cal.left(d.idx() * 3, p, x.teu_per_period));
            want[VEH] = want[VEH].min(self.exit_cal.left(
                d.idx() * 3 + 1,
                p,
                x.vehicles_per_period,
            ));
            let mut pl = self
                .exit_cal
                .left(d.idx() * 3 + 2, p, x.personnel_per_period);
            for w in want[P0..].iter_mut() {
                *w = (*w).min(pl);
                pl -= *w;
            }
        }
        want.iter().any(|&x| x > 0).then_some(want)
    }

    #[allow(clippy::too_many_arguments)]
    fn search_road(
        &self,
        a: SiteId,
        d: SiteId,
        path: &Path,
        h: Option<SiteId>,
        e: Option<SiteId>,
        free: &[u32],
        carry: &[bool],
        t_min: Period,
        latest: u32,
        phase2: bool,
        capped: bool,
    ) -> Option<Mission> {
        let s = self.s;
        let site = a.idx();
        let need_cargo = (free[TEU] > 0 && carry[TEU]) as u32;
        // A vehicle group is needed only for containers or for seats; skip pointless combos.
        let people: u32 = (P0..self.ncls).filter(|&c| carry[c]).map(|c| free[c]).sum();
        if h.is_none() && need_cargo > 0 && free[VEH] == 0 && people == 0 {
            return None;
        }
        if h.is_some() && need_cargo == 0 && people == 0 {
            return None;
        }
        // The team drives the quickest roads from a racing site, unless its stock takes the
        // safest road (offered by `both_roads`): then the team's approach and return are
        // not worth their exposure either.
        let safe_stock = (self.cfg.both_roads || self.cfg.both_roads_except_containers)
            && self.g.path(a, d).as_ref() == Some(path);
        let g = if self.quick[site] && !safe_stock {
            &self.gq
        } else {
            &self.g
        };
        let p_ha = match h {
            Some(h) => Some(g.path(h, a)?),
            None => None,
        };
        // An empty team gains only its own turnaround from the quickest roads home, and
        // pays their exposure in full (`safe_returns`).
        let g_back = if self.cfg.safe_returns { &self.g } else { g };
        let p_dh = match h {
            Some(h) => Some(g_back.path(d, h)?),
            None => None,
        };
        let escort_needed = path.iter().any(|l| s.roads[l.road.idx()].escort)
            || p_ha
                .iter()
                .chain(p_dh.iter())
                .flatten()
                .any(|l| s.roads[l.road.idx()].escort);
        if escort_needed != e.is_some() {
            return None;
        }
        let shape = self.shape(a, path, p_ha.as_deref(), p_dh.as_deref(), h, e)?;
        let mut best_partial: Option<Mission> = None;
        // Departures outside `shape`'s range cannot fit (`try_road` would refuse them), so
        // they are not tried; nor are those where the team's units are all away.
        let last = shape.last;
        let mut t = t_min.0.max(shape.first);
        while t < last {
            // Departing after `latest` cannot beat the caller's best mission: with nothing
            // found so far, nothing this search finds can be chosen.
            if t > latest && best_partial.is_none() {
                return None;
            }
            let want = if self.may_fit(&shape, a, path, carry, t) {
                self.want_at(a, d, path, carry, h.is_some(), Period(t))
                    .and_then(|mut w| {
                        if capped {
                            w[TEU] = w[TEU].min(self.drive_left[a.idx()]);
                        }
                        w.iter().any(|&x| x > 0).then_some(w)
                    })
            } else {
                None
            };
            let tried = want.and_then(|want| {
                self.try_road(
                    a,
                    d,
                    path,
                    p_ha.as_deref(),
                    p_dh.as_deref(),
                    h,
                    e,
                    shape.esc.as_ref(),
                    want,
                    Period(t),
                    phase2,
                )
            });
            if let Some((m, fill)) = tried {
                if fill + 1e-9 >= self.cfg.min_fill {
                    return Some(m);
                }
                let moved: u32 = m.load.iter().sum();
                let better = best_partial
                    .as_ref()
                    .is_none_or(|b| moved > b.load.iter().sum());
                if better {
                    best_partial = Some(m);
                }
            }
            // Do not wait for a fuller team for ever: a month is plenty.
            if best_partial.as_ref().is_some_and(|b| t >= b.depart.0 + 30) {
                break;
            }
            t += 1;
        }
        best_partial
    }

    #[allow(clippy::too_many_arguments)]
    fn try_road(
        &self,
        a: SiteId,
        d: SiteId,
        path: &Path,
        p_ha: Option<&[Leg]>,
        p_dh: Option<&[Leg]>,
        h: Option<SiteId>,
        e: Option<SiteId>,
        escorts: Option<&Escorts>,
        want: Vec<u32>,
        t_d: Period,
        phase2: bool,
    ) -> Option<(Mission, f64)> {
        let s = self.s;
        let sum = |p: &[Leg]| p.iter().map(|l| l.periods).sum::<u32>();
        let (p_ha, p_dh) = (p_ha.unwrap_or(&[]), p_dh.unwrap_or(&[]));
        let has_e = e.is_some();
        let has_h = h.is_some();
        // The caller has passed over departures that cannot fit (`may_fit`) and worked out
        // `want`, the stock the mission may take (`want_at`): most departures a search
        // tries fail for want of stock or room, found there without timing the mission.
        // The team's legs: the vehicle group drives H -> A, the loaded leg(s) A -> D (stock
        // vehicles drive them too), and D -> H.
        let t_h = t_d.0.checked_sub(sum(p_ha))?;
        // Room for the escorts' drives to and from the team too (a few legs as a rule), so
        // that adding them does not move the legs again.
        let mut legs: Vec<TLeg> = Vec::with_capacity(p_ha.len() + path.len() + p_dh.len() + 8);
        let mut clock = t_h;
        let push = |legs: &mut Vec<TLeg>, p: &[Leg], v: bool, st: bool, clock: &mut u32| {
            for l in p {
                legs.push(TLeg {
                    leg: *l,
                    depart: Period(*clock),
                    vehicles: v,
                    escorts: false,
                    stock: st,
                });
                *clock += l.periods;
            }
        };
        push(&mut legs, p_ha, true, false, &mut clock);
        clock = t_d.0;
        push(&mut legs, path, has_h, true, &mut clock);
        let t_arr = clock;
        push(&mut legs, p_dh, true, false, &mut clock);
        let veh_back = if has_h { clock } else { t_arr };
        // Escorts drive alone from their home E to where they join the team and back from
        // where they leave it. They join at the team's first escorted road and leave after
        // its last (`escorts_join`, and `escorts_leave_stock` for stock vehicles alone), or
        // ride the whole round trip from H. Their window ends when they are home, which
        // for escorts that leave the team early comes before the team is home or its stock
        // has arrived; the trip ends when all of them are.
        let (t_e0, e_end, end) = match e {
            Some(_) => {
                // The legs the escorts ride and their drives from home to the first of them
                // and from the last one home, found once per search (`Shape`).
                let x = escorts?;
                let (i0, i1) = x.span;
                let (p_ex, p_ye) = (&x.p_ex[..], &x.p_ye[..]);
                let t_x = legs[i0].depart.0;
                let t_y = legs[i1].depart.0 + legs[i1].leg.periods;
                let t_e0 = t_x.checked_sub(sum(p_ex))?;
                for tl in &mut legs[i0..=i1] {
                    tl.escorts = true;
                }
                let alone = |p: &[Leg], from: u32| -> Vec<TLeg> {
                    let mut c = from;
                    p.iter()
                        .map(|l| {
                            let tl = TLeg {
                                leg: *l,
                                depart: Period(c),
                                vehicles: false,
                                escorts: true,
                                stock: false,
                            };
                            c += l.periods;
                            tl
                        })
                        .collect()
                };
                let back = alone(p_ye, t_y);
                let e_back = t_y + sum(p_ye);
                legs.splice(0..0, alone(p_ex, t_e0));
                legs.extend(back);
                (t_e0, e_back, veh_back.max(e_back))
            }
            None => (t_h, veh_back, veh_back),
        };
        // Nothing new may have set off before the present.
        if t_e0.min(t_h) < self.floor.0 || t_d < self.floor {
            return None;
        }
        if end as usize >= self.t || t_arr as usize >= self.t {
            return None;
        }
        // Closures and restrictions on every leg.
        if legs.iter().any(|tl| self.leg_blocked(&tl.leg, tl.depart)) {
            return None;
        }
        // Convoy size limits per leg, by group.
        let cap = |tl: &TLeg| self.room(&tl.leg, tl.depart);
        let cap_loaded = legs
            .iter()
            .filter(|l| l.stock)
            .map(cap)
            .min()
            .unwrap_or(u32::MAX);
        let cap_team = legs
            .iter()
            .filter(|l| l.vehicles && !l.stock)
            .map(cap)
            .min()
            .unwrap_or(u32::MAX);
        let cap_esc = legs
            .iter()
            .filter(|l| l.escorts && !l.vehicles && !l.stock)
            .map(cap)
            .min()
            .unwrap_or(u32::MAX);

        // Units idle over their windows.
        let vwin = (Period(t_h), Period(veh_back));
        let ewin = (Period(t_e0), Period(e_end));
        let not_esc = |k: FleetKind| k != FleetKind::Escort;
        let is_esc = |k: FleetKind| k == FleetKind::Escort;
        let vunits = h.map_or(Vec::new(), |h| {
            self.idle_units(h, &not_esc, vwin.0, vwin.1, false)
        });
        let eunits = e.map_or(Vec::new(), |e| {
            self.idle_units(e, &is_esc, ewin.0, ewin.1, false)
        });
        if has_h && vunits.is_empty() || has_e && eunits.is_empty() {
            return None;
        }
        let fit = Fit {
            vunits: &vunits,
            eunits: &eunits,
            cap_loaded,
            cap_team,
            cap_esc,
            escort_loaded: legs
                .iter()
                .any(|l| l.stock && s.roads[l.leg.road.idx()].escort),
            escort_team: legs
                .iter()
                .any(|l| l.vehicles && !l.stock && s.roads[l.leg.road.idx()].escort),
        };
        let (mut load, vsel, esel) = self.fit(&fit, &want)?;
        if phase2 {
            self.trim_rear_guard(a.idx(), t_d, &mut load);
            if load.iter().all(|&x| x == 0) {
                return None;
            }
        }
        // How full is the team compared with one drawn from every unit of its fleets?
        let vall = h.map_or(Vec::new(), |h| {
            self.idle_units(h, &not_esc, vwin.0, vwin.1, true)
        });
        let eall = e.map_or(Vec::new(), |e| {
            self.idle_units(e, &is_esc, ewin.0, ewin.1, true)
        });
        let full = self
            .fit(
                &Fit {
                    vunits: &vall,
                    eunits: &eall,
                    ..fit
                },
                &want,
            )
            .map_or(1, |(l, _, _)| l.iter().sum::<u32>().max(1));
        let fill = f64::from(load.iter().sum::<u32>()) / f64::from(full);
        let est_final = t_arr.saturating_add(if s.site(d).exit.is_some() {
            0
        } else {
            self.best_to_exit(d, &load)
        });
        Some((
            Mission {
                origin: a,
                dest: d,
                depart: t_d,
                arrive: Period(t_arr),
                legs,
                vehicles: vsel,
                escorts: esel,
                veh_window: vwin,
                esc_window: ewin,
                air: None,
                load,
                est_final,
            },
            fill,
        ))
    }

    fn best_to_exit(&self, d: SiteId, load: &[u32]) -> u32 {
        (0..self.ncls)
            .filter(|&c| load[c] > 0)
            .map(|c| self.to_exit[c][d.idx()])
            .max()
            .unwrap_or(0)
    }

    /// Choose units and load for a team, the largest that fits, scaling the wanted load
    /// down until trucks, seats, escorts and convoy caps all hold.
    #[allow(clippy::type_complexity)]
    fn fit(
        &self,
        f: &Fit<'_>,
        want: &[u32],
    ) -> Option<(Vec<u32>, Vec<(FleetId, u32)>, Vec<(FleetId, u32)>)> {
        let s = self.s;
        // Trucks by capacity, largest first; units by seats, most first; escorts by cover,
        // largest first (the orders do not depend on the scale, so they are sorted once for
        // the whole search).
        let mut vorder: Vec<&(FleetId, u32)> = f.vunits.iter().collect();
        vorder.sort_by_key(|(fi, _)| {
            std::cmp::Reverse((s.fleets[fi.idx()].teu, s.fleets[fi.idx()].seats))
        });
        let mut sorder: Vec<&(FleetId, u32)> = f.vunits.iter().collect();
        sorder.sort_by_key(|(fi, _)| std::cmp::Reverse(s.fleets[fi.idx()].seats));
        let mut eorder: Vec<&(FleetId, u32)> = f.eunits.iter().collect();
        eorder.sort_by_key(|(fi, _)| std::cmp::Reverse(s.fleets[fi.idx()].cover));
        // An attempt depends on its target load only through its containers, vehicles and
        // personnel in all (the units, caps and orders are fixed for the whole search), so
        // it takes those three, fills reused buffers instead of allocating, and reports the
        // container room and seats of the units it took; the load is built once, for the
        // answer.
        let attempt = |(teu, stock_veh, people): (u32, u32, u32),
                       vsel: &mut Vec<(FleetId, u32)>,
                       esel: &mut Vec<(FleetId, u32)>|
         -> Option<(u32, u32)> {
            vsel.clear();
            esel.clear();
            // Trucks by capacity, largest first, until the containers fit; then, while the
            // seats (theirs and the stock vehicles') fall short, units by seats, most first:
            // a carrier seats as many as a score of trucks (on the generated 100-site
            // scenario, trucks taken for their two seats each once drove a camp's people out).
            let mut teu_room = 0u32;
            let mut seats = stock_veh * s.vehicle_seats;
            // Units are taken while one more is useful (each only for a fleet that has
            // what is short).
            let short = |have: u32, need: u32, per: u32| {
                if per == 0 {
                    0
                } else {
                    need.saturating_sub(have).div_ceil(per)
                }
            };
            for &&(fi, idle) in &vorder {
                let fl = &s.fleets[fi.idx()];
                let take = short(teu_room, teu, fl.teu).min(idle);
                teu_room += take * fl.teu;
                seats += take * fl.seats;
                if take > 0 {
                    vsel.push((fi, take));
                }
            }
            for &&(fi, idle) in &sorder {
                let fl = &s.fleets[fi.idx()];
                let k = vsel.iter().position(|u| u.0 == fi);
                let have = k.map_or(0, |k| vsel[k].1);
                let take = short(seats, people, fl.seats).min(idle - have);
                teu_room += take * fl.teu;
                seats += take * fl.seats;
                if take > 0 {
                    match k {
                        Some(k) => vsel[k].1 += take,
                        None => vsel.push((fi, take)),
                    }
                }
            }
            let nveh: u32 = vsel.iter().map(|&(_, n)| n).sum();
            let loaded_vehicles = nveh + stock_veh;
            let need_cover = if f.escort_loaded { loaded_vehicles } else { 0 }
                .max(if f.escort_team { nveh } else { 0 });
            let mut cover = 0;
            for &&(fi, idle) in &eorder {
                let c = s.fleets[fi.idx()].cover;
                let short = need_cover.saturating_sub(cover);
                // A fleet that covers nothing is taken whole while cover is short, as a
                // unit-by-unit fill would.
                let take = if c == 0 {
                    if short > 0 { idle } else { 0 }
                } else {
                    short.div_ceil(c).min(idle)
                };
                cover += take * c;
                if take > 0 {
                    esel.push((fi, take));
                }
            }
            if cover < need_cover {
                return None;
            }
            // Escorts are required on escort legs even with nothing to cover only when
            // vehicles drive; an escort-only group still needs at least one unit when the
            // caller asked for an escort home.
            if !f.eunits.is_empty() && esel.is_empty() {
                let &&(fi, _) = eorder.first()?;
                esel.push((fi, 1));
            }
            let nesc: u32 = esel.iter().map(|&(_, n)| n).sum();
            if loaded_vehicles + nesc > f.cap_loaded || nveh + nesc > f.cap_team || nesc > f.cap_esc
            {
                return None;
            }
            // The load is the target with containers cut to the trucks' room and personnel
            // to the seats, filled in class order; it moves something unless all of those
            // are zero.
            if teu.min(teu_room) == 0 && stock_veh == 0 && people.min(seats) == 0 {
                return None;
            }
            Some((teu_room, seats))
        };
        // An amount scaled and rounded down (a cast truncates, which is the floor of these
        // non-negative products).
        let scale_one = |w: u32, scale: f64| ((f64::from(w) * scale) as u32).min(w);
        // What an attempt at a scale depends on: containers, vehicles, personnel in all
        // (of the contingents wanted: the others scale to nothing).
        let wanted: Vec<u32> = want[P0..].iter().copied().filter(|&w| w > 0).collect();
        let key = |scale: f64| -> (u32, u32, u32) {
            let people = wanted.iter().map(|&w| scale_one(w, scale)).sum();
            (
                scale_one(want[TEU], scale),
                scale_one(want[VEH], scale),
                people,
            )
        };
        // The load at a scale: every class scaled, containers cut to the trucks' room and
        // personnel to the seats.
        let load_of = |scale: f64, (teu_room, seats): (u32, u32)| -> Vec<u32> {
            let mut load: Vec<u32> = want.iter().map(|&w| scale_one(w, scale)).collect();
            load[TEU] = load[TEU].min(teu_room);
            let mut room = seats;
            for l in load[P0..].iter_mut() {
                *l = (*l).min(room);
                room -= *l;
            }
            load
        };
        let mut vsel = Vec::with_capacity(vorder.len());
        let mut esel = Vec::with_capacity(eorder.len().max(1));
        let mut k_hi = key(1.0);
        if let Some(r) = attempt(k_hi, &mut vsel, &mut esel) {
            return Some((load_of(1.0, r), vsel, esel));
        }
        // Binary search the largest feasible scale. An attempt's outcome depends on its
        // key alone, so a mid-point whose key equals that of an end of the interval shares
        // that end's outcome and is not tried again: the upper end always failed, and the
        // lower end failed too until a first success (its key, all zeros, moves nothing).
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        let mut k_lo = (0, 0, 0);
        let mut lo_ok = false;
        for _ in 0..24 {
            // Every scale between the ends has a key between theirs, each part rounded
            // down from a product that grows with the scale: when the ends share theirs,
            // so does every mid-point left, which fails like the upper end.
            if k_lo == k_hi {
                break;
            }
            let mid = (lo + hi) / 2.0;
            let k_mid = key(mid);
            let ok = if k_mid == k_hi {
                false
            } else if k_mid == k_lo {
                lo_ok
            } else {
                attempt(k_mid, &mut vsel, &mut esel).is_some()
            };
            if ok {
                lo = mid;
                lo_ok = true;
                k_lo = k_mid;
            } else {
                hi = mid;
                k_hi = k_mid;
            }
        }
        if !lo_ok {
            return None;
        }
        let r = attempt(k_lo, &mut vsel, &mut esel)?;
        Some((load_of(lo, r), vsel, esel))
    }

    fn search_air(
        &self,
        a: SiteId,
        x: SiteId,
        ty: AircraftId,
        free: &[u32],
        t_min: Period,
        phase2: bool,
    ) -> Option<Mission> {
        let s = self.s;
        let ac = &s.aircraft[ty.idx()];
        let (fa, fx) = (s.site(a).airfield.as_ref()?, s.site(x).airfield.as_ref()?);
        if !ac.can_use(fa) || !ac.can_use(fx) {
            return None;
        }
        let exit = s.site(x).exit.as_ref();
        let mut carry = vec![false; self.ncls];
        match exit {
            Some(exit) => {
                carry[TEU] = exit.teu && ac.payload_teu > 0;
                for c in 0..s.contingents.len() {
                    carry[P0 + c] = ac.seats > 0 && exit.accepts_contingent(ContingentId(c as u32));
                }
            }
            // A hop carries containers to an airfield from which they have less road to
            // drive. The airfield may already be sending its own stock away, but it must
            // still be open: it holds stock (its reserve, so its rear guard stands until
            // the hopped containers leave, V027) or has sent nothing yet. Hops happen in
            // phase 1 only, before any reserve moves, and the containers that land are
            // sent on like the airfield's own, which pushes its closure (and so the sites
            // that must close after it) later.
            None => {
                carry[TEU] = ac.payload_teu > 0
                    && self.unit_cost[TEU][x.idx()] < self.unit_cost[TEU][a.idx()]
                    && (self.closure[x.idx()].is_none() || self.has_stock(x.idx()));
            }
        }
        if !(0..self.ncls).any(|c| carry[c] && free[c] > 0) {
            return None;
        }
        let fp = self.flight_periods(ty, a, x);
        let start = t_min.max(ac.available.from).max(self.floor);
        for t in start.0..=ac.available.until.0 {
            let td = Period(t);
            let ta = td.plus(fp);
            if ta.idx() >= self.t {
                break;
            }
            // The sorties are checked first: once they are taken, the rest of the horizon
            // is scanned here period by period.
            let n_max = self
                .sorties
                .left(ty.idx(), td, Some(ac.count * ac.sorties_per_period));
            if n_max == 0 {
                continue;
            }
            let closed = |x: SiteId, p: Period| self.air_closed[x.idx() * self.t + p.idx()];
            if closed(a, td) || closed(x, ta) {
                continue;
            }
            let n_max = n_max
                .min(self.slots.left(a.idx(), td, fa.slots_per_period))
                .min(self.slots.left(x.idx(), ta, fx.slots_per_period));
            if n_max == 0 {
                continue;
            }
            let mut want = self.available_at(a.idx(), td);
            for (w, &c) in want.iter_mut().zip(&carry) {
                if !c {
                    *w = 0;
                }
            }
            want[VEH] = 0;
            // The airfield's reserve leaves after the landing (see `advance`), by the due
            // period, so a hop lands at least a period before it.
            if exit.is_none() && ta.0 + self.cfg.hop_margin.max(1) > self.due[x.idx()] {
                break;
            }
            want[TEU] = want[TEU]
                .min(
                    self.handling
                        .left(a.idx(), td, s.site(a).handling_teu_per_period),
                )
                .min(
                    self.exit_cal
                        .left(x.idx() * 3, ta, exit.and_then(|e| e.teu_per_period)),
                )
                .min(n_max.saturating_mul(ac.payload_teu));
            let mut pl = self
                .exit_cal
                .left(
                    x.idx() * 3 + 2,
                    ta,
                    exit.and_then(|e| e.personnel_per_period),
                )
                .min(n_max.saturating_mul(ac.seats));
            for w in want[P0..].iter_mut() {
                *w = (*w).min(pl);
                pl -= *w;
            }
            if phase2 {
                self.trim_rear_guard(a.idx(), td, &mut want);
            }
            let people: u32 = want[P0..].iter().sum();
            if people == 0 && want[TEU] == 0 {
                continue;
            }
            if !self.held_overnight(a.idx(), td, &want) {
                continue;
            }
            let need = |q: u32, per: u32| if per == 0 { 0 } else { q.div_ceil(per) };
            let n = need(people, ac.seats)
                .max(need(want[TEU], ac.payload_teu))
                .max(1);
            return Some(Mission {
                origin: a,
                dest: x,
                depart: td,
                arrive: ta,
                legs: Vec::new(),
                vehicles: Vec::new(),
                escorts: Vec::new(),
                veh_window: (td, td),
                esc_window: (td, td),
                air: Some((ty, n)),
                load: want,
                est_final: ta.0,
            });
        }
        None
    }

    /// Take `qty` from the lots of `site` for a recorded movement: from lots present by
    /// `t` first, then, should the record be inconsistent (the checker will say so), from
    /// any lot, so that re-planning still goes on from the best-known state.
    fn take_recorded(&mut self, site: usize, qty: &[u32], t: Period) {
        let mut need = qty.to_vec();
        let mut order: Vec<usize> = (0..self.lots[site].len()).collect();
        order.sort_by_key(|&i| (self.lots[site][i].from > t, self.lots[site][i].from));
        for i in order {
            let l = &mut self.lots[site][i];
            for (n, q) in need.iter_mut().zip(l.qty.iter_mut()) {
                let x = (*n).min(*q);
                *n -= x;
                *q -= x;
            }
        }
        self.lots[site].retain(|l| l.qty.iter().any(|&x| x > 0));
        self.count_arrived(site);
    }

    /// Paths from `x` to every hub, and every exit that takes all of `classes`, by the
    /// safest and by the quickest roads, each cut at the first hub on the way (where stock
    /// stops), nearest first: where a convoy under way may go when none of the load's next
    /// stops will do (`under_way`).
    fn other_stops(&self, x: SiteId, classes: &[usize]) -> Vec<Path> {
        let s = self.s;
        let mut out: Vec<(u32, SiteId, Path)> = Vec::new();
        for g in [&self.g, &self.gq] {
            for (i, site) in s.sites.iter().enumerate() {
                let d = SiteId(i as u32);
                let takes = site.kind == SiteKind::Hub
                    || site.exit.is_some() && classes.iter().all(|&k| accepts(s, d, k));
                if d == x || !takes {
                    continue;
                }
                let Some(p) = g.path(x, d) else { continue };
                let cut = p
                    .iter()
                    .position(|l| s.site(l.to).kind == SiteKind::Hub)
                    .map_or(p.len(), |i| i + 1);
                if cut > 0 {
                    let n = p[..cut].iter().map(|l| l.periods).sum();
                    out.push((n, p[cut - 1].to, p[..cut].to_vec()));
                }
            }
        }
        out.sort_by_key(|(n, d, _)| (*n, *d));
        out.dedup_by(|a, b| a.2 == b.2);
        out.into_iter().map(|(_, _, p)| p).collect()
    }

    /// The legs of convoy `c` driving on along `path` from where and when it arrives,
    /// leg after leg without waiting, with its units and load `q` (by class), up to the
    /// first leg that is closed or full, has an end restricted, leaves a site that cannot
    /// handle its containers, needs escorts that it does not have, or would end past the
    /// horizon or a fleet's window (see [`under_way`]). `None` when that is the first leg,
    /// or when the exit at the end cannot take the load in.
    fn carry_on_legs(&self, c: &Convoy, path: &[Leg], q: &[u32]) -> Option<Vec<Convoy>> {
        let s = self.s;
        let (vehicles, cover) = crate::finish::vehicles_and_cover(s, &c.units, c.load.vehicles);
        // Every unit and stock vehicle counts against a road's capacity.
        let on_road = crate::finish::vehicles(c);
        let mut t = c.arrive;
        let mut legs = Vec::with_capacity(path.len());
        for l in path {
            let a = t.plus(l.periods);
            let site = s.site(l.from);
            let ok = a.idx() < self.t
                && !s.road_blocked(l.road, t, a)
                && !s.site_restricted(l.from, t)
                && !s.site_restricted(l.to, a)
                && self.room(l, t) >= on_road
                && (!s.roads[l.road.idx()].escort || cover >= vehicles)
                && self
                    .handling
                    .left(l.from.idx(), t, site.handling_teu_per_period)
                    >= q[TEU]
                && c.units
                    .iter()
                    .all(|&(f, _)| a.0 - 1 <= s.fleets[f.idx()].available.until.0);
            if !ok {
                // The stock lands where the last leg that could be driven ends (`under_way`
                // looks at that camp in turn).
                break;
            }
            legs.push(Convoy {
                id: String::new(),
                road: l.road,
                from: l.from,
                to: l.to,
                depart: t,
                arrive: a,
                units: c.units.clone(),
                load: c.load.clone(),
            });
            t = a;
        }
        let end = legs.last()?;
        if let Some(e) = &s.site(end.to).exit {
            let d = end.to.idx() * 3;
            let people: u32 = q[P0..].iter().sum();
            let fits = self.exit_cal.left(d, t, e.teu_per_period) >= q[TEU]
                && self.exit_cal.left(d + 1, t, e.vehicles_per_period) >= q[VEH]
                && self.exit_cal.left(d + 2, t, e.personnel_per_period) >= people;
            if !fits {
                return None;
            }
        }
        Some(legs)
    }

    /// Convoy `c` with escort units that stand at its destination, free by its arrival
    /// (units the recorded past left there, `stranded`), added as far as they are needed
    /// to cover it on the roads of `path` that need escort (`under_way`). `taken` are
    /// units counted there that are not waiting: they arrive in convoys that carry on
    /// (`c` itself among them), and the record leaves them standing at the camp only
    /// because it ends before they drive on.
    fn with_waiting_escorts(
        &self,
        mut c: Convoy,
        path: &[Leg],
        taken: &[(FleetId, u32)],
    ) -> Convoy {
        let s = self.s;
        let (vehicles, mut cover) = crate::finish::vehicles_and_cover(s, &c.units, c.load.vehicles);
        if !path.iter().any(|l| s.roads[l.road.idx()].escort) {
            return c;
        }
        let mut skip: Vec<(FleetId, u32)> = taken.to_vec();
        for &(f, _, at, free) in &self.stranded {
            let fl = &s.fleets[f.idx()];
            if cover >= vehicles {
                break;
            }
            if fl.kind == FleetKind::Escort && at == c.to && free <= c.arrive {
                if let Some(k) = skip.iter_mut().find(|k| k.0 == f && k.1 > 0) {
                    k.1 -= 1;
                    continue;
                }
                cover += fl.cover;
                match c.units.iter_mut().find(|u| u.0 == f) {
                    Some(u) => u.1 += 1,
                    None => c.units.push((f, 1)),
                }
            }
        }
        c.units.sort();
        c
    }

    /// Book a carried-on leg (`under_way`) in the calendars that later carried-on legs
    /// check: its road's traffic, the handling where it leaves, and an exit's intake.
    fn book_carried(&mut self, c: &Convoy, q: &[u32]) {
        self.book_road(c);
        self.handling.add(c.from.idx(), c.depart, q[TEU]);
        if self.s.site(c.to).exit.is_some() {
            self.book_intake(c.to, c.arrive, q);
        }
    }

    /// Count a recorded or carried-on convoy's vehicles (units and stock vehicles) on its
    /// road in its direction and departure period.
    fn book_road(&mut self, c: &Convoy) {
        let r = &self.s.roads[c.road.idx()];
        let dir = usize::from(c.from != r.a);
        self.road_cal
            .add(c.road.idx() * 2 + dir, c.depart, crate::finish::vehicles(c));
    }

    /// Count load `q` (by class) into exit `x`'s intake in period `arrive`.
    fn book_intake(&mut self, x: SiteId, arrive: Period, q: &[u32]) {
        let d = x.idx() * 3;
        self.exit_cal.add(d, arrive, q[TEU]);
        self.exit_cal.add(d + 1, arrive, q[VEH]);
        self.exit_cal.add(d + 2, arrive, q[P0..].iter().sum());
    }

    fn load_vec(&self, load: &Load) -> Vec<u32> {
        let mut q = vec![0u32; self.ncls];
        q[TEU] = load.teu;
        q[VEH] = load.vehicles;
        for &(c, n) in &load.personnel {
            q[P0 + c.idx()] += n;
        }
        q
    }

    /// Replay recorded movements into the state: stock, calendars, closures and the units
    /// they used (assigned to concrete units in departure order, since units of a fleet are
    /// interchangeable).
    fn apply_frozen(&mut self, frozen: &Plan) {
        let s = self.s;
        let mut loc: Vec<Vec<(SiteId, u32)>> = s
            .fleets
            .iter()
            .map(|f| vec![(f.home, f.available.from.0); f.count as usize])
            .collect();
        let mut order: Vec<(Period, bool, usize)> = frozen
            .convoys
            .iter()
            .enumerate()
            .map(|(i, c)| (c.depart, false, i))
            .chain(
                frozen
                    .flights
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.depart, true, i)),
            )
            .collect();
        order.sort();
        for (_, is_flight, i) in order {
            let (from, to, depart, arrive, load) = if is_flight {
                let f = &frozen.flights[i];
                self.sorties.add(f.aircraft.idx(), f.depart, f.sorties);
                self.slots.add(f.from.idx(), f.depart, f.sorties);
                self.slots.add(f.to.idx(), f.arrive, f.sorties);
                (f.from, f.to, f.depart, f.arrive, &f.load)
            } else {
                let c = &frozen.convoys[i];
                self.book_road(c);
                for &(f, n) in &c.units {
                    // Units standing at the start, free by the departure, latest first.
                    let mut cands: Vec<usize> = (0..loc[f.idx()].len())
                        .filter(|&u| loc[f.idx()][u].0 == c.from && loc[f.idx()][u].1 <= c.depart.0)
                        .collect();
                    cands.sort_by_key(|&u| std::cmp::Reverse(loc[f.idx()][u].1));
                    for &u in cands.iter().take(n as usize) {
                        loc[f.idx()][u] = (c.to, c.arrive.0);
                    }
                }
                (c.from, c.to, c.depart, c.arrive, &c.load)
            };
            if load.is_empty() {
                continue;
            }
            if is_flight && s.site(to).exit.is_none() {
                bump(&mut self.last_landing[to.idx()], arrive);
            }
            let q = self.load_vec(load);
            self.take_recorded(from.idx(), &q, depart);
            self.handling.add(from.idx(), depart, q[TEU]);
            bump(&mut self.closure[from.idx()], depart);
            if q[TEU] + q[VEH] > 0 {
                bump(&mut self.last_cargo[from.idx()], depart);
            }
            if s.site(to).exit.is_some() {
                self.book_intake(to, arrive, &q);
            } else {
                self.add_lot(to.idx(), arrive, &q);
            }
        }
        for a in &frozen.abandoned {
            let mut q = vec![0u32; self.ncls];
            q[TEU] = a.teu;
            q[VEH] = a.vehicles;
            self.take_recorded(a.site.idx(), &q, a.period);
            bump(&mut self.closure[a.site.idx()], a.period);
            bump(&mut self.last_cargo[a.site.idx()], a.period);
        }
        for (fi, f) in s.fleets.iter().enumerate() {
            for (u, &(at, free)) in loc[fi].iter().enumerate() {
                if at == f.home {
                    // A unit that drove in the past is busy from the start until its last
                    // recorded arrival (the past is closed to new missions anyway).
                    if free > f.available.from.0 {
                        self.busy.add_range(fi, 0, free, 1);
                    }
                    continue;
                }
                // Away from home (at a camp, a hub or an exit): it drives back before it
                // is used again, since the remaining work may need it; until then it is
                // busy to the end of the horizon.
                self.busy.add_range(fi, 0, u32::MAX, 1);
                self.stranded
                    .push((FleetId(fi as u32), u, at, Period(free.max(self.floor.0))));
            }
        }
    }

    /// After recorded movements, a site's reserved personnel may have gone (the past need
    /// not follow this planner's habits): reserve again, from whoever is there, enough
    /// personnel to keep the rear guard while containers or vehicles remain.
    fn restore_reserves(&mut self) {
        for site in 0..self.s.sites.len() {
            let sd = &self.s.sites[site];
            let rg = sd.rear_guard.min(sd.initial.people());
            let mut held = vec![0u32; self.ncls];
            for l in &self.lots[site] {
                for (h, q) in held.iter_mut().zip(&l.qty) {
                    *h += q;
                }
            }
            if rg == 0 || held[TEU] + held[VEH] == 0 {
                continue;
            }
            let reserve = &mut self.reserve[site];
            for (r, h) in reserve[P0..].iter_mut().zip(&held[P0..]) {
                *r = (*r).min(*h);
            }
            let people: u32 = held[P0..].iter().sum();
            let mut missing = rg.min(people).saturating_sub(reserve[P0..].iter().sum());
            for (r, h) in reserve[P0..].iter_mut().zip(&held[P0..]) {
                let add = missing.min(h - *r);
                *r += add;
                missing -= add;
            }
        }
    }

    /// Bring home the units that recorded movements left at a base, a hub or an exit:
    /// escorts drive back alone, other units with escorts fetched from an escort home
    /// where the road needs them. Units at an exit that cannot be home within the horizon
    /// stay there.
    fn return_stranded(&mut self) -> Result<(), PlanError> {
        let s = self.s;
        let mut stranded = std::mem::take(&mut self.stranded);
        // Escorts first, so that they are home to cover the others.
        stranded.sort_by_key(|&(f, u, at, t)| {
            (s.fleets[f.idx()].kind != FleetKind::Escort, t, at, f, u)
        });
        // Group units of one fleet at one site with one free time.
        let mut groups: Vec<(FleetId, SiteId, Period, Vec<usize>)> = Vec::new();
        for (f, u, at, t) in stranded {
            match groups.last_mut() {
                Some(g) if g.0 == f && g.1 == at && g.2 == t => g.3.push(u),
                _ => groups.push((f, at, t, vec![u])),
            }
        }
        // A group larger than the escorts can cover at once drives back in several convoys.
        let mut queue: std::collections::VecDeque<(FleetId, SiteId, Period, Vec<usize>)> =
            groups.into();
        while let Some((f, at, t0, units)) = queue.pop_front() {
            let fleet = &s.fleets[f.idx()];
            let home = fleet.home;
            let path = self.g.path(at, home).ok_or_else(|| PlanError::Stuck {
                site: s.site(at).id.clone(),
                what: format!("{} units of fleet {}", units.len(), fleet.id),
                detail: "no road leads back to their home".into(),
            })?;
            let needs_escort = fleet.kind != FleetKind::Escort
                && path.iter().any(|l| s.roads[l.road.idx()].escort);
            let n = units.len() as u32;
            let mut done = false;
            for t in t0.0..self.t as u32 {
                if let Some((legs, escorts, window)) =
                    self.time_return(&path, at, home, n, needs_escort, Period(t))
                {
                    let arrive_home = legs
                        .iter()
                        .filter(|l| l.vehicles)
                        .map(|l| l.depart.0 + l.leg.periods)
                        .max()
                        .unwrap_or(t);
                    // The units stand at `at` until they leave, then drive home: busy from
                    // the start until they are back, no longer to the end of the horizon.
                    self.busy.sub_range(f.idx(), arrive_home, u32::MAX, n);
                    for &(ef, en) in &escorts {
                        self.busy.add_range(ef.idx(), window.1.0, window.2.0, en);
                    }
                    for tl in &legs {
                        let mut us: Vec<(FleetId, u32)> = Vec::new();
                        if tl.vehicles {
                            us.push((f, n));
                        }
                        if tl.escorts {
                            us.extend(escorts.iter().copied());
                        }
                        self.push_leg(tl, us, Load::default());
                    }
                    done = true;
                    break;
                }
            }
            if !done && units.len() > 1 {
                let half = units.len() / 2;
                queue.push_front((f, at, t0, units[half..].to_vec()));
                queue.push_front((f, at, t0, units[..half].to_vec()));
                continue;
            }
            // Units at an exit may end the withdrawal there, as the plans that brought them
            // there do (`finish::end_at_exits`): they stay, busy to the end of the horizon.
            if !done && s.site(at).exit.is_none() {
                return Err(PlanError::Stuck {
                    site: s.site(at).id.clone(),
                    what: format!("{} units of fleet {}", n, fleet.id),
                    detail: "they cannot drive back home within the horizon".into(),
                });
            }
        }
        Ok(())
    }

    /// Time the return of `n` units from `at` to `home` leaving in period `t`: the legs,
    /// the escorts chosen, and the window (unit departure, escort departure, escort return).
    #[allow(clippy::type_complexity)]
    fn time_return(
        &self,
        path: &Path,
        at: SiteId,
        home: SiteId,
        n: u32,
        needs_escort: bool,
        t: Period,
    ) -> Option<(Vec<TLeg>, Vec<(FleetId, u32)>, (u32, Period, Period))> {
        let s = self.s;
        let mut options: Vec<Option<SiteId>> = vec![None];
        if needs_escort {
            options = s
                .fleets
                .iter()
                .filter(|f| f.kind == FleetKind::Escort)
                .map(|f| Some(f.home))
                .collect();
            options.sort();
            options.dedup();
        }
        for e in options {
            let mut legs: Vec<TLeg> = Vec::new();
            let mut start = t.0;
            let (p_ea, p_he) = match e {
                Some(e) => (self.g.path(e, at)?, self.g.path(home, e)?),
                None => (Vec::new(), Vec::new()),
            };
            let te: u32 = p_ea.iter().map(|l| l.periods).sum();
            if e.is_some() {
                start = match t.0.checked_sub(te) {
                    Some(x) if x >= self.floor.0 => x,
                    _ => continue,
                };
            }
            let mut clock = start;
            for (p, v) in [(&p_ea, false), (path, true), (&p_he, false)] {
                for l in p.iter() {
                    legs.push(TLeg {
                        leg: *l,
                        depart: Period(clock),
                        vehicles: v,
                        escorts: e.is_some(),
                        stock: false,
                    });
                    clock += l.periods;
                }
            }
            if clock as usize >= self.t {
                return None;
            }
            let mut escorts = Vec::new();
            let mut nesc = 0;
            if let Some(e) = e {
                let idle = self.idle_units(
                    e,
                    &|k| k == FleetKind::Escort,
                    Period(start),
                    Period(clock),
                    false,
                );
                let mut cover = 0;
                for (fi, idle) in idle {
                    let c = s.fleets[fi.idx()].cover;
                    let take = idle.min(n.saturating_sub(cover).div_ceil(c.max(1)));
                    if take > 0 {
                        cover += c * take;
                        nesc += take;
                        escorts.push((fi, take));
                    }
                }
                if cover < n {
                    continue;
                }
            }
            let ok = legs.iter().all(|tl| {
                let arr = tl.depart.plus(tl.leg.periods);
                let r = &s.roads[tl.leg.road.idx()];
                let dir = usize::from(tl.leg.from != r.a);
                let count = if tl.vehicles { n } else { 0 } + nesc;
                !s.road_blocked(tl.leg.road, tl.depart, arr)
                    && !s.site_restricted(tl.leg.from, tl.depart)
                    && !s.site_restricted(tl.leg.to, arr)
                    && self.road_cal.left(
                        tl.leg.road.idx() * 2 + dir,
                        tl.depart,
                        r.vehicles_per_period,
                    ) >= count
                    && r.max_convoy.is_none_or(|m| m >= count)
            });
            if ok {
                return Some((legs, escorts, (t.0, Period(start), Period(clock))));
            }
        }
        None
    }

    /// Record one convoy leg: reserve its vehicles on the road and add it to the plan.
    fn push_leg(&mut self, tl: &TLeg, mut units: Vec<(FleetId, u32)>, load: Load) {
        units.sort();
        let count: u32 = units.iter().map(|&(_, n)| n).sum::<u32>() + load.vehicles;
        let r = &self.s.roads[tl.leg.road.idx()];
        let dir = usize::from(tl.leg.from != r.a);
        self.road_cal
            .add(tl.leg.road.idx() * 2 + dir, tl.depart, count);
        let id = format!("C{}", self.plan.convoys.len());
        self.plan.convoys.push(Convoy {
            id,
            road: tl.leg.road,
            from: tl.leg.from,
            to: tl.leg.to,
            depart: tl.depart,
            arrive: tl.depart.plus(tl.leg.periods),
            units,
            load,
        });
    }

    fn commit(&mut self, m: Mission) {
        let s = self.s;
        let ncls = self.ncls;
        let personnel = |load: &[u32]| -> Vec<(ContingentId, u32)> {
            (P0..ncls)
                .filter(|&c| load[c] > 0)
                .map(|c| (ContingentId((c - P0) as u32), load[c]))
                .collect()
        };
        let mk_load = |load: &[u32], stock: bool| Load {
            personnel: if stock { personnel(load) } else { Vec::new() },
            teu: if stock { load[TEU] } else { 0 },
            vehicles: if stock { load[VEH] } else { 0 },
        };
        self.take(m.origin.idx(), &m.load, m.depart);
        if let Some((ty, n)) = m.air {
            self.sorties.add(ty.idx(), m.depart, n);
            self.slots.add(m.origin.idx(), m.depart, n);
            self.slots.add(m.dest.idx(), m.arrive, n);
            self.handling.add(m.origin.idx(), m.depart, m.load[TEU]);
            let id = format!("F{}", self.plan.flights.len());
            self.plan.flights.push(Flight {
                id,
                aircraft: ty,
                sorties: n,
                from: m.origin,
                to: m.dest,
                depart: m.depart,
                arrive: m.arrive,
                load: mk_load(&m.load, true),
            });
        } else {
            let left = &mut self.drive_left[m.origin.idx()];
            *left = left.saturating_sub(m.load[TEU]);
            for &(fi, n) in &m.vehicles {
                self.busy
                    .add_range(fi.idx(), m.veh_window.0.0, m.veh_window.1.0, n);
            }
            for &(fi, n) in &m.escorts {
                self.busy
                    .add_range(fi.idx(), m.esc_window.0.0, m.esc_window.1.0, n);
            }
            let waits = escorts_wait(s, &m.legs);
            for (tl, &wait) in m.legs.iter().zip(&waits) {
                let mut units: Vec<(FleetId, u32)> = Vec::new();
                if tl.vehicles {
                    units.extend(m.vehicles.iter().copied());
                }
                if wait {
                    self.waiting
                        .push((self.plan.convoys.len(), m.escorts.clone()));
                }
                if tl.escorts {
                    units.extend(m.escorts.iter().copied());
                }
                let load = mk_load(&m.load, tl.stock);
                if units.is_empty() && load.vehicles == 0 {
                    continue;
                }
                if tl.stock {
                    self.handling.add(tl.leg.from.idx(), tl.depart, load.teu);
                }
                self.push_leg(tl, units, load);
            }
        }
        // Closures (for `after`) and last cargo (for rear guards) count departures from the
        // origin only: stock passing through a site on a multi-leg route is never held there.
        // Either is an upper bound of the true figure, which is all the ordering needs.
        if !m.load.iter().all(|&x| x == 0) {
            bump(&mut self.closure[m.origin.idx()], m.depart);
        }
        if m.load[TEU] + m.load[VEH] > 0 {
            bump(&mut self.last_cargo[m.origin.idx()], m.depart);
        }
        if s.site(m.dest).exit.is_some() {
            let d = m.dest.idx() * 3;
            self.exit_cal.add(d, m.arrive, m.load[TEU]);
            self.exit_cal.add(d + 1, m.arrive, m.load[VEH]);
            self.exit_cal
                .add(d + 2, m.arrive, m.load[P0..].iter().sum());
        } else {
            let mut from = m.arrive;
            if m.air.is_some() {
                // Stock lands only at an open camp (`V029`): one that still holds stock at
                // the end of the landing period. A site with a reserve holds it until after
                // its last landing (see `advance`); one without holds what lands overnight,
                // sending it on from the next period.
                bump(&mut self.last_landing[m.dest.idx()], m.arrive);
                if self.reserve[m.dest.idx()].iter().all(|&r| r == 0) {
                    from = from.plus(1);
                }
            }
            self.add_lot(m.dest.idx(), from, &m.load);
        }
    }

    /// Stock arriving at `site` in `from`: merged into the lot of that period if there is
    /// one (lots of one period are interchangeable), so that a hub receiving hundreds of
    /// missions keeps few lots to scan.
    fn add_lot(&mut self, site: usize, from: Period, qty: &[u32]) {
        // Lots stay in order of arrival (see `available_at`).
        let lots = &mut self.lots[site];
        let i = lots.partition_point(|l| l.from < from);
        match lots.get_mut(i).filter(|l| l.from == from) {
            Some(l) => {
                for (x, q) in l.qty.iter_mut().zip(qty) {
                    *x += q;
                }
            }
            None => lots.insert(
                i,
                Lot {
                    from,
                    qty: qty.to_vec(),
                },
            ),
        }
        self.count_arrived(site);
    }
}

/// One candidate search of `best_mission`: a road mission to `dests[i]` with a vehicle
/// home and an escort home, or sorties of an aircraft type to an exit.
#[derive(Clone, Copy)]
enum Job {
    Road(usize, Option<SiteId>, Option<SiteId>),
    Air(AircraftId, SiteId),
}

/// A road mission's timing relative to its departure `t`, the same for every departure a
/// search tries (its legs only shift): which departures can be timed at all, and the
/// windows in which the team's units are away.
struct Shape {
    /// `try_road` times departures in `[first, last)` only: earlier, a drive would start
    /// before period 0 or the present; later, the trip would end beyond the horizon.
    first: u32,
    last: u32,
    /// The vehicle group's home, and its window `[t - ha, t + back)`.
    veh: Option<(SiteId, i64, i64)>,
    /// The escorts' part, when the team has escorts.
    esc: Option<Escorts>,
}

/// The escorts of a road mission, relative to its departure `t`.
struct Escorts {
    /// Their home, and their window `[t + from, t + to)`.
    home: SiteId,
    from: i64,
    to: i64,
    /// Their drives from home to the team and from the team home.
    p_ex: Path,
    p_ye: Path,
    /// The first and the last of the team's legs they ride (the team's legs are its drive
    /// from home, the loaded legs and its drive home): the first and last escorted roads
    /// with `escorts_join`, else the whole trip.
    span: (usize, usize),
}

#[derive(Clone, Copy)]
struct Fit<'b> {
    vunits: &'b [(FleetId, u32)],
    eunits: &'b [(FleetId, u32)],
    cap_loaded: u32,
    cap_team: u32,
    cap_esc: u32,
    escort_loaded: bool,
    escort_team: bool,
}

/// The legs of a road mission on which its escorts wait instead of riding along: where the
/// trip leaves a site on roads that need no escort and comes back to it before its next
/// escorted road or the end of the trip (a team that drives on past the escorted roads to
/// a hub and returns the same way), the escorts stay at that site. They are on duty all
/// the same (the mission keeps them busy for its whole window), so nothing else changes. The planner builds the
/// plan as if they rode along (their road capacity, and `choose`'s price of the mission)
/// and they step out of those legs when it is done ([`run`]), so the plan only loses
/// exposure. Letting the wait change the planner's choices made them worse: priced in
/// `choose`, MINUSMA 28,350 against 27,842; with its road capacity freed while planning,
/// the generated 100-site scenario 68,152 against 63,619.
fn escorts_wait(s: &Scenario, legs: &[TLeg]) -> Vec<bool> {
    let mut wait = vec![false; legs.len()];
    // Legs the escorts ride on roads that need none.
    let idle = |k: usize| legs[k].escorts && !s.roads[legs[k].leg.road.idx()].escort;
    let mut k = 0;
    while k < legs.len() {
        if !idle(k) {
            k += 1;
            continue;
        }
        // Legs k..m are idle; leg m (if any) is not. The run may also be the trip's last
        // legs, back to the escorts' home, or its first: the escorts then stay at home
        // rather than ride a loop of safe roads with the team (a team of Sevare's trucks
        // and escorts that takes Douentza's containers to Bamako and comes home).
        let m = (k..legs.len()).find(|&j| !idle(j)).unwrap_or(legs.len());
        if legs[k].leg.from == legs[m - 1].leg.to {
            wait[k..m].fill(true);
        }
        k = m;
    }
    wait
}

fn bump(x: &mut Option<Period>, p: Period) {
    *x = Some(x.map_or(p, |c| c.max(p)));
}

fn accepts(s: &Scenario, x: SiteId, cls: usize) -> bool {
    let Some(e) = &s.site(x).exit else {
        return false;
    };
    match cls {
        TEU => e.teu,
        VEH => e.vehicles,
        c => e.accepts_contingent(ContingentId((c - P0) as u32)),
    }
}

/// `due[site]`: the site's deadline, or earlier when stock of some class travels on through
/// a hub that must send it on before the hub's own due period of that class (its deadline,
/// or earlier for the same reason further along the class's route), less the travel to the
/// hub and the hub's `clearance`.
///
/// Deadlines flow backward class by class: stock of a class moves along that class's next
/// stops only, each strictly nearer one of the class's exits, so they form no cycle. Mixed
/// together they can: on the generated 300-site scenario one hub sends its containers
/// through a second hub whose personnel go through the first (their exits differ), and a
/// fixpoint over every class's stops at once ran every due period of the scenario down to
/// day 0, so that phase 1 took the sites in index order instead of by deadline. Should a
/// class's stops still close a cycle (the quickest and the safest roads of `both_roads`
/// measure nearness differently), the stop that closes it is ignored.
fn due_periods(s: &Scenario, next_stop: &[Vec<Vec<(SiteId, Path)>>], clearance: u32) -> Vec<u32> {
    let n = s.sites.len();
    let close: Vec<u32> = s
        .sites
        .iter()
        .map(|x| x.close_by.map_or(u32::MAX, |p| p.0))
        .collect();
    let mut due = close.clone();
    for stops in next_stop {
        // Depth first along the class's stops, each site's due period computed once.
        let mut of: Vec<Option<u32>> = vec![None; n];
        let mut open = vec![false; n];
        // (site, index of its next stop to look at)
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for root in 0..n {
            if of[root].is_some() {
                continue;
            }
            stack.push((root, 0));
            open[root] = true;
            while let Some(&mut (a, ref mut k)) = stack.last_mut() {
                match stops[a].get(*k) {
                    Some((d, _)) => {
                        *k += 1;
                        let d = d.idx();
                        if s.sites[d].exit.is_none() && of[d].is_none() && !open[d] {
                            open[d] = true;
                            stack.push((d, 0));
                        }
                    }
                    None => {
                        let mut by = close[a];
                        for (d, path) in &stops[a] {
                            // A stop still open closes a cycle (see above).
                            let Some(dd) = of[d.idx()].filter(|_| s.sites[d.idx()].exit.is_none())
                            else {
                                continue;
                            };
                            if dd == u32::MAX {
                                continue;
                            }
                            let travel: u32 = path.iter().map(|l| l.periods).sum();
                            by = by.min(dd.saturating_sub(travel + clearance));
                        }
                        of[a] = Some(by);
                        open[a] = false;
                        stack.pop();
                    }
                }
            }
        }
        for (x, c) in due.iter_mut().zip(&of) {
            *x = (*x).min(c.expect("every site visited"));
        }
    }
    due
}

/// Whether `path` ends at or drives through one of `sites`.
fn through(path: &[Leg], sites: &[usize]) -> bool {
    path.iter().any(|l| sites.contains(&l.to.idx()))
}

/// Whether `j` is (transitively) required before `i` already.
fn reaches(before: &[Vec<usize>], i: usize, j: usize) -> bool {
    let mut stack = vec![i];
    let mut seen = vec![false; before.len()];
    while let Some(x) = stack.pop() {
        if x == j {
            return true;
        }
        if std::mem::replace(&mut seen[x], true) {
            continue;
        }
        stack.extend(before[x].iter().copied());
    }
    false
}
