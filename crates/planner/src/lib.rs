//! Planners for drawdown: from a [`model::Scenario`] to a feasible [`model::Plan`].
//!
//! The first planner ([`plan`]) is constructive: it schedules round-trip missions of
//! vehicle teams and aircraft sorties, earliest deadline first, against exact capacity
//! calendars, so its plans are feasible by construction. It makes no optimality claim;
//! the LP bound and the optimising planner come next (see ARCHITECTURE.md).
//!
//! ```
//! let text = std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../../scenarios/examples/road-shuttle.toml"
//! ))
//! .unwrap();
//! let s = scenario::load_str("road-shuttle.toml", &text).unwrap().scenario;
//! let plan = planner::plan(&s, &planner::Config::default(), &mut |_, _| {}).unwrap();
//! assert!(!plan.convoys.is_empty());
//! ```

mod bound;
mod graph;
mod greedy;
mod summary;

pub use bound::{Bound, BoundConfig, BoundError, Completion, bound};
pub use greedy::{Config, PlanError, plan, plan_from};
pub use summary::summarize;
