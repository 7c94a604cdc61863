//! The business's settings: one record, shared by every device that imports it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    feedback::FeedbackKind,
    pin::PinHash,
    rater::Dimension,
    schedule::{Schedule, MAX_SCHEDULES},
    sla::{self, Calendar, Day},
    standard::{Standard, MAX_STANDARDS},
    text, Meta, ValidationError, SCHEMA_VERSION,
};

/// The settings record's fixed id, so settings from two devices merge into one.
pub const SETTINGS_ID: Uuid = Uuid::from_u128(0x4c50_5345_5454_494e_4753_0000_0000_0001);

pub const MAX_LIST: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(flatten)]
    pub meta: Meta,
    /// The business's name as English readers see it (and Persian readers too, unless
    /// `business_name_fa` gives it another form).
    pub business_name: String,
    /// The business's name in Persian; empty when it is written the same in both.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub business_name_fa: String,
    /// Branch names, as cards, feedback and assessments record them.
    pub branches: Vec<String>,
    /// A branch's name in Persian, by the name in `branches`; a branch missing here is written
    /// the same in both languages.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub branch_names_fa: BTreeMap<String, String>,
    pub segments: Vec<String>,
    /// Target business hours to close a feedback item, per kind.
    pub sla_hours: BTreeMap<FeedbackKind, u32>,
    /// Relative importance of each RATER dimension, used to rank gaps.
    pub weights: BTreeMap<Dimension, f64>,
    /// Days after resolving an item that the follow-up call falls due.
    pub follow_up_days: u32,
    /// The staff PIN that guards the kiosk, as a salted slow hash.
    #[serde(default)]
    pub pin: Option<PinHash>,
    /// Seconds without a touch after which a kiosk warns, then clears a half-filled card.
    #[serde(default = "default_idle")]
    pub kiosk_idle_seconds: u32,
    /// The days the business works; feedback targets count only working hours.
    #[serde(default = "sla::default_days")]
    pub work_days: BTreeSet<Day>,
    /// Opening and closing time on a working day, in minutes after midnight.
    #[serde(default = "default_opens")]
    pub opens: u16,
    #[serde(default = "default_closes")]
    pub closes: u16,
    /// Whole days off.
    #[serde(default)]
    pub holidays: BTreeSet<NaiveDate>,
    /// Whether a customer's contact is hidden, on screen and in exports of that customer, until
    /// they agree to be contacted.
    #[serde(default)]
    pub hide_unconsented: bool,
    /// The business's service standards and their guarantees.
    #[serde(default)]
    pub standards: Vec<Standard>,
    /// Recurring work: assessments to run, reports to read.
    #[serde(default)]
    pub schedules: Vec<Schedule>,
    /// Days after which customers' names and contacts are erased at startup (0: kept).
    #[serde(default)]
    pub retention_days: u32,
    /// Days a change may wait for an export before staff screens remind to export (0: never).
    #[serde(default = "default_export_reminder")]
    pub export_reminder_days: u32,
    /// The latest runs of the retention rule that erased something, oldest first.
    #[serde(default)]
    pub retention_log: Vec<RetentionRun>,
}

/// Most retention runs the log keeps.
pub const MAX_RETENTION_LOG: usize = 20;
/// Longest retention period, in days (ten years).
pub const MAX_RETENTION_DAYS: u32 = 3_650;

/// One run of the retention rule: when, the period it applied, and what it erased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRun {
    pub at: DateTime<Utc>,
    pub days: u32,
    pub cards: u32,
    pub items: u32,
    pub customers: u32,
}

/// Days a change waits for an export before staff are reminded, unless Settings says otherwise.
pub const DEFAULT_EXPORT_REMINDER_DAYS: u32 = 7;

fn default_export_reminder() -> u32 {
    DEFAULT_EXPORT_REMINDER_DAYS
}

fn default_opens() -> u16 {
    sla::DEFAULT_OPENS
}

fn default_closes() -> u16 {
    sla::DEFAULT_CLOSES
}

/// Most holidays one settings record lists.
pub const MAX_HOLIDAYS: usize = 500;

fn default_idle() -> u32 {
    90
}

/// What a card needs of the settings to be drawn: the business's names, its branches and the
/// survey schedule. The card page reads only these from the stored settings, so it carries no
/// reader for the rest; fields it does not name are passed over.
#[derive(Deserialize)]
pub struct CardView {
    id: Uuid,
    #[serde(default)]
    business_name: String,
    #[serde(default)]
    business_name_fa: String,
    #[serde(default)]
    branches: Vec<String>,
    #[serde(default)]
    branch_names_fa: BTreeMap<String, String>,
    #[serde(default)]
    schedules: Vec<Schedule>,
}

impl CardView {
    /// The settings with what was read and the defaults for the rest, checked as stored
    /// settings are; `None` for another record or settings that break a rule. For showing a
    /// card only: never to be saved.
    pub fn settings(self, now: DateTime<Utc>) -> Option<Settings> {
        let settings = Settings {
            business_name: self.business_name,
            business_name_fa: self.business_name_fa,
            branches: self.branches,
            branch_names_fa: self.branch_names_fa,
            schedules: self.schedules,
            ..Settings::defaults(now)
        };
        (self.id == SETTINGS_ID && settings.validate().is_ok()).then_some(settings)
    }
}

impl Settings {
    /// The business's name for a reader of Persian (`persian`) or English.
    pub fn business_name_in(&self, persian: bool) -> &str {
        if persian && !self.business_name_fa.trim().is_empty() {
            &self.business_name_fa
        } else {
            &self.business_name
        }
    }

    /// A branch's name for a reader of Persian (`persian`) or English: the Persian form where
    /// Settings gives one, else the name as recorded.
    pub fn branch_label<'a>(&'a self, branch: &'a str, persian: bool) -> &'a str {
        match self.branch_names_fa.get(branch) {
            Some(fa) if persian && !fa.trim().is_empty() => fa,
            _ => branch,
        }
    }

    /// The settings a new installation starts with.
    pub fn defaults(now: DateTime<Utc>) -> Self {
        let now = now.trunc_subsecs(3);
        Self {
            meta: Meta {
                id: SETTINGS_ID,
                created: now,
                updated: now,
                v: SCHEMA_VERSION,
            },
            business_name: String::new(),
            business_name_fa: String::new(),
            branches: Vec::new(),
            branch_names_fa: BTreeMap::new(),
            segments: Vec::new(),
            sla_hours: FeedbackKind::ALL
                .iter()
                .map(|k| (*k, k.default_sla_hours()))
                .collect(),
            weights: Dimension::ALL
                .iter()
                .map(|d| (*d, d.default_weight()))
                .collect(),
            follow_up_days: 3,
            pin: None,
            kiosk_idle_seconds: default_idle(),
            work_days: sla::default_days(),
            opens: default_opens(),
            closes: default_closes(),
            holidays: BTreeSet::new(),
            hide_unconsented: false,
            standards: Vec::new(),
            schedules: Vec::new(),
            retention_days: 0,
            export_reminder_days: default_export_reminder(),
            retention_log: Vec::new(),
        }
    }

    /// The business's working calendar in the given local offset.
    pub fn calendar(&self, offset: FixedOffset) -> Calendar {
        Calendar {
            days: self.work_days.clone(),
            opens: self.opens,
            closes: self.closes,
            holidays: self.holidays.clone(),
            offset,
        }
    }

    /// The target for closing an item of this kind, in working hours.
    pub fn target_hours(&self, kind: FeedbackKind) -> u32 {
        self.sla_hours
            .get(&kind)
            .copied()
            .unwrap_or_else(|| kind.default_sla_hours())
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.meta.id != SETTINGS_ID {
            return Err(ValidationError::Unknown {
                field: "settings id",
                value: self.meta.id.to_string(),
            });
        }
        if self.standards.len() > MAX_STANDARDS {
            return Err(ValidationError::TooMany {
                field: "standards",
                len: self.standards.len(),
                max: MAX_STANDARDS,
            });
        }
        for s in &self.standards {
            s.validate()?;
        }
        if self.schedules.len() > MAX_SCHEDULES {
            return Err(ValidationError::TooMany {
                field: "schedules",
                len: self.schedules.len(),
                max: MAX_SCHEDULES,
            });
        }
        for s in &self.schedules {
            s.validate()?;
        }
        text::check("business name", &self.business_name, text::SHORT)?;
        text::check("business name", &self.business_name_fa, text::SHORT)?;
        if self.branch_names_fa.len() > MAX_LIST {
            return Err(ValidationError::TooMany {
                field: "branches",
                max: MAX_LIST,
                len: self.branch_names_fa.len(),
            });
        }
        for (branch, fa) in &self.branch_names_fa {
            text::check_required("branches", branch, text::SHORT)?;
            text::check_required("branches", fa, text::SHORT)?;
        }
        for (field, list) in [("branches", &self.branches), ("segments", &self.segments)] {
            if list.len() > MAX_LIST {
                return Err(ValidationError::TooMany {
                    field,
                    max: MAX_LIST,
                    len: list.len(),
                });
            }
            let mut seen = std::collections::BTreeSet::new();
            for item in list {
                text::check_required(field, item, text::SHORT)?;
                if !seen.insert(item.trim()) {
                    return Err(ValidationError::Duplicate {
                        field,
                        value: item.clone(),
                    });
                }
            }
        }
        for hours in self.sla_hours.values() {
            if !(1..=2_000).contains(hours) {
                return Err(ValidationError::OutOfRange {
                    field: "SLA hours",
                    value: f64::from(*hours),
                    min: 1.0,
                    max: 2000.0,
                });
            }
        }
        for w in self.weights.values() {
            if !(0.0..=100.0).contains(w) {
                return Err(ValidationError::OutOfRange {
                    field: "weight",
                    value: *w,
                    min: 0.0,
                    max: 100.0,
                });
            }
        }
        if let Some(pin) = &self.pin {
            pin.validate()?;
        }
        if !(15..=3_600).contains(&self.kiosk_idle_seconds) {
            return Err(ValidationError::OutOfRange {
                field: "kiosk idle seconds",
                value: f64::from(self.kiosk_idle_seconds),
                min: 15.0,
                max: 3600.0,
            });
        }
        if self.work_days.is_empty() {
            return Err(ValidationError::Empty { field: "work days" });
        }
        if self.closes > 24 * 60 || self.opens >= self.closes {
            return Err(ValidationError::OutOfRange {
                field: "opening hours",
                value: f64::from(self.closes),
                min: f64::from(self.opens) + 1.0,
                max: 1440.0,
            });
        }
        if self.holidays.len() > MAX_HOLIDAYS {
            return Err(ValidationError::TooMany {
                field: "holidays",
                max: MAX_HOLIDAYS,
                len: self.holidays.len(),
            });
        }
        if self.follow_up_days > 365 {
            return Err(ValidationError::OutOfRange {
                field: "follow-up days",
                value: f64::from(self.follow_up_days),
                min: 0.0,
                max: 365.0,
            });
        }
        if self.retention_days > MAX_RETENTION_DAYS {
            return Err(ValidationError::OutOfRange {
                field: "retention days",
                value: f64::from(self.retention_days),
                min: 0.0,
                max: f64::from(MAX_RETENTION_DAYS),
            });
        }
        if self.export_reminder_days > 365 {
            return Err(ValidationError::OutOfRange {
                field: "export reminder days",
                value: f64::from(self.export_reminder_days),
                min: 0.0,
                max: 365.0,
            });
        }
        if self.retention_log.len() > MAX_RETENTION_LOG {
            return Err(ValidationError::TooMany {
                field: "retention log",
                max: MAX_RETENTION_LOG,
                len: self.retention_log.len(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_page_reads_what_a_card_needs_as_the_app_stored_it_and_nothing_else() {
        use crate::domain::schedule::{Calendar as Dates, Every, Task};
        let now: DateTime<Utc> = "2026-11-29T10:00:00Z".parse().unwrap();
        let mut stored = Settings::defaults(now);
        stored.business_name = "Nour Home Goods".into();
        stored.business_name_fa = "لوازم خانگی نور".into();
        stored.branches = vec!["Vanak".into(), "Tajrish".into()];
        stored.branch_names_fa.insert("Vanak".into(), "ونک".into());
        stored.follow_up_days = 9;
        stored
            .holidays
            .insert(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        stored.schedules.push(Schedule {
            id: Uuid::from_u128(7),
            task: Task::Campaign {
                template: Uuid::from_u128(8),
                branches: vec!["Vanak".into()],
                days: 5,
            },
            every: Every::Month,
            calendar: Dates::Jalali,
            start: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            done: BTreeSet::new(),
        });
        stored.validate().unwrap();
        let text = serde_json::to_string(&stored).unwrap();
        let read = serde_json::from_str::<CardView>(&text)
            .unwrap()
            .settings(now)
            .unwrap();
        assert_eq!(read.business_name, stored.business_name);
        assert_eq!(read.business_name_fa, stored.business_name_fa);
        assert_eq!(read.branches, stored.branches);
        assert_eq!(read.branch_names_fa, stored.branch_names_fa);
        assert_eq!(read.schedules, stored.schedules);
        // What a card does not show is not read.
        assert_eq!(read.follow_up_days, Settings::defaults(now).follow_up_days);
        assert!(read.holidays.is_empty());
        // Another record, or settings that break a rule, give none.
        let other = text.replace(&SETTINGS_ID.to_string(), &Uuid::from_u128(1).to_string());
        assert!(serde_json::from_str::<CardView>(&other)
            .unwrap()
            .settings(now)
            .is_none());
        let mut broken = stored.clone();
        broken.branches = vec!["Vanak".into(), "Vanak".into()];
        let text = serde_json::to_string(&broken).unwrap();
        assert!(serde_json::from_str::<CardView>(&text)
            .unwrap()
            .settings(now)
            .is_none());
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Settings::defaults(Utc::now()).validate(), Ok(()));
    }

    #[test]
    fn repeated_branch_names_are_refused() {
        let mut s = Settings::defaults(Utc::now());
        s.branches = vec!["Tajrish".into(), " Tajrish".into()];
        assert!(matches!(
            s.validate(),
            Err(ValidationError::Duplicate { .. })
        ));
    }

    #[test]
    fn opening_hours_must_open_before_they_close_and_someone_must_work() {
        let mut s = Settings::defaults(Utc::now());
        s.opens = 16 * 60;
        s.closes = 8 * 60;
        assert!(s.validate().is_err());
        let mut s = Settings::defaults(Utc::now());
        s.work_days.clear();
        assert!(s.validate().is_err());
    }

    #[test]
    fn settings_saved_before_business_hours_existed_get_the_defaults() {
        let mut v = serde_json::to_value(Settings::defaults(Utc::now())).unwrap();
        for k in ["work_days", "opens", "closes", "holidays"] {
            v.as_object_mut().unwrap().remove(k);
        }
        let s: Settings = serde_json::from_value(v).unwrap();
        assert_eq!(s.work_days, sla::default_days());
        assert_eq!((s.opens, s.closes), (8 * 60, 16 * 60));
        assert!(s.holidays.is_empty());
    }

    #[test]
    fn a_nan_weight_is_refused() {
        let mut s = Settings::defaults(Utc::now());
        s.weights.insert(Dimension::Empathy, f64::NAN);
        assert!(s.validate().is_err());
    }

    #[test]
    fn the_business_and_its_branches_read_in_persian_where_a_persian_form_is_given() {
        let mut s = Settings::defaults(Utc::now());
        s.business_name = "Nour Home Goods".into();
        s.branches = vec!["Tajrish".into(), "Downtown".into()];
        assert_eq!(s.business_name_in(true), "Nour Home Goods");
        s.business_name_fa = "لوازم خانگی نور".into();
        s.branch_names_fa.insert("Tajrish".into(), "تجریش".into());
        assert_eq!(s.business_name_in(true), "لوازم خانگی نور");
        assert_eq!(s.business_name_in(false), "Nour Home Goods");
        assert_eq!(s.branch_label("Tajrish", true), "تجریش");
        assert_eq!(s.branch_label("Tajrish", false), "Tajrish");
        assert_eq!(s.branch_label("Downtown", true), "Downtown");
        assert!(s.validate().is_ok());
        s.branch_names_fa.insert("Downtown".into(), " ".into());
        assert!(s.validate().is_err());
    }
}
