//! The few DOM calls the light embed makes, each written once (web-sys, no framework).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// The page's document.
pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// A new `<tag class="class">` (no class when empty).
pub fn el(doc: &Document, tag: &str, class: &str) -> Element {
    let e = doc
        .create_element(tag)
        .unwrap_or_else(|_| doc.create_element("div").expect("a div"));
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

/// Sets attribute `name` of `e` to `value` (ignoring a browser's refusal).
pub fn attr(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// Sets or removes boolean attribute `name` (`hidden`, `open`).
pub fn flag(e: &Element, name: &str, on: bool) {
    if on {
        attr(e, name, "");
    } else {
        let _ = e.remove_attribute(name);
    }
}

/// Appends `child` to `parent`.
pub fn add(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// Appends text (never HTML) to `e`.
pub fn add_text(e: &Element, text: &str) {
    let _ = e.insert_adjacent_text("beforeend", text);
}

/// A new element holding `text` (never HTML).
pub fn el_text(doc: &Document, tag: &str, class: &str, text: &str) -> Element {
    let e = el(doc, tag, class);
    e.set_text_content(Some(text));
    e
}

/// Calls `f` on each `event` at `e`, for the page's life.
pub fn on(e: &Element, event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let callback = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    if e.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref())
        .is_ok()
    {
        callback.forget();
    }
}

/// Sets CSS property `name` of `e` through the CSSOM (the page's Content-Security-Policy
/// refuses `style` attributes, not the CSSOM).
pub fn css(e: &Element, name: &str, value: &str) {
    if let Some(h) = e.dyn_ref::<web_sys::HtmlElement>() {
        let _ = h.style().set_property(name, value);
    }
}

/// Starts a download of `href` as `name` (a click on a link made for it).
pub fn click_link(name: &str, href: &str) -> Result<(), String> {
    let doc = document().ok_or("no document")?;
    let a = doc
        .create_element("a")
        .map_err(|_| "no link element")?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "no link element")?;
    a.set_href(href);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Starts a download of `body` as `name` (its object URL revoked after the click).
pub fn download(name: &str, mime: &str, body: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&body.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused to make the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to make the file")?;
    let r = click_link(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    r
}
