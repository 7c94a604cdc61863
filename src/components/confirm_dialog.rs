//! A modal question before something that cannot be undone, on the browser's own `<dialog>`:
//! focus is held inside it and Escape cancels.

use leptos::{html, prelude::*};

use crate::state::use_state;

/// The button that asks to remove one named thing: its visible text is `label`, its accessible
/// name `named` with the thing's name, and a click marks `id` and opens the confirm dialog.
#[component]
pub fn AskButton(
    /// Locale key of the visible text.
    label: &'static str,
    /// Locale key of the accessible name, with `{name}`.
    named: &'static str,
    /// The thing's name.
    name: String,
    id: uuid::Uuid,
    /// Set to the thing's id on a click.
    chosen: RwSignal<Option<uuid::Uuid>>,
    /// Opened on a click.
    open: RwSignal<bool>,
) -> impl IntoView {
    let state = use_state();
    view! {
        <button
            type="button"
            class="secondary"
            aria-label=move || state.tf(named, &[("name", name.clone())])
            on:click=move |_| {
                chosen.set(Some(id));
                open.set(true);
            }
        >
            {move || state.t(label)}
        </button>
    }
}

/// Asks to confirm; `on_confirm` runs only on the confirming button.
#[component]
pub fn ConfirmDialog(
    /// Whether the dialog is open; closing it (by either button or Escape) sets it false.
    open: RwSignal<bool>,
    /// Locale key of the question.
    title: &'static str,
    /// Locale key of the explanation.
    body: &'static str,
    /// Locale key of the confirming button.
    confirm: &'static str,
    /// What to do once confirmed.
    on_confirm: Callback<()>,
    /// More to choose before confirming, below the explanation.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let state = use_state();
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if open.get() {
            if !d.open() {
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="confirm"
            aria-labelledby="confirm-title"
            aria-describedby="confirm-body"
            on:close=move |_| open.set(false)
        >
            <h2 id="confirm-title">{move || state.t(title)}</h2>
            <p id="confirm-body">{move || state.t(body)}</p>
            {children.map(|c| c())}
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| open.set(false)>
                    {move || state.t("confirm.cancel")}
                </button>
                <button
                    type="button"
                    class="danger"
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }
                >
                    {move || state.t(confirm)}
                </button>
            </div>
        </dialog>
    }
}
