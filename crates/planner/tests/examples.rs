//! The hand-worked examples in `scenarios/examples/`: each states its optimal closure
//! dates and makespan in `# expect-closure: SITE DATE` and `# expect-makespan-days: N`
//! comment lines, worked out by hand in the file. The planner must reach them, and the
//! bound on the earliest completion must not exceed the optimal makespan (and equal it in
//! every example but `rear-guard`, where the LP relaxation is not tight).

use crate::{assert_bound_below, assert_checked, load, plan_checked, root};

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
/// Whether the completion LP alone reaches the hand-worked optimal makespan.
#[derive(PartialEq)]
enum Tight {
    /// It does: the LP relaxation proves the optimum.
    Yes,
    /// It does not (the example turns on a rule the LP leaves out).
    No,
}

fn check_with(name: &str, tight: Tight) {
    let path = root().join("scenarios/examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let expect = expectations(&text);
    assert!(
        !expect.closures.is_empty(),
        "{name} states no expect-closure lines"
    );
    let s = load(name, &text);
    let (plan, file) = plan_checked(name, &s);
    let b = assert_bound_below(name, &s, &plan);
    if let Some(m) = expect.makespan_days {
        // The earliest-completion bound never exceeds the hand-worked optimum, and equals
        // it where the completion LP is tight.
        let lp = b.completion.as_ref().map(|c| c.days);
        assert!(
            b.makespan_days <= m,
            "{name}: makespan bound {} above the optimum {m}",
            b.makespan_days
        );
        if tight == Tight::Yes {
            assert_eq!(lp, Some(m), "{name}: the completion LP should be tight");
        }
    }
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
    check_with("road-shuttle.toml", Tight::Yes);
}

#[test]
fn airlift_runway() {
    check_with("airlift-runway.toml", Tight::Yes);
}

/// The completion LP proves 3 days, one short of the optimum of 4: the rear guard, which
/// keeps personnel at the camp until the last container leaves, is not in the LP.
#[test]
fn rear_guard() {
    check_with("rear-guard.toml", Tight::No);
}

#[test]
fn restriction_window() {
    check_with("restriction-window.toml", Tight::Yes);
}

#[test]
fn after_order() {
    check_with("after-order.toml", Tight::Yes);
}

#[test]
fn escort_bottleneck() {
    check_with("escort-bottleneck.toml", Tight::Yes);
}

/// The text of a hand-sized test scenario: one-day periods from 1 July 2023 to `end`, the
/// objective weights every example here uses (lateness 1000, makespan 10, exposure 0.001),
/// one contingent `troops`, then `body` (sites, roads, fleets).
fn scenario_text(name: &str, end: &str, body: &str) -> String {
    format!(
        "[scenario]\nname = \"{name}\"\n\n[horizon]\nstart = 2023-07-01\nend = {end}\nperiod_days = 1\n\n\
         [objective]\nlateness = 1000\nmakespan = 10\nexposure = 0.001\n\n\
         [[contingent]]\nid = \"troops\"\n\n{body}"
    )
}

/// Trucks whose last trip delivers to the exit stay there (`V042` allows it): in the road
/// shuttle, 3 trucks depart `camp` 8 times in all (3 + 3 + 2), and each departure after the
/// first three needs a truck to have driven back, so 5 empty returns are the fewest, and
/// the plan has no more.
#[test]
fn road_shuttle_trucks_end_their_last_trip_at_the_exit() {
    let path = root().join("scenarios/examples/road-shuttle.toml");
    let s = load("road-shuttle", &std::fs::read_to_string(path).unwrap());
    let (plan, _) = plan_checked("road-shuttle", &s);
    let site = |id: &str| model::SiteId(s.sites.iter().position(|x| x.id == id).unwrap() as u32);
    let units = |from: &str| -> u32 {
        plan.convoys
            .iter()
            .filter(|c| c.from == site(from))
            .flat_map(|c| c.units.iter().map(|&(_, n)| n))
            .sum()
    };
    assert_eq!(units("camp"), 8, "truck departures from camp");
    assert_eq!(units("port"), 5, "empty returns from the exit");
}

/// Escorts of stock vehicles that drive themselves leave them where their roads need no
/// more cover (`Config::escorts_leave_stock`), and so are free sooner. One escort, based
/// at `fort`, serves two camps whose roads to the junction `mid` need escorts; from `mid`
/// a safe road of 5 days leads to the port. `north` (5 vehicles and their 10 troops, due
/// first) goes first: its escort drives out to it (1 day) and rides to `mid` (1 day).
/// Riding on to the port and home, 5 + 7 days, it would be back on day 14, so `south`'s
/// trucks would load and leave on day 15; leaving the vehicles at `mid` and driving home
/// (2 days), it is back on day 4 and `south` closes on day 5, 10 days sooner.
#[test]
fn escorts_leave_stock_vehicles_where_their_roads_need_no_more() {
    let text = &scenario_text(
        "escorts leave stock vehicles",
        "2023-08-15",
        r#"
[[site]]
id = "fort"
kind = "base"
lat = 15.0
lon = -3.0

[[site]]
id = "north"
kind = "base"
lat = 15.5
lon = -3.0
personnel = { troops = 10 }
vehicles = 5
close_by = 2023-07-05

[[site]]
id = "south"
kind = "base"
lat = 14.5
lon = -3.0
teu = 8
close_by = 2023-07-30

[[site]]
id = "mid"
kind = "base"
lat = 15.0
lon = -2.5

[[site]]
id = "port"
kind = "exit"
lat = 15.0
lon = -1.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "fort"
to = "north"
km = 50
days = 1
hazard = 1

[[road]]
from = "fort"
to = "south"
km = 50
days = 1
hazard = 1

[[road]]
from = "north"
to = "mid"
km = 100
days = 1
hazard = 3

[[road]]
from = "south"
to = "mid"
km = 100
days = 1
hazard = 3

[[road]]
from = "mid"
to = "port"
km = 500
days = 5
hazard = 1

[[fleet]]
id = "trucks"
kind = "truck"
home = "south"
count = 4
teu = 2

[[fleet]]
id = "escort"
kind = "escort"
home = "fort"
count = 1
cover = 20
"#,
    );
    let s = load("escorts-leave-stock", text);
    let closure = |leave: bool, id: &str| -> u32 {
        let cfg = planner::Config {
            escorts_leave_stock: leave,
            ..planner::Config::default()
        };
        let plan = planner::plan(&s, &cfg, &mut |_, _| {}).unwrap();
        crate::assert_checked("escorts-leave-stock", &s, &plan);
        let row = plan.sites.iter().find(|o| o.site == site(&s, id)).unwrap();
        row.closure.unwrap().0
    };
    assert_eq!((closure(false, "north"), closure(true, "north")), (1, 1));
    assert_eq!(
        closure(false, "south"),
        15,
        "the escort rides to the port and home"
    );
    assert_eq!(
        closure(true, "south"),
        5,
        "the escort leaves at the junction"
    );
}

/// Personnel fly the aircraft that cannot carry containers when it serves them as well
/// (`choose` counts the container capacity of a flight's sorties): `north`'s 60 troops,
/// due first, fit one sortie of either the C-130 or the jet to the port, both landing the
/// next day. On the jet they leave the day's only C-130 sortie to `south`'s 2 containers,
/// which then leave on the first day too, not the second.
#[test]
fn personnel_leave_the_container_sorties_to_containers() {
    let text = &scenario_text(
        "personnel on the jet",
        "2023-07-31",
        r#"
[[site]]
id = "north"
kind = "base"
lat = 15.0
lon = -3.0
personnel = { troops = 60 }
close_by = 2023-07-02
airfield = { icao = "NNNN", runway_m = 2500, paved = true, slots_per_day = 4 }

[[site]]
id = "south"
kind = "base"
lat = 15.2
lon = -3.0
teu = 2
close_by = 2023-07-04
airfield = { icao = "SSSS", runway_m = 2500, paved = true, slots_per_day = 4 }

[[site]]
id = "port"
kind = "exit"
lat = 14.0
lon = -3.0
exit = { accepts = ["personnel", "teu", "vehicles"] }
airfield = { icao = "PPPP", runway_m = 3000, paved = true, slots_per_day = 10 }

[[road]]
from = "north"
to = "port"
km = 2000
hazard = 1

[[road]]
from = "south"
to = "port"
km = 2000
hazard = 1

[[aircraft]]
id = "c130"
home = "port"
count = 1
seats = 90
payload_teu = 2
min_runway_m = 1000
speed_kmh = 500
sorties_per_day = 1

[[aircraft]]
id = "jet"
home = "port"
count = 1
seats = 180
min_runway_m = 2000
speed_kmh = 800
sorties_per_day = 1
"#,
    );
    let s = load("personnel-on-the-jet", text);
    let (plan, _) = plan_checked("personnel-on-the-jet", &s);
    let id = |i: usize| s.aircraft[i].id.as_str();
    let flown: Vec<(&str, u32, u32, u32)> = plan
        .flights
        .iter()
        .map(|f| (id(f.aircraft.idx()), f.depart.0, f.load.teu, f.sorties))
        .collect();
    assert_eq!(flown, [("jet", 0, 0, 1), ("c130", 0, 2, 1)], "{flown:?}");
}

/// Escorts that join en route (`Config::escorts_join`) cover only the roads that need
/// them: trucks at `depot` drive a safe road to `camp`, load, and take the dangerous road
/// to the exit; the escort, based at `fort` next to `camp`, drives alone to `camp` and
/// back and rides only the dangerous road with the team, instead of the whole round trip
/// from `depot`. Without the option the planner has it ride the safe road from `depot` as
/// well, which the finishing passes then cut short. (Based at `camp` itself, it would wait
/// there in both cases, see `escorts_wait_at`.)
#[test]
fn escorts_join_en_route_only_where_the_road_needs_them() {
    let text = &scenario_text(
        "escorts join en route",
        "2023-07-31",
        r#"
[[site]]
id = "depot"
kind = "base"
lat = 14.0
lon = -4.0

[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
personnel = { troops = 4 }
teu = 8
vehicles = 2
close_by = 2023-07-20

[[site]]
id = "port"
kind = "exit"
lat = 16.0
lon = -2.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[site]]
id = "fort"
kind = "base"
lat = 15.1
lon = -3.0

[[road]]
from = "depot"
to = "camp"
km = 150
hazard = 1

[[road]]
from = "camp"
to = "port"
km = 150
hazard = 3

[[road]]
from = "fort"
to = "camp"
km = 20
hazard = 1

[[fleet]]
id = "trucks"
kind = "truck"
home = "depot"
count = 4
teu = 2

[[fleet]]
id = "escort"
kind = "escort"
home = "fort"
count = 1
cover = 10
"#,
    );
    let s = load("escorts-join", text);
    let escorted_km = |join: bool| -> (f64, f64) {
        let cfg = planner::Config {
            escorts_join: join,
            ..planner::Config::default()
        };
        let plan = planner::plan(&s, &cfg, &mut |_, _| {}).unwrap();
        crate::assert_checked("escorts-join", &s, &plan);
        let escort = s.fleets.iter().position(|f| f.id == "escort").unwrap() as u32;
        let mut km = (0.0, 0.0);
        for c in &plan.convoys {
            let n: u32 = c
                .units
                .iter()
                .filter(|(f, _)| f.0 == escort)
                .map(|&(_, n)| n)
                .sum();
            let road = &s.roads[c.road.idx()];
            if road.escort {
                km.0 += f64::from(n) * road.km;
            } else {
                km.1 += f64::from(n) * road.km;
            }
        }
        km
    };
    let (dangerous, safe) = escorted_km(true);
    assert!(dangerous > 0.0, "the escort covers the dangerous road");
    let (_, safe_whole_trip) = escorted_km(false);
    // Without the option the planner sends the escort on the whole trip from `depot`, but
    // the finishing passes then take its empty drives out and home onto its own short road
    // (`safer_drives_out`, `safer_returns`): it ends up driving no more than a joining one.
    assert!(
        safe <= safe_whole_trip && safe_whole_trip < 300.0,
        "a joining escort drives only between its fort and the camp ({safe} km), and so \
         does one that rode the whole trip once its empty drives are finished \
         ({safe_whole_trip} km)"
    );
}

/// Trucks from a far base whose last trip ends at a hub carry on to the exit, hub by hub,
/// in place of each hub's own trucks, and stay there, instead of driving home empty:
/// `camp`'s one truck brings its 8 TEU to `hub` in two trips; the hubs' stock and trucks
/// are ready only from day 10, when the camp truck has made its last trip, so it rides on
/// with the hub's stock to `depot` in place of one of the hub's trucks (which stays at
/// home, so its drive back from `depot` goes), and from `depot` to `port` in place of one
/// of the depot's (whose drive back from `port` goes too). The hub's smaller trucks cannot
/// take the depot's place, so only the camp truck carries on.
#[test]
fn far_trucks_carry_on_hub_by_hub_to_the_exit() {
    let text = &scenario_text(
        "carry on",
        "2023-08-31",
        r#"
[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
teu = 8
close_by = 2023-07-20

[[site]]
id = "hub"
kind = "hub"
lat = 14.0
lon = -4.0
teu = 8
not_before = 2023-07-11
close_by = 2023-08-20

[[site]]
id = "depot"
kind = "hub"
lat = 13.5
lon = -4.5
teu = 8
not_before = 2023-07-11
close_by = 2023-08-25

[[site]]
id = "port"
kind = "exit"
lat = 13.0
lon = -5.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "camp"
to = "hub"
km = 150
hazard = 1

[[road]]
from = "hub"
to = "depot"
km = 150
hazard = 1

[[road]]
from = "depot"
to = "port"
km = 150
hazard = 1

[[fleet]]
id = "trucks-camp"
kind = "truck"
home = "camp"
count = 1
teu = 4

[[fleet]]
id = "trucks-hub"
kind = "truck"
home = "hub"
count = 8
teu = 2
available_from = 2023-07-11

[[fleet]]
id = "trucks-depot"
kind = "truck"
home = "depot"
count = 4
teu = 4
available_from = 2023-07-11
"#,
    );
    let s = load("carry-on", text);
    let (plan, _) = plan_checked("carry-on", &s);
    let site = |id: &str| model::SiteId(s.sites.iter().position(|x| x.id == id).unwrap() as u32);
    let units = |fleet: u32, from: &str, to: &str| -> u32 {
        plan.convoys
            .iter()
            .filter(|c| c.from == site(from) && c.to == site(to))
            .flat_map(|c| c.units.iter().filter(|u| u.0 == model::FleetId(fleet)))
            .map(|u| u.1)
            .sum()
    };
    let (camp, hub, depot) = (0, 1, 2);
    assert_eq!(units(camp, "camp", "hub"), 2, "camp truck trips to the hub");
    assert_eq!(
        units(camp, "hub", "camp"),
        1,
        "camp truck driving home: after the first trip only"
    );
    assert_eq!(units(camp, "hub", "depot"), 1, "camp truck carrying on");
    assert_eq!(units(camp, "depot", "port"), 1, "camp truck carrying on");
    assert_eq!(units(hub, "hub", "depot"), 7, "hub trucks left to drive");
    assert_eq!(units(hub, "depot", "hub"), 7, "hub trucks driving home");
    assert_eq!(
        units(depot, "depot", "port"),
        5,
        "depot truck trips to the exit"
    );
    assert_eq!(
        units(depot, "port", "depot"),
        1,
        "depot trucks driving back for a trip"
    );
}

/// A drive home from the exit of several legs is dropped as a whole when it is a unit's
/// last: `camp`'s 4 trucks take its 16 TEU by `town` to `port` in 8 trips, so each truck
/// drives home once (from `port` by `town`) and its second trip ends at the exit. The
/// fewest drives home are 4, one per departure after the first four, and the plan has no
/// more on either leg.
#[test]
fn trucks_end_a_drive_home_of_several_legs_at_the_exit() {
    let text = include_str!("data/long-way-home.toml");
    let s = load("long-way-home", text);
    let (plan, _) = plan_checked("long-way-home", &s);
    let site = |id: &str| model::SiteId(s.sites.iter().position(|x| x.id == id).unwrap() as u32);
    let units = |from: &str, to: &str| -> u32 {
        plan.convoys
            .iter()
            .filter(|c| c.from == site(from) && c.to == site(to))
            .flat_map(|c| c.units.iter().map(|u| u.1))
            .sum()
    };
    assert_eq!(units("camp", "town"), 8, "truck trips from the camp");
    assert_eq!(units("port", "town"), 4, "drives home from the exit");
    assert_eq!(units("town", "camp"), 4, "drives home into the camp");
}

/// With `safe_returns`, a team whose stock races on the quickest road drives home empty on
/// the safest: `camp`'s containers take the direct road to `port` (one day, hazard 2),
/// and the trucks come back by `town` (two days of hazard 1 roads, less exposure). Without
/// the option they come back the way they went.
/// From `camp` (defined by each test) to the port: the quickest road (200 km of hazard 2,
/// a day, no escort needed) and the safe one by `town` (two roads of 150 km and hazard 1,
/// two days).
const CAMP_TO_PORT: &str = r#"[[site]]
id = "town"
kind = "base"
lat = 14.0
lon = -4.0

[[site]]
id = "port"
kind = "exit"
lat = 13.0
lon = -3.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "camp"
to = "port"
km = 200
days = 1
hazard = 2
escort = false

[[road]]
from = "camp"
to = "town"
km = 150
days = 1
hazard = 1

[[road]]
from = "town"
to = "port"
km = 150
days = 1
hazard = 1
"#;

#[test]
fn empty_trucks_drive_home_on_the_safest_roads_with_safe_returns() {
    let text = &scenario_text(
        "safe returns",
        "2023-07-31",
        r#"
[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
teu = 16
close_by = 2023-07-25

{CAMP_TO_PORT}
[[fleet]]
id = "trucks"
kind = "truck"
home = "camp"
count = 4
teu = 2
"#
        .replace("{CAMP_TO_PORT}", CAMP_TO_PORT)
        .as_str(),
    );
    let s = load("safe-returns", text);
    let trips = |safe_returns: bool| -> (u32, u32, u32) {
        let cfg = planner::Config {
            safe_returns,
            ..planner::Config::default()
        };
        let plan = planner::plan(&s, &cfg, &mut |_, _| {}).unwrap();
        crate::assert_checked("safe-returns", &s, &plan);
        let site =
            |id: &str| model::SiteId(s.sites.iter().position(|x| x.id == id).unwrap() as u32);
        let units = |from: &str, to: &str, loaded: bool| -> u32 {
            plan.convoys
                .iter()
                .filter(|c| c.from == site(from) && c.to == site(to))
                .filter(|c| c.load.is_empty() != loaded)
                .flat_map(|c| c.units.iter().map(|u| u.1))
                .sum()
        };
        (
            units("camp", "port", true),
            units("port", "camp", false),
            units("port", "town", false),
        )
    };
    assert_eq!(trips(false), (8, 4, 0), "loaded, home direct, home by town");
    assert_eq!(trips(true), (8, 0, 4), "loaded, home direct, home by town");
}

/// Trucks that drive home empty take the safer road when nothing needs them at home
/// sooner (`safer_returns`): `camp`'s 4 trucks bring its 8 TEU to `hub` on the direct road
/// (one day, hazard 3), where the hub's own trucks take them on to `port`. Their one drive
/// home is needed for nothing, so it goes by `town` (two days of hazard 1 roads) instead of
/// back the way it came (leaving by the port, 300 km at hazard 1, would expose them more).
/// Exposure: 4 loaded trucks x 100 km x 3, the hub's 2 loaded trucks x 300 km x 1 (their
/// drive home from the exit goes), and 4 empty trucks x 200 km x 1: 1,200 + 600 + 800 =
/// 2,600 (by the direct road home it was 3,000).
#[test]
fn empty_trucks_take_the_safer_road_home_when_not_needed_sooner() {
    let s = load("safer-return", &safer_return_text(8, "2023-07-01"));
    let (plan, _) = plan_checked("safer-return", &s);
    let units = |from: &str, to: &str| convoy_units(&s, &plan, from, to);
    assert_eq!(units("camp", "hub"), 4, "loaded trucks to the hub");
    assert_eq!(
        units("hub", "camp"),
        0,
        "empty trucks home on the direct road"
    );
    assert_eq!(units("hub", "town"), 4, "empty trucks home by town");
    assert_eq!(units("town", "camp"), 4, "empty trucks home by town");
    assert_eq!(plan.totals.exposure, 2600.0);
    // Re-planning from a recorded past takes the safer road home too, and never changes
    // the frozen movements.
    for day in [1, 2] {
        crate::check_replan("safer-return", &s, &plan, model::Period(day));
    }
}

/// A drive home that the next trip needs keeps the quick road: with 16 TEU, `camp`'s 4
/// trucks make two trips to `hub` (whose own trucks start only on day 4), and the second
/// leaves the camp the day the first drive home arrives, so that drive takes the direct
/// road; only the last drive home, needed for nothing, goes by `town`. Exposure: 8 loaded
/// trucks x 300, 4 empty trucks x 300 and 4 x 200, and the hub's 3 legs of 2 trucks x 300
/// (two loaded, one drive home between them): 2,400 + 1,200 + 800 + 1,800 = 6,200.
#[test]
fn a_drive_home_the_next_trip_needs_keeps_the_quick_road() {
    let s = load("needed-return", &safer_return_text(16, "2023-07-04"));
    let (plan, _) = plan_checked("needed-return", &s);
    let first_home: Vec<(u32, u32)> = plan
        .convoys
        .iter()
        .filter(|c| s.site(c.from).id == "hub" && s.site(c.to).id != "port")
        .map(|c| (c.depart.0, c.units.iter().map(|u| u.1).sum()))
        .collect();
    let units = |from: &str, to: &str| convoy_units(&s, &plan, from, to);
    assert_eq!(units("camp", "hub"), 8, "loaded trucks to the hub");
    assert_eq!(
        first_home,
        vec![(1, 4), (3, 4)],
        "drives home from the hub: direct on day 1, by town on day 3"
    );
    assert_eq!(units("hub", "camp"), 4, "the first drive home, direct");
    assert_eq!(units("town", "camp"), 4, "the last drive home, by town");
    assert_eq!(plan.totals.exposure, 6200.0);
}

/// Trucks that drive empty to the camp where they load take the safer road out when they
/// would wait at home anyway (`safer_drives_out`): `camp`'s 8 TEU may leave on day 4 only,
/// and the quickest road from the trucks' `depot` is the direct one (one day, hazard 3).
/// The 4 trucks leave a day earlier by `town` (two days of hazard 1 roads) and still
/// reach the camp on day 4. Exposure: 4 empty trucks x 200 km x 1 and 4 loaded trucks x
/// 100 km x 1 (they stay at the exit): 800 + 400 = 1,200 (by the direct road out it was
/// 4 x 100 x 3 + 400 = 1,600).
#[test]
fn empty_trucks_take_the_safer_road_out_when_idle_at_home() {
    let (s, plan) = drive_out("safer-out", "2023-07-01", (0, 4), 1200.0);
    assert_eq!(convoy_units(&s, &plan, "camp", "port"), 4, "loaded trucks");
    // Re-planning from a recorded past takes the safer road out too where it still can,
    // never departs before the present and never changes the frozen movements.
    for day in [1, 2, 3] {
        crate::check_replan("safer-out", &s, &plan, model::Period(day));
    }
}

/// A team that cannot leave home sooner keeps the quick road out: the trucks are
/// available from day 3 only, when the direct road is the only way to reach `camp` by
/// day 4. Exposure: 4 x 100 x 3 + 400 = 1,600.
#[test]
fn a_team_not_yet_available_keeps_the_quick_road_out() {
    drive_out("late-team", "2023-07-04", (4, 0), 1600.0);
}

/// Plan `safer_out_text(from)` and assert the trucks driving out on the direct road and
/// by `town`, and the plan's exposure.
fn drive_out(
    name: &str,
    from: &str,
    (direct, by_town): (u32, u32),
    exposure: f64,
) -> (model::Scenario, model::Plan) {
    let s = load(name, &safer_out_text(from));
    let (plan, _) = plan_checked(name, &s);
    let units = |from: &str, to: &str| convoy_units(&s, &plan, from, to);
    assert_eq!(units("depot", "camp"), direct, "empty trucks out direct");
    assert_eq!(units("depot", "town"), by_town, "empty trucks out by town");
    assert_eq!(units("town", "camp"), by_town, "empty trucks out by town");
    assert_eq!(plan.totals.exposure, exposure);
    (s, plan)
}

/// `camp` with 8 TEU that may leave on day 4 (`not_before`) and must be out by day 5;
/// 4 trucks of 2 TEU at `depot`, available from `from`; the direct road from `depot` to
/// `camp` is quick and hazardous, the road by `town` slow and safe.
fn safer_out_text(from: &str) -> String {
    scenario_text(
        "safer out",
        "2023-07-31",
        &r#"
[[site]]
id = "depot"
kind = "base"
lat = 14.0
lon = -4.0

[[site]]
id = "town"
kind = "base"
lat = 14.5
lon = -4.5

[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
teu = 8
not_before = 2023-07-05
close_by = 2023-07-06

[[site]]
id = "port"
kind = "exit"
lat = 16.0
lon = -2.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "depot"
to = "camp"
km = 100
days = 1
hazard = 3
escort = false

[[road]]
from = "depot"
to = "town"
km = 100
days = 1
hazard = 1
escort = false

[[road]]
from = "town"
to = "camp"
km = 100
days = 1
hazard = 1
escort = false

[[road]]
from = "camp"
to = "port"
km = 100
days = 1
hazard = 1
escort = false

[[fleet]]
id = "trucks"
kind = "truck"
home = "depot"
count = 4
teu = 2
available_from = FROM
"#
        .replace("FROM", from),
    )
}

/// Fleet units in convoys from `from` to `to`.
fn convoy_units(s: &model::Scenario, plan: &model::Plan, from: &str, to: &str) -> u32 {
    plan.convoys
        .iter()
        .filter(|c| s.site(c.from).id == from && s.site(c.to).id == to)
        .flat_map(|c| c.units.iter().map(|u| u.1))
        .sum()
}

/// `camp` with `teu` containers and 4 trucks of 2 TEU; the direct road to `hub` is quick
/// and hazardous, the road by `town` slow and safe; `hub`'s trucks (4 TEU each, so they
/// never trade places with the camp's) take the containers on to `port`.
fn safer_return_text(teu: u32, haulers_from: &str) -> String {
    scenario_text(
        "safer return",
        "2023-07-31",
        &r#"
[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
teu = TEU
close_by = 2023-07-25

[[site]]
id = "town"
kind = "base"
lat = 15.0
lon = -4.0

[[site]]
id = "hub"
kind = "hub"
lat = 14.0
lon = -4.0

[[site]]
id = "port"
kind = "exit"
lat = 13.0
lon = -4.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "camp"
to = "hub"
km = 100
days = 1
hazard = 3
escort = false

[[road]]
from = "camp"
to = "town"
km = 100
days = 1
hazard = 1

[[road]]
from = "town"
to = "hub"
km = 100
days = 1
hazard = 1

[[road]]
from = "hub"
to = "port"
km = 300
days = 1
hazard = 1

[[fleet]]
id = "trucks"
kind = "truck"
home = "camp"
count = 4
teu = 2

[[fleet]]
id = "haulers"
kind = "truck"
home = "hub"
count = 2
teu = 4
available_from = FROM
"#
        .replace("TEU", &teu.to_string())
        .replace("FROM", haulers_from),
    )
}

/// A convoy under way through a camp whose rear guard has left carries on when the rest is
/// re-planned: `north`'s trucks were sent with its containers to the port through `mid`,
/// whose people and vehicles (its rear guard) left on day 0. Re-planned from day 2, the
/// day the trucks reach `mid`, the containers must not stay there overnight with no one
/// to guard them (`V027`): the trucks drive on to the port that day, as they were sent to.
#[test]
fn a_convoy_under_way_through_a_closed_camp_carries_on() {
    let text = &under_way_text(
        "under way",
        r#"
[[site]]
id = "mid"
kind = "base"
lat = 14.0
lon = -4.0
personnel = { troops = 10 }
vehicles = 5
rear_guard = 10
close_by = 2023-07-25

[[road]]
from = "mid"
to = "port"
km = 100
days = 1
hazard = 1
"#,
    );
    let s = load("under-way", text);
    let people = vec![(model::ContingentId(0), 10)];
    let recorded = [
        Rec {
            from: "mid",
            to: "port",
            depart: 0,
            units: &[],
            load: model::Load {
                vehicles: 5,
                personnel: people,
                ..model::Load::default()
            },
        },
        Rec {
            from: "north",
            to: "mid",
            depart: 1,
            units: &[("trucks", 2)],
            load: model::Load {
                teu: 4,
                ..model::Load::default()
            },
        },
    ];
    let plan = replan_recorded(&s, &recorded, 2);
    let on = plan
        .convoys
        .iter()
        .find(|c| c.from == site(&s, "mid") && c.load.teu > 0)
        .expect("the containers leave mid");
    assert_eq!(
        (on.depart, on.units.clone()),
        (model::Period(2), vec![(model::FleetId(0), 2)]),
        "the trucks drive on from mid the day they reach it"
    );
}

/// A convoy under way carries on to the next stop it can reach, not only the first, and
/// not part of the way: from `mid`, the port is nearer than the airport, but the last
/// road to the port takes one truck at a time, and the two trucks that reach `mid` on day
/// 2 drive on together. Held at `mid`, or at `town` on the way to the port, their
/// containers would wait with no one to guard them.
#[test]
fn a_convoy_under_way_takes_the_way_it_fits() {
    let text = &under_way_text(
        "under way, narrow road",
        r#"
[[site]]
id = "mid"
kind = "base"
lat = 14.0
lon = -4.0
personnel = { troops = 10 }
vehicles = 5
rear_guard = 10
close_by = 2023-07-25

[[site]]
id = "airport"
kind = "exit"
lat = 13.0
lon = -3.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[site]]
id = "town"
kind = "base"
lat = 13.5
lon = -4.5

[[road]]
from = "mid"
to = "town"
km = 50
days = 1
hazard = 1

[[road]]
from = "town"
to = "port"
km = 50
days = 1
hazard = 1
max_convoy = 1

[[road]]
from = "mid"
to = "airport"
km = 300
days = 3
hazard = 1
"#,
    );
    let s = load("under-way-narrow", text);
    let recorded = [
        Rec {
            from: "mid",
            to: "airport",
            depart: 0,
            units: &[],
            load: model::Load {
                vehicles: 5,
                personnel: vec![(model::ContingentId(0), 10)],
                ..model::Load::default()
            },
        },
        Rec {
            from: "north",
            to: "mid",
            depart: 1,
            units: &[("trucks", 2)],
            load: model::Load {
                teu: 4,
                ..model::Load::default()
            },
        },
    ];
    let plan = replan_recorded(&s, &recorded, 2);
    let on = plan
        .convoys
        .iter()
        .find(|c| c.from == site(&s, "mid") && c.load.teu > 0)
        .expect("the containers leave mid");
    assert_eq!(
        (on.depart, on.to, on.load.teu),
        (model::Period(2), site(&s, "airport"), 4),
        "the trucks drive on to the airport the day they reach mid"
    );
}

/// A convoy under way that can reach none of its load's next stops without stopping goes
/// to another hub it can reach: from `mid`, the only next stop is the port, by `town`,
/// which handles one container a day, and the trucks that reach `mid` on day 2 carry
/// four. They drive on to `hub`, off the port's shortest route, instead of stopping at
/// `town`, whose rear guard has left (`V027`).
#[test]
fn a_convoy_under_way_goes_to_another_hub_it_can_reach() {
    let text = &under_way_text(
        "under way, other hub",
        r#"
[[site]]
id = "mid"
kind = "base"
lat = 14.0
lon = -4.0

[[site]]
id = "town"
kind = "base"
lat = 13.5
lon = -4.5
personnel = { troops = 10 }
vehicles = 5
rear_guard = 10
handling_teu_per_day = 1
close_by = 2023-07-25

[[site]]
id = "hub"
kind = "hub"
lat = 14.0
lon = -6.0

[[road]]
from = "mid"
to = "town"
km = 50
days = 1
hazard = 1

[[road]]
from = "town"
to = "port"
km = 50
days = 1
hazard = 1

[[road]]
from = "mid"
to = "hub"
km = 200
days = 1
hazard = 1

[[road]]
from = "hub"
to = "port"
km = 300
days = 2
hazard = 1
"#,
    );
    let s = load("under-way-other-hub", text);
    let recorded = [
        Rec {
            from: "town",
            to: "port",
            depart: 0,
            units: &[],
            load: model::Load {
                vehicles: 5,
                personnel: vec![(model::ContingentId(0), 10)],
                ..model::Load::default()
            },
        },
        Rec {
            from: "north",
            to: "mid",
            depart: 1,
            units: &[("trucks", 2)],
            load: model::Load {
                teu: 4,
                ..model::Load::default()
            },
        },
    ];
    let plan = replan_recorded(&s, &recorded, 2);
    let on = plan
        .convoys
        .iter()
        .find(|c| c.from == site(&s, "mid") && c.load.teu > 0)
        .expect("the containers leave mid");
    assert_eq!(
        (on.depart, on.to, on.load.teu),
        (model::Period(2), site(&s, "hub"), 4),
        "the trucks drive on to the hub the day they reach mid"
    );
}

/// A convoy under way that lacks the escorts for the road ahead does not count its own
/// escort twice: the escort and the six vehicles it covers on the safe road reach `mid` on
/// day 2, where the road on to the port needs two escorts for them and nobody else waits.
/// The convoy stops there (its ten troops guard it) and drives on with an escort from home;
/// once taken for one waiting at `mid`, its own escort left twice (`V040`).
#[test]
fn a_convoy_under_way_counts_its_own_escorts_once() {
    let text = &scenario_text(
        "under way, escorts",
        "2023-07-31",
        r#"
[[site]]
id = "north"
kind = "base"
lat = 15.0
lon = -3.0
personnel = { troops = 10 }
vehicles = 6
close_by = 2023-07-25

[[site]]
id = "mid"
kind = "base"
lat = 14.0
lon = -4.0

[[site]]
id = "port"
kind = "exit"
lat = 13.0
lon = -5.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "north"
to = "mid"
km = 100
days = 1
hazard = 0
escort = false

[[road]]
from = "mid"
to = "port"
km = 100
days = 1
hazard = 2

[[fleet]]
id = "escort"
kind = "escort"
home = "north"
count = 2
cover = 5
"#,
    );
    let s = load("under-way-escorts", text);
    let recorded = [Rec {
        from: "north",
        to: "mid",
        depart: 1,
        units: &[("escort", 1)],
        load: model::Load {
            vehicles: 6,
            personnel: vec![(model::ContingentId(0), 10)],
            ..model::Load::default()
        },
    }];
    let plan = replan_recorded(&s, &recorded, 2);
    let out: u32 = plan
        .convoys
        .iter()
        .filter(|c| c.from == site(&s, "mid"))
        .map(|c| c.load.vehicles)
        .sum();
    assert_eq!(out, 6, "the vehicles leave mid");
}

/// Units that the record leaves at an exit too late to drive home stay there: the trucks
/// reach the port on day 29 of a 31-day horizon, two days' drive from home.
#[test]
fn units_at_an_exit_at_the_end_stay_there() {
    let text = &scenario_text(
        "at the exit",
        "2023-07-31",
        r#"
[[site]]
id = "north"
kind = "base"
lat = 15.0
lon = -3.0
teu = 4
close_by = 2023-07-31

[[site]]
id = "port"
kind = "exit"
lat = 13.0
lon = -5.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "north"
to = "port"
km = 200
days = 2
hazard = 1

[[fleet]]
id = "trucks"
kind = "truck"
home = "north"
count = 2
teu = 2
"#,
    );
    let s = load("at-the-exit", text);
    let recorded = [Rec {
        from: "north",
        to: "port",
        depart: 28,
        units: &[("trucks", 2)],
        load: model::Load {
            teu: 4,
            ..model::Load::default()
        },
    }];
    let plan = replan_recorded(&s, &recorded, 29);
    assert_eq!(plan.convoys.len(), 1, "nothing moves after the record");
}

/// A scenario of the re-planning examples with a convoy under way: its body, between
/// `north` (a camp with 4 containers, and the first site) and `port` (an exit that takes
/// everything), with the road from `north` to `mid` and `north`'s two trucks.
fn under_way_text(name: &str, body: &str) -> String {
    let common = [NORTH, body.trim(), PORT, NORTH_MID, TRUCKS];
    scenario_text(name, "2023-07-31", &format!("\n{}\n", common.join("\n\n")))
}

const NORTH: &str = r#"[[site]]
id = "north"
kind = "base"
lat = 15.0
lon = -3.0
teu = 4
close_by = 2023-07-25"#;
const PORT: &str = r#"[[site]]
id = "port"
kind = "exit"
lat = 13.0
lon = -5.0
exit = { accepts = ["personnel", "teu", "vehicles"] }"#;
const NORTH_MID: &str = r#"[[road]]
from = "north"
to = "mid"
km = 100
days = 1
hazard = 1"#;
const TRUCKS: &str = r#"[[fleet]]
id = "trucks"
kind = "truck"
home = "north"
count = 2
teu = 2"#;

/// A recorded convoy leg for [`replan_recorded`], named by site and fleet ids.
struct Rec<'a> {
    from: &'a str,
    to: &'a str,
    depart: u32,
    units: &'a [(&'a str, u32)],
    load: model::Load,
}

fn site(s: &model::Scenario, id: &str) -> model::SiteId {
    model::SiteId(s.sites.iter().position(|x| x.id == id).unwrap() as u32)
}

/// Re-plan `s` from day `now` after the recorded legs, and check the whole result with the
/// independent checker.
fn replan_recorded(s: &model::Scenario, recorded: &[Rec<'_>], now: u32) -> model::Plan {
    let convoys = recorded
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (a, b) = (site(s, r.from), site(s, r.to));
            let road = s
                .roads
                .iter()
                .position(|x| (x.a, x.b) == (a, b) || (x.a, x.b) == (b, a))
                .expect("a road between the two sites");
            let fleet =
                |id: &str| model::FleetId(s.fleets.iter().position(|f| f.id == id).unwrap() as u32);
            model::Convoy {
                id: format!("C{}", i + 1),
                road: model::RoadId(road as u32),
                from: a,
                to: b,
                depart: model::Period(r.depart),
                arrive: model::Period(r.depart + s.roads[road].periods),
                units: r.units.iter().map(|&(f, n)| (fleet(f), n)).collect(),
                load: r.load.clone(),
            }
        })
        .collect();
    let recorded = model::Plan {
        convoys,
        ..model::Plan::default()
    };
    let plan = planner::plan_from(
        s,
        &recorded,
        model::Period(now),
        &planner::Config::default(),
        &mut |_, _| {},
    )
    .expect("a re-plan");
    assert_checked("the re-plan", s, &plan);
    plan
}

/// Escorts wait where their team drives on past the escorted roads and comes back the
/// same way: `camp`'s trucks take its stock down the dangerous road to `town` and on by a
/// safe road to `port`, then drive back; the escort from `camp` rides the dangerous road
/// both ways and waits at `town` meanwhile, and once its last team has gone on to the
/// port it leaves by the port too. With the trucks and the escort based at `town`, the
/// safe loop to `port` and back ends the trip, and the escort stays home.
#[test]
fn escorts_wait_while_their_team_drives_safe_roads_and_back() {
    for home in ["camp", "town"] {
        escorts_wait_at(home);
    }
}

fn escorts_wait_at(home: &str) {
    let body = r#"
[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
teu = 16
close_by = 2023-07-25

[[site]]
id = "town"
kind = "base"
lat = 14.0
lon = -4.0

[[site]]
id = "port"
kind = "exit"
lat = 13.0
lon = -5.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "camp"
to = "town"
km = 150
hazard = 3

[[road]]
from = "town"
to = "port"
km = 150
hazard = 1

[[fleet]]
id = "trucks"
kind = "truck"
home = "HOME"
count = 4
teu = 2

[[fleet]]
id = "escort"
kind = "escort"
home = "HOME"
count = 1
cover = 10
"#;
    let text = &scenario_text("escorts wait", "2023-07-31", &body.replace("HOME", home));
    let name = format!("escorts-wait-{home}");
    let s = load(&name, text);
    let (plan, _) = plan_checked(&name, &s);
    let (trucks, escort) = (model::FleetId(0), model::FleetId(1));
    let unit_km = |f: model::FleetId, escorted: bool| -> f64 {
        plan.convoys
            .iter()
            .filter(|c| s.roads[c.road.idx()].escort == escorted)
            .flat_map(|c| {
                let km = s.roads[c.road.idx()].km;
                c.units
                    .iter()
                    .filter(|u| u.0 == f)
                    .map(move |u| f64::from(u.1) * km)
            })
            .sum()
    };
    assert!(
        unit_km(trucks, false) > 0.0,
        "the trucks from {home} drive the safe road"
    );
    assert!(
        unit_km(escort, true) > 0.0,
        "the escort from {home} covers the dangerous road"
    );
    let with_team_on_safe_road = plan
        .convoys
        .iter()
        .filter(|c| !s.roads[c.road.idx()].escort)
        .filter(|c| c.units.iter().any(|u| u.0 == escort) && c.units.iter().any(|u| u.0 == trucks))
        .count();
    assert_eq!(
        with_team_on_safe_road, 0,
        "the escort from {home} waits off the safe road while its team drives it"
    );
    // Its work done at `town`, the escort from `camp` leaves by the port (150 km at hazard
    // 1) rather than drive home alone on the dangerous road (150 km at hazard 3).
    let leaves = if home == "camp" { 150.0 } else { 0.0 };
    assert_eq!(
        unit_km(escort, false),
        leaves,
        "the escort from {home} drives the safe road only to leave"
    );
}

/// Deadlines flow back through hubs class by class: `hub-a` sends its containers on
/// through `hub-b` (the port takes no personnel) while `hub-b` sends its personnel
/// through `hub-a` (the airstrip takes nothing else). Mixing the classes made a cycle of
/// the two hubs that ran every due period down to day 0, and the bases were then served
/// in file order: `slack`'s containers first and `urgent` three days late. Served by
/// deadline, `urgent` goes first and nothing is late.
#[test]
fn deadlines_flow_back_through_hubs_class_by_class() {
    let text = &scenario_text(
        "due periods",
        "2023-08-31",
        r#"
[[site]]
id = "slack"
kind = "base"
lat = 15.0
lon = -3.0
teu = 8
close_by = 2023-07-21

[[site]]
id = "urgent"
kind = "base"
lat = 15.0
lon = -5.0
teu = 8
close_by = 2023-07-05

[[site]]
id = "hub-a"
kind = "hub"
lat = 14.0
lon = -4.0
personnel = { troops = 4 }
close_by = 2023-08-20

[[site]]
id = "hub-b"
kind = "hub"
lat = 13.0
lon = -4.0
personnel = { troops = 4 }
close_by = 2023-08-20

[[site]]
id = "port"
kind = "exit"
lat = 12.0
lon = -4.0
exit = { accepts = ["teu", "vehicles"] }

[[site]]
id = "airstrip"
kind = "exit"
lat = 14.0
lon = -3.0
exit = { accepts = ["personnel"] }

[[road]]
from = "slack"
to = "hub-a"
km = 150
hazard = 1

[[road]]
from = "urgent"
to = "hub-a"
km = 150
hazard = 1

[[road]]
from = "hub-a"
to = "hub-b"
km = 150
hazard = 1

[[road]]
from = "hub-b"
to = "port"
km = 150
hazard = 1

[[road]]
from = "hub-a"
to = "airstrip"
km = 150
hazard = 1

[[fleet]]
id = "trucks"
kind = "truck"
home = "hub-a"
count = 2
teu = 2
seats = 4
"#,
    );
    let s = load("due-periods", text);
    let (plan, file) = plan_checked("due-periods", &s);
    let closure = |id: &str| {
        file.sites
            .iter()
            .find(|r| r.site == id)
            .and_then(|r| r.closure.clone())
    };
    assert_eq!(plan.totals.late_days, 0, "closures: {:?}", file.sites);
    assert!(
        closure("urgent") < closure("slack"),
        "urgent {:?} before slack {:?}",
        closure("urgent"),
        closure("slack")
    );
}

/// Containers drive around a base whose handling limit their own road saturates: `camp`'s
/// road to the port passes `post`, which handles 2 containers a day, stock passing
/// through included; the longer road by `ford` has no such limit. Through `post` alone
/// the 40 containers would leave over 20 days, 12 days after the deadline; once `post`
/// cannot pass them by the deadline, the rest go by `ford`.
#[test]
fn containers_drive_around_a_saturated_handling_limit() {
    let text = &scenario_text(
        "detour",
        "2023-08-31",
        r#"
[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
teu = 40
close_by = 2023-07-08

[[site]]
id = "post"
kind = "base"
lat = 14.0
lon = -3.0
handling_teu_per_day = 2

[[site]]
id = "ford"
kind = "base"
lat = 15.0
lon = -4.0

[[site]]
id = "port"
kind = "exit"
lat = 13.0
lon = -4.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "camp"
to = "post"
km = 150
hazard = 1

[[road]]
from = "post"
to = "port"
km = 150
hazard = 1

[[road]]
from = "camp"
to = "ford"
km = 300
hazard = 1

[[road]]
from = "ford"
to = "port"
km = 300
hazard = 1

[[fleet]]
id = "trucks"
kind = "truck"
home = "camp"
count = 20
teu = 2
"#,
    );
    let teu_into = on_time_plan("detour", text);
    assert!(teu_into("ford") > 0, "no container drove around post");
}

/// Plan `text`, check the plan and that it is late nowhere; the containers that its
/// convoys bring into a site, by the site's id.
fn on_time_plan(name: &str, text: &str) -> impl Fn(&str) -> u32 + use<> {
    let s = load(name, text);
    let (plan, file) = plan_checked(name, &s);
    assert_eq!(plan.totals.late_days, 0, "closures: {:?}", file.sites);
    move |id: &str| -> u32 {
        let site = model::SiteId(s.sites.iter().position(|x| x.id == id).unwrap() as u32);
        plan.convoys
            .iter()
            .filter(|c| c.to == site)
            .map(|c| c.load.teu)
            .sum()
    }
}

/// Containers drive on past a hub to a farther exit when the nearest exit cannot take
/// them in time: `camp` is a day from `strip`, which takes 2 containers a day, and its
/// road to `port` passes `depot`, a hub no nearer an exit than `camp`, so no route stops
/// there. Through `strip` alone the 40 containers would leave over 20 days; once `strip`
/// cannot take them by the deadline, the rest drive through `depot` to `port`.
#[test]
fn containers_drive_on_to_a_farther_exit_when_the_nearest_is_full() {
    let text = &scenario_text(
        "farther exit",
        "2023-08-31",
        r#"
[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
teu = 40
close_by = 2023-07-11

[[site]]
id = "depot"
kind = "hub"
lat = 15.0
lon = -4.0

[[site]]
id = "strip"
kind = "exit"
lat = 14.0
lon = -3.0
exit = { accepts = ["personnel", "teu", "vehicles"], teu_per_day = 2 }

[[site]]
id = "port"
kind = "exit"
lat = 15.0
lon = -6.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "camp"
to = "strip"
km = 150
hazard = 1

[[road]]
from = "camp"
to = "depot"
km = 150
hazard = 1

[[road]]
from = "depot"
to = "port"
km = 300
hazard = 1

[[fleet]]
id = "trucks"
kind = "truck"
home = "camp"
count = 20
teu = 2
"#,
    );
    let teu_into = on_time_plan("farther-exit", text);
    assert!(teu_into("port") > 0, "no container drove on to port");
}

/// Idle trucks of a farther home serve a site that its nearest home's trucks would leave
/// late: `near`'s one truck takes 2 containers every 4 days, `camp` has 20 due in 6 days,
/// and `far`'s ten trucks, 3 days away, are idle. With only the nearest home (as
/// `fallback_homes` = `team_homes` = 1 makes it) `camp` is late; with the fallback it is
/// not, and `far`'s trucks carry its containers.
#[test]
fn idle_trucks_of_a_farther_home_serve_a_site_that_would_be_late() {
    let text = &scenario_text(
        "farther trucks",
        "2023-08-31",
        r#"
[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
teu = 20
close_by = 2023-07-07

[[site]]
id = "near"
kind = "hub"
lat = 16.0
lon = -3.0

[[site]]
id = "far"
kind = "hub"
lat = 15.0
lon = 0.0

[[site]]
id = "port"
kind = "exit"
lat = 14.0
lon = -3.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "near"
to = "camp"
km = 150
hazard = 1

[[road]]
from = "far"
to = "camp"
km = 450
hazard = 1

[[road]]
from = "camp"
to = "port"
km = 150
hazard = 1

[[fleet]]
id = "near-trucks"
kind = "truck"
home = "near"
count = 1
teu = 2

[[fleet]]
id = "far-trucks"
kind = "truck"
home = "far"
count = 10
teu = 2
"#,
    );
    let s = load("farther-trucks", text);
    let plan_with = |fallback_homes: usize| {
        let cfg = planner::Config {
            team_homes: 1,
            fallback_homes,
            ..planner::Config::default()
        };
        plan_under("farther-trucks", &s, &cfg)
    };
    assert!(
        plan_with(1).totals.late_days > 0,
        "the near truck alone is late"
    );
    let plan = plan_with(2);
    assert_eq!(plan.totals.late_days, 0);
    let far_trucks = model::FleetId(1);
    assert!(
        plan.convoys
            .iter()
            .any(|c| c.load.teu > 0 && c.units.iter().any(|u| u.0 == far_trucks)),
        "far's trucks carried nothing"
    );
}

/// A rear guard leaves right after the rest of its camp with `early_reserves`, not once
/// every other camp's stock is on its way: `first`'s rear guard needs the one escort
/// again, which `second`'s 40 vehicles (due three weeks later) keep busy for 20 days.
#[test]
fn rear_guards_leave_early_when_nothing_waits_for_them() {
    let text = &scenario_text(
        "early rear guard",
        "2023-08-31",
        r#"
[[site]]
id = "first"
kind = "base"
lat = 18.4
lon = 1.4
personnel = { troops = 8 }
vehicles = 4
rear_guard = 4
close_by = 2023-07-07

[[site]]
id = "second"
kind = "base"
lat = 16.6
lon = 1.4
personnel = { troops = 80 }
vehicles = 40
close_by = 2023-07-30

[[site]]
id = "exit"
kind = "exit"
lat = 17.5
lon = 0.9
exit = { accepts = ["personnel", "vehicles"] }

[[road]]
from = "first"
to = "exit"
km = 120
hazard = 2

[[road]]
from = "second"
to = "exit"
km = 120
hazard = 2

[[fleet]]
id = "escort"
kind = "escort"
home = "exit"
count = 1
cover = 4
"#,
    );
    let s = load("early-rear-guard", text);
    let late = |early_reserves: bool| {
        let cfg = planner::Config {
            early_reserves,
            ..planner::Config::default()
        };
        plan_under("early-rear-guard", &s, &cfg).totals.late_days
    };
    assert!(late(false) > 0, "in phase 2 the rear guard is late");
    assert_eq!(late(true), 0);
}

/// A checked plan of `s` under `cfg`.
fn plan_under(name: &str, s: &model::Scenario, cfg: &planner::Config) -> model::Plan {
    let plan = planner::plan(s, cfg, &mut |_, _| {}).unwrap_or_else(|e| panic!("{name}: {e}"));
    crate::assert_checked(name, s, &plan);
    plan
}

/// A rear guard whose road is shut by the time it may leave drives out another way: `camp`
/// closes after `other` (day 20), and its road to the port is closed from day 10 to the
/// end of the horizon; the longer road by `ford` is open. Phase 2 finds nothing on the
/// usual road and takes the detour, where it used to report the rear guard stuck.
#[test]
fn a_rear_guard_drives_around_a_road_shut_to_the_end() {
    let text = &scenario_text(
        "shut road",
        "2023-08-10",
        r#"
[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
personnel = { troops = 12 }
vehicles = 6
rear_guard = 4
after = ["other"]
close_by = 2023-07-31

[[site]]
id = "other"
kind = "base"
lat = 15.0
lon = -5.0
personnel = { troops = 2 }
vehicles = 1
not_before = 2023-07-21
close_by = 2023-07-31

[[site]]
id = "ford"
kind = "base"
lat = 14.0
lon = -2.0

[[site]]
id = "port"
kind = "exit"
lat = 14.0
lon = -4.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "camp"
to = "port"
km = 150
hazard = 1
closed = [{ from = 2023-07-11, until = 2023-08-10 }]

[[road]]
from = "camp"
to = "ford"
km = 150
hazard = 1

[[road]]
from = "ford"
to = "port"
km = 150
hazard = 1

[[road]]
from = "other"
to = "port"
km = 150
hazard = 1
"#,
    );
    let s = load("shut-road", text);
    let plan = plan_under("shut-road", &s, &planner::Config::default());
    let ford = model::SiteId(s.sites.iter().position(|x| x.id == "ford").unwrap() as u32);
    assert!(
        plan.convoys
            .iter()
            .any(|c| c.to == ford && c.load.vehicles > 0 && c.depart.0 >= 20),
        "the rear guard did not drive by ford"
    );
}

/// In phase 2 the rear guard of a camp passes the hub behind it as soon as it arrives,
/// not once the hub's last container has left: `hub` sends its 40 containers with one
/// truck of 2 (a two-day round trip, so until mid-August), and must close after `camp`,
/// whose rear guard (all its people and vehicles) drives through it in July. Only the
/// hub's own reserve waits for its last container.
#[test]
fn a_rear_guard_passes_a_hub_before_its_last_container() {
    let text = &scenario_text(
        "rear guard through a hub",
        "2023-09-30",
        r#"
[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -2.0
personnel = { troops = 4 }
vehicles = 2
rear_guard = 4
close_by = 2023-07-10

[[site]]
id = "hub"
kind = "hub"
lat = 15.0
lon = -3.0
teu = 40
after = ["camp"]
close_by = 2023-09-15

[[site]]
id = "port"
kind = "exit"
lat = 15.0
lon = -4.0
exit = { accepts = ["personnel", "teu", "vehicles"] }

[[road]]
from = "camp"
to = "hub"
km = 100
days = 1
hazard = 1

[[road]]
from = "hub"
to = "port"
km = 100
days = 1
hazard = 1

[[fleet]]
id = "truck"
kind = "truck"
home = "hub"
count = 1
teu = 2
"#,
    );
    let s = load("rear-guard-through-hub", text);
    let plan = plan_under("rear-guard-through-hub", &s, &planner::Config::default());
    let hub = model::SiteId(s.sites.iter().position(|x| x.id == "hub").unwrap() as u32);
    let from_hub = plan.convoys.iter().filter(|c| c.from == hub);
    let last_container = from_hub
        .clone()
        .filter(|c| c.load.teu > 0)
        .map(|c| c.depart)
        .max()
        .expect("containers leave the hub");
    let rear_guard = from_hub
        .filter(|c| c.load.vehicles > 0)
        .map(|c| c.depart)
        .max()
        .expect("the camp's vehicles pass the hub");
    // The hub's last containers leave in August; the rear guard reaches it in the first
    // days of July and goes straight on.
    assert!(
        last_container > model::Period(30),
        "the hub's containers take until August ({last_container:?})"
    );
    assert!(
        rear_guard < model::Period(10),
        "the camp's rear guard left the hub on {rear_guard:?}, with the hub's last \
         container ({last_container:?}) rather than on arriving"
    );
}

/// Where two hubs send each other cargo, the one phase 2 takes first keeps its rear guard
/// until the other's has passed through it. `west`'s vehicles race to `port` by way of
/// `east` (two days on the quickest roads), while `east`'s take the safe road to `airport`
/// by way of `west`: each hub is a next stop of the other's vehicles, a cycle that the
/// order of phase 2 breaks by sending `west` first. `east`'s rear guard (4 people in its 2
/// vehicles) reaches `west` on 2 July, and the road on to `airport` is shut from 4 to 6
/// July for anything leaving after 1 July, so they wait at `west` until 7 July. The rear
/// guard of `west` (10 people) used to leave on 1 July, before they came (`V027`); now it
/// leaves with them.
#[test]
fn a_hub_keeps_its_rear_guard_for_a_rear_guard_that_comes_back_through_it() {
    let text = &scenario_text(
        "rear guards both ways",
        "2023-08-31",
        r#"
[[site]]
id = "west"
kind = "hub"
lat = 15.0
lon = -3.0
personnel = { troops = 10 }
vehicles = 5
rear_guard = 10
close_by = 2023-08-25

[[site]]
id = "east"
kind = "hub"
lat = 15.0
lon = -2.5
personnel = { troops = 4 }
vehicles = 2
rear_guard = 4
close_by = 2023-08-25

[[site]]
id = "port"
kind = "exit"
lat = 15.0
lon = -1.0
exit = { accepts = ["personnel", "vehicles"] }

[[site]]
id = "airport"
kind = "exit"
lat = 15.0
lon = -4.0
exit = { accepts = ["personnel", "vehicles"] }

[[road]]
from = "east"
to = "port"
km = 400
days = 1
hazard = 1

[[road]]
from = "west"
to = "east"
km = 50
days = 1
hazard = 1

[[road]]
from = "west"
to = "airport"
km = 100
days = 3
hazard = 1
closed = [{ from = 2023-07-04, until = 2023-07-06 }]
"#,
    );
    let s = load("rear-guards-both-ways", text);
    let cfg = planner::Config {
        both_roads_except_containers: true,
        ..planner::Config::default()
    };
    let plan = plan_under("rear-guards-both-ways", &s, &cfg);
    let site = |id: &str| model::SiteId(s.sites.iter().position(|x| x.id == id).unwrap() as u32);
    let (west, east) = (site("west"), site("east"));
    // The cycle is there: `east`'s vehicles stop at `west`.
    let came = plan
        .convoys
        .iter()
        .filter(|c| c.from == east && c.to == west && c.load.vehicles > 0)
        .map(|c| c.arrive)
        .max()
        .expect("east's vehicles drive by way of west");
    let people_left = plan
        .convoys
        .iter()
        .filter(|c| c.from == west && !c.load.personnel.is_empty())
        .map(|c| c.depart)
        .max()
        .expect("west's rear guard leaves by road");
    assert!(
        people_left >= came,
        "west's last personnel left on {people_left:?}, before east's vehicles came ({came:?})"
    );
}

/// `camp`'s containers and vehicles race on the quickest road to the port (hazard 2, 200
/// km, a day), and the vehicles could take the safe road by `town` (two roads of hazard
/// 1 and 150 km, two days).
fn vehicles_and_containers(troops: u32) -> model::Scenario {
    let body = format!(
        r#"
[defaults]
vehicle_seats = 2

[[site]]
id = "camp"
kind = "base"
lat = 15.0
lon = -3.0
teu = 16
vehicles = 10
personnel = {{ troops = {troops} }}
close_by = 2023-07-25

{CAMP_TO_PORT}
[[fleet]]
id = "trucks"
kind = "truck"
home = "camp"
count = 2
teu = 2
"#
    );
    load(
        "vehicles-and-containers",
        &scenario_text("vehicles and containers", "2023-07-31", &body),
    )
}

/// Hazard-weighted km that `plan`'s stock vehicles drive on the direct road and by `town`.
fn stock_vehicle_exposure(s: &model::Scenario, plan: &model::Plan) -> (f64, f64) {
    let mut by = (0.0, 0.0);
    for c in &plan.convoys {
        let r = &s.roads[c.road.idx()];
        let x = f64::from(c.load.vehicles) * r.km * f64::from(r.hazard);
        if r.id == "camp-port" {
            by.0 += x;
        } else {
            by.1 += x;
        }
    }
    by
}

/// The trucks shuttle the 16 containers on the quickest road until day 8, and the first
/// trip took the 10 vehicles along. Nothing needs them at the port before the last
/// containers arrive, and no one rides in them, so the finishing pass sends them by the
/// safe road instead: 10 x 300 hazard-km in place of 10 x 400. With 20 troops to seat
/// (trucks have no seats), the vehicles carry them and stay with the mission.
#[test]
fn stock_vehicles_that_carry_no_one_take_the_safe_road_when_they_still_arrive_in_time() {
    let s = vehicles_and_containers(0);
    let plan = plan_under("spare-vehicles", &s, &planner::Config::default());
    assert_eq!(stock_vehicle_exposure(&s, &plan), (0.0, 3000.0));
    let s = vehicles_and_containers(20);
    let plan = plan_under("seated-vehicles", &s, &planner::Config::default());
    assert_eq!(stock_vehicle_exposure(&s, &plan), (4000.0, 0.0));
}

/// Vehicles and personnel offered the safest road too (`both_roads_except_containers`)
/// drive it, carrying the troops, when they leave well before the deadline (here a margin
/// of 10 days), while the containers keep the quickest road.
#[test]
fn vehicles_and_personnel_take_the_safe_road_while_containers_race() {
    let s = vehicles_and_containers(20);
    let cfg = planner::Config {
        both_roads_except_containers: true,
        margin: 10,
        ..planner::Config::default()
    };
    let quick = planner::Config {
        both_roads_except_containers: false,
        ..cfg.clone()
    };
    let plan = plan_under("quickest-roads", &s, &quick);
    assert_eq!(stock_vehicle_exposure(&s, &plan), (4000.0, 0.0));
    let plan = plan_under("both-roads-except-containers", &s, &cfg);
    assert_eq!(stock_vehicle_exposure(&s, &plan), (0.0, 3000.0));
    let direct_teu: u32 = plan
        .convoys
        .iter()
        .filter(|c| s.roads[c.road.idx()].id == "camp-port")
        .map(|c| c.load.teu)
        .sum();
    assert_eq!(direct_teu, 16, "the containers race on the quickest road");
}
