//! The only code that knows how records are kept in localStorage: key names, encoding, quota
//! and corruption handling. It works on any [`Backend`], so it is tested natively on
//! [`memory::MemoryBackend`] and runs in the browser on [`local::LocalBackend`].
//!
//! Layout: one key per record (`lp1:` + kind letter + packed id, see [`codec`]). Saving a record
//! writes its key and nothing else, so writes are O(1) and two tabs never overwrite each other's
//! records. Entries that cannot be read are moved under `lp1-aside:` and reported, never
//! overwritten or dropped.

pub mod codec;
pub mod local;
pub mod memory;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{Dataset, Kind, Record, ValidationError};

/// Prefix of every record key.
pub const PREFIX: &str = "lp1:";
/// Prefix of entries set aside because they could not be read.
pub const ASIDE_PREFIX: &str = "lp1-aside:";
/// Prefix of this device's preferences (language, last export); not part of the data.
pub const PREF_PREFIX: &str = "lp1-pref:";

/// A key-value store with the semantics of the browser's localStorage.
pub trait Backend {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), BackendError>;
    fn remove(&mut self, key: &str);
    fn keys(&self) -> Vec<String>;

    /// Writes `entries` in order, stopping at the first that fails. Gives back, for each entry
    /// written, the value its key held before, so the writes can be undone.
    fn set_many(&mut self, entries: &[(String, String)]) -> Written {
        set_each(self, entries)
    }

    /// Every key that starts with `prefix`.
    fn keys_under(&self, prefix: &str) -> Vec<String> {
        let mut keys = self.keys();
        keys.retain(|k| k.starts_with(prefix));
        keys
    }

    /// How many keys start with `prefix`.
    fn count_under(&self, prefix: &str) -> usize {
        self.keys_under(prefix).len()
    }

    /// Hands every entry whose key starts with `prefix` to `f`, one at a time, with no list of
    /// them all held as separate strings.
    fn each_under(&self, prefix: &str, f: &mut dyn FnMut(&str, &str)) {
        for key in self.keys_under(prefix) {
            if let Some(value) = self.get(&key) {
                f(&key, &value);
            }
        }
    }

    /// Every entry, as `(key, value)`.
    fn entries(&self) -> Vec<(String, String)> {
        let mut all = Vec::new();
        self.each_under("", &mut |k, v| all.push((k.to_owned(), v.to_owned())));
        all
    }

    /// Every key and value together, in UTF-16 code units (the unit browsers count quota in).
    fn usage(&self) -> usize {
        let units = |s: &str| s.encode_utf16().count();
        self.entries()
            .iter()
            .map(|(k, v)| units(k) + units(v))
            .sum()
    }
}

/// [`Backend::set_many`] one read and one write at a time.
pub fn set_each<B: Backend + ?Sized>(backend: &mut B, entries: &[(String, String)]) -> Written {
    let mut written = Written::default();
    for (k, v) in entries {
        let before = backend.get(k);
        if let Err(e) = backend.set(k, v) {
            written.failed = Some(e);
            break;
        }
        written.before.push(before);
    }
    written
}

/// What [`Backend::set_many`] did.
#[derive(Debug, Default)]
pub struct Written {
    /// The value each written key held before, in the order written (`None`: no such key).
    pub before: Vec<Option<String>>,
    /// Why the next entry was not written, if one failed.
    pub failed: Option<BackendError>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    #[error("storage is full")]
    Quota,
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
}

/// Why a save did not happen. Whatever was stored before is still there.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StoreError {
    #[error("storage is full")]
    Quota,
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
    #[error("the record is not valid: {0}")]
    Invalid(ValidationError),
}

impl From<BackendError> for StoreError {
    fn from(e: BackendError) -> Self {
        match e {
            BackendError::Quota => StoreError::Quota,
            BackendError::Unavailable(m) => StoreError::Unavailable(m),
        }
    }
}

impl StoreError {
    pub fn message_key(&self) -> &'static str {
        match self {
            StoreError::Quota => "store.error.quota",
            StoreError::Unavailable(_) => "store.error.unavailable",
            StoreError::Invalid(e) => e.message_key(),
        }
    }
}

/// The storage key of a record.
pub fn key(kind: Kind, id: Uuid) -> String {
    codec::key(PREFIX, kind, id)
}

/// The kind and id a record key names, if it is one of ours and well formed.
pub fn parse_key(key: &str) -> Option<(Kind, Uuid)> {
    codec::parse_key(PREFIX, key)
}

/// An entry that could not be read and was moved out of the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    /// Where it is kept now.
    pub key: String,
    /// Why it was set aside (a locale key).
    pub reason: &'static str,
}

/// What loading found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub data: Dataset,
    /// Entries set aside by this load.
    pub set_aside: Vec<SetAside>,
    /// Keys of every entry set aside, by this load or an earlier one, in order.
    pub aside_keys: Vec<String>,
}

/// Reads one stored entry; `Err` carries the locale key of the reason it cannot be used.
pub fn decode(key: &str, value: &str) -> Result<Record, &'static str> {
    let (kind, id) = parse_key(key).ok_or("store.aside.unknown_key")?;
    let record = codec::decode(kind, id, value).map_err(|e| match e {
        codec::DecodeError::Unreadable => "store.aside.unreadable",
        codec::DecodeError::IdMismatch => "store.aside.id_mismatch",
    })?;
    record.validate().map_err(|_| "store.aside.invalid")?;
    Ok(record)
}

/// Loads every record. Entries under our prefix that cannot be read are moved under
/// [`ASIDE_PREFIX`] (with the time, so repeated moves never collide) and reported. If even that
/// move fails (storage full), the entry is left where it is, untouched.
pub fn load(backend: &mut impl Backend, now: DateTime<Utc>) -> Loaded {
    let mut loaded = Loaded::default();
    for (key, value) in backend.entries() {
        if key.starts_with(ASIDE_PREFIX) {
            loaded.aside_keys.push(key);
            continue;
        }
        if !key.starts_with(PREFIX) {
            continue;
        }
        match decode(&key, &value) {
            Ok(record) => loaded.data.upsert(record),
            Err(reason) => {
                let aside = format!(
                    "{ASIDE_PREFIX}{}:{}",
                    now.timestamp_millis(),
                    &key[PREFIX.len()..]
                );
                if backend.set(&aside, &value).is_ok() {
                    backend.remove(&key);
                    loaded.aside_keys.push(aside.clone());
                    loaded.set_aside.push(SetAside { key: aside, reason });
                } else {
                    loaded.set_aside.push(SetAside { key, reason });
                }
            }
        }
    }
    loaded.aside_keys.sort();
    loaded
}

/// Validates and writes one record, touching no other key.
pub fn save(backend: &mut impl Backend, record: &Record) -> Result<(), StoreError> {
    record.validate().map_err(StoreError::Invalid)?;
    backend.set(&key(record.kind(), record.id()), &codec::encode(record))?;
    Ok(())
}

/// A record read and written on its own, without the others' code: for the card page, which
/// must stay small.
pub trait Typed: serde::Serialize + serde::de::DeserializeOwned {
    const KIND: Kind;
    fn id(&self) -> Uuid;
    /// The same checks as [`Record::validate`].
    fn check(&self) -> Result<(), ValidationError>;
    fn encode(&self) -> String {
        codec::encode_json(serde_json::to_string(self).unwrap_or_default())
    }
}

macro_rules! typed {
    ($t:ty, $kind:expr) => {
        impl Typed for $t {
            const KIND: Kind = $kind;
            fn id(&self) -> Uuid {
                self.meta.id
            }
            fn check(&self) -> Result<(), ValidationError> {
                self.meta.validate()?;
                self.validate()
            }
        }
    };
}
typed!(crate::domain::settings::Settings, Kind::Settings);
typed!(crate::domain::template::CardTemplate, Kind::Template);
typed!(crate::domain::customer::Customer, Kind::Customer);

impl Typed for crate::domain::card::Card {
    const KIND: Kind = Kind::Card;
    fn id(&self) -> Uuid {
        self.meta.id
    }
    fn check(&self) -> Result<(), ValidationError> {
        self.meta.validate()?;
        self.validate()
    }
    fn encode(&self) -> String {
        codec::encode_card(self)
    }
}

/// Every readable, valid stored record of one kind other than cards. Entries that cannot be
/// read are left where they are: the app sets them aside when it opens.
pub fn load_typed<T: Typed>(backend: &impl Backend) -> Vec<T> {
    let mut out = Vec::new();
    backend.each_under(&codec::kind_prefix(PREFIX, T::KIND), &mut |k, v| {
        let Some((_, id)) = parse_key(k) else { return };
        if let Some(r) = codec::decode_json::<T>(v) {
            if r.id() == id && r.check().is_ok() {
                out.push(r);
            }
        }
    });
    out
}

/// Validates and writes one record, as [`save`] does.
pub fn save_typed<T: Typed>(backend: &mut impl Backend, record: &T) -> Result<(), StoreError> {
    record.check().map_err(StoreError::Invalid)?;
    backend.set(&key(T::KIND, record.id()), &record.encode())?;
    Ok(())
}

/// What storing a card wrote of the customers its contact names.
#[derive(Debug, Default)]
pub struct CardSaved {
    /// Customers added or updated.
    pub customers: Vec<crate::domain::customer::Customer>,
    /// Customers that could not be stored, and why (the card is stored all the same).
    pub unsaved: Vec<(crate::domain::customer::Customer, StoreError)>,
}

/// Stores an answered card the one way the app's screens, its sync and the card page all do:
/// its template first when it is not stored yet (`new_template`), then the card, then each
/// customer the card's contact names, found among `known` (read only when the card names one)
/// or added. The card is stored, or an error says why and nothing after it is written.
pub fn save_card<B, K>(
    backend: &mut B,
    card: &crate::domain::card::Card,
    new_template: Option<&crate::domain::template::CardTemplate>,
    known: impl FnOnce(&B) -> K,
    now: DateTime<Utc>,
) -> Result<CardSaved, StoreError>
where
    B: Backend,
    K: std::borrow::Borrow<std::collections::BTreeMap<Uuid, crate::domain::customer::Customer>>,
{
    use crate::domain::customer;
    // A card that breaks the rules writes nothing, not even its template.
    card.check().map_err(StoreError::Invalid)?;
    if let Some(template) = new_template {
        save_typed(backend, template)?;
    }
    save_typed(backend, card)?;
    let record = Record::Card(card.clone());
    let mut saved = CardSaved::default();
    if customer::Sighting::of(&record).is_none() {
        return Ok(saved);
    }
    let known = known(backend);
    for c in customer::observe(known.borrow(), std::slice::from_ref(&record), now) {
        match save_typed(backend, &c) {
            Ok(()) => saved.customers.push(c),
            Err(e) => saved.unsaved.push((c, e)),
        }
    }
    Ok(saved)
}

/// Removes one record.
pub fn remove(backend: &mut impl Backend, kind: Kind, id: Uuid) {
    backend.remove(&key(kind, id));
}

/// Writes many records as one change: if any write fails, every key written so far is put back
/// as it was, so storage is left exactly as before.
pub fn save_all(backend: &mut impl Backend, records: &[Record]) -> Result<(), StoreError> {
    Batch::check(records)?.write(backend, records)
}

/// A record's key and stored value.
pub fn entry(record: &Record) -> (String, String) {
    (key(record.kind(), record.id()), codec::encode(record))
}

/// A list of records checked and put in their stored form a slice at a time, ahead of writing
/// them (while the user reads an import's preview), so that storing them is only the writes.
#[derive(Debug, Default)]
pub struct Encoding {
    /// [`entry`] of each of the first `entries.len()` records, every one of them valid.
    entries: Vec<(String, String)>,
    /// Why the record after them is invalid, once one is found.
    invalid: Option<ValidationError>,
}

impl Encoding {
    /// Checks and encodes up to `n` more of `records`, which must be the same list at every
    /// call; true once every one is done, or an invalid one was found.
    pub fn advance(&mut self, records: &[Record], n: usize) -> bool {
        let from = self.entries.len().min(records.len());
        let to = from.saturating_add(n).min(records.len());
        for r in &records[from..to] {
            if self.invalid.is_some() {
                break;
            }
            match r.validate() {
                Ok(()) => self.entries.push(entry(r)),
                Err(e) => self.invalid = Some(e),
            }
        }
        self.invalid.is_some() || self.entries.len() == records.len()
    }

    /// A batch for every one of `records` (the list given to [`Self::advance`], perhaps with
    /// more at its end), with their entries to give [`Batch::write_entries`], checking and
    /// encoding those not done yet; or why one of them is invalid.
    pub fn finish(
        mut self,
        records: &[Record],
    ) -> Result<(Batch, Vec<(String, String)>), StoreError> {
        self.advance(records, usize::MAX);
        match self.invalid {
            Some(e) => Err(StoreError::Invalid(e)),
            None => Ok((
                Batch {
                    undo: Vec::with_capacity(self.entries.len()),
                },
                self.entries,
            )),
        }
    }
}

/// Many records written as one change in steps, so that progress can be shown between them:
/// [`Batch::check`] the records, [`Batch::write`] them a slice at a time. If a write fails,
/// every key the batch wrote, in this or an earlier step, is put back as it was.
#[derive(Debug, Default)]
pub struct Batch {
    /// Each key written, with its value before, newest last.
    undo: Vec<(String, Option<String>)>,
}

impl Batch {
    /// A batch for `records`, once every one of them is valid; nothing is written yet.
    pub fn check(records: &[Record]) -> Result<Self, StoreError> {
        for r in records {
            r.validate().map_err(StoreError::Invalid)?;
        }
        Ok(Self {
            undo: Vec::with_capacity(records.len()),
        })
    }

    /// Writes `records`, which must be among those checked. On failure storage is left as it
    /// was before the batch's first write, and the batch is spent.
    pub fn write(
        &mut self,
        backend: &mut impl Backend,
        records: &[Record],
    ) -> Result<(), StoreError> {
        let entries: Vec<(String, String)> = records.iter().map(entry).collect();
        self.write_entries(backend, &entries)
    }

    /// Writes entries of records among those checked (from [`Encoding::finish`]), as
    /// [`Self::write`] does.
    pub fn write_entries(
        &mut self,
        backend: &mut impl Backend,
        entries: &[(String, String)],
    ) -> Result<(), StoreError> {
        let written = backend.set_many(entries);
        let done = entries.iter().map(|(k, _)| k.clone()).zip(written.before);
        self.undo.extend(done);
        match written.failed {
            Some(e) => {
                self.undo_all(backend);
                Err(e.into())
            }
            None => Ok(()),
        }
    }

    fn undo_all(&mut self, backend: &mut impl Backend) {
        for (k, before) in self.undo.drain(..).rev() {
            match before {
                // Overwrite, never remove first: if even this write failed, the key would
                // still hold a valid (newer) record rather than nothing.
                Some(v) => {
                    let _ = backend.set(&k, &v);
                }
                None => backend.remove(&k),
            }
        }
    }
}

/// Removes every record and every set-aside entry; this device's preferences stay.
pub fn clear(backend: &mut impl Backend) {
    for k in [PREFIX, ASIDE_PREFIX]
        .map(|p| backend.keys_under(p))
        .concat()
    {
        backend.remove(&k);
    }
}

/// Keys of entries set aside by this or earlier loads.
pub fn set_aside_keys(backend: &impl Backend) -> Vec<String> {
    let mut keys = backend.keys_under(ASIDE_PREFIX);
    keys.sort();
    keys
}

/// What another tab's write means for this tab's data.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Upsert(Box<Record>),
    Remove(Kind, Uuid),
    /// Storage was cleared (another tab deleted everything).
    Cleared,
}

/// Interprets a storage event (`key` is `None` when the whole storage was cleared). Keys that
/// are not records, and values that cannot be read, change nothing here: the next load sets
/// them aside.
pub fn external_change(key: Option<&str>, new_value: Option<&str>) -> Option<Change> {
    let Some(key) = key else {
        return Some(Change::Cleared);
    };
    let (kind, id) = parse_key(key)?;
    match new_value {
        None => Some(Change::Remove(kind, id)),
        Some(v) => decode(key, v).ok().map(|r| Change::Upsert(Box::new(r))),
    }
}

/// This device's preferences, kept beside the data but never exported: the interface language
/// and when data was last exported. Small serde values, so gloo-storage's typed access fits.
pub mod prefs {
    use gloo_storage::{LocalStorage, Storage};
    use serde::{de::DeserializeOwned, Serialize};

    pub const LANG: &str = "lp1-pref:lang";
    /// The kiosk running on this device, if any.
    pub const KIOSK: &str = "lp1-pref:kiosk";
    /// Wrong PIN tries and the lock that follows them.
    pub const PIN_LOCK: &str = "lp1-pref:pin-lock";
    pub const LAST_EXPORT: &str = "lp1-pref:last-export";
    /// The name of the person using this device, written in feedback histories.
    pub const ME: &str = "lp1-pref:me";
    /// The branch this device stands in: the first choice for cards and feedback logged here.
    pub const BRANCH: &str = "lp1-pref:branch";

    /// A preference, or `None` when unset, unreadable or storage is unavailable.
    pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
        LocalStorage::get(key).ok()
    }

    /// Stores a preference; a failure (storage full or disabled) only means it is not remembered.
    pub fn set<T: Serialize>(key: &str, value: &T) -> bool {
        LocalStorage::set(key, value).is_ok()
    }

    /// Forgets a preference.
    pub fn remove(key: &str) {
        LocalStorage::delete(key);
    }
}
