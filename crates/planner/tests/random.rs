//! Property test: random small valid scenarios always get a plan that passes the checker.

use crate::{assert_bound_below, assert_checked, check_replan, load, plan_checked};
use proptest::prelude::*;
use std::fmt::Write;

/// SplitMix64: a tiny deterministic generator, so a failing case is reproduced by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn int(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.int(1, 100) <= pct
    }
}

/// A random small scenario as TOML: bases around a hub, one or two exits, fleets at the
/// hub, sometimes aircraft, restrictions, rear guards, `after` and capacity limits. The
/// horizon is long, so a plan always exists.
pub fn random_scenario(seed: u64) -> String {
    let mut r = Rng(seed);
    let mut t = String::new();
    let nb = r.int(1, 4) as usize;
    let nc = r.int(1, 3) as usize;
    let two_exits = r.chance(50);
    let air = r.chance(50);
    writeln!(t, "[scenario]\nname = \"random {seed}\"\n").unwrap();
    writeln!(t, "[horizon]\nstart = 2023-07-01\nend = 2024-06-30\n").unwrap();
    writeln!(t, "[abandon]\nallowed = {}\n", r.chance(30)).unwrap();
    for c in 0..nc {
        writeln!(t, "[[contingent]]\nid = \"c{c}\"\n").unwrap();
    }
    let date = |d: u64| {
        let base = jiff::civil::date(2023, 7, 1);
        base.checked_add(jiff::Span::new().days(d as i64))
            .unwrap()
            .to_string()
    };
    // Totals, to size the fleets so that a plan exists within the year.
    let (mut all_teu, mut all_people) = (0u64, 0u64);
    // The hub.
    let hub_teu = r.int(0, 40);
    let hub_people = r.int(10, 80);
    all_teu += hub_teu;
    all_people += hub_people;
    writeln!(
        t,
        "[[site]]\nid = \"hub\"\nkind = \"hub\"\nlat = 16.0\nlon = 0.0\nteu = {}\npersonnel = {{ c0 = {} }}\nrear_guard = {}\nclose_by = {}",
        hub_teu,
        hub_people,
        r.int(0, 10),
        date(r.int(60, 200))
    )
    .unwrap();
    if r.chance(50) {
        writeln!(t, "handling_teu_per_day = {}", r.int(10, 60)).unwrap();
    }
    if air {
        writeln!(
            t,
            "airfield = {{ runway_m = 2500, paved = true, slots_per_day = {} }}",
            r.int(2, 8)
        )
        .unwrap();
    }
    if nb > 1 && r.chance(50) {
        writeln!(t, "after = [\"b0\"]").unwrap();
    }
    writeln!(t).unwrap();
    for b in 0..nb {
        let people: Vec<u64> = (0..nc).map(|_| r.int(0, 150)).collect();
        let total: u64 = people.iter().sum();
        let teu = r.int(0, 120);
        all_teu += teu;
        all_people += total;
        let personnel: Vec<String> = people
            .iter()
            .enumerate()
            .map(|(c, n)| format!("c{c} = {n}"))
            .collect();
        let nbf = r.int(0, 40);
        writeln!(
            t,
            "[[site]]\nid = \"b{b}\"\nkind = \"base\"\nlat = {}\nlon = {}\npersonnel = {{ {} }}\nteu = {}\nvehicles = {}\nrear_guard = {}\nnot_before = {}\nclose_by = {}",
            16.0 + r.int(1, 30) as f64 / 10.0,
            r.int(0, 30) as f64 / 10.0,
            personnel.join(", "),
            teu,
            r.int(0, 40),
            r.int(0, total.min(30)),
            date(nbf),
            date(nbf + r.int(10, 90)),
        )
        .unwrap();
        if b > 0 && r.chance(30) {
            writeln!(t, "after = [\"b{}\"]", b - 1).unwrap();
        }
        if r.chance(40) {
            writeln!(t, "handling_teu_per_day = {}", r.int(5, 40)).unwrap();
        }
        if air && r.chance(60) {
            let paved = r.chance(50);
            writeln!(
                t,
                "airfield = {{ runway_m = {}, paved = {paved} }}",
                r.int(900, 2500)
            )
            .unwrap();
        }
        writeln!(t).unwrap();
    }
    // Exits: x0 takes everything; x1, if any, only some contingents' personnel.
    writeln!(
        t,
        "[[site]]\nid = \"x0\"\nkind = \"exit\"\nlat = 13.5\nlon = 2.0\nexit = {{ accepts = [\"personnel\", \"teu\", \"vehicles\"], teu_per_day = {}, personnel_per_day = {} }}",
        r.int(20, 200),
        r.int(50, 500)
    )
    .unwrap();
    if air {
        writeln!(t, "airfield = {{ runway_m = 3000, paved = true }}").unwrap();
    }
    writeln!(t).unwrap();
    if two_exits {
        writeln!(
            t,
            "[[site]]\nid = \"x1\"\nkind = \"exit\"\nlat = 15.0\nlon = -3.0\nexit = {{ accepts = [\"personnel\"], contingents = [\"c0\"] }}\n"
        )
        .unwrap();
    }
    // Roads: every base to the hub (sometimes base to base), hub to the exits.
    let mut escort_roads = false;
    let mut road = |t: &mut String, r: &mut Rng, from: &str, to: &str| {
        let hazard = r.int(0, 3);
        escort_roads |= hazard >= 2;
        write!(
            t,
            "[[road]]\nfrom = \"{from}\"\nto = \"{to}\"\nkm = {}\nhazard = {hazard}\n",
            r.int(40, 500)
        )
        .unwrap();
        if r.chance(30) {
            writeln!(t, "max_convoy = {}", r.int(8, 40)).unwrap();
        }
        if r.chance(30) {
            writeln!(t, "vehicles_per_day = {}", r.int(20, 80)).unwrap();
        }
        if r.chance(20) {
            let d = r.int(0, 60);
            writeln!(
                t,
                "closed = [{{ from = {}, until = {} }}]",
                date(d),
                date(d + r.int(0, 10))
            )
            .unwrap();
        }
        writeln!(t).unwrap();
    };
    for b in 0..nb {
        if b > 0 && r.chance(25) {
            road(&mut t, &mut r, &format!("b{b}"), &format!("b{}", b - 1));
        } else {
            road(&mut t, &mut r, &format!("b{b}"), "hub");
        }
    }
    road(&mut t, &mut r, "hub", "x0");
    if two_exits {
        road(&mut t, &mut r, "hub", "x1");
    }
    // Fleets at the hub, sized so that a few round trips move everything: a random
    // scenario must be plannable for the property to mean anything. Escorts cover a full
    // team.
    let truck_teu = r.int(1, 2);
    let trucks = (all_teu / (truck_teu * r.int(3, 6))).max(3);
    let seats = r.int(20, 50);
    let buses = (all_people / (seats * r.int(2, 4))).max(1);
    writeln!(
        t,
        "[[fleet]]\nid = \"trucks\"\nkind = \"truck\"\nhome = \"hub\"\ncount = {trucks}\nteu = {truck_teu}\n"
    )
    .unwrap();
    writeln!(
        t,
        "[[fleet]]\nid = \"buses\"\nkind = \"carrier\"\nhome = \"hub\"\ncount = {buses}\nseats = {seats}\n"
    )
    .unwrap();
    if escort_roads || r.chance(50) {
        let cover = r.int(8, 20);
        writeln!(
            t,
            "[[fleet]]\nid = \"escorts\"\nkind = \"escort\"\nhome = \"hub\"\ncount = {}\ncover = {cover}\n",
            (trucks + buses + 40).div_ceil(cover) + r.int(0, 2)
        )
        .unwrap();
    }
    if air {
        writeln!(
            t,
            "[[aircraft]]\nid = \"c130\"\nhome = \"hub\"\ncount = {}\nseats = 90\npayload_teu = 1\nmin_runway_m = 1100\nspeed_kmh = 500\nsorties_per_day = {}\n",
            r.int(1, 2),
            r.int(1, 2)
        )
        .unwrap();
    }
    if r.chance(40) {
        let d = r.int(0, 60);
        writeln!(
            t,
            "[[restriction]]\nid = \"r0\"\nreason = \"permission refused\"\nfrom = {}\nuntil = {}\nsites = [\"b0\"]\n",
            date(d),
            date(d + r.int(0, 14))
        )
        .unwrap();
    }
    t
}

/// Every loaded convoy's road, origin, departure and load, in a fixed order: what a
/// routing of the fleets must leave as it was.
fn loads(p: &model::Plan) -> Vec<String> {
    let mut v: Vec<String> = p
        .convoys
        .iter()
        .filter(|c| !c.load.is_empty())
        .map(|c| format!("{:?}", (c.road, c.from, c.depart, &c.load)))
        .collect();
    v.sort();
    v
}

/// The property tests' settings: 96 cases drawn from a fixed seed, so that every run (CI's
/// among them) tries the same cases and takes the same time. With a random seed per run, a
/// case once kept HiGHS's interior point method (a windowed LP of the coarse-bound test)
/// busy for over 15 minutes, and 1,900 other cases could not find it again. Set
/// `PROPTEST_RNG_SEED` to try other cases.
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    let rng_seed = match default.rng_seed {
        proptest::test_runner::RngSeed::Random => proptest::test_runner::RngSeed::Fixed(2026),
        chosen => chosen,
    };
    ProptestConfig {
        cases: 96,
        rng_seed,
        ..default
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_scenarios_get_checked_plans(seed in any::<u64>()) {
        let text = random_scenario(seed);
        if std::env::var_os("DRAWDOWN_DUMP").is_some() {
            std::fs::write(format!("/tmp/random-{seed}.toml"), &text).unwrap();
        }
        let s = load(&format!("random-{seed}.toml"), &text);
        plan_checked(&format!("random-{seed}"), &s);
    }

    #[test]
    fn replanning_from_any_day_passes_the_checker(seed in any::<u64>(), cut in 0u32..120) {
        let text = random_scenario(seed);
        let s = load(&format!("random-{seed}.toml"), &text);
        let (plan, _) = plan_checked(&format!("random-{seed}"), &s);
        check_replan(&format!("random-{seed}"), &s, &plan, model::Period(cut));
    }

    /// Coarse LP periods (and the hard-deadline LP's finer window inside them) keep the
    /// bound a relaxation: arrivals land early, or in a range of periods at closed sites.
    /// So does pricing the makespan into the hard LP, with its cases solved again over
    /// days or not, whatever the makespan weighs.
    #[test]
    fn the_coarse_bound_never_exceeds_a_checked_plan(
        seed in any::<u64>(),
        k in 2u32..20,
        window in 1u32..6,
        refinements in 0u32..3,
        makespan in prop::sample::select(vec![10u32, 1_000, 100_000]),
    ) {
        let name = format!(
            "random-{seed} at {k}-day periods, window {window}, {refinements} makespan \
             refinements, makespan weight {makespan}"
        );
        let text = random_scenario(seed).replacen(
            "[horizon]",
            &format!("[objective]\nmakespan = {makespan}\n\n[horizon]"),
            1,
        );
        let s = load(&format!("random-{seed}.toml"), &text);
        let (plan, _) = plan_checked(&name, &s);
        let cfg = planner::BoundConfig {
            aggregate: Some(k),
            hard_window: Some(window),
            makespan_refinements: refinements,
            completion: false,
            ..planner::BoundConfig::default()
        };
        let b = planner::bound(&s, &cfg).unwrap_or_else(|e| panic!("{name}: no bound: {e}"));
        let objective = plan.totals.objective;
        prop_assert!(
            b.objective <= objective + 1e-6 * objective.abs().max(1.0),
            "{}: bound {} above the plan's objective {}", name, b.objective, objective
        );
    }

    /// The static LP (one period over the whole horizon), with fleets at their homes or
    /// pooled across them, is a relaxation too.
    #[test]
    fn the_static_bound_never_exceeds_a_checked_plan(seed in any::<u64>(), pooled in any::<bool>()) {
        let name = format!("random-{seed}, static LP, pooled {pooled}");
        let text = random_scenario(seed);
        let s = load(&format!("random-{seed}.toml"), &text);
        let (plan, _) = plan_checked(&name, &s);
        let cfg = planner::BoundConfig {
            max_columns: 0,
            pooled: Some(pooled),
            completion: false,
            ..planner::BoundConfig::default()
        };
        let b = planner::bound(&s, &cfg).unwrap_or_else(|e| panic!("{name}: no bound: {e}"));
        prop_assert_eq!(b.aggregate, s.horizon.periods);
        let objective = plan.totals.objective;
        prop_assert!(
            b.objective <= objective + 1e-6 * objective.abs().max(1.0),
            "{}: bound {} above the plan's objective {}", name, b.objective, objective
        );
    }

    /// Routing a plan's fleets again (`planner::reroute`) keeps it feasible, moves the
    /// same loads on the same roads at the same times, and lowers the objective, but never
    /// below the bound.
    #[test]
    fn rerouted_fleets_keep_plans_feasible_and_above_the_bound(seed in any::<u64>()) {
        let name = format!("random-{seed}, fleets re-routed");
        let text = random_scenario(seed);
        let s = load(&format!("random-{seed}.toml"), &text);
        let (plan, _) = plan_checked(&name, &s);
        if let Some(better) = planner::reroute(&s, &plan) {
            assert_checked(&name, &s, &better);
            prop_assert!(better.totals.objective < plan.totals.objective);
            prop_assert_eq!(loads(&plan), loads(&better));
            prop_assert_eq!(&plan.flights, &better.flights);
            assert_bound_below(&name, &s, &better);
        }
    }

    /// Routing from a day (`planner::reroute_from`, as a re-plan does) keeps the convoys
    /// that leave before it exactly as they were, ids and units, keeps the plan feasible
    /// and the loads where they were, and lowers the objective.
    #[test]
    fn fleets_rerouted_from_a_day_keep_the_past(seed in any::<u64>(), cut in 0.0..1.0f64) {
        let name = format!("random-{seed}, fleets re-routed from {cut:.2} of the plan");
        let text = random_scenario(seed);
        let s = load(&format!("random-{seed}.toml"), &text);
        let (plan, _) = plan_checked(&name, &s);
        let last = plan.convoys.iter().map(|c| c.depart.0).max().unwrap_or(0);
        let now = model::Period((f64::from(last) * cut) as u32);
        if let Some(better) = planner::reroute_from(&s, &plan, now) {
            assert_checked(&name, &s, &better);
            prop_assert!(better.totals.objective < plan.totals.objective);
            let past = |p: &model::Plan| {
                let mut v: Vec<model::Convoy> =
                    p.convoys.iter().filter(|c| c.depart < now).cloned().collect();
                v.sort_by(|a, b| a.id.cmp(&b.id));
                v
            };
            prop_assert_eq!(past(&plan), past(&better));
            prop_assert_eq!(loads(&plan), loads(&better));
        }
    }

    #[test]
    fn the_bound_never_exceeds_a_checked_plan(seed in any::<u64>()) {
        let text = random_scenario(seed);
        let s = load(&format!("random-{seed}.toml"), &text);
        let (plan, _) = plan_checked(&format!("random-{seed}"), &s);
        assert_bound_below(&format!("random-{seed}"), &s, &plan);
    }
}
