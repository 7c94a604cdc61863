//! The Dashboard: satisfaction, feedback handling and assessment gaps for a date range, branch
//! and segment, in the user's calendar; printable, with CSV exports. Every figure is worked out
//! in `domain::report` in one pass and says how many answers it rests on.

use chrono::{Duration, Utc};
use leptos::prelude::*;

use crate::{
    components::{
        bar_chart::{Bar, BarChart},
        date_field::{DateField, DateInput},
        text_options::TextOptions,
        trend_chart::{Series, TrendChart},
    },
    domain::{
        csv,
        feedback::{Channel, FeedbackKind, Status},
        gap, model,
        period::{Calendar, Span},
        rater::Dimension,
        report::{
            self, CardFilter, CardReport, FeedbackFilter, FeedbackReport, Figure, Satisfaction,
        },
        Dataset,
    },
    i18n::{self, Lang},
    pages::cards::all_templates,
    router::Route,
    state::{use_state, Tone},
    web,
};

/// A share or mean, or why it is not shown.
fn figure(lang: Lang, f: Figure, places: usize, suffix: &str) -> String {
    match f.value {
        Some(v) => format!("{}{suffix}", i18n::decimal(lang, v, places)),
        None if f.n == 0 => i18n::t(lang, "dash.no_data").to_owned(),
        None => i18n::tf(lang, "dash.too_few", &[("n", i18n::int(lang, f.n as u64))]),
    }
}

fn calendar_of(lang: Lang) -> Calendar {
    match lang {
        Lang::Fa => Calendar::Jalali,
        Lang::En => Calendar::Gregorian,
    }
}

/// The Dashboard screen.
#[component]
pub fn Dashboard() -> impl IntoView {
    let state = use_state();
    let lang = state.lang.get_untracked();
    let today = web::today();
    let from = DateField::with_day(lang, today - Duration::days(89));
    let to = DateField::with_day(lang, today);
    let branch = RwSignal::new(String::new());
    let segment = RwSignal::new(String::new());
    let span = RwSignal::new(Span::Month);

    let cards = Memo::new(move |_| {
        let filter = CardFilter {
            from: from.day().ok().flatten(),
            to: to.day().ok().flatten(),
            branch: branch.get(),
        };
        let templates = all_templates(state);
        let calendar = calendar_of(state.lang.get());
        state.data.with(|d| {
            report::card_report(
                d.cards.values(),
                |id| templates.iter().find(|t| t.meta.id == id),
                &filter,
                web::local_offset(),
                span.get(),
                calendar,
            )
        })
    });
    let feedback = Memo::new(move |_| {
        let filter = FeedbackFilter {
            from: from.day().ok().flatten(),
            to: to.day().ok().flatten(),
            segment: segment.get(),
        };
        let s = state.settings();
        let cal = s.calendar(web::local_offset());
        state.data.with(|d| {
            report::feedback_report(
                d.feedback.values(),
                &filter,
                &cal,
                |k| s.target_hours(k),
                Utc::now(),
                today,
            )
        })
    });
    let branches = Memo::new(move |_| state.data.with(Dataset::branch_names));
    let segments = Memo::new(move |_| state.settings().segments);

    let export_cards = move |_| {
        let lang = state.lang.get_untracked();
        let (f, t, b) = (
            from.day().ok().flatten(),
            to.day().ok().flatten(),
            branch.get_untracked(),
        );
        let offset = web::local_offset();
        let template = crate::pages::cards::default_template(state);
        let text = state.data.with_untracked(|d| {
            let list: Vec<_> = d
                .cards
                .values()
                .filter(|c| {
                    let day = c.meta.created.with_timezone(&offset).date_naive();
                    f.is_none_or(|f| day >= f)
                        && t.is_none_or(|t| day <= t)
                        && (b.is_empty() || c.branch == b)
                })
                .collect();
            csv::cards(
                &list,
                &template,
                &|text| match lang {
                    Lang::En => text.en.clone(),
                    Lang::Fa => text.fa.clone(),
                },
                &|k| i18n::t(lang, k).to_owned(),
                offset,
            )
        });
        if web::download(
            &format!("cards-{today}.csv"),
            "text/csv;charset=utf-8",
            &text,
        )
        .is_err()
        {
            state.notify(Tone::Error, i18n::t(lang, "dash.export_failed"));
        }
    };
    let export_feedback = move |_| {
        let lang = state.lang.get_untracked();
        let (f, t, s) = (
            from.day().ok().flatten(),
            to.day().ok().flatten(),
            segment.get_untracked(),
        );
        let offset = web::local_offset();
        let text = state.data.with_untracked(|d| {
            let list: Vec<_> = d
                .feedback
                .values()
                .filter(|i| {
                    let day = i.meta.created.with_timezone(&offset).date_naive();
                    f.is_none_or(|f| day >= f)
                        && t.is_none_or(|t| day <= t)
                        && (s.is_empty() || i.segment == s)
                })
                .collect();
            csv::feedback(&list, &|k| i18n::t(lang, k).to_owned(), offset)
        });
        if web::download(
            &format!("feedback-{today}.csv"),
            "text/csv;charset=utf-8",
            &text,
        )
        .is_err()
        {
            state.notify(Tone::Error, i18n::t(lang, "dash.export_failed"));
        }
    };

    view! {
        <h1>{move || state.t("nav.dashboard")}</h1>
        <fieldset class="panel filters">
            <legend>{move || state.t("dash.filters")}</legend>
            <div class="grid-fields">
                <DateInput id="dash-from" label="dash.from" field=from/>
                <DateInput id="dash-to" label="dash.to" field=to/>
                <div class="field">
                    <label for="dash-branch">{move || state.t("dash.branch")}</label>
                    <select id="dash-branch" on:change=move |ev| branch.set(event_target_value(&ev))>
                        <option value="">{move || state.t("dash.all")}</option>
                        <TextOptions values=branches selected=branch/>
                    </select>
                </div>
                <div class="field">
                    <label for="dash-segment">{move || state.t("dash.segment")}</label>
                    <select id="dash-segment" on:change=move |ev| segment.set(event_target_value(&ev))>
                        <option value="">{move || state.t("dash.all")}</option>
                        <TextOptions values=segments selected=segment/>
                    </select>
                </div>
                <div class="field">
                    <label for="dash-span">{move || state.t("dash.span")}</label>
                    <select
                        id="dash-span"
                        on:change=move |ev| {
                            span.set(match event_target_value(&ev).as_str() {
                                "week" => Span::Week,
                                "quarter" => Span::Quarter,
                                _ => Span::Month,
                            })
                        }
                    >
                        <option value="week">{move || state.t("dash.span.week")}</option>
                        <option value="month" selected>{move || state.t("dash.span.month")}</option>
                        <option value="quarter">{move || state.t("dash.span.quarter")}</option>
                    </select>
                </div>
            </div>
            <div class="actions">
                <button type="button" class="secondary" on:click=export_cards>{move || state.t("dash.export_csv")}</button>
                <button type="button" class="secondary" on:click=export_feedback>{move || state.t("dash.export_feedback")}</button>
                <button type="button" class="secondary" on:click=move |_| web::print()>{move || state.t("dash.print")}</button>
            </div>
        </fieldset>
        <CardsSection report=cards/>
        <FeedbackSection report=feedback/>
        <GapsSection cards=cards/>
    }
}

/// One headline figure.
#[component]
fn Tile(
    /// Locale key of the heading.
    title: &'static str,
    /// The figure.
    #[prop(into)]
    value: Signal<String>,
    /// What it rests on.
    #[prop(into)]
    note: Signal<String>,
) -> impl IntoView {
    let state = use_state();
    view! {
        <div class="tile">
            <h3>{move || state.t(title)}</h3>
            <p class="tile-value">{move || value.get()}</p>
            <p class="muted small">{move || note.get()}</p>
        </div>
    }
}

#[component]
fn CardsSection(report: Memo<CardReport>) -> impl IntoView {
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
                    label: format!(
                        "{} · {}",
                        i18n::digits_in(lang(), &v.to_string()),
                        state.t(&format!("scale.satisfaction.{v}"))
                    ),
                    gap: Some(r.overall[usize::from(v - 1)] as f64),
                })
                .collect::<Vec<_>>()
        })
    });
    let spread_high = Signal::derive(move || {
        report.with(|r| r.overall.iter().copied().max().unwrap_or(0) as f64)
    });
    let calendar = move || calendar_of(lang());
    let period_label = move |d: chrono::NaiveDate| i18n::date(lang(), d);
    let trend_dates = Signal::derive(move || {
        report.with(|r| {
            r.trend
                .iter()
                .map(|(d, _)| period_label(*d))
                .collect::<Vec<_>>()
        })
    });
    let trend_series = Signal::derive(move || {
        report.with(|r| {
            vec![Series {
                label: state.t("dash.csat").to_owned(),
                values: r.trend.iter().map(|(_, s)| s.csat.value).collect(),
            }]
        })
    });
    let _ = calendar;
    let group_rows = move |rows: Vec<(String, Satisfaction)>| {
        let l = lang();
        rows.into_iter()
            .map(|(name, s)| {
                let name = if name.is_empty() {
                    i18n::t(l, "dash.unnamed").to_owned()
                } else {
                    name
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
            .collect_view()
    };
    let group_table =
        move |id: &'static str, key: &'static str, rows: Vec<(String, Satisfaction)>| {
            view! {
                <div class="table-wrap" tabindex="0">
                    <table class="data" id=id>
                        <caption>{move || state.t(key)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || state.t(key)}</th>
                                <th scope="col">{move || state.t("dash.cards")}</th>
                                <th scope="col">{move || state.t("dash.csat")}</th>
                                <th scope="col">{move || state.t("dash.nps")}</th>
                            </tr>
                        </thead>
                        <tbody>{group_rows(rows)}</tbody>
                    </table>
                </div>
            }
        };
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
            <TrendChart dates=trend_dates series=trend_series table_id="dash-trend-table" label="dash.trend"/>
            <div class="table-wrap" tabindex="0">
                <table class="data" id="dash-trend-table">
                    <caption class="sr-only">{move || state.t("dash.trend")}</caption>
                    <thead><tr><th scope="col">{move || state.t("dash.period")}</th><th scope="col">{move || state.t("dash.cards")}</th><th scope="col">{move || state.t("dash.csat")}</th><th scope="col">{move || state.t("dash.nps")}</th></tr></thead>
                    <tbody>
                        {move || {
                            let l = lang();
                            report.with(|r| {
                                r.trend
                                    .iter()
                                    .map(|(d, s)| view! {
                                        <tr>
                                            <th scope="row">{i18n::date(l, *d)}</th>
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
                {move || group_table("dash-branches", "dash.branch", report.with(|r| r.by_branch.clone()))}
                {move || group_table("dash-touchpoints", "dash.touchpoint", report.with(|r| r.by_touchpoint.clone()))}
            </div>
        </section>
    }
}

#[component]
fn FeedbackSection(report: Memo<FeedbackReport>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get();
    let duration = move |s: Option<i64>| {
        let l = lang();
        s.map(|s| {
            i18n::tf(
                l,
                "dash.hours",
                &[("h", i18n::decimal(l, s as f64 / 3600.0, 1))],
            )
        })
        .unwrap_or_else(|| i18n::t(l, "dash.too_few_short").to_owned())
    };
    let counts = move |id: &'static str, key: &'static str, rows: Vec<(String, usize)>| {
        let l = lang();
        let body = rows
            .into_iter()
            .map(|(name, n)| view! { <tr><th scope="row" dir="auto">{name}</th><td>{i18n::int(l, n as u64)}</td></tr> })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0">
                <table class="data" id=id>
                    <caption>{i18n::t(l, key)}</caption>
                    <thead><tr><th scope="col">{i18n::t(l, key)}</th><th scope="col">{i18n::t(l, "dash.items")}</th></tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
    };
    view! {
        <section class="panel report" aria-labelledby="dash-feedback">
            <h2 id="dash-feedback">{move || state.t("dash.feedback.title")}</h2>
            <div class="tiles">
                <Tile title="dash.items" value=Signal::derive(move || i18n::int(lang(), report.with(|r| r.total) as u64)) note=Signal::derive(move || state.t("dash.items.note").to_owned())/>
                <Tile
                    title="dash.first_response"
                    value=Signal::derive(move || duration(report.with(|r| r.first_response.median)))
                    note=Signal::derive(move || {
                        let r = report.with(|r| r.first_response);
                        state.tf("dash.p90", &[("time", duration(r.p90)), ("n", i18n::int(lang(), r.n as u64))])
                    })
                />
                <Tile
                    title="dash.resolve"
                    value=Signal::derive(move || duration(report.with(|r| r.resolve.median)))
                    note=Signal::derive(move || {
                        let r = report.with(|r| r.resolve);
                        state.tf("dash.p90", &[("time", duration(r.p90)), ("n", i18n::int(lang(), r.n as u64))])
                    })
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
            <div class="chart-grid three">
                {move || {
                    let l = lang();
                    let rows = report.with(|r| {
                        FeedbackKind::ALL
                            .iter()
                            .map(|k| (i18n::t(l, &format!("feedback.kind.{}", k.code())).to_owned(), r.by_kind.get(k).copied().unwrap_or(0)))
                            .collect()
                    });
                    counts("dash-kinds", "dash.kind", rows)
                }}
                {move || {
                    let l = lang();
                    let rows = report.with(|r| {
                        Status::ALL
                            .iter()
                            .map(|s| (i18n::t(l, &format!("feedback.status.{}", s.code())).to_owned(), r.by_status.get(s).copied().unwrap_or(0)))
                            .collect()
                    });
                    counts("dash-statuses", "dash.status", rows)
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
                    counts("dash-dimensions", "dash.dimension", rows)
                }}
                {move || {
                    let l = lang();
                    let rows = report.with(|r| {
                        Channel::ALL
                            .iter()
                            .filter_map(|c| Some((i18n::t(l, &format!("feedback.channel.{}", c.code())).to_owned(), *r.by_channel.get(c)?)))
                            .collect()
                    });
                    counts("dash-channels", "dash.channel", rows)
                }}
                {move || {
                    let l = lang();
                    let rows = report.with(|r| {
                        r.by_segment
                            .iter()
                            .map(|(s, n)| (if s.is_empty() { i18n::t(l, "dash.unnamed").to_owned() } else { s.clone() }, *n))
                            .collect()
                    });
                    counts("dash-segments", "dash.segment", rows)
                }}
            </div>
            <h3>{move || state.tf("dash.overdue", &[("n", i18n::int(lang(), report.with(|r| r.overdue.len()) as u64))])}</h3>
            <ul class="overdue-list">
                {move || {
                    report.with(|r| r.overdue.iter().take(20).copied().collect::<Vec<_>>())
                        .into_iter()
                        .filter_map(|id| {
                            let text: String = state.data.with(|d| d.feedback.get(&id).map(|i| i.description.chars().take(90).collect()))?;
                            Some(view! { <li><a href=format!("{}?id={id}", Route::FeedbackItem.href()) dir="auto">{text}</a></li> })
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// The latest RATER gaps per team, open actions, and customers beside staff.
#[component]
fn GapsSection(cards: Memo<CardReport>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get();
    let latest = Memo::new(move |_| {
        let rater = model::get("rater")?;
        let weights = state.settings().weights;
        let mut by_team: std::collections::BTreeMap<String, crate::domain::assessment::Assessment> =
            Default::default();
        state.data.with(|d| {
            for a in d.assessments.values().filter(|a| a.model == "rater") {
                let newer = by_team
                    .get(&a.team)
                    .is_none_or(|b| (a.date, a.meta.created) > (b.date, b.meta.created));
                if newer {
                    by_team.insert(a.team.clone(), a.clone());
                }
            }
        });
        Some(
            by_team
                .into_iter()
                .map(|(team, a)| (team, gap::gaps(rater, &a.ratings, &weights)))
                .collect::<Vec<_>>(),
        )
    });
    let open_actions = move || {
        state.data.with(|d| {
            d.assessments
                .values()
                .flat_map(|a| &a.actions)
                .filter(|x| {
                    matches!(
                        x.status,
                        crate::domain::assessment::ActionStatus::Planned
                            | crate::domain::assessment::ActionStatus::InProgress
                    )
                })
                .count()
        })
    };
    view! {
        <section class="panel report" aria-labelledby="dash-gaps">
            <h2 id="dash-gaps">{move || state.t("dash.gaps.title")}</h2>
            <p>
                {move || state.tf("dash.open_actions", &[("n", i18n::int(lang(), open_actions() as u64))])}
                " "
                <a href=Route::AssessmentActions.href()>{move || state.t("dash.see_actions")}</a>
            </p>
            {move || {
                let l = lang();
                let rows = latest.get().unwrap_or_default();
                if rows.is_empty() {
                    return view! { <p class="muted">{i18n::t(l, "dash.no_assessments")}</p> }.into_any();
                }
                let head = Dimension::ALL
                    .iter()
                    .map(|d| view! { <th scope="col">{i18n::t(l, &format!("dimension.{}", d.code()))}</th> })
                    .collect_view();
                let body = rows
                    .into_iter()
                    .map(|(team, gaps)| {
                        let cells = gaps
                            .iter()
                            .map(|g| view! { <td>{g.gap.map(|v| i18n::decimal(l, v, 2)).unwrap_or_else(|| "–".into())}</td> })
                            .collect_view();
                        view! { <tr><th scope="row" dir="auto">{team}</th>{cells}</tr> }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="data" id="dash-gap-table">
                            <caption>{i18n::t(l, "dash.latest_gaps")}</caption>
                            <thead><tr><th scope="col">{i18n::t(l, "dash.team")}</th>{head}</tr></thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
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
                            let latest = latest.get().unwrap_or_default();
                            let report = cards.get();
                            Dimension::ALL
                                .iter()
                                .enumerate()
                                .map(|(k, d)| {
                                    let staff: Vec<f64> = latest.iter().filter_map(|(_, g)| g.get(k)?.current).collect();
                                    let staff = (!staff.is_empty()).then(|| staff.iter().sum::<f64>() / staff.len() as f64);
                                    let customers = report.dimensions[d].value.map(|v| gap::rescale(v, (1.0, 5.0), (1.0, 7.0)));
                                    let f = |v: Option<f64>| v.map(|v| i18n::decimal(l, v, 2)).unwrap_or_else(|| "–".into());
                                    view! {
                                        <tr>
                                            <th scope="row">{i18n::t(l, &format!("dimension.{}", d.code()))}</th>
                                            <td>{f(staff)}</td>
                                            <td>{f(customers)}</td>
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
