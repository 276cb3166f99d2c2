//! Calibration of `Efficiency::REALISTIC` against every public measurement
//! ([`super::measurements::MEASUREMENTS`]: TensorRT-LLM offline throughput and first-token
//! latency; dense and MoE; tensor and expert parallel).
//!
//! The throughput rows are end-to-end offline runs: every request is prefilled and then
//! decoded. So each row is modelled over a whole request: a batch of B requests costs one
//! batched prefill of B·n_in tokens plus n_out decode steps at the mean context
//! n_in + n_out ÷ 2, and throughput per chip = B·n_out ÷ (T_prefill(B·n_in) + n_out·T_step)
//! ÷ N. B is the stated batch, or (where the source states none) the largest that fits.
//! The latency rows are one prefill at batch 1.
//!
//! Assumptions, stated because the sources do not: "LLaMA 70B" of the 2023–24 tables is
//! Llama 2 70B (GQA-8, vocabulary 32,000, parameters derived from the shape); "Mistral 7B"
//! is v0.1; FP8 rows use fp8 weights, KV cache and arithmetic, FP16 rows fp16; DeepSeek-R1
//! has DeepSeek-V3's shape; "KV not quantised" is bf16; gpt-oss-120b's mxfp4 weights run
//! bf16 math on the H100 (no fp4 tensor cores; Hopper's
//! mxfp4 MoE kernels widen the weights to bf16, W4A16).
//!
//! [`fit`] minimises the root-mean-square log error over all rows by coordinate descent
//! over a grid (each fraction in steps of 0.05 within 0.25–0.90, the overhead in 1 ms
//! steps, the token tile 16, 32, 64 or 128 rows); the defaults
//! hold its result (a test keeps them in step), and `docs/calibration.md` ([`markdown_table`],
//! `roofline calibrate`) lists each row's measured, pure-bound and default estimate, dense
//! and MoE rows apart.

use super::measurements::{Measurement, Metric, MEASUREMENTS};
use super::{decode_step, max_batch_at, prefill, shape, StepInputs};
use crate::catalogue::presets::{hardware_preset, model_preset};
use crate::scenario::{Efficiency, ModelSpec, PrecisionSpec, Scenario, ScenarioError, Workload};

/// Preset id standing for Llama 2 70B (built from `llama-3.1-70b` with a 32k vocabulary).
pub const LLAMA2_70B: &str = "llama-2-70b";
/// Id standing for GPT-J 6B (built by [`gpt_j_6b`]).
pub const GPT_J_6B: &str = "gpt-j-6b";

/// GPT-J 6B (EleutherAI config: 28 layers, d 4096, 16 heads × 256, vocabulary 50,400, an
/// ungated 16,384-wide MLP). Its two MLP matrices (2·d·16,384) are written as the
/// equivalent gated width 10,923 (3·d·10,923), so parameters and FLOPs match.
pub fn gpt_j_6b() -> ModelSpec {
    ModelSpec {
        name: "GPT-J 6B".into(),
        layers: 28,
        hidden_size: 4096,
        intermediate_size: 10_923,
        attention_heads: 16,
        kv_heads: 16,
        head_dim: 256,
        vocab_size: 50_400,
        tied_embeddings: false,
        total_params: None,
        active_params: None,
        ..ModelSpec::default()
    }
}

/// The model a measurement names.
pub fn model_for(id: &str) -> Result<ModelSpec, ScenarioError> {
    if id == GPT_J_6B {
        return Ok(gpt_j_6b());
    }
    let preset_id = if id == LLAMA2_70B {
        "llama-3.1-70b"
    } else {
        id
    };
    let mut model = model_preset(preset_id)
        .ok_or_else(|| ScenarioError::new("model", format!("no preset {preset_id}")))?
        .spec
        .clone();
    if id == LLAMA2_70B {
        model.name = "Llama 2 70B (assumed: Llama 3.1 70B shape, vocabulary 32,000)".into();
        model.vocab_size = 32_000;
        model.total_params = None;
        model.active_params = None;
    }
    Ok(model)
}

/// Largest batch per attention data-parallel rank in TensorRT-LLM's published
/// max-throughput recipe for DeepSeek-R1 with attention DP (`--max_batch_size 384`, CUDA
/// graphs up to 384; docs/source/blogs/Best_perf_practice_on_DeepSeek-R1_in_TensorRT-LLM.md):
/// the batch of expert-parallel rows that state none is the largest that fits, at most this
/// many per chip.
pub const DEP_MAX_BATCH_PER_RANK: u64 = 384;

/// The scenario a measurement describes, at efficiency `eff` (its batch resolved).
pub fn scenario_for(m: &Measurement, eff: &Efficiency) -> Result<Scenario, ScenarioError> {
    let hardware = hardware_preset(m.hardware)
        .ok_or_else(|| ScenarioError::new("hardware", format!("no preset {}", m.hardware)))?
        .spec
        .clone();
    let mut s = Scenario {
        model: model_for(m.model)?,
        hardware,
        chips: m.chips,
        parallelism: m.parallelism,
        precision: PrecisionSpec {
            weights: m.weights,
            kv_cache: m.kv_cache,
            compute: m.compute,
        },
        workload: Workload {
            batch_size: m.batch.unwrap_or(1),
            input_tokens: m.input_tokens,
            output_tokens: m.output_tokens,
            context_length: None,
            ..Workload::default()
        },
        efficiency: eff.clone(),
        ..Scenario::default()
    };
    if m.batch.is_none() {
        let sh = shape(&s);
        let kv = super::kv_bytes_per_sequence(&s, s.decode_context());
        let mut b = max_batch_at(&s, &sh, s.chips as f64, kv);
        if m.parallelism == crate::scenario::Parallelism::Expert {
            b = b.min(DEP_MAX_BATCH_PER_RANK * m.chips as u64);
        }
        if b == 0 {
            return Err(ScenarioError::new(
                "workload.batch_size",
                format!("{}: no request fits beside the weights", m.id),
            ));
        }
        s.workload.batch_size = b;
    }
    s.validate()?;
    Ok(s)
}

/// End-to-end output tokens/s per chip: B·n_out ÷ (T_prefill(B·n_in) + n_out·T_step(B, S)) ÷ N.
pub fn request_tokens_per_second_per_chip(s: &Scenario) -> Result<f64, ScenarioError> {
    s.validate()?;
    let peak = s.peak_flops()?;
    let sh = shape(s);
    let b = s.workload.batch_size as f64;
    let n_in = s.workload.input_tokens as f64;
    let n_out = s.workload.output_tokens as f64;
    let step = decode_step(
        s,
        &sh,
        peak,
        StepInputs {
            batch: b,
            context: s.decode_context(),
            chips: s.chips as f64,
        },
    );
    let pre = prefill(s, &sh, peak, b * n_in, b);
    Ok(b * n_out / (pre.seconds + n_out * step.step_seconds) / s.chips as f64)
}

/// Time to first token of one request at batch 1, seconds.
pub fn ttft(s: &Scenario) -> Result<f64, ScenarioError> {
    s.validate()?;
    let peak = s.peak_flops()?;
    let n_in = s.workload.input_tokens as f64;
    Ok(prefill(s, &shape(s), peak, n_in, 1.0).seconds)
}

/// The modelled value of a measurement's metric at `eff` (tokens/s per chip, or seconds).
pub fn estimate(m: &Measurement, eff: &Efficiency) -> Result<f64, ScenarioError> {
    let s = scenario_for(m, eff)?;
    match m.metric {
        Metric::ThroughputPerChip(_) => request_tokens_per_second_per_chip(&s),
        Metric::TtftSeconds(_) => ttft(&s),
    }
}

/// One row of the calibration table.
#[derive(Clone, Debug, PartialEq)]
pub struct CalibrationRow {
    pub measurement: Measurement,
    /// The batch modelled (stated, or the largest that fits).
    pub batch: u64,
    /// Pure roofline bound (`Efficiency::PURE`).
    pub pure: f64,
    /// Estimate at the efficiency under test.
    pub estimate: f64,
}

impl CalibrationRow {
    /// estimate ÷ measured (1 is perfect).
    pub fn ratio(&self) -> f64 {
        self.estimate / self.measurement.metric.value()
    }

    /// measured ÷ pure bound for throughput, pure ÷ measured for latency: the share of the
    /// bound the real server reached (below 1).
    pub fn share_of_bound(&self) -> f64 {
        let v = self.measurement.metric.value();
        if self.measurement.metric.higher_is_better() {
            v / self.pure
        } else {
            self.pure / v
        }
    }
}

/// Every measurement's batch, pure bound and estimate at `eff`.
pub fn rows(eff: &Efficiency) -> Result<Vec<CalibrationRow>, ScenarioError> {
    MEASUREMENTS.iter().map(|m| row(m, eff)).collect()
}

/// One measurement's row at `eff`.
pub fn row(m: &Measurement, eff: &Efficiency) -> Result<CalibrationRow, ScenarioError> {
    Ok(CalibrationRow {
        measurement: *m,
        batch: scenario_for(m, eff)?.workload.batch_size,
        pure: estimate(m, &Efficiency::PURE)?,
        estimate: estimate(m, eff)?,
    })
}

/// Root-mean-square of ln(estimate ÷ measured) over the rows (0 is perfect).
pub fn rms_log_error(rows: &[CalibrationRow]) -> f64 {
    if rows.is_empty() {
        return 0.0;
    }
    (rows.iter().map(|r| r.ratio().ln().powi(2)).sum::<f64>() / rows.len() as f64).sqrt()
}

/// Median of |ln(estimate ÷ measured)| over the rows (0 is perfect).
pub fn median_abs_log_error(rows: &[CalibrationRow]) -> f64 {
    median_abs_ln(rows.iter().map(CalibrationRow::ratio))
}

/// Median of |ln r| over the ratios `r` (0 for none).
pub fn median_abs_ln(ratios: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = ratios.map(|r| r.ln().abs()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Geometric mean of estimate ÷ measured (1 is unbiased).
pub fn geometric_mean_ratio(rows: &[CalibrationRow]) -> f64 {
    if rows.is_empty() {
        return 1.0;
    }
    (rows.iter().map(|r| r.ratio().ln()).sum::<f64>() / rows.len() as f64).exp()
}

/// The fit's objective at `eff`: the root of the mean, over the two groups (dense rows and
/// MoE rows), of each group's mean squared ln(estimate ÷ measured), so that the 8 MoE rows
/// weigh as much as the 21 dense ones.
pub fn objective(eff: &Efficiency) -> Result<f64, ScenarioError> {
    let (mut sums, mut counts) = ([0.0f64; 2], [0usize; 2]);
    for m in MEASUREMENTS {
        let g = usize::from(m.is_moe());
        sums[g] += (estimate(m, eff)? / m.metric.value()).ln().powi(2);
        counts[g] += 1;
    }
    let mean = |g: usize| sums[g] / counts[g].max(1) as f64;
    Ok(((mean(0) + mean(1)) / 2.0).sqrt())
}

/// The fitted numbers of [`Efficiency`], with their grids: (name, first, step, count).
const GRID: [(&str, f64, f64, u32); 8] = [
    ("compute", 0.25, 0.05, 14),
    ("bandwidth", 0.40, 0.05, 11),
    ("step_overhead_seconds", 0.0, 1e-3, 11),
    ("prefill_compute", 0.25, 0.05, 14),
    ("attention_compute", 0.25, 0.05, 14),
    ("expert_compute", 0.25, 0.05, 14),
    ("token_tile (log2)", 4.0, 1.0, 4),
    ("request_overhead_seconds", 0.0, 10e-6, 21),
];

/// Sets fitted number `i` of `eff` to `v`.
fn set(eff: &mut Efficiency, i: usize, v: f64) {
    match i {
        0 => eff.compute = v,
        1 => eff.bandwidth = v,
        2 => eff.step_overhead_seconds = v,
        3 => eff.prefill_compute = Some(v),
        4 => eff.attention_compute = Some(v),
        5 => eff.expert_compute = Some(v),
        6 => eff.token_tile = 1u32 << (v as u32),
        _ => eff.request_overhead_seconds = v,
    }
}

/// Coordinate descent from `Efficiency::REALISTIC` over [`GRID`]: each number in turn takes
/// the grid value with the smallest [`objective`], until a full round changes nothing.
/// The mechanisms' switches, the all-to-all efficiency and the latencies are not fitted.
pub fn fit() -> Result<(Efficiency, f64), ScenarioError> {
    fit_from(Efficiency::REALISTIC)
}

/// Coordinate descent over [`GRID`] from `start` (see [`fit`]).
pub fn fit_from(start: Efficiency) -> Result<(Efficiency, f64), ScenarioError> {
    let mut eff = start;
    let mut best = objective(&eff)?;
    for _round in 0..12 {
        let mut changed = false;
        for (i, &(_, first, step, count)) in GRID.iter().enumerate() {
            for j in 0..count {
                let mut e = eff.clone();
                set(&mut e, i, first + step * j as f64);
                let err = objective(&e)?;
                if err < best - 1e-12 {
                    best = err;
                    eff = e;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    Ok((eff, best))
}

/// Formats a measured or estimated value of `metric`'s kind.
fn value_text(metric: Metric, v: f64) -> String {
    match metric {
        Metric::ThroughputPerChip(_) => format!("{v:.0}"),
        Metric::TtftSeconds(_) => format!("{:.1} ms", v * 1e3),
    }
}

/// Appends the table of `rows` and its summary line to `out`.
fn table(out: &mut String, rows: &[&CalibrationRow], before: &[CalibrationRow]) {
    out.push_str("| Row | Model | GPUs | Parallel | W/KV/math | Batch | ISL/OSL | Measured | Pure bound | Before | Estimate | Estimate ÷ measured |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for r in rows {
        let m = &r.measurement;
        let old = before
            .iter()
            .find(|b| b.measurement.id == m.id)
            .map_or("—".to_string(), |b| format!("{:.2}", b.ratio()));
        out.push_str(&format!(
            "| {} | {} | {} × {} | {} | {}/{}/{} | {}{} | {}/{} | {} | {} | {} | {} | {:.2} |\n",
            m.id,
            m.label,
            m.chips,
            m.hardware,
            m.parallelism.name(),
            m.weights,
            m.kv_cache,
            m.compute,
            r.batch,
            if m.batch.is_none() { " (fits)" } else { "" },
            m.input_tokens,
            m.output_tokens,
            value_text(m.metric, m.metric.value()),
            value_text(m.metric, r.pure),
            old,
            value_text(m.metric, r.estimate),
            r.ratio()
        ));
    }
    let owned: Vec<CalibrationRow> = rows.iter().map(|r| (*r).clone()).collect();
    let worst = owned
        .iter()
        .map(|r| r.ratio())
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    out.push_str(&format!(
        "\n{} rows: median |ln(estimate ÷ measured)| {:.3}, RMS {:.3}, geometric-mean ratio \
         {:.2}, range {:.2}–{:.2}.\n\n",
        owned.len(),
        median_abs_log_error(&owned),
        rms_log_error(&owned),
        geometric_mean_ratio(&owned),
        worst.0,
        worst.1
    ));
}

/// The calibration table in Markdown, at `Efficiency::REALISTIC` (docs/calibration.md),
/// with the ratio at the first calibration (`Efficiency::LEGACY`) as "Before".
pub fn markdown_table() -> Result<String, ScenarioError> {
    let eff = Efficiency::REALISTIC;
    let rows = rows(&eff)?;
    let before = self::rows(&Efficiency::LEGACY)?;
    let mut out = String::new();
    out.push_str("# Calibration of the realistic defaults\n\n");
    out.push_str(
        "Generated by `roofline calibrate` (and checked by `cargo test`); do not edit by hand.\n\n",
    );
    out.push_str(&format!(
        "Defaults (`Efficiency::REALISTIC`), fitted: decode GEMMs {:.2} of peak FLOP/s, bandwidth \
         {:.2}, step overhead {:.1} ms plus {:.0} µs per request, prefill {:.2}, attention {:.2}, \
         expert GEMMs {:.2}, token rows padded to {}-row tiles. Not fitted: all-to-all {:.2} of \
         link bandwidth, collective latency {:.0} µs inside a scale-up domain and {:.0} µs \
         across, no two-batch overlap, expert load from random top-k routing, narrow weights \
         widened on the vector units.\n\n",
        eff.compute,
        eff.bandwidth,
        eff.step_overhead_seconds * 1e3,
        eff.request_overhead_seconds * 1e6,
        eff.prefill(),
        eff.attention_compute.unwrap_or(eff.compute),
        eff.expert_compute.unwrap_or(eff.compute),
        eff.token_tile,
        eff.all_to_all.unwrap_or(1.0),
        eff.collective_latency_seconds * 1e6,
        eff.scale_out_latency_seconds * 1e6,
    ));
    out.push_str(
        "Rows: every public measurement in `data/measurements.md` and `data/measurements-2.md` \
         (TensorRT-LLM offline throughput, output tokens/s per GPU, and first-token latency at \
         batch 1). Throughput rows are modelled end to end: a batch of B requests costs one \
         batched prefill of B·n_in tokens plus n_out decode steps at the mean context \
         n_in + n_out/2; B is the stated batch or, marked \"(fits)\", the largest whose KV \
         fits beside the weights. \"Before\" is the estimate ÷ measured of the first \
         calibration (four numbers, none of the MoE mechanisms).\n\n",
    );
    let dense: Vec<&CalibrationRow> = rows.iter().filter(|r| !r.measurement.is_moe()).collect();
    let moe: Vec<&CalibrationRow> = rows.iter().filter(|r| r.measurement.is_moe()).collect();
    out.push_str("## Dense models\n\n");
    table(&mut out, &dense, &before);
    out.push_str("## Mixture-of-experts models\n\n");
    table(&mut out, &moe, &before);
    out.push_str(&format!(
        "All {} rows: fit objective (RMS log error, dense and MoE weighted equally) {:.3} (before: {:.3}).\n",
        rows.len(),
        objective(&eff)?,
        objective(&Efficiency::LEGACY)?
    ));
    out.push_str(
        "\nMethod: `model::calibration::fit` runs coordinate descent over a grid (steps of \
         0.05; overhead 1 ms) for the smallest RMS log error over every row, dense and MoE \
         together; the defaults are its result. Caveats: one software stack (TensorRT-LLM) on \
         NVIDIA parts only; the batch of rows that state none is inferred from memory; the \
         model ignores scheduling gaps between prefill and decode.\n",
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pure_bound_is_beyond_every_measurement() {
        for r in rows(&Efficiency::PURE).unwrap() {
            assert!(
                r.share_of_bound() < 1.0,
                "row {}: measured beyond the pure bound ({:.2})",
                r.measurement.id,
                r.share_of_bound()
            );
        }
    }

    #[test]
    fn request_model_counts_prefill() {
        let m = MEASUREMENTS.iter().find(|m| m.id == "14").unwrap();
        let s = scenario_for(m, &Efficiency::PURE).unwrap();
        let whole = request_tokens_per_second_per_chip(&s).unwrap();
        let decode_only = crate::model::evaluate(&s).unwrap().decode.tokens_per_second;
        assert!(whole < decode_only);
    }

    #[test]
    fn unstated_batches_fill_the_memory() {
        let find = |id: &str| MEASUREMENTS.iter().find(|m| m.id == id).unwrap();
        let m = find("TRT015-L31-8B-H100-TP1-20k2k");
        let s = scenario_for(m, &Efficiency::REALISTIC).unwrap();
        let e = crate::model::evaluate(&s).unwrap();
        assert!(e.capacity.fits);
        assert_eq!(e.capacity.max_batch_size, s.workload.batch_size);
        // Expert parallel with attention DP: at most the recipe's batch per rank.
        let m = find("TRTNEW-DSR1-H200-DEP8-1k1k");
        let s = scenario_for(m, &Efficiency::REALISTIC).unwrap();
        let e = crate::model::evaluate(&s).unwrap();
        assert!(e.capacity.fits);
        assert_eq!(s.workload.batch_size, 8 * DEP_MAX_BATCH_PER_RANK);
        assert!(e.capacity.max_batch_size > s.workload.batch_size);
    }
}
