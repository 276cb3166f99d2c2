//! The metric catalogue: every number the engine reports, once, with its dotted key, its
//! label, its unit and so its formatter.
//!
//! The engine's flat list ([`Evaluation::metrics`]), `roofline eval`'s JSON, the results
//! card and the compare panel all read these entries, so a number carries the same key
//! (`data-metric` on the page, the JSON key on the command line), the same label and the
//! same human text everywhere.

use crate::format as f;
use crate::model::{Evaluation, MetricValue};

/// What a metric's number measures, and so how it is shown to people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Seconds, shown as µs, ms or s.
    Seconds,
    /// Bytes, shown in decimal units (kB, MB, GB, TB).
    Bytes,
    /// Floating-point operations, shown as GFLOP, TFLOP, ….
    Flops,
    /// Tokens per second.
    TokensPerSecond,
    /// US dollars.
    Usd,
    /// Joules, shown as µJ, mJ or J.
    Joules,
    /// A parameter count, shown as 70.6B.
    Parameters,
    /// A number of requests in a batch, whole.
    Requests,
    /// A number of tokens, whole, shown with the word "tokens".
    Tokens,
    /// A number of chips, whole.
    Chips,
    /// A plain count that may have a fraction (3 significant figures).
    Count,
    /// A ratio, shown as 8.00×.
    Ratio,
    /// Which resource limits a pass (`memory` or `compute`), shown as "memory-bound".
    Bound,
    /// Yes or no.
    Flag,
}

impl Unit {
    /// The SI unit of the raw value (`s`, `B`, `FLOP`, `tok/s`, `USD`, `J`; empty if none).
    pub fn si(self) -> &'static str {
        match self {
            Unit::Seconds => "s",
            Unit::Bytes => "B",
            Unit::Flops => "FLOP",
            Unit::TokensPerSecond => "tok/s",
            Unit::Usd => "USD",
            Unit::Joules => "J",
            Unit::Tokens => "tokens",
            Unit::Requests => "requests",
            Unit::Chips => "chips",
            Unit::Parameters | Unit::Count | Unit::Ratio | Unit::Bound | Unit::Flag => "",
        }
    }

    /// A number in this unit for people: 0.00704 s → "7.04 ms"; not finite → [`f::MISSING`].
    pub fn format(self, x: f64) -> String {
        match self {
            Unit::Seconds => f::seconds(x),
            Unit::Bytes => f::bytes(x),
            Unit::Flops => f::flops(x),
            Unit::TokensPerSecond => f::tokens_per_second(x),
            Unit::Usd => f::usd(x),
            Unit::Joules => f::joules(x),
            Unit::Parameters => f::count(x),
            Unit::Requests | Unit::Chips => f::integer(x),
            Unit::Tokens if x.is_finite() => format!("{} tokens", f::integer(x)),
            Unit::Ratio if x.is_finite() => format!("{}×", f::sig(x, 3)),
            Unit::Tokens | Unit::Ratio => f::MISSING.into(),
            Unit::Count | Unit::Bound | Unit::Flag => f::sig(x, 3),
        }
    }
}

/// One number the engine reports.
#[derive(Clone, Copy, Debug)]
pub struct Metric {
    /// Dotted key: the JSON key of `roofline eval` and the page's `data-metric`.
    pub key: &'static str,
    /// What people read beside the number.
    pub label: &'static str,
    /// What the number measures, and so how it is shown.
    pub unit: Unit,
    /// The raw value in SI units (a per-chip metric: the whole system's value).
    pub value: fn(&Evaluation) -> MetricValue,
    /// The value is divided by the scenario's chip count (see [`Metric::read`]).
    pub per_chip: bool,
    /// The text shown when the value is missing.
    pub missing: &'static str,
    /// More context shown after the number where there is room (the results card).
    pub detail: Option<fn(&Evaluation) -> String>,
}

/// A metric with the defaults: whole-system, [`f::MISSING`] when missing, no detail.
const fn metric(
    key: &'static str,
    label: &'static str,
    unit: Unit,
    value: fn(&Evaluation) -> MetricValue,
) -> Metric {
    Metric {
        key,
        label,
        unit,
        value,
        per_chip: false,
        missing: f::MISSING,
        detail: None,
    }
}

impl Metric {
    /// The same metric, saying `text` when its value is missing.
    const fn when_missing(mut self, text: &'static str) -> Metric {
        self.missing = text;
        self
    }

    /// The same metric, per chip: its value divided by the chip count.
    const fn per_chip(mut self) -> Metric {
        self.per_chip = true;
        self
    }

    /// The same metric, with more context for the results card.
    const fn with_detail(mut self, detail: fn(&Evaluation) -> String) -> Metric {
        self.detail = Some(detail);
        self
    }

    /// The value for an evaluation of a scenario on `chips` chips.
    pub fn read(&self, e: &Evaluation, chips: u32) -> MetricValue {
        match (self.value)(e) {
            MetricValue::Number(x) if self.per_chip => MetricValue::Number(x / chips as f64),
            v => v,
        }
    }

    /// The value from the evaluation alone; [`MetricValue::Missing`] for a per-chip metric
    /// (it needs the chip count: [`Metric::read`]).
    pub fn of(&self, e: &Evaluation) -> MetricValue {
        if self.per_chip {
            MetricValue::Missing
        } else {
            (self.value)(e)
        }
    }

    /// A value of this metric for people: "7.04 ms", "memory-bound", "never".
    pub fn show(&self, v: &MetricValue) -> String {
        match v {
            MetricValue::Number(x) => self.unit.format(*x),
            MetricValue::Text(t) if self.unit == Unit::Bound => format!("{t}-bound"),
            MetricValue::Text(t) => (*t).to_string(),
            MetricValue::Flag(b) => (if *b { "yes" } else { "no" }).to_string(),
            MetricValue::Missing => self.missing.to_string(),
        }
    }
}

/// A value as the page's `data-value` holds it: numbers as Rust prints an f64, missing as
/// `null`.
pub fn data_value(v: &MetricValue) -> String {
    match v {
        MetricValue::Number(x) => x.to_string(),
        MetricValue::Text(t) => (*t).to_string(),
        MetricValue::Flag(b) => b.to_string(),
        MetricValue::Missing => "null".into(),
    }
}

/// A value as a plain number: not a number → NaN.
pub fn number(v: &MetricValue) -> f64 {
    match v {
        MetricValue::Number(x) => *x,
        _ => f64::NAN,
    }
}

use MetricValue::{Flag, Missing, Number, Text};

/// `params.total`: total parameters, embedding and LM head included.
pub static PARAMS_TOTAL: Metric =
    metric("params.total", "Total parameters", Unit::Parameters, |e| {
        Number(e.params.total)
    });
/// `params.active`: parameters used per token.
pub static PARAMS_ACTIVE: Metric = metric(
    "params.active",
    "Active parameters per token",
    Unit::Parameters,
    |e| Number(e.params.active),
);
/// `params.sparsity`: total ÷ active.
pub static PARAMS_SPARSITY: Metric = metric(
    "params.sparsity",
    "Sparsity (total ÷ active)",
    Unit::Ratio,
    |e| Number(e.params.sparsity),
)
.with_detail(|e| {
    format!(
        "({} of {})",
        f::count(e.params.active),
        f::count(e.params.total)
    )
});
/// `kv_bytes_per_token`: KV bytes per token over every layer.
pub static KV_BYTES_PER_TOKEN: Metric = metric(
    "kv_bytes_per_token",
    "KV cache per token",
    Unit::Bytes,
    |e| Number(e.kv_bytes_per_token),
);
/// `decode.step_seconds`: one decode step of the whole batch.
pub static DECODE_STEP_SECONDS: Metric =
    metric("decode.step_seconds", "Decode step", Unit::Seconds, |e| {
        Number(e.decode.step_seconds)
    });
/// `decode.memory_seconds`: bytes read ÷ bandwidth.
pub static DECODE_MEMORY_SECONDS: Metric = metric(
    "decode.memory_seconds",
    "Decode step: memory time",
    Unit::Seconds,
    |e| Number(e.decode.memory_seconds),
);
/// `decode.compute_seconds`: FLOPs ÷ FLOP/s.
pub static DECODE_COMPUTE_SECONDS: Metric = metric(
    "decode.compute_seconds",
    "Decode step: compute time",
    Unit::Seconds,
    |e| Number(e.decode.compute_seconds),
);
/// `decode.comm_seconds`: transfer time of the collectives.
pub static DECODE_COMM_SECONDS: Metric = metric(
    "decode.comm_seconds",
    "Decode step: communication time",
    Unit::Seconds,
    |e| Number(e.decode.comm_seconds),
);
/// `decode.bound`: which of memory and compute is slower.
pub static DECODE_BOUND: Metric = metric("decode.bound", "Bound", Unit::Bound, |e| {
    Text(e.decode.bound.name())
});
/// `decode.weight_bytes`: weight bytes read in one step, summed over chips.
pub static DECODE_WEIGHT_BYTES: Metric = metric(
    "decode.weight_bytes",
    "Weights read per step",
    Unit::Bytes,
    |e| Number(e.decode.weight_bytes),
);
/// `decode.kv_bytes`: KV bytes read in one step, summed over chips.
pub static DECODE_KV_BYTES: Metric = metric(
    "decode.kv_bytes",
    "KV cache read per step",
    Unit::Bytes,
    |e| Number(e.decode.kv_bytes),
);
/// `decode.flops`: FLOPs of one step, summed over chips.
pub static DECODE_FLOPS: Metric =
    metric("decode.flops", "FLOPs per decode step", Unit::Flops, |e| {
        Number(e.decode.flops)
    });
/// `decode.tokens_per_second`: B ÷ step, for the whole system.
pub static DECODE_TOKENS_PER_SECOND: Metric = metric(
    "decode.tokens_per_second",
    "Throughput (system)",
    Unit::TokensPerSecond,
    |e| Number(e.decode.tokens_per_second),
);
/// `decode.tokens_per_second_per_user`: 1 ÷ step.
pub static DECODE_TOKENS_PER_SECOND_PER_USER: Metric = metric(
    "decode.tokens_per_second_per_user",
    "Speed per user",
    Unit::TokensPerSecond,
    |e| Number(e.decode.tokens_per_second_per_user),
);
/// `prefill.seconds`: prefill of one request.
pub static PREFILL_SECONDS: Metric = metric(
    "prefill.seconds",
    "Time to first token",
    Unit::Seconds,
    |e| Number(e.prefill.seconds),
);
/// `prefill.flops`: FLOPs of one request's prefill.
pub static PREFILL_FLOPS: Metric = metric("prefill.flops", "FLOPs per prefill", Unit::Flops, |e| {
    Number(e.prefill.flops)
});
/// `prefill.bound`: which of memory and compute is slower in prefill.
pub static PREFILL_BOUND: Metric = metric("prefill.bound", "Prefill bound", Unit::Bound, |e| {
    Text(e.prefill.bound.name())
});
/// `critical_batch.rule_of_thumb`: (F ÷ BW) × (b_w ÷ 2) × (total ÷ active).
pub static CRITICAL_BATCH_RULE_OF_THUMB: Metric = metric(
    "critical_batch.rule_of_thumb",
    "Ideal batch (rule of thumb)",
    Unit::Requests,
    |e| Number(e.critical_batch.rule_of_thumb),
);
/// `critical_batch.exact`: the smallest batch whose compute time reaches its memory time.
pub static CRITICAL_BATCH_EXACT: Metric = metric(
    "critical_batch.exact",
    "Ideal batch (exact)",
    Unit::Requests,
    |e| match e.critical_batch.exact {
        Some(b) => Number(b as f64),
        None => Missing,
    },
)
.when_missing("none: memory-bound at every batch");
/// `capacity.weight_bytes`: weights stored over all chips.
pub static CAPACITY_WEIGHT_BYTES: Metric = metric(
    "capacity.weight_bytes",
    "Weights stored",
    Unit::Bytes,
    |e| Number(e.capacity.weight_bytes),
);
/// `capacity.max_batch_size`: the largest batch whose KV fits.
pub static CAPACITY_MAX_BATCH_SIZE: Metric = metric(
    "capacity.max_batch_size",
    "Max batch at this context",
    Unit::Requests,
    |e| Number(e.capacity.max_batch_size as f64),
);
/// `capacity.fits`: weights + the batch's KV fit in usable memory.
pub static CAPACITY_FITS: Metric = metric("capacity.fits", "Fits in memory", Unit::Flag, |e| {
    Flag(e.capacity.fits)
});
/// `cost.per_million_output_tokens`: USD.
pub static COST_PER_MILLION_OUTPUT_TOKENS: Metric = metric(
    "cost.per_million_output_tokens",
    "Cost per 1M output tokens",
    Unit::Usd,
    |e| Number(e.cost.per_million_output_tokens),
);
/// `cost.per_million_input_tokens`: USD.
pub static COST_PER_MILLION_INPUT_TOKENS: Metric = metric(
    "cost.per_million_input_tokens",
    "Cost per 1M input tokens",
    Unit::Usd,
    |e| Number(e.cost.per_million_input_tokens),
);
/// `energy.joules_per_output_token`: J.
pub static ENERGY_JOULES_PER_OUTPUT_TOKEN: Metric = metric(
    "energy.joules_per_output_token",
    "Energy per output token",
    Unit::Joules,
    |e| Number(e.energy.joules_per_output_token),
);
/// `context_tokens`: the decode context S.
pub static CONTEXT_TOKENS: Metric = metric("context_tokens", "Decode context", Unit::Tokens, |e| {
    Number(e.context)
});
/// `decode.tokens_per_second_per_chip`: system throughput ÷ N.
pub static DECODE_TOKENS_PER_SECOND_PER_CHIP: Metric = metric(
    "decode.tokens_per_second_per_chip",
    "Throughput per chip",
    Unit::TokensPerSecond,
    |e| Number(e.decode.tokens_per_second),
)
.per_chip();
/// `decode.latency_seconds`: per-step overhead plus per-collective latency.
pub static DECODE_LATENCY_SECONDS: Metric = metric(
    "decode.latency_seconds",
    "Decode step: fixed latencies",
    Unit::Seconds,
    |e| Number(e.decode.latency_seconds),
);
/// `decode.experts_touched`: routed experts touched per MoE layer.
pub static DECODE_EXPERTS_TOUCHED: Metric = metric(
    "decode.experts_touched",
    "Experts touched per MoE layer",
    Unit::Count,
    |e| Number(e.decode.experts_touched),
);
/// `prefill.memory_seconds`: prefill bytes ÷ bandwidth.
pub static PREFILL_MEMORY_SECONDS: Metric = metric(
    "prefill.memory_seconds",
    "Prefill: memory time",
    Unit::Seconds,
    |e| Number(e.prefill.memory_seconds),
);
/// `prefill.compute_seconds`: prefill FLOPs ÷ FLOP/s.
pub static PREFILL_COMPUTE_SECONDS: Metric = metric(
    "prefill.compute_seconds",
    "Prefill: compute time",
    Unit::Seconds,
    |e| Number(e.prefill.compute_seconds),
);
/// `capacity.kv_bytes_per_sequence`: KV one sequence holds at the decode context.
pub static CAPACITY_KV_BYTES_PER_SEQUENCE: Metric = metric(
    "capacity.kv_bytes_per_sequence",
    "KV cache per sequence",
    Unit::Bytes,
    |e| Number(e.capacity.kv_bytes_per_sequence),
);
/// `capacity.usable_bytes`: 90% of N·M.
pub static CAPACITY_USABLE_BYTES: Metric =
    metric("capacity.usable_bytes", "Usable memory", Unit::Bytes, |e| {
        Number(e.capacity.usable_bytes)
    });
/// `capacity.used_bytes`: weights plus the batch's KV.
pub static CAPACITY_USED_BYTES: Metric =
    metric("capacity.used_bytes", "Memory used", Unit::Bytes, |e| {
        Number(e.capacity.used_bytes)
    });
/// `capacity.min_chips`: the fewest chips on which weights and this batch's KV fit.
pub static CAPACITY_MIN_CHIPS: Metric = metric(
    "capacity.min_chips",
    "Fewest chips that fit",
    Unit::Chips,
    |e| match e.capacity.min_chips {
        Some(n) => Number(f64::from(n)),
        None => Missing,
    },
)
.when_missing("none");
/// `energy.data_movement_joules_per_token`: the part spent moving bytes from memory.
pub static ENERGY_DATA_MOVEMENT_JOULES_PER_TOKEN: Metric = metric(
    "energy.data_movement_joules_per_token",
    "Energy per token: moving data",
    Unit::Joules,
    |e| Number(e.energy.data_movement_joules),
);
/// `energy.arithmetic_joules_per_token`: the part spent on arithmetic.
pub static ENERGY_ARITHMETIC_JOULES_PER_TOKEN: Metric = metric(
    "energy.arithmetic_joules_per_token",
    "Energy per token: arithmetic",
    Unit::Joules,
    |e| Number(e.energy.arithmetic_joules),
);
/// `hbm_drain_seconds`: capacity ÷ bandwidth of one chip.
pub static HBM_DRAIN_SECONDS: Metric = metric(
    "hbm_drain_seconds",
    "HBM drain time (capacity ÷ bandwidth)",
    Unit::Seconds,
    |e| Number(e.hbm_drain_seconds),
);
/// `kv_crossover_context`: the context at which KV reads equal weight reads.
pub static KV_CROSSOVER_CONTEXT: Metric = metric(
    "kv_crossover_context",
    "KV reads overtake weights at",
    Unit::Tokens,
    |e| match e.kv_crossover_context {
        Some(c) => Number(c),
        None => Missing,
    },
)
.when_missing("never");

/// The metrics of `SCENARIO.md`, in its order: [`Evaluation::metrics`].
pub static SCENARIO: &[&Metric] = &[
    &PARAMS_TOTAL,
    &PARAMS_ACTIVE,
    &PARAMS_SPARSITY,
    &KV_BYTES_PER_TOKEN,
    &DECODE_STEP_SECONDS,
    &DECODE_MEMORY_SECONDS,
    &DECODE_COMPUTE_SECONDS,
    &DECODE_COMM_SECONDS,
    &DECODE_BOUND,
    &DECODE_WEIGHT_BYTES,
    &DECODE_KV_BYTES,
    &DECODE_FLOPS,
    &DECODE_TOKENS_PER_SECOND,
    &DECODE_TOKENS_PER_SECOND_PER_USER,
    &PREFILL_SECONDS,
    &PREFILL_FLOPS,
    &PREFILL_BOUND,
    &CRITICAL_BATCH_RULE_OF_THUMB,
    &CRITICAL_BATCH_EXACT,
    &CAPACITY_WEIGHT_BYTES,
    &CAPACITY_MAX_BATCH_SIZE,
    &CAPACITY_FITS,
    &COST_PER_MILLION_OUTPUT_TOKENS,
    &COST_PER_MILLION_INPUT_TOKENS,
    &ENERGY_JOULES_PER_OUTPUT_TOKEN,
];

/// The decode step's parts on the critical path (`model::step_parts`): they sum to the step.
macro_rules! part {
    ($name:ident, $key:literal, $label:literal, $field:ident) => {
        #[doc = concat!("`", $key, "`: ", $label, ".")]
        pub static $name: Metric = metric($key, $label, Unit::Seconds, |e| {
            Number(crate::model::step_parts::StepParts::of(&e.decode).$field)
        });
    };
}
part!(
    PART_WEIGHTS,
    "decode.part.weights_read_seconds",
    "Step part: reading weights",
    weights
);
part!(
    PART_KV,
    "decode.part.kv_read_seconds",
    "Step part: reading KV cache",
    kv
);
part!(
    PART_KV_HOST,
    "decode.part.kv_host_read_seconds",
    "Step part: KV from host",
    kv_host
);
part!(
    PART_INDEXER,
    "decode.part.indexer_read_seconds",
    "Step part: indexer reading keys",
    indexer
);
part!(
    PART_LINEAR_STATE,
    "decode.part.linear_state_seconds",
    "Step part: linear-attention state",
    linear_state
);
part!(
    PART_GEMM,
    "decode.part.gemm_seconds",
    "Step part: GEMMs beyond reads",
    gemm
);
part!(
    PART_PADDING,
    "decode.part.padding_seconds",
    "Step part: tile padding",
    padding
);
part!(
    PART_IMBALANCE,
    "decode.part.imbalance_seconds",
    "Step part: expert imbalance",
    imbalance
);
part!(
    PART_DEQUANT,
    "decode.part.dequant_seconds",
    "Step part: widening weights",
    dequant
);
part!(
    PART_ATTENTION,
    "decode.part.attention_seconds",
    "Step part: attention math",
    attention
);
part!(
    PART_COMM,
    "decode.part.communication_seconds",
    "Step part: communication",
    communication
);
part!(
    PART_SEQUENCES,
    "decode.part.sequence_work_seconds",
    "Step part: per-sequence work",
    sequences
);
part!(
    PART_OVERHEADS,
    "decode.part.overheads_seconds",
    "Step part: fixed overheads",
    overheads
);
/// `decode.imbalance_factor`: busiest chip's expert load ÷ the mean.
pub static DECODE_IMBALANCE_FACTOR: Metric = metric(
    "decode.imbalance_factor",
    "Expert load imbalance",
    Unit::Ratio,
    |e| Number(e.decode.terms.imbalance_factor),
);
/// `decode.tokens_per_expert`: token rows each touched expert multiplies.
pub static DECODE_TOKENS_PER_EXPERT: Metric = metric(
    "decode.tokens_per_expert",
    "Tokens per touched expert",
    Unit::Count,
    |e| Number(e.decode.terms.tokens_per_expert),
);
/// `decode.exchange_copies`: other chips each token goes to per MoE layer.
pub static DECODE_EXCHANGE_COPIES: Metric = metric(
    "decode.exchange_copies",
    "Chips each token is sent to",
    Unit::Count,
    |e| Number(e.decode.terms.exchange_copies),
);

/// `decode.tokens_per_step`: tokens each sequence keeps per target step, τ (1 without
/// speculative decoding).
pub static DECODE_TOKENS_PER_STEP: Metric = metric(
    "decode.tokens_per_step",
    "Tokens per decode step",
    Unit::Count,
    |e| Number(e.speculative.as_ref().map_or(1.0, |sp| sp.tokens_per_step)),
);
/// `speculative.speedup`: plain step ÷ time per token with speculation.
pub static SPECULATIVE_SPEEDUP: Metric = metric(
    "speculative.speedup",
    "Speculative decoding speed-up",
    Unit::Ratio,
    |e| match &e.speculative {
        Some(sp) => Number(sp.speedup),
        None => Missing,
    },
)
.when_missing("off");
/// `speculative.draft_seconds`: the k draft steps of one round.
pub static SPECULATIVE_DRAFT_SECONDS: Metric = metric(
    "speculative.draft_seconds",
    "Draft steps per round",
    Unit::Seconds,
    |e| match &e.speculative {
        Some(sp) => Number(sp.draft_seconds),
        None => Missing,
    },
)
.when_missing("off");
/// `cost.per_million_cached_input_tokens`: USD per 1M cached input tokens.
pub static COST_PER_MILLION_CACHED_INPUT_TOKENS: Metric = metric(
    "cost.per_million_cached_input_tokens",
    "Cost per 1M cached input tokens",
    Unit::Usd,
    |e| match e.cost.per_million_cached_input_tokens {
        Some(c) => Number(c),
        None => Missing,
    },
)
.when_missing("no cached input");
/// `cost.per_million_uncached_input_tokens`: USD per 1M new (uncached) input tokens.
pub static COST_PER_MILLION_UNCACHED_INPUT_TOKENS: Metric = metric(
    "cost.per_million_uncached_input_tokens",
    "Cost per 1M uncached input tokens",
    Unit::Usd,
    |e| Number(e.cost.per_million_uncached_input_tokens),
);
/// `capacity.shared_prefix_bytes`: KV of a shared cached prefix.
pub static CAPACITY_SHARED_PREFIX_BYTES: Metric = metric(
    "capacity.shared_prefix_bytes",
    "Shared prefix KV",
    Unit::Bytes,
    |e| Number(e.capacity.shared_prefix_bytes),
);
/// `capacity.draft_weight_bytes`: weights of the draft model or MTP head.
pub static CAPACITY_DRAFT_WEIGHT_BYTES: Metric = metric(
    "capacity.draft_weight_bytes",
    "Draft weights stored",
    Unit::Bytes,
    |e| Number(e.capacity.draft_weight_bytes),
);

/// `capacity.host_kv_bytes`: KV held in host memory (KV offload).
pub static CAPACITY_HOST_KV_BYTES: Metric = metric(
    "capacity.host_kv_bytes",
    "KV in host memory",
    Unit::Bytes,
    |e| Number(e.capacity.host_kv_bytes),
);

/// The metrics `roofline eval` prints after [`SCENARIO`]'s, in its order.
pub static EXTRA: &[&Metric] = &[
    &CONTEXT_TOKENS,
    &DECODE_TOKENS_PER_SECOND_PER_CHIP,
    &DECODE_LATENCY_SECONDS,
    &DECODE_EXPERTS_TOUCHED,
    &PREFILL_MEMORY_SECONDS,
    &PREFILL_COMPUTE_SECONDS,
    &CAPACITY_KV_BYTES_PER_SEQUENCE,
    &CAPACITY_USABLE_BYTES,
    &CAPACITY_USED_BYTES,
    &CAPACITY_MIN_CHIPS,
    &ENERGY_DATA_MOVEMENT_JOULES_PER_TOKEN,
    &ENERGY_ARITHMETIC_JOULES_PER_TOKEN,
    &HBM_DRAIN_SECONDS,
    &KV_CROSSOVER_CONTEXT,
    &PART_WEIGHTS,
    &PART_KV,
    &PART_KV_HOST,
    &PART_INDEXER,
    &PART_LINEAR_STATE,
    &PART_GEMM,
    &PART_PADDING,
    &PART_IMBALANCE,
    &PART_DEQUANT,
    &PART_ATTENTION,
    &PART_COMM,
    &PART_SEQUENCES,
    &PART_OVERHEADS,
    &DECODE_IMBALANCE_FACTOR,
    &DECODE_TOKENS_PER_EXPERT,
    &DECODE_EXCHANGE_COPIES,
    &DECODE_TOKENS_PER_STEP,
    &SPECULATIVE_SPEEDUP,
    &SPECULATIVE_DRAFT_SECONDS,
    &COST_PER_MILLION_CACHED_INPUT_TOKENS,
    &COST_PER_MILLION_UNCACHED_INPUT_TOKENS,
    &CAPACITY_SHARED_PREFIX_BYTES,
    &CAPACITY_DRAFT_WEIGHT_BYTES,
    &CAPACITY_HOST_KV_BYTES,
];

/// Every metric: [`SCENARIO`]'s, then [`EXTRA`]'s (the keys of `roofline eval`).
pub fn all() -> impl Iterator<Item = &'static Metric> {
    SCENARIO.iter().chain(EXTRA).copied()
}

/// The metric under a dotted key.
pub fn get(key: &str) -> Option<&'static Metric> {
    all().find(|m| m.key == key)
}

/// A row of the results card.
#[derive(Clone, Copy, Debug)]
pub struct CardRow {
    /// The metric shown.
    pub metric: &'static Metric,
    /// Show the pure roofline bound's value beside it.
    pub with_bound: bool,
}

const fn row(metric: &'static Metric, with_bound: bool) -> CardRow {
    CardRow { metric, with_bound }
}

/// The results card's rows, in page order.
pub static RESULTS_CARD: &[CardRow] = &[
    row(&DECODE_STEP_SECONDS, true),
    row(&DECODE_BOUND, false),
    row(&DECODE_TOKENS_PER_SECOND_PER_USER, true),
    row(&DECODE_TOKENS_PER_SECOND, true),
    row(&PREFILL_SECONDS, true),
    row(&COST_PER_MILLION_OUTPUT_TOKENS, true),
    row(&COST_PER_MILLION_INPUT_TOKENS, true),
    row(&COST_PER_MILLION_CACHED_INPUT_TOKENS, true),
    row(&SPECULATIVE_SPEEDUP, false),
    row(&DECODE_TOKENS_PER_STEP, false),
    row(&CAPACITY_MAX_BATCH_SIZE, false),
    row(&CRITICAL_BATCH_RULE_OF_THUMB, false),
    row(&CRITICAL_BATCH_EXACT, false),
    row(&KV_CROSSOVER_CONTEXT, false),
    row(&ENERGY_JOULES_PER_OUTPUT_TOKEN, false),
    row(&PARAMS_SPARSITY, false),
    row(&KV_BYTES_PER_TOKEN, false),
    row(&HBM_DRAIN_SECONDS, false),
];

/// The compare panel's rows, in page order (each a number, so B can be set against A).
pub static COMPARE: &[&Metric] = &[
    &DECODE_STEP_SECONDS,
    &DECODE_TOKENS_PER_SECOND_PER_USER,
    &DECODE_TOKENS_PER_SECOND,
    &PREFILL_SECONDS,
    &COST_PER_MILLION_OUTPUT_TOKENS,
    &COST_PER_MILLION_INPUT_TOKENS,
    &KV_BYTES_PER_TOKEN,
    &DECODE_WEIGHT_BYTES,
    &CAPACITY_WEIGHT_BYTES,
    &CAPACITY_MAX_BATCH_SIZE,
    &CRITICAL_BATCH_RULE_OF_THUMB,
    &ENERGY_JOULES_PER_OUTPUT_TOKEN,
    &PARAMS_SPARSITY,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evaluate;
    use crate::scenario::Scenario;

    fn eval() -> Evaluation {
        evaluate(&Scenario::default()).expect("the default scenario evaluates")
    }

    #[test]
    fn keys_are_unique_and_labels_present() {
        let mut keys: Vec<&str> = all().map(|m| m.key).collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key is listed twice");
        assert_eq!(n, 63);
        assert!(all().all(|m| !m.label.is_empty()));
        assert_eq!(
            get("decode.step_seconds").map(|m| m.label),
            Some("Decode step")
        );
        assert!(get("nope").is_none());
    }

    #[test]
    fn page_lists_need_no_chip_count_and_compare_rows_are_numbers() {
        let e = eval();
        for r in RESULTS_CARD {
            assert!(!r.metric.per_chip, "{}", r.metric.key);
        }
        for m in COMPARE {
            assert!(!m.per_chip, "{}", m.key);
            assert!(matches!(m.of(&e), MetricValue::Number(_)), "{}", m.key);
        }
    }

    #[test]
    fn shows_values_as_the_page_did() {
        let e = eval();
        assert_eq!(DECODE_STEP_SECONDS.of(&e), Number(e.decode.step_seconds));
        assert_eq!(
            DECODE_STEP_SECONDS.show(&Number(0.00704464536411277)),
            "7.04 ms"
        );
        let detail = PARAMS_SPARSITY.detail.map(|d| d(&e));
        assert_eq!(
            detail,
            Some(format!(
                "({} of {})",
                f::count(e.params.active),
                f::count(e.params.total)
            ))
        );
        assert_eq!(DECODE_BOUND.show(&Text("memory")), "memory-bound");
        assert_eq!(KV_CROSSOVER_CONTEXT.show(&Missing), "never");
        assert_eq!(KV_CROSSOVER_CONTEXT.show(&Number(12345.0)), "12,345 tokens");
        assert_eq!(PARAMS_SPARSITY.show(&Number(8.0)), "8.00×");
        assert_eq!(CAPACITY_MAX_BATCH_SIZE.show(&Number(863.0)), "863");
        assert_eq!(
            COST_PER_MILLION_OUTPUT_TOKENS.show(&Number(f64::NAN)),
            f::MISSING
        );
        assert_eq!(data_value(&Number(863.0)), "863");
        assert_eq!(data_value(&Missing), "null");
        assert_eq!(data_value(&Flag(true)), "true");
    }

    #[test]
    fn per_chip_divides_by_the_chip_count() {
        let e = eval();
        let whole = number(&DECODE_TOKENS_PER_SECOND.of(&e));
        let per = number(&DECODE_TOKENS_PER_SECOND_PER_CHIP.read(&e, 8));
        assert_eq!(per, whole / 8.0);
        assert_eq!(DECODE_TOKENS_PER_SECOND_PER_CHIP.of(&e), Missing);
    }
}
