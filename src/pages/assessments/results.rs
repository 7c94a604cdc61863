//! An assessment's results: per dimension the mean current and desired ratings, the gap and its
//! weighted priority, ranked; a radar and a bar chart of the same figures; what customers' cards
//! say beside the staff's view; and the action plan that closes the gaps.

use leptos::prelude::*;
use uuid::Uuid;

use super::{
    from_address, link, model_of, overdue, status_code, status_from_code, title_of, update,
    weights, AssessTabs, Missing, StatusOptions,
};
use crate::{
    components::{
        bar_chart::{Bar, GapBars},
        date_field::{DateField, DateInput},
        radar_chart::{RadarChart, Spoke},
        text_options::TextOptions,
    },
    domain::{
        assessment::{Action, ActionStatus, Assessment},
        gap::{self, DimensionGap},
        model::Model,
        Dataset,
    },
    i18n::{self, Lang},
    pages::cards::all_templates,
    router::Route,
    state::{use_state, AppState, Tone},
    web,
};

/// Days of customers' cards shown beside the staff's view, ending on the assessment's day.
const CUSTOMER_WINDOW_DAYS: i64 = 90;

/// The results screen of the assessment the address names.
#[component]
pub fn Results() -> impl IntoView {
    let state = use_state();
    let assessment = from_address(state);
    let shown = Memo::new(move |_| assessment.with(|a| a.as_ref().map(|a| a.meta.id)));
    view! {
        <AssessTabs current=Route::AssessmentResults/>
        {move || match shown.get() {
            Some(id) => {
                assessment
                    .get_untracked()
                    .as_ref()
                    .and_then(model_of)
                    .map(|model| view! { <ResultsBody id=id model=model assessment=assessment/> }.into_any())
                    .unwrap_or_else(|| view! { <Missing/> }.into_any())
            }
            None => view! { <h1>{move || state.t("assess.results.title")}</h1> <Missing/> }.into_any(),
        }}
    }
}

fn fmt(lang: Lang, v: Option<f64>, places: usize) -> String {
    v.map(|v| i18n::decimal(lang, v, places))
        .unwrap_or_else(|| "–".to_owned())
}

#[component]
fn ResultsBody(
    id: Uuid,
    model: &'static Model,
    assessment: Memo<Option<Assessment>>,
) -> impl IntoView {
    let state = use_state();
    let results = Memo::new(move |_| {
        assessment.with(|a| {
            a.as_ref()
                .map(|a| gap::gaps(model, &a.ratings, &weights(state)))
                .unwrap_or_default()
        })
    });
    let finished = move || assessment.with(|a| a.as_ref().is_some_and(|a| a.finished));
    let dim_name = move |d: &str| state.t(&model.dimension_key(d)).to_owned();
    let spokes = Signal::derive(move || {
        results
            .get()
            .into_iter()
            .map(|g| Spoke {
                label: dim_name(&g.dimension),
                current: g.current,
                desired: g.desired,
            })
            .collect::<Vec<_>>()
    });
    let bars = Signal::derive(move || {
        gap::by_rank(&results.get())
            .into_iter()
            .map(|g| Bar {
                label: dim_name(&g.dimension),
                gap: g.gap,
            })
            .collect::<Vec<_>>()
    });
    let progress = move || {
        assessment.with(|a| {
            a.as_ref()
                .map(|a| gap::progress(model, &a.ratings))
                .unwrap_or_default()
        })
    };
    let set_finished = move |done: bool| {
        if update(state, id, |a| a.finished = done) {
            state.notify(
                Tone::Success,
                state.t(if done {
                    "assess.finished_now"
                } else {
                    "assess.reopened"
                }),
            );
        }
    };
    let rows = move || {
        let lang = state.lang.get();
        gap::by_rank(&results.get())
            .into_iter()
            .map(|g| {
                let DimensionGap { counted, items, .. } = *g;
                view! {
                    <tr>
                        <td>{g.rank.map(|r| i18n::int(lang, r as u64)).unwrap_or_else(|| "–".into())}</td>
                        <th scope="row">{dim_name(&g.dimension)}</th>
                        <td class=if g.gap.is_some_and(|v| v < 0.0) { "num above" } else { "num" }>{fmt(lang, g.gap, 2)}</td>
                        <td><strong>{fmt(lang, g.priority, 2)}</strong></td>
                        <td>{fmt(lang, g.current, 2)}</td>
                        <td>{fmt(lang, g.desired, 2)}</td>
                        <td>{i18n::decimal(lang, g.relative_weight, 2)}</td>
                        <td>
                            {i18n::tf(
                                lang,
                                "assess.counted",
                                &[("n", i18n::int(lang, counted as u64)), ("of", i18n::int(lang, items as u64))],
                            )}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let rater_model = model
        .dimensions
        .iter()
        .any(|d| model.rater_dimension(d).is_some());

    view! {
        <h1>{move || state.t("assess.results.title")}</h1>
        <p class="muted" dir="auto">
            {move || assessment.with(|a| a.as_ref().map(|a| title_of(state.lang.get(), a)).unwrap_or_default())}
            {move || state.t("list.dot.format")}
            {move || assessment.with(|a| a.as_ref().map(|a| a.assessor.clone()).unwrap_or_default())}
        </p>
        <div class="actions">
            <a class="button secondary" href=link(Route::AssessmentRun, id)>
                {move || state.t(if finished() { "assess.edit" } else { "assess.continue" })}
            </a>
            <Show
                when=finished
                fallback=move || {
                    view! {
                        <button type="button" class="primary" on:click=move |_| set_finished(true)>
                            {move || state.t("assess.finish")}
                        </button>
                    }
                }
            >
                <span class="badge ok">{move || state.t("assess.finished")}</span>
                <button type="button" class="ghost" on:click=move |_| set_finished(false)>
                    {move || state.t("assess.reopen")}
                </button>
            </Show>
        </div>
        <Show when=move || { progress().0 < progress().1 }>
            <p class="panel warn">
                {move || {
                    let lang = state.lang.get();
                    let (done, total) = progress();
                    i18n::tf(
                        lang,
                        "assess.partial",
                        &[("done", i18n::int(lang, done as u64)), ("total", i18n::int(lang, total as u64))],
                    )
                }}
            </p>
        </Show>
        <section class="panel" aria-labelledby="gaps-heading">
            <h2 id="gaps-heading">{move || state.t("assess.gaps")}</h2>
            <div class="table-wrap" tabindex="0">
                <table class="data" id="gap-table">
                    <caption class="sr-only">{move || state.t("assess.gaps")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || state.t("assess.col.rank")}</th>
                            <th scope="col">{move || state.t("assess.col.dimension")}</th>
                            // What the team acts on first: the gap and its priority, then
                            // what they come from (a phone scrolls to those).
                            <th scope="col">{move || state.t("assess.col.gap")}</th>
                            <th scope="col">{move || state.t("assess.col.priority")}</th>
                            <th scope="col">{move || state.t("assess.current")}</th>
                            <th scope="col">{move || state.t("assess.desired")}</th>
                            <th scope="col">{move || state.t("assess.col.weight")}</th>
                            <th scope="col">{move || state.t("assess.col.counted")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <details class="explain">
                <summary>{move || state.t("assess.how")}</summary>
                <p>{move || state.t("assess.how.gap")}</p>
                <p>{move || state.t("assess.how.priority")}</p>
                <p>{move || state.t(if rater_model { "assess.how.weights" } else { "assess.how.equal" })}</p>
            </details>
        </section>
        <div class="chart-grid">
            <section class="panel" aria-labelledby="radar-heading">
                <h2 id="radar-heading">{move || state.t("chart.radar")}</h2>
                <RadarChart spokes=spokes table_id="gap-table"/>
            </section>
            <section class="panel" aria-labelledby="bars-heading">
                <h2 id="bars-heading">{move || state.t("chart.gaps")}</h2>
                <GapBars bars=bars table_id="gap-table"/>
            </section>
        </div>
        {rater_model.then(|| view! { <CustomersView model=model assessment=assessment results=results/> })}
        <ActionPlan id=id model=model assessment=assessment results=results/>
    }
}

/// Customers' card ratings per RATER dimension beside the staff's current rating, on one scale.
#[component]
fn CustomersView(
    model: &'static Model,
    assessment: Memo<Option<Assessment>>,
    results: Memo<Vec<DimensionGap>>,
) -> impl IntoView {
    let state = use_state();
    let lang = state.lang.get_untracked();
    let (day, team) = assessment.with_untracked(|a| {
        a.as_ref()
            .map(|a| (a.date, a.team.clone()))
            .unwrap_or((web::today(), String::new()))
    });
    let from = DateField::with_day(lang, day - chrono::Duration::days(CUSTOMER_WINDOW_DAYS));
    let to = DateField::with_day(lang, day);
    let branches = Memo::new(move |_| state.data.with(Dataset::branch_names));
    // The team's own branch when it is one; all branches otherwise.
    let branch = RwSignal::new(if branches.with_untracked(|b| b.contains(&team)) {
        team
    } else {
        String::new()
    });
    let means = Memo::new(move |_| {
        let (from, to) = (from.day().ok().flatten(), to.day().ok().flatten());
        let branch = branch.get();
        let offset = web::local_offset();
        let templates = all_templates(state);
        state.data.with(|d| {
            gap::customer_means(
                d.cards.values().filter(|c| {
                    let day = c.meta.created.with_timezone(&offset).date_naive();
                    (branch.is_empty() || c.branch == branch)
                        && from.is_none_or(|f| day >= f)
                        && to.is_none_or(|t| day <= t)
                }),
                |id| templates.iter().find(|t| t.meta.id == id),
            )
        })
    });
    let rows = move || {
        let lang = state.lang.get();
        let means = means.get();
        results
            .get()
            .into_iter()
            .filter_map(|g| {
                let d = model.rater_dimension(&g.dimension)?;
                let customers = means.get(&d).cloned().unwrap_or_default();
                let diff = customers.mean.zip(g.current).map(|(c, s)| c - s);
                Some(view! {
                    <tr>
                        <th scope="row">{state.t(&model.dimension_key(&g.dimension))}</th>
                        <td>{fmt(lang, g.current, 2)}</td>
                        <td>{fmt(lang, customers.mean, 2)}</td>
                        <td class=if diff.is_some_and(|v| v < 0.0) { "num below" } else { "num" }>{fmt(lang, diff, 2)}</td>
                        <td>{i18n::int(lang, customers.answers as u64)}</td>
                    </tr>
                })
            })
            .collect_view()
    };
    let any = move || means.with(|m| m.values().any(|c| c.answers > 0));
    view! {
        <section class="panel" aria-labelledby="customers-heading">
            <h2 id="customers-heading">{move || state.t("assess.customers")}</h2>
            <p class="hint">{move || state.t("assess.customers.about")}</p>
            <div class="grid-fields">
                <DateInput id="cust-from" label="assess.customers.from" field=from/>
                <DateInput id="cust-to" label="assess.customers.to" field=to/>
                <div class="field">
                    <label for="cust-branch">{move || state.t("assess.customers.branch")}</label>
                    <select id="cust-branch" on:change=move |ev| branch.set(event_target_value(&ev))>
                        <option value="" selected=move || branch.get().is_empty()>
                            {move || state.t("assess.customers.all")}
                        </option>
                        <TextOptions values=branches selected=branch branches=true/>
                    </select>
                </div>
            </div>
            <Show when=any fallback=move || view! { <p class="muted">{move || state.t("assess.customers.none")}</p> }>
                <div class="table-wrap" tabindex="0">
                    <table class="data">
                        <caption class="sr-only">{move || state.t("assess.customers")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || state.t("assess.col.dimension")}</th>
                                <th scope="col">{move || state.t("assess.customers.staff")}</th>
                                <th scope="col">{move || state.t("assess.customers.cards")}</th>
                                <th scope="col">{move || state.t("assess.customers.diff")}</th>
                                <th scope="col">{move || state.t("assess.customers.answers")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </Show>
            <p class="hint">{move || state.t("assess.customers.rescale")}</p>
            <p class="hint formula" dir="ltr">{move || state.t("assess.customers.formula.format")}</p>
            <p class="hint">{move || state.t("assess.customers.rescale.example")}</p>
        </section>
    }
}

/// The next actions that close the gaps: added per dimension, tracked to done.
#[component]
fn ActionPlan(
    id: Uuid,
    model: &'static Model,
    assessment: Memo<Option<Assessment>>,
    results: Memo<Vec<DimensionGap>>,
) -> impl IntoView {
    let state = use_state();
    let text = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = DateField::new();
    let status = RwSignal::new(ActionStatus::Planned);
    // The top-priority dimension is the likeliest to need an action.
    let dimension = RwSignal::new(
        gap::by_rank(&results.get_untracked())
            .first()
            .map(|g| g.dimension.clone())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<&'static str>);

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let what = text.get_untracked();
        if what.trim().is_empty() {
            error.set(Some("assess.error.action"));
            return;
        }
        let Ok(day) = due.day() else {
            error.set(Some("date.bad"));
            return;
        };
        error.set(None);
        let action = Action {
            id: Uuid::new_v4(),
            dimension: dimension.get_untracked(),
            text: what.trim().to_owned(),
            owner: owner.get_untracked().trim().to_owned(),
            due: day,
            status: status.get_untracked(),
        };
        if update(state, id, |a| a.actions.push(action)) {
            text.set(String::new());
            owner.set(String::new());
            due.text.set(String::new());
            status.set(ActionStatus::Planned);
            state.notify(Tone::Success, state.t("assess.action.added"));
        }
    };

    let groups = move || {
        let ranked: Vec<String> = gap::by_rank(&results.get())
            .into_iter()
            .map(|g| g.dimension.clone())
            .collect();
        let actions =
            assessment.with(|a| a.as_ref().map(|a| a.actions.clone()).unwrap_or_default());
        ranked
            .into_iter()
            .filter_map(|d| {
                let mine: Vec<Action> = actions.iter().filter(|a| a.dimension == d).cloned().collect();
                if mine.is_empty() {
                    return None;
                }
                let key = model.dimension_key(&d);
                Some(view! {
                    <h3>{move || state.t(&key)}</h3>
                    <ul class="action-list">
                        {mine.into_iter().map(|a| view! { <ActionRow assessment=id action=a/> }).collect_view()}
                    </ul>
                })
            })
            .collect_view()
    };
    let none = move || assessment.with(|a| a.as_ref().is_none_or(|a| a.actions.is_empty()));

    view! {
        <section class="panel" aria-labelledby="plan-heading">
            <h2 id="plan-heading">{move || state.t("assess.plan")}</h2>
            <Show when=none>
                <p class="muted">{move || state.t("assess.plan.none")}</p>
            </Show>
            {groups}
            <form class="add-action" on:submit=add novalidate aria-labelledby="add-action-heading">
                <h3 id="add-action-heading">{move || state.t("assess.action.new")}</h3>
                <div class="grid-fields two">
                    <div class="field">
                        <label for="action-dimension">{move || state.t("assess.col.dimension")}</label>
                        <select id="action-dimension" on:change=move |ev| dimension.set(event_target_value(&ev))>
                            {move || {
                                gap::by_rank(&results.get())
                                    .into_iter()
                                    .map(|g| {
                                        let (value, this) = (g.dimension.clone(), g.dimension.clone());
                                        let key = model.dimension_key(&g.dimension);
                                        view! {
                                            <option value=value selected=move || dimension.get() == this>
                                                {move || state.t(&key)}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </div>
                    <div class="field">
                        <label for="action-status">{move || state.t("assess.action.status")}</label>
                        <select
                            id="action-status"
                            on:change=move |ev| {
                                if let Some(s) = status_from_code(&event_target_value(&ev)) {
                                    status.set(s);
                                }
                            }
                        >
                            <StatusOptions selected=status/>
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for="action-text">{move || state.t("assess.action.text")}</label>
                    <textarea id="action-text" rows="2" maxlength="5000" dir="auto" bind:value=text></textarea>
                </div>
                <div class="grid-fields two">
                    <div class="field">
                        <label for="action-owner">{move || state.t("assess.action.owner")}</label>
                        <input id="action-owner" type="text" maxlength="200" dir="auto" bind:value=owner/>
                    </div>
                    <DateInput id="action-due" label="assess.action.due" field=due/>
                </div>
                {move || error.get().map(|key| view! { <p class="field-error" role="alert">{state.t(key)}</p> })}
                <button type="submit" class="primary">{move || state.t("assess.action.add")}</button>
            </form>
        </section>
    }
}

/// One action: what, who, by when (overdue ones stand out), and its status, changeable here.
#[component]
pub(super) fn ActionRow(
    /// The assessment the action belongs to.
    assessment: Uuid,
    action: Action,
    /// Shown above the action, such as the assessment it belongs to.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let state = use_state();
    let today = web::today();
    let late = overdue(&action, today);
    let action_id = action.id;
    let select_id = format!("status-{action_id}");
    let status = action.status;
    let label = {
        let text = action.text.clone();
        move || format!("{} {}", state.t("assess.action.status"), text)
    };
    let due = action.due;
    let owner = action.owner.clone();
    view! {
        <li class=if late { "action-item overdue" } else { "action-item" }>
            {children.map(|c| c())}
            <p class="action-text" dir="auto">{action.text.clone()}</p>
            <p class="muted small">
                {(!owner.is_empty()).then(|| view! { <span dir="auto">{owner.clone()}</span> {move || state.t("list.dot.format")} })}
                {move || {
                    let lang = state.lang.get();
                    due.map(|d| i18n::tf(lang, "assess.action.due_on", &[("date", i18n::date(lang, d))]))
                        .unwrap_or_else(|| i18n::t(lang, "assess.action.no_due").to_owned())
                }}
                {late.then(|| view! { " " <span class="badge danger">{move || state.t("assess.overdue")}</span> })}
            </p>
            <label class="sr-only" for=select_id.clone()>{label}</label>
            <select
                id=select_id
                class=format!("status status-{}", status_code(status))
                on:change=move |ev| {
                    if let Some(s) = status_from_code(&event_target_value(&ev)) {
                        set_status(state, assessment, action_id, s);
                    }
                }
            >
                <StatusOptions selected=Signal::derive(move || status)/>
            </select>
        </li>
    }
}

fn set_status(state: AppState, assessment: Uuid, action: Uuid, status: ActionStatus) {
    if update(state, assessment, |a| {
        if let Some(x) = a.actions.iter_mut().find(|x| x.id == action) {
            x.status = status;
        }
    }) {
        state.notify(Tone::Success, state.t("assess.action.updated"));
    }
}
