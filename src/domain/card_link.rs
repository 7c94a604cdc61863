//! The card link a customer's phone opens: everything a stranger's phone needs to fill the
//! shop's card and deliver it sealed, in the address's fragment (which the static host never
//! sees). `card.html#v=2&i=<inbox>&f=<fingerprint>&b=<branch>&p=<touchpoint>&t=<template>`:
//! - `i`: the inbox database's address (`https://couch.example.com/shop-inbox`);
//! - `f`: the fingerprint of the shop's public key ([`fingerprint`]), which pins it: the phone
//!   seals to the key the shop's staff published with the design, and only if one of the shop's
//!   published keys has this fingerprint. A poster whose link was swapped for one naming
//!   another key is refused before the customer answers anything. Links of the first version
//!   (`v=1`) carried the whole key in `k`; they still open, pinned to that key.
//! - `b`, `p`: the branch and the touchpoint the card is for;
//! - `t`: the card design, its id in 22 base64url characters. The design itself is published
//!   in the inbox by a staff device, where the phone reads it: a design in both languages does
//!   not fit a QR code a phone reads easily from a printed A6 card, its id does.

use uuid::Uuid;

/// The link format this build writes.
const VERSION: &str = "2";
/// The first link format, which carried the whole key: still read, for posters still hanging.
const VERSION_1: &str = "1";
/// Bytes of a key's fingerprint: SHA-256's first 128 bits.
pub const FINGERPRINT_BYTES: usize = 16;
/// Bytes of an uncompressed P-256 public key.
pub const KEY_BYTES: usize = 65;
/// Longest value kept from a link (a branch, a touchpoint, an address).
const MAX_VALUE: usize = 300;

/// What a card link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardLink {
    pub inbox: String,
    /// The fingerprint of the shop's public key the link was made for.
    pub pin: Vec<u8>,
    pub branch: String,
    pub touchpoint: String,
    pub template: Uuid,
}

/// Why a fragment is not a card link of ours (each a locale key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// No link data at all: a card page opened on the shop's own device.
    Absent,
    /// Written by a newer build.
    Newer,
    /// Cut short, altered or not ours.
    Damaged,
}

impl LinkProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            LinkProblem::Absent => "link.absent",
            LinkProblem::Newer => "link.newer",
            LinkProblem::Damaged => "link.damaged",
        }
    }
}

impl CardLink {
    /// The fragment, without its `#`.
    pub fn fragment(&self) -> String {
        format!(
            "v={VERSION}&i={}&f={}&b={}&p={}&t={}",
            escape(&self.inbox),
            base64url(&self.pin),
            escape(&self.branch),
            escape(&self.touchpoint),
            base64url(self.template.as_bytes()),
        )
    }

    /// The whole link: the card page's absolute address and the fragment.
    pub fn url(&self, card_page: &str) -> String {
        let page = card_page.split('#').next().unwrap_or_default();
        format!("{page}#{}", self.fragment())
    }

    /// Reads a fragment (with or without its `#`).
    pub fn parse(fragment: &str) -> Result<CardLink, LinkProblem> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if fragment.is_empty() {
            return Err(LinkProblem::Absent);
        }
        let mut fields = std::collections::BTreeMap::new();
        for pair in fragment.split('&') {
            let (name, value) = pair.split_once('=').ok_or(LinkProblem::Damaged)?;
            let value = unescape(value).ok_or(LinkProblem::Damaged)?;
            if value.chars().count() > MAX_VALUE || value.chars().any(char::is_control) {
                return Err(LinkProblem::Damaged);
            }
            fields.insert(name, value);
        }
        match fields.get("v").map(String::as_str) {
            None => {
                return Err(if fields.contains_key("i") {
                    LinkProblem::Damaged
                } else {
                    LinkProblem::Absent
                })
            }
            Some(VERSION | VERSION_1) => {}
            Some(v) if v.parse::<u32>().is_ok_and(|n| n > 2) => return Err(LinkProblem::Newer),
            Some(_) => return Err(LinkProblem::Damaged),
        }
        let field = |name: &str| fields.get(name).cloned().ok_or(LinkProblem::Damaged);
        let inbox = field("i")?;
        let web = inbox.starts_with("https://") || inbox.starts_with("http://");
        if !web || inbox.contains(char::is_whitespace) {
            return Err(LinkProblem::Damaged);
        }
        let pin = if fields.get("v").map(String::as_str) == Some(VERSION_1) {
            let key = unbase64url(&field("k")?).ok_or(LinkProblem::Damaged)?;
            // An uncompressed point starts with 4.
            if key.len() != KEY_BYTES || key[0] != 4 {
                return Err(LinkProblem::Damaged);
            }
            fingerprint(&key)
        } else {
            let pin = unbase64url(&field("f")?).ok_or(LinkProblem::Damaged)?;
            if pin.len() != FINGERPRINT_BYTES {
                return Err(LinkProblem::Damaged);
            }
            pin
        };
        let template = unbase64url(&field("t")?)
            .and_then(|b| Uuid::from_slice(&b).ok())
            .ok_or(LinkProblem::Damaged)?;
        Ok(CardLink {
            inbox,
            pin,
            branch: field("b")?,
            touchpoint: field("p")?,
            template,
        })
    }
}

/// Percent-encodes everything but letters, digits and `-._~:/` (an address stays readable).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn unescape(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A public key's fingerprint: the first [`FINGERPRINT_BYTES`] of its SHA-256 digest. Finding
/// another key with the same fingerprint takes about 2^128 tries.
pub fn fingerprint(public: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(public)[..FINGERPRINT_BYTES].to_vec()
}

/// The shop's key a link pins, among the shop's published keys (raw bytes): the current key (the
/// last), if any of them has the link's fingerprint; else the link is not the shop's.
pub fn pinned<'k>(pin: &[u8], published: &'k [Vec<u8>]) -> Option<&'k [u8]> {
    let current = published.last()?;
    let ours = published
        .iter()
        .any(|k| k.len() == KEY_BYTES && k[0] == 4 && fingerprint(k) == pin);
    (ours && current.len() == KEY_BYTES && current[0] == 4).then_some(current.as_slice())
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding.
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Reads base64url without padding; anything else is `None`.
pub fn unbase64url(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let v = ALPHABET.iter().position(|a| a == c)? as u32;
            n |= v << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> Vec<u8> {
        let mut key = vec![4u8];
        key.extend((1..KEY_BYTES as u8).map(|b| b.wrapping_mul(seed)));
        key
    }

    fn link() -> CardLink {
        CardLink {
            inbox: "https://couch.example.com/shop-inbox".into(),
            pin: fingerprint(&key(37)),
            branch: "ونک".into(),
            touchpoint: "counter".into(),
            template: Uuid::from_u128(0x0f3c_5a11_9e2b_4c7d_8e1f_2a3b_4c5d_6e7f),
        }
    }

    #[test]
    fn base64url_reads_back_every_length() {
        for n in 0..70 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 89 + 7) as u8).collect();
            let text = base64url(&bytes);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(unbase64url(&text), Some(bytes), "{n} bytes");
        }
        assert_eq!(base64url(b"hello"), "aGVsbG8");
        assert_eq!(unbase64url("aGVsbG8!"), None);
        assert_eq!(unbase64url("a"), None);
    }

    #[test]
    fn a_link_reads_back_and_its_fragment_is_short() {
        let l = link();
        let url = l.url("https://shop.example.com/lp/card.html#old");
        assert!(url.starts_with("https://shop.example.com/lp/card.html#v=2&i=https://couch"));
        let fragment = &url[url.find('#').unwrap()..];
        assert_eq!(CardLink::parse(fragment), Ok(l.clone()));
        // The fingerprint and the design's id are 22 characters each.
        assert!(l.fragment().len() < 150, "{}", l.fragment().len());
    }

    #[test]
    fn a_first_version_link_still_opens_pinned_to_the_key_it_carried() {
        let old = format!(
            "v=1&i=https://couch.example.com/shop-inbox&k={}&b=%D9%88%D9%86%DA%A9&p=counter&t={}",
            base64url(&key(37)),
            base64url(link().template.as_bytes())
        );
        assert_eq!(CardLink::parse(&old), Ok(link()));
        let bad = old.replace("&k=B", "&k=C");
        assert_eq!(CardLink::parse(&bad), Err(LinkProblem::Damaged));
    }

    #[test]
    fn a_link_pins_the_shops_current_key_only_through_one_of_the_shops_keys() {
        let (old, new, stranger) = (key(37), key(41), key(43));
        let published = vec![old.clone(), new.clone()];
        // A poster made before the key was replaced: the card is sealed to the current key.
        assert_eq!(pinned(&fingerprint(&old), &published), Some(&new[..]));
        assert_eq!(pinned(&fingerprint(&new), &published), Some(&new[..]));
        // A swapped sticker naming a stranger's key, or a shop with no key published.
        assert_eq!(pinned(&fingerprint(&stranger), &published), None);
        assert_eq!(pinned(&fingerprint(&new), &[]), None);
        // A published "key" that is no P-256 point is never sealed to.
        assert_eq!(
            pinned(&fingerprint(&old), &[old.clone(), vec![7; 65]]),
            None
        );
    }

    #[test]
    fn anything_else_is_said_to_be_absent_newer_or_damaged() {
        let good = link().fragment();
        assert_eq!(CardLink::parse(""), Err(LinkProblem::Absent));
        assert_eq!(CardLink::parse("#"), Err(LinkProblem::Absent));
        assert_eq!(CardLink::parse("#x=1"), Err(LinkProblem::Absent));
        assert_eq!(
            CardLink::parse(&good.replace("v=2", "v=3")),
            Err(LinkProblem::Newer)
        );
        let damaged = [
            good.replace("v=2", "v=x"),
            good.replace("v=2&", ""),
            good.replace("i=https", "i=javascript"),
            good[..good.len() - 3].to_owned(),
            good.replace("&f=", "&f=AA"),
            good.replace("&f=", "&k="),
            good.replace("%D9", "%ZZ"),
            format!("{good}&b=%00"),
            good.replace("p=counter", &format!("p={}", "x".repeat(400))),
            "v=2&i=https://a/b".into(),
        ];
        for f in damaged {
            assert_eq!(CardLink::parse(&f), Err(LinkProblem::Damaged), "{f}");
        }
    }
}
