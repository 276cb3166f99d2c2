//! Co-located against disaggregated: the cheapest setup meeting the targets when prefill and
//! decode may run on separate pools of the same or of different chips
//! ([`crate::model::disaggregation`]), and launch commands for both pools.
//!
//! # The comparison
//!
//! Both are priced on the same basis: chip-seconds per request × price ÷ output tokens.
//!
//! - **Co-located** (the planner's ranked setups): a replica of N chips spends one prefill
//!   T_p and (n_out − 1) decode steps shared by B requests on each request:
//!   N·price ÷ 3600 × (T_p + (n_out − 1)·step ÷ B) ÷ n_out per output token.
//! - **Disaggregated**: a prefill engine of N_p chips (tensor parallel) spends T_p on a
//!   request and a decode engine of N_d chips (tensor parallel) at its best batch B spends
//!   (n_out − 1)·step ÷ B: (N_p·price_p·T_p + N_d·price_d·(n_out − 1)·step ÷ B) ÷ 3600 ÷
//!   n_out per output token, the pools in the ratio r_d ÷ r_p prefill engines per decode
//!   engine. Targets: 1 ÷ step ≥ the per-user speed, T_p + KV transfer ≤ the TTFT (the
//!   transfer over the smaller engine's chips × scale-out bandwidth, with
//!   [`Disaggregation::LINK_LATENCY_SECONDS`]), each engine holds its weights and (decode)
//!   its batch's KV; both pools at the same weight and KV precision (the KV they share).
//! - Every chip of the list, every chip count whose tensor-parallel size divides the heads,
//!   for each pool, every precision pair both chips compute; the decode engine's batch is
//!   the largest that fits and meets the speed (bisection, as for co-located setups).
//!
//! The cheaper of the two wins; ties go to co-located (one pool is simpler to run).

use super::launch::VERSION_NOTE;
use super::layouts::precisions;
use super::{Candidate, Chip, ChipKind, Plan, SearchSpace, Targets};
use crate::model::disaggregation::transfer_seconds;
use crate::model::{
    decode_step, fits_at, kv_bytes_per_sequence, max_batch_at, prefill, shape, Bound, StepInputs,
};
use crate::scenario::{Disaggregation, Parallelism, Precision, Scenario};
use serde::Serialize;

/// One pool's engine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PoolEngine {
    /// Chip preset id.
    pub chip_id: String,
    /// Chip display name.
    pub chip_name: String,
    /// Chips (tensor parallel).
    pub chips: u32,
    /// Prefill: one prompt's pass; decode: the step at its batch, seconds.
    pub seconds: f64,
    /// Memory- or compute-bound.
    #[serde(serialize_with = "bound_name")]
    pub bound: Bound,
    /// Decode: concurrent requests (1 for prefill).
    pub batch: u64,
    /// Requests per second one engine serves.
    pub requests_per_second: f64,
    /// USD one request costs on this engine.
    pub usd_per_request: f64,
    /// Chips per scale-up domain.
    pub domain: u32,
}

fn bound_name<S: serde::Serializer>(b: &Bound, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(b.name())
}

/// The cheapest disaggregated setup.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DisaggregatedSetup {
    /// The prefill engine.
    pub prefill: PoolEngine,
    /// The decode engine.
    pub decode: PoolEngine,
    /// Weight (and compute) precision of both pools.
    pub weights: Precision,
    /// KV cache precision of both pools.
    pub kv_cache: Precision,
    /// KV transfer per request, seconds.
    pub transfer_seconds: f64,
    /// Prefill + transfer, seconds.
    pub ttft_seconds: f64,
    /// Prefill engines per decode engine, r_d ÷ r_p.
    pub prefill_per_decode: f64,
    /// The smallest whole ratio with at least as many prefill engines as needed per decode
    /// engine, `"3P1D"`.
    pub ratio: String,
    /// USD per million output tokens, both pools.
    pub cost_per_million_output_tokens: f64,
    /// Longest sequence, n_in + n_out.
    pub max_model_len: u64,
}

/// Which setup wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Winner {
    /// One pool doing both.
    CoLocated,
    /// Separate prefill and decode pools.
    Disaggregated,
}

/// Co-located against disaggregated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The cheapest co-located setup on the common basis, and that cost.
    pub co_located: Option<(Candidate, f64)>,
    /// The cheapest disaggregated setup.
    pub disaggregated: Option<DisaggregatedSetup>,
    /// The cheaper (none when neither meets the targets).
    pub winner: Option<Winner>,
    /// Why, with the numbers.
    pub why: String,
    /// Commands for both pools of the disaggregated setup.
    pub launch: Option<DisaggregatedLaunch>,
}

/// Commands for a disaggregated setup.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DisaggregatedLaunch {
    /// SGLang prefill server, decode server and router.
    pub sglang: Vec<String>,
    /// vLLM prefill and decode servers (NIXL KV transfer).
    pub vllm: Vec<String>,
    /// Versions and caveats.
    pub notes: Vec<String>,
}

/// USD per million output tokens of a co-located candidate, its prefill counted:
/// N·price ÷ 3600 × (T_p + (n_out − 1)·step ÷ B) ÷ n_out × 10⁶.
pub fn co_located_cost(c: &Candidate, output_tokens: u64) -> f64 {
    let per_request = c.ttft_seconds
        + (output_tokens as f64 - 1.0).max(0.0) * c.step_seconds / c.setup.batch as f64;
    c.cost_per_hour / 3600.0 * per_request / output_tokens as f64 * 1e6
}

/// One chip's engine scenario: `base` on `n` chips of `chip`, tensor parallel, at (w, kv).
fn engine(base: &Scenario, chip: &Chip, n: u32, w: Precision, kv: Precision) -> Scenario {
    let mut s = base.clone();
    s.hardware = chip.spec.clone();
    s.chips = n;
    s.parallelism = Parallelism::Tensor;
    s.precision.weights = w;
    s.precision.compute = w;
    s.precision.kv_cache = kv;
    if n > chip.domain {
        s.hardware.interconnect_bandwidth = chip
            .scale_out_bandwidth
            .min(chip.spec.interconnect_bandwidth);
    }
    s
}

/// Prefill engines of one chip: (precision pair, engine) for every count that fits a prompt.
fn prefill_engines(
    base: &Scenario,
    chip: &Chip,
    space: &SearchSpace,
) -> Vec<((Precision, Precision), PoolEngine)> {
    let mut out = Vec::new();
    let n_in = base.workload.input_tokens as f64;
    for (w, kv) in precisions(&chip.spec) {
        let Some(&peak) = chip.spec.peak_flops.get(&w) else {
            continue;
        };
        for &n in &space.chip_counts {
            if n == 0 || !base.model.attention_heads.is_multiple_of(n) {
                continue;
            }
            let s = engine(base, chip, n, w, kv);
            let sh = shape(&s);
            if !fits_at(&s, &sh, n as f64, 1.0, kv_bytes_per_sequence(&s, n_in)) {
                continue;
            }
            let p = prefill(&s, &sh, peak, n_in, 1.0);
            out.push((
                (w, kv),
                PoolEngine {
                    chip_id: chip.id.clone(),
                    chip_name: chip.spec.name.clone(),
                    chips: n,
                    seconds: p.seconds,
                    bound: p.bound,
                    batch: 1,
                    requests_per_second: 1.0 / p.seconds,
                    usd_per_request: n as f64 * chip.spec.price_per_hour / 3600.0 * p.seconds,
                    domain: chip.domain,
                },
            ));
        }
    }
    out
}

/// Decode engines of one chip at their best batch (the largest that fits and meets the
/// per-user speed, at most the space's batch cap).
fn decode_engines(
    base: &Scenario,
    chip: &Chip,
    targets: &Targets,
    space: &SearchSpace,
) -> Vec<((Precision, Precision), PoolEngine)> {
    let mut out = Vec::new();
    let ctx = base.decode_context();
    let steps = (base.workload.output_tokens as f64 - 1.0).max(0.0);
    let max_step = 1.0 / targets.min_user_tokens_per_second;
    for (w, kv) in precisions(&chip.spec) {
        let Some(&peak) = chip.spec.peak_flops.get(&w) else {
            continue;
        };
        for &n in &space.chip_counts {
            if n == 0 || !base.model.attention_heads.is_multiple_of(n) {
                continue;
            }
            let s = engine(base, chip, n, w, kv);
            let sh = shape(&s);
            let kv_seq = kv_bytes_per_sequence(&s, ctx);
            let step = |b: u64| {
                decode_step(
                    &s,
                    &sh,
                    peak,
                    StepInputs {
                        batch: b as f64,
                        context: ctx,
                        chips: n as f64,
                    },
                )
            };
            let hi = max_batch_at(&s, &sh, n as f64, kv_seq).min(space.max_batch_per_replica);
            if hi == 0
                || !fits_at(&s, &sh, n as f64, 1.0, kv_seq)
                || step(1).step_seconds > max_step
            {
                continue;
            }
            let b = if step(hi).step_seconds <= max_step {
                hi
            } else {
                let (mut lo, mut up) = (1u64, hi);
                while up - lo > 1 {
                    let mid = lo + (up - lo) / 2;
                    if step(mid).step_seconds <= max_step {
                        lo = mid;
                    } else {
                        up = mid;
                    }
                }
                lo
            };
            let d = step(b);
            let per_hour = n as f64 * chip.spec.price_per_hour;
            out.push((
                (w, kv),
                PoolEngine {
                    chip_id: chip.id.clone(),
                    chip_name: chip.spec.name.clone(),
                    chips: n,
                    seconds: d.step_seconds,
                    bound: d.bound,
                    batch: b,
                    requests_per_second: if steps > 0.0 {
                        b as f64 / (steps * d.step_seconds)
                    } else {
                        f64::INFINITY
                    },
                    usd_per_request: per_hour / 3600.0 * steps * d.step_seconds / b as f64,
                    domain: chip.domain,
                },
            ));
        }
    }
    out
}

/// The cheapest disaggregated setup of `base.model` over `chips` meeting `targets` (the
/// targets' lengths; see the module documentation), if any.
pub fn best_disaggregated(
    base: &Scenario,
    targets: &Targets,
    chips: &[Chip],
    space: &SearchSpace,
) -> Option<DisaggregatedSetup> {
    let mut base = base.clone();
    base.workload.input_tokens = targets.input_tokens;
    base.workload.output_tokens = targets.output_tokens;
    base.workload.context_length = None;
    base.disaggregation = Disaggregation::OFF;
    let allowed: Vec<&Chip> = chips
        .iter()
        .filter(|c| match &targets.chips {
            None => true,
            Some(ids) => ids.iter().any(|i| i == &c.id),
        })
        .collect();
    let pre: Vec<_> = allowed
        .iter()
        .flat_map(|c| prefill_engines(&base, c, space))
        .collect();
    let dec: Vec<_> = allowed
        .iter()
        .flat_map(|c| decode_engines(&base, c, targets, space))
        .collect();
    let n_in = base.workload.input_tokens as f64;
    let n_out = base.workload.output_tokens as f64;
    let so = |id: &str| {
        chips
            .iter()
            .find(|c| c.id == id)
            .map_or(0.0, |c| c.scale_out_bandwidth)
    };
    let mut best: Option<(f64, u32, u64, DisaggregatedSetup)> = None;
    for (pp, p) in &pre {
        for (dp, d) in &dec {
            if pp != dp {
                continue;
            }
            let mut kv_s = base.clone();
            kv_s.precision.kv_cache = pp.1;
            let bytes = crate::model::kv_bytes_per_sequence(&kv_s, n_in);
            let bw = (p.chips as f64 * so(&p.chip_id)).min(d.chips as f64 * so(&d.chip_id));
            if bw <= 0.0 {
                continue;
            }
            let transfer = transfer_seconds(bytes, bw, Disaggregation::LINK_LATENCY_SECONDS);
            let ttft = p.seconds + transfer;
            if ttft > targets.max_ttft_seconds {
                continue;
            }
            let cost = (p.usd_per_request + d.usd_per_request) / n_out * 1e6;
            if let Some(super::Budget::PerMillionOutputTokens(v)) = targets.budget {
                if cost > v {
                    continue;
                }
            }
            let chips_used = p.chips + d.chips;
            let better = match &best {
                None => true,
                Some((c0, n0, b0, _)) => {
                    cost < *c0
                        || (cost == *c0
                            && (chips_used < *n0 || (chips_used == *n0 && d.batch > *b0)))
                }
            };
            if better {
                let per = if p.requests_per_second > 0.0 {
                    d.requests_per_second / p.requests_per_second
                } else {
                    f64::INFINITY
                };
                best = Some((
                    cost,
                    chips_used,
                    d.batch,
                    DisaggregatedSetup {
                        prefill: p.clone(),
                        decode: d.clone(),
                        weights: pp.0,
                        kv_cache: pp.1,
                        transfer_seconds: transfer,
                        ttft_seconds: ttft,
                        prefill_per_decode: per,
                        ratio: ratio(per),
                        cost_per_million_output_tokens: cost,
                        max_model_len: targets.input_tokens + targets.output_tokens,
                    },
                ));
            }
        }
    }
    best.map(|b| b.3)
}

/// The smallest whole xPyD with x ÷ y ≥ `per` (prefill engines per decode engine), y ≤ 8:
/// the y whose ⌈per·y⌉ ÷ y overshoots least; infinite: `1P0D`.
pub fn ratio(per: f64) -> String {
    if !per.is_finite() {
        return "1P0D".into();
    }
    let mut best = (f64::INFINITY, 1u64, 1u64);
    for y in 1..=8u64 {
        let x = (per * y as f64).ceil().max(1.0) as u64;
        let over = x as f64 / y as f64 - per;
        if over < best.0 - 1e-12 {
            best = (over, x, y);
        }
    }
    format!("{}P{}D", best.1, best.2)
}

/// Compares the plan's co-located setups with the cheapest disaggregated one.
pub fn compare(
    base: &Scenario,
    targets: &Targets,
    chips: &[Chip],
    space: &SearchSpace,
    plan: &Plan,
    repo: &str,
) -> Comparison {
    use crate::format as f;
    let co = plan
        .ranked
        .iter()
        .map(|c| (c.clone(), co_located_cost(c, targets.output_tokens)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let dis = best_disaggregated(base, targets, chips, space);
    let winner = match (&co, &dis) {
        (None, None) => None,
        (Some(_), None) => Some(Winner::CoLocated),
        (None, Some(_)) => Some(Winner::Disaggregated),
        (Some((_, c)), Some(d)) => Some(if d.cost_per_million_output_tokens < *c {
            Winner::Disaggregated
        } else {
            Winner::CoLocated
        }),
    };
    let dis_line = |d: &DisaggregatedSetup| {
        format!(
            "disaggregated {} {} × {} prefill ({}-bound, {} per prompt) with {} × {} decode (batch {}, {}-bound step {}), TTFT {} with a {} KV transfer: {} per 1M output tokens",
            d.ratio,
            d.prefill.chips,
            d.prefill.chip_name,
            d.prefill.bound.name(),
            f::seconds(d.prefill.seconds),
            d.decode.chips,
            d.decode.chip_name,
            d.decode.batch,
            d.decode.bound.name(),
            f::seconds(d.decode.seconds),
            f::seconds(d.ttft_seconds),
            f::seconds(d.transfer_seconds),
            f::usd(d.cost_per_million_output_tokens)
        )
    };
    let co_line = |(c, cost): &(Candidate, f64)| {
        format!(
            "co-located {} ({}): {} per 1M output tokens with its prefills counted (prefill {} stalls the batch of {} once per request)",
            c.setup.label(),
            c.binding,
            f::usd(*cost),
            f::seconds(c.ttft_seconds),
            c.setup.batch
        )
    };
    let why = match (&winner, &co, &dis) {
        (Some(Winner::Disaggregated), Some(c), Some(d)) => format!(
            "Disaggregated wins: {}; against {}. Decode alone keeps its batch in memory-bound steps while prefill runs compute-bound on its own chips.",
            dis_line(d),
            co_line(c)
        ),
        (Some(Winner::CoLocated), Some(c), Some(d)) => format!(
            "Co-located wins: {}; against {}. On the same basis (chip-seconds per request) splitting the phases is no cheaper here, and it adds the KV transfer to the first token.",
            co_line(c),
            dis_line(d)
        ),
        (Some(Winner::Disaggregated), None, Some(d)) => format!(
            "Only disaggregated meets the targets: {}.",
            dis_line(d)
        ),
        (Some(Winner::CoLocated), Some(c), None) => format!(
            "Only co-located meets the targets: {}; no pair of prefill and decode engines does.",
            co_line(c)
        ),
        _ => "Neither co-located nor disaggregated setups meet the targets.".into(),
    };
    let launch = dis.as_ref().map(|d| commands(d, repo, chips));
    Comparison {
        co_located: co,
        disaggregated: dis,
        winner,
        why,
        launch,
    }
}

/// Launch commands for both pools: SGLang's disaggregation mode (a prefill server, a decode
/// server, the router) and vLLM's KV-transfer configuration (NIXL).
pub fn commands(d: &DisaggregatedSetup, repo: &str, chips: &[Chip]) -> DisaggregatedLaunch {
    let kind = |id: &str| chips.iter().find(|c| c.id == id).map(|c| c.kind);
    let mut notes = vec![
        VERSION_NOTE.to_string(),
        "Disaggregated serving as of SGLang 0.4/0.5 (--disaggregation-mode with the Mooncake or NIXL transfer backend, and the sglang-router in PD mode) and vLLM 0.10 (--kv-transfer-config with NixlConnector, behind a proxy that sends each request to a prefill and then a decode server); both are marked experimental and their flags change between versions.".to_string(),
        format!(
            "Run the pools in the ratio {} (prefill servers P to decode servers D, each server one command below); the KV crosses the network over RDMA (InfiniBand or RoCE).",
            d.ratio
        ),
    ];
    if [&d.prefill.chip_id, &d.decode.chip_id]
        .iter()
        .any(|id| kind(id) == Some(ChipKind::Tpu))
    {
        notes.push("A pool on TPUs: these GPU commands do not apply to it.".into());
    }
    let (quant_v, quant_g) = match d.weights {
        Precision::Fp8 => (" --quantization fp8", " --quantization fp8"),
        _ => ("", ""),
    };
    let (kv_v, kv_g) = if d.kv_cache == Precision::Fp8 {
        (" --kv-cache-dtype fp8", " --kv-cache-dtype fp8_e4m3")
    } else {
        ("", "")
    };
    let len = d.max_model_len;
    let sglang = vec![
        format!(
            "python -m sglang.launch_server --model-path {repo} --disaggregation-mode prefill --disaggregation-transfer-backend mooncake --tp {} --context-length {len} --mem-fraction-static 0.9{kv_g}{quant_g} --port 30000",
            d.prefill.chips
        ),
        format!(
            "python -m sglang.launch_server --model-path {repo} --disaggregation-mode decode --disaggregation-transfer-backend mooncake --tp {} --max-running-requests {} --context-length {len} --mem-fraction-static 0.9{kv_g}{quant_g} --port 30001",
            d.decode.chips, d.decode.batch
        ),
        "python -m sglang_router.launch_router --pd-disaggregation --prefill http://PREFILL_IP:30000 --decode http://DECODE_IP:30001 --host 0.0.0.0 --port 8000".to_string(),
    ];
    let kvt = r#"'{"kv_connector":"NixlConnector","kv_role":"kv_both"}'"#;
    let vllm = vec![
        format!(
            "vllm serve {repo} --tensor-parallel-size {} --max-model-len {len} --gpu-memory-utilization 0.9{kv_v}{quant_v} --kv-transfer-config {kvt} --port 8100",
            d.prefill.chips
        ),
        format!(
            "vllm serve {repo} --tensor-parallel-size {} --max-num-seqs {} --max-model-len {len} --gpu-memory-utilization 0.9{kv_v}{quant_v} --kv-transfer-config {kvt} --port 8200",
            d.decode.chips, d.decode.batch
        ),
    ];
    DisaggregatedLaunch {
        sglang,
        vllm,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios() {
        assert_eq!(ratio(1.0), "1P1D");
        assert_eq!(ratio(3.0), "3P1D");
        assert_eq!(ratio(0.5), "1P2D");
        assert_eq!(ratio(2.45), "5P2D");
        assert_eq!(ratio(2.4), "12P5D");
        assert_eq!(ratio(0.1), "1P8D");
        assert_eq!(ratio(f64::INFINITY), "1P0D");
    }
}
