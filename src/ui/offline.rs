//! Offline use and self-sizing embeds, the browser side: registers the service worker
//! (`sw.js`, shipped beside the page; see public/sw.js), and, in an embed that sizes itself
//! (`#fit`, as embed.js opens it), posts the page's height to the parent whenever it changes.
//! Both go through `js_sys::Reflect`, which returns an error where the browser throws (a
//! sandboxed iframe's opaque origin may not even read `navigator.serviceWorker`).

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The message type embed.js listens for.
pub const HEIGHT_MESSAGE: &str = "roofline:height";

/// Registers `sw.js` (relative to the page, so its scope is the page's folder on any
/// sub-path). Does nothing where there is no service worker (sandboxed frames, http on a
/// non-local host, old browsers); a refused registration leaves the page as it is (online
/// only), never fails it.
pub fn register_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator: JsValue = window.navigator().into();
    let Ok(container) = Reflect::get(&navigator, &JsValue::from_str("serviceWorker")) else {
        return;
    };
    if container.is_undefined() || container.is_null() {
        return;
    }
    let Ok(register) = Reflect::get(&container, &JsValue::from_str("register")) else {
        return;
    };
    let Some(register) = register.dyn_ref::<Function>() else {
        return;
    };
    if let Ok(promise) = register.call1(&container, &JsValue::from_str("./sw.js")) {
        if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}

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
