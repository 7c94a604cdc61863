//! What every stored record shares: an id, UTC timestamps, a schema version; and the typed
//! errors validation returns.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    assessment::Assessment, card::Card, customer::Customer, feedback::FeedbackItem,
    settings::Settings, template::CardTemplate,
};

/// Version of the record layout written by this build. Older records are migrated on import.
pub const SCHEMA_VERSION: u32 = 1;

/// Identity and timestamps, flattened into every record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub id: Uuid,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// Schema version the record was written with.
    pub v: u32,
}

impl Meta {
    /// A new record's identity, created and updated now (to the millisecond: finer time means
    /// nothing to a person and costs storage).
    pub fn new(now: DateTime<Utc>) -> Self {
        let now = now.trunc_subsecs(3);
        Self {
            id: Uuid::new_v4(),
            created: now,
            updated: now,
            v: SCHEMA_VERSION,
        }
    }

    /// Marks the record changed at `now` (never moving `updated` backwards).
    pub fn touch(&mut self, now: DateTime<Utc>) {
        self.updated = now.trunc_subsecs(3).max(self.updated);
    }

    /// The shared rules: a known schema version, and no update before creation.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.updated < self.created {
            return Err(ValidationError::UpdatedBeforeCreated);
        }
        if self.v != SCHEMA_VERSION {
            return Err(ValidationError::SchemaVersion {
                found: self.v,
                expected: SCHEMA_VERSION,
            });
        }
        Ok(())
    }
}

/// Why a record is not acceptable. Each variant maps to a sentence in the locale files.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ValidationError {
    #[error("{field} is empty")]
    Empty { field: &'static str },
    #[error("{field} is {len} characters long; at most {max} are allowed")]
    TooLong {
        field: &'static str,
        max: usize,
        len: usize,
    },
    #[error("{field} contains a control character")]
    ControlCharacter { field: &'static str },
    #[error("{field} is {value}, outside {min}–{max}")]
    OutOfRange {
        field: &'static str,
        value: f64,
        min: f64,
        max: f64,
    },
    #[error("{field} has {len} entries; at most {max} are allowed")]
    TooMany {
        field: &'static str,
        max: usize,
        len: usize,
    },
    #[error("{field} is not a valid phone number or email address")]
    Contact { field: &'static str },
    #[error("updated is earlier than created")]
    UpdatedBeforeCreated,
    #[error("record schema version {found}, this app reads {expected}")]
    SchemaVersion { found: u32, expected: u32 },
    #[error("{field} names an unknown entry: {value}")]
    Unknown { field: &'static str, value: String },
    #[error("{field} repeats {value}")]
    Duplicate { field: &'static str, value: String },
}

impl ValidationError {
    /// The locale key of the sentence that explains this error to a person.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty { .. } => "error.validation.empty",
            Self::TooLong { .. } => "error.validation.too_long",
            Self::ControlCharacter { .. } => "error.validation.control",
            Self::OutOfRange { .. } => "error.validation.range",
            Self::TooMany { .. } => "error.validation.too_many",
            Self::Contact { .. } => "error.validation.contact",
            Self::UpdatedBeforeCreated => "error.validation.timestamps",
            Self::SchemaVersion { .. } => "error.validation.schema",
            Self::Unknown { .. } => "error.validation.unknown",
            Self::Duplicate { .. } => "error.validation.duplicate",
        }
    }
}

/// The kinds of record the app stores. The order is the order of the export file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Settings,
    Template,
    Card,
    Assessment,
    Feedback,
    Customer,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Settings,
        Kind::Template,
        Kind::Card,
        Kind::Assessment,
        Kind::Feedback,
        Kind::Customer,
    ];

    /// Name used in storage keys and in the export file's sections.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Settings => "settings",
            Kind::Template => "template",
            Kind::Card => "card",
            Kind::Assessment => "assessment",
            Kind::Feedback => "feedback",
            Kind::Customer => "customer",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Any stored record.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Settings(Settings),
    Template(CardTemplate),
    Card(Card),
    Assessment(Assessment),
    Feedback(FeedbackItem),
    Customer(Customer),
}

macro_rules! each_record {
    ($self:expr, $r:ident => $body:expr) => {
        match $self {
            Record::Settings($r) => $body,
            Record::Template($r) => $body,
            Record::Card($r) => $body,
            Record::Assessment($r) => $body,
            Record::Feedback($r) => $body,
            Record::Customer($r) => $body,
        }
    };
}

impl Record {
    pub fn kind(&self) -> Kind {
        match self {
            Record::Settings(_) => Kind::Settings,
            Record::Template(_) => Kind::Template,
            Record::Card(_) => Kind::Card,
            Record::Assessment(_) => Kind::Assessment,
            Record::Feedback(_) => Kind::Feedback,
            Record::Customer(_) => Kind::Customer,
        }
    }

    pub fn meta(&self) -> &Meta {
        each_record!(self, r => &r.meta)
    }

    pub fn id(&self) -> Uuid {
        self.meta().id
    }

    /// Checks the shared fields and then the record's own rules.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.meta().validate()?;
        each_record!(self, r => r.validate())
    }

    /// The record as JSON, the same form in storage and in the export file.
    pub fn to_json(&self) -> String {
        // Serialising these plain structs cannot fail: no maps with non-string keys, no floats
        // that are NaN (validation refuses them).
        each_record!(self, r => serde_json::to_string(r)).unwrap_or_default()
    }

    /// Reads one record of a known kind from JSON text.
    pub fn from_json(kind: Kind, text: &str) -> Result<Record, serde_json::Error> {
        use serde_json::from_str;
        Ok(match kind {
            Kind::Settings => Record::Settings(from_str(text)?),
            Kind::Template => Record::Template(from_str(text)?),
            Kind::Card => Record::Card(from_str(text)?),
            Kind::Assessment => Record::Assessment(from_str(text)?),
            Kind::Feedback => Record::Feedback(from_str(text)?),
            Kind::Customer => Record::Customer(from_str(text)?),
        })
    }

    pub fn to_value(&self) -> serde_json::Value {
        each_record!(self, r => serde_json::to_value(r)).unwrap_or(serde_json::Value::Null)
    }
}
