//! The calculator's selects, checkboxes and log sliders as plain values: what each shows
//! for a scenario, and what a choice does to it.

use crate::scenario::{Attention, Moe, Parallelism, Precision, Scenario};

/// Precision choices for selects: (value, shown text).
pub fn precision_options() -> Vec<(&'static str, &'static str)> {
    Precision::ALL
        .iter()
        .map(|p| (p.name(), p.name()))
        .collect()
}

/// Parses a precision name coming from one of our own selects (unknown keeps bf16).
pub fn precision_of(v: &str) -> Precision {
    Precision::parse(v).unwrap_or(Precision::Bf16)
}

/// "gqa" / "mla".
pub fn attention_name(s: &Scenario) -> &'static str {
    match s.model.attention {
        Attention::Gqa => "gqa",
        Attention::Mla => "mla",
    }
}

/// Sets attention, filling MLA's required fields with DeepSeek-V3's when switching to it.
pub fn set_attention(s: &mut Scenario, v: &str) {
    if v == "mla" {
        s.model.attention = Attention::Mla;
        s.model.kv_lora_rank.get_or_insert(512);
        s.model.qk_rope_head_dim.get_or_insert(64);
    } else {
        s.model.attention = Attention::Gqa;
    }
}

/// "tensor" / "expert".
pub fn parallelism_name(s: &Scenario) -> &'static str {
    match s.parallelism {
        Parallelism::Tensor => "tensor",
        Parallelism::Expert => "expert",
    }
}

/// Sets the parallelism (expert needs an MoE model; validation says so otherwise).
pub fn set_parallelism(s: &mut Scenario, v: &str) {
    s.parallelism = if v == "expert" {
        Parallelism::Expert
    } else {
        Parallelism::Tensor
    };
}

/// Turns MoE on (with Mixtral-like defaults) or off.
pub fn set_moe(s: &mut Scenario, on: bool) {
    if on {
        let d_ff = s.model.intermediate_size;
        s.model.moe.get_or_insert_with(|| Moe::switched_on(d_ff));
    } else {
        s.model.moe = None;
        if s.parallelism == Parallelism::Expert {
            s.parallelism = Parallelism::Tensor;
        }
    }
}

/// A log-scale slider over 1..=max: position = log2(value) × 8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogScale {
    /// Largest value reachable.
    pub max: u64,
}

impl LogScale {
    /// Positions per doubling.
    const PER_DOUBLING: f64 = 8.0;

    /// The last position: ⌈log2(max) × 8⌉.
    pub fn steps(self) -> u32 {
        ((self.max as f64).log2() * Self::PER_DOUBLING).ceil() as u32
    }

    /// The position showing `v` (values below 1 show as 1).
    pub fn position(self, v: u64) -> u32 {
        let v = v.max(1) as f64;
        ((v.log2() * Self::PER_DOUBLING).round() as u32).min(self.steps())
    }

    /// The value at position `pos`: 2^(pos ÷ 8), rounded, within 1..=max.
    pub fn value(self, pos: f64) -> u64 {
        2f64.powf(pos / Self::PER_DOUBLING)
            .round()
            .clamp(1.0, self.max as f64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip() {
        let mut s = Scenario::default();
        set_attention(&mut s, "mla");
        assert_eq!(attention_name(&s), "mla");
        assert!(s.model.kv_lora_rank.is_some() && s.model.qk_rope_head_dim.is_some());
        set_attention(&mut s, "gqa");
        assert_eq!(attention_name(&s), "gqa");
        set_moe(&mut s, true);
        set_parallelism(&mut s, "expert");
        assert_eq!(parallelism_name(&s), "expert");
        set_moe(&mut s, false);
        assert_eq!(
            (s.model.moe.is_none(), parallelism_name(&s)),
            (true, "tensor")
        );
        assert_eq!(precision_of("fp8"), Precision::Fp8);
        assert_eq!(precision_of("nonsense"), Precision::Bf16);
        assert_eq!(precision_options().len(), Precision::ALL.len());
    }

    #[test]
    fn log_slider_positions() {
        let batch = LogScale { max: 65536 };
        assert_eq!(batch.steps(), 128);
        assert_eq!(batch.position(64), 48);
        assert_eq!(batch.position(0), 0);
        assert_eq!(batch.value(48.0), 64);
        assert_eq!(batch.value(1e9), 65536);
        assert_eq!(batch.value(-5.0), 1);
        let context = LogScale { max: 2_097_152 };
        assert_eq!(context.position(u64::MAX), context.steps());
    }
}
