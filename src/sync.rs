//! Sync with the shop's own Apache CouchDB: every device of a shop in step, localStorage still
//! the store. Plain Rust: the protocol (paging, merging, checkpoints, conflicts) runs the same
//! natively in tests and in the browser; only the [`transport::Transport`] differs.
//!
//! The client keeps only the winning revision of each document, as the protocol allows a client
//! to: changes are pulled from `_changes`, changed records are pushed to `_bulk_docs` with the
//! revision they were based on, and two copies changed apart settle by
//! [`crate::domain::converge`].

pub mod arrivals;
pub mod device;
pub mod engine;
pub mod fetch;
pub mod figures;
pub mod hpke;
pub mod inbox;
pub mod keep;
pub mod ledger;
pub mod outbox;
pub mod seal;
pub mod transport;

#[cfg(test)]
mod fake;
