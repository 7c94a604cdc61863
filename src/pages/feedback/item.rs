//! One feedback item, handled to closure: its details, the clock against its target, status,
//! assignee, response and internal notes, the follow-up call and its outcome, and the history of
//! every change, which nobody can edit.

use leptos::prelude::*;
use uuid::Uuid;

use super::{calendar, duration, form::ItemForm, me, update, FeedbackTabs};
use crate::{
    components::{contact_link::ContactLink, rating_scale::RatingScale},
    domain::{
        feedback::{Call, Change, Event, FeedbackItem, Status},
        template::{Anchors, Scale},
    },
    i18n::{self, Lang},
    router::{query_param, Route},
    state::{use_state, Tone},
    web,
};

/// The item the address names.
#[component]
pub fn ItemPage() -> impl IntoView {
    let state = use_state();
    let id = query_param("id").and_then(|s| Uuid::parse_str(&s).ok());
    let item =
        Memo::new(move |_| id.and_then(|id| state.data.with(|d| d.feedback.get(&id).cloned())));
    let shown = Memo::new(move |_| item.with(|i| i.as_ref().map(|i| i.meta.id)));
    view! {
        <FeedbackTabs current=Route::FeedbackItem/>
        {move || match shown.get() {
            Some(id) => view! { <Handle id=id item=item/> }.into_any(),
            None => {
                view! {
                    <h1>{move || state.t("fb.item.title")}</h1>
                    <section class="panel">
                        <p>{move || state.t("fb.missing")}</p>
                        <a href=Route::Feedback.href()>{move || state.t("fb.back")}</a>
                    </section>
                }
                    .into_any()
            }
        }}
    }
}

fn name_or_someone(lang: Lang, by: &str) -> String {
    if by.trim().is_empty() {
        i18n::t(lang, "fb.someone").to_owned()
    } else {
        by.to_owned()
    }
}

/// One history line in the reader's language.
fn describe(lang: Lang, change: &Change) -> String {
    let status = |s: Status| i18n::t(lang, &format!("feedback.status.{}", s.code())).to_owned();
    match change {
        Change::Text(t) => t.clone(),
        Change::Event(e) => match e {
            Event::Registered => i18n::t(lang, "fb.h.registered").to_owned(),
            Event::Status { from, to } => i18n::tf(
                lang,
                "fb.h.status",
                &[("from", status(*from)), ("to", status(*to))],
            ),
            Event::Assigned { to } if to.is_empty() => i18n::t(lang, "fb.h.unassigned").to_owned(),
            Event::Assigned { to } => i18n::tf(lang, "fb.h.assigned", &[("name", to.clone())]),
            Event::Response => i18n::t(lang, "fb.h.response").to_owned(),
            Event::Notes => i18n::t(lang, "fb.h.notes").to_owned(),
            Event::Details => i18n::t(lang, "fb.h.details").to_owned(),
            Event::FollowUpScheduled { due } => {
                i18n::tf(lang, "fb.h.scheduled", &[("date", i18n::date(lang, *due))])
            }
            Event::FollowUpLogged { reached: false, .. } => {
                i18n::t(lang, "fb.h.not_reached").to_owned()
            }
            Event::FollowUpLogged {
                satisfied: Some(v), ..
            } => i18n::tf(
                lang,
                "fb.h.called_rated",
                &[("n", i18n::int(lang, u64::from(*v)))],
            ),
            Event::FollowUpLogged { .. } => i18n::t(lang, "fb.h.called").to_owned(),
        },
    }
}

#[component]
fn Handle(id: Uuid, item: Memo<Option<FeedbackItem>>) -> impl IntoView {
    let state = use_state();
    let get = move || item.get();
    let start = item.get_untracked();
    let field =
        |f: fn(&FeedbackItem) -> String| RwSignal::new(start.as_ref().map(f).unwrap_or_default());
    let status = RwSignal::new(start.as_ref().map_or(Status::New, |i| i.status));
    let assignee = field(|i| i.assignee.clone());
    let response = field(|i| i.response.clone());
    let notes = field(|i| i.notes.clone());
    // Another tab (or this one) saved: show what is stored now.
    Effect::new(move |_| {
        if let Some(i) = item.get() {
            status.set(i.status);
            assignee.set(i.assignee.clone());
            response.set(i.response.clone());
            notes.set(i.notes.clone());
        }
    });
    let assignees = Memo::new(move |_| {
        let mut all: Vec<String> = state.data.with(|d| {
            d.feedback
                .values()
                .map(|i| i.assignee.clone())
                .filter(|a| !a.is_empty())
                .collect()
        });
        all.sort();
        all.dedup();
        all
    });

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (to, who, text, internal) = (
            status.get_untracked(),
            assignee.get_untracked(),
            response.get_untracked(),
            notes.get_untracked(),
        );
        let cal = calendar(state);
        let days = state.settings().follow_up_days;
        let by = me();
        let now = chrono::Utc::now();
        let mut no_call = None;
        if update(state, id, |i| {
            i.assign(&who, &by, now);
            i.write(&text, &internal, &by, now);
            if to != i.status {
                i.set_status(to, &by, now, &cal, days)?;
                if to == Status::Resolved && i.follow_up.is_none() {
                    no_call = i.may_call().err();
                }
            }
            Ok(())
        }) {
            let text = match no_call {
                Some(reason) => format!(
                    "{} {}",
                    state.t("fb.updated"),
                    state.t(reason.message_key())
                ),
                None => state.t("fb.updated").to_owned(),
            };
            state.notify(Tone::Success, text);
        }
    };

    let clock = move || {
        let lang = state.lang.get();
        let i = get()?;
        let cal = calendar(state);
        let target = state.settings().target_hours(i.kind);
        let now = chrono::Utc::now();
        let used = i.clock(&cal, now);
        let over = used > i64::from(target) * 3600;
        let text = i18n::tf(
            lang,
            if i.status.is_open() {
                "fb.clock.open"
            } else {
                "fb.clock.closed"
            },
            &[
                ("used", duration(lang, used)),
                ("target", duration(lang, i64::from(target) * 3600)),
            ],
        );
        let due = if i.status.is_open() && i.status != Status::WaitingOnCustomer {
            cal.add(now, i.time_left(&cal, target, now).max(0))
                .filter(|_| !over)
                .map(|t| {
                    i18n::tf(
                        lang,
                        "fb.due_by",
                        &[("time", i18n::datetime(lang, t, cal.offset))],
                    )
                })
        } else {
            None
        };
        Some(view! {
            <p class=if over && i.status.is_open() { "clock overdue" } else { "clock" }>
                {text}
                {(over && i.status.is_open()).then(|| view! { " " <span class="badge danger">{i18n::t(lang, "fb.overdue")}</span> })}
            </p>
            {due.map(|d| view! { <p class="muted">{d}</p> })}
            {(i.status == Status::WaitingOnCustomer).then(|| view! { <p class="muted">{i18n::t(lang, "fb.paused")}</p> })}
        })
    };

    let details = move || {
        let lang = state.lang.get();
        let i = get()?;
        let offset = web::local_offset();
        let row = |key: &str, value: String| {
            view! {
                <dt>{i18n::t(lang, key)}</dt>
                <dd dir="auto">{value}</dd>
            }
        };
        let hide = state.settings().hide_unconsented;
        let contact = i.contact.as_ref().map(|c| {
            let shown = if hide && !c.consent {
                view! { <span>{i18n::t(lang, "cust.hidden")}</span> }.into_any()
            } else {
                let consent = i18n::t(
                    lang,
                    if c.consent {
                        "fb.consent.yes"
                    } else {
                        "fb.consent.no"
                    },
                );
                view! { <ContactLink value=c.value.clone()/> " (" {consent} ")" }.into_any()
            };
            view! {
                <dt>{i18n::t(lang, "fb.contact")}</dt>
                <dd>{shown}</dd>
            }
        });
        Some(view! {
            <dl class="answers">
                {row("fb.channel", i18n::t(lang, &format!("feedback.channel.{}", i.channel.code())).to_owned())}
                {i.dimension.map(|d| row("fb.dimension", i18n::t(lang, &format!("dimension.{}", d.code())).to_owned()))}
                {(!i.segment.is_empty()).then(|| row("fb.segment", i.segment.clone()))}
                {(!i.branch.is_empty()).then(|| row("fb.branch", state.branch_label(&i.branch)))}
                {(!i.customer.is_empty()).then(|| row("fb.customer", i.customer.clone()))}
                {contact}
                {row("fb.when", i18n::datetime(lang, i.occurred, offset))}
                {row("fb.logged", i18n::datetime(lang, i.meta.created, offset))}
                {i.card.map(|c| row("fb.card", c.to_string()))}
            </dl>
            {i.logged_late(offset).then(|| view! { <p class="panel warn">{i18n::t(lang, "fb.late.explain")}</p> })}
        })
    };

    let history = move || {
        let lang = state.lang.get();
        let offset = web::local_offset();
        get().map(|i| {
            i.history
                .iter()
                .rev()
                .map(|h| {
                    view! {
                        <li>
                            <time>{i18n::datetime(lang, h.at, offset)}</time>
                            {move || state.t("list.dot.format")}
                            <span dir="auto">{name_or_someone(lang, &h.by)}</span>
                            {move || state.t("list.dot.format")}
                            <span dir="auto">{describe(lang, &h.change)}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    let editing = RwSignal::new(false);
    let kind_title = move || {
        get().map(|i| {
            state
                .t(&format!("feedback.kind.{}", i.kind.code()))
                .to_owned()
        })
    };

    view! {
        <h1>{kind_title}</h1>
        <p class="badges">
            <span class="badge status">
                {move || get().map(|i| state.t(&format!("feedback.status.{}", i.status.code())).to_owned())}
            </span>
        </p>
        <section class="panel" aria-labelledby="fb-what">
            <h2 id="fb-what">{move || state.t("fb.description")}</h2>
            <p class="description" dir="auto">{move || get().map(|i| i.description)}</p>
            {details}
            {clock}
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| editing.set(true)>
                            {move || state.t("fb.edit")}
                        </button>
                    }
                }
            >
                {move || {
                    item.get_untracked()
                        .map(|i| view! { <ItemForm existing=i on_close=Callback::new(move |()| editing.set(false))/> })
                }}
            </Show>
        </section>
        <form class="panel" on:submit=save novalidate aria-labelledby="fb-handle">
            <h2 id="fb-handle">{move || state.t("fb.handle")}</h2>
            <div class="grid-fields two">
                <div class="field">
                    <label for="fb-status">{move || state.t("fb.status")}</label>
                    {move || {
                        // Built afresh whenever the stored status changes: the choices are the
                        // moves allowed from it.
                        let now = get().map(|i| i.status).unwrap_or(Status::New);
                        view! {
                            <select
                                id="fb-status"
                                on:change=move |ev| {
                                    if let Some(s) = Status::ALL.into_iter().find(|s| s.code() == event_target_value(&ev)) {
                                        status.set(s);
                                    }
                                }
                            >
                                {Status::ALL
                                    .into_iter()
                                    .filter(|s| *s == now || now.can_become(*s))
                                    .map(|s| {
                                        view! {
                                            // The selectedness is a property, not the
                                            // `selected` attribute: once a person has picked an
                                            // option the attribute no longer moves the choice,
                                            // and options reused in place would keep showing
                                            // the old position's status.
                                            <option value=s.code() prop:selected=move || status.get() == s>
                                                {move || state.t(&format!("feedback.status.{}", s.code()))}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        }
                    }}
                </div>
                <div class="field">
                    <label for="fb-assignee">{move || state.t("fb.assignee")}</label>
                    <input id="fb-assignee" type="text" maxlength="200" dir="auto" list="fb-assignees" bind:value=assignee/>
                    <datalist id="fb-assignees">
                        {move || assignees.get().into_iter().map(|a| view! { <option value=a></option> }).collect_view()}
                    </datalist>
                </div>
            </div>
            <div class="field">
                <label for="fb-response">{move || state.t("fb.response")}</label>
                <textarea id="fb-response" rows="3" maxlength="5000" dir="auto" bind:value=response></textarea>
            </div>
            <div class="field">
                <label for="fb-notes">{move || state.t("fb.notes")}</label>
                <textarea id="fb-notes" rows="3" maxlength="5000" dir="auto" aria-describedby="fb-notes-hint" bind:value=notes></textarea>
                <p class="hint" id="fb-notes-hint">{move || state.t("fb.notes.hint")}</p>
            </div>
            <button type="submit" class="primary">{move || state.t("fb.save")}</button>
        </form>
        <FollowUpPanel id=id item=item/>
        <section class="panel" aria-labelledby="fb-history">
            <h2 id="fb-history">{move || state.t("fb.history")}</h2>
            <ol class="history" reversed>{history}</ol>
        </section>
    }
}

/// The follow-up call: when it is due, and a form to log how it went.
#[component]
fn FollowUpPanel(id: Uuid, item: Memo<Option<FeedbackItem>>) -> impl IntoView {
    let state = use_state();
    let logging = RwSignal::new(false);
    let reached = RwSignal::new(true);
    let satisfied = RwSignal::new(None::<u8>);
    let notes = RwSignal::new(String::new());
    let follow_up = move || item.with(|i| i.as_ref().and_then(|i| i.follow_up.clone()));
    let log = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let call = Call {
            at: chrono::Utc::now(),
            by: me(),
            reached: reached.get_untracked(),
            satisfied: reached
                .get_untracked()
                .then(|| satisfied.get_untracked())
                .flatten(),
            notes: notes.get_untracked().trim().to_owned(),
        };
        if update(state, id, |i| i.log_call(call)) {
            logging.set(false);
            state.notify(Tone::Success, state.t("fb.call.logged"));
        }
    };
    // A resolved item with nobody to call says why, so nobody waits for a call that cannot be made.
    let no_call = move || {
        item.with(|i| {
            let i = i.as_ref()?;
            (matches!(i.status, Status::Resolved | Status::Closed) && i.follow_up.is_none())
                .then(|| i.may_call().err())
                .flatten()
        })
    };
    move || {
        let lang = state.lang.get();
        if let Some(reason) = no_call() {
            return Some(
                view! {
                    <section class="panel" aria-labelledby="fb-call">
                        <h2 id="fb-call">{move || state.t("fb.call.title")}</h2>
                        <p class="no-call">{i18n::t(lang, reason.message_key())}</p>
                    </section>
                }
                .into_any(),
            );
        }
        let f = follow_up()?;
        let today = web::today();
        let body = match f.call {
            Some(call) => {
                let outcome = match (call.reached, call.satisfied) {
                    (false, _) => i18n::t(lang, "fb.h.not_reached").to_owned(),
                    (true, Some(v)) => i18n::tf(
                        lang,
                        "fb.h.called_rated",
                        &[("n", i18n::int(lang, u64::from(v)))],
                    ),
                    (true, None) => i18n::t(lang, "fb.h.called").to_owned(),
                };
                view! {
                    <p>
                        {i18n::datetime(lang, call.at, web::local_offset())}
                        {move || state.t("list.dot.format")}
                        <span dir="auto">{name_or_someone(lang, &call.by)}</span>
                        {move || state.t("list.dot.format")}
                        {outcome}
                    </p>
                    {(!call.notes.is_empty()).then(|| view! { <p class="description" dir="auto">{call.notes.clone()}</p> })}
                }
                    .into_any()
            }
            None => {
                let due_text = i18n::tf(lang, "fb.call.due", &[("date", i18n::date(lang, f.due))]);
                let late = f.due < today;
                view! {
                    <p class=if late { "clock overdue" } else { "clock" }>{due_text}</p>
                    <Show
                        when=move || logging.get()
                        fallback=move || {
                            view! {
                                <button type="button" class="primary" on:click=move |_| logging.set(true)>
                                    {move || state.t("fb.call.log")}
                                </button>
                            }
                        }
                    >
                        <form class="call-form" on:submit=log novalidate>
                            <label class="check" for="call-reached">
                                <input type="checkbox" id="call-reached" bind:checked=reached/>
                                {move || state.t("fb.call.reached")}
                            </label>
                            <Show when=move || reached.get()>
                                <RatingScale
                                    name="call-satisfied".to_owned()
                                    question=Signal::derive(move || state.t("fb.call.satisfied").to_owned())
                                    scale=Scale::OneToFive
                                    anchors=Anchors::Satisfaction
                                    required=false
                                    value=Signal::derive(move || satisfied.get())
                                    on_pick=Callback::new(move |v| satisfied.set(Some(v)))
                                    error=Signal::derive(|| None)
                                />
                            </Show>
                            <div class="field">
                                <label for="call-notes">{move || state.t("fb.call.notes")}</label>
                                <textarea id="call-notes" rows="2" maxlength="5000" dir="auto" bind:value=notes></textarea>
                            </div>
                            <button type="submit" class="primary">{move || state.t("fb.call.save")}</button>
                        </form>
                    </Show>
                }
                    .into_any()
            }
        };
        Some(
            view! {
                <section class="panel" aria-labelledby="fb-call">
                    <h2 id="fb-call">{move || state.t("fb.call.title")}</h2>
                    <p class="hint">{move || state.t("fb.call.hint")}</p>
                    {body}
                </section>
            }
            .into_any(),
        )
    }
}
