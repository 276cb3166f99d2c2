//! The "why" lines of KV offload to host memory (`model::offload`).

use super::pct;
use crate::format as f;
use crate::model::{evaluate, Evaluation};
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
        let reads = format!(
            "{head} Here {} of KV lies in host memory and {} of each step's KV reads come over the host link at {}, {}× slower per byte than HBM at {}.",
            f::bytes(c.host_kv_bytes),
            pct(share),
            f::bandwidth(h.host_link_bandwidth),
            f::sig(h.memory_bandwidth / h.host_link_bandwidth.max(1e-300), 3),
            f::bandwidth(h.memory_bandwidth)
        );
        format!("{reads} {}", against_hbm_only(s, e))
    } else {
        format!("{head} Here all the KV fits in HBM, so nothing is read over the host link and the step is as without offload.")
    })
}

/// Offload against the same setup in HBM alone at the largest batch that fits there: which
/// costs less per output token.
fn against_hbm_only(s: &Scenario, e: &Evaluation) -> String {
    let mut alone = s.clone();
    alone.kv_offload = false;
    let b = s.workload.batch_size;
    let with = e.cost.per_million_output_tokens;
    let fit = evaluate(&alone)
        .map(|a| a.capacity.max_batch_size)
        .unwrap_or(0);
    if fit == 0 {
        return format!(
            "Without offload not one request fits in HBM at this context; with it {} run at {}/M output tokens.",
            f::integer(b as f64),
            f::usd(with)
        );
    }
    alone.workload.batch_size = fit.min(b);
    match evaluate(&alone) {
        Ok(a) => {
            let without = a.cost.per_million_output_tokens;
            format!(
                "In HBM alone {} requests fit, at {}/M output tokens; with offload {} run at {}/M: offloading is {} per token here.",
                f::integer(fit.min(b) as f64),
                f::usd(without),
                f::integer(b as f64),
                f::usd(with),
                if with < without {
                    "cheaper (the bigger batch shares the weight reads)"
                } else {
                    "dearer (the host link's reads cost more than the bigger batch saves)"
                }
            )
        }
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::explain::explain;
    use crate::model::evaluate;
    use crate::scenario::Scenario;

    /// Every line of the why panel, joined.
    fn why(s: &Scenario) -> String {
        let e = evaluate(s).unwrap();
        explain(s, &e)
            .into_iter()
            .flat_map(|w| w.lines)
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn long(offload: bool) -> Scenario {
        let mut s = Scenario {
            kv_offload: offload,
            ..Scenario::default()
        };
        s.workload.batch_size = 32;
        s.workload.context_length = Some(131_072);
        s
    }

    #[test]
    fn off_says_nothing_and_on_says_where_the_kv_is() {
        assert!(!why(&Scenario::default()).contains("KV offload"));
        let fits = Scenario {
            kv_offload: true,
            ..Scenario::default()
        };
        assert!(why(&fits).contains("nothing is read over the host link"));
        let text = why(&long(true));
        assert!(text.contains("lies in host memory"), "{text}");
        assert!(text.contains("host KV per chip"), "{text}");
        assert!(text.contains("KV from host memory"), "{text}");
        // Over PCIe the reads cost more than the bigger batch saves.
        assert!(text.contains("dearer"), "{text}");
    }

    #[test]
    fn a_link_as_fast_as_hbm_makes_offload_cheaper() {
        let mut s = long(true);
        s.hardware.host_link_bandwidth = s.hardware.memory_bandwidth;
        let text = why(&s);
        assert!(text.contains("offloading is cheaper"), "{text}");
    }
}
