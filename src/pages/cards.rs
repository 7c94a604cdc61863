//! The Cards screens: the card a customer fills, and the cards received.

mod designer;
mod fill;
mod received;

pub use designer::CardDesigner;
pub use fill::{draft_answers, send_card, CardForm, FillCard, DRAFT, KIOSK_DRAFT};
pub use received::ReceivedCards;

use leptos::prelude::*;

use crate::{
    components::section_tabs::SectionTabs,
    domain::{
        schedule,
        template::{CardTemplate, DEFAULT_TEMPLATE_ID},
        text::Bilingual,
        Meta,
    },
    i18n::{self, Lang},
    router::Route,
    state::{use_state, AppState},
};

/// The card customers are given: the stored default template, or, before the first card is
/// saved, the default built from the locale files.
pub fn default_template(state: AppState) -> CardTemplate {
    state
        .data
        .with(|d| d.templates.get(&DEFAULT_TEMPLATE_ID).cloned())
        .unwrap_or_else(|| {
            CardTemplate::default_card(Meta::new(chrono::Utc::now()), &|key| {
                Bilingual::new(i18n::t(Lang::En, key), i18n::t(Lang::Fa, key))
            })
        })
}

/// Every template: the stored ones and, until it is stored, the default; the default first.
pub fn all_templates(state: AppState) -> Vec<CardTemplate> {
    let mut all: Vec<CardTemplate> = state.data.with(|d| d.templates.values().cloned().collect());
    if !all.iter().any(|t| t.meta.id == DEFAULT_TEMPLATE_ID) {
        all.push(default_template(state));
    }
    all.sort_by_key(|t| (t.meta.id != DEFAULT_TEMPLATE_ID, t.meta.created));
    all
}

/// The template with this id if it exists and is not archived, else the default.
fn template_or_default(state: AppState, id: Option<uuid::Uuid>) -> CardTemplate {
    id.and_then(|id| state.data.with(|d| d.templates.get(&id).cloned()))
        .filter(|t| !t.archived)
        .unwrap_or_else(|| default_template(state))
}

/// The card given at `branch` on `day`: the one asked for (by link, or chosen for a kiosk),
/// else the campaign running there, else the default.
pub fn card_for(
    state: AppState,
    asked: Option<uuid::Uuid>,
    branch: &str,
    day: chrono::NaiveDate,
) -> CardTemplate {
    let chosen = asked.or_else(|| {
        schedule::campaign_card(&state.settings().schedules, branch, day).map(|(id, _)| id)
    });
    template_or_default(state, chosen)
}

/// Links between the Cards screens.
#[component]
fn CardTabs(
    /// The screen shown now.
    current: Route,
) -> impl IntoView {
    const TABS: &[(Route, &str)] = &[
        (Route::Cards, "nav.cards.fill"),
        (Route::CardsReceived, "nav.cards.received"),
        (Route::CardsDesigner, "nav.cards.designer"),
    ];
    view! { <SectionTabs tabs=TABS current=current/> }
}

/// `<option>`s for card templates, by id, named in the current language.
#[component]
pub(crate) fn TemplateOptions(
    #[prop(into)] templates: Signal<Vec<CardTemplate>>,
    #[prop(into)] selected: Signal<Option<uuid::Uuid>>,
) -> impl IntoView {
    let state = use_state();
    move || {
        templates
            .get()
            .into_iter()
            .map(|t| {
                let id = t.meta.id;
                view! {
                    <option value=id.to_string() selected=move || selected.get() == Some(id)>
                        {state.lang.get().pick(&t.name)}
                    </option>
                }
            })
            .collect_view()
    }
}
