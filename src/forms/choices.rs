//! The calculator's selects, checkboxes and log sliders as plain values: what each shows
//! for a scenario, and what a choice does to it.

use crate::catalogue::presets::{model_preset, model_presets};
use crate::scenario::{
    Attention, DraftModel, Moe, Parallelism, Precision, PrefixSharing, Scenario, Speculative,
    SpeculativeMethod,
};

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

/// "private" / "shared": who holds a cached prefix's KV.
pub fn prefix_sharing_name(s: &Scenario) -> &'static str {
    s.workload.prefix_sharing.name()
}

/// Sets who holds a cached prefix's KV.
pub fn set_prefix_sharing(s: &mut Scenario, v: &str) {
    s.workload.prefix_sharing = if v == "shared" {
        PrefixSharing::Shared
    } else {
        PrefixSharing::Private
    };
}

/// "none" / "mtp" / "draft".
pub fn speculative_name(s: &Scenario) -> &'static str {
    s.speculative.as_ref().map_or("none", |x| x.method.name())
}

/// The draft model a switch to method draft starts with.
pub const DEFAULT_DRAFT_MODEL: &str = "llama-3.1-8b";

/// Turns speculative decoding off, or on with the model's MTP head or a draft model (a new
/// speculation starts from [`Speculative::MTP_START`]; a draft model from
/// [`DEFAULT_DRAFT_MODEL`]).
pub fn set_speculative(s: &mut Scenario, v: &str) {
    let method = match v {
        "mtp" => SpeculativeMethod::Mtp,
        "draft" => SpeculativeMethod::Draft,
        _ => {
            s.speculative = None;
            return;
        }
    };
    let x = s.speculative.get_or_insert(Speculative::MTP_START);
    x.method = method;
    match method {
        SpeculativeMethod::Mtp => x.draft_model = None,
        SpeculativeMethod::Draft => {
            x.draft_model
                .get_or_insert_with(|| DraftModel::Preset(DEFAULT_DRAFT_MODEL.into()));
        }
    }
}

/// Draft model choices: every model preset, then a shape given in a file or link.
pub fn draft_model_options() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<(&'static str, &'static str)> = model_presets()
        .iter()
        .map(|p| (p.id.as_str(), p.spec.name.as_str()))
        .collect();
    v.push(("shape", "a shape (from a file or link)"));
    v
}

/// The draft model's preset id, "shape" for a shape, "" without one.
pub fn draft_model_id(s: &Scenario) -> &'static str {
    match s.speculative.as_ref().and_then(|x| x.draft_model.as_ref()) {
        Some(DraftModel::Preset(id)) => model_preset(id).map_or("", |p| p.id.as_str()),
        Some(DraftModel::Shape(_)) => "shape",
        None => "",
    }
}

/// Sets the draft model to a preset (method draft); "shape" keeps the current one.
pub fn set_draft_model(s: &mut Scenario, v: &str) {
    if let Some(p) = model_preset(v) {
        let x = s.speculative.get_or_insert(Speculative::MTP_START);
        x.method = SpeculativeMethod::Draft;
        x.draft_model = Some(DraftModel::Preset(p.id.clone()));
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
    fn speculation_and_prefix_choices_round_trip() {
        let mut s = Scenario::default();
        assert_eq!(speculative_name(&s), "none");
        set_speculative(&mut s, "draft");
        assert_eq!(speculative_name(&s), "draft");
        assert_eq!(draft_model_id(&s), DEFAULT_DRAFT_MODEL);
        assert!(s.validate().is_ok());
        set_draft_model(&mut s, "mistral-7b");
        assert_eq!(draft_model_id(&s), "mistral-7b");
        set_speculative(&mut s, "mtp");
        assert_eq!(s.speculative.as_ref().unwrap().draft_model, None);
        assert!(s.validate().is_ok());
        set_speculative(&mut s, "none");
        assert_eq!(s.speculative, None);
        assert!(draft_model_options()
            .iter()
            .any(|(id, _)| *id == "llama-3.1-8b"));
        set_prefix_sharing(&mut s, "shared");
        assert_eq!(prefix_sharing_name(&s), "shared");
    }

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
