//! Service standards: the business's written promises ("complaints are answered within 24
//! working hours"), each under a RATER dimension, with the guarantee a customer gets when it is
//! missed. A standard can be measured by the app: by a feedback target (an item of a kind is
//! resolved within its working hours) or by a mystery-shopper checklist item (the visit rated it
//! at least as the desired level). How often it was met is a [`Figure`] like every other.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    assessment::Assessment,
    feedback::{FeedbackItem, FeedbackKind},
    rater::Dimension,
    report::Figure,
    sla,
    text::{self, Bilingual},
    ValidationError,
};

/// Most standards one business keeps.
pub const MAX_STANDARDS: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standard {
    pub id: Uuid,
    /// The promise, in both languages.
    pub text: Bilingual,
    /// What the customer gets when it is missed, in both languages.
    pub guarantee: Bilingual,
    pub dimension: Dimension,
    /// How the app measures it, if it can.
    #[serde(default)]
    pub measure: Option<Measure>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case", try_from = "MeasureFields")]
pub enum Measure {
    /// Met by an item of this kind resolved within its target working hours (Settings).
    FeedbackTarget { kind: FeedbackKind },
    /// Met by a mystery-shopper visit that rated this checklist item at least as desired.
    Checklist { item: String },
}

/// A measure as stored: its tag beside every variant's fields. Read through this plain struct
/// rather than serde's internally tagged path, which buffers the measure first; written as
/// derived.
#[derive(Deserialize)]
struct MeasureFields {
    by: MeasureTag,
    #[serde(default)]
    kind: Option<FeedbackKind>,
    #[serde(default)]
    item: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum MeasureTag {
    FeedbackTarget,
    Checklist,
}

impl TryFrom<MeasureFields> for Measure {
    type Error = String;

    fn try_from(m: MeasureFields) -> Result<Self, String> {
        let missing = super::missing_field;
        Ok(match m.by {
            MeasureTag::FeedbackTarget => Measure::FeedbackTarget {
                kind: m.kind.ok_or_else(|| missing("kind"))?,
            },
            MeasureTag::Checklist => Measure::Checklist {
                item: m.item.ok_or_else(|| missing("item"))?,
            },
        })
    }
}

impl Standard {
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.text.check("standard", text::SHORT)?;
        self.guarantee.check("guarantee", text::SHORT)?;
        if let Some(Measure::Checklist { item }) = &self.measure {
            let known =
                super::model::get("mystery").is_some_and(|m| m.items.iter().any(|i| i.id == *item));
            if !known {
                return Err(ValidationError::Unknown {
                    field: "measure",
                    value: item.chars().take(40).collect(),
                });
            }
        }
        Ok(())
    }
}

/// What a compliance figure is read over: the local days (inclusive), the working calendar,
/// each kind's target, and now.
pub struct Period<'a> {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub calendar: &'a sla::Calendar,
    pub target_hours: &'a dyn Fn(FeedbackKind) -> u32,
    pub now: DateTime<Utc>,
}

impl Period<'_> {
    fn holds(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }

    fn day(&self, at: DateTime<Utc>, offset: FixedOffset) -> NaiveDate {
        at.with_timezone(&offset).date_naive()
    }
}

/// The share of chances to keep the standard that were kept, in percent, over the items logged
/// or the visits made in the period. An item still open and within its target has not yet been
/// a chance either way and is left out. `None` for a standard the app cannot measure.
pub fn compliance<'a>(
    standard: &Standard,
    items: impl IntoIterator<Item = &'a FeedbackItem>,
    assessments: impl IntoIterator<Item = &'a Assessment>,
    period: &Period,
) -> Option<Figure> {
    let (mut met, mut n) = (0usize, 0usize);
    match standard.measure.as_ref()? {
        Measure::FeedbackTarget { kind } => {
            let limit = i64::from((period.target_hours)(*kind)) * 3600;
            for item in items.into_iter().filter(|i| i.kind == *kind) {
                if !period.holds(period.day(item.meta.created, period.calendar.offset)) {
                    continue;
                }
                let clock = item.clock(period.calendar, period.now);
                if item.resolved_at().is_some() {
                    n += 1;
                    if clock <= limit {
                        met += 1;
                    }
                } else if item.status.is_open() && clock > limit {
                    n += 1;
                }
            }
        }
        Measure::Checklist { item } => {
            for a in assessments.into_iter().filter(|a| a.model == "mystery") {
                if !period.holds(a.date) {
                    continue;
                }
                let Some(r) = a.ratings.get(item) else {
                    continue;
                };
                if let (Some(c), Some(d)) = (r.current, r.desired) {
                    n += 1;
                    if c >= d {
                        met += 1;
                    }
                }
            }
        }
    }
    Some(Figure::share(met, n))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    /// Measures are read from their plain fields: both as written, and what is missing named.
    #[test]
    fn measures_read_back_as_written() {
        for m in [
            Measure::FeedbackTarget {
                kind: FeedbackKind::Complaint,
            },
            Measure::Checklist {
                item: "greeting".into(),
            },
        ] {
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<Measure>(&json).unwrap(), m, "{json}");
        }
        let read = |json: &str| {
            serde_json::from_str::<Measure>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(read(r#"{"by":"checklist"}"#).contains("missing field `item`"));
        assert!(read(r#"{"by":"feedback_target"}"#).contains("missing field `kind`"));
        assert!(read(r#"{"by":"guess"}"#).contains("unknown variant `guess`"));
    }

    use super::*;
    use crate::domain::{
        assessment::ItemRating,
        feedback::{Channel, Status},
        sla::testing::{at, tehran_week},
        Meta,
    };

    fn standard(measure: Measure) -> Standard {
        Standard {
            id: Uuid::new_v4(),
            text: Bilingual::new("Complaints answered within a day", "پاسخ شکایت در یک روز"),
            guarantee: Bilingual::new("A free coffee", "یک قهوهٔ رایگان"),
            dimension: Dimension::Responsiveness,
            measure: Some(measure),
        }
    }

    #[test]
    fn a_feedback_target_is_met_by_items_resolved_in_time_and_missed_by_late_or_overdue_ones() {
        let cal = tehran_week();
        let item = |logged: &str| {
            FeedbackItem::reported(
                Meta::new(at(logged)),
                FeedbackKind::Complaint,
                Channel::Phone,
                "x".into(),
                at(logged),
            )
            .register("Sara", at(logged))
        };
        // Saturday 21 November from 09:00; the target is 8 working hours.
        let mut items = Vec::new();
        for h in [2, 4, 6, 7] {
            let mut i = item("2026-11-21 09:00");
            let done = at(&format!("2026-11-21 {:02}:00", 9 + h));
            i.set_status(Status::Resolved, "Reza", done, &cal, 3)
                .unwrap();
            items.push(i);
        }
        // Resolved the next working day at 12:00: 8 + 3 = 11 working hours, late.
        let mut late = item("2026-11-21 09:00");
        late.set_status(Status::Resolved, "Reza", at("2026-11-22 12:00"), &cal, 3)
            .unwrap();
        items.push(late);
        // Still open: one long past its target, one logged an hour ago.
        items.push(item("2026-11-21 09:00"));
        items.push(item("2026-11-30 11:00"));
        // A suggestion does not count for a complaint standard.
        let mut other = item("2026-11-21 09:00");
        other.kind = FeedbackKind::Suggestion;
        items.push(other);
        let target = |_| 8;
        let period = Period {
            from: None,
            to: None,
            calendar: &cal,
            target_hours: &target,
            now: at("2026-11-30 12:00"),
        };
        let s = standard(Measure::FeedbackTarget {
            kind: FeedbackKind::Complaint,
        });
        // 4 met of 6 chances (4 in time, 1 late, 1 overdue); the fresh one is not yet a chance.
        let f = compliance(&s, &items, [], &period).unwrap();
        assert_eq!(f.n, 6);
        assert!((f.value.unwrap() - 400.0 / 6.0).abs() < 1e-9);
        // A range before any of them: nothing to go on.
        let before = Period {
            to: Some("2026-11-01".parse().unwrap()),
            ..period
        };
        assert_eq!(
            compliance(&s, &items, [], &before).unwrap(),
            Figure::default()
        );
    }

    #[test]
    fn a_checklist_item_is_met_when_the_visit_rates_it_as_desired_and_few_visits_say_so() {
        let visit = |day: &str, current: u8| Assessment {
            meta: Meta::new(at("2026-11-01 09:00")),
            model: "mystery".into(),
            assessor: String::new(),
            team: "Vanak".into(),
            date: day.parse().unwrap(),
            ratings: BTreeMap::from([(
                "greeted_promptly".to_owned(),
                ItemRating {
                    current: Some(current),
                    desired: Some(6),
                    note: String::new(),
                },
            )]),
            actions: Vec::new(),
            finished: true,
        };
        let visits: Vec<Assessment> = [7, 6, 5, 6, 2, 6]
            .iter()
            .enumerate()
            .map(|(i, c)| visit(&format!("2026-11-{:02}", i + 1), *c))
            .collect();
        let cal = tehran_week();
        let target = |_| 24;
        let period = Period {
            from: None,
            to: None,
            calendar: &cal,
            target_hours: &target,
            now: at("2026-11-30 12:00"),
        };
        let s = standard(Measure::Checklist {
            item: "greeted_promptly".into(),
        });
        let f = compliance(&s, [], &visits, &period).unwrap();
        assert_eq!(f.n, 6);
        assert!((f.value.unwrap() - 400.0 / 6.0).abs() < 1e-9);
        // The first four visits only: fewer than the five a share needs.
        let early = Period {
            to: Some("2026-11-04".parse().unwrap()),
            ..period
        };
        let f = compliance(&s, [], &visits, &early).unwrap();
        assert_eq!((f.value, f.n), (None, 4));
        // A standard with no measure has no figure; an unknown checklist item is refused.
        let mut unmeasured = s.clone();
        unmeasured.measure = None;
        assert_eq!(compliance(&unmeasured, [], &visits, &period), None);
        let mut unknown = s.clone();
        unknown.measure = Some(Measure::Checklist {
            item: "<script>".into(),
        });
        assert!(unknown.validate().is_err());
        assert!(s.validate().is_ok());
    }
}
