//! Discrete time: periods of whole days counted from the horizon start.

use jiff::civil::Date;
use jiff::{Span, ToSpan};

/// A period index counted from the horizon start (period 0 starts on the start date).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Period(pub u32);

impl Period {
    /// The index as a `usize`, for vector indexing.
    pub fn idx(self) -> usize {
        self.0 as usize
    }

    /// This period moved `n` periods later.
    #[must_use]
    pub fn plus(self, n: u32) -> Period {
        Period(self.0 + n)
    }
}

/// An inclusive window of periods `[from, until]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First period of the window.
    pub from: Period,
    /// Last period of the window (inclusive).
    pub until: Period,
}

impl Window {
    /// Whether `p` lies inside the window.
    pub fn contains(&self, p: Period) -> bool {
        self.from <= p && p <= self.until
    }

    /// Whether the half-open period range `[a, b)` meets the window.
    pub fn overlaps(&self, a: Period, b: Period) -> bool {
        a <= self.until && self.from < b
    }
}

/// The planning horizon: calendar start, period length and number of periods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Horizon {
    /// Date of the first day of period 0.
    pub start: Date,
    /// Length of one period in days (at least 1).
    pub period_days: u32,
    /// Number of periods; the last usable period is `periods - 1`.
    pub periods: u32,
}

impl Horizon {
    /// A horizon of `periods` periods of `period_days` days starting on `start`.
    pub fn new(start: Date, period_days: u32, periods: u32) -> Self {
        assert!(period_days >= 1, "a period lasts at least one day");
        Horizon {
            start,
            period_days,
            periods,
        }
    }

    /// The first day of period `p`.
    pub fn date(&self, p: Period) -> Date {
        let days = i64::from(p.0) * i64::from(self.period_days);
        self.start
            .checked_add(days.days())
            .expect("horizon dates stay inside the calendar")
    }

    /// The period containing `d`, or `None` when `d` is before the start or after the end.
    pub fn period_of(&self, d: Date) -> Option<Period> {
        let span: Span = self.start.until(d).ok()?;
        let days = span.get_days();
        if days < 0 {
            return None;
        }
        let p = u32::try_from(days).ok()? / self.period_days;
        (p < self.periods).then_some(Period(p))
    }

    /// The last period of the horizon.
    pub fn last(&self) -> Period {
        Period(self.periods.saturating_sub(1))
    }

    /// Hours in one period, for converting flight and road times.
    pub fn period_hours(&self) -> f64 {
        24.0 * f64::from(self.period_days)
    }

    /// Whole periods needed to cover `days` days of travel, at least one.
    pub fn periods_for_days(&self, days: f64) -> u32 {
        let p = (days / f64::from(self.period_days) - 1e-9).ceil();
        // Truncation is intended: travel times are small positive numbers.
        (p.max(1.0)) as u32
    }
}
