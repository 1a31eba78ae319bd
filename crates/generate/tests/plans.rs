//! Property test: the constructive planner makes a plan for every generated scenario of
//! 5 to 60 sites, and the independent checker accepts it.

use crate::{load, plan_and_check};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};

proptest! {
    // A fixed seed keeps CI deterministic (a failure is a failure on every run); shrinking
    // is capped because every case runs the planner.
    #![proptest_config(Config {
        cases: 32,
        max_shrink_iters: 16,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(20_230_701),
        ..Config::default()
    })]

    #[test]
    fn generated_scenarios_get_checked_plans(
        sites in 5usize..=60,
        days in 60u32..=240,
        seed in any::<u64>(),
    ) {
        let (_, l) = load(sites, days, seed);
        if let Err(e) = plan_and_check(&l.scenario) {
            panic!(
                "reproduce: drawdown generate --sites {sites} --days {days} --seed {seed} \
                 --out g.toml && drawdown plan g.toml\n{e}"
            );
        }
    }
}

/// Generated scenarios on which the constructive planner lets a hub's rear guard leave
/// while transit vehicles still wait at the hub (V027). A known planner bug (open in the
/// session note): remove the `ignore` once it is fixed. Run with
/// `cargo test --release -p generate -- --ignored`.
#[test]
#[ignore = "planner bug: a hub's rear guard leaves before transit vehicles (V027)"]
fn hub_rear_guard_stays_until_transit_vehicles_leave() {
    for (sites, days, seed) in [(45, 180, 16), (60, 180, 1), (60, 120, 104), (300, 180, 1)] {
        let (_, l) = load(sites, days, seed);
        if let Err(e) = plan_and_check(&l.scenario) {
            panic!("--sites {sites} --days {days} --seed {seed}: {e}");
        }
    }
}
