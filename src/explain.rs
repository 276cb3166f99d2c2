//! "Why": each headline result as its formula with this scenario's own numbers, and the
//! claims of MODEL.md stated in one plain sentence where they apply. Pure text.

use crate::format as f;
use crate::model::{shape, Bound, Evaluation};
use crate::scenario::{Parallelism, Scenario};

/// One explained result.
#[derive(Clone, Debug, PartialEq)]
pub struct Why {
    /// The metric key this explains (`decode.step_seconds`).
    pub metric: &'static str,
    /// Short heading.
    pub title: &'static str,
    /// The formula with numbers substituted, line by line.
    pub lines: Vec<String>,
}

/// One claim of MODEL.md as it applies to this scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// The claim's number in MODEL.md (1–11); 0 for a related fact that is not a claim.
    pub number: u8,
    pub title: &'static str,
    pub sentence: String,
}

fn pct(x: f64) -> String {
    format!("{}%", f::sig(x * 100.0, 3))
}

/// The step as its formula: one roofline over all reads and math, or (attention apart) a
/// roofline per phase.
fn step_line(d: &crate::model::Decode) -> String {
    let t = &d.terms;
    if t.attention_apart {
        let g = t.gemm_seconds + t.padding_seconds + t.imbalance_seconds + t.dequant_seconds;
        format!(
            "step = max(weights {}, GEMMs {}) + max(KV {}, attention {}) + communication {} + overheads {} = {}",
            f::seconds(t.weight_read_seconds),
            f::seconds(g),
            f::seconds(t.kv_read_seconds),
            f::seconds(t.attention_compute_seconds),
            f::seconds(d.comm_seconds),
            f::seconds(d.latency_seconds),
            f::seconds(d.step_seconds)
        )
    } else {
        format!(
            "step = max({}, {}) + communication {} + overheads {} = {}",
            f::seconds(d.memory_seconds),
            f::seconds(d.compute_seconds),
            f::seconds(d.comm_seconds),
            f::seconds(d.latency_seconds),
            f::seconds(d.step_seconds)
        )
    }
}

/// Each part of the step on the critical path with the mechanism behind it, one sentence
/// each (`model::step_parts`); parts that cost nothing here are left out.
fn mechanism_lines(s: &Scenario, d: &crate::model::Decode) -> Vec<String> {
    let p = crate::model::step_parts::StepParts::of(d);
    let t = &d.terms;
    let eff = &s.efficiency;
    let total = d.step_seconds.max(1e-300);
    let share = |x: f64| pct(x / total);
    let mut out = vec![format!(
        "reading weights {} ({}) and the KV cache {} ({}).",
        f::seconds(p.weights),
        share(p.weights),
        f::seconds(p.kv),
        share(p.kv)
    )];
    let mut add = |x: f64, text: String| {
        if x > 0.0 {
            out.push(format!("{} ({}): {text}", f::seconds(x), share(x)));
        }
    };
    add(
        p.gemm,
        "the weights' matrix products run beyond the reads they overlap.".into(),
    );
    add(
        p.padding,
        format!(
            "tile padding: each GEMM runs its token rows in whole tiles of {} rows, and each touched expert multiplies only {} tokens.",
            eff.token_tile,
            f::sig(t.tokens_per_expert, 3)
        ),
    );
    add(
        p.imbalance,
        format!(
            "expert imbalance: the busiest chip carries {}× the mean expert load ({}), and the step waits for it.",
            f::sig(t.imbalance_factor, 4),
            if eff.expert_imbalance.is_some() {
                "as measured"
            } else {
                "random top-k routing"
            }
        ),
    );
    add(
        p.dequant,
        format!(
            "widening {} weights to {} for the tensor cores, on the vector units.",
            s.precision.weights, s.precision.compute
        ),
    );
    add(
        p.attention,
        format!(
            "attention math at {} beyond its KV reads.",
            t.attention_precision
        ),
    );
    add(
        p.communication,
        if s.parallelism == Parallelism::Expert && s.model.moe.is_some() {
            "all-to-all dispatch and combine of every token to its experts' chips.".into()
        } else {
            "all-reduces between the tensor-parallel chips.".to_string()
        },
    );
    add(
        p.overheads,
        "per-step overhead and collective latencies.".into(),
    );
    if t.comm_hidden_seconds > 0.0 {
        out.push(format!(
            "{} of communication hidden under compute (two-batch overlap).",
            f::seconds(t.comm_hidden_seconds)
        ));
    }
    out
}

/// The line under the results that says which efficiencies the estimate uses.
pub fn estimate_note(e: &crate::scenario::Efficiency) -> String {
    if e.is_pure() {
        return "Pure roofline bound: 100% of peak FLOP/s and bandwidth, no overheads.".into();
    }
    let mut parts = vec![
        format!("GEMMs {} of peak FLOP/s", pct(e.compute)),
        format!("{} of bandwidth", pct(e.bandwidth)),
    ];
    if let Some(p) = e.prefill_compute {
        parts.push(format!("prefill {}", pct(p)));
    }
    if let Some(a) = e.attention_compute {
        parts.push(format!("attention {} at the KV cache's precision", pct(a)));
    }
    if let Some(x) = e.expert_compute {
        parts.push(format!("expert GEMMs {}", pct(x)));
    }
    if e.token_tile > 1 {
        parts.push(format!("token rows padded to {}-row tiles", e.token_tile));
    }
    parts.push(format!(
        "{} per step + {} per request",
        f::seconds(e.step_overhead_seconds),
        f::seconds(e.request_overhead_seconds)
    ));
    parts.push(format!(
        "{} per collective",
        f::seconds(e.collective_latency_seconds)
    ));
    format!(
        "Realistic estimate: {} (calibrated against published throughput; see the Validation panel and docs/calibration.md). \"bound\" is the pure roofline.",
        parts.join(", ")
    )
}

/// The formulas behind the headline results.
pub fn explain(s: &Scenario, e: &Evaluation) -> Vec<Why> {
    let n = s.chips as f64;
    let b = s.workload.batch_size as f64;
    let d = &e.decode;
    let eff = &s.efficiency;
    let peak = s.peak_flops().unwrap_or(f64::NAN);
    let chips = if s.chips == 1 {
        "1 chip".to_string()
    } else {
        format!("{} chips", s.chips)
    };
    let mut out = Vec::new();

    let mem_line = match s.parallelism {
        Parallelism::Expert if s.model.moe.is_some() => format!(
            "memory time = one chip's bytes ÷ (bandwidth × η_bw) = {} ÷ ({} × {}) = {}",
            f::bytes(d.memory_seconds * s.hardware.memory_bandwidth * eff.bandwidth),
            f::bandwidth(s.hardware.memory_bandwidth),
            pct(eff.bandwidth),
            f::seconds(d.memory_seconds)
        ),
        _ => format!(
            "memory time = (weights {} + KV {}) ÷ ({} × {} × {}) = {}",
            f::bytes(d.weight_bytes),
            f::bytes(d.kv_bytes),
            s.chips,
            f::bandwidth(s.hardware.memory_bandwidth),
            pct(eff.bandwidth),
            f::seconds(d.memory_seconds)
        ),
    };
    let mut step = vec![
        mem_line,
        format!(
            "compute time = {} ÷ ({} × {} × {}) = {}",
            f::flops(d.flops),
            s.chips,
            f::flops_rate(peak),
            pct(eff.compute),
            f::seconds(d.compute_seconds)
        ),
        step_line(d),
    ];
    step.push(match d.bound {
        Bound::Memory => format!(
            "Memory-bound: reading bytes takes {:.1}× as long as the math, so more bandwidth (or fewer bytes: lower precision, a bigger batch sharing the weight reads) helps; more FLOP/s does not.",
            d.memory_seconds / d.compute_seconds.max(1e-300)
        ),
        Bound::Compute => format!(
            "Compute-bound: the math takes {:.1}× as long as reading the bytes, so more FLOP/s (or lower-precision arithmetic) helps; more bandwidth does not.",
            d.compute_seconds / d.memory_seconds.max(1e-300)
        ),
    });
    out.push(Why {
        metric: "decode.step_seconds",
        title: "Decode step time",
        lines: step,
    });
    out.push(Why {
        metric: "decode.part.gemm_seconds",
        title: "Where the step goes",
        lines: mechanism_lines(s, d),
    });

    // The time each sequence waits per output token: the step, or round ÷ τ.
    let (per_token, per_token_name) = match &e.speculative {
        Some(sp) => (sp.seconds_per_token, "time per token (round ÷ τ)"),
        None => (d.step_seconds, "step"),
    };
    out.push(Why {
        metric: "decode.tokens_per_second",
        title: "Throughput",
        lines: vec![
            format!(
                "system = batch ÷ {per_token_name} = {} ÷ {} = {}",
                f::integer(b),
                f::seconds(per_token),
                f::tokens_per_second(d.tokens_per_second)
            ),
            format!(
                "per user = 1 ÷ {per_token_name} = {}; per chip = {}",
                f::tokens_per_second(d.tokens_per_second_per_user),
                f::tokens_per_second(d.tokens_per_second / n)
            ),
        ],
    });

    out.push(Why {
        metric: "cost.per_million_output_tokens",
        title: "Cost per million output tokens",
        lines: vec![format!(
            "= {} × {}/h ÷ 3600 × {} ÷ {} × 10⁶ = {}",
            chips,
            f::usd(s.hardware.price_per_hour),
            f::seconds(per_token),
            f::integer(b),
            f::usd(e.cost.per_million_output_tokens)
        )],
    });

    if let Some(sp) = &e.speculative {
        out.push(speculation_why(sp, b));
    }

    out.push(Why {
        metric: "prefill.seconds",
        title: "Time to first token",
        lines: vec![
            format!(
                "prefill of {} tokens = max({} read, {} of math) + communication and overheads = {} ({}-bound)",
                if e.prefix.cached > 0.0 {
                    format!(
                        "{} new (after {} cached)",
                        f::integer(e.prefix.new),
                        f::integer(e.prefix.cached)
                    )
                } else {
                    f::integer(s.workload.input_tokens as f64)
                },
                f::seconds(e.prefill.memory_seconds),
                f::seconds(e.prefill.compute_seconds),
                f::seconds(e.prefill.seconds),
                e.prefill.bound.name()
            ),
            format!(
                "input cost = {} × {}/h ÷ 3600 × prefill of the whole batch's {} prompt tokens ÷ those tokens × 10⁶ = {}",
                chips,
                f::usd(s.hardware.price_per_hour),
                f::integer(b * s.workload.input_tokens as f64),
                f::usd(e.cost.per_million_input_tokens)
            ),
        ],
    });

    if e.prefix.stored > 0.0 {
        out.push(prefix_why(s, e, &chips));
    }

    let c = &e.capacity;
    let mut cap = vec![format!(
        "weights {} + {} × KV per sequence {} = {} of {} usable (90% of {} × {})",
        f::bytes(c.weight_bytes),
        f::integer(b),
        f::bytes(c.kv_bytes_per_sequence),
        f::bytes(c.used_bytes),
        f::bytes(c.usable_bytes),
        s.chips,
        f::bytes(s.hardware.memory_capacity)
    )];
    cap.push(format!(
        "max batch at a context of {} tokens = ⌊free memory ÷ KV per sequence⌋ = {}",
        f::integer(e.context),
        f::integer(c.max_batch_size as f64)
    ));
    out.push(Why {
        metric: "capacity.fits",
        title: "Memory",
        lines: cap,
    });

    let cb = &e.critical_batch;
    out.push(Why {
        metric: "critical_batch.rule_of_thumb",
        title: "Ideal batch",
        lines: vec![
            format!(
                "rule of thumb = (F ÷ BW) × (bytes per weight ÷ 2) × (total ÷ active) = ({} ÷ {}) × ({} ÷ 2) × {} = {}",
                f::flops_rate(peak),
                f::bandwidth(s.hardware.memory_bandwidth),
                f::sig(s.precision.weights.bytes(), 2),
                f::sig(e.params.sparsity, 3),
                f::integer(cb.rule_of_thumb)
            ),
            match cb.exact {
                Some(x) => format!(
                    "exact = the smallest batch whose compute time reaches its memory time at this context = {}; it differs because KV reads grow with the batch{}{}{}",
                    f::integer(x as f64),
                    if s.model.moe.is_some() { ", few experts are touched at small batches" } else { "" },
                    if s.precision.weights != s.precision.compute { ", weights and arithmetic use different precisions" } else { "" },
                    if s.efficiency.compute != s.efficiency.bandwidth {
                        format!(", and the estimate reaches {} of peak FLOP/s but {} of bandwidth", pct(s.efficiency.compute), pct(s.efficiency.bandwidth))
                    } else {
                        String::new()
                    },
                ),
                None => "exact: none up to 10⁷ — at this context each added request's KV reads cost more time than its math, so the step stays memory-bound at every batch".to_string(),
            },
        ],
    });

    if let Some(x) = e.kv_crossover_context {
        out.push(Why {
            metric: "kv_crossover_context",
            title: "Where KV reads overtake weights",
            lines: vec![format!(
                "weights read per step {} = batch {} × context × KV per token {} at a context of {} tokens",
                f::bytes(d.weight_bytes),
                f::integer(b),
                f::bytes(e.kv_bytes_per_token),
                f::integer(x)
            )],
        });
    }

    out.push(Why {
        metric: "energy.joules_per_output_token",
        title: "Energy per token",
        lines: vec![format!(
            "= (bytes {} × {} pJ + FLOPs {} × {} pJ) ÷ {} = {} moving data + {} arithmetic = {}",
            f::bytes(d.weight_bytes + d.kv_bytes),
            f::sig(s.energy.joules_per_byte * 1e12, 3),
            f::flops(d.flops),
            f::sig(s.energy.joules_per_flop * 1e12, 3),
            f::integer(b),
            f::joules(e.energy.data_movement_joules),
            f::joules(e.energy.arithmetic_joules),
            f::joules(e.energy.joules_per_output_token)
        )],
    });
    out.extend(crate::model::disaggregation::explain(s).into_iter().map(
        |(metric, title, lines)| Why {
            metric,
            title,
            lines,
        },
    ));
    out
}

/// Speculative decoding's round: τ, the verify step, the drafts, the time per token and
/// the speed-up, and why it shrinks once the verify step is compute-bound.
fn speculation_why(sp: &crate::model::Speculation, b: f64) -> Why {
    let k = sp.draft_tokens as f64;
    let a = sp.acceptance_rate;
    let mut lines = vec![
        format!(
            "τ = 1 + a + … + a^k = (1 − a^(k+1)) ÷ (1 − a) with a = {} per draft position (the chance a draft token is kept when every earlier one was) and k = {}: {} tokens kept per target step",
            pct(a),
            sp.draft_tokens,
            f::sig(sp.tokens_per_step, 3)
        ),
        format!(
            "verify step of {} × {} tokens: weights read once, FLOPs and KV writes × {}, KV reads as for one token = {} ({}-bound), against {} for one token",
            f::integer(b),
            f::integer(k + 1.0),
            f::integer(k + 1.0),
            f::seconds(sp.verify_step_seconds),
            sp.verify_bound.name(),
            f::seconds(sp.plain_step_seconds)
        ),
        format!(
            "drafts: {} × one {} step = {} × {} = {} ({} of the verify step; the per-step overhead is paid once per round)",
            sp.draft_tokens,
            sp.draft_name,
            sp.draft_tokens,
            f::seconds(sp.draft_step_seconds),
            f::seconds(sp.draft_seconds),
            pct(sp.draft_share)
        ),
        format!(
            "time per token = (verify {} + drafts {}) ÷ τ {} = {}; speed-up = {} ÷ {} = {}×",
            f::seconds(sp.verify_step_seconds),
            f::seconds(sp.draft_seconds),
            f::sig(sp.tokens_per_step, 3),
            f::seconds(sp.seconds_per_token),
            f::seconds(sp.plain_step_seconds),
            f::seconds(sp.seconds_per_token),
            f::sig(sp.speedup, 3)
        ),
    ];
    lines.push(if sp.speedup > 1.0 {
        format!(
            "The extra tokens ride on spare FLOPs of a step that waits on reads (and on its fixed costs), so the gain nears τ ÷ (1 + draft share) = {}×; as the batch grows the verify step's {}× GEMM FLOPs turn it compute-bound and the gain shrinks (only the KV reads, once per step, stay shared).",
            f::sig(sp.tokens_per_step / (1.0 + sp.draft_share), 3),
            f::integer(k + 1.0)
        )
    } else {
        format!(
            "Here speculation costs more than it saves: the verify step pays for its {}× FLOPs (or the drafts cost more than the {} extra tokens kept per step save).",
            f::integer(k + 1.0),
            f::sig(sp.tokens_per_step - 1.0, 3)
        )
    });
    Why {
        metric: "speculative.speedup",
        title: "Speculative decoding",
        lines,
    }
}

/// The cached prefix: what prefill still computes, the input cost split and its memory.
fn prefix_why(s: &Scenario, e: &Evaluation, chips: &str) -> Why {
    let p = &e.prefix;
    let c = &e.cost;
    let n_in = s.workload.input_tokens as f64;
    let mut lines = vec![format!(
        "{} of each request's {} input tokens are in the prefix cache: prefill computes {} new tokens ({} FLOPs), whose attention still spans all {} positions, and reads the cached tokens' KV instead of writing it",
        f::integer(p.stored),
        f::integer(n_in),
        f::integer(p.new),
        f::flops(e.prefill.flops),
        f::integer(n_in)
    )];
    lines.push(format!(
        "input cost on {} = {} per 1M input tokens over cached and new alike; {} per 1M new tokens (as prompts of their own); {} per 1M cached tokens (the prefill time they still cause)",
        chips,
        f::usd(c.per_million_input_tokens),
        f::usd(c.per_million_uncached_input_tokens),
        c.per_million_cached_input_tokens
            .map_or_else(|| "nothing".to_string(), f::usd)
    ));
    lines.push(match s.workload.prefix_sharing {
        crate::scenario::PrefixSharing::Private => format!(
            "the prefix is private: every request holds its own copy of its KV, so memory and the max batch are as without a cache ({} per sequence)",
            f::bytes(e.capacity.kv_bytes_per_sequence)
        ),
        crate::scenario::PrefixSharing::Shared => format!(
            "the prefix is shared: one copy of its KV ({}) serves every request, each holding only {} beyond it; every step still reads the prefix for every sequence",
            f::bytes(e.capacity.shared_prefix_bytes),
            f::bytes(e.capacity.kv_bytes_per_sequence)
        ),
    });
    Why {
        metric: "cost.per_million_cached_input_tokens",
        title: "Prefix cache",
        lines,
    }
}

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

#[cfg(test)]
mod tests {

    #[test]
    fn the_estimate_note_names_the_mechanisms_or_the_bound() {
        use crate::scenario::Efficiency;
        let r = estimate_note(&Efficiency::REALISTIC);
        assert!(
            r.contains("attention") && r.contains("expert GEMMs") && r.contains("64-row"),
            "{r}"
        );
        assert!(estimate_note(&Efficiency::PURE).starts_with("Pure roofline bound"));
        let old = estimate_note(&Efficiency::LEGACY);
        assert!(!old.contains("attention"), "{old}");
    }

    use super::*;
    use crate::model::evaluate;
    use crate::scenario::Efficiency;

    #[test]
    fn step_formula_carries_this_scenarios_numbers() {
        let s = Scenario {
            efficiency: Efficiency::PURE,
            ..Scenario::default()
        };
        let e = evaluate(&s).unwrap();
        let w = explain(&s, &e);
        let step = &w
            .iter()
            .find(|w| w.metric == "decode.step_seconds")
            .unwrap()
            .lines;
        assert!(step[0].contains("139 GB"), "{}", step[0]);
        assert!(step[0].contains("32.2 GB"), "{}", step[0]);
        assert!(step[2].ends_with("7.04 ms"), "{}", step[2]);
        let cost = &w
            .iter()
            .find(|w| w.metric == "cost.per_million_output_tokens")
            .unwrap()
            .lines[0];
        assert!(cost.ends_with("$0.722"), "{cost}");
        for why in &w {
            for l in &why.lines {
                assert!(!l.contains("NaN") && !l.contains("inf"), "{l}");
            }
        }
    }

    #[test]
    fn speculation_and_the_prefix_cache_are_explained_with_their_numbers() {
        let mut s = Scenario {
            speculative: Some(crate::scenario::Speculative::MTP_START),
            ..Scenario::default()
        };
        s.workload.cached_input_tokens = 768;
        s.workload.prefix_sharing = crate::scenario::PrefixSharing::Shared;
        let e = evaluate(&s).unwrap();
        let w = explain(&s, &e);
        let spec = &w
            .iter()
            .find(|w| w.metric == "speculative.speedup")
            .unwrap()
            .lines;
        assert!(spec[0].contains("1.85 tokens"), "{}", spec[0]);
        let sp = e.speculative.as_ref().unwrap();
        assert!(
            spec[3].ends_with(&format!("{}×", f::sig(sp.speedup, 3))),
            "{}",
            spec[3]
        );
        let prefix = &w
            .iter()
            .find(|w| w.metric == "cost.per_million_cached_input_tokens")
            .unwrap()
            .lines;
        assert!(
            prefix[0].starts_with("768 of each request's 1,024"),
            "{}",
            prefix[0]
        );
        assert!(prefix[2].contains("shared"), "{}", prefix[2]);
        let ttft = &w
            .iter()
            .find(|w| w.metric == "prefill.seconds")
            .unwrap()
            .lines;
        assert!(
            ttft[0].contains("256 new (after 768 cached)"),
            "{}",
            ttft[0]
        );
        for why in &w {
            for l in &why.lines {
                assert!(!l.contains("NaN") && !l.contains("inf"), "{l}");
            }
        }
        // Off by default: no such lines.
        let d = Scenario::default();
        let w = explain(&d, &evaluate(&d).unwrap());
        assert!(!w.iter().any(|w| w.metric == "speculative.speedup"
            || w.metric == "cost.per_million_cached_input_tokens"));
    }

    #[test]
    fn claims_name_the_bound_and_the_ideal_batch() {
        let s = Scenario::default();
        let e = evaluate(&s).unwrap();
        let c = claims(&s, &e);
        assert!(c[0].sentence.contains("memory-bound"));
        assert!(c
            .iter()
            .any(|c| c.number == 3 && c.sentence.contains("295")));
        assert!(c.iter().any(|c| c.number == 8));
        assert!(
            !c.iter().any(|c| c.number == 7),
            "dense model has no MoE claim"
        );
    }
}
