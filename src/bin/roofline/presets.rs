//! `roofline presets`: the hardware and model presets as two plain tables.

use roofline::catalogue::presets::{hardware_presets, model_presets, Mark};
use roofline::scenario::Precision;

pub(super) fn presets_text() -> String {
    let mut out =
        String::from("# Hardware (id, name, bf16 TFLOP/s, TB/s, GB, link GB/s each way, $/h, W)\n");
    for p in hardware_presets() {
        let h = &p.spec;
        let tf = h
            .peak_flops
            .get(&Precision::Bf16)
            .or_else(|| h.peak_flops.get(&Precision::Fp16))
            .map_or(0.0, |f| f / 1e12);
        let price_mark = p
            .marks()
            .iter()
            .find(|m| m.field == "hardware.price_per_hour")
            .map_or("", |m| {
                if m.mark == Mark::Estimated {
                    " (est.)"
                } else {
                    ""
                }
            });
        out.push_str(&format!(
            "{:<22} {:<50} {:>7.1} {:>6.3} {:>5.0} {:>6.0} {:>5.2}{} {:>5.0}\n",
            p.id,
            p.name,
            tf,
            h.memory_bandwidth / 1e12,
            h.memory_capacity / 1e9,
            h.interconnect_bandwidth / 1e9,
            h.price_per_hour,
            price_mark,
            h.power
        ));
    }
    out.push_str("\n# Models (id, name, layers, hidden, total B, active B, max context)\n");
    for p in model_presets() {
        let m = &p.spec;
        out.push_str(&format!(
            "{:<22} {:<44} {:>4} {:>6} {:>7.1} {:>6.1} {:>7}\n",
            p.id,
            p.name,
            m.layers,
            m.hidden_size,
            m.total_params.unwrap_or(0.0) / 1e9,
            m.active_params.unwrap_or(0.0) / 1e9,
            p.max_context
        ));
    }
    out
}
