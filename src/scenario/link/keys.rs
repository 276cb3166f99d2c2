//! The key table: one line per link key, naming its [`Field`] and how the link reads and
//! writes it (through [`LinkValue`]).

use super::super::fields::{self, Field};
use super::super::{Moe, Precision, Scenario, Speculative, SpeculativeMethod};
use super::value::{is_none_word, quote, LinkValue, NONE};
use super::EXTRA_KEYS;

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
    /// The scenario field, as a dotted path like [`super::super::ScenarioError::field`].
    pub field: &'static str,
    /// Which part of the scenario it belongs to.
    pub group: KeyGroup,
}

/// How a key is treated beyond reading and writing its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// An ordinary value.
    Plain,
    /// A name: may be empty; cut to `MAX_NAME_BYTES`.
    Name,
    /// `m.moe`: only `none` (makes the model dense); written when the base is MoE.
    MoeSwitch,
    /// A field of the MoE shape: absent on a dense model; a dense model it makes MoE starts
    /// from [`Moe::EMPTY`]; reset to dense when the base is dense.
    MoePart,
}

type Getter = fn(&Scenario) -> String;
type Setter = fn(&mut Scenario, &str) -> Result<(), String>;

/// One key: its table row, its kind, and how to read and write it as link text.
pub(super) struct Entry {
    pub info: KeyInfo,
    pub kind: Kind,
    pub get: Getter,
    pub set: Setter,
}

const fn starts_with(s: &str, prefix: &str) -> bool {
    let (s, p) = (s.as_bytes(), prefix.as_bytes());
    if s.len() < p.len() {
        return false;
    }
    let mut i = 0;
    while i < p.len() {
        if s[i] != p[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The key row of a field: its group follows from its path.
const fn info(f: &Field) -> KeyInfo {
    let group = if starts_with(f.path, "model.") {
        KeyGroup::Model
    } else if starts_with(f.path, "hardware.") {
        KeyGroup::Hardware
    } else {
        KeyGroup::Setup
    };
    KeyInfo {
        key: f.key,
        field: f.path,
        group,
    }
}

/// A key whose value is the scenario field at `$place`, written and read by [`LinkValue`].
macro_rules! key {
    ($field:ident, $kind:ident, $($place:ident).+) => {
        Entry {
            info: info(&fields::$field),
            kind: Kind::$kind,
            get: |s| s.$($place).+.to_link(),
            set: |s, v| {
                s.$($place).+ = LinkValue::from_link(v)?;
                Ok(())
            },
        }
    };
}

/// A field of the MoE shape (`none` on a dense model).
macro_rules! moe_key {
    ($field:ident, $name:ident) => {
        Entry {
            info: info(&fields::$field),
            kind: Kind::MoePart,
            get: |s| s.model.moe.as_ref().map(|m| m.$name).to_link(),
            set: |s, v| {
                let x = LinkValue::from_link(v)?;
                moe_mut(s).$name = x;
                Ok(())
            },
        }
    };
}

/// One precision's peak FLOP/s (`none` removes it).
macro_rules! flops_key {
    ($field:ident, $p:ident) => {
        Entry {
            info: info(&fields::$field),
            kind: Kind::Plain,
            get: |s| s.hardware.peak_flops.get(&Precision::$p).copied().to_link(),
            set: |s, v| set_flops(s, Precision::$p, v),
        }
    };
}

/// The key table, in the order links are written. `v`, `model` and `hw` are handled apart.
pub(super) const ENTRIES: &[Entry] = &[
    key!(MODEL_NAME, Name, model.name),
    key!(LAYERS, Plain, model.layers),
    key!(HIDDEN, Plain, model.hidden_size),
    key!(FFN, Plain, model.intermediate_size),
    key!(HEADS, Plain, model.attention_heads),
    key!(KV_HEADS, Plain, model.kv_heads),
    key!(HEAD_DIM, Plain, model.head_dim),
    key!(VOCAB, Plain, model.vocab_size),
    key!(TIED, Plain, model.tied_embeddings),
    key!(ATTENTION, Plain, model.attention),
    key!(KV_RANK, Plain, model.kv_lora_rank),
    key!(ROPE_DIM, Plain, model.qk_rope_head_dim),
    key!(Q_RANK, Plain, model.q_lora_rank),
    key!(WINDOW, Plain, model.sliding_window),
    key!(WINDOW_LAYERS, Plain, model.sliding_window_layers),
    key!(
        LINEAR_LAYERS,
        Plain,
        model.layer_kinds.linear_attention_layers
    ),
    key!(LINEAR_KEY_HEADS, Plain, model.layer_kinds.linear_key_heads),
    key!(
        LINEAR_VALUE_HEADS,
        Plain,
        model.layer_kinds.linear_value_heads
    ),
    key!(LINEAR_KEY_DIM, Plain, model.layer_kinds.linear_key_head_dim),
    key!(
        LINEAR_VALUE_DIM,
        Plain,
        model.layer_kinds.linear_value_head_dim
    ),
    key!(LINEAR_CONV, Plain, model.layer_kinds.linear_conv_kernel),
    key!(
        LINEAR_PRECISION,
        Plain,
        model.layer_kinds.linear_state_precision
    ),
    key!(SPARSE_TOP_K, Plain, model.layer_kinds.sparse_top_k),
    key!(INDEXER_HEADS, Plain, model.layer_kinds.indexer_heads),
    key!(INDEXER_DIM, Plain, model.layer_kinds.indexer_head_dim),
    key!(
        INDEXER_PRECISION,
        Plain,
        model.layer_kinds.indexer_key_precision
    ),
    Entry {
        info: info(&fields::MOE),
        kind: Kind::MoeSwitch,
        get: |s| if s.model.moe.is_some() { "yes" } else { NONE }.into(),
        set: set_moe_switch,
    },
    moe_key!(EXPERTS, experts),
    moe_key!(TOP_K, experts_per_token),
    moe_key!(SHARED, shared_experts),
    moe_key!(EXPERT_FFN, expert_intermediate_size),
    moe_key!(DENSE_LAYERS, dense_layers),
    key!(TOTAL_PARAMS, Plain, model.total_params),
    key!(ACTIVE_PARAMS, Plain, model.active_params),
    key!(HARDWARE_NAME, Name, hardware.name),
    flops_key!(FLOPS_FP32, Fp32),
    flops_key!(FLOPS_BF16, Bf16),
    flops_key!(FLOPS_FP16, Fp16),
    flops_key!(FLOPS_FP8, Fp8),
    flops_key!(FLOPS_INT8, Int8),
    flops_key!(FLOPS_FP4, Fp4),
    flops_key!(FLOPS_INT4, Int4),
    key!(BANDWIDTH, Plain, hardware.memory_bandwidth),
    key!(CAPACITY, Plain, hardware.memory_capacity),
    key!(LINK_BANDWIDTH, Plain, hardware.interconnect_bandwidth),
    key!(PRICE, Plain, hardware.price_per_hour),
    key!(POWER, Plain, hardware.power),
    key!(TILE, Plain, hardware.tile_size),
    key!(SMS, Plain, hardware.streaming_multiprocessors),
    key!(SCALE_UP_DOMAIN, Plain, hardware.scale_up_domain),
    key!(SCALE_OUT_BANDWIDTH, Plain, hardware.scale_out_bandwidth),
    key!(HOST_MEMORY, Plain, hardware.host_memory_capacity),
    key!(HOST_LINK_BANDWIDTH, Plain, hardware.host_link_bandwidth),
    key!(CHIPS, Plain, chips),
    key!(PARALLELISM, Plain, parallelism),
    key!(WEIGHTS_PRECISION, Plain, precision.weights),
    key!(KV_PRECISION, Plain, precision.kv_cache),
    key!(COMPUTE_PRECISION, Plain, precision.compute),
    key!(BATCH, Plain, workload.batch_size),
    key!(INPUT, Plain, workload.input_tokens),
    key!(OUTPUT, Plain, workload.output_tokens),
    Entry {
        info: info(&fields::CONTEXT),
        kind: Kind::Plain,
        // `auto` rather than `none`: the default decode context.
        get: |s| match s.workload.context_length {
            Some(c) => c.to_link(),
            None => "auto".into(),
        },
        set: |s, v| {
            s.workload.context_length = LinkValue::from_link(v)?;
            Ok(())
        },
    },
    key!(CACHED_INPUT, Plain, workload.cached_input_tokens),
    key!(PREFIX_SHARING, Plain, workload.prefix_sharing),
    Entry {
        info: info(&fields::SPECULATIVE),
        kind: Kind::Plain,
        get: |s| match &s.speculative {
            Some(x) => x.method.name().into(),
            None => NONE.into(),
        },
        set: set_speculative,
    },
    Entry {
        info: info(&fields::SPEC_TOKENS),
        kind: Kind::Plain,
        get: |s| s.speculative.as_ref().map(|x| x.draft_tokens).to_link(),
        set: |s, v| {
            if spec_part_is_none(s, v)? {
                return Ok(());
            }
            let k = LinkValue::from_link(v)?;
            spec_mut(s).draft_tokens = k;
            Ok(())
        },
    },
    Entry {
        info: info(&fields::SPEC_ACCEPTANCE),
        kind: Kind::Plain,
        get: |s| s.speculative.as_ref().map(|x| x.acceptance_rate).to_link(),
        set: |s, v| {
            if spec_part_is_none(s, v)? {
                return Ok(());
            }
            let a = LinkValue::from_link(v)?;
            spec_mut(s).acceptance_rate = a;
            Ok(())
        },
    },
    Entry {
        info: info(&fields::SPEC_DRAFT),
        kind: Kind::Plain,
        get: |s| {
            s.speculative
                .as_ref()
                .and_then(|x| x.draft_model.clone())
                .to_link()
        },
        set: |s, v| {
            if is_none_word(v) {
                if let Some(x) = &mut s.speculative {
                    x.draft_model = None;
                }
                return Ok(());
            }
            let m = LinkValue::from_link(v)?;
            let x = spec_mut(s);
            x.method = SpeculativeMethod::Draft;
            x.draft_model = Some(m);
            Ok(())
        },
    },
    key!(EFF_COMPUTE, Plain, efficiency.compute),
    key!(EFF_BANDWIDTH, Plain, efficiency.bandwidth),
    key!(STEP_OVERHEAD, Plain, efficiency.step_overhead_seconds),
    key!(
        COLLECTIVE_LATENCY,
        Plain,
        efficiency.collective_latency_seconds
    ),
    key!(EFF_PREFILL, Plain, efficiency.prefill_compute),
    key!(EFF_ATTENTION, Plain, efficiency.attention_compute),
    key!(EFF_EXPERT, Plain, efficiency.expert_compute),
    key!(TOKEN_TILE, Plain, efficiency.token_tile),
    key!(DEQUANTIZE, Plain, efficiency.dequantize),
    key!(EXPERT_IMBALANCE, Plain, efficiency.expert_imbalance),
    key!(EFF_ALL_TO_ALL, Plain, efficiency.all_to_all),
    key!(COMM_OVERLAP, Plain, efficiency.comm_overlap),
    key!(
        SCALE_OUT_LATENCY,
        Plain,
        efficiency.scale_out_latency_seconds
    ),
    key!(REQUEST_OVERHEAD, Plain, efficiency.request_overhead_seconds),
    key!(SEQUENCE_LAYER, Plain, efficiency.sequence_layer_seconds),
    key!(JOULES_PER_BYTE, Plain, energy.joules_per_byte),
    key!(JOULES_PER_FLOP, Plain, energy.joules_per_flop),
    key!(KV_OFFLOAD, Plain, kv_offload),
    key!(PD, Plain, disaggregation.enabled),
    key!(
        PD_PREFILL_INSTANCES,
        Plain,
        disaggregation.prefill.instances
    ),
    key!(PD_PREFILL_CHIPS, Plain, disaggregation.prefill.chips),
    key!(PD_PREFILL_HARDWARE, Plain, disaggregation.prefill.hardware),
    key!(
        PD_PREFILL_PARALLELISM,
        Plain,
        disaggregation.prefill.parallelism
    ),
    key!(PD_DECODE_INSTANCES, Plain, disaggregation.decode.instances),
    key!(PD_DECODE_CHIPS, Plain, disaggregation.decode.chips),
    key!(PD_DECODE_HARDWARE, Plain, disaggregation.decode.hardware),
    key!(
        PD_DECODE_PARALLELISM,
        Plain,
        disaggregation.decode.parallelism
    ),
    key!(PD_LINK_BANDWIDTH, Plain, disaggregation.link_bandwidth),
    key!(PD_LINK_LATENCY, Plain, disaggregation.link_latency_seconds),
    key!(PD_ARRIVAL_RATE, Plain, disaggregation.arrival_rate),
];

/// The link-level keys, before every field key.
const LINK_KEYS: [KeyInfo; 3] = [
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

/// The link-level keys, then every field key of the table, in link order.
pub const KEYS: &[KeyInfo] = &{
    let mut out = [LINK_KEYS[0]; LINK_KEYS.len() + ENTRIES.len()];
    let mut i = 0;
    while i < LINK_KEYS.len() {
        out[i] = LINK_KEYS[i];
        i += 1;
    }
    let mut j = 0;
    while j < ENTRIES.len() {
        out[LINK_KEYS.len() + j] = ENTRIES[j].info;
        j += 1;
    }
    out
};

/// The link key of a dotted scenario field (`workload.batch_size` → `batch`), if any.
pub fn key_for_field(field: &str) -> Option<&'static str> {
    if field == "hardware.peak_flops" {
        return Some("hw.flops");
    }
    // The method is the value of `spec`; a draft shape's own fields
    // (`speculative.draft_model.layers`) are parts of `spec.draft`.
    if field == "speculative.method" {
        return Some(fields::SPECULATIVE.key);
    }
    if field.starts_with("speculative.draft_model.") {
        return Some(fields::SPEC_DRAFT.key);
    }
    KEYS.iter().find(|k| k.field == field).map(|k| k.key)
}

/// Whether `key` is a view parameter passed through in [`super::LinkResult::extras`].
pub fn is_extra_key(key: &str) -> bool {
    EXTRA_KEYS.contains(&key)
}

/// The table entry of a link key.
pub(super) fn entry(key: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.info.key == key)
}

/// The table entry of a dotted scenario field.
pub(super) fn entry_for_field(field: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.info.field == field)
}

fn set_moe_switch(s: &mut Scenario, v: &str) -> Result<(), String> {
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

/// `spec`: `none`, `mtp` (the model's own heads) or `draft` (a draft model, given by
/// `spec.draft`); turning it on starts from [`Speculative::MTP_START`].
fn set_speculative(s: &mut Scenario, v: &str) -> Result<(), String> {
    if is_none_word(v) {
        s.speculative = None;
        return Ok(());
    }
    let method = match v.trim().to_ascii_lowercase().as_str() {
        "mtp" => SpeculativeMethod::Mtp,
        "draft" => SpeculativeMethod::Draft,
        _ => return Err(format!("must be none, mtp or draft, got {}", quote(v))),
    };
    let x = spec_mut(s);
    if method == SpeculativeMethod::Mtp {
        x.draft_model = None;
    }
    x.method = method;
    Ok(())
}

/// Whether a `spec.*` value is `none`: fine (nothing to do) while speculation is off, an
/// error while it is on.
fn spec_part_is_none(s: &Scenario, v: &str) -> Result<bool, String> {
    if !is_none_word(v) {
        return Ok(false);
    }
    if s.speculative.is_none() {
        Ok(true)
    } else {
        Err("takes a number; write spec=none to turn speculative decoding off".into())
    }
}

/// The speculation to edit; off, it first becomes [`Speculative::MTP_START`].
fn spec_mut(s: &mut Scenario) -> &mut Speculative {
    s.speculative.get_or_insert(Speculative::MTP_START)
}

fn moe_mut(s: &mut Scenario) -> &mut Moe {
    s.model.moe.get_or_insert(Moe::EMPTY)
}

fn set_flops(s: &mut Scenario, p: Precision, v: &str) -> Result<(), String> {
    match Option::<f64>::from_link(v)? {
        Some(x) => {
            s.hardware.peak_flops.insert(p, x);
        }
        None => {
            s.hardware.peak_flops.remove(&p);
        }
    }
    Ok(())
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
        assert_eq!(KEYS.len(), ENTRIES.len() + LINK_KEYS.len());
        for e in ENTRIES {
            let moe_field = e.info.field.starts_with("model.moe.");
            assert_eq!(moe_field, e.kind == Kind::MoePart, "{}", e.info.key);
            assert_eq!(entry_for_field(e.info.field).map(|f| f.info), Some(e.info));
        }
    }

    #[test]
    fn every_key_reads_what_it_writes() {
        let mut s = Scenario::default();
        s.model.moe = Some(Moe::switched_on(512));
        let mut with_draft = s.clone();
        with_draft.speculative = Some(Speculative {
            method: SpeculativeMethod::Draft,
            draft_tokens: 4,
            acceptance_rate: 0.7,
            draft_model: Some(crate::scenario::DraftModel::Preset("llama-3.1-8b".into())),
        });
        let mut with_mtp = s.clone();
        with_mtp.speculative = Some(Speculative::MTP_START);
        for s in [s, with_draft, with_mtp] {
            for e in ENTRIES.iter().filter(|e| e.kind != Kind::MoeSwitch) {
                let mut t = s.clone();
                assert_eq!((e.set)(&mut t, &(e.get)(&s)), Ok(()), "{}", e.info.key);
                assert_eq!(t, s, "{}", e.info.key);
            }
        }
    }
}
