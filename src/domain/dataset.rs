//! Every record the app holds, by kind and id: what storage loads and screens read.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    assessment::Assessment, card::Card, customer::Customer, feedback::FeedbackItem,
    settings::Settings, template::CardTemplate, Kind, Record,
};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    pub settings: Option<Settings>,
    pub templates: BTreeMap<Uuid, CardTemplate>,
    pub cards: BTreeMap<Uuid, Card>,
    pub assessments: BTreeMap<Uuid, Assessment>,
    pub feedback: BTreeMap<Uuid, FeedbackItem>,
    pub customers: BTreeMap<Uuid, Customer>,
}

impl Dataset {
    /// Every branch named in the settings or on a card, sorted, each once.
    pub fn branch_names(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .cards
            .values()
            .map(|c| c.branch.clone())
            .chain(self.settings.iter().flat_map(|s| s.branches.clone()))
            .filter(|b| !b.trim().is_empty())
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// Adds a record or replaces the one with the same kind and id.
    pub fn upsert(&mut self, record: Record) {
        match record {
            Record::Settings(r) => self.settings = Some(r),
            Record::Template(r) => {
                self.templates.insert(r.meta.id, r);
            }
            Record::Card(r) => {
                self.cards.insert(r.meta.id, r);
            }
            Record::Assessment(r) => {
                self.assessments.insert(r.meta.id, r);
            }
            Record::Feedback(r) => {
                self.feedback.insert(r.meta.id, r);
            }
            Record::Customer(r) => {
                self.customers.insert(r.meta.id, r);
            }
        }
    }

    /// The cards and feedback items held that a window does not keep (every other record is
    /// kept by every window).
    pub fn outside(&self, span: &super::window::Span) -> Vec<(Kind, Uuid)> {
        let cards = self
            .cards
            .values()
            .filter(|c| !span.keeps_card(c))
            .map(|c| (Kind::Card, c.meta.id));
        let items = self
            .feedback
            .values()
            .filter(|f| !span.keeps_item(f))
            .map(|f| (Kind::Feedback, f.meta.id));
        cards.chain(items).collect()
    }

    /// Removes a record; true if it was there.
    pub fn remove(&mut self, kind: Kind, id: Uuid) -> bool {
        match kind {
            Kind::Settings => self.settings.take_if(|s| s.meta.id == id).is_some(),
            Kind::Template => self.templates.remove(&id).is_some(),
            Kind::Card => self.cards.remove(&id).is_some(),
            Kind::Assessment => self.assessments.remove(&id).is_some(),
            Kind::Feedback => self.feedback.remove(&id).is_some(),
            Kind::Customer => self.customers.remove(&id).is_some(),
        }
    }

    /// Whether a record is held, without copying it.
    pub fn has(&self, kind: Kind, id: Uuid) -> bool {
        match kind {
            Kind::Settings => self.settings.as_ref().is_some_and(|s| s.meta.id == id),
            Kind::Template => self.templates.contains_key(&id),
            Kind::Card => self.cards.contains_key(&id),
            Kind::Assessment => self.assessments.contains_key(&id),
            Kind::Feedback => self.feedback.contains_key(&id),
            Kind::Customer => self.customers.contains_key(&id),
        }
    }

    /// A copy of one record.
    pub fn get(&self, kind: Kind, id: Uuid) -> Option<Record> {
        match kind {
            Kind::Settings => self
                .settings
                .clone()
                .filter(|s| s.meta.id == id)
                .map(Record::Settings),
            Kind::Template => self.templates.get(&id).cloned().map(Record::Template),
            Kind::Card => self.cards.get(&id).cloned().map(Record::Card),
            Kind::Assessment => self.assessments.get(&id).cloned().map(Record::Assessment),
            Kind::Feedback => self.feedback.get(&id).cloned().map(Record::Feedback),
            Kind::Customer => self.customers.get(&id).cloned().map(Record::Customer),
        }
    }

    /// When a record was last changed, without copying it.
    pub fn updated(&self, kind: Kind, id: Uuid) -> Option<DateTime<Utc>> {
        match kind {
            Kind::Settings => self
                .settings
                .as_ref()
                .filter(|s| s.meta.id == id)
                .map(|s| s.meta.updated),
            Kind::Template => self.templates.get(&id).map(|r| r.meta.updated),
            Kind::Card => self.cards.get(&id).map(|r| r.meta.updated),
            Kind::Assessment => self.assessments.get(&id).map(|r| r.meta.updated),
            Kind::Feedback => self.feedback.get(&id).map(|r| r.meta.updated),
            Kind::Customer => self.customers.get(&id).map(|r| r.meta.updated),
        }
    }

    /// How many records of a kind are held.
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Settings => usize::from(self.settings.is_some()),
            Kind::Template => self.templates.len(),
            Kind::Card => self.cards.len(),
            Kind::Assessment => self.assessments.len(),
            Kind::Feedback => self.feedback.len(),
            Kind::Customer => self.customers.len(),
        }
    }

    pub fn len(&self) -> usize {
        Kind::ALL.iter().map(|k| self.count(*k)).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many records changed after `since` (all of them when `None`), and the earliest of
    /// those changes: what no export holds yet.
    pub fn changed_since(&self, since: Option<DateTime<Utc>>) -> (usize, Option<DateTime<Utc>>) {
        let metas = self
            .settings
            .iter()
            .map(|r| &r.meta)
            .chain(self.templates.values().map(|r| &r.meta))
            .chain(self.cards.values().map(|r| &r.meta))
            .chain(self.assessments.values().map(|r| &r.meta))
            .chain(self.feedback.values().map(|r| &r.meta))
            .chain(self.customers.values().map(|r| &r.meta));
        metas
            .filter(|m| since.is_none_or(|t| m.updated > t))
            .fold((0, None), |(n, oldest), m| {
                (
                    n + 1,
                    Some(oldest.map_or(m.updated, |o: DateTime<Utc>| o.min(m.updated))),
                )
            })
    }

    /// Copies of every record, in export order (by kind, then id).
    /// Every record's kind, id and last change, read in place (no record is copied): what sync
    /// compares with its ledger, at any size of the data.
    pub fn stamps(&self) -> impl Iterator<Item = (Kind, Uuid, DateTime<Utc>)> + '_ {
        let settings = self
            .settings
            .iter()
            .map(|r| (Kind::Settings, r.meta.id, r.meta.updated));
        let templates = self
            .templates
            .values()
            .map(|r| (Kind::Template, r.meta.id, r.meta.updated));
        let cards = self
            .cards
            .values()
            .map(|r| (Kind::Card, r.meta.id, r.meta.updated));
        let assessments = self
            .assessments
            .values()
            .map(|r| (Kind::Assessment, r.meta.id, r.meta.updated));
        let feedback = self
            .feedback
            .values()
            .map(|r| (Kind::Feedback, r.meta.id, r.meta.updated));
        let customers = self
            .customers
            .values()
            .map(|r| (Kind::Customer, r.meta.id, r.meta.updated));
        settings
            .chain(templates)
            .chain(cards)
            .chain(assessments)
            .chain(feedback)
            .chain(customers)
    }

    pub fn records(&self) -> Vec<Record> {
        let mut out = Vec::with_capacity(self.len());
        out.extend(self.settings.clone().map(Record::Settings));
        out.extend(self.templates.values().cloned().map(Record::Template));
        out.extend(self.cards.values().cloned().map(Record::Card));
        out.extend(self.assessments.values().cloned().map(Record::Assessment));
        out.extend(self.feedback.values().cloned().map(Record::Feedback));
        out.extend(self.customers.values().cloned().map(Record::Customer));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{customer::Customer, settings::Settings, Meta};

    #[test]
    fn every_record_of_every_kind_is_copied_out() {
        let now = chrono::Utc::now();
        let mut d = Dataset::default();
        d.upsert(Record::Settings(Settings::defaults(now)));
        d.upsert(Record::Customer(Customer::new(
            Meta::new(now),
            "Sara",
            Some("09123456789"),
        )));
        let records = d.records();
        assert_eq!(records.len(), d.len());
        for kind in Kind::ALL {
            assert_eq!(
                records.iter().filter(|r| r.kind() == kind).count(),
                d.count(kind),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn changes_after_the_last_export_are_counted_with_the_oldest() {
        use chrono::{Duration, TimeZone};
        let t = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap();
        let mut d = Dataset::default();
        d.upsert(Record::Settings(Settings::defaults(t)));
        for days in [1, 2, 3] {
            d.upsert(Record::Customer(Customer::new(
                Meta::new(t + Duration::days(days)),
                "Sara",
                None,
            )));
        }
        assert_eq!(d.changed_since(None), (4, Some(t)));
        assert_eq!(
            d.changed_since(Some(t + Duration::days(1))),
            (2, Some(t + Duration::days(2)))
        );
        assert_eq!(d.changed_since(Some(t + Duration::days(3))), (0, None));
    }
}
