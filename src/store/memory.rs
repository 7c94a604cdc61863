//! An in-memory [`Backend`] with localStorage's quota rule, for native tests and benchmarks.

use std::collections::BTreeMap;

use super::{Backend, BackendError};

/// Chromium's localStorage quota per origin, in UTF-16 code units (measured).
pub const CHROMIUM_QUOTA: usize = 5_242_000;

#[derive(Clone, Debug, Default)]
pub struct MemoryBackend {
    entries: BTreeMap<String, String>,
    /// Most UTF-16 code units keys and values may use together; `None` is unlimited.
    pub quota: Option<usize>,
    /// Make one write fail: the one after this many more have succeeded (a write cut short).
    pub fail_after: Option<usize>,
    used: usize,
}

fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

impl MemoryBackend {
    pub fn with_quota(quota: usize) -> Self {
        Self {
            quota: Some(quota),
            ..Self::default()
        }
    }

    /// A copy of every entry, to compare storage before and after.
    pub fn snapshot(&self) -> BTreeMap<String, String> {
        self.entries.clone()
    }

    pub fn used(&self) -> usize {
        self.used
    }
}

impl Backend for MemoryBackend {
    fn get(&self, key: &str) -> Option<String> {
        self.entries.get(key).cloned()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), BackendError> {
        match self.fail_after {
            Some(0) => {
                self.fail_after = None;
                return Err(BackendError::Unavailable("write interrupted".into()));
            }
            Some(n) => self.fail_after = Some(n - 1),
            None => {}
        }
        let old = self.entries.get(key).map_or(0, |v| units(key) + units(v));
        let new_used = self.used - old + units(key) + units(value);
        if self.quota.is_some_and(|q| new_used > q) {
            return Err(BackendError::Quota);
        }
        self.used = new_used;
        self.entries.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) {
        if let Some(v) = self.entries.remove(key) {
            self.used -= units(key) + units(&v);
        }
    }

    fn keys(&self) -> Vec<String> {
        self.entries.keys().cloned().collect()
    }
}
