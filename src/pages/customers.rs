//! The Customers screens: everyone who left a contact on a card or a feedback item, one profile
//! each, searchable and filtered; possible duplicates offered for a person to merge or keep
//! apart; and a profile with every card, item and follow-up call on one timeline, where the
//! customer's data is exported or erased everywhere.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    components::{
        confirm_dialog::ConfirmDialog, contact_link::ContactLink, data_table::DataTable,
        text_options::TextOptions,
    },
    domain::{
        card,
        customer::{self, Customer, Summary},
        metrics::OVERALL,
        text, Kind, Record,
    },
    i18n::{self, Lang},
    router::{go, query_param, Route},
    state::{use_state, AppState, Tone},
    web,
};

/// The name to show: the customer's, or a stand-in when none was given.
fn display_name(lang: Lang, c: &Customer) -> String {
    if c.name.is_empty() {
        i18n::t(lang, "cust.unnamed").to_owned()
    } else {
        c.name.clone()
    }
}

/// The contacts to show: hidden for a customer without consent when Settings says so.
fn shown_contacts(state: AppState, c: &Customer) -> Option<String> {
    if state.settings().hide_unconsented && !c.may_contact() {
        return None;
    }
    let lang = state.lang.get();
    let shown: Vec<String> = c
        .contacts
        .iter()
        .map(|x| {
            if card::is_phone(x) {
                i18n::digits_in(lang, x)
            } else {
                x.clone()
            }
        })
        .collect();
    Some(shown.join(i18n::t(lang, "list.separator")))
}

/// Their mean overall satisfaction and what it rests on, or a dash without cards.
fn mean_of(lang: Lang, s: &Summary) -> String {
    match s.satisfaction() {
        (Some(mean), n) => i18n::tf(
            lang,
            "cust.mean_of",
            &[
                ("mean", i18n::decimal(lang, mean, 1)),
                ("n", i18n::int(lang, n as u64)),
            ],
        ),
        (None, _) => "–".to_owned(),
    }
}

fn link(id: Uuid) -> String {
    format!("{}?id={id}", Route::CustomerProfile.href())
}

/// The satisfaction filter of the list.
#[derive(Clone, Copy, PartialEq)]
enum Mood {
    Any,
    Satisfied,
    Dissatisfied,
}

/// The last-contact filter of the list: heard from within so many days, or not for so many.
const LAST_CONTACT: [(&str, Option<(bool, i64)>); 6] = [
    ("", None),
    ("within-30", Some((true, 30))),
    ("within-90", Some((true, 90))),
    ("within-365", Some((true, 365))),
    ("before-90", Some((false, 90))),
    ("before-365", Some((false, 365))),
];

/// The customers list's column headings.
// Who, and how satisfied and how much is open, first: what a phone shows without scrolling.
const COLUMNS: &[&str] = &[
    "cust.name",
    "cust.satisfaction",
    "cust.open_complaints",
    "cust.records.title",
    "cust.contact",
    "cust.segments",
    "cust.last",
];

/// Every customer, with search, filters and the possible duplicates.
#[component]
pub fn CustomerList() -> impl IntoView {
    let state = use_state();
    let search = RwSignal::new(String::new());
    let segment = RwSignal::new(String::new());
    let mood = RwSignal::new(Mood::Any);
    let open_only = RwSignal::new(false);
    let last_contact = RwSignal::new(None::<(bool, i64)>);
    let today = web::today();
    let summaries = Memo::new(move |_| state.data.with(customer::summaries));
    let segments = Memo::new(move |_| state.settings().segments);
    let rows = Memo::new(move |_| {
        let needle = customer::name_key(&search.get());
        // Digits typed match a phone number however it was written: a leading 0 is dropped
        // as phone numbers are kept with their country code.
        let digits = crate::domain::digits::normalize(&search.get())
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .trim_start_matches('0')
            .to_owned();
        let (seg, mood, open_only) = (segment.get(), mood.get(), open_only.get());
        let offset = web::local_offset();
        // Heard from within `days` (counting today) or not since before that.
        let heard = move |last: Option<chrono::DateTime<chrono::Utc>>| match last_contact.get() {
            None => true,
            Some((within, days)) => {
                let ago = last.map(|t| (today - t.with_timezone(&offset).date_naive()).num_days());
                if within {
                    ago.is_some_and(|a| a < days)
                } else {
                    ago.is_none_or(|a| a >= days)
                }
            }
        };
        summaries.with(|sums| {
            state.data.with(|d| {
                let mut rows: Vec<(Customer, Summary)> =
                    d.customers
                        .values()
                        .filter(|c| {
                            needle.is_empty()
                            || customer::name_key(&c.name).contains(&needle)
                            || c.contacts.iter().any(|x| x.to_lowercase().contains(&needle))
                            || (digits.len() >= 3
                                && c.keys().iter().any(|k| {
                                    matches!(k, customer::Key::Phone(p) if p.contains(&digits))
                                }))
                            || customer::name_key(&c.notes).contains(&needle)
                        })
                        .filter(|c| seg.is_empty() || c.segments.contains(&seg))
                        .filter_map(|c| {
                            let s = sums.get(&c.meta.id).cloned().unwrap_or_default();
                            let mean = s.satisfaction().0;
                            let keep = match mood {
                                Mood::Any => true,
                                Mood::Satisfied => mean.is_some_and(|m| m >= 4.0),
                                Mood::Dissatisfied => mean.is_some_and(|m| m <= 2.0),
                            } && (!open_only || s.open_complaints > 0)
                                && heard(s.last);
                            keep.then(|| (c.clone(), s))
                        })
                        .collect();
                rows.sort_by(|a, b| b.1.last.cmp(&a.1.last).then(a.0.name.cmp(&b.0.name)));
                rows
            })
        })
    });
    view! {
        <h1>{move || state.t("nav.customers")}</h1>
        <Duplicates/>
        <fieldset class="panel filters">
            <legend>{move || state.t("cust.filters")}</legend>
            <div class="grid-fields">
                <div class="field">
                    <label for="cust-search">{move || state.t("cust.search")}</label>
                    <input id="cust-search" type="search" bind:value=search/>
                </div>
                <div class="field">
                    <label for="cust-segment">{move || state.t("cust.segment")}</label>
                    <select id="cust-segment" on:change=move |ev| segment.set(event_target_value(&ev))>
                        <option value="">{move || state.t("dash.all")}</option>
                        <TextOptions values=segments selected=segment/>
                    </select>
                </div>
                <div class="field">
                    <label for="cust-mood">{move || state.t("cust.satisfaction")}</label>
                    <select
                        id="cust-mood"
                        on:change=move |ev| {
                            mood.set(match event_target_value(&ev).as_str() {
                                "satisfied" => Mood::Satisfied,
                                "dissatisfied" => Mood::Dissatisfied,
                                _ => Mood::Any,
                            })
                        }
                    >
                        <option value="">{move || state.t("dash.all")}</option>
                        <option value="satisfied">{move || state.t("cust.satisfied")}</option>
                        <option value="dissatisfied">{move || state.t("cust.dissatisfied")}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="cust-last">{move || state.t("cust.last")}</label>
                    <select
                        id="cust-last"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            last_contact.set(LAST_CONTACT.iter().find(|(c, _)| *c == v).and_then(|(_, w)| *w));
                        }
                    >
                        {LAST_CONTACT
                            .iter()
                            .map(|(code, _)| {
                                let key = if code.is_empty() { "dash.all".to_owned() } else { format!("cust.last.{code}") };
                                view! { <option value=*code>{move || state.t(&key)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" bind:checked=open_only/>
                    {move || state.t("cust.open_only")}
                </label>
            </div>
        </fieldset>
        <p class="muted" role="status">
            {move || state.tf("cust.count", &[("n", i18n::int(state.lang.get(), rows.with(Vec::len) as u64))])}
        </p>
        {move || {
            let l = state.lang.get();
            if rows.with(Vec::is_empty) {
                return view! { <p class="empty">{i18n::t(l, "cust.none")}</p> }.into_any();
            }
            let body = rows
                .get()
                .into_iter()
                .map(|(c, s)| {
                    let records = i18n::tf(
                        l,
                        "cust.records",
                        &[("cards", i18n::int(l, s.cards.len() as u64)), ("items", i18n::int(l, s.items.len() as u64))],
                    );
                    view! {
                        <tr>
                            <th scope="row"><a href=link(c.meta.id) dir="auto">{display_name(l, &c)}</a></th>
                            <td>{mean_of(l, &s)}</td>
                            <td>{i18n::int(l, s.open_complaints as u64)}</td>
                            <td>{records}</td>
                            <td dir="ltr" class="contact">{shown_contacts(state, &c).unwrap_or_else(|| i18n::t(l, "cust.hidden").to_owned())}</td>
                            <td dir="auto">{c.segments.join(i18n::t(l, "list.separator"))}</td>
                            <td>{s.last.map(|t| i18n::date(l, t.with_timezone(&web::local_offset()).date_naive())).unwrap_or_default()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <DataTable id="customers-table" caption="nav.customers" columns=COLUMNS>
                    {body}
                </DataTable>
            }
                .into_any()
        }}
    }
}

/// Pairs that may be one person, each with a way to merge them or keep them apart.
#[component]
fn Duplicates() -> impl IntoView {
    let state = use_state();
    let pairs = Memo::new(move |_| {
        state
            .data
            .with(|d| customer::possible_duplicates(&d.customers))
    });
    let merge = move |keep: Uuid, other: Uuid| {
        let Some((a, b)) = state.data.with_untracked(|d| {
            Some((
                d.customers.get(&keep)?.clone(),
                d.customers.get(&other)?.clone(),
            ))
        }) else {
            return;
        };
        let merged = customer::merge(&a, &b, Utc::now());
        if state.save(Record::Customer(merged)).is_ok()
            && state.delete(Kind::Customer, other).is_ok()
        {
            state.notify(Tone::Success, state.t("cust.merged"));
        }
    };
    let keep_apart = move |a: Uuid, b: Uuid| {
        let Some(mut c) = state.data.with_untracked(|d| d.customers.get(&b).cloned()) else {
            return;
        };
        c.distinct.push(a);
        c.distinct.truncate(customer::MAX_LIST);
        c.meta.updated = Utc::now();
        if state.save(Record::Customer(c)).is_ok() {
            state.notify(Tone::Success, state.t("cust.kept_apart"));
        }
    };
    view! {
        <Show when=move || pairs.with(|p| !p.is_empty())>
            <section class="panel" aria-labelledby="dup-title">
                <h2 id="dup-title">{move || state.t("cust.duplicates")}</h2>
                <p class="hint">{move || state.t("cust.duplicates.hint")}</p>
                <ul class="duplicates">
                    {move || {
                        let l = state.lang.get();
                        pairs
                            .get()
                            .into_iter()
                            .filter_map(|(a, b)| {
                                let (ca, cb) = state.data.with(|d| Some((d.customers.get(&a)?.clone(), d.customers.get(&b)?.clone())))?;
                                let describe = move |c: &Customer| {
                                    let contact = shown_contacts(state, c).unwrap_or_else(|| i18n::t(l, "cust.hidden").to_owned());
                                    format!("{}{}{}", display_name(l, c), i18n::t(l, "list.dot.format"), contact)
                                };
                                let label = i18n::tf(l, "cust.pair.format", &[("a", describe(&ca)), ("b", describe(&cb))]);
                                let aria = label.clone();
                                Some(view! {
                                    <li>
                                    <div role="group" aria-label=aria>
                                        <p dir="auto">{label}</p>
                                        <div class="actions">
                                            <button type="button" class="primary" on:click=move |_| merge(a, b)>{i18n::t(l, "cust.merge")}</button>
                                            <button type="button" class="secondary" on:click=move |_| keep_apart(a, b)>{i18n::t(l, "cust.not_same")}</button>
                                        </div>
                                    </div>
                                    </li>
                                })
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}

/// One event on a customer's timeline.
struct Moment {
    at: DateTime<Utc>,
    what: String,
    detail: String,
    href: Option<String>,
}

/// A customer's profile: details, figures, timeline, export and erase.
#[component]
pub fn CustomerProfile() -> impl IntoView {
    let state = use_state();
    let id = query_param("id").and_then(|s| Uuid::parse_str(&s).ok());
    let found =
        Memo::new(move |_| id.and_then(|id| state.data.with(|d| d.customers.get(&id).cloned())));
    view! {
        {move || match found.get() {
            None => view! {
                <h1>{move || state.t("cust.missing.title")}</h1>
                <p>{move || state.t("cust.missing.body")}</p>
                <p><a href=Route::Customers.href()>{move || state.t("cust.back")}</a></p>
            }
                .into_any(),
            Some(c) => view! { <Profile customer=c/> }.into_any(),
        }}
    }
}

#[component]
fn Profile(customer: Customer) -> impl IntoView {
    let state = use_state();
    let id = customer.meta.id;
    let name = RwSignal::new(customer.name.clone());
    let notes = RwSignal::new(customer.notes.clone());
    let chosen = RwSignal::new(customer.segments.clone());
    let error = RwSignal::new(None::<&'static str>);
    let confirm_erase = RwSignal::new(false);
    let summary = Memo::new(move |_| {
        state
            .data
            .with(|d| customer::summaries(d).remove(&id).unwrap_or_default())
    });
    let segments = Memo::new(move |_| {
        let mut all = state.settings().segments;
        for s in chosen.get() {
            if !all.contains(&s) {
                all.push(s);
            }
        }
        all
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut c) = state.data.with_untracked(|d| d.customers.get(&id).cloned()) else {
            return;
        };
        c.name = name.get_untracked().trim().to_owned();
        c.notes = notes.get_untracked();
        c.segments = chosen.get_untracked();
        c.meta.updated = Utc::now();
        if c.validate().is_err() || text::check("name", &c.name, text::SHORT).is_err() {
            error.set(Some("cust.error"));
            return;
        }
        error.set(None);
        if state.save(Record::Customer(c)).is_ok() {
            state.notify(Tone::Success, state.t("cust.saved"));
        }
    };
    let export = move |_| {
        let text = state.data.with_untracked(|d| {
            let Some(c) = d.customers.get(&id) else {
                return String::new();
            };
            // Without consent, and with Settings saying so, the contact stays out of the file too.
            let hide = shown_contacts(state, c).is_none();
            let now = Utc::now();
            let cards: Vec<_> = d
                .cards
                .values()
                .filter(|x| customer::owns_card(c, x))
                .map(|x| {
                    Record::Card(if hide {
                        customer::erased_card(x, now)
                    } else {
                        x.clone()
                    })
                    .to_value()
                })
                .collect();
            let items: Vec<_> = d
                .feedback
                .values()
                .filter(|x| customer::owns_item(c, x))
                .map(|x| {
                    Record::Feedback(if hide {
                        customer::erased_item(x, now)
                    } else {
                        x.clone()
                    })
                    .to_value()
                })
                .collect();
            let mut c = c.clone();
            if hide {
                c.contacts.clear();
            }
            let doc = serde_json::json!({
                "format": "listening-post-customer",
                "exported": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "customer": Record::Customer(c).to_value(),
                "cards": cards,
                "feedback": items,
            });
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        });
        if text.is_empty()
            || web::download(&format!("customer-{id}.json"), "application/json", &text).is_err()
        {
            state.notify(Tone::Error, state.t("dash.export_failed"));
        }
    };
    let sync = crate::sync::device::use_sync();
    let erase = Callback::new(move |()| {
        let now = Utc::now();
        let contacts = state.data.with_untracked(|d| {
            d.customers
                .get(&id)
                .map(|c| c.contacts.clone())
                .unwrap_or_default()
        });
        let writes: Vec<Record> = state.data.with_untracked(|d| {
            let Some(c) = d.customers.get(&id) else {
                return Vec::new();
            };
            d.cards
                .values()
                .filter(|x| customer::owns_card(c, x))
                .map(|x| Record::Card(customer::erased_card(x, now)))
                .chain(
                    d.feedback
                        .values()
                        .filter(|x| customer::owns_item(c, x))
                        .map(|x| Record::Feedback(customer::erased_item(x, now))),
                )
                .collect()
        });
        // The linked records first, all or none; the profile goes only once they are clean.
        leptos::task::spawn_local(async move {
            let erased = state
                .import(writes, crate::store::Encoding::default(), |_, _| ())
                .await;
            match erased.and_then(|()| state.delete(Kind::Customer, id)) {
                Ok(()) => {
                    // And on the shop's server, beyond what this device keeps.
                    sync.erase_everywhere(contacts);
                    state.notify_next(Tone::Success, state.t("cust.erased"));
                    go(Route::Customers.href());
                }
                Err(e) => state.notify(Tone::Error, state.t(e.message_key())),
            }
        });
    });
    let timeline = move || {
        let l = state.lang.get();
        let offset = web::local_offset();
        let mut moments: Vec<Moment> = Vec::new();
        let s = summary.get();
        state.data.with(|d| {
            for card in s.cards.iter().filter_map(|c| d.cards.get(c)) {
                let rating = card.rating(OVERALL).map(|v| {
                    i18n::tf(
                        l,
                        "rating.label.format",
                        &[
                            ("n", i18n::digits_in(l, &v.to_string())),
                            (
                                "name",
                                i18n::t(l, &format!("scale.satisfaction.{v}")).to_owned(),
                            ),
                        ],
                    )
                });
                moments.push(Moment {
                    at: card.meta.created,
                    what: i18n::t(l, "cust.moment.card").to_owned(),
                    detail: rating.unwrap_or_default(),
                    href: None,
                });
            }
            for item in s.items.iter().filter_map(|i| d.feedback.get(i)) {
                moments.push(Moment {
                    at: item.meta.created,
                    what: i18n::tf(
                        l,
                        "cust.moment.item.format",
                        &[
                            (
                                "kind",
                                i18n::t(l, &format!("feedback.kind.{}", item.kind.code()))
                                    .to_owned(),
                            ),
                            (
                                "status",
                                i18n::t(l, &format!("feedback.status.{}", item.status.code()))
                                    .to_owned(),
                            ),
                        ],
                    ),
                    detail: item.description.chars().take(140).collect(),
                    href: Some(format!(
                        "{}?id={}",
                        Route::FeedbackItem.href(),
                        item.meta.id
                    )),
                });
                if let Some(call) = item.follow_up.as_ref().and_then(|f| f.call.as_ref()) {
                    let how = match (call.reached, call.satisfied) {
                        (false, _) => i18n::t(l, "cust.call.missed").to_owned(),
                        (true, Some(v)) => i18n::tf(
                            l,
                            "cust.call.satisfied",
                            &[("n", i18n::digits_in(l, &v.to_string()))],
                        ),
                        (true, None) => i18n::t(l, "cust.call.reached").to_owned(),
                    };
                    moments.push(Moment {
                        at: call.at,
                        what: i18n::t(l, "cust.moment.call").to_owned(),
                        detail: how,
                        href: None,
                    });
                }
            }
        });
        moments.sort_by_key(|m| std::cmp::Reverse(m.at));
        moments
            .into_iter()
            .map(|m| {
                let when = i18n::datetime(l, m.at, offset);
                view! {
                    <li>
                        <p class="muted small">{when}</p>
                        <p><strong>{m.what}</strong></p>
                        {match m.href {
                            Some(h) => view! { <p><a href=h dir="auto">{m.detail}</a></p> }.into_any(),
                            None => view! { <p dir="auto">{m.detail}</p> }.into_any(),
                        }}
                    </li>
                }
            })
            .collect_view()
    };
    let current = move || state.data.with(|d| d.customers.get(&id).cloned());
    view! {
        <p><a href=Route::Customers.href()>{move || state.t("cust.back")}</a></p>
        <h1 dir="auto">{move || current().map(|c| display_name(state.lang.get(), &c)).unwrap_or_default()}</h1>
        <section class="panel" aria-labelledby="cust-about">
            <h2 id="cust-about">{move || state.t("cust.about")}</h2>
            <dl class="answers">
                <dt>{move || state.t("cust.contact")}</dt>
                <dd class="contact">
                    {move || {
                        let c = current()?;
                        if shown_contacts(state, &c).is_none() {
                            return Some(state.t("cust.hidden").into_any());
                        }
                        let sep = state.t("list.separator");
                        Some(
                            c.contacts
                                .into_iter()
                                .enumerate()
                                .map(|(n, value)| view! { {(n > 0).then_some(sep)} <ContactLink value=value/> })
                                .collect_view()
                                .into_any(),
                        )
                    }}
                </dd>
                <dt>{move || state.t("cust.consent")}</dt>
                <dd>
                    {move || {
                        let l = state.lang.get();
                        match current().and_then(|c| c.consent) {
                            Some(c) => i18n::tf(l, if c.given { "cust.consent.yes" } else { "cust.consent.no" }, &[
                                ("date", i18n::date(l, c.at.with_timezone(&web::local_offset()).date_naive())),
                                ("source", i18n::t(l, &format!("cust.source.{}", c.source)).to_owned()),
                            ]),
                            None => i18n::t(l, "cust.consent.none").to_owned(),
                        }
                    }}
                </dd>
                <dt>{move || state.t("cust.satisfaction")}</dt>
                <dd>
                    {move || summary.with(|s| mean_of(state.lang.get(), s))}
                </dd>
                <dt>{move || state.t("cust.open_items")}</dt>
                <dd>{move || i18n::int(state.lang.get(), summary.with(|s| s.open_items) as u64)}</dd>
            </dl>
        </section>
        <form class="panel" on:submit=save novalidate>
            <h2>{move || state.t("cust.edit")}</h2>
            <div class="field">
                <label for="cust-name">{move || state.t("cust.name")}</label>
                <input id="cust-name" type="text" dir="auto" maxlength="200" bind:value=name/>
            </div>
            <fieldset class="field">
                <legend>{move || state.t("cust.segments")}</legend>
                {move || {
                    let all = segments.get();
                    if all.is_empty() {
                        return view! { <p class="hint">{state.t("cust.no_segments")}</p> }.into_any();
                    }
                    all.into_iter()
                        .map(|s| {
                            let value = s.clone();
                            let checked = chosen.with(|c| c.contains(&s));
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=checked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| {
                                                c.retain(|x| *x != value);
                                                if on {
                                                    c.push(value.clone());
                                                }
                                            });
                                        }
                                    />
                                    <span dir="auto">{s}</span>
                                </label>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </fieldset>
            <div class="field">
                <label for="cust-notes">{move || state.t("cust.notes")}</label>
                <textarea id="cust-notes" dir="auto" rows="3" bind:value=notes></textarea>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get().map(|k| state.t(k)).unwrap_or_default()}</p>
            </Show>
            <div class="actions">
                <button type="submit" class="primary">{move || state.t("cust.save")}</button>
            </div>
        </form>
        <section class="panel" aria-labelledby="cust-timeline">
            <h2 id="cust-timeline">{move || state.t("cust.timeline")}</h2>
            <ol class="timeline">{timeline}</ol>
        </section>
        <section class="panel" aria-labelledby="cust-privacy">
            <h2 id="cust-privacy">{move || state.t("cust.privacy")}</h2>
            <p class="hint">{move || state.t("cust.privacy.hint")}</p>
            <div class="actions">
                <button type="button" class="secondary" on:click=export>{move || state.t("cust.export")}</button>
                <button type="button" class="danger" on:click=move |_| confirm_erase.set(true)>{move || state.t("cust.erase")}</button>
            </div>
        </section>
        <ConfirmDialog
            open=confirm_erase
            title="cust.erase.title"
            body="cust.erase.body"
            confirm="cust.erase.yes"
            on_confirm=erase
        />
    }
}
