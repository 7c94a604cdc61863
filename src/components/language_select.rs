//! The language control: a labelled select offering English and فارسی.

use leptos::prelude::*;

use crate::{i18n::Lang, state::use_state};

/// Switches the interface language; the choice persists on this device.
#[component]
pub fn LanguageSelect() -> impl IntoView {
    let state = use_state();
    view! {
        <div class="lang">
            <label for="lang-select">{move || state.t("lang.label")}</label>
            <select
                id="lang-select"
                on:change=move |ev| {
                    let select = event_target::<web_sys::HtmlSelectElement>(&ev);
                    if let Some(lang) = Lang::from_code(&select.value()) {
                        leptos::task::spawn_local(async move {
                            // Words that cannot be fetched leave the language as it was.
                            if !state.switch_lang(lang).await {
                                select.set_value(state.lang.get_untracked().code());
                            }
                        });
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <option value=l.code() lang=l.code() selected=move || state.lang.get() == l>
                                {move || state.t(&format!("lang.{}", l.code()))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
