//! Problems with recorded events: what is wrong, where, and how to fix it.
//!
//! Every code is stable and documented in `docs/tracking.md`. A problem names its source
//! (an import file, the command line, or the log itself), the line and data row when
//! there are any, the field, the cause and the fix, so that a movement controller can
//! correct the input without reading code.

use std::fmt;

/// Where an event came from.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Loc {
    /// The file as the user named it, `command line`, or `log` for an event already
    /// recorded in the database.
    pub source: String,
    /// 1-based line in the file (0 when there is none).
    pub line: usize,
    /// 1-based data row (the n-th event of the file), or the event id for `log`; 0 when
    /// there is none.
    pub row: usize,
}

impl Loc {
    /// The command line (one event, no line or row).
    pub fn command_line() -> Self {
        Loc {
            source: "command line".to_string(),
            line: 0,
            row: 0,
        }
    }

    /// An event already recorded in the log, by its id.
    pub fn log(id: i64) -> Self {
        Loc {
            source: "log".to_string(),
            line: 0,
            row: usize::try_from(id).unwrap_or(0),
        }
    }
}

/// One problem found in recorded or to-be-recorded events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Stable code (`T201`), documented in `docs/tracking.md`.
    pub code: &'static str,
    /// Where the event came from.
    pub loc: Loc,
    /// The field concerned (`teu`, `personnel:td`), empty when the whole event is.
    pub field: String,
    /// What is wrong, with the numbers involved.
    pub cause: String,
    /// What to do about it.
    pub fix: String,
}

impl Problem {
    /// A problem at `loc`.
    pub fn new(
        code: &'static str,
        loc: &Loc,
        field: impl Into<String>,
        cause: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem {
            code,
            loc: loc.clone(),
            field: field.into(),
            cause: cause.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.code, self.loc.source)?;
        if self.loc.line > 0 {
            write!(f, ":{}", self.loc.line)?;
        }
        if self.loc.row > 0 {
            if self.loc.source == "log" {
                write!(f, ": event #{}", self.loc.row)?;
            } else {
                write!(f, ": row {}", self.loc.row)?;
            }
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        writeln!(f, ": {}", self.cause)?;
        write!(f, "  fix: {}", self.fix)
    }
}
