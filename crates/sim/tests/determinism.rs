//! The same seed gives the same result on any number of threads; another seed another.

use crate::{load_file, plan_checked};
use sim::{Config, Policy, Summary};

fn on_threads(threads: usize, f: impl FnOnce() -> Summary + Send) -> Summary {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(f)
}

#[test]
fn the_seed_alone_decides_the_result() {
    let s = load_file("scenarios/minusma-2023.toml");
    let plan = plan_checked("minusma-2023", &s);
    let run = |seed: u64, threads: usize| {
        let cfg = Config {
            runs: 300,
            seed,
            policy: Policy::Hold,
        };
        on_threads(threads, || {
            sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates")
        })
    };
    let one = run(42, 1);
    assert_eq!(one, run(42, 2), "1 and 2 threads");
    assert_eq!(one, run(42, 4), "1 and 4 threads");
    assert_ne!(one, run(43, 2), "another seed, another result");
    // Hazards do hit: the MINUSMA hazards make something happen in every campaign.
    assert!(one.events.incidents.mean > 1.0);
    // A campaign depends only on (seed, index): running it alone gives the same outcome.
    let alone = sim::campaign(&s, &plan, Policy::Hold, 42, 7).expect("runs");
    assert_eq!(
        alone,
        sim::campaign(&s, &plan, Policy::Hold, 42, 7).expect("runs")
    );
    let x = one
        .sites
        .iter()
        .position(|x| s.site(x.site).id == "gao")
        .expect("gao");
    let gao = one.sites[x].site.idx();
    assert_eq!(
        alone.closure[gao] <= s.sites[gao].close_by.expect("a deadline").0,
        one.sites[x].on_time_runs[7]
    );
}

#[test]
fn re_planning_campaigns_are_deterministic_too() {
    let s = load_file("scenarios/minusma-2023.toml");
    let plan = plan_checked("minusma-2023", &s);
    let cfg = Config {
        runs: 4,
        seed: 8,
        policy: Policy::Replan {
            after_days: 7,
            max_replans: 2,
        },
    };
    let run = |threads| {
        on_threads(threads, || {
            sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates")
        })
    };
    let one = run(1);
    assert!(one.events.replans.mean > 0.0, "the hazards force re-plans");
    assert_eq!(one, run(2));
}

#[test]
fn common_random_numbers_make_paired_differences_tight() {
    let s = load_file("scenarios/minusma-2023.toml");
    let plan = plan_checked("minusma-2023", &s);
    let cfg = Config {
        runs: 300,
        seed: 5,
        policy: Policy::Hold,
    };
    let a = sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates");
    // The same what-if run twice differs by exactly nothing, with a zero standard error.
    let b = sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates");
    for d in sim::compare(&a, &b) {
        assert!(d.paired);
        assert_eq!((d.diff.mean, d.diff.se), (0.0, 0.0));
    }
}
