//! The phone's outbox: cards a customer filled from a card link, sealed for the shop, waiting
//! in localStorage (one key per card, only ciphertext) until the shop's inbox has them. Each is
//! sent with `PUT /{inbox}/{card id}`, tried again with growing pauses and whenever the phone is
//! back online. Once delivered nothing of it stays on the phone.

use super::{
    inbox::{SealedCard, SealedDoc},
    transport::{Boxed, Request, Response, Transport, TransportError},
};
use crate::store::{Backend, BackendError};

/// Prefix of the outbox's keys; the card's id follows.
pub const PREFIX: &str = "lp1-outbox:";
/// Pauses before each new try, in seconds; the last repeats.
const PAUSES: &[u32] = &[2, 5, 15, 30, 60, 120, 300];

/// A sealed card waiting to be delivered. Kept as one line, `tries inbox body` (none of them
/// holds a space: the body is the inbox document's JSON as [`SealedCard::body`] writes it), so
/// that the card page carries no JSON code for it. A line of the first format,
/// `tries inbox epk iv ct`, is still read: a card sealed before the change goes as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// The inbox's address.
    pub inbox: String,
    /// The inbox document's JSON text.
    pub body: String,
    /// Tries so far.
    pub tries: u32,
}

impl Waiting {
    fn line(&self) -> String {
        format!("{} {} {}", self.tries, self.inbox, self.body)
    }

    fn parse(line: &str) -> Option<Waiting> {
        let parts: Vec<&str> = line.split(' ').collect();
        if parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        let tries = parts.first()?.parse().ok()?;
        let inbox = parts.get(1)?.to_string();
        let body = match parts[2..] {
            [body] if body.starts_with('{') => body.to_owned(),
            [epk, iv, ct] => SealedDoc {
                epk: epk.into(),
                iv: iv.into(),
                ct: ct.into(),
            }
            .body(),
            _ => return None,
        };
        Some(Waiting { inbox, body, tries })
    }
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

/// The text of a CouchDB error's `reason`, read without a JSON parser (the card page carries
/// none for answers); an escaped character is kept as written.
fn reason(body: &str) -> &str {
    let Some(start) = body.find(r#""reason":""#).map(|i| i + 10) else {
        return "";
    };
    let rest = &body[start..];
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return &rest[..i],
            _ => escaped = false,
        }
    }
    ""
}

impl Outcome {
    /// Reads the inbox's answer to a `PUT`.
    pub fn of(answer: Result<Response, TransportError>) -> Outcome {
        let Ok(response) = answer else {
            return Outcome::Offline;
        };
        let reason: String = reason(&response.body).chars().take(200).collect();
        match response.status {
            200..=299 | 409 => Outcome::Delivered,
            // The validator's answer to a card that is already in (written once).
            403 if reason.contains("written once") => Outcome::Delivered,
            s if reason.is_empty() => Outcome::Refused(format!("HTTP {s}")),
            s => Outcome::Refused(format!("HTTP {s}: {reason}")),
        }
    }
}

/// Seconds to wait after the `tries`-th failed try.
pub fn pause(tries: u32) -> u32 {
    PAUSES[(tries.max(1) as usize - 1).min(PAUSES.len() - 1)]
}

/// Queues a sealed card under its id.
pub fn put(backend: &mut impl Backend, id: &str, waiting: &Waiting) -> Result<(), BackendError> {
    backend.set(&format!("{PREFIX}{id}"), &waiting.line())
}

/// The cards waiting, by id. Unreadable entries are dropped: they hold nothing a customer could
/// send again.
pub fn all(backend: &mut impl Backend) -> Vec<(String, Waiting)> {
    let (mut out, mut unreadable) = (Vec::new(), Vec::new());
    backend.each_under(PREFIX, &mut |key, value| match Waiting::parse(value) {
        Some(w) => out.push((key[PREFIX.len()..].to_owned(), w)),
        None => unreadable.push(key.to_owned()),
    });
    for key in unreadable {
        backend.remove(&key);
    }
    out
}

/// Sends one card to its inbox.
pub async fn send<T: Transport>(transport: &T, id: &str, waiting: &Waiting) -> Outcome {
    let request = Request::put_text(id.to_owned(), waiting.body.clone());
    Outcome::of(transport.send(request).await)
}

/// Tries to deliver one card; delivered, it leaves the outbox, else its tries are counted.
pub async fn deliver<T: Transport>(
    transport: &T,
    backend: &mut impl Backend,
    id: &str,
    mut waiting: Waiting,
) -> Outcome {
    let outcome = send(transport, id, &waiting).await;
    if outcome == Outcome::Delivered {
        backend.remove(&format!("{PREFIX}{id}"));
    } else {
        waiting.tries += 1;
        let _ = put(backend, id, &waiting);
    }
    outcome
}

/// What one round of deliveries came to, for the customer to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Cards the shop now has.
    pub delivered: usize,
    /// Cards not delivered: what the last of them met, and the most tries any has had.
    pub failed: Option<(Outcome, u32)>,
}

impl Round {
    fn note(&mut self, outcome: Outcome, tries: u32) {
        if outcome == Outcome::Delivered {
            self.delivered += 1;
        } else {
            let most = self.failed.as_ref().map_or(0, |(_, t)| *t).max(tries);
            self.failed = Some((outcome, most));
        }
    }
}

/// Tries once to deliver every card waiting in `backend`, and those in `unkept` (cards there
/// was no room to keep, which stay in memory until delivered), each through the transport
/// `inbox` gives for its inbox's address (the browser's fetch on a phone).
pub fn deliver_all<'a, B: Backend, T: Transport + 'a>(
    backend: &'a mut B,
    unkept: &'a mut Vec<(String, Waiting)>,
    inbox: impl Fn(&str) -> T + 'a,
) -> Boxed<'a, Round> {
    Box::pin(async move {
        let mut round = Round::default();
        for (id, waiting) in all(backend) {
            let transport = inbox(&waiting.inbox);
            let tries = waiting.tries + 1;
            round.note(deliver(&transport, backend, &id, waiting).await, tries);
        }
        let mut still = Vec::new();
        for (id, mut waiting) in std::mem::take(unkept) {
            let transport = inbox(&waiting.inbox);
            waiting.tries += 1;
            let outcome = send(&transport, &id, &waiting).await;
            let tries = waiting.tries;
            if outcome != Outcome::Delivered {
                still.push((id, waiting));
            }
            round.note(outcome, tries);
        }
        *unkept = still;
        round
    })
}

/// Seals a card with `seal` (HPKE to the shop's key, in the browser's WebCrypto on a phone),
/// binding its id and design as associated data, and queues it for `inbox` with its `stamp`;
/// where the phone has no room to keep it, it joins `unkept`. Only the sealed card is ever
/// stored.
pub fn seal_and_queue<'a, B: Backend, E: 'a>(
    backend: &'a mut B,
    unkept: &'a mut Vec<(String, Waiting)>,
    inbox: &'a str,
    card: &'a crate::domain::card::Card,
    stamp: crate::domain::stamp::Stamp,
    seal: impl FnOnce(Vec<u8>, Vec<u8>) -> Boxed<'a, Result<super::seal::HpkeSealed, E>> + 'a,
) -> Boxed<'a, Result<(), E>> {
    Box::pin(async move {
        let plain = serde_json::to_vec(card).unwrap_or_default();
        let id = card.meta.id.to_string();
        let aad = super::inbox::aad(&id, card.template);
        let sealed = seal(aad, plain).await?;
        let waiting = Waiting {
            inbox: inbox.to_owned(),
            body: SealedCard {
                template: card.template,
                sealed,
                stamp,
            }
            .body(),
            tries: 0,
        };
        if put(backend, &id, &waiting).is_err() {
            unkept.push((id, waiting));
        }
        Ok(())
    })
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
            body: format!(
                r#"{{"lp":2,"t":"{}","enc":"{}","ct":"{}","d":"2026-12-07","w":"5"}}"#,
                uuid::Uuid::nil(),
                "e".repeat(87),
                "c".repeat(40)
            ),
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
        assert_eq!(
            run(&answer(500, "oops"), &mut b),
            Outcome::Refused("HTTP 500".into())
        );
        // Kept, sealed, with its tries counted.
        assert_eq!(all(&mut b)[0].1.tries, 3);
        // Delivered before, its answer lost: the inbox says it is already in.
        let again = answer(
            403,
            r#"{"error":"forbidden","reason":"a card is written once"}"#,
        );
        assert_eq!(run(&again, &mut b), Outcome::Delivered);
        assert!(all(&mut b).is_empty());
        for status in [201, 202, 409] {
            put(&mut b, "c2", &waiting()).unwrap();
            assert_eq!(run(&answer(status, "{}"), &mut b), Outcome::Delivered);
            assert!(b.keys().is_empty());
        }
    }

    #[test]
    fn a_round_delivers_what_each_inbox_takes_and_keeps_the_rest_with_their_tries() {
        let mut b = MemoryBackend::default();
        let at = |inbox: &str| Waiting {
            inbox: inbox.into(),
            ..waiting()
        };
        put(&mut b, "kept-up", &at("http://up/shop-inbox")).unwrap();
        put(&mut b, "kept-down", &at("http://down/shop-inbox")).unwrap();
        let mut unkept = vec![
            ("unkept-up".to_owned(), at("http://up/shop-inbox")),
            ("unkept-down".to_owned(), at("http://down/shop-inbox")),
        ];
        let inbox = |address: &str| {
            if address.starts_with("http://up/") {
                answer(201, r#"{"ok":true}"#)
            } else {
                Answer(Err(TransportError::Unreachable("offline".into())))
            }
        };
        let round = super::super::transport::block_on(deliver_all(&mut b, &mut unkept, inbox));
        assert_eq!(round.delivered, 2);
        assert_eq!(round.failed, Some((Outcome::Offline, 1)));
        let left: Vec<String> = all(&mut b).into_iter().map(|(id, _)| id).collect();
        assert_eq!(left, ["kept-down"]);
        assert_eq!(all(&mut b)[0].1.tries, 1);
        assert_eq!(unkept.len(), 1);
        assert_eq!(
            (unkept[0].0.as_str(), unkept[0].1.tries),
            ("unkept-down", 1)
        );
    }

    #[test]
    fn a_card_is_queued_sealed_under_its_id_and_design_with_its_stamp() {
        use crate::domain::{
            card::{Answer as Given, Card},
            stamp::Stamp,
            Meta,
        };
        let mut card = Card {
            meta: Meta::new(chrono::Utc::now()),
            template: uuid::Uuid::from_u128(7),
            template_version: 1,
            lang: "fa".into(),
            branch: "Vanak".into(),
            touchpoint: "qr".into(),
            answers: [("overall".to_owned(), Given::Rating(5))].into(),
        };
        card.meta.id = uuid::Uuid::from_u128(42);
        let id = card.meta.id.to_string();
        let stamp = Stamp {
            day: "2026-12-07".into(),
            nonce: 31_337,
        };
        let mut b = MemoryBackend::default();
        let mut unkept = Vec::new();
        // A sealer that only records what it was given.
        let given = std::cell::RefCell::new(None);
        let seal = |aad: Vec<u8>, plain: Vec<u8>| -> Boxed<'_, Result<_, ()>> {
            *given.borrow_mut() = Some((aad, plain));
            Box::pin(std::future::ready(Ok(super::super::seal::HpkeSealed {
                enc: vec![4; 65],
                ct: vec![9; 40],
            })))
        };
        super::super::transport::block_on(seal_and_queue(
            &mut b,
            &mut unkept,
            "http://up/shop-inbox",
            &card,
            stamp,
            seal,
        ))
        .unwrap();
        let (aad, plain) = given.into_inner().unwrap();
        assert_eq!(aad, super::super::inbox::aad(&id, card.template));
        assert!(String::from_utf8(plain).unwrap().contains("Vanak"));
        let queued = all(&mut b);
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].0, id);
        let doc: serde_json::Value = serde_json::from_str(&queued[0].1.body).unwrap();
        assert_eq!(doc["lp"], 2);
        assert_eq!(doc["t"], card.template.to_string());
        assert_eq!(
            (doc["d"].as_str(), doc["w"].as_str()),
            (Some("2026-12-07"), Some("31337"))
        );
        // Nothing of the card in clear is kept.
        assert!(!queued[0].1.body.contains("Vanak"));
        assert!(unkept.is_empty());
    }

    #[test]
    fn pauses_grow_and_then_hold() {
        assert_eq!(pause(0), 2);
        assert_eq!(pause(1), 2);
        assert_eq!(pause(3), 15);
        assert_eq!(pause(50), 300);
    }

    #[test]
    fn a_waiting_card_reads_back_as_written() {
        let w = Waiting {
            tries: 4,
            ..waiting()
        };
        assert_eq!(Waiting::parse(&w.line()), Some(w));
        assert_eq!(Waiting::parse("1 http://x/i e i"), None);
        assert_eq!(Waiting::parse("1 http://x/i e i c extra"), None);
        assert_eq!(Waiting::parse("1 http://x/i  {}"), None);
        // A card sealed the first way before the change is still delivered as it was.
        let old = Waiting::parse("2 http://x/i EPK IV CT").unwrap();
        assert_eq!(old.tries, 2);
        assert_eq!(old.body, r#"{"lp":1,"epk":"EPK","iv":"IV","ct":"CT"}"#);
    }

    #[test]
    fn a_refusal_says_why() {
        assert_eq!(
            reason(r#"{"error":"forbidden","reason":"not a \"sealed\" card"}"#),
            r#"not a \"sealed\" card"#
        );
        assert_eq!(reason(r#"{"error":"x"}"#), "");
        assert_eq!(reason(r#"{"reason":"cut"#), "");
    }

    #[test]
    fn an_unreadable_entry_is_dropped() {
        let mut b = MemoryBackend::default();
        b.set(&format!("{PREFIX}x"), "{not json").unwrap();
        assert!(all(&mut b).is_empty());
        assert!(b.keys().is_empty());
    }
}
