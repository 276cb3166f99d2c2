//! Finding your way: a sticky bar with the section navigation (in-page links, the current
//! section marked with `aria-current` from an IntersectionObserver) and a compact summary of
//! the headline numbers that stays in view while the charts scroll. The section the
//! navigation goes to travels in the link (`section=`, `crate::view_params`).

use super::lazy::LazyParts;
use super::AppState;
use crate::format as f;
use crate::metrics::data_value;
use crate::panels::summary::SUMMARY;
use crate::view_params::{section, SECTIONS};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The element of section `id` (`sec-…`).
fn element(dom_id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(dom_id)?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Gap between the sticky bar and a section scrolled to it, in CSS pixels.
const BELOW_BAR_PX: f64 = 8.0;

/// The reading line, this far below the sticky bar (CSS pixels): a section whose top has
/// passed it is being read. Below the CSS scroll margins, so an anchor scroll marks its section.
const READING_LINE_PX: f64 = 48.0;

/// Scrolls section `dom_id` to just below the sticky bar (whatever its height on this
/// screen) and moves the keyboard focus there.
pub fn go_to(dom_id: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(el) = element(dom_id) {
        let bar = bar_height();
        let top = el.get_bounding_client_rect().top() + window.scroll_y().unwrap_or(0.0);
        window.scroll_to_with_x_and_y(0.0, (top - bar - BELOW_BAR_PX).max(0.0));
        let opts = web_sys::FocusOptions::new();
        opts.set_prevent_scroll(true);
        let _ = el.focus_with_options(&opts);
    }
}

/// The height of the sticky bar, in CSS pixels (0 before it is laid out).
fn bar_height() -> f64 {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".wayfinder").ok().flatten())
        .map_or(0.0, |b| b.get_bounding_client_rect().height())
}

/// The section being read: the last (in page order) whose top has passed the reading line
/// below the sticky bar; at the bottom of the page, the last one that has come into view.
fn section_in_view() -> Option<&'static str> {
    let window = web_sys::window()?;
    let height = window.inner_height().ok()?.as_f64()?;
    let line = bar_height() + READING_LINE_PX;
    let scroll_height = window.document()?.document_element()?.scroll_height() as f64;
    let at_bottom = window.scroll_y().ok()? + height >= scroll_height - 2.0;
    let mut tops: Vec<(f64, &'static str)> = SECTIONS
        .iter()
        .filter_map(|s| Some((element(s.1)?.get_bounding_client_rect().top(), s.0)))
        .collect();
    tops.sort_by(|a, b| a.0.total_cmp(&b.0));
    let limit = if at_bottom { height - 1.0 } else { line };
    tops.iter()
        .rev()
        .find(|(top, _)| *top <= limit)
        .or(tops.first())
        .map(|t| t.1)
}

/// Keeps `current` on [`section_in_view`]: an IntersectionObserver whose root is a thin band
/// at the line below the bar calls back whenever a section's edge crosses it.
fn observe(current: RwSignal<&'static str>) {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
        if let Some(id) = section_in_view() {
            current.set(id);
        }
    });
    let height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    let line = bar_height() + READING_LINE_PX;
    let opts = web_sys::IntersectionObserverInit::new();
    opts.set_root_margin(&format!(
        "-{line:.0}px 0px -{:.0}px 0px",
        (height - line - 1.0).max(0.0)
    ));
    let thresholds = js_sys::Array::of2(&0.0.into(), &1.0.into());
    opts.set_threshold(&thresholds);
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
    // A section asked for (a click, or the link's section=): scrolled to at once, and again
    // once the panels loaded on demand that it needs have arrived (they move it).
    let parts = expect_context::<LazyParts>();
    let pending = RwSignal::new(None::<&'static (&'static str, &'static str, &'static str)>);
    Effect::new(move |_| {
        if let Some(s) = pending.get() {
            if parts.ready_for(s.0) {
                pending.set(None);
                // Unless the reader has moved on (the focus left the section) meanwhile.
                request_animation_frame(move || {
                    let still_there = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.active_element())
                        .is_some_and(|a| a.id() == s.1);
                    if still_there {
                        go_to(s.1);
                    }
                });
            }
        }
    });
    request_animation_frame(move || {
        if let Some(s) = opened.and_then(section) {
            go_to(s.1);
            pending.set(Some(s));
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
                            pending.set(section(id));
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
