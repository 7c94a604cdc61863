//! What the card page does with an answered card: kept on the shop's own tablet, or sealed and
//! delivered to the shop's inbox from a customer's phone. In a split build (the `card-split`
//! feature, see `scripts/split-wasm.js`) this is a chunk of its own, fetched once the card is on
//! the screen: a customer sees the card without it, and needs it only to send.

use crate::{
    domain::{
        card::Card,
        customer::{self, Customer},
        template::CardTemplate,
        Record,
    },
    screens::ChunkMissing,
    state::AppState,
    store::{self, local::LocalBackend, StoreError},
    sync::{
        outbox::{self, Round, Waiting},
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
    Ok(LocalBackend::open()
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
        }))
}

/// Seals a card for the shop whose public key is `key` and queues it for `inbox` (in `unkept`
/// where the phone has no room). The future gives back `unkept`, and whether the card was
/// sealed: a browser that cannot seal (a page not served over HTTPS) or keeps nothing cannot.
#[cfg_attr(
    feature = "card-split",
    leptos::wasm_split::wasm_split(sending, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn seal(
    key: Vec<u8>,
    inbox: String,
    card: Card,
    mut unkept: Unkept,
) -> Result<Boxed<'static, (Unkept, bool)>, ChunkMissing> {
    Ok(Box::pin(async move {
        let Ok(mut backend) = LocalBackend::open() else {
            return (unkept, false);
        };
        let sealed = outbox::seal_and_queue(&mut backend, &mut unkept, &key, &inbox, &card).await;
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
        let round = outbox::deliver_all(&mut backend, &mut unkept).await;
        Some((unkept, round))
    }))
}
