//! The serving lab: a discrete-event simulation of one serving replica on the engine's step
//! costs, under three schedulers fed the same request stream (claim 10 of `MODEL.md`).
//!
//! Pure code, no web dependencies; the page runs it in slices ([`Sim::step_until`]) so
//! typing stays responsive.
//!
//! # The model
//!
//! - **Stream.** Requests arrive as a Poisson process at `arrival_rate` per second; prompt
//!   and output lengths are drawn from [`LengthDist`]s. A seeded generator ([`rng::Rng`],
//!   SplitMix64, with its own `ln`/`exp`) makes the stream bit-identical on every platform.
//!   The engine's step costs use only IEEE basic operations for dense models, so a whole
//!   run is bit-identical natively and in WebAssembly (`tests/sim.rs` freezes a digest that
//!   the browser test checks). For MoE models the experts touched use `f64::powf`, the
//!   platform's libm, which could differ in the last bit between platforms; a frozen
//!   Mixtral run agrees natively and in the browser (checked by both tests).
//! - **Iterations.** A replica works in iterations. An iteration first prefills the requests
//!   it admits (one pass over their prompts, [`crate::model::prefill`] at their total tokens),
//!   then runs one decode step of every request already running
//!   ([`crate::model::decode_step`] at the running batch and its actual contexts: the
//!   step's context is the one whose KV per sequence is the mean of the running requests'
//!   KV, which gives the exact KV bytes and attention FLOPs, sliding windows included).
//!   Its duration is the sum of the two (prefill does not overlap decode, as in servers
//!   without chunked prefill). Prefill emits a request's first token at the iteration's end;
//!   each later decode step emits one more.
//! - **Context.** A request with p tokens out holds n_in + p − 1 tokens of KV; the decode
//!   step that emits token p + 1 reads n_in + p. One lone request therefore decodes at
//!   contexts n_in + 1 … n_in + n_out − 1, whose mean is the engine's decode context
//!   n_in + n_out ÷ 2: its TTFT is `prefill.seconds` and its TPOT the decode step at batch 1.
//! - **Memory.** KV capacity is 90% of N·M less the stored weights
//!   ([`crate::model::stored_weights`]), charged at `kv_bytes_per_token` (every layer, windows
//!   ignored, as a paged allocator with one block table per sequence does), plus, for a
//!   linear-attention model, each request's fixed state
//!   ([`crate::model::linear_state_bytes_per_sequence`]) in whole tokens of KV
//!   (⌈state ÷ kv⌉, whole blocks under paged KV) from its admission to its end. The
//!   disaggregated pools ship the state with the prompt's KV.
//! - **Schedulers** (all first come, first served, no skipping ahead):
//!   - *Static batching*: when idle, takes waiting requests while the batch, padded to its
//!     longest prompt and longest output, fits; prefills the padded prompts, decodes to the
//!     longest output at the padded context, and admits nobody until the batch is done.
//!     Shorter requests finish (their last token) early, but their slot stays busy.
//!   - *Continuous, contiguous KV*: admits whenever a request's maximum length
//!     n_in + n_out fits in free memory, and reserves all of it until the request ends.
//!   - *Continuous, paged KV*: memory in blocks of `block_size` tokens, charged as a request
//!     grows. Admits when the prompt plus one token fits after this iteration's growth,
//!     keeping 1% of the blocks free while others run (vLLM's watermark).
//!     When growing requests run out of blocks, the most recently admitted requests are
//!     preempted (vLLM's recompute policy): their blocks are freed, they go back to the head
//!     of the queue, and on readmission their prompt and the tokens already emitted are
//!     prefilled again. An iteration that preempts admits nobody.
//! - **Prefix cache.** At hit rate h each prompt's first ⌊h·n_in⌋ tokens (at most n_in − 1)
//!   are already in the cache ([`cached_tokens`]): prefill computes only the rest, their
//!   attention spanning the whole prompt ([`crate::model::prefill_after_prefix`], each pass
//!   at its requests' mean cached prefix; chunked prefill starts after the prefix). The
//!   cached tokens' KV is still held and read every step. h = 0 is the plain lab.
//! - **Speculative decoding** (the scenario's `speculative`): each decode iteration costs the
//!   expected time per token of a draft-and-verify round, (verify step of B·(k + 1) tokens +
//!   k draft steps) ÷ τ ([`crate::model::speculative::Drafter::speculate`]), and emits one
//!   token per request: a fixed expected value, so the run stays deterministic and its
//!   tokens exact (the bursts of 1 … k + 1 accepted tokens are averaged out). The drafter's
//!   weights and its KV per token come out of the KV memory.
//! - **Outputs.** TTFT = first token − arrival; TPOT = (last token − first token) ÷ (n_out − 1)
//!   over requests with n_out ≥ 2; percentiles by nearest rank. Throughput = output tokens ÷
//!   makespan (from 0 to the last token). Cost per million output tokens = N × price per
//!   chip-hour ÷ 3600 × makespan ÷ output tokens × 10⁶: the replica's whole time (prefill,
//!   decode and idle) is paid for by the output tokens.
//!
//! # Where things are
//!
//! `config` and `length` say what to simulate, `stream` draws the requests, `costs` prices
//! prefill and decode on the engine, `sched` holds the replica and its three schedulers
//! (`static_batch`, `continuous`, `paged`), `sampler` keeps the time series, `simulation`
//! drives a run and `report` is what comes out.

pub mod cli;
mod config;
mod costs;
mod error;
mod length;
mod report;
pub mod rng;
mod sampler;
mod sched;
mod simulation;
mod stream;

pub use config::SimConfig;
pub use error::SimError;
pub use length::LengthDist;
pub use report::{digest, scheduler_digest, Percentiles, SchedulerReport, SimReport, TimeSeries};
pub use sched::Scheduler;
pub use simulation::{run, Sim};
pub use stream::{cached_tokens, stream, Request};

/// Most requests one run takes.
pub const MAX_REQUESTS: u32 = 200_000;
/// Longest prompt or output a distribution may produce, tokens.
pub const MAX_LENGTH: u32 = 1_000_000;
/// Points kept per time series (bounded however long the run).
pub const MAX_POINTS: usize = 256;
