//! Hardware and model presets, read from `data/hardware.json` and `data/models.json`.
//!
//! build.rs compiles both files into tables (`$OUT_DIR/presets_data.rs`): every number
//! traces to the JSON, which names its source and how it was verified (`primary`,
//! `secondary`, `unverified`), and invalid data fails the build naming the file and entry.
//! The sources, verification notes and marks sit in a table of their own, read only by
//! [`HardwarePreset::marks`] and its kin, so the web page, which shows none of them, carries
//! neither them nor a JSON parser. What this module adds is listed in each preset's `marks`:
//!
//! - Peak FLOP/s: the JSON's dense figures (`*_dense_tflops`, `*_dense_tops`) × 10^12.
//! - Interconnect: the JSON's `scale_up_bw_gbps` is a bidirectional total per chip
//!   (NVLink, ICI, PCIe, Infinity Fabric all say so); the scenario wants one direction,
//!   so it is halved.
//! - Price per chip-hour: the midpoint of the JSON's cloud range, or its single figure;
//!   where the JSON has none, an estimate marked [`Mark::Estimated`] with its reasoning.
//! - Tile size and streaming-multiprocessor (or matrix-unit) counts are not in the JSON:
//!   they come from the vendors' architecture documents and are marked estimated
//!   (src/catalogue/estimates.rs, with the estimated prices).
//! - Models: Hugging Face field names map one to one; MLA's head dimension is
//!   qk_nope + qk_rope (192 for DeepSeek-V3); sliding-window layer counts follow the
//!   `attention` description (gpt-oss alternates, Gemma 3 has 5 local : 1 global).

use crate::scenario::{Attention, HardwareSpec, LayerKinds, ModelSpec, Moe, Precision};
use std::sync::OnceLock;

/// Whether a number was read from a source or estimated here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Read from the source the preset names (its `verification` says how firmly).
    Sourced,
    /// Computed or assumed here; the note says how.
    Estimated,
}

/// How one field of a preset was obtained.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldMark {
    /// Dotted field, e.g. `hardware.price_per_hour`.
    pub field: &'static str,
    pub mark: Mark,
    /// How the value was obtained, in plain words.
    pub note: &'static str,
}

/// A preset's sources, verification statement and marks (a table apart from the values).
struct Notes {
    source: &'static str,
    verification: &'static str,
    marks: &'static [FieldMark],
}

/// One accelerator preset.
#[derive(Clone, Debug, PartialEq)]
pub struct HardwarePreset {
    /// Stable id from the JSON (`h100-sxm`).
    pub id: String,
    pub name: String,
    pub vendor: String,
    /// The first word of the JSON's verification statement (`primary`, `secondary`, …).
    pub level: &'static str,
    /// Row in `HARDWARE_NOTES`.
    notes: usize,
    pub spec: HardwareSpec,
}

impl HardwarePreset {
    /// Sources as the JSON lists them, joined with "; ".
    pub fn source(&self) -> &'static str {
        HARDWARE_NOTES[self.notes].source
    }

    /// The JSON's verification statement (primary / secondary / unverified, per field).
    pub fn verification(&self) -> &'static str {
        HARDWARE_NOTES[self.notes].verification
    }

    /// How the fields this module computes or assumes were obtained.
    pub fn marks(&self) -> &'static [FieldMark] {
        HARDWARE_NOTES[self.notes].marks
    }
}

/// One model preset.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelPreset {
    /// Stable id from the JSON (`llama-3.1-70b`).
    pub id: String,
    pub name: String,
    /// Hugging Face repository.
    pub hf_repo: String,
    /// Longest context the model supports, tokens.
    pub max_context: u64,
    /// Row in `MODEL_NOTES`.
    notes: usize,
    pub spec: ModelSpec,
}

impl ModelPreset {
    /// The JSON's source.
    pub fn source(&self) -> &'static str {
        MODEL_NOTES[self.notes].source
    }

    /// The JSON's verification statement.
    pub fn verification(&self) -> &'static str {
        MODEL_NOTES[self.notes].verification
    }

    /// How the fields this module computes or assumes were obtained.
    pub fn marks(&self) -> &'static [FieldMark] {
        MODEL_NOTES[self.notes].marks
    }
}

/// One generated hardware row: the spec's values, the units (SMs, tile edge) where known.
struct HardwareRow {
    id: &'static str,
    name: &'static str,
    vendor: &'static str,
    level: &'static str,
    /// Dense peak FLOP/s per precision.
    peak_flops: &'static [(Precision, f64)],
    /// Bytes/s.
    memory_bandwidth: f64,
    /// Bytes.
    memory_capacity: f64,
    /// Bytes/s, one direction.
    interconnect_bandwidth: f64,
    /// USD per chip-hour.
    price_per_hour: f64,
    /// Watts (0: unknown).
    power: f64,
    /// (streaming multiprocessors, tile edge); `None`: [`HardwareSpec::default`]'s.
    units: Option<(u32, u32)>,
    /// Bytes.
    host_memory_capacity: f64,
    /// Bytes/s, one direction.
    host_link_bandwidth: f64,
}

/// One generated model row: the spec with an empty name (the row's `name` fills it).
struct ModelRow {
    id: &'static str,
    name: &'static str,
    hf_repo: &'static str,
    max_context: u64,
    spec: ModelSpec,
}

include!(concat!(env!("OUT_DIR"), "/presets_data.rs"));

/// Every hardware preset in `data/hardware.json` that has the fields a scenario needs.
pub fn hardware_presets() -> &'static [HardwarePreset] {
    static CELL: OnceLock<Vec<HardwarePreset>> = OnceLock::new();
    CELL.get_or_init(|| {
        HARDWARE_ROWS
            .iter()
            .enumerate()
            .map(hardware_from)
            .collect()
    })
}

/// Every model preset in `data/models.json`.
pub fn model_presets() -> &'static [ModelPreset] {
    static CELL: OnceLock<Vec<ModelPreset>> = OnceLock::new();
    CELL.get_or_init(|| MODEL_ROWS.iter().enumerate().map(model_from).collect())
}

/// The hardware preset with this id (`h100-sxm`), if any.
pub fn hardware_preset(id: &str) -> Option<&'static HardwarePreset> {
    hardware_presets().iter().find(|p| p.id == id)
}

/// The model preset with this id (`llama-3.1-70b`), if any.
pub fn model_preset(id: &str) -> Option<&'static ModelPreset> {
    model_presets().iter().find(|p| p.id == id)
}

/// The preset of generated row `i`. Scale-out bandwidth: the default, at most the
/// interconnect's (bytes/s, one direction).
fn hardware_from((i, r): (usize, &HardwareRow)) -> HardwarePreset {
    let (sms, tile) = r.units.unwrap_or_else(|| {
        let d = HardwareSpec::default();
        (d.streaming_multiprocessors, d.tile_size)
    });
    HardwarePreset {
        id: r.id.into(),
        name: r.name.into(),
        vendor: r.vendor.into(),
        level: r.level,
        notes: i,
        spec: HardwareSpec {
            name: r.name.into(),
            peak_flops: r.peak_flops.iter().copied().collect(),
            memory_bandwidth: r.memory_bandwidth,
            memory_capacity: r.memory_capacity,
            interconnect_bandwidth: r.interconnect_bandwidth,
            price_per_hour: r.price_per_hour,
            power: r.power,
            tile_size: tile,
            streaming_multiprocessors: sms,
            scale_up_domain: scale_up_domain(r.id),
            scale_out_bandwidth: HardwareSpec::DEFAULT_SCALE_OUT_BANDWIDTH
                .min(r.interconnect_bandwidth),
            host_memory_capacity: r.host_memory_capacity,
            host_link_bandwidth: r.host_link_bandwidth,
        },
    }
}

/// The preset of generated row `i`.
fn model_from((i, r): (usize, &ModelRow)) -> ModelPreset {
    ModelPreset {
        id: r.id.into(),
        name: r.name.into(),
        hf_repo: r.hf_repo.into(),
        max_context: r.max_context,
        notes: i,
        spec: ModelSpec {
            name: r.name.into(),
            ..r.spec.clone()
        },
    }
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
    use crate::catalogue::oracle::{self, HARDWARE_JSON, MODELS_JSON};

    /// The generated tables equal the JSON as the run-time parser read it, field for field.
    #[test]
    fn generated_tables_equal_the_json_parse() {
        let marks = |m: &[FieldMark]| {
            m.iter()
                .map(|m| (m.field, m.mark, m.note.to_string()))
                .collect::<Vec<_>>()
        };
        let old_marks = |m: &[oracle::FieldMark]| {
            m.iter()
                .map(|m| (m.field, m.mark, m.note.clone()))
                .collect::<Vec<_>>()
        };
        let hw = oracle::parse_hardware(HARDWARE_JSON).unwrap();
        assert_eq!(hw.len(), hardware_presets().len());
        for (old, new) in hw.iter().zip(hardware_presets()) {
            assert_eq!(old.id, new.id);
            assert_eq!(old.name, new.name, "{}", old.id);
            assert_eq!(old.vendor, new.vendor, "{}", old.id);
            assert_eq!(old.source, new.source(), "{}", old.id);
            assert_eq!(old.verification, new.verification(), "{}", old.id);
            assert!(old.verification.starts_with(new.level), "{}", old.id);
            assert_eq!(old_marks(&old.marks), marks(new.marks()), "{}", old.id);
            assert_eq!(old.spec, new.spec, "{}", old.id);
        }
        let models = oracle::parse_models(MODELS_JSON).unwrap();
        assert_eq!(models.len(), model_presets().len());
        for (old, new) in models.iter().zip(model_presets()) {
            assert_eq!(old.id, new.id);
            assert_eq!(old.name, new.name, "{}", old.id);
            assert_eq!(old.hf_repo, new.hf_repo, "{}", old.id);
            assert_eq!(old.source, new.source(), "{}", old.id);
            assert_eq!(old.verification, new.verification(), "{}", old.id);
            assert_eq!(old.max_context, new.max_context, "{}", old.id);
            assert_eq!(old_marks(&old.marks), marks(new.marks()), "{}", old.id);
            assert_eq!(old.spec, new.spec, "{}", old.id);
        }
    }

    #[test]
    fn the_oracle_parses_and_names_missing_fields() {
        assert!(oracle::parse_hardware(HARDWARE_JSON).unwrap().len() >= 13);
        assert!(oracle::parse_models(MODELS_JSON).unwrap().len() >= 11);
        assert!(oracle::parse_hardware("{").is_err());
        assert!(oracle::parse_models(r#"{"models": [{"id": "x"}]}"#)
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
