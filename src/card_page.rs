//! The satisfaction card on a page of its own, `card.html`: what a customer opens from a link
//! or a QR code. It carries only what a card needs, so it appears at once on a weak
//! connection. Staff screens live in the app.
//! - Opened from a card link (a customer's own phone), it shows the design the shop published
//!   in its inbox and sends the card there sealed (see [`crate::sync::outbox`]).
//! - Opened without one (the shop's own tablet), it reads the settings and the card templates,
//!   and stores a card, with the customer its contact names, exactly as the app does.

use leptos::prelude::*;

mod sending;

use crate::{
    components::{language_select::LanguageSelect, notice_bar::NoticeBar},
    domain::{
        card::Card,
        card_link::{CardLink, LinkProblem},
        stamp::Stamp,
        template::CardTemplate,
    },
    i18n,
    pages::cards::{card_for, draft_answers, CardForm, DRAFT},
    router::query_param,
    split::{at_once, ChunkMissing},
    state::{use_state, AppState, Tone},
    sync::{fetch::FetchTransport, inbox, outbox},
    web,
};

/// The shop's tablet: stores the card here (see [`sending::keep`]).
fn send(state: AppState) -> Callback<(Card, CardTemplate), bool> {
    Callback::new(move |(card, template): (Card, CardTemplate)| {
        match at_once!(sending::keep(state, card, template)) {
            Some(Ok(Ok(()))) => true,
            Some(Ok(Err(e))) => {
                state.fail(&e);
                false
            }
            Some(Err(ChunkMissing)) => {
                missing(state);
                false
            }
            None => {
                send_when_fetched(state);
                false
            }
        }
    })
}

/// The code that sends could not be fetched (offline with an old copy of the page, or a new
/// version published meanwhile). The answers stay in the draft, so a reload restores them.
fn missing(state: AppState) {
    state.notify_reload(state.t("card.send.missing"));
}

/// A card submitted before the code that sends it arrived (on a slow connection): says so, and
/// submits the card again, with the answers as they are then, once the code is here.
fn send_when_fetched(state: AppState) {
    thread_local!(static AGAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if AGAIN.get() {
        // Submitted again with the chunk fetched, yet still not ready: never go round again.
        missing(state);
        return;
    }
    state.notify(Tone::Info, state.t("card.send.loading"));
    #[cfg(feature = "card-split")]
    leptos::task::spawn_local(async move {
        match sending::fetch().await {
            Ok(()) => {
                state.notice.set(None);
                let form = document()
                    .query_selector("form.card-form")
                    .ok()
                    .flatten()
                    .and_then(|f| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlFormElement>(f).ok()
                    });
                if let Some(form) = form {
                    AGAIN.set(true);
                    let _ = form.request_submit();
                    AGAIN.set(false);
                }
            }
            Err(_) => missing(state),
        }
    });
}

/// Fetches the code that sends once the card is on the screen, so that it is here, and kept for
/// a visit without a connection, by the time the card is answered.
fn prefetch() {
    #[cfg(feature = "card-split")]
    request_animation_frame(|| {
        set_timeout(
            || leptos::task::spawn_local(async { _ = sending::fetch().await }),
            std::time::Duration::ZERO,
        )
    });
}

/// The card page: the business's name, the language, and the card. Opened from a card link it
/// is a stranger's phone: the card's design comes from the shop's inbox, and the card goes
/// there sealed. Opened without one it is the shop's own tablet, and the card is kept here.
#[component]
pub fn CardPage() -> impl IntoView {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let state = AppState::for_card();
    provide_context(state);
    prefetch();
    Effect::new(move |_| {
        let lang = state.lang.get();
        web::apply_language(lang, i18n::t(lang, "card.title"));
    });
    // On a phone, the business's name comes with the card's design: (English, Persian).
    let published = RwSignal::new(None::<(String, String)>);
    let business = move || match published.get() {
        Some((_, fa)) if state.lang.get() == i18n::Lang::Fa && !fa.trim().is_empty() => fa,
        Some((en, _)) => en,
        None => state.business_name(),
    };
    let body = match CardLink::parse(&hash) {
        Ok(link) => view! { <TheCard link=Some(link) business=published/> }.into_any(),
        Err(LinkProblem::Absent) => view! { <TheCard link=None business=published/> }.into_any(),
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

/// Where the card's design stands.
#[derive(Clone, PartialEq)]
enum Design {
    /// Being fetched from the shop's inbox.
    Fetching,
    Ready(CardTemplate),
    /// The inbox could not be reached, or holds no such design (a locale key).
    Failed(&'static str),
}

/// Where the cards sent from this phone stand, for the thank-you.
#[derive(Clone, Copy, PartialEq)]
enum Delivery {
    Sending,
    Delivered,
    Offline,
    Refused,
    /// The phone's browser cannot seal (a page not served over HTTPS).
    CannotSeal,
}

/// The card. With a link (a customer's phone) its design is fetched from the shop's inbox and
/// the card goes there sealed; without one (the shop's own tablet) it is this device's card,
/// kept here.
#[component]
fn TheCard(
    link: Option<CardLink>,
    /// Set to the business's name, in English and Persian, once a phone has the design.
    business: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let state = use_state();
    let (branch, touchpoint, design) = match &link {
        Some(l) => (l.branch.clone(), l.touchpoint.clone(), Design::Fetching),
        None => {
            let wanted = query_param("template").and_then(|t| uuid::Uuid::parse_str(&t).ok());
            let branch = query_param("branch")
                .or_else(|| state.settings().branches.first().cloned())
                .unwrap_or_default();
            let template = card_for(state, wanted, &branch, web::today());
            let touchpoint = query_param("touchpoint").unwrap_or_else(|| "website".to_owned());
            (branch, touchpoint, Design::Ready(template))
        }
    };
    let design = RwSignal::new(design);
    let (send, thanks) = match link {
        Some(link) => {
            let (send, thanks) = phone(link, design, business);
            (send, Some(thanks))
        }
        None => (send(state), None),
    };
    let kept_here = thanks
        .is_none()
        .then(|| view! { <p class="hint kept-here">{move || state.t("link.absent")}</p> });
    view! {
        {kept_here}
        {move || match design.get() {
            Design::Fetching => view! { <p class="muted" role="status">{move || state.t("link.design.loading")}</p> }.into_any(),
            Design::Failed(key) => view! {
                <section class="panel warn" role="alert">
                    <p>{move || state.t(key)}</p>
                    // Trying again helps a connection, not a page that cannot seal or a link
                    // that is not the shop's.
                    {(key != "outbox.cannot_seal" && key != "link.not_shops").then(|| view! {
                        <button type="button" class="primary" on:click=move |_| design.set(Design::Fetching)>
                            {move || state.t("link.design.retry")}
                        </button>
                    })}
                </section>
            }
            .into_any(),
            Design::Ready(template) => {
                let answers = RwSignal::new(draft_answers(DRAFT, template.meta.id));
                view! {
                    <CardForm
                        template=Memo::new(move |_| template.clone())
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
        }}
    }
}

/// A customer's phone: the design fetched (again whenever `design` goes back to fetching), the
/// outbox delivered now, when the phone is back online and after growing pauses, and a card's
/// submit sealed into it. Returns the card's `send` and what its thank-you says.
fn phone(
    link: CardLink,
    design: RwSignal<Design>,
    business: RwSignal<Option<(String, String)>>,
) -> (Callback<(Card, CardTemplate), bool>, ViewFn) {
    let state = use_state();
    let delivery = RwSignal::new(Delivery::Sending);
    let refusal = RwSignal::new(String::new());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    // Cards this phone had no room to keep: tried from this page as long as it is open.
    let unkept = StoredValue::new(Vec::<(String, outbox::Waiting)>::new());
    let flush = StoredValue::new(None::<Callback<()>>);
    let run_flush = move || {
        if let Some(f) = flush.get_value() {
            f.run(());
        }
    };
    // The next card's stamp, once the card just sent has had its round: searching meanwhile
    // would slow its sealing and delivery on the same thread.
    let stamp_after_round = StoredValue::new(None::<Callback<()>>);
    flush.set_value(Some(Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            #[cfg(feature = "card-split")]
            let delivering = sending::deliver(unkept.get_value()).await;
            #[cfg(not(feature = "card-split"))]
            let delivering = sending::deliver(unkept.get_value());
            // Without the code that delivers, the next card sent says why.
            let Ok(delivering) = delivering else {
                return;
            };
            let Some((left, round)) = delivering.await else {
                return;
            };
            unkept.set_value(left);
            match round.failed {
                None if round.delivered > 0 => delivery.set(Delivery::Delivered),
                None => {}
                Some((outcome, tries)) => {
                    delivery.set(match outcome {
                        outbox::Outcome::Refused(reason) => {
                            refusal.set(reason);
                            Delivery::Refused
                        }
                        _ => Delivery::Offline,
                    });
                    if let Some(h) = timer.get_value() {
                        h.clear();
                    }
                    let pause = std::time::Duration::from_secs(u64::from(outbox::pause(tries)));
                    timer.set_value(set_timeout_with_handle(run_flush, pause).ok());
                }
            }
            if let Some(start) = stamp_after_round.try_update_value(Option::take).flatten() {
                start.run(());
            }
        });
    })));
    window_event_listener(leptos::ev::online, move |_| run_flush());
    // Cards left from an earlier visit go first, once the card is drawn.
    request_animation_frame(move || set_timeout(run_flush, std::time::Duration::ZERO));

    // The design, as the shop's staff published it, and the shop's key the link pins.
    let (address, template, pin) = (link.inbox.clone(), link.template, link.pin.clone());
    let shop_key = StoredValue::new(None::<Vec<u8>>);
    // The id the next card is sent under, and its stamp once found: the search runs while the
    // customer answers, so Submit does not wait on it.
    let next = StoredValue::new(uuid::Uuid::new_v4());
    let found = StoredValue::new(None::<(uuid::Uuid, Stamp)>);
    let start_stamp = move || {
        let id = next.get_value();
        leptos::task::spawn_local(async move {
            web::mark("lp-stamp-start");
            #[cfg(feature = "card-split")]
            let stamping = sending::stamp(id).await;
            #[cfg(not(feature = "card-split"))]
            let stamping = sending::stamp(id);
            // Without the code that stamps, the card's send says why.
            let Ok(stamping) = stamping else {
                return;
            };
            let stamp = stamping.await;
            web::mark(&format!("lp-stamp-found:{}", stamp.nonce + 1));
            if next.get_value() == id {
                found.set_value(Some((id, stamp)));
            }
        });
    };
    // A page that cannot seal (not served over HTTPS) asks for no answers it could not send.
    let secure = web_sys::window().is_some_and(|w| w.is_secure_context());
    Effect::new(move |_| {
        if design.get() != Design::Fetching {
            return;
        }
        if !secure {
            design.set(Design::Failed("outbox.cannot_seal"));
            return;
        }
        let (address, pin) = (address.clone(), pin.clone());
        leptos::task::spawn_local(async move {
            let transport = FetchTransport::anonymous(&address);
            design.set(
                match inbox::fetch_design(&transport, template, &pin).await {
                    Ok((d, key)) => {
                        shop_key.set_value(Some(key));
                        business.set(Some((d.business, d.business_fa)));
                        start_stamp();
                        Design::Ready(d.template)
                    }
                    Err(key) => Design::Failed(key),
                },
            );
        });
    });

    let send = Callback::new(move |(mut card, _): (Card, CardTemplate)| {
        // Only a design fetched with a key the link pins is ever shown, so the key is here.
        let Some(key) = shop_key.get_value() else {
            return false;
        };
        card.meta.id = next.get_value();
        let stamp = found
            .get_value()
            .filter(|(id, _)| *id == card.meta.id)
            .map(|(_, s)| s);
        let inbox = link.inbox.clone();
        let sealing = match at_once!(sending::seal(key, inbox, card, stamp, unkept.get_value())) {
            Some(Ok(sealing)) => sealing,
            Some(Err(ChunkMissing)) => {
                missing(state);
                return false;
            }
            None => {
                send_when_fetched(state);
                return false;
            }
        };
        // The next card gets an id of its own, and its stamp once this one has had its round.
        next.set_value(uuid::Uuid::new_v4());
        found.set_value(None);
        delivery.set(Delivery::Sending);
        leptos::task::spawn_local(async move {
            let (left, sealed) = sealing.await;
            unkept.set_value(left);
            if sealed {
                stamp_after_round.set_value(Some(Callback::new(move |()| start_stamp())));
                run_flush();
            } else {
                delivery.set(Delivery::CannotSeal);
            }
        });
        true
    });

    let thanks = ViewFn::from(move || {
        view! {
            <p class="lead delivery" role="status">
                {move || match delivery.get() {
                    Delivery::Sending => state.t("outbox.sending").to_owned(),
                    Delivery::Delivered => state.t("outbox.delivered").to_owned(),
                    Delivery::Offline => state.t("outbox.offline").to_owned(),
                    Delivery::Refused => state.tf("outbox.refused", &[("reason", refusal.get())]),
                    Delivery::CannotSeal => state.t("outbox.cannot_seal").to_owned(),
                }}
            </p>
        }
    });
    (send, thanks)
}
