//! Why a plan looks the way it does (`drawdown explain`): the resources that bind and when,
//! the critical chain, the measured value of one more unit, the latest safe start of each
//! site, and what would meet a missed deadline.
//!
//! Two kinds of evidence rank the resources: the shadow prices of the *deadline LP* (the
//! bound's time-expanded LP whose only cost is stock held past deadlines, see
//! `bound::shadows`) and the plan itself (the periods in which it uses a capacity fully,
//! and what the last movements of the critical site used). Nothing is claimed from those
//! alone: every figure about a change (one more unit, a later start, a fix for a missed
//! deadline) is *measured* by re-planning the changed scenario, and the re-plan is returned
//! with the claim so that the caller can put it through the independent checker.
//!
//! Re-plans run in parallel with rayon; each is a pure function of its scenario, and the
//! results are collected in a fixed order, so the explanation does not depend on the
//! number of threads.

use crate::bound::{BoundConfig, Term, shadows};
use crate::greedy::{Config, plan};
use model::explain::*;
use model::*;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Settings of an explanation.
#[derive(Clone, Debug)]
pub struct ExplainConfig {
    /// The planner used for every re-plan (the same as for the plan explained).
    pub planner: Config,
    /// The LP settings (its coarsening applies to the deadline LP too).
    pub bound: BoundConfig,
    /// How many candidate resources to measure with one more unit.
    pub measure: usize,
    /// Whether to search the latest safe start of every site.
    pub latest_start: bool,
    /// Whether the plan explained had its fleets routed again ([`crate::reroute`], as
    /// [`crate::optimize`] does to its best plan, [`crate::Optimized::rerouted`]): the
    /// re-plans that measure one more unit are then routed again too, so that the gain is
    /// the unit's and not the routing's.
    pub reroute: bool,
    /// Whether the plan explained was then finished sooner ([`crate::finish_sooner`],
    /// [`crate::Optimized::finished_sooner`]): so are the re-plans, after their routing.
    pub sooner: bool,
}

impl Default for ExplainConfig {
    fn default() -> Self {
        ExplainConfig {
            planner: Config::default(),
            bound: BoundConfig::default(),
            measure: 6,
            latest_start: true,
            reroute: false,
            sooner: false,
        }
    }
}

/// A utilisation at or above this share of a capacity counts as saturated.
const SATURATED: f64 = 0.9;

/// Explain `base`, a plan the planner made for `s` with `cfg.planner`.
pub fn explain(s: &Scenario, base: &Plan, cfg: &ExplainConfig) -> Explanation {
    let use_base = usage(s, base);
    let critical = critical_chain(s, base, &use_base);
    // The deadline LP is a ranking signal only; without it the plan's evidence remains.
    let shadow = shadows(s, &cfg.bound).map(|(v, _)| v).unwrap_or_default();
    let binding = rank(s, &use_base, &shadow, critical.as_ref());
    let candidates: Vec<Change> = binding
        .iter()
        .filter_map(|b| one_more(s, b.resource))
        .take(cfg.measure)
        .collect();
    let (extras, gap): (Vec<Extra>, _) = rayon::join(
        || {
            candidates
                .par_iter()
                .filter_map(|&c| measure(s, base, c, cfg))
                .collect()
        },
        || gap(s, base, &cfg.bound),
    );
    let mut replans = candidates.len() as u32;
    let latest_starts: Vec<LatestStart> = if cfg.latest_start {
        let sites: Vec<SiteId> = (0..s.sites.len())
            .map(|i| SiteId(i as u32))
            .filter(|&i| {
                let x = s.site(i);
                x.exit.is_none() && x.close_by.is_some() && !x.initial.is_empty()
            })
            .collect();
        sites
            .par_iter()
            .map(|&i| latest_start(s, base, i, &cfg.planner))
            .collect()
    } else {
        Vec::new()
    };
    replans += latest_starts.iter().map(|l| l.replans).sum::<u32>();
    let late_sites: Vec<(SiteId, Period, Period)> = base
        .sites
        .iter()
        .filter_map(|o| {
            let (c, d) = (o.closure?, s.site(o.site).close_by?);
            (c > d).then_some((o.site, d, c))
        })
        .collect();
    let late: Vec<(LateSite, u32)> = late_sites
        .par_iter()
        .map(|&(site, deadline, closure)| {
            late_site(s, site, deadline, closure, &extras, &candidates, cfg)
        })
        .collect();
    replans += late.iter().map(|(_, n)| n).sum::<u32>();
    Explanation {
        objective: base.totals.objective,
        critical,
        binding,
        extras,
        latest_starts,
        late: late.into_iter().map(|(l, _)| l).collect(),
        gap,
        replans,
    }
}

/// `base` against the bound's LP of plans that meet every deadline, part by part and road
/// by road ([`crate::hard_breakdown`], [`crate::parts`] and `summary::road_parts`), or
/// where the bound does not build that LP (too large, no deadline), against its free LP
/// ([`crate::breakdown`]); `None` when the LP of deadlines has no solution (no plan meets
/// them) or the solver fails.
fn gap(s: &Scenario, base: &Plan, cfg: &BoundConfig) -> Option<Gap> {
    let (lp, against) = match crate::bound::hard_breakdown(s, cfg).ok()? {
        Some(lp) => (lp, GapLp::Deadlines),
        None => (crate::bound::breakdown(s, cfg).ok()?, GapLp::Free),
    };
    let part = |t: Term| match t {
        Term::StockVehicles => Some(Part::StockVehicles),
        Term::Units(k) => Some(Part::Units(k)),
        Term::Flights => Some(Part::Flights),
        Term::AbandonTeu => Some(Part::AbandonedTeu),
        Term::AbandonVehicles => Some(Part::AbandonedVehicles),
        Term::None | Term::TeuFlown | Term::TeuDriven => None,
    };
    let parts = crate::summary::parts(s, base)
        .into_iter()
        .filter_map(|(t, plan)| {
            let lp = lp
                .terms
                .iter()
                .filter(|(u, _)| *u == t)
                .map(|(_, v)| v)
                .sum();
            Some(GapPart {
                part: part(t)?,
                plan,
                lp,
            })
        })
        .collect();
    // Road by road: the plan's and the LP's entries merged, the largest excess of the plan
    // first, ties in the order of roads and terms.
    let mut merged: BTreeMap<(RoadId, Term), (f64, f64)> = BTreeMap::new();
    for (r, t, x) in crate::summary::road_parts(s, base) {
        merged.entry((r, t)).or_default().0 += x;
    }
    for &(r, t, x) in &lp.roads {
        merged.entry((r, t)).or_default().1 += x;
    }
    let mut roads: Vec<GapRoad> = merged
        .into_iter()
        .filter_map(|((road, t), (plan, lp))| {
            Some(GapRoad {
                road,
                part: part(t)?,
                plan,
                lp,
            })
        })
        .collect();
    // The LP's solver noise is no entry.
    roads.retain(|g| g.plan != 0.0 || g.lp.abs() > 1e-9);
    roads.sort_by(|a, b| (b.plan - b.lp).total_cmp(&(a.plan - a.lp)));
    let w = &s.objective;
    Some(Gap {
        against,
        parts,
        roads,
        lateness: w.lateness * f64::from(base.totals.late_days),
        makespan: w.makespan * f64::from(base.totals.makespan_days),
    })
}

/// Plan `s` quietly; `None` when the planner finds no plan.
fn replan(s: &Scenario, cfg: &Config) -> Option<Plan> {
    plan(s, cfg, &mut |_, _| {}).ok()
}

/// The closure of `site` in `p`.
fn closure_of(p: &Plan, site: SiteId) -> Option<Period> {
    p.sites
        .iter()
        .find(|o| o.site == site)
        .and_then(|o| o.closure)
}

/// Per resource and period: what the plan uses and what it may use.
struct Use {
    used: Vec<f64>,
    cap: Vec<f64>,
}

impl Use {
    fn saturated(&self, t: usize) -> bool {
        self.cap[t] > 0.0 && self.used[t] >= SATURATED * self.cap[t] - 1e-9
    }
}

/// Usage of every limited resource by `p`, period by period.
fn usage(s: &Scenario, p: &Plan) -> BTreeMap<Resource, Use> {
    let n = s.horizon.periods as usize;
    let mut out: BTreeMap<Resource, Use> = BTreeMap::new();
    // Fleets: units away from home (on the road or waiting elsewhere) against the count,
    // inside the availability window. A unit standing at an exit is not in use: units
    // whose last trip ends at a port stay there (`V042`), and counting them as busy to the
    // end of the horizon would rank their fleet as binding when it is not.
    let mut delta = vec![vec![0.0f64; n + 1]; s.fleets.len()];
    let parked = |x: SiteId| s.site(x).exit.is_some();
    for c in &p.convoys {
        for &(f, k) in &c.units {
            let home = s.fleets[f.idx()].home;
            if c.from == home || parked(c.from) {
                delta[f.idx()][c.depart.idx()] += f64::from(k);
            }
            if c.to == home || parked(c.to) {
                delta[f.idx()][c.arrive.idx()] -= f64::from(k);
            }
        }
    }
    for (fi, f) in s.fleets.iter().enumerate() {
        let mut away = 0.0;
        let mut used = vec![0.0; n];
        for (t, u) in used.iter_mut().enumerate() {
            away += delta[fi][t];
            *u = away;
        }
        let cap = (0..n)
            .map(|t| {
                if f.available.contains(Period(t as u32)) {
                    f64::from(f.count)
                } else {
                    0.0
                }
            })
            .collect();
        out.insert(Resource::Fleet(FleetId(fi as u32)), Use { used, cap });
    }
    let mut add = |r: Resource, cap: Option<u32>, t: Period, x: f64| {
        if let Some(c) = cap {
            let e = out.entry(r).or_insert_with(|| Use {
                used: vec![0.0; n],
                cap: vec![f64::from(c); n],
            });
            if t.idx() < n {
                e.used[t.idx()] += x;
            }
        }
    };
    for f in &p.flights {
        let a = &s.aircraft[f.aircraft.idx()];
        add(
            Resource::Aircraft(f.aircraft),
            Some(a.count * a.sorties_per_period),
            f.depart,
            f64::from(f.sorties),
        );
        add(
            Resource::Handling(f.from),
            s.site(f.from).handling_teu_per_period,
            f.depart,
            f64::from(f.load.teu),
        );
        for (site, t) in [(f.from, f.depart), (f.to, f.arrive)] {
            let slots = s
                .site(site)
                .airfield
                .as_ref()
                .and_then(|a| a.slots_per_period);
            add(Resource::Slots(site), slots, t, f64::from(f.sorties));
        }
        intake(s, f.to, &f.load, f.arrive, &mut add);
    }
    for c in &p.convoys {
        let road = &s.roads[c.road.idx()];
        let vehicles: u32 = c.units.iter().map(|&(_, k)| k).sum::<u32>() + c.load.vehicles;
        add(
            Resource::Road(c.road),
            road.vehicles_per_period,
            c.depart,
            f64::from(vehicles),
        );
        add(
            Resource::Handling(c.from),
            s.site(c.from).handling_teu_per_period,
            c.depart,
            f64::from(c.load.teu),
        );
        intake(s, c.to, &c.load, c.arrive, &mut add);
    }
    out
}

/// Add a load's arrival at an exit to the exit's intake usage.
fn intake(
    s: &Scenario,
    to: SiteId,
    load: &Load,
    t: Period,
    add: &mut impl FnMut(Resource, Option<u32>, Period, f64),
) {
    let Some(e) = &s.site(to).exit else {
        return;
    };
    add(
        Resource::Intake(to, Commodity::Personnel),
        e.personnel_per_period,
        t,
        f64::from(load.people()),
    );
    add(
        Resource::Intake(to, Commodity::Teu),
        e.teu_per_period,
        t,
        f64::from(load.teu),
    );
    add(
        Resource::Intake(to, Commodity::Vehicles),
        e.vehicles_per_period,
        t,
        f64::from(load.vehicles),
    );
}

/// The resources a movement uses that have a limit.
fn resources_of_convoy(s: &Scenario, c: &Convoy) -> Vec<Resource> {
    let mut r: Vec<Resource> = c.units.iter().map(|&(f, _)| Resource::Fleet(f)).collect();
    if s.roads[c.road.idx()].vehicles_per_period.is_some() {
        r.push(Resource::Road(c.road));
    }
    if c.load.teu > 0 && s.site(c.from).handling_teu_per_period.is_some() {
        r.push(Resource::Handling(c.from));
    }
    r.extend(exit_resources(s, c.to, &c.load));
    r
}

fn resources_of_flight(s: &Scenario, f: &Flight) -> Vec<Resource> {
    let mut r = vec![Resource::Aircraft(f.aircraft)];
    for site in [f.from, f.to] {
        if s.site(site)
            .airfield
            .as_ref()
            .is_some_and(|a| a.slots_per_period.is_some())
        {
            r.push(Resource::Slots(site));
        }
    }
    if f.load.teu > 0 && s.site(f.from).handling_teu_per_period.is_some() {
        r.push(Resource::Handling(f.from));
    }
    r.extend(exit_resources(s, f.to, &f.load));
    r
}

fn exit_resources(s: &Scenario, to: SiteId, load: &Load) -> Vec<Resource> {
    let Some(e) = &s.site(to).exit else {
        return Vec::new();
    };
    let mut r = Vec::new();
    if load.people() > 0 && e.personnel_per_period.is_some() {
        r.push(Resource::Intake(to, Commodity::Personnel));
    }
    if load.teu > 0 && e.teu_per_period.is_some() {
        r.push(Resource::Intake(to, Commodity::Teu));
    }
    if load.vehicles > 0 && e.vehicles_per_period.is_some() {
        r.push(Resource::Intake(to, Commodity::Vehicles));
    }
    r
}

/// The site with the least slack to its deadline, its last loaded departures and the
/// saturated resources they used.
fn critical_chain(s: &Scenario, p: &Plan, use_: &BTreeMap<Resource, Use>) -> Option<Critical> {
    let pd = i64::from(s.horizon.period_days);
    let (site, closure, deadline) = p
        .sites
        .iter()
        .filter_map(|o| Some((o.site, o.closure?, s.site(o.site).close_by?)))
        .min_by_key(|&(site, c, d)| (i64::from(d.0) - i64::from(c.0), site))?;
    // Movements that emptied the site: later ones only pass through on their way (they
    // arrive and leave in one period), which does not keep it open.
    let loaded_from = |from: SiteId, load: &Load, depart: Period| {
        from == site && !load.is_empty() && depart <= closure
    };
    let last_depart = p
        .convoys
        .iter()
        .filter(|c| loaded_from(c.from, &c.load, c.depart))
        .map(|c| c.depart)
        .chain(
            p.flights
                .iter()
                .filter(|f| loaded_from(f.from, &f.load, f.depart))
                .map(|f| f.depart),
        )
        .max();
    let mut last = Vec::new();
    if let Some(d) = last_depart {
        for c in p
            .convoys
            .iter()
            .filter(|c| c.depart == d && loaded_from(c.from, &c.load, c.depart))
        {
            last.push(LastMove {
                id: c.id.clone(),
                depart: d,
                to: c.to,
                resources: resources_of_convoy(s, c),
            });
        }
        for f in p
            .flights
            .iter()
            .filter(|f| f.depart == d && loaded_from(f.from, &f.load, f.depart))
        {
            last.push(LastMove {
                id: f.id.clone(),
                depart: d,
                to: f.to,
                resources: resources_of_flight(s, f),
            });
        }
    }
    // What they waited for: the resources they used that were saturated between the
    // site's `not_before` and their departure.
    let nb = s.site(site).not_before.idx();
    let mut waited: BTreeMap<Resource, u32> = BTreeMap::new();
    for m in &last {
        for r in &m.resources {
            if let Some(u) = use_.get(r) {
                let n = (nb..m.depart.idx()).filter(|&t| u.saturated(t)).count() as u32;
                if n > 0 {
                    let e = waited.entry(*r).or_default();
                    *e = (*e).max(n);
                }
            }
        }
    }
    let mut waited_for: Vec<(Resource, u32)> = waited.into_iter().collect();
    waited_for.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(Critical {
        site,
        closure,
        deadline,
        slack_days: (i64::from(deadline.0) - i64::from(closure.0)) * pd,
        last,
        waited_for,
    })
}

/// Inclusive intervals of the periods in which `u` is saturated.
fn intervals(u: &Use) -> Vec<(Period, Period)> {
    let mut out: Vec<(Period, Period)> = Vec::new();
    for t in (0..u.used.len()).filter(|&t| u.saturated(t)) {
        let p = Period(t as u32);
        match out.last_mut() {
            Some(last) if last.1.0 + 1 == p.0 => last.1 = p,
            _ => out.push((p, p)),
        }
    }
    out
}

/// The resources ranked by how much they bind: saturation in the plan, the deadline LP's
/// shadow prices, and whether the critical chain waited for them.
fn rank(
    s: &Scenario,
    use_: &BTreeMap<Resource, Use>,
    shadow: &[crate::bound::Shadow],
    critical: Option<&Critical>,
) -> Vec<Binding> {
    let mut shadows: BTreeMap<Resource, (f64, Option<(Period, Period)>)> = BTreeMap::new();
    for sh in shadow {
        let e = shadows.entry(sh.resource).or_insert((0.0, None));
        // A fleet's price is that of one unit more from a period on: take the best; a
        // capacity's prices add up over the periods in which one more unit is available.
        e.0 = match sh.resource {
            Resource::Fleet(_) => e.0.max(sh.value),
            _ => e.0 + sh.value,
        };
        e.1 = Some(match e.1 {
            None => (sh.from, sh.until),
            Some((a, b)) => (a.min(sh.from), b.max(sh.until)),
        });
    }
    let top = shadows.values().map(|v| v.0).fold(0.0f64, f64::max);
    let periods = f64::from(s.horizon.periods.max(1));
    let mut keys: Vec<Resource> = use_.keys().copied().collect();
    keys.extend(shadows.keys().copied());
    keys.sort();
    keys.dedup();
    let mut out: Vec<Binding> = keys
        .into_iter()
        .filter_map(|r| {
            let saturated = use_.get(&r).map(intervals).unwrap_or_default();
            let saturated_periods: u32 = saturated.iter().map(|(a, b)| b.0 - a.0 + 1).sum();
            let (shadow, shadow_when) = shadows.get(&r).copied().unwrap_or((0.0, None));
            let waited = critical
                .and_then(|c| c.waited_for.iter().find(|w| w.0 == r))
                .map_or(0, |w| w.1);
            if saturated_periods == 0 && shadow <= 0.0 {
                return None;
            }
            let score = f64::from(saturated_periods) / periods
                + if top > 0.0 { shadow / top } else { 0.0 }
                + if waited > 0 {
                    1.0 + f64::from(waited) / periods
                } else {
                    0.0
                };
            Some(Binding {
                resource: r,
                saturated,
                saturated_periods,
                shadow,
                shadow_when,
                critical: waited > 0,
                score,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.resource.cmp(&b.resource))
    });
    out
}

/// "One more unit" of a resource: one fleet unit or airframe, or a tenth more of a
/// capacity (at least one). `None` for a capacity without a limit.
fn one_more(s: &Scenario, r: Resource) -> Option<Change> {
    let tenth = |c: Option<u32>| c.map(|c| c.div_ceil(10).max(1));
    let amount = match r {
        Resource::Fleet(_) | Resource::Aircraft(_) => Some(1),
        Resource::Road(x) => tenth(s.roads[x.idx()].vehicles_per_period),
        Resource::Handling(x) => tenth(s.site(x).handling_teu_per_period),
        Resource::Slots(x) => tenth(s.site(x).airfield.as_ref()?.slots_per_period),
        Resource::Intake(x, c) => {
            let e = s.site(x).exit.as_ref()?;
            tenth(match c {
                Commodity::Personnel => e.personnel_per_period,
                Commodity::Teu => e.teu_per_period,
                Commodity::Vehicles => e.vehicles_per_period,
            })
        }
    }?;
    Some(Change {
        resource: r,
        amount,
    })
}

/// `s` with `c` applied.
pub fn apply(s: &Scenario, c: Change) -> Scenario {
    let mut s = s.clone();
    let more = |x: &mut Option<u32>| {
        if let Some(v) = x {
            *v += c.amount;
        }
    };
    match c.resource {
        Resource::Fleet(f) => s.fleets[f.idx()].count += c.amount,
        Resource::Aircraft(a) => s.aircraft[a.idx()].count += c.amount,
        Resource::Road(r) => more(&mut s.roads[r.idx()].vehicles_per_period),
        Resource::Handling(i) => more(&mut s.sites[i.idx()].handling_teu_per_period),
        Resource::Slots(i) => {
            if let Some(a) = &mut s.sites[i.idx()].airfield {
                more(&mut a.slots_per_period);
            }
        }
        Resource::Intake(i, k) => {
            if let Some(e) = &mut s.sites[i.idx()].exit {
                more(match k {
                    Commodity::Personnel => &mut e.personnel_per_period,
                    Commodity::Teu => &mut e.teu_per_period,
                    Commodity::Vehicles => &mut e.vehicles_per_period,
                });
            }
        }
    }
    s
}

/// Closures that moved between two plans: site and days earlier (negative: later).
fn moved_closures(s: &Scenario, before: &Plan, after: &Plan) -> Vec<(SiteId, i64)> {
    let pd = i64::from(s.horizon.period_days);
    before
        .sites
        .iter()
        .filter_map(|o| {
            let (a, b) = (o.closure?, closure_of(after, o.site)?);
            let d = (i64::from(a.0) - i64::from(b.0)) * pd;
            (d != 0).then_some((o.site, d))
        })
        .collect()
}

/// Re-plan with one change and report what moved.
fn measure(s: &Scenario, base: &Plan, c: Change, cfg: &ExplainConfig) -> Option<Extra> {
    let changed = apply(s, c);
    let p = replan(&changed, &cfg.planner)?;
    // Every re-plan is checked by the caller before a claim rests on it.
    let p = crate::as_optimized(&changed, p, (cfg.reroute, cfg.sooner), &|_| Ok(()));
    // When the plan first uses more than the old scenario allowed.
    let before = usage(s, &p);
    let in_use_from = before.get(&c.resource).and_then(|u| {
        (0..u.used.len())
            .find(|&t| u.used[t] > u.cap[t] + 1e-9)
            .map(|t| Period(t as u32))
    });
    Some(Extra {
        change: c,
        in_use_from,
        objective_before: base.totals.objective,
        objective_after: p.totals.objective,
        closures: moved_closures(s, base, &p),
        what_if: WhatIf {
            scenario: changed,
            plan: p,
        },
    })
}

/// The latest `not_before` of `site` with which the re-plan still meets its deadline.
///
/// The search starts from a guess (the planned start delayed by the slack), takes up to
/// four secant steps (moving the start by the days to spare or missing) and then bisects. The planner is not guaranteed to be monotone in the start, so
/// the answer is what was found and verified: the plan starting at `latest` meets the
/// deadline, and one starting a period later does not (unless `latest` is the deadline,
/// after which no start can meet it: the site cannot close before its stock may leave).
fn latest_start(s: &Scenario, base: &Plan, site: SiteId, cfg: &Config) -> LatestStart {
    let x = s.site(site);
    let deadline = x.close_by.expect("only sites with deadlines");
    let nb = x.not_before;
    let planned_start = first_departure(base, site, nb);
    let mut out = LatestStart {
        site,
        deadline,
        not_before: nb,
        planned_start,
        latest: None,
        closure_at_latest: None,
        next_late_days: None,
        replans: 0,
        what_if: None,
    };
    let Some(c0) = closure_of(base, site) else {
        return out;
    };
    if c0 > deadline {
        return out;
    }
    let mut replans = 0;
    // Results by start period: the plan, and the site's closure (None: no plan).
    let mut tried: BTreeMap<u32, (Option<Period>, Option<WhatIf>)> = BTreeMap::new();
    let mut try_at = |d: u32, tried: &mut BTreeMap<u32, (Option<Period>, Option<WhatIf>)>| {
        if let Some((c, _)) = tried.get(&d) {
            return *c;
        }
        let mut changed = s.clone();
        changed.sites[site.idx()].not_before = Period(d);
        replans += 1;
        let p = replan(&changed, cfg);
        let c = p.as_ref().and_then(|p| closure_of(p, site));
        tried.insert(
            d,
            (
                c,
                p.map(|plan| WhatIf {
                    scenario: changed,
                    plan,
                }),
            ),
        );
        c
    };
    // lo: a start known to meet the deadline; hi: one known (or certain) to miss it.
    let mut lo = nb.0;
    let mut hi = deadline.0 + 1;
    let slack = deadline.0 - c0.0;
    // Secant steps first: a start that meets the deadline with d days to spare moves d
    // later, one that misses by d moves d earlier (the closure tends to follow the start
    // near the answer), always strictly inside the bracket; then bisection.
    let mut next = (planned_start.unwrap_or(nb).0 + slack).clamp(lo, deadline.0);
    let mut steps = 0;
    while hi > lo + 1 {
        let g = if steps < 4 {
            next.clamp(lo + 1, hi - 1)
        } else {
            lo + (hi - lo) / 2
        };
        steps += 1;
        match try_at(g, &mut tried) {
            Some(c) if c <= deadline => {
                lo = g;
                next = g + (deadline.0 - c.0).max(1);
            }
            Some(c) => {
                hi = g;
                next = g.saturating_sub((c.0 - deadline.0).max(1));
            }
            None => {
                hi = g;
                next = lo + (hi - lo) / 2;
            }
        }
    }
    // Verify the edge: the start just after `lo` must have been tried and missed.
    if hi <= deadline.0 && !tried.contains_key(&hi) {
        try_at(hi, &mut tried);
    }
    let pd = s.horizon.period_days;
    out.latest = Some(Period(lo));
    out.next_late_days = tried
        .get(&hi)
        .map(|(c, _)| c.map_or(0, |c| c.0.saturating_sub(deadline.0) * pd));
    if lo == nb.0 {
        out.closure_at_latest = Some(c0);
        let mut changed = s.clone();
        changed.sites[site.idx()].not_before = nb;
        out.what_if = Some(WhatIf {
            scenario: changed,
            plan: base.clone(),
        });
    } else if let Some((c, w)) = tried.remove(&lo) {
        out.closure_at_latest = c;
        out.what_if = w;
    }
    out.replans = replans;
    out
}

/// First period, from `from` on, in which loaded stock departs `site` in `p` (stock passing
/// through a hub earlier is not the hub's own withdrawal).
fn first_departure(p: &Plan, site: SiteId, from: Period) -> Option<Period> {
    p.convoys
        .iter()
        .filter(|c| c.from == site && !c.load.is_empty() && c.depart >= from)
        .map(|c| c.depart)
        .chain(
            p.flights
                .iter()
                .filter(|f| f.from == site && !f.load.is_empty() && f.depart >= from)
                .map(|f| f.depart),
        )
        .min()
}

/// What would meet the deadline of a late site: the fewest extra resources found (from
/// the measured candidates, then adding candidates one at a time, at most three), and the
/// fewest containers and vehicles found that, left behind from the start, meet it.
fn late_site(
    s: &Scenario,
    site: SiteId,
    deadline: Period,
    closure: Period,
    extras: &[Extra],
    candidates: &[Change],
    cfg: &ExplainConfig,
) -> (LateSite, u32) {
    let pd = s.horizon.period_days;
    let mut replans = 0u32;
    let meets = |p: &Plan| closure_of(p, site).is_some_and(|c| c <= deadline);
    let fix = |changes: Vec<Change>, w: &WhatIf| Fix {
        changes,
        abandon_teu: 0,
        abandon_vehicles: 0,
        closure: closure_of(&w.plan, site).expect("a site that meets its deadline closes"),
        objective: w.plan.totals.objective,
        what_if: w.clone(),
    };
    // One change: the measured candidates, the best objective first.
    let mut resources = extras
        .iter()
        .filter(|e| meets(&e.what_if.plan))
        .min_by(|a, b| a.objective_after.total_cmp(&b.objective_after))
        .map(|e| fix(vec![e.change], &e.what_if));
    // More changes: start from the measured candidate that brings the closure earliest and
    // add, one at a time, the one of the next best three that helps most; at most three
    // changes in all, so that the search stays a handful of re-plans.
    if resources.is_none() {
        let first = extras.iter().min_by_key(|e| {
            (
                closure_of(&e.what_if.plan, site).unwrap_or(Period(u32::MAX)),
                // Ties go to the cheaper plan, in whole units for a total order.
                e.objective_after.round() as i64,
            )
        });
        if let Some(first) = first {
            let mut chosen = vec![first.change];
            let mut current = first.what_if.scenario.clone();
            while chosen.len() < 3 && resources.is_none() {
                let next: Vec<Change> = candidates
                    .iter()
                    .filter(|c| !chosen.contains(c))
                    .take(3)
                    .copied()
                    .collect();
                let trials: Vec<(Change, Option<WhatIf>)> = next
                    .par_iter()
                    .map(|&c| {
                        let changed = apply(&current, c);
                        let p = replan(&changed, &cfg.planner);
                        (
                            c,
                            p.map(|plan| WhatIf {
                                scenario: changed,
                                plan,
                            }),
                        )
                    })
                    .collect();
                replans += trials.len() as u32;
                let best = trials
                    .into_iter()
                    .filter_map(|(c, w)| w.map(|w| (c, w)))
                    .min_by_key(|(_, w)| {
                        (
                            closure_of(&w.plan, site).unwrap_or(Period(u32::MAX)),
                            w.plan.totals.objective.round() as i64,
                        )
                    });
                let Some((c, w)) = best else { break };
                chosen.push(c);
                current = w.scenario.clone();
                if meets(&w.plan) {
                    resources = Some(fix(chosen.clone(), &w));
                }
            }
        }
    }
    // Stocks to abandon: containers first, then vehicles, bisecting the amount to within a
    // twentieth of the site's containers and vehicles.
    let x = s.site(site);
    let (teu, veh) = (x.initial.teu, x.initial.vehicles);
    let mut abandon = None;
    if teu + veh > 0 {
        let split = |n: u32| (n.min(teu), n.saturating_sub(teu));
        let mut try_n = |n: u32| {
            let (t, v) = split(n);
            let mut changed = s.clone();
            changed.sites[site.idx()].initial.teu -= t;
            changed.sites[site.idx()].initial.vehicles -= v;
            replans += 1;
            replan(&changed, &cfg.planner).map(|plan| WhatIf {
                scenario: changed,
                plan,
            })
        };
        let all = try_n(teu + veh);
        if let Some(w) = all.filter(|w| meets(&w.plan)) {
            let (mut lo, mut hi, mut best) = (0, teu + veh, w);
            let step = (teu + veh).div_ceil(20).max(1);
            while hi > lo + step {
                let mid = lo + (hi - lo) / 2;
                match try_n(mid) {
                    Some(w) if meets(&w.plan) => {
                        hi = mid;
                        best = w;
                    }
                    _ => lo = mid,
                }
            }
            let (t, v) = split(hi);
            abandon = Some(Fix {
                changes: Vec::new(),
                abandon_teu: t,
                abandon_vehicles: v,
                closure: closure_of(&best.plan, site).expect("it meets the deadline"),
                objective: best.plan.totals.objective,
                what_if: best,
            });
        }
    }
    (
        LateSite {
            site,
            deadline,
            closure,
            late_days: (closure.0 - deadline.0) * pd,
            resources,
            abandon,
        },
        replans,
    )
}
