//! What the results card shows, as pure functions of an evaluation: each row's text (from
//! the metric catalogue's `RESULTS_CARD`), the bound beside it, and the memory bar's parts
//! and verdict. Read by the Leptos card (`ui::results`) and the light embed (`lite`), so
//! both show the same text.

use crate::format as f;
use crate::metrics::Metric;
use crate::model::{Capacity, Evaluation};

/// A metric's value for the card, followed by its detail where it has one.
pub fn shown(m: &Metric, e: &Evaluation) -> String {
    let text = m.show(&m.of(e));
    match m.detail {
        Some(detail) => format!("{text} {}", detail(e)),
        None => text,
    }
}

/// The text beside a row that shows the pure roofline bound: `bound: <value>` from the
/// pure evaluation `pure`.
pub fn bound_text(m: &Metric, pure: &Evaluation) -> String {
    format!("bound: {}", m.show(&m.of(pure)))
}

/// The memory bar's three parts, percent of its length: weights, KV cache, free. The bar
/// is the room (usable HBM, plus the usable host memory with KV offload) or what is used,
/// whichever is more, so the parts never sum past 100.
pub fn memory_parts(c: &Capacity) -> [f64; 3] {
    // With KV offload the host memory's usable share counts as room for KV.
    let room = c.usable_bytes + c.host_usable_bytes;
    let total = room.max(c.used_bytes).max(1.0);
    let kv = c.used_bytes - c.weight_bytes;
    [
        c.weight_bytes / total * 100.0,
        kv / total * 100.0,
        (room - c.used_bytes).max(0.0) / total * 100.0,
    ]
}

/// The memory verdict: fits (and how, with KV offload), or does not and needs how many chips.
pub fn memory_verdict(c: &Capacity) -> String {
    if c.fits && c.host_kv_bytes > 0.0 {
        format!(
            "Fits with KV offload: {} weights + {} KV in {} usable HBM, {} KV in host memory ({} usable)",
            f::bytes(c.weight_bytes),
            f::bytes(c.used_bytes - c.weight_bytes - c.host_kv_bytes),
            f::bytes(c.usable_bytes),
            f::bytes(c.host_kv_bytes),
            f::bytes(c.host_usable_bytes)
        )
    } else if c.fits {
        format!(
            "Fits: {} weights + {} KV of {} usable; {} free",
            f::bytes(c.weight_bytes),
            f::bytes(c.used_bytes - c.weight_bytes),
            f::bytes(c.usable_bytes),
            f::bytes(c.usable_bytes - c.used_bytes)
        )
    } else {
        match c.min_chips {
            Some(n) => format!(
                "Does not fit — needs at least {n} chips ({} needed, {} usable)",
                f::bytes(c.used_bytes),
                f::bytes(c.usable_bytes)
            ),
            None => format!(
                "Does not fit on any number of these chips ({} needed)",
                f::bytes(c.used_bytes)
            ),
        }
    }
}

/// The note shown while the results are stale: what to fix (`problems`, each a message).
pub fn stale_note(problems: &[String]) -> String {
    format!(
        "Showing the last valid results. Fix: {}",
        problems.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{DECODE_STEP_SECONDS, PARAMS_SPARSITY};
    use crate::model::evaluate;
    use crate::scenario::Scenario;

    fn cap(weights: f64, used: f64, usable: f64, fits: bool) -> Capacity {
        let e = evaluate(&Scenario::default()).unwrap();
        Capacity {
            weight_bytes: weights,
            used_bytes: used,
            usable_bytes: usable,
            fits,
            host_kv_bytes: 0.0,
            host_usable_bytes: 0.0,
            min_chips: None,
            ..e.capacity
        }
    }

    #[test]
    fn memory_parts_sum_to_the_bar_and_never_past_it() {
        let p = memory_parts(&cap(40.0, 60.0, 100.0, true));
        assert_eq!(p, [40.0, 20.0, 40.0]);
        // Over capacity: the bar is what is used, nothing free.
        let p = memory_parts(&cap(80.0, 200.0, 100.0, false));
        assert_eq!(p, [40.0, 60.0, 0.0]);
        // Nothing at all: no division by zero.
        let p = memory_parts(&cap(0.0, 0.0, 0.0, true));
        assert!(p.iter().all(|x| x.is_finite() && *x == 0.0), "{p:?}");
    }

    #[test]
    fn verdicts_name_fit_offload_and_chips_needed() {
        assert!(memory_verdict(&cap(40e9, 60e9, 100e9, true)).starts_with("Fits: "));
        let mut c = cap(40e9, 200e9, 100e9, false);
        assert!(memory_verdict(&c).contains("any number"));
        c.min_chips = Some(3);
        assert!(memory_verdict(&c).contains("at least 3 chips"));
        let mut c = cap(40e9, 160e9, 100e9, true);
        c.host_kv_bytes = 100e9;
        c.host_usable_bytes = 500e9;
        assert!(memory_verdict(&c).starts_with("Fits with KV offload"));
    }

    #[test]
    fn rows_show_values_with_their_detail_and_the_bound() {
        let e = evaluate(&Scenario::default()).unwrap();
        assert_eq!(
            shown(&DECODE_STEP_SECONDS, &e),
            DECODE_STEP_SECONDS.show(&DECODE_STEP_SECONDS.of(&e))
        );
        let s = shown(&PARAMS_SPARSITY, &e);
        assert!(s.ends_with(')') && s.contains(" of "), "{s}");
        assert!(bound_text(&DECODE_STEP_SECONDS, &e).starts_with("bound: "));
        assert_eq!(
            stale_note(&["a".into(), "b".into()]),
            "Showing the last valid results. Fix: a; b"
        );
    }
}
