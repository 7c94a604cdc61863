//! A list's or report's filters behind a disclosure named "Filters" that says, while closed,
//! what is chosen. Open at the start on a wide screen; closed on a phone, where the fields would
//! fill the whole first screen.

use leptos::prelude::*;

use crate::{state::use_state, web};

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
