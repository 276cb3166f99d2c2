//! The serving lab's charts: a [`SimReport`] drawn by the same renderer as every other chart
//! (same fonts, palette, axes and readouts), generic over plotters' `DrawingBackend`.
//!
//! [`ChartData`] carries a [`ChartKind`]; the lab's charts are not among the calculator's
//! kinds (the page and the CLI iterate `ChartKind::ALL`), so they borrow the kind whose
//! rendering they resemble and set their own title. The returned `ChartInfo::kind` is that
//! borrowed kind; use [`LabChart`] to tell lab charts apart.

use super::axis::{Format, Scale};
use super::data::{AxisSpec, ChartData, Ink, Marker, Pen, Side, Style};
use super::{render, ChartError, ChartInfo, ChartKind, ChartStyle};
use crate::sim::{Scheduler, SimReport};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// The lab's charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabChart {
    /// Requests waiting over simulated time, one line per scheduler.
    Waiting,
    /// KV memory holding tokens (solid) and reserved but empty (dashed), per scheduler.
    Memory,
    /// TTFT and TPOT percentiles, bars per scheduler, log scale.
    Latency,
    /// Time to first token against its percentile, one line per scheduler.
    TtftDistribution,
    /// Time per output token against its percentile, one line per scheduler.
    TpotDistribution,
}

impl LabChart {
    /// In page order.
    pub const ALL: [LabChart; 5] = [
        LabChart::Waiting,
        LabChart::Memory,
        LabChart::Latency,
        LabChart::TtftDistribution,
        LabChart::TpotDistribution,
    ];

    /// Slug for element ids and file names (`lab-waiting`).
    pub fn id(self) -> &'static str {
        match self {
            LabChart::Waiting => "lab-waiting",
            LabChart::Memory => "lab-memory",
            LabChart::Latency => "lab-latency",
            LabChart::TtftDistribution => "lab-ttft-distribution",
            LabChart::TpotDistribution => "lab-tpot-distribution",
        }
    }

    /// The chart's title.
    pub fn title(self) -> &'static str {
        match self {
            LabChart::Waiting => "Requests waiting over time",
            LabChart::Memory => "KV memory over time: holding tokens and reserved but empty",
            LabChart::Latency => "Latency percentiles: time to first token and per output token",
            LabChart::TtftDistribution => "Time to first token by percentile of requests",
            LabChart::TpotDistribution => "Time per output token by percentile of requests",
        }
    }
}

fn ink(s: Scheduler) -> Ink {
    Ink::Series(match s {
        Scheduler::Static => 1,
        Scheduler::Contiguous => 0,
        Scheduler::Paged => 2,
        Scheduler::Chunked => 3,
        Scheduler::Disaggregated => 6,
    })
}

/// Where the time axis ends: the last token of the continuous schedulers (static batching
/// often runs far longer; its tail is cut off, and a note says so), or of all when only
/// static batching ran.
fn time_end(r: &SimReport) -> f64 {
    let last = |x: &crate::sim::SchedulerReport| x.series.time.last().copied().unwrap_or(0.0);
    let cont = r
        .schedulers
        .iter()
        .filter(|x| x.scheduler != Scheduler::Static)
        .map(last)
        .fold(0.0, f64::max);
    if cont > 0.0 {
        cont
    } else {
        r.schedulers.iter().map(last).fold(0.0, f64::max)
    }
}

/// Points up to `end` (and the first beyond it, so a line reaches the plot's edge cut there).
fn until(points: Vec<(f64, f64)>, end: f64) -> Vec<(f64, f64)> {
    match points.iter().position(|p| p.0 > end) {
        Some(i) => {
            let mut v = points;
            let (t0, y0) = if i > 0 { v[i - 1] } else { (0.0, v[i].1) };
            let (t1, y1) = v[i];
            let y = if t1 > t0 {
                y0 + (y1 - y0) * (end - t0) / (t1 - t0)
            } else {
                y1
            };
            v.truncate(i);
            v.push((end, y));
            v
        }
        None => points,
    }
}

/// A note naming schedulers whose runs go on past the time axis's end.
fn cut_note(r: &SimReport, end: f64) -> Option<String> {
    let over: Vec<String> = r
        .schedulers
        .iter()
        .filter_map(|x| {
            let t = x.series.time.last().copied()?;
            (t > end * 1.0001).then(|| {
                format!(
                    "{} runs on to {} s (cut off)",
                    x.scheduler.name(),
                    super::axis::format_number(t)
                )
            })
        })
        .collect();
    (!over.is_empty()).then(|| format!("{}.", over.join("; ")))
}

/// The data of one lab chart, before drawing. Values are finite by construction (the
/// simulation's series are time-weighted means of finite values).
pub fn lab_chart_data(which: LabChart, r: &SimReport) -> ChartData {
    lab_chart_data_sized(which, r, false)
}

/// As [`lab_chart_data`]; `compact` shortens category labels for narrow charts.
pub fn lab_chart_data_sized(which: LabChart, r: &SimReport, compact: bool) -> ChartData {
    let time_axis = AxisSpec::new("simulated time, s", "time_s", Scale::Linear, Format::Number);
    let requests = AxisSpec::new("requests", "requests", Scale::Linear, Format::Number);
    let mut d = ChartData::new(ChartKind::BreakdownMemory, time_axis, requests);
    d.title = which.title().into();
    let end = time_end(r);
    match which {
        LabChart::Waiting => waiting(&mut d, r, end),
        LabChart::Memory => memory(&mut d, r, end),
        LabChart::Latency => latency(&mut d, r, compact),
        LabChart::TtftDistribution => distribution(&mut d, r, false),
        LabChart::TpotDistribution => distribution(&mut d, r, true),
    }
    d
}

/// Requests waiting against simulated time (s), one line per scheduler, cut at `end`.
fn waiting(d: &mut ChartData, r: &SimReport, end: f64) {
    d.kind = ChartKind::ScaleOut;
    d.y = AxisSpec::new(
        "requests waiting",
        "requests_waiting",
        Scale::Linear,
        Format::Number,
    );
    for x in &r.schedulers {
        let pts = x
            .series
            .time
            .iter()
            .zip(&x.series.waiting)
            .map(|(&t, &w)| (t, w))
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .collect();
        let pts = until(pts, end);
        d.plot(
            x.scheduler.name(),
            &format!("{}_waiting", x.scheduler.id()),
            Pen::left(Style::Line, ink(x.scheduler)),
            pts,
        );
    }
    d.notes.push(
        "Time-weighted means over each interval; arrivals are the same for every scheduler.".into(),
    );
    d.notes.extend(cut_note(r, end));
}

/// KV memory (GB) holding tokens and reserved but empty against simulated time (s), per
/// scheduler, cut at `end`, with the capacity marked.
fn memory(d: &mut ChartData, r: &SimReport, end: f64) {
    d.y = AxisSpec::new("KV memory, GB", "kv_gb", Scale::Linear, Format::Number);
    for x in &r.schedulers {
        let gb = |v: &[f64]| -> Vec<(f64, f64)> {
            let pts = x
                .series
                .time
                .iter()
                .zip(v)
                .map(|(&t, &b)| (t, b / 1e9))
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .collect();
            until(pts, end)
        };
        d.plot(
            x.scheduler.name(),
            &format!("{}_kv_used_gb", x.scheduler.id()),
            Pen::left(Style::Line, ink(x.scheduler)),
            gb(&x.series.kv_used_bytes),
        );
        // One legend entry per scheduler; the note explains solid and dashed.
        d.plot(
            &format!("{}: reserved, empty", x.scheduler.name()),
            &format!("{}_kv_wasted_gb", x.scheduler.id()),
            Pen::left(Style::Dashed, ink(x.scheduler)),
            gb(&x.series.kv_wasted_bytes),
        )
        .legend = false;
    }
    // The replica's capacity, and the disaggregated pools' where larger.
    let mut caps: Vec<(f64, String)> = vec![(r.kv_capacity_bytes, "KV capacity".into())];
    for x in &r.schedulers {
        if x.kv_capacity_bytes > r.kv_capacity_bytes * 1.0001
            && !caps.iter().any(|c| c.0 == x.kv_capacity_bytes)
        {
            caps.push((
                x.kv_capacity_bytes,
                format!("{}: KV capacity", x.scheduler.name()),
            ));
        }
    }
    for (bytes, label) in caps {
        let cap = bytes / 1e9;
        if cap.is_finite() && cap > 0.0 && end > 0.0 {
            d.markers.push(Marker::Inline {
                x0: 0.0,
                x1: end,
                y: cap,
                side: Side::Left,
                label: format!("{label} {} GB", super::axis::format_number(cap)),
                ink: Ink::Muted,
            });
        }
    }
    d.notes.push(
        "Solid: KV holding tokens. Dashed: reserved but empty (contiguous: the rest of \
         each request's maximum; paged: unfilled last blocks; static: padding)."
            .into(),
    );
    d.notes.extend(cut_note(r, end));
}

/// TTFT and TPOT percentiles (s, log scale), one bar per scheduler at each; `compact`
/// shortens the category labels.
fn latency(d: &mut ChartData, r: &SimReport, compact: bool) {
    d.kind = ChartKind::Tiles;
    let cats = if compact {
        ["TTFT 50", "95", "99", "TPOT 50", "95", "99"]
    } else {
        [
            "TTFT p50", "TTFT p95", "TTFT p99", "TPOT p50", "TPOT p95", "TPOT p99",
        ]
    };
    let x_label = if compact { "percentile" } else { "" };
    d.x = AxisSpec::new(x_label, "percentile", Scale::Linear, Format::Number);
    d.x.categories = cats.iter().map(|c| c.to_string()).collect();
    d.x.range = Some((-0.6, cats.len() as f64 - 0.4));
    d.y = AxisSpec::new("seconds (log)", "seconds", Scale::Log, Format::Number);
    let n = r.schedulers.len().max(1) as f64;
    let width = 0.8 / n;
    for (i, x) in r.schedulers.iter().enumerate() {
        let vals = [
            x.ttft.p50, x.ttft.p95, x.ttft.p99, x.tpot.p50, x.tpot.p95, x.tpot.p99,
        ];
        let pts = vals
            .iter()
            .enumerate()
            .map(|(k, &v)| (k as f64, v))
            .filter(|p| p.1.is_finite() && p.1 > 0.0)
            .collect();
        let bars = Style::Bars {
            offset: (i as f64 - (n - 1.0) / 2.0) * width,
            width: width * 0.92,
        };
        d.plot(
            x.scheduler.name(),
            &format!("{}_seconds", x.scheduler.id()),
            Pen::left(bars, ink(x.scheduler)),
            pts,
        );
    }
    d.notes.push(
        "TTFT: arrival to first token, queueing included. TPOT: (last − first token) ÷ \
         (tokens − 1)."
            .into(),
    );
}

/// TTFT (or TPOT, `tpot`) against the percentile of requests, seconds on a log scale, one
/// line per scheduler: the tail on the right.
fn distribution(d: &mut ChartData, r: &SimReport, tpot: bool) {
    d.kind = ChartKind::ScaleOut;
    d.x = AxisSpec::new(
        "percentile of requests",
        "percentile",
        Scale::Linear,
        Format::Number,
    );
    d.x.range = Some((0.0, 100.0));
    let (label, key) = if tpot {
        ("time per output token, s (log)", "tpot_s")
    } else {
        ("time to first token, s (log)", "ttft_s")
    };
    d.y = AxisSpec::new(label, key, Scale::Log, Format::Number);
    for x in &r.schedulers {
        let q = if tpot {
            &x.tpot_quantiles
        } else {
            &x.ttft_quantiles
        };
        let pts: Vec<(f64, f64)> = q
            .iter()
            .enumerate()
            .map(|(p, &v)| (p as f64, v))
            .filter(|p| p.1.is_finite() && p.1 > 0.0)
            .collect();
        d.plot(
            x.scheduler.name(),
            &format!("{}_{key}", x.scheduler.id()),
            Pen::left(Style::Line, ink(x.scheduler)),
            pts,
        );
    }
    d.notes.push(if tpot {
        "Each request's (last − first token) ÷ (tokens − 1), sorted: a long prompt prefilled whole stalls every running decode, which shows at the right; chunked prefill and separate decode pools flatten it."
            .to_string()
    } else {
        "Arrival to first token, queueing included, sorted; disaggregated adds each prompt's KV transfer."
            .to_string()
    });
}

/// Draws lab chart `which` of report `r` onto `area`.
pub fn draw_lab<DB: DrawingBackend>(
    which: LabChart,
    area: &DrawingArea<DB, Shift>,
    r: &SimReport,
    style: &ChartStyle,
) -> Result<ChartInfo, ChartError> {
    let (w, _) = area.dim_in_pixel();
    let scale = if style.scale.is_finite() && style.scale > 0.0 {
        style.scale
    } else {
        1.0
    };
    let compact = super::layout::is_compact(w, scale);
    render::render(area, &lab_chart_data_sized(which, r, compact), style)
}

/// Lab chart `which` as an SVG document of `width` × `height` pixels.
pub fn lab_svg(
    which: LabChart,
    r: &SimReport,
    width: u32,
    height: u32,
    style: &ChartStyle,
) -> Result<String, ChartError> {
    super::svg_with(width, height, |area| {
        draw_lab(which, area, r, style).map(|_| ())
    })
}
