//! A card template: the questions a satisfaction card asks, each in both languages.

use serde::{Deserialize, Serialize};

use super::{rater::Dimension, text, text::Bilingual, Meta, ValidationError};

/// The id of the card every installation starts with, the same on every device so cards from
/// several kiosks count as answers to one card.
pub const DEFAULT_TEMPLATE_ID: uuid::Uuid =
    uuid::Uuid::from_u128(0x4c50_4341_5244_4445_4641_0000_0000_0001);

/// Question ids of the default card. Storage encodes these as one-byte codes, so the list is
/// append-only: never reorder or remove an entry.
pub const DEFAULT_QUESTION_IDS: [&str; 10] = [
    "overall",
    "recommend",
    "rater_reliability",
    "rater_assurance",
    "rater_tangibles",
    "rater_empathy",
    "rater_responsiveness",
    "well",
    "improve",
    "contact",
];

/// Most questions one template may hold.
pub const MAX_QUESTIONS: usize = 60;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardTemplate {
    #[serde(flatten)]
    pub meta: Meta,
    pub name: Bilingual,
    /// Raised on every published change, so each card says which wording it answered.
    pub version: u32,
    pub archived: bool,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within the template; cards key their answers by it.
    pub id: String,
    pub text: Bilingual,
    #[serde(flatten)]
    pub kind: QuestionKind,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<Dimension>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    Rating { scale: Scale },
    Single { options: Vec<Choice> },
    Multi { options: Vec<Choice> },
    ShortText,
    LongText,
    Contact,
}

/// Rating scales: 1–5, 0–10 (likelihood to recommend) and 1–7.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    OneToFive,
    ZeroToTen,
    OneToSeven,
}

impl Scale {
    pub fn range(self) -> std::ops::RangeInclusive<u8> {
        match self {
            Scale::OneToFive => 1..=5,
            Scale::ZeroToTen => 0..=10,
            Scale::OneToSeven => 1..=7,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub text: Bilingual,
}

impl CardTemplate {
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.name.check("name", text::SHORT)?;
        if self.questions.len() > MAX_QUESTIONS {
            return Err(ValidationError::TooMany {
                field: "questions",
                max: MAX_QUESTIONS,
                len: self.questions.len(),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for q in &self.questions {
            text::check_required("question id", &q.id, text::SHORT)?;
            if !seen.insert(q.id.as_str()) {
                return Err(ValidationError::Duplicate {
                    field: "question id",
                    value: q.id.clone(),
                });
            }
            q.text.check("question", text::LONG)?;
            if let QuestionKind::Single { options } | QuestionKind::Multi { options } = &q.kind {
                if options.is_empty() || options.len() > 50 {
                    return Err(ValidationError::TooMany {
                        field: "options",
                        max: 50,
                        len: options.len(),
                    });
                }
                for o in options {
                    text::check_required("option id", &o.id, text::SHORT)?;
                    o.text.check("option", text::SHORT)?;
                }
            }
        }
        Ok(())
    }
}
