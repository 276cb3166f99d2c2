//! "Why": each headline result as its formula with this scenario's own numbers, and the
//! claims of MODEL.md stated in one plain sentence where they apply. Pure text.

mod claims;
mod extras;
mod kinds;
mod offload;
mod report;
mod step;

pub use claims::claims;
use extras::{prefix_why, speculation_why};
use kinds::attention_kinds_why;
pub use report::markdown_report;
use step::{mechanism_lines, step_line};

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
        "{} per step + {} per request + {} per sequence per layer",
        f::seconds(e.step_overhead_seconds),
        f::seconds(e.request_overhead_seconds),
        f::seconds(e.sequence_layer_seconds)
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

/// The cache bytes a step reads: "KV 1.2 GB", with a sparse model's index keys and the
/// linear layers' state (read and written back) named apart when there are any.
fn cache_bytes_text(d: &crate::model::Decode) -> String {
    let t = &d.terms;
    let kv = d.kv_bytes - t.indexer_bytes - t.linear_state_bytes;
    let mut out = format!("KV {}", f::bytes(kv));
    if t.indexer_bytes > 0.0 {
        out.push_str(&format!(" + index keys {}", f::bytes(t.indexer_bytes)));
    }
    if t.linear_state_bytes > 0.0 {
        out.push_str(&format!(
            " + linear state {}",
            f::bytes(t.linear_state_bytes)
        ));
    }
    out
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
            "memory time = (weights {} + {}) ÷ ({} × {} × {}) = {}",
            f::bytes(d.weight_bytes),
            cache_bytes_text(d),
            s.chips,
            f::bandwidth(s.hardware.memory_bandwidth),
            pct(eff.bandwidth),
            f::seconds(d.memory_seconds)
        ),
    };
    let mem_line = offload::memory_line(s, e).unwrap_or(mem_line);
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
    if let Some(w) = attention_kinds_why(s, e) {
        out.push(w);
    }

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
        lines: [
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
        ]
        .into_iter()
        .chain(prefill_mechanism_lines(s, e))
        .collect(),
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
    cap.extend(offload::memory_sentence(s, e));
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
                "weights read per step {} = batch {} × context × {} per token {} at a context of {} tokens",
                f::bytes(d.weight_bytes),
                f::integer(b),
                if s.model.layer_kinds.sparse_top_k.is_some() {
                    "index keys (a sparse model's KV reads stop at k)"
                } else {
                    "KV"
                },
                f::bytes(crate::model::read_bytes_per_context_token(s)),
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

/// The prefill lines of the mechanisms that make MoE prefill differ from dense prefill: the
/// experts' GEMMs at their own efficiency, and under expert parallelism the MoE dispatch
/// and combine of the prompt's tokens in place of the all-reduces.
fn prefill_mechanism_lines(s: &Scenario, e: &Evaluation) -> Vec<String> {
    let mut lines = Vec::new();
    if s.model.moe.as_ref().is_none_or(|m| m.experts == 0) {
        return lines;
    }
    let eff = &s.efficiency;
    if let Some(x) = eff.expert_compute {
        lines.push(format!(
            "prefill's expert GEMMs run at {:.0}% of peak (the grouped expert kernels, as in decode), its other GEMMs at {:.0}%",
            x * 100.0,
            eff.prefill() * 100.0
        ));
    }
    if s.parallelism == Parallelism::Expert && s.chips > 1 {
        lines.push(format!(
            "prefill communication = the MoE dispatch and combine of the prompt's tokens over {} chips (attention and dense layers are data parallel: no all-reduce) = {}",
            s.chips,
            f::seconds(e.prefill.comm_seconds)
        ));
    }
    lines
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
    fn the_moe_exchange_says_how_many_chips_each_token_reaches() {
        let mut s = Scenario {
            model: crate::catalogue::presets::model_preset("deepseek-v3")
                .unwrap()
                .spec
                .clone(),
            hardware: crate::catalogue::presets::hardware_preset("h200-sxm")
                .unwrap()
                .spec
                .clone(),
            chips: 8,
            parallelism: Parallelism::Expert,
            ..Scenario::default()
        };
        s.precision.weights = crate::scenario::Precision::Fp8;
        s.precision.compute = crate::scenario::Precision::Fp8;
        s.workload.batch_size = 1024;
        let e = evaluate(&s).unwrap();
        assert!((e.decode.terms.exchange_copies - 4.633).abs() < 1e-3);
        let w = explain(&s, &e);
        let parts = &w
            .iter()
            .find(|w| w.metric == "decode.part.gemm_seconds")
            .unwrap()
            .lines;
        let comm = parts
            .iter()
            .find(|l| l.contains("all-to-all"))
            .expect("an exchange line");
        assert!(
            comm.contains("8 experts")
                && comm.contains("4.63 chips")
                && comm.contains("one copy per expert would be 7.00"),
            "{comm}"
        );
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
    fn moe_prefill_names_its_expert_efficiency_and_exchange() {
        use crate::catalogue::presets::{hardware_preset, model_preset};
        let mut s = Scenario {
            model: model_preset("qwen3-235b-a22b").unwrap().spec.clone(),
            hardware: hardware_preset("h200-sxm").unwrap().spec.clone(),
            chips: 4,
            parallelism: Parallelism::Expert,
            ..Scenario::default()
        };
        let text = |s: &Scenario| {
            let e = evaluate(s).unwrap();
            let w = explain(s, &e);
            let p = w.iter().find(|w| w.metric == "prefill.seconds").unwrap();
            (p.lines.join("\n"), e)
        };
        let (t, e) = text(&s);
        assert!(
            t.contains("dispatch and combine") && t.contains(&f::seconds(e.prefill.comm_seconds)),
            "{t}"
        );
        assert!(t.contains("expert GEMMs run at"), "{t}");
        // Tensor parallel: the all-reduces, no exchange line; a dense model: neither line.
        s.parallelism = Parallelism::Tensor;
        assert!(!text(&s).0.contains("dispatch and combine"));
        s.model = model_preset("llama-3.1-70b").unwrap().spec.clone();
        assert!(!text(&s).0.contains("expert GEMMs run at"));
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
