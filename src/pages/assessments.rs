//! The Assessments screens: starting and listing self-assessments, rating the guiding
//! questions, the results with their action plan, every action in one list, and comparisons.

mod actions;
mod compare;
mod list;
mod results;
mod run;

pub use actions::AllActions;
pub use compare::Compare;
pub use list::AssessmentList;
pub use results::Results;
pub use run::Run;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    components::section_tabs::SectionTabs,
    domain::{
        assessment::{Action, ActionStatus, Assessment},
        model::{self, Model},
        rater::Dimension,
        Record,
    },
    i18n::{self, Lang},
    router::{query_param, Route},
    state::{use_state, AppState},
};

/// The RATER weights in Settings, or the documented defaults before Settings are saved.
fn weights(state: AppState) -> BTreeMap<Dimension, f64> {
    state.settings().weights
}

/// The assessment named by the address's `id`, kept current (other tabs included).
fn from_address(state: AppState) -> Memo<Option<Assessment>> {
    let id = query_param("id").and_then(|s| Uuid::parse_str(&s).ok());
    Memo::new(move |_| id.and_then(|id| state.data.with(|d| d.assessments.get(&id).cloned())))
}

/// Changes one stored assessment: reads the latest copy, applies `change`, stamps and saves it.
/// Returns false when it could not be saved (the user has been told why).
fn update(state: AppState, id: Uuid, change: impl FnOnce(&mut Assessment)) -> bool {
    let Some(mut a) = state
        .data
        .with_untracked(|d| d.assessments.get(&id).cloned())
    else {
        return false;
    };
    change(&mut a);
    a.meta.touch(chrono::Utc::now());
    if let Err(e) = a.validate() {
        state.notify(
            crate::state::Tone::Error,
            i18n::t(state.lang.get_untracked(), e.message_key()),
        );
        return false;
    }
    state.save(Record::Assessment(a)).is_ok()
}

/// The model of an assessment; every stored assessment names a known model (validation).
fn model_of(a: &Assessment) -> Option<&'static Model> {
    model::get(&a.model)
}

/// "RATER gap analysis · Front desk · 1405/09/03": what an assessment is, in one line.
fn title_of(lang: Lang, a: &Assessment) -> String {
    let mut parts = vec![model_of(a)
        .map(|m| i18n::t(lang, &m.name_key()).to_owned())
        .unwrap_or_else(|| a.model.clone())];
    if !a.team.trim().is_empty() {
        parts.push(a.team.clone());
    }
    parts.push(i18n::date(lang, a.date));
    parts.join(i18n::t(lang, "list.dot.format"))
}

/// The link to a screen about one assessment.
fn link(route: Route, id: Uuid) -> String {
    format!("{}?id={id}", route.href())
}

const STATUSES: [ActionStatus; 4] = [
    ActionStatus::Planned,
    ActionStatus::InProgress,
    ActionStatus::Done,
    ActionStatus::Dropped,
];

fn status_code(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Planned => "planned",
        ActionStatus::InProgress => "in_progress",
        ActionStatus::Done => "done",
        ActionStatus::Dropped => "dropped",
    }
}

fn status_from_code(code: &str) -> Option<ActionStatus> {
    STATUSES.into_iter().find(|s| status_code(*s) == code)
}

/// An action is overdue when its day has passed and it is still to be done.
fn overdue(action: &Action, today: NaiveDate) -> bool {
    matches!(
        action.status,
        ActionStatus::Planned | ActionStatus::InProgress
    ) && action.due.is_some_and(|d| d < today)
}

/// Links between the Assessments screens.
#[component]
fn AssessTabs(
    /// The screen shown now.
    current: Route,
) -> impl IntoView {
    const TABS: &[(Route, &str)] = &[
        (Route::Assessments, "assess.tab.list"),
        (Route::AssessmentActions, "assess.tab.actions"),
        (Route::AssessmentCompare, "assess.tab.compare"),
    ];
    view! { <SectionTabs tabs=TABS current=current/> }
}

/// `<option>`s for the action statuses, the current one selected.
#[component]
fn StatusOptions(#[prop(into)] selected: Signal<ActionStatus>) -> impl IntoView {
    let state = use_state();
    STATUSES
        .into_iter()
        .map(|s| {
            view! {
                <option value=status_code(s) selected=move || selected.get() == s>
                    {move || state.t(&format!("assess.status.{}", status_code(s)))}
                </option>
            }
        })
        .collect_view()
}

/// Shown in place of a screen whose assessment is not (or no longer) stored.
#[component]
fn Missing() -> impl IntoView {
    let state = use_state();
    view! {
        <section class="panel">
            <p>{move || state.t("assess.missing")}</p>
            <a href=Route::Assessments.href()>{move || state.t("assess.back")}</a>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unfinished_actions_past_their_day_are_overdue() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let action = |status, due| Action {
            id: Uuid::nil(),
            dimension: "reliability".into(),
            text: "x".into(),
            owner: String::new(),
            due,
            status,
        };
        let today = day(24);
        assert!(overdue(
            &action(ActionStatus::Planned, Some(day(23))),
            today
        ));
        assert!(overdue(
            &action(ActionStatus::InProgress, Some(day(1))),
            today
        ));
        assert!(!overdue(
            &action(ActionStatus::Planned, Some(day(24))),
            today
        ));
        assert!(!overdue(&action(ActionStatus::Done, Some(day(1))), today));
        assert!(!overdue(
            &action(ActionStatus::Dropped, Some(day(1))),
            today
        ));
        assert!(!overdue(&action(ActionStatus::Planned, None), today));
    }

    #[test]
    fn status_codes_read_back() {
        for s in STATUSES {
            assert_eq!(status_from_code(status_code(s)), Some(s));
        }
        assert_eq!(status_from_code("nope"), None);
    }
}
