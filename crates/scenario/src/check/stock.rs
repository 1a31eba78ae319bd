//! The stock ledger: holdings of every commodity at every non-exit site, period by period.
//!
//! Commodities are numbered `0..C` for the personnel of each contingent, then `C` for
//! containers and `C + 1` for vehicles. Each site is swept on its own with dense
//! `period x commodity` arrays that are reused from site to site, so memory stays small
//! and the cost is sites x periods x commodities for the sites that see any movement.

use super::Findings;
use super::resolve::{Resolved, Via};
use model::{Period, Scenario, SiteId, SiteKind};

/// What happens to a site's stock in one movement or abandonment.
enum Flow {
    /// Movement `i` brings stock.
    In(usize),
    /// Movement `i` takes stock away.
    Out(usize),
    /// Abandonment `i` leaves stock behind.
    Left(usize),
}

/// Check conservation (V020), delivery (V021), abandonment permission (V025), not-before
/// (V026), rear guards (V027), landings at closed sites (V029) and take-offs from them
/// (V032); return every site's closure, indexed by site.
pub(super) fn check(
    s: &Scenario,
    plan: &Resolved<'_>,
    out: &mut Findings<'_>,
) -> Vec<Option<Period>> {
    if !s.abandon.allowed {
        for a in plan.left.iter().filter(|a| a.teu > 0 || a.vehicles > 0) {
            out.add(
                "V025",
                &s.site(a.site).id,
                Some(a.period),
                format!(
                    "{} TEU and {} vehicles are abandoned at {} on {}, but the scenario does not allow abandonment",
                    a.teu,
                    a.vehicles,
                    s.site(a.site).id,
                    out.day(a.period)
                ),
            );
        }
    }

    let exit = |i: SiteId| s.site(i).kind == SiteKind::Exit;
    let mut flows: Vec<Vec<(Period, Flow)>> = (0..s.sites.len()).map(|_| Vec::new()).collect();
    for (i, m) in plan.moves.iter().enumerate() {
        if !m.carries_stock() {
            continue;
        }
        if !exit(m.to) {
            flows[m.to.idx()].push((m.arrive, Flow::In(i)));
        }
        if !exit(m.from) {
            flows[m.from.idx()].push((m.depart, Flow::Out(i)));
        }
    }
    for (i, a) in plan.left.iter().enumerate() {
        flows[a.site.idx()].push((a.period, Flow::Left(i)));
    }

    let mut ledger = Ledger::new(s);
    let mut closures = vec![None; s.sites.len()];
    for (i, site) in s.sites.iter().enumerate() {
        if site.kind == SiteKind::Exit {
            continue;
        }
        closures[i] = ledger.sweep(s, plan, SiteId(i as u32), &flows[i], out);
    }
    air_at_closed_camps(s, plan, &closures, out);
    closures
}

/// V029 and V032: a flight carrying stock lands at a non-exit site only before the site's
/// closure, and takes off from one no later than its closure (the period its last stock
/// leaves). Unloading or loading an aircraft takes the camp's people and equipment; once
/// the camp has closed, nobody is there to do it, even for stock that goes on by road, or
/// arrived by road, the same day.
fn air_at_closed_camps(
    s: &Scenario,
    plan: &Resolved<'_>,
    closures: &[Option<Period>],
    out: &mut Findings<'_>,
) {
    for m in &plan.moves {
        if !matches!(m.via, Via::Air { .. }) || !m.carries_stock() {
            continue;
        }
        // (code, site, period, closed, what the flight does there, how to fix it)
        let landing = closures[m.to.idx()].filter(|&c| m.arrive >= c).map(|c| {
            (
                "V029",
                m.to,
                m.arrive,
                c,
                "lands stock at",
                "fly to an exit or to a camp still open",
            )
        });
        let take_off = closures[m.from.idx()].filter(|&c| m.depart > c).map(|c| {
            (
                "V032",
                m.from,
                m.depart,
                c,
                "takes stock from",
                "fly the stock out by then or drive it on",
            )
        });
        for (code, site, p, closure, does, fix) in landing.into_iter().chain(take_off) {
            let id = &s.site(site).id;
            out.add(
                code,
                id,
                Some(p),
                format!(
                    "flight {} {does} {id} on {}, but {id} closed on {} (its last stock left then); {fix}, or keep {id} open until the flight",
                    m.id,
                    out.day(p),
                    out.day(closure)
                ),
            );
        }
    }
}

/// Reusable per-site arrays, `periods x commodities`, row-major by period.
struct Ledger {
    /// Number of commodities: contingents, then TEU, then vehicles.
    k: usize,
    /// Stock arriving per period and commodity.
    arrive: Vec<i64>,
    /// Stock departing per period and commodity.
    depart: Vec<i64>,
    /// Stock abandoned per period and commodity.
    left: Vec<i64>,
}

impl Ledger {
    fn new(s: &Scenario) -> Self {
        let k = s.contingents.len() + 2;
        let n = k * s.horizon.periods as usize;
        Ledger {
            k,
            arrive: vec![0; n],
            depart: vec![0; n],
            left: vec![0; n],
        }
    }

    /// Sweep one non-exit site through the horizon; return its closure.
    fn sweep(
        &mut self,
        s: &Scenario,
        plan: &Resolved<'_>,
        site: SiteId,
        flows: &[(Period, Flow)],
        out: &mut Findings<'_>,
    ) -> Option<Period> {
        let k = self.k;
        let c = s.contingents.len();
        let here = s.site(site);
        let mut held: Vec<i64> = here
            .initial
            .personnel
            .iter()
            .map(|&n| i64::from(n))
            .collect();
        held.resize(c, 0);
        held.push(i64::from(here.initial.teu));
        held.push(i64::from(here.initial.vehicles));
        if flows.is_empty() {
            // Nothing moves: the initial stock is still there at the end.
            self.undelivered(s, site, &held, out);
            return None;
        }

        self.arrive.fill(0);
        self.depart.fill(0);
        self.left.fill(0);
        for (p, flow) in flows {
            let row = p.idx() * k;
            let (m, into) = match *flow {
                Flow::In(i) => (&plan.moves[i], &mut self.arrive),
                Flow::Out(i) => (&plan.moves[i], &mut self.depart),
                Flow::Left(i) => {
                    let a = &plan.left[i];
                    self.left[row + c] += i64::from(a.teu);
                    self.left[row + c + 1] += i64::from(a.vehicles);
                    continue;
                }
            };
            for &(who, n) in &m.personnel {
                into[row + who.idx()] += i64::from(n);
            }
            into[row + c] += i64::from(m.teu);
            into[row + c + 1] += i64::from(m.vehicles);
        }

        let rear_guard = i64::from(here.rear_guard.min(here.initial.people()));
        // The closure is the period in which the site's holdings fall to zero for the last
        // time: one after the last period that ends with stock held (the start counts as
        // "period -1" holding the initial stock). Stock passing through within a period is
        // never held, so through traffic does not keep a closed camp open.
        let mut last_held: Option<i64> = held.iter().any(|&x| x > 0).then_some(-1);
        let (mut cum_in, mut cum_out) = (vec![0i64; k], vec![0i64; k]);
        // Each rule is reported where a violation starts, not again for every following
        // period in which it persists.
        let (mut negative, mut early, mut unguarded) = (vec![false; k], vec![false; k], false);
        for t in 0..s.horizon.periods as usize {
            let p = Period(t as u32);
            let row = t * k;
            for j in 0..k {
                let (a, d, l) = (
                    self.arrive[row + j],
                    self.depart[row + j],
                    self.left[row + j],
                );
                let before = held[j];
                held[j] += a - d - l;

                let neg = held[j] < 0;
                if neg && !negative[j] {
                    out.add(
                        "V020",
                        &here.id,
                        Some(p),
                        format!(
                            "{} {} depart from or are abandoned at {} on {}, but only {} are there",
                            d + l,
                            commodity(s, j),
                            here.id,
                            out.day(p),
                            before + a
                        ),
                    );
                }
                negative[j] = neg;

                if p < here.not_before {
                    cum_in[j] += a;
                    cum_out[j] += d + l;
                    let bad = cum_out[j] > cum_in[j];
                    if bad && !early[j] {
                        out.add(
                            "V026",
                            &here.id,
                            Some(p),
                            format!(
                                "by {} {} {} left {} but only {} arrived there; its own stock may not leave before {}",
                                out.day(p),
                                cum_out[j],
                                commodity(s, j),
                                here.id,
                                cum_in[j],
                                out.day(here.not_before)
                            ),
                        );
                    }
                    early[j] = bad;
                }
            }
            if held.iter().any(|&x| x > 0) {
                last_held = Some(t as i64);
            }

            let people: i64 = held[..c].iter().sum();
            let bad = (held[c] > 0 || held[c + 1] > 0) && people < rear_guard;
            if bad && !unguarded {
                out.add(
                    "V027",
                    &here.id,
                    Some(p),
                    format!(
                        "at the end of {} {} still holds {} TEU and {} vehicles but only {people} personnel, fewer than its rear guard of {rear_guard}",
                        out.day(p),
                        here.id,
                        held[c],
                        held[c + 1]
                    ),
                );
            }
            unguarded = bad;
        }
        self.undelivered(s, site, &held, out);
        // A site still holding stock at the end has no closure (V021 says so).
        last_held
            .map(|t| t + 1)
            .filter(|&c| c < i64::from(s.horizon.periods))
            .map(|c| Period(c as u32))
    }

    /// V021: whatever a site still holds at the end of the horizon.
    fn undelivered(&self, s: &Scenario, site: SiteId, held: &[i64], out: &mut Findings<'_>) {
        let left: Vec<String> = held
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(j, n)| format!("{n} {}", commodity(s, j)))
            .collect();
        if !left.is_empty() {
            let id = &s.site(site).id;
            out.add(
                "V021",
                id,
                Some(s.horizon.last()),
                format!(
                    "at the end of the horizon {id} still holds {}",
                    left.join(", ")
                ),
            );
        }
    }
}

/// The name of commodity `j`, for messages.
fn commodity(s: &Scenario, j: usize) -> String {
    let c = s.contingents.len();
    if j < c {
        format!("personnel of {}", s.contingents[j].id)
    } else if j == c {
        "TEU".to_string()
    } else {
        "vehicles".to_string()
    }
}
