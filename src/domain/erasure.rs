//! Erasures that must reach the shop's whole history, not only what one device holds: a
//! customer erased, and the retention rule. A device that keeps a window erases what it holds
//! as before; the rest is found on the shop's server with Mango selectors (CouchDB's `_find`),
//! checked here record by record with the same rules, erased and sent back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{
    card::Card,
    customer::{self, card_contact, Key},
    feedback::FeedbackItem,
    template::{CardTemplate, QuestionKind},
    Record,
};

/// One erasure to carry out on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Erasure {
    /// A customer was erased: every card and feedback item carrying one of these contacts
    /// loses it (and an item, the customer's name).
    Customer { contacts: Vec<String> },
    /// The retention rule: cards made before `before` lose their contact, items unchanged
    /// since before it lose the customer's name and contact.
    Retention { before: DateTime<Utc> },
}

impl Erasure {
    /// The record without what this erasure takes, if it has any of it.
    pub fn apply(&self, record: &Record, now: DateTime<Utc>) -> Option<Record> {
        match (self, record) {
            (Erasure::Customer { contacts }, Record::Card(c)) => {
                let keys: Vec<Key> = contacts.iter().filter_map(|c| customer::key(c)).collect();
                card_key(c)
                    .is_some_and(|k| keys.contains(&k))
                    .then(|| Record::Card(customer::erased_card(c, now)))
            }
            (Erasure::Customer { contacts }, Record::Feedback(f)) => {
                let keys: Vec<Key> = contacts.iter().filter_map(|c| customer::key(c)).collect();
                let k = f.contact.as_ref().and_then(|c| customer::key(&c.value));
                k.is_some_and(|k| keys.contains(&k))
                    .then(|| Record::Feedback(customer::erased_item(f, now)))
            }
            (Erasure::Retention { before }, Record::Card(c)) => (c.meta.created < *before
                && card_contact(c).is_some())
            .then(|| Record::Card(customer::erased_card(c, now))),
            (Erasure::Retention { before }, Record::Feedback(f)) => (f.meta.updated < *before
                && has_person(f))
            .then(|| Record::Feedback(customer::erased_item(f, now))),
            _ => None,
        }
    }

    /// Mango selectors that together find every card and item this erasure may concern (a few
    /// more, which [`Erasure::apply`] then passes over). The contact questions are those of the
    /// shop's card designs.
    pub fn selectors(&self, templates: &[CardTemplate]) -> Vec<Value> {
        let mut questions: Vec<&str> = templates
            .iter()
            .flat_map(|t| &t.questions)
            .filter(|q| matches!(q.kind, QuestionKind::Contact))
            .map(|q| q.id.as_str())
            .collect();
        questions.sort_unstable();
        questions.dedup();
        let field = |q: &str| format!("answers.{}.contact", escape_field(q));
        let either = |list: Vec<Value>| match list.len() {
            1 => list.into_iter().next().unwrap_or_default(),
            _ => json!({ "$or": list }),
        };
        let mut cards = ids("card");
        let mut items = ids("feedback");
        match self {
            Erasure::Customer { contacts } => {
                let patterns: Vec<String> = contacts.iter().filter_map(|c| pattern(c)).collect();
                if patterns.is_empty() || questions.is_empty() {
                    return Vec::new();
                }
                let on_cards = questions
                    .iter()
                    .flat_map(|q| {
                        patterns
                            .iter()
                            .map(move |p| json!({ format!("{}.value", field(q)): { "$regex": p } }))
                    })
                    .collect();
                let on_items = patterns
                    .iter()
                    .map(|p| json!({ "contact.value": { "$regex": p } }))
                    .collect();
                merge(&mut cards, either(on_cards));
                merge(&mut items, either(on_items));
            }
            Erasure::Retention { before } => {
                let day = before.date_naive().to_string();
                if questions.is_empty() {
                    cards = Value::Null;
                } else {
                    cards["created"] = json!({ "$lt": day });
                    let with_contact = questions
                        .iter()
                        .map(|q| json!({ field(q): { "$exists": true } }))
                        .collect();
                    merge(&mut cards, either(with_contact));
                }
                items["updated"] = json!({ "$lt": day });
                merge(
                    &mut items,
                    json!({ "$or": [
                        { "contact.value": { "$exists": true } },
                        { "customer": { "$gt": "" } }
                    ] }),
                );
            }
        }
        [cards, items]
            .into_iter()
            .filter(|s| !s.is_null())
            .collect()
    }
}

fn card_key(c: &Card) -> Option<Key> {
    card_contact(c).and_then(|c| customer::key(&c.value))
}

fn has_person(f: &FeedbackItem) -> bool {
    !f.customer.is_empty() || f.contact.is_some()
}

/// The selector for one kind of record's documents.
fn ids(kind: &str) -> Value {
    json!({ "_id": { "$gt": format!("{kind}-"), "$lt": format!("{kind}.") } })
}

fn merge(selector: &mut Value, more: Value) {
    if let (Some(s), Some(m)) = (selector.as_object_mut(), more.as_object()) {
        for (k, v) in m {
            s.insert(k.clone(), v.clone());
        }
    }
}

/// A question id as one part of a Mango field path.
fn escape_field(id: &str) -> String {
    id.replace('\\', "\\\\").replace('.', "\\.")
}

/// A regular expression that matches a contact however it was written: a phone number's last
/// eight digits in Latin, Persian or Arabic digits with spaces, dashes, dots or brackets
/// between them; an e-mail address in any case. Written with alternations of whole characters
/// and ASCII classes only, so CouchDB (which matches bytes) and pouchdb-server (JavaScript)
/// read it alike.
fn pattern(contact: &str) -> Option<String> {
    const SEP: &str = "[ ()./-]*";
    match customer::key(contact)? {
        Key::Phone(digits) => {
            let tail: Vec<char> = digits.chars().collect();
            let tail = &tail[tail.len().saturating_sub(8)..];
            let parts: Vec<String> = tail
                .iter()
                .map(|d| {
                    let n = d.to_digit(10).unwrap_or(0);
                    let persian = char::from_u32(0x06F0 + n).unwrap_or(*d);
                    let arabic = char::from_u32(0x0660 + n).unwrap_or(*d);
                    format!("(?:{d}|{persian}|{arabic})")
                })
                .collect();
            Some(format!("{}{SEP}$", parts.join(SEP)))
        }
        Key::Email(address) => {
            let body: String = address
                .chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
                    } else if c.is_ascii_alphanumeric() {
                        c.to_string()
                    } else if c.is_ascii() {
                        format!("\\{c}")
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            Some(format!("^\\s*{body}\\s*$"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        card::{Answer, Contact},
        feedback::testing::complaint_at,
        template::CardTemplate,
        Meta,
    };
    use chrono::TimeZone;

    fn card_with(contact: &str, at: DateTime<Utc>) -> Card {
        Card {
            meta: Meta::new(at),
            template: crate::domain::template::DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: "fa".into(),
            branch: "Tajrish".into(),
            touchpoint: "kiosk".into(),
            answers: [
                ("overall".to_owned(), Answer::Rating(1)),
                (
                    "contact".to_owned(),
                    Answer::Contact(Contact {
                        value: contact.into(),
                        consent: true,
                    }),
                ),
            ]
            .into(),
        }
    }

    fn regex(p: &str) -> regex::Regex {
        regex::Regex::new(p).unwrap()
    }

    #[test]
    fn a_number_matches_however_it_was_written_and_the_check_is_exact() {
        let p = pattern("0912 345 6789").unwrap();
        for written in [
            "09123456789",
            "+98 912 345 6789",
            "0098-912-345-6789",
            "۰۹۱۲۳۴۵۶۷۸۹",
            "(0912) 345.6789",
        ] {
            assert!(regex(&p).is_match(written), "{written}");
        }
        assert!(!regex(&p).is_match("09123456780"));
        let at = Utc.with_ymd_and_hms(2023, 3, 1, 9, 0, 0).unwrap();
        let e = Erasure::Customer {
            contacts: vec!["+989123456789".into()],
        };
        let now = Utc::now();
        let Some(Record::Card(clean)) = e.apply(&Record::Card(card_with("۰۹۱۲ ۳۴۵ ۶۷۸۹", at)), now)
        else {
            panic!("the card is the customer's")
        };
        assert!(card_contact(&clean).is_none());
        assert_eq!(clean.rating("overall"), Some(1));
        // The same last eight digits in another country: found by the pattern, left by the check.
        assert!(e
            .apply(&Record::Card(card_with("+44 7912 345 6789", at)), now)
            .is_none());
    }

    #[test]
    fn an_address_matches_in_any_case_and_items_lose_the_name_too() {
        let p = pattern("Sara.K@Example.com").unwrap();
        assert!(regex(&p).is_match(" sara.k@EXAMPLE.com"));
        assert!(!regex(&p).is_match("saraxk@example.com"));
        let mut item = complaint_at(Utc.with_ymd_and_hms(2023, 3, 1, 9, 0, 0).unwrap());
        item.customer = "Sara".into();
        item.contact = Some(Contact {
            value: "sara.k@example.com".into(),
            consent: true,
        });
        let e = Erasure::Customer {
            contacts: vec!["SARA.K@example.com".into()],
        };
        let Some(Record::Feedback(clean)) = e.apply(&Record::Feedback(item), Utc::now()) else {
            panic!("the item is the customer's")
        };
        assert!(clean.customer.is_empty() && clean.contact.is_none());
    }

    #[test]
    fn the_selectors_name_the_contact_questions_and_the_retention_day() {
        let templates = vec![CardTemplate::default_card(Meta::new(Utc::now()), &|key| {
            crate::domain::text::Bilingual::new(key, key)
        })];
        let s = Erasure::Customer {
            contacts: vec!["09123456789".into()],
        }
        .selectors(&templates);
        assert_eq!(s.len(), 2);
        assert!(s[0]["answers.contact.contact.value"]["$regex"].is_string());
        assert!(s[1]["contact.value"]["$regex"].is_string());
        let before = Utc.with_ymd_and_hms(2024, 12, 7, 9, 0, 0).unwrap();
        let r = Erasure::Retention { before }.selectors(&templates);
        assert_eq!(r[0]["created"]["$lt"], "2024-12-07");
        assert_eq!(r[0]["answers.contact.contact"]["$exists"], true);
        assert_eq!(r[1]["updated"]["$lt"], "2024-12-07");
        // A shop with no contact question keeps no contact on cards: only items are asked for.
        assert_eq!(Erasure::Retention { before }.selectors(&[]).len(), 1);
    }
}
