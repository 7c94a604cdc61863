//! The Feedback screens: the register and its inbox, one item handled to closure, and the
//! follow-up calls that are due.

mod calls;
mod form;
mod inbox;
mod item;

pub use calls::Calls;
pub use inbox::Inbox;
pub use item::ItemPage;

use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    components::section_tabs::SectionTabs,
    domain::{
        feedback::{ChangeError, FeedbackItem},
        sla::Calendar,
        Record,
    },
    i18n,
    router::Route,
    state::{use_state, AppState, Tone},
    store::prefs,
    web,
};

/// The business's working calendar in this device's time zone.
fn calendar(state: AppState) -> Calendar {
    state.settings().calendar(web::local_offset())
}

/// Who is using this device, as written in histories.
fn me() -> String {
    prefs::get::<String>(prefs::ME).unwrap_or_default()
}

/// Changes one stored item: reads the latest copy, applies `change`, stamps and saves it.
/// Returns false when nothing was saved (the user has been told why).
fn update(
    state: AppState,
    id: Uuid,
    change: impl FnOnce(&mut FeedbackItem) -> Result<(), ChangeError>,
) -> bool {
    let lang = state.lang.get_untracked();
    let Some(mut item) = state.data.with_untracked(|d| d.feedback.get(&id).cloned()) else {
        state.notify(Tone::Error, i18n::t(lang, "fb.missing"));
        return false;
    };
    if change(&mut item).is_err() {
        state.notify(Tone::Error, i18n::t(lang, "fb.error.transition"));
        return false;
    }
    item.meta.touch(chrono::Utc::now());
    if let Err(e) = item.validate() {
        state.notify(Tone::Error, i18n::t(lang, e.message_key()));
        return false;
    }
    state.save(Record::Feedback(item)).is_ok()
}

fn link(id: Uuid) -> String {
    format!("{}?id={id}", Route::FeedbackItem.href())
}

/// Working seconds as "3 h 20 min" in the current language.
fn duration(lang: i18n::Lang, seconds: i64) -> String {
    let minutes = seconds.unsigned_abs() / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => i18n::tf(lang, "fb.minutes", &[("m", i18n::int(lang, m))]),
        (h, 0) => i18n::tf(lang, "fb.hours", &[("h", i18n::int(lang, h))]),
        (h, m) => i18n::tf(
            lang,
            "fb.hours_minutes",
            &[("h", i18n::int(lang, h)), ("m", i18n::int(lang, m))],
        ),
    }
}

/// Links between the Feedback screens, and the name this device writes in histories.
#[component]
fn FeedbackTabs(
    /// The screen shown now.
    current: Route,
) -> impl IntoView {
    let state = use_state();
    let name = RwSignal::new(me());
    const TABS: &[(Route, &str)] = &[
        (Route::Feedback, "fb.tab.inbox"),
        (Route::FeedbackCalls, "fb.tab.calls"),
    ];
    view! {
        <SectionTabs tabs=TABS current=current>
            <label class="me">
                <span>{move || state.t("fb.me")}</span>
                <input
                    type="text"
                    maxlength="200"
                    dir="auto"
                    autocomplete="name"
                    prop:value=move || name.get()
                    on:change=move |ev| {
                        let v = event_target_value(&ev).trim().to_owned();
                        prefs::set(prefs::ME, &v);
                        name.set(v);
                    }
                />
            </label>
        </SectionTabs>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn working_time_reads_in_hours_and_minutes() {
        assert_eq!(duration(Lang::En, 45 * 60), "45 min");
        assert_eq!(duration(Lang::En, 3 * 3600), "3 h");
        assert_eq!(duration(Lang::En, -(3 * 3600 + 20 * 60)), "3 h 20 min");
        assert_eq!(duration(Lang::Fa, 3 * 3600), "۳ ساعت");
    }
}
