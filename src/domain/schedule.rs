//! Recurring work on a calendar: when each occurrence of a schedule falls. A schedule repeats
//! every week, month, quarter or year from its first day, in the Gregorian or the Jalali
//! calendar; a month-based step keeps the day of the month and, where a month is shorter, falls
//! on its last day (31 Shahrivar, then 30 Mehr; 30 Esfand only in a leap year). A card
//! campaign is scheduled the same way: each occurrence puts its card in place of the default at
//! its branches for a number of days.

use std::collections::BTreeSet;

use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    jalali::{self, JalaliDate},
    text, ValidationError,
};

/// Most schedules one business keeps, and most done occurrences each remembers.
pub const MAX_SCHEDULES: usize = 100;
pub const MAX_DONE: usize = 60;

/// How many past occurrences still count as owed.
pub const OWED: usize = 12;

/// The longest a campaign runs each time, and most branches it names.
pub const MAX_CAMPAIGN_DAYS: u32 = 366;
pub const MAX_CAMPAIGN_BRANCHES: usize = 100;

/// Recurring work: what, how often, from when, and which occurrences are done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub id: Uuid,
    pub task: Task,
    pub every: Every,
    pub calendar: Calendar,
    pub start: NaiveDate,
    /// The occurrences marked done, by the day they fell due.
    #[serde(default)]
    pub done: BTreeSet<NaiveDate>,
}

/// What is due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case", try_from = "TaskFields")]
pub enum Task {
    /// Run a self-assessment of this model with this team.
    Assessment { model: String, team: String },
    /// Read and share the period's report (the dashboard, printed).
    Report,
    /// Give customers this card instead of the default, for `days` days from each occurrence,
    /// at these branches (every branch when none is named).
    Campaign {
        template: Uuid,
        #[serde(default)]
        branches: Vec<String>,
        days: u32,
    },
}

/// A task as stored: its tag beside every variant's fields. Read through this plain struct
/// rather than serde's internally tagged path, which buffers the task first; written as derived.
#[derive(Deserialize)]
struct TaskFields {
    task: TaskTag,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    team: Option<String>,
    #[serde(default)]
    template: Option<Uuid>,
    #[serde(default)]
    branches: Vec<String>,
    #[serde(default)]
    days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum TaskTag {
    Assessment,
    Report,
    Campaign,
}

impl TryFrom<TaskFields> for Task {
    type Error = String;

    fn try_from(t: TaskFields) -> Result<Self, String> {
        let missing = super::missing_field;
        Ok(match t.task {
            TaskTag::Assessment => Task::Assessment {
                model: t.model.ok_or_else(|| missing("model"))?,
                team: t.team.ok_or_else(|| missing("team"))?,
            },
            TaskTag::Report => Task::Report,
            TaskTag::Campaign => Task::Campaign {
                template: t.template.ok_or_else(|| missing("template"))?,
                branches: t.branches,
                days: t.days.ok_or_else(|| missing("days"))?,
            },
        })
    }
}

impl Schedule {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Task::Assessment { model, team } = &self.task {
            if super::model::get(model).is_none() {
                return Err(ValidationError::Unknown {
                    field: "model",
                    value: model.chars().take(40).collect(),
                });
            }
            text::check("team", team, text::SHORT)?;
        }
        if let Task::Campaign { branches, days, .. } = &self.task {
            if !(1..=MAX_CAMPAIGN_DAYS).contains(days) {
                return Err(ValidationError::OutOfRange {
                    field: "days",
                    value: f64::from(*days),
                    min: 1.0,
                    max: f64::from(MAX_CAMPAIGN_DAYS),
                });
            }
            if branches.len() > MAX_CAMPAIGN_BRANCHES {
                return Err(ValidationError::TooMany {
                    field: "branches",
                    len: branches.len(),
                    max: MAX_CAMPAIGN_BRANCHES,
                });
            }
            for b in branches {
                text::check("branches", b, text::SHORT)?;
            }
        }
        if self.done.len() > MAX_DONE {
            return Err(ValidationError::TooMany {
                field: "done",
                len: self.done.len(),
                max: MAX_DONE,
            });
        }
        Ok(())
    }

    /// The occurrences due by `today` and not done, oldest first (the last [`OWED`] at most).
    /// A campaign owes nothing: it runs by itself.
    pub fn owed(&self, today: NaiveDate) -> Vec<NaiveDate> {
        if matches!(self.task, Task::Campaign { .. }) {
            return Vec::new();
        }
        occurrences(self.start, self.every, self.calendar, today, OWED)
            .into_iter()
            .filter(|d| !self.done.contains(d))
            .collect()
    }

    /// The first occurrence after `today`.
    pub fn next(&self, today: NaiveDate) -> Option<NaiveDate> {
        (0..)
            .map_while(|n| occurrence(self.start, self.every, self.calendar, n))
            .find(|d| *d > today)
    }

    /// For a campaign running on `today`: the first and last day of its current run.
    pub fn running(&self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let Task::Campaign { days, .. } = self.task else {
            return None;
        };
        // The latest run to start covers today if any run does: it started no earlier and
        // lasts as long.
        let first = *occurrences(self.start, self.every, self.calendar, today, 1).last()?;
        let last = first.checked_add_signed(Duration::days(i64::from(days.max(1)) - 1))?;
        (today <= last).then_some((first, last))
    }

    /// The schedule with the occurrence of `day` marked done; the oldest marks go past
    /// [`MAX_DONE`].
    pub fn mark_done(&self, day: NaiveDate) -> Schedule {
        let mut s = self.clone();
        s.done.insert(day);
        while s.done.len() > MAX_DONE {
            s.done.pop_first();
        }
        s
    }
}

/// The card a campaign gives at `branch` on `today` and the last day of its run, if one runs
/// there: of several, the one whose run started last (the first listed on a tie).
pub fn campaign_card(
    schedules: &[Schedule],
    branch: &str,
    today: NaiveDate,
) -> Option<(Uuid, NaiveDate)> {
    schedules
        .iter()
        .filter_map(|s| match &s.task {
            Task::Campaign {
                template, branches, ..
            } if branches.is_empty() || branches.iter().any(|b| b == branch) => s
                .running(today)
                .map(|(first, last)| (first, *template, last)),
            _ => None,
        })
        .rev()
        .max_by_key(|(first, ..)| *first)
        .map(|(_, t, last)| (t, last))
}

/// How often a schedule comes round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    /// Only on its first day.
    Once,
    Week,
    Month,
    Quarter,
    Year,
}

/// The calendar a schedule's months and years follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Calendar {
    Gregorian,
    Jalali,
}

impl Every {
    fn months(self) -> Option<u32> {
        match self {
            Every::Once | Every::Week => None,
            Every::Month => Some(1),
            Every::Quarter => Some(3),
            Every::Year => Some(12),
        }
    }
}

/// The `n`-th occurrence (0 is `start` itself), or `None` beyond the calendars' range.
pub fn occurrence(start: NaiveDate, every: Every, calendar: Calendar, n: u32) -> Option<NaiveDate> {
    let Some(step) = every.months() else {
        return match every {
            Every::Once => (n == 0).then_some(start),
            _ => start.checked_add_signed(Duration::weeks(i64::from(n))),
        };
    };
    let months = step.checked_mul(n)?;
    match calendar {
        // chrono clamps to the month's last day itself.
        Calendar::Gregorian => start.checked_add_months(Months::new(months)),
        Calendar::Jalali => {
            let j = JalaliDate::from_gregorian(start)?;
            let index = (j.month - 1).checked_add(months)?;
            let year = j.year.checked_add(i32::try_from(index / 12).ok()?)?;
            let month = index % 12 + 1;
            let day = j.day.min(jalali::month_length(year, month));
            JalaliDate::new(year, month, day)?.to_gregorian()
        }
    }
}

/// The occurrences from `start` up to and including `to`, oldest first; at most `limit` of the
/// latest, so a schedule started long ago cannot make an endless list.
pub fn occurrences(
    start: NaiveDate,
    every: Every,
    calendar: Calendar,
    to: NaiveDate,
    limit: usize,
) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for n in 0.. {
        match occurrence(start, every, calendar, n) {
            Some(d) if d <= to => out.push(d),
            _ => break,
        }
    }
    let skip = out.len().saturating_sub(limit);
    out.split_off(skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tasks are read from their plain fields: every task as written, and what is missing named.
    #[test]
    fn tasks_read_back_as_written() {
        let all = [
            Task::Assessment {
                model: "rater".into(),
                team: "Front desk".into(),
            },
            Task::Report,
            Task::Campaign {
                template: Uuid::from_u128(7),
                branches: vec!["Vanak".into()],
                days: 14,
            },
            Task::Campaign {
                template: Uuid::from_u128(7),
                branches: vec![],
                days: 1,
            },
        ];
        for task in all {
            let json = serde_json::to_string(&task).unwrap();
            assert_eq!(serde_json::from_str::<Task>(&json).unwrap(), task, "{json}");
        }
        let read = |json: &str| serde_json::from_str::<Task>(json).unwrap_err().to_string();
        assert!(read(r#"{"task":"assessment","model":"rater"}"#).contains("missing field `team`"));
        assert!(read(r#"{"task":"campaign","days":3}"#).contains("missing field `template`"));
        assert!(read(r#"{"task":"party"}"#).contains("unknown variant `party`"));
        assert!(read(r#"{"model":"rater"}"#).contains("missing field `task`"));
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A Jalali day as Gregorian, for readable expectations.
    fn j(y: i32, m: u32, d: u32) -> NaiveDate {
        JalaliDate::new(y, m, d).unwrap().to_gregorian().unwrap()
    }

    #[test]
    fn jalali_months_keep_their_day_and_fall_on_the_last_day_of_a_shorter_month() {
        // From 31 Shahrivar 1405 (the last 31-day month) monthly: 30 Mehr, 30 Aban ...
        let start = j(1405, 6, 31);
        let got: Vec<NaiveDate> = (0..7)
            .map(|n| occurrence(start, Every::Month, Calendar::Jalali, n).unwrap())
            .collect();
        assert_eq!(
            got,
            [
                j(1405, 6, 31),
                j(1405, 7, 30),
                j(1405, 8, 30),
                j(1405, 9, 30),
                j(1405, 10, 30),
                j(1405, 11, 30),
                // Esfand 1405 has 29 days (1405 is not a leap year).
                j(1405, 12, 29),
            ]
        );
        // ... and across the year's end into Farvardin 1406, which has 31 days again.
        assert_eq!(
            occurrence(start, Every::Month, Calendar::Jalali, 7),
            Some(j(1406, 1, 31))
        );
        // 30 Esfand exists only in a leap year: 1403 is one, 1404 is not.
        assert!(jalali::is_leap_year(1403) && !jalali::is_leap_year(1404));
        assert_eq!(
            occurrence(j(1403, 12, 30), Every::Year, Calendar::Jalali, 1),
            Some(j(1404, 12, 29))
        );
    }

    #[test]
    fn quarters_follow_the_calendar_they_were_set_in() {
        // Every quarter from 1 Farvardin: the first day of each season.
        let seasons: Vec<NaiveDate> = (0..5)
            .map(|n| occurrence(j(1405, 1, 1), Every::Quarter, Calendar::Jalali, n).unwrap())
            .collect();
        assert_eq!(
            seasons,
            [
                j(1405, 1, 1),
                j(1405, 4, 1),
                j(1405, 7, 1),
                j(1405, 10, 1),
                j(1406, 1, 1)
            ]
        );
        // Gregorian quarters from 31 January clamp to the month's end: 30 April, 31 July.
        let g: Vec<NaiveDate> = (0..3)
            .map(|n| occurrence(day("2026-01-31"), Every::Quarter, Calendar::Gregorian, n).unwrap())
            .collect();
        assert_eq!(g, [day("2026-01-31"), day("2026-04-30"), day("2026-07-31")]);
        // Weeks are weeks in both.
        assert_eq!(
            occurrence(day("2026-12-28"), Every::Week, Calendar::Jalali, 1),
            Some(day("2027-01-04"))
        );
    }

    #[test]
    fn owed_occurrences_are_those_due_and_not_done_and_the_next_comes_after_today() {
        let s = Schedule {
            id: Uuid::nil(),
            task: Task::Report,
            every: Every::Month,
            calendar: Calendar::Jalali,
            start: j(1405, 7, 1),
            done: BTreeSet::new(),
        };
        // On 3 Azar 1405: Mehr, Aban and Azar are owed; Dey is next.
        let today = j(1405, 9, 3);
        assert_eq!(s.owed(today), [j(1405, 7, 1), j(1405, 8, 1), j(1405, 9, 1)]);
        assert_eq!(s.next(today), Some(j(1405, 10, 1)));
        let s = s.mark_done(j(1405, 7, 1)).mark_done(j(1405, 8, 1));
        assert_eq!(s.owed(today), [j(1405, 9, 1)]);
        // A schedule starting later owes nothing yet.
        let later = Schedule {
            start: j(1405, 10, 1),
            ..s.clone()
        };
        assert!(later.owed(today).is_empty());
        // Done marks are bounded.
        let mut many = s.clone();
        for n in 0..(MAX_DONE as u32 + 5) {
            many = many.mark_done(occurrence(s.start, Every::Month, Calendar::Jalali, n).unwrap());
        }
        assert_eq!(many.done.len(), MAX_DONE);
        assert!(many.validate().is_ok());
    }

    #[test]
    fn occurrences_stop_at_the_day_and_keep_the_latest_when_there_are_many() {
        let start = day("2026-01-05");
        let all = occurrences(
            start,
            Every::Week,
            Calendar::Gregorian,
            day("2026-01-26"),
            10,
        );
        assert_eq!(all.len(), 4);
        assert_eq!(all.last(), Some(&day("2026-01-26")));
        let few = occurrences(
            start,
            Every::Week,
            Calendar::Gregorian,
            day("2026-12-31"),
            3,
        );
        assert_eq!(
            few,
            [day("2026-12-14"), day("2026-12-21"), day("2026-12-28")]
        );
        assert!(
            occurrences(start, Every::Month, Calendar::Jalali, day("2026-01-04"), 5).is_empty()
        );
    }

    fn campaign(
        template: u128,
        branches: &[&str],
        start: NaiveDate,
        every: Every,
        days: u32,
    ) -> Schedule {
        Schedule {
            id: Uuid::from_u128(template + 100),
            task: Task::Campaign {
                template: Uuid::from_u128(template),
                branches: branches.iter().map(|b| (*b).to_owned()).collect(),
                days,
            },
            every,
            calendar: Calendar::Jalali,
            start,
            done: BTreeSet::new(),
        }
    }

    #[test]
    fn a_campaign_runs_from_its_first_to_its_last_day_at_its_branches_and_owes_nothing() {
        // Once, 1 to 10 Azar 1405 at the north branch.
        let c = campaign(1, &["North"], j(1405, 9, 1), Every::Once, 10);
        assert_eq!(c.running(j(1405, 8, 30)), None);
        assert_eq!(
            c.running(j(1405, 9, 1)),
            Some((j(1405, 9, 1), j(1405, 9, 10)))
        );
        assert_eq!(
            c.running(j(1405, 9, 10)),
            Some((j(1405, 9, 1), j(1405, 9, 10)))
        );
        assert_eq!(c.running(j(1405, 9, 11)), None);
        assert!(c.owed(j(1405, 9, 5)).is_empty());
        assert_eq!(c.next(j(1405, 8, 1)), Some(j(1405, 9, 1)));
        assert_eq!(c.next(j(1405, 9, 1)), None);
        let all = [c.clone()];
        assert_eq!(
            campaign_card(&all, "North", j(1405, 9, 5)),
            Some((Uuid::from_u128(1), j(1405, 9, 10)))
        );
        assert_eq!(campaign_card(&all, "South", j(1405, 9, 5)), None);
        assert_eq!(campaign_card(&all, "North", j(1405, 9, 11)), None);
        assert!(c.validate().is_ok());
    }

    #[test]
    fn a_recurring_campaign_runs_each_time_and_the_latest_started_wins() {
        // Every Jalali month, the first 7 days, at every branch.
        let monthly = campaign(2, &[], j(1405, 1, 1), Every::Month, 7);
        assert_eq!(
            monthly.running(j(1405, 12, 7)),
            Some((j(1405, 12, 1), j(1405, 12, 7)))
        );
        assert_eq!(monthly.running(j(1405, 12, 8)), None);
        assert_eq!(
            monthly.running(j(1406, 1, 3)),
            Some((j(1406, 1, 1), j(1406, 1, 7)))
        );
        // A one-off campaign that started later takes the branch it names.
        let spring = campaign(3, &["North"], j(1406, 1, 2), Every::Once, 30);
        let all = [monthly.clone(), spring];
        assert_eq!(
            campaign_card(&all, "North", j(1406, 1, 3)).map(|c| c.0),
            Some(Uuid::from_u128(3))
        );
        assert_eq!(
            campaign_card(&all, "South", j(1406, 1, 3)).map(|c| c.0),
            Some(Uuid::from_u128(2))
        );
        // Two that started the same day: the first listed.
        let twin = campaign(4, &[], j(1405, 1, 1), Every::Month, 7);
        let all = [monthly, twin];
        assert_eq!(
            campaign_card(&all, "North", j(1405, 2, 2)).map(|c| c.0),
            Some(Uuid::from_u128(2))
        );
    }

    #[test]
    fn a_campaign_outside_its_bounds_is_refused() {
        let start = day("2026-11-01");
        assert!(campaign(1, &[], start, Every::Once, 0).validate().is_err());
        assert!(campaign(1, &[], start, Every::Once, MAX_CAMPAIGN_DAYS + 1)
            .validate()
            .is_err());
        assert!(campaign(1, &["bad\u{0}branch"], start, Every::Once, 5)
            .validate()
            .is_err());
        // Once means once, for assessments as well.
        assert_eq!(
            occurrence(start, Every::Once, Calendar::Gregorian, 0),
            Some(start)
        );
        assert_eq!(occurrence(start, Every::Once, Calendar::Gregorian, 1), None);
    }
}
