//! A feedback item from any listening post: a suggestion, criticism, complaint or compliment,
//! handled to closure.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{card::Contact, rater::Dimension, text, Meta, ValidationError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    Suggestion,
    Criticism,
    Complaint,
    Compliment,
}

impl FeedbackKind {
    pub const ALL: [FeedbackKind; 4] = [
        FeedbackKind::Suggestion,
        FeedbackKind::Criticism,
        FeedbackKind::Complaint,
        FeedbackKind::Compliment,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FeedbackKind::Suggestion => "suggestion",
            FeedbackKind::Criticism => "criticism",
            FeedbackKind::Complaint => "complaint",
            FeedbackKind::Compliment => "compliment",
        }
    }

    /// Default target, in business hours, for closing an item of this kind.
    pub fn default_sla_hours(self) -> u32 {
        match self {
            FeedbackKind::Complaint => 24,
            FeedbackKind::Criticism => 48,
            FeedbackKind::Suggestion | FeedbackKind::Compliment => 72,
        }
    }
}

/// The listening posts a business hears its customers through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Website,
    SocialMedia,
    Phone,
    InPerson,
    MysteryShopping,
    FocusGroup,
    Ordering,
    SatisfactionCard,
    Survey,
    FollowUpCall,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    InProgress,
    WaitingOnCustomer,
    Resolved,
    Closed,
}

impl Status {
    /// Whether a person may move an item from `self` to `to`. Closed items can only be reopened.
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (New, InProgress | WaitingOnCustomer | Resolved)
                | (InProgress, WaitingOnCustomer | Resolved)
                | (WaitingOnCustomer, InProgress | Resolved)
                | (Resolved, Closed | InProgress)
                | (Closed, InProgress)
        )
    }
}

/// One line of an item's history: who changed what, when. Never edited once written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub by: String,
    pub change: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackItem {
    #[serde(flatten)]
    pub meta: Meta,
    pub kind: FeedbackKind,
    pub channel: Channel,
    #[serde(default)]
    pub dimension: Option<Dimension>,
    #[serde(default)]
    pub segment: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub contact: Option<Contact>,
    pub description: String,
    /// When it happened, which may be earlier than when it was logged (`created`).
    pub occurred: DateTime<Utc>,
    pub status: Status,
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub response: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// The satisfaction card this item was raised from, if any.
    #[serde(default)]
    pub card: Option<Uuid>,
}

impl FeedbackItem {
    pub fn validate(&self) -> Result<(), ValidationError> {
        text::check("segment", &self.segment, text::SHORT)?;
        text::check("customer", &self.customer, text::SHORT)?;
        if let Some(c) = &self.contact {
            c.validate("contact")?;
        }
        text::check_required("description", &self.description, text::LONG)?;
        text::check("assignee", &self.assignee, text::SHORT)?;
        text::check("response", &self.response, text::LONG)?;
        text::check("notes", &self.notes, text::LONG)?;
        if self.history.len() > 1_000 {
            return Err(ValidationError::TooMany {
                field: "history",
                max: 1_000,
                len: self.history.len(),
            });
        }
        for h in &self.history {
            text::check("by", &h.by, text::SHORT)?;
            text::check("change", &h.change, text::LONG)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Status::*;

    #[test]
    fn closed_items_can_only_be_reopened() {
        assert!(Closed.can_become(InProgress));
        for to in [New, WaitingOnCustomer, Resolved, Closed] {
            assert!(!Closed.can_become(to), "closed -> {to:?}");
        }
    }

    #[test]
    fn nothing_goes_back_to_new() {
        for from in [New, InProgress, WaitingOnCustomer, Resolved, Closed] {
            assert!(!from.can_become(New));
        }
    }
}
