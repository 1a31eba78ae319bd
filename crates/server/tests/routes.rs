//! The read endpoints, the assets, and the errors of unknown paths and bad queries.

use crate::{STATE, get, post};
use axum::http::StatusCode;
use serde_json::Value;

#[test]
fn the_page_and_its_assets_are_served() {
    let a = get("/");
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.content_type.starts_with("text/html"),
        "{}",
        a.content_type
    );
    assert_eq!(a.bytes, dashboard::assets::get("index.html").unwrap().bytes);
    for path in dashboard::assets::paths() {
        let a = get(&format!("/assets/{path}"));
        assert_eq!(a.status, StatusCode::OK, "{path}");
        let want = dashboard::assets::get(path).unwrap();
        assert_eq!(a.content_type, want.content_type, "{path}");
        assert_eq!(a.bytes, want.bytes, "{path}");
    }
}

#[test]
fn unknown_paths_methods_and_assets_are_json_errors() {
    for (answer, status, code) in [
        (get("/api/nothing"), StatusCode::NOT_FOUND, "H404"),
        (get("/assets/no-such.js"), StatusCode::NOT_FOUND, "H404"),
        (
            post("/api/plan", "{}"),
            StatusCode::METHOD_NOT_ALLOWED,
            "H405",
        ),
        (get("/api/whatif"), StatusCode::METHOD_NOT_ALLOWED, "H405"),
    ] {
        assert_eq!(answer.status, status);
        assert_eq!(answer.problems(), [(code.to_string(), String::new())]);
    }
}

#[test]
fn the_view_and_its_pieces_are_the_page_model() {
    let view = get("/api/view");
    assert_eq!(view.status, StatusCode::OK);
    assert_eq!(view.content_type, "application/json");
    let view = view.json();
    assert_eq!(view, serde_json::to_value(STATE.view()).unwrap());
    assert_eq!(view["scenario"]["name"], "MINUSMA withdrawal 2023");
    for (path, key) in [
        ("/api/scenario", "scenario"),
        ("/api/plan", "plan"),
        ("/api/burndown", "burndown"),
    ] {
        let a = get(path);
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.json(), view[key], "{path}");
    }
    // The base plan is the checked plan the state holds, the best of the optimising
    // planner's policies (as `drawdown plan` makes it), so no worse than the default one.
    let planned = &STATE.base().planned;
    assert!(planned.report.is_feasible());
    let default = planner::plan(
        &planned.scenario,
        &planner::Config::default(),
        &mut |_, _| {},
    )
    .unwrap();
    assert!(planned.plan.totals.objective <= default.totals.objective);
    assert!(planned.file.meta["policy"].is_string());
    assert_eq!(
        view["plan"]["convoys"].as_array().unwrap().len(),
        planned.file.convoys.len()
    );
}

#[test]
fn explain_is_not_found_until_there_is_an_explanation() {
    let a = get("/api/explain");
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.problems(), [("H404".to_string(), String::new())]);
}

fn list(uri: &str) -> Vec<Value> {
    let a = get(uri);
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{uri}: {}",
        String::from_utf8_lossy(&a.bytes)
    );
    a.json().as_array().unwrap().clone()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap()
}

#[test]
fn convoy_and_flight_filters_select_what_they_say() {
    let all = list("/api/convoys");
    assert_eq!(all.len(), STATE.base().planned.file.convoys.len());
    // Each filter alone: (query, what every kept convoy satisfies).
    type Keep = fn(&Value) -> bool;
    let cases: [(&str, Keep); 5] = [
        ("site=kidal", |c| {
            s(c, "from") == "kidal" || s(c, "to") == "kidal"
        }),
        ("kind=empty", |c| s(c, "kind") == "empty"),
        ("kind=loaded", |c| s(c, "kind") == "loaded"),
        ("from=2023-10-01", |c| s(c, "arrive") >= "2023-10-01"),
        ("from=2023-09-01&until=2023-09-10", |c| {
            s(c, "arrive") >= "2023-09-01" && s(c, "depart") <= "2023-09-10"
        }),
    ];
    for (query, keep) in cases {
        let got = list(&format!("/api/convoys?{query}"));
        let want: Vec<Value> = all.iter().filter(|c| keep(c)).cloned().collect();
        assert!(
            !want.is_empty() && want.len() < all.len(),
            "{query} must select some"
        );
        assert_eq!(got, want, "{query}");
    }
    let flights = list("/api/flights");
    assert!(!flights.is_empty());
    let some = s(&flights[0], "from").to_string();
    let got = list(&format!("/api/flights?airfield={some}&until=2023-08-31"));
    let want: Vec<Value> = flights
        .iter()
        .filter(|f| (s(f, "from") == some || s(f, "to") == some) && s(f, "depart") <= "2023-08-31")
        .cloned()
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

#[test]
fn bad_filters_are_reported_all_at_once() {
    let check = |uri: &str, expect: &[(&str, &str)]| {
        let a = get(uri);
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{uri}");
        let want: Vec<(String, String)> = expect
            .iter()
            .map(|(c, f)| (c.to_string(), f.to_string()))
            .collect();
        assert_eq!(a.problems(), want, "{uri}");
    };
    check("/api/convoys?site=kidl", &[("E1101", "site")]);
    check("/api/convoys?from=2023-02-30", &[("E0002", "from")]);
    check("/api/convoys?kind=full", &[("E0002", "kind")]);
    check("/api/convoys?colour=red", &[("E0003", "colour")]);
    check(
        "/api/convoys?from=2023-10-02&until=2023-10-01",
        &[("E1009", "until")],
    );
    check("/api/flights?kind=empty", &[("E0003", "kind")]);
    check(
        "/api/flights?airfield=dakar-nowhere",
        &[("E1101", "airfield")],
    );
    check(
        "/api/convoys?site=nowhere&until=soon&x=1",
        &[("E1101", "site"), ("E0002", "until"), ("E0003", "x")],
    );
}

#[test]
fn explain_serves_the_explanation_when_there_is_one() {
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use tower::ServiceExt;
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/examples/road-shuttle.toml"
    );
    let text = std::fs::read_to_string(file).unwrap();
    let explanation = serde_json::json!({"bottlenecks": [{"what": "road camp-port", "days": 3}]});
    let extras = dashboard::Extras {
        explanation: Some(explanation.clone()),
        ..dashboard::Extras::default()
    };
    let base = server::Base::load("road-shuttle.toml", &text, 1, extras).unwrap();
    let app = server::app(server::AppState::new(base));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let res = rt
        .block_on(app.oneshot(Request::get("/api/explain").body(Body::empty()).unwrap()))
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = rt.block_on(to_bytes(res.into_body(), usize::MAX)).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap(), explanation);
}
