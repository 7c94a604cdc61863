//! The assessments section: the latest RATER gap per team, the mean gap per dimension by period,
//! actions still to do, and the staff's view beside the customers'.

use leptos::prelude::*;

use super::{maybe, period_names};
use crate::{
    components::trend_chart::{Series, TrendChart},
    domain::{
        gap, model,
        period::Span,
        rater::Dimension,
        report::{CardReport, GapReport},
    },
    i18n::{self, Lang},
    router::Route,
    state::use_state,
};

/// The names of the RATER dimensions, in the model's order.
fn dimension_names(lang: Lang) -> Vec<String> {
    model::get("rater")
        .map(|m| {
            m.dimensions
                .iter()
                .map(|d| i18n::t(lang, &m.dimension_key(d)).to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[component]
pub(super) fn GapsSection(
    report: Memo<Option<GapReport>>,
    cards: Memo<CardReport>,
    span: RwSignal<Span>,
) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get();
    let get = move || report.get().unwrap_or_default();
    let trend_dates = Signal::derive(move || {
        period_names(lang(), span.get(), get().trend.iter().map(|(d, ..)| *d))
    });
    let trend_series = Signal::derive(move || {
        let r = get();
        dimension_names(lang())
            .into_iter()
            .enumerate()
            .map(|(k, label)| Series {
                label,
                values: r
                    .trend
                    .iter()
                    .map(|(_, g, _)| g.get(k).copied().flatten())
                    .collect(),
                unit: "",
            })
            .collect::<Vec<_>>()
    });
    let dimension_heads = move || {
        dimension_names(lang())
            .into_iter()
            .map(|d| view! { <th scope="col">{d}</th> })
            .collect_view()
    };
    view! {
        <section class="panel report" aria-labelledby="dash-gaps">
            <h2 id="dash-gaps">{move || state.t("dash.gaps.title")}</h2>
            <p>
                {move || {
                    let (open, late) = report.with(|r| r.as_ref().map_or((0, 0), |r| (r.open_actions, r.overdue_actions)));
                    let l = lang();
                    state.tf("dash.open_actions", &[("n", i18n::int(l, open as u64)), ("late", i18n::int(l, late as u64))])
                }}
                " "
                <a href=Route::AssessmentActions.href()>{move || state.t("dash.see_actions")}</a>
            </p>
            {move || {
                let l = lang();
                let rows = get().latest;
                if rows.is_empty() {
                    return view! { <p class="muted">{i18n::t(l, "dash.no_assessments")}</p> }.into_any();
                }
                let body = rows
                    .into_iter()
                    .map(|t| {
                        let cells = t.gaps.iter().map(|g| view! { <td>{maybe(l, g.gap, 2)}</td> }).collect_view();
                        view! { <tr><th scope="row" dir="auto">{t.team}</th><td>{i18n::date(l, t.date)}</td>{cells}</tr> }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="data" id="dash-gap-table">
                            <caption>{i18n::t(l, "dash.latest_gaps")}</caption>
                            <thead><tr><th scope="col">{i18n::t(l, "dash.team")}</th><th scope="col">{i18n::t(l, "dash.date")}</th>{dimension_heads()}</tr></thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
            <h3>{move || state.t("dash.gap_trend")}</h3>
            <TrendChart dates=trend_dates series=trend_series table_id="dash-gap-trend-table" label="dash.gap_trend" places=2/>
            <div class="table-wrap" tabindex="0">
                <table class="data" id="dash-gap-trend-table">
                    <caption class="sr-only">{move || state.t("dash.gap_trend")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || state.t("dash.period")}</th>
                            <th scope="col">{move || state.t("dash.assessments")}</th>
                            {dimension_heads}
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let l = lang();
                            get()
                                .trend
                                .into_iter()
                                .zip(trend_dates.get())
                                .map(|((_, gaps, n), name)| {
                                    let cells = gaps.into_iter().map(|g| view! { <td>{maybe(l, g, 2)}</td> }).collect_view();
                                    view! { <tr><th scope="row">{name}</th><td>{i18n::int(l, n as u64)}</td>{cells}</tr> }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <h3>{move || state.t("dash.beside")}</h3>
            <div class="table-wrap" tabindex="0">
                <table class="data" id="dash-beside-table">
                    <caption class="sr-only">{move || state.t("dash.beside")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || state.t("dash.dimension")}</th>
                            <th scope="col">{move || state.t("dash.staff")}</th>
                            <th scope="col">{move || state.t("dash.customers")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let l = lang();
                            let staff = get().staff_current;
                            let customers = cards.with(|c| c.dimensions.clone());
                            let order = model::get("rater").map(|m| m.dimensions.clone()).unwrap_or_default();
                            Dimension::ALL
                                .iter()
                                .map(|d| {
                                    let k = order.iter().position(|x| x == d.code()).unwrap_or(usize::MAX);
                                    let theirs = customers[d].value.map(|v| gap::rescale(v, (1.0, 5.0), (1.0, 7.0)));
                                    view! {
                                        <tr>
                                            <th scope="row">{i18n::t(l, &format!("dimension.{}", d.code()))}</th>
                                            <td>{maybe(l, staff.get(k).copied().flatten(), 2)}</td>
                                            <td>{maybe(l, theirs, 2)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <p class="hint">{move || state.t("dash.beside.note")}</p>
        </section>
    }
}
