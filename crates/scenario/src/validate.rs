//! Semantic validation of a typed scenario file, one function per coded rule.
//!
//! Every rule reads the whole [`RawScenario`] and reports each problem it finds into the
//! [`Sink`], so one run reports everything at once. The codes are stable and documented,
//! with cause and fix, in `docs/scenario-format.md`:
//!
//! - `E10xx`: dates, numbers, the horizon, `[defaults]`, `[objective]` and `[scenario]`;
//! - `E11xx`: ids and references between tables;
//! - `E12xx`: sites, exits and airfields;
//! - `E13xx`: roads;
//! - `E14xx`: fleets;
//! - `E15xx`: aircraft;
//! - `E16xx`: restrictions;
//! - `E17xx`: whole-scenario rules (can every stock reach an exit in time);
//! - `E18xx`: `[hazards]`, read only by the simulation (a local rule family, at the end).
//!
//! Warnings use the same numbering with a `W`. The local rules (`E10xx` to `E16xx`) always
//! all run. The whole-scenario rules run only when the local rules found no error, because
//! their conclusions on a file with dangling ids or impossible numbers would only repeat
//! those errors in a more confusing form. Once validation reports no error,
//! [`crate::lower::lower`] cannot fail.

use crate::diag::Sink;
use crate::format::*;
use crate::lower::{self, defaults, toml_date};
use jiff::ToSpan;
use jiff::civil::Date;
use model::{Horizon, great_circle_km};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};
use std::ops::Range;
use toml::value::Datetime;

/// The largest integer any count, capacity or length may hold.
///
/// Lowering multiplies per-day capacities by `period_days` in 32-bit arithmetic and planners
/// sum stocks; the bound keeps all of that far from overflow while staying far above any
/// real withdrawal (peacekeeping missions count personnel in tens of thousands at most).
pub const MAX_COUNT: i64 = 1_000_000;

/// The longest planning period, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// A rule: reads the file and reports what it finds.
type Rule = fn(&RawScenario, &mut Sink<'_>);

/// Rules that look at one table or one reference at a time; they always all run.
const LOCAL_RULES: &[Rule] = &[
    e1001_dates,
    e1002_period_days,
    e1003_horizon_order,
    e1004_dates_in_horizon,
    e1005_negative,
    e1006_zero,
    e1007_out_of_range,
    e1008_escort_from_hazard,
    e1009_windows,
    e1010_scenario_name,
    w1001_partial_last_period,
    e1101_unknown_ids,
    e1102_duplicate_ids,
    e1103_malformed_ids,
    w1101_unused_contingent,
    e1201_site_kind,
    e1202_coordinates,
    e1203_exit_table_on_non_exit,
    e1204_exit_table_missing,
    e1205_stock_on_exit,
    e1206_exit_accepts_nothing,
    e1207_unknown_accepts,
    e1208_not_before_after_close_by,
    e1209_after_self,
    e1210_after_cycle,
    e1211_rear_guard,
    e1212_exit_contingents_empty,
    w1201_base_without_deadline,
    w1202_base_without_stock,
    w1203_exit_setting_ignored,
    w1204_exit_closure_field,
    e1301_hazard,
    e1302_road_loop,
    w1301_escort_road_without_escorts,
    e1401_fleet_kind,
    e1402_fleet_capacity,
    e1403_fleet_field_of_other_kind,
    w1401_fleet_home_exit,
    e1501_aircraft_without_capacity,
    e1502_two_payloads,
    e1503_aircraft_without_airfield,
    e1504_aircraft_home,
    w1501_payload_under_one_teu,
    e1601_restriction_empty,
    e1602_restriction_airfield,
    // E18xx: hazards (the section at the end of this file).
    e1801_hazard_probabilities,
    e1802_hazard_spreads,
    e1803_hazard_unknown_ids,
    e1804_hazard_dates,
    e1805_hazard_windows,
    e1806_hazard_road_selector,
    e1807_hazard_overlaps,
    e1808_hazard_closure_length,
    e1809_hazard_targets,
    e1810_hazard_numbers,
    e1811_hazard_ids,
];

/// Rules over the whole network; they run only on a file without local errors.
const WHOLE_RULES: &[Rule] = &[e1701_to_e1706_reachability];

/// Run every rule over `raw`, reporting each problem into `sink`.
pub fn validate(raw: &RawScenario, sink: &mut Sink<'_>) {
    let errors_before = error_count(sink);
    for rule in LOCAL_RULES {
        rule(raw, sink);
    }
    if error_count(sink) == errors_before {
        for rule in WHOLE_RULES {
            rule(raw, sink);
        }
    }
}

fn error_count(sink: &Sink<'_>) -> usize {
    sink.diags
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .count()
}

// ---------------------------------------------------------------------------------------
// Labels and lookups shared by the rules.
// ---------------------------------------------------------------------------------------

/// `site[kidal]`, or `site[3]` when the table has no usable id.
fn label(table: &str, id: &str, idx: usize) -> String {
    if id.is_empty() {
        format!("{table}[{idx}]")
    } else {
        format!("{table}[{id}]")
    }
}

fn site_label(i: usize, s: &RawSite) -> String {
    label("site", s.id.get_ref(), i)
}

fn road_label(i: usize, r: &RawRoad) -> String {
    label("road", &lower::road_id(r), i)
}

fn fleet_label(i: usize, f: &RawFleet) -> String {
    label("fleet", f.id.get_ref(), i)
}

fn aircraft_label(i: usize, a: &RawAircraft) -> String {
    label("aircraft", a.id.get_ref(), i)
}

fn restriction_label(i: usize, r: &RawRestriction) -> String {
    label("restriction", r.id.get_ref(), i)
}

fn sites(raw: &RawScenario) -> impl Iterator<Item = (usize, &RawSite)> {
    raw.site.iter().map(|s| s.get_ref()).enumerate()
}

fn roads(raw: &RawScenario) -> impl Iterator<Item = (usize, &RawRoad)> {
    raw.road.iter().map(|r| r.get_ref()).enumerate()
}

fn fleets(raw: &RawScenario) -> impl Iterator<Item = (usize, &RawFleet)> {
    raw.fleet.iter().map(|f| f.get_ref()).enumerate()
}

fn aircraft(raw: &RawScenario) -> impl Iterator<Item = (usize, &RawAircraft)> {
    raw.aircraft.iter().map(|a| a.get_ref()).enumerate()
}

fn restrictions(raw: &RawScenario) -> impl Iterator<Item = (usize, &RawRestriction)> {
    raw.restriction.iter().map(|r| r.get_ref()).enumerate()
}

/// The site with id `id` (the first one when the id is duplicated).
fn site_by_id<'a>(raw: &'a RawScenario, id: &str) -> Option<&'a RawSite> {
    raw.site
        .iter()
        .map(|s| s.get_ref())
        .find(|s| s.id.get_ref() == id)
}

/// Site index by id (the first site when an id is duplicated, as lowering resolves it).
fn site_index(raw: &RawScenario) -> HashMap<&str, usize> {
    let mut index = HashMap::new();
    for (i, s) in sites(raw) {
        index.entry(s.id.get_ref().as_str()).or_insert(i);
    }
    index
}

fn is_exit(s: &RawSite) -> bool {
    s.kind.get_ref() == "exit"
}

fn list(v: &Option<S<Vec<S<String>>>>) -> &[S<String>] {
    v.as_ref().map_or(&[], |l| l.get_ref().as_slice())
}

fn int(v: &Option<S<i64>>) -> Option<i64> {
    v.as_ref().map(|x| *x.get_ref())
}

/// Personnel of all contingents at a site; saturating, because the values are not yet
/// range-checked when the local rules run.
fn total_personnel(s: &RawSite) -> i64 {
    s.personnel.as_ref().map_or(0, |p| {
        p.get_ref()
            .values()
            .fold(0i64, |sum, v| sum.saturating_add(*v.get_ref()))
    })
}

/// Whether the site holds anything to move out.
fn has_stock(s: &RawSite) -> bool {
    total_personnel(s) > 0 || int(&s.teu).unwrap_or(0) > 0 || int(&s.vehicles).unwrap_or(0) > 0
}

fn defaults_of(raw: &RawScenario) -> Option<&RawDefaults> {
    raw.defaults.as_ref().map(|d| d.get_ref())
}

fn escort_from_hazard(raw: &RawScenario) -> i64 {
    defaults_of(raw)
        .and_then(|d| int(&d.escort_from_hazard))
        .unwrap_or(defaults::ESCORT_FROM_HAZARD)
}

fn teu_tonnes(raw: &RawScenario) -> f64 {
    defaults_of(raw)
        .and_then(|d| d.teu_tonnes.as_ref().map(|x| *x.get_ref()))
        .unwrap_or(defaults::TEU_TONNES)
}

/// Whether a road needs escorts, as lowering decides it.
fn needs_escort(raw: &RawScenario, r: &RawRoad) -> bool {
    r.escort
        .unwrap_or_else(|| int(&r.hazard).unwrap_or(0) >= escort_from_hazard(raw))
}

/// Whether an escort fleet that could cover a convoy exists at all.
fn is_escort_fleet(f: &RawFleet) -> bool {
    f.kind.get_ref() == "escort" && *f.count.get_ref() > 0 && int(&f.cover).unwrap_or(0) > 0
}

/// Containers an aircraft type carries per sortie, converted as lowering does.
fn payload_teu(raw: &RawScenario, a: &RawAircraft) -> i64 {
    match (&a.payload_teu, &a.payload_t) {
        (Some(t), _) => *t.get_ref(),
        // Whole containers only, as in lowering; the cast saturates and the value is
        // range-checked by E1007 before it matters.
        (None, Some(t)) => (*t.get_ref() / teu_tonnes(raw)).floor() as i64,
        (None, None) => 0,
    }
}

/// Whether aircraft type `a` may use airfield `f`.
fn can_use(a: &RawAircraft, f: &RawAirfield) -> bool {
    *f.runway_m.get_ref() >= *a.min_runway_m.get_ref()
        && (f.paved || !a.paved_only.unwrap_or(false))
}

fn usable_airfield<'a>(a: &RawAircraft, s: &'a RawSite) -> Option<&'a RawAirfield> {
    s.airfield
        .as_ref()
        .map(|f| f.get_ref())
        .filter(|f| can_use(a, f))
}

/// What an aircraft type needs, in words (`a runway of 1800 m or more, paved`).
fn runway_need(a: &RawAircraft) -> String {
    let paved = if a.paved_only.unwrap_or(false) {
        ", paved"
    } else {
        ""
    };
    format!("a runway of {} m or more{paved}", a.min_runway_m.get_ref())
}

// ---------------------------------------------------------------------------------------
// E10xx: dates, numbers, horizon, defaults, objective.
// ---------------------------------------------------------------------------------------

/// A date field somewhere in the file.
struct DateField<'a> {
    field: String,
    value: &'a S<Datetime>,
    /// False for the horizon's own start and end.
    in_horizon: bool,
}

/// Every date of the file, with its field path.
fn dates(raw: &RawScenario) -> Vec<DateField<'_>> {
    let mut out = Vec::new();
    let h = raw.horizon.get_ref();
    out.push(DateField {
        field: "horizon.start".into(),
        value: &h.start,
        in_horizon: false,
    });
    out.push(DateField {
        field: "horizon.end".into(),
        value: &h.end,
        in_horizon: false,
    });
    for (i, s) in sites(raw) {
        let l = site_label(i, s);
        for (name, v) in [("not_before", &s.not_before), ("close_by", &s.close_by)] {
            if let Some(v) = v {
                out.push(DateField {
                    field: format!("{l}.{name}"),
                    value: v,
                    in_horizon: true,
                });
            }
        }
    }
    for (i, r) in roads(raw) {
        let l = road_label(i, r);
        for (k, w) in r.closed.iter().enumerate() {
            let w = w.get_ref();
            for (name, v) in [("from", &w.from), ("until", &w.until)] {
                out.push(DateField {
                    field: format!("{l}.closed[{k}].{name}"),
                    value: v,
                    in_horizon: true,
                });
            }
        }
    }
    for (i, f) in fleets(raw) {
        let l = fleet_label(i, f);
        for (name, v) in [
            ("available_from", &f.available_from),
            ("available_until", &f.available_until),
        ] {
            if let Some(v) = v {
                out.push(DateField {
                    field: format!("{l}.{name}"),
                    value: v,
                    in_horizon: true,
                });
            }
        }
    }
    for (i, a) in aircraft(raw) {
        let l = aircraft_label(i, a);
        for (name, v) in [
            ("available_from", &a.available_from),
            ("available_until", &a.available_until),
        ] {
            if let Some(v) = v {
                out.push(DateField {
                    field: format!("{l}.{name}"),
                    value: v,
                    in_horizon: true,
                });
            }
        }
    }
    for (i, r) in restrictions(raw) {
        let l = restriction_label(i, r);
        for (name, v) in [("from", &r.from), ("until", &r.until)] {
            out.push(DateField {
                field: format!("{l}.{name}"),
                value: v,
                in_horizon: true,
            });
        }
    }
    out
}

/// E1001: every date is a plain calendar date (no time of day, no offset).
fn e1001_dates(raw: &RawScenario, sink: &mut Sink<'_>) {
    for d in dates(raw) {
        if toml_date(d.value.get_ref()).is_none() {
            sink.error(
                "E1001",
                Some(d.value.span()),
                d.field,
                format!(
                    "`{}` is not a plain date; dates are whole days without time or offset",
                    d.value.get_ref()
                ),
                "write the date alone and unquoted, like 2023-07-01",
            );
        }
    }
}

/// E1002: the period length is a whole number of days from 1 to [`MAX_PERIOD_DAYS`].
fn e1002_period_days(raw: &RawScenario, sink: &mut Sink<'_>) {
    if let Some(p) = &raw.horizon.get_ref().period_days
        && !(1..=MAX_PERIOD_DAYS).contains(p.get_ref())
    {
        sink.error(
            "E1002",
            Some(p.span()),
            "horizon.period_days",
            format!(
                "period_days is {}, but a period lasts from 1 to {MAX_PERIOD_DAYS} days",
                p.get_ref()
            ),
            "give the period length in whole days, e.g. 1 (daily plan) or 7 (weekly plan)",
        );
    }
}

/// The horizon start and end, when both are plain dates.
fn horizon_dates(raw: &RawScenario) -> Option<(Date, Date)> {
    let h = raw.horizon.get_ref();
    Some((toml_date(h.start.get_ref())?, toml_date(h.end.get_ref())?))
}

/// E1003: the horizon ends on or after its start.
fn e1003_horizon_order(raw: &RawScenario, sink: &mut Sink<'_>) {
    if let Some((start, end)) = horizon_dates(raw)
        && end < start
    {
        sink.error(
            "E1003",
            Some(raw.horizon.get_ref().end.span()),
            "horizon.end",
            format!("the horizon ends on {end}, before it starts on {start}"),
            "set end to the start date or later (both days are inside the horizon)",
        );
    }
}

/// E1004: every date other than the horizon's own lies inside the horizon.
fn e1004_dates_in_horizon(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some((start, end)) = horizon_dates(raw).filter(|(s, e)| s <= e) else {
        return;
    };
    for d in dates(raw).into_iter().filter(|d| d.in_horizon) {
        let Some(date) = toml_date(d.value.get_ref()) else {
            continue;
        };
        if date < start || date > end {
            sink.error(
                "E1004",
                Some(d.value.span()),
                d.field,
                format!("{date} is outside the horizon {start} to {end}"),
                format!("give a date from {start} to {end}, or widen [horizon]"),
            );
        }
    }
}

/// What values a number field accepts.
#[derive(Clone, Copy)]
struct Spec {
    /// `None` when 0 is fine, else why 0 makes no sense.
    zero: Option<&'static str>,
    /// The smallest positive value accepted.
    min: f64,
    /// The largest value accepted.
    max: f64,
}

/// A count or amount: 0 is fine.
const AMOUNT: Spec = Spec {
    zero: None,
    min: 0.0,
    max: MAX_COUNT as f64,
};

/// A weight, penalty or cost: 0 is fine, and there is no natural bound short of absurd.
const WEIGHT: Spec = Spec {
    zero: None,
    min: 0.0,
    max: 1e12,
};

/// A value that must be positive because 0 would make the object useless.
const fn positive(why: &'static str) -> Spec {
    Spec {
        zero: Some(why),
        min: 0.0,
        max: MAX_COUNT as f64,
    }
}

const fn positive_in(why: &'static str, min: f64, max: f64) -> Spec {
    Spec {
        zero: Some(why),
        min,
        max,
    }
}

#[derive(Clone, Copy)]
enum Value {
    Int(i64),
    Float(f64),
}

impl Value {
    fn as_f64(self) -> f64 {
        match self {
            Value::Int(i) => i as f64,
            Value::Float(x) => x,
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A number field somewhere in the file.
struct NumField {
    field: String,
    key: String,
    span: Range<usize>,
    value: Value,
    spec: Spec,
}

#[derive(Default)]
struct Numbers(Vec<NumField>);

impl Numbers {
    fn push(&mut self, table: &str, key: &str, span: Range<usize>, value: Value, spec: Spec) {
        self.0.push(NumField {
            field: format!("{table}.{key}"),
            key: key.to_string(),
            span,
            value,
            spec,
        });
    }

    fn int(&mut self, table: &str, key: &str, v: &Option<S<i64>>, spec: Spec) {
        if let Some(v) = v {
            self.push(table, key, v.span(), Value::Int(*v.get_ref()), spec);
        }
    }

    fn float(&mut self, table: &str, key: &str, v: &Option<S<f64>>, spec: Spec) {
        if let Some(v) = v {
            self.push(table, key, v.span(), Value::Float(*v.get_ref()), spec);
        }
    }

    fn int_req(&mut self, table: &str, key: &str, v: &S<i64>, spec: Spec) {
        self.push(table, key, v.span(), Value::Int(*v.get_ref()), spec);
    }

    fn float_req(&mut self, table: &str, key: &str, v: &S<f64>, spec: Spec) {
        self.push(table, key, v.span(), Value::Float(*v.get_ref()), spec);
    }
}

/// Every number of the file that the generic rules E1005 to E1007 judge.
///
/// `period_days`, `escort_from_hazard`, `hazard`, `lat` and `lon` have rules of their own
/// (E1002, E1008, E1301, E1202) and are left out so that one mistake gives one diagnostic.
fn numbers(raw: &RawScenario) -> Vec<NumField> {
    let mut n = Numbers::default();
    if let Some(d) = defaults_of(raw) {
        n.float(
            "defaults",
            "convoy_km_per_day",
            &d.convoy_km_per_day,
            positive_in("convoys would never arrive", 1.0, 2000.0),
        );
        n.int("defaults", "vehicle_seats", &d.vehicle_seats, AMOUNT);
        n.float(
            "defaults",
            "teu_tonnes",
            &d.teu_tonnes,
            positive_in("payloads in tonnes cannot be converted", 1.0, 100.0),
        );
    }
    if let Some(o) = &raw.objective {
        let o = o.get_ref();
        n.float("objective", "lateness", &o.lateness, WEIGHT);
        n.float("objective", "makespan", &o.makespan, WEIGHT);
        n.float("objective", "exposure", &o.exposure, WEIGHT);
        n.float("objective", "cost", &o.cost, WEIGHT);
    }
    if let Some(a) = &raw.abandon {
        let a = a.get_ref();
        n.float("abandon", "teu_penalty", &a.teu_penalty, WEIGHT);
        n.float("abandon", "vehicle_penalty", &a.vehicle_penalty, WEIGHT);
    }
    for (i, s) in sites(raw) {
        let l = site_label(i, s);
        if let Some(p) = &s.personnel {
            for (c, v) in p.get_ref() {
                n.push(
                    &l,
                    &format!("personnel.{c}"),
                    v.span(),
                    Value::Int(*v.get_ref()),
                    AMOUNT,
                );
            }
        }
        n.int(&l, "teu", &s.teu, AMOUNT);
        n.int(&l, "vehicles", &s.vehicles, AMOUNT);
        n.int(&l, "rear_guard", &s.rear_guard, AMOUNT);
        n.int(
            &l,
            "handling_teu_per_day",
            &s.handling_teu_per_day,
            positive("no container could ever leave the site"),
        );
        if let Some(a) = &s.airfield {
            let a = a.get_ref();
            n.int_req(
                &l,
                "airfield.runway_m",
                &a.runway_m,
                positive("no aircraft can use a runway of 0 m"),
            );
            n.int(
                &l,
                "airfield.slots_per_day",
                &a.slots_per_day,
                positive("no aircraft could ever use the airfield"),
            );
        }
        if let Some(e) = &s.exit {
            let e = e.get_ref();
            for (key, v) in [
                ("exit.personnel_per_day", &e.personnel_per_day),
                ("exit.teu_per_day", &e.teu_per_day),
                ("exit.vehicles_per_day", &e.vehicles_per_day),
            ] {
                n.int(
                    &l,
                    key,
                    v,
                    positive("the exit would accept the commodity but never absorb any"),
                );
            }
        }
    }
    for (i, r) in roads(raw) {
        let l = road_label(i, r);
        n.float_req(
            &l,
            "km",
            &r.km,
            positive_in(
                "a road has a length; join sites at the same place with a short road",
                0.0,
                100_000.0,
            ),
        );
        n.float(
            &l,
            "days",
            &r.days,
            positive_in(
                "travel takes time; omit days to derive it from km",
                0.0,
                10_000.0,
            ),
        );
        n.int(
            &l,
            "vehicles_per_day",
            &r.vehicles_per_day,
            positive("no convoy could ever use the road"),
        );
        n.int(
            &l,
            "max_convoy",
            &r.max_convoy,
            positive("no convoy could ever use the road"),
        );
    }
    for (i, f) in fleets(raw) {
        let l = fleet_label(i, f);
        n.int_req(
            &l,
            "count",
            &f.count,
            positive("a fleet without units moves nothing; remove the fleet instead"),
        );
        // Zero capacities of the fleet's own kind are E1402's business.
        n.int(&l, "teu", &f.teu, AMOUNT);
        n.int(&l, "seats", &f.seats, AMOUNT);
        n.int(&l, "cover", &f.cover, AMOUNT);
        n.float(&l, "cost_per_km", &f.cost_per_km, WEIGHT);
    }
    for (i, a) in aircraft(raw) {
        let l = aircraft_label(i, a);
        n.int_req(
            &l,
            "count",
            &a.count,
            positive("a type without airframes flies nothing; remove it instead"),
        );
        n.int(
            &l,
            "seats",
            &a.seats,
            positive("omit seats for a cargo-only type"),
        );
        n.int(
            &l,
            "payload_teu",
            &a.payload_teu,
            positive("omit the payload for a passenger-only type"),
        );
        n.float(
            &l,
            "payload_t",
            &a.payload_t,
            positive("omit the payload for a passenger-only type"),
        );
        n.int_req(&l, "min_runway_m", &a.min_runway_m, AMOUNT);
        n.float_req(
            &l,
            "speed_kmh",
            &a.speed_kmh,
            positive_in("flights would never arrive", 10.0, 5000.0),
        );
        n.int(
            &l,
            "sorties_per_day",
            &a.sorties_per_day,
            positive("the type could never fly; remove it instead"),
        );
        n.float(&l, "cost_per_hour", &a.cost_per_hour, WEIGHT);
    }
    n.0
}

/// E1005: no number is negative.
fn e1005_negative(raw: &RawScenario, sink: &mut Sink<'_>) {
    for n in numbers(raw) {
        if n.value.as_f64() < 0.0 {
            let least = if n.spec.zero.is_some() { "1" } else { "0" };
            sink.error(
                "E1005",
                Some(n.span),
                n.field,
                format!("{} is {}, but it cannot be negative", n.key, n.value),
                format!("give a value of {least} or more"),
            );
        }
    }
}

/// E1006: no capacity, count or length is 0 where 0 makes the object useless.
fn e1006_zero(raw: &RawScenario, sink: &mut Sink<'_>) {
    for n in numbers(raw) {
        if let Some(why) = n.spec.zero
            && n.value.as_f64() == 0.0
        {
            sink.error(
                "E1006",
                Some(n.span),
                n.field,
                format!("{} is 0, which makes no sense here: {why}", n.key),
                "give a positive value",
            );
        }
    }
}

/// E1007: every number is finite and inside its accepted range.
fn e1007_out_of_range(raw: &RawScenario, sink: &mut Sink<'_>) {
    for n in numbers(raw) {
        let x = n.value.as_f64();
        let (min, max) = (n.spec.min, n.spec.max);
        let cause = if !x.is_finite() {
            format!("{} is {}, not a finite number", n.key, n.value)
        } else if x > max {
            format!(
                "{} is {}, more than the largest accepted {max}",
                n.key, n.value
            )
        } else if x > 0.0 && x < min {
            format!(
                "{} is {}, less than the smallest accepted {min}",
                n.key, n.value
            )
        } else {
            continue;
        };
        let fix = if n.spec.zero.is_some() && min == 0.0 {
            format!("give a value above 0 and at most {max}")
        } else {
            format!("give a value from {min} to {max}")
        };
        sink.error("E1007", Some(n.span), n.field, cause, fix);
    }
}

/// E1008: `escort_from_hazard` is a hazard level, 0 to 3, or 4 for "no road by default".
fn e1008_escort_from_hazard(raw: &RawScenario, sink: &mut Sink<'_>) {
    if let Some(v) = defaults_of(raw).and_then(|d| d.escort_from_hazard.as_ref())
        && !(0..=4).contains(v.get_ref())
    {
        sink.error(
            "E1008",
            Some(v.span()),
            "defaults.escort_from_hazard",
            format!(
                "escort_from_hazard is {}, but hazard levels run from 0 to 3",
                v.get_ref()
            ),
            "give 0 to 3 (roads at or above that hazard need escorts), or 4 for none",
        );
    }
}

/// A `from`/`until` pair somewhere in the file.
struct WindowField<'a> {
    field: String,
    from_key: &'static str,
    until_key: &'static str,
    from: &'a S<Datetime>,
    until: &'a S<Datetime>,
}

/// Every `from`/`until` pair of the file (both present), with its table path.
fn windows(raw: &RawScenario) -> Vec<WindowField<'_>> {
    let mut out = Vec::new();
    for (i, r) in roads(raw) {
        let l = road_label(i, r);
        for (k, w) in r.closed.iter().enumerate() {
            let w = w.get_ref();
            out.push(WindowField {
                field: format!("{l}.closed[{k}]"),
                from_key: "from",
                until_key: "until",
                from: &w.from,
                until: &w.until,
            });
        }
    }
    for (i, f) in fleets(raw) {
        if let (Some(from), Some(until)) = (&f.available_from, &f.available_until) {
            out.push(WindowField {
                field: fleet_label(i, f),
                from_key: "available_from",
                until_key: "available_until",
                from,
                until,
            });
        }
    }
    for (i, a) in aircraft(raw) {
        if let (Some(from), Some(until)) = (&a.available_from, &a.available_until) {
            out.push(WindowField {
                field: aircraft_label(i, a),
                from_key: "available_from",
                until_key: "available_until",
                from,
                until,
            });
        }
    }
    for (i, r) in restrictions(raw) {
        out.push(WindowField {
            field: restriction_label(i, r),
            from_key: "from",
            until_key: "until",
            from: &r.from,
            until: &r.until,
        });
    }
    out
}

/// E1009: no window ends before it starts.
fn e1009_windows(raw: &RawScenario, sink: &mut Sink<'_>) {
    for w in windows(raw) {
        let (Some(from), Some(until)) = (toml_date(w.from.get_ref()), toml_date(w.until.get_ref()))
        else {
            continue;
        };
        if until < from {
            sink.error(
                "E1009",
                Some(w.until.span()),
                format!("{}.{}", w.field, w.until_key),
                format!(
                    "the window ends ({} {until}) before it starts ({} {from})",
                    w.until_key, w.from_key
                ),
                format!(
                    "swap the dates, or set {} to {from} or later (both days are included)",
                    w.until_key
                ),
            );
        }
    }
}

/// E1010: the scenario has a name (plans record it to match them to their scenario).
fn e1010_scenario_name(raw: &RawScenario, sink: &mut Sink<'_>) {
    let name = &raw.scenario.get_ref().name;
    if name.get_ref().trim().is_empty() {
        sink.error(
            "E1010",
            Some(name.span()),
            "scenario.name",
            "the scenario name is empty; plan files record it to match them to the scenario",
            "give the scenario a name, e.g. name = \"MINUSMA drawdown 2023\"",
        );
    }
}

/// W1001: the horizon is a whole number of periods, else the last period runs past `end`.
fn w1001_partial_last_period(raw: &RawScenario, sink: &mut Sink<'_>) {
    let h = raw.horizon.get_ref();
    let Some(pd) = h.period_days.as_ref().map(|p| *p.get_ref()) else {
        return;
    };
    let Some((start, end)) = horizon_dates(raw).filter(|(s, e)| s <= e) else {
        return;
    };
    if !(2..=MAX_PERIOD_DAYS).contains(&pd) {
        return;
    }
    let Ok(span) = start.until(end) else {
        return;
    };
    let days = i64::from(span.get_days()) + 1;
    let extra = (pd - days % pd) % pd;
    if extra > 0 {
        let last = end
            .checked_add(extra.days())
            .map_or_else(|_| "later".to_string(), |d| d.to_string());
        sink.warning(
            "W1001",
            Some(h.end.span()),
            "horizon.end",
            format!(
                "the horizon of {days} days is not a whole number of {pd}-day periods; the \
                 last period runs on to {last}, {extra} day(s) past end"
            ),
            format!("end the horizon on {last}, or choose a period_days that divides {days}"),
        );
    }
}

// ---------------------------------------------------------------------------------------
// E11xx: ids and references.
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Site,
    Contingent,
    Road,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Site => "site",
            Target::Contingent => "contingent",
            Target::Road => "road",
        }
    }
}

/// One reference from one table to another by id.
struct Ref<'a> {
    field: String,
    span: Range<usize>,
    id: &'a str,
    target: Target,
}

/// Every id the file uses to name another table.
fn references(raw: &RawScenario) -> Vec<Ref<'_>> {
    let mut out = Vec::new();
    for (i, s) in sites(raw) {
        let l = site_label(i, s);
        if let Some(p) = &s.personnel {
            for (c, v) in p.get_ref() {
                out.push(Ref {
                    field: format!("{l}.personnel.{c}"),
                    span: v.span(),
                    id: c,
                    target: Target::Contingent,
                });
            }
        }
        push_list(&mut out, format!("{l}.after"), &s.after, Target::Site);
        if let Some(e) = &s.exit {
            push_list(
                &mut out,
                format!("{l}.exit.contingents"),
                &e.get_ref().contingents,
                Target::Contingent,
            );
        }
    }
    for (i, r) in roads(raw) {
        let l = road_label(i, r);
        for (key, x) in [("from", &r.from), ("to", &r.to)] {
            out.push(Ref {
                field: format!("{l}.{key}"),
                span: x.span(),
                id: x.get_ref(),
                target: Target::Site,
            });
        }
    }
    for (i, f) in fleets(raw) {
        out.push(Ref {
            field: format!("{}.home", fleet_label(i, f)),
            span: f.home.span(),
            id: f.home.get_ref(),
            target: Target::Site,
        });
    }
    for (i, a) in aircraft(raw) {
        out.push(Ref {
            field: format!("{}.home", aircraft_label(i, a)),
            span: a.home.span(),
            id: a.home.get_ref(),
            target: Target::Site,
        });
    }
    for (i, r) in restrictions(raw) {
        let l = restriction_label(i, r);
        for (key, v, target) in [
            ("roads", &r.roads, Target::Road),
            ("sites", &r.sites, Target::Site),
            ("airfields", &r.airfields, Target::Site),
        ] {
            push_list(&mut out, format!("{l}.{key}"), v, target);
        }
    }
    out
}

/// One reference per id in the list `l`, all reported at the list's field.
fn push_list<'a>(
    out: &mut Vec<Ref<'a>>,
    field: String,
    l: &'a Option<S<Vec<S<String>>>>,
    target: Target,
) {
    for x in list(l) {
        out.push(Ref {
            field: field.clone(),
            span: x.span(),
            id: x.get_ref(),
            target,
        });
    }
}

/// E1101: every referenced site, contingent and road id is defined.
fn e1101_unknown_ids(raw: &RawScenario, sink: &mut Sink<'_>) {
    let site_ids: BTreeSet<&str> = sites(raw).map(|(_, s)| s.id.get_ref().as_str()).collect();
    let contingent_ids: BTreeSet<&str> = raw
        .contingent
        .iter()
        .map(|c| c.get_ref().id.get_ref().as_str())
        .collect();
    let road_ids: BTreeSet<String> = roads(raw).map(|(_, r)| lower::road_id(r)).collect();
    for r in references(raw) {
        let known = match r.target {
            Target::Site => site_ids.contains(r.id),
            Target::Contingent => contingent_ids.contains(r.id),
            Target::Road => road_ids.contains(r.id),
        };
        if known {
            continue;
        }
        let t = r.target.name();
        let defined: Vec<String> = match r.target {
            Target::Site => site_ids.iter().map(|s| s.to_string()).collect(),
            Target::Contingent => contingent_ids.iter().map(|s| s.to_string()).collect(),
            Target::Road => road_ids.iter().cloned().collect(),
        };
        let hint = match reversed_road(r.id, &defined).or_else(|| closest(r.id, &defined)) {
            Some(c) => format!(
                "did you mean `{c}`? Otherwise define a [[{t}]] with id = \"{}\"",
                r.id
            ),
            None if r.target == Target::Road => format!(
                "name a road by its id, or by FROM-TO when it has none; defined: {}",
                shown(&defined)
            ),
            None => format!(
                "define a [[{t}]] with id = \"{}\", or use one of: {}",
                r.id,
                shown(&defined)
            ),
        };
        sink.error(
            "E1101",
            Some(r.span),
            r.field,
            format!("unknown {t} id `{}`", r.id),
            hint,
        );
    }
}

/// `kidal-gao` when `gao-kidal` was asked for: unnamed roads are FROM-TO as written.
fn reversed_road<'a>(id: &str, defined: &'a [String]) -> Option<&'a str> {
    defined.iter().map(String::as_str).find(|d| {
        d.split_once('-')
            .is_some_and(|(a, b)| id == format!("{b}-{a}"))
    })
}

/// A few ids for a message, or "none".
fn shown(ids: &[String]) -> String {
    match ids.len() {
        0 => "none".to_string(),
        n if n <= 8 => ids.join(", "),
        n => format!("{}, ... ({n} in all)", ids[..8].join(", ")),
    }
}

/// The defined id closest to `id` when it is plausibly a misspelling of it.
fn closest<'a>(id: &str, defined: &'a [String]) -> Option<&'a str> {
    defined
        .iter()
        .map(|d| (edit_distance(id, d), d))
        .filter(|(dist, d)| *dist <= 2.max(d.chars().count() / 4) && *dist < d.chars().count())
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, d)| d.as_str())
}

/// Levenshtein distance in characters (one row at a time).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// E1102: ids are unique within their kind (a road without an id is `FROM-TO`).
fn e1102_duplicate_ids(raw: &RawScenario, sink: &mut Sink<'_>) {
    let mut report = |table: &str, ids: Vec<(String, Range<usize>, bool)>| {
        let mut first: HashMap<String, usize> = HashMap::new();
        for (k, (id, span, explicit)) in ids.into_iter().enumerate() {
            // Empty ids are E1103's; reporting them twice would only add noise.
            if id.is_empty() {
                continue;
            }
            if let Some(at) = first.get(&id) {
                let fix = if table == "road" && !explicit {
                    "give one of the roads its own `id` (a road without one is named FROM-TO)"
                        .to_string()
                } else {
                    format!("rename one of them: plans and references name a {table} by its id")
                };
                sink.error(
                    "E1102",
                    Some(span),
                    format!("{table}[{id}].id"),
                    format!(
                        "{table} id `{id}` is already the id of [[{table}]] number {} \
                         (this is number {})",
                        at + 1,
                        k + 1
                    ),
                    fix,
                );
            } else {
                first.insert(id, k);
            }
        }
    };
    let spanned = |x: &S<String>| (x.get_ref().clone(), x.span(), true);
    report(
        "contingent",
        raw.contingent
            .iter()
            .map(|c| spanned(&c.get_ref().id))
            .collect(),
    );
    report("site", sites(raw).map(|(_, s)| spanned(&s.id)).collect());
    report(
        "road",
        roads(raw)
            .map(|(_, r)| match &r.id {
                Some(id) => spanned(id),
                None => (lower::road_id(r), r.from.span(), false),
            })
            .collect(),
    );
    report("fleet", fleets(raw).map(|(_, f)| spanned(&f.id)).collect());
    report(
        "aircraft",
        aircraft(raw).map(|(_, a)| spanned(&a.id)).collect(),
    );
    report(
        "restriction",
        restrictions(raw).map(|(_, r)| spanned(&r.id)).collect(),
    );
}

/// E1103: ids are non-empty and free of whitespace and brackets.
fn e1103_malformed_ids(raw: &RawScenario, sink: &mut Sink<'_>) {
    let mut ids: Vec<(String, &S<String>)> = Vec::new();
    for (i, c) in raw.contingent.iter().map(|c| c.get_ref()).enumerate() {
        ids.push((label("contingent", c.id.get_ref(), i), &c.id));
    }
    for (i, s) in sites(raw) {
        ids.push((site_label(i, s), &s.id));
    }
    for (i, r) in roads(raw) {
        if let Some(id) = &r.id {
            ids.push((road_label(i, r), id));
        }
    }
    for (i, f) in fleets(raw) {
        ids.push((fleet_label(i, f), &f.id));
    }
    for (i, a) in aircraft(raw) {
        ids.push((aircraft_label(i, a), &a.id));
    }
    for (i, r) in restrictions(raw) {
        ids.push((restriction_label(i, r), &r.id));
    }
    for (table, id) in ids {
        let s = id.get_ref();
        let bad = s.is_empty()
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '[' | ']' | ','));
        if bad {
            sink.error(
                "E1103",
                Some(id.span()),
                format!("{table}.id"),
                format!(
                    "id `{s}` is empty or contains spaces, commas or brackets, which plan files \
                     and field paths cannot carry"
                ),
                "use letters, digits, `-`, `_` and `.` only, e.g. \"gao-kidal\"",
            );
        }
    }
}

/// W1101: every declared contingent has personnel somewhere.
fn w1101_unused_contingent(raw: &RawScenario, sink: &mut Sink<'_>) {
    let used: HashSet<&str> = sites(raw)
        .flat_map(|(_, s)| s.personnel.iter().flat_map(|p| p.get_ref().keys()))
        .map(String::as_str)
        .collect();
    for c in raw.contingent.iter().map(|c| c.get_ref()) {
        if !used.contains(c.id.get_ref().as_str()) {
            sink.warning(
                "W1101",
                Some(c.id.span()),
                format!("contingent[{}].id", c.id.get_ref()),
                format!(
                    "contingent `{}` has no personnel at any site",
                    c.id.get_ref()
                ),
                "add its personnel to a site's `personnel` table, or remove the contingent",
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// E12xx: sites, exits, airfields.
// ---------------------------------------------------------------------------------------

/// E1201: a site is a `base`, `hub` or `exit`.
fn e1201_site_kind(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        if !matches!(s.kind.get_ref().as_str(), "base" | "hub" | "exit") {
            sink.error(
                "E1201",
                Some(s.kind.span()),
                format!("{}.kind", site_label(i, s)),
                format!("unknown site kind `{}`", s.kind.get_ref()),
                "use \"base\" (a camp to close), \"hub\" (stock passes through) or \"exit\"",
            );
        }
    }
}

/// E1202: latitude and longitude are on the globe.
fn e1202_coordinates(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        for (key, v, lim) in [("lat", &s.lat, 90.0), ("lon", &s.lon, 180.0)] {
            let x = *v.get_ref();
            if !(x.is_finite() && (-lim..=lim).contains(&x)) {
                sink.error(
                    "E1202",
                    Some(v.span()),
                    format!("{}.{key}", site_label(i, s)),
                    format!("{key} is {x}, outside -{lim} to {lim} degrees"),
                    "give decimal degrees, north and east positive (Gao: lat 16.27, lon -0.04)",
                );
            }
        }
    }
}

/// E1203: only exits have an `exit` table.
fn e1203_exit_table_on_non_exit(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        if let Some(e) = &s.exit
            && matches!(s.kind.get_ref().as_str(), "base" | "hub")
        {
            sink.error(
                "E1203",
                Some(e.span()),
                format!("{}.exit", site_label(i, s)),
                format!(
                    "a {} has an `exit` table, but only exits take stock out of the theatre",
                    s.kind.get_ref()
                ),
                "set kind = \"exit\", or remove the `exit` table",
            );
        }
    }
}

/// E1204: every exit has an `exit` table.
fn e1204_exit_table_missing(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        if is_exit(s) && s.exit.is_none() {
            sink.error(
                "E1204",
                Some(s.kind.span()),
                format!("{}.exit", site_label(i, s)),
                "the exit has no `exit` table saying what it accepts",
                "add e.g. exit = { accepts = [\"personnel\", \"teu\", \"vehicles\"] }",
            );
        }
    }
}

/// E1205: exits hold no stock (stock at an exit has already left).
fn e1205_stock_on_exit(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw).filter(|(_, s)| is_exit(s)) {
        let l = site_label(i, s);
        let mut report = |key: &str, span: Range<usize>, amount: i64| {
            let unit = if key == "teu" { "TEU" } else { key };
            sink.error(
                "E1205",
                Some(span),
                format!("{l}.{key}"),
                format!("the exit holds {amount} {unit}, but stock at an exit has already left"),
                "move the stock to a base or hub that the exit serves, or remove it",
            );
        };
        if let Some(p) = &s.personnel
            && total_personnel(s) > 0
        {
            report("personnel", p.span(), total_personnel(s));
        }
        for (key, v) in [("teu", &s.teu), ("vehicles", &s.vehicles)] {
            if let Some(v) = v
                && *v.get_ref() > 0
            {
                report(key, v.span(), *v.get_ref());
            }
        }
    }
}

const COMMODITIES: [&str; 3] = ["personnel", "teu", "vehicles"];

/// Whether the exit lists `what` in `accepts`.
fn accepts(e: &RawExit, what: &str) -> bool {
    e.accepts.get_ref().iter().any(|a| a.get_ref() == what)
}

/// E1206: an exit accepts at least one commodity.
fn e1206_exit_accepts_nothing(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        let Some(e) = &s.exit else { continue };
        let acc = &e.get_ref().accepts;
        // Unknown names in a non-empty list are E1207's; one report per mistake.
        if acc.get_ref().is_empty() {
            sink.error(
                "E1206",
                Some(acc.span()),
                format!("{}.exit.accepts", site_label(i, s)),
                "the exit accepts nothing, so nothing can leave through it",
                "list what leaves here: any of \"personnel\", \"teu\", \"vehicles\"",
            );
        }
    }
}

/// E1207: `accepts` names only known commodities.
fn e1207_unknown_accepts(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        let Some(e) = &s.exit else { continue };
        for a in e.get_ref().accepts.get_ref() {
            if !COMMODITIES.contains(&a.get_ref().as_str()) {
                sink.error(
                    "E1207",
                    Some(a.span()),
                    format!("{}.exit.accepts", site_label(i, s)),
                    format!("unknown commodity `{}`", a.get_ref()),
                    "use \"personnel\", \"teu\" or \"vehicles\"",
                );
            }
        }
    }
}

/// E1208: a site's stock may leave (`not_before`) no later than its deadline (`close_by`).
fn e1208_not_before_after_close_by(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        let (Some(nb), Some(cb)) = (&s.not_before, &s.close_by) else {
            continue;
        };
        let (Some(from), Some(by)) = (toml_date(nb.get_ref()), toml_date(cb.get_ref())) else {
            continue;
        };
        if from > by {
            sink.error(
                "E1208",
                Some(nb.span()),
                format!("{}.not_before", site_label(i, s)),
                format!("not_before {from} is after close_by {by}: the site could only close late"),
                format!("set not_before to {by} or earlier, or move close_by to {from} or later"),
            );
        }
    }
}

/// E1209: a site does not name itself in `after`.
fn e1209_after_self(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        for a in list(&s.after) {
            if a.get_ref() == s.id.get_ref() {
                sink.error(
                    "E1209",
                    Some(a.span()),
                    format!("{}.after", site_label(i, s)),
                    format!("site `{}` names itself in `after`", a.get_ref()),
                    "remove it from the list; `after` names the sites that must close first",
                );
            }
        }
    }
}

/// E1210: `after` has no cycle (the sites in one could never all close).
fn e1210_after_cycle(raw: &RawScenario, sink: &mut Sink<'_>) {
    let index = site_index(raw);
    let edges: Vec<Vec<usize>> = sites(raw)
        .map(|(i, s)| {
            list(&s.after)
                .iter()
                .filter_map(|a| index.get(a.get_ref().as_str()).copied())
                .filter(|&j| j != i)
                .collect()
        })
        .collect();
    let n = edges.len();
    // A site is on a cycle exactly when its strongly connected group has another member
    // (self-references are E1209's and left out above). Groups in linear time, not a
    // reachability matrix: files with thousands of sites are checked in milliseconds.
    let group = strong_groups(&edges);
    let mut size = vec![0usize; n];
    for &g in &group {
        size[g] += 1;
    }
    let mut reported = vec![false; n];
    for i in 0..n {
        if reported[group[i]] || size[group[i]] < 2 {
            continue;
        }
        // Everything on a cycle through i is one strongly connected group: report it once.
        reported[group[i]] = true;
        let ids: Vec<&str> = cycle_from(&edges, i)
            .into_iter()
            .map(|k| raw.site[k].get_ref().id.get_ref().as_str())
            .collect();
        let s = raw.site[i].get_ref();
        let span = s.after.as_ref().map_or_else(|| s.id.span(), |a| a.span());
        sink.error(
            "E1210",
            Some(span),
            format!("{}.after", site_label(i, s)),
            format!(
                "`after` makes a cycle: {} (each must close after the next, so none can close)",
                ids.join(" -> ")
            ),
            "remove one of these `after` entries to break the cycle",
        );
    }
}

/// The strongly connected group of every node (Tarjan's algorithm, iterative so that a
/// long chain of `after` cannot overflow the stack): `group[i] == group[j]` exactly when
/// `i` and `j` reach each other.
fn strong_groups(edges: &[Vec<usize>]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut group = vec![NONE; n];
    let mut stack: Vec<usize> = Vec::new();
    let (mut next_index, mut next_group) = (0, 0);
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        // Depth-first frames: (node, position in its edge list).
        let mut frames: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, pos)) = frames.last() {
            if let Some(&w) = edges[v].get(pos) {
                if let Some(top) = frames.last_mut() {
                    top.1 += 1;
                }
                if index[w] == NONE {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    group[w] = next_group;
                    if w == v {
                        break;
                    }
                }
                next_group += 1;
            }
        }
    }
    group
}

/// A shortest cycle `from -> ... -> from` (breadth first, so the path is short to read).
fn cycle_from(edges: &[Vec<usize>], from: usize) -> Vec<usize> {
    let mut parent: Vec<Option<usize>> = vec![None; edges.len()];
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(k) = queue.pop_front() {
        for &j in &edges[k] {
            if j == from {
                // Walk the parents back from the node that closes the cycle.
                let mut path = vec![from];
                let mut at = k;
                while at != from {
                    path.push(at);
                    at = parent[at].unwrap_or(from);
                }
                path.push(from);
                path.reverse();
                return path;
            }
            if parent[j].is_none() && j != from {
                parent[j] = Some(k);
                queue.push_back(j);
            }
        }
    }
    vec![from, from]
}

/// E1211: the rear guard is no larger than the personnel at the site.
fn e1211_rear_guard(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        let Some(rg) = &s.rear_guard else { continue };
        let people = total_personnel(s);
        // A negative total is E1005's; comparing against it would say nothing useful.
        if *rg.get_ref() > people && people >= 0 {
            sink.error(
                "E1211",
                Some(rg.span()),
                format!("{}.rear_guard", site_label(i, s)),
                format!(
                    "rear_guard {} is larger than the {people} personnel at the site",
                    rg.get_ref()
                ),
                format!("lower rear_guard to at most {people} or add personnel"),
            );
        }
    }
}

/// E1212: an exit that accepts personnel does not list an empty set of contingents.
fn e1212_exit_contingents_empty(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        let Some(e) = &s.exit else { continue };
        if let Some(c) = &e.get_ref().contingents
            && c.get_ref().is_empty()
            && accepts(e.get_ref(), "personnel")
        {
            sink.error(
                "E1212",
                Some(c.span()),
                format!("{}.exit.contingents", site_label(i, s)),
                "the exit accepts personnel but lists no contingent, so nobody may leave here",
                "list the contingents that may leave here, or remove `contingents` to accept all",
            );
        }
    }
}

/// W1201: a base with stock has a deadline.
fn w1201_base_without_deadline(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        if s.kind.get_ref() == "base" && s.close_by.is_none() && has_stock(s) {
            sink.warning(
                "W1201",
                Some(s.id.span()),
                format!("{}.close_by", site_label(i, s)),
                "the base has stock but no close_by, so its closing date is never late",
                "add close_by = YYYY-MM-DD with the agreed handover date",
            );
        }
    }
}

/// W1202: a base has something to withdraw.
fn w1202_base_without_stock(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        if s.kind.get_ref() == "base" && !has_stock(s) {
            sink.warning(
                "W1202",
                Some(s.id.span()),
                site_label(i, s),
                "the base holds no personnel, containers or vehicles, so there is nothing to plan",
                "add its stock (personnel, teu, vehicles), or make it a hub if stock only passes",
            );
        }
    }
}

/// W1203: per-day capacities and contingents of an exit concern commodities it accepts.
fn w1203_exit_setting_ignored(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw) {
        let Some(e) = &s.exit else { continue };
        let e = e.get_ref();
        let settings: [(&str, &str, Option<Range<usize>>); 4] = [
            (
                "personnel_per_day",
                "personnel",
                e.personnel_per_day.as_ref().map(|x| x.span()),
            ),
            (
                "teu_per_day",
                "teu",
                e.teu_per_day.as_ref().map(|x| x.span()),
            ),
            (
                "vehicles_per_day",
                "vehicles",
                e.vehicles_per_day.as_ref().map(|x| x.span()),
            ),
            (
                "contingents",
                "personnel",
                e.contingents.as_ref().map(|x| x.span()),
            ),
        ];
        for (key, what, span) in settings {
            if let Some(span) = span
                && !accepts(e, what)
            {
                sink.warning(
                    "W1203",
                    Some(span),
                    format!("{}.exit.{key}", site_label(i, s)),
                    format!("`{key}` is ignored: the exit does not accept {what}"),
                    format!("add \"{what}\" to accepts, or remove `{key}`"),
                );
            }
        }
    }
}

/// W1204: closure settings on an exit are ignored (an exit holds nothing and never closes).
fn w1204_exit_closure_field(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, s) in sites(raw).filter(|(_, s)| is_exit(s)) {
        let spans = [
            ("not_before", s.not_before.as_ref().map(|x| x.span())),
            ("close_by", s.close_by.as_ref().map(|x| x.span())),
            ("after", s.after.as_ref().map(|x| x.span())),
            ("rear_guard", s.rear_guard.as_ref().map(|x| x.span())),
            (
                "handling_teu_per_day",
                s.handling_teu_per_day.as_ref().map(|x| x.span()),
            ),
        ];
        for (key, span) in spans {
            if let Some(span) = span {
                sink.warning(
                    "W1204",
                    Some(span),
                    format!("{}.{key}", site_label(i, s)),
                    format!("`{key}` is ignored on an exit: nothing departs from an exit"),
                    if key == "handling_teu_per_day" {
                        "remove it; limit what the exit takes in with `exit.teu_per_day`"
                            .to_string()
                    } else {
                        format!("remove `{key}`: an exit never closes")
                    },
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// E13xx: roads.
// ---------------------------------------------------------------------------------------

/// E1301: hazard levels run from 0 to 3.
fn e1301_hazard(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, r) in roads(raw) {
        if let Some(h) = &r.hazard
            && !(0..=3).contains(h.get_ref())
        {
            sink.error(
                "E1301",
                Some(h.span()),
                format!("{}.hazard", road_label(i, r)),
                format!("hazard is {}, but levels run from 0 to 3", h.get_ref()),
                "give 0 (none), 1 (low), 2 (medium) or 3 (high)",
            );
        }
    }
}

/// E1302: a road joins two different sites.
fn e1302_road_loop(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, r) in roads(raw) {
        if r.from.get_ref() == r.to.get_ref() {
            sink.error(
                "E1302",
                Some(r.to.span()),
                format!("{}.to", road_label(i, r)),
                format!("the road leads from `{}` to itself", r.from.get_ref()),
                "give the site at the other end in `to`",
            );
        }
    }
}

/// W1301: a road that needs escorts is usable only when some escort fleet exists.
fn w1301_escort_road_without_escorts(raw: &RawScenario, sink: &mut Sink<'_>) {
    if fleets(raw).any(|(_, f)| is_escort_fleet(f)) {
        return;
    }
    for (i, r) in roads(raw) {
        if needs_escort(raw, r) {
            let span = r
                .hazard
                .as_ref()
                .map_or_else(|| r.from.span(), |h| h.span());
            sink.warning(
                "W1301",
                Some(span),
                format!("{}.escort", road_label(i, r)),
                "the road needs escorts but the scenario has no escort fleet, so no convoy can \
                 use it",
                "add a [[fleet]] with kind = \"escort\", or set escort = false on the road",
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// E14xx: fleets.
// ---------------------------------------------------------------------------------------

/// E1401: a fleet is made of trucks, carriers or escorts.
fn e1401_fleet_kind(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, f) in fleets(raw) {
        if !matches!(f.kind.get_ref().as_str(), "truck" | "carrier" | "escort") {
            sink.error(
                "E1401",
                Some(f.kind.span()),
                format!("{}.kind", fleet_label(i, f)),
                format!("unknown fleet kind `{}`", f.kind.get_ref()),
                "use \"truck\" (carries TEU), \"carrier\" (carries personnel) or \"escort\"",
            );
        }
    }
}

/// `a truck`, `an escort`.
fn a_an(word: &str) -> String {
    let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {word}")
}

/// The capacity field a fleet kind needs, with what it means.
fn fleet_capacity(kind: &str) -> Option<(&'static str, &'static str)> {
    match kind {
        "truck" => Some(("teu", "TEU each truck carries")),
        "carrier" => Some(("seats", "seats in each carrier")),
        "escort" => Some(("cover", "vehicles each escort unit covers")),
        _ => None,
    }
}

/// E1402: a fleet has the positive capacity its kind is for.
fn e1402_fleet_capacity(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, f) in fleets(raw) {
        let Some((key, meaning)) = fleet_capacity(f.kind.get_ref()) else {
            continue;
        };
        let v = match key {
            "teu" => &f.teu,
            "seats" => &f.seats,
            _ => &f.cover,
        };
        let (span, cause) = match v {
            None => (
                f.kind.span(),
                format!("{} fleet needs `{key}` ({meaning})", a_an(f.kind.get_ref())),
            ),
            Some(x) if *x.get_ref() == 0 => (
                x.span(),
                format!("`{key}` is 0, so the fleet is of no use: {meaning} must be positive"),
            ),
            Some(_) => continue,
        };
        sink.error(
            "E1402",
            Some(span),
            format!("{}.{key}", fleet_label(i, f)),
            cause,
            format!("give `{key}` a positive value ({meaning})"),
        );
    }
}

/// E1403: `teu` is for trucks and `cover` for escorts only.
fn e1403_fleet_field_of_other_kind(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, f) in fleets(raw) {
        let kind = f.kind.get_ref().as_str();
        if !matches!(kind, "truck" | "carrier" | "escort") {
            continue;
        }
        for (key, owner, v) in [("teu", "truck", &f.teu), ("cover", "escort", &f.cover)] {
            if let Some(v) = v
                && kind != owner
            {
                sink.error(
                    "E1403",
                    Some(v.span()),
                    format!("{}.{key}", fleet_label(i, f)),
                    format!(
                        "`{key}` applies to {owner} fleets only, but this is {} fleet",
                        a_an(kind)
                    ),
                    format!("remove `{key}`, or set kind = \"{owner}\" if that was meant"),
                );
            }
        }
    }
}

/// W1401: a fleet based at an exit (its units must drive in from there first).
fn w1401_fleet_home_exit(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, f) in fleets(raw) {
        if site_by_id(raw, f.home.get_ref()).is_some_and(is_exit) {
            sink.warning(
                "W1401",
                Some(f.home.span()),
                format!("{}.home", fleet_label(i, f)),
                format!(
                    "the fleet is based at the exit `{}`: its units start there and must drive \
                     in before they can carry anything",
                    f.home.get_ref()
                ),
                "base it at the hub or base it serves, unless it really comes from the exit",
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// E15xx: aircraft.
// ---------------------------------------------------------------------------------------

/// E1501: an aircraft type carries personnel or containers.
fn e1501_aircraft_without_capacity(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, a) in aircraft(raw) {
        if a.seats.is_none() && a.payload_teu.is_none() && a.payload_t.is_none() {
            sink.error(
                "E1501",
                Some(a.id.span()),
                aircraft_label(i, a),
                "the aircraft type has neither seats nor payload, so it can carry nothing",
                "give seats, and payload_teu or payload_t",
            );
        }
    }
}

/// E1502: a payload is given once, in TEU or in tonnes.
fn e1502_two_payloads(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, a) in aircraft(raw) {
        if let (Some(_), Some(t)) = (&a.payload_teu, &a.payload_t) {
            sink.error(
                "E1502",
                Some(t.span()),
                format!("{}.payload_t", aircraft_label(i, a)),
                "both payload_teu and payload_t are given; a payload is one number",
                "keep one of them (payload_t is converted with defaults.teu_tonnes)",
            );
        }
    }
}

/// E1503: an aircraft type can use at least one airfield.
fn e1503_aircraft_without_airfield(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, a) in aircraft(raw) {
        if sites(raw).any(|(_, s)| usable_airfield(a, s).is_some()) {
            continue;
        }
        let longest = sites(raw)
            .filter_map(|(_, s)| s.airfield.as_ref().map(|f| (s, f.get_ref())))
            .filter(|(_, f)| f.paved || !a.paved_only.unwrap_or(false))
            .max_by_key(|(_, f)| *f.runway_m.get_ref());
        let seen = match longest {
            Some((s, f)) => format!(
                "the longest suitable runway is {} m at {}",
                f.runway_m.get_ref(),
                s.id.get_ref()
            ),
            None if a.paved_only.unwrap_or(false) => "no site has a paved runway".to_string(),
            None => "no site has an airfield".to_string(),
        };
        sink.error(
            "E1503",
            Some(a.min_runway_m.span()),
            format!("{}.min_runway_m", aircraft_label(i, a)),
            format!(
                "the aircraft type can use no airfield: it needs {}, but {seen}",
                runway_need(a)
            ),
            "check min_runway_m and paved_only, add the airfields it uses, or remove the type",
        );
    }
}

/// E1504: an aircraft type's home has an airfield the type can use.
fn e1504_aircraft_home(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, a) in aircraft(raw) {
        let Some(home) = site_by_id(raw, a.home.get_ref()) else {
            continue;
        };
        if usable_airfield(a, home).is_some() {
            continue;
        }
        // A type that can use no airfield at all is E1503's; one report is enough.
        if !sites(raw).any(|(_, s)| usable_airfield(a, s).is_some()) {
            continue;
        }
        let why = match &home.airfield {
            None => format!("`{}` has no airfield", home.id.get_ref()),
            Some(f) => format!(
                "the type needs {}, but `{}` has {} m{}",
                runway_need(a),
                home.id.get_ref(),
                f.get_ref().runway_m.get_ref(),
                if f.get_ref().paved {
                    ", paved"
                } else {
                    ", unpaved"
                }
            ),
        };
        let candidates: Vec<String> = sites(raw)
            .filter(|(_, s)| usable_airfield(a, s).is_some())
            .map(|(_, s)| s.id.get_ref().clone())
            .collect();
        sink.error(
            "E1504",
            Some(a.home.span()),
            format!("{}.home", aircraft_label(i, a)),
            format!("the aircraft type cannot operate from its home: {why}"),
            format!(
                "set home to an airfield it can use ({}), or fix the home airfield",
                shown(&candidates)
            ),
        );
    }
}

/// W1501: a payload in tonnes of less than one TEU carries no container.
fn w1501_payload_under_one_teu(raw: &RawScenario, sink: &mut Sink<'_>) {
    let tonnes = teu_tonnes(raw);
    for (i, a) in aircraft(raw) {
        if a.payload_teu.is_some() {
            continue;
        }
        if let Some(t) = &a.payload_t
            && *t.get_ref() > 0.0
            && *t.get_ref() < tonnes
        {
            sink.warning(
                "W1501",
                Some(t.span()),
                format!("{}.payload_t", aircraft_label(i, a)),
                format!(
                    "payload_t {} is less than one TEU ({tonnes} t), so the type carries no \
                     container",
                    t.get_ref()
                ),
                "remove the payload if the type carries only personnel, or check teu_tonnes",
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// E16xx: restrictions.
// ---------------------------------------------------------------------------------------

/// E1601: a restriction names at least one road, site or airfield.
fn e1601_restriction_empty(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, r) in restrictions(raw) {
        if list(&r.roads).is_empty() && list(&r.sites).is_empty() && list(&r.airfields).is_empty() {
            sink.error(
                "E1601",
                Some(r.id.span()),
                restriction_label(i, r),
                "the restriction names no road, site or airfield, so it restricts nothing",
                "list what it closes in roads = [...], sites = [...] or airfields = [...]",
            );
        }
    }
}

/// E1602: `airfields` names sites that have an airfield.
fn e1602_restriction_airfield(raw: &RawScenario, sink: &mut Sink<'_>) {
    for (i, r) in restrictions(raw) {
        for a in list(&r.airfields) {
            if let Some(s) = site_by_id(raw, a.get_ref())
                && s.airfield.is_none()
            {
                sink.error(
                    "E1602",
                    Some(a.span()),
                    format!("{}.airfields", restriction_label(i, r)),
                    format!("site `{}` has no airfield to restrict", a.get_ref()),
                    "name a site with a [site.airfield], or list the site under `sites`",
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// E17xx: can every stock reach an exit that accepts it, in time.
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Commodity {
    Personnel,
    Teu,
    Vehicles,
}

impl Commodity {
    fn key(self) -> &'static str {
        match self {
            Commodity::Personnel => "personnel",
            Commodity::Teu => "teu",
            Commodity::Vehicles => "vehicles",
        }
    }
}

/// The network of a file without local errors, as index-based adjacency.
struct Net<'a> {
    raw: &'a RawScenario,
    horizon: Horizon,
    /// For each site, its roads as (other end, travel periods, road index).
    roads: Vec<Vec<(usize, u32, usize)>>,
    /// Whether each road is usable by ground vehicles at all (escorts available if needed).
    road_ok: Vec<bool>,
    /// Component of each site over usable roads (fleet units may pass through exits).
    comp: Vec<usize>,
    /// Components holding a truck fleet's home, a fleet with seats, and stock vehicles.
    comp_trucks: HashSet<usize>,
    comp_seats: HashSet<usize>,
    comp_vehicles: HashSet<usize>,
}

impl<'a> Net<'a> {
    fn new(raw: &'a RawScenario) -> Self {
        let horizon = lower::horizon(raw.horizon.get_ref());
        let n = raw.site.len();
        let index = site_index(raw);
        let km_per_day = defaults_of(raw)
            .and_then(|d| d.convoy_km_per_day.as_ref().map(|x| *x.get_ref()))
            .unwrap_or(defaults::CONVOY_KM_PER_DAY);

        // Escort units may drive alone on any road, so an escort-needing road can be
        // covered when an escort fleet is based anywhere in its component of all roads.
        let mut all = UnionFind::new(n);
        let mut ends = Vec::new();
        for (_, r) in roads(raw) {
            let a = index[r.from.get_ref().as_str()];
            let b = index[r.to.get_ref().as_str()];
            all.union(a, b);
            ends.push((a, b));
        }
        let escort_comps: HashSet<usize> = fleets(raw)
            .filter(|(_, f)| is_escort_fleet(f))
            .map(|(_, f)| all.find(index[f.home.get_ref().as_str()]))
            .collect();

        let mut adj = vec![Vec::new(); n];
        let mut road_ok = Vec::new();
        let mut usable = UnionFind::new(n);
        for (k, (_, r)) in roads(raw).enumerate() {
            let (a, b) = ends[k];
            let ok = !needs_escort(raw, r) || escort_comps.contains(&all.find(a));
            let days = r
                .days
                .as_ref()
                .map_or(*r.km.get_ref() / km_per_day, |d| *d.get_ref());
            let periods = horizon.periods_for_days(days);
            adj[a].push((b, periods, k));
            adj[b].push((a, periods, k));
            road_ok.push(ok);
            if ok {
                usable.union(a, b);
            }
        }
        let comp: Vec<usize> = (0..n).map(|i| usable.find(i)).collect();
        let home_comps = |pred: &dyn Fn(&RawFleet) -> bool| -> HashSet<usize> {
            fleets(raw)
                .filter(|(_, f)| *f.count.get_ref() > 0 && pred(f))
                .map(|(_, f)| comp[index[f.home.get_ref().as_str()]])
                .collect()
        };
        let comp_trucks =
            home_comps(&|f| f.kind.get_ref() == "truck" && int(&f.teu).unwrap_or(0) > 0);
        let comp_seats = home_comps(&|f| int(&f.seats).unwrap_or(0) > 0);
        let vehicle_seats = defaults_of(raw)
            .and_then(|d| int(&d.vehicle_seats))
            .unwrap_or(defaults::VEHICLE_SEATS);
        let comp_vehicles: HashSet<usize> = if vehicle_seats > 0 {
            sites(raw)
                .filter(|(_, s)| !is_exit(s) && int(&s.vehicles).unwrap_or(0) > 0)
                .map(|(i, _)| comp[i])
                .collect()
        } else {
            HashSet::new()
        };
        Net {
            raw,
            horizon,
            roads: adj,
            road_ok,
            comp,
            comp_trucks,
            comp_seats,
            comp_vehicles,
        }
    }

    /// Whether commodity `c` can leave site `u` by road (someone can carry it there).
    fn road_carrier(&self, c: Commodity, u: usize) -> bool {
        match c {
            Commodity::Teu => self.comp_trucks.contains(&self.comp[u]),
            Commodity::Personnel => {
                self.comp_seats.contains(&self.comp[u])
                    || self.comp_vehicles.contains(&self.comp[u])
            }
            Commodity::Vehicles => true,
        }
    }

    /// Fewest periods for `c` to go from site `u` to each other site, by road and air; exits
    /// are ends (stock arriving there has left). With `physical`, only the existence of roads
    /// counts (no fleet, escort or aircraft), to explain an unreachable exit.
    fn earliest(&self, c: Commodity, from: usize, physical: bool) -> Vec<Option<u32>> {
        let raw = self.raw;
        let n = raw.site.len();
        let mut dist: Vec<Option<u32>> = vec![None; n];
        let mut heap = BinaryHeap::new();
        dist[from] = Some(0);
        heap.push(Reverse((0u32, from)));
        let airlift = if physical || c == Commodity::Vehicles {
            Vec::new()
        } else {
            self.airlift(c)
        };
        while let Some(Reverse((du, u))) = heap.pop() {
            if dist[u].is_some_and(|d| du > d) {
                continue;
            }
            let su = raw.site[u].get_ref();
            if is_exit(su) {
                continue;
            }
            let mut relax = |v: usize, p: u32| {
                let d = du.saturating_add(p);
                if dist[v].is_none_or(|old| d < old) {
                    dist[v] = Some(d);
                    heap.push(Reverse((d, v)));
                }
            };
            for &(v, p, k) in &self.roads[u] {
                if physical || (self.road_ok[k] && self.road_carrier(c, u)) {
                    relax(v, p);
                }
            }
            for (a, fields) in &airlift {
                if usable_airfield(a, su).is_none() {
                    continue;
                }
                for &v in fields.iter() {
                    // A flight takes at least one period: skip the distance computation
                    // when it cannot improve on what is known.
                    let known = dist[v].is_some_and(|old| old <= du.saturating_add(1));
                    if v != u && !known {
                        let d = du.saturating_add(self.flight_periods(a, u, v));
                        if dist[v].is_none_or(|old| d < old) {
                            dist[v] = Some(d);
                            heap.push(Reverse((d, v)));
                        }
                    }
                }
            }
        }
        dist
    }

    /// Fewest periods for `c` to go from every site to exit `to`, by road and air: the
    /// same figures as [`Net::earliest`] from each site, found by one search backwards from
    /// the exit instead of one search forwards from every site (which made validation
    /// cubic in the number of sites).
    fn to_exit(&self, c: Commodity, to: usize) -> Vec<Option<u32>> {
        let raw = self.raw;
        let n = raw.site.len();
        let mut dist: Vec<Option<u32>> = vec![None; n];
        let mut heap = BinaryHeap::new();
        dist[to] = Some(0);
        heap.push(Reverse((0u32, to)));
        let airlift = if c == Commodity::Vehicles {
            Vec::new()
        } else {
            self.airlift(c)
        };
        while let Some(Reverse((dv, v))) = heap.pop() {
            if dist[v].is_some_and(|d| dv > d) {
                continue;
            }
            // A step u -> v exists when a forward search from u would take it: u is not an
            // exit (exits are ends) and carries `c` on the road, or flies it.
            let mut relax = |u: usize, p: u32| {
                let d = dv.saturating_add(p);
                if dist[u].is_none_or(|old| d < old) {
                    dist[u] = Some(d);
                    heap.push(Reverse((d, u)));
                }
            };
            for &(u, p, k) in &self.roads[v] {
                if !is_exit(raw.site[u].get_ref()) && self.road_ok[k] && self.road_carrier(c, u) {
                    relax(u, p);
                }
            }
            for (a, fields) in &airlift {
                if usable_airfield(a, raw.site[v].get_ref()).is_none() {
                    continue;
                }
                for &u in fields.iter() {
                    // A flight takes at least one period: skip the distance computation
                    // when it cannot improve on what is known.
                    let known = dist[u].is_some_and(|old| old <= dv.saturating_add(1));
                    if u != v && !known && !is_exit(raw.site[u].get_ref()) {
                        let d = dv.saturating_add(self.flight_periods(a, u, v));
                        if dist[u].is_none_or(|old| d < old) {
                            dist[u] = Some(d);
                            heap.push(Reverse((d, u)));
                        }
                    }
                }
            }
        }
        dist
    }

    /// The aircraft types that carry `c` (personnel: seats; containers: a payload) and have
    /// airframes, each with the sites whose airfield it can use.
    fn airlift(&self, c: Commodity) -> Vec<(&'a RawAircraft, Vec<usize>)> {
        let raw = self.raw;
        aircraft(raw)
            .filter(|(_, a)| {
                let carries = match c {
                    Commodity::Personnel => int(&a.seats).unwrap_or(0) > 0,
                    _ => payload_teu(raw, a) > 0,
                };
                carries && *a.count.get_ref() != 0
            })
            .map(|(_, a)| {
                let fields = sites(raw)
                    .filter(|(_, s)| usable_airfield(a, s).is_some())
                    .map(|(i, _)| i)
                    .collect();
                (a, fields)
            })
            .collect()
    }

    /// Flight periods of type `a` from site `u` to site `v` (distance measured from `u`,
    /// as a forward search does, so both searches add exactly the same numbers).
    fn flight_periods(&self, a: &RawAircraft, u: usize, v: usize) -> u32 {
        let (su, sv) = (self.raw.site[u].get_ref(), self.raw.site[v].get_ref());
        let km = great_circle_km(
            *su.lat.get_ref(),
            *su.lon.get_ref(),
            *sv.lat.get_ref(),
            *sv.lon.get_ref(),
        );
        let hours = km / *a.speed_kmh.get_ref();
        self.horizon.periods_for_days(hours / 24.0)
    }
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind((0..n).collect())
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        self.0[a] = b;
    }
}

/// One commodity at one site that must reach an exit.
struct Demand<'a> {
    commodity: Commodity,
    field: String,
    span: Range<usize>,
    /// `the 450 personnel of contingent `td``, for messages.
    what: String,
    /// For personnel, the contingent (exits may be restricted to some).
    contingent: Option<&'a str>,
}

/// What site `s` (labelled `l`) must send to exits.
fn demands<'a>(l: &str, s: &'a RawSite) -> Vec<Demand<'a>> {
    let mut out = Vec::new();
    if let Some(p) = &s.personnel {
        for (c, v) in p.get_ref() {
            if *v.get_ref() > 0 {
                out.push(Demand {
                    commodity: Commodity::Personnel,
                    field: format!("{l}.personnel.{c}"),
                    span: v.span(),
                    what: format!("the {} personnel of contingent `{c}`", v.get_ref()),
                    contingent: Some(c),
                });
            }
        }
    }
    for (c, v, unit) in [
        (Commodity::Teu, &s.teu, "TEU"),
        (Commodity::Vehicles, &s.vehicles, "vehicles"),
    ] {
        if let Some(v) = v
            && *v.get_ref() > 0
        {
            out.push(Demand {
                commodity: c,
                field: format!("{l}.{}", c.key()),
                span: v.span(),
                what: format!("the {} {unit}", v.get_ref()),
                contingent: None,
            });
        }
    }
    out
}

/// Whether exit `e` takes what demand `d` carries.
fn takes(e: &RawExit, d: &Demand<'_>) -> bool {
    accepts(e, d.commodity.key())
        && d.contingent.is_none_or(|k| {
            e.contingents.is_none() || list(&e.contingents).iter().any(|x| x.get_ref() == k)
        })
}

/// E1701 to E1706 (and W1701): every stock can reach, in time, an exit that accepts it.
///
/// This is a necessary condition, not a plan: capacities, closures, restrictions and the
/// positions of fleet units are ignored, so a scenario that passes may still need lateness
/// or abandonment, but one that fails cannot be planned as written. Containers and vehicles
/// that cannot leave are only a warning when the scenario allows abandoning them.
fn e1701_to_e1706_reachability(raw: &RawScenario, sink: &mut Sink<'_>) {
    if !sites(raw).any(|(_, s)| has_stock(s)) {
        return;
    }
    let exits: Vec<(usize, &RawSite, &RawExit)> = sites(raw)
        .filter_map(|(i, s)| s.exit.as_ref().map(|e| (i, s, e.get_ref())))
        .collect();
    if exits.is_empty() {
        sink.error(
            "E1706",
            Some(raw.scenario.span()),
            "site",
            "the scenario has stock to withdraw but no exit",
            "add a [[site]] with kind = \"exit\" and an `exit` table (port, border, airport)",
        );
        return;
    }
    let net = Net::new(raw);
    let abandon = raw
        .abandon
        .as_ref()
        .and_then(|a| a.get_ref().allowed)
        .unwrap_or(false);
    // Periods from every site to each exit, per commodity, computed once when first needed.
    let mut to_exit: HashMap<(Commodity, usize), Vec<Option<u32>>> = HashMap::new();
    for (i, s) in sites(raw).filter(|(_, s)| !is_exit(s)) {
        for d in demands(&site_label(i, s), s) {
            let may_abandon = abandon && d.commodity != Commodity::Personnel;
            let targets: Vec<(usize, &RawSite)> = exits
                .iter()
                .filter(|(_, _, e)| takes(e, &d))
                .map(|(j, t, _)| (*j, *t))
                .collect();
            if targets.is_empty() {
                e1704_no_exit_accepts(s, d, may_abandon, sink);
                continue;
            }
            let c = d.commodity;
            for (j, _) in &targets {
                to_exit.entry((c, *j)).or_insert_with(|| net.to_exit(c, *j));
            }
            let best = targets
                .iter()
                .filter_map(|(j, t)| to_exit[&(c, *j)][i].map(|p| (p, *t)))
                .min_by_key(|(p, _)| *p);
            match best {
                None => e1701_unreachable(&net, i, s, d, &targets, may_abandon, sink),
                Some((periods, exit)) => e1705_too_late(&net, s, d, periods, exit, sink),
            }
        }
    }
}

/// E1704 (or W1701): no exit at all accepts the demand.
fn e1704_no_exit_accepts(s: &RawSite, d: Demand<'_>, may_abandon: bool, sink: &mut Sink<'_>) {
    let key = d.commodity.key();
    if may_abandon {
        sink.warning(
            "W1701",
            Some(d.span),
            d.field,
            format!(
                "{} at `{}` can only be abandoned: no exit accepts {key}",
                d.what,
                s.id.get_ref()
            ),
            format!("add \"{key}\" to the `accepts` list of an exit if they should leave"),
        );
        return;
    }
    let fix = match d.contingent {
        Some(_) => "add the contingent to an exit's `contingents`, or accept \"personnel\" at an \
                    exit without a `contingents` list"
            .to_string(),
        None => format!("add \"{key}\" to the `accepts` list of an exit"),
    };
    sink.error(
        "E1704",
        Some(d.span),
        d.field,
        format!("no exit accepts {} at `{}`", d.what, s.id.get_ref()),
        fix,
    );
}

/// E1701, E1702, E1703 (or W1701): exits accept the demand, but none can be reached.
fn e1701_unreachable(
    net: &Net<'_>,
    i: usize,
    s: &RawSite,
    d: Demand<'_>,
    targets: &[(usize, &RawSite)],
    may_abandon: bool,
    sink: &mut Sink<'_>,
) {
    let c = d.commodity;
    let physical = net.earliest(c, i, true);
    let connected = targets.iter().any(|(j, _)| physical[*j].is_some());
    let why = match (connected, c) {
        (false, Commodity::Vehicles) => "no chain of roads leads there (vehicles do not fly)",
        (false, _) => "no chain of roads or usable flights leads there",
        (true, Commodity::Teu) if net.comp_trucks.is_empty() => {
            "roads lead there, but the scenario has no truck fleet, and no aircraft type with a \
             payload can fly them"
        }
        (true, Commodity::Teu) => {
            "roads lead there, but no truck fleet can drive them (a road needing escort may \
             have no escort fleet), and no aircraft type with a payload can fly them"
        }
        (true, Commodity::Personnel)
            if net.comp_seats.is_empty() && net.comp_vehicles.is_empty() =>
        {
            "roads lead there, but no fleet has seats and no self-propelled vehicle can carry \
             them, and no aircraft type with seats can fly them"
        }
        (true, Commodity::Personnel) => {
            "roads lead there, but no fleet with seats and no self-propelled vehicle can drive \
             them (a road needing escort may have no escort fleet), and no aircraft type with \
             seats can fly them"
        }
        (true, Commodity::Vehicles) => {
            "roads lead there, but a road on the way needs escorts and no escort fleet can \
             reach it"
        }
    };
    let names: Vec<String> = targets
        .iter()
        .map(|(_, t)| t.id.get_ref().clone())
        .collect();
    let cause = format!(
        "{} at `{}` cannot reach an exit that accepts them ({}): {why}",
        d.what,
        s.id.get_ref(),
        shown(&names)
    );
    let fix = "add a road or air route to such an exit and a fleet or aircraft type that can \
               carry them on it, or accept them at an exit they can reach";
    if may_abandon {
        sink.warning(
            "W1701",
            Some(d.span),
            d.field,
            format!("{cause}; they can only be abandoned"),
            fix,
        );
        return;
    }
    let code = match c {
        Commodity::Personnel => "E1701",
        Commodity::Teu => "E1702",
        Commodity::Vehicles => "E1703",
    };
    sink.error(code, Some(d.span), d.field, cause, fix);
}

/// E1705: the nearest accepting exit is reached only after the horizon has ended.
fn e1705_too_late(
    net: &Net<'_>,
    s: &RawSite,
    d: Demand<'_>,
    periods: u32,
    exit: &RawSite,
    sink: &mut Sink<'_>,
) {
    let h = &net.horizon;
    // The site's own stock leaves no earlier than its not_before period.
    let start = s
        .not_before
        .as_ref()
        .and_then(|x| toml_date(x.get_ref()))
        .and_then(|x| h.period_of(x))
        .map_or(0, |p| p.0);
    let arrive = u64::from(start) + u64::from(periods);
    if arrive < u64::from(h.periods) {
        return;
    }
    let days = i64::try_from(arrive * u64::from(h.period_days)).unwrap_or(i64::MAX);
    // Spans and dates have calendar limits; a far-off arrival is just "much later".
    let arrive_day = jiff::Span::new()
        .try_days(days)
        .and_then(|span| h.start.checked_add(span))
        .map_or_else(|_| "much later".to_string(), |x| x.to_string());
    let end = horizon_dates(net.raw).map_or_else(String::new, |(_, e)| e.to_string());
    let leaving = match &s.not_before {
        Some(nb) => format!("leaving on not_before {}", nb.get_ref()),
        None => format!("leaving on {}", h.start),
    };
    sink.error(
        "E1705",
        Some(d.span),
        d.field,
        format!(
            "{} at `{}` cannot reach an exit within the horizon: {leaving}, the fastest route \
             reaches `{}` in the period starting {arrive_day}, after the horizon ends on {end}",
            d.what,
            s.id.get_ref(),
            exit.id.get_ref()
        ),
        "extend horizon.end, move not_before earlier, or add a shorter road or a faster \
         air route",
    );
}

// ---------------------------------------------------------------------------------------
// E18xx: hazards. `[hazards]` is read only by the simulation (`drawdown simulate`). These
// rules are local: they always run, and look only at the hazard tables and the ids they
// name, so a mistake elsewhere in the file is never reported twice.
// ---------------------------------------------------------------------------------------

/// The longest hazard delay, repair, lead time or closure, in days.
const MAX_HAZARD_DAYS: f64 = 366.0;

/// The most vehicles one incident may destroy.
const MAX_DESTROYED: f64 = 1000.0;

/// The `[hazards]` table, if the file has one.
fn hazards_of(raw: &RawScenario) -> Option<&RawHazards> {
    raw.hazards.as_ref().map(|h| h.get_ref())
}

fn hazard_label(kind: &str, id: &str, i: usize) -> String {
    label(&format!("hazards.{kind}"), id, i)
}

fn permissions(h: &RawHazards) -> impl Iterator<Item = (String, &RawPermission)> {
    h.permission.iter().enumerate().map(|(i, e)| {
        let e = e.get_ref();
        (hazard_label("permission", e.id.get_ref(), i), e)
    })
}

fn road_hazards(h: &RawHazards) -> impl Iterator<Item = (String, &RawRoadHazard)> {
    h.road.iter().enumerate().map(|(i, e)| {
        let e = e.get_ref();
        (hazard_label("road", e.id.get_ref(), i), e)
    })
}

fn breakdowns(h: &RawHazards) -> impl Iterator<Item = (String, &RawBreakdown)> {
    h.breakdown.iter().enumerate().map(|(i, e)| {
        let e = e.get_ref();
        (hazard_label("breakdown", e.id.get_ref(), i), e)
    })
}

fn seasons(h: &RawHazards) -> impl Iterator<Item = (String, &RawSeason)> {
    h.season.iter().enumerate().map(|(i, e)| {
        let e = e.get_ref();
        (hazard_label("season", e.id.get_ref(), i), e)
    })
}

fn closures(h: &RawHazards) -> impl Iterator<Item = (String, &RawClosure)> {
    h.closure.iter().enumerate().map(|(i, e)| {
        let e = e.get_ref();
        (hazard_label("closure", e.id.get_ref(), i), e)
    })
}

fn departures(h: &RawHazards) -> impl Iterator<Item = (String, &RawDeparture)> {
    h.departure.iter().enumerate().map(|(i, e)| {
        let e = e.get_ref();
        (hazard_label("departure", e.id.get_ref(), i), e)
    })
}

/// Push `v` with its field path when it is given.
fn push_given<'a, T>(out: &mut Vec<(String, &'a S<T>)>, field: String, v: &'a Option<S<T>>) {
    if let Some(v) = v {
        out.push((field, v));
    }
}

/// Every probability or share of `[hazards]`, with its field path.
fn hazard_shares(h: &RawHazards) -> Vec<(String, &S<f64>)> {
    let mut out = Vec::new();
    push_given(&mut out, "hazards.convoy_grant".into(), &h.convoy_grant);
    push_given(&mut out, "hazards.flight_grant".into(), &h.flight_grant);
    for (l, e) in permissions(h) {
        push_given(&mut out, format!("{l}.convoy_grant"), &e.convoy_grant);
        push_given(&mut out, format!("{l}.flight_grant"), &e.flight_grant);
    }
    for (l, e) in road_hazards(h) {
        out.push((format!("{l}.incident"), &e.incident));
        push_given(&mut out, format!("{l}.injured"), &e.injured);
    }
    for (l, e) in closures(h) {
        push_given(&mut out, format!("{l}.probability"), &e.probability);
    }
    for (l, e) in departures(h) {
        push_given(&mut out, format!("{l}.probability"), &e.probability);
    }
    out
}

/// E1801: every probability and share in `[hazards]` is a number from 0 to 1.
fn e1801_hazard_probabilities(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    for (field, v) in hazard_shares(h) {
        let x = *v.get_ref();
        if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
            let key = field.rsplit('.').next().unwrap_or(&field).to_string();
            sink.error(
                "E1801",
                Some(v.span()),
                field,
                format!("{key} is {x}, but a probability or share runs from 0 to 1"),
                "give a number from 0 to 1, e.g. 0.05 for one in twenty",
            );
        }
    }
}

/// Every spread of `[hazards]`, with its field path and the largest value it may reach.
fn hazard_spreads(h: &RawHazards) -> Vec<(String, &S<RawSpread>, f64)> {
    let mut out = Vec::new();
    for (l, e) in road_hazards(h) {
        if let Some(d) = &e.delay_days {
            out.push((format!("{l}.delay_days"), d, MAX_HAZARD_DAYS));
        }
        if let Some(d) = &e.destroyed {
            out.push((format!("{l}.destroyed"), d, MAX_DESTROYED));
        }
    }
    for (l, e) in breakdowns(h) {
        out.push((format!("{l}.repair_days"), &e.repair_days, MAX_HAZARD_DAYS));
    }
    for (l, e) in closures(h) {
        if let Some(d) = &e.days {
            out.push((format!("{l}.days"), d, MAX_HAZARD_DAYS));
        }
    }
    out
}

/// E1802: a spread has finite values from 0 to its limit, `min <= mode <= max`.
fn e1802_hazard_spreads(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    for (field, v, limit) in hazard_spreads(h) {
        let sp = v.get_ref();
        let (min, max) = (*sp.min.get_ref(), *sp.max.get_ref());
        let mode = sp.mode.as_ref().map(|m| *m.get_ref());
        let values = [Some(min), mode, Some(max)];
        let cause = if values
            .iter()
            .flatten()
            .any(|x| !x.is_finite() || *x < 0.0 || *x > limit)
        {
            format!("every value of the spread must be a number from 0 to {limit}")
        } else if min > max {
            format!("min {min} is larger than max {max}")
        } else if let Some(m) = mode.filter(|m| *m < min || *m > max) {
            format!("mode {m} lies outside min {min} to max {max}")
        } else {
            continue;
        };
        sink.error(
            "E1802",
            Some(v.span()),
            field,
            cause,
            format!(
                "write {{ min = A, max = B }} (uniform) or {{ min = A, mode = M, max = B }} \
                 (triangular) with 0 <= A <= M <= B <= {limit}"
            ),
        );
    }
}

/// What a hazard reference names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HazardTarget {
    Site,
    Road,
    Fleet,
    Aircraft,
}

/// Every id `[hazards]` uses to name another table, with its field path and target.
fn hazard_references(h: &RawHazards) -> Vec<(String, &S<String>, HazardTarget)> {
    let mut out = Vec::new();
    for (l, e) in permissions(h) {
        for x in e.sites.get_ref() {
            out.push((format!("{l}.sites"), x, HazardTarget::Site));
        }
    }
    for (l, e) in road_hazards(h) {
        for x in list(&e.roads) {
            out.push((format!("{l}.roads"), x, HazardTarget::Road));
        }
    }
    for (l, e) in breakdowns(h) {
        for x in list(&e.fleets) {
            out.push((format!("{l}.fleets"), x, HazardTarget::Fleet));
        }
    }
    for (l, e) in seasons(h) {
        for x in list(&e.roads) {
            out.push((format!("{l}.roads"), x, HazardTarget::Road));
        }
    }
    for (l, e) in closures(h) {
        for x in list(&e.roads) {
            out.push((format!("{l}.roads"), x, HazardTarget::Road));
        }
        for x in list(&e.sites) {
            out.push((format!("{l}.sites"), x, HazardTarget::Site));
        }
        for x in list(&e.airfields) {
            out.push((format!("{l}.airfields"), x, HazardTarget::Site));
        }
    }
    for (l, e) in departures(h) {
        if let Some(x) = &e.fleet {
            out.push((format!("{l}.fleet"), x, HazardTarget::Fleet));
        }
        if let Some(x) = &e.aircraft {
            out.push((format!("{l}.aircraft"), x, HazardTarget::Aircraft));
        }
    }
    out
}

/// E1803: every site, road, fleet and aircraft id named in `[hazards]` is defined.
fn e1803_hazard_unknown_ids(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    let defined = |t: HazardTarget| -> Vec<String> {
        match t {
            HazardTarget::Site => sites(raw).map(|(_, s)| s.id.get_ref().clone()).collect(),
            HazardTarget::Road => roads(raw).map(|(_, r)| lower::road_id(r)).collect(),
            HazardTarget::Fleet => fleets(raw).map(|(_, f)| f.id.get_ref().clone()).collect(),
            HazardTarget::Aircraft => aircraft(raw).map(|(_, a)| a.id.get_ref().clone()).collect(),
        }
    };
    for (field, id, t) in hazard_references(h) {
        let ids = defined(t);
        if ids.iter().any(|d| d == id.get_ref()) {
            continue;
        }
        let table = match t {
            HazardTarget::Site => "site",
            HazardTarget::Road => "road",
            HazardTarget::Fleet => "fleet",
            HazardTarget::Aircraft => "aircraft",
        };
        let hint = reversed_road(id.get_ref(), &ids).or_else(|| closest(id.get_ref(), &ids));
        let fix = match hint {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("name a defined {table}: {}", shown(&ids)),
        };
        sink.error(
            "E1803",
            Some(id.span()),
            field,
            format!("unknown {table} id `{}` in [hazards]", id.get_ref()),
            fix,
        );
    }
}

/// Every date of `[hazards]`, with its field path.
fn hazard_dates(h: &RawHazards) -> Vec<(String, &S<Datetime>)> {
    let mut out = Vec::new();
    for (l, e) in seasons(h) {
        out.push((format!("{l}.from"), &e.from));
        out.push((format!("{l}.until"), &e.until));
    }
    for (l, e) in closures(h) {
        out.push((format!("{l}.from"), &e.from));
        push_given(&mut out, format!("{l}.start_by"), &e.start_by);
        push_given(&mut out, format!("{l}.until"), &e.until);
    }
    for (l, e) in departures(h) {
        out.push((format!("{l}.from"), &e.from));
        out.push((format!("{l}.until"), &e.until));
    }
    out
}

/// E1804: every date of `[hazards]` is a plain date inside the horizon.
fn e1804_hazard_dates(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    let horizon = horizon_dates(raw).filter(|(s, e)| s <= e);
    for (field, v) in hazard_dates(h) {
        let cause = match (toml_date(v.get_ref()), horizon) {
            (None, _) => format!("`{}` is not a plain date", v.get_ref()),
            (Some(d), Some((start, end))) if d < start || d > end => {
                format!("{d} is outside the horizon {start} to {end}")
            }
            _ => continue,
        };
        sink.error(
            "E1804",
            Some(v.span()),
            field,
            cause,
            "write a day inside [horizon], alone and unquoted, like 2023-09-01",
        );
    }
}

/// Every `from` and later date of `[hazards]` that must not come before it.
fn hazard_windows(h: &RawHazards) -> Vec<(String, &S<Datetime>, &'static str, &S<Datetime>)> {
    let mut out = Vec::new();
    for (l, e) in seasons(h) {
        out.push((l, &e.from, "until", &e.until));
    }
    for (l, e) in closures(h) {
        if let Some(u) = &e.until {
            out.push((l.clone(), &e.from, "until", u));
        }
        if let Some(s) = &e.start_by {
            out.push((l, &e.from, "start_by", s));
        }
    }
    for (l, e) in departures(h) {
        out.push((l, &e.from, "until", &e.until));
    }
    out
}

/// E1805: no hazard window ends (or a closure's latest start comes) before it starts.
fn e1805_hazard_windows(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    for (table, from, key, later) in hazard_windows(h) {
        let (Some(a), Some(b)) = (toml_date(from.get_ref()), toml_date(later.get_ref())) else {
            continue;
        };
        if b < a {
            sink.error(
                "E1805",
                Some(later.span()),
                format!("{table}.{key}"),
                format!("{key} {b} comes before from {a}"),
                format!("set {key} to {a} or later, or swap the dates"),
            );
        }
    }
}

/// E1806: a `[[hazards.road]]` names its roads by `roads` or by `levels` (0 to 3), not both.
fn e1806_hazard_road_selector(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    for (l, e) in road_hazards(h) {
        let by_id = e.roads.as_ref().is_some_and(|r| !r.get_ref().is_empty());
        let by_level = e.levels.as_ref().is_some_and(|r| !r.get_ref().is_empty());
        if by_id == by_level {
            sink.error(
                "E1806",
                Some(e.id.span()),
                l.clone(),
                if by_id {
                    "the entry names both roads and levels, so which roads it covers is unclear"
                } else {
                    "the entry names no road and no hazard level, so it covers nothing"
                },
                "give either roads = [\"kidal-gao\", ...] or levels = [3]",
            );
        }
        for lv in e.levels.iter().flat_map(|v| v.get_ref()) {
            if !(0..=3).contains(lv.get_ref()) {
                sink.error(
                    "E1806",
                    Some(lv.span()),
                    format!("{l}.levels"),
                    format!("level {} is not a hazard level (0 to 3)", lv.get_ref()),
                    "give road hazard levels 0, 1, 2 or 3",
                );
            }
        }
    }
}

/// E1807: no two hazard entries of a kind share an id or cover the same road, level, site,
/// fleet or aircraft type (which one would apply would be unclear).
fn e1807_hazard_overlaps(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    let mut report = |kind: &str, what: String, span: Range<usize>, field: String| {
        sink.error(
            "E1807",
            Some(span),
            field,
            format!("{what} appears in two [[hazards.{kind}]] entries"),
            "keep it in one entry: which of the two applies would be unclear",
        );
    };
    // Ids, per kind.
    let ids: [(&str, Vec<&S<String>>); 6] = [
        (
            "permission",
            h.permission.iter().map(|e| &e.get_ref().id).collect(),
        ),
        ("road", h.road.iter().map(|e| &e.get_ref().id).collect()),
        (
            "breakdown",
            h.breakdown.iter().map(|e| &e.get_ref().id).collect(),
        ),
        ("season", h.season.iter().map(|e| &e.get_ref().id).collect()),
        (
            "closure",
            h.closure.iter().map(|e| &e.get_ref().id).collect(),
        ),
        (
            "departure",
            h.departure.iter().map(|e| &e.get_ref().id).collect(),
        ),
    ];
    for (kind, list) in ids {
        let mut seen = HashSet::new();
        for id in list {
            if !id.get_ref().is_empty() && !seen.insert(id.get_ref().as_str()) {
                report(
                    kind,
                    format!("id `{}`", id.get_ref()),
                    id.span(),
                    hazard_label(kind, id.get_ref(), 0) + ".id",
                );
            }
        }
    }
    let mut once =
        |kind: &str, seen: &mut HashSet<String>, key: String, what: String, span, field| {
            if !seen.insert(key) {
                report(kind, what, span, field);
            }
        };
    let mut seen = HashSet::new();
    for (l, e) in permissions(h) {
        for s in e.sites.get_ref() {
            once(
                "permission",
                &mut seen,
                s.get_ref().clone(),
                format!("site `{}`", s.get_ref()),
                s.span(),
                format!("{l}.sites"),
            );
        }
    }
    let mut seen = HashSet::new();
    for (l, e) in road_hazards(h) {
        for r in list(&e.roads) {
            once(
                "road",
                &mut seen,
                format!("road {}", r.get_ref()),
                format!("road `{}`", r.get_ref()),
                r.span(),
                format!("{l}.roads"),
            );
        }
        for lv in e.levels.iter().flat_map(|v| v.get_ref()) {
            once(
                "road",
                &mut seen,
                format!("level {}", lv.get_ref()),
                format!("hazard level {}", lv.get_ref()),
                lv.span(),
                format!("{l}.levels"),
            );
        }
    }
    let mut seen = HashSet::new();
    for (l, e) in breakdowns(h) {
        match &e.fleets {
            None => once(
                "breakdown",
                &mut seen,
                "*".to_string(),
                "every fleet (an entry without `fleets`)".to_string(),
                e.id.span(),
                l,
            ),
            Some(fl) => {
                for f in fl.get_ref() {
                    once(
                        "breakdown",
                        &mut seen,
                        f.get_ref().clone(),
                        format!("fleet `{}`", f.get_ref()),
                        f.span(),
                        format!("{l}.fleets"),
                    );
                }
            }
        }
    }
    let mut seen = HashSet::new();
    for (l, e) in departures(h) {
        for (key, v) in [("fleet", &e.fleet), ("aircraft", &e.aircraft)] {
            if let Some(v) = v {
                once(
                    "departure",
                    &mut seen,
                    format!("{key} {}", v.get_ref()),
                    format!("{key} `{}`", v.get_ref()),
                    v.span(),
                    format!("{l}.{key}"),
                );
            }
        }
    }
}

/// E1808: a closure gives its length once: `until` (a known window) or `days` (a spread).
fn e1808_hazard_closure_length(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    for (l, e) in closures(h) {
        if e.until.is_some() == e.days.is_some() {
            sink.error(
                "E1808",
                Some(e.id.span()),
                l,
                if e.until.is_some() {
                    "the closure gives both until and days, so its length is unclear"
                } else {
                    "the closure gives neither until nor days, so its length is unknown"
                },
                "give until = DATE for a known window, or days = { min = A, max = B }",
            );
        }
    }
}

/// E1809: every hazard entry names what it acts on: a closure some road, site or airfield
/// (airfields with an airfield), a departure one fleet or one aircraft type, and no list
/// is empty.
fn e1809_hazard_targets(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    let mut problems: Vec<(Range<usize>, String, String)> = Vec::new();
    for (l, e) in permissions(h) {
        if e.sites.get_ref().is_empty() {
            problems.push((e.sites.span(), format!("{l}.sites"), "names no site".into()));
        }
    }
    for (l, e) in breakdowns(h) {
        if let Some(f) = e.fleets.as_ref().filter(|f| f.get_ref().is_empty()) {
            problems.push((f.span(), format!("{l}.fleets"), "names no fleet".into()));
        }
    }
    for (l, e) in seasons(h) {
        if let Some(r) = e.roads.as_ref().filter(|r| r.get_ref().is_empty()) {
            problems.push((r.span(), format!("{l}.roads"), "names no road".into()));
        }
    }
    for (l, e) in closures(h) {
        if list(&e.roads).is_empty() && list(&e.sites).is_empty() && list(&e.airfields).is_empty() {
            problems.push((
                e.id.span(),
                l.clone(),
                "names no road, site or airfield".into(),
            ));
        }
        for a in list(&e.airfields) {
            if let Some(s) = site_by_id(raw, a.get_ref())
                && s.airfield.is_none()
            {
                problems.push((
                    a.span(),
                    format!("{l}.airfields"),
                    format!("names site `{}`, which has no airfield", a.get_ref()),
                ));
            }
        }
    }
    for (l, e) in departures(h) {
        if e.fleet.is_some() == e.aircraft.is_some() {
            problems.push((
                e.id.span(),
                l,
                "must name exactly one fleet or one aircraft type".into(),
            ));
        }
    }
    for (span, field, what) in problems {
        sink.error(
            "E1809",
            Some(span),
            field,
            format!("the hazard entry {what}"),
            "name what it acts on: closures roads, sites or airfields (with an airfield), \
             departures fleet = \"...\" or aircraft = \"...\"",
        );
    }
}

/// E1810: lead times are 1 to 366 days, breakdown rates 0 to 1,000 per 1,000 km, and
/// seasonal speeds above 0 and at most 1.
fn e1810_hazard_numbers(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    let mut leads = Vec::new();
    push_given(
        &mut leads,
        "hazards.convoy_lead_days".into(),
        &h.convoy_lead_days,
    );
    push_given(
        &mut leads,
        "hazards.flight_lead_days".into(),
        &h.flight_lead_days,
    );
    for (l, e) in permissions(h) {
        push_given(
            &mut leads,
            format!("{l}.convoy_lead_days"),
            &e.convoy_lead_days,
        );
        push_given(
            &mut leads,
            format!("{l}.flight_lead_days"),
            &e.flight_lead_days,
        );
    }
    for (field, v) in leads {
        if !(1..=MAX_HAZARD_DAYS as i64).contains(v.get_ref()) {
            sink.error(
                "E1810",
                Some(v.span()),
                field,
                format!("lead time {} is not 1 to 366 days", v.get_ref()),
                "give the days between a refusal and the next answer, at least 1",
            );
        }
    }
    for (l, e) in breakdowns(h) {
        let x = *e.per_1000_km.get_ref();
        if !(x.is_finite() && (0.0..=1000.0).contains(&x)) {
            sink.error(
                "E1810",
                Some(e.per_1000_km.span()),
                format!("{l}.per_1000_km"),
                format!("per_1000_km is {x}, not a rate from 0 to 1000"),
                "give breakdowns per unit and 1,000 km driven, e.g. 0.5",
            );
        }
    }
    for (l, e) in seasons(h) {
        let x = *e.speed.get_ref();
        if !(x.is_finite() && x > 0.0 && x <= 1.0) {
            sink.error(
                "E1810",
                Some(e.speed.span()),
                format!("{l}.speed"),
                format!("speed is {x}, but a season's speed is a share above 0 and at most 1"),
                "give the share of the usual speed, e.g. 0.7 for 30% slower",
            );
        }
    }
}

/// E1811: hazard ids are non-empty and free of whitespace, commas and brackets.
fn e1811_hazard_ids(raw: &RawScenario, sink: &mut Sink<'_>) {
    let Some(h) = hazards_of(raw) else { return };
    let ids = permissions(h)
        .map(|(l, e)| (l, &e.id))
        .chain(road_hazards(h).map(|(l, e)| (l, &e.id)))
        .chain(breakdowns(h).map(|(l, e)| (l, &e.id)))
        .chain(seasons(h).map(|(l, e)| (l, &e.id)))
        .chain(closures(h).map(|(l, e)| (l, &e.id)))
        .chain(departures(h).map(|(l, e)| (l, &e.id)));
    for (l, id) in ids {
        let s = id.get_ref();
        let bad = s.is_empty()
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '[' | ']' | ','));
        if bad {
            sink.error(
                "E1811",
                Some(id.span()),
                format!("{l}.id"),
                format!("hazard id `{s}` is empty or contains spaces, commas or brackets"),
                "use letters, digits, `-`, `_` and `.` only, e.g. \"north-ied\"",
            );
        }
    }
}
