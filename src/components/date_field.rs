//! A day typed in the user's calendar (Jalali in Persian, Gregorian in English), with a hint
//! that says how to write it and turns into an error when the text is not a date.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::{
    components::date_picker::DatePicker,
    i18n::{self, Lang},
    state::use_state,
    web,
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

    /// The day typed, if the text names one (not reactive).
    pub fn day_untracked(self) -> Option<NaiveDate> {
        i18n::parse_date(&self.text.get_untracked())
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

/// A labelled date field, with a button that opens a calendar to pick the day from. When the
/// language changes, a day already typed is written again in the new language's calendar.
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
    let picker_id = format!("{id}-calendar");
    let invalid = move || field.day().is_err();
    let open = RwSignal::new(false);

    // The same day, redrawn in the calendar and digits of the language now in use.
    Effect::new(move |previous: Option<Lang>| {
        let lang = state.lang.get();
        if previous.is_some_and(|p| p != lang) {
            if let Some(day) = i18n::parse_date(&field.text.get_untracked()) {
                field.text.set(i18n::date_input(lang, day));
            }
        }
        lang
    });

    let toggle = format!("{id}-pick");
    let back_to_button = {
        let toggle = toggle.clone();
        move || web::focus_later(format!("#{toggle}"))
    };
    let pick = Callback::new({
        let back = back_to_button.clone();
        move |day: NaiveDate| {
            field
                .text
                .set(i18n::date_input(state.lang.get_untracked(), day));
            open.set(false);
            back();
        }
    });
    let close = Callback::new(move |()| {
        open.set(false);
        back_to_button();
    });
    let label_text = Signal::derive(move || state.t(label).to_owned());

    view! {
        <div class="field date-field">
            <label for=id>{move || state.t(label)}</label>
            <div class="date-row">
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
                <button
                    type="button"
                    class="secondary date-toggle"
                    id=toggle
                    aria-haspopup="dialog"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    aria-controls=picker_id.clone()
                    aria-label=move || state.tf("date.pick", &[("label", state.t(label).to_owned())])
                    on:click=move |_| open.update(|o| *o = !*o)
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" && open.get_untracked() {
                            ev.prevent_default();
                            open.set(false);
                        }
                    }
                >
                    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                        <rect x="3.5" y="5" width="17" height="15.5" rx="2" fill="none" stroke="currentColor" stroke-width="2"/>
                        <path d="M3.5 10h17M8 3v4M16 3v4" stroke="currentColor" stroke-width="2" fill="none"/>
                    </svg>
                </button>
                <Show when=move || open.get()>
                    <DatePicker
                        id=picker_id.clone()
                        label=label_text
                        start=field.day_untracked().unwrap_or_else(web::today)
                        on_pick=pick
                        on_close=close
                    />
                </Show>
            </div>
            <p class="hint" id=hint_id>
                {move || state.t(if invalid() { "date.bad" } else { "date.hint" })}
            </p>
        </div>
    }
}
