//! Synthetic drawdown scenarios of any size, from a seed.
//!
//! [`generate`] turns [`Params`] (number of sites, withdrawal days, seed) into the text of
//! a scenario file: a road network of hubs and bases scattered on a plane the size and
//! place of Mali, exits (sea ports, border crossings, the strategic airport), airfields,
//! contingents, stocks at MINUSMA's magnitudes per camp, deadlines in three phases,
//! `not_before`, rear guards, `after`, fleets and aircraft sized so that a plan exists,
//! capacities, road closures and restrictions. It is pure: no IO, no clock; all randomness
//! comes from the seed, so the same parameters always give the same bytes.
//!
//! Every generated file passes validation without a warning, and the constructive planner
//! makes a plan for it that passes the checker (the crate's tests hold it to both). The
//! scenarios serve the scaling benchmark (`cargo xtask bench`) and property tests.
//!
//! The stages (each with its own random stream, see `world.rs`):
//!
//! 1. geography: hubs (about one per 15 to 25 bases) spread by farthest-point sampling,
//!    bases clustered around them, 2 to 6 exits; tracks to the nearest neighbours plus a
//!    spanning tree, trunk roads between hubs, corridors to the exits;
//! 2. people and stock: 5 to 20 contingents, personnel, containers and vehicles;
//! 3. timeline: phases by remoteness, `not_before`, `close_by`, `after`, rear guards,
//!    handling, and a horizon about 1.3 times the withdrawal days;
//! 4. airfields and exits: runways, slots, what each exit takes and how fast;
//! 5. fleets and aircraft: trucks, carriers and escorts per hub sized from their sector's
//!    work in unit-days, aircraft types at the capital;
//! 6. restrictions: rainy-season road closures, a border closure, refused airfields and
//!    movement permissions, an election-day road ban.
//!
//! ```
//! let params = generate::Params { sites: 12, days: 120, seed: 7 };
//! let text = generate::generate(&params).unwrap();
//! assert_eq!(text, generate::generate(&params).unwrap(), "deterministic");
//!
//! let loaded = scenario::load_str("synthetic.toml", &text).unwrap();
//! assert!(loaded.warnings.is_empty());
//! let stock_sites = loaded.scenario.sites.iter().filter(|s| s.exit.is_none()).count();
//! assert_eq!(stock_sites, 12);
//! ```

mod geo;
mod network;
mod rng;
mod world;
mod write;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    /// Sites to withdraw from: hubs and bases (exits come on top).
    pub sites: usize,
    /// Days of the withdrawal: the last deadline falls on the last of them, and the
    /// horizon runs about 30% longer so that lateness can be measured.
    pub days: u32,
    /// The seed of every random choice.
    pub seed: u64,
}

/// The fewest sites: one hub and one base.
pub const MIN_SITES: usize = 2;
/// The most sites; the generator is quadratic in places (spanning tree, spacing).
pub const MAX_SITES: usize = 10_000;
/// The shortest withdrawal: two months. Routes across a country the size of Mali take
/// weeks (the slowest camps are 20 to 40 days from an exit by road), so a shorter one
/// would be mostly lateness; MINUSMA's took six months.
pub const MIN_DAYS: u32 = 60;
/// The longest withdrawal: ten years.
pub const MAX_DAYS: u32 = 3_650;

/// Parameters out of range.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GenerateError {
    /// `sites` is outside [`MIN_SITES`]..=[`MAX_SITES`].
    #[error("sites must be from {MIN_SITES} to {MAX_SITES}, not {0}")]
    Sites(usize),
    /// `days` is outside [`MIN_DAYS`]..=[`MAX_DAYS`].
    #[error("days must be from {MIN_DAYS} to {MAX_DAYS}, not {0}")]
    Days(u32),
}

/// The scenario file for `p`, as TOML text.
pub fn generate(p: &Params) -> Result<String, GenerateError> {
    if !(MIN_SITES..=MAX_SITES).contains(&p.sites) {
        return Err(GenerateError::Sites(p.sites));
    }
    if !(MIN_DAYS..=MAX_DAYS).contains(&p.days) {
        return Err(GenerateError::Days(p.days));
    }
    let world = world::World::build(p);
    Ok(write::toml(&world))
}
