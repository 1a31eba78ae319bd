//! Planners for drawdown: from a [`model::Scenario`] to a feasible [`model::Plan`].
//!
//! [`plan`] is constructive: it schedules round-trip missions of vehicle teams and
//! aircraft sorties, earliest deadline first, against exact capacity calendars, so its
//! plans are feasible by construction; among the missions that keep a site on time it
//! prefers those that expose fewer vehicles per item moved (safest roads, full teams,
//! containers flown over the worst roads). [`optimize`] runs it under a fixed list of
//! policies in parallel and keeps the best plan. [`bound`] proves how far from the best
//! possible a plan can be (see ARCHITECTURE.md).
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
mod circulation;
mod explain;
mod finish;
mod graph;
mod greedy;
mod makespan;
mod mip;
pub mod netflow;
mod periods;
mod portfolio;
mod summary;
mod tail;
mod vehicles;

pub use bound::{
    Bound, BoundConfig, BoundError, ByMakespan, Completion, Hard, Split, Term, bound, breakdown,
    hard_breakdown, teu_split, uses_makespan_hint,
};
pub use circulation::{reroute, reroute_from};
pub use explain::{ExplainConfig, apply, explain};
pub use greedy::{Config, PlanError, Routes, plan, plan_from};
pub use mip::{MipConfig, MipResult, mip};
pub use portfolio::{
    Accept, OptimizeConfig, Optimized, ROUND, Replan, as_optimized, optimize, optimize_and_bound,
    optimize_checked, policies, replan_checked,
};
pub use summary::{parts, summarize};
pub use tail::finish_sooner;
