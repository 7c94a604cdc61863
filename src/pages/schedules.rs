//! The schedule of recurring work (self-assessments per team, the periodic report), kept with
//! the settings and worked out when the app opens: what is owed shows on the Dashboard and the
//! Assessments list until someone marks it done.

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
        schedule::{Calendar, Every, Schedule, Task, MAX_SCHEDULES},
        text,
    },
    i18n::{self, Lang},
    router::Route,
    state::{use_state, Tone},
    web,
};

const EVERY: [(Every, &str); 4] = [
    (Every::Week, "week"),
    (Every::Month, "month"),
    (Every::Quarter, "quarter"),
    (Every::Year, "year"),
];

/// What a schedule asks for, in words.
fn describe_task(lang: Lang, task: &Task) -> String {
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
                            let what = describe_task(l, &s.task);
                            let how = i18n::tf(l, "sched.every", &[
                                ("every", i18n::t(l, &format!("sched.unit.{}", code_of(s.every))).to_owned()),
                                ("start", i18n::date(l, s.start)),
                            ]);
                            let next = s.next(today).map(|d| i18n::tf(l, "sched.next", &[("date", i18n::date(l, d))])).unwrap_or_default();
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
    let error = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(Some(first)) = start.day() else {
            error.set(Some("sched.error.start"));
            return;
        };
        let t = match task.get_untracked().as_str() {
            "report" => Task::Report,
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
                    <select id="sched-task" on:change=move |ev| task.set(event_target_value(&ev))>
                        {model::all()
                            .iter()
                            .map(|m| {
                                let id = m.id.clone();
                                let key = m.name_key();
                                view! { <option value=id>{move || state.t(&key)}</option> }
                            })
                            .collect_view()}
                        <option value="report">{move || state.t("sched.task.report")}</option>
                    </select>
                </div>
                <Show when=move || task.get() != "report">
                    <div class="field">
                        <label for="sched-team">{move || state.t("sched.team")}</label>
                        <input id="sched-team" type="text" dir="auto" maxlength="200" bind:value=team/>
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
                <DateInput id="sched-start" label="sched.start" field=start required=true/>
            </div>
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
        <Show when=move || owed.with(|o| !o.is_empty())>
            <section class="panel due-work" aria-labelledby="due-title">
                <h2 id="due-title">{move || state.t("sched.due.title")}</h2>
                <ul class="standards">
                    {move || {
                        let l = state.lang.get();
                        owed.get()
                            .into_iter()
                            .map(|(day, s)| {
                                let what = describe_task(l, &s.task);
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
                </ul>
            </section>
        </Show>
    }
}
