//! The drawdown domain model: a lowered, validated scenario and the plan types.
//!
//! This crate is the vocabulary every other crate shares. It knows nothing of files,
//! formats, clocks or randomness: a [`Scenario`] is built by the `scenario` crate from a
//! TOML file, a [`Plan`] is produced by the `planner` crate and judged by the checker in the
//! `scenario` crate. Everything is indexed by dense ids ([`SiteId`], [`RoadId`], ...) so
//! that planners can use plain vectors.
//!
//! Time is discrete: period `p` covers the days
//! `[start + p * period_days, start + (p + 1) * period_days)`.
//!
//! ```
//! use model::{Horizon, Period};
//! let h = Horizon::new(jiff::civil::date(2023, 7, 1), 1, 184);
//! assert_eq!(h.date(Period(30)), jiff::civil::date(2023, 7, 31));
//! assert_eq!(h.period_of(jiff::civil::date(2023, 12, 31)), Some(Period(183)));
//! ```

pub mod explain;
mod plan;
mod scenario;
mod time;

pub use plan::*;
pub use scenario::*;
pub use time::*;
