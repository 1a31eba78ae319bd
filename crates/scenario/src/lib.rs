//! The drawdown scenario file: format, validation, lowering; plan files; and the
//! independent plan checker.
//!
//! A scenario is a TOML file (documented field by field in `docs/scenario-format.md`).
//! [`load_str`] and [`load_file`] parse it, report every problem at once as
//! [`Diagnostic`]s with a stable code, file, line, column, cause and fix, and lower a valid
//! file into a [`model::Scenario`]. The checker ([`check`]) judges a plan file against the
//! rules of `docs/plan-semantics.md` and shares no code with any planner.
//!
//! ```
//! let text = r#"
//! [scenario]
//! name = "one road"
//! [horizon]
//! start = 2023-07-01
//! end = 2023-07-10
//! [[contingent]]
//! id = "a"
//! [[site]]
//! id = "camp"
//! kind = "base"
//! lat = 16.0
//! lon = 0.0
//! personnel = { a = 10 }
//! [[site]]
//! id = "port"
//! kind = "exit"
//! lat = 15.0
//! lon = 0.0
//! exit = { accepts = ["personnel"] }
//! [[road]]
//! from = "camp"
//! to = "port"
//! km = 120
//! [[fleet]]
//! id = "bus"
//! kind = "carrier"
//! home = "camp"
//! count = 1
//! seats = 10
//! "#;
//! let loaded = scenario::load_str("one-road.toml", text).unwrap();
//! assert_eq!(loaded.scenario.sites.len(), 2);
//! assert_eq!(loaded.scenario.roads[0].periods, 1);
//! ```

pub mod check;
pub mod diag;
pub mod explainfile;
pub mod format;
mod load;
pub mod lower;
pub mod planfile;
pub mod validate;

pub use diag::{Diagnostic, Severity};
pub use load::{LoadError, Loaded, load_file, load_raw, load_str, parse_str};
