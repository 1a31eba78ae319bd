//! Finishing touches on a constructed plan: fleet units whose last trip delivers to an exit
//! stay there instead of driving home empty ([`end_at_exits`]), and units whose last trip
//! ends at a hub far from home ride on to an exit in place of the hub's own units
//! ([`carry_on`]).
//!
//! The constructive planner plans every road mission as a round trip, because while it
//! plans it cannot know which trip of a unit is the last. Afterwards it is known: a unit
//! that drives empty from an exit to its home and is never needed at home again may as
//! well leave with the force, as the return rule allows (`V042`: every unit ends at its
//! fleet's home or at an exit). Dropping such a return leg removes its exposure and cost
//! and changes nothing else: the units were idle at home from then on.

use model::*;

/// Drop the empty drives home from exits that no later movement needs: a unit whose drive
/// home starts at an exit (in one leg, or in several through hubs and camps) stays at the
/// exit instead. Only convoys for which `editable` holds are changed (re-planning keeps
/// recorded movements as they were). Returns the number of unit-legs dropped. The plan's
/// totals are not updated.
///
/// A drive home is followed leg by leg as the planner writes it: each next leg leaves
/// where the last one arrived, in the period it arrived, empty, with units of the fleet.
/// Units that arrive and leave in the same period are never counted at the site in
/// between (`V040`), so taking them out of every leg of the drive changes the count only
/// at the exit (more units, for good) and at home (fewer from the arrival on, which
/// `home_counts` must allow).
pub(crate) fn end_at_exits(
    s: &Scenario,
    plan: &mut Plan,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    use std::collections::HashMap;
    let t = s.horizon.periods as usize;
    let is_exit = |x: SiteId| s.site(x).exit.is_some();
    // Every convoy of the plan counts, editable or not.
    let mut home = home_counts(s, plan);
    let mut by_start: HashMap<(SiteId, Period), Vec<usize>> = HashMap::new();
    for (i, c) in plan.convoys.iter().enumerate() {
        by_start.entry((c.from, c.depart)).or_default().push(i);
    }
    // The first legs of drives home: empty, from an exit. Vehicles before escorts, so that
    // escorts see the cover their vehicles no longer need; within each, latest first: a
    // unit's last drive home is the one to drop, and dropping it lowers the home count for
    // every later period, which the earlier drives must see.
    let mut starts: Vec<(usize, FleetId)> = Vec::new();
    for (i, c) in plan.convoys.iter().enumerate() {
        if is_exit(c.from) && c.load.is_empty() && editable(c) {
            for &(f, n) in &c.units {
                if n > 0 && s.fleets[f.idx()].home != c.from {
                    starts.push((i, f));
                }
            }
        }
    }
    starts.sort_by_key(|&(i, f)| {
        let escort = s.fleets[f.idx()].kind == FleetKind::Escort;
        (escort, std::cmp::Reverse((plan.convoys[i].depart, i, f)))
    });
    let mut dropped = 0;
    for (first, f) in starts {
        let fl = &s.fleets[f.idx()];
        // The units may drive home in several groups (a convoy of them splits at a hub):
        // each group is followed in turn, until none is left or none can stay.
        while units_of(&plan.convoys[first], f) > 0 {
            let Some(chain) = drive_home(s, plan, &by_start, first, f, editable) else {
                break;
            };
            let end = plan.convoys[*chain.last().expect("non-empty")]
                .arrive
                .idx()
                .min(t);
            let spare = home[f.idx()][end..].iter().copied().min().unwrap_or(0);
            let mut drop = chain
                .iter()
                .map(|&k| units_of(&plan.convoys[k], f))
                .min()
                .unwrap_or(0)
                .min(u32::try_from(spare.max(0)).unwrap_or(0));
            if fl.kind == FleetKind::Escort {
                // On every escorted leg, the cover left must still reach the vehicles (the
                // escorts themselves need none).
                for &k in &chain {
                    let c = &plan.convoys[k];
                    if !s.roads[c.road.idx()].escort {
                        continue;
                    }
                    let (mut vehicles, mut cover) = (c.load.vehicles, 0);
                    for &(g, m) in &c.units {
                        let gl = &s.fleets[g.idx()];
                        if gl.kind == FleetKind::Escort {
                            cover += m * gl.cover;
                        } else {
                            vehicles += m;
                        }
                    }
                    if let Some(most) = cover.saturating_sub(vehicles).checked_div(fl.cover) {
                        drop = drop.min(most);
                    }
                }
            }
            if drop == 0 {
                break;
            }
            for &k in &chain {
                add_units(&mut plan.convoys[k], f, -i64::from(drop));
            }
            for x in &mut home[f.idx()][end..] {
                *x -= i64::from(drop);
            }
            dropped += drop * chain.len() as u32;
        }
    }
    plan.convoys
        .retain(|c| !c.units.is_empty() || !c.load.is_empty());
    dropped
}

/// The legs of the drive home that starts with convoy `first` for units of fleet `f`,
/// followed as the planner writes it: each next leg leaves where the last one arrived, in
/// the period it arrived, empty, editable, with units of the fleet, and not from an exit
/// (a unit there has left). `None` if the drive does not reach the fleet's home.
fn drive_home(
    s: &Scenario,
    plan: &Plan,
    by_start: &std::collections::HashMap<(SiteId, Period), Vec<usize>>,
    first: usize,
    f: FleetId,
    editable: &dyn Fn(&Convoy) -> bool,
) -> Option<Vec<usize>> {
    let home = s.fleets[f.idx()].home;
    let mut chain = vec![first];
    loop {
        let c = &plan.convoys[*chain.last().expect("non-empty")];
        if c.to == home {
            return Some(chain);
        }
        let next = by_start
            .get(&(c.to, c.arrive))?
            .iter()
            .copied()
            .find(|&k| {
                let n = &plan.convoys[k];
                n.load.is_empty()
                    && units_of(n, f) > 0
                    && editable(n)
                    && s.site(n.from).exit.is_none()
            })?;
        chain.push(next);
    }
}

/// Units of each fleet at its home at the end of every period (`V040`'s balance), from
/// every convoy of the plan.
fn home_counts(s: &Scenario, plan: &Plan) -> Vec<Vec<i64>> {
    let t = s.horizon.periods as usize;
    let mut home: Vec<Vec<i64>> = s
        .fleets
        .iter()
        .map(|f| {
            let mut v = vec![0i64; t + 1];
            v[(f.available.from.idx()).min(t)] += i64::from(f.count);
            v
        })
        .collect();
    for c in &plan.convoys {
        for &(fi, n) in &c.units {
            let h = s.fleets[fi.idx()].home;
            if c.from == h {
                home[fi.idx()][c.depart.idx().min(t)] -= i64::from(n);
            }
            if c.to == h {
                home[fi.idx()][c.arrive.idx().min(t)] += i64::from(n);
            }
        }
    }
    for v in &mut home {
        for p in 1..v.len() {
            v[p] += v[p - 1];
        }
    }
    home
}

fn units_of(c: &Convoy, f: FleetId) -> u32 {
    c.units.iter().find(|u| u.0 == f).map_or(0, |u| u.1)
}

/// Add `delta` units of fleet `f` to convoy `c` (negative: take them out), keeping its
/// unit list sorted and without empty entries.
pub(crate) fn add_units(c: &mut Convoy, f: FleetId, delta: i64) {
    match c.units.iter_mut().find(|u| u.0 == f) {
        Some(u) => u.1 = u32::try_from(i64::from(u.1) + delta).expect("no negative units"),
        None => c
            .units
            .push((f, u32::try_from(delta).expect("no negative units"))),
    }
    c.units.retain(|&(_, n)| n > 0);
    c.units.sort();
}

/// Carry on to the exits: fleet units whose last trip ends at a hub far from their home
/// take the place of the hub's own units (same kind, no more capacity) in a loaded convoy
/// from the hub to an exit, and stay at the exit, instead of driving home empty. The hub's
/// units stay at home, so their own return from the exit goes too. Nothing else moves:
/// the convoy keeps its load, its vehicle count (so its escort cover and road capacity) and
/// its times; the far units only wait at the hub for it. The free lunch the LP bound finds
/// too: a truck's last trip should end where the force leaves, not where it started.
///
/// Only convoys for which `editable` holds are changed; a swap is made only when it lowers
/// the objective (exposure and cost at their weights). Returns the number of units that
/// carried on. The plan's totals are not updated.
pub(crate) fn carry_on(s: &Scenario, plan: &mut Plan, editable: &dyn Fn(&Convoy) -> bool) -> u32 {
    use std::collections::HashMap;
    let t = s.horizon.periods as usize;
    let w = &s.objective;
    let is_exit = |x: SiteId| s.site(x).exit.is_some();
    let mut home = home_counts(s, plan);
    // Convoys by (from, depart), to follow a return chain leg by leg; by origin in order of
    // departure, to find the onward convoys; by site touched, to count units at exits.
    let mut by_start: HashMap<(SiteId, Period), Vec<usize>> = HashMap::new();
    let mut from_site: Vec<Vec<usize>> = vec![Vec::new(); s.sites.len()];
    let mut at_site: Vec<Vec<usize>> = vec![Vec::new(); s.sites.len()];
    for (i, c) in plan.convoys.iter().enumerate() {
        by_start.entry((c.from, c.depart)).or_default().push(i);
        from_site[c.from.idx()].push(i);
        at_site[c.from.idx()].push(i);
        at_site[c.to.idx()].push(i);
    }
    for v in &mut from_site {
        v.sort_by_key(|&i| (plan.convoys[i].depart, i));
    }
    // What a unit-leg costs in the objective.
    let leg_cost = |c: &Convoy, f: FleetId| {
        let r = &s.roads[c.road.idx()];
        r.km * (w.exposure * f64::from(r.hazard) + w.cost * s.fleets[f.idx()].cost_per_km)
    };
    // Empty legs of non-escort units leaving a site that is neither their home nor an exit:
    // the first legs of their drive home. Latest first, so that the last trips go first.
    let mut starts: Vec<(usize, FleetId)> = Vec::new();
    for (i, c) in plan.convoys.iter().enumerate() {
        if !c.load.is_empty() || is_exit(c.from) || !editable(c) {
            continue;
        }
        for &(f, n) in &c.units {
            let fl = &s.fleets[f.idx()];
            if n > 0 && fl.kind != FleetKind::Escort && fl.home != c.from {
                starts.push((i, f));
            }
        }
    }
    starts.sort_by_key(|&(i, f)| std::cmp::Reverse((plan.convoys[i].depart, i, f)));
    let mut carried = 0;
    for (first, f) in starts {
        let fl = &s.fleets[f.idx()];
        let (h, r0) = (plan.convoys[first].from, plan.convoys[first].depart);
        let Some(chain) = drive_home(s, plan, &by_start, first, f, editable) else {
            continue;
        };
        let end = plan.convoys[*chain.last().expect("non-empty")]
            .arrive
            .idx()
            .min(t);
        let spare = home[f.idx()][end..].iter().copied().min().unwrap_or(0);
        let mut left = chain
            .iter()
            .map(|&k| units_of(&plan.convoys[k], f))
            .min()
            .unwrap_or(0)
            .min(u32::try_from(spare.max(0)).unwrap_or(0));
        if left == 0 {
            continue;
        }
        let chain_cost: f64 = chain.iter().map(|&k| leg_cost(&plan.convoys[k], f)).sum();
        // Loaded convoys from the hub to an exit after the units are free, earliest first.
        let list = &from_site[h.idx()];
        let after = list.partition_point(|&k| plan.convoys[k].depart < r0);
        let onward: Vec<usize> = list[after..]
            .iter()
            .copied()
            .filter(|&k| {
                let c = &plan.convoys[k];
                is_exit(c.to)
                    && !c.load.is_empty()
                    && editable(c)
                    && c.depart >= fl.available.from
                    && c.arrive.0 - 1 <= fl.available.until.0
            })
            .collect();
        for k in onward {
            if left == 0 {
                break;
            }
            let bs: Vec<(FleetId, u32)> = plan.convoys[k]
                .units
                .iter()
                .copied()
                .filter(|&(b, n)| {
                    let bl = &s.fleets[b.idx()];
                    b != f
                        && n > 0
                        && bl.home == h
                        && bl.kind == fl.kind
                        && bl.teu <= fl.teu
                        && bl.seats <= fl.seats
                })
                .collect();
            for (b, nb) in bs {
                if left == 0 {
                    break;
                }
                let j = left.min(nb);
                let c = &plan.convoys[k];
                let x = c.to;
                // B's units now never reach the exit: later departures of B from it must
                // carry as many fewer. Those must be empty drives home (which then go).
                let Some(cuts) =
                    cut_departures(s, plan, &at_site[x.idx()], b, x, c.arrive, j, editable)
                else {
                    continue;
                };
                let saved: f64 = f64::from(j) * chain_cost
                    + cuts
                        .iter()
                        .map(|&(r, m)| f64::from(m) * leg_cost(&plan.convoys[r], b))
                        .sum::<f64>()
                    - f64::from(j)
                        * (leg_cost(&plan.convoys[k], f) - leg_cost(&plan.convoys[k], b));
                if saved <= 0.0 {
                    continue;
                }
                // Apply: the swap, the far units' drive home, the hub units' returns.
                let depart = plan.convoys[k].depart;
                add_units(&mut plan.convoys[k], b, -i64::from(j));
                add_units(&mut plan.convoys[k], f, i64::from(j));
                for &leg in &chain {
                    add_units(&mut plan.convoys[leg], f, -i64::from(j));
                }
                for x in &mut home[f.idx()][end..] {
                    *x -= i64::from(j);
                }
                for x in &mut home[b.idx()][depart.idx().min(t)..] {
                    *x += i64::from(j);
                }
                for &(r, m) in &cuts {
                    add_units(&mut plan.convoys[r], b, -i64::from(m));
                    let at = plan.convoys[r].arrive.idx().min(t);
                    for x in &mut home[b.idx()][at..] {
                        *x -= i64::from(m);
                    }
                }
                left -= j;
                carried += j;
            }
        }
    }
    plan.convoys
        .retain(|c| !c.units.is_empty() || !c.load.is_empty());
    carried
}

/// The departures of fleet `b` from exit `x` to cut, and by how many units, so that `j`
/// fewer units of it arriving at `arrive` never leave a negative count there: each cut is
/// an editable empty drive straight home. `None` if that is not enough.
#[allow(clippy::too_many_arguments)]
fn cut_departures(
    s: &Scenario,
    plan: &Plan,
    at_x: &[usize],
    b: FleetId,
    x: SiteId,
    arrive: Period,
    j: u32,
    editable: &dyn Fn(&Convoy) -> bool,
) -> Option<Vec<(usize, u32)>> {
    let t = s.horizon.periods as usize;
    let home = s.fleets[b.idx()].home;
    // Units of `b` at the exit at the end of every period.
    let mut count = vec![0i64; t + 1];
    for c in at_x.iter().map(|&i| &plan.convoys[i]) {
        let n = i64::from(units_of(c, b));
        if n == 0 {
            continue;
        }
        if c.to == x {
            count[c.arrive.idx().min(t)] += n;
        }
        if c.from == x {
            count[c.depart.idx().min(t)] -= n;
        }
    }
    for p in 1..count.len() {
        count[p] += count[p - 1];
    }
    for v in &mut count[arrive.idx().min(t)..] {
        *v -= i64::from(j);
    }
    let mut cuts: Vec<(usize, u32)> = Vec::new();
    while let Some(p) = (arrive.idx().min(t)..=t).find(|&p| count[p] < 0) {
        let mut need = u32::try_from(-count[p]).unwrap_or(u32::MAX);
        for &r in at_x {
            let c = &plan.convoys[r];
            if need == 0 {
                break;
            }
            if c.from != x || c.depart.idx() != p || c.to != home || !editable(c) {
                continue;
            }
            let have = units_of(c, b) - cuts.iter().filter(|q| q.0 == r).map(|q| q.1).sum::<u32>();
            let m = have.min(need);
            if m > 0 {
                cuts.push((r, m));
                need -= m;
                for v in &mut count[p..] {
                    *v += i64::from(m);
                }
            }
        }
        if need > 0 {
            return None;
        }
    }
    Some(cuts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `camp`'s 4 trucks deliver its 16 TEU to `port` by `town` in two trips. The first
    /// drive home is needed for the second trip and stays; the second goes back to `town`
    /// together and home from there in two convoys of 2: both groups stay at the exit, so
    /// all of that drive goes (4 unit-legs from `port`, 2 x 2 from `town`).
    #[test]
    fn a_drive_home_that_splits_on_the_way_ends_at_the_exit_for_every_group() {
        let text = include_str!("../tests/data/long-way-home.toml");
        let s = scenario::load_str("split", text).unwrap().scenario;
        let (camp, town, port) = (SiteId(0), SiteId(1), SiteId(2));
        let leg = |from: SiteId, to: SiteId, depart: u32, units: u32, teu: u32| Convoy {
            id: format!("C{depart}-{}", to.0),
            road: RoadId(u32::from(from == port || to == port)),
            from,
            to,
            depart: Period(depart),
            arrive: Period(depart + 1),
            units: vec![(FleetId(0), units)],
            load: Load {
                teu,
                ..Load::default()
            },
        };
        let mut plan = Plan {
            convoys: vec![
                leg(camp, town, 0, 4, 8),
                leg(town, port, 1, 4, 8),
                leg(port, town, 2, 4, 0),
                leg(town, camp, 3, 4, 0),
                leg(camp, town, 4, 4, 8),
                leg(town, port, 5, 4, 8),
                leg(port, town, 6, 4, 0),
                leg(town, camp, 7, 2, 0),
                leg(town, camp, 7, 2, 0),
            ],
            ..Plan::default()
        };
        assert_eq!(
            end_at_exits(&s, &mut plan, &|_| true),
            8,
            "unit-legs dropped"
        );
        assert_eq!(
            plan.convoys.len(),
            6,
            "the loaded legs and the first drive home are left"
        );
        crate::summary::summarize(&s, &mut plan);
        scenario::check::accept(&s, &plan).expect("the checker accepts the plan");
    }
}
