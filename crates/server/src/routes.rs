//! The routes: one table of (method, path, handler) from which both the router and the
//! list that the OpenAPI test compares with `openapi.json` are made.

use crate::AppState;
use crate::error::{AppError, Problem};
use crate::planned::PlanFailure;
use crate::whatif::{self, Change, WhatIfError};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::handler::Handler;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use axum::{Json, Router};
use serde::Serialize;
use std::time::Instant;

/// The largest request body accepted, in bytes (a what-if of hundreds of changes fits).
pub const MAX_BODY: usize = 64 * 1024;

/// The OpenAPI 3 document of every route, kept next to them.
const OPENAPI: &str = include_str!("openapi.json");

type Entry = (Method, &'static str, MethodRouter<AppState>);

fn at<H, T>(method: Method, path: &'static str, handler: H) -> Entry
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    (method, path, on(filter, handler))
}

fn table() -> Vec<Entry> {
    vec![
        at(Method::GET, "/", index),
        at(Method::GET, "/assets/{*path}", asset),
        at(Method::GET, "/api/view", view),
        at(Method::GET, "/api/scenario", scenario_part),
        at(Method::GET, "/api/plan", plan),
        at(Method::GET, "/api/convoys", convoys),
        at(Method::GET, "/api/flights", flights),
        at(Method::GET, "/api/burndown", burndown),
        at(Method::GET, "/api/explain", explain),
        at(Method::POST, "/api/whatif", whatif_handler),
        at(Method::GET, "/api/openapi.json", openapi),
    ]
}

/// Every route of [`app`]: method and path (axum's syntax: `/assets/{*path}`).
pub fn routes() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|(m, p, _)| (m, p)).collect()
}

/// The whole application: every route, JSON errors for unknown paths and methods, and
/// the request body limit ([`MAX_BODY`]).
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for (_, path, handler) in table() {
        router = router.route(path, handler);
    }
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

async fn not_found() -> AppError {
    AppError::not_found(
        "no such endpoint",
        "see /api/openapi.json for the endpoints",
    )
}

async fn method_not_allowed() -> AppError {
    AppError::one(
        StatusCode::METHOD_NOT_ALLOWED,
        Problem::new(
            "H405",
            None,
            "this endpoint does not take this method",
            "see /api/openapi.json for the methods of each endpoint",
        ),
    )
}

/// `value` as a JSON response (serialised here, while the state is borrowed).
fn json<T: Serialize>(value: &T) -> Response {
    Json(value).into_response()
}

fn embedded(path: &str) -> Result<Response, AppError> {
    let a = dashboard::assets::get(path).ok_or_else(|| {
        AppError::not_found(
            format!("no asset `{path}`"),
            "the page refers to its assets under /assets/",
        )
    })?;
    Ok(([(header::CONTENT_TYPE, a.content_type)], a.bytes).into_response())
}

async fn index() -> Result<Response, AppError> {
    embedded("index.html")
}

async fn asset(Path(path): Path<String>) -> Result<Response, AppError> {
    embedded(&path)
}

async fn view(State(st): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        st.0.view_json.clone(),
    )
        .into_response()
}

async fn scenario_part(State(st): State<AppState>) -> Response {
    json(&st.view().scenario)
}

async fn plan(State(st): State<AppState>) -> Response {
    json(&st.view().plan)
}

async fn burndown(State(st): State<AppState>) -> Response {
    json(&st.view().burndown)
}

async fn explain(State(st): State<AppState>) -> Result<Response, AppError> {
    match &st.view().explanation {
        Some(e) => Ok(json(e)),
        None => Err(AppError::not_found(
            "no explanation of the plan's bottlenecks was made",
            "explanations appear here once `drawdown explain` exists for this plan",
        )),
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// The filters of `/api/convoys` and `/api/flights`, checked all at once.
#[derive(Default)]
struct Filter {
    /// Site (convoys) or airfield (flights) at either end.
    site: Option<String>,
    from: Option<String>,
    until: Option<String>,
    kind: Option<String>,
}

const CONVOY_KINDS: [&str; 2] = ["empty", "loaded"];

fn filter(
    st: &AppState,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    site_key: &'static str,
    with_kind: bool,
) -> Result<Filter, AppError> {
    let Query(params) = query.map_err(|e| {
        AppError::one(
            StatusCode::BAD_REQUEST,
            Problem::new(
                "E0002",
                None,
                e.body_text(),
                "write the query as key=value pairs",
            ),
        )
    })?;
    let s = &st.base().planned.scenario;
    let mut f = Filter::default();
    let mut problems = Vec::new();
    let bad = |code: &str, key: &str, message: String, fix: &str| {
        Problem::new(code, Some(key.to_string()), message, fix)
    };
    for (key, value) in params {
        match key.as_str() {
            k if k == site_key => match s.sites.iter().find(|x| x.id == value) {
                None => problems.push(bad(
                    "E1101",
                    k,
                    format!("unknown site id `{value}`"),
                    "use the id of a site of the scenario (see /api/scenario)",
                )),
                Some(x) if site_key == "airfield" && x.airfield.is_none() => problems.push(bad(
                    "E1602",
                    k,
                    format!("site `{value}` has no airfield"),
                    "name a site with an airfield",
                )),
                Some(_) => f.site = Some(value),
            },
            "from" | "until" => match value.parse::<jiff::civil::Date>() {
                Ok(d) if key == "from" => f.from = Some(d.to_string()),
                Ok(d) => f.until = Some(d.to_string()),
                Err(_) => problems.push(bad(
                    "E0002",
                    &key,
                    format!("expected a date, found \"{value}\""),
                    "write the date as YYYY-MM-DD, like 2023-10-01",
                )),
            },
            "kind" if with_kind => {
                if CONVOY_KINDS.contains(&value.as_str()) {
                    f.kind = Some(value);
                } else {
                    problems.push(bad(
                        "E0002",
                        "kind",
                        format!("unknown convoy kind `{value}`"),
                        "use `empty` or `loaded`",
                    ));
                }
            }
            _ => problems.push(bad(
                "E0003",
                &key,
                format!("unknown query parameter `{key}`"),
                "see /api/openapi.json for the parameters",
            )),
        }
    }
    if let (Some(a), Some(b)) = (&f.from, &f.until)
        && a > b
    {
        problems.push(bad(
            "E1009",
            "until",
            format!("the window ends ({b}) before it starts ({a})"),
            "swap the dates or correct one",
        ));
    }
    if problems.is_empty() {
        Ok(f)
    } else {
        Err(AppError {
            status: StatusCode::BAD_REQUEST,
            problems,
        })
    }
}

impl Filter {
    /// Whether a movement between `a` and `b` from `depart` to `arrive` passes. Dates are
    /// `YYYY-MM-DD`, so text order is date order; a movement matches a window it overlaps.
    fn keeps(&self, a: &str, b: &str, depart: &str, arrive: &str) -> bool {
        self.site.as_deref().is_none_or(|s| s == a || s == b)
            && self.from.as_deref().is_none_or(|f| arrive >= f)
            && self.until.as_deref().is_none_or(|u| depart <= u)
    }
}

async fn convoys(
    State(st): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, AppError> {
    let f = filter(&st, query, "site", true)?;
    let list: Vec<_> = st
        .view()
        .plan
        .convoys
        .iter()
        .filter(|c| f.keeps(&c.from, &c.to, &c.depart, &c.arrive))
        .filter(|c| f.kind.as_deref().is_none_or(|k| k == c.kind))
        .collect();
    Ok(json(&list))
}

async fn flights(
    State(st): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, AppError> {
    let f = filter(&st, query, "airfield", false)?;
    let list: Vec<_> = st
        .view()
        .plan
        .flights
        .iter()
        .filter(|x| f.keeps(&x.from, &x.to, &x.depart, &x.arrive))
        .collect();
    Ok(json(&list))
}

/// The answer to a what-if.
#[derive(Serialize)]
struct WhatIfAnswer<'a> {
    view: &'a dashboard::View,
    diff: &'a whatif::Diff,
    warnings: &'a [Problem],
    elapsed_ms: u64,
}

async fn whatif_handler(
    State(st): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let started = Instant::now();
    let body = body.map_err(|e| {
        let status = e.status();
        let problem = if status == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                "H413",
                None,
                format!("the request body is larger than {MAX_BODY} bytes"),
                "send fewer changes at once",
            )
        } else {
            Problem::new(
                "H400",
                None,
                e.body_text(),
                "send the changes as a JSON body",
            )
        };
        AppError::one(status, problem)
    })?;
    let changes = whatif::parse_changes(&body).map_err(|problems| AppError {
        status: StatusCode::BAD_REQUEST,
        problems,
    })?;
    let _slot =
        st.0.whatifs
            .acquire()
            .await
            .map_err(|_| AppError::internal("H500", "the server is shutting down"))?;
    let worker = st.clone();
    // Planning is CPU-bound for about half a second: it runs on the blocking pool so
    // that the async workers keep answering other requests.
    let (view, outcome) = tokio::task::spawn_blocking(move || plan_whatif(&worker, &changes))
        .await
        .map_err(|e| AppError::internal("H500", format!("the what-if task failed: {e}")))??;
    let answer = WhatIfAnswer {
        view: &view,
        diff: &outcome.diff,
        warnings: &outcome.warnings,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    };
    Ok(json(&answer))
}

fn plan_whatif(
    st: &AppState,
    changes: &[Change],
) -> Result<(dashboard::View, whatif::Outcome), AppError> {
    let base = st.base();
    let outcome =
        whatif::run(&base.file, &base.text, &base.planned, changes).map_err(|e| match e {
            WhatIfError::Refused(r) => AppError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                problems: r.problems,
            },
            WhatIfError::Plan(f @ PlanFailure::NoPlan(_)) => AppError::one(
                StatusCode::UNPROCESSABLE_ENTITY,
                Problem::new(
                    "P001",
                    None,
                    f.to_string(),
                    "undo some changes: with them the stock cannot leave within the horizon",
                ),
            ),
            WhatIfError::Plan(f @ PlanFailure::Unchecked(_)) => {
                AppError::internal("P002", f.to_string())
            }
        })?;
    // What happened is the same whatever the plan; the fan and the explanation belong to
    // the base plan and are not recomputed for a what-if.
    let extras = dashboard::Extras {
        actual: base.extras.actual.clone(),
        ..dashboard::Extras::default()
    };
    let view = dashboard::build(&outcome.planned.scenario, &outcome.planned.plan, &extras);
    Ok((view, outcome))
}
