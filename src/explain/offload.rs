//! The "why" lines of KV offload to host memory (`model::offload`).

use super::pct;
use crate::format as f;
use crate::model::Evaluation;
use crate::scenario::Scenario;

/// The memory-time line when part of the KV is read from host memory: HBM bytes at HBM
/// bandwidth plus host bytes at the host link's, per chip; `None` when nothing is.
pub(super) fn memory_line(s: &Scenario, e: &Evaluation) -> Option<String> {
    let d = &e.decode;
    if d.kv_host_bytes <= 0.0 {
        return None;
    }
    let t = &d.terms;
    let eta = s.efficiency.bandwidth;
    let n = s.chips.max(1) as f64;
    let hbm_bytes = (t.weight_read_seconds + t.kv_read_seconds) * s.hardware.memory_bandwidth * eta;
    Some(format!(
        "memory time = HBM bytes per chip {} ÷ ({} × {}) + host KV per chip {} ÷ ({} × {}) = {} + {} = {}",
        f::bytes(hbm_bytes),
        f::bandwidth(s.hardware.memory_bandwidth),
        pct(eta),
        f::bytes(d.kv_host_bytes / n),
        f::bandwidth(s.hardware.host_link_bandwidth),
        pct(eta),
        f::seconds(t.weight_read_seconds + t.kv_read_seconds),
        f::seconds(t.kv_host_read_seconds),
        f::seconds(d.memory_seconds)
    ))
}

/// The sentence on KV offload in the memory explanation (only with offload on).
pub(super) fn memory_sentence(s: &Scenario, e: &Evaluation) -> Option<String> {
    if !s.kv_offload {
        return None;
    }
    let c = &e.capacity;
    let d = &e.decode;
    let h = &s.hardware;
    let head = format!(
        "KV offload: host memory adds {} usable (90% of {} × {}) for KV that does not fit in HBM; the weights stay in HBM.",
        f::bytes(c.host_usable_bytes),
        s.chips,
        f::bytes(h.host_memory_capacity)
    );
    Some(if c.host_kv_bytes > 0.0 {
        let share = d.kv_host_bytes / d.kv_bytes.max(1e-300);
        format!(
            "{head} Here {} of KV lies in host memory and {} of each step's KV reads come over the host link at {}, {}× slower per byte than HBM at {}: offloading makes this context fit, and makes it slow.",
            f::bytes(c.host_kv_bytes),
            pct(share),
            f::bandwidth(h.host_link_bandwidth),
            f::sig(h.memory_bandwidth / h.host_link_bandwidth.max(1e-300), 3),
            f::bandwidth(h.memory_bandwidth)
        )
    } else {
        format!("{head} Here all the KV fits in HBM, so nothing is read over the host link and the step is as without offload.")
    })
}
