//! The fleet ledger: units of every fleet at every site, period by period.
//!
//! Only (fleet, site) pairs that some convoy touches are tracked, each as a short list of
//! per-period movements, so the cost is linear in the number of convoy legs.

use super::Findings;
use super::resolve::Resolved;
use model::{FleetId, Period, Scenario, SiteId, SiteKind};
use std::collections::BTreeMap;

/// Check presence (V040) and return to home or an exit (V042).
pub(super) fn check(s: &Scenario, plan: &Resolved<'_>, out: &mut Findings<'_>) {
    // Units arriving and departing per (fleet, site) and period. A BTreeMap keeps the
    // periods of each pair in order for the sweep below.
    let mut moves: BTreeMap<(FleetId, SiteId), BTreeMap<Period, (i64, i64)>> = BTreeMap::new();
    for m in &plan.moves {
        for &(f, n) in m.units() {
            let n = i64::from(n);
            moves
                .entry((f, m.from))
                .or_default()
                .entry(m.depart)
                .or_default()
                .1 += n;
            moves
                .entry((f, m.to))
                .or_default()
                .entry(m.arrive)
                .or_default()
                .0 += n;
        }
    }
    for (&(f, site), periods) in &moves {
        let fleet = &s.fleets[f.idx()];
        let sid = &s.site(site).id;
        // All units stand at home from the start; V041 keeps them there until the
        // fleet's window opens.
        let mut present = if site == fleet.home {
            i64::from(fleet.count)
        } else {
            0
        };
        let mut short = false;
        for (&p, &(arrived, departed)) in periods {
            // Arrivals come before departures within a period.
            let there = present + arrived;
            present = there - departed;
            if present < 0 && !short {
                out.add(
                    "V040",
                    sid,
                    Some(p),
                    format!(
                        "{departed} units of fleet {} depart from {sid} on {}, but only {there} are there",
                        fleet.id,
                        out.day(p)
                    ),
                );
            }
            short = present < 0;
        }
        if present > 0 && site != fleet.home && s.site(site).kind != SiteKind::Exit {
            out.add(
                "V042",
                sid,
                Some(s.horizon.last()),
                format!(
                    "{present} units of fleet {} end the horizon at {sid}, neither their home {} nor an exit",
                    fleet.id,
                    s.site(fleet.home).id
                ),
            );
        }
    }
}
