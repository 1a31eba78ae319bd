//! An explanation of a plan (`drawdown explain`): what binds, what one more unit of a
//! resource is worth, how late each site may start, and what would meet a missed deadline.
//!
//! The planner fills these types (`planner::explain`); the scenario crate writes them as
//! JSON; the CLI prints them. Every measured claim carries the what-if scenario and plan it
//! was measured on, so that the caller can put that plan through the independent checker.

use crate::plan::Plan;
use crate::scenario::{AircraftId, FleetId, FleetKind, RoadId, Scenario, SiteId};
use crate::time::Period;

/// A commodity an exit absorbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Commodity {
    /// Personnel of any contingent.
    Personnel,
    /// Containers.
    Teu,
    /// Self-propelled vehicles.
    Vehicles,
}

/// A resource that can bind a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    /// The units of a ground fleet (trucks, carriers or escorts of one home).
    Fleet(FleetId),
    /// The airframes of an aircraft type (its sorties per period).
    Aircraft(AircraftId),
    /// Vehicles that may depart onto a road per period.
    Road(RoadId),
    /// Containers a site can load per period.
    Handling(SiteId),
    /// What an exit absorbs per period, by commodity.
    Intake(SiteId, Commodity),
    /// Aircraft movements an airfield handles per period.
    Slots(SiteId),
}

/// One change to a scenario: `amount` more of `resource` (units of a fleet, airframes, or
/// capacity per period).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// What is added.
    pub resource: Resource,
    /// How much: units for fleets and aircraft, per-period capacity otherwise.
    pub amount: u32,
}

/// A scenario changed for a what-if, and the plan made for it.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIf {
    /// The changed scenario.
    pub scenario: Scenario,
    /// The plan the planner made for it (to be checked by the caller).
    pub plan: Plan,
}

/// A resource that binds, with when and how strongly.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// The resource.
    pub resource: Resource,
    /// Periods in which the plan uses it fully (at least 90%), as inclusive intervals.
    pub saturated: Vec<(Period, Period)>,
    /// Number of saturated periods.
    pub saturated_periods: u32,
    /// LP shadow price: what one more unit of it is worth in the deadline LP (stock-days
    /// held past deadlines saved; 0 when the LP does not price it).
    pub shadow: f64,
    /// First and last LP period (as plan periods) in which the LP prices it.
    pub shadow_when: Option<(Period, Period)>,
    /// Whether the last movements of the critical site waited for it.
    pub critical: bool,
    /// Rank score (higher binds more).
    pub score: f64,
}

/// A movement at the end of the critical chain.
#[derive(Clone, Debug, PartialEq)]
pub struct LastMove {
    /// Movement id in the plan.
    pub id: String,
    /// Departure period.
    pub depart: Period,
    /// Destination site.
    pub to: SiteId,
    /// The resources it used.
    pub resources: Vec<Resource>,
}

/// The site that closes latest relative to its deadline, and what held it up.
#[derive(Clone, Debug, PartialEq)]
pub struct Critical {
    /// The site.
    pub site: SiteId,
    /// Its closure in the plan.
    pub closure: Period,
    /// Its deadline.
    pub deadline: Period,
    /// Days between closure and deadline (negative: late).
    pub slack_days: i64,
    /// Its last loaded departures.
    pub last: Vec<LastMove>,
    /// Resources those movements used that were saturated before they left, with the
    /// number of saturated periods between the site's `not_before` and the departure.
    pub waited_for: Vec<(Resource, u32)>,
}

/// One more unit of a resource, measured by re-planning.
#[derive(Clone, Debug, PartialEq)]
pub struct Extra {
    /// The change.
    pub change: Change,
    /// First period in which the plan uses more than it had before (fleets, aircraft and
    /// capacities), if it does.
    pub in_use_from: Option<Period>,
    /// Objective of the base plan.
    pub objective_before: f64,
    /// Objective of the re-plan.
    pub objective_after: f64,
    /// Per site whose closure moved: days earlier (negative: later).
    pub closures: Vec<(SiteId, i64)>,
    /// The what-if, for checking.
    pub what_if: WhatIf,
}

/// How late a site's withdrawal may begin and still meet its deadline.
#[derive(Clone, Debug, PartialEq)]
pub struct LatestStart {
    /// The site.
    pub site: SiteId,
    /// Its deadline.
    pub deadline: Period,
    /// Its `not_before` in the scenario.
    pub not_before: Period,
    /// First loaded departure in the base plan.
    pub planned_start: Option<Period>,
    /// The latest start found (`not_before` moved there, re-planned, deadline met); `None`
    /// when even the scenario's own start misses the deadline.
    pub latest: Option<Period>,
    /// Closure in the plan that starts at `latest`.
    pub closure_at_latest: Option<Period>,
    /// Days by which a start one period later misses the deadline (`None` when `latest` is
    /// the deadline itself or no start meets it).
    pub next_late_days: Option<u32>,
    /// Plans made in the search.
    pub replans: u32,
    /// The plan that starts at `latest`, for checking.
    pub what_if: Option<WhatIf>,
}

/// A verified way to meet a missed deadline.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// Extra resources (empty for an abandonment).
    pub changes: Vec<Change>,
    /// Containers left behind at the site from the start.
    pub abandon_teu: u32,
    /// Vehicles left behind at the site from the start.
    pub abandon_vehicles: u32,
    /// The site's closure with the fix.
    pub closure: Period,
    /// Objective with the fix.
    pub objective: f64,
    /// The what-if, for checking.
    pub what_if: WhatIf,
}

/// A site that closes after its deadline in the plan, and what would meet it.
#[derive(Clone, Debug, PartialEq)]
pub struct LateSite {
    /// The site.
    pub site: SiteId,
    /// Its deadline.
    pub deadline: Period,
    /// Its closure in the plan.
    pub closure: Period,
    /// Days late.
    pub late_days: u32,
    /// The smallest set of extra resources found that meets it.
    pub resources: Option<Fix>,
    /// The fewest containers and vehicles found that, left behind, meet it.
    pub abandon: Option<Fix>,
}

/// A part of the objective that the bound's LP prices as a plan does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Stock vehicles driving themselves (exposure).
    StockVehicles,
    /// Fleet units of one kind on the roads (exposure and cost).
    Units(FleetKind),
    /// Flights (cost).
    Flights,
    /// Containers abandoned (penalty).
    AbandonedTeu,
    /// Vehicles abandoned (penalty).
    AbandonedVehicles,
}

/// One part of the objective in the plan and in the LP.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapPart {
    /// Which part.
    pub part: Part,
    /// What the plan pays for it, at the objective's weights.
    pub plan: f64,
    /// What the LP's optimum pays for it.
    pub lp: f64,
}

/// One part of the objective paid on one road, in the plan and in the LP.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapRoad {
    /// The road (both directions).
    pub road: RoadId,
    /// Which part: stock vehicles, or fleet units of a kind.
    pub part: Part,
    /// What the plan pays for it on the road, at the objective's weights.
    pub plan: f64,
    /// What the LP's optimum pays for it there.
    pub lp: f64,
}

/// The LP a plan is set against in a [`Gap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapLp {
    /// The bound's LP of plans that meet every deadline (`Bound::hard`).
    Deadlines,
    /// The bound's free LP, which prices no deadline (`Bound::flow`): where the LP of
    /// deadlines is too large to solve, as on the generated scenarios from 100 sites.
    Free,
}

/// Where the plan pays more than the bound's LP of plans that meet every deadline (its
/// optimum without the makespan), or where that LP is too large, than its free LP: what a
/// better plan could still gain there, or where the relaxation is weak (fractional units,
/// long periods).
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// The LP the plan is set against.
    pub against: GapLp,
    /// Part by part.
    pub parts: Vec<GapPart>,
    /// The parts paid on roads (stock vehicles' and fleet units' exposure and cost), road
    /// by road, where the plan or the LP pays anything: the largest excess of the plan
    /// over the LP first. For each part they add up to its entry in `parts`.
    pub roads: Vec<GapRoad>,
    /// What the plan pays for lateness and its makespan, which the LP's optimum leaves
    /// out (the bound adds them from its own cases).
    pub lateness: f64,
    /// See `lateness`.
    pub makespan: f64,
}

/// Everything `drawdown explain` says about a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// Objective of the plan explained.
    pub objective: f64,
    /// The critical chain, if any site has a deadline and a closure.
    pub critical: Option<Critical>,
    /// Resources that bind, ranked (most binding first).
    pub binding: Vec<Binding>,
    /// One more unit of the top candidates, measured.
    pub extras: Vec<Extra>,
    /// Latest safe start of each site with a deadline and stock.
    pub latest_starts: Vec<LatestStart>,
    /// Sites late in the plan, with what would meet their deadline.
    pub late: Vec<LateSite>,
    /// The plan against the bound's LP, part by part and road by road (`None` when no LP
    /// is solved).
    pub gap: Option<Gap>,
    /// Plans made in all.
    pub replans: u32,
}
