//! The follow-up calls: every resolved item whose call is not yet made, the ones due today or
//! earlier first, with the customer's contact when they agreed to be called.

use leptos::prelude::*;

use super::{link, FeedbackTabs};
use crate::{components::contact_link::ContactLink, i18n, router::Route, state::use_state, web};

/// The call list.
#[component]
pub fn Calls() -> impl IntoView {
    let state = use_state();
    let today = web::today();
    let calls = Memo::new(move |_| {
        let mut list: Vec<_> = state.data.with(|d| {
            d.feedback
                .values()
                .filter_map(|i| {
                    let f = i.follow_up.as_ref().filter(|f| f.call.is_none())?;
                    Some((
                        f.due,
                        i.meta.id,
                        i.customer.clone(),
                        i.contact.clone(),
                        i.description.clone(),
                        i.kind,
                    ))
                })
                .collect()
        });
        list.sort_by_key(|c| (c.0, c.1));
        list
    });
    let due_now = move || calls.with(|c| c.iter().filter(|c| c.0 <= today).count());
    view! {
        <FeedbackTabs current=Route::FeedbackCalls/>
        <h1>{move || state.t("fb.calls.title")}</h1>
        <p class="lead">{move || state.t("fb.calls.intro")}</p>
        <p class="summary" aria-live="polite">
            {move || {
                let lang = state.lang.get();
                i18n::tf(
                    lang,
                    "fb.calls.summary",
                    &[("n", i18n::int(lang, calls.with(Vec::len) as u64)), ("due", i18n::int(lang, due_now() as u64))],
                )
            }}
        </p>
        <Show when=move || calls.with(Vec::is_empty)>
            <p class="muted">{move || state.t("fb.calls.none")}</p>
        </Show>
        <ul class="feedback-list">
            {move || {
                let lang = state.lang.get();
                calls
                    .get()
                    .into_iter()
                    .map(|(due, id, customer, contact, description, kind)| {
                        let late = due <= today;
                        let excerpt: String = description.chars().take(100).collect();
                        let who = if customer.is_empty() { i18n::t(lang, "fb.calls.no_name").to_owned() } else { customer };
                        let reach = match contact {
                            Some(c) if c.consent => view! { <ContactLink value=c.value/> }.into_any(),
                            Some(_) => i18n::t(lang, "fb.calls.no_consent").into_any(),
                            None => i18n::t(lang, "fb.calls.no_contact").into_any(),
                        };
                        view! {
                            <li class=if late { "panel feedback-item overdue" } else { "panel feedback-item" }>
                                <p class="badges">
                                    <span class=if late { "badge danger" } else { "badge" }>
                                        {i18n::tf(lang, "fb.call.due", &[("date", i18n::date(lang, due))])}
                                    </span>
                                    " "
                                    <span class="badge status">{i18n::t(lang, &format!("feedback.kind.{}", kind.code()))}</span>
                                </p>
                                <h2 class="item-title"><a href=link(id) dir="auto">{who}</a></h2>
                                <p dir="auto" class="contact-line">{reach}</p>
                                <p class="muted small" dir="auto">{excerpt}</p>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
