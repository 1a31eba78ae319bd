//! Lowering a validated file into the model.
//!
//! Lowering runs only after [`crate::validate::validate`] reported no error, so every id
//! resolves and every number is in range; a failure here is a bug in a validation rule,
//! which is why the lookups below panic with the rule that should have caught them.

use crate::format::*;
use jiff::civil::Date;
use model::*;

/// Defaults used where the file is silent; documented in `docs/scenario-format.md`.
pub mod defaults {
    /// Convoy kilometres per day.
    pub const CONVOY_KM_PER_DAY: f64 = 150.0;
    /// Hazard level from which roads need escorts.
    pub const ESCORT_FROM_HAZARD: i64 = 2;
    /// Seats per self-propelled stock vehicle.
    pub const VEHICLE_SEATS: i64 = 2;
    /// Tonnes per TEU.
    pub const TEU_TONNES: f64 = 10.0;
    /// Objective weight per late site-day.
    pub const W_LATENESS: f64 = 1000.0;
    /// Objective weight per makespan day.
    pub const W_MAKESPAN: f64 = 10.0;
    /// Objective weight per hazard-weighted vehicle-km.
    pub const W_EXPOSURE: f64 = 0.001;
    /// Objective weight per cost unit.
    pub const W_COST: f64 = 0.0;
    /// Penalty per abandoned TEU or vehicle.
    pub const ABANDON_PENALTY: f64 = 10_000.0;
    /// Sorties per airframe per day.
    pub const SORTIES_PER_DAY: i64 = 1;
}

/// Convert a TOML date to a calendar date; `None` if it is not a plain, valid date.
pub fn toml_date(d: &toml::value::Datetime) -> Option<Date> {
    if d.time.is_some() || d.offset.is_some() {
        return None;
    }
    let date = d.date?;
    Date::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
    )
    .ok()
}

/// The horizon of a file whose dates are valid.
pub fn horizon(raw: &RawHorizon) -> Horizon {
    let start = toml_date(raw.start.get_ref()).expect("E1001 checks the start date");
    let end = toml_date(raw.end.get_ref()).expect("E1001 checks the end date");
    let pd = raw.period_days.as_ref().map_or(1, |p| {
        u32::try_from(*p.get_ref()).expect("E1002 checks period_days")
    });
    let days = start.until(end).expect("dates are in range").get_days() + 1;
    let days = u32::try_from(days).expect("E1003 checks end >= start");
    Horizon::new(start, pd, days.div_ceil(pd))
}

fn u(v: &Option<S<i64>>, default: u32) -> u32 {
    v.as_ref().map_or(default, |x| {
        u32::try_from(*x.get_ref()).expect("validated non-negative")
    })
}

fn opt_u(v: &Option<S<i64>>) -> Option<u32> {
    v.as_ref()
        .map(|x| u32::try_from(*x.get_ref()).expect("validated non-negative"))
}

fn f(v: &Option<S<f64>>, default: f64) -> f64 {
    v.as_ref().map_or(default, |x| *x.get_ref())
}

fn ids(v: &Option<S<Vec<S<String>>>>) -> impl Iterator<Item = &str> {
    v.iter()
        .flat_map(|l| l.get_ref().iter())
        .map(|s| s.get_ref().as_str())
}

/// Lower a validated file.
pub fn lower(raw: &RawScenario) -> Scenario {
    let h = horizon(raw.horizon.get_ref());
    let period = |d: &S<toml::value::Datetime>| -> Period {
        let date = toml_date(d.get_ref()).expect("dates validated");
        h.period_of(date)
            .expect("E1004 checks dates are inside the horizon")
    };
    let whole = Window {
        from: Period(0),
        until: h.last(),
    };
    let window = |from: &Option<S<toml::value::Datetime>>,
                  until: &Option<S<toml::value::Datetime>>| Window {
        from: from.as_ref().map_or(whole.from, period),
        until: until.as_ref().map_or(whole.until, period),
    };
    let defaults = raw.defaults.as_ref().map(|d| d.get_ref());
    let km_per_day = defaults.map_or(defaults::CONVOY_KM_PER_DAY, |d| {
        f(&d.convoy_km_per_day, defaults::CONVOY_KM_PER_DAY)
    });
    let escort_from = defaults
        .and_then(|d| d.escort_from_hazard.as_ref().map(|x| *x.get_ref()))
        .unwrap_or(defaults::ESCORT_FROM_HAZARD);
    let vehicle_seats = defaults.map_or(defaults::VEHICLE_SEATS as u32, |d| {
        u(&d.vehicle_seats, defaults::VEHICLE_SEATS as u32)
    });
    let teu_tonnes = defaults.map_or(defaults::TEU_TONNES, |d| {
        f(&d.teu_tonnes, defaults::TEU_TONNES)
    });

    let contingents: Vec<Contingent> = raw
        .contingent
        .iter()
        .map(|c| {
            let c = c.get_ref();
            Contingent {
                id: c.id.get_ref().clone(),
                name: c.name.clone().unwrap_or_else(|| c.id.get_ref().clone()),
            }
        })
        .collect();
    let contingent = |id: &str| -> ContingentId {
        ContingentId(
            contingents
                .iter()
                .position(|c| c.id == id)
                .expect("E1101 checks contingent ids") as u32,
        )
    };
    let site_ids: Vec<&str> = raw
        .site
        .iter()
        .map(|s| s.get_ref().id.get_ref().as_str())
        .collect();
    let site = |id: &str| -> SiteId {
        SiteId(
            site_ids
                .iter()
                .position(|s| *s == id)
                .expect("E1101 checks site ids") as u32,
        )
    };

    let sites: Vec<Site> = raw
        .site
        .iter()
        .map(|s| {
            let s = s.get_ref();
            let mut initial = Stock::zero(contingents.len());
            if let Some(p) = &s.personnel {
                for (k, v) in p.get_ref() {
                    initial.personnel[contingent(k).idx()] =
                        u32::try_from(*v.get_ref()).expect("validated non-negative");
                }
            }
            initial.teu = u(&s.teu, 0);
            initial.vehicles = u(&s.vehicles, 0);
            let kind = match s.kind.get_ref().as_str() {
                "base" => SiteKind::Base,
                "hub" => SiteKind::Hub,
                "exit" => SiteKind::Exit,
                other => unreachable!("E1201 checks site kind, got {other}"),
            };
            let exit = s.exit.as_ref().map(|e| {
                let e = e.get_ref();
                let acc = |what: &str| e.accepts.get_ref().iter().any(|a| a.get_ref() == what);
                Exit {
                    personnel: acc("personnel"),
                    teu: acc("teu"),
                    vehicles: acc("vehicles"),
                    contingents: e
                        .contingents
                        .as_ref()
                        .map(|_| ids(&e.contingents).map(contingent).collect()),
                    personnel_per_period: opt_u(&e.personnel_per_day).map(|x| x * h.period_days),
                    teu_per_period: opt_u(&e.teu_per_day).map(|x| x * h.period_days),
                    vehicles_per_period: opt_u(&e.vehicles_per_day).map(|x| x * h.period_days),
                }
            });
            Site {
                id: s.id.get_ref().clone(),
                name: s.name.clone().unwrap_or_else(|| s.id.get_ref().clone()),
                kind,
                lat: *s.lat.get_ref(),
                lon: *s.lon.get_ref(),
                region: s.region.clone(),
                initial,
                not_before: s.not_before.as_ref().map_or(Period(0), period),
                close_by: s.close_by.as_ref().map(period),
                after: ids(&s.after).map(site).collect(),
                rear_guard: u(&s.rear_guard, 0),
                handling_teu_per_period: opt_u(&s.handling_teu_per_day).map(|x| x * h.period_days),
                airfield: s.airfield.as_ref().map(|a| {
                    let a = a.get_ref();
                    Airfield {
                        runway_m: u32::try_from(*a.runway_m.get_ref()).expect("validated"),
                        paved: a.paved,
                        slots_per_period: opt_u(&a.slots_per_day).map(|x| x * h.period_days),
                    }
                }),
                exit,
            }
        })
        .collect();

    let roads: Vec<Road> = raw
        .road
        .iter()
        .map(|r| {
            let r = r.get_ref();
            let km = *r.km.get_ref();
            let days = r.days.as_ref().map_or(km / km_per_day, |d| *d.get_ref());
            let hazard = r.hazard.as_ref().map_or(0, |x| *x.get_ref());
            Road {
                id: road_id(r),
                a: site(r.from.get_ref()),
                b: site(r.to.get_ref()),
                km,
                periods: h.periods_for_days(days),
                hazard: u8::try_from(hazard).expect("E1301 checks hazard 0..=3"),
                escort: r.escort.unwrap_or(hazard >= escort_from),
                vehicles_per_period: opt_u(&r.vehicles_per_day).map(|x| x * h.period_days),
                max_convoy: opt_u(&r.max_convoy),
                closed: r
                    .closed
                    .iter()
                    .map(|w| Window {
                        from: period(&w.get_ref().from),
                        until: period(&w.get_ref().until),
                    })
                    .collect(),
            }
        })
        .collect();
    let road = |id: &str| -> RoadId {
        RoadId(
            roads
                .iter()
                .position(|r| r.id == id)
                .expect("E1101 checks road ids") as u32,
        )
    };

    let fleets = raw
        .fleet
        .iter()
        .map(|fl| {
            let fl = fl.get_ref();
            let kind = match fl.kind.get_ref().as_str() {
                "truck" => FleetKind::Truck,
                "carrier" => FleetKind::Carrier,
                "escort" => FleetKind::Escort,
                other => unreachable!("E1401 checks fleet kind, got {other}"),
            };
            Fleet {
                id: fl.id.get_ref().clone(),
                kind,
                home: site(fl.home.get_ref()),
                count: u(&Some(fl.count.clone()), 0),
                teu: u(&fl.teu, 0),
                seats: u(&fl.seats, 0),
                cover: u(&fl.cover, 0),
                cost_per_km: f(&fl.cost_per_km, 0.0),
                available: window(&fl.available_from, &fl.available_until),
            }
        })
        .collect();

    let aircraft = raw
        .aircraft
        .iter()
        .map(|a| {
            let a = a.get_ref();
            let payload_teu = match (&a.payload_teu, &a.payload_t) {
                (Some(t), _) => u32::try_from(*t.get_ref()).expect("validated"),
                // Whole containers only: a partial container does not fly.
                (None, Some(t)) => (*t.get_ref() / teu_tonnes).floor() as u32,
                (None, None) => 0,
            };
            Aircraft {
                id: a.id.get_ref().clone(),
                home: site(a.home.get_ref()),
                count: u(&Some(a.count.clone()), 0),
                seats: u(&a.seats, 0),
                payload_teu,
                min_runway_m: u(&Some(a.min_runway_m.clone()), 0),
                paved_only: a.paved_only.unwrap_or(false),
                speed_kmh: *a.speed_kmh.get_ref(),
                sorties_per_period: u(&a.sorties_per_day, defaults::SORTIES_PER_DAY as u32)
                    * h.period_days,
                cost_per_hour: f(&a.cost_per_hour, 0.0),
                available: window(&a.available_from, &a.available_until),
            }
        })
        .collect();

    let restrictions = raw
        .restriction
        .iter()
        .map(|r| {
            let r = r.get_ref();
            Restriction {
                id: r.id.get_ref().clone(),
                reason: r.reason.clone().unwrap_or_default(),
                window: Window {
                    from: period(&r.from),
                    until: period(&r.until),
                },
                roads: ids(&r.roads).map(road).collect(),
                sites: ids(&r.sites).map(site).collect(),
                airfields: ids(&r.airfields).map(site).collect(),
            }
        })
        .collect();

    let obj = raw.objective.as_ref().map(|o| o.get_ref());
    let abandon = raw.abandon.as_ref().map(|a| a.get_ref());
    Scenario {
        name: raw.scenario.get_ref().name.get_ref().clone(),
        horizon: h,
        vehicle_seats,
        contingents,
        sites,
        roads,
        fleets,
        aircraft,
        restrictions,
        objective: Objective {
            lateness: obj.map_or(defaults::W_LATENESS, |o| {
                f(&o.lateness, defaults::W_LATENESS)
            }),
            makespan: obj.map_or(defaults::W_MAKESPAN, |o| {
                f(&o.makespan, defaults::W_MAKESPAN)
            }),
            exposure: obj.map_or(defaults::W_EXPOSURE, |o| {
                f(&o.exposure, defaults::W_EXPOSURE)
            }),
            cost: obj.map_or(defaults::W_COST, |o| f(&o.cost, defaults::W_COST)),
        },
        abandon: Abandon {
            allowed: abandon.and_then(|a| a.allowed).unwrap_or(false),
            teu_penalty: abandon.map_or(defaults::ABANDON_PENALTY, |a| {
                f(&a.teu_penalty, defaults::ABANDON_PENALTY)
            }),
            vehicle_penalty: abandon.map_or(defaults::ABANDON_PENALTY, |a| {
                f(&a.vehicle_penalty, defaults::ABANDON_PENALTY)
            }),
        },
    }
}

/// The id of a road: its own, or `FROM-TO`.
pub fn road_id(r: &RawRoad) -> String {
    r.id.as_ref().map_or_else(
        || format!("{}-{}", r.from.get_ref(), r.to.get_ref()),
        |i| i.get_ref().clone(),
    )
}
