//! Self-sizing embeds (`#fit`, as embed.js opens them): the page's height posted to the
//! parent whenever it changes. Through `js_sys::Reflect`, which returns an error where the
//! browser throws. Used by the Leptos app's embeds (`ui::offline`) and the light embed.

use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The message type embed.js listens for.
pub const HEIGHT_MESSAGE: &str = "roofline:height";

/// Whether this embed was opened to size itself (`#fit` in its address: embed.js does).
pub fn fit_requested() -> bool {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .is_some_and(|h| h == "#fit")
}

/// Posts `{type: "roofline:height", height}` (CSS pixels, the bottom of the page's body: its
/// content's height, where the document's scrollHeight would never be less than the frame) to the
/// parent window now and whenever the page's size changes. The target origin is "*": the
/// message holds nothing but a height, and embed.js checks where it came from.
pub fn post_height_to_parent() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(parent) = window.parent().ok().flatten() else {
        return;
    };
    if JsValue::from(parent.clone()) == JsValue::from(window.clone()) {
        return; // not in a frame
    }
    let Some(root) = window.document().and_then(|d| d.document_element()) else {
        return;
    };
    let Some(body) = window.document().and_then(|d| d.body()) else {
        return;
    };
    let last = std::cell::Cell::new(-1.0);
    let post = {
        let body = body.clone();
        let window = window.clone();
        move || {
            let h = (body.get_bounding_client_rect().bottom() + window.scroll_y().unwrap_or(0.0))
                .ceil();
            if h == last.get() {
                return;
            }
            last.set(h);
            let msg = Object::new();
            let _ = Reflect::set(&msg, &"type".into(), &HEIGHT_MESSAGE.into());
            let _ = Reflect::set(&msg, &"height".into(), &JsValue::from(h));
            let _ = parent.post_message(&msg, "*");
        }
    };
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| post());
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        // The body's box follows the content; the observer fires once at the start too.
        observer.observe(&body);
        observer.observe(&root);
        callback.forget();
    }
}
