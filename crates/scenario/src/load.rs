//! Reading a scenario file: TOML syntax, types, unknown fields, semantic rules, lowering.
//!
//! Syntax errors are all reported (the TOML parser recovers); a type error stops the typed
//! pass (serde cannot go on after one), but unknown fields found on the way are reported
//! with it; once the file is well typed every semantic rule runs and all problems are
//! reported together.

use crate::diag::{Diagnostic, Sink};
use crate::format::RawScenario;
use crate::{lower, validate};
use model::Scenario;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// A scenario that could not be loaded, with every problem found.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {file}: {source}")]
    Io {
        /// The path.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file was read but is not a valid scenario.
    #[error("{} problem(s) in the scenario", .0.len())]
    Invalid(Vec<Diagnostic>),
}

/// A loaded scenario with its warnings.
#[derive(Debug)]
pub struct Loaded {
    /// The lowered scenario.
    pub scenario: Scenario,
    /// Warnings (nothing that stops planning).
    pub warnings: Vec<Diagnostic>,
}

/// Read and load the scenario at `path`.
pub fn load_file(path: &std::path::Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        source,
    })?;
    load_str(&file, &text)
}

/// Load a scenario from `text`; `file` names it in diagnostics.
pub fn load_str(file: &str, text: &str) -> Result<Loaded, LoadError> {
    load_raw(file, text, &parse_str(file, text)?)
}

/// Parse `text` into the file-format types without checking the semantic rules, for
/// callers that edit a scenario in memory before loading it with [`load_raw`] (the
/// server's what-if). Syntax, type and unknown-field errors are reported as in
/// [`load_str`].
pub fn parse_str(file: &str, text: &str) -> Result<RawScenario, LoadError> {
    let mut sink = Sink::new(file, text);
    parse(&mut sink, text).ok_or(LoadError::Invalid(sink.diags))
}

/// Check every semantic rule on an in-memory file value and lower it: what [`load_str`]
/// does after parsing. `text` is the source the value's spans point into (it gives the
/// diagnostics their line and column); a value edited in memory may carry spans past the
/// end of the original file if `text` covers them.
pub fn load_raw(file: &str, text: &str, raw: &RawScenario) -> Result<Loaded, LoadError> {
    let mut sink = Sink::new(file, text);
    validate::validate(raw, &mut sink);
    if sink.has_errors() {
        return Err(LoadError::Invalid(sink.diags));
    }
    let scenario = lower::lower(raw);
    Ok(Loaded {
        scenario,
        warnings: sink.diags,
    })
}

/// Parse `text` into the typed file, reporting syntax errors, a type error and every
/// unknown field into `sink`. Returns `None` when the file could not be typed.
pub fn parse(sink: &mut Sink<'_>, text: &str) -> Option<RawScenario> {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            sink.error(
                "E0001",
                e.span(),
                "(syntax)",
                format!("invalid TOML: {}", first_line(e.message())),
                "correct the TOML syntax at this place (see https://toml.io)",
            );
        }
        return None;
    }
    let mut unknown: Vec<String> = Vec::new();
    let de = toml::de::Deserializer::from(root.clone());
    let result: Result<RawScenario, _> = serde_ignored::deserialize(de, |path| {
        unknown.push(path.to_string());
    });
    // Spanned wrappers show up in serde_ignored's paths as a private field, and a field
    // under a wrapper may be reported twice; normalise and deduplicate.
    let mut seen = std::collections::BTreeSet::new();
    let mut found = Vec::new();
    for path in &unknown {
        let path = path
            .split('.')
            .filter(|p| !p.starts_with("$__serde_spanned"))
            .collect::<Vec<_>>()
            .join(".");
        if seen.insert(path.clone()) {
            found.push((locate(root.get_ref(), &path), path));
        }
    }
    // Serde visits fields in its own order; report them in file order.
    found.sort_by_key(|(span, _)| span.as_ref().map_or(usize::MAX, |s| s.start));
    for (span, path) in found {
        let key = path.rsplit('.').next().unwrap_or(&path);
        sink.error(
            "E0003",
            span,
            pretty_path(root.get_ref(), &path),
            format!("unknown field `{key}`"),
            "remove it or correct its spelling; docs/scenario-format.md lists every field",
        );
    }
    match result {
        Ok(raw) if unknown.is_empty() => Some(raw),
        Ok(_) => None,
        Err(e) => {
            let msg = first_line(e.message());
            // The root table's span means the field is missing at the top level.
            let span = e.span().filter(|s| *s != root.span());
            let table = span
                .as_ref()
                .and_then(|s| path_at(root.get_ref(), s.start))
                .map(|p| pretty_path(root.get_ref(), &p));
            if let Some(name) = msg
                .strip_prefix("missing field `")
                .and_then(|m| m.strip_suffix('`'))
            {
                let field = table.map_or_else(|| name.to_string(), |t| format!("{t}.{name}"));
                sink.error(
                    "E0004",
                    e.span(),
                    field,
                    msg.to_string(),
                    "add the field; docs/scenario-format.md says what it holds",
                );
            } else {
                let fix = if msg.contains("TOML datetime") {
                    "write the date without quotes, like 2023-07-01"
                } else {
                    "give the field a value of the expected type (see docs/scenario-format.md)"
                };
                sink.error(
                    "E0002",
                    e.span(),
                    table.unwrap_or_else(|| "(file)".to_string()),
                    plain_types(msg),
                    fix,
                );
            }
            None
        }
    }
}

/// Serde's type names in words a scenario author knows.
fn plain_types(msg: &str) -> String {
    msg.replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a TOML datetime", "expected a date")
        .replace("floating point", "number")
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

/// Span of the key at dotted `path` (as serde_ignored writes it: `site.3.foo`).
fn locate(root: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut parts = path.split('.').peekable();
    let mut table = root;
    let mut value: Option<&DeValue<'_>>;
    while let Some(part) = parts.next() {
        let (key, v) = table.get_key_value(part)?;
        if parts.peek().is_none() {
            return Some(key.span());
        }
        value = Some(v.get_ref());
        // Arrays of tables are followed by an index.
        if let Some(DeValue::Array(arr)) = value {
            let idx: usize = parts.next()?.parse().ok()?;
            value = Some(arr.get(idx)?.get_ref());
        }
        table = match value {
            Some(DeValue::Table(t)) => t,
            _ => return Some(key.span()),
        };
    }
    None
}

/// Dotted path of the key whose value (or key) contains byte offset `at`.
fn path_at(root: &DeTable<'_>, at: usize) -> Option<String> {
    fn hit(r: std::ops::Range<usize>, at: usize) -> bool {
        r.start <= at && at < r.end.max(r.start + 1)
    }
    fn walk_value(v: &toml::Spanned<DeValue<'_>>, at: usize) -> Option<Vec<String>> {
        match v.get_ref() {
            DeValue::Table(t) => walk(t, at),
            DeValue::Array(arr) => arr.iter().enumerate().find_map(|(i, item)| {
                let mut p = walk_value(item, at).or_else(|| hit(item.span(), at).then(Vec::new))?;
                p.insert(0, i.to_string());
                Some(p)
            }),
            _ => None,
        }
    }
    fn walk(t: &DeTable<'_>, at: usize) -> Option<Vec<String>> {
        t.iter().find_map(|(k, v)| {
            let mut p = walk_value(v, at)
                .or_else(|| (hit(v.span(), at) || hit(k.span(), at)).then(Vec::new))?;
            p.insert(0, k.get_ref().to_string());
            Some(p)
        })
    }
    walk(root, at).map(|p| p.join("."))
}

/// `site.3.foo` as `site[camp].foo` (the table's `id` when it has one, else `site[3]`).
fn pretty_path(root: &DeTable<'_>, path: &str) -> String {
    let mut out = String::new();
    let mut table = Some(root);
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let v = table.and_then(|t| t.get(part)).map(|v| v.get_ref());
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(part);
        table = match v {
            Some(DeValue::Table(t)) => Some(t),
            Some(DeValue::Array(arr)) => match parts.peek().and_then(|i| i.parse::<usize>().ok()) {
                Some(i) => {
                    parts.next();
                    let item = arr.get(i).map(|x| x.get_ref());
                    let inner = match item {
                        Some(DeValue::Table(t)) => Some(t),
                        _ => None,
                    };
                    let text = |t: &DeTable<'_>, k: &str| {
                        t.get(k)
                            .and_then(|v| v.get_ref().as_str().map(str::to_string))
                    };
                    // A road without an id is named FROM-TO, as lowering names it.
                    let label = inner
                        .and_then(|t| {
                            text(t, "id").or_else(|| {
                                Some(format!("{}-{}", text(t, "from")?, text(t, "to")?))
                            })
                        })
                        .unwrap_or_else(|| i.to_string());
                    out.push_str(&format!("[{label}]"));
                    inner
                }
                None => None,
            },
            _ => None,
        };
    }
    out
}
