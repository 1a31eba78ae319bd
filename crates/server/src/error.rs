//! The one error type of the API and its JSON shape.
//!
//! Every failure answers with a 4xx or 5xx status and a JSON body: `{"error": {...}}` for
//! one problem, `{"errors": [...]}` for several, each problem with `code`, `message`,
//! `field` and `fix`. Codes of request bodies are the scenario file's own (`E0001`,
//! `E1101`, ...: see `docs/scenario-format.md`); the few that belong to HTTP or to planning
//! are listed in `docs/server.md`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One problem, as the API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable code (`E1101`; `H404`, `P001`, ... for the server's own).
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// The field of the request at fault (`changes[0].road`, `site`), or `null`.
    pub field: Option<String>,
    /// What to do about it.
    pub fix: String,
}

impl Problem {
    /// A problem with `code` at `field` (`None`: the request as a whole).
    pub fn new(
        code: impl Into<String>,
        field: Option<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem {
            code: code.into(),
            message: message.into(),
            field,
            fix: fix.into(),
        }
    }
}

/// An error answer: a status and at least one problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {}", .problems.iter().map(|p| format!("{} {}", p.code, p.message)).collect::<Vec<_>>().join("; "))]
pub struct AppError {
    /// The HTTP status.
    pub status: StatusCode,
    /// Every problem found (never empty).
    pub problems: Vec<Problem>,
}

impl AppError {
    /// An error with one problem.
    pub fn one(status: StatusCode, problem: Problem) -> Self {
        AppError {
            status,
            problems: vec![problem],
        }
    }

    /// `404`: no such resource.
    pub fn not_found(what: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::one(StatusCode::NOT_FOUND, Problem::new("H404", None, what, fix))
    }

    /// `500`: the server's own fault.
    pub fn internal(code: &str, message: impl Into<String>) -> Self {
        Self::one(
            StatusCode::INTERNAL_SERVER_ERROR,
            Problem::new(
                code,
                None,
                message,
                "this is a bug in drawdown; please report it with the request",
            ),
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = match self.problems.as_slice() {
            [one] => serde_json::json!({ "error": one }),
            many => serde_json::json!({ "errors": many }),
        };
        (self.status, Json(body)).into_response()
    }
}
