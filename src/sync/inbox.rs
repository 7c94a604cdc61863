//! The shop's inbox: the database beside the shop's own (`<db>-inbox`) where customers' phones
//! leave cards sealed with the shop's public key, and where staff devices publish the card
//! designs those phones show.
//!
//! - The shop's key pair is made on a staff device and kept in the shop's own database as the
//!   document [`KEYS_DOC`]: only members may read it, a pass passes over it (no record store
//!   sees it), it is never part of an export, and a replicated backup carries it. Every staff
//!   device that syncs fetches it. A replaced key is kept beside the new one, so cards sealed
//!   before still open: keys are only ever added.
//! - A design is `design-<template id>` in the inbox: the template as it is now, and the
//!   business's name. Cards record the template's version, so a later edit changes no answer.
//! - Staff devices take the inbox in during each pass: open, check like an import, store, and
//!   delete from the inbox. A card's id is its document's id, sealed inside it too, so a card
//!   taken in by two devices at once is one record, and a sealed card copied under another id
//!   is refused.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    engine::{call, Report, SyncError},
    seal::{self, HpkeSealed},
    transport::{Boxed, Request, Transport},
};
use crate::domain::{
    card::Card,
    card_link::{base64url, unbase64url, KEY_BYTES},
    couch_doc::DocProblem,
    settings::Settings,
    stamp::{self, Stamp},
    template::CardTemplate,
    Kind, Record,
};

/// Where the shop's keys live in its own database: an ordinary document, so that a replicated
/// backup carries them (`_local` documents are not replicated). Only the shop's staff may read
/// it, like every document there; its validator lets them only add keys.
pub const KEYS_DOC: &str = "listening-post-inbox-keys";
/// Where the keys were kept before: a local document, still read (and copied to [`KEYS_DOC`]).
pub const OLD_KEY_DOC: &str = "_local/listening-post-inbox-key";
/// The inbox's name is the shop database's name and this.
pub const SUFFIX: &str = "-inbox";
/// The sealed format phones write: HPKE with a stamp.
pub const FORMAT: u8 = 2;
/// The format of a published design (unchanged since the first: a design now also lists the
/// shop's public keys, which pages that predate them ignore).
const DESIGN_FORMAT: u8 = 1;
/// The first sealed format, which staff devices still open.
const FORMAT_1: u8 = 1;
/// Cards of the first format, which carry no stamp, are taken in until this day: by then the
/// phones that sealed them before the change have delivered them, and a forger gains nothing
/// from the old format. Later they are set aside as unstamped.
pub const FIRST_FORMAT_UNTIL: &str = "2027-03-31";
/// Cards a pass examines at most; the rest wait in the inbox for the next pass, oldest first,
/// so that a flood cannot hold a device.
pub const CAP: usize = 500;
/// Largest sealed text read from the inbox (the validator's limit is 64 KB; an admin may still
/// plant more).
const MAX_SEALED: usize = 96 * 1024;
/// Cards read from the inbox per request.
pub const TAKE: usize = 100;

/// The designs a device published: template id → the stamp it was published at (the later of
/// the template's and the settings' `updated`) and the design's revision.
pub type Published = BTreeMap<Uuid, (DateTime<Utc>, String)>;

/// The inbox of the shop database `db`.
pub fn inbox_name(db: &str) -> String {
    format!("{db}{SUFFIX}")
}

/// One key pair of the shop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopKey {
    /// The public key's raw bytes, base64url: what card links carry.
    pub public: String,
    /// The private key as JWK text.
    pub private_jwk: String,
    pub created: DateTime<Utc>,
}

/// The shop's keys, the one links carry now last.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopKeys {
    pub keys: Vec<ShopKey>,
}

impl ShopKeys {
    pub fn current(&self) -> Option<&ShopKey> {
        self.keys.last()
    }

    /// Both sets of keys, each key once, oldest first (the current key last): keys are only
    /// ever added.
    pub fn merged(&self, other: &ShopKeys) -> ShopKeys {
        let mut keys = self.keys.clone();
        for k in &other.keys {
            if !keys.iter().any(|m| m.public == k.public) {
                keys.push(k.clone());
            }
        }
        keys.sort_by_key(|k| k.created);
        ShopKeys { keys }
    }

    /// The public key links carry, as raw bytes.
    pub fn public(&self) -> Option<Vec<u8>> {
        self.current()
            .and_then(|k| unbase64url(&k.public))
            .filter(|k| k.len() == KEY_BYTES)
    }
}

/// A sealed card of the first format as the inbox holds it: `{"lp":1,"epk":…,"iv":…,"ct":…}`,
/// each value base64url. Phones no longer write it; cards sealed so before still open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedDoc {
    pub epk: String,
    pub iv: String,
    pub ct: String,
}

impl SealedDoc {
    /// The document's JSON text.
    pub fn body(&self) -> String {
        format!(
            r#"{{"lp":{FORMAT_1},"epk":"{}","iv":"{}","ct":"{}"}}"#,
            self.epk, self.iv, self.ct
        )
    }
}

/// A card sealed with HPKE as the inbox holds it:
/// `{"lp":2,"t":<design>,"enc":…,"ct":…,"d":<day>,"w":<stamp>}`. The design's id, the day and
/// the stamp are in the clear, for the stamp to be checked before anything is opened, and the
/// document's id and the design's id are the sealing's associated data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedCard {
    pub template: Uuid,
    pub sealed: HpkeSealed,
    pub stamp: Stamp,
}

impl SealedCard {
    /// The document's JSON text. Written by hand (none of its values needs escaping), so that
    /// the card page carries no JSON writer for it.
    pub fn body(&self) -> String {
        format!(
            r#"{{"lp":{FORMAT},"t":"{}","enc":"{}","ct":"{}","d":"{}","w":"{}"}}"#,
            self.template,
            base64url(&self.sealed.enc),
            base64url(&self.sealed.ct),
            self.stamp.day,
            self.stamp.nonce
        )
    }
}

/// The associated data a card is sealed with: the format, its document's id and its design.
/// A sealed card copied under another id, or presented as another design's, does not open.
pub fn aad(doc_id: &str, template: Uuid) -> Vec<u8> {
    format!("listening-post card v{FORMAT}\n{doc_id}\n{template}").into_bytes()
}

/// A sealed card read from the inbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sealed {
    /// The first format.
    First(seal::Sealed),
    /// HPKE, with the stamp's day and number as written (checked by [`stamp::check`]).
    Hpke {
        template: Uuid,
        sealed: HpkeSealed,
        day: Option<String>,
        nonce: Option<String>,
    },
}

impl Sealed {
    /// The sealed message in a document from the inbox, or why it is not one.
    pub fn read(doc: &Value) -> Result<Sealed, DocProblem> {
        let text = doc.to_string();
        if text.len() > MAX_SEALED {
            return Err(DocProblem::TooLarge);
        }
        let field = |name: &str| {
            doc[name]
                .as_str()
                .and_then(unbase64url)
                .ok_or(DocProblem::Unsealed)
        };
        match doc["lp"].as_u64() {
            Some(1) => {
                let (epk, iv, ct) = (field("epk")?, field("iv")?, field("ct")?);
                if epk.len() != KEY_BYTES || iv.len() != 12 || ct.len() < 17 {
                    return Err(DocProblem::Unsealed);
                }
                Ok(Sealed::First(seal::Sealed { epk, iv, ct }))
            }
            Some(2) => {
                let template = doc["t"]
                    .as_str()
                    .and_then(|t| Uuid::parse_str(t).ok())
                    .ok_or(DocProblem::Unsealed)?;
                let (enc, ct) = (field("enc")?, field("ct")?);
                if enc.len() != KEY_BYTES || ct.len() < 17 {
                    return Err(DocProblem::Unsealed);
                }
                let text = |name: &str| doc[name].as_str().map(str::to_owned);
                Ok(Sealed::Hpke {
                    template,
                    sealed: HpkeSealed { enc, ct },
                    day: text("d"),
                    nonce: text("w"),
                })
            }
            _ => Err(DocProblem::Unsealed),
        }
    }

    /// Whether a staff device may open it: an HPKE card carries a valid stamp; a card of the
    /// first format, which has none, is taken in until [`FIRST_FORMAT_UNTIL`].
    pub fn admissible(&self, doc_id: &str, rules: &Rules) -> Result<(), DocProblem> {
        let today = rules.today;
        match self {
            Sealed::First(_) => {
                let until = NaiveDate::parse_from_str(FIRST_FORMAT_UNTIL, "%Y-%m-%d")
                    .unwrap_or(NaiveDate::MIN);
                (today <= until).then_some(()).ok_or(DocProblem::Unstamped)
            }
            Sealed::Hpke { day, nonce, .. } => {
                stamp::check(doc_id, day.as_deref(), nonce.as_deref(), today, rules.bits)
                    .map_err(|_| DocProblem::Unstamped)
            }
        }
    }
}

/// What a phone needs to show a shop's card: the template as it is now and the business's name
/// in both languages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Design {
    pub lp: u8,
    pub template: CardTemplate,
    pub business: String,
    #[serde(default)]
    pub business_fa: String,
    /// The shop's public keys, base64url, the one to seal to last: written by staff devices
    /// only (the inbox's validator), so a card link's fingerprint is checked against them.
    #[serde(default)]
    pub keys: Vec<String>,
}

impl Design {
    pub fn new(template: &CardTemplate, settings: Option<&Settings>, keys: &ShopKeys) -> Self {
        Self {
            lp: DESIGN_FORMAT,
            keys: keys.keys.iter().map(|k| k.public.clone()).collect(),
            template: template.clone(),
            business: settings
                .map(|s| s.business_name.clone())
                .unwrap_or_default(),
            business_fa: settings
                .map(|s| s.business_name_fa.clone())
                .unwrap_or_default(),
        }
    }

    /// A design read from the inbox, if it is one and its template is sound.
    /// The shop's published public keys, raw.
    pub fn public_keys(&self) -> Vec<Vec<u8>> {
        self.keys.iter().filter_map(|k| unbase64url(k)).collect()
    }

    pub fn read(text: &str) -> Option<Design> {
        let design: Design = serde_json::from_str(text).ok()?;
        (design.lp == DESIGN_FORMAT && design.template.validate().is_ok()).then_some(design)
    }
}

/// Fetches a design from the inbox as a stranger, and the shop's key the card link pins among
/// the keys published with it; or says why not (a locale key). A link whose fingerprint names
/// none of the shop's keys (a swapped QR sticker) is not the shop's: nothing is sealed for it.
pub fn fetch_design<'a, T: Transport>(
    inbox: &'a T,
    template: Uuid,
    pin: &'a [u8],
) -> Boxed<'a, Result<(Design, Vec<u8>), &'static str>> {
    Box::pin(async move {
        let design = match inbox.send(Request::get(design_id(template))).await {
            Ok(r) if r.status == 200 => Design::read(&r.body).ok_or("link.design.broken")?,
            Ok(r) if r.status == 404 => return Err("link.design.missing"),
            Ok(_) | Err(_) => return Err("link.design.offline"),
        };
        let key = crate::domain::card_link::pinned(pin, &design.public_keys())
            .ok_or("link.not_shops")?
            .to_vec();
        Ok((design, key))
    })
}

/// The inbox document of a template's design.
pub fn design_id(template: Uuid) -> String {
    format!("design-{template}")
}

/// The card inside an opened sealed document, checked as an import checks a card: readable, valid,
/// carrying its document's id, and answering a template this shop has.
pub fn card_from(
    doc_id: &str,
    plain: &[u8],
    has_template: impl Fn(Uuid) -> bool,
) -> Result<Card, DocProblem> {
    let text = std::str::from_utf8(plain).map_err(|_| DocProblem::Malformed("not text".into()))?;
    let record =
        Record::from_json(Kind::Card, text).map_err(|e| DocProblem::Malformed(e.to_string()))?;
    let Record::Card(card) = record else {
        return Err(DocProblem::Malformed("not a card".into()));
    };
    if Uuid::parse_str(doc_id).ok() != Some(card.meta.id) {
        return Err(DocProblem::IdMismatch);
    }
    Record::Card(card.clone())
        .validate()
        .map_err(DocProblem::Invalid)?;
    if !has_template(card.template) {
        return Err(DocProblem::UnknownTemplate);
    }
    Ok(card)
}

/// The shop's keys and, once they are in [`KEYS_DOC`], that document's revision (none while
/// they are only where they were kept before, [`OLD_KEY_DOC`]), if the inbox is set up.
pub async fn server_keys<T: Transport>(
    t: &T,
    report: &mut Report,
) -> Result<Option<(ShopKeys, Option<String>)>, SyncError> {
    for (path, current) in [(KEYS_DOC, true), (OLD_KEY_DOC, false)] {
        report.requests += 1;
        let response = t.send(Request::get(path)).await?;
        match response.status {
            404 => continue,
            200 => {
                let doc: Value =
                    serde_json::from_str(&response.body).map_err(|_| SyncError::Garbled)?;
                let keys: ShopKeys =
                    serde_json::from_value(doc.clone()).map_err(|_| SyncError::Garbled)?;
                let rev = current.then(|| doc["_rev"].as_str().unwrap_or_default().to_owned());
                return Ok(Some((keys, rev)));
            }
            s => return Err(SyncError::refused(s)),
        }
    }
    Ok(None)
}

/// Stores the shop's keys in [`KEYS_DOC`]: `rev` is the revision they replace (none for the
/// first). Another device that did the same a moment before wins: `Ok(false)`.
pub async fn put_keys<T: Transport>(
    t: &T,
    keys: &ShopKeys,
    rev: Option<&str>,
) -> Result<bool, SyncError> {
    let mut doc = serde_json::to_value(keys).map_err(|_| SyncError::Garbled)?;
    if let Some(rev) = rev {
        doc["_rev"] = json!(rev);
    }
    let response = t.send(Request::put(KEYS_DOC, &doc)).await?;
    match response.status {
        200..=299 => Ok(true),
        409 => Ok(false),
        s => Err(SyncError::refused(s)),
    }
}

/// Whether the inbox database exists on the server (a shop may not have run the set-up script
/// since the inbox came).
pub async fn inbox_exists<T: Transport>(inbox: &T) -> Result<bool, SyncError> {
    let response = inbox.send(Request::get("")).await?;
    match response.status {
        200 => Ok(true),
        404 => Ok(false),
        s => Err(SyncError::refused(s)),
    }
}

/// Publishes the designs whose template (or the business's name) changed since they were last
/// published, and deletes the designs of deleted templates.
pub async fn publish<T: Transport>(
    inbox: &T,
    templates: &BTreeMap<Uuid, CardTemplate>,
    settings: Option<&Settings>,
    keys: &ShopKeys,
    published: &mut Published,
    report: &mut Report,
) -> Result<(), SyncError> {
    // The business's name and the shop's keys show on every design: a new name or a new key
    // publishes them all again.
    let newest_key = keys.keys.iter().map(|k| k.created).max();
    let stamp = |t: &CardTemplate| {
        let at = settings.map_or(t.meta.updated, |s| t.meta.updated.max(s.meta.updated));
        newest_key.map_or(at, |k| at.max(k))
    };
    for (id, template) in templates {
        let now = stamp(template);
        if published.get(id).is_some_and(|(at, _)| *at == now) {
            continue;
        }
        let path = design_id(*id);
        let mut doc = serde_json::to_value(Design::new(template, settings, keys))
            .map_err(|_| SyncError::Garbled)?;
        // The revision kept, or the server's (a design published by another device).
        let rev = match published.get(id) {
            Some((_, rev)) => Some(rev.clone()),
            None => match inbox.send(Request::get(path.clone())).await? {
                r if r.status == 200 => serde_json::from_str::<Value>(&r.body)
                    .ok()
                    .and_then(|d| d["_rev"].as_str().map(str::to_owned)),
                _ => None,
            },
        };
        if let Some(rev) = rev {
            doc["_rev"] = json!(rev);
        }
        report.requests += 1;
        let answer = inbox.send(Request::put(path.clone(), &doc)).await?;
        let rev = match answer.status {
            200..=299 => serde_json::from_str::<Value>(&answer.body)
                .ok()
                .and_then(|b| b["rev"].as_str().map(str::to_owned))
                .ok_or(SyncError::Garbled)?,
            // Written by another device meanwhile: read its revision and write on the next pass.
            409 => {
                published.remove(id);
                continue;
            }
            s => return Err(SyncError::refused(s)),
        };
        published.insert(*id, (now, rev));
    }
    let gone: Vec<Uuid> = published
        .keys()
        .filter(|id| !templates.contains_key(id))
        .copied()
        .collect();
    for id in gone {
        if let Some((_, rev)) = published.remove(&id) {
            let path = format!("{}?rev={rev}", design_id(id));
            call(inbox, report, Request::delete(path)).await.ok();
        }
    }
    Ok(())
}

/// What a staff device lends the inbox's take-in: its keys, its records and its storage.
pub trait Intake {
    /// Opens a sealed card with the shop's keys (`doc_id` for the associated data): the card's
    /// JSON, or nothing when no key of the shop opens it.
    fn open<'a>(&'a self, doc_id: &'a str, sealed: &'a Sealed) -> Boxed<'a, Option<Vec<u8>>>;
    fn has_card(&self, id: Uuid) -> bool;
    fn has_template(&self, id: Uuid) -> bool;
    /// Stores a card taken in, with the customer its contact names.
    fn take(&mut self, card: Card) -> Result<(), SyncError>;
    /// Notes a document not taken in, and why.
    fn set_aside(&mut self, doc_id: &str, problem: &DocProblem);
    /// A page is done: a long take-in keeps its lease.
    fn page_done(&mut self) {}
}

/// What a take-in holds to.
#[derive(Clone, Debug)]
pub struct Rules {
    /// Cards examined at most in one pass ([`CAP`]).
    pub cap: usize,
    /// Zero bits a stamp needs ([`stamp::BITS`]).
    pub bits: u32,
    /// The day of the take-in, for the stamps' days.
    pub today: NaiveDate,
}

impl Rules {
    /// The rules of a staff device's pass on `today`.
    pub fn on(today: NaiveDate) -> Self {
        Self {
            cap: CAP,
            bits: stamp::BITS,
            today,
        }
    }
}

/// Where a take-in stopped: the inbox's sequence to go on from, and whether cards were left
/// waiting for the next pass because this one examined [`CAP`] of them.
#[derive(Clone, Debug, PartialEq)]
pub struct TakenIn {
    pub since: Value,
    pub more: bool,
}

/// What became of one document of the inbox.
enum Fate {
    /// Not a card (a design, the validator): passed over.
    Skip,
    /// Taken in, or already here, or a card the shop erased: deleted from the inbox.
    Remove,
    /// Set aside, left in the inbox (unstamped, or not opened by the shop's keys: never deleted
    /// unread).
    Leave(DocProblem),
    /// Opened but not a sound card: set aside, and deleted from the inbox.
    Drop(DocProblem),
    /// Admissible (well formed, validly stamped): opened once the shop's tombstones are known.
    Open(Sealed),
}

/// `since` as `_changes` takes it: CouchDB's sequences are strings, pouchdb-server's numbers.
fn since_param(since: &Value) -> String {
    match since {
        Value::String(s) => super::engine::encode(s),
        other => super::engine::encode(&other.to_string()),
    }
}

/// Takes in the cards waiting in the shop's inbox, oldest first, from the inbox's sequence
/// `since`, examining at most `cap` cards:
/// - a card without a valid stamp ([`Sealed::admissible`]) is set aside unopened and left;
/// - a card whose id the shop's database holds deleted (an erased customer's card, sent again)
///   is refused and deleted from the inbox;
/// - a card that opens and is sound is stored and deleted from the inbox; one that opens but
///   is not sound is set aside and deleted; one no key opens is set aside and left.
pub async fn take_in<T: Transport>(
    inbox: &T,
    shop: &T,
    intake: &mut impl Intake,
    since: Value,
    rules: &Rules,
    report: &mut Report,
) -> Result<TakenIn, SyncError> {
    let cap = rules.cap;
    let mut since = since;
    let mut examined = 0;
    loop {
        let limit = TAKE.min(cap.saturating_sub(examined));
        if limit == 0 {
            return Ok(TakenIn { since, more: true });
        }
        let path = format!(
            "_changes?include_docs=true&limit={limit}&since={}",
            since_param(&since)
        );
        let body = call(inbox, report, Request::get(path)).await?;
        let rows = body["results"].as_array().ok_or(SyncError::Garbled)?;
        let last = body["last_seq"].clone();
        // Examined first without opening, so that the shop's tombstones are asked at once.
        let mut fates = Vec::with_capacity(rows.len());
        let mut ask = Vec::new();
        for row in rows {
            let (Some(id), Some(doc)) = (row["id"].as_str(), row.get("doc")) else {
                continue;
            };
            let fate = if row["deleted"].as_bool() == Some(true)
                || id.starts_with('_')
                || id.starts_with("design-")
            {
                Fate::Skip
            } else {
                examined += 1;
                match Uuid::parse_str(id) {
                    Err(_) => Fate::Leave(DocProblem::NotOurs(id.chars().take(80).collect())),
                    Ok(card) if intake.has_card(card) => Fate::Remove,
                    Ok(_) => match Sealed::read(doc).and_then(|s| {
                        s.admissible(id, rules)?;
                        Ok(s)
                    }) {
                        Err(problem) => Fate::Leave(problem),
                        Ok(sealed) => {
                            ask.push(format!("card-{id}"));
                            Fate::Open(sealed)
                        }
                    },
                }
            };
            fates.push((id, doc, fate));
        }
        let erased = erased(shop, &ask, report).await?;
        let mut gone = Vec::new();
        for (id, doc, fate) in fates {
            let fate = match fate {
                Fate::Open(_) if erased.contains(id) => {
                    report.replayed += 1;
                    Fate::Remove
                }
                Fate::Open(sealed) => open_one(intake, id, sealed, report).await,
                other => other,
            };
            match fate {
                Fate::Skip | Fate::Open(_) => continue,
                Fate::Remove => {}
                Fate::Leave(problem) => {
                    intake.set_aside(id, &problem);
                    report.set_aside.push((format!("inbox:{id}"), problem));
                    continue;
                }
                Fate::Drop(problem) => {
                    intake.set_aside(id, &problem);
                    report.set_aside.push((format!("inbox:{id}"), problem));
                }
            }
            if let Some(rev) = doc["_rev"].as_str() {
                gone.push(json!({ "_id": id, "_rev": rev, "_deleted": true }));
            }
        }
        remove_all(inbox, gone, report).await?;
        since = last;
        intake.page_done();
        if rows.len() < limit {
            return Ok(TakenIn { since, more: false });
        }
    }
}

/// Opens one admissible card and stores it.
async fn open_one(intake: &mut impl Intake, id: &str, sealed: Sealed, report: &mut Report) -> Fate {
    let Some(plain) = intake.open(id, &sealed).await else {
        return Fate::Leave(DocProblem::Unsealed);
    };
    let card = match card_from(id, &plain, |t| intake.has_template(t)) {
        Ok(card) => card,
        Err(problem) => return Fate::Drop(problem),
    };
    // The design sealed with it (bound as associated data) is the one the card answers.
    if let Sealed::Hpke { template, .. } = sealed {
        if template != card.template {
            return Fate::Drop(DocProblem::UnknownTemplate);
        }
    }
    match intake.take(card) {
        Ok(()) => {
            report.taken_in += 1;
            Fate::Remove
        }
        Err(_) => Fate::Leave(DocProblem::Malformed("not stored".into())),
    }
}

/// The ids among `ids` (`card-<uuid>`) that the shop's database holds deleted, as card ids.
async fn erased<T: Transport>(
    shop: &T,
    ids: &[String],
    report: &mut Report,
) -> Result<std::collections::BTreeSet<String>, SyncError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let body = call(
        shop,
        report,
        Request::post("_all_docs", &json!({ "keys": ids })),
    )
    .await?;
    let rows = body["rows"].as_array().ok_or(SyncError::Garbled)?;
    Ok(rows
        .iter()
        .filter(|r| r["value"]["deleted"].as_bool() == Some(true))
        .filter_map(|r| r["key"].as_str()?.strip_prefix("card-").map(str::to_owned))
        .collect())
}

/// Deletes the documents `gone` (each `_id`, `_rev`, `_deleted`) from the inbox in one request.
/// One another device deleted first is no error.
async fn remove_all<T: Transport>(
    inbox: &T,
    gone: Vec<Value>,
    report: &mut Report,
) -> Result<(), SyncError> {
    if gone.is_empty() {
        return Ok(());
    }
    call(
        inbox,
        report,
        Request::post("_bulk_docs", &json!({ "docs": gone })),
    )
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::{card::Answer, Meta},
        sync::{fake::Fake, transport::block_on},
    };

    fn card(id: Uuid, template: Uuid) -> Card {
        let mut card = Card {
            meta: Meta::new(Utc::now()),
            template,
            template_version: 1,
            lang: "fa".into(),
            branch: "Tajrish".into(),
            touchpoint: "qr".into(),
            answers: [("overall".to_owned(), Answer::Rating(5))].into(),
        };
        card.meta.id = id;
        card
    }

    #[test]
    fn a_card_is_taken_in_only_whole_under_its_own_id_and_for_a_known_template() {
        let (id, template) = (Uuid::new_v4(), Uuid::new_v4());
        let text = serde_json::to_string(&card(id, template)).unwrap();
        let known = |t: Uuid| t == template;
        assert_eq!(
            card_from(&id.to_string(), text.as_bytes(), known)
                .unwrap()
                .meta
                .id,
            id
        );
        // A sealed card copied under another id.
        assert_eq!(
            card_from(&Uuid::new_v4().to_string(), text.as_bytes(), known),
            Err(DocProblem::IdMismatch)
        );
        assert_eq!(
            card_from(&id.to_string(), text.as_bytes(), |_| false),
            Err(DocProblem::UnknownTemplate)
        );
        assert!(matches!(
            card_from(&id.to_string(), b"<script>alert(1)</script>", known),
            Err(DocProblem::Malformed(_))
        ));
        assert!(matches!(
            card_from(&id.to_string(), &[0xff, 0xfe], known),
            Err(DocProblem::Malformed(_))
        ));
        // A well-formed card with a hostile answer breaks the card's own rules.
        let mut hostile = card(id, template);
        hostile.branch = "x".repeat(10_000);
        let text = serde_json::to_string(&hostile).unwrap();
        assert!(matches!(
            card_from(&id.to_string(), text.as_bytes(), known),
            Err(DocProblem::Invalid(_))
        ));
    }

    #[test]
    fn a_phone_gets_the_key_to_seal_to_only_through_a_link_that_pins_one_of_the_shops_keys() {
        use crate::domain::{
            card_link::{base64url, fingerprint},
            text::Bilingual,
        };
        let key = |seed: u8| -> Vec<u8> {
            std::iter::once(4)
                .chain((1..65u8).map(|b| b.wrapping_mul(seed)))
                .collect()
        };
        let (old, new, stranger) = (key(37), key(41), key(43));
        let shop_key = |public: &[u8], at: i64| ShopKey {
            public: base64url(public),
            private_jwk: "{}".into(),
            created: DateTime::from_timestamp(at, 0).unwrap(),
        };
        let keys = ShopKeys {
            keys: vec![shop_key(&old, 1), shop_key(&new, 2)],
        };
        let text = |k: &str| Bilingual {
            en: k.into(),
            fa: k.into(),
        };
        let template = CardTemplate::default_card(crate::domain::Meta::new(Utc::now()), &text);
        let inbox = Fake::default();
        let design = serde_json::to_value(Design::new(&template, None, &keys)).unwrap();
        inbox.plant(&design_id(template.meta.id), design);
        let fetch = |pin: &[u8]| block_on(fetch_design(&inbox, template.meta.id, pin));
        // The shop's current key, whichever of its keys the poster pins.
        assert_eq!(fetch(&fingerprint(&new)).unwrap().1, new);
        assert_eq!(fetch(&fingerprint(&old)).unwrap().1, new);
        // A swapped sticker's key: refused, and nothing to seal to.
        assert_eq!(fetch(&fingerprint(&stranger)).err(), Some("link.not_shops"));
        // A design nobody published.
        assert_eq!(
            block_on(fetch_design(&inbox, Uuid::new_v4(), &fingerprint(&new))).err(),
            Some("link.design.missing")
        );
    }

    #[test]
    fn keys_are_only_ever_added() {
        let key = |n: i64| ShopKey {
            public: format!("pub{n}"),
            private_jwk: format!("jwk{n}"),
            created: DateTime::from_timestamp(n * 1000, 0).unwrap(),
        };
        let server = ShopKeys {
            keys: vec![key(1), key(3)],
        };
        let here = ShopKeys {
            keys: vec![key(1), key(2)],
        };
        let merged = server.merged(&here);
        assert_eq!(merged.keys, vec![key(1), key(2), key(3)]);
        assert_eq!(here.merged(&server), merged);
        assert_eq!(merged.current(), Some(&key(3)));
        assert_eq!(server.merged(&ShopKeys::default()), server);
    }

    #[test]
    fn only_a_sealed_document_of_a_known_format_is_read() {
        let first = SealedDoc {
            epk: base64url(&[4; 65]),
            iv: base64url(&[1; 12]),
            ct: base64url(&[9; 40]),
        };
        let doc: Value = serde_json::from_str(&first.body()).unwrap();
        assert_eq!(
            Sealed::read(&doc),
            Ok(Sealed::First(seal::Sealed {
                epk: vec![4; 65],
                iv: vec![1; 12],
                ct: vec![9; 40]
            }))
        );
        let template = Uuid::new_v4();
        let card = SealedCard {
            template,
            sealed: HpkeSealed {
                enc: vec![4; 65],
                ct: vec![7; 40],
            },
            stamp: Stamp {
                day: "2026-12-07".into(),
                nonce: 42,
            },
        };
        let hpke: Value = serde_json::from_str(&card.body()).unwrap();
        assert_eq!(
            Sealed::read(&hpke),
            Ok(Sealed::Hpke {
                template,
                sealed: card.sealed.clone(),
                day: Some("2026-12-07".into()),
                nonce: Some("42".into()),
            })
        );
        for broken in [
            json!({ "lp": 3, "epk": doc["epk"], "iv": doc["iv"], "ct": doc["ct"] }),
            json!({ "lp": 1, "epk": "short", "iv": doc["iv"], "ct": doc["ct"] }),
            json!({ "lp": 1, "epk": doc["epk"], "iv": "!!", "ct": doc["ct"] }),
            json!({ "lp": 2, "t": "not-a-uuid", "enc": hpke["enc"], "ct": hpke["ct"] }),
            json!({ "lp": 2, "t": hpke["t"], "enc": doc["iv"], "ct": hpke["ct"] }),
            json!("a string"),
        ] {
            assert_eq!(Sealed::read(&broken), Err(DocProblem::Unsealed));
        }
        let huge =
            json!({ "lp": 1, "epk": doc["epk"], "iv": doc["iv"], "ct": "A".repeat(200_000) });
        assert_eq!(Sealed::read(&huge), Err(DocProblem::TooLarge));
    }

    /// A staff device for the take-in tests: "opening" reads the ciphertext as the card itself,
    /// unless it starts with `x` (a card sealed to another key).
    #[derive(Default)]
    struct Device {
        templates: Vec<Uuid>,
        cards: BTreeMap<Uuid, Card>,
        aside: Vec<(String, DocProblem)>,
    }

    impl Intake for Device {
        fn open<'a>(&'a self, _: &'a str, sealed: &'a Sealed) -> Boxed<'a, Option<Vec<u8>>> {
            let plain = match sealed {
                Sealed::Hpke { sealed, .. } => Some(sealed.ct.clone()),
                Sealed::First(s) => Some(s.ct.clone()),
            };
            Box::pin(std::future::ready(plain.filter(|p| p[0] != b'x')))
        }
        fn has_card(&self, id: Uuid) -> bool {
            self.cards.contains_key(&id)
        }
        fn has_template(&self, id: Uuid) -> bool {
            self.templates.contains(&id)
        }
        fn take(&mut self, card: Card) -> Result<(), SyncError> {
            self.cards.insert(card.meta.id, card);
            Ok(())
        }
        fn set_aside(&mut self, doc_id: &str, problem: &DocProblem) {
            self.aside.push((doc_id.to_owned(), problem.clone()));
        }
    }

    const TODAY: &str = "2026-12-07";
    /// Few enough zero bits for thousands of stamps in a test; the rule is the same.
    const TEST_BITS: u32 = 6;

    fn rules() -> Rules {
        Rules {
            cap: CAP,
            bits: TEST_BITS,
            today: NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap(),
        }
    }

    /// An empty inbox and shop database, a card design, and a staff device that has it.
    fn empty_shop() -> (Fake, Fake, Uuid, Device) {
        let template = Uuid::new_v4();
        let device = Device {
            templates: vec![template],
            ..Device::default()
        };
        (Fake::default(), Fake::default(), template, device)
    }

    /// The stamp of the card `id` today, searched for as a phone does.
    fn stamp_for(id: Uuid, bits: u32) -> Stamp {
        let mut search = stamp::Search::new(&id.to_string(), TODAY, bits);
        loop {
            if let Some(s) = search.step(10_000) {
                break s;
            }
        }
    }

    /// A card posted to the inbox as a phone does, with a stamp of `bits` zero bits (none: no
    /// stamp at all).
    fn post(inbox: &Fake, template: Uuid, bits: Option<u32>) -> Uuid {
        let id = Uuid::new_v4();
        let plain = serde_json::to_vec(&card(id, template)).unwrap();
        let found = bits.map(|b| stamp_for(id, b));
        let sealed = SealedCard {
            template,
            sealed: HpkeSealed {
                enc: vec![4; 65],
                ct: plain,
            },
            stamp: found.clone().unwrap_or(Stamp {
                day: TODAY.into(),
                nonce: 0,
            }),
        };
        let mut doc: Value = serde_json::from_str(&sealed.body()).unwrap();
        if found.is_none() {
            let map = doc.as_object_mut().unwrap();
            map.remove("d");
            map.remove("w");
        }
        inbox.plant(&id.to_string(), doc);
        id
    }

    fn pass(inbox: &Fake, shop: &Fake, device: &mut Device, since: Value) -> (TakenIn, Report) {
        let mut report = Report::default();
        let done = block_on(take_in(inbox, shop, device, since, &rules(), &mut report)).unwrap();
        (done, report)
    }

    fn live(inbox: &Fake) -> usize {
        inbox
            .ids()
            .iter()
            .filter(|id| inbox.doc(id).is_some_and(|d| d["_deleted"] != json!(true)))
            .count()
    }

    #[test]
    fn a_flood_of_unstamped_cards_is_set_aside_and_none_is_stored() {
        let (inbox, shop, template, mut device) = empty_shop();
        for _ in 0..5_000 {
            post(&inbox, template, None);
        }
        let real = post(&inbox, template, Some(TEST_BITS));
        let mut since = json!(0);
        let mut passes = 0;
        let mut taken = 0;
        loop {
            let (done, report) = pass(&inbox, &shop, &mut device, since);
            passes += 1;
            taken += report.taken_in;
            // A pass examines at most the cap.
            assert!(report.set_aside.len() + report.taken_in <= CAP);
            since = done.since;
            if !done.more {
                break;
            }
        }
        assert_eq!(passes, 11);
        assert_eq!(taken, 1);
        assert_eq!(device.cards.keys().collect::<Vec<_>>(), vec![&real]);
        assert_eq!(device.aside.len(), 5_000);
        assert!(device
            .aside
            .iter()
            .all(|(_, p)| *p == DocProblem::Unstamped));
        // Set aside unread, they stay in the inbox; the card taken in is gone from it.
        assert_eq!(live(&inbox), 5_000);
        // The next pass starts after them: nothing is examined twice.
        let (_, report) = pass(&inbox, &shop, &mut device, since);
        assert_eq!(report.set_aside.len(), 0);
    }

    #[test]
    fn stamped_cards_are_taken_in_oldest_first_over_passes_of_at_most_the_cap() {
        let (inbox, shop, template, mut device) = empty_shop();
        let posted: Vec<Uuid> = (0..2_000)
            .map(|_| post(&inbox, template, Some(TEST_BITS)))
            .collect();
        let mut since = json!(0);
        let mut taken: Vec<&Uuid> = Vec::new();
        let mut passes = 0;
        loop {
            passes += 1;
            let before: std::collections::BTreeSet<Uuid> = device.cards.keys().copied().collect();
            let (done, report) = pass(&inbox, &shop, &mut device, since);
            assert!(report.taken_in <= CAP, "{}", report.taken_in);
            assert_eq!(report.taken_in, device.cards.len() - before.len());
            taken.extend(
                posted
                    .iter()
                    .filter(|id| device.cards.contains_key(id) && !before.contains(id)),
            );
            since = done.since;
            if !done.more {
                break;
            }
        }
        // Four passes of 500, in the order the cards arrived, and one that finds none left.
        assert_eq!(passes, 5);
        assert_eq!(device.cards.len(), 2_000);
        assert_eq!(taken, posted.iter().collect::<Vec<_>>());
        assert_eq!(live(&inbox), 0);
    }

    #[test]
    fn a_card_the_shop_erased_is_refused_when_sent_again() {
        let (inbox, shop, template, mut device) = empty_shop();
        let erased = post(&inbox, template, Some(TEST_BITS));
        // The shop deleted that card (a customer erased): a tombstone in its database.
        shop.plant(
            &format!("card-{erased}"),
            json!({ "id": erased.to_string() }),
        );
        let rev = shop.doc(&format!("card-{erased}")).unwrap()["_rev"].clone();
        block_on(shop.send(Request::post(
            "_bulk_docs",
            &json!({ "docs": [{ "_id": format!("card-{erased}"), "_rev": rev, "_deleted": true }] }),
        )))
        .unwrap();
        let fresh = post(&inbox, template, Some(TEST_BITS));
        let (_, report) = pass(&inbox, &shop, &mut device, json!(0));
        assert_eq!(report.replayed, 1);
        assert_eq!(report.taken_in, 1);
        assert!(!device.cards.contains_key(&erased));
        assert!(device.cards.contains_key(&fresh));
        assert_eq!(live(&inbox), 0);
    }

    #[test]
    fn a_card_no_key_opens_stays_in_the_inbox_and_a_broken_one_is_set_aside() {
        let (inbox, shop, template, mut device) = empty_shop();
        // Sealed to another key: it does not open.
        let id = Uuid::new_v4();
        let found = stamp_for(id, TEST_BITS);
        let other = SealedCard {
            template,
            sealed: HpkeSealed {
                enc: vec![4; 65],
                ct: b"x-sealed-to-a-stranger".to_vec(),
            },
            stamp: found,
        };
        inbox.plant(
            &id.to_string(),
            serde_json::from_str(&other.body()).unwrap(),
        );
        // A card for a design this shop does not have.
        post(&inbox, Uuid::new_v4(), Some(TEST_BITS));
        let (_, report) = pass(&inbox, &shop, &mut device, json!(0));
        let problems: Vec<_> = device.aside.iter().map(|(_, p)| p.clone()).collect();
        assert!(problems.contains(&DocProblem::Unsealed));
        assert!(problems.contains(&DocProblem::UnknownTemplate));
        assert_eq!(report.taken_in, 0);
        // The one that opened is gone from the inbox; the unread one stays.
        assert!(inbox
            .doc(&id.to_string())
            .is_some_and(|d| d["_deleted"] != json!(true)));
        assert_eq!(live(&inbox), 1);
    }
}
