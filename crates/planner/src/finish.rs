//! Finishing touches on a constructed plan: fleet units whose last trip delivers to an exit
//! stay there instead of driving home empty.
//!
//! The constructive planner plans every road mission as a round trip, because while it
//! plans it cannot know which trip of a unit is the last. Afterwards it is known: a unit
//! that drives empty from an exit to its home and is never needed at home again may as
//! well leave with the force, as the return rule allows (`V042`: every unit ends at its
//! fleet's home or at an exit). Dropping such a return leg removes its exposure and cost
//! and changes nothing else: the units were idle at home from then on.

use model::*;

/// Drop the empty return legs from exits to home that no later movement needs. Only
/// convoys for which `editable` holds are changed (re-planning keeps recorded movements as
/// they were). Returns the number of unit-legs dropped. The plan's totals are not updated.
pub(crate) fn end_at_exits(
    s: &Scenario,
    plan: &mut Plan,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    let t = s.horizon.periods as usize;
    // Units of each fleet at its home at the end of every period (`V040`'s balance), from
    // every convoy of the plan, editable or not.
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
    // Latest returns first: a unit's last return is the one to drop, and dropping it
    // lowers the home count for every later period, which the earlier returns must see.
    let mut returns: Vec<usize> = (0..plan.convoys.len())
        .filter(|&i| {
            let c = &plan.convoys[i];
            s.site(c.from).exit.is_some() && c.load.is_empty() && editable(c)
        })
        .collect();
    returns.sort_by_key(|&i| std::cmp::Reverse((plan.convoys[i].arrive, i)));
    let mut dropped = 0;
    for i in returns {
        let c = &mut plan.convoys[i];
        let road = &s.roads[c.road.idx()];
        // Vehicles first, then escorts down to the cover the remaining vehicles need.
        let mut order: Vec<usize> = (0..c.units.len()).collect();
        order.sort_by_key(|&k| s.fleets[c.units[k].0.idx()].kind == FleetKind::Escort);
        for k in order {
            let (fi, n) = c.units[k];
            let f = &s.fleets[fi.idx()];
            if c.to != f.home || n == 0 {
                continue;
            }
            let from = c.arrive.idx().min(t);
            let spare = home[fi.idx()][from..].iter().copied().min().unwrap_or(0);
            let mut drop = u32::try_from(spare.clamp(0, i64::from(n))).unwrap_or(0);
            if f.kind == FleetKind::Escort && road.escort {
                let vehicles: u32 = c
                    .units
                    .iter()
                    .filter(|(g, _)| s.fleets[g.idx()].kind != FleetKind::Escort)
                    .map(|&(_, m)| m)
                    .sum();
                let cover: u32 = c
                    .units
                    .iter()
                    .filter(|(g, _)| s.fleets[g.idx()].kind == FleetKind::Escort)
                    .map(|&(g, m)| m * s.fleets[g.idx()].cover)
                    .sum();
                // Cover left after dropping `drop` units of this fleet must still reach
                // the vehicles (the escorts themselves need none).
                if let Some(most) = cover.saturating_sub(vehicles).checked_div(f.cover) {
                    drop = drop.min(most);
                }
            }
            if drop == 0 {
                continue;
            }
            c.units[k].1 -= drop;
            for x in &mut home[fi.idx()][from..] {
                *x -= i64::from(drop);
            }
            dropped += drop;
        }
        c.units.retain(|&(_, n)| n > 0);
    }
    plan.convoys
        .retain(|c| !c.units.is_empty() || !c.load.is_empty());
    dropped
}
