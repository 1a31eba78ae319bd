//! API tests of the server: one binary, the router called without a socket.

mod openapi;
mod routes;
mod whatif;

use axum::body::{Body, to_bytes};
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;
use server::{AppState, Base};
use std::sync::LazyLock;
use tower::ServiceExt;

const MINUSMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/minusma-2023.toml"
);

/// Policies the base plan tries: `drawdown plan`'s default.
const EFFORT: usize = 6;

/// The MINUSMA scenario with its checked base plan, planned once for every test.
pub static STATE: LazyLock<AppState> = LazyLock::new(|| {
    let text = std::fs::read_to_string(MINUSMA).unwrap();
    let base = Base::load(
        "minusma-2023.toml",
        &text,
        EFFORT,
        dashboard::Extras::default(),
    )
    .unwrap();
    AppState::new(base)
});

/// An answer: status, content type and body (JSON when it parses).
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The `Content-Type` header (empty when absent).
    pub content_type: String,
    /// The body.
    pub bytes: Vec<u8>,
}

impl Answer {
    /// The body as JSON (panics when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    /// The codes and fields of an error answer, whether one (`error`) or several (`errors`).
    pub fn problems(&self) -> Vec<(String, String)> {
        let v = self.json();
        let list = match (&v["error"], &v["errors"]) {
            (Value::Object(_), Value::Null) => vec![v["error"].clone()],
            (Value::Null, Value::Array(a)) => {
                assert!(a.len() > 1, "`errors` holds several problems: {v}");
                a.clone()
            }
            _ => panic!("not an error answer: {v}"),
        };
        list.iter()
            .map(|p| {
                for key in ["code", "message", "fix"] {
                    assert!(p[key].is_string(), "problem without {key}: {p}");
                }
                assert!(p.get("field").is_some(), "problem without field: {p}");
                (
                    p["code"].as_str().unwrap().to_string(),
                    p["field"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }
}

/// Send one request to the router.
pub fn call(method: Method, uri: &str, body: impl Into<Body>) -> Answer {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(body.into())
            .unwrap();
        let res = server::app(STATE.clone()).oneshot(req).await.unwrap();
        let status = res.status();
        let content_type = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            content_type,
            bytes,
        }
    })
}

/// `GET uri`.
pub fn get(uri: &str) -> Answer {
    call(Method::GET, uri, Body::empty())
}

/// `POST uri` with a JSON body.
pub fn post(uri: &str, body: &str) -> Answer {
    call(Method::POST, uri, body.to_string())
}
