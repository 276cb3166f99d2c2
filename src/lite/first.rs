//! The first screen, painted before the app: the page's main module (src/main.rs) holds no
//! Leptos (the app is a part loaded on demand, `ui::mount`), so it can show the header, the
//! navigation bar with the headline numbers, the results card and the first two charts from
//! the link at once, with the light embed's DOM code and the engine and renderer the app
//! uses. The painted screen lies over the page (`#first-paint`, above the app as it mounts
//! beneath) until the app draws its first chart ([`remove`]), so nothing moves when the
//! app takes over; meanwhile the inputs' place names the setup and says they are loading.
//!
//! A link that opens elsewhere (`section=` below the charts) or has problems (the app's
//! banner names them) is left to the app: nothing is painted.

use super::dom::{add, attr, el, el_text};
use super::page::{chart_card, results_card, system_prefers_dark};
use crate::chart::ChartKind;
use crate::metrics::data_value;
use crate::model::evaluate;
use crate::panels::summary::SUMMARY;
use crate::view_params::{section, Opening, SECTIONS};
use std::cell::Cell;
use web_sys::{Document, Element};

/// The painted screen's element id.
const ID: &str = "first-paint";

/// The page's title and tagline (the app's header shows the same).
pub const TITLE: &str = "Roofline";
/// See [`TITLE`].
pub const TAGLINE: &str = "What an LLM token costs on given hardware, and why.";

/// The charts painted first: the first two of the charts panel.
const CHARTS: [ChartKind; 2] = [ChartKind::Roofline, ChartKind::CostBatch];

thread_local! {
    /// Whether the painted screen is (still) on the page.
    static SHOWN: Cell<bool> = const { Cell::new(false) };
}

/// Paints the first screen for the page's link, unless the link is an embed's, opens at a
/// section below the charts, or has problems; says whether it painted.
pub fn paint() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Some(doc) = window.document() else {
        return false;
    };
    let Some(body) = doc.body() else {
        return false;
    };
    let opening = Opening::from_query(&window.location().search().unwrap_or_default());
    let elsewhere = opening
        .view
        .section
        .and_then(section)
        .is_some_and(|s| !matches!(s.0, "results" | "charts"));
    if opening.view.embed.is_some() || !opening.problems.is_empty() || elsewhere {
        return false;
    }
    if let Some(t) = &opening.view.theme {
        if let Some(root) = doc.document_element() {
            attr(&root, "data-theme", t);
        }
    }
    let screen = el(&doc, "div", "first-paint");
    attr(&screen, "id", ID);
    let header = el(&doc, "header", "top");
    add(&header, &el_text(&doc, "h1", "", TITLE));
    add(&header, &el_text(&doc, "p", "tagline", TAGLINE));
    add(&screen, &header);
    add(&screen, &wayfinder(&doc, &opening));
    let layout = el(&doc, "main", "layout");
    add(&layout, &inputs(&doc, &opening));
    let outputs = el(&doc, "section", "outputs");
    attr(&outputs, "aria-label", "Results");
    // In a place of its own, as the app's `#sec-results` (a phone's layout puts it first).
    let results = el(&doc, "div", "section-anchor first-results");
    add(&results, &results_card(&doc, &opening.setup.scenario));
    add(&outputs, &results);
    let charts = el(&doc, "section", "charts");
    attr(&charts, "aria-label", "Charts");
    add(&outputs, &charts);
    add(&layout, &outputs);
    add(&screen, &layout);
    add(&body, &screen);
    SHOWN.with(|s| s.set(true));
    let dark = opening.view.dark(system_prefers_dark(&window));
    for kind in CHARTS {
        let Some(data) = super::cost_charts(kind) else {
            continue;
        };
        let card = el(&doc, "figure", "card chart");
        add(&charts, &card);
        chart_card(&doc, &card, kind, data, None, false, dark, opening.clone());
    }
    true
}

/// Takes the painted screen off the page (the app calls it once it has drawn a chart, or
/// has been built without one); does nothing once it is gone.
pub fn remove() {
    if !SHOWN.with(|s| s.replace(false)) {
        return;
    }
    if let Some(e) = super::dom::document().and_then(|d| d.get_element_by_id(ID)) {
        e.remove();
    }
}

/// The navigation bar as the app lays it out (`ui::nav::Wayfinder`): the section links and
/// the headline numbers.
fn wayfinder(doc: &Document, opening: &Opening) -> Element {
    let bar = el(doc, "div", "wayfinder");
    let nav = el(doc, "nav", "section-nav");
    attr(&nav, "aria-label", "Sections");
    let list = el(doc, "ul", "");
    for &(id, dom_id, label) in SECTIONS {
        let li = el(doc, "li", "");
        let a = el_text(doc, "a", "", label);
        attr(&a, "href", &format!("#{dom_id}"));
        if id == "results" {
            attr(&a, "aria-current", "location");
        }
        add(&li, &a);
        add(&list, &li);
    }
    add(&nav, &list);
    add(&bar, &nav);
    let summary = el(doc, "dl", "summary");
    attr(&summary, "aria-label", "Headline numbers");
    let e = evaluate(&opening.setup.scenario).ok();
    for &(m, short) in SUMMARY {
        let item = el(doc, "div", "summary-item");
        attr(&item, "title", m.label);
        add(&item, &el_text(doc, "dt", "", short));
        let shown = e
            .as_ref()
            .map(|e| m.show(&m.of(e)))
            .unwrap_or_else(|| crate::format::MISSING.into());
        let dd = el_text(doc, "dd", "", &shown);
        if let Some(e) = &e {
            attr(&item, "data-value", &data_value(&m.of(e)));
        }
        add(&item, &dd);
        add(&summary, &item);
    }
    add(&bar, &summary);
    bar
}

/// The inputs' place until the form arrives: each group's legend and what the link set.
fn inputs(doc: &Document, opening: &Opening) -> Element {
    let column = el(doc, "section", "inputs");
    attr(&column, "aria-label", "Inputs");
    for (legend, text) in super::inputs_summary(&opening.setup) {
        let set = el(doc, "fieldset", "");
        add(&set, &el_text(doc, "legend", "", legend));
        add(&set, &el_text(doc, "p", "", &text));
        add(&column, &set);
    }
    let status = el_text(doc, "p", "muted lazy-loading", "Loading the inputs…");
    attr(&status, "role", "status");
    add(&column, &status);
    column
}
