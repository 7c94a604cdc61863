//! One sync pass: push what changed here, pull what changed elsewhere, settle conflicts, keep
//! the checkpoint. Every step is idempotent, so a pass cut short anywhere (the network gone, the
//! tab closed) is finished by the next one without duplicates or losses.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use super::transport::{Request, Transport, TransportError};
use crate::domain::{
    converge::converge,
    couch_doc::{self, DocProblem, FromServer},
    window::Span,
    Dataset, Kind, Record,
};

/// The records of this device, as sync reads and writes them: one at a time, like saves.
pub trait Local {
    fn get(&self, kind: Kind, id: Uuid) -> Option<Record>;
    /// Whether a record is here, without reading it.
    fn has(&self, kind: Kind, id: Uuid) -> bool {
        self.get(kind, id).is_some()
    }
    /// Stores a record that came from, or was merged with, the server's copy.
    fn put(&mut self, record: Record) -> Result<(), String>;
    /// Removes a record deleted on another device.
    fn remove(&mut self, kind: Kind, id: Uuid) -> Result<(), String>;
    /// Every record's kind and id, for the verify pass.
    fn ids(&self) -> Vec<(Kind, Uuid)>;
    /// Told after each page pulled and each batch pushed, with the pass so far: a screen shows
    /// progress and what arrived.
    fn page_done(&mut self, _report: &Report) {}
    /// Keeps a server document that could not be used, with why, for someone to look at.
    fn set_aside(&mut self, _doc_id: &str, _doc: &Value, _problem: &DocProblem) {}
    /// What this device keeps of the shop's history today (its window): everything, unless
    /// it keeps a window.
    fn span(&self) -> Span {
        Span::default()
    }
    /// The records held here that `span` does not keep.
    fn outside(&self, span: &Span) -> Vec<(Kind, Uuid)> {
        self.ids()
            .into_iter()
            .filter(|&(k, id)| self.get(k, id).is_some_and(|r| !span.keeps(&r)))
            .collect()
    }
    /// Drops a record from this device only: it left the window. No deletion is sent, so its
    /// ledger entry must go before the record does (a record gone with its entry left behind
    /// is a deletion made here).
    /// False when the record stays: it changed here meanwhile.
    fn evict(&mut self, kind: Kind, id: Uuid) -> Result<bool, String> {
        self.remove(kind, id).map(|()| true)
    }
    /// Whether storage is nearly full: past the share at which the device narrows its window.
    fn nearly_full(&mut self) -> bool {
        false
    }
    /// The cards held here that are in step with the server, by day (oldest first), for
    /// narrowing the window: the day of each.
    fn card_days(&self) -> Vec<(chrono::NaiveDate, Uuid)> {
        self.ids()
            .into_iter()
            .filter(|&(k, _)| k == Kind::Card)
            .filter_map(|(k, id)| match self.get(k, id) {
                Some(Record::Card(c)) => Some((c.meta.created.date_naive(), id)),
                _ => None,
            })
            .collect()
    }
    /// Keeps cards from `day` on only, from now on: the device narrowed its window because its
    /// storage was nearly full.
    fn narrow_to(&mut self, _day: chrono::NaiveDate) {}
}

impl Local for Dataset {
    fn get(&self, kind: Kind, id: Uuid) -> Option<Record> {
        Dataset::get(self, kind, id)
    }

    fn put(&mut self, record: Record) -> Result<(), String> {
        self.upsert(record);
        Ok(())
    }

    fn remove(&mut self, kind: Kind, id: Uuid) -> Result<(), String> {
        Dataset::remove(self, kind, id);
        Ok(())
    }

    fn has(&self, kind: Kind, id: Uuid) -> bool {
        Dataset::has(self, kind, id)
    }

    fn ids(&self) -> Vec<(Kind, Uuid)> {
        self.stamps().map(|(k, id, _)| (k, id)).collect()
    }

    fn outside(&self, span: &Span) -> Vec<(Kind, Uuid)> {
        Dataset::outside(self, span)
    }

    fn card_days(&self) -> Vec<(chrono::NaiveDate, Uuid)> {
        self.cards
            .values()
            .map(|c| (c.meta.created.date_naive(), c.meta.id))
            .collect()
    }
}

/// What sync keeps on this device for one server and database. Never exported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    /// The server's `last_seq` after the last page applied, kept verbatim (it is opaque).
    pub checkpoint: Option<Value>,
    /// The server revision each local copy is based on, by document id.
    pub revs: BTreeMap<String, String>,
    /// Documents changed or deleted here and not yet accepted by the server.
    pub pending: BTreeSet<String>,
    /// Losing revisions of conflicted documents, to delete with the next push.
    pub losers: Vec<(String, Vec<String>)>,
    /// The window this device has fetched in full up to the checkpoint (everything, unless it
    /// keeps a window): a wider one is fetched before changes are followed.
    pub held: Span,
}

impl SyncState {
    /// Notes that a record was saved or deleted on this device: the next push sends it.
    pub fn changed(&mut self, kind: Kind, id: Uuid) {
        self.pending.insert(couch_doc::doc_id(kind, id));
    }
}

/// What a pass did, for the status line and the figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub sent: usize,
    pub received: usize,
    pub deleted: usize,
    /// Conflicted documents settled, their losing revisions deleted on the server.
    pub conflicts: usize,
    /// Server documents that could not be used, with why.
    pub set_aside: Vec<(String, DocProblem)>,
    pub requests: usize,
    /// Changes still to pull after the last page, when the server says (CouchDB does).
    pub remaining: Option<u64>,
    /// Cards taken in from the shop's inbox.
    pub taken_in: usize,
    /// Cards sent again to the inbox after the shop erased them: refused and deleted.
    pub replayed: usize,
    /// Cards left waiting in the inbox for the next pass (a pass examines at most a set number).
    pub inbox_more: bool,
    /// Records dropped from this device only, having left its window.
    pub evicted: usize,
    /// The first day of cards kept, when this pass narrowed the window to make room.
    pub narrowed: Option<chrono::NaiveDate>,
    /// Documents on the server erased beyond what this device holds.
    pub erased: usize,
}

impl SyncError {
    /// What a status that is not a success means for a pass.
    pub fn refused(status: u16) -> SyncError {
        match status {
            401 => SyncError::Unauthorized,
            403 => SyncError::Forbidden,
            s => SyncError::Server(s),
        }
    }
}

impl Report {
    /// This report followed by `later`'s, as one.
    pub fn and(mut self, later: Report) -> Report {
        self.sent += later.sent;
        self.received += later.received;
        self.deleted += later.deleted;
        self.conflicts += later.conflicts;
        self.set_aside.extend(later.set_aside);
        self.requests += later.requests;
        self.remaining = later.remaining;
        self.taken_in += later.taken_in;
        self.replayed += later.replayed;
        self.inbox_more |= later.inbox_more;
        self.evicted += later.evicted;
        self.narrowed = later.narrowed.or(self.narrowed);
        self.erased += later.erased;
        self
    }
}

/// Why a pass stopped. What was done before it stays done.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SyncError {
    /// Wrong user name or password: nothing more is sent until it is entered again.
    #[error("the server refused the user name or password")]
    Unauthorized,
    /// The user is not a member of the database.
    #[error("this user may not use the database")]
    Forbidden,
    #[error("the server answered {0}")]
    Server(u16),
    #[error("the server's answer could not be read")]
    Garbled,
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("storing on this device failed: {0}")]
    Local(String),
    /// The app's own sync code could not be fetched (a split build, offline with an old cache
    /// or a newer version published): a reload gets it.
    #[error("the app's sync code could not be fetched")]
    Outdated,
}

/// Most tries in one pass at a document the server keeps finding in conflict.
const ROUNDS: usize = 4;
/// Documents sent in one `_bulk_docs` request.
pub const PUSH_BATCH: usize = 500;

/// One request, its answer read as JSON; the statuses that stop a pass become errors.
pub(crate) async fn call<T: Transport>(
    t: &T,
    r: &mut Report,
    request: Request,
) -> Result<Value, SyncError> {
    r.requests += 1;
    let response = t.send(request).await?;
    match response.status {
        200..=299 => serde_json::from_str(&response.body).map_err(|_| SyncError::Garbled),
        s => Err(SyncError::refused(s)),
    }
}

/// Runs one pass: push, pull (page by page), and push again what merging changed.
pub async fn sync<T: Transport, L: Local>(
    t: &T,
    local: &mut L,
    state: &mut SyncState,
    page: usize,
) -> Result<Report, SyncError> {
    let mut report = Report::default();
    push(t, local, state, &mut report).await?;
    pull(t, local, state, page.max(1), &mut report).await?;
    push(t, local, state, &mut report).await?;
    evict(local, state, &mut report)?;
    Ok(report)
}

/// Sends every pending record (or its deletion) with the revision it was based on; a conflict
/// fetches the server's copy, merges, and sends again.
async fn push<T: Transport, L: Local>(
    t: &T,
    local: &mut L,
    state: &mut SyncState,
    report: &mut Report,
) -> Result<(), SyncError> {
    // Refused (a validator, a size limit) or still conflicting after a few tries: left for the
    // next pass, so they never hold back the rest.
    let mut held: BTreeSet<String> = BTreeSet::new();
    let mut tries: Vec<(String, usize)> = Vec::new();
    loop {
        let batch: Vec<String> = state
            .pending
            .iter()
            .filter(|d| !held.contains(*d))
            .take(PUSH_BATCH)
            .cloned()
            .collect();
        let mut docs = Vec::new();
        for doc_id in &batch {
            let Some((kind, id)) = couch_doc::parse_doc_id(doc_id) else {
                state.pending.remove(doc_id);
                continue;
            };
            let rev = state.revs.get(doc_id).map(String::as_str);
            match (local.get(kind, id), rev) {
                (Some(record), rev) => docs.push(couch_doc::to_doc_text(&record, rev)),
                (None, Some(rev)) => docs.push(couch_doc::tombstone(kind, id, rev).to_string()),
                // Made and deleted here before the server ever had it.
                (None, None) => {
                    state.pending.remove(doc_id);
                }
            }
        }
        for (doc_id, revs) in std::mem::take(&mut state.losers) {
            for rev in revs {
                docs.push(json!({ "_id": doc_id, "_rev": rev, "_deleted": true }).to_string());
            }
        }
        if docs.is_empty() {
            return Ok(());
        }
        let rows = call(
            t,
            report,
            Request::post_text("_bulk_docs", format!("{{\"docs\":[{}]}}", docs.join(","))),
        )
        .await?;
        let rows = rows.as_array().ok_or(SyncError::Garbled)?;
        let mut conflicted = Vec::new();
        for row in rows {
            let Some(doc_id) = row["id"].as_str() else {
                continue;
            };
            match (row["rev"].as_str(), row["error"].as_str()) {
                (Some(rev), _) if state.pending.remove(doc_id) => {
                    report.sent += 1;
                    if local_has(local, doc_id) {
                        state.revs.insert(doc_id.to_owned(), rev.to_owned());
                    } else {
                        state.revs.remove(doc_id);
                    }
                }
                // A losing revision deleted.
                (Some(_), _) => {}
                (None, Some("conflict")) => {
                    let n = match tries.iter_mut().find(|(d, _)| d == doc_id) {
                        Some((_, n)) => n,
                        None => {
                            tries.push((doc_id.to_owned(), 0));
                            &mut tries.last_mut().expect("just pushed").1
                        }
                    };
                    *n += 1;
                    if *n < ROUNDS {
                        conflicted.push(doc_id.to_owned());
                    }
                }
                _ => {}
            }
        }
        // Whatever in this batch was neither accepted nor is being merged waits for next pass.
        for doc_id in batch {
            if state.pending.contains(&doc_id) && !conflicted.contains(&doc_id) {
                held.insert(doc_id);
            }
        }
        local.page_done(report);
        if conflicted.is_empty() {
            continue;
        }
        let fetched = call(
            t,
            report,
            Request::post(
                "_all_docs?include_docs=true",
                &json!({ "keys": conflicted }),
            ),
        )
        .await?;
        for row in fetched["rows"].as_array().ok_or(SyncError::Garbled)? {
            let Some(doc_id) = row["key"].as_str() else {
                continue;
            };
            let deleted_rev = row["value"]["deleted"]
                .as_bool()
                .unwrap_or(false)
                .then(|| row["value"]["rev"].as_str())
                .flatten();
            if let Some(rev) = deleted_rev {
                // Deleted on the server meanwhile; this device's copy stays and is sent again.
                state.revs.insert(doc_id.to_owned(), rev.to_owned());
                continue;
            }
            match couch_doc::from_doc(&row["doc"]) {
                Ok(FromServer::Record { record, rev }) => {
                    merge_in(local, state, *record, &rev, report)?;
                }
                Ok(FromServer::Deleted { rev, .. }) => {
                    state.revs.insert(doc_id.to_owned(), rev);
                }
                Err(problem) => {
                    // The server's copy is not usable: ours replaces it.
                    if let Some(rev) = row["value"]["rev"].as_str() {
                        state.revs.insert(doc_id.to_owned(), rev.to_owned());
                    }
                    local.set_aside(doc_id, &row["doc"], &problem);
                    report.set_aside.push((doc_id.to_owned(), problem));
                }
            }
        }
    }
}

fn local_has<L: Local>(local: &L, doc_id: &str) -> bool {
    couch_doc::parse_doc_id(doc_id).is_some_and(|(k, id)| local.has(k, id))
}

/// Takes the server's copy `server` at revision `rev` in: merged with this device's copy when
/// there is one, stored if that changes anything, and sent back when the merge differs from
/// what the server holds. Storage full narrows the window to make room; false when the record
/// then falls outside it and is not kept.
fn merge_in<L: Local>(
    local: &mut L,
    state: &mut SyncState,
    server: Record,
    rev: &str,
    report: &mut Report,
) -> Result<bool, SyncError> {
    let doc_id = couch_doc::doc_id(server.kind(), server.id());
    let mine = local.get(server.kind(), server.id());
    let merged = match &mine {
        Some(m) => converge(m, &server),
        None => server.clone(),
    };
    if mine.as_ref() != Some(&merged) {
        while let Err(e) = local.put(merged.clone()) {
            if !make_room(local, state, report)? {
                return Err(SyncError::Local(e));
            }
            if mine.is_none() && !local.span().keeps(&merged) {
                return Ok(false);
            }
        }
    }
    state.revs.insert(doc_id.clone(), rev.to_owned());
    if merged == server {
        state.pending.remove(&doc_id);
    } else {
        state.pending.insert(doc_id);
    }
    Ok(true)
}

/// Applies the server's changes since the checkpoint, a page at a time, moving the checkpoint
/// after each page. A change seen twice is applied twice to the same result. A device that
/// keeps a window first fetches the window (at its first pass, or when the window grew) and
/// then follows the changes from the point taken before it; a change to a record outside the
/// window is passed over.
async fn pull<T: Transport, L: Local>(
    t: &T,
    local: &mut L,
    state: &mut SyncState,
    page: usize,
    report: &mut Report,
) -> Result<(), SyncError> {
    let want = local.span();
    if state.checkpoint.is_none() {
        if !want.everything() {
            // The point taken before: whatever changes while the window is fetched comes after
            // it, and is followed.
            let info = call(t, report, Request::get("")).await?;
            let since = info.get("update_seq").cloned().ok_or(SyncError::Garbled)?;
            fetch_span(t, local, state, &want, page, report).await?;
            state.checkpoint = Some(since);
        }
        state.held = want;
    } else if !want.within(&state.held) {
        if want.everything() {
            // Every change from the start; what this device holds already is passed over.
            state.checkpoint = None;
        } else {
            fetch_span(t, local, state, &want, page, report).await?;
        }
        state.held = want;
    }
    loop {
        let since = match &state.checkpoint {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => "0".to_owned(),
        };
        let body = call(
            t,
            report,
            Request::get(format!(
                "_changes?include_docs=true&style=all_docs&conflicts=true&since={}&limit={page}",
                encode(&since)
            )),
        )
        .await?;
        let results = body["results"].as_array().ok_or(SyncError::Garbled)?;
        let span = local.span();
        for change in results {
            if let Some(doc_id) = change["id"].as_str() {
                apply(t, local, state, doc_id, &change["doc"], &span, report).await?;
            }
        }
        state.checkpoint = Some(body["last_seq"].clone());
        report.remaining = body["pending"].as_u64();
        local.page_done(report);
        room(local, state, report)?;
        if results.len() < page {
            return Ok(());
        }
    }
}

/// Fetches every document a window keeps, kind by kind, with CouchDB's `_find` (an index on the
/// cards' time and branch, made by the shop's setup, spares the server reading the rest).
async fn fetch_span<T: Transport, L: Local>(
    t: &T,
    local: &mut L,
    state: &mut SyncState,
    span: &Span,
    page: usize,
    report: &mut Report,
) -> Result<(), SyncError> {
    for selector in span.selectors() {
        // CouchDB pages by bookmark; a server without bookmarks (pouchdb-server) by `skip`.
        let (mut bookmark, mut skip) = (None::<String>, 0);
        loop {
            let mut ask = json!({ "selector": selector, "limit": page, "conflicts": true });
            if let Some(b) = &bookmark {
                ask["bookmark"] = json!(b);
            } else if skip > 0 {
                ask["skip"] = json!(skip);
            }
            let answer = call(t, report, Request::post("_find", &ask)).await?;
            let docs = answer["docs"].as_array().ok_or(SyncError::Garbled)?;
            let span = local.span();
            for doc in docs {
                if let Some(doc_id) = doc["_id"].as_str() {
                    apply(t, local, state, doc_id, doc, &span, report).await?;
                }
            }
            local.page_done(report);
            room(local, state, report)?;
            if docs.len() < page {
                break;
            }
            match answer["bookmark"].as_str() {
                Some(b) if !b.is_empty() && b != "nil" => bookmark = Some(b.to_owned()),
                _ => skip += docs.len(),
            }
        }
    }
    Ok(())
}

/// Applies one server document: merged in, deleted here, or set aside with why. A record the
/// window does not keep and this device does not hold is passed over.
async fn apply<T: Transport, L: Local>(
    t: &T,
    local: &mut L,
    state: &mut SyncState,
    doc_id: &str,
    doc: &Value,
    span: &Span,
    report: &mut Report,
) -> Result<(), SyncError> {
    // Design documents, and the shop's inbox keys: no record of the store.
    if doc_id.starts_with('_') || doc_id == super::inbox::KEYS_DOC {
        return Ok(());
    }
    match couch_doc::from_doc(doc) {
        Ok(FromServer::Record { record, rev }) => {
            if !span.keeps(&record) && !local.has(record.kind(), record.id()) {
                return Ok(());
            }
            // A document with conflicts: every losing revision joins the winner, the result is
            // sent, and the losers are deleted with it.
            let losers: Vec<String> = doc["_conflicts"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|r| r.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            // This device's own write coming back, or a change seen before.
            let known = state.revs.get(doc_id) == Some(&rev);
            if known && losers.is_empty() && !state.pending.contains(doc_id) {
                return Ok(());
            }
            let mut merged = *record;
            for loser in &losers {
                let path = format!("{}?rev={}", encode(doc_id), encode(loser));
                let doc = call(t, report, Request::get(path)).await?;
                if let Ok(FromServer::Record { record, .. }) = couch_doc::from_doc(&doc) {
                    merged = converge(&merged, &record);
                }
            }
            if !merge_in(local, state, merged, &rev, report)? {
                return Ok(());
            }
            if !losers.is_empty() {
                report.conflicts += 1;
                state.losers.push((doc_id.to_owned(), losers));
                state.pending.insert(doc_id.to_owned());
            }
            report.received += 1;
        }
        Ok(FromServer::Deleted { kind, id, .. }) => {
            if local.has(kind, id) {
                local.remove(kind, id).map_err(SyncError::Local)?;
                report.deleted += 1;
            }
            state.revs.remove(doc_id);
            state.pending.remove(doc_id);
        }
        Err(problem) => {
            local.set_aside(doc_id, doc, &problem);
            report.set_aside.push((doc_id.to_owned(), problem));
        }
    }
    Ok(())
}

/// Drops from this device the records its window does not keep, of those the server holds as
/// they are here: what waits to be sent stays until it is sent. No deletion is sent.
fn evict<L: Local>(
    local: &mut L,
    state: &mut SyncState,
    report: &mut Report,
) -> Result<(), SyncError> {
    let span = local.span();
    if span.everything() {
        return Ok(());
    }
    // What is fetched in full is now this window: a wider one is fetched again.
    if span.within(&state.held) {
        state.held = span.clone();
    }
    for (kind, id) in local.outside(&span) {
        let doc_id = couch_doc::doc_id(kind, id);
        if state.pending.contains(&doc_id) || !state.revs.contains_key(&doc_id) {
            continue;
        }
        if local.evict(kind, id).map_err(SyncError::Local)? {
            state.revs.remove(&doc_id);
            report.evicted += 1;
        }
    }
    Ok(())
}

/// While storage is nearly full, narrows the window to make room.
fn room<L: Local>(
    local: &mut L,
    state: &mut SyncState,
    report: &mut Report,
) -> Result<(), SyncError> {
    while local.nearly_full() {
        if !make_room(local, state, report)? {
            break;
        }
    }
    Ok(())
}

/// Narrows the window, oldest cards first: the oldest tenth of the cards the server holds as
/// they are here, by whole days (at least one day), leave this device. False when there is no
/// such card left to drop.
fn make_room<L: Local>(
    local: &mut L,
    state: &mut SyncState,
    report: &mut Report,
) -> Result<bool, SyncError> {
    let mut days: Vec<chrono::NaiveDate> = local
        .card_days()
        .into_iter()
        .filter(|&(_, id)| {
            let doc_id = couch_doc::doc_id(Kind::Card, id);
            state.revs.contains_key(&doc_id) && !state.pending.contains(&doc_id)
        })
        .map(|(day, _)| day)
        .collect();
    if days.is_empty() {
        return Ok(false);
    }
    days.sort_unstable();
    let cut = days[days.len() / 10];
    let floor = if cut == days[0] {
        cut.succ_opt().unwrap_or(cut)
    } else {
        cut
    };
    local.narrow_to(floor);
    report.narrowed = Some(floor);
    let before = report.evicted;
    evict(local, state, report)?;
    Ok(report.evicted > before)
}

/// Documents asked for at a time when erasing on the server.
const ERASE_PAGE: usize = 200;

/// Carries an erasure out on the server, beyond what this device holds: every document the
/// selectors find is checked with the erasure's own rule, erased and sent back at the revision
/// read. A record this device holds is left to its own copy, which carries the erasure already.
/// True when every document found was erased (none was in conflict or refused): the erasure
/// is done.
pub async fn erase_on_server<T: Transport, L: Local>(
    t: &T,
    local: &L,
    erasure: &crate::domain::erasure::Erasure,
    selectors: &[Value],
    now: chrono::DateTime<chrono::Utc>,
    report: &mut Report,
) -> Result<bool, SyncError> {
    let mut done = true;
    for selector in selectors {
        // Paged by id, so that documents erased (which the selector no longer finds) and
        // documents passed over (which it still does) move the page on alike.
        let mut after = String::new();
        loop {
            let ask = json!({
                "selector": { "$and": [selector, { "_id": { "$gt": after } }] },
                "sort": [{ "_id": "asc" }],
                "limit": ERASE_PAGE,
            });
            let answer = call(t, report, Request::post("_find", &ask)).await?;
            let docs = answer["docs"].as_array().ok_or(SyncError::Garbled)?;
            let mut writes = Vec::new();
            for doc in docs {
                let Some(id) = doc["_id"].as_str() else {
                    continue;
                };
                after = id.to_owned();
                if let Ok(FromServer::Record { record, rev }) = couch_doc::from_doc(doc) {
                    if local.has(record.kind(), record.id()) {
                        continue;
                    }
                    if let Some(clean) = erasure.apply(&record, now) {
                        writes.push(couch_doc::to_doc_text(&clean, Some(&rev)));
                    }
                }
            }
            // Changed meanwhile or refused: the next pass tries again.
            let (written, all) = write_all(t, report, &writes).await?;
            report.erased += written;
            done &= all;
            if docs.len() < ERASE_PAGE {
                break;
            }
        }
    }
    Ok(done)
}

/// Writes documents (JSON text) in one `_bulk_docs`: how many were written, and whether all.
async fn write_all<T: Transport>(
    t: &T,
    report: &mut Report,
    docs: &[String],
) -> Result<(usize, bool), SyncError> {
    if docs.is_empty() {
        return Ok((0, true));
    }
    let body = format!("{{\"docs\":[{}]}}", docs.join(","));
    let rows = call(t, report, Request::post_text("_bulk_docs", body)).await?;
    let rows = rows.as_array().ok_or(SyncError::Garbled)?;
    let written = rows.iter().filter(|r| r["ok"] == json!(true)).count();
    Ok((written, written == rows.len()))
}

/// Deletes every record of the shop on the server, those no device keeps included: "delete all
/// data on every device" reaches the whole history, not only what this device held. Paged by
/// id; a document changed meanwhile is in conflict and is left for the next pass (false).
pub async fn delete_all_on_server<T: Transport>(
    t: &T,
    report: &mut Report,
) -> Result<bool, SyncError> {
    let mut done = true;
    let mut after: Option<String> = None;
    loop {
        let mut path = format!("_all_docs?limit={PUSH_BATCH}");
        if let Some(a) = &after {
            // Just after the last id seen (`_all_docs` sorts ids byte by byte), whether that
            // document is gone now or was left.
            let key = Value::from(format!("{a}\u{0}")).to_string();
            path.push_str(&format!("&startkey={}", encode(&key)));
        }
        let page = call(t, report, Request::get(path)).await?;
        let rows = page["rows"].as_array().ok_or(SyncError::Garbled)?;
        let docs: Vec<String> = rows
            .iter()
            .filter_map(|r| {
                let id = r["id"].as_str()?;
                let rev = r["value"]["rev"].as_str()?;
                let (kind, uuid) = couch_doc::parse_doc_id(id)?;
                Some(couch_doc::tombstone(kind, uuid, rev).to_string())
            })
            .collect();
        after = rows
            .last()
            .and_then(|r| r["id"].as_str())
            .map(str::to_owned);
        let (written, all) = write_all(t, report, &docs).await?;
        report.deleted += written;
        done &= all;
        if rows.len() < PUSH_BATCH {
            return Ok(done);
        }
    }
}

/// How many documents the shop's database holds.
pub async fn server_docs<T: Transport>(t: &T, report: &mut Report) -> Result<u64, SyncError> {
    let info = call(t, report, Request::get("")).await?;
    info["doc_count"].as_u64().ok_or(SyncError::Garbled)
}

/// Checks the server holds every record this device holds, and marks what it lacks to be sent
/// again: a server restored from an older backup, or a lost database, is filled again.
pub async fn verify<T: Transport, L: Local>(
    t: &T,
    local: &L,
    state: &mut SyncState,
) -> Result<Report, SyncError> {
    let mut report = Report::default();
    let keys: Vec<String> = local
        .ids()
        .into_iter()
        .map(|(k, id)| couch_doc::doc_id(k, id))
        .collect();
    for chunk in keys.chunks(500) {
        let body = call(
            t,
            &mut report,
            Request::post("_all_docs", &json!({ "keys": chunk })),
        )
        .await?;
        for row in body["rows"].as_array().ok_or(SyncError::Garbled)? {
            let Some(doc_id) = row["key"].as_str() else {
                continue;
            };
            let missing = row["error"].as_str() == Some("not_found")
                || row["value"]["deleted"].as_bool() == Some(true);
            let server_rev = row["value"]["rev"].as_str();
            if missing {
                match server_rev {
                    Some(rev) => state.revs.insert(doc_id.to_owned(), rev.to_owned()),
                    None => state.revs.remove(doc_id),
                };
                state.pending.insert(doc_id.to_owned());
            } else if state.revs.get(doc_id).map(String::as_str) != server_rev {
                // Another revision than the one this copy is based on: the next pull and push
                // settle it; until then the copy is sent against the server's revision.
                if let Some(rev) = server_rev {
                    state.revs.insert(doc_id.to_owned(), rev.to_owned());
                }
                state.pending.insert(doc_id.to_owned());
            }
        }
    }
    Ok(report)
}

/// Percent-encodes a value for a query string or a path segment.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::{
            card::{Answer, Card},
            feedback::{testing::complaint_at, FeedbackItem, Status},
            sla::testing::tehran_week,
            template::DEFAULT_TEMPLATE_ID,
            Meta,
        },
        sync::{fake::Fake, transport::block_on},
    };
    use chrono::{DateTime, TimeZone, Utc};

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 9, minute, 0).unwrap()
    }

    fn card(minute: u32, rating: u8) -> Record {
        Record::Card(Card {
            meta: Meta::new(at(minute)),
            template: DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: "en".into(),
            branch: "Tajrish".into(),
            touchpoint: "kiosk".into(),
            answers: [("overall".to_owned(), Answer::Rating(rating))].into(),
        })
    }

    fn complaint() -> FeedbackItem {
        complaint_at(at(0))
    }

    /// A device: its records and what sync keeps for it.
    #[derive(Default)]
    struct Device {
        data: Dataset,
        state: SyncState,
    }

    impl Device {
        fn save(&mut self, r: Record) {
            self.state.changed(r.kind(), r.id());
            self.data.upsert(r);
        }

        fn delete(&mut self, kind: Kind, id: Uuid) {
            self.state.changed(kind, id);
            self.data.remove(kind, id);
        }

        fn sync(&mut self, server: &Fake) -> Result<Report, SyncError> {
            block_on(sync(server, &mut self.data, &mut self.state, 10))
        }
    }

    #[test]
    fn two_devices_converge_after_edits_apart_deletions_and_an_erasure() {
        let server = Fake::default();
        let (mut kiosk, mut laptop) = (Device::default(), Device::default());
        let (c1, c2) = (card(1, 5), card(2, 1));
        let item = complaint();
        kiosk.save(c1.clone());
        kiosk.save(c2.clone());
        laptop.save(Record::Feedback(item.clone()));
        kiosk.sync(&server).unwrap();
        laptop.sync(&server).unwrap();
        kiosk.sync(&server).unwrap();
        assert_eq!(kiosk.data.records(), laptop.data.records());
        assert_eq!(laptop.data.count(Kind::Card), 2);

        // Apart: both change the complaint, the kiosk deletes a card, the laptop erases the
        // other card's contact (an edit).
        let cal = tehran_week();
        let mut on_kiosk = item.clone();
        on_kiosk
            .set_status(Status::InProgress, "Reza", at(10), &cal, 3)
            .unwrap();
        on_kiosk.meta.touch(at(10));
        kiosk.save(Record::Feedback(on_kiosk));
        kiosk.delete(Kind::Card, c2.id());
        let mut on_laptop = item.clone();
        on_laptop.write("", "Called the kitchen", "Mina", at(12));
        on_laptop.meta.touch(at(12));
        laptop.save(Record::Feedback(on_laptop));
        let Record::Card(mut erased) = c1.clone() else {
            unreachable!()
        };
        erased.branch = String::new();
        erased.meta.touch(at(13));
        laptop.save(Record::Card(erased));

        kiosk.sync(&server).unwrap();
        laptop.sync(&server).unwrap();
        kiosk.sync(&server).unwrap();
        assert_eq!(kiosk.data.records(), laptop.data.records());
        assert_eq!(kiosk.data.count(Kind::Card), 1);
        let Some(Record::Feedback(f)) = kiosk.data.get(Kind::Feedback, item.meta.id) else {
            panic!("the complaint is on both devices")
        };
        // The laptop's later edit wins the fields; both devices' lines are in the history.
        assert_eq!(f.notes, "Called the kitchen");
        assert!(f.history.iter().any(|h| h.by == "Reza"));
        assert!(f.history.iter().any(|h| h.by == "Mina"));
        assert_eq!(server.conflicts(), 0);
        assert!(kiosk.state.pending.is_empty() && laptop.state.pending.is_empty());
    }

    #[test]
    fn replayed_changes_and_a_lost_checkpoint_cause_no_duplicates_and_no_writes() {
        let server = Fake::default();
        let mut a = Device::default();
        for i in 0..25 {
            a.save(card(i, 4));
        }
        a.sync(&server).unwrap();
        let mut b = Device::default();
        let first = b.sync(&server).unwrap();
        assert_eq!(first.received, 25);
        // Paged: 25 changes in pages of 10 is three pages.
        assert!(first.requests >= 3);
        let before = b.data.records();
        b.state.checkpoint = None;
        let again = b.sync(&server).unwrap();
        assert_eq!(b.data.records(), before);
        assert_eq!(again.sent, 0);
        assert!(b.state.pending.is_empty());
        assert_eq!(server.ids().len(), 25);
    }

    #[test]
    fn a_server_restored_empty_is_filled_again_by_the_verify_pass() {
        let server = Fake::default();
        let mut a = Device::default();
        for i in 0..3 {
            a.save(card(i, 3));
        }
        a.sync(&server).unwrap();
        server.wipe();
        // The checkpoint says all is sent: only the verify pass finds what the server lacks.
        assert_eq!(a.sync(&server).unwrap().sent, 0);
        block_on(verify(&server, &a.data, &mut a.state)).unwrap();
        assert_eq!(a.sync(&server).unwrap().sent, 3);
        assert_eq!(server.ids().len(), 3);
    }

    #[test]
    fn hostile_or_broken_server_documents_are_set_aside_and_the_rest_applied() {
        let server = Fake::default();
        let good = card(1, 5);
        let mut a = Device::default();
        a.save(good.clone());
        a.sync(&server).unwrap();
        let id = Uuid::from_u128(99);
        server.plant(
            &format!("card-{id}"),
            serde_json::json!({ "answers": "<script>alert(1)</script>" }),
        );
        server.plant("settings-not-a-uuid", serde_json::json!({ "x": 1 }));
        let mut b = Device::default();
        let report = b.sync(&server).unwrap();
        assert_eq!(report.set_aside.len(), 2);
        assert_eq!(b.data.records(), vec![good]);
    }

    #[test]
    fn a_conflict_left_on_the_server_is_merged_and_its_losing_revision_deleted() {
        let server = Fake::default();
        let item = complaint();
        let mut a = Device::default();
        a.save(Record::Feedback(item.clone()));
        a.sync(&server).unwrap();
        // A third client wrote another revision while apart.
        let mut other = item.clone();
        other.assign("Ali", "Ali", at(20));
        other.meta.touch(at(20));
        let doc_id = couch_doc::doc_id(Kind::Feedback, item.meta.id);
        server.conflict(&doc_id, couch_doc::to_doc(&Record::Feedback(other), None));
        assert_eq!(server.conflicts(), 1);
        let report = a.sync(&server).unwrap();
        assert_eq!(report.conflicts, 1);
        assert_eq!(server.conflicts(), 0);
        let Some(Record::Feedback(f)) = a.data.get(Kind::Feedback, item.meta.id) else {
            panic!("the item stays")
        };
        assert_eq!(f.assignee, "Ali");
        // The server holds the merged winner.
        assert_eq!(server.doc(&doc_id).unwrap()["assignee"], "Ali");
    }

    #[test]
    fn a_cut_network_or_a_refused_password_stops_the_pass_and_the_next_finishes_it() {
        let server = Fake::default();
        let mut a = Device::default();
        a.save(card(1, 2));
        server.offline.set(true);
        assert!(matches!(a.sync(&server), Err(SyncError::Transport(_))));
        assert_eq!(a.state.pending.len(), 1);
        server.offline.set(false);
        server.refuse.set(Some(401));
        assert_eq!(a.sync(&server), Err(SyncError::Unauthorized));
        server.refuse.set(None);
        assert_eq!(a.sync(&server).unwrap().sent, 1);
        assert!(a.state.pending.is_empty());
        assert_eq!(server.ids().len(), 1);
    }

    #[test]
    fn a_large_first_push_goes_in_batches_and_a_refused_record_holds_nothing_back() {
        let server = Fake::default();
        let mut a = Device::default();
        let cards: Vec<Record> = (0..1_200).map(|i| card(i % 60, 3)).collect();
        for c in &cards {
            a.save(c.clone());
        }
        let refused = couch_doc::doc_id(Kind::Card, cards[0].id());
        server.forbid.borrow_mut().insert(refused.clone());
        let report = block_on(sync(&server, &mut a.data, &mut a.state, 1_000)).unwrap();
        assert_eq!(report.sent, 1_199);
        assert_eq!(server.ids().len(), 1_199);
        // Three batches of at most 500, two pages of changes, one more try at the refused one.
        assert_eq!(report.requests, 3 + 2 + 1);
        // The refused record stays waiting on this device; once allowed, it goes.
        assert_eq!(a.state.pending.iter().collect::<Vec<_>>(), vec![&refused]);
        server.forbid.borrow_mut().clear();
        assert_eq!(a.sync(&server).unwrap().sent, 1);
        assert!(a.state.pending.is_empty());
    }

    /// A device that keeps a window, with room for `capacity` records at most.
    struct Windowed {
        data: Dataset,
        state: SyncState,
        window: crate::domain::window::Window,
        today: chrono::NaiveDate,
        capacity: usize,
    }

    impl Windowed {
        fn new(window: crate::domain::window::Window) -> Self {
            Windowed {
                data: Dataset::default(),
                state: SyncState::default(),
                window,
                today: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
                capacity: usize::MAX,
            }
        }

        fn sync(&mut self, server: &Fake) -> Result<Report, SyncError> {
            let mut state = std::mem::take(&mut self.state);
            let r = block_on(sync(server, self, &mut state, 100));
            self.state = state;
            r
        }
    }

    impl Local for Windowed {
        fn get(&self, kind: Kind, id: Uuid) -> Option<Record> {
            self.data.get(kind, id)
        }
        fn put(&mut self, record: Record) -> Result<(), String> {
            if self.data.len() >= self.capacity && !self.data.has(record.kind(), record.id()) {
                return Err("full".into());
            }
            self.data.upsert(record);
            Ok(())
        }
        fn remove(&mut self, kind: Kind, id: Uuid) -> Result<(), String> {
            self.data.remove(kind, id);
            Ok(())
        }
        fn ids(&self) -> Vec<(Kind, Uuid)> {
            Local::ids(&self.data)
        }
        fn span(&self) -> Span {
            self.window.span(self.today)
        }
        fn outside(&self, span: &Span) -> Vec<(Kind, Uuid)> {
            self.data.outside(span)
        }
        fn nearly_full(&mut self) -> bool {
            self.capacity != usize::MAX && self.data.len() * 10 >= self.capacity * 9
        }
        fn card_days(&self) -> Vec<(chrono::NaiveDate, Uuid)> {
            Local::card_days(&self.data)
        }
        fn narrow_to(&mut self, day: chrono::NaiveDate) {
            self.window.floor = self.window.floor.max(Some(day));
        }
    }

    /// A card on the `back`th day before 7 December 2026, at a branch.
    fn card_back(back: u64, branch: &str, rating: u8) -> Record {
        let day = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap() - chrono::Days::new(back);
        let Record::Card(mut c) = card(0, rating) else {
            unreachable!()
        };
        c.meta = crate::domain::Meta::new(day);
        c.branch = branch.into();
        Record::Card(c)
    }

    /// A shop's server after three years at two branches: a card a day at each, a closed
    /// complaint from long ago and an open one, and the settings.
    fn three_years() -> (Fake, Vec<Record>) {
        let server = Fake::default();
        let mut shop = Device::default();
        let mut all = Vec::new();
        for back in 0..1_095 {
            for branch in ["Tajrish", "Vanak"] {
                all.push(card_back(back, branch, (back % 5 + 1) as u8));
            }
        }
        let old = Utc.with_ymd_and_hms(2024, 2, 1, 9, 0, 0).unwrap();
        let mut closed = complaint_at(old);
        closed.status = Status::Closed;
        all.push(Record::Feedback(closed));
        all.push(Record::Feedback(complaint_at(old)));
        for r in &all {
            shop.save(r.clone());
        }
        shop.sync(&server).unwrap();
        (server, all)
    }

    fn ninety_days_of(branch: &str) -> crate::domain::window::Window {
        crate::domain::window::Window {
            days: Some(90),
            branch: Some(branch.into()),
            floor: None,
        }
    }

    #[test]
    fn a_new_device_fetches_only_its_window_then_follows_the_changes() {
        let (server, mut all) = three_years();
        for bookmarks in [false, true] {
            server.bookmarks.set(bookmarks);
            let mut d = Windowed::new(ninety_days_of("Vanak"));
            let (requests, bytes) = (server.requests.get(), server.bytes.get());
            d.sync(&server).unwrap();
            let span = d.span();
            let expected: Vec<Record> = all.iter().filter(|r| span.keeps(r)).cloned().collect();
            // 91 days of one branch, and the open complaint: the closed one from 2024 is not kept
            // (and the second time, the card the first time added).
            assert_eq!(expected.len(), 92 + usize::from(bookmarks));
            let mut held: Vec<Uuid> = d.data.records().iter().map(Record::id).collect();
            let mut want: Vec<Uuid> = expected.iter().map(Record::id).collect();
            held.sort();
            want.sort();
            let missing: Vec<_> = expected
                .iter()
                .filter(|r| !held.contains(&r.id()))
                .map(|r| r.kind())
                .collect();
            assert_eq!(held.len(), want.len(), "{missing:?}");
            assert!(held == want, "the window and nothing else");
            // A fraction of the whole history's bytes, in a handful of requests.
            let (requests, bytes) = (server.requests.get() - requests, server.bytes.get() - bytes);
            assert!(requests <= 12, "{requests} requests");
            let whole: usize = all
                .iter()
                .map(|r| couch_doc::to_doc_text(r, None).len())
                .sum();
            assert!(bytes * 10 < whole, "{bytes} bytes of {whole}");

            // Changes after the point taken before the window are followed; a change outside it
            // (an old card edited elsewhere) is passed over.
            let mut shop = Device::default();
            let (new, other_branch) = (card_back(0, "Vanak", 5), card_back(0, "Tajrish", 1));
            let Record::Card(mut old) = all[2_000].clone() else {
                unreachable!()
            };
            old.branch = "Vanak".into();
            old.meta.touch(Utc::now());
            shop.save(new.clone());
            shop.save(other_branch.clone());
            shop.state.revs.insert(
                couch_doc::doc_id(Kind::Card, old.meta.id),
                server
                    .doc(&couch_doc::doc_id(Kind::Card, old.meta.id))
                    .unwrap()["_rev"]
                    .as_str()
                    .unwrap()
                    .into(),
            );
            shop.save(Record::Card(old.clone()));
            shop.sync(&server).unwrap();
            let report = d.sync(&server).unwrap();
            assert!(d.data.has(Kind::Card, new.id()));
            assert!(!d.data.has(Kind::Card, other_branch.id()));
            assert!(!d.data.has(Kind::Card, old.meta.id));
            assert_eq!(report.sent, 0);
            all.extend([new, other_branch]);
        }
    }

    #[test]
    fn leaving_the_window_deletes_nothing_and_what_waits_to_be_sent_stays() {
        let (server, all) = three_years();
        let mut d = Windowed::new(crate::domain::window::Window::default());
        d.sync(&server).unwrap();
        assert_eq!(d.data.len(), all.len());
        let on_server = server.ids().len();
        // An old card erased here and not yet sent, then the window narrowed to 30 days.
        let Record::Card(mut erased) = all[2_100].clone() else {
            unreachable!()
        };
        erased.branch = String::new();
        erased.meta.touch(Utc::now());
        d.data.upsert(Record::Card(erased.clone()));
        d.state.changed(Kind::Card, erased.meta.id);
        d.window.days = Some(30);
        let report = d.sync(&server).unwrap();
        // The erasure went, then the card left this device; nothing was deleted anywhere.
        assert_eq!(report.sent, 1);
        assert_eq!(server.ids().len(), on_server);
        assert_eq!(
            server
                .doc(&couch_doc::doc_id(Kind::Card, erased.meta.id))
                .unwrap()["branch"],
            ""
        );
        assert!(!d.data.has(Kind::Card, erased.meta.id));
        assert_eq!(d.data.count(Kind::Card), 62);
        // Everything but the 62 cards and the open complaint: the erased card too, once sent.
        assert_eq!(report.evicted, all.len() - 62 - 1);
        assert!(d.state.pending.is_empty());
        assert!(!d
            .state
            .revs
            .contains_key(&couch_doc::doc_id(Kind::Card, erased.meta.id)));
        // Another device still gets everything.
        let mut other = Device::default();
        other.sync(&server).unwrap();
        assert_eq!(other.data.len(), all.len());
        // Widened again to a year: the days it lacks are fetched, and only those it lacks.
        d.window.days = Some(365);
        let before = server.bytes.get();
        d.sync(&server).unwrap();
        assert_eq!(d.data.count(Kind::Card), 2 * 366);
        assert!(server.bytes.get() - before < 2 * 366 * 600);
        // And to everything: every change from the start.
        d.window.days = None;
        d.sync(&server).unwrap();
        assert_eq!(d.data.len(), all.len());
    }

    #[test]
    fn a_device_whose_storage_fills_narrows_its_window_and_the_pass_completes() {
        let (server, all) = three_years();
        let mut d = Windowed::new(crate::domain::window::Window::default());
        d.capacity = 500;
        let report = d.sync(&server).unwrap();
        let floor = d.window.floor.expect("the window narrowed");
        assert_eq!(report.narrowed, Some(floor));
        assert!(d.data.len() <= 500);
        // The newest cards are the ones kept, every one from the floor on.
        let kept = all
            .iter()
            .filter(|r| matches!(r, Record::Card(c) if c.meta.created.date_naive() >= floor))
            .count();
        assert_eq!(d.data.count(Kind::Card), kept);
        assert!(d.data.has(Kind::Card, all[0].id()));
        // The server lost nothing, and the next pass runs clean.
        assert_eq!(server.ids().len(), all.len());
        let again = d.sync(&server).unwrap();
        assert_eq!((again.sent, again.evicted), (0, 0));
    }

    #[test]
    fn an_erasure_reaches_cards_and_items_outside_every_window_on_the_server() {
        use crate::domain::{card::Contact, erasure::Erasure, template::CardTemplate};
        let (server, _) = three_years();
        let contact = |value: &str| {
            Answer::Contact(Contact {
                value: value.into(),
                consent: true,
            })
        };
        // Sara's card from three years ago, written with Persian digits, and her complaint; a
        // stranger whose number ends alike; Sara's card of today.
        let mut shop = Device::default();
        let mut old = card_back(1_094, "Vanak", 1);
        let mut stranger = card_back(1_000, "Vanak", 2);
        let mut today = card_back(0, "Vanak", 1);
        for (r, v) in [
            (&mut old, "۰۹۱۲ ۳۴۵ ۶۷۸۹"),
            (&mut stranger, "+44 7912 345 6789"),
            (&mut today, "09123456789"),
        ] {
            if let Record::Card(c) = r {
                c.answers.insert("contact".into(), contact(v));
            }
            shop.save(r.clone());
        }
        let mut item = complaint_at(Utc.with_ymd_and_hms(2024, 1, 10, 9, 0, 0).unwrap());
        item.status = Status::Closed;
        item.customer = "Sara".into();
        item.contact = Some(Contact {
            value: "+98 912 345 6789".into(),
            consent: true,
        });
        shop.save(Record::Feedback(item.clone()));
        shop.sync(&server).unwrap();

        let mut d = Windowed::new(ninety_days_of("Vanak"));
        d.sync(&server).unwrap();
        assert!(d.data.has(Kind::Card, today.id()));
        assert!(!d.data.has(Kind::Card, old.id()) && !d.data.has(Kind::Feedback, item.meta.id));
        let templates = vec![CardTemplate::default_card(
            crate::domain::Meta::new(Utc::now()),
            &|k| crate::domain::text::Bilingual::new(k, k),
        )];
        let erasure = Erasure::Customer {
            contacts: vec!["0912 345 6789".into()],
        };
        // One run of an erasure on the server: whether it is done, and what it did.
        let run = |erasure: &Erasure| {
            let mut report = Report::default();
            let done = block_on(erase_on_server(
                &server,
                &d,
                erasure,
                &erasure.selectors(&templates),
                Utc::now(),
                &mut report,
            ))
            .unwrap();
            (done, report)
        };
        let (done, report) = run(&erasure);
        assert!(done);
        // The old card and the item, not the stranger's card, nor today's (this device's own
        // copy carries its erasure).
        assert_eq!(report.erased, 2);
        let on_server = |r: &Record| server.doc(&couch_doc::doc_id(r.kind(), r.id())).unwrap();
        let old_doc = on_server(&old).to_string();
        assert!(!old_doc.contains("۳۴۵") && old_doc.contains("\"overall\""));
        let item_doc = on_server(&Record::Feedback(item));
        assert_eq!(item_doc["customer"], "");
        assert!(item_doc["contact"].is_null());
        assert!(on_server(&stranger).to_string().contains("+44"));
        // Done once: a second run finds nothing left to erase.
        assert_eq!(run(&erasure).1.erased, 0);

        // The retention rule, two years: the stranger's old card loses its contact too.
        let before = Utc::now() - chrono::Duration::days(730);
        let retention = Erasure::Retention { before };
        assert_eq!(run(&retention).1.erased, 1);
        assert!(!on_server(&stranger).to_string().contains("+44"));
    }

    #[test]
    fn deleting_everything_on_every_device_reaches_what_no_device_keeps() {
        let (server, _) = three_years();
        server.plant("_design/listening-post-figures", json!({ "views": {} }));
        let mut report = Report::default();
        assert!(block_on(delete_all_on_server(&server, &mut report)).unwrap());
        assert_eq!(
            server.ids(),
            vec!["_design/listening-post-figures".to_owned()]
        );
        assert_eq!(report.deleted, 2 * 1_095 + 2);
    }
}
