//! The domain: records, validation, merging and the export format. Plain Rust, no web types,
//! tested natively. Nothing here knows about storage or screens.

pub mod assessment;
pub mod card;
pub mod card_link;
pub mod converge;
pub mod couch_doc;
pub mod csv;
pub mod customer;
pub mod dataset;
pub mod digits;
pub mod erasure;
pub mod export;
pub mod feedback;
pub mod gap;
pub mod jalali;
pub mod merge;
pub mod metrics;
pub mod model;
pub mod period;
pub mod pin;
pub mod qr;
pub mod rater;
pub mod record;
pub mod report;
pub mod retention;
pub mod schedule;
pub mod settings;
pub mod sla;
pub mod stamp;
pub mod standard;
pub mod template;
pub mod text;
pub mod window;

pub use dataset::Dataset;
pub use record::{Kind, Meta, Record, ValidationError, SCHEMA_VERSION};

/// The reason a variant read from plain fields gives when one of its fields is absent, worded
/// as serde words it for a derived type.
pub(crate) fn missing_field(field: &str) -> String {
    format!("missing field `{field}`")
}
