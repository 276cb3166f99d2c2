//! The scenario: one serving setup, as `SCENARIO.md` specifies it.
//!
//! The web app's state, a shared link, a file and the command line all describe a
//! `Scenario`. Units are SI: bytes, bytes per second, FLOP/s, seconds, watts, USD.
//! Every field has a documented default (see each `Default` impl), the same in the app,
//! the link and the command line. Parsing names the field of any problem.

mod disaggregation;
mod efficiency;
pub mod fields;
pub mod form;
pub use efficiency::{Efficiency, EnergyCosts};
pub mod link;
mod model_file;
mod speculative;
mod validation;

pub use disaggregation::{Disaggregation, Pool};
pub use model_file::CUSTOM_MODEL_NAME;
pub use speculative::{DraftModel, DraftShape, Speculative, SpeculativeMethod};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The current scenario format version.
pub const FORMAT_VERSION: u32 = 1;

/// A problem with one field of a scenario: `field` is its dotted path (`model.layers`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Dotted path of the offending field, e.g. `workload.batch_size`.
    pub field: String,
    /// What is wrong, in plain words.
    pub problem: String,
}

impl ScenarioError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.field, self.problem)
        }
    }
}

impl std::error::Error for ScenarioError {}

/// A number format for weights, KV cache or compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Fp32,
    Bf16,
    Fp16,
    Fp8,
    Int8,
    Fp4,
    Int4,
}

impl Precision {
    /// Every precision, widest first.
    pub const ALL: [Precision; 7] = [
        Precision::Fp32,
        Precision::Bf16,
        Precision::Fp16,
        Precision::Fp8,
        Precision::Int8,
        Precision::Fp4,
        Precision::Int4,
    ];

    /// Bytes per element: fp32 4, bf16/fp16 2, fp8/int8 1, fp4/int4 0.5.
    pub fn bytes(self) -> f64 {
        match self {
            Precision::Fp32 => 4.0,
            Precision::Bf16 | Precision::Fp16 => 2.0,
            Precision::Fp8 | Precision::Int8 => 1.0,
            Precision::Fp4 | Precision::Int4 => 0.5,
        }
    }

    /// The name used in files and links (`bf16`).
    pub fn name(self) -> &'static str {
        match self {
            Precision::Fp32 => "fp32",
            Precision::Bf16 => "bf16",
            Precision::Fp16 => "fp16",
            Precision::Fp8 => "fp8",
            Precision::Int8 => "int8",
            Precision::Fp4 => "fp4",
            Precision::Int4 => "int4",
        }
    }

    /// Parses a name (`bf16`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Precision> {
        Precision::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How attention stores its KV cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attention {
    /// Grouped-query attention (MHA and MQA are GQA with kv_heads = heads or 1).
    Gqa,
    /// Multi-head latent attention (DeepSeek-V3, Kimi K2): caches a compressed latent.
    Mla,
}

/// How the model is split over several chips.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Parallelism {
    /// Weights, KV and FLOPs split N ways; two all-reduces per layer.
    Tensor,
    /// Expert parallel with data-parallel attention (MoE only).
    Expert,
}

impl Parallelism {
    /// `"tensor"` or `"expert"`, as in files and links.
    pub fn name(self) -> &'static str {
        match self {
            Parallelism::Tensor => "tensor",
            Parallelism::Expert => "expert",
        }
    }
}

/// Mixture-of-experts shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moe {
    /// Routed experts per MoE layer, E.
    pub experts: u32,
    /// Routed experts each token uses, k.
    pub experts_per_token: u32,
    /// Always-on shared experts per MoE layer, E_s.
    #[serde(default)]
    pub shared_experts: u32,
    /// FFN width of one expert, d_e.
    pub expert_intermediate_size: u64,
    /// Leading dense (non-MoE) layers, L_dense.
    #[serde(default)]
    pub dense_layers: u32,
}

impl Moe {
    /// No experts at all: where a share link's MoE keys start when they make a dense model
    /// MoE (the link format depends on it: such a link lists every expert field not 0).
    pub const EMPTY: Moe = Moe {
        experts: 0,
        experts_per_token: 0,
        shared_experts: 0,
        expert_intermediate_size: 0,
        dense_layers: 0,
    };

    /// The MoE shape a dense model gets when MoE is switched on in the form (Mixtral-like:
    /// 8 experts, top-2, each `expert_intermediate_size` wide, usually the dense FFN width).
    pub const fn switched_on(expert_intermediate_size: u64) -> Moe {
        Moe {
            experts: 8,
            experts_per_token: 2,
            expert_intermediate_size,
            ..Moe::EMPTY
        }
    }
}

/// The model's shape. Field names follow Hugging Face `config.json` where possible.
/// Read from a file through `model_file`: a field left out never takes a value that
/// belongs to another model (see that module).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "model_file::ModelFile")]
pub struct ModelSpec {
    pub name: String,
    /// Transformer layers, L.
    pub layers: u32,
    /// Hidden size, d.
    pub hidden_size: u64,
    /// Dense FFN width, d_ff (gated: 3 matrices).
    pub intermediate_size: u64,
    /// Query heads, H.
    pub attention_heads: u32,
    /// KV heads, H_kv.
    pub kv_heads: u32,
    /// Head dimension, d_h.
    pub head_dim: u64,
    /// Vocabulary size, V.
    pub vocab_size: u64,
    /// Whether the LM head shares the embedding table.
    pub tied_embeddings: bool,
    pub attention: Attention,
    /// MLA latent rank r (MLA only).
    pub kv_lora_rank: Option<u64>,
    /// MLA rope dimension d_r (MLA only).
    pub qk_rope_head_dim: Option<u64>,
    /// MLA query compression rank r_q (optional; `None` means an uncompressed W_q).
    /// Only the derived parameter count uses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q_lora_rank: Option<u64>,
    /// Sliding window W in tokens, on `sliding_window_layers` of the layers.
    pub sliding_window: Option<u64>,
    /// How many layers use the sliding window.
    pub sliding_window_layers: u32,
    /// Mixture-of-experts shape; `None` for a dense model.
    pub moe: Option<Moe>,
    /// Published total parameters (embedding and LM head included); derived when `None`.
    pub total_params: Option<f64>,
    /// Published active parameters per token; derived when `None`.
    pub active_params: Option<f64>,
    /// Layers of other attention kinds: linear (recurrent-state) layers and sparse top-k
    /// attention on the full-attention layers. All absent by default (one attention kind).
    #[serde(flatten)]
    pub layer_kinds: LayerKinds,
}

/// Attention kinds beside full attention (GQA/MLA) and the sliding window: a model is the
/// layer groups full (L − L_window − L_linear), sliding window (L_window) and linear
/// (L_linear); the full-attention layers may attend sparsely to their top k tokens.
/// Every field is absent (0 / `None`) by default, and then left out of files.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LayerKinds {
    /// Layers with linear attention (Gated DeltaNet, Kimi Delta Attention, lightning
    /// attention): a fixed state per sequence instead of a KV cache, L_linear.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub linear_attention_layers: u32,
    /// Key (and query) heads of a linear-attention layer, H_k.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linear_key_heads: Option<u32>,
    /// Value heads of a linear-attention layer, H_v (each holds a d_k × d_v state).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linear_value_heads: Option<u32>,
    /// Key head dimension of a linear-attention layer, d_k.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linear_key_head_dim: Option<u64>,
    /// Value head dimension of a linear-attention layer, d_v.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linear_value_head_dim: Option<u64>,
    /// Short causal convolution kernel K over q, k and v (Gated DeltaNet, KDA); `None`: none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linear_conv_kernel: Option<u64>,
    /// Precision of the linear-attention state; `None`: the KV cache's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linear_state_precision: Option<Precision>,
    /// Sparse attention (DeepSeek Sparse Attention): each full-attention layer attends only
    /// to the top k tokens its indexer selects; `None`: dense attention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sparse_top_k: Option<u64>,
    /// Indexer heads, H_I.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexer_heads: Option<u32>,
    /// Indexer head dimension, d_I (one cached index key of d_I per token per layer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexer_head_dim: Option<u64>,
    /// Precision of the cached index keys; `None`: the KV cache's. At 1 byte or less each
    /// 128 elements carry one fp32 scale (DeepSeek-V3.2: 128 fp8 + 4 bytes per token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexer_key_precision: Option<Precision>,
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

impl LayerKinds {
    /// No linear or sparse layers: the model has one attention kind (and maybe a window).
    pub const NONE: LayerKinds = LayerKinds {
        linear_attention_layers: 0,
        linear_key_heads: None,
        linear_value_heads: None,
        linear_key_head_dim: None,
        linear_value_head_dim: None,
        linear_conv_kernel: None,
        linear_state_precision: None,
        sparse_top_k: None,
        indexer_heads: None,
        indexer_head_dim: None,
        indexer_key_precision: None,
    };
}

impl Default for ModelSpec {
    /// Llama 3.1 70B (meta-llama/Llama-3.1-70B config.json).
    fn default() -> Self {
        ModelSpec {
            name: "Llama 3.1 70B".into(),
            layers: 80,
            hidden_size: 8192,
            intermediate_size: 28672,
            attention_heads: 64,
            kv_heads: 8,
            head_dim: 128,
            vocab_size: 128256,
            tied_embeddings: false,
            attention: Attention::Gqa,
            kv_lora_rank: None,
            qk_rope_head_dim: None,
            q_lora_rank: None,
            sliding_window: None,
            sliding_window_layers: 0,
            moe: None,
            total_params: Some(70.6e9),
            active_params: Some(70.6e9),
            layer_kinds: LayerKinds::NONE,
        }
    }
}

/// One chip's specification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HardwareSpec {
    pub name: String,
    /// Dense peak FLOP/s per compute precision.
    pub peak_flops: BTreeMap<Precision, f64>,
    /// HBM bandwidth, bytes/s.
    pub memory_bandwidth: f64,
    /// HBM capacity, bytes.
    pub memory_capacity: f64,
    /// Scale-up link bandwidth per chip, one direction, bytes/s.
    pub interconnect_bandwidth: f64,
    /// Rental price, USD per chip-hour.
    pub price_per_hour: f64,
    /// Board power, watts.
    pub power: f64,
    /// GEMM tile edge the kernels use, elements (default 128).
    pub tile_size: u32,
    /// Streaming multiprocessors (or compute units / matrix units) that run tiles in
    /// parallel, one wave = this many tiles (default 132, the H100 SXM's count).
    pub streaming_multiprocessors: u32,
    /// Chips per scale-up (NVLink) domain: an all-to-all beyond it crosses the scale-out
    /// network (default 8, an HGX server).
    #[serde(default = "default_scale_up_domain")]
    pub scale_up_domain: u32,
    /// Scale-out network bandwidth per chip, one direction, bytes/s (default 50 GB/s, one
    /// 400 Gb/s NIC per GPU).
    #[serde(default = "default_scale_out_bandwidth")]
    pub scale_out_bandwidth: f64,
    /// Host (CPU) memory per chip that KV may overflow into when `kv_offload` is on, bytes
    /// (default 256 GB: an HGX server's 2 TB over its 8 GPUs, an assumption).
    #[serde(default = "default_host_memory_capacity")]
    pub host_memory_capacity: f64,
    /// Bandwidth of the path between host memory and the chip, one direction, bytes/s
    /// (default 64 GB/s: PCIe Gen5 x16, raw).
    #[serde(default = "default_host_link_bandwidth")]
    pub host_link_bandwidth: f64,
}

fn default_scale_up_domain() -> u32 {
    HardwareSpec::DEFAULT_SCALE_UP_DOMAIN
}

fn default_scale_out_bandwidth() -> f64 {
    HardwareSpec::DEFAULT_SCALE_OUT_BANDWIDTH
}

fn default_host_memory_capacity() -> f64 {
    HardwareSpec::DEFAULT_HOST_MEMORY_CAPACITY
}

fn default_host_link_bandwidth() -> f64 {
    HardwareSpec::DEFAULT_HOST_LINK_BANDWIDTH
}

impl HardwareSpec {
    /// Chips per scale-up domain when a chip does not say: 8 (an HGX server).
    pub const DEFAULT_SCALE_UP_DOMAIN: u32 = 8;
    /// Scale-out bandwidth per chip when a chip does not say: 50 GB/s (400 Gb/s NIC).
    pub const DEFAULT_SCALE_OUT_BANDWIDTH: f64 = 50e9;
    /// Host memory per chip when a chip does not say: 256 GB, bytes (an HGX H100/H200/B200
    /// server typically has 2 TB of DDR5 for its 8 GPUs; an assumption, not a spec).
    pub const DEFAULT_HOST_MEMORY_CAPACITY: f64 = 256e9;
    /// Host link bandwidth per chip when a chip does not say: 64 GB/s one direction, bytes/s
    /// (PCIe Gen5 x16: 32 GT/s × 16 lanes ÷ 8, raw).
    pub const DEFAULT_HOST_LINK_BANDWIDTH: f64 = 64e9;

    /// Peak FLOP/s at `p`, if the chip lists it.
    pub fn peak_at(&self, p: Precision) -> Option<f64> {
        self.peak_flops.get(&p).copied()
    }
}

impl Default for HardwareSpec {
    /// NVIDIA H100 SXM5 80GB: dense bf16 989.4 TFLOP/s, fp8 1978.9, 3.35 TB/s, 80 GB,
    /// NVLink 450 GB/s each way, 700 W, $2.95/h (mid of the 1.90–3.99 cloud range).
    fn default() -> Self {
        let mut peak_flops = BTreeMap::new();
        peak_flops.insert(Precision::Bf16, 989.4e12);
        peak_flops.insert(Precision::Fp16, 989.4e12);
        peak_flops.insert(Precision::Fp8, 1978.9e12);
        peak_flops.insert(Precision::Int8, 1978.9e12);
        HardwareSpec {
            name: "H100 SXM".into(),
            peak_flops,
            memory_bandwidth: 3.35e12,
            memory_capacity: 80e9,
            interconnect_bandwidth: 450e9,
            price_per_hour: 2.95,
            power: 700.0,
            tile_size: 128,
            streaming_multiprocessors: 132,
            scale_up_domain: HardwareSpec::DEFAULT_SCALE_UP_DOMAIN,
            scale_out_bandwidth: HardwareSpec::DEFAULT_SCALE_OUT_BANDWIDTH,
            host_memory_capacity: HardwareSpec::DEFAULT_HOST_MEMORY_CAPACITY,
            host_link_bandwidth: HardwareSpec::DEFAULT_HOST_LINK_BANDWIDTH,
        }
    }
}

/// Number formats of weights, KV cache and arithmetic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrecisionSpec {
    pub weights: Precision,
    pub kv_cache: Precision,
    /// Selects the `peak_flops` entry.
    pub compute: Precision,
}

impl Default for PrecisionSpec {
    /// bf16 everywhere.
    fn default() -> Self {
        PrecisionSpec {
            weights: Precision::Bf16,
            kv_cache: Precision::Bf16,
            compute: Precision::Bf16,
        }
    }
}

/// The requests being served.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Workload {
    /// Concurrent requests in the whole system, B.
    pub batch_size: u64,
    /// Prompt tokens per request, n_in.
    pub input_tokens: u64,
    /// Generated tokens per request, n_out.
    pub output_tokens: u64,
    /// KV length of the decode step; `None` means n_in + n_out ÷ 2.
    pub context_length: Option<u64>,
    /// Input tokens of each request already in the prefix cache, n_cached ≤ n_in (0: none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cached_input_tokens: u64,
    /// Whether the cached prefix is one copy shared by every request or private to each.
    #[serde(default, skip_serializing_if = "PrefixSharing::is_private")]
    pub prefix_sharing: PrefixSharing,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

/// Who holds a cached prefix's KV: each request its own copy, or one copy for all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrefixSharing {
    /// Every request holds its own prefix KV (different conversations, each re-read).
    #[default]
    Private,
    /// One copy of the prefix KV serves every request (one system prompt or document).
    Shared,
}

impl PrefixSharing {
    /// `"private"` or `"shared"`, as in files and links.
    pub fn name(self) -> &'static str {
        match self {
            PrefixSharing::Private => "private",
            PrefixSharing::Shared => "shared",
        }
    }

    fn is_private(&self) -> bool {
        *self == PrefixSharing::Private
    }
}

impl Default for Workload {
    /// 64 concurrent requests, 1,024 tokens in, 1,024 out.
    fn default() -> Self {
        Workload {
            batch_size: 64,
            input_tokens: 1024,
            output_tokens: 1024,
            context_length: None,
            cached_input_tokens: 0,
            prefix_sharing: PrefixSharing::Private,
        }
    }
}

/// One serving setup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    pub version: u32,
    pub model: ModelSpec,
    pub hardware: HardwareSpec,
    /// Number of chips, N.
    pub chips: u32,
    pub parallelism: Parallelism,
    pub precision: PrecisionSpec,
    pub workload: Workload,
    pub efficiency: Efficiency,
    /// Energy per byte moved and per FLOP (an extension of SCENARIO.md; optional).
    pub energy: EnergyCosts,
    /// Speculative decoding; `None` (the default): one token per step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speculative: Option<Speculative>,
    /// Prefill and decode on separate pools (off by default; left out of JSON when off).
    #[serde(skip_serializing_if = "Disaggregation::is_default")]
    pub disaggregation: Disaggregation,
    /// KV that does not fit in HBM overflows into host memory (`hardware.host_*`) and is
    /// read over the host link each step (off by default; left out of JSON when off).
    #[serde(default, skip_serializing_if = "is_false")]
    pub kv_offload: bool,
}

fn is_false(v: &bool) -> bool {
    !*v
}

impl Default for Scenario {
    /// Llama 3.1 70B on 8 × H100 SXM, bf16, batch 64, 1k in / 1k out, realistic efficiency.
    fn default() -> Self {
        Scenario {
            version: FORMAT_VERSION,
            model: ModelSpec::default(),
            hardware: HardwareSpec::default(),
            chips: 8,
            parallelism: Parallelism::Tensor,
            precision: PrecisionSpec::default(),
            workload: Workload::default(),
            efficiency: Efficiency::default(),
            energy: EnergyCosts::default(),
            speculative: None,
            disaggregation: Disaggregation::OFF,
            kv_offload: false,
        }
    }
}

impl Scenario {
    /// Parses a scenario from JSON and validates it; errors name the field.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let scenario: Scenario = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            ScenarioError::new(field, clean_serde_message(&e.inner().to_string()))
        })?;
        de.end()
            .map_err(|e| ScenarioError::new("", clean_serde_message(&e.to_string())))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Pretty JSON of this scenario.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The KV length of the decode step: the explicit context, or n_in + n_out ÷ 2.
    pub fn decode_context(&self) -> f64 {
        match self.workload.context_length {
            Some(c) => c as f64,
            None => self.workload.input_tokens as f64 + self.workload.output_tokens as f64 / 2.0,
        }
    }

    /// Peak FLOP/s at the compute precision, or an error naming the missing entry.
    pub fn peak_flops(&self) -> Result<f64, ScenarioError> {
        let p = self.precision.compute;
        self.hardware.peak_flops.get(&p).copied().ok_or_else(|| {
            ScenarioError::new(
                format!("hardware.peak_flops.{p}"),
                format!(
                    "{} has no {p} peak FLOP/s; add it or choose another compute precision",
                    self.hardware.name
                ),
            )
        })
    }

    /// Checks every field; the first problem found is returned.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// serde_json messages carry "at line 1 column 7"; the field path says where instead.
fn clean_serde_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_round_trips() {
        let s = Scenario::default();
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(Scenario::from_json(&s.to_json()), Ok(s));
    }

    #[test]
    fn empty_object_takes_defaults() {
        assert_eq!(Scenario::from_json("{}"), Ok(Scenario::default()));
    }

    #[test]
    fn unknown_field_is_named() {
        let e = Scenario::from_json(r#"{"model": {"layerz": 3}}"#).unwrap_err();
        assert_eq!(e.field, "model.layerz");
        assert!(e.problem.contains("layerz"), "{e}");
    }

    #[test]
    fn wrong_type_is_named() {
        let e = Scenario::from_json(r#"{"workload": {"batch_size": "many"}}"#).unwrap_err();
        assert_eq!(e.field, "workload.batch_size");
    }

    #[test]
    fn zero_batch_is_named() {
        let e = Scenario::from_json(r#"{"workload": {"batch_size": 0}}"#).unwrap_err();
        assert_eq!(e.field, "workload.batch_size");
        assert!(e.problem.contains("at least 1"));
    }

    #[test]
    fn missing_compute_precision_is_an_error() {
        let e = Scenario::from_json(r#"{"precision": {"compute": "fp4"}}"#).unwrap_err();
        assert_eq!(e.field, "precision.compute");
    }

    #[test]
    fn expert_parallel_needs_moe() {
        let e = Scenario::from_json(r#"{"parallelism": "expert"}"#).unwrap_err();
        assert_eq!(e.field, "parallelism");
    }

    #[test]
    fn precision_bytes() {
        assert_eq!(Precision::Fp4.bytes(), 0.5);
        assert_eq!(Precision::parse("BF16"), Some(Precision::Bf16));
        assert_eq!(Precision::parse("bf17"), None);
    }
}
