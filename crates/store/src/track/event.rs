//! The event kinds and their fields, and the syntactic reading of one event.
//!
//! Every source of events (command-line flags, CSV rows, JSON lines, the database itself)
//! first produces a [`RawEvent`]: every field as text, nothing checked. [`parse`] turns it
//! into an [`Event`], reporting every missing, misplaced or malformed field at once. Ids
//! stay textual here; whether they name anything in the scenario is the replay's business
//! (`replay.rs`), so that an event can be read without a scenario.

use super::problem::{Loc, Problem};
use jiff::civil::Date;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// What kind of fact an event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A convoy left a site on one road leg.
    ConvoyDeparted,
    /// A convoy under way reached the end of its leg.
    ConvoyArrived,
    /// Sorties of one aircraft type flew from one airfield to another.
    FlightFlown,
    /// Containers or vehicles were left behind at a site.
    StockAbandoned,
    /// Containers or vehicles were handed over to the host state at a site.
    StockHandedOver,
    /// A site was declared closed (it must hold nothing).
    SiteClosed,
    /// A road was closed, a permission refused, or an incident happened.
    Hazard,
}

impl Kind {
    /// Every kind, in documentation order.
    pub const ALL: [Kind; 7] = [
        Kind::ConvoyDeparted,
        Kind::ConvoyArrived,
        Kind::FlightFlown,
        Kind::StockAbandoned,
        Kind::StockHandedOver,
        Kind::SiteClosed,
        Kind::Hazard,
    ];

    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::ConvoyDeparted => "convoy-departed",
            Kind::ConvoyArrived => "convoy-arrived",
            Kind::FlightFlown => "flight-flown",
            Kind::StockAbandoned => "stock-abandoned",
            Kind::StockHandedOver => "stock-handed-over",
            Kind::SiteClosed => "site-closed",
            Kind::Hazard => "hazard",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Fields the kind needs, and fields it may have, besides `kind`.
    fn fields(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Kind::ConvoyDeparted => (
                &["date", "convoy", "from", "to"],
                &["road", "units", "personnel", "teu", "vehicles", "note"],
            ),
            Kind::ConvoyArrived => (&["date", "convoy"], &["note"]),
            Kind::FlightFlown => (
                &["date", "aircraft", "from", "to"],
                &["flight", "sorties", "personnel", "teu", "note"],
            ),
            Kind::StockAbandoned | Kind::StockHandedOver => {
                (&["date", "site"], &["teu", "vehicles", "note"])
            }
            Kind::SiteClosed => (&["date", "site"], &["note"]),
            Kind::Hazard => (&["date", "hazard"], &["road", "site", "until", "note"]),
        }
    }
}

/// What a hazard event reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HazardKind {
    /// A road cannot be used (flooding, attack, mines).
    RoadClosed,
    /// The host state refused a movement permission for a site (or a road).
    PermissionRefused,
    /// Something happened that does not by itself block anything.
    Incident,
}

impl HazardKind {
    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            HazardKind::RoadClosed => "road-closed",
            HazardKind::PermissionRefused => "permission-refused",
            HazardKind::Incident => "incident",
        }
    }

    fn parse(name: &str) -> Option<HazardKind> {
        [
            HazardKind::RoadClosed,
            HazardKind::PermissionRefused,
            HazardKind::Incident,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// Stock carried by a movement: personnel by contingent id, containers, vehicles.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Cargo {
    /// Personnel by contingent id (no zero entries).
    pub personnel: BTreeMap<String, u32>,
    /// Containers (TEU).
    pub teu: u32,
    /// Self-propelled stock vehicles.
    pub vehicles: u32,
}

impl Cargo {
    /// Total personnel.
    pub fn people(&self) -> u32 {
        self.personnel.values().sum()
    }

    /// Whether nothing is carried.
    pub fn is_empty(&self) -> bool {
        self.teu == 0 && self.vehicles == 0 && self.people() == 0
    }
}

/// Why stock was left at a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Left {
    /// Destroyed or simply left.
    Abandoned,
    /// Handed over to the host state.
    HandedOver,
}

/// The kind-specific content of an event. Ids are the scenario's textual ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    /// A convoy left `from` for `to` on `road` with these fleet units and this cargo.
    ConvoyDeparted {
        /// The convoy's reference, chosen by movement control; it links the arrival.
        convoy: String,
        /// The road id; `None` until the replay fills in the road joining the two sites.
        road: Option<String>,
        /// Departure site.
        from: String,
        /// Destination site.
        to: String,
        /// Fleet units by fleet id (trucks, carriers, escorts).
        units: BTreeMap<String, u32>,
        /// What it carries.
        cargo: Cargo,
    },
    /// The convoy `convoy`, under way, reached its destination.
    ConvoyArrived {
        /// The convoy's reference.
        convoy: String,
    },
    /// `sorties` sorties of `aircraft` flew from `from` to `to`.
    FlightFlown {
        /// Flight number, if movement control gave one.
        flight: Option<String>,
        /// Aircraft type id.
        aircraft: String,
        /// Sorties flown.
        sorties: u32,
        /// Departure airfield (site id).
        from: String,
        /// Arrival airfield (site id).
        to: String,
        /// What all the sorties carried (no vehicles).
        cargo: Cargo,
    },
    /// Containers and vehicles left at `site`.
    StockLeft {
        /// Abandoned or handed over.
        how: Left,
        /// Site id.
        site: String,
        /// Containers.
        teu: u32,
        /// Vehicles.
        vehicles: u32,
    },
    /// `site` was declared closed.
    SiteClosed {
        /// Site id.
        site: String,
    },
    /// A hazard from the event's date until `until` (inclusive; the date itself when
    /// absent).
    Hazard {
        /// What happened.
        hazard: HazardKind,
        /// The road concerned, if any.
        road: Option<String>,
        /// The site concerned, if any.
        site: Option<String>,
        /// Last day the hazard applies.
        until: Option<Date>,
    },
}

/// One recorded fact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The day it happened.
    pub date: Date,
    /// What happened.
    pub what: What,
    /// Free text from movement control.
    pub note: Option<String>,
}

impl Event {
    /// The event's kind.
    pub fn kind(&self) -> Kind {
        match &self.what {
            What::ConvoyDeparted { .. } => Kind::ConvoyDeparted,
            What::ConvoyArrived { .. } => Kind::ConvoyArrived,
            What::FlightFlown { .. } => Kind::FlightFlown,
            What::StockLeft {
                how: Left::Abandoned,
                ..
            } => Kind::StockAbandoned,
            What::StockLeft {
                how: Left::HandedOver,
                ..
            } => Kind::StockHandedOver,
            What::SiteClosed { .. } => Kind::SiteClosed,
            What::Hazard { .. } => Kind::Hazard,
        }
    }

    /// The movement reference (convoy or flight), if the event has one.
    pub fn reference(&self) -> Option<&str> {
        match &self.what {
            What::ConvoyDeparted { convoy, .. } | What::ConvoyArrived { convoy } => Some(convoy),
            What::FlightFlown { flight, .. } => flight.as_deref(),
            _ => None,
        }
    }

    /// Site ids the event names (for attributing problems).
    pub fn sites(&self) -> Vec<&str> {
        match &self.what {
            What::ConvoyDeparted { from, to, .. } | What::FlightFlown { from, to, .. } => {
                vec![from, to]
            }
            What::StockLeft { site, .. } | What::SiteClosed { site } => vec![site],
            What::Hazard { site, .. } => site.iter().map(String::as_str).collect(),
            What::ConvoyArrived { .. } => Vec::new(),
        }
    }

    /// The event as its flat JSON object: the form of JSON-lines files and of the
    /// database. Absent and zero fields are left out.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), json!(self.kind().name()));
        m.insert("date".into(), json!(self.date.to_string()));
        let mut put = |k: &str, v: Value| {
            m.insert(k.to_string(), v);
        };
        let cargo = |put: &mut dyn FnMut(&str, Value), c: &Cargo| {
            if !c.personnel.is_empty() {
                put("personnel", json!(c.personnel));
            }
            if c.teu > 0 {
                put("teu", json!(c.teu));
            }
            if c.vehicles > 0 {
                put("vehicles", json!(c.vehicles));
            }
        };
        match &self.what {
            What::ConvoyDeparted {
                convoy,
                road,
                from,
                to,
                units,
                cargo: c,
            } => {
                put("convoy", json!(convoy));
                if let Some(r) = road {
                    put("road", json!(r));
                }
                put("from", json!(from));
                put("to", json!(to));
                if !units.is_empty() {
                    put("units", json!(units));
                }
                cargo(&mut put, c);
            }
            What::ConvoyArrived { convoy } => put("convoy", json!(convoy)),
            What::FlightFlown {
                flight,
                aircraft,
                sorties,
                from,
                to,
                cargo: c,
            } => {
                if let Some(f) = flight {
                    put("flight", json!(f));
                }
                put("aircraft", json!(aircraft));
                put("sorties", json!(sorties));
                put("from", json!(from));
                put("to", json!(to));
                cargo(&mut put, c);
            }
            What::StockLeft {
                site,
                teu,
                vehicles,
                ..
            } => {
                put("site", json!(site));
                if *teu > 0 {
                    put("teu", json!(teu));
                }
                if *vehicles > 0 {
                    put("vehicles", json!(vehicles));
                }
            }
            What::SiteClosed { site } => put("site", json!(site)),
            What::Hazard {
                hazard,
                road,
                site,
                until,
            } => {
                put("hazard", json!(hazard.name()));
                if let Some(r) = road {
                    put("road", json!(r));
                }
                if let Some(s) = site {
                    put("site", json!(s));
                }
                if let Some(u) = until {
                    put("until", json!(u.to_string()));
                }
            }
        }
        if let Some(n) = &self.note {
            put("note", json!(n));
        }
        Value::Object(m)
    }
}

/// Plain fields of an event, in the order of CSV files.
pub const FIELDS: [&str; 15] = [
    "kind", "date", "convoy", "flight", "road", "from", "to", "site", "aircraft", "sorties", "teu",
    "vehicles", "hazard", "until", "note",
];

/// An event as read, every field as text, nothing checked yet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawEvent {
    /// Plain fields by name (see [`FIELDS`]); absent or blank fields are left out.
    pub fields: BTreeMap<String, String>,
    /// Personnel by contingent id, as text.
    pub personnel: BTreeMap<String, String>,
    /// Fleet units by fleet id, as text.
    pub units: BTreeMap<String, String>,
}

impl RawEvent {
    /// Set a plain field (blank text counts as absent).
    pub fn set(&mut self, field: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.fields
                .insert(field.to_string(), value.trim().to_string());
        }
    }

    /// Read one JSON object (a JSON-lines row or a stored event), reporting unknown keys
    /// and values of the wrong type.
    pub fn from_json(obj: &Map<String, Value>, loc: &Loc) -> (RawEvent, Vec<Problem>) {
        let mut raw = RawEvent::default();
        let mut problems = Vec::new();
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        for (k, v) in obj {
            // The columns an export adds are not event fields; an exported log imports
            // as it is.
            if v.is_null() || super::read::EXPORT_COLUMNS.contains(&k.as_str()) {
                continue;
            }
            if k == "personnel" || k == "units" {
                let Value::Object(m) = v else {
                    problems.push(Problem::new(
                        "T005",
                        loc,
                        k,
                        format!("`{k}` must be an object of counts, like {{\"td\": 120}}"),
                        format!("write `{k}` as an object mapping ids to whole numbers"),
                    ));
                    continue;
                };
                for (id, n) in m {
                    match text(n) {
                        Some(t) => {
                            let map = if k == "personnel" {
                                &mut raw.personnel
                            } else {
                                &mut raw.units
                            };
                            map.insert(id.clone(), t);
                        }
                        None => problems.push(Problem::new(
                            "T005",
                            loc,
                            format!("{k}:{id}"),
                            format!("`{k}.{id}` is {v}, not a number", v = n),
                            "give a whole number",
                        )),
                    }
                }
            } else if FIELDS.contains(&k.as_str()) {
                match text(v) {
                    Some(t) => raw.set(k, t),
                    None => problems.push(Problem::new(
                        "T005",
                        loc,
                        k,
                        format!("`{k}` is {v}, not text or a number"),
                        "give a plain value",
                    )),
                }
            } else {
                problems.push(unknown_field(loc, k));
            }
        }
        (raw, problems)
    }
}

/// The problem for a field that no event has.
pub fn unknown_field(loc: &Loc, name: &str) -> Problem {
    Problem::new(
        "T002",
        loc,
        name,
        format!("unknown field `{name}`"),
        format!(
            "remove it or correct its spelling; events have the fields {}, personnel:<contingent> and units:<fleet> (docs/tracking.md)",
            FIELDS.join(", ")
        ),
    )
}

/// Whether `r` is a usable movement reference: 1 to 40 letters, digits, `-`, `_`, `.`,
/// `/`. The `@` is kept out because frozen plan movements are named `REF@DATE`.
pub fn valid_ref(r: &str) -> bool {
    (1..=40).contains(&r.len())
        && r.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

/// Turn a raw event into an event, reporting every problem with its fields at once.
pub fn parse(raw: &RawEvent, loc: &Loc) -> Result<Event, Vec<Problem>> {
    let mut problems = Vec::new();
    let Some(kind_text) = raw.fields.get("kind") else {
        return Err(vec![Problem::new(
            "T003",
            loc,
            "kind",
            "the event has no `kind`",
            kind_fix(),
        )]);
    };
    let Some(kind) = Kind::parse(kind_text) else {
        return Err(vec![Problem::new(
            "T006",
            loc,
            "kind",
            format!("unknown event kind `{kind_text}`"),
            kind_fix(),
        )]);
    };
    let (required, optional) = kind.fields();
    for f in required {
        let present = match *f {
            "units" => !raw.units.is_empty(),
            "personnel" => !raw.personnel.is_empty(),
            f => raw.fields.contains_key(f),
        };
        if !present {
            problems.push(Problem::new(
                "T003",
                loc,
                *f,
                format!("a `{}` event needs `{f}`", kind.name()),
                format!("give `{f}` ({})", field_help(f)),
            ));
        }
    }
    let allowed = |f: &str| f == "kind" || required.contains(&f) || optional.contains(&f);
    let misplaced = raw
        .fields
        .keys()
        .map(String::as_str)
        .chain((!raw.units.is_empty()).then_some("units"))
        .chain((!raw.personnel.is_empty()).then_some("personnel"))
        .filter(|f| !allowed(f));
    for f in misplaced {
        let mut all: Vec<&str> = required.to_vec();
        all.extend(optional.iter());
        problems.push(Problem::new(
            "T004",
            loc,
            f,
            format!("`{f}` does not apply to a `{}` event", kind.name()),
            format!(
                "leave it out; a `{}` event has the fields {}",
                kind.name(),
                all.join(", ")
            ),
        ));
    }
    let get = |f: &str| raw.fields.get(f).cloned();
    let date = get("date").and_then(|d| parse_date(&d, "date", loc, &mut problems));
    let count = |f: &str, problems: &mut Vec<Problem>| -> u32 {
        get(f).map_or(0, |t| parse_count(&t, f, loc, problems))
    };
    let counts = |prefix: &str, m: &BTreeMap<String, String>, problems: &mut Vec<Problem>| {
        m.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    parse_count(v, &format!("{prefix}:{k}"), loc, problems),
                )
            })
            .filter(|&(_, n)| n > 0)
            .collect::<BTreeMap<String, u32>>()
    };
    let reference = |f: &str, problems: &mut Vec<Problem>| -> Option<String> {
        let r = get(f)?;
        if valid_ref(&r) {
            Some(r)
        } else {
            problems.push(Problem::new(
                "T005",
                loc,
                f,
                format!("`{r}` is not a usable {f} reference"),
                "use 1 to 40 letters, digits, `-`, `_`, `.` or `/` (like K-0412)",
            ));
            None
        }
    };
    let text = |f: &str| get(f).unwrap_or_default();
    let what = match kind {
        Kind::ConvoyDeparted => What::ConvoyDeparted {
            convoy: reference("convoy", &mut problems).unwrap_or_default(),
            road: get("road"),
            from: text("from"),
            to: text("to"),
            units: counts("units", &raw.units, &mut problems),
            cargo: Cargo {
                personnel: counts("personnel", &raw.personnel, &mut problems),
                teu: count("teu", &mut problems),
                vehicles: count("vehicles", &mut problems),
            },
        },
        Kind::ConvoyArrived => What::ConvoyArrived {
            convoy: reference("convoy", &mut problems).unwrap_or_default(),
        },
        Kind::FlightFlown => {
            let sorties =
                get("sorties").map_or(1, |t| parse_count(&t, "sorties", loc, &mut problems));
            if sorties == 0 {
                problems.push(Problem::new(
                    "T005",
                    loc,
                    "sorties",
                    "a flight of 0 sorties did not fly",
                    "give the number of sorties flown (1 or more), or record nothing",
                ));
            }
            What::FlightFlown {
                flight: reference("flight", &mut problems),
                aircraft: text("aircraft"),
                sorties,
                from: text("from"),
                to: text("to"),
                cargo: Cargo {
                    personnel: counts("personnel", &raw.personnel, &mut problems),
                    teu: count("teu", &mut problems),
                    vehicles: 0,
                },
            }
        }
        Kind::StockAbandoned | Kind::StockHandedOver => {
            let before = problems.len();
            let teu = count("teu", &mut problems);
            let vehicles = count("vehicles", &mut problems);
            // A malformed count is reported as such, not also as nothing left.
            if teu == 0 && vehicles == 0 && problems.len() == before {
                problems.push(Problem::new(
                    "T003",
                    loc,
                    "teu",
                    format!("a `{}` event leaves nothing behind", kind.name()),
                    "give `teu` or `vehicles` (personnel are never left behind)",
                ));
            }
            What::StockLeft {
                how: if kind == Kind::StockAbandoned {
                    Left::Abandoned
                } else {
                    Left::HandedOver
                },
                site: text("site"),
                teu,
                vehicles,
            }
        }
        Kind::SiteClosed => What::SiteClosed { site: text("site") },
        Kind::Hazard => {
            let hazard = get("hazard").and_then(|h| {
                let k = HazardKind::parse(&h);
                if k.is_none() {
                    problems.push(Problem::new(
                        "T005",
                        loc,
                        "hazard",
                        format!("unknown hazard `{h}`"),
                        "use road-closed, permission-refused or incident",
                    ));
                }
                k
            });
            let until = get("until").and_then(|u| parse_date(&u, "until", loc, &mut problems));
            if let (Some(d), Some(u)) = (date, until)
                && u < d
            {
                problems.push(Problem::new(
                    "T005",
                    loc,
                    "until",
                    format!("the hazard ends ({u}) before it starts ({d})"),
                    "give `until` on or after `date` (the last day the hazard applies)",
                ));
            }
            let road = get("road");
            let site = get("site");
            match hazard {
                Some(HazardKind::RoadClosed) if road.is_none() => problems.push(Problem::new(
                    "T003",
                    loc,
                    "road",
                    "a road-closed hazard needs `road`",
                    "give the road id (FROM-TO unless the scenario names it)",
                )),
                Some(HazardKind::PermissionRefused) if road.is_none() && site.is_none() => problems
                    .push(Problem::new(
                        "T003",
                        loc,
                        "site",
                        "a permission-refused hazard needs `site` or `road`",
                        "give the site (or road) the permission was refused for",
                    )),
                _ => {}
            }
            What::Hazard {
                hazard: hazard.unwrap_or(HazardKind::Incident),
                road,
                site,
                until,
            }
        }
    };
    match date {
        Some(date) if problems.is_empty() => Ok(Event {
            date,
            what,
            note: get("note"),
        }),
        _ => Err(problems),
    }
}

fn kind_fix() -> String {
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    format!("give one of {}", names.join(", "))
}

fn field_help(f: &str) -> &'static str {
    match f {
        "date" => "the day it happened, YYYY-MM-DD",
        "convoy" => "the convoy's reference, like K-0412",
        "from" | "to" | "site" => "a site id of the scenario",
        "aircraft" => "an aircraft type id of the scenario",
        "hazard" => "road-closed, permission-refused or incident",
        _ => "see docs/tracking.md",
    }
}

fn parse_date(t: &str, field: &str, loc: &Loc, problems: &mut Vec<Problem>) -> Option<Date> {
    // Only the plain calendar form is accepted, so that 2023-9-1 or a timestamp is not
    // silently read as some other day.
    let ok = t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-';
    match t.parse::<Date>() {
        Ok(d) if ok => Some(d),
        _ => {
            problems.push(Problem::new(
                "T005",
                loc,
                field,
                format!("`{t}` is not a date"),
                "write the day as YYYY-MM-DD, like 2023-09-14",
            ));
            None
        }
    }
}

fn parse_count(t: &str, field: &str, loc: &Loc, problems: &mut Vec<Problem>) -> u32 {
    match t.parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            problems.push(Problem::new(
                "T005",
                loc,
                field,
                format!("`{t}` is not a whole number of at least 0"),
                "give a count like 12",
            ));
            0
        }
    }
}
