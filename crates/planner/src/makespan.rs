//! The makespan the objective bound may charge, as a function of how much stock a plan
//! abandons.
//!
//! A plan may abandon containers and vehicles, and stock abandoned in period `p` counts
//! for the makespan only as `p + 1`, so the unconditional makespan bound
//! ([`crate::bound::makespan_bound`]) must let every abandonable stock vanish one period
//! after its `not_before`. But abandoning is priced: a plan that abandons at most `X`
//! units must still carry the rest to the exits, and a plan that abandons more pays at
//! least `X + 1` times the smallest penalty. [`Floor::periods`] is the makespan (in
//! periods) of any plan that abandons at most `X` units, from two arguments that ignore
//! fleets:
//!
//! - **paths**: the last unit that is not abandoned of a site's stock leaves no earlier
//!   than its `not_before` plus the periods its handling capacity needs for the stock
//!   before it, and reaches an accepting exit no sooner than the shortest road-and-air
//!   route (roads only for vehicles);
//! - **intake**: for every release period `r`, the units that cannot reach any exit before
//!   `r` must all be absorbed by the exits (per commodity: containers, vehicles, and
//!   personnel of every contingent together) within their per-period intake, from `r` or
//!   the earliest such unit's arrival at that exit on. Units released by handling capacity
//!   arrive in chunks, each with its own release.
//!
//! [`charge`] combines the two with the LP part: for every `X`, a plan abandoning at most
//! `X` units pays at least the LP bound plus the makespan of `Floor::periods(X)`, and one
//! abandoning more pays at least the penalties; the smallest case is the bound.

use model::*;

/// Releases of a scenario's stock at the exits, by commodity (0 containers, 1 vehicles,
/// 2 personnel).
pub(crate) struct Floor {
    /// Units with the same releases, per commodity.
    chunks: [Vec<Chunk>; 3],
    /// Per-period intake of every exit, per commodity (`None`: unlimited).
    intake: [Vec<Option<f64>>; 3],
    /// Per site and commodity of its own stock: amount, and periods of its last unit's
    /// departure and arrival given the handling rate (see [`Floor::paths`]).
    records: Vec<Record>,
    /// Whether containers and vehicles may be abandoned.
    abandon: bool,
    /// Periods in the horizon: no case may need more.
    periods: u32,
}

/// Units released together: their amount and their earliest arrival at each exit (in the
/// order of `Floor::exits`; `None`: the exit does not take them or cannot be reached).
struct Chunk {
    amount: f64,
    arrive: Vec<Option<u32>>,
}

/// One site's own stock of one commodity (personnel: one contingent).
struct Record {
    amount: u64,
    abandonable: bool,
    /// `not_before`.
    release: u32,
    /// Departures per period allowed by handling (`None`: unlimited).
    rate: Option<u64>,
    /// Shortest periods to an accepting exit.
    to_exit: u32,
}

/// Shortest periods from every site to every exit over `edges` (a list of `(to, periods)`
/// per site); stock that reaches an exit goes no further.
pub(crate) fn exit_distances(s: &Scenario, edges: &[Vec<(usize, u32)>]) -> Vec<Vec<Option<u32>>> {
    let n = s.sites.len();
    let exits: Vec<usize> = (0..n).filter(|&i| s.sites[i].exit.is_some()).collect();
    (0..n)
        .map(|from| {
            let mut dist = vec![u32::MAX; n];
            let mut heap = std::collections::BinaryHeap::new();
            dist[from] = 0;
            heap.push(std::cmp::Reverse((0u32, from)));
            while let Some(std::cmp::Reverse((d, u))) = heap.pop() {
                if d > dist[u] || (u != from && s.sites[u].exit.is_some()) {
                    continue;
                }
                for &(v, w) in &edges[u] {
                    if d + w < dist[v] {
                        dist[v] = d + w;
                        heap.push(std::cmp::Reverse((d + w, v)));
                    }
                }
            }
            exits
                .iter()
                .map(|&e| (dist[e] != u32::MAX).then_some(dist[e]))
                .collect()
        })
        .collect()
}

/// The fewest periods to an exit that `takes` the stock, from one site's row of
/// [`exit_distances`] (`None`: no such exit can be reached).
pub(crate) fn nearest(
    s: &Scenario,
    row: &[Option<u32>],
    takes: &dyn Fn(&Exit) -> bool,
) -> Option<u32> {
    row.iter()
        .zip(s.sites.iter().filter_map(|x| x.exit.as_ref()))
        .filter(|(_, e)| takes(e))
        .filter_map(|(d, _)| *d)
        .min()
}

/// The edges of the road network, and of flights for containers (`teu`) or personnel.
pub(crate) fn edges(s: &Scenario, air: Option<bool>) -> Vec<Vec<(usize, u32)>> {
    let n = s.sites.len();
    let mut e: Vec<Vec<(usize, u32)>> = vec![Vec::new(); n];
    for r in &s.roads {
        e[r.a.idx()].push((r.b.idx(), r.periods));
        e[r.b.idx()].push((r.a.idx(), r.periods));
    }
    let Some(teu) = air else { return e };
    for (ti, ac) in s.aircraft.iter().enumerate() {
        if (teu && ac.payload_teu == 0) || (!teu && ac.seats == 0) {
            continue;
        }
        for (i, out) in e.iter_mut().enumerate() {
            for j in 0..n {
                let (Some(a), Some(b)) = (&s.sites[i].airfield, &s.sites[j].airfield) else {
                    continue;
                };
                if i != j && ac.can_use(a) && ac.can_use(b) {
                    let fp =
                        s.flight_periods(AircraftId(ti as u32), SiteId(i as u32), SiteId(j as u32));
                    out.push((j, fp));
                }
            }
        }
    }
    e
}

/// A site's own stock of one commodity: commodity, amount, whether it may be abandoned,
/// which exits take it, and departures per period (`None`: unlimited).
type Stock = (usize, u64, bool, Vec<bool>, Option<u64>);

/// Most chunks a site's containers are cut into by its handling rate; beyond, chunks are
/// merged, each keeping its earliest release (weaker, still valid).
const MAX_CHUNKS: u64 = 64;

impl Floor {
    pub(crate) fn new(s: &Scenario) -> Self {
        let exits: Vec<&Exit> = s.sites.iter().filter_map(|x| x.exit.as_ref()).collect();
        let dist = [
            exit_distances(s, &edges(s, Some(true))),
            exit_distances(s, &edges(s, None)),
            exit_distances(s, &edges(s, Some(false))),
        ];
        let cap = |c: Option<u32>| c.map(f64::from);
        let intake = [
            exits.iter().map(|e| cap(e.teu_per_period)).collect(),
            exits.iter().map(|e| cap(e.vehicles_per_period)).collect(),
            exits.iter().map(|e| cap(e.personnel_per_period)).collect(),
        ];
        let mut chunks: [Vec<Chunk>; 3] = Default::default();
        let mut records = Vec::new();
        let abandon = s.abandon.allowed;
        for (i, site) in s.sites.iter().enumerate() {
            if site.exit.is_some() {
                continue;
            }
            let nb = site.not_before.0;
            // The stock of one commodity at this site: amount, whether abandonable, which
            // exits take it, departures per period.
            let mut stocks: Vec<Stock> = vec![
                (
                    0,
                    u64::from(site.initial.teu),
                    abandon,
                    exits.iter().map(|e| e.teu).collect(),
                    site.handling_teu_per_period
                        .filter(|&c| c > 0)
                        .map(u64::from),
                ),
                (
                    1,
                    u64::from(site.initial.vehicles),
                    abandon,
                    exits.iter().map(|e| e.vehicles).collect(),
                    None,
                ),
            ];
            for (c, &p) in site.initial.personnel.iter().enumerate() {
                let cid = ContingentId(c as u32);
                let ok = exits.iter().map(|e| e.accepts_contingent(cid)).collect();
                stocks.push((2, u64::from(p), false, ok, None));
            }
            for (kind, amount, abandonable, ok, rate) in stocks {
                if amount == 0 {
                    continue;
                }
                let arrive_at = |p: u32| -> Vec<Option<u32>> {
                    dist[kind][i]
                        .iter()
                        .zip(&ok)
                        .map(|(d, &ok)| d.filter(|_| ok).map(|d| p + d))
                        .collect()
                };
                let Some(to_exit) = arrive_at(0).into_iter().flatten().min() else {
                    // No exit takes it: the LP says there is no plan; nothing to bound here.
                    continue;
                };
                records.push(Record {
                    amount,
                    abandonable,
                    release: nb,
                    rate,
                    to_exit,
                });
                // Chunks by the handling rate, merged to at most MAX_CHUNKS.
                let per = rate.unwrap_or(amount);
                let n = amount.div_ceil(per);
                let step = n.div_ceil(MAX_CHUNKS);
                let mut q = 0;
                while q < n {
                    let units = (per * step).min(amount - q * per);
                    chunks[kind].push(Chunk {
                        amount: units as f64,
                        arrive: arrive_at(nb + q as u32),
                    });
                    q += step;
                }
            }
        }
        Floor {
            chunks,
            intake,
            records,
            abandon,
            periods: s.horizon.periods,
        }
    }

    /// Lower bound on the last arrival period (the makespan in periods) of any plan that
    /// abandons at most `x` containers and vehicles in all, capped at the horizon.
    pub(crate) fn periods(&self, x: u64) -> u32 {
        let x = if self.abandon { x } else { 0 };
        let mut best = self.paths(x);
        for kind in 0..3 {
            let spare = if kind == 2 { 0 } else { x };
            best = best.max(self.intake_bound(kind, spare as f64));
        }
        best.min(self.periods)
    }

    /// The paths argument: a site's stock of which more than `x` units are kept has a last
    /// kept unit that leaves after the handling of those before it.
    fn paths(&self, x: u64) -> u32 {
        let mut best = 0;
        for r in &self.records {
            let spare = if r.abandonable { x } else { 0 };
            let t = if r.amount > spare {
                let kept = r.amount - spare;
                let wait = r.rate.map_or(0, |c| kept.div_ceil(c) - 1);
                r.release + wait as u32 + r.to_exit
            } else {
                // Everything may be abandoned, at the earliest in `not_before`.
                r.release + 1
            };
            best = best.max(t);
        }
        best
    }

    /// The intake argument for one commodity, with `spare` units that may be abandoned.
    fn intake_bound(&self, kind: usize, spare: f64) -> u32 {
        let chunks = &self.chunks[kind];
        let intake = &self.intake[kind];
        let first = |c: &Chunk| c.arrive.iter().flatten().min().copied().unwrap_or(u32::MAX);
        let mut releases: Vec<u32> = chunks.iter().map(first).collect();
        releases.sort_unstable();
        releases.dedup();
        let mut best = 0;
        for &tau in &releases {
            // The units that reach no exit before tau, and the earliest arrival of any of
            // them at each exit.
            let mut amount = 0.0;
            let mut earliest: Vec<Option<u32>> = vec![None; intake.len()];
            for c in chunks.iter().filter(|c| first(c) >= tau) {
                amount += c.amount;
                for (e, a) in earliest.iter_mut().zip(&c.arrive) {
                    if let Some(a) = a {
                        *e = Some(e.map_or(*a, |x: u32| x.min(*a)));
                    }
                }
            }
            let need = amount - spare;
            if need <= 0.0 {
                continue;
            }
            // An exit with unlimited intake that takes some of them absorbs them all at
            // once: this release proves nothing beyond the paths argument.
            if earliest
                .iter()
                .zip(intake)
                .any(|(e, cap)| e.is_some() && cap.is_none())
            {
                continue;
            }
            // Intake from the start of period `from` to the end of period `a`, summed.
            let absorbed = |a: u32| -> f64 {
                earliest
                    .iter()
                    .zip(intake)
                    .filter_map(|(e, cap)| {
                        let from = (*e)?.max(tau);
                        Some(cap.unwrap_or(0.0) * f64::from((a + 1).saturating_sub(from)))
                    })
                    .sum()
            };
            // The first period by which the exits can have absorbed `need` units.
            let (mut lo, mut hi) = (tau, self.periods.max(tau));
            if absorbed(hi) < need {
                return self.periods;
            }
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if absorbed(mid) >= need {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            best = best.max(lo);
        }
        best
    }
}

/// The smallest objective of a plan whose LP part (exposure, cost and abandonment) is at
/// least `flow`, among plans that abandon any number `X` of units: such a plan pays at
/// least `max(flow, X x penalty)` plus the makespan of `floor.periods(X)`. The cases are
/// scanned one by one while they can still be the smallest, then in growing steps, each
/// step charged the makespan of its largest `X` (the makespan only falls as `X` grows).
/// Returns the bound and the makespan in days that it charges.
pub(crate) fn charge(
    s: &Scenario,
    floor: &Floor,
    flow: f64,
    makespan_floor_days: u32,
) -> (f64, u32) {
    let w = s.objective.makespan;
    let pd = s.horizon.period_days;
    let days = |x: u64| (floor.periods(x) * pd).max(makespan_floor_days);
    let value = |f: f64, d: u32| f + w * f64::from(d);
    let d0 = days(0);
    let mut best = (value(flow, d0), d0);
    if !s.abandon.allowed {
        return best;
    }
    let pen = s
        .abandon
        .teu_penalty
        .min(s.abandon.vehicle_penalty)
        .max(0.0);
    // Cases X in [lo, hi) cost at least max(flow, lo x pen) + the makespan of hi - 1.
    let mut lo = 1u64;
    let mut step = 1u64;
    let most = floor.records.iter().map(|r| r.amount).sum::<u64>();
    while lo <= most {
        let f = flow.max(pen * lo as f64);
        let hi = (lo + step).min(most + 1);
        let d = days(hi - 1);
        if value(f, d) < best.0 {
            best = (value(f, d), d);
        }
        // Once the penalties alone pass the best case, no larger X can be smaller.
        if value(f, makespan_floor_days) >= best.0 {
            break;
        }
        lo = hi;
        if lo > 64 {
            step *= 2;
        }
    }
    best
}
