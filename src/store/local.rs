//! The browser's localStorage as a [`Backend`].

use js_sys::JsString;
use wasm_bindgen::{prelude::wasm_bindgen, JsCast, JsValue};

use super::{Backend, BackendError};

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

fn is_quota(e: &wasm_bindgen::JsValue) -> bool {
    e.dyn_ref::<web_sys::DomException>().is_some_and(|d| {
        d.name() == "QuotaExceededError"
            || d.name() == "NS_ERROR_DOM_QUOTA_REACHED"
            || d.code() == 22
    })
}

// `Storage` read as JavaScript strings, to measure them without copying each into wasm.
#[wasm_bindgen]
extern "C" {
    type TextStorage;
    #[wasm_bindgen(method, catch, js_name = key)]
    fn key_text(this: &TextStorage, index: u32) -> Result<Option<JsString>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn item_text(this: &TextStorage, key: &JsString) -> Result<Option<JsString>, JsValue>;
}

impl Backend for LocalBackend {
    fn get(&self, key: &str) -> Option<String> {
        self.storage.get_item(key).ok().flatten()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), BackendError> {
        self.storage.set_item(key, value).map_err(|e| {
            if is_quota(&e) {
                BackendError::Quota
            } else {
                BackendError::Unavailable(describe(&e))
            }
        })
    }

    fn remove(&mut self, key: &str) {
        let _ = self.storage.remove_item(key);
    }

    fn keys(&self) -> Vec<String> {
        let n = self.storage.length().unwrap_or(0);
        (0..n)
            .filter_map(|i| self.storage.key(i).ok().flatten())
            .collect()
    }

    fn usage(&self) -> usize {
        let n = self.storage.length().unwrap_or(0);
        let storage: &TextStorage = self.storage.unchecked_ref();
        (0..n)
            .filter_map(|i| storage.key_text(i).ok().flatten())
            .map(|k| {
                let value = storage.item_text(&k).ok().flatten();
                k.length() + value.map_or(0, |v| v.length())
            })
            .map(|units| units as usize)
            .sum()
    }
}
