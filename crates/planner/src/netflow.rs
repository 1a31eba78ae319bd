//! Minimum-cost flow by the primal network simplex method, for the fleet routing of
//! [`crate::circulation`].
//!
//! The routing's LPs are pure network flows: one row per node, one column per arc, every
//! column a +1 and a -1. HiGHS's dual simplex solves them, but does not know the
//! structure: on the generated 1,000-site scenario the trucks of the 45 hubs (22,690
//! nodes, 105,504 arcs) took it 9.2 s, this module about one, LEMON's network simplex
//! half. The crate that wraps LEMON's (`mcmf`) has no lower bounds, returns paths
//! instead of arc flows, and ignores LEMON's infeasibility status, so this is the
//! textbook method, as LEMON implements it: an artificial root joined to every node, a
//! strongly feasible spanning tree (no cycling on degenerate pivots), and the block
//! search pivot rule.
//!
//! Costs are integers, so that optimality is exact; callers scale theirs.
//!
//! ```
//! use planner::netflow::{Arc, min_cost_flow};
//! // Two units from node 0 to node 2: directly at 5 each (at most 1), or via node 1 at
//! // 1 + 2 each.
//! let arcs = [
//!     Arc { from: 0, to: 2, lower: 0, upper: 1, cost: 5 },
//!     Arc { from: 0, to: 1, lower: 0, upper: i64::MAX, cost: 1 },
//!     Arc { from: 1, to: 2, lower: 0, upper: i64::MAX, cost: 2 },
//! ];
//! let flow = min_cost_flow(&[2, 0, -2], &arcs).unwrap();
//! assert_eq!(flow, [0, 2, 2]);
//! // With at least one unit on the direct arc, it carries one.
//! let arcs = [Arc { lower: 1, ..arcs[0] }, arcs[1], arcs[2]];
//! assert_eq!(min_cost_flow(&[2, 0, -2], &arcs).unwrap(), [1, 1, 1]);
//! ```

/// An arc of the network: from node `from` to node `to`, carrying between `lower` and
/// `upper` units (`i64::MAX` for no limit) at `cost` each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arc {
    /// The node the flow leaves.
    pub from: usize,
    /// The node the flow enters.
    pub to: usize,
    /// The least flow.
    pub lower: i64,
    /// The most flow; `i64::MAX` for no limit.
    pub upper: i64,
    /// The cost of a unit of flow.
    pub cost: i64,
}

/// Why no flow was returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// The supplies do not sum to zero, an arc's bounds are reversed or an arc names a
    /// node that is not there.
    #[error("malformed network: {0}")]
    Malformed(&'static str),
    /// No flow meets the supplies within the arcs' bounds.
    #[error("no flow meets the supplies within the arcs' bounds")]
    Infeasible,
    /// A cost or a capacity is too large for exact integer arithmetic.
    #[error("costs or capacities too large")]
    Overflow,
    /// A cycle of negative cost has no limit on its flow.
    #[error("a cycle of negative cost has no limit on its flow")]
    Unbounded,
    /// The method made more pivots than it ever should ([`MAX_PIVOTS_PER_ARC`] per arc): a
    /// bug, reported rather than looped on.
    #[error("no optimum after {0} pivots")]
    Stalled(u64),
}

/// The most pivots per arc before [`min_cost_flow`] gives up. Strongly feasible trees
/// cannot cycle, and the routing's networks take under one pivot per arc (the 1,000-site
/// trucks': about 100,000 pivots for 128,000 arcs), so this only stops a bug from hanging
/// the planner; a count, not a clock, so that the outcome does not depend on the machine.
pub const MAX_PIVOTS_PER_ARC: u64 = 100;

/// No limit on an arc's flow, inside the solver: far above any real flow, and small
/// enough that adding a few such never overflows.
const INF: i64 = i64::MAX / 8;

/// Tree arcs: `UP` leads from a node to its parent, `DOWN` from the parent to the node.
const UP: i64 = 1;
const DOWN: i64 = -1;
/// Non-tree arcs sit at a bound; `TREE` arcs are in the spanning tree.
const LOWER: i64 = 1;
const TREE: i64 = 0;
const UPPER: i64 = -1;
const NONE: usize = usize::MAX;

/// The flow on each arc (in the order of `arcs`) that meets `supply` (what each node puts
/// in, negative for what it takes out; the supplies sum to zero) within the arcs' bounds
/// at the least total cost. The flow is integral, being a vertex of a network matrix.
pub fn min_cost_flow(supply: &[i64], arcs: &[Arc]) -> Result<Vec<i64>, FlowError> {
    let n = supply.len();
    let m = arcs.len();
    if supply.iter().sum::<i64>() != 0 {
        return Err(FlowError::Malformed("the supplies do not sum to zero"));
    }
    if arcs.iter().any(|a| a.from >= n || a.to >= n) {
        return Err(FlowError::Malformed(
            "an arc names a node that is not there",
        ));
    }
    if arcs.iter().any(|a| a.lower > a.upper || a.lower < 0) {
        return Err(FlowError::Malformed(
            "an arc's bounds are reversed or negative",
        ));
    }
    // Lower bounds become supplies: the solver's flow is what each arc carries above its
    // lower bound.
    let mut b = supply.to_vec();
    for a in arcs {
        b[a.from] -= a.lower;
        b[a.to] += a.lower;
    }
    let max_cost = arcs.iter().map(|a| a.cost.abs()).max().unwrap_or(0);
    let big = b.iter().map(|x| x.abs()).sum::<i64>();
    if max_cost >= INF / 4 || big >= INF / 4 {
        return Err(FlowError::Overflow);
    }
    // An artificial arc costs more than any path of real arcs, so that the optimum uses
    // none when some flow is feasible.
    let art = (max_cost + 1)
        .checked_mul(n as i64 + 1)
        .filter(|&c| c < INF / 4)
        .ok_or(FlowError::Overflow)?;
    let mut ns = Simplex::new(&b, arcs, art);
    ns.run()?;
    if ns.flow[m..].iter().any(|&f| f != 0) {
        return Err(FlowError::Infeasible);
    }
    Ok(arcs
        .iter()
        .zip(&ns.flow)
        .map(|(a, &f)| a.lower + f)
        .collect())
}

/// An arc as the pricing scans it: its ends and cost side by side, so that the scan reads
/// memory in order (only the two potentials are elsewhere).
#[derive(Clone, Copy)]
struct Edge {
    source: u32,
    target: u32,
    cost: i64,
}

/// A node of the spanning tree: its parent, the tree arc to it (`pred`) and that arc's
/// direction, its depth and potential, and its children as a doubly linked list of
/// siblings. One record per node, so that walking a subtree touches one cache line per
/// node.
#[derive(Clone, Copy)]
struct Node {
    parent: u32,
    pred: u32,
    first_child: u32,
    next_sibling: u32,
    prev_sibling: u32,
    depth: u32,
    dir: i64,
    pi: i64,
}

/// No node: the root's parent, the end of a list of siblings.
const NIL: u32 = u32::MAX;

/// The state of the network simplex: arcs `0..m` are the caller's (shifted to lower bound
/// 0), arcs `m..m + n` the artificial ones joining node `i` and the root `n`.
struct Simplex {
    edges: Vec<Edge>,
    state: Vec<i64>,
    cap: Vec<i64>,
    flow: Vec<i64>,
    nodes: Vec<Node>,
    /// Buffers of `pivot`, kept to spare an allocation per pivot.
    stem: Vec<u32>,
    todo: Vec<u32>,
}

impl Simplex {
    fn new(b: &[i64], arcs: &[Arc], art: i64) -> Simplex {
        let n = b.len();
        let m = arcs.len();
        let root = n as u32;
        let total = m + n;
        let mut s = Simplex {
            edges: Vec::with_capacity(total),
            state: vec![LOWER; total],
            cap: Vec::with_capacity(total),
            flow: vec![0; total],
            nodes: vec![
                Node {
                    parent: root,
                    pred: NIL,
                    first_child: NIL,
                    next_sibling: NIL,
                    prev_sibling: NIL,
                    depth: 1,
                    dir: UP,
                    pi: 0,
                };
                n + 1
            ],
            stem: Vec::new(),
            todo: Vec::new(),
        };
        for a in arcs {
            s.edges.push(Edge {
                source: a.from as u32,
                target: a.to as u32,
                cost: a.cost,
            });
            s.cap.push(if a.upper >= INF {
                INF
            } else {
                a.upper - a.lower
            });
        }
        // The starting tree: every node hangs from the root by its artificial arc, in the
        // direction its supply flows, so that arcs with no flow point up (strongly
        // feasible). Sending to the root is free and taking from it costs `art`.
        for (u, &bu) in b.iter().enumerate() {
            let e = m + u;
            let (source, target, cost, dir) = if bu >= 0 {
                (u as u32, root, 0, UP)
            } else {
                (root, u as u32, art, DOWN)
            };
            s.edges.push(Edge {
                source,
                target,
                cost,
            });
            s.flow[e] = bu.abs();
            s.cap.push(INF);
            s.state[e] = TREE;
            let node = &mut s.nodes[u];
            node.dir = dir;
            node.pi = if dir == UP { 0 } else { art };
            node.pred = e as u32;
            s.attach(u as u32, root);
        }
        let r = &mut s.nodes[n];
        r.parent = NIL;
        r.depth = 0;
        r.pi = 0;
        s
    }

    fn attach(&mut self, x: u32, p: u32) {
        let first = self.nodes[p as usize].first_child;
        let node = &mut self.nodes[x as usize];
        node.next_sibling = first;
        node.prev_sibling = NIL;
        node.parent = p;
        if first != NIL {
            self.nodes[first as usize].prev_sibling = x;
        }
        self.nodes[p as usize].first_child = x;
    }

    fn detach(&mut self, x: u32) {
        let Node {
            prev_sibling: prev,
            next_sibling: next,
            parent,
            ..
        } = self.nodes[x as usize];
        if prev != NIL {
            self.nodes[prev as usize].next_sibling = next;
        } else {
            self.nodes[parent as usize].first_child = next;
        }
        if next != NIL {
            self.nodes[next as usize].prev_sibling = prev;
        }
    }

    fn run(&mut self) -> Result<(), FlowError> {
        let total = self.edges.len();
        let most = MAX_PIVOTS_PER_ARC.saturating_mul(total as u64);
        let mut pivots: u64 = 0;
        // Block search: scan a block of arcs, take the most violating one; scan on to the
        // next block only when a block has none.
        let block = ((total as f64).sqrt() as usize).max(10);
        let mut next = 0;
        loop {
            let mut best = NONE;
            let mut least = 0;
            let mut scanned = 0;
            let mut e = next;
            'scan: while scanned < total {
                let end = (e + block).min(total);
                for (i, (edge, &state)) in self.edges[e..end]
                    .iter()
                    .zip(&self.state[e..end])
                    .enumerate()
                {
                    // The reduced cost, signed so that a negative value means the arc
                    // improves the flow if it enters the tree.
                    let v = state
                        * (edge.cost + self.nodes[edge.source as usize].pi
                            - self.nodes[edge.target as usize].pi);
                    if v < least {
                        least = v;
                        best = e + i;
                    }
                }
                scanned += end - e;
                e = if end == total { 0 } else { end };
                if best != NONE {
                    break 'scan;
                }
            }
            if best == NONE {
                return Ok(());
            }
            if pivots == most {
                return Err(FlowError::Stalled(pivots));
            }
            pivots += 1;
            next = e;
            self.pivot(best)?;
        }
    }

    fn join(&self, mut u: u32, mut v: u32) -> u32 {
        while u != v {
            let (du, dv) = (self.nodes[u as usize].depth, self.nodes[v as usize].depth);
            if du >= dv {
                u = self.nodes[u as usize].parent;
            }
            if dv >= du {
                v = self.nodes[v as usize].parent;
            }
        }
        u
    }

    /// How much more flow the tree arc above `u` can take in the direction `towards_root`
    /// (from `u` up to its parent) or the opposite.
    fn residual(&self, u: u32, towards_root: bool) -> i64 {
        let node = &self.nodes[u as usize];
        let e = node.pred as usize;
        let increases = (node.dir == UP) == towards_root;
        if increases {
            if self.cap[e] >= INF {
                INF
            } else {
                self.cap[e] - self.flow[e]
            }
        } else {
            self.flow[e]
        }
    }

    fn pivot(&mut self, in_arc: usize) -> Result<(), FlowError> {
        let edge = self.edges[in_arc];
        // Flow goes along the entering arc from `first` to `second`, up from `second` to
        // the join and down from the join to `first`.
        let (first, second) = if self.state[in_arc] == LOWER {
            (edge.source, edge.target)
        } else {
            (edge.target, edge.source)
        };
        let join = self.join(first, second);
        let mut delta = self.cap[in_arc];
        let mut u_out = NIL;
        let mut side = 0;
        // The leaving arc is the last blocking arc of the cycle oriented from the join
        // (strict on the way down, not strict on the way up): that keeps the tree
        // strongly feasible.
        let mut u = first;
        while u != join {
            let d = self.residual(u, false);
            if d < delta {
                delta = d;
                u_out = u;
                side = 1;
            }
            u = self.nodes[u as usize].parent;
        }
        let mut u = second;
        while u != join {
            let d = self.residual(u, true);
            if d <= delta {
                delta = d;
                u_out = u;
                side = 2;
            }
            u = self.nodes[u as usize].parent;
        }
        if delta >= INF {
            return Err(FlowError::Unbounded);
        }
        if delta > 0 {
            let val = self.state[in_arc] * delta;
            self.flow[in_arc] += val;
            for (start, sign) in [(edge.source, -1), (edge.target, 1)] {
                let mut u = start;
                while u != join {
                    let node = &self.nodes[u as usize];
                    self.flow[node.pred as usize] += sign * node.dir * val;
                    u = node.parent;
                }
            }
        }
        if side == 0 {
            // The entering arc itself blocks: it moves to its other bound.
            self.state[in_arc] = -self.state[in_arc];
            return Ok(());
        }
        let out_arc = self.nodes[u_out as usize].pred as usize;
        self.state[in_arc] = TREE;
        self.state[out_arc] = if self.flow[out_arc] == 0 {
            LOWER
        } else {
            UPPER
        };
        // The subtree below `u_out` is cut off and hung again from the entering arc: the
        // path from the entering arc's end in it (`u_in`) up to `u_out` is reversed.
        let (u_in, v_in) = if side == 1 {
            (first, second)
        } else {
            (second, first)
        };
        // The subtree's potentials all move by the same amount, since its tree arcs stay
        // (the stem's only turn round): the amount that gives the entering arc reduced
        // cost zero.
        let (v_pi, u_pi) = (self.nodes[v_in as usize].pi, self.nodes[u_in as usize].pi);
        let sigma = if edge.source == u_in {
            v_pi - edge.cost - u_pi
        } else {
            v_pi + edge.cost - u_pi
        };
        let mut stem = std::mem::take(&mut self.stem);
        stem.clear();
        stem.push(u_in);
        while stem[stem.len() - 1] != u_out {
            stem.push(self.nodes[stem[stem.len() - 1] as usize].parent);
        }
        for &x in &stem {
            self.detach(x);
        }
        // Each node's old arc to its parent is read before the node below it takes it
        // over, reversed.
        let (mut arc_above, mut dir_above) = {
            let node = &self.nodes[u_in as usize];
            (node.pred, node.dir)
        };
        {
            let node = &mut self.nodes[u_in as usize];
            node.pred = in_arc as u32;
            node.dir = if edge.source == u_in { UP } else { DOWN };
        }
        self.attach(u_in, v_in);
        for i in 1..stem.len() {
            let x = stem[i] as usize;
            let (arc, dir) = (self.nodes[x].pred, self.nodes[x].dir);
            self.nodes[x].pred = arc_above;
            self.nodes[x].dir = -dir_above;
            self.attach(stem[i], stem[i - 1]);
            (arc_above, dir_above) = (arc, dir);
        }
        self.stem = stem;
        // Depths and potentials of the moved subtree, from its new parent down.
        let mut todo = std::mem::take(&mut self.todo);
        todo.clear();
        todo.push(u_in);
        while let Some(x) = todo.pop() {
            let depth = self.nodes[self.nodes[x as usize].parent as usize].depth + 1;
            let node = &mut self.nodes[x as usize];
            node.depth = depth;
            node.pi += sigma;
            let mut c = node.first_child;
            while c != NIL {
                todo.push(c);
                c = self.nodes[c as usize].next_sibling;
            }
        }
        self.todo = todo;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(from: usize, to: usize, lower: i64, upper: i64, cost: i64) -> Arc {
        Arc {
            from,
            to,
            lower,
            upper,
            cost,
        }
    }

    #[test]
    fn infeasible_supplies_are_reported() {
        // Node 1 can take at most 3 of the 4 units.
        let arcs = [arc(0, 1, 0, 3, 1)];
        assert_eq!(min_cost_flow(&[4, -4], &arcs), Err(FlowError::Infeasible));
        // A lower bound that nothing can feed.
        let arcs = [arc(0, 1, 2, 5, 1)];
        assert_eq!(min_cost_flow(&[0, 0], &arcs), Err(FlowError::Infeasible));
        assert_eq!(
            min_cost_flow(&[1, 0], &arcs),
            Err(FlowError::Malformed("the supplies do not sum to zero"))
        );
    }

    #[test]
    fn a_negative_cost_cycle_without_limit_is_reported() {
        let arcs = [arc(0, 1, 0, i64::MAX, -1), arc(1, 0, 0, i64::MAX, 0)];
        assert_eq!(min_cost_flow(&[0, 0], &arcs), Err(FlowError::Unbounded));
    }

    #[test]
    fn a_negative_cost_cycle_is_filled_to_its_capacity() {
        // 0 -> 1 -> 2 -> 0 costs -3 a unit and takes at most 4.
        let arcs = [
            arc(0, 1, 0, 4, -1),
            arc(1, 2, 0, 9, -1),
            arc(2, 0, 0, 7, -1),
        ];
        assert_eq!(min_cost_flow(&[0, 0, 0], &arcs).unwrap(), [4, 4, 4]);
    }

    /// HiGHS's optimum of the same network, as an LP.
    fn lp_optimum(supply: &[i64], arcs: &[Arc]) -> Option<f64> {
        use highs::{ColProblem, HighsModelStatus, Sense};
        let mut pb = ColProblem::new();
        let rows: Vec<highs::Row> = supply
            .iter()
            .map(|&b| pb.add_row(b as f64..=b as f64))
            .collect();
        for a in arcs {
            let hi = if a.upper == i64::MAX {
                f64::INFINITY
            } else {
                a.upper as f64
            };
            pb.add_column(
                a.cost as f64,
                a.lower as f64..=hi,
                [(rows[a.from], 1.0), (rows[a.to], -1.0)],
            );
        }
        let mut model = pb.optimise(Sense::Minimise);
        model.make_quiet();
        let solved = model.solve();
        (solved.status() == HighsModelStatus::Optimal).then(|| solved.objective_value())
    }

    /// On 400 random networks (sparse and dense, with lower bounds, capacities, free arcs
    /// and negative costs on capacitated arcs), the flow meets every supply and bound, and
    /// costs what HiGHS's LP optimum costs; where HiGHS finds no solution, neither does
    /// this.
    #[test]
    fn the_flow_is_feasible_and_as_cheap_as_the_lp_optimum() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
        let (mut feasible, mut infeasible) = (0, 0);
        for case in 0..400 {
            let n = rng.random_range(2..40);
            let m = rng.random_range(1..6 * n);
            let mut supply = vec![0i64; n];
            for _ in 0..rng.random_range(0..n) {
                let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
                let k = rng.random_range(1..20);
                supply[a] += k;
                supply[b] -= k;
            }
            let arcs: Vec<Arc> = (0..m)
                .map(|_| {
                    let from = rng.random_range(0..n);
                    let mut to = rng.random_range(0..n);
                    if to == from {
                        to = (to + 1) % n;
                    }
                    let free = rng.random_bool(0.3);
                    let lower = if rng.random_bool(0.2) {
                        rng.random_range(0..4)
                    } else {
                        0
                    };
                    let upper = if free {
                        i64::MAX
                    } else {
                        lower + rng.random_range(0..30)
                    };
                    // Negative costs only where the capacity is finite, so that the
                    // optimum is bounded.
                    let cost = if free {
                        rng.random_range(0..100)
                    } else {
                        rng.random_range(-20..100)
                    };
                    arc(from, to, lower, upper, cost)
                })
                .collect();
            let lp = lp_optimum(&supply, &arcs);
            match (min_cost_flow(&supply, &arcs), lp) {
                (Ok(flow), Some(best)) => {
                    feasible += 1;
                    let mut net = supply.clone();
                    for (a, &f) in arcs.iter().zip(&flow) {
                        assert!(a.lower <= f && f <= a.upper, "case {case}: bounds");
                        net[a.from] -= f;
                        net[a.to] += f;
                    }
                    assert!(net.iter().all(|&x| x == 0), "case {case}: conservation");
                    let cost: i64 = arcs.iter().zip(&flow).map(|(a, &f)| a.cost * f).sum();
                    assert_eq!(cost as f64, best.round(), "case {case}: cost");
                }
                (Err(FlowError::Infeasible), None) => infeasible += 1,
                (got, lp) => panic!("case {case}: {got:?} against HiGHS {lp:?}"),
            }
        }
        // Both kinds of case occur, so neither branch is vacuous.
        assert!(
            feasible > 50 && infeasible > 50,
            "{feasible} / {infeasible}"
        );
    }

    /// Networks shaped like the routing's: sites over days, free waiting from each day to
    /// the next, roads of one to three days with lower bounds (the units convoys keep) and
    /// room, units starting at homes on day 0 and ending at a sink through exits. Highly
    /// degenerate (most arcs cost nothing), which is where a network simplex could cycle.
    /// On 100 of them the flow costs what HiGHS's LP optimum costs.
    #[test]
    fn time_expanded_networks_like_the_routing_reach_the_lp_optimum() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut solved = 0;
        for case in 0..100 {
            let sites = rng.random_range(2..8);
            let days = rng.random_range(3..20);
            let node = |x: usize, d: usize| x * days + d;
            let sink = sites * days;
            let mut supply = vec![0i64; sink + 1];
            let mut arcs = Vec::new();
            for x in 0..sites {
                for d in 1..days {
                    arcs.push(arc(node(x, d - 1), node(x, d), 0, i64::MAX, 0));
                }
            }
            let roads: Vec<(usize, usize, usize, i64)> = (0..rng.random_range(1..2 * sites))
                .map(|_| {
                    let a = rng.random_range(0..sites);
                    let b = (a + rng.random_range(1..sites)) % sites;
                    (a, b, rng.random_range(1..4), rng.random_range(0..50))
                })
                .collect();
            for &(a, b, len, cost) in &roads {
                for (x, y) in [(a, b), (b, a)] {
                    for d in 0..days.saturating_sub(len) {
                        let lower = if rng.random_bool(0.02) { 1 } else { 0 };
                        let upper = if rng.random_bool(0.5) {
                            i64::MAX
                        } else {
                            lower + rng.random_range(0..5)
                        };
                        arcs.push(arc(node(x, d), node(y, d + len), lower, upper, cost));
                    }
                }
            }
            let mut units = 0;
            for x in 0..rng.random_range(1..sites) {
                let n = rng.random_range(0..6);
                supply[node(x, 0)] += n;
                units += n;
            }
            supply[sink] = -units;
            // The last site is the exit; every site's units may also stay home.
            arcs.push(arc(node(sites - 1, days - 1), sink, 0, i64::MAX, 0));
            for x in 0..sites - 1 {
                arcs.push(arc(node(x, 0), sink, 0, i64::MAX, 0));
            }
            match (min_cost_flow(&supply, &arcs), lp_optimum(&supply, &arcs)) {
                (Ok(flow), Some(best)) => {
                    solved += 1;
                    let cost: i64 = arcs.iter().zip(&flow).map(|(a, &f)| a.cost * f).sum();
                    assert_eq!(cost as f64, best.round(), "case {case}: cost");
                }
                (Err(FlowError::Infeasible), None) => {}
                (got, lp) => panic!("case {case}: {got:?} against HiGHS {lp:?}"),
            }
        }
        assert!(solved > 50, "{solved} of 100 feasible");
    }
}
