//! Plan against reality: planned and actual holdings, closures, personnel out, and what
//! is late, on a small hand-written plan and the day-one log.

use crate::{DAY_ONE, log, scenario};
use store::track::status;

/// The plan expected K1 and K2 as recorded, the 6 TEU to reach dakar on 09-09 (C0003),
/// and kidal to close on 09-08.
const PLAN: &str = r#"{
  "format": "drawdown-plan/1", "scenario": "track-fixture", "start": "2023-09-01",
  "period_days": 1,
  "convoys": [
    { "id": "K1", "road": "kidal-gao", "from": "gao", "to": "kidal", "depart": "2023-09-01",
      "arrive": "2023-09-03", "units": { "trucks": 3, "escorts": 1 } },
    { "id": "K2", "road": "kidal-gao", "from": "kidal", "to": "gao", "depart": "2023-09-03",
      "arrive": "2023-09-05", "units": { "trucks": 3, "escorts": 1 }, "teu": 6,
      "personnel": { "td": 6 } },
    { "id": "C0003", "road": "gao-dakar", "from": "gao", "to": "dakar", "depart": "2023-09-06",
      "arrive": "2023-09-09", "units": { "trucks": 3 }, "teu": 6 }
  ],
  "flights": [],
  "sites": [ { "site": "kidal", "close_by": "2023-09-20", "closure": "2023-09-08" } ],
  "totals": { "convoys": 3, "sorties": 0, "unit_km": 0, "flight_hours": 0, "exposure": 0,
              "cost": 0, "late_days": 0, "makespan_days": 9, "abandon_penalty": 0,
              "objective": 0 }
}"#;

#[test]
fn status_compares_plan_and_log_per_site() {
    let s = scenario();
    let log = log(&s, DAY_ONE);
    let refs: Vec<_> = log.iter().map(|(i, e)| (*i, e)).collect();
    let plan = scenario::check::parse_plan("plan.json", PLAN).unwrap();
    let st = status::status(&s, &plan, &refs, "2023-09-10".parse().unwrap());
    // (site, state, planned [personnel, teu, vehicles], actual)
    let want = [
        ("kidal", "open", [34, 0, 4], [34, 0, 4]),
        ("gao", "open", [26, 4, 0], [0, 6, 0]),
        ("dakar", "exit", [0, 6, 0], [0, 0, 0]),
        ("bamako", "exit", [0, 0, 0], [26, 0, 0]),
    ];
    let got: Vec<_> = st
        .sites
        .iter()
        .map(|r| (r.site.as_str(), r.state, r.planned, r.actual))
        .collect();
    assert_eq!(got, want);
    assert_eq!(st.personnel_out_total(), (0, 26));
    assert_eq!(st.events, 7);
    // kidal missed its planned closure by two days; C0003 was never recorded.
    let late: Vec<_> = st
        .late
        .iter()
        .map(|l| (l.what, l.id.as_str(), l.days))
        .collect();
    assert_eq!(late, vec![("site", "kidal", 2), ("movement", "C0003", 4)]);

    let json = st.to_json();
    assert_eq!(json["sites"][1]["actual"]["teu"], 6);
    assert_eq!(json["personnel_out"]["actual"], 26);
    let csv = st.to_csv();
    assert_eq!(csv.lines().count(), 5);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("2023-09-10,kidal,base,open,34,34,0,0,4,4,2023-09-08,,2023-09-20,2"),
        "{csv}"
    );
}

#[test]
fn status_on_an_earlier_day_sees_a_convoy_under_way_and_overdue() {
    let s = scenario();
    // K2 departed 09-03, due 09-05, and no arrival is recorded.
    let text: String = DAY_ONE
        .lines()
        .filter(|l| !l.contains("\"K2\"}") && !l.contains("flight-flown"))
        .collect::<Vec<_>>()
        .join("\n");
    let log = log(&s, &text);
    let refs: Vec<_> = log.iter().map(|(i, e)| (*i, e)).collect();
    let plan = scenario::check::parse_plan("plan.json", PLAN).unwrap();
    let st = status::status(&s, &plan, &refs, "2023-09-07".parse().unwrap());
    assert_eq!(st.under_way, 1);
    let overdue: Vec<_> = st
        .late
        .iter()
        .filter(|l| l.what == "convoy")
        .map(|l| (l.id.as_str(), l.days))
        .collect();
    assert_eq!(overdue, vec![("K2", 2)]);
}
