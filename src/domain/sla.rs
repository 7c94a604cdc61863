//! Business hours: how much working time lies between two instants, in the business's own week,
//! day and holidays, in its local time; when a number of working hours from now runs out; and
//! which day a follow-up call falls on.
//!
//! The week is a set of working days (Saturday to Wednesday by default, as in Iran; Thursday can
//! be added), each with the same opening hours. Holidays are whole days off. Time that an item
//! waits on the customer is taken out of its clock.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// A day of the week, written as stored: `sat` … `fri`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Sat,
    Sun,
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
}

impl Day {
    /// The week as it is laid out in Iran: Saturday first.
    pub const ALL: [Day; 7] = [
        Day::Sat,
        Day::Sun,
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Day::Sat => "sat",
            Day::Sun => "sun",
            Day::Mon => "mon",
            Day::Tue => "tue",
            Day::Wed => "wed",
            Day::Thu => "thu",
            Day::Fri => "fri",
        }
    }

    pub fn of(date: NaiveDate) -> Day {
        match date.weekday() {
            Weekday::Sat => Day::Sat,
            Weekday::Sun => Day::Sun,
            Weekday::Mon => Day::Mon,
            Weekday::Tue => Day::Tue,
            Weekday::Wed => Day::Wed,
            Weekday::Thu => Day::Thu,
            Weekday::Fri => Day::Fri,
        }
    }
}

/// The working week Settings start with: Saturday to Wednesday.
pub fn default_days() -> BTreeSet<Day> {
    [Day::Sat, Day::Sun, Day::Mon, Day::Tue, Day::Wed].into()
}

/// Opening time Settings start with, in minutes after midnight (08:00).
pub const DEFAULT_OPENS: u16 = 8 * 60;
/// Closing time Settings start with, in minutes after midnight (16:00).
pub const DEFAULT_CLOSES: u16 = 16 * 60;

/// Reads a time of day typed as `8`, `8:30` or `08:30` (any digits) into minutes after
/// midnight; `24:00` is the end of the day.
pub fn parse_time(text: &str) -> Option<u16> {
    let text = super::digits::normalize(text);
    let (h, m) = text
        .trim()
        .split_once([':', '.', '٫'])
        .unwrap_or((text.trim(), "0"));
    let (h, m): (u16, u16) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// Minutes after midnight as `08:30`.
pub fn format_time(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// When the business works, in its local time.
#[derive(Clone, Debug, PartialEq)]
pub struct Calendar {
    pub days: BTreeSet<Day>,
    /// Minutes after midnight.
    pub opens: u16,
    pub closes: u16,
    pub holidays: BTreeSet<NaiveDate>,
    /// The business's offset from UTC.
    pub offset: FixedOffset,
}

/// Longest stretch [`Calendar::add`] searches for working time, so a calendar with no working
/// day at all cannot loop for ever.
const SEARCH_DAYS: i64 = 3_660;

impl Calendar {
    /// Whether the business works at all on this local day.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        self.days.contains(&Day::of(day))
            && !self.holidays.contains(&day)
            && self.opens < self.closes
    }

    /// The working hours of a local day as UTC instants, if it is a working day.
    fn window(&self, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working_day(day) {
            return None;
        }
        let at = |minute: u16| {
            let time = NaiveTime::from_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0)
                .unwrap_or(NaiveTime::MIN);
            day.and_time(time)
                .and_local_timezone(self.offset)
                .single()
                .map(|t| t.with_timezone(&Utc))
        };
        Some((at(self.opens)?, at(self.closes.min(24 * 60 - 1))?))
    }

    fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.offset).date_naive()
    }

    /// Working seconds in `[from, to)`; zero when `to` is not after `from`. Whole weeks in a
    /// long span are counted at once, so a year-old item costs no more than a new one.
    pub fn working_seconds(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let (first, last) = (self.local_day(from), self.local_day(to));
        if (last - first).num_days() <= 14 {
            return self.days_between(first, last, from, to);
        }
        let part = |day| self.days_between(day, day, from, to);
        let mut total = part(first) + part(last);
        // Whole days strictly between the first and the last.
        let (start, end) = (first + Duration::days(1), last - Duration::days(1));
        let n = (end - start).num_days() + 1;
        let day_length = i64::from(self.closes.min(24 * 60 - 1).saturating_sub(self.opens)) * 60;
        let per_week = self.days.len() as i64;
        total += n / 7 * per_week * day_length;
        let tail = start + Duration::days(n / 7 * 7);
        total += (0..n % 7)
            .filter(|k| self.days.contains(&Day::of(tail + Duration::days(*k))))
            .count() as i64
            * day_length;
        let holidays = self
            .holidays
            .range(start..=end)
            .filter(|h| self.days.contains(&Day::of(**h)))
            .count() as i64;
        total - holidays * day_length
    }

    /// Working seconds in `[from, to)` on the local days `first..=last`, a day at a time.
    fn days_between(
        &self,
        first: NaiveDate,
        last: NaiveDate,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> i64 {
        let mut total = 0;
        let mut day = first;
        while day <= last {
            if let Some((open, close)) = self.window(day) {
                let (a, b) = (open.max(from), close.min(to));
                if b > a {
                    total += (b - a).num_seconds();
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        total
    }

    /// Working seconds in `[from, to)` outside the given pauses (which may overlap it or not).
    pub fn elapsed(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        pauses: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> i64 {
        let paused: i64 = merge(pauses)
            .into_iter()
            .map(|(a, b)| self.working_seconds(a.max(from), b.min(to)))
            .sum();
        (self.working_seconds(from, to) - paused).max(0)
    }

    /// The instant at which `seconds` of working time after `from` have passed; `None` when the
    /// calendar has no working time within ten years.
    pub fn add(&self, from: DateTime<Utc>, seconds: i64) -> Option<DateTime<Utc>> {
        let mut left = seconds.max(0);
        let mut day = self.local_day(from);
        for _ in 0..SEARCH_DAYS {
            if let Some((open, close)) = self.window(day) {
                let start = open.max(from);
                if close > start {
                    let here = (close - start).num_seconds();
                    // A deadline that lands exactly on closing time is that closing time.
                    if left <= here {
                        return Some(start + Duration::seconds(left));
                    }
                    left -= here;
                }
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// The day a follow-up call falls on: `days` calendar days after `resolved` (local), moved
    /// on to the next working day if it is not one.
    pub fn follow_up_day(&self, resolved: DateTime<Utc>, days: u32) -> NaiveDate {
        let target = self.local_day(resolved) + Duration::days(i64::from(days));
        (0..SEARCH_DAYS)
            .map(|k| target + Duration::days(k))
            .find(|d| self.is_working_day(*d))
            .unwrap_or(target)
    }
}

/// Sorted, non-overlapping pauses.
fn merge(pauses: &[(DateTime<Utc>, DateTime<Utc>)]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut sorted: Vec<_> = pauses.iter().filter(|(a, b)| b > a).copied().collect();
    sorted.sort();
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (a, b) in sorted {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// A business in Tehran, for the tests of everything that counts working time.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// Tehran's offset from UTC, in seconds.
    pub const TEHRAN: i32 = 3 * 3600 + 1800;

    /// Tehran time, Saturday–Wednesday 08:00–16:00, no holidays.
    pub fn tehran_week() -> Calendar {
        Calendar {
            days: default_days(),
            opens: DEFAULT_OPENS,
            closes: DEFAULT_CLOSES,
            holidays: BTreeSet::new(),
            offset: FixedOffset::east_opt(TEHRAN).unwrap(),
        }
    }

    /// A Tehran wall-clock time (`2026-11-21 09:00`) as a UTC instant.
    pub fn at(s: &str) -> DateTime<Utc> {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_local_timezone(FixedOffset::east_opt(TEHRAN).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{at, tehran_week};
    use super::*;

    /// Tehran time, Saturday–Wednesday 08:00–16:00, with 1405/01/01 (2026-03-21) a holiday.
    fn tehran() -> Calendar {
        Calendar {
            holidays: [NaiveDate::from_ymd_opt(2026, 3, 21).unwrap()].into(),
            ..tehran_week()
        }
    }

    #[test]
    fn working_hours_between_two_instants() {
        // 2026-11-21 is a Saturday; 2026-11-26 a Thursday, 2026-11-27 a Friday.
        let cases: [(&str, &str, &str, i64); 11] = [
            (
                "within one morning",
                "2026-11-21 09:00",
                "2026-11-21 11:30",
                150,
            ),
            (
                "before opening counts nothing",
                "2026-11-21 06:00",
                "2026-11-21 08:00",
                0,
            ),
            (
                "after closing counts nothing",
                "2026-11-21 16:00",
                "2026-11-21 23:00",
                0,
            ),
            (
                "across a night",
                "2026-11-21 15:00",
                "2026-11-22 09:00",
                120,
            ),
            (
                "a whole working day",
                "2026-11-21 00:00",
                "2026-11-22 00:00",
                480,
            ),
            (
                "Wednesday afternoon to Saturday morning skips the weekend",
                "2026-11-25 15:00",
                "2026-11-28 09:00",
                120,
            ),
            (
                "logged on a Friday, nothing until Saturday",
                "2026-11-27 10:00",
                "2026-11-28 08:00",
                0,
            ),
            (
                "a whole week is five days",
                "2026-11-21 00:00",
                "2026-11-28 00:00",
                5 * 480,
            ),
            (
                "the holiday does not count",
                "2026-03-21 09:00",
                "2026-03-21 15:00",
                0,
            ),
            (
                "around the holiday",
                "2026-03-18 15:00",
                "2026-03-22 09:00",
                120,
            ),
            (
                "backwards is nothing",
                "2026-11-22 09:00",
                "2026-11-21 09:00",
                0,
            ),
        ];
        let cal = tehran();
        for (name, from, to, minutes) in cases {
            assert_eq!(
                cal.working_seconds(at(from), at(to)),
                minutes * 60,
                "{name}"
            );
        }
    }

    #[test]
    fn long_spans_counted_by_the_week_match_counting_day_by_day() {
        let mut cal = tehran();
        cal.days.insert(Day::Thu);
        cal.holidays.extend(
            ["2026-04-01", "2026-04-02", "2026-06-05", "2027-01-01"]
                .map(|d| d.parse::<NaiveDate>().unwrap()),
        );
        let start = at("2026-03-01 10:17");
        for days in [15, 16, 20, 21, 22, 45, 100, 200, 365, 400] {
            for minutes in [0, 95, 500, 1000] {
                let end = start + Duration::days(days) + Duration::minutes(minutes);
                let (first, last) = (cal.local_day(start), cal.local_day(end));
                assert_eq!(
                    cal.working_seconds(start, end),
                    cal.days_between(first, last, start, end),
                    "{days} days {minutes} min"
                );
            }
        }
    }

    #[test]
    fn day_boundaries_follow_local_time_not_utc() {
        // 08:00 Tehran is 04:30 UTC: an item logged at 03:00 UTC on Saturday is before opening.
        let cal = tehran();
        let logged = DateTime::parse_from_rfc3339("2026-11-21T03:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let nine = at("2026-11-21 09:00");
        assert_eq!(cal.working_seconds(logged, nine), 3600);
        // Read in UTC, both instants fall before 08:00 and nothing would count.
        let utc = Calendar {
            offset: FixedOffset::east_opt(0).unwrap(),
            ..tehran()
        };
        assert_eq!(utc.working_seconds(logged, nine), 0);
    }

    #[test]
    fn waiting_on_the_customer_pauses_the_clock() {
        let cal = tehran();
        let from = at("2026-11-21 09:00");
        let to = at("2026-11-22 12:00");
        // Waiting from 10:00 to the next morning 09:00 (six working hours), plus an overlapping
        // pause that adds 09:00–10:00 on Sunday.
        let pauses = [
            (at("2026-11-21 10:00"), at("2026-11-22 09:00")),
            (at("2026-11-22 08:30"), at("2026-11-22 10:00")),
        ];
        // 3 + 8 - ... : working time 7 h + 4 h = 11 h; paused 6 h + 2 h = 8 h.
        assert_eq!(cal.elapsed(from, to, &pauses), 3 * 3600);
        assert_eq!(cal.elapsed(from, to, &[]), 11 * 3600);
        // A pause still running ends where the clock is read.
        assert_eq!(
            cal.elapsed(
                from,
                to,
                &[(at("2026-11-21 10:00"), at("2027-01-01 00:00"))]
            ),
            3600
        );
    }

    #[test]
    fn a_target_in_working_hours_runs_out_on_a_working_day() {
        let cal = tehran();
        let cases = [
            ("2026-11-21 09:00", 4, "2026-11-21 13:00"),
            ("2026-11-21 09:00", 7, "2026-11-21 16:00"),
            ("2026-11-21 09:00", 8, "2026-11-22 09:00"),
            // Wednesday afternoon: Thursday and Friday are off.
            ("2026-11-25 14:00", 24, "2026-11-30 14:00"),
            // Logged on a Friday night: the clock starts Saturday morning.
            ("2026-11-27 22:00", 1, "2026-11-28 09:00"),
        ];
        for (from, hours, due) in cases {
            assert_eq!(
                cal.add(at(from), hours * 3600),
                Some(at(due)),
                "{from} + {hours} h"
            );
        }
        let closed = Calendar {
            days: BTreeSet::new(),
            ..tehran()
        };
        assert_eq!(closed.add(at("2026-11-21 09:00"), 3600), None);
    }

    #[test]
    fn times_of_day_read_in_any_digits() {
        assert_eq!(parse_time("8"), Some(480));
        assert_eq!(parse_time("08:30"), Some(510));
        assert_eq!(parse_time("۱۶:۳۰"), Some(990));
        assert_eq!(parse_time("24:00"), Some(1440));
        assert_eq!(parse_time("24:30"), None);
        assert_eq!(parse_time("9:75"), None);
        assert_eq!(parse_time("noon"), None);
        assert_eq!(format_time(510), "08:30");
    }

    #[test]
    fn thursday_can_be_a_working_day() {
        let mut cal = tehran();
        cal.days.insert(Day::Thu);
        assert_eq!(
            cal.working_seconds(at("2026-11-25 15:00"), at("2026-11-28 09:00")),
            (60 + 480 + 60) * 60
        );
    }

    #[test]
    fn follow_up_calls_fall_on_working_days() {
        let cal = tehran();
        // Resolved Sunday, three days later is Wednesday.
        assert_eq!(
            cal.follow_up_day(at("2026-11-22 12:00"), 3),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        // Resolved Tuesday: Friday is off, so Saturday.
        assert_eq!(
            cal.follow_up_day(at("2026-11-24 12:00"), 3),
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
        );
        // Resolved at 01:00 on Saturday in Tehran, still Friday in UTC: the day after is Sunday.
        assert_eq!(
            cal.follow_up_day(at("2026-11-28 01:00"), 1),
            NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
        );
        // The holiday is skipped too.
        assert_eq!(
            cal.follow_up_day(at("2026-03-18 12:00"), 3),
            NaiveDate::from_ymd_opt(2026, 3, 22).unwrap()
        );
    }
}
