//! A feedback item from any listening post: a suggestion, criticism, complaint or compliment,
//! handled to closure.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{card::Contact, rater::Dimension, sla::Calendar, text, Meta, ValidationError};

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

impl Channel {
    pub const ALL: [Channel; 10] = [
        Channel::Website,
        Channel::SocialMedia,
        Channel::Phone,
        Channel::InPerson,
        Channel::MysteryShopping,
        Channel::FocusGroup,
        Channel::Ordering,
        Channel::SatisfactionCard,
        Channel::Survey,
        Channel::FollowUpCall,
    ];

    /// Stable code used in storage, exports and locale keys (`feedback.channel.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Channel::Website => "website",
            Channel::SocialMedia => "social_media",
            Channel::Phone => "phone",
            Channel::InPerson => "in_person",
            Channel::MysteryShopping => "mystery_shopping",
            Channel::FocusGroup => "focus_group",
            Channel::Ordering => "ordering",
            Channel::SatisfactionCard => "satisfaction_card",
            Channel::Survey => "survey",
            Channel::FollowUpCall => "follow_up_call",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    InProgress,
    WaitingOnCustomer,
    Resolved,
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::InProgress,
        Status::WaitingOnCustomer,
        Status::Resolved,
        Status::Closed,
    ];

    /// Stable code used in storage, exports and locale keys (`feedback.status.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::WaitingOnCustomer => "waiting_on_customer",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    /// Still to be handled: the clock runs (or waits) and the item can be overdue.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::New | Status::InProgress | Status::WaitingOnCustomer
        )
    }

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
    pub change: Change,
}

/// What a history line records: an event the app wrote, or (from older files) a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Change {
    Event(Event),
    Text(String),
}

/// Read by what the JSON holds (an object is an event, a string a sentence), rather than
/// through serde's untagged path, which buffers every history line first.
impl<'de> Deserialize<'de> for Change {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Line;
        impl<'de> serde::de::Visitor<'de> for Line {
            type Value = Change;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an event or a sentence")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Change, E> {
                Ok(Change::Text(v.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Change, A::Error> {
                Event::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Change::Event)
            }
        }
        d.deserialize_any(Line)
    }
}

/// The events an item's history records. Shown in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", try_from = "EventFields")]
pub enum Event {
    Registered,
    Status {
        from: Status,
        to: Status,
    },
    Assigned {
        to: String,
    },
    Response,
    Notes,
    Details,
    FollowUpScheduled {
        due: NaiveDate,
    },
    FollowUpLogged {
        reached: bool,
        satisfied: Option<u8>,
    },
}

/// An event as stored: its tag beside every variant's fields (`to` is a status or a person,
/// by the event). Read through this plain struct rather than serde's internally tagged path,
/// which buffers the event first; written as derived.
#[derive(Deserialize)]
struct EventFields {
    event: EventTag,
    #[serde(default)]
    from: Option<Status>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    due: Option<NaiveDate>,
    #[serde(default)]
    reached: Option<bool>,
    #[serde(default)]
    satisfied: Option<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventTag {
    Registered,
    Status,
    Assigned,
    Response,
    Notes,
    Details,
    FollowUpScheduled,
    FollowUpLogged,
}

impl TryFrom<EventFields> for Event {
    type Error = String;

    fn try_from(e: EventFields) -> Result<Self, String> {
        use serde::de::IntoDeserializer;
        let missing = super::missing_field;
        Ok(match e.event {
            EventTag::Registered => Event::Registered,
            EventTag::Status => {
                let to = e.to.ok_or_else(|| missing("to"))?;
                let to: Result<Status, serde::de::value::Error> =
                    Status::deserialize(to.as_str().into_deserializer());
                Event::Status {
                    from: e.from.ok_or_else(|| missing("from"))?,
                    to: to.map_err(|err| err.to_string())?,
                }
            }
            EventTag::Assigned => Event::Assigned {
                to: e.to.ok_or_else(|| missing("to"))?,
            },
            EventTag::Response => Event::Response,
            EventTag::Notes => Event::Notes,
            EventTag::Details => Event::Details,
            EventTag::FollowUpScheduled => Event::FollowUpScheduled {
                due: e.due.ok_or_else(|| missing("due"))?,
            },
            EventTag::FollowUpLogged => Event::FollowUpLogged {
                reached: e.reached.ok_or_else(|| missing("reached"))?,
                satisfied: e.satisfied,
            },
        })
    }
}

/// The call back to the customer after an item is resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The local day the call is due.
    pub due: NaiveDate,
    #[serde(default)]
    pub call: Option<Call>,
}

/// How the follow-up call went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub at: DateTime<Utc>,
    pub by: String,
    pub reached: bool,
    /// How satisfied the customer said they were, 1–5, when reached and asked.
    pub satisfied: Option<u8>,
    #[serde(default)]
    pub notes: String,
}

/// Why no follow-up call can be made for an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoCall {
    /// The customer left no phone number or email address.
    NoContact,
    /// The customer left a contact but did not agree to be contacted.
    NoConsent,
}

impl NoCall {
    /// Locale key of the sentence that says why no call was scheduled.
    pub fn message_key(self) -> &'static str {
        match self {
            NoCall::NoContact => "fb.call.none.no_contact",
            NoCall::NoConsent => "fb.call.none.no_consent",
        }
    }
}

/// Why a change to an item was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("an item cannot move from {0:?} to {1:?}")]
    Transition(Status, Status),
    #[error("only a resolved or closed item has a follow-up call")]
    NoFollowUp,
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
    /// The branch the feedback is about; empty when the business has one place or none was said.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub branch: String,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
}

/// A card's overall rating at or below this is worth a feedback item.
pub const LOW_RATING: u8 = 2;

impl FeedbackItem {
    /// What someone reported, not yet registered: the rest (dimension, segment, customer,
    /// contact, card) left empty for the caller to fill, nothing written on it yet.
    pub fn reported(
        meta: Meta,
        kind: FeedbackKind,
        channel: Channel,
        description: String,
        occurred: DateTime<Utc>,
    ) -> FeedbackItem {
        FeedbackItem {
            meta,
            kind,
            channel,
            dimension: None,
            segment: String::new(),
            branch: String::new(),
            customer: String::new(),
            contact: None,
            description,
            occurred,
            status: Status::New,
            assignee: String::new(),
            response: String::new(),
            notes: String::new(),
            history: Vec::new(),
            card: None,
            follow_up: None,
        }
    }

    /// Whether a card says something to act on: a low overall rating or a comment on what to
    /// improve.
    pub fn card_worth_raising(card: &super::card::Card) -> bool {
        card.rating(super::metrics::OVERALL)
            .is_some_and(|v| v <= LOW_RATING)
            || improve_text(card).is_some()
    }

    /// The item a card raises, linked to it: a complaint when the overall rating is low, a
    /// suggestion otherwise; the customer's improvement comment (or `fallback` when there is
    /// none) as the description; the lowest-rated RATER dimension when it is rated low; the
    /// contact when the customer agreed to be called.
    pub fn from_card(
        card: &super::card::Card,
        template: &super::template::CardTemplate,
        fallback: &str,
        meta: Meta,
    ) -> FeedbackItem {
        use super::card::Answer;
        let overall = card.rating(super::metrics::OVERALL);
        let kind = if overall.is_some_and(|v| v <= LOW_RATING) {
            FeedbackKind::Complaint
        } else {
            FeedbackKind::Suggestion
        };
        let dimension = template
            .questions_of(card.template_version)
            .iter()
            .filter_map(|q| Some((q.dimension?, card.rating(&q.id)?)))
            .filter(|(_, v)| *v <= LOW_RATING)
            .min_by_key(|(_, v)| *v)
            .map(|(d, _)| d);
        let contact = card.answers.values().find_map(|a| match a {
            Answer::Contact(c) if c.consent => Some(c.clone()),
            _ => None,
        });
        FeedbackItem {
            dimension,
            contact,
            card: Some(card.meta.id),
            ..FeedbackItem::reported(
                meta,
                kind,
                Channel::SatisfactionCard,
                improve_text(card).unwrap_or(fallback).to_owned(),
                card.meta.created,
            )
        }
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        text::check("segment", &self.segment, text::SHORT)?;
        text::check("branch", &self.branch, text::SHORT)?;
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
            match &h.change {
                Change::Text(t) => text::check("change", t, text::LONG)?,
                Change::Event(Event::Assigned { to }) => text::check("assignee", to, text::SHORT)?,
                Change::Event(_) => {}
            }
        }
        if let Some(call) = self.follow_up.as_ref().and_then(|f| f.call.as_ref()) {
            text::check("by", &call.by, text::SHORT)?;
            text::check("notes", &call.notes, text::LONG)?;
            if let Some(v) = call.satisfied.filter(|v| !(1..=5).contains(v)) {
                return Err(ValidationError::OutOfRange {
                    field: "satisfied",
                    value: f64::from(v),
                    min: 1.0,
                    max: 5.0,
                });
            }
        }
        Ok(())
    }

    fn record(&mut self, by: &str, at: DateTime<Utc>, event: Event) {
        self.history.push(HistoryEntry {
            at,
            by: by.to_owned(),
            change: Change::Event(event),
        });
    }

    /// A new item, its history opened with who registered it.
    pub fn register(mut self, by: &str, now: DateTime<Utc>) -> Self {
        self.status = Status::New;
        self.history.clear();
        self.record(by, now, Event::Registered);
        self
    }

    /// Moves the item to another status, writing it in the history. Resolving schedules the
    /// follow-up call `follow_up_days` later, on a working day, when the customer may be called
    /// (see [`FeedbackItem::may_call`]); reopening drops a call that was
    /// scheduled but not yet made.
    pub fn set_status(
        &mut self,
        to: Status,
        by: &str,
        now: DateTime<Utc>,
        calendar: &Calendar,
        follow_up_days: u32,
    ) -> Result<(), ChangeError> {
        let from = self.status;
        if !from.can_become(to) {
            return Err(ChangeError::Transition(from, to));
        }
        self.status = to;
        self.record(by, now, Event::Status { from, to });
        if to == Status::Resolved
            && self.may_call().is_ok()
            && self.follow_up.as_ref().is_none_or(|f| f.call.is_some())
        {
            let due = calendar.follow_up_day(now, follow_up_days);
            self.follow_up = Some(FollowUp { due, call: None });
            self.record(by, now, Event::FollowUpScheduled { due });
        }
        if to == Status::InProgress && self.follow_up.as_ref().is_some_and(|f| f.call.is_none()) {
            self.follow_up = None;
        }
        Ok(())
    }

    /// Whether the customer can be called back: a contact left with consent to be contacted.
    pub fn may_call(&self) -> Result<(), NoCall> {
        match &self.contact {
            Some(c) if c.value.trim().is_empty() => Err(NoCall::NoContact),
            Some(c) if c.consent => Ok(()),
            Some(_) => Err(NoCall::NoConsent),
            None => Err(NoCall::NoContact),
        }
    }

    /// Corrects what was registered (kind, channel, dimension, segment, branch, customer, contact,
    /// description, when it happened) from `details`, writing one history line if anything
    /// changed. Handling (status, assignee, response, notes, history, follow-up) is kept.
    pub fn correct(&mut self, details: FeedbackItem, by: &str, now: DateTime<Utc>) {
        let before = self.clone();
        self.kind = details.kind;
        self.channel = details.channel;
        self.dimension = details.dimension;
        self.segment = details.segment;
        self.branch = details.branch;
        self.customer = details.customer;
        self.contact = details.contact;
        self.description = details.description;
        self.occurred = details.occurred;
        if *self != before {
            self.record(by, now, Event::Details);
        }
    }

    /// Hands the item to someone (or to no one, when `to` is blank).
    pub fn assign(&mut self, to: &str, by: &str, now: DateTime<Utc>) {
        let to = to.trim();
        if to != self.assignee {
            self.assignee = to.to_owned();
            self.record(by, now, Event::Assigned { to: to.to_owned() });
        }
    }

    /// Changes the response to the customer and the internal notes, recording which changed.
    pub fn write(&mut self, response: &str, notes: &str, by: &str, now: DateTime<Utc>) {
        if response != self.response {
            self.response = response.to_owned();
            self.record(by, now, Event::Response);
        }
        if notes != self.notes {
            self.notes = notes.to_owned();
            self.record(by, now, Event::Notes);
        }
    }

    /// Logs how the follow-up call went.
    pub fn log_call(&mut self, call: Call) -> Result<(), ChangeError> {
        let Some(follow_up) = self
            .follow_up
            .as_mut()
            .filter(|_| matches!(self.status, Status::Resolved | Status::Closed))
        else {
            return Err(ChangeError::NoFollowUp);
        };
        let (by, at) = (call.by.clone(), call.at);
        let event = Event::FollowUpLogged {
            reached: call.reached,
            satisfied: call.satisfied,
        };
        follow_up.call = Some(call);
        self.record(&by, at, event);
        Ok(())
    }

    /// When the item was last resolved, if it is resolved or closed now.
    pub fn resolved_at(&self) -> Option<DateTime<Utc>> {
        if !matches!(self.status, Status::Resolved | Status::Closed) {
            return None;
        }
        self.history.iter().rev().find_map(|h| match h.change {
            Change::Event(Event::Status {
                to: Status::Resolved,
                ..
            }) => Some(h.at),
            _ => None,
        })
    }

    /// The stretches the item waited on the customer, the last one ending `now` if still waiting.
    pub fn pauses(&self, now: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut out = Vec::new();
        let mut waiting_since = None;
        for h in &self.history {
            if let Change::Event(Event::Status { to, .. }) = h.change {
                match (to == Status::WaitingOnCustomer, waiting_since) {
                    (true, None) => waiting_since = Some(h.at),
                    (false, Some(since)) => {
                        out.push((since, h.at));
                        waiting_since = None;
                    }
                    _ => {}
                }
            }
        }
        if let Some(since) = waiting_since {
            out.push((since, now));
        }
        out
    }

    /// Working seconds on the item's clock: from when it was logged to when it was resolved (or
    /// now), less the time it waited on the customer.
    pub fn clock(&self, calendar: &Calendar, now: DateTime<Utc>) -> i64 {
        let end = self.resolved_at().unwrap_or(now);
        calendar.elapsed(self.meta.created, end, &self.pauses(end))
    }

    /// Open and past its target of `target_hours` working hours.
    pub fn overdue(&self, calendar: &Calendar, target_hours: u32, now: DateTime<Utc>) -> bool {
        self.status.is_open() && self.clock(calendar, now) > i64::from(target_hours) * 3600
    }

    /// Working seconds left before the target runs out (negative once past it).
    pub fn time_left(&self, calendar: &Calendar, target_hours: u32, now: DateTime<Utc>) -> i64 {
        i64::from(target_hours) * 3600 - self.clock(calendar, now)
    }

    /// Logged on a later local day than it happened: it should have been logged the same day.
    pub fn logged_late(&self, offset: FixedOffset) -> bool {
        self.meta.created.with_timezone(&offset).date_naive()
            > self.occurred.with_timezone(&offset).date_naive()
    }

    /// A follow-up call is due (today or earlier) and not yet made.
    pub fn call_due(&self, today: NaiveDate) -> bool {
        self.follow_up
            .as_ref()
            .is_some_and(|f| f.call.is_none() && f.due <= today)
    }
}

/// What the customer said could be improved, if anything.
fn improve_text(card: &super::card::Card) -> Option<&str> {
    match card.answers.get("improve") {
        Some(super::card::Answer::Text(t)) if !t.trim().is_empty() => Some(t.as_str()),
        _ => None,
    }
}

/// A complaint as the tests of merging and sync start from: registered by Sara at `at`.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub fn complaint_at(at: DateTime<Utc>) -> FeedbackItem {
        FeedbackItem::reported(
            Meta::new(at),
            FeedbackKind::Complaint,
            Channel::Phone,
            "Cold food".into(),
            at,
        )
        .register("Sara", at)
    }
}

#[cfg(test)]
mod tests {
    use super::Status::*;
    use super::*;
    use crate::domain::sla::{
        testing::{at, tehran_week, TEHRAN},
        Calendar,
    };

    /// History lines are read from their plain fields: every event as written, sentences from
    /// older files, and what is wrong named.
    #[test]
    fn history_lines_read_back_as_written() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let all = [
            Change::Event(Event::Registered),
            Change::Event(Event::Status {
                from: New,
                to: InProgress,
            }),
            Change::Event(Event::Assigned { to: "Sara".into() }),
            Change::Event(Event::Response),
            Change::Event(Event::Notes),
            Change::Event(Event::Details),
            Change::Event(Event::FollowUpScheduled { due: day }),
            Change::Event(Event::FollowUpLogged {
                reached: true,
                satisfied: Some(4),
            }),
            Change::Event(Event::FollowUpLogged {
                reached: false,
                satisfied: None,
            }),
            Change::Text("Called back, all well.".into()),
        ];
        for change in all {
            let json = serde_json::to_string(&change).unwrap();
            assert_eq!(
                serde_json::from_str::<Change>(&json).unwrap(),
                change,
                "{json}"
            );
        }
        let read = |json: &str| {
            serde_json::from_str::<Change>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(read(r#"{"event":"status","from":"new"}"#).contains("missing field `to`"));
        assert!(read(r#"{"event":"status","from":"new","to":"sleeping"}"#).contains("sleeping"));
        assert!(read(r#"{"event":"assigned"}"#).contains("missing field `to`"));
        assert!(read(r#"{"event":"follow_up_logged"}"#).contains("missing field `reached`"));
        assert!(read(r#"{"event":"vanished"}"#).contains("unknown variant `vanished`"));
        assert!(read("42").contains("an event or a sentence"));
    }

    #[test]
    fn the_status_machine_allows_exactly_these_moves() {
        let allowed = [
            (New, InProgress),
            (New, WaitingOnCustomer),
            (New, Resolved),
            (InProgress, WaitingOnCustomer),
            (InProgress, Resolved),
            (WaitingOnCustomer, InProgress),
            (WaitingOnCustomer, Resolved),
            (Resolved, Closed),
            (Resolved, InProgress),
            (Closed, InProgress),
        ];
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn closed_items_can_only_be_reopened() {
        assert!(Closed.can_become(InProgress));
        for to in [New, WaitingOnCustomer, Resolved, Closed] {
            assert!(!Closed.can_become(to), "closed -> {to:?}");
        }
    }

    fn calendar() -> Calendar {
        tehran_week()
    }

    fn complaint(logged: &str) -> FeedbackItem {
        let now = at(logged);
        FeedbackItem {
            dimension: Some(Dimension::Responsiveness),
            contact: Some(Contact {
                value: "0912 345 6789".into(),
                consent: true,
            }),
            ..FeedbackItem::reported(
                Meta::new(now),
                FeedbackKind::Complaint,
                Channel::Phone,
                "Nobody called back".into(),
                now,
            )
        }
        .register("Sara", now)
    }

    #[test]
    fn an_illegal_move_is_refused_and_changes_nothing() {
        let mut item = complaint("2026-11-21 09:00");
        let before = item.clone();
        assert_eq!(
            item.set_status(Closed, "Sara", at("2026-11-21 10:00"), &calendar(), 3),
            Err(ChangeError::Transition(New, Closed))
        );
        assert_eq!(item, before);
    }

    #[test]
    fn every_change_is_in_the_history_with_who_and_when() {
        let cal = calendar();
        let mut item = complaint("2026-11-21 09:00");
        item.assign("Reza", "Sara", at("2026-11-21 09:05"));
        item.assign("Reza", "Sara", at("2026-11-21 09:06"));
        item.set_status(InProgress, "Reza", at("2026-11-21 09:10"), &cal, 3)
            .unwrap();
        item.write("We are on it", "", "Reza", at("2026-11-21 09:20"));
        let events: Vec<(&str, Event)> = item
            .history
            .iter()
            .map(|h| match &h.change {
                Change::Event(e) => (h.by.as_str(), e.clone()),
                Change::Text(_) => unreachable!(),
            })
            .collect();
        assert_eq!(
            events,
            [
                ("Sara", Event::Registered),
                ("Sara", Event::Assigned { to: "Reza".into() }),
                (
                    "Reza",
                    Event::Status {
                        from: New,
                        to: InProgress
                    }
                ),
                ("Reza", Event::Response),
            ]
        );
        assert_eq!(item.history[3].at, at("2026-11-21 09:20"));
    }

    #[test]
    fn waiting_on_the_customer_stops_the_clock_and_resolving_stops_it_for_good() {
        let cal = calendar();
        let mut item = complaint("2026-11-21 09:00");
        item.set_status(InProgress, "Reza", at("2026-11-21 10:00"), &cal, 3)
            .unwrap();
        item.set_status(WaitingOnCustomer, "Reza", at("2026-11-21 11:00"), &cal, 3)
            .unwrap();
        // Two working hours so far; the wait does not count.
        assert_eq!(item.clock(&cal, at("2026-11-22 12:00")), 2 * 3600);
        item.set_status(InProgress, "Reza", at("2026-11-22 09:00"), &cal, 3)
            .unwrap();
        item.set_status(Resolved, "Reza", at("2026-11-22 10:30"), &cal, 3)
            .unwrap();
        // 2 h, then 09:00-10:30 on Sunday.
        assert_eq!(item.clock(&cal, at("2026-11-30 12:00")), 3 * 3600 + 1800);
        assert!(!item.overdue(&cal, 1, at("2026-11-30 12:00")));
    }

    #[test]
    fn an_open_item_past_its_target_is_overdue() {
        let cal = calendar();
        let item = complaint("2026-11-25 14:00");
        // A 24-hour target from Wednesday 14:00 runs out on Monday 14:00.
        assert!(!item.overdue(&cal, 24, at("2026-11-30 14:00")));
        assert!(item.overdue(&cal, 24, at("2026-11-30 14:01")));
        assert_eq!(item.time_left(&cal, 24, at("2026-11-28 08:00")), 22 * 3600);
    }

    #[test]
    fn resolving_schedules_the_follow_up_call_and_the_outcome_is_logged() {
        let cal = calendar();
        let mut item = complaint("2026-11-24 09:00");
        assert_eq!(
            item.log_call(Call {
                at: at("2026-11-24 10:00"),
                by: "Mina".into(),
                reached: true,
                satisfied: Some(4),
                notes: String::new(),
            }),
            Err(ChangeError::NoFollowUp)
        );
        // Resolved on Tuesday: three days later is Friday, so the call is on Saturday.
        item.set_status(Resolved, "Reza", at("2026-11-24 12:00"), &cal, 3)
            .unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(item.follow_up, Some(FollowUp { due, call: None }));
        assert!(!item.call_due(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()));
        assert!(item.call_due(due));
        let call = Call {
            at: at("2026-11-28 10:00"),
            by: "Mina".into(),
            reached: true,
            satisfied: Some(4),
            notes: "Happy with the refund".into(),
        };
        item.log_call(call.clone()).unwrap();
        assert_eq!(item.follow_up.as_ref().unwrap().call, Some(call));
        assert!(!item.call_due(due));
        assert!(matches!(
            item.history.last().unwrap().change,
            Change::Event(Event::FollowUpLogged {
                reached: true,
                satisfied: Some(4)
            })
        ));
    }

    #[test]
    fn no_call_is_scheduled_without_a_contact_or_without_consent_and_the_reason_is_known() {
        let cal = calendar();
        for (contact, reason) in [
            (None, NoCall::NoContact),
            (
                Some(Contact {
                    value: "  ".into(),
                    consent: true,
                }),
                NoCall::NoContact,
            ),
            (
                Some(Contact {
                    value: "sara@example.com".into(),
                    consent: false,
                }),
                NoCall::NoConsent,
            ),
        ] {
            let mut item = FeedbackItem {
                contact,
                ..complaint("2026-11-24 09:00")
            };
            item.set_status(Resolved, "Reza", at("2026-11-24 12:00"), &cal, 3)
                .unwrap();
            assert_eq!(item.follow_up, None);
            assert_eq!(item.may_call(), Err(reason));
            assert!(!item
                .history
                .iter()
                .any(|h| matches!(h.change, Change::Event(Event::FollowUpScheduled { .. }))));
        }
    }

    #[test]
    fn reopening_drops_a_call_not_yet_made_and_resolving_again_schedules_a_new_one() {
        let cal = calendar();
        let mut item = complaint("2026-11-21 09:00");
        item.set_status(Resolved, "Reza", at("2026-11-21 10:00"), &cal, 1)
            .unwrap();
        item.set_status(InProgress, "Reza", at("2026-11-21 11:00"), &cal, 1)
            .unwrap();
        assert_eq!(item.follow_up, None);
        item.set_status(Resolved, "Reza", at("2026-11-22 10:00"), &cal, 1)
            .unwrap();
        assert_eq!(
            item.follow_up.as_ref().map(|f| f.due),
            NaiveDate::from_ymd_opt(2026, 11, 23)
        );
        assert_eq!(item.resolved_at(), Some(at("2026-11-22 10:00")));
    }

    #[test]
    fn correcting_details_keeps_the_handling_and_notes_the_change_once() {
        let cal = calendar();
        let mut item = complaint("2026-11-21 09:00");
        item.set_status(InProgress, "Reza", at("2026-11-21 09:30"), &cal, 3)
            .unwrap();
        let mut details = item.clone();
        details.kind = FeedbackKind::Criticism;
        details.description = "Nobody called back within the day".into();
        details.status = Closed;
        details.history.clear();
        let lines = item.history.len();
        item.correct(details.clone(), "Sara", at("2026-11-21 10:00"));
        assert_eq!(item.kind, FeedbackKind::Criticism);
        assert_eq!(item.status, InProgress);
        assert_eq!(item.history.len(), lines + 1);
        assert_eq!(
            item.history.last().unwrap().change,
            Change::Event(Event::Details)
        );
        item.correct(details, "Sara", at("2026-11-21 10:05"));
        assert_eq!(item.history.len(), lines + 1);
    }

    #[test]
    fn an_item_logged_after_the_day_it_happened_is_late() {
        let offset = FixedOffset::east_opt(TEHRAN).unwrap();
        let mut item = complaint("2026-11-22 09:00");
        assert!(!item.logged_late(offset));
        item.occurred = at("2026-11-21 23:30");
        assert!(item.logged_late(offset));
    }

    #[test]
    fn a_low_card_becomes_a_complaint_linked_to_it_with_its_weakest_dimension() {
        use crate::domain::{
            card::{Answer, Card, Contact},
            template::CardTemplate,
            text::Bilingual,
        };
        let template = CardTemplate::default_card(Meta::new(Utc::now()), &|k| Bilingual::new(k, k));
        let mut card = Card {
            meta: Meta::new(at("2026-11-21 10:00")),
            template: template.meta.id,
            template_version: 1,
            lang: "fa".into(),
            branch: "Tajrish".into(),
            touchpoint: "counter".into(),
            answers: [
                ("overall".to_owned(), Answer::Rating(4)),
                ("rater_empathy".to_owned(), Answer::Rating(2)),
                ("rater_responsiveness".to_owned(), Answer::Rating(1)),
                (
                    "contact".to_owned(),
                    Answer::Contact(Contact {
                        value: "09123456789".into(),
                        consent: false,
                    }),
                ),
            ]
            .into(),
        };
        assert!(!FeedbackItem::card_worth_raising(&card));
        card.answers
            .insert("improve".into(), Answer::Text("Queue was long".into()));
        assert!(FeedbackItem::card_worth_raising(&card));
        let item = FeedbackItem::from_card(&card, &template, "unused", Meta::new(Utc::now()));
        assert_eq!(item.kind, FeedbackKind::Suggestion);
        assert_eq!(item.description, "Queue was long");
        assert_eq!(item.dimension, Some(Dimension::Responsiveness));
        assert_eq!(item.card, Some(card.meta.id));
        assert_eq!(item.occurred, card.meta.created);
        // No consent, no contact.
        assert_eq!(item.contact, None);

        card.answers.insert("overall".into(), Answer::Rating(1));
        card.answers.remove("improve");
        card.answers.insert(
            "contact".into(),
            Answer::Contact(Contact {
                value: "09123456789".into(),
                consent: true,
            }),
        );
        let item = FeedbackItem::from_card(&card, &template, "Rated 1 of 5", Meta::new(Utc::now()));
        assert_eq!(item.kind, FeedbackKind::Complaint);
        assert_eq!(item.description, "Rated 1 of 5");
        assert_eq!(
            item.contact.map(|c| c.value),
            Some("09123456789".to_owned())
        );
        assert_eq!(item.channel, Channel::SatisfactionCard);
    }

    #[test]
    fn history_lines_from_older_files_read_as_text() {
        let line: HistoryEntry = serde_json::from_str(
            r#"{"at":"2026-05-02T10:00:00Z","by":"Sara","change":"Called the customer"}"#,
        )
        .unwrap();
        assert_eq!(line.change, Change::Text("Called the customer".into()));
        let event: HistoryEntry = serde_json::from_str(
            r#"{"at":"2026-05-02T10:00:00Z","by":"Sara","change":{"event":"status","from":"new","to":"resolved"}}"#,
        )
        .unwrap();
        assert_eq!(
            event.change,
            Change::Event(Event::Status {
                from: New,
                to: Resolved
            })
        );
    }
}
