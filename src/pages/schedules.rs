//! The schedule of recurring work (self-assessments per team, the periodic report, card
//! campaigns), kept with the settings and worked out when the app opens: what is owed shows on
//! the Dashboard and the Assessments list until someone marks it done, and a running campaign's
//! card takes the default card's place at its branches.

use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    components::{
        confirm_dialog::{AskButton, ConfirmDialog},
        date_field::{DateField, DateInput},
        section_tabs::SectionTabs,
    },
    domain::{
        model,
        schedule::{Calendar, Every, Schedule, Task, MAX_CAMPAIGN_DAYS, MAX_SCHEDULES},
        template::DEFAULT_TEMPLATE_ID,
        text,
    },
    i18n::{self, Lang},
    pages::cards::{all_templates, TemplateOptions},
    router::Route,
    state::{use_state, AppState, Tone},
    web,
};

const EVERY: [(Every, &str); 5] = [
    (Every::Once, "once"),
    (Every::Week, "week"),
    (Every::Month, "month"),
    (Every::Quarter, "quarter"),
    (Every::Year, "year"),
];

/// What a schedule asks for, in words.
fn describe_task(state: AppState, lang: Lang, task: &Task) -> String {
    match task {
        Task::Assessment { model, team } => {
            let name = model::get(model).map_or_else(
                || model.clone(),
                |m| i18n::t(lang, &m.name_key()).to_owned(),
            );
            i18n::tf(
                lang,
                "sched.task.assessment",
                &[("model", name), ("team", team.clone())],
            )
        }
        Task::Report => i18n::t(lang, "sched.task.report").to_owned(),
        Task::Campaign {
            template, branches, ..
        } => {
            let card = all_templates(state)
                .into_iter()
                .find(|t| t.meta.id == *template)
                .map_or_else(
                    || i18n::t(lang, "sched.campaign.missing").to_owned(),
                    |t| lang.pick(&t.name),
                );
            if branches.is_empty() {
                i18n::tf(lang, "sched.task.campaign.all", &[("card", card)])
            } else {
                i18n::tf(
                    lang,
                    "sched.task.campaign",
                    &[
                        ("card", card),
                        ("branches", branches.join(i18n::t(lang, "list.separator"))),
                    ],
                )
            }
        }
    }
}

/// How often and from when a schedule comes round, in words.
fn describe_when(lang: Lang, s: &Schedule) -> String {
    let start = ("start", i18n::date(lang, s.start));
    match (&s.task, s.every) {
        (Task::Campaign { .. }, Every::Once) => {
            let last = s.running(s.start).map_or(s.start, |(_, last)| last);
            i18n::tf(
                lang,
                "sched.between",
                &[start, ("end", i18n::date(lang, last))],
            )
        }
        (_, Every::Once) => i18n::tf(lang, "sched.once", &[start]),
        (task, every) => {
            let unit = (
                "every",
                i18n::t(lang, &format!("sched.unit.{}", code_of(every))).to_owned(),
            );
            match task {
                Task::Campaign { days, .. } => i18n::tf(
                    lang,
                    "sched.every.days",
                    &[unit, start, ("n", i18n::int(lang, u64::from(*days)))],
                ),
                _ => i18n::tf(lang, "sched.every", &[unit, start]),
            }
        }
    }
}

fn code_of(every: Every) -> &'static str {
    EVERY
        .iter()
        .find(|(e, _)| *e == every)
        .map_or("month", |(_, c)| c)
}

/// The schedule screen.
#[component]
pub fn Schedules() -> impl IntoView {
    let state = use_state();
    let schedules = Memo::new(move |_| state.settings().schedules);
    let to_delete = RwSignal::new(None::<Uuid>);
    let confirm = RwSignal::new(false);
    let on_delete = Callback::new(move |()| {
        let Some(id) = to_delete.get_untracked() else {
            return;
        };
        if state.update_settings(|st| st.schedules.retain(|s| s.id != id)) {
            state.notify(Tone::Success, state.t("sched.deleted"));
        }
    });
    let today = web::today();
    view! {
        <SectionTabs tabs=crate::pages::standards::TABS current=Route::Schedules/>
        <h1>{move || state.t("sched.title")}</h1>
        <p class="hint">{move || state.t("sched.intro")}</p>
        <Show
            when=move || !schedules.with(Vec::is_empty)
            fallback=move || view! { <p class="empty">{move || state.t("sched.none")}</p> }
        >
            <ul class="standards">
                {move || {
                    let l = state.lang.get();
                    schedules
                        .get()
                        .into_iter()
                        .map(|s| {
                            let id = s.id;
                            let what = describe_task(state, l, &s.task);
                            let how = describe_when(l, &s);
                            let next = match (s.running(today), s.next(today)) {
                                (Some((_, last)), _) => i18n::tf(l, "sched.running", &[("date", i18n::date(l, last))]),
                                (None, Some(d)) => i18n::tf(l, "sched.next", &[("date", i18n::date(l, d))]),
                                (None, None) => String::new(),
                            };
                            view! {
                                <li class="panel">
                                    <h2 dir="auto">{what.clone()}</h2>
                                    <p>{how}</p>
                                    <p class="muted">{next}</p>
                                    <div class="actions">
                                        <AskButton label="sched.delete" named="sched.delete.named" name=what id=id chosen=to_delete open=confirm/>
                                    </div>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
        <ScheduleForm/>
        <ConfirmDialog open=confirm title="sched.delete.title" body="sched.delete.body" confirm="sched.delete" on_confirm=on_delete/>
    }
}

#[component]
fn ScheduleForm() -> impl IntoView {
    let state = use_state();
    let task = RwSignal::new("rater".to_owned());
    let team = RwSignal::new(String::new());
    let every = RwSignal::new(Every::Quarter);
    let start = DateField::with_day(state.lang.get_untracked(), web::today());
    let last = DateField::new();
    let card = RwSignal::new(DEFAULT_TEMPLATE_ID);
    let at = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<&'static str>);
    let campaign = move || task.get() == "campaign";
    let branches = Memo::new(move |_| state.settings().branches);
    let cards = Memo::new(move |_| {
        all_templates(state)
            .into_iter()
            .filter(|t| !t.archived)
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(Some(first)) = start.day() else {
            error.set(Some("sched.error.start"));
            return;
        };
        let t = match task.get_untracked().as_str() {
            "report" => Task::Report,
            "campaign" => {
                let days = match last.day() {
                    Ok(Some(end)) if end >= first => (end - first).num_days() + 1,
                    _ => {
                        error.set(Some("sched.error.last"));
                        return;
                    }
                };
                match u32::try_from(days).ok().filter(|d| *d <= MAX_CAMPAIGN_DAYS) {
                    Some(days) => Task::Campaign {
                        template: card.get_untracked(),
                        branches: at.get_untracked(),
                        days,
                    },
                    None => {
                        error.set(Some("sched.error.days"));
                        return;
                    }
                }
            }
            m => Task::Assessment {
                model: m.to_owned(),
                team: team.get_untracked().trim().to_owned(),
            },
        };
        if matches!(&t, Task::Assessment { team, .. } if team.is_empty() || text::check("team", team, text::SHORT).is_err())
        {
            error.set(Some("sched.error.team"));
            return;
        }
        if state.settings().schedules.len() >= MAX_SCHEDULES {
            error.set(Some("sched.error.many"));
            return;
        }
        let schedule = Schedule {
            id: Uuid::new_v4(),
            task: t,
            every: every.get_untracked(),
            calendar: match state.lang.get_untracked() {
                Lang::Fa => Calendar::Jalali,
                Lang::En => Calendar::Gregorian,
            },
            start: first,
            done: Default::default(),
        };
        error.set(None);
        if state.update_settings(|st| st.schedules.push(schedule)) {
            state.notify(Tone::Success, state.t("sched.added"));
            team.set(String::new());
        }
    };
    view! {
        <form class="panel" on:submit=submit novalidate>
            <h2>{move || state.t("sched.add.title")}</h2>
            <div class="grid-fields">
                <div class="field">
                    <label for="sched-task">{move || state.t("sched.task")}</label>
                    <select
                        id="sched-task"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            // A campaign usually runs once; the rest usually recur.
                            if (v == "campaign") != campaign() {
                                every.set(if v == "campaign" { Every::Once } else { Every::Quarter });
                            }
                            task.set(v);
                        }
                    >
                        {model::all()
                            .iter()
                            .map(|m| {
                                let id = m.id.clone();
                                let key = m.name_key();
                                view! { <option value=id>{move || state.t(&key)}</option> }
                            })
                            .collect_view()}
                        <option value="report">{move || state.t("sched.task.report")}</option>
                        <option value="campaign">{move || state.t("sched.task.campaign.option")}</option>
                    </select>
                </div>
                <Show when=move || !campaign() && task.get() != "report">
                    <div class="field">
                        <label for="sched-team">{move || state.t("sched.team")}</label>
                        <input id="sched-team" type="text" dir="auto" maxlength="200" bind:value=team/>
                    </div>
                </Show>
                <Show when=campaign>
                    <div class="field">
                        <label for="sched-card">{move || state.t("sched.card")}</label>
                        <select
                            id="sched-card"
                            on:change=move |ev| {
                                if let Ok(id) = Uuid::parse_str(&event_target_value(&ev)) {
                                    card.set(id);
                                }
                            }
                        >
                            <TemplateOptions templates=cards selected=Signal::derive(move || Some(card.get()))/>
                        </select>
                    </div>
                </Show>
                <div class="field">
                    <label for="sched-every">{move || state.t("sched.every.label")}</label>
                    <select id="sched-every" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((e, _)) = EVERY.iter().find(|(_, c)| *c == v) {
                            every.set(*e);
                        }
                    }>
                        {EVERY
                            .iter()
                            .map(|(e, c)| {
                                let e = *e;
                                view! {
                                    <option value=*c selected=move || every.get() == e>
                                        {move || state.t(&format!("sched.every.{}", code_of(e)))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <Show
                    when=campaign
                    fallback=move || view! { <DateInput id="sched-start" label="sched.start" field=start required=true/> }
                >
                    <DateInput id="sched-start" label="sched.first" field=start required=true/>
                </Show>
                <Show when=campaign>
                    <DateInput id="sched-last" label="sched.last" field=last required=true/>
                </Show>
            </div>
            <Show when=move || campaign() && !branches.with(Vec::is_empty)>
                <fieldset class="days">
                    <legend>{move || state.t("sched.branches")}</legend>
                    <p class="hint">{move || state.t("sched.branches.help")}</p>
                    {move || {
                        branches
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(i, b)| {
                                let id = format!("sched-branch-{i}");
                                let for_id = id.clone();
                                let name = b.clone();
                                let checked = {
                                    let b = b.clone();
                                    move || at.with(|a| a.contains(&b))
                                };
                                view! {
                                    <label class="check" for=for_id>
                                        <input
                                            type="checkbox"
                                            id=id
                                            prop:checked=checked
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                at.update(|a| {
                                                    a.retain(|x| *x != b);
                                                    if on {
                                                        a.push(b.clone());
                                                    }
                                                });
                                            }
                                        />
                                        <span dir="auto">{name}</span>
                                    </label>
                                }
                            })
                            .collect_view()
                    }}
                </fieldset>
            </Show>
            <Show when=campaign>
                <p class="hint">{move || state.t("sched.campaign.help")}</p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get().map(|k| state.t(k)).unwrap_or_default()}</p>
            </Show>
            <div class="actions">
                <button type="submit" class="primary">{move || state.t("sched.add")}</button>
            </div>
        </form>
    }
}

/// The work the schedule says is owed today, each with a way to mark it done.
#[component]
pub fn DueWork() -> impl IntoView {
    let state = use_state();
    let today = web::today();
    let owed = Memo::new(move |_| {
        let mut all: Vec<(NaiveDate, Schedule)> = state
            .settings()
            .schedules
            .into_iter()
            .flat_map(|s| s.owed(today).into_iter().map(move |d| (d, s.clone())))
            .collect();
        all.sort_by_key(|(d, s)| (*d, s.id));
        all
    });
    let running = Memo::new(move |_| {
        state
            .settings()
            .schedules
            .into_iter()
            .filter_map(|s| s.running(today).map(|(_, last)| (last, s)))
            .collect::<Vec<_>>()
    });
    let done = move |id: Uuid, day: NaiveDate| {
        if state.update_settings(|st| {
            if let Some(s) = st.schedules.iter_mut().find(|s| s.id == id) {
                *s = s.mark_done(day);
            }
        }) {
            state.notify(Tone::Success, state.t("sched.marked"));
        }
    };
    view! {
        <Show when=move || owed.with(|o| !o.is_empty()) || running.with(|r| !r.is_empty())>
            <section class="panel due-work" aria-labelledby="due-title">
                <h2 id="due-title">{move || state.t("sched.due.title")}</h2>
                <ul class="standards">
                    {move || {
                        let l = state.lang.get();
                        owed.get()
                            .into_iter()
                            .map(|(day, s)| {
                                let what = describe_task(state, l, &s.task);
                                let key = if day < today { "sched.overdue" } else { "sched.due" };
                                let when = i18n::tf(l, key, &[("date", i18n::date(l, day))]);
                                let label = i18n::tf(l, "sched.mark.named", &[("name", what.clone()), ("date", i18n::date(l, day))]);
                                let id = s.id;
                                view! {
                                    <li class=if day < today { "overdue" } else { "" }>
                                        <p><strong dir="auto">{what}</strong>" "<span class="muted">{when}</span></p>
                                        <button type="button" class="secondary" aria-label=label on:click=move |_| done(id, day)>
                                            {i18n::t(l, "sched.mark")}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                    {move || {
                        let l = state.lang.get();
                        running
                            .get()
                            .into_iter()
                            .map(|(last, s)| {
                                let what = describe_task(state, l, &s.task);
                                let until = i18n::tf(l, "sched.running", &[("date", i18n::date(l, last))]);
                                view! {
                                    <li class="running">
                                        <p><strong dir="auto">{what}</strong>" "<span class="muted">{until}</span></p>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}
