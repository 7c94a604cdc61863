//! The screen of a part still being built: says so plainly, and what it will hold.

use leptos::prelude::*;

use crate::{router::Route, state::use_state};

/// A screen whose feature is not built yet.
#[component]
pub fn Upcoming(
    /// Which screen this stands in for (its name is the heading).
    route: Route,
    /// Locale key of the sentence describing what the screen will do.
    body: &'static str,
) -> impl IntoView {
    let state = use_state();
    view! {
        <h1>{move || state.t(route.label_key())}</h1>
        <section class="panel upcoming">
            <p class="badge">{move || state.t("page.soon")}</p>
            <p>{move || state.t(body)}</p>
        </section>
    }
}
