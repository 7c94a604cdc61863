//! A card template: the questions a satisfaction card asks, each in both languages.

use chrono::{DateTime, Utc};
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
    /// Earlier versions that cards answered, oldest first, so every card can still be read
    /// with the wording it was given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous: Vec<TemplateVersion>,
}

/// A published version of a template, kept when a later edit changed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateVersion {
    pub version: u32,
    pub name: Bilingual,
    pub questions: Vec<Question>,
}

/// Most earlier versions one template keeps.
pub const MAX_VERSIONS: usize = 200;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "QuestionFields")]
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
    Rating {
        scale: Scale,
        /// Which words label the scale's points.
        #[serde(default)]
        anchors: Anchors,
    },
    Single {
        options: Vec<Choice>,
    },
    Multi {
        options: Vec<Choice>,
    },
    ShortText,
    LongText,
    Contact,
}

/// A question as stored: its kind's tag and fields beside its own. Read through this plain
/// struct rather than serde's flattened, internally tagged path, which buffers every question
/// first and is the largest reader in the card page's code; written as derived.
#[derive(Deserialize)]
struct QuestionFields {
    id: String,
    text: Bilingual,
    #[serde(rename = "type")]
    kind: KindTag,
    #[serde(default)]
    scale: Option<Scale>,
    #[serde(default)]
    anchors: Option<Anchors>,
    #[serde(default)]
    options: Option<Vec<Choice>>,
    required: bool,
    #[serde(default)]
    dimension: Option<Dimension>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    Rating,
    Single,
    Multi,
    ShortText,
    LongText,
    Contact,
}

impl TryFrom<QuestionFields> for Question {
    type Error = String;

    fn try_from(q: QuestionFields) -> Result<Self, String> {
        let missing = super::missing_field;
        let kind = match q.kind {
            KindTag::Rating => QuestionKind::Rating {
                scale: q.scale.ok_or_else(|| missing("scale"))?,
                anchors: q.anchors.unwrap_or_default(),
            },
            KindTag::Single => QuestionKind::Single {
                options: q.options.ok_or_else(|| missing("options"))?,
            },
            KindTag::Multi => QuestionKind::Multi {
                options: q.options.ok_or_else(|| missing("options"))?,
            },
            KindTag::ShortText => QuestionKind::ShortText,
            KindTag::LongText => QuestionKind::LongText,
            KindTag::Contact => QuestionKind::Contact,
        };
        Ok(Question {
            id: q.id,
            text: q.text,
            kind,
            required: q.required,
            dimension: q.dimension,
        })
    }
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

/// The words under a rating scale's points (from the locale files, `scale.<anchors>.<value>`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchors {
    /// Only the numbers.
    #[default]
    Numbers,
    /// Very dissatisfied … very satisfied (1–5).
    Satisfaction,
    /// Strongly disagree … strongly agree (1–5 or 1–7).
    Agreement,
    /// Not at all likely … extremely likely, on the ends of 0–10.
    Likelihood,
}

impl Anchors {
    pub fn code(self) -> &'static str {
        match self {
            Anchors::Numbers => "numbers",
            Anchors::Satisfaction => "satisfaction",
            Anchors::Agreement => "agreement",
            Anchors::Likelihood => "likelihood",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub text: Bilingual,
}

/// Why an answer set does not fit its template, per question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A required question has no answer.
    Required,
    /// The answer is not one the question allows (a rating off its scale, an unknown choice).
    NotAllowed,
    /// The contact is neither a phone number nor an email address.
    Contact,
    /// A text is too long or holds control characters.
    Text,
}

impl AnswerProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            AnswerProblem::Required => "card.error.required",
            AnswerProblem::NotAllowed => "card.error.not_allowed",
            AnswerProblem::Contact => "card.error.contact",
            AnswerProblem::Text => "card.error.text",
        }
    }
}

/// The default card's texts, by locale key, in both languages.
pub type Texts<'a> = &'a dyn Fn(&str) -> Bilingual;

impl CardTemplate {
    /// The card every installation starts with: overall satisfaction, likelihood to recommend,
    /// one item per RATER dimension, what went well, what to improve, and an optional contact.
    /// Texts come from the locale files through `text` (keys `card.default.*`).
    pub fn default_card(meta: Meta, text: Texts) -> CardTemplate {
        let rating = |id: &str, scale, anchors, required, dimension| Question {
            id: id.to_owned(),
            text: text(&format!("card.default.{id}")),
            kind: QuestionKind::Rating { scale, anchors },
            required,
            dimension,
        };
        let mut questions = vec![
            rating(
                "overall",
                Scale::OneToFive,
                Anchors::Satisfaction,
                true,
                None,
            ),
            rating(
                "recommend",
                Scale::ZeroToTen,
                Anchors::Likelihood,
                false,
                None,
            ),
        ];
        for d in Dimension::ALL {
            questions.push(rating(
                &format!("rater_{}", d.code()),
                Scale::OneToFive,
                Anchors::Agreement,
                false,
                Some(d),
            ));
        }
        for id in ["well", "improve"] {
            questions.push(Question {
                id: id.to_owned(),
                text: text(&format!("card.default.{id}")),
                kind: QuestionKind::LongText,
                required: false,
                dimension: None,
            });
        }
        questions.push(Question {
            id: "contact".to_owned(),
            text: text("card.default.contact"),
            kind: QuestionKind::Contact,
            required: false,
            dimension: None,
        });
        CardTemplate {
            meta: Meta {
                id: DEFAULT_TEMPLATE_ID,
                ..meta
            },
            name: text("card.default.name"),
            version: 1,
            archived: false,
            questions,
            previous: Vec::new(),
        }
    }

    /// Checks answers against the questions: required ones answered, ratings on their scale,
    /// choices among the options, contacts valid, texts within limits. Answers to questions the
    /// template does not have are refused too.
    pub fn check_answers(
        &self,
        answers: &std::collections::BTreeMap<String, super::card::Answer>,
    ) -> Vec<(String, AnswerProblem)> {
        use super::card::Answer;
        let mut problems = Vec::new();
        for q in &self.questions {
            let problem = match (answers.get(&q.id), &q.kind) {
                (None, _) if q.required => Some(AnswerProblem::Required),
                (None, _) => None,
                (Some(Answer::Rating(v)), QuestionKind::Rating { scale, .. }) => {
                    (!scale.range().contains(v)).then_some(AnswerProblem::NotAllowed)
                }
                (Some(Answer::Text(t)), QuestionKind::ShortText | QuestionKind::LongText) => {
                    let max = if q.kind == QuestionKind::ShortText {
                        text::SHORT
                    } else {
                        text::LONG
                    };
                    if t.trim().is_empty() && q.required {
                        Some(AnswerProblem::Required)
                    } else {
                        text::check("answer", t, max)
                            .err()
                            .map(|_| AnswerProblem::Text)
                    }
                }
                (
                    Some(Answer::Choices(c)),
                    QuestionKind::Single { options } | QuestionKind::Multi { options },
                ) => {
                    let single = matches!(q.kind, QuestionKind::Single { .. });
                    if c.is_empty() && q.required {
                        Some(AnswerProblem::Required)
                    } else if (single && c.len() > 1)
                        || c.iter().any(|id| !options.iter().any(|o| &o.id == id))
                    {
                        Some(AnswerProblem::NotAllowed)
                    } else {
                        None
                    }
                }
                (Some(Answer::Contact(c)), QuestionKind::Contact) => {
                    c.validate("contact").err().map(|_| AnswerProblem::Contact)
                }
                (Some(_), _) => Some(AnswerProblem::NotAllowed),
            };
            if let Some(p) = problem {
                problems.push((q.id.clone(), p));
            }
        }
        for id in answers.keys() {
            if !self.questions.iter().any(|q| &q.id == id) {
                problems.push((id.clone(), AnswerProblem::NotAllowed));
            }
        }
        problems
    }

    /// The questions a card of `version` answered: the current ones, or a kept earlier version's.
    pub fn questions_of(&self, version: u32) -> &[Question] {
        self.previous
            .iter()
            .find(|v| v.version == version)
            .map_or(&self.questions, |v| &v.questions)
    }

    /// The template after an edit. When cards already answered the current version and the
    /// edit changes what they were asked, the current version is kept and the number goes up;
    /// otherwise the edit replaces the current version in place.
    pub fn revise(
        &self,
        name: Bilingual,
        questions: Vec<Question>,
        answered: bool,
        now: DateTime<Utc>,
    ) -> CardTemplate {
        let mut next = self.clone();
        let changed = name != self.name || questions != self.questions;
        if changed && answered {
            next.previous.push(TemplateVersion {
                version: self.version,
                name: self.name.clone(),
                questions: self.questions.clone(),
            });
            next.version += 1;
        }
        next.name = name;
        next.questions = questions;
        if changed {
            next.meta.touch(now);
        }
        next
    }

    /// A new, independent template with the same questions, at version 1.
    pub fn duplicate(&self, meta: Meta, name: Bilingual) -> CardTemplate {
        CardTemplate {
            meta,
            name,
            version: 1,
            archived: false,
            questions: self.questions.clone(),
            previous: Vec::new(),
        }
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.previous.len() > MAX_VERSIONS {
            return Err(ValidationError::TooMany {
                field: "versions",
                max: MAX_VERSIONS,
                len: self.previous.len(),
            });
        }
        for v in &self.previous {
            v.name.check("name", text::SHORT)?;
            Self::validate_questions(&v.questions)?;
        }
        self.name.check("name", text::SHORT)?;
        Self::validate_questions(&self.questions)
    }

    fn validate_questions(questions: &[Question]) -> Result<(), ValidationError> {
        if questions.len() > MAX_QUESTIONS {
            return Err(ValidationError::TooMany {
                field: "questions",
                max: MAX_QUESTIONS,
                len: questions.len(),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for q in questions {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    /// Questions are read from their plain fields: every kind as written, and what is missing
    /// or unknown named.
    #[test]
    fn questions_read_back_as_written() {
        let choices = vec![Choice {
            id: "a".into(),
            text: Bilingual::new("A", "الف"),
        }];
        let mut all = template().questions;
        for kind in [
            QuestionKind::Single {
                options: choices.clone(),
            },
            QuestionKind::Multi { options: choices },
            QuestionKind::ShortText,
        ] {
            all.push(Question {
                id: "more".into(),
                text: Bilingual::new("Q", "س"),
                kind,
                required: true,
                dimension: None,
            });
        }
        for q in all {
            let json = serde_json::to_string(&q).unwrap();
            assert_eq!(
                serde_json::from_str::<Question>(&json).unwrap(),
                q,
                "{json}"
            );
        }
        let read = |json: &str| {
            serde_json::from_str::<Question>(json)
                .unwrap_err()
                .to_string()
        };
        let text = r#""text":{"en":"Q","fa":"س"},"required":false"#;
        assert!(read(&format!(r#"{{"id":"q","type":"rating",{text}}}"#))
            .contains("missing field `scale`"));
        assert!(read(&format!(r#"{{"id":"q","type":"single",{text}}}"#))
            .contains("missing field `options`"));
        assert!(read(&format!(r#"{{"id":"q","type":"essay",{text}}}"#))
            .contains("unknown variant `essay`"));
        assert!(read(r#"{"id":"q","type":"short_text","required":false}"#)
            .contains("missing field `text`"));
        let rating: Question = serde_json::from_str(&format!(
            r#"{{"id":"q","type":"rating","scale":"one_to_seven",{text}}}"#
        ))
        .unwrap();
        assert_eq!(
            rating.kind,
            QuestionKind::Rating {
                scale: Scale::OneToSeven,
                anchors: Anchors::Numbers
            }
        );
    }

    use super::*;
    use crate::domain::card::{Answer, Contact};

    fn template() -> CardTemplate {
        CardTemplate::default_card(Meta::new(chrono::Utc::now()), &|key| {
            Bilingual::new(key, key)
        })
    }

    #[test]
    fn the_default_card_asks_what_the_spec_lists_and_only_overall_is_required() {
        let t = template();
        let ids: Vec<&str> = t.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, DEFAULT_QUESTION_IDS.to_vec());
        let required: Vec<&str> = t
            .questions
            .iter()
            .filter(|q| q.required)
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(required, vec!["overall"]);
        assert_eq!(t.meta.id, DEFAULT_TEMPLATE_ID);
        assert_eq!(t.validate(), Ok(()));
        let dims: Vec<_> = t.questions.iter().filter_map(|q| q.dimension).collect();
        assert_eq!(dims, Dimension::ALL.to_vec());
    }

    #[test]
    fn only_the_overall_rating_is_needed_to_submit() {
        let t = template();
        let mut a = BTreeMap::new();
        assert_eq!(
            t.check_answers(&a),
            vec![("overall".to_owned(), AnswerProblem::Required)]
        );
        a.insert("overall".to_owned(), Answer::Rating(5));
        assert_eq!(t.check_answers(&a), vec![]);
    }

    #[test]
    fn answers_off_the_scale_or_to_unknown_questions_are_refused() {
        let t = template();
        let mut a = BTreeMap::new();
        a.insert("overall".to_owned(), Answer::Rating(6));
        a.insert("recommend".to_owned(), Answer::Rating(0));
        a.insert("nonsense".to_owned(), Answer::Rating(1));
        a.insert("well".to_owned(), Answer::Rating(1));
        assert_eq!(
            t.check_answers(&a),
            vec![
                ("overall".to_owned(), AnswerProblem::NotAllowed),
                ("well".to_owned(), AnswerProblem::NotAllowed),
                ("nonsense".to_owned(), AnswerProblem::NotAllowed),
            ]
        );
    }

    #[test]
    fn editing_an_answered_template_keeps_the_old_version_for_its_cards() {
        let t = template();
        let later = t.meta.created + chrono::Duration::minutes(5);
        let mut questions = t.questions.clone();
        questions[0].text = Bilingual::new("How was it?", "چطور بود؟");
        questions.pop();

        let unanswered = t.revise(t.name.clone(), questions.clone(), false, later);
        assert_eq!((unanswered.version, unanswered.previous.len()), (1, 0));

        let answered = t.revise(t.name.clone(), questions.clone(), true, later);
        assert_eq!(answered.version, 2);
        assert_eq!(answered.previous.len(), 1);
        assert_eq!(answered.questions_of(1), &t.questions[..]);
        assert_eq!(answered.questions_of(2), &questions[..]);
        assert_eq!(answered.meta.updated, later);
        assert_eq!(answered.validate(), Ok(()));

        let same = answered.revise(
            answered.name.clone(),
            answered.questions.clone(),
            true,
            later,
        );
        assert_eq!(same, answered, "saving without a change is no new version");
    }

    #[test]
    fn a_duplicate_starts_at_version_one_with_its_own_id() {
        let t = template().revise(Bilingual::new("A", "ا"), vec![], true, chrono::Utc::now());
        let copy = t.duplicate(
            Meta::new(chrono::Utc::now()),
            Bilingual::new("Copy", "رونوشت"),
        );
        assert_ne!(copy.meta.id, t.meta.id);
        assert_eq!((copy.version, copy.previous.len()), (1, 0));
        assert_eq!(copy.questions, t.questions);
    }

    #[test]
    fn a_contact_must_be_a_phone_or_an_email() {
        let t = template();
        let mut a = BTreeMap::new();
        a.insert("overall".to_owned(), Answer::Rating(3));
        a.insert(
            "contact".to_owned(),
            Answer::Contact(Contact {
                value: "call me".into(),
                consent: true,
            }),
        );
        assert_eq!(
            t.check_answers(&a),
            vec![("contact".to_owned(), AnswerProblem::Contact)]
        );
        a.insert(
            "contact".to_owned(),
            Answer::Contact(Contact {
                value: "۰۹۱۲۳۴۵۶۷۸۹".into(),
                consent: true,
            }),
        );
        assert_eq!(t.check_answers(&a), vec![]);
    }
}
