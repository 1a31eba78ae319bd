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

    let fleets: Vec<Fleet> = raw
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

    let aircraft: Vec<Aircraft> = raw
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
    let hazards = lower_hazards(raw, &h, &sites, &roads, &fleets, &aircraft);
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
        hazards,
    }
}

/// The id of a road: its own, or `FROM-TO`.
pub fn road_id(r: &RawRoad) -> String {
    r.id.as_ref().map_or_else(
        || format!("{}-{}", r.from.get_ref(), r.to.get_ref()),
        |i| i.get_ref().clone(),
    )
}

// ---------------------------------------------------------------------------------------
// Hazards: `[hazards]` lowered into `model::Hazards`, resolved per site, road and fleet.
// ---------------------------------------------------------------------------------------

/// Hazard defaults, documented in the Hazards section of `docs/scenario-format.md`.
pub mod hazard_defaults {
    /// Chance that a request to move is granted.
    pub const GRANT: f64 = 1.0;
    /// Days between a refusal and the next answer.
    pub const LEAD_DAYS: i64 = 1;
    /// Chance that a closure or an early departure happens.
    pub const PROBABILITY: f64 = 1.0;
}

fn spread(v: &S<RawSpread>) -> Spread {
    let v = v.get_ref();
    Spread {
        min: *v.min.get_ref(),
        mode: v.mode.as_ref().map(|m| *m.get_ref()),
        max: *v.max.get_ref(),
    }
}

/// Periods of `days` of lead time, at least one, so that a refusal always costs time.
fn lead_periods(h: &Horizon, days: i64) -> u32 {
    let days = u32::try_from(days).expect("E1810 checks lead days");
    days.div_ceil(h.period_days).max(1)
}

/// Lower `[hazards]`; without it, a world where nothing goes wrong.
fn lower_hazards(
    raw: &RawScenario,
    h: &Horizon,
    sites: &[Site],
    roads: &[Road],
    fleets: &[Fleet],
    aircraft: &[Aircraft],
) -> Hazards {
    let Some(hz) = raw.hazards.as_ref().map(|x| x.get_ref()) else {
        return Hazards::default();
    };
    let period = |d: &S<toml::value::Datetime>| -> Period {
        let date = toml_date(d.get_ref()).expect("E1804 checks hazard dates");
        h.period_of(date).expect("E1804 checks hazard dates")
    };
    let site = |id: &S<String>| -> SiteId {
        SiteId(
            sites
                .iter()
                .position(|s| s.id == *id.get_ref())
                .expect("E1803 checks hazard site ids") as u32,
        )
    };
    let road = |id: &S<String>| -> RoadId {
        RoadId(
            roads
                .iter()
                .position(|r| r.id == *id.get_ref())
                .expect("E1803 checks hazard road ids") as u32,
        )
    };
    let fleet = |id: &S<String>| -> FleetId {
        FleetId(
            fleets
                .iter()
                .position(|f| f.id == *id.get_ref())
                .expect("E1803 checks hazard fleet ids") as u32,
        )
    };
    let listed = |v: &Option<S<Vec<S<String>>>>| -> Vec<S<String>> {
        v.as_ref().map_or_else(Vec::new, |l| l.get_ref().clone())
    };

    // Permission: the [hazards] defaults, then the entries naming departure sites.
    let base = |grant: &Option<S<f64>>, lead: &Option<S<i64>>| Permission {
        grant: f(grant, hazard_defaults::GRANT),
        lead_periods: lead_periods(
            h,
            lead.as_ref()
                .map_or(hazard_defaults::LEAD_DAYS, |x| *x.get_ref()),
        ),
    };
    let convoy = base(&hz.convoy_grant, &hz.convoy_lead_days);
    let flight = base(&hz.flight_grant, &hz.flight_lead_days);
    let mut convoy_permission = vec![convoy; sites.len()];
    let mut flight_permission = vec![flight; sites.len()];
    for p in hz.permission.iter().map(|p| p.get_ref()) {
        for s in p.sites.get_ref() {
            let i = site(s).idx();
            if let Some(g) = &p.convoy_grant {
                convoy_permission[i].grant = *g.get_ref();
            }
            if let Some(l) = &p.convoy_lead_days {
                convoy_permission[i].lead_periods = lead_periods(h, *l.get_ref());
            }
            if let Some(g) = &p.flight_grant {
                flight_permission[i].grant = *g.get_ref();
            }
            if let Some(l) = &p.flight_lead_days {
                flight_permission[i].lead_periods = lead_periods(h, *l.get_ref());
            }
        }
    }

    // Road hazards: entries by level first, so that an entry naming the road wins.
    let mut road_hazards: Vec<Option<RoadHazard>> = vec![None; roads.len()];
    let road_hazard = |e: &RawRoadHazard| RoadHazard {
        id: e.id.get_ref().clone(),
        incident: *e.incident.get_ref(),
        delay_days: e.delay_days.as_ref().map_or(Spread::fixed(0.0), spread),
        destroyed: e.destroyed.as_ref().map_or(Spread::fixed(0.0), spread),
        injured: f(&e.injured, 0.0),
    };
    for e in hz.road.iter().map(|e| e.get_ref()) {
        if let Some(levels) = &e.levels {
            for (i, r) in roads.iter().enumerate() {
                if levels
                    .get_ref()
                    .iter()
                    .any(|l| *l.get_ref() == i64::from(r.hazard))
                {
                    road_hazards[i] = Some(road_hazard(e));
                }
            }
        }
    }
    for e in hz.road.iter().map(|e| e.get_ref()) {
        for r in listed(&e.roads) {
            road_hazards[road(&r).idx()] = Some(road_hazard(e));
        }
    }

    // Breakdowns: entries for every fleet first, so that an entry naming the fleet wins.
    let mut breakdowns: Vec<Option<Breakdown>> = vec![None; fleets.len()];
    let breakdown = |e: &RawBreakdown| Breakdown {
        id: e.id.get_ref().clone(),
        per_1000_km: *e.per_1000_km.get_ref(),
        repair_days: spread(&e.repair_days),
    };
    for e in hz.breakdown.iter().map(|e| e.get_ref()) {
        if e.fleets.is_none() {
            breakdowns.iter_mut().for_each(|b| *b = Some(breakdown(e)));
        }
    }
    for e in hz.breakdown.iter().map(|e| e.get_ref()) {
        for fl in listed(&e.fleets) {
            breakdowns[fleet(&fl).idx()] = Some(breakdown(e));
        }
    }

    let seasons = hz
        .season
        .iter()
        .map(|e| {
            let e = e.get_ref();
            Season {
                id: e.id.get_ref().clone(),
                window: Window {
                    from: period(&e.from),
                    until: period(&e.until),
                },
                roads: match &e.roads {
                    Some(_) => listed(&e.roads).iter().map(road).collect(),
                    None => (0..roads.len()).map(|i| RoadId(i as u32)).collect(),
                },
                speed: *e.speed.get_ref(),
            }
        })
        .collect();

    let closures = hz
        .closure
        .iter()
        .map(|e| {
            let e = e.get_ref();
            let from = period(&e.from);
            let days = match (&e.until, &e.days) {
                (Some(until), _) => {
                    let a = toml_date(e.from.get_ref()).expect("E1804 checks hazard dates");
                    let b = toml_date(until.get_ref()).expect("E1804 checks hazard dates");
                    let len = a.until(b).expect("dates are in range").get_days() + 1;
                    Spread::fixed(f64::from(len))
                }
                (None, Some(d)) => spread(d),
                (None, None) => unreachable!("E1808 checks closure lengths"),
            };
            Closure {
                id: e.id.get_ref().clone(),
                reason: e.reason.clone().unwrap_or_default(),
                probability: f(&e.probability, hazard_defaults::PROBABILITY),
                start: Window {
                    from,
                    until: e.start_by.as_ref().map_or(from, period),
                },
                days,
                roads: listed(&e.roads).iter().map(road).collect(),
                sites: listed(&e.sites).iter().map(site).collect(),
                airfields: listed(&e.airfields).iter().map(site).collect(),
            }
        })
        .collect();

    let departures = hz
        .departure
        .iter()
        .map(|e| {
            let e = e.get_ref();
            let leaver = match (&e.fleet, &e.aircraft) {
                (Some(fl), _) => Leaver::Fleet(fleet(fl)),
                (None, Some(a)) => Leaver::Aircraft(AircraftId(
                    aircraft
                        .iter()
                        .position(|x| x.id == *a.get_ref())
                        .expect("E1803 checks hazard aircraft ids") as u32,
                )),
                (None, None) => unreachable!("E1809 checks what a departure names"),
            };
            Departure {
                id: e.id.get_ref().clone(),
                leaver,
                probability: f(&e.probability, hazard_defaults::PROBABILITY),
                window: Window {
                    from: period(&e.from),
                    until: period(&e.until),
                },
            }
        })
        .collect();

    Hazards {
        convoy_permission,
        flight_permission,
        roads: road_hazards,
        breakdowns,
        seasons,
        closures,
        departures,
    }
}
