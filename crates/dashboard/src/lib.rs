//! The drawdown dashboard: the page model, the front-end assets and the briefing report.
//!
//! [`build`] turns a scenario and its plan (plus optional actuals, a simulated fan and an
//! explanation, in [`Extras`]) into a [`View`]: plain data that the page draws as a map,
//! a Gantt of site withdrawals, burn-down charts and tables. The `server` crate serves it
//! as JSON next to the embedded [`assets`]; [`report::render`] inlines everything into
//! one HTML file. This crate knows no HTTP, does no IO and reads no clock.
//!
//! ```
//! let text = std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../../scenarios/examples/road-shuttle.toml"
//! ))
//! .unwrap();
//! let s = scenario::load_str("road-shuttle.toml", &text).unwrap().scenario;
//! let plan = planner::plan(&s, &planner::Config::default(), &mut |_, _| {}).unwrap();
//! let view = dashboard::build(&s, &plan, &dashboard::Extras::default());
//! // The burn-down starts with everything in theatre and ends with nothing.
//! assert!(view.burndown.plan.personnel[0] > 0);
//! assert_eq!(view.burndown.plan.personnel.last(), Some(&0));
//! let html = dashboard::report::render(&view);
//! assert!(html.contains("window.DRAWDOWN"));
//! assert!(dashboard::assets::get("index.html").is_some());
//! ```

pub mod assets;
pub mod report;
mod view;

pub use view::*;
