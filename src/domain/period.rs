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
}
