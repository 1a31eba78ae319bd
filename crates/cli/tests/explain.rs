//! `drawdown explain` end to end: the JSON has the fields `docs/explain.md` documents, the
//! briefing reads as one, and bad input exits 2.

use crate::{drawdown, root, scratch, text};
use serde_json::Value;

/// The escort-bottleneck example with a deadline two days before its earliest closure,
/// so that every section of the explanation has something to say.
fn late_escort() -> String {
    let t =
        std::fs::read_to_string(root().join("scenarios/examples/escort-bottleneck.toml")).unwrap();
    let dir = scratch("explain-late");
    let path = dir.join("late.toml");
    std::fs::write(
        &path,
        t.replace("close_by = 2023-07-05", "close_by = 2023-07-03"),
    )
    .unwrap();
    path.to_string_lossy().into_owned()
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect();
    k.sort();
    k
}

fn has(v: &Value, want: &[&str]) {
    let mut want: Vec<String> = want.iter().map(ToString::to_string).collect();
    want.sort();
    assert_eq!(keys(v), want, "fields of {v}");
}

#[test]
fn json_has_the_documented_fields() {
    let file = late_escort();
    let out = drawdown(&["explain", &file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("explain writes JSON");
    has(
        &v,
        &[
            "format",
            "scenario",
            "objective",
            "replans",
            "checked_plans",
            "critical",
            "binding",
            "one_more",
            "latest_start",
            "late",
            "gap",
        ],
    );
    assert_eq!(v["format"], "drawdown-explain/1");
    // No plan meets this deadline, so the LP of plans that do has no solution, and there
    // is no gap to it; with the example's own deadline there is.
    assert!(v["gap"].is_null(), "{}", v["gap"]);
    let own = root().join("scenarios/examples/escort-bottleneck.toml");
    let out = drawdown(&["explain", own.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let on_time: Value = serde_json::from_slice(&out.stdout).expect("explain writes JSON");
    let gap = &on_time["gap"];
    has(
        gap,
        &[
            "against", "parts", "plan", "lp", "roads", "lateness", "makespan",
        ],
    );
    has(&gap["parts"][0], &["part", "plan", "lp", "difference"]);
    assert!(
        gap["plan"].as_f64().unwrap() >= gap["lp"].as_f64().unwrap() - 1e-6,
        "{gap}"
    );
    has(
        &v["critical"],
        &[
            "site",
            "closure",
            "deadline",
            "slack_days",
            "last_movements",
            "waited_for",
        ],
    );
    has(
        &v["critical"]["waited_for"][0],
        &["resource", "saturated_days"],
    );
    let resource = &v["binding"][0]["resource"];
    has(resource, &["kind", "id", "label"]);
    assert_eq!(resource["kind"], "fleet");
    assert_eq!(resource["id"], "escort");
    has(
        &v["binding"][0],
        &[
            "rank",
            "resource",
            "saturated",
            "saturated_days",
            "shadow_price",
            "shadow_from",
            "shadow_until",
            "critical",
            "score",
        ],
    );
    has(&v["binding"][0]["saturated"][0], &["from", "until"]);
    has(
        &v["one_more"][0],
        &[
            "change",
            "in_use_from",
            "objective_before",
            "objective_after",
            "objective_change",
            "closures",
        ],
    );
    has(
        &v["one_more"][0]["change"],
        &["resource", "amount", "label"],
    );
    has(
        &v["latest_start"][0],
        &[
            "site",
            "deadline",
            "not_before",
            "planned_start",
            "latest_start",
            "closure_at_latest",
            "margin_days",
            "next_start_late_days",
            "replans",
        ],
    );
    let late = &v["late"][0];
    has(
        late,
        &[
            "site",
            "deadline",
            "closure",
            "late_days",
            "move_deadline_to",
            "resources",
            "abandon",
        ],
    );
    has(
        &late["resources"],
        &[
            "changes",
            "abandon_teu",
            "abandon_vehicles",
            "closure",
            "objective",
        ],
    );
    assert_eq!(late["site"], "camp");
    assert!(v["checked_plans"].as_u64().unwrap() >= 2);
}

#[test]
fn the_briefing_is_ranked_text_and_bad_input_exits_2() {
    let file = late_escort();
    let out = drawdown(&["explain", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    for heading in [
        "Critical chain: camp closes on 2023-07-05, 2 days after its deadline",
        "What binds, most binding first:",
        "  1. the escort units at camp",
        "One more unit, measured by re-planning:",
        "Latest safe start",
        "Missed deadlines and what would meet them",
        "or move the deadline to 2023-07-05",
    ] {
        assert!(t.contains(heading), "missing {heading:?} in:\n{t}");
    }
    let out = drawdown(&[
        "explain",
        "crates/scenario/tests/data/invalid/many-problems.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
}
