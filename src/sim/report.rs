//! What a run produces: percentiles, time series, per-scheduler and whole-run reports, and
//! the digest that fingerprints a run bit for bit.

use super::Scheduler;

/// Median, 95th and 99th percentiles (nearest rank) and the mean.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Mean.
    pub mean: f64,
}

/// The values of sorted `v` at percentiles 0, 1, …, 100 (nearest rank; 0 is the least).
pub fn quantiles(v: &[f64]) -> Vec<f64> {
    if v.is_empty() {
        return Vec::new();
    }
    (0..=100)
        .map(|p| {
            let r = (p as f64 / 100.0 * v.len() as f64).ceil() as usize;
            v[r.clamp(1, v.len()) - 1]
        })
        .collect()
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

/// Values over simulated time, time-weighted means over at most
/// [`MAX_POINTS`](super::MAX_POINTS) intervals.
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
    /// Which scheduler.
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
    /// State over time.
    pub series: TimeSeries,
    /// First admission time per request (stream order), seconds.
    pub admitted_at: Vec<f64>,
    /// First token time per request, seconds.
    pub first_token_at: Vec<f64>,
    /// Last token time per request, seconds.
    pub finished_at: Vec<f64>,
    /// TTFT at percentiles 0, 1, …, 100 (nearest rank), seconds (empty without requests).
    pub ttft_quantiles: Vec<f64>,
    /// TPOT at percentiles 0, 1, …, 100 (nearest rank), seconds.
    pub tpot_quantiles: Vec<f64>,
    /// Chips it pays for (disaggregated: both pools).
    pub chips: u32,
    /// Its KV memory beside the weights, bytes (disaggregated: both pools).
    pub kv_capacity_bytes: f64,
    /// This scheduler's own fingerprint ([`scheduler_digest`]).
    pub digest: u64,
}

impl SchedulerReport {
    /// Its digest as 16 hex digits.
    pub fn digest_hex(&self) -> String {
        format!("{:016x}", self.digest)
    }
}

/// Everything a run produces.
#[derive(Clone, Debug, PartialEq)]
pub struct SimReport {
    /// Every scheduler, in [`Scheduler::ALL`] order.
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
    /// Tokens of KV each request's fixed state takes (a linear-attention model's; 0 without).
    pub state_tokens_per_request: u64,
    /// A fingerprint of every per-request time and summary number of the schedulers in
    /// [`Scheduler::DIGESTED`] (FNV-1a over f64 bits): equal digests mean bit-identical
    /// runs. Each scheduler's report has its own digest too.
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

/// FNV-1a hasher.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn eat(&mut self, v: u64) {
        for b in v.to_le_bytes() {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn header(&mut self, r: &SimReport) {
        self.eat(r.requested_output_tokens);
        self.eat(r.requested_input_tokens);
        self.eat(r.kv_capacity_tokens);
    }

    fn scheduler(&mut self, s: &SchedulerReport) {
        self.eat(s.output_tokens);
        self.eat(s.iterations);
        self.eat(s.preemptions);
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
            self.eat(v.to_bits());
        }
        for v in s
            .admitted_at
            .iter()
            .chain(&s.first_token_at)
            .chain(&s.finished_at)
        {
            self.eat(v.to_bits());
        }
    }
}

/// FNV-1a over the bits of every per-request time and summary number of the schedulers in
/// [`Scheduler::DIGESTED`], in that order.
pub fn digest(r: &SimReport) -> u64 {
    let mut h = Fnv::new();
    h.header(r);
    for s in Scheduler::DIGESTED {
        if let Some(x) = r.get(s) {
            h.scheduler(x);
        }
    }
    h.0
}

/// FNV-1a over the run's totals and every per-request time and summary number of one
/// scheduler.
pub fn scheduler_digest(r: &SimReport, s: &SchedulerReport) -> u64 {
    let mut h = Fnv::new();
    h.header(r);
    h.scheduler(s);
    h.0
}
