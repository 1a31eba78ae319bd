//! `parse_str` + `load_raw`: a scenario edited in memory is checked by the same rules, and
//! diagnostics of edited values point where their spans say (here, past the original text).

use scenario::format::{RawRestriction, RawScenario};
use scenario::{LoadError, load_raw, parse_str};
use toml::Spanned;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/minusma-2023.toml"
);

fn date(s: &str) -> toml::value::Datetime {
    s.parse().unwrap()
}

/// A restriction closing `road` whose values all point at byte `at`.
fn restriction(id: &str, road: &str, at: usize) -> Spanned<RawRestriction> {
    fn sp<T>(at: usize, v: T) -> Spanned<T> {
        Spanned::new(at..at + 1, v)
    }
    sp(
        at,
        RawRestriction {
            id: sp(at, id.to_string()),
            reason: None,
            from: sp(at, date("2023-10-01")),
            until: sp(at, date("2023-10-15")),
            roads: Some(sp(at, vec![sp(at, road.to_string())])),
            sites: None,
            airfields: None,
        },
    )
}

fn minusma() -> (String, RawScenario) {
    let text = std::fs::read_to_string(FILE).unwrap();
    let raw = parse_str("minusma-2023.toml", &text).unwrap();
    (text, raw)
}

#[test]
fn load_str_is_parse_then_load_raw() {
    let (text, raw) = minusma();
    let a = load_raw("m.toml", &text, &raw).unwrap();
    let b = scenario::load_str("m.toml", &text).unwrap();
    assert_eq!(a.scenario, b.scenario);
    assert_eq!(a.warnings, b.warnings);
}

#[test]
fn an_added_restriction_is_lowered() {
    let (text, mut raw) = minusma();
    let road = scenario::load_str("m.toml", &text).unwrap().scenario.roads[0]
        .id
        .clone();
    let before = raw.restriction.len();
    raw.restriction.push(restriction("edit-0", &road, 0));
    let s = load_raw("m.toml", &text, &raw).unwrap().scenario;
    assert_eq!(s.restrictions.len(), before + 1);
    let r = s.restrictions.last().unwrap();
    assert_eq!(r.id, "edit-0");
    assert_eq!(s.roads[r.roads[0].idx()].id, road);
}

#[test]
fn an_edited_value_is_checked_where_its_span_points() {
    let (mut text, mut raw) = minusma();
    let lines = text.matches('\n').count();
    let at = text.len();
    text.push_str("appendix\n");
    raw.restriction
        .push(restriction("edit-0", "nowhere-road", at));
    let Err(LoadError::Invalid(diags)) = load_raw("m.toml", &text, &raw) else {
        panic!("an unknown road must be refused");
    };
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == scenario::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "E1101");
    assert_eq!(errors[0].line, lines + 1);
    assert_eq!(errors[0].field, "restriction[edit-0].roads");
}
