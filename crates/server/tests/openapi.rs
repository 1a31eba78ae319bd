//! The OpenAPI document lists exactly the router's routes, and every reference resolves.

use crate::get;
use axum::http::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

fn document() -> Value {
    let a = get("/api/openapi.json");
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type, "application/json");
    a.json()
}

#[test]
fn every_route_is_documented_and_every_documented_route_exists() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if method != "parameters" {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    // axum writes a catch-all parameter `{*path}`, OpenAPI `{path}`.
    let routed: BTreeSet<(String, String)> = server::routes()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.replace("{*", "{")))
        .collect();
    assert_eq!(documented, routed);
}

#[test]
fn every_documented_route_answers() {
    // The router answers every documented path (a missing route would fall back to H404
    // with an empty field, an unknown method to H405).
    for (method, path) in server::routes() {
        let uri = path.replace("{*path}", "app.js");
        let a = crate::call(method.clone(), &uri, "{\"changes\": []}");
        let fallback = a.status == StatusCode::METHOD_NOT_ALLOWED
            || (a.status == StatusCode::NOT_FOUND
                && a.json()["error"]["message"] == "no such endpoint");
        assert!(!fallback, "{method} {uri} is not routed");
    }
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_and_every_schema_is_used() {
    let doc = document();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    let mut used = BTreeSet::new();
    for r in &found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} does not resolve"
        );
        used.insert(name.to_string());
    }
    let defined: BTreeSet<String> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(defined, used, "schemas defined but never used");
}

#[test]
fn the_documented_change_kinds_are_the_accepted_ones() {
    let doc = document();
    let kinds: BTreeSet<String> = doc["components"]["schemas"]["Change"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let name = c["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
            let kind = &doc["components"]["schemas"][name]["properties"]["kind"]["enum"];
            kind[0].as_str().unwrap().to_string()
        })
        .collect();
    let accepted: BTreeSet<String> = server::whatif::KINDS
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert_eq!(kinds, accepted);
}

/// Check that `value` has exactly the properties `schema` documents, recursively through
/// references, object properties and array items (the first few of each list).
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return conforms(doc, &doc["components"]["schemas"][name], value, at);
    }
    if let (Some(props), Some(obj)) = (schema["properties"].as_object(), value.as_object()) {
        let documented: BTreeSet<&String> = props.keys().collect();
        let present: BTreeSet<&String> = obj.keys().collect();
        assert_eq!(present, documented, "properties of {at}");
        for (k, s) in props {
            conforms(doc, s, &obj[k], &format!("{at}.{k}"));
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, x) in list.iter().take(3).enumerate() {
            conforms(doc, items, x, &format!("{at}[{i}]"));
        }
    }
}

#[test]
fn answers_have_the_documented_shapes() {
    let doc = document();
    let answer = |path: &str, method: &str, status: &str| {
        doc["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
            .clone()
    };
    for path in [
        "/api/view",
        "/api/scenario",
        "/api/plan",
        "/api/convoys",
        "/api/flights",
        "/api/burndown",
    ] {
        conforms(&doc, &answer(path, "get", "200"), &get(path).json(), path);
    }
    let body = r#"{"changes": [{"kind": "fleet_size", "fleet": "trucks-gao", "units": 50}]}"#;
    let a = crate::post("/api/whatif", body);
    assert_eq!(a.status, StatusCode::OK);
    conforms(
        &doc,
        &answer("/api/whatif", "post", "200"),
        &a.json(),
        "whatif",
    );
    let problem = &doc["components"]["schemas"]["Problem"];
    let bad = crate::post("/api/whatif", "{}").json();
    conforms(&doc, problem, &bad["error"], "error");
}
