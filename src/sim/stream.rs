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
