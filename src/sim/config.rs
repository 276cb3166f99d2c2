//! What to simulate: the request stream's rate, size, lengths, seed and KV block size.

use super::{LengthDist, MAX_REQUESTS};
use crate::scenario::ScenarioError;

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
    /// Token budget of one chunked-prefill step (decodes plus the prompt chunk).
    pub chunk_tokens: u32,
    /// Prefix-cache hit rate: the fraction of each prompt's tokens already in the KV cache
    /// (vLLM's prefix-cache hit rate counts tokens: hits ÷ prompt tokens queried), 0 to 1.
    /// Prefill computes only the rest; the cached tokens' KV is still held and read.
    pub prefix_hit_rate: f64,
}

impl Default for SimConfig {
    /// 10,000 requests at 16 per second; long-tailed lengths (prompts median 512, outputs
    /// median 256, σ = 1, capped at 8,192 and 4,096); blocks of 16 tokens; seed 42; chunks
    /// of 2,048 tokens per step (vLLM's `max_num_batched_tokens` with chunked prefill before
    /// its V1 engine); no prefix-cache hits.
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
            chunk_tokens: SimConfig::DEFAULT_CHUNK_TOKENS,
            prefix_hit_rate: 0.0,
        }
    }
}

impl SimConfig {
    /// Tokens per chunked-prefill step unless told otherwise.
    pub const DEFAULT_CHUNK_TOKENS: u32 = 2048;
    /// Largest token budget per step.
    pub const MAX_CHUNK_TOKENS: u32 = 1_000_000;

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
        if !(1..=SimConfig::MAX_CHUNK_TOKENS).contains(&self.chunk_tokens) {
            out.push(ScenarioError::new(
                "chunk_tokens",
                format!(
                    "must be 1 to {} tokens per step, got {}",
                    SimConfig::MAX_CHUNK_TOKENS,
                    self.chunk_tokens
                ),
            ));
        }
        if !(self.prefix_hit_rate.is_finite() && (0.0..=1.0).contains(&self.prefix_hit_rate)) {
            out.push(ScenarioError::new(
                "prefix_hit_rate",
                format!(
                    "must be 0 to 1 (the fraction of prompt tokens found in the cache), got {}",
                    self.prefix_hit_rate
                ),
            ));
        }
        out
    }
}
