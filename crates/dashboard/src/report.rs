//! The self-contained briefing: the dashboard page with every script, style sheet and
//! data set inlined, so that one HTML file can be mailed, archived and printed.
//!
//! The report is built from the same `index.html` as the served dashboard: each
//! `<link rel="stylesheet" href="/assets/...">` becomes a `<style>` element and each
//! `<script src="/assets/...">` an inline `<script>`, and the page model and the borders
//! are embedded as data. The page's script sees `mode: "report"` and shows everything
//! but the what-if panel, which needs the server.

use crate::View;
use crate::assets;

const STYLE: &str = "<link rel=\"stylesheet\" href=\"/assets/";
const SCRIPT: &str = "<script src=\"/assets/";

/// The report of `view` as one HTML document with no external references.
pub fn render(view: &View) -> String {
    let page = assets::text("index.html");
    let data = serde_json::json!({
        "mode": "report",
        "view": view,
        "borders": serde_json::from_str::<serde_json::Value>(assets::text("borders.geojson"))
            .expect("the embedded borders are valid JSON"),
    });
    let mut out = String::with_capacity(page.len() + 600_000);
    let mut rest = page;
    let mut data_written = false;
    loop {
        let next = [STYLE, SCRIPT]
            .into_iter()
            .filter_map(|tag| rest.find(tag).map(|i| (i, tag)))
            .min();
        let Some((i, tag)) = next else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..i]);
        let after = &rest[i + tag.len()..];
        let path_end = after
            .find('"')
            .expect("asset references in index.html are quoted");
        let path = &after[..path_end];
        let close = if tag == STYLE { ">" } else { "</script>" };
        let end = after
            .find(close)
            .expect("asset references in index.html are closed");
        rest = &after[end + close.len()..];
        if tag == STYLE {
            out.push_str("<style>\n");
            out.push_str(&strip_css_comments(assets::text(path)));
            out.push_str("\n</style>");
        } else {
            if !data_written {
                // The page model goes before the first script, which may read it.
                out.push_str("<script>window.DRAWDOWN = ");
                out.push_str(&script_safe(&data.to_string()));
                out.push_str(";</script>\n");
                data_written = true;
            }
            out.push_str("<script>\n");
            out.push_str(&script_safe(assets::text(path)));
            out.push_str("\n</script>");
        }
    }
    out.replacen(
        "<title>drawdown</title>",
        &format!(
            "<title>{} – withdrawal briefing</title>",
            html_escape(&view.scenario.name)
        ),
        1,
    )
}

/// Text that cannot end the `<script>` element it is placed in. Inside JSON, `<\/` is the
/// same string as `</`; the vendored scripts contain no `</` outside strings.
fn script_safe(s: &str) -> String {
    s.replace("</", "<\\/")
}

/// CSS without its comments (which in the vendored sheets hold links to bug trackers).
fn strip_css_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i + 2..]
            .find("*/")
            .map_or("", |j| &rest[i + 2 + j + 2..]);
    }
    out.push_str(rest);
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_comments_are_removed() {
        assert_eq!(strip_css_comments("a/* x */b/*y*/c"), "abc");
        assert_eq!(strip_css_comments("a/* open"), "a");
    }

    #[test]
    fn scripts_cannot_close_early() {
        assert_eq!(script_safe(r#"{"a":"</script>"}"#), r#"{"a":"<\/script>"}"#);
    }
}
