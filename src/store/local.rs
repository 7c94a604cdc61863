//! The browser's localStorage as a [`Backend`].

use wasm_bindgen::{prelude::wasm_bindgen, JsCast, JsValue};

use super::{Backend, BackendError, Written};

/// localStorage of the current page. Every call reads the live storage, so writes by other tabs
/// are seen at once.
#[derive(Clone, Debug)]
pub struct LocalBackend {
    storage: web_sys::Storage,
}

impl LocalBackend {
    /// localStorage, or why it cannot be used (disabled by the browser, a sandboxed frame).
    pub fn open() -> Result<Self, BackendError> {
        let storage = web_sys::window()
            .ok_or_else(|| BackendError::Unavailable("no window".into()))?
            .local_storage()
            .map_err(|e| BackendError::Unavailable(describe(&e)))?
            .ok_or_else(|| BackendError::Unavailable("localStorage is disabled".into()))?;
        Ok(Self { storage })
    }
}

fn describe(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| d.name())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown".into())
}

fn error_of(e: &JsValue) -> BackendError {
    if is_quota(e) {
        BackendError::Quota
    } else {
        BackendError::Unavailable(describe(e))
    }
}

fn is_quota(e: &wasm_bindgen::JsValue) -> bool {
    e.dyn_ref::<web_sys::DomException>().is_some_and(|d| {
        d.name() == "QuotaExceededError"
            || d.name() == "NS_ERROR_DOM_QUOTA_REACHED"
            || d.code() == 22
    })
}

/// Separates entries when every key, or every value, is read as one string. JSON escapes it
/// and packed values never use it; if some other script's entry holds it, the pieces no longer
/// match the count and the entries are read one by one instead.
const SEPARATOR: char = '\u{1}';

#[wasm_bindgen(module = "/src/store/local.js")]
extern "C" {
    #[wasm_bindgen(js_name = joinedEntries, catch)]
    fn joined_entries(
        storage: &web_sys::Storage,
        separator: &str,
        prefix: &str,
    ) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(js_name = joinedKeys, catch)]
    fn joined_keys(
        storage: &web_sys::Storage,
        separator: &str,
        prefix: &str,
    ) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(js_name = setMany, catch)]
    fn set_many_joined(
        storage: &web_sys::Storage,
        keys: &str,
        values: &str,
        separator: &str,
    ) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(js_name = countKeys, catch)]
    fn count_keys(storage: &web_sys::Storage, prefix: &str) -> Result<f64, JsValue>;
    #[wasm_bindgen(js_name = usedUnits, catch)]
    fn used_units(storage: &web_sys::Storage) -> Result<f64, JsValue>;
}

/// `joined` cut at each [`SEPARATOR`], if that gives exactly `n` pieces (none for an empty
/// `joined` and `n` = 0).
fn split_exact(joined: &str, n: usize) -> Option<Vec<&str>> {
    if n == 0 {
        return joined.is_empty().then(Vec::new);
    }
    let pieces: Vec<&str> = joined.split(SEPARATOR).collect();
    (pieces.len() == n).then_some(pieces)
}

/// `pieces` joined with [`SEPARATOR`].
fn join<'a>(pieces: impl Iterator<Item = &'a str>) -> String {
    pieces.collect::<Vec<_>>().join(&SEPARATOR.to_string())
}

impl LocalBackend {
    /// The entries whose keys start with `prefix`, read in one call into the browser: how
    /// many, their keys joined, their values joined.
    fn joined_under(&self, prefix: &str) -> Option<(usize, String, String)> {
        let joined = joined_entries(&self.storage, &SEPARATOR.to_string(), prefix).ok()?;
        let n = joined.get(0).as_f64()? as usize;
        Some((n, joined.get(1).as_string()?, joined.get(2).as_string()?))
    }

    /// The keys that start with `prefix`, read in one call into the browser; `None` if the
    /// joined list cannot be told apart again (see [`SEPARATOR`]).
    fn keys_at_once(&self, prefix: &str) -> Option<Vec<String>> {
        let joined = joined_keys(&self.storage, &SEPARATOR.to_string(), prefix).ok()?;
        let n = joined.get(0).as_f64()? as usize;
        let keys = joined.get(1).as_string()?;
        Some(
            split_exact(&keys, n)?
                .into_iter()
                .map(str::to_owned)
                .collect(),
        )
    }

    /// Every key, one call per key.
    fn keys_one_by_one(&self) -> Vec<String> {
        let n = self.storage.length().unwrap_or(0);
        (0..n)
            .filter_map(|i| self.storage.key(i).ok().flatten())
            .collect()
    }
}

impl Backend for LocalBackend {
    fn get(&self, key: &str) -> Option<String> {
        self.storage.get_item(key).ok().flatten()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), BackendError> {
        self.storage.set_item(key, value).map_err(|e| error_of(&e))
    }

    fn set_many(&mut self, entries: &[(String, String)]) -> Written {
        // One call into the browser for the lot: the keys and values cross as two strings,
        // not two each, and only the few values they replace come back.
        let joinable = entries
            .iter()
            .all(|(k, v)| !k.contains(SEPARATOR) && !v.contains(SEPARATOR));
        if entries.is_empty() || !joinable {
            return super::set_each(self, entries);
        }
        let keys = join(entries.iter().map(|(k, _)| k.as_str()));
        let values = join(entries.iter().map(|(_, v)| v.as_str()));
        let sep = SEPARATOR.to_string();
        let result = match set_many_joined(&self.storage, &keys, &values, &sep) {
            Ok(result) => result,
            Err(e) => {
                return Written {
                    before: Vec::new(),
                    failed: Some(error_of(&e)),
                }
            }
        };
        let count = result.get(0).as_f64().unwrap_or(0.0) as usize;
        let mut before: Vec<Option<String>> = vec![None; count];
        let changed = js_sys::Array::from(&result.get(1));
        let previous = js_sys::Array::from(&result.get(2));
        for (i, value) in changed.iter().zip(previous.iter()) {
            if let (Some(i), Some(value)) = (i.as_f64(), value.as_string()) {
                if let Some(slot) = before.get_mut(i as usize) {
                    *slot = Some(value);
                }
            }
        }
        let error = result.get(3);
        Written {
            before,
            failed: (!error.is_null()).then(|| error_of(&error)),
        }
    }

    fn remove(&mut self, key: &str) {
        let _ = self.storage.remove_item(key);
    }

    fn keys(&self) -> Vec<String> {
        self.keys_under("")
    }

    fn keys_under(&self, prefix: &str) -> Vec<String> {
        self.keys_at_once(prefix).unwrap_or_else(|| {
            let mut keys = self.keys_one_by_one();
            keys.retain(|k| k.starts_with(prefix));
            keys
        })
    }

    fn count_under(&self, prefix: &str) -> usize {
        count_keys(&self.storage, prefix)
            .map_or_else(|_| self.keys_under(prefix).len(), |n| n as usize)
    }

    fn each_under(&self, prefix: &str, f: &mut dyn FnMut(&str, &str)) {
        // The two joined strings are all that is copied into wasm; each entry is a slice of them.
        if let Some((n, keys, values)) = self.joined_under(prefix) {
            if let (Some(keys), Some(values)) = (split_exact(&keys, n), split_exact(&values, n)) {
                for (key, value) in keys.into_iter().zip(values) {
                    f(key, value);
                }
                return;
            }
        }
        for key in self.keys_under(prefix) {
            if let Some(value) = self.get(&key) {
                f(&key, &value);
            }
        }
    }

    fn usage(&self) -> usize {
        // Counted in the browser, in UTF-16 units, with nothing copied into wasm.
        used_units(&self.storage).map_or(0, |units| units as usize)
    }
}
