//! Layout ahead of the frame: after an edit, the page's style and layout are brought up to
//! date in a task of their own, posted from the edit's event, which runs once the edit's
//! work (the form, the results' text, the charts) is done. When the edit ends before the
//! next frame is due, that work happens while the browser waits for the frame, so the frame
//! that shows the edit has no layout left to do (the frame's own work 5.3 → 3.8 ms median on
//! the 2-core bench machine; the edit's pixels come sooner only where frames are already
//! ticking, docs/benchmarks.md). When the frame comes first, the task finds the layout clean
//! and costs nothing: nothing is done twice.

use std::cell::{Cell, RefCell};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The events after which the layout is brought up to date (typing, sliders, selects,
/// checkboxes).
const EDIT_EVENTS: [&str; 2] = ["input", "change"];

thread_local! {
    /// The channel whose message runs the layout, once made.
    static PORT: RefCell<Option<web_sys::MessagePort>> = const { RefCell::new(None) };
    /// Whether a layout task is already posted (several events in one task post one).
    static POSTED: Cell<bool> = const { Cell::new(false) };
}

/// Listens for edits on the document (capture phase: before the page's own handlers) and,
/// after each, posts the layout task. Called once per page; does nothing without a
/// document or a `MessageChannel`.
pub fn lay_out_after_edits() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let run = Closure::<dyn FnMut()>::new(move || {
        POSTED.with(|p| p.set(false));
        // Reading a layout value makes the browser bring style and layout up to date.
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.offset_height();
        }
    });
    channel
        .port1()
        .set_onmessage(Some(run.into_js_value().unchecked_ref()));
    // The sending port is kept for the page's life.
    PORT.with(|p| *p.borrow_mut() = Some(channel.port2()));
    let post = Closure::<dyn FnMut()>::new(post_layout).into_js_value();
    for ev in EDIT_EVENTS {
        let _ = document.add_event_listener_with_callback_and_bool(ev, post.unchecked_ref(), true);
    }
}

/// Posts the layout task unless one is already waiting.
fn post_layout() {
    if POSTED.with(|p| p.replace(true)) {
        return;
    }
    let posted = PORT.with(|p| {
        p.borrow()
            .as_ref()
            .is_some_and(|port| port.post_message(&wasm_bindgen::JsValue::NULL).is_ok())
    });
    if !posted {
        POSTED.with(|p| p.set(false));
    }
}
