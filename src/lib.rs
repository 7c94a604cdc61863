//! Listening Post: customer-service quality in the browser.
//!
//! `domain` is plain Rust (records, validation, merging, the export format, the Jalali
//! calendar); `store` alone touches localStorage; `i18n` holds every visible word; the screens
//! live in `pages` and their reusable parts in `components`; `sync` keeps a shop's devices in
//! step through its own CouchDB.

pub mod app;
pub mod card_page;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod pages;
pub mod router;
pub mod screens;
pub mod split;
pub mod state;
pub mod store;
pub mod sync;
pub mod web;

pub use app::App;
