//! The Solar Hijri (Jalali) calendar: conversion from and to the Gregorian dates we store.
//!
//! Uses the 33-year break table of the arithmetic Jalali calendar, which agrees with the
//! astronomical calendar of Iran for years 1178–1633 (Gregorian 1799–2254); dates outside
//! `MIN_YEAR..=MAX_YEAR` are refused rather than guessed.

use chrono::{Datelike, Days, NaiveDate};

/// Years where a Jalali leap cycle changes length (the `breaks` of the arithmetic calendar).
const BREAKS: [i32; 20] = [
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
    2394, 2456, 3178,
];
pub const MIN_YEAR: i32 = 1000;
pub const MAX_YEAR: i32 = 2000;

/// A day in the Jalali calendar; months are 1 (Farvardin) to 12 (Esfand).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct JalaliDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

struct YearInfo {
    /// Years since the last leap year (0 means this year is leap).
    leap: i32,
    /// Gregorian year in which this Jalali year starts.
    gy: i32,
    /// Day of March on which Farvardin 1 falls.
    march: u32,
}

fn year_info(jy: i32) -> Option<YearInfo> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&jy) {
        return None;
    }
    let gy = jy + 621;
    let mut leap_j = -14;
    let mut jp = BREAKS[0];
    let mut jump = 0;
    for &jm in &BREAKS[1..] {
        jump = jm - jp;
        if jy < jm {
            break;
        }
        leap_j += jump / 33 * 8 + (jump % 33) / 4;
        jp = jm;
    }
    let mut n = jy - jp;
    leap_j += n / 33 * 8 + (n % 33 + 3) / 4;
    if jump % 33 == 4 && jump - n == 4 {
        leap_j += 1;
    }
    let leap_g = gy / 4 - (gy / 100 + 1) * 3 / 4 - 150;
    let march = 20 + leap_j - leap_g;
    if jump - n < 6 {
        n = n - jump + (jump + 4) / 33 * 33;
    }
    let mut leap = ((n + 1) % 33 - 1) % 4;
    if leap == -1 {
        leap = 4;
    }
    Some(YearInfo {
        leap,
        gy,
        march: march as u32,
    })
}

/// True when Esfand of this Jalali year has 30 days.
pub fn is_leap_year(jy: i32) -> bool {
    year_info(jy).is_some_and(|y| y.leap == 0)
}

/// Days in a Jalali month: 31 in the first six, 30 in the next five, 29 or 30 in Esfand.
pub fn month_length(jy: i32, month: u32) -> u32 {
    match month {
        1..=6 => 31,
        7..=11 => 30,
        _ if is_leap_year(jy) => 30,
        _ => 29,
    }
}

fn first_day(jy: i32) -> Option<NaiveDate> {
    let info = year_info(jy)?;
    NaiveDate::from_ymd_opt(info.gy, 3, info.march)
}

impl JalaliDate {
    /// A checked Jalali date.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        ((1..=12).contains(&month)
            && day >= 1
            && day <= month_length(year, month)
            && year_info(year).is_some())
        .then_some(Self { year, month, day })
    }

    /// The Jalali day on which a Gregorian date falls.
    pub fn from_gregorian(date: NaiveDate) -> Option<Self> {
        let mut jy = date.year() - 621;
        let mut start = first_day(jy)?;
        if date < start {
            jy -= 1;
            start = first_day(jy)?;
        }
        let k = (date - start).num_days() as u32;
        let (month, day) = if k < 186 {
            (1 + k / 31, 1 + k % 31)
        } else {
            (7 + (k - 186) / 30, 1 + (k - 186) % 30)
        };
        Some(Self {
            year: jy,
            month,
            day,
        })
    }

    /// The Gregorian day of this Jalali date.
    pub fn to_gregorian(self) -> Option<NaiveDate> {
        let m = self.month;
        let offset = if m <= 7 {
            (m - 1) * 31
        } else {
            186 + (m - 7) * 30
        } + self.day
            - 1;
        first_day(self.year)?.checked_add_days(Days::new(offset as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn nowruz_falls_on_the_known_gregorian_days() {
        let table = [
            (1399, g(2020, 3, 20)),
            (1400, g(2021, 3, 21)),
            (1403, g(2024, 3, 20)),
            (1404, g(2025, 3, 21)),
            (1405, g(2026, 3, 21)),
        ];
        for (jy, day) in table {
            assert_eq!(
                JalaliDate::new(jy, 1, 1).unwrap().to_gregorian(),
                Some(day),
                "Nowruz {jy}"
            );
            assert_eq!(JalaliDate::from_gregorian(day), JalaliDate::new(jy, 1, 1));
        }
    }

    #[test]
    fn known_days_convert_both_ways() {
        let table = [
            (g(2026, 11, 24), (1405, 9, 3)),
            (g(2025, 3, 20), (1403, 12, 30)),
            (g(2023, 3, 20), (1401, 12, 29)),
            (g(1979, 2, 11), (1357, 11, 22)),
            (g(2000, 1, 1), (1378, 10, 11)),
        ];
        for (gd, (y, m, d)) in table {
            let j = JalaliDate::new(y, m, d).unwrap();
            assert_eq!(JalaliDate::from_gregorian(gd), Some(j), "{gd}");
            assert_eq!(j.to_gregorian(), Some(gd), "{y}-{m}-{d}");
        }
    }

    #[test]
    fn leap_years_follow_the_33_year_cycle() {
        let leap: Vec<i32> = (1395..=1412).filter(|y| is_leap_year(*y)).collect();
        assert_eq!(leap, vec![1395, 1399, 1403, 1408, 1412]);
    }

    #[test]
    fn every_day_for_two_centuries_round_trips_and_follows_the_previous() {
        let mut day = g(1900, 1, 1);
        let mut prev = JalaliDate::from_gregorian(day).unwrap();
        while day < g(2100, 1, 1) {
            day = day.succ_opt().unwrap();
            let j = JalaliDate::from_gregorian(day).unwrap();
            assert_eq!(j.to_gregorian(), Some(day));
            let expected_next = if prev.day < month_length(prev.year, prev.month) {
                JalaliDate {
                    day: prev.day + 1,
                    ..prev
                }
            } else if prev.month < 12 {
                JalaliDate {
                    month: prev.month + 1,
                    day: 1,
                    ..prev
                }
            } else {
                JalaliDate {
                    year: prev.year + 1,
                    month: 1,
                    day: 1,
                }
            };
            assert_eq!(j, expected_next, "after {prev:?}");
            prev = j;
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(JalaliDate::new(1404, 12, 30), None);
        assert!(JalaliDate::new(1403, 12, 30).is_some());
        assert_eq!(JalaliDate::new(1404, 7, 31), None);
        assert_eq!(JalaliDate::new(1404, 13, 1), None);
        assert_eq!(JalaliDate::new(1404, 1, 0), None);
        assert_eq!(JalaliDate::new(3000, 1, 1), None);
    }
}
