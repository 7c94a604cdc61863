//! The Sync screen: the shop's CouchDB server and database, this device's user and password,
//! and what sync is doing, in words.

use leptos::prelude::*;

use crate::{
    components::{confirm_dialog::ConfirmDialog, section_tabs::SectionTabs},
    domain::window::{Window, DAY_CHOICES},
    i18n::{self, isolate, Lang},
    pages::{card_links::InboxPanel, standards::TABS},
    router::Route,
    state::{use_state, Tone},
    sync::{
        device::{use_sync, Phase},
        keep::{Config, Last},
    },
    web,
};

#[component]
pub fn SyncPage() -> impl IntoView {
    let state = use_state();
    use_sync().count_waiting();
    view! {
        <SectionTabs tabs=TABS current=Route::Sync/>
        <h1>{move || state.t("sync.title")}</h1>
        <p class="hint">{move || state.t("sync.intro")}</p>
        <StatusPanel/>
        // Before Connect too: a new device chooses its window before its first sync.
        <WindowPanel/>
        <ServerForm/>
        <InboxPanel/>
        <section class="panel" aria-labelledby="sync-travels-title">
            <h2 id="sync-travels-title">{move || state.t("sync.travels.title")}</h2>
            <p>{move || state.t("sync.travels.records")}</p>
            <p>{move || state.t("sync.travels.device")}</p>
            <p>{move || state.t("sync.travels.conflicts")}</p>
        </section>
    }
}

/// A time in the current language, in this device's time zone.
fn when(lang: Lang, at: chrono::DateTime<chrono::Utc>) -> String {
    i18n::datetime(lang, at, web::local_offset())
}

/// The first line of the status: what sync is doing or last did.
fn headline(lang: Lang, config: Option<&Config>, phase: &Phase, last: &Last) -> String {
    let t = |k| i18n::t(lang, k).to_owned();
    let n = |v: usize| i18n::int(lang, v as u64);
    match (config, phase) {
        (None, _) => t("sync.status.off"),
        (
            Some(_),
            Phase::Running {
                received,
                sent,
                remaining,
            },
        ) => {
            let mut text = i18n::tf(
                lang,
                "sync.status.running",
                &[("received", n(*received)), ("sent", n(*sent))],
            );
            if let Some(left) = remaining.filter(|r| *r > 0) {
                text.push(' ');
                text.push_str(&i18n::tf(
                    lang,
                    "sync.status.left",
                    &[("n", n(left as usize))],
                ));
            }
            text
        }
        (Some(c), Phase::Idle) if c.password.is_none() => t("sync.status.password"),
        (Some(c), Phase::Idle) if !c.on => t("sync.status.stopped"),
        (Some(_), Phase::Idle) => match last.ok_at {
            Some(at) => i18n::tf(lang, "sync.status.last", &[("when", when(lang, at))]),
            None => t("sync.status.never"),
        },
    }
}

#[component]
fn StatusPanel() -> impl IntoView {
    let state = use_state();
    let sync = use_sync();
    let forget_open = RwSignal::new(false);
    let configured = move || sync.config.with(Option::is_some);
    let on = move || sync.config.with(|c| c.as_ref().is_some_and(|c| c.on));
    let running = move || sync.phase.with(|p| matches!(p, Phase::Running { .. }));

    let status = move || {
        let lang = state.lang.get();
        let config = sync.config.get();
        let last = sync.last.get();
        let phase = sync.phase.get();
        let line = headline(lang, config.as_ref(), &phase, &last);
        let waiting = config.as_ref().map(|_| {
            let n = sync.waiting.get();
            i18n::tf(
                lang,
                "sync.status.waiting",
                &[("n", i18n::int(lang, n as u64))],
            )
        });
        let error = last.error.as_ref().filter(|_| config.is_some()).map(|key| {
            let reason = i18n::tf(
                lang,
                key,
                &[("what", last.error_detail.clone().unwrap_or_default())],
            );
            let at = last.error_at.map(|at| when(lang, at)).unwrap_or_default();
            i18n::tf(
                lang,
                "sync.status.failed",
                &[("when", at), ("reason", reason)],
            )
        });
        let aside = (!last.set_aside.is_empty()).then(|| {
            i18n::tf(
                lang,
                "sync.status.aside",
                &[(
                    "n",
                    i18n::int(lang, (last.set_aside.len() + last.set_aside_more) as u64),
                )],
            )
        });
        view! {
            <p class="sync-line">{line}</p>
            {waiting.map(|w| view! { <p>{w}</p> })}
            {error.map(|e| view! { <p class="sync-error">{e}</p> })}
            {aside.map(|a| view! { <p>{a} " " <a href=Route::Data.href()>{i18n::t(lang, "nav.data")}</a></p> })}
            {(!last.set_aside.is_empty()).then(|| {
                // The first few, each with its reason in words.
                let items = last
                    .set_aside
                    .iter()
                    .take(5)
                    .map(|(id, key)| view! { <li><span dir="ltr">{id.clone()}</span>": "{i18n::t(lang, key)}</li> })
                    .collect_view();
                view! { <ul class="aside-list">{items}</ul> }
            })}
        }
    };

    let sync_now = move |verify: bool| {
        let has_password = sync
            .config
            .with_untracked(|c| c.as_ref().is_some_and(|c| c.password.is_some()));
        if !has_password {
            state.notify(Tone::Error, state.t("sync.status.password"));
            web::focus_later("#sync-password".into());
            return;
        }
        if !on() {
            if let Some(c) = sync.config.get_untracked() {
                let _ = sync.connect(c);
                return;
            }
        }
        sync.sync_now(verify);
    };

    view! {
        <section class="panel" aria-labelledby="sync-status-title">
            <h2 id="sync-status-title">{move || state.t("sync.status.title")}</h2>
            <div
                role="status"
                class="sync-status"
                aria-busy=move || running().then_some("true")
                data-passes=move || sync.passes.get().to_string()
            >
                {status}
            </div>
            <Show when=configured>
                <div class="actions">
                    <button type="button" class="primary" disabled=running on:click=move |_| sync_now(false)>
                        {move || state.t("sync.now")}
                    </button>
                    <button type="button" class="secondary" disabled=running on:click=move |_| sync_now(true)>
                        {move || state.t("sync.verify")}
                    </button>
                    <Show when=on>
                        <button type="button" class="secondary" on:click=move |_| sync.stop()>
                            {move || state.t("sync.stop")}
                        </button>
                    </Show>
                    <button type="button" class="danger" on:click=move |_| forget_open.set(true)>
                        {move || state.t("sync.forget")}
                    </button>
                </div>
                <p class="hint">{move || state.t("sync.verify.help")}</p>
            </Show>
            <ConfirmDialog
                open=forget_open
                title="sync.forget.title"
                body="sync.forget.body"
                confirm="sync.forget.yes"
                on_confirm=Callback::new(move |()| {
                    sync.forget();
                    state.notify(Tone::Success, state.t("sync.forget.done"));
                })
            />
        </section>
    }
}

/// The server, the database, the user and the password, and Connect.
#[component]
fn ServerForm() -> impl IntoView {
    let state = use_state();
    let sync = use_sync();
    let stored = sync.config.get_untracked().unwrap_or_default();
    let server = RwSignal::new(stored.server.clone());
    let db = RwSignal::new(stored.db.clone());
    let user = RwSignal::new(stored.user.clone());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(&'static str, &'static str)>::new());
    // Forgetting the server empties the form.
    Effect::new(move |previous: Option<bool>| {
        let known = sync.config.with(Option::is_some);
        if previous == Some(true) && !known {
            server.set(String::new());
            db.set(String::new());
            user.set(String::new());
            password.set(String::new());
        }
        known
    });
    let problem =
        move |field: &str| errors.with(|e| e.iter().find(|(f, _)| *f == field).map(|(_, k)| *k));
    // One field of the form: its label, its help (a locale key, which may change), its problem.
    let field = move |field: &'static str,
                      label: &'static str,
                      help: Signal<Option<&'static str>>,
                      kind: &'static str,
                      autocomplete: &'static str,
                      value: RwSignal<String>| {
        let id = format!("sync-{field}");
        let help_id = format!("{id}-help");
        let error_id = format!("{id}-error");
        let described = {
            let (help_id, error_id) = (help_id.clone(), error_id.clone());
            move || {
                let ids: Vec<String> = help
                    .get()
                    .map(|_| help_id.clone())
                    .into_iter()
                    .chain(problem(field).map(|_| error_id.clone()))
                    .collect();
                (!ids.is_empty()).then(|| ids.join(" "))
            }
        };
        view! {
            <div class="field">
                <label for=id.clone()>{move || state.t(label)}</label>
                <input
                    id=id
                    type=kind
                    inputmode=if field == "server" { "url" } else { "text" }
                    dir="ltr"
                    autocomplete=autocomplete
                    autocapitalize="off"
                    spellcheck="false"
                    maxlength="400"
                    aria-invalid=move || problem(field).map(|_| "true")
                    aria-describedby=described
                    bind:value=value
                />
                {move || help.get().map(|h| view! { <p class="hint" id=help_id.clone()>{move || state.t(h)}</p> })}
                {move || problem(field).map(|k| view! { <p class="field-error" id=error_id.clone()>{move || state.t(k)}</p> })}
            </div>
        }
    };
    let password_help = Signal::derive(move || {
        let kept = sync
            .config
            .with(|c| c.as_ref().is_some_and(|c| c.password.is_some()));
        Some(if kept {
            "sync.password.kept"
        } else {
            "sync.password.help"
        })
    });
    let help = |key| Signal::stored(Some(key));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = password.get_untracked();
        // A password already kept for the same user is used again when the field is left empty.
        let kept = sync.config.get_untracked().and_then(|c| {
            (c.user.trim() == user.get_untracked().trim())
                .then_some(c.password)
                .flatten()
        });
        let config = Config {
            server: server.get_untracked(),
            db: db.get_untracked(),
            user: user.get_untracked(),
            password: if typed.is_empty() { kept } else { Some(typed) },
            on: true,
        };
        match config.checked() {
            Ok(config) => {
                errors.set(Vec::new());
                server.set(config.server.clone());
                password.set(String::new());
                if sync.connect(config).is_err() {
                    state.notify(Tone::Error, state.t("store.error.unavailable"));
                }
            }
            Err(list) => {
                errors.set(list);
                web::reveal_first_invalid("form.sync-server");
            }
        }
    };
    view! {
        <form class="panel sync-server" aria-labelledby="sync-server-title" on:submit=on_submit novalidate>
            <h2 id="sync-server-title">{move || state.t("sync.server.title")}</h2>
            {field("server", "sync.server", help("sync.server.help"), "text", "url", server)}
            {field("db", "sync.db", help("sync.db.help"), "text", "off", db)}
            {field("user", "sync.user", Signal::stored(None), "text", "username", user)}
            {field("password", "sync.password", password_help, "password", "current-password", password)}
            <div class="actions">
                <button type="submit" class="primary">{move || state.t("sync.connect")}</button>
            </div>
        </form>
    }
}

/// What this device keeps of the shop's history and what the server holds, in words: for the
/// Sync and Data screens. Empty when the device syncs with no server.
pub fn kept_lines(lang: Lang, window: &Window, last: &Last) -> Vec<String> {
    let mut lines = Vec::new();
    let span = window.span(chrono::Utc::now().date_naive());
    let cards = match (span.cards_from, &span.branch) {
        (None, None) => i18n::t(lang, "sync.window.keeps_all").to_owned(),
        (None, Some(b)) => i18n::tf(lang, "sync.window.keeps_branch", &[("branch", isolate(b))]),
        (Some(day), None) => i18n::tf(
            lang,
            "sync.window.keeps_from",
            &[("day", i18n::date(lang, day))],
        ),
        (Some(day), Some(b)) => i18n::tf(
            lang,
            "sync.window.keeps_from_branch",
            &[("day", i18n::date(lang, day)), ("branch", isolate(b))],
        ),
    };
    lines.push(cards);
    if let Some(floor) = window.floor {
        lines.push(i18n::tf(
            lang,
            "sync.window.narrowed",
            &[("day", i18n::date(lang, floor))],
        ));
    }
    if let Some(n) = last.server_docs {
        lines.push(i18n::tf(
            lang,
            "sync.window.server",
            &[("n", i18n::int(lang, n))],
        ));
    }
    lines
}

/// "Cards kept on this device": how many days, which branches; what is always kept; what this
/// device keeps now and what the server holds.
#[component]
fn WindowPanel() -> impl IntoView {
    let state = use_state();
    let sync = use_sync();
    let branches = Memo::new(move |_| state.settings().branches);
    let choose = move |window: Window| match sync.set_window(window) {
        Ok(()) => state.notify(Tone::Success, state.t("sync.window.saved")),
        Err(_) => state.notify(Tone::Error, state.t("sync.window.failed")),
    };
    let on_days = move |ev: leptos::ev::Event| {
        let days = event_target_value(&ev).parse::<u32>().ok();
        let mut window = sync.window.get_untracked();
        window.days = days;
        choose(window);
    };
    let on_branch = move |ev: leptos::ev::Event| {
        let branch = event_target_value(&ev);
        let mut window = sync.window.get_untracked();
        window.branch = (!branch.is_empty()).then_some(branch);
        choose(window);
    };
    let day_options = move || {
        let lang = state.lang.get();
        let chosen = sync.window.with(|w| w.days);
        let mut options = vec![view! {
            <option value=String::new() selected=chosen.is_none()>{i18n::t(lang, "sync.window.days.all").to_owned()}</option>
        }];
        options.extend(DAY_CHOICES.into_iter().map(|n| {
            view! {
                <option value=n.to_string() selected=chosen == Some(n)>
                    {i18n::tf(lang, "sync.window.days.n", &[("n", i18n::int(lang, u64::from(n)))])}
                </option>
            }
        }));
        options
    };
    let branch_options = move || {
        let lang = state.lang.get();
        let chosen = sync.window.with(|w| w.branch.clone());
        let mut names = branches.get();
        // A branch chosen before it was renamed or removed stays a choice until changed.
        if let Some(c) = chosen.as_ref().filter(|c| !names.contains(c)) {
            names.push(c.clone());
        }
        let mut options = vec![view! {
            <option value=String::new() selected=chosen.is_none()>{i18n::t(lang, "sync.window.branch.all").to_owned()}</option>
        }];
        options.extend(names.into_iter().map(|b| {
            let selected = chosen.as_deref() == Some(b.as_str());
            view! { <option value=b.clone() selected=selected>{b.clone()}</option> }
        }));
        options
    };
    let lines = move || {
        let lang = state.lang.get();
        let last = sync.last.get();
        sync.window
            .with(|w| kept_lines(lang, w, &last))
            .into_iter()
            .map(|l| view! { <p>{l}</p> })
            .collect_view()
    };
    view! {
        <section class="panel" aria-labelledby="sync-window-title">
            <h2 id="sync-window-title">{move || state.t("sync.window.title")}</h2>
            <p class="hint">{move || state.t("sync.window.intro")}</p>
            <div class="field">
                <label for="sync-window-days">{move || state.t("sync.window.days")}</label>
                <select id="sync-window-days" on:change=on_days>{day_options}</select>
            </div>
            // Before the first sync a new device knows no branch yet: the name is typed, so that
            // even the first sync fetches one branch's cards only.
            <Show
                when=move || branches.with(|b| !b.is_empty())
                fallback=move || view! {
                    <div class="field">
                        <label for="sync-window-branch">{move || state.t("sync.window.branch")}</label>
                        <input
                            id="sync-window-branch"
                            type="text"
                            dir="auto"
                            maxlength="200"
                            aria-describedby="sync-window-branch-help"
                            prop:value=move || sync.window.with(|w| w.branch.clone().unwrap_or_default())
                            on:change=move |ev| {
                                let typed = event_target_value(&ev).trim().to_owned();
                                let mut window = sync.window.get_untracked();
                                window.branch = (!typed.is_empty()).then_some(typed);
                                choose(window);
                            }
                        />
                        <p class="hint" id="sync-window-branch-help">{move || state.t("sync.window.branch.typed")}</p>
                    </div>
                }
            >
                <div class="field">
                    <label for="sync-window-branch">{move || state.t("sync.window.branch")}</label>
                    <select id="sync-window-branch" on:change=on_branch>{branch_options}</select>
                </div>
            </Show>
            <p class="hint">{move || state.t("sync.window.always")}</p>
            <div role="status" class="sync-kept">{lines}</div>
        </section>
    }
}
