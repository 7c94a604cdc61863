//! A list's or report's filters behind a disclosure named "Filters" that says, while closed,
//! what is chosen. Open at the start on a wide screen; closed on a phone, where the fields would
//! fill the whole first screen.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::{
    i18n::{self, Lang},
    state::use_state,
    web,
};

/// The filters in force, in words, for the closed disclosure: the range, then whatever else is
/// chosen (already in the reader's words), or that nothing is.
pub fn summary(
    lang: Lang,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    chosen: impl IntoIterator<Item = String>,
) -> String {
    let day = |key: &str, d: NaiveDate| i18n::tf(lang, key, &[("date", i18n::date(lang, d))]);
    let parts: Vec<String> = from
        .map(|d| day("filters.from", d))
        .into_iter()
        .chain(to.map(|d| day("filters.to", d)))
        .chain(chosen.into_iter().filter(|c| !c.is_empty()))
        .collect();
    if parts.is_empty() {
        i18n::t(lang, "filters.none").to_owned()
    } else {
        parts.join(i18n::t(lang, "list.dot.format"))
    }
}

/// The filters of a screen.
#[component]
pub fn FiltersPanel(
    /// Unique on the page: names the summary that labels the fields.
    id: &'static str,
    /// What is chosen now, in words, shown beside the name.
    #[prop(into)]
    active: Signal<String>,
    children: Children,
) -> impl IntoView {
    let state = use_state();
    let summary_id = format!("{id}-summary");
    view! {
        <details class="panel filters" id=id open=!web::narrow_screen()>
            <summary id=summary_id.clone()>
                <span class="filters-name">{move || state.t("filters.title")}</span>
                <span class="filters-active" dir="auto">{move || active.get()}</span>
            </summary>
            <div role="group" aria-labelledby=summary_id>
                {children()}
            </div>
        </details>
    }
}
