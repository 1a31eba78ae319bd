//! The drawdown HTTP server: the dashboard's JSON API, its OpenAPI document, what-if
//! re-planning and the embedded front-end assets. The only crate that knows HTTP.
//!
//! [`app`] builds the whole [`axum::Router`] from an [`AppState`] with a plain function,
//! so tests call it with `tower::ServiceExt::oneshot` and no socket; `drawdown serve`
//! binds it to an address. The state holds a base scenario with a checked plan
//! ([`Planned`]) and its page model; what-ifs ([`whatif`]) never replace the base.
//! Endpoints, error codes and what-if semantics are described in `docs/server.md` and in
//! the OpenAPI document served at `/api/openapi.json`.
//!
//! ```
//! use axum::body::{Body, to_bytes};
//! use axum::http::Request;
//! use tower::ServiceExt;
//!
//! let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/examples/road-shuttle.toml");
//! let text = std::fs::read_to_string(file).unwrap();
//! let base = server::Base::load("road-shuttle.toml", &text, 2, dashboard::Extras::default()).unwrap();
//! let app = server::app(server::AppState::new(base));
//! let rt = tokio::runtime::Runtime::new().unwrap();
//! let res = rt.block_on(app.oneshot(Request::get("/api/plan").body(Body::empty()).unwrap())).unwrap();
//! assert_eq!(res.status(), 200);
//! let body = rt.block_on(to_bytes(res.into_body(), usize::MAX)).unwrap();
//! let plan: serde_json::Value = serde_json::from_slice(&body).unwrap();
//! assert!(plan["convoys"].as_array().unwrap().len() > 0);
//! ```

pub mod error;
pub mod planned;
mod routes;
pub mod whatif;

pub use error::{AppError, Problem};
pub use planned::{PlanFailure, Planned, Planner, plan_checked};
pub use routes::{MAX_BODY, app, routes};

use std::sync::Arc;

/// The base scenario the server shows: its text (what-ifs edit it), its checked plan and
/// the extras of its page (actuals, simulated fan, explanation).
#[derive(Debug)]
pub struct Base {
    /// The scenario's file name, for diagnostics.
    pub file: String,
    /// The scenario's text.
    pub text: String,
    /// Warnings of the scenario file.
    pub warnings: Vec<scenario::Diagnostic>,
    /// The scenario with its checked plan.
    pub planned: Planned,
    /// Actuals, fan and explanation shown with the base plan.
    pub extras: dashboard::Extras,
}

/// Why a base could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BaseError {
    /// The scenario file is invalid.
    #[error(transparent)]
    Load(#[from] scenario::LoadError),
    /// No checked plan.
    #[error(transparent)]
    Plan(#[from] PlanFailure),
}

impl Base {
    /// Load the scenario `text` (named `file`), plan it with the optimising planner
    /// trying `effort` policies (as `drawdown plan --effort`), and check the plan.
    pub fn load(
        file: &str,
        text: &str,
        effort: usize,
        extras: dashboard::Extras,
    ) -> Result<Base, BaseError> {
        let loaded = scenario::load_str(file, text)?;
        let planned = plan_checked(loaded.scenario, &Planner::Best { effort })?;
        Ok(Base {
            file: file.to_string(),
            text: text.to_string(),
            warnings: loaded.warnings,
            planned,
            extras,
        })
    }
}

/// What every request handler shares: the base and its page model. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    base: Base,
    view: dashboard::View,
    /// `/api/view` as bytes, serialised once.
    view_json: axum::body::Bytes,
    /// What-ifs running at once; more wait their turn, so that a burst of requests
    /// cannot take every core from the rest of the machine.
    whatifs: tokio::sync::Semaphore,
}

/// What-ifs planned at once.
const WHATIF_SLOTS: usize = 2;

impl AppState {
    /// The state for `base`: builds its page model once.
    pub fn new(base: Base) -> AppState {
        let view = dashboard::build(&base.planned.scenario, &base.planned.plan, &base.extras);
        let view_json = serde_json::to_vec(&view)
            .expect("the page model serialises")
            .into();
        AppState(Arc::new(Inner {
            base,
            view,
            view_json,
            whatifs: tokio::sync::Semaphore::new(WHATIF_SLOTS),
        }))
    }

    /// The base scenario and plan.
    pub fn base(&self) -> &Base {
        &self.0.base
    }

    /// The page model of the base plan.
    pub fn view(&self) -> &dashboard::View {
        &self.0.view
    }
}

/// Serve `state` on `addr` until Ctrl-C, then finish the requests under way and return.
/// `ready` is called with the bound address (useful with port 0) before the first request
/// is taken. Builds its own multi-threaded runtime: call it from synchronous code.
pub fn serve(
    addr: std::net::SocketAddr,
    state: AppState,
    ready: impl FnOnce(std::net::SocketAddr),
) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                // An error here means no signal handler could be installed; the server
                // then runs until it is killed, which is what it would do anyway.
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}
