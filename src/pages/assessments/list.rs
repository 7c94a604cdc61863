//! The Assessments screen: start a new self-assessment, and every assessment so far, newest
//! first, each to continue, read, or delete.

use leptos::prelude::*;
use uuid::Uuid;

use super::{link, model_of, title_of, weights, AssessTabs};
use crate::{
    components::{
        confirm_dialog::ConfirmDialog,
        date_field::{DateField, DateInput},
    },
    domain::{assessment::Assessment, gap, model, Kind, Meta, Record},
    i18n,
    router::{go, Route},
    state::{use_state, Tone},
    web,
};

/// Every assessment, and the way to start one.
#[component]
pub fn AssessmentList() -> impl IntoView {
    let state = use_state();
    let starting = RwSignal::new(false);
    let ids = Memo::new(move |_| {
        let mut all: Vec<(chrono::NaiveDate, chrono::DateTime<chrono::Utc>, Uuid)> =
            state.data.with(|d| {
                d.assessments
                    .values()
                    .map(|a| (a.date, a.meta.created, a.meta.id))
                    .collect()
            });
        all.sort_unstable_by(|a, b| b.cmp(a));
        all.into_iter().map(|(_, _, id)| id).collect::<Vec<_>>()
    });

    let confirm_open = RwSignal::new(false);
    let target = RwSignal::new(None::<Uuid>);
    let on_delete = Callback::new(move |()| {
        if let Some(id) = target.get_untracked() {
            if state.delete(Kind::Assessment, id).is_ok() {
                state.notify(Tone::Success, state.t("assess.deleted"));
            }
        }
    });
    let ask_delete = Callback::new(move |id: Uuid| {
        target.set(Some(id));
        confirm_open.set(true);
    });

    view! {
        <AssessTabs current=Route::Assessments/>
        <h1>{move || state.t("nav.assessments")}</h1>
        <crate::pages::schedules::DueWork/>
        <p class="lead">{move || state.t("assess.intro")}</p>
        <Show
            when=move || starting.get()
            fallback=move || {
                view! {
                    <button type="button" class="primary" on:click=move |_| starting.set(true)>
                        {move || state.t("assess.new")}
                    </button>
                }
            }
        >
            <StartForm on_cancel=Callback::new(move |()| starting.set(false))/>
        </Show>
        <h2 class="section-title">{move || state.t("assess.past")}</h2>
        <Show when=move || ids.with(Vec::is_empty)>
            <p class="muted">{move || state.t("assess.none")}</p>
        </Show>
        <ul class="assessment-list">
            <For each=move || ids.get() key=|id| *id let:id>
                <AssessmentItem id=id on_delete=ask_delete/>
            </For>
        </ul>
        <ConfirmDialog
            open=confirm_open
            title="confirm.assessment.title"
            body="confirm.assessment.body"
            confirm="confirm.assessment.yes"
            on_confirm=on_delete
        />
    }
}

/// The form that starts an assessment: model, assessor, team or branch, day.
#[component]
fn StartForm(
    /// Closes the form without starting anything.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let state = use_state();
    let model_id = RwSignal::new(model::all()[0].id.clone());
    let assessor = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let date = DateField::with_day(state.lang.get_untracked(), web::today());
    let error = RwSignal::new(None::<&'static str>);
    let branches = Memo::new(move |_| {
        let mut all: Vec<String> = state.data.with(|d| {
            d.settings
                .iter()
                .flat_map(|s| s.branches.clone())
                .chain(d.assessments.values().map(|a| a.team.clone()))
                .filter(|b| !b.trim().is_empty())
                .collect()
        });
        all.sort();
        all.dedup();
        all
    });

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = state.lang.get_untracked();
        let Ok(Some(day)) = date.day() else {
            error.set(Some("assess.error.date"));
            return;
        };
        let (who, where_) = (assessor.get_untracked(), team.get_untracked());
        if who.trim().is_empty() || where_.trim().is_empty() {
            error.set(Some("assess.error.who"));
            return;
        }
        let a = Assessment {
            meta: Meta::new(chrono::Utc::now()),
            model: model_id.get_untracked(),
            assessor: who.trim().to_owned(),
            team: where_.trim().to_owned(),
            date: day,
            ratings: Default::default(),
            actions: Vec::new(),
            finished: false,
        };
        if let Err(e) = a.validate() {
            state.notify(Tone::Error, i18n::t(lang, e.message_key()));
            return;
        }
        let id = a.meta.id;
        if state.save(Record::Assessment(a)).is_ok() {
            go(&link(Route::AssessmentRun, id));
        }
    };

    view! {
        <form class="panel start-form" on:submit=start novalidate>
            <h2>{move || state.t("assess.start.title")}</h2>
            <div class="field">
                <label for="assess-model">{move || state.t("assess.model")}</label>
                <select
                    id="assess-model"
                    aria-describedby="assess-model-about"
                    on:change=move |ev| model_id.set(event_target_value(&ev))
                >
                    {model::all()
                        .iter()
                        .map(|m| {
                            let (id, this) = (m.id.clone(), m.id.clone());
                            let key = m.name_key();
                            view! {
                                <option value=id selected=move || model_id.get() == this>
                                    {move || state.t(&key)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="hint" id="assess-model-about">
                    {move || state.t(&format!("model.{}.about", model_id.get()))}
                </p>
            </div>
            <div class="grid-fields two">
                <div class="field">
                    <label for="assess-assessor">{move || state.t("assess.assessor")}</label>
                    <input id="assess-assessor" type="text" maxlength="200" dir="auto" autocomplete="name" bind:value=assessor/>
                </div>
                <div class="field">
                    <label for="assess-team">{move || state.t("assess.team")}</label>
                    <input id="assess-team" type="text" maxlength="200" dir="auto" list="assess-teams" bind:value=team/>
                    <datalist id="assess-teams">
                        {move || branches.get().into_iter().map(|b| view! { <option value=b></option> }).collect_view()}
                    </datalist>
                </div>
                <DateInput id="assess-date" label="assess.date" field=date required=true/>
            </div>
            {move || error.get().map(|key| view! { <p class="field-error" role="alert">{state.t(key)}</p> })}
            <div class="actions">
                <button type="submit" class="primary">{move || state.t("assess.start")}</button>
                <button type="button" class="ghost" on:click=move |_| on_cancel.run(())>
                    {move || state.t("assess.cancel")}
                </button>
            </div>
        </form>
    }
}

/// One assessment in the list: what it is, how far it got, its top priority.
#[component]
fn AssessmentItem(
    id: Uuid,
    /// Asks to delete this assessment.
    on_delete: Callback<Uuid>,
) -> impl IntoView {
    let state = use_state();
    let assessment = Memo::new(move |_| state.data.with(|d| d.assessments.get(&id).cloned()));
    move || {
        let a = assessment.get()?;
        let model = model_of(&a)?;
        let lang = state.lang.get();
        let (done, total) = gap::progress(model, &a.ratings);
        let results = gap::gaps(model, &a.ratings, &weights(state));
        let top = gap::by_rank(&results)
            .first()
            .filter(|g| g.rank.is_some())
            .map(|g| {
                i18n::tf(
                    lang,
                    "assess.top",
                    &[
                        (
                            "dimension",
                            i18n::t(lang, &model.dimension_key(&g.dimension)).to_owned(),
                        ),
                        ("gap", i18n::decimal(lang, g.gap.unwrap_or(0.0), 1)),
                    ],
                )
            });
        let state_text = if a.finished {
            i18n::t(lang, "assess.finished").to_owned()
        } else {
            i18n::tf(
                lang,
                "assess.progress",
                &[
                    ("done", i18n::int(lang, done as u64)),
                    ("total", i18n::int(lang, total as u64)),
                ],
            )
        };
        let heading_id = format!("a-{id}");
        let labelled_by = heading_id.clone();
        let actions = a.actions.len();
        Some(view! {
            <li class="panel assessment-item" aria-labelledby=labelled_by>
                <h3 id=heading_id dir="auto">{title_of(lang, &a)}</h3>
                <p class="muted">
                    <span dir="auto">{a.assessor.clone()}</span>
                    {move || state.t("list.dot.format")}
                    <span class=if a.finished { "badge ok" } else { "badge" }>{state_text}</span>
                    {move || state.t("list.dot.format")}
                    {i18n::tf(lang, "assess.action_count", &[("n", i18n::int(lang, actions as u64))])}
                </p>
                {top.map(|t| view! { <p>{t}</p> })}
                <div class="actions">
                    <a class="button secondary" href=link(Route::AssessmentRun, id)>
                        {i18n::t(lang, if a.finished { "assess.edit" } else { "assess.continue" })}
                    </a>
                    <a class="button secondary" href=link(Route::AssessmentResults, id)>
                        {i18n::t(lang, "assess.show_results")}
                    </a>
                    <button type="button" class="ghost" on:click=move |_| on_delete.run(id)>
                        {i18n::t(lang, "assess.delete")}
                    </button>
                </div>
            </li>
        })
    }
}
