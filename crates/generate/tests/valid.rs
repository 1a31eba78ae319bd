//! Generated files are valid, warning-free, deterministic and shaped as asked.

use crate::load;
use generate::{GenerateError, Params};
use model::SiteKind;

#[test]
fn every_seed_and_size_passes_validation_without_warnings() {
    for sites in [2, 3, 5, 9, 17, 33, 60, 120, 250] {
        for seed in 0..12 {
            let days = [60, 90, 180, 365][(seed % 4) as usize];
            let (_, l) = load(sites, days, seed);
            assert!(
                l.warnings.is_empty(),
                "sites {sites}, days {days}, seed {seed}: {:?}",
                l.warnings
            );
        }
    }
}

#[test]
fn same_parameters_same_bytes_other_seed_other_bytes() {
    let p = Params {
        sites: 40,
        days: 150,
        seed: 11,
    };
    let a = generate::generate(&p).unwrap();
    assert_eq!(a, generate::generate(&p).unwrap());
    let b = generate::generate(&Params { seed: 12, ..p }).unwrap();
    assert_ne!(a, b);
}

#[test]
fn shape_follows_the_parameters() {
    let (_, l) = load(200, 180, 5);
    let s = &l.scenario;
    let count = |k: SiteKind| s.sites.iter().filter(|x| x.kind == k).count();
    let (hubs, bases, exits) = (
        count(SiteKind::Hub),
        count(SiteKind::Base),
        count(SiteKind::Exit),
    );
    assert_eq!(hubs + bases, 200);
    // About one hub per 15 to 25 bases.
    assert!((8..=13).contains(&hubs), "{hubs} hubs");
    assert!((2..=6).contains(&exits), "{exits} exits");
    assert!((5..=20).contains(&s.contingents.len()));
    // The horizon runs about 30% past the withdrawal, and the last deadline is its last day.
    assert_eq!(s.horizon.periods, 234);
    let last_deadline = s.sites.iter().filter_map(|x| x.close_by).max().unwrap();
    assert_eq!(last_deadline.0, 179);
    // A sparse network: a few roads per site, every site reachable.
    assert!(s.roads.len() < 3 * s.sites.len(), "{} roads", s.roads.len());
    assert!(s.fleets.len() >= 3 * hubs);
    assert!(!s.restrictions.is_empty());
    assert!(s.sites.iter().any(|x| !x.after.is_empty()));
    assert!(s.sites.iter().any(|x| x.rear_guard > 0));
    assert!(
        s.sites
            .iter()
            .any(|x| x.airfield.is_some() && x.kind == SiteKind::Base)
    );
}

#[test]
fn parameters_out_of_range_are_refused() {
    let p = |sites, days| Params {
        sites,
        days,
        seed: 0,
    };
    assert_eq!(generate::generate(&p(1, 180)), Err(GenerateError::Sites(1)));
    assert_eq!(generate::generate(&p(10, 45)), Err(GenerateError::Days(45)));
}
