//! A satisfaction card as a customer filled it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{digits, text, Meta, ValidationError};

/// Most answers one card may hold.
pub const MAX_ANSWERS: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    #[serde(flatten)]
    pub meta: Meta,
    /// The template the card was filled with, and its version at the time.
    pub template: Uuid,
    pub template_version: u32,
    /// Language the customer filled it in: `en` or `fa`.
    pub lang: String,
    pub branch: String,
    pub touchpoint: String,
    /// Answers by question id; unanswered questions are absent.
    pub answers: BTreeMap<String, Answer>,
}

/// One answer. A rating is the scale's value, the same in both languages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Rating(u8),
    Text(String),
    Choices(Vec<String>),
    Contact(Contact),
}

/// A way to reach the customer, and whether they agreed to a follow-up call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub value: String,
    pub consent: bool,
}

impl Contact {
    /// Checks that the value is a plausible phone number (7–15 digits, Persian digits welcome)
    /// or email address.
    pub fn validate(&self, field: &'static str) -> Result<(), ValidationError> {
        text::check(field, &self.value, text::SHORT)?;
        if is_phone(&self.value) || is_email(&self.value) {
            Ok(())
        } else {
            Err(ValidationError::Contact { field })
        }
    }
}

/// A phone number: digits in any of the three digit sets, with optional `+`, spaces, dashes and
/// parentheses.
pub fn is_phone(value: &str) -> bool {
    let n = digits::normalize(value);
    let n = n.trim();
    let body = n.strip_prefix('+').unwrap_or(n);
    let count = body.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&count)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
}

/// The address that opens a call or an email to `value`: `tel:` with the digits in ASCII and a
/// leading `+` kept, `mailto:` for an email address, nothing for anything else.
pub fn contact_href(value: &str) -> Option<String> {
    if is_phone(value) {
        let n = digits::normalize(value);
        let plus = if n.trim_start().starts_with('+') {
            "+"
        } else {
            ""
        };
        let digits: String = n.chars().filter(char::is_ascii_digit).collect();
        Some(format!("tel:{plus}{digits}"))
    } else if is_email(value) {
        Some(format!("mailto:{}", value.trim()))
    } else {
        None
    }
}

/// An email address in the plain form people type: one `@`, a dotted domain, no spaces.
pub fn is_email(value: &str) -> bool {
    let v = value.trim();
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && v.len() <= 254
        && !domain.contains('@')
        && !v.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

impl Card {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.lang != "en" && self.lang != "fa" {
            return Err(ValidationError::Unknown {
                field: "lang",
                value: self.lang.clone(),
            });
        }
        text::check("branch", &self.branch, text::SHORT)?;
        text::check("touchpoint", &self.touchpoint, text::SHORT)?;
        if self.answers.len() > MAX_ANSWERS {
            return Err(ValidationError::TooMany {
                field: "answers",
                max: MAX_ANSWERS,
                len: self.answers.len(),
            });
        }
        for (id, answer) in &self.answers {
            text::check_required("question", id, text::SHORT)?;
            match answer {
                Answer::Rating(v) if *v > 10 => {
                    return Err(ValidationError::OutOfRange {
                        field: "rating",
                        value: f64::from(*v),
                        min: 0.0,
                        max: 10.0,
                    })
                }
                Answer::Rating(_) => {}
                Answer::Text(t) => text::check("answer", t, text::LONG)?,
                Answer::Choices(c) => {
                    if c.len() > 50 {
                        return Err(ValidationError::TooMany {
                            field: "choices",
                            max: 50,
                            len: c.len(),
                        });
                    }
                    for choice in c {
                        text::check_required("choice", choice, text::SHORT)?;
                    }
                }
                Answer::Contact(contact) => contact.validate("contact")?,
            }
        }
        Ok(())
    }

    /// The rating given to a question, if any.
    pub fn rating(&self, question: &str) -> Option<u8> {
        match self.answers.get(question) {
            Some(Answer::Rating(v)) => Some(*v),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_in_persian_digits_are_accepted() {
        assert!(is_phone("۰۹۱۲ ۳۴۵ ۶۷۸۹"));
        assert!(is_phone("+98 912-345-6789"));
        assert!(!is_phone("12"));
        assert!(!is_phone("call me"));
    }

    #[test]
    fn email_addresses_need_a_dotted_domain() {
        assert!(is_email("sara@example.ir"));
        assert!(!is_email("sara@localhost"));
        assert!(!is_email("sa ra@example.ir"));
        assert!(!is_email("@example.ir"));
        assert!(!is_email("a@b@c.ir"));
    }

    #[test]
    fn phones_and_emails_become_call_and_mail_links_and_nothing_else_does() {
        assert_eq!(
            contact_href("۰۹۱۲ ۳۴۵ ۶۷۸۹").as_deref(),
            Some("tel:09123456789")
        );
        assert_eq!(
            contact_href("+98 (21) 555-0101").as_deref(),
            Some("tel:+98215550101")
        );
        assert_eq!(
            contact_href(" sara@example.com ").as_deref(),
            Some("mailto:sara@example.com")
        );
        assert_eq!(contact_href("javascript:alert(1)"), None);
        assert_eq!(contact_href("call me"), None);
    }
}
