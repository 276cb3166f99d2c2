//! Offline use and self-sizing embeds, the browser side: registers the service worker
//! (`sw.js`, shipped beside the page; see public/sw.js), and, in an embed that sizes itself
//! (`#fit`, as embed.js opens it), posts the page's height to the parent whenever it changes.
//! Both go through `js_sys::Reflect`, which returns an error where the browser throws (a
//! sandboxed iframe's opaque origin may not even read `navigator.serviceWorker`).

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

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

// The self-sizing embed's side is plain web-sys, shared with the light embed.
pub use crate::lite::fit::{fit_requested, post_height_to_parent};
