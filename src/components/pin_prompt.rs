//! The staff PIN prompt that guards a kiosk. The PIN is checked against its salted PBKDF2 hash;
//! five wrong tries lock the prompt for a minute, and the count survives a reload.

use leptos::{html, prelude::*, task::spawn_local};

use crate::{
    domain::pin::{self, Lockout},
    i18n,
    state::use_state,
    store::prefs,
    web,
};

/// Asks for the staff PIN; `on_unlock` runs once it is right.
#[component]
pub fn PinPrompt(
    /// Whether the prompt is open; closing it sets it false.
    open: RwSignal<bool>,
    /// What the right PIN unlocks.
    on_unlock: Callback<()>,
) -> impl IntoView {
    let state = use_state();
    let dialog = NodeRef::<html::Dialog>::new();
    let input = NodeRef::<html::Input>::new();
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if open.get() {
            if !d.open() {
                message.set(None);
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let lang = state.lang.get_untracked();
        let now = chrono::Utc::now();
        let mut lock = prefs::get::<Lockout>(prefs::PIN_LOCK).unwrap_or_default();
        if let Some(secs) = lock.locked_for(now) {
            message.set(Some(i18n::tf(
                lang,
                "pin.locked",
                &[("n", i18n::int(lang, secs as u64))],
            )));
            return;
        }
        let typed = input.get_untracked().map(|i| i.value()).unwrap_or_default();
        if let Some(i) = input.get_untracked() {
            i.set_value("");
        }
        let Some(stored) = state
            .data
            .with_untracked(|d| d.settings.as_ref().and_then(|s| s.pin.clone()))
        else {
            // No PIN was ever set (a kiosk cannot start without one): nothing to guard.
            open.set(false);
            on_unlock.run(());
            return;
        };
        busy.set(true);
        message.set(Some(i18n::t(lang, "pin.checking").to_owned()));
        spawn_local(async move {
            let salt = pin::from_hex(&stored.salt).unwrap_or_default();
            let derived = match pin::normalize(&typed) {
                Some(p) => web::pbkdf2(&p, &salt, stored.iterations)
                    .await
                    .map(|b| pin::to_hex(&b)),
                None => Ok(String::new()),
            };
            busy.set(false);
            match derived {
                Ok(hex) if stored.matches(&hex) => {
                    prefs::remove(prefs::PIN_LOCK);
                    message.set(None);
                    open.set(false);
                    on_unlock.run(());
                }
                Ok(_) => {
                    lock.fail(chrono::Utc::now());
                    prefs::set(prefs::PIN_LOCK, &lock);
                    let text = match lock.locked_for(chrono::Utc::now()) {
                        Some(secs) => {
                            i18n::tf(lang, "pin.locked", &[("n", i18n::int(lang, secs as u64))])
                        }
                        None => i18n::tf(
                            lang,
                            "pin.wrong",
                            &[("n", i18n::int(lang, u64::from(lock.tries_left())))],
                        ),
                    };
                    message.set(Some(text));
                    if let Some(i) = input.get_untracked() {
                        let _ = i.focus();
                    }
                }
                Err(_) => message.set(Some(i18n::t(lang, "pin.unavailable").to_owned())),
            }
        });
    };

    view! {
        <dialog
            node_ref=dialog
            class="confirm pin"
            aria-labelledby="pin-title"
            aria-describedby="pin-body"
            on:close=move |_| open.set(false)
        >
            <form on:submit=on_submit>
                <h2 id="pin-title">{move || state.t("pin.title")}</h2>
                <p id="pin-body">{move || state.t("pin.body")}</p>
                <div class="field">
                    <label for="pin-input">{move || state.t("pin.label")}</label>
                    <input
                        id="pin-input"
                        node_ref=input
                        type="password"
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength="24"
                        dir="ltr"
                        aria-describedby="pin-message"
                    />
                </div>
                <p id="pin-message" class="field-error" role="alert">
                    {move || message.get()}
                </p>
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>
                        {move || state.t("confirm.cancel")}
                    </button>
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || state.t("pin.unlock")}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
