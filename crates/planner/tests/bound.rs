//! Hand-worked bounds: tiny scenarios whose optimum is known, where a part of the bound
//! must reach it. Every plan made here passes the checker and stays above the bound.

use crate::{assert_bound_below, load, plan_checked};

/// One base with 12 TEU, one day by road from a port; plenty of trucks; objective: 10 per
/// day of makespan and the abandonment penalty. `exit` and `handling` are the optional
/// per-day limits of the port's intake and the base's loading.
fn port(penalty: u32, exit: Option<u32>, handling: Option<u32>) -> String {
    let exit_cap = exit.map_or(String::new(), |c| format!(", teu_per_day = {c}"));
    let handling = handling.map_or(String::new(), |c| format!("handling_teu_per_day = {c}\n"));
    format!(
        r#"[scenario]
name = "port"

[horizon]
start = 2023-07-01
end = 2023-07-31

[objective]
lateness = 1000
makespan = 10
exposure = 0.0

[abandon]
allowed = true
teu_penalty = {penalty}
vehicle_penalty = {penalty}

[[contingent]]
id = "troops"

[[site]]
id = "camp"
kind = "base"
lat = 14.50
lon = -4.10
teu = 12
{handling}
[[site]]
id = "port"
kind = "exit"
lat = 13.50
lon = -4.10
exit = {{ accepts = ["teu"]{exit_cap} }}

[[road]]
from = "camp"
to = "port"
km = 100
hazard = 0

[[fleet]]
id = "trucks"
kind = "truck"
home = "camp"
count = 12
teu = 2
"#
    )
}

/// The bound of `text` (checked against the plan) and the makespan it charges.
fn check(name: &str, text: &str, objective: f64, charged_days: u32) {
    let s = load(name, text);
    let (plan, _) = plan_checked(name, &s);
    let b = assert_bound_below(name, &s, &plan);
    assert!(
        (b.objective - objective).abs() < 1e-6,
        "{name}: bound {} instead of {objective} (makespan charged {} days)",
        b.objective,
        b.makespan_charged_days
    );
    assert_eq!(b.makespan_charged_days, charged_days, "{name}");
    assert!(b.makespan_charged_days >= b.makespan_days, "{name}");
}

/// The port takes 3 TEU a day, so the 12 TEU arrive on days 1 to 4: makespan 4 days,
/// objective 40. Any plan may abandon the TEU and finish on day 1, so the unconditional
/// makespan bound is 1 day; but finishing a day sooner means abandoning 3 TEU (300) to
/// save 10, so the bound charges the 4 days and proves the optimum.
#[test]
fn exit_intake_charges_the_makespan_abandoning_would_save() {
    check("intake", &port(100, Some(3), None), 40.0, 4);
}

/// The camp loads 3 TEU a day, so the last of the 12 leaves on day 3 and arrives on day
/// 4: the same optimum, proven by the handling rate.
#[test]
fn handling_rate_charges_the_makespan_abandoning_would_save() {
    check("handling", &port(100, None, Some(3)), 40.0, 4);
}

/// With a penalty of 1 per TEU the optimum abandons 9 TEU and ships 3 on day 0 (arriving
/// day 1): 9 + 10 = 19, below the 40 of shipping everything; the bound finds that case.
#[test]
fn cheap_abandonment_lowers_the_charged_makespan() {
    check("cheap", &port(1, Some(3), None), 19.0, 1);
}
