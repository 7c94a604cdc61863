//! How records are written into localStorage strings, compactly enough for 100,000 cards in
//! Chromium's 5,242,000-unit quota.
//!
//! - Keys: `lp1:` + a kind letter + the record's 16-byte id packed into 9 characters.
//! - Satisfaction cards, the kind stored by the tens of thousands, are written in a small binary
//!   layout packed 15 bits to a character (U+4000–U+BFFF, far from the surrogate range, so every
//!   value is a valid string). A card is written this way only if decoding gives back exactly
//!   the same card.
//! - Every other record (and a card with no packed form) is its JSON, whose UTF-8 bytes are
//!   packed the same way when that is shorter: ASCII-heavy JSON then takes about half the
//!   characters, so tens of thousands of feedback items fit too. A value starting with `{` is
//!   plain JSON, as older versions wrote it.
//!
//! The export file is always JSON; this layout never leaves the browser.

use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

use crate::domain::{
    card::{Answer, Card, Contact},
    template::{DEFAULT_QUESTION_IDS, DEFAULT_TEMPLATE_ID},
    Kind, Meta, Record,
};

/// First character of a packed value; JSON values start with `{`.
const BASE: u32 = 0x4000;
/// Layout version of a packed card, its first byte.
const CARD_LAYOUT: u8 = 1;
/// Packed layout of a record's JSON text.
const JSON_LAYOUT: u8 = 2;

fn letter(kind: Kind) -> char {
    match kind {
        Kind::Settings => 's',
        Kind::Template => 't',
        Kind::Card => 'c',
        Kind::Assessment => 'a',
        Kind::Feedback => 'f',
        Kind::Customer => 'u',
    }
}

fn kind_of(letter: char) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| self::letter(*k) == letter)
}

/// Packs bytes 15 bits to a character. Trailing padding bits are zero.
pub fn pack(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 15 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 15 {
            bits -= 15;
            out.push(char::from_u32(BASE + ((acc >> bits) & 0x7FFF)).unwrap_or('\u{4000}'));
        }
    }
    if bits > 0 {
        out.push(char::from_u32(BASE + ((acc << (15 - bits)) & 0x7FFF)).unwrap_or('\u{4000}'));
    }
    out
}

/// Unpacks what [`pack`] wrote; the result may carry up to one byte of zero padding.
pub fn unpack(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 15 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.chars() {
        let v = (c as u32).checked_sub(BASE).filter(|v| *v <= 0x7FFF)?;
        acc = (acc << 15) | v;
        bits += 15;
        while bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    Some(out)
}

/// What every key of one kind of record starts with.
pub fn kind_prefix(prefix: &str, kind: Kind) -> String {
    format!("{prefix}{}", letter(kind))
}

/// The storage key of a record.
pub fn key(prefix: &str, kind: Kind, id: Uuid) -> String {
    format!("{prefix}{}{}", letter(kind), pack(id.as_bytes()))
}

/// The kind and id a key names, if it is exactly the key [`key`] writes for them. Nine
/// characters carry 135 bits, 7 more than an id: a key with any of those set names the same id
/// as another, and is not ours.
pub fn parse_key(prefix: &str, key: &str) -> Option<(Kind, Uuid)> {
    let mut rest = key.strip_prefix(prefix)?.chars();
    let kind = kind_of(rest.next()?)?;
    let packed: String = rest.collect();
    if packed.chars().count() != 9 {
        return None;
    }
    let bytes = unpack(&packed)?;
    let id = Uuid::from_slice(bytes.get(..16)?).ok()?;
    (pack(id.as_bytes()) == packed).then_some((kind, id))
}

/// Writes a record's value.
pub fn encode(record: &Record) -> String {
    match record {
        Record::Card(card) => encode_card(card),
        _ => encode_json(record.to_json()),
    }
}

/// Writes a card's value: packed, or its JSON when it has no packed form.
pub fn encode_card(card: &Card) -> String {
    pack_card(card).unwrap_or_else(|| encode_json(serde_json::to_string(card).unwrap_or_default()))
}

/// Reads the JSON of a value written by [`encode`] for a record that is never packed as a
/// card (every kind but cards).
pub fn decode_json<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    if value.starts_with('{') {
        return serde_json::from_str(value).ok();
    }
    let bytes = unpack(value)?;
    if bytes.first() != Some(&JSON_LAYOUT) {
        return None;
    }
    let text = std::str::from_utf8(&bytes[1..])
        .ok()?
        .trim_end_matches('\0');
    serde_json::from_str(text).ok()
}

/// Writes a record's JSON text, packed when that is shorter.
pub fn encode_json(json: String) -> String {
    let mut bytes = Vec::with_capacity(json.len() + 1);
    bytes.push(JSON_LAYOUT);
    bytes.extend_from_slice(json.as_bytes());
    let packed = pack(&bytes);
    // Mostly Persian text is no shorter packed; keep it plain then.
    if packed.encode_utf16().count() < json.encode_utf16().count() {
        packed
    } else {
        json
    }
}

/// Why a stored value could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    Unreadable,
    IdMismatch,
}

/// Reads a record's value written by [`encode`] under the key of `kind` and `id`.
pub fn decode(kind: Kind, id: Uuid, value: &str) -> Result<Record, DecodeError> {
    let record = if value.starts_with('{') {
        Record::from_json(kind, value).map_err(|_| DecodeError::Unreadable)?
    } else {
        let bytes = unpack(value).ok_or(DecodeError::Unreadable)?;
        match bytes.first() {
            Some(&CARD_LAYOUT) if kind == Kind::Card => {
                Record::Card(read_card(id, &bytes).ok_or(DecodeError::Unreadable)?)
            }
            Some(&JSON_LAYOUT) => {
                let text = std::str::from_utf8(&bytes[1..])
                    .map_err(|_| DecodeError::Unreadable)?
                    // The packing's zero padding; JSON never ends in NUL.
                    .trim_end_matches('\0');
                Record::from_json(kind, text).map_err(|_| DecodeError::Unreadable)?
            }
            _ => return Err(DecodeError::Unreadable),
        }
    };
    if record.id() != id {
        return Err(DecodeError::IdMismatch);
    }
    Ok(record)
}

// ---- the packed card layout -------------------------------------------------------------

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

const TAG_RATING: u8 = 0;
const TAG_TEXT: u8 = 1;
const TAG_CHOICES: u8 = 2;
const TAG_CONTACT: u8 = 3;

fn millis(t: DateTime<Utc>) -> Option<u64> {
    u64::try_from(t.timestamp_millis()).ok()
}

/// The packed form of a card, if it has one that reads back identically.
fn pack_card(card: &Card) -> Option<String> {
    let mut out = Vec::with_capacity(64);
    out.push(CARD_LAYOUT);
    let created = millis(card.meta.created)?;
    put_varint(&mut out, created);
    put_varint(&mut out, millis(card.meta.updated)?.checked_sub(created)?);
    put_varint(&mut out, u64::from(card.meta.v));
    let lang_fa = match card.lang.as_str() {
        "en" => 0,
        "fa" => 1,
        _ => return None,
    };
    let default_template = card.template == DEFAULT_TEMPLATE_ID;
    out.push(lang_fa | (u8::from(default_template) << 1));
    if !default_template {
        out.extend_from_slice(card.template.as_bytes());
    }
    put_varint(&mut out, u64::from(card.template_version));
    put_str(&mut out, &card.branch);
    put_str(&mut out, &card.touchpoint);
    put_varint(&mut out, card.answers.len() as u64);
    for (question, answer) in &card.answers {
        let code = DEFAULT_QUESTION_IDS
            .iter()
            .position(|q| q == question)
            .map_or(0, |i| i as u8 + 1);
        let tag = match answer {
            Answer::Rating(_) => TAG_RATING,
            Answer::Text(_) => TAG_TEXT,
            Answer::Choices(_) => TAG_CHOICES,
            Answer::Contact(_) => TAG_CONTACT,
        };
        out.push(tag << 6 | code);
        if code == 0 {
            put_str(&mut out, question);
        }
        match answer {
            Answer::Rating(v) => out.push(*v),
            Answer::Text(t) => put_str(&mut out, t),
            Answer::Choices(list) => {
                put_varint(&mut out, list.len() as u64);
                for c in list {
                    put_str(&mut out, c);
                }
            }
            Answer::Contact(c) => {
                put_str(&mut out, &c.value);
                out.push(u8::from(c.consent));
            }
        }
    }
    let packed = pack(&out);
    // Only a layout that gives back the very same card is used.
    let back = unpack(&packed).and_then(|b| read_card(card.meta.id, &b));
    (back.as_ref() == Some(card)).then_some(packed)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn string(&mut self) -> Option<String> {
        let n = usize::try_from(self.varint()?).ok()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    /// Everything read, with at most one byte of zero padding left.
    fn finished(&self) -> bool {
        self.bytes[self.at..].iter().all(|b| *b == 0) && self.bytes.len() - self.at <= 1
    }
}

fn read_card(id: Uuid, bytes: &[u8]) -> Option<Card> {
    let mut r = Reader { bytes, at: 0 };
    if r.byte()? != CARD_LAYOUT {
        return None;
    }
    let created_ms = r.varint()?;
    let updated_ms = created_ms.checked_add(r.varint()?)?;
    let time = |ms: u64| Utc.timestamp_millis_opt(i64::try_from(ms).ok()?).single();
    let meta = Meta {
        id,
        created: time(created_ms)?,
        updated: time(updated_ms)?,
        v: u32::try_from(r.varint()?).ok()?,
    };
    let flags = r.byte()?;
    if flags > 3 {
        return None;
    }
    let lang = if flags & 1 == 1 { "fa" } else { "en" }.to_owned();
    let template = if flags & 2 == 2 {
        DEFAULT_TEMPLATE_ID
    } else {
        Uuid::from_slice(r.take(16)?).ok()?
    };
    let template_version = u32::try_from(r.varint()?).ok()?;
    let branch = r.string()?;
    let touchpoint = r.string()?;
    let count = r.varint()?;
    let mut answers = std::collections::BTreeMap::new();
    for _ in 0..count {
        let head = r.byte()?;
        let (tag, code) = (head >> 6, usize::from(head & 0x3F));
        let question = match code {
            0 => r.string()?,
            n => (*DEFAULT_QUESTION_IDS.get(n - 1)?).to_owned(),
        };
        let answer = match tag {
            TAG_RATING => Answer::Rating(r.byte()?),
            TAG_TEXT => Answer::Text(r.string()?),
            TAG_CHOICES => {
                let n = r.varint()?;
                let mut list = Vec::new();
                for _ in 0..n {
                    list.push(r.string()?);
                }
                Answer::Choices(list)
            }
            _ => {
                let value = r.string()?;
                let consent = match r.byte()? {
                    0 => false,
                    1 => true,
                    _ => return None,
                };
                Answer::Contact(Contact { value, consent })
            }
        };
        if answers.insert(question, answer).is_some() {
            return None;
        }
    }
    r.finished().then_some(Card {
        meta,
        template,
        template_version,
        lang,
        branch,
        touchpoint,
        answers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_round_trips_every_length() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let back = unpack(&pack(&bytes)).unwrap();
            assert_eq!(&back[..len], &bytes[..]);
            assert!(back[len..].iter().all(|b| *b == 0) && back.len() - len <= 1);
        }
    }

    #[test]
    fn packed_text_is_never_a_surrogate_or_brace() {
        let s = pack(&[0xFF; 64]);
        assert!(s.chars().all(|c| (0x4000..=0xBFFF).contains(&(c as u32))));
    }

    #[test]
    fn keys_name_their_kind_and_id_and_nothing_else_parses() {
        let id = Uuid::new_v4();
        for kind in Kind::ALL {
            let k = key("lp1:", kind, id);
            assert_eq!(k.chars().count(), 14);
            assert_eq!(parse_key("lp1:", &k), Some((kind, id)));
        }
        // The same id with one of the seven spare bits set: another key, not this record's.
        let k = key("lp1:", Kind::Card, id);
        let last = k.chars().last().unwrap();
        let spare = char::from_u32(last as u32 | 1).unwrap();
        assert_ne!(spare, last, "the id's last bits leave the lowest bit spare");
        let other: String = k.chars().take(13).chain([spare]).collect();
        assert_eq!(parse_key("lp1:", &other), None);
        assert_eq!(parse_key("lp1:", "lp1:c"), None);
        assert_eq!(parse_key("lp1:", "lp1:x123456789"), None);
        assert_eq!(parse_key("lp1:", "lp1:card:not-a-uuid"), None);
    }

    #[test]
    fn a_card_with_nanosecond_times_falls_back_to_packed_json_and_reads_back_the_same() {
        let mut meta = Meta::new(Utc::now());
        meta.created = Utc.timestamp_nanos(1_700_000_000_123_456_789);
        meta.updated = meta.created;
        let card = Card {
            meta,
            template: DEFAULT_TEMPLATE_ID,
            template_version: 1,
            lang: "en".into(),
            branch: String::new(),
            touchpoint: String::new(),
            answers: Default::default(),
        };
        let value = encode(&Record::Card(card.clone()));
        assert_eq!(unpack(&value).unwrap()[0], JSON_LAYOUT);
        assert_eq!(
            decode(Kind::Card, card.meta.id, &value),
            Ok(Record::Card(card))
        );
    }

    #[test]
    fn other_records_are_packed_json_when_shorter_and_read_back_the_same() {
        use crate::domain::settings::Settings;
        let mut settings = Settings::defaults(Utc::now());
        settings.business_name = "Cafe".into();
        let english = Record::Settings(settings.clone());
        let value = encode(&english);
        assert!(!value.starts_with('{'));
        assert!(value.encode_utf16().count() * 10 < english.to_json().len() * 6);
        assert_eq!(
            decode(Kind::Settings, settings.meta.id, &value),
            Ok(english)
        );
        // Persian text packs no shorter, so it stays plain JSON.
        settings.business_name = "کافه".repeat(2000);
        let persian = Record::Settings(settings.clone());
        let value = encode(&persian);
        assert!(value.starts_with('{'));
        assert_eq!(
            decode(Kind::Settings, settings.meta.id, &value),
            Ok(persian)
        );
        // Plain JSON as older versions wrote it still reads.
        let old = Record::Settings(Settings::defaults(Utc::now()));
        assert_eq!(
            decode(Kind::Settings, old.id(), &old.to_json()),
            Ok(old.clone())
        );
        // A packed value cut short does not read as something else.
        let value = encode(&old);
        let cut: String = value.chars().take(value.chars().count() / 2).collect();
        assert_eq!(
            decode(Kind::Settings, old.id(), &cut),
            Err(DecodeError::Unreadable)
        );
    }

    #[test]
    fn truncated_or_altered_packed_cards_are_unreadable_not_wrong() {
        let mut answers = std::collections::BTreeMap::new();
        answers.insert("overall".to_owned(), Answer::Rating(4));
        answers.insert(
            "custom question".to_owned(),
            Answer::Choices(vec!["a".into(), "ب".into()]),
        );
        answers.insert(
            "contact".to_owned(),
            Answer::Contact(Contact {
                value: "0912 345 6789".into(),
                consent: true,
            }),
        );
        let card = Card {
            meta: Meta::new(Utc::now()),
            template: Uuid::new_v4(),
            template_version: 3,
            lang: "fa".into(),
            branch: "ونک".into(),
            touchpoint: "kiosk".into(),
            answers,
        };
        let value = encode(&Record::Card(card.clone()));
        assert!(!value.starts_with('{'));
        assert_eq!(
            decode(Kind::Card, card.meta.id, &value),
            Ok(Record::Card(card.clone()))
        );
        let chars: Vec<char> = value.chars().collect();
        for cut in 1..chars.len() {
            let short: String = chars[..cut].iter().collect();
            assert!(
                decode(Kind::Card, card.meta.id, &short).is_err(),
                "cut at {cut}"
            );
        }
        assert_eq!(
            decode(Kind::Card, card.meta.id, "not packed"),
            Err(DecodeError::Unreadable)
        );
        assert_eq!(
            decode(Kind::Settings, card.meta.id, &value),
            Err(DecodeError::Unreadable)
        );
    }
}
