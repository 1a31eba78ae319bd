//! The world as a scenario file: TOML text in the layout of the shipped scenarios.
//!
//! The text is written by hand rather than through a serializer so that the file reads
//! like a hand-made one (inline tables for stock and airfields, a header with totals) and
//! so that its bytes depend only on the world.

use crate::network::Road;
use crate::world::{FleetKind, Kind, Site, TEU_TONNES, World};
use jiff::civil::Date;
use std::fmt::Write;

/// The first day of every generated horizon.
pub const START: Date = jiff::civil::date(2023, 7, 1);

/// The date `offset` days after the start.
fn day(offset: u32) -> Date {
    START
        .checked_add(jiff::Span::new().days(i64::from(offset)))
        .expect("generated horizons stay inside the calendar")
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    let v: Vec<String> = items.iter().map(f).collect();
    format!("[{}]", v.join(", "))
}

/// The road's id as the format names an unnamed road: `FROM-TO`.
fn road_id(w: &World, r: &Road) -> String {
    format!("{}-{}", w.sites[r.a].id, w.sites[r.b].id)
}

/// Write `w` as a scenario file.
pub fn toml(w: &World) -> String {
    let mut t = String::new();
    // Writing to a String cannot fail; the results are ignored through this macro.
    macro_rules! line {
        ($($arg:tt)*) => { let _ = writeln!(t, $($arg)*); };
    }
    let p = &w.params;
    let n = p.sites;
    let stock = &w.sites[..n];
    let people: u64 = stock.iter().map(|s| u64::from(s.people())).sum();
    let teu: u64 = stock.iter().map(|s| u64::from(s.teu)).sum();
    let veh: u64 = stock.iter().map(|s| u64::from(s.vehicles)).sum();
    line!(
        "# Synthetic scenario: {} sites ({} hubs, {} bases), {} withdrawal days, seed {}.",
        n,
        w.hubs,
        n - w.hubs,
        p.days,
        p.seed
    );
    line!(
        "# Made by `drawdown generate --sites {} --days {} --seed {}`; the same command makes",
        n,
        p.days,
        p.seed
    );
    line!("# the same bytes. Nothing here is a fact: sites are scattered on a plane the size");
    line!("# and place of Mali, with MINUSMA's magnitudes per camp, and fleets are sized from");
    line!("# the generator's own shortest routes so that a plan exists within the horizon.");
    line!("#");
    line!(
        "# Totals: {people} personnel, {teu} TEU, {veh} vehicles; {} roads, {} exits, {} fleets,",
        w.roads.len(),
        w.sites.len() - n,
        w.fleets.len()
    );
    line!(
        "# {} aircraft types, {} restrictions. Deadlines in three phases: remote camps by day",
        w.aircraft.len(),
        w.restrictions.len()
    );
    line!(
        "# ~{}, the other camps by day ~{}, the hubs by day {}; the horizon runs to day {}.",
        (f64::from(p.days) * 0.35).round(),
        (f64::from(p.days) * 0.8).round(),
        p.days,
        w.horizon_days
    );
    line!();
    line!("[scenario]");
    line!(
        "name = {}",
        q(&format!(
            "synthetic {n} sites {} days seed {}",
            p.days, p.seed
        ))
    );
    line!(
        "description = {}",
        q("A generated withdrawal for tests and benchmarks (drawdown generate).")
    );
    line!();
    line!("[horizon]");
    line!("start = {}", START);
    line!("end = {}", day(w.horizon_days - 1));
    line!("period_days = 1");
    line!();
    line!("[defaults]");
    line!("convoy_km_per_day = {:.1}", crate::network::KM_PER_DAY);
    line!("escort_from_hazard = 2");
    line!("vehicle_seats = 2");
    line!("teu_tonnes = {TEU_TONNES:.1}");
    line!();
    line!("[objective]");
    line!("lateness = 1000.0");
    line!("makespan = 10.0");
    line!("exposure = 0.001");
    line!("cost = 0.0");
    line!();
    line!("[abandon]");
    line!("allowed = {}", w.abandon);
    line!("teu_penalty = 10000.0");
    line!("vehicle_penalty = 10000.0");
    line!();
    for c in &w.contingents {
        line!("[[contingent]]");
        line!("id = {}", q(&c.id));
        line!("name = {}", q(&c.name));
        line!();
    }
    for s in &w.sites {
        site(&mut t, w, s);
    }
    for r in &w.roads {
        line!("[[road]]");
        line!("from = {}", q(&w.sites[r.a].id));
        line!("to = {}", q(&w.sites[r.b].id));
        line!("km = {:.1}", r.km);
        if let Some(d) = r.days {
            line!("days = {d:.1}");
        }
        line!("hazard = {}", r.hazard);
        if let Some(v) = r.vehicles_per_day {
            line!("vehicles_per_day = {v}");
        }
        if let Some(v) = r.max_convoy {
            line!("max_convoy = {v}");
        }
        if !r.closed.is_empty() {
            line!(
                "closed = {}",
                list(&r.closed, |&(a, b)| format!(
                    "{{ from = {}, until = {} }}",
                    day(a),
                    day(b)
                ))
            );
        }
        line!();
    }
    for f in &w.fleets {
        line!("[[fleet]]");
        line!("id = {}", q(&f.id));
        let kind = match f.kind {
            FleetKind::Truck => "truck",
            FleetKind::Carrier => "carrier",
            FleetKind::Escort => "escort",
        };
        line!("kind = {}", q(kind));
        line!("home = {}", q(&w.sites[f.home].id));
        line!("count = {}", f.count);
        if let Some(x) = f.teu {
            line!("teu = {x}");
        }
        if f.seats > 0 {
            line!("seats = {}", f.seats);
        }
        if let Some(x) = f.cover {
            line!("cover = {x}");
        }
        line!("cost_per_km = {:.1}", f.cost_per_km);
        if let Some((a, b)) = f.available {
            line!("available_from = {}", day(a));
            line!("available_until = {}", day(b));
        }
        line!();
    }
    for a in &w.aircraft {
        line!("[[aircraft]]");
        line!("id = {}                # {}", q(&a.id), a.note);
        line!("home = {}", q(&w.sites[a.home].id));
        line!("count = {}", a.count);
        if let Some(x) = a.seats {
            line!("seats = {x}");
        }
        if let Some(x) = a.payload_t {
            line!("payload_t = {x:.1}");
        }
        if let Some(x) = a.payload_teu {
            line!("payload_teu = {x}");
        }
        line!("min_runway_m = {}", a.min_runway_m);
        if a.paved_only {
            line!("paved_only = true");
        }
        line!("speed_kmh = {:.1}", a.speed_kmh);
        line!("sorties_per_day = {}", a.sorties_per_day);
        line!("cost_per_hour = {:.1}", a.cost_per_hour);
        if let Some((x, y)) = a.available {
            line!("available_from = {}", day(x));
            line!("available_until = {}", day(y));
        }
        line!();
    }
    for r in &w.restrictions {
        line!("[[restriction]]");
        line!("id = {}", q(&r.id));
        line!("reason = {}", q(&r.reason));
        line!("from = {}", day(r.from));
        line!("until = {}", day(r.until));
        if !r.roads.is_empty() {
            line!(
                "roads = {}",
                list(&r.roads, |&k| q(&road_id(w, &w.roads[k])))
            );
        }
        if !r.sites.is_empty() {
            line!("sites = {}", list(&r.sites, |&k| q(&w.sites[k].id)));
        }
        if !r.airfields.is_empty() {
            line!("airfields = {}", list(&r.airfields, |&k| q(&w.sites[k].id)));
        }
        line!();
    }
    t
}

fn site(t: &mut String, w: &World, s: &Site) {
    macro_rules! line {
        ($($arg:tt)*) => { let _ = writeln!(t, $($arg)*); };
    }
    line!("[[site]]");
    line!("id = {}", q(&s.id));
    line!("name = {}", q(&s.name));
    let kind = match s.kind {
        Kind::Hub => "hub",
        Kind::Base => "base",
        Kind::Exit => "exit",
    };
    line!("kind = {}", q(kind));
    line!("lat = {:.3}", s.at.lat);
    line!("lon = {:.3}", s.at.lon);
    if let Some(r) = &s.region {
        line!("region = {}", q(r));
    }
    if !s.personnel.is_empty() {
        line!(
            "personnel = {{ {} }}",
            s.personnel
                .iter()
                .map(|&(c, k)| format!("{} = {k}", w.contingents[c].id))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if s.teu > 0 {
        line!("teu = {}", s.teu);
    }
    if s.vehicles > 0 {
        line!("vehicles = {}", s.vehicles);
    }
    if let Some(d) = s.not_before {
        line!("not_before = {}", day(d));
    }
    if let Some(d) = s.close_by {
        line!("close_by = {}                  # phase {}", day(d), s.phase);
    }
    if !s.after.is_empty() {
        line!("after = {}", list(&s.after, |&k| q(&w.sites[k].id)));
    }
    if s.rear_guard > 0 {
        line!("rear_guard = {}", s.rear_guard);
    }
    if let Some(h) = s.handling {
        line!("handling_teu_per_day = {h}");
    }
    if let Some(a) = &s.airfield {
        let slots = a
            .slots_per_day
            .map_or(String::new(), |x| format!(", slots_per_day = {x}"));
        line!(
            "airfield = {{ runway_m = {}, paved = {}{slots} }}",
            a.runway_m,
            a.paved
        );
    }
    if let Some(e) = &s.exit {
        let mut accepts = Vec::new();
        let mut fields = Vec::new();
        if e.personnel {
            accepts.push("\"personnel\"");
        }
        if e.teu {
            accepts.push("\"teu\"");
        }
        if e.vehicles {
            accepts.push("\"vehicles\"");
        }
        fields.push(format!("accepts = [{}]", accepts.join(", ")));
        if let Some(c) = &e.contingents {
            fields.push(format!(
                "contingents = {}",
                list(c, |&k| q(&w.contingents[k].id))
            ));
        }
        for (key, v) in [
            ("personnel_per_day", e.personnel_per_day),
            ("teu_per_day", e.teu_per_day),
            ("vehicles_per_day", e.vehicles_per_day),
        ] {
            if let Some(v) = v {
                fields.push(format!("{key} = {v}"));
            }
        }
        line!("exit = {{ {} }}", fields.join(", "));
    }
    line!();
}
