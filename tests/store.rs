//! The storage module on the in-memory backend: O(1) writes, interrupted writes, all-or-nothing
//! imports, corrupt entries, other tabs' changes, and the capacity budget.

use chrono::{TimeZone, Utc};
use listening_post::{
    domain::{
        card::{Answer, Card},
        export, merge,
        settings::{Settings, SETTINGS_ID},
        Dataset, Kind, Meta, Record,
    },
    store::{self, memory::MemoryBackend, Backend, Change, StoreError},
};
use uuid::Uuid;

fn card(n: u32) -> Record {
    let at = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap()
        + chrono::Duration::minutes(i64::from(n));
    let mut answers = std::collections::BTreeMap::new();
    answers.insert("overall".to_owned(), Answer::Rating((n % 5 + 1) as u8));
    answers.insert(
        "improve".to_owned(),
        Answer::Text(format!("صف شلوغ بود {n}")),
    );
    Record::Card(Card {
        meta: Meta {
            id: Uuid::from_u128(u128::from(n) + 1),
            created: at,
            updated: at,
            v: 1,
        },
        template: Uuid::from_u128(7),
        template_version: 1,
        lang: "fa".into(),
        branch: "Tajrish".into(),
        touchpoint: "counter".into(),
        answers,
    })
}

#[test]
fn saving_one_record_writes_one_key_and_leaves_the_others_alone() {
    let mut b = MemoryBackend::default();
    for n in 0..50 {
        store::save(&mut b, &card(n)).unwrap();
    }
    let before = b.snapshot();
    store::save(&mut b, &card(1000)).unwrap();
    let after = b.snapshot();
    assert_eq!(after.len(), before.len() + 1);
    for (k, v) in &before {
        assert_eq!(after.get(k), Some(v));
    }
}

/// Five cards stored (0 to 4), and an import of the cards in `import`, each an hour newer: some
/// replace stored cards, the rest are new.
fn five_stored_and_newer(import: std::ops::Range<u32>) -> (MemoryBackend, Vec<Record>) {
    let mut stored = MemoryBackend::default();
    for n in 0..5 {
        store::save(&mut stored, &card(n)).unwrap();
    }
    let mut writes: Vec<Record> = import.map(card).collect();
    for w in &mut writes {
        if let Record::Card(c) = w {
            c.meta.updated += chrono::Duration::hours(1);
        }
    }
    (stored, writes)
}

#[test]
fn a_write_that_fails_at_any_step_of_an_import_leaves_storage_byte_identical() {
    let (stored, writes) = five_stored_and_newer(3..10);
    let before = stored.snapshot();
    for step in 0..writes.len() {
        let mut b = stored.clone();
        b.fail_after = Some(step);
        assert!(store::save_all(&mut b, &writes).is_err(), "step {step}");
        assert_eq!(b.snapshot(), before, "after failing at step {step}");
        assert_eq!(store::load(&mut b, Utc::now()).data.count(Kind::Card), 5);
    }
}

#[test]
fn an_import_written_in_steps_is_undone_whole_when_a_later_step_fails() {
    let (stored, writes) = five_stored_and_newer(3..12);
    let before = stored.snapshot();
    for fail in 0..writes.len() {
        let mut b = stored.clone();
        b.fail_after = Some(fail);
        let mut batch = store::Batch::check(&writes).unwrap();
        let failed = writes
            .chunks(4)
            .map(|step| batch.write(&mut b, step))
            .find(Result::is_err);
        assert!(
            matches!(failed, Some(Err(StoreError::Unavailable(_)))),
            "failing at write {fail}: {failed:?}"
        );
        assert_eq!(b.snapshot(), before, "after failing at write {fail}");
    }
    // With room, the steps together store what one call would.
    let mut stepped = stored.clone();
    let mut batch = store::Batch::check(&writes).unwrap();
    for step in writes.chunks(4) {
        batch.write(&mut stepped, step).unwrap();
    }
    let mut whole = stored.clone();
    store::save_all(&mut whole, &writes).unwrap();
    assert_eq!(stepped.snapshot(), whole.snapshot());
}

#[test]
fn records_encoded_ahead_in_slices_are_written_as_records_encoded_at_once() {
    // An import's records are encoded while its preview is read, perhaps only some of them
    // before the user confirms, and the customers it names are added at the end after that.
    let (stored, mut writes) = five_stored_and_newer(3..12);
    assert!(!writes.is_empty());
    let mut whole = stored.clone();
    let mut customer_named = writes.clone();
    customer_named.push(card(40));
    store::save_all(&mut whole, &customer_named).unwrap();
    for ahead in 0..=writes.len() {
        // Ahead in slices of two, as the preview does a slice at a time.
        let mut encoding = store::Encoding::default();
        let mut all = false;
        for _ in 0..ahead / 2 {
            all = encoding.advance(&writes, 2);
        }
        if ahead % 2 == 1 {
            all = encoding.advance(&writes, 1);
        }
        assert_eq!(all, ahead == writes.len(), "{ahead} encoded ahead");
        writes.push(card(40));
        let (mut batch, entries) = encoding.finish(&writes).unwrap();
        writes.pop();
        assert_eq!(entries.len(), writes.len() + 1);
        let mut b = stored.clone();
        for slice in entries.chunks(3) {
            batch.write_entries(&mut b, slice).unwrap();
        }
        assert_eq!(b.snapshot(), whole.snapshot(), "{ahead} encoded ahead");
    }
}

#[test]
fn an_invalid_record_met_while_encoding_ahead_stops_the_import_before_any_write() {
    let (_, mut writes) = five_stored_and_newer(3..12);
    if let Record::Card(c) = &mut writes[4] {
        c.branch = "x".repeat(10_000);
    }
    assert!(writes[4].validate().is_err());
    for ahead in [0, 3, 4, 5, writes.len()] {
        let mut encoding = store::Encoding::default();
        let done = encoding.advance(&writes, ahead);
        assert_eq!(done, ahead >= 5, "{ahead} checked ahead");
        // No batch comes back, so nothing can be written.
        assert!(matches!(
            encoding.finish(&writes),
            Err(StoreError::Invalid(_))
        ));
    }
}

#[test]
fn a_tab_closed_in_the_middle_of_an_import_leaves_only_whole_records() {
    // The tab dies after `step` writes: no rollback runs. Every key holds either its old or its
    // new record, nothing stored before is lost, and a fresh load reads everything.
    let mut stored = MemoryBackend::default();
    for n in 0..5 {
        store::save(&mut stored, &card(n)).unwrap();
    }
    let writes: Vec<Record> = (3..10).map(card).collect();
    for step in 0..=writes.len() {
        let mut b = stored.clone();
        for w in &writes[..step] {
            store::save(&mut b, w).unwrap();
        }
        let loaded = store::load(&mut b, Utc::now());
        assert!(loaded.set_aside.is_empty());
        assert_eq!(loaded.data.count(Kind::Card), 5.max(3 + step));
    }
}

#[test]
fn a_full_quota_refuses_the_new_record_and_keeps_the_old_ones() {
    let mut b = MemoryBackend::with_quota(2_000);
    let mut saved = 0;
    let mut n = 0;
    let err = loop {
        match store::save(&mut b, &card(n)) {
            Ok(()) => saved += 1,
            Err(e) => break e,
        }
        n += 1;
    };
    assert_eq!(err, StoreError::Quota);
    assert!(saved > 0);
    assert_eq!(
        store::load(&mut b, Utc::now()).data.count(Kind::Card),
        saved
    );
}

#[test]
fn invalid_records_are_never_written() {
    let mut b = MemoryBackend::default();
    let mut s = Settings::defaults(Utc::now());
    s.business_name = "x".repeat(1_000);
    assert!(matches!(
        store::save(&mut b, &Record::Settings(s)),
        Err(StoreError::Invalid(_))
    ));
    assert!(b.keys().is_empty());
}

#[test]
fn corrupt_and_foreign_entries_are_set_aside_once_and_the_rest_loads() {
    let mut b = MemoryBackend::default();
    store::save(&mut b, &card(1)).unwrap();
    let good = store::key(Kind::Card, card(2).id());
    b.set(&good, &card(3).to_json()).unwrap(); // content of another id under this key
    b.set("lp1:card:zzz", "{}").unwrap();
    b.set("lp1:settings:00000000-0000-0000-0000-000000000000", "null")
        .unwrap();
    b.set("other-app", "kept").unwrap();
    let loaded = store::load(&mut b, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    assert_eq!(loaded.data.count(Kind::Card), 1);
    let reasons: Vec<_> = loaded.set_aside.iter().map(|s| s.reason).collect();
    assert_eq!(reasons.len(), 3);
    assert!(reasons.contains(&"store.aside.id_mismatch"));
    assert!(
        reasons.contains(&"store.aside.unknown_key") || reasons.contains(&"store.aside.unreadable")
    );
    assert_eq!(b.get("other-app").as_deref(), Some("kept"));
    // A second load finds nothing more to set aside and keeps what was set aside.
    let again = store::load(&mut b, Utc::now());
    assert!(again.set_aside.is_empty());
    assert_eq!(store::set_aside_keys(&b).len(), 3);
}

#[test]
fn two_tabs_writing_different_records_keep_both() {
    // Both tabs write to the same storage; each record has its own key, so no write is lost.
    let mut shared = MemoryBackend::default();
    for n in 0..100 {
        store::save(&mut shared, &card(n)).unwrap(); // tab A
        store::save(&mut shared, &card(10_000 + n)).unwrap(); // tab B
    }
    assert_eq!(
        store::load(&mut shared, Utc::now()).data.count(Kind::Card),
        200
    );
}

#[test]
fn another_tabs_write_becomes_a_change_here() {
    let r = card(4);
    let key = store::key(Kind::Card, r.id());
    assert_eq!(
        store::external_change(Some(&key), Some(&r.to_json())),
        Some(Change::Upsert(Box::new(r.clone())))
    );
    assert_eq!(
        store::external_change(Some(&key), None),
        Some(Change::Remove(Kind::Card, r.id()))
    );
    assert_eq!(store::external_change(None, None), Some(Change::Cleared));
    assert_eq!(
        store::external_change(Some("lp1-pref:lang"), Some("\"fa\"")),
        None
    );
    assert_eq!(store::external_change(Some(&key), Some("garbage")), None);
}

#[test]
fn export_delete_import_gives_back_identical_storage() {
    let mut b = MemoryBackend::default();
    for n in 0..20 {
        store::save(&mut b, &card(n)).unwrap();
    }
    let mut s = Settings::defaults(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    s.branches = vec!["Tajrish".into(), "ونک".into()];
    store::save(&mut b, &Record::Settings(s)).unwrap();
    let before = b.snapshot();
    let data = store::load(&mut b, Utc::now()).data;
    let file = export::export(&data, Utc::now());

    store::clear(&mut b);
    assert!(b.snapshot().is_empty());

    let entries = export::parse(0, &file).unwrap();
    let plan = merge::plan(&Dataset::default(), vec![(0, entries)]);
    assert_eq!(plan.summary().added, 21);
    store::save_all(&mut b, &plan.writes).unwrap();
    assert_eq!(b.snapshot(), before);
    assert!(b.get(&store::key(Kind::Settings, SETTINGS_ID)).is_some());
}

#[test]
fn a_refused_file_changes_nothing() {
    let mut b = MemoryBackend::default();
    store::save(&mut b, &card(1)).unwrap();
    let before = b.snapshot();
    for bad in [
        "",
        "null",
        "{",
        "{\"format\":\"listening-post\",\"version\":2}",
        "\u{feff}[1,2]",
    ] {
        assert!(export::parse(0, bad).is_err(), "{bad:?} accepted");
    }
    assert_eq!(b.snapshot(), before);
}

#[test]
fn the_card_pages_typed_reads_and_writes_match_the_apps() {
    use listening_post::domain::{customer::Customer, template::CardTemplate};
    let mut b = MemoryBackend::default();
    let now = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
    let settings = Settings::defaults(now);
    let template = CardTemplate::default_card(Meta::new(now), &|k| {
        listening_post::domain::text::Bilingual::new(k, format!("{k} فارسی"))
    });
    let mut customer = Customer::new(Meta::new(now), "سارا", Some("09123456789"));
    customer.notes = "x".repeat(400); // long enough to be packed
                                      // Written the typed way, read back by the app's load exactly as written.
    store::save_typed(&mut b, &settings).unwrap();
    store::save_typed(&mut b, &template).unwrap();
    store::save_typed(&mut b, &customer).unwrap();
    let Record::Card(one) = card(1) else {
        unreachable!()
    };
    store::save_typed(&mut b, &one).unwrap();
    let typed = b.snapshot();
    let mut app = MemoryBackend::default();
    for r in [
        Record::Settings(settings.clone()),
        Record::Template(template.clone()),
        Record::Customer(customer.clone()),
        card(1),
    ] {
        store::save(&mut app, &r).unwrap();
    }
    assert_eq!(typed, app.snapshot(), "the same bytes under the same keys");
    let loaded = store::load(&mut b, now);
    assert!(loaded.set_aside.is_empty());
    assert_eq!(loaded.data.settings, Some(settings.clone()));
    // Read the typed way: each kind alone; an unreadable or invalid entry is skipped, not moved.
    assert_eq!(store::load_typed::<Settings>(&b), [settings]);
    assert_eq!(store::load_typed::<CardTemplate>(&b), [template]);
    assert_eq!(store::load_typed::<Customer>(&b), [customer.clone()]);
    let other = Customer::new(Meta::new(now), "علی", None);
    b.set(&store::key(Kind::Customer, other.meta.id), "{not json")
        .unwrap();
    let mut stale = other.clone();
    stale.meta.v = 99;
    b.set(
        &store::key(Kind::Customer, Uuid::from_u128(5)),
        &Record::Customer(stale).to_json(),
    )
    .unwrap();
    let before = b.snapshot();
    assert_eq!(store::load_typed::<Customer>(&b), [customer]);
    assert_eq!(b.snapshot(), before);
    // An invalid record is never written.
    let mut bad = one.clone();
    bad.branch = "\u{0}".into();
    assert!(matches!(
        store::save_typed(&mut b, &bad),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(b.snapshot(), before);
}

#[test]
fn a_card_is_stored_with_its_new_template_and_the_customer_its_contact_names_or_not_at_all() {
    use listening_post::domain::{
        card::Contact, customer::Customer, template::CardTemplate, text::Bilingual,
    };
    let at = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let text = |key: &str| Bilingual {
        en: key.to_owned(),
        fa: key.to_owned(),
    };
    let template = CardTemplate::default_card(Meta::new(at), &text);
    let Record::Card(mut first) = card(1) else {
        unreachable!()
    };
    first.template = template.meta.id;
    first.answers.insert(
        "contact".into(),
        Answer::Contact(Contact {
            value: "0912 345 6789".into(),
            consent: true,
        }),
    );
    let mut b = MemoryBackend::default();
    let none = std::collections::BTreeMap::new();
    let saved = store::save_card(&mut b, &first, Some(&template), |_| &none, at).unwrap();
    assert_eq!(saved.customers.len(), 1);
    assert!(saved.unsaved.is_empty());
    let stored = store::load(&mut b, at).data;
    assert_eq!(stored.count(Kind::Template), 1);
    assert_eq!(stored.count(Kind::Card), 1);
    assert_eq!(stored.count(Kind::Customer), 1);

    // A second card with the same number, written another way: the same customer, found.
    let Record::Card(mut second) = card(2) else {
        unreachable!()
    };
    second.template = template.meta.id;
    second.answers.insert(
        "contact".into(),
        Answer::Contact(Contact {
            value: "+98 912 345 6789".into(),
            consent: true,
        }),
    );
    let known: std::collections::BTreeMap<Uuid, Customer> = stored.customers.clone();
    let again = store::save_card(&mut b, &second, None, |_| known, at).unwrap();
    assert_eq!(again.customers.len(), 1);
    assert_eq!(again.customers[0].meta.id, saved.customers[0].meta.id);
    assert_eq!(store::load(&mut b, at).data.count(Kind::Customer), 1);

    // A card that breaks the rules: refused, and nothing is written, not even its template.
    let mut broken = second.clone();
    broken.meta.id = Uuid::from_u128(99);
    broken.branch = "x".repeat(10_000);
    let other = CardTemplate::default_card(Meta::new(at), &text);
    let before = b.keys().len();
    assert!(matches!(
        store::save_card(&mut b, &broken, Some(&other), |_| &none, at),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(b.keys().len(), before);
}
