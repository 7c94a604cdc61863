//! The feedback register: a quick form for a new item, and the inbox of every item with filters,
//! search, counts and sorting. Overdue items and items logged after the day they happened stand
//! out.

use chrono::{DateTime, NaiveTime, Utc};
use leptos::{html, prelude::*};
use uuid::Uuid;

use super::{calendar, duration, link, me, settings, FeedbackTabs};
use crate::{
    components::date_field::{DateField, DateInput},
    domain::{
        card::{self, Contact},
        digits,
        feedback::{Channel, FeedbackItem, FeedbackKind, Status},
        rater::Dimension,
        sla, text, Meta, Record,
    },
    i18n::{self, Lang},
    router::{go, Route},
    state::{use_state, Tone},
    web,
};

/// Items shown at first, and added by each "Show more".
const PAGE: usize = 50;

/// Which items the status filter keeps.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StatusFilter {
    Open,
    All,
    Only(Status),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    Oldest,
    Newest,
    Due,
}

/// The filters, as chosen.
#[derive(Clone, Copy)]
struct Filters {
    search: RwSignal<String>,
    kind: RwSignal<Option<FeedbackKind>>,
    status: RwSignal<StatusFilter>,
    channel: RwSignal<Option<Channel>>,
    dimension: RwSignal<Option<Dimension>>,
    segment: RwSignal<String>,
    assignee: RwSignal<String>,
    overdue: RwSignal<bool>,
    from: DateField,
    to: DateField,
    sort: RwSignal<Sort>,
}

/// The register and inbox.
#[component]
pub fn Inbox() -> impl IntoView {
    let state = use_state();
    let adding = RwSignal::new(false);
    let f = Filters {
        search: RwSignal::new(String::new()),
        kind: RwSignal::new(None),
        status: RwSignal::new(StatusFilter::Open),
        channel: RwSignal::new(None),
        dimension: RwSignal::new(None),
        segment: RwSignal::new(String::new()),
        assignee: RwSignal::new(String::new()),
        overdue: RwSignal::new(false),
        from: DateField::new(),
        to: DateField::new(),
        sort: RwSignal::new(Sort::Oldest),
    };
    let limit = RwSignal::new(PAGE);

    // Every item with what the filters and the list need, worked out once per change.
    let rows = Memo::new(move |_| {
        let cal = calendar(state);
        let s = settings(state);
        let now = Utc::now();
        let offset = cal.offset;
        state.data.with(|d| {
            d.feedback
                .values()
                .map(|item| {
                    let target = s.target_hours(item.kind);
                    let left = item
                        .status
                        .is_open()
                        .then(|| item.time_left(&cal, target, now));
                    Row {
                        id: item.meta.id,
                        created: item.meta.created,
                        day: item.meta.created.with_timezone(&offset).date_naive(),
                        kind: item.kind,
                        status: item.status,
                        channel: item.channel,
                        dimension: item.dimension,
                        segment: item.segment.clone(),
                        assignee: item.assignee.clone(),
                        haystack: format!(
                            "{}\n{}\n{}\n{}\n{}",
                            item.description,
                            item.customer,
                            item.response,
                            item.notes,
                            item.contact
                                .as_ref()
                                .map(|c| c.value.as_str())
                                .unwrap_or("")
                        )
                        .to_lowercase(),
                        left,
                        late: item.logged_late(offset),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let matching = Memo::new(move |_| {
        let needle = digits::normalize(&f.search.get()).trim().to_lowercase();
        let (kind, status, channel, dimension) = (
            f.kind.get(),
            f.status.get(),
            f.channel.get(),
            f.dimension.get(),
        );
        let (segment, assignee, overdue) = (f.segment.get(), f.assignee.get(), f.overdue.get());
        let (from, to) = (f.from.day().ok().flatten(), f.to.day().ok().flatten());
        let mut out: Vec<Row> = rows.with(|rows| {
            rows.iter()
                .filter(|r| {
                    kind.is_none_or(|k| r.kind == k)
                        && match status {
                            StatusFilter::Open => r.status.is_open(),
                            StatusFilter::All => true,
                            StatusFilter::Only(s) => r.status == s,
                        }
                        && channel.is_none_or(|c| r.channel == c)
                        && dimension.is_none_or(|d| r.dimension == Some(d))
                        && (segment.is_empty() || r.segment == segment)
                        && (assignee.is_empty() || r.assignee == assignee)
                        && (!overdue || r.overdue())
                        && from.is_none_or(|d| r.day >= d)
                        && to.is_none_or(|d| r.day <= d)
                        && (needle.is_empty() || r.haystack.contains(&needle))
                })
                .cloned()
                .collect()
        });
        match f.sort.get() {
            Sort::Oldest => out.sort_by_key(|r| (r.created, r.id)),
            Sort::Newest => out.sort_by_key(|r| std::cmp::Reverse((r.created, r.id))),
            Sort::Due => out.sort_by_key(|r| (r.left.is_none(), r.left, r.created)),
        }
        out
    });
    let visible =
        move || matching.with(|m| m.iter().take(limit.get()).cloned().collect::<Vec<_>>());
    let summary = move || {
        let lang = state.lang.get();
        let (n, late) = matching.with(|m| (m.len(), m.iter().filter(|r| r.overdue()).count()));
        i18n::tf(
            lang,
            "fb.summary",
            &[
                ("n", i18n::int(lang, n as u64)),
                ("late", i18n::int(lang, late as u64)),
            ],
        )
    };
    let segments = Memo::new(move |_| settings(state).segments);
    let assignees = Memo::new(move |_| {
        let mut all: Vec<String> = rows.with(|r| {
            r.iter()
                .map(|r| r.assignee.clone())
                .filter(|a| !a.is_empty())
                .collect()
        });
        all.sort();
        all.dedup();
        all
    });
    let count =
        move |keep: &dyn Fn(&Row) -> bool| rows.with(|r| r.iter().filter(|r| keep(r)).count());

    view! {
        <FeedbackTabs current=Route::Feedback/>
        <h1>{move || state.t("nav.feedback")}</h1>
        <p class="lead">{move || state.t("fb.intro")}</p>
        <Show
            when=move || adding.get()
            fallback=move || {
                view! {
                    <button type="button" class="primary" on:click=move |_| adding.set(true)>
                        {move || state.t("fb.new")}
                    </button>
                }
            }
        >
            <NewItem on_close=Callback::new(move |()| adding.set(false))/>
        </Show>
        <fieldset class="panel filters">
            <legend>{move || state.t("fb.filters")}</legend>
            <div class="field">
                <label for="fb-search">{move || state.t("fb.search")}</label>
                <input id="fb-search" type="search" dir="auto" bind:value=f.search/>
            </div>
            <div class="grid-fields">
                <div class="field">
                    <label for="fb-f-kind">{move || state.t("fb.kind")}</label>
                    <select id="fb-f-kind" on:change=move |ev| f.kind.set(FeedbackKind::ALL.into_iter().find(|k| k.code() == event_target_value(&ev)))>
                        <option value="">{move || state.t("fb.any")}</option>
                        {FeedbackKind::ALL
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.code()>
                                        {move || with_count(state.lang.get(), &format!("feedback.kind.{}", k.code()), count(&|r| r.kind == k))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="fb-f-status">{move || state.t("fb.status")}</label>
                    <select
                        id="fb-f-status"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            f.status.set(match v.as_str() {
                                "open" => StatusFilter::Open,
                                "all" => StatusFilter::All,
                                code => Status::ALL
                                    .into_iter()
                                    .find(|s| s.code() == code)
                                    .map_or(StatusFilter::All, StatusFilter::Only),
                            });
                        }
                    >
                        <option value="open">{move || with_count(state.lang.get(), "fb.status.open", count(&|r| r.status.is_open()))}</option>
                        <option value="all">{move || with_count(state.lang.get(), "fb.any", count(&|_| true))}</option>
                        {Status::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.code()>
                                        {move || with_count(state.lang.get(), &format!("feedback.status.{}", s.code()), count(&|r| r.status == s))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="fb-sort">{move || state.t("fb.sort")}</label>
                    <select
                        id="fb-sort"
                        on:change=move |ev| {
                            f.sort.set(match event_target_value(&ev).as_str() {
                                "newest" => Sort::Newest,
                                "due" => Sort::Due,
                                _ => Sort::Oldest,
                            })
                        }
                    >
                        <option value="oldest">{move || state.t("fb.sort.oldest")}</option>
                        <option value="newest">{move || state.t("fb.sort.newest")}</option>
                        <option value="due">{move || state.t("fb.sort.due")}</option>
                    </select>
                </div>
            </div>
            <label class="check" for="fb-f-overdue">
                <input type="checkbox" id="fb-f-overdue" bind:checked=f.overdue/>
                {move || with_count(state.lang.get(), "fb.overdue_only", count(&|r| r.overdue()))}
            </label>
            <details class="more-filters">
                <summary>{move || state.t("fb.more_filters")}</summary>
                <div class="grid-fields">
                <div class="field">
                    <label for="fb-f-channel">{move || state.t("fb.channel")}</label>
                    <select id="fb-f-channel" on:change=move |ev| f.channel.set(Channel::ALL.into_iter().find(|c| c.code() == event_target_value(&ev)))>
                        <option value="">{move || state.t("fb.any")}</option>
                        {Channel::ALL
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <option value=c.code()>
                                        {move || with_count(state.lang.get(), &format!("feedback.channel.{}", c.code()), count(&|r| r.channel == c))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="fb-f-dimension">{move || state.t("fb.dimension")}</label>
                    <select id="fb-f-dimension" on:change=move |ev| f.dimension.set(Dimension::from_code(&event_target_value(&ev)))>
                        <option value="">{move || state.t("fb.any")}</option>
                        {Dimension::ALL
                            .into_iter()
                            .map(|d| view! { <option value=d.code()>{move || state.t(&format!("dimension.{}", d.code()))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="fb-f-segment">{move || state.t("fb.segment")}</label>
                    <select id="fb-f-segment" on:change=move |ev| f.segment.set(event_target_value(&ev))>
                        <option value="">{move || state.t("fb.any")}</option>
                        {move || segments.get().into_iter().map(plain_option).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="fb-f-assignee">{move || state.t("fb.assignee")}</label>
                    <select id="fb-f-assignee" on:change=move |ev| f.assignee.set(event_target_value(&ev))>
                        <option value="">{move || state.t("fb.any")}</option>
                        {move || assignees.get().into_iter().map(plain_option).collect_view()}
                    </select>
                </div>
                <DateInput id="fb-f-from" label="fb.from" field=f.from/>
                <DateInput id="fb-f-to" label="fb.to" field=f.to/>
                </div>
            </details>
        </fieldset>
        <p class="summary" aria-live="polite">{summary}</p>
        <Show when=move || matching.with(Vec::is_empty)>
            <p class="muted">{move || state.t("fb.none")}</p>
        </Show>
        <ul class="feedback-list">
            <For each=visible key=|r| (r.id, r.status, r.left.map(|l| l > 0), r.assignee.clone()) let:row>
                <ItemRow row=row/>
            </For>
        </ul>
        <Show when=move || { matching.with(Vec::len) > limit.get() }>
            <button type="button" class="secondary" on:click=move |_| limit.update(|l| *l += PAGE)>
                {move || state.t("fb.more")}
            </button>
        </Show>
    }
}

/// An option whose value is its text.
fn plain_option(text: String) -> impl IntoView {
    let value = text.clone();
    view! { <option value=value>{text}</option> }
}

/// "Complaint (12)": an option with how many items it would keep.
fn with_count(lang: Lang, key: &str, n: usize) -> String {
    format!("{} ({})", i18n::t(lang, key), i18n::int(lang, n as u64))
}

/// What the inbox needs of one item.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: Uuid,
    created: DateTime<Utc>,
    /// The local day it was logged.
    day: chrono::NaiveDate,
    kind: FeedbackKind,
    status: Status,
    channel: Channel,
    dimension: Option<Dimension>,
    segment: String,
    assignee: String,
    /// Lower-cased text searched in.
    haystack: String,
    /// Working seconds left on the target, for open items.
    left: Option<i64>,
    late: bool,
}

impl Row {
    fn overdue(&self) -> bool {
        self.left.is_some_and(|l| l < 0)
    }
}

/// One item in the inbox.
#[component]
fn ItemRow(row: Row) -> impl IntoView {
    let state = use_state();
    let item = state
        .data
        .with_untracked(|d| d.feedback.get(&row.id).cloned());
    let Some(item) = item else {
        return ().into_any();
    };
    let excerpt: String = item.description.chars().take(140).collect();
    let more = item.description.chars().count() > 140;
    let heading = format!("fb-{}", row.id);
    let labelled_by = heading.clone();
    let (kind, status, channel) = (row.kind, row.status, row.channel);
    let (left, late, overdue) = (row.left, row.late, row.overdue());
    let created = row.created;
    let customer = item.customer.clone();
    let assignee = row.assignee.clone();
    view! {
        <li class=if overdue { "panel feedback-item overdue" } else { "panel feedback-item" } aria-labelledby=labelled_by>
            <p class="badges">
                <span class=format!("badge kind-{}", kind.code())>{move || state.t(&format!("feedback.kind.{}", kind.code()))}</span>
                " "
                <span class="badge status">{move || state.t(&format!("feedback.status.{}", status.code()))}</span>
                {overdue.then(|| view! { " " <span class="badge danger">{move || state.t("fb.overdue")}</span> })}
                {late.then(|| view! { " " <span class="badge">{move || state.t("fb.late")}</span> })}
            </p>
            <h2 id=heading class="item-title">
                <a href=link(row.id) dir="auto">{excerpt}{more.then_some("…")}</a>
            </h2>
            <p class="muted small">
                {move || state.t(&format!("feedback.channel.{}", channel.code()))}
                " · "
                {move || i18n::datetime(state.lang.get(), created, web::local_offset())}
                {(!customer.is_empty()).then(|| view! { " · " <span dir="auto">{customer.clone()}</span> })}
                {(!assignee.is_empty()).then(|| {
                    let a = assignee.clone();
                    view! { " · " {move || state.tf("fb.assigned_to", &[("name", a.clone())])} }
                })}
                {left.map(|l| {
                    view! {
                        " · "
                        {move || {
                            let lang = state.lang.get();
                            if l < 0 {
                                i18n::tf(lang, "fb.over_by", &[("time", duration(lang, l))])
                            } else {
                                i18n::tf(lang, "fb.left", &[("time", duration(lang, l))])
                            }
                        }}
                    }
                })}
            </p>
        </li>
    }
    .into_any()
}

/// The form that registers a new item. Kind is focused first; the rest can be filled and saved
/// with the keyboard alone.
#[component]
fn NewItem(
    /// Closes the form.
    on_close: Callback<()>,
) -> impl IntoView {
    let state = use_state();
    let lang = state.lang.get_untracked();
    let kind = RwSignal::new(FeedbackKind::Complaint);
    let channel = RwSignal::new(Channel::Phone);
    let dimension = RwSignal::new(None::<Dimension>);
    let segment = RwSignal::new(String::new());
    let customer = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let description = RwSignal::new(String::new());
    let now = Utc::now().with_timezone(&web::local_offset());
    let day = DateField::with_day(lang, now.date_naive());
    let time = RwSignal::new(i18n::digits_in(lang, &now.format("%H:%M").to_string()));
    let error = RwSignal::new(None::<&'static str>);
    let first = NodeRef::<html::Select>::new();
    Effect::new(move |_| {
        if let Some(el) = first.get() {
            let _ = el.focus();
        }
    });
    let segments = Memo::new(move |_| settings(state).segments);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = state.lang.get_untracked();
        let text = description.get_untracked();
        if text.trim().is_empty() {
            error.set(Some("fb.error.description"));
            return;
        }
        let occurred = match (day.day(), sla::parse_time(&time.get_untracked())) {
            (Ok(Some(d)), Some(minutes)) => {
                let t = NaiveTime::from_hms_opt(
                    u32::from(minutes.min(1439) / 60),
                    u32::from(minutes.min(1439) % 60),
                    0,
                )
                .unwrap_or(NaiveTime::MIN);
                d.and_time(t)
                    .and_local_timezone(web::local_offset())
                    .single()
                    .map(|t| t.with_timezone(&Utc))
            }
            _ => None,
        };
        let Some(occurred) = occurred.filter(|o| *o <= Utc::now() + chrono::Duration::minutes(5))
        else {
            error.set(Some("fb.error.when"));
            return;
        };
        let typed_contact = contact.get_untracked().trim().to_owned();
        if !typed_contact.is_empty()
            && !card::is_phone(&typed_contact)
            && !card::is_email(&typed_contact)
        {
            error.set(Some("fb.error.contact"));
            return;
        }
        if text::check("customer", &customer.get_untracked(), text::SHORT).is_err() {
            error.set(Some("fb.error.customer"));
            return;
        }
        let now = Utc::now();
        let item = FeedbackItem {
            meta: Meta::new(now),
            kind: kind.get_untracked(),
            channel: channel.get_untracked(),
            dimension: dimension.get_untracked(),
            segment: segment.get_untracked(),
            customer: customer.get_untracked().trim().to_owned(),
            contact: (!typed_contact.is_empty()).then(|| Contact {
                value: typed_contact,
                consent: consent.get_untracked(),
            }),
            description: text.trim().to_owned(),
            occurred,
            status: Status::New,
            assignee: String::new(),
            response: String::new(),
            notes: String::new(),
            history: Vec::new(),
            card: None,
            follow_up: None,
        }
        .register(&me(), now);
        if let Err(e) = item.validate() {
            state.notify(Tone::Error, i18n::t(lang, e.message_key()));
            return;
        }
        let id = item.meta.id;
        if state.save(Record::Feedback(item)).is_ok() {
            state.notify_next(Tone::Success, i18n::t(lang, "fb.saved"));
            on_close.run(());
            go(&link(id));
        }
    };

    view! {
        <form class="panel new-feedback" on:submit=save novalidate aria-labelledby="fb-new-heading">
            <h2 id="fb-new-heading">{move || state.t("fb.new.title")}</h2>
            <div class="grid-fields two">
                <div class="field">
                    <label for="fb-kind">{move || state.t("fb.kind")}</label>
                    <select
                        id="fb-kind"
                        node_ref=first
                        on:change=move |ev| {
                            if let Some(k) = FeedbackKind::ALL.into_iter().find(|k| k.code() == event_target_value(&ev)) {
                                kind.set(k);
                            }
                        }
                    >
                        {FeedbackKind::ALL
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.code() selected=move || kind.get() == k>
                                        {move || state.t(&format!("feedback.kind.{}", k.code()))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="fb-channel">{move || state.t("fb.channel")}</label>
                    <select
                        id="fb-channel"
                        on:change=move |ev| {
                            if let Some(c) = Channel::ALL.into_iter().find(|c| c.code() == event_target_value(&ev)) {
                                channel.set(c);
                            }
                        }
                    >
                        {Channel::ALL
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <option value=c.code() selected=move || channel.get() == c>
                                        {move || state.t(&format!("feedback.channel.{}", c.code()))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="fb-description">{move || state.t("fb.description")}</label>
                <textarea id="fb-description" rows="4" maxlength="5000" dir="auto" bind:value=description></textarea>
            </div>
            <div class="grid-fields">
                <DateInput id="fb-day" label="fb.when" field=day/>
                <div class="field field-number">
                    <label for="fb-time">{move || state.t("fb.time")}</label>
                    <input id="fb-time" type="text" inputmode="numeric" dir="ltr" maxlength="5" bind:value=time/>
                </div>
                <div class="field">
                    <label for="fb-dimension">{move || state.t("fb.dimension")}</label>
                    <select id="fb-dimension" on:change=move |ev| dimension.set(Dimension::from_code(&event_target_value(&ev)))>
                        <option value="">{move || state.t("fb.none_chosen")}</option>
                        {Dimension::ALL
                            .into_iter()
                            .map(|d| view! { <option value=d.code()>{move || state.t(&format!("dimension.{}", d.code()))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="fb-segment">{move || state.t("fb.segment")}</label>
                    <select id="fb-segment" on:change=move |ev| segment.set(event_target_value(&ev))>
                        <option value="">{move || state.t("fb.none_chosen")}</option>
                        {move || segments.get().into_iter().map(plain_option).collect_view()}
                    </select>
                </div>
            </div>
            <div class="grid-fields two">
                <div class="field">
                    <label for="fb-customer">{move || state.t("fb.customer")}</label>
                    <input id="fb-customer" type="text" maxlength="200" dir="auto" bind:value=customer/>
                </div>
                <div class="field">
                    <label for="fb-contact">{move || state.t("fb.contact")}</label>
                    <input id="fb-contact" type="text" maxlength="200" dir="ltr" inputmode="email" bind:value=contact/>
                </div>
            </div>
            <label class="check" for="fb-consent">
                <input type="checkbox" id="fb-consent" bind:checked=consent/>
                {move || state.t("fb.consent")}
            </label>
            {move || error.get().map(|key| view! { <p class="field-error" role="alert">{state.t(key)}</p> })}
            <div class="actions">
                <button type="submit" class="primary">{move || state.t("fb.save")}</button>
                <button type="button" class="ghost" on:click=move |_| on_close.run(())>{move || state.t("fb.cancel")}</button>
            </div>
        </form>
    }
}
