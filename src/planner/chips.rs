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

/// Scale-out bandwidth per GPU between servers: 400 Gb/s, one direction, bytes/s.
pub const SCALE_OUT_BANDWIDTH: f64 = HardwareSpec::DEFAULT_SCALE_OUT_BANDWIDTH;

/// The hardware presets as planner chips (domain sizes and scale-out bandwidth from the
/// presets' own `scale_up_domain` and `scale_out_bandwidth`, `catalogue::presets`).
pub fn preset_chips() -> Vec<Chip> {
    hardware_presets()
        .iter()
        .map(|p| {
            let kind = if p.id.starts_with("tpu") {
                ChipKind::Tpu
            } else {
                ChipKind::Gpu
            };
            Chip {
                id: p.id.clone(),
                spec: p.spec.clone(),
                kind,
                domain: p.spec.scale_up_domain,
                scale_out_bandwidth: p.spec.scale_out_bandwidth,
            }
        })
        .collect()
}
