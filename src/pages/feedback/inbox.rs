//! The feedback register: a quick form for a new item, and the inbox of every item with filters,
//! search, counts and sorting. Overdue items and items logged after the day they happened stand
//! out.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use uuid::Uuid;

use super::{calendar, duration, form::ItemForm, link, FeedbackTabs};
use crate::{
    components::{
        date_field::{DateField, DateInput},
        text_options::TextOptions,
    },
    domain::{
        digits,
        feedback::{Channel, FeedbackKind, Status},
        rater::Dimension,
    },
    i18n::{self, Lang},
    router::Route,
    state::use_state,
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
    branch: RwSignal<String>,
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
        branch: RwSignal::new(String::new()),
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
        let s = state.settings();
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
                        branch: item.branch.clone(),
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
        let branch = f.branch.get();
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
                        && (branch.is_empty() || r.branch == branch)
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
    let segments = Memo::new(move |_| state.settings().segments);
    // The business's branches and any an item names, so no item is beyond the filter.
    let branches = Memo::new(move |_| {
        let mut all = state.settings().branches;
        rows.with(|r| {
            for row in r {
                if !row.branch.is_empty() && !all.contains(&row.branch) {
                    all.push(row.branch.clone());
                }
            }
        });
        all
    });
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
            <ItemForm on_close=Callback::new(move |()| adding.set(false))/>
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
                        <TextOptions values=segments selected=f.segment/>
                    </select>
                </div>
                <Show when=move || branches.with(|b| !b.is_empty())>
                    <div class="field">
                        <label for="fb-f-branch">{move || state.t("fb.branch")}</label>
                        <select id="fb-f-branch" on:change=move |ev| f.branch.set(event_target_value(&ev))>
                            <option value="">{move || state.t("fb.any")}</option>
                            <TextOptions values=branches selected=f.branch branches=true/>
                        </select>
                    </div>
                </Show>
                <div class="field">
                    <label for="fb-f-assignee">{move || state.t("fb.assignee")}</label>
                    <select id="fb-f-assignee" on:change=move |ev| f.assignee.set(event_target_value(&ev))>
                        <option value="">{move || state.t("fb.any")}</option>
                        <TextOptions values=assignees selected=f.assignee/>
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
    branch: String,
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
                {move || state.t("list.dot.format")}
                {move || i18n::datetime(state.lang.get(), created, web::local_offset())}
                {(!customer.is_empty()).then(|| view! { {move || state.t("list.dot.format")} <span dir="auto">{customer.clone()}</span> })}
                {(!assignee.is_empty()).then(|| {
                    let a = assignee.clone();
                    view! { {move || state.t("list.dot.format")} {move || state.tf("fb.assigned_to", &[("name", a.clone())])} }
                })}
                {left.map(|l| {
                    view! {
                        {move || state.t("list.dot.format")}
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
