//! Summaries over campaigns: quantiles, proportions and means with their standard errors.
//!
//! Quantiles are nearest-rank (the P90 of 1,000 values is the 900th smallest). A
//! proportion's standard error is `sqrt(p (1 - p) / n)`, a mean's the sample standard
//! deviation over `sqrt(n)`; twice the standard error either side is a ~95% interval.

use crate::compile::{Kind, NONE, P0, Program, TEU, Tables};
use crate::{Config, RunOutcome};
use model::*;

/// A Monte Carlo estimate and its standard error.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Estimate {
    /// The sample mean (a share for proportions).
    pub mean: f64,
    /// Its standard error.
    pub se: f64,
}

impl Estimate {
    /// The mean of `xs` with its standard error.
    pub fn of(xs: impl Iterator<Item = f64> + Clone) -> Self {
        let n = xs.clone().count() as f64;
        if n == 0.0 {
            return Estimate::default();
        }
        let mean = xs.clone().sum::<f64>() / n;
        if n < 2.0 {
            return Estimate { mean, se: 0.0 };
        }
        let var = xs.map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        Estimate {
            mean,
            se: (var / n).sqrt(),
        }
    }

    /// The share of `true` in `xs` with its binomial standard error.
    pub fn share(xs: impl Iterator<Item = bool>) -> Self {
        let (mut k, mut n) = (0u64, 0u64);
        for x in xs {
            k += u64::from(x);
            n += 1;
        }
        if n == 0 {
            return Estimate::default();
        }
        let p = k as f64 / n as f64;
        Estimate {
            mean: p,
            se: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }
}

/// One site over all campaigns.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteSummary {
    /// The site.
    pub site: SiteId,
    /// Its deadline.
    pub close_by: Option<Period>,
    /// Its closure in the plan.
    pub planned: Option<Period>,
    /// Whether the plan itself closes it after its deadline.
    pub late_in_plan: bool,
    /// P10, P50 and P90 of its closure (`None`: not closed within the horizon).
    pub closure: [Option<Period>; 3],
    /// Share of campaigns in which it closes by its deadline (within the horizon when it
    /// has none).
    pub on_time: Estimate,
    /// Days past the deadline, 0 when on time (a site never closed counts the days to the
    /// horizon's end, so this is a lower bound when `not_closed` > 0).
    pub late_days: Estimate,
    /// Share of campaigns in which it still holds stock at the horizon's end.
    pub not_closed: Estimate,
    /// Personnel, containers and vehicles still at the site at the end of its deadline.
    pub held_at_deadline: Estimate,
    /// The hazard most often traced as making it late, with its share of those campaigns.
    pub top_cause: Option<(String, f64)>,
    /// On time or not, per campaign (for paired comparisons).
    pub on_time_runs: Vec<bool>,
}

/// The fan of the exit curves on one period: P10, P50, P90 over campaigns, and the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct FanRow {
    /// The period.
    pub period: Period,
    /// Cumulative personnel out.
    pub people: [u32; 3],
    /// Cumulative containers out.
    pub teu: [u32; 3],
    /// Cumulative personnel out in the plan.
    pub planned_people: u32,
    /// Cumulative containers out in the plan.
    pub planned_teu: u32,
}

/// What is left behind at the end of the mission deadline: still at a base or hub,
/// destroyed, or abandoned (stock on its way to an exit has left).
#[derive(Clone, Debug, PartialEq)]
pub struct Left {
    /// The mission deadline (the latest `close_by`).
    pub deadline: Period,
    /// Personnel still at a base or hub: mean and P90.
    pub people: (Estimate, u32),
    /// Containers left behind: mean and P90.
    pub teu: (Estimate, u32),
    /// Vehicles left behind: mean and P90.
    pub vehicles: (Estimate, u32),
    /// Of which destroyed.
    pub teu_destroyed: Estimate,
    /// Of which destroyed.
    pub vehicles_destroyed: Estimate,
    /// Of which abandoned.
    pub teu_abandoned: Estimate,
    /// Of which abandoned.
    pub vehicles_abandoned: Estimate,
}

/// Incidents and other events per campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct Events {
    /// Incidents (attacks, roadside bombs).
    pub incidents: Estimate,
    /// Personnel aboard convoys that were hit.
    pub persons_hit: Estimate,
    /// Expected injured.
    pub casualties: Estimate,
    /// Casualty exposure (personnel x incident chance x injured share, every traverse).
    pub casualty_exposure: Estimate,
    /// Fleet units destroyed.
    pub units_destroyed: Estimate,
    /// Units broken down.
    pub breakdowns: Estimate,
    /// Permission requests refused.
    pub refusals: Estimate,
    /// Re-plans made because a movement fell too far behind.
    pub replans: Estimate,
    /// Re-plans made to take in stock released by its `not_before`.
    pub releases: Estimate,
    /// Re-plans that found no plan.
    pub replan_failures: Estimate,
    /// Movements cancelled (they never could leave).
    pub cancelled: Estimate,
}

/// A hazard source and how often it made a site late.
#[derive(Clone, Debug, PartialEq)]
pub struct CauseRow {
    /// The source, in words (`attacks on kidal-gao`).
    pub cause: String,
    /// Site-campaigns it made late.
    pub late: u64,
    /// Its share of all site-campaigns made late by hazards.
    pub share: f64,
}

/// Everything a simulation reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Campaigns run.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Recovery policy.
    pub policy: crate::Policy,
    /// Per site that holds stock in the plan, in scenario order.
    pub sites: Vec<SiteSummary>,
    /// Exit curves, one row per period.
    pub fan: Vec<FanRow>,
    /// What is left behind at the mission deadline.
    pub left: Left,
    /// Incidents and other events.
    pub events: Events,
    /// Hazard sources that made sites late, most often first.
    pub causes: Vec<CauseRow>,
    /// Total personnel, containers and vehicles to move out.
    pub totals: [u32; 3],
}

/// Nearest-rank quantiles `qs` of `v` (reordered in place), in increasing order of `qs`.
fn quantiles<const K: usize>(v: &mut [u32], qs: [f64; K]) -> [u32; K] {
    if v.is_empty() {
        return [0; K];
    }
    let mut lo = 0;
    qs.map(|q| {
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        // Selection leaves everything below the rank before it, so the next (larger)
        // quantile needs only the rest.
        let (_, x, _) = v[lo..].select_nth_unstable(rank - 1 - lo);
        let x = *x;
        lo = rank - 1;
        x
    })
}

const FAN: [f64; 3] = [0.1, 0.5, 0.9];

pub(crate) fn summarize(
    s: &Scenario,
    tb: &Tables,
    prog: &Program,
    cfg: &Config,
    outs: &[RunOutcome],
) -> Summary {
    let t = tb.t;
    let pd = s.horizon.period_days;
    let sites = (0..s.sites.len())
        .filter(|&i| prog.closure[i].is_some())
        .map(|i| {
            let site = &s.sites[i];
            let planned = prog.closure[i];
            let deadline = site.close_by.map_or(t, |d| d.0);
            let on_time_runs: Vec<bool> = outs.iter().map(|o| o.closure[i] <= deadline).collect();
            let mut closures: Vec<u32> = outs.iter().map(|o| o.closure[i]).collect();
            let q = quantiles(&mut closures, FAN);
            let late = |o: &RunOutcome| -> f64 {
                match site.close_by {
                    None => 0.0,
                    Some(d) => f64::from(o.closure[i].min(t).saturating_sub(d.0) * pd),
                }
            };
            let mut counts: Vec<u64> = vec![0; tb.sources.len()];
            for o in outs {
                if o.cause[i] != 0 {
                    counts[o.cause[i] as usize] += 1;
                }
            }
            let hazard_late: u64 = counts.iter().sum();
            let top_cause = (1..counts.len())
                .filter(|&c| counts[c] > 0)
                .max_by_key(|&c| (counts[c], std::cmp::Reverse(c)))
                .map(|c| {
                    (
                        tb.sources[c].name.clone(),
                        counts[c] as f64 / hazard_late as f64,
                    )
                });
            SiteSummary {
                site: SiteId(i as u32),
                close_by: site.close_by,
                planned: planned.map(Period),
                late_in_plan: matches!((planned, site.close_by), (Some(p), Some(d)) if p > d.0),
                closure: q.map(|c| (c != u32::MAX).then_some(Period(c))),
                on_time: Estimate::share(on_time_runs.iter().copied()),
                late_days: Estimate::of(outs.iter().map(late)),
                not_closed: Estimate::share(outs.iter().map(|o| o.closure[i] == u32::MAX)),
                held_at_deadline: Estimate::of(
                    outs.iter().map(|o| f64::from(o.held_at_deadline[i])),
                ),
                top_cause,
                on_time_runs,
            }
        })
        .collect();

    // The plan's own exit curves, for the fan's reference line.
    let mut planned_people = vec![0u32; t as usize];
    let mut planned_teu = vec![0u32; t as usize];
    for m in &prog.moves {
        if m.kind == Kind::Abandon || m.to == NONE || s.sites[m.to as usize].kind != SiteKind::Exit
        {
            continue;
        }
        let a = (m.depart + m.travel) as usize;
        for i in m.load.0..m.load.1 {
            let (c, q) = prog.loads[i as usize];
            if a < t as usize {
                if c as usize == TEU {
                    planned_teu[a] += q;
                } else if c as usize >= P0 {
                    planned_people[a] += q;
                }
            }
        }
    }
    for p in 1..t as usize {
        planned_people[p] += planned_people[p - 1];
        planned_teu[p] += planned_teu[p - 1];
    }
    let mut col = vec![0u32; outs.len()];
    let fan = (0..t as usize)
        .map(|p| {
            col.iter_mut()
                .zip(outs)
                .for_each(|(c, o)| *c = o.people_out[p]);
            let people = quantiles(&mut col, FAN);
            col.iter_mut()
                .zip(outs)
                .for_each(|(c, o)| *c = o.teu_out[p]);
            let teu = quantiles(&mut col, FAN);
            FanRow {
                period: Period(p as u32),
                people,
                teu,
                planned_people: planned_people[p],
                planned_teu: planned_teu[p],
            }
        })
        .collect();

    let totals = [
        s.sites.iter().map(|x| x.initial.people()).sum::<u32>(),
        s.sites.iter().map(|x| x.initial.teu).sum::<u32>(),
        s.sites.iter().map(|x| x.initial.vehicles).sum::<u32>(),
    ];
    // Left behind: still at a base or hub, destroyed or abandoned (stock on its way to
    // an exit has left).
    let left_of = |ks: &[usize]| -> (Estimate, u32) {
        let mut v: Vec<u32> = outs
            .iter()
            .map(|o| ks.iter().map(|&k| o.at_deadline[k]).sum())
            .collect();
        let e = Estimate::of(v.iter().map(|&x| f64::from(x)));
        (e, quantiles(&mut v, [0.9])[0])
    };
    let of = |k: usize| Estimate::of(outs.iter().map(move |o| f64::from(o.at_deadline[k])));
    let left = Left {
        deadline: Period(tb.deadline),
        people: left_of(&[0]),
        teu: left_of(&[1, 3, 5]),
        vehicles: left_of(&[2, 4, 6]),
        teu_destroyed: of(3),
        vehicles_destroyed: of(4),
        teu_abandoned: of(5),
        vehicles_abandoned: of(6),
    };
    let ev = |f: fn(&RunOutcome) -> f64| Estimate::of(outs.iter().map(f));
    let events = Events {
        incidents: ev(|o| f64::from(o.incidents)),
        persons_hit: ev(|o| f64::from(o.persons_hit)),
        casualties: ev(|o| o.casualties),
        casualty_exposure: ev(|o| o.casualty_exposure),
        units_destroyed: ev(|o| f64::from(o.units_destroyed)),
        breakdowns: ev(|o| f64::from(o.breakdowns)),
        refusals: ev(|o| f64::from(o.refusals)),
        replans: ev(|o| f64::from(o.replans)),
        releases: ev(|o| f64::from(o.releases)),
        replan_failures: ev(|o| f64::from(o.replan_failures)),
        cancelled: ev(|o| f64::from(o.cancelled)),
    };

    let mut counts = vec![0u64; tb.sources.len()];
    for o in outs {
        for &c in &o.cause {
            if c != 0 {
                counts[c as usize] += 1;
            }
        }
    }
    let all: u64 = counts.iter().sum();
    let mut causes: Vec<CauseRow> = (1..counts.len())
        .filter(|&c| counts[c] > 0)
        .map(|c| CauseRow {
            cause: tb.sources[c].name.clone(),
            late: counts[c],
            share: counts[c] as f64 / all as f64,
        })
        .collect();
    causes.sort_by(|a, b| b.late.cmp(&a.late).then_with(|| a.cause.cmp(&b.cause)));

    Summary {
        runs: cfg.runs,
        seed: cfg.seed,
        policy: cfg.policy,
        sites,
        fan,
        left,
        events,
        causes,
        totals,
    }
}

/// The difference in on-time probability of one site between two summaries (`b - a`).
#[derive(Clone, Debug, PartialEq)]
pub struct SiteDiff {
    /// The site.
    pub site: SiteId,
    /// On-time probability in `a`.
    pub a: Estimate,
    /// On-time probability in `b`.
    pub b: Estimate,
    /// `b - a` and its standard error.
    pub diff: Estimate,
    /// Whether the standard error is paired (same seed and campaigns: common random
    /// numbers), which makes it much smaller than for independent runs.
    pub paired: bool,
}

/// Per site present in both, the change in on-time probability from `a` to `b`.
pub fn compare(a: &Summary, b: &Summary) -> Vec<SiteDiff> {
    let paired = a.seed == b.seed && a.runs == b.runs;
    a.sites
        .iter()
        .filter_map(|x| {
            let y = b.sites.iter().find(|y| y.site == x.site)?;
            let diff = if paired {
                Estimate::of(
                    x.on_time_runs
                        .iter()
                        .zip(&y.on_time_runs)
                        .map(|(&p, &q)| f64::from(u8::from(q)) - f64::from(u8::from(p))),
                )
            } else {
                Estimate {
                    mean: y.on_time.mean - x.on_time.mean,
                    se: x.on_time.se.hypot(y.on_time.se),
                }
            };
            Some(SiteDiff {
                site: x.site,
                a: x.on_time,
                b: y.on_time,
                diff,
                paired,
            })
        })
        .collect()
}
