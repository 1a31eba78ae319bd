//! `dashboard::report::render`: one self-contained HTML file.

use crate::minusma;
use dashboard::{Extras, build, report};

/// The only absolute URLs the inlined libraries contain, none of which a browser loads:
/// the SVG namespace name (an identifier), Leaflet's attribution link (the page turns the
/// attribution control off) and a project link in a uPlot message string.
const NOT_REFERENCES: &[&str] = &[
    "http://www.w3.org/2000/svg",
    "https://leafletjs.com",
    "https://github.com/leeoniya/uPlot",
];

/// Why `html` would load something from outside the file, if it would.
pub fn external_references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for scheme in ["http://", "https://"] {
        for (i, _) in html.match_indices(scheme) {
            if !NOT_REFERENCES.iter().any(|ok| html[i..].starts_with(ok)) {
                let end = (i + 60).min(html.len());
                found.push(html[i..html.floor_char_boundary(end)].to_string());
            }
        }
    }
    for pattern in [
        "src=\"/", "href=\"/", "src='/", "href='/", "url(/", "@import",
    ] {
        if html.contains(pattern) {
            found.push(pattern.to_string());
        }
    }
    found
}

#[test]
fn the_report_has_no_external_references() {
    let (s, plan) = minusma();
    let html = report::render(&build(s, plan, &Extras::default()));
    assert_eq!(external_references(&html), Vec::<String>::new());
    assert!(
        html.contains("<title>MINUSMA"),
        "the title names the scenario"
    );
    for site in &s.sites {
        assert!(
            html.contains(&format!("\"id\":\"{}\"", site.id)),
            "{}",
            site.id
        );
    }
    // Every script and style sheet of the page is inlined.
    assert!(!html.contains("<script src="));
    assert!(!html.contains("<link rel=\"stylesheet\""));
}

#[test]
fn the_reference_finder_finds_references() {
    assert_eq!(external_references("<img src=\"/x.png\">"), ["src=\"/"]);
    assert_eq!(
        external_references("<a href=\"https://example.org/\">"),
        ["https://example.org/\">"]
    );
    assert!(external_references("<svg xmlns=\"http://www.w3.org/2000/svg\">").is_empty());
}
