//! Prints how long the dashboard's figures take to work out in plain Rust, natively, over
//! 100,000 cards and 20,000 feedback items: cards, feedback and both in every period span and
//! calendar. Run by `scripts/bench.sh`; the browser figure is in `e2e/bench.js`.

use std::time::Instant;

use chrono::{Duration, FixedOffset, TimeZone, Utc};
use listening_post::domain::{
    card::{Answer, Card},
    feedback::{Channel, FeedbackItem, FeedbackKind, Status},
    period::{Calendar, Span},
    report::{self, CardFilter, FeedbackFilter},
    settings::Settings,
    template::{CardTemplate, DEFAULT_TEMPLATE_ID},
    text::Bilingual,
    Meta,
};

const CARDS: usize = 100_000;
const ITEMS: usize = 20_000;
const RUNS: usize = 7;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn time(mut f: impl FnMut()) -> f64 {
    median(
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

fn main() {
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap();
    let template = CardTemplate::default_card(Meta::new(start), &|k| Bilingual::new(k, k));
    let cards: Vec<Card> = (0..CARDS)
        .map(|i| {
            let at = start + Duration::seconds(i as i64 * 311);
            let mut answers = std::collections::BTreeMap::new();
            answers.insert("overall".to_owned(), Answer::Rating(1 + (i % 5) as u8));
            answers.insert("recommend".to_owned(), Answer::Rating((i % 11) as u8));
            for d in [
                "reliability",
                "assurance",
                "tangibles",
                "empathy",
                "responsiveness",
            ] {
                answers.insert(format!("rater_{d}"), Answer::Rating(1 + (i % 5) as u8));
            }
            Card {
                meta: Meta::new(at),
                template: DEFAULT_TEMPLATE_ID,
                template_version: 1,
                lang: "fa".into(),
                branch: ["Tajrish", "Vanak", "Enghelab"][i % 3].into(),
                touchpoint: ["counter", "web", "phone"][i % 3].into(),
                answers,
            }
        })
        .collect();
    let items: Vec<FeedbackItem> = (0..ITEMS)
        .map(|i| {
            let at = start + Duration::seconds(i as i64 * 1553);
            let mut item = FeedbackItem::reported(
                Meta::new(at),
                FeedbackKind::ALL[i % 4],
                Channel::Phone,
                format!("Item {i}"),
                at,
            )
            .register("Sara", at);
            if i % 2 == 0 {
                let cal = Settings::defaults(start).calendar(FixedOffset::east_opt(12600).unwrap());
                let later = at + Duration::hours(3);
                let _ = item.set_status(Status::Resolved, "Reza", later, &cal, 3);
            }
            item
        })
        .collect();
    let settings = Settings::defaults(start);
    let offset = FixedOffset::east_opt(12600).unwrap();
    let cal = settings.calendar(offset);
    let now = start + Duration::days(400);
    let today = now.date_naive();
    for (span, calendar) in [
        (Span::Month, Calendar::Jalali),
        (Span::Week, Calendar::Gregorian),
    ] {
        let c = time(|| {
            let r =
                report::card_report(&cards, |_| Some(&template), &CardFilter::default(), offset);
            assert_eq!(r.all.cards, CARDS);
            assert!(!r.trend(span, calendar).is_empty());
        });
        let f = time(|| {
            let r = report::feedback_report(
                &items,
                &FeedbackFilter::default(),
                &cal,
                |k| settings.target_hours(k),
                now,
                today,
            );
            assert_eq!(r.total, ITEMS);
            assert!(!r.trend(span, calendar).is_empty());
        });
        println!(
            "dashboard figures natively ({span:?}, {calendar:?}): {CARDS} cards {c:.1} ms, \
             {ITEMS} feedback items {f:.1} ms (median of {RUNS})"
        );
    }
}
