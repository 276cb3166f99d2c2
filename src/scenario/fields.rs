//! The scenario's fields, each declared once: its dotted path, its link key, the label and
//! unit the form shows, and the values it accepts.
//!
//! The share link (`link::keys`), the form (`form`, drawn by `ui`) and validation
//! (`validation`) all read these declarations, so a bound or a key is written in one place.
//! Limits are in SI units (bytes, seconds, FLOP/s); the form shows SI ÷ `scale`.

use super::Precision;

/// Which values a field accepts (the form and validation read the same rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Not a number (a name, a switch, a choice): no numeric limits.
    Free,
    /// A whole number from 1 to `max`.
    AtLeastOne,
    /// A number above 0, at most `max`.
    AboveZero,
    /// A number from 0 to `max`.
    NonNegative,
    /// A fraction in (0, 1] (`max` is 1).
    Fraction,
    /// A whole count from 0 to `max` in the form; validation checks it against the fields it
    /// counts (layers) instead of `max`.
    Count,
}

/// One scenario field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    /// The dotted scenario path, as [`super::ScenarioError::field`] names it.
    pub path: &'static str,
    /// The key in a share link.
    pub key: &'static str,
    /// The visible label, in plain words.
    pub label: &'static str,
    /// The unit the form shows and the user types in.
    pub unit: &'static str,
    /// SI units per typed unit (GB → 1e9).
    pub scale: f64,
    /// Whole numbers only.
    pub integer: bool,
    /// The values it accepts.
    pub rule: Rule,
    /// Largest accepted value, SI units (unused for [`Rule::Free`]).
    pub max: f64,
}

impl Field {
    /// The smallest value the form accepts (typed units) and whether it is accepted itself.
    pub const fn form_min(&self) -> (f64, bool) {
        match self.rule {
            Rule::AtLeastOne => (1.0, true),
            Rule::AboveZero | Rule::Fraction => (0.0, false),
            Rule::Free | Rule::NonNegative | Rule::Count => (0.0, true),
        }
    }

    /// The largest value the form accepts, in typed units (max ÷ scale).
    pub const fn form_max(&self) -> f64 {
        self.max / self.scale
    }
}

/// Most layers a model may have (also the form's limit on layer counts).
pub const MAX_LAYERS: f64 = 100_000.0;

const fn field(path: &'static str, key: &'static str, label: &'static str) -> Field {
    Field {
        path,
        key,
        label,
        unit: "",
        scale: 1.0,
        integer: false,
        rule: Rule::Free,
        max: 0.0,
    }
}

/// A whole number from 1 to `max`.
const fn int(
    path: &'static str,
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    max: f64,
) -> Field {
    Field {
        unit,
        integer: true,
        rule: Rule::AtLeastOne,
        max,
        ..field(path, key, label)
    }
}

/// A whole count from 0 to `max` (see [`Rule::Count`]).
const fn count(
    path: &'static str,
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    max: f64,
) -> Field {
    Field {
        rule: Rule::Count,
        ..int(path, key, label, unit, max)
    }
}

/// A real number above 0 (then `zero_ok` or `fraction` may change the rule).
const fn real(
    path: &'static str,
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    scale: f64,
    max: f64,
) -> Field {
    Field {
        unit,
        scale,
        rule: Rule::AboveZero,
        max,
        ..field(path, key, label)
    }
}

const fn zero_ok(f: Field) -> Field {
    Field {
        rule: Rule::NonNegative,
        ..f
    }
}

const fn fraction(f: Field) -> Field {
    Field {
        rule: Rule::Fraction,
        ..f
    }
}

// Model.
/// `model.name`.
pub const MODEL_NAME: Field = field("model.name", "m.name", "Model name");
/// `model.layers`, L.
pub const LAYERS: Field = int("model.layers", "m.layers", "Layers", "layers", MAX_LAYERS);
/// `model.hidden_size`, d.
pub const HIDDEN: Field = int("model.hidden_size", "m.hidden", "Hidden size", "d", 1e7);
/// `model.intermediate_size`, d_ff.
pub const FFN: Field = int(
    "model.intermediate_size",
    "m.ff",
    "FFN width (dense layers)",
    "d_ff",
    1e8,
);
/// `model.attention_heads`, H.
pub const HEADS: Field = int(
    "model.attention_heads",
    "m.heads",
    "Query heads",
    "heads",
    1e5,
);
/// `model.kv_heads`, H_kv.
pub const KV_HEADS: Field = int("model.kv_heads", "m.kv_heads", "KV heads", "heads", 1e5);
/// `model.head_dim`, d_h.
pub const HEAD_DIM: Field = int("model.head_dim", "m.head_dim", "Head dimension", "d_h", 1e5);
/// `model.vocab_size`, V.
pub const VOCAB: Field = int("model.vocab_size", "m.vocab", "Vocabulary", "tokens", 1e8);
/// `model.tied_embeddings`.
pub const TIED: Field = field("model.tied_embeddings", "m.tied", "Tied embeddings");
/// `model.attention`: gqa or mla.
pub const ATTENTION: Field = field("model.attention", "m.attn", "Attention");
/// `model.kv_lora_rank`, r (MLA).
pub const KV_RANK: Field = int(
    "model.kv_lora_rank",
    "m.kv_rank",
    "MLA latent rank",
    "r",
    1e6,
);
/// `model.qk_rope_head_dim`, d_r (MLA).
pub const ROPE_DIM: Field = int(
    "model.qk_rope_head_dim",
    "m.rope_dim",
    "MLA rope dimension",
    "d_r",
    1e6,
);
/// `model.q_lora_rank`, r_q (MLA, optional).
pub const Q_RANK: Field = int(
    "model.q_lora_rank",
    "m.q_rank",
    "MLA query rank",
    "r_q",
    1e6,
);
/// `model.sliding_window`, W tokens (at most u32::MAX).
pub const WINDOW: Field = int(
    "model.sliding_window",
    "m.window",
    "Sliding window",
    "tokens",
    u32::MAX as f64,
);
/// `model.sliding_window_layers`.
pub const WINDOW_LAYERS: Field = count(
    "model.sliding_window_layers",
    "m.window_layers",
    "Layers with the window",
    "layers",
    MAX_LAYERS,
);
/// `model.linear_attention_layers`, L_linear.
pub const LINEAR_LAYERS: Field = count(
    "model.linear_attention_layers",
    "m.linear_layers",
    "Layers with linear attention",
    "layers",
    MAX_LAYERS,
);
/// `model.linear_key_heads`, H_k.
pub const LINEAR_KEY_HEADS: Field = int(
    "model.linear_key_heads",
    "m.linear_kheads",
    "Linear attention: key heads",
    "H_k",
    1e5,
);
/// `model.linear_value_heads`, H_v.
pub const LINEAR_VALUE_HEADS: Field = int(
    "model.linear_value_heads",
    "m.linear_vheads",
    "Linear attention: value heads",
    "H_v",
    1e5,
);
/// `model.linear_key_head_dim`, d_k.
pub const LINEAR_KEY_DIM: Field = int(
    "model.linear_key_head_dim",
    "m.linear_kdim",
    "Linear attention: key head dimension",
    "d_k",
    1e5,
);
/// `model.linear_value_head_dim`, d_v.
pub const LINEAR_VALUE_DIM: Field = int(
    "model.linear_value_head_dim",
    "m.linear_vdim",
    "Linear attention: value head dimension",
    "d_v",
    1e5,
);
/// `model.linear_conv_kernel`, K (optional: no short convolution).
pub const LINEAR_CONV: Field = int(
    "model.linear_conv_kernel",
    "m.linear_conv",
    "Linear attention: convolution kernel",
    "K",
    1e6,
);
/// `model.linear_state_precision` (optional: the KV cache's).
pub const LINEAR_PRECISION: Field = field(
    "model.linear_state_precision",
    "m.linear_prec",
    "Linear attention: state precision",
);
/// `model.sparse_top_k`, k tokens (optional: dense attention; at most u32::MAX).
pub const SPARSE_TOP_K: Field = int(
    "model.sparse_top_k",
    "m.sparse_k",
    "Sparse attention: top k tokens",
    "tokens",
    u32::MAX as f64,
);
/// `model.indexer_heads`, H_I.
pub const INDEXER_HEADS: Field = int(
    "model.indexer_heads",
    "m.index_heads",
    "Sparse attention: indexer heads",
    "H_I",
    1e5,
);
/// `model.indexer_head_dim`, d_I.
pub const INDEXER_DIM: Field = int(
    "model.indexer_head_dim",
    "m.index_dim",
    "Sparse attention: indexer head dimension",
    "d_I",
    1e5,
);
/// `model.indexer_key_precision` (optional: the KV cache's).
pub const INDEXER_PRECISION: Field = field(
    "model.indexer_key_precision",
    "m.index_prec",
    "Sparse attention: index key precision",
);
/// `model.moe`: whether the model is MoE.
pub const MOE: Field = field("model.moe", "m.moe", "Mixture of experts");
/// `model.moe.experts`, E.
pub const EXPERTS: Field = int("model.moe.experts", "m.experts", "Routed experts", "E", 1e6);
/// `model.moe.experts_per_token`, k.
pub const TOP_K: Field = int(
    "model.moe.experts_per_token",
    "m.topk",
    "Experts per token",
    "k",
    1e6,
);
/// `model.moe.shared_experts`, E_s.
pub const SHARED: Field = count(
    "model.moe.shared_experts",
    "m.shared",
    "Shared experts",
    "E_s",
    1e6,
);
/// `model.moe.expert_intermediate_size`, d_e.
pub const EXPERT_FFN: Field = int(
    "model.moe.expert_intermediate_size",
    "m.expert_ff",
    "Expert FFN width",
    "d_e",
    1e8,
);
/// `model.moe.dense_layers`, L_dense.
pub const DENSE_LAYERS: Field = count(
    "model.moe.dense_layers",
    "m.dense_layers",
    "Leading dense layers",
    "layers",
    MAX_LAYERS,
);
/// `model.total_params`.
pub const TOTAL_PARAMS: Field = real(
    "model.total_params",
    "m.total",
    "Total parameters",
    "billion",
    1e9,
    1e15,
);
/// `model.active_params`.
pub const ACTIVE_PARAMS: Field = real(
    "model.active_params",
    "m.active",
    "Active parameters",
    "billion",
    1e9,
    1e15,
);

// Hardware.
/// `hardware.name`.
pub const HARDWARE_NAME: Field = field("hardware.name", "hw.name", "Chip name");
const fn flops(path: &'static str, key: &'static str, label: &'static str) -> Field {
    real(path, key, label, "TFLOP/s", 1e12, 1e20)
}
/// `hardware.peak_flops.fp32`.
pub const FLOPS_FP32: Field = flops("hardware.peak_flops.fp32", "hw.flops.fp32", "Peak fp32");
/// `hardware.peak_flops.bf16`.
pub const FLOPS_BF16: Field = flops("hardware.peak_flops.bf16", "hw.flops.bf16", "Peak bf16");
/// `hardware.peak_flops.fp16`.
pub const FLOPS_FP16: Field = flops("hardware.peak_flops.fp16", "hw.flops.fp16", "Peak fp16");
/// `hardware.peak_flops.fp8`.
pub const FLOPS_FP8: Field = flops("hardware.peak_flops.fp8", "hw.flops.fp8", "Peak fp8");
/// `hardware.peak_flops.int8`.
pub const FLOPS_INT8: Field = flops("hardware.peak_flops.int8", "hw.flops.int8", "Peak int8");
/// `hardware.peak_flops.fp4`.
pub const FLOPS_FP4: Field = flops("hardware.peak_flops.fp4", "hw.flops.fp4", "Peak fp4");
/// `hardware.peak_flops.int4`.
pub const FLOPS_INT4: Field = flops("hardware.peak_flops.int4", "hw.flops.int4", "Peak int4");

/// The peak FLOP/s field of one precision.
pub const fn peak_flops(p: Precision) -> &'static Field {
    match p {
        Precision::Fp32 => &FLOPS_FP32,
        Precision::Bf16 => &FLOPS_BF16,
        Precision::Fp16 => &FLOPS_FP16,
        Precision::Fp8 => &FLOPS_FP8,
        Precision::Int8 => &FLOPS_INT8,
        Precision::Fp4 => &FLOPS_FP4,
        Precision::Int4 => &FLOPS_INT4,
    }
}

/// `hardware.memory_bandwidth`, bytes/s.
pub const BANDWIDTH: Field = real(
    "hardware.memory_bandwidth",
    "hw.bw",
    "Memory bandwidth",
    "TB/s",
    1e12,
    1e16,
);
/// `hardware.memory_capacity`, bytes.
pub const CAPACITY: Field = real(
    "hardware.memory_capacity",
    "hw.mem",
    "Memory per chip",
    "GB",
    1e9,
    1e15,
);
/// `hardware.interconnect_bandwidth`, bytes/s one way.
pub const LINK_BANDWIDTH: Field = real(
    "hardware.interconnect_bandwidth",
    "hw.link",
    "Link bandwidth per chip (one way)",
    "GB/s",
    1e9,
    1e16,
);
/// `hardware.price_per_hour`, USD per chip-hour.
pub const PRICE: Field = zero_ok(real(
    "hardware.price_per_hour",
    "hw.price",
    "Price per chip-hour",
    "USD",
    1.0,
    1e6,
));
/// `hardware.power`, watts.
pub const POWER: Field = zero_ok(real(
    "hardware.power",
    "hw.power",
    "Power per chip",
    "W",
    1.0,
    1e7,
));
/// `hardware.tile_size`, elements.
pub const TILE: Field = int(
    "hardware.tile_size",
    "hw.tile",
    "GEMM tile edge",
    "elements",
    65_536.0,
);
/// `hardware.streaming_multiprocessors`.
pub const SMS: Field = int(
    "hardware.streaming_multiprocessors",
    "hw.sms",
    "Streaming multiprocessors",
    "SMs",
    1e6,
);

/// `hardware.scale_up_domain`, chips.
pub const SCALE_UP_DOMAIN: Field = int(
    "hardware.scale_up_domain",
    "hw.domain",
    "Scale-up domain",
    "chips",
    1e6,
);
/// `hardware.scale_out_bandwidth`, bytes/s.
pub const SCALE_OUT_BANDWIDTH: Field = real(
    "hardware.scale_out_bandwidth",
    "hw.out",
    "Scale-out bandwidth",
    "GB/s",
    1e9,
    1e15,
);
/// `hardware.host_memory_capacity`, bytes of host memory per chip (KV offload).
pub const HOST_MEMORY: Field = zero_ok(real(
    "hardware.host_memory_capacity",
    "hw.host",
    "Host memory per chip (KV offload)",
    "GB",
    1e9,
    1e16,
));
/// `hardware.host_link_bandwidth`, bytes/s one direction between host memory and the chip.
pub const HOST_LINK_BANDWIDTH: Field = real(
    "hardware.host_link_bandwidth",
    "hw.hostbw",
    "Host link bandwidth (PCIe, C2C)",
    "GB/s",
    1e9,
    1e15,
);

// The setup.
/// `kv_offload`: KV beyond HBM overflows into host memory.
pub const KV_OFFLOAD: Field = field("kv_offload", "offload", "KV offload to host memory");
/// `chips`, N.
pub const CHIPS: Field = int("chips", "chips", "Chips", "chips", 1e6);
/// `parallelism`: tensor or expert.
pub const PARALLELISM: Field = field("parallelism", "par", "Parallelism");
/// `precision.weights`.
pub const WEIGHTS_PRECISION: Field = field("precision.weights", "wprec", "Weights");
/// `precision.kv_cache`.
pub const KV_PRECISION: Field = field("precision.kv_cache", "kvprec", "KV cache");
/// `precision.compute`.
pub const COMPUTE_PRECISION: Field = field("precision.compute", "cprec", "Compute");
/// `workload.batch_size`, B.
pub const BATCH: Field = int(
    "workload.batch_size",
    "batch",
    "Batch size",
    "requests",
    1e8,
);
/// `workload.input_tokens`, n_in.
pub const INPUT: Field = int("workload.input_tokens", "in", "Input length", "tokens", 1e8);
/// `workload.output_tokens`, n_out.
pub const OUTPUT: Field = int(
    "workload.output_tokens",
    "out",
    "Output length",
    "tokens",
    1e8,
);
/// `workload.context_length`, tokens.
pub const CONTEXT: Field = int(
    "workload.context_length",
    "ctx",
    "Decode context",
    "tokens",
    1e8,
);
/// `workload.cached_input_tokens`: input tokens per request already in the prefix cache.
pub const CACHED_INPUT: Field = zero_ok(int(
    "workload.cached_input_tokens",
    "cached",
    "Cached input (prefix)",
    "tokens",
    1e8,
));
/// `workload.prefix_sharing`: private or shared.
pub const PREFIX_SHARING: Field = field("workload.prefix_sharing", "prefix", "Cached prefix");
/// `speculative`: none, mtp or draft.
pub const SPECULATIVE: Field = field("speculative", "spec", "Speculative decoding");
/// `speculative.draft_tokens`, k.
pub const SPEC_TOKENS: Field = int(
    "speculative.draft_tokens",
    "spec.k",
    "Draft tokens per step",
    "k",
    MAX_DRAFT_TOKENS,
);
/// `speculative.acceptance_rate`, a ∈ [0, 1].
pub const SPEC_ACCEPTANCE: Field = zero_ok(real(
    "speculative.acceptance_rate",
    "spec.a",
    "Acceptance rate per draft token",
    "%",
    0.01,
    1.0,
));
/// `speculative.draft_model`: a model preset id or a dense shape.
pub const SPEC_DRAFT: Field = field("speculative.draft_model", "spec.draft", "Draft model");
/// Most draft tokens a step may propose.
pub const MAX_DRAFT_TOKENS: f64 = 64.0;
/// `efficiency.compute`, η_c.
pub const EFF_COMPUTE: Field = fraction(real(
    "efficiency.compute",
    "eff.c",
    "Compute efficiency",
    "% of peak",
    0.01,
    1.0,
));
/// `efficiency.bandwidth`, η_bw.
pub const EFF_BANDWIDTH: Field = fraction(real(
    "efficiency.bandwidth",
    "eff.bw",
    "Bandwidth efficiency",
    "% of peak",
    0.01,
    1.0,
));
/// `efficiency.step_overhead_seconds`, seconds.
pub const STEP_OVERHEAD: Field = zero_ok(real(
    "efficiency.step_overhead_seconds",
    "eff.step",
    "Overhead per step",
    "ms",
    1e-3,
    60.0,
));
/// `efficiency.collective_latency_seconds`, seconds.
pub const COLLECTIVE_LATENCY: Field = zero_ok(real(
    "efficiency.collective_latency_seconds",
    "eff.coll",
    "Latency per collective",
    "µs",
    1e-6,
    1.0,
));
/// `efficiency.prefill_compute`, η_p (`none`: η_c).
pub const EFF_PREFILL: Field = fraction(real(
    "efficiency.prefill_compute",
    "eff.pf",
    "Prefill compute efficiency",
    "% of peak",
    0.01,
    1.0,
));
/// `efficiency.attention_compute`, η_a (`none`: attention inside the one roofline).
pub const EFF_ATTENTION: Field = fraction(real(
    "efficiency.attention_compute",
    "eff.attn",
    "Attention compute efficiency",
    "% of peak",
    0.01,
    1.0,
));
/// `efficiency.expert_compute`, η_e (`none`: η_c).
pub const EFF_EXPERT: Field = fraction(real(
    "efficiency.expert_compute",
    "eff.exp",
    "Expert GEMM efficiency",
    "% of peak",
    0.01,
    1.0,
));
/// `efficiency.token_tile`, rows (0: no padding).
pub const TOKEN_TILE: Field = zero_ok(int(
    "efficiency.token_tile",
    "eff.tile",
    "Token tile (padding)",
    "rows",
    65_536.0,
));
/// `efficiency.dequantize`: whether narrow weights pay for widening.
pub const DEQUANTIZE: Field = field("efficiency.dequantize", "eff.dq", "Widen narrow weights");
/// `efficiency.expert_imbalance`, ≥ 1 (`none`: random routing).
pub const EXPERT_IMBALANCE: Field = real(
    "efficiency.expert_imbalance",
    "eff.imb",
    "Expert load imbalance",
    "× mean",
    1.0,
    1000.0,
);
/// `efficiency.all_to_all`, η_a2a (`none`: the older formula).
pub const EFF_ALL_TO_ALL: Field = fraction(real(
    "efficiency.all_to_all",
    "eff.a2a",
    "All-to-all efficiency",
    "% of link",
    0.01,
    1.0,
));
/// `efficiency.comm_overlap`, ∈ [0, 1].
pub const COMM_OVERLAP: Field = zero_ok(real(
    "efficiency.comm_overlap",
    "eff.ovl",
    "Communication overlap",
    "% hidden",
    0.01,
    1.0,
));
/// `efficiency.scale_out_latency_seconds`, seconds.
pub const SCALE_OUT_LATENCY: Field = zero_ok(real(
    "efficiency.scale_out_latency_seconds",
    "eff.olat",
    "Latency per all-to-all across servers",
    "µs",
    1e-6,
    1.0,
));
/// `efficiency.request_overhead_seconds`, seconds per request per pass.
pub const REQUEST_OVERHEAD: Field = zero_ok(real(
    "efficiency.request_overhead_seconds",
    "eff.req",
    "Overhead per request per step",
    "µs",
    1e-6,
    1.0,
));
/// `efficiency.sequence_layer_seconds`, seconds per sequence per layer per pass.
pub const SEQUENCE_LAYER: Field = zero_ok(real(
    "efficiency.sequence_layer_seconds",
    "eff.seq",
    "Work per sequence per layer",
    "ns",
    1e-9,
    1e-3,
));
/// `energy.joules_per_byte`, J/byte.
pub const JOULES_PER_BYTE: Field = real(
    "energy.joules_per_byte",
    "en.byte",
    "Energy per byte from memory",
    "pJ",
    1e-12,
    1e-6,
);
/// `energy.joules_per_flop`, J/FLOP.
pub const JOULES_PER_FLOP: Field = real(
    "energy.joules_per_flop",
    "en.flop",
    "Energy per FLOP",
    "pJ",
    1e-12,
    1e-6,
);

// Disaggregated prefill and decode (`disaggregation.*`, off by default).
/// `disaggregation.enabled`: prefill and decode on separate pools.
pub const PD: Field = field(
    "disaggregation.enabled",
    "pd",
    "Disaggregated prefill and decode",
);
/// `disaggregation.prefill.instances`: prefill engines, the x of xPyD.
pub const PD_PREFILL_INSTANCES: Field = int(
    "disaggregation.prefill.instances",
    "pd.p.n",
    "Prefill engines",
    "engines",
    1e4,
);
/// `disaggregation.prefill.chips`: chips per prefill engine (`none`: the setup's).
pub const PD_PREFILL_CHIPS: Field = int(
    "disaggregation.prefill.chips",
    "pd.p.chips",
    "Chips per prefill engine",
    "chips",
    1e6,
);
/// `disaggregation.prefill.hardware`: the prefill chip's preset id (`none`: the setup's).
pub const PD_PREFILL_HARDWARE: Field =
    field("disaggregation.prefill.hardware", "pd.p.hw", "Prefill chip");
/// `disaggregation.prefill.parallelism` (`none`: the setup's).
pub const PD_PREFILL_PARALLELISM: Field = field(
    "disaggregation.prefill.parallelism",
    "pd.p.par",
    "Prefill parallelism",
);
/// `disaggregation.decode.instances`: decode engines, the y of xPyD.
pub const PD_DECODE_INSTANCES: Field = int(
    "disaggregation.decode.instances",
    "pd.d.n",
    "Decode engines",
    "engines",
    1e4,
);
/// `disaggregation.decode.chips`: chips per decode engine (`none`: the setup's).
pub const PD_DECODE_CHIPS: Field = int(
    "disaggregation.decode.chips",
    "pd.d.chips",
    "Chips per decode engine",
    "chips",
    1e6,
);
/// `disaggregation.decode.hardware`: the decode chip's preset id (`none`: the setup's).
pub const PD_DECODE_HARDWARE: Field =
    field("disaggregation.decode.hardware", "pd.d.hw", "Decode chip");
/// `disaggregation.decode.parallelism` (`none`: the setup's).
pub const PD_DECODE_PARALLELISM: Field = field(
    "disaggregation.decode.parallelism",
    "pd.d.par",
    "Decode parallelism",
);
/// `disaggregation.link_bandwidth`, bytes/s of one KV transfer (`none`: the NICs').
pub const PD_LINK_BANDWIDTH: Field = real(
    "disaggregation.link_bandwidth",
    "pd.bw",
    "KV transfer bandwidth",
    "GB/s",
    1e9,
    1e15,
);
/// `disaggregation.link_latency_seconds`, seconds per KV transfer.
pub const PD_LINK_LATENCY: Field = zero_ok(real(
    "disaggregation.link_latency_seconds",
    "pd.lat",
    "KV transfer latency",
    "µs",
    1e-6,
    10.0,
));
/// `disaggregation.arrival_rate`, requests/s the xPyD ratio is sized for (`none`: what the
/// decode pool sustains).
pub const PD_ARRIVAL_RATE: Field = real(
    "disaggregation.arrival_rate",
    "pd.rate",
    "Requests per second the pools are sized for",
    "requests/s",
    1.0,
    1e6,
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The form limits, as the form's own table wrote them before this table existed.
    #[test]
    fn form_limits_are_the_old_ones() {
        let cases: &[(&Field, f64, bool, f64)] = &[
            (&LAYERS, 1.0, true, 100_000.0),
            (&HIDDEN, 1.0, true, 1e7),
            (&FFN, 1.0, true, 1e8),
            (&HEADS, 1.0, true, 100_000.0),
            (&KV_HEADS, 1.0, true, 100_000.0),
            (&HEAD_DIM, 1.0, true, 100_000.0),
            (&VOCAB, 1.0, true, 1e8),
            (&KV_RANK, 1.0, true, 1e6),
            (&ROPE_DIM, 1.0, true, 1e6),
            (&WINDOW_LAYERS, 0.0, true, 100_000.0),
            (&EXPERTS, 1.0, true, 1e6),
            (&TOP_K, 1.0, true, 1e6),
            (&SHARED, 0.0, true, 1e6),
            (&EXPERT_FFN, 1.0, true, 1e8),
            (&DENSE_LAYERS, 0.0, true, 1e5),
            (&TOTAL_PARAMS, 0.0, false, 1e6),
            (&ACTIVE_PARAMS, 0.0, false, 1e6),
            (&CHIPS, 1.0, true, 1e6),
            (&BANDWIDTH, 0.0, false, 1e4),
            (&CAPACITY, 0.0, false, 1e6),
            (&LINK_BANDWIDTH, 0.0, false, 1e7),
            (&PRICE, 0.0, true, 1e6),
            (&POWER, 0.0, true, 1e7),
            (&FLOPS_BF16, 0.0, false, 1e8),
            (&BATCH, 1.0, true, 1e8),
            (&INPUT, 1.0, true, 1e8),
            (&OUTPUT, 1.0, true, 1e8),
            (&CONTEXT, 1.0, true, 1e8),
            (&CACHED_INPUT, 0.0, true, 1e8),
            (&SPEC_TOKENS, 1.0, true, 64.0),
            (&SPEC_ACCEPTANCE, 0.0, true, 100.0),
            (&EFF_COMPUTE, 0.0, false, 100.0),
            (&EFF_BANDWIDTH, 0.0, false, 100.0),
            (&STEP_OVERHEAD, 0.0, true, 60_000.0),
            (&COLLECTIVE_LATENCY, 0.0, true, 1e6),
            (&JOULES_PER_BYTE, 0.0, false, 1e6),
            (&JOULES_PER_FLOP, 0.0, false, 1e6),
        ];
        for (f, min, incl, max) in cases {
            assert_eq!(f.form_min(), (*min, *incl), "{}", f.path);
            assert_eq!(f.form_max(), *max, "{}", f.path);
        }
    }

    #[test]
    fn every_precision_has_its_flops_field() {
        for p in Precision::ALL {
            let f = peak_flops(p);
            assert_eq!(f.path, format!("hardware.peak_flops.{p}"));
            assert_eq!(f.key, format!("hw.flops.{p}"));
        }
    }
}
