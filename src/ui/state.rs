//! The page's reactive state: one signal per part of the setup, the results derived from
//! it, and the operations the panels share (see `crate::app_state` for the plain rules).

use crate::app_state::{Replacement, Setup};
use crate::model::{evaluate, Evaluation};
use crate::scenario::link::encode_with_presets;
use crate::scenario::{Efficiency, Scenario, ScenarioError};
use crate::view_params::{compare_value, link_extras_in};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Global state shared by the components.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The current (last valid) scenario.
    pub scenario: RwSignal<Scenario>,
    /// Fields whose typed text is invalid, by field key, with the message.
    pub field_errors: RwSignal<BTreeMap<&'static str, String>>,
    /// Every result, derived from the scenario.
    pub results: Memo<Result<Evaluation, ScenarioError>>,
    /// The pure roofline bound of the same scenario, shown beside the estimate.
    pub pure_results: Memo<Option<Evaluation>>,
    /// The last valid results, shown (marked stale) while an input is invalid.
    pub last_good: Memo<Option<Evaluation>>,
    /// The chosen model preset's id, if any.
    pub model_preset: RwSignal<Option<String>>,
    /// The chosen hardware preset's id, if any.
    pub hardware_preset: RwSignal<Option<String>>,
    /// Bumped when the scenario is replaced wholesale (preset, import, link): fields drop
    /// stale error text.
    pub reset: RwSignal<u64>,
    /// The setup pinned as A for comparison.
    pub pinned: RwSignal<Option<Scenario>>,
    /// Dark theme (from a link's `theme`, else the system's preference).
    pub dark: RwSignal<bool>,
    /// The serving lab's random seed when it is not the default (kept in the link).
    pub lab_seed: RwSignal<Option<u64>>,
    /// The lab seed of the link the page was opened with, if any.
    pub opened_seed: Option<u64>,
    /// The lab's chunk budget when it is not the default (kept in the link).
    pub lab_chunk: RwSignal<Option<u32>>,
    /// The chunk budget of the link the page was opened with, if any.
    pub opened_chunk: Option<u32>,
    /// The lab's prefix-cache hit rate (percent) when not 0 (kept in the link).
    pub lab_hit: RwSignal<Option<f64>>,
    /// The hit rate of the link the page was opened with, if any.
    pub opened_hit: Option<f64>,
    /// The section the navigation last went to (kept in the link as `section=`).
    pub section: RwSignal<Option<&'static str>>,
    /// Model preset ids the architecture comparison chart draws beside the current model
    /// (kept in the link as `cmp=`).
    pub compare_models: RwSignal<Vec<String>>,
    /// The inputs' values, each followed without a memo of its own (`super::watch`).
    pub watch: super::watch::Watch,
}

impl AppState {
    /// The state for an opening setup, with its results derived.
    pub fn new(setup: Setup, dark: bool, opened_seed: Option<u64>) -> AppState {
        let scenario = RwSignal::new(setup.scenario);
        let results = Memo::new(move |_| scenario.with(evaluate));
        let pure_results = Memo::new(move |_| {
            scenario.with(|s| {
                if s.efficiency.is_pure() {
                    None
                } else {
                    let mut p = s.clone();
                    p.efficiency = Efficiency::PURE;
                    evaluate(&p).ok()
                }
            })
        });
        AppState {
            scenario,
            field_errors: RwSignal::new(BTreeMap::new()),
            results,
            pure_results,
            last_good: super::results::last_good(results),
            model_preset: RwSignal::new(setup.model_preset),
            hardware_preset: RwSignal::new(setup.hardware_preset),
            reset: RwSignal::new(setup.reset),
            pinned: RwSignal::new(None),
            dark: RwSignal::new(dark),
            lab_seed: RwSignal::new(None),
            opened_seed,
            lab_chunk: RwSignal::new(None),
            opened_chunk: None,
            lab_hit: RwSignal::new(None),
            opened_hit: None,
            section: RwSignal::new(None),
            compare_models: RwSignal::new(Vec::new()),
            watch: super::watch::Watch::new(scenario),
        }
    }

    /// Replaces the setup wholesale: the scenario, the preset ids it sets or clears, and a
    /// bumped reset counter (see [`Setup::apply`], the same rule on plain data).
    pub fn apply(&self, r: Replacement) {
        self.scenario.set(r.scenario);
        if let Some(id) = r.model_preset.new_value() {
            self.model_preset.set(id);
        }
        if let Some(id) = r.hardware_preset.new_value() {
            self.hardware_preset.set(id);
        }
        self.bump_reset();
    }

    /// Tells every field to drop stale error text and show the scenario's value.
    pub fn bump_reset(&self) {
        self.reset.update(|g| *g += 1);
    }

    /// Records that field `key` holds invalid text.
    pub fn set_field_error(&self, key: &'static str, message: String) {
        self.field_errors.update(|m| {
            m.insert(key, message);
        });
    }

    /// Records that field `key` is fine again.
    pub fn clear_field_error(&self, key: &str) {
        self.field_errors.update(|m| {
            m.remove(key);
        });
    }

    /// The link query for the current state with `extras` (and the lab's seed); tracked.
    pub fn query(&self, extras: &[(String, String)]) -> String {
        let parts = self.query_parts(extras);
        self.scenario.with(|s| parts.encode(s))
    }

    /// Everything the link query is made of but the scenario's encoding, read tracked, and
    /// the scenario tracked too: an effect that calls this re-runs whenever the link would
    /// change, and can leave the encoding ([`QueryParts::encode`]) for later.
    pub fn query_parts(&self, extras: &[(String, String)]) -> QueryParts {
        let mut extras = link_extras_in(
            extras,
            self.lab_seed.get(),
            self.lab_chunk.get(),
            self.lab_hit.get(),
            self.section.get(),
        );
        if let Some(cmp) = self.compare_models.with(|ids| compare_value(ids)) {
            extras.push(("cmp".into(), cmp));
        }
        self.scenario.track();
        QueryParts {
            extras,
            model: self.model_preset.get(),
            hw: self.hardware_preset.get(),
        }
    }
}

/// The link query's parts besides the scenario (from [`AppState::query_parts`]).
pub struct QueryParts {
    extras: Vec<(String, String)>,
    model: Option<String>,
    hw: Option<String>,
}

impl QueryParts {
    /// The link query of scenario `s` with these parts.
    pub fn encode(&self, s: &Scenario) -> String {
        encode_with_presets(s, self.model.as_deref(), self.hw.as_deref(), &self.extras)
    }
}
