//! The satisfaction card on a page of its own, `card.html`: what a customer opens from a link
//! or a QR code. It carries only what a card needs, so it appears at once on a weak
//! connection. Staff screens live in the app.
//! - Opened from a card link (a customer's own phone), it shows the design the shop published
//!   in its inbox and sends the card there sealed (see [`crate::sync::outbox`]).
//! - Opened without one (the shop's own tablet), it reads the settings and the card templates,
//!   and stores a card, with the customer its contact names, exactly as the app does.

use leptos::prelude::*;

use crate::{
    components::{language_select::LanguageSelect, notice_bar::NoticeBar},
    domain::{
        card::Card,
        card_link::{CardLink, LinkProblem},
        customer::{self, Customer},
        settings::Settings,
        template::CardTemplate,
        Record,
    },
    i18n,
    pages::cards::{card_for, draft_answers, CardForm, DRAFT},
    router::query_param,
    state::{use_state, AppState},
    store::{self, local::LocalBackend, StoreError},
    sync::{
        fetch::FetchTransport,
        inbox::{self, Design, SealedDoc},
        outbox, seal,
        transport::{Request, Transport},
    },
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

/// The card page: the business's name, the language, and the card. Opened from a card link it
/// is a stranger's phone: the card's design comes from the shop's inbox, and the card goes
/// there sealed. Opened without one it is the shop's own tablet, and the card is kept here.
#[component]
pub fn CardPage() -> impl IntoView {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let link = CardLink::parse(&hash);
    let state = match link {
        Ok(_) => AppState::for_phone(),
        Err(_) => AppState::for_card(),
    };
    provide_context(state);
    Effect::new(move |_| {
        let lang = state.lang.get();
        web::apply_language(lang, i18n::t(lang, "card.title"));
    });
    let business = move || state.business_name();
    let body = match link {
        Ok(link) => view! { <PhoneCard link=link/> }.into_any(),
        Err(LinkProblem::Absent) => view! { <ShopCard/> }.into_any(),
        Err(problem) => view! {
            <section class="panel warn" role="alert">
                <h1>{move || state.t("card.title")}</h1>
                <p>{move || state.t(problem.message_key())}</p>
            </section>
        }
        .into_any(),
    };
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
        <main id="main" class="page">{body}</main>
    }
}

/// The card on the shop's own device: its templates, and the card kept here.
#[component]
fn ShopCard() -> impl IntoView {
    let state = use_state();
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
    view! {
        <p class="hint kept-here">{move || state.t("link.absent")}</p>
        <CardForm
            template=template
            branch=Signal::stored(branch)
            touchpoint=Signal::stored(touchpoint)
            answers=answers
            draft_key=DRAFT
            kiosk=false
            send=send(state)
        />
    }
}

/// Where the design of a phone's card stands.
#[derive(Clone, PartialEq)]
enum Fetched {
    Waiting,
    Ready(CardTemplate),
    /// The inbox could not be reached, or holds no such design.
    Failed(&'static str),
}

/// Where the cards sent from this phone stand, for the thank-you.
#[derive(Clone, Copy, PartialEq)]
enum Delivery {
    Sealing,
    Sending,
    Delivered,
    Offline,
    Refused,
    /// The phone's browser cannot seal (a page not served over HTTPS).
    CannotSeal,
}

/// The card on a customer's phone, from a card link.
#[component]
fn PhoneCard(link: CardLink) -> impl IntoView {
    let state = use_state();
    let loading = RwSignal::new(Fetched::Waiting);
    let delivery = RwSignal::new(Delivery::Sealing);
    let refusal = RwSignal::new(String::new());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let inbox = link.inbox.clone();

    // Sends what waits in the outbox; what is not delivered is tried again after a pause.
    let flush = StoredValue::new(None::<Callback<()>>);
    let run_flush = move || {
        if let Some(f) = flush.get_value() {
            f.run(());
        }
    };
    flush.set_value(Some(Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            let Ok(mut backend) = LocalBackend::open() else {
                return;
            };
            let mut most_tries = None;
            for (id, waiting) in outbox::all(&mut backend) {
                if delivery.get_untracked() != Delivery::Delivered {
                    delivery.set(Delivery::Sending);
                }
                let transport = FetchTransport::anonymous(&waiting.inbox);
                let tries = waiting.tries + 1;
                match outbox::deliver(&transport, &mut backend, &id, waiting).await {
                    outbox::Outcome::Delivered => delivery.set(Delivery::Delivered),
                    outbox::Outcome::Offline => {
                        delivery.set(Delivery::Offline);
                        most_tries = most_tries.max(Some(tries));
                    }
                    outbox::Outcome::Refused(reason) => {
                        refusal.set(reason);
                        delivery.set(Delivery::Refused);
                        most_tries = most_tries.max(Some(tries));
                    }
                }
            }
            if let Some(tries) = most_tries {
                if let Some(h) = timer.get_value() {
                    h.clear();
                }
                let pause = std::time::Duration::from_secs(u64::from(outbox::pause(tries)));
                timer.set_value(set_timeout_with_handle(run_flush, pause).ok());
            }
        });
    })));
    window_event_listener(leptos::ev::online, move |_| run_flush());
    // Cards left from an earlier visit go first.
    run_flush();

    // The design, as the shop's staff published it.
    let design_id = inbox::design_id(link.template);
    let load = move || {
        let (inbox, design_id) = (inbox.clone(), design_id.clone());
        loading.set(Fetched::Waiting);
        leptos::task::spawn_local(async move {
            let transport = FetchTransport::anonymous(&inbox);
            let answer = transport.send(Request::get(design_id)).await;
            let design = match answer {
                Ok(r) if r.status == 200 => Design::read(&r.body).ok_or("link.design.broken"),
                Ok(r) if r.status == 404 => Err("link.design.missing"),
                Ok(_) | Err(_) => Err("link.design.offline"),
            };
            match design {
                Ok(design) => {
                    state.data.update(|d| {
                        let mut settings = Settings::defaults(chrono::Utc::now());
                        settings.business_name = design.business;
                        settings.business_name_fa = design.business_fa;
                        d.settings = Some(settings);
                    });
                    loading.set(Fetched::Ready(design.template));
                }
                Err(key) => loading.set(Fetched::Failed(key)),
            }
        });
    };
    load();
    let load = StoredValue::new(load);

    let key = link.key.clone();
    let send = Callback::new(move |(card, _): (Card, CardTemplate)| {
        let key = key.clone();
        let inbox = link.inbox.clone();
        delivery.set(Delivery::Sealing);
        leptos::task::spawn_local(async move {
            let id = card.meta.id.to_string();
            let plain = serde_json::to_vec(&card).unwrap_or_default();
            let sealed = match seal::seal(&key, &plain).await {
                Ok(s) => s,
                Err(_) => {
                    delivery.set(Delivery::CannotSeal);
                    return;
                }
            };
            let waiting = outbox::Waiting {
                inbox,
                doc: SealedDoc::new(&sealed),
                tries: 0,
            };
            let stored = LocalBackend::open()
                .map_err(StoreError::from)
                .and_then(|mut b| outbox::put(&mut b, &id, &waiting).map_err(StoreError::from));
            match stored {
                Ok(()) => run_flush(),
                // No room to keep it: sent straight away, and kept in this page until it goes.
                Err(_) => {
                    let transport = FetchTransport::anonymous(&waiting.inbox);
                    let mut memory = crate::store::memory::MemoryBackend::default();
                    let outcome = outbox::deliver(&transport, &mut memory, &id, waiting).await;
                    delivery.set(match outcome {
                        outbox::Outcome::Delivered => Delivery::Delivered,
                        _ => Delivery::Offline,
                    });
                }
            }
        });
        true
    });

    let thanks = ViewFn::from(move || {
        view! {
            <p class="lead delivery" role="status">
                {move || match delivery.get() {
                    Delivery::Sealing | Delivery::Sending => state.t("outbox.sending").to_owned(),
                    Delivery::Delivered => state.t("outbox.delivered").to_owned(),
                    Delivery::Offline => state.t("outbox.offline").to_owned(),
                    Delivery::Refused => state.tf("outbox.refused", &[("reason", refusal.get())]),
                    Delivery::CannotSeal => state.t("outbox.cannot_seal").to_owned(),
                }}
            </p>
        }
    });

    let branch = link.branch.clone();
    let touchpoint = link.touchpoint.clone();
    move || match loading.get() {
        Fetched::Waiting => view! { <p class="muted" role="status">{move || state.t("link.design.loading")}</p> }.into_any(),
        Fetched::Failed(key) => view! {
            <section class="panel warn" role="alert">
                <p>{move || state.t(key)}</p>
                <button type="button" class="primary" on:click=move |_| load.with_value(|l| l())>
                    {move || state.t("link.design.retry")}
                </button>
            </section>
        }
        .into_any(),
        Fetched::Ready(template) => {
            let id = template.meta.id;
            let template = Memo::new(move |_| template.clone());
            let answers = RwSignal::new(draft_answers(DRAFT, id));
            view! {
                <CardForm
                    template=template
                    branch=Signal::stored(branch.clone())
                    touchpoint=Signal::stored(touchpoint.clone())
                    answers=answers
                    draft_key=DRAFT
                    kiosk=false
                    send=send
                    thanks=thanks.clone()
                />
            }
            .into_any()
        }
    }
}
