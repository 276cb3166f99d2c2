//! Offline use and self-sizing embeds, the browser side: registers the service worker
//! (`sw.js`, shipped beside the page; see public/sw.js) once the visitor pauses, and, in an
//! embed that sizes itself
//! (`#fit`, as embed.js opens it), posts the page's height to the parent whenever it changes.
//! Both go through `js_sys::Reflect`, which returns an error where the browser throws (a
//! sandboxed iframe's opaque origin may not even read `navigator.serviceWorker`).

use js_sys::{Function, Reflect};
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Quiet time (ms) without input before a first visit's worker is registered: its install
/// downloads every file of the build again, and on a 2-core machine that work doubled the
/// p95 of the first edits after load (docs/benchmarks.md).
pub const QUIET_MS: i32 = 2000;

/// What the visitor does that postpones the first install.
const INPUT_EVENTS: [&str; 5] = ["keydown", "input", "pointerdown", "wheel", "scroll"];

thread_local! {
    /// The waiting registration's timer, its callback and the input listener; taken (once)
    /// when the registration goes ahead.
    static PENDING: RefCell<Option<(i32, Function, Function)>> = const { RefCell::new(None) };
}

/// `navigator.serviceWorker`; None where there is none (sandboxed frames, http on a
/// non-local host, old browsers) or the browser throws on reading it.
fn worker_container(window: &web_sys::Window) -> Option<JsValue> {
    let navigator: JsValue = window.navigator().into();
    Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
}

/// Registers the worker at once where one already controls the page (a later visit: the
/// browser only checks for a new build), else once the visitor has left the page alone for
/// [`QUIET_MS`], or leaves the tab, whichever comes first. Called once per page; does nothing
/// where there is no service worker.
pub fn register_worker_when_quiet() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(container) = worker_container(&window) else {
        return;
    };
    let controlled = Reflect::get(&container, &JsValue::from_str("controller"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if controlled {
        register_worker();
        return;
    }
    let fire: Function = Closure::<dyn FnMut()>::new(register_now)
        .into_js_value()
        .unchecked_into();
    let on_input: Function = Closure::<dyn FnMut()>::new(restart_quiet_timer)
        .into_js_value()
        .unchecked_into();
    let Ok(timer) = window.set_timeout_with_callback_and_timeout_and_arguments_0(&fire, QUIET_MS)
    else {
        register_worker();
        return;
    };
    for e in INPUT_EVENTS {
        let _ = window.add_event_listener_with_callback_and_bool(e, &on_input, true);
    }
    let _ = window.add_event_listener_with_callback("pagehide", &fire);
    if let Some(d) = window.document() {
        let _ = d.add_event_listener_with_callback("visibilitychange", &fire);
    }
    PENDING.with(|p| *p.borrow_mut() = Some((timer, fire, on_input)));
}

/// An input while the registration waits: the quiet time starts again.
fn restart_quiet_timer() {
    let Some(window) = web_sys::window() else {
        return;
    };
    PENDING.with(|p| {
        if let Some((timer, fire, _)) = p.borrow_mut().as_mut() {
            window.clear_timeout_with_handle(*timer);
            if let Ok(t) =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(fire, QUIET_MS)
            {
                *timer = t;
            }
        }
    });
}

/// The quiet time has passed, or the tab is being left: stop waiting and register (only the
/// first of these calls does anything).
fn register_now() {
    let (Some(window), Some((timer, fire, on_input))) =
        (web_sys::window(), PENDING.with(|p| p.borrow_mut().take()))
    else {
        return;
    };
    window.clear_timeout_with_handle(timer);
    for e in INPUT_EVENTS {
        let _ = window.remove_event_listener_with_callback_and_bool(e, &on_input, true);
    }
    let _ = window.remove_event_listener_with_callback("pagehide", &fire);
    if let Some(d) = window.document() {
        let _ = d.remove_event_listener_with_callback("visibilitychange", &fire);
    }
    register_worker();
}

/// Registers `sw.js` (relative to the page, so its scope is the page's folder on any
/// sub-path). Does nothing where there is no service worker; a refused registration leaves
/// the page as it is (online only), never fails it.
fn register_worker() {
    let Some(container) = web_sys::window().as_ref().and_then(worker_container) else {
        return;
    };
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
