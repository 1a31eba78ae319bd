//! One campaign: the plan executed day by day under sampled hazards.
//!
//! The rules (documented for users in `docs/simulation.md`):
//!
//! - A movement is released on its planned day and from then on tries to leave every day,
//!   in plan order among the movements waiting at its site, until it can: its load is at
//!   the site (the site's own stock no earlier than `not_before`), its fleet units are
//!   there and serviceable, no restriction or sampled closure forbids the road, the sites or
//!   the airfields on its whole trip, the rear guard stays while containers or vehicles
//!   remain, the sites its origin must close after have closed (for the movements that
//!   empty it), and the host state grants permission. A refused request is answered again
//!   `lead` periods later. A movement that cannot leave keeps its claim on the units and
//!   stock it needs; later movements take only what lies beyond the earlier claims.
//! - Units of a fleet (or an aircraft type) that has left, or whose availability window is
//!   over, move no more: a movement goes without them when the rest still carries its load
//!   and covers it with escorts, and is otherwise cancelled: its load stays where it is,
//!   and ghosts of its load and units arrive in its place so the plan goes on.
//! - An incident delays the convoy's arrival, destroys vehicles with what they carry, and
//!   injures a share of the personnel aboard. Destroyed fleet units are replaced from the
//!   contractor's reserve (counted, not lost to the plan); destroyed containers and
//!   vehicles are lost, and the later movements planned to carry them run lighter
//!   ("ghost" stock stands in for them, so nothing waits for stock that cannot come).
//! - A unit that breaks down reaches its destination and is out of service for its repair
//!   days there.
//! - The re-planning policy calls the planner on the remaining work (see `replan.rs`).

use crate::compile::{Kind, Move, P0, Program, TEU, Tables, VEH};
use crate::replan;
use crate::{Policy, RunOutcome};
use model::*;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;

/// A closure date for "never".
const NEVER: u32 = u32::MAX;

/// A convoy or flight on its way.
#[derive(Clone, Copy, Debug)]
struct Arrival {
    mv: u32,
    /// The re-planning epoch it left in: units of an older epoch were already sent home.
    epoch: u16,
    /// Periods late against the plan, and why.
    late: u32,
    cause: u16,
    /// Broken units: entries `(fleet, units, repair periods)` in `Campaign::broken`.
    broken: (u32, u32),
    /// Units that travel (`(fleet, units, of which ghosts)` in `Campaign::moved`).
    units: (u32, u32),
}

/// Units coming out of repair.
#[derive(Clone, Copy, Debug)]
struct Repair {
    fleet: u32,
    site: u32,
    units: i32,
    epoch: u16,
}

/// A released movement that has not left yet.
#[derive(Clone, Debug)]
struct Waiting {
    mv: u32,
    /// No new permission answer before this period.
    retry_at: u32,
    retry_cause: u16,
    /// What holds it (`None`: not held yet), and since which period.
    block: Option<u16>,
    since: u32,
    /// When it was last held by what the site lacks: that, the version of that resource
    /// there and the version of the site's departures.
    seen: Option<(Lack, u32, u32)>,
    /// Until this period its fleets and aircraft type can neither start nor stop moving.
    stable_until: u32,
    /// Days waited, by cause.
    blame: Blame,
    gone: bool,
}

/// Why a movement could not leave today.
#[derive(Clone, Copy, Debug)]
struct Blocked {
    cause: u16,
    /// What the site lacks, when that alone holds it (units, stock, or its rear guard
    /// waiting for the last containers), which changes only when something arrives at or
    /// leaves the site.
    lacks: Option<Lack>,
}

/// What a site lacks for a movement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lack {
    /// Units of a fleet.
    Units(u32),
    /// Stock of a class.
    Stock(u32),
    /// Containers or vehicles to leave first, so the rear guard may go.
    Guard,
}

/// A campaign's state, reused from one campaign to the next by the same thread.
pub(crate) struct Campaign<'a> {
    s: &'a Scenario,
    tb: &'a Tables,
    base: &'a Program,
    prog: Cow<'a, Program>,
    policy: Policy,
    n: usize,
    ncls: usize,
    // Stock: real holdings and "ghost" stock (destroyed on the way, still in the plan).
    held: Vec<i64>,
    ghost: Vec<i64>,
    held_total: Vec<i64>,
    people: Vec<i64>,
    cargo: Vec<i64>,
    ghost_part: Vec<u32>,
    // Fleet units present and serviceable, and in repair, by fleet and site.
    present: Vec<i32>,
    repairing: Vec<i32>,
    // Movements.
    released: Vec<u32>,
    waiting: Vec<Vec<Waiting>>,
    closing_left: Vec<u32>,
    /// Units of each fleet claimed by earlier movements still waiting at the site being
    /// worked (scratch).
    reserved: Vec<i32>,
    /// Stock of each class claimed the same way (scratch).
    claimed: Vec<i64>,
    /// Fleets and classes some earlier movement at the site being worked lacks: every later
    /// one needing them lacks them too, since the earlier one's claim comes first (scratch).
    short_units: Vec<bool>,
    short_stock: Vec<bool>,
    /// Sites whose waiting movements may leave now (scratch).
    dirty: Vec<bool>,
    /// Sites where something arrived, was repaired, released or unlocked today.
    changed: Vec<bool>,
    /// Per site, the first period in which a hold there may end by itself.
    recheck_at: Vec<u32>,
    /// Counts of the changes to what sites hold, so that a movement held by what its site
    /// lacks is tried again only when that changed: arrivals of units by fleet and site,
    /// of stock by site and class, of anything by site (with repairs and unlocking), and
    /// departures by site (which free claims and let a rear guard go).
    unit_arrivals: Vec<u32>,
    stock_arrivals: Vec<u32>,
    any_arrivals: Vec<u32>,
    departures: Vec<u32>,
    /// How many times a site has finished its planned closing movements.
    closed_sites: u32,
    site_late_cause: Vec<u16>,
    empty_cause: Vec<u16>,
    // Events.
    arrivals: Vec<Vec<Arrival>>,
    repairs: Vec<Vec<Repair>>,
    broken: Vec<(u32, u32, u32)>,
    moved: Vec<(u32, u32, u32)>,
    /// "Ghost" units by fleet and site: stand-ins for units of cancelled movements.
    ghost_units: Vec<i32>,
    /// Containers and vehicles per site that cancelled movements were to take away.
    stranded: Vec<i64>,
    // Sampled per campaign.
    fleet_leave: Vec<(u32, u16)>,
    air_leave: Vec<(u32, u16)>,
    active: Vec<(usize, u32, u32)>,
    rngs: Vec<Option<ChaCha8Rng>>,
    key: [u8; 32],
    epoch: u16,
    fallback_cause: u16,
    /// The first period on which stock left out of the last re-plan may leave.
    release: Option<u32>,
    /// Why the last movement cancelled since the last re-plan was cancelled.
    cancelled_cause: Option<u16>,
    // Results.
    last_held: Vec<i64>,
    out: RunOutcome,
    people_out: u32,
    teu_out: u32,
    vehicles_out: u32,
}

impl<'a> Campaign<'a> {
    pub fn new(s: &'a Scenario, tb: &'a Tables, base: &'a Program, policy: Policy) -> Self {
        let n = s.sites.len();
        let nf = s.fleets.len();
        let t = tb.t as usize;
        Campaign {
            s,
            tb,
            base,
            prog: Cow::Borrowed(base),
            policy,
            n,
            ncls: tb.ncls,
            held: vec![0; n * tb.ncls],
            ghost: vec![0; n * tb.ncls],
            held_total: vec![0; n],
            people: vec![0; n],
            cargo: vec![0; n],
            ghost_part: Vec::new(),
            present: vec![0; nf * n],
            repairing: vec![0; nf * n],
            released: vec![0; n],
            waiting: vec![Vec::new(); n],
            closing_left: vec![0; n],
            reserved: vec![0; nf],
            claimed: vec![0; tb.ncls],
            short_units: vec![false; nf],
            short_stock: vec![false; tb.ncls],
            dirty: vec![true; n],
            changed: vec![true; n],
            recheck_at: vec![0; n],
            unit_arrivals: vec![0; nf * n],
            stock_arrivals: vec![0; n * tb.ncls],
            any_arrivals: vec![0; n],
            departures: vec![0; n],
            closed_sites: 0,
            site_late_cause: vec![0; n],
            empty_cause: vec![0; n],
            arrivals: vec![Vec::new(); t + 1],
            repairs: vec![Vec::new(); t + 1],
            broken: Vec::new(),
            moved: Vec::new(),
            ghost_units: vec![0; nf * n],
            stranded: vec![0; n],
            fleet_leave: vec![(NEVER, 0); nf],
            air_leave: vec![(NEVER, 0); s.aircraft.len()],
            active: Vec::new(),
            rngs: vec![None; tb.sources.len()],
            key: [0; 32],
            epoch: 0,
            fallback_cause: 0,
            release: None,
            cancelled_cause: None,
            last_held: vec![-1; n],
            out: RunOutcome::empty(n, t),
            people_out: 0,
            teu_out: 0,
            vehicles_out: 0,
        }
    }

    fn reset(&mut self, seed: u64, run: u64) {
        let s = self.s;
        let (n, ncls) = (self.n, self.ncls);
        self.prog = Cow::Borrowed(self.base);
        self.held.copy_from_slice(&self.tb.own);
        self.ghost.iter_mut().for_each(|x| *x = 0);
        for i in 0..n {
            let row = &self.held[i * ncls..(i + 1) * ncls];
            self.held_total[i] = row.iter().sum();
            self.cargo[i] = row[TEU] + row[VEH];
            self.people[i] = row[P0..].iter().sum();
        }
        self.ghost_part.clear();
        self.ghost_part.resize(self.prog.loads.len(), 0);
        self.present.iter_mut().for_each(|x| *x = 0);
        self.repairing.iter_mut().for_each(|x| *x = 0);
        for (f, fleet) in s.fleets.iter().enumerate() {
            self.present[f * n + fleet.home.idx()] = fleet.count as i32;
        }
        self.released.iter_mut().for_each(|x| *x = 0);
        self.waiting.iter_mut().for_each(Vec::clear);
        self.closing_left.copy_from_slice(&self.base.closing);
        self.closed_sites = 0;
        self.changed.iter_mut().for_each(|c| *c = true);
        self.recheck_at.iter_mut().for_each(|r| *r = 0);
        for v in [
            &mut self.unit_arrivals,
            &mut self.stock_arrivals,
            &mut self.any_arrivals,
            &mut self.departures,
        ] {
            v.iter_mut().for_each(|x| *x = 0);
        }
        self.site_late_cause.iter_mut().for_each(|x| *x = 0);
        self.empty_cause.iter_mut().for_each(|x| *x = 0);
        self.arrivals.iter_mut().for_each(Vec::clear);
        self.repairs.iter_mut().for_each(Vec::clear);
        self.broken.clear();
        self.moved.clear();
        self.ghost_units.iter_mut().for_each(|x| *x = 0);
        self.stranded.iter_mut().for_each(|x| *x = 0);
        self.fleet_leave.iter_mut().for_each(|x| *x = (NEVER, 0));
        self.air_leave.iter_mut().for_each(|x| *x = (NEVER, 0));
        self.active.clear();
        self.rngs.iter_mut().for_each(|r| *r = None);
        self.key = crate::rng::run_key(seed, run);
        self.epoch = 0;
        self.fallback_cause = 0;
        self.release = None;
        self.cancelled_cause = None;
        self.last_held.iter_mut().for_each(|x| *x = -1);
        self.out = RunOutcome::empty(n, self.tb.t as usize);
        self.people_out = 0;
        self.teu_out = 0;
        self.vehicles_out = 0;
    }

    /// The stream of hazard source `src`, made on first use.
    fn rng(&mut self, src: u16) -> &mut ChaCha8Rng {
        let (key, tb) = (&self.key, self.tb);
        self.rngs[src as usize]
            .get_or_insert_with(|| crate::rng::stream(key, &tb.sources[src as usize].stream))
    }

    /// A uniform draw in `[0, 1)` from source `src`.
    fn u(&mut self, src: u16) -> f64 {
        self.rng(src).random::<f64>()
    }

    /// Days drawn from `spread` as whole periods (rounded to the nearest).
    fn periods(&mut self, src: u16, spread: Spread) -> u32 {
        if spread.max <= 0.0 {
            return 0;
        }
        let days = spread.at(self.u(src));
        (days / f64::from(self.s.horizon.period_days))
            .round()
            .max(0.0) as u32
    }

    /// Run campaign `run` of master seed `seed`.
    pub fn run(&mut self, seed: u64, run: u64) -> RunOutcome {
        self.reset(seed, run);
        self.sample_campaign();
        let t_end = self.tb.t;
        for t in 0..t_end {
            self.arrive(t);
            self.repair(t);
            self.release(t);
            // Movements leaving today may free what others at their site wait for (claims
            // on units and stock, a rear guard waiting for the last containers) or, when they
            // close a site, what sites closing after it wait for; so go round the sites where
            // something left until nothing more leaves.
            // A site is worked when something arrived, was repaired, was released or
            // unlocked there, or when a movement's hold there may end by itself today
            // (permission answered, a fleet leaving, a restriction); otherwise everything
            // waiting there is held as it was yesterday.
            for x in 0..self.n {
                self.dirty[x] = std::mem::take(&mut self.changed[x]) || t >= self.recheck_at[x];
            }
            loop {
                let mut any = false;
                for x in 0..self.n {
                    if !std::mem::take(&mut self.dirty[x]) {
                        continue;
                    }
                    let closed_before = self.closed_sites;
                    if self.depart_site(x, t) {
                        any = true;
                        self.dirty[x] = true;
                        if self.closed_sites != closed_before {
                            for (y, site) in self.s.sites.iter().enumerate() {
                                self.dirty[y] |= !site.after.is_empty();
                            }
                        }
                    }
                }
                if !any {
                    break;
                }
            }
            self.end_of_day(t);
            if let Policy::Replan {
                after_days,
                max_replans,
            } = self.policy
                && t + 1 < t_end
            {
                if self.release.is_some_and(|d| t + 1 >= d) {
                    self.replan(t + 1, self.fallback_cause, false);
                } else if self.out.replans < max_replans
                    && let Some(cause) = self.lagging(t, after_days)
                {
                    self.replan(t + 1, cause, true);
                }
            }
        }
        self.finish();
        std::mem::replace(&mut self.out, RunOutcome::empty(0, 0))
    }

    /// Closures and early departures of this campaign, drawn before it starts.
    fn sample_campaign(&mut self) {
        let hz = &self.s.hazards;
        let pd = f64::from(self.s.horizon.period_days);
        for (k, c) in hz.closures.iter().enumerate() {
            let src = self.tb.closure[k];
            if self.u(src) >= c.probability {
                continue;
            }
            let span = c.start.until.0 - c.start.from.0 + 1;
            let start = c.start.from.0 + ((self.u(src) * f64::from(span)) as u32).min(span - 1);
            let len = ((c.days.at(self.u(src)) / pd).round() as u32).max(1);
            self.active.push((k, start, start + len - 1));
        }
        for (k, d) in hz.departures.iter().enumerate() {
            let src = self.tb.departure[k];
            if self.u(src) >= d.probability {
                continue;
            }
            let span = d.window.until.0 - d.window.from.0 + 1;
            let day = d.window.from.0 + ((self.u(src) * f64::from(span)) as u32).min(span - 1);
            let slot = match d.leaver {
                Leaver::Fleet(f) => &mut self.fleet_leave[f.idx()],
                Leaver::Aircraft(a) => &mut self.air_leave[a.idx()],
            };
            if day < slot.0 {
                *slot = (day, src);
            }
        }
    }

    fn add_stock(&mut self, site: usize, class: usize, q: i64) {
        self.held[site * self.ncls + class] += q;
        self.held_total[site] += q;
        if class >= P0 {
            self.people[site] += q;
        } else {
            self.cargo[site] += q;
        }
    }

    fn arrive(&mut self, t: u32) {
        let mut list = std::mem::take(&mut self.arrivals[t as usize]);
        for a in list.drain(..) {
            let (load, to) = {
                let m = &self.prog.moves[a.mv as usize];
                (m.load, m.to as usize)
            };
            let n = self.n;
            let exit = self.s.sites[to].kind == SiteKind::Exit;
            let current = a.epoch == self.epoch;
            self.any_arrivals[to] += 1;
            self.changed[to] = true;
            for i in load.0..load.1 {
                let (c, q) = self.prog.loads[i as usize];
                let g = self.ghost_part[i as usize];
                let real = q - g;
                if exit {
                    match c as usize {
                        TEU => self.teu_out += real,
                        VEH => self.vehicles_out += real,
                        _ => self.people_out += real,
                    }
                } else {
                    self.stock_arrivals[to * self.ncls + c as usize] += 1;
                    self.add_stock(to, c as usize, i64::from(real));
                    if current {
                        self.ghost[to * self.ncls + c as usize] += i64::from(g);
                    }
                }
            }
            if current {
                for i in a.units.0..a.units.1 {
                    let (f, k, g) = self.moved[i as usize];
                    self.present[f as usize * n + to] += (k - g) as i32;
                    self.ghost_units[f as usize * n + to] += g as i32;
                    self.unit_arrivals[f as usize * n + to] += 1;
                }
                for b in a.broken.0..a.broken.1 {
                    let (f, k, days) = self.broken[b as usize];
                    let (f, k) = (f as usize, k as i32);
                    self.present[f * n + to] -= k;
                    self.repairing[f * n + to] += k;
                    let back = (t + days.max(1)) as usize;
                    if back < self.repairs.len() {
                        self.repairs[back].push(Repair {
                            fleet: f as u32,
                            site: to as u32,
                            units: k,
                            epoch: self.epoch,
                        });
                    }
                }
            }
            if a.late > 0 && !exit {
                self.site_late_cause[to] = a.cause;
            }
        }
        self.arrivals[t as usize] = list;
    }

    fn repair(&mut self, t: u32) {
        let mut list = std::mem::take(&mut self.repairs[t as usize]);
        for r in &list {
            let (f, n) = (r.fleet as usize, self.n);
            // After a re-plan every unit stands at home, so repaired ones return there.
            let site = if r.epoch == self.epoch {
                r.site as usize
            } else {
                self.s.fleets[f].home.idx()
            };
            self.present[f * n + site] += r.units;
            self.repairing[f * n + r.site as usize] -= r.units;
            self.unit_arrivals[f * n + site] += 1;
            self.any_arrivals[site] += 1;
            self.changed[site] = true;
        }
        list.clear();
        self.repairs[t as usize] = list;
    }

    /// Movements planned to leave on day `t` join their site's waiting list.
    fn release(&mut self, t: u32) {
        for x in 0..self.n {
            if t == self.tb.not_before[x] {
                // The site's own stock may leave from today.
                self.any_arrivals[x] += 1;
                self.changed[x] = true;
                let row = &mut self.stock_arrivals[x * self.ncls..(x + 1) * self.ncls];
                row.iter_mut().for_each(|v| *v += 1);
            }
            let queue = &self.prog.queues[x];
            while let Some(&k) = queue.get(self.released[x] as usize) {
                if self.prog.moves[k as usize].depart > t {
                    break;
                }
                self.waiting[x].push(Waiting {
                    mv: k,
                    retry_at: 0,
                    retry_cause: 0,
                    block: None,
                    since: t,
                    seen: None,
                    stable_until: 0,
                    blame: Blame::default(),
                    gone: false,
                });
                self.released[x] += 1;
                self.changed[x] = true;
            }
        }
    }

    /// Try the waiting movements of site `x` on day `t`, in plan order; whether any left.
    ///
    /// A movement that cannot leave keeps its claim on its fleets' units and on its load:
    /// a later one may take only what lies beyond those claims. Units and stock are
    /// interchangeable, so without the claims a later movement could take units whose
    /// planned round trip never brings them back here, or stock whose replacement needs
    /// the very trucks the earlier movement was to send, and both would wait for ever.
    /// With them, every movement gets what the plan gave it, only later.
    fn depart_site(&mut self, x: usize, t: u32) -> bool {
        let mut moved = false;
        let mut recheck = NEVER;
        self.reserved.iter_mut().for_each(|r| *r = 0);
        self.claimed.iter_mut().for_each(|r| *r = 0);
        self.short_units.iter_mut().for_each(|r| *r = false);
        self.short_stock.iter_mut().for_each(|r| *r = false);
        for i in 0..self.waiting[x].len() {
            let w = &self.waiting[x][i];
            if w.gone {
                continue;
            }
            let (k, retry) = (w.mv, w.retry_at);
            let stable = t < w.stable_until;
            let unchanged = w.seen.is_some_and(|(lack, v, d)| {
                v == self.resource_version(x, lack) && d == self.departures[x]
            });
            if stable && unchanged && retry <= t {
                // What it lacks has neither arrived nor been freed by a departure since it
                // was last tried, and its fleets can still move: it is held still, and
                // keeps its claims.
                let m = &self.prog.moves[k as usize];
                for j in m.units.0..m.units.1 {
                    let (f, q) = self.prog.units[j as usize];
                    self.reserved[f as usize] += q as i32;
                }
                for j in m.load.0..m.load.1 {
                    let (c, q) = self.prog.loads[j as usize];
                    self.claimed[c as usize] += i64::from(q);
                }
                if let Some((lack, _, _)) = w.seen {
                    match lack {
                        Lack::Units(f) => self.short_units[f as usize] = true,
                        Lack::Stock(c) => self.short_stock[c as usize] = true,
                        Lack::Guard => {}
                    }
                }
                recheck = recheck.min(w.stable_until);
                continue;
            }
            let result = if retry > t {
                Err(Held(Blocked {
                    cause: self.waiting[x][i].retry_cause,
                    lacks: None,
                }))
            } else if let Some(lack) = self.short(k).filter(|_| !self.leaving(k, t)) {
                Err(Held(Blocked {
                    cause: or(self.site_late_cause[x], self.fallback_cause),
                    lacks: Some(lack),
                }))
            } else if unchanged && !self.leaving(k, t) {
                // What it lacks has neither arrived nor been freed by a departure since it
                // was last tried, and its fleets are still in theatre: it is held still.
                Err(Held(Blocked {
                    cause: w.block.unwrap_or(0),
                    lacks: w.seen.map(|(lack, _, _)| lack),
                }))
            } else {
                let cause = or(self.waiting[x][i].cause_at(t), self.fallback_cause);
                self.try_depart(x, k, t, cause)
            };
            if result.is_ok() || matches!(result, Err(Cancel(_))) {
                self.departures[x] += 1;
            }
            match result {
                Ok(()) => {
                    moved = true;
                    self.waiting[x][i].gone = true;
                    continue;
                }
                Err(Refused(c, until)) => {
                    let w = &mut self.waiting[x][i];
                    w.hold(c, t);
                    w.retry_at = until;
                    w.retry_cause = c;
                    recheck = recheck.min(until);
                }
                Err(Held(Blocked { cause, lacks })) => {
                    match lacks {
                        Some(Lack::Units(f)) => self.short_units[f as usize] = true,
                        Some(Lack::Stock(c)) => self.short_stock[c as usize] = true,
                        _ => {}
                    }
                    let seen = lacks
                        .map(|lack| (lack, self.resource_version(x, lack), self.departures[x]));
                    let stable_until = self.fleet_change_day(k, t);
                    recheck = recheck.min(if retry > t {
                        retry
                    } else if lacks.is_some() {
                        stable_until
                    } else {
                        t + 1
                    });
                    let w = &mut self.waiting[x][i];
                    w.hold(cause, t);
                    w.seen = seen;
                    w.stable_until = stable_until;
                }
                Err(Cancel(c)) => {
                    self.cancel(x, k, t, c);
                    moved = true;
                    self.waiting[x][i].gone = true;
                    continue;
                }
            }
            let m = &self.prog.moves[k as usize];
            let arrive = t + m.travel;
            for j in m.units.0..m.units.1 {
                let (f, q) = self.prog.units[j as usize];
                if self.fleet_moves(f as usize, t, arrive).is_ok() {
                    self.reserved[f as usize] += q as i32;
                }
            }
            for j in m.load.0..m.load.1 {
                let (c, q) = self.prog.loads[j as usize];
                self.claimed[c as usize] += i64::from(q);
            }
        }
        if moved {
            self.waiting[x].retain(|w| !w.gone);
        }
        self.recheck_at[x] = recheck;
        moved
    }

    /// The first period after `t` in which a fleet or the aircraft type of movement `k`
    /// may start or stop being able to move (its window opens or closes, it leaves).
    fn fleet_change_day(&self, k: u32, t: u32) -> u32 {
        let m = &self.prog.moves[k as usize];
        // The longest trip the movement may take, seasons included.
        let travel = if m.kind == Kind::Convoy {
            m.travel + self.tb.max_extra[m.road as usize]
        } else {
            m.travel
        };
        let change = |leave: u32, w: Window| -> u32 {
            let closes = (w.until.0 + 2).saturating_sub(travel);
            [leave, w.from.0, closes]
                .into_iter()
                .filter(|&d| d > t)
                .min()
                .unwrap_or(NEVER)
        };
        let mut day = NEVER;
        for i in m.units.0..m.units.1 {
            let f = self.prog.units[i as usize].0 as usize;
            day = day.min(change(self.fleet_leave[f].0, self.s.fleets[f].available));
        }
        if m.kind == Kind::Flight {
            let a = m.aircraft as usize;
            day = day.min(change(self.air_leave[a].0, self.s.aircraft[a].available));
        }
        day
    }

    /// One of the movements that close site `x` as planned has gone.
    fn done_closing(&mut self, x: usize) {
        if self.closing_left[x] > 0 {
            self.closing_left[x] -= 1;
            if self.closing_left[x] == 0 {
                self.closed_sites += 1;
            }
        }
    }

    /// Why site `j` has not closed yet, as far as the simulation can tell.
    fn why_open(&self, j: usize, t: u32) -> u16 {
        let waiting = self.waiting[j]
            .iter()
            .filter(|w| !w.gone)
            .map(|w| or(w.cause_at(t), w.block.unwrap_or(0)))
            .find(|&c| c != 0)
            .unwrap_or(0);
        or(waiting, or(self.site_late_cause[j], self.fallback_cause))
    }

    /// A fleet or class movement `k` needs that an earlier movement at its site lacks.
    fn short(&self, k: u32) -> Option<Lack> {
        let m = &self.prog.moves[k as usize];
        let units = (m.units.0..m.units.1)
            .map(|i| self.prog.units[i as usize].0)
            .find(|&f| self.short_units[f as usize])
            .map(Lack::Units);
        units.or_else(|| {
            (m.load.0..m.load.1)
                .map(|i| self.prog.loads[i as usize].0)
                .find(|&c| self.short_stock[c as usize])
                .map(Lack::Stock)
        })
    }

    /// The version of what site `x` lacks.
    fn resource_version(&self, x: usize, lack: Lack) -> u32 {
        match lack {
            Lack::Units(f) => self.unit_arrivals[f as usize * self.n + x],
            Lack::Stock(c) => self.stock_arrivals[x * self.ncls + c as usize],
            Lack::Guard => self.any_arrivals[x],
        }
    }

    /// Whether movement `k` may no longer leave as planned on day `t` because a fleet or
    /// its aircraft type has left or is past its window (so it must be looked at again).
    fn leaving(&self, k: u32, t: u32) -> bool {
        let m = &self.prog.moves[k as usize];
        let arrive = t + m.travel;
        let gone = (m.units.0..m.units.1).any(|i| {
            let (f, _) = self.prog.units[i as usize];
            matches!(self.fleet_moves(f as usize, t, arrive), Err(Some(_)))
        });
        gone || (m.kind == Kind::Flight && {
            let w = self.s.aircraft[m.aircraft as usize].available;
            t >= self.air_leave[m.aircraft as usize].0 || arrive - 1 > w.until.0
        })
    }

    /// Whether the units of fleet `f` may start a trip `[t, arrive)`: `Err(Some(cause))`
    /// when they never will again (the fleet has left, or its window is over: cause 0),
    /// `Err(None)` before its window opens.
    fn fleet_moves(&self, f: usize, t: u32, arrive: u32) -> Result<(), Option<u16>> {
        let (leave, src) = self.fleet_leave[f];
        if t >= leave {
            return Err(Some(src));
        }
        let w = self.s.fleets[f].available;
        if t < w.from.0 {
            return Err(None);
        }
        if arrive - 1 > w.until.0 {
            return Err(Some(0));
        }
        Ok(())
    }

    /// Movement `k` of site `x` can never leave: its load stays (stranded), and ghosts of
    /// its load and its units arrive in its place, so the movements planned after it go on.
    fn cancel(&mut self, x: usize, k: u32, t: u32, cause: u16) {
        let m = self.prog.moves[k as usize].clone();
        self.out.cancelled += 1;
        self.cancelled_cause = Some(cause);
        let mut cargo = 0;
        for i in m.load.0..m.load.1 {
            let (c, q) = self.prog.loads[i as usize];
            self.ghost_part[i as usize] = q;
            if (c as usize) < P0 {
                cargo += i64::from(q);
            }
        }
        self.stranded[x] += cargo;
        if let Some(p) = self.prog.closure[x]
            && m.depart <= p
        {
            self.done_closing(x);
        }
        let start = self.moved.len() as u32;
        for i in m.units.0..m.units.1 {
            let (f, q) = self.prog.units[i as usize];
            if !matches!(self.fleet_moves(f as usize, t, t + m.travel), Err(Some(_))) {
                self.moved.push((f, q, q));
            }
        }
        let arr = t + m.travel;
        if (arr as usize) < self.arrivals.len() {
            self.arrivals[arr as usize].push(Arrival {
                mv: k,
                epoch: self.epoch,
                late: arr - (m.depart + m.travel),
                cause,
                broken: (0, 0),
                units: (start, self.moved.len() as u32),
            });
        }
    }

    fn try_depart(&mut self, x: usize, k: u32, t: u32, late_cause: u16) -> Result<(), Stop> {
        let (s, tb, n, ncls) = (self.s, self.tb, self.n, self.ncls);
        let m: Move = self.prog.moves[k as usize].clone();
        if m.kind == Kind::Abandon {
            self.abandon(&m, x, t, late_cause);
            return Ok(());
        }
        let travel = if m.kind == Kind::Convoy {
            let tt = tb.travel[m.road as usize * tb.t as usize + t as usize];
            // A plan file may round differently; keep its own travel time outside seasons.
            m.travel + tt.saturating_sub(s.roads[m.road as usize].periods)
        } else {
            m.travel
        };
        let arrive = t + travel;
        let held = |cause: u16| Err(Held(Blocked { cause, lacks: None }));

        // Units that may still move; the movement goes without the others if it can, and
        // is cancelled if it never can.
        let units_start = self.moved.len() as u32;
        let mut dropped: Option<u16> = None;
        for i in m.units.0..m.units.1 {
            let (f, q) = self.prog.units[i as usize];
            match self.fleet_moves(f as usize, t, arrive) {
                Ok(()) => self.moved.push((f, q, 0)),
                Err(None) => {
                    self.moved.truncate(units_start as usize);
                    return held(late_cause);
                }
                Err(Some(c)) => dropped = Some(or(dropped.unwrap_or(0), or(c, late_cause))),
            }
        }
        let units_end = self.moved.len() as u32;
        // Without the units that cannot move, nothing may be left to drive (an empty
        // return trip of a fleet that has gone), or what is left may not carry the load.
        let nothing_moves = units_start == units_end && m.load_of(&self.prog.loads, VEH) == 0;
        if let Some(c) = dropped
            && (nothing_moves || !self.still_carries(&m, units_start, units_end))
        {
            self.moved.truncate(units_start as usize);
            return Err(Cancel(c));
        }
        if m.kind == Kind::Flight {
            let (leave, src) = self.air_leave[m.aircraft as usize];
            let w = s.aircraft[m.aircraft as usize].available;
            if t < w.from.0 {
                return held(late_cause);
            }
            if t >= leave {
                return Err(Cancel(src));
            }
            if arrive - 1 > w.until.0 {
                return Err(Cancel(late_cause));
            }
        }
        let check = self.ready(&m, x, t, arrive, units_start, units_end, late_cause);
        if let Err(e) = check {
            self.moved.truncate(units_start as usize);
            return Err(e);
        }

        // Leave: units (real first, then ghosts), then stock (the same).
        for i in units_start..units_end {
            let (f, q, _) = self.moved[i as usize];
            let at = f as usize * n + x;
            let real = (self.present[at] - self.reserved[f as usize]).clamp(0, q as i32);
            self.present[at] -= real;
            self.ghost_units[at] -= q as i32 - real;
            self.moved[i as usize].2 = q - real as u32;
        }
        let locked = t < tb.not_before[x];
        let mut real_teu = 0;
        let mut real_veh = 0;
        for i in m.load.0..m.load.1 {
            let (c, q) = self.prog.loads[i as usize];
            let at = x * ncls + c as usize;
            let lock = if locked { tb.own[at] } else { 0 };
            let real = (self.held[at] - lock - self.claimed[c as usize])
                .max(0)
                .min(i64::from(q));
            let ghost = i64::from(q) - real;
            self.add_stock(x, c as usize, -real);
            self.ghost[at] -= ghost;
            self.ghost_part[i as usize] = ghost as u32;
            match c as usize {
                TEU => real_teu = real as u32,
                VEH => real_veh = real as u32,
                _ => {}
            }
        }
        if let Some(p) = self.prog.closure[x]
            && m.depart <= p
        {
            self.done_closing(x);
        }
        let dep_late = t - m.depart;
        let dep_cause = if dep_late > 0 { late_cause } else { 0 };
        if self.held_total[x] == 0 {
            self.empty_cause[x] = dep_cause;
        }

        // On the way: incidents and breakdowns.
        let season = if m.kind == Kind::Convoy {
            tb.season[m.road as usize * tb.t as usize + t as usize]
        } else {
            0
        };
        let mut delay = 0;
        let mut extra_cause = season;
        let broken_start = self.broken.len() as u32;
        if m.kind == Kind::Convoy {
            let road = m.road as usize;
            if let Some(h) = s.hazards.road(RoadId(m.road)) {
                let src = tb.incident[road];
                self.out.casualty_exposure += f64::from(m.people) * h.incident * h.injured;
                if h.incident > 0.0 && self.u(src) < h.incident {
                    self.out.incidents += 1;
                    self.out.persons_hit += m.people;
                    self.out.casualties += f64::from(m.people) * h.injured;
                    delay = self.periods(src, h.delay_days);
                    if delay > 0 {
                        extra_cause = src;
                    }
                    self.destroy(src, &m, h.destroyed, real_teu, real_veh);
                }
            }
            for i in units_start..units_end {
                let (f, q, g) = self.moved[i as usize];
                let q = q - g;
                let p = tb.breakdown_p[f as usize * s.roads.len() + road];
                if p <= 0.0 {
                    continue;
                }
                let src = tb.breakdown[f as usize];
                let k = binomial(self.u(src), q, p);
                if k > 0 {
                    self.out.breakdowns += k;
                    let b = s
                        .hazards
                        .breakdown(FleetId(f))
                        .expect("a breakdown rate has its hazard");
                    let days = self.periods(src, b.repair_days);
                    self.broken.push((f, k, days));
                }
            }
        }
        let extra = travel - m.travel + delay;
        let arr = t + travel + delay;
        let cause = if extra > 0 && extra >= dep_late {
            extra_cause
        } else {
            dep_cause
        };
        if (arr as usize) < self.arrivals.len() {
            self.arrivals[arr as usize].push(Arrival {
                mv: k,
                epoch: self.epoch,
                late: dep_late + extra,
                cause,
                broken: (broken_start, self.broken.len() as u32),
                units: (units_start, units_end),
            });
        }
        Ok(())
    }

    /// Whether the units `moved[a..b]` still carry the load of `m` and cover it with
    /// escorts where its road needs them.
    fn still_carries(&self, m: &Move, a: u32, b: u32) -> bool {
        let s = self.s;
        let (mut teu, mut seats, mut vehicles, mut cover) = (0u64, 0u64, 0u64, 0u64);
        for i in a..b {
            let (f, q, _) = self.moved[i as usize];
            let fleet = &s.fleets[f as usize];
            let q = u64::from(q);
            match fleet.kind {
                FleetKind::Truck => teu += q * u64::from(fleet.teu),
                FleetKind::Escort => cover += q * u64::from(fleet.cover),
                FleetKind::Carrier => {}
            }
            if fleet.kind != FleetKind::Escort {
                vehicles += q;
            }
            seats += q * u64::from(fleet.seats);
        }
        let stock_vehicles = u64::from(m.load_of(&self.prog.loads, VEH));
        seats += stock_vehicles * u64::from(s.vehicle_seats);
        vehicles += stock_vehicles;
        let escort = m.kind == Kind::Convoy && s.roads[m.road as usize].escort;
        u64::from(m.load_of(&self.prog.loads, TEU)) <= teu
            && u64::from(m.people) <= seats
            && (!escort || vehicles <= cover)
    }

    /// Everything but the units' own fleets: units present, stock, rear guard, `after`,
    /// restrictions, closures and permission.
    #[allow(clippy::too_many_arguments)]
    fn ready(
        &mut self,
        m: &Move,
        x: usize,
        t: u32,
        arrive: u32,
        a: u32,
        b: u32,
        late_cause: u16,
    ) -> Result<(), Stop> {
        let (s, tb, n, ncls) = (self.s, self.tb, self.n, self.ncls);
        let held = |cause: u16| Err(Held(Blocked { cause, lacks: None }));
        let here = or(self.site_late_cause[x], self.fallback_cause);
        let lacks = |cause: u16, lack: Lack| {
            Err(Held(Blocked {
                cause,
                lacks: Some(lack),
            }))
        };
        // Units present and serviceable.
        for i in a..b {
            let (f, q, _) = self.moved[i as usize];
            let at = f as usize * n + x;
            let free = (self.present[at] - self.reserved[f as usize]).max(0);
            if free + self.ghost_units[at] < q as i32 {
                let c = if self.repairing[at] > 0 {
                    tb.breakdown[f as usize]
                } else {
                    here
                };
                return lacks(c, Lack::Units(f));
            }
        }
        // Stock present; the site's own stock only from its not_before.
        let locked = t < tb.not_before[x];
        let mut taking_cargo = 0;
        for i in m.load.0..m.load.1 {
            let (c, q) = self.prog.loads[i as usize];
            let at = x * ncls + c as usize;
            let lock = if locked { tb.own[at] } else { 0 };
            let free = (self.held[at] - lock).max(0) + self.ghost[at] - self.claimed[c as usize];
            if free < i64::from(q) {
                return lacks(here, Lack::Stock(c));
            }
            if (c as usize) < P0 {
                taking_cargo += (self.held[at] - lock - self.claimed[c as usize])
                    .max(0)
                    .min(i64::from(q));
            }
        }
        // The rear guard stays while containers or vehicles remain.
        if m.people > 0 {
            let guard = i64::from(s.sites[x].rear_guard.min(s.sites[x].initial.people()));
            let left = self.people[x] - i64::from(m.people);
            // Stock no movement will take away (its movement was cancelled) keeps no guard.
            let cargo = (self.cargo[x] - self.stranded[x]).max(0);
            if cargo - taking_cargo > 0 && left < guard {
                return lacks(here, Lack::Guard);
            }
        }
        // The movements that empty a site wait for the sites it closes after.
        if m.gated {
            for j in &s.sites[x].after {
                if self.closing_left[j.idx()] > 0 {
                    return held(self.why_open(j.idx(), t));
                }
            }
        }
        // Restrictions and windows the plan knew of.
        let season = if m.kind == Kind::Convoy {
            tb.season[m.road as usize * tb.t as usize + t as usize]
        } else {
            0
        };
        let known = match m.kind {
            Kind::Convoy => {
                tb.road_closed(m.road, t, arrive)
                    || tb.site_restricted(x as u32, t)
                    || tb.site_restricted(m.to, arrive)
            }
            _ => tb.airfield_restricted(x as u32, t) || tb.airfield_restricted(m.to, arrive),
        };
        if known {
            // Only a late or slowed movement can meet a window the plan avoided.
            return held(or(late_cause, season));
        }
        // Closures sampled for this campaign.
        for &(c, from, until) in &self.active {
            let cl = &s.hazards.closures[c];
            let during = |p: u32| from <= p && p <= until;
            let road_hit = m.kind == Kind::Convoy
                && cl.roads.contains(&RoadId(m.road))
                && t <= until
                && from < arrive;
            let site_hit = (cl.sites.contains(&SiteId(x as u32)) && during(t))
                || (cl.sites.contains(&SiteId(m.to)) && during(arrive));
            let air_hit = m.kind == Kind::Flight
                && ((cl.airfields.contains(&SiteId(x as u32)) && during(t))
                    || (cl.airfields.contains(&SiteId(m.to)) && during(arrive)));
            if road_hit || site_hit || air_hit {
                return held(tb.closure[c]);
            }
        }
        // Permission from the host state, asked last: only a movement that could leave asks.
        let (permit, src) = match m.kind {
            Kind::Convoy => (
                s.hazards.convoy_permission(SiteId(x as u32)),
                tb.convoy_permit[x],
            ),
            _ => (
                s.hazards.flight_permission(SiteId(x as u32)),
                tb.flight_permit[x],
            ),
        };
        if permit.grant < 1.0 && self.u(src) >= permit.grant {
            self.out.refusals += 1;
            return Err(Refused(src, t + permit.lead_periods.max(1)));
        }
        Ok(())
    }

    /// An incident destroyed vehicles: which, and what they carried.
    fn destroy(&mut self, src: u16, m: &Move, spread: Spread, real_teu: u32, real_veh: u32) {
        let want = spread.at(self.u(src)).round().max(0.0) as u32;
        let mut k = want.min(m.vehicles);
        if k == 0 {
            return;
        }
        let mut trucks = m.trucks;
        let mut stock = m.load_of(&self.prog.loads, VEH);
        let mut others = m.vehicles - trucks - stock;
        let (mut lost_trucks, mut lost_stock) = (0, 0);
        while k > 0 {
            let total = trucks + stock + others;
            let pick = ((self.u(src) * f64::from(total)) as u32).min(total - 1);
            if pick < trucks {
                trucks -= 1;
                lost_trucks += 1;
            } else if pick < trucks + stock {
                stock -= 1;
                lost_stock += 1;
            } else {
                others -= 1;
                self.out.units_destroyed += 1;
            }
            k -= 1;
        }
        self.out.units_destroyed += lost_trucks;
        // A destroyed truck takes its share of the convoy's containers with it.
        let teu_lost = if m.trucks > 0 {
            (u64::from(real_teu) * u64::from(lost_trucks)).div_ceil(u64::from(m.trucks)) as u32
        } else {
            0
        }
        .min(real_teu);
        let veh_lost = lost_stock.min(real_veh);
        for i in m.load.0..m.load.1 {
            let (c, _) = self.prog.loads[i as usize];
            match c as usize {
                TEU => self.ghost_part[i as usize] += teu_lost,
                VEH => self.ghost_part[i as usize] += veh_lost,
                _ => {}
            }
        }
        self.out.teu_destroyed += teu_lost;
        self.out.vehicles_destroyed += veh_lost;
    }

    fn abandon(&mut self, m: &Move, x: usize, t: u32, late_cause: u16) {
        let ncls = self.ncls;
        for i in m.load.0..m.load.1 {
            let (c, q) = self.prog.loads[i as usize];
            let at = x * ncls + c as usize;
            let real = self.held[at].clamp(0, i64::from(q));
            let ghost = self.ghost[at].clamp(0, i64::from(q) - real);
            self.add_stock(x, c as usize, -real);
            self.ghost[at] -= ghost;
            match c as usize {
                TEU => self.out.teu_abandoned += real as u32,
                VEH => self.out.vehicles_abandoned += real as u32,
                _ => {}
            }
        }
        if let Some(p) = self.prog.closure[x]
            && m.depart <= p
        {
            self.done_closing(x);
        }
        if self.held_total[x] == 0 {
            self.empty_cause[x] = if t > m.depart { late_cause } else { 0 };
        }
    }

    fn end_of_day(&mut self, t: u32) {
        for x in 0..self.n {
            if self.held_total[x] > 0 {
                self.last_held[x] = i64::from(t);
            }
            if self.s.sites[x].close_by == Some(Period(t)) {
                self.out.held_at_deadline[x] = self.held_total[x] as u32;
            }
        }
        self.out.people_out[t as usize] = self.people_out;
        self.out.teu_out[t as usize] = self.teu_out;
        if t == self.tb.deadline {
            let (mut people, mut teu, mut vehicles) = (0, 0, 0);
            for x in 0..self.n {
                let row = &self.held[x * self.ncls..(x + 1) * self.ncls];
                teu += row[TEU] as u32;
                vehicles += row[VEH] as u32;
                people += row[P0..].iter().sum::<i64>() as u32;
            }
            let o = &mut self.out;
            o.at_deadline = [
                people,
                teu,
                vehicles,
                o.teu_destroyed,
                o.vehicles_destroyed,
                o.teu_abandoned,
                o.vehicles_abandoned,
            ];
        }
    }

    /// Why the plan needs mending: a movement was cancelled, or one is at least `after`
    /// periods late.
    fn lagging(&self, t: u32, after: u32) -> Option<u16> {
        if let Some(c) = self.cancelled_cause {
            return Some(c);
        }
        self.waiting.iter().flatten().find_map(|w| {
            let d = self.prog.moves[w.mv as usize].depart;
            (d + after <= t).then(|| or(w.cause_at(t), w.block.unwrap_or(0)))
        })
    }

    /// Re-plan the remaining work from period `t0` (see `replan.rs`); `counted` when the
    /// re-plan is one of the policy's limited ones (not one that takes in released stock).
    fn replan(&mut self, t0: u32, cause: u16, counted: bool) {
        if counted {
            self.out.replans += 1;
        } else {
            self.out.releases += 1;
        }
        // A failed re-plan leaves the campaign holding; stock still to be taken in is tried
        // again a week later rather than every day.
        let pending = self.release.take().map(|d| d.max(t0 + 7));
        self.cancelled_cause = None;
        let s = self.s;
        let (n, ncls) = (self.n, self.ncls);
        // What is on the way arrives as planned; the residual problem waits for it.
        let mut inflight = vec![0i64; n * ncls];
        let mut latest = vec![0u32; n];
        for day in t0 as usize..self.arrivals.len() {
            for a in &self.arrivals[day] {
                let m = &self.prog.moves[a.mv as usize];
                let to = m.to as usize;
                if s.sites[to].kind == SiteKind::Exit {
                    continue;
                }
                for i in m.load.0..m.load.1 {
                    let (c, q) = self.prog.loads[i as usize];
                    inflight[to * ncls + c as usize] += i64::from(q - self.ghost_part[i as usize]);
                }
                latest[to] = latest[to].max(day as u32);
            }
        }
        let serviceable: Vec<u32> = s
            .fleets
            .iter()
            .enumerate()
            .map(|(f, fleet)| {
                let repairing: i32 = self.repairing[f * n..(f + 1) * n].iter().sum();
                fleet.count.saturating_sub(repairing.max(0) as u32)
            })
            .collect();
        let mut locked = vec![0i64; n * ncls];
        let mut release: Option<u32> = None;
        for x in 0..n {
            let nb = self.tb.not_before[x];
            let own = &self.tb.own[x * ncls..(x + 1) * ncls];
            if t0 < nb && own.iter().any(|&q| q > 0) {
                locked[x * ncls..(x + 1) * ncls].copy_from_slice(own);
                release = Some(release.map_or(nb, |r| r.min(nb)));
            }
        }
        let snap = replan::Snapshot {
            t0,
            held: &self.held,
            locked: &locked,
            inflight: &inflight,
            latest: &latest,
            serviceable: &serviceable,
            fleet_gone: self.fleet_leave.iter().map(|&(d, _)| d <= t0).collect(),
            aircraft_gone: self.air_leave.iter().map(|&(d, _)| d <= t0).collect(),
        };
        let Some((residual, fleets, aircraft)) = replan::residual(s, self.tb, &snap) else {
            self.out.replan_failures += 1;
            self.release = pending;
            return;
        };
        let Ok(plan) = planner::plan(&residual, &planner::Config::default(), &mut |_, _| {}) else {
            self.out.replan_failures += 1;
            self.release = pending;
            return;
        };
        let mut prog = self.prog.clone().into_owned();
        if prog
            .extend(&residual, &plan, t0, &fleets, &aircraft)
            .is_err()
        {
            self.out.replan_failures += 1;
            self.release = pending;
            return;
        }
        self.release = release;
        self.ghost_part.resize(prog.loads.len(), 0);
        self.closing_left.copy_from_slice(&prog.closing);
        self.prog = Cow::Owned(prog);
        // Every unit stands at home again; units in repair return home when repaired.
        self.epoch += 1;
        for (f, fleet) in s.fleets.iter().enumerate() {
            let row = &mut self.present[f * n..(f + 1) * n];
            row.iter_mut().for_each(|x| *x = 0);
            row[fleet.home.idx()] = serviceable[f] as i32;
        }
        // Ghosts and stranded stock belong to the old plan: the new one moves what is real.
        self.ghost.iter_mut().for_each(|x| *x = 0);
        self.ghost_units.iter_mut().for_each(|x| *x = 0);
        self.stranded.iter_mut().for_each(|x| *x = 0);
        self.released.iter_mut().for_each(|x| *x = 0);
        self.waiting.iter_mut().for_each(Vec::clear);
        self.changed.iter_mut().for_each(|c| *c = true);
        self.recheck_at.iter_mut().for_each(|r| *r = 0);
        self.site_late_cause.iter_mut().for_each(|x| *x = 0);
        // Lateness the new plan cannot avoid goes to what forced the re-plan.
        self.fallback_cause = cause;
    }

    fn finish(&mut self) {
        for x in 0..self.n {
            let site = &self.s.sites[x];
            if site.kind == SiteKind::Exit {
                continue;
            }
            let closure = if self.held_total[x] > 0 {
                None
            } else if self.last_held[x] >= 0 {
                Some(self.last_held[x] as u32 + 1)
            } else {
                Some(0)
            };
            self.out.closure[x] = closure.unwrap_or(NEVER);
            // Lateness the hazards added beyond the plan is traced to a cause.
            let planned = self.base.closure[x].unwrap_or(0);
            let limit = site.close_by.map_or(NEVER, |d| d.0.max(planned));
            let beyond = match closure {
                None => site.close_by.is_some(),
                Some(c) => c > limit,
            };
            if beyond {
                self.out.cause[x] = match closure {
                    None => self.why_open(x, self.tb.t),
                    Some(_) => or(
                        self.empty_cause[x],
                        or(self.site_late_cause[x], self.fallback_cause),
                    ),
                };
            }
        }
    }
}

/// Why a movement did not leave.
enum Stop {
    /// Held by something; try again tomorrow.
    Held(Blocked),
    /// Permission refused: the next answer comes in the given period.
    Refused(u16, u32),
    /// It never can leave (its fleet or aircraft type has left, or its window is over).
    Cancel(u16),
}
use Stop::{Cancel, Held, Refused};

/// `a`, or `b` when `a` is 0 ("no hazard traced").
fn or(a: u16, b: u16) -> u16 {
    if a != 0 { a } else { b }
}

impl Waiting {
    /// It is held by `cause` on day `t`: the days since the last change go to the cause
    /// that held it then.
    fn hold(&mut self, cause: u16, t: u32) {
        if self.block != Some(cause) {
            if let Some(p) = self.block {
                self.blame.add(p, t - self.since);
            }
            self.block = Some(cause);
            self.since = t;
        }
    }

    /// The cause that has held it longest up to day `t` (0 when none).
    fn cause_at(&self, t: u32) -> u16 {
        match self.block {
            Some(p) if t > self.since => {
                let days = self.blame.days_of(p) + (t - self.since);
                if days > self.blame.top_days {
                    p
                } else {
                    self.blame.top
                }
            }
            _ => self.blame.top,
        }
    }
}

/// Days a movement waited, by cause, and the cause it waited for longest (the first to
/// get there on ties; 0 when none).
#[derive(Clone, Debug, Default)]
struct Blame {
    days: Vec<(u16, u32)>,
    top: u16,
    top_days: u32,
}

impl Blame {
    /// Days waited for `cause`.
    fn days_of(&self, cause: u16) -> u32 {
        self.days
            .iter()
            .find(|(c, _)| *c == cause)
            .map_or(0, |&(_, d)| d)
    }

    /// Add `days` of waiting to `cause`.
    fn add(&mut self, cause: u16, days: u32) {
        let total = match self.days.iter_mut().find(|(c, _)| *c == cause) {
            Some(e) => {
                e.1 += days;
                e.1
            }
            None => {
                self.days.push((cause, days));
                days
            }
        };
        if total > self.top_days {
            self.top = cause;
            self.top_days = total;
        }
    }
}

/// A binomial(n, p) draw by inversion from one uniform `u`.
fn binomial(u: f64, n: u32, p: f64) -> u32 {
    if p >= 1.0 {
        return n;
    }
    let q = 1.0 - p;
    let mut prob = q.powi(n as i32);
    let mut cum = prob;
    let mut k = 0;
    while u >= cum && k < n {
        prob *= f64::from(n - k) / f64::from(k + 1) * p / q;
        k += 1;
        cum += prob;
    }
    k
}

impl Move {
    /// Amount of class `class` the movement carries.
    fn load_of(&self, loads: &[(u32, u32)], class: usize) -> u32 {
        (self.load.0..self.load.1)
            .map(|i| loads[i as usize])
            .find(|&(c, _)| c as usize == class)
            .map_or(0, |(_, q)| q)
    }
}
