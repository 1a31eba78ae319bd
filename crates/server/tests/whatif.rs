//! `POST /api/whatif`: request errors with the scenario's codes at request paths, body
//! limits, and what-ifs that change the plan as they should, checked independently.

use crate::{STATE, call, post};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use server::whatif::{self, Change};

/// A what-if body that must be refused with `status` and exactly these (code, field)s.
fn check(body: &str, status: StatusCode, expect: &[(&str, &str)]) {
    let a = post("/api/whatif", body);
    assert_eq!(
        a.status,
        status,
        "{body}: {}",
        String::from_utf8_lossy(&a.bytes)
    );
    let want: Vec<(String, String)> = expect
        .iter()
        .map(|(c, f)| (c.to_string(), f.to_string()))
        .collect();
    assert_eq!(a.problems(), want, "{body}");
}

fn changes(list: Value) -> String {
    json!({ "changes": list }).to_string()
}

#[test]
fn malformed_requests_get_the_file_reading_codes() {
    let bad = StatusCode::BAD_REQUEST;
    check("{\"changes\": [", bad, &[("E0001", "")]);
    check("[]", bad, &[("E0002", "(body)")]);
    check("{}", bad, &[("E0004", "changes")]);
    check("{\"changes\": {}}", bad, &[("E0002", "changes")]);
    check("{\"changes\": [], \"note\": 1}", bad, &[("E0003", "note")]);
    check(&changes(json!([7])), bad, &[("E0002", "changes[0]")]);
    check(&changes(json!([{}])), bad, &[("E0004", "changes[0].kind")]);
    check(
        &changes(json!([{"kind": "open_road", "road": "x"}])),
        bad,
        &[("E0002", "changes[0].kind")],
    );
    check(
        &changes(json!([{"kind": "close_road", "from": "2023-10-01", "until": 5, "lane": 1}])),
        bad,
        &[
            ("E0004", "changes[0].road"),
            ("E0002", "changes[0].until"),
            ("E0003", "changes[0].lane"),
        ],
    );
    check(
        &changes(json!([
            {"kind": "fleet_size", "fleet": "trucks-gao", "units": 2.5},
            {"kind": "deadline", "site": "kidal", "date": "15 Nov"},
        ])),
        bad,
        &[("E0002", "changes[0].units"), ("E0002", "changes[1].date")],
    );
}

#[test]
fn changes_are_checked_by_the_scenario_rules_at_request_paths() {
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    let road = |road: &str, from: &str, until: &str| json!({"kind": "close_road", "road": road, "from": from, "until": until});
    check(
        &changes(json!([road("gao-kidl", "2023-10-01", "2023-10-15")])),
        bad,
        &[("E1101", "changes[0].road")],
    );
    check(
        &changes(json!([road("kidal-gao", "2023-10-01", "2025-01-01")])),
        bad,
        &[("E1004", "changes[0].until")],
    );
    check(
        &changes(json!([road("kidal-gao", "2023-10-15", "2023-10-01")])),
        bad,
        &[("E1009", "changes[0].until")],
    );
    check(
        &changes(json!([road(
            "kidal-gao",
            "2023-10-01T08:00:00",
            "2023-10-15"
        )])),
        bad,
        &[("E1001", "changes[0].from")],
    );
    check(
        &changes(
            json!([{"kind": "refuse_flights", "airfield": "ansongo", "from": "2023-10-01", "until": "2023-10-02"}]),
        ),
        bad,
        &[("E1602", "changes[0].airfield")],
    );
    check(
        &changes(json!([
            {"kind": "close_site", "site": "niamey", "from": "2023-10-01", "until": "2023-10-02"},
            {"kind": "fleet_size", "fleet": "trucks-gao", "units": 0},
            {"kind": "fleet_size", "fleet": "lorries", "units": 3},
            {"kind": "deadline", "site": "kidl", "date": "2023-11-30"},
            {"kind": "fleet_size", "fleet": "trucks-bamako", "units": -1},
        ])),
        bad,
        &[
            ("E1101", "changes[2].fleet"),
            ("E1101", "changes[3].site"),
            ("E1005", "changes[4].units"),
            ("E1006", "changes[1].units"),
        ],
    );
    // A rule comparing a changed value with one of the file names the file's field.
    check(
        &changes(json!([{"kind": "deadline", "site": "timbuktu", "date": "2023-10-31"}])),
        bad,
        &[("E1208", "site[timbuktu].not_before")],
    );
}

#[test]
fn an_oversized_body_is_refused_with_413() {
    let filler = "x".repeat(server::MAX_BODY);
    let body = format!("{{\"changes\": [], \"pad\": \"{filler}\"}}");
    check(&body, StatusCode::PAYLOAD_TOO_LARGE, &[("H413", "")]);
    // Without a Content-Length the limit holds while reading.
    let stream = axum::body::Body::from_stream(futures_stream(body));
    let a = call(Method::POST, "/api/whatif", stream);
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.problems(), [("H413".to_string(), String::new())]);
}

/// A body sent in chunks of 1 KiB, with no length known in advance.
fn futures_stream(
    body: String,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = body
        .into_bytes()
        .chunks(1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    futures_util::stream::iter(chunks)
}

fn closures(view: &Value) -> Vec<(String, Option<String>)> {
    view["plan"]["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["closure"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn no_changes_give_the_base_plan() {
    let a = post("/api/whatif", "{\"changes\": []}");
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    assert_eq!(v["view"], serde_json::to_value(STATE.view()).unwrap());
    assert_eq!(v["diff"]["objective_before"], v["diff"]["objective_after"]);
    for s in v["diff"]["sites"].as_array().unwrap() {
        assert_eq!(s["closure_before"], s["closure_after"], "{s}");
        assert_eq!(s["delta_days"], json!(0), "{s}");
    }
}

/// Closing the only road out of Kidal from before its closure until November: no convoy
/// uses the road in the window, the plan passes the checker, and Kidal closes later.
#[test]
fn closing_a_road_moves_its_traffic_out_of_the_window() {
    let body = changes(json!([
        {"kind": "close_road", "road": "kidal-gao", "from": "2023-08-01", "until": "2023-11-05"}
    ]));
    let a = post("/api/whatif", &body);
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.bytes)
    );
    let v = a.json();
    let convoys = v["view"]["plan"]["convoys"].as_array().unwrap();
    let on_road: Vec<&Value> = convoys
        .iter()
        .filter(|c| c["road"] == "kidal-gao")
        .collect();
    assert!(
        !on_road.is_empty(),
        "Kidal still empties by road after the window"
    );
    for c in on_road {
        let (d, r) = (c["depart"].as_str().unwrap(), c["arrive"].as_str().unwrap());
        assert!(
            r <= "2023-08-01" || d > "2023-11-05",
            "convoy in the closed window: {c}"
        );
    }
    let kidal = v["diff"]["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "kidal")
        .unwrap();
    assert!(kidal["delta_days"].as_i64().unwrap() > 0, "{kidal}");
    assert!(
        kidal["closure_after"].as_str().unwrap() > "2023-11-05",
        "{kidal}"
    );
    assert_ne!(
        closures(&v["view"]),
        closures(&serde_json::to_value(STATE.view()).unwrap())
    );
    // The base is untouched: the next read still shows the base plan.
    let base = crate::get("/api/plan").json();
    assert_eq!(base, serde_json::to_value(&STATE.view().plan).unwrap());
    assert!(v["elapsed_ms"].as_u64().is_some());
}

/// The same what-if through the library: the plan is judged again by the independent
/// checker, and the diff agrees with the checker's figures.
#[test]
fn what_if_plans_pass_the_checker() {
    let base = STATE.base();
    let date = |s: &str| s.parse().unwrap();
    let list = [
        Change::CloseRoad {
            road: "kidal-gao".into(),
            from: date("2023-08-01"),
            until: date("2023-11-05"),
        },
        Change::FleetSize {
            fleet: "trucks-gao".into(),
            units: 10,
        },
        Change::Deadline {
            site: "timbuktu".into(),
            date: date("2023-11-30"),
        },
    ];
    let out = whatif::run(&base.file, &base.text, &base.planned, &list).unwrap();
    let report = scenario::check::verify(&out.planned.scenario, &out.planned.file);
    assert!(report.is_feasible(), "{:?}", report.violations);
    let s = &out.planned.scenario;
    let trucks = s.fleets.iter().find(|f| f.id == "trucks-gao").unwrap();
    assert_eq!(trucks.count, 10);
    let timbuktu = s.sites.iter().position(|x| x.id == "timbuktu").unwrap();
    assert_eq!(
        s.horizon
            .date(s.sites[timbuktu].close_by.unwrap())
            .to_string(),
        "2023-11-30"
    );
    let row = out.diff.sites.iter().find(|d| d.id == "timbuktu").unwrap();
    assert_eq!(row.deadline.as_deref(), Some("2023-11-30"));
    assert_eq!(row.deadline_before.as_deref(), Some("2023-12-31"));
    assert_eq!(row.late_days_after, report.sites[timbuktu].late_days);
    assert_eq!(row.closure_after, report.sites[timbuktu].closure_date);
    assert_eq!(
        out.diff.objective_after,
        scenario::planfile::round(report.totals.objective, 3)
    );
}

/// Whether movement `m` departs from or arrives at `site` in `[from, until]`: what a
/// restriction of the site forbids (`docs/plan-semantics.md`, V028 and V064).
fn at_site(m: &Value, site: &str, from: &str, until: &str) -> bool {
    let inside = |key: &str| (from..=until).contains(&m[key].as_str().unwrap());
    (m["from"] == site && inside("depart")) || (m["to"] == site && inside("arrive"))
}

/// Every other kind of change, in one request: each takes effect in the what-if plan,
/// where the base plan did what the change forbids.
#[test]
fn every_change_kind_takes_effect() {
    let base = serde_json::to_value(STATE.view()).unwrap();
    let (from, until) = ("2023-07-01", "2023-09-30");
    let flights_at_kidal = |v: &Value| {
        v["plan"]["flights"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| at_site(f, "kidal", from, until))
            .count()
    };
    let convoys_at_niamey = |v: &Value| {
        v["plan"]["convoys"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| at_site(c, "niamey", from, until))
            .count()
    };
    assert!(flights_at_kidal(&base) > 0 && convoys_at_niamey(&base) > 0);
    let body = changes(json!([
        {"kind": "refuse_flights", "airfield": "kidal", "from": from, "until": until},
        {"kind": "close_site", "site": "niamey", "from": from, "until": until},
        {"kind": "fleet_size", "fleet": "trucks-gao", "units": 10},
        {"kind": "deadline", "site": "kidal", "date": "2023-11-30"},
    ]));
    let a = post("/api/whatif", &body);
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.bytes)
    );
    let v = a.json();
    let view = &v["view"];
    assert_eq!(flights_at_kidal(view), 0);
    assert_eq!(convoys_at_niamey(view), 0);
    let fleet = |v: &Value| {
        v["scenario"]["fleets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "trucks-gao")
            .unwrap()["count"]
            .clone()
    };
    assert_ne!(fleet(&base), json!(10));
    assert_eq!(fleet(view), json!(10));
    let kidal = |v: &Value, key: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "kidal")
            .unwrap()[key]
            .clone()
    };
    assert_eq!(kidal(&view["plan"]["sites"], "deadline"), "2023-11-30");
    assert_eq!(kidal(&v["diff"]["sites"], "deadline"), "2023-11-30");
    assert_eq!(kidal(&v["diff"]["sites"], "deadline_before"), "2023-12-15");
    // The two windows are restrictions of the what-if scenario, shown on the map.
    let added = view["scenario"]["restrictions"].as_array().unwrap().len()
        - base["scenario"]["restrictions"].as_array().unwrap().len();
    assert_eq!(added, 2);
}

/// A what-if that leaves a camp no way out gets no plan: `P001`, 422, and no view.
#[test]
fn a_what_if_without_a_plan_is_p001() {
    let body = changes(json!([
        {"kind": "close_road", "road": "sevare-ogossagou", "from": "2023-07-01", "until": "2024-03-31"}
    ]));
    check(&body, StatusCode::UNPROCESSABLE_ENTITY, &[("P001", "")]);
}

/// What-ifs running at once do not disturb each other: the same request gives the same
/// answer (the planner is deterministic and the base is shared read-only).
#[test]
fn concurrent_what_ifs_give_the_same_answer() {
    let body = changes(json!([
        {"kind": "fleet_size", "fleet": "carriers-gao", "units": 5},
    ]));
    let answers: Vec<Value> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| post("/api/whatif", &body)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                let a = h.join().unwrap();
                assert_eq!(a.status, StatusCode::OK);
                let mut v = a.json();
                v["elapsed_ms"] = Value::Null;
                v
            })
            .collect()
    });
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[1], answers[2]);
}
