//! A month calendar to pick a day from, in the reader's calendar: Jalali months and weeks from
//! Saturday in Persian, Gregorian months and weeks from Monday in English. It follows the
//! date-picker dialog pattern: a grid of days with one in the tab order, arrow keys move a day or
//! a week (mirrored right to left), Page Up and Page Down a month, Home and End the week's ends,
//! Enter or a tap picks, Escape closes.

use chrono::{Datelike, Duration, NaiveDate};
use leptos::{ev::KeyboardEvent, prelude::*};
use wasm_bindgen::JsCast;

use crate::{
    domain::{
        jalali::JalaliDate,
        period::{self, Calendar},
    },
    i18n::{self, Lang},
    state::use_state,
    web,
};

/// The month and year of `day`, as a calendar's heading names it.
fn month_title(lang: Lang, day: NaiveDate) -> String {
    let (prefix, month, year) = match (lang, JalaliDate::from_gregorian(day)) {
        (Lang::Fa, Some(j)) => ("j", j.month, j.year),
        _ => ("g", day.month(), day.year()),
    };
    i18n::tf(
        lang,
        "period.month.format",
        &[
            (
                "month",
                i18n::t(lang, &format!("month.{prefix}.{month}")).to_owned(),
            ),
            ("year", i18n::digits_in(lang, &year.to_string())),
        ],
    )
}

/// The number of `day` within its month, in the language's calendar and digits.
fn day_number(lang: Lang, day: NaiveDate) -> String {
    let n = match (lang, JalaliDate::from_gregorian(day)) {
        (Lang::Fa, Some(j)) => j.day,
        _ => day.day(),
    };
    i18n::digits_in(lang, &n.to_string())
}

/// The weekday codes of a week in the calendar's order.
fn week_codes(calendar: Calendar) -> [&'static str; 7] {
    match calendar {
        Calendar::Jalali => ["sat", "sun", "mon", "tue", "wed", "thu", "fri"],
        Calendar::Gregorian => ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    }
}

/// The calendar dialog. It opens on `start` (the day typed, or today) and calls `on_pick` with
/// the day chosen, or `on_close` when dismissed.
#[component]
pub fn DatePicker(
    /// The id of the dialog, which the opening button controls.
    id: String,
    /// The field's label, in the current language: the dialog is named after it.
    #[prop(into)]
    label: Signal<String>,
    /// The day to show and focus first.
    start: NaiveDate,
    /// Called with the day picked.
    on_pick: Callback<NaiveDate>,
    /// Called when the calendar is closed without a pick.
    on_close: Callback<()>,
) -> impl IntoView {
    let state = use_state();
    let focused = RwSignal::new(start);
    let today = web::today();
    let title_id = format!("{id}-title");
    let heading_id = title_id.clone();
    let grid_id = id.clone();

    // The focused day's button takes the focus whenever it changes (and when the dialog opens).
    Effect::new({
        let grid_id = grid_id.clone();
        move |_| {
            let day = focused.get();
            let selector = format!("#{grid_id} button[data-day=\"{day}\"]");
            web::focus_later(selector);
        }
    });

    let on_key = move |ev: KeyboardEvent| {
        let lang = state.lang.get_untracked();
        let cal = lang.calendar();
        let rtl = lang == Lang::Fa;
        let day = focused.get_untracked();
        let (back, forth) = if rtl { (1, -1) } else { (-1, 1) };
        let moved = match ev.key().as_str() {
            "ArrowLeft" => Some(day + Duration::days(back)),
            "ArrowRight" => Some(day + Duration::days(forth)),
            "ArrowUp" => Some(day - Duration::days(7)),
            "ArrowDown" => Some(day + Duration::days(7)),
            "PageUp" => Some(period::shift_month(
                day,
                if ev.shift_key() { -12 } else { -1 },
                cal,
            )),
            "PageDown" => Some(period::shift_month(
                day,
                if ev.shift_key() { 12 } else { 1 },
                cal,
            )),
            "Home" => Some(period::start_of(day, period::Span::Week, cal)),
            "End" => Some(period::start_of(day, period::Span::Week, cal) + Duration::days(6)),
            "Escape" => {
                ev.prevent_default();
                on_close.run(());
                None
            }
            _ => None,
        };
        if let Some(d) = moved {
            ev.prevent_default();
            focused.set(d);
        }
    };

    let weeks = move || {
        let lang = state.lang.get();
        let day = focused.get();
        period::month_grid(day, lang.calendar())
            .into_iter()
            .map(|week| {
                let cells = week
                    .into_iter()
                    .map(|cell| match cell {
                        None => view! { <td></td> }.into_any(),
                        Some(d) => {
                            let is_focused = d == day;
                            view! {
                                <td>
                                    <button
                                        type="button"
                                        class="day"
                                        class:today=d == today
                                        data-day=d.to_string()
                                        tabindex=if is_focused { "0" } else { "-1" }
                                        aria-label=i18n::date(lang, d)
                                        aria-current=(d == today).then_some("date")
                                        aria-pressed=if d == start { "true" } else { "false" }
                                        on:click=move |_| on_pick.run(d)
                                    >
                                        {day_number(lang, d)}
                                    </button>
                                </td>
                            }
                            .into_any()
                        }
                    })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view()
    };

    let heads = move || {
        let lang = state.lang.get();
        week_codes(lang.calendar())
            .into_iter()
            .map(|code| {
                view! {
                    <th scope="col" abbr=i18n::t(lang, &format!("day.{code}"))>
                        {i18n::t(lang, &format!("day.short.{code}"))}
                    </th>
                }
            })
            .collect_view()
    };

    let step = move |months: i32| {
        let lang = state.lang.get_untracked();
        focused.update(|d| *d = period::shift_month(*d, months, lang.calendar()));
    };

    // Focus leaving the calendar for elsewhere on the page closes it.
    let on_focus_out = move |ev: leptos::ev::FocusEvent| {
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(
                ev.current_target()
                    .and_then(|t| t.dyn_into::<web_sys::Node>().ok()),
            )
            .is_some_and(|(to, me)| me.contains(Some(&to)));
        if !inside && ev.related_target().is_some() {
            on_close.run(());
        }
    };

    view! {
        <div
            class="date-picker"
            id=id
            role="dialog"
            aria-modal="false"
            aria-labelledby=heading_id
            on:keydown=on_key
            on:focusout=on_focus_out
        >
            <div class="date-picker-head">
                <button type="button" class="ghost" on:click=move |_| step(-1)>
                    <span aria-hidden="true">{move || if state.lang.get() == Lang::Fa { "›" } else { "‹" }}</span>
                    <span class="sr-only">{move || state.t("date.prev_month")}</span>
                </button>
                <h2 id=title_id.clone() aria-live="polite">
                    <span class="sr-only">{move || label.get()} ": "</span>
                    {move || month_title(state.lang.get(), focused.get())}
                </h2>
                <button type="button" class="ghost" on:click=move |_| step(1)>
                    <span aria-hidden="true">{move || if state.lang.get() == Lang::Fa { "‹" } else { "›" }}</span>
                    <span class="sr-only">{move || state.t("date.next_month")}</span>
                </button>
            </div>
            <table role="grid" aria-labelledby=title_id>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{weeks}</tbody>
            </table>
            <div class="date-picker-foot">
                <button type="button" class="secondary" on:click=move |_| on_pick.run(today)>
                    {move || state.t("date.today")}
                </button>
                <button type="button" class="ghost" on:click=move |_| on_close.run(())>
                    {move || state.t("date.close")}
                </button>
            </div>
        </div>
    }
}
