//! Every action from every assessment in one list: overdue first, then by due date, filtered by
//! status, each linked to the assessment it closes a gap of.

use leptos::prelude::*;
use uuid::Uuid;

use super::{
    link, model_of, overdue, results::ActionRow, status_code, title_of, AssessTabs, STATUSES,
};
use crate::{
    domain::assessment::{Action, ActionStatus},
    i18n,
    router::Route,
    state::use_state,
    web,
};

/// Which actions to show.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Filter {
    Open,
    All,
    Only(ActionStatus),
}

/// The list of all actions.
#[component]
pub fn AllActions() -> impl IntoView {
    let state = use_state();
    let filter = RwSignal::new(Filter::Open);
    let today = web::today();
    let rows = Memo::new(move |_| {
        let filter = filter.get();
        let mut all: Vec<(Uuid, Action)> = state.data.with(|d| {
            d.assessments
                .values()
                .flat_map(|a| a.actions.iter().map(move |x| (a.meta.id, x.clone())))
                .filter(|(_, x)| match filter {
                    Filter::All => true,
                    Filter::Open => {
                        matches!(x.status, ActionStatus::Planned | ActionStatus::InProgress)
                    }
                    Filter::Only(s) => x.status == s,
                })
                .collect()
        });
        all.sort_by_key(|(_, x)| (!overdue(x, today), x.due.is_none(), x.due, x.text.clone()));
        all
    });
    let late = move || rows.with(|r| r.iter().filter(|(_, x)| overdue(x, today)).count());
    view! {
        <AssessTabs current=Route::AssessmentActions/>
        <h1>{move || state.t("assess.actions.title")}</h1>
        <div class="field filter-inline">
            <label for="actions-filter">{move || state.t("assess.actions.show")}</label>
            <select
                id="actions-filter"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.set(match v.as_str() {
                        "all" => Filter::All,
                        "open" => Filter::Open,
                        code => STATUSES
                            .into_iter()
                            .find(|s| status_code(*s) == code)
                            .map_or(Filter::Open, Filter::Only),
                    });
                }
            >
                <option value="open">{move || state.t("assess.actions.open")}</option>
                <option value="all">{move || state.t("assess.actions.all")}</option>
                {STATUSES
                    .into_iter()
                    .map(|s| view! { <option value=status_code(s)>{move || state.t(&format!("assess.status.{}", status_code(s)))}</option> })
                    .collect_view()}
            </select>
        </div>
        <p class="summary" aria-live="polite">
            {move || {
                let lang = state.lang.get();
                i18n::tf(
                    lang,
                    "assess.actions.summary",
                    &[("n", i18n::int(lang, rows.with(Vec::len) as u64)), ("late", i18n::int(lang, late() as u64))],
                )
            }}
        </p>
        <Show when=move || rows.with(Vec::is_empty)>
            <p class="muted">{move || state.t("assess.actions.none")}</p>
        </Show>
        <ul class="action-list wide">
            <For each=move || rows.get() key=|(a, x)| (*a, x.id, x.status) let:row>
                {
                    let (assessment, action) = row;
                    let dimension = action.dimension.clone();
                    let about = move || {
                        let lang = state.lang.get();
                        state.data.with(|d| {
                            d.assessments.get(&assessment).map(|a| {
                                let dim = model_of(a)
                                    .map(|m| i18n::t(lang, &m.dimension_key(&dimension)).to_owned())
                                    .unwrap_or_default();
                                (title_of(lang, a), dim)
                            })
                        })
                    };
                    view! {
                        <ActionRow assessment=assessment action=action>
                        <div class="action-context">
                            {move || {
                                about()
                                    .map(|(title, dim)| {
                                        view! {
                                            <a href=link(Route::AssessmentResults, assessment) dir="auto">{title}</a>
                                            {move || state.t("list.dot.format")}
                                            <span>{dim}</span>
                                        }
                                    })
                            }}
                        </div>
                        </ActionRow>
                    }
                }
            </For>
        </ul>
    }
}
