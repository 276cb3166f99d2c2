//! Finding your way: a sticky bar with the section navigation (in-page links, the current
//! section marked with `aria-current` from an IntersectionObserver) and a compact summary of
//! the headline numbers that stays in view while the charts scroll. The section the
//! navigation goes to travels in the link (`section=`, `crate::view_params`).

use super::AppState;
use crate::format as f;
use crate::metrics::{
    data_value, Metric, COST_PER_MILLION_OUTPUT_TOKENS, DECODE_BOUND, DECODE_STEP_SECONDS,
    DECODE_TOKENS_PER_SECOND_PER_USER,
};
use crate::view_params::{section, SECTIONS};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The summary's numbers, in order.
static SUMMARY: &[(&Metric, &str)] = &[
    (&DECODE_STEP_SECONDS, "Step"),
    (&DECODE_BOUND, "Bound"),
    (&DECODE_TOKENS_PER_SECOND_PER_USER, "Per user"),
    (&COST_PER_MILLION_OUTPUT_TOKENS, "Per 1M out"),
];

/// The element of section `id` (`sec-…`).
fn element(dom_id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(dom_id)?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Scrolls section `dom_id` to the top (below the sticky bar, by its CSS scroll margin) and
/// moves the keyboard focus there.
pub fn go_to(dom_id: &str) {
    if let Some(el) = element(dom_id) {
        el.scroll_into_view();
        let opts = web_sys::FocusOptions::new();
        opts.set_prevent_scroll(true);
        let _ = el.focus_with_options(&opts);
    }
}

/// Marks `current` with the section crossing a line 30% down the viewport.
fn observe(current: RwSignal<&'static str>) {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        for entry in entries.iter() {
            let Ok(entry) = entry.dyn_into::<web_sys::IntersectionObserverEntry>() else {
                continue;
            };
            if !entry.is_intersecting() {
                continue;
            }
            let id = entry.target().id();
            if let Some(s) = SECTIONS.iter().find(|s| s.1 == id) {
                current.set(s.0);
            }
        }
    });
    let opts = web_sys::IntersectionObserverInit::new();
    opts.set_root_margin("-30% 0px -69% 0px");
    let Ok(observer) =
        web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &opts)
    else {
        return;
    };
    callback.forget();
    for s in SECTIONS {
        if let Some(el) = element(s.1) {
            observer.observe(&el);
        }
    }
}

/// The sticky bar: section links and the headline summary.
#[component]
pub fn Wayfinder() -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = RwSignal::new(state.section.get_untracked().unwrap_or("results"));
    // After the page is built: watch the sections, and open at the link's section.
    let opened = state.section.get_untracked();
    request_animation_frame(move || {
        if let Some(s) = opened.and_then(section) {
            go_to(s.1);
        }
        observe(current);
    });
    let links = SECTIONS
        .iter()
        .map(|&(id, dom_id, label)| {
            view! {
                <li>
                    <a href=format!("#{dom_id}") data-section=id
                        aria-current=move || (current.get() == id).then_some("location")
                        on:click=move |ev| {
                            ev.prevent_default();
                            go_to(dom_id);
                            current.set(id);
                            state.section.set(Some(id));
                        }>{label}</a>
                </li>
            }
        })
        .collect_view();
    let summary = SUMMARY
        .iter()
        .map(|&(m, short)| {
            let value = move || {
                state.last_good.with(|e| {
                    e.as_ref()
                        .map(|e| m.show(&m.of(e)))
                        .unwrap_or_else(|| f::MISSING.into())
                })
            };
            let raw = move || {
                state
                    .last_good
                    .with(|e| e.as_ref().map(|e| data_value(&m.of(e))).unwrap_or_default())
            };
            view! {
                <div class="summary-item" data-summary=m.key data-value=raw title=m.label>
                    <dt>{short}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
        .collect_view();
    let stale =
        move || !state.field_errors.with(|m| m.is_empty()) || state.results.with(|r| r.is_err());
    view! {
        <div class="wayfinder">
            <nav class="section-nav" aria-label="Sections">
                <ul>{links}</ul>
            </nav>
            <dl class="summary" class:stale=stale aria-label="Headline numbers">{summary}</dl>
        </div>
    }
}
