//! What an unknown address shows.

use leptos::prelude::*;

use crate::state::use_state;

/// An address that names no screen.
#[component]
pub fn NotFound() -> impl IntoView {
    let state = use_state();
    view! {
        <h1>{move || state.t("page.not_found.title")}</h1>
        <p>{move || state.t("page.not_found.body")}</p>
    }
}
