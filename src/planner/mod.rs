//! The planner: the cheapest setup that serves a model at a required speed.
//!
//! Given a model, targets (tokens per second each user sees at least X, time to first token
//! at most Y, input and output lengths, optionally allowed chips and a budget) and the
//! scenario's efficiency settings, [`plan`] searches chips × chip counts × weight/KV
//! precision × parallelism layout × batch, keeps what fits in memory and meets the targets,
//! and ranks by cost per million output tokens. Pure: no web dependencies.
//!
//! # The search
//!
//! - Chips: the hardware presets (or any list of [`Chip`]s), filtered by the allowed ids.
//! - Chip counts N: [`SearchSpace::chip_counts`] (1, 2, 4, … 64).
//! - Precision: weights and compute at the chip's 16-bit format (bf16, else fp16), at fp8
//!   and at fp4 where the chip has peak FLOP/s for it (compute runs at the weights'
//!   precision); KV cache at 16 bits, or fp8 where the chip computes in fp8. Integer formats
//!   are left out (their serving needs pre-quantized checkpoints).
//! - Layouts: tensor parallel t = N ÷ P over P pipeline stages (P a power of two dividing N,
//!   at most [`SearchSpace::max_pipeline`] and the layer count; t must divide the attention
//!   heads, as vLLM requires), and, for an MoE model whose expert count N divides, expert
//!   parallel over all N chips with data-parallel attention (no pipeline). As in the
//!   calculator, KV heads are not replicated when t exceeds them (real servers replicate
//!   them, so a TP group wider than the KV heads holds somewhat more KV than modelled).
//! - Batch: for each of those setups the best batch is the largest that fits and meets the
//!   per-user speed: step time rises and cost per token falls with the batch (MODEL.md's
//!   terms are each non-decreasing in B, and each is a constant plus a part that grows no
//!   faster than B), so bisection on the speed target, capped by memory and by
//!   [`SearchSpace::max_batch_per_replica`], finds it in about 20 decode steps.
//!
//! # Scale-up domains
//!
//! Tensor- and expert-parallel collectives run over the chip's scale-up link
//! (`interconnect_bandwidth`) while the group fits in one scale-up domain ([`Chip::domain`]:
//! 8 GPUs in an HGX/OAM server, 72 in a GB200 NVL72, a TPU pod); a larger group is held to
//! the scale-out network, [`Chip::scale_out_bandwidth`] per chip (400 Gb/s = 50 GB/s per
//! GPU). Pipeline stages hand activations over the scale-up link inside a domain and over
//! the scale-out network across domains. These two numbers are the planner's assumptions,
//! not in `data/hardware.json`.
//!
//! # Pipeline model
//!
//! P stages, each a tensor-parallel group of t = N ÷ P chips holding L ÷ P of the layers
//! (and 1 ÷ P of every other weight). The B requests in flight are split into M
//! microbatches of B ÷ M. One stage's time for one microbatch is
//!
//! t_stage = (max(T_mem, T_compute) + T_comm + collective latencies) ÷ P + T_p2p,
//!
//! where T_mem, T_compute, T_comm and the latencies are those of [`decode_step`] for the
//! whole model on t chips at batch B ÷ M, and T_p2p = (B ÷ M)·d·b_a ÷ link + one collective
//! latency is the hand-over to the next stage. Every decode step runs a synchronous
//! schedule: M microbatches through P stages take (M + P − 1) stage times, of which a
//! fraction (P − 1) ÷ (M + P − 1) is bubble, so
//!
//! step = (M + P − 1) · t_stage + per-step overhead,
//!
//! and each user gets one token per step. P = 1, M = 1 is exactly [`decode_step`]. The
//! synchronous schedule is conservative: an asynchronous scheduler with M ≥ P microbatches
//! approaches M · t_stage. M is searched over powers of two up to 4P. Memory: the stages
//! together hold the weights and every request's KV once, as tensor parallel over N chips
//! ([`fits_at`]). TTFT: one prompt runs through the P stages in turn, each on t chips, so
//! it is [`prefill`] on t chips plus P − 1 hand-overs of n_in·d·b_a bytes.
//!
//! Expert parallel is [`decode_step`] and [`prefill`] as the calculator models it (prefill
//! tensor parallel over N, MODEL.md's convention), with the group's link bandwidth.
//!
//! # Targets and ranking
//!
//! A setup meets the targets when 1 ÷ step ≥ the per-user speed, TTFT ≤ the maximum, it
//! fits (90% of memory, the decode context n_in + n_out ÷ 2 per request, paged), and its
//! cost per million output tokens (or N × price per hour) is within the budget. Setups are
//! ranked by cost per million output tokens, then fewer chips; for each chip, count and
//! layout only the cheapest precision is kept.

pub mod cli;
pub mod launch;

use crate::model::presets::hardware_presets;
use crate::model::{
    decode_step, fits_at, kv_bytes_per_sequence, max_batch_at, prefill, shape, Shape, StepInputs,
    ACTIVATION_BYTES,
};
use crate::scenario::{HardwareSpec, Parallelism, Precision, Scenario, ScenarioError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Whether a chip is a GPU (vLLM/SGLang GPU commands apply) or a TPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChipKind {
    Gpu,
    Tpu,
}

/// One chip the planner may choose.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    /// Preset id (`h100-sxm`).
    pub id: String,
    pub spec: HardwareSpec,
    pub kind: ChipKind,
    /// Chips reachable over the scale-up link (8 in an HGX server).
    pub domain: u32,
    /// Per-chip bandwidth between scale-up domains, one direction, bytes/s.
    pub scale_out_bandwidth: f64,
}

/// Scale-up domain sizes of the presets: (id, chips). Unlisted GPUs: 8.
const DOMAINS: &[(&str, u32)] = &[
    ("h100-pcie", 2),
    ("gb200-per-gpu", 72),
    ("tpu-v5e", 256),
    ("tpu-v5p", 8960),
    ("tpu-v6e", 256),
    ("tpu7x-ironwood", 9216),
];

/// Scale-out bandwidth per GPU between servers: 400 Gb/s, one direction, bytes/s.
pub const SCALE_OUT_BANDWIDTH: f64 = 50e9;

/// The hardware presets as planner chips (domain sizes from a small table, see the module
/// documentation).
pub fn preset_chips() -> Vec<Chip> {
    hardware_presets()
        .iter()
        .map(|p| {
            let kind = if p.id.starts_with("tpu") {
                ChipKind::Tpu
            } else {
                ChipKind::Gpu
            };
            let domain = DOMAINS
                .iter()
                .find(|(id, _)| *id == p.id)
                .map_or(8, |(_, n)| *n);
            Chip {
                id: p.id.clone(),
                spec: p.spec.clone(),
                kind,
                domain,
                scale_out_bandwidth: SCALE_OUT_BANDWIDTH.min(p.spec.interconnect_bandwidth),
            }
        })
        .collect()
}

/// A spending limit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "usd")]
pub enum Budget {
    /// At most this many USD per million output tokens.
    PerMillionOutputTokens(f64),
    /// At most this many USD per hour for all chips.
    PerHour(f64),
}

/// What the user asks for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Targets {
    /// Tokens per second each user sees, at least.
    pub min_user_tokens_per_second: f64,
    /// Time to first token, at most, seconds.
    pub max_ttft_seconds: f64,
    /// Prompt tokens per request.
    pub input_tokens: u64,
    /// Generated tokens per request.
    pub output_tokens: u64,
    /// Allowed chip ids; `None` allows all.
    pub chips: Option<Vec<String>>,
    pub budget: Option<Budget>,
}

impl Targets {
    /// Every problem with the targets, as `(field, problem)`.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let t = self.min_user_tokens_per_second;
        if !(t.is_finite() && t > 0.0 && t <= 1e6) {
            out.push((
                "min_user_tokens_per_second",
                format!("must be a number above 0 and at most 1e6, got {t}"),
            ));
        }
        let y = self.max_ttft_seconds;
        if !(y.is_finite() && y > 0.0 && y <= 3600.0) {
            out.push((
                "max_ttft_seconds",
                format!("must be above 0 and at most 3600 s, got {y}"),
            ));
        }
        for (f, v) in [
            ("input_tokens", self.input_tokens),
            ("output_tokens", self.output_tokens),
        ] {
            if v == 0 || v > 100_000_000 {
                out.push((f, format!("must be a whole number from 1 to 1e8, got {v}")));
            }
        }
        if let Some(b) = self.budget {
            let v = match b {
                Budget::PerMillionOutputTokens(v) | Budget::PerHour(v) => v,
            };
            if !(v.is_finite() && v > 0.0) {
                out.push(("budget", format!("must be above 0, got {v}")));
            }
        }
        if let Some(c) = &self.chips {
            if c.is_empty() {
                out.push(("chips", "allow at least one chip".into()));
            }
        }
        out
    }
}

/// How far the search goes.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchSpace {
    /// Chip counts N tried.
    pub chip_counts: Vec<u32>,
    /// Most pipeline stages.
    pub max_pipeline: u32,
    /// Most concurrent requests one replica schedules (vLLM `--max-num-seqs`); under expert
    /// parallelism each of the N data-parallel attention ranks is a replica.
    pub max_batch_per_replica: u64,
}

impl Default for SearchSpace {
    /// N ∈ {1, 2, 4, 8, 16, 32, 64}, P ≤ 16, at most 1,024 sequences per replica.
    fn default() -> Self {
        SearchSpace {
            chip_counts: vec![1, 2, 4, 8, 16, 32, 64],
            max_pipeline: 16,
            max_batch_per_replica: 1024,
        }
    }
}

/// One concrete setup.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setup {
    /// Chip preset id.
    pub chip_id: String,
    pub chip_name: String,
    pub chip_kind: ChipKind,
    /// Chips N = tensor × pipeline (expert parallel: the expert group).
    pub chips: u32,
    pub parallelism: Parallelism,
    /// Tensor-parallel size t (1 under expert parallelism: attention is data parallel).
    pub tensor: u32,
    /// Pipeline stages P.
    pub pipeline: u32,
    /// Expert-parallel size (N under expert parallelism, else 1).
    pub expert: u32,
    /// Microbatches M in flight through the pipeline (1 without a pipeline).
    pub microbatches: u32,
    pub weights: Precision,
    pub kv_cache: Precision,
    pub compute: Precision,
    /// Concurrent requests B.
    pub batch: u64,
    /// Longest sequence a request reaches, n_in + n_out, tokens.
    pub max_model_len: u64,
    /// Chips per scale-up domain (to say how many servers it spans).
    pub domain: u32,
}

impl Setup {
    /// "8 × H100 SXM5 80GB, fp8 weights, fp8 KV, TP 8, batch 212".
    pub fn label(&self) -> String {
        format!(
            "{} × {}, {} weights, {} KV, {}, batch {}",
            self.chips,
            self.chip_name,
            self.weights,
            self.kv_cache,
            self.layout(),
            self.batch
        )
    }

    /// "TP 8", "TP 8 × PP 2 (M 2)", "EP 16 + DP attention".
    pub fn layout(&self) -> String {
        match self.parallelism {
            Parallelism::Expert => format!("EP {} + DP attention", self.expert),
            Parallelism::Tensor if self.pipeline > 1 => format!(
                "TP {} × PP {} ({} microbatch{})",
                self.tensor,
                self.pipeline,
                self.microbatches,
                if self.microbatches == 1 { "" } else { "es" }
            ),
            Parallelism::Tensor => format!("TP {}", self.tensor),
        }
    }

    /// Scale-up domains (servers) the setup spans.
    pub fn servers(&self) -> u32 {
        self.chips.div_ceil(self.domain.max(1))
    }
}

/// What stops the batch from growing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The KV cache of one more request would not fit.
    MemoryCapacity,
    /// One more request would make the step slower than the per-user speed allows.
    LatencyTarget,
    /// The scheduler's maximum concurrent sequences.
    BatchCap,
}

impl Limit {
    pub fn name(self) -> &'static str {
        match self {
            Limit::MemoryCapacity => "memory capacity",
            Limit::LatencyTarget => "latency target",
            Limit::BatchCap => "batch cap",
        }
    }
}

/// The largest part of the step at the chosen batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepBound {
    /// Reading weights and KV from memory.
    Bandwidth,
    /// Arithmetic.
    Compute,
    /// Collectives and pipeline hand-overs.
    Communication,
    /// Per-step overhead and collective latencies.
    Overhead,
    /// Pipeline stages idle waiting (the bubble).
    PipelineBubble,
}

impl StepBound {
    pub fn name(self) -> &'static str {
        match self {
            StepBound::Bandwidth => "bandwidth",
            StepBound::Compute => "compute",
            StepBound::Communication => "communication",
            StepBound::Overhead => "overhead",
            StepBound::PipelineBubble => "pipeline bubble",
        }
    }
}

/// One evaluated setup at its best batch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    pub setup: Setup,
    /// Decode step, seconds.
    pub step_seconds: f64,
    /// 1 ÷ step.
    pub user_tokens_per_second: f64,
    /// B ÷ step.
    pub tokens_per_second: f64,
    /// One request's prefill, seconds.
    pub ttft_seconds: f64,
    /// N × price/h ÷ 3600 × step ÷ B × 10^6.
    pub cost_per_million_output_tokens: f64,
    /// N × price per hour.
    pub cost_per_hour: f64,
    /// Weights plus the batch's KV, bytes, over all chips.
    pub memory_used_bytes: f64,
    /// 90% of N·M, bytes.
    pub memory_usable_bytes: f64,
    /// Largest batch that fits, requests.
    pub max_batch_memory: u64,
    /// (P − 1) ÷ (M + P − 1).
    pub bubble_fraction: f64,
    /// Step parts, seconds: memory, compute, communication, fixed latency, bubble.
    pub memory_seconds: f64,
    pub compute_seconds: f64,
    pub comm_seconds: f64,
    pub latency_seconds: f64,
    pub bubble_seconds: f64,
    /// What stops the batch.
    pub limit: Limit,
    /// The largest part of the step.
    pub step_bound: StepBound,
    /// "memory capacity", "latency target (bandwidth-bound step)", …
    pub binding: String,
    /// Why it lands where it does, in a sentence or two.
    pub why: String,
}

/// A target nothing meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The model does not fit on any allowed setup.
    Memory,
    /// Tokens per second per user.
    UserSpeed,
    /// Time to first token.
    Ttft,
    /// The budget.
    Budget,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Memory => "memory",
            Target::UserSpeed => "tokens per second per user",
            Target::Ttft => "time to first token",
            Target::Budget => "budget",
        }
    }
}

/// The answer when nothing meets every target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutOfReach {
    /// The targets out of reach (both speed targets when each alone is reachable but no
    /// setup meets them together).
    pub targets: Vec<Target>,
    /// "Out of reach: …", naming the target and what the closest setup achieves.
    pub message: String,
    /// The setup that comes closest.
    pub closest: Option<Candidate>,
}

/// The planner's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub model: String,
    pub targets: Targets,
    /// Every setup meeting the targets, cheapest first (one per chip, count and layout).
    pub ranked: Vec<Candidate>,
    /// Setups considered (chip × count × precision × layout × microbatches).
    pub setups: usize,
    /// Decode steps and prefills evaluated.
    pub evaluations: usize,
    /// Set when `ranked` is empty.
    pub out_of_reach: Option<OutOfReach>,
}

/// A layout: tensor × pipeline, or expert.
#[derive(Clone, Copy, Debug)]
struct Layout {
    parallelism: Parallelism,
    tensor: u32,
    pipeline: u32,
}

/// Precision combinations the chip computes: (weights = compute, KV).
fn precisions(spec: &HardwareSpec) -> Vec<(Precision, Precision)> {
    let has = |p: Precision| spec.peak_flops.contains_key(&p);
    let sixteen = if has(Precision::Bf16) {
        Some(Precision::Bf16)
    } else if has(Precision::Fp16) {
        Some(Precision::Fp16)
    } else {
        None
    };
    let Some(sixteen) = sixteen else {
        return Vec::new();
    };
    let mut kvs = vec![sixteen];
    if has(Precision::Fp8) {
        kvs.push(Precision::Fp8);
    }
    let mut out = Vec::new();
    for w in [sixteen, Precision::Fp8, Precision::Fp4] {
        if has(w) {
            for &kv in &kvs {
                out.push((w, kv));
            }
        }
    }
    out
}

/// Layouts of N chips for this model.
fn layouts(s: &Scenario, n: u32, space: &SearchSpace) -> Vec<Layout> {
    let m = &s.model;
    let mut out = Vec::new();
    let mut p = 1;
    while p <= n && p <= space.max_pipeline && p <= m.layers {
        if n.is_multiple_of(p) {
            let t = n / p;
            if m.attention_heads.is_multiple_of(t) {
                out.push(Layout {
                    parallelism: Parallelism::Tensor,
                    tensor: t,
                    pipeline: p,
                });
            }
        }
        p *= 2;
    }
    if let Some(moe) = &m.moe {
        if n > 1 && moe.experts.is_multiple_of(n) {
            out.push(Layout {
                parallelism: Parallelism::Expert,
                tensor: 1,
                pipeline: 1,
            });
        }
    }
    out
}

/// Everything fixed for one setup but the batch.
struct Config<'a> {
    s: Rc<Scenario>,
    sh: &'a Shape,
    peak: f64,
    chip: &'a Chip,
    layout: Layout,
    chips: u32,
    microbatches: u32,
    context: f64,
    kv_seq: f64,
    /// Link bandwidth of pipeline hand-overs.
    p2p_bandwidth: f64,
    /// Most concurrent requests.
    cap: u64,
    /// One request's time to first token (the same for every microbatch count).
    ttft: f64,
}

/// One evaluated step.
#[derive(Clone, Copy, Debug)]
struct Step {
    seconds: f64,
    memory: f64,
    compute: f64,
    comm: f64,
    latency: f64,
    bubble: f64,
}

impl Config<'_> {
    /// The decode step with `batch` requests in flight (see the pipeline model).
    fn step(&self, batch: f64, evals: &mut usize) -> Step {
        *evals += 1;
        let eff = &self.s.efficiency;
        let p = self.layout.pipeline as f64;
        let m = self.microbatches as f64;
        let (group, micro) = match self.layout.parallelism {
            Parallelism::Expert => (self.chips as f64, batch),
            Parallelism::Tensor => (self.layout.tensor as f64, batch / m),
        };
        let d = decode_step(
            &self.s,
            self.sh,
            self.peak,
            StepInputs {
                batch: micro,
                context: self.context,
                chips: group,
            },
        );
        if self.layout.pipeline <= 1 {
            return Step {
                seconds: d.step_seconds,
                memory: d.memory_seconds,
                compute: d.compute_seconds,
                comm: d.comm_seconds,
                latency: d.latency_seconds,
                bubble: 0.0,
            };
        }
        let collective_latency = (d.latency_seconds - eff.step_overhead_seconds).max(0.0);
        let p2p_bytes = micro.max(1.0) * self.s.model.hidden_size as f64 * ACTIVATION_BYTES;
        let p2p = p2p_bytes / self.p2p_bandwidth;
        let stage = (d.memory_seconds.max(d.compute_seconds) + d.comm_seconds + collective_latency)
            / p
            + p2p
            + eff.collective_latency_seconds;
        let slots = m + p - 1.0;
        let seconds = slots * stage + eff.step_overhead_seconds;
        // Busy time of the M useful slots, split in the same proportions as one stage.
        let busy = m / p;
        Step {
            seconds,
            memory: d.memory_seconds * busy,
            compute: d.compute_seconds * busy,
            comm: (d.comm_seconds / p + p2p) * m,
            latency: eff.step_overhead_seconds
                + (collective_latency / p + eff.collective_latency_seconds) * m,
            bubble: (p - 1.0) * stage,
        }
    }

    fn fits(&self, batch: f64) -> bool {
        fits_at(&self.s, self.sh, self.chips as f64, batch, self.kv_seq)
    }

    fn max_batch_memory(&self) -> u64 {
        max_batch_at(&self.s, self.sh, self.chips as f64, self.kv_seq)
    }

    /// Batches are multiples of the microbatch count.
    fn batch_of(&self, units: u64) -> u64 {
        match self.layout.parallelism {
            Parallelism::Expert => units,
            Parallelism::Tensor => units * self.microbatches as u64,
        }
    }

    fn setup(&self, batch: u64) -> Setup {
        let (tensor, expert) = match self.layout.parallelism {
            Parallelism::Expert => (1, self.chips),
            Parallelism::Tensor => (self.layout.tensor, 1),
        };
        let w = &self.s.workload;
        Setup {
            chip_id: self.chip.id.clone(),
            chip_name: self.chip.spec.name.clone(),
            chip_kind: self.chip.kind,
            chips: self.chips,
            parallelism: self.layout.parallelism,
            tensor,
            pipeline: self.layout.pipeline,
            expert,
            microbatches: self.microbatches,
            weights: self.s.precision.weights,
            kv_cache: self.s.precision.kv_cache,
            compute: self.s.precision.compute,
            batch,
            max_model_len: w.input_tokens + w.output_tokens,
            domain: self.chip.domain,
        }
    }

    fn candidate(&self, batch: u64, step: Step, ttft: f64, limit: Limit) -> Candidate {
        let b = batch as f64;
        let n = self.chips as f64;
        let per_hour = n * self.chip.spec.price_per_hour;
        let (_, weights) = crate::model::stored_weights(&self.s, self.sh, n);
        let step_bound = [
            (StepBound::Bandwidth, step.memory),
            (StepBound::Compute, step.compute),
            (StepBound::Communication, step.comm),
            (StepBound::Overhead, step.latency),
            (StepBound::PipelineBubble, step.bubble),
        ]
        .into_iter()
        .fold((StepBound::Bandwidth, f64::MIN), |best, x| {
            if x.1 > best.1 {
                x
            } else {
                best
            }
        })
        .0;
        let p = self.layout.pipeline as f64;
        let m = self.microbatches as f64;
        let bubble_fraction = (p - 1.0) / (m + p - 1.0);
        let binding = match limit {
            Limit::MemoryCapacity => "memory capacity".to_string(),
            Limit::LatencyTarget => format!("latency target ({}-bound step)", step_bound.name()),
            Limit::BatchCap => format!("batch cap ({}-bound step)", step_bound.name()),
        };
        Candidate {
            setup: self.setup(batch),
            step_seconds: step.seconds,
            user_tokens_per_second: 1.0 / step.seconds,
            tokens_per_second: b / step.seconds,
            ttft_seconds: ttft,
            cost_per_million_output_tokens: per_hour / 3600.0 * step.seconds / b * 1e6,
            cost_per_hour: per_hour,
            memory_used_bytes: weights + b * self.kv_seq,
            memory_usable_bytes: crate::model::USABLE_MEMORY_FRACTION
                * n
                * self.chip.spec.memory_capacity,
            max_batch_memory: self.max_batch_memory(),
            bubble_fraction,
            memory_seconds: step.memory,
            compute_seconds: step.compute,
            comm_seconds: step.comm,
            latency_seconds: step.latency,
            bubble_seconds: step.bubble,
            limit,
            step_bound,
            binding,
            why: String::new(),
        }
    }
}

/// Builds the configurations of one chip.
/// One request's time to first token: prefill on the tensor group (expert parallel: on all
/// N chips, MODEL.md's convention), plus P − 1 pipeline hand-overs of the prompt.
fn ttft(
    s: &Scenario,
    sh: &Shape,
    peak: f64,
    layout: Layout,
    p2p_bandwidth: f64,
    evals: &mut usize,
) -> f64 {
    *evals += 1;
    let n_in = s.workload.input_tokens as f64;
    // `s.chips` is the tensor group (expert parallel: all N chips).
    let pre = prefill(s, sh, peak, n_in, 1.0);
    let hops = (layout.pipeline as f64 - 1.0).max(0.0);
    let hop = n_in * s.model.hidden_size as f64 * ACTIVATION_BYTES / p2p_bandwidth
        + s.efficiency.collective_latency_seconds;
    pre.seconds + hops * hop
}

fn configs<'a>(
    base: &Scenario,
    sh: &'a Shape,
    chip: &'a Chip,
    space: &SearchSpace,
    evals: &mut usize,
) -> Vec<Config<'a>> {
    let mut out = Vec::new();
    let context = base.decode_context();
    for (w, kv) in precisions(&chip.spec) {
        let Some(&peak) = chip.spec.peak_flops.get(&w) else {
            continue;
        };
        for &n in &space.chip_counts {
            if n == 0 {
                continue;
            }
            for layout in layouts(base, n, space) {
                let mut s = base.clone();
                s.hardware = chip.spec.clone();
                s.precision.weights = w;
                s.precision.compute = w;
                s.precision.kv_cache = kv;
                s.parallelism = layout.parallelism;
                let group = match layout.parallelism {
                    Parallelism::Expert => n,
                    Parallelism::Tensor => layout.tensor,
                };
                let link = chip.spec.interconnect_bandwidth;
                let out_bw = chip.scale_out_bandwidth.min(link);
                s.hardware.interconnect_bandwidth =
                    if group <= chip.domain { link } else { out_bw };
                // The group prefill runs on; decode and capacity take their counts
                // explicitly.
                s.chips = group;
                let p2p_bandwidth = if n <= chip.domain { link } else { out_bw };
                let kv_seq = kv_bytes_per_sequence(&s, context);
                let ttft = ttft(&s, sh, peak, layout, p2p_bandwidth, evals);
                let s = Rc::new(s);
                let replicas = match layout.parallelism {
                    Parallelism::Expert => n as u64,
                    Parallelism::Tensor => 1,
                };
                let cap = space.max_batch_per_replica.saturating_mul(replicas).max(1);
                let mut micro = vec![1u32];
                if layout.pipeline > 1 {
                    let mut mb = 2;
                    while mb <= 4 * layout.pipeline && (mb as u64) <= cap {
                        micro.push(mb);
                        mb *= 2;
                    }
                }
                for mb in micro {
                    out.push(Config {
                        s: Rc::clone(&s),
                        sh,
                        peak,
                        chip,
                        layout,
                        chips: n,
                        microbatches: mb,
                        context,
                        kv_seq,
                        p2p_bandwidth,
                        cap,
                        ttft,
                    });
                }
            }
        }
    }
    out
}

/// What one configuration achieves.
struct Outcome {
    /// (batch, step, limit) at its best batch, when it fits and meets both speed targets.
    best: Option<(u64, Step, Limit)>,
    /// The step at the smallest batch, when that fits (the fastest it goes).
    fastest: Option<Step>,
}

fn explore(c: &Config<'_>, targets: &Targets, evals: &mut usize) -> Outcome {
    let max_step = 1.0 / targets.min_user_tokens_per_second;
    let unit = c.batch_of(1);
    if !c.fits(unit as f64) || unit > c.cap {
        return Outcome {
            best: None,
            fastest: None,
        };
    }
    let ttft = c.ttft;
    let first = c.step(unit as f64, evals);
    let fastest = first;
    if first.seconds > max_step || ttft > targets.max_ttft_seconds {
        return Outcome {
            best: None,
            fastest: Some(fastest),
        };
    }
    // Largest number of units (microbatch-sized groups) that fits and stays under the cap.
    let per_unit = unit.max(1);
    let mem_units = c.max_batch_memory() / per_unit;
    let cap_units = c.cap / per_unit;
    let hi_units = mem_units.min(cap_units).max(1);
    let ok = |u: u64, evals: &mut usize| c.step(c.batch_of(u) as f64, evals).seconds <= max_step;
    let units = if ok(hi_units, evals) {
        hi_units
    } else {
        // ok(lo) and !ok(hi): bisect.
        let (mut lo, mut hi) = (1u64, hi_units);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if ok(mid, evals) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let batch = c.batch_of(units);
    let limit = if units < hi_units {
        Limit::LatencyTarget
    } else if mem_units <= cap_units {
        Limit::MemoryCapacity
    } else {
        Limit::BatchCap
    };
    // The memory bound is confirmed with fits_at (max_batch_at is its closed form).
    if !c.fits(batch as f64) {
        return Outcome {
            best: None,
            fastest: Some(fastest),
        };
    }
    let step = c.step(batch as f64, evals);
    Outcome {
        best: Some((batch, step, limit)),
        fastest: Some(fastest),
    }
}

/// (chip index, chips, expert parallel, tensor, pipeline): one ranked row each.
type KindKey = (usize, u32, bool, u32, u32);

/// Plans over the hardware presets with the default search space.
pub fn plan_presets(base: &Scenario, targets: &Targets) -> Result<Plan, ScenarioError> {
    plan(base, targets, &preset_chips(), &SearchSpace::default())
}

/// Searches `chips` for the cheapest setups of `base.model` meeting `targets`, with the
/// efficiency settings of `base` (see the module documentation).
pub fn plan(
    base: &Scenario,
    targets: &Targets,
    chips: &[Chip],
    space: &SearchSpace,
) -> Result<Plan, ScenarioError> {
    if let Some((field, problem)) = targets.problems().into_iter().next() {
        return Err(ScenarioError::new(format!("targets.{field}"), problem));
    }
    let mut base = base.clone();
    base.workload.input_tokens = targets.input_tokens;
    base.workload.output_tokens = targets.output_tokens;
    base.workload.context_length = None;
    base.workload.batch_size = 1;
    base.chips = 1;
    if base.model.moe.is_none() {
        base.parallelism = Parallelism::Tensor;
    }
    // Validate the model and efficiency (the hardware is replaced per chip).
    {
        let mut check = base.clone();
        check.hardware = HardwareSpec::default();
        check.precision = Default::default();
        check.validate()?;
    }
    let sh = shape(&base);
    let allowed = |c: &Chip| match &targets.chips {
        None => true,
        Some(ids) => ids.iter().any(|i| i == &c.id),
    };
    let mut setups = 0usize;
    let mut evals = 0usize;
    // The cheapest per (chip, count, layout), and the cheapest over the budget.
    let mut feasible: BTreeMap<KindKey, (f64, u64, Candidate)> = BTreeMap::new();
    let mut over_budget: Option<(f64, u64, Candidate)> = None;
    let mut reach = Reach {
        fits: false,
        speed_ok: false,
        ttft_ok: false,
        best_speed: 0.0,
        best_ttft: f64::INFINITY,
        closest: None,
    };
    let speed = targets.min_user_tokens_per_second;
    let max_ttft = targets.max_ttft_seconds;
    for (chip_index, chip) in chips.iter().enumerate().filter(|(_, c)| allowed(c)) {
        for c in configs(&base, &sh, chip, space, &mut evals) {
            setups += 1;
            let o = explore(&c, targets, &mut evals);
            if let Some(f) = o.fastest {
                let user = 1.0 / f.seconds;
                reach.fits = true;
                reach.speed_ok |= user >= speed;
                reach.ttft_ok |= c.ttft <= max_ttft;
                reach.best_speed = reach.best_speed.max(user);
                reach.best_ttft = reach.best_ttft.min(c.ttft);
                // Closest: the smallest worst shortfall over the two speed targets, then
                // the cheapest; built only when it improves.
                let short = (speed / user).max(c.ttft / max_ttft).max(1.0);
                let unit = c.batch_of(1);
                let cost = c.chips as f64 * chip.spec.price_per_hour * f.seconds / unit as f64;
                let better = match &reach.closest {
                    None => true,
                    Some((s0, c0, _)) => short < *s0 || (short == *s0 && cost < *c0),
                };
                if better {
                    let cand = c.candidate(unit, f, c.ttft, Limit::LatencyTarget);
                    reach.closest = Some((short, cost, cand));
                }
            }
            if let Some((batch, step, limit)) = o.best {
                // Candidates are built only when they beat the best of their kind.
                let per_hour = c.chips as f64 * chip.spec.price_per_hour;
                let cost = per_hour / 3600.0 * step.seconds / batch as f64 * 1e6;
                let in_budget = match targets.budget {
                    None => true,
                    Some(Budget::PerMillionOutputTokens(v)) => cost <= v,
                    Some(Budget::PerHour(v)) => per_hour <= v,
                };
                let beats = |old: Option<&(f64, u64, Candidate)>| match old {
                    None => true,
                    Some((c0, b0, _)) => cost < *c0 || (cost == *c0 && batch > *b0),
                };
                if in_budget {
                    let key = (
                        chip_index,
                        c.chips,
                        c.layout.parallelism == Parallelism::Expert,
                        c.layout.tensor,
                        c.layout.pipeline,
                    );
                    if beats(feasible.get(&key)) {
                        let cand = c.candidate(batch, step, c.ttft, limit);
                        feasible.insert(key, (cost, batch, cand));
                    }
                } else if beats(over_budget.as_ref()) {
                    let cand = c.candidate(batch, step, c.ttft, limit);
                    over_budget = Some((cost, batch, cand));
                }
            }
        }
    }
    let ranked = rank(feasible.into_values().map(|(_, _, c)| c).collect());
    let out_of_reach = if ranked.is_empty() {
        Some(out_of_reach(
            targets,
            reach,
            over_budget.map(|(_, _, c)| c).into_iter().collect(),
        ))
    } else {
        None
    };
    let mut ranked = ranked;
    explain_ranked(&mut ranked, targets);
    Ok(Plan {
        model: base.model.name.clone(),
        targets: targets.clone(),
        ranked,
        setups,
        evaluations: evals,
        out_of_reach,
    })
}

/// Cheapest first, then fewer chips, then the larger batch.
fn rank(mut v: Vec<Candidate>) -> Vec<Candidate> {
    v.sort_by(|a, b| {
        a.cost_per_million_output_tokens
            .total_cmp(&b.cost_per_million_output_tokens)
            .then(a.setup.chips.cmp(&b.setup.chips))
            .then(b.setup.batch.cmp(&a.setup.batch))
    });
    v
}

fn sig(x: f64) -> String {
    crate::format::sig(x, 3)
}

fn tps(x: f64) -> String {
    crate::format::tokens_per_second(x)
}

/// Fills each candidate's `why`.
fn explain_ranked(v: &mut [Candidate], targets: &Targets) {
    let Some(first) = v.first().cloned() else {
        return;
    };
    for (i, c) in v.iter_mut().enumerate() {
        let limit = match c.limit {
            Limit::MemoryCapacity => format!(
                "Batch {} fills the memory: {} of {} usable (weights, and KV at {} tokens each).",
                c.setup.batch,
                crate::format::bytes(c.memory_used_bytes),
                crate::format::bytes(c.memory_usable_bytes),
                crate::format::integer(
                    targets.input_tokens as f64 + targets.output_tokens as f64 / 2.0
                )
            ),
            Limit::LatencyTarget => format!(
                "Batch {} is the most that keeps each user at {} or more (step {} ≤ {}).",
                c.setup.batch,
                tps(targets.min_user_tokens_per_second),
                crate::format::seconds(c.step_seconds),
                crate::format::seconds(1.0 / targets.min_user_tokens_per_second)
            ),
            Limit::BatchCap => format!(
                "Batch {} is the scheduler's cap; memory and speed would allow more.",
                c.setup.batch
            ),
        };
        let share = |x: f64| format!("{}%", sig(100.0 * x / c.step_seconds));
        let part = match c.step_bound {
            StepBound::Bandwidth => c.memory_seconds,
            StepBound::Compute => c.compute_seconds,
            StepBound::Communication => c.comm_seconds,
            StepBound::Overhead => c.latency_seconds,
            StepBound::PipelineBubble => c.bubble_seconds,
        };
        let step = format!(
            " The step is {}-bound ({} of it).",
            c.step_bound.name(),
            share(part)
        );
        let rank = if i == 0 {
            format!(
                " Cheapest: ${}/h serving {}.",
                sig(c.cost_per_hour),
                tps(c.tokens_per_second)
            )
        } else {
            format!(
                " {}× the cost of #1: ${}/h for {} against ${}/h for {}.",
                sig(c.cost_per_million_output_tokens / first.cost_per_million_output_tokens),
                sig(c.cost_per_hour),
                tps(c.tokens_per_second),
                sig(first.cost_per_hour),
                tps(first.tokens_per_second)
            )
        };
        c.why = format!("{limit}{step}{rank}");
    }
}

/// What the fastest batch of every setup that fits reaches (for the out-of-reach answer).
struct Reach {
    /// Some setup fits one request.
    fits: bool,
    /// Some setup reaches the per-user speed.
    speed_ok: bool,
    /// Some setup reaches the TTFT.
    ttft_ok: bool,
    best_speed: f64,
    best_ttft: f64,
    /// (worst shortfall ratio, cost rate, candidate at its smallest batch).
    closest: Option<(f64, f64, Candidate)>,
}

fn out_of_reach(targets: &Targets, reach: Reach, over_budget: Vec<Candidate>) -> OutOfReach {
    let speed = targets.min_user_tokens_per_second;
    let ttft = targets.max_ttft_seconds;
    if !reach.fits {
        return OutOfReach {
            targets: vec![Target::Memory],
            message: "Out of reach: memory. The model does not fit on any allowed chip at any \
                      count searched (up to 64), even with one request."
                .into(),
            closest: None,
        };
    }
    if let Some(mut cheapest) = over_budget.into_iter().next() {
        explain_ranked(std::slice::from_mut(&mut cheapest), targets);
        cheapest.binding = "budget (out of reach)".into();
        let budget = match targets.budget {
            Some(Budget::PerMillionOutputTokens(v)) => format!("${} per 1M output tokens", sig(v)),
            Some(Budget::PerHour(v)) => format!("${} per hour", sig(v)),
            None => String::new(),
        };
        return OutOfReach {
            targets: vec![Target::Budget],
            message: format!(
                "Out of reach: the budget of {budget}. The cheapest setup meeting the speed \
                 targets, {}, costs ${} per 1M output tokens (${}/h).",
                cheapest.setup.label(),
                sig(cheapest.cost_per_million_output_tokens),
                sig(cheapest.cost_per_hour)
            ),
            closest: Some(cheapest),
        };
    }
    let (speed_ok, ttft_ok) = (reach.speed_ok, reach.ttft_ok);
    let mut out = Vec::new();
    if !speed_ok {
        out.push(Target::UserSpeed);
    }
    if !ttft_ok {
        out.push(Target::Ttft);
    }
    if out.is_empty() {
        out = vec![Target::UserSpeed, Target::Ttft];
    }
    let names: Vec<&str> = out.iter().map(|t| t.name()).collect();
    let closest = reach.closest.map(|(_, _, mut c)| {
        let part = match c.step_bound {
            StepBound::Bandwidth => c.memory_seconds,
            StepBound::Compute => c.compute_seconds,
            StepBound::Communication => c.comm_seconds,
            StepBound::Overhead => c.latency_seconds,
            StepBound::PipelineBubble => c.bubble_seconds,
        };
        c.binding = format!("{} (out of reach)", names.join(" and "));
        c.why = format!(
            "The fastest this setup goes: batch {}, a step of {} ({}-bound, {}% of it), so {} \
             per user; first token in {}.",
            c.setup.batch,
            crate::format::seconds(c.step_seconds),
            c.step_bound.name(),
            sig(100.0 * part / c.step_seconds),
            tps(c.user_tokens_per_second),
            crate::format::seconds(c.ttft_seconds)
        );
        c
    });
    let (best_speed, best_ttft) = (reach.best_speed, reach.best_ttft);
    let what = match (speed_ok, ttft_ok) {
        (false, false) => format!(
            "{} per user and a time to first token of {}. No setup goes above {} per user or below {} to the first token",
            tps(speed),
            crate::format::seconds(ttft),
            tps(best_speed),
            crate::format::seconds(best_ttft)
        ),
        (false, true) => format!(
            "{} per user. No setup goes above {} per user",
            tps(speed),
            tps(best_speed)
        ),
        (true, false) => format!(
            "a time to first token of {}. No setup gets below {}",
            crate::format::seconds(ttft),
            crate::format::seconds(best_ttft)
        ),
        (true, true) => format!(
            "{} per user together with a time to first token of {}. Each is met by some setup, but not both by the same one",
            tps(speed),
            crate::format::seconds(ttft)
        ),
    };
    let closer = match &closest {
        Some(c) => format!(
            " Closest: {} reaches {} per user with a first token in {} (${} per 1M output tokens).",
            c.setup.label(),
            tps(c.user_tokens_per_second),
            crate::format::seconds(c.ttft_seconds),
            sig(c.cost_per_million_output_tokens)
        ),
        None => String::new(),
    };
    OutOfReach {
        targets: out,
        message: format!("Out of reach: {what}.{closer}"),
        closest,
    }
}
