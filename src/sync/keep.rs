//! What sync keeps on this device, beside the records and never exported: the server it syncs
//! with, the checkpoint, the ledger (a key per record), the last pass. All under
//! [`PREFIX`], which the record store neither reads nor clears.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::{
    engine::SyncState,
    inbox::{Published, ShopKeys},
    ledger::{self, InStep},
};
use crate::{
    domain::{
        couch_doc,
        erasure::Erasure,
        window::{Span, Window},
        Dataset, Kind,
    },
    store::{codec, Backend, BackendError},
};

/// Prefix of every key sync keeps.
pub const PREFIX: &str = "lp1-sync:";
/// Prefix of the ledger's entries: [`PREFIX`], `r`, then the record's kind letter and packed id.
const LEDGER: &str = "lp1-sync:r";
pub const CONFIG: &str = "lp1-sync:config";
/// The checkpoint, with the server and database it belongs to.
const CHECKPOINT: &str = "lp1-sync:seq";
pub const LAST: &str = "lp1-sync:last";
/// Which tab syncs: its id and until when (milliseconds since the epoch).
pub const LEASE: &str = "lp1-sync:lease";
/// The shop's inbox keys, as fetched from its database.
pub const INBOX_KEYS: &str = "lp1-sync:inbox-keys";
/// The card designs this device published in the inbox: template id → (its stamp, revision).
const DESIGNS: &str = "lp1-sync:designs";
/// Set when every record was deleted on every device: the next complete pass sends the
/// deletions, then the device forgets the server and every sync secret.
const FORGET_AFTER: &str = "lp1-sync:forget-after-pass";
/// Cards this device took in through card links, by hour and branch.
pub const ARRIVALS: &str = "lp1-sync:arrivals";
/// Where this device's take-in stands in the inbox's `_changes`.
const INBOX_SINCE: &str = "lp1-sync:inbox-seq";
/// What this device keeps of the shop's history: its window, as chosen and as narrowed.
pub const WINDOW: &str = "lp1-sync:window";
/// The share of the browser's storage past which a syncing device narrows its window, oldest
/// cards first, so that storage never fills in the middle of a pass: 85%.
pub const NARROW_AT: usize = crate::store::memory::CHROMIUM_QUOTA * 85 / 100;
/// Erasures still to carry out on the server (a customer erased here).
const ERASURES: &str = "lp1-sync:erasures";
/// The day the retention rule last ran on the server from this device.
const RETENTION_DAY: &str = "lp1-sync:retention-day";
/// The window fetched in full up to the checkpoint, with the server and database.
const HELD: &str = "lp1-sync:held";

/// The server this device syncs with, and as whom. Kept on this device only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    pub server: String,
    pub db: String,
    pub user: String,
    /// Kept only while the user keeps it: dropped by "Forget this server" and after the server
    /// refuses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Syncing (true), or stopped by the user with the server still known.
    #[serde(default)]
    pub on: bool,
}

/// A field of the Sync form and what is wrong with it (a locale key).
pub type Problem = (&'static str, &'static str);

impl Config {
    /// Trims the fields and names what is wrong with them, field by field.
    pub fn checked(mut self) -> Result<Config, Vec<Problem>> {
        self.server = self.server.trim().trim_end_matches('/').to_owned();
        self.db = self.db.trim().to_owned();
        self.user = self.user.trim().to_owned();
        let mut problems = Vec::new();
        let lower = self.server.to_ascii_lowercase();
        let web = ["https://", "http://"]
            .iter()
            .find_map(|scheme| lower.strip_prefix(scheme))
            .is_some_and(|rest| {
                let host = rest.split('/').next().unwrap_or_default();
                !host.is_empty() && !host.contains(char::is_whitespace)
            });
        let same_origin = self.server.starts_with('/') && !self.server.starts_with("//");
        if self.server.is_empty() {
            problems.push(("server", "sync.problem.server_empty"));
        } else if !(web || same_origin) || self.server.contains(char::is_whitespace) {
            problems.push(("server", "sync.problem.server_form"));
        }
        // CouchDB's rule for database names.
        let mut chars = self.db.chars();
        let db_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(c))
            && self.db.len() <= 238;
        if self.db.is_empty() {
            problems.push(("db", "sync.problem.db_empty"));
        } else if !db_ok {
            problems.push(("db", "sync.problem.db_form"));
        }
        if self.user.is_empty() {
            problems.push(("user", "sync.problem.user_empty"));
        }
        if self.password.as_deref().unwrap_or_default().is_empty() {
            problems.push(("password", "sync.problem.password_empty"));
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// Which server and database the checkpoint and ledger belong to.
    fn place(&self) -> String {
        format!("{} {}", self.server.trim_end_matches('/'), self.db)
    }
}

/// How the last pass went, for the status line (shared by every tab through storage).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Last {
    /// The end of the last pass that completed. (Times as milliseconds since 1970: read with
    /// no date parser.)
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub ok_at: Option<DateTime<Utc>>,
    /// The last verify pass (every local record checked against the server).
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub verified_at: Option<DateTime<Utc>>,
    /// The error that stopped the last pass, as a locale key, if it failed.
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub error_at: Option<DateTime<Utc>>,
    /// What the error's text names (a status code), if anything.
    #[serde(default)]
    pub error_detail: Option<String>,
    /// Records waiting to be sent after the last pass.
    #[serde(default)]
    pub waiting: usize,
    /// Server documents set aside in the last pass, with why (document id, locale key).
    #[serde(default)]
    pub set_aside: Vec<(String, String)>,
    /// How many were set aside, when more than `set_aside` lists.
    #[serde(default)]
    pub set_aside_more: usize,
    /// Documents the shop's database held at the end of the last complete pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_docs: Option<u64>,
}

impl Last {
    /// Notes that a pass stopped on `e`, now.
    pub fn failed(&mut self, e: &super::engine::SyncError) {
        let (key, detail) = error_key(e);
        self.error = Some(key.to_owned());
        self.error_detail = detail;
        self.error_at = Some(Utc::now());
    }
}

/// The words for why a pass stopped (a locale key, with `{what}` filled by the detail), each
/// saying what to do about it.
pub fn error_key(e: &super::engine::SyncError) -> (&'static str, Option<String>) {
    use super::engine::SyncError;
    match e {
        SyncError::Unauthorized => ("sync.error.unauthorized", None),
        SyncError::Forbidden => ("sync.error.forbidden", None),
        SyncError::Server(404) => ("sync.error.no_db", None),
        SyncError::Server(status) => ("sync.error.server", Some(status.to_string())),
        SyncError::Garbled => ("sync.error.garbled", None),
        SyncError::Transport(_) => ("sync.error.offline", None),
        SyncError::Local(_) => ("sync.error.local", None),
        SyncError::Outdated => ("sync.error.outdated", None),
    }
}

fn read<T: serde::de::DeserializeOwned>(backend: &impl Backend, key: &str) -> Option<T> {
    serde_json::from_str(&backend.get(key)?).ok()
}

fn write<T: Serialize>(
    backend: &mut impl Backend,
    key: &str,
    value: &T,
) -> Result<(), BackendError> {
    let text =
        serde_json::to_string(value).map_err(|e| BackendError::Unavailable(e.to_string()))?;
    backend.set(key, &text)
}

pub fn config(backend: &impl Backend) -> Option<Config> {
    read(backend, CONFIG)
}

/// Keeps the configuration. A new server or database starts from nothing: its checkpoint and
/// ledger are dropped, so the first pass is a full one.
pub fn set_config(backend: &mut impl Backend, config: &Config) -> Result<(), BackendError> {
    let same_place = read::<(String, Value)>(backend, CHECKPOINT)
        .is_some_and(|(place, _)| place == config.place());
    if !same_place {
        forget_progress(backend);
        backend.remove(INBOX_KEYS);
        backend.remove(DESIGNS);
    }
    write(backend, CONFIG, config)
}

/// Drops everything sync keeps: the server, the password, the checkpoint, the ledger.
pub fn forget(backend: &mut impl Backend) {
    for key in backend.keys_under(PREFIX) {
        backend.remove(&key);
    }
}

/// Drops the checkpoint and ledger (and the last pass), keeping the server: the next pass is a
/// full one, without duplicates.
pub fn forget_progress(backend: &mut impl Backend) {
    for key in backend.keys() {
        if key.starts_with(LEDGER)
            || key == CHECKPOINT
            || key == LAST
            || key == INBOX_SINCE
            || key == HELD
        {
            backend.remove(&key);
        }
    }
}

pub fn inbox_keys(backend: &impl Backend) -> Option<ShopKeys> {
    read(backend, INBOX_KEYS)
}

/// Keeps the shop's keys (or, with `None`, forgets them: the inbox is gone from the server).
pub fn set_inbox_keys(
    backend: &mut impl Backend,
    keys: Option<&ShopKeys>,
) -> Result<(), BackendError> {
    match keys {
        Some(keys) => write(backend, INBOX_KEYS, keys),
        None => {
            backend.remove(INBOX_KEYS);
            backend.remove(DESIGNS);
            Ok(())
        }
    }
}

pub fn designs(backend: &impl Backend) -> Published {
    read(backend, DESIGNS).unwrap_or_default()
}

pub fn set_designs(backend: &mut impl Backend, published: &Published) -> Result<(), BackendError> {
    write(backend, DESIGNS, published)
}

pub fn arrivals(backend: &impl Backend) -> super::arrivals::Arrivals {
    read(backend, ARRIVALS).unwrap_or_default()
}

pub fn set_arrivals(
    backend: &mut impl Backend,
    arrivals: &super::arrivals::Arrivals,
) -> Result<(), BackendError> {
    write(backend, ARRIVALS, arrivals)
}

/// Whether the device forgets the server once a pass completes.
pub fn forget_after_pass(backend: &impl Backend) -> bool {
    backend.get(FORGET_AFTER).is_some()
}

pub fn set_forget_after_pass(backend: &mut impl Backend) -> Result<(), BackendError> {
    backend.set(FORGET_AFTER, "1")
}

/// The inbox's sequence the next take-in starts from: the start, at first and after the device
/// moved to another server or database.
pub fn inbox_since(backend: &impl Backend, config: &Config) -> Value {
    read::<(String, Value)>(backend, INBOX_SINCE)
        .filter(|(place, _)| *place == config.place())
        .map_or(Value::from(0), |(_, since)| since)
}

pub fn set_inbox_since(
    backend: &mut impl Backend,
    config: &Config,
    since: &Value,
) -> Result<(), BackendError> {
    write(backend, INBOX_SINCE, &(config.place(), since))
}

pub fn last(backend: &impl Backend) -> Last {
    read(backend, LAST).unwrap_or_default()
}

pub fn set_last(backend: &mut impl Backend, last: &Last) -> Result<(), BackendError> {
    write(backend, LAST, last)
}

/// Hands over the ledger's entries as stored, one at a time; unreadable entries are no entries
/// (the records are sent again).
fn each_entry(backend: &impl Backend) -> impl FnOnce(&mut dyn FnMut(Kind, Uuid, InStep)) + '_ {
    move |f| {
        backend.each_under(LEDGER, &mut |key, value| {
            if let (Some((kind, id)), Some(entry)) =
                (codec::parse_key(LEDGER, key), InStep::decode(value))
            {
                f(kind, id, entry);
            }
        });
    }
}

/// The ledger as stored, as one map.
#[cfg(test)]
pub fn ledger(backend: &impl Backend) -> ledger::Ledger {
    let mut ledger = ledger::Ledger::new();
    each_entry(backend)(&mut |kind, id, entry| {
        ledger.insert(couch_doc::doc_id(kind, id), entry);
    });
    ledger
}

/// The state a pass starts from: the checkpoint for this server and database, the revisions
/// the ledger knows, and what waits to be sent.
pub fn start(backend: &impl Backend, config: &Config, local: &Dataset) -> SyncState {
    let mut state = ledger::start(local, each_entry(backend));
    state.checkpoint = read::<(String, Value)>(backend, CHECKPOINT)
        .filter(|(place, _)| *place == config.place())
        .map(|(_, seq)| seq);
    // Kept since windows came: before, every device held everything.
    state.held = read::<(String, Span)>(backend, HELD)
        .filter(|(place, _)| *place == config.place())
        .map(|(_, held)| held)
        .unwrap_or_default();
    state
}

pub fn erasures(backend: &impl Backend) -> Vec<Erasure> {
    read(backend, ERASURES).unwrap_or_default()
}

pub fn set_erasures(backend: &mut impl Backend, list: &[Erasure]) -> Result<(), BackendError> {
    if list.is_empty() {
        backend.remove(ERASURES);
        Ok(())
    } else {
        write(backend, ERASURES, &list)
    }
}

pub fn retention_day(backend: &impl Backend) -> Option<chrono::NaiveDate> {
    read(backend, RETENTION_DAY)
}

pub fn set_retention_day(
    backend: &mut impl Backend,
    day: chrono::NaiveDate,
) -> Result<(), BackendError> {
    write(backend, RETENTION_DAY, &day)
}

/// This device's window: everything, unless one was chosen or storage narrowed it.
pub fn window(backend: &impl Backend) -> Window {
    read(backend, WINDOW).unwrap_or_default()
}

pub fn set_window(backend: &mut impl Backend, window: &Window) -> Result<(), BackendError> {
    write(backend, WINDOW, window)
}

/// Drops a record's ledger entry: the record leaves this device without a deletion being sent.
/// Done before the record itself goes, so that no moment leaves an entry without its record
/// (which the next pass would read as a deletion made here).
pub fn drop_entry(backend: &mut impl Backend, kind: Kind, id: Uuid) {
    backend.remove(&codec::key(LEDGER, kind, id));
}

/// Keeps what a pass (complete or cut short) reached: the checkpoint, and each ledger entry
/// that changed, compared with storage one key at a time, so no second copy of the ledger or
/// the records is held.
pub fn finish(
    backend: &mut impl Backend,
    config: &Config,
    state: &SyncState,
    local: &Dataset,
) -> Result<(), BackendError> {
    let mut kept = 0;
    for (kind, id, entry) in ledger::entries(state, local) {
        let key = codec::key(LEDGER, kind, id);
        let value = entry.encode();
        if backend.get(&key).as_deref() != Some(value.as_str()) {
            backend.set(&key, &value)?;
        }
        kept += 1;
    }
    // An entry whose document has no known revision any more goes. Only counted at first: as
    // many keys as entries just kept means there is none, and the keys need not be listed.
    if backend.count_under(LEDGER) != kept {
        for key in backend.keys_under(LEDGER) {
            // A key that names no record is no entry (see `each_entry`): it goes too.
            let known = codec::parse_key(LEDGER, &key)
                .is_some_and(|(kind, id)| state.revs.contains_key(&couch_doc::doc_id(kind, id)));
            if !known {
                backend.remove(&key);
            }
        }
    }
    if let Some(seq) = &state.checkpoint {
        write(backend, CHECKPOINT, &(config.place(), seq))?;
    }
    write(backend, HELD, &(config.place(), &state.held))
}

/// How many records wait to be sent: changed or deleted since they were last in step.
pub fn waiting(backend: &impl Backend, local: &Dataset) -> usize {
    ledger::waiting(local, each_entry(backend))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::{feedback::testing::complaint_at, Record},
        store::memory::MemoryBackend,
    };

    fn config(db: &str) -> Config {
        Config {
            server: "https://couch.example.com/".into(),
            db: db.into(),
            user: "desk".into(),
            password: Some("secret".into()),
            on: true,
        }
    }

    fn dataset(records: &[Record]) -> Dataset {
        let mut d = Dataset::default();
        for r in records {
            d.upsert(r.clone());
        }
        d
    }

    #[test]
    fn an_entry_whose_document_is_gone_from_the_server_is_dropped_and_the_rest_kept() {
        let mut backend = MemoryBackend::default();
        let shop = config("shop");
        set_config(&mut backend, &shop).unwrap();
        let now = chrono::Utc::now();
        let (a, b) = (
            Record::Feedback(complaint_at(now)),
            Record::Feedback(complaint_at(now)),
        );
        let mut local = dataset(&[a.clone(), b.clone()]);
        let mut state = start(&backend, &shop, &local);
        for r in [&a, &b] {
            state
                .revs
                .insert(couch_doc::doc_id(r.kind(), r.id()), "1-abc".into());
        }
        state.pending.clear();
        finish(&mut backend, &shop, &state, &local).unwrap();
        assert_eq!(ledger(&backend).len(), 2);

        // A later pass learns that the server deleted `a`: the record and its revision go. A
        // key under the ledger's prefix that names no record goes with it.
        backend
            .set(&format!("{LEDGER}not-a-record"), "1-abc 0")
            .unwrap();
        let mut state = start(&backend, &shop, &local);
        local.remove(a.kind(), a.id());
        state.revs.remove(&couch_doc::doc_id(a.kind(), a.id()));
        finish(&mut backend, &shop, &state, &local).unwrap();
        let left: Vec<String> = ledger(&backend).into_keys().collect();
        assert_eq!(left, vec![couch_doc::doc_id(b.kind(), b.id())]);
        assert_eq!(backend.keys_under(LEDGER).len(), 1);
        assert_eq!(waiting(&backend, &local), 0);
    }

    #[test]
    fn the_inbox_take_in_resumes_where_it_stopped_on_the_same_database_only() {
        let mut backend = MemoryBackend::default();
        let shop = config("shop");
        assert_eq!(inbox_since(&backend, &shop), serde_json::json!(0));
        set_inbox_since(&mut backend, &shop, &serde_json::json!("42-g1AAAA")).unwrap();
        assert_eq!(inbox_since(&backend, &shop), serde_json::json!("42-g1AAAA"));
        assert_eq!(
            inbox_since(&backend, &config("other")),
            serde_json::json!(0)
        );
        forget_progress(&mut backend);
        assert_eq!(inbox_since(&backend, &shop), serde_json::json!(0));
    }

    #[test]
    fn a_finished_pass_is_remembered_and_a_new_database_starts_afresh() {
        let mut backend = MemoryBackend::default();
        let shop = config("shop");
        set_config(&mut backend, &shop).unwrap();
        let item = Record::Feedback(complaint_at(chrono::Utc::now()));
        let local = dataset(std::slice::from_ref(&item));
        let mut state = start(&backend, &shop, &local);
        assert_eq!(state.pending.len(), 1);
        assert_eq!(state.checkpoint, None);
        let doc_id = couch_doc::doc_id(item.kind(), item.id());
        state.pending.clear();
        state.revs.insert(doc_id.clone(), "1-abc".into());
        state.checkpoint = Some(serde_json::json!("7-g1AAAA"));
        finish(&mut backend, &shop, &state, &local).unwrap();

        let again = start(&backend, &shop, &local);
        assert_eq!(ledger(&backend)[&doc_id].rev, "1-abc");
        assert!(again.pending.is_empty(), "nothing waits after a pass");
        assert_eq!(again.checkpoint, Some(serde_json::json!("7-g1AAAA")));
        assert_eq!(waiting(&backend, &local), 0);
        // The record deleted here waits to be sent as a deletion.
        assert_eq!(waiting(&backend, &Dataset::default()), 1);

        // Another database: no checkpoint, no ledger.
        set_config(&mut backend, &config("other")).unwrap();
        let fresh = start(&backend, &config("other"), &local);
        assert!(ledger(&backend).is_empty());
        assert_eq!(fresh.checkpoint, None);
        assert_eq!(fresh.pending.len(), 1);
    }

    #[test]
    fn the_record_store_never_sees_sync_keys_and_forget_drops_them_all() {
        let mut backend = MemoryBackend::default();
        let shop = config("shop");
        set_config(&mut backend, &shop).unwrap();
        let item = Record::Feedback(complaint_at(chrono::Utc::now()));
        crate::store::save(&mut backend, &item).unwrap();
        let local = dataset(std::slice::from_ref(&item));
        let mut state = start(&backend, &shop, &local);
        state.pending.clear();
        state
            .revs
            .insert(couch_doc::doc_id(item.kind(), item.id()), "1-abc".into());
        finish(&mut backend, &shop, &state, &local).unwrap();
        let at = chrono::DateTime::from_timestamp_millis(1_795_510_800_123).unwrap();
        let last = Last {
            ok_at: Some(at),
            error: Some("sync.error.offline".into()),
            error_at: Some(at),
            waiting: 3,
            ..Last::default()
        };
        set_last(&mut backend, &last).unwrap();
        assert_eq!(super::last(&backend), last);

        let loaded = crate::store::load(&mut backend, chrono::Utc::now());
        assert_eq!(loaded.data.records().len(), 1);
        assert!(loaded.aside_keys.is_empty(), "sync keys are not set aside");
        // Deleting every record keeps sync's keys (a deletion everywhere needs the ledger).
        crate::store::clear(&mut backend);
        assert_eq!(ledger(&backend).len(), 1);
        forget(&mut backend);
        assert!(backend.keys().is_empty());
    }

    #[test]
    fn the_form_is_checked_field_by_field() {
        let ok = Config {
            server: "  https://couch.example.com:6984/ ".into(),
            db: "shop_1".into(),
            user: " desk ".into(),
            password: Some("pw".into()),
            on: true,
        }
        .checked()
        .unwrap();
        assert_eq!(ok.server, "https://couch.example.com:6984");
        assert_eq!(ok.user, "desk");
        assert!(Config {
            server: "/couchdb".into(),
            ..ok.clone()
        }
        .checked()
        .is_ok());
        let fields = |c: Config| -> Vec<&str> {
            c.checked()
                .unwrap_err()
                .into_iter()
                .map(|(f, _)| f)
                .collect()
        };
        assert_eq!(
            fields(Config {
                server: "couch.example.com".into(),
                db: "Shop".into(),
                ..ok.clone()
            }),
            vec!["server", "db"]
        );
        assert_eq!(
            fields(Config {
                server: "javascript:alert(1)".into(),
                ..ok.clone()
            }),
            vec!["server"]
        );
        assert_eq!(
            fields(Config {
                server: "//evil.example".into(),
                ..ok.clone()
            }),
            vec!["server"]
        );
        assert_eq!(
            fields(Config {
                user: "  ".into(),
                password: None,
                ..ok.clone()
            }),
            vec!["user", "password"]
        );
        assert_eq!(
            fields(Config::default()),
            vec!["server", "db", "user", "password"]
        );
    }

    #[test]
    fn an_unreadable_ledger_entry_only_means_the_record_is_sent_again() {
        let mut backend = MemoryBackend::default();
        let item = Record::Feedback(complaint_at(chrono::Utc::now()));
        backend
            .set(&codec::key(LEDGER, item.kind(), item.id()), "<script>")
            .unwrap();
        backend.set(CHECKPOINT, "{not json").unwrap();
        backend.set(CONFIG, "[]").unwrap();
        assert_eq!(super::config(&backend), None);
        let state = start(&backend, &config("shop"), &dataset(&[item]));
        assert!(ledger(&backend).is_empty());
        assert_eq!(state.pending.len(), 1);
        assert_eq!(state.checkpoint, None);
    }
}
