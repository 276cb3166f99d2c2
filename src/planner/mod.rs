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
//! P stages, each a tensor-parallel group of t = N ÷ P chips holding L ÷ P of the layers,
//! with the B requests in flight split into M microbatches of B ÷ M. The step, the bubble
//! (P − 1) ÷ (M + P − 1) and the hand-overs between stages are
//! [`crate::model::pipeline`]'s: step = (M + P − 1)·t_stage + per-step overhead, t_stage
//! taken from [`decode_step`](crate::model::decode_step) for the whole model on t chips at
//! batch B ÷ M. P = 1, M = 1 is exactly the decode step. M is searched over powers of two
//! up to 4P. Memory: the stages together hold the weights and every request's KV once, as
//! tensor parallel over N chips ([`fits_at`](crate::model::fits_at)). TTFT: one prompt runs
//! through the P stages in turn, each on t chips, so it is
//! [`prefill`](crate::model::prefill) on t chips plus P − 1 hand-overs of n_in·d·b_a bytes.
//!
//! Expert parallel is [`decode_step`](crate::model::decode_step) and
//! [`prefill`](crate::model::prefill) as the calculator models it (prefill tensor parallel
//! over N, MODEL.md's convention), with the group's link bandwidth.
//!
//! # Speculative decoding
//!
//! When the scenario sets `speculative`, every setup without a pipeline is tried with it and
//! without it; the cheaper meeting the targets is kept for its chip, count and layout. With
//! it the step per emitted token is (verify step of B·(k + 1) tokens + k draft steps) ÷ τ
//! ([`crate::model::speculative::Drafter::speculate`], on the setup's chips, precision and
//! link); the drafter's weights and its KV per request come out of memory; the batches whose
//! verify rows end on a whole tile join the tile boundaries. The why, the label and the
//! launch commands say when a setup speculates (vLLM `--speculative-config`, SGLang
//! `--speculative-algorithm`, [`launch`]).
//!
//! # Targets and ranking
//!
//! A setup meets the targets when 1 ÷ step ≥ the per-user speed, TTFT ≤ the maximum, it
//! fits (90% of memory, the decode context n_in + n_out ÷ 2 per request, paged), and its
//! cost per million output tokens (or N × price per hour) is within the budget. Setups are
//! ranked by cost per million output tokens, then fewer chips; for each chip, count and
//! layout only the cheapest precision is kept.
//!
//! # Where things are
//!
//! `targets` is the question, `chips` the chips (and their scale-up domains), `layouts` and
//! `config` one setup and its step, `batch` its best batch, `search` the search and ranking,
//! `types` the answer and `why` its sentences; `launch` turns a setup into commands.

mod batch;
mod chips;
pub mod cli;
mod config;
pub mod disagg;
pub mod launch;
mod layouts;
mod search;
mod targets;
mod types;
mod why;

pub use chips::{preset_chips, Chip, ChipKind, SCALE_OUT_BANDWIDTH};
pub use search::{plan, plan_presets};
pub use targets::{Budget, SearchSpace, Targets};
pub use types::{Candidate, Limit, OutOfReach, Plan, Setup, SpeculationUse, StepBound, Target};
