//! Reporting periods in the user's calendar: weeks, months and quarters, Gregorian (weeks from
//! Monday) in English and Jalali (weeks from Saturday, quarters as the seasons) in Persian.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::jalali::JalaliDate;

/// How long one period of a trend is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Span {
    Week,
    Month,
    Quarter,
}

/// Which calendar periods follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Calendar {
    Gregorian,
    Jalali,
}

/// The first day of the period that holds `day`. Days a calendar cannot express (outside the
/// Jalali converter's range) fall back to the Gregorian period.
pub fn start_of(day: NaiveDate, span: Span, calendar: Calendar) -> NaiveDate {
    match (span, calendar) {
        (Span::Week, Calendar::Gregorian) => {
            day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
        }
        (Span::Week, Calendar::Jalali) => {
            let from_saturday = (day.weekday().num_days_from_monday() + 7
                - Weekday::Sat.num_days_from_monday())
                % 7;
            day - Duration::days(i64::from(from_saturday))
        }
        (Span::Month | Span::Quarter, Calendar::Gregorian) => {
            let month = match span {
                Span::Quarter => (day.month() - 1) / 3 * 3 + 1,
                _ => day.month(),
            };
            NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
        }
        (Span::Month | Span::Quarter, Calendar::Jalali) => JalaliDate::from_gregorian(day)
            .and_then(|j| {
                let month = match span {
                    Span::Quarter => (j.month - 1) / 3 * 3 + 1,
                    _ => j.month,
                };
                JalaliDate::new(j.year, month, 1)?.to_gregorian()
            })
            .unwrap_or_else(|| start_of(day, span, Calendar::Gregorian)),
    }
}

/// The first day of the period after the one starting on `start`.
pub fn next(start: NaiveDate, span: Span, calendar: Calendar) -> NaiveDate {
    let probe = match span {
        Span::Week => return start + Duration::days(7),
        // A month is at most 31 days and a quarter at most 93: land inside the next period.
        Span::Month => start + Duration::days(32),
        Span::Quarter => start + Duration::days(94),
    };
    start_of(probe, span, calendar)
}

/// Every period from the one holding `from` to the one holding `to`, as first days. At most
/// `limit` of them, the latest kept, so a long range cannot make an endless chart.
pub fn periods(
    from: NaiveDate,
    to: NaiveDate,
    span: Span,
    calendar: Calendar,
    limit: usize,
) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut at = start_of(from, span, calendar);
    let last = start_of(to, span, calendar);
    while at <= last {
        out.push(at);
        at = next(at, span, calendar);
    }
    if out.len() > limit {
        out.drain(..out.len() - limit);
    }
    out
}

/// The weeks of the month that holds `day`, as a date picker shows them: seven days a row from
/// the calendar's first weekday, `None` for the days of the months before and after.
pub fn month_grid(day: NaiveDate, calendar: Calendar) -> Vec<[Option<NaiveDate>; 7]> {
    let first = start_of(day, Span::Month, calendar);
    let after = next(first, Span::Month, calendar);
    let mut weeks = Vec::new();
    let mut start = start_of(first, Span::Week, calendar);
    while start < after {
        let mut week = [None; 7];
        for (i, slot) in week.iter_mut().enumerate() {
            let d = start + Duration::days(i as i64);
            *slot = (d >= first && d < after).then_some(d);
        }
        weeks.push(week);
        start += Duration::days(7);
    }
    weeks
}

/// The same day of the month `months` months away (back when negative), or the month's last
/// day when it is shorter, as Page Up and Page Down move in a date picker.
pub fn shift_month(day: NaiveDate, months: i32, calendar: Calendar) -> NaiveDate {
    let first = start_of(day, Span::Month, calendar);
    let index = (day - first).num_days();
    let mut target = first;
    for _ in 0..months.unsigned_abs() {
        target = if months > 0 {
            next(target, Span::Month, calendar)
        } else {
            start_of(target - Duration::days(1), Span::Month, calendar)
        };
    }
    let last = next(target, Span::Month, calendar) - Duration::days(1);
    (target + Duration::days(index)).min(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_start_on_monday_in_gregorian_and_saturday_in_jalali() {
        // 2026-11-24 is a Tuesday.
        assert_eq!(
            start_of(d("2026-11-24"), Span::Week, Calendar::Gregorian),
            d("2026-11-23")
        );
        assert_eq!(
            start_of(d("2026-11-24"), Span::Week, Calendar::Jalali),
            d("2026-11-21")
        );
        // A Saturday starts its own Jalali week; a Friday ends it.
        assert_eq!(
            start_of(d("2026-11-21"), Span::Week, Calendar::Jalali),
            d("2026-11-21")
        );
        assert_eq!(
            start_of(d("2026-11-27"), Span::Week, Calendar::Jalali),
            d("2026-11-21")
        );
        assert_eq!(
            start_of(d("2026-11-23"), Span::Week, Calendar::Gregorian),
            d("2026-11-23")
        );
    }

    #[test]
    fn months_and_quarters_follow_the_calendar() {
        // 1405/09/03 is 2026-11-24; Azar 1 is 2026-11-22; the autumn quarter starts Mehr 1.
        assert_eq!(
            start_of(d("2026-11-24"), Span::Month, Calendar::Jalali),
            d("2026-11-22")
        );
        assert_eq!(
            start_of(d("2026-11-24"), Span::Quarter, Calendar::Jalali),
            d("2026-09-23")
        );
        assert_eq!(
            start_of(d("2026-11-24"), Span::Month, Calendar::Gregorian),
            d("2026-11-01")
        );
        assert_eq!(
            start_of(d("2026-11-24"), Span::Quarter, Calendar::Gregorian),
            d("2026-10-01")
        );
    }

    #[test]
    fn periods_cross_the_jalali_new_year() {
        // Esfand 1404 to Farvardin 1405: the new year is 2026-03-21.
        let months = periods(
            d("2026-03-01"),
            d("2026-04-25"),
            Span::Month,
            Calendar::Jalali,
            100,
        );
        assert_eq!(months, [d("2026-02-20"), d("2026-03-21"), d("2026-04-21")]);
        let quarters = periods(
            d("2026-01-01"),
            d("2026-04-01"),
            Span::Quarter,
            Calendar::Jalali,
            100,
        );
        assert_eq!(quarters, [d("2025-12-22"), d("2026-03-21")]);
        let weeks = periods(
            d("2026-03-18"),
            d("2026-03-31"),
            Span::Week,
            Calendar::Jalali,
            100,
        );
        assert_eq!(weeks, [d("2026-03-14"), d("2026-03-21"), d("2026-03-28")]);
    }

    #[test]
    fn a_long_range_keeps_the_latest_periods() {
        let weeks = periods(
            d("2020-01-01"),
            d("2026-11-24"),
            Span::Week,
            Calendar::Gregorian,
            10,
        );
        assert_eq!(weeks.len(), 10);
        assert_eq!(weeks.last(), Some(&d("2026-11-23")));
        assert!(periods(
            d("2026-11-24"),
            d("2026-01-01"),
            Span::Month,
            Calendar::Gregorian,
            10
        )
        .is_empty());
    }

    #[test]
    fn a_month_grid_holds_every_day_of_the_month_once_from_the_calendars_first_weekday() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        // Azar 1405 runs from 22 November to 21 December 2026; 22 November is a Sunday.
        let azar = month_grid(d(2026, 11, 29), Calendar::Jalali);
        let days: Vec<NaiveDate> = azar.iter().flatten().flatten().copied().collect();
        assert_eq!(days.len(), 30);
        assert_eq!(days.first(), Some(&d(2026, 11, 22)));
        assert_eq!(days.last(), Some(&d(2026, 12, 21)));
        // Weeks start on Saturday: the Sunday is the second cell.
        assert_eq!(azar[0][0], None);
        assert_eq!(azar[0][1], Some(d(2026, 11, 22)));
        // November 2026 starts on a Sunday: the last cell of a Monday-first week.
        let nov = month_grid(d(2026, 11, 29), Calendar::Gregorian);
        assert_eq!(nov[0][6], Some(d(2026, 11, 1)));
        assert_eq!(nov.iter().flatten().flatten().count(), 30);
    }

    #[test]
    fn shifting_by_months_keeps_the_day_or_takes_the_last_of_a_shorter_month() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            shift_month(d(2026, 1, 31), 1, Calendar::Gregorian),
            d(2026, 2, 28)
        );
        assert_eq!(
            shift_month(d(2026, 3, 15), -2, Calendar::Gregorian),
            d(2026, 1, 15)
        );
        // 31 Shahrivar 1405 (22 September 2026) → Mehr has 30 days: 30 Mehr (22 October).
        assert_eq!(
            shift_month(d(2026, 9, 22), 1, Calendar::Jalali),
            d(2026, 10, 22)
        );
        assert_eq!(
            shift_month(d(2026, 10, 22), -1, Calendar::Jalali),
            d(2026, 9, 21)
        );
    }
}
