//! The planner's answer: setups, candidates at their best batch, what limits them, and the
//! out-of-reach answer.

use super::{ChipKind, Targets};
use crate::scenario::{Parallelism, Precision, Speculative};
use serde::Serialize;

/// One concrete setup.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setup {
    /// Chip preset id.
    pub chip_id: String,
    /// Chip display name (`H100 SXM5 80GB`).
    pub chip_name: String,
    /// GPU or TPU.
    pub chip_kind: ChipKind,
    /// Chips N = tensor × pipeline (expert parallel: the expert group).
    pub chips: u32,
    /// Tensor (with pipeline stages) or expert parallel.
    pub parallelism: Parallelism,
    /// Tensor-parallel size t (1 under expert parallelism: attention is data parallel).
    pub tensor: u32,
    /// Pipeline stages P.
    pub pipeline: u32,
    /// Expert-parallel size (N under expert parallelism, else 1).
    pub expert: u32,
    /// Microbatches M in flight through the pipeline (1 without a pipeline).
    pub microbatches: u32,
    /// Weight precision.
    pub weights: Precision,
    /// KV cache precision.
    pub kv_cache: Precision,
    /// Compute precision (the weights').
    pub compute: Precision,
    /// Concurrent requests B.
    pub batch: u64,
    /// Longest sequence a request reaches, n_in + n_out, tokens.
    pub max_model_len: u64,
    /// Chips per scale-up domain (to say how many servers it spans).
    pub domain: u32,
    /// Speculative decoding, when the setup uses it (the scenario's own settings).
    pub speculative: Option<Speculative>,
}

impl Setup {
    /// "8 × H100 SXM5 80GB, fp8 weights, fp8 KV, TP 8, batch 212" (", MTP k = 1" when
    /// it speculates).
    pub fn label(&self) -> String {
        let spec = match &self.speculative {
            Some(sp) => format!(
                ", {} k = {}",
                match sp.method {
                    crate::scenario::SpeculativeMethod::Mtp => "MTP",
                    crate::scenario::SpeculativeMethod::Draft => "draft model",
                },
                sp.draft_tokens
            ),
            None => String::new(),
        };
        format!(
            "{} × {}, {} weights, {} KV, {}, batch {}{spec}",
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
    /// `"memory capacity"`, `"latency target"` or `"batch cap"`.
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
    /// `"bandwidth"`, `"compute"`, `"communication"`, `"overhead"` or `"pipeline bubble"`.
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
    /// The setup at its best batch.
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
    /// Memory part of the step, seconds.
    pub memory_seconds: f64,
    /// Compute part of the step, seconds.
    pub compute_seconds: f64,
    /// Communication part (collective transfers, hand-overs), seconds.
    pub comm_seconds: f64,
    /// Fixed latency part (per-step overhead, collective latencies), seconds.
    pub latency_seconds: f64,
    /// Pipeline bubble part, seconds.
    pub bubble_seconds: f64,
    /// What stops the batch.
    pub limit: Limit,
    /// The largest part of the step.
    pub step_bound: StepBound,
    /// "memory capacity", "latency target (bandwidth-bound step)", …
    pub binding: String,
    /// What speculative decoding does at this batch, when the setup uses it (the step
    /// fields above are then per emitted token: the round ÷ τ).
    pub speculation: Option<SpeculationUse>,
    /// Why it lands where it does, in a sentence or two.
    pub why: String,
}

/// Speculative decoding in a candidate at its batch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpeculationUse {
    /// The drafter's name.
    pub draft_name: String,
    /// τ, tokens kept per round.
    pub tokens_per_step: f64,
    /// The step without speculation at the same batch, seconds.
    pub plain_step_seconds: f64,
    /// Verify step + k draft steps, seconds.
    pub round_seconds: f64,
    /// The k draft steps, seconds.
    pub draft_seconds: f64,
    /// Plain step ÷ (round ÷ τ).
    pub speedup: f64,
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
    /// The target's name in sentences (`"time to first token"`).
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
    /// Model name.
    pub model: String,
    /// The targets planned for.
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
