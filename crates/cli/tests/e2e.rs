//! End-to-end tests of the pages in headless Chromium (Debian's `chromium`, which
//! `./run test` installs): the report file and the served dashboard, driven the way a user
//! drives them. Screenshots go to `target/e2e-artifacts/` (CI keeps them).
//!
//! The page's numbers are compared with figures computed here from the page model (the
//! JSON the page draws), not with constants, so the tests follow the planner.

use crate::{drawdown, root, scratch, text};
use headless_chrome::protocol::cdp::Page;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Flags this machine needs besides headless, no sandbox and no GPU (which the launch
/// options set): without the networking ones, a closed network refuses the browser.
const FLAGS: &[&str] = &[
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The installed browser; the tests need one and say how to get it.
fn chromium() -> PathBuf {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .expect("headless Chromium is not installed: run `./run test` (it installs Debian's chromium) or `apt-get install chromium`")
}

/// A fresh browser with its own profile directory.
pub fn launch(name: &str) -> Browser {
    let profile = scratch(&format!("e2e-profile-{name}"));
    let options = LaunchOptions {
        headless: true,
        sandbox: false,
        enable_gpu: false,
        window_size: Some((1440, 1700)),
        path: Some(chromium()),
        user_data_dir: Some(profile),
        args: FLAGS.iter().map(OsStr::new).collect(),
        idle_browser_timeout: Duration::from_secs(180),
        ..LaunchOptions::default()
    };
    Browser::new(options).expect("headless Chromium starts")
}

/// Where screenshots go: `target/e2e-artifacts/`.
fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the tmp dir is inside the target dir")
        .join("e2e-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Save a screenshot of the top of the page as `target/e2e-artifacts/NAME.png`.
pub fn screenshot(tab: &Tab, name: &str) {
    js(tab, "(() => { window.scrollTo(0, 0); return true; })()");
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("a screenshot");
    std::fs::write(artifacts().join(format!("{name}.png")), png).unwrap();
}

/// Save a screenshot of one element, scrolled to the top of the window, as `NAME.png`.
pub fn screenshot_of(tab: &Tab, selector: &str, name: &str) {
    let r = js(
        tab,
        &format!(
            "(() => {{ const e = document.querySelector({selector:?}); e.scrollIntoView({{block: 'start'}}); const r = e.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }})()"
        ),
    );
    let v: Vec<f64> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let clip = Page::Viewport {
        x: v[0],
        y: v[1],
        width: v[2],
        height: v[3],
        scale: 1.0,
    };
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, Some(clip), true)
        .expect("a screenshot");
    std::fs::write(artifacts().join(format!("{name}.png")), png).unwrap();
}

/// Evaluate a JavaScript expression in the page and return its value as JSON.
pub fn js(tab: &Tab, expr: &str) -> Value {
    let r = tab
        .evaluate(&format!("JSON.stringify({expr})"), true)
        .unwrap_or_else(|e| panic!("{expr}: {e}"));
    let s = r.value.and_then(|v| v.as_str().map(str::to_owned));
    s.map_or(Value::Null, |s| serde_json::from_str(&s).unwrap())
}

/// Wait until `expr` is true in the page, or fail after `secs` seconds with `what`.
pub fn wait_for(tab: &Tab, expr: &str, secs: u64, what: &str) {
    let start = Instant::now();
    while js(tab, expr) != Value::Bool(true) {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what} ({expr}); page errors: {}",
            js(tab, "window.__errors || []")
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Open `url` in a new tab and wait until the page has drawn everything.
pub fn open(browser: &Browser, url: &str) -> Arc<Tab> {
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(60));
    tab.navigate_to(url).unwrap();
    tab.wait_until_navigated().unwrap();
    wait_for(
        &tab,
        "document.body.dataset.ready === 'true'",
        60,
        "the page",
    );
    tab
}

/// The number of elements matching `selector`.
pub fn count(tab: &Tab, selector: &str) -> u64 {
    js(
        tab,
        &format!("document.querySelectorAll({selector:?}).length"),
    )
    .as_u64()
    .unwrap()
}

/// The visible text of the element `selector`.
pub fn inner_text(tab: &Tab, selector: &str) -> String {
    js(
        tab,
        &format!("document.querySelector({selector:?}).innerText"),
    )
    .as_str()
    .unwrap_or_else(|| panic!("no {selector}"))
    .to_string()
}

/// Move the day slider to step `k` as a user does: the input's value changes and it
/// fires `input`.
pub fn move_slider(tab: &Tab, k: u64) {
    js(
        tab,
        &format!(
            "(() => {{ const s = document.getElementById('day'); s.value = {k}; s.dispatchEvent(new Event('input')); return true; }})()"
        ),
    );
}

/// Movements on the road (or in the air) during step `k`, counted from the page model.
pub fn underway(movements: &Value, k: u64) -> usize {
    movements
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["depart_period"].as_u64().unwrap() <= k && k < m["arrive_period"].as_u64().unwrap()
        })
        .count()
}

/// "14,733" as the page writes numbers.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The step at which the most convoys are under way (a busy day to look at).
pub fn busiest_step(view: &Value) -> u64 {
    let periods = view["scenario"]["periods"].as_u64().unwrap();
    (0..periods)
        .max_by_key(|&k| (underway(&view["plan"]["convoys"], k), std::cmp::Reverse(k)))
        .unwrap()
}

/// Check what the map shows on step `k` against the page model.
pub fn check_map_on_step(tab: &Tab, view: &Value, k: u64) {
    move_slider(tab, k);
    let date = view["burndown"]["dates"][k as usize].as_str().unwrap();
    assert_eq!(
        js(tab, "document.getElementById('day').value"),
        k.to_string()
    );
    let convoys = underway(&view["plan"]["convoys"], k);
    let flights = underway(&view["plan"]["flights"], k);
    assert_eq!(
        count(tab, "path.convoy") as usize,
        convoys,
        "convoy markers on {date}"
    );
    assert_eq!(
        count(tab, "path.flight") as usize,
        flights,
        "flight lines on {date}"
    );
    assert_eq!(inner_text(tab, "#convoys-today"), thousands(convoys as u64));
    let people = view["burndown"]["plan"]["personnel"][k as usize]
        .as_u64()
        .unwrap();
    assert!(
        inner_text(tab, "#day-summary").starts_with(&format!("{} personnel", thousands(people))),
        "{date}: {}",
        inner_text(tab, "#day-summary")
    );
}

/// `drawdown report SCENARIO --out HTML --no-bound ARGS...`, which must succeed.
fn report(scenario: &str, html: &std::path::Path, args: &[&str]) {
    let mut all = vec![
        "report",
        scenario,
        "--no-bound",
        "--out",
        html.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let out = drawdown(&all);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn the_report_draws_every_view_and_replays_the_plan() {
    let dir = scratch("e2e-report");
    let html = dir.join("report.html");
    report(
        "scenarios/minusma-2023.toml",
        &html,
        &["--runs", "40", "--seed", "7"],
    );
    let browser = launch("report");
    let tab = open(&browser, &format!("file://{}", html.display()));
    let view = js(&tab, "window.DRAWDOWN.view");
    let sites = view["scenario"]["sites"].as_array().unwrap();
    let exits = view["scenario"]["exits"].as_array().unwrap().len();
    let camps = view["plan"]["sites"].as_array().unwrap();

    // Map: every camp, exit and road is drawn over the borders.
    assert_eq!(count(&tab, "path.site") as usize, sites.len() - exits);
    assert_eq!(count(&tab, ".exit-marker") as usize, exits);
    assert_eq!(
        count(&tab, "path.road") as usize,
        view["scenario"]["roads"].as_array().unwrap().len()
    );
    assert!(count(&tab, ".country-label") >= 10, "the borders are drawn");
    // Gantt: one bar per camp that closes; late camps are marked.
    let closing = camps.iter().filter(|s| !s["closure"].is_null()).count();
    assert_eq!(count(&tab, "#gantt .bar-wrapper") as usize, closing);
    let late = camps
        .iter()
        .filter(|s| s["late_days"].as_u64() > Some(0))
        .count();
    assert_eq!(count(&tab, "#gantt .bar-wrapper.late") as usize, late);
    assert_eq!(count(&tab, "#gantt .deadline-tick") as usize, closing);
    // Burn-down: two charts with the plan and the simulated fan.
    assert_eq!(count(&tab, "#burndown-panel .uplot"), 3);
    assert!(inner_text(&tab, "#burn-personnel").contains("Simulated median"));
    // Tables: every camp, convoy and flight (the report prints them all).
    assert_eq!(count(&tab, "#sites-table tbody tr") as usize, camps.len());
    assert_eq!(
        count(&tab, "#convoys-table tbody tr") as usize,
        view["plan"]["convoys"].as_array().unwrap().len()
    );
    assert_eq!(
        count(&tab, "#flights-table tbody tr") as usize,
        view["plan"]["flights"].as_array().unwrap().len()
    );
    // The what-if panel needs the server and is not shown.
    assert_eq!(
        js(&tab, "document.getElementById('whatif-panel').offsetParent"),
        Value::Null
    );
    screenshot(&tab, "report-start");

    // No explanation, no panel; given one (as `drawdown explain` will give), the panel
    // shows its text and its list of records as a table.
    assert_eq!(
        js(&tab, "document.getElementById('explain-panel').hidden"),
        true
    );
    js(
        &tab,
        r#"(() => { state.base.explanation = { summary: "Kidal waits for escorts", bottlenecks: [{ resource: "escort-gao", busy_days: 41 }, { resource: "road kidal-gao", busy_days: 12 }] }; renderAll(); return true; })()"#,
    );
    assert_eq!(
        js(&tab, "document.getElementById('explain-panel').hidden"),
        false
    );
    assert!(inner_text(&tab, "#explain").contains("Kidal waits for escorts"));
    assert_eq!(count(&tab, "#explain table tbody tr"), 2);
    screenshot_of(&tab, "#explain-panel", "report-explanation");

    // The day slider replays the plan: on the busiest day convoys are on the road and the
    // burn-down has moved.
    let k = busiest_step(&view);
    assert!(underway(&view["plan"]["convoys"], k) > 0);
    check_map_on_step(&tab, &view, k);
    screenshot_of(&tab, "#map-panel", "report-map-busiest-day");
    // And on the day with the most flights, the flights are drawn.
    let periods = view["scenario"]["periods"].as_u64().unwrap();
    let k = (0..periods)
        .max_by_key(|&k| (underway(&view["plan"]["flights"], k), std::cmp::Reverse(k)))
        .unwrap();
    assert!(underway(&view["plan"]["flights"], k) > 0);
    check_map_on_step(&tab, &view, k);
    assert_eq!(
        count(&tab, ".plane") as usize,
        underway(&view["plan"]["flights"], k)
    );
    screenshot_of(&tab, "#map-panel", "report-map-busiest-flight-day");
    screenshot_of(&tab, "#gantt-panel", "report-gantt");
    screenshot_of(&tab, "#burndown-panel", "report-burndown");
}

#[test]
fn the_report_prints_to_pdf() {
    let dir = scratch("e2e-pdf");
    let html = dir.join("report.html");
    let pdf = dir.join("report.pdf");
    report(
        "scenarios/examples/road-shuttle.toml",
        &html,
        &["--pdf", pdf.to_str().unwrap()],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
    std::fs::copy(&pdf, artifacts().join("road-shuttle-report.pdf")).unwrap();
}

#[test]
fn report_without_a_browser_says_how_to_get_one() {
    let dir = scratch("e2e-no-browser");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_drawdown"))
        .args([
            "report",
            "scenarios/examples/road-shuttle.toml",
            "--no-bound",
            "--out",
        ])
        .arg(dir.join("r.html"))
        .arg("--pdf")
        .arg(dir.join("r.pdf"))
        .env("PATH", "/nonexistent")
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("headless Chromium is not installed"), "{err}");
    assert!(err.contains("fix:"), "{err}");
    // The HTML is still written.
    assert!(dir.join("r.html").is_file());
}

/// `drawdown serve` on an ephemeral port, stopped when dropped.
struct Served {
    child: std::process::Child,
    url: String,
}

impl Served {
    fn start(scenario: &str) -> Served {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_drawdown"))
            .args(["serve", "--scenario", scenario, "--addr", "127.0.0.1:0"])
            .current_dir(root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("drawdown serve starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("drawdown serve printed no URL: {line:?}"))
            .to_string();
        Served { child, url }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fill the what-if form with a road closure and add it to the changes.
fn add_road_closure(tab: &Tab, road: &str, from: &str, until: &str) {
    js(
        tab,
        &format!(
            r#"(() => {{
        const kind = document.getElementById('whatif-kind');
        kind.value = 'close_road'; kind.dispatchEvent(new Event('change'));
        const set = (name, v) => {{ const i = document.querySelector(`.whatif-fields [name=${{name}}]`); i.value = v; i.dispatchEvent(new Event('change')); }};
        set('road', '{road}'); set('from', '{from}'); set('until', '{until}');
        return true; }})()"#
        ),
    );
    tab.find_element("#whatif-add").unwrap().click().unwrap();
}

#[test]
fn the_dashboard_replays_the_plan_and_answers_a_what_if() {
    let served = Served::start("scenarios/minusma-2023.toml");
    let browser = launch("dashboard");
    let tab = open(&browser, &served.url);
    let view = js(&tab, "state.base");
    screenshot(&tab, "dashboard-start");

    // The slider replays the plan.
    let k = busiest_step(&view);
    check_map_on_step(&tab, &view, k);
    screenshot_of(&tab, "#map-panel", "dashboard-map-busiest-day");

    // Clicking Kidal on the map lists its convoys: the convoy table keeps the convoys
    // from or to Kidal.
    tab.find_element("path.site-kidal")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(
        js(
            &tab,
            "document.querySelector('#convoy-filters [name=site]').value"
        ),
        "kidal"
    );
    let kidal_convoys = view["plan"]["convoys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["from"] == "kidal" || c["to"] == "kidal")
        .count();
    assert!(kidal_convoys > 0);
    assert_eq!(
        count(&tab, "#convoys-table tbody tr") as usize,
        kidal_convoys.min(250)
    );
    let rows = js(
        &tab,
        "[...document.querySelectorAll('#convoys-table tbody tr')].map((r) => r.innerText)",
    );
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r.as_str().unwrap().contains("Kidal"))
    );

    // A what-if with its dates the wrong way round is refused, with the code, the request
    // field and the fix shown.
    let road = "kidal-gao";
    let (from, until) = ("2023-08-15", "2023-10-31");
    add_road_closure(&tab, road, until, from);
    tab.find_element("#whatif-run").unwrap().click().unwrap();
    wait_for(
        &tab,
        "!!document.getElementById('whatif-error')",
        60,
        "the refusal",
    );
    let refusal = inner_text(&tab, "#whatif-error");
    assert!(
        refusal.contains("E1009") && refusal.contains("changes[0].until"),
        "{refusal}"
    );
    screenshot_of(&tab, "#whatif-panel", "dashboard-whatif-refused");
    tab.find_element("#whatif-changes .chip button")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(count(&tab, "#whatif-changes .chip"), 0);

    // What if the Kidal-Gao road is closed from mid-August to the end of October?
    add_road_closure(&tab, road, from, until);
    assert!(inner_text(&tab, "#whatif-changes").contains("Road kidal-gao closed"));
    tab.find_element("#whatif-run").unwrap().click().unwrap();
    wait_for(
        &tab,
        "!!document.getElementById('diff-table') || !!document.getElementById('whatif-error')",
        60,
        "the what-if answer",
    );
    assert_eq!(
        count(&tab, "#whatif-error"),
        0,
        "{}",
        inner_text(&tab, "#whatif-result")
    );
    let after = js(&tab, "state.whatif.view");
    // No convoy of the what-if plan drives the closed road in the window.
    let on_road = after["plan"]["convoys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["road"] == road
                && c["depart"].as_str().unwrap() <= until
                && c["arrive"].as_str().unwrap() > from
        })
        .count();
    assert_eq!(on_road, 0);
    // The comparison lists every camp; Kidal's stock now leaves on other days.
    let diff = js(&tab, "state.whatif.diff");
    assert_eq!(
        count(&tab, "#diff-table tbody tr") as usize,
        diff["sites"].as_array().unwrap().len()
    );
    let kidal = diff["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "kidal")
        .unwrap();
    assert_ne!(kidal["closure_before"], kidal["closure_after"], "{kidal}");
    screenshot_of(&tab, "#whatif-panel", "dashboard-whatif-diff");

    // Switched to the what-if plan, the map shows the road closed inside the window.
    tab.find_element("#whatif-toggle").unwrap().click().unwrap();
    let dates = after["burndown"]["dates"].as_array().unwrap();
    let k = dates.iter().position(|d| d == "2023-09-01").unwrap() as u64;
    move_slider(&tab, k);
    assert_eq!(count(&tab, "path.road.closed"), 1);
    assert!(inner_text(&tab, "#title").contains("what-if plan"));
    screenshot(&tab, "dashboard-whatif-plan");
}

/// With a tracking database, the report draws the record next to the plan, up to the
/// morning after the last recorded day.
#[test]
fn the_report_draws_the_record_from_a_tracking_database() {
    let db = crate::track::init("e2e-record");
    for line in crate::track::WAVE_ONE {
        let out = crate::track::record(&db, line);
        assert_eq!(out.status.code(), Some(0), "{line}: {}", text(&out.stderr));
    }
    let html = db.with_file_name("report.html");
    report(
        "scenarios/examples/road-shuttle.toml",
        &html,
        &["--db", db.to_str().unwrap()],
    );
    let browser = launch("record");
    let tab = open(&browser, &format!("file://{}", html.display()));
    // The first wave left on 1 July with all 6 personnel and arrived on 3 July (period 2):
    // the record runs from the initial 6 to none on the morning of 4 July, and stops there.
    let actual = js(&tab, "window.DRAWDOWN.view.burndown.actual.personnel");
    assert_eq!(actual, serde_json::json!([6, 6, 6, 0]));
    assert!(inner_text(&tab, "#burn-personnel").contains("Actual"));
    screenshot_of(&tab, "#burndown-panel", "report-record-burndown");
}
