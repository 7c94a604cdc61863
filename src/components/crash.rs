//! The message shown when the app panics. Built with plain DOM calls, since the reactive
//! runtime may be what failed.

use wasm_bindgen::{closure::Closure, JsCast};

use crate::{
    i18n::{self, Lang},
    store::prefs,
};

/// Covers the page with an explanation, a reload button and the technical detail.
pub fn show(detail: &str) {
    let lang = prefs::get::<Lang>(prefs::LANG).unwrap_or_default();
    let _ = build(lang, ["crash.title", "crash.body"], detail);
}

/// Covers the page with another explanation (locale keys of its title and text) in `lang`, with
/// the same reload button and detail: for an app that could not start.
pub fn show_failed_start(lang: Lang, keys: [&str; 2], detail: &str) {
    let _ = build(lang, keys, detail);
}

fn build(lang: Lang, [title, text]: [&str; 2], detail: &str) -> Option<()> {
    let doc = web_sys::window()?.document()?;
    let body = doc.body()?;
    if doc.get_element_by_id("crash").is_some() {
        return Some(());
    }
    let el = |tag: &str, text: &str| -> Option<web_sys::Element> {
        let e = doc.create_element(tag).ok()?;
        e.set_text_content(Some(text));
        Some(e)
    };
    let root = doc.create_element("div").ok()?;
    root.set_id("crash");
    root.set_attribute("role", "alert").ok()?;
    root.set_attribute("lang", lang.code()).ok()?;
    root.set_attribute("dir", lang.dir()).ok()?;
    root.append_child(&el("h1", i18n::t(lang, title))?.into())
        .ok()?;
    root.append_child(&el("p", i18n::t(lang, text))?.into())
        .ok()?;
    let button = el("button", i18n::t(lang, "crash.reload"))?;
    button.set_attribute("type", "button").ok()?;
    let reload = Closure::<dyn Fn()>::new(crate::web::reload);
    button
        .add_event_listener_with_callback("click", reload.as_ref().unchecked_ref())
        .ok()?;
    reload.forget();
    root.append_child(&button).ok()?;
    let details = doc.create_element("details").ok()?;
    details
        .append_child(&el("summary", i18n::t(lang, "crash.detail"))?.into())
        .ok()?;
    details.append_child(&el("pre", detail)?.into()).ok()?;
    root.append_child(&details).ok()?;
    body.append_child(&root).ok()?;
    Some(())
}
