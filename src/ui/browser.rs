//! The few browser services the page uses, each written once: the clock, the address, the
//! clipboard, the system theme, yielding to the browser, and watching an element come into
//! view.

/// Milliseconds since the page loaded, from `performance.now()` (sub-millisecond), else
/// `Date.now()`.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// Resolves on the browser's next task (a zero timeout), letting it paint and handle input.
pub async fn next_task() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// The page's query string (`?…`), or empty.
pub fn current_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's address without its query: origin + path (works under any sub-path).
pub fn base_url() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Replaces the address bar's query without a history entry; silently does nothing where
/// the browser refuses (sandboxed iframes).
pub fn replace_query(query: &str) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ =
            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("?{query}")));
    }
}

/// Whether the system asks for a dark theme.
pub fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

/// Sets an attribute of the document's root element (`data-theme`).
pub fn set_root_attribute(name: &str, value: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute(name, value);
    }
}

pub use crate::lite::canvas::device_pixel_ratio;

/// Asks the clipboard to take `text` at once (inside the user's click); resolves to false
/// where the browser refuses.
pub fn copy_text(text: &str) -> impl std::future::Future<Output = bool> {
    let promise = web_sys::window().map(|w| w.navigator().clipboard().write_text(text));
    async move {
        match promise {
            Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
            None => false,
        }
    }
}

/// Watches `el` against the viewport grown by `margin` (a CSS `rootMargin`, e.g. `"200px 0px"`):
/// for each batch of changes, `on_change` gets whether each entry intersects, in order, and the
/// observer (to disconnect it). The observer and its callback live for the page's life. False
/// where IntersectionObserver is missing.
pub fn observe_intersection(
    el: &web_sys::Element,
    margin: &str,
    mut on_change: impl FnMut(&[bool], &web_sys::IntersectionObserver) + 'static,
) -> bool {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let hits: Vec<bool> = entries
                .iter()
                .filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                .map(|e| e.is_intersecting())
                .collect();
            on_change(&hits, &observer);
        },
    );
    let opts = web_sys::IntersectionObserverInit::new();
    opts.set_root_margin(margin);
    match web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &opts)
    {
        Ok(observer) => {
            observer.observe(el);
            callback.forget();
            true
        }
        Err(_) => false,
    }
}
