//! Customers: one profile per person across every listening post. A card or a feedback item
//! that carries a phone number or an email belongs to the customer with that contact, compared
//! in a normal form (Persian and Arabic digits, spaces and dashes, `+98`, `0098` and `0`
//! prefixes, letter case). Nothing is merged on a weaker likeness, such as the same name with
//! another contact: that is offered to a person as a possible duplicate, who merges the two or
//! says they are different people.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    card::{self, Answer, Card, Contact},
    digits,
    feedback::{FeedbackItem, FeedbackKind},
    metrics::OVERALL,
    text, Dataset, Meta, Record, ValidationError,
};

/// Most contacts, segments or "not the same" marks one customer holds.
pub const MAX_LIST: usize = 50;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    #[serde(flatten)]
    pub meta: Meta,
    pub name: String,
    /// Phone numbers and email addresses as they were first given.
    pub contacts: Vec<String>,
    /// Segment tags (Settings lists the business's segments).
    pub segments: Vec<String>,
    pub notes: String,
    /// Whether the customer agreed to be contacted, when and where they said so.
    pub consent: Option<Consent>,
    /// Other customers a person said are someone else: never offered as duplicates of this one.
    #[serde(default)]
    pub distinct: Vec<Uuid>,
}

/// Where consent can be given.
pub const SOURCES: [&str; 3] = ["card", "feedback", "staff"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub given: bool,
    pub at: DateTime<Utc>,
    /// Where it was given: `card`, `feedback` or `staff`.
    pub source: String,
}

/// A contact in the form two ways of writing it share.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// Digits with the country code, `98…` for a number written the Iranian way.
    Phone(String),
    /// Lower case, trimmed.
    Email(String),
}

/// Iran's country code: numbers written with a leading `0` or as a bare mobile number are Iranian.
const HOME: &str = "98";

/// The normal form of a phone number or email address, or `None` for anything else.
pub fn key(value: &str) -> Option<Key> {
    if card::is_email(value) {
        return Some(Key::Email(value.trim().to_lowercase()));
    }
    if !card::is_phone(value) {
        return None;
    }
    let n = digits::normalize(value);
    let plus = n.trim_start().starts_with('+');
    let d: String = n.chars().filter(char::is_ascii_digit).collect();
    let full = if plus {
        d
    } else if let Some(rest) = d.strip_prefix("00") {
        rest.to_owned()
    } else if let Some(rest) = d.strip_prefix('0') {
        format!("{HOME}{rest}")
    } else if d.len() == 10 && d.starts_with('9') {
        // A mobile number without its leading 0: 912 345 6789.
        format!("{HOME}{d}")
    } else {
        d
    };
    Some(Key::Phone(full))
}

/// A name in the form two ways of typing it share: Arabic yeh and kaf as Persian, no
/// zero-width joiners, spaces collapsed, letter case ignored.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '\u{200C}' | '\u{200D}'))
        .map(|c| match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            other => other,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Customer {
    pub fn new(meta: Meta, name: &str, contact: Option<&str>) -> Customer {
        Customer {
            meta,
            name: name.trim().to_owned(),
            contacts: contact
                .map(|c| vec![c.trim().to_owned()])
                .unwrap_or_default(),
            segments: Vec::new(),
            notes: String::new(),
            consent: None,
            distinct: Vec::new(),
        }
    }

    pub fn keys(&self) -> BTreeSet<Key> {
        self.contacts.iter().filter_map(|c| key(c)).collect()
    }

    /// Whether this customer has the contact `k`.
    pub fn has(&self, k: &Key) -> bool {
        self.contacts.iter().any(|c| key(c).as_ref() == Some(k))
    }

    /// Whether the customer may be contacted: they said yes and have not said no since.
    pub fn may_contact(&self) -> bool {
        self.consent.as_ref().is_some_and(|c| c.given)
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        text::check("name", &self.name, text::SHORT)?;
        text::check("notes", &self.notes, text::LONG)?;
        for (field, list) in [("contacts", &self.contacts), ("segments", &self.segments)] {
            if list.len() > MAX_LIST {
                return Err(ValidationError::TooMany {
                    field,
                    len: list.len(),
                    max: MAX_LIST,
                });
            }
        }
        for c in &self.contacts {
            Contact {
                value: c.clone(),
                consent: false,
            }
            .validate("contacts")?;
        }
        for s in &self.segments {
            text::check("segments", s, text::SHORT)?;
        }
        if self.distinct.len() > MAX_LIST {
            return Err(ValidationError::TooMany {
                field: "distinct",
                len: self.distinct.len(),
                max: MAX_LIST,
            });
        }
        if let Some(c) = self
            .consent
            .as_ref()
            .filter(|c| !SOURCES.contains(&c.source.as_str()))
        {
            return Err(ValidationError::Unknown {
                field: "consent",
                value: c.source.chars().take(40).collect(),
            });
        }
        Ok(())
    }
}

/// What a card or feedback item tells about its customer: the contact, the name if any, and
/// the consent given with it.
pub struct Sighting<'a> {
    pub contact: &'a str,
    pub name: &'a str,
    pub consent: bool,
    pub source: &'static str,
    pub at: DateTime<Utc>,
}

impl<'a> Sighting<'a> {
    /// What a record says about its customer: cards and feedback items with a contact.
    pub fn of(record: &'a Record) -> Option<Sighting<'a>> {
        let (contact, name, source, at) = match record {
            Record::Card(c) => (card_contact(c)?, "", "card", c.meta.created),
            Record::Feedback(i) => (
                i.contact.as_ref()?,
                i.customer.as_str(),
                "feedback",
                i.meta.created,
            ),
            _ => return None,
        };
        Some(Sighting {
            contact: &contact.value,
            name,
            consent: contact.consent,
            source,
            at,
        })
    }
}

/// The customers as they stand, and the ones a batch of sightings adds or changes: every
/// contact is read in its normal form once, so a large import stays linear.
pub struct Directory<'a> {
    base: &'a BTreeMap<Uuid, Customer>,
    by_key: HashMap<Key, Uuid>,
    changed: BTreeMap<Uuid, Customer>,
}

impl<'a> Directory<'a> {
    pub fn new(base: &'a BTreeMap<Uuid, Customer>) -> Directory<'a> {
        let mut by_key: HashMap<Key, (Uuid, (DateTime<Utc>, Uuid))> = HashMap::new();
        for c in base.values() {
            let age = (c.meta.created, c.meta.id);
            for k in c.keys() {
                // Two records holding one contact (before a merge): the oldest owns it.
                let e = by_key.entry(k).or_insert((c.meta.id, age));
                if age < e.1 {
                    *e = (c.meta.id, age);
                }
            }
        }
        Directory {
            base,
            by_key: by_key.into_iter().map(|(k, (id, _))| (k, id)).collect(),
            changed: BTreeMap::new(),
        }
    }

    fn get(&self, id: Uuid) -> Option<&Customer> {
        self.changed.get(&id).or_else(|| self.base.get(&id))
    }

    /// The customer a contact belongs to.
    pub fn owner(&self, contact: &str) -> Option<&Customer> {
        self.get(*self.by_key.get(&key(contact)?)?)
    }

    /// Takes in one sighting: a new customer for a contact nobody has; for the owner, a missing
    /// name filled in and a newer consent (or its withdrawal) recorded.
    pub fn see(&mut self, seen: &Sighting, now: DateTime<Utc>) {
        let Some(k) = key(seen.contact) else {
            return;
        };
        let consent = Consent {
            given: seen.consent,
            at: seen.at,
            source: seen.source.to_owned(),
        };
        let Some(owner) = self.owner(seen.contact) else {
            let mut c = Customer::new(Meta::new(now), seen.name, Some(seen.contact));
            c.consent = Some(consent);
            self.by_key.insert(k, c.meta.id);
            self.changed.insert(c.meta.id, c);
            return;
        };
        let mut c = owner.clone();
        if c.name.is_empty() && !seen.name.trim().is_empty() {
            c.name = seen.name.trim().to_owned();
        }
        if c.consent.as_ref().is_none_or(|old| old.at < seen.at) {
            c.consent = Some(consent);
        }
        if c != *owner {
            c.meta.updated = now;
            self.changed.insert(c.meta.id, c);
        }
    }

    /// The customers to store: new ones and changed ones.
    pub fn changed(self) -> Vec<Customer> {
        self.changed.into_values().collect()
    }
}

/// The customer records to store after `records` are saved: see [`Directory::see`].
pub fn observe(
    customers: &BTreeMap<Uuid, Customer>,
    records: &[Record],
    now: DateTime<Utc>,
) -> Vec<Customer> {
    let sightings: Vec<Sighting> = records.iter().filter_map(Sighting::of).collect();
    // Most saves name no customer: then the customers are not even read.
    if sightings.is_empty() {
        return Vec::new();
    }
    let mut d = Directory::new(customers);
    for seen in &sightings {
        d.see(seen, now);
    }
    d.changed()
}

/// What a customer's records add up to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Their cards and feedback items, oldest first.
    pub cards: Vec<Uuid>,
    pub items: Vec<Uuid>,
    overall_sum: u32,
    overall_n: usize,
    /// Feedback items not yet resolved, and how many of those are complaints.
    pub open_items: usize,
    pub open_complaints: usize,
    /// The last time they were heard from: a card, an item or a follow-up call.
    pub last: Option<DateTime<Utc>>,
}

impl Summary {
    /// Their mean overall satisfaction (1–5) over their cards, and over how many.
    pub fn satisfaction(&self) -> (Option<f64>, usize) {
        let n = self.overall_n;
        ((n > 0).then(|| f64::from(self.overall_sum) / n as f64), n)
    }

    fn heard(&mut self, at: DateTime<Utc>) {
        self.last = Some(self.last.map_or(at, |l| l.max(at)));
    }
}

/// Every customer's summary, in one pass over the cards and feedback.
pub fn summaries(data: &Dataset) -> BTreeMap<Uuid, Summary> {
    let d = Directory::new(&data.customers);
    let mut out: BTreeMap<Uuid, Summary> = data
        .customers
        .keys()
        .map(|id| (*id, Summary::default()))
        .collect();
    let mut cards: Vec<&Card> = data.cards.values().collect();
    cards.sort_by_key(|c| (c.meta.created, c.meta.id));
    for card in cards {
        let Some(owner) = card_contact(card).and_then(|c| d.owner(&c.value)) else {
            continue;
        };
        let s = out.entry(owner.meta.id).or_default();
        s.cards.push(card.meta.id);
        s.heard(card.meta.created);
        if let Some(v @ 1..=5) = card.rating(OVERALL) {
            s.overall_sum += u32::from(v);
            s.overall_n += 1;
        }
    }
    let mut items: Vec<&FeedbackItem> = data.feedback.values().collect();
    items.sort_by_key(|i| (i.meta.created, i.meta.id));
    for item in items {
        let Some(owner) = item.contact.as_ref().and_then(|c| d.owner(&c.value)) else {
            continue;
        };
        let s = out.entry(owner.meta.id).or_default();
        s.items.push(item.meta.id);
        s.heard(item.meta.created);
        if let Some(call) = item.follow_up.as_ref().and_then(|f| f.call.as_ref()) {
            s.heard(call.at);
        }
        if item.status.is_open() {
            s.open_items += 1;
            if item.kind == FeedbackKind::Complaint {
                s.open_complaints += 1;
            }
        }
    }
    out
}

/// Pairs of customers who may be one person: the same name (as [`name_key`] reads it) with no
/// contact in common, not already marked as different people. Each pair is the older first.
pub fn possible_duplicates(customers: &BTreeMap<Uuid, Customer>) -> Vec<(Uuid, Uuid)> {
    let mut by_name: BTreeMap<String, Vec<&Customer>> = BTreeMap::new();
    for c in customers.values() {
        let k = name_key(&c.name);
        if !k.is_empty() {
            by_name.entry(k).or_default().push(c);
        }
    }
    let mut out = Vec::new();
    for group in by_name.values_mut() {
        group.sort_by_key(|c| (c.meta.created, c.meta.id));
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                let marked = a.distinct.contains(&b.meta.id) || b.distinct.contains(&a.meta.id);
                if !marked {
                    out.push((a.meta.id, b.meta.id));
                }
            }
        }
    }
    out
}

/// One customer from two a person said are the same: `keep`'s record with the other's
/// contacts, segments and notes added, the newer consent, and the name of whichever has one.
pub fn merge(keep: &Customer, other: &Customer, now: DateTime<Utc>) -> Customer {
    let mut c = keep.clone();
    for contact in &other.contacts {
        if key(contact).is_none_or(|k| !c.has(&k)) {
            c.contacts.push(contact.clone());
        }
    }
    for s in &other.segments {
        if !c.segments.contains(s) {
            c.segments.push(s.clone());
        }
    }
    if !other.notes.trim().is_empty() {
        c.notes = if c.notes.trim().is_empty() {
            other.notes.clone()
        } else {
            format!("{}\n{}", c.notes, other.notes)
        };
    }
    if c.name.is_empty() {
        c.name = other.name.clone();
    }
    c.consent = match (&keep.consent, &other.consent) {
        (Some(a), Some(b)) => Some(if b.at > a.at { b.clone() } else { a.clone() }),
        (a, b) => a.clone().or_else(|| b.clone()),
    };
    c.distinct = keep
        .distinct
        .iter()
        .chain(&other.distinct)
        .filter(|id| **id != keep.meta.id && **id != other.meta.id)
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    c.contacts.truncate(MAX_LIST);
    c.segments.truncate(MAX_LIST);
    c.distinct.truncate(MAX_LIST);
    c.meta.updated = now;
    c
}

/// The contact a card carries, if any.
pub fn card_contact(card: &Card) -> Option<&Contact> {
    card.answers.values().find_map(|a| match a {
        Answer::Contact(c) => Some(c),
        _ => None,
    })
}

/// Whether a card belongs to the customer.
pub fn owns_card(customer: &Customer, card: &Card) -> bool {
    card_contact(card)
        .and_then(|c| key(&c.value))
        .is_some_and(|k| customer.has(&k))
}

/// Whether a feedback item belongs to the customer.
pub fn owns_item(customer: &Customer, item: &FeedbackItem) -> bool {
    item.contact
        .as_ref()
        .and_then(|c| key(&c.value))
        .is_some_and(|k| customer.has(&k))
}

/// A card without the customer's contact: its ratings and comments stay for the figures.
pub fn erased_card(card: &Card, now: DateTime<Utc>) -> Card {
    let mut c = card.clone();
    c.answers.retain(|_, a| !matches!(a, Answer::Contact(_)));
    c.meta.updated = now;
    c
}

/// A feedback item without the customer's name and contact; what they said and how it was
/// handled stay.
pub fn erased_item(item: &FeedbackItem, now: DateTime<Utc>) -> FeedbackItem {
    let mut i = item.clone();
    i.customer.clear();
    i.contact = None;
    i.meta.updated = now;
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(s: &str) -> Option<Key> {
        Some(Key::Phone(s.to_owned()))
    }

    #[test]
    fn contacts_written_different_ways_share_one_key() {
        let cases = [
            ("0912 345 6789", phone("989123456789")),
            ("+98 912 345 6789", phone("989123456789")),
            ("0098-912-345-6789", phone("989123456789")),
            ("۰۹۱۲۳۴۵۶۷۸۹", phone("989123456789")),
            ("٠٩١٢٣٤٥٦٧٨٩", phone("989123456789")),
            ("912 345 6789", phone("989123456789")),
            ("(021) 2233-4455", phone("982122334455")),
            ("+44 20 7946 0958", phone("442079460958")),
            ("22334455", phone("22334455")),
            (
                " Sara.Ahmadi@Example.COM ",
                Some(Key::Email("sara.ahmadi@example.com".into())),
            ),
            ("not a contact", None),
            ("12", None),
        ];
        for (input, expected) in cases {
            assert_eq!(key(input), expected, "{input}");
        }
    }

    #[test]
    fn names_match_across_arabic_and_persian_letters_spacing_and_case() {
        assert_eq!(name_key("  علي   كريمي "), name_key("علی کریمی"));
        assert_eq!(name_key("Sara  AHMADI"), "sara ahmadi");
        assert_eq!(name_key("مهر\u{200C}آیین"), name_key("مهرآیین"));
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn seen<'a>(contact: &'a str, name: &'a str, at_: &str) -> Sighting<'a> {
        Sighting {
            contact,
            name,
            consent: true,
            source: "card",
            at: at(at_),
        }
    }

    #[test]
    fn a_new_contact_makes_a_customer_and_the_same_contact_written_otherwise_finds_them() {
        let now = at("2026-11-24T10:00:00Z");
        let see = |all: &BTreeMap<Uuid, Customer>, s: Sighting| {
            let mut d = Directory::new(all);
            d.see(&s, now);
            d.changed()
        };
        let none = BTreeMap::new();
        let first = see(&none, seen("0912 345 6789", "", "2026-11-20T10:00:00Z")).remove(0);
        assert_eq!(first.contacts, ["0912 345 6789"]);
        assert!(first.may_contact());
        let all: BTreeMap<Uuid, Customer> = [(first.meta.id, first.clone())].into();
        // The same number in Persian digits, now with a name: the name fills the blank.
        let named = see(
            &all,
            seen("۰۹۱۲۳۴۵۶۷۸۹", "Sara Ahmadi", "2026-11-21T10:00:00Z"),
        )
        .remove(0);
        assert_eq!(named.meta.id, first.meta.id);
        assert_eq!(named.name, "Sara Ahmadi");
        assert_eq!(named.contacts, ["0912 345 6789"]);
        // Seen again with nothing new: nothing to store.
        let all: BTreeMap<Uuid, Customer> = [(named.meta.id, named.clone())].into();
        assert!(see(
            &all,
            seen("+98 912 345 6789", "Sara", "2026-11-19T10:00:00Z")
        )
        .is_empty());
        // A later "no" withdraws the consent.
        let mut no = seen("+98 912 345 6789", "", "2026-11-22T10:00:00Z");
        no.consent = false;
        assert!(!see(&all, no)[0].may_contact());
        // Neither a phone nor an email: no customer.
        assert!(see(&all, seen("tomorrow", "", "2026-11-22T10:00:00Z")).is_empty());
        // One batch: three ways of writing one number and an email make two customers.
        let mut d = Directory::new(&none);
        for c in [
            "0912 345 6789",
            "+98 912 345 6789",
            "۰۹۱۲-۳۴۵-۶۷۸۹",
            "a@b.co",
        ] {
            d.see(&seen(c, "", "2026-11-20T10:00:00Z"), now);
        }
        assert_eq!(d.changed().len(), 2);
    }

    #[test]
    fn the_same_name_with_other_contacts_is_offered_never_merged_until_a_person_says_so() {
        let now = at("2026-11-24T10:00:00Z");
        let mut a = Customer::new(
            Meta::new(at("2026-11-01T10:00:00Z")),
            "Sara Ahmadi",
            Some("09123456789"),
        );
        a.segments = vec!["Regulars".into()];
        let b = Customer::new(
            Meta::new(at("2026-11-02T10:00:00Z")),
            "sara  ahmadi",
            Some("sara@example.com"),
        );
        let c = Customer::new(
            Meta::new(at("2026-11-03T10:00:00Z")),
            "Reza",
            Some("09350000000"),
        );
        let all: BTreeMap<Uuid, Customer> = [&a, &b, &c]
            .map(|x| (x.meta.id, x.clone()))
            .into_iter()
            .collect();
        assert_eq!(possible_duplicates(&all), vec![(a.meta.id, b.meta.id)]);
        // "Not the same person" on either side stops the offer.
        let mut marked = all.clone();
        marked.get_mut(&b.meta.id).unwrap().distinct.push(a.meta.id);
        assert!(possible_duplicates(&marked).is_empty());
        // Merging keeps the older record with both contacts.
        let one = merge(&a, &b, now);
        assert_eq!(one.meta.id, a.meta.id);
        assert_eq!(one.contacts, ["09123456789", "sara@example.com"]);
        assert_eq!(one.segments, ["Regulars"]);
        assert!(one.has(&key("SARA@example.com").unwrap()));
        assert!(one.has(&key("+989123456789").unwrap()));
    }

    #[test]
    fn erasing_keeps_the_ratings_and_what_was_said_but_no_name_or_contact() {
        use crate::domain::feedback::{Channel, FeedbackKind};
        let now = at("2026-11-24T10:00:00Z");
        let mut card = Card {
            meta: Meta::new(now),
            template: Uuid::nil(),
            template_version: 1,
            lang: "en".into(),
            branch: "Vanak".into(),
            touchpoint: String::new(),
            answers: BTreeMap::new(),
        };
        card.answers.insert("overall".into(), Answer::Rating(2));
        card.answers
            .insert("improve".into(), Answer::Text("Queue".into()));
        card.answers.insert(
            "contact".into(),
            Answer::Contact(Contact {
                value: "09123456789".into(),
                consent: true,
            }),
        );
        let customer = Customer::new(Meta::new(now), "Sara", Some("+98 912 345 6789"));
        assert!(owns_card(&customer, &card));
        let erased = erased_card(&card, now);
        assert!(!owns_card(&customer, &erased));
        assert_eq!(erased.answers.len(), 2);
        assert!(!serde_json::to_string(&erased).unwrap().contains("3456789"));
        let mut item = FeedbackItem::reported(
            Meta::new(now),
            FeedbackKind::Complaint,
            Channel::Phone,
            "The queue was long".into(),
            now,
        );
        item.customer = "Sara".into();
        item.contact = Some(Contact {
            value: "۰۹۱۲۳۴۵۶۷۸۹".into(),
            consent: true,
        });
        assert!(owns_item(&customer, &item));
        let erased = erased_item(&item, now);
        let json = serde_json::to_string(&erased).unwrap();
        assert!(!json.contains("Sara") && !json.contains("۹۱۲"));
        assert_eq!(erased.description, "The queue was long");
    }
}
