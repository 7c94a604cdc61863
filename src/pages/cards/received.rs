//! The cards received: newest first, filtered by date (in the user's calendar), branch and
//! overall rating, each readable in full; one can be deleted, or its contact erased.

use chrono::Utc;
use leptos::prelude::*;
use uuid::Uuid;

use super::{all_templates, default_template, CardTabs, TemplateOptions};
use crate::{
    components::text_options::TextOptions,
    components::{
        confirm_dialog::ConfirmDialog,
        date_field::{DateField, DateInput},
        filters_panel::{self, FiltersPanel},
        rating_scale::point_label,
    },
    domain::{
        card::{Answer, Card},
        feedback::FeedbackItem,
        metrics::{self, OVERALL},
        template::{CardTemplate, Question, QuestionKind},
        Dataset, Kind, Meta, Record,
    },
    i18n::{self, Lang},
    router::{go, Route},
    state::{use_state, AppState, Tone},
    store::prefs,
    web,
};

/// Cards shown at first, and added by each "Show more".
const PAGE: usize = 50;
/// Below this many answers a percentage says more about chance than about the service.
const MIN_SAMPLE: usize = 5;

/// The list of received cards.
#[component]
pub fn ReceivedCards() -> impl IntoView {
    let state = use_state();
    let branch = RwSignal::new(String::new());
    let rating = RwSignal::new(0u8);
    let template = RwSignal::new(None::<Uuid>);
    let templates = Memo::new(move |_| all_templates(state));
    let from = DateField::new();
    let to = DateField::new();
    let limit = RwSignal::new(PAGE);

    let branches = Memo::new(move |_| state.data.with(Dataset::branch_names));

    // Ids of the matching cards, newest first.
    let matching = Memo::new(move |_| {
        let (from, to) = (from.day().ok().flatten(), to.day().ok().flatten());
        let (branch, rating, template) = (branch.get(), rating.get(), template.get());
        let offset = web::local_offset();
        let mut ids: Vec<(chrono::DateTime<Utc>, Uuid)> = state.data.with(|d| {
            d.cards
                .values()
                .filter(|c| {
                    let day = c.meta.created.with_timezone(&offset).date_naive();
                    (branch.is_empty() || c.branch == branch)
                        && (rating == 0 || c.rating(OVERALL) == Some(rating))
                        && template.is_none_or(|t| c.template == t)
                        && from.is_none_or(|f| day >= f)
                        && to.is_none_or(|t| day <= t)
                })
                .map(|c| (c.meta.created, c.meta.id))
                .collect()
        });
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    });
    let visible =
        move || matching.with(|m| m.iter().take(limit.get()).copied().collect::<Vec<_>>());

    let summary = move || {
        let lang = state.lang.get();
        let s = state.data.with(|d| {
            matching.with(|m| metrics::scores(m.iter().filter_map(|id| d.cards.get(id))))
        });
        let pct = |v: Option<f64>, n: usize| match v {
            Some(v) if n >= MIN_SAMPLE => format!("{}%", i18n::decimal(lang, v, 0)),
            _ => i18n::t(lang, "received.not_enough").to_owned(),
        };
        i18n::tf(
            lang,
            "received.summary",
            &[
                ("csat", pct(s.csat, s.rated)),
                ("nps", pct(s.nps, s.recommended)),
                ("n", i18n::int(lang, matching.with(Vec::len) as u64)),
            ],
        )
    };

    // The filters in force, in words, for the closed Filters disclosure.
    let active = Signal::derive(move || {
        let lang = state.lang.get();
        let b = branch.get();
        let template = template.get().and_then(|t| {
            templates.with(|all| {
                all.iter()
                    .find(|x| x.meta.id == t)
                    .map(|x| lang.pick(&x.name))
            })
        });
        let r = rating.get();
        let rating = (r > 0).then(|| {
            i18n::tf(
                lang,
                "rating.label.format",
                &[
                    ("n", i18n::digits_in(lang, &r.to_string())),
                    (
                        "name",
                        i18n::t(lang, &format!("scale.satisfaction.{r}")).to_owned(),
                    ),
                ],
            )
        });
        let chosen = (!b.is_empty())
            .then(|| state.branch_label(&b))
            .into_iter()
            .chain(template)
            .chain(rating);
        filters_panel::summary(
            lang,
            from.day().ok().flatten(),
            to.day().ok().flatten(),
            chosen,
        )
    });

    let confirm_open = RwSignal::new(false);
    let target = RwSignal::new(None::<Uuid>);
    let on_delete = Callback::new(move |()| {
        if let Some(id) = target.get_untracked() {
            if state.delete(Kind::Card, id).is_ok() {
                state.notify(Tone::Success, state.t("received.deleted"));
            }
        }
    });
    let ask_delete = Callback::new(move |id: Uuid| {
        target.set(Some(id));
        confirm_open.set(true);
    });

    view! {
        <CardTabs current=Route::CardsReceived/>
        <h1>{move || state.t("received.title")}</h1>
        <FiltersPanel id="received-filters" active=active>
            <div class="grid-fields">
                <DateInput id="filter-from" label="received.filter.from" field=from/>
                <DateInput id="filter-to" label="received.filter.to" field=to/>
                <div class="field">
                    <label for="filter-branch">{move || state.t("received.filter.branch")}</label>
                    <select id="filter-branch" on:change=move |ev| branch.set(event_target_value(&ev))>
                        <option value="" selected=move || branch.get().is_empty()>
                            {move || state.t("received.filter.any")}
                        </option>
                        <TextOptions values=branches selected=branch branches=true/>
                    </select>
                </div>
                <Show when=move || { templates.with(|t| t.len() > 1) }>
                    <div class="field">
                        <label for="filter-template">{move || state.t("received.filter.template")}</label>
                        <select
                            id="filter-template"
                            on:change=move |ev| template.set(Uuid::parse_str(&event_target_value(&ev)).ok())
                        >
                            <option value="">{move || state.t("received.filter.any")}</option>
                            <TemplateOptions templates=templates selected=template/>
                        </select>
                    </div>
                </Show>
                <div class="field">
                    <label for="filter-rating">{move || state.t("received.filter.rating")}</label>
                    <select
                        id="filter-rating"
                        on:change=move |ev| rating.set(event_target_value(&ev).parse().unwrap_or(0))
                    >
                        <option value="0">{move || state.t("received.filter.any")}</option>
                        {(1..=5u8)
                            .rev()
                            .map(|v| {
                                view! {
                                    <option value=v.to_string()>
                                        {move || {
                                            let lang = state.lang.get();
                                            i18n::tf(
                                                lang,
                                                "rating.label.format",
                                                &[
                                                    ("n", i18n::digits_in(lang, &v.to_string())),
                                                    ("name", i18n::t(lang, &format!("scale.satisfaction.{v}")).to_owned()),
                                                ],
                                            )
                                        }}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
        </FiltersPanel>
        <p class="summary" aria-live="polite">{summary}</p>
        <Show when=move || matching.with(Vec::is_empty)>
            <p class="muted">{move || state.t("received.empty")}</p>
        </Show>
        <div class="card-list">
            <For each=visible key=|id| *id let:id>
                <CardItem id=id on_delete=ask_delete/>
            </For>
        </div>
        <Show when=move || { matching.with(Vec::len) > limit.get() }>
            <p class="muted">
                {move || {
                    let lang = state.lang.get();
                    i18n::tf(
                        lang,
                        "received.count",
                        &[
                            ("shown", i18n::int(lang, limit.get() as u64)),
                            ("total", i18n::int(lang, matching.with(Vec::len) as u64)),
                        ],
                    )
                }}
            </p>
            <button type="button" class="secondary" on:click=move |_| limit.update(|l| *l += PAGE)>
                {move || state.t("received.more")}
            </button>
        </Show>
        <ConfirmDialog
            open=confirm_open
            title="confirm.card.title"
            body="confirm.card.body"
            confirm="confirm.card.yes"
            on_confirm=on_delete
        />
    }
}

/// The template a card answered, for its question texts: the stored one, or the default.
fn template_of(state: AppState, card: &Card) -> CardTemplate {
    state
        .data
        .with_untracked(|d| d.templates.get(&card.template).cloned())
        .unwrap_or_else(|| default_template(state))
}

/// An answer written for reading; a contact given without consent is hidden when Settings
/// says so.
fn answer_text(
    lang: Lang,
    questions: &[Question],
    question: &str,
    answer: &Answer,
    hide_unconsented: bool,
) -> String {
    let q = questions.iter().find(|q| q.id == question);
    match answer {
        Answer::Rating(v) => {
            let n = i18n::digits_in(lang, &v.to_string());
            let label = q.and_then(|q| match q.kind {
                QuestionKind::Rating { scale, anchors } => point_label(lang, scale, anchors, *v),
                _ => None,
            });
            label.map_or(n.clone(), |l| {
                i18n::tf(
                    lang,
                    "rating.label.format",
                    &[("n", n.clone()), ("name", l.to_owned())],
                )
            })
        }
        Answer::Text(t) => t.clone(),
        Answer::Choices(ids) => ids
            .iter()
            .map(|id| {
                q.and_then(|q| match &q.kind {
                    QuestionKind::Single { options } | QuestionKind::Multi { options } => options
                        .iter()
                        .find(|o| &o.id == id)
                        .map(|o| lang.pick(&o.text)),
                    _ => None,
                })
                .unwrap_or_else(|| id.clone())
            })
            .collect::<Vec<_>>()
            .join(i18n::t(lang, "list.separator")),
        Answer::Contact(c) if hide_unconsented && !c.consent => {
            i18n::t(lang, "cust.hidden").to_owned()
        }
        Answer::Contact(c) => format!(
            "{} ({})",
            c.value,
            i18n::t(
                lang,
                if c.consent {
                    "received.consent_yes"
                } else {
                    "received.consent_no"
                }
            )
        ),
    }
}

/// How much of a card's first comment its closed row shows.
const EXCERPT: usize = 90;

/// One received card: a row with its time, overall rating and first comment, that opens to
/// every answer and what can be done with the card.
#[component]
fn CardItem(
    id: Uuid,
    /// Asks to delete this card.
    on_delete: Callback<Uuid>,
) -> impl IntoView {
    let state = use_state();
    let card = move || state.data.with(|d| d.cards.get(&id).cloned());
    let erase_contact = move |_| {
        let Some(mut c) = state.data.with_untracked(|d| d.cards.get(&id).cloned()) else {
            return;
        };
        c.answers.retain(|_, a| !matches!(a, Answer::Contact(_)));
        c.meta.touch(Utc::now());
        if state.save(Record::Card(c)).is_ok() {
            state.notify(Tone::Success, state.t("received.contact_erased"));
        }
    };
    // One step from a card that asks for action to a feedback item linked to it.
    let raise = move |_| {
        let Some(c) = state.data.with_untracked(|d| d.cards.get(&id).cloned()) else {
            return;
        };
        let lang = state.lang.get_untracked();
        let template = template_of(state, &c);
        let fallback = i18n::tf(
            lang,
            "received.raise.description",
            &[(
                "n",
                i18n::int(lang, u64::from(c.rating(OVERALL).unwrap_or(0))),
            )],
        );
        let now = Utc::now();
        let by = prefs::get::<String>(prefs::ME).unwrap_or_default();
        let item =
            FeedbackItem::from_card(&c, &template, &fallback, Meta::new(now)).register(&by, now);
        let item_id = item.meta.id;
        if state.save(Record::Feedback(item)).is_ok() {
            state.notify_next(Tone::Success, i18n::t(lang, "received.raised"));
            go(&format!("{}?id={item_id}", Route::FeedbackItem.href()));
        }
    };
    let raised = move || {
        state.data.with(|d| {
            d.feedback
                .values()
                .find(|f| f.card == Some(id))
                .map(|f| f.meta.id)
        })
    };
    // Open or closed stays as the person left it while the card is redrawn.
    let open = RwSignal::new(false);
    move || {
        card().map(|c| {
            let lang = state.lang.get();
            let hide = state.settings().hide_unconsented;
            let template = template_of(state, &c);
            let worth = FeedbackItem::card_worth_raising(&c);
            let questions = template.questions_of(c.template_version);
            let heading_id = format!("card-{id}");
            let labelled_by = heading_id.clone();
            let has_contact = c.answers.values().any(|a| matches!(a, Answer::Contact(_)));
            let lang_name = i18n::t(lang, &format!("lang.{}", c.lang));
            let branch = if c.branch.is_empty() { i18n::t(lang, "received.no_branch").to_owned() } else { state.branch_label(&c.branch) };
            let rows = questions
                .iter()
                .filter_map(|q| c.answers.get(&q.id).map(|a| (lang.pick(&q.text), answer_text(lang, questions, &q.id, a, hide))))
                .chain(c.answers.iter().filter(|(qid, _)| !questions.iter().any(|q| &q.id == *qid)).map(
                    |(qid, a)| (i18n::t(lang, "received.unknown_question").to_owned(), answer_text(lang, questions, qid, a, hide)),
                ))
                .map(|(q, a)| {
                    view! {
                        <dt dir="auto">{q}</dt>
                        <dd dir="auto">{a}</dd>
                    }
                })
                .collect_view();
            let overall = c.answers.get(OVERALL).map(|a| answer_text(lang, questions, OVERALL, a, hide));
            let low = c.rating(OVERALL).is_some_and(|v| v <= 2);
            // The first thing the customer wrote, cut short: enough to tell cards apart.
            let excerpt = questions
                .iter()
                .find_map(|q| match c.answers.get(&q.id) {
                    Some(Answer::Text(t)) if !t.trim().is_empty() => Some(t.clone()),
                    _ => None,
                })
                .map(|t| {
                    let cut: String = t.chars().take(EXCERPT).collect();
                    if cut.len() < t.len() { format!("{cut}…") } else { cut }
                });
            view! {
                <article class="panel card-item" aria-labelledby=labelled_by>
                    <details prop:open=move || open.get() on:toggle=move |ev| {
                        let now = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                        if now != open.get_untracked() {
                            open.set(now);
                        }
                    }>
                    // Closed, the card is one row; open, everything it says and can do.
                    <summary>
                        <h2 id=heading_id class="card-when">{i18n::datetime(lang, c.meta.created, web::local_offset())}</h2>
                        <span class=if low { "badge danger" } else { "badge" }>
                            {overall.unwrap_or_else(|| i18n::t(lang, "received.no_rating").to_owned())}
                        </span>
                        {excerpt.map(|e| view! { <span class="card-excerpt" dir="auto">{e}</span> })}
                    </summary>
                    <p class="muted">
                        {i18n::tf(
                            lang,
                            "received.meta",
                            &[
                                ("branch", branch),
                                ("lang", lang_name.to_owned()),
                                ("version", i18n::int(lang, u64::from(c.template_version))),
                            ],
                        )}
                    </p>
                    <dl class="answers">{rows}</dl>
                    <div class="actions">
                        {match raised() {
                            Some(item) => {
                                view! {
                                    <a class="button secondary" href=format!("{}?id={item}", Route::FeedbackItem.href())>
                                        {i18n::t(lang, "received.open_feedback")}
                                    </a>
                                }
                                    .into_any()
                            }
                            None if worth => {
                                view! {
                                    <button type="button" class="primary" on:click=raise>
                                        {i18n::t(lang, "received.raise")}
                                    </button>
                                }
                                    .into_any()
                            }
                            None => ().into_any(),
                        }}
                        {has_contact
                            .then(|| {
                                view! {
                                    <button type="button" class="secondary" on:click=erase_contact>
                                        {i18n::t(lang, "received.erase_contact")}
                                    </button>
                                }
                            })}
                        <button type="button" class="danger" on:click=move |_| on_delete.run(id)>
                            {i18n::t(lang, "received.delete")}
                        </button>
                    </div>
                    </details>
                </article>
            }
        })
    }
}
