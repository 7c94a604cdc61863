//! An in-memory CouchDB database for the engine's tests, and for the faults a real server is
//! hard to make on cue: documents with a winning revision and conflicting leaves, a sequence,
//! `_changes`, `_bulk_docs`, `_all_docs`, a revision by `?rev=`, and an unreachable network, a
//! refusal or a hostile document when a test asks for one.

use std::{
    cell::{Cell, RefCell},
    collections::BTreeMap,
    future::{ready, Future},
};

use serde_json::{json, Value};

use super::transport::{Method, Request, Response, Transport, TransportError};

#[derive(Clone, Debug)]
struct Entry {
    /// The winning revision's body, `_id` and `_rev` included.
    body: Value,
    deleted: bool,
    seq: u64,
    /// Other leaf revisions: conflicts, by revision.
    leaves: BTreeMap<String, Value>,
}

impl Entry {
    fn rev(&self) -> String {
        self.body["_rev"].as_str().unwrap_or_default().to_owned()
    }
}

/// The fake server's one database.
#[derive(Default)]
pub struct Fake {
    docs: RefCell<BTreeMap<String, Entry>>,
    seq: Cell<u64>,
    /// Every request fails as if the network were down.
    pub offline: Cell<bool>,
    /// Every request is answered with this status.
    pub refuse: Cell<Option<u16>>,
    /// Requests answered so far.
    pub requests: Cell<usize>,
    /// Document ids a validator refuses.
    pub forbid: RefCell<std::collections::BTreeSet<String>>,
    /// `_find` pages by bookmark, as CouchDB does (otherwise by `skip`, as pouchdb-server).
    pub bookmarks: Cell<bool>,
    /// The bytes of every answer so far.
    pub bytes: Cell<usize>,
}

fn next_rev(old: Option<&str>, body: &Value) -> String {
    use std::hash::{Hash, Hasher};
    let n = old
        .and_then(|r| r.split('-').next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.to_string().hash(&mut h);
    old.hash(&mut h);
    format!("{}-{:016x}", n + 1, h.finish())
}

impl Fake {
    fn bump(&self) -> u64 {
        self.seq.set(self.seq.get() + 1);
        self.seq.get()
    }

    /// The live (not deleted) documents' ids.
    pub fn ids(&self) -> Vec<String> {
        self.docs
            .borrow()
            .iter()
            .filter(|(_, e)| !e.deleted)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// How many conflicting revisions the database holds.
    pub fn conflicts(&self) -> usize {
        self.docs.borrow().values().map(|e| e.leaves.len()).sum()
    }

    /// A document's winning body.
    pub fn doc(&self, id: &str) -> Option<Value> {
        self.docs.borrow().get(id).map(|e| e.body.clone())
    }

    /// Writes a body as it comes, unchecked: a hostile or broken document another client left.
    pub fn plant(&self, id: &str, mut body: Value) {
        let rev = next_rev(None, &body);
        body["_id"] = json!(id);
        body["_rev"] = json!(rev);
        let seq = self.bump();
        self.docs.borrow_mut().insert(
            id.to_owned(),
            Entry {
                body,
                deleted: false,
                seq,
                leaves: BTreeMap::new(),
            },
        );
    }

    /// Adds a conflicting revision of a document, as replication from a third client would:
    /// the revision that sorts higher wins, as in CouchDB.
    pub fn conflict(&self, id: &str, mut body: Value) {
        let seq = self.bump();
        let mut docs = self.docs.borrow_mut();
        let entry = docs.get_mut(id).expect("a document to conflict with");
        let rev = format!(
            "{}-ffff{:012x}",
            entry.rev().split('-').next().unwrap_or("1"),
            seq
        );
        body["_id"] = json!(id);
        body["_rev"] = json!(rev);
        let old = std::mem::replace(&mut entry.body, body);
        entry
            .leaves
            .insert(old["_rev"].as_str().unwrap_or_default().to_owned(), old);
        entry.seq = seq;
    }

    /// Empties the database, as a server restored from an old backup would be.
    pub fn wipe(&self) {
        self.docs.borrow_mut().clear();
    }

    fn bulk_docs(&self, body: &Value) -> Value {
        let mut rows = Vec::new();
        for doc in body["docs"].as_array().cloned().unwrap_or_default() {
            let id = doc["_id"].as_str().unwrap_or_default().to_owned();
            if self.forbid.borrow().contains(&id) {
                rows.push(json!({ "id": id, "error": "forbidden", "reason": "refused" }));
                continue;
            }
            let given = doc["_rev"].as_str().map(str::to_owned);
            let deleting = doc["_deleted"] == json!(true);
            let mut docs = self.docs.borrow_mut();
            let existing = docs.get(&id).cloned();
            let accepted = match (&existing, &given) {
                (None, None) => true,
                (Some(e), None) => e.deleted,
                (Some(e), Some(r)) => *r == e.rev() || (deleting && e.leaves.contains_key(r)),
                (None, Some(_)) => false,
            };
            if !accepted {
                rows.push(
                    json!({ "id": id, "error": "conflict", "reason": "Document update conflict." }),
                );
                continue;
            }
            let seq = {
                self.seq.set(self.seq.get() + 1);
                self.seq.get()
            };
            match existing {
                // Deleting a losing leaf.
                Some(mut e) if given.as_ref().is_some_and(|r| e.leaves.contains_key(r)) => {
                    let rev = given.unwrap_or_default();
                    e.leaves.remove(&rev);
                    e.seq = seq;
                    rows.push(json!({ "id": id, "ok": true, "rev": next_rev(Some(&rev), &doc) }));
                    docs.insert(id, e);
                }
                existing => {
                    let old_rev = existing.as_ref().map(Entry::rev);
                    let rev = next_rev(old_rev.as_deref(), &doc);
                    let mut body = if deleting {
                        json!({ "_id": id, "_deleted": true })
                    } else {
                        doc.clone()
                    };
                    body["_rev"] = json!(rev);
                    let leaves = existing.map(|e| e.leaves).unwrap_or_default();
                    docs.insert(
                        id.clone(),
                        Entry {
                            body,
                            deleted: deleting,
                            seq,
                            leaves,
                        },
                    );
                    rows.push(json!({ "id": id, "ok": true, "rev": rev }));
                }
            }
        }
        Value::Array(rows)
    }

    fn all_docs(&self, query: &str, body: &Value) -> Value {
        let include = query.contains("include_docs=true");
        let docs = self.docs.borrow();
        let rows: Vec<Value> = body["keys"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|key| {
                let id = key.as_str().unwrap_or_default();
                match docs.get(id) {
                    None => json!({ "key": id, "error": "not_found" }),
                    Some(e) if e.deleted => json!({
                        "id": id, "key": id, "value": { "rev": e.rev(), "deleted": true }, "doc": null
                    }),
                    Some(e) => {
                        let mut row = json!({ "id": id, "key": id, "value": { "rev": e.rev() } });
                        if include {
                            row["doc"] = e.body.clone();
                        }
                        row
                    }
                }
            })
            .collect();
        json!({ "total_rows": docs.len(), "rows": rows })
    }

    /// `_all_docs` a page at a time: `limit`, `startkey` and `skip`.
    fn all_docs_page(&self, query: &str) -> Value {
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                .map(str::to_owned)
        };
        let limit: usize = param("limit")
            .and_then(|s| s.parse().ok())
            .unwrap_or(usize::MAX);
        let skip: usize = param("skip").and_then(|s| s.parse().ok()).unwrap_or(0);
        let start: Option<String> = param("startkey")
            .map(|k| percent_decode(&k))
            .and_then(|k| serde_json::from_str(&k).ok());
        let docs = self.docs.borrow();
        let rows: Vec<Value> = docs
            .iter()
            .filter(|(id, e)| !e.deleted && start.as_ref().is_none_or(|s| *id >= s))
            .skip(skip)
            .take(limit)
            .map(|(id, e)| json!({ "id": id, "key": id, "value": { "rev": e.rev() } }))
            .collect();
        json!({ "total_rows": docs.len(), "rows": rows })
    }

    fn changes(&self, query: &str) -> Value {
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                .map(str::to_owned)
        };
        let since: u64 = param("since").and_then(|s| s.parse().ok()).unwrap_or(0);
        let limit: usize = param("limit")
            .and_then(|s| s.parse().ok())
            .unwrap_or(usize::MAX);
        let docs = self.docs.borrow();
        let mut changed: Vec<(&String, &Entry)> =
            docs.iter().filter(|(_, e)| e.seq > since).collect();
        changed.sort_by_key(|(_, e)| e.seq);
        changed.truncate(limit);
        let results: Vec<Value> = changed
            .iter()
            .map(|(id, e)| {
                let mut doc = e.body.clone();
                if !e.leaves.is_empty() {
                    doc["_conflicts"] = json!(e.leaves.keys().collect::<Vec<_>>());
                }
                let mut row =
                    json!({ "seq": e.seq, "id": id, "changes": [{ "rev": e.rev() }], "doc": doc });
                if e.deleted {
                    row["deleted"] = json!(true);
                }
                row
            })
            .collect();
        let last = changed.last().map_or(since, |(_, e)| e.seq);
        json!({ "results": results, "last_seq": last })
    }

    /// `_find` with the part of Mango the app uses, documents in id order.
    fn find(&self, body: &Value) -> Value {
        let limit = body["limit"].as_u64().unwrap_or(25) as usize;
        let skip = body["skip"].as_u64().unwrap_or(0) as usize;
        let after = body["bookmark"].as_str().map(str::to_owned);
        let docs = self.docs.borrow();
        let found: Vec<(&String, Value)> = docs
            .iter()
            .filter(|(id, e)| !e.deleted && after.as_ref().is_none_or(|a| *id > a))
            .filter(|(_, e)| matches(&body["selector"], &e.body))
            .skip(if after.is_some() { 0 } else { skip })
            .take(limit)
            .map(|(id, e)| {
                let mut doc = e.body.clone();
                if !e.leaves.is_empty() && body["conflicts"] == json!(true) {
                    doc["_conflicts"] = json!(e.leaves.keys().collect::<Vec<_>>());
                }
                (id, doc)
            })
            .collect();
        let mut answer = json!({ "docs": found.iter().map(|(_, d)| d).collect::<Vec<_>>() });
        if self.bookmarks.get() {
            answer["bookmark"] = json!(found.last().map_or("nil", |(id, _)| id.as_str()));
        }
        answer
    }

    fn answer(&self, request: &Request) -> (u16, Value) {
        let (path, query) = request.path.split_once('?').unwrap_or((&request.path, ""));
        let body: Value = request
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok())
            .unwrap_or(Value::Null);
        match (request.method, path) {
            (Method::Post, "_bulk_docs") => (201, self.bulk_docs(&body)),
            (Method::Post, "_all_docs") => (200, self.all_docs(query, &body)),
            (Method::Get, "_all_docs") => (200, self.all_docs_page(query)),
            (Method::Get, "_changes") => (200, self.changes(query)),
            (Method::Post, "_find") => (200, self.find(&body)),
            (Method::Get, "") => (
                200,
                json!({ "update_seq": self.seq.get(), "doc_count": self.ids().len() }),
            ),
            (Method::Get, id) => {
                let rev = query.strip_prefix("rev=");
                let docs = self.docs.borrow();
                // Without `?rev=`, the winner, unless it is deleted.
                match docs.get(id).and_then(|e| match rev {
                    Some(rev) => e.leaves.get(rev).or((e.rev() == rev).then_some(&e.body)),
                    None => (!e.deleted).then_some(&e.body),
                }) {
                    Some(doc) => (200, doc.clone()),
                    None => (404, json!({ "error": "not_found" })),
                }
            }
            _ => (400, json!({ "error": "bad_request" })),
        }
    }
}

impl Transport for Fake {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, TransportError>> {
        self.requests.set(self.requests.get() + 1);
        let answer = if self.offline.get() {
            Err(TransportError::Unreachable("offline".into()))
        } else if let Some(status) = self.refuse.get() {
            Ok(Response {
                status,
                body: json!({ "error": "refused" }).to_string(),
            })
        } else {
            let (status, body) = self.answer(&request);
            let body = body.to_string();
            self.bytes.set(self.bytes.get() + body.len());
            Ok(Response { status, body })
        };
        ready(answer)
    }
}

/// A field of a document by its Mango path (`answers.contact.value`; a dot within a name is
/// written `\\.`). A null is no value.
fn lookup<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => part.extend(chars.next()),
            '.' => parts.push(std::mem::take(&mut part)),
            c => part.push(c),
        }
    }
    parts.push(part);
    parts
        .iter()
        .try_fold(doc, |v, p| v.as_object()?.get(p))
        .filter(|v| !v.is_null())
}

/// Whether a document matches a Mango selector: fields with a value or with `$gt`, `$gte`,
/// `$lt`, `$lte`, `$eq`, `$ne`, `$exists`, `$regex`, and `$or`, `$and`, `$nor`.
fn matches(selector: &Value, doc: &Value) -> bool {
    use std::cmp::Ordering;
    let Some(fields) = selector.as_object() else {
        return true;
    };
    let order = |a: &Value, b: &Value| -> Option<Ordering> {
        match (a, b) {
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
            _ => None,
        }
    };
    fields
        .iter()
        .all(|(field, condition)| match field.as_str() {
            "$or" => condition
                .as_array()
                .is_some_and(|all| all.iter().any(|s| matches(s, doc))),
            "$and" => condition
                .as_array()
                .is_some_and(|all| all.iter().all(|s| matches(s, doc))),
            "$nor" => condition
                .as_array()
                .is_some_and(|all| !all.iter().any(|s| matches(s, doc))),
            _ => {
                let value = lookup(doc, field);
                match condition.as_object() {
                    Some(ops) if ops.keys().all(|k| k.starts_with('$')) => {
                        ops.iter().all(|(op, arg)| {
                            let o = value.and_then(|v| order(v, arg));
                            match op.as_str() {
                                "$gt" => o == Some(Ordering::Greater),
                                "$gte" => matches!(o, Some(Ordering::Greater | Ordering::Equal)),
                                "$lt" => o == Some(Ordering::Less),
                                "$lte" => matches!(o, Some(Ordering::Less | Ordering::Equal)),
                                "$eq" => value == Some(arg),
                                "$ne" => value.is_some_and(|v| v != arg),
                                "$exists" => value.is_some() == (*arg == Value::Bool(true)),
                                "$regex" => match (value.and_then(Value::as_str), arg.as_str()) {
                                    (Some(v), Some(p)) => {
                                        regex::Regex::new(p).is_ok_and(|r| r.is_match(v))
                                    }
                                    _ => false,
                                },
                                _ => false,
                            }
                        })
                    }
                    _ => value == Some(condition),
                }
            }
        })
}

/// Reads `%XX` escapes back.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
