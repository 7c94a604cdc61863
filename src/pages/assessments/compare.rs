//! Comparing assessments of one model and team: two of them side by side with the change in each
//! dimension's gap, and every dimension's gap over time.

use leptos::prelude::*;
use uuid::Uuid;

use super::{weights, AssessTabs};
use crate::{
    components::trend_chart::{Series, TrendChart},
    domain::{
        assessment::Assessment,
        gap,
        model::{self, Model},
    },
    i18n::{self, Lang},
    router::{query_param, Route},
    state::use_state,
};

/// The comparison screen.
#[component]
pub fn Compare() -> impl IntoView {
    let state = use_state();
    let model_id = RwSignal::new(query_param("model").unwrap_or_else(|| "rater".to_owned()));
    let model = move || model::get(&model_id.get()).unwrap_or(&model::all()[0]);
    let teams = Memo::new(move |_| {
        let m = model_id.get();
        let mut all: Vec<String> = state.data.with(|d| {
            d.assessments
                .values()
                .filter(|a| a.model == m)
                .map(|a| a.team.clone())
                .collect()
        });
        all.sort();
        all.dedup();
        all
    });
    let team = RwSignal::new(query_param("team").unwrap_or_default());
    // Keep the team one that has assessments of this model.
    Effect::new(move |_| {
        let list = teams.get();
        if !list.contains(&team.get_untracked()) {
            team.set(list.first().cloned().unwrap_or_default());
        }
    });
    // This model and team's assessments, oldest first.
    let series = Memo::new(move |_| {
        let (m, t) = (model_id.get(), team.get());
        let mut list: Vec<Assessment> = state.data.with(|d| {
            d.assessments
                .values()
                .filter(|a| a.model == m && a.team == t)
                .cloned()
                .collect()
        });
        list.sort_by_key(|a| (a.date, a.meta.created));
        list
    });
    let before = RwSignal::new(None::<Uuid>);
    let after = RwSignal::new(None::<Uuid>);
    // The latest two are compared unless others are chosen.
    Effect::new(move |_| {
        let list = series.get();
        let ids: Vec<Uuid> = list.iter().map(|a| a.meta.id).collect();
        let n = ids.len();
        if before.get_untracked().is_none_or(|b| !ids.contains(&b)) {
            before.set((n >= 2).then(|| ids[n - 2]));
        }
        if after.get_untracked().is_none_or(|a| !ids.contains(&a)) {
            after.set(ids.last().copied());
        }
    });

    let pick = move |signal: RwSignal<Option<Uuid>>, id: &'static str, key: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || state.t(key)}</label>
                <select id=id on:change=move |ev| signal.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                    {move || {
                        let lang = state.lang.get();
                        series
                            .get()
                            .into_iter()
                            .map(|a| {
                                let this = a.meta.id;
                                view! {
                                    <option value=this.to_string() selected=move || signal.get() == Some(this)>
                                        {option_text(lang, &a)}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
        }
    };

    view! {
        <AssessTabs current=Route::AssessmentCompare/>
        <h1>{move || state.t("assess.compare.title")}</h1>
        <div class="panel grid-fields two">
            <div class="field">
                <label for="cmp-model">{move || state.t("assess.model")}</label>
                <select id="cmp-model" on:change=move |ev| model_id.set(event_target_value(&ev))>
                    {model::all()
                        .iter()
                        .map(|m| {
                            let (value, this, key) = (m.id.clone(), m.id.clone(), m.name_key());
                            view! {
                                <option value=value selected=move || model_id.get() == this>
                                    {move || state.t(&key)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="cmp-team">{move || state.t("assess.team")}</label>
                <select id="cmp-team" on:change=move |ev| team.set(event_target_value(&ev))>
                    {move || {
                        teams
                            .get()
                            .into_iter()
                            .map(|t| {
                                let (value, this) = (t.clone(), t.clone());
                                view! { <option value=value selected=move || team.get() == this>{t}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
        </div>
        <Show
            when=move || { series.with(Vec::len) >= 2 }
            fallback=move || view! { <p class="muted">{move || state.t("assess.compare.few")}</p> }
        >
            <section class="panel" aria-labelledby="cmp-heading">
                <h2 id="cmp-heading">{move || state.t("assess.compare.pair")}</h2>
                <div class="grid-fields two">
                    {pick(before, "cmp-before", "assess.compare.before")}
                    {pick(after, "cmp-after", "assess.compare.after")}
                </div>
                {move || {
                    let m = model();
                    let (b, a) = (before.get()?, after.get()?);
                    let list = series.get();
                    let find = |id: Uuid| list.iter().find(|x| x.meta.id == id).cloned();
                    Some(view! { <PairTable model=m before=find(b)? after=find(a)?/> })
                }}
            </section>
            <section class="panel" aria-labelledby="trend-heading">
                <h2 id="trend-heading">{move || state.t("assess.trend")}</h2>
                {move || view! { <Trend model=model() list=series.get()/> }}
            </section>
        </Show>
    }
}

fn option_text(lang: Lang, a: &Assessment) -> String {
    if a.assessor.is_empty() {
        i18n::date(lang, a.date)
    } else {
        [i18n::date(lang, a.date), a.assessor.clone()].join(i18n::t(lang, "list.dot.format"))
    }
}

/// Two assessments' gaps and the change per dimension.
#[component]
fn PairTable(model: &'static Model, before: Assessment, after: Assessment) -> impl IntoView {
    let state = use_state();
    let w = weights(state);
    let changes = gap::compare(
        &gap::gaps(model, &before.ratings, &w),
        &gap::gaps(model, &after.ratings, &w),
    );
    let rows = move || {
        let lang = state.lang.get();
        changes
            .iter()
            .map(|c| {
                let verdict = match c.change {
                    Some(v) if v < -0.005 => "assess.compare.closing",
                    Some(v) if v > 0.005 => "assess.compare.widening",
                    Some(_) => "assess.compare.same",
                    None => "assess.compare.unknown",
                };
                let f = |v: Option<f64>| {
                    v.map(|v| i18n::decimal(lang, v, 2))
                        .unwrap_or_else(|| "–".into())
                };
                let signed = c.change.map(|v| {
                    let s = i18n::decimal(lang, v.abs(), 2);
                    if v > 0.005 {
                        format!("+{s}")
                    } else if v < -0.005 {
                        format!("−{s}")
                    } else {
                        s
                    }
                });
                view! {
                    <tr>
                        <th scope="row">{i18n::t(lang, &model.dimension_key(&c.dimension))}</th>
                        <td>{f(c.before)}</td>
                        <td>{f(c.after)}</td>
                        <td dir="ltr" class="num">{signed.unwrap_or_else(|| "–".into())}</td>
                        <td>{i18n::t(lang, verdict)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let (b_date, a_date) = (before.date, after.date);
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data">
                <caption class="sr-only">{move || state.t("assess.compare.pair")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || state.t("assess.col.dimension")}</th>
                        <th scope="col">{move || state.tf("assess.compare.gap_on", &[("date", i18n::date(state.lang.get(), b_date))])}</th>
                        <th scope="col">{move || state.tf("assess.compare.gap_on", &[("date", i18n::date(state.lang.get(), a_date))])}</th>
                        <th scope="col">{move || state.t("assess.compare.change")}</th>
                        <th scope="col">{move || state.t("assess.compare.meaning")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Every dimension's gap across this model and team's assessments, as lines and as a table.
#[component]
fn Trend(model: &'static Model, list: Vec<Assessment>) -> impl IntoView {
    let state = use_state();
    let points = gap::trend(model, &list, &weights(state));
    let dates = {
        let points = points.clone();
        Signal::derive(move || {
            let lang = state.lang.get();
            points
                .iter()
                .map(|p| i18n::date(lang, p.date))
                .collect::<Vec<_>>()
        })
    };
    let series = {
        let points = points.clone();
        Signal::derive(move || {
            let lang = state.lang.get();
            model
                .dimensions
                .iter()
                .enumerate()
                .map(|(k, d)| Series {
                    label: i18n::t(lang, &model.dimension_key(d)).to_owned(),
                    values: points.iter().map(|p| p.gaps[k]).collect(),
                    unit: "",
                })
                .collect::<Vec<_>>()
        })
    };
    let table = move || {
        let lang = state.lang.get();
        let head = points
            .iter()
            .map(|p| view! { <th scope="col">{i18n::date(lang, p.date)}</th> })
            .collect_view();
        let body = model
            .dimensions
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let cells = points
                    .iter()
                    .map(|p| view! { <td>{p.gaps[k].map(|v| i18n::decimal(lang, v, 2)).unwrap_or_else(|| "–".into())}</td> })
                    .collect_view();
                view! { <tr><th scope="row">{i18n::t(lang, &model.dimension_key(d))}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            <thead><tr><th scope="col">{i18n::t(lang, "assess.col.dimension")}</th>{head}</tr></thead>
            <tbody>{body}</tbody>
        }
    };
    view! {
        <TrendChart dates=dates series=series table_id="trend-table" label="assess.trend" places=2/>
        <div class="table-wrap" tabindex="0">
            <table class="data" id="trend-table">
                <caption class="sr-only">{move || state.t("assess.trend")}</caption>
                {table}
            </table>
        </div>
    }
}
