//! The hand-worked examples in `scenarios/examples/`: each states its optimal closure
//! dates and makespan in `# expect-closure: SITE DATE` and `# expect-makespan-days: N`
//! comment lines, worked out by hand in the file. The planner must reach them.

use crate::{assert_bound_below, load, plan_checked, root};

/// What an example file claims about its optimum.
struct Expect {
    closures: Vec<(String, String)>,
    makespan_days: Option<u32>,
}

fn expectations(text: &str) -> Expect {
    let mut e = Expect {
        closures: Vec::new(),
        makespan_days: None,
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# expect-closure:") {
            let mut it = rest.split_whitespace();
            let (site, date) = (it.next().unwrap(), it.next().unwrap());
            e.closures.push((site.to_string(), date.to_string()));
        } else if let Some(rest) = line.strip_prefix("# expect-makespan-days:") {
            e.makespan_days = Some(rest.trim().parse().unwrap());
        }
    }
    e
}

/// Plan the example `name`, check the plan, and compare it with the hand-worked optimum.
fn check(name: &str) {
    let path = root().join("scenarios/examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let expect = expectations(&text);
    assert!(
        !expect.closures.is_empty(),
        "{name} states no expect-closure lines"
    );
    let s = load(name, &text);
    let (plan, file) = plan_checked(name, &s);
    assert_bound_below(name, &s, &plan);
    let mut got: Vec<(String, String)> = file
        .sites
        .iter()
        .filter_map(|r| r.closure.clone().map(|c| (r.site.clone(), c)))
        .collect();
    got.sort();
    let mut want = expect.closures.clone();
    want.sort();
    assert_eq!(
        got, want,
        "{name}: closures differ from the hand-worked optimum"
    );
    if let Some(m) = expect.makespan_days {
        assert_eq!(file.totals.makespan_days, m, "{name}: makespan");
    }
}

#[test]
fn road_shuttle() {
    check("road-shuttle.toml");
}

#[test]
fn airlift_runway() {
    check("airlift-runway.toml");
}

#[test]
fn rear_guard() {
    check("rear-guard.toml");
}

#[test]
fn restriction_window() {
    check("restriction-window.toml");
}

#[test]
fn after_order() {
    check("after-order.toml");
}

#[test]
fn escort_bottleneck() {
    check("escort-bottleneck.toml");
}
