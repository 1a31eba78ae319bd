//! Finishing sooner: the last touches on a finished plan that move its last arrivals
//! earlier where nothing stops them.
//!
//! The constructive planner schedules each site's missions against its due period, so the
//! last stock of the last site leaves when its turn comes, not as soon as it can: on
//! MINUSMA, Bamako's last 150 vehicles and 58 containers left on 30 and 31 December and
//! reached Abidjan on 7 and 8 January, while the port had room from 28 December and the
//! containers' trucks spent 28 and 29 December driving to Bamako's airport and back
//! empty. Every day of makespan costs its weight, and the exposure is the same on any day.
//!
//! - [`idle_round_trips`] keeps at home the fleet units that drive out and back with
//!   nothing that needs them (no cargo for trucks, no passengers for seats, no vehicles
//!   to cover for escorts), where the site they drive to can spare them meanwhile;
//! - [`advance_last_arrivals`] then moves the convoys that arrive at an exit last to
//!   earlier days, round by round, as long as every one of them can go.
//!
//! Each move is checked against every rule of `docs/plan-semantics.md` that it could
//! break (the checker still judges the result): the stock and the units are at the origin
//! on the new days, the origin's closure does not move (so neither lateness, nor the
//! order of closures, nor the flights' landing rules change), its rear guard stays while
//! it holds equipment, and the road, the exit's intake and the origin's handling have
//! room on the new day.

use crate::finish::vehicles_and_cover;
use model::*;
use std::collections::HashMap;

/// `plan` with its idle round trips dropped and its last arrivals brought forward, its
/// movements numbered again and its totals updated, when that lowers its objective;
/// `None` otherwise. [`crate::optimize`] does this to its best plan (and says so in the
/// policy's name, "finished sooner").
///
/// ```
/// let text = std::fs::read_to_string(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/../../scenarios/minusma-2023.toml"
/// ))
/// .unwrap();
/// let s = scenario::load_str("minusma-2023.toml", &text).unwrap().scenario;
/// let plan = planner::plan(&s, &planner::Config::default(), &mut |_, _| {}).unwrap();
/// if let Some(sooner) = planner::finish_sooner(&s, &plan) {
///     assert!(sooner.totals.objective < plan.totals.objective);
///     assert!(sooner.totals.makespan_days <= plan.totals.makespan_days);
/// }
/// ```
pub fn finish_sooner(s: &Scenario, plan: &Plan) -> Option<Plan> {
    sooner(s, plan, Period(0), &|_| true, true)
}

/// [`finish_sooner`] on the convoys for which `editable` holds, with no convoy moved to
/// leave before `floor` (the present, when re-planning), numbering the movements again
/// only when `renumber` holds.
pub(crate) fn sooner(
    s: &Scenario,
    plan: &Plan,
    floor: Period,
    editable: &dyn Fn(&Convoy) -> bool,
    renumber: bool,
) -> Option<Plan> {
    let mut q = plan.clone();
    if passes(s, &mut q, floor, editable) == 0 {
        return None;
    }
    if renumber {
        crate::greedy::renumber(&mut q);
    }
    crate::summary::summarize(s, &mut q);
    (q.totals.objective < plan.totals.objective).then_some(q)
}

/// Both passes, on the convoys for which `editable` holds, with no convoy moved to leave
/// before `floor`. Returns how many changes were made; the plan's totals are not updated.
fn passes(s: &Scenario, plan: &mut Plan, floor: Period, editable: &dyn Fn(&Convoy) -> bool) -> u32 {
    idle_round_trips(s, plan, editable) + advance_last_arrivals(s, plan, floor, editable)
}

/// Units of fleet `f` at site `x` at the end of every period (`V040`'s balance), for every
/// fleet and site the plan's convoys touch, and every fleet's home.
struct Presence {
    at: HashMap<(FleetId, SiteId), Vec<i64>>,
}

impl Presence {
    fn new(s: &Scenario, plan: &Plan) -> Self {
        let t = s.horizon.periods as usize;
        let mut at: HashMap<(FleetId, SiteId), Vec<i64>> = HashMap::new();
        for (i, f) in s.fleets.iter().enumerate() {
            let v = at
                .entry((FleetId(i as u32), f.home))
                .or_insert_with(|| vec![0; t + 1]);
            v[f.available.from.idx().min(t)] += i64::from(f.count);
        }
        for c in &plan.convoys {
            for &(f, n) in &c.units {
                at.entry((f, c.from)).or_insert_with(|| vec![0; t + 1])[c.depart.idx().min(t)] -=
                    i64::from(n);
                at.entry((f, c.to)).or_insert_with(|| vec![0; t + 1])[c.arrive.idx().min(t)] +=
                    i64::from(n);
            }
        }
        for v in at.values_mut() {
            for p in 1..v.len() {
                v[p] += v[p - 1];
            }
        }
        Presence { at }
    }

    /// The fewest units of `f` at `x` at the end of any period of `days`.
    fn least(&self, f: FleetId, x: SiteId, days: std::ops::Range<u32>) -> i64 {
        let Some(v) = self.at.get(&(f, x)) else {
            return 0;
        };
        let end = (days.end as usize).min(v.len());
        v[(days.start as usize).min(end)..end]
            .iter()
            .copied()
            .min()
            .unwrap_or(i64::MAX)
    }

    /// `n` units of `f` more (or fewer) at `x` at the end of every period of `days`.
    fn add(&mut self, f: FleetId, x: SiteId, days: std::ops::Range<u32>, n: i64) {
        if let Some(v) = self.at.get_mut(&(f, x)) {
            let end = (days.end as usize).min(v.len());
            for y in &mut v[(days.start as usize).min(end)..end] {
                *y += n;
            }
        }
    }
}

/// Whether convoy `units` with `load` on road `r` still carries its load: containers on
/// trucks (`V051`), personnel in seats (`V052`), escort cover where the road needs it
/// (`V053`), and at least one unit or stock vehicle (`V058`) unless it carries nothing.
fn carries(s: &Scenario, r: RoadId, units: &[(FleetId, u32)], load: &Load) -> bool {
    let (mut teu, mut seats) = (0u64, u64::from(load.vehicles) * u64::from(s.vehicle_seats));
    for &(f, n) in units {
        let fl = &s.fleets[f.idx()];
        if fl.kind == FleetKind::Truck {
            teu += u64::from(n) * u64::from(fl.teu);
        }
        seats += u64::from(n) * u64::from(fl.seats);
    }
    let (vehicles, cover) = vehicles_and_cover(s, units, load.vehicles);
    let covered = !s.roads[r.idx()].escort || vehicles == 0 || (cover > 0 && vehicles <= cover);
    let moving = !units.is_empty() || load.vehicles > 0 || load.is_empty();
    u64::from(load.teu) <= teu && u64::from(load.people()) <= seats && covered && moving
}

/// Keep at home the units that drive out and straight back for nothing: for a convoy `A`
/// from `x` to `y` and the first convoy `B` from `y` back to `x` on the same road that
/// leaves after `A` arrives, the units of a fleet that both carry are taken out of both
/// (as many as both convoys still carry their loads without, and as `y` can spare from
/// `A`'s arrival to `B`'s departure); convoys left with nothing are dropped. The units stay
/// at `x` meanwhile, where they are free for other work, and drive nothing: no exposure or
/// cost. Returns the number of units kept at home.
pub(crate) fn idle_round_trips(
    s: &Scenario,
    plan: &mut Plan,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    let mut presence = Presence::new(s, plan);
    // Convoys by (from, to, road), in order of departure.
    let mut by_leg: HashMap<(SiteId, SiteId, RoadId), Vec<usize>> = HashMap::new();
    let mut order: Vec<usize> = (0..plan.convoys.len()).collect();
    order.sort_by_key(|&i| (plan.convoys[i].depart, i));
    for &i in &order {
        let c = &plan.convoys[i];
        by_leg.entry((c.from, c.to, c.road)).or_default().push(i);
    }
    let mut kept = 0;
    for &a in &order {
        if !editable(&plan.convoys[a]) {
            continue;
        }
        let (x, y, road, out, back_from) = {
            let c = &plan.convoys[a];
            (c.from, c.to, c.road, c.depart, c.arrive)
        };
        let Some(backs) = by_leg.get(&(y, x, road)) else {
            continue;
        };
        let fleets: Vec<FleetId> = plan.convoys[a].units.iter().map(|u| u.0).collect();
        for f in fleets {
            let units_of = |c: &Convoy| c.units.iter().find(|u| u.0 == f).map_or(0, |u| u.1);
            let Some(&b) = backs.iter().find(|&&b| {
                let c = &plan.convoys[b];
                c.depart >= back_from && units_of(c) > 0
            }) else {
                continue;
            };
            if !editable(&plan.convoys[b]) {
                continue;
            }
            let back = plan.convoys[b].depart;
            let spare = presence.least(f, y, back_from.0..back.0).max(0);
            let most = units_of(&plan.convoys[a])
                .min(units_of(&plan.convoys[b]))
                .min(u32::try_from(spare).unwrap_or(u32::MAX));
            let without = |c: &Convoy, m: u32| {
                let mut fewer = c.clone();
                crate::finish::add_units(&mut fewer, f, -i64::from(m));
                carries(s, c.road, &fewer.units, &c.load)
            };
            let Some(m) = (1..=most)
                .rev()
                .find(|&m| without(&plan.convoys[a], m) && without(&plan.convoys[b], m))
            else {
                continue;
            };
            let arrive_home = plan.convoys[b].arrive;
            crate::finish::add_units(&mut plan.convoys[a], f, -i64::from(m));
            crate::finish::add_units(&mut plan.convoys[b], f, -i64::from(m));
            presence.add(f, y, back_from.0..back.0, -i64::from(m));
            presence.add(f, x, out.0..arrive_home.0, i64::from(m));
            kept += m;
        }
    }
    if kept > 0 {
        crate::finish::drop_empty_in_order(plan);
    }
    kept
}

/// The plan's holdings of one site at the end of every period, by commodity: containers,
/// vehicles, then personnel by contingent.
fn holdings(s: &Scenario, plan: &Plan, x: SiteId) -> Vec<Vec<i64>> {
    let t = s.horizon.periods as usize;
    let k = 2 + s.contingents.len();
    let mut h = vec![vec![0i64; t + 1]; k];
    let init = &s.site(x).initial;
    h[0][0] += i64::from(init.teu);
    h[1][0] += i64::from(init.vehicles);
    for (c, &n) in init.personnel.iter().enumerate() {
        h[2 + c][0] += i64::from(n);
    }
    let mut add = |load: &Load, p: Period, sign: i64| {
        let p = p.idx().min(t);
        h[0][p] += sign * i64::from(load.teu);
        h[1][p] += sign * i64::from(load.vehicles);
        for &(c, n) in &load.personnel {
            h[2 + c.idx()][p] += sign * i64::from(n);
        }
    };
    for c in &plan.convoys {
        if c.from == x {
            add(&c.load, c.depart, -1);
        }
        if c.to == x {
            add(&c.load, c.arrive, 1);
        }
    }
    for f in &plan.flights {
        if f.from == x {
            add(&f.load, f.depart, -1);
        }
        if f.to == x {
            add(&f.load, f.arrive, 1);
        }
    }
    for a in plan.abandoned.iter().filter(|a| a.site == x) {
        let p = a.period.idx().min(t);
        h[0][p] -= i64::from(a.teu);
        h[1][p] -= i64::from(a.vehicles);
    }
    for v in &mut h {
        for p in 1..v.len() {
            v[p] += v[p - 1];
        }
    }
    h
}

/// The period in which a site's total holdings `total` (with `initial` before the first
/// period) fall to zero for the last time: its closure, as `summary::summarize` counts
/// it; `None` if they never do.
fn closure(initial: i64, total: &[i64]) -> Option<usize> {
    (0..total.len()).rev().find(|&p| {
        let before = if p == 0 { initial } else { total[p - 1] };
        total[p] == 0 && before > 0
    })
}

/// The latest period from `earliest` on, before its own, on which convoy `c` to an exit
/// may leave instead, arriving `road.periods` later, with the rest of `plan` as it is
/// (see the module documentation); `None` if there is none.
fn latest_earlier_day(
    s: &Scenario,
    plan: &Plan,
    presence: &Presence,
    c: &Convoy,
    earliest: u32,
) -> Option<Period> {
    let road = &s.roads[c.road.idx()];
    let (from, to) = (s.site(c.from), s.site(c.to));
    let exit = to.exit.as_ref()?;
    let earliest = c
        .units
        .iter()
        .map(|&(f, _)| s.fleets[f.idx()].available.from.0)
        .fold(earliest.max(from.not_before.0), u32::max);
    if earliest >= c.depart.0 {
        return None;
    }
    let t = s.horizon.periods as usize;
    // What the origin holds, its closure, and the load by commodity.
    let h = holdings(s, plan, c.from);
    let total: Vec<i64> = (0..=t).map(|p| h.iter().map(|v| v[p]).sum()).collect();
    let init = &from.initial;
    let initial = i64::from(init.teu + init.vehicles + init.people());
    let before = closure(initial, &total);
    let mut take = vec![i64::from(c.load.teu), i64::from(c.load.vehicles)];
    take.extend((0..s.contingents.len()).map(|k| {
        c.load
            .personnel
            .iter()
            .find(|p| p.0.idx() == k)
            .map_or(0, |p| i64::from(p.1))
    }));
    let guard = i64::from(from.rear_guard.min(init.people()));
    let load_total: i64 = take.iter().sum();
    let people: i64 = take[2..].iter().sum();
    // What the road, the exit and the origin's handling already take per period.
    let mut road_use = vec![0u32; t + 1];
    let mut loaded = vec![0u32; t + 1];
    let mut intake = vec![[0u32; 3]; t + 1];
    let clamp = |p: Period| p.idx().min(t);
    for o in &plan.convoys {
        if o.road == c.road && o.from == c.from {
            road_use[clamp(o.depart)] += crate::finish::vehicles(o);
        }
        if o.from == c.from {
            loaded[clamp(o.depart)] += o.load.teu;
        }
        if o.to == c.to {
            let x = &mut intake[clamp(o.arrive)];
            x[0] += o.load.teu;
            x[1] += o.load.vehicles;
            x[2] += o.load.people();
        }
    }
    for f in &plan.flights {
        if f.from == c.from {
            loaded[clamp(f.depart)] += f.load.teu;
        }
        if f.to == c.to {
            let x = &mut intake[clamp(f.arrive)];
            x[0] += f.load.teu;
            x[2] += f.load.people();
        }
    }
    let over = |cap: Option<u32>, used: u32, more: u32| {
        more > 0 && cap.is_some_and(|cap| used + more > cap)
    };
    let vehicles = crate::finish::vehicles(c);
    (earliest..c.depart.0).rev().map(Period).find(|&d| {
        let arrive = Period(d.0 + road.periods);
        let (p, a) = (d.idx(), arrive.idx().min(t));
        if s.road_blocked(c.road, d, arrive)
            || s.site_restricted(c.from, d)
            || s.site_restricted(c.to, arrive)
            || over(road.vehicles_per_period, road_use[p], vehicles)
            || over(from.handling_teu_per_period, loaded[p], c.load.teu)
            || over(exit.teu_per_period, intake[a][0], c.load.teu)
            || over(exit.vehicles_per_period, intake[a][1], c.load.vehicles)
            || over(exit.personnel_per_period, intake[a][2], c.load.people())
        {
            return false;
        }
        // The units and the stock are at the origin from the new day on (they leave it on
        // the old one).
        let days = p..c.depart.idx();
        if c.units
            .iter()
            .any(|&(f, n)| presence.least(f, c.from, d.0..c.depart.0) < i64::from(n))
            || days
                .clone()
                .any(|q| h.iter().zip(&take).any(|(v, &k)| v[q] < k))
        {
            return false;
        }
        // The origin closes when it did, and its rear guard stays while it holds
        // equipment.
        let mut after = total.clone();
        for q in days.clone() {
            after[q] -= load_total;
        }
        if closure(initial, &after) != before {
            return false;
        }
        people == 0
            || days.clone().all(|q| {
                let equipment = h[0][q] - take[0] + h[1][q] - take[1];
                let staff: i64 = h[2..].iter().map(|v| v[q]).sum::<i64>() - people;
                equipment <= 0 || staff >= guard
            })
    })
}

/// Move the convoys that arrive at an exit last to earlier days: in each round, every
/// convoy (with a load) arriving at an exit in the plan's last arrival period leaves on
/// the latest earlier day it may ([`latest_earlier_day`]), in order; when one of them cannot, the
/// round is undone and the pass ends, as it does when a flight or an abandonment is what
/// ends the plan. Only convoys for which `editable` holds move, and none to leave before
/// `floor`. Returns the number of moves kept.
pub(crate) fn advance_last_arrivals(
    s: &Scenario,
    plan: &mut Plan,
    floor: Period,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    let is_exit = |x: SiteId| s.site(x).exit.is_some();
    let mut moved = 0;
    loop {
        let last_convoy = plan
            .convoys
            .iter()
            .filter(|c| !c.load.is_empty() && is_exit(c.to))
            .map(|c| c.arrive)
            .max();
        let Some(last) = last_convoy else { break };
        let ends_otherwise = plan
            .flights
            .iter()
            .any(|f| !f.load.is_empty() && is_exit(f.to) && f.arrive >= last)
            || plan.abandoned.iter().any(|a| a.period.0 + 1 >= last.0);
        if ends_otherwise {
            break;
        }
        let lasts: Vec<usize> = (0..plan.convoys.len())
            .filter(|&i| {
                let c = &plan.convoys[i];
                !c.load.is_empty() && is_exit(c.to) && c.arrive == last
            })
            .collect();
        let saved: Vec<Convoy> = lasts.iter().map(|&i| plan.convoys[i].clone()).collect();
        let mut presence = Presence::new(s, plan);
        let mut all = true;
        for &i in &lasts {
            let c = plan.convoys[i].clone();
            let earliest = floor.0.max(c.depart.0.saturating_sub(MOST_EARLIER));
            let day = editable(&c)
                .then(|| latest_earlier_day(s, plan, &presence, &c, earliest))
                .flatten();
            let Some(d) = day else {
                all = false;
                break;
            };
            for &(f, n) in &c.units {
                presence.add(f, c.from, d.0..c.depart.0, -i64::from(n));
                let road = &s.roads[c.road.idx()];
                presence.add(f, c.to, d.0 + road.periods..c.arrive.0, i64::from(n));
            }
            let m = &mut plan.convoys[i];
            m.arrive = Period(d.0 + (m.arrive.0 - m.depart.0));
            m.depart = d;
        }
        if !all {
            for (&i, c) in lasts.iter().zip(saved) {
                plan.convoys[i] = c;
            }
            break;
        }
        moved += lasts.len() as u32;
    }
    if moved > 0 {
        plan.convoys
            .sort_by(|a, b| (a.depart, &a.id).cmp(&(b.depart, &b.id)));
    }
    moved
}

/// The most periods a convoy is moved earlier in one round of [`advance_last_arrivals`]:
/// a month, far more than a last week's slack, and a bound on the work per convoy.
const MOST_EARLIER: u32 = 30;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finish::tests::load;

    /// The plan of `tests/data/last-week.toml` by hand: one truck takes 2 containers to the
    /// port on day 0; the other drives to the airfield and back empty on days 3 and 4, then
    /// takes the last 2 on day 5, with the 2 vehicles; the rear guard drives to the
    /// airfield on day 6. Everything is out after 9 days.
    fn last_week() -> (Scenario, Plan) {
        let (s, site) = load("last-week", include_str!("../tests/data/last-week.toml"));
        let (trucks, carriers) = (FleetId(0), FleetId(1));
        let leg = |from: &str, to: &str, depart: u32, units: Vec<(FleetId, u32)>, load: Load| {
            let (from, to) = (site(from), site(to));
            let road = s.road_between(from, to).expect("a road");
            Convoy {
                id: String::new(),
                road,
                from,
                to,
                depart: Period(depart),
                arrive: Period(depart + s.roads[road.idx()].periods),
                units,
                load,
            }
        };
        let teu = |teu| Load {
            teu,
            ..Load::default()
        };
        let vehicles = Load {
            vehicles: 2,
            ..Load::default()
        };
        let troops = Load {
            personnel: vec![(ContingentId(0), 4)],
            ..Load::default()
        };
        let mut plan = Plan {
            convoys: vec![
                leg("camp", "port", 0, vec![(trucks, 1)], teu(2)),
                leg("camp", "airfield", 3, vec![(trucks, 1)], Load::default()),
                leg("airfield", "camp", 4, vec![(trucks, 1)], Load::default()),
                leg("camp", "port", 5, vec![(trucks, 1)], teu(2)),
                leg("camp", "port", 5, vec![], vehicles),
                leg("camp", "airfield", 6, vec![(carriers, 1)], troops),
            ],
            ..Plan::default()
        };
        crate::greedy::renumber(&mut plan);
        accepted(&s, &mut plan, "as made");
        assert_eq!(plan.totals.makespan_days, 9);
        (s, plan)
    }

    /// Summarise `plan` and assert that the checker accepts it (`when` says which).
    fn accepted(s: &Scenario, plan: &mut Plan, when: &str) {
        crate::summary::summarize(s, plan);
        if let Err(e) = scenario::check::accept(s, plan) {
            panic!("the checker rejects the plan {when}: {e:?}");
        }
    }

    /// The truck's drive to the airfield and back carries nothing: it stays at the camp,
    /// and the 100 hazard-km of the two legs go.
    #[test]
    fn units_that_drive_out_and_back_for_nothing_stay_at_home() {
        let (s, mut plan) = last_week();
        let exposure = plan.totals.exposure;
        assert_eq!(idle_round_trips(&s, &mut plan, &|_| true), 1);
        accepted(&s, &mut plan, "without the round trip");
        assert_eq!(plan.convoys.len(), 4);
        assert_eq!(exposure - plan.totals.exposure, 100.0);
    }

    /// A round trip that carries something keeps its units: with a rear guard of 2, the
    /// carrier takes 2 of the 4 troops to the airfield on day 1 and drives back for the
    /// other 2. Only the truck's trip for nothing goes.
    #[test]
    fn units_that_carry_something_keep_driving() {
        let (mut s, mut plan) = last_week();
        s.sites[0].rear_guard = 2;
        let troops = |n| Load {
            personnel: vec![(ContingentId(0), n)],
            ..Load::default()
        };
        let last = plan.convoys.len() - 1;
        plan.convoys[last].load = troops(2);
        let mut out = plan.convoys[last].clone();
        (out.depart, out.arrive, out.load) = (Period(1), Period(2), troops(2));
        let mut back = out.clone();
        (back.from, back.to, back.depart, back.arrive) = (out.to, out.from, Period(2), Period(3));
        back.load = Load::default();
        out.id.push_str("-out");
        back.id.push_str("-back");
        plan.convoys.extend([out, back]);
        plan.convoys.sort_by_key(|c| c.depart);
        accepted(&s, &mut plan, "with the carrier's two trips");
        assert_eq!(idle_round_trips(&s, &mut plan, &|_| true), 1);
        accepted(&s, &mut plan, "without the truck's round trip");
        let carrier_legs = plan.convoys.iter().filter(|c| c.units == [(FleetId(1), 1)]);
        assert_eq!(carrier_legs.count(), 3);
    }

    /// With the truck at home, the last containers and the vehicles leave on day 3 instead
    /// of 5 and everything is out after 7 days, when the rear guard reaches the airfield
    /// (it cannot leave sooner: it stays while the camp holds equipment, and the camp's
    /// closure does not move). With the truck away on days 3 and 4, nothing moves.
    #[test]
    fn the_last_convoys_leave_as_soon_as_they_can() {
        let (s, mut plan) = last_week();
        assert_eq!(
            advance_last_arrivals(&s, &mut plan, Period(0), &|_| true),
            0
        );
        let (s, mut plan) = last_week();
        assert_eq!(passes(&s, &mut plan, Period(0), &|_| true), 1 + 4);
        accepted(&s, &mut plan, "finished sooner");
        assert_eq!(plan.totals.makespan_days, 7);
        let departures: Vec<u32> = plan.convoys.iter().map(|c| c.depart.0).collect();
        assert_eq!(departures, [0, 3, 3, 6]);
        // Not before the present when re-planning, and recorded convoys stay.
        let (s, mut plan) = last_week();
        assert_eq!(passes(&s, &mut plan, Period(4), &|_| true), 1 + 2);
        accepted(&s, &mut plan, "finished sooner from day 4");
        assert_eq!(plan.totals.makespan_days, 8);
        let (s, mut plan) = last_week();
        let recorded = |c: &Convoy| c.load.vehicles > 0;
        assert_eq!(passes(&s, &mut plan, Period(0), &|c| !recorded(c)), 1);
        assert_eq!(plan.totals.makespan_days, 9);
    }
}
