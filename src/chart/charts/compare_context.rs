//! Architectures on long context: cost per 1M output tokens against context length (1k to
//! 1M tokens) for the current model and the model presets picked beside it, each on the
//! current chip, chip count, parallelism and precision, with the API price tiers overlaid
//! (the same overlay as the cost-against-context chart), a marker where each model's KV
//! reads overtake its weight reads, and a mark where it stops fitting.
//!
//! Each model runs the current batch B, or the largest batch that fits at that context when
//! fewer fit (the fewest chips' worth of memory is the same for all: the chip budget). A
//! curve ends at the first context where not even one request fits.

use super::cost_context::{api_price_tiers, short_model, slug};
use super::shared::{context_axis, cost_axis, merge};
use crate::catalogue::presets::model_preset;
use crate::catalogue::pricing::pricing;
use crate::chart::axis::format_number;
use crate::chart::data::{ChartData, Ink, Pen, Side, Style};
use crate::chart::{ChartError, ChartKind};
use crate::model::sweep::{self, log_space_u64};
use crate::model::{kv_bytes_per_sequence, kv_crossover, max_batch_at, shape};
use crate::scenario::{ModelSpec, Parallelism, Scenario};

/// The context axis: 1,024 to 1,048,576 tokens.
pub const CONTEXT_RANGE: (u64, u64) = (1 << 10, 1 << 20);

/// Log-spaced contexts the curves are evaluated at (plus the current context).
const POINTS: usize = 61;

/// One model's curve: (context, USD per 1M output tokens) where it fits, the context where
/// it first stops fitting (if inside the axis), and where its KV reads overtake its weight
/// reads (context, cost there), if inside the fitting part.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// The model's name (with " (current)" for the scenario's own).
    pub name: String,
    /// (context tokens, USD per 1M output tokens), fitting points only.
    pub points: Vec<(f64, f64)>,
    /// (context tokens, batch run there), the same contexts.
    pub batches: Vec<(f64, f64)>,
    /// First context (tokens) of the axis where not even one request fits.
    pub cut: Option<f64>,
    /// Where KV reads overtake weight reads: (context tokens, USD per 1M output tokens).
    pub crossover: Option<(f64, f64)>,
}

/// The scenario `s` with `model` in place of its own; a dense model under expert
/// parallelism runs tensor parallel instead (expert parallelism needs experts).
pub fn with_model(s: &Scenario, model: &ModelSpec) -> Scenario {
    let mut m = s.clone();
    m.model = model.clone();
    if m.model.moe.is_none() && m.parallelism == Parallelism::Expert {
        m.parallelism = Parallelism::Tensor;
    }
    m
}

/// The curve of scenario `s` over `contexts` (tokens, ascending): at each, batch
/// min(B, largest that fits) and its cost; cut at the first context where none fits.
pub fn curve(s: &Scenario, name: &str, contexts: &[u64]) -> Result<Curve, ChartError> {
    s.validate()?;
    let sh = shape(s);
    let n = s.chips.max(1) as f64;
    let b = s.workload.batch_size;
    let mut out = Curve {
        name: name.to_string(),
        points: Vec::new(),
        batches: Vec::new(),
        cut: None,
        crossover: None,
    };
    // (context, cost, crossover context at that point's batch) of the previous point.
    let mut prev: Option<(f64, f64, f64)> = None;
    for &c in contexts {
        let fit = max_batch_at(s, &sh, n, kv_bytes_per_sequence(s, c as f64));
        let batch = b.min(fit);
        if batch == 0 {
            out.cut = Some(c as f64);
            break;
        }
        let mut at = s.clone();
        at.workload.context_length = Some(c);
        let Some(p) = sweep::over_batch(&at, &[batch])?.into_iter().next() else {
            continue;
        };
        let x = c as f64;
        let y = p.cost_per_million_output_tokens;
        let cross = kv_crossover(s, p.weight_bytes_read, p.batch).unwrap_or(f64::INFINITY);
        if out.crossover.is_none() && x >= cross {
            out.crossover = Some(match prev {
                // Between the two points: placed at the crossover, cost interpolated
                // log-log along the segment.
                Some((x0, y0, _)) if cross > x0 => {
                    let t = (cross / x0).ln() / (x / x0).ln();
                    (cross, (y0.ln() + t * (y / y0).ln()).exp())
                }
                // Already past it at the first point.
                _ => (x, y),
            });
        }
        prev = Some((x, y, cross));
        out.points.push((x, y));
        out.batches.push((x, batch as f64));
    }
    Ok(out)
}

/// The chart: the current model's curve and each picked preset's (`picked`: preset ids;
/// unknown ids and the current model's own are skipped, the former with a note).
pub(super) fn compare_context(s: &Scenario, picked: &[String]) -> Result<ChartData, ChartError> {
    let prices = pricing().map_err(ChartError::Data)?;
    let (lo, hi) = CONTEXT_RANGE;
    let ctx = s.decode_context().round() as u64;
    let extra = if (lo..=hi).contains(&ctx) { ctx } else { 0 };
    let contexts: Vec<u64> = merge(log_space_u64(lo, hi, POINTS), [extra], hi)
        .into_iter()
        .filter(|&c| c >= lo)
        .collect();
    let mut d = ChartData::new(ChartKind::CompareContext, context_axis(), cost_axis());
    let mut models: Vec<(String, Scenario)> = vec![(
        format!("{} (current)", short_model(&s.model.name)),
        s.clone(),
    )];
    let mut unknown = Vec::new();
    for id in picked {
        match model_preset(id.trim()) {
            Some(p) if p.spec != s.model => {
                if !models.iter().skip(1).any(|(_, m)| m.model == p.spec) {
                    models.push((short_model(&p.name), with_model(s, &p.spec)));
                }
            }
            Some(_) => {}
            None => unknown.push(id.trim().to_string()),
        }
    }
    for (i, (name, m)) in models.iter().enumerate() {
        let ink = Ink::Series(i);
        let c = match curve(m, name, &contexts) {
            Ok(c) => c,
            // A picked model this setup cannot run (e.g. no such precision): noted, skipped.
            Err(e) if i > 0 => {
                d.notes.push(format!("{name}: not drawn ({e})"));
                continue;
            }
            Err(e) => return Err(e),
        };
        let column = format!("{}_usd_per_million_output_tokens", slug(name));
        let fits = !c.points.is_empty();
        d.plot(name, &column, Pen::left(Style::Line, ink), c.points.clone());
        if let Some((x, y)) = c.crossover {
            d.point(
                x,
                y,
                Side::Left,
                format!("KV > weights at {}", format_number(x)),
                ink,
                true,
            );
        }
        match (c.cut, c.points.last()) {
            (Some(x), Some(&(lx, ly))) => d.point(
                lx,
                ly,
                Side::Left,
                format!("× stops fitting at {}", format_number(x)),
                ink,
                false,
            ),
            (Some(_), None) => d
                .notes
                .push(format!("{name}: does not fit on these chips at 1k context")),
            _ => {}
        }
        if !fits {
            d.series.pop();
        }
    }
    api_price_tiers(&mut d, prices, (lo as f64, hi as f64));
    d.notes.insert(
        0,
        format!(
            "each model on {} × {} ({}), at batch {} or the largest that fits; ring: KV reads overtake weight reads",
            s.chips,
            s.hardware.name,
            s.precision.weights,
            s.workload.batch_size
        ),
    );
    if !unknown.is_empty() {
        d.notes.push(format!(
            "unknown model presets left out: {}",
            unknown.join(", ")
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::presets::hardware_preset;
    use crate::scenario::Precision;

    fn contexts() -> Vec<u64> {
        log_space_u64(CONTEXT_RANGE.0, CONTEXT_RANGE.1, POINTS)
    }

    fn v3_on_h200() -> Scenario {
        let mut s = Scenario {
            model: model_preset("deepseek-v3").unwrap().spec.clone(),
            hardware: hardware_preset("h200-sxm").unwrap().spec.clone(),
            chips: 8,
            ..Scenario::default()
        };
        s.precision.weights = Precision::Fp8;
        s.precision.compute = Precision::Fp8;
        s
    }

    #[test]
    fn a_picked_model_draws_a_second_curve_and_unknown_ids_are_noted() {
        let s = Scenario::default();
        let d = compare_context(&s, &["qwen3-235b-a22b".into(), "nope".into()]).unwrap();
        let drawn: Vec<&str> = d
            .series
            .iter()
            .filter(|x| x.legend)
            .map(|x| x.name.as_str())
            .collect();
        assert_eq!(drawn.len(), 2, "{drawn:?}");
        assert!(drawn[0].ends_with("(current)"));
        assert!(d.notes.iter().any(|n| n.contains("nope")), "{:?}", d.notes);
        // The API tiers are overlaid, as on the cost-against-context chart.
        assert!(d
            .series
            .iter()
            .any(|x| !x.legend && x.column.starts_with("api_")));
        // The current model itself picked again is not drawn twice.
        let again = compare_context(&s, &["llama-3.1-70b".into()]).unwrap();
        assert_eq!(again.series.iter().filter(|x| x.legend).count(), 1);
    }

    #[test]
    fn curves_are_cut_where_they_stop_fitting() {
        // Llama 3.1 70B at bf16 (GQA, 320 kB of KV per token) on 4 H100s: 288 GB usable
        // less 141 GB of weights leaves room for one request of about 450k tokens.
        let s = Scenario {
            chips: 4,
            ..Scenario::default()
        };
        let c = curve(&s, "x", &contexts()).unwrap();
        let cut = c.cut.expect("stops fitting before 1M");
        assert!(c.points.iter().all(|p| p.0 < cut));
        assert!(cut > 100_000.0 && cut < 1_048_576.0, "{cut}");
        // Cost never falls as context grows.
        assert!(c
            .points
            .windows(2)
            .all(|w| w[1].1 >= w[0].1 * (1.0 - 1e-12)));
    }

    #[test]
    fn the_crossover_marker_is_the_engines_crossover() {
        // At a fixed batch that always fits, the marker sits at the engine's crossover.
        let mut s = Scenario::default();
        s.workload.batch_size = 1;
        let c = curve(&s, "x", &contexts()).unwrap();
        let (x, _) = c
            .crossover
            .expect("KV overtakes weights below 1M at batch 1");
        let mut at = s.clone();
        at.workload.context_length = Some(x.round() as u64);
        let e = crate::model::evaluate(&at).unwrap();
        let engine = e.kv_crossover_context.unwrap();
        assert!((x - engine).abs() <= 1e-6 * engine, "{x} vs {engine}");
    }

    #[test]
    fn mla_holds_more_requests_than_gqa_at_128k() {
        // DeepSeek-V3's latent KV (70 kB per token) against Qwen3-235B's GQA (188 kB): at
        // 128k the same chips hold more V3 requests beside its bigger weights.
        let mut s = v3_on_h200();
        s.workload.batch_size = 4096;
        let v3 = curve(&s, "v3", &contexts()).unwrap();
        let q = with_model(&s, &model_preset("qwen3-235b-a22b").unwrap().spec);
        let qwen = curve(&q, "qwen", &contexts()).unwrap();
        let at = |c: &Curve, x: f64| c.batches.iter().find(|p| p.0 >= x).map(|p| p.1);
        let (a, b) = (at(&v3, 131_072.0).unwrap(), at(&qwen, 131_072.0).unwrap());
        assert!(a > b, "V3 {a} vs Qwen3 {b} requests at 128k");
    }

    #[test]
    fn deepseek_v3_2_against_v3_at_128k() {
        // The case: V3.2 (sparse attention over the top 2,048 tokens) beside V3 on
        // the same chips: both curves reach 128k, and V3.2's costs less there.
        let s = v3_on_h200();
        let d = compare_context(&s, &["deepseek-v3.2-exp".into()]).unwrap();
        let curves: Vec<_> = d.series.iter().filter(|x| x.legend).collect();
        assert_eq!(curves.len(), 2, "{:?}", d.notes);
        let at_128k = |pts: &[(f64, f64)]| {
            pts.iter()
                .find(|p| p.0 >= 131_072.0)
                .map(|p| p.1)
                .expect("the curve is cut before 128k")
        };
        let (v3, v32) = (at_128k(&curves[0].points), at_128k(&curves[1].points));
        assert!(
            v32 < v3,
            "V3.2 {v32} vs V3 {v3} per 1M output tokens at 128k"
        );
    }

    #[test]
    fn a_dense_pick_under_expert_parallelism_runs_tensor_parallel() {
        let mut s = v3_on_h200();
        s.parallelism = Parallelism::Expert;
        let dense = with_model(&s, &model_preset("llama-3.1-70b").unwrap().spec);
        assert_eq!(dense.parallelism, Parallelism::Tensor);
        let d = compare_context(&s, &["llama-3.1-70b".into()]).unwrap();
        assert_eq!(d.series.iter().filter(|x| x.legend).count(), 2);
    }
}
