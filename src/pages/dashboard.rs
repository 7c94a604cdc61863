//! The Dashboard: satisfaction, feedback handling and assessment gaps for a date range, branch
//! and segment, with trends by week, month or quarter in the user's calendar; printable, with
//! CSV exports. Every figure is worked out in `domain::report` in one pass and says how many
//! answers it rests on; every chart has its table and a summary in words.

mod cards;
mod feedback;
mod gaps;
mod standards;

use chrono::{Duration, NaiveDate, Utc};
use leptos::prelude::*;

use crate::{
    components::{
        date_field::{DateField, DateInput},
        filters_panel::{self, FiltersPanel},
        text_options::TextOptions,
    },
    domain::{
        csv, model,
        period::Span,
        report::{self, CardFilter, FeedbackFilter, Figure, GapFilter},
        standard,
    },
    i18n::{self, Lang},
    pages::cards::{all_templates, default_template},
    state::{use_state, AppState, Tone},
    sync::figures::{FiguresError, ServerFigures},
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

/// A value that may be missing, or a dash.
fn maybe(lang: Lang, v: Option<f64>, places: usize) -> String {
    v.map_or_else(|| "–".to_owned(), |v| i18n::decimal(lang, v, places))
}

/// The names of periods of `span` starting on `starts`, in the language's calendar.
fn period_names(lang: Lang, span: Span, starts: impl Iterator<Item = NaiveDate>) -> Vec<String> {
    starts.map(|d| i18n::period(lang, d, span)).collect()
}

/// The chosen filters, read together so every section and export sees the same ones.
#[derive(Clone, Copy)]
struct Filters {
    from: DateField,
    to: DateField,
    /// The last day each field held that could be read: a date half typed changes nothing.
    from_day: Memo<Option<NaiveDate>>,
    to_day: Memo<Option<NaiveDate>>,
    branch: RwSignal<String>,
    segment: RwSignal<String>,
    span: RwSignal<Span>,
}

/// The field's day, or the last one it could be read as while it cannot.
fn settled(field: DateField) -> Memo<Option<NaiveDate>> {
    Memo::new(move |last: Option<&Option<NaiveDate>>| {
        field.day().unwrap_or_else(|_| last.copied().flatten())
    })
}

impl Filters {
    fn new(lang: Lang, today: NaiveDate) -> Filters {
        let from = DateField::with_day(lang, today - Duration::days(89));
        let to = DateField::with_day(lang, today);
        Filters {
            from,
            to,
            from_day: settled(from),
            to_day: settled(to),
            branch: RwSignal::new(String::new()),
            segment: RwSignal::new(String::new()),
            span: RwSignal::new(Span::Month),
        }
    }

    fn range(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        (self.from_day.get(), self.to_day.get())
    }

    fn cards(&self) -> CardFilter {
        let (from, to) = self.range();
        CardFilter {
            from,
            to,
            branch: self.branch.get(),
        }
    }

    fn feedback(&self) -> FeedbackFilter {
        let (from, to) = self.range();
        FeedbackFilter {
            from,
            to,
            segment: self.segment.get(),
            branch: self.branch.get(),
        }
    }

    fn gaps(&self) -> GapFilter {
        let (from, to) = self.range();
        GapFilter {
            from,
            to,
            team: self.branch.get(),
        }
    }
}

/// The Dashboard screen.
#[component]
pub fn Dashboard() -> impl IntoView {
    let state = use_state();
    let lang = state.lang.get_untracked();
    let today = web::today();
    let filters = Filters::new(lang, today);

    // Cards outside what this device keeps (an older range, another branch) are counted by the
    // shop's server, when this device syncs.
    let sync = crate::sync::device::use_sync();
    let source = RwSignal::new(Source::Device);
    let wanted = Memo::new(move |_| {
        let filter = filters.cards();
        if !sync.config.with(|c| c.is_some()) || !sync.on() {
            return None;
        }
        let span = sync.window.with(|w| w.span(Utc::now().date_naive()));
        let older = span
            .cards_from
            .is_some_and(|kept| filter.from.is_none_or(|from| from < kept));
        let other = span
            .branch
            .as_ref()
            .is_some_and(|kept| *kept != filter.branch);
        (older || other).then_some(filter)
    });
    Effect::new(move |_| {
        let Some(filter) = wanted.get() else {
            source.set(Source::Device);
            return;
        };
        source.set(Source::Asking);
        let templates = all_templates(state);
        leptos::task::spawn_local(async move {
            let answer = sync.server_cards(filter.clone(), templates).await;
            // A later choice of range or branch has its own answer coming.
            if wanted.try_get_untracked().flatten().as_ref() != Some(&filter) {
                return;
            }
            source.try_set(match answer {
                Ok(figures) => Source::Server(Box::new(figures)),
                Err(FiguresError::Missing | FiguresError::Version { .. }) => {
                    Source::Failed("dash.source.setup")
                }
                Err(_) => Source::Failed("dash.source.offline"),
            });
        });
    });
    let cards = Memo::new(move |_| {
        if let Source::Server(figures) = source.get() {
            return figures.report;
        }
        let filter = filters.cards();
        let templates = all_templates(state);
        state.data.with(|d| {
            report::card_report(
                d.cards.values(),
                |id| templates.iter().find(|t| t.meta.id == id),
                &filter,
                web::local_offset(),
            )
        })
    });
    let feedback = Memo::new(move |_| {
        let filter = filters.feedback();
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
    let gaps = Memo::new(move |_| {
        let rater = model::get("rater")?;
        let filter = filters.gaps();
        let weights = state.settings().weights;
        let calendar = state.lang.get().calendar();
        Some(state.data.with(|d| {
            report::gap_report(
                d.assessments.values(),
                rater,
                &weights,
                &filter,
                filters.span.get(),
                calendar,
                today,
            )
        }))
    });
    // How often each service standard was met in the range.
    let compliance = Memo::new(move |_| {
        let (from, to) = filters.range();
        let s = state.settings();
        let cal = s.calendar(web::local_offset());
        let target = |k| s.target_hours(k);
        let period = standard::Period {
            from,
            to,
            calendar: &cal,
            target_hours: &target,
            now: Utc::now(),
        };
        state.data.with(|d| {
            s.standards
                .iter()
                .map(|st| {
                    let f = standard::compliance(
                        st,
                        d.feedback.values(),
                        d.assessments.values(),
                        &period,
                    );
                    (st.clone(), f)
                })
                .collect::<Vec<_>>()
        })
    });
    // Branches of cards and settings, and the teams assessments were made for.
    let branches = Memo::new(move |_| {
        state.data.with(|d| {
            let mut all = d.branch_names();
            all.extend(d.assessments.values().map(|a| a.team.clone()));
            all.retain(|b| !b.trim().is_empty());
            all.sort();
            all.dedup();
            all
        })
    });
    let segments = Memo::new(move |_| state.settings().segments);

    let export_cards = move |_| {
        let lang = state.lang.get_untracked();
        let filter = filters.cards();
        let offset = web::local_offset();
        let template = default_template(state);
        let text = state.data.with_untracked(|d| {
            let list: Vec<_> = d
                .cards
                .values()
                .filter(|c| filter.keeps(c, offset))
                .collect();
            csv::cards(
                &list,
                &template,
                &|text| lang.pick(text),
                &|k| i18n::t(lang, k).to_owned(),
                offset,
            )
        });
        save(state, &format!("cards-{today}.csv"), &text);
    };
    let export_feedback = move |_| {
        let lang = state.lang.get_untracked();
        let filter = filters.feedback();
        let offset = web::local_offset();
        let text = state.data.with_untracked(|d| {
            let list: Vec<_> = d
                .feedback
                .values()
                .filter(|i| filter.keeps(i, offset))
                .collect();
            csv::feedback(&list, &|k| i18n::t(lang, k).to_owned(), offset)
        });
        save(state, &format!("feedback-{today}.csv"), &text);
    };

    // Before anything is recorded, a short note of what to do first, not pages of empty charts.
    // A device that keeps a window may hold no card while the shop's server holds years of them.
    let empty = Memo::new(move |_| {
        let windowed = sync.window.with(|w| !w.everything()) && sync.config.with(Option::is_some);
        !windowed
            && state
                .data
                .with(|d| d.cards.is_empty() && d.feedback.is_empty() && d.assessments.is_empty())
    });

    view! {
        <h1>{move || state.t("nav.dashboard")}</h1>
        <crate::pages::schedules::DueWork/>
        <Show when=move || !empty.get() fallback=move || view! { <EmptyDashboard/> }>
        <FiltersPanel id="dash-filters" active=Signal::derive(move || describe_active(state, &filters))>
            <div class="grid-fields">
                <DateInput id="dash-from" label="dash.from" field=filters.from/>
                <DateInput id="dash-to" label="dash.to" field=filters.to/>
                <div class="field">
                    <label for="dash-branch">{move || state.t("dash.branch")}</label>
                    <select id="dash-branch" on:change=move |ev| filters.branch.set(event_target_value(&ev))>
                        <option value="">{move || state.t("dash.all")}</option>
                        <TextOptions values=branches selected=filters.branch branches=true/>
                    </select>
                </div>
                <div class="field">
                    <label for="dash-segment">{move || state.t("dash.segment")}</label>
                    <select id="dash-segment" on:change=move |ev| filters.segment.set(event_target_value(&ev))>
                        <option value="">{move || state.t("dash.all")}</option>
                        <TextOptions values=segments selected=filters.segment/>
                    </select>
                </div>
                <div class="field">
                    <label for="dash-span">{move || state.t("dash.span")}</label>
                    <select
                        id="dash-span"
                        on:change=move |ev| {
                            filters.span.set(match event_target_value(&ev).as_str() {
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
            <p class="hint">{move || state.t("dash.filters.hint")}</p>
        </FiltersPanel>
        <div class="actions">
            <button type="button" class="secondary" on:click=export_cards>{move || state.t("dash.export_csv")}</button>
            <button type="button" class="secondary" on:click=export_feedback>{move || state.t("dash.export_feedback")}</button>
            <button type="button" class="secondary" on:click=move |_| web::print()>{move || state.t("dash.print")}</button>
        </div>
        <header class="print-only print-head">
            <p class="print-business" dir="auto">{move || state.business_name()}</p>
            <p>{move || describe(state, &filters)}</p>
        </header>
        <p class="dash-source" role="status">{move || source_words(state, sync, &source.get())}</p>
        <cards::CardsSection report=cards span=filters.span/>
        <feedback::FeedbackSection report=feedback span=filters.span/>
        <gaps::GapsSection report=gaps cards=cards span=filters.span/>
        <standards::StandardsSection compliance=compliance/>
        </Show>
    }
}

/// Where the card figures come from.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    /// The cards this device holds.
    Device,
    /// The shop's server is being asked.
    Asking,
    Server(Box<ServerFigures>),
    /// The server could not answer: why, as a locale key.
    Failed(&'static str),
}

/// Where the card figures come from, in words.
fn source_words(
    state: AppState,
    sync: crate::sync::device::SyncService,
    source: &Source,
) -> String {
    let lang = state.lang.get();
    let kept = sync
        .window
        .with(|w| w.span(Utc::now().date_naive()).cards_from);
    let device = || match kept.filter(|_| sync.config.with(Option::is_some)) {
        Some(day) => state.tf("dash.source.device_from", &[("day", i18n::date(lang, day))]),
        None => state.t("dash.source.device").to_owned(),
    };
    match source {
        Source::Device => device(),
        Source::Asking => state.t("dash.source.asking").to_owned(),
        Source::Server(f) => {
            let mut words = match f.history {
                Some((first, last)) => state.tf(
                    "dash.source.server",
                    &[
                        ("first", i18n::date(lang, first)),
                        ("last", i18n::date(lang, last)),
                    ],
                ),
                None => state.t("dash.source.server_empty").to_owned(),
            };
            let here = i64::from(web::local_offset().local_minus_utc() / 60);
            if f.offset_minutes != here {
                words.push(' ');
                words.push_str(&state.tf(
                    "dash.source.offset",
                    &[("offset", utc_offset(lang, f.offset_minutes))],
                ));
            }
            words.push(' ');
            words.push_str(state.t("dash.source.rest"));
            words
        }
        Source::Failed(key) => format!("{} {}", state.t(key), device()),
    }
}

/// An offset from UTC as people write it: UTC+03:30.
fn utc_offset(lang: Lang, minutes: i64) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.abs();
    i18n::digits_in(lang, &format!("UTC{sign}{:02}:{:02}", m / 60, m % 60))
}

/// What a new dashboard says: where its figures will come from, and the first steps.
#[component]
fn EmptyDashboard() -> impl IntoView {
    let state = use_state();
    let steps = [
        (crate::router::Route::Cards, "dash.empty.card"),
        (crate::router::Route::Feedback, "dash.empty.feedback"),
        (crate::router::Route::Assessments, "dash.empty.assessment"),
        (crate::router::Route::Data, "dash.empty.import"),
    ];
    view! {
        <section class="panel empty-state" aria-labelledby="dash-empty">
            <h2 id="dash-empty">{move || state.t("dash.empty.title")}</h2>
            <p>{move || state.t("dash.empty.body")}</p>
            <ul class="first-steps">
                {steps
                    .into_iter()
                    .map(|(route, key)| {
                        view! {
                            <li>
                                <a href=route.href()>{move || state.t(key)}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The filters in force, in words, for the closed Filters disclosure.
fn describe_active(state: AppState, f: &Filters) -> String {
    let (from, to) = f.range();
    let branch = f.branch.get();
    let branch = (!branch.is_empty()).then(|| state.branch_label(&branch));
    filters_panel::summary(
        state.lang.get(),
        from,
        to,
        branch.into_iter().chain([f.segment.get()]),
    )
}

/// The filters in words, heading the printed report.
fn describe(state: AppState, f: &Filters) -> String {
    let lang = state.lang.get();
    let all = || i18n::t(lang, "dash.all").to_owned();
    let (from, to) = f.range();
    let day = |d: Option<NaiveDate>| d.map_or_else(|| "–".to_owned(), |d| i18n::date(lang, d));
    let or_all = |s: String| if s.is_empty() { all() } else { s };
    i18n::tf(
        lang,
        "dash.print.filters",
        &[
            ("from", day(from)),
            ("to", day(to)),
            ("branch", or_all(state.branch_label(&f.branch.get()))),
            ("segment", or_all(f.segment.get())),
            ("printed", i18n::date(lang, web::today())),
        ],
    )
}

/// Offers a CSV file for download, or says why it could not be made.
fn save(state: AppState, name: &str, text: &str) {
    if web::download(name, "text/csv;charset=utf-8", text).is_err() {
        state.notify(Tone::Error, state.t("dash.export_failed"));
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
