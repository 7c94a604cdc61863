//! The phone's outbox: cards a customer filled from a card link, sealed for the shop, waiting
//! in localStorage (one key per card, only ciphertext) until the shop's inbox has them. Each is
//! sent with `PUT /{inbox}/{card id}`, tried again with growing pauses and whenever the phone is
//! back online. Once delivered nothing of it stays on the phone.

use serde::{Deserialize, Serialize};

use super::{
    inbox::SealedDoc,
    transport::{Request, Response, Transport, TransportError},
};
use crate::store::Backend;

/// Prefix of the outbox's keys; the card's id follows.
pub const PREFIX: &str = "lp1-outbox:";
/// Pauses before each new try, in seconds; the last repeats.
const PAUSES: &[u32] = &[2, 5, 15, 30, 60, 120, 300];

/// A sealed card waiting to be delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    /// The inbox's address.
    pub inbox: String,
    pub doc: SealedDoc,
    /// Tries so far.
    #[serde(default)]
    pub tries: u32,
}

/// What became of one try.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The shop has the card (now, or from an earlier try whose answer was lost).
    Delivered,
    /// No answer: the phone is offline, or the server cannot be reached.
    Offline,
    /// The server said no, with its reason: the card is kept for another try.
    Refused(String),
}

impl Outcome {
    /// Reads the inbox's answer to a `PUT`.
    pub fn of(answer: Result<Response, TransportError>) -> Outcome {
        let response = match answer {
            Ok(r) => r,
            Err(_) => return Outcome::Offline,
        };
        let reason = serde_json::from_str::<serde_json::Value>(&response.body)
            .ok()
            .and_then(|b| b["reason"].as_str().map(str::to_owned))
            .unwrap_or_default();
        match response.status {
            200..=299 | 409 => Outcome::Delivered,
            // The validator's answer to a card that is already in (written once).
            403 if reason.contains("written once") => Outcome::Delivered,
            s if reason.is_empty() => Outcome::Refused(format!("HTTP {s}")),
            s => Outcome::Refused(format!("HTTP {s}: {}", reason.chars().take(200).collect::<String>())),
        }
    }
}

/// Seconds to wait after the `tries`-th failed try.
pub fn pause(tries: u32) -> u32 {
    PAUSES[(tries.max(1) as usize - 1).min(PAUSES.len() - 1)]
}

/// Queues a sealed card under its id.
pub fn put(backend: &mut impl Backend, id: &str, waiting: &Waiting) -> Result<(), crate::store::BackendError> {
    let text = serde_json::to_string(waiting)
        .map_err(|e| crate::store::BackendError::Unavailable(e.to_string()))?;
    backend.set(&format!("{PREFIX}{id}"), &text)
}

/// The cards waiting, by id. Unreadable entries are dropped: they hold nothing a customer could
/// send again.
pub fn all(backend: &mut impl Backend) -> Vec<(String, Waiting)> {
    let mut out = Vec::new();
    for key in backend.keys() {
        let Some(id) = key.strip_prefix(PREFIX) else {
            continue;
        };
        match backend.get(&key).and_then(|v| serde_json::from_str(&v).ok()) {
            Some(w) => out.push((id.to_owned(), w)),
            None => backend.remove(&key),
        }
    }
    out
}

/// Tries to deliver one card; delivered, it leaves the outbox, else its tries are counted.
pub async fn deliver<T: Transport>(
    transport: &T,
    backend: &mut impl Backend,
    id: &str,
    mut waiting: Waiting,
) -> Outcome {
    let doc = serde_json::to_value(&waiting.doc).unwrap_or_default();
    let outcome = Outcome::of(transport.send(Request::put(id.to_owned(), &doc)).await);
    let key = format!("{PREFIX}{id}");
    if outcome == Outcome::Delivered {
        backend.remove(&key);
    } else {
        waiting.tries += 1;
        let _ = put(backend, id, &waiting);
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory::MemoryBackend;

    struct Answer(Result<Response, TransportError>);

    impl Transport for Answer {
        fn send(
            &self,
            _: Request,
        ) -> impl std::future::Future<Output = Result<Response, TransportError>> {
            std::future::ready(self.0.clone())
        }
    }

    fn answer(status: u16, body: &str) -> Answer {
        Answer(Ok(Response {
            status,
            body: body.into(),
        }))
    }

    fn waiting() -> Waiting {
        Waiting {
            inbox: "http://127.0.0.1:5984/shop-inbox".into(),
            doc: SealedDoc {
                lp: 1,
                epk: "e".repeat(87),
                iv: "i".repeat(16),
                ct: "c".repeat(40),
            },
            tries: 0,
        }
    }

    #[test]
    fn a_card_leaves_the_phone_only_once_the_shop_has_it() {
        let mut b = MemoryBackend::default();
        let run = |t: &Answer, b: &mut MemoryBackend| {
            let (id, w) = all(b).pop().unwrap();
            super::super::transport::block_on(deliver(t, b, &id, w))
        };
        put(&mut b, "c1", &waiting()).unwrap();
        let offline = Answer(Err(TransportError::Unreachable("offline".into())));
        assert_eq!(run(&offline, &mut b), Outcome::Offline);
        let refused = answer(403, r#"{"error":"forbidden","reason":"not a sealed card"}"#);
        assert_eq!(
            run(&refused, &mut b),
            Outcome::Refused("HTTP 403: not a sealed card".into())
        );
        assert_eq!(run(&answer(500, "oops"), &mut b), Outcome::Refused("HTTP 500".into()));
        // Kept, sealed, with its tries counted.
        assert_eq!(all(&mut b)[0].1.tries, 3);
        // Delivered before, its answer lost: the inbox says it is already in.
        let again = answer(403, r#"{"error":"forbidden","reason":"a card is written once"}"#);
        assert_eq!(run(&again, &mut b), Outcome::Delivered);
        assert!(all(&mut b).is_empty());
        for status in [201, 202, 409] {
            put(&mut b, "c2", &waiting()).unwrap();
            assert_eq!(run(&answer(status, "{}"), &mut b), Outcome::Delivered);
            assert!(b.keys().is_empty());
        }
    }

    #[test]
    fn pauses_grow_and_then_hold() {
        assert_eq!(pause(0), 2);
        assert_eq!(pause(1), 2);
        assert_eq!(pause(3), 15);
        assert_eq!(pause(50), 300);
    }

    #[test]
    fn an_unreadable_entry_is_dropped() {
        let mut b = MemoryBackend::default();
        b.set(&format!("{PREFIX}x"), "{not json").unwrap();
        assert!(all(&mut b).is_empty());
        assert!(b.keys().is_empty());
    }
}
