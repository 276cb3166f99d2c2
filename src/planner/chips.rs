//! The chips the planner may choose, with their scale-up domains and scale-out bandwidth.

use crate::catalogue::presets::hardware_presets;
use crate::scenario::HardwareSpec;
use serde::Serialize;

/// Whether a chip is a GPU (vLLM/SGLang GPU commands apply) or a TPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChipKind {
    /// A GPU.
    Gpu,
    /// A TPU.
    Tpu,
}

/// One chip the planner may choose.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    /// Preset id (`h100-sxm`).
    pub id: String,
    /// Its specification.
    pub spec: HardwareSpec,
    /// GPU or TPU.
    pub kind: ChipKind,
    /// Chips reachable over the scale-up link (8 in an HGX server).
    pub domain: u32,
    /// Per-chip bandwidth between scale-up domains, one direction, bytes/s.
    pub scale_out_bandwidth: f64,
}

/// Scale-up domain sizes of the presets: (id, chips). Unlisted GPUs: 8.
const DOMAINS: &[(&str, u32)] = &[
    ("h100-pcie", 2),
    ("gb200-per-gpu", 72),
    ("tpu-v5e", 256),
    ("tpu-v5p", 8960),
    ("tpu-v6e", 256),
    ("tpu7x-ironwood", 9216),
];

/// Scale-out bandwidth per GPU between servers: 400 Gb/s, one direction, bytes/s.
pub const SCALE_OUT_BANDWIDTH: f64 = 50e9;

/// The hardware presets as planner chips (domain sizes from a small table, see the module
/// documentation).
pub fn preset_chips() -> Vec<Chip> {
    hardware_presets()
        .iter()
        .map(|p| {
            let kind = if p.id.starts_with("tpu") {
                ChipKind::Tpu
            } else {
                ChipKind::Gpu
            };
            let domain = DOMAINS
                .iter()
                .find(|(id, _)| *id == p.id)
                .map_or(8, |(_, n)| *n);
            Chip {
                id: p.id.clone(),
                spec: p.spec.clone(),
                kind,
                domain,
                scale_out_bandwidth: SCALE_OUT_BANDWIDTH.min(p.spec.interconnect_bandwidth),
            }
        })
        .collect()
}
