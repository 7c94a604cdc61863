//! The business's settings: one record, shared by every device that imports it.

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    feedback::FeedbackKind, pin::PinHash, rater::Dimension, text, Meta, ValidationError,
    SCHEMA_VERSION,
};

/// The settings record's fixed id, so settings from two devices merge into one.
pub const SETTINGS_ID: Uuid = Uuid::from_u128(0x4c50_5345_5454_494e_4753_0000_0000_0001);

pub const MAX_LIST: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(flatten)]
    pub meta: Meta,
    pub business_name: String,
    pub branches: Vec<String>,
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
}

fn default_idle() -> u32 {
    90
}

impl Settings {
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
            branches: Vec::new(),
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
        }
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.meta.id != SETTINGS_ID {
            return Err(ValidationError::Unknown {
                field: "settings id",
                value: self.meta.id.to_string(),
            });
        }
        text::check("business name", &self.business_name, text::SHORT)?;
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
        if self.follow_up_days > 365 {
            return Err(ValidationError::OutOfRange {
                field: "follow-up days",
                value: f64::from(self.follow_up_days),
                min: 0.0,
                max: 365.0,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_nan_weight_is_refused() {
        let mut s = Settings::defaults(Utc::now());
        s.weights.insert(Dimension::Empathy, f64::NAN);
        assert!(s.validate().is_err());
    }
}
