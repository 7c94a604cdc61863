//! Prints how many default satisfaction cards fit in Chromium's localStorage quota with the
//! storage encoding in use, and what one costs. Run by `scripts/bench.sh`.

use std::collections::BTreeMap;

use chrono::{Duration, TimeZone, Utc};
use listening_post::{
    domain::{
        card::{Answer, Card},
        template::DEFAULT_TEMPLATE_ID,
        Meta, Record,
    },
    store::{
        self,
        memory::{MemoryBackend, CHROMIUM_QUOTA},
        StoreError,
    },
};
use uuid::Uuid;

const COMMENTS: [&str; 6] = [
    "",
    "",
    "Friendly staff",
    "صف شلوغ بود",
    "Quick service, thanks",
    "برخورد کارکنان عالی بود",
];
const RATER: [&str; 5] = [
    "reliability",
    "assurance",
    "tangibles",
    "empathy",
    "responsiveness",
];

/// A card as the default template produces it: overall, recommend, one rating per RATER
/// dimension, and a short comment on some of them.
fn default_card(i: u64) -> Record {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap() + Duration::seconds(i as i64 * 97);
    let mut answers = BTreeMap::new();
    answers.insert("overall".to_owned(), Answer::Rating((i % 5 + 1) as u8));
    answers.insert("recommend".to_owned(), Answer::Rating((i % 11) as u8));
    for (n, d) in RATER.iter().enumerate() {
        answers.insert(
            format!("rater_{d}"),
            Answer::Rating(((i + n as u64) % 5 + 1) as u8),
        );
    }
    let comment = COMMENTS[(i % COMMENTS.len() as u64) as usize];
    if !comment.is_empty() {
        answers.insert("improve".to_owned(), Answer::Text(comment.to_owned()));
    }
    Record::Card(Card {
        meta: Meta {
            id: Uuid::new_v4(),
            created: at,
            updated: at,
            v: 1,
        },
        template: DEFAULT_TEMPLATE_ID,
        template_version: 1,
        lang: if i.is_multiple_of(2) { "fa" } else { "en" }.into(),
        branch: "Tajrish".into(),
        touchpoint: "counter".into(),
        answers,
    })
}

fn main() {
    let mut backend = MemoryBackend::with_quota(CHROMIUM_QUOTA);
    let mut n = 0u64;
    loop {
        match store::save(&mut backend, &default_card(n)) {
            Ok(()) => n += 1,
            Err(StoreError::Quota) => break,
            Err(e) => panic!("unexpected: {e}"),
        }
    }
    let per_card = backend.used() as f64 / n as f64;
    println!("capacity: {n} default cards fit in {CHROMIUM_QUOTA} UTF-16 units ({per_card:.0} units per card, key included)");
    println!("capacity: 100,000 cards need at most 52 units per card; this encoding reaches {:.0}% of that", 100.0 * n as f64 / 100_000.0);
}
