//! The card link a customer's phone opens: everything a stranger's phone needs to fill the
//! shop's card and deliver it sealed, in the address's fragment (which the static host never
//! sees). `card.html#v=1&i=<inbox>&k=<key>&b=<branch>&p=<touchpoint>&t=<template>`:
//! - `i`: the inbox database's address (`https://couch.example.com/shop-inbox`);
//! - `k`: the shop's public key, an uncompressed P-256 point (65 bytes), base64url;
//! - `b`, `p`: the branch and the touchpoint the card is for;
//! - `t`: the card design, its id in 22 base64url characters. The design itself is published
//!   in the inbox by a staff device, where the phone reads it: a design in both languages does
//!   not fit a QR code a phone reads easily from a printed A6 card, its id does.

use uuid::Uuid;

/// The link format this build writes and reads.
const VERSION: &str = "1";
/// Bytes of an uncompressed P-256 public key.
pub const KEY_BYTES: usize = 65;
/// Longest value kept from a link (a branch, a touchpoint, an address).
const MAX_VALUE: usize = 300;

/// What a card link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardLink {
    pub inbox: String,
    /// The public key's raw bytes.
    pub key: Vec<u8>,
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
            "v={VERSION}&i={}&k={}&b={}&p={}&t={}",
            escape(&self.inbox),
            base64url(&self.key),
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
            Some(VERSION) => {}
            Some(v) if v.parse::<u32>().is_ok_and(|n| n > 1) => return Err(LinkProblem::Newer),
            Some(_) => return Err(LinkProblem::Damaged),
        }
        let field = |name: &str| fields.get(name).cloned().ok_or(LinkProblem::Damaged);
        let inbox = field("i")?;
        let web = inbox.starts_with("https://") || inbox.starts_with("http://");
        if !web || inbox.contains(char::is_whitespace) {
            return Err(LinkProblem::Damaged);
        }
        let key = unbase64url(&field("k")?).ok_or(LinkProblem::Damaged)?;
        // An uncompressed point starts with 4.
        if key.len() != KEY_BYTES || key[0] != 4 {
            return Err(LinkProblem::Damaged);
        }
        let template = unbase64url(&field("t")?)
            .and_then(|b| Uuid::from_slice(&b).ok())
            .ok_or(LinkProblem::Damaged)?;
        Ok(CardLink {
            inbox,
            key,
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

    fn link() -> CardLink {
        let mut key = vec![4u8];
        key.extend((1..KEY_BYTES as u8).map(|b| b.wrapping_mul(37)));
        CardLink {
            inbox: "https://couch.example.com/shop-inbox".into(),
            key,
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
        assert!(url.starts_with("https://shop.example.com/lp/card.html#v=1&i=https://couch"));
        let fragment = &url[url.find('#').unwrap()..];
        assert_eq!(CardLink::parse(fragment), Ok(l.clone()));
        // The key and the design's id are 87 and 22 characters.
        assert!(l.fragment().len() < 220, "{}", l.fragment().len());
    }

    #[test]
    fn anything_else_is_said_to_be_absent_newer_or_damaged() {
        let good = link().fragment();
        assert_eq!(CardLink::parse(""), Err(LinkProblem::Absent));
        assert_eq!(CardLink::parse("#"), Err(LinkProblem::Absent));
        assert_eq!(CardLink::parse("#x=1"), Err(LinkProblem::Absent));
        assert_eq!(
            CardLink::parse(&good.replace("v=1", "v=2")),
            Err(LinkProblem::Newer)
        );
        let damaged = [
            good.replace("v=1", "v=x"),
            good.replace("v=1&", ""),
            good.replace("i=https", "i=javascript"),
            good[..good.len() - 3].to_owned(),
            good.replace("&k=B", "&k=C"),
            good.replace("%D9", "%ZZ"),
            format!("{good}&b=%00"),
            good.replace("p=counter", &format!("p={}", "x".repeat(400))),
            "v=1&i=https://a/b".into(),
        ];
        for f in damaged {
            assert_eq!(CardLink::parse(&f), Err(LinkProblem::Damaged), "{f}");
        }
    }
}
