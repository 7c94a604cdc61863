//! The sync engine against a real CouchDB-protocol server. `./scripts/test.sh` starts
//! pouchdb-server on loopback and sets `COUCH_URL` and `COUCH_ADMIN`; against Apache CouchDB,
//! set them by hand (README, Sync). Without them every test here says so and passes: the engine's
//! own tests against the in-memory fake still run.
//!
//! Each test prepares a database of its own with `scripts/couch-setup.sh`, as a shop would.
#![cfg(not(target_arch = "wasm32"))]

use std::{
    process::Command,
    sync::atomic::{AtomicU32, Ordering},
};

use chrono::{TimeZone, Utc};
use listening_post::{
    domain::{
        card::{Answer, Card},
        couch_doc,
        feedback::{Channel, FeedbackItem, FeedbackKind, Status},
        template::DEFAULT_TEMPLATE_ID,
        Dataset, Kind, Meta, Record,
    },
    sync::{
        engine::{self, Report, SyncError, SyncState},
        transport::{Method, Request},
    },
};
use serde_json::{json, Value};

/// The test server and its admin, if the test command started one.
fn server() -> Option<(String, String)> {
    let url = std::env::var("COUCH_URL").ok()?;
    let admin = std::env::var("COUCH_ADMIN").ok()?;
    Some((url.trim_end_matches('/').to_owned(), admin))
}

#[path = "support/couch_http.rs"]
mod couch_http;
use couch_http::{block_on, Http};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A database of its own for one test, set up by the shop's script, and its staff user.
fn shop(url: &str, admin: &str) -> (String, String) {
    let db = format!(
        "lp-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let user = format!("{db}-device:pw-{db}");
    let out = Command::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scripts/couch-setup.sh"
    ))
    .env("COUCH_ADMIN", admin)
    .env("COUCH_USERS", &user)
    .args([url, &db])
    .stdin(std::process::Stdio::null())
    .output()
    .expect("scripts/couch-setup.sh runs");
    assert!(
        out.status.success(),
        "couch-setup failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (db, user)
}

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, minute, 0).unwrap()
}

fn card(minute: u32) -> Record {
    Record::Card(Card {
        meta: Meta::new(at(minute)),
        template: DEFAULT_TEMPLATE_ID,
        template_version: 1,
        lang: "fa".into(),
        branch: "Tajrish".into(),
        touchpoint: "kiosk".into(),
        answers: [("overall".to_owned(), Answer::Rating(4))].into(),
    })
}

#[derive(Default)]
struct Device {
    data: Dataset,
    state: SyncState,
}

impl Device {
    fn save(&mut self, r: Record) {
        self.state.changed(r.kind(), r.id());
        self.data.upsert(r);
    }

    fn sync(&mut self, http: &Http) -> Result<Report, SyncError> {
        block_on(engine::sync(http, &mut self.data, &mut self.state, 50))
    }
}

/// Documents of the database that carry conflicting revisions.
fn conflicted(url: &str, db: &str, admin: &str) -> usize {
    let http = Http::new(url, db, admin);
    let r = http
        .exchange(Request::get("_all_docs?include_docs=true&conflicts=true"))
        .unwrap();
    let body: Value = serde_json::from_str(&r.body).unwrap();
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["doc"]["_conflicts"].is_array())
        .count()
}

#[test]
fn two_devices_converge_through_the_server_after_edits_apart_and_a_deletion() {
    let Some((url, admin)) = server() else {
        eprintln!("COUCH_URL is not set: skipped");
        return;
    };
    let (db, user) = shop(&url, &admin);
    let http = Http::new(&url, &db, &user);
    let (mut kiosk, mut laptop) = (Device::default(), Device::default());
    let cards: Vec<Record> = (0..30).map(card).collect();
    for c in &cards {
        kiosk.save(c.clone());
    }
    let item = FeedbackItem::reported(
        Meta::new(at(0)),
        FeedbackKind::Complaint,
        Channel::Phone,
        "Cold food".into(),
        at(0),
    )
    .register("Sara", at(0));
    laptop.save(Record::Feedback(item.clone()));
    let regular = listening_post::domain::customer::Customer::new(
        Meta::new(at(1)),
        "Sara Karimi",
        Some("0912 345 6789"),
    );
    kiosk.save(Record::Customer(regular.clone()));
    kiosk.sync(&http).unwrap();
    let first = laptop.sync(&http).unwrap();
    assert_eq!(first.received, 31);
    kiosk.sync(&http).unwrap();
    assert_eq!(kiosk.data.records(), laptop.data.records());

    // Apart: both edit the complaint; the kiosk deletes a card; the laptop erases the customer.
    let tehran = chrono::FixedOffset::east_opt(12_600).unwrap();
    let cal = listening_post::domain::settings::Settings::defaults(at(0)).calendar(tehran);
    let mut a = item.clone();
    a.set_status(Status::InProgress, "Reza", at(10), &cal, 3)
        .unwrap();
    a.meta.touch(at(10));
    kiosk.save(Record::Feedback(a));
    kiosk.data.remove(Kind::Card, cards[0].id());
    kiosk.state.changed(Kind::Card, cards[0].id());
    let mut b = item.clone();
    b.write("", "Called the kitchen", "Mina", at(12));
    b.meta.touch(at(12));
    laptop.save(Record::Feedback(b));
    laptop.data.remove(Kind::Customer, regular.meta.id);
    laptop.state.changed(Kind::Customer, regular.meta.id);
    kiosk.sync(&http).unwrap();
    laptop.sync(&http).unwrap();
    kiosk.sync(&http).unwrap();
    assert_eq!(kiosk.data.records(), laptop.data.records());
    assert_eq!(laptop.data.count(Kind::Card), 29);
    assert_eq!(
        kiosk.data.count(Kind::Customer),
        0,
        "the erasure reached the kiosk"
    );
    let Some(Record::Feedback(f)) = laptop.data.get(Kind::Feedback, item.meta.id) else {
        panic!("the complaint is on both devices")
    };
    assert!(f.history.iter().any(|h| h.by == "Reza"));
    assert!(f.history.iter().any(|h| h.by == "Mina"));
    assert_eq!(conflicted(&url, &db, &admin), 0);

    // A replay from the start, as after a lost checkpoint: nothing doubles, nothing is sent.
    laptop.state.checkpoint = None;
    let before = laptop.data.records();
    let again = laptop.sync(&http).unwrap();
    assert_eq!(laptop.data.records(), before);
    assert_eq!(again.sent, 0);
}

#[test]
fn an_emptied_server_is_filled_again_and_bad_documents_are_set_aside() {
    let Some((url, admin)) = server() else {
        eprintln!("COUCH_URL is not set: skipped");
        return;
    };
    let (db, user) = shop(&url, &admin);
    let http = Http::new(&url, &db, &user);
    let mut laptop = Device::default();
    for m in 0..5 {
        laptop.save(card(m));
    }
    laptop.sync(&http).unwrap();

    // The validator refuses what is not a record, even from a member.
    let refused = http
        .exchange(Request {
            method: Method::Put,
            path: "not-a-record".into(),
            body: Some(json!({ "hello": 1 }).to_string()),
        })
        .unwrap();
    assert_eq!(refused.status, 403);
    // An admin (who passes any validator) leaves a hostile document; it is set aside.
    let as_admin = Http::new(&url, &db, &admin);
    let hostile = couch_doc::doc_id(Kind::Card, uuid::Uuid::from_u128(42));
    let planted = as_admin
        .exchange(Request {
            method: Method::Put,
            path: hostile.clone(),
            body: Some(json!({ "answers": "<img src=x onerror=alert(1)>" }).to_string()),
        })
        .unwrap();
    assert_eq!(planted.status, 201);
    let mut kiosk = Device::default();
    let report = kiosk.sync(&http).unwrap();
    assert_eq!(report.set_aside.len(), 1);
    assert_eq!(report.set_aside[0].0, hostile);
    assert_eq!(kiosk.data.count(Kind::Card), 5);

    // The database is dropped and made again, as a restore from an old backup would leave it.
    let drop = as_admin
        .agent
        .delete(&format!("{url}/{db}"))
        .set("Authorization", &as_admin.auth)
        .call();
    assert!(drop.is_ok());
    shop_again(&url, &admin, &db, &user);
    assert_eq!(
        laptop.sync(&http).unwrap().sent,
        0,
        "the checkpoint hides the loss"
    );
    block_on(engine::verify(&http, &laptop.data, &mut laptop.state)).unwrap();
    assert_eq!(laptop.sync(&http).unwrap().sent, 5);
    let mut fresh = Device::default();
    assert_eq!(fresh.sync(&http).unwrap().received, 5);
}

fn shop_again(url: &str, admin: &str, db: &str, user: &str) {
    let out = Command::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scripts/couch-setup.sh"
    ))
    .env("COUCH_ADMIN", admin)
    .env("COUCH_USERS", user)
    .args([url, db])
    .stdin(std::process::Stdio::null())
    .output()
    .expect("scripts/couch-setup.sh runs");
    assert!(out.status.success());
}

#[test]
fn a_wrong_password_stops_the_pass() {
    let Some((url, admin)) = server() else {
        eprintln!("COUCH_URL is not set: skipped");
        return;
    };
    let (db, user) = shop(&url, &admin);
    let name = user.split(':').next().unwrap();
    let http = Http::new(&url, &db, &format!("{name}:wrong"));
    let mut d = Device::default();
    d.save(card(1));
    assert_eq!(d.sync(&http), Err(SyncError::Unauthorized));
    assert_eq!(d.state.pending.len(), 1, "nothing is lost");
}

/// A request's status, as the server answers it (with Basic `auth` when given).
fn status(method: &str, url: &str, auth: Option<&str>, body: Option<&Value>) -> u16 {
    let mut req = ureq::request(method, url).set("Content-Type", "application/json");
    if let Some(auth) = auth {
        req = req.set("Authorization", &couch_http::Http::new("", "", auth).auth);
    }
    let res = match body {
        Some(b) => req.send_string(&b.to_string()),
        None => req.call(),
    };
    match res {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_inbox_takes_only_new_sealed_cards_from_strangers() {
    let Some((url, admin)) = server() else {
        eprintln!("COUCH_URL is not set: skipped");
        return;
    };
    let (db, staff) = shop(&url, &admin);
    let inbox = format!("{url}/{db}-inbox");
    let sealed = |n: usize| json!({ "lp": 1, "epk": "B".repeat(87), "iv": "A".repeat(16), "ct": "x".repeat(n) });
    let id = |n: u128| uuid::Uuid::from_u128(n).to_string();
    let created = |s: u16| s == 201 || s == 202;

    // A stranger's phone adds a sealed card.
    assert!(created(status(
        "PUT",
        &format!("{inbox}/{}", id(1)),
        None,
        Some(&sealed(40))
    )));
    // Not again, not changed, not deleted, not read back as anything but ciphertext.
    let again = status(
        "PUT",
        &format!("{inbox}/{}", id(1)),
        None,
        Some(&sealed(40)),
    );
    assert!(again == 403 || again == 409, "{again}");
    let mut with_rev = sealed(40);
    with_rev["_rev"] = json!("1-abc");
    let rewrite = status("PUT", &format!("{inbox}/{}", id(2)), None, Some(&with_rev));
    assert!(rewrite == 403 || rewrite == 409, "{rewrite}");
    // A write that names its own revision tree (new_edits=false, which skips the conflict
    // check) is refused too.
    let mut branch = sealed(40);
    branch["_id"] = json!(id(1));
    branch["_rev"] = json!("2-0123456789abcdef0123456789abcdef");
    let trick = status(
        "POST",
        &format!("{inbox}/_bulk_docs"),
        None,
        Some(&json!({ "docs": [branch], "new_edits": false })),
    );
    let kept: Value = serde_json::from_str(
        &ureq::get(&format!("{inbox}/{}?revs_info=true", id(1)))
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
    )
    .unwrap();
    assert!(
        kept["_rev"].as_str().unwrap().starts_with("1-"),
        "the branch did not get in (HTTP {trick})"
    );
    // Reading the inbox gives only what was sealed.
    let names: Vec<&String> = kept
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| !k.starts_with('_'))
        .collect();
    assert_eq!(names, ["ct", "epk", "iv", "lp"]);
    // Other shapes, other ids, oversize, and card designs are refused to strangers.
    let mut extra = sealed(40);
    extra["contact"] = json!("0912");
    for (doc_id, body) in [
        (id(3), extra),
        (
            id(4),
            json!({ "lp": 1, "epk": "B", "iv": "A".repeat(16), "ct": "x".repeat(40) }),
        ),
        (
            id(5),
            json!({ "lp": 1, "epk": "B".repeat(87), "iv": "A".repeat(16), "ct": "<script>x</script>xxxxxxxxxx" }),
        ),
        (id(6), sealed(70_000)),
        ("card-1".to_owned(), sealed(40)),
        (format!("design-{}-1", id(7)), json!({ "questions": [] })),
    ] {
        let s = status("PUT", &format!("{inbox}/{doc_id}"), None, Some(&body));
        assert!(s == 403 || s == 413, "{doc_id}: {s}");
    }
    // Staff publish designs and delete what they have taken in; a stranger may not delete.
    let design = format!("{inbox}/design-{}-1", id(7));
    assert!(created(status(
        "PUT",
        &design,
        Some(&staff),
        Some(&json!({ "questions": [] }))
    )));
    let stored: Value = serde_json::from_str(
        &ureq::get(&format!("{inbox}/{}", id(1)))
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
    )
    .unwrap();
    let rev = stored["_rev"].as_str().unwrap().to_owned();
    let delete = format!("{inbox}/{}?rev={rev}", id(1));
    let refused = status("DELETE", &delete, None, None);
    assert!(refused == 403 || refused == 401, "{refused}");
    assert_eq!(status("DELETE", &delete, Some(&staff), None), 200);
}
