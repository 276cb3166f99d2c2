//! What each chart shows, as plain data: series, shaded regions and labelled markers.
//!
//! Pure functions of a [`Scenario`]; no drawing here. The renderer draws a [`ChartData`],
//! the UI's hover readout reads its series, and [`csv`] writes them. Values are stored in
//! the units their axis label names (ms, GB, USD per million tokens, …).

use super::axis::{format_number, format_value, Format, Scale};
use super::pricing::pricing;
use super::{ChartError, ChartKind, DEFAULT_MAX_CONTEXT_TOKENS};
use crate::model::sweep::{self, log_space, log_space_u64, SweepPoint};
use crate::model::{self, evaluate, kv_bytes_per_sequence, max_batch_at, shape, Bound, Evaluation};
use crate::scenario::Scenario;

/// Which vertical axis a series or marker belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    Line,
    Dashed,
    /// Dots only.
    Points,
    /// Filled band on top of the previous stacked series (same x values).
    Stacked,
    /// Bars centred at x + offset, `width` in x units, from 0.
    Bars {
        offset: f64,
        width: f64,
    },
}

/// A colour role; the palette turns it into a colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ink {
    /// The n-th series colour of the palette.
    Series(usize),
    /// Neutral grey for reference lines.
    Muted,
}

/// One series of (x, y) points, y on `side`'s axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend and readout name.
    pub name: String,
    /// CSV column name, with units (`cost_usd_per_million_output_tokens`).
    pub column: String,
    pub side: Side,
    pub style: Style,
    pub ink: Ink,
    /// Whether the legend lists it (reference lines labelled in place are not listed).
    pub legend: bool,
    pub points: Vec<(f64, f64)>,
}

/// What a shaded band of x values means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionKind {
    MemoryBound,
    ComputeBound,
    /// The configuration does not fit in memory there.
    Infeasible,
}

/// A shaded band x0..x1 across the plot, labelled.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    pub x0: f64,
    pub x1: f64,
    pub kind: RegionKind,
    pub label: String,
}

/// An annotation that carries an insight.
#[derive(Clone, Debug, PartialEq)]
pub enum Marker {
    /// A vertical line at x, labelled near the top of the plot.
    VLine { x: f64, label: String, ink: Ink },
    /// A label written on the horizontal line y between x0 and x1 (a reference level).
    Inline {
        x0: f64,
        x1: f64,
        y: f64,
        side: Side,
        label: String,
        ink: Ink,
    },
    /// A labelled point; `dot` draws a ring at it.
    Point {
        x: f64,
        y: f64,
        side: Side,
        label: String,
        ink: Ink,
        dot: bool,
    },
}

/// One axis: label with units, scale, tick format, optional fixed range or categories.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisSpec {
    /// Axis title with units.
    pub label: String,
    /// CSV column name of this axis's values.
    pub column: String,
    pub scale: Scale,
    pub format: Format,
    /// Extend the range to include zero (linear axes).
    pub include_zero: bool,
    /// Fixed range, in values; computed from the data when `None`.
    pub range: Option<(f64, f64)>,
    /// Names of integer x positions 0, 1, 2… (a category axis); empty otherwise.
    pub categories: Vec<String>,
}

impl AxisSpec {
    fn new(label: &str, column: &str, scale: Scale, format: Format) -> Self {
        AxisSpec {
            label: label.into(),
            column: column.into(),
            scale,
            format,
            include_zero: scale == Scale::Linear,
            range: None,
            categories: Vec::new(),
        }
    }
}

/// Everything one chart shows, before drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    pub kind: ChartKind,
    pub title: String,
    pub x: AxisSpec,
    pub y: AxisSpec,
    pub y2: Option<AxisSpec>,
    pub series: Vec<Series>,
    pub regions: Vec<Region>,
    pub markers: Vec<Marker>,
    /// Small print under the legend (sources, dates, assumptions).
    pub notes: Vec<String>,
}

impl ChartData {
    fn new(kind: ChartKind, x: AxisSpec, y: AxisSpec) -> Self {
        ChartData {
            kind,
            title: kind.title().into(),
            x,
            y,
            y2: None,
            series: Vec::new(),
            regions: Vec::new(),
            markers: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn line(
        &mut self,
        name: &str,
        column: &str,
        side: Side,
        style: Style,
        ink: Ink,
    ) -> &mut Series {
        self.series.push(Series {
            name: name.into(),
            column: column.into(),
            side,
            style,
            ink,
            legend: true,
            points: Vec::new(),
        });
        let i = self.series.len() - 1;
        &mut self.series[i]
    }

    fn vline(&mut self, x: f64, label: String, ink: Ink) {
        if x.is_finite() {
            self.markers.push(Marker::VLine { x, label, ink });
        }
    }

    fn point(&mut self, x: f64, y: f64, side: Side, label: String, ink: Ink, dot: bool) {
        if x.is_finite() && y.is_finite() {
            self.markers.push(Marker::Point {
                x,
                y,
                side,
                label,
                ink,
                dot,
            });
        }
    }
}

/// The data of chart `kind`; `max_context_tokens` ends the context axis (the current
/// context is always included).
pub fn chart_data(
    kind: ChartKind,
    s: &Scenario,
    max_context_tokens: u64,
) -> Result<ChartData, ChartError> {
    let e = evaluate(s)?;
    match kind {
        ChartKind::Roofline => roofline(s, &e),
        ChartKind::CostBatch => cost_batch(s, &e),
        ChartKind::CostContext => cost_context(s, &e, max_context_tokens),
        ChartKind::Frontier => frontier(s, &e),
        ChartKind::ScaleOut => scale_out(s, &e),
        ChartKind::BreakdownTime => breakdown_time(s, &e),
        ChartKind::BreakdownMemory => breakdown_memory(s, &e),
        ChartKind::BreakdownEnergy => breakdown_energy(s, &e),
        ChartKind::Tiles => tiles(s),
    }
}

/// CSV of chart `kind`'s series (context axis up to the default maximum).
pub fn csv(kind: ChartKind, s: &Scenario) -> Result<String, ChartError> {
    Ok(to_csv(&chart_data(kind, s, DEFAULT_MAX_CONTEXT_TOKENS)?))
}

/// The series as CSV: one row per x when every series shares the x values (wide), else
/// one row per point (`series,<x>,value`).
pub fn to_csv(d: &ChartData) -> String {
    let x_text = |x: f64| -> String {
        if d.x.categories.is_empty() {
            x.to_string()
        } else {
            let i = x.round();
            if i >= 0.0 && (i as usize) < d.x.categories.len() {
                quote(&d.x.categories[i as usize])
            } else {
                x.to_string()
            }
        }
    };
    let mut out = String::new();
    let first = d.series.first().map(|s| &s.points);
    let shared = first.is_some_and(|f| {
        d.series.iter().all(|s| {
            s.points.len() == f.len()
                && s.points
                    .iter()
                    .zip(f)
                    .all(|(a, b)| a.0.to_bits() == b.0.to_bits())
        })
    });
    if shared {
        let cols: Vec<String> = std::iter::once(quote(&d.x.column))
            .chain(d.series.iter().map(|s| quote(&s.column)))
            .collect();
        out.push_str(&cols.join(","));
        out.push('\n');
        if let Some(f) = first {
            for (i, (x, _)) in f.iter().enumerate() {
                let mut row = vec![x_text(*x)];
                row.extend(d.series.iter().map(|s| s.points[i].1.to_string()));
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
    } else {
        out.push_str(&format!("series,{},value\n", quote(&d.x.column)));
        for s in &d.series {
            for (x, y) in &s.points {
                out.push_str(&format!("{},{},{}\n", quote(&s.column), x_text(*x), y));
            }
        }
    }
    out
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Sorted, deduplicated whole numbers within 1..=max.
fn merge(mut v: Vec<u64>, extra: impl IntoIterator<Item = u64>, max: u64) -> Vec<u64> {
    v.extend(extra);
    v.retain(|&x| x >= 1 && x <= max);
    v.sort_unstable();
    v.dedup();
    v
}

const SWEEP_MAX: u64 = 100_000_000;

/// The ideal batch: the exact crossing, or the rule of thumb when it never crosses.
fn ideal_batch(e: &Evaluation) -> f64 {
    e.critical_batch
        .exact
        .map(|b| b as f64)
        .unwrap_or(e.critical_batch.rule_of_thumb)
}

/// The batch sizes the batch charts sweep: 1 … max(4096, 4·B, 2·B*), log-spaced, plus the
/// current batch, the exact B* and the memory limit when inside.
fn batch_values(s: &Scenario, e: &Evaluation) -> (Vec<u64>, f64) {
    let b = s.workload.batch_size;
    let ideal = ideal_batch(e);
    let hi_f = (4096.0f64)
        .max(4.0 * b as f64)
        .max(2.0 * ideal)
        .min(SWEEP_MAX as f64);
    let hi = hi_f.round() as u64;
    let base = log_space_u64(1, hi, 96);
    let extra = [
        b,
        e.critical_batch.exact.unwrap_or(0),
        e.critical_batch.exact.map_or(0, |x| x.saturating_sub(1)),
        e.capacity.max_batch_size,
        e.capacity.max_batch_size.saturating_add(1),
    ];
    (merge(base, extra, hi), hi as f64)
}

fn cost_label(v: f64) -> String {
    format!("{}/M", format_value(v, Format::Usd))
}

fn roofline(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let peak = s.peak_flops()?;
    let bw = s.hardware.memory_bandwidth;
    let n = s.chips.max(1) as f64;
    let ridge = peak / bw;
    let dec_bytes = e.decode.weight_bytes + e.decode.kv_bytes;
    let dec_i = e.decode.flops / dec_bytes;
    let dec_y = e.decode.flops / (n * e.decode.step_seconds);
    let pre_i = e.prefill.flops / e.prefill.bytes;
    let pre_y = e.prefill.flops / (n * e.prefill.seconds);
    let finite = [dec_i, pre_i, ridge]
        .into_iter()
        .filter(|v| v.is_finite() && *v > 0.0);
    let lo = finite.clone().fold(f64::INFINITY, f64::min) / 10.0;
    let hi = finite.fold(f64::NEG_INFINITY, f64::max) * 10.0;
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (1.0, 1e4)
    };
    let mut xs = log_space(lo, hi, 80);
    xs.push(ridge);
    xs.sort_by(f64::total_cmp);
    xs.dedup();

    let prec = s.precision.compute.name();
    let mut d = ChartData::new(
        ChartKind::Roofline,
        AxisSpec::new(
            "arithmetic intensity, FLOP per byte read",
            "flop_per_byte",
            Scale::Log,
            Format::Number,
        ),
        AxisSpec::new(
            &format!("attainable {prec} FLOP/s per chip"),
            "flop_per_second_per_chip",
            Scale::Log,
            Format::Number,
        ),
    );
    d.line(
        "roofline (peak)",
        "roof_peak_flop_per_second",
        Side::Left,
        Style::Line,
        Ink::Series(0),
    )
    .points = xs.iter().map(|&i| (i, peak.min(bw * i))).collect();
    let eff = &s.efficiency;
    if eff.compute < 1.0 || eff.bandwidth < 1.0 {
        d.line(
            &format!(
                "at {:.0}% FLOP/s, {:.0}% bandwidth",
                eff.compute * 100.0,
                eff.bandwidth * 100.0
            ),
            "roof_realistic_flop_per_second",
            Side::Left,
            Style::Dashed,
            Ink::Muted,
        )
        .points = xs
            .iter()
            .map(|&i| (i, (peak * eff.compute).min(bw * eff.bandwidth * i)))
            .collect();
    }
    d.line(
        &format!("decode, batch {}", s.workload.batch_size),
        "decode_flop_per_second",
        Side::Left,
        Style::Points,
        Ink::Series(1),
    )
    .points = vec![(dec_i, dec_y)];
    d.line(
        &format!("prefill, {} tokens", s.workload.input_tokens),
        "prefill_flop_per_second",
        Side::Left,
        Style::Points,
        Ink::Series(2),
    )
    .points = vec![(pre_i, pre_y)];
    d.regions.push(Region {
        x0: lo,
        x1: ridge,
        kind: RegionKind::MemoryBound,
        label: "memory-bound".into(),
    });
    d.regions.push(Region {
        x0: ridge,
        x1: hi,
        kind: RegionKind::ComputeBound,
        label: "compute-bound".into(),
    });
    d.point(
        ridge,
        peak,
        Side::Left,
        format!("ridge {} FLOP/B", format_number(ridge)),
        Ink::Series(0),
        true,
    );
    d.point(
        dec_i,
        dec_y,
        Side::Left,
        format!(
            "decode: {} FLOP/B, {}-bound",
            format_number(dec_i),
            e.decode.bound.name()
        ),
        Ink::Series(1),
        false,
    );
    d.point(
        pre_i,
        pre_y,
        Side::Left,
        format!(
            "prefill: {} FLOP/B, {}-bound",
            format_number(pre_i),
            e.prefill.bound.name()
        ),
        Ink::Series(2),
        false,
    );
    d.notes.push(format!(
        "{}: {} FLOP/s, {}B/s per chip; achieved rate includes overheads",
        s.hardware.name,
        format_number(peak),
        format_number(bw)
    ));
    Ok(d)
}

/// Memory-bound and compute-bound bands from a batch sweep.
fn bound_regions(d: &mut ChartData, pts: &[SweepPoint], lo: f64, hi: f64) {
    let switch = pts.iter().find(|p| p.bound == Bound::Compute).map(|p| p.x);
    match switch {
        Some(x) if x > lo => {
            d.regions.push(Region {
                x0: lo,
                x1: x,
                kind: RegionKind::MemoryBound,
                label: "memory-bound".into(),
            });
            d.regions.push(Region {
                x0: x,
                x1: hi,
                kind: RegionKind::ComputeBound,
                label: "compute-bound".into(),
            });
        }
        Some(_) => d.regions.push(Region {
            x0: lo,
            x1: hi,
            kind: RegionKind::ComputeBound,
            label: "compute-bound".into(),
        }),
        None => d.regions.push(Region {
            x0: lo,
            x1: hi,
            kind: RegionKind::MemoryBound,
            label: "memory-bound".into(),
        }),
    }
}

/// A band where the sweep's points do not fit in memory (from the first that does not fit
/// to the end, or from the start to the first that fits).
fn infeasible_region(d: &mut ChartData, pts: &[SweepPoint], hi: f64, what: &str, rising: bool) {
    if rising {
        // Fits at small x, stops fitting as x grows.
        if let Some(p) = pts.iter().find(|p| !p.fits) {
            d.regions.push(Region {
                x0: p.x,
                x1: hi,
                kind: RegionKind::Infeasible,
                label: format!("{what} does not fit"),
            });
        }
    } else if let Some(first) = pts.first() {
        if !first.fits {
            let x1 = pts.iter().find(|p| p.fits).map_or(hi, |p| p.x);
            d.regions.push(Region {
                x0: first.x,
                x1,
                kind: RegionKind::Infeasible,
                label: format!("{what} does not fit"),
            });
        }
    }
}

fn batch_axis() -> AxisSpec {
    AxisSpec::new(
        "batch size, concurrent requests",
        "batch",
        Scale::Log,
        Format::Number,
    )
}

fn cost_axis() -> AxisSpec {
    AxisSpec::new(
        "USD per 1M output tokens",
        "cost_usd_per_million_output_tokens",
        Scale::Log,
        Format::Usd,
    )
}

fn cost_batch(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let (values, hi) = batch_values(s, e);
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(ChartKind::CostBatch, batch_axis(), cost_axis());
    d.y2 = Some(AxisSpec::new(
        "tokens/s per user",
        "tokens_per_second_per_user",
        Scale::Log,
        Format::Number,
    ));
    d.line(
        "cost per 1M output tokens",
        "cost_usd_per_million_output_tokens",
        Side::Left,
        Style::Line,
        Ink::Series(0),
    )
    .points = pts
        .iter()
        .map(|p| (p.x, p.cost_per_million_output_tokens))
        .collect();
    d.line(
        "tokens/s per user (right axis)",
        "tokens_per_second_per_user",
        Side::Right,
        Style::Line,
        Ink::Series(1),
    )
    .points = pts
        .iter()
        .map(|p| (p.x, p.tokens_per_second_per_user))
        .collect();
    bound_regions(&mut d, &pts, 1.0, hi);
    infeasible_region(&mut d, &pts, hi, "KV cache", true);
    let cb = &e.critical_batch;
    d.vline(
        cb.rule_of_thumb,
        format!("rule of thumb B* ≈ {}", format_number(cb.rule_of_thumb)),
        Ink::Muted,
    );
    if let Some(x) = cb.exact {
        d.vline(
            x as f64,
            format!("exact B* = {}", format_number(x as f64)),
            Ink::Series(3),
        );
    }
    let mb = e.capacity.max_batch_size;
    if mb >= 1 && (mb as f64) <= hi {
        d.vline(
            mb as f64,
            format!("memory full at B = {}", format_number(mb as f64)),
            Ink::Series(4),
        );
    }
    let b = s.workload.batch_size as f64;
    d.point(
        b,
        e.cost.per_million_output_tokens,
        Side::Left,
        format!(
            "B = {}: {}",
            format_number(b),
            cost_label(e.cost.per_million_output_tokens)
        ),
        Ink::Series(0),
        true,
    );
    d.notes.push(format!(
        "context {} tokens; exact B* includes KV reads and experts touched",
        format_number(e.context)
    ));
    Ok(d)
}

fn cost_context(s: &Scenario, e: &Evaluation, max_context: u64) -> Result<ChartData, ChartError> {
    let prices = pricing().map_err(ChartError::Data)?;
    let ctx = e.context.round().max(1.0) as u64;
    let lo = 1024u64.min(ctx);
    let model_max = max_context.max(ctx).max(lo + 1).min(SWEEP_MAX);
    // Price tiers step above their threshold; past the model's maximum the axis goes on
    // (shaded) far enough to show the step.
    let tier_max = prices
        .context_tiers
        .iter()
        .map(|t| t.threshold_input_tokens)
        .filter(|t| t.is_finite() && *t > 0.0)
        .fold(0.0, f64::max);
    let hi = if tier_max > model_max as f64 {
        ((tier_max * 1.5).round() as u64).min(SWEEP_MAX)
    } else {
        model_max
    };
    let crossover = e
        .kv_crossover_context
        .map(|c| c.round() as u64)
        .unwrap_or(0);
    let values = merge(log_space_u64(lo, hi, 72), [ctx, crossover], hi);
    let values: Vec<u64> = values.into_iter().filter(|&v| v >= lo).collect();
    let pts = sweep::over_context(s, &values)?;
    let sh = shape(s);
    let n = s.chips.max(1) as f64;
    let mut fit_cost = Vec::new();
    let mut fit_batch = Vec::new();
    for &c in &values {
        let mb = max_batch_at(s, &sh, n, kv_bytes_per_sequence(s, c as f64)).min(SWEEP_MAX);
        if mb == 0 {
            continue;
        }
        let mut at = s.clone();
        at.workload.context_length = Some(c);
        let p = sweep::over_batch(&at, &[mb])?;
        if let Some(p) = p.first() {
            fit_cost.push((c as f64, p.cost_per_million_output_tokens));
            fit_batch.push((c as f64, mb as f64));
        }
    }
    let mut d = ChartData::new(
        ChartKind::CostContext,
        AxisSpec::new(
            "context length, tokens",
            "context_tokens",
            Scale::Log,
            Format::Number,
        ),
        cost_axis(),
    );
    d.y2 = Some(AxisSpec::new(
        "largest batch that fits",
        "max_batch",
        Scale::Log,
        Format::Number,
    ));
    let b = s.workload.batch_size;
    d.line(
        &format!("cost at batch {b}"),
        "cost_usd_per_million_output_tokens_at_batch",
        Side::Left,
        Style::Line,
        Ink::Series(0),
    )
    .points = pts
        .iter()
        .map(|p| (p.x, p.cost_per_million_output_tokens))
        .collect();
    d.line(
        "cost at the largest batch that fits",
        "cost_usd_per_million_output_tokens_at_max_batch",
        Side::Left,
        Style::Dashed,
        Ink::Series(2),
    )
    .points = fit_cost;
    d.line(
        "largest batch that fits (right axis)",
        "max_batch",
        Side::Right,
        Style::Line,
        Ink::Series(1),
    )
    .points = fit_batch;
    infeasible_region(&mut d, &pts, hi as f64, &format!("batch {b}"), true);
    if hi > model_max {
        d.regions.push(Region {
            x0: model_max as f64,
            x1: hi as f64,
            kind: RegionKind::Infeasible,
            label: format!("past max {}", format_number(model_max as f64)),
        });
    }
    if let Some(c) = e.kv_crossover_context {
        if c >= lo as f64 && c <= hi as f64 {
            d.vline(c, "KV reads > weight reads".into(), Ink::Series(3));
        }
    }
    if let Some(p) = pts.iter().find(|p| p.x == ctx as f64) {
        d.point(
            p.x,
            p.cost_per_million_output_tokens,
            Side::Left,
            format!("now: {}", cost_label(p.cost_per_million_output_tokens)),
            Ink::Series(0),
            true,
        );
    }
    let (xlo, xhi) = (lo as f64, hi as f64);
    for t in &prices.context_tiers {
        let below = t.output.below;
        let thr = t.threshold_input_tokens;
        let mut points = vec![(xlo, below)];
        let model = short_model(&t.model);
        let mut label = format!("{model}: {}", format_value(below, Format::Usd));
        match t.output.above {
            Some(above) if thr < xhi && thr > xlo => {
                points.extend([(thr, below), (thr, above), (xhi, above)]);
                label = format!(
                    "{model}: {} → {} >{}",
                    format_value(below, Format::Usd),
                    format_value(above, Format::Usd),
                    format_number(thr)
                );
            }
            Some(above) if thr >= xhi => {
                points.push((xhi, below));
                label = format!(
                    "{model}: {} ({} >{})",
                    format_value(below, Format::Usd),
                    format_value(above, Format::Usd),
                    format_number(thr)
                );
            }
            Some(above) => points = vec![(xlo, above), (xhi, above)],
            None => points.push((thr.min(xhi).max(xlo), below)),
        }
        let series = d.line(
            &format!("{} {} (API output price)", t.provider, t.model),
            &format!("api_{}_usd_per_million_output_tokens", slug(&t.model)),
            Side::Left,
            Style::Dashed,
            Ink::Muted,
        );
        series.legend = false;
        series.points = points;
        let (x0, y0, x1) = match d.series.last().map(|s| &s.points[..]) {
            Some([a, b, ..]) => (a.0, a.1, b.0),
            _ => (xlo, below, xhi),
        };
        d.markers.push(Marker::Inline {
            x0,
            x1,
            y: y0,
            side: Side::Left,
            label,
            ink: Ink::Muted,
        });
    }
    d.notes.push(format!(
        "dashed grey: published API output prices as of {} (tiers step on input length)",
        prices.as_of()
    ));
    Ok(d)
}

/// A model name without its parenthesised remarks (`Claude Sonnet 4 / 4.5`).
fn short_model(s: &str) -> String {
    match s.find(" (") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

fn frontier(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let (values, hi) = batch_values(s, e);
    let labelled: Vec<u64> = (0..12)
        .map(|k| 8u64.pow(k))
        .take_while(|&b| b as f64 <= hi)
        .collect();
    let values = merge(values, labelled.iter().copied(), hi as u64);
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(
        ChartKind::Frontier,
        cost_axis(),
        AxisSpec::new(
            "tokens/s per user",
            "tokens_per_second_per_user",
            Scale::Log,
            Format::Number,
        ),
    );
    let fits: Vec<(f64, f64)> = pts
        .iter()
        .filter(|p| p.fits)
        .map(|p| {
            (
                p.cost_per_million_output_tokens,
                p.tokens_per_second_per_user,
            )
        })
        .collect();
    let over: Vec<(f64, f64)> = pts
        .iter()
        .filter(|p| !p.fits)
        .map(|p| {
            (
                p.cost_per_million_output_tokens,
                p.tokens_per_second_per_user,
            )
        })
        .collect();
    d.line(
        "batch 1 … (fits in memory)",
        "fits",
        Side::Left,
        Style::Line,
        Ink::Series(0),
    )
    .points = fits;
    if !over.is_empty() {
        d.line(
            "larger batches (exceed memory)",
            "exceeds_memory",
            Side::Left,
            Style::Dashed,
            Ink::Muted,
        )
        .points = over;
    }
    for p in pts.iter().filter(|p| labelled.contains(&(p.x as u64))) {
        d.point(
            p.cost_per_million_output_tokens,
            p.tokens_per_second_per_user,
            Side::Left,
            format!("B={}", format_number(p.x)),
            Ink::Muted,
            true,
        );
    }
    let b = s.workload.batch_size as f64;
    let c0 = e.cost.per_million_output_tokens;
    let v0 = e.decode.tokens_per_second_per_user;
    d.point(
        c0,
        v0,
        Side::Left,
        format!("now: B={}", format_number(b)),
        Ink::Series(1),
        true,
    );
    // Fast tiers: what paying m× the price per token buys on this hardware.
    let prices = pricing().map_err(ChartError::Data)?;
    let fast: Vec<&SweepPoint> = pts.iter().filter(|p| p.fits && p.x <= b).collect();
    let mut shown: Vec<f64> = Vec::new();
    let mut beyond: Vec<f64> = Vec::new();
    for t in &prices.speed_tiers {
        let Some(m) = t.output_multiplier() else {
            continue;
        };
        if m <= 1.0 || shown.iter().any(|s| (s - m).abs() < 0.1) {
            continue;
        }
        if let Some((c, v)) = at_cost(&fast, m * c0) {
            shown.push(m);
            d.point(
                c,
                v,
                Side::Left,
                format!("{}× price ({}): {}× speed", sig2(m), t.model, sig2(v / v0)),
                Ink::Series(2),
                true,
            );
        } else {
            beyond.push(m);
        }
    }
    // Premiums dearer than batch 1 itself: batch 1 is the fastest this hardware goes.
    let smallest = beyond.iter().copied().fold(f64::INFINITY, f64::min);
    if let (Some(one), true) = (fast.first(), smallest.is_finite()) {
        if one.x == 1.0 && c0 > 0.0 && v0 > 0.0 && b > 1.0 {
            d.point(
                one.cost_per_million_output_tokens,
                one.tokens_per_second_per_user,
                Side::Left,
                format!(
                    "B=1: {}× price, {}× speed (a {}× premium pays for it)",
                    sig2(one.cost_per_million_output_tokens / c0),
                    sig2(one.tokens_per_second_per_user / v0),
                    sig2(smallest)
                ),
                Ink::Series(2),
                true,
            );
        }
    }
    d.notes.push(format!(
        "green rings: published fast-tier price multipliers (as of {}) applied to the current cost, and the speed that buys here",
        prices.as_of()
    ));
    Ok(d)
}

fn sig2(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.1}");
        s.trim_end_matches(".0").to_string()
    }
}

/// The (cost, tokens/s/user) on a batch sweep at which cost reaches `target`, interpolated
/// in log space between neighbouring batches; `None` if no batch in the sweep is that dear.
fn at_cost(pts: &[&SweepPoint], target: f64) -> Option<(f64, f64)> {
    if !(target.is_finite() && target > 0.0) {
        return None;
    }
    pts.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        let (ca, cb) = (
            a.cost_per_million_output_tokens,
            b.cost_per_million_output_tokens,
        );
        if ca >= target && cb <= target && ca > 0.0 && cb > 0.0 && ca > cb {
            let f = (ca / target).ln() / (ca / cb).ln();
            let (va, vb) = (a.tokens_per_second_per_user, b.tokens_per_second_per_user);
            let v = (va.ln() + f * (vb.ln() - va.ln())).exp();
            Some((target, v))
        } else {
            None
        }
    })
}

fn scale_out(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let n = s.chips as u64;
    let hi = (4 * n).clamp(64, 1_000_000);
    let powers: Vec<u64> = (0..21).map(|k| 1u64 << k).collect();
    let values = merge(
        sweep::default_values(s, sweep::Axis::Chips),
        powers.into_iter().chain([n]),
        hi,
    );
    let pts = sweep::over_chips(s, &values)?;
    let mut one = s.clone();
    one.workload.batch_size = 1;
    let floor = sweep::over_chips(&one, &values)?;
    let mut d = ChartData::new(
        ChartKind::ScaleOut,
        AxisSpec::new("chips", "chips", Scale::Log, Format::Number),
        AxisSpec::new(
            "step time at batch 1, ms",
            "latency_floor_ms",
            Scale::Log,
            Format::Number,
        ),
    );
    d.y2 = Some(cost_axis());
    let b = s.workload.batch_size;
    d.line(
        "latency floor: step at batch 1",
        "latency_floor_ms",
        Side::Left,
        Style::Line,
        Ink::Series(0),
    )
    .points = floor.iter().map(|p| (p.x, p.step_seconds * 1e3)).collect();
    d.line(
        &format!("cost at batch {b} (right axis)"),
        "cost_usd_per_million_output_tokens",
        Side::Right,
        Style::Line,
        Ink::Series(1),
    )
    .points = pts
        .iter()
        .map(|p| (p.x, p.cost_per_million_output_tokens))
        .collect();
    infeasible_region(&mut d, &pts, hi as f64, &format!("batch {b}"), false);
    if let Some(p) = floor.iter().find(|p| p.x == n as f64) {
        d.point(
            p.x,
            p.step_seconds * 1e3,
            Side::Left,
            format!(
                "{} chip{}: {} ms ({} tok/s max)",
                n,
                if n == 1 { "" } else { "s" },
                format_number(p.step_seconds * 1e3),
                format_number(p.tokens_per_second_per_user)
            ),
            Ink::Series(0),
            true,
        );
    }
    if let Some(p) = pts.iter().find(|p| p.x == n as f64) {
        d.point(
            p.x,
            p.cost_per_million_output_tokens,
            Side::Right,
            cost_label(p.cost_per_million_output_tokens),
            Ink::Series(1),
            true,
        );
    }
    d.notes.push(format!(
        "{:?} parallel; communication and per-collective latency included",
        s.parallelism
    ));
    let _ = e;
    Ok(d)
}

/// A named part of the step time: (legend, CSV column, value in ms).
type Part = (&'static str, &'static str, Box<dyn Fn(&SweepPoint) -> f64>);

fn breakdown_time(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    // A linear time axis: end near where memory runs out (or just past the exact B*), so
    // the small batches stay readable.
    let (values, hi) = batch_values(s, e);
    let b = s.workload.batch_size as f64;
    let mut end = (4.0 * b)
        .max(2.0 * e.capacity.max_batch_size as f64)
        .max(64.0);
    if let Some(x) = e.critical_batch.exact {
        if (x as f64) <= 8.0 * end {
            end = end.max(1.5 * x as f64);
        }
    }
    let end = end.min(hi);
    let values: Vec<u64> = values.into_iter().filter(|&v| v as f64 <= end).collect();
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(
        ChartKind::BreakdownTime,
        batch_axis(),
        AxisSpec::new("decode step time, ms", "ms", Scale::Linear, Format::Number),
    );
    // Memory time split in proportion to bytes (exact: one chip reads total ÷ N bytes).
    fn split(p: &SweepPoint) -> (f64, f64) {
        let bytes = p.weight_bytes_read + p.kv_bytes_read;
        let w = if bytes > 0.0 {
            p.weight_bytes_read / bytes
        } else {
            1.0
        };
        (
            p.memory_seconds * w * 1e3,
            p.memory_seconds * (1.0 - w) * 1e3,
        )
    }
    let parts: [Part; 5] = [
        (
            "reading weights",
            "weights_read_ms",
            Box::new(|p| split(p).0),
        ),
        ("reading KV cache", "kv_read_ms", Box::new(|p| split(p).1)),
        (
            "compute beyond memory time",
            "compute_beyond_memory_ms",
            Box::new(|p| (p.compute_seconds - p.memory_seconds).max(0.0) * 1e3),
        ),
        (
            "communication",
            "communication_ms",
            Box::new(|p| p.comm_seconds * 1e3),
        ),
        (
            "fixed overheads",
            "overhead_ms",
            Box::new(|p| p.latency_seconds * 1e3),
        ),
    ];
    for (i, (name, col, f)) in parts.iter().enumerate() {
        let ink = if i == 4 { Ink::Muted } else { Ink::Series(i) };
        d.line(name, col, Side::Left, Style::Stacked, ink).points =
            pts.iter().map(|p| (p.x, f(p))).collect();
    }
    d.line(
        "compute time (overlaps memory)",
        "compute_ms",
        Side::Left,
        Style::Dashed,
        Ink::Series(5),
    )
    .points = pts.iter().map(|p| (p.x, p.compute_seconds * 1e3)).collect();
    let b = s.workload.batch_size as f64;
    d.vline(b, format!("now: B = {}", format_number(b)), Ink::Muted);
    if let Some(x) = e.critical_batch.exact {
        d.vline(
            x as f64,
            format!("B* = {}", format_number(x as f64)),
            Ink::Series(3),
        );
    }
    d.notes
        .push("step = max(memory, compute) + communication + overheads".into());
    Ok(d)
}

fn breakdown_memory(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let b = s.workload.batch_size;
    let mb = e.capacity.max_batch_size;
    let hi = (4 * b).max(mb.saturating_mul(2)).clamp(64, SWEEP_MAX);
    let values = merge(log_space_u64(1, hi, 80), [b, mb, mb.saturating_add(1)], hi);
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(
        ChartKind::BreakdownMemory,
        batch_axis(),
        AxisSpec::new(
            "memory over all chips, GB",
            "gb",
            Scale::Linear,
            Format::Number,
        ),
    );
    d.line(
        "weights",
        "weights_gb",
        Side::Left,
        Style::Stacked,
        Ink::Series(0),
    )
    .points = pts
        .iter()
        .map(|p| (p.x, p.memory_weight_bytes / 1e9))
        .collect();
    d.line(
        "KV cache",
        "kv_cache_gb",
        Side::Left,
        Style::Stacked,
        Ink::Series(1),
    )
    .points = pts.iter().map(|p| (p.x, p.memory_kv_bytes / 1e9)).collect();
    d.line(
        "free",
        "free_gb",
        Side::Left,
        Style::Stacked,
        Ink::Series(2),
    )
    .points = pts
        .iter()
        .map(|p| {
            let free = p.memory_usable_bytes - p.memory_weight_bytes - p.memory_kv_bytes;
            (p.x, free.max(0.0) / 1e9)
        })
        .collect();
    d.line(
        &format!(
            "usable ({:.0}% of HBM)",
            model::USABLE_MEMORY_FRACTION * 100.0
        ),
        "usable_gb",
        Side::Left,
        Style::Dashed,
        Ink::Series(4),
    )
    .points = pts
        .iter()
        .map(|p| (p.x, p.memory_usable_bytes / 1e9))
        .collect();
    let cap = s.chips as f64 * s.hardware.memory_capacity / 1e9;
    d.line(
        "HBM capacity",
        "capacity_gb",
        Side::Left,
        Style::Line,
        Ink::Muted,
    )
    .points = pts.iter().map(|p| (p.x, cap)).collect();
    infeasible_region(&mut d, &pts, hi as f64, "KV cache", true);
    d.vline(
        b as f64,
        format!("now: B = {}", format_number(b as f64)),
        Ink::Muted,
    );
    if mb >= 1 {
        d.vline(
            mb as f64,
            format!("max batch {}", format_number(mb as f64)),
            Ink::Series(4),
        );
    }
    d.notes.push(format!(
        "KV at context {} tokens: {}B per request",
        format_number(e.context),
        format_number(e.capacity.kv_bytes_per_sequence)
    ));
    Ok(d)
}

fn breakdown_energy(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let (values, _hi) = batch_values(s, e);
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(
        ChartKind::BreakdownEnergy,
        batch_axis(),
        AxisSpec::new(
            "energy per output token, joules",
            "joules_per_token",
            Scale::Log,
            Format::Number,
        ),
    );
    d.line(
        "moving data (weights, KV)",
        "data_movement_joules_per_token",
        Side::Left,
        Style::Line,
        Ink::Series(0),
    )
    .points = pts
        .iter()
        .map(|p| (p.x, p.data_movement_joules_per_token))
        .collect();
    d.line(
        "arithmetic",
        "arithmetic_joules_per_token",
        Side::Left,
        Style::Line,
        Ink::Series(1),
    )
    .points = pts
        .iter()
        .map(|p| (p.x, p.arithmetic_joules_per_token))
        .collect();
    d.line(
        "total",
        "joules_per_token",
        Side::Left,
        Style::Dashed,
        Ink::Muted,
    )
    .points = pts.iter().map(|p| (p.x, p.joules_per_token)).collect();
    if let Some(p) = pts
        .iter()
        .find(|p| p.arithmetic_joules_per_token >= p.data_movement_joules_per_token)
    {
        d.point(
            p.x,
            p.arithmetic_joules_per_token,
            Side::Left,
            format!("math = data movement at B ≈ {}", format_number(p.x)),
            Ink::Series(1),
            true,
        );
    }
    let b = s.workload.batch_size as f64;
    if let Some(p) = pts.iter().find(|p| p.x == b) {
        let ratio = p.data_movement_joules_per_token / p.arithmetic_joules_per_token;
        d.point(
            b,
            p.data_movement_joules_per_token,
            Side::Left,
            format!(
                "B = {}: data {}× math",
                format_number(b),
                format_number(ratio)
            ),
            Ink::Series(0),
            true,
        );
    }
    d.notes.push(format!(
        "{} pJ per byte from HBM, {} pJ per FLOP",
        format_number(s.energy.joules_per_byte * 1e12),
        format_number(s.energy.joules_per_flop * 1e12)
    ));
    Ok(d)
}

/// A short axis label for a GEMM: its matrix and, if given, its output dimension on one
/// chip (`q 1024`, `ex.up 2048`); the CSV and the readout carry the same text.
fn gemm_label(name: &str, n: Option<u64>) -> String {
    let (group, matrix) = name.split_once('.').unwrap_or(("", name));
    let matrix = match matrix {
        "gate_up" => "up",
        "q_proj" => "q",
        "k_proj" => "k",
        "v_proj" => "v",
        "o_proj" => "o",
        "q_a_proj" => "q_a",
        "q_b_proj" => "q_b",
        "kv_a_proj" => "kv_a",
        "kv_b_proj" => "kv_b",
        other => other,
    };
    let group = match group {
        "shared_expert" => "sh.",
        "expert" => "ex.",
        _ => "",
    };
    match n {
        Some(n) => format!("{group}{matrix} {n}"),
        None => format!("{group}{matrix}"),
    }
}

fn tiles(s: &Scenario) -> Result<ChartData, ChartError> {
    // The engine's GEMMs for this chip (its tile size and multiprocessor count), one decode
    // step of the batch.
    let rows = s.workload.batch_size.max(1);
    let gemms = crate::model::tiles::gemm_efficiencies(s, rows)?;
    let mut x = AxisSpec::new(
        &format!(
            "GEMM on one chip and its output dimension (decode, {rows} row{})",
            if rows == 1 { "" } else { "s" }
        ),
        "gemm",
        Scale::Linear,
        Format::Number,
    );
    // Many GEMMs (MoE, MLA) leave no room for the dimension under each bar.
    let with_dims = gemms.len() <= 8;
    if !with_dims {
        x.label = format!("GEMM on one chip (decode, {rows} rows)");
    }
    x.categories = gemms
        .iter()
        .map(|g| gemm_label(g.name, with_dims.then_some(g.n)))
        .collect();
    x.range = Some((-0.6, gemms.len() as f64 - 0.4));
    x.include_zero = false;
    let mut y = AxisSpec::new("efficiency, %", "percent", Scale::Linear, Format::Percent);
    // Headroom above 100% for the bars' value labels.
    y.range = Some((0.0, 112.0));
    let (tile, sms) = (s.hardware.tile_size, s.hardware.streaming_multiprocessors);
    let mut d = ChartData::new(ChartKind::Tiles, x, y);
    d.line(
        &format!("tile efficiency of the weight (n and k, {tile}-wide tiles)"),
        "tile_efficiency_percent",
        Side::Left,
        Style::Bars {
            offset: -0.2,
            width: 0.38,
        },
        Ink::Series(0),
    )
    .points = gemms
        .iter()
        .enumerate()
        .map(|(i, g)| (i as f64, 100.0 * g.tile_efficiency_n * g.tile_efficiency_k))
        .collect();
    d.line(
        &format!("wave efficiency ({sms} SMs)"),
        "wave_efficiency_percent",
        Side::Left,
        Style::Bars {
            offset: 0.2,
            width: 0.38,
        },
        Ink::Series(1),
    )
    .points = gemms
        .iter()
        .enumerate()
        .map(|(i, g)| (i as f64, 100.0 * g.wave_efficiency))
        .collect();
    d.notes.push(format!(
        "{tile}×{tile} output tiles over {sms} SMs of the {}; no split-K; rows padded to whole tiles are not counted here",
        s.hardware.name
    ));
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_bars_are_the_engines_gemms() {
        let s = Scenario::default();
        let d = chart_data(ChartKind::Tiles, &s, DEFAULT_MAX_CONTEXT_TOKENS).unwrap();
        let g = crate::model::tiles::gemm_efficiencies(&s, 64).unwrap();
        assert_eq!(d.x.categories.len(), g.len());
        for (i, g) in g.iter().enumerate() {
            let tile = d.series[0].points[i].1;
            assert!((tile - 100.0 * g.tile_efficiency_n * g.tile_efficiency_k).abs() < 1e-9);
            assert!((d.series[1].points[i].1 - 100.0 * g.wave_efficiency).abs() < 1e-9);
        }
    }

    #[test]
    fn every_chart_has_finite_series() {
        let s = Scenario::default();
        for kind in ChartKind::ALL {
            let d = chart_data(kind, &s, DEFAULT_MAX_CONTEXT_TOKENS).unwrap();
            assert!(!d.series.is_empty(), "{kind:?}");
            for series in &d.series {
                assert!(!series.points.is_empty(), "{kind:?} {}", series.name);
                for (x, y) in &series.points {
                    assert!(x.is_finite() && y.is_finite(), "{kind:?} {}", series.name);
                }
            }
        }
    }

    #[test]
    fn cost_batch_matches_engine_at_current_batch() {
        let s = Scenario::default();
        let e = evaluate(&s).unwrap();
        let d = chart_data(ChartKind::CostBatch, &s, DEFAULT_MAX_CONTEXT_TOKENS).unwrap();
        let (_, c) = d.series[0]
            .points
            .iter()
            .find(|(x, _)| *x == 64.0)
            .copied()
            .unwrap();
        let want = e.cost.per_million_output_tokens;
        assert!((c - want).abs() <= 1e-12 * want);
        // Exact B* and rule of thumb are both marked.
        let labels: Vec<String> = d
            .markers
            .iter()
            .filter_map(|m| match m {
                Marker::VLine { label, .. } => Some(label.clone()),
                _ => None,
            })
            .collect();
        assert!(
            labels.iter().any(|l| l.starts_with("exact B*")),
            "{labels:?}"
        );
        assert!(labels.iter().any(|l| l.starts_with("rule of thumb")));
    }

    #[test]
    fn breakdown_time_stacks_to_step() {
        let s = Scenario::default();
        let d = chart_data(ChartKind::BreakdownTime, &s, DEFAULT_MAX_CONTEXT_TOKENS).unwrap();
        let e = evaluate(&s).unwrap();
        let i = d.series[0].points.iter().position(|p| p.0 == 64.0).unwrap();
        let total: f64 = d
            .series
            .iter()
            .filter(|s| s.style == Style::Stacked)
            .map(|s| s.points[i].1)
            .sum();
        let want = e.decode.step_seconds * 1e3;
        assert!((total - want).abs() <= 1e-9 * want, "{total} vs {want}");
    }

    #[test]
    fn csv_is_wide_when_x_shared() {
        let s = Scenario::default();
        let text = csv(ChartKind::CostBatch, &s).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "batch,cost_usd_per_million_output_tokens,tokens_per_second_per_user"
        );
        assert!(lines.any(|l| l.starts_with("64,")));
        let roof = csv(ChartKind::Roofline, &s).unwrap();
        assert!(roof.starts_with("series,flop_per_byte,value\n"));
        let tiles = csv(ChartKind::Tiles, &s).unwrap();
        assert!(tiles.contains("q 1024,100,"), "{tiles}");
    }

    #[test]
    fn fast_tier_interpolation() {
        let s = Scenario::default();
        let pts = sweep::over_batch(&s, &[1, 2, 4, 8, 16, 32, 64]).unwrap();
        let refs: Vec<&SweepPoint> = pts.iter().collect();
        let c64 = pts[6].cost_per_million_output_tokens;
        let (c, v) = at_cost(&refs, 2.0 * c64).unwrap();
        assert_eq!(c, 2.0 * c64);
        assert!(v > pts[6].tokens_per_second_per_user);
        assert!(at_cost(&refs, 1e9).is_none());
    }
}
