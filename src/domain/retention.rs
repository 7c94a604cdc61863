//! Retention of personal data: after the period Settings sets, customers' names and contacts
//! are erased, while ratings, comments and how each item was handled stay for the figures.
//!
//! - a card older than the period loses the contact it carries;
//! - a feedback item with no change for the period loses the customer's name and contact;
//! - a customer profile not heard from for the period (no card, item or call; a profile with
//!   none, since it was made) is deleted.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{
    customer::{self, card_contact},
    settings::{RetentionRun, Settings, MAX_RETENTION_LOG},
    Dataset, Record,
};

/// What one run of the rule would change.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Cards and feedback items without their personal data.
    pub writes: Vec<Record>,
    /// Customer profiles to delete.
    pub customers: Vec<Uuid>,
    pub run: RetentionRun,
}

/// The run due at `now` under `days` of retention, or `None` when retention is off or nothing
/// is old enough.
pub fn plan(data: &Dataset, days: u32, now: DateTime<Utc>) -> Option<Plan> {
    if days == 0 {
        return None;
    }
    let cutoff = now - Duration::days(i64::from(days));
    let cards: Vec<Record> = data
        .cards
        .values()
        .filter(|c| c.meta.created < cutoff && card_contact(c).is_some())
        .map(|c| Record::Card(customer::erased_card(c, now)))
        .collect();
    let items: Vec<Record> = data
        .feedback
        .values()
        .filter(|i| i.meta.updated < cutoff && (!i.customer.is_empty() || i.contact.is_some()))
        .map(|i| Record::Feedback(customer::erased_item(i, now)))
        .collect();
    let heard = customer::summaries(data);
    let customers: Vec<Uuid> = data
        .customers
        .values()
        .filter(|c| {
            let last = heard.get(&c.meta.id).and_then(|s| s.last);
            last.unwrap_or(c.meta.created) < cutoff
        })
        .map(|c| c.meta.id)
        .collect();
    if cards.is_empty() && items.is_empty() && customers.is_empty() {
        return None;
    }
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let run = RetentionRun {
        at: now,
        days,
        cards: count(cards.len()),
        items: count(items.len()),
        customers: count(customers.len()),
    };
    let mut writes = cards;
    writes.extend(items);
    Some(Plan {
        writes,
        customers,
        run,
    })
}

/// The settings with `run` logged, the oldest entries dropped past the log's length.
pub fn logged(settings: &Settings, run: RetentionRun) -> Settings {
    let mut s = settings.clone();
    s.retention_log.push(run);
    let extra = s.retention_log.len().saturating_sub(MAX_RETENTION_LOG);
    s.retention_log.drain(..extra);
    s.meta.updated = s
        .meta
        .updated
        .max(s.retention_log[s.retention_log.len() - 1].at);
    s
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::TimeZone;

    use super::*;
    use crate::domain::{
        card::{Answer, Card, Contact},
        customer::Customer,
        feedback::{Channel, FeedbackItem, FeedbackKind},
        Meta,
    };

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
    }

    fn meta(days_ago: i64, n: u128) -> Meta {
        let at = now() - Duration::days(days_ago);
        Meta {
            id: Uuid::from_u128(n),
            created: at,
            updated: at,
            v: 1,
        }
    }

    fn card(days_ago: i64, n: u128, contact: Option<&str>) -> Card {
        let mut answers = BTreeMap::from([("overall".to_owned(), Answer::Rating(2))]);
        answers.insert("improve".into(), Answer::Text("Too slow".into()));
        if let Some(value) = contact {
            answers.insert(
                "contact".into(),
                Answer::Contact(Contact {
                    value: value.into(),
                    consent: true,
                }),
            );
        }
        Card {
            meta: meta(days_ago, n),
            template: Uuid::from_u128(7),
            template_version: 1,
            lang: "en".into(),
            branch: "Tajrish".into(),
            touchpoint: String::new(),
            answers,
        }
    }

    fn item(days_ago: i64, n: u128, name: &str) -> FeedbackItem {
        let mut i = FeedbackItem::reported(
            meta(days_ago, n),
            FeedbackKind::Complaint,
            Channel::Phone,
            "Late".into(),
            now() - Duration::days(days_ago),
        );
        i.customer = name.into();
        i
    }

    fn data() -> Dataset {
        let mut d = Dataset::default();
        for c in [
            card(100, 1, Some("09123456789")),
            card(100, 2, None),
            card(10, 3, Some("09350000000")),
        ] {
            d.cards.insert(c.meta.id, c);
        }
        for i in [item(100, 4, "Sara"), item(100, 5, ""), item(10, 6, "Ali")] {
            d.feedback.insert(i.meta.id, i);
        }
        for c in [
            // Heard from only by the old card: goes, though the profile itself is newer.
            Customer::new(meta(20, 8), "Sara", Some("09123456789")),
            Customer::new(meta(10, 9), "Ali", None),
            Customer::new(meta(100, 10), "Reza", Some("reza@example.com")),
        ] {
            d.customers.insert(c.meta.id, c);
        }
        d
    }

    #[test]
    fn only_personal_data_older_than_the_period_goes() {
        let d = data();
        let plan = plan(&d, 90, now()).unwrap();
        assert_eq!(
            plan.run,
            RetentionRun {
                at: now(),
                days: 90,
                cards: 1,
                items: 1,
                customers: 2,
            }
        );
        assert_eq!(plan.customers, [Uuid::from_u128(8), Uuid::from_u128(10)]);
        let Record::Card(c) = &plan.writes[0] else {
            panic!("a card first")
        };
        assert_eq!(c.meta.id, Uuid::from_u128(1));
        assert!(card_contact(c).is_none());
        // The figures keep what the customer said.
        assert_eq!(c.rating("overall"), Some(2));
        assert_eq!(
            c.answers.get("improve"),
            Some(&Answer::Text("Too slow".into()))
        );
        assert_eq!(c.meta.updated, now());
        let Record::Feedback(i) = &plan.writes[1] else {
            panic!("then an item")
        };
        assert_eq!((i.meta.id, i.customer.as_str()), (Uuid::from_u128(4), ""));
        assert_eq!(i.description, "Late");
    }

    #[test]
    fn nothing_runs_when_retention_is_off_or_nothing_is_old_enough() {
        let d = data();
        assert_eq!(plan(&d, 0, now()), None);
        assert_eq!(plan(&d, 365, now()), None);
        // After a run, the next finds nothing more to do.
        let p = plan(&d, 90, now()).unwrap();
        let mut after = d.clone();
        for w in p.writes {
            after.upsert(w);
        }
        for id in p.customers {
            after.remove(crate::domain::Kind::Customer, id);
        }
        assert_eq!(plan(&after, 90, now() + Duration::hours(1)), None);
    }

    #[test]
    fn the_log_keeps_the_latest_runs() {
        let mut s = Settings::defaults(now() - Duration::days(400));
        for n in 0..(MAX_RETENTION_LOG as i64 + 3) {
            let run = RetentionRun {
                at: now() + Duration::days(n),
                days: 30,
                cards: 1,
                items: 0,
                customers: 0,
            };
            s = logged(&s, run);
        }
        assert_eq!(s.retention_log.len(), MAX_RETENTION_LOG);
        assert_eq!(s.retention_log[0].at, now() + Duration::days(3));
        assert!(s.validate().is_ok());
    }
}
