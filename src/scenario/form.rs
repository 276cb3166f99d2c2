//! The form's number fields: each binds one [`Field`] (label, unit, scale, limits) to the
//! scenario value it edits, in SI units.
//!
//! Values are typed in the units people use (GB, TB/s, TFLOP/s, ms) and kept in SI inside:
//! the shown value is SI ÷ `scale`. Native code, so its getters and setters are tested here;
//! `ui` draws the fields.

use super::fields::{self, Field};
use super::{Attention, Moe, Precision, Scenario, Speculative};

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
fn has_linear(s: &Scenario) -> bool {
    s.model.layer_kinds.linear_attention_layers > 0
}
fn is_sparse(s: &Scenario) -> bool {
    s.model.layer_kinds.sparse_top_k.is_some()
}
/// The MoE shape to edit; a dense model first gets the one the MoE switch gives it.
fn moe_mut(s: &mut Scenario) -> &mut Moe {
    let d_ff = s.model.intermediate_size;
    s.model.moe.get_or_insert(Moe::switched_on(d_ff))
}

/// A field of the table: label, unit, scale and limits all come from `f`.
const fn def(
    f: &'static Field,
    get: fn(&Scenario) -> Option<f64>,
    set: fn(&mut Scenario, Option<f64>),
) -> FieldDef {
    let (min, min_inclusive) = f.form_min();
    FieldDef {
        key: f.path,
        label: f.label,
        unit: f.unit,
        scale: f.scale,
        integer: f.integer,
        min,
        min_inclusive,
        max: f.form_max(),
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

fn n(v: f64) -> Option<f64> {
    Some(v)
}
fn u(v: Option<f64>) -> u64 {
    v.unwrap_or(0.0) as u64
}

/// The model's shape.
pub static MODEL_FIELDS: &[FieldDef] = &[
    def(
        &fields::LAYERS,
        |s| n(s.model.layers as f64),
        |s, v| s.model.layers = u(v) as u32,
    ),
    def(
        &fields::HIDDEN,
        |s| n(s.model.hidden_size as f64),
        |s, v| s.model.hidden_size = u(v),
    ),
    def(
        &fields::FFN,
        |s| n(s.model.intermediate_size as f64),
        |s, v| s.model.intermediate_size = u(v),
    ),
    def(
        &fields::HEADS,
        |s| n(s.model.attention_heads as f64),
        |s, v| s.model.attention_heads = u(v) as u32,
    ),
    def(
        &fields::KV_HEADS,
        |s| n(s.model.kv_heads as f64),
        |s, v| s.model.kv_heads = u(v) as u32,
    ),
    def(
        &fields::HEAD_DIM,
        |s| n(s.model.head_dim as f64),
        |s, v| s.model.head_dim = u(v),
    ),
    def(
        &fields::VOCAB,
        |s| n(s.model.vocab_size as f64),
        |s, v| s.model.vocab_size = u(v),
    ),
    when(
        def(
            &fields::KV_RANK,
            |s| s.model.kv_lora_rank.map(|v| v as f64),
            |s, v| s.model.kv_lora_rank = v.map(|v| v as u64),
        ),
        is_mla,
    ),
    when(
        def(
            &fields::ROPE_DIM,
            |s| s.model.qk_rope_head_dim.map(|v| v as f64),
            |s, v| s.model.qk_rope_head_dim = v.map(|v| v as u64),
        ),
        is_mla,
    ),
    opt(
        def(
            &fields::WINDOW,
            |s| s.model.sliding_window.map(|v| v as f64),
            |s, v| s.model.sliding_window = v.map(|v| v as u64),
        ),
        "none",
    ),
    def(
        &fields::WINDOW_LAYERS,
        |s| n(s.model.sliding_window_layers as f64),
        |s, v| s.model.sliding_window_layers = u(v) as u32,
    ),
    def(
        &fields::LINEAR_LAYERS,
        |s| n(s.model.layer_kinds.linear_attention_layers as f64),
        |s, v| s.model.layer_kinds.linear_attention_layers = u(v) as u32,
    ),
    when(
        def(
            &fields::LINEAR_KEY_HEADS,
            |s| s.model.layer_kinds.linear_key_heads.map(|v| v as f64),
            |s, v| s.model.layer_kinds.linear_key_heads = v.map(|v| v as u32),
        ),
        has_linear,
    ),
    when(
        def(
            &fields::LINEAR_VALUE_HEADS,
            |s| s.model.layer_kinds.linear_value_heads.map(|v| v as f64),
            |s, v| s.model.layer_kinds.linear_value_heads = v.map(|v| v as u32),
        ),
        has_linear,
    ),
    when(
        def(
            &fields::LINEAR_KEY_DIM,
            |s| s.model.layer_kinds.linear_key_head_dim.map(|v| v as f64),
            |s, v| s.model.layer_kinds.linear_key_head_dim = v.map(|v| v as u64),
        ),
        has_linear,
    ),
    when(
        def(
            &fields::LINEAR_VALUE_DIM,
            |s| s.model.layer_kinds.linear_value_head_dim.map(|v| v as f64),
            |s, v| s.model.layer_kinds.linear_value_head_dim = v.map(|v| v as u64),
        ),
        has_linear,
    ),
    when(
        opt(
            def(
                &fields::LINEAR_CONV,
                |s| s.model.layer_kinds.linear_conv_kernel.map(|v| v as f64),
                |s, v| s.model.layer_kinds.linear_conv_kernel = v.map(|v| v as u64),
            ),
            "none",
        ),
        has_linear,
    ),
    opt(
        def(
            &fields::SPARSE_TOP_K,
            |s| s.model.layer_kinds.sparse_top_k.map(|v| v as f64),
            |s, v| s.model.layer_kinds.sparse_top_k = v.map(|v| v as u64),
        ),
        "dense attention",
    ),
    when(
        def(
            &fields::INDEXER_HEADS,
            |s| s.model.layer_kinds.indexer_heads.map(|v| v as f64),
            |s, v| s.model.layer_kinds.indexer_heads = v.map(|v| v as u32),
        ),
        is_sparse,
    ),
    when(
        def(
            &fields::INDEXER_DIM,
            |s| s.model.layer_kinds.indexer_head_dim.map(|v| v as f64),
            |s, v| s.model.layer_kinds.indexer_head_dim = v.map(|v| v as u64),
        ),
        is_sparse,
    ),
    when(
        def(
            &fields::EXPERTS,
            |s| s.model.moe.as_ref().map(|m| m.experts as f64),
            |s, v| moe_mut(s).experts = u(v) as u32,
        ),
        is_moe,
    ),
    when(
        def(
            &fields::TOP_K,
            |s| s.model.moe.as_ref().map(|m| m.experts_per_token as f64),
            |s, v| moe_mut(s).experts_per_token = u(v) as u32,
        ),
        is_moe,
    ),
    when(
        def(
            &fields::SHARED,
            |s| s.model.moe.as_ref().map(|m| m.shared_experts as f64),
            |s, v| moe_mut(s).shared_experts = u(v) as u32,
        ),
        is_moe,
    ),
    when(
        def(
            &fields::EXPERT_FFN,
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
        def(
            &fields::DENSE_LAYERS,
            |s| s.model.moe.as_ref().map(|m| m.dense_layers as f64),
            |s, v| moe_mut(s).dense_layers = u(v) as u32,
        ),
        is_moe,
    ),
    opt(
        def(
            &fields::TOTAL_PARAMS,
            |s| s.model.total_params,
            |s, v| s.model.total_params = v,
        ),
        "derived from the shape",
    ),
    opt(
        def(
            &fields::ACTIVE_PARAMS,
            |s| s.model.active_params,
            |s, v| s.model.active_params = v,
        ),
        "derived from the shape",
    ),
];

macro_rules! flops_field {
    ($p:expr) => {
        opt(
            def(
                fields::peak_flops($p),
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
    def(
        &fields::CHIPS,
        |s| n(s.chips as f64),
        |s, v| s.chips = u(v) as u32,
    ),
    def(
        &fields::BANDWIDTH,
        |s| n(s.hardware.memory_bandwidth),
        |s, v| s.hardware.memory_bandwidth = v.unwrap_or(0.0),
    ),
    def(
        &fields::CAPACITY,
        |s| n(s.hardware.memory_capacity),
        |s, v| s.hardware.memory_capacity = v.unwrap_or(0.0),
    ),
    def(
        &fields::LINK_BANDWIDTH,
        |s| n(s.hardware.interconnect_bandwidth),
        |s, v| s.hardware.interconnect_bandwidth = v.unwrap_or(0.0),
    ),
    def(
        &fields::SCALE_UP_DOMAIN,
        |s| n(s.hardware.scale_up_domain as f64),
        |s, v| s.hardware.scale_up_domain = v.unwrap_or(0.0) as u32,
    ),
    def(
        &fields::SCALE_OUT_BANDWIDTH,
        |s| n(s.hardware.scale_out_bandwidth),
        |s, v| s.hardware.scale_out_bandwidth = v.unwrap_or(0.0),
    ),
    def(
        &fields::HOST_MEMORY,
        |s| n(s.hardware.host_memory_capacity),
        |s, v| s.hardware.host_memory_capacity = v.unwrap_or(0.0),
    ),
    def(
        &fields::HOST_LINK_BANDWIDTH,
        |s| n(s.hardware.host_link_bandwidth),
        |s, v| s.hardware.host_link_bandwidth = v.unwrap_or(0.0),
    ),
    def(
        &fields::PRICE,
        |s| n(s.hardware.price_per_hour),
        |s, v| s.hardware.price_per_hour = v.unwrap_or(0.0),
    ),
    def(
        &fields::POWER,
        |s| n(s.hardware.power),
        |s, v| s.hardware.power = v.unwrap_or(0.0),
    ),
    flops_field!(Precision::Fp32),
    flops_field!(Precision::Bf16),
    flops_field!(Precision::Fp16),
    flops_field!(Precision::Fp8),
    flops_field!(Precision::Int8),
    flops_field!(Precision::Fp4),
    flops_field!(Precision::Int4),
];

/// The requests being served (batch and context also get a log slider).
pub static WORKLOAD_FIELDS: &[FieldDef] = &[
    def(
        &fields::BATCH,
        |s| n(s.workload.batch_size as f64),
        |s, v| s.workload.batch_size = u(v),
    ),
    def(
        &fields::INPUT,
        |s| n(s.workload.input_tokens as f64),
        |s, v| s.workload.input_tokens = u(v),
    ),
    def(
        &fields::OUTPUT,
        |s| n(s.workload.output_tokens as f64),
        |s, v| s.workload.output_tokens = u(v),
    ),
    opt(
        def(
            &fields::CONTEXT,
            |s| s.workload.context_length.map(|v| v as f64),
            |s, v| s.workload.context_length = v.map(|v| v as u64),
        ),
        "auto: input + output ÷ 2",
    ),
    def(
        &fields::CACHED_INPUT,
        |s| n(s.workload.cached_input_tokens as f64),
        |s, v| s.workload.cached_input_tokens = u(v),
    ),
];

fn speculates(s: &Scenario) -> bool {
    s.speculative.is_some()
}

/// The speculation to edit; off, it first becomes [`Speculative::MTP_START`].
fn spec_mut(s: &mut Scenario) -> &mut Speculative {
    s.speculative.get_or_insert(Speculative::MTP_START)
}

/// Speculative decoding's numbers (shown while it is on).
pub static SPECULATIVE_FIELDS: &[FieldDef] = &[
    when(
        def(
            &fields::SPEC_TOKENS,
            |s| s.speculative.as_ref().map(|x| x.draft_tokens as f64),
            |s, v| {
                if let Some(v) = v {
                    spec_mut(s).draft_tokens = v as u32;
                }
            },
        ),
        speculates,
    ),
    when(
        def(
            &fields::SPEC_ACCEPTANCE,
            |s| s.speculative.as_ref().map(|x| x.acceptance_rate),
            |s, v| {
                if let Some(v) = v {
                    spec_mut(s).acceptance_rate = v;
                }
            },
        ),
        speculates,
    ),
];

/// How close to the roofline a real server gets, and energy costs.
pub static ASSUMPTION_FIELDS: &[FieldDef] = &[
    def(
        &fields::EFF_COMPUTE,
        |s| n(s.efficiency.compute),
        |s, v| s.efficiency.compute = v.unwrap_or(0.0),
    ),
    def(
        &fields::EFF_BANDWIDTH,
        |s| n(s.efficiency.bandwidth),
        |s, v| s.efficiency.bandwidth = v.unwrap_or(0.0),
    ),
    def(
        &fields::STEP_OVERHEAD,
        |s| n(s.efficiency.step_overhead_seconds),
        |s, v| s.efficiency.step_overhead_seconds = v.unwrap_or(0.0),
    ),
    def(
        &fields::COLLECTIVE_LATENCY,
        |s| n(s.efficiency.collective_latency_seconds),
        |s, v| s.efficiency.collective_latency_seconds = v.unwrap_or(0.0),
    ),
    opt(
        def(
            &fields::EFF_PREFILL,
            |s| s.efficiency.prefill_compute,
            |s, v| s.efficiency.prefill_compute = v,
        ),
        "blank: the compute efficiency",
    ),
    opt(
        def(
            &fields::EFF_ATTENTION,
            |s| s.efficiency.attention_compute,
            |s, v| s.efficiency.attention_compute = v,
        ),
        "blank: inside the one roofline",
    ),
    opt(
        def(
            &fields::EFF_EXPERT,
            |s| s.efficiency.expert_compute,
            |s, v| s.efficiency.expert_compute = v,
        ),
        "blank: the compute efficiency",
    ),
    def(
        &fields::TOKEN_TILE,
        |s| n(s.efficiency.token_tile as f64),
        |s, v| s.efficiency.token_tile = v.unwrap_or(0.0) as u32,
    ),
    opt(
        def(
            &fields::EXPERT_IMBALANCE,
            |s| s.efficiency.expert_imbalance,
            |s, v| s.efficiency.expert_imbalance = v,
        ),
        "blank: random routing",
    ),
    opt(
        def(
            &fields::EFF_ALL_TO_ALL,
            |s| s.efficiency.all_to_all,
            |s, v| s.efficiency.all_to_all = v,
        ),
        "blank: full link, one latency",
    ),
    def(
        &fields::COMM_OVERLAP,
        |s| n(s.efficiency.comm_overlap),
        |s, v| s.efficiency.comm_overlap = v.unwrap_or(0.0),
    ),
    def(
        &fields::REQUEST_OVERHEAD,
        |s| n(s.efficiency.request_overhead_seconds),
        |s, v| s.efficiency.request_overhead_seconds = v.unwrap_or(0.0),
    ),
    def(
        &fields::SEQUENCE_LAYER,
        |s| n(s.efficiency.sequence_layer_seconds),
        |s, v| s.efficiency.sequence_layer_seconds = v.unwrap_or(0.0),
    ),
    def(
        &fields::SCALE_OUT_LATENCY,
        |s| n(s.efficiency.scale_out_latency_seconds),
        |s, v| s.efficiency.scale_out_latency_seconds = v.unwrap_or(0.0),
    ),
    def(
        &fields::JOULES_PER_BYTE,
        |s| n(s.energy.joules_per_byte),
        |s, v| s.energy.joules_per_byte = v.unwrap_or(0.0),
    ),
    def(
        &fields::JOULES_PER_FLOP,
        |s| n(s.energy.joules_per_flop),
        |s, v| s.energy.joules_per_flop = v.unwrap_or(0.0),
    ),
];

fn pd_on(s: &Scenario) -> bool {
    s.disaggregation.enabled
}

/// The disaggregated setup (shown when it is switched on).
pub static DISAGGREGATION_FIELDS: &[FieldDef] = &[
    when(
        def(
            &fields::PD_PREFILL_INSTANCES,
            |s| n(s.disaggregation.prefill.instances as f64),
            |s, v| s.disaggregation.prefill.instances = u(v) as u32,
        ),
        pd_on,
    ),
    when(
        opt(
            def(
                &fields::PD_PREFILL_CHIPS,
                |s| s.disaggregation.prefill.chips.map(|c| c as f64),
                |s, v| s.disaggregation.prefill.chips = v.map(|c| c as u32),
            ),
            "blank: the setup's chips",
        ),
        pd_on,
    ),
    when(
        def(
            &fields::PD_DECODE_INSTANCES,
            |s| n(s.disaggregation.decode.instances as f64),
            |s, v| s.disaggregation.decode.instances = u(v) as u32,
        ),
        pd_on,
    ),
    when(
        opt(
            def(
                &fields::PD_DECODE_CHIPS,
                |s| s.disaggregation.decode.chips.map(|c| c as f64),
                |s, v| s.disaggregation.decode.chips = v.map(|c| c as u32),
            ),
            "blank: the setup's chips",
        ),
        pd_on,
    ),
    when(
        opt(
            def(
                &fields::PD_LINK_BANDWIDTH,
                |s| s.disaggregation.link_bandwidth,
                |s, v| s.disaggregation.link_bandwidth = v,
            ),
            "blank: chips × scale-out bandwidth",
        ),
        pd_on,
    ),
    when(
        def(
            &fields::PD_LINK_LATENCY,
            |s| n(s.disaggregation.link_latency_seconds),
            |s, v| s.disaggregation.link_latency_seconds = v.unwrap_or(0.0),
        ),
        pd_on,
    ),
    when(
        opt(
            def(
                &fields::PD_ARRIVAL_RATE,
                |s| s.disaggregation.arrival_rate,
                |s, v| s.disaggregation.arrival_rate = v,
            ),
            "blank: what the decode pool serves",
        ),
        pd_on,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> impl Iterator<Item = &'static FieldDef> {
        MODEL_FIELDS
            .iter()
            .chain(HARDWARE_FIELDS)
            .chain(WORKLOAD_FIELDS)
            .chain(SPECULATIVE_FIELDS)
            .chain(ASSUMPTION_FIELDS)
            .chain(DISAGGREGATION_FIELDS)
    }

    #[test]
    fn every_field_writes_what_it_reads() {
        let mut s = Scenario::default();
        s.model.moe = Some(Moe::switched_on(1000));
        let mut spec = s.clone();
        spec.speculative = Some(Speculative::MTP_START);
        spec.workload.cached_input_tokens = 512;
        for s in [s, spec] {
            for f in all() {
                let v = (f.get)(&s);
                let mut t = s.clone();
                (f.set)(&mut t, v);
                assert_eq!(t, s, "{}", f.key);
            }
        }
    }

    #[test]
    fn speculation_fields_show_only_while_it_is_on() {
        let mut s = Scenario::default();
        assert!(SPECULATIVE_FIELDS.iter().all(|f| !(f.visible)(&s)));
        (SPECULATIVE_FIELDS[0].set)(&mut s, Some(3.0));
        assert_eq!(s.speculative.as_ref().map(|x| x.draft_tokens), Some(3));
        assert!(SPECULATIVE_FIELDS.iter().all(|f| (f.visible)(&s)));
    }

    #[test]
    fn keys_are_unique_scenario_paths() {
        let keys: Vec<&str> = all().map(|f| f.key).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{k}");
            assert!(crate::scenario::link::key_for_field(k).is_some(), "{k}");
        }
    }
}
