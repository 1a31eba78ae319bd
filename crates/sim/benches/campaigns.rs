//! Campaigns per second on the MINUSMA scenario, for each policy. A plain main that
//! prints figures (no timing is asserted anywhere); the numbers are recorded in
//! `docs/benchmarks.md`. Run with `cargo bench -p sim` (arguments: campaigns for the
//! hold policy, then for the re-plan policy; defaults 20000 and 20).

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let hold_runs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let replan_runs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/minusma-2023.toml"
    );
    let text = std::fs::read_to_string(path).expect("the MINUSMA scenario ships");
    let s = scenario::load_str("minusma-2023.toml", &text)
        .expect("the MINUSMA scenario is valid")
        .scenario;
    let start = Instant::now();
    let plan = planner::plan(&s, &planner::Config::default(), &mut |_, _| {}).expect("a plan");
    let plan_secs = start.elapsed().as_secs_f64();
    println!(
        "MINUSMA: {} convoy legs, {} flights; planner {plan_secs:.2} s; {} rayon threads",
        plan.convoys.len(),
        plan.flights.len(),
        rayon::current_num_threads()
    );
    let policies = [
        (sim::Policy::Hold, hold_runs),
        (
            sim::Policy::Replan {
                after_days: 7,
                max_replans: 3,
            },
            replan_runs,
        ),
    ];
    for (policy, runs) in policies.into_iter().filter(|&(_, runs)| runs > 0) {
        let cfg = sim::Config {
            runs,
            seed: 1,
            policy,
        };
        let start = Instant::now();
        let sum = sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates");
        let secs = start.elapsed().as_secs_f64();
        let worst = sum
            .sites
            .iter()
            .min_by(|a, b| a.on_time.mean.total_cmp(&b.on_time.mean))
            .expect("sites");
        println!(
            "{:<6} {runs:>6} campaigns in {secs:>7.2} s: {:>8.0} campaigns/s \
             (replans/campaign {:.2}; least likely on time: {} {:.3} +/- {:.3})",
            policy.name(),
            runs as f64 / secs,
            sum.events.replans.mean,
            s.site(worst.site).id,
            worst.on_time.mean,
            worst.on_time.se,
        );
    }
}
