//! The cards section: count, CSAT and NPS, the mean per RATER dimension, the spread of the
//! overall rating, the trend by period, and the same by branch and by touchpoint.

use leptos::prelude::*;

use super::{figure, period_names, Tile};
use crate::{
    components::{
        bar_chart::{Bar, BarChart},
        trend_chart::{Series, TrendChart},
    },
    domain::{
        period::Span,
        rater::Dimension,
        report::{CardReport, Satisfaction},
    },
    i18n,
    state::use_state,
};

#[component]
pub(super) fn CardsSection(report: Memo<CardReport>, span: RwSignal<Span>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get();
    let all = move || report.with(|r| r.all);
    let dims = Signal::derive(move || {
        report.with(|r| {
            Dimension::ALL
                .iter()
                .map(|d| Bar {
                    label: state.t(&format!("dimension.{}", d.code())).to_owned(),
                    gap: r.dimensions[d].value,
                })
                .collect::<Vec<_>>()
        })
    });
    let spread = Signal::derive(move || {
        report.with(|r| {
            (1..=5u8)
                .rev()
                .map(|v| Bar {
                    label: state.tf(
                        "rating.label.format",
                        &[
                            ("n", i18n::digits_in(lang(), &v.to_string())),
                            (
                                "name",
                                state.t(&format!("scale.satisfaction.{v}")).to_owned(),
                            ),
                        ],
                    ),
                    gap: Some(r.overall[usize::from(v - 1)] as f64),
                })
                .collect::<Vec<_>>()
        })
    });
    let spread_high = Signal::derive(move || {
        report.with(|r| r.overall.iter().copied().max().unwrap_or(0) as f64)
    });
    let trend = Memo::new(move |_| report.with(|r| r.trend(span.get(), lang().calendar())));
    let trend_dates = Signal::derive(move || {
        trend.with(|t| period_names(lang(), span.get(), t.iter().map(|(d, _)| *d)))
    });
    let trend_series = Signal::derive(move || {
        trend.with(|t| {
            vec![
                Series {
                    label: state.t("dash.csat").to_owned(),
                    values: t.iter().map(|(_, s)| s.csat.value).collect(),
                    unit: "%",
                },
                Series {
                    label: state.t("dash.nps").to_owned(),
                    values: t.iter().map(|(_, s)| s.nps.value).collect(),
                    unit: "",
                },
            ]
        })
    });
    view! {
        <section class="panel report" aria-labelledby="dash-cards">
            <h2 id="dash-cards">{move || state.t("dash.cards.title")}</h2>
            <div class="tiles">
                <Tile title="dash.cards" value=Signal::derive(move || i18n::int(lang(), all().cards as u64)) note=Signal::derive(move || state.t("dash.cards.note").to_owned())/>
                <Tile
                    title="dash.csat"
                    value=Signal::derive(move || figure(lang(), all().csat, 0, "%"))
                    note=Signal::derive(move || state.tf("dash.csat.note", &[("n", i18n::int(lang(), all().csat.n as u64))]))
                />
                <Tile
                    title="dash.nps"
                    value=Signal::derive(move || figure(lang(), all().nps, 0, ""))
                    note=Signal::derive(move || {
                        let (a, l) = (all(), lang());
                        i18n::tf(
                            l,
                            "dash.nps.note",
                            &[
                                ("p", i18n::int(l, a.promoters as u64)),
                                ("m", i18n::int(l, a.passives as u64)),
                                ("d", i18n::int(l, a.detractors as u64)),
                            ],
                        )
                    })
                />
            </div>
            <div class="chart-grid two">
                <div>
                    <h3>{move || state.t("dash.dimensions")}</h3>
                    <BarChart bars=dims table_id="dash-dims-table" label="dash.dimensions" floor=0.0 high=Signal::derive(|| 5.0) places=2/>
                    <div class="table-wrap" tabindex="0">
                        <table class="data" id="dash-dims-table">
                            <caption class="sr-only">{move || state.t("dash.dimensions")}</caption>
                            <thead><tr><th scope="col">{move || state.t("dash.dimension")}</th><th scope="col">{move || state.t("dash.mean")}</th><th scope="col">{move || state.t("dash.answers")}</th></tr></thead>
                            <tbody>
                                {move || {
                                    let l = lang();
                                    report.with(|r| {
                                        Dimension::ALL
                                            .iter()
                                            .map(|d| {
                                                let f = r.dimensions[d];
                                                view! {
                                                    <tr>
                                                        <th scope="row">{i18n::t(l, &format!("dimension.{}", d.code()))}</th>
                                                        <td>{figure(l, f, 2, "")}</td>
                                                        <td>{i18n::int(l, f.n as u64)}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()
                                    })
                                }}
                            </tbody>
                        </table>
                    </div>
                </div>
                <div>
                    <h3>{move || state.t("dash.spread")}</h3>
                    <BarChart bars=spread table_id="dash-spread-table" label="dash.spread" floor=0.0 high=spread_high places=0/>
                    <div class="table-wrap" tabindex="0">
                        <table class="data" id="dash-spread-table">
                            <caption class="sr-only">{move || state.t("dash.spread")}</caption>
                            <thead><tr><th scope="col">{move || state.t("dash.rating")}</th><th scope="col">{move || state.t("dash.cards")}</th></tr></thead>
                            <tbody>
                                {move || {
                                    spread
                                        .get()
                                        .into_iter()
                                        .map(|b| view! { <tr><th scope="row">{b.label}</th><td>{i18n::int(lang(), b.gap.unwrap_or(0.0) as u64)}</td></tr> })
                                        .collect_view()
                                }}
                            </tbody>
                        </table>
                    </div>
                </div>
            </div>
            <h3>{move || state.t("dash.trend")}</h3>
            <TrendChart dates=trend_dates series=trend_series table_id="dash-trend-table" label="dash.trend" places=0/>
            <div class="table-wrap" tabindex="0">
                <table class="data" id="dash-trend-table">
                    <caption class="sr-only">{move || state.t("dash.trend")}</caption>
                    <thead><tr><th scope="col">{move || state.t("dash.period")}</th><th scope="col">{move || state.t("dash.cards")}</th><th scope="col">{move || state.t("dash.csat")}</th><th scope="col">{move || state.t("dash.nps")}</th></tr></thead>
                    <tbody>
                        {move || {
                            let l = lang();
                            let dates = trend_dates.get();
                            trend.with(|t| {
                                t.iter()
                                    .zip(dates)
                                    .map(|((_, s), name)| view! {
                                        <tr>
                                            <th scope="row">{name}</th>
                                            <td>{i18n::int(l, s.cards as u64)}</td>
                                            <td>{figure(l, s.csat, 0, "%")}</td>
                                            <td>{figure(l, s.nps, 0, "")}</td>
                                        </tr>
                                    })
                                    .collect_view()
                            })
                        }}
                    </tbody>
                </table>
            </div>
            <div class="chart-grid two">
                {move || {
                    // Branches in the reader's language (Settings may give a Persian form).
                    let rows = report.with(|r| r.by_branch.iter().map(|(b, s)| (state.branch_label(b), *s)).collect());
                    group_table("dash-branches", "dash.branch", rows, |_, name| name)
                }}
                {move || group_table("dash-touchpoints", "dash.touchpoint", report.with(|r| r.by_touchpoint.clone()), i18n::touchpoint)}
            </div>
        </section>
    }
}

/// CSAT and NPS per branch or touchpoint, largest first.
fn group_table(
    id: &'static str,
    key: &'static str,
    rows: Vec<(String, Satisfaction)>,
    // How a row's name is shown: codes get their words in the reader's language.
    label: fn(i18n::Lang, String) -> String,
) -> impl IntoView {
    let state = use_state();
    let l = state.lang.get();
    let body = rows
        .into_iter()
        .map(|(name, s)| {
            let name = if name.is_empty() {
                i18n::t(l, "dash.unnamed").to_owned()
            } else {
                label(l, name)
            };
            view! {
                <tr>
                    <th scope="row" dir="auto">{name}</th>
                    <td>{i18n::int(l, s.cards as u64)}</td>
                    <td>{figure(l, s.csat, 0, "%")}</td>
                    <td>{figure(l, s.nps, 0, "")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data" id=id>
                <caption>{i18n::t(l, key)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n::t(l, key)}</th>
                        <th scope="col">{i18n::t(l, "dash.cards")}</th>
                        <th scope="col">{i18n::t(l, "dash.csat")}</th>
                        <th scope="col">{i18n::t(l, "dash.nps")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
