//! The table of number fields: label, unit, scale and limits of every scenario number.
//!
//! Values are typed in the units people use (GB, TB/s, TFLOP/s, ms) and kept in SI inside:
//! the shown value is SI ÷ `scale`.

use crate::scenario::{Attention, Moe, Precision, Scenario};

/// One number field bound to one scenario field.
pub struct FieldDef {
    /// The scenario field's dotted key (also its link key's target).
    pub key: &'static str,
    /// The visible label, in plain words.
    pub label: &'static str,
    /// The unit the user types in.
    pub unit: &'static str,
    /// SI units per typed unit (GB → 1e9).
    pub scale: f64,
    /// Whole numbers only.
    pub integer: bool,
    /// Smallest accepted typed value.
    pub min: f64,
    /// Whether `min` itself is accepted.
    pub min_inclusive: bool,
    /// Largest accepted typed value.
    pub max: f64,
    /// Empty means "none / automatic" (the placeholder says what that means).
    pub optional: Option<&'static str>,
    /// Reads the SI value.
    pub get: fn(&Scenario) -> Option<f64>,
    /// Writes the SI value.
    pub set: fn(&mut Scenario, Option<f64>),
    /// Shown only when this holds.
    pub visible: fn(&Scenario) -> bool,
}

fn always(_: &Scenario) -> bool {
    true
}
fn is_mla(s: &Scenario) -> bool {
    s.model.attention == Attention::Mla
}
fn is_moe(s: &Scenario) -> bool {
    s.model.moe.is_some()
}
fn moe_mut(s: &mut Scenario) -> &mut Moe {
    s.model.moe.get_or_insert(Moe {
        experts: 8,
        experts_per_token: 2,
        shared_experts: 0,
        expert_intermediate_size: 14336,
        dense_layers: 0,
    })
}

const fn int(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    min: f64,
    max: f64,
    get: fn(&Scenario) -> Option<f64>,
    set: fn(&mut Scenario, Option<f64>),
) -> FieldDef {
    FieldDef {
        key,
        label,
        unit,
        scale: 1.0,
        integer: true,
        min,
        min_inclusive: true,
        max,
        optional: None,
        get,
        set,
        visible: always,
    }
}

const fn real(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    scale: f64,
    max: f64,
    get: fn(&Scenario) -> Option<f64>,
    set: fn(&mut Scenario, Option<f64>),
) -> FieldDef {
    FieldDef {
        key,
        label,
        unit,
        scale,
        integer: false,
        min: 0.0,
        min_inclusive: false,
        max,
        optional: None,
        get,
        set,
        visible: always,
    }
}

const fn opt(mut f: FieldDef, placeholder: &'static str) -> FieldDef {
    f.optional = Some(placeholder);
    f
}

const fn when(mut f: FieldDef, visible: fn(&Scenario) -> bool) -> FieldDef {
    f.visible = visible;
    f
}

const fn zero_ok(mut f: FieldDef) -> FieldDef {
    f.min_inclusive = true;
    f
}

fn n(v: f64) -> Option<f64> {
    Some(v)
}
fn u(v: Option<f64>) -> u64 {
    v.unwrap_or(0.0) as u64
}

/// The model's shape.
pub static MODEL_FIELDS: &[FieldDef] = &[
    int(
        "model.layers",
        "Layers",
        "layers",
        1.0,
        100_000.0,
        |s| n(s.model.layers as f64),
        |s, v| s.model.layers = u(v) as u32,
    ),
    int(
        "model.hidden_size",
        "Hidden size",
        "d",
        1.0,
        1e7,
        |s| n(s.model.hidden_size as f64),
        |s, v| s.model.hidden_size = u(v),
    ),
    int(
        "model.intermediate_size",
        "FFN width (dense layers)",
        "d_ff",
        1.0,
        1e8,
        |s| n(s.model.intermediate_size as f64),
        |s, v| s.model.intermediate_size = u(v),
    ),
    int(
        "model.attention_heads",
        "Query heads",
        "heads",
        1.0,
        100_000.0,
        |s| n(s.model.attention_heads as f64),
        |s, v| s.model.attention_heads = u(v) as u32,
    ),
    int(
        "model.kv_heads",
        "KV heads",
        "heads",
        1.0,
        100_000.0,
        |s| n(s.model.kv_heads as f64),
        |s, v| s.model.kv_heads = u(v) as u32,
    ),
    int(
        "model.head_dim",
        "Head dimension",
        "d_h",
        1.0,
        100_000.0,
        |s| n(s.model.head_dim as f64),
        |s, v| s.model.head_dim = u(v),
    ),
    int(
        "model.vocab_size",
        "Vocabulary",
        "tokens",
        1.0,
        1e8,
        |s| n(s.model.vocab_size as f64),
        |s, v| s.model.vocab_size = u(v),
    ),
    when(
        int(
            "model.kv_lora_rank",
            "MLA latent rank",
            "r",
            1.0,
            1e6,
            |s| s.model.kv_lora_rank.map(|v| v as f64),
            |s, v| s.model.kv_lora_rank = v.map(|v| v as u64),
        ),
        is_mla,
    ),
    when(
        int(
            "model.qk_rope_head_dim",
            "MLA rope dimension",
            "d_r",
            1.0,
            1e6,
            |s| s.model.qk_rope_head_dim.map(|v| v as f64),
            |s, v| s.model.qk_rope_head_dim = v.map(|v| v as u64),
        ),
        is_mla,
    ),
    opt(
        int(
            "model.sliding_window",
            "Sliding window",
            "tokens",
            1.0,
            4e9,
            |s| s.model.sliding_window.map(|v| v as f64),
            |s, v| s.model.sliding_window = v.map(|v| v as u64),
        ),
        "none",
    ),
    zero_ok(int(
        "model.sliding_window_layers",
        "Layers with the window",
        "layers",
        0.0,
        100_000.0,
        |s| n(s.model.sliding_window_layers as f64),
        |s, v| s.model.sliding_window_layers = u(v) as u32,
    )),
    when(
        int(
            "model.moe.experts",
            "Routed experts",
            "E",
            1.0,
            1e6,
            |s| s.model.moe.as_ref().map(|m| m.experts as f64),
            |s, v| moe_mut(s).experts = u(v) as u32,
        ),
        is_moe,
    ),
    when(
        int(
            "model.moe.experts_per_token",
            "Experts per token",
            "k",
            1.0,
            1e6,
            |s| s.model.moe.as_ref().map(|m| m.experts_per_token as f64),
            |s, v| moe_mut(s).experts_per_token = u(v) as u32,
        ),
        is_moe,
    ),
    when(
        int(
            "model.moe.shared_experts",
            "Shared experts",
            "E_s",
            0.0,
            1e6,
            |s| s.model.moe.as_ref().map(|m| m.shared_experts as f64),
            |s, v| moe_mut(s).shared_experts = u(v) as u32,
        ),
        is_moe,
    ),
    when(
        int(
            "model.moe.expert_intermediate_size",
            "Expert FFN width",
            "d_e",
            1.0,
            1e8,
            |s| {
                s.model
                    .moe
                    .as_ref()
                    .map(|m| m.expert_intermediate_size as f64)
            },
            |s, v| moe_mut(s).expert_intermediate_size = u(v),
        ),
        is_moe,
    ),
    when(
        int(
            "model.moe.dense_layers",
            "Leading dense layers",
            "layers",
            0.0,
            1e5,
            |s| s.model.moe.as_ref().map(|m| m.dense_layers as f64),
            |s, v| moe_mut(s).dense_layers = u(v) as u32,
        ),
        is_moe,
    ),
    opt(
        real(
            "model.total_params",
            "Total parameters",
            "billion",
            1e9,
            1e6,
            |s| s.model.total_params,
            |s, v| s.model.total_params = v,
        ),
        "derived from the shape",
    ),
    opt(
        real(
            "model.active_params",
            "Active parameters",
            "billion",
            1e9,
            1e6,
            |s| s.model.active_params,
            |s, v| s.model.active_params = v,
        ),
        "derived from the shape",
    ),
];

macro_rules! flops_field {
    ($p:expr, $key:literal, $label:literal) => {
        opt(
            real(
                $key,
                $label,
                "TFLOP/s",
                1e12,
                1e8,
                |s| s.hardware.peak_flops.get(&$p).copied(),
                |s, v| match v {
                    Some(v) => {
                        s.hardware.peak_flops.insert($p, v);
                    }
                    None => {
                        s.hardware.peak_flops.remove(&$p);
                    }
                },
            ),
            "not supported",
        )
    };
}

/// One chip and how many.
pub static HARDWARE_FIELDS: &[FieldDef] = &[
    int(
        "chips",
        "Chips",
        "chips",
        1.0,
        1e6,
        |s| n(s.chips as f64),
        |s, v| s.chips = u(v) as u32,
    ),
    real(
        "hardware.memory_bandwidth",
        "Memory bandwidth",
        "TB/s",
        1e12,
        1e4,
        |s| n(s.hardware.memory_bandwidth),
        |s, v| s.hardware.memory_bandwidth = v.unwrap_or(0.0),
    ),
    real(
        "hardware.memory_capacity",
        "Memory per chip",
        "GB",
        1e9,
        1e6,
        |s| n(s.hardware.memory_capacity),
        |s, v| s.hardware.memory_capacity = v.unwrap_or(0.0),
    ),
    real(
        "hardware.interconnect_bandwidth",
        "Link bandwidth per chip (one way)",
        "GB/s",
        1e9,
        1e7,
        |s| n(s.hardware.interconnect_bandwidth),
        |s, v| s.hardware.interconnect_bandwidth = v.unwrap_or(0.0),
    ),
    zero_ok(real(
        "hardware.price_per_hour",
        "Price per chip-hour",
        "USD",
        1.0,
        1e6,
        |s| n(s.hardware.price_per_hour),
        |s, v| s.hardware.price_per_hour = v.unwrap_or(0.0),
    )),
    zero_ok(real(
        "hardware.power",
        "Power per chip",
        "W",
        1.0,
        1e7,
        |s| n(s.hardware.power),
        |s, v| s.hardware.power = v.unwrap_or(0.0),
    )),
    flops_field!(Precision::Fp32, "hardware.peak_flops.fp32", "Peak fp32"),
    flops_field!(Precision::Bf16, "hardware.peak_flops.bf16", "Peak bf16"),
    flops_field!(Precision::Fp16, "hardware.peak_flops.fp16", "Peak fp16"),
    flops_field!(Precision::Fp8, "hardware.peak_flops.fp8", "Peak fp8"),
    flops_field!(Precision::Int8, "hardware.peak_flops.int8", "Peak int8"),
    flops_field!(Precision::Fp4, "hardware.peak_flops.fp4", "Peak fp4"),
    flops_field!(Precision::Int4, "hardware.peak_flops.int4", "Peak int4"),
];

/// The requests being served (batch and context also get a log slider).
pub static WORKLOAD_FIELDS: &[FieldDef] = &[
    int(
        "workload.batch_size",
        "Batch size",
        "requests",
        1.0,
        1e8,
        |s| n(s.workload.batch_size as f64),
        |s, v| s.workload.batch_size = u(v),
    ),
    int(
        "workload.input_tokens",
        "Input length",
        "tokens",
        1.0,
        1e8,
        |s| n(s.workload.input_tokens as f64),
        |s, v| s.workload.input_tokens = u(v),
    ),
    int(
        "workload.output_tokens",
        "Output length",
        "tokens",
        1.0,
        1e8,
        |s| n(s.workload.output_tokens as f64),
        |s, v| s.workload.output_tokens = u(v),
    ),
    opt(
        int(
            "workload.context_length",
            "Decode context",
            "tokens",
            1.0,
            1e8,
            |s| s.workload.context_length.map(|v| v as f64),
            |s, v| s.workload.context_length = v.map(|v| v as u64),
        ),
        "auto: input + output ÷ 2",
    ),
];

/// How close to the roofline a real server gets, and energy costs.
pub static ASSUMPTION_FIELDS: &[FieldDef] = &[
    real(
        "efficiency.compute",
        "Compute efficiency",
        "% of peak",
        0.01,
        100.0,
        |s| n(s.efficiency.compute),
        |s, v| s.efficiency.compute = v.unwrap_or(0.0),
    ),
    real(
        "efficiency.bandwidth",
        "Bandwidth efficiency",
        "% of peak",
        0.01,
        100.0,
        |s| n(s.efficiency.bandwidth),
        |s, v| s.efficiency.bandwidth = v.unwrap_or(0.0),
    ),
    zero_ok(real(
        "efficiency.step_overhead_seconds",
        "Overhead per step",
        "ms",
        1e-3,
        60_000.0,
        |s| n(s.efficiency.step_overhead_seconds),
        |s, v| s.efficiency.step_overhead_seconds = v.unwrap_or(0.0),
    )),
    zero_ok(real(
        "efficiency.collective_latency_seconds",
        "Latency per collective",
        "µs",
        1e-6,
        1e6,
        |s| n(s.efficiency.collective_latency_seconds),
        |s, v| s.efficiency.collective_latency_seconds = v.unwrap_or(0.0),
    )),
    real(
        "energy.joules_per_byte",
        "Energy per byte from memory",
        "pJ",
        1e-12,
        1e6,
        |s| n(s.energy.joules_per_byte),
        |s, v| s.energy.joules_per_byte = v.unwrap_or(0.0),
    ),
    real(
        "energy.joules_per_flop",
        "Energy per FLOP",
        "pJ",
        1e-12,
        1e6,
        |s| n(s.energy.joules_per_flop),
        |s, v| s.energy.joules_per_flop = v.unwrap_or(0.0),
    ),
];
