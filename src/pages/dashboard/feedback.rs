//! The feedback section: counts by kind, status, dimension, channel and segment; times to first
//! response and to resolve in working hours; same-day logging; follow-up calls; items logged per
//! period; and the overdue list.

use leptos::prelude::*;

use super::{figure, period_names, Tile};
use crate::{
    components::trend_chart::{Series, TrendChart},
    domain::{
        feedback::{Channel, FeedbackKind, Status},
        period::Span,
        rater::Dimension,
        report::{Durations, FeedbackReport, MIN_SAMPLE},
    },
    i18n::{self, Lang},
    router::Route,
    state::use_state,
};

/// How many overdue items are listed by name.
const OVERDUE_SHOWN: usize = 20;

/// A count per name, as a table.
fn counts(
    lang: Lang,
    id: &'static str,
    key: &'static str,
    rows: Vec<(String, usize)>,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|(name, n)| view! { <tr><th scope="row" dir="auto">{name}</th><td>{i18n::int(lang, n as u64)}</td></tr> })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data" id=id>
                <caption>{i18n::t(lang, key)}</caption>
                <thead><tr><th scope="col">{i18n::t(lang, key)}</th><th scope="col">{i18n::t(lang, "dash.items")}</th></tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

fn kind_name(lang: Lang, k: FeedbackKind) -> String {
    i18n::t(lang, &format!("feedback.kind.{}", k.code())).to_owned()
}

#[component]
pub(super) fn FeedbackSection(report: Memo<FeedbackReport>, span: RwSignal<Span>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get();
    let hours = move |s: i64| {
        let l = lang();
        i18n::tf(
            l,
            "dash.hours",
            &[("h", i18n::decimal(l, s as f64 / 3600.0, 1))],
        )
    };
    // The median, or why there is none.
    let median = move |d: Durations| match d.median {
        Some(s) => hours(s),
        None if d.n == 0 => state.t("dash.none_yet").to_owned(),
        None => state.t("dash.too_few_short").to_owned(),
    };
    // The 90th percentile and what the figure rests on.
    let spread = move |d: Durations| {
        let n = i18n::int(lang(), d.n as u64);
        match d.p90 {
            Some(s) => state.tf("dash.p90", &[("time", hours(s)), ("n", n)]),
            None => state.tf(
                "dash.durations.few",
                &[("n", n), ("min", i18n::int(lang(), MIN_SAMPLE as u64))],
            ),
        }
    };
    let trend = Memo::new(move |_| report.with(|r| r.trend(span.get(), lang().calendar())));
    let trend_dates = Signal::derive(move || {
        trend.with(|t| period_names(lang(), span.get(), t.iter().map(|(d, _)| *d)))
    });
    let trend_series = Signal::derive(move || {
        let l = lang();
        trend.with(|t| {
            FeedbackKind::ALL
                .iter()
                .enumerate()
                .map(|(k, kind)| Series {
                    label: kind_name(l, *kind),
                    values: t.iter().map(|(_, n)| Some(n[k] as f64)).collect(),
                    unit: "",
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="panel report" aria-labelledby="dash-feedback">
            <h2 id="dash-feedback">{move || state.t("dash.feedback.title")}</h2>
            <div class="tiles">
                <Tile title="dash.items" value=Signal::derive(move || i18n::int(lang(), report.with(|r| r.total) as u64)) note=Signal::derive(move || state.t("dash.items.note").to_owned())/>
                <Tile
                    title="dash.first_response"
                    value=Signal::derive(move || median(report.with(|r| r.first_response)))
                    note=Signal::derive(move || spread(report.with(|r| r.first_response)))
                />
                <Tile
                    title="dash.resolve"
                    value=Signal::derive(move || median(report.with(|r| r.resolve)))
                    note=Signal::derive(move || spread(report.with(|r| r.resolve)))
                />
                <Tile
                    title="dash.same_day"
                    value=Signal::derive(move || figure(lang(), report.with(|r| r.same_day), 0, "%"))
                    note=Signal::derive(move || state.tf("dash.of_items", &[("n", i18n::int(lang(), report.with(|r| r.same_day.n) as u64))]))
                />
                <Tile
                    title="dash.calls"
                    value=Signal::derive(move || {
                        let (done, due) = report.with(|r| (r.calls_done, r.calls_due));
                        state.tf("dash.calls.value", &[("done", i18n::int(lang(), done as u64)), ("due", i18n::int(lang(), due as u64))])
                    })
                    note=Signal::derive(move || {
                        let f = report.with(|r| r.call_satisfaction);
                        state.tf("dash.calls.note", &[("mean", figure(lang(), f, 1, ""))])
                    })
                />
            </div>
            <h3>{move || state.t("dash.feedback_trend")}</h3>
            <TrendChart dates=trend_dates series=trend_series table_id="dash-feedback-trend-table" label="dash.feedback_trend" places=0/>
            <div class="table-wrap" tabindex="0">
                <table class="data" id="dash-feedback-trend-table">
                    <caption class="sr-only">{move || state.t("dash.feedback_trend")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || state.t("dash.period")}</th>
                            {move || FeedbackKind::ALL.iter().map(|k| view! { <th scope="col">{kind_name(lang(), *k)}</th> }).collect_view()}
                            <th scope="col">{move || state.t("dash.total")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let l = lang();
                            let dates = trend_dates.get();
                            trend.with(|t| {
                                t.iter()
                                    .zip(dates)
                                    .map(|((_, n), name)| {
                                        let cells = n.iter().map(|v| view! { <td>{i18n::int(l, *v as u64)}</td> }).collect_view();
                                        let total: usize = n.iter().sum();
                                        view! { <tr><th scope="row">{name}</th>{cells}<td>{i18n::int(l, total as u64)}</td></tr> }
                                    })
                                    .collect_view()
                            })
                        }}
                    </tbody>
                </table>
            </div>
            <div class="chart-grid three">
                {move || {
                    let l = lang();
                    let rows = report.with(|r| {
                        FeedbackKind::ALL
                            .iter()
                            .map(|k| (kind_name(l, *k), r.by_kind.get(k).copied().unwrap_or(0)))
                            .collect()
                    });
                    counts(l, "dash-kinds", "dash.kind", rows)
                }}
                {move || {
                    let l = lang();
                    let rows = report.with(|r| {
                        Status::ALL
                            .iter()
                            .map(|s| (i18n::t(l, &format!("feedback.status.{}", s.code())).to_owned(), r.by_status.get(s).copied().unwrap_or(0)))
                            .collect()
                    });
                    counts(l, "dash-statuses", "dash.status", rows)
                }}
                {move || {
                    let l = lang();
                    let rows = report.with(|r| {
                        Dimension::ALL
                            .iter()
                            .map(Some)
                            .chain([None])
                            .map(|d| {
                                let name = d.map_or_else(|| i18n::t(l, "dash.no_dimension"), |d| i18n::t(l, &format!("dimension.{}", d.code())));
                                (name.to_owned(), r.by_dimension.get(&d.copied()).copied().unwrap_or(0))
                            })
                            .collect()
                    });
                    counts(l, "dash-dimensions", "dash.dimension", rows)
                }}
                {move || {
                    let l = lang();
                    let rows = report.with(|r| {
                        Channel::ALL
                            .iter()
                            .filter_map(|c| Some((i18n::t(l, &format!("feedback.channel.{}", c.code())).to_owned(), *r.by_channel.get(c)?)))
                            .collect()
                    });
                    counts(l, "dash-channels", "dash.channel", rows)
                }}
                {move || {
                    let l = lang();
                    let rows = report.with(|r| {
                        r.by_segment
                            .iter()
                            .map(|(s, n)| (if s.is_empty() { i18n::t(l, "dash.unnamed").to_owned() } else { s.clone() }, *n))
                            .collect()
                    });
                    counts(l, "dash-segments", "dash.segment", rows)
                }}
            </div>
            <h3 id="dash-overdue">{move || state.tf("dash.overdue", &[("n", i18n::int(lang(), report.with(|r| r.overdue.len()) as u64))])}</h3>
            <ul class="overdue-list" aria-labelledby="dash-overdue">
                {move || {
                    let l = lang();
                    report.with(|r| r.overdue.iter().take(OVERDUE_SHOWN).copied().collect::<Vec<_>>())
                        .into_iter()
                        .filter_map(|id| {
                            let (kind, text): (FeedbackKind, String) = state.data.with(|d| d.feedback.get(&id).map(|i| (i.kind, i.description.chars().take(90).collect())))?;
                            Some(view! {
                                <li>
                                    <span class=format!("badge kind-{}", kind.code())>{kind_name(l, kind)}</span>
                                    " "
                                    <a href=format!("{}?id={id}", Route::FeedbackItem.href()) dir="auto">{text}</a>
                                </li>
                            })
                        })
                        .collect_view()
                }}
            </ul>
            {move || {
                let more = report.with(|r| r.overdue.len().saturating_sub(OVERDUE_SHOWN));
                (more > 0).then(|| view! {
                    <p class="muted">
                        {state.tf("dash.overdue_more", &[("n", i18n::int(lang(), more as u64))])}
                        " "
                        <a href=Route::Feedback.href()>{state.t("dash.see_inbox")}</a>
                    </p>
                })
            }}
        </section>
    }
}
