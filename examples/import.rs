//! Prints how long each step of importing a file of 45,000 cards and 5,000 feedback items takes
//! natively: reading the file, planning the merge against an empty store, and writing the
//! records into an in-memory store. Run by `scripts/bench.sh`; the browser figure, from choosing
//! the file to the finished notice, is in `e2e/bench.js`.

use std::{collections::BTreeMap, time::Instant};

use chrono::{Duration, TimeZone, Utc};
use listening_post::{
    domain::{
        card::{Answer, Card},
        export,
        feedback::{Channel, FeedbackItem, FeedbackKind},
        merge,
        template::DEFAULT_TEMPLATE_ID,
        Dataset, Meta, Record,
    },
    store::{self, memory::MemoryBackend},
};

const CARDS: usize = 45_000;
const ITEMS: usize = 5_000;
const RUNS: usize = 7;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Runs `f` RUNS times; the median time in milliseconds and the last result.
fn time<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        out = Some(f());
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    (median(times), out.expect("RUNS > 0"))
}

fn main() {
    let start = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
    let mut data = Dataset::default();
    for i in 0..CARDS {
        let mut answers = BTreeMap::new();
        answers.insert("overall".to_owned(), Answer::Rating(1 + (i % 5) as u8));
        answers.insert("recommend".to_owned(), Answer::Rating((i % 11) as u8));
        let comment = if i % 2 == 1 {
            "صف صندوق طولانی بود"
        } else {
            "Queue was long"
        };
        answers.insert("improve".to_owned(), Answer::Text(comment.to_owned()));
        data.upsert(Record::Card(Card {
            meta: Meta::new(start + Duration::seconds(i as i64 * 60)),
            template: DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: if i % 2 == 1 { "fa" } else { "en" }.into(),
            branch: "Tajrish".into(),
            touchpoint: "counter".into(),
            answers,
        }));
    }
    for i in 0..ITEMS {
        let at = start + Duration::seconds(i as i64 * 600);
        data.upsert(Record::Feedback(FeedbackItem::reported(
            Meta::new(at),
            FeedbackKind::ALL[i % 4],
            Channel::Phone,
            format!("Item {i}"),
            at,
        )));
    }
    let text = export::export(&data, start);
    let (parse, incoming) = time(|| export::parse(0, &text).expect("our own export reads back"));
    let (plan, planned) = time(|| merge::plan(&Dataset::default(), vec![(0, incoming.clone())]));
    assert_eq!(planned.writes.len(), CARDS + ITEMS);
    let (save, ()) = time(|| {
        let mut backend = MemoryBackend::with_quota(usize::MAX);
        store::save_all(&mut backend, &planned.writes).expect("room for every record");
    });
    println!(
        "import natively, {CARDS} cards and {ITEMS} feedback items ({:.1} MB file): read {parse:.0} ms, \
         plan {plan:.0} ms, store in memory {save:.0} ms (median of {RUNS})",
        text.len() as f64 / 1_048_576.0
    );
}
