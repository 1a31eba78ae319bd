//! The road network: sparse and planar-ish like a real one, and always connected.
//!
//! Every base and hub is joined to its two or three nearest neighbours (tracks), a minimum
//! spanning tree over them makes the whole connected (so no camp is an island), and the
//! hubs are joined to one another by faster trunk roads. Exits hang off the hubs by long
//! corridors (ports, border crossings) or a short access road (the airport). Shortest
//! routes in days serve the generator's own sizing of fleets, capacities and dates.

use crate::geo::Point;
use crate::rng::Rng;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

/// Kilometres a convoy covers per day on a road without `days` (written to `[defaults]`).
pub const KM_PER_DAY: f64 = 150.0;

/// What a road is, which sets its detour, speed and hazard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoadKind {
    /// A local road or desert track between camps.
    Track,
    /// A paved main road between hubs.
    Trunk,
    /// A long international corridor from a hub to a port or a border town.
    Corridor,
    /// A short road in town (hub to airport).
    Access,
}

/// One undirected road.
#[derive(Clone, Debug)]
pub struct Road {
    /// One end (site index).
    pub a: usize,
    /// The other end.
    pub b: usize,
    /// What it is.
    pub kind: RoadKind,
    /// Length, km, one decimal.
    pub km: f64,
    /// Travel days when the road is slower or faster than the default speed.
    pub days: Option<f64>,
    /// Hazard level 0 to 3.
    pub hazard: u8,
    /// Vehicles per day and direction, if limited.
    pub vehicles_per_day: Option<u32>,
    /// Most vehicles per convoy, if limited.
    pub max_convoy: Option<u32>,
    /// Closed windows, as inclusive day offsets from the horizon start.
    pub closed: Vec<(u32, u32)>,
}

impl Road {
    /// Travel periods of a convoy (one-day periods), exactly as lowering computes them.
    pub fn periods(&self) -> u32 {
        let d = self.days.unwrap_or(self.km / KM_PER_DAY);
        // Whole periods, at least one; the epsilon matches the model's rounding.
        (d - 1e-9).ceil().max(1.0) as u32
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The hazard of a place, by latitude: the north and east of Mali are the most dangerous
/// (armed groups, mines), the centre less, the south least.
fn zone_hazard(p: Point) -> u8 {
    if p.lat >= 19.0 {
        3
    } else if p.lat >= 16.5 {
        if p.lon > -4.0 { 3 } else { 2 }
    } else if p.lat >= 14.5 {
        2
    } else if p.lat >= 13.0 {
        1
    } else {
        0
    }
}

/// A road of `kind` between sites `a` and `b`, with length, speed, hazard and limits.
pub fn road(r: &mut Rng, pts: &[Point], a: usize, b: usize, kind: RoadKind) -> Road {
    let (pa, pb) = (pts[a], pts[b]);
    let mid = Point::new((pa.lat + pb.lat) / 2.0, (pa.lon + pb.lon) / 2.0);
    let detour = match kind {
        RoadKind::Track => r.range(1.15, 1.45),
        RoadKind::Trunk => r.range(1.1, 1.25),
        RoadKind::Corridor => r.range(1.2, 1.35),
        RoadKind::Access => r.range(1.0, 1.1),
    };
    let km = round1((pa.km(pb) * detour).max(1.0));
    let days = match kind {
        // A fifth of the tracks are degraded: sand, wadis, route clearance.
        RoadKind::Track if r.chance(0.2) => Some(round1((km / r.range(60.0, 110.0)).max(0.1))),
        RoadKind::Track | RoadKind::Access => None,
        RoadKind::Trunk => Some(round1((km / r.range(220.0, 320.0)).max(0.1))),
        RoadKind::Corridor => Some(round1((km / r.range(150.0, 200.0)).max(0.1))),
    };
    let zone = zone_hazard(mid);
    let hazard = match kind {
        RoadKind::Track => {
            // Local conditions vary around the regional level.
            let jitter: i8 = if r.chance(0.15) {
                if r.chance(0.5) { 1 } else { -1 }
            } else {
                0
            };
            (zone as i8 + jitter).clamp(0, 3) as u8
        }
        // Main roads are patrolled: one level below the region.
        RoadKind::Trunk => zone.saturating_sub(u8::from(r.chance(0.6))),
        RoadKind::Corridor => u8::from(r.chance(0.5)),
        RoadKind::Access => 0,
    };
    let (vehicles_per_day, max_convoy) = match kind {
        RoadKind::Track => (
            r.chance(0.08).then(|| r.int(80, 300) as u32),
            r.chance(0.08).then(|| r.int(30, 100) as u32),
        ),
        _ => (None, None),
    };
    Road {
        a,
        b,
        kind,
        km,
        days,
        hazard,
        vehicles_per_day,
        max_convoy,
        closed: Vec::new(),
    }
}

/// Pairs of sites to join among the first `n` points (hubs are `0..hubs`): trunk roads
/// between hubs, then tracks to nearest neighbours, then a spanning tree; each pair once,
/// in a deterministic order, with the kind of the first road that joined it.
pub fn local_pairs(r: &mut Rng, pts: &[Point], hubs: usize) -> Vec<(usize, usize, RoadKind)> {
    let n = pts.len();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut out = Vec::new();
    let mut add = |a: usize, b: usize, kind: RoadKind, out: &mut Vec<(usize, usize, RoadKind)>| {
        let key = (a.min(b), a.max(b));
        if a != b && seen.insert(key) {
            out.push((key.0, key.1, kind));
        }
    };
    // Trunk roads: a spanning tree of the hubs plus each hub's nearest other hub, and
    // sometimes its second nearest, so that the trunk network has a few loops.
    if hubs >= 2 {
        let hub_pts = &pts[..hubs];
        for (a, b) in spanning_tree(hub_pts) {
            add(a, b, RoadKind::Trunk, &mut out);
        }
        for a in 0..hubs {
            let near = nearest(hub_pts, a, 2);
            add(a, near[0], RoadKind::Trunk, &mut out);
            if near.len() > 1 && r.chance(0.4) {
                add(a, near[1], RoadKind::Trunk, &mut out);
            }
        }
    }
    // Tracks to the two or three nearest camps.
    for a in 0..n {
        let k = if r.chance(0.35) { 3 } else { 2 };
        for b in nearest(pts, a, k) {
            add(a, b, RoadKind::Track, &mut out);
        }
    }
    // Connectivity: the Euclidean spanning tree is planar and short, like the tracks.
    for (a, b) in spanning_tree(pts) {
        add(a, b, RoadKind::Track, &mut out);
    }
    out
}

/// The `k` points nearest to `pts[a]` (excluding `a`), nearest first, ties by index.
fn nearest(pts: &[Point], a: usize, k: usize) -> Vec<usize> {
    let mut d: Vec<(f64, usize)> = pts
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != a)
        .map(|(i, p)| (pts[a].flat2(*p), i))
        .collect();
    let k = k.min(d.len());
    if k == 0 {
        return Vec::new();
    }
    d.select_nth_unstable_by(k - 1, |x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    d.truncate(k);
    d.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    d.into_iter().map(|(_, i)| i).collect()
}

/// Edges of a minimum spanning tree over flat distances (Prim, O(n²): no heap needed
/// for a dense distance matrix, and a few thousand sites take milliseconds).
fn spanning_tree(pts: &[Point]) -> Vec<(usize, usize)> {
    let n = pts.len();
    if n < 2 {
        return Vec::new();
    }
    let mut in_tree = vec![false; n];
    let mut best = vec![(f64::INFINITY, 0usize); n];
    in_tree[0] = true;
    for (i, b) in best.iter_mut().enumerate().skip(1) {
        *b = (pts[0].flat2(pts[i]), 0);
    }
    let mut edges = Vec::with_capacity(n - 1);
    for _ in 1..n {
        let (v, _) = best.iter().enumerate().filter(|&(i, _)| !in_tree[i]).fold(
            (usize::MAX, f64::INFINITY),
            |acc, (i, &(d, _))| {
                if d < acc.1 { (i, d) } else { acc }
            },
        );
        in_tree[v] = true;
        edges.push((best[v].1, v));
        for i in 0..n {
            if !in_tree[i] {
                let d = pts[v].flat2(pts[i]);
                if d < best[i].0 {
                    best[i] = (d, v);
                }
            }
        }
    }
    edges
}

/// Shortest routes in periods over the roads. Exits absorb: a route may end at an exit
/// but never passes through one, as in validation and planning.
pub struct Routes {
    /// For each site: (other end, periods, road index).
    adj: Vec<Vec<(usize, u32, usize)>>,
    exit: Vec<bool>,
}

impl Routes {
    /// Routes over `roads` between `n` sites, of which those flagged in `exit` are exits.
    pub fn new(n: usize, roads: &[Road], exit: Vec<bool>) -> Self {
        let mut adj = vec![Vec::new(); n];
        for (k, r) in roads.iter().enumerate() {
            let p = r.periods();
            adj[r.a].push((r.b, p, k));
            adj[r.b].push((r.a, p, k));
        }
        Routes { adj, exit }
    }

    /// The roads at site `x`: (other end, periods, road index).
    pub fn roads_at(&self, x: usize) -> &[(usize, u32, usize)] {
        &self.adj[x]
    }

    /// Whether site `x` is an exit.
    pub fn is_exit(&self, x: usize) -> bool {
        self.exit[x]
    }

    /// Periods from every site to the nearest of `sources`, which source that is, and the
    /// next site on the way (`u32::MAX` and `usize::MAX` when none can be reached). Roads
    /// are undirected, so this is also the time from each site to its nearest source.
    pub fn nearest(&self, sources: &[usize]) -> Nearest {
        let n = self.adj.len();
        let mut dist = vec![u32::MAX; n];
        let mut source = vec![usize::MAX; n];
        let mut next = vec![usize::MAX; n];
        let mut road = vec![usize::MAX; n];
        let mut heap = BinaryHeap::new();
        for &s in sources {
            dist[s] = 0;
            source[s] = s;
            heap.push(Reverse((0u32, s)));
        }
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            // Only sources and non-exits pass routes on.
            if self.exit[u] && source[u] != u {
                continue;
            }
            for &(v, p, k) in &self.adj[u] {
                let nd = d + p;
                if nd < dist[v] || (nd == dist[v] && source[u] < source[v]) {
                    dist[v] = nd;
                    source[v] = source[u];
                    next[v] = u;
                    road[v] = k;
                    heap.push(Reverse((nd, v)));
                }
            }
        }
        Nearest {
            dist,
            source,
            next,
            road,
        }
    }
}

/// Shortest routes from every site to the nearest of some sources.
pub struct Nearest {
    /// Periods to the nearest source.
    pub dist: Vec<u32>,
    /// Which source is nearest.
    pub source: Vec<usize>,
    /// The next site on the route (the route's tree).
    pub next: Vec<usize>,
    /// The road to the next site.
    pub road: Vec<usize>,
}

impl Nearest {
    /// The legs of the route from `s` to its nearest source, as (from, road, periods).
    pub fn legs(&self, s: usize) -> impl Iterator<Item = (usize, usize, u32)> + '_ {
        let mut at = s;
        std::iter::from_fn(move || {
            // The route ends at a source (whose `next` is unset) or nowhere.
            if at == usize::MAX || self.next[at] == usize::MAX {
                return None;
            }
            let (u, v) = (at, self.next[at]);
            at = v;
            Some((u, self.road[u], self.dist[u] - self.dist[v]))
        })
    }
}
