//! How request lengths (prompt or output tokens) are drawn, and the checks on them.

use super::rng::{self, Rng};
use super::MAX_LENGTH;
use crate::scenario::ScenarioError;

/// How a request length (prompt or output tokens) is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LengthDist {
    /// Always this many tokens.
    Fixed(u32),
    /// Uniform over whole numbers min..=max.
    Uniform {
        /// Shortest, tokens.
        min: u32,
        /// Longest, tokens.
        max: u32,
    },
    /// Long-tailed: lognormal with this median and log-space standard deviation `sigma`,
    /// rounded and clamped to 1..=max.
    LogNormal {
        /// Median, tokens.
        median: u32,
        /// Standard deviation of the log length.
        sigma: f64,
        /// Longest, tokens.
        max: u32,
    },
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

    /// One length drawn from `rng`, tokens.
    pub(super) fn sample(&self, rng: &mut Rng) -> u32 {
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

    /// Pushes every problem with the distribution, named `field.what`.
    pub(super) fn problems(&self, field: &str, out: &mut Vec<ScenarioError>) {
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
