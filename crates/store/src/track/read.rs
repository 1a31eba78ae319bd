//! Reading event files: CSV with a header row, or JSON lines (one object per line).
//!
//! Both forms have the same fields (see [`FIELDS`]); personnel and fleet units are
//! `personnel:<contingent>` and `units:<fleet>` columns in CSV and `personnel` and `units`
//! objects in JSON. The columns an export adds (`event`, `recorded_at`, `recorded_by`,
//! `import`) are ignored, so an exported log imports into a fresh database. Every problem
//! in the file is reported at once, with its line and data row.

use super::event::{self, Event, FIELDS, RawEvent};
use super::problem::{Loc, Problem};
use std::path::Path;

/// Columns of an exported log that an import ignores.
pub const EXPORT_COLUMNS: [&str; 4] = ["event", "recorded_at", "recorded_by", "import"];

/// An event file's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The form a file name implies (`.csv`; `.jsonl`, `.ndjson` or `.json`).
    pub fn of_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// Read every event of `text` (named `source` in problems).
pub fn read(source: &str, text: &str, format: Format) -> Result<Vec<(Loc, Event)>, Vec<Problem>> {
    let rows = match format {
        Format::Csv => csv_rows(source, text)?,
        Format::Jsonl => jsonl_rows(source, text)?,
    };
    let mut problems = Vec::new();
    let mut events = Vec::new();
    for (loc, raw) in rows {
        match event::parse(&raw, &loc) {
            Ok(e) => events.push((loc, e)),
            Err(p) => problems.extend(p),
        }
    }
    if problems.is_empty() {
        Ok(events)
    } else {
        Err(problems)
    }
}

fn syntax(source: &str, line: usize, cause: String, fix: &str) -> Problem {
    Problem::new(
        "T001",
        &Loc {
            source: source.to_string(),
            line,
            row: 0,
        },
        "",
        cause,
        fix,
    )
}

/// Which event field a CSV column fills.
enum Column {
    Field(&'static str),
    Personnel(String),
    Units(String),
    Ignored,
}

fn csv_rows(source: &str, text: &str) -> Result<Vec<(Loc, RawEvent)>, Vec<Problem>> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let head_loc = Loc {
        source: source.to_string(),
        line: 1,
        row: 0,
    };
    let headers = r.headers().map_err(|e| {
        vec![syntax(
            source,
            1,
            format!("cannot read the header row: {e}"),
            "start the file with a header row naming the columns (docs/tracking.md)",
        )]
    })?;
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let columns: Vec<Column> = headers
        .iter()
        .map(|h| {
            if !h.is_empty() && !seen.insert(h.to_string()) {
                problems.push(Problem::new(
                    "T002",
                    &head_loc,
                    h,
                    format!("column `{h}` appears twice"),
                    "keep one column per field",
                ));
            }
            if let Some(f) = FIELDS.iter().find(|f| **f == h) {
                Column::Field(f)
            } else if let Some(c) = h.strip_prefix("personnel:") {
                Column::Personnel(c.to_string())
            } else if let Some(f) = h.strip_prefix("units:") {
                Column::Units(f.to_string())
            } else if EXPORT_COLUMNS.contains(&h) {
                Column::Ignored
            } else {
                problems.push(event::unknown_field(&head_loc, h));
                Column::Ignored
            }
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(syntax(
                    source,
                    line,
                    format!("unreadable CSV row: {e}"),
                    "give every row as many cells as the header has columns; quote cells that contain commas",
                ));
                continue;
            }
        };
        let loc = Loc {
            source: source.to_string(),
            line: rec.position().map_or(0, |p| p.line() as usize),
            row: i + 1,
        };
        let mut raw = RawEvent::default();
        for (col, cell) in columns.iter().zip(rec.iter()) {
            if cell.is_empty() {
                continue;
            }
            match col {
                Column::Field(f) => raw.set(f, cell),
                Column::Personnel(c) => {
                    raw.personnel.insert(c.clone(), cell.to_string());
                }
                Column::Units(f) => {
                    raw.units.insert(f.clone(), cell.to_string());
                }
                Column::Ignored => {}
            }
        }
        rows.push((loc, raw));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

fn jsonl_rows(source: &str, text: &str) -> Result<Vec<(Loc, RawEvent)>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut row = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        row += 1;
        let loc = Loc {
            source: source.to_string(),
            line: i + 1,
            row,
        };
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(obj)) => {
                let (raw, p) = RawEvent::from_json(&obj, &loc);
                problems.extend(p);
                rows.push((loc, raw));
            }
            Ok(_) => problems.push(Problem::new(
                "T001",
                &loc,
                "",
                "the line is JSON but not an object",
                "write one event per line as a JSON object, like {\"kind\": \"site-closed\", ...}",
            )),
            Err(e) => {
                let cause = e.to_string();
                let cause = cause
                    .rsplit_once(" at line ")
                    .map_or(cause.as_str(), |(m, _)| m);
                problems.push(Problem::new(
                    "T001",
                    &loc,
                    "",
                    format!("invalid JSON at column {}: {cause}", e.column()),
                    "write one complete JSON object per line",
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// The log as CSV: one row per event with the export columns first, then every event
/// field, then `personnel:<contingent>` and `units:<fleet>` columns for the scenario's
/// contingents and fleets.
pub fn to_csv(
    rows: &[(i64, &Event, &str, &str, Option<i64>)],
    contingents: &[String],
    fleets: &[String],
) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = EXPORT_COLUMNS.iter().map(|s| s.to_string()).collect();
    head.extend(FIELDS.iter().map(|s| s.to_string()));
    head.extend(contingents.iter().map(|c| format!("personnel:{c}")));
    head.extend(fleets.iter().map(|f| format!("units:{f}")));
    w.write_record(&head).expect("writing to a Vec");
    for &(id, e, at, by, import) in rows {
        let j = e.to_json();
        let cell = |k: &str| match &j[k] {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        let mut r = vec![
            id.to_string(),
            at.to_string(),
            by.to_string(),
            import.map(|i| i.to_string()).unwrap_or_default(),
        ];
        r.extend(FIELDS.iter().map(|f| cell(f)));
        let count = |m: &str, k: &str| match &j[m][k] {
            serde_json::Value::Null => String::new(),
            v => v.to_string(),
        };
        r.extend(contingents.iter().map(|c| count("personnel", c)));
        r.extend(fleets.iter().map(|f| count("units", f)));
        w.write_record(&r).expect("writing to a Vec");
    }
    String::from_utf8(w.into_inner().expect("a Vec never fails to flush")).expect("CSV of text")
}
