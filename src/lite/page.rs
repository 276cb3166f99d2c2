//! The light embed's page: `<main class="embed">` holding one chart card or the results
//! card, and the link back to the full calculator, laid out as the Leptos `EmbedView` does
//! (same elements, classes and `data-` hooks), with plain DOM calls.

use super::canvas::{count_draw, device_pixel_ratio, draw_on};
use super::dom::{add, add_text, attr, click_link, css, download, el, el_text, flag, on};
use crate::chart::{self, ChartInfo, ChartKind, ChartStyle};
use crate::format as f;
use crate::metrics::{data_value, RESULTS_CARD};
use crate::model::{evaluate, Evaluation};
use crate::panels::readout::readout as readout_text;
use crate::panels::results::{bound_text, memory_parts, memory_verdict, shown, stale_note};
use crate::scenario::{Efficiency, Scenario};
use crate::view_params::{toggled, Embed, Opening};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlCanvasElement};

/// The opened link, when it is an embed's: what it shows, and how.
struct Opened {
    window: web_sys::Window,
    doc: Document,
    body: Element,
    opening: Opening,
    embed: Embed,
    fit: bool,
}

/// Reads the page's link; `None` where it is not an embed's (or there is no document).
fn opened() -> Option<Opened> {
    let window = web_sys::window()?;
    let query = window.location().search().unwrap_or_default();
    let opening = Opening::from_query(&query);
    let embed = opening.view.embed?;
    let doc = window.document()?;
    let body: Element = doc.body()?.into();
    Some(Opened {
        window,
        doc,
        body,
        opening,
        embed,
        fit: super::fit::fit_requested(),
    })
}

impl Opened {
    /// Sets the theme, starts the height messages of a self-sizing embed, and puts
    /// `<main class="embed">` on the page with `card` and the link back to the full calculator.
    fn mount(&self, card: &Element) -> (Element, String) {
        if let Some(t) = &self.opening.view.theme {
            if let Some(root) = self.doc.document_element() {
                attr(&root, "data-theme", t);
            }
        }
        if self.fit {
            super::fit::post_height_to_parent();
        }
        let main = el(
            &self.doc,
            "main",
            if self.fit { "embed fit" } else { "embed" },
        );
        attr(&main, "data-embed", self.embed.id());
        let back = el_text(&self.doc, "a", "backlink", "Open in Roofline ↗");
        attr(&back, "target", "_blank");
        attr(&back, "rel", "noopener");
        let base = base_url(&self.window);
        attr(
            &back,
            "href",
            &format!(
                "{base}?{}",
                super::full_query(&self.opening, &self.opening.view.compare)
            ),
        );
        add(&main, card);
        add(&main, &back);
        add(&self.body, &main);
        (back, base)
    }
}

/// Shows the embed of one chart the page's link asks for, drawn by the builder `builder`
/// gives for it (a group of charts per module: `super::CHART_GROUPS`); false (and nothing
/// shown) where the link is not a chart embed's or `builder` has none for its chart (the
/// start-up script then loads the full app).
pub fn start_chart(builder: fn(ChartKind) -> Option<chart::DataFn>) -> bool {
    start_chart_with(builder, false)
}

/// [`start_chart`], with the architecture comparison's model picker (for the module that
/// draws that chart; the others carry none of its code).
pub fn start_compare_chart(builder: fn(ChartKind) -> Option<chart::DataFn>) -> bool {
    start_chart_with(builder, true)
}

fn start_chart_with(builder: fn(ChartKind) -> Option<chart::DataFn>, picker: bool) -> bool {
    let Some(o) = opened() else {
        return false;
    };
    let Embed::Chart(kind) = o.embed else {
        return false;
    };
    let Some(data) = builder(kind) else {
        return false;
    };
    let card = el(
        &o.doc,
        "figure",
        if o.fit {
            "card chart"
        } else {
            "card chart fill"
        },
    );
    let (back, base) = o.mount(&card);
    let dark = o.opening.view.dark(system_prefers_dark(&o.window));
    let picker = picker && kind == ChartKind::CompareContext;
    let picker = picker.then_some((back, base));
    chart_card(&o.doc, &card, kind, data, picker, !o.fit, dark, o.opening);
    true
}

/// Shows the results card where the page's link asks for it; false (and nothing shown)
/// elsewhere (the start-up script then loads the full app).
pub fn start_results() -> bool {
    let Some(o) = opened() else {
        return false;
    };
    if o.embed != Embed::Results {
        return false;
    }
    o.mount(&results_card(&o.doc, &o.opening.setup.scenario));
    true
}

/// Whether the system asks for a dark theme.
pub(super) fn system_prefers_dark(window: &web_sys::Window) -> bool {
    window
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .map(|m| m.matches())
        .unwrap_or(false)
}

/// The page's address without its query: origin + path (works under any sub-path).
fn base_url(window: &web_sys::Window) -> String {
    let l = window.location();
    format!(
        "{}{}",
        l.origin().unwrap_or_default(),
        l.pathname().unwrap_or_default()
    )
}

/// The chart card's state: what it draws, and what it last drew.
struct Chart {
    /// The chart's builder (held, not looked up at each use: one call site for every kind).
    data: chart::DataFn,
    canvas: HtmlCanvasElement,
    fill: bool,
    dark: bool,
    opening: Opening,
    /// The models the architecture comparison draws beside the current one.
    compare: Vec<String>,
    /// The canvas's CSS box as the ResizeObserver last reported it (height only when filling).
    size: Option<(f64, f64)>,
    /// The box the last picture was drawn for.
    drawn_for: Option<(f64, f64)>,
    info: Option<ChartInfo>,
    readout: Element,
    error: Element,
}

impl Chart {
    /// The chart style for the theme at pixel ratio `dpr`.
    fn style(&self, dpr: f64) -> ChartStyle {
        let base = if self.dark {
            ChartStyle::dark()
        } else {
            ChartStyle::light()
        };
        let mut style = base.with_scale(dpr);
        style.max_context_tokens = super::max_context(self.opening.setup.model_preset.as_deref());
        style.compare_models = self.compare.clone();
        style
    }

    /// Draws the chart at the canvas's current box.
    #[inline(never)]
    fn draw(&mut self) {
        let style = self.style(device_pixel_ratio());
        let size = self.size.unwrap_or_else(|| {
            (
                self.canvas.client_width() as f64,
                self.canvas.client_height() as f64,
            )
        });
        let result = draw_on(
            &self.canvas,
            self.data,
            &self.opening.setup.scenario,
            &style,
            self.fill,
            Some(size),
        );
        self.drawn_for = Some(self.key(size));
        match result {
            Ok(i) => {
                self.info = Some(i);
                flag(&self.error, "hidden", true);
                count_draw(&self.canvas);
            }
            Err(e) => {
                self.error.set_text_content(Some(&e));
                flag(&self.error, "hidden", false);
            }
        }
        self.readout.set_text_content(None);
    }

    /// What of box `size` the picture depends on: the width, and the height when filling.
    fn key(&self, (w, h): (f64, f64)) -> (f64, f64) {
        (w.round(), if self.fill { h.round() } else { 0.0 })
    }

    /// The chart's data as exported (the context axis to `max_context`).
    fn data(&self, max_context: u64) -> Result<chart::ChartData, String> {
        (self.data)(&self.opening.setup.scenario, max_context, &self.compare)
            .map_err(|e| e.to_string())
    }

    fn show_error(&self, e: &str) {
        self.error.set_text_content(Some(e));
        flag(&self.error, "hidden", false);
    }
}

/// The chart card in `card` (a `<figure>`): the canvas, its readout, the export buttons,
/// the comparison's model picker (given the link back it updates and the page's address),
/// the error line; drawn now and on resize.
#[allow(clippy::too_many_arguments)]
pub(super) fn chart_card(
    doc: &Document,
    card: &Element,
    kind: ChartKind,
    data: chart::DataFn,
    picker: Option<(Element, String)>,
    fill: bool,
    dark: bool,
    opening: Opening,
) {
    attr(card, "data-chart-card", kind.id());
    let canvas = el(doc, "canvas", "");
    attr(&canvas, "data-chart", kind.id());
    attr(&canvas, "role", "img");
    attr(&canvas, "aria-label", kind.title());
    add(card, &canvas);
    let caption = el(doc, "figcaption", "");
    let readout = el(doc, "output", "readout");
    attr(&readout, "data-readout", kind.id());
    add(&caption, &readout);
    let buttons = el(doc, "span", "buttons export");
    let button = |label: &str, aria: String| {
        let b = el_text(doc, "button", "", label);
        attr(&b, "type", "button");
        attr(&b, "aria-label", &aria);
        add(&buttons, &b);
        b
    };
    let png = button("PNG", format!("Download {} as PNG", kind.title()));
    // No SVG export here: its renderer over the SVG backend is a second copy of the whole
    // renderer (17 KB of the gzipped module); the full calculator (the link back) has it.
    let csv = button(
        "CSV",
        format!("Download the data of {} as CSV", kind.title()),
    );
    add(&caption, &buttons);
    add(card, &caption);
    let error = el(doc, "p", "error");
    attr(&error, "role", "alert");
    flag(&error, "hidden", true);
    let Ok(canvas) = canvas.dyn_into::<HtmlCanvasElement>() else {
        return;
    };
    let chart = Rc::new(RefCell::new(Chart {
        data,
        canvas: canvas.clone(),
        fill,
        dark,
        compare: opening.view.compare.clone(),
        opening,
        size: None,
        drawn_for: None,
        info: None,
        readout: readout.clone(),
        error: error.clone(),
    }));
    if let Some((back, base)) = picker {
        add(card, &compare_picker(doc, &chart, back, base));
    }
    add(card, &error);

    // The readout under the pointer.
    {
        let chart = chart.clone();
        on(&canvas, "mousemove", move |ev| {
            let Some(ev) = ev.dyn_ref::<web_sys::MouseEvent>() else {
                return;
            };
            let dpr = device_pixel_ratio();
            let (px, py) = (ev.offset_x() as f64 * dpr, ev.offset_y() as f64 * dpr);
            let c = chart.borrow();
            let text = c
                .info
                .as_ref()
                .and_then(|i| readout_text(i, px, py, dpr))
                .unwrap_or_default();
            c.readout.set_text_content(Some(&text));
        });
        on(&canvas, "mouseleave", move |_| {
            readout.set_text_content(None)
        });
    }
    // The exports.
    {
        let chart = chart.clone();
        on(&png, "click", move |_| {
            let c = chart.borrow();
            match c.canvas.to_data_url() {
                Ok(url) => {
                    let _ = click_link(&format!("roofline-{}.png", kind.id()), &url);
                }
                Err(_) => c.show_error("the browser refused to export the canvas"),
            }
        });
    }
    {
        let chart = chart.clone();
        on(&csv, "click", move |_| {
            let c = chart.borrow();
            let r = c.data(chart::DEFAULT_MAX_CONTEXT_TOKENS).and_then(|d| {
                download(
                    &format!("roofline-{}.csv", kind.id()),
                    "text/csv",
                    &chart::to_csv(&d),
                )
            });
            if let Err(e) = r {
                c.show_error(&e);
            }
        });
    }
    // Drawn now, and again when the canvas's box changes.
    chart.borrow_mut().draw();
    observe_size(&canvas, chart);
}

/// Redraws the chart when the canvas's CSS box changes (its width; its height too when it
/// fills the frame). Does nothing without ResizeObserver.
fn observe_size(canvas: &HtmlCanvasElement, chart: Rc<RefCell<Chart>>) {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        for e in entries.iter() {
            let Ok(entry) = e.dyn_into::<web_sys::ResizeObserverEntry>() else {
                continue;
            };
            let r = entry.content_rect();
            let size = (r.width().round(), r.height().round());
            if size.0 <= 0.0 {
                continue;
            }
            let mut c = chart.borrow_mut();
            c.size = Some(size);
            if c.drawn_for != Some(c.key(size)) {
                c.draw();
            }
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(canvas);
        callback.forget();
    }
}

/// The architecture comparison's model picker: one checkbox per model preset; a change
/// redraws the chart and updates the link back (`cmp=`).
fn compare_picker(
    doc: &Document,
    chart: &Rc<RefCell<Chart>>,
    back: Element,
    base: String,
) -> Element {
    let details = el(doc, "details", "compare-picker");
    attr(&details, "data-compare-picker", "");
    let summary = el_text(doc, "summary", "", "Compare with other models ");
    let count = el(doc, "span", "");
    attr(&count, "data-compare-count", "");
    add(&summary, &count);
    add(&details, &summary);
    let show_count = {
        let details = details.clone();
        move |n: usize| {
            count.set_text_content(Some(&match n {
                0 => "(none picked)".to_string(),
                n => format!("({n} picked)"),
            }));
            flag(&details, "open", n > 0);
        }
    };
    show_count(chart.borrow().compare.len());
    let group = el(doc, "div", "compare-models");
    attr(&group, "role", "group");
    attr(&group, "aria-label", "Models to compare");
    let picked = chart.borrow().compare.clone();
    for p in crate::catalogue::presets::model_presets() {
        let label = el(doc, "label", "check");
        let input = el(doc, "input", "");
        attr(&input, "type", "checkbox");
        attr(&input, "data-cmp", &p.id);
        if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
            i.set_checked(picked.contains(&p.id));
        }
        add(&label, &input);
        add_text(&label, &p.name);
        add(&group, &label);
        let (chart, back, base, show_count, id) = (
            chart.clone(),
            back.clone(),
            base.clone(),
            show_count.clone(),
            p.id.clone(),
        );
        on(&input, "change", move |ev| {
            let checked = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            let mut c = chart.borrow_mut();
            c.compare = toggled(&c.compare, &id, checked);
            show_count(c.compare.len());
            attr(
                &back,
                "href",
                &format!("{base}?{}", super::full_query(&c.opening, &c.compare)),
            );
            c.draw();
        });
    }
    add(&details, &group);
    details
}

/// The results card (`ui::results::ResultsCard`'s elements) for scenario `s`: its rows from
/// `RESULTS_CARD`, the pure bound beside those that show one, the memory bar and verdict.
pub(super) fn results_card(doc: &Document, s: &Scenario) -> Element {
    let results = evaluate(s);
    let good: Option<&Evaluation> = results.as_ref().ok();
    let pure = (!s.efficiency.is_pure())
        .then(|| {
            let mut p = s.clone();
            p.efficiency = Efficiency::PURE;
            evaluate(&p).ok()
        })
        .flatten();
    let card = el(
        doc,
        "div",
        if good.is_some() {
            "card results"
        } else {
            "card results stale"
        },
    );
    attr(&card, "aria-live", "polite");
    add(&card, &el_text(doc, "h2", "", "Results"));
    let note = el(doc, "p", "stale-note");
    match &results {
        Ok(_) => flag(&note, "hidden", true),
        Err(e) => note.set_text_content(Some(&stale_note(&[e.to_string()]))),
    }
    add(&card, &note);
    add(&card, &memory_bar(doc, good));
    let list = el(doc, "dl", "metrics");
    for row in RESULTS_CARD {
        let m = row.metric;
        let div = el(doc, "div", "metric");
        attr(&div, "data-metric", m.key);
        attr(
            &div,
            "data-value",
            &good.map(|e| data_value(&m.of(e))).unwrap_or_default(),
        );
        add(&div, &el_text(doc, "dt", "", m.label));
        add(
            &div,
            &el_text(
                doc,
                "dd",
                "",
                &good
                    .map(|e| shown(m, e))
                    .unwrap_or_else(|| f::MISSING.into()),
            ),
        );
        let bound = el(doc, "dd", "bound");
        attr(&bound, "data-bound-for", m.key);
        if let (true, Some(p)) = (row.with_bound, &pure) {
            bound.set_text_content(Some(&bound_text(m, p)));
        }
        add(&div, &bound);
        add(&list, &div);
    }
    add(&card, &list);
    add(
        &card,
        &el_text(
            doc,
            "p",
            "estimate-note",
            &crate::explain::estimate_note(&s.efficiency),
        ),
    );
    card
}

/// Memory used against capacity (weights, KV, free) with the fits / does-not-fit verdict.
fn memory_bar(doc: &Document, good: Option<&Evaluation>) -> Element {
    let fits = good.map(|e| e.capacity.fits).unwrap_or(true);
    let verdict = good
        .map(|e| memory_verdict(&e.capacity))
        .unwrap_or_default();
    let parts = good.map(|e| memory_parts(&e.capacity)).unwrap_or([0.0; 3]);
    let memory = el(doc, "div", "memory");
    attr(&memory, "data-metric", "capacity.fits");
    attr(&memory, "data-value", &fits.to_string());
    let bar = el(doc, "div", "bar");
    attr(&bar, "role", "img");
    attr(&bar, "aria-label", &verdict);
    for (class, part) in ["seg weights", "seg kv", "seg free"].into_iter().zip(parts) {
        let seg = el(doc, "span", class);
        css(&seg, "width", &format!("{part:.2}%"));
        add(&bar, &seg);
    }
    add(&memory, &bar);
    add(
        &memory,
        &el_text(
            doc,
            "p",
            if fits { "verdict" } else { "verdict bad" },
            &verdict,
        ),
    );
    let legend = el(doc, "p", "legend");
    for (key, text) in [
        ("key weights", " weights "),
        ("key kv", " KV cache "),
        ("key free", " free"),
    ] {
        add(&legend, &el(doc, "span", key));
        add_text(&legend, text);
    }
    add(&memory, &legend);
    memory
}
