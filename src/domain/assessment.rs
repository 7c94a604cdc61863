//! A staff self-assessment against a model (RATER, Prompt, mystery shopper): current and desired
//! ratings per guiding question, and the next actions that close the gaps.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{text, Meta, ValidationError};

/// Ratings in an assessment run from 1 (far from it) to 7 (fully so).
pub const RATING_MIN: u8 = 1;
pub const RATING_MAX: u8 = 7;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    #[serde(flatten)]
    pub meta: Meta,
    /// Model id: `rater`, `prompt` or `mystery`.
    pub model: String,
    pub assessor: String,
    pub team: String,
    pub date: NaiveDate,
    /// Ratings by guiding-question id.
    pub ratings: BTreeMap<String, ItemRating>,
    pub actions: Vec<Action>,
    pub finished: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRating {
    pub current: Option<u8>,
    pub desired: Option<u8>,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: Uuid,
    /// The dimension (or activity) the action works on.
    pub dimension: String,
    pub text: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl Assessment {
    pub fn validate(&self) -> Result<(), ValidationError> {
        let Some(model) = super::model::get(&self.model) else {
            return Err(ValidationError::Unknown {
                field: "model",
                value: self.model.clone(),
            });
        };
        text::check("assessor", &self.assessor, text::SHORT)?;
        text::check("team", &self.team, text::SHORT)?;
        if self.ratings.len() > 500 {
            return Err(ValidationError::TooMany {
                field: "ratings",
                max: 500,
                len: self.ratings.len(),
            });
        }
        for (id, r) in &self.ratings {
            text::check_required("question", id, text::SHORT)?;
            if !model.items.iter().any(|i| &i.id == id) {
                return Err(ValidationError::Unknown {
                    field: "question",
                    value: id.clone(),
                });
            }
            for v in [r.current, r.desired].into_iter().flatten() {
                if !(RATING_MIN..=RATING_MAX).contains(&v) {
                    return Err(ValidationError::OutOfRange {
                        field: "rating",
                        value: f64::from(v),
                        min: f64::from(RATING_MIN),
                        max: f64::from(RATING_MAX),
                    });
                }
            }
            text::check("note", &r.note, text::LONG)?;
        }
        if self.actions.len() > 500 {
            return Err(ValidationError::TooMany {
                field: "actions",
                max: 500,
                len: self.actions.len(),
            });
        }
        for a in &self.actions {
            text::check("dimension", &a.dimension, text::SHORT)?;
            if !model.dimensions.contains(&a.dimension) {
                return Err(ValidationError::Unknown {
                    field: "dimension",
                    value: a.dimension.clone(),
                });
            }
            text::check_required("action", &a.text, text::LONG)?;
            text::check("owner", &a.owner, text::SHORT)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Assessment {
        Assessment {
            meta: Meta::new(chrono::Utc::now()),
            model: "prompt".into(),
            assessor: "Sara".into(),
            team: "Tajrish".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            ratings: BTreeMap::from([(
                "guarantees".to_owned(),
                ItemRating {
                    current: Some(2),
                    desired: Some(7),
                    note: String::new(),
                },
            )]),
            actions: vec![Action {
                id: Uuid::nil(),
                dimension: "reliability".into(),
                text: "Publish a guarantee for late delivery".into(),
                owner: String::new(),
                due: None,
                status: ActionStatus::Planned,
            }],
            finished: false,
        }
    }

    #[test]
    fn ratings_and_actions_must_belong_to_the_model() {
        assert_eq!(sample().validate(), Ok(()));
        let mut a = sample();
        a.ratings
            .insert("promises_kept".into(), ItemRating::default());
        assert!(matches!(
            a.validate(),
            Err(ValidationError::Unknown {
                field: "question",
                ..
            })
        ));
        let mut a = sample();
        a.actions[0].dimension = "empathy".into();
        assert!(matches!(
            a.validate(),
            Err(ValidationError::Unknown {
                field: "dimension",
                ..
            })
        ));
        let mut a = sample();
        a.model = "servqual".into();
        assert!(matches!(
            a.validate(),
            Err(ValidationError::Unknown { field: "model", .. })
        ));
    }

    #[test]
    fn ratings_stay_on_the_one_to_seven_scale() {
        let mut a = sample();
        a.ratings.get_mut("guarantees").unwrap().desired = Some(8);
        assert!(matches!(
            a.validate(),
            Err(ValidationError::OutOfRange { .. })
        ));
        a.ratings.get_mut("guarantees").unwrap().desired = Some(0);
        assert!(a.validate().is_err());
    }
}
