//! The calculator's disaggregated-serving inputs (prefill and decode pools, the link between
//! them) and what they come to: TTFT with the KV transfer, the balanced xPyD ratio and the
//! cost per token of each pool and the pair ([`crate::model::disaggregation`]).

use super::controls::{Choice, Toggle};
use super::field::NumberField;
use super::fields::DISAGGREGATION_FIELDS;
use super::AppState;
use crate::catalogue::presets::hardware_presets;
use crate::format as f;
use crate::model::disaggregation::{disaggregated, Disaggregated};
use crate::scenario::{Parallelism, Pool, Scenario};
use leptos::prelude::*;

/// `same`, or the preset id of a pool's chip.
fn chip_of(p: &Pool) -> &'static str {
    p.hardware
        .as_deref()
        .and_then(|id| {
            hardware_presets()
                .iter()
                .find(|h| h.id == id)
                .map(|h| h.id.as_str())
        })
        .unwrap_or("same")
}

fn set_chip(p: &mut Pool, v: &str) {
    p.hardware = (v != "same").then(|| v.to_string());
}

/// `same`, `tensor` or `expert`.
fn par_of(p: &Pool) -> &'static str {
    p.parallelism.map_or("same", Parallelism::name)
}

fn set_par(p: &mut Pool, v: &str) {
    p.parallelism = match v {
        "tensor" => Some(Parallelism::Tensor),
        "expert" => Some(Parallelism::Expert),
        _ => None,
    };
}

fn chip_options() -> Vec<(&'static str, &'static str)> {
    let mut v = vec![("same", "The setup's chip")];
    v.extend(
        hardware_presets()
            .iter()
            .map(|h| (h.id.as_str(), h.spec.name.as_str())),
    );
    v
}

fn par_options() -> Vec<(&'static str, &'static str)> {
    vec![
        ("same", "The setup's parallelism"),
        ("tensor", "Tensor parallel"),
        ("expert", "Expert parallel + DP attention"),
    ]
}

/// One number of the result box, with its raw value for tests.
fn cell(key: &'static str, label: &'static str, raw: f64, shown: String) -> impl IntoView {
    view! {
        <div class="metric"><span class="label">{label}": "</span><strong data-metric=key data-value=raw.to_string()>{shown}</strong></div>
    }
}

/// What the pools come to.
fn summary(d: &Disaggregated, s: &Scenario) -> impl IntoView {
    let fits = |ok: bool, what: &str| {
        (!ok).then(|| format!("A {what} engine does not hold its weights and batch: add chips."))
    };
    let warn = [
        fits(d.prefill.fits, "prefill"),
        fits(d.decode.fits, "decode"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    view! {
        <div class="pd-results" data-pd-results="">
            {cell("pd.ttft_seconds", "TTFT (prefill + KV transfer)", d.ttft_seconds, f::seconds(d.ttft_seconds))}
            {cell("pd.transfer_seconds", "KV transfer per request", d.transfer_seconds, format!("{} ({})", f::seconds(d.transfer_seconds), f::bytes(d.kv_bytes_per_request)))}
            {cell("pd.tpot_seconds", "TPOT (decode step)", d.tpot_seconds, f::seconds(d.tpot_seconds))}
            <div class="metric"><span class="label">"Balanced pools at "{f::sig(d.arrival_rate, 3)}" requests/s: "</span><strong data-metric="pd.ratio" data-value=d.ratio()>{d.ratio()}</strong></div>
            {cell("pd.prefill.cost_per_million_tokens", "Prefill pool, per 1M input tokens", d.prefill.cost_per_million_tokens, f::usd(d.prefill.cost_per_million_tokens))}
            {cell("pd.decode.cost_per_million_tokens", "Decode pool, per 1M output tokens", d.decode.cost_per_million_tokens, f::usd(d.decode.cost_per_million_tokens))}
            {cell("pd.cost_per_million_output_tokens", "Both pools as configured, per 1M output tokens", d.cost_per_million_output_tokens, format!("{} ({}, {} pool binds)", f::usd(d.cost_per_million_output_tokens), d.configured(), d.binding.name()))}
            {cell("pd.balanced_cost_per_million_output_tokens", "Balanced pools, per 1M output tokens", d.balanced_cost_per_million_output_tokens, f::usd(d.balanced_cost_per_million_output_tokens))}
            <p class="hint">{format!("Co-located on {} × {}: see the results above; the serving lab simulates both.", s.chips, s.hardware.name)}</p>
            <p class="error" hidden=warn.is_empty()>{warn.clone()}</p>
        </div>
    }
}

/// The disaggregated-serving fieldset.
#[component]
pub fn DisaggregationInputs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on = Memo::new(move |_| state.scenario.with(|s| s.disaggregation.enabled));
    let result = Memo::new(move |_| {
        state
            .scenario
            .with(|s| disaggregated(s).map(|d| d.map(|d| (d, s.clone()))))
    });
    view! {
        <fieldset data-pd="">
            <legend>"Disaggregated prefill and decode"</legend>
            <Toggle
                key="disaggregation.enabled"
                label="Prefill and decode on separate pools (KV shipped between them)"
                get=|s| s.disaggregation.enabled
                set=|s, on| s.disaggregation.enabled = on
            />
            <div hidden=move || !on.get()>
                <Choice key="disaggregation.prefill.hardware" label="Prefill chip" options=chip_options() get=|s| chip_of(&s.disaggregation.prefill) set=|s, v| set_chip(&mut s.disaggregation.prefill, v) />
                <Choice key="disaggregation.prefill.parallelism" label="Prefill parallelism" options=par_options() get=|s| par_of(&s.disaggregation.prefill) set=|s, v| set_par(&mut s.disaggregation.prefill, v) />
                <Choice key="disaggregation.decode.hardware" label="Decode chip" options=chip_options() get=|s| chip_of(&s.disaggregation.decode) set=|s, v| set_chip(&mut s.disaggregation.decode, v) />
                <Choice key="disaggregation.decode.parallelism" label="Decode parallelism" options=par_options() get=|s| par_of(&s.disaggregation.decode) set=|s, v| set_par(&mut s.disaggregation.decode, v) />
            </div>
            {DISAGGREGATION_FIELDS.iter().map(|def| view! { <NumberField def /> }).collect_view()}
            {move || match result.get() {
                Ok(Some((d, s))) => summary(&d, &s).into_any(),
                Ok(None) => ().into_any(),
                Err(e) => view! { <p class="error" role="alert" data-pd-error="">{e.to_string()}</p> }.into_any(),
            }}
        </fieldset>
    }
}
