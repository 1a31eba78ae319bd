//! The re-planning policy: when the plan cannot go on, the planner plans the rest.

use crate::{assert_feasible, load};
use model::{Convoy, FleetId, Load, Period, Plan, RoadId, SiteId};
use sim::{Config, Policy};

/// Two truck contractors at `camp`; the plan uses `first`, whose contract surely ends on
/// day 1, so its return trip and the last load are cancelled.
const TEXT: &str = r#"
[scenario]
name = "a contract ends"
[horizon]
start = 2023-07-01
end = 2023-07-31
[[site]]
id = "camp"
kind = "base"
lat = 14.5
lon = -4.0
teu = 4
close_by = 2023-07-04
[[site]]
id = "port"
kind = "exit"
lat = 14.0
lon = -4.0
exit = { accepts = ["teu"] }
[[road]]
from = "camp"
to = "port"
km = 100
[[fleet]]
id = "first"
kind = "truck"
home = "camp"
count = 1
teu = 2
[[fleet]]
id = "second"
kind = "truck"
home = "camp"
count = 1
teu = 2
[[hazards.departure]]
id = "contract-ends"
fleet = "first"
from = 2023-07-02
until = 2023-07-02
"#;

fn plan() -> Plan {
    let (camp, port) = (SiteId(0), SiteId(1));
    let leg = |id: &str, from, to, day: u32, teu| Convoy {
        id: id.to_string(),
        road: RoadId(0),
        from,
        to,
        depart: Period(day),
        arrive: Period(day + 1),
        units: vec![(FleetId(0), 1)],
        load: Load {
            personnel: Vec::new(),
            teu,
            vehicles: 0,
        },
    };
    Plan {
        convoys: vec![
            leg("C1", camp, port, 0, 2),
            leg("C2", port, camp, 1, 0),
            leg("C3", camp, port, 2, 2),
        ],
        ..Plan::default()
    }
}

/// Simulate under `policy` and return (on time, not closed, re-plans) of camp.
fn check(policy: Policy, want: (f64, f64, f64)) {
    let s = load("contract.toml", TEXT);
    let mut plan = plan();
    planner::summarize(&s, &mut plan);
    assert_feasible("contract", &s, &plan);
    let cfg = Config {
        runs: 20,
        seed: 1,
        policy,
    };
    let sum = sim::simulate(&s, &plan, &cfg, &|_, _| {}).expect("simulates");
    let camp = &sum.sites[0];
    let got = (
        camp.on_time.mean,
        camp.not_closed.mean,
        sum.events.replans.mean,
    );
    assert_eq!(got, want, "{policy:?}");
}

#[test]
fn re_planning_recovers_what_holding_cannot() {
    // Holding: the last 2 TEU never leave.
    check(Policy::Hold, (0.0, 1.0, 0.0));
    // Re-planning on day 2 sends them with the second contractor on day 2: closed day 3.
    check(
        Policy::Replan {
            after_days: 5,
            max_replans: 1,
        },
        (1.0, 0.0, 1.0),
    );
}
