//! Input cost against the prefix-cache hit rate: the engine's cost per 1M input tokens
//! (over cached and new tokens alike) and its time to first token, with published
//! cached-input prices blended at the same hit rate.

use super::shared::cost_label;
use crate::catalogue::pricing::pricing;
use crate::chart::axis::{format_value, Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Ink, Pen, Side, Style};
use crate::chart::{ChartError, ChartKind};
use crate::model::{prefill, prefill_after_prefix, prefix_cache, shape, Evaluation};
use crate::scenario::Scenario;

/// Hit rates drawn: 0, 2.5, …, 100%.
const STEPS: u32 = 40;

/// The prefix-cache chart of `s` (evaluated as `e`): x is the share of each request's input
/// tokens already cached, n_cached ÷ n_in (percent).
pub(super) fn prefix_cache(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let prices = pricing().map_err(ChartError::Data)?;
    let sh = shape(s);
    let peak = s.peak_flops()?;
    let b = s.workload.batch_size as f64;
    let n_in = s.workload.input_tokens;
    let usd_per_second = s.chips as f64 * s.hardware.price_per_hour / 3600.0;
    let mut cost = Vec::new();
    let mut ttft = Vec::new();
    let mut hits: Vec<u64> = (0..=STEPS)
        .map(|i| (n_in as f64 * i as f64 / STEPS as f64).round() as u64)
        .collect();
    hits.push(s.workload.cached_input_tokens.min(n_in));
    hits.sort_unstable();
    hits.dedup();
    for c in hits {
        let mut at = s.clone();
        at.workload.cached_input_tokens = c;
        let p = prefix_cache::split(&at);
        let batch = prefill_after_prefix(&at, &sh, peak, b * p.new, b, p.cached);
        let one = prefill_after_prefix(&at, &sh, peak, p.new, 1.0, p.cached);
        let x = 100.0 * c as f64 / n_in as f64;
        let alone = if p.cached > 0.0 {
            prefill(&at, &sh, peak, b * p.new, b).seconds
        } else {
            batch.seconds
        };
        let split = prefix_cache::input_cost(usd_per_second, b, p, batch.seconds, alone);
        cost.push((x, split.average));
        ttft.push((x, one.seconds * 1e3));
    }
    let mut xa = AxisSpec::new(
        "prefix-cache hit rate, % of input tokens",
        "cache_hit_percent",
        Scale::Linear,
        Format::Percent,
    );
    xa.range = Some((0.0, 100.0));
    let mut d = ChartData::new(
        ChartKind::PrefixCache,
        xa,
        AxisSpec::new(
            "USD per 1M input tokens",
            "cost_usd_per_million_input_tokens",
            Scale::Log,
            Format::Usd,
        ),
    );
    d.y2 = Some(AxisSpec::new(
        "time to first token, ms (right)",
        "ttft_ms",
        Scale::Linear,
        Format::Number,
    ));
    d.plot(
        &format!("input cost at batch {}", s.workload.batch_size),
        "cost_usd_per_million_input_tokens",
        Pen::left(Style::Line, Ink::Series(0)),
        cost,
    );
    d.plot(
        "time to first token (right axis)",
        "ttft_ms",
        Pen::right(Style::Line, Ink::Series(1)),
        ttft,
    );
    let usd = |v: f64| format_value(v, Format::Usd);
    for c in &prices.cached_input {
        let points: Vec<(f64, f64)> = (0..=20)
            .map(|i| {
                let h = i as f64 / 20.0;
                (100.0 * h, c.blended(h))
            })
            .collect();
        d.plot(
            &format!("{} {} (API input price)", c.provider, c.model),
            &format!("api_{}_usd_per_million_input_tokens", slug(c.model)),
            Pen::left(Style::Dashed, Ink::Muted),
            points,
        )
        .legend = false;
        d.point(
            50.0,
            c.blended(0.5),
            Side::Left,
            format!(
                "{}: {} → {}",
                short(c.model),
                usd(c.input),
                usd(c.cached_input)
            ),
            Ink::Muted,
            false,
        );
    }
    let h = 100.0 * e.prefix.stored / n_in as f64;
    d.point(
        h,
        e.cost.per_million_input_tokens,
        Side::Left,
        format!("now: {}", cost_label(e.cost.per_million_input_tokens)),
        Ink::Series(0),
        true,
    );
    d.notes.push(format!(
        "dashed grey: published API input prices, uncached → cached, blended at each hit rate (read {})",
        prices
            .cached_input
            .iter()
            .map(|c| c.read)
            .max()
            .unwrap_or("")
    ));
    d.notes.push(format!(
        "{} input tokens per request; prefill computes only the uncached ones, their attention over the whole prompt",
        n_in
    ));
    Ok(d)
}

/// A model name without its parenthesised remarks.
fn short(s: &str) -> &str {
    s.split(" (").next().unwrap_or(s)
}

/// Lower-case letters and digits, other runs as one `_`.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evaluate;

    #[test]
    fn input_cost_and_ttft_fall_as_the_hit_rate_rises() {
        let s = Scenario::default();
        let e = evaluate(&s).unwrap();
        let d = prefix_cache(&s, &e).unwrap();
        let cost = &d.series[0].points;
        assert_eq!(cost[0], (0.0, e.cost.per_million_input_tokens));
        assert!(cost.windows(2).all(|w| w[1].1 <= w[0].1 * (1.0 + 1e-9)));
        assert!(cost.last().unwrap().1 < cost[0].1 / 10.0);
        let ttft = &d.series[1].points;
        assert!((ttft[0].1 - e.prefill.seconds * 1e3).abs() < 1e-9);
        assert!(ttft.last().unwrap().1 < ttft[0].1);
        // Every published price is drawn, unlisted, from uncached to cached.
        let api: Vec<_> = d.series.iter().skip(2).collect();
        assert_eq!(api.len(), pricing().unwrap().cached_input.len());
        assert!(api
            .iter()
            .all(|s| !s.legend && s.points[0].1 > s.points[20].1));
    }

    #[test]
    fn the_current_hit_rate_is_on_the_curve() {
        let mut s = Scenario::default();
        s.workload.cached_input_tokens = 700;
        let e = evaluate(&s).unwrap();
        let d = prefix_cache(&s, &e).unwrap();
        let x = 100.0 * 700.0 / 1024.0;
        let p = d.series[0].points.iter().find(|p| p.0 == x).unwrap();
        assert!((p.1 - e.cost.per_million_input_tokens).abs() <= 1e-12 * p.1);
    }
}
