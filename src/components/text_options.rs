//! `<option>`s for plain text values such as branch, segment and assignee names.

use leptos::prelude::*;

use crate::state::use_state;

/// `<option>`s for plain text values (branches), the current one selected.
#[component]
pub fn TextOptions(
    /// The values, each its own label; empty ones are left out.
    #[prop(into)]
    values: Signal<Vec<String>>,
    /// The value shown as chosen.
    #[prop(into)]
    selected: Signal<String>,
    /// The values are branch names: each is shown in the reader's language (Settings may give
    /// a Persian form), while the value stays the name as recorded.
    #[prop(optional)]
    branches: bool,
) -> impl IntoView {
    let state = use_state();
    move || {
        values
            .get()
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|v| {
                let (value, this) = (v.clone(), v.clone());
                let label = if branches { state.branch_label(&v) } else { v };
                view! {
                    <option value=value selected=move || selected.get() == this>
                        {label}
                    </option>
                }
            })
            .collect_view()
    }
}
