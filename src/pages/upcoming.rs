//! The screen of a part still being built: says so plainly, and what it will hold.

use leptos::prelude::*;

use crate::{domain::Kind, i18n, router::Route, state::use_state};

/// A screen whose feature is not built yet.
#[component]
pub fn Upcoming(
    /// Which screen this stands in for (its name is the heading).
    route: Route,
    /// Locale key of the sentence describing what the screen will do.
    body: &'static str,
) -> impl IntoView {
    let state = use_state();
    let kind = match route {
        Route::Feedback => Some(Kind::Feedback),
        _ => None,
    };
    view! {
        <h1>{move || state.t(route.label_key())}</h1>
        <section class="panel upcoming">
            <p class="badge">{move || state.t("page.soon")}</p>
            <p>{move || state.t(body)}</p>
            {kind
                .map(|k| {
                    view! {
                        <p class="muted">
                            {move || {
                                state.tf("page.stored", &[("n", i18n::int(state.lang.get(), state.count(k) as u64))])
                            }}
                        </p>
                    }
                })}
        </section>
    }
}
