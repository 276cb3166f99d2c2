//! The page's state without reactivity: the setup it opens on, and every wholesale change of
//! the setup (a preset, an import, a planned setup, a swap) as a [`Replacement`].
//!
//! The page (`ui::AppState`) keeps each part in a signal and applies a replacement in one
//! call; [`Setup`] is the same state as plain data, so the rules are tested natively.

use crate::catalogue::presets::{hardware_preset, hardware_presets, model_preset};
use crate::planner::{Candidate, Targets};
use crate::scenario::{ModelSpec, Parallelism, PrecisionSpec, Scenario};

/// The model preset the page opens on.
pub const DEFAULT_MODEL: &str = "llama-3.1-70b";
/// The hardware preset the page opens on.
pub const DEFAULT_HARDWARE: &str = "h100-sxm";

/// The scenario the page opens on: Llama 3.1 70B on 8 × H100 SXM, bf16, from the presets.
pub fn initial_scenario() -> Scenario {
    let mut s = Scenario::default();
    if let Some(p) = model_preset(DEFAULT_MODEL) {
        s.model = p.spec.clone();
    }
    if let Some(p) = hardware_preset(DEFAULT_HARDWARE) {
        s.hardware = p.spec.clone();
    }
    s
}

/// What a replacement does to one chosen preset id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PresetId {
    /// Leaves it as it is.
    Keep,
    /// Chooses this preset.
    Set(String),
    /// The setup no longer comes from a preset.
    Clear,
}

impl PresetId {
    /// The new id, or `None` when it stays as it is.
    pub fn new_value(&self) -> Option<Option<String>> {
        match self {
            PresetId::Keep => None,
            PresetId::Set(id) => Some(Some(id.clone())),
            PresetId::Clear => Some(None),
        }
    }

    /// Applies it to a chosen id.
    pub fn apply(&self, id: &mut Option<String>) {
        if let Some(v) = self.new_value() {
            *id = v;
        }
    }
}

/// A wholesale change of the setup: the new scenario and what becomes of the preset ids.
/// Applying one also bumps the reset counter, so fields drop stale error text.
#[derive(Clone, Debug, PartialEq)]
pub struct Replacement {
    /// The scenario after the change.
    pub scenario: Scenario,
    /// The model preset id after the change.
    pub model_preset: PresetId,
    /// The hardware preset id after the change.
    pub hardware_preset: PresetId,
}

/// Puts a model in a scenario; a dense model leaves expert parallelism for tensor.
fn put_model(s: &mut Scenario, model: ModelSpec) {
    s.model = model;
    if s.model.moe.is_none() {
        s.parallelism = Parallelism::Tensor;
    }
}

impl Replacement {
    /// Model preset `id` in `current` (unknown ids: `None`).
    pub fn model_preset(current: &Scenario, id: &str) -> Option<Replacement> {
        let p = model_preset(id)?;
        let mut s = current.clone();
        put_model(&mut s, p.spec.clone());
        Some(Replacement {
            scenario: s,
            model_preset: PresetId::Set(p.id.clone()),
            hardware_preset: PresetId::Keep,
        })
    }

    /// Hardware preset `id` in `current`, keeping a compute precision the new chip has
    /// (its first 16-bit one, else its first) (unknown ids: `None`).
    pub fn hardware_preset(current: &Scenario, id: &str) -> Option<Replacement> {
        let p = hardware_preset(id)?;
        let mut s = current.clone();
        s.hardware = p.spec.clone();
        if !s.hardware.peak_flops.contains_key(&s.precision.compute) {
            let sixteen = s.hardware.peak_flops.keys().find(|p| p.bytes() == 2.0);
            if let Some(&prec) = sixteen.or_else(|| s.hardware.peak_flops.keys().next()) {
                s.precision.compute = prec;
            }
        }
        Some(Replacement {
            scenario: s,
            model_preset: PresetId::Keep,
            hardware_preset: PresetId::Set(p.id.clone()),
        })
    }

    /// An imported model in `current`: the model no longer comes from a preset.
    pub fn imported_model(current: &Scenario, model: ModelSpec) -> Replacement {
        let mut s = current.clone();
        put_model(&mut s, model);
        Replacement {
            scenario: s,
            model_preset: PresetId::Clear,
            hardware_preset: PresetId::Keep,
        }
    }

    /// A planned setup loaded into `current`: the model stays; hardware, chips, precision,
    /// parallelism, batch and lengths come from the setup (unknown chips: `None`).
    pub fn planned(current: &Scenario, c: &Candidate, targets: &Targets) -> Option<Replacement> {
        let preset = hardware_presets()
            .iter()
            .find(|p| p.id == c.setup.chip_id)?;
        let setup = &c.setup;
        let mut s = current.clone();
        s.hardware = preset.spec.clone();
        s.chips = setup.chips;
        s.parallelism = setup.parallelism;
        s.precision = PrecisionSpec {
            weights: setup.weights,
            kv_cache: setup.kv_cache,
            compute: setup.compute,
        };
        s.workload.batch_size = setup.batch;
        s.workload.input_tokens = targets.input_tokens;
        s.workload.output_tokens = targets.output_tokens;
        s.workload.context_length = None;
        Some(Replacement {
            scenario: s,
            model_preset: PresetId::Keep,
            hardware_preset: PresetId::Set(preset.id.clone()),
        })
    }

    /// Another whole scenario (a swap or an opened setup): neither preset id holds.
    pub fn scenario(scenario: Scenario) -> Replacement {
        Replacement {
            scenario,
            model_preset: PresetId::Clear,
            hardware_preset: PresetId::Clear,
        }
    }
}

/// The setup part of the page's state as plain data: what `ui::AppState` keeps in signals.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    /// The current (last valid) scenario.
    pub scenario: Scenario,
    /// The chosen model preset's id, if any.
    pub model_preset: Option<String>,
    /// The chosen hardware preset's id, if any.
    pub hardware_preset: Option<String>,
    /// Bumped on every replacement.
    pub reset: u64,
}

impl Default for Setup {
    /// The page's opening setup: [`initial_scenario`] from the default presets.
    fn default() -> Self {
        Setup {
            scenario: initial_scenario(),
            model_preset: Some(DEFAULT_MODEL.to_string()),
            hardware_preset: Some(DEFAULT_HARDWARE.to_string()),
            reset: 0,
        }
    }
}

impl Setup {
    /// Applies a wholesale change: scenario replaced, preset ids set or cleared, reset bumped.
    pub fn apply(&mut self, r: Replacement) {
        self.scenario = r.scenario;
        r.model_preset.apply(&mut self.model_preset);
        r.hardware_preset.apply(&mut self.hardware_preset);
        self.reset += 1;
    }
}

/// The model picker's status line: the preset and its repository, "edited", or "custom".
pub fn model_status(preset_id: Option<&str>, s: &Scenario) -> String {
    match preset_id.and_then(model_preset) {
        Some(p) if p.spec == s.model => format!("{} — {}", p.name, p.hf_repo),
        Some(p) => format!("{}, edited", p.name),
        None => format!("{} (custom)", s.model.name),
    }
}

/// The hardware picker's status line: the preset and its data's standing, "edited", or
/// "custom".
pub fn hardware_status(preset_id: Option<&str>, s: &Scenario) -> String {
    match preset_id.and_then(hardware_preset) {
        Some(p) if p.spec == s.hardware => format!("{} {} ({} data)", p.vendor, p.name, p.level),
        Some(p) => format!("{}, edited", p.name),
        None => format!("{} (custom)", s.hardware.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::presets::model_presets;
    use crate::scenario::Precision;

    #[test]
    fn opening_setup_is_the_default_presets() {
        let s = Setup::default();
        assert_eq!(s.model_preset.as_deref(), Some(DEFAULT_MODEL));
        assert_eq!(s.hardware_preset.as_deref(), Some(DEFAULT_HARDWARE));
        assert_eq!(s.reset, 0);
        assert!(s.scenario.validate().is_ok());
        assert!(model_status(s.model_preset.as_deref(), &s.scenario).contains(" — "));
        assert!(hardware_status(s.hardware_preset.as_deref(), &s.scenario).ends_with("data)"));
    }

    #[test]
    fn a_model_preset_sets_its_id_and_bumps_the_reset() {
        let mut setup = Setup::default();
        setup.scenario.parallelism = Parallelism::Expert;
        let dense = model_presets()
            .iter()
            .find(|p| p.spec.moe.is_none())
            .unwrap();
        let r = Replacement::model_preset(&setup.scenario, &dense.id).unwrap();
        setup.apply(r);
        assert_eq!(setup.scenario.model, dense.spec);
        assert_eq!(setup.scenario.parallelism, Parallelism::Tensor);
        assert_eq!(setup.model_preset.as_deref(), Some(dense.id.as_str()));
        assert_eq!(setup.hardware_preset.as_deref(), Some(DEFAULT_HARDWARE));
        assert_eq!(setup.reset, 1);
        assert!(Replacement::model_preset(&setup.scenario, "no-such-model").is_none());
    }

    #[test]
    fn a_hardware_preset_keeps_a_compute_precision_the_chip_has() {
        let mut setup = Setup::default();
        for p in hardware_presets() {
            setup.scenario.precision.compute = Precision::Int4;
            let r = Replacement::hardware_preset(&setup.scenario, &p.id).unwrap();
            setup.apply(r);
            let flops = &setup.scenario.hardware.peak_flops;
            assert!(
                flops.is_empty() || flops.contains_key(&setup.scenario.precision.compute),
                "{}",
                p.id
            );
            assert_eq!(setup.hardware_preset.as_deref(), Some(p.id.as_str()));
        }
        assert_eq!(setup.reset, hardware_presets().len() as u64);
    }

    #[test]
    fn an_import_or_a_swap_clears_preset_ids() {
        let mut setup = Setup::default();
        let mut model = setup.scenario.model.clone();
        model.name = "imported".into();
        setup.apply(Replacement::imported_model(&setup.scenario, model));
        assert_eq!(setup.model_preset, None);
        assert_eq!(setup.hardware_preset.as_deref(), Some(DEFAULT_HARDWARE));
        assert_eq!(model_status(None, &setup.scenario), "imported (custom)");
        setup.apply(Replacement::scenario(Scenario::default()));
        assert_eq!(
            (setup.model_preset.clone(), setup.hardware_preset.clone()),
            (None, None)
        );
        assert_eq!(setup.reset, 2);
    }

    #[test]
    fn edited_presets_say_so() {
        let mut s = initial_scenario();
        s.model.layers += 1;
        s.hardware.power += 1.0;
        assert!(model_status(Some(DEFAULT_MODEL), &s).ends_with(", edited"));
        assert!(hardware_status(Some(DEFAULT_HARDWARE), &s).ends_with(", edited"));
    }

    #[test]
    fn preset_id_changes() {
        let mut id = Some("a".to_string());
        PresetId::Keep.apply(&mut id);
        assert_eq!(id.as_deref(), Some("a"));
        PresetId::Set("b".into()).apply(&mut id);
        assert_eq!(id.as_deref(), Some("b"));
        PresetId::Clear.apply(&mut id);
        assert_eq!(id, None);
    }
}
