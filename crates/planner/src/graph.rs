//! Shortest road paths measured in periods, ignoring time-dependent closures (those are
//! handled when a mission is timed).

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

/// Shortest-path trees over the road network.
#[derive(Debug)]
pub struct Graph {
    /// `dist[a][b]`: periods from `a` to `b` (`u32::MAX` when unreachable).
    dist: Vec<Vec<u32>>,
    /// `pred[a][b]`: last leg of the shortest path from `a` to `b`.
    pred: Vec<Vec<Option<Leg>>>,
}

impl Graph {
    /// All-pairs shortest paths by one Dijkstra per site; ties break on site index so the
    /// result is deterministic.
    pub fn new(s: &Scenario) -> Self {
        let n = s.sites.len();
        let mut adj: Vec<Vec<Leg>> = vec![Vec::new(); n];
        for (i, r) in s.roads.iter().enumerate() {
            let road = RoadId(i as u32);
            adj[r.a.idx()].push(Leg {
                road,
                from: r.a,
                to: r.b,
                periods: r.periods,
            });
            adj[r.b.idx()].push(Leg {
                road,
                from: r.b,
                to: r.a,
                periods: r.periods,
            });
        }
        let mut dist = Vec::with_capacity(n);
        let mut pred = Vec::with_capacity(n);
        for src in 0..n {
            let mut d = vec![u32::MAX; n];
            let mut p: Vec<Option<Leg>> = vec![None; n];
            let mut heap = BinaryHeap::new();
            d[src] = 0;
            heap.push(Reverse((0u32, src)));
            while let Some(Reverse((du, u))) = heap.pop() {
                if du > d[u] {
                    continue;
                }
                // Exits absorb stock, so no path continues through one.
                if u != src && s.sites[u].kind == SiteKind::Exit {
                    continue;
                }
                for leg in &adj[u] {
                    let v = leg.to.idx();
                    let nd = du + leg.periods;
                    if nd < d[v] {
                        d[v] = nd;
                        p[v] = Some(*leg);
                        heap.push(Reverse((nd, v)));
                    }
                }
            }
            dist.push(d);
            pred.push(p);
        }
        Graph { dist, pred }
    }

    /// Periods from `a` to `b`, if reachable.
    pub fn dist(&self, a: SiteId, b: SiteId) -> Option<u32> {
        let d = self.dist[a.idx()][b.idx()];
        (d != u32::MAX).then_some(d)
    }

    /// The shortest path from `a` to `b` (empty when `a == b`).
    pub fn path(&self, a: SiteId, b: SiteId) -> Option<Path> {
        self.dist(a, b)?;
        let mut legs = Vec::new();
        let mut at = b;
        while at != a {
            let leg = self.pred[a.idx()][at.idx()]?;
            legs.push(leg);
            at = leg.from;
        }
        legs.reverse();
        Some(legs)
    }
}
