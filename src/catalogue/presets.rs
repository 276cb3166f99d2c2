//! Hardware and model presets, read from `data/hardware.json` and `data/models.json`.
//!
//! Both files are compiled in with `include_str!` and parsed once on first use, so every
//! number traces to the JSON, which names its source and how it was verified (`primary`,
//! `secondary`, `unverified`). What this module adds is listed in each preset's `marks`:
//!
//! - Peak FLOP/s: the JSON's dense figures (`*_dense_tflops`, `*_dense_tops`) × 10^12.
//! - Interconnect: the JSON's `scale_up_bw_gbps` is a bidirectional total per chip
//!   (NVLink, ICI, PCIe, Infinity Fabric all say so); the scenario wants one direction,
//!   so it is halved.
//! - Price per chip-hour: the midpoint of the JSON's cloud range, or its single figure;
//!   where the JSON has none, an estimate marked [`Mark::Estimated`] with its reasoning.
//! - Tile size and streaming-multiprocessor (or matrix-unit) counts are not in the JSON:
//!   they come from the vendors' architecture documents and are marked estimated.
//! - Models: Hugging Face field names map one to one; MLA's head dimension is
//!   qk_nope + qk_rope (192 for DeepSeek-V3); sliding-window layer counts follow the
//!   `attention` description (gpt-oss alternates, Gemma 3 has 5 local : 1 global).

use crate::scenario::{Attention, HardwareSpec, LayerKinds, ModelSpec, Moe, Precision};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const HARDWARE_JSON: &str = include_str!("../../data/hardware.json");
const MODELS_JSON: &str = include_str!("../../data/models.json");

/// Whether a number was read from a source or estimated here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Read from the source the preset names (its `verification` says how firmly).
    Sourced,
    /// Computed or assumed here; the note says how.
    Estimated,
}

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

/// Prices, SM counts and tile sizes the JSON does not give: (id, field, value, note).
const HARDWARE_ESTIMATES: &[(&str, &str, f64, &str)] = &[
    ("h100-pcie", "price_per_hour", 2.0, "no price in data/hardware.json; estimated at about the H100 SXM range's low end"),
    ("gb200-per-gpu", "price_per_hour", 5.25, "no price in data/hardware.json; estimated equal to the B200 range's midpoint (same GPU die)"),
    ("gb300-per-gpu", "price_per_hour", 6.5, "no per-GPU-hour price published (NVL72 racks are rented whole or by superchip); estimated at the GB200 estimate ($5.25) × 1.25, the ratio of the GB300 to GB200 NVL72 rack prices ($3.7–5.0M vs $3.0–3.9M, ornnai.com 2026), inside the B300 range $5.00–7.25"),
    ("mi355x", "price_per_hour", 2.5, "no price in data/hardware.json; estimated a little above the MI325X range"),
    ("l40s", "price_per_hour", 1.0, "no price in data/hardware.json; estimated from typical on-demand L40S listings (author knowledge)"),
    ("rtx-4090", "price_per_hour", 0.4, "no price in data/hardware.json; estimated from typical community-cloud listings (author knowledge)"),
    ("rtx-pro-6000-blackwell", "price_per_hour", 1.5, "no cloud price found in this session; estimated between the L40S estimate ($1.0; a PCIe card of similar list price) and the H100 PCIe estimate ($2.0; about 3x the card's price): the card lists at $8,565 (MSRP, newgearhub.com 2026), with twice the L40S's memory and bandwidth"),
    ("tpu7x-ironwood", "price_per_hour", 6.0, "no price in data/hardware.json; estimated above the v5p's $4.2"),
];

/// Streaming multiprocessors (NVIDIA), compute units (AMD) or matrix units (TPU, 4 MXUs per
/// TensorCore), and the tile edge: vendor architecture documents, not in the JSON.
const PARALLEL_UNITS: &[(&str, u32, u32, &str)] = &[
    (
        "a100-sxm-80gb",
        108,
        128,
        "108 SMs (NVIDIA A100 whitepaper)",
    ),
    ("h100-sxm", 132, 128, "132 SMs (NVIDIA H100 whitepaper)"),
    ("h100-pcie", 114, 128, "114 SMs (data/hardware.json notes)"),
    ("h200-sxm", 132, 128, "132 SMs, the H100's GH100 die"),
    (
        "b200-hgx",
        148,
        128,
        "148 SMs (author knowledge, unverified)",
    ),
    (
        "gb200-per-gpu",
        148,
        128,
        "148 SMs, as B200 (author knowledge, unverified)",
    ),
    (
        "b300-hgx",
        160,
        128,
        "160 SMs in Blackwell Ultra's full implementation (NVIDIA technical blog 'Inside NVIDIA Blackwell Ultra'); the count enabled on shipping parts unverified",
    ),
    (
        "gb300-per-gpu",
        160,
        128,
        "160 SMs, as b300-hgx (same Blackwell Ultra die)",
    ),
    (
        "l40s",
        142,
        128,
        "142 SMs (NVIDIA L40S datasheet, author knowledge)",
    ),
    (
        "rtx-4090",
        128,
        128,
        "128 SMs (Ada whitepaper, author knowledge)",
    ),
    (
        "rtx-pro-6000-blackwell",
        188,
        128,
        "188 SMs of GB202's 192 (NVIDIA GTC 2025 figures as reported by topcpu.net; 752 Tensor Cores = 188 × 4)",
    ),
    (
        "mi300x",
        304,
        128,
        "304 CUs (AMD CDNA 3 whitepaper, author knowledge)",
    ),
    ("mi325x", 304, 128, "304 CUs, as MI300X"),
    (
        "mi355x",
        256,
        128,
        "256 CUs: 8 XCDs × 32 active CUs (ISSCC 2026, as reported by world-today-news.com)",
    ),
    (
        "tpu-v5e",
        4,
        128,
        "1 TensorCore × 4 MXUs of 128×128 (Google TPU docs, author knowledge)",
    ),
    (
        "tpu-v5p",
        8,
        128,
        "2 TensorCores × 4 MXUs of 128×128 (author knowledge)",
    ),
    (
        "tpu-v6e",
        2,
        256,
        "MXUs of 256×256 (data/hardware.json notes); count 2 is author knowledge",
    ),
    (
        "tpu7x-ironwood",
        8,
        256,
        "2 TensorCores, 256×256 MXUs (author knowledge, unverified)",
    ),
];

/// Every hardware preset in `data/hardware.json` that has the fields a scenario needs.
pub fn hardware_presets() -> &'static [HardwarePreset] {
    static CELL: OnceLock<Vec<HardwarePreset>> = OnceLock::new();
    CELL.get_or_init(|| parse_hardware(HARDWARE_JSON).unwrap_or_default())
}

/// Every model preset in `data/models.json`.
pub fn model_presets() -> &'static [ModelPreset] {
    static CELL: OnceLock<Vec<ModelPreset>> = OnceLock::new();
    CELL.get_or_init(|| parse_models(MODELS_JSON).unwrap_or_default())
}

/// The hardware preset with this id (`h100-sxm`), if any.
pub fn hardware_preset(id: &str) -> Option<&'static HardwarePreset> {
    hardware_presets().iter().find(|p| p.id == id)
}

/// The model preset with this id (`llama-3.1-70b`), if any.
pub fn model_preset(id: &str) -> Option<&'static ModelPreset> {
    model_presets().iter().find(|p| p.id == id)
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

/// Scale-up domain sizes of the presets (chips on one NVLink/ICI island): (id, chips).
/// Unlisted chips: [`HardwareSpec::DEFAULT_SCALE_UP_DOMAIN`] (an 8-GPU HGX server).
pub const SCALE_UP_DOMAINS: &[(&str, u32)] = &[
    ("h100-pcie", 2),
    ("gb200-per-gpu", 72),
    ("gb300-per-gpu", 72),
    ("tpu-v5e", 256),
    ("tpu-v5p", 8960),
    ("tpu-v6e", 256),
    ("tpu7x-ironwood", 9216),
];

/// Chips per scale-up domain of preset `id`.
pub fn scale_up_domain(id: &str) -> u32 {
    SCALE_UP_DOMAINS
        .iter()
        .find(|(k, _)| *k == id)
        .map_or(HardwareSpec::DEFAULT_SCALE_UP_DOMAIN, |(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_parses() {
        assert!(parse_hardware(HARDWARE_JSON).unwrap().len() >= 13);
        assert!(parse_models(MODELS_JSON).unwrap().len() >= 11);
        assert!(parse_hardware("{").is_err());
        assert!(parse_models(r#"{"models": [{"id": "x"}]}"#)
            .unwrap_err()
            .contains("num_hidden_layers"));
    }

    #[test]
    fn h100_matches_the_reference_case_hardware() {
        let h = &hardware_preset("h100-sxm").unwrap().spec;
        assert_eq!(h.memory_bandwidth, 3.35e12);
        assert_eq!(h.interconnect_bandwidth, 450e9);
        assert!((h.price_per_hour - 2.945).abs() < 1e-9);
        assert_eq!(h.peak_flops[&Precision::Bf16], 989.4e12);
        assert_eq!(h.streaming_multiprocessors, 132);
    }

    #[test]
    fn gemma_windows_and_gpt_oss_alternation() {
        let g = &model_preset("gemma-3-27b").unwrap().spec;
        assert_eq!(g.sliding_window_layers, 52);
        assert!(g.tied_embeddings);
        let o = &model_preset("gpt-oss-120b").unwrap().spec;
        assert_eq!(o.sliding_window_layers, 18);
        let d = &model_preset("deepseek-v3").unwrap().spec;
        assert_eq!(d.head_dim, 192);
        assert_eq!(d.q_lora_rank, Some(1536));
        assert_eq!(d.moe.as_ref().unwrap().dense_layers, 3);
    }
}
