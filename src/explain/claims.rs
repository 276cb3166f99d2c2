//! The claims of MODEL.md in one sentence each, with the scenario's numbers.

use super::*;

/// The claims of MODEL.md in one sentence each, with this scenario's numbers.
pub fn claims(s: &Scenario, e: &Evaluation) -> Vec<Claim> {
    let d = &e.decode;
    let b = s.workload.batch_size as f64;
    let peak = s.peak_flops().unwrap_or(f64::NAN);
    let sh = shape(s);
    let mut out = vec![Claim {
        number: 1,
        title: "Roofline",
        sentence: format!(
            "This step moves {} and does {}; moving takes {} and the math {}, so it is {}-bound.",
            f::bytes(d.weight_bytes + d.kv_bytes),
            f::flops(d.flops),
            f::seconds(d.memory_seconds),
            f::seconds(d.compute_seconds),
            d.bound.name()
        ),
    }];
    out.push(Claim {
        number: 2,
        title: "Batching amortizes weight reads",
        sentence: format!(
            "Every step reads the {} of weights once for all {} requests: {} of weights per token, so doubling the batch roughly halves it while the step stays memory-bound.",
            f::bytes(d.weight_bytes),
            f::integer(b),
            f::bytes(d.weight_bytes / b)
        ),
    });
    out.push(Claim {
        number: 3,
        title: "The ideal batch",
        sentence: format!(
            "{} ÷ {} ≈ {} FLOPs per byte, × {} for {} weights, × sparsity {} gives an ideal batch near {}.",
            f::flops_rate(peak),
            f::bandwidth(s.hardware.memory_bandwidth),
            f::integer(peak / s.hardware.memory_bandwidth),
            f::sig(s.precision.weights.bytes() / 2.0, 2),
            s.precision.weights,
            f::sig(e.params.sparsity, 3),
            f::integer(e.critical_batch.rule_of_thumb)
        ),
    });
    let ratio = e.energy.data_movement_joules / e.energy.arithmetic_joules.max(1e-300);
    out.push(Claim {
        number: 4,
        title: "Moving data costs more energy than math",
        sentence: format!(
            "Per token, moving data costs {} and arithmetic {} ({}×); fetching one {} weight ({} pJ) costs {}× its multiply-add ({} pJ).",
            f::joules(e.energy.data_movement_joules),
            f::joules(e.energy.arithmetic_joules),
            f::sig(ratio, 3),
            s.precision.weights,
            f::sig(s.energy.joules_per_byte * s.precision.weights.bytes() * 1e12, 3),
            f::integer(s.energy.joules_per_byte * s.precision.weights.bytes() / (2.0 * s.energy.joules_per_flop)),
            f::sig(2.0 * s.energy.joules_per_flop * 1e12, 3),
        ),
    });
    if let Some(x) = e.kv_crossover_context {
        out.push(Claim {
            number: 5,
            title: "Long context makes KV reads the bottleneck",
            sentence: format!(
                "At this batch, KV reads ({} per token of context) overtake the weight reads above a context of {} tokens; now they are {} of the step's bytes.",
                f::bytes(e.kv_bytes_per_token),
                f::integer(x),
                pct(d.kv_bytes / (d.kv_bytes + d.weight_bytes))
            ),
        });
    }
    if s.model.moe.is_some() {
        out.push(Claim {
            number: 7,
            title: "MoE: total parameters buy knowledge, active parameters cost compute",
            sentence: format!(
                "{} of {} parameters are active ({}); at batch {} about {} of {} experts per layer are touched, so the step reads {} of weights.",
                f::count(e.params.active),
                f::count(e.params.total),
                pct(e.params.active / e.params.total),
                f::integer(b),
                f::sig(d.experts_touched, 3),
                f::integer(sh.experts),
                f::bytes(d.weight_bytes)
            ),
        });
    }
    if s.chips > 1 {
        out.push(Claim {
            number: 8,
            title: "More chips add bandwidth",
            sentence: format!(
                "{} chips read at {} together, so the weights take {} per step instead of {} on one chip, at the price of {} of communication.",
                s.chips,
                f::bandwidth(s.chips as f64 * s.hardware.memory_bandwidth),
                f::seconds(d.weight_bytes / (s.chips as f64 * s.hardware.memory_bandwidth * s.efficiency.bandwidth)),
                f::seconds(d.weight_bytes / (s.hardware.memory_bandwidth * s.efficiency.bandwidth)),
                f::seconds(d.comm_seconds)
            ),
        });
    }
    out.push(Claim {
        number: 11,
        title: "Speed costs money",
        sentence: format!(
            "Each user gets {} at {} per million tokens; a smaller batch is faster per user but each token carries a larger share of the {} weight read.",
            f::tokens_per_second(d.tokens_per_second_per_user),
            f::usd(e.cost.per_million_output_tokens),
            f::bytes(d.weight_bytes)
        ),
    });
    out.push(Claim {
        number: 0,
        title: "HBM drain time",
        sentence: format!(
            "Reading a whole chip's memory takes {} ÷ {} = {}: the natural step time of a server whose memory is full of weights and KV; this step takes {}.",
            f::bytes(s.hardware.memory_capacity),
            f::bandwidth(s.hardware.memory_bandwidth),
            f::seconds(e.hbm_drain_seconds),
            f::seconds(d.step_seconds)
        ),
    });
    out
}
