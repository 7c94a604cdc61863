//! What this device knows of the server, one entry per record: the server revision the record
//! was last in step at, and its `updated` then. Kept a key per record, so a sync writes only the
//! entries it changes, and nothing is written at a save: what waits to be sent is worked out
//! from the ledger when a pass starts (every record changed since it was in step, every record
//! deleted here since), whatever changed it (a form, an import, the retention rule).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::engine::SyncState;
use uuid::Uuid;

use crate::domain::{couch_doc, Dataset, Kind};

/// One record's entry: in step with the server at revision `rev`, when its `updated` was this.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InStep {
    pub rev: String,
    pub updated: DateTime<Utc>,
}

impl InStep {
    /// The entry as stored: the revision, a space, the time in microseconds since 1970 (short,
    /// as a key per record must be, and read back exactly).
    pub fn encode(&self) -> String {
        format!("{} {}", self.rev, self.updated.timestamp_micros())
    }

    /// Reads an entry back; anything else is no entry (the record is then sent again, which is
    /// safe: the server answers a conflict and the copies are merged).
    pub fn decode(text: &str) -> Option<InStep> {
        let (rev, micros) = text.split_once(' ')?;
        let updated = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
        (!rev.is_empty()).then(|| InStep {
            rev: rev.to_owned(),
            updated,
        })
    }
}

/// The ledger: entries by document id.
pub type Ledger = BTreeMap<String, InStep>;

/// The state a pass starts from: the revisions the ledger knows, and as waiting every record
/// that changed or was deleted since it was in step. `entries` hands over the ledger's entries
/// one at a time, so no copy of the whole ledger is held beside the revisions; the records are
/// read in place.
pub fn start(
    local: &Dataset,
    entries: impl FnOnce(&mut dyn FnMut(Kind, Uuid, InStep)),
) -> SyncState {
    let mut state = SyncState::default();
    entries(&mut |kind, id, entry| {
        let doc_id = couch_doc::doc_id(kind, id);
        // Changed here since (or deleted here: no record, so no time to match).
        if local.updated(kind, id) != Some(entry.updated) {
            state.pending.insert(doc_id.clone());
        }
        state.revs.insert(doc_id, entry.rev);
    });
    // Never in step: no entry at all.
    for (kind, id, _) in local.stamps() {
        let doc_id = couch_doc::doc_id(kind, id);
        if !state.revs.contains_key(&doc_id) {
            state.pending.insert(doc_id);
        }
    }
    state
}

/// How many records [`start`] would find waiting, counted without building its state.
pub fn waiting(local: &Dataset, entries: impl FnOnce(&mut dyn FnMut(Kind, Uuid, InStep))) -> usize {
    let (mut pending, mut with_entry) = (0, 0);
    entries(&mut |kind, id, entry| match local.updated(kind, id) {
        Some(at) => {
            with_entry += 1;
            pending += usize::from(at != entry.updated);
        }
        None => pending += 1,
    });
    // Each key names one record (`codec::parse_key`), so no record is counted twice.
    pending + local.stamps().count().saturating_sub(with_entry)
}

/// The entry a document has after a pass: one for every document whose server revision is
/// known. It carries the record's `updated` when the record is here and in step; otherwise
/// (changed here, or deleted here, and not yet sent) the epoch, which no record has, so the
/// next pass sends it, based on that revision.
fn entry(state: &SyncState, doc_id: &str, updated: Option<DateTime<Utc>>) -> Option<InStep> {
    let rev = state.revs.get(doc_id)?.clone();
    let updated = match updated {
        Some(at) if !state.pending.contains(doc_id) => at,
        _ => DateTime::<Utc>::UNIX_EPOCH,
    };
    Some(InStep { rev, updated })
}

/// Every entry of the ledger after a pass (see [`entry`]), with its record's kind and id, read
/// in place: the records here, then the documents deleted here and not yet sent.
pub fn entries<'a>(
    state: &'a SyncState,
    local: &'a Dataset,
) -> impl Iterator<Item = (Kind, Uuid, InStep)> + 'a {
    let here = local.stamps().filter_map(move |(kind, id, updated)| {
        entry(state, &couch_doc::doc_id(kind, id), Some(updated)).map(|e| (kind, id, e))
    });
    let gone = state.revs.keys().filter_map(move |doc_id| {
        let (kind, id) = couch_doc::parse_doc_id(doc_id)?;
        if local.has(kind, id) {
            return None;
        }
        entry(state, doc_id, None).map(|e| (kind, id, e))
    });
    here.chain(gone)
}

/// The ledger after a pass, as one map.
#[cfg(test)]
pub fn after(state: &SyncState, local: &Dataset) -> Ledger {
    let mut ledger = Ledger::new();
    for (kind, id, e) in entries(state, local) {
        ledger.insert(couch_doc::doc_id(kind, id), e);
    }
    ledger
}

/// What to write to bring the stored ledger `old` to `new`: entries to set, and ids to remove.
#[cfg(test)]
pub fn changes(old: &Ledger, new: &Ledger) -> (Vec<(String, String)>, Vec<String>) {
    let set = new
        .iter()
        .filter(|(id, e)| old.get(*id) != Some(e))
        .map(|(id, e)| (id.clone(), e.encode()))
        .collect();
    let removed = old
        .keys()
        .filter(|id| !new.contains_key(*id))
        .cloned()
        .collect();
    (set, removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::{
            card::{Answer, Card},
            template::DEFAULT_TEMPLATE_ID,
            Kind, Meta, Record,
        },
        sync::{engine::sync, fake::Fake, transport::block_on},
    };
    use chrono::TimeZone;

    /// [`start`] from a ledger held as a map.
    fn begin(ledger: &Ledger, local: &Dataset) -> SyncState {
        let state = start(local, each(ledger));
        assert_eq!(waiting(local, each(ledger)), state.pending.len());
        state
    }

    fn each(ledger: &Ledger) -> impl FnOnce(&mut dyn FnMut(Kind, Uuid, InStep)) + '_ {
        move |f| {
            for (doc_id, e) in ledger {
                let (kind, id) = couch_doc::parse_doc_id(doc_id).unwrap();
                f(kind, id, e.clone());
            }
        }
    }

    fn card(minute: u32) -> Record {
        Record::Card(Card {
            meta: Meta::new(Utc.with_ymd_and_hms(2026, 11, 24, 9, minute, 0).unwrap()),
            template: DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: "en".into(),
            branch: String::new(),
            touchpoint: "website".into(),
            answers: [("overall".to_owned(), Answer::Rating(3))].into(),
        })
    }

    #[test]
    fn an_entry_reads_back_and_a_damaged_one_is_no_entry() {
        let e = InStep {
            rev: "3-abc".into(),
            updated: Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap(),
        };
        assert_eq!(InStep::decode(&e.encode()), Some(e.clone()));
        assert_eq!(e.encode(), "3-abc 1795510800000000");
        assert_eq!(InStep::decode("3-abc"), None);
        assert_eq!(InStep::decode(" 1795510800000000"), None);
        assert_eq!(InStep::decode("3-abc 2026-11-24T09:00:00+00:00"), None);
    }

    #[test]
    fn what_waits_is_what_changed_or_was_deleted_since_the_last_pass() {
        let server = Fake::default();
        let mut data = Dataset::default();
        let (a, b, c) = (card(1), card(2), card(3));
        for r in [&a, &b, &c] {
            data.upsert(r.clone());
        }
        // A first pass: everything waits, then nothing does.
        let mut state = begin(&Ledger::new(), &data);
        assert_eq!(state.pending.len(), 3);
        block_on(sync(&server, &mut data, &mut state, 100)).unwrap();
        let ledger = after(&state, &data);
        assert_eq!(ledger.len(), 3);
        assert!(begin(&ledger, &data).pending.is_empty());

        // One edited (an import, a form, retention: whatever did it), one deleted.
        let Record::Card(mut edited) = b.clone() else {
            unreachable!()
        };
        edited.branch = "Vanak".into();
        edited
            .meta
            .touch(Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap());
        data.upsert(Record::Card(edited));
        data.remove(Kind::Card, c.id());
        let mut state = begin(&ledger, &data);
        let waiting: Vec<String> = state.pending.iter().cloned().collect();
        let mut expected = vec![
            couch_doc::doc_id(Kind::Card, b.id()),
            couch_doc::doc_id(Kind::Card, c.id()),
        ];
        expected.sort();
        assert_eq!(waiting, expected);
        let report = block_on(sync(&server, &mut data, &mut state, 100)).unwrap();
        assert_eq!(report.sent, 2);
        assert_eq!(server.ids().len(), 2);
        let next = after(&state, &data);
        // Only the edited entry and the deleted one change in storage.
        let (set, removed) = changes(&ledger, &next);
        assert_eq!(set.len(), 1);
        assert_eq!(removed, vec![couch_doc::doc_id(Kind::Card, c.id())]);
    }

    #[test]
    fn a_deletion_the_server_has_not_taken_yet_still_waits_after_the_pass() {
        let server = Fake::default();
        let mut data = Dataset::default();
        let a = card(1);
        data.upsert(a.clone());
        let mut state = begin(&Ledger::new(), &data);
        block_on(sync(&server, &mut data, &mut state, 100)).unwrap();
        let ledger = after(&state, &data);

        // Deleted here while the server cannot be reached.
        data.remove(Kind::Card, a.id());
        let mut state = begin(&ledger, &data);
        server.offline.set(true);
        assert!(block_on(sync(&server, &mut data, &mut state, 100)).is_err());
        let ledger = after(&state, &data);
        assert_eq!(
            begin(&ledger, &data).pending.len(),
            1,
            "the deletion still waits"
        );

        server.offline.set(false);
        let mut state = begin(&ledger, &data);
        block_on(sync(&server, &mut data, &mut state, 100)).unwrap();
        assert!(server.ids().is_empty(), "the deletion reached the server");
        assert!(after(&state, &data).is_empty());
    }
}
