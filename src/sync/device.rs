//! Sync in the browser: when passes run (a few seconds after a change, when the device comes
//! back online, every few minutes, on demand), which tab runs them (one at a time, by a lease in
//! localStorage), and what the Sync screen shows. The protocol itself is [`super::engine`].

use chrono::Utc;
use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use super::{
    engine::{self, Local, Report, SyncError},
    fetch::FetchTransport,
    inbox::{self, ShopKey, ShopKeys},
    keep::{self, Config, Last},
    seal,
    transport::Boxed,
};
use crate::{
    domain::{
        card::Card,
        card_link::base64url,
        couch_doc::DocProblem,
        erasure::Erasure,
        window::{Span, Window},
        Dataset, Kind, Record,
    },
    state::{AppState, Tone},
    store::{self, local::LocalBackend, Backend, BackendError},
};

/// Changes pulled per request.
pub const PAGE: usize = 500;
/// Most documents one pass notes as set aside (on the Data screen, and in what the Sync screen
/// lists); the rest are counted only, so that strangers' junk cannot fill this device's storage.
const KEEP_ASIDE: usize = 50;
/// How long after a change on this device it is sent.
const SOON_MS: u64 = 3_000;
/// How often a pass runs while the app is open.
const EVERY_MS: u64 = 5 * 60_000;
/// How soon a tab tries again when another tab was syncing.
const LEASE_RETRY_MS: u64 = 5_000;
/// How long a tab's claim to sync lasts without being renewed.
const LEASE_MS: u64 = 60_000;
/// After this long without a completed pass, the next one first checks the server holds
/// everything this device does (a server restored from a backup).
const VERIFY_AFTER_HOURS: i64 = 24;

/// What sync is doing now.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Phase {
    #[default]
    Idle,
    /// A pass is running: what it has done so far.
    Running {
        received: usize,
        sent: usize,
        remaining: Option<u64>,
    },
}

/// Sync for the whole app, handed to screens as a context.
#[derive(Clone, Copy)]
pub struct SyncService {
    pub config: RwSignal<Option<Config>>,
    pub last: RwSignal<Last>,
    pub phase: RwSignal<Phase>,
    /// Records waiting to be sent.
    pub waiting: RwSignal<usize>,
    /// Passes this tab has finished, complete or not.
    pub passes: RwSignal<u64>,
    /// The shop's inbox keys, once the inbox is set up.
    pub keys: RwSignal<Option<ShopKeys>>,
    /// The inbox is being set up.
    pub setting_up: RwSignal<bool>,
    /// Cards this device took in through card links, by hour and branch.
    pub arrivals: RwSignal<super::arrivals::Arrivals>,
    /// What this device keeps of the shop's history.
    pub window: RwSignal<Window>,
    state: AppState,
    timer: StoredValue<Option<TimeoutHandle>>,
    /// A pass was asked for while one ran.
    again: StoredValue<bool>,
    running: StoredValue<bool>,
    tab: StoredValue<String>,
    /// The next pass was asked for by Connect: its outcome is told where the person is looking.
    tell: StoredValue<bool>,
}

fn backend() -> Option<LocalBackend> {
    LocalBackend::open().ok()
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

impl SyncService {
    /// Reads what sync keeps and starts the triggers. Makes no request unless a server is set
    /// and syncing is on.
    pub fn start(state: AppState) -> Self {
        let b = backend();
        let service = Self {
            config: RwSignal::new(b.as_ref().and_then(keep::config)),
            last: RwSignal::new(b.as_ref().map(keep::last).unwrap_or_default()),
            phase: RwSignal::new(Phase::Idle),
            waiting: RwSignal::new(0),
            passes: RwSignal::new(0),
            keys: RwSignal::new(b.as_ref().and_then(keep::inbox_keys)),
            setting_up: RwSignal::new(false),
            arrivals: RwSignal::new(b.as_ref().map(keep::arrivals).unwrap_or_default()),
            window: RwSignal::new(b.as_ref().map(keep::window).unwrap_or_default()),
            state,
            timer: StoredValue::new(None),
            again: StoredValue::new(false),
            running: StoredValue::new(false),
            tab: StoredValue::new(Uuid::new_v4().to_string()),
            tell: StoredValue::new(false),
        };

        // Another tab changed the server or finished a pass.
        crate::web::on_storage_change(move |key, _| match key.as_deref() {
            Some(keep::CONFIG) => service
                .config
                .set(backend().as_ref().and_then(keep::config)),
            // The pass's own count of what waits, not a recount in every tab.
            Some(keep::LAST) => {
                let last = backend().as_ref().map(keep::last).unwrap_or_default();
                service.waiting.set(last.waiting);
                service.last.set(last);
            }
            Some(keep::INBOX_KEYS) => service
                .keys
                .set(backend().as_ref().and_then(keep::inbox_keys)),
            Some(keep::ARRIVALS) => service
                .arrivals
                .set(backend().as_ref().map(keep::arrivals).unwrap_or_default()),
            Some(keep::WINDOW) => service
                .window
                .set(backend().as_ref().map(keep::window).unwrap_or_default()),
            None => {
                service.config.set(None);
                service.keys.set(None);
            }
            _ => {}
        });
        // A change made in this tab goes a few seconds later.
        Effect::new(move |first: Option<()>| {
            state.edits.track();
            if first.is_some() {
                service.schedule(SOON_MS);
            }
        });
        window_event_listener(leptos::ev::online, move |_| service.schedule(0));
        // A tab closed or reloaded in the middle of a pass hands the claim back at once, so the
        // next tab need not wait for it to lapse.
        window_event_listener(leptos::ev::pagehide, move |_| {
            if service.running.get_value() {
                service.release_lease();
            }
        });
        let _ = set_interval_with_handle(
            move || {
                // Every tab has this timer; a pass by any of them in the meantime is enough.
                let recent = service.last.with_untracked(|l| {
                    l.ok_at.is_some_and(|at| {
                        (Utc::now() - at).num_milliseconds() < EVERY_MS as i64 - 5_000
                    })
                });
                if !recent {
                    service.schedule(0);
                }
            },
            std::time::Duration::from_millis(EVERY_MS),
        );
        if service.may_run() {
            service.schedule(1_000);
        }
        service
    }

    /// Syncing is on, with a password to send.
    fn may_run(&self) -> bool {
        self.config.with_untracked(|c| {
            c.as_ref()
                .is_some_and(|c| c.on && c.password.as_deref().is_some_and(|p| !p.is_empty()))
        })
    }

    /// Runs a pass in `ms` milliseconds, replacing one already planned.
    fn schedule(&self, ms: u64) {
        if !self.may_run() {
            return;
        }
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
        }
        let service = *self;
        let handle = set_timeout_with_handle(
            move || {
                service.timer.set_value(None);
                leptos::task::spawn_local(service.run(false));
            },
            std::time::Duration::from_millis(ms),
        )
        .ok();
        self.timer.set_value(handle);
    }

    /// Recounts the records waiting to be sent (the Sync screen asks when it opens).
    pub fn count_waiting(&self) {
        let n = match (backend(), self.config.get_untracked()) {
            (Some(b), Some(_)) => self.state.data.with_untracked(|d| keep::waiting(&b, d)),
            _ => 0,
        };
        self.waiting.set(n);
    }

    /// Keeps a new server (or the same one with its password given again) and syncs at once.
    pub fn connect(&self, config: Config) -> Result<(), BackendError> {
        let mut b = LocalBackend::open()?;
        let config = Config { on: true, ..config };
        keep::set_config(&mut b, &config)?;
        self.config.set(Some(config));
        // The refusal that stopped automatic passes is answered by the new password.
        self.last.update(|l| {
            l.error = None;
            l.error_detail = None;
        });
        let _ = keep::set_last(&mut b, &self.last.get_untracked());
        self.count_waiting();
        self.tell.set_value(true);
        leptos::task::spawn_local(self.run(false));
        Ok(())
    }

    /// Runs a pass now. `verify` first checks the server holds every record this device holds.
    pub fn sync_now(&self, verify: bool) {
        leptos::task::spawn_local(self.run(verify));
    }

    /// Keeps the window chosen on the Sync screen (a narrowing storage made is replaced by it:
    /// if the new one does not fit either, the device narrows it again), and syncs: records
    /// leaving the window leave this device at the end of the pass, records entering it are
    /// fetched.
    pub fn set_window(&self, window: Window) -> Result<(), BackendError> {
        let window = Window {
            floor: None,
            ..window
        };
        let mut b = LocalBackend::open()?;
        keep::set_window(&mut b, &window)?;
        self.window.set(window);
        self.schedule(0);
        Ok(())
    }

    /// After a customer was erased here: the erasure reaches every card and item of the shop
    /// on its server, including those this device does not keep, at the next pass (and the
    /// passes after, until every one is done). Without a server there is nothing beyond this
    /// device to reach.
    pub fn erase_everywhere(&self, contacts: Vec<String>) {
        if self.config.with_untracked(Option::is_none) || contacts.is_empty() {
            return;
        }
        if let Some(mut b) = backend() {
            let mut list = keep::erasures(&b);
            list.push(Erasure::Customer { contacts });
            let _ = keep::set_erasures(&mut b, &list);
        }
        self.schedule(0);
    }

    /// Whether this device syncs now (with a password to send): only then does anything ask
    /// the shop's server.
    pub fn on(&self) -> bool {
        self.may_run()
    }

    /// The card figures for `filter`, from the shop's server's views.
    pub async fn server_cards(
        &self,
        filter: crate::domain::report::CardFilter,
        templates: Vec<crate::domain::template::CardTemplate>,
    ) -> Result<super::figures::ServerFigures, super::figures::FiguresError> {
        use super::figures::FiguresError;
        let config = self
            .config
            .get_untracked()
            .filter(|_| self.may_run())
            .ok_or(FiguresError::Sync(SyncError::Unauthorized))?;
        let password = config.password.clone().unwrap_or_default();
        let transport = FetchTransport::new(&config.server, &config.db, &config.user, &password)
            .map_err(|_| FiguresError::Sync(SyncError::Local("fetch".into())))?;
        super::figures::card_report(&transport, &filter, &templates).await
    }

    /// Stops syncing, keeping the records, the server and the password.
    pub fn stop(&self) {
        let Some(mut config) = self.config.get_untracked() else {
            return;
        };
        config.on = false;
        if let Some(mut b) = backend() {
            let _ = keep::set_config(&mut b, &config);
        }
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
        }
        self.config.set(Some(config));
    }

    /// Forgets the server: its address, the password, the checkpoint, the ledger.
    pub fn forget(&self) {
        self.stop();
        if let Some(mut b) = backend() {
            keep::forget(&mut b);
        }
        self.config.set(None);
        self.keys.set(None);
        self.window.set(Window::default());
        self.last.set(Last::default());
        self.waiting.set(0);
    }

    /// Before deleting every record on this device only: sync stops, and the device forgets the
    /// server with every sync secret (the password, the shop's inbox keys); the server and the
    /// other devices keep everything, and connecting again brings it back.
    pub fn stop_for_local_delete(&self) {
        self.forget();
    }

    /// After deleting every record on every device: the deletions go to the server now, and
    /// once they are there the device forgets the server with every sync secret. Kept in
    /// storage, so a pass after a reload still finishes the job.
    pub fn send_deletions_then_forget(&self) {
        if let Some(mut b) = backend() {
            let _ = keep::set_forget_after_pass(&mut b);
        }
        self.sync_now(false);
    }

    /// Whether a pass is running in this tab.
    pub fn busy(&self) -> bool {
        self.running.get_value()
    }

    /// Claims syncing for this tab, unless another live tab holds the claim.
    async fn take_lease(&self) -> bool {
        let Some(mut b) = backend() else {
            return false;
        };
        let tab = self.tab.get_value();
        let held_by_other = b.get(keep::LEASE).is_some_and(|v| {
            let mut parts = v.split(' ');
            let holder = parts.next().unwrap_or_default();
            let until: u64 = parts.next().and_then(|u| u.parse().ok()).unwrap_or(0);
            holder != tab && until > now_ms()
        });
        if held_by_other {
            return false;
        }
        let mine = format!("{tab} {}", now_ms() + LEASE_MS);
        if b.set(keep::LEASE, &mine).is_err() {
            return false;
        }
        // Two tabs that wrote at the same moment: the later write wins, and both see it.
        sleep(40).await;
        b.get(keep::LEASE).as_deref() == Some(mine.as_str())
    }

    fn renew_lease(&self) {
        if let Some(mut b) = backend() {
            let _ = b.set(
                keep::LEASE,
                &format!("{} {}", self.tab.get_value(), now_ms() + LEASE_MS),
            );
        }
    }

    fn release_lease(&self) {
        if let Some(mut b) = backend() {
            let mine = b
                .get(keep::LEASE)
                .is_some_and(|v| v.split(' ').next() == Some(self.tab.get_value().as_str()));
            if mine {
                b.remove(keep::LEASE);
            }
        }
    }

    /// One pass, if syncing is on and no other pass runs (here or in another tab).
    async fn run(self, verify: bool) {
        if self.running.get_value() {
            self.again.set_value(true);
            return;
        }
        let Some(config) = self.config.get_untracked().filter(|_| self.may_run()) else {
            return;
        };
        self.running.set_value(true);
        if !self.take_lease().await {
            // Another tab runs a pass now; its outcome reaches this one through storage. What
            // this tab changed meanwhile may have come too late for that pass: try again soon.
            self.running.set_value(false);
            self.tell.set_value(false);
            self.schedule(LEASE_RETRY_MS);
            return;
        }
        self.phase.set(Phase::Running {
            received: 0,
            sent: 0,
            remaining: None,
        });
        let outcome = match crate::split::split_call!(pass_code(self, config.clone(), verify)) {
            Ok(pass) => pass.await,
            Err(crate::split::ChunkMissing) => {
                // Said on the status line, as a pass's own failure would be.
                self.last.update(|l| l.failed(&SyncError::Outdated));
                if let Some(mut b) = backend() {
                    let _ = keep::set_last(&mut b, &self.last.get_untracked());
                }
                Err(SyncError::Outdated)
            }
        };
        self.release_lease();
        self.running.set_value(false);
        self.phase.set(Phase::Idle);
        self.passes.update(|n| *n += 1);
        if self.tell.get_value() {
            self.tell.set_value(false);
            self.tell_outcome(&outcome);
        }
        // Every record was deleted on every device: once the deletions are on the server, this
        // device keeps no sync secret (the password, the shop's inbox keys).
        if outcome.is_ok() && backend().as_ref().is_some_and(keep::forget_after_pass) {
            self.forget();
            return;
        }
        if let Err(SyncError::Unauthorized) = outcome {
            // No request goes until someone enters the password again.
            let config = Config {
                password: None,
                ..config
            };
            if let Some(mut b) = backend() {
                let _ = keep::set_config(&mut b, &config);
            }
            self.config.set(Some(config));
        }
        if self.again.get_value() {
            self.again.set_value(false);
            if outcome.is_ok() {
                self.schedule(0);
            }
        } else if outcome.as_ref().is_ok_and(|r| r.inbox_more) {
            // Cards left in the inbox past a pass's cap: the next pass takes them soon, after
            // the device has had a breath, instead of five minutes later.
            self.schedule(SOON_MS);
        }
    }

    /// The outcome of the pass Connect started, as a notice at the foot of the screen (the
    /// status line may be out of view on a phone); a refused password puts the person back in
    /// the Password field.
    fn tell_outcome(&self, outcome: &Result<Report, SyncError>) {
        let lang = self.state.lang.get_untracked();
        match outcome {
            Ok(_) => self
                .state
                .notify(Tone::Success, crate::i18n::t(lang, "sync.connected")),
            Err(e) => {
                let (key, detail) = keep::error_key(e);
                let reason = crate::i18n::tf(lang, key, &[("what", detail.unwrap_or_default())]);
                self.state.notify(
                    Tone::Error,
                    crate::i18n::tf(lang, "sync.connect_failed", &[("reason", reason)]),
                );
                if matches!(e, SyncError::Unauthorized) {
                    crate::web::focus_later("#sync-password".into());
                }
            }
        }
    }

    /// The inbox's part of a pass: the shop's keys fetched (another device may have set the inbox
    /// up or replaced its key), the card designs published, and the cards waiting taken in.
    fn inbox_step<'a>(
        &'a self,
        transport: &'a FetchTransport,
        config: &'a Config,
        device: &'a mut Device,
        report: &'a mut Report,
    ) -> Boxed<'a, Result<(), SyncError>> {
        Box::pin(self.inbox_step_now(transport, config, device, report))
    }

    async fn inbox_step_now(
        &self,
        transport: &FetchTransport,
        config: &Config,
        device: &mut Device,
        report: &mut Report,
    ) -> Result<(), SyncError> {
        let server = inbox::server_keys(transport, report).await?;
        let here = self.keys.get_untracked();
        // Keys are only ever added: a device never drops one it holds, and puts back on the
        // server any the server lacks (a key document deleted, or restored from an old backup).
        let keys = match (&server, &here) {
            (None, None) => return Ok(()),
            (Some((s, _)), None) => s.clone(),
            (None, Some(h)) => h.clone(),
            (Some((s, _)), Some(h)) => s.merged(h),
        };
        // Written where the keys belong when the server lacks some, or keeps them only where
        // they were kept before.
        let rev = server.as_ref().and_then(|(_, rev)| rev.as_deref());
        if server.as_ref().map(|(s, _)| s) != Some(&keys) || rev.is_none() {
            // Another device writing at the same moment: the next pass merges again.
            inbox::put_keys(transport, &keys, rev).await?;
        }
        if Some(&keys) != here.as_ref() {
            keep::set_inbox_keys(&mut device.backend, Some(&keys))
                .map_err(|_| SyncError::Local("storage full".into()))?;
            self.keys.set(Some(keys.clone()));
        }
        let inbox_db = transport.sibling(&inbox::inbox_name(&config.db));
        let mut published = keep::designs(&device.backend);
        let (templates, settings) = self
            .state
            .data
            .with_untracked(|d| (d.templates.clone(), d.settings.clone()));
        let done = inbox::publish(
            &inbox_db,
            &templates,
            settings.as_ref(),
            &keys,
            &mut published,
            report,
        )
        .await;
        let _ = keep::set_designs(&mut device.backend, &published);
        done?;
        let since = keep::inbox_since(&device.backend, config);
        let rules = inbox::Rules::on(Utc::now().date_naive());
        let mut arrivals = keep::arrivals(&device.backend);
        let branches = settings.map(|s| s.branches).unwrap_or_default();
        let mut intake = Intake {
            device,
            keys,
            aside: 0,
            arrivals: &mut arrivals,
            branches: &branches,
        };
        let taken = inbox::take_in(&inbox_db, transport, &mut intake, since, &rules, report).await;
        // What was taken in is counted, however the take-in ended.
        arrivals.prune(Utc::now());
        let _ = keep::set_arrivals(&mut device.backend, &arrivals);
        self.arrivals.set(arrivals);
        let taken = taken?;
        report.inbox_more = taken.more;
        keep::set_inbox_since(&mut device.backend, config, &taken.since)
            .map_err(|_| SyncError::Local("storage full".into()))
    }

    /// Sets the shop's inbox up: checks the inbox database exists, and makes the shop's key
    /// pair unless the shop has one (`replace`: a new key, the old one kept to open cards
    /// already sealed with it). The outcome is a notice; a pass follows to publish the designs.
    pub fn set_up_inbox(&self, replace: bool) {
        let service = *self;
        let Some(config) = self.config.get_untracked().filter(|_| self.may_run()) else {
            self.state.notify(
                Tone::Error,
                crate::i18n::t(self.state.lang.get_untracked(), "sync.status.password"),
            );
            return;
        };
        self.setting_up.set(true);
        leptos::task::spawn_local(async move {
            let outcome = service.make_keys(&config, replace).await;
            service.setting_up.set(false);
            let lang = service.state.lang.get_untracked();
            match outcome {
                Ok(()) => {
                    let key = if replace {
                        "inbox.replaced"
                    } else {
                        "inbox.ready"
                    };
                    service
                        .state
                        .notify(Tone::Success, crate::i18n::t(lang, key));
                    service.schedule(0);
                }
                Err(None) => service.state.notify(
                    Tone::Error,
                    crate::i18n::tf(
                        lang,
                        "inbox.missing",
                        &[("db", inbox::inbox_name(&config.db))],
                    ),
                ),
                Err(Some(e)) => {
                    let (key, detail) = keep::error_key(&e);
                    let reason =
                        crate::i18n::tf(lang, key, &[("what", detail.unwrap_or_default())]);
                    service.state.notify(
                        Tone::Error,
                        crate::i18n::tf(lang, "inbox.failed", &[("reason", reason)]),
                    );
                }
            }
        });
    }

    /// The key-making part of [`Self::set_up_inbox`]: `Err(None)` when the inbox database is
    /// missing.
    async fn make_keys(&self, config: &Config, replace: bool) -> Result<(), Option<SyncError>> {
        let password = config.password.clone().unwrap_or_default();
        let transport = FetchTransport::new(&config.server, &config.db, &config.user, &password)
            .map_err(|_| Some(SyncError::Local("fetch".into())))?;
        let inbox_db = transport.sibling(&inbox::inbox_name(&config.db));
        if !inbox::inbox_exists(&inbox_db).await.map_err(Some)? {
            return Err(None);
        }
        let mut report = Report::default();
        let mut replace = replace;
        let keys = loop {
            let found = inbox::server_keys(&transport, &mut report).await?;
            let (mut keys, rev) = match found {
                Some((keys, _)) if !replace && keys.current().is_some() => break keys,
                Some((keys, rev)) => (keys, rev),
                None => (ShopKeys::default(), None),
            };
            let pair = seal::generate()
                .await
                .map_err(|_| Some(SyncError::Local("crypto".into())))?;
            keys.keys.push(ShopKey {
                public: base64url(&pair.public),
                private_jwk: pair.private_jwk,
                created: Utc::now(),
            });
            if inbox::put_keys(&transport, &keys, rev.as_deref()).await? {
                break keys;
            }
            // Another device set the inbox up (or replaced its key) a moment before: its key is
            // the shop's.
            replace = false;
        };
        let mut b = backend().ok_or(Some(SyncError::Local("storage".into())))?;
        keep::set_inbox_keys(&mut b, Some(&keys))
            .map_err(|_| Some(SyncError::Local("storage full".into())))?;
        self.keys.set(Some(keys));
        Ok(())
    }

    async fn pass(&self, config: &Config, verify: bool) -> Result<Report, SyncError> {
        let Some(mut b) = backend() else {
            return Err(SyncError::Local("storage".into()));
        };
        let password = config.password.clone().unwrap_or_default();
        let transport = FetchTransport::new(&config.server, &config.db, &config.user, &password)
            .map_err(|_| SyncError::Local("fetch".into()))?;
        let state = self.state;
        state.touched.set_value(Some(Vec::new()));
        let mut sync_state = state.data.with_untracked(|d| keep::start(&b, config, d));
        let mut last = keep::last(&b);
        let gap = last
            .ok_at
            .is_some_and(|at| (Utc::now() - at).num_hours() >= VERIFY_AFTER_HOURS);
        let mut device = Device {
            state,
            used: b.usage(),
            counted: state.data.with_untracked(Dataset::len),
            began: state.data.with_untracked(Dataset::len),
            backend: b.clone(),
            service: *self,
        };
        let mut outcome = Ok(Report::default());
        if verify || gap {
            outcome = engine::verify(&transport, &device, &mut sync_state).await;
            if outcome.is_ok() {
                last.verified_at = Some(Utc::now());
            }
        }
        if outcome.is_ok() {
            outcome = whole_pass(&transport, &mut device, &mut sync_state).await;
        }
        // Records changed here while the pass ran are not in step, whatever it saw of them.
        let settle = |sync_state: &mut engine::SyncState| {
            for (kind, id) in state
                .touched
                .try_update_value(|t| t.replace(Vec::new()))
                .flatten()
                .unwrap_or_default()
            {
                sync_state.changed(kind, id);
            }
        };
        if let Ok(report) = &mut outcome {
            if let Err(e) = self.erasures(&transport, &device, &mut b, report).await {
                outcome = Err(e);
            }
        }
        // Every record deleted on every device: the whole history on the server too, beyond
        // what this device kept. Until every deletion is in, the device keeps trying.
        if let Ok(report) = &mut outcome {
            if keep::forget_after_pass(&b) {
                match engine::delete_all_on_server(&transport, report).await {
                    Ok(true) => {}
                    Ok(false) => outcome = Err(SyncError::Server(409)),
                    Err(e) => outcome = Err(e),
                }
            }
        }
        if let Ok(report) = &mut outcome {
            // What the shop's server holds, for the Sync and Data screens.
            match engine::server_docs(&transport, report).await {
                Ok(n) => last.server_docs = Some(n),
                Err(e) => outcome = Err(e),
            }
        }
        if let Ok(report) = &mut outcome {
            match self
                .inbox_step(&transport, config, &mut device, report)
                .await
            {
                // The cards taken in reach the other devices in this same pass.
                Ok(()) if report.taken_in > 0 => {
                    settle(&mut sync_state);
                    let more = whole_pass(&transport, &mut device, &mut sync_state).await;
                    outcome = more.map(|more| std::mem::take(report).and(more));
                }
                Ok(()) => {}
                Err(e) => outcome = Err(e),
            }
        }
        settle(&mut sync_state);
        state.touched.set_value(None);
        let kept = state
            .data
            .with_untracked(|d| keep::finish(&mut b, config, &sync_state, d));
        if kept.is_err() && outcome.is_ok() {
            outcome = Err(SyncError::Local("storage full".into()));
        }
        state.data.notify();
        last.waiting = sync_state.pending.len();
        match &outcome {
            Ok(report) => {
                last.ok_at = Some(Utc::now());
                last.error = None;
                last.error_detail = None;
                last.set_aside = report
                    .set_aside
                    .iter()
                    .take(KEEP_ASIDE)
                    .map(|(id, p)| (id.clone(), p.message_key().to_owned()))
                    .collect();
                last.set_aside_more = report.set_aside.len().saturating_sub(KEEP_ASIDE);
            }
            Err(e) => last.failed(e),
        }
        let _ = keep::set_last(&mut b, &last);
        self.waiting.set(last.waiting);
        self.last.set(last);
        outcome
    }
}

impl SyncService {
    /// The erasures waiting to reach the server, and the retention rule once a day: carried out
    /// on every card and item of the shop there, beyond what this device keeps.
    async fn erasures(
        &self,
        transport: &FetchTransport,
        device: &Device,
        b: &mut LocalBackend,
        report: &mut Report,
    ) -> Result<(), SyncError> {
        let now = Utc::now();
        let (templates, retention_days) = self.state.data.with_untracked(|d| {
            (
                d.templates.values().cloned().collect::<Vec<_>>(),
                d.settings.as_ref().map_or(0, |s| s.retention_days),
            )
        });
        let mut left = Vec::new();
        let mut failed = None;
        for erasure in keep::erasures(b) {
            if failed.is_some() {
                left.push(erasure);
                continue;
            }
            let selectors = erasure.selectors(&templates);
            match engine::erase_on_server(transport, device, &erasure, &selectors, now, report)
                .await
            {
                Ok(true) => {}
                Ok(false) => left.push(erasure),
                Err(e) => {
                    failed = Some(e);
                    left.push(erasure);
                }
            }
        }
        keep::set_erasures(b, &left).map_err(|_| SyncError::Local("storage full".into()))?;
        if let Some(e) = failed {
            return Err(e);
        }
        let today = now.date_naive();
        if retention_days > 0 && keep::retention_day(b) != Some(today) {
            let erasure = Erasure::Retention {
                before: now - chrono::Duration::days(i64::from(retention_days)),
            };
            let selectors = erasure.selectors(&templates);
            if engine::erase_on_server(transport, device, &erasure, &selectors, now, report).await?
            {
                let _ = keep::set_retention_day(b, today);
            }
        }
        Ok(())
    }
}

/// [`engine::sync`] through a pointer: a pass may run it twice (again after taking cards in),
/// and its code is then one function, not a copy at each call.
fn whole_pass<'a>(
    transport: &'a FetchTransport,
    device: &'a mut Device,
    state: &'a mut engine::SyncState,
) -> Boxed<'a, Result<Report, SyncError>> {
    Box::pin(engine::sync(transport, device, state, PAGE))
}

/// This device's records as a pass reads and writes them: straight to storage, one key at a
/// time, and into the app's state without redrawing until a page is done.
struct Device {
    state: AppState,
    backend: LocalBackend,
    service: SyncService,
    /// Storage used when last counted, and the records held then.
    used: usize,
    counted: usize,
    /// Records held when the pass began: each one more at its end writes a ledger entry then.
    began: usize,
}

/// More than a stored record takes, in UTF-16 units: storage is counted again (which reads
/// every key) only when the records added since the last count might have reached
/// [`keep::NARROW_AT`].
const UNITS_PER_RECORD: usize = 4_000;
/// More than a ledger entry takes (its key and value), in UTF-16 units.
const UNITS_PER_ENTRY: usize = 80;

impl Local for Device {
    fn get(&self, kind: Kind, id: Uuid) -> Option<Record> {
        self.state.data.with_untracked(|d| d.get(kind, id))
    }

    fn has(&self, kind: Kind, id: Uuid) -> bool {
        self.state.data.with_untracked(|d| d.has(kind, id))
    }

    fn put(&mut self, record: Record) -> Result<(), String> {
        store::save(&mut self.backend, &record).map_err(|e| e.message_key().to_owned())?;
        self.state.data.update_untracked(|d| d.upsert(record));
        Ok(())
    }

    fn remove(&mut self, kind: Kind, id: Uuid) -> Result<(), String> {
        store::remove(&mut self.backend, kind, id);
        self.state.data.update_untracked(|d| {
            d.remove(kind, id);
        });
        Ok(())
    }

    fn ids(&self) -> Vec<(Kind, Uuid)> {
        self.state
            .data
            .with_untracked(|d| d.stamps().map(|(k, id, _)| (k, id)).collect())
    }

    fn span(&self) -> Span {
        self.service
            .window
            .with_untracked(|w| w.span(Utc::now().date_naive()))
    }

    fn outside(&self, span: &Span) -> Vec<(Kind, Uuid)> {
        self.state.data.with_untracked(|d| d.outside(span))
    }

    fn card_days(&self) -> Vec<(chrono::NaiveDate, Uuid)> {
        self.state.data.with_untracked(Local::card_days)
    }

    fn evict(&mut self, kind: Kind, id: Uuid) -> Result<bool, String> {
        // Changed here while the pass ran: it waits to be sent first.
        let changed = self
            .state
            .touched
            .with_value(|t| t.as_ref().is_some_and(|t| t.contains(&(kind, id))));
        if changed {
            return Ok(false);
        }
        keep::drop_entry(&mut self.backend, kind, id);
        store::remove(&mut self.backend, kind, id);
        self.state.data.update_untracked(|d| {
            d.remove(kind, id);
        });
        Ok(true)
    }

    fn nearly_full(&mut self) -> bool {
        let records = self.state.data.with_untracked(Dataset::len);
        let guess = self.used + records.saturating_sub(self.counted) * UNITS_PER_RECORD;
        if guess < keep::NARROW_AT {
            return false;
        }
        self.used = self.backend.usage();
        self.counted = records;
        // The ledger entries the end of the pass writes for the records it brought.
        self.used + records.saturating_sub(self.began) * UNITS_PER_ENTRY >= keep::NARROW_AT
    }

    fn narrow_to(&mut self, day: chrono::NaiveDate) {
        let mut window = self.service.window.get_untracked();
        window.floor = window.floor.max(Some(day));
        // Kept even if this write fails: the pass goes on with the narrower window, and the
        // next pass narrows it again.
        let _ = keep::set_window(&mut self.backend, &window);
        self.service.window.set(window);
    }

    fn page_done(&mut self, report: &Report) {
        self.service.renew_lease();
        self.state.data.notify();
        self.service.phase.set(Phase::Running {
            received: report.received + report.deleted,
            sent: report.sent,
            remaining: report.remaining,
        });
    }

    fn set_aside(&mut self, doc_id: &str, doc: &Value, problem: &DocProblem) {
        /// Larger documents are noted without their body, so they cannot fill the storage.
        const KEEP_BYTES: usize = 64 * 1024;
        let body = doc.to_string();
        let kept = serde_json::json!({
            "server_document": doc_id,
            "reason": problem.to_string(),
            "document": (body.len() <= KEEP_BYTES).then_some(doc),
        });
        let key = format!("{}couch:{doc_id}", store::ASIDE_PREFIX);
        if self.backend.set(&key, &kept.to_string()).is_ok() {
            self.state.set_aside.update(|s| {
                if !s.contains(&key) {
                    s.push(key);
                }
            });
        }
    }
}

/// This device lending the inbox's take-in its keys and records ([`inbox::Intake`]).
struct Intake<'d> {
    device: &'d mut Device,
    keys: ShopKeys,
    /// Documents noted as set aside so far this pass.
    aside: usize,
    arrivals: &'d mut super::arrivals::Arrivals,
    /// The shop's branches, which arrivals are counted under.
    branches: &'d [String],
}

impl inbox::Intake for Intake<'_> {
    fn open<'a>(
        &'a self,
        doc_id: &'a str,
        sealed: &'a inbox::Sealed,
    ) -> Boxed<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            // Newest key first: most cards are sealed to it.
            for key in self.keys.keys.iter().rev() {
                let opened = match sealed {
                    inbox::Sealed::First(s) => seal::open(&key.private_jwk, s).await,
                    inbox::Sealed::Hpke {
                        template, sealed, ..
                    } => {
                        let Some(public) = crate::domain::card_link::unbase64url(&key.public)
                        else {
                            continue;
                        };
                        let aad = inbox::aad(doc_id, *template);
                        seal::hpke_open(&key.private_jwk, &public, &aad, sealed).await
                    }
                };
                if let Ok(plain) = opened {
                    return Some(plain);
                }
            }
            None
        })
    }

    fn has_card(&self, id: Uuid) -> bool {
        self.device
            .state
            .data
            .with_untracked(|d| d.has(Kind::Card, id))
    }

    fn has_template(&self, id: Uuid) -> bool {
        self.device
            .state
            .data
            .with_untracked(|d| d.templates.contains_key(&id))
    }

    fn take(&mut self, card: Card) -> Result<(), SyncError> {
        self.arrivals.note(Utc::now(), &card.branch, self.branches);
        self.device
            .state
            .save(Record::Card(card))
            .map_err(|e| SyncError::Local(e.message_key().to_owned()))
    }

    fn set_aside(&mut self, doc_id: &str, problem: &DocProblem) {
        // Noted without its ciphertext, and only the first few of a pass: strangers' junk must
        // not fill this device's storage.
        if self.aside < KEEP_ASIDE {
            let aside = format!("inbox:{doc_id}");
            self.device
                .set_aside(&aside, &serde_json::json!({ "_id": doc_id }), problem);
        }
        self.aside += 1;
    }

    fn page_done(&mut self) {
        self.device.service.renew_lease();
    }
}

/// Sync from context. Provided by `App`.
pub fn use_sync() -> SyncService {
    expect_context::<SyncService>()
}

/// A pass's code: in a split build, a chunk of its own, fetched the first time a pass runs, so a
/// device that never syncs never fetches it.
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(sync, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn pass_code(
    service: SyncService,
    config: Config,
    verify: bool,
) -> Result<Boxed<'static, Result<Report, SyncError>>, crate::split::ChunkMissing> {
    Ok(Box::pin(async move { service.pass(&config, verify).await }))
}
