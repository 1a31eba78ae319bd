//! Finishing touches on a constructed plan: fleet units whose last trip delivers to an exit
//! stay there instead of driving home empty ([`end_at_exits`]), units whose last trip ends
//! at a hub far from home ride on hub by hub to an exit in place of each hub's own units
//! ([`carry_on`]), units that would drive home empty from anywhere else, never to be
//! needed there again, leave by the exit nearest where they are
//! ([`leave_by_nearest_exit`]), escorts go home from where the roads that need them end
//! ([`escorts_home_where_cover_ends`]), units that drive home empty on hazardous roads take the safer road
//! when nothing needs them at home before they would arrive by it ([`safer_returns`]),
//! and units that drive empty from home to where they load take the safer road out when
//! home can spare them sooner ([`safer_drives_out`]).
//!
//! The constructive planner plans every road mission as a round trip, because while it
//! plans it cannot know which trip of a unit is the last. Afterwards it is known: a unit
//! that drives empty from an exit to its home and is never needed at home again may as
//! well leave with the force, as the return rule allows (`V042`: every unit ends at its
//! fleet's home or at an exit). Dropping such a return leg removes its exposure and cost
//! and changes nothing else: the units were idle at home from then on.

use crate::graph::Leg;
use model::*;

/// Every finishing pass, in order, on the convoys for which `editable` holds, with no new
/// leg leaving before `floor` (the present, when re-planning): far units carry on to the
/// exits ([`carry_on`]), last drives home from exits go ([`end_at_exits`]), other last
/// drives home leave by the nearest exit instead ([`leave_by_nearest_exit`]), escorts
/// go home where their cover ends ([`escorts_home_where_cover_ends`]), stock
/// vehicles take safer roads ([`crate::vehicles::safer_vehicles`]), then empty drives
/// home ([`safer_returns`]) and out ([`safer_drives_out`]). Returns how many changes
/// were made; the new convoys have empty ids and the plan's totals are not updated.
pub(crate) fn finish(
    s: &Scenario,
    plan: &mut Plan,
    floor: Period,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    carry_on(s, plan, editable)
        + end_at_exits(s, plan, editable)
        + leave_by_nearest_exit(s, plan, editable)
        + escorts_home_where_cover_ends(s, plan, editable)
        + crate::vehicles::safer_vehicles(s, plan, editable)
        + safer_returns(s, plan, editable)
        + safer_drives_out(s, plan, floor, editable)
}

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
    let t = s.horizon.periods as usize;
    let is_exit = |x: SiteId| s.site(x).exit.is_some();
    // Every convoy of the plan counts, editable or not.
    let mut home = home_counts(s, plan);
    let by_start = by_start(plan);
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
        // The units may drive home in several groups (a convoy of them splits at a hub):
        // each group is followed in turn, until none is left or none can stay.
        while units_of(&plan.convoys[first], f) > 0 {
            let Some(chain) = drive(s, plan, &by_start, first, f, editable, true) else {
                break;
            };
            let end = plan.convoys[*chain.last().expect("non-empty")]
                .arrive
                .idx()
                .min(t);
            let drop = chain_units(plan, &chain, f)
                .min(spare(&home[f.idx()][end..]))
                .min(cover_spared(s, plan, &chain, f));
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

/// The legs of a drive of units of fleet `f` that starts with convoy `first`, followed as
/// the planner writes it: each next leg leaves where the last one arrived, in the period
/// it arrived, empty, editable, with units of the fleet, and not from an exit (a unit
/// there has left). With `home`, a drive home: `None` if it does not reach the fleet's
/// home. Without, a drive out, which ends where no leg goes on: `None` if it comes back
/// home or reaches an exit and goes on (neither is a drive out to a loading site).
fn drive(
    s: &Scenario,
    plan: &Plan,
    by_start: &ByStart,
    first: usize,
    f: FleetId,
    editable: &dyn Fn(&Convoy) -> bool,
    home: bool,
) -> Option<Vec<usize>> {
    let base = s.fleets[f.idx()].home;
    let mut chain = vec![first];
    loop {
        let c = &plan.convoys[*chain.last().expect("non-empty")];
        if c.to == base {
            return home.then_some(chain);
        }
        let next = by_start.get(&(c.to, c.arrive)).and_then(|v| {
            v.iter().copied().find(|&k| {
                let n = &plan.convoys[k];
                n.load.is_empty() && units_of(n, f) > 0 && editable(n)
            })
        });
        match next {
            // Units at an exit have left with the force.
            Some(_) if s.site(c.to).exit.is_some() => return None,
            Some(k) => chain.push(k),
            None => return (!home).then_some(chain),
        }
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

/// [`add_units`], keeping `home` ([`home_counts`]) up to date: units that leave their
/// home on the convoy, or come back on it, count there from its departure or arrival.
fn shift_units(s: &Scenario, home: &mut [Vec<i64>], c: &mut Convoy, f: FleetId, delta: i64) {
    let h = s.fleets[f.idx()].home;
    let v = &mut home[f.idx()];
    let t = v.len() - 1;
    if c.from == h {
        v[c.depart.idx().min(t)..]
            .iter_mut()
            .for_each(|x| *x -= delta);
    }
    if c.to == h {
        v[c.arrive.idx().min(t)..]
            .iter_mut()
            .for_each(|x| *x += delta);
    }
    add_units(c, f, delta);
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
/// ride on to an exit in loaded convoys, hub by hub ([`relay`]), each time taking the place
/// of another fleet's units (same kind, no more capacity), and stay at the exit, instead
/// of driving home empty. The units they replace stay at home, so their drives
/// for that trip go too: back from where the convoy arrives, or out to where it leaves.
/// Nothing else moves: each convoy keeps its load, its vehicle count (so its escort cover
/// and road capacity) and its times; the far units only wait at each hub for it. The free
/// lunch the LP bound finds too: a truck's last trip should end where the force leaves,
/// not where it started. On the generated 1,000-site scenario, where stock passes several
/// hubs on its way out and each hop is a round trip, relays through more than one hub
/// take the winning plan from 1,187,466 to 1,140,766.
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
        let (h, r0) = (plan.convoys[first].from, plan.convoys[first].depart);
        let Some(chain) = drive(s, plan, &by_start, first, f, editable, true) else {
            continue;
        };
        let end = plan.convoys[*chain.last().expect("non-empty")]
            .arrive
            .idx()
            .min(t);
        let mut left = chain_units(plan, &chain, f).min(spare(&home[f.idx()][end..]));
        if left == 0 {
            continue;
        }
        let chain_cost: f64 = chain.iter().map(|&k| leg_cost(&plan.convoys[k], f)).sum();
        while left > 0 {
            let Some((hops, j)) = relay(s, plan, &from_site, &at_site, (h, r0), f, left, editable)
            else {
                break;
            };
            let saved: f64 = f64::from(j) * chain_cost
                + hops
                    .iter()
                    .map(|(k, b, cuts)| {
                        cuts.iter()
                            .map(|&(r, m)| f64::from(m) * leg_cost(&plan.convoys[r], *b))
                            .sum::<f64>()
                            - f64::from(j)
                                * (leg_cost(&plan.convoys[*k], f) - leg_cost(&plan.convoys[*k], *b))
                    })
                    .sum::<f64>();
            if saved <= 0.0 {
                break;
            }
            let mut deltas: Vec<(usize, FleetId, i64)> = Vec::new();
            for (k, b, cuts) in &hops {
                deltas.extend([(*k, *b, -i64::from(j)), (*k, f, i64::from(j))]);
                deltas.extend(cuts.iter().map(|&(r, m)| (r, *b, -i64::from(m))));
            }
            deltas.extend(chain.iter().map(|&leg| (leg, f, -i64::from(j))));
            if !counts_hold(s, plan, &at_site, &home, &deltas) {
                break;
            }
            // Apply: the swaps, the hub units' drives they no longer make, and the far
            // units' drive home.
            for (k, b, cuts) in &hops {
                shift_units(s, &mut home, &mut plan.convoys[*k], *b, -i64::from(j));
                shift_units(s, &mut home, &mut plan.convoys[*k], f, i64::from(j));
                for &(r, m) in cuts {
                    shift_units(s, &mut home, &mut plan.convoys[r], *b, -i64::from(m));
                }
            }
            for &leg in &chain {
                shift_units(s, &mut home, &mut plan.convoys[leg], f, -i64::from(j));
            }
            left -= j;
            carried += j;
        }
    }
    plan.convoys
        .retain(|c| !c.units.is_empty() || !c.load.is_empty());
    carried
}

/// Most convoys a relay rides on its way to an exit ([`relay`]): it never passes a site
/// twice anyway, and this keeps its search short on long chains of hubs.
const RELAY_HOPS: usize = 16;

/// One swap of a relay: the loaded convoy, the fleet whose units the far units replace in
/// it, and that fleet's empty drives to cut ([`cuts`]).
type Hop = (usize, FleetId, Vec<(usize, u32)>);

/// A relay for up to `left` units of fleet `f` that are free at hub `at` from period
/// `ready`: loaded convoys, each leaving where the last one arrived and no earlier, to an
/// exit, in each of which units of another fleet (same kind, no more capacity) give way
/// to them, when those units' empty drives for that trip can go ([`cuts`]); the earliest
/// convoy at each hub that fits. Returns the hops and how many units ride them all, or
/// `None` when the convoys from some hub on lead nowhere.
///
/// Stock moves from hub to hub towards the exits, each hop a round trip of some hub's
/// units, so a unit whose last trip ended at a hub can take every later hop to the exit
/// in turn, and each hub's units it replaces stay at home instead of driving back empty:
/// the one-way trip the LP bound finds, made from the plan's own convoys.
#[allow(clippy::too_many_arguments)]
fn relay(
    s: &Scenario,
    plan: &Plan,
    from_site: &[Vec<usize>],
    at_site: &[Vec<usize>],
    (mut at, mut ready): (SiteId, Period),
    f: FleetId,
    left: u32,
    editable: &dyn Fn(&Convoy) -> bool,
) -> Option<(Vec<Hop>, u32)> {
    let fl = &s.fleets[f.idx()];
    let mut hops: Vec<(usize, FleetId)> = Vec::new();
    let mut seen = vec![at];
    let mut j = left;
    loop {
        if hops.len() >= RELAY_HOPS {
            return None;
        }
        let list = &from_site[at.idx()];
        let after = list.partition_point(|&k| plan.convoys[k].depart < ready);
        let (k, b, n) = list[after..].iter().find_map(|&k| {
            let c = &plan.convoys[k];
            let fits = !c.load.is_empty()
                && editable(c)
                && c.depart >= fl.available.from
                && c.arrive.0 - 1 <= fl.available.until.0
                && !seen.contains(&c.to);
            if !fits {
                return None;
            }
            c.units.iter().find_map(|&(b, nb)| {
                let bl = &s.fleets[b.idx()];
                let ok = b != f
                    && nb > 0
                    && bl.kind == fl.kind
                    && bl.teu <= fl.teu
                    && bl.seats <= fl.seats
                    && cuts(s, plan, at_site, k, b, j.min(nb), editable).is_some();
                ok.then_some((k, b, j.min(nb)))
            })
        })?;
        hops.push((k, b));
        j = n;
        let c = &plan.convoys[k];
        if s.site(c.to).exit.is_some() {
            break;
        }
        seen.push(c.to);
        (at, ready) = (c.to, c.arrive);
    }
    // Fewer units than the first hops allowed may ride the whole relay: cut for those.
    let hops = hops
        .into_iter()
        .map(|(k, b)| cuts(s, plan, at_site, k, b, j, editable).map(|cuts| (k, b, cuts)))
        .collect::<Option<Vec<Hop>>>()?;
    Some((hops, j))
}

/// Whether every fleet's units still add up with `deltas` (convoy, fleet, units added)
/// applied: never a negative count at home (`home`, from [`home_counts`]) or away
/// (`V040`), and none left at the end at a site that is neither the fleet's home nor an
/// exit (`V042`). Each swap of a relay works out its cuts on the plan as it is; a fleet
/// that gives way in several swaps of one relay (the trucks of a hub downstream that
/// fetch stock from several hubs up the road) has its counts changed by all of them at
/// once, which this checks.
fn counts_hold(
    s: &Scenario,
    plan: &Plan,
    at_site: &[Vec<usize>],
    home: &[Vec<i64>],
    deltas: &[(usize, FleetId, i64)],
) -> bool {
    let t = s.horizon.periods as usize;
    let mut touched: Vec<(FleetId, SiteId)> = deltas
        .iter()
        .flat_map(|&(i, g, _)| [(g, plan.convoys[i].from), (g, plan.convoys[i].to)])
        .collect();
    touched.sort();
    touched.dedup();
    for (g, x) in touched {
        let changes = deltas.iter().filter(|d| d.1 == g);
        // At home only the changes are summed onto `home`; away, every move of the fleet.
        let at_home = x == s.fleets[g.idx()].home;
        let (mut count, floor) = if at_home {
            (vec![0i64; t + 1], &home[g.idx()][..])
        } else {
            (moves_at(s, plan, &at_site[x.idx()], g, x), &[][..])
        };
        for &(i, _, d) in changes {
            let c = &plan.convoys[i];
            if c.to == x {
                count[c.arrive.idx().min(t)] += d;
            }
            if c.from == x {
                count[c.depart.idx().min(t)] -= d;
            }
        }
        let mut run = 0;
        for (p, v) in count.iter().enumerate() {
            run += v;
            if run + floor.get(p).copied().unwrap_or(0) < 0 {
                return false;
            }
        }
        if !at_home && run != 0 && s.site(x).exit.is_none() {
            return false;
        }
    }
    true
}

/// The empty drives of fleet `b` to cut when `j` of its units give way in loaded convoy
/// `k` and stay at home instead: unless the convoy leaves their home, their drives out to
/// where it leaves ([`GiveWay::cut_arrivals`]); unless it arrives at their home, their drives home
/// from where it arrives ([`GiveWay::cut_departures`]). `None` when those drives cannot be cut.
fn cuts(
    s: &Scenario,
    plan: &Plan,
    at_site: &[Vec<usize>],
    k: usize,
    b: FleetId,
    j: u32,
    editable: &dyn Fn(&Convoy) -> bool,
) -> Option<Vec<(usize, u32)>> {
    let c = &plan.convoys[k];
    let home = s.fleets[b.idx()].home;
    let at = |x: SiteId| GiveWay {
        s,
        plan,
        at_x: &at_site[x.idx()],
        b,
        x,
        j,
        editable,
    };
    let mut cuts = Vec::new();
    if home != c.from {
        cuts = at(c.from).cut_arrivals(c.depart)?;
    }
    if home != c.to {
        cuts.extend(at(c.to).cut_departures(c.arrive)?);
    }
    Some(cuts)
}

/// Units of fleet `b` that arrive at site `x` less those that leave it, in every period,
/// from the convoys `at_x` that touch it (`V040`'s balance there, before the running sum).
fn moves_at(s: &Scenario, plan: &Plan, at_x: &[usize], b: FleetId, x: SiteId) -> Vec<i64> {
    let t = s.horizon.periods as usize;
    let mut count = vec![0i64; t + 1];
    for c in at_x.iter().map(|&i| &plan.convoys[i]) {
        let n = i64::from(units_of(c, b));
        if c.to == x {
            count[c.arrive.idx().min(t)] += n;
        }
        if c.from == x {
            count[c.depart.idx().min(t)] -= n;
        }
    }
    count
}

/// `j` units of fleet `b` giving way at site `x`, with the plan's convoys `at_x` that touch
/// `x` and the test of which convoys may change: what [`GiveWay::cut_arrivals`] and
/// [`GiveWay::cut_departures`] need.
#[derive(Clone, Copy)]
struct GiveWay<'a> {
    s: &'a Scenario,
    plan: &'a Plan,
    at_x: &'a [usize],
    b: FleetId,
    x: SiteId,
    j: u32,
    editable: &'a dyn Fn(&Convoy) -> bool,
}

impl GiveWay<'_> {
    /// The periods of the horizon, `b`'s home, and [`moves_at`] `x`.
    fn moves(self) -> (usize, SiteId, Vec<i64>) {
        let GiveWay {
            s,
            plan,
            at_x,
            b,
            x,
            ..
        } = self;
        let count = moves_at(s, plan, at_x, b, x);
        (s.horizon.periods as usize, s.fleets[b.idx()].home, count)
    }

    /// The drives out of fleet `b` to site `x` to cut, and by how many units, so that `j`
    /// fewer of its units leaving `x` at `depart` leave none behind and never a negative count
    /// there: each cut is an editable empty drive straight from home that arrives by
    /// `depart`, the latest first, and the cuts add up to `j`. `None` if that is not enough.
    fn cut_arrivals(self, depart: Period) -> Option<Vec<(usize, u32)>> {
        let (plan, b, x, j) = (self.plan, self.b, self.x, self.j);
        // Units of `b` arriving at and leaving `x` in every period, `j` fewer leaving at `depart`.
        let (t, home, mut count) = self.moves();
        count[depart.idx().min(t)] += i64::from(j);
        let mut drives: Vec<usize> = self
            .at_x
            .iter()
            .copied()
            .filter(|&i| {
                let c = &plan.convoys[i];
                c.from == home
                    && c.to == x
                    && c.arrive <= depart
                    && c.load.is_empty()
                    && units_of(c, b) > 0
                    && (self.editable)(c)
            })
            .collect();
        drives.sort_by_key(|&i| std::cmp::Reverse((plan.convoys[i].arrive, i)));
        let mut cuts: Vec<(usize, u32)> = Vec::new();
        let mut need = j;
        for i in drives {
            if need == 0 {
                break;
            }
            let m = units_of(&plan.convoys[i], b).min(need);
            cuts.push((i, m));
            need -= m;
            count[plan.convoys[i].arrive.idx().min(t)] -= i64::from(m);
        }
        if need > 0 {
            return None;
        }
        let mut held = 0;
        for v in count {
            held += v;
            if held < 0 {
                return None;
            }
        }
        Some(cuts)
    }

    /// The departures of fleet `b` from site `x` to cut, and by how many units, so that `j`
    /// fewer units of it arriving at `arrive` never leave a negative count there: each cut is
    /// an editable empty drive straight home. `None` if that is not enough. (A convoy with a
    /// load is never cut, even when these units drive in it empty: its other units' cargo may
    /// count on their seats or room, `V052`.)
    fn cut_departures(self, arrive: Period) -> Option<Vec<(usize, u32)>> {
        let (plan, b, x, j) = (self.plan, self.b, self.x, self.j);
        // Units of `b` at `x` at the end of every period.
        let (t, home, mut count) = self.moves();
        for p in 1..count.len() {
            count[p] += count[p - 1];
        }
        for v in &mut count[arrive.idx().min(t)..] {
            *v -= i64::from(j);
        }
        let mut cuts: Vec<(usize, u32)> = Vec::new();
        while let Some(p) = (arrive.idx().min(t)..=t).find(|&p| count[p] < 0) {
            let mut need = u32::try_from(-count[p]).unwrap_or(u32::MAX);
            for &r in self.at_x {
                let c = &plan.convoys[r];
                if need == 0 {
                    break;
                }
                if c.from != x
                    || c.depart.idx() != p
                    || c.to != home
                    || !c.load.is_empty()
                    || !(self.editable)(c)
                {
                    continue;
                }
                let have =
                    units_of(c, b) - cuts.iter().filter(|q| q.0 == r).map(|q| q.1).sum::<u32>();
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
}

/// Take the safer road home: fleet units that drive home empty on roads more hazardous
/// than necessary drive the safest path home instead, whenever nothing needs them at home
/// before they arrive by it. Only convoys for which `editable` holds are changed, and a
/// drive is re-routed only when that lowers the plan's exposure and does not raise its
/// objective. Returns the number of units re-routed. The plan's totals are not updated;
/// the new convoys have empty ids, for the caller to number, and the convoys stay in
/// order of departure.
///
/// The planner sends a team home on the roads its mission drove (the quickest, on racing
/// policies), because while it plans it cannot know when the team is needed next;
/// `Config::safe_returns` takes the safest roads inside the planner and so delays every
/// later mission of the team. Afterwards it is known, so the detour is taken exactly where
/// it costs nothing.
///
/// A drive home is followed leg by leg as in [`drive`] (each next leg leaves where
/// the last one arrived, in the period it arrived, empty, with units of the fleet), from
/// the site where it starts to the fleet's home. Units that arrive and leave in the same
/// period are never counted at the site in between (`V040`), so taking them out of every
/// leg of the drive changes no count but at home. The new path leaves the same site no
/// earlier; where its units wait for a road to open or to have room, they only add to a
/// site's count, which `V040` never forbids. So the one count to watch is at home: the
/// units arrive later, which `home_counts` must allow in every period in between (or
/// earlier, which is always allowed). Every new leg must be open and the sites it leaves
/// and reaches unrestricted in its periods (`V056`, `V028`), the units must arrive inside
/// their fleet's window and the horizon (`V041`), and each new convoy must fit the road's
/// capacity left in its direction and period and its convoy size (`V054`, `V055`, the
/// plan's own traffic counted). Trucks and carriers drive home alone, so their path avoids
/// roads that need escort (`V053`). Escorts go after the vehicles, once those have left
/// the roads they covered: alone they need no cover and take any road, but only as many
/// may leave each old leg as the vehicles still on it leave uncovered.
pub(crate) fn safer_returns(
    s: &Scenario,
    plan: &mut Plan,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    // Where a drive home starts: an editable empty leg with units of the fleet, away from
    // its home. Vehicles before escorts (see above); within each, earliest first, so that
    // a drive is followed from its first leg, before any later leg could start a shorter
    // one.
    let starts = empty_starts(s, plan, editable, |c, f| s.fleets[f.idx()].home != c.from);
    let mut paths = HomePaths::new(s);
    let home_drive = |plan: &Plan, by: &ByStart, first: usize, f: FleetId| {
        drive(s, plan, by, first, f, editable, true)
    };
    // Arriving later, the units are missing at home in between.
    reroute_drives(s, plan, starts, home_drive, |plan, _, chain, f| {
        let path = paths.path(s, f, plan.convoys[chain[0]].from)?;
        safer(s, plan, chain, &path, f).then_some((path, None))
    })
}

/// Leave with the force from where the last trip ended: fleet units that drive home empty
/// and are never needed at home again drive instead to the exit they reach most safely
/// from where the drive starts, and stay there (`V042`), when that exposes them less
/// than the drive home, and less than the safest path home ([`safer_returns`] would take
/// it). An escort platoon whose last mission ended at Bamako, 2,400
/// hazard-km from Gao, leaves by Bamako's airport, 15 km away on a road of hazard 0; the
/// LP bound's units do the same. Returns the number of units re-routed; the plan's
/// totals are not updated and the new convoys have empty ids.
///
/// What [`end_at_exits`] does for drives home that start at an exit, for drives that start
/// anywhere: the units' count at home falls from the old drive's arrival to the end of
/// the horizon, which `home_counts` must allow (no later mission takes them from home);
/// the new legs are checked as [`safer_returns`] checks its own (open roads, unrestricted
/// sites, road capacity and convoy size, the fleet's window, the horizon), and vehicles
/// without escort keep to roads that need none (`V053`), while escorts leave an escorted
/// leg only as far as the vehicles still on it need no cover from them.
pub(crate) fn leave_by_nearest_exit(
    s: &Scenario,
    plan: &mut Plan,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    use crate::graph::{PathsFrom, adjacency};
    use std::collections::HashMap;
    // Past the last period, so that the units are missing at home in every count
    // (`home_counts` keeps one count after the horizon).
    let end = Period(s.horizon.periods + 1);
    let starts = empty_starts(s, plan, editable, |c, f| s.fleets[f.idx()].home != c.from);
    let escorted: Vec<bool> = s.roads.iter().map(|r| r.escort).collect();
    let no_roads = vec![false; s.roads.len()];
    let adj = adjacency(s);
    let exits: Vec<SiteId> = (0..s.sites.len())
        .map(|i| SiteId(i as u32))
        .filter(|&x| s.site(x).exit.is_some())
        .collect();
    // The safest path from a site to its nearest exit, for vehicles on roads that need no
    // escort and for escorts on every road, found when first needed.
    let mut nearest: HashMap<(SiteId, bool), Option<Vec<Leg>>> = HashMap::new();
    // And the safest path home, which `safer_returns` may take instead.
    let mut homeward = HomePaths::new(s);
    let home_drive = |plan: &Plan, by: &ByStart, first: usize, f: FleetId| {
        drive(s, plan, by, first, f, editable, true)
    };
    reroute_drives(s, plan, starts, home_drive, |plan, home, chain, f| {
        let escort = s.fleets[f.idx()].kind == FleetKind::Escort;
        let from = plan.convoys[chain[0]].from;
        let old_end = arrival(s, plan, chain);
        // Units needed at home after the old arrival cannot leave for good.
        if spare(&home[old_end.idx()..]) == 0 {
            return None;
        }
        let path = nearest.entry((from, escort)).or_insert_with(|| {
            let tree = PathsFrom::new(s, &adj, from, if escort { &no_roads } else { &escorted });
            exits
                .iter()
                .filter_map(|&x| Some((tree.key(x)?, x)))
                .min()
                .and_then(|(_, x)| tree.path(x))
        });
        let path = path.as_ref().filter(|p| !p.is_empty())?;
        let home_path = homeward.path(s, f, from);
        let by_home = home_path.as_ref().filter(|p| safer(s, plan, chain, p, f));
        let better = safer(s, plan, chain, path, f)
            && !by_home.is_some_and(|p| hazard_km(s, p) <= hazard_km(s, path));
        // The units never come home: missing there from the old arrival on.
        better.then(|| (path.clone(), Some(end)))
    })
}

/// Escorts go home where their cover ends: escort units that ride a leg on a road that
/// needs no escort, and from there ride on with their team until it brings them home,
/// drive home from where that leg starts instead, alone on the safest path, when that
/// exposes them less. The planner sends escorts on a team's whole round trip (home,
/// loading site, destination and back), so Gao's escorts rode with the stock vehicles
/// from Sevare on to Bamako (630 km that need no escort) and then home to Gao on the
/// through road (1,200 km at hazard 2), where from Sevare they are home after 570 km.
/// Returns the number of units re-routed; the plan's totals are not updated and the new
/// convoys have empty ids.
///
/// The ride is followed leg by leg, loaded or not: each next leg leaves where the last
/// one arrived, in the period it arrived, with units of the fleet; it is given up where
/// it reaches an exit or stops. Escorts leave a leg on a road that needs escort only as
/// far as the vehicles left on it need no cover from them (`V053`); the new drive is
/// checked as [`safer_returns`] checks its own, and when it arrives later than the old
/// one, the units must not be needed at home in between (`V040`).
pub(crate) fn escorts_home_where_cover_ends(
    s: &Scenario,
    plan: &mut Plan,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    let mut paths = HomePaths::new(s);
    // Where such a ride starts: an editable leg on a road that needs no escort, with units
    // of an escort fleet, not from an exit; earliest first.
    let mut starts: Vec<(usize, FleetId)> = Vec::new();
    for (i, c) in plan.convoys.iter().enumerate() {
        if s.roads[c.road.idx()].escort || s.site(c.from).exit.is_some() || !editable(c) {
            continue;
        }
        for &(f, n) in &c.units {
            if n > 0 && s.fleets[f.idx()].kind == FleetKind::Escort {
                starts.push((i, f));
            }
        }
    }
    starts.sort_by_key(|&(i, f)| (plan.convoys[i].depart, i, f));
    let ride = |plan: &Plan, by: &ByStart, first: usize, f: FleetId| {
        ride_home(s, plan, by, first, f, editable)
    };
    reroute_drives(s, plan, starts, ride, |plan, _, chain, f| {
        let path = paths.path(s, f, plan.convoys[chain[0]].from)?;
        safer(s, plan, chain, &path, f).then_some((path, None))
    })
}

/// The re-routing passes' common loop: for each start (a convoy and a fleet with units on
/// it), while units of the fleet remain on it, `follow` gives the legs they drive from
/// there (a chain, or `None`), and `choose` (given the fleet's home counts) a new path
/// for them from where and when the chain starts, and, for units that never come home,
/// the end of their absence; then as many as fit move onto it ([`Traffic::divert`]).
/// Returns how many units moved; convoys left with nobody go, and the rest stay in order
/// of departure.
fn reroute_drives(
    s: &Scenario,
    plan: &mut Plan,
    starts: Vec<(usize, FleetId)>,
    follow: impl Fn(&Plan, &ByStart, usize, FleetId) -> Option<Vec<usize>>,
    mut choose: impl FnMut(&Plan, &[i64], &[usize], FleetId) -> Option<(Vec<Leg>, Option<Period>)>,
) -> u32 {
    let mut home = home_counts(s, plan);
    let by_start = by_start(plan);
    let mut traffic = Traffic::new(s, plan);
    let mut moved = 0;
    for (first, f) in starts {
        while units_of(&plan.convoys[first], f) > 0 {
            let Some(chain) = follow(plan, &by_start, first, f) else {
                break;
            };
            let Some((path, until)) = choose(plan, &home[f.idx()], &chain, f) else {
                break;
            };
            let (depart, old_end) = (plan.convoys[first].depart, arrival(s, plan, &chain));
            let home = &mut home[f.idx()];
            let n = traffic.divert(
                s,
                plan,
                home,
                (&chain, f),
                (&path, depart),
                (old_end, until),
            );
            if n == 0 {
                break;
            }
            moved += n;
        }
    }
    drop_empty_in_order(plan);
    moved
}

/// When the last leg of `chain` arrives, within the horizon.
fn arrival(s: &Scenario, plan: &Plan, chain: &[usize]) -> Period {
    plan.convoys[*chain.last().expect("non-empty")]
        .arrive
        .min(Period(s.horizon.periods))
}

/// The convoys leaving each site in each period (`by_start`).
type ByStart = std::collections::HashMap<(SiteId, Period), Vec<usize>>;

/// The legs that units of fleet `f` ride from convoy `first` until they reach home, loaded
/// or not: each next leg leaves where the last one arrived, in the period it arrived,
/// editable, with units of the fleet. `None` when the ride reaches an exit (units there
/// have left) or stops short of home.
fn ride_home(
    s: &Scenario,
    plan: &Plan,
    by_start: &ByStart,
    first: usize,
    f: FleetId,
    editable: &dyn Fn(&Convoy) -> bool,
) -> Option<Vec<usize>> {
    let base = s.fleets[f.idx()].home;
    let mut chain = vec![first];
    loop {
        let c = &plan.convoys[*chain.last().expect("non-empty")];
        if c.to == base {
            return Some(chain);
        }
        if s.site(c.to).exit.is_some() {
            return None;
        }
        let next = by_start
            .get(&(c.to, c.arrive))?
            .iter()
            .copied()
            .find(|&k| {
                let n = &plan.convoys[k];
                units_of(n, f) > 0 && editable(n)
            })?;
        chain.push(next);
    }
}

/// Take the safer road out: fleet units (trucks, carriers and the escorts riding with
/// them) that drive empty from their home to the site where they load, on roads more
/// hazardous than necessary, drive the safest path instead, leaving home earlier so that
/// they reach the loading site no later than before. The mirror of [`safer_returns`].
/// Only convoys for which `editable` holds are changed, and no new leg departs before
/// `floor` (the plan's present: period 0, or the first period a re-plan may move in). A
/// drive is re-routed only when that lowers the plan's exposure and does not raise its
/// objective. Returns the number of units re-routed. The plan's totals are not updated;
/// the new convoys have empty ids, for the caller to number, and the convoys stay in
/// order of departure.
///
/// The planner times a mission from the moment its team may leave home and takes the
/// quickest road out when the mission races a deadline. Once the plan is made, it is
/// known how long the units were idle at home before: where they were, they may as well
/// leave sooner on a safer road. Nothing the plan delivers moves, so closures, lateness
/// and the makespan stay as they were.
///
/// A drive out is followed leg by leg as the planner writes it (each next leg leaves where
/// the last one arrived, in the period it arrived, empty, with units of the fleet), from
/// the fleet's home to the site where it ends. Units that arrive and leave in the same
/// period are never counted at the site in between (`V040`), so taking them out of every
/// leg of the drive changes no count but at home and at its end. The new path is timed
/// backwards from the old arrival: each leg leaves as late as its road is open, its ends
/// are unrestricted and the road has room, and arrives no later than the next leg leaves
/// (waiting units only add to a site's count, which `V040` never forbids). At the end the
/// units arrive no later, which only adds to the count there. At home they leave earlier,
/// which `home_counts` must allow in every period in between, and not before the fleet's
/// window opens (`V041`) nor before `floor`. Every new leg must be open and within the
/// road's capacity left and its convoy size (`V028`, `V054`, `V055`, `V056`, the plan's
/// own traffic counted). Trucks and carriers drive alone, so their path avoids roads that
/// need escort (`V053`); escorts go after them, once the vehicles have left the roads
/// they covered: alone they need no cover and take any road, but only as many may leave
/// each old leg as the vehicles still on it leave uncovered.
pub(crate) fn safer_drives_out(
    s: &Scenario,
    plan: &mut Plan,
    floor: Period,
    editable: &dyn Fn(&Convoy) -> bool,
) -> u32 {
    use crate::graph::{PathsFrom, adjacency};
    use std::collections::HashMap;
    let mut home = home_counts(s, plan);
    let by_start = by_start(plan);
    let mut traffic = Traffic::new(s, plan);
    // Where a drive out starts: an editable empty leg from the fleet's home with its units.
    let starts = empty_starts(s, plan, editable, |c, f| s.fleets[f.idx()].home == c.from);
    // The safest paths from each home, found when first needed: for vehicles on roads that
    // need no escort, for escorts on every road.
    let adj = adjacency(s);
    let escorted: Vec<bool> = s.roads.iter().map(|r| r.escort).collect();
    let no_roads = vec![false; s.roads.len()];
    let mut paths: HashMap<(SiteId, bool), PathsFrom> = HashMap::new();
    let mut rerouted = 0;
    for (first, f) in starts {
        let fl = &s.fleets[f.idx()];
        let escort = fl.kind == FleetKind::Escort;
        // No unit leaves home before its window opens, nor before the plan's present.
        let earliest = floor.max(fl.available.from);
        while units_of(&plan.convoys[first], f) > 0 {
            let Some(chain) = drive(s, plan, &by_start, first, f, editable, false) else {
                break;
            };
            let old_start = plan.convoys[first].depart;
            let last = &plan.convoys[*chain.last().expect("non-empty")];
            let (to, old_end) = (last.to, last.arrive);
            let tree = paths.entry((fl.home, escort)).or_insert_with(|| {
                let avoid = if escort { &no_roads } else { &escorted };
                PathsFrom::new(s, &adj, fl.home, avoid)
            });
            let Some(path) = tree.path(to) else {
                break;
            };
            if !safer(s, plan, &chain, &path, f) {
                break;
            }
            // Timed backwards: each leg arrives no later than the next one leaves.
            let mut n = chain_units(plan, &chain, f);
            let mut at = old_end;
            let mut legs = Vec::with_capacity(path.len());
            for l in path.iter().rev() {
                let Some(d) =
                    at.0.checked_sub(l.periods)
                        .and_then(|d| traffic.first_room(s, plan, l, Period(d), Some(earliest)))
                else {
                    break;
                };
                n = n.min(traffic.room(s, plan, l, d));
                legs.push((*l, d));
                at = d;
            }
            if legs.len() < path.len() {
                break;
            }
            legs.reverse();
            let new_start = at;
            // Leaving earlier, the units are missing at home in between.
            let home = &mut home[f.idx()];
            let n = traffic.reroute(s, plan, home, (new_start, old_start), &chain, &legs, f, n);
            if n == 0 {
                break;
            }
            rerouted += n;
        }
    }
    drop_empty_in_order(plan);
    rerouted
}

/// Convoys by where and when they leave, to follow a drive leg by leg.
fn by_start(plan: &Plan) -> ByStart {
    let mut by_start = ByStart::new();
    for (i, c) in plan.convoys.iter().enumerate() {
        by_start.entry((c.from, c.depart)).or_default().push(i);
    }
    by_start
}

/// The editable empty legs with units of a fleet for which `first` holds (where a drive
/// starts), as (convoy, fleet). Vehicles before escorts, so that escorts see the cover
/// the vehicles no longer need; within each, earliest first, so that a drive is followed
/// from its first leg.
fn empty_starts(
    s: &Scenario,
    plan: &Plan,
    editable: &dyn Fn(&Convoy) -> bool,
    first: impl Fn(&Convoy, FleetId) -> bool,
) -> Vec<(usize, FleetId)> {
    let mut starts: Vec<(usize, FleetId)> = Vec::new();
    for (i, c) in plan.convoys.iter().enumerate() {
        if c.load.is_empty() && editable(c) {
            for &(f, n) in &c.units {
                if n > 0 && first(c, f) {
                    starts.push((i, f));
                }
            }
        }
    }
    starts.sort_by_key(|&(i, f)| {
        let escort = s.fleets[f.idx()].kind == FleetKind::Escort;
        (escort, plan.convoys[i].depart, i, f)
    });
    starts
}

/// Whether one unit of fleet `f` driving `path` instead of the convoys `chain` lowers the
/// exposure strictly and the objective (exposure and cost at their weights) not at all.
fn safer(s: &Scenario, plan: &Plan, chain: &[usize], path: &[Leg], f: FleetId) -> bool {
    let w = &s.objective;
    let per_km = s.fleets[f.idx()].cost_per_km;
    let sums = |roads: &mut dyn Iterator<Item = RoadId>| {
        roads.fold((0.0, 0.0), |(h, o), r| {
            let r = &s.roads[r.idx()];
            let hazard = r.km * f64::from(r.hazard);
            (h + hazard, o + w.exposure * hazard + w.cost * per_km * r.km)
        })
    };
    let (old_hazard, old_cost) = sums(&mut chain.iter().map(|&k| plan.convoys[k].road));
    let (new_hazard, new_cost) = sums(&mut path.iter().map(|l| l.road));
    new_hazard < old_hazard && new_cost <= old_cost
}

/// The safest paths home of each fleet's units, searched when first needed: for trucks
/// and carriers on roads that need no escort (they drive home alone, `V053`), for escorts
/// on every road.
struct HomePaths {
    escorted: Vec<bool>,
    trees: std::collections::HashMap<(SiteId, bool), crate::graph::PathsTo>,
}

impl HomePaths {
    fn new(s: &Scenario) -> Self {
        HomePaths {
            escorted: s.roads.iter().map(|r| r.escort).collect(),
            trees: std::collections::HashMap::new(),
        }
    }

    /// The safest path home for units of fleet `f` at `from`.
    fn path(&mut self, s: &Scenario, f: FleetId, from: SiteId) -> Option<Vec<Leg>> {
        let fl = &s.fleets[f.idx()];
        let escort = fl.kind == FleetKind::Escort;
        let escorted = &self.escorted;
        self.trees
            .entry((fl.home, escort))
            .or_insert_with(|| {
                let no_sites = vec![false; s.sites.len()];
                let no_roads = vec![false; s.roads.len()];
                let avoid = if escort { &no_roads } else { escorted };
                crate::graph::PathsTo::new(s, fl.home, true, &no_sites, avoid)
            })
            .path(from)
    }
}

/// Hazard-weighted kilometres of one unit driving `path`.
fn hazard_km(s: &Scenario, path: &[Leg]) -> f64 {
    path.iter()
        .map(|l| {
            let r = &s.roads[l.road.idx()];
            r.km * f64::from(r.hazard)
        })
        .sum()
}

/// Units of fleet `f` on every convoy of `chain`: as many as may take another path.
fn chain_units(plan: &Plan, chain: &[usize], f: FleetId) -> u32 {
    chain
        .iter()
        .map(|&k| units_of(&plan.convoys[k], f))
        .min()
        .unwrap_or(0)
}

/// The fewest units a stretch of a fleet's home counts holds: as many as may be missing
/// there throughout.
fn spare(counts: &[i64]) -> u32 {
    let least = counts.iter().copied().min().unwrap_or(i64::MAX);
    u32::try_from(least.max(0)).unwrap_or(u32::MAX)
}

/// Move `n` units' worth of a fleet's home counts: they are missing at home from `gone`
/// until `back` (or, when `back` comes first, there for longer in between).
fn shift(counts: &mut [i64], gone: Period, back: Period, n: u32) {
    let n = i64::from(n);
    if gone < back {
        for x in &mut counts[gone.idx()..back.idx()] {
            *x -= n;
        }
    } else {
        for x in &mut counts[back.idx()..gone.idx()] {
            *x += n;
        }
    }
}

/// The vehicles that a convoy of `units` and `stock` vehicles drives, escorts aside, and
/// how many vehicles its escorts cover (`V053`).
pub(crate) fn vehicles_and_cover(s: &Scenario, units: &[(FleetId, u32)], stock: u32) -> (u32, u32) {
    let (mut vehicles, mut cover) = (stock, 0);
    for &(f, n) in units {
        let fl = &s.fleets[f.idx()];
        if fl.kind == FleetKind::Escort {
            cover += n * fl.cover;
        } else {
            vehicles += n;
        }
    }
    (vehicles, cover)
}

/// How many units of escort fleet `f` may leave every convoy of `chain` on a road that
/// needs escort with the cover left still reaching the vehicles (`V053`; the escorts
/// themselves need none). No limit for other fleets and on other roads.
fn cover_spared(s: &Scenario, plan: &Plan, chain: &[usize], f: FleetId) -> u32 {
    let fl = &s.fleets[f.idx()];
    if fl.kind != FleetKind::Escort {
        return u32::MAX;
    }
    let mut most = u32::MAX;
    for c in chain.iter().map(|&k| &plan.convoys[k]) {
        if !s.roads[c.road.idx()].escort {
            continue;
        }
        let (vehicles, cover) = vehicles_and_cover(s, &c.units, c.load.vehicles);
        if let Some(m) = cover.saturating_sub(vehicles).checked_div(fl.cover) {
            most = most.min(m);
        }
    }
    most
}

/// The fleet traffic of a plan that the re-routing passes watch: vehicles departing on
/// each road with a capacity, by direction and period (`V055`), from every convoy of the
/// plan; and the convoys a pass adds, by (road, from, depart), so that units re-routed the
/// same way at the same time drive together (and their convoy size is known, `V054`).
pub(crate) struct Traffic {
    t: usize,
    used: Vec<u32>,
    added: std::collections::HashMap<(RoadId, SiteId, Period), usize>,
}

impl Traffic {
    pub(crate) fn new(s: &Scenario, plan: &Plan) -> Self {
        let t = s.horizon.periods as usize;
        let mut traffic = Traffic {
            t,
            used: vec![0u32; s.roads.len() * 2 * t],
            added: std::collections::HashMap::new(),
        };
        for c in &plan.convoys {
            if let Some(k) = traffic.slot(s, c.road, c.from, c.depart) {
                traffic.used[k] += vehicles(c);
            }
        }
        traffic
    }

    /// Where the vehicles departing on `road` from `from` in `depart` are counted, for a
    /// road with a capacity.
    fn slot(&self, s: &Scenario, road: RoadId, from: SiteId, depart: Period) -> Option<usize> {
        let r = &s.roads[road.idx()];
        r.vehicles_per_period.map(|_| {
            (road.idx() * 2 + usize::from(from != r.a)) * self.t + depart.idx().min(self.t - 1)
        })
    }

    /// Count `n` more (`add`) or fewer vehicles departing on `road` from `from` in
    /// `depart`.
    pub(crate) fn count(
        &mut self,
        s: &Scenario,
        (road, from, depart): (RoadId, SiteId, Period),
        n: u32,
        add: bool,
    ) {
        if let Some(i) = self.slot(s, road, from, depart) {
            if add {
                self.used[i] += n;
            } else {
                self.used[i] -= n;
            }
        }
    }

    /// The first period from `d` on in which leg `l` has room for a unit ([`Traffic::room`])
    /// and ends inside the horizon; with `back`, the first from `d` back to `back`
    /// instead. `None` when there is none: units wait where they are for the road.
    pub(crate) fn first_room(
        &self,
        s: &Scenario,
        plan: &Plan,
        l: &Leg,
        mut d: Period,
        back: Option<Period>,
    ) -> Option<Period> {
        loop {
            match back {
                None if d.plus(l.periods).idx() >= self.t => return None,
                Some(earliest) if d < earliest => return None,
                _ => {}
            }
            if self.room(s, plan, l, d) > 0 {
                return Some(d);
            }
            d = match back {
                None => d.plus(1),
                Some(_) => Period(d.0.checked_sub(1)?),
            };
        }
    }

    /// Time a new drive along `path` from `depart`: each leg leaves as soon as its road is
    /// open, its ends are unrestricted and the road has room; the units wait where they
    /// are until then (more units at a site never break `V040`, and waiting exposes
    /// nobody). The legs with their departures, how many units all of them have room
    /// for, and the arrival; `None` when a leg finds no room inside the horizon.
    fn schedule(
        &self,
        s: &Scenario,
        plan: &Plan,
        path: &[Leg],
        depart: Period,
    ) -> Option<(Timed, u32, Period)> {
        let (mut at, mut n) = (depart, u32::MAX);
        let mut legs = Vec::with_capacity(path.len());
        for l in path {
            let d = self.first_room(s, plan, l, at, None)?;
            n = n.min(self.room(s, plan, l, d));
            legs.push((*l, d));
            at = d.plus(l.periods);
        }
        Some((legs, n, at))
    }

    /// Move units of fleet `f` off the convoys `chain` onto a new drive along `path` from
    /// `depart` ([`Traffic::schedule`]), as many as its legs have room for
    /// ([`Traffic::reroute`]). They are away from home from `gone` until the new drive
    /// arrives, or until `until` when given (past the horizon: for good). Returns how many
    /// moved: none when a leg finds no room or the drive ends past the fleet's window
    /// (`V041`).
    fn divert(
        &mut self,
        s: &Scenario,
        plan: &mut Plan,
        home: &mut [i64],
        (chain, f): (&[usize], FleetId),
        (path, depart): (&[Leg], Period),
        (gone, until): (Period, Option<Period>),
    ) -> u32 {
        let Some((legs, room, arrive)) = self.schedule(s, plan, path, depart) else {
            return 0;
        };
        if arrive.0.saturating_sub(1) > s.fleets[f.idx()].available.until.0 {
            return 0;
        }
        let n = chain_units(plan, chain, f).min(room);
        let away = (gone, until.unwrap_or(arrive));
        self.reroute(s, plan, home, away, chain, &legs, f, n)
    }

    /// How many units may drive leg `l` leaving in `d`: none when it would end past the
    /// horizon, the road is closed or either end restricted then (`V056`, `V028`), else as
    /// many as the road's capacity left and the added convoy's size allow.
    pub(crate) fn room(&self, s: &Scenario, plan: &Plan, l: &Leg, d: Period) -> u32 {
        let a = d.plus(l.periods);
        if a.idx() >= self.t
            || s.road_blocked(l.road, d, a)
            || s.site_restricted(l.from, d)
            || s.site_restricted(l.to, a)
        {
            return 0;
        }
        let r = &s.roads[l.road.idx()];
        let mut room = u32::MAX;
        if let Some(most) = r.max_convoy {
            let on = self
                .added
                .get(&(l.road, l.from, d))
                .map_or(0, |&k| vehicles(&plan.convoys[k]));
            room = room.min(most.saturating_sub(on));
        }
        if let Some((most, k)) = r.vehicles_per_period.zip(self.slot(s, l.road, l.from, d)) {
            room = room.min(most.saturating_sub(self.used[k]));
        }
        room
    }

    /// Take up to `n` units of fleet `f` out of the convoys `chain` and put them on `legs`,
    /// each leaving in its period, in convoys of their own; returns how many. The units
    /// are away from their home from `away.0` until `away.1` where they were there before
    /// (or there for longer, when `away.1` comes first): as many as `home`, the fleet's
    /// home counts, holds throughout may go (`V040`). Escorts leave an escorted leg only
    /// as far as the vehicles still on it need no cover from them (`V053`).
    #[allow(clippy::too_many_arguments)]
    fn reroute(
        &mut self,
        s: &Scenario,
        plan: &mut Plan,
        home: &mut [i64],
        away: (Period, Period),
        chain: &[usize],
        legs: &[(Leg, Period)],
        f: FleetId,
        n: u32,
    ) -> u32 {
        let (gone, back) = away;
        let mut n = n.min(cover_spared(s, plan, chain, f));
        if gone < back {
            n = n.min(spare(&home[gone.idx()..back.idx()]));
        }
        if n == 0 {
            return 0;
        }
        shift(home, gone, back, n);
        for &k in chain {
            let c = &plan.convoys[k];
            self.count(s, (c.road, c.from, c.depart), n, false);
            add_units(&mut plan.convoys[k], f, -i64::from(n));
        }
        for &(l, d) in legs {
            let k = *self.added.entry((l.road, l.from, d)).or_insert_with(|| {
                plan.convoys.push(Convoy {
                    id: String::new(),
                    road: l.road,
                    from: l.from,
                    to: l.to,
                    depart: d,
                    arrive: d.plus(l.periods),
                    units: Vec::new(),
                    load: Load::default(),
                });
                plan.convoys.len() - 1
            });
            add_units(&mut plan.convoys[k], f, i64::from(n));
            self.count(s, (l.road, l.from, d), n, true);
        }
        n
    }
}

/// The legs of a new drive, each with its departure.
type Timed = Vec<(Leg, Period)>;

/// Drop the convoys a pass left with nobody (`V058`) and keep the rest in order of
/// departure.
pub(crate) fn drop_empty_in_order(plan: &mut Plan) {
    plan.convoys
        .retain(|c| !c.units.is_empty() || !c.load.is_empty());
    plan.convoys.sort_by_key(|c| c.depart);
}

/// Vehicles in a convoy: all units and stock vehicles.
pub(crate) fn vehicles(c: &Convoy) -> u32 {
    c.load.vehicles + c.units.iter().map(|u| u.1).sum::<u32>()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `camp`'s 4 trucks deliver its 16 TEU to `port` by `town` in two trips. The first
    /// drive home is needed for the second trip and stays; the second goes back to `town`
    /// together and home from there in two convoys of 2: both groups stay at the exit, so
    /// all of that drive goes (4 unit-legs from `port`, 2 x 2 from `town`).
    /// A scenario of `tests/data` and its site ids by name.
    pub(crate) fn load(name: &str, text: &str) -> (Scenario, impl Fn(&str) -> SiteId) {
        let s = scenario::load_str(name, text).unwrap().scenario;
        let ids: Vec<String> = s.sites.iter().map(|x| x.id.clone()).collect();
        let site = move |id: &str| SiteId(ids.iter().position(|x| x == id).unwrap() as u32);
        (s, site)
    }

    /// A leg of one period from `from` to `to` on the road between them, leaving in
    /// `depart`, with `units` and `load`.
    pub(crate) fn day_leg(
        s: &Scenario,
        (from, to, depart): (SiteId, SiteId, u32),
        units: Vec<(FleetId, u32)>,
        load: Load,
    ) -> Convoy {
        let road = s
            .roads
            .iter()
            .position(|r| (r.a, r.b) == (from, to) || (r.a, r.b) == (to, from))
            .expect("a road");
        Convoy {
            id: format!("C{depart}-{}-{}", from.0, to.0),
            road: RoadId(road as u32),
            from,
            to,
            depart: Period(depart),
            arrive: Period(depart + 1),
            units: units.into_iter().filter(|u| u.1 > 0).collect(),
            load,
        }
    }

    /// The plan's exposure, once the checker has accepted it (`when` says which).
    fn checked_exposure(s: &Scenario, plan: &mut Plan, when: &str) -> f64 {
        crate::summary::summarize(s, plan);
        if let Err(e) = scenario::check::accept(s, plan) {
            panic!("the checker rejects the plan {when}: {e:?}");
        }
        plan.totals.exposure
    }

    /// Where and when the units of fleet `f` drive: (from, to, departure) of every leg.
    fn legs_of(plan: &Plan, f: FleetId) -> Vec<(SiteId, SiteId, u32)> {
        plan.convoys
            .iter()
            .filter(|c| units_of(c, f) > 0)
            .map(|c| (c.from, c.to, c.depart.0))
            .collect()
    }

    /// Plan `escort-ride` with the escort based at `home` on `legs` (from, to, departure,
    /// escorts, vehicles), run [`escorts_home_where_cover_ends`], and assert that one
    /// unit is re-routed, the escort's legs afterwards (from, to, departure), the exposure
    /// saved, and that the checker accepts the plan before and after.
    fn check_ride(
        home: &str,
        legs: &[(&str, &str, u32, u32, u32)],
        expect: &[(&str, &str, u32)],
        saved: f64,
    ) {
        let (mut s, site) = load(
            "escort-ride",
            include_str!("../tests/data/escort-ride.toml"),
        );
        s.fleets[0].home = site(home);
        let convoys = legs
            .iter()
            .map(|&(from, to, depart, escorts, vehicles)| {
                let load = Load {
                    vehicles,
                    ..Load::default()
                };
                let at = (site(from), site(to), depart);
                day_leg(&s, at, vec![(FleetId(0), escorts)], load)
            })
            .collect();
        let mut plan = Plan {
            convoys,
            ..Plan::default()
        };
        let before = checked_exposure(&s, &mut plan, "before");
        assert_eq!(escorts_home_where_cover_ends(&s, &mut plan, &|_| true), 1);
        let expect: Vec<(SiteId, SiteId, u32)> = expect
            .iter()
            .map(|&(a, b, d)| (site(a), site(b), d))
            .collect();
        assert_eq!(legs_of(&plan, FleetId(0)), expect, "the escort's legs");
        let after = checked_exposure(&s, &mut plan, "after");
        assert_eq!(before - after, saved, "exposure saved");
    }

    /// `camp`'s escort covers its 20 vehicles on the dangerous road to `town`, and rides on
    /// with them to `city` (a road that needs no escort), then home alone on the city's
    /// own road (300 km at hazard 2). From `town` it is home after 100 km at hazard 3, a
    /// day earlier: it goes home from there, and the ride's 700 hazard-km become 300.
    #[test]
    fn an_escort_goes_home_where_its_cover_ends() {
        check_ride(
            "camp",
            &[
                ("camp", "town", 0, 1, 20),
                ("town", "city", 1, 1, 20),
                ("city", "port", 2, 0, 20),
                ("city", "camp", 2, 1, 0),
            ],
            &[("camp", "town", 0), ("town", "camp", 1)],
            400.0,
        );
    }

    /// The same escort based at `town`: it fetches the vehicles from `camp`, covers them
    /// back to `town` and used to ride on with them to `city` and back alone, on roads that
    /// need no escort (2 x 100 km at hazard 1). It stays home instead (no new leg), from
    /// the day it would have left until the day it would have come back.
    #[test]
    fn an_escort_whose_cover_ends_at_home_stays_there() {
        check_ride(
            "town",
            &[
                ("town", "camp", 0, 1, 0),
                ("camp", "town", 1, 1, 20),
                ("town", "city", 2, 1, 20),
                ("city", "port", 3, 0, 20),
                ("city", "town", 3, 1, 0),
            ],
            &[("town", "camp", 0), ("camp", "town", 1)],
            200.0,
        );
    }

    /// `camp`'s 2 trucks take its 8 TEU to `hub` in two trips, and `hub`'s trucks take
    /// them on to `port`. The camp trucks' first drive home is needed for their second
    /// trip and stays; after the second, nothing needs them at home, so they leave by the
    /// airport next to the hub (10 km at hazard 0) instead of driving 300 km at hazard 2
    /// home. The hub's trucks start their drives home at the port, which is an exit:
    /// this pass leaves them to [`end_at_exits`].
    #[test]
    fn a_last_drive_home_leaves_by_the_nearest_exit_instead() {
        let (s, site) = load("airport", include_str!("../tests/data/airport-exit.toml"));
        let (camp, hub, airport, port) = (site("camp"), site("hub"), site("airport"), site("port"));
        let (camp_trucks, hub_trucks) = (FleetId(0), FleetId(1));
        let leg = |from: SiteId, to: SiteId, depart: u32, f: FleetId, teu: u32| {
            let load = Load {
                teu,
                ..Load::default()
            };
            day_leg(&s, (from, to, depart), vec![(f, 2)], load)
        };
        let mut plan = Plan {
            convoys: vec![
                leg(camp, hub, 0, camp_trucks, 4),
                leg(hub, port, 1, hub_trucks, 4),
                leg(hub, camp, 1, camp_trucks, 0),
                leg(camp, hub, 2, camp_trucks, 4),
                leg(port, hub, 2, hub_trucks, 0),
                leg(hub, port, 3, hub_trucks, 4),
                leg(hub, camp, 3, camp_trucks, 0),
                leg(port, hub, 4, hub_trucks, 0),
            ],
            ..Plan::default()
        };
        let before = checked_exposure(&s, &mut plan, "before");
        assert_eq!(
            leave_by_nearest_exit(&s, &mut plan, &|_| true),
            2,
            "units re-routed"
        );
        let drives = |to: SiteId| {
            plan.convoys
                .iter()
                .filter(|c| c.to == to && c.load.is_empty())
                .map(|c| (c.depart.0, c.units.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            drives(camp),
            vec![(1, vec![(camp_trucks, 2)])],
            "the first drive home stays"
        );
        assert_eq!(
            drives(airport),
            vec![(3, vec![(camp_trucks, 2)])],
            "the last leaves by the airport"
        );
        assert_eq!(
            drives(hub).len(),
            2,
            "the hub's trucks still drive home from the port"
        );
        let after = checked_exposure(&s, &mut plan, "after");
        assert!(
            after < before - 1000.0,
            "a drive of 2 x 300 km at hazard 2 goes: {before} -> {after}"
        );
    }

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
