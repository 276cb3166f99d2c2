//! The request stream: Poisson arrivals with drawn prompt and output lengths.

use super::rng::Rng;
use super::SimConfig;

/// One request of the stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Request {
    /// Arrival time, seconds from 0.
    pub arrival: f64,
    /// Prompt tokens.
    pub input: u32,
    /// Output tokens.
    pub output: u32,
    /// Prompt tokens already in the prefix cache: ⌊hit rate × input⌋, at most input − 1
    /// (the last prompt token always runs: its logits give the first output token).
    pub cached: u32,
}

/// Prompt tokens of an `input`-token prompt found in the cache at hit rate `rate` (0 to 1):
/// ⌊rate × input⌋, at most input − 1; tokens.
pub fn cached_tokens(input: u32, rate: f64) -> u32 {
    if !(rate.is_finite() && rate > 0.0) {
        return 0;
    }
    let c = (rate.min(1.0) * input as f64).floor() as u32;
    c.min(input.saturating_sub(1))
}

/// The stream a configuration describes: arrival gaps, prompt and output lengths drawn in
/// that order per request from one generator; each prompt's cached tokens follow from the
/// hit rate without a draw, so the stream's lengths do not depend on it.
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
                cached: cached_tokens(input, c.prefix_hit_rate),
            }
        })
        .collect()
}
