//! One routed screen per file.

pub mod assessments;
pub mod card_links;
pub mod cards;
pub mod customers;
pub mod dashboard;
pub mod data;
pub mod feedback;
pub mod kiosk;
pub mod not_found;
pub mod schedules;
pub mod settings;
pub mod standards;
pub mod sync;
