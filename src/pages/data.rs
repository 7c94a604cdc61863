//! The Data screen: what is stored and how much room it takes, export, import with a preview,
//! entries set aside, records that could not be saved, and deleting everything.

use std::sync::{Arc, Mutex, PoisonError, Weak};

use leptos::{html, prelude::*, task::spawn_local};

use crate::{
    components::confirm_dialog::ConfirmDialog,
    domain::{
        export::{self, FileError},
        merge::{self, Incoming, MergePlan, Outcome},
        Dataset, Kind,
    },
    i18n::{self, isolate, Lang},
    state::{use_state, AppState, Tone},
    store::{self, memory::CHROMIUM_QUOTA, prefs},
    web,
};

/// An import read and planned, waiting for the user's confirmation.
#[derive(Debug, Default)]
struct Pending {
    files: Vec<String>,
    /// Files refused as a whole, by their position in `files`.
    refused: Vec<(usize, FileError)>,
    plan: MergePlan,
    /// The plan's writes checked and in their stored form, made while the preview is read.
    encoding: Mutex<store::Encoding>,
}

/// Encodes a planned import's records a slice at a time while the user reads its preview, so
/// that confirming only has to write them. Stops once the import is confirmed or dropped.
async fn encode_ahead(pending: Weak<Pending>) {
    /// Longest the encoding keeps the page from answering input at a time, in ms.
    const BUSY_MS: f64 = 40.0;
    const SLICE: usize = 250;
    let mut pace = web::Pace::every(BUSY_MS);
    while let Some(p) = pending.upgrade() {
        {
            let mut encoding = p.encoding.lock().unwrap_or_else(PoisonError::into_inner);
            while !pace.due() {
                if encoding.advance(&p.plan.writes, SLICE) {
                    return;
                }
            }
        }
        drop(p);
        pace.pause().await;
    }
}

fn kind_label(lang: Lang, kind: Kind) -> &'static str {
    i18n::t(lang, &format!("kind.{}", kind.name()))
}

/// The Data screen.
#[component]
pub fn DataPage() -> impl IntoView {
    let state = use_state();
    // How far an import has got; deleting everything waits until it is done.
    let step = RwSignal::new(None::<Step>);
    let importing = Signal::derive(move || step.with(Option::is_some));
    view! {
        <h1>{move || state.t("data.title")}</h1>
        <p class="lead">{move || state.t("data.intro")}</p>
        <div class="grid">
            <RecordCounts/>
            <StorageUse/>
        </div>
        <Unsaved/>
        <SetAside/>
        <ExportPanel/>
        <ImportPanel step=step/>
        <DeletePanel importing=importing/>
    }
}

/// How many records of each kind are stored.
#[component]
fn RecordCounts() -> impl IntoView {
    let state = use_state();
    let n = move |count: usize| i18n::int(state.lang.get(), count as u64);
    view! {
        <section class="panel">
            <h2 id="records-title">{move || state.t("data.records.title")}</h2>
            <table class="counts">
                <thead>
                    <tr>
                        <th scope="col">{move || state.t("data.records.kind")}</th>
                        <th scope="col">{move || state.t("data.records.count")}</th>
                    </tr>
                </thead>
                <tbody>
                    {[Kind::Card, Kind::Feedback, Kind::Customer, Kind::Assessment, Kind::Template, Kind::Settings]
                        .into_iter()
                        .map(|k| {
                            view! {
                                <tr>
                                    <th scope="row">{move || kind_label(state.lang.get(), k)}</th>
                                    <td class="num">{move || n(state.count(k))}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{move || state.t("data.records.total")}</th>
                        <td class="num">{move || n(state.data.with(Dataset::len))}</td>
                    </tr>
                </tfoot>
            </table>
        </section>
    }
}

/// Storage used against the browser's quota, and whether the browser promised to keep it.
#[component]
fn StorageUse() -> impl IntoView {
    let state = use_state();
    let sync = crate::sync::device::use_sync();
    // Counted again a moment after the data changes, once for many changes close together: a
    // count reads every key, and the notice of a long write (an import) need not wait for it.
    let used = RwSignal::new(state.usage());
    let queued = StoredValue::new(false);
    Effect::new(move |ran: Option<()>| {
        state.data.track();
        if ran.is_none() || queued.get_value() {
            return;
        }
        queued.set_value(true);
        spawn_local(async move {
            web::yield_now().await;
            if queued.try_set_value(false).is_none() {
                used.try_set(state.usage());
            }
        });
    });
    let persisted = LocalResource::new(web::storage_persisted);
    let asked = RwSignal::new(None::<bool>);
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            let granted = web::ask_persistent_storage().await;
            asked.set(Some(granted == Some(true)));
        });
    };
    let kept = move || asked.get().or_else(|| persisted.get().flatten()) == Some(true);
    view! {
        <section class="panel">
            <h2 id="usage-title">{move || state.t("data.usage.title")}</h2>
            <label for="usage-meter">{move || state.t("data.usage.label")}</label>
            <meter
                id="usage-meter"
                min="0"
                max=CHROMIUM_QUOTA
                low=CHROMIUM_QUOTA * 6 / 10
                high=CHROMIUM_QUOTA * 85 / 100
                optimum="0"
                value=move || used.get()
            ></meter>
            <p class="muted">
                {move || {
                    let lang = state.lang.get();
                    let u = used.get();
                    let pct = u as f64 * 100.0 / CHROMIUM_QUOTA as f64;
                    state
                        .tf(
                            "data.usage.value",
                            &[
                                ("used", i18n::int(lang, u as u64)),
                                ("quota", i18n::int(lang, CHROMIUM_QUOTA as u64)),
                                ("pct", i18n::decimal(lang, pct, 1)),
                            ],
                        )
                }}
            </p>
            <p class="muted" role="status">
                {move || {
                    if kept() {
                        state.t("data.usage.persisted")
                    } else if asked.get().is_some() {
                        state.t("data.usage.refused")
                    } else {
                        state.t("data.usage.not_persisted")
                    }
                }}
            </p>
            <Show when=move || !kept()>
                <button type="button" on:click=ask>{move || state.t("data.usage.ask")}</button>
            </Show>
            // A syncing device: what it keeps of the shop's history, and what the server holds.
            {move || {
                sync.config.with(Option::is_some).then(|| {
                    let lang = state.lang.get();
                    let last = sync.last.get();
                    let lines = sync.window.with(|w| crate::pages::sync::kept_lines(lang, w, &last));
                    view! {
                        <div class="data-kept">
                            {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                        </div>
                    }
                })
            }}
        </section>
    }
}

fn export_records(state: AppState, data: &Dataset, suffix: &str) {
    let lang = state.lang.get_untracked();
    let now = chrono::Utc::now();
    let mut name = export::file_name(web::today());
    if !suffix.is_empty() {
        name = name.replace(".json", &format!("-{suffix}.json"));
    }
    let text = export::export(data, now);
    match web::download(&name, "application/json", &text) {
        Ok(()) => {
            if suffix.is_empty() {
                prefs::set(prefs::LAST_EXPORT, &now);
                state.last_export.set(Some(now));
            }
            state.notify(
                Tone::Success,
                i18n::tf(
                    lang,
                    "data.export.done",
                    &[("n", i18n::int(lang, data.len() as u64)), ("file", name)],
                ),
            );
        }
        Err(_) => state.notify(Tone::Error, i18n::t(lang, "store.error.unavailable")),
    }
}

/// Export everything to one JSON file; when it was last done, and what has changed since.
#[component]
fn ExportPanel() -> impl IntoView {
    let state = use_state();
    let on_export = move |_| {
        state.data.with_untracked(|d| export_records(state, d, ""));
    };
    let pending = Memo::new(move |_| {
        let since = state.last_export.get();
        state.data.with(|d| d.changed_since(since).0)
    });
    view! {
        <section class="panel">
            <h2 id="export-title">{move || state.t("data.export.title")}</h2>
            <p>{move || state.t("data.export.help")}</p>
            <p class="muted" id="export-last">
                {move || match state.last_export.get() {
                    Some(at) => {
                        state
                            .tf(
                                "data.export.last",
                                &[("date", i18n::datetime(state.lang.get(), at, web::local_offset()))],
                            )
                    }
                    None => state.t("data.export.never").to_owned(),
                }}
            </p>
            <p class="muted" id="export-pending">
                // Before any export there is no "last export" for every record to be in.
                {move || match (pending.get(), state.last_export.get().is_some()) {
                    (0, true) => state.t("data.export.pending_none").to_owned(),
                    (0, false) => state.t("data.export.nothing_yet").to_owned(),
                    (n, _) => state.tf("data.export.pending", &[("n", i18n::int(state.lang.get(), n as u64))]),
                }}
            </p>
            <button type="button" class="primary" on:click=on_export aria-describedby="export-last export-pending">
                {move || state.t("data.export.button")}
            </button>
        </section>
    }
}

/// How far an import has got, shown while it works.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    /// Reading the chosen files.
    Opening,
    /// Reading the files' records.
    Reading { done: usize, total: usize },
    /// Comparing them with what is stored.
    Planning,
    /// Writing the confirmed records.
    Storing { done: usize, total: usize },
}

/// Records read between two chances for the browser to draw.
const READ_STEP: usize = 5_000;

/// Reads the chosen files and plans their merge with the stored records, telling `step` how far
/// it has got and letting the browser draw in between.
async fn read_and_plan(
    files: Vec<web_sys::File>,
    state: AppState,
    step: RwSignal<Option<Step>>,
) -> Pending {
    let mut pending = Pending {
        files: files.iter().map(web_sys::File::name).collect(),
        ..Pending::default()
    };
    let mut texts: Vec<(usize, String)> = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let size = file.size() as usize;
        if size > export::MAX_IMPORT_BYTES {
            let max = export::MAX_IMPORT_BYTES;
            pending.refused.push((i, FileError::TooLarge { size, max }));
            continue;
        }
        match web::read_text(file).await {
            Ok(text) => texts.push((i, text)),
            Err(_) => pending
                .refused
                .push((i, FileError::Malformed(String::new()))),
        }
    }
    let mut sections = Vec::new();
    for (i, text) in &texts {
        match export::Sections::read(*i, text) {
            Ok(s) => sections.push((*i, s)),
            Err(e) => pending.refused.push((*i, e)),
        }
    }
    pending.refused.sort_by_key(|(i, _)| *i);
    let total = sections.iter().map(|(_, s)| s.len()).sum();
    let mut incoming: Vec<(usize, Vec<Incoming>)> = Vec::new();
    let mut done = 0;
    for (i, s) in &sections {
        let mut entries = Vec::with_capacity(s.len());
        for entry in s.entries() {
            entries.push(entry);
            done += 1;
            if done % READ_STEP == 0 {
                step.set(Some(Step::Reading { done, total }));
                web::yield_now().await;
            }
        }
        incoming.push((*i, entries));
    }
    step.set(Some(Step::Planning));
    web::yield_now().await;
    pending.plan = state.data.with_untracked(|d| merge::plan(d, incoming));
    pending
}

fn file_error_text(lang: Lang, e: &FileError) -> String {
    let mb = |b: usize| i18n::decimal(lang, b as f64 / 1_048_576.0, 1);
    match e {
        FileError::TooLarge { size, max } => i18n::tf(
            lang,
            e.message_key(),
            &[("size", mb(*size)), ("max", mb(*max))],
        ),
        FileError::Newer { found, supported } => i18n::tf(
            lang,
            e.message_key(),
            &[
                ("found", i18n::int(lang, *found)),
                ("supported", i18n::int(lang, u64::from(*supported))),
            ],
        ),
        _ => i18n::t(lang, e.message_key()).to_owned(),
    }
}

/// Import one or many files: read, preview, then confirm or cancel, with progress shown while
/// it reads and while it stores.
#[component]
fn ImportPanel(
    /// How far the import has got, `None` when none is under way.
    step: RwSignal<Option<Step>>,
) -> impl IntoView {
    let state = use_state();
    let input = NodeRef::<html::Input>::new();
    let pending = RwSignal::new(None::<Arc<Pending>>);
    let busy = move || step.with(Option::is_some);

    let reset = move || {
        pending.set(None);
        if let Some(i) = input.get_untracked() {
            i.set_value("");
        }
    };
    let on_change = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let Some(list) = el.files() else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        if files.is_empty() || step.get_untracked().is_some() {
            return;
        }
        step.set(Some(Step::Opening));
        pending.set(None);
        spawn_local(async move {
            let p = read_and_plan(files, state, step).await;
            step.set(None);
            let p = Arc::new(p);
            let ahead = Arc::downgrade(&p);
            pending.set(Some(p));
            spawn_local(encode_ahead(ahead));
        });
    };
    let on_confirm = move |_| {
        let Some(p) = pending.try_update(Option::take).flatten() else {
            return;
        };
        let lang = state.lang.get_untracked();
        let s = p.plan.summary();
        if p.plan.is_noop() {
            state.notify(Tone::Info, i18n::t(lang, "data.import.nothing"));
            reset();
            return;
        }
        let (writes, encoding) = match Arc::try_unwrap(p) {
            Ok(p) => {
                let encoding = p.encoding.into_inner();
                (
                    p.plan.writes,
                    encoding.unwrap_or_else(PoisonError::into_inner),
                )
            }
            Err(p) => (p.plan.writes.clone(), store::Encoding::default()),
        };
        let total = writes.len();
        step.set(Some(Step::Storing { done: 0, total }));
        spawn_local(async move {
            let stored = state
                .import(writes, encoding, move |done, total| {
                    step.set(Some(Step::Storing { done, total }))
                })
                .await;
            step.set(None);
            let lang = state.lang.get_untracked();
            match stored {
                Ok(()) => state.notify(
                    Tone::Success,
                    i18n::tf(
                        lang,
                        "data.import.done",
                        &[
                            ("added", i18n::int(lang, s.added as u64)),
                            ("updated", i18n::int(lang, s.updated as u64)),
                        ],
                    ),
                ),
                Err(e) => state.notify(
                    Tone::Error,
                    i18n::tf(
                        lang,
                        "data.import.failed",
                        &[("reason", i18n::t(lang, e.message_key()).to_owned())],
                    ),
                ),
            }
            reset();
        });
    };
    let progress_text = move || {
        let lang = state.lang.get();
        let of = |key: &str, done: usize, total: usize| {
            i18n::tf(
                lang,
                key,
                &[
                    ("done", i18n::int(lang, done as u64)),
                    ("total", i18n::int(lang, total as u64)),
                ],
            )
        };
        match step.get() {
            Some(Step::Opening) | None => i18n::t(lang, "data.import.reading").to_owned(),
            Some(Step::Reading { done, total }) => of("data.import.progress.reading", done, total),
            Some(Step::Planning) => i18n::t(lang, "data.import.progress.planning").to_owned(),
            Some(Step::Storing { done, total }) => of("data.import.progress.storing", done, total),
        }
    };
    // A bar with no value is one that cannot say how far it is.
    let fraction = move || match step.get() {
        Some(Step::Reading { done, total } | Step::Storing { done, total }) if total > 0 => {
            Some(format!("{:.3}", done as f64 / total as f64))
        }
        _ => None,
    };

    view! {
        <section class="panel">
            <h2 id="import-title">{move || state.t("data.import.title")}</h2>
            <p>{move || state.t("data.import.help")}</p>
            // The native file button speaks the browser's language, not the app's: it is
            // hidden visually (still focusable and announced) behind a label styled as a button.
            <div class="file-pick">
                <input
                    id="import-file"
                    class="file-input"
                    node_ref=input
                    type="file"
                    accept=".json,application/json"
                    multiple
                    disabled=busy
                    on:change=on_change
                />
                <label for="import-file" class="button secondary" class:disabled=busy>
                    {move || state.t("data.import.label")}
                </label>
                <span class="muted" dir="auto">
                    {move || match pending.get() {
                        Some(p) => p.files.join(", "),
                        None => state.t("data.import.none").to_owned(),
                    }}
                </span>
            </div>
            <div class="import-progress" hidden=move || !busy()>
                <p role="status" id="import-progress-text">{move || busy().then(progress_text)}</p>
                <progress
                    max="1"
                    value=fraction
                    aria-label=move || state.t("data.import.progress.label")
                    aria-describedby="import-progress-text"
                ></progress>
            </div>
            {move || pending.get().map(|p| view! { <ImportPreview pending=p on_confirm=on_confirm on_cancel=move |_| reset()/> })}
        </section>
    }
}

/// What an import would do, with the buttons that carry it out or drop it.
#[component]
fn ImportPreview(
    /// The planned import. Only what the preview shows is kept, so the plan's records can be
    /// handed on without a copy once confirmed.
    pending: Arc<Pending>,
    /// Applies the import.
    on_confirm: impl Fn(leptos::ev::MouseEvent) + 'static,
    /// Drops the import; nothing changes.
    on_cancel: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let state = use_state();
    let s = pending.plan.summary();
    let files = pending.files.clone();
    let file_name = move |i: usize| files.get(i).cloned().unwrap_or_default();
    let rows = [
        ("import.summary.added", s.added),
        ("import.summary.updated", s.updated),
        ("import.summary.unchanged", s.unchanged),
        ("import.summary.conflicting", s.conflicting),
        ("import.summary.rejected", s.rejected),
    ];
    let refused: Vec<Row> = pending
        .refused
        .iter()
        .map(|(i, e)| {
            let (name, e) = (file_name(*i), e.clone());
            Arc::new(move |lang: Lang| format!("{}: {}", isolate(&name), file_error_text(lang, &e)))
                as Row
        })
        .collect();
    let rejected: Vec<Row> = pending
        .plan
        .rejected
        .iter()
        .take(MAX_LISTED)
        .map(|r| {
            let (r, file) = (r.clone(), isolate(&file_name(r.file)));
            Arc::new(move |lang: Lang| {
                i18n::tf(
                    lang,
                    "import.row",
                    &[
                        ("file", file.clone()),
                        ("kind", kind_label(lang, r.kind).to_owned()),
                        ("position", i18n::int(lang, r.position as u64)),
                        ("reason", i18n::t(lang, r.reason.message_key()).to_owned()),
                    ],
                )
            }) as Row
        })
        .collect();
    let conflicts: Vec<Row> = pending
        .plan
        .entries
        .iter()
        .filter(|e| e.outcome == Outcome::Conflict)
        .take(MAX_LISTED)
        .map(|c| {
            let (c, file) = (c.clone(), isolate(&file_name(c.file)));
            Arc::new(move |lang: Lang| {
                i18n::tf(
                    lang,
                    "import.row.conflict",
                    &[
                        ("file", file.clone()),
                        ("kind", kind_label(lang, c.kind).to_owned()),
                        ("id", c.id.to_string()),
                    ],
                )
            }) as Row
        })
        .collect();
    let noop = pending.plan.is_noop();
    drop(pending);
    view! {
        <div class="preview" role="region" aria-labelledby="preview-title">
            <h3 id="preview-title">{move || state.t("data.import.preview")}</h3>
            <table class="counts">
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(key, n)| {
                            view! {
                                <tr>
                                    <th scope="row">{move || state.t(key)}</th>
                                    <td class="num">{move || i18n::int(state.lang.get(), n as u64)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <ProblemList title="data.import.files_refused" alert=true rows=refused/>
            <ProblemList title="data.import.rejected_list" alert=false rows=rejected/>
            <ProblemList title="data.import.conflicts_list" alert=false rows=conflicts/>
            <div class="actions">
                <button type="button" class="primary" on:click=on_confirm>
                    {move || state.t("data.import.confirm")}
                </button>
                <button type="button" class="secondary" on:click=on_cancel>
                    {move || state.t("data.import.cancel")}
                </button>
            </div>
            <Show when=move || noop>
                <p class="muted">{move || state.t("data.import.nothing")}</p>
            </Show>
        </div>
    }
}

/// One line of a problem list, written in the current language.
type Row = Arc<dyn Fn(Lang) -> String + Send + Sync>;

/// Most entries a problem list shows; the counts above it cover the rest.
const MAX_LISTED: usize = 100;

/// A titled list of problems; nothing at all when the list is empty.
#[component]
fn ProblemList(
    /// Locale key of the sentence above the list.
    title: &'static str,
    /// Announce at once (for problems that stop a whole file).
    alert: bool,
    /// The lines.
    rows: Vec<Row>,
) -> impl IntoView {
    let state = use_state();
    (!rows.is_empty()).then(|| {
        view! {
            <div class="problems" role=alert.then_some("alert")>
                <p>{move || state.t(title)}</p>
                <ul>
                    {rows
                        .into_iter()
                        .map(|row| view! { <li dir="auto">{move || row(state.lang.get())}</li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// Entries that could not be read at load, moved aside: download or discard them.
#[component]
fn SetAside() -> impl IntoView {
    let state = use_state();
    let download = move |_| {
        let entries: serde_json::Map<String, serde_json::Value> = state
            .set_aside_entries()
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        let text = serde_json::to_string_pretty(&entries).unwrap_or_default();
        let name = export::file_name(web::today()).replace(".json", "-set-aside.json");
        if web::download(&name, "application/json", &text).is_err() {
            state.notify(Tone::Error, state.t("store.error.unavailable"));
        }
    };
    view! {
        <Show when=move || state.set_aside.with(|s| !s.is_empty())>
            <section class="panel warn">
                <h2 id="aside-title">{move || state.t("data.aside.title")}</h2>
                <p>
                    {move || {
                        state
                            .tf(
                                "data.aside.help",
                                &[("n", i18n::int(state.lang.get(), state.set_aside.with(Vec::len) as u64))],
                            )
                    }}
                </p>
                <div class="actions">
                    <button type="button" class="secondary" on:click=download>
                        {move || state.t("data.aside.download")}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| state.discard_set_aside()>
                        {move || state.t("data.aside.discard")}
                    </button>
                </div>
            </section>
        </Show>
    }
}

/// Records kept in this tab because storage was full.
#[component]
fn Unsaved() -> impl IntoView {
    let state = use_state();
    let export_unsaved = move |_| {
        let mut d = Dataset::default();
        for r in state.unsaved.get_untracked() {
            d.upsert(r);
        }
        export_records(state, &d, "unsaved");
    };
    view! {
        <Show when=move || state.unsaved.with(|u| !u.is_empty())>
            <section class="panel warn" role="alert">
                <h2 id="unsaved-title">{move || state.t("data.unsaved.title")}</h2>
                <p>
                    {move || {
                        state
                            .tf(
                                "data.unsaved.help",
                                &[("n", i18n::int(state.lang.get(), state.unsaved.with(Vec::len) as u64))],
                            )
                    }}
                </p>
                <div class="actions">
                    <button type="button" class="primary" on:click=export_unsaved>
                        {move || state.t("data.unsaved.export")}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| {
                            state.retry_unsaved();
                        }
                    >
                        {move || state.t("data.unsaved.retry")}
                    </button>
                </div>
            </section>
        </Show>
    }
}

/// Delete every record, after confirmation.
#[component]
fn DeletePanel(
    /// An import is being read or stored: deleting now would leave part of it behind.
    importing: Signal<bool>,
) -> impl IntoView {
    let state = use_state();
    let sync = crate::sync::device::use_sync();
    let open = RwSignal::new(false);
    // With sync set up: on this device only (the default), or on every device.
    let everywhere = RwSignal::new(false);
    let syncing = move || sync.config.with(Option::is_some);
    let on_confirm = Callback::new(move |()| {
        if syncing() && everywhere.get_untracked() {
            // The deletions go to the server as tombstones with the next pass; then the
            // device forgets its sync secrets.
            state.delete_all();
            sync.send_deletions_then_forget();
            state.notify(Tone::Success, state.t("data.delete.done_everywhere"));
        } else {
            let was_syncing = syncing();
            if was_syncing {
                sync.stop_for_local_delete();
            }
            state.delete_all();
            let done = if was_syncing {
                "data.delete.done_here"
            } else {
                "data.delete.done"
            };
            state.notify(Tone::Success, state.t(done));
        }
        everywhere.set(false);
    });
    view! {
        <section class="panel danger-zone">
            <h2 id="delete-title">{move || state.t("data.delete.title")}</h2>
            <p>{move || state.t("data.delete.help")}</p>
            <button type="button" class="danger" disabled=importing on:click=move |_| {
                everywhere.set(false);
                open.set(true);
            }>
                {move || state.t("data.delete.button")}
            </button>
            <ConfirmDialog
                open=open
                title="confirm.delete.title"
                body="confirm.delete.body"
                confirm="confirm.delete.yes"
                on_confirm=on_confirm
            >
                <Show when=syncing>
                    <fieldset class="choice">
                        <legend>{move || state.t("data.delete.where")}</legend>
                        <label>
                            <input
                                type="radio"
                                name="delete-where"
                                prop:checked=move || !everywhere.get()
                                on:change=move |_| everywhere.set(false)
                            />
                            {move || state.t("data.delete.here")}
                        </label>
                        <label>
                            <input
                                type="radio"
                                name="delete-where"
                                prop:checked=move || everywhere.get()
                                on:change=move |_| everywhere.set(true)
                            />
                            {move || state.t("data.delete.everywhere")}
                        </label>
                    </fieldset>
                </Show>
            </ConfirmDialog>
        </section>
    }
}
