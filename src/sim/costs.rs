//! The engine's step costs (prefill, decode, effective context), as a replica needs them.

use crate::model::mixed_step::mixed_step;
use crate::model::speculative::Drafter;
use crate::model::{
    decode_step, prefill_after_prefix, shape, stored_weights, Shape, StepInputs,
    USABLE_MEMORY_FRACTION,
};
use crate::scenario::{Scenario, ScenarioError};

/// The engine's costs, as the replica needs them.
#[derive(Clone, Debug)]
pub(super) struct Engine {
    /// The scenario whose model, hardware and efficiency price the steps.
    pub(super) scenario: Scenario,
    /// The model's shape.
    pub(super) shape: Shape,
    /// Peak FLOP/s of one chip at the compute precision.
    peak: f64,
    /// Chips N of the replica.
    pub(super) chips: f64,
    /// Layers without and with a sliding window, and the window.
    full_layers: f64,
    window_layers: f64,
    pub(super) window: Option<f64>,
    /// The scenario's speculative drafter, when it speculates.
    pub(super) drafter: Option<Drafter>,
}

impl Engine {
    /// The costs of `s` (validated; its peak FLOP/s must exist).
    pub(super) fn new(s: &Scenario) -> Result<Self, ScenarioError> {
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
            drafter: Drafter::of(s),
        })
    }

    /// Whether some layers attend over a sliding window.
    pub(super) fn windowed(&self) -> bool {
        self.window_layers > 0.0 && self.window.is_some()
    }

    /// One pass prefilling `requests` prompts of `tokens` new tokens in all, after `cached`
    /// tokens in all already in the prefix cache (each request taken at the mean,
    /// `cached ÷ requests`, as the new tokens are), seconds. At `cached` = 0 the plain
    /// [`crate::model::prefill`].
    pub(super) fn prefill_seconds(&self, tokens: u64, requests: u32, cached: u64) -> f64 {
        if requests == 0 {
            return 0.0;
        }
        prefill_after_prefix(
            &self.scenario,
            &self.shape,
            self.peak,
            tokens as f64,
            requests as f64,
            cached as f64 / requests as f64,
        )
        .seconds
    }

    /// The inputs of a step of `batch` sequences at context `context`.
    fn inputs(&self, batch: u32, context: f64) -> StepInputs {
        StepInputs {
            batch: batch as f64,
            context,
            chips: self.chips,
        }
    }

    /// The decode time per emitted token of `batch` sequences at context `context`,
    /// seconds: the plain step, or under speculative decoding the expected time per token
    /// of a draft-and-verify round, (verify step + k draft steps) ÷ τ. The lab emits one
    /// token per request per iteration and charges each iteration this expected time, so
    /// a request's tokens come at the mean rate of the rounds (the bursts of 1 … k + 1
    /// accepted tokens are averaged out, and the speculated tokens' transient KV is not
    /// charged), which keeps the run deterministic and its token counts exact.
    pub(super) fn decode_seconds(&self, batch: u32, context: f64) -> f64 {
        if batch == 0 {
            return 0.0;
        }
        let x = self.inputs(batch, context);
        let plain = decode_step(&self.scenario, &self.shape, self.peak, x);
        match &self.drafter {
            Some(d) => {
                d.speculate(&self.scenario, &self.shape, self.peak, x, &plain)
                    .1
                    .seconds_per_token
            }
            None => plain.step_seconds,
        }
    }

    /// One chunked-prefill step: `batch` decodes at context `context` fused with `chunk`
    /// prompt tokens after `prefix` already prefilled ([`mixed_step`]), seconds. Under
    /// speculative decoding the decodes cost [`Engine::decode_seconds`] and the chunk adds
    /// what it adds to the plain fused step (its marginal time, ≥ 0).
    pub(super) fn mixed_seconds(&self, batch: u32, context: f64, chunk: u32, prefix: u32) -> f64 {
        let m = mixed_step(
            &self.scenario,
            &self.shape,
            self.peak,
            batch as f64,
            context,
            chunk as f64,
            prefix as f64,
        );
        if self.drafter.is_none() || batch == 0 {
            return m.seconds;
        }
        (m.seconds - m.decode_seconds).max(0.0) + self.decode_seconds(batch, context)
    }

    /// Weights the drafter adds to memory (bytes over all chips) and the KV it holds per
    /// token (bytes); 0 and 0 without speculation.
    pub(super) fn draft_memory(&self) -> (f64, f64) {
        self.drafter.as_ref().map_or((0.0, 0.0), |d| {
            (
                d.weight_bytes,
                crate::model::kv_bytes_per_token(&d.scenario),
            )
        })
    }

    /// KV memory beside the stored weights: 90% of N·M less the weights, bytes, and the
    /// whole tokens it holds at `kv_per_token` (0 when the weights leave nothing).
    pub(super) fn kv_capacity(&self, kv_per_token: f64) -> (f64, u64) {
        let s = &self.scenario;
        let (_, weights) = stored_weights(s, &self.shape, self.chips);
        let bytes = USABLE_MEMORY_FRACTION * self.chips * s.hardware.memory_capacity - weights;
        let tokens = if bytes > 0.0 && kv_per_token > 0.0 {
            (bytes / kv_per_token).floor().min(1e15) as u64
        } else {
            0
        };
        (bytes, tokens)
    }

    /// USD per second of the replica's chips.
    pub(super) fn usd_per_second(&self) -> f64 {
        self.chips * self.scenario.hardware.price_per_hour / 3600.0
    }

    /// The context whose KV per sequence (and attention FLOPs per token, the same shape) is
    /// the mean over a batch with Σ contexts `sum` and Σ min(context, W) `sum_min`: per
    /// sequence both are ∝ g(c) = full·c + windowed·min(c, W), so g⁻¹ of the mean of g.
    pub(super) fn effective_context(&self, batch: u32, sum: f64, sum_min: f64) -> f64 {
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
