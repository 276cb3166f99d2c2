//! The charts below the first screen, loaded on demand: each chart kind but the two on the
//! first screen (the roofline and cost against batch) has its builder (`chart::*_data`, its
//! `DataFn`) behind a `#[lazy]` function of its own, so its code sits in a WebAssembly chunk
//! that the page fetches when the chart's canvas comes near the screen (or when an embed of
//! that one chart opens). The renderer's stages, shared by every chart, stay in the main
//! module; so does the SVG export's entry, whose code (the SVG backend and the renderer
//! over it) is a chunk of its own, fetched on the first SVG export.

use crate::chart::{self, ChartData, ChartKind, ChartStyle, DataFn};
use leptos::prelude::*;
use std::cell::RefCell;

/// What a chart's chunk brings: its builder, and the controls shown beside it (the
/// architecture comparison's model picker).
#[derive(Clone, Copy)]
pub struct ChartCode {
    /// The chart's data from the scenario.
    pub data: DataFn,
    /// Controls beside the chart, built with it.
    pub extra: Option<fn() -> AnyView>,
}

impl ChartCode {
    fn plain(data: DataFn) -> Self {
        Self { data, extra: None }
    }
}

thread_local! {
    /// The chart code already at hand, by `ChartKind::ALL` index.
    static LOADED: RefCell<[Option<ChartCode>; ChartKind::ALL.len()]> =
        const { RefCell::new([None; ChartKind::ALL.len()]) };
}

fn index(kind: ChartKind) -> usize {
    ChartKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// The code of the first screen's charts (in the main module); `None` for the others.
fn first_screen(kind: ChartKind) -> Option<ChartCode> {
    match kind {
        ChartKind::Roofline => Some(ChartCode::plain(chart::roofline_data)),
        ChartKind::CostBatch => Some(ChartCode::plain(chart::cost_batch_data)),
        _ => None,
    }
}

/// The code of chart `kind` if it is at hand now: always for the first screen's charts, for
/// the others once their chunk has arrived.
pub fn at_hand(kind: ChartKind) -> Option<ChartCode> {
    first_screen(kind).or_else(|| LOADED.with(|l| l.borrow()[index(kind)]))
}

/// Whether chart `kind` is loaded on demand (not in the main module).
pub fn is_lazy(kind: ChartKind) -> bool {
    first_screen(kind).is_none()
}

#[lazy]
fn cost_context_chart() -> ChartCode {
    ChartCode::plain(chart::cost_context_data)
}

#[lazy]
fn frontier_chart() -> ChartCode {
    ChartCode::plain(chart::frontier_data)
}

#[lazy]
fn scale_out_chart() -> ChartCode {
    ChartCode::plain(chart::scale_out_data)
}

#[lazy]
fn breakdown_time_chart() -> ChartCode {
    ChartCode::plain(chart::breakdown_time_data)
}

#[lazy]
fn breakdown_memory_chart() -> ChartCode {
    ChartCode::plain(chart::breakdown_memory_data)
}

#[lazy]
fn breakdown_energy_chart() -> ChartCode {
    ChartCode::plain(chart::breakdown_energy_data)
}

#[lazy]
fn tiles_chart() -> ChartCode {
    ChartCode::plain(chart::tiles_data)
}

#[lazy]
fn speculative_chart() -> ChartCode {
    ChartCode::plain(chart::speculative_data)
}

#[lazy]
fn prefix_cache_chart() -> ChartCode {
    ChartCode::plain(chart::prefix_cache_data)
}

/// The comparison's model picker (built untracked, like the lazy panels).
fn compare_picker() -> AnyView {
    untrack(|| view! { <super::compare_models::ComparePicker /> }.into_any())
}

#[lazy]
fn compare_context_chart() -> ChartCode {
    ChartCode {
        data: chart::compare_context_data,
        extra: Some(compare_picker),
    }
}

/// The code of chart `kind`: at once where it is at hand, else after its chunk arrives
/// (fetched once; later calls find it loaded).
pub async fn load(kind: ChartKind) -> ChartCode {
    if let Some(code) = at_hand(kind) {
        return code;
    }
    let code = match kind {
        ChartKind::Roofline => ChartCode::plain(chart::roofline_data),
        ChartKind::CostBatch => ChartCode::plain(chart::cost_batch_data),
        ChartKind::CostContext => cost_context_chart().await,
        ChartKind::Frontier => frontier_chart().await,
        ChartKind::ScaleOut => scale_out_chart().await,
        ChartKind::BreakdownTime => breakdown_time_chart().await,
        ChartKind::BreakdownMemory => breakdown_memory_chart().await,
        ChartKind::BreakdownEnergy => breakdown_energy_chart().await,
        ChartKind::Tiles => tiles_chart().await,
        ChartKind::Speculative => speculative_chart().await,
        ChartKind::PrefixCache => prefix_cache_chart().await,
        ChartKind::CompareContext => compare_context_chart().await,
    };
    LOADED.with(|l| l.borrow_mut()[index(kind)] = Some(code));
    code
}

/// Chart data `d` as an SVG document (960 × 560) in style `style`, or what failed.
#[lazy]
fn svg_document(d: &ChartData, style: &ChartStyle) -> Result<String, String> {
    chart::svg_of_data(d, 960, 560, style).map_err(|e| e.to_string())
}

/// [`svg_document`]: the SVG export's code is fetched on the first export.
pub async fn svg(d: &ChartData, style: &ChartStyle) -> Result<String, String> {
    svg_document(d, style).await
}
