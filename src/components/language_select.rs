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
                    if let Some(lang) = Lang::from_code(&event_target_value(&ev)) {
                        state.set_lang(lang);
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
