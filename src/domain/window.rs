//! What a syncing device keeps of the shop's history: its window. The shop's server keeps every
//! record; a device keeps the cards of the last so many days (of one branch, or all), and
//! everything its work needs whatever their age: open feedback items and those changed within
//! the window, card designs, settings, assessments and customers. A record outside the window is
//! simply not kept here; leaving the window deletes nothing anywhere else.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{
    card::Card,
    feedback::{FeedbackItem, Status},
    Kind, Record,
};

/// The choices of days offered (besides "all").
pub const DAY_CHOICES: [u32; 3] = [30, 90, 365];

/// The window as chosen on the device, with the floor the device set itself when its storage
/// neared full.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Cards of the last so many days are kept; `None`: every day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Only this branch's cards are kept; `None`: every branch's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// Cards from before this day are not kept: the device narrowed its own window, oldest cards
    /// first, because its storage was nearly full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<NaiveDate>,
}

impl Window {
    /// The window on `today` (UTC), as the days and branch it keeps.
    pub fn span(&self, today: NaiveDate) -> Span {
        let by_days = self
            .days
            .and_then(|d| today.checked_sub_days(Days::new(u64::from(d))));
        Span {
            cards_from: by_days.max(self.floor),
            branch: self.branch.clone(),
            items_from: by_days,
        }
    }

    /// Whether the device keeps every record.
    pub fn everything(&self) -> bool {
        self.days.is_none() && self.branch.is_none() && self.floor.is_none()
    }
}

/// A window on a given day: the first day of cards kept, the branch, and the first day a closed
/// feedback item is kept by. `None` is no limit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    #[serde(default)]
    pub cards_from: Option<NaiveDate>,
    #[serde(default)]
    pub branch: Option<String>,
    #[serde(default)]
    pub items_from: Option<NaiveDate>,
}

impl Span {
    /// Whether a record is kept on a device with this window.
    pub fn keeps(&self, record: &Record) -> bool {
        match record {
            Record::Card(c) => self.keeps_card(c),
            Record::Feedback(f) => self.keeps_item(f),
            _ => true,
        }
    }

    pub fn keeps_card(&self, c: &Card) -> bool {
        self.cards_from
            .is_none_or(|from| c.meta.created.date_naive() >= from)
            && self.branch.as_ref().is_none_or(|b| *b == c.branch)
    }

    pub fn keeps_item(&self, f: &FeedbackItem) -> bool {
        f.status != Status::Closed
            || self
                .items_from
                .is_none_or(|from| f.meta.updated.date_naive() >= from)
    }

    /// Whether every record this span keeps, `held` keeps too: nothing needs fetching.
    pub fn within(&self, held: &Span) -> bool {
        let later = |mine: Option<NaiveDate>, theirs: Option<NaiveDate>| match (mine, theirs) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(m), Some(t)) => m >= t,
        };
        later(self.cards_from, held.cards_from)
            && later(self.items_from, held.items_from)
            && (held.branch.is_none() || held.branch == self.branch)
    }

    /// Whether the span keeps every record.
    pub fn everything(&self) -> bool {
        *self == Span::default()
    }

    /// Mango selectors (CouchDB's `_find`) that together find every document this span keeps,
    /// one per kind of record. Dates compare as text: `"2026-09-01"` sorts before every time of
    /// that day written in RFC 3339.
    pub fn selectors(&self) -> Vec<Value> {
        Kind::ALL
            .into_iter()
            .map(|kind| {
                let name = kind.name();
                let mut s =
                    json!({ "_id": { "$gt": format!("{name}-"), "$lt": format!("{name}.") } });
                match kind {
                    Kind::Card => {
                        if let Some(from) = self.cards_from {
                            s["created"] = json!({ "$gte": from.to_string() });
                        }
                        if let Some(b) = &self.branch {
                            s["branch"] = json!(b);
                        }
                    }
                    Kind::Feedback => {
                        // Not closed before the window: `$nor` rather than an `$or` with `$ne`,
                        // which pouchdb-server refuses.
                        if let Some(from) = self.items_from {
                            s["$nor"] = json!([{
                                "status": Status::Closed.code(),
                                "updated": { "$lt": from.to_string() }
                            }]);
                        }
                    }
                    _ => {}
                }
                s
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        card::Card, feedback::testing::complaint_at, template::DEFAULT_TEMPLATE_ID, Meta,
    };
    use chrono::{TimeZone, Utc};

    fn card(y: i32, m: u32, d: u32, branch: &str) -> Record {
        Record::Card(Card {
            meta: Meta::new(Utc.with_ymd_and_hms(y, m, d, 23, 59, 59).unwrap()),
            template: DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: "en".into(),
            branch: branch.into(),
            touchpoint: "kiosk".into(),
            answers: Default::default(),
        })
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_window_keeps_its_days_and_branch_and_every_open_item_whatever_its_age() {
        let w = Window {
            days: Some(30),
            branch: Some("Tajrish".into()),
            floor: None,
        };
        let span = w.span(day(2026, 12, 7));
        assert_eq!(span.cards_from, Some(day(2026, 11, 7)));
        assert!(span.keeps(&card(2026, 11, 7, "Tajrish")));
        assert!(!span.keeps(&card(2026, 11, 6, "Tajrish")));
        assert!(!span.keeps(&card(2026, 12, 1, "Vanak")));
        let old = Utc.with_ymd_and_hms(2023, 1, 5, 9, 0, 0).unwrap();
        let mut item = complaint_at(old);
        assert!(span.keeps(&Record::Feedback(item.clone())));
        item.status = Status::Closed;
        assert!(!span.keeps(&Record::Feedback(item.clone())));
        item.meta.updated = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        assert!(span.keeps(&Record::Feedback(item)));
        assert!(Window::default().span(day(2026, 12, 7)).everything());
    }

    #[test]
    fn the_floor_narrows_cards_only_and_a_wider_span_covers_a_narrower_one() {
        let w = Window {
            days: Some(365),
            branch: None,
            floor: Some(day(2026, 6, 1)),
        };
        let span = w.span(day(2026, 12, 7));
        assert_eq!(span.cards_from, Some(day(2026, 6, 1)));
        assert_eq!(span.items_from, Some(day(2025, 12, 7)));
        let all = Span::default();
        assert!(span.within(&all));
        assert!(!all.within(&span));
        // Tomorrow's window is within today's.
        assert!(w.span(day(2026, 12, 8)).within(&span));
        let one = Span {
            branch: Some("Vanak".into()),
            ..span.clone()
        };
        assert!(one.within(&span));
        assert!(!span.within(&one));
    }

    #[test]
    fn the_selectors_ask_for_what_the_span_keeps_by_kind() {
        let span = Window {
            days: Some(90),
            branch: Some("Vanak".into()),
            floor: None,
        }
        .span(day(2026, 12, 7));
        let s = span.selectors();
        assert_eq!(s.len(), Kind::ALL.len());
        let card = s.iter().find(|s| s["_id"]["$gt"] == "card-").unwrap();
        assert_eq!(card["created"]["$gte"], "2026-09-08");
        assert_eq!(card["branch"], "Vanak");
        let items = s.iter().find(|s| s["_id"]["$gt"] == "feedback-").unwrap();
        assert_eq!(items["$nor"][0]["status"], "closed");
        assert_eq!(items["$nor"][0]["updated"]["$lt"], "2026-09-08");
        let settings = s.iter().find(|s| s["_id"]["$gt"] == "settings-").unwrap();
        assert_eq!(settings.as_object().unwrap().len(), 1);
        // A time later on the day sorts after the day, as text.
        assert!("2026-09-08T00:00:00.500Z" > "2026-09-08");
    }
}
