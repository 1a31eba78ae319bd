//! The pure logic of tracking: event kinds and their reading, the replay of the log
//! against the scenario, the frozen plan prefix, and plan against reality. Nothing here
//! touches the database or reads a clock; `db.rs` stores what this module accepts.

pub mod event;
pub mod freeze;
pub mod problem;
pub mod read;
pub mod replay;
pub mod status;

pub use event::{Cargo, Event, HazardKind, Kind, Left, RawEvent, What};
pub use problem::{Loc, Problem};
