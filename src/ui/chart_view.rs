//! Charts on `<canvas>`: each chart's data from its builder (`chart::DataFn`; the charts
//! below the first screen load theirs on demand, `super::lazy_charts`), drawn by the
//! renderer shared by every chart (the same code that writes SVG natively), sized to CSS
//! size × devicePixelRatio, redrawn whenever the scenario changes, with a readout under the
//! pointer and PNG, SVG and CSV export.

use super::lazy_charts;
use super::AppState;
use crate::chart::{self, ChartInfo, ChartKind, ChartStyle};
use crate::lite::dom::click_link;
use crate::panels::readout::readout as readout_text;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The chart style for the page's theme and a pixel ratio.
pub fn style_for(state: AppState, dpr: f64) -> ChartStyle {
    let base = if state.dark.get_untracked() {
        ChartStyle::dark()
    } else {
        ChartStyle::light()
    };
    let mut style = base.with_scale(dpr);
    style.max_context_tokens = max_context(state);
    style.compare_models = state.compare_models.get_untracked();
    style
}

/// The context axis's end: the model preset's maximum context, else the chart default.
fn max_context(state: AppState) -> u64 {
    state
        .model_preset
        .with_untracked(|id| crate::lite::max_context(id.as_deref()))
}

pub(crate) use super::browser::device_pixel_ratio;

// The canvas glue is plain web-sys, shared with the light embed (`crate::lite`).
use crate::lite::canvas::draw_on;
pub(crate) use crate::lite::canvas::{canvas_area, count_draw};

/// Sets `visible` while the element intersects the viewport (with a margin, so a chart is
/// drawn just before it scrolls in). False where IntersectionObserver is missing.
pub(crate) fn observe_visibility(el: &web_sys::Element, visible: RwSignal<bool>) -> bool {
    observe_intersection(el, visible, "200px 0px")
}

/// Sets `visible` while the element intersects the viewport grown by `margin` (CSS
/// `rootMargin`). False where IntersectionObserver is missing.
fn observe_intersection(el: &web_sys::Element, visible: RwSignal<bool>, margin: &str) -> bool {
    super::browser::observe_intersection(el, margin, move |hits, _| {
        if let Some(&hit) = hits.last() {
            visible.set(hit);
        }
    })
}

/// Keeps `size` equal to the element's CSS content box (width only unless `both`, since a
/// chart sets its own height from its width). Does nothing without ResizeObserver.
fn observe_size(el: &web_sys::Element, size: RwSignal<Option<(f64, f64)>>, both: bool) {
    use wasm_bindgen::closure::Closure;
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        for e in entries.iter() {
            if let Ok(entry) = e.dyn_into::<web_sys::ResizeObserverEntry>() {
                let r = entry.content_rect();
                let new = (
                    r.width().round(),
                    if both { r.height().round() } else { 0.0 },
                );
                if new.0 > 0.0
                    && size
                        .get_untracked()
                        .map(|(w, h)| (w, if both { h } else { 0.0 }))
                        != Some(new)
                {
                    size.set(Some((r.width().round(), r.height().round())));
                }
            }
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(el);
        callback.forget();
    }
}

/// Starts a download of `body` as `name` (the object URL is revoked when it drops).
pub(super) fn download(name: &str, mime: &str, body: &str) -> Result<(), String> {
    let url = gloo_file::ObjectUrl::from(gloo_file::Blob::new_with_options(body, Some(mime)));
    click_link(name, &url)
}

/// One chart with its readout and export buttons. `fill` makes it fill its container
/// (embed mode).
#[component]
pub fn ChartCard(
    /// Which chart.
    kind: ChartKind,
    /// Fill the parent box instead of keeping an aspect ratio.
    #[prop(optional)]
    fill: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas_ref = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    let info = StoredValue::new(None::<ChartInfo>);
    let readout = RwSignal::new(String::new());
    // Only charts on screen are redrawn: a chart is first drawn when it comes within 200 px
    // of the screen (`near`), so it has a picture as it scrolls in, and after that only while
    // it is on screen (`on_screen`); one off screen redraws when it scrolls back into view.
    let near = RwSignal::new(false);
    let on_screen = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(canvas) = canvas_ref.get() {
            if !observe_visibility(&canvas, near)
                || !observe_intersection(&canvas, on_screen, "0px")
            {
                near.set(true);
                on_screen.set(true);
            }
        }
    });
    // The canvas's CSS size, from a ResizeObserver: a resize redraws at the new size.
    let size = RwSignal::new(None::<(f64, f64)>);
    Effect::new(move |_| {
        if let Some(canvas) = canvas_ref.get() {
            observe_size(&canvas, size, fill);
        }
    });
    // Bumped by anything that changes the picture.
    let version = Memo::new(move |prev: Option<&u64>| {
        size.track();
        state.scenario.track();
        state.dark.track();
        state.model_preset.track();
        if kind == ChartKind::CompareContext {
            state.compare_models.track();
        }
        prev.map(|v| v + 1).unwrap_or(0)
    });
    let drawn_version = StoredValue::new(None::<u64>);
    let lazy = use_context::<super::lazy::LazyParts>();
    // The chart's code: at hand for the first screen's charts; for the others, fetched when
    // the canvas comes near the screen (`lazy_charts`), meanwhile the card says "Loading".
    let code = RwSignal::new(lazy_charts::at_hand(kind));
    let asked = StoredValue::new(false);
    let fetch_code = move || {
        if code.with_untracked(Option::is_none) && !asked.get_value() {
            asked.set_value(true);
            leptos::task::spawn_local(async move { code.set(Some(lazy_charts::load(kind).await)) });
        }
    };
    if lazy_charts::is_lazy(kind) {
        Effect::new(move |_| {
            if let Some(canvas) = canvas_ref.get() {
                if !super::lazy::when_near(&canvas, fetch_code) {
                    fetch_code();
                }
            }
        });
    }
    // The picture's version is read only when the chart is wanted, so a chart off screen
    // does not run this on every edit (ten of the twelve, at most times); when it comes
    // back, `version` has moved past the one drawn and it redraws.
    Effect::new(move |_| {
        let wanted = on_screen.get() || (near.get() && drawn_version.get_value().is_none());
        if !wanted {
            return;
        }
        let v = version.get();
        let Some(c) = code.get() else {
            fetch_code();
            return;
        };
        if drawn_version.get_value() == Some(v) {
            return;
        }
        let Some(canvas) = canvas_ref.get_untracked() else {
            return;
        };
        let style = style_for(state, device_pixel_ratio());
        let css = size.get_untracked();
        let result = state
            .scenario
            .with_untracked(|s| draw_on(&canvas, c.data, s, &style, fill, css));
        drawn_version.set_value(Some(v));
        match result {
            Ok(i) => {
                info.set_value(Some(i));
                error.set(None);
                count_draw(&canvas);
                crate::lite::first::remove();
                if let Some(p) = lazy {
                    p.chart_drawn();
                }
            }
            Err(e) => error.set(Some(e)),
        }
        readout.set(String::new());
    });
    let on_move = move |ev: web_sys::MouseEvent| {
        let dpr = device_pixel_ratio();
        let (px, py) = (ev.offset_x() as f64 * dpr, ev.offset_y() as f64 * dpr);
        let text = info.with_value(|i| readout_text(i.as_ref()?, px, py, dpr));
        readout.set(text.unwrap_or_default());
    };
    let export_png = move |_| {
        if let Some(c) = canvas_ref.get_untracked() {
            match c.to_data_url() {
                Ok(url) => {
                    let _ = click_link(&format!("roofline-{}.png", kind.id()), &url);
                }
                Err(_) => error.set(Some("the browser refused to export the canvas".into())),
            }
        }
    };
    // The exports build the chart's data afresh (the context axis of the CSV ends at the
    // default maximum, as the command line's); the chart's code arrives first if need be.
    let export_svg = move |_| {
        let style = style_for(state, 1.0);
        leptos::task::spawn_local(async move {
            let c = lazy_charts::load(kind).await;
            let d = state
                .scenario
                .with_untracked(|s| (c.data)(s, style.max_context_tokens, &style.compare_models));
            let r = match d {
                Ok(d) => lazy_charts::svg(&d, &style).await,
                Err(e) => Err(e.to_string()),
            };
            match r {
                Ok(svg) => {
                    let _ = download(
                        &format!("roofline-{}.svg", kind.id()),
                        "image/svg+xml",
                        &svg,
                    );
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let export_csv = move |_| {
        let compare = state.compare_models.get_untracked();
        leptos::task::spawn_local(async move {
            let c = lazy_charts::load(kind).await;
            let r = state
                .scenario
                .with_untracked(|s| (c.data)(s, chart::DEFAULT_MAX_CONTEXT_TOKENS, &compare));
            match r {
                Ok(d) => {
                    let csv = chart::to_csv(&d);
                    let _ = download(&format!("roofline-{}.csv", kind.id()), "text/csv", &csv);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    // In the caption, where the readout will be: the card keeps its height when it arrives.
    let loading = lazy_charts::is_lazy(kind).then(|| {
        view! {
            <span class="muted" role="status" data-chart-loading="" hidden=move || code.with(Option::is_some)>
                "Loading this chart…"
            </span>
        }
    });
    let extra = move || code.get().and_then(|c| c.extra).map(|build| build());
    view! {
        <figure class="card chart" class:fill=fill data-chart-card=kind.id()
            data-lazy-state=move || lazy_charts::is_lazy(kind).then(|| if code.with(Option::is_some) { "loaded" } else { "loading" })>
            <canvas
                node_ref=canvas_ref
                data-chart=kind.id()
                role="img"
                aria-label=kind.title()
                on:mousemove=on_move
                on:mouseleave=move |_| readout.set(String::new())
            ></canvas>
            <figcaption>
                {loading}
                <output class="readout" data-readout=kind.id()>{move || readout.get()}</output>
                <span class="buttons export">
                    <button type="button" on:click=export_png aria-label=format!("Download {} as PNG", kind.title())>"PNG"</button>
                    <button type="button" on:click=export_svg aria-label=format!("Download {} as SVG", kind.title())>"SVG"</button>
                    <button type="button" on:click=export_csv aria-label=format!("Download the data of {} as CSV", kind.title())>"CSV"</button>
                </span>
            </figcaption>
            {extra}
            <p class="error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
        </figure>
    }
}

/// Every chart, in page order.
#[component]
pub fn ChartsPanel() -> impl IntoView {
    view! {
        <section class="charts" aria-label="Charts">
            {ChartKind::ALL.into_iter().map(|kind| view! { <ChartCard kind /> }).collect_view()}
        </section>
    }
}

/// Redraws the canvas behind `canvas_ref` whenever the theme (or whatever `draw` reads)
/// changes: `draw` gets the canvas and the theme's style at devicePixelRatio and says whether
/// it drew (counted in `data-drawn`); its error goes to `error`. Used by the panels' own
/// charts (the serving lab, validation).
pub(crate) fn themed_redraw(
    canvas_ref: NodeRef<Canvas>,
    error: RwSignal<Option<String>>,
    draw: impl Fn(&web_sys::HtmlCanvasElement, &ChartStyle) -> Result<bool, String> + 'static,
) {
    let state = expect_context::<AppState>();
    Effect::new(move |_| {
        let dark = state.dark.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let base = if dark {
            ChartStyle::dark()
        } else {
            ChartStyle::light()
        };
        match draw(
            &canvas,
            &base.with_scale(super::browser::device_pixel_ratio()),
        ) {
            Ok(drawn) => {
                error.set(None);
                if drawn {
                    count_draw(&canvas);
                }
            }
            Err(e) => error.set(Some(e)),
        }
    });
}
