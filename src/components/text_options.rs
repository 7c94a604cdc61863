//! `<option>`s for plain text values such as branch, segment and assignee names.

use leptos::prelude::*;

/// `<option>`s for plain text values (branches), the current one selected.
#[component]
pub fn TextOptions(
    /// The values, each its own label; empty ones are left out.
    #[prop(into)]
    values: Signal<Vec<String>>,
    /// The value shown as chosen.
    #[prop(into)]
    selected: Signal<String>,
) -> impl IntoView {
    move || {
        values
            .get()
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|v| {
                let (value, this) = (v.clone(), v.clone());
                view! {
                    <option value=value selected=move || selected.get() == this>
                        {v}
                    </option>
                }
            })
            .collect_view()
    }
}
