//! The real localStorage backend in headless Chromium: records survive a reload's worth of
//! re-reading, a full quota loses nothing, and corrupt entries are set aside.
#![cfg(target_arch = "wasm32")]

use chrono::Utc;
use listening_post::{
    domain::{settings::Settings, Kind, Record},
    store::{self, local::LocalBackend, Backend, StoreError},
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh() -> LocalBackend {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    LocalBackend::open().unwrap()
}

/// Fills what is left of the quota with filler entries, halving the chunk until even
/// `smallest` characters no longer fit.
fn fill_quota(b: &mut LocalBackend, smallest: usize) {
    let mut chunk = 4_000_000usize;
    let mut n = 0;
    while chunk > smallest {
        if b.set(&format!("filler-{n}"), &"x".repeat(chunk)).is_ok() {
            n += 1;
        } else {
            chunk /= 2;
        }
    }
}

fn settings(name: &str) -> Record {
    let mut s = Settings::defaults(Utc::now());
    s.business_name = name.into();
    Record::Settings(s)
}

#[wasm_bindgen_test]
fn a_saved_record_loads_back_from_local_storage() {
    let mut b = fresh();
    store::save(&mut b, &settings("نان سنگک")).unwrap();
    let loaded = store::load(&mut LocalBackend::open().unwrap(), Utc::now());
    assert_eq!(loaded.data.settings.unwrap().business_name, "نان سنگک");
    assert!(loaded.set_aside.is_empty());
}

#[wasm_bindgen_test]
fn a_full_quota_is_reported_and_loses_nothing_already_stored() {
    let mut b = fresh();
    store::save(&mut b, &settings("kept")).unwrap();
    let before: Vec<(String, Option<String>)> = b
        .keys()
        .into_iter()
        .map(|k| (k.clone(), b.get(&k)))
        .collect();
    // Less than 32 units left; the longer name needs about 80 more, packed.
    fill_quota(&mut b, 16);
    let result = store::save(&mut b, &settings(&"y".repeat(150)));
    assert_eq!(result, Err(StoreError::Quota));
    for (k, v) in before {
        assert_eq!(b.get(&k), v, "{k} changed");
    }
    let loaded = store::load(&mut b, Utc::now());
    assert_eq!(loaded.data.settings.unwrap().business_name, "kept");
    fresh();
}

#[wasm_bindgen_test]
fn an_import_that_hits_the_quota_leaves_storage_as_it_was() {
    let mut b = fresh();
    store::save(&mut b, &settings("before")).unwrap();
    let before = b.get(&store::key(
        Kind::Settings,
        listening_post::domain::settings::SETTINGS_ID,
    ));
    fill_quota(&mut b, 4_096);
    let mut newer = settings("after");
    if let Record::Settings(s) = &mut newer {
        s.meta.updated = Utc::now() + chrono::Duration::seconds(5);
        s.branches = (0..90)
            .map(|i| format!("{i:03} {}", "b".repeat(190)))
            .collect();
    }
    let result = store::save_all(&mut b, &[newer]);
    assert_eq!(result, Err(StoreError::Quota));
    assert_eq!(
        b.get(&store::key(
            Kind::Settings,
            listening_post::domain::settings::SETTINGS_ID
        )),
        before
    );
    fresh();
}

#[wasm_bindgen_test]
fn corrupt_entries_under_our_keys_are_set_aside_and_reported() {
    let mut b = fresh();
    store::save(&mut b, &settings("good")).unwrap();
    b.set("lp1:card:not-a-uuid", "{}").unwrap();
    b.set("lp1:card:9b2f4a1e-0000-4000-8000-000000000001", "{ broken")
        .unwrap();
    b.set("lp1:mystery:9b2f4a1e-0000-4000-8000-000000000002", "[]")
        .unwrap();
    b.set("someone-else", "untouched").unwrap();
    let loaded = store::load(&mut b, Utc::now());
    assert_eq!(loaded.data.settings.unwrap().business_name, "good");
    assert_eq!(loaded.set_aside.len(), 3);
    assert_eq!(store::set_aside_keys(&b).len(), 3);
    for aside in store::set_aside_keys(&b) {
        assert!(b.get(&aside).is_some());
    }
    assert_eq!(b.get("someone-else").as_deref(), Some("untouched"));
    assert!(b.get("lp1:card:not-a-uuid").is_none());
    fresh();
}

#[wasm_bindgen_test]
fn a_crash_covers_the_page_with_a_readable_message_in_the_chosen_language() {
    fresh();
    listening_post::store::prefs::set(
        listening_post::store::prefs::LANG,
        &listening_post::i18n::Lang::Fa,
    );
    listening_post::components::crash::show("index out of bounds");
    let doc = web_sys::window().unwrap().document().unwrap();
    let crash = doc.get_element_by_id("crash").expect("crash message shown");
    assert_eq!(crash.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(crash.get_attribute("dir").as_deref(), Some("rtl"));
    let text = crash.text_content().unwrap();
    assert!(text.contains(listening_post::i18n::t(
        listening_post::i18n::Lang::Fa,
        "crash.title"
    )));
    assert!(text.contains("index out of bounds"));
    // A second panic does not stack a second message over the first.
    listening_post::components::crash::show("again");
    assert!(!doc
        .get_element_by_id("crash")
        .unwrap()
        .text_content()
        .unwrap()
        .contains("again"));
    crash.remove();
    fresh();
}

/// Every entry as the browser lists it, one call per key: what the backend must agree with.
fn one_by_one() -> Vec<(String, String)> {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let mut all: Vec<(String, String)> = (0..storage.length().unwrap())
        .map(|i| storage.key(i).unwrap().unwrap())
        .map(|k| {
            let v = storage.get_item(&k).unwrap().unwrap();
            (k, v)
        })
        .collect();
    all.sort();
    all
}

#[wasm_bindgen_test]
fn every_entry_is_read_and_measured_whatever_other_scripts_stored() {
    let mut b = fresh();
    assert!(b.entries().is_empty());
    assert_eq!(b.usage(), 0);
    store::save(&mut b, &settings("کافه")).unwrap();
    b.set("lp1-pref:lang", "\"fa\"").unwrap();
    b.set("someone-else", "شنبه 😀").unwrap();
    b.set("", "an empty key").unwrap();
    // The fast path's separator inside another script's value, then a key the browser hides
    // from a listing of the storage object's properties: both are still read.
    for (key, value) in [("", ""), ("odd", "a\u{1}b"), ("length", "7")] {
        if !key.is_empty() {
            b.set(key, value).unwrap();
        }
        let mut entries = b.entries();
        entries.sort();
        assert_eq!(entries, one_by_one(), "after {key:?}");
        let mut keys = b.keys();
        keys.sort();
        let listed: Vec<String> = one_by_one().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, listed, "after {key:?}");
        let units: usize = one_by_one()
            .iter()
            .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
            .sum();
        assert_eq!(b.usage(), units, "after {key:?}");
        // The entries under a prefix: none, some, or one holding the separator.
        for prefix in ["none-such:", "lp1", "lp1-pref:", "odd", ""] {
            let under: Vec<(String, String)> = one_by_one()
                .into_iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .collect();
            let mut handed = Vec::new();
            b.each_under(prefix, &mut |k, v| {
                handed.push((k.to_owned(), v.to_owned()))
            });
            handed.sort();
            assert_eq!(handed, under, "under {prefix:?} after {key:?}");
            let mut keys = b.keys_under(prefix);
            keys.sort();
            let listed: Vec<String> = under.into_iter().map(|(k, _)| k).collect();
            assert_eq!(keys, listed, "keys under {prefix:?} after {key:?}");
            assert_eq!(
                b.count_under(prefix),
                listed.len(),
                "{prefix:?} after {key:?}"
            );
        }
    }
    let loaded = store::load(&mut b, Utc::now());
    assert_eq!(loaded.data.settings.unwrap().business_name, "کافه");
    fresh();
}

#[wasm_bindgen_test]
fn many_writes_in_one_call_give_back_what_they_replaced_and_stop_at_a_full_quota() {
    let mut b = fresh();
    b.set("lp1-test:1", "old").unwrap();
    // Another script's text holding the separator is written as it is, one call at a time.
    let odd = [("lp1-test:odd".to_owned(), "a\u{1}b".to_owned())];
    let written = b.set_many(&odd);
    assert_eq!((written.before, written.failed), (vec![None], None));
    assert_eq!(b.get("lp1-test:odd").as_deref(), Some("a\u{1}b"));
    fill_quota(&mut b, 64);
    let entries: Vec<(String, String)> = vec![
        ("lp1-test:0".into(), "new".into()),
        ("lp1-test:1".into(), "newer".into()),
        ("lp1-test:2".into(), "x".repeat(100_000)),
        ("lp1-test:3".into(), "never".into()),
    ];
    let written = b.set_many(&entries);
    assert_eq!(written.before, vec![None, Some("old".to_owned())]);
    assert_eq!(written.failed, Some(store::BackendError::Quota));
    assert_eq!(b.get("lp1-test:1").as_deref(), Some("newer"));
    assert_eq!(b.get("lp1-test:3"), None);
    fresh();
}

/// The browser's own transport against the test server that `./scripts/test.sh` starts
/// (`COUCH_URL`, and `COUCH_WEB_DB` = `db:user:password` prepared by `scripts/couch-setup.sh`, both
/// read when this test is built): a kiosk's card reaches another device through `fetch` with
/// Basic authentication and no cookies, across origins; a wrong password is refused.
#[wasm_bindgen_test]
async fn the_browser_syncs_two_devices_through_the_server() {
    use listening_post::{
        domain::{
            card::{Answer, Card},
            template::DEFAULT_TEMPLATE_ID,
            Dataset, Meta,
        },
        sync::{
            engine::{self, SyncError, SyncState},
            fetch::FetchTransport,
        },
    };
    let (Some(url), Some(access)) = (option_env!("COUCH_URL"), option_env!("COUCH_WEB_DB")) else {
        return;
    };
    let mut parts = access.splitn(3, ':');
    let (db, user, password) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let transport = FetchTransport::new(url, db, user, password).unwrap();
    let card = Record::Card(Card {
        meta: Meta::new(Utc::now()),
        template: DEFAULT_TEMPLATE_ID,
        template_version: 1,
        lang: "fa".into(),
        branch: "تجریش".into(),
        touchpoint: "kiosk".into(),
        answers: [("overall".to_owned(), Answer::Rating(5))].into(),
    });
    let (mut kiosk, mut kiosk_state) = (Dataset::default(), SyncState::default());
    kiosk_state.changed(card.kind(), card.id());
    kiosk.upsert(card.clone());
    let sent = engine::sync(&transport, &mut kiosk, &mut kiosk_state, 100)
        .await
        .unwrap();
    assert_eq!(sent.sent, 1);
    let (mut laptop, mut laptop_state) = (Dataset::default(), SyncState::default());
    engine::sync(&transport, &mut laptop, &mut laptop_state, 100)
        .await
        .unwrap();
    assert_eq!(laptop.get(Kind::Card, card.id()), Some(card));

    let wrong = FetchTransport::new(url, db, user, "not the password").unwrap();
    let mut state = SyncState::default();
    assert_eq!(
        engine::sync(&wrong, &mut Dataset::default(), &mut state, 100).await,
        Err(SyncError::Unauthorized)
    );
}

#[wasm_bindgen_test]
async fn a_card_sealed_for_the_shop_opens_only_with_its_key_and_only_unaltered() {
    use listening_post::{domain::card_link::KEY_BYTES, sync::seal};
    let shop = seal::generate().await.unwrap();
    assert_eq!(shop.public.len(), KEY_BYTES);
    assert_eq!(shop.public[0], 4, "an uncompressed point");
    let card = "{\"answers\":{\"overall\":{\"rating\":5}},\"comment\":\"نان تازه بود\"}";
    let sealed = seal::seal(&shop.public, card.as_bytes()).await.unwrap();
    // Nothing of the card can be read in what travels.
    assert!(!sealed.ct.windows(7).any(|w| w == b"answers"));
    assert_eq!(sealed.iv.len(), 12);
    let opened = seal::open(&shop.private_jwk, &sealed).await.unwrap();
    assert_eq!(String::from_utf8(opened).unwrap(), card);
    // Two seals of the same card differ (a new ephemeral key and nonce each time).
    let again = seal::seal(&shop.public, card.as_bytes()).await.unwrap();
    assert_ne!(again.ct, sealed.ct);
    // Another shop's key, a changed byte, a changed nonce: none opens.
    let other = seal::generate().await.unwrap();
    assert!(seal::open(&other.private_jwk, &sealed).await.is_err());
    let mut tampered = sealed.clone();
    tampered.ct[3] ^= 1;
    assert!(seal::open(&shop.private_jwk, &tampered).await.is_err());
    let mut moved = sealed.clone();
    moved.iv[0] ^= 1;
    assert!(seal::open(&shop.private_jwk, &moved).await.is_err());
    assert!(seal::open("{not a key", &sealed).await.is_err());
}

/// RFC 9180, Appendix A.3.1: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode.
mod rfc9180_a3 {
    pub const INFO: &str = "4f6465206f6e2061204772656369616e2055726e";
    pub const PK_EM: &str = "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b32
        5ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4";
    pub const SK_EM: &str = "4995788ef4b9d6132b249ce59a77281493eb39af373d236a1fe415cb0c2d7beb";
    pub const PK_RM: &str = "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f70
        6a826a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0";
    pub const SK_RM: &str = "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2";
    pub const SHARED_SECRET: &str =
        "c0d26aeab536609a572b07695d933b589dcf363ff9d93c93adea537aeabb8cb8";
    /// Sequence number 0.
    pub const PT: &str = "4265617574792069732074727574682c20747275746820626561757479";
    pub const AAD: &str = "436f756e742d30";
    pub const CT: &str = "5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f
        9076ac232e3ab2523f39513434";
}

#[wasm_bindgen_test]
async fn hpke_seals_and_opens_rfc_9180_a3s_first_message_with_its_ephemeral_key() {
    use listening_post::sync::{
        hpke::{self, unhex},
        seal,
    };
    use rfc9180_a3::*;
    let (pk_e, pk_r) = (unhex(PK_EM), unhex(PK_RM));
    // The KEM: the ephemeral key fixed from the vectors, the shared secret as published.
    let sk_e = seal::import_private(&unhex(SK_EM), &pk_e).await.unwrap();
    let sealed = seal::hpke_seal_with(
        hpke::AEAD_AES128GCM,
        &sk_e,
        pk_e.clone(),
        &pk_r,
        &unhex(INFO),
        &unhex(AAD),
        &unhex(PT),
    )
    .await
    .unwrap();
    assert_eq!(sealed.enc, pk_e);
    assert_eq!(sealed.ct, unhex(CT));
    // The recipient's side, from the published private key.
    let sk_r = seal::import_private(&unhex(SK_RM), &pk_r).await.unwrap();
    let opened = seal::hpke_open_with(
        hpke::AEAD_AES128GCM,
        &sk_r,
        &pk_r,
        &unhex(INFO),
        &unhex(AAD),
        &sealed,
    )
    .await
    .unwrap();
    assert_eq!(opened, unhex(PT));
    // Other associated data does not open.
    assert!(seal::hpke_open_with(
        hpke::AEAD_AES128GCM,
        &sk_r,
        &pk_r,
        &unhex(INFO),
        b"Count-1",
        &sealed
    )
    .await
    .is_err());
    // The KEM's shared secret itself, from the DH of the vectors' keys.
    assert_eq!(
        hpke::shared_secret(&seal::dh_bits(&sk_e, &pk_r).await.unwrap(), &pk_e, &pk_r).to_vec(),
        unhex(SHARED_SECRET)
    );
}

#[wasm_bindgen_test]
async fn a_card_sealed_with_hpke_opens_only_under_its_own_id_and_design_with_the_shops_key() {
    use listening_post::sync::{inbox, seal};
    use uuid::Uuid;
    let shop = seal::generate().await.unwrap();
    let (id, design) = (Uuid::new_v4().to_string(), Uuid::new_v4());
    let card = "{\"answers\":{\"overall\":{\"rating\":5}},\"comment\":\"نان تازه بود\"}";
    let aad = inbox::aad(&id, design);
    let sealed = seal::hpke_seal(&shop.public, &aad, card.as_bytes())
        .await
        .unwrap();
    assert_eq!(sealed.enc.len(), 65);
    assert!(!sealed.ct.windows(7).any(|w| w == b"answers"));
    let opened = seal::hpke_open(&shop.private_jwk, &shop.public, &aad, &sealed)
        .await
        .unwrap();
    assert_eq!(String::from_utf8(opened).unwrap(), card);
    // Copied under another id, or presented as another design's card: it does not open.
    let other_id = inbox::aad(&Uuid::new_v4().to_string(), design);
    assert!(
        seal::hpke_open(&shop.private_jwk, &shop.public, &other_id, &sealed)
            .await
            .is_err()
    );
    let other_design = inbox::aad(&id, Uuid::new_v4());
    assert!(
        seal::hpke_open(&shop.private_jwk, &shop.public, &other_design, &sealed)
            .await
            .is_err()
    );
    // Another shop's key, or a changed byte.
    let stranger = seal::generate().await.unwrap();
    assert!(
        seal::hpke_open(&stranger.private_jwk, &stranger.public, &aad, &sealed)
            .await
            .is_err()
    );
    let mut tampered = sealed.clone();
    tampered.ct[5] ^= 1;
    assert!(
        seal::hpke_open(&shop.private_jwk, &shop.public, &aad, &tampered)
            .await
            .is_err()
    );
}
