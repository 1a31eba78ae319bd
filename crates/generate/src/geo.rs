//! Where things are: a plane the size and place of Mali, hubs spread over it, bases
//! scattered around the hubs, and the exits of the real region around it.

use crate::rng::Rng;

/// A position in decimal degrees, rounded to what the scenario file records.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Latitude, north positive.
    pub lat: f64,
    /// Longitude, east positive.
    pub lon: f64,
}

impl Point {
    /// A point rounded to three decimals (about 100 m), the precision written to the file:
    /// every distance is computed from the rounded value, so the file and the generator's
    /// own sizing agree exactly.
    pub fn new(lat: f64, lon: f64) -> Self {
        Point {
            lat: (lat * 1000.0).round() / 1000.0,
            lon: (lon * 1000.0).round() / 1000.0,
        }
    }

    /// Great-circle distance in km, as validation and planners measure flights.
    pub fn km(self, o: Point) -> f64 {
        model::great_circle_km(self.lat, self.lon, o.lat, o.lon)
    }

    /// Squared distance on a flat map (equirectangular at the area's middle latitude).
    ///
    /// Only for ranking neighbours: a few flops instead of a haversine, and over an area
    /// 1,500 km across the ranking is the same.
    pub fn flat2(self, o: Point) -> f64 {
        let dy = self.lat - o.lat;
        let dx = (self.lon - o.lon) * MID_LAT_COS;
        dx * dx + dy * dy
    }
}

/// cos(17.5°): the east-west shrink of a degree of longitude at the area's middle.
const MID_LAT_COS: f64 = 0.953_716_950_748_227;

/// The area sites are scattered on: Mali's bounding box (about 1,500 by 1,650 km).
pub struct Area {
    /// Southern edge, degrees.
    pub south: f64,
    /// Northern edge, degrees.
    pub north: f64,
    /// Western edge, degrees.
    pub west: f64,
    /// Eastern edge, degrees.
    pub east: f64,
}

/// Mali's bounding box.
pub const MALI: Area = Area {
    south: 11.0,
    north: 24.5,
    west: -11.5,
    east: 4.2,
};

impl Area {
    /// Area in km² (near enough for spacing sites).
    pub fn km2(&self) -> f64 {
        let h = Point::new(self.south, self.west).km(Point::new(self.north, self.west));
        let w = Point::new(17.5, self.west).km(Point::new(17.5, self.east));
        h * w
    }

    fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }

    /// A uniform point, `margin` (a fraction of each side) away from the edges.
    fn uniform(&self, r: &mut Rng, margin: f64) -> (f64, f64) {
        let (dl, dn) = (self.north - self.south, self.east - self.west);
        (
            r.range(self.south + margin * dl, self.north - margin * dl),
            r.range(self.west + margin * dn, self.east - margin * dn),
        )
    }
}

/// Where the capital's hub stands (Bamako): the mission's rear, next to the airport exit.
pub const CAPITAL: Point = Point {
    lat: 12.62,
    lon: -7.98,
};

/// Hubs spread over the area: the first at the capital, the others by farthest-point
/// sampling among random candidates, so that regions are of comparable size the way a
/// mission's sector headquarters are.
pub fn place_hubs(r: &mut Rng, n: usize) -> Vec<Point> {
    let mut hubs = vec![Point::new(
        CAPITAL.lat + r.range(-0.2, 0.2),
        CAPITAL.lon + r.range(-0.2, 0.2),
    )];
    let candidates: Vec<Point> = (0..(30 * n).max(30))
        .map(|_| {
            let (lat, lon) = MALI.uniform(r, 0.06);
            Point::new(lat, lon)
        })
        .collect();
    // Distance from each candidate to its nearest chosen hub, kept up to date.
    let mut near: Vec<f64> = candidates.iter().map(|c| c.flat2(hubs[0])).collect();
    while hubs.len() < n {
        let (best, _) =
            near.iter().enumerate().fold(
                (0, f64::MIN),
                |acc, (i, &d)| if d > acc.1 { (i, d) } else { acc },
            );
        let h = candidates[best];
        hubs.push(h);
        for (d, c) in near.iter_mut().zip(&candidates) {
            *d = d.min(c.flat2(h));
        }
    }
    hubs
}

/// `n` bases: most around a hub (a sector's camps lie within a few days' drive of its
/// headquarters), some anywhere; none closer than a few km to another site.
pub fn place_bases(r: &mut Rng, n: usize, hubs: &[Point]) -> Vec<Point> {
    let total = (n + hubs.len()) as f64;
    // Typical spacing of sites if spread evenly, in km; camps are not closer than a
    // quarter of it (and 3 km) to one another.
    let spacing = (MALI.km2() / total).sqrt();
    let min_sep_deg = (0.25 * spacing).max(3.0) / 111.0;
    // Spread of a sector around its hub: a third of the distance between hubs.
    let sector_deg = 0.35 * (MALI.km2() / hubs.len() as f64).sqrt() / 111.0;
    let mut placed: Vec<Point> = hubs.to_vec();
    let mut bases = Vec::with_capacity(n);
    for _ in 0..n {
        let mut p = None;
        for _ in 0..60 {
            let (lat, lon) = if r.chance(0.7) {
                let h = hubs[r.index(hubs.len())];
                (
                    h.lat + sector_deg * r.normal(),
                    h.lon + sector_deg * r.normal() / MID_LAT_COS,
                )
            } else {
                MALI.uniform(r, 0.0)
            };
            if !MALI.contains(lat, lon) {
                continue;
            }
            let q = Point::new(lat, lon);
            let sep2 = min_sep_deg * min_sep_deg;
            if placed.iter().all(|o| o.flat2(q) >= sep2) {
                p = Some(q);
                break;
            }
        }
        // A crowded area may leave no room at the requested spacing; then any distinct
        // point will do (roads are at least 1 km long whatever the distance).
        let q = p.unwrap_or_else(|| {
            loop {
                let (lat, lon) = MALI.uniform(r, 0.0);
                let q = Point::new(lat, lon);
                if placed.iter().all(|o| *o != q) {
                    break q;
                }
            }
        });
        placed.push(q);
        bases.push(q);
    }
    bases
}

/// A sea port on the coast around Mali, with its real position.
pub struct Port {
    /// Site id suffix and display name.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Position.
    pub at: Point,
}

/// The ports a force leaving Mali can use, nearest corridors first.
pub const PORTS: [Port; 6] = [
    Port {
        id: "dakar",
        name: "Port of Dakar (Senegal)",
        at: Point {
            lat: 14.68,
            lon: -17.43,
        },
    },
    Port {
        id: "abidjan",
        name: "Port of Abidjan (Cote d'Ivoire)",
        at: Point {
            lat: 5.29,
            lon: -4.01,
        },
    },
    Port {
        id: "conakry",
        name: "Port of Conakry (Guinea)",
        at: Point {
            lat: 9.51,
            lon: -13.71,
        },
    },
    Port {
        id: "tema",
        name: "Port of Tema (Ghana)",
        at: Point {
            lat: 5.63,
            lon: -0.02,
        },
    },
    Port {
        id: "lome",
        name: "Port of Lome (Togo)",
        at: Point {
            lat: 6.13,
            lon: 1.28,
        },
    },
    Port {
        id: "nouakchott",
        name: "Port of Nouakchott (Mauritania)",
        at: Point {
            lat: 18.07,
            lon: -15.97,
        },
    },
];

/// Land border crossings, placed at the first town across the border.
pub const BORDERS: [Port; 3] = [
    Port {
        id: "niamey",
        name: "Niamey (Niger), by the Labbezanga crossing",
        at: Point {
            lat: 13.51,
            lon: 2.11,
        },
    },
    Port {
        id: "ouagadougou",
        name: "Ouagadougou (Burkina Faso), by the Koloko crossing",
        at: Point {
            lat: 12.37,
            lon: -1.52,
        },
    },
    Port {
        id: "kiffa",
        name: "Kiffa (Mauritania), by the Gogui crossing",
        at: Point {
            lat: 16.62,
            lon: -11.40,
        },
    },
];
