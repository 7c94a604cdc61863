//! The Sync screen's inbox for customers' phones: setting it up (the shop's key), and the card
//! links with their QR codes and printable posters.

use leptos::prelude::*;

use crate::{
    components::confirm_dialog::ConfirmDialog,
    domain::{
        card_link::{self, CardLink},
        qr::Qr,
        Record,
    },
    i18n::{self, Lang},
    pages::cards::{all_templates, TemplateOptions},
    state::{use_state, Tone},
    sync::{arrivals, device::use_sync, fetch, inbox},
    web,
};

/// Where customers' cards come in: a button to set the inbox up, or the card links.
#[component]
pub fn InboxPanel() -> impl IntoView {
    let state = use_state();
    let sync = use_sync();
    let replace_open = RwSignal::new(false);
    let configured = move || sync.config.with(Option::is_some);
    let ready = move || {
        sync.keys
            .with(|k| k.as_ref().is_some_and(|k| k.current().is_some()))
    };
    view! {
        <section class="panel" id="card-links" aria-labelledby="inbox-title">
            <h2 id="inbox-title">{move || state.t("inbox.title")}</h2>
            <p>
                {move || {
                    let db = sync.config.with(|c| c.as_ref().map(|c| c.db.clone())).unwrap_or_else(|| "…".into());
                    state.tf("inbox.intro", &[("db", db)])
                }}
            </p>
            <Show when=configured fallback=move || view! { <p class="hint">{move || state.t("inbox.need_server")}</p> }>
                <Show
                    when=ready
                    fallback=move || {
                        view! {
                            <p class="hint">{move || state.t("inbox.setup.help")}</p>
                            <div class="actions">
                                <button
                                    type="button"
                                    class="primary"
                                    disabled=move || sync.setting_up.get()
                                    on:click=move |_| sync.set_up_inbox(false)
                                >
                                    {move || state.t("inbox.setup")}
                                </button>
                            </div>
                        }
                    }
                >
                    <p class="hint">
                        {move || {
                            let lang = state.lang.get();
                            let made = sync
                                .keys
                                .with(|k| k.as_ref().and_then(|k| k.current().map(|k| k.created)))
                                .map(|at| i18n::datetime(lang, at, web::local_offset()))
                                .unwrap_or_default();
                            i18n::tf(lang, "inbox.on", &[("when", made)])
                        }}
                    </p>
                    <Arrivals/>
                    <CardLinks/>
                    <details class="replace-key">
                        <summary>{move || state.t("inbox.replace.summary")}</summary>
                        <p class="hint">{move || state.t("inbox.replace.help")}</p>
                        <button
                            type="button"
                            class="danger"
                            disabled=move || sync.setting_up.get()
                            on:click=move |_| replace_open.set(true)
                        >
                            {move || state.t("inbox.replace")}
                        </button>
                    </details>
                </Show>
            </Show>
            <ConfirmDialog
                open=replace_open
                title="inbox.replace.title"
                body="inbox.replace.body"
                confirm="inbox.replace"
                on_confirm=Callback::new(move |()| sync.set_up_inbox(true))
            />
        </section>
    }
}

/// Touchpoints a card link may be for.
const TOUCHPOINTS: &[&str] = &["qr", "website", "receipt", "message"];

/// An address made absolute against the app's own (a server given as `/couchdb`).
fn absolute(address: &str) -> Option<String> {
    let here = web_sys::window()?.location().href().ok()?;
    let url = web_sys::Url::new_with_base(address, &here).ok()?;
    url.set_hash("");
    url.set_search("");
    Some(url.href())
}

/// Copies text to the clipboard; false where the browser refuses.
fn copy(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).ok();
    let write = clipboard
        .as_ref()
        .and_then(|c| js_sys::Reflect::get(c, &"writeText".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (clipboard, write) {
        (Some(c), Some(f)) => f.call1(&c, &text.into()).is_ok(),
        _ => false,
    }
}

/// How many cards came through card links in the last hour and day, per branch, and a warning
/// when the last hour is far past the usual rate.
#[component]
fn Arrivals() -> impl IntoView {
    let state = use_state();
    let sync = use_sync();
    let rates = Memo::new(move |_| {
        let branches = state.settings().branches;
        sync.arrivals
            .with(|a| a.rates(chrono::Utc::now(), &branches))
    });
    let name = move |branch: &str| {
        if branch.is_empty() {
            return state.t("inbox.arrivals.other").to_owned();
        }
        let persian = state.lang.get() == Lang::Fa;
        state.data.with(|d| {
            d.settings
                .as_ref()
                .map_or(branch, |s| s.branch_label(branch, persian))
                .to_owned()
        })
    };
    view! {
        <section class="arrivals" aria-labelledby="arrivals-title">
            <h3 id="arrivals-title">{move || state.t("inbox.arrivals.title")}</h3>
            {move || {
                let lang = state.lang.get();
                let rates = rates.get();
                if rates.is_empty() {
                    return view! { <p class="hint">{move || state.t("inbox.arrivals.none")}</p> }.into_any();
                }
                let warnings: Vec<_> = rates
                    .iter()
                    .filter(|r| r.burst)
                    .map(|r| {
                        let text = i18n::tf(
                            lang,
                            "inbox.arrivals.burst",
                            &[
                                ("branch", i18n::isolate(&name(&r.branch))),
                                ("count", i18n::int(lang, u64::from(r.last_hour))),
                                ("times", i18n::int(lang, u64::from(arrivals::BURST_TIMES))),
                            ],
                        );
                        view! { <p class="field-error burst" role="alert">{text}</p> }
                    })
                    .collect();
                let rows: Vec<_> = rates
                    .iter()
                    .map(|r| {
                        view! {
                            <tr class:burst=r.burst>
                                <th scope="row" dir="auto">{name(&r.branch)}</th>
                                <td>{i18n::int(lang, u64::from(r.last_hour))}</td>
                                <td>{i18n::int(lang, u64::from(r.last_day))}</td>
                                <td>{i18n::decimal(lang, r.usual, 1)}</td>
                            </tr>
                        }
                    })
                    .collect();
                view! {
                    {warnings}
                    <table class="counts arrivals">
                            <thead>
                                <tr>
                                    <th scope="col">{state.t("inbox.arrivals.branch")}</th>
                                    <th scope="col">{state.t("inbox.arrivals.last_hour")}</th>
                                    <th scope="col">{state.t("inbox.arrivals.last_day")}</th>
                                    <th scope="col">{state.t("inbox.arrivals.usual")}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

/// The link customers' phones open for a branch, a touchpoint and a card, its QR code, and a
/// poster to print.
#[component]
fn CardLinks() -> impl IntoView {
    let state = use_state();
    let sync = use_sync();
    let branches = move || state.settings().branches;
    let branch = RwSignal::new(branches().first().cloned().unwrap_or_default());
    let touchpoint = RwSignal::new(TOUCHPOINTS[0].to_owned());
    let templates = Signal::derive(move || {
        all_templates(state)
            .into_iter()
            .filter(|t| !t.archived)
            .collect::<Vec<_>>()
    });
    // The card the designer's link names (`#/settings/sync?card=…`), else the first.
    let asked = crate::router::query_param("card")
        .and_then(|c| uuid::Uuid::parse_str(&c).ok())
        .filter(|id| templates.with_untracked(|t| t.iter().any(|t| t.meta.id == *id)));
    if asked.is_some() {
        web::focus_after_start("#link-card".into());
    }
    let card =
        RwSignal::new(asked.or_else(|| templates.with_untracked(|t| t.first().map(|t| t.meta.id))));
    let paper = RwSignal::new("A6".to_owned());

    let link = Memo::new(move |_| {
        let (config, keys) = (sync.config.get()?, sync.keys.get()?);
        let inbox = absolute(&format!(
            "{}/{}",
            config.server.trim_end_matches('/'),
            fetch::urlencode(&inbox::inbox_name(&config.db))
        ))?;
        let link = CardLink {
            inbox: inbox.trim_end_matches('/').to_owned(),
            pin: card_link::fingerprint(&keys.public()?),
            branch: branch.get(),
            touchpoint: touchpoint.get(),
            template: card.get()?,
        };
        Some(link.url(&absolute("./card.html")?))
    });
    // A link for a card not yet stored (the built-in one) stores it, so that it is published.
    Effect::new(move |_| {
        let Some(id) = card.get() else { return };
        let stored = state.data.with_untracked(|d| d.templates.contains_key(&id));
        if !stored {
            if let Some(t) =
                templates.with_untracked(|ts| ts.iter().find(|t| t.meta.id == id).cloned())
            {
                let _ = state.save(Record::Template(t));
            }
        }
    });
    let qr = Memo::new(move |_| {
        let lang = state.lang.get();
        link.get()
            .map(|l| Qr::new(&l).map(|q| q.svg(i18n::t(lang, "links.qr"))).ok())
    });
    let on_copy = move |_| {
        let Some(text) = link.get_untracked() else {
            return;
        };
        if copy(&text) {
            state.notify(Tone::Success, state.t("links.copied"));
        } else {
            web::select_text("#card-link");
            state.notify(Tone::Info, state.t("links.copy_failed"));
        }
    };
    let print = move |_| {
        web::print_only("section.poster");
    };
    let poster_lines = move |lang: Lang| {
        let persian = lang == Lang::Fa;
        let (name, place) = state.data.with(|d| {
            d.settings.as_ref().map_or_else(Default::default, |s| {
                (
                    s.business_name_in(persian).to_owned(),
                    s.branch_label(&branch.get(), persian).to_owned(),
                )
            })
        });
        (
            name,
            place,
            i18n::t(lang, "links.poster.invite"),
            i18n::t(lang, "links.poster.scan"),
        )
    };

    view! {
        <h3>{move || state.t("links.title")}</h3>
        <p class="hint">{move || state.t("links.help")}</p>
        <div class="grid-fields two">
            <div class="field">
                <label for="link-branch">{move || state.t("links.branch")}</label>
                <select id="link-branch" on:change=move |ev| branch.set(event_target_value(&ev))>
                    {move || {
                        let persian = state.lang.get() == Lang::Fa;
                        let settings = state.settings();
                        let mut list = branches();
                        // A business without branches: the link names none.
                        if list.is_empty() {
                            list.push(String::new());
                        }
                        list
                            .into_iter()
                            .map(|b| {
                                let label = if b.is_empty() {
                                    i18n::t(state.lang.get(), "links.no_branch").to_owned()
                                } else {
                                    settings.branch_label(&b, persian).to_owned()
                                };
                                let selected = branch.get_untracked() == b;
                                view! { <option value=b selected=selected>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="link-touchpoint">{move || state.t("links.touchpoint")}</label>
                <select id="link-touchpoint" on:change=move |ev| touchpoint.set(event_target_value(&ev))>
                    {move || {
                        let lang = state.lang.get();
                        TOUCHPOINTS
                            .iter()
                            .map(|p| {
                                let selected = touchpoint.get_untracked() == *p;
                                view! { <option value=*p selected=selected>{i18n::touchpoint(lang, (*p).to_owned())}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="link-card">{move || state.t("links.card")}</label>
                <select
                    id="link-card"
                    on:change=move |ev| card.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok())
                >
                    <TemplateOptions templates=templates selected=card/>
                </select>
            </div>
        </div>
        <div class="field">
            <label for="card-link">{move || state.t("links.link")}</label>
            <input id="card-link" type="url" dir="ltr" readonly prop:value=move || link.get().unwrap_or_default()/>
        </div>
        <div class="actions">
            <button type="button" class="secondary" on:click=on_copy disabled=move || link.with(Option::is_none)>
                {move || state.t("links.copy")}
            </button>
            <div class="field inline">
                <label for="poster-paper">{move || state.t("links.paper")}</label>
                <select id="poster-paper" on:change=move |ev| paper.set(event_target_value(&ev))>
                    <option value="A6" selected=true>"A6"</option>
                    <option value="A4">"A4"</option>
                </select>
            </div>
            <button type="button" class="primary" on:click=print disabled=move || qr.with(|q| q.as_ref().is_none_or(Option::is_none))>
                {move || state.t("links.print")}
            </button>
        </div>
        {move || match qr.get() {
            Some(Some(svg)) => view! { <div class="qr" inner_html=svg></div> }.into_any(),
            Some(None) => view! { <p class="field-error" role="alert">{move || state.t("links.too_long")}</p> }.into_any(),
            None => ().into_any(),
        }}
        // The poster, in both languages: printed on its own (its paper size is its named page).
        <section class="poster" class:a4=move || paper.get() == "A4" aria-hidden="true">
            {move || {
                let (en, fa) = (poster_lines(Lang::En), poster_lines(Lang::Fa));
                let svg = qr.get().flatten().unwrap_or_default();
                let place = |p: &str| (!p.is_empty()).then(|| format!(" · {p}"));
                let fa_name = (!fa.0.is_empty() && fa.0 != en.0).then_some(fa.0);
                view! {
                    <p class="poster-business" lang="en" dir="ltr">{en.0}</p>
                    {fa_name.map(|n| view! { <p class="poster-business" lang="fa" dir="rtl">{n}</p> })}
                    <p class="poster-invite" lang="en" dir="ltr">{en.2}</p>
                    <p class="poster-invite" lang="fa" dir="rtl">{fa.2}</p>
                    <div class="poster-qr" inner_html=svg></div>
                    <p class="poster-scan" lang="en" dir="ltr">{en.3} {place(&en.1)}</p>
                    <p class="poster-scan" lang="fa" dir="rtl">{fa.3} {place(&fa.1)}</p>
                }
            }}
        </section>
    }
}
