//! The plumbing of a split build's chunks, shared by the staff app's screens
//! ([`crate::screens`]), its sync pass ([`crate::sync::device`]) and the card page
//! ([`crate::card_page`]), so none of them reaches into another for it. In a split build
//! (`scripts/split-wasm.js`) a function marked as a split point is fetched the first time it is
//! called; without the feature it is an ordinary call.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll, Waker},
};

/// A chunk that could not be fetched (offline with an old cache, or a new version deployed
/// while the page was open).
#[derive(Debug)]
pub struct ChunkMissing;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// Calls one of the staff app's split points from async code: awaited in a split build, where
/// its chunk may have to be fetched first; a plain call otherwise.
macro_rules! split_call {
    ($call:expr) => {{
        #[cfg(feature = "split")]
        let called = $call.await;
        #[cfg(not(feature = "split"))]
        let called = $call;
        called
    }};
}
pub(crate) use split_call;

/// Calls one of the card page's split points where the call must happen at once (a card's
/// submit): `None` while the chunk it is in is still being fetched. In a build without the
/// `card-split` feature it is a plain call.
macro_rules! at_once {
    ($call:expr) => {{
        #[cfg(feature = "card-split")]
        let called = $crate::split::ready_now(std::pin::pin!($call));
        #[cfg(not(feature = "card-split"))]
        let called = Some($call);
        called
    }};
}
pub(crate) use at_once;

/// What a future gives on a first look, without waiting: a split point whose chunk is loaded
/// is ready at once; `None` while its chunk is still being fetched.
pub(crate) fn ready_now<F: Future>(future: Pin<&mut F>) -> Option<F::Output> {
    match future.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(done) => Some(done),
        Poll::Pending => None,
    }
}
