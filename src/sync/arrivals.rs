//! How many cards came in through card links, per branch and hour, as this device took them in
//! from the shop's inbox: what the Sync screen shows for the last hour and day, and the warning
//! when the last hour jumps far past the usual rate (a flood that paid its proofs of work). The
//! hour is the hour of the take-in, which a forger cannot set; the branch is the card's own
//! when it is one of the shop's, else "other" (so a forger cannot grow this record).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Hours kept: a week for the usual rate, and the day being shown.
const KEEP_HOURS: i64 = 8 * 24;
/// Hours the usual rate is taken over, before the last hour.
const USUAL_HOURS: i64 = 7 * 24;
/// The last hour is a burst past this many times the usual hourly rate…
pub const BURST_TIMES: u32 = 5;
/// …and past this many cards (a quiet shop's first busy hour is no flood).
pub const BURST_FLOOR: u32 = 20;

/// Cards taken in, by hour (since the epoch, UTC) and branch (empty: none of the shop's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrivals {
    pub hours: BTreeMap<i64, BTreeMap<String, u32>>,
}

/// One branch's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Rate {
    /// Empty for cards naming none of the shop's branches.
    pub branch: String,
    pub last_hour: u32,
    pub last_day: u32,
    /// Cards an hour over the week before the last hour.
    pub usual: f64,
    pub burst: bool,
}

fn hour(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(3600)
}

impl Arrivals {
    /// Notes a card taken in at `at` for `branch`, one of `branches` (the shop's) or other.
    pub fn note(&mut self, at: DateTime<Utc>, branch: &str, branches: &[String]) {
        let branch = if branches.iter().any(|b| b == branch) {
            branch
        } else {
            ""
        };
        *self
            .hours
            .entry(hour(at))
            .or_default()
            .entry(branch.to_owned())
            .or_default() += 1;
    }

    /// Drops the hours older than the week and a day kept.
    pub fn prune(&mut self, now: DateTime<Utc>) {
        let oldest = hour(now) - KEEP_HOURS;
        self.hours.retain(|h, _| *h > oldest);
    }

    /// Each branch with cards in the last day, the shop's branches first in their order.
    pub fn rates(&self, now: DateTime<Utc>, branches: &[String]) -> Vec<Rate> {
        let this = hour(now);
        let mut by: BTreeMap<&str, (u32, u32, u32)> = BTreeMap::new();
        for (h, counts) in &self.hours {
            let age = this - h;
            for (branch, n) in counts {
                let e = by.entry(branch.as_str()).or_default();
                if age == 0 {
                    e.0 += n;
                }
                if (0..24).contains(&age) {
                    e.1 += n;
                }
                if (1..=USUAL_HOURS).contains(&age) {
                    e.2 += n;
                }
            }
        }
        let order = |b: &str| branches.iter().position(|x| x == b).unwrap_or(usize::MAX);
        let mut rates: Vec<Rate> = by
            .into_iter()
            .filter(|(_, (_, day, _))| *day > 0)
            .map(|(branch, (last_hour, last_day, week))| {
                let usual = f64::from(week) / USUAL_HOURS as f64;
                let limit = (usual * f64::from(BURST_TIMES)).max(f64::from(BURST_FLOOR));
                Rate {
                    branch: branch.to_owned(),
                    last_hour,
                    last_day,
                    usual,
                    burst: f64::from(last_hour) > limit,
                }
            })
            .collect();
        rates.sort_by_key(|r| order(&r.branch));
        rates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, h, m, 0).unwrap()
    }

    fn shop() -> Vec<String> {
        vec!["Vanak".into(), "Tajrish".into()]
    }

    #[test]
    fn the_last_hour_and_day_are_counted_per_branch_and_unknown_branches_are_other() {
        let mut a = Arrivals::default();
        a.note(at(7, 9, 10), "Tajrish", &shop());
        a.note(at(7, 9, 50), "Tajrish", &shop());
        a.note(at(6, 20, 0), "Tajrish", &shop());
        a.note(at(7, 9, 5), "Vanak", &shop());
        a.note(at(7, 9, 6), "<script>", &shop());
        a.note(at(5, 9, 6), "Vanak", &shop());
        let rates = a.rates(at(7, 9, 59), &shop());
        let got: Vec<(&str, u32, u32)> = rates
            .iter()
            .map(|r| (r.branch.as_str(), r.last_hour, r.last_day))
            .collect();
        assert_eq!(got, vec![("Vanak", 1, 1), ("Tajrish", 2, 3), ("", 1, 1)]);
        assert!(rates.iter().all(|r| !r.burst));
    }

    #[test]
    fn an_hour_far_past_the_usual_rate_is_a_burst_and_a_busy_week_is_not() {
        let mut a = Arrivals::default();
        // A steady week: ten cards an hour.
        for h in 1..=USUAL_HOURS {
            let when = at(7, 12, 0) - chrono::Duration::hours(h);
            for _ in 0..10 {
                a.note(when, "Vanak", &shop());
            }
        }
        for _ in 0..45 {
            a.note(at(7, 12, 30), "Vanak", &shop());
        }
        assert!(
            !a.rates(at(7, 12, 40), &shop())[0].burst,
            "45 is under 5 × 10"
        );
        for _ in 0..10 {
            a.note(at(7, 12, 31), "Vanak", &shop());
        }
        let r = &a.rates(at(7, 12, 40), &shop())[0];
        assert_eq!(r.last_hour, 55);
        assert!((r.usual - 10.0).abs() < 1e-9);
        assert!(r.burst);
        // A quiet shop's first cards are no flood.
        let mut quiet = Arrivals::default();
        for _ in 0..BURST_FLOOR {
            quiet.note(at(7, 12, 0), "Vanak", &shop());
        }
        assert!(!quiet.rates(at(7, 12, 5), &shop())[0].burst);
        quiet.note(at(7, 12, 1), "Vanak", &shop());
        assert!(quiet.rates(at(7, 12, 5), &shop())[0].burst);
    }

    #[test]
    fn only_the_week_and_a_day_are_kept() {
        let mut a = Arrivals::default();
        a.note(at(1, 0, 0), "Vanak", &shop());
        a.note(at(7, 0, 0), "Vanak", &shop());
        a.prune(at(9, 12, 0));
        assert_eq!(a.hours.len(), 1);
    }
}
