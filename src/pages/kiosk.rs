//! Kiosk mode: the card full screen on a counter tablet. After each card a thank-you counts
//! down to a fresh one; a card left half-filled is cleared after a warning. Nothing but the
//! staff PIN leads out: the address bar, the back button and a reload all land here again.

use leptos::prelude::*;

use crate::{
    components::{language_select::LanguageSelect, notice_bar::NoticeBar, pin_prompt::PinPrompt},
    domain::template::DEFAULT_TEMPLATE_ID,
    i18n,
    pages::cards::{card_for, draft_answers, send_card, CardForm, KIOSK_DRAFT},
    router::Route,
    state::{use_state, KioskSetup},
    web,
};

/// Seconds the "are you still there?" warning gives before the card is cleared.
const WARNING_SECONDS: u32 = 20;

/// The kiosk, shown instead of every staff screen while kiosk mode is on.
#[component]
pub fn Kiosk(
    /// What the kiosk shows.
    setup: KioskSetup,
    /// The address's route: any change of it asks for the PIN.
    route: ReadSignal<Route>,
) -> impl IntoView {
    let state = use_state();
    let wanted = setup.template;
    // A kiosk started with the default card gives a campaign's card while one runs at its
    // branch. The day is looked at again between customers, so a kiosk left on for weeks
    // follows the schedule.
    let day = RwSignal::new(web::today());
    let at = setup.branch.clone();
    let asked = (wanted != DEFAULT_TEMPLATE_ID).then_some(wanted);
    let template = Memo::new(move |_| card_for(state, asked, &at, day.get()));
    let answers = RwSignal::new(draft_answers(
        KIOSK_DRAFT,
        template.with_untracked(|t| t.meta.id),
    ));
    let branch = Signal::stored(setup.branch.clone());
    let pin_open = RwSignal::new(false);
    let idle = RwSignal::new(0u32);
    let warning = RwSignal::new(None::<u32>);

    // Trying to reach another screen from the kiosk asks for the PIN.
    Effect::new(move |previous: Option<Route>| {
        let now = route.get();
        if previous.is_some_and(|p| p != now) {
            pin_open.set(true);
        }
        now
    });

    // A half-filled card left alone: warn, then clear it for the next customer.
    let limit = move || {
        state
            .data
            .with_untracked(|d| d.settings.as_ref().map_or(90, |s| s.kiosk_idle_seconds))
    };
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if answers.with_untracked(|a| a.is_empty()) || pin_open.get_untracked() {
                if answers.with_untracked(|a| a.is_empty()) && day.get_untracked() != web::today() {
                    day.set(web::today());
                }
                idle.set(0);
                warning.set(None);
                return;
            }
            match warning.get_untracked() {
                Some(0) | Some(1) => {
                    answers.set(Default::default());
                    warning.set(None);
                    idle.set(0);
                }
                Some(n) => warning.set(Some(n - 1)),
                None => {
                    let n = idle.get_untracked() + 1;
                    idle.set(n);
                    if n >= limit() {
                        warning.set(Some(WARNING_SECONDS));
                    }
                }
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let active = move || {
        idle.set(0);
        warning.set(None);
    };

    let leave = Callback::new(move |()| {
        state.leave_kiosk();
        answers.set(Default::default());
    });

    view! {
        <div
            class="kiosk"
            on:pointerdown=move |_| active()
            on:keydown=move |_| active()
            on:input=move |_| active()
        >
            <header class="kiosk-bar">
                <span class="brand-name" dir="auto">
                    {move || {
                        Some(state.business_name())
                            .filter(|n| !n.is_empty())
                            .unwrap_or_else(|| state.t("app.title").to_owned())
                    }}
                </span>
                <LanguageSelect/>
                <button type="button" class="ghost" on:click=move |_| pin_open.set(true)>
                    {move || state.t("kiosk.staff")}
                </button>
            </header>
            <NoticeBar/>
            <main id="main" class="page">
                <CardForm
                    template=template
                    branch=branch
                    touchpoint="kiosk"
                    answers=answers
                    draft_key=KIOSK_DRAFT
                    kiosk=true
                    send=send_card(state)
                />
            </main>
            {move || {
                warning
                    .get()
                    .map(|n| {
                        view! {
                            <div class="idle-warning" role="alertdialog" aria-labelledby="idle-title" aria-describedby="idle-body">
                                <h2 id="idle-title">{move || state.t("kiosk.idle.title")}</h2>
                                <p id="idle-body">
                                    {move || state.tf("kiosk.idle.body", &[("n", i18n::int(state.lang.get(), u64::from(n)))])}
                                </p>
                                <button type="button" class="primary big" on:click=move |_| warning.set(None)>
                                    {move || state.t("kiosk.idle.continue")}
                                </button>
                            </div>
                        }
                    })
            }}
            <PinPrompt open=pin_open on_unlock=leave/>
        </div>
    }
}
