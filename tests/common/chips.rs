//! Made-up chips shared by the planner tests (tests/planner*.rs), so that each brute force
//! runs on the same small hardware list.

use roofline::planner::{Chip, ChipKind};
use roofline::scenario::{HardwareSpec, Precision};
use std::collections::BTreeMap;

/// A GPU with the given dense bf16 (and optional fp8) FLOP/s, bandwidth, memory and price.
pub fn chip(id: &str, bf16: f64, fp8: Option<f64>, bw: f64, mem: f64, price: f64) -> Chip {
    let mut peak_flops = BTreeMap::new();
    peak_flops.insert(Precision::Bf16, bf16);
    if let Some(f) = fp8 {
        peak_flops.insert(Precision::Fp8, f);
    }
    Chip {
        id: id.into(),
        spec: HardwareSpec {
            name: id.to_uppercase(),
            peak_flops,
            memory_bandwidth: bw,
            memory_capacity: mem,
            interconnect_bandwidth: 300e9,
            price_per_hour: price,
            power: 500.0,
            ..HardwareSpec::default()
        },
        kind: ChipKind::Gpu,
        domain: 2,
        scale_out_bandwidth: 25e9,
    }
}

/// Three made-up chips: a big fast dear one, a small cheap one without fp8, a middling one.
#[allow(dead_code)] // not every planner test uses this list
pub fn tiny_chips() -> Vec<Chip> {
    vec![
        chip("big", 1000e12, Some(2000e12), 4e12, 120e9, 4.0),
        chip("cheap", 200e12, None, 1e12, 40e9, 0.8),
        chip("mid", 500e12, Some(1000e12), 2e12, 80e9, 2.0),
    ]
}
