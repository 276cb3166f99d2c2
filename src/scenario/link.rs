//! Share links: a whole [`Scenario`] as a short, readable, versioned URL query string.
//!
//! A link names the model and hardware presets it starts from and then lists only the
//! fields that differ, under short keys a person can edit by hand:
//!
//! ```text
//! v=1&model=llama-3.1-70b&hw=h100-sxm&batch=128&in=2048&eff.c=0.5
//! ```
//!
//! - `v` is the link format version ([`LINK_VERSION`]). It may be left out (read as 1).
//! - `model` and `hw` are preset ids (`model::presets`). Without them the base is
//!   [`ModelSpec::default`] / [`HardwareSpec::default`]. Every other field not in the link
//!   takes its preset value (model and hardware fields) or its [`Scenario::default`] value.
//! - Optional fields take `none` to clear them (`m.total=none` derives the parameter count,
//!   `m.moe=none` makes the model dense, `hw.flops.fp8=none` removes that peak); `ctx=auto`
//!   is the default decode context (n_in + n_out ÷ 2).
//! - A model that becomes MoE through the link starts from zero experts, so the link gives
//!   `m.experts`, `m.topk` and `m.expert_ff` (and `m.shared`, `m.dense_layers` if not 0).
//! - Numbers are written in Rust's shortest round-trip form (`{}` or `{:e}`, whichever is
//!   shorter), so every `f64` comes back bit for bit; `1e3`, `64` and ` 64 ` are all read.
//! - Names are cut to [`MAX_NAME_BYTES`] bytes of UTF-8; with that, the link of any scenario
//!   stays under [`MAX_LINK_CHARS`] characters (extras not counted).
//! - Keys are read case-insensitively; a key given twice keeps its first valid value.
//!
//! The full key table is [`KEYS`] (key → dotted scenario field).
//!
//! View parameters the app uses (which chart, embed mode, theme) are not scenario fields:
//! keys in [`EXTRA_KEYS`] pass through untouched into [`LinkResult::extras`], in link order.
//!
//! [`decode`] never fails and never panics: each unknown key, malformed or out-of-range value,
//! duplicate, unknown preset id or bad percent-encoding becomes a [`LinkProblem`] naming the
//! key, every valid part is kept, and any field the whole scenario still rejects
//! ([`Scenario::problems`]) falls back to its preset or default value, so
//! [`LinkResult::scenario`] is always valid. Problem messages quote user text truncated and
//! with control characters replaced; they are plain text and must be shown as text.

use super::{
    Attention, HardwareSpec, ModelSpec, Moe, Parallelism, Precision, Scenario, FORMAT_VERSION,
};
use crate::model::presets::{hardware_preset, hardware_presets, model_preset, model_presets};
use std::fmt;

/// The link format version this code writes and reads (`v=1`).
pub const LINK_VERSION: u32 = 1;

/// Every link [`encode`] makes for a scenario (without extras) is shorter than this.
pub const MAX_LINK_CHARS: usize = 2000;

/// Model and hardware names are cut to this many bytes of UTF-8 (at a character boundary).
pub const MAX_NAME_BYTES: usize = 64;

/// Extra (view) parameter values are cut to this many bytes of UTF-8.
pub const MAX_EXTRA_BYTES: usize = 256;

/// At most this many problems are listed; one more entry then says how many were left out.
pub const MAX_PROBLEMS: usize = 20;

/// Longest piece of user text quoted in a problem message, in characters.
const QUOTE_CHARS: usize = 40;

/// A query longer than this is reported (still decoded): the app's own links are far shorter.
const LONG_QUERY_CHARS: usize = 8 * 1024;

/// Keys that are not scenario fields but view parameters of the app, passed through in
/// [`LinkResult::extras`]:
///
/// | key | meaning (the UI decides) |
/// |---|---|
/// | `embed` | embed mode: show one chart or the results card alone |
/// | `chart` | which chart |
/// | `card` | which results card |
/// | `theme` | `light`, `dark` or system |
/// | `tab` | which tab or panel is open |
/// | `view` | which view of the page |
/// | `seed` | a random seed for anything sampled |
/// | `x`, `y` | the axes of a sweep chart |
/// | `scale` | linear or log axes |
/// | `sweep` | what a sweep varies |
/// | `compare` | a second setup to compare against |
pub const EXTRA_KEYS: &[&str] = &[
    "embed", "chart", "card", "theme", "tab", "view", "seed", "x", "y", "scale", "sweep", "compare",
];

/// View parameters of a link, in the order they appear: (key, value).
pub type LinkExtras = Vec<(String, String)>;

/// One thing wrong with a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkProblem {
    /// The link key it concerns (`batch`, `hw.flops.bf16`); empty when it concerns the
    /// link as a whole. User text here is truncated and cleaned like in `problem`.
    pub key: String,
    /// What is wrong and what was done instead, in plain words (plain text, never HTML).
    pub problem: String,
}

impl fmt::Display for LinkProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{}: {}", self.key, self.problem)
        }
    }
}

/// What [`decode`] makes of a link.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkResult {
    /// Always valid ([`Scenario::validate`] passes).
    pub scenario: Scenario,
    /// Everything that was wrong, in link order, then any fields reset by validation; at
    /// most [`MAX_PROBLEMS`] plus one "and N more problems" entry.
    pub problems: Vec<LinkProblem>,
    /// View parameters from [`EXTRA_KEYS`], in link order.
    pub extras: LinkExtras,
    /// The model preset id the link started from (known ids only).
    pub model_preset: Option<String>,
    /// The hardware preset id the link started from (known ids only).
    pub hardware_preset: Option<String>,
}

impl LinkResult {
    /// The value of an extra (view) parameter, if the link has it.
    pub fn extra(&self, key: &str) -> Option<&str> {
        self.extras
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Which part of the scenario a key belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyGroup {
    /// `v`, `model`, `hw`.
    Link,
    /// `m.*`: the model's shape (base: the model preset).
    Model,
    /// `hw.*`: the chip (base: the hardware preset).
    Hardware,
    /// Everything else (base: [`Scenario::default`]).
    Setup,
}

/// One key of the link format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    /// The key as written in a link.
    pub key: &'static str,
    /// The scenario field, as a dotted path like [`super::ScenarioError::field`].
    pub field: &'static str,
    pub group: KeyGroup,
}

type Getter = fn(&Scenario) -> String;
type Setter = fn(&mut Scenario, &str) -> Result<(), String>;

struct Entry {
    info: KeyInfo,
    get: Getter,
    set: Setter,
}

macro_rules! entry {
    ($key:literal, $field:literal, $group:ident, $get:expr, $set:expr) => {
        Entry {
            info: KeyInfo {
                key: $key,
                field: $field,
                group: KeyGroup::$group,
            },
            get: $get,
            set: $set,
        }
    };
}

macro_rules! flops_entry {
    ($key:literal, $field:literal, $p:ident) => {
        entry!(
            $key,
            $field,
            Hardware,
            |s| get_flops(s, Precision::$p),
            |s, v| set_flops(s, Precision::$p, v)
        )
    };
}

/// The key table, in the order links are written. `v`, `model` and `hw` are handled apart.
const ENTRIES: &[Entry] = &[
    entry!(
        "m.name",
        "model.name",
        Model,
        |s| s.model.name.clone(),
        |s, v| {
            s.model.name = v.to_string();
            Ok(())
        }
    ),
    entry!(
        "m.layers",
        "model.layers",
        Model,
        |s| s.model.layers.to_string(),
        |s, v| {
            s.model.layers = parse_u32(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.hidden",
        "model.hidden_size",
        Model,
        |s| s.model.hidden_size.to_string(),
        |s, v| {
            s.model.hidden_size = parse_u64(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.ff",
        "model.intermediate_size",
        Model,
        |s| s.model.intermediate_size.to_string(),
        |s, v| {
            s.model.intermediate_size = parse_u64(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.heads",
        "model.attention_heads",
        Model,
        |s| s.model.attention_heads.to_string(),
        |s, v| {
            s.model.attention_heads = parse_u32(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.kv_heads",
        "model.kv_heads",
        Model,
        |s| s.model.kv_heads.to_string(),
        |s, v| {
            s.model.kv_heads = parse_u32(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.head_dim",
        "model.head_dim",
        Model,
        |s| s.model.head_dim.to_string(),
        |s, v| {
            s.model.head_dim = parse_u64(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.vocab",
        "model.vocab_size",
        Model,
        |s| s.model.vocab_size.to_string(),
        |s, v| {
            s.model.vocab_size = parse_u64(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.tied",
        "model.tied_embeddings",
        Model,
        |s| s.model.tied_embeddings.to_string(),
        |s, v| {
            s.model.tied_embeddings = parse_bool(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.attn",
        "model.attention",
        Model,
        |s| attention_name(s.model.attention).into(),
        |s, v| {
            s.model.attention = parse_attention(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.kv_rank",
        "model.kv_lora_rank",
        Model,
        |s| opt_u64(s.model.kv_lora_rank),
        |s, v| {
            s.model.kv_lora_rank = parse_opt(v, parse_u64)?;
            Ok(())
        }
    ),
    entry!(
        "m.rope_dim",
        "model.qk_rope_head_dim",
        Model,
        |s| opt_u64(s.model.qk_rope_head_dim),
        |s, v| {
            s.model.qk_rope_head_dim = parse_opt(v, parse_u64)?;
            Ok(())
        }
    ),
    entry!(
        "m.q_rank",
        "model.q_lora_rank",
        Model,
        |s| opt_u64(s.model.q_lora_rank),
        |s, v| {
            s.model.q_lora_rank = parse_opt(v, parse_u64)?;
            Ok(())
        }
    ),
    entry!(
        "m.window",
        "model.sliding_window",
        Model,
        |s| opt_u64(s.model.sliding_window),
        |s, v| {
            s.model.sliding_window = parse_opt(v, parse_u64)?;
            Ok(())
        }
    ),
    entry!(
        "m.window_layers",
        "model.sliding_window_layers",
        Model,
        |s| s.model.sliding_window_layers.to_string(),
        |s, v| {
            s.model.sliding_window_layers = parse_u32(v)?;
            Ok(())
        }
    ),
    entry!(
        "m.moe",
        "model.moe",
        Model,
        |s| if s.model.moe.is_some() {
            "yes".into()
        } else {
            NONE.into()
        },
        |s, v| {
            if is_none_word(v) {
                s.model.moe = None;
                Ok(())
            } else {
                Err(format!(
                "only takes “none” (a dense model), got {}; give m.experts, m.topk and m.expert_ff for an MoE model",
                quote(v)
            ))
            }
        }
    ),
    entry!(
        "m.experts",
        "model.moe.experts",
        Model,
        |s| moe_get(s, |m| m.experts as u64),
        |s, v| {
            let x = parse_u32(v)?;
            moe_mut(s).experts = x;
            Ok(())
        }
    ),
    entry!(
        "m.topk",
        "model.moe.experts_per_token",
        Model,
        |s| moe_get(s, |m| m.experts_per_token as u64),
        |s, v| {
            let x = parse_u32(v)?;
            moe_mut(s).experts_per_token = x;
            Ok(())
        }
    ),
    entry!(
        "m.shared",
        "model.moe.shared_experts",
        Model,
        |s| moe_get(s, |m| m.shared_experts as u64),
        |s, v| {
            let x = parse_u32(v)?;
            moe_mut(s).shared_experts = x;
            Ok(())
        }
    ),
    entry!(
        "m.expert_ff",
        "model.moe.expert_intermediate_size",
        Model,
        |s| moe_get(s, |m| m.expert_intermediate_size),
        |s, v| {
            let x = parse_u64(v)?;
            moe_mut(s).expert_intermediate_size = x;
            Ok(())
        }
    ),
    entry!(
        "m.dense_layers",
        "model.moe.dense_layers",
        Model,
        |s| moe_get(s, |m| m.dense_layers as u64),
        |s, v| {
            let x = parse_u32(v)?;
            moe_mut(s).dense_layers = x;
            Ok(())
        }
    ),
    entry!(
        "m.total",
        "model.total_params",
        Model,
        |s| opt_f64(s.model.total_params),
        |s, v| {
            s.model.total_params = parse_opt(v, parse_f64)?;
            Ok(())
        }
    ),
    entry!(
        "m.active",
        "model.active_params",
        Model,
        |s| opt_f64(s.model.active_params),
        |s, v| {
            s.model.active_params = parse_opt(v, parse_f64)?;
            Ok(())
        }
    ),
    entry!(
        "hw.name",
        "hardware.name",
        Hardware,
        |s| s.hardware.name.clone(),
        |s, v| {
            s.hardware.name = v.to_string();
            Ok(())
        }
    ),
    flops_entry!("hw.flops.fp32", "hardware.peak_flops.fp32", Fp32),
    flops_entry!("hw.flops.bf16", "hardware.peak_flops.bf16", Bf16),
    flops_entry!("hw.flops.fp16", "hardware.peak_flops.fp16", Fp16),
    flops_entry!("hw.flops.fp8", "hardware.peak_flops.fp8", Fp8),
    flops_entry!("hw.flops.int8", "hardware.peak_flops.int8", Int8),
    flops_entry!("hw.flops.fp4", "hardware.peak_flops.fp4", Fp4),
    flops_entry!("hw.flops.int4", "hardware.peak_flops.int4", Int4),
    entry!(
        "hw.bw",
        "hardware.memory_bandwidth",
        Hardware,
        |s| fmt_f64(s.hardware.memory_bandwidth),
        |s, v| {
            s.hardware.memory_bandwidth = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "hw.mem",
        "hardware.memory_capacity",
        Hardware,
        |s| fmt_f64(s.hardware.memory_capacity),
        |s, v| {
            s.hardware.memory_capacity = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "hw.link",
        "hardware.interconnect_bandwidth",
        Hardware,
        |s| fmt_f64(s.hardware.interconnect_bandwidth),
        |s, v| {
            s.hardware.interconnect_bandwidth = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "hw.price",
        "hardware.price_per_hour",
        Hardware,
        |s| fmt_f64(s.hardware.price_per_hour),
        |s, v| {
            s.hardware.price_per_hour = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "hw.power",
        "hardware.power",
        Hardware,
        |s| fmt_f64(s.hardware.power),
        |s, v| {
            s.hardware.power = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "hw.tile",
        "hardware.tile_size",
        Hardware,
        |s| s.hardware.tile_size.to_string(),
        |s, v| {
            s.hardware.tile_size = parse_u32(v)?;
            Ok(())
        }
    ),
    entry!(
        "hw.sms",
        "hardware.streaming_multiprocessors",
        Hardware,
        |s| s.hardware.streaming_multiprocessors.to_string(),
        |s, v| {
            s.hardware.streaming_multiprocessors = parse_u32(v)?;
            Ok(())
        }
    ),
    entry!("chips", "chips", Setup, |s| s.chips.to_string(), |s, v| {
        s.chips = parse_u32(v)?;
        Ok(())
    }),
    entry!(
        "par",
        "parallelism",
        Setup,
        |s| parallelism_name(s.parallelism).into(),
        |s, v| {
            s.parallelism = parse_parallelism(v)?;
            Ok(())
        }
    ),
    entry!(
        "wprec",
        "precision.weights",
        Setup,
        |s| s.precision.weights.name().into(),
        |s, v| {
            s.precision.weights = parse_precision(v)?;
            Ok(())
        }
    ),
    entry!(
        "kvprec",
        "precision.kv_cache",
        Setup,
        |s| s.precision.kv_cache.name().into(),
        |s, v| {
            s.precision.kv_cache = parse_precision(v)?;
            Ok(())
        }
    ),
    entry!(
        "cprec",
        "precision.compute",
        Setup,
        |s| s.precision.compute.name().into(),
        |s, v| {
            s.precision.compute = parse_precision(v)?;
            Ok(())
        }
    ),
    entry!(
        "batch",
        "workload.batch_size",
        Setup,
        |s| s.workload.batch_size.to_string(),
        |s, v| {
            s.workload.batch_size = parse_u64(v)?;
            Ok(())
        }
    ),
    entry!(
        "in",
        "workload.input_tokens",
        Setup,
        |s| s.workload.input_tokens.to_string(),
        |s, v| {
            s.workload.input_tokens = parse_u64(v)?;
            Ok(())
        }
    ),
    entry!(
        "out",
        "workload.output_tokens",
        Setup,
        |s| s.workload.output_tokens.to_string(),
        |s, v| {
            s.workload.output_tokens = parse_u64(v)?;
            Ok(())
        }
    ),
    entry!(
        "ctx",
        "workload.context_length",
        Setup,
        |s| match s.workload.context_length {
            Some(c) => c.to_string(),
            None => "auto".into(),
        },
        |s, v| {
            s.workload.context_length = parse_opt(v, parse_u64)?;
            Ok(())
        }
    ),
    entry!(
        "eff.c",
        "efficiency.compute",
        Setup,
        |s| fmt_f64(s.efficiency.compute),
        |s, v| {
            s.efficiency.compute = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "eff.bw",
        "efficiency.bandwidth",
        Setup,
        |s| fmt_f64(s.efficiency.bandwidth),
        |s, v| {
            s.efficiency.bandwidth = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "eff.step",
        "efficiency.step_overhead_seconds",
        Setup,
        |s| fmt_f64(s.efficiency.step_overhead_seconds),
        |s, v| {
            s.efficiency.step_overhead_seconds = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "eff.coll",
        "efficiency.collective_latency_seconds",
        Setup,
        |s| fmt_f64(s.efficiency.collective_latency_seconds),
        |s, v| {
            s.efficiency.collective_latency_seconds = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "en.byte",
        "energy.joules_per_byte",
        Setup,
        |s| fmt_f64(s.energy.joules_per_byte),
        |s, v| {
            s.energy.joules_per_byte = parse_f64(v)?;
            Ok(())
        }
    ),
    entry!(
        "en.flop",
        "energy.joules_per_flop",
        Setup,
        |s| fmt_f64(s.energy.joules_per_flop),
        |s, v| {
            s.energy.joules_per_flop = parse_f64(v)?;
            Ok(())
        }
    ),
];

/// The link-level keys, then every field key of [`ENTRIES`], in link order.
pub const KEYS: &[KeyInfo] = &{
    const LINK: [KeyInfo; 3] = [
        KeyInfo {
            key: "v",
            field: "version",
            group: KeyGroup::Link,
        },
        KeyInfo {
            key: "model",
            field: "model",
            group: KeyGroup::Link,
        },
        KeyInfo {
            key: "hw",
            field: "hardware",
            group: KeyGroup::Link,
        },
    ];
    let mut out = [LINK[0]; 3 + ENTRIES.len()];
    let mut i = 0;
    while i < 3 {
        out[i] = LINK[i];
        i += 1;
    }
    let mut j = 0;
    while j < ENTRIES.len() {
        out[3 + j] = ENTRIES[j].info;
        j += 1;
    }
    out
};

/// The link key of a dotted scenario field (`workload.batch_size` → `batch`), if any.
pub fn key_for_field(field: &str) -> Option<&'static str> {
    if field == "hardware.peak_flops" {
        return Some("hw.flops");
    }
    KEYS.iter().find(|k| k.field == field).map(|k| k.key)
}

/// Whether `key` is a view parameter passed through in [`LinkResult::extras`].
pub fn is_extra_key(key: &str) -> bool {
    EXTRA_KEYS.contains(&key)
}

const NONE: &str = "none";

/// The MoE a link starts from when it makes a dense model MoE: all zeros.
const ZERO_MOE: Moe = Moe {
    experts: 0,
    experts_per_token: 0,
    shared_experts: 0,
    expert_intermediate_size: 0,
    dense_layers: 0,
};

fn is_moe_key(key: &str) -> bool {
    matches!(
        key,
        "m.experts" | "m.topk" | "m.shared" | "m.expert_ff" | "m.dense_layers"
    )
}

fn moe_get(s: &Scenario, f: fn(&Moe) -> u64) -> String {
    match &s.model.moe {
        Some(m) => f(m).to_string(),
        None => NONE.into(),
    }
}

fn moe_mut(s: &mut Scenario) -> &mut Moe {
    s.model.moe.get_or_insert(ZERO_MOE)
}

fn get_flops(s: &Scenario, p: Precision) -> String {
    match s.hardware.peak_flops.get(&p) {
        Some(v) => fmt_f64(*v),
        None => NONE.into(),
    }
}

fn set_flops(s: &mut Scenario, p: Precision, v: &str) -> Result<(), String> {
    match parse_opt(v, parse_f64)? {
        Some(x) => {
            s.hardware.peak_flops.insert(p, x);
        }
        None => {
            s.hardware.peak_flops.remove(&p);
        }
    }
    Ok(())
}

fn attention_name(a: Attention) -> &'static str {
    match a {
        Attention::Gqa => "gqa",
        Attention::Mla => "mla",
    }
}

fn parallelism_name(p: Parallelism) -> &'static str {
    match p {
        Parallelism::Tensor => "tensor",
        Parallelism::Expert => "expert",
    }
}

fn opt_u64(v: Option<u64>) -> String {
    match v {
        Some(x) => x.to_string(),
        None => NONE.into(),
    }
}

fn opt_f64(v: Option<f64>) -> String {
    match v {
        Some(x) => fmt_f64(x),
        None => NONE.into(),
    }
}

/// Shortest text that parses back to exactly `x`: `{}` or `{:e}`, whichever is shorter.
pub fn fmt_f64(x: f64) -> String {
    let plain = format!("{x}");
    let exp = format!("{x:e}");
    if exp.len() < plain.len() {
        exp
    } else {
        plain
    }
}

fn is_none_word(v: &str) -> bool {
    let t = v.trim();
    ["none", "null", "auto"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
}

fn parse_opt<T>(v: &str, parse: fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    if is_none_word(v) {
        Ok(None)
    } else {
        parse(v).map(Some)
    }
}

fn parse_f64(v: &str) -> Result<f64, String> {
    let t = v.trim();
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(format!("must be a finite number, got {}", quote(t))),
        Err(_) => Err(format!("{} is not a number", quote(t))),
    }
}

/// Largest integer an `f64` holds exactly, 2^53.
const MAX_EXACT_F64: f64 = 9_007_199_254_740_992.0;

fn parse_u64(v: &str) -> Result<u64, String> {
    let t = v.trim();
    if let Ok(x) = t.parse::<u64>() {
        return Ok(x);
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("is too large, got {}", quote(t)));
    }
    match t.parse::<f64>() {
        Ok(x) if !x.is_finite() => Err(format!("must be a whole number, got {}", quote(t))),
        Ok(x) if x < 0.0 => Err(format!("must not be negative, got {}", quote(t))),
        Ok(x) if x.fract() != 0.0 => Err(format!("must be a whole number, got {}", quote(t))),
        Ok(x) if x > MAX_EXACT_F64 => Err(format!("is too large, got {}", quote(t))),
        // Whole, non-negative and at most 2^53, so the conversion is exact.
        Ok(x) => Ok(x as u64),
        Err(_) => Err(format!("{} is not a whole number", quote(t))),
    }
}

fn parse_u32(v: &str) -> Result<u32, String> {
    let x = parse_u64(v)?;
    u32::try_from(x).map_err(|_| format!("is too large ({x}); at most {}", u32::MAX))
}

fn parse_bool(v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("must be true or false, got {}", quote(v))),
    }
}

fn parse_attention(v: &str) -> Result<Attention, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "gqa" => Ok(Attention::Gqa),
        "mla" => Ok(Attention::Mla),
        _ => Err(format!("must be gqa or mla, got {}", quote(v))),
    }
}

fn parse_parallelism(v: &str) -> Result<Parallelism, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "tensor" => Ok(Parallelism::Tensor),
        "expert" => Ok(Parallelism::Expert),
        _ => Err(format!("must be tensor or expert, got {}", quote(v))),
    }
}

fn parse_precision(v: &str) -> Result<Precision, String> {
    Precision::parse(v).ok_or_else(|| {
        let names: Vec<&str> = Precision::ALL.iter().map(|p| p.name()).collect();
        format!("must be one of {}, got {}", names.join(", "), quote(v))
    })
}

/// User text for a message: at most [`QUOTE_CHARS`] characters, control characters replaced.
fn clean(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(QUOTE_CHARS)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if text.chars().nth(QUOTE_CHARS).is_some() {
        out.push('…');
    }
    out
}

fn quote(text: &str) -> String {
    format!("“{}”", clean(text))
}

/// Cuts `s` to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

// ---------------------------------------------------------------------------------------
// Encoding

/// Percent-encodes a key or value: unreserved characters stay, a space becomes `+`, every
/// other byte becomes `%XX`.
fn push_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

/// The (key, value) pairs where `s` differs from `base`, in table order, for one group.
fn diff(s: &Scenario, base: &Scenario, group: KeyGroup) -> Vec<(&'static str, String)> {
    // A model made MoE by the link starts from ZERO_MOE.
    let moe_base = if s.model.moe.is_some() && base.model.moe.is_none() {
        let mut b = base.clone();
        b.model.moe = Some(ZERO_MOE);
        Some(b)
    } else {
        None
    };
    let mut out = Vec::new();
    for e in ENTRIES.iter().filter(|e| e.info.group == group) {
        let key = e.info.key;
        if key == "m.moe" {
            if s.model.moe.is_none() && base.model.moe.is_some() {
                out.push((key, NONE.to_string()));
            }
            continue;
        }
        if is_moe_key(key) && s.model.moe.is_none() {
            continue;
        }
        let b = if is_moe_key(key) {
            moe_base.as_ref().unwrap_or(base)
        } else {
            base
        };
        let mut v = (e.get)(s);
        if key == "m.name" || key == "hw.name" {
            v = cut(&v, MAX_NAME_BYTES).to_string();
        }
        if v != (e.get)(b) {
            out.push((key, v));
        }
    }
    out
}

fn with_model(m: &ModelSpec) -> Scenario {
    Scenario {
        model: m.clone(),
        ..Scenario::default()
    }
}

fn with_hardware(h: &HardwareSpec) -> Scenario {
    Scenario {
        hardware: h.clone(),
        ..Scenario::default()
    }
}

/// The model base for `s`: the requested preset if it exists, else the preset (or the
/// default, `None`) from which the fewest model keys differ; ties go to the earlier preset.
fn model_base(s: &Scenario, requested: Option<&str>) -> Option<&'static str> {
    if let Some(p) = requested.and_then(model_preset) {
        return Some(p.id.as_str());
    }
    let mut best: (usize, Option<&'static str>) =
        (diff(s, &Scenario::default(), KeyGroup::Model).len(), None);
    for p in model_presets() {
        let n = diff(s, &with_model(&p.spec), KeyGroup::Model).len();
        if n <= best.0 && (best.1.is_none() || n < best.0) {
            best = (n, Some(p.id.as_str()));
        }
    }
    best.1
}

fn hardware_base(s: &Scenario, requested: Option<&str>) -> Option<&'static str> {
    if let Some(p) = requested.and_then(hardware_preset) {
        return Some(p.id.as_str());
    }
    let mut best: (usize, Option<&'static str>) = (
        diff(s, &Scenario::default(), KeyGroup::Hardware).len(),
        None,
    );
    for p in hardware_presets() {
        let n = diff(s, &with_hardware(&p.spec), KeyGroup::Hardware).len();
        if n <= best.0 && (best.1.is_none() || n < best.0) {
            best = (n, Some(p.id.as_str()));
        }
    }
    best.1
}

/// The base scenario a link with these preset ids starts from.
fn base_scenario(model: Option<&str>, hw: Option<&str>) -> Scenario {
    let mut b = Scenario::default();
    if let Some(p) = model.and_then(model_preset) {
        b.model = p.spec.clone();
    }
    if let Some(p) = hw.and_then(hardware_preset) {
        b.hardware = p.spec.clone();
    }
    b
}

/// The link query (no leading `?`) for `s`: `v=1`, the nearest presets' ids, the keys that
/// differ from them (or from [`Scenario::default`]) in [`KEYS`] order, then the `extras`
/// whose keys are in [`EXTRA_KEYS`] (others are left out), in the order given.
///
/// For a valid scenario whose names fit [`MAX_NAME_BYTES`], `decode(&encode(s, x)).scenario
/// == *s` with no problems, and the scenario part is under [`MAX_LINK_CHARS`] characters.
pub fn encode(s: &Scenario, extras: &[(String, String)]) -> String {
    encode_with_presets(s, None, None, extras)
}

/// As [`encode`], but starts from the given preset ids where they exist (the presets the
/// page shows as chosen) instead of the nearest ones. The scenario decoded is the same.
pub fn encode_with_presets(
    s: &Scenario,
    model: Option<&str>,
    hw: Option<&str>,
    extras: &[(String, String)],
) -> String {
    let model_id = model_base(s, model);
    let hw_id = hardware_base(s, hw);
    let base = base_scenario(model_id, hw_id);
    let mut pairs: Vec<(&str, String)> = vec![("v", LINK_VERSION.to_string())];
    if let Some(id) = model_id {
        pairs.push(("model", id.to_string()));
    }
    if let Some(id) = hw_id {
        pairs.push(("hw", id.to_string()));
    }
    for g in [KeyGroup::Model, KeyGroup::Hardware, KeyGroup::Setup] {
        pairs.extend(diff(s, &base, g));
    }
    let mut out = String::new();
    for (k, v) in &pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        push_encoded(&mut out, v);
    }
    for (k, v) in extras.iter().filter(|(k, _)| is_extra_key(k)) {
        out.push('&');
        out.push_str(k);
        if !v.is_empty() {
            out.push('=');
            push_encoded(&mut out, cut(v, MAX_EXTRA_BYTES));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Decoding

struct Problems {
    list: Vec<LinkProblem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, key: &str, problem: String) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(LinkProblem {
                key: clean(key),
                problem,
            });
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self) -> Vec<LinkProblem> {
        if self.more > 0 {
            let n = self.more;
            self.list.push(LinkProblem {
                key: String::new(),
                problem: format!("and {n} more problem{}", if n == 1 { "" } else { "s" }),
            });
        }
        self.list
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes (and `+` → space); errors say what is wrong.
fn percent_decode(raw: &str) -> Result<String, String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let pair = (
                    bytes.get(i + 1).copied().and_then(hex),
                    bytes.get(i + 2).copied().and_then(hex),
                );
                match pair {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 3;
                    }
                    _ => {
                        let end = raw.len().min(i + 3);
                        let bad = raw.get(i..end).unwrap_or("%");
                        return Err(format!(
                            "has invalid percent-encoding {} (% must be followed by two hex digits)",
                            quote(bad)
                        ));
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "is not valid UTF-8 once percent-decoded".to_string())
}

/// The query part of a link, URL or query string: what follows the first `?`, up to `#`.
/// A `?` after the first `=` or `&` is part of a value (`m.name=Why?`), not the start.
fn query_part(input: &str) -> &str {
    let t = input.trim();
    let q = match t.find('?') {
        Some(i) if !t[..i].contains(['=', '&']) => &t[i + 1..],
        _ if t.contains("://") && !t.contains('?') => "",
        _ => t,
    };
    match q.find('#') {
        Some(i) => &q[..i],
        None => q,
    }
}

fn entry(key: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.info.key == key)
}

/// Reads a link: a query string (with or without `?`) or a whole URL (`#…` ignored).
/// Never fails: see the module documentation.
pub fn decode(query: &str) -> LinkResult {
    let mut problems = Problems {
        list: Vec::new(),
        more: 0,
    };
    let q = query_part(query);
    let chars = q.chars().count();
    if chars > LONG_QUERY_CHARS {
        problems.push(
            "",
            format!(
                "the link is {chars} characters long; links this app makes are under {MAX_LINK_CHARS}"
            ),
        );
    }

    // 1. Split into (key, value) pairs, percent-decoded; report what cannot be read.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let segments: Vec<&str> = q.split('&').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            if i != last && !q.is_empty() {
                problems.push("", "an empty parameter (“&&” or a leading “&”)".into());
            }
            continue;
        }
        let (raw_key, raw_value) = match seg.find('=') {
            Some(j) => (&seg[..j], Some(&seg[j + 1..])),
            None => (*seg, None),
        };
        let key = match percent_decode(raw_key) {
            Ok(k) => k.trim().to_ascii_lowercase(),
            Err(e) => {
                problems.push(raw_key, format!("the key {e}"));
                continue;
            }
        };
        if key.is_empty() {
            problems.push("", format!("a parameter has no name ({})", quote(seg)));
            continue;
        }
        let extra = is_extra_key(&key);
        let value = match raw_value {
            None if extra => String::new(),
            None => {
                problems.push(&key, "has no value (write key=value)".into());
                continue;
            }
            Some(raw) => match percent_decode(raw) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(&key, format!("the value {e}"));
                    continue;
                }
            },
        };
        let is_name = key == "m.name" || key == "hw.name";
        if value.is_empty() && !extra && !is_name {
            problems.push(&key, "is empty".into());
            continue;
        }
        pairs.push((key, value));
    }

    // 2. Version, then the presets, then every other key in link order.
    let mut taken: Vec<&str> = Vec::new();
    let mut extras: LinkExtras = Vec::new();
    let mut model_id: Option<String> = None;
    let mut hw_id: Option<String> = None;
    for (key, value) in &pairs {
        let key = key.as_str();
        if !matches!(key, "v" | "model" | "hw") {
            continue;
        }
        if taken.contains(&key) {
            problems.push(key, "is given more than once; kept the first value".into());
            continue;
        }
        match key {
            "v" => match parse_u64(value) {
                Ok(v) if v == LINK_VERSION as u64 => taken.push("v"),
                Ok(v) => {
                    taken.push("v");
                    problems.push(
                        key,
                        format!(
                            "link format version {v} is not one this app reads; read as version {LINK_VERSION}, so some parts may be lost"
                        ),
                    );
                }
                Err(e) => problems.push(key, format!("{e}; read as version {LINK_VERSION}")),
            },
            "model" => match model_preset(value.trim()) {
                Some(p) => {
                    taken.push("model");
                    model_id = Some(p.id.clone());
                }
                None => problems.push(
                    key,
                    format!(
                        "unknown model preset {}; starting from {} instead",
                        quote(value),
                        ModelSpec::default().name
                    ),
                ),
            },
            _ => match hardware_preset(value.trim()) {
                Some(p) => {
                    taken.push("hw");
                    hw_id = Some(p.id.clone());
                }
                None => problems.push(
                    key,
                    format!(
                        "unknown hardware preset {}; starting from {} instead",
                        quote(value),
                        HardwareSpec::default().name
                    ),
                ),
            },
        }
    }
    let base = base_scenario(model_id.as_deref(), hw_id.as_deref());
    let mut s = base.clone();
    for (key, value) in &pairs {
        let key = key.as_str();
        if matches!(key, "v" | "model" | "hw") {
            continue;
        }
        if is_extra_key(key) {
            if extras.iter().any(|(k, _)| k == key) {
                problems.push(key, "is given more than once; kept the first value".into());
                continue;
            }
            let v = cut(value, MAX_EXTRA_BYTES);
            if v.len() < value.len() {
                problems.push(
                    key,
                    format!("is longer than {MAX_EXTRA_BYTES} bytes; shortened"),
                );
            }
            extras.push((key.to_string(), v.to_string()));
            continue;
        }
        let Some(e) = entry(key) else {
            problems.push(key, format!("unknown parameter (value {})", quote(value)));
            continue;
        };
        if taken.contains(&e.info.key) {
            problems.push(
                key,
                format!(
                    "is given more than once; kept the first value, ignored {}",
                    quote(value)
                ),
            );
            continue;
        }
        let mut v = value.as_str();
        if key == "m.name" || key == "hw.name" {
            v = cut(v, MAX_NAME_BYTES);
            if v.len() < value.len() {
                problems.push(
                    key,
                    format!("is longer than {MAX_NAME_BYTES} bytes; shortened"),
                );
            }
        }
        match (e.set)(&mut s, v) {
            Ok(()) => taken.push(e.info.key),
            Err(msg) => problems.push(key, msg),
        }
    }

    // 3. Whatever the whole scenario still rejects falls back to its base value.
    let scenario = repair(s, &base, &mut problems);
    LinkResult {
        scenario,
        problems: problems.finish(),
        extras,
        model_preset: model_id,
        hardware_preset: hw_id,
    }
}

/// Resets each field [`Scenario::problems`] names to its value in `base` (then the whole
/// model or hardware, then the whole scenario) until the scenario is valid.
fn repair(mut s: Scenario, base: &Scenario, problems: &mut Problems) -> Scenario {
    let mut reported: Vec<String> = Vec::new();
    for _round in 0..4 {
        let errors = s.problems();
        if errors.is_empty() {
            return s;
        }
        for err in errors {
            let key = key_for_field(&err.field).unwrap_or(err.field.as_str());
            let action = reset_field(&mut s, base, &err.field);
            if !reported.contains(&err.field) {
                reported.push(err.field.clone());
                problems.push(key, format!("{}; {action}", err.problem));
            }
        }
    }
    if s.problems().is_empty() {
        return s;
    }
    let fallback = if base.problems().is_empty() {
        base.clone()
    } else {
        Scenario::default()
    };
    problems.push(
        "",
        "the link's settings do not fit together; showing the starting setup instead".into(),
    );
    fallback
}

/// Resets one field to its base value; says what was done.
fn reset_field(s: &mut Scenario, base: &Scenario, field: &str) -> String {
    if field == "version" {
        s.version = FORMAT_VERSION;
        return format!("using version {FORMAT_VERSION}");
    }
    if field == "precision.compute" && !s.hardware.peak_flops.contains_key(&base.precision.compute)
    {
        // The base precision is missing too: take the first the chip has.
        let order = [
            Precision::Bf16,
            Precision::Fp16,
            Precision::Fp8,
            Precision::Int8,
            Precision::Fp32,
            Precision::Fp4,
            Precision::Int4,
        ];
        if let Some(p) = order
            .into_iter()
            .find(|p| s.hardware.peak_flops.contains_key(p))
        {
            s.precision.compute = p;
            return format!("using {p}, which this chip has");
        }
    }
    if let Some(e) = KEYS
        .iter()
        .position(|k| k.field == field)
        .and_then(|i| i.checked_sub(3))
        .and_then(|i| ENTRIES.get(i))
    {
        let key = e.info.key;
        if is_moe_key(key) && base.model.moe.is_none() {
            s.model.moe = None;
            return "the model stays dense, as it starts".into();
        }
        let before = (e.get)(s);
        let value = (e.get)(base);
        if value != before && (e.set)(s, &value).is_ok() {
            let shown = if value.is_empty() {
                "“”".to_string()
            } else {
                clean(&value)
            };
            return format!("using {shown} instead");
        }
    }
    if field == "hardware.peak_flops" {
        s.hardware.peak_flops = base.hardware.peak_flops.clone();
        return "using the starting chip's peak FLOP/s".into();
    }
    // Already at the base value (or no such key): reset the whole part it belongs to.
    if field.starts_with("model") {
        s.model = base.model.clone();
        format!("using the whole model {} instead", clean(&base.model.name))
    } else if field.starts_with("hardware") {
        s.hardware = base.hardware.clone();
        format!(
            "using the whole chip {} instead",
            clean(&base.hardware.name)
        )
    } else {
        "could not be fixed on its own".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for (i, a) in KEYS.iter().enumerate() {
            for b in &KEYS[i + 1..] {
                assert_ne!(a.key, b.key);
                assert_ne!(a.field, b.field);
            }
            assert!(!is_extra_key(a.key), "{} is both", a.key);
        }
        assert_eq!(KEYS.len(), ENTRIES.len() + 3);
    }

    #[test]
    fn numbers_round_trip_and_read_loosely() {
        for x in [
            0.4,
            2.95,
            3.35e12,
            31.2e-12,
            1e-300,
            0.1 + 0.2,
            989.4e12,
            5e-324,
        ] {
            assert_eq!(parse_f64(&fmt_f64(x)), Ok(x));
        }
        assert_eq!(fmt_f64(3.35e12), "3.35e12");
        assert_eq!(fmt_f64(0.65), "0.65");
        assert_eq!(parse_u64(" 64 "), Ok(64));
        assert_eq!(parse_u64("1e3"), Ok(1000));
        assert!(parse_u64("1.5").unwrap_err().contains("whole"));
        assert!(parse_u64("-3").unwrap_err().contains("negative"));
        assert!(parse_u32("5000000000").is_err());
        assert!(parse_f64("inf").is_err());
    }

    #[test]
    fn percent_coding() {
        let mut s = String::new();
        push_encoded(&mut s, "a b+c/é<");
        assert_eq!(s, "a+b%2Bc%2F%C3%A9%3C");
        assert_eq!(percent_decode(&s).as_deref(), Ok("a b+c/é<"));
        assert!(percent_decode("%G1").is_err());
        assert!(percent_decode("%").is_err());
        assert!(percent_decode("%FF").is_err());
    }

    #[test]
    fn query_part_of_urls() {
        assert_eq!(query_part("https://x.org/a?b=1#c"), "b=1");
        assert_eq!(query_part("?b=1"), "b=1");
        assert_eq!(query_part("b=1"), "b=1");
        assert_eq!(query_part("https://x.org/a"), "");
        assert_eq!(query_part("batch=8&m.name=Why?"), "batch=8&m.name=Why?");
        assert_eq!(query_part("https://x.org/a?m.name=Why?"), "m.name=Why?");
    }
}
