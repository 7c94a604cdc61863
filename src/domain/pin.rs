//! The staff PIN that guards the kiosk: what a PIN may be, how its hash is kept, and the
//! lockout after wrong tries. The slow hash itself (PBKDF2) is computed by the browser.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{digits, ValidationError};

/// PBKDF2-HMAC-SHA-256 rounds for a new PIN; hashes with fewer than the minimum are refused.
pub const ITERATIONS: u32 = 210_000;
pub const MIN_ITERATIONS: u32 = 100_000;
/// Wrong tries allowed before the PIN prompt locks.
pub const MAX_TRIES: u32 = 5;
/// How long the prompt stays locked after the last allowed wrong try.
pub const LOCK_SECONDS: i64 = 60;

/// A salted slow hash of the PIN; the PIN itself is never stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinHash {
    /// 16 random bytes, hex.
    pub salt: String,
    /// 32 bytes of PBKDF2-HMAC-SHA-256 output, hex.
    pub hash: String,
    pub iterations: u32,
}

impl PinHash {
    pub fn validate(&self) -> Result<(), ValidationError> {
        let hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex(&self.salt, 32) || !hex(&self.hash, 64) {
            return Err(ValidationError::Unknown {
                field: "PIN hash",
                value: String::new(),
            });
        }
        if self.iterations < MIN_ITERATIONS {
            return Err(ValidationError::OutOfRange {
                field: "PIN iterations",
                value: f64::from(self.iterations),
                min: f64::from(MIN_ITERATIONS),
                max: f64::from(u32::MAX),
            });
        }
        Ok(())
    }

    /// Whether a freshly derived hash matches, comparing every byte whatever the first
    /// difference, so timing tells nothing.
    pub fn matches(&self, derived_hex: &str) -> bool {
        let (a, b) = (self.hash.as_bytes(), derived_hex.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// A PIN as typed: 4 to 12 digits in any digit set, spaces ignored. Returns the ASCII digits.
pub fn normalize(input: &str) -> Option<String> {
    let pin: String = digits::normalize(input)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    ((4..=12).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())).then_some(pin)
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn from_hex(hex: &str) -> Option<Vec<u8>> {
    hex.len()
        .is_multiple_of(2)
        .then(|| {
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                .collect()
        })
        .flatten()
}

/// Wrong tries so far and, after too many, until when the prompt is locked. Kept on the device
/// so a reload does not reset it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockout {
    pub failures: u32,
    pub until: Option<DateTime<Utc>>,
}

impl Lockout {
    /// Seconds left before another try is allowed, if locked.
    pub fn locked_for(&self, now: DateTime<Utc>) -> Option<i64> {
        self.until
            .filter(|u| *u > now)
            .map(|u| (u - now).num_seconds().max(1))
    }

    /// Records a wrong try; the fifth in a row locks for a minute.
    pub fn fail(&mut self, now: DateTime<Utc>) {
        if self.until.is_some_and(|u| u <= now) {
            *self = Lockout::default();
        }
        self.failures += 1;
        if self.failures >= MAX_TRIES {
            self.until = Some(now + Duration::seconds(LOCK_SECONDS));
        }
    }

    /// Tries left before the lock.
    pub fn tries_left(&self) -> u32 {
        MAX_TRIES.saturating_sub(self.failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn pins_are_four_to_twelve_digits_in_any_script() {
        assert_eq!(normalize("۱۲۳۴").as_deref(), Some("1234"));
        assert_eq!(normalize("12 34 56").as_deref(), Some("123456"));
        assert_eq!(normalize("123"), None);
        assert_eq!(normalize("1234567890123"), None);
        assert_eq!(normalize("12a4"), None);
    }

    #[test]
    fn five_wrong_tries_lock_for_a_minute_and_then_the_count_starts_again() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
        let mut l = Lockout::default();
        for i in 0..4 {
            l.fail(t0);
            assert_eq!(l.locked_for(t0), None, "after {} tries", i + 1);
        }
        assert_eq!(l.tries_left(), 1);
        l.fail(t0);
        assert_eq!(l.locked_for(t0), Some(60));
        assert_eq!(l.locked_for(t0 + Duration::seconds(59)), Some(1));
        let later = t0 + Duration::seconds(61);
        assert_eq!(l.locked_for(later), None);
        l.fail(later);
        assert_eq!((l.failures, l.locked_for(later)), (1, None));
    }

    #[test]
    fn hashes_compare_whole_and_weak_ones_are_refused() {
        let h = PinHash {
            salt: "0".repeat(32),
            hash: "ab".repeat(32),
            iterations: ITERATIONS,
        };
        assert_eq!(h.validate(), Ok(()));
        assert!(h.matches(&"ab".repeat(32)));
        assert!(!h.matches(&"ab".repeat(31)));
        assert!(!h.matches(&format!("{}ac", "ab".repeat(31))));
        assert!(PinHash {
            iterations: 1_000,
            ..h.clone()
        }
        .validate()
        .is_err());
        assert!(PinHash {
            salt: "zz".repeat(16),
            ..h
        }
        .validate()
        .is_err());
    }

    #[test]
    fn hex_round_trips() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes.to_vec()));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
