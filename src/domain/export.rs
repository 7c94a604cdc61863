//! The export file: one JSON document holding every record, readable by people, described by
//! `schema/export-v1.schema.json`, and versioned so older files can be migrated on import.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{value::RawValue, Map, Value};

use super::{
    merge::{Incoming, RejectReason, Rejection},
    Dataset, Kind, Record,
};

/// The `format` field that marks a file as ours.
pub const FORMAT: &str = "listening-post";
/// The file layout this build writes; files up to it are read, newer ones refused.
pub const FORMAT_VERSION: u32 = 1;
/// Largest file accepted for import, in bytes.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// Name of the section holding records of a kind.
pub fn section(kind: Kind) -> &'static str {
    match kind {
        Kind::Settings => "settings",
        Kind::Template => "templates",
        Kind::Card => "cards",
        Kind::Assessment => "assessments",
        Kind::Feedback => "feedback",
        Kind::Customer => "customers",
    }
}

/// Why a whole file cannot be imported. Nothing is changed when this is returned.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FileError {
    #[error("the file is {size} bytes; at most {max} can be imported")]
    TooLarge { size: usize, max: usize },
    #[error("the file is not valid JSON: {0}")]
    Malformed(String),
    #[error("the file is not a Listening Post export")]
    NotOurs,
    #[error("the file was written by a newer version (format {found}); this app reads up to {supported}")]
    Newer { found: u64, supported: u32 },
    #[error("the file's format version {0} is not one this app knows")]
    UnknownVersion(u64),
}

impl FileError {
    pub fn message_key(&self) -> &'static str {
        match self {
            FileError::TooLarge { .. } => "import.error.too_large",
            FileError::Malformed(_) => "import.error.malformed",
            FileError::NotOurs => "import.error.not_ours",
            FileError::Newer { .. } => "import.error.newer",
            FileError::UnknownVersion(_) => "import.error.unknown_version",
        }
    }
}

/// Says in every export file that it holds one device's records.
pub const HOLDS: &str = "this-device";

/// The file name an export made on `date` gets.
pub fn file_name(date: chrono::NaiveDate) -> String {
    format!("listening-post-{}.json", date.format("%Y-%m-%d"))
}

/// Writes every record into an export document.
pub fn export(data: &Dataset, now: DateTime<Utc>) -> String {
    let mut doc = Map::new();
    doc.insert("format".into(), Value::from(FORMAT));
    doc.insert("version".into(), Value::from(FORMAT_VERSION));
    doc.insert(
        "exported".into(),
        Value::from(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
    );
    // What this device holds, which for a syncing device may be a window of the shop's history.
    doc.insert("holds".into(), Value::from(HOLDS));
    for kind in Kind::ALL {
        doc.insert(section(kind).into(), Value::Array(Vec::new()));
    }
    for record in data.records() {
        if let Some(Value::Array(list)) = doc.get_mut(section(record.kind())) {
            list.push(record.to_value());
        }
    }
    serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default()
}

/// Reads an export file. The file as a whole is refused with a [`FileError`]; single entries
/// that cannot be read come back as rejections beside the good ones.
pub fn parse(file: usize, text: &str) -> Result<Vec<Incoming>, FileError> {
    Ok(Sections::read(file, text)?.entries().collect())
}

/// An export file checked as a whole and split into its entries, each still JSON text. The
/// entries are then read one by one ([`Sections::entries`]), so a long file can be read in
/// steps with progress shown between them. Each record is read from its own text straight into
/// its type, with no tree of the whole file in between.
pub struct Sections<'a> {
    file: usize,
    lists: Vec<(Kind, Vec<&'a RawValue>)>,
}

impl<'a> Sections<'a> {
    /// Checks that `text` is one of our export files, of a version this build reads, and finds
    /// its sections. `file` is the file's position among those chosen, for the rejection list.
    pub fn read(file: usize, text: &'a str) -> Result<Self, FileError> {
        if text.len() > MAX_IMPORT_BYTES {
            return Err(FileError::TooLarge {
                size: text.len(),
                max: MAX_IMPORT_BYTES,
            });
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let doc: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(|e| {
            // Valid JSON that is not an object is someone else's file.
            match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                Ok(_) => FileError::NotOurs,
                Err(_) => FileError::Malformed(e.to_string()),
            }
        })?;
        let field = |name: &str| doc.get(name).map(|raw| raw.get());
        let format = field("format").and_then(|f| serde_json::from_str::<String>(f).ok());
        if format.as_deref() != Some(FORMAT) {
            return Err(FileError::NotOurs);
        }
        let version = field("version")
            .and_then(|v| serde_json::from_str::<u64>(v).ok())
            .ok_or(FileError::NotOurs)?;
        if version > u64::from(FORMAT_VERSION) {
            return Err(FileError::Newer {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        migrate(version)?;
        let mut lists = Vec::new();
        for kind in Kind::ALL {
            let Some(list) = doc.get(section(kind)) else {
                continue;
            };
            let entries: Vec<&'a RawValue> = serde_json::from_str(list.get()).map_err(|_| {
                FileError::Malformed(format!("\"{}\" is not a list", section(kind)))
            })?;
            lists.push((kind, entries));
        }
        Ok(Self { file, lists })
    }

    /// How many entries the file holds, readable or not.
    pub fn len(&self) -> usize {
        self.lists.iter().map(|(_, l)| l.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads every entry, in the file's order: a record, or why it was rejected.
    pub fn entries(&self) -> impl Iterator<Item = Incoming> + '_ {
        let file = self.file;
        self.lists.iter().flat_map(move |(kind, list)| {
            let kind = *kind;
            list.iter().enumerate().map(move |(i, raw)| {
                Record::from_json(kind, raw.get()).map_err(|e| Rejection {
                    file,
                    kind,
                    position: i + 1,
                    id: id_of(raw),
                    reason: RejectReason::Malformed(e.to_string()),
                })
            })
        })
    }
}

/// The `id` an unreadable entry gives, if it gives one as text, for the rejection list.
fn id_of(raw: &RawValue) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: Option<String>,
    }
    serde_json::from_str::<Id>(raw.get())
        .ok()?
        .id
        .map(|s| s.chars().take(64).collect())
}

/// Brings an older file up to [`FORMAT_VERSION`], one version at a time. Version 1 is the first
/// published layout, so the table of steps is still empty; a version below it was never written.
/// A step would read the older sections and give them in today's layout.
fn migrate(version: u64) -> Result<(), FileError> {
    match version {
        1 => Ok(()),
        other => Err(FileError::UnknownVersion(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::Settings;

    #[test]
    fn export_then_parse_gives_back_the_same_records() {
        let mut data = Dataset::default();
        let mut s = Settings::defaults(Utc::now());
        s.business_name = "نانوایی «سنگک» <script>alert(1)</script>".into();
        data.upsert(Record::Settings(s));
        let text = export(&data, Utc::now());
        let back: Vec<Record> = parse(0, &text)
            .unwrap()
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(back, data.records());
    }

    #[test]
    fn records_written_before_later_optional_fields_still_import() {
        // A template without scale words or earlier versions, settings without PIN or kiosk time.
        let text = r#"{"format":"listening-post","version":1,"exported":"2026-01-01T00:00:00Z",
          "templates":[{"id":"0b9c3f3e-1a2b-4c5d-8e9f-000000000001","created":"2026-01-01T00:00:00Z",
            "updated":"2026-01-01T00:00:00Z","v":1,"name":{"en":"Old","fa":"قدیمی"},"version":1,
            "archived":false,"questions":[{"id":"q1","text":{"en":"How?","fa":"چطور؟"},"type":"rating",
            "scale":"one_to_five","required":true}]}],
          "settings":[{"id":"4c505345-5454-494e-4753-000000000001","created":"2026-01-01T00:00:00Z",
            "updated":"2026-01-01T00:00:00Z","v":1,"business_name":"","branches":[],"segments":[],
            "sla_hours":{},"weights":{},"follow_up_days":3}]}"#;
        let records: Vec<Record> = parse(0, text)
            .unwrap()
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(records.len(), 2);
        for r in &records {
            assert_eq!(r.validate(), Ok(()));
        }
    }

    #[test]
    fn a_newer_file_is_refused_with_both_versions() {
        let text = format!(r#"{{"format":"{FORMAT}","version":99,"cards":[]}}"#);
        assert_eq!(
            parse(0, &text),
            Err(FileError::Newer {
                found: 99,
                supported: FORMAT_VERSION
            })
        );
    }

    #[test]
    fn files_that_are_not_ours_are_refused() {
        assert_eq!(parse(0, "[]"), Err(FileError::NotOurs));
        assert_eq!(
            parse(0, r#"{"format":"other","version":1}"#),
            Err(FileError::NotOurs)
        );
        assert!(matches!(
            parse(0, "{not json"),
            Err(FileError::Malformed(_))
        ));
        assert_eq!(
            parse(0, r#"{"format":"listening-post","version":0}"#),
            Err(FileError::UnknownVersion(0))
        );
    }

    #[test]
    fn an_oversize_file_is_refused_before_it_is_parsed() {
        let text = " ".repeat(MAX_IMPORT_BYTES + 1);
        assert_eq!(
            parse(0, &text),
            Err(FileError::TooLarge {
                size: MAX_IMPORT_BYTES + 1,
                max: MAX_IMPORT_BYTES
            })
        );
    }

    #[test]
    fn deeply_nested_input_is_refused_without_overflowing_the_stack() {
        let text = "[".repeat(100_000);
        assert!(matches!(parse(0, &text), Err(FileError::Malformed(_))));
    }

    #[test]
    fn deep_nesting_inside_a_section_or_a_record_is_refused_too() {
        let deep = "[".repeat(100_000);
        for text in [
            format!(r#"{{"format":"listening-post","version":1,"cards":{deep}"#),
            format!(r#"{{"format":"listening-post","version":1,"cards":[{{"id":{deep}"#),
        ] {
            assert!(matches!(parse(0, &text), Err(FileError::Malformed(_))));
        }
    }

    #[test]
    fn entries_of_the_wrong_shape_are_rejected_one_by_one_and_a_section_must_be_a_list() {
        let head = r#""format":"listening-post","version":1"#;
        let entries = parse(0, &format!(r#"{{{head},"cards":[42,{{"id":7}},null]}}"#)).unwrap();
        assert_eq!(entries.len(), 3);
        for (i, e) in entries.into_iter().enumerate() {
            let r = e.unwrap_err();
            assert_eq!((r.position, r.id), (i + 1, None));
        }
        assert!(matches!(
            parse(0, &format!(r#"{{{head},"cards":{{}}}}"#)),
            Err(FileError::Malformed(m)) if m.contains("cards")
        ));
    }

    #[test]
    fn one_unreadable_record_is_rejected_and_the_rest_still_read() {
        let mut data = Dataset::default();
        data.upsert(Record::Settings(Settings::defaults(Utc::now())));
        let mut doc: Value = serde_json::from_str(&export(&data, Utc::now())).unwrap();
        doc["cards"] = serde_json::json!([{"id": "not-a-uuid"}]);
        let entries = parse(3, &doc.to_string()).unwrap();
        assert_eq!(entries.len(), 2);
        assert!(entries[0].is_ok());
        let rejection = entries[1].clone().unwrap_err();
        assert_eq!(
            (rejection.file, rejection.kind, rejection.position),
            (3, Kind::Card, 1)
        );
        assert_eq!(rejection.id.as_deref(), Some("not-a-uuid"));
    }
}
