//! The shell: state provider, top bar with navigation and language, notices, and the screen
//! the address names.

use leptos::prelude::*;

use crate::{
    components::{language_select::LanguageSelect, notice_bar::NoticeBar},
    domain::settings::DEFAULT_EXPORT_REMINDER_DAYS,
    i18n,
    pages::kiosk::Kiosk,
    router::{use_route, Route},
    screens::Screen,
    state::{use_state, AppState},
    web,
};

/// Mounts the app on `<body>` once the interface language's words are here. The release build
/// fetches them (the page's loader has asked for them already); a failed fetch is tried once
/// more, then the page says the app could not start, in that language, with a reload button.
pub fn start() {
    let lang = AppState::device_lang();
    if i18n::is_loaded(lang) {
        leptos::mount::mount_to_body(App);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = match i18n::load(lang).await {
            Ok(()) => Ok(()),
            Err(_) => i18n::load(lang).await,
        };
        match loaded {
            Ok(()) => leptos::mount::mount_to_body(App),
            Err(e) => crate::components::crash::show_failed_start(
                lang,
                ["boot.failed.title", "boot.failed.body"],
                &e,
            ),
        }
    });
}

/// The whole app. Mount it once on `<body>`.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::init();
    provide_context(state);
    provide_context(crate::sync::device::SyncService::start(state));
    let route = use_route();
    crate::screens::prefetch();

    Effect::new(move |_| {
        let lang = state.lang.get();
        web::apply_language(lang, i18n::t(lang, "app.title"));
    });

    let shell = move || {
        if let Some(setup) = state.kiosk.get() {
            return view! { <Kiosk setup=setup route=route/> }.into_any();
        }
        view! { <Shell route=route/> }.into_any()
    };
    view! { {shell} }
}

/// Every staff screen: top bar, notices, the screen the address names.
#[component]
fn Shell(route: ReadSignal<Route>) -> impl IntoView {
    let state = use_state();
    // The first screen shown is no move from another one.
    let first = StoredValue::new(true);
    // A notice belongs to the screen that raised it.
    Effect::new(move |previous: Option<Route>| {
        let now = route.get();
        if previous.is_some_and(|p| p != now) {
            web::start_screen();
            let carried = state
                .notice
                .with_untracked(|n| n.as_ref().is_some_and(|n| n.carry));
            if carried {
                state.notice.update(|n| {
                    if let Some(n) = n {
                        n.carry = false;
                    }
                });
            } else {
                state.notice.set(None);
            }
        }
        now
    });
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">{move || state.t("app.title")}</span>
            </div>
            <Nav route=route/>
            <LanguageSelect/>
        </header>
        <NoticeBar/>
        <ExportReminder route=route/>
        <main id="main" class="page">
            {move || {
                let now = route.get();
                let navigated = !first.get_value();
                first.set_value(false);
                view! { <Screen route=now navigated=navigated/> }
            }}
        </main>
    }
}

/// A gentle reminder on every staff screen but the Data screen itself: a change has waited
/// longer for an export than Settings allows.
#[component]
fn ExportReminder(route: ReadSignal<Route>) -> impl IntoView {
    let state = use_state();
    let due = Memo::new(move |_| {
        let days = state.data.with(|d| {
            d.settings
                .as_ref()
                .map_or(DEFAULT_EXPORT_REMINDER_DAYS, |s| s.export_reminder_days)
        });
        if days == 0 || route.get() == Route::Data {
            return None;
        }
        let since = state.last_export.get();
        let (n, oldest) = state.data.with(|d| d.changed_since(since));
        let waited = chrono::Utc::now() - oldest?;
        (waited > chrono::Duration::days(i64::from(days))).then_some((n, since))
    });
    move || {
        due.get().map(|(n, since)| {
            let lang = state.lang.get();
            let text = match since {
                Some(at) => state.tf(
                    "reminder.export.since",
                    &[
                        ("n", i18n::int(lang, n as u64)),
                        (
                            "date",
                            i18n::date(lang, at.with_timezone(&web::local_offset()).date_naive()),
                        ),
                    ],
                ),
                None => state.tf("reminder.export.never", &[("n", i18n::int(lang, n as u64))]),
            };
            view! {
                <aside class="reminder" aria-labelledby="export-reminder-text">
                    <p id="export-reminder-text">{text}</p>
                    <a class="button" href=Route::Data.href()>{state.t("reminder.export.go")}</a>
                </aside>
            }
        })
    }
}

/// The top navigation; the current screen's link carries `aria-current="page"`. On a narrow
/// screen the links fold behind a Menu button (a disclosure): one row of top bar, not three.
#[component]
fn Nav(
    /// The screen shown now.
    route: ReadSignal<Route>,
) -> impl IntoView {
    let state = use_state();
    let open = RwSignal::new(false);
    // Choosing a screen folds the menu away again.
    Effect::new(move |_| {
        route.track();
        open.set(false);
    });
    let toggle = NodeRef::<leptos::html::Button>::new();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(b) = toggle.get() {
                let _ = b.focus();
            }
        }
    };
    view! {
        <nav class="nav" aria-label=move || state.t("nav.label") on:keydown=on_key>
            <button
                type="button"
                class="menu-toggle"
                node_ref=toggle
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="nav-list"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
                    <path d="M4 6h16M4 12h16M4 18h16" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/>
                </svg>
                <span>{move || state.t("nav.menu")}</span>
            </button>
            <ul id="nav-list" class:open=move || open.get()>
                {Route::NAV
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li>
                                <a
                                    href=r.href()
                                    aria-current=move || (route.get().section() == r).then_some("page")
                                >
                                    {move || state.t(r.label_key())}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
