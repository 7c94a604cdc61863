//! The import parser and merge under generated input: whole files of noise, JSON made of the
//! export's own words, and real exports with their values, keys, entries and bytes mutated.
//! And stored entries of every kind corrupted in place, as a crash or another program would.
//! Every input must be either refused with a message both languages can show, or planned and
//! stored. A refused file, and a write that fails part way (the quota, or a write cut short),
//! leave storage byte-identical; an accepted one loses no record stored before.
//!
//! The inputs come from a fixed seed so a failure can be replayed; `FUZZ_CASES` sets how many
//! inputs each of the three generators makes (4,000 by default).
#![cfg(not(target_arch = "wasm32"))]

use std::{
    cell::RefCell,
    collections::{BTreeMap, BTreeSet},
};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use listening_post::{
    domain::{
        assessment::{Action, ActionStatus, Assessment, ItemRating},
        card::{Answer, Card},
        customer::Customer,
        export,
        feedback::{Channel, FeedbackItem, FeedbackKind},
        merge,
        settings::Settings,
        template::CardTemplate,
        text::Bilingual,
        Dataset, Meta, Record,
    },
    store::{self, memory::MemoryBackend, Backend},
};
use proptest::{
    prelude::*,
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use serde_json::Value;
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap()
}

fn meta(n: u128) -> Meta {
    let at = now() - chrono::Duration::days(n as i64);
    Meta {
        id: Uuid::from_u128(n + 1),
        created: at,
        updated: at,
        v: 1,
    }
}

/// One record of every kind, with Persian text, a contact and an action.
fn stored_records() -> Vec<Record> {
    let settings = Settings::defaults(now());
    let template =
        CardTemplate::default_card(meta(1), &|k| Bilingual::new(k, format!("{k} فارسی")));
    let mut answers = BTreeMap::new();
    answers.insert("overall".to_owned(), Answer::Rating(2));
    answers.insert("improve".to_owned(), Answer::Text("صف شلوغ بود".into()));
    let card = Card {
        meta: meta(2),
        template: template.meta.id,
        template_version: 1,
        lang: "fa".into(),
        branch: "Tajrish".into(),
        touchpoint: "counter".into(),
        answers,
    };
    let mut item = FeedbackItem::reported(
        meta(3),
        FeedbackKind::Complaint,
        Channel::Phone,
        "The order came late".into(),
        now() - chrono::Duration::days(4),
    );
    item.customer = "Sara".into();
    let assessment = Assessment {
        meta: meta(4),
        model: "prompt".into(),
        assessor: "Sara".into(),
        team: "Tajrish".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        ratings: BTreeMap::from([(
            "guarantees".to_owned(),
            ItemRating {
                current: Some(3),
                desired: Some(6),
                note: String::new(),
            },
        )]),
        actions: vec![Action {
            id: Uuid::from_u128(99),
            dimension: "reliability".into(),
            text: "Call back the same day".into(),
            owner: String::new(),
            due: None,
            status: ActionStatus::Planned,
        }],
        finished: false,
    };
    let customer = Customer::new(meta(5), "سارا", Some("09123456789"));
    vec![
        Record::Settings(settings),
        Record::Template(template),
        Record::Card(card),
        Record::Feedback(item),
        Record::Assessment(assessment),
        Record::Customer(customer),
    ]
}

struct World {
    stored: MemoryBackend,
    data: Dataset,
    /// The export of what is stored: the start of every mutated file.
    file: Value,
    en: BTreeMap<String, String>,
    fa: BTreeMap<String, String>,
}

/// Half the records stored; the file holds all of them, so an import both adds and compares.
fn world() -> World {
    let records = stored_records();
    let mut all = MemoryBackend::default();
    for r in &records {
        assert!(r.validate().is_ok(), "{:?} {:?}", r.kind(), r.validate());
    }
    store::save_all(&mut all, &records).unwrap();
    let everything = store::load(&mut all, now()).data;
    let file = serde_json::from_str(&export::export(&everything, now())).unwrap();
    let mut stored = MemoryBackend::default();
    store::save_all(&mut stored, &records[..3]).unwrap();
    let loaded = store::load(&mut stored, now());
    assert!(loaded.set_aside.is_empty());
    let locale = |name: &str| {
        let text = std::fs::read_to_string(format!("locales/{name}.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    World {
        stored,
        data: loaded.data,
        file,
        en: locale("en"),
        fa: locale("fa"),
    }
}

#[derive(Default)]
struct Tally {
    refused: usize,
    accepted: usize,
    rejected_entries: usize,
    stored: usize,
    undone: usize,
}

/// What one input may do to storage: the quota left free (none: unlimited) and the write that
/// fails (none: every write succeeds).
#[derive(Clone, Debug)]
struct Room {
    free: Option<usize>,
    fail_after: Option<usize>,
}

fn room() -> impl Strategy<Value = Room> {
    (
        prop_oneof![Just(None), (0usize..4_000).prop_map(Some)],
        prop_oneof![3 => Just(None), 1 => (0usize..8).prop_map(Some)],
    )
        .prop_map(|(free, fail_after)| Room { free, fail_after })
}

impl World {
    fn has_message(&self, key: &str) -> bool {
        [&self.en, &self.fa]
            .iter()
            .all(|l| l.get(key).is_some_and(|t| !t.trim().is_empty()))
    }

    /// Imports every file `files` generates, each with its own room, and prints the tally.
    fn import_each(&self, name: &str, files: impl Strategy<Value = String>) {
        let tally = RefCell::new(Tally::default());
        runner()
            .run(&(files, room()), |(text, room)| {
                self.check(&text, &room, &tally)
            })
            .unwrap();
        report(name, &tally.borrow());
    }

    /// Imports `text` as the Data screen does and checks what must always hold.
    fn check(&self, text: &str, room: &Room, tally: &RefCell<Tally>) -> Result<(), TestCaseError> {
        let mut b = self.stored.clone();
        let before = b.snapshot();
        let entries = match export::parse(0, text) {
            Err(e) => {
                prop_assert!(self.has_message(e.message_key()), "no message for {e:?}");
                prop_assert!(!e.to_string().is_empty());
                prop_assert_eq!(&b.snapshot(), &before);
                tally.borrow_mut().refused += 1;
                return Ok(());
            }
            Ok(entries) => entries,
        };
        tally.borrow_mut().accepted += 1;
        let plan = merge::plan(&self.data, vec![(0, entries)]);
        for r in &plan.rejected {
            prop_assert!(
                self.has_message(r.reason.message_key()),
                "no message for {r:?}"
            );
        }
        tally.borrow_mut().rejected_entries += plan.rejected.len();
        b.quota = room.free.map(|f| b.used() + f);
        b.fail_after = room.fail_after;
        match store::save_all(&mut b, &plan.writes) {
            Err(_) => {
                prop_assert_eq!(&b.snapshot(), &before, "a failed write was not undone");
                tally.borrow_mut().undone += 1;
            }
            Ok(()) => {
                b.quota = None;
                b.fail_after = None;
                let loaded = store::load(&mut b, now());
                prop_assert!(loaded.set_aside.is_empty(), "{:?}", loaded.set_aside);
                // Nothing stored before is lost, and every write reads back as written.
                for r in self.data.records() {
                    prop_assert!(
                        loaded.data.get(r.kind(), r.id()).is_some(),
                        "lost {:?}",
                        r.id()
                    );
                }
                for w in &plan.writes {
                    let read = loaded.data.get(w.kind(), w.id());
                    prop_assert_eq!(read.as_ref(), Some(w));
                }
                let distinct: BTreeSet<_> =
                    plan.writes.iter().map(|w| (w.kind(), w.id())).collect();
                prop_assert_eq!(distinct.len(), plan.writes.len(), "one write per record");
                tally.borrow_mut().stored += plan.writes.len();
            }
        }
        Ok(())
    }
}

/// Strings that have broken parsers, spreadsheets and pages before.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "=cmd|' /C calc'!A0",
    "\u{0}",
    "\u{202e}gnp.exe",
    "\u{feff}",
    "😀👨‍👩‍👧",
    "ی‌ك‌ي ۱۲۳ ١٢٣",
    "00000000-0000-0000-0000-000000000000",
    "2026-02-30T10:00:00Z",
    "2026-11-20T10:00:00+03:30",
    "9999-12-31T23:59:59Z",
    "NaN",
    "__proto__",
];

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(Value::from),
        prop::sample::select(HOSTILE).prop_map(Value::from),
        "\\PC{0,40}".prop_map(Value::from),
        (0usize..300).prop_map(|n| Value::from("ث".repeat(n * 20))),
        any::<u128>().prop_map(|n| Value::from(Uuid::from_u128(n).to_string())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    prop::sample::select(KEYS).prop_map(str::to_owned),
                    "\\PC{0,8}"
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Words of the export format and of the records.
const KEYS: &[&str] = &[
    "format",
    "version",
    "exported",
    "cards",
    "templates",
    "settings",
    "feedback",
    "assessments",
    "customers",
    "id",
    "created",
    "updated",
    "v",
    "answers",
    "overall",
    "template",
    "template_version",
    "lang",
    "branch",
    "touchpoint",
    "kind",
    "channel",
    "status",
    "history",
    "ratings",
    "actions",
    "name",
    "contact",
    "consent",
    "questions",
    "type",
];

/// A change made at one node of a JSON tree, counted depth first.
#[derive(Clone, Debug)]
enum Edit {
    Replace(Value),
    Remove(usize),
    Duplicate(usize),
    Insert(String, Value),
    /// Nests the node `depth` arrays down.
    Bury(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => json_value().prop_map(Edit::Replace),
        2 => any::<usize>().prop_map(Edit::Remove),
        2 => any::<usize>().prop_map(Edit::Duplicate),
        1 => (prop::sample::select(KEYS).prop_map(str::to_owned), json_value())
            .prop_map(|(k, v)| Edit::Insert(k, v)),
        1 => prop_oneof![1usize..4, 100usize..200].prop_map(Edit::Bury),
    ]
}

/// Applies `edit` to the `target`th node (depth first) of `v`, if it has that many.
fn apply(v: &mut Value, target: &mut usize, edit: &Edit) -> bool {
    if *target == 0 {
        match (edit, &mut *v) {
            (Edit::Replace(new), _) => *v = new.clone(),
            (Edit::Remove(i), Value::Array(a)) if !a.is_empty() => {
                a.remove(i % a.len());
            }
            (Edit::Remove(i), Value::Object(o)) if !o.is_empty() => {
                let key = o.keys().nth(i % o.len()).cloned().unwrap();
                o.remove(&key);
            }
            (Edit::Duplicate(i), Value::Array(a)) if !a.is_empty() => {
                let copy = a[i % a.len()].clone();
                a.push(copy);
            }
            (Edit::Insert(k, new), Value::Object(o)) => {
                o.insert(k.clone(), new.clone());
            }
            (Edit::Bury(depth), _) => {
                for _ in 0..*depth {
                    *v = Value::Array(vec![v.take()]);
                }
            }
            _ => *v = Value::Null,
        }
        return true;
    }
    *target -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|c| apply(c, target, edit)),
        Value::Object(o) => o.values_mut().any(|c| apply(c, target, edit)),
        _ => false,
    }
}

fn nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(nodes).sum(),
        Value::Object(o) => o.values().map(nodes).sum(),
        _ => 0,
    }
}

/// Cuts or splices the serialised file at a character boundary.
#[derive(Clone, Debug)]
enum Bytes {
    Keep,
    Truncate(usize),
    Splice(usize, String),
}

fn bytes() -> impl Strategy<Value = Bytes> {
    prop_oneof![6 => Just(Bytes::Keep), 2 => cuts()]
}

/// A cut or a splice: always a change.
fn cuts() -> impl Strategy<Value = Bytes> {
    prop_oneof![
        any::<usize>().prop_map(Bytes::Truncate),
        (
            any::<usize>(),
            prop_oneof![
                prop::sample::select(
                    &["{", "}", "[", "]", ",", ":", "\"", "\\", "\\ud800", "\u{0}"][..]
                )
                .prop_map(str::to_owned),
                "\\PC{1,6}",
            ]
        )
            .prop_map(|(at, s)| Bytes::Splice(at, s)),
    ]
}

fn cut(text: String, how: &Bytes) -> String {
    let boundary = |at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match how {
        Bytes::Keep => text,
        Bytes::Truncate(at) => text[..boundary(*at)].to_owned(),
        Bytes::Splice(at, s) => {
            let at = boundary(*at);
            format!("{}{s}{}", &text[..at], &text[at..])
        }
    }
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4_000)
}

fn runner() -> TestRunner {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

fn report(name: &str, t: &Tally) {
    println!(
        "fuzz {name}: {} inputs, {} refused whole, {} read ({} entries rejected, {} records stored, {} writes failed and undone), 0 records lost",
        t.refused + t.accepted,
        t.refused,
        t.accepted,
        t.rejected_entries,
        t.stored,
        t.undone
    );
}

#[test]
fn any_text_is_refused_with_a_message_or_read() {
    let w = world();
    let text = prop_oneof![
        "\\PC{0,200}",
        ".{0,200}",
        "\\PC{0,200}".prop_map(|t| format!("{{\"format\":\"listening-post\",\"version\":1,{t}")),
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(
                    &[
                        "{",
                        "}",
                        "[",
                        "]",
                        ",",
                        ":",
                        "null",
                        "1",
                        "2",
                        "-0",
                        "1e999",
                        "\"listening-post\""
                    ][..]
                )
                .prop_map(str::to_owned),
                prop::sample::select(KEYS).prop_map(|k| format!("\"{k}\"")),
            ],
            0..60
        )
        .prop_map(|parts| parts.concat()),
    ];
    w.import_each("text", text);
}

#[test]
fn any_json_in_the_exports_shape_is_refused_with_a_message_or_read() {
    let w = world();
    let file = prop::collection::btree_map(
        prop::sample::select(KEYS).prop_map(str::to_owned),
        prop_oneof![
            json_value(),
            prop::collection::vec(json_value(), 0..4).prop_map(Value::Array)
        ],
        0..6,
    )
    .prop_map(|mut m| {
        m.insert("format".into(), "listening-post".into());
        m.insert("version".into(), 1.into());
        serde_json::to_string(&m).unwrap()
    });
    w.import_each("shaped", file);
}

#[test]
fn a_real_export_mutated_is_refused_with_a_message_or_read() {
    let w = world();
    let tally = RefCell::new(Tally::default());
    let size = nodes(&w.file);
    let input = (
        prop::collection::vec((0..size, edit()), 1..5),
        bytes(),
        room(),
    );
    runner()
        .run(&input, |(edits, how, room)| {
            let mut file = w.file.clone();
            for (target, e) in &edits {
                apply(&mut file, &mut target.clone(), e);
            }
            let text = cut(serde_json::to_string_pretty(&file).unwrap(), &how);
            w.check(&text, &room, &tally)
        })
        .unwrap();
    let tally = tally.into_inner();
    report("mutated", &tally);
    // The generator must reach past the parser: most mutated files are read, and some of their
    // records are stored, some rejected.
    assert!(tally.accepted > tally.refused, "too few files read");
    assert!(tally.stored > 0 && tally.rejected_entries > 0);
}

#[test]
fn a_corrupted_entry_of_any_kind_is_set_aside_whole_and_the_rest_loads() {
    let records = stored_records();
    let mut good = MemoryBackend::default();
    store::save_all(&mut good, &records).unwrap();
    let before = store::load(&mut good.clone(), now()).data;
    let stored: Vec<(String, String)> = good.snapshot().into_iter().collect();
    let tally = RefCell::new((0usize, 0usize));
    // One stored entry, chosen at random, has its value cut, spliced or replaced.
    let input = (
        0..stored.len(),
        prop_oneof![
            cuts().prop_map(Err),
            prop_oneof![
                Just(String::new()),
                Just("null".to_owned()),
                Just("[]".to_owned()),
                "\\PC{0,40}",
                prop::sample::select(HOSTILE).prop_map(str::to_owned),
            ]
            .prop_map(Ok),
        ],
    );
    runner()
        .run(&input, |(i, change)| {
            let (key, value) = &stored[i];
            let corrupt = match change {
                Ok(replacement) => replacement,
                Err(how) => cut(value.clone(), &how),
            };
            let mut b = good.clone();
            b.set(key, &corrupt).unwrap();
            let loaded = store::load(&mut b, now());
            let (kind, id) = store::parse_key(key).unwrap();
            // Every other record loads as it was.
            for r in before.records() {
                if (r.kind(), r.id()) != (kind, id) {
                    prop_assert_eq!(loaded.data.get(r.kind(), r.id()), Some(r));
                }
            }
            match &loaded.set_aside[..] {
                // Still a whole, valid record (a change inside a text, say): it loads.
                [] => {
                    prop_assert!(loaded.data.get(kind, id).is_some());
                    tally.borrow_mut().0 += 1;
                }
                // Set aside byte for byte, with a reason both languages can give.
                [aside] => {
                    prop_assert!(loaded.data.get(kind, id).is_none());
                    prop_assert_eq!(b.get(&aside.key), Some(corrupt));
                    prop_assert_eq!(b.get(key), None);
                    let w = world_locales();
                    prop_assert!(w.0.contains_key(aside.reason) && w.1.contains_key(aside.reason));
                    tally.borrow_mut().1 += 1;
                }
                more => prop_assert!(false, "one corrupt entry, {} set aside", more.len()),
            }
            // A second load finds nothing more to move.
            prop_assert!(store::load(&mut b, now()).set_aside.is_empty());
            Ok(())
        })
        .unwrap();
    let (read, aside) = tally.into_inner();
    println!("fuzz stored entries: {} corrupted, {aside} set aside whole, {read} still whole records, 0 other records lost", read + aside);
    assert!(aside > read, "most corruptions must be caught");
}

type Locale = BTreeMap<String, String>;

fn world_locales() -> &'static (Locale, Locale) {
    static LOCALES: std::sync::OnceLock<(Locale, Locale)> = std::sync::OnceLock::new();
    LOCALES.get_or_init(|| {
        let w = world();
        (w.en, w.fa)
    })
}
