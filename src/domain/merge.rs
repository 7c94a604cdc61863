//! Merging imported records into what is stored: by id, the newer `updated` wins. The plan is
//! computed first and shown; nothing changes until it is applied.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::{Dataset, Kind, Record, ValidationError};

/// Why an imported entry was turned away.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RejectReason {
    #[error("not a readable record: {0}")]
    Malformed(String),
    #[error("{0}")]
    Invalid(ValidationError),
}

impl RejectReason {
    pub fn message_key(&self) -> &'static str {
        match self {
            RejectReason::Malformed(_) => "import.reject.malformed",
            RejectReason::Invalid(e) => e.message_key(),
        }
    }
}

/// One imported entry that could not be read or failed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejection {
    /// Which file it came from (index in the order the files were chosen).
    pub file: usize,
    pub kind: Kind,
    /// Position in its section of the file, counting from 1.
    pub position: usize,
    /// The id, when one could be read.
    pub id: Option<String>,
    pub reason: RejectReason,
}

/// What importing one readable record would do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No record with this id is stored.
    Added,
    /// The imported copy is newer and replaces the stored one.
    Updated,
    /// Same content, or the stored copy is newer.
    Unchanged,
    /// Same `updated` time, different content: the stored copy is kept.
    Conflict,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanEntry {
    pub file: usize,
    pub kind: Kind,
    pub id: Uuid,
    pub outcome: Outcome,
}

/// Everything an import would do, before it is done.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergePlan {
    pub entries: Vec<PlanEntry>,
    pub rejected: Vec<Rejection>,
    /// The records to write, one per id: the newest of the incoming copies.
    pub writes: Vec<Record>,
}

/// Counts of each outcome, for the preview.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub conflicting: usize,
    pub rejected: usize,
}

impl MergePlan {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            rejected: self.rejected.len(),
            ..Summary::default()
        };
        for e in &self.entries {
            match e.outcome {
                Outcome::Added => s.added += 1,
                Outcome::Updated => s.updated += 1,
                Outcome::Unchanged => s.unchanged += 1,
                Outcome::Conflict => s.conflicting += 1,
            }
        }
        s
    }

    /// True when applying the plan would change nothing.
    pub fn is_noop(&self) -> bool {
        self.writes.is_empty()
    }
}

/// One entry read from an import file: a record, or why it could not be used.
pub type Incoming = Result<Record, Rejection>;

/// Plans the merge of `incoming` (from one or many files, `(file index, entries)`) into `stored`.
/// Valid records are compared with the stored copy, or with an earlier file's copy of the same id.
pub fn plan(stored: &Dataset, incoming: Vec<(usize, Vec<Incoming>)>) -> MergePlan {
    let mut out = MergePlan::default();
    let mut staged: BTreeMap<(Kind, Uuid), Record> = BTreeMap::new();
    for (file, entries) in incoming {
        for entry in entries {
            let record = match entry {
                Ok(r) => r,
                Err(rejection) => {
                    out.rejected.push(rejection);
                    continue;
                }
            };
            let (kind, id) = (record.kind(), record.id());
            if let Err(e) = record.validate() {
                out.rejected.push(Rejection {
                    file,
                    kind,
                    position: 0,
                    id: Some(id.to_string()),
                    reason: RejectReason::Invalid(e),
                });
                continue;
            }
            let current = staged
                .get(&(kind, id))
                .cloned()
                .or_else(|| stored.get(kind, id));
            let outcome = match &current {
                None => Outcome::Added,
                Some(c) if record.meta().updated > c.meta().updated => Outcome::Updated,
                Some(c) if record.meta().updated == c.meta().updated && *c != record => {
                    Outcome::Conflict
                }
                Some(_) => Outcome::Unchanged,
            };
            if matches!(outcome, Outcome::Added | Outcome::Updated) {
                staged.insert((kind, id), record);
            }
            out.entries.push(PlanEntry {
                file,
                kind,
                id,
                outcome,
            });
        }
    }
    out.writes = staged.into_values().collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::Settings;
    use chrono::{TimeZone, Utc};

    fn settings_at(minute: u32, name: &str) -> Record {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, minute, 0).unwrap();
        let mut s = Settings::defaults(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        s.meta.updated = t;
        s.business_name = name.into();
        Record::Settings(s)
    }

    #[test]
    fn newer_import_updates_and_older_import_leaves_stored_copy() {
        let mut stored = Dataset::default();
        stored.upsert(settings_at(5, "Stored"));
        let p = plan(&stored, vec![(0, vec![Ok(settings_at(9, "Newer"))])]);
        assert_eq!(p.summary().updated, 1);
        assert_eq!(p.writes, vec![settings_at(9, "Newer")]);
        let p = plan(&stored, vec![(0, vec![Ok(settings_at(1, "Older"))])]);
        assert_eq!(p.summary().unchanged, 1);
        assert!(p.is_noop());
    }

    #[test]
    fn same_time_with_other_content_is_a_conflict_and_keeps_the_stored_copy() {
        let mut stored = Dataset::default();
        stored.upsert(settings_at(5, "Stored"));
        let p = plan(&stored, vec![(0, vec![Ok(settings_at(5, "Other"))])]);
        assert_eq!(p.summary().conflicting, 1);
        assert!(p.is_noop());
    }

    #[test]
    fn across_files_the_newest_copy_of_an_id_is_the_one_written() {
        let p = plan(
            &Dataset::default(),
            vec![
                (0, vec![Ok(settings_at(7, "Kiosk A"))]),
                (1, vec![Ok(settings_at(3, "Kiosk B"))]),
            ],
        );
        assert_eq!(
            p.summary(),
            Summary {
                added: 1,
                unchanged: 1,
                ..Summary::default()
            }
        );
        assert_eq!(p.writes, vec![settings_at(7, "Kiosk A")]);
    }

    #[test]
    fn invalid_records_are_rejected_with_their_reason() {
        let mut bad = settings_at(2, "x");
        if let Record::Settings(s) = &mut bad {
            s.business_name = "\u{0}".into();
        }
        let p = plan(&Dataset::default(), vec![(0, vec![Ok(bad)])]);
        assert_eq!(p.summary().rejected, 1);
        assert_eq!(
            p.rejected[0].reason,
            RejectReason::Invalid(ValidationError::ControlCharacter {
                field: "business name"
            })
        );
        assert!(p.is_noop());
    }
}
