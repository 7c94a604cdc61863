//! The proof of work a customer's phone puts on each card it sends to the shop's inbox: a
//! number that, hashed with the card's id and the day, gives a SHA-256 digest starting with
//! [`BITS`] zero bits. Finding one takes the phone about a second, spent while the customer is
//! still answering; checking one takes a staff device one hash. A script that forges thousands
//! of cards must spend that second on each, and cannot reuse a stamp: it names one card's id
//! and one day.

use sha2::{Digest, Sha256};

/// Leading zero bits a stamp's digest must have: about half a million hashes on average, about
/// a second on a phone at 4× CPU throttling (`./scripts/bench.sh` prints the hash rate and the
/// time; 20 bits took 2.1 s there).
pub const BITS: u32 = 19;
/// Days a stamp stays good after the day it names: a phone kept offline delivers later, a
/// stamp made ahead in bulk goes stale.
pub const DAYS_GOOD: i64 = 45;
/// Tells these digests apart from any other use of SHA-256.
const DOMAIN: &[u8] = b"listening-post stamp v1\n";

/// A card's stamp: the day it was made (`YYYY-MM-DD`, UTC) and the number found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub day: String,
    pub nonce: u64,
}

/// Why a stamp is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StampProblem {
    /// No stamp, or one that is not a day and a number.
    Missing,
    /// The digest has too few zero bits: no work was done for this card.
    Unworked,
    /// The day is after tomorrow, or more than [`DAYS_GOOD`] days before `today`.
    OutOfDate,
}

/// The hash state after the card's id and day, so each try hashes only the number.
fn prefix(id: &str, day: &str) -> Sha256 {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(id.as_bytes());
    h.update(b"\n");
    h.update(day.as_bytes());
    h.update(b"\n");
    h
}

fn zero_bits(digest: &[u8]) -> u32 {
    let mut bits = 0;
    for b in digest {
        if *b == 0 {
            bits += 8;
        } else {
            return bits + b.leading_zeros();
        }
    }
    bits
}

fn worked(base: &Sha256, nonce: u64, bits: u32) -> bool {
    let mut h = base.clone();
    h.update(nonce.to_le_bytes());
    zero_bits(&h.finalize()) >= bits
}

/// A search for a card's stamp, run a slice at a time so the page stays responsive.
pub struct Search {
    base: Sha256,
    day: String,
    next: u64,
    bits: u32,
}

impl Search {
    /// A search for the card `id` on `day` (`YYYY-MM-DD`), needing `bits` zero bits.
    pub fn new(id: &str, day: &str, bits: u32) -> Self {
        Self {
            base: prefix(id, day),
            day: day.to_owned(),
            next: 0,
            bits,
        }
    }

    /// Tries up to `tries` numbers more; the stamp, once one is found.
    pub fn step(&mut self, tries: u64) -> Option<Stamp> {
        let end = self.next.saturating_add(tries);
        while self.next < end {
            let n = self.next;
            self.next += 1;
            if worked(&self.base, n, self.bits) {
                return Some(Stamp {
                    day: self.day.clone(),
                    nonce: n,
                });
            }
        }
        None
    }

    /// Numbers tried so far.
    pub fn tried(&self) -> u64 {
        self.next
    }
}

/// Checks the stamp `day` and `nonce` (as the inbox document carries them) of the card `id`,
/// taken in on `today`, for `bits` zero bits ([`BITS`]).
pub fn check(
    id: &str,
    day: Option<&str>,
    nonce: Option<&str>,
    today: chrono::NaiveDate,
    bits: u32,
) -> Result<(), StampProblem> {
    let (Some(day), Some(nonce)) = (day, nonce) else {
        return Err(StampProblem::Missing);
    };
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .filter(|_| day.len() == 10)
        .ok_or(StampProblem::Missing)?;
    let digits =
        !nonce.is_empty() && nonce.len() <= 20 && nonce.bytes().all(|b| b.is_ascii_digit());
    let nonce: u64 = digits
        .then(|| nonce.parse().ok())
        .flatten()
        .ok_or(StampProblem::Missing)?;
    let age = (today - date).num_days();
    if !(-1..=DAYS_GOOD).contains(&age) {
        return Err(StampProblem::OutOfDate);
    }
    if worked(&prefix(id, day), nonce, bits) {
        Ok(())
    } else {
        Err(StampProblem::Unworked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const ID: &str = "0f3c5a11-9e2b-4c7d-8e1f-2a3b4c5d6e7f";

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn zero_bits_are_counted_across_bytes() {
        assert_eq!(zero_bits(&[0x80]), 0);
        assert_eq!(zero_bits(&[0x01]), 7);
        assert_eq!(zero_bits(&[0, 0, 0x0f]), 20);
        assert_eq!(zero_bits(&[0, 0]), 16);
    }

    #[test]
    fn a_found_stamp_checks_for_its_card_and_day_only() {
        let mut search = Search::new(ID, "2026-12-07", BITS);
        let stamp = loop {
            if let Some(s) = search.step(100_000) {
                break s;
            }
        };
        let nonce = stamp.nonce.to_string();
        let today = day("2026-12-07");
        assert_eq!(
            check(ID, Some("2026-12-07"), Some(&nonce), today, BITS),
            Ok(())
        );
        // Copied onto another card, or another day, it is no stamp.
        let other = "0f3c5a11-9e2b-4c7d-8e1f-2a3b4c5d6e70";
        assert_eq!(
            check(other, Some("2026-12-07"), Some(&nonce), today, BITS),
            Err(StampProblem::Unworked)
        );
        assert_eq!(
            check(ID, Some("2026-12-06"), Some(&nonce), today, BITS),
            Err(StampProblem::Unworked)
        );
        // A stamp delivered late is still good; a stale one or one from the future is not.
        assert_eq!(
            check(
                ID,
                Some("2026-12-07"),
                Some(&nonce),
                day("2027-01-15"),
                BITS
            ),
            Ok(())
        );
        assert_eq!(
            check(
                ID,
                Some("2026-12-07"),
                Some(&nonce),
                day("2027-02-01"),
                BITS
            ),
            Err(StampProblem::OutOfDate)
        );
        assert_eq!(
            check(
                ID,
                Some("2026-12-07"),
                Some(&nonce),
                day("2026-12-05"),
                BITS
            ),
            Err(StampProblem::OutOfDate)
        );
    }

    #[test]
    fn a_missing_or_malformed_stamp_is_missing() {
        let today = day("2026-12-07");
        for (d, n) in [
            (None, Some("1")),
            (Some("2026-12-07"), None),
            (Some("7 Dec 2026"), Some("1")),
            (Some("2026-12-07"), Some("-1")),
            (Some("2026-12-07"), Some("")),
            (Some("2026-12-07"), Some("1e5")),
            (Some("2026-12-07"), Some("99999999999999999999999")),
        ] {
            assert_eq!(
                check(ID, d, n, today, BITS),
                Err(StampProblem::Missing),
                "{d:?} {n:?}"
            );
        }
    }

    #[test]
    fn most_numbers_are_no_stamp() {
        // Without the work, a number passes once in 2^19: none of the first thousand does for
        // this card (the search above finds one only after many more).
        let base = prefix(ID, "2026-12-07");
        let passing = (0..1000).filter(|n| worked(&base, *n, BITS)).count();
        assert!(passing <= 1, "{passing}");
    }
}
