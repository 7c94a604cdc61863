//! The shop's inbox: the database beside the shop's own (`<db>-inbox`) where customers' phones
//! leave cards sealed with the shop's public key, and where staff devices publish the card
//! designs those phones show.
//!
//! - The shop's key pair is made on a staff device and kept in the shop's own database as the
//!   local document [`KEY_DOC`]: only members may read it, it never appears in `_changes` (so
//!   no record store sees it), and it is never part of an export. Every staff device that syncs
//!   fetches it. A replaced key is kept beside the new one, so cards sealed before still open.
//! - A design is `design-<template id>` in the inbox: the template as it is now, and the
//!   business's name. Cards record the template's version, so a later edit changes no answer.
//! - Staff devices take the inbox in during each pass: open, check like an import, store, and
//!   delete from the inbox. A card's id is its document's id, sealed inside it too, so a card
//!   taken in by two devices at once is one record, and a sealed card copied under another id
//!   is refused.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    engine::{call, Report, SyncError},
    seal::Sealed,
    transport::{Request, Transport},
};
use crate::domain::{
    card::Card,
    card_link::{base64url, unbase64url, KEY_BYTES},
    couch_doc::DocProblem,
    settings::Settings,
    template::CardTemplate,
    Kind, Record,
};

/// Where the shop's keys live in its own database.
pub const KEY_DOC: &str = "_local/listening-post-inbox-key";
/// The inbox's name is the shop database's name and this.
pub const SUFFIX: &str = "-inbox";
/// The sealed format this build writes (the validator accepts only it).
const FORMAT: u8 = 1;
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

    /// The public key links carry, as raw bytes.
    pub fn public(&self) -> Option<Vec<u8>> {
        self.current()
            .and_then(|k| unbase64url(&k.public))
            .filter(|k| k.len() == KEY_BYTES)
    }
}

/// A sealed card as the inbox holds it: `{"lp":1,"epk":…,"iv":…,"ct":…}`, each value base64url.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedDoc {
    pub epk: String,
    pub iv: String,
    pub ct: String,
}

impl SealedDoc {
    pub fn new(sealed: &Sealed) -> Self {
        Self {
            epk: base64url(&sealed.epk),
            iv: base64url(&sealed.iv),
            ct: base64url(&sealed.ct),
        }
    }

    /// The document's JSON text. Written by hand (base64url needs no escaping), so that the
    /// card page carries no JSON writer for it.
    pub fn body(&self) -> String {
        format!(
            r#"{{"lp":{FORMAT},"epk":"{}","iv":"{}","ct":"{}"}}"#,
            self.epk, self.iv, self.ct
        )
    }

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
        if doc["lp"].as_u64() != Some(u64::from(FORMAT)) {
            return Err(DocProblem::Unsealed);
        }
        let (epk, iv, ct) = (field("epk")?, field("iv")?, field("ct")?);
        if epk.len() != KEY_BYTES || iv.len() != 12 || ct.len() < 17 {
            return Err(DocProblem::Unsealed);
        }
        Ok(Sealed { epk, iv, ct })
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
}

impl Design {
    pub fn new(template: &CardTemplate, settings: Option<&Settings>) -> Self {
        Self {
            lp: FORMAT,
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
    pub fn read(text: &str) -> Option<Design> {
        let design: Design = serde_json::from_str(text).ok()?;
        (design.lp == FORMAT && design.template.validate().is_ok()).then_some(design)
    }
}

/// Fetches a design from the inbox at `address` as a stranger, or says why not (a locale key).
pub fn fetch_design(
    address: &str,
    template: Uuid,
) -> super::transport::Boxed<'static, Result<Design, &'static str>> {
    let transport = super::fetch::FetchTransport::anonymous(address);
    Box::pin(async move {
        match transport.send(Request::get(design_id(template))).await {
            Ok(r) if r.status == 200 => Design::read(&r.body).ok_or("link.design.broken"),
            Ok(r) if r.status == 404 => Err("link.design.missing"),
            Ok(_) | Err(_) => Err("link.design.offline"),
        }
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

/// The shop's keys and their revision in its database, if the inbox is set up.
pub async fn server_keys<T: Transport>(
    t: &T,
    report: &mut Report,
) -> Result<Option<(ShopKeys, String)>, SyncError> {
    report.requests += 1;
    let response = t.send(Request::get(KEY_DOC)).await?;
    match response.status {
        404 => Ok(None),
        200 => {
            let doc: Value =
                serde_json::from_str(&response.body).map_err(|_| SyncError::Garbled)?;
            let keys: ShopKeys =
                serde_json::from_value(doc.clone()).map_err(|_| SyncError::Garbled)?;
            let rev = doc["_rev"].as_str().unwrap_or_default().to_owned();
            Ok(Some((keys, rev)))
        }
        s => Err(SyncError::refused(s)),
    }
}

/// Stores the shop's keys in its database: `rev` is the revision they replace (none for the
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
    let response = t.send(Request::put(KEY_DOC, &doc)).await?;
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
    published: &mut Published,
    report: &mut Report,
) -> Result<(), SyncError> {
    // The business's name shows on every design: a new name publishes them all again.
    let stamp =
        |t: &CardTemplate| settings.map_or(t.meta.updated, |s| t.meta.updated.max(s.meta.updated));
    for (id, template) in templates {
        let now = stamp(template);
        if published.get(id).is_some_and(|(at, _)| *at == now) {
            continue;
        }
        let path = design_id(*id);
        let mut doc = serde_json::to_value(Design::new(template, settings))
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

/// The sealed cards waiting in the inbox after the document `after`, a page at a time: (document
/// id, revision, document) of each, and where the next page starts if there may be one.
pub async fn waiting<T: Transport>(
    inbox: &T,
    after: Option<&str>,
    report: &mut Report,
) -> Result<(Vec<(String, String, Value)>, Option<String>), SyncError> {
    let mut path = format!("_all_docs?include_docs=true&limit={TAKE}");
    if let Some(after) = after {
        let key = serde_json::to_string(after).map_err(|_| SyncError::Garbled)?;
        // From `after` itself, which is left out below: a card taken in is gone by now.
        path.push_str(&format!("&startkey={}", super::engine::encode(&key)));
    }
    let body = call(inbox, report, Request::get(path)).await?;
    let rows = body["rows"].as_array().ok_or(SyncError::Garbled)?;
    let next = (rows.len() == TAKE)
        .then(|| {
            rows.last()
                .and_then(|r| r["id"].as_str())
                .map(str::to_owned)
        })
        .flatten();
    let cards = rows
        .iter()
        .filter_map(|row| {
            let id = row["id"].as_str()?;
            if id.starts_with('_') || id.starts_with("design-") || Some(id) == after {
                return None;
            }
            let rev = row["value"]["rev"].as_str()?;
            Some((id.to_owned(), rev.to_owned(), row["doc"].clone()))
        })
        .collect();
    Ok((cards, next))
}

/// Deletes a card taken in (or set aside) from the inbox. Another device that took it in first
/// already did: that is no error.
pub async fn remove<T: Transport>(
    inbox: &T,
    id: &str,
    rev: &str,
    report: &mut Report,
) -> Result<(), SyncError> {
    report.requests += 1;
    let answer = inbox
        .send(Request::delete(format!("{id}?rev={rev}")))
        .await?;
    match answer.status {
        200..=299 | 404 | 409 => Ok(()),
        s => Err(SyncError::refused(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{card::Answer, Meta};

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
    fn only_a_sealed_document_of_this_format_is_read() {
        let sealed = Sealed {
            epk: vec![4; 65],
            iv: vec![1; 12],
            ct: vec![9; 40],
        };
        let doc: Value = serde_json::from_str(&SealedDoc::new(&sealed).body()).unwrap();
        assert_eq!(SealedDoc::read(&doc), Ok(sealed));
        for broken in [
            json!({ "lp": 2, "epk": doc["epk"], "iv": doc["iv"], "ct": doc["ct"] }),
            json!({ "lp": 1, "epk": "short", "iv": doc["iv"], "ct": doc["ct"] }),
            json!({ "lp": 1, "epk": doc["epk"], "iv": "!!", "ct": doc["ct"] }),
            json!("a string"),
        ] {
            assert_eq!(SealedDoc::read(&broken), Err(DocProblem::Unsealed));
        }
        let huge =
            json!({ "lp": 1, "epk": doc["epk"], "iv": doc["iv"], "ct": "A".repeat(200_000) });
        assert_eq!(SealedDoc::read(&huge), Err(DocProblem::TooLarge));
    }
}
