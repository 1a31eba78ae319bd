//! Safest road paths, ignoring time-dependent closures (those are handled when a mission
//! is timed).
//!
//! A path's length is the pair (hazard-weighted kilometres, periods), compared in that
//! order: every vehicle on a leg adds `km x hazard` to the plan's exposure, which the
//! objective prices, while a day more on the road costs nothing unless it makes a site late
//! (and deadlines are watched by the scheduler, which sees each path's duration). So the
//! planner drives the safest road and, between equally safe ones, the quickest.

use model::{RoadId, Scenario, SiteId, SiteKind};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One road leg of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leg {
    /// The road.
    pub road: RoadId,
    /// Where the leg starts.
    pub from: SiteId,
    /// Where it ends.
    pub to: SiteId,
    /// Travel periods.
    pub periods: u32,
}

/// A sequence of legs.
pub type Path = Vec<Leg>;

/// Length of a path: hazard-weighted kilometres, then periods.
pub type Key = (u64, u32);

const UNREACHABLE: Key = (u64::MAX, u32::MAX);

/// Shortest-path trees over the road network.
#[derive(Debug)]
pub struct Graph {
    /// `dist[a][b]`: length of the best path from `a` to `b` (`UNREACHABLE` when there is
    /// none), in the order the graph was built with.
    dist: Vec<Vec<Key>>,
    /// Whether lengths are (hazard-km, periods) rather than (periods, hazard-km).
    safe: bool,
    /// `pred[a][b]`: last leg of the shortest path from `a` to `b`.
    pred: Vec<Vec<Option<Leg>>>,
}

impl Graph {
    /// All-pairs safest paths by one Dijkstra per site; ties break on periods, then site
    /// index, so the result is deterministic.
    pub fn new(s: &Scenario) -> Self {
        Self::build(s, true)
    }

    /// All-pairs quickest paths (periods, then hazard-km): for missions that race a
    /// deadline.
    pub fn quickest(s: &Scenario) -> Self {
        Self::build(s, false)
    }

    fn build(s: &Scenario, safe: bool) -> Self {
        let n = s.sites.len();
        let adj = adjacency(s);
        let (no_sites, no_roads) = (vec![false; n], vec![false; s.roads.len()]);
        let (dist, pred) = (0..n)
            .map(|src| tree(s, &adj, src, safe, &no_sites, &no_roads))
            .unzip();
        Graph { dist, pred, safe }
    }

    /// Periods of the best path from `a` to `b`, if reachable.
    pub fn dist(&self, a: SiteId, b: SiteId) -> Option<u32> {
        self.key(a, b)
            .map(|k| if self.safe { k.1 } else { k.0 as u32 })
    }

    /// Length of the best path from `a` to `b` in the graph's order, if reachable.
    pub fn key(&self, a: SiteId, b: SiteId) -> Option<Key> {
        let d = self.dist[a.idx()][b.idx()];
        (d != UNREACHABLE).then_some(d)
    }

    /// The safest path from `a` to `b` (empty when `a == b`).
    pub fn path(&self, a: SiteId, b: SiteId) -> Option<Path> {
        self.dist(a, b)?;
        // Count the legs first, so that the path is allocated once at its size: mission
        // searches ask for paths by the hundred thousand.
        let pred = &self.pred[a.idx()];
        let mut n = 0;
        let mut at = b;
        while at != a {
            at = pred[at.idx()]?.from;
            n += 1;
        }
        let mut legs = Vec::with_capacity(n);
        let mut at = b;
        while at != a {
            let leg = pred[at.idx()]?;
            legs.push(leg);
            at = leg.from;
        }
        legs.reverse();
        Some(legs)
    }
}

/// Every road in both directions, by the site it leaves, with its hazard-weighted metres.
pub(crate) fn adjacency(s: &Scenario) -> Vec<Vec<(Leg, u64)>> {
    let mut adj: Vec<Vec<(Leg, u64)>> = vec![Vec::new(); s.sites.len()];
    for (i, r) in s.roads.iter().enumerate() {
        let road = RoadId(i as u32);
        // Kilometres are rounded to metres so that the comparison is exact.
        let w = (r.km * f64::from(r.hazard) * 1000.0).round() as u64;
        for (from, to) in [(r.a, r.b), (r.b, r.a)] {
            adj[from.idx()].push((
                Leg {
                    road,
                    from,
                    to,
                    periods: r.periods,
                },
                w,
            ));
        }
    }
    adj
}

/// One Dijkstra from `src`: the best length to every site and the last leg of its path.
/// Paths go on through a site other than `src` only when it is neither an exit (exits
/// absorb stock) nor marked in `avoid`, and never on a road marked in `avoid_roads`; ties
/// break on the site index, so the result is deterministic.
fn tree(
    s: &Scenario,
    adj: &[Vec<(Leg, u64)>],
    src: usize,
    safe: bool,
    avoid: &[bool],
    avoid_roads: &[bool],
) -> (Vec<Key>, Vec<Option<Leg>>) {
    let n = s.sites.len();
    let mut d = vec![UNREACHABLE; n];
    let mut p: Vec<Option<Leg>> = vec![None; n];
    let mut heap = BinaryHeap::new();
    d[src] = (0, 0);
    heap.push(Reverse(((0u64, 0u32), src)));
    while let Some(Reverse((du, u))) = heap.pop() {
        if du > d[u] {
            continue;
        }
        if u != src && (s.sites[u].kind == SiteKind::Exit || avoid[u]) {
            continue;
        }
        for (leg, w) in adj[u].iter().filter(|(l, _)| !avoid_roads[l.road.idx()]) {
            let v = leg.to.idx();
            let nd = step(du, *w, leg.periods, safe);
            if nd < d[v] {
                d[v] = nd;
                p[v] = Some(*leg);
                heap.push(Reverse((nd, v)));
            }
        }
    }
    (d, p)
}

/// A path's length `d` extended by a leg of `w` hazard-weighted metres and `periods`.
fn step(d: Key, w: u64, periods: u32, safe: bool) -> Key {
    if safe {
        (d.0 + w, d.1 + periods)
    } else {
        (
            d.0 + u64::from(periods),
            d.1.saturating_add(u32::try_from(w).unwrap_or(u32::MAX)),
        )
    }
}

/// The best paths from every site to one target that drive through none of the sites
/// `avoid` marks (nor an exit) on the way, nor on a road `avoid_roads` marks; a marked site
/// may still start a path. Safest
/// or quickest, as [`Graph`]; one Dijkstra from the target over the roads reversed (every
/// road is driven both ways at the same length).
#[derive(Debug)]
pub struct PathsTo {
    /// The search from the target: its path to `a`, driven the other way, is `a`'s path
    /// to the target.
    tree: PathsFrom,
}

impl PathsTo {
    /// Search from `target`; ties break on the site index, so the result is deterministic.
    pub fn new(
        s: &Scenario,
        target: SiteId,
        safe: bool,
        avoid: &[bool],
        avoid_roads: &[bool],
    ) -> Self {
        let tree = PathsFrom::search(s, &adjacency(s), target, safe, avoid, avoid_roads);
        PathsTo { tree }
    }

    /// Length of the best path from `a`, if there is one.
    pub fn key(&self, a: SiteId) -> Option<Key> {
        self.tree.key(a)
    }

    /// The best path from `a` (empty when `a` is the target).
    pub fn path(&self, a: SiteId) -> Option<Path> {
        let mut legs = self.tree.path(a)?;
        legs.reverse();
        for l in &mut legs {
            std::mem::swap(&mut l.from, &mut l.to);
        }
        Some(legs)
    }
}

/// The safest paths from one site to every other that drive on no road `avoid_roads`
/// marks, nor through an exit; as [`Graph`], with the road list built once by the caller
/// ([`adjacency`]) for searches from many sites.
#[derive(Debug)]
pub struct PathsFrom {
    src: SiteId,
    key: Vec<Key>,
    pred: Vec<Option<Leg>>,
}

impl PathsFrom {
    /// Search from `src`; ties break on periods, then the site index.
    pub fn new(s: &Scenario, adj: &[Vec<(Leg, u64)>], src: SiteId, avoid_roads: &[bool]) -> Self {
        let no_sites = vec![false; s.sites.len()];
        Self::search(s, adj, src, true, &no_sites, avoid_roads)
    }

    /// Search from `src`, safest or quickest ([`Graph`]), through none of the sites
    /// `avoid` marks.
    fn search(
        s: &Scenario,
        adj: &[Vec<(Leg, u64)>],
        src: SiteId,
        safe: bool,
        avoid: &[bool],
        avoid_roads: &[bool],
    ) -> Self {
        let (key, pred) = tree(s, adj, src.idx(), safe, avoid, avoid_roads);
        PathsFrom { src, key, pred }
    }

    /// Length of the best path to `b`, if there is one.
    pub fn key(&self, b: SiteId) -> Option<Key> {
        let d = self.key[b.idx()];
        (d != UNREACHABLE).then_some(d)
    }

    /// The best path to `b` (empty when `b` is the source).
    pub fn path(&self, b: SiteId) -> Option<Path> {
        self.key(b)?;
        let mut legs = Vec::new();
        let mut at = b;
        while at != self.src {
            let leg = self.pred[at.idx()]?;
            legs.push(leg);
            at = leg.from;
        }
        legs.reverse();
        Some(legs)
    }
}
