//! Stock vehicles on safer roads: a finishing pass over a constructed plan.
//!
//! The constructive planner moves a camp's self-propelled vehicles with the rest of a
//! mission, on the mission's road: on a policy that races deadlines that is the quickest
//! road, and every vehicle on it adds `km x hazard` to the plan's exposure. Once the plan
//! is made it is known when the vehicles are next needed where they go (the departure that
//! takes them on from a hub, or nothing at an exit), so those that do not carry anyone can
//! drive on their own by the safest road that needs no escort, whenever they still arrive
//! in time. The planner cannot do this while it plans: sending vehicles the long way delays
//! what they are needed for, which it does not know yet (the policy that put every
//! vehicle on the safest road ran the generated 1,000-site scenario out of horizon).
//!
//! A vehicle's route is a **chain** of convoy legs as the planner writes it: each next leg
//! leaves where the last one arrived, in the period it arrived, with vehicles. Stock is
//! counted, not tracked by name, so any vehicles that end a chain at a site where they are
//! held may be the ones that leave from it later; what must hold is the count there.

use crate::finish::{Traffic, drop_empty_in_order};
use crate::graph::{Leg, PathsFrom, adjacency};
use model::*;
use std::collections::{HashMap, HashSet};

/// Reroute stock vehicles that nobody rides in onto the safest escort-free road to where
/// their chain of legs takes them, leaving in the same period, when that lowers the
/// exposure and breaks no rule of `docs/plan-semantics.md`:
///
/// - the new legs are open (closures, restrictions on roads and on the sites they leave
///   and reach, `V028`, `V056`), within each road's capacity left and convoy size
///   (`V054`, `V055`), need no escort (`V053`), pass through no exit and arrive within the
///   horizon;
/// - the old legs keep the vehicles their personnel need for seats (`V052`);
/// - at a site where the chain ends (a hub) the vehicles arrive no earlier than before
///   and the site's count of vehicles stays non-negative until they do (`V020`), and
///   covers what left before the site's `not_before` (`V026`); pass-through in one period
///   is never held, so the sites on the way, closures (hence lateness) and rear guards
///   (`V027`) do not change;
/// - at an exit, the new arrival is within its intake (`V024`) and no later than the
///   plan's last arrival at an exit, so the makespan does not grow.
///
/// Only chains of editable convoys are changed (re-planning keeps recorded movements as
/// they were); new legs have an empty id. Returns the number of vehicle-legs moved. The
/// plan's totals are not updated.
pub(crate) fn safer_vehicles(
    s: &Scenario,
    plan: &mut Plan,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    let t = s.horizon.periods as usize;
    let n = s.sites.len();
    let is_exit = |x: SiteId| s.site(x).exit.is_some();
    if !plan.convoys.iter().any(|c| c.load.vehicles > 0) {
        return 0;
    }
    // Vehicles held at each site at the end of each period (`V020`'s balance).
    let mut held: Vec<Vec<i64>> = vec![vec![0; t + 1]; n];
    for (i, x) in s.sites.iter().enumerate() {
        held[i][0] += i64::from(x.initial.vehicles);
    }
    for c in plan.convoys.iter().filter(|c| c.load.vehicles > 0) {
        let v = i64::from(c.load.vehicles);
        held[c.from.idx()][c.depart.idx().min(t)] -= v;
        held[c.to.idx()][c.arrive.idx().min(t)] += v;
    }
    for a in &plan.abandoned {
        held[a.site.idx()][a.period.idx().min(t)] -= i64::from(a.vehicles);
    }
    for h in &mut held {
        for p in 1..h.len() {
            h[p] += h[p - 1];
        }
    }
    // The roads' traffic (`V054`, `V055`), and the vehicles reaching each exit per period.
    let mut traffic = Traffic::new(s, plan);
    let mut intake = vec![0u32; n * (t + 1)];
    // The last period in which stock reaches an exit: the makespan not to exceed.
    let mut last_exit = 0;
    for c in &plan.convoys {
        if is_exit(c.to) && !c.load.is_empty() {
            intake[c.to.idx() * (t + 1) + c.arrive.idx().min(t)] += c.load.vehicles;
            last_exit = last_exit.max(c.arrive.0);
        }
    }
    for f in plan
        .flights
        .iter()
        .filter(|f| is_exit(f.to) && !f.load.is_empty())
    {
        last_exit = last_exit.max(f.arrive.0);
    }
    // Vehicles a leg may give up: those no one needs for a seat (`V052`).
    let spare = |c: &Convoy| -> u32 {
        let seats: u32 = c
            .units
            .iter()
            .map(|&(f, m)| m * s.fleets[f.idx()].seats)
            .sum();
        let need = c.load.people().saturating_sub(seats);
        let keep = match (need, s.vehicle_seats) {
            (0, _) => 0,
            (_, 0) => c.load.vehicles,
            (need, per) => need.div_ceil(per),
        };
        c.load.vehicles.saturating_sub(keep)
    };
    let hazard_km = |road: RoadId| {
        let r = &s.roads[road.idx()];
        r.km * f64::from(r.hazard)
    };
    // Chains follow legs that leave a site in the period vehicles reached it.
    let mut by_start: HashMap<(SiteId, Period), Vec<usize>> = HashMap::new();
    let mut reached: HashSet<(SiteId, Period)> = HashSet::new();
    for (i, c) in plan.convoys.iter().enumerate() {
        if c.load.vehicles > 0 {
            by_start.entry((c.from, c.depart)).or_default().push(i);
            reached.insert((c.to, c.arrive));
        }
    }
    // Chains start where the vehicles were held, in order of departure; legs that continue
    // another chain are tried after every such start (what is left on them).
    let mut starts: Vec<(bool, Period, usize)> = plan
        .convoys
        .iter()
        .enumerate()
        .filter(|(_, c)| c.load.vehicles > 0 && editable(c) && !is_exit(c.from))
        .map(|(i, c)| (reached.contains(&(c.from, c.depart)), c.depart, i))
        .collect();
    starts.sort_unstable();
    let adj = adjacency(s);
    let escorted: Vec<bool> = s.roads.iter().map(|r| r.escort).collect();
    let mut trees: HashMap<SiteId, PathsFrom> = HashMap::new();
    let mut added: Vec<Convoy> = Vec::new();
    let mut moved = 0;
    for (_, _, first) in starts {
        if spare(&plan.convoys[first]) == 0 {
            continue;
        }
        let mut chain = vec![first];
        while chain.len() < 64 {
            let c = &plan.convoys[*chain.last().expect("non-empty")];
            if is_exit(c.to) {
                break;
            }
            let next = by_start.get(&(c.to, c.arrive)).and_then(|v| {
                v.iter()
                    .copied()
                    .filter(|k| !chain.contains(k))
                    .filter(|&k| plan.convoys[k].load.vehicles > 0 && editable(&plan.convoys[k]))
                    .max_by_key(|&k| (plan.convoys[k].load.vehicles, std::cmp::Reverse(k)))
            });
            match next {
                Some(k) => chain.push(k),
                None => break,
            }
        }
        let (a, p0) = (plan.convoys[first].from, plan.convoys[first].depart);
        let tree = trees
            .entry(a)
            .or_insert_with(|| PathsFrom::new(s, &adj, a, &escorted));
        // The best end of the chain: the most hazard-km saved in all.
        let mut best: Option<(f64, usize, u32, Vec<Leg>, Period)> = None;
        let (mut old, mut k_chain) = (0.0, u32::MAX);
        for (j, &leg) in chain.iter().enumerate() {
            let c = &plan.convoys[leg];
            old += hazard_km(c.road);
            k_chain = k_chain.min(spare(c));
            let (y, q) = (c.to, c.arrive);
            if k_chain == 0 {
                break;
            }
            let Some(path) = tree.path(y).filter(|p| !p.is_empty()) else {
                continue;
            };
            let new: f64 = path.iter().map(|l| hazard_km(l.road)).sum();
            if new >= old - 1e-6 {
                continue;
            }
            let Some((k, q_new)) = fits(s, plan, &traffic, &path, p0, k_chain) else {
                continue;
            };
            let k = if let Some(x) = &s.site(y).exit {
                if q_new.0 > last_exit {
                    continue;
                }
                let room = match x.vehicles_per_period {
                    Some(cap) if q_new != q => {
                        cap.saturating_sub(intake[y.idx() * (t + 1) + q_new.idx().min(t)])
                    }
                    _ => u32::MAX,
                };
                k.min(room)
            } else {
                if q_new < q {
                    continue;
                }
                let site = s.site(y);
                let slack = (q.idx()..q_new.idx().min(t))
                    .map(|p| {
                        let own = if Period(p as u32) < site.not_before {
                            i64::from(site.initial.vehicles)
                        } else {
                            0
                        };
                        held[y.idx()][p] - own
                    })
                    .min()
                    .unwrap_or(i64::MAX);
                k.min(u32::try_from(slack.max(0)).unwrap_or(u32::MAX))
            };
            if k == 0 {
                continue;
            }
            let gain = f64::from(k) * (old - new);
            if best.as_ref().is_none_or(|b| gain > b.0 + 1e-9) {
                best = Some((gain, j, k, path, q_new));
            }
        }
        let Some((_, j, k, path, q_new)) = best else {
            continue;
        };
        // Apply: the chain's legs up to `j` give up `k` vehicles, which drive `path`.
        for &leg in &chain[..=j] {
            let c = &mut plan.convoys[leg];
            c.load.vehicles -= k;
            traffic.count(s, (c.road, c.from, c.depart), k, false);
        }
        let (y, q) = (plan.convoys[chain[j]].to, plan.convoys[chain[j]].arrive);
        if is_exit(y) {
            intake[y.idx() * (t + 1) + q.idx().min(t)] -= k;
            intake[y.idx() * (t + 1) + q_new.idx().min(t)] += k;
        } else {
            for h in &mut held[y.idx()][q.idx().min(t)..q_new.idx().min(t)] {
                *h -= i64::from(k);
            }
        }
        let mut clock = p0;
        for l in &path {
            traffic.count(s, (l.road, l.from, clock), k, true);
            added.push(Convoy {
                id: String::new(),
                road: l.road,
                from: l.from,
                to: l.to,
                depart: clock,
                arrive: clock.plus(l.periods),
                units: Vec::new(),
                load: Load {
                    vehicles: k,
                    ..Load::default()
                },
            });
            clock = clock.plus(l.periods);
        }
        moved += k * path.len() as u32;
    }
    // Departure order, the new legs after the old ones of their period.
    plan.convoys.extend(added);
    drop_empty_in_order(plan);
    moved
}

/// How many of `k` vehicles may drive `path` leaving in `p0`, and when they arrive: every
/// leg open and within the horizon, at most the road's capacity left and its largest
/// convoy (`Traffic::room`); `None` when a leg is shut or full.
fn fits(
    s: &Scenario,
    plan: &Plan,
    traffic: &Traffic,
    path: &[Leg],
    p0: Period,
    mut k: u32,
) -> Option<(u32, Period)> {
    let mut clock = p0;
    for l in path {
        k = k.min(traffic.room(s, plan, l, clock));
        if k == 0 {
            return None;
        }
        clock = clock.plus(l.periods);
    }
    Some((k, clock))
}
