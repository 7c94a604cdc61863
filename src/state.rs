//! The app's shared state, handed to screens as a context: the interface language, the records
//! loaded from storage, and what could not be saved. Every write goes through here to `store`.

use leptos::prelude::*;

use crate::{
    domain::{customer, retention, Dataset, Kind, Record},
    i18n::{self, Lang},
    store::{self, local::LocalBackend, prefs, Change, StoreError},
    web,
};

/// How a notice should be announced and coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Success,
    Info,
    Error,
}

/// A message shown under the top bar until dismissed or replaced.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
    /// Raised just before going to another screen, whose news it is: the move keeps it.
    pub carry: bool,
    /// The page lacks code it could not fetch: the notice offers a reload.
    pub reload: bool,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub data: RwSignal<Dataset>,
    /// Keys of stored entries set aside because they could not be read.
    pub set_aside: RwSignal<Vec<String>>,
    /// Records that failed to save (storage full), kept in this tab so they can be exported.
    pub unsaved: RwSignal<Vec<Record>>,
    pub notice: RwSignal<Option<Notice>>,
    /// The kiosk this device runs, if it is in kiosk mode.
    pub kiosk: RwSignal<Option<KioskSetup>>,
    /// When everything was last exported from this browser (by any tab).
    pub last_export: RwSignal<Option<chrono::DateTime<chrono::Utc>>>,
    /// Counts this tab's own changes to the records (saves, deletions, imports): sync follows it
    /// to send them a few seconds later.
    pub edits: RwSignal<u64>,
    /// While a sync pass runs in this tab, the records changed meanwhile by anyone but sync:
    /// the pass must not count them as in step. `None` when no pass runs.
    pub touched: StoredValue<Option<Vec<(Kind, uuid::Uuid)>>>,
}

/// What a kiosk shows: which card, for which branch. Kept on the device, so a reload or a new
/// tab stays in kiosk mode until someone with the PIN leaves it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KioskSetup {
    pub template: uuid::Uuid,
    pub branch: String,
}

impl AppState {
    /// This device's language: its choice, else the browser's.
    pub fn device_lang() -> Lang {
        prefs::get::<Lang>(prefs::LANG)
            .unwrap_or_else(|| Lang::from_browser(&web::browser_language()))
    }

    /// This device's language and nothing loaded yet.
    fn blank(kiosk: Option<KioskSetup>) -> Self {
        Self {
            lang: RwSignal::new(Self::device_lang()),
            data: RwSignal::new(Dataset::default()),
            set_aside: RwSignal::new(Vec::new()),
            unsaved: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            kiosk: RwSignal::new(kiosk),
            last_export: RwSignal::new(prefs::get(prefs::LAST_EXPORT)),
            edits: RwSignal::new(0),
            touched: StoredValue::new(None),
        }
    }

    /// Loads the language preference and every record, and starts following other tabs.
    pub fn init() -> Self {
        let state = Self::blank(prefs::get::<KioskSetup>(prefs::KIOSK));
        match LocalBackend::open() {
            Ok(mut backend) => {
                let loaded = store::load(&mut backend, chrono::Utc::now());
                state.data.set(loaded.data);
                state.set_aside.set(loaded.aside_keys);
            }
            Err(e) => state.fail(&StoreError::from(e)),
        }
        web::on_storage_change(move |key, value| {
            state.apply_external(key.as_deref(), value.as_deref())
        });
        state.apply_retention();
        // Ask the browser not to clear this site's storage when space runs low; the Data screen
        // shows its answer.
        leptos::task::spawn_local(async {
            web::ask_persistent_storage().await;
        });
        state
    }

    /// Erases the names and contacts older than the retention period Settings sets, as one
    /// change, then logs the run in the settings and says what went.
    fn apply_retention(&self) {
        let now = chrono::Utc::now();
        let Some((plan, settings)) = self.data.with_untracked(|d| {
            let s = d.settings.as_ref()?;
            Some((retention::plan(d, s.retention_days, now)?, s.clone()))
        }) else {
            return;
        };
        let state = *self;
        leptos::task::spawn_local(async move {
            let run = plan.run.clone();
            let done = state
                .import(plan.writes, store::Encoding::default(), |_, _| ())
                .await
                .and_then(|()| {
                    plan.customers
                        .iter()
                        .try_for_each(|id| state.delete(Kind::Customer, *id))
                })
                .and_then(|()| {
                    state.save(Record::Settings(retention::logged(&settings, run.clone())))
                });
            match done {
                Ok(()) => {
                    let lang = state.lang.get_untracked();
                    state.notify(Tone::Info, retention_text(lang, &run));
                }
                Err(e) => state.fail(&e),
            }
        });
    }

    /// The state of the card page: the language, the settings and the card templates only,
    /// read kind by kind so the page carries none of the other records' code.
    pub fn for_card() -> Self {
        let state = Self::blank(None);
        let mut data = Dataset::default();
        match LocalBackend::open() {
            Ok(backend) => {
                use crate::{domain::settings, store::Backend};
                data.settings = backend
                    .get(&store::key(Kind::Settings, settings::SETTINGS_ID))
                    .and_then(|text| store::codec::decode_json::<settings::CardView>(&text))
                    .and_then(|view| view.settings(chrono::Utc::now()));
                data.templates =
                    store::load_typed::<crate::domain::template::CardTemplate>(&backend)
                        .into_iter()
                        .map(|t| (t.meta.id, t))
                        .collect();
                state.data.set(data);
            }
            Err(e) => state.fail(&StoreError::from(e)),
        }
        state
    }

    /// The text of a locale key in the current language (reactive).
    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang.get(), key)
    }

    /// The text of a locale key with its placeholders filled (reactive).
    pub fn tf(&self, key: &str, args: &[(&str, String)]) -> String {
        i18n::tf(self.lang.get(), key, args)
    }

    /// Switches the interface language and remembers the choice on this device, once its words
    /// are here (the release build fetches them the first time). `false`, with a notice in the
    /// language in use, when they cannot be fetched: nothing changes then.
    pub async fn switch_lang(&self, lang: Lang) -> bool {
        if let Err(e) = i18n::load(lang).await {
            leptos::logging::warn!("language file for {}: {e}", lang.code());
            let now = self.lang.get_untracked();
            let name = i18n::isolate(i18n::t(now, &format!("lang.{}", lang.code())));
            let text = i18n::tf(now, "boot.switch_failed", &[("lang", name)]);
            self.notify(Tone::Error, text);
            return false;
        }
        prefs::set(prefs::LANG, &lang);
        self.lang.set(lang);
        // A notice is written in the language it was raised in.
        self.notice.set(None);
        true
    }

    pub fn notify(&self, tone: Tone, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            tone,
            text: text.into(),
            carry: false,
            reload: false,
        }));
    }

    /// An error only a reload mends (part of the page's code could not be fetched): the notice
    /// carries a Reload button.
    pub fn notify_reload(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            tone: Tone::Error,
            text: text.into(),
            carry: false,
            reload: true,
        }));
    }

    /// A notice for the screen about to be shown (the next move keeps it, later ones do not).
    pub fn notify_next(&self, tone: Tone, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            tone,
            text: text.into(),
            carry: true,
            reload: false,
        }));
    }

    pub fn fail(&self, e: &StoreError) {
        self.notify(
            Tone::Error,
            i18n::t(self.lang.get_untracked(), e.message_key()),
        );
    }

    /// Saves one record, and the customer it names (a card or feedback item with a contact)
    /// is found or added. On failure nothing stored changes, the user is told, and the record is
    /// kept in this tab (`unsaved`) so it can still be exported.
    pub fn save(&self, record: Record) -> Result<(), StoreError> {
        let customers = self.data.with_untracked(|d| {
            customer::observe(
                &d.customers,
                std::slice::from_ref(&record),
                chrono::Utc::now(),
            )
        });
        self.save_one(record)?;
        for c in customers {
            // The record itself is safe; a customer that could not be saved is kept as unsaved.
            let _ = self.save_one(Record::Customer(c));
        }
        Ok(())
    }

    /// Stores an answered card with its template when that is not stored yet, and the customer
    /// its contact names ([`store::save_card`]), and takes them into this tab. False when the card
    /// was not stored: the user has been told why, and it is kept as unsaved.
    pub fn save_card(
        &self,
        card: crate::domain::card::Card,
        new_template: Option<crate::domain::template::CardTemplate>,
    ) -> bool {
        let result = LocalBackend::open()
            .map_err(StoreError::from)
            .and_then(|mut b| {
                self.data.with_untracked(|d| {
                    store::save_card(
                        &mut b,
                        &card,
                        new_template.as_ref(),
                        |_| &d.customers,
                        chrono::Utc::now(),
                    )
                })
            });
        match result {
            Ok(saved) => {
                let written = new_template
                    .map(Record::Template)
                    .into_iter()
                    .chain([Record::Card(card)])
                    .chain(saved.customers.into_iter().map(Record::Customer));
                for record in written {
                    self.stored(record);
                }
                for (c, e) in saved.unsaved {
                    self.unstored(Record::Customer(c), &e);
                }
                true
            }
            Err(e) => {
                if let Some(t) = new_template {
                    self.unstored(Record::Template(t), &e);
                }
                self.unstored(Record::Card(card), &e);
                false
            }
        }
    }

    fn save_one(&self, record: Record) -> Result<(), StoreError> {
        let result = LocalBackend::open()
            .map_err(StoreError::from)
            .and_then(|mut b| store::save(&mut b, &record));
        match &result {
            Ok(()) => self.stored(record),
            Err(e) => self.unstored(record, e),
        }
        result
    }

    /// A record now in storage: in this tab's data, no longer unsaved, and marked for sync.
    fn stored(&self, record: Record) {
        self.unsaved
            .update(|u| u.retain(|r| !(r.kind() == record.kind() && r.id() == record.id())));
        self.edited(record.kind(), record.id(), true);
        self.data.update(|d| d.upsert(record));
    }

    /// A record that could not be stored: the user is told why, and it is kept in this tab so it
    /// can still be exported. One that breaks the rules was refused before anything changed.
    fn unstored(&self, record: Record, e: &StoreError) {
        if matches!(e, StoreError::Invalid(_)) {
            return;
        }
        self.fail(e);
        self.unsaved.update(|u| {
            u.retain(|r| !(r.kind() == record.kind() && r.id() == record.id()));
            u.push(record);
        });
    }

    /// Deletes one record from storage and from this tab.
    pub fn delete(&self, kind: Kind, id: uuid::Uuid) -> Result<(), StoreError> {
        let mut backend = LocalBackend::open()?;
        store::remove(&mut backend, kind, id);
        self.edited(kind, id, true);
        self.data.update(|d| {
            d.remove(kind, id);
        });
        Ok(())
    }

    /// Notes a change to a record not made by sync; `mine` when this tab made it.
    fn edited(&self, kind: Kind, id: uuid::Uuid, mine: bool) {
        self.touched.update_value(|t| {
            if let Some(t) = t {
                t.push((kind, id));
            }
        });
        if mine {
            self.edits.update(|n| *n += 1);
        }
    }

    /// Tries again to save what could not be saved; returns how many are still unsaved.
    pub fn retry_unsaved(&self) -> usize {
        for record in self.unsaved.get_untracked() {
            if self.save(record).is_err() {
                break;
            }
        }
        self.unsaved.with_untracked(Vec::len)
    }

    /// Stores an import's records, with the customers they name, as one change: if a write
    /// fails, storage is put back as it was. `encoding` holds the first of `writes` checked and
    /// in their stored form, made while the user read the preview; the rest are done here.
    /// The writes go a slice at a time, and about every 150 ms `progress(done, total)` is told
    /// and the browser is free to draw: each pause also lets the browser do its own storage
    /// work, so a fast device pauses seldom and a slow one still shows progress.
    pub async fn import(
        &self,
        mut writes: Vec<Record>,
        mut encoding: store::Encoding,
        progress: impl Fn(usize, usize),
    ) -> Result<(), StoreError> {
        /// Records given to the browser in one call.
        const SLICE: usize = 1_000;
        /// Longest the writes go on before the browser may draw their progress, in ms.
        const DRAW_EVERY_MS: f64 = 150.0;
        let names_someone = writes.iter().any(|r| customer::Sighting::of(r).is_some());
        if names_someone {
            let customers = self.data.with_untracked(|d| {
                let mut known = d.customers.clone();
                known.extend(writes.iter().filter_map(|r| match r {
                    Record::Customer(c) => Some((c.meta.id, c.clone())),
                    _ => None,
                }));
                customer::observe(&known, &writes, chrono::Utc::now())
            });
            writes.extend(customers.into_iter().map(Record::Customer));
        }
        let total = writes.len();
        // What the preview had no time to check and encode, with the same pauses as the writes.
        let mut pace = web::Pace::every(DRAW_EVERY_MS);
        while !encoding.advance(&writes, SLICE) {
            if pace.due() {
                progress(0, total);
                pace.pause().await;
            }
        }
        let (mut batch, entries) = encoding.finish(&writes)?;
        let mut done = 0;
        let mut backend = LocalBackend::open()?;
        for slice in entries.chunks(SLICE) {
            batch.write_entries(&mut backend, slice)?;
            done += slice.len();
            if done < total && pace.due() {
                progress(done, total);
                pace.pause().await;
            }
        }
        progress(total, total);
        self.touched.update_value(|t| {
            if let Some(t) = t {
                t.extend(writes.iter().map(|r| (r.kind(), r.id())));
            }
        });
        self.edits.update(|n| *n += 1);
        self.data.update(|d| {
            for r in writes {
                d.upsert(r);
            }
        });
        Ok(())
    }

    /// Removes every record from this browser.
    pub fn delete_all(&self) {
        if let Ok(mut backend) = LocalBackend::open() {
            store::clear(&mut backend);
        }
        if self.touched.with_value(Option::is_some) {
            let gone: Vec<(Kind, uuid::Uuid)> = self
                .data
                .with_untracked(|d| d.stamps().map(|(k, id, _)| (k, id)).collect());
            self.touched.update_value(|t| {
                if let Some(t) = t {
                    t.extend(gone);
                }
            });
        }
        self.edits.update(|n| *n += 1);
        self.data.set(Dataset::default());
        self.set_aside.set(Vec::new());
        self.unsaved.set(Vec::new());
    }

    /// Storage used, in UTF-16 code units.
    pub fn usage(&self) -> usize {
        LocalBackend::open()
            .map(|b| store::Backend::usage(&b))
            .unwrap_or(0)
    }

    /// The raw entries set aside, as `key → value`.
    pub fn set_aside_entries(&self) -> Vec<(String, String)> {
        let Ok(backend) = LocalBackend::open() else {
            return Vec::new();
        };
        use store::Backend;
        store::set_aside_keys(&backend)
            .into_iter()
            .filter_map(|k| backend.get(&k).map(|v| (k, v)))
            .collect()
    }

    /// Deletes the entries set aside.
    pub fn discard_set_aside(&self) {
        if let Ok(mut backend) = LocalBackend::open() {
            use store::Backend;
            for k in store::set_aside_keys(&backend) {
                backend.remove(&k);
            }
        }
        self.set_aside.set(Vec::new());
    }

    fn apply_external(&self, key: Option<&str>, value: Option<&str>) {
        if key == Some(prefs::KIOSK) {
            self.kiosk
                .set(value.and_then(|v| serde_json::from_str(v).ok()));
            return;
        }
        if key == Some(prefs::LAST_EXPORT) {
            self.last_export
                .set(value.and_then(|v| serde_json::from_str(v).ok()));
            return;
        }
        if key == Some(prefs::LANG) {
            if let Some(lang) = value.and_then(|v| serde_json::from_str::<Lang>(v).ok()) {
                // Another tab switched: follow it once the words are here.
                let state = *self;
                leptos::task::spawn_local(async move {
                    if i18n::load(lang).await.is_ok() {
                        state.lang.set(lang);
                    }
                });
            }
            return;
        }
        match store::external_change(key, value) {
            Some(Change::Upsert(record)) => {
                self.edited(record.kind(), record.id(), false);
                self.data.update(|d| d.upsert(*record))
            }
            Some(Change::Remove(kind, id)) => {
                self.edited(kind, id, false);
                self.data.update(|d| {
                    d.remove(kind, id);
                })
            }
            Some(Change::Cleared) => {
                if let Ok(mut backend) = LocalBackend::open() {
                    self.data
                        .set(store::load(&mut backend, chrono::Utc::now()).data);
                }
            }
            None => {}
        }
    }

    /// Starts kiosk mode on this device.
    pub fn start_kiosk(&self, setup: KioskSetup) {
        self.notice.set(None);
        prefs::set(prefs::KIOSK, &setup);
        self.kiosk.set(Some(setup));
        web::enter_fullscreen();
        web::keep_screen_awake();
    }

    /// Leaves kiosk mode (only after the PIN was given).
    pub fn leave_kiosk(&self) {
        prefs::remove(prefs::KIOSK);
        self.kiosk.set(None);
        web::exit_fullscreen();
    }

    /// The stored settings, or the defaults before any are saved (reactive).
    pub fn settings(&self) -> crate::domain::settings::Settings {
        self.data
            .with(|d| d.settings.clone())
            .unwrap_or_else(|| crate::domain::settings::Settings::defaults(chrono::Utc::now()))
    }

    /// The business's name in the current language (reactive); empty when none is set.
    pub fn business_name(&self) -> String {
        let persian = self.lang.get() == Lang::Fa;
        self.data.with(|d| {
            d.settings
                .as_ref()
                .map(|s| s.business_name_in(persian).to_owned())
                .unwrap_or_default()
        })
    }

    /// A branch's name in the current language (reactive).
    pub fn branch_label(&self, branch: &str) -> String {
        let persian = self.lang.get() == Lang::Fa;
        self.data.with(|d| match &d.settings {
            Some(s) => s.branch_label(branch, persian).to_owned(),
            None => branch.to_owned(),
        })
    }

    /// Changes the settings and saves them, newer than before; a change that breaks a rule is
    /// refused with its message and nothing is saved.
    pub fn update_settings(
        &self,
        change: impl FnOnce(&mut crate::domain::settings::Settings),
    ) -> bool {
        let mut s = self
            .data
            .with_untracked(|d| d.settings.clone())
            .unwrap_or_else(|| crate::domain::settings::Settings::defaults(chrono::Utc::now()));
        change(&mut s);
        s.meta.updated = chrono::Utc::now().max(s.meta.created);
        if let Err(e) = s.validate() {
            self.notify(Tone::Error, self.t(e.message_key()));
            return false;
        }
        self.save(Record::Settings(s)).is_ok()
    }

    /// How many records of a kind are held (reactive).
    pub fn count(&self, kind: Kind) -> usize {
        self.data.with(|d| d.count(kind))
    }
}

/// What a run of the retention rule erased, in words.
pub fn retention_text(lang: Lang, run: &crate::domain::settings::RetentionRun) -> String {
    i18n::tf(
        lang,
        "retention.done",
        &[
            ("days", i18n::int(lang, u64::from(run.days))),
            ("cards", i18n::int(lang, u64::from(run.cards))),
            ("items", i18n::int(lang, u64::from(run.items))),
            ("customers", i18n::int(lang, u64::from(run.customers))),
        ],
    )
}

/// The app state from context. Screens are only ever mounted inside `App`, which provides it.
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
