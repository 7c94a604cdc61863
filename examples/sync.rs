//! Prints the sync figures against a CouchDB-protocol server (`COUCH_URL`, `COUCH_ADMIN`; run by
//! `scripts/bench.sh`, which starts pouchdb-server on loopback): a kiosk sends 20,000 records, a
//! new device takes them in on its first sync, then one record changed on the kiosk reaches the
//! other device. Times are native (the engine's work and the server's), requests and bytes are
//! what a browser would send too.

use std::{process::Command, time::Instant};

use chrono::{Duration, TimeZone, Utc};
use listening_post::{
    domain::{
        card::{Answer, Card},
        template::DEFAULT_TEMPLATE_ID,
        Dataset, Meta, Record,
    },
    sync::engine::{self, SyncState},
};

#[path = "../tests/support/couch_http.rs"]
mod couch_http;
use couch_http::{block_on, Http};

const RECORDS: usize = 20_000;
/// Changes asked for per `_changes` page.
const PAGE: usize = 1_000;

fn main() {
    let (Ok(url), Ok(admin)) = (std::env::var("COUCH_URL"), std::env::var("COUCH_ADMIN")) else {
        println!("sync: COUCH_URL and COUCH_ADMIN are not set, no server to measure against");
        return;
    };
    let db = format!("lp-bench-{}", std::process::id());
    let user = format!("{db}-device:pw");
    let setup = Command::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scripts/couch-setup.sh"
    ))
    .env("COUCH_ADMIN", &admin)
    .env("COUCH_USERS", &user)
    .args([url.as_str(), &db])
    .stdin(std::process::Stdio::null())
    .output()
    .expect("scripts/couch-setup.sh runs");
    assert!(setup.status.success(), "couch-setup failed");

    let start = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap();
    let mut kiosk = (Dataset::default(), SyncState::default());
    for i in 0..RECORDS {
        let card = Record::Card(Card {
            meta: Meta::new(start + Duration::minutes(i as i64)),
            template: DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: if i % 2 == 0 { "en" } else { "fa" }.into(),
            branch: "Tajrish".into(),
            touchpoint: "kiosk".into(),
            answers: [
                ("overall".to_owned(), Answer::Rating((i % 5) as u8 + 1)),
                ("recommend".to_owned(), Answer::Rating((i % 11) as u8)),
            ]
            .into(),
        });
        kiosk.1.changed(card.kind(), card.id());
        kiosk.0.upsert(card);
    }
    let k = Http::new(&url, &db, &user);
    let t = Instant::now();
    let sent =
        block_on(engine::sync(&k, &mut kiosk.0, &mut kiosk.1, PAGE)).expect("the kiosk syncs");
    println!(
        "sync: {RECORDS} records sent from a kiosk in {:.1} s, {} requests, {:.1} MB sent",
        t.elapsed().as_secs_f64(),
        sent.requests,
        k.sent.get() as f64 / 1_048_576.0
    );

    let mut laptop = (Dataset::default(), SyncState::default());
    let l = Http::new(&url, &db, &user);
    let t = Instant::now();
    let first =
        block_on(engine::sync(&l, &mut laptop.0, &mut laptop.1, PAGE)).expect("the laptop syncs");
    assert_eq!(first.received, RECORDS);
    println!(
        "sync: first sync of {RECORDS} records into an empty device in {:.1} s, {} requests, {:.1} MB received",
        t.elapsed().as_secs_f64(),
        first.requests,
        l.received.get() as f64 / 1_048_576.0
    );

    // One record changed on the kiosk: what the kiosk sends, and what the laptop asks for.
    let mut changed = kiosk.0.records()[0].clone();
    if let Record::Card(c) = &mut changed {
        c.branch = "Vanak".into();
        c.meta.touch(Utc::now());
    }
    kiosk.1.changed(changed.kind(), changed.id());
    kiosk.0.upsert(changed);
    let before = k.sent.get();
    let one =
        block_on(engine::sync(&k, &mut kiosk.0, &mut kiosk.1, PAGE)).expect("the kiosk syncs");
    println!(
        "sync: one changed record sent in {} requests (a push and a page of changes), {} bytes sent",
        one.requests,
        k.sent.get() - before
    );
    let got =
        block_on(engine::sync(&l, &mut laptop.0, &mut laptop.1, PAGE)).expect("the laptop syncs");
    assert_eq!(got.received, 1);
    println!(
        "sync: the other device takes it in with {} request(s)",
        got.requests
    );
}
