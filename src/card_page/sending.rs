//! What the card page does with an answered card: kept on the shop's own tablet, or sealed and
//! delivered to the shop's inbox from a customer's phone. In a split build (the `card-split`
//! feature, see `scripts/split-wasm.js`) this is a chunk of its own, fetched once the card is on
//! the screen: a customer sees the card without it, and needs it only to send.

use crate::{
    domain::{
        card::Card,
        customer::Customer,
        stamp::{self, Stamp},
        template::CardTemplate,
        Record,
    },
    split::ChunkMissing,
    state::AppState,
    store::{self, local::LocalBackend, StoreError},
    sync::{
        fetch::FetchTransport,
        outbox::{self, Round, Waiting},
        seal,
        transport::Boxed,
    },
};

/// Fetches the chunk, and readies each of its functions, whose calls are then done in the
/// same turn: each function waits on a loader of its own, set only once it has been awaited to
/// the end, so a call cut short after a first look (`at_once!`) would never set it.
#[cfg(feature = "card-split")]
pub async fn fetch() -> Result<(), leptos::wasm_split::SplitLoaderError> {
    __wasm_split_preload_keep().await?;
    __wasm_split_preload_seal().await?;
    __wasm_split_preload_stamp().await?;
    __wasm_split_preload_deliver().await
}

/// Cards a phone had no room to keep, tried from the page as long as it is open.
pub type Unkept = Vec<(String, Waiting)>;

/// Stores a card the card page's way: its template first if it is not yet stored, then the
/// card, then the customer its contact names (found among the stored customers or added), each
/// read and written on its own.
#[cfg_attr(
    feature = "card-split",
    leptos::wasm_split::wasm_split(sending, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn keep(
    state: AppState,
    card: Card,
    template: CardTemplate,
) -> Result<Result<(), StoreError>, ChunkMissing> {
    use leptos::prelude::*;
    let stored = state
        .data
        .with_untracked(|d| d.templates.contains_key(&template.meta.id));
    let new_template = (!stored).then_some(&template);
    let saved = LocalBackend::open()
        .map_err(StoreError::from)
        .and_then(|mut backend| {
            // The customers are read only if the card names one: a kiosk keeps none in memory.
            let known = |backend: &LocalBackend| {
                store::load_typed::<Customer>(backend)
                    .into_iter()
                    .map(|c| (c.meta.id, c))
                    .collect::<std::collections::BTreeMap<_, _>>()
            };
            store::save_card(&mut backend, &card, new_template, known, chrono::Utc::now())
        });
    Ok(saved.map(|_| {
        // The card itself is stored; a customer that could not be is added by the app later.
        if !stored {
            state
                .data
                .update(|d| d.upsert(Record::Template(template.clone())));
        }
    }))
}

/// The day a stamp made now names (UTC, as staff devices check it).
fn stamp_day() -> String {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        today.month(),
        today.day()
    )
}

/// Finds the card `id`'s stamp a slice at a time, letting the browser draw between slices, so
/// the customer answering meanwhile never waits on it.
async fn find_stamp(id: String) -> Stamp {
    let mut search = stamp::Search::new(&id, &stamp_day(), stamp::BITS);
    let mut pace = crate::web::Pace::every(12.0);
    loop {
        if let Some(found) = search.step(2_000) {
            return found;
        }
        if pace.due() {
            pace.pause().await;
        }
    }
}

/// Starts on the stamp of the card that will be sent as `id`, while the customer answers: the
/// future gives it once found.
#[cfg_attr(
    feature = "card-split",
    leptos::wasm_split::wasm_split(sending, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn stamp(id: uuid::Uuid) -> Result<Boxed<'static, Stamp>, ChunkMissing> {
    Ok(Box::pin(find_stamp(id.to_string())))
}

/// Seals a card for the shop whose public key is `key` (the one the card link pins) and queues
/// it for `inbox` (in `unkept` where the phone has no room), with its stamp: `found` if the
/// search finished while the customer answered, else found now. The future gives back
/// `unkept`, and whether the card was sealed: a browser that cannot seal (a page not served
/// over HTTPS) or keeps nothing cannot.
#[cfg_attr(
    feature = "card-split",
    leptos::wasm_split::wasm_split(sending, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn seal(
    key: Vec<u8>,
    inbox: String,
    card: Card,
    found: Option<Stamp>,
    mut unkept: Unkept,
) -> Result<Boxed<'static, (Unkept, bool)>, ChunkMissing> {
    Ok(Box::pin(async move {
        let Ok(mut backend) = LocalBackend::open() else {
            return (unkept, false);
        };
        let found = match found {
            Some(found) => found,
            None => find_stamp(card.meta.id.to_string()).await,
        };
        let sealed = outbox::seal_and_queue(
            &mut backend,
            &mut unkept,
            &inbox,
            &card,
            found,
            |aad, plain| Box::pin(async move { seal::hpke_seal(&key, &aad, &plain).await }),
        )
        .await;
        (unkept, sealed.is_ok())
    }))
}

/// Tries once to deliver every card waiting on this phone and in `unkept`. The future gives
/// back what is still unkept and the round's outcome, or nothing when the browser keeps nothing.
#[cfg_attr(
    feature = "card-split",
    leptos::wasm_split::wasm_split(sending, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn deliver(
    mut unkept: Unkept,
) -> Result<Boxed<'static, Option<(Unkept, Round)>>, ChunkMissing> {
    Ok(Box::pin(async move {
        let mut backend = LocalBackend::open().ok()?;
        let round = outbox::deliver_all(&mut backend, &mut unkept, FetchTransport::anonymous).await;
        Some((unkept, round))
    }))
}
