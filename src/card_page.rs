//! The satisfaction card on a page of its own, `card.html`: what a customer opens from a link
//! or a QR code. It carries only what a card needs, so it appears at once on a weak
//! connection. It reads the settings and the card templates, and stores a card, with the
//! customer its contact names, exactly as the app does. Staff screens live in the app.

use leptos::prelude::*;

use crate::{
    components::{language_select::LanguageSelect, notice_bar::NoticeBar},
    domain::{
        card::Card,
        customer::{self, Customer},
        template::CardTemplate,
        Record,
    },
    i18n,
    pages::cards::{card_for, draft_answers, CardForm, DRAFT},
    router::query_param,
    state::AppState,
    store::{self, local::LocalBackend, StoreError},
    web,
};

/// Stores a card the card page's way: its template first if it is not yet stored, then the
/// card, then the customer its contact names (found among the stored customers or added), each
/// read and written on its own.
fn send(state: AppState) -> Callback<(Card, CardTemplate), bool> {
    Callback::new(move |(card, template): (Card, CardTemplate)| {
        let stored = state
            .data
            .with_untracked(|d| d.templates.contains_key(&template.meta.id));
        let result = LocalBackend::open()
            .map_err(StoreError::from)
            .and_then(|mut backend| {
                if !stored {
                    store::save_typed(&mut backend, &template)?;
                    state
                        .data
                        .update(|d| d.upsert(Record::Template(template.clone())));
                }
                store::save_typed(&mut backend, &card)?;
                let record = Record::Card(card);
                if customer::Sighting::of(&record).is_some() {
                    let known = store::load_typed::<Customer>(&backend)
                        .into_iter()
                        .map(|c| (c.meta.id, c))
                        .collect();
                    for c in customer::observe(&known, &[record], chrono::Utc::now()) {
                        // The card itself is stored; the app adds a customer it missed.
                        let _ = store::save_typed(&mut backend, &c);
                    }
                }
                Ok(())
            });
        match result {
            Ok(()) => true,
            Err(e) => {
                state.fail(&e);
                false
            }
        }
    })
}

/// The card page: the business's name, the language, the card.
#[component]
pub fn CardPage() -> impl IntoView {
    let state = AppState::for_card();
    provide_context(state);
    Effect::new(move |_| {
        let lang = state.lang.get();
        web::apply_language(lang, i18n::t(lang, "card.title"));
    });
    let settings = state.settings();
    let wanted = query_param("template").and_then(|t| uuid::Uuid::parse_str(&t).ok());
    let branch = query_param("branch")
        .or_else(|| settings.branches.first().cloned())
        .unwrap_or_default();
    let template = Memo::new({
        let (branch, today) = (branch.clone(), web::today());
        move |_| card_for(state, wanted, &branch, today)
    });
    let answers = RwSignal::new(draft_answers(DRAFT, template.with_untracked(|t| t.meta.id)));
    let touchpoint = query_param("touchpoint").unwrap_or_else(|| "website".to_owned());
    let business = move || state.business_name();
    view! {
        <header class="topbar card-bar">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name" dir="auto">
                    {move || {
                        let name = business();
                        if name.is_empty() { state.t("app.title").to_owned() } else { name }
                    }}
                </span>
            </div>
            <LanguageSelect/>
        </header>
        <NoticeBar/>
        <main id="main" class="page">
            <CardForm
                template=template
                branch=Signal::stored(branch)
                touchpoint=Signal::stored(touchpoint)
                answers=answers
                draft_key=DRAFT
                kiosk=false
                send=send(state)
            />
        </main>
    }
}
