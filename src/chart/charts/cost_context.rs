//! Cost per 1M output tokens against context length: at the current batch and at the
//! largest batch that fits (right axis: that batch), the KV crossover, and published API
//! output prices with their context tiers.

use super::shared::{context_axis, cost_axis, cost_label, infeasible_region, merge, SWEEP_MAX};
use crate::catalogue::pricing::{pricing, Pricing};
use crate::chart::axis::{format_number, format_value, Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Ink, Marker, Pen, Region, RegionKind, Side, Style};
use crate::chart::{ChartError, ChartKind};
use crate::model::sweep::{self, log_space_u64};
use crate::model::{kv_bytes_per_sequence, max_batch_at, shape, Evaluation};
use crate::scenario::Scenario;

/// The cost-against-context chart of `s` (evaluated as `e`); the axis ends at
/// `max_context` tokens (or the current context, or past the last price tier, if larger).
pub(super) fn cost_context(
    s: &Scenario,
    e: &Evaluation,
    max_context: u64,
) -> Result<ChartData, ChartError> {
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
    let (fit_cost, fit_batch) = at_largest_batch(s, &values)?;
    let mut d = ChartData::new(ChartKind::CostContext, context_axis(), cost_axis());
    d.y2 = Some(AxisSpec::new(
        "largest batch that fits",
        "max_batch",
        Scale::Log,
        Format::Number,
    ));
    let b = s.workload.batch_size;
    d.plot(
        &format!("cost at batch {b}"),
        "cost_usd_per_million_output_tokens_at_batch",
        Pen::left(Style::Line, Ink::Series(0)),
        super::shared::along(&pts, |p| p.cost_per_million_output_tokens),
    );
    d.plot(
        "cost at the largest batch that fits",
        "cost_usd_per_million_output_tokens_at_max_batch",
        Pen::left(Style::Dashed, Ink::Series(2)),
        fit_cost,
    );
    d.plot(
        "largest batch that fits (right axis)",
        "max_batch",
        Pen::right(Style::Line, Ink::Series(1)),
        fit_batch,
    );
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
    api_price_tiers(&mut d, prices, (lo as f64, hi as f64));
    Ok(d)
}

/// Published API output prices with their context tiers, as muted step lines over context
/// `xlo..xhi` (tokens) on the left axis (USD per 1M output tokens), each labelled inline and
/// left out of the legend, and a note naming their date.
pub(super) fn api_price_tiers(d: &mut ChartData, prices: &Pricing, (xlo, xhi): (f64, f64)) {
    for t in &prices.context_tiers {
        let model = short_model(t.model);
        let (points, label) = tier_line(
            &model,
            t.output.below,
            t.output.above,
            t.threshold_input_tokens,
            (xlo, xhi),
        );
        let (x0, y0, x1) = match points[..] {
            [a, b, ..] => (a.0, a.1, b.0),
            _ => (xlo, t.output.below, xhi),
        };
        d.plot(
            &format!("{} {} (API output price)", t.provider, t.model),
            &format!("api_{}_usd_per_million_output_tokens", slug(t.model)),
            Pen::left(Style::Dashed, Ink::Muted),
            points,
        )
        .legend = false;
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
}

/// Points of one series, (x, y) in its axes' units.
type Xy = Vec<(f64, f64)>;

/// At each context (tokens): (context, cost at the largest batch that fits, USD per 1M
/// output tokens) and (context, that batch); contexts where nothing fits are left out.
fn at_largest_batch(s: &Scenario, contexts: &[u64]) -> Result<(Xy, Xy), ChartError> {
    let sh = shape(s);
    let n = s.chips.max(1) as f64;
    let mut fit_cost = Vec::new();
    let mut fit_batch = Vec::new();
    for &c in contexts {
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
    Ok((fit_cost, fit_batch))
}

/// One API price as a step line over context `xlo..xhi` (tokens) and its label: `below`
/// USD per 1M output tokens up to `threshold` input tokens, `above` beyond it.
fn tier_line(
    model: &str,
    below: f64,
    above: Option<f64>,
    threshold: f64,
    (xlo, xhi): (f64, f64),
) -> (Vec<(f64, f64)>, String) {
    let usd = |v: f64| format_value(v, Format::Usd);
    let mut points = vec![(xlo, below)];
    let mut label = format!("{model}: {}", usd(below));
    match above {
        Some(above) if threshold < xhi && threshold > xlo => {
            points.extend([(threshold, below), (threshold, above), (xhi, above)]);
            label = format!(
                "{model}: {} → {} >{}",
                usd(below),
                usd(above),
                format_number(threshold)
            );
        }
        Some(above) if threshold >= xhi => {
            points.push((xhi, below));
            label = format!(
                "{model}: {} ({} >{})",
                usd(below),
                usd(above),
                format_number(threshold)
            );
        }
        Some(above) => points = vec![(xlo, above), (xhi, above)],
        None => points.push((threshold.min(xhi).max(xlo), below)),
    }
    (points, label)
}

/// A model name without its parenthesised remarks (`Claude Sonnet 4 / 4.5`).
pub(super) fn short_model(s: &str) -> String {
    match s.find(" (") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Lower-case letters and digits, other runs as one `_` (`claude_sonnet_4`).
pub(super) fn slug(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evaluate;

    #[test]
    fn names_shorten_and_slug() {
        assert_eq!(short_model("Claude Sonnet 4 (≤200k)"), "Claude Sonnet 4");
        assert_eq!(short_model("GPT-5"), "GPT-5");
        assert_eq!(slug(" Claude Sonnet 4 / 4.5 "), "claude_sonnet_4_4_5");
    }

    #[test]
    fn tier_steps_inside_the_axis_and_notes_it_beyond() {
        let (p, l) = tier_line("M", 10.0, Some(15.0), 200_000.0, (1024.0, 1e6));
        assert_eq!(
            p,
            vec![(1024.0, 10.0), (2e5, 10.0), (2e5, 15.0), (1e6, 15.0)]
        );
        assert!(l.starts_with("M: ") && l.contains(" → "), "{l}");
        let (p, l) = tier_line("M", 10.0, Some(15.0), 2e6, (1024.0, 1e6));
        assert_eq!(p, vec![(1024.0, 10.0), (1e6, 10.0)]);
        assert!(l.contains(" (") && l.ends_with(')'), "{l}");
        let (p, _) = tier_line("M", 10.0, Some(15.0), 10.0, (1024.0, 1e6));
        assert_eq!(p, vec![(1024.0, 15.0), (1e6, 15.0)]);
        let (p, _) = tier_line("M", 10.0, None, f64::INFINITY, (1024.0, 1e6));
        assert_eq!(p, vec![(1024.0, 10.0), (1e6, 10.0)]);
    }

    #[test]
    fn largest_batch_shrinks_as_context_grows() {
        let s = Scenario::default();
        let d = cost_context(&s, &evaluate(&s).unwrap(), 131_072).unwrap();
        let batch = &d.series[2].points;
        assert!(batch.len() > 2);
        assert!(batch.windows(2).all(|w| w[1].1 <= w[0].1));
        assert!(d.series.iter().skip(3).all(|s| !s.legend));
    }
}
