//! What the user asks for (speed, time to first token, lengths, chips, budget) and how far
//! the search goes.

use serde::Serialize;

/// A spending limit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "usd")]
pub enum Budget {
    /// At most this many USD per million output tokens.
    PerMillionOutputTokens(f64),
    /// At most this many USD per hour for all chips.
    PerHour(f64),
}

/// What the user asks for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Targets {
    /// Tokens per second each user sees, at least.
    pub min_user_tokens_per_second: f64,
    /// Time to first token, at most, seconds.
    pub max_ttft_seconds: f64,
    /// Prompt tokens per request.
    pub input_tokens: u64,
    /// Generated tokens per request.
    pub output_tokens: u64,
    /// Allowed chip ids; `None` allows all.
    pub chips: Option<Vec<String>>,
    /// Spending limit; `None` for none.
    pub budget: Option<Budget>,
}

impl Targets {
    /// Every problem with the targets, as `(field, problem)`.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let t = self.min_user_tokens_per_second;
        if !(t.is_finite() && t > 0.0 && t <= 1e6) {
            out.push((
                "min_user_tokens_per_second",
                format!("must be a number above 0 and at most 1e6, got {t}"),
            ));
        }
        let y = self.max_ttft_seconds;
        if !(y.is_finite() && y > 0.0 && y <= 3600.0) {
            out.push((
                "max_ttft_seconds",
                format!("must be above 0 and at most 3600 s, got {y}"),
            ));
        }
        for (f, v) in [
            ("input_tokens", self.input_tokens),
            ("output_tokens", self.output_tokens),
        ] {
            if v == 0 || v > 100_000_000 {
                out.push((f, format!("must be a whole number from 1 to 1e8, got {v}")));
            }
        }
        if let Some(b) = self.budget {
            let v = match b {
                Budget::PerMillionOutputTokens(v) | Budget::PerHour(v) => v,
            };
            if !(v.is_finite() && v > 0.0) {
                out.push(("budget", format!("must be above 0, got {v}")));
            }
        }
        if let Some(c) = &self.chips {
            if c.is_empty() {
                out.push(("chips", "allow at least one chip".into()));
            }
        }
        out
    }
}

/// How far the search goes.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchSpace {
    /// Chip counts N tried.
    pub chip_counts: Vec<u32>,
    /// Most pipeline stages.
    pub max_pipeline: u32,
    /// Most concurrent requests one replica schedules (vLLM `--max-num-seqs`); under expert
    /// parallelism each of the N data-parallel attention ranks is a replica.
    pub max_batch_per_replica: u64,
}

impl Default for SearchSpace {
    /// N ∈ {1, 2, 4, 8, 16, 32, 64}, P ≤ 16, at most 1,024 sequences per replica.
    fn default() -> Self {
        SearchSpace {
            chip_counts: vec![1, 2, 4, 8, 16, 32, 64],
            max_pipeline: 16,
            max_batch_per_replica: 1024,
        }
    }
}
