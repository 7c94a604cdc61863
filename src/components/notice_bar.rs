//! The one message line under the top bar: success and information are announced politely,
//! errors at once.

use leptos::prelude::*;

use crate::state::{use_state, Tone};

/// Shows the current notice, if any, with a button to dismiss it.
#[component]
pub fn NoticeBar() -> impl IntoView {
    let state = use_state();
    view! {
        <div class="notice-slot" role="status" aria-live="polite">
            {move || {
                state
                    .notice
                    .get()
                    .map(|n| {
                        let class = match n.tone {
                            Tone::Success => "notice notice-success",
                            Tone::Info => "notice notice-info",
                            Tone::Error => "notice notice-error",
                        };
                        // A notice with a reload gives its text the whole width, the buttons below.
                        let class = if n.reload { format!("{class} notice-reload") } else { class.to_owned() };
                        view! {
                            <div class=class role=(n.tone == Tone::Error).then_some("alert")>
                                <p dir="auto">{n.text}</p>
                                {n.reload.then(|| view! {
                                    <button type="button" class="primary" on:click=|_| crate::web::reload()>
                                        {move || state.t("notice.reload")}
                                    </button>
                                })}
                                <button type="button" class="ghost" on:click=move |_| state.notice.set(None)>
                                    {move || state.t("notice.dismiss")}
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
