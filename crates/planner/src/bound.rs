//! A proven lower bound on the plan objective: the LP relaxation of the time-expanded
//! network, solved with HiGHS, plus cheap combinatorial bounds on lateness and makespan.
//!
//! The objective of `docs/plan-semantics.md` is a sum of terms, so the sum of lower bounds
//! on the terms bounds the whole:
//!
//! - **exposure, cost and abandonment** come from the LP: commodity flows (containers,
//!   vehicles, and personnel grouped by the exits they may use) and fleet circulation over
//!   site x period nodes with hold, road, air and exit-buffer arcs, coupled by truck
//!   capacity, seats, escort cover, road, handling, exit, sortie and slot capacities. Every
//!   feasible plan maps to a feasible LP solution of no greater cost (rear guards, `after`
//!   and convoy size are left out, which only weakens the bound);
//! - **makespan**: the larger of the stock that is slowest to reach an accepting exit from
//!   its `not_before` by road or air, and the earliest completion the LP allows (a
//!   bisection over horizon cuts of a feasibility version of the LP, [`Completion`]).
//!   Both let abandonable stock vanish where it stands; but abandoning is priced, so the
//!   objective bound charges the makespan of plans that abandon at most `X` units (exit
//!   intake, handling rates and routes, [`crate::makespan`]) for every `X`, against the
//!   penalties of abandoning more, and keeps the smallest case
//!   ([`Bound::makespan_charged_days`]);
//! - **lateness**: each site's own stock cannot leave before `not_before`, nor faster than
//!   its handling capacity allows.
//!
//! **Deadlines** are soft, and the LP above prices no lateness: it may keep stock past a
//! deadline to wait for a safer route or a free aircraft. A second LP, solved in parallel,
//! is the same model with hard deadlines ([`Hard`]): no site holds stock at the end of the
//! LP period that contains its deadline, nor later, and no flight lands stock at a site
//! that started with stock in a later LP period (such a site has closed by then, and
//! stock lands only at open camps, `V029`: on days before its deadline). Plans late by at
//! most its slack in site-days map to it. A third LP, also in parallel, is the same with
//! every deadline [`HARD_LATE`] periods later ([`Bound::hard_late`]): plans late by more
//! than the first's slack but at most its own map to it and pay a late day more; every
//! other plan pays at least one late day more than that slack on top of the free LP. The
//! bound is the cheapest of the cases, so the hard LPs raise it whenever meeting the
//! deadlines costs more than a late day or two. Their periods are aligned on the
//! scenario's dates (deadlines, with the deadline's day a period of its own, `not_before`,
//! availability, restrictions; [`Periods::aligned`]) and shorter around the last
//! deadlines ([`BoundConfig::hard_window`]); the third is first solved over periods cut
//! only at the deadlines ([`Periods::deadlines`]), a tenth of the time on MINUSMA, and
//! again over aligned periods only when its case sets the bound. When aligned periods
//! exceed the column budget (generated scenarios from 30 sites up), both hard LPs are
//! solved over periods cut at the deadlines, as many as the budget allows (deadlines
//! close together share a period), which keep most of their strength: on 30 generated
//! sites the hard LP over 10 such periods proves 40,340 in 5 s, over 62 aligned periods
//! 42,637 in 121 s, and the free LP 37,449. When the free LP's case is still the
//! cheapest, a fourth LP with every deadline a few days later ([`Bound::hard_later`])
//! moves it past the others. With coarse periods
//! a movement may reach a closed site in one of two LP periods (its departure day inside
//! the period is unknown), so such arrivals land in a range ([`Lp::arrival`]), and on
//! aircraft only as much as the sorties of the period's last days carry.
//!
//! **The makespan and the hard LPs together** ([`ByMakespan`]): the terms above are
//! bounded apart, as if one plan could have the LP's exposure and the earliest completion
//! at once. But a hard LP sees time, so it can say what finishing early costs: cut at the
//! end of an LP period (every stock at an exit or abandoned by then), it holds the plans
//! that finish in that period, which pay its value plus the makespan of the period's
//! first day. The value falls as the cut moves later, so a search over the cuts, warm
//! started from the last basis ([`makespan_cases`]), finds the cheapest case; the LP
//! periods are long far from the deadlines, so the cheapest cases may be solved again
//! over periods of a day, in the case and over the longest road route to an exit before
//! it, where the last stock moves ([`BoundConfig::makespan_refinements`]). On MINUSMA,
//! with the 10-day window periods of then, the cuts lifted the bound from 24,088 to
//! 24,262; with 8-day ones they proved 24,321, and 24,450 with four refinements (24,351
//! when only the case's own days were split).
//!
//! A cut also **withholds late handling** ([`Withheld`]). A long LP period lets its
//! departures all leave on its first day, so a handling-limited hub seems to send a whole
//! period's containers in time to finish early. But a container that leaves site `i` on
//! day `t` reaches an exit no sooner than `t` plus the quickest road and air route from
//! `i` to an exit that takes containers, so in a plan that finishes before day `f` no
//! container leaves `i` on or after `f` minus that route, unless it is abandoned later.
//! Such a container may as well be abandoned where it is when it leaves: the plan stays
//! feasible (the site's holdings are the same, every later one smaller), pays the same
//! penalty, exposes no more (exposure counts vehicles, not loads) and finishes no later.
//! So some optimal plan loads nothing in those days, and the cut fixes a column in each
//! handling row at the capacity of the period's days that are too late. On MINUSMA it is
//! the Sevare bottleneck: everything from Gao and the north passes it at 40 containers a
//! day, 12 days from Abidjan; with 8-day periods the bound rose from 24,321 to 24,376, and
//! with today's 7-day ones ([`HARD_WINDOW`]) it proves 24,406 in the same 0.7 s
//! (`drawdown plan`), 24,439 with four refinements.
//!
//! On large scenarios the LP is built over coarser periods of `k` days (travel times
//! rounded down, capacities summed), which keeps it a valid relaxation and makes it small;
//! the report says which `k` was used. When no period length up to 30 days fits the
//! column budget, the free LP is the **static** one: a single period over the whole
//! horizon, so every movement lands in the period it leaves, stock and fleet units
//! circulate with no time (units still start at home and end at home or at an exit), and
//! every capacity is its total over the horizon. It is the coarsest case of the same
//! construction, so still a relaxation, and it is tiny (it grows with the network, not the
//! horizon). It loses only what binds in time, which the free LP hardly has: on the
//! generated scenarios and on MINUSMA its value is within 0.2% of the time-expanded LP's
//! at any period length (see [`granularity`] and `docs/benchmarks.md`). Fleets are pooled
//! across homes when even the static LP exceeds [`BoundConfig::static_max_columns`].
//!
//! **Windows.** The static LP loses one thing in time that matters: a camp's airfield,
//! and the aircraft, work in it on every day of the horizon, also in the months after
//! the camp's deadline (on the generated 100-site scenario it flew 3,641 containers, as
//! many as its C-130s carry in all 234 days). A flight takes stock from a camp only up
//! to the camp's closure (`V032`) and lands stock there only before it (`V029`), so in a
//! plan that meets the deadlines a camp's airfield works only until its deadline. For
//! those plans the free LP is solved again with the camp's slots, the containers its
//! handling loads onto aircraft, and the sorties that fly stock out of the camps closed
//! by each deadline, limited to the days up to it ([`Mode::Windowed`], [`Open`],
//! [`Bound::windowed`]); when that proves more than a late day above the free LP, once
//! more with the deadlines as many days later as the difference is worth, for the plans
//! late by a day up to that (once more in between when that is many days, and once more
//! later when the free LP's case is still the cheapest, in place of a hard LP a few days
//! late). They join the hard LPs' cases. (A camp's handling of convoys is not limited: a
//! convoy may drive through a closed camp.) The windows need no time in the LP, so they
//! cost a solve of the free LP each: on the generated 100-site scenarios they lift the
//! bound by 1,683 to 3,245 (seed 1: 34,837 to 36,520), in 0.2 s; the hard LPs over
//! periods cut at the deadlines take 11 s there. The hard LPs take no flight from a camp
//! after the LP period of its deadline either.
//!
//! [`breakdown`] splits the free LP's optimum by objective term (stock vehicles, trucks,
//! carriers, escorts, flights, abandonment) and reports the containers it flies and
//! drives, to compare with a plan's figures.

use crate::periods::Periods;
use highs::{HighsModelStatus, RowProblem, Sense};
use model::*;
use std::collections::HashMap;
use std::time::Instant;

/// Settings of the bound.
#[derive(Clone, Debug)]
pub struct BoundConfig {
    /// Largest LP (in columns) to build before coarsening periods.
    pub max_columns: usize,
    /// Force this coarsening factor (periods per LP period) instead of choosing one.
    pub aggregate: Option<u32>,
    /// Force pooling fleets across homes (`Some(true)`) or not (`Some(false)`) instead of
    /// choosing with the granularity.
    pub pooled: Option<bool>,
    /// Largest static LP (one period, in columns) with every fleet at its home; a larger
    /// one pools fleets across homes (see [`granularity`]).
    pub static_max_columns: usize,
    /// Whether to compute the LP bound on the earliest completion (a bisection of
    /// feasibility LPs; the combinatorial bound is always computed).
    pub completion: bool,
    /// Largest completion LP (in columns) before coarsening its periods; when even 30-day
    /// periods exceed it, the completion LP is skipped.
    pub completion_max_columns: usize,
    /// A makespan in days known to be achievable (a plan's), which ends the search early.
    /// It is only a search limit: the bound never relies on it.
    pub makespan_hint_days: Option<u32>,
    /// Whether to solve the LPs of plans that meet the deadlines or are a few days late
    /// ([`Hard`], in parallel with the free one), and the free LP again with capacities
    /// limited to the days before the deadlines ([`Bound::windowed`], after it).
    pub hard: bool,
    /// Length in plan periods of the hard-deadline LP's periods around the last deadlines
    /// (from the last `not_before` of a site with a deadline to the last deadline plus the
    /// longest road). Shorter is stronger and slower. `None`: [`HARD_WINDOW`] plan
    /// periods, longer if the LP would exceed `hard_max_columns`.
    pub hard_window: Option<u32>,
    /// Largest hard-deadline LP (in columns, estimated) when `hard_window` is `None`;
    /// a larger one is skipped.
    pub hard_max_columns: usize,
    /// Whether to price the makespan into the hard-deadline LP of plans that meet the
    /// deadlines ([`ByMakespan`]): a few more solves of it, warm-started.
    pub makespan_cases: bool,
    /// How many cases of the hard-deadline LP's makespan search are solved again over
    /// periods of a day, in the case and along the longest road route to an exit before
    /// it ([`ByMakespan`]), two at a time: each is an LP as large as the first and then
    /// some.
    pub makespan_refinements: u32,
}

/// Default length of the hard-deadline LP's periods around the last deadlines: on MINUSMA
/// 10-day periods there add half of what 1-day ones do to the LP, in 1 s instead of 18 s.
/// The lengths do not nest, so neither value nor time is monotone in them. Since the
/// makespan cuts withhold late handling ([`Withheld`]), 7-day periods prove 24,406 in
/// 0.62 s (`drawdown plan` 0.68 s), 8 or more 24,376 in 0.35 to 0.45 s, and 4 to 6 days
/// 24,406 to 24,411 in 0.7 to 1.5 s; on the generated 10-site scenarios 7 days prove the
/// same as 8, or 1 less (seed 2), in a tenth of a second more (see `docs/benchmarks.md`,
/// `drawdown plan --lp-window-days`).
pub const HARD_WINDOW: u32 = 7;

/// The lateness in plan periods at each site of the plans that the second hard-deadline
/// LP covers ([`Bound::hard_late`]). One: such plans already pay a late day, which is
/// worth more than the distance between the two LPs on MINUSMA and the generated
/// scenarios; plans late by more pay two late days on top of the free LP.
pub const HARD_LATE: u32 = 1;

/// Default [`BoundConfig::static_max_columns`]: the static LP of 300 generated sites with
/// fleets at their homes (64,000 columns) solves in 6.5 s, that of 1,000 sites (640,000)
/// did not finish in 15 min; pooled, 1,000 sites take 54,000 columns and 13 s, and pooling
/// costs less than 0.1% of the value at 300 sites (see `docs/benchmarks.md`).
pub const STATIC_MAX_COLUMNS: usize = 100_000;

impl Default for BoundConfig {
    fn default() -> Self {
        BoundConfig {
            max_columns: 20_000,
            aggregate: None,
            pooled: None,
            static_max_columns: STATIC_MAX_COLUMNS,
            completion: true,
            completion_max_columns: 8_000,
            makespan_hint_days: None,
            hard: true,
            hard_window: None,
            hard_max_columns: 60_000,
            makespan_cases: true,
            // On MINUSMA four lift the bound from 24,406 to 24,439 but take `drawdown
            // plan` from 0.7 s to 2.9 s, where the cuts alone take about 0.1 s.
            makespan_refinements: 0,
        }
    }
}

/// The lower bound and how it was obtained.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// Lower bound on the plan objective.
    pub objective: f64,
    /// Lower bound on the LP part (weighted exposure + cost + abandonment).
    pub flow: f64,
    /// The LP of plans that meet the deadlines, when it was solved (see [`Hard`]).
    pub hard: Option<Hard>,
    /// The LP of plans that close every site at most [`HARD_LATE`] periods late, when it
    /// was solved: it bounds the plans a day or so late, which the first one does not.
    pub hard_late: Option<Hard>,
    /// The LP of plans that close every site at most a few days late, when the free LP's
    /// case would otherwise set the bound and no windowed LP ran (see [`bound`]).
    pub hard_later: Option<Hard>,
    /// The free LP with each camp's airfield, and the aircraft flying its stock out, at
    /// work only until its deadline ([`Mode::Windowed`]): first for plans that meet the
    /// deadlines, then, when that proves more than a late day above the free LP, for plans
    /// late by up to as many days as the difference is worth (and in between when that is
    /// many days), and once more a few days later when the free LP's case is still the
    /// cheapest (see [`bound`]). Over the free LP's periods; `at_deadlines_only` is false
    /// and `by_makespan` empty.
    pub windowed: Vec<Hard>,
    /// Lower bound on the sum of late days.
    pub late_days: u32,
    /// Lower bound on the makespan in days (the earliest possible completion): the larger
    /// of the two below.
    pub makespan_days: u32,
    /// The combinatorial part: the slowest stock's shortest road-and-air time to an exit.
    pub makespan_paths_days: u32,
    /// The LP part, when it was computed (see [`Completion`]).
    pub completion: Option<Completion>,
    /// The makespan in days that the objective bound charges: at least `makespan_days`,
    /// more when a quicker finish would need more stock abandoned than it would save
    /// (see [`crate::makespan`]); so `objective` is at least `flow` plus the lateness and
    /// this makespan at their weights.
    pub makespan_charged_days: u32,
    /// Periods per LP period (1: the LP is at full resolution).
    pub aggregate: u32,
    /// Whether fleets of one kind and capacity were pooled across their homes.
    pub pooled: bool,
    /// LP size.
    pub columns: usize,
    /// LP size.
    pub rows: usize,
    /// Seconds spent building the LP.
    pub build_seconds: f64,
    /// Seconds spent solving it.
    pub solve_seconds: f64,
}

/// Why no bound could be computed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BoundError {
    /// The relaxation has no solution, so no plan exists.
    #[error("the LP relaxation is infeasible: no plan can move everything out within the horizon")]
    Infeasible,
    /// HiGHS stopped without an optimal solution.
    #[error("the LP solver stopped without an optimal solution ({0})")]
    Solver(String),
}

/// Compute the lower bound of `s`.
pub fn bound(s: &Scenario, cfg: &BoundConfig) -> Result<Bound, BoundError> {
    let makespan_paths_days = makespan_bound(s);
    let completion = completion_bound(s, cfg, makespan_paths_days);
    let makespan_days = completion
        .as_ref()
        .map_or(makespan_paths_days, |c| c.days.max(makespan_paths_days));
    let late_days = lateness_bound(s);
    let (k, pooled) = granularity(s, cfg);
    let free = || -> Result<_, BoundError> {
        let t0 = Instant::now();
        let pp = Periods::uniform(s.horizon.periods, k);
        let lp = Lp::build(s, &pp, Mode::Objective, pooled, false);
        let (columns, rows) = (lp.pb.num_cols(), lp.pb.num_rows());
        let build_seconds = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        let flow = lp.solve()?;
        let solve_seconds = t1.elapsed().as_secs_f64();
        let windowed = if cfg.hard {
            windowed_lps(s, &pp, pooled, flow)?
        } else {
            Vec::new()
        };
        Ok((
            flow,
            columns,
            rows,
            build_seconds,
            solve_seconds,
            windowed,
            pp,
        ))
    };
    // The free LP and the two hard ones are independent: solve them side by side (each on
    // one thread). The LP of plans a day late is first solved over periods cut only at
    // the deadlines ([`HardPeriods::Deadlines`]): its case costs a late day more than the
    // first LP's, so the weaker LP mostly suffices (on MINUSMA 22,187 in 0.05 s against
    // 22,549 in 0.35 s, and its case stays 450 above the bound). Only when its case is the
    // cheapest, so that it sets the bound, is it solved again over aligned periods: the
    // bound is then the same as if it had been solved so from the start.
    let (hk, hpooled) = time_granularity(s, cfg);
    let solve_hard = |late: u32, periods: HardPeriods| {
        cfg.hard
            .then(|| hard_lp(s, cfg, (hk, hpooled), late, makespan_days, periods))
            .flatten()
    };
    let (free, (hard, coarse_late)) = rayon::join(free, || {
        rayon::join(
            || solve_hard(0, HardPeriods::Aligned),
            || solve_hard(HARD_LATE, HardPeriods::Deadlines),
        )
    });
    let (flow, columns, rows, build_seconds, solve_seconds, mut windowed, pp) = free?;
    let floor = crate::makespan::Floor::new(s);
    let (charged, makespan_charged_days) = crate::makespan::charge(s, &floor, flow, makespan_days);
    let all = |hards: [&Option<Hard>; 3], windowed: &[Hard]| {
        let lps: Vec<Option<&Hard>> = hards
            .into_iter()
            .map(Option::as_ref)
            .chain(windowed.iter().map(Some))
            .collect();
        cases(
            s,
            &floor,
            (charged, makespan_charged_days, late_days, makespan_days),
            &lps,
        )
    };
    let case = |hards: [&Option<Hard>; 3], windowed: &[Hard]| cheapest_of(all(hards, windowed));
    let mut hard_late = coarse_late;
    let mut hard_later = None;
    let (mut objective, mut makespan_charged_days, mut sets) =
        case([&hard, &hard_late, &hard_later], &windowed);
    if sets == Some(1) && hard.as_ref().is_some_and(|h| !h.at_deadlines_only) {
        hard_late = solve_hard(HARD_LATE, HardPeriods::Aligned);
        (objective, makespan_charged_days, sets) =
            case([&hard, &hard_late, &hard_later], &windowed);
    }
    // When the free LP's case is the cheapest, the plans a few days late set the bound,
    // though the hard LPs say that meeting the deadlines costs little more than being a
    // day late (on the generated 30-site scenarios, the free LP plus two late days, while
    // both hard LPs are 2,000 to 3,000 above the free LP). One more LP, with deadlines
    // `later` days later, just enough for the free case to exceed the others, moves the
    // free case past them: plans late by 2 to `later` days pay its value plus two late
    // days, later ones `later + 1` late days on top of the free LP. When the windowed LPs
    // ran, that LP is one more of them: over the free LP's periods it costs a solve of
    // the free LP, where a hard LP over periods cut at the deadlines took 74 s on the
    // generated 100-site scenario of seed 2 (and proved less than the windowed LP of
    // fewer late days).
    let w = s.objective.lateness;
    if sets.is_none() && w > 0.0 && (hard_late.is_some() || !windowed.is_empty()) {
        // The cheapest case of the other LPs.
        let others = all([&hard, &hard_late, &hard_later], &windowed)
            .into_iter()
            .filter(|c| c.2.is_some())
            .map(|c| c.0)
            .fold(f64::INFINITY, f64::min);
        let fewest = ((others - charged) / w).ceil();
        let slack = [&hard_late]
            .into_iter()
            .flatten()
            .chain(&windowed)
            .map(|h| h.slack_days)
            .max()
            .unwrap_or(0);
        if fewest.is_finite() && fewest > f64::from(slack + 1) {
            let later = (fewest.min(f64::from(u32::MAX)) as u32 - 1)
                .div_ceil(s.horizon.period_days.max(1))
                .min(s.horizon.periods);
            if windowed.is_empty() {
                hard_later = solve_hard(later, HardPeriods::Deadlines);
            } else {
                windowed.push(windowed_lp(s, &pp, pooled, later)?);
            }
            (objective, makespan_charged_days, _) =
                case([&hard, &hard_late, &hard_later], &windowed);
        }
    }
    Ok(Bound {
        hard,
        hard_late,
        hard_later,
        windowed,
        objective,
        flow,
        makespan_charged_days,
        late_days,
        makespan_days,
        makespan_paths_days,
        completion,
        aggregate: k,
        pooled,
        columns,
        rows,
        build_seconds,
        solve_seconds,
    })
}

/// The cases of the bound: for each, a lower bound on the plans in it, the makespan it
/// charges, and which of `lps` it comes from (`None`: the free LP's case, last).
///
/// Each LP holds for the plans late by at most its slack in site-days in all. The cases
/// go by slack, smallest first: plans late by at most the smallest slack fit every LP and
/// pay at least the largest of them; later ones, late by at most the next slack, fit the
/// LPs of that slack or more and pay at least one late day more than the previous slack
/// on top of the largest of those; and so on; the latest plans pay one late day more than
/// the last slack on top of the free LP. The bound is the cheapest of these cases (an
/// infeasible LP has no plan, so neither has a case it sets). Without the LP of plans a
/// day late, a plan one day late would be bounded by the free LP alone, and on MINUSMA
/// that case, 1,000 above the free LP, capped the bound below what the hard LP proves for
/// the others.
fn cases(
    s: &Scenario,
    floor: &crate::makespan::Floor,
    (charged, charged_days, late_days, makespan_days): (f64, u32, u32, u32),
    lps: &[Option<&Hard>],
) -> Vec<(f64, u32, Option<usize>)> {
    let w = &s.objective;
    // What each LP proves for its plans, with the makespan charged: (slack, value, days).
    let own: Vec<Option<(u32, f64, u32)>> = lps
        .iter()
        .map(|h| {
            h.map(|h| {
                let (c, d) = match h.flow {
                    Some(f) => {
                        // Two bounds on the same plans: the larger holds.
                        let (c, d) = crate::makespan::charge(s, floor, f, makespan_days);
                        match h.by_makespan.as_ref().filter(|by| by.objective > c) {
                            Some(by) => (by.objective, by.days),
                            None => (c, d),
                        }
                    }
                    None => (f64::INFINITY, 0),
                };
                (h.slack_days, c, d)
            })
        })
        .collect();
    let mut slacks: Vec<u32> = own.iter().flatten().map(|o| o.0).collect();
    slacks.sort_unstable();
    slacks.dedup();
    let mut fewest_late = late_days;
    let mut cases: Vec<(f64, u32, Option<usize>)> = Vec::new();
    for slack in slacks {
        if slack < fewest_late {
            continue;
        }
        let largest = own
            .iter()
            .enumerate()
            .filter_map(|(i, o)| o.filter(|o| o.0 >= slack).map(|o| (i, o)))
            .max_by(|a, b| a.1.1.total_cmp(&b.1.1));
        if let Some((i, (_, c, d))) = largest.filter(|l| l.1.1.is_finite()) {
            cases.push((c + w.lateness * f64::from(fewest_late), d, Some(i)));
        }
        fewest_late = slack + 1;
    }
    cases.push((
        charged + w.lateness * f64::from(fewest_late),
        charged_days,
        None,
    ));
    cases
}

/// The free LP over `pp` with the camps' airfields limited to the days a plan that meets
/// the deadlines can use them ([`Mode::Windowed`]`(0)`), and, when that proves more than a
/// late day above the free LP's `flow`, the same LP for plans late by up to as many days
/// as the difference is worth: the plans later still pay more late days than it on top
/// of the free LP, so the first LP bounds the plans that meet the deadlines, the second
/// those late by a day up to that, and the free LP the rest ([`cases`]). On the
/// generated scenarios the free LP is static, and its C-130s flew containers in the
/// months after every camp had closed.
///
/// When the second LP's plans may be many days late, one more LP in between splits them:
/// those late by a day up to `m` pay at least its value and a late day, later ones the
/// second's and `m + 1` late days. `m` balances the two, were the LP's value to fall
/// evenly with the days allowed (any `m` is valid; this one makes the split worth most).
/// On the generated 1,000-site scenario the second LP allows 24 days.
fn windowed_lps(
    s: &Scenario,
    pp: &Periods,
    pooled: bool,
    flow: f64,
) -> Result<Vec<Hard>, BoundError> {
    let solve = |late: u32| windowed_lp(s, pp, pooled, late);
    let first = solve(0)?;
    let w = s.objective.lateness;
    let gain = first.flow.map_or(f64::INFINITY, |f| f - flow);
    let mut out = vec![first];
    if w > 0.0 && gain >= w {
        // Plans late by more than `days` site-days pay the free LP plus `days + 1` late
        // days, more than what the first LP proves; the second covers those in between.
        let days = (gain / w).ceil().min(f64::from(u32::MAX)) as u32 - 1;
        let late = days
            .max(1)
            .div_ceil(s.horizon.period_days.max(1))
            .min(s.horizon.periods);
        let second = solve(late)?;
        let wp = w * f64::from(s.horizon.period_days);
        if let (Some(f0), Some(fl)) = (out[0].flow, second.flow) {
            let drop = f0 - fl;
            let m = (drop / (wp + drop / f64::from(late))).floor();
            if m >= 1.0 && m < f64::from(late) {
                out.push(solve(m as u32)?);
            }
        }
        out.push(second);
    }
    Ok(out)
}

/// The free LP over `pp` of plans that close every site at most `late` plan periods
/// after its deadline, with the camps' airfields at work only until then
/// ([`Mode::Windowed`]).
fn windowed_lp(s: &Scenario, pp: &Periods, pooled: bool, late: u32) -> Result<Hard, BoundError> {
    let t0 = Instant::now();
    let lp = Lp::build(s, pp, Mode::Windowed(late), pooled, false);
    let columns = lp.pb.num_cols();
    let flow = match lp.solve() {
        Ok(f) => Some(f),
        Err(BoundError::Infeasible) => None,
        Err(e) => return Err(e),
    };
    Ok(Hard {
        flow,
        late_days: late * s.horizon.period_days,
        slack_days: late * s.horizon.period_days,
        periods: pp.count(),
        at_deadlines_only: false,
        columns,
        seconds: t0.elapsed().as_secs_f64(),
        by_makespan: None,
    })
}

/// The cheapest of `cases`.
fn cheapest_of(cases: Vec<(f64, u32, Option<usize>)>) -> (f64, u32, Option<usize>) {
    cases
        .into_iter()
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("the free LP's case")
}

/// The free LP's optimum (exposure, cost and abandonment) split by objective term and by
/// road, at the periods and pooling `cfg` chooses: where the bound's value comes from, to
/// compare with a plan's figures.
pub fn breakdown(s: &Scenario, cfg: &BoundConfig) -> Result<Split, BoundError> {
    let (k, pooled) = granularity(s, cfg);
    let pp = Periods::uniform(s.horizon.periods, k);
    Lp::build(s, &pp, Mode::Objective, pooled, false).solve_by_term()
}

/// An LP's optimum split by objective term ([`Term`]), and what it pays on each road.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// Every term with its value: costs at the objective's weights, and the quantities
    /// [`Term::TeuFlown`] and [`Term::TeuDriven`].
    pub terms: Vec<(Term, f64)>,
    /// The road terms ([`Term::StockVehicles`] and [`Term::Units`]) road by road, at the
    /// objective's weights, in the order of roads and terms; they add up to those terms.
    pub roads: Vec<(RoadId, Term, f64)>,
}

/// The free LP's periods (plan periods per LP period) and whether fleets are pooled across
/// homes: the finest periods up to 30 plan periods that keep the time-expanded LP under
/// `max_columns` with every fleet at its home; when none does, the **static** LP (one
/// period over the whole horizon, see the module documentation), with fleets at their homes if that
/// stays under `static_max_columns`, else pooled across homes.
///
/// The static LP replaces the coarse time-expanded LP of large scenarios: on the generated
/// scenarios and on MINUSMA the free LP's value does not move with its periods (10 sites:
/// 2,689 at 1-day periods, 2,684 static; 30 sites: 37,449 at 30-day pooled periods in
/// 30 s and static in 0.05 s), because without deadlines nothing in it binds in time,
/// while the time-expanded LP grows with the horizon and did not finish at 1,000 sites.
pub(crate) fn granularity(s: &Scenario, cfg: &BoundConfig) -> (u32, bool) {
    let fits = |k: u32, pooled: bool| estimate_columns(s, k, pooled) <= cfg.max_columns;
    let whole = s.horizon.periods.max(1);
    match (cfg.aggregate, cfg.pooled) {
        // A forced coarsening keeps every fleet at its home unless told otherwise.
        (Some(k), p) => (k.max(1), p.unwrap_or(false)),
        (None, p) => match (1..=30).find(|&k| fits(k, p.unwrap_or(false))) {
            Some(k) => (k, p.unwrap_or(false)),
            None => (
                whole,
                p.unwrap_or_else(|| estimate_columns(s, whole, false) > cfg.static_max_columns),
            ),
        },
    }
}

/// The periods and pooling of the time-expanded LP as chosen before the static LP existed:
/// the finest periods up to 30 plan periods within `max_columns`, fleets pooled across
/// homes when none fits. The hard-deadline LP ([`hard_lp`]) keeps them: its periods are
/// aligned on dates with at most this length, and its own budget decides whether it runs.
fn time_granularity(s: &Scenario, cfg: &BoundConfig) -> (u32, bool) {
    let fits = |k: u32, pooled: bool| estimate_columns(s, k, pooled) <= cfg.max_columns;
    match cfg.aggregate {
        Some(k) => (k.max(1), cfg.pooled.unwrap_or(false)),
        None => match (1..=30).find(|&k| fits(k, false)) {
            Some(k) => (k, false),
            None => ((1..=30).find(|&k| fits(k, true)).unwrap_or(30), true),
        },
    }
}

/// Commodity groups: containers, vehicles, and personnel grouped by the set of exits that
/// accept them (contingents with the same exits behave alike in the relaxation).
struct Groups {
    /// For each group: 0 = TEU, 1 = vehicles, 2 = personnel.
    kind: Vec<u8>,
    /// Contingents of each personnel group (empty for TEU and vehicles).
    members: Vec<Vec<ContingentId>>,
}

impl Groups {
    fn new(s: &Scenario) -> Self {
        let mut kind = vec![0, 1];
        let mut members: Vec<Vec<ContingentId>> = vec![Vec::new(), Vec::new()];
        let mut sigs: Vec<Vec<bool>> = Vec::new();
        for c in 0..s.contingents.len() {
            let cid = ContingentId(c as u32);
            let sig: Vec<bool> = s
                .sites
                .iter()
                .map(|x| x.exit.as_ref().is_some_and(|e| e.accepts_contingent(cid)))
                .collect();
            let gi = match sigs.iter().position(|x| *x == sig) {
                Some(p) => p + 2,
                None => {
                    sigs.push(sig);
                    kind.push(2);
                    members.push(Vec::new());
                    kind.len() - 1
                }
            };
            members[gi].push(cid);
        }
        Groups { kind, members }
    }

    fn len(&self) -> usize {
        self.kind.len()
    }

    fn initial(&self, site: &Site, g: usize) -> f64 {
        match self.kind[g] {
            0 => f64::from(site.initial.teu),
            1 => f64::from(site.initial.vehicles),
            _ => self.members[g]
                .iter()
                .map(|c| f64::from(site.initial.personnel[c.idx()]))
                .sum(),
        }
    }

    fn accepted(&self, e: &Exit, g: usize) -> bool {
        match self.kind[g] {
            0 => e.teu,
            1 => e.vehicles,
            _ => e.accepts_contingent(self.members[g][0]),
        }
    }
}

/// Fleets merged when they are interchangeable in the relaxation.
struct FleetGroup {
    /// The fleets merged into the group.
    members: Vec<FleetId>,
    kind: FleetKind,
    /// Units at each home at the start.
    homes: Vec<(SiteId, f64)>,
    teu: f64,
    seats: f64,
    cover: f64,
    cost_per_km: f64,
    available: Window,
}

/// Fleets of one kind with the same capacities, cost and availability, merged; with
/// `pooled`, also across homes. Pooling is still a relaxation: every plan's unit flows add
/// up to a flow of the pool, which merely may also end at another member's home.
fn fleet_groups(s: &Scenario, pooled: bool) -> Vec<FleetGroup> {
    let mut out: Vec<FleetGroup> = Vec::new();
    for (fi, f) in s.fleets.iter().enumerate() {
        let same = out.iter_mut().find(|g| {
            g.kind == f.kind
                && (pooled || g.homes[0].0 == f.home)
                && g.teu == f64::from(f.teu)
                && g.seats == f64::from(f.seats)
                && g.cover == f64::from(f.cover)
                && g.cost_per_km == f.cost_per_km
                && g.available == f.available
        });
        match same {
            Some(g) => {
                g.members.push(FleetId(fi as u32));
                match g.homes.iter_mut().find(|(h, _)| *h == f.home) {
                    Some((_, n)) => *n += f64::from(f.count),
                    None => g.homes.push((f.home, f64::from(f.count))),
                }
            }
            None => out.push(FleetGroup {
                members: vec![FleetId(fi as u32)],
                kind: f.kind,
                homes: vec![(f.home, f64::from(f.count))],
                teu: f64::from(f.teu),
                seats: f64::from(f.seats),
                cover: f64::from(f.cover),
                cost_per_km: f.cost_per_km,
                available: f.available,
            }),
        }
    }
    out
}

/// Rough column count of the LP at coarsening `k`, to choose `k`.
fn estimate_columns(s: &Scenario, k: u32, pooled: bool) -> usize {
    let t = s.horizon.periods.div_ceil(k) as usize;
    let groups = 2 + s.contingents.len().min(8);
    let fleets = fleet_groups(s, pooled).len();
    let airfields = s.sites.iter().filter(|x| x.airfield.is_some()).count();
    let per_t = s.roads.len() * 2 * (groups + fleets)
        + s.sites.len() * (groups + fleets)
        + s.aircraft.len()
            * if airfields > AIR_PAIRS_MAX_AIRFIELDS {
                2 * airfields + 1
            } else {
                airfields * airfields.saturating_sub(1)
            }
            * (1 + groups);
    per_t * t
}

/// Row identities, so that columns can add their coefficients as they are created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Row {
    /// Stock balance of group, site, LP period.
    Stock(u32, u32, u32),
    /// Unit balance of fleet group, site, LP period.
    Units(u32, u32, u32),
    /// Exit intake: exit, kind (0 TEU, 1 vehicles, 2 personnel), LP period.
    Intake(u32, u8, u32),
    /// Truck capacity on road, direction, period.
    Teu(u32, u8, u32),
    /// Seats on road, direction, period.
    Seats(u32, u8, u32),
    /// Escort cover on road, direction, period.
    Escort(u32, u8, u32),
    /// Road vehicles per period.
    Road(u32, u8, u32),
    /// Handling: TEU leaving a site in a period.
    Handling(u32, u32),
    /// TEU flown out of a site in a period, while its airfield works ([`Open`]).
    AirHandling(u32, u32),
    /// Sorties of an aircraft type flying stock out of the camps whose airfields close by
    /// a cut of [`Open`], in a period: type, cut, period.
    SortiesBy(u32, u32, u32),
    /// Sorties of an aircraft type in a period.
    Sorties(u32, u32),
    /// Slots at an airfield in a period.
    Slots(u32, u32),
    /// Seats of a flight arc: type, from, to, period.
    AirSeats(u32, u32, u32, u32),
    /// Payload of a flight arc.
    AirPayload(u32, u32, u32, u32),
    /// Airborne pool of an aircraft type (sorties when the group is `u32::MAX`, else the
    /// stock group on board) in an LP period; see [`air_pool`].
    AirPool(u32, u32, u32),
    /// Stock of a group arriving at a site somewhere in a range of LP periods (first,
    /// last), by a movement that [`Lp::arrival`] names.
    Arrive(u32, u32, u32, u32, [u32; 4]),
    /// Stock of a kind (0 TEU, 2 personnel) still in the air at the end of an LP period
    /// on an aircraft type (type, period, flight periods, kind).
    AirLate(u32, u32, u32, u8),
    /// Containers that left a site in the last days of an LP period on movements of the
    /// same travel time and are still on their way at its end (site, period, travel).
    HandlingLate(u32, u32, u32),
}

/// An optimal LP: objective, row duals (in row order) and the row of each key.
type Solved = (f64, Vec<f64>, HashMap<Row, usize>);

/// One coefficient of a new column: the row, the coefficient, and the row's bounds should
/// the row not exist yet.
type Entry = (Row, f64, f64, f64);

/// A row waiting to be added: lower bound, upper bound, coefficients.
type PendingRow = (f64, f64, Vec<(highs::Col, f64)>);

pub(crate) struct Lp {
    pub(crate) pb: RowProblem,
    index: HashMap<Row, usize>,
    rows: Vec<PendingRow>,
    /// Whether unit and sortie counts are integer columns (the MIP of [`crate::mip`]).
    integer: bool,
    /// The objective term each column pays into ([`Term`]), and its cost, so that an
    /// optimal solution can be split by term ([`breakdown`]).
    terms: Vec<(Term, f64)>,
    /// The term of the columns being added.
    term: Term,
    /// For the quantity terms ([`Term::TeuFlown`], [`Term::TeuDriven`]): the column's
    /// weight in the quantity, used instead of its cost.
    weight: f64,
    /// For the container columns ([`Term::TeuFlown`], [`Term::TeuDriven`]): the site they
    /// leave and whether by air, for [`teu_split`]; `None` for every other column.
    origins: Vec<Option<(u32, bool)>>,
    /// The origin of the container columns being added.
    origin: (u32, bool),
    /// For the columns of stock vehicles and fleet units on a road: the road, so that
    /// [`Lp::solve_by_term`] can split their terms road by road; `None` for every other
    /// column.
    roads: Vec<Option<RoadId>>,
    /// The road of the columns being added.
    road: Option<RoadId>,
    /// The columns that keep stock out of the exits (holding at any site, absorption at
    /// an exit, abandonment), each with the first LP period `c` for which it must be zero
    /// when every stock must be out by the end of LP period `c - 1` ([`makespan_cases`]).
    stock_after: Vec<(highs::Col, u32)>,
    /// No cut before this LP period is feasible: stock is held by rule (before its
    /// `not_before`) until its end.
    held_until: u32,
    /// In [`Mode::Hard`], for each site's handling row of each LP period: a column of the
    /// row's capacity held back (at zero), the site and the LP period. A makespan cut
    /// fixes it at the handling of the period's days too late for a container leaving
    /// then to reach an exit in time ([`Withheld`]).
    withheld: Vec<(highs::Col, u32, u32)>,
}

/// The objective terms of the LP, for [`breakdown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// Columns without cost (stock on aircraft and trucks, holding, intake).
    None,
    /// Stock vehicles driving themselves.
    StockVehicles,
    /// Fleet units of a kind on roads (exposure and cost).
    Units(FleetKind),
    /// Flights (cost).
    Flights,
    /// Containers abandoned.
    AbandonTeu,
    /// Not a cost: containers flown (TEU).
    TeuFlown,
    /// Not a cost: containers driven (TEU x hazard-weighted km).
    TeuDriven,
    /// Vehicles abandoned.
    AbandonVehicles,
}

impl Lp {
    fn row(&mut self, key: Row, lo: f64, hi: f64) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.rows.push((lo, hi, Vec::new()));
        self.index.insert(key, self.rows.len() - 1);
        self.rows.len() - 1
    }

    /// A column with cost, bounds and its coefficients in rows.
    fn col(&mut self, cost: f64, lo: f64, hi: f64, entries: &[Entry]) -> highs::Col {
        self.col_of(false, cost, lo, hi, entries)
    }

    /// A column counting fleet units or sorties: integer in the MIP.
    fn count_col(&mut self, cost: f64, lo: f64, hi: f64, entries: &[Entry]) {
        self.col_of(self.integer, cost, lo, hi, entries);
    }

    /// The row where stock of group `gr` arriving at `site` lands, for a movement that a
    /// plan may complete in any LP period from `first` to `last`. It is the stock balance
    /// of `first`, unless a hard deadline (`closed_from`: the first LP period at whose end
    /// the site may hold nothing) forbids holding it there until `last`: then the stock
    /// lands in an arrival row from which it may enter the site in any of those periods,
    /// as the plan's own arrival does (a convoy still on the road holds nothing at the
    /// site).
    ///
    /// `late` limits what may still be on its way at the end of `first` (the stock that
    /// lands later, which departed in the last days of its LP period): rows with their
    /// upper bounds, for the sorties and the origin's handling of those days. `via`
    /// names the movement (origin, LP period, travel periods, aircraft type or
    /// `u32::MAX`), so that movements with different limits keep their own rows.
    fn arrival(
        &mut self,
        closed_from: &[Option<u32>],
        (gr, site): (usize, usize),
        (first, last): (u32, u32),
        via: [u32; 4],
        late: &[(Row, f64)],
    ) -> Row {
        let stock = |q: u32| Row::Stock(gr as u32, site as u32, q);
        match closed_from[site] {
            Some(c) if last > first && last > c => {}
            _ => return stock(first),
        }
        let key = if late.is_empty() {
            Row::Arrive(gr as u32, site as u32, first, last, [u32::MAX; 4])
        } else {
            Row::Arrive(gr as u32, site as u32, first, last, via)
        };
        if !self.index.contains_key(&key) {
            let term = std::mem::replace(&mut self.term, Term::None);
            for q in first..=last {
                let mut entries = vec![(key, -1.0, 0.0, 0.0), (stock(q), 1.0, 0.0, 0.0)];
                if q > first {
                    entries.extend(late.iter().map(|&(row, hi)| (row, 1.0, -f64::INFINITY, hi)));
                }
                self.col(0.0, 0.0, f64::INFINITY, &entries);
            }
            self.term = term;
        }
        key
    }

    fn col_of(
        &mut self,
        integer: bool,
        cost: f64,
        lo: f64,
        hi: f64,
        entries: &[Entry],
    ) -> highs::Col {
        let c = self.pb.add_column_with_integrality(cost, lo..=hi, integer);
        let teu = matches!(self.term, Term::TeuFlown | Term::TeuDriven);
        self.origins.push(teu.then_some(self.origin));
        self.roads.push(self.road);
        self.terms.push(match self.term {
            Term::TeuFlown | Term::TeuDriven => (self.term, self.weight),
            t if cost != 0.0 => (t, cost),
            _ => (Term::None, 0.0),
        });
        for &(key, coef, rlo, rhi) in entries {
            let r = self.row(key, rlo, rhi);
            self.rows[r].2.push((c, coef));
        }
        c
    }

    /// The time-expanded model over the LP periods `pp` for `mode`, fleets pooled across
    /// homes or not, unit and sortie counts integer or not.
    pub(crate) fn build(
        s: &Scenario,
        pp: &Periods,
        mode: Mode,
        pooled: bool,
        integer: bool,
    ) -> Self {
        let mut lp = Lp {
            pb: RowProblem::default(),
            index: HashMap::new(),
            rows: Vec::new(),
            integer,
            terms: Vec::new(),
            term: Term::None,
            weight: 0.0,
            origins: Vec::new(),
            origin: (0, false),
            roads: Vec::new(),
            road: None,
            stock_after: Vec::new(),
            held_until: 0,
            withheld: Vec::new(),
        };
        let inf = f64::INFINITY;
        let fine = s.horizon.periods;
        let tc = match mode {
            Mode::Completion(t) => t.min(pp.count()),
            _ => pp.count(),
        };
        // The completion LP asks only whether everything can be out in time: no costs, and
        // units may end anywhere (a plan's units may still be driving home after the last
        // stock is out). The deadline LP prices only stock held past deadlines.
        let priced = matches!(mode, Mode::Objective | Mode::Hard(_) | Mode::Windowed(_));
        let late_price = |i: usize, t: u32| match (mode, s.sites[i].close_by) {
            (Mode::Deadlines, Some(d)) if t < pp.count() && pp.start(t) > d.0 => {
                pp.ndays(t) * f64::from(s.horizon.period_days)
            }
            _ => 0.0,
        };
        let price = |c: f64| if priced { c } else { 0.0 };
        let days = |p: u32| pp.days(p);
        let ndays = |p: u32| pp.ndays(p);
        let open = Open::new(s, pp, mode);
        let groups = Groups::new(s);
        let fleets = fleet_groups(s, pooled);
        let w = &s.objective;
        let n = s.sites.len();
        let is_exit = |i: usize| s.sites[i].exit.is_some();
        // With hard deadlines, the day by which each site must be empty (its deadline, `l`
        // days later in `Mode::Hard(l)`) when it falls inside the horizon; the site holds
        // nothing at the end of the LP period that contains that day, nor after (see
        // [`Mode::Hard`]).
        let empty_by: Vec<Option<u32>> = s
            .sites
            .iter()
            .map(|x| match (mode, x.close_by, &x.exit) {
                (Mode::Hard(l), Some(d), None) => Some(d.0.saturating_add(l)).filter(|&e| e < fine),
                _ => None,
            })
            .collect();
        let closed_from: Vec<Option<u32>> = empty_by.iter().map(|e| e.map(|e| pp.of(e))).collect();
        let hard_closed = |i: usize, t: u32| closed_from[i].is_some_and(|c| t >= c);
        // Sites that hold stock at the start, so have a closure in every complete plan.
        let has_initial: Vec<bool> = s.sites.iter().map(|x| !x.initial.is_empty()).collect();
        // With hard deadlines, a site that starts with stock (so has a closure in every
        // complete plan) takes landings only on days before its closure (`V029`), so
        // before its deadline: the first day on which nothing may land.
        let land_before: Vec<Option<u32>> = empty_by
            .iter()
            .zip(&has_initial)
            .map(|(&e, &stocked)| e.filter(|_| stocked))
            .collect();
        // Containers still on their way at the end of period t left `from` in its last
        // `travel` days, within its handling capacity of those days.
        let handling_late = |from: usize, t: u32, travel: u32| {
            s.sites[from].handling_teu_per_period.map(|c| {
                let days = f64::from(travel).min(ndays(t));
                (
                    Row::HandlingLate(from as u32, t, travel),
                    f64::from(c) * days,
                )
            })
        };

        // Stock balance rows, in - out = -supply: the initial stock enters in period 0.
        for i in (0..n).filter(|&i| !is_exit(i)) {
            for gr in 0..groups.len() {
                let init = groups.initial(&s.sites[i], gr);
                lp.row(Row::Stock(gr as u32, i as u32, 0), -init, -init);
            }
        }
        // Unit balance rows: units appear at home in the period their availability starts.
        for (fi, f) in fleets.iter().enumerate() {
            let p0 = pp.of(f.available.from.0);
            if p0 >= tc {
                // The fleet arrives after the cut: it has no units inside the LP.
                continue;
            }
            for &(home, count) in &f.homes {
                lp.row(Row::Units(fi as u32, home.0, p0), -count, -count);
            }
        }

        // Holding arcs: stock at every site (at exits a buffer before absorption, which
        // only weakens the relaxation), units everywhere.
        for i in 0..n {
            let site = &s.sites[i];
            for gr in 0..groups.len() {
                let init = groups.initial(site, gr);
                for t in 0..tc {
                    let last = t + 1 == tc;
                    // Own stock may not leave before not_before: holdings stay at least the
                    // initial stock through every LP period that ends before it.
                    let before_nb = pp.end(t) <= site.not_before.0;
                    let lo = if before_nb { init } else { 0.0 };
                    let hi = if last || hard_closed(i, t) { 0.0 } else { inf };
                    if lo > hi {
                        continue;
                    }
                    let out = (Row::Stock(gr as u32, i as u32, t), -1.0, 0.0, 0.0);
                    let into = (Row::Stock(gr as u32, i as u32, t + 1), 1.0, 0.0, 0.0);
                    let held = if is_exit(i) {
                        0.0
                    } else {
                        late_price(i, t + 1)
                    };
                    if last {
                        lp.col(held, lo, hi, &[out]);
                    } else {
                        let c = lp.col(held, lo, hi, &[out, into]);
                        if lo > 0.0 {
                            lp.held_until = lp.held_until.max(t + 2);
                        } else if hi > 0.0 {
                            lp.stock_after.push((c, t + 1));
                        }
                    }
                }
                if let Some(e) = &site.exit
                    && groups.accepted(e, gr)
                {
                    // Absorption at the exit, capped per period by its intake.
                    let kind = groups.kind[gr];
                    let cap = match kind {
                        0 => e.teu_per_period,
                        1 => e.vehicles_per_period,
                        _ => e.personnel_per_period,
                    };
                    for t in 0..tc {
                        let cap_t = cap.map_or(inf, |c| f64::from(c) * ndays(t));
                        let c = lp.col(
                            0.0,
                            0.0,
                            inf,
                            &[
                                (Row::Stock(gr as u32, i as u32, t), -1.0, 0.0, 0.0),
                                (Row::Intake(i as u32, kind, t), 1.0, -inf, cap_t),
                            ],
                        );
                        lp.stock_after.push((c, t));
                    }
                }
            }
            for (fi, f) in fleets.iter().enumerate() {
                let may_end = matches!(mode, Mode::Completion(_))
                    || f.homes.iter().any(|(h, _)| h.idx() == i)
                    || is_exit(i);
                for t in 0..tc {
                    let last = t + 1 == tc;
                    let hi = if last && !may_end { 0.0 } else { inf };
                    let out = (Row::Units(fi as u32, i as u32, t), -1.0, 0.0, 0.0);
                    let into = (Row::Units(fi as u32, i as u32, t + 1), 1.0, 0.0, 0.0);
                    if last {
                        lp.col(0.0, 0.0, hi, &[out]);
                    } else {
                        lp.col(0.0, 0.0, hi, &[out, into]);
                    }
                }
            }
        }

        // Road arcs, both directions.
        for (ri, road) in s.roads.iter().enumerate() {
            let rid = RoadId(ri as u32);
            for dir in 0..2u8 {
                let (from, to) = if dir == 0 {
                    (road.a, road.b)
                } else {
                    (road.b, road.a)
                };
                let (r, km, hz) = (ri as u32, road.km, f64::from(road.hazard));
                lp.road = Some(rid);
                for t in 0..tc {
                    // The arc exists if some day of the LP period allows the movement.
                    let days_ok: Vec<Period> = days(t)
                        .filter(|&d| {
                            let a = d.plus(road.periods);
                            a.0 < fine
                                && !s.road_blocked(rid, d, a)
                                && !s.site_restricted(from, d)
                                && !s.site_restricted(to, a)
                        })
                        .collect();
                    let ta = pp.land(t, road.periods);
                    if days_ok.is_empty() || ta >= tc {
                        continue;
                    }
                    let last_ta = pp.of(pp.end(t) - 1 + road.periods).min(tc - 1);
                    let cap_t = road
                        .vehicles_per_period
                        .map_or(inf, |c| f64::from(c) * days_ok.len() as f64);
                    let road_row = (Row::Road(r, dir, t), 1.0, -inf, cap_t);
                    // Stock on the arc; nothing leaves an exit.
                    if !is_exit(from.idx()) {
                        for gr in 0..groups.len() {
                            if let Some(e) = &s.site(to).exit
                                && !groups.accepted(e, gr)
                            {
                                continue;
                            }
                            let mut entries = vec![
                                (Row::Stock(gr as u32, from.0, t), -1.0, 0.0, 0.0),
                                (
                                    lp.arrival(
                                        &closed_from,
                                        (gr, to.idx()),
                                        (ta, last_ta),
                                        [from.0, t, road.periods, u32::MAX],
                                        &handling_late(from.idx(), t, road.periods)
                                            .filter(|_| groups.kind[gr] == 0)
                                            .into_iter()
                                            .collect::<Vec<_>>(),
                                    ),
                                    1.0,
                                    0.0,
                                    0.0,
                                ),
                            ];
                            let mut cost = 0.0;
                            lp.origin = (from.0, false);
                            (lp.term, lp.weight) = match groups.kind[gr] {
                                0 => (Term::TeuDriven, km * hz),
                                _ => (Term::StockVehicles, 0.0),
                            };
                            match groups.kind[gr] {
                                0 => {
                                    entries.push((Row::Teu(r, dir, t), 1.0, -inf, 0.0));
                                    let hcap = s
                                        .site(from)
                                        .handling_teu_per_period
                                        .map_or(inf, |c| f64::from(c) * ndays(t));
                                    entries.push((Row::Handling(from.0, t), 1.0, -inf, hcap));
                                }
                                1 => {
                                    cost = price(w.exposure * km * hz);
                                    let vs = f64::from(s.vehicle_seats);
                                    entries.push((Row::Seats(r, dir, t), -vs, -inf, 0.0));
                                    if road.escort {
                                        entries.push((Row::Escort(r, dir, t), 1.0, -inf, 0.0));
                                    }
                                    entries.push(road_row);
                                }
                                _ => entries.push((Row::Seats(r, dir, t), 1.0, -inf, 0.0)),
                            }
                            lp.col(cost, 0.0, inf, &entries);
                        }
                    }
                    // Units on the arc.
                    for (fi, f) in fleets.iter().enumerate() {
                        let avail = days_ok.iter().any(|&d| {
                            d >= f.available.from
                                && d.plus(road.periods).0 - 1 <= f.available.until.0
                        });
                        if !avail {
                            continue;
                        }
                        let cost = price(km * (w.exposure * hz + w.cost * f.cost_per_km));
                        lp.term = Term::Units(f.kind);
                        let mut entries = vec![
                            (Row::Units(fi as u32, from.0, t), -1.0, 0.0, 0.0),
                            (Row::Units(fi as u32, to.0, ta), 1.0, 0.0, 0.0),
                            road_row,
                        ];
                        if f.kind == FleetKind::Escort {
                            if road.escort {
                                entries.push((Row::Escort(r, dir, t), -f.cover, -inf, 0.0));
                            }
                        } else {
                            if f.teu > 0.0 {
                                entries.push((Row::Teu(r, dir, t), -f.teu, -inf, 0.0));
                            }
                            if f.seats > 0.0 {
                                entries.push((Row::Seats(r, dir, t), -f.seats, -inf, 0.0));
                            }
                            if road.escort {
                                entries.push((Row::Escort(r, dir, t), 1.0, -inf, 0.0));
                            }
                        }
                        lp.count_col(cost, 0.0, inf, &entries);
                    }
                }
            }
        }
        lp.road = None;

        // Air arcs: sorties per type and pair, and the stock they carry.
        let airfields: Vec<usize> = (0..n).filter(|&i| s.sites[i].airfield.is_some()).collect();
        let usable =
            |ac: &Aircraft, i: usize| s.sites[i].airfield.as_ref().is_some_and(|a| ac.can_use(a));
        let pairs = if airfields.len() > AIR_PAIRS_MAX_AIRFIELDS {
            // Too many airfields for an arc per pair: flights go through an airborne pool.
            air_pool(&mut lp, s, pp, tc, &groups, priced, (&airfields, &open));
            &[][..]
        } else {
            &s.aircraft[..]
        };
        for (ai, ac) in pairs.iter().enumerate() {
            let aid = AircraftId(ai as u32);
            for &i in airfields.iter().filter(|&&i| !is_exit(i) && usable(ac, i)) {
                for &j in airfields.iter().filter(|&&j| j != i && usable(ac, j)) {
                    let (si, sj) = (SiteId(i as u32), SiteId(j as u32));
                    let fp = s.flight_periods(aid, si, sj);
                    let hours = s.flight_hours(aid, si, sj);
                    let slot = |site: usize, t: u32| {
                        s.sites[site]
                            .airfield
                            .as_ref()
                            .and_then(|a| a.slots_per_period)
                            .map_or(inf, |c| f64::from(c) * open.days(pp, site, t))
                    };
                    let (a32, i32_, j32) = (ai as u32, i as u32, j as u32);
                    for t in 0..tc {
                        let any_day = days(t).any(|d| {
                            ac.available.contains(d)
                                && d.plus(fp).0 < fine
                                && !s.airfield_restricted(si, d)
                                && !s.airfield_restricted(sj, d.plus(fp))
                        });
                        let ta = pp.land(t, fp);
                        if !any_day || ta >= tc {
                            continue;
                        }
                        let last_ta = pp.of(pp.end(t) - 1 + fp).min(tc - 1);
                        // Sorties still in the air at the end of period t left in its last
                        // `fp` days: the stock that lands after `ta` is limited by them.
                        let air_late = |kind: u8, t: u32, fp: u32| {
                            let sorties = f64::from(ac.count * ac.sorties_per_period)
                                * f64::from(fp).min(ndays(t));
                            let per = if kind == 0 { ac.payload_teu } else { ac.seats };
                            (Row::AirLate(a32, t, fp, kind), sorties * f64::from(per))
                        };
                        let sorties_cap = f64::from(ac.count * ac.sorties_per_period) * ndays(t);
                        let mut entries = vec![
                            (Row::Sorties(a32, t), 1.0, -inf, sorties_cap),
                            (Row::Slots(i32_, t), 1.0, -inf, slot(i, t)),
                            (
                                Row::AirSeats(a32, i32_, j32, t),
                                -f64::from(ac.seats),
                                -inf,
                                0.0,
                            ),
                            (
                                Row::AirPayload(a32, i32_, j32, t),
                                -f64::from(ac.payload_teu),
                                -inf,
                                0.0,
                            ),
                        ];
                        // Arrivals take slots in their period; with coarse periods that period
                        // is uncertain, so only departures count then.
                        if pp.unit() {
                            entries.push((Row::Slots(j32, ta), 1.0, -inf, slot(j, ta)));
                        }
                        entries.extend(open.sorties(pp, ac, a32, i, t));
                        lp.term = Term::Flights;
                        lp.count_col(price(w.cost * hours * ac.cost_per_hour), 0.0, inf, &entries);
                        for gr in 0..groups.len() {
                            let kind = groups.kind[gr];
                            if kind == 1
                                || (kind == 0 && ac.payload_teu == 0)
                                || (kind == 2 && ac.seats == 0)
                            {
                                continue;
                            }
                            if let Some(e) = &s.sites[j].exit
                                && !groups.accepted(e, gr)
                            {
                                continue;
                            }
                            // No stock lands at a closed camp (`V029`): with hard
                            // deadlines, a site that starts with stock (so has a closure)
                            // has closed by the end of its deadline's LP period, so nothing
                            // lands there in a later one.
                            let land_by = match land_before[j] {
                                Some(0) => continue,
                                Some(u) => last_ta.min(pp.of(u - 1)),
                                None => last_ta,
                            };
                            if land_by < ta {
                                continue;
                            }
                            let mut entries = vec![
                                (Row::Stock(gr as u32, i32_, t), -1.0, 0.0, 0.0),
                                (
                                    lp.arrival(
                                        &closed_from,
                                        (gr, j),
                                        (ta, land_by),
                                        [i32_, t, fp, a32],
                                        &std::iter::once(air_late(kind, t, fp))
                                            .chain(handling_late(i, t, fp).filter(|_| kind == 0))
                                            .collect::<Vec<_>>(),
                                    ),
                                    1.0,
                                    0.0,
                                    0.0,
                                ),
                            ];
                            (lp.term, lp.weight) = (Term::TeuFlown, 1.0);
                            lp.origin = (i32_, true);
                            if kind == 0 {
                                entries.push((Row::AirPayload(a32, i32_, j32, t), 1.0, -inf, 0.0));
                                let hcap = s.sites[i]
                                    .handling_teu_per_period
                                    .map_or(inf, |c| f64::from(c) * ndays(t));
                                entries.push((Row::Handling(i32_, t), 1.0, -inf, hcap));
                                entries.extend(open.handling(s, pp, i, t));
                            } else {
                                entries.push((Row::AirSeats(a32, i32_, j32, t), 1.0, -inf, 0.0));
                            }
                            if kind != 0 {
                                lp.term = Term::None;
                            }
                            lp.col(0.0, 0.0, inf, &entries);
                        }
                    }
                }
            }
        }

        // Abandonment of containers and vehicles where allowed.
        // At full resolution, stock abandoned in period t counts for the makespan as t + 1,
        // so the completion LP may not abandon in its last period; with coarse periods that
        // end day is somewhere inside the period, which is allowed.
        let last_abandon = match mode {
            Mode::Completion(_) if pp.unit() => tc.saturating_sub(1),
            _ => tc,
        };
        // The deadline LP must not escape lateness by abandoning: it pays as if the stock
        // were held to the end of the horizon.
        let abandon_price = |pen: f64| match mode {
            Mode::Deadlines => f64::from(fine * s.horizon.period_days),
            _ => price(pen),
        };
        if s.abandon.allowed {
            for i in (0..n).filter(|&i| !is_exit(i)) {
                for (gr, pen) in [
                    (0u32, s.abandon.teu_penalty),
                    (1, s.abandon.vehicle_penalty),
                ] {
                    lp.term = if gr == 0 {
                        Term::AbandonTeu
                    } else {
                        Term::AbandonVehicles
                    };
                    for t in 0..last_abandon {
                        let c = lp.col(
                            abandon_price(pen),
                            0.0,
                            inf,
                            &[(Row::Stock(gr, i as u32, t), -1.0, 0.0, 0.0)],
                        );
                        lp.stock_after.push((c, t));
                    }
                }
            }
        }

        if matches!(mode, Mode::Hard(_)) {
            // In the order of the rows, so that the LP is the same on every run.
            let mut rows: Vec<(usize, u32, u32)> = lp
                .index
                .iter()
                .filter_map(|(k, &r)| match *k {
                    Row::Handling(i, t) => Some((r, i, t)),
                    _ => None,
                })
                .collect();
            rows.sort_unstable();
            for (_, i, t) in rows {
                let c = lp.col(0.0, 0.0, 0.0, &[(Row::Handling(i, t), 1.0, -inf, inf)]);
                lp.withheld.push((c, i, t));
            }
        }
        for (lo, hi, entries) in std::mem::take(&mut lp.rows) {
            lp.pb.add_row(lo..=hi, entries);
        }
        lp
    }

    fn solve(self) -> Result<f64, BoundError> {
        self.solve_with_duals().map(|(objective, _, _)| objective)
    }

    /// Solve; the objective, the row duals and the row index.
    fn solve_with_duals(self) -> Result<Solved, BoundError> {
        self.solve_ipm_above(LARGE_LP_COLUMNS)
    }

    /// Solve with the dual simplex up to `ipm_above` columns, above with the interior
    /// point method.
    fn solve_ipm_above(self, ipm_above: usize) -> Result<Solved, BoundError> {
        let solved = Self::optimise(self.pb, ipm_above)?;
        Ok((
            solved.objective_value(),
            solved.get_solution().dual_rows().to_vec(),
            self.index,
        ))
    }

    /// Solve `pb` (see [`Lp::solve_ipm_above`]); the optimal model, to read or re-solve.
    fn optimise(pb: RowProblem, ipm_above: usize) -> Result<highs::SolvedModel, BoundError> {
        let large = pb.num_cols() > ipm_above;
        let mut model = pb.optimise(Sense::Minimise);
        model.make_quiet();
        model.set_option("threads", 1);
        if large {
            // On large, degenerate network LPs the interior point method (with crossover to
            // an optimal basis, so the value is as exact as simplex's) is much faster.
            model.set_option("solver", "ipm");
        }
        let solved = model.solve();
        match solved.status() {
            HighsModelStatus::Optimal => Ok(solved),
            HighsModelStatus::Infeasible => Err(BoundError::Infeasible),
            other => Err(BoundError::Solver(format!("{other:?}"))),
        }
    }

    /// Solve; the containers leaving each site by road and by air (TEU), `[road, air]`
    /// per site.
    fn solve_teu_split(self, sites: usize) -> Result<Vec<[f64; 2]>, BoundError> {
        let origins = self.origins;
        let solved = Self::optimise(self.pb, LARGE_LP_COLUMNS)?;
        let mut out = vec![[0.0; 2]; sites];
        for (o, &x) in origins.iter().zip(solved.get_solution().columns()) {
            if let Some((site, air)) = *o {
                out[site as usize][usize::from(air)] += x;
            }
        }
        Ok(out)
    }

    /// Solve; the objective split by [`Term`], and the terms paid on roads (stock
    /// vehicles' and fleet units') split by road too.
    fn solve_by_term(self) -> Result<Split, BoundError> {
        let large = self.pb.num_cols() > LARGE_LP_COLUMNS;
        let mut model = self.pb.optimise(Sense::Minimise);
        model.make_quiet();
        model.set_option("threads", 1);
        if large {
            model.set_option("solver", "ipm");
        }
        let solved = model.solve();
        match solved.status() {
            HighsModelStatus::Optimal => {}
            HighsModelStatus::Infeasible => return Err(BoundError::Infeasible),
            other => return Err(BoundError::Solver(format!("{other:?}"))),
        }
        let mut by: Vec<(Term, f64)> = Vec::new();
        let mut roads: std::collections::BTreeMap<(RoadId, Term), f64> = Default::default();
        let solution = solved.get_solution();
        let columns = solution.columns();
        for ((&(term, cost), &x), road) in self.terms.iter().zip(columns).zip(&self.roads) {
            match by.iter_mut().find(|(t, _)| *t == term) {
                Some((_, v)) => *v += cost * x,
                None => by.push((term, cost * x)),
            }
            if let Some(r) = road
                && matches!(term, Term::StockVehicles | Term::Units(_))
            {
                *roads.entry((*r, term)).or_default() += cost * x;
            }
        }
        by.retain(|(t, _)| *t != Term::None);
        let roads = roads.into_iter().map(|((r, t), v)| (r, t, v)).collect();
        Ok(Split { terms: by, roads })
    }

    /// Whether the LP has a solution (the completion LP has no costs).
    fn feasible(self) -> Result<bool, BoundError> {
        match self.solve() {
            Ok(_) => Ok(true),
            Err(BoundError::Infeasible) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// Above this many airfields the LP models flights through an airborne pool per aircraft
/// type ([`air_pool`]) instead of an arc per pair of airfields (which grows with their
/// square: 385 airfields make ten million columns).
const AIR_PAIRS_MAX_AIRFIELDS: usize = 24;

/// Flights of every aircraft type as a departure into an airborne pool of the type and an
/// arrival out of it, so the LP grows with the airfields, not with their pairs.
///
/// Still a relaxation: a flight from `i` to `j` leaving in LP period `t` maps to a
/// departure from `i` in `t` (into the pool at `t` plus `i`'s shortest flight, rounded
/// down), a wait in the pool, and an arrival at `j` in `t` plus its own flight time
/// (rounded down), carrying the same stock; seats, payload, sorties and departure slots
/// bind per departure and per arrival as they do per flight; and the cost of a flight is
/// split into half the cheapest flight out of `i` plus half the cheapest flight into `j`,
/// which together never exceed it. Arrival slots and restrictions at the destination are
/// left out (only weakening the bound), and flights may end where they started.
/// Departures take the camps' windows of `open` as the flights between pairs do.
fn air_pool(
    lp: &mut Lp,
    s: &Scenario,
    pp: &Periods,
    tc: u32,
    groups: &Groups,
    priced: bool,
    (airfields, open): (&[usize], &Open),
) {
    let inf = f64::INFINITY;
    let fine = s.horizon.periods;
    let days = |p: u32| pp.days(p);
    let ndays = |p: u32| pp.ndays(p);
    let w = &s.objective;
    let price = |c: f64| if priced { c } else { 0.0 };
    let none = u32::MAX;
    lp.term = Term::Flights;
    for (ai, ac) in s.aircraft.iter().enumerate() {
        let (aid, a32) = (AircraftId(ai as u32), ai as u32);
        let usable = |i: &&usize| {
            s.sites[**i]
                .airfield
                .as_ref()
                .is_some_and(|a| ac.can_use(a))
        };
        let to: Vec<usize> = airfields.iter().filter(usable).copied().collect();
        let from: Vec<usize> = to
            .iter()
            .copied()
            .filter(|&i| s.sites[i].exit.is_none())
            .collect();
        let id = |i: usize| SiteId(i as u32);
        let cost =
            |i: usize, j: usize| w.cost * s.flight_hours(aid, id(i), id(j)) * ac.cost_per_hour;
        // Per origin: its shortest flight and half its cheapest; per destination: half the
        // cheapest flight into it.
        let dep: Vec<(usize, u32, f64)> = from
            .iter()
            .filter_map(|&i| {
                let others = to.iter().filter(|&&j| j != i);
                let fp = others
                    .clone()
                    .map(|&j| s.flight_periods(aid, id(i), id(j)))
                    .min()?;
                let c = others.map(|&j| cost(i, j)).fold(inf, f64::min);
                Some((i, fp, c / 2.0))
            })
            .collect();
        let arr: Vec<(usize, f64)> = to
            .iter()
            .filter_map(|&j| {
                let c = from
                    .iter()
                    .filter(|&&i| i != j)
                    .map(|&i| cost(i, j))
                    .fold(inf, f64::min);
                c.is_finite().then_some((j, c / 2.0))
            })
            .collect();
        if dep.is_empty() || arr.is_empty() {
            continue;
        }
        let carried = |gr: usize| match groups.kind[gr] {
            0 => ac.payload_teu > 0,
            1 => false,
            _ => ac.seats > 0,
        };
        // The row that limits a group's load: payload for containers, seats otherwise.
        let load_row = |gr: usize, i: u32, j: u32, t: u32| {
            if groups.kind[gr] == 0 {
                Row::AirPayload(a32, i, j, t)
            } else {
                Row::AirSeats(a32, i, j, t)
            }
        };
        let (seats, payload) = (f64::from(ac.seats), f64::from(ac.payload_teu));
        for t in 0..tc {
            let sorties_cap = f64::from(ac.count * ac.sorties_per_period) * ndays(t);
            for &(i, fp, half) in &dep {
                let ta = pp.land(t, fp);
                let any_day = days(t).any(|d| {
                    ac.available.contains(d)
                        && d.plus(fp).0 < fine
                        && !s.airfield_restricted(id(i), d)
                });
                if !any_day || ta >= tc {
                    continue;
                }
                let i32_ = i as u32;
                let slots = s.sites[i]
                    .airfield
                    .as_ref()
                    .and_then(|a| a.slots_per_period)
                    .map_or(inf, |c| f64::from(c) * open.days(pp, i, t));
                let mut entries = vec![
                    (Row::Sorties(a32, t), 1.0, -inf, sorties_cap),
                    (Row::Slots(i32_, t), 1.0, -inf, slots),
                    (Row::AirSeats(a32, i32_, none, t), -seats, -inf, 0.0),
                    (Row::AirPayload(a32, i32_, none, t), -payload, -inf, 0.0),
                    (Row::AirPool(a32, none, ta), 1.0, 0.0, 0.0),
                ];
                entries.extend(open.sorties(pp, ac, a32, i, t));
                lp.count_col(price(half), 0.0, inf, &entries);
                for gr in (0..groups.len()).filter(|&g| carried(g)) {
                    let mut entries = vec![
                        (Row::Stock(gr as u32, i32_, t), -1.0, 0.0, 0.0),
                        (Row::AirPool(a32, gr as u32, ta), 1.0, 0.0, 0.0),
                        (load_row(gr, i32_, none, t), 1.0, -inf, 0.0),
                    ];
                    if groups.kind[gr] == 0 {
                        let hcap = s.sites[i]
                            .handling_teu_per_period
                            .map_or(inf, |c| f64::from(c) * ndays(t));
                        entries.push((Row::Handling(i32_, t), 1.0, -inf, hcap));
                        entries.extend(open.handling(s, pp, i, t));
                        (lp.term, lp.weight) = (Term::TeuFlown, 1.0);
                        lp.origin = (i32_, true);
                    }
                    lp.col(0.0, 0.0, inf, &entries);
                    lp.term = Term::Flights;
                }
            }
            // Sorties and stock stay airborne from one period to the next; nothing is
            // left in the air at the end.
            if t + 1 < tc {
                for g in std::iter::once(none)
                    .chain((0..groups.len() as u32).filter(|&g| carried(g as usize)))
                {
                    let hold = [
                        (Row::AirPool(a32, g, t), -1.0, 0.0, 0.0),
                        (Row::AirPool(a32, g, t + 1), 1.0, 0.0, 0.0),
                    ];
                    lp.col(0.0, 0.0, inf, &hold);
                }
            }
            for &(j, half) in &arr {
                let j32 = j as u32;
                lp.count_col(
                    price(half),
                    0.0,
                    inf,
                    &[
                        (Row::AirPool(a32, none, t), -1.0, 0.0, 0.0),
                        (Row::AirSeats(a32, none, j32, t), -seats, -inf, 0.0),
                        (Row::AirPayload(a32, none, j32, t), -payload, -inf, 0.0),
                    ],
                );
                for gr in (0..groups.len()).filter(|&g| carried(g)) {
                    if let Some(e) = &s.sites[j].exit
                        && !groups.accepted(e, gr)
                    {
                        continue;
                    }
                    lp.col(
                        0.0,
                        0.0,
                        inf,
                        &[
                            (Row::AirPool(a32, gr as u32, t), -1.0, 0.0, 0.0),
                            (Row::Stock(gr as u32, j32, t), 1.0, 0.0, 0.0),
                            (load_row(gr, none, j32, t), 1.0, -inf, 0.0),
                        ],
                    );
                }
            }
        }
    }
}

/// LPs with more columns than this are solved by the interior point method.
const LARGE_LP_COLUMNS: usize = 30_000;

/// The same threshold for the hard-deadline LP, on which the dual simplex stays quicker
/// (MINUSMA, 41,662 columns: 1.9 s against 4.5 s; 75,320 columns: 10 s against 18 s).
const HARD_LP_IPM_COLUMNS: usize = 100_000;

/// The fewest periods of a hard-deadline LP over periods cut at the deadlines
/// ([`Periods::deadlines`]) when deadlines must share periods to fit the column budget;
/// with fewer, the LP is skipped. On the generated 30-site scenarios (10 or 11 periods,
/// 16,000 to 22,000 columns) the LP adds 1,200 to 2,900 to the free LP's 13,250 to
/// 37,449 in 2 to 5 s. On 100 sites (7 or 8 periods, 38,000 to 46,000 columns) it came
/// within 0.6% of the free LP, in 4 to 8 s each, and its makespan search took up to 35 s
/// more; on 300 sites (2 periods) it proved less than the free LP.
const COARSE_MIN_PERIODS: u32 = 8;

/// The same threshold for the hard-deadline LP over periods cut at the deadlines
/// ([`Periods::deadlines`]), weeks long: there the interior point method is much quicker
/// (generated 30 sites, 22,400 columns: 1.7 s against 21.8 s; 100 sites, 38,745 columns:
/// 4.8 s against 130 s), while the dual simplex solves MINUSMA's, 5,798 columns, in
/// 0.05 s.
const COARSE_HARD_LP_IPM_COLUMNS: usize = 10_000;

/// Which LP to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The bound on exposure, cost and abandonment over the whole horizon.
    Objective,
    /// Feasibility only: every stock reaches an exit (or is abandoned) within the first
    /// `n` LP periods; no costs; units may end anywhere.
    Completion(u32),
    /// For explanations, not a bound: the cost is the stock held at sites past their
    /// deadlines (stock-days), so that the duals say which capacities hold deadlines up.
    Deadlines,
    /// The objective LP of plans that close every site at most this many plan periods
    /// after its deadline, to within the days left in the LP period that contains that
    /// day: no site holds stock at the end of that period or later. A plan whose sites
    /// close at most `l` days late fits when `l` is less than the days from each deadline
    /// to the end of its LP period; see [`Hard`].
    Hard(u32),
    /// The objective LP of plans that close every site at most this many plan periods
    /// after its deadline, by their capacities alone: stock may be held anywhere at any
    /// time as in [`Mode::Objective`], but a camp's airfield works only until that day:
    /// its slots, the containers its handling loads onto aircraft, and the sorties that
    /// fly its stock out ([`Open`]).
    Windowed(u32),
}

/// The plan periods in which each camp's airfield may still work: in
/// [`Mode::Windowed`]`(l)`, until `l` periods after its deadline; in [`Mode::Hard`]`(l)`,
/// until the end of the LP period that holds that day; otherwise, and for exits and sites
/// that start empty, until the end of the horizon.
///
/// A flight takes stock from a camp only up to its closure (`V032`) and lands stock there
/// only before it (`V029`), and a camp that starts with stock has a closure, no later
/// than its deadline plus `l` in every plan of the case. So its slots, the containers its
/// handling loads onto aircraft, and the sorties that fly its stock out are all within
/// those days. (Its handling of convoys is not: a convoy may drive through a closed camp,
/// and passing containers count against the handling.) The static LP otherwise lets a
/// camp's airfield and the aircraft work on every day of the horizon, also in the months
/// after its deadline: on the generated 100-site scenario it flew 3,641 containers, as
/// many as the C-130s carry in 234 days, while the camps with airfields close in 60 to
/// 180.
struct Open {
    /// Per site: the first plan period in which its airfield may not work.
    until: Vec<u32>,
    /// The distinct values of `until` below the end of the horizon, ascending: the sorties
    /// flying stock out of the camps closed by each are limited to the days before it.
    cuts: Vec<u32>,
}

impl Open {
    fn new(s: &Scenario, pp: &Periods, mode: Mode) -> Self {
        let fine = s.horizon.periods;
        let until: Vec<u32> = s
            .sites
            .iter()
            .map(|x| match (mode, x.close_by) {
                _ if x.exit.is_some() || x.initial.is_empty() => fine,
                (Mode::Windowed(l), Some(d)) => d.0.saturating_add(l).saturating_add(1).min(fine),
                // The plans of a hard LP's case close each camp before the end of the LP
                // period that holds its deadline plus `l` (see [`Hard`]).
                (Mode::Hard(l), Some(d)) if d.0.saturating_add(l) < fine => {
                    pp.end(pp.of(d.0 + l)).min(fine)
                }
                _ => fine,
            })
            .collect();
        let mut cuts: Vec<u32> = until
            .iter()
            .zip(&s.sites)
            .filter(|&(&u, x)| u < fine && x.airfield.is_some())
            .map(|(&u, _)| u)
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        Open { until, cuts }
    }

    /// Plan periods of LP period `p` in which site `i`'s airfield may work.
    fn days(&self, pp: &Periods, i: usize, p: u32) -> f64 {
        f64::from(pp.end(p).min(self.until[i]).saturating_sub(pp.start(p)))
    }

    /// The rows that limit the sorties of aircraft type `a` flying stock out of site `i`
    /// in LP period `p` to those of the days before each cut at or after its own (`V032`:
    /// every camp closed by the cut has flown its last stock by then), with their upper
    /// bounds; none for a site whose airfield works to the end of the horizon.
    fn sorties(&self, pp: &Periods, ac: &Aircraft, a: u32, i: usize, p: u32) -> Vec<Entry> {
        let from = pp.start(p).max(ac.available.from.0);
        let to = pp.end(p).min(ac.available.until.0.saturating_add(1));
        let per_day = f64::from(ac.count * ac.sorties_per_period);
        self.cuts
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c >= self.until[i] && c < pp.end(p))
            .map(|(k, &c)| {
                let days = c.min(to).saturating_sub(from);
                (
                    Row::SortiesBy(a, k as u32, p),
                    1.0,
                    -f64::INFINITY,
                    per_day * f64::from(days),
                )
            })
            .collect()
    }

    /// The row that limits the containers flown out of site `i` in LP period `p` to what
    /// its handling loads in the days its airfield works, when that is fewer than the
    /// period's.
    fn handling(&self, s: &Scenario, pp: &Periods, i: usize, p: u32) -> Option<Entry> {
        let c = s.sites[i].handling_teu_per_period?;
        (self.until[i] < pp.end(p)).then(|| {
            let cap = f64::from(c) * self.days(pp, i, p);
            (Row::AirHandling(i as u32, p), 1.0, -f64::INFINITY, cap)
        })
    }
}

/// The objective LP of plans that meet every deadline ([`Mode::Hard`]), over periods
/// aligned on the scenario's dates ([`Periods::aligned`]).
///
/// A plan late by at most `slack_days` site-days in all (so every site at most that late)
/// maps to a solution of it, so such a plan pays at least `flow` plus the makespan and
/// lateness terms; a plan late by more site-days in all pays at least `slack_days + 1`
/// late days on top of the next case ([`Bound::hard_late`], then the free LP). The bound
/// is the cheapest case.
#[derive(Clone, Debug, PartialEq)]
pub struct Hard {
    /// Its optimum (`None`: infeasible, so every plan is in the second case).
    pub flow: Option<f64>,
    /// Days after its deadline by which each site must be empty in it (0: the deadlines
    /// themselves).
    pub late_days: u32,
    /// Late site-days in all up to which a plan fits it: the fewest days from a deadline
    /// to the end of its LP period, less one period.
    pub slack_days: u32,
    /// LP periods.
    pub periods: u32,
    /// Whether its periods are cut only where the deadlines bind, not on every date where
    /// a rule changes: the weaker LP, solved when its case does not set the bound (see
    /// [`bound`]).
    pub at_deadlines_only: bool,
    /// LP size.
    pub columns: usize,
    /// Seconds spent building and solving it, the makespan cases included.
    pub seconds: f64,
    /// What it proves with the makespan priced in, when the search ran (see
    /// [`ByMakespan`]).
    pub by_makespan: Option<ByMakespan>,
}

/// The hard-deadline LP with the makespan priced in: every plan of its case that finishes
/// within LP period `c` maps to the same LP with all stock out of the sites (at an exit or
/// abandoned) by the end of `c`, so pays at least that LP's value plus the makespan of
/// the period's first day ([`makespan_cases`]). The free LP sees no time, so without this
/// the bound charges the LP's value and the earliest completion separately, as if a plan
/// could have both at once; on MINUSMA (2-day periods) the LP with everything out by day
/// 180 pays 100 more than the one out by day 190, and by day 170, 400 more.
#[derive(Clone, Debug, PartialEq)]
pub struct ByMakespan {
    /// The smallest, over the LP periods a plan may finish in, of the LP's value plus the
    /// makespan term: a lower bound on exposure, cost, abandonment and makespan together.
    pub objective: f64,
    /// The makespan in days that the smallest case charges.
    pub days: u32,
    /// LPs solved after the first (cuts warm-started from the last basis, and the finer
    /// LPs).
    pub solves: u32,
    /// Times the LP was rebuilt with periods of a day around the cheapest case.
    pub refinements: u32,
}

/// What a makespan cut changes in a hard-deadline LP ([`makespan_cases`]).
struct Cut {
    /// The columns that keep stock out of the exits, with the first number of LP periods
    /// that forbids each ([`Lp::stock_after`]).
    after: Vec<(highs::Col, u32)>,
    /// The fewest LP periods a cut may keep ([`Lp::held_until`]).
    held_until: u32,
    /// The handling the cut withholds.
    withheld: Vec<Withheld>,
}

/// A site's handling of one LP period that a makespan cut may withhold ([`Lp::withheld`]):
/// a container that leaves a site reaches an exit no sooner than the quickest road and
/// air route from it allows (`reach` plan periods), so in a plan that finishes before
/// plan period `f`, none leaves the site on or after `f - reach`, and the handling of
/// those days is unused.
struct Withheld {
    col: highs::Col,
    /// Containers the site may load per plan period.
    rate: f64,
    /// The plan periods of the LP period.
    days: std::ops::Range<u32>,
    /// Plan periods from the site to the nearest exit that takes containers.
    reach: u32,
    /// The amount withheld now.
    now: f64,
}

impl Cut {
    /// Take the cut's columns out of `lp`, built over `pp`.
    fn take(s: &Scenario, pp: &Periods, lp: &mut Lp) -> Self {
        let reach = teu_reach(s);
        let withheld = std::mem::take(&mut lp.withheld)
            .into_iter()
            .filter_map(|(col, i, t)| {
                let rate = f64::from(s.sites[i as usize].handling_teu_per_period?);
                Some(Withheld {
                    col,
                    rate,
                    days: pp.start(t)..pp.end(t),
                    reach: reach[i as usize]?,
                    now: 0.0,
                })
            })
            .collect();
        Cut {
            after: std::mem::take(&mut lp.stock_after),
            held_until: lp.held_until,
            withheld,
        }
    }
}

/// Plan periods from each site to the nearest exit that takes containers by road and air
/// (`None`: none can be reached).
fn teu_reach(s: &Scenario) -> Vec<Option<u32>> {
    use crate::makespan::{edges, exit_distances, nearest};
    exit_distances(s, &edges(s, Some(true)))
        .iter()
        .map(|row| nearest(s, row, &|e| e.teu))
        .collect()
}

/// A lower bound on exposure, cost, abandonment and makespan together for the plans that
/// finish within a range of plan periods.
type Case = (std::ops::Range<u32>, f64);

/// The makespan priced into a hard-deadline LP ([`ByMakespan`]): the cases of the LP over
/// `pp`, solved at `flow`, then up to `most` times the cheapest case longer than a day
/// again, over periods of a day inside it and along the [`final_lead`] before it (two at
/// a time).
fn by_makespan(
    s: &Scenario,
    (pp, model, flow, cut): (&Periods, highs::SolvedModel, f64, Cut),
    (late, pooled, slack): (u32, bool, u32),
    floor_days: u32,
    most: u32,
) -> ByMakespan {
    let (mut cases, mut solves) = makespan_cases(
        (model, flow, cut, pp),
        0..u32::MAX,
        f64::INFINITY,
        floor_days,
        s,
    );
    let lead = if most > 0 { final_lead(s) } else { 0 };
    // The case `i` again over periods of a day inside it and along the lead before it: its
    // new cases and the LPs solved, or `None` when the finer LP cannot be used. Its search
    // stops once the rest of it cannot be cheaper than the cases other than those being
    // refined (`busy`).
    let refine = |cases: &[Case], i: usize, busy: &[usize]| -> Option<(Vec<Case>, u32)> {
        let (days, value) = cases[i].clone();
        let fine = pp.refined(days.start.saturating_sub(lead)..days.end.min(s.horizon.periods));
        // The finer LP holds the plans late by at most its own slack, which its extra
        // periods must not shorten.
        if hard_slack(s, &fine, late).is_none_or(|f| f < slack) {
            return None;
        }
        let mut lp = Lp::build(s, &fine, Mode::Hard(late), pooled, false);
        let cut = Cut::take(s, &fine, &mut lp);
        let model = Lp::optimise(lp.pb, HARD_LP_IPM_COLUMNS).ok()?;
        let flow = model.objective_value();
        let enough = (0..cases.len())
            .filter(|j| !busy.contains(j))
            .map(|j| cases[j].1)
            .fold(f64::INFINITY, f64::min);
        let (sub, n) = makespan_cases((model, flow, cut, &fine), days, enough, floor_days, s);
        // Both bounds hold for those plans: keep the larger.
        Some((
            sub.into_iter().map(|(d, v)| (d, v.max(value))).collect(),
            n + 1,
        ))
    };
    let mut refinements = 0;
    while refinements < most {
        // The two cheapest cases longer than a day, refined side by side.
        let mut order: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].0.end.min(s.horizon.periods) > cases[i].0.start + 1)
            .collect();
        order.sort_by(|&a, &b| cases[a].1.total_cmp(&cases[b].1));
        let Some(first) = cheapest(&cases).filter(|i| order.first() == Some(i)) else {
            break;
        };
        let second = order.get(1).copied().filter(|_| refinements + 1 < most);
        let busy: Vec<usize> = std::iter::once(first).chain(second).collect();
        let (a, b) = rayon::join(
            || refine(&cases, first, &busy),
            || second.and_then(|i| refine(&cases, i, &busy)),
        );
        let Some(a) = a else { break };
        let mut done = vec![(first, a)];
        done.extend(second.zip(b));
        // Splice from the back, so that the other index stays valid.
        done.sort_by_key(|d| std::cmp::Reverse(d.0));
        for (i, (sub, n)) in done {
            refinements += 1;
            solves += n;
            cases.splice(i..=i, sub);
        }
    }
    let (days, objective) =
        cheapest(&cases).map_or((u32::MAX..u32::MAX, f64::INFINITY), |i| cases[i].clone());
    ByMakespan {
        objective,
        days: days
            .start
            .saturating_mul(s.horizon.period_days)
            .max(floor_days),
        solves,
        refinements,
    }
}

/// Plan periods before a case that its refinement also splits into days: the quickest
/// road route to an exit from the site farthest from one (MINUSMA: 20, Tessalit to
/// Abidjan). A plan that finishes in the case moves its last stock along such a chain in
/// the days before; over the long LP periods before the case, travel times rounded down
/// let the chain shrink to a period, so that finishing early looks cheap. With the chain's
/// days split too, the LP times it: on MINUSMA four refinements prove 24,450 with this
/// lead, against 24,351 with none (see `docs/benchmarks.md`).
fn final_lead(s: &Scenario) -> u32 {
    use crate::makespan::{edges, exit_distances, nearest};
    let roads = exit_distances(s, &edges(s, None));
    // The quickest road to an exit that takes the stock, for each stock of each site.
    let quickest = |i: usize, takes: &dyn Fn(&Exit) -> bool| nearest(s, &roads[i], takes);
    let mut lead = 0;
    for (i, x) in s.sites.iter().enumerate().filter(|(_, x)| x.exit.is_none()) {
        let held = &x.initial;
        let mut chains = vec![
            (held.teu > 0).then(|| quickest(i, &|e| e.teu)),
            (held.vehicles > 0).then(|| quickest(i, &|e| e.vehicles)),
        ];
        for c in (0..held.personnel.len()).filter(|&c| held.personnel[c] > 0) {
            let cid = ContingentId(c as u32);
            chains.push(Some(quickest(i, &|e| e.accepts_contingent(cid))));
        }
        lead = chains.into_iter().flatten().flatten().fold(lead, u32::max);
    }
    lead
}

/// The case of smallest value.
fn cheapest(cases: &[Case]) -> Option<usize> {
    (0..cases.len()).min_by(|&a, &b| cases[a].1.total_cmp(&cases[b].1))
}

/// The most LPs [`makespan_cases`] solves: the cases it has not split by then keep the
/// bound their neighbours give them.
const MAKESPAN_SOLVES: u32 = 48;

/// The cases of the hard-deadline LP `model` over `pp`, solved without a cut at value
/// `flow`, for the plans that finish within the plan periods `within` (see
/// [`ByMakespan`]).
///
/// `cut` are the columns that keep stock out of the exits, each with the first number of
/// LP periods that forbids it, and the fewest LP periods a cut may keep; every plan
/// finishes no sooner than `floor_days`. The cut of `k` periods (all stock out by the end
/// of period `k - 1`) holds the plans that finish in period `k - 1`: they pay its value
/// `V(k)` plus the makespan of that period's first day. `V` falls as `k` grows, so the
/// cuts between two solved ones `a < b` are worth at least `V(b)`, exactly that when
/// `V(a) = V(b)`, and the cuts below the smallest solved one at least its value. The
/// search walks down the cuts, and splits the ranges it skipped where the value rose,
/// while they can beat the best case found and `enough`; it returns one case per solved
/// cut and per range left. They cover `within` but for the
/// finishes no plan can have (an infeasible cut, and every earlier one).
fn makespan_cases(
    (model, flow, mut cut, pp): (highs::SolvedModel, f64, Cut, &Periods),
    within: std::ops::Range<u32>,
    enough: f64,
    floor_days: u32,
    s: &Scenario,
) -> (Vec<Case>, u32) {
    let (w, pd) = (s.objective.makespan, s.horizon.period_days);
    let count = pp.count();
    // The finishes that the cut of `k` periods holds, within `within`.
    let span = |k: u32| {
        let end = if k == count { u32::MAX } else { pp.end(k - 1) };
        pp.start(k - 1).max(within.start)..end.min(within.end)
    };
    let value = |lp: f64, k: u32| lp + w * f64::from((span(k).start * pd).max(floor_days));
    // No plan finishes before `floor_days`: the cuts of earlier finishes need no LP.
    let ks: Vec<u32> = (cut.held_until.max(1)..=count)
        .filter(|&k| !span(k).is_empty() && span(k).end.saturating_mul(pd) > floor_days)
        .collect();
    let (Some(&k_lo), Some(&k_hi)) = (ks.first(), ks.last()) else {
        return (Vec::new(), 0);
    };
    cut.after.sort_by_key(|&(_, k)| k);
    let mut lp = CutLp {
        model: Some(model.into()),
        cut: cut.after,
        withheld: cut.withheld,
        at: count + 1,
        solves: 0,
    };
    // Solved cuts and their values; cuts below `lowest` are infeasible.
    let mut known: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
    let mut lowest = k_lo;
    if k_hi == count {
        known.insert(count, flow);
    } else {
        match lp.solve(k_hi, span(k_hi).end) {
            Some(Some(v)) => {
                known.insert(k_hi, v);
            }
            Some(None) => return (Vec::new(), lp.solves),
            None => return (vec![(within.clone(), value(flow, k_lo))], lp.solves),
        }
    }
    // The ranges of unsolved cuts, each with its bound and whether the bound is exact.
    let ranges = |known: &std::collections::BTreeMap<u32, f64>, lowest: u32| {
        let mut out: Vec<(u32, u32, f64, bool)> = Vec::new();
        let mut below = lowest;
        let mut above: Option<f64> = None;
        for (&k, &v) in known.range(lowest..) {
            if k > below {
                let exact = above.is_some_and(|a| a - v <= 1e-9 * v.abs().max(1.0));
                out.push((below, k - 1, value(v, below), exact));
            }
            below = k + 1;
            above = Some(v);
        }
        out
    };
    // Below the lowest solved cut, the search walks down in steps that double while the
    // value stays the same and restart at one when it rises; then the ranges it skipped
    // where the value rose are split in halves. Each cut of the walk only tightens
    // bounds, which the dual simplex does quickly from the last basis. After a cut the LP
    // cannot meet the walk ends, and the range above it keeps its neighbour's bound: from
    // that basis the next solve took a hundred times longer (on 10 generated sites, 1 s
    // more for the same bound).
    let mut step = 1;
    let mut walk = true;
    while lp.solves < MAKESPAN_SOLVES {
        let rs = ranges(&known, lowest);
        let best = known
            .iter()
            .map(|(&k, &v)| value(v, k))
            .chain(rs.iter().filter(|r| r.3).map(|r| r.2))
            .fold(enough, f64::min);
        let open: Vec<(u32, u32, f64, bool)> =
            rs.into_iter().filter(|r| !r.3 && r.2 < best).collect();
        let between = open
            .iter()
            .filter(|r| known.range(..r.0).next().is_some())
            .min_by(|a, b| a.2.total_cmp(&b.2));
        let bottom = open.iter().find(|r| known.range(..r.0).next().is_none());
        // The walk first: most ranges it skips are then no longer worth splitting, and a
        // split loosens bounds, which is slower.
        let (k, walking) = match (bottom.filter(|_| walk), between) {
            (Some(&(lo, hi, _, _)), _) => ((hi + 1).saturating_sub(step).max(lo), true),
            (None, Some(&(lo, hi, _, _))) => (lo + (hi - lo) / 2, false),
            _ => break,
        };
        let above = known.range(k + 1..).next().map(|(_, &v)| v);
        match lp.solve(k, span(k).end) {
            Some(Some(x)) => {
                let flat = above.is_some_and(|a| x - a <= 1e-9 * a.abs().max(1.0));
                if walking {
                    step = if flat { step * 2 } else { 1 };
                }
                known.insert(k, x);
            }
            // No plan finishes this early, nor earlier (unless a cut below was solved, which
            // only numerical trouble can do: then nothing is concluded).
            Some(None) if known.range(..k).next().is_none() => {
                lowest = k + 1;
                walk = false;
            }
            _ => break,
        }
    }
    let mut cases: Vec<Case> = known
        .range(lowest..)
        .map(|(&k, &v)| (span(k), value(v, k)))
        .collect();
    cases.extend(
        ranges(&known, lowest)
            .into_iter()
            .map(|(lo, hi, v, _)| (span(lo).start..span(hi).end, v)),
    );
    cases.sort_by_key(|c| c.0.start);
    (cases, lp.solves)
}

/// A hard-deadline LP cut at a number of periods ([`makespan_cases`]).
struct CutLp {
    /// The model, solved last at `at` (taken while it solves).
    model: Option<highs::Model>,
    /// The columns that keep stock out of the exits, with the first number of periods
    /// that forbids each, in that order.
    cut: Vec<(highs::Col, u32)>,
    /// The columns with a number of at least this are held at zero.
    at: u32,
    /// The handling the cut withholds.
    withheld: Vec<Withheld>,
    /// LPs solved.
    solves: u32,
}

impl CutLp {
    /// The value of the cut of `k` periods (`Some(None)`: infeasible; `None`: the solver
    /// failed), from the last basis: only the bounds of the columns between the two cuts
    /// change.
    fn solve(&mut self, k: u32, finish: u32) -> Option<Option<f64>> {
        let mut model = self.model.take()?;
        for w in &mut self.withheld {
            let late = finish.saturating_sub(w.reach).max(w.days.start);
            let amount = w.rate * f64::from(w.days.end.saturating_sub(late));
            if amount != w.now {
                model.change_column_bounds(w.col, amount..=amount);
                w.now = amount;
            }
        }
        let (from, to) = (k.min(self.at), k.max(self.at));
        let first = self.cut.partition_point(|c| c.1 < from);
        let end = self.cut.partition_point(|c| c.1 < to);
        let hi = if k < self.at { 0.0 } else { f64::INFINITY };
        for &(col, _) in &self.cut[first..end] {
            model.change_column_bounds(col, 0.0..=hi);
        }
        model.set_option("solver", "simplex");
        self.at = k;
        self.solves += 1;
        let solved = model.solve();
        let (status, v) = (solved.status(), solved.objective_value());
        self.model = Some(solved.into());
        match status {
            HighsModelStatus::Optimal => Some(Some(v)),
            HighsModelStatus::Infeasible => Some(None),
            _ => None,
        }
    }
}

/// The periods of a hard-deadline LP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HardPeriods {
    /// Aligned on the scenario's dates ([`Periods::aligned`]), shorter in the window of
    /// the last deadlines ([`BoundConfig::hard_window`]).
    Aligned,
    /// Cut only where the deadlines bind ([`Periods::deadlines`]): a weaker LP, about a
    /// tenth of the time on MINUSMA.
    Deadlines,
}

/// Build and solve the hard-deadline LP of plans late by at most `late` plan periods at
/// any site, over `periods`: aligned on the scenario's dates, of at most `k` plan periods
/// (`cfg.hard_window` around the last deadlines), or cut at the deadlines, which aligned
/// periods also fall back to when they exceed `cfg.hard_max_columns` (unless the window
/// is forced). `None` when the scenario has no deadline, not even
/// [`COARSE_MIN_PERIODS`] periods cut at the deadlines fit the budget, or the solver
/// fails: then the bound does without it.
/// The periods of the hard-deadline LP of plans late by at most `late` plan periods, and
/// whether they are cut only at the deadlines (see [`BoundConfig::hard_window`]); `None`
/// when the LP would be too large or there is no deadline.
fn hard_periods(
    s: &Scenario,
    cfg: &BoundConfig,
    (k, pooled): (u32, bool),
    late: u32,
    periods: HardPeriods,
) -> Option<(Periods, bool)> {
    let fine = s.horizon.periods;
    let sites = || {
        s.sites
            .iter()
            .filter(|x| x.exit.is_none() && x.close_by.is_some())
    };
    let from = sites().map(|x| x.not_before.0).max().unwrap_or(0);
    let longest = s.roads.iter().map(|r| r.periods).max().unwrap_or(0);
    let until = sites().filter_map(|x| x.close_by).map(|d| d.0).max()? + late + longest + 1;
    let per_period = estimate_columns(s, fine, pooled);
    let size = |pp: &Periods| per_period * pp.count() as usize;
    // Periods cut at the deadlines: each deadline's day a period of its own if they fit
    // the budget, else as many as it allows if that is at least `COARSE_MIN_PERIODS`, else
    // none (the LP is skipped).
    let budget = (cfg.hard_max_columns / per_period.max(1)) as u32;
    let at_deadlines = || {
        let own = Periods::deadlines(s, late, u32::MAX);
        if own.count() <= budget {
            Some((own, true))
        } else {
            (budget >= COARSE_MIN_PERIODS).then(|| (Periods::deadlines(s, late, budget), true))
        }
    };
    match (periods, cfg.hard_window) {
        (HardPeriods::Deadlines, _) => at_deadlines(),
        (HardPeriods::Aligned, Some(len)) => Some((
            Periods::aligned(s, k, Some((from, until, len)), late),
            false,
        )),
        (HardPeriods::Aligned, None) => {
            // The shortest window periods from HARD_WINDOW up that keep the LP in budget,
            // else aligned periods of k if they do, else periods cut at the deadlines:
            // on large scenarios the aligned LP costs as much as the free LP again (on 30
            // generated sites, 62 periods and 121 s), while the periods of the deadlines
            // keep most of what it proves (there 40,340 against 42,637, the free LP being
            // 37,449). The LP of late plans has no window: its case costs a late day more,
            // so it needs less strength (on MINUSMA the same value, 22,549, with 22
            // periods instead of 26, a quarter less time).
            let shortest = if late > 0 { k } else { HARD_WINDOW.min(k) };
            match (shortest..=k)
                .map(|len| Periods::aligned(s, k, Some((from, until, len)), late))
                .find(|pp| size(pp) <= cfg.hard_max_columns)
            {
                Some(pp) => Some((pp, false)),
                None => at_deadlines(),
            }
        }
    }
}

/// The objective LP of plans that meet every deadline ([`Mode::Hard`], without the
/// makespan), over the periods [`bound`] gives it, split by [`Term`] and by road; `None`
/// when the bound would not solve it (no deadline, too large, or `cfg.hard` off). Solved
/// alone, one LP: where a plan pays more than this LP, part by part and road by road, is
/// where it could still gain or where the relaxation is weak (`drawdown explain`).
pub fn hard_breakdown(s: &Scenario, cfg: &BoundConfig) -> Result<Option<Split>, BoundError> {
    if !cfg.hard {
        return Ok(None);
    }
    let (k, pooled) = time_granularity(s, cfg);
    let Some((pp, _)) = hard_periods(s, cfg, (k, pooled), 0, HardPeriods::Aligned) else {
        return Ok(None);
    };
    if hard_slack(s, &pp, 0).is_none() {
        return Ok(None);
    }
    Lp::build(s, &pp, Mode::Hard(0), pooled, false)
        .solve_by_term()
        .map(Some)
}

/// Where one optimal solution of the hard-deadline LP (as [`hard_breakdown`] solves it)
/// sends the containers: the TEU leaving each site by road and by air, `[road, air]` per
/// site (stock passing through counts where it leaves). On MINUSMA it flies 542 of them
/// out of Kidal and drives 278, where the constructive planner's best policy flies 342 and
/// drives 418 (what the optimising planner's variants that fly more aim at, see
/// `portfolio.rs`). `None` when that LP does not apply (no deadline, or too large).
pub fn teu_split(s: &Scenario, cfg: &BoundConfig) -> Result<Option<Vec<[f64; 2]>>, BoundError> {
    let (k, pooled) = time_granularity(s, cfg);
    let Some((pp, _)) = hard_periods(s, cfg, (k, pooled), 0, HardPeriods::Aligned) else {
        return Ok(None);
    };
    if hard_slack(s, &pp, 0).is_none() {
        return Ok(None);
    }
    match Lp::build(s, &pp, Mode::Hard(0), pooled, false).solve_teu_split(s.sites.len()) {
        Ok(v) => Ok(Some(v)),
        Err(BoundError::Infeasible) => Ok(None),
        Err(e) => Err(e),
    }
}

fn hard_lp(
    s: &Scenario,
    cfg: &BoundConfig,
    (k, pooled): (u32, bool),
    late: u32,
    floor_days: u32,
    periods: HardPeriods,
) -> Option<Hard> {
    let t0 = Instant::now();
    let (pp, at_deadlines_only) = hard_periods(s, cfg, (k, pooled), late, periods)?;
    let slack = hard_slack(s, &pp, late)?;
    let mut lp = Lp::build(s, &pp, Mode::Hard(late), pooled, false);
    let columns = lp.pb.num_cols();
    let cut = Cut::take(s, &pp, &mut lp);
    let ipm_above = if at_deadlines_only {
        COARSE_HARD_LP_IPM_COLUMNS
    } else {
        HARD_LP_IPM_COLUMNS
    };
    let (flow, by_makespan) = match Lp::optimise(lp.pb, ipm_above) {
        Ok(solved) => {
            let f = solved.objective_value();
            // The LP of late plans already pays a late day more, and its search only
            // cost time: on MINUSMA its case, 24,099 plus a late day, stays far above the
            // first LP's; on 10 generated sites neither sets the bound.
            let by = (cfg.makespan_cases && late == 0).then(|| {
                by_makespan(
                    s,
                    (&pp, solved, f, cut),
                    (late, pooled, slack),
                    floor_days,
                    cfg.makespan_refinements,
                )
            });
            (Some(f), by)
        }
        Err(BoundError::Infeasible) => (None, None),
        Err(_) => return None,
    };
    Some(Hard {
        by_makespan,
        flow,
        late_days: late * s.horizon.period_days,
        slack_days: slack * s.horizon.period_days,
        periods: pp.count(),
        at_deadlines_only,
        columns,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// The slack of the hard-deadline LP over `pp` of plans late by at most `late` plan
/// periods ([`Hard::slack_days`], in plan periods): the fewest periods from a deadline to
/// the end of its LP period, less one. `None` without a deadline inside the horizon.
fn hard_slack(s: &Scenario, pp: &Periods, late: u32) -> Option<u32> {
    s.sites
        .iter()
        .filter(|x| x.exit.is_none())
        .filter_map(|x| x.close_by)
        .filter(|d| d.0 + late < s.horizon.periods)
        .map(|d| pp.end(pp.of(d.0 + late)) - 1 - d.0)
        .min()
}

/// What the completion LP proved.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    /// Proven lower bound on the makespan in days.
    pub days: u32,
    /// Periods per LP period of the completion LPs.
    pub aggregate: u32,
    /// LPs solved in the search.
    pub solves: u32,
    /// Seconds spent building and solving them.
    pub seconds: f64,
}

/// The LP bound on the earliest possible completion: the largest horizon cut at which the
/// time-expanded LP cannot move everything out is a lower bound on the makespan.
///
/// A plan whose last stock reaches an exit in period `M` (or is abandoned in `M - 1`)
/// maps to a solution of the completion LP over the first `M / k + 1` LP periods of `k`
/// days (travel times rounded down keep every movement inside its LP period or earlier).
/// So if the LP over `n` periods is infeasible, `M >= n * k`. The search is a bisection
/// between the combinatorial bound (`lo`, proven) and the end of the horizon (or `hint`);
/// only cuts that HiGHS proved infeasible raise the bound, so an imprecise upper end never
/// makes it wrong. `None` when the scenario is too large for `cfg` or the solver fails.
/// The last period the completion search looks at: the one after a known makespan, or
/// the horizon's end.
fn completion_upper(s: &Scenario, hint_days: Option<u32>) -> u32 {
    let fine = s.horizon.periods;
    hint_days.map_or(fine, |d| (d / s.horizon.period_days + 1).min(fine))
}

/// The finest periods whose completion LP over the search range up to `upper` stays
/// within the column budget; `None` when even 30-day periods do not.
fn completion_periods(s: &Scenario, cfg: &BoundConfig, upper: u32) -> Option<u32> {
    let fine = s.horizon.periods;
    let cut = |k: u32| upper.div_ceil(k) + 1;
    (1..=30).find(|&k| {
        estimate_columns(s, k, false) * cut(k) as usize / fine.div_ceil(k).max(1) as usize
            <= cfg.completion_max_columns
    })
}

/// Whether a plan's makespan ([`BoundConfig::makespan_hint_days`]) can change what
/// [`bound`] computes. Only the completion search uses it, to keep its LP within the
/// column budget; when that LP does not fit even for the shortest makespan any plan can
/// have (the shortest routes to an exit), the bound is the same with or without a hint,
/// so it may be solved before the plan is known, alongside the planning.
pub fn uses_makespan_hint(s: &Scenario, cfg: &BoundConfig) -> bool {
    cfg.completion
        && completion_periods(s, cfg, completion_upper(s, Some(makespan_bound(s)))).is_some()
}

fn completion_bound(s: &Scenario, cfg: &BoundConfig, lo_days: u32) -> Option<Completion> {
    if !cfg.completion {
        return None;
    }
    let t0 = Instant::now();
    let pd = s.horizon.period_days;
    let fine = s.horizon.periods;
    let upper = completion_upper(s, cfg.makespan_hint_days);
    let cut = |k: u32| upper.div_ceil(k) + 1;
    let k = completion_periods(s, cfg, upper)?;
    // lo: a cut known infeasible (from the combinatorial bound, M >= lo_days / pd periods);
    // hi: a cut not above which the answer lies.
    let mut lo = (lo_days / pd) / k;
    let mut hi = cut(k).min(fine.div_ceil(k));
    let mut solves = 0;
    while hi > lo + 1 {
        let mid = lo + (hi - lo) / 2;
        solves += 1;
        match Lp::build(
            s,
            &Periods::uniform(fine, k),
            Mode::Completion(mid),
            false,
            false,
        )
        .feasible()
        {
            Ok(true) => hi = mid,
            Ok(false) => lo = mid,
            Err(_) => return None,
        }
    }
    Some(Completion {
        days: lo * k * pd,
        aggregate: k,
        solves,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// Lower bound on the makespan in days: every stock of a site needs at least the time from
/// its `not_before` to the nearest accepting exit over roads and flights combined (a
/// shortest path in periods, ignoring every capacity). Containers and vehicles that may
/// be abandoned bound it only by the abandonment itself, one period after `not_before`.
pub(crate) fn makespan_bound(s: &Scenario) -> u32 {
    use crate::makespan::{edges, exit_distances, nearest};
    let h = &s.horizon;
    // Periods from every site to every exit: containers and personnel may also fly.
    let (teu, roads, people) = (
        exit_distances(s, &edges(s, Some(true))),
        exit_distances(s, &edges(s, None)),
        exit_distances(s, &edges(s, Some(false))),
    );
    let earliest = |dist: &[Option<u32>], ok: &dyn Fn(&Exit) -> bool| nearest(s, dist, ok);
    let mut best = 0u32;
    for (i, site) in s.sites.iter().enumerate() {
        if site.exit.is_some() || site.initial.is_empty() {
            continue;
        }
        let nb = site.not_before.0;
        let mut need: Vec<Option<u32>> = Vec::new();
        let abandonable = s.abandon.allowed;
        if site.initial.teu > 0 {
            let t = earliest(&teu[i], &|e| e.teu);
            need.push(if abandonable { Some(1) } else { t });
        }
        if site.initial.vehicles > 0 {
            let t = earliest(&roads[i], &|e| e.vehicles);
            need.push(if abandonable { Some(1) } else { t });
        }
        for (c, &p) in site.initial.personnel.iter().enumerate() {
            if p > 0 {
                let cid = ContingentId(c as u32);
                need.push(earliest(&people[i], &|e| e.accepts_contingent(cid)));
            }
        }
        for t in need.into_iter().flatten() {
            best = best.max((nb + t) * h.period_days);
        }
    }
    best
}

/// Lower bound on late site-days: a site's own stock cannot leave before `not_before`,
/// and its containers leave no faster than its handling capacity allows.
pub(crate) fn lateness_bound(s: &Scenario) -> u32 {
    let h = &s.horizon;
    let mut late = 0;
    for site in &s.sites {
        let (Some(d), false) = (site.close_by, site.initial.is_empty()) else {
            continue;
        };
        if site.exit.is_some() {
            continue;
        }
        let mut earliest = site.not_before.0;
        if let Some(cap) = site.handling_teu_per_period
            && cap > 0
            && site.initial.teu > 0
            && !s.abandon.allowed
        {
            earliest += site.initial.teu.div_ceil(cap) - 1;
        }
        if earliest > d.0 {
            late += (earliest - d.0) * h.period_days;
        }
    }
    late
}

/// The price the deadline LP puts on one more unit of a capacity in one LP period.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Shadow {
    /// The resource.
    pub resource: model::explain::Resource,
    /// First and last plan period of the LP period.
    pub from: Period,
    /// Last plan period of the LP period.
    pub until: Period,
    /// Stock-days past deadlines saved by one more unit of capacity in that LP period
    /// (for fleets: one more unit standing at home from that LP period on).
    pub value: f64,
}

/// Shadow prices of the capacities in the deadline LP: an LP like the bound's whose only
/// cost is stock held at sites past their deadlines. Not a bound; a signal of what holds
/// deadlines up, which `explain` measures by re-planning.
pub(crate) fn shadows(s: &Scenario, cfg: &BoundConfig) -> Result<(Vec<Shadow>, u32), BoundError> {
    use model::explain::{Commodity, Resource};
    let k = match cfg.aggregate {
        Some(k) => k.max(1),
        None => (1..=30)
            .find(|&k| estimate_columns(s, k, false) <= cfg.max_columns)
            .unwrap_or(30),
    };
    let fleets = fleet_groups(s, false);
    let pp = Periods::uniform(s.horizon.periods, k);
    let (_, duals, index) = Lp::build(s, &pp, Mode::Deadlines, false, false).solve_with_duals()?;
    let last = s.horizon.last();
    let span = |t: u32| {
        (
            Period(pp.start(t)),
            Period(pp.end(t).saturating_sub(1)).min(last),
        )
    };
    let mut out = Vec::new();
    for (row, &r) in &index {
        let y = duals[r];
        // HiGHS reports d(objective)/d(row bound); one more unit of capacity raises an
        // upper bound (saving -y), one more fleet unit lowers the balance row's right-hand
        // side `in - out = -supply` (saving y).
        let (resource, t, value) = match *row {
            Row::Units(g, site, t) => {
                let g = &fleets[g as usize];
                if g.homes[0].0.0 != site {
                    continue;
                }
                (Resource::Fleet(g.members[0]), t, y)
            }
            Row::Road(rd, _, t) => (Resource::Road(RoadId(rd)), t, -y),
            Row::Handling(i, t) => (Resource::Handling(SiteId(i)), t, -y),
            Row::Intake(i, kind, t) => {
                let c = match kind {
                    0 => Commodity::Teu,
                    1 => Commodity::Vehicles,
                    _ => Commodity::Personnel,
                };
                (Resource::Intake(SiteId(i), c), t, -y)
            }
            Row::Sorties(a, t) => (Resource::Aircraft(AircraftId(a)), t, -y),
            Row::Slots(i, t) => (Resource::Slots(SiteId(i)), t, -y),
            _ => continue,
        };
        if value > 1e-7 {
            let (from, until) = span(t);
            out.push(Shadow {
                resource,
                from,
                until,
                value,
            });
        }
    }
    // The row index is a hash map: sort so that the result does not depend on its order.
    out.sort_by(|a, b| {
        (a.resource, a.from)
            .cmp(&(b.resource, b.from))
            .then(a.value.total_cmp(&b.value))
    });
    Ok((out, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A camp that loads 2 containers a day sends its 6 on days 0, 1 and 2 down a 4-day
    /// road, so the last one arrives on day 6 at the soonest. Over LP periods of 3 days
    /// the road takes one period, and the LP sends all 6 in the first period and has them
    /// out by day 6, a case that charges 4 days (no plan finishes sooner than the road
    /// takes). A plan that finishes before day 6 loads nothing from day 2 on, so that
    /// case keeps only two days of the first period's handling, too little: the case that
    /// charges day 6 is the cheapest, as in any plan.
    #[test]
    fn late_handling_is_withheld_from_early_finishes() {
        let text = include_str!("../tests/data/slow-quay.toml");
        let s = scenario::load_str("slow-quay.toml", text).unwrap().scenario;
        let pp = Periods::uniform(s.horizon.periods, 3);
        let mut lp = Lp::build(&s, &pp, Mode::Hard(0), false, false);
        let cut = Cut::take(&s, &pp, &mut lp);
        assert!(!cut.withheld.is_empty() && cut.withheld.iter().all(|w| w.reach == 4));
        let model = Lp::optimise(lp.pb, HARD_LP_IPM_COLUMNS).unwrap();
        let flow = model.objective_value();
        // No plan finishes before day 4, the road's length.
        let (cases, _) = makespan_cases((model, flow, cut, &pp), 0..u32::MAX, f64::INFINITY, 4, &s);
        let best = &cases[cheapest(&cases).unwrap()];
        assert_eq!(
            (best.0.start, (best.1 - flow).round()),
            (6, 600.0),
            "{cases:?}"
        );
    }

    /// The makespan cases of the waves (`tests/data/waves.toml`, see `tests/bound.rs`) at
    /// 100 a day of makespan, over daily LP periods to the deadline's day and periods of
    /// three days after it. All quick (1,800) finishes on day 3, the optimum (1,500) on
    /// day 5: 2,100 against 2,000. The cuts see only that the plans finishing in days 3 to
    /// 5 pay at least 1,500 (the cut after day 5) plus 300; solving that case again over
    /// daily periods finds the 2,000. No plan finishes before day 3 (the completion LP's
    /// bound).
    #[test]
    fn a_coarse_makespan_case_is_solved_again_over_days() {
        let text =
            include_str!("../tests/data/waves.toml").replace("makespan = 0", "makespan = 100");
        let s = scenario::load_str("waves.toml", &text).unwrap().scenario;
        let pp = Periods::uniform(s.horizon.periods, 3).refined(0..3);
        let search = |most| {
            let mut lp = Lp::build(&s, &pp, Mode::Hard(0), false, false);
            let cut = Cut::take(&s, &pp, &mut lp);
            let model = Lp::optimise(lp.pb, HARD_LP_IPM_COLUMNS).unwrap();
            let flow = model.objective_value();
            assert_eq!(flow.round(), 1500.0);
            by_makespan(&s, (&pp, model, flow, cut), (0, false, 0), 3, most)
        };
        let coarse = search(0);
        assert_eq!((coarse.objective.round(), coarse.days), (1800.0, 3));
        let fine = search(1);
        assert_eq!(
            (fine.objective.round(), fine.days, fine.refinements),
            (2000.0, 5, 1)
        );
    }

    /// The waves with a quick road of two days and the deadline on day 3: the camp's
    /// second wave can leave on day 4 at the earliest (the quick round trip), a day late,
    /// so the LP of plans that meet the deadline is infeasible. A day late, the optimum is
    /// the quick round trip and the safe road for the second wave: 2 x (300 + 300 + 150) =
    /// 1,500, plus the late day. Over periods cut only at the deadline, the LP of plans a
    /// day late sends every wave by the safe road within its first period of four days
    /// (900: the LP departs at a period's first day, so a round trip of six days fits), and
    /// its case (1,900) sets the bound; [`bound`] then solves it again over aligned periods,
    /// which prove the optimum, 2,500.
    #[test]
    fn the_late_lp_is_solved_again_over_aligned_periods_when_it_sets_the_bound() {
        let text = include_str!("../tests/data/waves.toml")
            .replace("km = 100\ndays = 1", "km = 100\ndays = 2")
            .replace("close_by = 2023-07-03", "close_by = 2023-07-04");
        let s = scenario::load_str("waves.toml", &text).unwrap().scenario;
        let cfg = BoundConfig::default();
        let (k, pooled) = time_granularity(&s, &cfg);
        let late = |periods| hard_lp(&s, &cfg, (k, pooled), HARD_LATE, 0, periods).unwrap();
        let flow = |h: Hard| h.flow.map(f64::round);
        assert_eq!(flow(late(HardPeriods::Deadlines)), Some(900.0));
        assert_eq!(flow(late(HardPeriods::Aligned)), Some(1500.0));
        let b = bound(&s, &cfg).unwrap();
        assert_eq!(b.hard.and_then(flow), None);
        assert_eq!(b.hard_late.and_then(flow), Some(1500.0));
        assert_eq!(b.objective.round(), 2500.0);
    }

    /// The free LP of the airlift flies all eight containers out, in the days after the
    /// camp's deadline (0). The windowed LP may fly only the two sorties before it, and
    /// drives the other four containers, 150 for each truck that stays at the port: 300,
    /// the optimum. The hard LPs are left out by their column budget, so that the windowed
    /// case alone lifts the bound.
    #[test]
    fn the_windowed_lp_keeps_the_aircraft_to_the_days_before_the_deadline() {
        let text = include_str!("../tests/data/airlift.toml");
        let s = scenario::load_str("airlift.toml", text).unwrap().scenario;
        let cfg = BoundConfig {
            hard_max_columns: 0,
            ..BoundConfig::default()
        };
        let (b, windowed) = windowed_bound(&s, &cfg);
        assert!(b.hard.is_none() && b.hard_late.is_none());
        assert_eq!(b.flow.round(), 0.0);
        assert_eq!(windowed, [(0, Some(300.0))]);
        assert_eq!(b.objective.round(), 300.0);
        assert_checked_plan_above(&s, b.objective);
    }

    /// Two camps share one aircraft: the sorties before camp a's deadline are all the
    /// aircraft has for a's stock, and those before b's for both camps' (nested windows),
    /// so the LP flies three sorties and drives one truckload: 150, the optimum. With only
    /// each airfield's slots limited to its days the LP would fly all eight containers.
    #[test]
    fn camps_closed_by_a_deadline_share_the_sorties_before_it() {
        let text = include_str!("../tests/data/shared-aircraft.toml");
        let s = scenario::load_str("shared-aircraft.toml", text)
            .unwrap()
            .scenario;
        // The static LP (one period): a time-expanded one sees the days itself.
        let cfg = BoundConfig {
            max_columns: 0,
            hard_max_columns: 0,
            ..BoundConfig::default()
        };
        let (b, windowed) = windowed_bound(&s, &cfg);
        assert_eq!(b.aggregate, s.horizon.periods);
        assert_eq!(b.flow.round(), 0.0);
        assert_eq!(windowed, [(0, Some(150.0))]);
        assert_eq!(b.objective.round(), 150.0);
        assert_checked_plan_above(&s, b.objective);
    }

    /// Camp b's containers pass through camp a after a's deadline. The hard LP (daily
    /// periods) would let them fly out of a the day they arrive (200, the trucks' drives
    /// to a); a flight takes stock from a only up to a's closure (`V032`), so they drive
    /// on to the port: 1,100, the optimum. (The windowed LP, over the same days here,
    /// proves it too.)
    #[test]
    fn the_hard_lp_flies_nothing_out_of_a_camp_after_its_deadline() {
        let text = include_str!("../tests/data/pass-through.toml");
        let s = scenario::load_str("pass-through.toml", text)
            .unwrap()
            .scenario;
        let b = bound(&s, &BoundConfig::default()).unwrap();
        let hard = b.hard.as_ref().and_then(|h| h.flow).map(f64::round);
        assert_eq!(hard, Some(1100.0), "{b:?}");
        assert_eq!(b.objective.round(), 1100.0);
        assert_checked_plan_above(&s, b.objective);
    }

    /// The bound of `s` under `cfg`, and its windowed LPs as (slack, rounded value).
    fn windowed_bound(s: &Scenario, cfg: &BoundConfig) -> (Bound, Vec<(u32, Option<f64>)>) {
        let b = bound(s, cfg).unwrap();
        let windowed = b
            .windowed
            .iter()
            .map(|h| (h.slack_days, h.flow.map(f64::round)))
            .collect();
        (b, windowed)
    }

    /// The planner's plan of `s` passes the checker and costs at least `bound`.
    fn assert_checked_plan_above(s: &Scenario, bound: f64) {
        let plan = crate::plan(s, &crate::Config::default(), &mut |_, _| {}).unwrap();
        let file = scenario::planfile::to_file(s, &plan, Default::default());
        assert!(scenario::check::verify(s, &file).is_feasible());
        assert!(
            bound <= plan.totals.objective + 1e-6,
            "{bound} > {}",
            plan.totals.objective
        );
    }

    /// With a late day worth 100, what the windowed LP proves (300) is worth three late
    /// days, so plans late by one or two days get LPs of their own: with the camp's
    /// airfield open a day longer the C-130 flies two more containers (150), two days
    /// longer all eight (0). Plans a day late pay at least 150 and a late day, plans two
    /// days late two late days, later ones three: the bound is 200, the optimum (two days
    /// late, everything flown).
    #[test]
    fn plans_a_few_days_late_get_a_windowed_lp_of_their_own() {
        let text =
            include_str!("../tests/data/airlift.toml").replace("lateness = 1000", "lateness = 100");
        let s = scenario::load_str("airlift.toml", &text).unwrap().scenario;
        let cfg = BoundConfig {
            hard_max_columns: 0,
            ..BoundConfig::default()
        };
        let (b, windowed) = windowed_bound(&s, &cfg);
        assert_eq!(
            windowed,
            [(0, Some(300.0)), (1, Some(150.0)), (2, Some(0.0))]
        );
        assert_eq!(b.objective.round(), 200.0);
        assert_checked_plan_above(&s, b.objective);
    }
}
