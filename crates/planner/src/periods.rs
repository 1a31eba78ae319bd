//! The periods of the bound's LP: consecutive runs of plan periods, of equal length or
//! cut at the dates that matter.
//!
//! A movement departing in plan period `d` with a travel time of `L` periods arrives in
//! `d + L`. The LP puts every departure of LP period `p` at its first plan period, so it
//! lands in the LP period that contains `start(p) + L`: never later than the plan's own
//! arrival, which keeps the LP a relaxation whatever the lengths of the periods.
//! Capacities per LP period are the sums over its plan periods.
//!
//! Aligned periods ([`Periods::aligned`]) start on every date where a rule changes (a
//! site's `not_before` and deadline, a fleet's or aircraft type's availability, a
//! restriction or road closure), so that those rules bind in the LP exactly as in a plan
//! rather than somewhere inside a long period; long runs between them are cut evenly.

use model::*;

/// LP periods as the plan periods where each starts, with the horizon's end last.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Periods {
    starts: Vec<u32>,
}

impl Periods {
    /// Periods of `k` plan periods each (the last may be shorter) over `fine` plan periods.
    pub(crate) fn uniform(fine: u32, k: u32) -> Self {
        let k = k.max(1);
        let mut starts: Vec<u32> = (0..fine.div_ceil(k)).map(|p| p * k).collect();
        starts.push(fine);
        Periods { starts }
    }

    /// Periods that start on every date where a rule of `s` changes, with no period longer
    /// than `max_len` plan periods, nor than `len` inside the window `from..until` of
    /// `fine_window = (from, until, len)`.
    /// Deadlines count `late` plan periods later (the hard-deadline LP of plans that
    /// close every site at most that late, [`crate::bound::Hard`]).
    pub(crate) fn aligned(
        s: &Scenario,
        max_len: u32,
        fine_window: Option<(u32, u32, u32)>,
        late: u32,
    ) -> Self {
        let fine = s.horizon.periods;
        let mut cuts = vec![0, fine];
        for site in &s.sites {
            cuts.push(site.not_before.0);
            if let Some(d) = site.close_by {
                // The deadline's day is a period of its own: a site that must hold
                // nothing at the end of its deadline may still send stock on that day, but
                // not on the days after it, which a longer period would let it.
                let d = d.0.saturating_add(late);
                cuts.extend([d, d.saturating_add(1)]);
            }
        }
        let window = |w: &Window| [w.from.0, w.until.0.saturating_add(1)];
        for f in &s.fleets {
            cuts.extend(window(&f.available));
        }
        for a in &s.aircraft {
            cuts.extend(window(&a.available));
        }
        for r in &s.restrictions {
            cuts.extend(window(&r.window));
        }
        for r in &s.roads {
            for w in &r.closed {
                cuts.extend(window(w));
            }
        }
        cuts.retain(|&c| c <= fine);
        cuts.sort_unstable();
        cuts.dedup();
        let max_len = max_len.max(1);
        let mut starts = Vec::new();
        if let Some((from, until, _)) = fine_window {
            cuts.extend([from.min(fine), until.min(fine)]);
            cuts.sort_unstable();
            cuts.dedup();
        }
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let max_len = match fine_window {
                Some((from, until, len)) if a >= from && b <= until => len.max(1),
                _ => max_len,
            };
            let n = (b - a).div_ceil(max_len);
            // Cut the run evenly into n periods.
            starts.extend((0..n).map(|j| a + (b - a) * j / n));
        }
        starts.push(fine);
        Periods { starts }
    }

    /// Periods cut only where the deadlines bind, at most `most` of them (at least 2):
    /// each deadline's day, `late` plan periods later, is the last of its period, and a
    /// period of its own when `most` allows; beyond, deadlines that fall close together
    /// share a period that ends after the last of them. The coarsest periods on which the
    /// hard-deadline LP keeps a slack of 0 ([`Periods::aligned`] has the same cuts and
    /// more): a site whose deadline falls earlier in a shared period may hold stock to its
    /// end in the LP, which only weakens it.
    pub(crate) fn deadlines(s: &Scenario, late: u32, most: u32) -> Self {
        let fine = s.horizon.periods;
        // The day after each deadline: where a period must end.
        let mut ends: Vec<u32> = s
            .sites
            .iter()
            .filter_map(|x| x.close_by)
            .map(|d| d.0.saturating_add(late).saturating_add(1))
            .filter(|&e| e < fine)
            .collect();
        ends.sort_unstable();
        ends.dedup();
        let most = most.max(2) as usize;
        // Periods: 1 + ends, and one more per deadline's day of its own.
        if 2 * ends.len() < most {
            let mut starts: Vec<u32> = ends.iter().flat_map(|&e| [e - 1, e]).collect();
            starts.push(0);
            starts.sort_unstable();
            starts.dedup();
            starts.push(fine);
            return Periods { starts };
        }
        // Merge the two closest ends, keeping the later, until they fit.
        while 1 + ends.len() > most {
            let k = (1..ends.len())
                .min_by_key(|&k| (ends[k] - ends[k - 1], k))
                .expect("two ends or more");
            ends.remove(k - 1);
        }
        let mut starts = vec![0];
        starts.extend(ends.iter().copied().filter(|&e| e > 0));
        starts.push(fine);
        Periods { starts }
    }

    /// The same periods with every plan period of `days` a period of its own.
    pub(crate) fn refined(&self, days: std::ops::Range<u32>) -> Self {
        let fine = *self.starts.last().expect("the horizon's end");
        let mut starts = self.starts.clone();
        starts.extend(days.start.min(fine)..days.end.saturating_add(1).min(fine));
        starts.sort_unstable();
        starts.dedup();
        Periods { starts }
    }

    /// Number of LP periods.
    pub(crate) fn count(&self) -> u32 {
        (self.starts.len() - 1) as u32
    }

    /// First plan period of LP period `p`.
    pub(crate) fn start(&self, p: u32) -> u32 {
        self.starts[p as usize]
    }

    /// The plan period after the last of LP period `p`.
    pub(crate) fn end(&self, p: u32) -> u32 {
        self.starts[p as usize + 1]
    }

    /// The plan periods of LP period `p`.
    pub(crate) fn days(&self, p: u32) -> impl Iterator<Item = Period> + Clone + use<> {
        (self.start(p)..self.end(p)).map(Period)
    }

    /// How many plan periods LP period `p` has.
    pub(crate) fn ndays(&self, p: u32) -> f64 {
        f64::from(self.end(p) - self.start(p))
    }

    /// The LP period that contains plan period `d` (`count()` past the horizon).
    pub(crate) fn of(&self, d: u32) -> u32 {
        if d >= self.end(self.count() - 1) {
            self.count()
        } else {
            self.starts.partition_point(|&x| x <= d) as u32 - 1
        }
    }

    /// Where a movement of `travel` plan periods departing in LP period `p` lands.
    pub(crate) fn land(&self, p: u32, travel: u32) -> u32 {
        self.of(self.start(p) + travel)
    }

    /// Whether every LP period is one plan period.
    pub(crate) fn unit(&self) -> bool {
        self.starts.windows(2).all(|w| w[1] - w[0] == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_periods_cover_the_horizon() {
        let p = Periods::uniform(10, 4);
        assert_eq!(p.count(), 3);
        assert_eq!((p.start(2), p.end(2)), (8, 10));
        assert_eq!(
            (p.of(0), p.of(3), p.of(4), p.of(9), p.of(10)),
            (0, 0, 1, 2, 3)
        );
        assert_eq!(p.land(0, 5), 1);
        assert_eq!(p.land(1, 6), 3);
        assert!(Periods::uniform(5, 1).unit());
        assert!(!p.unit());
    }

    #[test]
    fn aligned_periods_start_on_the_dates_and_stay_short_in_the_window() {
        let text = r#"
[scenario]
name = "dates"
[horizon]
start = 2023-07-01
end = 2023-08-31
[[contingent]]
id = "troops"
[[site]]
id = "camp"
kind = "base"
lat = 14.5
lon = -4.1
personnel = { troops = 10 }
vehicles = 5
not_before = 2023-07-04
close_by = 2023-07-20
[[site]]
id = "port"
kind = "exit"
lat = 13.5
lon = -4.1
exit = { accepts = ["personnel", "vehicles"] }
[[road]]
from = "camp"
to = "port"
km = 150
"#;
        let s = scenario::load_str("dates.toml", text).unwrap().scenario;
        let p = Periods::aligned(&s, 7, Some((30, 40, 2)), 0);
        let starts: Vec<u32> = (0..p.count()).map(|t| p.start(t)).collect();
        // not_before (day 3) and the deadline (day 19) start periods, and the deadline's
        // day is a period of its own.
        assert!(starts.contains(&3) && starts.contains(&19), "{starts:?}");
        assert_eq!(p.end(p.of(19)), 20, "{starts:?}");
        let late = Periods::aligned(&s, 7, Some((30, 40, 2)), 4);
        assert_eq!((late.start(late.of(23)), late.end(late.of(23))), (23, 24));
        for t in 0..p.count() {
            let len = p.end(t) - p.start(t);
            let limit = if p.start(t) >= 30 && p.end(t) <= 40 {
                2
            } else {
                7
            };
            assert!(len >= 1 && len <= limit, "{starts:?}");
            assert_eq!(p.of(p.start(t)), t);
            assert_eq!(p.of(p.end(t) - 1), t);
        }
        assert_eq!(p.end(p.count() - 1), s.horizon.periods);
    }

    /// Four camps with deadlines on days 9, 11, 19 and 40 (the horizon is 62 days): each
    /// deadline's day a period of its own when the budget allows (9 periods), else the
    /// deadlines closest together share a period that ends after the later one, so that
    /// the days 11 and 40 always end a period.
    #[test]
    fn deadline_periods_end_after_the_deadlines_and_merge_the_closest() {
        let mut text = String::from(
            "[scenario]\nname = \"deadlines\"\n[horizon]\nstart = 2023-07-01\n\
             end = 2023-08-31\n[[contingent]]\nid = \"troops\"\n",
        );
        for (i, date) in ["2023-07-10", "2023-07-12", "2023-07-20", "2023-08-10"]
            .iter()
            .enumerate()
        {
            text += &format!(
                "[[site]]\nid = \"camp{i}\"\nkind = \"base\"\nlat = 14.5\nlon = -4.1\n\
                 vehicles = 5\nclose_by = {date}\n"
            );
        }
        text += "[[site]]\nid = \"port\"\nkind = \"exit\"\nlat = 13.5\nlon = -4.1\n\
                 exit = { accepts = [\"vehicles\"] }\n";
        for i in 0..4 {
            text += &format!("[[road]]\nfrom = \"camp{i}\"\nto = \"port\"\nkm = 150\n");
        }
        let s = scenario::load_str("deadlines.toml", &text)
            .unwrap()
            .scenario;
        let starts = |p: &Periods| (0..p.count()).map(|t| p.start(t)).collect::<Vec<_>>();
        let own = Periods::deadlines(&s, 0, 9);
        assert_eq!(starts(&own), [0, 9, 10, 11, 12, 19, 20, 40, 41]);
        assert_eq!(own.end(own.count() - 1), s.horizon.periods);
        // Plans two days late: every cut two days later.
        let late = Periods::deadlines(&s, 2, 9);
        assert_eq!(starts(&late), [0, 11, 12, 13, 14, 21, 22, 42, 43]);
        // Five periods: the four ends, one per deadline.
        assert_eq!(starts(&Periods::deadlines(&s, 0, 5)), [0, 10, 12, 20, 41]);
        // Four: days 9 and 11 share the period that ends after day 11.
        assert_eq!(starts(&Periods::deadlines(&s, 0, 4)), [0, 12, 20, 41]);
        // Two at least: the horizon cut after the last deadline.
        assert_eq!(starts(&Periods::deadlines(&s, 0, 0)), [0, 41]);
    }
}
