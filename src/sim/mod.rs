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
//!   ignored, as a paged allocator with one block table per sequence does).
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
//! - **Outputs.** TTFT = first token − arrival; TPOT = (last token − first token) ÷ (n_out − 1)
//!   over requests with n_out ≥ 2; percentiles by nearest rank. Throughput = output tokens ÷
//!   makespan (from 0 to the last token). Cost per million output tokens = N × price per
//!   chip-hour ÷ 3600 × makespan ÷ output tokens × 10⁶: the replica's whole time (prefill,
//!   decode and idle) is paid for by the output tokens.

pub mod rng;

use crate::model::{
    decode_step, kv_bytes_per_token, prefill, shape, stored_weights, Shape, StepInputs,
    USABLE_MEMORY_FRACTION,
};
use crate::scenario::{Scenario, ScenarioError};
use rng::Rng;
use std::collections::VecDeque;
use std::fmt;

/// Most requests one run takes.
pub const MAX_REQUESTS: u32 = 200_000;
/// Longest prompt or output a distribution may produce, tokens.
pub const MAX_LENGTH: u32 = 1_000_000;
/// Points kept per time series (bounded however long the run).
pub const MAX_POINTS: usize = 256;

/// How a request length (prompt or output tokens) is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LengthDist {
    /// Always this many tokens.
    Fixed(u32),
    /// Uniform over whole numbers min..=max.
    Uniform { min: u32, max: u32 },
    /// Long-tailed: lognormal with this median and log-space standard deviation `sigma`,
    /// rounded and clamped to 1..=max.
    LogNormal { median: u32, sigma: f64, max: u32 },
}

impl LengthDist {
    /// The longest length it can produce.
    pub fn max(&self) -> u32 {
        match *self {
            LengthDist::Fixed(n) => n,
            LengthDist::Uniform { min, max } => min.max(max),
            LengthDist::LogNormal { max, .. } => max,
        }
    }

    /// `"fixed"`, `"uniform"` or `"lognormal"`.
    pub fn kind(&self) -> &'static str {
        match self {
            LengthDist::Fixed(_) => "fixed",
            LengthDist::Uniform { .. } => "uniform",
            LengthDist::LogNormal { .. } => "lognormal",
        }
    }

    fn sample(&self, rng: &mut Rng) -> u32 {
        match *self {
            LengthDist::Fixed(n) => n,
            LengthDist::Uniform { min, max } => rng.range_u32(min, max),
            LengthDist::LogNormal { median, sigma, max } => {
                let v = median as f64 * rng::exp(sigma * rng.normal());
                let v = v.round();
                if v >= max as f64 {
                    max
                } else if v >= 1.0 {
                    v as u32
                } else {
                    1
                }
            }
        }
    }

    fn problems(&self, field: &str, out: &mut Vec<ScenarioError>) {
        let mut bad = |what: &str, problem: String| {
            out.push(ScenarioError::new(format!("{field}.{what}"), problem));
        };
        let in_range = |v: u32| (1..=MAX_LENGTH).contains(&v);
        match *self {
            LengthDist::Fixed(n) => {
                if !in_range(n) {
                    bad("tokens", format!("must be 1 to {MAX_LENGTH}, got {n}"));
                }
            }
            LengthDist::Uniform { min, max } => {
                if !in_range(min) {
                    bad("min", format!("must be 1 to {MAX_LENGTH}, got {min}"));
                }
                if !in_range(max) {
                    bad("max", format!("must be 1 to {MAX_LENGTH}, got {max}"));
                } else if max < min {
                    bad(
                        "max",
                        format!("must be at least the minimum ({min}), got {max}"),
                    );
                }
            }
            LengthDist::LogNormal { median, sigma, max } => {
                if !in_range(median) {
                    bad("median", format!("must be 1 to {MAX_LENGTH}, got {median}"));
                }
                if !(sigma > 0.0 && sigma <= 4.0) {
                    bad(
                        "sigma",
                        format!("must be above 0 and at most 4, got {sigma}"),
                    );
                }
                if !in_range(max) {
                    bad("max", format!("must be 1 to {MAX_LENGTH}, got {max}"));
                } else if max < median {
                    bad(
                        "max",
                        format!("must be at least the median ({median}), got {max}"),
                    );
                }
            }
        }
    }
}

/// What to simulate. The scenario (model, hardware, chips, efficiency) comes separately.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// Mean arrivals per second (Poisson).
    pub arrival_rate: f64,
    /// Requests in the stream.
    pub requests: u32,
    /// Prompt tokens per request.
    pub input: LengthDist,
    /// Output tokens per request.
    pub output: LengthDist,
    /// Tokens per KV block (paged scheduler).
    pub block_size: u32,
    /// Seed of the stream.
    pub seed: u64,
}

impl Default for SimConfig {
    /// 10,000 requests at 16 per second; long-tailed lengths (prompts median 512, outputs
    /// median 256, σ = 1, capped at 8,192 and 4,096); blocks of 16 tokens; seed 42.
    fn default() -> Self {
        SimConfig {
            arrival_rate: 16.0,
            requests: 10_000,
            input: LengthDist::LogNormal {
                median: 512,
                sigma: 1.0,
                max: 8192,
            },
            output: LengthDist::LogNormal {
                median: 256,
                sigma: 1.0,
                max: 4096,
            },
            block_size: 16,
            seed: 42,
        }
    }
}

impl SimConfig {
    /// Every problem with the configuration alone, each naming its field
    /// (`arrival_rate`, `input.max`, …).
    pub fn problems(&self) -> Vec<ScenarioError> {
        let mut out = Vec::new();
        if !(self.arrival_rate.is_finite() && self.arrival_rate > 0.0 && self.arrival_rate <= 1e6) {
            out.push(ScenarioError::new(
                "arrival_rate",
                format!(
                    "must be above 0 and at most 10^6 per second, got {}",
                    self.arrival_rate
                ),
            ));
        }
        if !(1..=MAX_REQUESTS).contains(&self.requests) {
            out.push(ScenarioError::new(
                "requests",
                format!("must be 1 to {MAX_REQUESTS}, got {}", self.requests),
            ));
        }
        self.input.problems("input", &mut out);
        self.output.problems("output", &mut out);
        if !(1..=65_536).contains(&self.block_size) {
            out.push(ScenarioError::new(
                "block_size",
                format!("must be 1 to 65536 tokens, got {}", self.block_size),
            ));
        }
        out
    }
}

/// The three schedulers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheduler {
    Static,
    Contiguous,
    Paged,
}

impl Scheduler {
    /// In report order.
    pub const ALL: [Scheduler; 3] = [Scheduler::Static, Scheduler::Contiguous, Scheduler::Paged];

    /// `"static"`, `"contiguous"`, `"paged"`.
    pub fn id(self) -> &'static str {
        match self {
            Scheduler::Static => "static",
            Scheduler::Contiguous => "contiguous",
            Scheduler::Paged => "paged",
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Scheduler::Static => "Static batching",
            Scheduler::Contiguous => "Continuous, contiguous KV",
            Scheduler::Paged => "Continuous, paged KV",
        }
    }
}

impl fmt::Display for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One request of the stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Request {
    /// Arrival time, seconds from 0.
    pub arrival: f64,
    /// Prompt tokens.
    pub input: u32,
    /// Output tokens.
    pub output: u32,
}

/// The stream a configuration describes: arrival gaps, prompt and output lengths drawn in
/// that order per request from one generator.
pub fn stream(c: &SimConfig) -> Vec<Request> {
    let mut rng = Rng::new(c.seed);
    let mut t = 0.0;
    (0..c.requests)
        .map(|_| {
            t += rng.exponential(c.arrival_rate);
            let input = c.input.sample(&mut rng);
            let output = c.output.sample(&mut rng);
            Request {
                arrival: t,
                input,
                output,
            }
        })
        .collect()
}

/// Median, 95th and 99th percentiles (nearest rank) and the mean.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Percentiles {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub mean: f64,
}

impl Percentiles {
    /// Of `v` (sorted in place); all zero when empty.
    pub fn of(v: &mut [f64]) -> Self {
        if v.is_empty() {
            return Percentiles::default();
        }
        v.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let r = (p * v.len() as f64).ceil() as usize;
            v[r.clamp(1, v.len()) - 1]
        };
        Percentiles {
            p50: rank(0.50),
            p95: rank(0.95),
            p99: rank(0.99),
            mean: v.iter().sum::<f64>() / v.len() as f64,
        }
    }
}

/// Values over simulated time, time-weighted means over at most [`MAX_POINTS`] intervals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeSeries {
    /// End of each interval, seconds.
    pub time: Vec<f64>,
    /// Requests arrived and not yet admitted.
    pub waiting: Vec<f64>,
    /// Requests being served (static batching: the batch's slots).
    pub running: Vec<f64>,
    /// KV bytes holding tokens.
    pub kv_used_bytes: Vec<f64>,
    /// KV bytes reserved or allocated but holding no token (contiguous: the unused rest of
    /// each reservation; paged: the unfilled part of last blocks; static: padding and
    /// finished requests' slots).
    pub kv_wasted_bytes: Vec<f64>,
}

/// One scheduler's results.
#[derive(Clone, Debug, PartialEq)]
pub struct SchedulerReport {
    pub scheduler: Scheduler,
    /// Requests served (all of the stream).
    pub requests: u32,
    /// Output tokens emitted (equals the tokens requested).
    pub output_tokens: u64,
    /// Time of the last token, seconds.
    pub makespan_seconds: f64,
    /// Output tokens ÷ makespan.
    pub throughput_tokens_per_second: f64,
    /// Time to first token, seconds.
    pub ttft: Percentiles,
    /// Time per output token after the first, seconds.
    pub tpot: Percentiles,
    /// USD per million output tokens, all of the replica's time included.
    pub cost_per_million_output_tokens: f64,
    /// Iterations run.
    pub iterations: u64,
    /// Requests preempted (paged only; a request may be preempted more than once).
    pub preemptions: u64,
    /// Most requests served at once.
    pub peak_running: u32,
    /// Time-weighted mean of requests served at once.
    pub mean_running: f64,
    /// Time-weighted mean of KV bytes holding tokens.
    pub mean_kv_used_bytes: f64,
    /// Time-weighted mean of KV bytes reserved but empty.
    pub mean_kv_wasted_bytes: f64,
    /// Time-weighted mean of requests waiting.
    pub mean_waiting: f64,
    pub series: TimeSeries,
    /// Per request (stream order): first admission, first token and last token times.
    pub admitted_at: Vec<f64>,
    pub first_token_at: Vec<f64>,
    pub finished_at: Vec<f64>,
}

/// Everything a run produces.
#[derive(Clone, Debug, PartialEq)]
pub struct SimReport {
    /// Static, contiguous, paged.
    pub schedulers: Vec<SchedulerReport>,
    /// Output tokens the stream asks for.
    pub requested_output_tokens: u64,
    /// Prompt tokens in the stream.
    pub requested_input_tokens: u64,
    /// KV memory beside the weights, bytes.
    pub kv_capacity_bytes: f64,
    /// KV capacity in tokens.
    pub kv_capacity_tokens: u64,
    /// KV capacity in blocks (paged).
    pub kv_capacity_blocks: u64,
    /// KV bytes per token.
    pub kv_bytes_per_token: f64,
    /// A fingerprint of every per-request time and summary number (FNV-1a over f64 bits):
    /// equal digests mean bit-identical runs.
    pub digest: u64,
}

impl SimReport {
    /// The report of one scheduler.
    pub fn get(&self, s: Scheduler) -> Option<&SchedulerReport> {
        self.schedulers.iter().find(|r| r.scheduler == s)
    }

    /// The digest as 16 hex digits.
    pub fn digest_hex(&self) -> String {
        format!("{:016x}", self.digest)
    }
}

/// Why a simulation cannot start.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// Problems with the configuration or scenario, each naming its field.
    Invalid(Vec<ScenarioError>),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Invalid(list) => {
                let parts: Vec<String> = list.iter().map(|e| e.to_string()).collect();
                f.write_str(&parts.join("; "))
            }
        }
    }
}

impl std::error::Error for SimError {}

/// The engine's costs, as the replica needs them.
#[derive(Clone, Debug)]
struct Engine {
    scenario: Scenario,
    shape: Shape,
    peak: f64,
    chips: f64,
    /// Layers without and with a sliding window, and the window.
    full_layers: f64,
    window_layers: f64,
    window: Option<f64>,
}

impl Engine {
    fn new(s: &Scenario) -> Result<Self, ScenarioError> {
        s.validate()?;
        let peak = s.peak_flops()?;
        let m = &s.model;
        let windowed = if m.sliding_window.is_some() {
            m.sliding_window_layers.min(m.layers) as f64
        } else {
            0.0
        };
        Ok(Engine {
            scenario: s.clone(),
            shape: shape(s),
            peak,
            chips: s.chips.max(1) as f64,
            full_layers: m.layers as f64 - windowed,
            window_layers: windowed,
            window: m.sliding_window.map(|w| w as f64),
        })
    }

    fn windowed(&self) -> bool {
        self.window_layers > 0.0 && self.window.is_some()
    }

    /// One pass prefilling `requests` prompts of `tokens` tokens in all, seconds.
    fn prefill_seconds(&self, tokens: u64, requests: u32) -> f64 {
        if requests == 0 {
            return 0.0;
        }
        prefill(
            &self.scenario,
            &self.shape,
            self.peak,
            tokens as f64,
            requests as f64,
        )
        .seconds
    }

    /// One decode step of `batch` sequences at context `context`, seconds.
    fn decode_seconds(&self, batch: u32, context: f64) -> f64 {
        if batch == 0 {
            return 0.0;
        }
        decode_step(
            &self.scenario,
            &self.shape,
            self.peak,
            StepInputs {
                batch: batch as f64,
                context,
                chips: self.chips,
            },
        )
        .step_seconds
    }

    /// The context whose KV per sequence (and attention FLOPs per token, the same shape) is
    /// the mean over a batch with Σ contexts `sum` and Σ min(context, W) `sum_min`: per
    /// sequence both are ∝ g(c) = full·c + windowed·min(c, W), so g⁻¹ of the mean of g.
    fn effective_context(&self, batch: u32, sum: f64, sum_min: f64) -> f64 {
        let b = batch.max(1) as f64;
        let Some(w) = self.window.filter(|_| self.windowed()) else {
            return sum / b;
        };
        let (full, win) = (self.full_layers, self.window_layers);
        let g = (full * sum + win * sum_min) / b;
        let layers = full + win;
        if g <= layers * w || full <= 0.0 {
            g / layers
        } else {
            (g - win * w) / full
        }
    }
}

/// A request being served by a continuous scheduler.
#[derive(Clone, Copy, Debug)]
struct Running {
    id: u32,
    /// Tokens of KV held (n_in + tokens out − 1).
    ctx: u32,
    /// Tokens emitted so far.
    produced: u32,
    /// Tokens reserved (contiguous) or blocks held (paged).
    held: u32,
    /// Output tokens it asks for.
    out: u32,
    /// Paged: token slots left empty in its last block (held × block − ctx); the next step
    /// needs a new block when this is 0. Unused (kept at 1) under contiguous KV.
    slack: u32,
}

/// Time-weighted series with a bounded number of intervals: intervals of `stride`
/// iterations; when the list is full, neighbours merge and the stride doubles.
#[derive(Clone, Debug, Default)]
struct Sampler {
    stride: u64,
    in_bucket: u64,
    bucket: Bucket,
    buckets: Vec<Bucket>,
    total: Bucket,
    peak_running: u32,
}

#[derive(Clone, Copy, Debug, Default)]
struct Bucket {
    end: f64,
    duration: f64,
    waiting: f64,
    running: f64,
    used: f64,
    wasted: f64,
}

impl Bucket {
    fn add(&mut self, o: &Bucket) {
        self.end = self.end.max(o.end);
        self.duration += o.duration;
        self.waiting += o.waiting;
        self.running += o.running;
        self.used += o.used;
        self.wasted += o.wasted;
    }
}

impl Sampler {
    fn new() -> Self {
        Sampler {
            stride: 1,
            ..Default::default()
        }
    }

    /// Values held over [end − duration, end]; memory in tokens.
    fn record(
        &mut self,
        end: f64,
        duration: f64,
        waiting: u32,
        running: u32,
        used: u64,
        wasted: u64,
    ) {
        self.peak_running = self.peak_running.max(running);
        let d = duration.max(0.0);
        let b = Bucket {
            end,
            duration: d,
            waiting: waiting as f64 * d,
            running: running as f64 * d,
            used: used as f64 * d,
            wasted: wasted as f64 * d,
        };
        self.bucket.add(&b);
        self.total.add(&b);
        self.in_bucket += 1;
        if self.in_bucket >= self.stride {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.in_bucket == 0 {
            return;
        }
        self.buckets.push(std::mem::take(&mut self.bucket));
        self.in_bucket = 0;
        if self.buckets.len() >= MAX_POINTS {
            let merged: Vec<Bucket> = self
                .buckets
                .chunks(2)
                .map(|c| {
                    let mut b = c[0];
                    if let Some(o) = c.get(1) {
                        b.add(o);
                    }
                    b
                })
                .collect();
            self.buckets = merged;
            self.stride *= 2;
        }
    }

    fn series(&mut self, kv_per_token: f64) -> TimeSeries {
        self.flush();
        let mut s = TimeSeries::default();
        for b in &self.buckets {
            let m = |v: f64| {
                if b.duration > 0.0 {
                    v / b.duration
                } else {
                    0.0
                }
            };
            s.time.push(b.end);
            s.waiting.push(m(b.waiting));
            s.running.push(m(b.running));
            s.kv_used_bytes.push(m(b.used) * kv_per_token);
            s.kv_wasted_bytes.push(m(b.wasted) * kv_per_token);
        }
        s
    }
}

/// One scheduler serving the stream.
#[derive(Clone, Debug)]
struct Replica {
    scheduler: Scheduler,
    t: f64,
    /// Next request of the stream to arrive.
    next_arrival: usize,
    waiting: VecDeque<u32>,
    running: Vec<Running>,
    /// Free KV: tokens (static, contiguous) or blocks (paged).
    free: u64,
    /// All blocks (paged).
    total_blocks: u64,
    /// Σ KV tokens held by the running requests.
    sum_ctx: u64,
    /// Σ reserved tokens (contiguous) or blocks (paged) of the running requests.
    held_total: u64,
    /// Running requests whose next step needs a new block (paged).
    need_next: u64,
    block: u32,
    /// Tokens emitted per request (kept across preemptions).
    produced: Vec<u32>,
    admitted_at: Vec<f64>,
    first_token_at: Vec<f64>,
    finished_at: Vec<f64>,
    finished: u32,
    output_tokens: u64,
    iterations: u64,
    preemptions: u64,
    sampler: Sampler,
    /// Set if no progress was possible (cannot happen for a validated run).
    stuck: bool,
    /// The static batch being decoded.
    batch: Option<StaticBatch>,
}

/// Decode steps of a static batch run per call, so a long batch yields to the caller.
const STATIC_STEPS_PER_CALL: u32 = 512;

/// A static batch between its prefill and its last step.
#[derive(Clone, Debug)]
struct StaticBatch {
    ids: Vec<u32>,
    /// Output lengths, sorted.
    outs: Vec<u32>,
    max_in: u32,
    max_out: u32,
    /// The next decode step, 1 … max_out − 1.
    next_step: u32,
    /// Index in `outs` of the first request still generating.
    first_active: usize,
    /// KV tokens written so far.
    used: u64,
    /// KV tokens reserved for the padded batch.
    reserved: u64,
    /// End of the prefill, then of each decode step.
    ends: Vec<f64>,
}

fn blocks_for(tokens: u32, block: u32) -> u32 {
    tokens.div_ceil(block.max(1))
}

impl Replica {
    fn new(scheduler: Scheduler, n: usize, capacity_tokens: u64, block: u32) -> Self {
        let free = match scheduler {
            Scheduler::Paged => capacity_tokens / block.max(1) as u64,
            _ => capacity_tokens,
        };
        Replica {
            scheduler,
            t: 0.0,
            next_arrival: 0,
            waiting: VecDeque::new(),
            running: Vec::new(),
            free,
            total_blocks: capacity_tokens / block.max(1) as u64,
            sum_ctx: 0,
            held_total: 0,
            need_next: 0,
            block,
            produced: vec![0; n],
            admitted_at: vec![f64::NAN; n],
            first_token_at: vec![f64::NAN; n],
            finished_at: vec![f64::NAN; n],
            finished: 0,
            output_tokens: 0,
            iterations: 0,
            preemptions: 0,
            sampler: Sampler::new(),
            stuck: false,
            batch: None,
        }
    }

    fn done(&self, reqs: &[Request]) -> bool {
        self.stuck || self.finished as usize == reqs.len()
    }

    fn take_arrivals(&mut self, reqs: &[Request]) {
        while self.next_arrival < reqs.len() && reqs[self.next_arrival].arrival <= self.t {
            self.waiting.push_back(self.next_arrival as u32);
            self.next_arrival += 1;
        }
    }

    /// Runs one iteration (or one idle gap); returns the work done (≥ 1).
    fn iterate(&mut self, reqs: &[Request], eng: &Engine) -> u64 {
        if self.batch.is_some() {
            return self.static_steps(reqs, eng);
        }
        self.take_arrivals(reqs);
        if self.running.is_empty() && self.waiting.is_empty() {
            match reqs.get(self.next_arrival) {
                Some(r) => {
                    let gap = r.arrival - self.t;
                    self.t = r.arrival;
                    self.sampler.record(self.t, gap, 0, 0, 0, 0);
                }
                None => self.stuck = true,
            }
            return 1;
        }
        match self.scheduler {
            Scheduler::Static => self.static_start(reqs, eng),
            _ => self.continuous(reqs, eng),
        }
    }

    /// Static batching, first part: forms a batch (FIFO while the batch padded to its longest
    /// prompt and output fits) and prefills its padded prompts; every request's first token
    /// comes at the prefill's end. The decode steps follow in [`Replica::static_steps`].
    fn static_start(&mut self, reqs: &[Request], eng: &Engine) -> u64 {
        let capacity = self.free;
        let mut ids: Vec<u32> = Vec::new();
        let (mut max_in, mut max_out) = (0u32, 0u32);
        while let Some(&id) = self.waiting.front() {
            let r = &reqs[id as usize];
            let (mi, mo) = (max_in.max(r.input), max_out.max(r.output));
            let need = (ids.len() as u64 + 1) * (mi as u64 + mo as u64);
            if need > capacity {
                break;
            }
            ids.push(id);
            (max_in, max_out) = (mi, mo);
            self.waiting.pop_front();
        }
        if ids.is_empty() {
            self.stuck = true;
            return 1;
        }
        let k = ids.len() as u32;
        let reserved = k as u64 * (max_in as u64 + max_out as u64);
        for &id in &ids {
            self.admitted_at[id as usize] = self.t;
        }
        let d = eng.prefill_seconds(k as u64 * max_in as u64, k);
        let used: u64 = ids.iter().map(|&id| reqs[id as usize].input as u64).sum();
        self.t += d;
        self.iterations += 1;
        self.sampler.record(
            self.t,
            d,
            self.waiting.len() as u32,
            k,
            used,
            reserved - used,
        );
        // Requests still generating at step j are those with output > j: counted from the
        // outputs sorted once.
        let mut outs: Vec<u32> = ids.iter().map(|&id| reqs[id as usize].output).collect();
        outs.sort_unstable();
        let mut ends = Vec::with_capacity(max_out as usize);
        ends.push(self.t);
        self.batch = Some(StaticBatch {
            ids,
            outs,
            max_in,
            max_out,
            next_step: 1,
            first_active: 0,
            used,
            reserved,
            ends,
        });
        k as u64 + 1
    }

    /// Static batching, second part: up to [`STATIC_STEPS_PER_CALL`] decode steps
    /// j = 1 … max_out − 1 at the padded context max_in + j (`ends[j]` is when step j ends),
    /// then every request's last token and the batch's release.
    fn static_steps(&mut self, reqs: &[Request], eng: &Engine) -> u64 {
        let Some(mut b) = self.batch.take() else {
            return 1;
        };
        let k = b.ids.len() as u32;
        let stop = b
            .max_out
            .min(b.next_step.saturating_add(STATIC_STEPS_PER_CALL));
        let steps = stop.saturating_sub(b.next_step) as u64;
        for j in b.next_step..stop {
            while b.first_active < b.outs.len() && b.outs[b.first_active] <= j {
                b.first_active += 1;
            }
            let d = eng.decode_seconds(k, (b.max_in + j) as f64);
            // Each request still generating writes one more token of KV.
            b.used += (b.outs.len() - b.first_active) as u64;
            self.t += d;
            self.iterations += 1;
            // Arrivals during the batch only wait.
            self.take_arrivals(reqs);
            self.sampler.record(
                self.t,
                d,
                self.waiting.len() as u32,
                k,
                b.used,
                b.reserved - b.used,
            );
            b.ends.push(self.t);
        }
        b.next_step = stop;
        if stop < b.max_out {
            self.batch = Some(b);
            return steps + 1;
        }
        for &id in &b.ids {
            let i = id as usize;
            let out = reqs[i].output;
            self.first_token_at[i] = b.ends[0];
            self.finished_at[i] = b.ends[(out - 1) as usize];
            self.produced[i] = out;
            self.output_tokens += out as u64;
            self.finished += 1;
        }
        steps + k as u64
    }

    /// One iteration of continuous batching (contiguous or paged KV).
    fn continuous(&mut self, reqs: &[Request], eng: &Engine) -> u64 {
        let paged = self.scheduler == Scheduler::Paged;
        let bs = self.block;
        // Blocks the running requests need to grow by one token this step (those whose KV
        // fills their last block exactly), kept as a running count.
        let mut need = self.need_next;
        if paged {
            let mut preempted = false;
            while need > self.free {
                let Some(v) = self.running.pop() else {
                    break;
                };
                if v.slack == 0 {
                    need -= 1;
                }
                self.free += v.held as u64;
                self.held_total -= v.held as u64;
                self.sum_ctx -= v.ctx as u64;
                self.produced[v.id as usize] = v.produced;
                self.waiting.push_front(v.id);
                self.preemptions += 1;
                preempted = true;
            }
            self.need_next = need;
            if need > self.free {
                self.stuck = true;
                return 1;
            }
            if preempted {
                return self.run_iteration(reqs, eng, 0);
            }
        }
        // Admission, first come first served.
        let mut admitted = 0usize;
        let mut free = self.free - need;
        // Paged keeps a watermark of 1% of the blocks free when others are running (as
        // vLLM does), so that growth rarely forces a preemption right after an admission.
        let watermark = if paged && !self.running.is_empty() {
            self.total_blocks / 100
        } else {
            0
        };
        for &id in self.waiting.iter() {
            let r = &reqs[id as usize];
            let p = self.produced[id as usize];
            let cost = if paged {
                // Prompt plus tokens already emitted, plus the first token to come.
                blocks_for(r.input + p + 1, bs) as u64
            } else {
                r.input as u64 + r.output as u64
            };
            if cost + watermark > free {
                break;
            }
            free -= cost;
            admitted += 1;
        }
        if admitted == 0 && self.running.is_empty() {
            self.stuck = true;
            return 1;
        }
        self.run_iteration(reqs, eng, admitted)
    }

    /// Prefills the first `admitted` waiting requests and decodes the running ones, in one
    /// pass over the running batch (sums of contexts and held memory are kept as counts).
    fn run_iteration(&mut self, reqs: &[Request], eng: &Engine, admitted: usize) -> u64 {
        let paged = self.scheduler == Scheduler::Paged;
        let bs = self.block;
        // Decode step of the running batch at its actual contexts (each reads ctx + 1).
        let b = self.running.len() as u32;
        let sum = (self.sum_ctx + b as u64) as f64;
        let sum_min = if eng.windowed() {
            let w = eng.window.unwrap_or(0.0);
            self.running
                .iter()
                .map(|r| ((r.ctx + 1) as f64).min(w))
                .sum()
        } else {
            0.0
        };
        let decode = eng.decode_seconds(b, eng.effective_context(b, sum, sum_min));
        if paged {
            // This step's new blocks (the requests' own counts grow in the pass below).
            self.free -= self.need_next;
            self.held_total += self.need_next;
        }
        // Admissions: prompts (with any tokens already emitted) prefilled in one pass.
        let mut new: Vec<Running> = Vec::with_capacity(admitted);
        let mut prompt_tokens = 0u64;
        for _ in 0..admitted {
            let Some(id) = self.waiting.pop_front() else {
                break;
            };
            let r = &reqs[id as usize];
            let p = self.produced[id as usize];
            let prompt = r.input + p;
            let held = if paged {
                blocks_for(prompt, bs)
            } else {
                r.input + r.output
            };
            self.free -= held as u64;
            self.held_total += held as u64;
            prompt_tokens += prompt as u64;
            if self.admitted_at[id as usize].is_nan() {
                self.admitted_at[id as usize] = self.t;
            }
            new.push(Running {
                id,
                ctx: prompt,
                produced: p,
                held,
                out: r.output,
                slack: if paged { held * bs - prompt } else { 1 },
            });
        }
        let prefill = eng.prefill_seconds(prompt_tokens, new.len() as u32);
        let d = prefill + decode;
        // Memory during the iteration, in tokens.
        let used = self.sum_ctx + b as u64 + prompt_tokens;
        let held_tokens = if paged {
            self.held_total * bs as u64
        } else {
            self.held_total
        };
        self.t += d;
        self.iterations += 1;
        self.sampler.record(
            self.t,
            d,
            self.waiting.len() as u32,
            b + new.len() as u32,
            used,
            held_tokens.saturating_sub(used),
        );
        // Tokens out: one per running request, the first (or next) for each admitted one.
        let t = self.t;
        let mut running = std::mem::take(&mut self.running);
        let (mut sum_ctx, mut held_total, mut need_next) = (0u64, 0u64, 0u64);
        let mut freed = 0u64;
        let mut finished = 0u32;
        running.retain_mut(|r| {
            if paged {
                if r.slack == 0 {
                    r.held += 1;
                    r.slack = bs;
                }
                r.slack -= 1;
            }
            r.ctx += 1;
            r.produced += 1;
            if r.produced == r.out {
                freed += r.held as u64;
                self.finished_at[r.id as usize] = t;
                self.produced[r.id as usize] = r.produced;
                finished += 1;
                false
            } else {
                sum_ctx += r.ctx as u64;
                held_total += r.held as u64;
                need_next += (r.slack == 0) as u64;
                true
            }
        });
        self.output_tokens += b as u64;
        self.finished += finished;
        for mut r in new {
            let i = r.id as usize;
            if r.produced == 0 {
                self.first_token_at[i] = t;
            }
            r.produced += 1;
            self.output_tokens += 1;
            if r.produced == r.out {
                freed += r.held as u64;
                self.produced[i] = r.produced;
                self.finished_at[i] = t;
                self.finished += 1;
            } else {
                sum_ctx += r.ctx as u64;
                held_total += r.held as u64;
                need_next += (r.slack == 0) as u64;
                running.push(r);
            }
        }
        self.free += freed;
        self.sum_ctx = sum_ctx;
        self.held_total = held_total;
        self.need_next = if paged { need_next } else { 0 };
        self.running = running;
        b as u64 + 1 + prompt_tokens / 256
    }

    fn report(&mut self, reqs: &[Request], eng: &Engine, kv_per_token: f64) -> SchedulerReport {
        let makespan = self
            .finished_at
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let mut ttft: Vec<f64> = reqs
            .iter()
            .enumerate()
            .map(|(i, r)| self.first_token_at[i] - r.arrival)
            .filter(|v| v.is_finite())
            .collect();
        let mut tpot: Vec<f64> = reqs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.output >= 2)
            .map(|(i, r)| (self.finished_at[i] - self.first_token_at[i]) / (r.output - 1) as f64)
            .filter(|v| v.is_finite())
            .collect();
        let tokens = self.output_tokens;
        let usd_per_second = eng.chips * eng.scenario.hardware.price_per_hour / 3600.0;
        let per_token = |v: f64| if tokens > 0 { v / tokens as f64 } else { 0.0 };
        let total = self.sampler.total;
        let mean = |v: f64| {
            if total.duration > 0.0 {
                v / total.duration
            } else {
                0.0
            }
        };
        SchedulerReport {
            scheduler: self.scheduler,
            requests: self.finished,
            output_tokens: tokens,
            makespan_seconds: makespan,
            throughput_tokens_per_second: if makespan > 0.0 {
                tokens as f64 / makespan
            } else {
                0.0
            },
            ttft: Percentiles::of(&mut ttft),
            tpot: Percentiles::of(&mut tpot),
            cost_per_million_output_tokens: per_token(usd_per_second * makespan) * 1e6,
            iterations: self.iterations,
            preemptions: self.preemptions,
            peak_running: self.sampler.peak_running,
            mean_running: mean(total.running),
            mean_kv_used_bytes: mean(total.used) * kv_per_token,
            mean_kv_wasted_bytes: mean(total.wasted) * kv_per_token,
            mean_waiting: mean(total.waiting),
            series: self.sampler.series(kv_per_token),
            admitted_at: self.admitted_at.clone(),
            first_token_at: self.first_token_at.clone(),
            finished_at: self.finished_at.clone(),
        }
    }
}

/// A simulation in progress: three replicas, one per scheduler, on one stream.
#[derive(Clone, Debug)]
pub struct Sim {
    engine: Engine,
    requests: Vec<Request>,
    replicas: Vec<Replica>,
    kv_per_token: f64,
    capacity_bytes: f64,
    capacity_tokens: u64,
    block: u32,
}

impl Sim {
    /// Sets up a run of `config` on the scenario's model, hardware, chips and efficiency
    /// (the scenario's workload is not used). Errors name each field at fault, including a
    /// longest request that cannot fit in KV memory at all.
    pub fn new(scenario: &Scenario, config: &SimConfig) -> Result<Sim, SimError> {
        let mut problems = config.problems();
        let engine = match Engine::new(scenario) {
            Ok(e) => Some(e),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let Some(engine) = engine else {
            return Err(SimError::Invalid(problems));
        };
        let kv_per_token = kv_bytes_per_token(scenario);
        let chips = engine.chips;
        let (_, weights) = stored_weights(scenario, &engine.shape, chips);
        let capacity_bytes =
            USABLE_MEMORY_FRACTION * chips * scenario.hardware.memory_capacity - weights;
        let capacity_tokens = if capacity_bytes > 0.0 && kv_per_token > 0.0 {
            (capacity_bytes / kv_per_token).floor().min(1e15) as u64
        } else {
            0
        };
        let block = config.block_size.max(1);
        let longest = config.input.max() as u64 + config.output.max() as u64;
        if problems.is_empty() {
            let blocks = capacity_tokens / block as u64;
            let longest_blocks = longest.div_ceil(block as u64);
            if capacity_bytes <= 0.0 {
                problems.push(ScenarioError::new(
                    "chips",
                    "the weights leave no memory for the KV cache: add chips or lower precision",
                ));
            } else if longest > capacity_tokens || longest_blocks > blocks {
                problems.push(ScenarioError::new(
                    "output.max",
                    format!(
                        "the longest request ({longest} tokens in and out) needs more KV than fits \
                         beside the weights ({capacity_tokens} tokens in blocks of {block}); \
                         lower the longest lengths or add chips"
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(SimError::Invalid(problems));
        }
        let requests = stream(config);
        let n = requests.len();
        let replicas = Scheduler::ALL
            .into_iter()
            .map(|s| Replica::new(s, n, capacity_tokens, block))
            .collect();
        Ok(Sim {
            engine,
            requests,
            replicas,
            kv_per_token,
            capacity_bytes,
            capacity_tokens,
            block,
        })
    }

    /// The request stream.
    pub fn requests(&self) -> &[Request] {
        &self.requests
    }

    /// Runs until about `budget` units of work are done (a unit is one request advanced one
    /// step; an iteration counts at least 1) or the run is over; returns whether it is over.
    /// Replicas run one after another (static, contiguous, paged).
    pub fn step_until(&mut self, budget: u64) -> bool {
        let mut spent = 0u64;
        for rep in self.replicas.iter_mut() {
            while !rep.done(&self.requests) {
                if spent >= budget {
                    return false;
                }
                spent += rep.iterate(&self.requests, &self.engine).max(1);
            }
        }
        true
    }

    /// Whether every replica has served every request.
    pub fn is_done(&self) -> bool {
        self.replicas.iter().all(|r| r.done(&self.requests))
    }

    /// Fraction done, 0 to 1: requests finished over all replicas ÷ 3 × requests.
    pub fn progress(&self) -> f64 {
        let total = (self.requests.len() * self.replicas.len()) as f64;
        if total == 0.0 {
            return 1.0;
        }
        let done: u64 = self.replicas.iter().map(|r| r.finished as u64).sum();
        done as f64 / total
    }

    /// Runs to the end and reports.
    pub fn finish(mut self) -> SimReport {
        while !self.step_until(u64::MAX) {}
        let Sim {
            engine,
            requests,
            mut replicas,
            kv_per_token,
            capacity_bytes,
            capacity_tokens,
            block,
        } = self;
        let schedulers: Vec<SchedulerReport> = replicas
            .iter_mut()
            .map(|r| r.report(&requests, &engine, kv_per_token))
            .collect();
        let mut report = SimReport {
            schedulers,
            requested_output_tokens: requests.iter().map(|r| r.output as u64).sum(),
            requested_input_tokens: requests.iter().map(|r| r.input as u64).sum(),
            kv_capacity_bytes: capacity_bytes,
            kv_capacity_tokens: capacity_tokens,
            kv_capacity_blocks: capacity_tokens / block as u64,
            kv_bytes_per_token: kv_per_token,
            digest: 0,
        };
        report.digest = digest(&report);
        report
    }
}

/// Simulates `config` on `scenario` to the end.
pub fn run(scenario: &Scenario, config: &SimConfig) -> Result<SimReport, SimError> {
    Ok(Sim::new(scenario, config)?.finish())
}

/// FNV-1a over the bits of every per-request time and summary number of every scheduler.
pub fn digest(r: &SimReport) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |v: u64| {
        for b in v.to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(r.requested_output_tokens);
    eat(r.requested_input_tokens);
    eat(r.kv_capacity_tokens);
    for s in &r.schedulers {
        eat(s.output_tokens);
        eat(s.iterations);
        eat(s.preemptions);
        for v in [
            s.makespan_seconds,
            s.ttft.p50,
            s.ttft.p95,
            s.ttft.p99,
            s.tpot.p50,
            s.tpot.p95,
            s.tpot.p99,
            s.cost_per_million_output_tokens,
            s.mean_kv_used_bytes,
            s.mean_kv_wasted_bytes,
        ] {
            eat(v.to_bits());
        }
        for v in s
            .admitted_at
            .iter()
            .chain(&s.first_token_at)
            .chain(&s.finished_at)
        {
            eat(v.to_bits());
        }
    }
    h
}
