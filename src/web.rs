//! Thin wrappers over the browser APIs the screens need: the document's language, file
//! downloads and reads, storage events, the time zone. Errors come back as values.

use chrono::FixedOffset;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::Lang;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Sets `<html lang dir>` and the page title for the interface language.
pub fn apply_language(lang: Lang, title: &str) {
    if let Some(doc) = document() {
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("lang", lang.code());
            let _ = root.set_attribute("dir", lang.dir());
        }
        doc.set_title(title);
    }
}

/// Runs `f` once the browser has drawn the next frame, when what a signal changed is on screen.
fn after_frame(f: impl FnOnce() + 'static) {
    if let Some(w) = web_sys::window() {
        let cb = Closure::once_into_js(f);
        let _ = w.request_animation_frame(cb.unchecked_ref());
    }
}

/// Focuses `el` without the browser's own jump, which could leave it at the very edge.
fn focus_quietly(el: &web_sys::HtmlElement) {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = el.focus_with_options(&options);
}

/// Takes the person to the element `selector` names on a screen just opened: after the screen
/// has put focus on its heading (see [`start_screen`]), focus moves there, scrolled into view.
pub fn focus_after_start(selector: String) {
    after_frame(move || focus_later(selector));
}

/// Focuses the element `selector` names once the next frame is drawn, if it is there then.
pub fn focus_later(selector: String) {
    after_frame(move || {
        let el = document()
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let _ = el.focus();
        }
    });
}

/// Loads the page again, from the server when no service worker answers.
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// True on a phone-sized screen, where a screen starts with less shown.
pub fn narrow_screen() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 40rem)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// A new screen starts at its top, with focus on its heading, so the keyboard and a screen
/// reader start there too (as a page load would).
pub fn start_screen() {
    after_frame(|| {
        let Some(w) = web_sys::window() else { return };
        w.scroll_to_with_x_and_y(0.0, 0.0);
        let heading = document()
            .and_then(|d| d.query_selector("main h1").ok().flatten())
            .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(h) = heading {
            if !h.has_attribute("tabindex") {
                let _ = h.set_attribute("tabindex", "-1");
            }
            focus_quietly(&h);
        }
    });
}

/// Takes the person to the first answer or field marked `aria-invalid` inside `scope` (a CSS
/// selector): focus on it (on a group's first control), and the field in the middle of the view
/// with its message beside it.
pub fn reveal_first_invalid(scope: &'static str) {
    after_frame(move || {
        let Some(doc) = document() else { return };
        let Some(bad) = doc
            .query_selector(&format!("{scope} [aria-invalid=\"true\"]"))
            .ok()
            .flatten()
        else {
            return;
        };
        let target = if bad.matches("input, select, textarea").unwrap_or(false) {
            Some(bad.clone())
        } else {
            bad.query_selector("input, select, textarea").ok().flatten()
        };
        if let Some(t) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            focus_quietly(&t);
        }
        if let Ok(group) = bad.dyn_into::<web_sys::HtmlElement>() {
            // The whole question, its title and message, not only the control, in view.
            let view = web_sys::ScrollIntoViewOptions::new();
            view.set_block(web_sys::ScrollLogicalPosition::Center);
            group.scroll_into_view_with_scroll_into_view_options(&view);
        }
    });
}

/// The browser's preferred language tag, e.g. `fa-IR`.
pub fn browser_language() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default()
}

/// The device's current offset from UTC.
pub fn local_offset() -> FixedOffset {
    let minutes_west = js_sys::Date::new_0().get_timezone_offset();
    FixedOffset::west_opt((minutes_west * 60.0) as i32)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

/// The device's calendar day today.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&local_offset())
        .date_naive()
}

/// Offers `content` to the user as a file download.
pub fn download(file_name: &str, mime: &str, content: &str) -> Result<(), JsValue> {
    let doc = document().ok_or_else(|| JsValue::from_str("no document"))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(file_name);
    a.style().set_property("display", "none")?;
    let body = doc.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&a)?;
    a.click();
    a.remove();
    // The click has started the download; the object URL is no longer needed.
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Lets the browser draw and handle input before going on. Where the browser has
/// `scheduler.yield()`, the work goes on as soon as that is done; elsewhere it goes on in a task
/// of its own, which a busy browser may hold back for a while.
pub async fn yield_now() {
    if let Some(promise) = scheduler_yield() {
        let _ = JsFuture::from(promise).await;
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let queued = web_sys::window()
            .and_then(|w| w.set_timeout_with_callback(&resolve).ok())
            .is_some();
        if !queued {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Long work that lets the browser draw and answer input about every `every_ms` of it.
pub struct Pace {
    every_ms: f64,
    since: f64,
}

impl Pace {
    /// Pauses due every `every_ms` of work, counted from now.
    pub fn every(every_ms: f64) -> Self {
        Self {
            every_ms,
            since: js_sys::Date::now(),
        }
    }

    /// Whether the work has gone on for a whole interval since the last pause.
    pub fn due(&self) -> bool {
        js_sys::Date::now() - self.since >= self.every_ms
    }

    /// Lets the browser draw ([`yield_now`]), then starts the next interval.
    pub async fn pause(&mut self) {
        yield_now().await;
        self.since = js_sys::Date::now();
    }
}

/// A mark on the page's performance timeline (`performance.mark`), which `e2e/bench.js` reads
/// back for the figures; nothing else looks at it.
pub fn mark(name: &str) {
    let global = js_sys::global();
    let Ok(performance) = js_sys::Reflect::get(&global, &"performance".into()) else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&performance, &"mark".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call1(&performance, &name.into());
        }
    }
}

/// `scheduler.yield()`, if this browser has it.
fn scheduler_yield() -> Option<js_sys::Promise> {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok()?;
    if scheduler.is_undefined() {
        return None;
    }
    let f = js_sys::Reflect::get(&scheduler, &"yield".into()).ok()?;
    let f = f.dyn_ref::<js_sys::Function>()?;
    f.call0(&scheduler).ok()?.dyn_into().ok()
}

/// Reads a chosen file as UTF-8 text.
pub async fn read_text(file: &web_sys::File) -> Result<String, JsValue> {
    let text = JsFuture::from(file.text()).await?;
    text.as_string()
        .ok_or_else(|| JsValue::from_str("not text"))
}

/// Calls `f(key, new_value)` whenever another tab changes localStorage (`key` is `None` when it
/// was cleared). The listener lives as long as the page.
pub fn on_storage_change(f: impl Fn(Option<String>, Option<String>) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let cb = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
        f(e.key(), e.new_value())
    });
    let _ = window.add_event_listener_with_callback("storage", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Whether the browser has promised to keep this site's storage (`None` when it cannot say).
pub async fn storage_persisted() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persisted().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// Asks the browser to keep this site's storage when space runs low, unless it already does;
/// gives its answer (`None` when it cannot say). Chromium answers at once from how the site is
/// used; Firefox may ask the user.
pub async fn ask_persistent_storage() -> Option<bool> {
    if storage_persisted().await == Some(true) {
        return Some(true);
    }
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persist().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// PBKDF2-HMAC-SHA-256 of `secret` with `salt`, 32 bytes, computed by the browser's SubtleCrypto.
pub async fn pbkdf2(secret: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, JsValue> {
    let subtle = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .crypto()?
        .subtle();
    let usages = js_sys::Array::of1(&JsValue::from_str("deriveBits"));
    let key_data = js_sys::Uint8Array::from(secret.as_bytes());
    let key: web_sys::CryptoKey =
        JsFuture::from(subtle.import_key_with_str("raw", &key_data, "PBKDF2", false, &usages)?)
            .await?
            .dyn_into()?;
    let salt = js_sys::Uint8Array::from(salt);
    let params =
        web_sys::Pbkdf2Params::new("PBKDF2", &JsValue::from_str("SHA-256"), iterations, &salt);
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, 256)?).await?;
    Ok(js_sys::Uint8Array::new(&bits).to_vec())
}

/// Asks the browser to fill the whole screen with the page (kiosk); refusal is harmless.
pub fn enter_fullscreen() {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.request_fullscreen();
    }
}

/// Opens the browser's print dialog for the page as shown (the print stylesheet applies).
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Prints only the element `selector` finds: a copy of it goes straight under `<body>`, and the
/// print stylesheet shows nothing else while the root element has the class `printing-copy`.
/// Both go once the print dialog closes.
pub fn print_only(selector: &str) {
    let Some(doc) = document() else { return };
    let (Some(root), Some(body)) = (doc.document_element(), doc.body()) else {
        return;
    };
    let Some(copy) = doc
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.clone_node_with_deep(true).ok())
    else {
        return;
    };
    use wasm_bindgen::JsCast;
    let Ok(copy) = copy.dyn_into::<web_sys::Element>() else {
        return;
    };
    let _ = copy.class_list().add_1("print-copy");
    let _ = body.append_child(&copy);
    let _ = root.class_list().add_1("printing-copy");
    print();
    let _ = root.class_list().remove_1("printing-copy");
    copy.remove();
}

/// Selects the text of an input, for the person to copy themselves.
pub fn select_text(selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(input) = document()
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        let _ = input.focus();
        input.select();
    }
}

pub fn exit_fullscreen() {
    if let Some(doc) = document() {
        if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        }
    }
}

/// Keeps the screen awake where the browser offers the Screen Wake Lock API (a kiosk on a
/// counter). Browsers without it, or that refuse, simply let the screen sleep.
pub fn keep_screen_awake() {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return;
    };
    let Ok(lock) = js_sys::Reflect::get(&navigator, &JsValue::from_str("wakeLock")) else {
        return;
    };
    if lock.is_undefined() {
        return;
    }
    if let Ok(request) = js_sys::Reflect::get(&lock, &JsValue::from_str("request")) {
        if let Some(request) = request.dyn_ref::<js_sys::Function>() {
            if let Ok(promise) = request.call1(&lock, &JsValue::from_str("screen")) {
                if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = JsFuture::from(promise).await;
                    });
                }
            }
        }
    }
}
