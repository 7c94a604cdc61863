//! A question's words and whether it must be answered, inside its legend or label.

use leptos::prelude::*;

use crate::state::use_state;

/// The question text (in its own direction) and a "required" or "optional" tag.
#[component]
pub fn QuestionTitle(
    /// The question, in the current language.
    #[prop(into)]
    question: Signal<String>,
    required: bool,
) -> impl IntoView {
    let state = use_state();
    view! {
        <span dir="auto">{move || question.get()}</span>
        <span class="tag">{move || state.t(if required { "card.required" } else { "card.optional" })}</span>
    }
}
