//! A day typed in the user's calendar (Jalali in Persian, Gregorian in English), with a hint
//! that says how to write it and turns into an error when the text is not a date.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::{
    i18n::{self, Lang},
    state::use_state,
};

/// Text typed in a date field that names no day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotADate;

/// The text typed in a date field, and the day it names.
#[derive(Clone, Copy)]
pub struct DateField {
    pub text: RwSignal<String>,
}

impl DateField {
    pub fn new() -> Self {
        Self::with_text(String::new())
    }

    pub fn with_text(text: String) -> Self {
        Self {
            text: RwSignal::new(text),
        }
    }

    /// A field showing `day` as the language writes it.
    pub fn with_day(lang: Lang, day: NaiveDate) -> Self {
        Self::with_text(i18n::date_input(lang, day))
    }

    /// `Ok(None)` when empty, `Err(())` when typed but not a date (reactive).
    pub fn day(self) -> Result<Option<NaiveDate>, NotADate> {
        let text = self.text.get();
        if text.trim().is_empty() {
            return Ok(None);
        }
        i18n::parse_date(&text).map(Some).ok_or(NotADate)
    }
}

impl Default for DateField {
    fn default() -> Self {
        Self::new()
    }
}

/// A labelled date field.
#[component]
pub fn DateInput(
    /// The input's id.
    id: &'static str,
    /// Locale key of the label.
    label: &'static str,
    field: DateField,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let state = use_state();
    let hint_id = format!("{id}-hint");
    let invalid = move || field.day().is_err();
    view! {
        <div class="field">
            <label for=id>{move || state.t(label)}</label>
            <input
                id=id
                type="text"
                inputmode="numeric"
                dir="ltr"
                maxlength="10"
                required=required
                aria-describedby=hint_id.clone()
                aria-invalid=move || invalid().then_some("true")
                bind:value=field.text
            />
            <p class="hint" id=hint_id>
                {move || state.t(if invalid() { "date.bad" } else { "date.hint" })}
            </p>
        </div>
    }
}
