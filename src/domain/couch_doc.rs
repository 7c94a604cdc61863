//! Records as documents of a shop's CouchDB database. A document's id is the record's kind and
//! UUID (`card-0f3c…`), its body the record's JSON in the export format (`schema/`) with
//! CouchDB's `_id` and `_rev`; a deletion is a tombstone (`_deleted`). A document read from the
//! server is checked exactly as an imported record is: one that fails is set aside with its
//! reason and never applied, and the rest go on.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Kind, Record, ValidationError};

/// Largest document body read from the server; anything larger is set aside unread.
pub const MAX_DOC_BYTES: usize = 1_000_000;

/// The document id of a record.
pub fn doc_id(kind: Kind, id: Uuid) -> String {
    format!("{}-{}", kind.name(), id.hyphenated())
}

/// The kind and id a document id names, if it names a record of ours.
pub fn parse_doc_id(doc_id: &str) -> Option<(Kind, Uuid)> {
    let (name, id) = doc_id.split_once('-')?;
    let kind = Kind::from_name(name)?;
    let id = Uuid::try_parse(id).ok()?;
    // Only the canonical spelling: one record, one document.
    (self::doc_id(kind, id) == doc_id).then_some((kind, id))
}

/// The document body that stores `record`, based on the server's revision `rev` when it has one,
/// as JSON text: the record's own JSON with `_id` (and `_rev`) put first. Written from the text
/// the store and the export already write, so no second serialiser is built for every record.
pub fn to_doc_text(record: &Record, rev: Option<&str>) -> String {
    let body = record.to_json();
    let mut doc = String::with_capacity(body.len() + 96);
    doc.push_str("{\"_id\":");
    doc.push_str(&Value::String(doc_id(record.kind(), record.id())).to_string());
    if let Some(rev) = rev {
        doc.push_str(",\"_rev\":");
        doc.push_str(&Value::String(rev.to_owned()).to_string());
    }
    // A record is always a non-empty object: `{"id":…}`.
    match body.strip_prefix('{') {
        Some(rest) if rest.starts_with('"') => {
            doc.push(',');
            doc.push_str(rest);
        }
        _ => doc.push('}'),
    }
    doc
}

/// [`to_doc_text`], read back as a JSON value.
pub fn to_doc(record: &Record, rev: Option<&str>) -> Value {
    serde_json::from_str(&to_doc_text(record, rev)).unwrap_or(Value::Null)
}

/// The tombstone that deletes a record's document at revision `rev`.
pub fn tombstone(kind: Kind, id: Uuid, rev: &str) -> Value {
    serde_json::json!({ "_id": doc_id(kind, id), "_rev": rev, "_deleted": true })
}

/// What a document from the server holds.
#[derive(Clone, Debug, PartialEq)]
pub enum FromServer {
    /// A record, at the server's revision `rev`.
    Record { record: Box<Record>, rev: String },
    /// The record was deleted on some device.
    Deleted { kind: Kind, id: Uuid, rev: String },
}

/// Why a document from the server was set aside.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DocProblem {
    #[error("the document is not an object with an id and a revision")]
    NotADocument,
    #[error("the document id {0:?} names no record of this app")]
    NotOurs(String),
    #[error("the document is larger than {MAX_DOC_BYTES} bytes")]
    TooLarge,
    #[error("not a readable record: {0}")]
    Malformed(String),
    #[error("the record inside has another id than its document")]
    IdMismatch,
    #[error("{0}")]
    Invalid(ValidationError),
    /// A card from the inbox that is not sealed in this app's format, or that the shop's keys do
    /// not open (a wrong key, a changed byte).
    #[error("the card is not sealed for this shop's key")]
    Unsealed,
    /// A card from the inbox without a valid proof of work: not sent from the card page.
    #[error("the card carries no valid stamp")]
    Unstamped,
    /// A card from the inbox for a template this shop does not have.
    #[error("the card answers a template this shop does not have")]
    UnknownTemplate,
}

impl DocProblem {
    /// Locale key of the reason, in the words an import uses for the same faults.
    pub fn message_key(&self) -> &'static str {
        match self {
            DocProblem::Invalid(e) => e.message_key(),
            DocProblem::Unsealed => "inbox.reject.unsealed",
            DocProblem::Unstamped => "inbox.reject.unstamped",
            DocProblem::IdMismatch => "sync.reject.id",
            DocProblem::UnknownTemplate => "inbox.reject.template",
            _ => "import.reject.malformed",
        }
    }
}

/// Reads one document as the server sent it (a row's `doc` in `_changes` or `_all_docs`).
pub fn from_doc(doc: &Value) -> Result<FromServer, DocProblem> {
    let map = doc.as_object().ok_or(DocProblem::NotADocument)?;
    let (Some(Value::String(id)), Some(Value::String(rev))) = (map.get("_id"), map.get("_rev"))
    else {
        return Err(DocProblem::NotADocument);
    };
    let (kind, uuid) = parse_doc_id(id).ok_or_else(|| DocProblem::NotOurs(id.clone()))?;
    if map.get("_deleted") == Some(&Value::Bool(true)) {
        return Ok(FromServer::Deleted {
            kind,
            id: uuid,
            rev: rev.clone(),
        });
    }
    // The record is the body without CouchDB's own fields, which all start with "_".
    let body: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let text = Value::Object(body).to_string();
    if text.len() > MAX_DOC_BYTES {
        return Err(DocProblem::TooLarge);
    }
    let record =
        Record::from_json(kind, &text).map_err(|e| DocProblem::Malformed(e.to_string()))?;
    if record.id() != uuid {
        return Err(DocProblem::IdMismatch);
    }
    record.validate().map_err(DocProblem::Invalid)?;
    Ok(FromServer::Record {
        record: Box::new(record),
        rev: rev.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{settings::Settings, Meta};
    use chrono::{TimeZone, Utc};

    fn card() -> Record {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        Record::Card(crate::domain::card::Card {
            meta: Meta::new(now),
            template: crate::domain::template::DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: "fa".into(),
            branch: "Tajrish".into(),
            touchpoint: "kiosk".into(),
            answers: [("overall".to_owned(), crate::domain::card::Answer::Rating(4))].into(),
        })
    }

    #[test]
    fn a_record_goes_to_its_document_and_comes_back_the_same() {
        let r = card();
        let doc = to_doc(&r, Some("3-abc"));
        assert_eq!(doc["_id"], format!("card-{}", r.id()));
        assert_eq!(doc["_rev"], "3-abc");
        assert_eq!(
            from_doc(&doc),
            Ok(FromServer::Record {
                record: Box::new(r.clone()),
                rev: "3-abc".into()
            })
        );
        // A first write carries no revision.
        assert!(to_doc(&r, None).get("_rev").is_none());
        assert_eq!(
            parse_doc_id(&doc_id(Kind::Card, r.id())),
            Some((Kind::Card, r.id()))
        );
    }

    #[test]
    fn a_tombstone_reads_as_a_deletion() {
        let r = card();
        let doc = tombstone(Kind::Card, r.id(), "4-def");
        assert_eq!(
            from_doc(&doc),
            Ok(FromServer::Deleted {
                kind: Kind::Card,
                id: r.id(),
                rev: "4-def".into()
            })
        );
    }

    #[test]
    fn documents_that_are_not_whole_valid_records_of_ours_are_set_aside_with_a_reason() {
        let r = card();
        let good = to_doc(&r, Some("1-a"));
        let with = |key: &str, value: Value| {
            let mut d = good.clone();
            d[key] = value;
            d
        };
        let other = Uuid::from_u128(7);
        let cases = [
            (Value::String("<script>".into()), DocProblem::NotADocument),
            (
                serde_json::json!({"_id": "card-1"}),
                DocProblem::NotADocument,
            ),
            (
                with("_id", Value::String("_design/x".into())),
                DocProblem::NotOurs("_design/x".into()),
            ),
            (
                with("_id", Value::String(format!("card-{}", r.id().simple()))),
                DocProblem::NotOurs(format!("card-{}", r.id().simple())),
            ),
            (
                with("_id", Value::String(format!("card-{other}"))),
                DocProblem::IdMismatch,
            ),
            (
                with("padding", Value::String("x".repeat(MAX_DOC_BYTES))),
                DocProblem::TooLarge,
            ),
        ];
        for (doc, problem) in cases {
            assert_eq!(from_doc(&doc), Err(problem));
        }
        assert!(matches!(
            from_doc(&with("answers", Value::String("<img src=x>".into()))),
            Err(DocProblem::Malformed(_))
        ));
        // A record that reads but breaks a rule: a rating of 11.
        let mut bad = good.clone();
        bad["answers"]["overall"] = serde_json::json!({ "rating": 11 });
        assert!(matches!(from_doc(&bad), Err(DocProblem::Invalid(_))));
        // The settings record, with its fixed id, travels too.
        let s = Record::Settings(Settings::defaults(Utc::now()));
        assert!(matches!(
            from_doc(&to_doc(&s, Some("1-s"))),
            Ok(FromServer::Record { .. })
        ));
    }
}
