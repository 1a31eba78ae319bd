//! Plan files: `plan.json` (the exchange format the checker reads) and the spreadsheet
//! views `convoys.csv`, `flights.csv` and `sites.csv`.
//!
//! Output is deterministic: maps are ordered, movements keep the plan's order, and floats
//! are rounded to fixed decimals so that the same plan gives the same bytes.

use model::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Format tag written into every plan file.
pub const FORMAT: &str = "drawdown-plan/1";

/// `plan.json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Scenario name the plan was made for.
    pub scenario: String,
    /// Horizon start date.
    pub start: String,
    /// Period length in days.
    pub period_days: u32,
    /// Optional facts about how the plan was made (planner, bound, gap).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub meta: BTreeMap<String, serde_json::Value>,
    /// Convoy legs.
    pub convoys: Vec<ConvoyRow>,
    /// Flights.
    pub flights: Vec<FlightRow>,
    /// Stock left behind.
    #[serde(default)]
    pub abandoned: Vec<AbandonRow>,
    /// Claimed per-site closures.
    pub sites: Vec<SiteRow>,
    /// Claimed totals.
    pub totals: TotalsRow,
}

/// One convoy leg.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConvoyRow {
    /// Convoy id.
    pub id: String,
    /// Road id.
    pub road: String,
    /// Departure site id.
    pub from: String,
    /// Arrival site id.
    pub to: String,
    /// Departure date (first day of the period).
    pub depart: String,
    /// Arrival date (first day of the period).
    pub arrive: String,
    /// Fleet units by fleet id.
    pub units: BTreeMap<String, u32>,
    /// Personnel by contingent id.
    #[serde(default)]
    pub personnel: BTreeMap<String, u32>,
    /// Containers.
    #[serde(default)]
    pub teu: u32,
    /// Self-propelled stock vehicles.
    #[serde(default)]
    pub vehicles: u32,
}

/// One flight record (identical sorties).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlightRow {
    /// Flight id.
    pub id: String,
    /// Aircraft type id.
    pub aircraft: String,
    /// Number of sorties.
    pub sorties: u32,
    /// Departure airfield (site id).
    pub from: String,
    /// Arrival airfield (site id).
    pub to: String,
    /// Departure date.
    pub depart: String,
    /// Arrival date.
    pub arrive: String,
    /// Personnel by contingent id.
    #[serde(default)]
    pub personnel: BTreeMap<String, u32>,
    /// Containers.
    #[serde(default)]
    pub teu: u32,
}

/// Stock left behind.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbandonRow {
    /// Site id.
    pub site: String,
    /// Date.
    pub date: String,
    /// Containers.
    #[serde(default)]
    pub teu: u32,
    /// Vehicles.
    #[serde(default)]
    pub vehicles: u32,
}

/// Claimed outcome for one site.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRow {
    /// Site id.
    pub site: String,
    /// Deadline, if any (informational).
    #[serde(default)]
    pub close_by: Option<String>,
    /// Last day stock departs; `null` for sites that never hold stock.
    pub closure: Option<String>,
    /// Days past the deadline (informational).
    #[serde(default)]
    pub late_days: u32,
}

/// Claimed totals.
#[derive(Debug, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TotalsRow {
    /// Convoy legs.
    pub convoys: u32,
    /// Sorties.
    pub sorties: u32,
    /// Fleet unit-km.
    pub unit_km: f64,
    /// Flight hours.
    pub flight_hours: f64,
    /// Hazard-weighted vehicle-km.
    pub exposure: f64,
    /// Cost.
    pub cost: f64,
    /// Late site-days.
    pub late_days: u32,
    /// Makespan in days.
    pub makespan_days: u32,
    /// Abandonment penalty.
    pub abandon_penalty: f64,
    /// Objective.
    pub objective: f64,
}

/// Round to `d` decimals so that written figures are stable across platforms.
pub fn round(x: f64, d: i32) -> f64 {
    let m = 10f64.powi(d);
    (x * m).round() / m
}

fn personnel_map(s: &Scenario, load: &Load) -> BTreeMap<String, u32> {
    load.personnel
        .iter()
        .filter(|&&(_, n)| n > 0)
        .map(|&(c, n)| (s.contingents[c.idx()].id.clone(), n))
        .collect()
}

/// The model form of a plan file (ids to indices, dates to periods), or the first id or
/// date that does not resolve. Its totals and site outcomes are left empty: they are the
/// planner's to compute (`planner::summarize`), and the checker recomputes its own.
pub fn to_plan(s: &Scenario, f: &PlanFile) -> Result<Plan, String> {
    let period = |d: &str| -> Result<Period, String> {
        let date: jiff::civil::Date = d.parse().map_err(|_| format!("bad date {d}"))?;
        s.horizon
            .period_of(date)
            .ok_or_else(|| format!("{d} is outside the horizon"))
    };
    let site = |id: &str| s.site_by_id(id).ok_or_else(|| format!("unknown site {id}"));
    let load = |p: &std::collections::BTreeMap<String, u32>, teu: u32, vehicles: u32| {
        let personnel = p
            .iter()
            .map(|(c, &n)| {
                s.contingent_by_id(c)
                    .map(|c| (c, n))
                    .ok_or_else(|| format!("unknown contingent {c}"))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok::<_, String>(Load {
            personnel,
            teu,
            vehicles,
        })
    };
    let mut plan = Plan::default();
    for c in &f.convoys {
        plan.convoys.push(Convoy {
            id: c.id.clone(),
            road: s
                .road_by_id(&c.road)
                .ok_or_else(|| format!("unknown road {}", c.road))?,
            from: site(&c.from)?,
            to: site(&c.to)?,
            depart: period(&c.depart)?,
            arrive: period(&c.arrive)?,
            units: c
                .units
                .iter()
                .map(|(fl, &n)| {
                    s.fleet_by_id(fl)
                        .map(|f| (f, n))
                        .ok_or_else(|| format!("unknown fleet {fl}"))
                })
                .collect::<Result<_, _>>()?,
            load: load(&c.personnel, c.teu, c.vehicles)?,
        });
    }
    for fl in &f.flights {
        plan.flights.push(Flight {
            id: fl.id.clone(),
            aircraft: s
                .aircraft_by_id(&fl.aircraft)
                .ok_or_else(|| format!("unknown aircraft {}", fl.aircraft))?,
            sorties: fl.sorties,
            from: site(&fl.from)?,
            to: site(&fl.to)?,
            depart: period(&fl.depart)?,
            arrive: period(&fl.arrive)?,
            load: load(&fl.personnel, fl.teu, 0)?,
        });
    }
    for ab in &f.abandoned {
        plan.abandoned.push(Abandonment {
            site: site(&ab.site)?,
            period: period(&ab.date)?,
            teu: ab.teu,
            vehicles: ab.vehicles,
        });
    }
    Ok(plan)
}

/// The file form of `plan`.
pub fn to_file(s: &Scenario, plan: &Plan, meta: BTreeMap<String, serde_json::Value>) -> PlanFile {
    let h = &s.horizon;
    let date = |p: Period| h.date(p).to_string();
    PlanFile {
        format: FORMAT.to_string(),
        scenario: s.name.clone(),
        start: h.start.to_string(),
        period_days: h.period_days,
        meta,
        convoys: plan
            .convoys
            .iter()
            .map(|c| ConvoyRow {
                id: c.id.clone(),
                road: s.roads[c.road.idx()].id.clone(),
                from: s.site(c.from).id.clone(),
                to: s.site(c.to).id.clone(),
                depart: date(c.depart),
                arrive: date(c.arrive),
                units: c
                    .units
                    .iter()
                    .map(|&(f, n)| (s.fleets[f.idx()].id.clone(), n))
                    .collect(),
                personnel: personnel_map(s, &c.load),
                teu: c.load.teu,
                vehicles: c.load.vehicles,
            })
            .collect(),
        flights: plan
            .flights
            .iter()
            .map(|f| FlightRow {
                id: f.id.clone(),
                aircraft: s.aircraft[f.aircraft.idx()].id.clone(),
                sorties: f.sorties,
                from: s.site(f.from).id.clone(),
                to: s.site(f.to).id.clone(),
                depart: date(f.depart),
                arrive: date(f.arrive),
                personnel: personnel_map(s, &f.load),
                teu: f.load.teu,
            })
            .collect(),
        abandoned: plan
            .abandoned
            .iter()
            .map(|a| AbandonRow {
                site: s.site(a.site).id.clone(),
                date: date(a.period),
                teu: a.teu,
                vehicles: a.vehicles,
            })
            .collect(),
        sites: plan
            .sites
            .iter()
            .map(|o| {
                let site = s.site(o.site);
                SiteRow {
                    site: site.id.clone(),
                    close_by: site.close_by.map(date),
                    closure: o.closure.map(date),
                    late_days: late_days(s, o),
                }
            })
            .collect(),
        totals: TotalsRow {
            convoys: plan.totals.convoys,
            sorties: plan.totals.sorties,
            unit_km: round(plan.totals.unit_km, 1),
            flight_hours: round(plan.totals.flight_hours, 2),
            exposure: round(plan.totals.exposure, 1),
            cost: round(plan.totals.cost, 2),
            late_days: plan.totals.late_days,
            makespan_days: plan.totals.makespan_days,
            abandon_penalty: round(plan.totals.abandon_penalty, 2),
            objective: round(plan.totals.objective, 3),
        },
    }
}

/// Days by which a claimed closure misses the site's deadline.
pub fn late_days(s: &Scenario, o: &SiteOutcome) -> u32 {
    match (o.closure, s.site(o.site).close_by) {
        (Some(c), Some(d)) if c > d => (c.0 - d.0) * s.horizon.period_days,
        _ => 0,
    }
}

/// Errors writing plan files.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Filesystem trouble.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// CSV trouble.
    #[error("cannot write {path}: {source}")]
    Csv {
        /// The file.
        path: String,
        /// Why.
        source: csv::Error,
    },
}

/// `plan.json` text, pretty-printed, with a final newline.
pub fn to_json(file: &PlanFile) -> String {
    let mut s = serde_json::to_string_pretty(file).expect("plan files always serialize");
    s.push('\n');
    s
}

/// Write `bytes` to `path` atomically (temporary file, then rename), so that a reader
/// never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    };
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

fn csv_bytes(
    path: &Path,
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, WriteError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |source| WriteError::Csv {
        path: path.display().to_string(),
        source,
    };
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    Ok(w.into_inner().expect("a Vec never fails to flush"))
}

/// Write `plan.json`, `convoys.csv`, `flights.csv` and `sites.csv` into `dir`.
pub fn write_dir(dir: &Path, s: &Scenario, file: &PlanFile) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir).map_err(|source| WriteError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    write_atomic(&dir.join("plan.json"), to_json(file).as_bytes())?;
    let contingents: Vec<&str> = s.contingents.iter().map(|c| c.id.as_str()).collect();
    let fleets: Vec<&str> = s.fleets.iter().map(|f| f.id.as_str()).collect();

    let mut head: Vec<String> = [
        "id",
        "road",
        "from",
        "to",
        "depart",
        "arrive",
        "days",
        "teu",
        "vehicles",
        "personnel",
    ]
    .map(String::from)
    .to_vec();
    head.extend(contingents.iter().map(|c| format!("personnel:{c}")));
    head.extend(fleets.iter().map(|f| format!("units:{f}")));
    // Rows are made one at a time as they are written: a convoy's row has a cell per
    // contingent and fleet, and all rows at once took 0.8 GB on the generated 1,000-site
    // scenario (103,459 convoys, 158 columns) for a file of 37 MB (`drawdown plan` peaked
    // at 1.53 GB, now 0.70 GB).
    let rows = file.convoys.iter().map(|c| {
        let mut r = vec![
            c.id.clone(),
            c.road.clone(),
            c.from.clone(),
            c.to.clone(),
            c.depart.clone(),
            c.arrive.clone(),
            days_between(&c.depart, &c.arrive),
            c.teu.to_string(),
            c.vehicles.to_string(),
            c.personnel.values().sum::<u32>().to_string(),
        ];
        r.extend(
            contingents
                .iter()
                .map(|k| c.personnel.get(*k).copied().unwrap_or(0).to_string()),
        );
        r.extend(
            fleets
                .iter()
                .map(|f| c.units.get(*f).copied().unwrap_or(0).to_string()),
        );
        r
    });
    let p = dir.join("convoys.csv");
    write_atomic(&p, &csv_bytes(&p, std::iter::once(head).chain(rows))?)?;

    let mut head: Vec<String> = [
        "id",
        "aircraft",
        "sorties",
        "from",
        "to",
        "depart",
        "arrive",
        "teu",
        "personnel",
    ]
    .map(String::from)
    .to_vec();
    head.extend(contingents.iter().map(|c| format!("personnel:{c}")));
    let rows = file.flights.iter().map(|f| {
        let mut r = vec![
            f.id.clone(),
            f.aircraft.clone(),
            f.sorties.to_string(),
            f.from.clone(),
            f.to.clone(),
            f.depart.clone(),
            f.arrive.clone(),
            f.teu.to_string(),
            f.personnel.values().sum::<u32>().to_string(),
        ];
        r.extend(
            contingents
                .iter()
                .map(|k| f.personnel.get(*k).copied().unwrap_or(0).to_string()),
        );
        r
    });
    let p = dir.join("flights.csv");
    write_atomic(&p, &csv_bytes(&p, std::iter::once(head).chain(rows))?)?;

    let mut rows = vec![
        [
            "site",
            "name",
            "kind",
            "personnel",
            "teu",
            "vehicles",
            "close_by",
            "closure",
            "slack_days",
            "late_days",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for row in &file.sites {
        let site = s.site(
            s.site_by_id(&row.site)
                .expect("plan sites come from the scenario"),
        );
        let slack = match (&row.close_by, &row.closure) {
            (Some(d), Some(c)) => days_between(c, d),
            _ => String::new(),
        };
        rows.push(vec![
            row.site.clone(),
            site.name.clone(),
            format!("{:?}", site.kind).to_lowercase(),
            site.initial.people().to_string(),
            site.initial.teu.to_string(),
            site.initial.vehicles.to_string(),
            row.close_by.clone().unwrap_or_default(),
            row.closure.clone().unwrap_or_default(),
            slack,
            row.late_days.to_string(),
        ]);
    }
    let p = dir.join("sites.csv");
    write_atomic(&p, &csv_bytes(&p, rows)?)
}

/// Signed days from date `a` to date `b` as text ("" if either does not parse).
fn days_between(a: &str, b: &str) -> String {
    match (
        a.parse::<jiff::civil::Date>(),
        b.parse::<jiff::civil::Date>(),
    ) {
        (Ok(a), Ok(b)) => a
            .until(b)
            .map_or(String::new(), |s| s.get_days().to_string()),
        _ => String::new(),
    }
}
