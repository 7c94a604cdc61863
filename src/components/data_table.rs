//! A table of records: scrollable on its own on a narrow screen, a caption for screen readers,
//! one heading per column, and the rows the screen gives.

use leptos::prelude::*;

use crate::state::use_state;

#[component]
pub fn DataTable(
    /// The table's id, for tests and for `aria-describedby`.
    id: &'static str,
    /// Locale key of the caption screen readers announce.
    caption: &'static str,
    /// Locale keys of the column headings, in order.
    columns: &'static [&'static str],
    /// The `<tr>` rows.
    children: Children,
) -> impl IntoView {
    let state = use_state();
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data" id=id>
                <caption class="sr-only">{move || state.t(caption)}</caption>
                <thead>
                    <tr>
                        {columns
                            .iter()
                            .map(|key| view! { <th scope="col">{move || state.t(key)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
