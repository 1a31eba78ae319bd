//! Diagnostics: what is wrong with an input, where, and how to fix it.

use std::fmt;
use std::ops::Range;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input can be used but probably does not say what was meant.
    Warning,
}

/// One problem found in an input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code (`E1203`); documented in `docs/scenario-format.md`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line (0 when the problem has no location, e.g. a missing table).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The field, as a path (`site[kidal].close_by`).
    pub field: String,
    /// What is wrong.
    pub cause: String,
    /// What to do about it.
    pub fix: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(
            f,
            "{sev}[{}]: {}:{}:{}: {}: {}",
            self.code, self.file, self.line, self.column, self.field, self.cause
        )?;
        write!(f, "  fix: {}", self.fix)
    }
}

/// Collects diagnostics for one source text, turning byte spans into line and column.
#[derive(Debug)]
pub struct Sink<'a> {
    file: &'a str,
    text: &'a str,
    /// Everything reported so far, in order.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    /// A sink for `text`, read from `file`.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Sink {
            file,
            text,
            diags: Vec::new(),
        }
    }

    /// Report an error at `span`.
    pub fn error(
        &mut self,
        code: &'static str,
        span: Option<Range<usize>>,
        field: impl Into<String>,
        cause: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.push(Severity::Error, code, span, field, cause, fix);
    }

    /// Report a warning at `span`.
    pub fn warning(
        &mut self,
        code: &'static str,
        span: Option<Range<usize>>,
        field: impl Into<String>,
        cause: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.push(Severity::Warning, code, span, field, cause, fix);
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Option<Range<usize>>,
        field: impl Into<String>,
        cause: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let (line, column) = span.map_or((0, 0), |s| line_col(self.text, s.start));
        self.diags.push(Diagnostic {
            code,
            severity,
            file: self.file.to_string(),
            line,
            column,
            field: field.into(),
            cause: cause.into(),
            fix: fix.into(),
        });
    }

    /// Whether any error (not warning) was reported.
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..text.floor_char_boundary(at)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
