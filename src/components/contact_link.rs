//! A customer's phone number or email address as a link that calls or writes to them, shown in
//! the reader's digits.

use leptos::prelude::*;

use crate::{
    domain::card::{contact_href, is_phone},
    i18n,
    state::use_state,
};

/// One contact: a `tel:` or `mailto:` link when the value is a phone number or an email address,
/// plain text otherwise.
#[component]
pub fn ContactLink(
    /// The contact as the customer wrote it.
    #[prop(into)]
    value: String,
) -> impl IntoView {
    let state = use_state();
    let phone = is_phone(&value);
    let shown = {
        let value = value.clone();
        move || {
            if phone {
                i18n::digits_in(state.lang.get(), &value)
            } else {
                value.clone()
            }
        }
    };
    match contact_href(&value) {
        // Numbers and addresses read left to right in either language.
        Some(href) => view! { <a class="contact-link" href=href dir="ltr">{shown}</a> }.into_any(),
        None => view! { <span dir="auto">{shown}</span> }.into_any(),
    }
}
