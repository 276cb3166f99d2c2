//! The test oracle: the JSON parser that read `data/hardware.json`, `data/models.json` and
//! `data/pricing.json` at run time before build.rs compiled them into tables, kept as it was
//! (tests only) so a unit test can check that the generated tables equal it field for field.

use super::estimates::{HARDWARE_ESTIMATES, PARALLEL_UNITS};
use super::presets::{scale_up_domain, Mark};
use crate::scenario::{Attention, HardwareSpec, LayerKinds, ModelSpec, Moe, Precision};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub const HARDWARE_JSON: &str = include_str!("../../data/hardware.json");
pub const MODELS_JSON: &str = include_str!("../../data/models.json");
pub const PRICING_JSON: &str = include_str!("../../data/pricing.json");

/// How one field of a preset was obtained.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldMark {
    /// Dotted field, e.g. `hardware.price_per_hour`.
    pub field: &'static str,
    pub mark: Mark,
    /// How the value was obtained, in plain words.
    pub note: String,
}

/// One accelerator preset.
#[derive(Clone, Debug, PartialEq)]
pub struct HardwarePreset {
    /// Stable id from the JSON (`h100-sxm`).
    pub id: String,
    pub name: String,
    pub vendor: String,
    /// Sources as the JSON lists them, joined with "; ".
    pub source: String,
    /// The JSON's verification statement (primary / secondary / unverified, per field).
    pub verification: String,
    /// How the fields this module computes or assumes were obtained.
    pub marks: Vec<FieldMark>,
    pub spec: HardwareSpec,
}

/// One model preset.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelPreset {
    /// Stable id from the JSON (`llama-3.1-70b`).
    pub id: String,
    pub name: String,
    /// Hugging Face repository.
    pub hf_repo: String,
    pub source: String,
    pub verification: String,
    /// Longest context the model supports, tokens.
    pub max_context: u64,
    pub marks: Vec<FieldMark>,
    pub spec: ModelSpec,
}

fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

fn num(v: &Value, key: &str) -> Option<f64> {
    v[key].as_f64().filter(|x| x.is_finite() && *x > 0.0)
}

fn int(v: &Value, key: &str) -> Option<u64> {
    v[key].as_u64()
}

/// Parses `data/hardware.json`; accelerators lacking bf16/fp16 peak, bandwidth, capacity or
/// link bandwidth are skipped (Groq, Cerebras and Apple entries). Errors on malformed JSON.
pub fn parse_hardware(json: &str) -> Result<Vec<HardwarePreset>, String> {
    let root: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let list = root["accelerators"]
        .as_array()
        .ok_or("hardware.json: no accelerators array")?;
    let mut out = Vec::new();
    for a in list {
        let id = text(a, "id");
        let mut peak_flops = BTreeMap::new();
        for (key, p) in [
            ("fp32_dense_tflops", Precision::Fp32),
            ("bf16_dense_tflops", Precision::Bf16),
            ("fp16_dense_tflops", Precision::Fp16),
            ("fp8_dense_tflops", Precision::Fp8),
            ("int8_dense_tops", Precision::Int8),
            ("fp4_dense_tflops", Precision::Fp4),
            ("int4_dense_tops", Precision::Int4),
        ] {
            if let Some(t) = num(a, key) {
                peak_flops.insert(p, t * 1e12);
            }
        }
        let (Some(bw), Some(mem), Some(link)) = (
            num(a, "hbm_bandwidth_tbps"),
            num(a, "memory_gb"),
            num(a, "scale_up_bw_gbps"),
        ) else {
            continue;
        };
        if !peak_flops.contains_key(&Precision::Bf16) && !peak_flops.contains_key(&Precision::Fp16)
        {
            continue;
        }
        let mut marks = vec![
            FieldMark {
                field: "hardware.peak_flops",
                mark: Mark::Sourced,
                note: "dense figures (*_dense_tflops / *_dense_tops) × 1e12".into(),
            },
            FieldMark {
                field: "hardware.interconnect_bandwidth",
                mark: Mark::Estimated,
                note: format!(
                    "half of scale_up_bw_gbps {link} GB/s ({}), one direction",
                    text(a, "scale_up_bw_direction")
                ),
            },
        ];
        let price = &a["cloud_usd_per_gpu_hour"];
        let price_per_hour = if let Some(r) = price["approx_range"].as_array() {
            let lo = r.first().and_then(Value::as_f64).unwrap_or(0.0);
            let hi = r.last().and_then(Value::as_f64).unwrap_or(lo);
            marks.push(FieldMark {
                field: "hardware.price_per_hour",
                mark: Mark::Sourced,
                note: format!(
                    "midpoint of the cloud range ${lo}–${hi} ({}, {})",
                    text(price, "as_of"),
                    text(price, "source")
                ),
            });
            (lo + hi) / 2.0
        } else if let Some(p) = num(price, "usd_per_chip_hour") {
            marks.push(FieldMark {
                field: "hardware.price_per_hour",
                mark: Mark::Sourced,
                note: format!("${p} ({}, {})", text(price, "as_of"), text(price, "source")),
            });
            p
        } else if let Some((_, _, p, note)) = HARDWARE_ESTIMATES
            .iter()
            .find(|(i, f, _, _)| *i == id && *f == "price_per_hour")
        {
            marks.push(FieldMark {
                field: "hardware.price_per_hour",
                mark: Mark::Estimated,
                note: (*note).into(),
            });
            *p
        } else {
            continue;
        };
        let power = match num(a, "tdp_w") {
            Some(w) => {
                marks.push(FieldMark {
                    field: "hardware.power",
                    mark: Mark::Sourced,
                    note: "tdp_w".into(),
                });
                w
            }
            None => {
                marks.push(FieldMark {
                    field: "hardware.power",
                    mark: Mark::Estimated,
                    note: "not published; 0 means unknown".into(),
                });
                0.0
            }
        };
        let (sms, tile) = match PARALLEL_UNITS.iter().find(|(i, ..)| *i == id) {
            Some((_, sms, tile, note)) => {
                marks.push(FieldMark {
                    field: "hardware.streaming_multiprocessors",
                    mark: Mark::Estimated,
                    note: (*note).into(),
                });
                (*sms, *tile)
            }
            None => {
                let d = HardwareSpec::default();
                (d.streaming_multiprocessors, d.tile_size)
            }
        };
        let (host_memory_capacity, host_link_bandwidth) = host_fields(a, &mut marks);
        out.push(HardwarePreset {
            name: text(a, "name"),
            vendor: text(a, "vendor"),
            source: text(a, "sources"),
            verification: text(a, "verification"),
            marks,
            spec: HardwareSpec {
                name: text(a, "name"),
                peak_flops,
                memory_bandwidth: bw * 1e12,
                memory_capacity: mem * 1e9,
                interconnect_bandwidth: link * 1e9 / 2.0,
                price_per_hour,
                power,
                tile_size: tile,
                streaming_multiprocessors: sms,
                scale_up_domain: scale_up_domain(&id),
                scale_out_bandwidth: HardwareSpec::DEFAULT_SCALE_OUT_BANDWIDTH
                    .min(link * 1e9 / 2.0),
                host_memory_capacity,
                host_link_bandwidth,
            },
            id,
        });
    }
    Ok(out)
}

/// The host memory per chip (bytes) and host link bandwidth (bytes/s, one direction) of an
/// accelerator entry: its `host_memory_gb_per_chip` and `host_link_gbps_each_way` (the note
/// in `host_note`), else [`HardwareSpec::DEFAULT_HOST_MEMORY_CAPACITY`] and
/// [`HardwareSpec::DEFAULT_HOST_LINK_BANDWIDTH`], marked estimated.
fn host_fields(a: &Value, marks: &mut Vec<FieldMark>) -> (f64, f64) {
    let note = text(a, "host_note");
    let memory = match num(a, "host_memory_gb_per_chip") {
        Some(gb) => {
            marks.push(FieldMark {
                field: "hardware.host_memory_capacity",
                mark: Mark::Estimated,
                note: format!("host_memory_gb_per_chip {gb} GB: {note}"),
            });
            gb * 1e9
        }
        None => {
            marks.push(FieldMark {
                field: "hardware.host_memory_capacity",
                mark: Mark::Estimated,
                note: "not in data/hardware.json; assumed 256 GB per chip (an HGX server's 2 TB over 8 GPUs)".into(),
            });
            HardwareSpec::DEFAULT_HOST_MEMORY_CAPACITY
        }
    };
    let link = match num(a, "host_link_gbps_each_way") {
        Some(g) => {
            marks.push(FieldMark {
                field: "hardware.host_link_bandwidth",
                mark: Mark::Sourced,
                note: format!(
                    "host_link_gbps_each_way {g} GB/s ({})",
                    text(a, "host_link")
                ),
            });
            g * 1e9
        }
        None => {
            marks.push(FieldMark {
                field: "hardware.host_link_bandwidth",
                mark: Mark::Estimated,
                note: "not in data/hardware.json; assumed PCIe Gen5 x16, 64 GB/s each way".into(),
            });
            HardwareSpec::DEFAULT_HOST_LINK_BANDWIDTH
        }
    };
    (memory, link)
}

/// Parses `data/models.json`. Errors name the model and the missing field.
pub fn parse_models(json: &str) -> Result<Vec<ModelPreset>, String> {
    let root: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let list = root["models"]
        .as_array()
        .ok_or("models.json: no models array")?;
    list.iter().map(parse_model).collect()
}

fn parse_model(m: &Value) -> Result<ModelPreset, String> {
    let id = text(m, "id");
    let need = |key: &str| int(m, key).ok_or_else(|| format!("models.json {id}: missing {key}"));
    let layers = need("num_hidden_layers")?;
    let heads = need("num_attention_heads")?;
    let mut marks = Vec::new();
    let mla = m["kv_lora_rank"].is_u64();
    let head_dim = if mla {
        let hd = need("qk_nope_head_dim")? + need("qk_rope_head_dim")?;
        marks.push(FieldMark {
            field: "model.head_dim",
            mark: Mark::Sourced,
            note: "qk_nope_head_dim + qk_rope_head_dim (the query/key head width)".into(),
        });
        hd
    } else {
        need("head_dim")?
    };
    let moe = match int(m, "n_routed_experts") {
        Some(e) => Some(Moe {
            experts: e as u32,
            experts_per_token: need("num_experts_per_tok")? as u32,
            shared_experts: int(m, "n_shared_experts").unwrap_or(0) as u32,
            expert_intermediate_size: need("moe_intermediate_size")?,
            dense_layers: match int(m, "interleave_moe_layer_step") {
                // Llama 4: MoE on every step-th layer (moe_layers = range(step − 1, L, step),
                // ⌊L / step⌋ of them); the counts are per-layer sums, so the dense layers
                // are counted as if they came first.
                Some(step) if step > 0 => {
                    let dense = layers - layers / step;
                    marks.push(FieldMark {
                        field: "model.moe.dense_layers",
                        mark: Mark::Sourced,
                        note: format!(
                            "{dense}: layers − ⌊layers ÷ interleave_moe_layer_step {step}⌋ (MoE on every {step}th layer; counted as if the dense layers came first, which changes no per-layer sum)"
                        ),
                    });
                    dense as u32
                }
                _ => int(m, "first_k_dense_replace").unwrap_or(0) as u32,
            },
        }),
        None => None,
    };
    let attention_desc = text(m, "attention");
    // Llama 4's chunked local attention: a chunk of attention_chunk_size caches at most that
    // many tokens, modelled as a sliding window of the same size on the chunked layers.
    let chunk = int(m, "attention_chunk_size");
    let window = chunk.or_else(|| int(m, "sliding_window"));
    let window_layers = match window {
        None => 0,
        Some(c) if chunk.is_some() => {
            let interval = int(m, "no_rope_layer_interval").unwrap_or(4).max(1);
            let global = layers / interval;
            marks.push(FieldMark {
                field: "model.sliding_window_layers",
                mark: Mark::Estimated,
                note: format!(
                    "{} chunked layers (every {interval}th of {layers} is global: no_rope_layer_interval {interval}) modelled as a sliding window of attention_chunk_size {c}: a chunk holds 1 to {c} tokens, a window always {c}, so past {c} tokens these layers' KV memory and reads are overstated by up to 2×",
                    layers - global
                ),
            });
            layers - global
        }
        Some(_) if attention_desc.contains("alternat") => {
            marks.push(FieldMark {
                field: "model.sliding_window_layers",
                mark: Mark::Sourced,
                note: "half the layers: sliding and full attention alternate".into(),
            });
            layers / 2
        }
        Some(_) if attention_desc.contains("5 local") => {
            let global = layers / 6;
            marks.push(FieldMark {
                field: "model.sliding_window_layers",
                mark: Mark::Sourced,
                note: format!(
                    "every 6th layer global ({global}), the rest local: sliding_window_pattern 6"
                ),
            });
            layers - global
        }
        Some(_) => {
            marks.push(FieldMark {
                field: "model.sliding_window_layers",
                mark: Mark::Sourced,
                note: "the window applies to every layer".into(),
            });
            layers
        }
    };
    let tied = match m["tie_word_embeddings"].as_bool() {
        Some(t) => t,
        None => {
            // Gemma ties its embeddings (Gemma3TextConfig default); the others are untied.
            let t = id.starts_with("gemma");
            marks.push(FieldMark {
                field: "model.tied_embeddings",
                mark: Mark::Estimated,
                note: format!("not in models.json; {t} per the model family's config default"),
            });
            t
        }
    };
    let layer_kinds = layer_kinds(m, &id)?;
    // Precisions of a linear state or index keys are the serving engine's, not the config's.
    for (field, key) in [
        ("model.linear_state_precision", "linear_state_precision"),
        ("model.indexer_key_precision", "index_key_precision"),
    ] {
        if m[key].is_string() {
            marks.push(FieldMark {
                field,
                mark: Mark::Estimated,
                note: text(m, &format!("{key}_note")),
            });
        }
    }
    let total = num(m, "total_params_b").map(|b| b * 1e9);
    let active = num(m, "active_params_b").map(|b| b * 1e9);
    let max_context = need("max_context")?;
    Ok(ModelPreset {
        name: text(m, "name"),
        hf_repo: text(m, "hf_repo"),
        source: text(m, "source"),
        verification: text(m, "verification"),
        max_context,
        marks,
        spec: ModelSpec {
            name: text(m, "name"),
            layers: layers as u32,
            hidden_size: need("hidden_size")?,
            intermediate_size: need("intermediate_size")?,
            attention_heads: heads as u32,
            kv_heads: need("num_key_value_heads")? as u32,
            head_dim,
            vocab_size: need("vocab_size")?,
            tied_embeddings: tied,
            attention: if mla { Attention::Mla } else { Attention::Gqa },
            kv_lora_rank: int(m, "kv_lora_rank"),
            qk_rope_head_dim: if mla {
                int(m, "qk_rope_head_dim")
            } else {
                None
            },
            q_lora_rank: int(m, "q_lora_rank"),
            sliding_window: window,
            sliding_window_layers: window_layers as u32,
            moe,
            total_params: total,
            active_params: active,
            layer_kinds,
        },
        id,
    })
}

/// A precision named under `key` (`"fp8"`), if any; an unknown name is an error.
fn precision(m: &Value, key: &str, id: &str) -> Result<Option<Precision>, String> {
    match m[key].as_str() {
        None => Ok(None),
        Some(p) => Precision::parse(p)
            .map(Some)
            .ok_or_else(|| format!("models.json {id}: {key} {p:?} is not a precision")),
    }
}

/// The linear-attention layers and sparse attention of a model entry, under its
/// config.json names (`linear_num_value_heads`, `index_topk`, …): absent unless given.
fn layer_kinds(m: &Value, id: &str) -> Result<LayerKinds, String> {
    let small = |key: &str| int(m, key).map(|v| v as u32);
    Ok(LayerKinds {
        linear_attention_layers: small("linear_attention_layers").unwrap_or(0),
        linear_key_heads: small("linear_num_key_heads"),
        linear_value_heads: small("linear_num_value_heads"),
        linear_key_head_dim: int(m, "linear_key_head_dim"),
        linear_value_head_dim: int(m, "linear_value_head_dim"),
        linear_conv_kernel: int(m, "linear_conv_kernel_dim"),
        linear_state_precision: precision(m, "linear_state_precision", id)?,
        sparse_top_k: int(m, "index_topk"),
        indexer_heads: small("index_n_heads"),
        indexer_head_dim: int(m, "index_head_dim"),
        indexer_key_precision: precision(m, "index_key_precision", id)?,
    })
}

// Prices, as serde read them.

/// A below/above pair of prices, USD per million tokens (`above` may be unpublished).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct TierPrice {
    pub below: f64,
    pub above: Option<f64>,
}

/// A model whose price steps up above an input length.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct ContextTier {
    pub provider: String,
    pub model: String,
    /// Input tokens above which the higher price applies.
    pub threshold_input_tokens: f64,
    pub input: TierPrice,
    pub output: TierPrice,
    #[serde(default)]
    pub source: String,
    /// The date the price was last read (YYYY-MM-DD); empty where it was not re-read.
    #[serde(default)]
    pub read: String,
    #[serde(default)]
    pub confidence: String,
}

/// Standard and fast prices of one model, USD per million tokens.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct InOut {
    pub input: f64,
    pub output: f64,
}

/// A faster tier sold at a premium.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct SpeedTier {
    pub provider: String,
    pub tier: String,
    pub model: String,
    pub standard: Option<InOut>,
    pub fast: Option<InOut>,
    /// A multiplier stated without prices.
    #[serde(default)]
    pub multiplier_claimed: Option<f64>,
    #[serde(default)]
    pub stated_speed: String,
    #[serde(default)]
    pub source: String,
    /// The date the price was last read (YYYY-MM-DD); empty where it was not re-read.
    #[serde(default)]
    pub read: String,
    #[serde(default)]
    pub confidence: String,
}

/// The price of input tokens read from a provider's prompt cache beside the uncached price,
/// USD per million tokens, with where and when it was read.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CachedInputPrice {
    pub provider: String,
    pub model: String,
    /// Uncached input, USD per 1M tokens.
    pub input: f64,
    /// Input read from the cache (a cache hit), USD per 1M tokens.
    pub cached_input: f64,
    /// Writing the cache, where priced apart, USD per 1M tokens.
    #[serde(default)]
    pub cache_write: Option<f64>,
    /// Keeping the cache, where priced apart, USD per 1M tokens per hour.
    #[serde(default)]
    pub storage_per_hour: Option<f64>,
    #[serde(default)]
    pub note: String,
    pub source: String,
    /// The date the price was read (YYYY-MM-DD).
    pub read: String,
    #[serde(default)]
    pub confidence: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Meta {
    pub as_of: String,
}

/// The whole pricing file.
#[derive(Clone, Debug, Deserialize)]
pub struct Pricing {
    #[serde(rename = "_meta")]
    pub meta: Meta,
    pub context_tiers: Vec<ContextTier>,
    pub speed_tiers: Vec<SpeedTier>,
    /// Cached-input prices (prompt caching).
    #[serde(default)]
    pub cached_input: Vec<CachedInputPrice>,
}

/// `data/pricing.json` as serde read it.
pub fn parse_pricing(json: &str) -> Result<Pricing, String> {
    serde_json::from_str(json).map_err(|e| format!("data/pricing.json: {e}"))
}
