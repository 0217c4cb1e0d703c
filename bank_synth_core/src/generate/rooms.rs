//! Grouped date sequences placed in their room ([`SequenceRoom`]): each parent holds at
//! most as many children as fit between its start (its date plus the gap, not before
//! the column's lower end) and the column's upper end, and its sequence starts where
//! all of its children fit.

use super::layout::Groups;
use crate::model::SequenceRoom;
use crate::rng::Streams;
use crate::stats::Quantiles;
use crate::value::{add_months, date_from_days, on_day_of_month};
use chrono::Datelike;
use rand::RngExt;

/// A grouped date sequence's room under every parent of a run.
#[derive(Debug, Clone)]
pub(super) struct Room {
    /// Per parent, the first value its sequence may take (empty: `lower` for all).
    firsts: Vec<f64>,
    /// The first value without a parent date.
    lower: f64,
    upper: f64,
    step: f64,
    /// The step is in calendar months, on this day of the month.
    month_day: Option<u32>,
}

impl Room {
    /// The room of a sequence of `step` (months on `month_day` when given), given each
    /// parent's `after` date in days (`None` without one).
    pub(super) fn new(
        room: &SequenceRoom,
        step: f64,
        month_day: Option<u32>,
        parent_dates: impl Iterator<Item = Option<f64>>,
    ) -> Room {
        let mut this = Room {
            firsts: Vec::new(),
            lower: room.lower,
            upper: room.upper,
            step,
            month_day,
        };
        this.lower = this.on_step(room.lower);
        // The last value on the calendar at or before the upper end.
        if let Some(day) = month_day {
            this.upper = f64::from(on_day_of_month(room.upper.floor() as i32, day, false));
        }
        if room.after.is_some() {
            this.firsts = parent_dates
                .map(|d| match d {
                    Some(d) => this.on_step((d + room.min_gap).ceil().max(room.lower)),
                    None => this.lower,
                })
                .collect();
        }
        this
    }

    /// The first value on the sequence's calendar at or after `x`.
    fn on_step(&self, x: f64) -> f64 {
        let Some(day) = self.month_day else {
            return x;
        };
        f64::from(on_day_of_month(x.ceil() as i32, day, true))
    }

    fn first(&self, parent: u64) -> f64 {
        self.firsts
            .get(parent as usize)
            .copied()
            .unwrap_or(self.lower)
    }

    /// How many children parent `parent`'s room holds.
    pub(super) fn capacity(&self, parent: u64) -> u64 {
        let first = self.first(parent);
        if first > self.upper {
            return 0;
        }
        let steps = match self.month_day {
            Some(_) => f64::from(month_index(self.upper) - month_index(first)) / self.step,
            None => (self.upper - first) / self.step,
        };
        steps.floor() as u64 + 1
    }

    /// Each parent's first value under `groups`, at the position its stream in
    /// `streams` draws from the `starts` distribution ([`Room::start`]).
    pub(super) fn starts(
        &self,
        starts: &Quantiles,
        groups: &Groups<'_>,
        streams: &Streams,
    ) -> Vec<f64> {
        (0..groups.parents())
            .map(|p| self.start(starts, p, groups.children_of(p), streams.at(p).random()))
            .collect()
    }

    /// The first value of parent `parent`'s `children` children, at position `u` of the
    /// `starts` distribution as far as the room allows. When the children outnumber the
    /// room, the sequence starts at the room's start: the order with the parent holds,
    /// the upper end gives way.
    fn start(&self, starts: &Quantiles, parent: u64, children: u64, u: f64) -> f64 {
        let low = self.first(parent);
        let span = children.saturating_sub(1) as f64 * self.step;
        let high = match self.month_day {
            Some(_) => f64::from(add_months(self.upper as i32, -(span as i32))),
            None => self.upper - span,
        };
        if high <= low {
            return low;
        }
        let (a, b) = (starts.cdf(low), starts.cdf(high));
        let x = starts.sample(a + u * (b - a)).clamp(low, high);
        match self.month_day {
            // On the calendar, and still within the room: `high` is on it.
            Some(_) => self.on_step(x).min(high),
            None => x,
        }
    }
}

/// Months since year 0 of a date in days.
fn month_index(days: f64) -> i32 {
    let d = date_from_days(days as i32);
    d.year() * 12 + d.month0() as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::parse_date;

    fn day(text: &str) -> f64 {
        f64::from(parse_date(text).unwrap())
    }

    fn monthly() -> (SequenceRoom, Quantiles) {
        let room = SequenceRoom {
            after: Some("OPEN_DATE".into()),
            min_gap: 1.0,
            lower: day("2024-07-01"),
            upper: day("2024-12-01"),
        };
        let starts =
            Quantiles::fit(&[day("2024-07-01"), day("2024-09-01"), day("2024-12-01")]).unwrap();
        (room, starts)
    }

    #[test]
    fn a_parent_holds_the_months_between_its_date_and_the_upper_end() {
        let (room, _) = monthly();
        let opened = [
            Some(day("2010-03-05")),
            Some(day("2024-10-15")),
            Some(day("2024-11-30")),
            Some(day("2025-02-01")),
            None,
        ];
        let r = Room::new(&room, 1.0, Some(1), opened.into_iter());
        let capacities: Vec<u64> = (0..5).map(|p| r.capacity(p)).collect();
        // 2010: July..December; Oct 15 (+1 day): November, December; Nov 30 (+1 day):
        // December; after the upper end: none; no date: the whole range.
        assert_eq!(capacities, [6, 2, 1, 0, 6]);
    }

    #[test]
    fn month_ends_stay_on_the_calendar() {
        // Statements on the 31st (the month's last day in shorter months), the extract
        // ending mid-March: the last on-calendar value is February's last day.
        let room = SequenceRoom {
            after: None,
            min_gap: 0.0,
            lower: day("2024-01-31"),
            upper: day("2024-03-15"),
        };
        let r = Room::new(&room, 1.0, Some(31), std::iter::empty());
        assert_eq!(r.upper, day("2024-02-29"));
        assert_eq!(r.on_step(day("2024-02-01")), day("2024-02-29"));
        assert_eq!(r.on_step(day("2024-03-01")), day("2024-03-31"));
        assert_eq!(r.capacity(0), 2);
    }

    #[test]
    fn a_sequence_starts_where_all_its_children_fit() {
        let (room, starts) = monthly();
        let opened = [Some(day("2010-03-05")), Some(day("2024-10-15"))];
        let r = Room::new(&room, 1.0, Some(1), opened.into_iter());
        for u in [0.0, 0.3, 0.7, 0.999] {
            // Three children from 2010: start July to October.
            let s = r.start(&starts, 0, 3, u);
            assert!(s >= day("2024-07-01") && s <= day("2024-10-01"), "{s}");
            assert_eq!(date_from_days(s as i32).day(), 1);
            // Two from October 15: November exactly.
            assert_eq!(r.start(&starts, 1, 2, u), day("2024-11-01"));
            // More than the room holds: the start holds, the upper end gives way.
            assert_eq!(r.start(&starts, 1, 4, u), day("2024-11-01"));
        }
    }
}
