//! Calibration of `Efficiency::REALISTIC` against the published rows of
//! `data/measurements.md` (TensorRT-LLM v0.9.0 / v0.5.0 offline throughput, output tokens/s
//! per GPU, in-flight batching at the stated batch).
//!
//! Those rows are end-to-end offline runs: every request is prefilled and then decoded. So
//! each row is modelled over a whole request: a batch of B requests costs one batched
//! prefill of B·n_in tokens plus n_out decode steps at the mean context n_in + n_out ÷ 2,
//! and throughput per GPU = B·n_out ÷ (T_prefill(B·n_in) + n_out·T_step) ÷ N.
//!
//! Assumptions, stated because the source does not: "LLaMA 70B" is Llama 2 70B (GQA-8,
//! vocabulary 32,000, parameters derived from the shape); "Mistral 7B" is v0.1; FP8 rows use
//! fp8 weights, KV cache and arithmetic; FP16 rows fp16 throughout.
//!
//! [`fit`] searches a grid of efficiencies for the smallest root-mean-square log error over
//! the rows; `Efficiency::REALISTIC` holds the fitted values (a test keeps them in step), and
//! `docs/calibration.md` (written by [`markdown_table`], `roofline calibrate`) lists each
//! row's measured, pure-bound and default estimate.

use super::presets::{hardware_preset, model_preset};
use super::{decode_step, prefill, shape, StepInputs};
use crate::scenario::{
    Efficiency, ModelSpec, Precision, PrecisionSpec, Scenario, ScenarioError, Workload,
};

/// One published measurement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measurement {
    /// Row number in data/measurements.md.
    pub row: u32,
    /// Model as the source names it.
    pub label: &'static str,
    /// Model preset id (Llama 2 70B is built from `llama-3.1-70b` with a 32k vocabulary).
    pub model: &'static str,
    /// Hardware preset id.
    pub hardware: &'static str,
    pub chips: u32,
    /// Weights, KV cache and arithmetic precision.
    pub precision: Precision,
    pub batch: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Published output tokens/s per GPU.
    pub measured_tokens_per_second_per_chip: f64,
}

/// A table row in source order; private shorthand for the table below.
#[allow(clippy::too_many_arguments)]
const fn row(
    row: u32,
    label: &'static str,
    model: &'static str,
    hardware: &'static str,
    chips: u32,
    precision: Precision,
    batch: u64,
    io: (u64, u64),
    measured: f64,
) -> Measurement {
    Measurement {
        row,
        label,
        model,
        hardware,
        chips,
        precision,
        batch,
        input_tokens: io.0,
        output_tokens: io.1,
        measured_tokens_per_second_per_chip: measured,
    }
}

const LLAMA2_70B: &str = "llama-2-70b";
use Precision::{Fp16, Fp8};

/// Every public row of data/measurements.md with a stated batch (rows 13–26).
pub const MEASUREMENTS: &[Measurement] = &[
    row(
        13,
        "Mistral 7B",
        "mistral-7b",
        "h100-sxm",
        1,
        Fp8,
        120,
        (128, 2048),
        8623.0,
    ),
    row(
        14,
        "Mistral 7B",
        "mistral-7b",
        "h100-sxm",
        1,
        Fp8,
        56,
        (2048, 2048),
        3731.0,
    ),
    row(
        15,
        "Mistral 7B",
        "mistral-7b",
        "h200-sxm",
        1,
        Fp8,
        120,
        (128, 2048),
        8950.0,
    ),
    row(
        16,
        "Mistral 7B",
        "mistral-7b",
        "a100-sxm-80gb",
        1,
        Fp16,
        120,
        (128, 2048),
        3776.0,
    ),
    row(
        17,
        "Mistral 7B",
        "mistral-7b",
        "l40s",
        1,
        Fp8,
        120,
        (128, 2048),
        4387.0,
    ),
    row(
        18,
        "Mixtral 8x7B",
        "mixtral-8x7b",
        "h100-sxm",
        2,
        Fp8,
        128,
        (128, 2048),
        3408.0,
    ),
    row(
        19,
        "Mixtral 8x7B",
        "mixtral-8x7b",
        "h200-sxm",
        2,
        Fp8,
        256,
        (128, 2048),
        4973.0,
    ),
    row(
        20,
        "Mixtral 8x7B",
        "mixtral-8x7b",
        "a100-sxm-80gb",
        2,
        Fp16,
        128,
        (128, 2048),
        1724.0,
    ),
    row(
        21,
        "LLaMA 70B",
        LLAMA2_70B,
        "h100-sxm",
        4,
        Fp8,
        512,
        (128, 2048),
        2725.0,
    ),
    row(
        22,
        "LLaMA 70B",
        LLAMA2_70B,
        "h200-sxm",
        2,
        Fp8,
        512,
        (128, 2048),
        3963.0,
    ),
    row(
        23,
        "LLaMA 70B",
        LLAMA2_70B,
        "h200-sxm",
        1,
        Fp8,
        64,
        (2048, 2048),
        1458.0,
    ),
    row(
        24,
        "LLaMA 70B",
        LLAMA2_70B,
        "a100-sxm-80gb",
        8,
        Fp16,
        512,
        (128, 2048),
        684.0,
    ),
    row(
        25,
        "LLaMA 70B",
        LLAMA2_70B,
        "l40s",
        4,
        Fp8,
        256,
        (128, 2048),
        478.0,
    ),
    row(
        26,
        "LLaMA 70B (v0.5)",
        LLAMA2_70B,
        "h200-sxm",
        1,
        Fp8,
        512,
        (128, 128),
        3014.0,
    ),
];

/// A published time to first token at batch 1 (data/measurements.md, same v0.9.0 file):
/// GPT-J 6B on one H200, FP8.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TtftMeasurement {
    pub input_tokens: u64,
    /// Published time to first token, seconds.
    pub measured_seconds: f64,
}

/// H200 FP8 GPT-J 6B first-token latency at batch 1: 5.0 ms at 128 input, 23.5 ms at 2048.
pub const TTFT_MEASUREMENTS: &[TtftMeasurement] = &[
    TtftMeasurement {
        input_tokens: 128,
        measured_seconds: 5.0e-3,
    },
    TtftMeasurement {
        input_tokens: 2048,
        measured_seconds: 23.5e-3,
    },
];

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

/// The TTFT scenario (GPT-J 6B, one H200, fp8, batch 1) at efficiency `eff`.
pub fn ttft_scenario(t: &TtftMeasurement, eff: &Efficiency) -> Result<Scenario, ScenarioError> {
    let hardware = hardware_preset("h200-sxm")
        .ok_or_else(|| ScenarioError::new("hardware", "no preset h200-sxm"))?
        .spec
        .clone();
    let s = Scenario {
        model: gpt_j_6b(),
        hardware,
        chips: 1,
        precision: PrecisionSpec {
            weights: Precision::Fp8,
            kv_cache: Precision::Fp8,
            compute: Precision::Fp8,
        },
        workload: Workload {
            batch_size: 1,
            input_tokens: t.input_tokens,
            output_tokens: 1,
            context_length: None,
        },
        efficiency: eff.clone(),
        ..Scenario::default()
    };
    s.validate()?;
    Ok(s)
}

/// Modelled time to first token of a TTFT measurement at `eff`, seconds.
pub fn ttft_seconds(t: &TtftMeasurement, eff: &Efficiency) -> Result<f64, ScenarioError> {
    let s = ttft_scenario(t, eff)?;
    let peak = s.peak_flops()?;
    Ok(prefill(&s, &shape(&s), peak, t.input_tokens as f64, 1.0).seconds)
}

/// The scenario a measurement describes, at efficiency `eff`.
pub fn scenario_for(m: &Measurement, eff: &Efficiency) -> Result<Scenario, ScenarioError> {
    let preset_id = if m.model == LLAMA2_70B {
        "llama-3.1-70b"
    } else {
        m.model
    };
    let mut model = model_preset(preset_id)
        .ok_or_else(|| ScenarioError::new("model", format!("no preset {preset_id}")))?
        .spec
        .clone();
    if m.model == LLAMA2_70B {
        model.name = "Llama 2 70B (assumed: Llama 3.1 70B shape, vocabulary 32,000)".into();
        model.vocab_size = 32_000;
        model.total_params = None;
        model.active_params = None;
    }
    let hardware = hardware_preset(m.hardware)
        .ok_or_else(|| ScenarioError::new("hardware", format!("no preset {}", m.hardware)))?
        .spec
        .clone();
    let s = Scenario {
        model,
        hardware,
        chips: m.chips,
        precision: PrecisionSpec {
            weights: m.precision,
            kv_cache: m.precision,
            compute: m.precision,
        },
        workload: Workload {
            batch_size: m.batch,
            input_tokens: m.input_tokens,
            output_tokens: m.output_tokens,
            context_length: None,
        },
        efficiency: eff.clone(),
        ..Scenario::default()
    };
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

/// One row of the calibration table, tokens/s per chip.
#[derive(Clone, Debug, PartialEq)]
pub struct CalibrationRow {
    pub measurement: Measurement,
    /// Pure roofline bound (`Efficiency::PURE`).
    pub pure: f64,
    /// Estimate at the efficiency under test.
    pub estimate: f64,
}

impl CalibrationRow {
    /// measured ÷ pure bound: the share of the bound the real server reached.
    pub fn share_of_bound(&self) -> f64 {
        self.measurement.measured_tokens_per_second_per_chip / self.pure
    }

    /// estimate ÷ measured (1 is perfect).
    pub fn ratio(&self) -> f64 {
        self.estimate / self.measurement.measured_tokens_per_second_per_chip
    }
}

/// Every measurement's pure bound and estimate at `eff`.
pub fn rows(eff: &Efficiency) -> Result<Vec<CalibrationRow>, ScenarioError> {
    MEASUREMENTS
        .iter()
        .map(|m| {
            Ok(CalibrationRow {
                measurement: *m,
                pure: request_tokens_per_second_per_chip(&scenario_for(m, &Efficiency::PURE)?)?,
                estimate: request_tokens_per_second_per_chip(&scenario_for(m, eff)?)?,
            })
        })
        .collect()
}

/// Root-mean-square of ln(estimate ÷ measured) over the rows (0 is perfect).
pub fn rms_log_error(rows: &[CalibrationRow]) -> f64 {
    if rows.is_empty() {
        return 0.0;
    }
    (rows.iter().map(|r| r.ratio().ln().powi(2)).sum::<f64>() / rows.len() as f64).sqrt()
}

/// Geometric mean of estimate ÷ measured (1 is unbiased).
pub fn geometric_mean_ratio(rows: &[CalibrationRow]) -> f64 {
    if rows.is_empty() {
        return 1.0;
    }
    (rows.iter().map(|r| r.ratio().ln()).sum::<f64>() / rows.len() as f64).exp()
}

/// RMS of ln(estimate ÷ measured) over the throughput rows and the TTFT rows together.
pub fn objective(eff: &Efficiency) -> Result<f64, ScenarioError> {
    let mut logs: Vec<f64> = rows(eff)?.iter().map(|r| r.ratio().ln()).collect();
    for t in TTFT_MEASUREMENTS {
        logs.push((ttft_seconds(t, eff)? / t.measured_seconds).ln());
    }
    Ok((logs.iter().map(|l| l * l).sum::<f64>() / logs.len() as f64).sqrt())
}

/// Grid search: compute 0.3–0.9 and bandwidth 0.4–0.9 (steps of 0.05), overhead 0–10 ms
/// (1 ms), collective latency 10 µs (no row can tell it apart); the efficiency with the
/// smallest [`objective`].
pub fn fit() -> Result<(Efficiency, f64), ScenarioError> {
    let mut best: Option<(Efficiency, f64)> = None;
    for c in 6..=18 {
        for bw in 8..=18 {
            for ms in 0..=10 {
                let eff = Efficiency {
                    compute: c as f64 * 0.05,
                    bandwidth: bw as f64 * 0.05,
                    step_overhead_seconds: ms as f64 * 1e-3,
                    collective_latency_seconds: 10e-6,
                };
                let err = objective(&eff)?;
                if best.as_ref().is_none_or(|(_, e)| err < *e) {
                    best = Some((eff, err));
                }
            }
        }
    }
    best.ok_or_else(|| ScenarioError::new("efficiency", "empty calibration grid"))
}

/// The calibration table in Markdown, at `Efficiency::REALISTIC` (docs/calibration.md).
pub fn markdown_table() -> Result<String, ScenarioError> {
    let eff = Efficiency::REALISTIC;
    let rows = rows(&eff)?;
    let mut out = String::new();
    out.push_str("# Calibration of the realistic defaults\n\n");
    out.push_str(
        "Generated by `roofline calibrate` (and checked by `cargo test`); do not edit by hand.\n\n",
    );
    out.push_str(&format!(
        "Defaults (`Efficiency::REALISTIC`): compute {:.2}, bandwidth {:.2}, step overhead {:.1} ms, \
         collective latency {:.0} µs.\n\n",
        eff.compute,
        eff.bandwidth,
        eff.step_overhead_seconds * 1e3,
        eff.collective_latency_seconds * 1e6
    ));
    out.push_str(
        "Rows: every public measurement with a stated batch in `data/measurements.md` \
         (TensorRT-LLM v0.9.0 perf overview; row 26 v0.5.0), output tokens/s per GPU, offline, \
         in-flight batching. Each is modelled end to end: a batch of B requests costs one \
         batched prefill of B·n_in tokens plus n_out decode steps at the mean context \
         n_in + n_out/2. Assumed: \"LLaMA 70B\" is Llama 2 70B (Llama 3.1 70B shape, \
         vocabulary 32,000); \"Mistral 7B\" is v0.1 (4,096-token window); FP8 rows use fp8 \
         weights, KV cache and arithmetic.\n\n",
    );
    out.push_str("| # | Model | GPUs | Prec. | Batch | ISL/OSL | Measured | Pure bound | Measured ÷ bound | Default estimate | Estimate ÷ measured |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for r in &rows {
        let m = &r.measurement;
        out.push_str(&format!(
            "| {} | {} | {} × {} | {} | {} | {}/{} | {:.0} | {:.0} | {:.2} | {:.0} | {:.2} |\n",
            m.row,
            m.label,
            m.chips,
            m.hardware,
            m.precision,
            m.batch,
            m.input_tokens,
            m.output_tokens,
            m.measured_tokens_per_second_per_chip,
            r.pure,
            r.share_of_bound(),
            r.estimate,
            r.ratio()
        ));
    }
    let worst = rows
        .iter()
        .map(|r| r.ratio())
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    out.push_str(&format!(
        "\nHow close: geometric-mean estimate ÷ measured {:.2}; RMS log error {:.2} \
         (a typical row within ×{:.2}); range {:.2}–{:.2}. The pure bound sits {:.1}× above \
         the measurements on average.\n",
        geometric_mean_ratio(&rows),
        rms_log_error(&rows),
        rms_log_error(&rows).exp(),
        worst.0,
        worst.1,
        1.0 / (rows.iter().map(|r| r.share_of_bound().ln()).sum::<f64>() / rows.len() as f64).exp()
    ));
    out.push_str(
        "\nFirst-token latency at batch 1 (GPT-J 6B, 1 × H200, FP8; the same file), also in \
         the fit:\n\n| Input tokens | Measured ms | Pure bound ms | Default estimate ms | \
         Estimate ÷ measured |\n|---|---|---|---|---|\n",
    );
    for t in TTFT_MEASUREMENTS {
        let est = ttft_seconds(t, &eff)?;
        let pure = ttft_seconds(t, &Efficiency::PURE)?;
        out.push_str(&format!(
            "| {} | {:.1} | {:.1} | {:.1} | {:.2} |\n",
            t.input_tokens,
            t.measured_seconds * 1e3,
            pure * 1e3,
            est * 1e3,
            est / t.measured_seconds
        ));
    }
    out.push_str(&format!(
        "\nFit objective (RMS log error over all 16 rows) at the defaults: {:.3}.\n",
        objective(&eff)?
    ));
    out.push_str(
        "\nMethod: `model::calibration::fit` searches compute 0.30–0.90 and bandwidth 0.40–0.90 \
         (steps of 0.05) and step overhead 0–10 ms (1 ms steps) for the smallest RMS log error; \
         the defaults are its result. Caveats: one software stack (TensorRT-LLM 2024) on NVIDIA \
         parts only; no multi-node, MoE expert-parallel or long-context rows; the model \
         ignores scheduling gaps between prefill and decode, so it cannot capture everything.\n",
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pure_bound_is_above_every_measurement() {
        for r in rows(&Efficiency::PURE).unwrap() {
            assert!(
                r.share_of_bound() < 1.0,
                "row {}: measured above the pure bound ({:.2})",
                r.measurement.row,
                r.share_of_bound()
            );
        }
    }

    #[test]
    fn request_model_counts_prefill() {
        let m = &MEASUREMENTS[1]; // 2048 in: prefill matters
        let s = scenario_for(m, &Efficiency::PURE).unwrap();
        let whole = request_tokens_per_second_per_chip(&s).unwrap();
        let decode_only = crate::model::evaluate(&s).unwrap().decode.tokens_per_second;
        assert!(whole < decode_only);
    }
}
