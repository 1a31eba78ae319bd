//! What-if latency on the MINUSMA scenario, phase by phase, and through the router.
//!
//! `cargo bench -p server --bench whatif` prints the median of 7 runs of each phase:
//! applying the changes and validating (`apply`), planning, the checker, the page model,
//! serialising the answer, and the whole request through `server::app`.

use axum::body::{Body, to_bytes};
use axum::http::Request;
use server::whatif::{self, Change};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const RUNS: usize = 7;

/// Policies the base plan tries (`drawdown plan`'s default); what-ifs run the winner only.
const EFFORT: usize = 6;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time of this thread so far (Linux: the first field of `/proc/thread-self/schedstat`,
/// in nanoseconds), so that the figures mean something on a machine shared with builds.
fn cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        text.split_whitespace().next()?.parse().ok()?,
    ))
}

/// Median wall time and median CPU time (zero where unknown) of `f` over [`RUNS`] runs.
fn time<T>(f: impl Fn() -> T) -> ((Duration, Duration), T) {
    let (mut wall, mut busy) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..RUNS {
        let (t, c) = (Instant::now(), cpu());
        last = Some(f());
        wall.push(t.elapsed());
        busy.push(cpu().zip(c).map_or(Duration::ZERO, |(b, a)| b - a));
    }
    (
        (median(wall), median(busy)),
        last.expect("at least one run"),
    )
}

fn main() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/minusma-2023.toml"
    );
    let text = std::fs::read_to_string(file).unwrap();
    let base = server::Base::load(
        "minusma-2023.toml",
        &text,
        EFFORT,
        dashboard::Extras::default(),
    )
    .unwrap();
    let changes = [Change::CloseRoad {
        road: "kidal-gao".into(),
        from: "2023-08-01".parse().unwrap(),
        until: "2023-11-05".parse().unwrap(),
    }];
    let ms = |(w, c): (Duration, Duration)| {
        format!(
            "{:8.1} ms wall {:8.1} ms CPU",
            w.as_secs_f64() * 1e3,
            c.as_secs_f64() * 1e3
        )
    };
    let (t_apply, applied) = time(|| whatif::apply(&base.file, &base.text, &changes).unwrap());
    let s = applied.scenario;
    let (t_plan, plan) =
        time(|| planner::plan(&s, &planner::Config::default(), &mut |_, _| {}).unwrap());
    let (t_file, pf) = time(|| scenario::planfile::to_file(&s, &plan, Default::default()));
    let (t_check, report) = time(|| scenario::check::verify(&s, &pf));
    assert!(report.is_feasible());
    let (t_view, view) = time(|| dashboard::build(&s, &plan, &dashboard::Extras::default()));
    let (t_json, bytes) = time(|| serde_json::to_vec(&view).unwrap());
    let state = server::AppState::new(base);
    let body = r#"{"changes":[{"kind":"close_road","road":"kidal-gao","from":"2023-08-01","until":"2023-11-05"}]}"#;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (t_request, status) = time(|| {
        rt.block_on(async {
            let req = Request::post("/api/whatif").body(Body::from(body)).unwrap();
            let res = server::app(state.clone()).oneshot(req).await.unwrap();
            let status = res.status();
            to_bytes(res.into_body(), usize::MAX).await.unwrap();
            status
        })
    });
    assert_eq!(status, 200);
    println!("what-if on MINUSMA (close kidal-gao 2023-08-01..2023-11-05), median of {RUNS} runs:");
    println!("  apply + validate + lower  {}", ms(t_apply));
    println!("  plan                      {}", ms(t_plan));
    println!("  plan file                 {}", ms(t_file));
    println!("  checker                   {}", ms(t_check));
    println!("  page model                {}", ms(t_view));
    println!(
        "  answer JSON ({:3} KiB)    {}",
        bytes.len() / 1024,
        ms(t_json)
    );
    println!(
        "  whole request (router)    {:8.1} ms wall (planning on the blocking pool)",
        t_request.0.as_secs_f64() * 1e3
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "  load average at the end: {}",
        load.split_whitespace().next().unwrap_or("?")
    );
}
